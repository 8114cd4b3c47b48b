"""Loaders: article text and its annotation in, quads for the article's named graph out.

Nothing here speaks HTTP or touches a store; :mod:`missilekg.graph` does that.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from missilekg.loaders.annotation import Annotation, read_annotation
from missilekg.loaders.article import ArticleText, read_article
from missilekg.loaders.checks import check_annotation, without_known_entities
from missilekg.loaders.errors import AnnotationError, ArticleError, LoaderError
from missilekg.loaders.mapping import annotation_to_quads, article_graph, article_iri
from missilekg.ontology import vocabulary_refs

__all__ = [
    "AnnotationError",
    "ArticleBundle",
    "ArticleError",
    "LoaderError",
    "annotation_path_for",
    "check_reviewed",
    "find_articles",
    "load_article",
]


@dataclass(frozen=True)
class ArticleBundle:
    """One article ready to load: its graph name and every quad of that graph."""

    article: ArticleText
    annotation: Annotation
    graph: ox.NamedNode
    iri: ox.NamedNode
    quads: list[ox.Quad]


def annotation_path_for(article_path: Path) -> Path:
    """The curated annotation that belongs beside an article (same stem, ``.yaml``)."""
    return article_path.with_suffix(".yaml")


def find_articles(folder: Path) -> list[Path]:
    """The article files (``*.txt``) in a folder, in name order."""
    if not folder.is_dir():
        raise ArticleError(str(folder), None, "not a folder")
    return sorted(path for path in folder.glob("*.txt") if path.is_file())


def check_reviewed(annotation: Annotation, raw: Any, article: ArticleText, source: str) -> None:
    """Check an annotation against the article it must describe: its name, spans and references.

    ``raw`` is the line-aware YAML tree (None when parsed without lines); errors name ``source``.
    """
    if annotation.article != article.file_name:
        line = raw.key_lines.get("article") if raw is not None else None
        raise AnnotationError(source, line, f"annotates {annotation.article!r}, not {article.file_name!r}")
    check_annotation(annotation, raw, article.text, source, vocabulary_refs())


def load_article(article_path: Path, annotation_path: Path | None = None) -> ArticleBundle:
    """Read, validate and map one article and its annotation.

    Raises :class:`LoaderError` (naming the file and line) if either is unusable;
    nothing is returned half-built.
    """
    annotation_path = annotation_path or annotation_path_for(article_path)
    article = read_article(article_path)
    if not annotation_path.is_file():
        raise AnnotationError(str(annotation_path), None, "no annotation beside the article")
    annotation, raw = read_annotation(annotation_path)
    check_reviewed(annotation, raw, article, str(annotation_path))
    annotation = without_known_entities(annotation, vocabulary_refs())
    return ArticleBundle(
        article=article,
        annotation=annotation,
        graph=article_graph(article.stem),
        iri=article_iri(article.stem),
        quads=annotation_to_quads(annotation, article),
    )
