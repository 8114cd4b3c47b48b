"""Exports: every format round-trips through rdflib and pyoxigraph, bytes are deterministic, HTTP serves the same."""

from __future__ import annotations

import io
import urllib.parse

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from missilekg.graph.io.export import FORMATS, export
from missilekg.graph.loading.build import build
from missilekg.graph.reasoning.graphs import DERIVED_GRAPHS
from missilekg.graph.store.embedded import EmbeddedStore
from tests.conftest import SEEDS
from tests.servers import call, running_server

ARTICLE = "https://missilekg.org/graph/article/001_b57d21d69b0ca47c"
RDFLIB_NAMES = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "jsonld": "json-ld",
                "rdfxml": "xml"}  # fmt: skip
# rdflib's own TriG, N-Quads and JSON-LD parsers use its deprecated ConjunctiveGraph internally.
RDFLIB_WARNINGS = pytest.mark.filterwarnings("ignore:.*(ConjunctiveGraph|default_context).*:DeprecationWarning")


def exported(store, fmt: str, **options) -> bytes:
    output = io.BytesIO()
    export(store, output, fmt, **options)
    return output.getvalue()


def stored(store, include_inferred: bool) -> dict[str, set[ox.Triple]]:
    graphs: dict[str, set[ox.Triple]] = {}
    for quad in store.quads():
        if include_inferred or quad.graph_name not in DERIVED_GRAPHS:
            graphs.setdefault(quad.graph_name.value, set()).add(ox.Triple(quad.subject, quad.predicate, quad.object))
    return graphs


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("include_inferred", [False, True])
def test_every_format_round_trips_through_pyoxigraph(built_store, fmt, include_inferred):
    data = exported(built_store, fmt, include_inferred=include_inferred)
    expected = stored(built_store, include_inferred)
    parsed = list(ox.parse(data, format=FORMATS[fmt]))
    if FORMATS[fmt].supports_datasets:
        back: dict[str, set[ox.Triple]] = {}
        for quad in parsed:
            back.setdefault(quad.graph_name.value, set()).add(ox.Triple(quad.subject, quad.predicate, quad.object))
        assert back == expected
    else:
        assert {ox.Triple(q.subject, q.predicate, q.object) for q in parsed} == set().union(*expected.values())


@RDFLIB_WARNINGS
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_round_trips_through_rdflib(built_store, fmt):
    data = exported(built_store, fmt)
    union = set().union(*stored(built_store, False).values())
    reference = rdflib.Graph().parse(data=ox.serialize(sorted(union, key=str), format=ox.RdfFormat.N_TRIPLES),
                                     format="nt")  # fmt: skip
    if FORMATS[fmt].supports_datasets:
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format=RDFLIB_NAMES[fmt])
        names = {str(g.identifier) for g in dataset.graphs() if len(g)}
        assert names == set(stored(built_store, False))
        merged = rdflib.Graph()
        for graph in dataset.graphs():
            for triple in graph:
                merged.add(triple)
        assert isomorphic(merged, reference)
    else:
        assert isomorphic(rdflib.Graph().parse(data=data, format=RDFLIB_NAMES[fmt]), reference)


def test_exports_are_deterministic(built_store):
    rebuilt = EmbeddedStore()
    build(rebuilt, SEEDS)
    for fmt in FORMATS:
        first = exported(built_store, fmt, include_inferred=True)
        assert (
            first == exported(built_store, fmt, include_inferred=True) == exported(rebuilt, fmt, include_inferred=True)
        )


def test_turtle_is_readable_and_trig_keeps_one_graph_per_article(built_store):
    turtle = exported(built_store, "turtle", graph=ARTICLE).decode()
    assert turtle.startswith("@prefix") and "article:001_b57d21d69b0ca47c" in turtle
    assert " ;\n\t" in turtle, "a subject's triples are grouped under it"
    trig = exported(built_store, "trig").decode()
    articles = [g for g in stored(built_store, False) if "/graph/article/" in g]
    assert len(articles) == 5
    for graph in articles:
        assert trig.count(f"<{graph}> {{") == 1


def test_http_downloads_are_the_cli_files(tmp_path):
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    build(store, SEEDS)
    expected_trig = exported(store, "trig")
    expected_article = exported(store, "turtle", graph=ARTICLE)
    store.close()
    with running_server(path) as url:
        trig = call("GET", f"{url}/export?format=trig")
        assert trig.status == 200 and trig.body == expected_trig
        assert 'filename="missilekg.trig"' in trig.headers["Content-Disposition"]
        graph = urllib.parse.quote(ARTICLE)
        gsp = call("GET", f"{url}/graph-store?graph={graph}", headers={"Accept": "text/turtle"})
        download = call("GET", f"{url}/export?format=turtle&graph={graph}")
        assert gsp.body == download.body == expected_article
        assert call("GET", f"{url}/export?format=docx").status == 400
        assert call("GET", f"{url}/export?graph=https://example.org/none").status == 404


def test_exports_are_identical_across_processes(tmp_path):
    """Hash seeds differ between processes; the bytes must not."""
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "store"
    store = EmbeddedStore(path)
    build(store, SEEDS)
    store.close()
    script = Path(sys.executable).with_name("missilekg")
    command = [str(script), "--store", f"oxigraph:{path}", "export", "-f", "turtle"]
    outputs = {
        subprocess.run(command, capture_output=True, check=True, env={"PYTHONHASHSEED": str(seed)}).stdout
        for seed in (1, 2)
    }
    assert len(outputs) == 1 and next(iter(outputs)).startswith(b"@prefix")
