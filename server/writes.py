"""What the endpoint's writes do to the store, as module functions of plain arguments.

Under ``missilekg serve`` a write runs in the writer process, not in the worker
that received it (see :mod:`missilekg.graph.store.writer`), so each change is
sent there pickled: a :func:`functools.partial` of a function below, never a
closure. A one-triple ``INSERT DATA`` takes the fast path: its quads are found
by running it on an empty in-memory store, and only their consequences are
derived (:func:`~missilekg.graph.reasoning.maintenance.inference_additions`, which looks
their join partners up in the store) and written with them in one transaction; a PUT or
DELETE of a graph keeps inference by delete and rederive
(:func:`~missilekg.graph.reasoning.maintenance.inference_change`); any other update runs on an in-memory
copy of the asserted graphs, and what it changed is written together with
the inference graphs recomputed from that copy. Either way a reader, or a
crash, never sees the asserted change without its inference.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from missilekg.graph.io.sparql_text import inserts_data_only
from missilekg.graph.loading.build import replace_and_infer
from missilekg.graph.reasoning.graphs import DERIVED_GRAPHS, UP_TO_DATE
from missilekg.graph.reasoning.maintenance import inference_additions
from missilekg.graph.reasoning.passes import has_provenance, infer, inference_graphs, write_with_inference
from missilekg.graph.store.base import GraphName, QuerySyntaxError, Store


def apply_update(text: str, recompute: bool, incremental: bool, base: str | None, store: Store) -> str:
    """Apply a SPARQL update (relative IRIs against ``base``) and bring inference up to date; the client's report."""
    if recompute and incremental and inserts_data_only(text):
        report = _insert_incrementally(text, base, store)
        if report is not None:
            return report
    if not recompute:
        store.update(text, base_iri=base)
        store.replace_graphs({}, delete=[UP_TO_DATE])  # the next inference pass must be a full one
        return "Update applied; inference not recomputed (INFER_ON_WRITE is off).\n"
    return _update_with_full_pass(text, base, store)


def _update_with_full_pass(text: str, base: str | None, store: Store) -> str:
    """Any update: run on an in-memory copy of the asserted graphs, then write what it changed together with the
    recomputed inference graphs, in one transaction when they are small (a crash in between leaves nothing)."""
    scratch = ox.Store()
    scratch.bulk_extend(quad for quad in store.quads() if quad.graph_name not in DERIVED_GRAPHS)
    before = set(scratch)
    try:
        scratch.update(text, base_iri=base)
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from exc
    after = set(scratch)
    removed = before - after
    if any(isinstance(term, ox.BlankNode) for quad in removed for term in (quad.subject, quad.object)):
        # DELETE DATA cannot name blank nodes: apply the update itself, then the pass (two transactions).
        kept = has_provenance(store)
        store.update(text, base_iri=base)
        report = infer(store, provenance=kept)
        return f"Update applied; inference recomputed: {report.derived} derived triples.\n"

    def asserted() -> Iterator[ox.Quad]:
        return (q for q in scratch if q.graph_name not in DERIVED_GRAPHS)

    derived, report = inference_graphs(asserted, provenance=has_provenance(store))
    write_with_inference(store, {}, derived, add=after - before, delete=removed)
    return f"Update applied; inference recomputed: {report.derived} derived triples.\n"


def _insert_incrementally(text: str, base: str | None, store: Store) -> str | None:
    """INSERT DATA with incremental inference, in one transaction; None when it needs the full pass."""
    scratch = ox.Store()
    try:
        scratch.update(text, base_iri=base)
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from exc
    new = [quad for quad in scratch if not store.contains(quad)]
    if not new:
        return "Update applied; nothing new (every triple was there already).\n"
    change = inference_additions(store, new)
    if change is None:  # schema, or inference out of date
        return None
    added, deleted, report = change
    store.replace_graphs({}, add=[*new, *added], delete=deleted)
    return f"Update applied; inference recomputed incrementally: {report.derived} new derived triples.\n"


def exists(store: Store, graph: GraphName) -> bool:
    """Whether the graph is there (the default graph always is, if only empty)."""
    return isinstance(graph, ox.DefaultGraph) or any(g == graph for g in store.named_graphs())


def put_graph(graph: GraphName, quads: list[ox.Quad], merge: bool, recompute: bool, store: Store) -> bool:
    """Replace (or, with ``merge``, add to) a named graph and its inference; whether the graph existed."""
    existed = exists(store, graph)
    content = quads
    if merge and existed:
        content = list(dict.fromkeys([*store.quads(graph), *quads]))
    replace_and_infer(store, {graph: content}, infer=recompute)
    return existed


def delete_graph(graph: GraphName, recompute: bool, store: Store) -> bool:
    """Drop a named graph (or empty the default graph) and update inference; False when there was no such graph."""
    if not exists(store, graph):
        return False
    if isinstance(graph, ox.DefaultGraph):
        replace_and_infer(store, {graph: []}, infer=recompute)
    else:
        replace_and_infer(store, {}, infer=recompute, remove=[graph])
    return True
