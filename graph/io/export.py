"""Exports of the graph in the standard RDF syntaxes, serialized by pyoxigraph."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import IO

import pyoxigraph as ox

from missilekg.graph.reasoning.graphs import DERIVED_GRAPHS
from missilekg.graph.store.base import Store
from missilekg.ontology.errors import MissilekgError
from missilekg.ontology.namespaces import PREFIXES

#: Export format names accepted on the command line, and the syntax each means.
FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

class ExportError(MissilekgError, ValueError):
    """An export was asked for in a format or of a graph that does not exist."""


def _sorted_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of ``quads`` in N-Triples order: the same graph always gives the same sequence."""
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)


def export(store: Store, output: IO[bytes], fmt: str, *, graph: str | None = None,
           include_inferred: bool = False) -> None:  # fmt: skip
    """Write the dataset, or one named graph, to ``output`` in format ``fmt``, deterministically.

    Quad formats (TriG, N-Quads) keep every named graph, one block per graph
    in IRI order, after the store's own default graph (empty unless written
    through the Graph Store's ``?default``). Triple formats write one graph
    when ``graph`` is given, else the union of the asserted graphs. The inference graphs are left out unless
    ``include_inferred`` is set. Triples are sorted, so an unchanged graph
    exports to the same bytes and a diff between two exports means something;
    Turtle and TriG group each subject's triples under it, with the prefixes.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rdf_format = FORMATS[fmt]
    names = {g.value for g in store.named_graphs()}
    if graph is not None:
        if graph not in names:
            raise ExportError(f"no graph named <{graph}> in the store")
        triples = _sorted_triples(store.quads(ox.NamedNode(graph)))
        if rdf_format.supports_datasets:
            name = ox.NamedNode(graph)
            ox.serialize((ox.Quad(t.subject, t.predicate, t.object, name) for t in triples), output, rdf_format,
                         prefixes=PREFIXES)  # fmt: skip
        else:
            ox.serialize(triples, output, rdf_format, prefixes=PREFIXES)
        return
    derived = {g.value for g in DERIVED_GRAPHS}
    selected = sorted(n for n in names if include_inferred or n not in derived)
    if rdf_format.supports_datasets:

        def quads() -> Iterator[ox.Quad]:
            for t in _sorted_triples(store.quads(ox.DefaultGraph())):  # what the Graph Store's ?default holds
                yield ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
            for name in selected:
                node = ox.NamedNode(name)
                for t in _sorted_triples(store.quads(node)):
                    yield ox.Quad(t.subject, t.predicate, t.object, node)

        ox.serialize(quads(), output, rdf_format, prefixes=PREFIXES)
    else:
        named = (q for name in selected for q in store.quads(ox.NamedNode(name)))
        union = itertools.chain(store.quads(ox.DefaultGraph()), named)
        ox.serialize(_sorted_triples(union), output, rdf_format, prefixes=PREFIXES)


def export_default_graph(store: Store, output: IO[bytes], rdf_format: ox.RdfFormat) -> None:
    """The store's own default graph (what the Graph Store's ``?default`` writes), sorted, with the prefixes."""
    ox.serialize(_sorted_triples(store.quads(ox.DefaultGraph())), output, rdf_format, prefixes=PREFIXES)
