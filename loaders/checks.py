"""Consistency checks between an annotation, its article and the vocabulary.

Schema validation (annotation.py) checks shapes; these check meaning: every
span is the exact text at its offsets, every reference names something known,
and local ids are unique. Each failure names the file and the line.
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from typing import Any

from missilekg.loaders.annotation import Annotation, Span, line_of
from missilekg.loaders.errors import AnnotationError


def _line(raw: Any, *path: str | int) -> int | None:
    return line_of(raw, path)


def _spans(annotation: Annotation) -> Iterator[tuple[tuple[str | int, ...], Span | Any]]:
    for i, mention in enumerate(annotation.mentions):
        yield ("mentions", i), mention
    for section in ("statements", "strikes", "transfers", "weapons"):
        for i, item in enumerate(getattr(annotation, section)):
            yield (section, i, "evidence"), item.evidence


def _references(annotation: Annotation) -> Iterator[tuple[tuple[str | int, ...], str]]:
    meta = annotation.metadata
    for key in ("publisher", "author"):
        if getattr(meta, key):
            yield ("metadata", key), getattr(meta, key)
    for i, entity in enumerate(annotation.entities):
        if entity.affiliation:
            yield ("entities", i, "affiliation"), entity.affiliation
    for i, mention in enumerate(annotation.mentions):
        yield ("mentions", i, "entity"), mention.entity
    for i, s in enumerate(annotation.statements):
        yield ("statements", i, "speaker"), s.speaker
        for key in ("relayed_via", "about_weapons"):
            for j, ref in enumerate(getattr(s, key)):
                yield ("statements", i, key, j), ref
        for j, ref in enumerate(s.asserts):
            if ref.startswith("proposition/"):
                yield ("statements", i, "asserts", j), ref
        if s.venue is not None:
            for key in ("host", "place"):
                if getattr(s.venue, key):
                    yield ("statements", i, "venue", key), getattr(s.venue, key)
    for i, strike in enumerate(annotation.strikes):
        for key in ("location", "perpetrator"):
            if getattr(strike, key):
                yield ("strikes", i, key), getattr(strike, key)
        for j, ref in enumerate(strike.weapons):
            yield ("strikes", i, "weapons", j), ref
    for i, t in enumerate(annotation.transfers):
        for key in ("supplier", "recipient", "destination"):
            if getattr(t, key):
                yield ("transfers", i, key), getattr(t, key)
        for j, ref in enumerate(t.items):
            yield ("transfers", i, "items", j), ref
    for i, w in enumerate(annotation.weapons):
        yield ("weapons", i, "id"), w.id
        for j, ref in enumerate(w.comparable_to):
            yield ("weapons", i, "comparable_to", j), ref


def without_known_entities(annotation: Annotation, known: Set[str]) -> Annotation:
    """The annotation without the new entities it declares that the reference vocabulary has since learned.

    An annotation curated before the vocabulary grew (it minted ``place/odesa``, the vocabulary now
    describes Odesa) still loads, and its references go to the vocabulary's entity: the vocabulary's
    type, labels and links win over the annotation's "not yet linked" description.
    """
    if not any(entity.id in known for entity in annotation.entities):
        return annotation
    return annotation.model_copy(update={"entities": [e for e in annotation.entities if e.id not in known]})


def check_annotation(annotation: Annotation, raw: Any, text: str, source: str, known: Set[str]) -> None:
    """Raise :class:`AnnotationError` at the first inconsistency found.

    ``known`` holds the entity references (``person/john-kirby``) of the
    reference vocabulary; entities declared in the annotation are added to it.
    """
    for path, span in _spans(annotation):
        if span.end > len(text):
            raise AnnotationError(
                source,
                _line(raw, *path),
                f"span end {span.end} is past the article end ({len(text)})",
            )
        found = text[span.start : span.end]
        if found != span.text:
            raise AnnotationError(
                source,
                _line(raw, *path),
                f"span {span.start}-{span.end} is {found!r} in the article, not {span.text!r}",
            )
    declared = {entity.id for entity in annotation.entities}
    everything = set(known) | declared
    for path, ref in _references(annotation):
        if ref not in everything:
            raise AnnotationError(source, _line(raw, *path), f"unknown entity {ref!r}")
    for section in ("statements", "strikes", "transfers"):
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(annotation, section)):
            if item.id in seen:
                raise AnnotationError(source, _line(raw, section, i), f"duplicate {section[:-1]} id {item.id!r}")
            seen[item.id] = i
    statement_ids = {s.id for s in annotation.statements}
    local_strikes = {f"strike/{s.id}" for s in annotation.strikes}
    local_transfers = {f"transfer/{t.id}" for t in annotation.transfers}
    for i, s in enumerate(annotation.statements):
        if s.about_statement and s.about_statement not in statement_ids:
            raise AnnotationError(
                source,
                _line(raw, "statements", i, "about_statement"),
                f"no statement {s.about_statement!r} in this annotation",
            )
        for j, ref in enumerate(s.asserts):
            if ref.startswith(("strike/", "transfer/")) and ref not in local_strikes | local_transfers:
                raise AnnotationError(
                    source,
                    _line(raw, "statements", i, "asserts", j),
                    f"{ref!r} is not described in this annotation's strikes or transfers",
                )
