"""Wikidata links: the link report, and federation that joins the graph with a Wikidata-shaped endpoint."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner

from missilekg.graph.linking import link_report
from missilekg.graph.loading.build import build
from missilekg.graph.store.embedded import EmbeddedStore
from missilekg.server.cli import main
from tests.conftest import SEEDS
from tests.servers import call, running_server

FACTS = Path(__file__).parent / "data" / "wikidata-facts.ttl"
JOIN = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX wdt:  <http://www.wikidata.org/prop/direct/>
SELECT DISTINCT ?place ?wikidataLabel ?countryLabel WHERE {
  ?place a <https://missilekg.org/ontology#Place> ; skos:exactMatch ?item .
  SERVICE <ENDPOINT> { ?item rdfs:label ?wikidataLabel ; wdt:P17 ?country . ?country rdfs:label ?countryLabel }
}
"""


def test_link_report_lists_linked_and_unlinked(built_store):
    entities = {e.label: e for e in link_report(built_store)}
    assert entities["Ukraine"].wikidata == "http://www.wikidata.org/entity/Q212"
    assert entities["Kharkiv"].wikidata == "http://www.wikidata.org/entity/Q42308"
    kirby = entities["John Kirby"]
    assert kirby.wikidata is None and any("unverified" in c for c in kirby.candidates)
    assert all(
        e.wikidata is None or e.wikidata.startswith("http://www.wikidata.org/entity/Q") for e in entities.values()
    )


def test_link_candidates_come_from_matching_linked_entities():
    g = ox.NamedNode("https://missilekg.org/graph/article/test-link")
    node = ox.NamedNode("https://missilekg.org/id/place/kiev-city")
    store = EmbeddedStore()
    build(store, SEEDS)
    skos = "http://www.w3.org/2004/02/skos/core#"
    store.replace_graphs({g: [
        ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("https://missilekg.org/ontology#Place"), g),
        ox.Quad(node, ox.NamedNode(skos + "prefLabel"), ox.Literal("Kiev", language="en"), g),
        ox.Quad(node, ox.NamedNode("https://missilekg.org/ontology#linkStatus"), ox.Literal("not yet linked"), g),
    ]})  # fmt: skip
    kiev = next(e for e in link_report(store) if e.iri == node.value)
    assert kiev.first_seen_in_article and kiev.wikidata is None
    assert any("Q1899" in c and "Kyiv" in c for c in kiev.candidates), kiev.candidates


def test_cli_link(tmp_path):
    store = f"oxigraph:{tmp_path / 'store'}"
    runner = CliRunner()
    assert runner.invoke(main, ["--store", store, "build", "--seeds", str(SEEDS)]).exit_code == 0
    result = runner.invoke(main, ["--store", store, "link", "--unlinked"])
    assert result.exit_code == 0 and "John Kirby" in result.output and "Q212" not in result.output
    assert "candidate: listed in wikidata-links.tsv" in result.output


def test_federated_join_with_a_local_wikidata_shaped_endpoint(tmp_path):
    wikidata_store = tmp_path / "wikidata"
    facts = EmbeddedStore(wikidata_store)
    g = ox.NamedNode("https://example.org/wikidata")
    facts.replace_graphs({g: [ox.Quad(t.subject, t.predicate, t.object, g)
                              for t in ox.parse(path=str(FACTS), format=ox.RdfFormat.TURTLE)]})  # fmt: skip
    facts.close()
    graph_store = tmp_path / "graph"
    built = EmbeddedStore(graph_store)
    build(built, SEEDS)
    built.close()
    with (
        running_server(wikidata_store) as wikidata,
        running_server(graph_store, extra=["--allow-service", f"{wikidata}/sparql"]) as url,
    ):
        query = JOIN.replace("ENDPOINT", f"{wikidata}/sparql")
        reply = call("GET", f"{url}/sparql?query={urllib.parse.quote(query)}")
        assert reply.status == 200, reply.text
        rows = {(b["wikidataLabel"]["value"], b["countryLabel"]["value"]) for b in reply.json()["results"]["bindings"]}
        assert {("Kharkiv", "Ukraine"), ("Kharkiv Oblast", "Ukraine"), ("Zaporizhzhia Oblast", "Ukraine")} <= rows
        real = JOIN.replace("ENDPOINT", "https://query.wikidata.org/sparql")
        refused = call("GET", f"{url}/sparql?query={urllib.parse.quote(real)}")
        assert refused.status == 403 and "ALLOWED_SERVICES" in refused.text
