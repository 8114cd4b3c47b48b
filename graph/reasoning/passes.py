"""The inference pass: derive, then store the derived triples apart from the asserted ones.

Everything that is not itself inferred (the article graphs, the ontology, the
vocabulary) is the input; the output replaces two graphs in one transaction:
``…/graph/inferred`` holds the derived triples, ``…/graph/inferred/provenance``
says for each one which rule derived it from which premises, down to the
asserted triples and the graphs (articles) they came from. Inference always
recomputes from the asserted graphs, so running it twice gives the same graphs
and adding, replacing or removing an article leaves them correct.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

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
    """The inference graph's quads, and the provenance graph's as a stream (it is ten times larger)."""

    inferred: list[ox.Quad]
    provenance: Callable[[], Iterator[ox.Quad]]

    def estimate(self) -> int:
        """About how many quads both graphs hold (each derived triple has ~9 provenance quads)."""
        return 10 * len(self.inferred) + 1


def inference_graphs(
    source: QuadSource,
    *,
    engine: str = "default",
    provenance: bool = True,
    progress: Callable[..., None] | None = None,
) -> tuple[DerivedGraphs, InferenceReport]:
    """The inferred and provenance graphs for the asserted quads ``source()`` yields, ready to replace the stored ones.

    ``source`` is called once for the engine and once more for the provenance,
    so that neither pass has to hold every asserted quad in a list; the
    provenance is generated while it is written. Its quad count goes into the
    report when :func:`write_with_inference` has written it.
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
    return DerivedGraphs(inferred, explained if provenance else lambda: iter([UP_TO_DATE])), report


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


#: Up to this many derived quads, asserted changes and inference are written in one SPARQL update.
ATOMIC_QUADS = 50_000


def write_with_inference(store: Store, graphs: GraphQuads, derived: DerivedGraphs, *,
                         add: Iterable[ox.Quad] = (), delete: Iterable[ox.Quad] = ()) -> int:  # fmt: skip
    """Replace ``graphs`` (asserted) and the derived graphs: atomically when small, in steps when large.

    A transaction on the on-disk store (a SPARQL update or ``extend``
    alike) is several times slower than the bulk loader: at a million
    derived triples, minutes and gigabytes. So large derived graphs are written in steps: one transaction
    changes the asserted graphs and empties the derived ones (their up-to-date
    mark with them); the bulk loader streams the derived quads in; a last
    small transaction sets the mark. Asserted data is never half-written. A
    crash before the mark leaves inference marked out of date, so the next
    pass recomputes it; readers in between see the derived triples appear.
    Returns the number of provenance quads written.
    """
    if derived.estimate() <= ATOMIC_QUADS:
        explained = list(derived.provenance())
        store.replace_graphs({**graphs, INFERRED_GRAPH: derived.inferred, PROVENANCE_GRAPH: explained},
                             add=add, delete=delete)  # fmt: skip
        return len(explained)
    store.replace_graphs({**graphs, INFERRED_GRAPH: [], PROVENANCE_GRAPH: []}, add=add, delete=delete)
    store.bulk_extend(derived.inferred)
    written = 0

    def counted() -> Iterator[ox.Quad]:
        nonlocal written
        for quad in derived.provenance():
            written += 1
            if quad != UP_TO_DATE:
                yield quad

    store.bulk_extend(counted())
    store.replace_graphs({}, add=[UP_TO_DATE])
    return written


def infer(
    store: Store, *, engine: str = "default", provenance: bool = True, progress: Callable[..., None] | None = None
) -> InferenceReport:
    """Recompute the inference graphs from everything asserted in ``store`` and replace them."""
    derived, report = inference_graphs(asserted_quads(store), engine=engine, provenance=provenance, progress=progress)
    report.provenance = write_with_inference(store, {}, derived)
    return report


