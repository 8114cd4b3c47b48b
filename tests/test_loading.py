"""Loading: deterministic builds, clear errors on bad input, and a store left as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from missilekg.graph.loading.build import BuildError, build, load_articles
from missilekg.graph.store.embedded import EmbeddedStore
from missilekg.graph.store.spec import open_store
from missilekg.graph.validation import validate
from missilekg.loaders import AnnotationError, ArticleError, load_article
from missilekg.loaders.annotation import parse_annotation

from .conftest import SEEDS

ARTICLE = "001_b57d21d69b0ca47c"


def snapshot(store) -> set[ox.Quad]:
    return set(store.quads())


def per_graph(store) -> dict[str, rdflib.Graph]:
    graphs: dict[str, rdflib.Graph] = {}
    for name in store.named_graphs():
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(name)]
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        graphs[name.value] = rdflib.Graph().parse(data=data, format="nt")
    return graphs


def test_building_twice_gives_the_same_graph(built_store):
    again = EmbeddedStore()
    build(again, SEEDS)
    build(again, SEEDS)
    assert snapshot(again) == snapshot(built_store)
    assert len(again) == len(snapshot(again)), "no duplicate quads"
    mine, theirs = per_graph(again), per_graph(built_store)
    assert mine.keys() == theirs.keys()
    assert all(isomorphic(mine[name], theirs[name]) for name in mine)


def test_one_named_graph_per_article(built_store):
    names = {g.value for g in built_store.named_graphs()}
    articles = {n for n in names if n.startswith("https://missilekg.org/graph/article/")}
    assert len(articles) == 5
    assert {
        "https://missilekg.org/graph/ontology",
        "https://missilekg.org/graph/vocabulary",
    } <= names


def test_seed_graph_conforms_to_shapes(built_store):
    report = validate(built_store)
    assert report.conforms, report.text


def test_shapes_catch_a_quote_that_does_not_match_the_text(fresh_store):
    fresh_store.update(
        "PREFIX oa: <http://www.w3.org/ns/oa#> "
        'DELETE { GRAPH ?g { ?q oa:exact ?e } } INSERT { GRAPH ?g { ?q oa:exact "tampered" } } '
        "WHERE { GRAPH ?g { ?q oa:exact ?e } FILTER(STRENDS(STR(?q), 'statement-wood-nine-occasions/quote')) }"
    )
    report = validate(fresh_store)
    assert not report.conforms
    assert "not the article text at its offsets" in report.text


def test_article_text_is_kept_byte_for_byte(built_store):
    article = f"<https://missilekg.org/id/article/{ARTICLE}>"
    result = built_store.query(f"SELECT ?t WHERE {{ {article} <https://missilekg.org/ontology#text> ?t }}")
    text = next(iter(result))["t"].value
    assert text.encode("utf-8") == (SEEDS / f"{ARTICLE}.txt").read_bytes()


def copy_seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def corrupt(folder: Path, old: str, new: str) -> None:
    path = folder / f"{ARTICLE}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message", "line_of"),
    [
        ("    start: 530\n", "    start: 531\n", "in the article, not", "evidence:"),
        (
            "  speaker_role: United States Alternate",
            "  speaker_rol: United States Alternate",
            "unknown property",
            "speaker_rol:",
        ),
        ("  stance: accuses\n", "  stance: alleges\n", "stance", "stance: alleges"),
        (
            "speaker: person/robert-wood\n",
            "speaker: person/robert-woods\n",
            "unknown entity",
            "robert-woods",
        ),
        (
            "- id: wood-nine-occasions\n",
            "- id: wood-nine-occasions\n  speaker: [\n",
            "invalid YAML",
            None,
        ),
    ],
    ids=["bad-offsets", "unknown-property", "bad-stance", "unknown-entity", "broken-yaml"],
)
def test_corrupted_annotation_is_reported_and_changes_nothing(tmp_path, old, new, message, line_of):
    folder = copy_seeds(tmp_path)
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    build(store, SEEDS)
    before = snapshot(store)
    corrupt(folder, old, new)
    with pytest.raises(BuildError) as caught:
        build(store, folder)
    error = caught.value.errors[0]
    assert isinstance(error, AnnotationError)
    assert error.source.endswith(f"{ARTICLE}.yaml") and message in error.problem
    assert error.line is not None
    if line_of is not None:
        lines = (folder / f"{ARTICLE}.yaml").read_text(encoding="utf-8").splitlines()
        assert line_of in lines[error.line - 1], (error.line, lines[error.line - 1])
    assert snapshot(store) == before, "a failed build leaves the store exactly as it was"
    store.close()


def test_bad_offsets_name_what_is_there():
    text = "article: a.txt\nmetadata: {}\nmentions:\n- {entity: state/russia, start: 0, end: 3, text: Rus}\n"
    annotation, raw = parse_annotation(text, "a.yaml")
    from missilekg.loaders.checks import check_annotation

    with pytest.raises(AnnotationError, match=r"a.yaml:4: span 0-3 is 'Ukr' in the article, not 'Rus'"):
        check_annotation(annotation, raw, "Ukraine", "a.yaml", {"state/russia"})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty article"),
        (b"\x00\x01\x02", "binary data"),
        (b"Kyiv \xff says", "not valid UTF-8"),
    ],
    ids=["empty", "binary", "bad-encoding"],
)
def test_bad_article_text_is_refused(tmp_path, content, message):
    folder = copy_seeds(tmp_path)
    (folder / f"{ARTICLE}.txt").write_bytes(content)
    with pytest.raises(ArticleError, match=message):
        load_article(folder / f"{ARTICLE}.txt")


def test_replacing_one_article_is_atomic_and_idempotent(fresh_store):
    before = snapshot(fresh_store)
    load_articles(fresh_store, [SEEDS / f"{ARTICLE}.txt"])
    assert snapshot(fresh_store) == before


def test_iris_are_deterministic_and_escaped(tmp_path):
    folder = copy_seeds(tmp_path)
    weird = folder / 'odd "name" <x>.txt'
    shutil.copy(folder / f"{ARTICLE}.txt", weird)
    annotation = (folder / f"{ARTICLE}.yaml").read_text(encoding="utf-8")
    annotation = annotation.replace(f"article: {ARTICLE}.txt", "article: odd_name.txt")
    weird.with_suffix(".yaml").write_text(annotation, encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"annotates 'odd_name\.txt'"):
        load_article(weird)
    first = load_article(folder / f"{ARTICLE}.txt")
    second = load_article(folder / f"{ARTICLE}.txt")
    assert first.quads == second.quads
    assert all(" " not in q.subject.value for q in first.quads if isinstance(q.subject, ox.NamedNode))


def test_a_bulk_build_holds_what_a_transactional_build_holds(tmp_path):
    from missilekg.graph.loading.bulk import bulk_build
    from missilekg.graph.reasoning.graphs import PROVENANCE_GRAPH
    from missilekg.graph.reasoning.passes import infer

    bulk = EmbeddedStore(tmp_path / "bulk")
    report = bulk_build(bulk, sorted(SEEDS.glob("*.txt")), workers=2)
    infer(bulk)
    normal = EmbeddedStore()
    build(normal, SEEDS)
    assert report.articles == 5
    keep = lambda store: {q for q in store.quads() if q.graph_name != PROVENANCE_GRAPH}  # noqa: E731
    assert keep(bulk) == keep(normal)


def test_a_bad_annotation_stops_a_bulk_build_and_leaves_the_store_as_it_was(tmp_path):
    from missilekg.graph.loading.bulk import bulk_build
    from missilekg.graph.reasoning.graphs import UP_TO_DATE

    folder = tmp_path / "articles"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
        shutil.copy(seed.with_suffix(".yaml"), folder / seed.with_suffix(".yaml").name)
    broken = folder / "004_6b510e1d415c7192.yaml"
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("speaker: person/john-kirby", "speaker: person/nobody"), encoding="utf-8")
    store = EmbeddedStore(tmp_path / "store")
    build(store, SEEDS)
    before = set(store.quads())
    with pytest.raises(BuildError, match=r"004_6b510e1d415c7192\.yaml:\d+: unknown entity 'person/nobody'"):
        bulk_build(store, sorted(folder.glob("*.txt")), workers=2)
    after = set(store.quads())
    assert after - before == set() and before - after <= {UP_TO_DATE}


def test_an_entity_minted_before_the_vocabulary_learned_it_goes_to_the_vocabularys(tmp_path: Path) -> None:
    article = SEEDS.parent / "tests" / "data" / "extraction-dev" / "dev" / "a02_intel-update.txt"
    shutil.copy(article, tmp_path / article.name)
    text = article.with_suffix(".yaml").read_text()
    assert "- id: place/kursk-oblast" in text  # curated when the vocabulary had no Kursk Oblast
    (tmp_path / article.with_suffix(".yaml").name).write_text(text)
    bundle = load_article(tmp_path / article.name)
    assert "place/kursk-oblast" not in {e.id for e in bundle.annotation.entities}
    kursk = ox.NamedNode("https://missilekg.org/id/place/kursk-oblast")
    assert any(q.object == kursk for q in bundle.quads)  # still referred to
    assert not any(q.subject == kursk for q in bundle.quads)  # described by the vocabulary, not as "not yet linked"
    store = EmbeddedStore()
    build(store, tmp_path)
    rows = store.query(f"SELECT ?p ?o WHERE {{ {kursk} ?p ?o }}")
    described = {(row["p"].value.rsplit("#", 1)[-1], row["o"].value) for row in rows}
    assert ("prefLabel", "Kursk Oblast") in described
    assert not any(p == "linkStatus" for p, _ in described)
