"""Issue 15, against a live gunicorn server: Accept parameters, update datasets, base IRIs, the Graph Store's
default graph, multipart uploads, and whether inference is up to date.

Real clients where one exists (SPARQLWrapper, rdflib's SPARQLUpdateStore), httpx for the rest; no mocks.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from SPARQLWrapper import JSON, SPARQLWrapper

from missilekg.graph.reasoning.graphs import UP_TO_DATE
from missilekg.graph.store.dataset import SharedDiskDataset
from tests.servers import running_server, seed_store

TOKEN = "gaps-token-91ad"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MKG = "https://missilekg.org/ontology#"
STRIKES = f"SELECT DISTINCT ?s WHERE {{ ?s a <{MKG}Strike> }} ORDER BY ?s"
VOCABULARY = "https://missilekg.org/graph/vocabulary"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return seed_store(tmp_path_factory.mktemp("gaps"))


@pytest.fixture(scope="module")
def server(store_path) -> str:
    with running_server(store_path, env={"MISSILEKG_UPDATE_TOKEN": TOKEN}) as url:
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
    unknown = http.post("/sparql", content=b"ASK {}",
                        headers={"Content-Type": "application/sparql-query; charset=x-nope"})  # fmt: skip
    assert unknown.status_code == 415 and "x-nope" in unknown.text
    one_line(unknown)


# -- 2. using-graph-uri / using-named-graph-uri on /update ----------------------------------------------


def update(http: httpx.Client, text: str, params: dict | None = None) -> httpx.Response:
    return http.post("/update", params=params, content=text.encode(),
                     headers={"Content-Type": "application/sparql-update", **AUTH})  # fmt: skip


def test_sparqlwrapper_update_with_using_graph_uri(server, http):
    source, target = "https://example.org/graph/using-source", "https://example.org/graph/using-target"
    assert update(http, f"INSERT DATA {{ GRAPH <{source}> {{ <https://example.org/u/1> a <{MKG}Thing> }} }}"
                  ).status_code == 200  # fmt: skip
    client = SPARQLWrapper(f"{server}/sparql", updateEndpoint=f"{server}/update")
    client.setMethod("POST")
    client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    client.addParameter("using-graph-uri", source)
    # Without the protocol dataset the WHERE would read the store's (empty) default graph and copy nothing.
    client.setQuery(f"INSERT {{ GRAPH <{target}> {{ ?s a <{MKG}Copied> }} }} WHERE {{ ?s a <{MKG}Thing> }}")
    assert client.query().response.status == 200
    assert ask(http, f"ASK {{ GRAPH <{target}> {{ <https://example.org/u/1> a <{MKG}Copied> }} }}")


def test_using_named_graph_uri_and_the_short_delete_where(http):
    graph = "https://example.org/graph/using-named"
    assert update(http, f"INSERT DATA {{ GRAPH <{graph}> {{ <https://example.org/u/2> <{MKG}p> 1, 2 }} }}"
                  ).status_code == 200  # fmt: skip
    reply = update(http, f"DELETE WHERE {{ GRAPH <{graph}> {{ ?s <{MKG}p> 1 }} }}", {"using-named-graph-uri": graph})
    assert reply.status_code == 200, reply.text
    assert not ask(http, f"ASK {{ GRAPH <{graph}> {{ ?s <{MKG}p> 1 }} }}")
    assert ask(http, f"ASK {{ GRAPH <{graph}> {{ ?s <{MKG}p> 2 }} }}")
    # A named graph that the protocol dataset leaves out is not seen by the WHERE.
    reply = update(http, f"DELETE WHERE {{ GRAPH <{graph}> {{ ?s <{MKG}p> 2 }} }}",
                   {"using-named-graph-uri": "https://example.org/graph/other"})  # fmt: skip
    assert reply.status_code == 200 and ask(http, f"ASK {{ GRAPH <{graph}> {{ ?s <{MKG}p> 2 }} }}")


@pytest.mark.parametrize(
    ("text", "params", "message"),
    [
        ("INSERT DATA { <a:s> <a:p> 1 } ; WITH <https://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
         {"using-graph-uri": "https://example.org/g"}, "operation 2 has its own WITH (at character 32)"),
        ("DELETE { ?s ?p ?o } USING <https://example.org/g> WHERE { ?s ?p ?o }",
         {"using-named-graph-uri": "https://example.org/g"}, "operation 1 has its own USING (at character 20)"),
        ("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"using-graph-uri": "not an iri"}, "using-graph-uri: 'not an iri'"),
    ],
)  # fmt: skip
def test_a_protocol_dataset_and_an_operation_dataset_conflict(http, text, params, message):
    reply = update(http, text, params)
    assert reply.status_code == 400 and message in reply.text, reply.text
    one_line(reply)


def test_using_graph_uri_in_a_form_post(http):
    graph = "https://example.org/graph/using-form"
    assert update(http, f"INSERT DATA {{ GRAPH <{graph}> {{ <https://example.org/u/3> <{MKG}p> 3 }} }}"
                  ).status_code == 200  # fmt: skip
    form = {"update": f"INSERT {{ GRAPH <{graph}> {{ ?s <{MKG}q> ?o }} }} WHERE {{ ?s <{MKG}p> ?o }}",
            "using-graph-uri": graph}  # fmt: skip
    assert http.post("/update", data=form, headers=AUTH).status_code == 200
    assert ask(http, f"ASK {{ GRAPH <{graph}> {{ <https://example.org/u/3> <{MKG}q> 3 }} }}")


# -- 3. relative IRIs ---------------------------------------------------------------------------


def test_relative_iris_resolve_against_the_endpoint(server, http):
    store = SPARQLUpdateStore(f"{server}/sparql", f"{server}/update", headers=AUTH, autocommit=True)
    store.update("INSERT DATA { GRAPH <graph/relative> { <person/1> <knows> <person/2> } }")
    absolute = f"{server}/person/1"
    assert ask(http, f"ASK {{ GRAPH <{server}/graph/relative> {{ <{absolute}> <{server}/knows> ?o }} }}")
    # /sparql and /update are siblings, so the same relative IRI means the same thing in both.
    assert ask(http, "ASK { GRAPH <graph/relative> { <person/1> <knows> <person/2> } }")


def test_a_declared_base_wins(http):
    text = "BASE <https://example.org/base/> INSERT DATA { GRAPH <g> { <person/1> <knows> <person/3> } }"
    assert update(http, text).status_code == 200
    assert ask(http, "ASK { GRAPH <https://example.org/base/g> { <https://example.org/base/person/1> ?p ?o } }")
    assert ask(http, "BASE <https://example.org/base/> ASK { GRAPH <g> { <person/1> <knows> <person/3> } }")


def test_a_relative_iri_cannot_reach_the_inference_graph(http):
    text = "BASE <https://missilekg.org/graph/> INSERT DATA { GRAPH <inferred> { <a:s> <a:p> 1 } }"
    reply = update(http, text)
    assert reply.status_code == 403 and "<https://missilekg.org/graph/inferred>" in reply.text
    one_line(reply)


# -- 6. is inference up to date? ----------------------------------------------------------------


def _stale_mark(http: httpx.Client) -> tuple[bool, bool]:
    health = http.get("/health").json()["inference"]["up_to_date"]
    described = rdflib.Graph().parse(data=http.get("/sparql", headers={"Accept": "text/turtle"}).content,
                                     format="turtle")  # fmt: skip
    said = described.value(rdflib.URIRef(UP_TO_DATE.subject.value), rdflib.URIRef(UP_TO_DATE.predicate.value))
    return health, bool(said.toPython())


def test_health_and_service_description_say_whether_inference_is_up_to_date(http, store_path):
    assert _stale_mark(http) == (True, True)
    # What a crash in the middle of an inference pass leaves behind: the mark gone (see passes.write_with_inference).
    # Written as any other process writes while the server runs: under the write lock (the server's writer process
    # holds the store between its writes), publishing a snapshot for the readers.
    SharedDiskDataset(store_path).write(lambda store: store.replace_graphs({}, delete=[UP_TO_DATE]))
    assert _stale_mark(http) == (False, False)
    assert update(http, "INSERT DATA { GRAPH <https://example.org/graph/heal> { <a:s> <a:p> 1 } }").status_code == 200
    assert _stale_mark(http) == (True, True), "the next write's inference pass brings it up to date"


# -- 4. the Graph Store's default graph ---------------------------------------------------------

DEFAULT_TURTLE = b"@prefix ex: <https://example.org/default/> . ex:a ex:p ex:b , ex:c ."


def test_default_graph_round_trip(http):
    url = "/graph-store?default"
    assert http.put(url, content=DEFAULT_TURTLE, headers={"Content-Type": "text/turtle"}).status_code == 401
    assert http.put(url, content=DEFAULT_TURTLE, headers={"Content-Type": "text/turtle", **AUTH}).status_code == 204
    posted = http.post(url, content=b"<https://example.org/default/a> <https://example.org/default/p> "
                                    b"<https://example.org/default/d> .",
                       headers={"Content-Type": "application/n-triples", **AUTH})  # fmt: skip
    assert posted.status_code == 204
    back = http.get(url, headers={"Accept": "text/turtle; charset=utf-8"})
    assert back.status_code == 200
    expected = rdflib.Graph().parse(data=DEFAULT_TURTLE, format="turtle")
    expected.add(tuple(rdflib.URIRef(f"https://example.org/default/{x}") for x in "apd"))  # type: ignore[arg-type]
    assert isomorphic(rdflib.Graph().parse(data=back.content, format="turtle"), expected)
    # In the union default graph of queries, and only in the default graph (not in any named graph).
    assert ask(http, "ASK { <https://example.org/default/a> <https://example.org/default/p> "
                     "<https://example.org/default/d> }")
    assert not ask(http, "ASK { GRAPH ?g { <https://example.org/default/a> ?p ?o } }")
    # Queries still see every named graph in their default graph: the union is kept.
    assert ask(http, f"ASK {{ ?s a <{MKG}Strike> }}")
    assert http.delete(url).status_code == 401
    assert http.delete(url, headers=AUTH).status_code == 204
    assert http.get(url, headers={"Accept": "application/n-triples"}).content.strip() == b""
    assert not ask(http, "ASK { <https://example.org/default/a> ?p ?o }")
    assert ask(http, f"ASK {{ ?s a <{MKG}Strike> }}"), "emptying the default graph leaves the named graphs alone"


def test_default_graph_feeds_inference(http):
    """Triples in the default graph are asserted data: inference reads them like any graph's."""
    strike = "https://example.org/default/strike"
    body = (f"<{strike}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{MKG}Strike> .\n"
            f"<{strike}> <{MKG}strikeLocation> <https://missilekg.org/id/place/kharkiv> .\n").encode()  # fmt: skip
    assert http.put("/graph-store?default", content=body,
                    headers={"Content-Type": "application/n-triples", **AUTH}).status_code == 204  # fmt: skip
    inferred = f"ASK {{ GRAPH <https://missilekg.org/graph/inferred> {{ <{strike}> <{MKG}strikeCountry> ?c }} }}"
    assert ask(http, inferred)
    assert http.delete("/graph-store?default", headers=AUTH).status_code == 204
    assert not ask(http, inferred)


def test_rdflib_sparqlupdatestore_writes_the_default_graph(server, http):
    store = SPARQLUpdateStore(f"{server}/sparql", f"{server}/update", headers=AUTH, autocommit=True)
    store.update("INSERT DATA { <https://example.org/default/u> <https://example.org/default/p> 1 }")
    graph = http.get("/graph-store?default", headers={"Accept": "application/n-triples"})
    assert b"<https://example.org/default/u>" in graph.content
    assert http.delete("/graph-store?default", headers=AUTH).status_code == 204


# -- 5. multipart/form-data POST ----------------------------------------------------------------

MULTI = "https://example.org/graph/multipart"


def test_multipart_post_merges_every_part(http):
    url = f"/graph-store?graph={MULTI}"
    files = [
        ("a", ("first.ttl", b"@prefix ex: <https://example.org/m/> . ex:a ex:p ex:b .", "text/turtle")),
        ("b", ("second.nt", b"<https://example.org/m/a> <https://example.org/m/p> <https://example.org/m/c> .",
               "application/octet-stream")),  # generic type: the extension decides
        ("c", ("third.jsonld", b'{"@id": "https://example.org/m/a", "https://example.org/m/q": "x"}',
               "application/ld+json; charset=utf-8")),
        ("d", ("relative.ttl", b"<r> <https://example.org/m/p> <https://example.org/m/e> .", "text/turtle")),
    ]  # fmt: skip
    created = http.post(url, files=files, headers=AUTH)
    assert created.status_code == 201, created.text
    back = list(ox.parse(http.get(url, headers={"Accept": "application/n-triples"}).content,
                         format=ox.RdfFormat.N_TRIPLES))  # fmt: skip
    objects = {t.object.value for t in back}
    assert {"https://example.org/m/b", "https://example.org/m/c", "x", "https://example.org/m/e"} <= objects
    assert any(t.subject.value == "https://example.org/graph/r" for t in back), "relative IRIs: the graph's IRI is base"
    merged = http.post(url, files=[("e", ("more.ttl", b"<https://example.org/m/z> <https://example.org/m/p> 1 .",
                                          "text/turtle"))], headers=AUTH)  # fmt: skip
    assert merged.status_code == 204
    assert ask(http, f"ASK {{ GRAPH <{MULTI}> {{ <https://example.org/m/z> ?p 1 . "
                     "<https://example.org/m/a> ?q 'x' } }")


@pytest.mark.parametrize(
    ("files", "status", "message"),
    [
        ([("ok", ("ok.ttl", b"<https://example.org/m/ok> <https://example.org/m/p> 1 .", "text/turtle")),
          ("bad", ("bad.ttl", b"<https://example.org/m/x> <https://example.org/m/p> .", "text/turtle"))],
         400, "part 2 (name 'bad', file 'bad.ttl'): the Turtle does not parse: Parser error at line 1"),
        ([("ok", ("ok.ttl", b"<https://example.org/m/ok> <https://example.org/m/p> 1 .", "text/turtle")),
          ("pic", ("pic.png", b"\x89PNG", "image/png"))], 415, "part 2 (name 'pic', file 'pic.png') is image/png"),
        ([("blob", ("data.bin", b"<a:b> <a:c> <a:d> .", "application/octet-stream"))], 415, "no known file extension"),
        ([("wide", ("w.nt", "<https://example.org/m/l> <https://example.org/m/p> \"é\" .".encode("utf-16"),
                    "application/n-triples; charset=utf-8"))], 400, "part 1 (name 'wide', file 'w.nt'): the N-Triples"),
        ([("odd", ("o.nt", b"<https://example.org/m/l> <https://example.org/m/p> 1 .",
                   "application/n-triples; charset=x-nope"))], 415, "part 1 (name 'odd', file 'o.nt') names an"),
    ],
)  # fmt: skip
def test_a_bad_part_refuses_the_whole_upload(http, files, status, message):
    graph = "https://example.org/graph/multipart-refused"
    reply = http.post(f"/graph-store?graph={graph}", files=files, headers=AUTH)
    assert reply.status_code == status and message in reply.text, reply.text
    one_line(reply)
    assert http.get(f"/graph-store?graph={graph}").status_code == 404, "nothing was written"


def test_multipart_without_a_boundary_or_parts(http):
    url = f"/graph-store?graph={MULTI}-empty"
    no_boundary = http.post(url, content=b"x", headers={"Content-Type": "multipart/form-data", **AUTH})
    assert no_boundary.status_code == 400 and "boundary" in no_boundary.text
    empty = http.post(url, content=b"--b--\r\n", headers={"Content-Type": "multipart/form-data; boundary=b", **AUTH})
    assert empty.status_code == 400 and "parts" in empty.text
    one_line(empty)
