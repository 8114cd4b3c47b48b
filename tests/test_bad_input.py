"""The bad-input corpus (tests/data/bad-input): each file gets its clear error and changes nothing."""

from __future__ import annotations

import shutil
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest

from missilekg.graph.io.export import export
from missilekg.graph.loading.build import build
from missilekg.graph.loading.ingest import Source, collect_sources, ingest
from missilekg.graph.store.embedded import EmbeddedStore
from tests.conftest import SEEDS
from tests.servers import call, running_server

CORPUS = Path(__file__).parent / "data" / "bad-input"
TOKEN = "corpus-token"
SEED = SEEDS / "000_87d0ee4506161818.txt"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _expected(folder: str) -> list[tuple[Path, str, str]]:
    rows = []
    for line in (CORPUS / "expected.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        path, outcome, fragment = [*line.split("\t"), ""][:3]
        if path.startswith(folder + "/"):
            rows.append((CORPUS / path, outcome, fragment))
    return rows


def test_every_corpus_file_is_listed_with_its_expectation():
    listed = {path for folder in ("articles", "annotations", "sparql", "updates") for path, _, _ in _expected(folder)}
    on_disk = {p for p in CORPUS.rglob("*") if p.is_file() and p.name not in ("expected.tsv", "README.md")}
    assert listed == on_disk


@pytest.fixture(scope="module")
def seeded() -> EmbeddedStore:
    store = EmbeddedStore()
    build(store, SEEDS)
    return store


def test_bad_articles_are_refused_by_name_and_load_nothing(seeded, tmp_path):
    before = set(seeded.quads())
    rows = [(path, fragment) for path, outcome, fragment in _expected("articles") if outcome == "error"]
    huge = tmp_path / "fifty-megabytes.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    report = ingest(seeded, [Source(str(path), path) for path, _ in rows] + [Source(str(huge), huge)], workers=2)
    messages = dict(report.failed)
    assert report.loaded == []
    for path, fragment in rows:
        assert str(path) in messages, f"{path.name} was not refused"
        assert messages[str(path)].startswith(str(path)), "the message names the file"
        assert fragment in messages[str(path)], (path.name, messages[str(path)])
    assert "byte limit" in messages[str(huge)]
    assert set(seeded.quads()) == before


def test_text_crafted_to_break_iris_and_turtle_loads_and_exports_cleanly(tmp_path):
    store = EmbeddedStore()
    crafted = [path for path, outcome, _ in _expected("articles") if outcome == "loads"]
    report = ingest(store, collect_sources([str(p) for p in crafted]), infer=False)
    assert report.loaded and not report.failed
    for quad in store.quads():
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode):
                assert not set(term.value) & set('"<>{} \\^`|\n'), term.value
    for fmt in ("turtle", "trig", "nquads"):
        out = tmp_path / f"export.{fmt}"
        with out.open("wb") as handle:
            export(store, handle, fmt, include_inferred=True)
        parsed = list(ox.parse(path=str(out), format={"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
                                                       "nquads": ox.RdfFormat.N_QUADS}[fmt]))  # fmt: skip
        if fmt != "turtle":
            assert set(parsed) == set(store.quads())
    text = (CORPUS / "articles" / "crafted-names.txt").read_text(encoding="utf-8")
    stored = next(store.query("SELECT ?t WHERE { ?a <https://missilekg.org/ontology#text> ?t }"))[0].value  # type: ignore[index]
    assert stored == text


@pytest.mark.parametrize(
    ("path", "fragment"), [(p, f) for p, _, f in _expected("annotations")], ids=lambda v: getattr(v, "name", "")
)
def test_a_broken_reviewed_annotation_is_refused_with_its_line(seeded, tmp_path, path, fragment):
    article = tmp_path / SEED.name
    shutil.copy(SEED, article)
    shutil.copy(path, article.with_suffix(".yaml"))
    before = len(seeded)
    report = ingest(seeded, [Source(str(article), article)])
    assert not report.loaded and len(report.failed) == 1
    message = report.failed[0][1]
    assert fragment in message, message
    assert SEED.stem + ".yaml" in message
    assert len(seeded) == before


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "store"
    store = EmbeddedStore(path)
    build(store, SEEDS)
    store.close()
    with running_server(
        path,
        env={"MISSILEKG_UPDATE_TOKEN": TOKEN, "MISSILEKG_MAX_CONTENT_LENGTH": "1048576"},
        extra=["--query-timeout", "3"],
    ) as url:
        yield url


def _count(url: str) -> int:
    reply = call("GET", f"{url}/sparql?query={urllib.parse.quote(COUNT)}", headers={"Accept": "application/json"})
    return int(reply.json()["results"]["bindings"][0]["n"]["value"])


def _clean(reply_text: str) -> None:
    for leak in ("Traceback", 'File "', "/work/", ".py", "site-packages"):
        assert leak not in reply_text


@pytest.mark.parametrize(("path", "status", "fragment"), _expected("sparql"), ids=lambda v: getattr(v, "name", ""))
def test_bad_queries_get_clear_errors_and_the_server_goes_on(server, path, status, fragment):
    before = _count(server)
    reply = call("POST", f"{server}/sparql", path.read_bytes(),
                 {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})  # fmt: skip
    assert reply.status == int(status), reply.text[:300]
    assert fragment in reply.text
    if reply.status != 200:
        _clean(reply.text)
    assert call("GET", f"{server}/health").status == 200
    assert _count(server) == before


@pytest.mark.parametrize(("path", "statuses", "fragment"), _expected("updates"), ids=lambda v: getattr(v, "name", ""))
def test_bad_updates_need_the_token_and_are_refused_with_it(server, path, statuses, fragment):
    without, with_token = (int(s) for s in statuses.split("/"))
    before = _count(server)
    reply = call("POST", f"{server}/update", path.read_bytes(), {"Content-Type": "application/sparql-update"})
    assert reply.status == without and "Bearer" in reply.text
    assert _count(server) == before
    if with_token == 200:
        return  # allowed with the token (DROP ALL): not run, so the other cases keep their data
    reply = call("POST", f"{server}/update", path.read_bytes(),
                 {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert reply.status == with_token and fragment in reply.text, reply.text[:300]
    _clean(reply.text)
    assert _count(server) == before


@pytest.mark.parametrize(
    ("endpoint", "content_type", "body", "status"),
    [
        ("/sparql", "application/sparql-query", b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * (2 * 1024 * 1024), 413),
        ("/sparql", "text/plain", b"SELECT * WHERE { ?s ?p ?o }", 415),
        ("/sparql", "application/json", b'{"query": "SELECT * {}"}', 415),
        ("/update", "image/png", b"\x89PNG", 401),
    ],
)
def test_oversized_bodies_and_wrong_content_types(server, endpoint, content_type, body, status):
    reply = call("POST", f"{server}{endpoint}", body, {"Content-Type": content_type})
    assert reply.status == status, reply.text[:300]
    _clean(reply.text)
    with_token = call("POST", f"{server}/update", b"\x89PNG",
                      {"Content-Type": "image/png", "Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert with_token.status == 415
