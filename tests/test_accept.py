"""The Accept parser and matcher (:mod:`missilekg.server.accept`), from a table of headers and what they get."""

from __future__ import annotations

import pytest

from missilekg.server.accept import best_match, parse_accept
from missilekg.server.formats import GRAPH_TYPES, RESULT_TYPES

RESULTS = list(RESULT_TYPES)
GRAPHS = list(GRAPH_TYPES)
SPARQLWRAPPER_JSON = "application/sparql-results+json,application/json,text/javascript,application/javascript"
SPARQLWRAPPER_N3 = "text/rdf+n3,application/n-triples,application/turtle,application/n3,text/n3,text/turtle"


@pytest.mark.parametrize(
    ("header", "offered", "expected"),
    [
        (None, RESULTS, "application/sparql-results+json"),
        ("", GRAPHS, "text/turtle"),
        ("*/*", RESULTS, "application/sparql-results+json"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", GRAPHS, "text/turtle"),
        ("application/sparql-results+json; charset=utf-8", RESULTS, "application/sparql-results+json"),
        ("application/sparql-results+json;charset=UTF-8", RESULTS, "application/sparql-results+json"),
        ('text/turtle; charset="utf-8"', GRAPHS, "text/turtle"),
        ("text/turtle;charset=utf8;q=0.9, application/n-triples;q=0.5", GRAPHS, "text/turtle"),
        ("text/csv; charset=iso-8859-1", RESULTS, None),  # we only write UTF-8: honoured, not ignored
        ("text/csv; charset=iso-8859-1, text/tab-separated-values;q=0.2", RESULTS, "text/tab-separated-values"),
        ("text/csv; charset=*", RESULTS, "text/csv"),
        ("application/ld+json; profile=\"http://www.w3.org/ns/json-ld#expanded\"", GRAPHS, "application/ld+json"),
        ('application/ld+json; profile="a,b;c", text/turtle;q=0.1', GRAPHS, "application/ld+json"),
        ("application/json;q=0.5, text/csv; charset=UTF-8", RESULTS, "text/csv"),
        ("text/*;q=0, text/csv", RESULTS, "text/csv"),  # the more specific range overrides
        ("text/*;q=0", ["text/csv", "text/tab-separated-values"], None),
        ("*/*;q=0.1, text/tab-separated-values", RESULTS, "text/tab-separated-values"),
        ("text/csv;q=0, */*", RESULTS, "application/sparql-results+json"),
        ("image/png", RESULTS, None),
        ("TEXT/CSV", RESULTS, "text/csv"),
        (SPARQLWRAPPER_JSON, RESULTS, "application/sparql-results+json"),
        (SPARQLWRAPPER_N3, GRAPHS, "text/turtle"),  # all equal: the server's first choice
        ("application/rdf+xml, text/turtle;q=0.9", GRAPHS, "application/rdf+xml"),
        ("text/turtle;q=0.5, application/n-triples;q=0.5", GRAPHS, "text/turtle"),  # a tie: the server's order
        ("text/turtle;q=2", GRAPHS, "text/turtle"),  # q out of range: the element is dropped, nothing is left
        ("text/turtle;q=abc, application/n-triples", GRAPHS, "application/n-triples"),
        ("garbage", GRAPHS, "text/turtle"),  # nothing parses: ignored like an absent header
        ("text/turtle;q=0.3;ext=1, application/n-triples;q=0.2", GRAPHS, "text/turtle"),
    ],
)
def test_best_match(header, offered, expected):
    assert best_match(header, offered) == expected


def test_parse_keeps_parameters_and_weight():
    (turtle, anything) = parse_accept('text/turtle; charset=utf-8; version="1.1" , */*; q=0.25')
    assert (turtle.type, turtle.subtype, turtle.params, turtle.q) == (
        "text", "turtle", {"charset": "utf-8", "version": "1.1"}, 1.0)  # fmt: skip
    assert (anything.type, anything.subtype, anything.q) == ("*", "*", 0.25)


@pytest.mark.parametrize("header", ["text", "*/turtle", "/", "text/", ";q=1"])
def test_malformed_elements_are_skipped(header):
    assert parse_accept(header) == []
