"""The missilekg command (CliRunner) and the /sparql endpoint (test client and a live server)."""

from __future__ import annotations

import json

import pyoxigraph as ox
import rdflib
from click.testing import CliRunner
from SPARQLWrapper import CSV, JSON, TURTLE, SPARQLWrapper

from missilekg.server.cli import main

from .conftest import SEEDS


def run(*args: str, store: str, input: str | None = None):
    return CliRunner().invoke(main, ["--store", store, *args], input=input, catch_exceptions=False)


def test_build_then_query_q2_prints_the_timeline(tmp_path):
    store = f"oxigraph:{tmp_path / 'store'}"
    built = run("build", "--seeds", str(SEEDS), store=store)
    assert built.exit_code == 0, built.output
    assert "Built 7 graphs" in built.output
    result = run("query", "--name", "Q2", store=store)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("date ") and "hedge" in lines[0] and "unit" in lines[0]
    kostin = [line for line in lines if "Andriy Kostin" in line and "at least 24" in line]
    assert kostin and "missiles" in kostin[0] and "2024-02-09" in kostin[0]
    assert any("several dozen" in line and "John Kirby" in line for line in lines)
    assert any("at least nine occasions" in line and "occasions" in line for line in lines)


def test_query_formats_and_sources(tmp_path):
    store = f"oxigraph:{tmp_path / 'store'}"
    run("build", "--seeds", str(SEEDS), store=store)
    as_json = run("query", "--name", "q11", "--format", "json", store=store)
    bindings = json.loads(as_json.output)["results"]["bindings"]
    assert {b["speakerName"]["value"] for b in bindings} >= {"Robert Wood", "Joonkook Hwang"}
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://missilekg.org/ontology#Article> }"
    from_stdin = run("query", "--format", "csv", store=store, input=count)
    assert from_stdin.output.split() == ["n", "5"]
    query_file = tmp_path / "q.rq"
    query_file.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert run("query", "--file", str(query_file), store=store).output.strip() == "true"
    broken = run("query", "SELECT ?x WHERE { ?x ", store=store)
    assert broken.exit_code == 1 and "malformed query" in broken.output
    unknown = run("query", "--name", "Q99", store=store)
    assert unknown.exit_code == 2 and "no query named 'Q99'" in unknown.output
    listing = run("query", "--list", store=store)
    assert "Q12" in listing.output


def test_export_validate_stats(tmp_path):
    store = f"oxigraph:{tmp_path / 'store'}"
    run("build", "--seeds", str(SEEDS), store=store)
    out = tmp_path / "graph.trig"
    assert run("export", "--format", "trig", "--output", str(out), store=store).exit_code == 0
    exported = list(ox.parse(path=str(out), format=ox.RdfFormat.TRIG))
    assert len({q.graph_name for q in exported}) == 7
    turtle = tmp_path / "one.ttl"
    graph = "https://missilekg.org/graph/article/001_b57d21d69b0ca47c"
    run("export", "--format", "turtle", "--graph", graph, "--output", str(turtle), store=store)
    assert len(rdflib.Graph().parse(turtle, format="turtle")) == sum(1 for q in exported if q.graph_name.value == graph)
    missing = run("export", "--graph", "https://example.org/none", store=store)
    assert missing.exit_code == 1 and "no graph named" in missing.output
    assert "conforms" in run("validate", store=store).output
    figures = json.loads(run("stats", "--json", store=store).output)
    assert figures["instances"]["Statement"] == 47 and figures["instances"]["Article"] == 5


def test_bad_seeds_fail_the_build_without_writing(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "a.txt").write_text("Kyiv says", encoding="utf-8")
    (folder / "a.yaml").write_text("article: a.txt\nmetadata: {}\nstatements: [\n", encoding="utf-8")
    result = run("build", "--seeds", str(folder), store=f"oxigraph:{tmp_path / 'store'}")
    assert result.exit_code == 1
    assert "a.yaml:" in result.output and "invalid YAML" in result.output and "store is unchanged" in result.output


def test_sparql_endpoint_with_test_client(client):
    ok = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
                    headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert ok.status_code == 200 and ok.get_json()["boolean"] is True
    bad = client.post("/sparql", data={"query": "SELEC ?x"})
    assert bad.status_code == 400 and "Malformed query" in bad.get_data(as_text=True)
    description = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert description.status_code == 200 and b"sparql-service-description#Service" in description.data
    assert client.get("/health").get_json()["status"] == "ok"


def test_sparqlwrapper_against_live_server(live_server):
    endpoint = SPARQLWrapper(f"{live_server}/sparql")
    endpoint.setQuery(
        "PREFIX mkg: <https://missilekg.org/ontology#> "
        "SELECT ?s WHERE { ?s mkg:speaker <https://missilekg.org/id/person/robert-wood> }"
    )
    endpoint.setReturnFormat(JSON)
    bindings = endpoint.queryAndConvert()["results"]["bindings"]
    assert len(bindings) == 2
    endpoint.setReturnFormat(CSV)
    assert endpoint.queryAndConvert().decode().startswith("s\r\n")
    construct = SPARQLWrapper(f"{live_server}/sparql")
    construct.setQuery("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://missilekg.org/graph/vocabulary> { ?s ?p ?o } }")
    construct.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=construct.queryAndConvert(), format="turtle")
    assert len(graph) > 400


def test_void_counts_follow_writes(fresh_store):
    from missilekg.server import create_app

    client = create_app({"TESTING": True, "UPDATE_TOKEN": "t"}, store=fresh_store).test_client()

    def triples() -> int:
        body = client.get("/void", headers={"Accept": "application/n-triples"}).get_data(as_text=True)
        line = next(
            x
            for x in body.splitlines()
            if x.startswith("<http://localhost/void#dataset> <http://rdfs.org/ns/void#triples>")
        )
        return int(line.split('"')[1])

    before = triples()
    reply = client.put("/graph-store?graph=https://example.org/g", data=b"<a:b> <a:c> <a:d> .\n<a:b> <a:c> <a:e> .\n",
                       headers={"Content-Type": "application/n-triples", "Authorization": "Bearer t"})  # fmt: skip
    assert reply.status_code == 201
    assert triples() == before + 2
