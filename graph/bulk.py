"""Bulk builds: many annotated articles into a store by its bulk path, for graphs too big for one transaction.

Worker processes read each article and its annotation (libyaml when present),
validate and map them, and write N-Quads to a spool file; nothing touches the
store until every article has passed, so a bad annotation still leaves the
store as it was. Then the spool goes in by the store's bulk path: pyoxigraph's
bulk loader, or Graph Store POSTs of whole graphs for a remote store. The bulk
load itself is not one transaction: a crash during it leaves part of the data,
and running the build again replaces it.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml
from pydantic import ValidationError

from graph.build import BuildError, ontology_quads
from graph.inference import UP_TO_DATE
from graph.store import EmbeddedStore, Store
from loaders import LoaderError, annotation_path_for, load_article
from loaders.annotation import Annotation
from loaders.article import read_article
from loaders.checks import check_annotation
from loaders.mapping import annotation_to_quads, article_graph
from ontology import vocabulary_refs

FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class BulkReport:
    """What a bulk build loaded."""

    articles: int = 0
    quads: int = 0
    graphs: list[str] = field(default_factory=list)


def article_nquads(article_path: Path) -> tuple[str, bytes | None, int, str | None]:
    """One article as N-Quads: (graph, bytes, quad count, error). Errors name the file and line."""
    try:
        article = read_article(article_path)
        annotation_path = annotation_path_for(article_path)
        try:
            document = yaml.load(annotation_path.read_bytes(), Loader=FAST_LOADER)
            annotation = Annotation.model_validate(document)
            if annotation.article != article.file_name:
                raise ValueError("annotates another article")
            check_annotation(annotation, None, article.text, str(annotation_path), vocabulary_refs())
        except (yaml.YAMLError, ValidationError, ValueError, LoaderError, OSError):
            load_article(article_path)  # the line-aware path, for a message with the line
            raise
        quads = annotation_to_quads(annotation, article)
        body = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        return article_graph(article.stem).value, body, len(quads), None
    except LoaderError as exc:
        return "", None, 0, str(exc)
    except (yaml.YAMLError, ValidationError, ValueError, OSError) as exc:
        return "", None, 0, f"{article_path}: {exc}"


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
    report, errors = BulkReport(), []
    with tempfile.TemporaryDirectory(prefix="missilekg-bulk-") as folder:
        spool = Path(folder) / "articles.nq"
        with spool.open("wb") as out:
            for graph, body, count, error in _map(paths, workers):
                if error is not None:
                    errors.append(LoaderError(error.split(":", 1)[0], None, error.split(": ", 1)[-1]))
                else:
                    out.write(body or b"")
                    report.graphs.append(graph)
                    report.quads += count
                    report.articles += 1
                if progress:
                    progress()
        if errors:
            raise BuildError(errors)
        present = {g.value for g in store.named_graphs()}
        replaced = [ox.NamedNode(g) for g in report.graphs if g in present]
        if store.contains(UP_TO_DATE):
            store.replace_graphs({}, delete=[UP_TO_DATE])
        if replaced:
            store.remove_graphs(replaced)
        if with_ontology:
            store.replace_graphs(ontology_quads())
        if isinstance(store, EmbeddedStore):
            store.bulk_load_file(spool)
        else:
            store.bulk_extend(ox.parse(path=str(spool), format=ox.RdfFormat.N_QUADS))
    return report


def _map(paths: list[Path], workers: int) -> Iterable[tuple[str, bytes | None, int, str | None]]:
    if workers <= 1 or len(paths) < 8:
        yield from map(article_nquads, paths)
        return
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(article_nquads, paths, chunksize=max(1, min(64, len(paths) // (workers * 8))))
