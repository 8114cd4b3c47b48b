"""Incremental inference: additions looked up in the store, removals and replacements by delete and rederive.

Every change is checked against a full recompute of the same asserted graphs
(sets of triples compared), on the real on-disk store.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from benchmarks.synthetic_graph import synthetic_quads
from missilekg.graph.loading.build import build, load_articles, remove_articles, replace_and_infer
from missilekg.graph.reasoning.engines import derive
from missilekg.graph.reasoning.graphs import DERIVED_GRAPHS, INFERRED_GRAPH, PROVENANCE_GRAPH
from missilekg.graph.reasoning.maintenance import StoreClosure, inference_change
from missilekg.graph.reasoning.native import Reasoner
from missilekg.graph.reasoning.passes import has_provenance, infer
from missilekg.graph.reasoning.rules import domain_rules
from missilekg.graph.store.base import Store
from missilekg.graph.store.embedded import EmbeddedStore
from tests.conftest import SEEDS

OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SCHEMA = ox.NamedNode("urn:test:schema")


def ex(name: str) -> ox.NamedNode:
    return ox.NamedNode(f"urn:test:{name}")


def inferred(store: Store) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(INFERRED_GRAPH)}


def recomputed(store: Store) -> set[ox.Triple]:
    """What a full pass derives from the graphs the store asserts now."""
    asserted = [q for q in store.quads() if q.graph_name not in DERIVED_GRAPHS]
    return set(derive(iter(asserted)).triples())


def without_provenance(store: Store) -> Store:
    """Inference rewritten with no provenance graph (what removal maintains incrementally)."""
    infer(store, provenance=False)
    assert not has_provenance(store)
    return store


def small_store(tmp_path: Path, schema: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode]],
                articles: dict[str, list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode]]]) -> Store:  # fmt: skip
    """An on-disk store with a schema graph and one graph per article, inferred without provenance."""
    store = EmbeddedStore(tmp_path / "store")
    graphs = {SCHEMA: [ox.Quad(*t, SCHEMA) for t in schema]}
    graphs |= {ex(name): [ox.Quad(*t, ex(name)) for t in triples] for name, triples in articles.items()}
    replace_and_infer(store, graphs, infer=True)
    return without_provenance(store)


def remove(store: Store, *names: str) -> str:
    report = replace_and_infer(store, {}, infer=True, remove=[ex(name) for name in names])
    assert report.inference is not None
    return report.inference.engine


# -- removal and replacement on the seeds ------------------------------------------------


@pytest.fixture
def seed_store(tmp_path: Path) -> Store:
    store = EmbeddedStore(tmp_path / "store")
    build(store, SEEDS)
    return without_provenance(store)


@pytest.mark.parametrize("stem", ["001_b57d21d69b0ca47c", "002_71cf9cdf8a4212f3", "000_87d0ee4506161818"])
def test_removing_a_seed_article_equals_a_full_recompute(seed_store, stem):
    before = inferred(seed_store)
    remove_articles(seed_store, [stem])
    assert inferred(seed_store) == recomputed(seed_store)
    assert inferred(seed_store) != before
    report = load_articles(seed_store, [SEEDS / f"{stem}.txt"])
    assert report.inference is not None and "incremental" in report.inference.engine
    assert inferred(seed_store) == before


def test_removal_is_incremental_and_a_full_pass_when_provenance_is_kept(seed_store, tmp_path):
    graph = next(g for g in seed_store.named_graphs() if "/article/" in g.value)
    removed = list(seed_store.quads(graph))
    change = inference_change(seed_store, removed, [])
    assert change is not None and "delete and rederive" in change[2].engine
    with_provenance = EmbeddedStore(tmp_path / "other")
    build(with_provenance, SEEDS, provenance=True)
    assert has_provenance(with_provenance)
    assert inference_change(with_provenance, removed, []) is None


def test_replacing_a_seed_article_equals_a_full_recompute(seed_store):
    stem = "001_b57d21d69b0ca47c"
    before = inferred(seed_store)
    graph = next(g for g in seed_store.named_graphs() if stem in g.value)
    quads = list(seed_store.quads(graph))
    # Drop a third of its quads and add a new claim: a replacement that both removes and adds.
    kept = [q for i, q in enumerate(quads) if i % 3]
    extra = ox.Quad(ex("new-strike"), ox.NamedNode("https://missilekg.org/ontology#strikeLocation"),
                    ox.NamedNode("https://missilekg.org/id/state/ukraine"), graph)  # fmt: skip
    report = replace_and_infer(seed_store, {graph: [*kept, extra]}, infer=True)
    assert report.inference is not None and "delete and rederive" in report.inference.engine
    assert inferred(seed_store) == recomputed(seed_store)
    assert inferred(seed_store) != before
    replace_and_infer(seed_store, {graph: quads}, infer=True)
    assert inferred(seed_store) == before


def test_removing_generated_articles_one_by_one_equals_a_full_recompute(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    graphs: dict[ox.NamedNode, list[ox.Quad]] = {}
    for quad in synthetic_quads(4000, seed=3):
        graphs.setdefault(quad.graph_name, []).append(quad)  # type: ignore[arg-type]
    replace_and_infer(store, graphs, infer=True)
    without_provenance(store)
    articles = sorted(g for g in graphs if "/article/synthetic-" in g.value)
    for graph in articles[::7][:6]:
        report = replace_and_infer(store, {}, infer=True, remove=[graph])
        assert report.inference is not None and "delete and rederive" in report.inference.engine
        assert inferred(store) == recomputed(store), graph


# -- support, sameness and chains across articles ----------------------------------------


def test_a_triple_with_two_supports_survives_the_removal_of_one(tmp_path):
    schema = [(ex("worksFor"), ox.NamedNode(RDFS + "domain"), ex("Person")),
              (ex("livesIn"), ox.NamedNode(RDFS + "domain"), ex("Person"))]  # fmt: skip
    store = small_store(tmp_path, schema, {
        "a": [(ex("ann"), ex("worksFor"), ex("acme"))],
        "b": [(ex("ann"), ex("livesIn"), ex("kyiv"))],
        "c": [(ex("ann"), ex("worksFor"), ex("acme"))],  # the same triple asserted twice
    })  # fmt: skip
    ann_is_person = ox.Triple(ex("ann"), RDF_TYPE, ex("Person"))
    assert ann_is_person in inferred(store)
    assert "delete and rederive" in remove(store, "a")
    assert ann_is_person in inferred(store), "still asserted in c, and derived through b"
    remove(store, "b")
    assert ann_is_person in inferred(store), "still derived from c"
    remove(store, "c")
    assert ann_is_person not in inferred(store)
    assert inferred(store) == recomputed(store) == set()


def test_sameness_across_articles_is_retracted_with_its_article(tmp_path):
    store = small_store(tmp_path, [(ex("name"), RDF_TYPE, ox.NamedNode(OWL + "FunctionalProperty"))], {
        "same": [(ex("x"), ox.NamedNode(OWL + "sameAs"), ex("y"))],
        "facts": [(ex("x"), ex("hit"), ex("kharkiv")), (ex("kharkiv"), ex("in"), ex("ukraine"))],
        "functional": [(ex("z"), ex("name"), ex("w1")), (ex("z"), ex("name"), ex("w2"))],
    })  # fmt: skip
    moved = ox.Triple(ex("y"), ex("hit"), ex("kharkiv"))
    assert moved in inferred(store)
    remove(store, "same")
    assert moved not in inferred(store)
    assert inferred(store) == recomputed(store)
    replace_and_infer(store, {ex("same"): [ox.Quad(ex("y"), ox.NamedNode(OWL + "sameAs"), ex("x"), ex("same"))]},
                      infer=True)  # fmt: skip
    assert moved in inferred(store)
    remove(store, "facts")
    assert moved not in inferred(store)
    assert inferred(store) == recomputed(store)
    remove(store, "functional")
    assert ox.Triple(ex("w1"), ox.NamedNode(OWL + "sameAs"), ex("w2")) not in inferred(store)
    assert inferred(store) == recomputed(store)


def test_transitive_chains_across_articles_keep_what_another_path_supports(tmp_path):
    part_of = ex("partOf")
    store = small_store(tmp_path, [(part_of, RDF_TYPE, ox.NamedNode(OWL + "TransitiveProperty"))], {
        "ab": [(ex("a"), part_of, ex("b"))],
        "bc": [(ex("b"), part_of, ex("c"))],
        "cd": [(ex("c"), part_of, ex("d"))],
        "bd": [(ex("b"), part_of, ex("d"))],  # a second way from b to d
    })  # fmt: skip
    assert {ox.Triple(ex("a"), part_of, ex(n)) for n in "cd"} <= inferred(store)
    remove(store, "bc")
    assert ox.Triple(ex("a"), part_of, ex("c")) not in inferred(store)
    assert ox.Triple(ex("a"), part_of, ex("d")) in inferred(store), "a -> b -> d still holds"
    assert inferred(store) == recomputed(store)
    remove(store, "bd")
    assert ox.Triple(ex("a"), part_of, ex("d")) not in inferred(store)
    assert inferred(store) == recomputed(store)


def test_a_derived_triple_that_becomes_asserted_and_then_unasserted(tmp_path):
    schema = [(ex("worksFor"), ox.NamedNode(RDFS + "domain"), ex("Person"))]
    store = small_store(tmp_path, schema, {"a": [(ex("ann"), ex("worksFor"), ex("acme"))]})
    typed = ox.Triple(ex("ann"), RDF_TYPE, ex("Person"))
    replace_and_infer(store, {ex("b"): [ox.Quad(*typed, ex("b"))]}, infer=True)
    assert typed not in inferred(store), "asserted now: it leaves the inference graph"
    remove(store, "b")
    assert typed in inferred(store), "derived again once no graph asserts it"
    assert inferred(store) == recomputed(store)


def test_schema_changes_fall_back_to_a_full_pass(tmp_path):
    schema = [(ex("worksFor"), ox.NamedNode(RDFS + "domain"), ex("Person"))]
    store = small_store(tmp_path, schema, {"a": [(ex("ann"), ex("worksFor"), ex("acme"))]})
    report = replace_and_infer(store, {SCHEMA: []}, infer=True)
    assert report.inference is not None and "incremental" not in report.inference.engine
    assert inferred(store) == recomputed(store) == set()


# -- additions look the closure up instead of reading it ------------------------------------


class CountingClosure(StoreClosure):
    """The store's closure, counting the triples its lookups return."""

    returned = 0

    def match(self, subject, predicate, obj):  # type: ignore[no-untyped-def]
        for triple in super().match(subject, predicate, obj):
            self.returned += 1
            yield triple


def test_an_addition_reads_a_small_part_of_the_store(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store._store.bulk_extend(synthetic_quads(20_000))
    infer(store, provenance=False)
    closure = CountingClosure(store)
    size = sum(1 for q in store.quads() if q.graph_name != PROVENANCE_GRAPH)
    article = ex("article")
    new = [ox.Quad(ox.NamedNode("https://missilekg.org/id/synthetic/person/1"),
                   ox.NamedNode("https://missilekg.org/ontology#affiliation"),
                   ox.NamedNode("https://missilekg.org/id/synthetic/org/5"), article)]  # fmt: skip
    inference = Reasoner(domain_rules(), derivations=False, closure=closure).run(new)
    assert len(inference) > 0
    assert closure.returned < size / 20, f"read {closure.returned} of {size} stored triples"
