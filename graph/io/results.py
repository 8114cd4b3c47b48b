"""Turning query results into what people and programs read: tables, CSV, JSON."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

import pyoxigraph as ox

from missilekg.graph.store.base import QueryResult
from missilekg.ontology.namespaces import PREFIXES

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}


def compact(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """A short, readable form of a term: prefixed names, plain literal values.

    >>> compact(ox.NamedNode("https://missilekg.org/id/person/john-kirby"))
    'person:john-kirby'
    >>> compact(ox.Literal("24", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
    '24'
    >>> compact(None)
    ''
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def table(variables: list[str], rows: Iterable[list[str]], max_width: int = 60) -> str:
    """A plain-text table, each cell cut to ``max_width`` characters."""

    def cut(cell: str) -> str:
        cell = " ".join(cell.split())
        return cell if len(cell) <= max_width else cell[: max_width - 1] + "…"

    body = [[cut(cell) for cell in row] for row in rows]
    widths = [max([len(v), *(len(row[i]) for row in body)]) for i, v in enumerate(variables)]
    lines = [" | ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines)


def write_result(result: QueryResult, output: IO[bytes], fmt: str) -> None:
    """Write a SELECT/ASK/CONSTRUCT result as ``table``, a SPARQL results format, or Turtle."""
    if isinstance(result, ox.QueryTriples):
        ox.serialize(result, output, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        return
    if fmt == "table":
        if isinstance(result, ox.QueryBoolean):
            output.write(b"true\n" if bool(result) else b"false\n")
            return
        variables = [v.value for v in result.variables]
        rows = ([compact(solution[v]) for v in variables] for solution in result)
        output.write((table(variables, rows) + "\n").encode("utf-8"))
        return
    if fmt not in RESULT_FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; choose table, {', '.join(RESULT_FORMATS)}")
    result.serialize(output, RESULT_FORMATS[fmt])
