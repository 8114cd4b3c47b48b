"""What the endpoint's writes do to the store, as module functions of plain arguments.

Under ``missilekg serve`` a write runs in the writer process, not in the worker
that received it (see :mod:`missilekg.graph.store.writer`), so each change is
sent there pickled: a :func:`functools.partial` of a function below, never a
closure. A one-triple ``INSERT DATA`` takes the fast path: its quads are found
by running it on an empty in-memory store, and only their consequences are
derived (:func:`~missilekg.graph.reasoning.passes.inference_additions`) and
written with them in one transaction; any other update runs on an in-memory
copy of the asserted graphs, and what it changed is written together with
the inference graphs recomputed from that copy. Either way a reader, or a
crash, never sees the asserted change without its inference.
"""

from __future__ import annotations

import pyoxigraph as ox

from missilekg.graph.loading.build import replace_and_infer
from missilekg.graph.reasoning.graphs import DERIVED_GRAPHS, UP_TO_DATE
from missilekg.graph.reasoning.passes import infer, inference_additions, inference_graphs, write_with_inference
from missilekg.graph.store.base import QuerySyntaxError, Store
from missilekg.graph.store.sparql_text import inserts_data_only


def apply_update(text: str, recompute: bool, incremental: bool, store: Store) -> str:
    """Apply a SPARQL update and bring inference up to date; the one-line report for the client."""
    if recompute and incremental and inserts_data_only(text):
        report = _insert_incrementally(text, store)
        if report is not None:
            return report
    if not recompute:
        store.update(text)
        store.replace_graphs({}, delete=[UP_TO_DATE])  # the next inference pass must be a full one
        return "Update applied; inference not recomputed (INFER_ON_WRITE is off).\n"
    return _update_with_full_pass(text, store)


def _update_with_full_pass(text: str, store: Store) -> str:
    """Any update: run on an in-memory copy of the asserted graphs, then write what it changed together with the
    recomputed inference graphs, in one transaction when they are small (a crash in between leaves nothing)."""
    scratch = ox.Store()
    scratch.bulk_extend(quad for quad in store.quads() if quad.graph_name not in DERIVED_GRAPHS)
    before = set(scratch)
    try:
        scratch.update(text)
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from exc
    after = set(scratch)
    removed = before - after
    if any(isinstance(term, ox.BlankNode) for quad in removed for term in (quad.subject, quad.object)):
        # DELETE DATA cannot name blank nodes: apply the update itself, then the pass (two transactions).
        store.update(text)
        report = infer(store)
        return f"Update applied; inference recomputed: {report.derived} derived triples.\n"
    derived, report = inference_graphs(lambda: (q for q in scratch if q.graph_name not in DERIVED_GRAPHS))
    write_with_inference(store, {}, derived, add=after - before, delete=removed)
    return f"Update applied; inference recomputed: {report.derived} derived triples.\n"


def _insert_incrementally(text: str, store: Store) -> str | None:
    """INSERT DATA with incremental inference, in one transaction; None when it needs the full pass."""
    scratch = ox.Store()
    try:
        scratch.update(text)
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


def exists(store: Store, graph: ox.NamedNode) -> bool:
    """Whether the store has the named graph."""
    return any(g == graph for g in store.named_graphs())


def put_graph(graph: ox.NamedNode, quads: list[ox.Quad], merge: bool, recompute: bool, store: Store) -> bool:
    """Replace (or, with ``merge``, add to) a named graph and its inference; whether the graph existed."""
    existed = exists(store, graph)
    content = quads
    if merge and existed:
        content = list(dict.fromkeys([*store.quads(graph), *quads]))
    replace_and_infer(store, {graph: content}, infer=recompute)
    return existed


def delete_graph(graph: ox.NamedNode, recompute: bool, store: Store) -> bool:
    """Drop a named graph and update inference; False when there was no such graph."""
    if not exists(store, graph):
        return False
    replace_and_infer(store, {}, infer=recompute, remove=[graph])
    return True
