"""Terms between pyoxigraph and rdflib: one conversion for every place that hands data to rdflib-based tools."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def to_rdflib(term: Term) -> rdflib.term.Node:
    """The rdflib term for a pyoxigraph one.

    >>> to_rdflib(ox.Literal("Kyiv", language="en"))
    rdflib.term.Literal('Kyiv', lang='en')
    """
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def from_rdflib(node: rdflib.term.Node) -> Term:
    """The pyoxigraph term for an rdflib IRI, blank node or literal (plain literals become xsd:string).

    >>> from_rdflib(rdflib.Literal("24", datatype=rdflib.XSD.decimal)).datatype.value
    'http://www.w3.org/2001/XMLSchema#decimal'
    """
    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    if not isinstance(node, rdflib.Literal):
        raise TypeError(f"not an IRI, blank node or literal: {node!r}")
    if node.language:
        return ox.Literal(str(node), language=node.language)
    return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype or rdflib.XSD.string)))
