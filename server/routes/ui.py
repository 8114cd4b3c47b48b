"""The query page at ``/``: a SPARQL editor (YASGUI, vendored) with the catalogue of named queries.

Everything it loads is served from this package (``static/vendor/yasgui``), so it
works offline. Result IRIs minted by the graph link to the entity pages.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from missilekg.ontology import query_catalogue

#: The query page at the root; its vendored assets are served from the app's static folder (server/static/).
bp = Blueprint("ui", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    """The editor, with each catalogue query one click away."""
    catalogue = [{"name": q.name, "title": q.title, "description": q.description, "sparql": q.sparql}
                 for q in query_catalogue().values()]  # fmt: skip
    return render_template("index.html", catalogue=catalogue)
