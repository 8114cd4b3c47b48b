"""SPARQL Update text for whole graphs, shared by the embedded and the remote store.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox


def insert_data(graph: ox.NamedNode | ox.DefaultGraph, triples: Iterable[ox.Triple]) -> str:
    """``INSERT DATA`` of triples into one graph, named or the default graph ("" for none)."""
    triples = list(triples)
    if not triples:
        return ""
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None  # no output given: serialize returns the bytes
    body = data.decode("utf-8")
    if isinstance(graph, ox.DefaultGraph):
        return f"INSERT DATA {{\n{body}}}"
    return f"INSERT DATA {{ GRAPH <{graph.value}> {{\n{body}}} }}"


def graph_blocks(quads: Iterable[ox.Quad]) -> str:
    """Quads as ``GRAPH <g> { s p o . }`` blocks, which SPARQL's DATA clauses accept ("" for none)."""
    blocks: dict[str, list[str]] = {}
    for quad in quads:
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)  # printed in N-Triples syntax
        blocks.setdefault(str(quad.graph_name), []).append(f"{triple} .")
    default = blocks.pop(str(ox.DefaultGraph()), [])  # the default graph's triples stand outside any GRAPH block
    named = "".join(f"GRAPH {graph} {{\n" + "\n".join(lines) + "\n}\n" for graph, lines in blocks.items())
    return "".join(f"{line}\n" for line in default) + named


def drop_graphs(graphs: Iterable[ox.NamedNode | ox.DefaultGraph]) -> str:
    """One update dropping the graphs (missing ones are ignored; the default graph is emptied; "" for none)."""
    return " ;\n".join(_drop(graph) for graph in graphs)


def _drop(graph: ox.NamedNode | ox.DefaultGraph) -> str:
    return "DROP SILENT DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"DROP SILENT GRAPH <{graph.value}>"
