"""Titles a reader expects for the graph's entities, not file stems and slugs.

A statement is titled by its speaker, date and the start of the claim
("John Kirby, 2024-04-04: “Kirby stated that while Iran has not supplied…”"); a
strike by place, date and weapon; a transfer by its parties, items and status;
an article by its headline (or author and date); an evidence span by its quote;
anything else by its preferred label (or its prefixed name). The entity pages,
the views and the query page's results table (through ``/labels``) share them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from missilekg.graph.store.base import Store, select
from missilekg.ontology.namespaces import ID, MKG, OA, RDFS, SCHEMA, SKOS, prefixed

LABELS = f"<{SKOS}prefLabel>|<{RDFS}label>"
CLAIM_START = 70


def claim_start(text: str, limit: int = CLAIM_START) -> str:
    """The first words of a claim, cut at a word boundary, with an ellipsis when cut.

    >>> claim_start("Kirby stated that while Iran has not supplied short-range ballistic missiles to Russia", 40)
    'Kirby stated that while Iran has not…'
    """
    text = " ".join(text.split()).lstrip("\"“ ")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


class Titles:
    """Titles of entities read from one store, cached for the request that made it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[str, str] = {}

    def label(self, term: ox.NamedNode) -> str:
        """The preferred label, else rdfs:label, else the prefixed name."""
        rows = list(select(self.store, f"SELECT ?l WHERE {{ {term} <{SKOS}prefLabel> ?l }} LIMIT 1"))
        rows = rows or list(select(self.store, f"SELECT ?l WHERE {{ {term} <{RDFS}label> ?l }} LIMIT 1"))
        return rows[0]["l"].value if rows else prefixed(term.value)

    def _kinds(self, term: ox.NamedNode) -> set[str]:
        return {row["t"].value[len(MKG) :] for row in select(self.store, f"SELECT ?t WHERE {{ {term} a ?t }}")
                if row["t"].value.startswith(MKG)}  # fmt: skip

    def _values(self, term: ox.NamedNode, path: str) -> list[str]:
        """Distinct values (labels for IRIs) at ``path`` from the entity, in order."""
        query = f"""SELECT DISTINCT ?v (SAMPLE(?l) AS ?label) WHERE {{ {term} {path} ?v
                    OPTIONAL {{ ?v <{SKOS}prefLabel> ?l }} }} GROUP BY ?v ORDER BY ?v"""
        found = []
        for row in select(self.store, query):
            value = row["v"]
            text = row["label"].value if row["label"] is not None else (
                value.value if isinstance(value, ox.Literal) else prefixed(value.value))  # fmt: skip
            found.append(text)
        return found

    def title(self, term: ox.NamedNode) -> str:
        """The title of one entity (see the module's description)."""
        if term.value not in self._cache:
            kinds = self._kinds(term)
            if "Statement" in kinds:
                text = self._statement(term)
            elif "Strike" in kinds:
                text = self._strike(term)
            elif kinds & {"Transfer", "UnrealisedTransfer"}:
                text = self._transfer(term)
            elif "Article" in kinds:
                text = self._article(term)
            elif term.value.startswith(ID + "evidence/"):
                quote = self._values(term, f"<{OA}hasSelector>/<{OA}exact>")
                text = f"Evidence: “{claim_start(quote[0])}”" if quote else self.label(term)
            else:
                text = self.label(term)
            self._cache[term.value] = text
        return self._cache[term.value]

    def titles(self, terms: Iterable[ox.NamedNode]) -> dict[str, str]:
        """Titles of many entities, keyed by IRI."""
        return {term.value: self.title(term) for term in terms}

    def _statement(self, term: ox.NamedNode) -> str:
        speaker = ", ".join(self._values(term, f"<{MKG}speaker>")) or "Unknown speaker"
        date = next(iter(self._values(term, f"<{MKG}dateStated>")), "undated")
        claim = next(iter(self._values(term, f"<{MKG}evidenceText>")), "")
        return f"{speaker[:1].upper()}{speaker[1:]}, {date}: “{claim_start(claim)}”" if claim else f"{speaker}, {date}"

    def _article(self, term: ox.NamedNode) -> str:
        """Its headline; else who wrote or published it and when, as far as the article says."""
        headline = self._values(term, f"<{SCHEMA}headline>")
        if headline:
            return headline[0]
        by = self._values(term, f"<{MKG}author>") or self._values(term, f"<{MKG}publisher>")
        published = self._values(term, f"<{MKG}datePublished>")
        after = self._values(term, f"<{MKG}publishedAfter>")
        when = f", published {published[0][:10]}" if published else f", published after {after[0]}" if after else ""
        return f"Untitled article{' by ' + by[0] if by else ''}{when}"

    def _strike(self, term: ox.NamedNode) -> str:
        query = f"""SELECT ?l WHERE {{ {term} <{MKG}strikeLocation> ?p . ?p <{SKOS}prefLabel> ?l
                    FILTER NOT EXISTS {{ {term} <{MKG}strikeLocation> ?inner . ?inner <{MKG}locatedIn> ?p }} }}
                    ORDER BY ?l LIMIT 1"""
        places = [row["l"].value for row in select(self.store, query)]
        dates = self._values(term, f"<{MKG}strikeDate>")
        weapons = self._values(term, f"<{MKG}weaponUsed>")
        where = f" in {places[0]}" if places else ""
        when = f" on {dates[0]}" if dates else " (date not stated)"
        return f"Strike{where}{when}" + (f": {', '.join(weapons)}" if weapons else "")

    def _transfer(self, term: ox.NamedNode) -> str:
        supplier = " / ".join(self._values(term, f"<{MKG}supplier>")) or "?"
        recipient = " / ".join(self._values(term, f"<{MKG}recipient>")) or "?"
        items = ", ".join(self._values(term, f"<{MKG}item>"))
        status = self._values(term, f"<{MKG}transferStatus>|<{MKG}modality>")
        return f"{supplier} to {recipient}: {items}" + (f" ({', '.join(status)})" if status else "")
