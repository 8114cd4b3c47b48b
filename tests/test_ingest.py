"""Ingest and extraction: articles in, attributed claims out, against a real embedded store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from missilekg.graph.loading.build import build
from missilekg.graph.loading.ingest import Source, collect_sources, ingest
from missilekg.graph.store.embedded import EmbeddedStore
from missilekg.loaders.annotation import parse_annotation
from missilekg.loaders.article import MAX_ARTICLE_BYTES
from missilekg.loaders.evaluate import evaluate
from missilekg.loaders.extract import extract
from missilekg.loaders.extract.nlp import line_parser
from missilekg.loaders.mapping import article_graph
from missilekg.loaders.source import MetadataOverrides
from missilekg.server.cli import main
from tests.conftest import ARTICLE, SEEDS

STATEMENTS = """
PREFIX mkg: <https://missilekg.org/ontology#>
SELECT ?speaker ?date ?derived ?value ?hedge ?start ?end ?exact WHERE {
  ?s a mkg:Statement ; mkg:speaker ?speaker ; mkg:evidence ?e .
  ?e <http://www.w3.org/ns/oa#hasSelector> ?pos , ?quote .
  ?pos <http://www.w3.org/ns/oa#start> ?start ; <http://www.w3.org/ns/oa#end> ?end .
  ?quote <http://www.w3.org/ns/oa#exact> ?exact .
  OPTIONAL { ?s mkg:dateStated ?date ; mkg:dateDerived ?derived }
  OPTIONAL { ?s mkg:quantity ?q . ?q mkg:hedge ?hedge . OPTIONAL { ?q mkg:value ?value } }
} ORDER BY ?start
"""


def _write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _graph(store: EmbeddedStore, stem: str) -> set[ox.Quad]:
    return set(store.quads(article_graph(stem)))


def test_extractor_meets_its_targets_on_the_seed_articles():
    pairs = [(p, parse_annotation(p.with_suffix(".yaml").read_text(), "x")[0]) for p in sorted(SEEDS.glob("*.txt"))]
    result = evaluate(pairs, extract)
    for kind in ("actors", "weapons", "places"):
        assert result.scores[kind].f1 >= 0.9, (kind, result.table())
    for kind in ("statements", "strikes", "transfers"):
        assert result.scores[kind].f1 >= 0.75, (kind, result.table())
    # Matching on part of a statement's key finds every full match and more, among the same statements.
    whole = result.scores["statements"]
    for part, score in result.statement_parts.items():
        assert score.tp + score.fn == whole.tp + whole.fn and score.tp + score.fp == whole.tp + whole.fp, part
        assert score.tp >= whole.tp, (part, result.parts_table())
    assert result.statement_parts["speaker"].tp > whole.tp  # the seeds have claims with the right speaker only


def test_an_ingested_article_gives_attributed_dated_quantified_claims_with_evidence(tmp_path):
    path = _write(tmp_path, "kharkiv.txt", ARTICLE)
    store = EmbeddedStore()
    report = ingest(store, [Source(str(path), path)])
    assert report.loaded == ["kharkiv"] and not report.failed
    rows = [
        {k: (v.value if v is not None else None) for k, v in zip(["speaker", "date", "derived", "value", "hedge",
                                                                  "start", "end", "exact"], row, strict=True)}
        for row in store.query(STATEMENTS)
    ]  # fmt: skip
    body = ARTICLE.split("---\n", 2)[2]
    for row in rows:  # every piece of evidence is the exact text at its offsets in the stored article
        assert body[int(row["start"]) : int(row["end"])] == row["exact"]
    kostin = next(r for r in rows if r["speaker"].endswith("person/andriy-kostin") and r["value"])
    assert (kostin["date"], kostin["derived"], kostin["value"]) == ("2024-03-15", "true", "10")
    assert kostin["hedge"].endswith("#AtLeast")
    source = next(r for r in rows if "ukrainian-military-source" in r["speaker"])
    assert source["date"] == "2024-03-14" and source["hedge"].endswith("#SeveralDozen")
    speakers = {r["speaker"].rsplit("/", 2)[-2] + "/" + r["speaker"].rsplit("/", 1)[-1] for r in rows}
    assert {"person/taras-shevchenko", "anon/senior-defense-official"} <= speakers


def test_extracted_graphs_conform_to_the_shapes_like_curated_ones(tmp_path):
    from missilekg.graph.validation import validate

    _write(tmp_path, "kharkiv.txt", ARTICLE)
    _batch(tmp_path, 5)
    store = EmbeddedStore()
    build(store, SEEDS)
    seeds = [tmp_path / p.name for p in sorted(SEEDS.glob("*.txt"))]
    for seed in sorted(SEEDS.glob("*.txt")):  # the seed texts extracted, without their curated annotations
        shutil.copy(seed, tmp_path / f"extracted-{seed.name}")
    report = ingest(store, collect_sources([str(tmp_path)]))
    assert len(report.loaded) == 11 and not seeds[0].exists()
    result = validate(store)
    assert result.conforms, result.text[:3000]


def test_unknown_names_become_new_actors_flagged_as_not_linked(tmp_path):
    path = _write(tmp_path, "kharkiv.txt", ARTICLE)
    store = EmbeddedStore()
    ingest(store, [Source(str(path), path)])
    ask = """PREFIX mkg: <https://missilekg.org/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    ASK { <https://missilekg.org/id/person/taras-shevchenko> a mkg:Person ; skos:prefLabel "Taras Shevchenko"@en ;
          mkg:linkStatus "not yet linked" }"""
    assert store.query(ask)


def test_strikes_transfers_and_denials_are_extracted(tmp_path):
    path = _write(tmp_path, "kharkiv.txt", ARTICLE)
    source = collect_sources([str(path)])[0]
    from missilekg.graph.loading.ingest import prepare

    annotation = prepare(source, MetadataOverrides()).annotation
    assert annotation is not None
    strikes = {(str(s.date), s.location) for s in annotation.strikes}
    assert ("2024-03-12", "place/kharkiv") in strikes  # 'on Tuesday' before a Friday 2024-03-15 publication
    transfers = {(t.supplier, t.recipient, t.status or t.modality) for t in annotation.transfers}
    assert ("state/north-korea", "state/russia", "delivered") in transfers
    assert ("state/iran", "state/russia", "denied") in transfers


def test_the_same_article_twice_gives_the_same_graph(tmp_path):
    path = _write(tmp_path, "kharkiv.txt", ARTICLE)
    store = EmbeddedStore()
    ingest(store, [Source(str(path), path)])
    first = _graph(store, "kharkiv")
    ingest(store, [Source(str(path), path)])
    assert _graph(store, "kharkiv") == first and first


def test_a_batch_goes_on_past_bad_articles_and_loads_nothing_of_them(tmp_path):
    good = _write(tmp_path, "good.txt", ARTICLE)
    _write(tmp_path, "empty.txt", "")
    _write(tmp_path, "binary.txt", b"\x00\x01\x02\x03 binary")
    _write(tmp_path, "latin1.txt", "Kyiv says caf\xe9".encode("latin-1"))
    _write(tmp_path, "irrelevant.txt", "The weather in Paris was pleasant on Sunday.\n")
    _write(tmp_path, "header.txt", "---\ntitle: [unclosed\n---\nRussia fired missiles.\n")
    _write(tmp_path, "long.txt", "Russia fired missiles at Kyiv.\n" + "missile " * 130_000)  # a line over spaCy's limit
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # 50 MB, sparse: refused by its size before it is read
        handle.truncate(50 * 1024 * 1024)
    store = EmbeddedStore()
    report = ingest(store, collect_sources([str(tmp_path)]), workers=2)
    assert report.loaded == ["good"]
    messages = dict(report.failed)
    assert "empty article" in messages[str(tmp_path / "empty.txt")]
    assert "binary data" in messages[str(tmp_path / "binary.txt")]
    assert "not valid UTF-8 at byte" in messages[str(tmp_path / "latin1.txt")]
    assert "nothing relevant found" in messages[str(tmp_path / "irrelevant.txt")]
    assert f"over the {MAX_ARTICLE_BYTES}-byte limit" in messages[str(huge)]
    long_line = "long.txt:2: a line of 1,040,000 characters is over the parser's limit"
    assert long_line in messages[str(tmp_path / "long.txt")]
    assert (
        "header.txt:" in messages[str(tmp_path / "header.txt")]
        and "not valid YAML" in messages[str(tmp_path / "header.txt")]
    )
    graphs = {g.value.rsplit("/", 1)[-1] for g in store.named_graphs() if "/graph/article/" in g.value}
    assert graphs == {"good"}
    assert _graph(store, "good") and good.exists()


def test_articles_extracted_in_one_batch_give_the_same_graphs_as_one_by_one(tmp_path):
    """A chunk of articles whose lines go through spaCy together loads what each article alone loads."""
    (tmp_path / "one").mkdir()
    for n in range(6):
        _write(tmp_path / "one", f"a{n}.txt", ARTICLE.replace("at least 10", f"at least {10 + n}"))
    _write(tmp_path / "one", "bad.txt", b"\x00\x01 binary")
    shutil.copytree(tmp_path / "one", tmp_path / "all")
    alone, batched = EmbeddedStore(), EmbeddedStore()
    for source in collect_sources([str(tmp_path / "one")]):
        line_parser().forget()
        ingest(alone, [source], workers=1)
    line_parser().forget()
    report = ingest(batched, collect_sources([str(tmp_path / "all")]), workers=1)
    assert len(report.loaded) == 6 and [name for name, _ in report.failed] == [str(tmp_path / "all" / "bad.txt")]
    provenance = ox.NamedNode("https://missilekg.org/graph/inferred/provenance")
    assert {q for q in alone.quads() if q.graph_name != provenance} == {
        q for q in batched.quads() if q.graph_name != provenance
    }


def test_worker_processes_give_the_same_graphs_as_one_process(tmp_path):
    for n in range(6):
        _write(tmp_path, f"a{n}.txt", ARTICLE.replace("at least 10", f"at least {10 + n}"))
    one, many = EmbeddedStore(), EmbeddedStore()
    ingest(one, collect_sources([str(tmp_path)]), workers=1)
    ingest(many, collect_sources([str(tmp_path)]), workers=2, group_size=2)
    # Provenance may record other (equally valid) derivations when articles commit in other groups.
    provenance = ox.NamedNode("https://missilekg.org/graph/inferred/provenance")
    assert {q for q in one.quads() if q.graph_name != provenance} == {
        q for q in many.quads() if q.graph_name != provenance
    }


def test_a_reviewed_annotation_beside_the_article_wins(tmp_path):
    seed = sorted(SEEDS.glob("*.txt"))[0]
    shutil.copy(seed, tmp_path / seed.name)
    shutil.copy(seed.with_suffix(".yaml"), tmp_path / seed.with_suffix(".yaml").name)
    store, curated = EmbeddedStore(), EmbeddedStore()
    report = ingest(store, collect_sources([str(tmp_path)]))
    build(curated, SEEDS)
    assert report.reviewed == [seed.stem]
    assert _graph(store, seed.stem) == _graph(curated, seed.stem)


def test_extract_writes_a_reviewable_annotation_that_loads(tmp_path):
    article = _write(tmp_path, "kharkiv.txt", ARTICLE)
    out = tmp_path / "draft.yaml"
    result = CliRunner().invoke(main, ["extract", str(article), "-o", str(out)])
    assert result.exit_code == 0, result.output
    annotation, _ = parse_annotation(out.read_text(encoding="utf-8"), str(out))
    assert annotation.article == "kharkiv.txt" and annotation.statements
    # Reviewed and kept beside the article, it is what ingest loads.
    shutil.move(out, tmp_path / "kharkiv.yaml")
    body = tmp_path / "kharkiv.txt"
    body.write_text(ARTICLE.split("---\n", 2)[2], encoding="utf-8")
    store = EmbeddedStore()
    assert ingest(store, [Source(str(body), body)], overrides=MetadataOverrides()).reviewed == ["kharkiv"]


def test_cli_ingests_html_and_stdin_and_reports_failures(tmp_path):
    page = _write(
        tmp_path,
        "story.html",
        "<html><head><title>T</title><meta property='og:site_name' content='Reuters'>"
        "<meta property='article:published_time' content='2024-12-03T18:09:00'></head><body>"
        "<nav>Menu</nav><p>Russia has likely used at least 60 ballistic missiles provided by North Korea, "
        "Andrii Chernyak, spokesperson for Ukraine's Defense Intelligence, said on Monday.</p>"
        "<script>track()</script></body></html>",
    )
    store = tmp_path / "store"
    runner = CliRunner()
    result = runner.invoke(main, ["--store", f"oxigraph:{store}", "ingest", str(page), "-", "--no-infer"],
                           input="Kirby said Russia fired North Korean missiles at Ukraine on Friday.\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Loaded 2 article(s)" in result.output
    bad = _write(tmp_path, "bad.txt", b"\xff\xfe\x00")
    result = runner.invoke(main, ["--store", f"oxigraph:{store}", "ingest", str(bad)])
    assert result.exit_code == 1 and "binary data" in result.output
    result = runner.invoke(main, ["--store", f"oxigraph:{store}", "query", "--name", "Q2"])
    assert result.exit_code == 0


def test_evaluate_command_prints_the_table():
    result = CliRunner().invoke(main, ["evaluate", "--seeds", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert "| statements |" in result.output and "| transfers |" in result.output
    assert "| speaker + date + figures |" in result.output and "| date + figures |" in result.output


def test_evaluate_names_an_article_without_its_annotation(tmp_path):
    _write(tmp_path, "lonely.txt", ARTICLE)
    result = CliRunner().invoke(main, ["evaluate", "--corpus", str(tmp_path)])
    assert result.exit_code == 1
    assert "lonely.txt: no curated annotation beside it (lonely.yaml)" in result.output


def test_bad_published_flag_is_a_clear_error(tmp_path):
    article = _write(tmp_path, "a.txt", ARTICLE)
    result = CliRunner().invoke(main, ["extract", str(article), "--published", "last week"])
    assert result.exit_code == 2 and "is not an ISO date" in result.output


@pytest.mark.parametrize("text", ["\u0000", "Ukraine \u2028 says", '"' * 5000, "Kirby said " + "(" * 3000])
def test_odd_text_never_breaks_the_extractor(text):
    from missilekg.loaders.annotation import Metadata
    from missilekg.loaders.article import ArticleText

    extract(ArticleText("x", "x.txt", text, ""), Metadata())


def _batch(folder: Path, count: int) -> None:
    for n in range(count):
        text = ARTICLE.replace("at least 10", f"at least {n + 2}").replace("2024-03-15", f"2024-0{1 + n % 9}-15")
        _write(folder, f"batch-{n:04d}.txt", text)


def test_kill_during_a_batch_ingest_keeps_exactly_the_committed_articles(tmp_path):
    """kill -9 in the middle of `missilekg ingest`: whole articles only are left, and a rerun completes it."""
    import signal
    import subprocess
    import sys
    import time

    from missilekg.graph.store.embedded import generation_file

    folder = tmp_path / "articles"
    folder.mkdir()
    _batch(folder, 300)
    expected_store = EmbeddedStore()
    ingest(expected_store, collect_sources([str(folder)]), infer=False, workers=1)
    expected = {
        g.value: set(expected_store.quads(g)) for g in expected_store.named_graphs() if "/graph/article/" in g.value
    }
    path = tmp_path / "store"
    command = [str(Path(sys.executable).with_name("missilekg")), "--store", f"oxigraph:{path}", "ingest", str(folder),
               "--workers", "1", "--group-size", "10"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    marker, deadline, seen = generation_file(path), time.monotonic() + 60, set()
    while time.monotonic() < deadline and len(seen) < 4 and process.poll() is None:
        if marker.exists():
            seen.add(marker.stat().st_mtime_ns)  # a commit happened
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    store = EmbeddedStore(path)
    present = {g.value for g in store.named_graphs() if "/graph/article/" in g.value}
    assert present and present <= set(expected)
    for graph in present:  # every article there is whole, none half-loaded
        assert set(store.quads(ox.NamedNode(graph))) == expected[graph]
    print(f"{len(present)} of {len(expected)} articles had committed when killed")
    store.close()
    rerun = subprocess.run([*command[:-4]], capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    store = EmbeddedStore(path)
    present = {g.value for g in store.named_graphs() if "/graph/article/" in g.value}
    assert present == set(expected)
    assert all(set(store.quads(ox.NamedNode(g))) == expected[g] for g in present)
    from missilekg.graph.reasoning.graphs import UP_TO_DATE

    assert store.contains(UP_TO_DATE)
    store.close()
