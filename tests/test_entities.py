"""Entity pages: minted IRIs dereference as HTML for people and as RDF for programs."""

from __future__ import annotations

import re
from html import unescape

import pyoxigraph as ox
import pytest

STATEMENT = "/id/statement/001_b57d21d69b0ca47c/wood-nine-occasions"


def test_a_statement_page_shows_speaker_article_and_highlighted_evidence(client):
    reply = client.get(STATEMENT, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert reply.status_code == 200 and reply.content_type.startswith("text/html")
    html = reply.get_data(as_text=True)
    marked = re.findall(r"<mark>(.*?)</mark>", html, re.DOTALL)
    assert marked and "at least nine occasions" in marked[0]
    assert 'href="/id/person/robert-wood"' in html and "Robert Wood" in html
    assert 'href="/id/article/001_b57d21d69b0ca47c"' in html
    assert "2024-02-06" in html


def test_a_weapon_page_lists_its_claims_strikes_and_transfers(client):
    html = client.get("/id/weapon/kn-23", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "KN-23" in html and "What points to it" in html
    assert "/id/strike/2024-02-07-kharkiv-kn23" in html, "the strike that used it"
    assert "/id/statement/" in html, "the claims about it"


def test_an_article_page_lists_what_was_extracted_from_it(client):
    html = client.get("/id/article/001_b57d21d69b0ca47c").get_data(as_text=True)
    assert html.count("/id/statement/001_b57d21d69b0ca47c/") >= 5


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", ox.RdfFormat.TURTLE),
                                             ("application/ld+json", ox.RdfFormat.JSON_LD),
                                             ("application/n-triples", ox.RdfFormat.N_TRIPLES)])  # fmt: skip
def test_rdf_for_programs(client, built_store, accept, fmt):
    reply = client.get("/id/weapon/kn-23", headers={"Accept": accept})
    assert reply.status_code == 200 and reply.content_type.startswith(accept)
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(reply.data, format=fmt)}
    kn23 = ox.NamedNode("https://missilekg.org/id/weapon/kn-23")
    stored = {ox.Triple(q.subject, q.predicate, q.object) for q in built_store.quads() if q.subject == kn23}
    assert {t for t in triples if t.subject == kn23} == stored
    assert any(t.object == kn23 for t in triples), "incoming links are there too"


def test_evidence_text_is_escaped(client):
    html = client.get(STATEMENT).get_data(as_text=True)
    assert "<mark>&#34;Russia" in html, "quotes in the article are escaped, not raw HTML"


def test_unknown_entities_are_404(client):
    reply = client.get("/id/weapon/no-such-weapon")
    assert reply.status_code == 404 and "nothing is known" in reply.get_data(as_text=True)


def test_the_query_page_works_offline(client):
    reply = client.get("/")
    assert reply.status_code == 200
    html = reply.get_data(as_text=True)
    assert all(f'data-query="Q{n}"' in html for n in range(1, 13))
    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert sources and all(s.startswith("/static/") for s in sources), "no CDN: every script and style is local"
    for source in sources:
        with client.get(source) as asset:
            assert asset.status_code == 200 and len(asset.data) > 10_000


def test_the_views_draw_from_the_graph(client):
    timeline = client.get("/views/timeline").get_data(as_text=True)
    assert timeline.count("<circle") >= 10 and "John Kirby" in timeline and 'href="/id/statement/' in timeline
    for by in ("speaker", "weapon", "stance", "strike-place", "supplier"):
        reply = client.get(f"/views/counts?by={by}")
        assert reply.status_code == 200 and reply.get_data(as_text=True).count("<rect") >= 2, by
    bad = client.get("/views/counts?by=<script>")
    assert bad.status_code == 400 and "use one of: speaker" in bad.get_data(as_text=True)


def test_a_statement_page_draws_its_neighbourhood_once_per_neighbour(client):
    html = client.get(STATEMENT).get_data(as_text=True)
    graph = html[html.index('<svg class="chart neighbourhood"') : html.index("</svg>", html.index("neighbourhood")) + 6]
    targets = re.findall(r'<a href="([^"]+)">', graph)
    assert "/id/person/robert-wood" in targets and "/id/article/001_b57d21d69b0ca47c" in targets
    assert len(targets) == len(set(targets)), "one node per neighbour"


def test_labels_in_pictures_are_escaped():
    from missilekg.server.charts import Bar, Neighbour, bar_chart_svg, neighbourhood_svg

    evil = '<script>alert(1)</script> "x" & y'
    svg = str(bar_chart_svg([Bar(evil, 3, '/id/x"><script>')], evil))
    svg += str(neighbourhood_svg(evil, "Person", [Neighbour(evil, None, "State", evil, True)]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and '"><script>' not in svg


STRIKE = "/id/strike/2024-02-07-kharkiv-kn23"


def test_inferred_values_link_to_why_they_hold(client):
    """The strike's country is inferred: its "why?" link shows the proof, derived on demand, down to the article."""
    html = client.get(STRIKE, headers={"Accept": "text/html"}).get_data(as_text=True)
    links = [unescape(href) for href in re.findall(r'class="why-link" href="([^"]+)"', html)]
    country = next(link for link in links if "strikeCountry" in link)
    assert all(link.startswith(f"{STRIKE}?why=") for link in links)
    assert not any("strikeLocation%3E+%3Chttps%3A%2F%2Fmissilekg.org%2Fid%2Fplace%2Fkharkiv%3E" in link
                   for link in links), "an asserted value has no why link"  # fmt: skip
    reply = client.get(country)
    assert reply.status_code == 200
    proof = reply.get_data(as_text=True).split('<section class="why"', 1)[1].split("</section>", 1)[0]
    assert "Why:" in proof and "strike-country" in proof and "prp-spo2" in proof
    assert 'href="/id/article/001_b57d21d69b0ca47c"' in proof, "asserted premises link to their article"
    assert 'href="/id/place/kharkiv-oblast"' in proof


def test_why_asks_about_one_triple_of_the_entity(client):
    assert client.get(f"{STRIKE}?why=not+a+triple").status_code == 400
    other = (
        "<https://missilekg.org/id/place/kharkiv> <https://missilekg.org/ontology#locatedIn> "
        "<https://missilekg.org/id/place/kharkiv-oblast>"
    )
    assert client.get(STRIKE, query_string={"why": other}).status_code == 400
    absent = (
        f"<https://missilekg.org{STRIKE}> <https://missilekg.org/ontology#strikeCountry> "
        "<https://missilekg.org/id/state/russia>"
    )
    reply = client.get(STRIKE, query_string={"why": absent})
    assert reply.status_code == 200 and "neither states nor derives" in reply.get_data(as_text=True)
