"""The SPARQL 1.1 Protocol query operation at ``/sparql``, and the service's self-description.

``/sparql`` takes a query by GET, by POST form-encoded, or by POST
``application/sparql-query``, with ``default-graph-uri`` and ``named-graph-uri``;
without a query, GET answers with the Service Description. ``/void`` has the
VoID statistics. The default graph is the union of all graphs (the article
graphs, the ontology and vocabulary, the inference graphs, and the store's
own default graph, which the Graph Store's ``?default`` writes); each named
graph is addressable with ``GRAPH``. ``Accept`` is read as RFC 9110 says
(:mod:`missilekg.server.accept`), and relative IRIs resolve against the
endpoint's IRI unless the query declares a ``BASE``.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from typing import IO, Any

import pyoxigraph as ox
from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue

from missilekg.graph.io.sparql_text import complexity, query_form, services
from missilekg.graph.reasoning.passes import is_up_to_date
from missilekg.graph.store.base import Store
from missilekg.server.description import service_triples, void_triples
from missilekg.server.formats import Format, NotAcceptable, negotiate
from missilekg.server.http import ProtocolError, body_text, dataset, respond, run_and_respond

bp = Blueprint("sparql", __name__, url_prefix="/sparql")
#: VoID statistics beside the Service Description: both describe the dataset, from the same figures.
void_bp = Blueprint("void", __name__, url_prefix="/void")

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _values(name: str) -> list[str]:
    """A parameter's values from the URL and, for form posts, the body."""
    values = request.args.getlist(name)
    if request.method == "POST" and request.mimetype in FORM_TYPES:
        values += request.form.getlist(name)
    return values


def _query_text() -> str | None:
    """The one query of the request (None for none); two queries, or an update, are a 400."""
    if _values("update"):
        raise ProtocolError(400, "this is the query endpoint: send updates by POST to /update")
    queries = _values("query")
    if request.method == "POST":
        if request.mimetype == "application/sparql-query":
            queries.append(body_text())
        elif request.mimetype not in FORM_TYPES:
            raise ProtocolError(415, f"cannot read a query from {request.mimetype or 'a body without a type'}: "
                                     "use application/sparql-query or application/x-www-form-urlencoded")  # fmt: skip
    if len(queries) > 1:
        raise ProtocolError(400, "a request carries exactly one query; this one has "
                                 f"{len(queries)} (in the URL, the form or the body)")  # fmt: skip
    return queries[0] if queries else None


def base_iri() -> str:
    """The IRI relative IRIs in a query or update resolve against: the endpoint's own (unless the text has a BASE)."""
    return request.base_url


def check_services(text: str, keyword: str = "SERVICE") -> None:
    """Refuse SERVICE calls (or LOADs) to IRIs that the ALLOWED_SERVICES setting does not list."""
    allowed = current_app.config["ALLOWED_SERVICES"]
    anything = allowed == "*" or (isinstance(allowed, list) and "*" in allowed)
    for service in services(text, keyword, base=base_iri()):
        where = f"at character {service.offset}"
        if service.endpoint is None:
            raise ProtocolError(403, f"{keyword} with a variable or unresolved IRI ({where}) is not allowed")
        if not anything and service.endpoint not in allowed:
            reason = "remote calls are limited to the IRIs in the ALLOWED_SERVICES setting"
            raise ProtocolError(403, f"{keyword} <{service.endpoint}> ({where}) is not allowed: {reason}")


def check_length(text: str) -> None:
    """Refuse query or update texts longer than MAX_QUERY_LENGTH, or nested or chained past the limits."""
    config = current_app.config
    limit = config["MAX_QUERY_LENGTH"]
    if len(text) > limit:
        raise ProtocolError(413, f"the query is {len(text):,} characters long; the limit is {limit:,}")
    if len(text) <= 1000:  # too short to nest or chain dangerously
        return
    shape = complexity(text)
    if shape.depth > config["MAX_QUERY_DEPTH"]:
        raise ProtocolError(
            400, f"the query nests brackets {shape.depth} deep; the limit is {config['MAX_QUERY_DEPTH']}"
        )
    if shape.operators > config["MAX_QUERY_OPERATORS"]:
        raise ProtocolError(400, f"the query chains {shape.operators:,} operators; "
                                 f"the limit is {config['MAX_QUERY_OPERATORS']:,}")  # fmt: skip


def _graph_list(name: str) -> list[ox.NamedNode] | None:
    values = _values(name)
    try:
        return [ox.NamedNode(value) for value in values] if values else None
    except ValueError as exc:
        raise ProtocolError(400, f"{name}: {exc}") from exc


def _format_names() -> list[str]:
    return [*_values("format"), *_values("output"), *_values("results")]


@bp.route("", methods=["GET", "POST"])
def sparql() -> ResponseReturnValue:
    """Answer a SPARQL query (or, without one, describe the service)."""
    query = _query_text()
    if query is None:
        if request.method == "POST":
            raise ProtocolError(400, "missing 'query': send it as a form field or as an application/sparql-query body")
        return service_description()
    check_length(query)
    check_services(query)
    form = query_form(query)
    try:
        fmt = negotiate(request.headers.get("Accept"), _format_names(), graph=form in ("CONSTRUCT", "DESCRIBE"))
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from exc
    default_graph, named_graphs = _graph_list("default-graph-uri"), _graph_list("named-graph-uri")
    data = dataset(current_app)
    # Read before the view is taken: if a write lands in between, the entry is filed under a generation
    # that no later request will ask for.
    generation = data.generation()
    base = base_iri()
    key = (query, tuple(_values("default-graph-uri")), tuple(_values("named-graph-uri")), fmt.mime, base, generation)
    cache = current_app.extensions["missilekg.cache"]
    cached = cache.get(key)
    if cached is not None:
        response = respond(cached, fmt.content_type)
        response.headers["X-Cache"] = "hit"
        return response
    store = data.reader()
    response = run_and_respond(_query_task(store, query, fmt, default_graph, named_graphs, base), fmt)
    if not response.is_streamed:
        body = response.get_data()
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        cache.put(key, body)
    response.headers["X-Cache"] = "miss"
    return response


def _query_task(store: Store, query: str, fmt: Format, default_graph: list[ox.NamedNode] | None,
                named_graphs: list[ox.NamedNode] | None, base: str) -> Callable[[IO[bytes]], None]:  # fmt: skip
    """The query run and serialized in ``fmt``, relative IRIs resolved against ``base`` (or the text's BASE)."""

    def task(output: IO[bytes]) -> None:
        result = store.query(query, default_graph=default_graph, named_graphs=named_graphs, base_iri=base)
        # If the text scan guessed the form wrong (it cannot, for valid queries), answer in a sane default.
        if isinstance(result, ox.QueryTriples):
            result.serialize(output, fmt.writer if isinstance(fmt.writer, ox.RdfFormat) else ox.RdfFormat.TURTLE)
        else:
            writer = fmt.writer if isinstance(fmt.writer, ox.QueryResultsFormat) else ox.QueryResultsFormat.JSON
            result.serialize(output, writer)

    return task


def _figures() -> dict[str, Any]:
    data = dataset(current_app)
    generation = data.generation()  # before the view, as for the result cache
    return current_app.extensions["missilekg.statistics"].of(data.reader(), generation)


def _endpoint() -> ox.NamedNode:
    return ox.NamedNode(request.url_root.rstrip("/") + "/sparql")


def _dataset_node() -> ox.NamedNode:
    return ox.NamedNode(request.url_root.rstrip("/") + "/void#dataset")


def _describe(triples: list[ox.Triple]) -> ResponseReturnValue:
    try:
        fmt = negotiate(request.headers.get("Accept"), _format_names(), graph=True)
    except NotAcceptable as exc:
        raise ProtocolError(406, str(exc)) from exc
    assert isinstance(fmt.writer, ox.RdfFormat)  # every graph format has an RDF syntax
    body = ox.serialize(triples, format=fmt.writer)
    assert body is not None  # no output given: serialize returns the bytes
    return respond(body, fmt.content_type)


def service_description() -> ResponseReturnValue:
    """The SPARQL 1.1 Service Description of this endpoint, with graph sizes."""
    config = current_app.config
    figures = _figures()
    fresh = is_up_to_date(dataset(current_app).reader())
    triples = list(service_triples(_endpoint(), _dataset_node(), figures, update=bool(config["UPDATE_TOKEN"]),
                                   federation=bool(config["ALLOWED_SERVICES"]),
                                   inference_up_to_date=fresh))  # fmt: skip
    return _describe(triples)


@void_bp.get("")
def void() -> ResponseReturnValue:
    """VoID statistics of the dataset: triples, classes, properties, and each named graph."""
    figures = _figures()
    return _describe(list(void_triples(_dataset_node(), _endpoint(), figures)))
