"""Reading an ``Accept`` header as RFC 9110 (section 12.5.1) says, and choosing what to send from it.

A pure function of the header and the types on offer, so it is tested from a
table. Werkzeug's matcher compares media-range parameters literally, so
``text/turtle; charset=utf-8`` matched nothing and clients that name a
charset got a 406; here parameters other than ``q`` are accepted, and the one
that means something for what this server writes, ``charset``, is honoured:
everything is written in UTF-8, so a range that asks for another charset
does not match. A more specific range overrides a less specific one for the
types it covers (``text/*;q=0, text/csv`` accepts CSV only among text types),
``q=0`` refuses a type, and between equally good types the one the client
named most specifically wins, then the server's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

#: Charsets that name what this server writes (UTF-8; ASCII text is UTF-8 too, but a client asking for ASCII
#: may get characters outside it, so only UTF-8 and the wildcard match).
UTF8_NAMES = frozenset({"utf-8", "utf8", "*"})


@dataclass(frozen=True)
class MediaRange:
    """One element of an ``Accept`` header: ``type/subtype``, its parameters (lower-case names) and its weight."""

    type: str
    subtype: str
    params: dict[str, str] = field(default_factory=dict, compare=False)
    q: float = 1.0

    @property
    def specificity(self) -> int:
        """0 for ``*/*``, 1 for ``type/*``, 2 for ``type/subtype``, 3 when it also has parameters."""
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 3 if self.params else 2

    def covers(self, mime: str) -> bool:
        """Whether this range includes ``mime`` (``type/subtype``, lower-case) as the server writes it (UTF-8)."""
        kind, _, sub = mime.partition("/")
        if self.type != "*" and self.type != kind:
            return False
        if self.subtype != "*" and self.subtype != sub:
            return False
        charset = self.params.get("charset")
        return charset is None or charset.lower() in UTF8_NAMES


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


def _split(header: str, separator: str) -> list[str]:
    """Split on ``separator`` outside double-quoted strings (parameter values may quote commas and semicolons)."""
    parts: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in header:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; elements that are not media ranges are skipped (RFC 9110 leniency).

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/turtle; charset=utf-8, */*;q=0.1")]
    [('text', 'turtle', 1.0), ('*', '*', 0.1)]
    """
    ranges = []
    for element in _split(header, ","):
        pieces = _split(element, ";")
        kind, slash, sub = pieces[0].strip().lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*") or " " in kind + sub:
            continue
        params: dict[str, str] = {}
        q = 1.0
        valid = True
        for piece in pieces[1:]:
            name, equals, value = piece.partition("=")
            name = name.strip().lower()
            if not name:
                continue
            if name == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    valid = False
                    break
                if not 0.0 <= q <= 1.0:
                    valid = False
                    break
                # Anything after q is an accept-extension (RFC 7231), not a media-type parameter.
                break
            params[name] = _unquote(value) if equals else ""
        if valid:
            ranges.append(MediaRange(kind, sub, params, q))
    return ranges


def quality(ranges: Sequence[MediaRange], mime: str) -> tuple[float, int]:
    """The weight the client gives ``mime`` (from the most specific range that covers it), and that specificity.

    (0.0, -1) when no range covers it.
    """
    best: MediaRange | None = None
    for candidate in ranges:
        if candidate.covers(mime) and (best is None or candidate.specificity > best.specificity):
            best = candidate
    if best is None:
        return 0.0, -1
    return best.q, best.specificity


def best_match(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type to send for this ``Accept`` header, or None when none is acceptable.

    No header (or an empty one) accepts anything: the first offer. A header
    whose every element is malformed is treated the same way, as RFC 9110
    allows a recipient to ignore a header it cannot parse.

    >>> best_match("application/json;q=0.5, text/csv; charset=UTF-8", ["application/json", "text/csv"])
    'text/csv'
    >>> best_match("text/csv; charset=iso-8859-1", ["text/csv"]) is None
    True
    """
    if header is None or not header.strip():
        return offered[0] if offered else None
    ranges = parse_accept(header)
    if not ranges:
        return offered[0] if offered else None
    chosen, chosen_key = None, (0.0, -1)
    for mime in offered:
        q, specificity = quality(ranges, mime.lower())
        if q > 0 and (q, specificity) > chosen_key:
            chosen, chosen_key = mime, (q, specificity)
    return chosen
