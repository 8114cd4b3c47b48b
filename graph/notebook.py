"""The graph from a notebook: queries in, typed pandas DataFrames out, in-process or over HTTP.

    >>> kg = open_graph("memory:")
    >>> df = kg.select('SELECT (1 AS ?n) ("2024-02-09"^^<http://www.w3.org/2001/XMLSchema#date> AS ?d) {}')
    >>> df["n"].dtype.kind, df["d"].dtype.kind
    ('i', 'M')

``open_graph("oxigraph:data/store")`` reads the store in this process;
``open_graph("http://127.0.0.1:5000/sparql")`` asks a running endpoint with
SPARQLWrapper. Both give the same frames: dates as datetimes, numbers as
numbers, booleans as booleans, everything else (IRIs, text) as strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyoxigraph as ox

from missilekg.ontology import named_query, query_catalogue
from missilekg.ontology.namespaces import XSD

if TYPE_CHECKING:
    import pandas as pd

INTEGERS = {f"{XSD}{t}" for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger",
                                  "negativeInteger", "nonPositiveInteger")}  # fmt: skip
NUMBERS = INTEGERS | {f"{XSD}decimal", f"{XSD}double", f"{XSD}float"}
DATES = {f"{XSD}date", f"{XSD}dateTime", f"{XSD}dateTimeStamp"}
BOOLEAN = f"{XSD}boolean"

Cell = tuple[str, str | None] | None  # (lexical value, datatype IRI or None), or unbound


def _column(cells: list[Cell]) -> pd.Series:
    """One column with the most specific type that every bound value has."""
    import pandas as pd

    bound = [cell for cell in cells if cell is not None]
    types = {cell[1] for cell in bound}
    values = [None if cell is None else cell[0] for cell in cells]
    if bound and types <= NUMBERS:
        numbers = pd.to_numeric(pd.Series(values, dtype="object"))
        if types <= INTEGERS and len(bound) == len(cells):
            return numbers.astype("int64")
        return numbers.astype("float64")
    if bound and types <= DATES:
        return pd.to_datetime(pd.Series(values, dtype="object"), utc=types != {f"{XSD}date"}, format="ISO8601")
    if bound and types == {BOOLEAN}:
        return pd.Series([None if v is None else v in ("true", "1") for v in values], dtype="boolean")
    return pd.Series(values, dtype="string")


def frame(variables: list[str], rows: Iterable[list[Cell]]) -> pd.DataFrame:
    """A DataFrame from SPARQL cells, typed column by column."""
    import pandas as pd

    table = list(rows)
    return pd.DataFrame({name: _column([row[i] for row in table]) for i, name in enumerate(variables)})


class KnowledgeGraph:
    """What a notebook does with the graph; :func:`open_graph` gives the local or remote kind."""

    def _select(self, sparql: str) -> tuple[list[str], list[list[Cell]]]:
        raise NotImplementedError

    def select(self, sparql: str) -> pd.DataFrame:
        """Run a SELECT query; one typed column per variable."""
        return frame(*self._select(sparql))

    def named(self, name: str, **parameters: object) -> pd.DataFrame:
        """Run a catalogue query (``Q2``...), with parameters where it has them (``asOf=date(2024, 3, 1)``)."""
        return self.select(named_query(name).bind(**parameters))

    def catalogue(self) -> pd.DataFrame:
        """The named queries: name, title, description, parameters."""
        import pandas as pd

        return pd.DataFrame([{"name": q.name, "title": q.title, "description": q.description,
                              "parameters": ", ".join(f"{k}={v}" for k, v in q.parameters.items())}
                             for q in query_catalogue().values()])  # fmt: skip


class LocalGraph(KnowledgeGraph):
    """A store opened in this process (read-only for an on-disk store)."""

    def __init__(self, spec: str) -> None:
        from missilekg.graph.store.spec import open_store, parse_spec

        self.store = open_store(spec, read_only=not parse_spec(spec).in_memory)

    def _select(self, sparql: str) -> tuple[list[str], list[list[Cell]]]:
        result = self.store.query(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise ValueError("select() needs a SELECT query")
        names = [v.value for v in result.variables]

        def cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Cell:
            if term is None:
                return None
            datatype = term.datatype.value if isinstance(term, ox.Literal) and not term.language else None
            return term.value, datatype

        return names, [[cell(solution[n]) for n in names] for solution in result]


class RemoteGraph(KnowledgeGraph):
    """A missilekg (or any SPARQL 1.1) endpoint, asked with SPARQLWrapper for SPARQL JSON."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint

    def _select(self, sparql: str) -> tuple[list[str], list[list[Cell]]]:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setQuery(sparql)
        client.setReturnFormat(JSON)
        document = client.query().convert()
        assert isinstance(document, dict)  # SPARQL JSON results convert to a dict
        names: list[str] = document["head"]["vars"]

        def cell(binding: dict[str, str] | None) -> Cell:
            if binding is None:
                return None
            return binding["value"], binding.get("datatype") if binding["type"] in (
                "literal",
                "typed-literal",
            ) else None

        return names, [[cell(row.get(n)) for n in names] for row in document["results"]["bindings"]]


def open_graph(target: str = "oxigraph:data/store") -> KnowledgeGraph:
    """The graph at ``target``: an endpoint URL (``http…/sparql``) or a store spec (``oxigraph:PATH``, ``memory:``)."""
    if target.startswith(("http://", "https://")):
        return RemoteGraph(target)
    return LocalGraph(target)


__all__ = ["KnowledgeGraph", "LocalGraph", "RemoteGraph", "frame", "open_graph"]
