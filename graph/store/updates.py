"""SPARQL Update text for whole graphs, shared by the embedded and the remote store.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox


def insert_data(graph: ox.NamedNode, triples: Iterable[ox.Triple]) -> str:
    """``INSERT DATA`` of triples into one graph ("" for none)."""
    triples = list(triples)
    if not triples:
        return ""
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return f"INSERT DATA {{ GRAPH <{graph.value}> {{\n{body}}} }}"


def graph_blocks(quads: Iterable[ox.Quad]) -> str:
    """Quads as ``GRAPH <g> { s p o . }`` blocks, which SPARQL's DATA clauses accept ("" for none)."""
    blocks: dict[str, list[str]] = {}
    for quad in quads:
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)  # printed in N-Triples syntax
        graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
        blocks.setdefault(graph, []).append(f"{triple} .")
    return "".join((f"GRAPH {graph} {{\n" if graph else "{\n") + "\n".join(lines) + "\n}\n"
                   for graph, lines in blocks.items())  # fmt: skip


def drop_graphs(graphs: Iterable[ox.NamedNode]) -> str:
    """One update dropping the graphs (missing ones are ignored; "" for none)."""
    return " ;\n".join(f"DROP SILENT GRAPH <{graph.value}>" for graph in graphs)
