"""Errors raised while reading articles and annotations."""

from __future__ import annotations

from missilekg.ontology.errors import MissilekgError


class LoaderError(MissilekgError):
    """A problem with an input file; the message names the file and, if known, the line."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {problem}")


class ArticleError(LoaderError):
    """The article text cannot be used (empty, binary, wrong encoding, too large)."""


class AnnotationError(LoaderError):
    """The annotation is malformed, inconsistent with its article, or refers to unknown things."""
