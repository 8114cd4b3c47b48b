"""SHACL validation of the stored graph against ``ontology/shapes.ttl``."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
import pyshacl
import rdflib

from missilekg.graph.store.base import Store
from missilekg.ontology import SHAPES_FILE
from missilekg.ontology.namespaces import SHACL


@dataclass(frozen=True)
class ValidationReport:
    """Whether the graph conforms, and the report text when it does not."""

    conforms: bool
    text: str
    violations: int


def union_graph(store: Store) -> rdflib.Graph:
    """Every triple of the store's named graphs as one rdflib graph."""
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads()}
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    return graph


def validate(store: Store) -> ValidationReport:
    """Validate the union of all graphs (ontology included, so subclasses count)."""
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    conforms, report_graph, text = pyshacl.validate(
        union_graph(store), shacl_graph=shapes, inference="none", advanced=True
    )
    sh = rdflib.Namespace(SHACL)
    violations = sum(1 for _ in report_graph.subjects(rdflib.RDF.type, sh.ValidationResult))
    return ValidationReport(conforms=bool(conforms), text=str(text), violations=violations)
