"""The protocol's update dataset written into update texts (:mod:`missilekg.graph.io.update_dataset`), from a table;
each rewritten text is also run by pyoxigraph, so the rewriting is checked against the real parser."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from missilekg.graph.io.update_dataset import DatasetConflict, with_protocol_dataset

G, N = "https://example.org/g", "https://example.org/n"


@pytest.mark.parametrize(
    ("text", "using", "named", "expected"),
    [
        ("INSERT DATA { <a:s> <a:p> 1 }", [G], [], "INSERT DATA { <a:s> <a:p> 1 }"),
        ("CLEAR ALL", [G], [N], "CLEAR ALL"),
        ("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", [], [], "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"),
        ("DELETE { ?s ?p ?o } INSERT { ?s ?p 2 } WHERE { ?s ?p ?o }", [G], [N],
         f"DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p 2 }} USING <{G}> USING NAMED <{N}> WHERE {{ ?s ?p ?o }}"),
        ("PREFIX x: <a:> delete where { x:s ?p ?o }", [G], [],
         f"PREFIX x: <a:> DELETE {{ x:s ?p ?o }} USING <{G}> WHERE {{ x:s ?p ?o }}"),
        ("INSERT { ?s <a:p> 1 } WHERE { { SELECT ?s WHERE { ?s ?p ?o } } } ;\nDELETE WHERE { ?s <a:q> ?o }", [G, N], [],
         f"INSERT {{ ?s <a:p> 1 }} USING <{G}> USING <{N}> WHERE {{ {{ SELECT ?s WHERE {{ ?s ?p ?o }} }} }} ;\n"
         f"DELETE {{ ?s <a:q> ?o }} USING <{G}> USING <{N}> WHERE {{ ?s <a:q> ?o }}"),
        ("# WHERE in a comment\nINSERT { ?s <a:p> 'WHERE' } WHERE { ?s ?p ?o }", [G], [],
         f"# WHERE in a comment\nINSERT {{ ?s <a:p> 'WHERE' }} USING <{G}> WHERE {{ ?s ?p ?o }}"),
    ],
)  # fmt: skip
def test_protocol_dataset_is_written_in(text, using, named, expected):
    rewritten = with_protocol_dataset(text, using, named)
    assert rewritten == expected
    ox.Store().update(rewritten)  # pyoxigraph accepts it


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "operation 1 has its own WITH (at character 0)"),
        ("CLEAR ALL ; INSERT { ?s ?p 1 } USING NAMED <a:g> WHERE { ?s ?p ?o }", "operation 2 has its own USING"),
    ],
)
def test_an_operation_with_its_own_dataset_conflicts(text, message):
    with pytest.raises(DatasetConflict, match=message.replace("(", r"\(").replace(")", r"\)")):
        with_protocol_dataset(text, [G], [])
    assert with_protocol_dataset(text, [], []) == text, "without a protocol dataset nothing is checked or changed"


def test_semantics_match_the_protocol():
    """USING <g> makes g the default graph of the WHERE: here it copies g's triples into another graph."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("a:s"), ox.NamedNode("a:p"), ox.Literal("1"), ox.NamedNode(G)))
    copy = "INSERT { GRAPH <a:copy> { ?s ?p ?o } } WHERE { ?s ?p ?o }"
    store.update(copy)
    assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode("a:copy")))) == 0
    store.update(with_protocol_dataset(copy, [G], []))
    assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode("a:copy")))) == 1
