"""Titles a reader expects (graph/io/titles.py), on entity pages and from /labels for the results table."""

from __future__ import annotations

import re

import pyoxigraph as ox

from missilekg.graph.io.titles import Titles

ID = "https://missilekg.org/id/"


def test_titles_by_speaker_date_claim_place_parties_and_headline(built_store):
    titles = Titles(built_store)
    title = titles.title
    assert title(ox.NamedNode(ID + "statement/001_b57d21d69b0ca47c/wood-accountable")).startswith(
        "Robert Wood, 2024-02-06: “Wood went on to explain that both")
    assert title(ox.NamedNode(ID + "strike/2024-02-07-kharkiv-kn23")) == "Strike in Kharkiv on 2024-02-07: KN-23"
    assert title(ox.NamedNode(ID + "transfer/iran-srbm-to-russia-ruled-out")) == (
        "Iran to Russia: Iranian short-range ballistic missile (type not stated) (denied or ruled out)")
    assert title(ox.NamedNode(ID + "article/003_60483e89d9ab359b")) == (
        "Untitled article by Man Joo Ha, published after 2024-04-04")
    assert title(ox.NamedNode(ID + "person/john-kirby")) == "John Kirby"
    evidence = title(ox.NamedNode(ID + "evidence/003_60483e89d9ab359b/mention-3052-3059"))
    assert evidence.startswith("Evidence: “")


def test_pages_are_titled_for_readers(client):
    html = client.get("/id/statement/001_b57d21d69b0ca47c/wood-accountable").get_data(as_text=True)
    heading = re.search(r"<h1>(.*?)</h1>", html, re.DOTALL)[1]
    assert heading.startswith("Robert Wood, 2024-02-06: ") and "001_b57d21d69b0ca47c" not in heading
    assert 'id="evidence"' in html
    article = client.get("/id/article/003_60483e89d9ab359b").get_data(as_text=True)
    assert "<h1>Untitled article by Man Joo Ha" in article
    assert "/id/evidence/" not in article, "evidence spans are not listed as what points to the article"


def test_labels_answers_titles_and_evidence_sentences(client):
    statement = ID + "statement/003_60483e89d9ab359b/kirby-iran-not-supplied"
    reply = client.post("/labels", json={"iris": [statement, ID + "place/kharkiv", "not an iri"]})
    assert reply.status_code == 200
    found = reply.get_json()
    assert found["titles"][ID + "place/kharkiv"] == "Kharkiv"
    assert found["titles"][statement].startswith("John Kirby, 2024-04-04: “Kirby stated")
    assert found["evidence"][statement].startswith("Kirby stated that while Iran")
    assert client.post("/labels", json={"iris": "x"}).status_code == 400
    assert client.post("/labels", json={"iris": ["x"] * 501}).status_code == 413


def test_disputed_entities_are_flagged_and_others_not(client):
    flagged = client.get("/id/transfer/iran-srbm-to-russia-ruled-out").get_data(as_text=True)
    assert 'class="disputed"' in flagged and "/views/disputes#transfer-iran-to-russia" in flagged
    assert 'class="disputed"' not in client.get("/id/strike/2024-02-07-kharkiv-kn23").get_data(as_text=True)
    views = client.get("/views/disputes").get_data(as_text=True)
    assert "John Kirby" in views and "rules out, 2024-04-04" in views
    supply = client.get("/views/supply").get_data(as_text=True)
    assert "strike in Kharkiv on 2024-02-07" in supply and "Serhii Bolvinov (2024-02-07)" in supply
