"""Wikidata links: which entities have one, and candidates for those that do not.

Links are ``skos:exactMatch`` to ``http://www.wikidata.org/entity/Q…`` and come
only from the ``verified`` rows of ``ontology/wikidata-links.tsv``. They are not
``owl:sameAs``: identity with a Wikidata item is looser than OWL's (our State
is also a Place and an Actor), and under OWL 2 RL ``owl:sameAs`` would copy
every statement about an entity onto the Wikidata IRI. Candidates for an
unlinked entity are proposed offline: linked entities whose labels or
aliases match its own, and rows of the reference list that name it but are
not verified.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field

from missilekg.graph.store.base import Store, select
from missilekg.ontology import WIKIDATA_LINKS_FILE
from missilekg.ontology.namespaces import MKG, WIKIDATA

ENTITIES = f"""
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?entity ?kind ?label (GROUP_CONCAT(DISTINCT ?alias; SEPARATOR="\\u001f") AS ?aliases)
       (SAMPLE(?match) AS ?wikidata) (SAMPLE(?status) AS ?linkStatus)
WHERE {{
  VALUES ?top {{ <{MKG}Actor> <{MKG}Place> <{MKG}WeaponSystem> }}
  ?kindIri rdfs:subClassOf* ?top .
  ?entity a ?kindIri ; skos:prefLabel ?label .
  FILTER (STRSTARTS(STR(?entity), "https://missilekg.org/id/"))
  BIND (STRAFTER(STR(?top), "#") AS ?kind)
  OPTIONAL {{ ?entity skos:altLabel ?alias }}
  OPTIONAL {{ ?entity skos:exactMatch ?match FILTER STRSTARTS(STR(?match), "{WIKIDATA}") }}
  OPTIONAL {{ ?entity <{MKG}linkStatus> ?status }}
}}
GROUP BY ?entity ?kind ?label
ORDER BY ?kind ?label
"""


@dataclass
class Entity:
    """An actor, place or weapon system, with its Wikidata item if it has one."""

    iri: str
    kind: str
    label: str
    aliases: list[str]
    wikidata: str | None
    candidates: list[str] = field(default_factory=list)
    first_seen_in_article: bool = False

    @property
    def names(self) -> set[str]:
        """Its label and aliases, normalised for matching."""
        return {normalise(name) for name in [self.label, *self.aliases]}


def normalise(name: str) -> str:
    """Lower case, no accents, no punctuation, no parenthetical remarks.

    >>> normalise("North Korea (DPRK)")
    'north korea'
    >>> normalise("Péter Szijjártó")
    'peter szijjarto'
    """
    name = re.sub(r"\(.*?\)", " ", name)
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9 ]", "", name.lower()).split())


def reference_rows() -> list[dict[str, str]]:
    """The rows of ``wikidata-links.tsv``."""
    with WIKIDATA_LINKS_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def link_report(store: Store) -> list[Entity]:
    """Every entity, linked or not; unlinked ones carry their candidate links."""
    entities = []
    solutions = select(store, ENTITIES)
    for row in solutions:
        aliases = row["aliases"].value.split("\u001f") if row["aliases"] is not None and row["aliases"].value else []
        entities.append(Entity(
            iri=row["entity"].value, kind=row["kind"].value, label=row["label"].value, aliases=aliases,
            wikidata=row["wikidata"].value if row["wikidata"] is not None else None,
            first_seen_in_article=row["linkStatus"] is not None,
        ))  # fmt: skip
    linked_by_name: dict[str, list[Entity]] = {}
    for entity in entities:
        if entity.wikidata:
            for name in entity.names:
                linked_by_name.setdefault(name, []).append(entity)
    reference = [(normalise(row["label"]), row) for row in reference_rows() if row["status"] != "verified"]
    for entity in entities:
        if entity.wikidata:
            continue
        for name in sorted(entity.names):
            for other in linked_by_name.get(name, []):
                if other.iri != entity.iri:
                    entity.candidates.append(f"{other.wikidata} (as {other.label}, matched on '{name}')")
        for name, row in reference:
            if name and (name in entity.names or any(name.startswith(n + " ") for n in entity.names if n)):
                entity.candidates.append(f"listed in wikidata-links.tsv as {row['status']}: '{row['label']}'")
        entity.candidates = list(dict.fromkeys(entity.candidates))
    return entities
