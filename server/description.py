"""The SPARQL 1.1 Service Description of the endpoint and VoID statistics of its dataset.

Both are RDF, built here as triples and serialized like any CONSTRUCT result.
The statistics are counted with SPARQL and cached per store generation, so a
write (or a rebuild) shows up in them and a busy endpoint does not recount.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from missilekg.graph.reasoning.graphs import UP_TO_DATE
from missilekg.graph.store.base import Store, select
from missilekg.ontology.namespaces import DCT, FORMATS, RDF_TYPE, SD, VOID, XSD_BOOLEAN, XSD_INTEGER

DCT_TITLE = ox.NamedNode(DCT + "title")


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _void(name: str) -> ox.NamedNode:
    return ox.NamedNode(VOID + name)


def _count(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INTEGER)


class Statistics:
    """Counts of the dataset, recomputed when the dataset's generation changes."""

    def __init__(self) -> None:
        self._cache: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def of(self, store: Store, generation: str) -> dict[str, Any]:
        """Triples per graph, instances per class, triples per property, distinct subjects and objects.

        ``generation`` is the dataset's token (:meth:`missilekg.graph.store.dataset.Dataset.generation`),
        which every committed write changes.
        """
        with self._lock:
            cached = self._cache.get(generation)
        if cached is not None:
            return cached

        def rows(sparql: str) -> list[tuple[Any, ...]]:
            result = select(store, sparql)
            names = [v.value for v in result.variables]
            return [tuple(solution[n] for n in names) for solution in result]

        figures: dict[str, Any] = {
            "graphs": {g.value: int(n.value) for g, n in rows(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")},
            "classes": {c.value: int(n.value) for c, n in rows(
                "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER isIRI(?c) } GROUP BY ?c ORDER BY ?c")},
            "properties": {p.value: int(n.value) for p, n in rows(
                "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p")},
        }  # fmt: skip
        (subjects, objects, triples), *_ = rows(
            "SELECT (COUNT(DISTINCT ?s) AS ?ds) (COUNT(DISTINCT ?o) AS ?do) (COUNT(*) AS ?t) WHERE { ?s ?p ?o }"
        )
        figures |= {"subjects": int(subjects.value), "objects": int(objects.value), "triples": int(triples.value)}
        with self._lock:
            self._cache = {generation: figures}
        return figures


def void_triples(dataset: ox.NamedNode, endpoint: ox.NamedNode, figures: dict) -> Iterator[ox.Triple]:
    """The VoID description of the whole dataset and of each named graph as a subset."""
    yield ox.Triple(dataset, RDF_TYPE, _void("Dataset"))
    yield ox.Triple(dataset, DCT_TITLE, ox.Literal("missilekg: attributed claims about weapons used against Ukraine"))
    yield ox.Triple(dataset, _void("sparqlEndpoint"), endpoint)
    yield ox.Triple(dataset, _void("triples"), _count(figures["triples"]))
    yield ox.Triple(dataset, _void("distinctSubjects"), _count(figures["subjects"]))
    yield ox.Triple(dataset, _void("distinctObjects"), _count(figures["objects"]))
    yield ox.Triple(dataset, _void("classes"), _count(len(figures["classes"])))
    yield ox.Triple(dataset, _void("properties"), _count(len(figures["properties"])))
    yield ox.Triple(dataset, _void("uriSpace"), ox.Literal("https://missilekg.org/id/"))
    for number, (cls, entities) in enumerate(figures["classes"].items()):
        part = ox.NamedNode(f"{dataset.value}/class/{number}")
        yield ox.Triple(dataset, _void("classPartition"), part)
        yield ox.Triple(part, _void("class"), ox.NamedNode(cls))
        yield ox.Triple(part, _void("entities"), _count(entities))
    for number, (prop, triples) in enumerate(figures["properties"].items()):
        part = ox.NamedNode(f"{dataset.value}/property/{number}")
        yield ox.Triple(dataset, _void("propertyPartition"), part)
        yield ox.Triple(part, _void("property"), ox.NamedNode(prop))
        yield ox.Triple(part, _void("triples"), _count(triples))
    for number, (graph, triples) in enumerate(figures["graphs"].items()):
        subset = ox.NamedNode(f"{dataset.value}/graph/{number}")
        yield ox.Triple(dataset, _void("subset"), subset)
        yield ox.Triple(subset, RDF_TYPE, _void("Dataset"))
        yield ox.Triple(subset, _sd("name"), ox.NamedNode(graph))
        yield ox.Triple(subset, _void("triples"), _count(triples))


def service_triples(endpoint: ox.NamedNode, dataset: ox.NamedNode, figures: dict, *, update: bool,
                    federation: bool, inference_up_to_date: bool) -> Iterator[ox.Triple]:  # fmt: skip
    """The SPARQL 1.1 Service Description: languages, formats, features, and the dataset's graphs.

    It also says whether the inference graph is up to date, as the store itself
    records it (``<…/graph/inferred> mkg:upToDate true``), so a client can tell
    when answers that need derived triples may be incomplete.
    """
    yield ox.Triple(endpoint, RDF_TYPE, _sd("Service"))
    yield ox.Triple(endpoint, _sd("endpoint"), endpoint)
    yield ox.Triple(endpoint, _sd("supportedLanguage"), _sd("SPARQL11Query"))
    if update:
        yield ox.Triple(endpoint, _sd("supportedLanguage"), _sd("SPARQL11Update"))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "RDF_XML", "JSON-LD"):  # fmt: skip
        yield ox.Triple(endpoint, _sd("resultFormat"), ox.NamedNode(FORMATS + name))
    yield ox.Triple(endpoint, _sd("feature"), _sd("UnionDefaultGraph"))
    if federation:
        yield ox.Triple(endpoint, _sd("feature"), _sd("BasicFederatedQuery"))
    rl = ox.NamedNode("http://www.w3.org/ns/owl-profile/RL")
    yield ox.Triple(endpoint, _sd("defaultSupportedEntailmentProfile"), rl)
    yield ox.Triple(endpoint, _sd("defaultDataset"), dataset)
    yield ox.Triple(dataset, RDF_TYPE, _sd("Dataset"))
    default = ox.NamedNode(f"{dataset.value}/default-graph")
    yield ox.Triple(dataset, _sd("defaultGraph"), default)
    yield ox.Triple(default, RDF_TYPE, _sd("Graph"))
    yield ox.Triple(default, _void("triples"), _count(figures["triples"]))
    fresh = ox.Literal("true" if inference_up_to_date else "false", datatype=XSD_BOOLEAN)
    yield ox.Triple(UP_TO_DATE.subject, UP_TO_DATE.predicate, fresh)
    for number, (graph, triples) in enumerate(figures["graphs"].items()):
        named = ox.NamedNode(f"{dataset.value}/named/{number}")
        description = ox.NamedNode(f"{named.value}/graph")
        yield ox.Triple(dataset, _sd("namedGraph"), named)
        yield ox.Triple(named, RDF_TYPE, _sd("NamedGraph"))
        yield ox.Triple(named, _sd("name"), ox.NamedNode(graph))
        yield ox.Triple(named, _sd("graph"), description)
        yield ox.Triple(description, RDF_TYPE, _sd("Graph"))
        yield ox.Triple(description, _void("triples"), _count(triples))
