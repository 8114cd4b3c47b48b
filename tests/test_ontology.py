"""The ontology is code: it parses, every term is documented, it is consistent, links are verified."""

from __future__ import annotations

import csv

import owlrl
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from missilekg.ontology import (
    CONCEPTS_FILE,
    ONTOLOGY_FILE,
    SHAPES_FILE,
    VOCABULARY_FILE,
    WIKIDATA_LINKS_FILE,
)
from missilekg.ontology.namespaces import MKG

FILES = [ONTOLOGY_FILE, CONCEPTS_FILE, VOCABULARY_FILE, SHAPES_FILE]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_parses_with_rdflib_and_pyoxigraph(path):
    graph = rdflib.Graph().parse(path, format="turtle")
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    assert len(graph) == len(set(quads)) > 10


def _ontology() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in (ONTOLOGY_FILE, CONCEPTS_FILE):
        graph.parse(path, format="turtle")
    return graph


def test_every_term_has_label_and_comment():
    graph = _ontology()
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
    terms = {s for kind in kinds for s in graph.subjects(RDF.type, kind) if str(s).startswith(MKG)}
    assert len(terms) > 80
    missing = sorted(
        str(t) for t in terms if graph.value(t, RDFS.label) is None or graph.value(t, RDFS.comment) is None
    )
    assert missing == []


def test_core_classes_and_alignment():
    graph = _ontology()
    mkg = rdflib.Namespace(MKG)
    for name in (
        "Actor",
        "Statement",
        "WeaponSystem",
        "Strike",
        "Transfer",
        "Place",
        "Article",
        "Quantity",
    ):
        assert (mkg[name], RDF.type, OWL.Class) in graph
    schema, prov = (
        rdflib.Namespace("http://schema.org/"),
        rdflib.Namespace("http://www.w3.org/ns/prov#"),
    )
    assert (mkg.Statement, RDFS.subClassOf, schema.Claim) in graph
    assert (mkg.Quantity, RDFS.subClassOf, schema.QuantitativeValue) in graph
    assert (mkg.speaker, RDFS.subPropertyOf, prov.wasAttributedTo) in graph
    assert (mkg.locatedIn, RDF.type, OWL.TransitiveProperty) in graph
    assert (mkg.ShortRangeBallisticMissile, RDFS.subClassOf, mkg.BallisticMissile) in graph
    chains = {s for s in graph.subjects(OWL.propertyChainAxiom, None)}
    assert {mkg.speakerState, mkg.involvesWeaponFrom, mkg.actorState} <= chains


def test_owl_rl_closure_finds_no_inconsistency(built_store):
    graph = rdflib.Graph()
    for quad in built_store.quads():
        if isinstance(quad.object, ox.Literal) and quad.object.datatype.value.endswith("#decimal"):
            obj = rdflib.Literal(quad.object.value, datatype=rdflib.XSD.decimal)
        elif isinstance(quad.object, ox.Literal):
            obj = rdflib.Literal(
                quad.object.value,
                lang=quad.object.language,
                datatype=None if quad.object.language else rdflib.URIRef(quad.object.datatype.value),
            )
        else:
            obj = rdflib.URIRef(quad.object.value)
        graph.add((rdflib.URIRef(quad.subject.value), rdflib.URIRef(quad.predicate.value), obj))
    before = len(graph)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    errors = rdflib.Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
    messages = [str(m) for m in graph.objects(None, errors.error)]
    assert messages == []
    assert len(graph) > before  # the closure did derive something
    mkg = rdflib.Namespace(MKG)
    kharkiv = rdflib.URIRef("https://missilekg.org/id/place/kharkiv")
    assert (
        kharkiv,
        mkg.locatedIn,
        rdflib.URIRef("https://missilekg.org/id/state/ukraine"),
    ) in graph


def _verified() -> dict[str, str]:
    with WIKIDATA_LINKS_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return {row["qid_or_pid"]: row["label"] for row in rows if row["status"] == "verified"}


def test_wikidata_links_come_only_from_verified_rows():
    graph = rdflib.Graph().parse(VOCABULARY_FILE, format="turtle")
    verified = _verified()
    linked = {
        str(o).rsplit("/", 1)[1]
        for p in (SKOS.exactMatch, SKOS.closeMatch, OWL.sameAs)
        for o in graph.objects(None, p)
        if str(o).startswith("http://www.wikidata.org/entity/")
    }
    assert linked, "the vocabulary links to Wikidata"
    assert linked <= set(verified), f"unverified identifiers: {sorted(linked - set(verified))}"


def test_each_wikidata_item_names_one_entity_whose_label_matches():
    graph = rdflib.Graph().parse(VOCABULARY_FILE, format="turtle")
    verified = _verified()
    seen: dict[str, str] = {}
    for entity, item in graph.subject_objects(SKOS.exactMatch):
        qid = str(item).rsplit("/", 1)[1]
        assert qid not in seen, f"{qid} is linked from {seen[qid]} and {entity}"
        seen[qid] = str(entity)
        label = str(graph.value(entity, SKOS.prefLabel))
        assert label.split()[0].lower() in verified[qid].lower(), (label, verified[qid])
