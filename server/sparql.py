"""A minimal SPARQL 1.1 Protocol query endpoint at ``/sparql`` (GET and POST).

The default graph is the union of all named graphs (articles, ontology,
vocabulary, inference). Results are serialized by pyoxigraph.
"""

from __future__ import annotations

import io

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue

from graph.store import QuerySyntaxError
from server import get_store

bp = Blueprint("sparql", __name__)

SELECT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def _query_text() -> str | None:
    if request.method == "GET":
        return request.args.get("query")
    if request.mimetype == "application/sparql-query":
        return request.get_data(as_text=True)
    return request.form.get("query")


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> ResponseReturnValue:
    """Answer a SPARQL query with the result format the client accepts."""
    query = _query_text()
    if not query:
        return Response("Missing 'query' parameter.\n", 400, mimetype="text/plain")
    try:
        result = get_store(current_app).query(query)
    except QuerySyntaxError as exc:
        return Response(f"Malformed query: {exc}\n", 400, mimetype="text/plain")
    output = io.BytesIO()
    if isinstance(result, ox.QueryTriples):
        mime = request.accept_mimetypes.best_match(list(GRAPH_TYPES), default="text/turtle")
        result.serialize(output, GRAPH_TYPES[mime])
    else:
        mime = request.accept_mimetypes.best_match(list(SELECT_TYPES), default="application/sparql-results+json")
        result.serialize(output, SELECT_TYPES[mime])
    return Response(output.getvalue(), 200, mimetype=mime)
