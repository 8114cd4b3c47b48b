"""Dates in news text: absolute ones, and relative ones resolved against publication.

"On Friday" in an article published on 2024-02-09 (a Friday) is that day; a
month and day without a year take the publication year, or the year before
when that would put them after publication. Resolved dates are flagged as
derived and say how they were derived.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: n
    for n, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
#: A timeline entry's day before its text: '-- Oct. 13, 2023: ', '• 2 December 2024: '.
TIMELINE_DATE = re.compile(
    r"^\s*(?:[-–—•*]+\s*)?(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4})\s*:\s+"
)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")(?![a-z])\.?"  # not '19 decoys'
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s*(?P<year>(?:19|20)\d\d)\b|\s+(?P<last>last year))?"
PATTERNS = [
    re.compile(rf"\b{_MONTH}\s*{_DAY}\b{_YEAR}", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+{_MONTH}{_YEAR}", re.IGNORECASE),
    re.compile(r"\b(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)\b"),
    # "12.03.2025": day first, as European and Ukrainian pages write it
    re.compile(r"(?<![\d.])(?P<dd>[0-3]?\d)\.(?P<mm>[01]?\d)\.(?P<yyyy>(?:19|20)\d\d)(?![\d])"),
    # 'on the 12th' in a translated report: that day of the month of publication, or of the month before
    re.compile(
        r"\b(?:on|late on|early on|of)\s+the\s+(?P<ordinal>[0-3]?\d)(?:st|nd|rd|th)\b"
        r"(?!\s+(?:of\s+)?\w*(?:century|anniversary|floor|brigade|army|corps|division|time|day|week))"
    ),
    re.compile(r"\b(?:(?P<last_week>last)\s+)?(?P<weekday>" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE),
    re.compile(
        r"\b(?P<relative>yesterday|today|this morning|this afternoon|this evening|tonight|earlier today"
        r"|overnight(?!\s+(?:into|to|on)\s+(?:\d|[A-Z]))"  # 'overnight into 22 January' is that day
        r"|(?:shortly\s+)?before dawn|at dawn)\b",
        re.IGNORECASE,
    ),
]
PERIOD_BEFORE = re.compile(
    r"\b(?:since|between|from|until|till|through|by|before|after|as of|starting)\s+(?:the\s+)?$", re.I
)


@dataclass(frozen=True)
class DateMention:
    """A date in the text and the calendar day it names."""

    start: int
    end: int
    text: str
    date: dt.date
    derived: bool
    derivation: str | None
    is_period_bound: bool


def find_dates(text: str, published: dt.date | None, offset: int = 0) -> list[DateMention]:
    """Every date in ``text`` that resolves to a day (offsets shifted by ``offset``).

    >>> [d.date.isoformat() for d in find_dates("on Friday and on Dec.30", dt.date(2024, 2, 9))]
    ['2024-02-09', '2023-12-30']
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if (m.groupdict().get("month") or "X")[0].islower():
                continue  # 'about 10 may have been fired', '3 march on Kyiv': no month in running text
            resolved = _resolve(m, published)
            if resolved is None:
                continue
            day, derivation = resolved
            taken.append((m.start(), m.end()))
            lead = text[max(0, m.start() - 60) : m.start()]
            bound = bool(PERIOD_BEFORE.search(lead[-20:]) or re.search(r"\bsince\b[^,.;]*$", lead, re.I))
            found.append(
                DateMention(
                    offset + m.start(), offset + m.end(), m.group(0), day, derivation is not None,
                    derivation, bound,
                )
            )  # fmt: skip
    return sorted(found, key=lambda d: d.start)


def _resolve(m: re.Match[str], published: dt.date | None) -> tuple[dt.date, str | None] | None:
    groups = m.groupdict()
    if groups.get("iso"):
        try:
            return dt.date.fromisoformat(groups["iso"]), None
        except ValueError:
            return None
    if groups.get("dd"):
        try:
            return dt.date(int(groups["yyyy"]), int(groups["mm"]), int(groups["dd"])), None
        except ValueError:
            return None
    if groups.get("ordinal"):
        if published is None:
            return None
        number = int(groups["ordinal"])
        first = published.replace(day=1)
        if number > published.day:
            first = (first - dt.timedelta(days=1)).replace(day=1)  # 'the 28th' in an article of the 3rd
        try:
            day = first.replace(day=number)
        except ValueError:
            return None
        return day, f"'{m.group(0)}': the last {number}th of a month before or on publication ({published})"
    if groups.get("weekday"):
        if groups["weekday"][0].islower() or published is None:
            return None
        target = WEEKDAYS.index(groups["weekday"].lower())
        back = (published.weekday() - target) % 7
        if groups.get("last_week") and back == 0:
            back = 7  # 'last Thursday' in a Thursday's article is a week before
        day = published - dt.timedelta(days=back)
        return day, f"'{m.group(0)}': the last {groups['weekday']} before or on publication ({published.isoformat()})"
    if groups.get("relative"):
        if published is None:
            return None
        back = 1 if groups["relative"].lower() == "yesterday" else 0
        return published - dt.timedelta(days=back), f"'{m.group(0)}' counted from publication ({published})"
    month = MONTHS[groups["month"].lower()]
    day_number = int(groups["day"])
    if groups.get("year"):
        year, derivation = int(groups["year"]), None
    elif published is None:
        return None
    elif groups.get("last"):
        year = published.year - 1
        derivation = f"'{m.group(0)}': the year before publication ({published.year})"
    else:
        year = published.year
        derivation = f"'{m.group(0)}': year taken from publication ({published.isoformat()})"
    try:
        day = dt.date(year, month, day_number)
    except ValueError:
        return None
    if derivation and not groups.get("last") and published is not None and day > published:
        day = day.replace(year=year - 1)
        derivation = f"'{m.group(0)}': the last such day before publication ({published.isoformat()})"
    return day, derivation


_MARKER = re.compile(
    r"^\s*(?:(?:published|posted|updated)(?:\s+on)?\s*:?\s*)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)|(?P<d1>[0-3]?\d)\s+(?P<m1>[A-Za-z]{3,9})\.?,?\s+(?P<y1>(?:19|20)\d\d)"
    r"|(?P<m2>[A-Za-z]{3,9})\.?\s+(?P<d2>[0-3]?\d),?\s+(?P<y2>(?:19|20)\d\d))\b",
    re.IGNORECASE | re.MULTILINE,
)


def published_in_text(text: str, lines: int = 12) -> dt.date | None:
    """The publication date an article states at its top: a dateline or a date marker line.

    >>> published_in_text("Headline\\nPublished On 23 Oct 2024\\nBody.")
    datetime.date(2024, 10, 23)
    """
    head = "\n".join(text.splitlines()[:lines])
    for m in _MARKER.finditer(head):
        try:
            if m.group("iso"):
                return dt.date.fromisoformat(m.group("iso"))
            month = MONTHS.get((m.group("m1") or m.group("m2")).lower().rstrip("."))
            if month is None:
                continue
            return dt.date(int(m.group("y1") or m.group("y2")), month, int(m.group("d1") or m.group("d2")))
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class PartialDate:
    """A date the text fixes only to a month or a year ('in June', 'last month', 'in 2023'), as a period."""

    start: int
    end: int
    text: str
    first: dt.date
    last: dt.date
    precision: str


_PARTIAL = re.compile(
    r"\b(?:(?P<prep>in|during|since|by|from|until|through|early|late|mid)[\s-]+(?:(?:early|late|mid)[\s-]+)?)?"
    r"(?:(?P<month>" + "|".join(n for n in MONTHS if len(n) > 3) + r")(?:\s+(?P<year>(?:19|20)\d\d))?"
    r"|(?P<relative>last|this|next) (?P<unit>month|year)|(?P<lone_year>(?:19|20)\d\d)(?![-\d]))\b",
    re.IGNORECASE,
)


def partial_dates(text: str, published: dt.date | None, offset: int = 0) -> list[PartialDate]:
    """Months and years named without a day, resolved against publication ('in June' in August is that June).

    >>> [(p.first.isoformat(), p.precision) for p in partial_dates("in June and last month", dt.date(2024, 8, 9))]
    [('2024-06-01', 'month'), ('2024-07-01', 'month')]
    """
    found = []
    days = find_dates(text, published)
    for m in _PARTIAL.finditer(text):
        if any(d.start < m.end() and m.start() < d.end for d in days):
            continue
        span = _partial(m, published)
        if span is not None:
            first, last, precision = span
            found.append(PartialDate(offset + m.start(), offset + m.end(), m.group(0), first, last, precision))
    return found


def _partial(m: re.Match[str], published: dt.date | None) -> tuple[dt.date, dt.date, str] | None:
    if m.group("lone_year"):
        year = int(m.group("lone_year"))
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    if m.group("relative"):
        if published is None:
            return None
        step = {"last": -1, "this": 0, "next": 1}[m.group("relative").lower()]
        if m.group("unit").lower() == "year":
            year = published.year + step
            return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
        month_index = published.year * 12 + published.month - 1 + step
        return _month(month_index // 12, month_index % 12 + 1)
    month = MONTHS[m.group("month").lower()]
    if m.group("year"):
        return _month(int(m.group("year")), month)
    if published is None or (m.group("month").lower() == "may" and not m.group("prep")):
        return None  # 'may' is mostly a verb
    year = published.year if month <= published.month else published.year - 1
    return _month(year, month)


def _month(year: int, month: int) -> tuple[dt.date, dt.date, str]:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, 1), following - dt.timedelta(days=1), "month"
