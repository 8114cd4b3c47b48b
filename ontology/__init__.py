"""The ontology as code: file locations, the reference vocabulary and the query catalogue.

The Turtle files in this folder are the source of truth; this module only finds
and reads them, so loaders, the graph layer and the server share one copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pyoxigraph as ox

from missilekg.ontology.namespaces import GRAPH, ID, XSD

ONTOLOGY_DIR = HERE = Path(__file__).parent
ONTOLOGY_FILE = HERE / "missilekg.ttl"
CONCEPTS_FILE = HERE / "concepts.ttl"
VOCABULARY_FILE = HERE / "vocabulary.ttl"
SHAPES_FILE = HERE / "shapes.ttl"
WIKIDATA_LINKS_FILE = HERE / "wikidata-links.tsv"


#: The named graphs that hold the ontology itself, keyed by the file that fills them.
ONTOLOGY_GRAPHS: dict[Path, str] = {
    ONTOLOGY_FILE: GRAPH + "ontology",
    CONCEPTS_FILE: GRAPH + "ontology",
    VOCABULARY_FILE: GRAPH + "vocabulary",
}


@cache
def vocabulary_refs() -> frozenset[str]:
    """The short references (``person/john-kirby``) of every vocabulary individual.

    >>> "person/john-kirby" in vocabulary_refs()
    True
    """
    refs = set()
    for quad in ox.parse(path=str(VOCABULARY_FILE), format=ox.RdfFormat.TURTLE):
        subject = quad.subject
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(ID):
            refs.add(subject.value[len(ID) :])
    return frozenset(refs)


@dataclass(frozen=True)
class NamedQuery:
    """A catalogue query: its name (``Q2``), title, description and SPARQL text."""

    name: str
    title: str
    description: str
    sparql: str

    @property
    def parameters(self) -> dict[str, str]:
        """The query's parameters: each one-value ``VALUES ?name { default }`` block, by name.

        >>> query_catalogue()["Q11"].parameters
        {'asOf': '"2024-03-01"^^xsd:date'}
        """
        return {m["name"]: m["value"].strip() for m in _PARAMETER.finditer(self.sparql)}

    def bind(self, **values: object) -> str:
        """The SPARQL text with parameters set: dates, numbers, booleans, IRIs (``http…``) or strings.

        >>> "2024-06-30" in query_catalogue()["Q11"].bind(asOf=__import__("datetime").date(2024, 6, 30))
        True
        """
        unknown = set(values) - set(self.parameters)
        if unknown:
            known = ", ".join(self.parameters) or "none"
            raise ValueError(f"{self.name} has no parameter {', '.join(sorted(unknown))}; its parameters: {known}")
        sparql = self.sparql
        for name, value in values.items():
            term = _sparql_term(value)

            def fill(m: re.Match[str], term: str = term) -> str:
                return f"{m[1]} {term} {m[2]}"

            sparql = re.sub(rf"(VALUES\s+\?{name}\s*\{{)[^}}]*(\}})", fill, sparql)
        return sparql


_PARAMETER = re.compile(r"VALUES\s+\?(?P<name>\w+)\s*\{(?P<value>[^}]*)\}")


def _sparql_term(value: object) -> str:
    """A Python value written as a SPARQL term."""
    import datetime

    xsd = XSD
    if isinstance(value, bool):
        return f'"{str(value).lower()}"^^<{xsd}boolean>'
    if isinstance(value, datetime.datetime):
        return f'"{value.isoformat()}"^^<{xsd}dateTime>'
    if isinstance(value, datetime.date):
        return f'"{value.isoformat()}"^^<{xsd}date>'
    if isinstance(value, int):
        return f'"{value}"^^<{xsd}integer>'
    if isinstance(value, float):
        return f'"{value!r}"^^<{xsd}double>'
    text = str(value)
    if re.fullmatch(r"https?://[^\s<>\"{}|^`\\]+", text):
        return f"<{text}>"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


_HEADER = re.compile(r"^#\s*(?P<key>title|description|requires):\s*(?P<value>.*)$", re.MULTILINE)


def _parse_query(name: str, sparql: str) -> NamedQuery:
    fields: dict[str, list[str]] = {}
    for match in _HEADER.finditer(sparql):
        fields.setdefault(match["key"], []).append(match["value"].strip())
    return NamedQuery(
        name=name,
        title=" ".join(fields.get("title", [name])),
        description=" ".join(fields.get("description", [])),
        sparql=sparql,
    )


def _load_queries(package: str) -> dict[str, NamedQuery]:
    """The ``*.rq`` files of a package folder as named queries, keyed by name, in natural order."""
    folder = resources.files(package)
    entries = [entry for entry in folder.iterdir() if entry.name.endswith(".rq")]

    def natural(entry: Traversable) -> tuple[int, str]:
        stem = entry.name[:-3]
        digits = re.sub(r"\D", "", stem)
        return (int(digits) if digits else 10**6, stem)

    return {
        entry.name[:-3]: _parse_query(entry.name[:-3], entry.read_text(encoding="utf-8"))
        for entry in sorted(entries, key=natural)
    }


@cache
def query_catalogue() -> dict[str, NamedQuery]:
    """The competency questions, ``ontology/queries/*.rq``, keyed by name, in natural order.

    >>> query_catalogue()["Q2"].title
    'How did the claimed numbers evolve over time, and who claimed each?'
    """
    return _load_queries("missilekg.ontology.queries")


@cache
def analysis_catalogue() -> dict[str, NamedQuery]:
    """The analyses beyond the competency questions, ``ontology/queries/analyses/*.rq`` (Q13 on).

    Kept apart so that the competency questions stay the fixed set their tests check:
    disputed claims (Q13), how weapons were identified (Q14), supply to use (Q15).

    >>> list(analysis_catalogue())
    ['Q13', 'Q14', 'Q15']
    """
    return _load_queries("missilekg.ontology.queries.analyses")


def full_catalogue() -> dict[str, NamedQuery]:
    """The competency questions followed by the analyses: every named query."""
    return {**query_catalogue(), **analysis_catalogue()}


def named_query(name: str) -> NamedQuery:
    """Look a named query (a competency question or an analysis) up by name, case-insensitively."""
    catalogue = full_catalogue()
    for key, query in catalogue.items():
        if key.lower() == name.lower():
            return query
    raise KeyError(f"no query named {name!r}; the catalogue has {', '.join(catalogue)}")
