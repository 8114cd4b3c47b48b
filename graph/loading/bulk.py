"""Bulk builds: many annotated articles into a store by its bulk path, for graphs too big for one transaction.

Worker processes read each article and its annotation (libyaml when present),
validate and map them to N-Quads; meanwhile this process loads what they have
finished by the store's bulk path (pyoxigraph's bulk loader, or Graph Store
POSTs of whole graphs for a remote store), so reading and loading overlap. If
any article turns out bad, every graph this build loaded is removed again and
the new entity descriptions it added are deleted, so a bad annotation leaves
the store as it was. The bulk load itself is not one transaction: a crash
during it leaves part of the data, and running the build again replaces it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyoxigraph as ox
import yaml
from pydantic import ValidationError

from missilekg.graph.loading.build import BuildError, ontology_quads
from missilekg.graph.reasoning.graphs import UP_TO_DATE
from missilekg.graph.store.base import Store
from missilekg.graph.store.embedded import EmbeddedStore
from missilekg.loaders import LoaderError, annotation_path_for, check_reviewed, load_article
from missilekg.loaders.annotation import Annotation
from missilekg.loaders.article import read_article
from missilekg.loaders.mapping import annotation_to_quads, article_graph, split_shared
from missilekg.loaders.parallel import parallel_map

FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SPOOL_BYTES = 32 * 1024 * 1024


@dataclass
class BulkReport:
    """What a bulk build loaded."""

    articles: int = 0
    quads: int = 0
    graphs: list[str] = field(default_factory=list)


Problem = tuple[str, int | None, str]


def article_nquads(article_path: Path) -> tuple[str, bytes, bytes, int, Problem | None]:
    """One article as N-Quads: (graph, its own quads, its shared-graph quads, count, error)."""
    try:
        article = read_article(article_path)
        annotation_path = annotation_path_for(article_path)
        try:
            document = yaml.load(annotation_path.read_bytes(), Loader=FAST_LOADER)
            annotation = Annotation.model_validate(document)
            check_reviewed(annotation, None, article, str(annotation_path))
        except (yaml.YAMLError, ValidationError, ValueError, LoaderError, OSError):
            load_article(article_path)  # the line-aware path, for a message with the line
            raise
        graph = article_graph(article.stem)
        own, shared = split_shared(annotation_to_quads(annotation, article), graph)
        body = ox.serialize(own, format=ox.RdfFormat.N_QUADS)
        extra = ox.serialize(shared, format=ox.RdfFormat.N_QUADS) if shared else b""
        assert body is not None and extra is not None  # no output given: serialize returns the bytes
        return graph.value, body, extra, len(own) + len(shared), None
    except LoaderError as exc:
        return "", b"", b"", 0, (exc.source, exc.line, exc.problem)
    except (yaml.YAMLError, ValidationError, ValueError, OSError) as exc:
        return "", b"", b"", 0, (str(article_path), None, str(exc))


def bulk_build(
    store: Store,
    articles: Iterable[Path],
    *,
    workers: int | None = None,
    progress: Callable[[], None] | None = None,
    with_ontology: bool = True,
) -> BulkReport:
    """Validate and map every article in parallel, then load them all by the store's bulk path.

    Raises :class:`BuildError` listing every bad article before anything is written.
    Inference is left out of date (the caller runs it once, over everything).
    """
    paths = list(articles)
    workers = workers or os.cpu_count() or 1
    present = {g.value for g in store.named_graphs()}
    if store.contains(UP_TO_DATE):
        store.replace_graphs({}, delete=[UP_TO_DATE])
    if with_ontology:
        store.replace_graphs(ontology_quads())
    with tempfile.TemporaryFile() as replaced:
        report, errors, added_shared = _load_new(store, paths, workers, present, replaced, progress)
        if errors:
            store.remove_graphs([ox.NamedNode(g) for g in report.graphs if g not in present])
            if added_shared:
                store.replace_graphs({}, delete=list(added_shared))
            raise BuildError(errors)
        if replaced.tell():
            # Replacing existing graphs waited until every article had passed: it cannot be undone.
            store.remove_graphs([ox.NamedNode(g) for g in report.graphs if g in present])
            replaced.seek(0)
            _load(store, [replaced.read()])
    return report


def _load_new(
    store: Store, paths: list[Path], workers: int, present: set[str], replaced: IO[bytes],
    progress: Callable[[], None] | None,
) -> tuple[BulkReport, list[LoaderError], set[ox.Quad]]:  # fmt: skip
    """Load new graphs while the workers read the next articles; keep replacements aside."""
    report, errors = BulkReport(), []
    pending: list[bytes] = []
    pending_size = 0
    added_shared: set[ox.Quad] = set()
    for graph, body, extra, count, error in _map(paths, workers):
        if progress:
            progress()
        if error is not None:
            errors.append(LoaderError(*error))
            continue
        if errors:
            continue
        report.graphs.append(graph)
        report.quads += count
        report.articles += 1
        if graph in present:
            replaced.write(body + extra)
            continue
        for quad in ox.parse(extra, format=ox.RdfFormat.N_QUADS) if extra else ():
            if quad not in added_shared and not store.contains(quad):
                added_shared.add(quad)
        pending.append(body + extra)
        pending_size += len(body) + len(extra)
        if pending_size >= SPOOL_BYTES:
            _load(store, pending)
            pending, pending_size = [], 0
    if not errors:
        _load(store, pending)
    return report, errors, added_shared


def _load(store: Store, chunks: list[bytes]) -> None:
    if not chunks:
        return
    data = b"".join(chunks)
    if isinstance(store, EmbeddedStore):
        store.bulk_load_bytes(data)
    else:
        store.bulk_extend(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def _map(paths: list[Path], workers: int) -> Iterable[tuple[str, bytes, bytes, int, Problem | None]]:
    return parallel_map(article_nquads, paths, workers=workers, minimum=8)
