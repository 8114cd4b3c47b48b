"""The inference pass: derive, then store the derived triples apart from the asserted ones.

Everything that is not itself inferred (the article graphs, the ontology, the
vocabulary) is the input; the output is ``…/graph/inferred``, the derived
triples, of which only the difference with what is stored is written. A full
pass always recomputes from the asserted graphs, so running it twice gives the
same graph (and writes nothing the second time), and adding, replacing or
removing an article leaves it correct. Why a derived triple holds is derived
when asked for (:mod:`missilekg.graph.reasoning.explain`); the provenance graph
``…/graph/inferred/provenance``, which records each derivation as data, is
written only on request.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from missilekg.graph.reasoning.engines import derive
from missilekg.graph.reasoning.graphs import DERIVED_GRAPHS, INFERRED_GRAPH, PROVENANCE_GRAPH, UP_TO_DATE
from missilekg.graph.reasoning.native import Inference
from missilekg.graph.reasoning.provenance import provenance_quads
from missilekg.graph.store.base import GraphQuads, Store

QuadSource = Callable[[], Iterable[ox.Quad]]


@dataclass
class InferenceReport:
    """What an inference pass wrote."""

    engine: str
    asserted: int
    derived: int
    provenance: int
    inconsistencies: list[str] = field(default_factory=list)
    by_rule: dict[str, int] = field(default_factory=dict)
    #: Derived quads a full pass wrote and deleted: only the difference with the stored inference graph.
    added: int = 0
    removed: int = 0
    #: Whether the pass dropped a provenance graph an earlier pass had written (it was not asked to keep one).
    provenance_dropped: bool = False


def asserted_quads(store: Store) -> QuadSource:
    """Every quad that inference starts from (all graphs but the derived ones), streamed anew on each call."""

    def stream() -> Iterator[ox.Quad]:
        yield from store.quads(ox.DefaultGraph())
        for graph in list(store.named_graphs()):
            if graph not in DERIVED_GRAPHS:
                yield from store.quads(graph)

    return stream


@dataclass
class DerivedGraphs:
    """The inference graph's quads, and the provenance graph's as a stream when it is kept (ten times larger)."""

    inferred: list[ox.Quad]
    provenance: Callable[[], Iterator[ox.Quad]] | None = None


def inference_graphs(
    source: QuadSource,
    *,
    engine: str = "default",
    provenance: bool = False,
    progress: Callable[..., None] | None = None,
) -> tuple[DerivedGraphs, InferenceReport]:
    """The inference graph for the asserted quads ``source()`` yields, and with ``provenance`` the provenance graph.

    Explanations are derived when asked for (:mod:`missilekg.graph.reasoning.explain`), so the provenance graph
    is an option, for clients that want every derivation as data. ``source`` is called once for the engine and,
    with ``provenance``, once more, so that neither pass holds every asserted quad in a list; the provenance is
    generated while it is written. Its quad count goes into the report when :func:`write_with_inference` has
    written it.
    """
    asserted = 0

    def counted() -> Iterator[ox.Quad]:
        nonlocal asserted
        for quad in source():
            asserted += 1
            yield quad

    inference = derive(counted(), engine=engine, progress=progress, derivations=provenance)
    inferred = list(inference.quads(INFERRED_GRAPH))

    def explained() -> Iterator[ox.Quad]:
        yield from provenance_quads(inference, source())
        yield UP_TO_DATE

    report = InferenceReport(
        engine=engine,
        asserted=asserted,
        derived=len(inferred),
        provenance=0,
        inconsistencies=inference.inconsistencies,
        by_rule=_by_rule(inference),
    )
    # Without provenance, nothing must keep the engine's indexes alive while the graphs are written.
    return DerivedGraphs(inferred, explained if provenance else None), report


def is_up_to_date(store: Store) -> bool:
    """Whether the stored inference graph was computed from the graphs now asserted."""
    return store.contains(UP_TO_DATE)


def _by_rule(inference: Inference) -> dict[str, int]:
    if inference.by_rule:
        return inference.by_rule
    counts: dict[str, int] = defaultdict(int)
    for derivation in inference.derived.values():
        counts[derivation.rule] += 1
    return dict(sorted(counts.items()))


#: Up to this many changed derived quads, asserted changes and inference are written in one SPARQL update.
ATOMIC_QUADS = 50_000
#: About how many provenance quads describe each derived triple.
PROVENANCE_PER_TRIPLE = 10


def has_provenance(store: Store) -> bool:
    """Whether the store keeps a materialised provenance graph (anything in it besides the up-to-date mark).

    Writes that bring inference up to date keep what the store has: a store inferred with ``--provenance``
    keeps a complete provenance graph, one inferred without it stays without.
    """
    query = f"ASK {{ GRAPH {PROVENANCE_GRAPH} {{ ?s ?p ?o }} FILTER (?s != {UP_TO_DATE.subject}) }}"
    return bool(store.query(query))


@dataclass
class Delta:
    """What a write changes in the stored inference graph, and how many quads it wrote to the provenance graph."""

    added: list[ox.Quad]
    removed: list[ox.Quad]
    provenance: int = 0
    provenance_dropped: bool = False


def _difference(wanted: Iterable[ox.Quad], stored: Iterable[ox.Quad]) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The quads of ``wanted`` not in ``stored``, and those of ``stored`` not in ``wanted``.

    ``stored`` is streamed once against a set of ``wanted``, so only the difference is held besides that set.
    """
    ordered = list(wanted)
    missing = set(ordered)
    removed = []
    for quad in stored:
        if quad in missing:
            missing.discard(quad)
        else:
            removed.append(quad)
    return [quad for quad in ordered if quad in missing], removed


def inference_delta(store: Store, inferred: list[ox.Quad]) -> Delta:
    """The derived quads to add to and delete from the stored inference graph so that it holds ``inferred``."""
    added, removed = _difference(inferred, store.quads(INFERRED_GRAPH))
    return Delta(added, removed)


def write_with_inference(store: Store, graphs: GraphQuads, derived: DerivedGraphs, *,
                         add: Iterable[ox.Quad] = (), delete: Iterable[ox.Quad] = ()) -> Delta:  # fmt: skip
    """Replace ``graphs`` (asserted), and change the inference graph by its difference with ``derived``.

    Only the derived quads that changed are written, so re-inferring an unchanged store writes nothing, and a
    small change (an article removed) writes what lost or gained support. With a small difference, the asserted
    change and the inference go in one transaction. A transaction on the on-disk store is several times slower
    than the bulk loader (at a million derived triples, minutes and gigabytes), so a large difference is
    written in steps: one transaction changes the asserted graphs and removes the up-to-date mark; the derived
    quads that lost support are deleted, the new ones streamed in by the bulk loader; a last small transaction
    sets the mark. Asserted data is never half-written. A crash before the mark leaves inference marked out of
    date, so the next pass recomputes it; readers in between see the derived triples change.

    The provenance graph (an option, see :func:`inference_graphs`) is written the same way when the store has
    one already: the new one is held in memory and only its difference written; a new provenance graph is
    streamed in. Without one in ``derived``, a provenance graph left by an earlier pass is dropped.
    Returns the difference written to the inference graph, with the number of provenance quads written.
    """
    add, delete = list(add), list(delete)
    delta = inference_delta(store, derived.inferred)
    marked, kept = store.contains(UP_TO_DATE), has_provenance(store)
    replaced: dict[Any, list[ox.Quad]] = dict(graphs)
    explained: tuple[list[ox.Quad], list[ox.Quad]] = ([], [])  # provenance quads to add and to delete
    streamed = None
    if derived.provenance is None:
        if kept:
            replaced[PROVENANCE_GRAPH] = []  # the mark goes with it, and is set again below
            delta.provenance_dropped = True
    elif kept:
        wanted = (quad for quad in derived.provenance() if quad != UP_TO_DATE)
        explained = _difference(wanted, (q for q in store.quads(PROVENANCE_GRAPH) if q != UP_TO_DATE))
    else:
        streamed = derived.provenance
    mark = not marked or PROVENANCE_GRAPH in replaced
    changed = len(delta.added) + len(delta.removed) + len(explained[0]) + len(explained[1])
    if changed + (PROVENANCE_PER_TRIPLE * len(derived.inferred) if streamed else 0) <= ATOMIC_QUADS:
        fresh = [quad for quad in streamed() if quad != UP_TO_DATE] if streamed else explained[0]
        store.replace_graphs(replaced, add=[*add, *delta.added, *fresh, *([UP_TO_DATE] if mark else [])],
                             delete=[*delete, *delta.removed, *explained[1]])  # fmt: skip
        delta.provenance = len(fresh)
        return delta
    store.replace_graphs(replaced, add=add, delete=[*delete, *([UP_TO_DATE] if marked else [])])
    removals = delta.removed + explained[1]
    for start in range(0, len(removals), ATOMIC_QUADS):
        store.replace_graphs({}, delete=removals[start : start + ATOMIC_QUADS])
    store.bulk_extend(delta.added + explained[0])
    delta.provenance = len(explained[0])
    if streamed is not None:
        provenance = streamed

        def counted() -> Iterator[ox.Quad]:
            for quad in provenance():
                if quad != UP_TO_DATE:
                    delta.provenance += 1
                    yield quad

        store.bulk_extend(counted())
    store.replace_graphs({}, add=[UP_TO_DATE])
    return delta


def infer(
    store: Store, *, engine: str = "default", provenance: bool = False, progress: Callable[..., None] | None = None
) -> InferenceReport:
    """Recompute the inference graph from everything asserted in ``store`` and write what changed.

    With ``provenance``, the provenance graph is written too (every derivation as data); without, one left by
    an earlier pass is dropped.
    """
    derived, report = inference_graphs(asserted_quads(store), engine=engine, provenance=provenance, progress=progress)
    record(report, write_with_inference(store, {}, derived))
    return report


def record(report: InferenceReport, delta: Delta) -> None:
    """Put what a write changed into the pass's report."""
    report.added, report.removed, report.provenance = len(delta.added), len(delta.removed), delta.provenance
    report.provenance_dropped = delta.provenance_dropped
