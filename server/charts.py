"""Pictures as SVG, drawn on the server: a timeline of claims, a bar chart, a node's neighbourhood.

Server-side SVG needs no script library and no network, prints, and every mark
is a link (an ``<a>`` the keyboard reaches) with a ``<title>`` tooltip.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = {
    "Statement": "#3b6fd8", "Person": "#c2571a", "Organization": "#b8860b", "NewsOutlet": "#8e6c00",
    "State": "#9c2f6f", "AnonymousSource": "#7a7a7a", "WeaponSystem": "#2f8f4e", "Strike": "#c62828",
    "Transfer": "#00838f", "Article": "#5d4037", "Place": "#6a1b9a",
}  # fmt: skip
DEFAULT_COLOUR = "#607080"


@dataclass(frozen=True)
class Claim:
    """One dated, counted claim: who, when, what count, and its statement page."""

    date: dt.date
    speaker: str
    label: str
    value: float | None
    href: str | None


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value and where it leads."""

    label: str
    value: int
    href: str | None


@dataclass(frozen=True)
class Neighbour:
    """A node next to the centre, the property between them, and its direction."""

    label: str
    href: str | None
    kind: str
    prop: str
    outgoing: bool


def _link(href: str | None, body: str, title: str) -> str:
    inner = f"<title>{escape(title)}</title>{body}"
    return f'<a href="{escape(href)}">{inner}</a>' if href else f"<g>{inner}</g>"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _month_ticks(start: dt.date, end: dt.date) -> list[dt.date]:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = max(1, math.ceil(months / 10))
    ticks, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        day = dt.date(year, month, 1)
        if day >= start:
            ticks.append(day)
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return ticks


def timeline_svg(claims: list[Claim], width: int = 980) -> Markup:
    """Claims on a date axis, one lane per speaker; the dot's area grows with the count claimed."""
    if not claims:
        return Markup("")
    speakers: list[str] = []
    for claim in sorted(claims, key=lambda c: c.date):
        if claim.speaker not in speakers:
            speakers.append(claim.speaker)
    # Claims by one speaker on one day stack their labels; each lane is as tall as its tallest stack.
    stack: dict[tuple[str, dt.date], int] = {}
    level: list[int] = []
    for claim in claims:
        key = (claim.speaker, claim.date)
        level.append(stack.get(key, 0))
        stack[key] = stack.get(key, 0) + 1
    depth = {sp: max(n for (who, _), n in stack.items() if who == sp) for sp in speakers}
    lanes, offset = {}, 30.0
    for sp in speakers:
        lanes[sp] = (offset, 30 + 15 * depth[sp])
        offset += lanes[sp][1]
    left, right = 190, 30
    height = int(offset) + 40
    first = min(c.date for c in claims) - dt.timedelta(days=20)
    last = max(c.date for c in claims) + dt.timedelta(days=20)
    span = max(1, (last - first).days)

    def x(day: dt.date) -> float:
        return left + (width - left - right) * (day - first).days / span

    parts = [
        f'<svg class="chart timeline" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="timeline-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="timeline-title">Timeline of claimed counts, one lane per speaker</title>',
        "<style>text{font:12px system-ui,sans-serif;fill:#1d1d1f} .tick{fill:#666} a:focus circle{stroke:#f5b400;"
        "stroke-width:4}</style>",
    ]
    axis_y = height - 30
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" stroke="#888"/>')
    for tick in _month_ticks(first, last):
        tx = x(tick)
        parts.append(f'<line x1="{tx:.1f}" y1="20" x2="{tx:.1f}" y2="{axis_y}" stroke="#eee"/>')
        parts.append(f'<text class="tick" x="{tx:.1f}" y="{axis_y + 16}" text-anchor="middle">{tick:%b %Y}</text>')
    for speaker in speakers:
        top, tall = lanes[speaker]
        y = top + tall - 15
        parts.append(f'<text x="{left - 12}" y="{y + 4:.1f}" text-anchor="end">{escape(_short(speaker, 28))}</text>')
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#d9dee8"/>')
    for claim, k in zip(claims, level, strict=True):
        top, tall = lanes[claim.speaker]
        y = top + tall - 15
        radius = 5 + 3 * math.log10(1 + (claim.value or 1))
        cx = x(claim.date)
        towards_left = cx > left + (width - left - right) * 0.75
        lx = cx - radius - 3 if towards_left else cx + radius + 3
        anchor = "end" if towards_left else "start"
        dot = (f'<circle cx="{cx:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="#3b6fd8" fill-opacity="0.75"/>'
               f'<text x="{lx:.1f}" y="{y - radius - 2 - 15 * k:.1f}" text-anchor="{anchor}">'
               f"{escape(_short(claim.label, 34))}</text>")  # fmt: skip
        title = f"{claim.date.isoformat()} — {claim.speaker}: {claim.label}"
        parts.append(_link(claim.href, dot, title))
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart_svg(bars: list[Bar], title: str, width: int = 980) -> Markup:
    """Horizontal bars, longest first, each a link to what it counts."""
    if not bars:
        return Markup("")
    row, left, top = 28, 260, 10
    height = top + row * len(bars) + 10
    most = max(bar.value for bar in bars) or 1
    usable = width - left - 60
    parts = [
        f'<svg class="chart bars" viewBox="0 0 {width} {height}" width="100%" role="img" aria-labelledby="bars-title" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="bars-title">{escape(title)}</title>',
        "<style>text{font:13px system-ui,sans-serif;fill:#1d1d1f} a:focus rect{stroke:#f5b400;stroke-width:3}</style>",
    ]
    for i, bar in enumerate(bars):
        y = top + row * i
        length = max(2.0, usable * bar.value / most)
        body = (f'<text x="{left - 10}" y="{y + 17}" text-anchor="end">{escape(_short(bar.label, 36))}</text>'
                f'<rect x="{left}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" fill="#2f8f4e"/>'
                f'<text x="{left + length + 6:.1f}" y="{y + 17}">{bar.value}</text>')  # fmt: skip
        parts.append(_link(bar.href, body, f"{bar.label}: {bar.value}"))
    parts.append("</svg>")
    return Markup("".join(parts))


def neighbourhood_svg(centre: str, kind: str, neighbours: list[Neighbour], width: int = 900) -> Markup:
    """The entity in the middle, what it links to and what links to it around it, edges labelled."""
    if not neighbours:
        return Markup("")
    height = 520 if len(neighbours) > 6 else 380
    cx, cy = width / 2, height / 2
    rx, ry = width / 2 - 130, height / 2 - 50
    parts = [
        f'<svg class="chart neighbourhood" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="graph-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="graph-title">{escape(centre)} and the {len(neighbours)} entities next to it</title>',
        "<style>text{font:12px system-ui,sans-serif;fill:#1d1d1f} .edge{font-size:11px;fill:#555}"
        " a:focus rect{stroke:#f5b400;stroke-width:3}</style>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8a94a6"/></marker></defs>',
    ]
    nodes = []
    for i, n in enumerate(neighbours):
        angle = -math.pi / 2 + 2 * math.pi * i / len(neighbours)
        nx, ny = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        start, end = ((cx, cy), (nx, ny)) if n.outgoing else ((nx, ny), (cx, cy))
        parts.append(f'<line x1="{start[0]:.1f}" y1="{start[1]:.1f}" x2="{end[0]:.1f}" y2="{end[1]:.1f}" '
                     'stroke="#8a94a6" marker-end="url(#arrow)"/>')  # fmt: skip
        mx, my = (cx + nx) / 2, (cy + ny) / 2
        parts.append(f'<text class="edge" x="{mx:.1f}" y="{my - 4:.1f}" text-anchor="middle">{escape(n.prop)}</text>')
        nodes.append(_node(nx, ny, n.label, n.kind, n.href, f"{n.prop}: {n.label}"))
    parts.extend(nodes)
    parts.append(_node(cx, cy, centre, kind, None, centre, emphasis=True))
    parts.append("</svg>")
    return Markup("".join(parts))


def _node(x: float, y: float, label: str, kind: str, href: str | None, title: str, emphasis: bool = False) -> str:
    text = _short(label, 30)
    box = 7.2 * len(text) + 18
    colour = PALETTE.get(kind, DEFAULT_COLOUR)
    weight = ' font-weight="600"' if emphasis else ""
    body = (f'<rect x="{x - box / 2:.1f}" y="{y - 14:.1f}" width="{box:.1f}" height="28" rx="6" fill="#fff" '
            f'stroke="{colour}" stroke-width="{3 if emphasis else 2}"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle"{weight}>'
            f"{escape(text)}</text>")  # fmt: skip
    return _link(href, body, title)
