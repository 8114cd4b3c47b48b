"""The baseline stack for the endpoint benchmark: one Flask route, one small query, pyoxigraph's JSON.

Run under gunicorn by ``benchmarks/endpoint.py``; the store path comes from
``BARE_STORE`` and the query from ``BARE_QUERY``. Nothing else: no
negotiation, limits, cache or streaming.
"""

from __future__ import annotations

import os

import pyoxigraph as ox
from flask import Flask, Response

app = Flask(__name__)
store = ox.Store.read_only(os.environ["BARE_STORE"])
query = os.environ["BARE_QUERY"]


@app.get("/sparql")
def small_query() -> Response:
    """Run the small query and return SPARQL JSON."""
    result = store.query(query, use_default_graph_as_union=True)
    return Response(result.serialize(format=ox.QueryResultsFormat.JSON), mimetype="application/sparql-results+json")
