"""Curator help: turn quoted anchors in a draft annotation into checked offsets.

Writing code-point offsets by hand is error-prone. A draft may give
``evidence: {from: "first words", to: "last words"}`` and mentions as
``{entity: ..., text: ..., occurrence: 2}``; :func:`fill_offsets` finds them in
the article and writes ``start``/``end``/``text``. It refuses ambiguous anchors.
"""

from __future__ import annotations

from typing import Any

import yaml

from missilekg.loaders.errors import AnnotationError


def _find(text: str, needle: str, source: str, after: int = 0, occurrence: int | None = None) -> int:
    positions = []
    index = text.find(needle, after)
    while index >= 0:
        positions.append(index)
        index = text.find(needle, index + 1)
    if not positions:
        raise AnnotationError(source, None, f"{needle!r} not found in the article")
    if occurrence is not None:
        if occurrence > len(positions):
            raise AnnotationError(source, None, f"{needle!r} occurs {len(positions)} times, not {occurrence}")
        return positions[occurrence - 1]
    return positions[0]


def _anchored_span(text: str, anchor: dict[str, Any], source: str) -> dict[str, Any]:
    starts = text.count(anchor["from"])
    if starts != 1 and "occurrence" not in anchor:
        raise AnnotationError(source, None, f"{anchor['from']!r} occurs {starts} times; add occurrence")
    start = _find(text, anchor["from"], source, occurrence=anchor.get("occurrence"))
    end = _find(text, anchor["to"], source, after=start) + len(anchor["to"])
    return {"start": start, "end": end, "text": text[start:end]}


def fill_offsets(draft: dict[str, Any], text: str, source: str) -> dict[str, Any]:
    """Return a copy of ``draft`` with every anchored span replaced by offsets and text."""
    result = dict(draft)
    mentions = []
    for mention in draft.get("mentions", []):
        start = _find(text, mention["text"], source, occurrence=mention.get("occurrence"))
        mentions.append(
            {"entity": mention["entity"], "start": start, "end": start + len(mention["text"]),
             "text": mention["text"]}
        )  # fmt: skip
    if mentions:
        result["mentions"] = mentions
    for section in ("statements", "strikes", "transfers", "weapons"):
        items = []
        for item in draft.get(section, []):
            item = dict(item)
            evidence = item.get("evidence")
            if isinstance(evidence, dict) and "from" in evidence:
                item["evidence"] = _anchored_span(text, evidence, source)
            items.append(item)
        if items:
            result[section] = items
    return result


def dump_annotation(annotation: dict[str, Any]) -> str:
    """Serialize an annotation as stable, reviewable YAML (keys in authored order)."""
    return yaml.safe_dump(annotation, sort_keys=False, allow_unicode=True, width=100)
