"""The SPARQL 1.1 Update operation at ``/update``: POST only, bearer token only, then inference.

Writes are switched off unless an ``UPDATE_TOKEN`` is configured. An update
runs under the query time limit and brings the inference graph up to date
(``INFER_ON_WRITE``), so derived triples never go stale: an ``INSERT DATA``
incrementally, in the same transaction (``INCREMENTAL_UPDATES``), anything
else by a full pass (see :mod:`missilekg.server.writes`).
Anything an update writes into the inference graphs themselves is replaced
by that recomputation. The protocol's ``using-graph-uri`` and
``using-named-graph-uri`` set the dataset of each operation's WHERE, and
relative IRIs resolve against ``/update``'s own IRI unless the text has a BASE.
"""

from __future__ import annotations

from functools import partial
from typing import IO

import pyoxigraph as ox
from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue

from missilekg.graph.io.sparql_text import services
from missilekg.graph.io.update_dataset import DatasetConflict, with_protocol_dataset
from missilekg.graph.reasoning.graphs import DERIVED_GRAPHS
from missilekg.server import writes
from missilekg.server.formats import Format
from missilekg.server.http import ProtocolError, body_text, dataset, require_token, run_and_respond
from missilekg.server.routes.sparql import FORM_TYPES, base_iri, check_length, check_services

bp = Blueprint("update", __name__, url_prefix="/update")
PLAIN = Format("text/plain", None)


def _update_text() -> str:
    values = request.args.getlist("update")
    if request.mimetype == "application/sparql-update":
        values.append(body_text())
    elif request.mimetype in FORM_TYPES:
        values += request.form.getlist("update")
        if request.form.getlist("query"):
            raise ProtocolError(400, "this is the update endpoint: send queries to /sparql")
    else:
        raise ProtocolError(415, f"cannot read an update from {request.mimetype or 'a body without a type'}: "
                                 "use application/sparql-update or application/x-www-form-urlencoded")  # fmt: skip
    if len(values) != 1:
        raise ProtocolError(400, f"a request carries exactly one update; this one has {len(values)}")
    return values[0]


def _protocol_graphs(name: str) -> list[str]:
    """The IRIs of a ``using-graph-uri`` or ``using-named-graph-uri`` parameter (URL and form), checked."""
    values = request.args.getlist(name)
    if request.mimetype in FORM_TYPES:
        values += request.form.getlist(name)
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise ProtocolError(400, f"{name}: {value!r} is not an absolute IRI ({exc})") from exc
    return values


def _with_dataset(text: str) -> str:
    """The update with the protocol's dataset written into each operation (:mod:`.graph.io.update_dataset`)."""
    using, named = _protocol_graphs("using-graph-uri"), _protocol_graphs("using-named-graph-uri")
    try:
        return with_protocol_dataset(text, using, named)
    except DatasetConflict as exc:
        raise ProtocolError(400, str(exc)) from exc


@bp.post("")
def update() -> ResponseReturnValue:
    """Apply a SPARQL Update and recompute inference; 200 with a one-line report."""
    require_token()
    text = _update_text()
    check_length(text)
    text = _with_dataset(text)
    base = base_iri()
    check_services(text)
    check_services(text, "LOAD")  # LOAD fetches a URL from the server: the same guard as SERVICE
    for keyword in ("GRAPH", "WITH", "INTO"):
        for target in services(text, keyword, base=base):
            if target.endpoint in {graph.value for graph in DERIVED_GRAPHS}:
                raise ProtocolError(403, f"<{target.endpoint}> (at character {target.offset}) is derived: "
                                         "it is written by inference only")  # fmt: skip
    change = partial(writes.apply_update, text, bool(current_app.config["INFER_ON_WRITE"]),
                     bool(current_app.config["INCREMENTAL_UPDATES"]), base)  # fmt: skip
    data = dataset(current_app)

    def task(output: IO[bytes]) -> None:
        output.write(data.write(change).encode("utf-8"))

    return run_and_respond(task, PLAIN, what="update")
