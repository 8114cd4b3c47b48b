"""Building the graph: the ontology graphs plus one named graph per article.

A build validates every article before it writes anything, then replaces all
affected graphs in one transaction: a bad annotation leaves the store exactly
as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from missilekg.graph.reasoning.graphs import DERIVED_GRAPHS, UP_TO_DATE
from missilekg.graph.reasoning.maintenance import Change, inference_additions, inference_change
from missilekg.graph.reasoning.passes import (
    InferenceReport,
    has_provenance,
    inference_graphs,
    record,
    write_with_inference,
)
from missilekg.graph.store.base import GraphName, GraphQuads, Store
from missilekg.loaders import ArticleBundle, LoaderError, find_articles, load_article
from missilekg.loaders.mapping import article_graph, split_shared
from missilekg.ontology import ONTOLOGY_GRAPHS
from missilekg.ontology.errors import MissilekgError

Progress = Callable[[str], None]


class BuildError(MissilekgError):
    """One or more articles could not be loaded; nothing was written."""

    def __init__(self, errors: list[LoaderError]) -> None:
        self.errors = errors
        lines = "\n".join(f"  {error}" for error in errors)
        super().__init__(f"{len(errors)} article(s) failed; the store is unchanged:\n{lines}")


@dataclass
class BuildReport:
    """What a build or load wrote: graphs and quad counts."""

    graphs: dict[str, int] = field(default_factory=dict)
    inference: InferenceReport | None = None

    @property
    def quads(self) -> int:
        """Total quads written."""
        return sum(self.graphs.values())


def ontology_quads() -> dict[ox.NamedNode, list[ox.Quad]]:
    """The ontology, concept schemes and vocabulary, each in its named graph.

    Blank nodes (the lists of property chains) are skolemized to IRIs numbered
    in parse order, so rebuilding yields the same quads, not fresh blank nodes.
    """
    graphs: dict[ox.NamedNode, list[ox.Quad]] = {}
    for path, name in ONTOLOGY_GRAPHS.items():
        graph = ox.NamedNode(name)
        prefix = f"{name}/genid/{path.stem}/"
        skolem: dict[str, ox.NamedNode] = {}
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            subject, obj = q.subject, q.object
            if isinstance(subject, ox.BlankNode):
                subject = skolem.setdefault(subject.value, ox.NamedNode(f"{prefix}{len(skolem) + 1}"))
            if isinstance(obj, ox.BlankNode):
                obj = skolem.setdefault(obj.value, ox.NamedNode(f"{prefix}{len(skolem) + 1}"))
            graphs.setdefault(graph, []).append(ox.Quad(subject, q.predicate, obj, graph))
    return graphs


def read_bundles(paths: Iterable[Path], progress: Progress | None = None) -> list[ArticleBundle]:
    """Load every article, collecting all errors before failing so a curator sees them at once."""
    bundles, errors = [], []
    for path in paths:
        try:
            bundles.append(load_article(path))
        except LoaderError as error:
            errors.append(error)
        if progress:
            progress(path.name)
    if errors:
        raise BuildError(errors)
    return bundles


def replace_and_infer(store: Store, graphs: GraphQuads, *, infer: bool, remove: Iterable[GraphName] = (),
                      add: Iterable[ox.Quad] = (), provenance: bool | None = None) -> BuildReport:  # fmt: skip
    """Replace ``graphs`` (drop ``remove``, add ``add`` to shared graphs) and bring inference up to date, in one
    transaction.

    Inference is maintained incrementally when it is up to date: adding graphs
    that are all new derives only the new consequences; replacing or removing
    graphs deletes and rederives only what the change touches
    (:mod:`missilekg.graph.reasoning.maintenance`). A change to the schema
    (the ontology graphs' axioms), a removal while the store keeps a
    provenance graph, or a change of ``provenance`` recomputes inference from
    the asserted graphs and writes only what changed in the inference graph.
    Skipping inference marks the inference graph as out of date, so the next
    pass is a full one. ``provenance`` says whether to keep the provenance
    graph; None keeps what the store has.
    """
    removed, shared = set(remove), list(add)
    report = BuildReport({str(graph) if isinstance(graph, ox.DefaultGraph) else graph.value: len(quads)
                          for graph, quads in graphs.items()})  # fmt: skip
    if not infer:
        # The stale mark goes first, on its own: new graphs then take the store's fast transactional path.
        if store.contains(UP_TO_DATE):
            store.replace_graphs({}, delete=[UP_TO_DATE])
        store.replace_graphs({**graphs, **{graph: [] for graph in removed}}, add=shared)
        return report
    present: set[GraphName] = set(store.named_graphs())
    if next(iter(store.quads(ox.DefaultGraph())), None) is not None:
        present.add(ox.DefaultGraph())  # replacing a default graph that has content is not an addition
    kept = has_provenance(store)
    provenance = kept if provenance is None else provenance
    if graphs and not removed and not (set(graphs) & (present | DERIVED_GRAPHS)) and provenance == kept:
        new = [q for quads in graphs.values() for q in quads] + shared
        incremental = inference_additions(store, new, provenance=provenance)
        if incremental is not None:
            added, deleted, report.inference = incremental
            store.replace_graphs(graphs, add=[*shared, *added], delete=deleted)
            return report
    elif provenance == kept and not (set(graphs) | removed) & DERIVED_GRAPHS:
        changed = _incremental_change(store, graphs, removed, shared, present)
        if changed is not None:
            added, deleted, report.inference = changed
            store.replace_graphs({**graphs, **{graph: [] for graph in removed}}, add=[*shared, *added], delete=deleted)
            return report
    untouched = set(graphs) | removed | DERIVED_GRAPHS
    # A scratch store gives the quads in the order a later `infer` reads them from the store,
    # so both record the same derivations.
    scratch = ox.Store()
    scratch.bulk_extend(q for q in store.quads() if q.graph_name not in untouched)
    scratch.bulk_extend(q for quads in graphs.values() for q in quads)
    scratch.bulk_extend(shared)
    derived, report.inference = inference_graphs(lambda: iter(scratch), provenance=provenance)
    replaced = {**graphs, **{graph: [] for graph in removed}}
    record(report.inference, write_with_inference(store, replaced, derived, add=shared))
    return report


def _incremental_change(store: Store, graphs: GraphQuads, removed: set[GraphName], shared: list[ox.Quad],
                        present: set[GraphName]) -> Change | None:  # fmt: skip
    """The inference delta of replacing ``graphs`` and dropping ``removed`` (see ``inference_change``), or None."""
    gone: list[ox.Quad] = []
    arriving: list[ox.Quad] = [q for q in shared if not store.contains(q)]
    for graph in removed:
        gone.extend(store.quads(graph))
    for graph, quads in graphs.items():
        old = set(store.quads(graph)) if graph in present else set()
        new = set(quads)
        gone.extend(old - new)
        arriving.extend(new - old)
    return inference_change(store, gone, arriving)


def write_bundles(store: Store, bundles: Iterable[ArticleBundle], *, with_ontology: bool,
                  infer: bool = True, provenance: bool | None = None) -> BuildReport:  # fmt: skip
    """Replace the bundles' graphs (and the ontology's), and the inference graphs, in one transaction."""
    graphs, shared = article_graphs((bundle.graph, bundle.quads) for bundle in bundles)
    if with_ontology:
        graphs = {**ontology_quads(), **graphs}
    return replace_and_infer(store, graphs, infer=infer, add=shared, provenance=provenance)


def article_graphs(
    articles: Iterable[tuple[ox.NamedNode, list[ox.Quad]]],
) -> tuple[dict[ox.NamedNode, list[ox.Quad]], list[ox.Quad]]:
    """Articles' quads as the graphs they replace, and what they add to shared graphs (new entities)."""
    graphs: dict[ox.NamedNode, list[ox.Quad]] = {}
    shared: list[ox.Quad] = []
    for graph, quads in articles:
        graphs[graph], added = split_shared(quads, graph)
        shared += added
    return graphs, shared


def build(store: Store, seeds: Path, progress: Progress | None = None, *, infer: bool = True,
          provenance: bool | None = None) -> BuildReport:  # fmt: skip
    """Load the ontology and every article in ``seeds`` (with its annotation) into ``store``, then infer.

    ``provenance`` writes the provenance graph too (True) or drops it (False); None keeps what the store has.
    """
    bundles = read_bundles(find_articles(seeds), progress)
    return write_bundles(store, bundles, with_ontology=True, infer=infer, provenance=provenance)


def load_articles(store: Store, paths: Iterable[Path], progress: Progress | None = None, *,
                  infer: bool = True) -> BuildReport:  # fmt: skip
    """Load or replace individual articles, and update inference; all or nothing."""
    return write_bundles(store, read_bundles(paths, progress), with_ontology=False, infer=infer)


def remove_articles(store: Store, stems: Iterable[str], *, infer: bool = True) -> list[str]:
    """Remove articles' graphs by file stem (e.g. ``001_b57d…``) and update inference; returns the graphs dropped.

    Raises :class:`KeyError` naming the first stem that is not in the store; then nothing changes.
    """
    present = {graph.value for graph in store.named_graphs()}
    graphs = []
    for stem in stems:
        graph = article_graph(stem)
        if graph.value not in present:
            raise KeyError(f"no article {stem!r} in the store")
        graphs.append(graph)
    replace_and_infer(store, {}, infer=infer, remove=graphs)
    return [graph.value for graph in graphs]
