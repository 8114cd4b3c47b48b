"""Ingest new articles: extract (or take the reviewed annotation), load, and update inference.

Extraction runs in worker processes; loading happens here, in commit groups.
Each article is all-or-nothing: a group that fails is retried article by
article, so one bad article never takes its neighbours down, and a crash
leaves exactly the groups that committed. Re-ingesting an article replaces
its graph with the same quads (extraction is deterministic).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from missilekg.graph.loading.build import article_graphs, ontology_quads, replace_and_infer
from missilekg.graph.reasoning.engines import InferenceError
from missilekg.graph.reasoning.passes import infer as run_inference
from missilekg.graph.store.base import Store, StoreError
from missilekg.loaders import annotation_path_for, check_reviewed
from missilekg.loaders.annotate import annotate
from missilekg.loaders.annotation import Annotation, read_annotation
from missilekg.loaders.article import MAX_ARTICLE_BYTES
from missilekg.loaders.errors import ArticleError, LoaderError
from missilekg.loaders.extract import lexicon, parse_ahead, warm_up
from missilekg.loaders.extract.nlp import ModelError
from missilekg.loaders.mapping import annotation_to_quads, article_graph
from missilekg.loaders.parallel import parallel_map
from missilekg.loaders.source import MetadataOverrides, SourceArticle, read_source

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".text")
STDIN = "-"
#: Articles a worker prepares together, their lines parsed in one spaCy stream; small enough for a smooth
#: progress bar.
CHUNK_ARTICLES = 16
#: Fewer articles than this are prepared here: starting worker processes would cost more than it saves.
PARALLEL_MINIMUM = 4

T = TypeVar("T")


@dataclass(frozen=True)
class Source:
    """Where an article comes from: a file, or its bytes (stdin)."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    def read(self) -> bytes:
        """The article's bytes, refusing files over the size limit before reading them."""
        if self.data is not None:
            return self.data
        assert self.path is not None
        try:
            size = self.path.stat().st_size
            if size > MAX_ARTICLE_BYTES:
                raise ArticleError(self.name, None, f"{size} bytes is over the {MAX_ARTICLE_BYTES}-byte limit")
            return self.path.read_bytes()
        except OSError as exc:
            raise ArticleError(self.name, None, f"cannot read: {exc.strerror or exc}") from exc


@dataclass
class Prepared:
    """An article ready to load, or the reason it cannot be."""

    source: str
    stem: str = ""
    annotation: Annotation | None = None
    source_article: SourceArticle | None = None
    reviewed: bool = False
    error: str | None = None


@dataclass
class IngestReport:
    """What an ingest loaded and what it refused, with reasons."""

    loaded: list[str] = field(default_factory=list)
    reviewed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    quads: int = 0
    derived: int = 0


def collect_sources(paths: Iterable[str], stdin: Callable[[], bytes] | None = None) -> list[Source]:
    """Files named, article files under folders (name order), and ``-`` for standard input."""
    sources: list[Source] = []
    for spec in paths:
        if spec == STDIN:
            data = (stdin or sys.stdin.buffer.read)()
            sources.append(Source("<stdin>", None, data))
            continue
        path = Path(spec)
        if path.is_dir():
            sources.extend(
                Source(str(p), p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
            )
        else:
            sources.append(Source(str(path), path))
    return sources


def prepare(source: Source, overrides: MetadataOverrides) -> Prepared:
    """Read one article and produce its annotation: the reviewed one if present, else extracted.

    Never raises for bad input: the error is carried in the result, so a batch goes on.
    """
    return prepare_batch([source], overrides)[0]


def prepare_batch(sources: list[Source], overrides: MetadataOverrides) -> list[Prepared]:
    """:func:`prepare` for several articles, in order, with the lines of those to extract parsed in one stream.

    Each article is read first; the texts to extract go through spaCy together
    (:func:`~missilekg.loaders.extract.parse_ahead`); then each is annotated on its own. A bad article
    is an error in its place; only a missing or wrong spaCy pipeline stops the batch.
    """
    read = [_guarded(source, partial(_read, source, overrides)) for source in sources]
    parse_ahead(item[0].article.text for item in read if not isinstance(item, Prepared) and item[1] is None)
    return [
        item if isinstance(item, Prepared) else _guarded(source, partial(_annotated, source, *item))
        for source, item in zip(sources, read, strict=True)
    ]


def _read(source: Source, overrides: MetadataOverrides) -> tuple[SourceArticle, Path | None]:
    """The article, and its reviewed annotation's path if it has one."""
    article = read_source(source.read(), source.name, lexicon(), overrides, source.path)
    reviewed = annotation_path_for(source.path) if source.path is not None else None
    return article, reviewed if reviewed is not None and reviewed.is_file() else None


def _annotated(source: Source, article: SourceArticle, reviewed: Path | None) -> Prepared:
    if reviewed is not None:
        annotation, raw = read_annotation(reviewed)
        check_reviewed(annotation, raw, article.article, str(reviewed))
        return Prepared(source.name, article.article.stem, annotation, article, reviewed=True)
    return Prepared(source.name, article.article.stem, annotate(article), article)


def _guarded(source: Source, step: Callable[[], T]) -> T | Prepared:
    try:
        return step()
    except ModelError:
        raise  # the spaCy pipeline is missing or wrong: every article would fail, so the batch stops and says why
    except LoaderError as exc:
        return Prepared(source.name, error=str(exc))
    except RecursionError:
        return Prepared(source.name, error=f"{source.name}: the article is too deeply nested to read")
    except Exception as exc:  # an article the extractor cannot read must not stop the batch
        return Prepared(source.name, error=f"{source.name}: the extractor failed on this article ({exc!r})")


def _chunks(sources: list[Source], workers: int) -> list[list[Source]]:
    """Groups of :data:`CHUNK_ARTICLES` sources; smaller for several workers, so each gets at least four."""
    size = CHUNK_ARTICLES if workers <= 1 else max(1, min(CHUNK_ARTICLES, -(-len(sources) // (4 * workers))))
    return [sources[i : i + size] for i in range(0, len(sources), size)]


def _prepare_all(sources: list[Source], overrides: MetadataOverrides, workers: int) -> Iterator[Prepared]:
    chunks = _chunks(sources, workers)
    if workers <= 1 or len(sources) < PARALLEL_MINIMUM:
        for chunk in chunks:
            yield from prepare_batch(chunk, overrides)
        return
    batches = parallel_map(
        prepare_batch, chunks, [overrides] * len(chunks), workers=workers, initializer=warm_up, minimum=1, chunksize=1
    )
    for prepared in batches:
        yield from prepared


def ingest(
    store: Store,
    sources: list[Source],
    *,
    overrides: MetadataOverrides | None = None,
    infer: bool = True,
    workers: int | None = None,
    group_size: int = 100,
    progress: Callable[[Prepared], None] | None = None,
    inference_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Extract and load articles, committing in groups; bad articles are reported, not loaded.

    A batch that fits in one group updates inference incrementally in the same
    transaction. A larger batch commits its groups without inference (marking
    it stale) and recomputes inference once at the end: one pass over the
    store instead of one per group. A crash in between leaves the committed
    articles and a stale mark, which the next ingest or ``infer`` clears.
    """
    overrides = overrides or MetadataOverrides()
    workers = workers or os.cpu_count() or 1
    report = IngestReport()
    deferred = infer and len(sources) > group_size
    group_infer = infer and not deferred
    group: list[tuple[Prepared, ox.NamedNode, list[ox.Quad]]] = []
    present = {graph.value for graph in store.named_graphs()}
    missing = {g: q for g, q in ontology_quads().items() if g.value not in present}
    if missing:
        # A new store gets the ontology first, so inference has its schema.
        replace_and_infer(store, missing, infer=group_infer)
    for prepared in _prepare_all(sources, overrides, workers):
        if prepared.error is not None:
            report.failed.append((prepared.source, prepared.error))
        else:
            assert prepared.annotation is not None and prepared.source_article is not None
            quads = annotation_to_quads(prepared.annotation, prepared.source_article.article)
            group = [g for g in group if g[1] != article_graph(prepared.stem)]
            group.append((prepared, article_graph(prepared.stem), quads))
            if len(group) >= group_size:
                _commit(store, group, group_infer, report)
                group = []
        if progress:
            progress(prepared)
    if group:
        _commit(store, group, group_infer, report)
    if deferred and report.loaded:
        report.derived = run_inference(store, progress=inference_progress).derived
    return report


def _commit(
    store: Store, group: list[tuple[Prepared, ox.NamedNode, list[ox.Quad]]], infer: bool, report: IngestReport
) -> None:
    graphs, shared = article_graphs((graph, quads) for _, graph, quads in group)
    try:
        result = replace_and_infer(store, graphs, infer=infer, add=shared)
    except (StoreError, InferenceError) as exc:
        if len(group) == 1:
            report.failed.append((group[0][0].source, f"{group[0][0].source}: not loaded: {exc}"))
            return
        for item in group:
            _commit(store, [item], infer, report)
        return
    for prepared, _, quads in group:
        report.loaded.append(prepared.stem)
        if prepared.reviewed:
            report.reviewed.append(prepared.stem)
        report.quads += len(quads)
    if result.inference is not None:
        report.derived += result.inference.derived
