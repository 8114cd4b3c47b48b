"""The SPARQL endpoint served for real (gunicorn, 2 workers, loopback), used by real clients.

Two servers: a read-only one (no token; small limits so that the limit paths
are quick to reach) and a writable one with its own store and a token.
"""

from __future__ import annotations

import gzip
import io
import json
import threading
import time
import urllib.parse

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, TSV, TURTLE, XML, SPARQLWrapper

from missilekg.graph.loading.build import build
from missilekg.graph.store.embedded import EmbeddedStore
from missilekg.ontology import named_query
from tests.conftest import SEEDS
from tests.servers import call, running_server, seed_store

TOKEN = "test-token-5f2c"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MKG = "https://missilekg.org/ontology#"
VOCABULARY = "https://missilekg.org/graph/vocabulary"
INFERRED = "https://missilekg.org/graph/inferred"
STRIKES = f"SELECT DISTINCT ?s WHERE {{ ?s a <{MKG}Strike> }} ORDER BY ?s"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def reader(tmp_path_factory) -> str:
    store = seed_store(tmp_path_factory.mktemp("read"))
    env = {"MISSILEKG_MAX_RESULT_BYTES": "300000", "MISSILEKG_MAX_CONTENT_LENGTH": "1048576"}
    with running_server(store, env=env, extra=["--query-timeout", "3"]) as url:
        yield url


@pytest.fixture(scope="module")
def writer(tmp_path_factory, reader) -> str:
    store = tmp_path_factory.mktemp("write") / "store"
    built = EmbeddedStore(store)
    build(built, SEEDS)
    built.close()
    env = {"MISSILEKG_UPDATE_TOKEN": TOKEN, "MISSILEKG_BUFFER_BYTES": "20000"}
    with running_server(store, env=env, extra=["--allow-service", f"{reader}/sparql"]) as url:
        yield url


def get(url: str, path: str, params: dict | None = None, headers: dict | None = None, source: str | None = None):
    query = f"?{urllib.parse.urlencode(params, doseq=True)}" if params else ""
    return call("GET", f"{url}{path}{query}", headers=headers, source=source)


def post_form(url: str, path: str, fields: dict, headers: dict | None = None):
    body = urllib.parse.urlencode(fields, doseq=True).encode()
    return call("POST", f"{url}{path}", body, {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})


def no_leaks(reply) -> None:
    assert "Traceback" not in reply.text and "/work/" not in reply.text and ".py" not in reply.text


# -- real clients ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", POST])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_in_every_results_format(reader, method, fmt):
    client = SPARQLWrapper(f"{reader}/sparql")
    client.setMethod(method)
    client.setQuery(STRIKES)
    client.setReturnFormat(fmt)
    result = client.query()
    body = result.response.read()
    if fmt == JSON:
        assert len(json.loads(body)["results"]["bindings"]) == 7
    elif fmt == XML:
        assert body.count(b"<result>") == 7
    else:
        assert len(body.decode().strip().splitlines()) == 8  # header + 7 rows
    assert result.response.headers["Content-Type"].split(";")[0] in {
        JSON: "application/sparql-results+json", XML: "application/sparql-results+xml",
        CSV: "text/csv", TSV: "text/tab-separated-values"}[fmt]  # fmt: skip


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(reader, fmt):
    client = SPARQLWrapper(f"{reader}/sparql")
    client.setQuery(f"ASK {{ ?s a <{MKG}Strike> }}")
    client.setReturnFormat(fmt)
    converted = client.query().convert()
    assert (converted["boolean"] if fmt == JSON else b"true" in converted.toxml().encode()) is True


@pytest.mark.parametrize(
    ("fmt", "syntax"),
    [(TURTLE, ox.RdfFormat.TURTLE), (N3, ox.RdfFormat.N3), (XML, ox.RdfFormat.RDF_XML), (JSONLD, ox.RdfFormat.JSON_LD)],
)
def test_sparqlwrapper_construct_in_every_rdf_format(reader, fmt, syntax):
    client = SPARQLWrapper(f"{reader}/sparql")
    client.setQuery(f"CONSTRUCT {{ ?s a <{MKG}Strike> }} WHERE {{ ?s a <{MKG}Strike> }}")
    client.setReturnFormat(fmt)
    body = client.query().response.read()
    # pyoxigraph parses: rdflib's N3 and JSON-LD parsers warn about their own deprecated classes.
    assert len(set(ox.parse(body, format=syntax))) == 7


def test_rdflib_sparqlstore_runs_a_competency_query(reader, built_store):
    remote = rdflib.Graph(store=SPARQLStore(f"{reader}/sparql", returnFormat="json"))
    remote_rows = {
        tuple(str(v) if v is not None else "" for v in row) for row in remote.query(named_query("Q2").sparql)
    }
    local = built_store.query(named_query("Q2").sparql)
    names = [v.value for v in local.variables]
    local_rows = {tuple(s[n].value if s[n] is not None else "" for n in names) for s in local}
    assert remote_rows == local_rows and len(remote_rows) >= 11
    strikes = set(remote.subjects(rdflib.RDF.type, rdflib.URIRef(f"{MKG}Strike")))
    assert len(strikes) == 7


def test_rdflib_sparqlupdatestore_writes_with_the_token(writer):
    store = SPARQLUpdateStore(f"{writer}/sparql", f"{writer}/update", headers=AUTH, autocommit=True)
    graph = rdflib.Graph(store=store, identifier=rdflib.URIRef("https://example.org/graph/rdflib-client"))
    subject = rdflib.URIRef("https://example.org/thing/1")
    graph.add((subject, rdflib.RDFS.label, rdflib.Literal("written by rdflib")))
    check = SPARQLWrapper(f"{writer}/sparql")
    check.setQuery("ASK { GRAPH <https://example.org/graph/rdflib-client> { ?s ?p 'written by rdflib' } }")
    check.setReturnFormat(JSON)
    assert check.query().convert()["boolean"] is True
    anonymous = SPARQLUpdateStore(f"{writer}/sparql", f"{writer}/update", autocommit=True)
    with pytest.raises(Exception, match="401"):
        rdflib.Graph(store=anonymous, identifier=rdflib.URIRef("https://example.org/g")).add(
            (subject, rdflib.RDFS.label, rdflib.Literal("no token")))  # fmt: skip


# -- protocol paths ------------------------------------------------------------------------


def test_query_by_get_form_post_and_direct_post_agree(reader):
    accept = {"Accept": "text/csv"}
    by_get = get(reader, "/sparql", {"query": STRIKES}, accept)
    by_form = post_form(reader, "/sparql", {"query": STRIKES}, accept)
    direct = call("POST", f"{reader}/sparql", STRIKES.encode(), {"Content-Type": "application/sparql-query", **accept})
    assert by_get.status == by_form.status == direct.status == 200
    assert by_get.body == by_form.body == direct.body and by_get.body.count(b"\n") == 8


def test_dataset_parameters(reader):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = int(get(reader, "/sparql", {"query": count}).json()["results"]["bindings"][0]["n"]["value"])
    vocabulary = int(get(reader, "/sparql", {"query": count, "default-graph-uri": VOCABULARY})
                     .json()["results"]["bindings"][0]["n"]["value"])  # fmt: skip
    assert 0 < vocabulary < union
    graphs = get(reader, "/sparql", {"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                     "named-graph-uri": [VOCABULARY, INFERRED]}).json()  # fmt: skip
    assert {b["g"]["value"] for b in graphs["results"]["bindings"]} == {VOCABULARY, INFERRED}


def test_inference_graph_is_part_of_the_default_graph(reader):
    query = f"ASK {{ <https://missilekg.org/id/strike/2024-02-07-kharkiv-kn23> <{MKG}strikeCountry> ?c }}"
    assert get(reader, "/sparql", {"query": query}).json()["boolean"] is True


def test_format_parameters_are_honoured_or_tolerated(reader):
    assert get(reader, "/sparql", {"query": STRIKES, "format": "csv"}).headers["Content-Type"].startswith("text/csv")
    assert get(reader, "/sparql", {"query": STRIKES, "output": "xml"}).body.count(b"<result>") == 7
    tolerated = get(reader, "/sparql", {"query": STRIKES, "results": "nonsense"}, {"Accept": "text/csv"})
    assert tolerated.status == 200 and tolerated.headers["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("method", "path", "data", "headers", "status", "message"),
    [
        ("GET", "/sparql?query=SELEC%20%3Fx", None, {}, 400, "Malformed query: error at 1:"),
        ("GET", f"/sparql?query={urllib.parse.quote(STRIKES)}", None, {"Accept": "image/png"}, 406, "available"),
        ("PUT", "/sparql", b"x", {"Content-Type": "application/sparql-query"}, 405, "Method Not Allowed"),
        ("POST", "/sparql", STRIKES.encode(), {"Content-Type": "text/plain"}, 415, "application/sparql-query"),
        ("POST", f"/sparql?query={urllib.parse.quote(STRIKES)}", STRIKES.encode(),
         {"Content-Type": "application/sparql-query"}, 400, "exactly one query"),
        ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None, {}, 400, "exactly one query"),
        ("POST", "/sparql", b"update=CLEAR%20ALL", {"Content-Type": "application/x-www-form-urlencoded"}, 400,
         "/update"),
        ("POST", "/sparql", b"", {"Content-Type": "application/x-www-form-urlencoded"}, 400, "missing 'query'"),
        ("GET", "/sparql?query=" + urllib.parse.quote("SELECT * { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }"),
         None, {}, 403, "not allowed"),
        ("GET", "/sparql?query=" + urllib.parse.quote("SELECT * { SERVICE ?x { ?s ?p ?o } }"), None, {}, 403,
         "variable or unresolved"),
        ("GET", "/sparql?query=" + urllib.parse.quote("SELECT * { ?s ?p ?o }"), None, {}, 400, "limit"),
        ("POST", "/update", b"update=CLEAR%20ALL", {"Content-Type": "application/x-www-form-urlencoded"}, 403,
         "switched off"),
        ("GET", "/update", None, {}, 405, "Method Not Allowed"),
        ("PUT", "/graph-store?graph=https://example.org/g", b"<a:b> <a:c> <a:d> .",
         {"Content-Type": "application/n-triples"}, 403, "switched off"),
        ("GET", "/graph-store", None, {}, 400, "name exactly one graph"),
        ("GET", "/graph-store?graph=https://example.org/nothing", None, {}, 404, "no graph"),
    ],
)  # fmt: skip
def test_error_paths(reader, method, path, data, headers, status, message):
    reply = call(method, f"{reader}{path}", data, headers)
    assert reply.status == status, reply.text
    assert message in reply.text
    no_leaks(reply)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * WHERE " + "{" * 20000 + " ?s ?p ?o " + "}" * 20000, "nests brackets"),
        ("SELECT * WHERE { ?s " + "/".join(["<http://p>"] * 20000) + " ?o }", "chains"),
        ("SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * 20000) + ") }", "chains"),
        ("SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 20000 + "true) }", "chains"),
    ],
)
def test_pathological_queries_are_refused_and_the_worker_survives(reader, query, message):
    """Texts like these overflow pyoxigraph's recursive parser and kill the process: refused before parsing."""
    reply = call("POST", f"{reader}/sparql", query.encode(), {"Content-Type": "application/sparql-query"})
    assert reply.status == 400 and message in reply.text, "answered (a crashed worker would drop the connection)"


def test_deep_but_allowed_nesting_runs(reader):
    query = "SELECT * WHERE " + "{" * 400 + " ?s a <https://missilekg.org/ontology#Strike> " + "}" * 400
    reply = call("POST", f"{reader}/sparql", query.encode(), {"Content-Type": "application/sparql-query"})
    assert reply.status == 200


def test_a_huge_values_block_is_answered(reader):
    query = "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { " + " ".join(str(i) for i in range(50000)) + " } }"
    reply = call("POST", f"{reader}/sparql", query.encode(), {"Content-Type": "application/sparql-query"})
    assert reply.status == 200 and reply.json()["results"]["bindings"][0]["n"]["value"] == "50000"


def test_oversized_body_is_refused(reader):
    query = "ASK { ?s ?p ?o } #" + "x" * 2_000_000
    reply = call("POST", f"{reader}/sparql", query.encode(), {"Content-Type": "application/sparql-query"})
    assert reply.status == 413


def test_service_description_and_void(reader):
    described = get(reader, "/sparql", headers={"Accept": "text/turtle"})
    assert described.status == 200 and described.headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=described.body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(graph.subjects(rdflib.RDF.type, sd.Service))
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Update) not in graph, "no token: no updates"
    names = {str(n) for n in graph.objects(None, sd.name)}
    assert {VOCABULARY, INFERRED} <= names
    jsonld = get(reader, "/void", headers={"Accept": "application/ld+json"}).body
    void = rdflib.Graph().parse(data=ox.serialize(ox.parse(jsonld, format=ox.RdfFormat.JSON_LD),
                                                  format=ox.RdfFormat.N_TRIPLES), format="nt")  # fmt: skip
    vd = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = next(void.subjects(rdflib.RDF.type, vd.Dataset))
    assert int(void.value(dataset, vd.triples)) > 6000, "the whole seed graph (no provenance graph by default)"
    classes = {str(void.value(p, vd["class"])): int(void.value(p, vd.entities))
               for p in void.objects(dataset, vd.classPartition)}  # fmt: skip
    assert classes[f"{MKG}Strike"] == 7


def test_cors_and_preflight(reader):
    reply = get(reader, "/sparql", {"query": STRIKES}, {"Origin": "https://notebook.example"})
    assert reply.headers["Access-Control-Allow-Origin"] in ("*", "https://notebook.example")
    preflight = call("OPTIONS", f"{reader}/sparql", headers={
        "Origin": "https://notebook.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})  # fmt: skip
    assert preflight.status == 200 and "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_gzip_when_asked(reader):
    query = named_query("Q8").sparql
    reply = get(reader, "/sparql", {"query": query}, {"Accept-Encoding": "gzip"})
    assert reply.headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(reply.body))["results"]["bindings"]) == 47
    plain = get(reader, "/sparql", {"query": query})
    assert "Content-Encoding" not in plain.headers and len(plain.json()["results"]["bindings"]) == 47


def test_timeout_stops_the_query_and_others_are_served(reader):
    pids_before = {get(reader, "/health").json()["worker"] for _ in range(6)}
    outcome = {}

    def slow() -> None:
        started = time.monotonic()
        outcome["reply"] = get(reader, "/sparql", {"query": SLOW}, source="127.0.0.2")  # one client; the rest another
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    served = [get(reader, "/sparql", {"query": STRIKES}, {"Accept": "text/csv"}).status for _ in range(5)]
    thread.join(timeout=30)
    assert served == [200] * 5, "other clients are served while the slow query runs"
    reply = outcome["reply"]
    assert reply.status == 503 and "time limit" in reply.text and reply.headers["Retry-After"]
    assert outcome["seconds"] < 10
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:  # the busy worker is retired and replaced by a new process
        pids_after = {get(reader, "/health").json()["worker"] for _ in range(6)}
        if pids_after - pids_before:
            break
        time.sleep(0.3)
    assert pids_after - pids_before, "the worker that ran the slow query was replaced"


# -- writes -----------------------------------------------------------------------------------


def test_writes_need_the_right_token(writer):
    update = (
        b"update=" + urllib.parse.quote("INSERT DATA { GRAPH <https://example.org/g/t> { <a:b> <a:c> 1 } }").encode()
    )
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    ask = "ASK { GRAPH <https://example.org/g/t> { <a:b> <a:c> 1 } }"
    before = [get(writer, "/sparql", {"query": ask}) for _ in range(6)]
    assert not any(reply.json()["boolean"] for reply in before)
    assert "hit" in {reply.headers["X-Cache"] for reply in before}, "repeated queries come from the result cache"
    missing = call("POST", f"{writer}/update", update, form)
    assert missing.status == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = call("POST", f"{writer}/update", update, {**form, "Authorization": "Bearer nope"})
    assert wrong.status == 401
    right = call("POST", f"{writer}/update", update, {**form, **AUTH})
    assert right.status == 200 and "inference recomputed" in right.text
    assert all(get(writer, "/sparql", {"query": ask}).json()["boolean"] for _ in range(6)), "every worker sees it"
    load = call("POST", f"{writer}/update", b"LOAD <http://169.254.169.254/latest/meta-data/>",
                {"Content-Type": "application/sparql-update", **AUTH})  # fmt: skip
    assert load.status == 403 and "LOAD" in load.text
    malformed = call(
        "POST", f"{writer}/update", b"INSERT DATA {", {"Content-Type": "application/sparql-update", **AUTH}
    )
    assert malformed.status == 400 and "Malformed update" in malformed.text


def test_update_recomputes_inference(writer):
    strike = "https://example.org/strike/test"
    update = f"""INSERT DATA {{ GRAPH <https://missilekg.org/graph/article/test-update> {{
        <{strike}> a <{MKG}Strike> ; <{MKG}strikeLocation> <https://missilekg.org/id/place/kharkiv> }} }}"""
    reply = call("POST", f"{writer}/update", update.encode(), {"Content-Type": "application/sparql-update", **AUTH})
    assert reply.status == 200, reply.text
    ask = f"ASK {{ GRAPH <{INFERRED}> {{ <{strike}> <{MKG}strikeCountry> <https://missilekg.org/id/state/ukraine> }} }}"
    assert get(writer, "/sparql", {"query": ask}).json()["boolean"] is True


def test_graph_store_round_trip(writer):
    graph = "https://example.org/graph/gsp"
    url = f"{writer}/graph-store?graph={urllib.parse.quote(graph)}"
    turtle = b"@prefix ex: <https://example.org/> . ex:a ex:p ex:b , ex:c ."
    created = call("PUT", url, turtle, {"Content-Type": "text/turtle", **AUTH})
    assert created.status == 201
    replaced = call("PUT", url, turtle, {"Content-Type": "text/turtle", **AUTH})
    assert replaced.status == 204
    merged = call("POST", url, b"<https://example.org/a> <https://example.org/p> <https://example.org/d> .",
                  {"Content-Type": "application/n-triples", **AUTH})  # fmt: skip
    assert merged.status == 204
    back = call("GET", url, headers={"Accept": "text/turtle"})
    expected = rdflib.Graph().parse(data=turtle, format="turtle")
    expected.add((rdflib.URIRef("https://example.org/a"), rdflib.URIRef("https://example.org/p"),
                  rdflib.URIRef("https://example.org/d")))  # fmt: skip
    assert isomorphic(rdflib.Graph().parse(data=back.body, format="turtle"), expected)
    head = call("HEAD", url)
    assert head.status == 200 and head.body == b""
    assert call("DELETE", url, headers=AUTH).status == 204
    assert call("DELETE", url, headers=AUTH).status == 404
    assert call("GET", url).status == 404


@pytest.mark.parametrize(
    ("target", "body", "content_type", "status", "message"),
    [
        (f"graph={INFERRED}", b"<a:b> <a:c> <a:d> .", "application/n-triples", 403, "derived"),
        ("default&graph=https://example.org/g", b"<a:b> <a:c> <a:d> .", "application/n-triples", 400,
         "exactly one graph"),  # issue 15: ?default alone is writable now (tests/test_protocol_gaps.py)
        ("graph=https://example.org/bad", b"<a:b> <a:c> .\n", "application/n-triples", 400, "does not parse"),
        ("graph=https://example.org/bad", b"<a:b> <a:c> <a:d> .", "text/plain", 415, "text/turtle"),
    ],
)
def test_graph_store_refusals(writer, target, body, content_type, status, message):
    reply = call("PUT", f"{writer}/graph-store?{target}", body, {"Content-Type": content_type, **AUTH})
    assert reply.status == status and message in reply.text
    no_leaks(reply)


def test_graph_store_read_matches_the_store(writer, built_store):
    reply = call("GET", f"{writer}/graph-store?graph={urllib.parse.quote(VOCABULARY)}",
                 headers={"Accept": "application/n-triples"})  # fmt: skip
    served = rdflib.Graph().parse(data=reply.body, format="nt")
    local = rdflib.Graph().parse(data=io.BytesIO(ox.serialize(
        [ox.Triple(q.subject, q.predicate, q.object) for q in built_store.quads(ox.NamedNode(VOCABULARY))],
        format=ox.RdfFormat.N_TRIPLES)).getvalue(), format="nt")  # fmt: skip
    assert isomorphic(served, local)


def test_large_results_stream(writer):
    reply = get(writer, "/sparql", {"query": "SELECT * WHERE { ?s ?p ?o }"}, {"Accept": "text/tab-separated-values"})
    assert reply.status == 200 and "Content-Length" not in reply.headers
    assert reply.headers.get("Transfer-Encoding") == "chunked"
    assert reply.body.count(b"\n") > 6000, "every quad of the seed graph, far beyond the 20 kB buffer"


def test_allowed_federation_reaches_the_listed_endpoint(writer, reader):
    query = f"SELECT DISTINCT ?s WHERE {{ SERVICE <{reader}/sparql> {{ ?s a <{MKG}Strike> }} }}"
    reply = get(writer, "/sparql", {"query": query})
    assert reply.status == 200, reply.text
    assert len(reply.json()["results"]["bindings"]) == 7
