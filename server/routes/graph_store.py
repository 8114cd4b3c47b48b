"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/graph-store`` (indirect graph identification).

``?graph=IRI`` names a graph; ``?default`` is the default graph, which here is
the union of the named graphs, so it can be read but not written. GET and
HEAD are for everyone; PUT (replace), POST (merge) and DELETE need the bearer
token, and each replaces the graph together with a recomputed inference
graph in one transaction. The inference graphs are written by inference only.
"""

from __future__ import annotations

from functools import partial
from typing import IO

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue

from missilekg.graph.io.export import FORMATS, export
from missilekg.graph.reasoning.graphs import DERIVED_GRAPHS
from missilekg.server import writes
from missilekg.server.formats import UPLOAD_TYPES, Format, NotAcceptable, negotiate
from missilekg.server.http import ProtocolError, dataset, require_token, run_and_respond

bp = Blueprint("graph_store", __name__, url_prefix="/graph-store")
#: Downloads of the dataset as `missilekg export` writes them; the same serialisation as the Graph Store GET.
export_bp = Blueprint("export", __name__, url_prefix="/export")


def _target() -> ox.NamedNode | None:
    """The named graph the request is about, or None for the default graph."""
    graphs, default = request.args.getlist("graph"), "default" in request.args
    if len(graphs) + default != 1:
        raise ProtocolError(400, "name exactly one graph: ?graph=IRI, or ?default for the default graph")
    if default:
        return None
    try:
        return ox.NamedNode(graphs[0])
    except ValueError as exc:
        raise ProtocolError(400, f"graph: {exc}") from exc


_exists = writes.exists


@bp.route("", methods=["GET", "HEAD"])
def read_graph() -> ResponseReturnValue:
    """Serialize a named graph (or the union default graph) in the negotiated RDF syntax."""
    graph = _target()
    try:
        fmt = negotiate(request.accept_mimetypes, request.args.getlist("format"), graph=True)
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from exc
    store = dataset(current_app).reader()
    if graph is not None and not _exists(store, graph):
        raise ProtocolError(404, f"no graph <{graph.value}> in this store")
    if request.method == "HEAD":
        return Response(status=200, content_type=fmt.content_type)

    # The same bytes as `missilekg export` and /export: sorted, with the prefixes.
    name = export_name(fmt.writer)  # type: ignore[arg-type]

    def task(output: IO[bytes]) -> None:
        export(store, output, name, graph=None if graph is None else graph.value, include_inferred=True)

    return run_and_respond(task, fmt)


EXTENSIONS = {"turtle": "ttl", "trig": "trig", "nquads": "nq", "ntriples": "nt", "jsonld": "jsonld", "rdfxml": "rdf"}
MEDIA_TYPES = {name: rdf_format.media_type for name, rdf_format in FORMATS.items()}


def export_name(writer: ox.RdfFormat) -> str:
    """The export format name (``turtle``, ``rdfxml``…) of a pyoxigraph RDF format."""
    return next(name for name, rdf_format in FORMATS.items() if rdf_format == writer)


@export_bp.get("")
def download() -> ResponseReturnValue:
    """A download of the dataset (or one graph) as ``missilekg export`` writes it: ?format=&graph=&include-inferred."""
    name = request.args.get("format", "trig")
    if name not in FORMATS:
        raise ProtocolError(400, f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    graph = request.args.get("graph")
    include_inferred = request.args.get("include-inferred", "false").lower() in ("", "1", "true", "yes")
    store = dataset(current_app).reader()
    if graph is not None and not _exists(store, ox.NamedNode(graph)):
        raise ProtocolError(404, f"no graph <{graph}> in this store")

    def task(output: IO[bytes]) -> None:
        export(store, output, name, graph=graph, include_inferred=include_inferred)

    response = run_and_respond(task, Format(MEDIA_TYPES[name], FORMATS[name]))
    stem = "missilekg" if graph is None else "missilekg-" + graph.rstrip("/").rsplit("/", 1)[-1]
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{EXTENSIONS[name]}"'
    return response


def _writable_target() -> ox.NamedNode:
    require_token()
    graph = _target()
    if graph is None:
        raise ProtocolError(400, "the default graph is the union of the named graphs and cannot be written; "
                                 "name a graph with ?graph=IRI")  # fmt: skip
    if graph in DERIVED_GRAPHS:
        raise ProtocolError(403, f"<{graph.value}> is derived: it is written by inference only")
    return graph


def _uploaded(graph: ox.NamedNode) -> list[ox.Quad]:
    rdf_format = UPLOAD_TYPES.get(request.mimetype)
    if rdf_format is None:
        raise ProtocolError(415, f"cannot read a graph from {request.mimetype or 'a body without a type'}: "
                                 f"use one of {', '.join(UPLOAD_TYPES)}")  # fmt: skip
    try:
        return [ox.Quad(t.subject, t.predicate, t.object, graph)
                for t in ox.parse(request.get_data(), format=rdf_format, base_iri=graph.value)]  # fmt: skip
    except SyntaxError as exc:
        raise ProtocolError(400, f"the uploaded {rdf_format.name} does not parse: {exc}") from exc


@bp.route("", methods=["PUT", "POST"])
def write_graph() -> ResponseReturnValue:
    """PUT replaces the graph with the body, POST adds the body to it; 201 when the graph is new, else 204."""
    graph = _writable_target()
    quads = _uploaded(graph)
    infer = bool(current_app.config["INFER_ON_WRITE"])
    merge = request.method == "POST"
    existed = dataset(current_app).write(partial(writes.put_graph, graph, quads, merge, infer))
    return Response(status=204 if existed else 201)


@bp.delete("")
def delete_graph() -> ResponseReturnValue:
    """Drop a named graph and recompute inference; 204, or 404 when there is no such graph."""
    graph = _writable_target()
    infer = bool(current_app.config["INFER_ON_WRITE"])
    if not dataset(current_app).write(partial(writes.delete_graph, graph, infer)):
        raise ProtocolError(404, f"no graph <{graph.value}> in this store")
    return Response(status=204)
