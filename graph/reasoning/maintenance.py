"""Keeping an up-to-date inference graph up to date as articles come and go, without a full pass.

The stored closure (every graph but the provenance graph: the asserted graphs
plus the inference graph) is never read whole. The engine reads its schema,
which is small, and looks up the partners its joins need one triple pattern at
a time (:class:`StoreClosure`), so a change costs about what it touches, not
what the store holds.

- **Addition** (:func:`inference_additions`): the new triples are reasoned over
  against the closure; what they derive is added.
- **Removal and replacement** (:func:`inference_change`), by delete and
  rederive (DRed): every stored consequence of a removed triple is
  overdeleted (forward from it, against the closure as it was); those that
  still have a derivation from what remains are rederived (each rule matched
  backwards), then the rederived and the added triples are reasoned over as an
  addition against the closure less the overdeleted. The inference graph's
  delta is written with the asserted change in one transaction.

Either returns None when only a full pass will do: inference is not up to date,
the change touches the schema (which can change any old conclusion), or, for
removals, the store keeps a provenance graph (the derivations recorded there
would have to be rewritten; a full pass writes them anew).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox

from missilekg.graph.reasoning.engines import InferenceError
from missilekg.graph.reasoning.graphs import DERIVED_GRAPHS, INFERRED_GRAPH, PROVENANCE_GRAPH
from missilekg.graph.reasoning.native import Inference, NeedsFullInference, Reasoner, Term, is_trivial
from missilekg.graph.reasoning.passes import InferenceReport, has_provenance, is_up_to_date
from missilekg.graph.reasoning.provenance import provenance_quads, triple_iri
from missilekg.graph.reasoning.rules import domain_rules
from missilekg.graph.store.base import GraphName, Store, select
from missilekg.ontology.namespaces import MKG, RDF_TYPE

#: A quad's graph name.
AnyGraph = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Change = tuple[list[ox.Quad], list[ox.Quad], InferenceReport]
Matcher = Callable[[Term | None, ox.NamedNode | None, Term | None], Iterable[ox.Quad]]

#: Up to this many premises, their graphs are looked up one by one rather than found by reading every graph.
PREMISE_LOOKUPS = 500


class StoreClosure:
    """The stored closure read by triple pattern: every graph of ``store`` but the provenance graph.

    A store that cannot look up patterns itself (a remote one) is copied once
    into an in-memory store, which can. Answers are remembered: one change's
    several passes (overdelete, rederive, add) ask many of the same patterns,
    and the store does not change until the change is written.
    """

    def __init__(self, store: Store) -> None:
        matching = getattr(store, "quads_matching", None)
        if matching is None:
            scratch = ox.Store()
            scratch.bulk_extend(q for q in store.quads() if q.graph_name != PROVENANCE_GRAPH)
            self._match: Matcher = lambda s, p, o: scratch.quads_for_pattern(s, p, o, None)  # type: ignore[arg-type]
        else:
            self._match = matching
        self._answers: dict[tuple[Term | None, ox.NamedNode | None, Term | None], list[ox.Triple]] = {}

    def match(self, subject: Term | None, predicate: ox.NamedNode | None, obj: Term | None) -> Iterator[ox.Triple]:
        """The closure's triples that match the pattern (None matches anything), each once."""
        key = (subject, predicate, obj)
        answer = self._answers.get(key)
        return self._reading(key) if answer is None else iter(answer)

    def _reading(self, key: tuple[Term | None, ox.NamedNode | None, Term | None]) -> Iterator[ox.Triple]:
        """Read a pattern from the store lazily (a caller may stop early); remember it once read to the end."""
        seen: dict[ox.Triple, None] = {}
        for quad in self._match(*key):
            if quad.graph_name != PROVENANCE_GRAPH:
                triple = ox.Triple(quad.subject, quad.predicate, quad.object)
                if triple not in seen:
                    seen[triple] = None
                    yield triple
        self._answers[key] = list(seen)

    def graphs_asserting(self, triple: ox.Triple) -> set[AnyGraph]:
        """The asserted graphs (not the derived ones) that hold ``triple``."""
        found = self._match(triple.subject, triple.predicate, triple.object)
        return {q.graph_name for q in found if q.graph_name not in DERIVED_GRAPHS}


def _inferred(triple: ox.Triple) -> ox.Quad:
    return ox.Quad(triple.subject, triple.predicate, triple.object, INFERRED_GRAPH)


def _triple(quad: ox.Quad) -> ox.Triple:
    return ox.Triple(quad.subject, quad.predicate, quad.object)


def inference_additions(store: Store, new: list[ox.Quad], *, provenance: bool | None = None) -> Change | None:
    """What adding ``new`` quads adds to, and removes from, an up-to-date inference graph.

    Additions only grow an OWL 2 RL closure, so only the consequences of
    ``new`` are derived, their join partners looked up in the store. A triple
    that was derived and is now asserted leaves the inference graph (which holds
    only what is not asserted). ``provenance`` (by default: whether the store
    keeps a provenance graph) also describes the new derivations there, and
    turns the provenance node of a now-asserted triple into an asserted one.
    None means a full recomputation is needed: inference is not up to date, or
    ``new`` brings schema.
    """
    if not is_up_to_date(store):
        return None
    if provenance is None:
        provenance = has_provenance(store)
    closure = StoreClosure(store)
    try:
        inference = Reasoner(domain_rules(), derivations=provenance, closure=closure).run(new)
    except NeedsFullInference:
        return None
    except ValueError as exc:
        raise InferenceError(str(exc)) from exc
    inferred = list(inference.quads(INFERRED_GRAPH))
    now_asserted: dict[ox.Triple, list[AnyGraph]] = defaultdict(list)
    for q in new:
        if store.contains(_inferred(_triple(q))):
            now_asserted[_triple(q)].append(q.graph_name)
    deleted = [_inferred(t) for t in now_asserted]
    added = list(inferred)
    if provenance:
        added_provenance, deleted_provenance = _provenance_of_additions(store, new, inference, now_asserted)
        added += added_provenance
        deleted += deleted_provenance
    report = InferenceReport(engine="default (incremental)", asserted=len(new), derived=len(inferred),
                             provenance=len(added) - len(inferred), inconsistencies=inference.inconsistencies,
                             by_rule=inference.by_rule)  # fmt: skip
    return added, deleted, report


def _provenance_of_additions(
    store: Store, new: list[ox.Quad], inference: Inference, now_asserted: dict[ox.Triple, list[AnyGraph]]
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The provenance quads an addition adds and deletes (when the store keeps a provenance graph)."""
    graphs: list[GraphName] = [ox.DefaultGraph(), *store.named_graphs()]

    def derived_before(triple: ox.Triple) -> bool:
        return triple not in now_asserted and store.contains(_inferred(triple))

    matching = getattr(store, "quads_matching", None)

    def asserted(premises: set[ox.Triple]) -> Iterator[ox.Quad]:
        if matching is not None and len(premises) <= PREMISE_LOOKUPS:
            found = (q for t in premises for q in matching(t.subject, t.predicate, t.object))
        else:
            found = (q for g in graphs if g not in DERIVED_GRAPHS for q in store.quads(g))
        yield from (q for q in found if q.graph_name not in DERIVED_GRAPHS)
        yield from new

    added = list(provenance_quads(inference, asserted, derived_before))
    deleted: list[ox.Quad] = []
    kind, asserted_in = ox.NamedNode(MKG + "AssertedTriple"), ox.NamedNode(MKG + "assertedIn")
    derivation = {RDF_TYPE.value, MKG + "derivedBy", MKG + "premise"}
    for triple, holders in now_asserted.items():
        node = triple_iri(triple)
        described = select(store, f"SELECT ?p ?o WHERE {{ GRAPH <{PROVENANCE_GRAPH.value}> {{ {node} ?p ?o }} }}")
        deleted.extend(ox.Quad(node, row["p"], row["o"], PROVENANCE_GRAPH)
                       for row in described if row["p"].value in derivation)  # fmt: skip
        added.append(ox.Quad(node, RDF_TYPE, kind, PROVENANCE_GRAPH))
        added.extend(ox.Quad(node, asserted_in, graph, PROVENANCE_GRAPH)
                     for graph in dict.fromkeys(holders) if isinstance(graph, ox.NamedNode))  # fmt: skip
    return added, deleted


def inference_change(store: Store, removed: Iterable[ox.Quad], added: Iterable[ox.Quad]) -> Change | None:
    """The inference graph's delta when ``removed`` quads leave the asserted graphs and ``added`` ones arrive (DRed).

    Returns the quads to add and to delete (the asserted change itself is the
    caller's), or None when a full pass is needed (see the module docstring).
    A triple another graph still asserts, or that ``added`` asserts again,
    has lost no support and is not removed.
    """
    if not is_up_to_date(store) or has_provenance(store):
        return None
    removed, added = list(removed), list(added)
    closure = StoreClosure(store)
    added_triples = {_triple(q) for q in added}
    leaving: dict[ox.Triple, set[AnyGraph]] = defaultdict(set)
    for quad in removed:
        leaving[_triple(quad)].add(quad.graph_name)
    gone = {t for t, graphs in leaving.items() if t not in added_triples and not closure.graphs_asserting(t) - graphs}
    stored_derived: dict[ox.Triple, bool] = {}

    def in_inference_graph(triple: ox.Triple) -> bool:
        found = stored_derived.get(triple)
        if found is None:
            found = stored_derived[triple] = store.contains(_inferred(triple))
        return found

    rules = domain_rules()
    try:
        overdeleted = set(Reasoner(rules, derivations=False, closure=closure).overdelete(
            gone, lambda t: t in gone or in_inference_graph(t)))  # fmt: skip
        checker = Reasoner(rules, derivations=False, closure=closure, hidden=overdeleted)
        rederived = [t for t in overdeleted if not is_trivial(t) and checker.derivable(t)]
        inference = Reasoner(rules, derivations=False, closure=closure, hidden=overdeleted).run(
            [*rederived, *added_triples])
    except NeedsFullInference:
        return None
    except ValueError as exc:
        raise InferenceError(str(exc)) from exc
    target = (set(rederived) | set(inference.triples())) - added_triples
    deletes = {t for t in overdeleted if in_inference_graph(t) and t not in target}
    deletes |= {t for t in added_triples if in_inference_graph(t)}
    adds = {t for t in target if not (t in overdeleted and in_inference_graph(t))}
    by_rule = dict(inference.by_rule)
    if rederived:
        by_rule["rederived"] = len(rederived)
    report = InferenceReport(engine="default (incremental, delete and rederive)", asserted=len(added),
                             derived=len(adds) - len(deletes), provenance=0,
                             inconsistencies=inference.inconsistencies, by_rule=by_rule)  # fmt: skip
    return sorted(map(_inferred, adds), key=str), sorted(map(_inferred, deletes), key=str), report
