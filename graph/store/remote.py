"""A remote SPARQL 1.1 store as a :class:`~missilekg.graph.store.Store`: Query, Update and Graph Store Protocol.

For users who outgrow one machine: Virtuoso, GraphDB, Fuseki, QLever or
Neptune behind their standard endpoints. Chosen by a store spec that is an
``http(s)://`` query endpoint; the update and Graph Store endpoints default to
the same URL and can be set apart (``MISSILEKG_UPDATE_URL``,
``MISSILEKG_GRAPH_STORE_URL``). Whole graphs go in by Graph Store PUT/POST of
N-Triples (the bulk path), in chunks; never triple by triple.

Writes over HTTP are not one transaction across requests (``transactional`` is
False): a graph replacement is a PUT per graph, and inference data is written
after the asserted graphs, as with the embedded store's bulk path. Results come
back as pyoxigraph objects, so callers cannot tell the back ends apart.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import IO, Any

import httpx
import pyoxigraph as ox

from missilekg.graph.io.sparql_text import query_form
from missilekg.graph.store.base import (
    Bindings,
    GraphContents,
    GraphNames,
    QueryResult,
    QuerySyntaxError,
    StoreError,
    select,
)
from missilekg.graph.store.updates import drop_graphs, graph_blocks, insert_data
from missilekg.ontology.namespaces import GRAPH, XSD_BOOLEAN

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
CHUNK_TRIPLES = 50_000  # per Graph Store request
UPDATE_TRIPLES = 2_000  # per INSERT/DELETE DATA: Virtuoso's SPARQL compiler runs out of memory near 5,000


class RemoteStore:
    """A SPARQL 1.1 service as a quad store; graphs under ``scope`` are the ones it owns."""

    transactional = False

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        scope: str = GRAPH,
        timeout: float = 600.0,
        auth: tuple[str, str] | None = None,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.graph_store_url = graph_store_url
        self.scope = scope
        self.read_only = False
        #: Requests sent, by kind ("query", "update", "graph PUT", ...): how the bulk paths are checked.
        self.requests: Counter[str] = Counter()
        self._http = httpx.Client(timeout=timeout, auth=auth, headers={"User-Agent": "missilekg"})

    # -- reading ---------------------------------------------------------------

    def query(self, sparql: str, *, union_default_graph: bool = True, substitutions: Bindings | None = None,
              default_graph: GraphNames | None = None, named_graphs: GraphNames | None = None,
              base_iri: str | None = None) -> QueryResult:  # fmt: skip
        """Run a query remotely; SELECT/ASK come back as pyoxigraph solutions, CONSTRUCT as triples.

        The remote default graph is the service's own (for most stores the union
        of all graphs); ``substitutions`` become a trailing VALUES block;
        ``base_iri`` a leading ``BASE`` (a ``BASE`` in the text still wins).
        """
        sparql = _with_base(sparql, base_iri)
        form = query_form(sparql)
        if form is None:
            raise QuerySyntaxError("not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
        if substitutions:
            names = " ".join(f"?{name}" for name in substitutions)
            values = " ".join(str(value) for value in substitutions.values())
            sparql = f"{sparql}\nVALUES ({names}) {{ ({values}) }}"
        data: list[tuple[str, str]] = [("query", sparql)]
        data += [("default-graph-uri", g.value) for g in default_graph or []]
        data += [("named-graph-uri", g.value) for g in named_graphs or []]
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        reply = self._post(self.query_url, data, accept=N_TRIPLES if graph_form else RESULTS_JSON, what="query")
        if graph_form:
            scratch = ox.Store()
            scratch.load(reply.content, format=ox.RdfFormat.N_TRIPLES)
            return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
        try:
            return ox.parse_query_results(_canonical_booleans(reply.content), format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"the store's answer is not SPARQL JSON results: {exc}") from exc

    def contains(self, quad: ox.Quad) -> bool:
        """Whether the remote store holds ``quad``."""
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)
        in_default = isinstance(quad.graph_name, ox.DefaultGraph)
        pattern = f"{triple} ." if in_default else f"GRAPH {quad.graph_name} {{ {triple} }}"
        return bool(self.query(f"ASK {{ {pattern} }}"))

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """The named graphs under the store's scope (a shared service has others: system graphs, other data)."""
        for row in select(self, f"SELECT DISTINCT ?g WHERE {{ {self._in_scope} }}"):
            yield row["g"]

    def quads(self, graph: ox.NamedNode | ox.DefaultGraph | None = None) -> Iterator[ox.Quad]:
        """Every quad in scope, graph by graph (Graph Store GET where there is one)."""
        if isinstance(graph, ox.DefaultGraph):
            return iter(())
        graphs = [graph] if graph is not None else list(self.named_graphs())
        return (quad for name in graphs for quad in self._graph_quads(name))

    def _graph_quads(self, graph: ox.NamedNode) -> Iterator[ox.Quad]:
        if self.graph_store_url:
            reply = self._request("GET", self.graph_store_url, params={"graph": graph.value},
                                  headers={"Accept": N_TRIPLES}, what="graph read")  # fmt: skip
            if reply.status_code == 404:
                return
            for quad in ox.parse(reply.content, format=ox.RdfFormat.N_TRIPLES):
                yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)
            return
        result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        assert isinstance(result, ox.QueryTriples)  # a CONSTRUCT
        for triple in result:
            yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, *, graph: ox.NamedNode | None = None,
             prefixes: Mapping[str, str] | None = None) -> None:  # fmt: skip
        """Serialize the graphs in scope (quad formats) or one graph (any format)."""
        if graph is not None:
            triples = (ox.Triple(q.subject, q.predicate, q.object) for q in self._graph_quads(graph))
            ox.serialize(triples, output, fmt, prefixes=dict(prefixes or {}))
        else:
            ox.serialize(self.quads(), output, fmt, prefixes=dict(prefixes or {}))

    def generation(self) -> str:
        """A fresh token on every call: others may write to a shared service, so nothing is cached."""
        return uuid.uuid4().hex

    # -- writing ---------------------------------------------------------------

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL Update remotely (``base_iri`` as a leading ``BASE``, which one in the text overrides)."""
        self._writable()
        self._post(self.update_url, [("update", _with_base(sparql, base_iri))], accept="*/*", what="update")

    def replace_graphs(self, graphs: GraphContents, *,
                       add: Iterable[ox.Quad] = (), delete: Iterable[ox.Quad] = ()) -> None:  # fmt: skip
        """Replace each graph (Graph Store PUT of its first chunk, POST of the rest), then add and delete quads.

        A remote service's default graph is its own (often the union of its graphs): it is not written.
        """
        for graph, quads in graphs.items():
            if not isinstance(graph, ox.NamedNode):
                raise StoreError("a remote store takes quads in named graphs only")
            self._put_graph(graph, (ox.Triple(q.subject, q.predicate, q.object) for q in quads))
        delete = list(delete)
        if delete:
            for chunk in _chunks(delete, UPDATE_TRIPLES):
                self.update("DELETE DATA {\n" + graph_blocks(chunk) + "}")
        self.bulk_extend(add)

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads graph by graph with Graph Store POST (or INSERT DATA), in chunks of 50,000 triples."""
        pending: dict[ox.NamedNode, list[ox.Triple]] = {}
        for quad in quads:
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise StoreError("a remote store takes quads in named graphs only")
            batch = pending.setdefault(quad.graph_name, [])
            batch.append(ox.Triple(quad.subject, quad.predicate, quad.object))
            if len(batch) >= CHUNK_TRIPLES:
                self._post_graph(quad.graph_name, batch)
                pending[quad.graph_name] = []
        for graph, batch in pending.items():
            if batch:
                self._post_graph(graph, batch)

    def remove_graphs(self, graphs: Iterable[ox.NamedNode]) -> None:
        """Drop graphs (one update; missing ones are ignored)."""
        update = drop_graphs(graphs)
        if update:
            self.update(update)

    def close(self) -> None:
        """Release the HTTP connections."""
        self._http.close()

    @property
    def _in_scope(self) -> str:
        """A graph pattern over every triple of the graphs under the store's scope (``?g`` the graph)."""
        return f'GRAPH ?g {{ ?s ?p ?o }} FILTER STRSTARTS(STR(?g), "{self.scope}")'

    def __len__(self) -> int:
        rows = select(self, f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._in_scope} }}")
        return int(next(iter(rows))["n"].value)

    # -- HTTP --------------------------------------------------------------------

    def _put_graph(self, graph: ox.NamedNode, triples: Iterable[ox.Triple]) -> None:
        iterator = iter(triples)
        first = list(islice(iterator, CHUNK_TRIPLES))
        if not first:
            self.update(drop_graphs([graph]))
            return
        self._send_graph("PUT", graph, first)
        for chunk in _chunks(iterator, CHUNK_TRIPLES):
            self._send_graph("POST", graph, chunk)

    def _post_graph(self, graph: ox.NamedNode, triples: list[ox.Triple]) -> None:
        self._send_graph("POST", graph, triples)

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only")

    def _send_graph(self, method: str, graph: ox.NamedNode, triples: list[ox.Triple]) -> None:
        self._writable()
        if self.graph_store_url:
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            self._request(method, self.graph_store_url, params={"graph": graph.value}, content=body,
                          headers={"Content-Type": N_TRIPLES}, what=f"graph {method}")  # fmt: skip
            return
        if method == "PUT":
            self.update(drop_graphs([graph]))
        for chunk in _chunks(triples, UPDATE_TRIPLES):
            self.update(insert_data(graph, chunk))

    def _post(self, url: str, data: list[tuple[str, str]], *, accept: str, what: str) -> httpx.Response:
        body = str(httpx.QueryParams(tuple(data))).encode("utf-8")  # a tuple: httpx's list type is invariant
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        return self._request("POST", url, content=body, headers=headers, what=what)

    def _request(self, method: str, url: str, *, what: str, **kwargs: Any) -> httpx.Response:
        self.requests[what] += 1
        for attempt in range(3):
            try:
                reply = self._http.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                if attempt == 2:
                    raise StoreError(f"{what} to {url} failed: {exc}") from exc
                time.sleep(0.5 * (attempt + 1))
                continue
            if reply.status_code == 400 and what == "query":
                raise QuerySyntaxError(f"the store refused the query: {_reason(reply)}")
            if reply.status_code >= 400 and not (method == "GET" and reply.status_code == 404):
                raise StoreError(f"{what} to {url} failed: HTTP {reply.status_code}: {_reason(reply)}")
            return reply
        raise AssertionError("unreachable")


def _canonical_booleans(body: bytes) -> bytes:
    """Booleans as ``true``/``false``: some stores (Virtuoso) answer ``1``/``0``, the same value in another spelling."""
    if XSD_BOOLEAN.value.encode() not in body:
        return body
    document = json.loads(body)
    for row in document.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("datatype") == XSD_BOOLEAN.value and term.get("value") in ("1", "0"):
                term["value"] = "true" if term["value"] == "1" else "false"
    return json.dumps(document).encode("utf-8")


def _reason(reply: httpx.Response) -> str:
    return " ".join(reply.text.split())[:300]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def open_remote(spec: str, read_only: bool = False) -> RemoteStore:
    """The remote store behind an ``http(s)://`` query endpoint, configured from the environment."""
    user, password = os.environ.get("MISSILEKG_REMOTE_USER"), os.environ.get("MISSILEKG_REMOTE_PASSWORD")
    store = RemoteStore(
        spec,
        update_url=os.environ.get("MISSILEKG_UPDATE_URL"),
        graph_store_url=os.environ.get("MISSILEKG_GRAPH_STORE_URL"),
        auth=(user, password) if user and password else None,
    )
    store.read_only = read_only
    return store


def _with_base(sparql: str, base_iri: str | None) -> str:
    """The text with ``BASE <base_iri>`` in front (on the same line, so error line numbers hold), if one is given."""
    return sparql if base_iri is None else f"BASE <{base_iri}> {sparql}"
