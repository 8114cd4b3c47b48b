"""Issue 15, against a live gunicorn server: Accept parameters, update datasets, base IRIs, the Graph Store's
default graph, multipart uploads, and whether inference is up to date.

Real clients where one exists (SPARQLWrapper, rdflib's SPARQLUpdateStore), httpx for the rest; no mocks.
"""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from SPARQLWrapper import JSON, SPARQLWrapper

from missilekg.graph.loading.build import build
from missilekg.graph.store.embedded import EmbeddedStore
from tests.conftest import SEEDS
from tests.servers import running_server

TOKEN = "gaps-token-91ad"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MKG = "https://missilekg.org/ontology#"
STRIKES = f"SELECT DISTINCT ?s WHERE {{ ?s a <{MKG}Strike> }} ORDER BY ?s"
VOCABULARY = "https://missilekg.org/graph/vocabulary"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> str:
    store = tmp_path_factory.mktemp("gaps") / "store"
    built = EmbeddedStore(store)
    build(built, SEEDS)
    built.close()
    with running_server(store, env={"MISSILEKG_UPDATE_TOKEN": TOKEN}) as url:
        yield url


@pytest.fixture(scope="module")
def http(server) -> httpx.Client:
    with httpx.Client(base_url=server, timeout=30) as client:
        yield client


def ask(http: httpx.Client, query: str) -> bool:
    reply = http.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert reply.status_code == 200, reply.text
    return reply.json()["boolean"]


def one_line(reply: httpx.Response) -> None:
    """Errors are one line of text, never a stack trace or a path."""
    assert reply.text.count("\n") == 1 and "Traceback" not in reply.text and ".py" not in reply.text


# -- 1. Accept with parameters ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/turtle; charset=utf-8", "text/turtle"),
        ("application/n-triples;charset=UTF-8;q=0.9, text/turtle;q=0.1", "application/n-triples"),
        ('application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"', "application/ld+json"),
    ],
)
def test_graph_store_accepts_media_type_parameters(http, method, accept, expected):
    reply = http.request(method, "/graph-store", params={"graph": VOCABULARY}, headers={"Accept": accept})
    assert reply.status_code == 200, reply.text
    assert reply.headers["Content-Type"].split(";")[0] == expected
    if method == "HEAD":
        assert reply.content == b""
    else:
        assert len(list(ox.parse(reply.content, format=ox.RdfFormat.from_media_type(expected)))) > 100


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
def test_sparql_accepts_a_charset(http, method):
    accept = {"Accept": "application/sparql-results+json; charset=utf-8"}
    if method == "POST":
        reply = http.post("/sparql", data={"query": STRIKES}, headers=accept)
    else:
        reply = http.request(method, "/sparql", params={"query": STRIKES}, headers=accept)
    assert reply.status_code == 200, reply.text
    assert reply.headers["Content-Type"].startswith("application/sparql-results+json")
    if method != "HEAD":
        assert len(reply.json()["results"]["bindings"]) == 7


def test_sparqlwrapper_with_a_charset_in_accept(server):
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(STRIKES)
    client.setReturnFormat(JSON)
    client.addCustomHttpHeader("Accept", "application/sparql-results+json; charset=utf-8")
    assert len(client.query().convert()["results"]["bindings"]) == 7


def test_a_charset_we_cannot_write_is_not_acceptable(http):
    reply = http.get("/sparql", params={"query": STRIKES}, headers={"Accept": "text/csv; charset=iso-8859-1"})
    assert reply.status_code == 406 and "available" in reply.text
    one_line(reply)
    weighted = http.get("/sparql", params={"query": STRIKES},
                        headers={"Accept": "text/*;q=0, text/csv;charset=utf-8"})  # fmt: skip
    assert weighted.status_code == 200 and weighted.headers["Content-Type"].startswith("text/csv")


def test_request_bodies_in_another_charset_are_decoded(http):
    query = 'ASK { ?s ?p ?o } # é, in Latin-1'
    latin = http.post("/sparql", content=query.encode("latin-1"),
                      headers={"Content-Type": "application/sparql-query; charset=ISO-8859-1",
                               "Accept": "application/sparql-results+json"})  # fmt: skip
    assert latin.status_code == 200, latin.text
    unknown = http.post("/sparql", content=b"ASK {}", headers={"Content-Type": "application/sparql-query; charset=x-nope"})
    assert unknown.status_code == 415 and "x-nope" in unknown.text
    one_line(unknown)
