"""Content negotiation: which serialization a client gets, by ``Accept`` or a ``format`` parameter.

SELECT and ASK answer in the SPARQL results formats; CONSTRUCT and DESCRIBE
(and the Graph Store) in RDF syntaxes. Clients name formats in many ways:
SPARQLWrapper adds ``format=json`` (or ``output=``/``results=``), browsers send
``text/html,*/*``, rdflib asks for ``application/rdf+xml``; all are honoured,
and a request that accepts none of what is on offer gets a 406. ``Accept`` is
read by :mod:`missilekg.server.accept` (RFC 9110: parameters such as
``charset=utf-8`` are accepted).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from missilekg.ontology.errors import MissilekgError
from missilekg.server.accept import best_match


@dataclass(frozen=True)
class Format:
    """A serialization: the MIME type sent back and the pyoxigraph format that writes it."""

    mime: str
    writer: ox.QueryResultsFormat | ox.RdfFormat | None

    @property
    def content_type(self) -> str:
        """The Content-Type header value (text types say they are UTF-8)."""
        return f"{self.mime}; charset=utf-8" if self.mime.startswith("text/") else self.mime


_JSON = Format("application/sparql-results+json", ox.QueryResultsFormat.JSON)
_XML = Format("application/sparql-results+xml", ox.QueryResultsFormat.XML)
_CSV = Format("text/csv", ox.QueryResultsFormat.CSV)
_TSV = Format("text/tab-separated-values", ox.QueryResultsFormat.TSV)
_TURTLE = Format("text/turtle", ox.RdfFormat.TURTLE)
_NTRIPLES = Format("application/n-triples", ox.RdfFormat.N_TRIPLES)
_RDFXML = Format("application/rdf+xml", ox.RdfFormat.RDF_XML)
_JSONLD = Format("application/ld+json", ox.RdfFormat.JSON_LD)

#: MIME types a client may ask for, each with what it gets; the first entry is the default.
RESULT_TYPES: dict[str, Format] = {
    "application/sparql-results+json": _JSON,
    "application/json": Format("application/json", ox.QueryResultsFormat.JSON),
    "application/sparql-results+xml": _XML,
    "application/xml": Format("application/xml", ox.QueryResultsFormat.XML),
    "text/xml": Format("text/xml", ox.QueryResultsFormat.XML),
    "text/csv": _CSV,
    "text/tab-separated-values": _TSV,
}
GRAPH_TYPES: dict[str, Format] = {
    "text/turtle": _TURTLE,
    "application/x-turtle": Format("application/x-turtle", ox.RdfFormat.TURTLE),
    "text/n3": Format("text/n3", ox.RdfFormat.TURTLE),  # Turtle is N3
    "text/rdf+n3": Format("text/rdf+n3", ox.RdfFormat.TURTLE),
    "application/n-triples": _NTRIPLES,
    "text/plain": Format("text/plain", ox.RdfFormat.N_TRIPLES),
    "application/rdf+xml": _RDFXML,
    "application/xml": Format("application/xml", ox.RdfFormat.RDF_XML),
    "application/ld+json": _JSONLD,
    "application/json": Format("application/json", ox.RdfFormat.JSON_LD),
}

#: Short names for the ``format``/``output``/``results`` parameters.
RESULT_NAMES = {"json": _JSON, "xml": _XML, "csv": _CSV, "tsv": _TSV}
GRAPH_NAMES = {
    "turtle": _TURTLE, "ttl": _TURTLE, "n3": _TURTLE, "nt": _NTRIPLES, "ntriples": _NTRIPLES,
    "n-triples": _NTRIPLES, "xml": _RDFXML, "rdf": _RDFXML, "rdf+xml": _RDFXML, "rdfxml": _RDFXML,
    "json": _JSONLD, "json-ld": _JSONLD, "jsonld": _JSONLD,
}  # fmt: skip

#: What an uploaded graph may be written in (Graph Store PUT/POST).
UPLOAD_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "text/n3": ox.RdfFormat.N3,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


class NotAcceptable(MissilekgError, ValueError):
    """The client accepts none of the formats on offer."""

    def __init__(self, offered: list[str]) -> None:
        super().__init__("none of the requested media types can be produced; available: " + ", ".join(offered))


def negotiate(accept: str | None, format_names: list[str], *, graph: bool) -> Format:
    """The format to answer in: a known ``format`` parameter wins, then the ``Accept`` header; raises
    :class:`NotAcceptable`."""
    types, names = (GRAPH_TYPES, GRAPH_NAMES) if graph else (RESULT_TYPES, RESULT_NAMES)
    for name in format_names:
        lowered = name.strip().lower()
        if lowered in names:
            return names[lowered]
        if lowered in types:
            return types[lowered]
    best = best_match(accept, list(types))
    if best is None:
        raise NotAcceptable(list(types))
    return types[best]
