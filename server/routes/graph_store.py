"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/graph-store`` (indirect graph identification).

``?graph=IRI`` names a graph; ``?default`` is the store's own default graph.
Queries still see the union of every graph as their default graph, and that
union includes this one, so what a client PUTs to ``?default`` is queryable
like any other data, while the Graph Store reads and writes exactly that
graph (not the union, which nobody could write consistently). GET and HEAD
are for everyone; PUT (replace), POST (merge) and DELETE need the bearer
token, ``?default`` included, and each replaces the graph together with a
recomputed inference graph in one transaction. A POST (or PUT) may be
``multipart/form-data``, each part an RDF document (:mod:`missilekg.server.uploads`).
The inference graphs are written by inference only.
"""

from __future__ import annotations

from functools import partial
from typing import IO

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue

from missilekg.graph.io.export import FORMATS, export, export_default_graph
from missilekg.graph.reasoning.graphs import DERIVED_GRAPHS
from missilekg.graph.store.base import GraphName
from missilekg.server import writes
from missilekg.server.formats import UPLOAD_TYPES, Format, NotAcceptable, negotiate
from missilekg.server.http import ProtocolError, as_utf8, dataset, require_token, run_and_respond
from missilekg.server.uploads import multipart_quads, parse_document

bp = Blueprint("graph_store", __name__, url_prefix="/graph-store")
#: Downloads of the dataset as `missilekg export` writes them; the same serialisation as the Graph Store GET.
export_bp = Blueprint("export", __name__, url_prefix="/export")


def _target() -> GraphName:
    """The graph the request is about: a named graph, or the store's default graph for ``?default``."""
    graphs, default = request.args.getlist("graph"), "default" in request.args
    if len(graphs) + default != 1:
        raise ProtocolError(400, "name exactly one graph: ?graph=IRI, or ?default for the default graph")
    if default:
        return ox.DefaultGraph()
    try:
        return ox.NamedNode(graphs[0])
    except ValueError as exc:
        raise ProtocolError(400, f"graph: {exc}") from exc


_exists = writes.exists


def _describe(graph: GraphName) -> str:
    return "the default graph" if isinstance(graph, ox.DefaultGraph) else f"<{graph.value}>"


@bp.route("", methods=["GET", "HEAD"])
def read_graph() -> ResponseReturnValue:
    """Serialize a named graph (or the store's default graph) in the negotiated RDF syntax."""
    graph = _target()
    try:
        fmt = negotiate(request.headers.get("Accept"), request.args.getlist("format"), graph=True)
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from exc
    store = dataset(current_app).reader()
    if not _exists(store, graph):
        raise ProtocolError(404, f"no graph {_describe(graph)} in this store")
    if request.method == "HEAD":
        return Response(status=200, content_type=fmt.content_type)

    # The same bytes as `missilekg export` and /export: sorted, with the prefixes.
    assert isinstance(fmt.writer, ox.RdfFormat)  # every graph format has an RDF syntax
    name = export_name(fmt.writer)

    def task(output: IO[bytes]) -> None:
        if isinstance(graph, ox.DefaultGraph):
            export_default_graph(store, output, fmt.writer)  # type: ignore[arg-type]
        else:
            export(store, output, name, graph=graph.value, include_inferred=True)

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


def _writable_target() -> GraphName:
    require_token()
    graph = _target()
    if graph in DERIVED_GRAPHS:
        raise ProtocolError(403, f"{_describe(graph)} is derived: it is written by inference only")
    return graph


def _uploaded(graph: GraphName) -> list[ox.Quad]:
    """The request body's RDF as quads of ``graph``: one document, or (multipart) every part merged."""
    base = request.base_url if isinstance(graph, ox.DefaultGraph) else graph.value
    if request.mimetype == "multipart/form-data":
        return multipart_quads(request.get_data(), request.headers.get("Content-Type", ""), graph, base)
    rdf_format = UPLOAD_TYPES.get(request.mimetype)
    if rdf_format is None:
        raise ProtocolError(415, f"cannot read a graph from {request.mimetype or 'a body without a type'}: "
                                 f"use one of {', '.join(UPLOAD_TYPES)}, or multipart/form-data")  # fmt: skip
    data = as_utf8(request.get_data(), request.mimetype_params.get("charset"))
    return parse_document(data, rdf_format, graph, base, "the uploaded graph")


@bp.route("", methods=["PUT", "POST"])
def write_graph() -> ResponseReturnValue:
    """PUT replaces the graph with the body, POST adds the body to it; 201 when the graph is new, else 204.

    The default graph always exists, so writing it answers 204.
    """
    graph = _writable_target()
    quads = _uploaded(graph)
    infer = bool(current_app.config["INFER_ON_WRITE"])
    merge = request.method == "POST"
    existed = dataset(current_app).write(partial(writes.put_graph, graph, quads, merge, infer))
    return Response(status=204 if existed else 201)


@bp.delete("")
def delete_graph() -> ResponseReturnValue:
    """Drop a named graph (or empty the default graph) and recompute inference; 204, or 404 for no such graph."""
    graph = _writable_target()
    infer = bool(current_app.config["INFER_ON_WRITE"])
    if not dataset(current_app).write(partial(writes.delete_graph, graph, infer)):
        raise ProtocolError(404, f"no graph {_describe(graph)} in this store")
    return Response(status=204)
