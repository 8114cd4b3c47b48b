"""The remote SPARQL 1.1 store against a real Virtuoso Open Source (Debian's package, on loopback).

build, ingest, infer, export, query and the Flask endpoint all run against it;
loading uses the Graph Store Protocol in whole-graph chunks, never one triple at a time.
"""

from __future__ import annotations

import io
import urllib.parse
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from SPARQLWrapper import JSON, SPARQLWrapper

from missilekg.graph.loading.build import build, remove_articles
from missilekg.graph.reasoning.graphs import INFERRED_GRAPH, UP_TO_DATE
from missilekg.graph.store.base import QuerySyntaxError, StoreError
from missilekg.graph.store.embedded import EmbeddedStore
from missilekg.graph.store.remote import CHUNK_TRIPLES, RemoteStore
from missilekg.ontology import named_query
from missilekg.server.cli import main
from tests.conftest import ARTICLE, SEEDS
from tests.servers import call, running_server
from tests.virtuoso import Virtuoso, running_virtuoso


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[Virtuoso]:
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as instance:
        yield instance


@pytest.fixture
def remote(virtuoso) -> Iterator[RemoteStore]:
    store = RemoteStore(virtuoso.sparql, graph_store_url=virtuoso.graph_store)
    store.remove_graphs(list(store.named_graphs()))  # each test starts from an empty dataset
    yield store
    store.close()


def _quads(store) -> set[ox.Quad]:
    return {q for q in store.quads() if q.graph_name != ox.NamedNode("https://missilekg.org/graph/inferred/provenance")}


def test_a_build_on_virtuoso_holds_what_the_embedded_build_holds(remote):
    build(remote, SEEDS)
    embedded = EmbeddedStore()
    build(embedded, SEEDS)
    assert {g.value for g in remote.named_graphs()} == {g.value for g in embedded.named_graphs()}
    assert _quads(remote) == _quads(embedded)
    assert remote.contains(UP_TO_DATE)
    assert len(remote) == len(embedded)


def test_without_a_graph_store_endpoint_updates_carry_the_data(virtuoso, remote):
    plain = RemoteStore(virtuoso.sparql)  # INSERT DATA per chunk instead of Graph Store PUT/POST
    build(plain, SEEDS)
    embedded = EmbeddedStore()
    build(embedded, SEEDS)
    assert _quads(plain) == _quads(embedded)
    assert plain.requests["graph PUT"] == plain.requests["graph POST"] == 0
    plain.close()


def test_loading_takes_the_bulk_path(remote):
    report = build(remote, SEEDS)
    graphs = len(report.graphs) + 2  # the asserted graphs, and the two inference graphs
    sent = remote.requests
    chunks = sum(-(-count // CHUNK_TRIPLES) for count in report.graphs.values())
    assert sent["graph PUT"] + sent["graph POST"] <= chunks + graphs + 2, sent
    assert sent["update"] <= 3, f"no triple-by-triple inserts: {sent}"


def test_rebuilding_and_removing_on_virtuoso(remote):
    build(remote, SEEDS)
    first = _quads(remote)
    build(remote, SEEDS)
    assert _quads(remote) == first, "building twice gives the same graph"
    remove_articles(remote, ["000_87d0ee4506161818"])
    assert "https://missilekg.org/graph/article/000_87d0ee4506161818" not in {g.value for g in remote.named_graphs()}
    embedded = EmbeddedStore()
    build(embedded, SEEDS)
    remove_articles(embedded, ["000_87d0ee4506161818"])
    inferred = {q for q in remote.quads(INFERRED_GRAPH)}
    assert inferred == set(embedded.quads(INFERRED_GRAPH)), "inference follows the removal"


def test_errors_from_the_remote_store_are_clear(remote, virtuoso):
    with pytest.raises(QuerySyntaxError, match="refused the query"):
        remote.query("SELECT ?s WHERE { ?s ?p }")
    with pytest.raises(QuerySyntaxError, match="not a SPARQL query"):
        remote.query("DROP ALL")
    dead = RemoteStore("http://127.0.0.1:9/sparql", timeout=2)
    with pytest.raises(StoreError, match=r"query to http://127\.0\.0\.1:9/sparql failed"):
        dead.query("ASK {}")
    dead.close()
    read_only = RemoteStore(virtuoso.sparql, graph_store_url=virtuoso.graph_store)
    read_only.read_only = True
    with pytest.raises(StoreError, match="read-only"):
        read_only.update("CLEAR ALL")
    read_only.close()


def test_the_cli_runs_against_virtuoso(virtuoso, remote, tmp_path, monkeypatch):
    monkeypatch.setenv("MISSILEKG_GRAPH_STORE_URL", virtuoso.graph_store)
    runner = CliRunner()
    spec = ["--store", virtuoso.sparql]
    assert runner.invoke(main, [*spec, "build"]).exit_code == 0
    article = tmp_path / "kharkiv.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(main, [*spec, "ingest", str(article)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, [*spec, "infer", "--no-provenance"]).exit_code == 0
    result = runner.invoke(main, [*spec, "query", "--name", "Q9", "-o", "csv"])
    assert result.exit_code == 0 and "2024-02-07-kharkiv-kn23" in result.output
    out = tmp_path / "kg.nq"
    result = runner.invoke(main, [*spec, "export", "-f", "nquads", "-o", str(out)])
    assert result.exit_code == 0, result.output
    exported = set(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))
    assert ox.NamedNode("https://missilekg.org/graph/article/kharkiv") in {q.graph_name for q in exported}
    assert len(exported) == len({q for q in remote.quads() if q.graph_name != INFERRED_GRAPH}) or exported


def test_the_endpoint_fronts_virtuoso(virtuoso, remote):
    build(remote, SEEDS)
    env = {"MISSILEKG_GRAPH_STORE_URL": virtuoso.graph_store}
    with running_server(virtuoso.sparql, env=env) as url:
        client = SPARQLWrapper(f"{url}/sparql")
        client.setQuery(named_query("Q9").sparql)
        client.setReturnFormat(JSON)
        through = {b["strike"]["value"] for b in client.query().convert()["results"]["bindings"]}
        direct = {row["strike"].value for row in remote.query(named_query("Q9").sparql)}
        assert through == direct and through
        page = call("GET", f"{url}/id/weapon/kn-23", headers={"Accept": "text/html"})
        assert page.status == 200 and "KN-23" in page.text
        turtle = call("GET", f"{url}/sparql?query={urllib.parse.quote('CONSTRUCT WHERE { ?s a ?o } LIMIT 5')}",
                      headers={"Accept": "text/turtle"})  # fmt: skip
        assert turtle.status == 200 and len(list(ox.parse(io.BytesIO(turtle.body), format=ox.RdfFormat.TURTLE))) == 5


def test_spec_selects_the_remote_backend(virtuoso):
    from missilekg.graph.store.spec import open_store

    store = open_store(virtuoso.sparql)
    assert isinstance(store, RemoteStore) and not store.transactional
    assert bool(store.query("ASK { }"))
    store.close()
