"""Claims as Wikidata-shaped statements: Wikibase JSON (the data model's entity JSON) and QuickStatements.

Each claim (``mkg:Statement``) about a strike, transfer or proposition becomes
statements on an item for that thing: its facts as the claim's article gives
them (place, date, parties, weapon, count), each qualified by *point in time*
(when the claim was made), *stated by* (the speaker) and *stance*, ranked
*deprecated* when the claim denies or rules it out, and referenced by the
article (*reference URL*, *title*, *publication date*). A hedge becomes bounds:
"at least 24" is amount 24 with lower bound 24; "several dozen", which has no
number, is an unknown value ("somevalue").

Only verified Wikidata identifiers are written as such: items linked with
``skos:exactMatch`` from the vocabulary (verified rows of
``ontology/wikidata-links.tsv``) and properties whose label has a verified row
there. Everything else is an unlinked placeholder, ``missilekg:…``, listed under
``placeholders`` with its label (and IRI) for whoever maps it; none is guessed.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from typing import IO, Any

import pyoxigraph as ox

from missilekg.graph.io.titles import Titles
from missilekg.graph.store.base import Store, select
from missilekg.ontology import WIKIDATA_LINKS_FILE
from missilekg.ontology.namespaces import ID, MKG, SKOS, prefixed

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
#: The proleptic Gregorian calendar, the calendar model the Wikibase data model's time values name.
GREGORIAN = WIKIDATA_ENTITY + "Q1985727"
PLACEHOLDER = "missilekg:"
AGAINST = {MKG + "Denies", MKG + "RulesOut"}
#: Roles of the statements written, each by the Wikidata property label that a verified row must carry.
ROLES = {
    "instance of": "wikibase-item", "country": "wikibase-item",
    "located in the administrative territorial entity": "wikibase-item", "participant": "wikibase-item",
    "point in time": "time", "stated by": "wikibase-item", "stance": "wikibase-item",
    "reference URL": "url", "title": "monolingualtext", "publication date": "time", "quantity": "quantity",
    "supplier": "wikibase-item", "recipient": "wikibase-item", "item transferred": "wikibase-item",
    "weapon used": "wikibase-item", "transfer status": "wikibase-item", "claim": "wikibase-item",
}  # fmt: skip
#: What each fact of a strike or transfer becomes: the graph's property, and the role it is written as.
FACTS = {
    MKG + "strikeDate": "point in time", MKG + "strikeLocation": "located in the administrative territorial entity",
    MKG + "strikeCountry": "country", MKG + "weaponUsed": "weapon used", MKG + "perpetrator": "participant",
    MKG + "supplier": "supplier", MKG + "recipient": "recipient", MKG + "item": "item transferred",
    MKG + "transferStatus": "transfer status", MKG + "modality": "transfer status",
}  # fmt: skip
QUANTITIES = {MKG + "missileCount", MKG + "transferQuantity", MKG + "quantity"}
VAGUE = {"SeveralDozen", "Dozens", "Hundreds", "HundredsOfThousands", "Multiple"}


def verified_ids() -> dict[str, str]:
    """Verified rows of ``ontology/wikidata-links.tsv``: label → identifier (items and properties)."""
    with WIKIDATA_LINKS_FILE.open(encoding="utf-8") as handle:
        return {row["label"]: row["qid_or_pid"] for row in csv.DictReader(handle, delimiter="\t")
                if row["status"] == "verified" and row["qid_or_pid"]}  # fmt: skip


@dataclass
class Statements:
    """Wikibase entities under construction, and the placeholders they use."""

    store: Store
    verified: dict[str, str] = field(default_factory=verified_ids)
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    placeholders: dict[str, dict[str, str]] = field(default_factory=dict)
    _labels: dict[str, str] = field(default_factory=dict)
    titles: Titles = field(init=False)
    _links: dict[str, str] | None = None

    def label(self, iri: str) -> str:
        """What a reader calls the entity (a strike by place and date, a claim by speaker and date…)."""
        if iri not in self._labels:
            self._labels[iri] = self.titles.title(ox.NamedNode(iri))
        return self._labels[iri]

    def __post_init__(self) -> None:
        self.titles = Titles(self.store)

    def item_id(self, iri: str) -> str:
        """A verified QID for an IRI of the graph, or its placeholder."""
        if self._links is None:
            allowed = set(self.verified.values())
            query = f"SELECT ?e ?w WHERE {{ ?e <{SKOS}exactMatch> ?w FILTER STRSTARTS(STR(?w), '{WIKIDATA_ENTITY}') }}"
            self._links = {row["e"].value: row["w"].value[len(WIKIDATA_ENTITY) :] for row in select(self.store, query)
                           if row["w"].value[len(WIKIDATA_ENTITY) :] in allowed}  # fmt: skip
        if iri in self._links:
            return self._links[iri]
        local = iri[len(ID) :] if iri.startswith(ID) else prefixed(iri)
        key = PLACEHOLDER + local
        self.placeholders.setdefault(key, {"kind": "item", "label": self.label(iri), "iri": iri})
        return key

    def property_id(self, role: str) -> str:
        """The verified PID of a role, or its placeholder."""
        if role in self.verified and self.verified[role].startswith("P"):
            return self.verified[role]
        key = PLACEHOLDER + "property/" + role.replace(" ", "-")
        self.placeholders.setdefault(key, {"kind": "property", "label": role, "datatype": ROLES[role]})
        return key

    def entity(self, iri: str) -> dict[str, Any]:
        """The entity JSON of the item for an IRI, created on first use."""
        key = self.item_id(iri)
        if key not in self.entities:
            entity: dict[str, Any] = {"type": "item", "labels": {"en": {"language": "en", "value": self.label(iri)}},
                                      "descriptions": {}, "aliases": {}, "claims": {}, "sitelinks": {}}  # fmt: skip
            entity["id"] = key
            self.entities[key] = entity
        return self.entities[key]


def _snak(prop: str, datatype: str, value: Any | None) -> dict[str, Any]:
    if value is None:
        return {"snaktype": "somevalue", "property": prop, "datatype": datatype}
    kinds = {"wikibase-item": "wikibase-entityid", "url": "string"}
    return {"snaktype": "value", "property": prop, "datatype": datatype,
            "datavalue": {"value": value, "type": kinds.get(datatype, datatype)}}  # fmt: skip


def _time(day: str) -> dict[str, Any]:
    return {"time": f"+{day[:10]}T00:00:00Z", "timezone": 0, "before": 0, "after": 0, "precision": 11,
            "calendarmodel": GREGORIAN}  # fmt: skip


def _quantity(value: str | None, hedge: str) -> dict[str, Any] | None:
    """A hedged number as a Wikibase quantity: exact values get both bounds, lower bounds only a lower one."""
    if value is None or hedge in VAGUE:
        return None
    amount = f"+{value}" if not value.startswith(("+", "-")) else value
    quantity = {"amount": amount, "unit": "1"}
    if hedge == "Exactly":
        quantity.update(lowerBound=amount, upperBound=amount)
    elif hedge in {"AtLeast", "Over", "Likely"}:
        quantity["lowerBound"] = amount
    return quantity


CLAIMS = f"""PREFIX mkg: <{MKG}>
SELECT ?claim ?thing ?g ?speaker ?date ?stance ?article ?url ?title ?published ?after WHERE {{
  GRAPH ?g {{ ?claim a mkg:Statement ; mkg:asserts ?thing ; mkg:speaker ?speaker ; mkg:stance ?stance ;
                     mkg:reportedIn ?article }}
  OPTIONAL {{ ?claim mkg:dateStated ?date }}
  OPTIONAL {{ ?article <http://schema.org/url> ?url }}
  OPTIONAL {{ ?article <http://schema.org/headline> ?title }}
  OPTIONAL {{ ?article mkg:datePublished ?published }}
}} ORDER BY ?thing ?claim"""


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str | None:
    return term.value if term is not None else None


def build_statements(store: Store) -> dict[str, Any]:
    """The Wikibase JSON document of every claim about a strike, transfer or proposition."""
    out = Statements(store)
    for row in select(store, CLAIMS):
        thing, graph = row["thing"].value, row["g"]
        entity = out.entity(thing)
        kinds = [r["t"].value for r in select(store, f"SELECT ?t WHERE {{ GRAPH {graph} {{ <{thing}> a ?t }} }}")]
        against = row["stance"].value in AGAINST or bool(
            store.query(f"ASK {{ GRAPH {graph} {{ <{thing}> <{MKG}modality> <{MKG}Denied> }} }}"))  # fmt: skip
        qualifiers = _qualifiers(out, row)
        references = [_reference(out, row)]

        def add(role: str, value: Any | None, entity: dict[str, Any] = entity, against: bool = against,
                qualifiers: dict = qualifiers, references: list = references) -> None:
            prop = out.property_id(role)
            statement = {"mainsnak": _snak(prop, ROLES[role], value), "type": "statement",
                         "rank": "deprecated" if against else "normal", "qualifiers": qualifiers,
                         "qualifiers-order": list(qualifiers), "references": references}  # fmt: skip
            entity["claims"].setdefault(prop, []).append(statement)

        for kind in kinds:
            if kind.startswith(MKG):
                add("instance of", {"entity-type": "item", "id": out.item_id(kind)})
        facts = select(store, f"SELECT ?p ?o WHERE {{ GRAPH {graph} {{ <{thing}> ?p ?o }} }} ORDER BY ?p ?o")
        for fact in facts:
            role = FACTS.get(fact["p"].value)
            if role is None:
                continue
            value = fact["o"]
            if isinstance(value, ox.Literal):
                add(role, _time(value.value))
            else:
                add(role, {"entity-type": "item", "id": out.item_id(value.value)})
        owners = f"<{thing}> <{row['claim'].value}>"
        counted = ", ".join(f"<{q}>" for q in QUANTITIES)
        quantities = f"""SELECT ?v ?hedge WHERE {{ GRAPH {graph} {{ VALUES ?o {{ {owners} }} ?o ?p ?q .
            ?q <{MKG}hedge> ?hedge OPTIONAL {{ ?q <{MKG}value> ?v }} FILTER (?p IN ({counted})) }} }}"""
        for quantity in select(store, quantities):
            hedge = quantity["hedge"].value[len(MKG) :]
            add("quantity", _quantity(_value(quantity["v"]), hedge))
    entities = [out.entities[key] for key in sorted(out.entities)]
    return {"entities": entities, "placeholders": dict(sorted(out.placeholders.items()))}


def _qualifiers(out: Statements, row: ox.QuerySolution) -> dict[str, list[dict[str, Any]]]:
    """Point in time (the claim's date), stated by (the speaker), stance, and the claim itself."""
    qualifiers: dict[str, list[dict[str, Any]]] = {}

    def put(role: str, value: Any) -> None:
        prop = out.property_id(role)
        qualifiers.setdefault(prop, []).append(_snak(prop, ROLES[role], value))

    if row["date"] is not None:
        put("point in time", _time(row["date"].value))
    put("stated by", {"entity-type": "item", "id": out.item_id(row["speaker"].value)})
    put("stance", {"entity-type": "item", "id": out.item_id(row["stance"].value)})
    put("claim", {"entity-type": "item", "id": out.item_id(row["claim"].value)})
    return qualifiers


def _reference(out: Statements, row: ox.QuerySolution) -> dict[str, Any]:
    """The article as a reference: its URL, title and publication date, where the article gives them."""
    snaks: dict[str, list[dict[str, Any]]] = {}

    def put(role: str, value: Any) -> None:
        prop = out.property_id(role)
        snaks.setdefault(prop, []).append(_snak(prop, ROLES[role], value))

    if row["url"] is not None:
        put("reference URL", row["url"].value)
    if row["title"] is not None:
        put("title", {"text": row["title"].value, "language": "en"})
    if row["published"] is not None:
        put("publication date", _time(row["published"].value))
    if not snaks:  # no metadata: the article's own page on this graph stands for it
        put("reference URL", row["article"].value)
    return {"snaks": snaks, "snaks-order": list(snaks)}


def write_wikibase_json(store: Store, output: IO[bytes]) -> None:
    """The Wikibase JSON document, deterministic (sorted entities, stable order within each)."""
    output.write(json.dumps(build_statements(store), ensure_ascii=False, indent=1).encode("utf-8"))
    output.write(b"\n")


def _qs_value(snak: dict[str, Any]) -> str:
    """A snak's value in QuickStatements syntax."""
    if snak["snaktype"] == "somevalue":
        return "somevalue"
    value, kind = snak["datavalue"]["value"], snak["datavalue"]["type"]
    if kind == "wikibase-entityid":
        return value["id"]
    if kind == "time":
        return f"{value['time']}/{value['precision']}"
    if kind == "quantity":
        text = value["amount"]
        if "lowerBound" in value and "upperBound" in value and value["lowerBound"] != value["upperBound"]:
            text += f"[{value['lowerBound']},{value['upperBound']}]"
        return text
    if kind == "monolingualtext":
        return f'{value["language"]}:"{value["text"]}"'
    return f'"{value}"'


def write_quickstatements(store: Store, output: IO[bytes]) -> None:
    """The same statements as QuickStatements (V1, tab-separated); new items are created first (CREATE, LAST).

    Placeholders (``missilekg:…``) are written as they are: they must be mapped to identifiers of the
    target Wikibase before the batch is run.
    """
    document = build_statements(store)
    lines = []
    for entity in document["entities"]:
        subject = entity["id"]
        if subject.startswith(PLACEHOLDER):
            lines += ["CREATE", f'LAST\tLen\t"{entity["labels"]["en"]["value"]}"']
            subject = "LAST"
        for prop, statements in entity["claims"].items():
            for statement in statements:
                parts = [subject, prop, _qs_value(statement["mainsnak"])]
                for qualifiers in statement["qualifiers"].values():
                    for snak in qualifiers:
                        parts += [snak["property"], _qs_value(snak)]
                for reference in statement["references"]:
                    for snaks in reference["snaks"].values():
                        for snak in snaks:
                            parts += ["S" + snak["property"].removeprefix("P"), _qs_value(snak)]
                lines.append("\t".join(parts))
    output.write(("\n".join(lines) + "\n").encode("utf-8"))


WIKIBASE_FORMATS = {"wikibase": write_wikibase_json, "quickstatements": write_quickstatements}
