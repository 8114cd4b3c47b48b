"""The query page at ``/``: a SPARQL editor (YASGUI, vendored) with the catalogue of named queries.

Everything it loads is served from this package (``static/vendor/yasgui``), so it
works offline. The results table shows values, not their RDF markup: literals as
text, IRIs as labels (titles from ``/labels``) linking to their pages, and each
statement with a link to its evidence sentence; the Response tab keeps the raw form.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from missilekg.graph.io.titles import Titles
from missilekg.graph.store.base import select
from missilekg.ontology import analysis_catalogue, query_catalogue
from missilekg.ontology.namespaces import ID, MKG, PREFIXES
from missilekg.server.http import ProtocolError, dataset

#: The query page at the root; its vendored assets are served from the app's static folder (server/static/).
bp = Blueprint("ui", __name__)

#: At most this many IRIs are titled per ``/labels`` request (a results page shows far fewer).
MAX_LABELS = 500


def _entries(catalogue) -> list[dict[str, str]]:
    return [{"name": q.name, "title": q.title, "description": q.description, "sparql": q.sparql}
            for q in catalogue.values()]  # fmt: skip


@bp.get("/")
def index() -> ResponseReturnValue:
    """The editor, with each catalogue query one click away."""
    return render_template("index.html", catalogue=_entries(query_catalogue()),
                           analyses=_entries(analysis_catalogue()), prefixes=PREFIXES, minted=ID)  # fmt: skip


@bp.post("/labels")
def labels() -> ResponseReturnValue:
    """Titles of the graph's IRIs for the results table, and each statement's evidence sentence.

    Body: ``{"iris": [...]}``; answer: ``{"titles": {iri: title}, "evidence": {iri: sentence}}``.
    """
    body = request.get_json(silent=True)
    iris = body.get("iris") if isinstance(body, dict) else None
    if not isinstance(iris, list) or not all(isinstance(i, str) for i in iris):
        raise ProtocolError(400, 'expected a JSON body {"iris": ["https://…", …]}')
    if len(iris) > MAX_LABELS:
        raise ProtocolError(413, f"at most {MAX_LABELS} IRIs per request")
    store = dataset(current_app).reader()
    titles = Titles(store)
    terms = []
    for iri in dict.fromkeys(iris):
        try:
            terms.append(ox.NamedNode(iri))
        except ValueError:
            continue
    evidence = {}
    statements = [t for t in terms if t.value.startswith(ID + "statement/")]
    if statements:
        values = " ".join(str(t) for t in statements)
        query = f"SELECT ?s ?text WHERE {{ VALUES ?s {{ {values} }} ?s <{MKG}evidenceText> ?text }}"
        evidence = {row["s"].value: row["text"].value for row in select(store, query)}
    return jsonify({"titles": titles.titles(terms), "evidence": evidence})
