"""Hedged quantities with units: 'at least 24 missiles', 'several dozen', '$725 million'."""

from __future__ import annotations

import re
from dataclasses import dataclass

WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a hundred": 100, "a dozen": 12,
}  # fmt: skip
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000, "dozen": 12}
HEDGES = [
    (r"at least|no fewer than|no less than|a minimum of", "at_least"),
    (r"more than|over|upwards of|in excess of|exceeding|exceeded|exceeds|topped", "over"),
    (
        r"about|approximately|around|roughly|some|nearly|almost|up to|as many as|as much as|an estimated|close to"
        r"|estimated|no more than|not more than|at most",
        "about",
    ),
    (r"likely|probably|possibly", "likely"),
]
VAGUE = [
    (r"hundreds of thousands of", "hundreds_of_thousands"),
    (r"several dozen", "several_dozen"),
    (r"a few dozen", "several_dozen"),
    (r"several hundred", "hundreds"),
    (r"dozens[\"”]? of", "dozens"),
    (r"hundreds[\"”]? of", "hundreds"),
    (r"multiple", "multiple"),
]
UNITS = {
    "missile": "missiles", "rocket": "rockets", "drone": "drones", "shell": "rounds", "round": "rounds",
    "attack": "attacks", "strike": "strikes", "occasion": "occasions", "time": "occasions",
    "region": "regions", "civilian": "civilians", "people": "people", "person": "people",
    "container": "containers", "vehicle": "vehicles", "unit": "units", "launcher": "launchers",
    "km": "km", "kilometer": "km", "kilometre": "km", "mile": "miles", "soldier": "soldiers",
    "troop": "soldiers", "howitzer": "howitzers", "system": "systems", "tank": "tanks", "mine": "mines",
    "casualties": "casualties", "piece": "pieces", "labourer": "labourers", "laborer": "labourers",
    "worker": "labourers", "barrel": "barrels",
    "component": "components", "voyage": "voyages", "bomb": "bombs", "casualty": "casualties", "ship": "ships",
    "train": "trains", "wagon": "wagons", "personnel": "personnel", "tonne": "tonnes", "ton": "tonnes",
    "fighter": "soldiers", "child": "people", "children": "people", "man": "people", "men": "people",
    "woman": "people", "women": "people", "resident": "people", "shipment": "shipments", "part": "components",
    "sailor": "soldiers", "officer": "soldiers", "specialist": "soldiers", "engineer": "labourers",
    "dollar": "USD", "euro": "EUR", "house": "buildings", "home": "buildings", "building": "buildings",
    "apartment": "buildings", "car": "vehicles", "truck": "vehicles", "village": "settlements",
    "town": "settlements", "settlement": "settlements", "decoy": "drones", "engine": "components",
    "company": "companies", "companies": "companies", "firm": "companies",
    "kit": "components", "body": "people killed", "bodies": "people killed", "victim": "people",
    "launch": "launches", "launches": "launches", "munition": "rounds", "projectile": "rounds",
    "warhead": "warheads", "vessel": "ships", "tanker": "ships", "freighter": "ships", "aircraft": "aircraft",
    "jet": "aircraft", "helicopter": "aircraft", "individual": "people", "entity": "companies",
    "entities": "companies", "serviceman": "soldiers", "servicemen": "soldiers", "recruit": "soldiers",
    "infantryman": "soldiers", "infantrymen": "soldiers", "pilot": "soldiers", "crew": "soldiers",
    "community": "settlements", "communities": "settlements", "household": "households", "family": "households",
    "fragment": "fragments", "weapon": "weapons", "gun": "guns", "cannon": "guns", "mortar": "mortars",
    "artillery": "guns", "death": "people killed", "deaths": "people killed", "fatality": "people killed",
    "fatalities": "people killed", "injury": "people injured", "injuries": "people injured",
    "module": "components", "chip": "components", "microchip": "components", "microcontroller": "components",
    "reinforcement": "soldiers", "violation": "violations", "incursion": "violations", "trip": "voyages",
    "school": "buildings", "kindergarten": "buildings", "hospital": "buildings", "window": "windows",
    "interceptor": "missiles", "minute": "minutes", "clash": "clashes", "clashes": "clashes",
    "engagement": "clashes", "sortie": "sorties",
    "flight": "flights", "location": "locations", "site": "locations", "consignment": "shipments",
    "intermediary": "companies", "intermediaries": "companies", "railcar": "wagons", "carriage": "wagons",
    "flatcar": "wagons", "survivor": "people", "witness": "people", "substation": "locations",
    "explosion": "explosions", "blast": "explosions", "rescuer": "people",
}  # fmt: skip
#: A bare count of victims: 'killing two', 'injuring at least 15', 'nine were injured', '17 wounded'.
HARMED_AFTER = re.compile(
    r"^\s+(?:of\s+the\s+(?=injured|wounded|dead))?(?:(?:people|civilians|others|persons|more)\s+)?"
    r"(?:(?:were|was|have been|had been|are)\s+)?(?:also\s+)?"
    r"(?P<harm>killed|injured|wounded|dead|hurt|hospitali[sz]ed)\b",
    re.IGNORECASE,
)
HARMED_BEFORE = re.compile(r"\b(?P<harm>kill|injur|wound|hurt)(?:ed|ing|es|s)?\s+$", re.IGNORECASE)
CALIBRE = re.compile(r"^\s*-?\s*(?:mm|millimet(?:er|re)s?|cm|calibre|caliber|inch)\b", re.IGNORECASE)
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
_SCALE = r"(?:\s+(?P<scale>thousand|million|billion|dozen))?"
_HEDGE = r"(?:(?P<hedge>" + "|".join(h for h, _ in HEDGES) + r")\s+)?"
COUNT = re.compile(
    rf"(?<![\w$€£.-]){_HEDGE}(?P<merely>merely\s+|only\s+|just\s+)?{_NUMBER}{_SCALE}(?![\w-])", re.IGNORECASE
)
#: A share put as a ratio: 'one in five', 'up to one in three'.
RATIO = re.compile(
    rf"(?<![\w-]){_HEDGE}(?P<part>one|two|three|four|\d+)\s+(?:in|out of)\s+"
    r"(?P<whole>two|three|four|five|six|seven|eight|nine|ten|\d+)(?![\w-])",
    re.IGNORECASE,
)
VAGUE_COUNT = re.compile(r"\b(?P<vague>" + "|".join(v for v, _ in VAGUE) + r")(?![\w-])", re.IGNORECASE)
NOUN_PHRASE = re.compile(
    r"(?:\s+of\s+(?:the|its|their|these|those|which)\b)?"
    r"(?P<words>(?:\s+(?:and\s+(?=\S*[\dA-Z]))?(?:\d{1,3}(?:,\d{3})+|(?:[A-Z]\.){2,}-[\w’'-]+|[\w’'-]+(?:/[\w’'-]+)?)){1,5})"
)
STOP = re.compile(
    r"^(?:at|to|from|in|on|against|for|that|which|and|or|were|was|is|are|have|has|had|with|by|of|since|into"
    r"|as|the|a|an|but|who|since|over|across|per)$",
    re.IGNORECASE,
)
MONEY = re.compile(
    r"(?<![\w(])(?:(?P<hedge>" + "|".join(h for h, _ in HEDGES) + r")\s+)?(?:(?P<dollar>\$|US\$|€|£)\s?)?"
    r"(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(?P<scale>thousand|million|billion|trillion)|(?P<short>bn|mn|m|k)\b)?"
    r"(?:\s+(?P<currency>euros?|dollars?|pounds?|yen))?",
    re.IGNORECASE,
)
TIMES = re.compile(r"\btimes\b", re.I)
#: A share: '40 percent', '40 per cent', '40%'.
PERCENT = re.compile(r"(?:\s*%|\s+per\s?cent\b)", re.IGNORECASE)
#: A share in words: 'about half of the rounds', 'a third of'.
FRACTION = re.compile(
    rf"(?<![\w-])(?:(?P<hedge>{'|'.join(h for h, _ in HEDGES)})\s+)?(?:a\s+|one\s+)?"
    r"(?P<part>half|third|quarter|two-thirds|three-quarters)\s+of\b",
    re.IGNORECASE,
)
#: Percentages as written in round figures: "a third" is 33 percent, as curators and readers write it.
FRACTIONS = {"half": 50.0, "third": 33.0, "quarter": 25.0, "two-thirds": 67.0, "three-quarters": 75.0}
#: A count of what air defence stopped: '38 were shot down', 'another 25 were intercepted', a list's '34 shot down'.
DOWNED_AFTER = re.compile(
    r"\s+(?:more\s+)?(?:(?:were|was|had been|have been)\s+)?(?:\w+ly\s+)?"
    r"(?:shot down|intercepted|destroyed|downed|lost to|lost from|lost in)\b",
    re.IGNORECASE,
)
#: Part of what was counted before, and what was done with it: 'at least 380 were made by German companies'.
PART_DONE = re.compile(
    r"\s+(?:of\s+them\s+)?(?:were|had\s+been|have\s+been)\s+(?:\w+ly\s+)?"
    r"(?:[a-z]+ed|made|built|sold|found|sent|shot|hit|bought|brought|taken|seen|flown|given|caught|held)\b"
)
#: A count broken down by where it was: '19 over the Kursk region', 'six over Crimea'.
OVER_A_PLACE = re.compile(r"\s+over\s+(?:the\s+)?[A-Z][\w'’-]+")
#: People counted by nationality: 'the two North Koreans', '12 Ukrainians'.
NATIONALS = re.compile(r"\s+(?:[A-Z][a-z]+\s+)?[A-Z][a-z]+(?:ans|ese|is)\b")
#: A number that goes on with the noun counted just before: 'about 11,000 troops … and roughly 3,000 more'.
MORE = re.compile(r"\s+more\b", re.IGNORECASE)
#: 'the first half of January' is a time, not a share.
NOT_A_SHARE = re.compile(
    r"\b(?:first|second|last|latter|former)\s+$|^\s+(?:the\s+|this\s+|last\s+)?(?:year|month|week|day|century|decade|"
    + "|".join(n for n in ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                          "october", "november", "december"))
    + r"|(?:19|20)\d\d)\b",
    re.IGNORECASE,
)  # fmt: skip
#: A month name beside a number makes it a date: '12 February', 'February 12'.
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr"
_MONTHS += r"|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?"
MONTH_AFTER = re.compile(r"\s+" + _MONTHS)
MONTH_BEFORE = re.compile(r"\b" + _MONTHS + r"\s+$")
#: A rate that goes on with the noun counted just before: 'about 2,500 drones a month, up from some 300 a month'.
RATE = re.compile(r"\s+(?:a|per|each)\s+(?:day|week|month|year)\b", re.IGNORECASE)
#: A part of what was counted just before: '58 missiles …, at least 11 of them North Korean'.
OF_THEM = re.compile(r"\s+of\s+(?:them|whom)\b", re.IGNORECASE)
#: 'one of the …', 'one of those …': a member of a group, not a count.
ONE_OF = re.compile(r"\s+of\s+(?:the|those|these|its|their|his|her)\b", re.IGNORECASE)
#: A total named before its number: 'raising the total number of its troops there to about 14,000'.
TOTAL = re.compile(
    r"\b(?:total|number)\s+(?:number\s+)?of\s+(?:(?:its|their|the|his|her)\s+)?(?P<noun>[a-z]+)\b[^.;\d]{0,40}?"
    r"\b(?:to|at|is|was|stands\s+at|reached)\s+(?:(?:" + "|".join(h for h, _ in HEDGES) + r")\s+)?$",
    re.IGNORECASE,
)
#: A weapon counted by its designation: 'KN-23s', 'Kh-101s', 'Su-34s'.
DESIGNATIONS = re.compile(r"[A-Z][A-Za-z]{0,3}-\d+[A-Z]?\d*s")
#: A running total of what was counted just before: 'bringing the total Iran has sent to more than 250'.
RUNNING_TOTAL = re.compile(
    r"\b(?:bringing|taking|raising|pushing)\s+(?:the|its|their)\s+(?:overall\s+|total\s+)?(?:total|tally|number)\b"
    r"[^.;\d]{0,50}?\bto\s+(?:(?:" + "|".join(h for h, _ in HEDGES) + r")\s+)?$",
    re.IGNORECASE,
)
#: 'shot down 103 of the drones, while another 67 were lost', '1,125,430 personnel, including 1,030 over the
#: past day', '8,000 soldiers …, out of more than 10,000': more of what was counted just before.
ANOTHER = re.compile(r"\b(?:another|a further|including|out of)\s+$", re.IGNORECASE)
#: A range of counts: 'between 1,000 and 1,500 containers', '60 to 80 missiles'.
RANGE = re.compile(
    r"(?:\bbetween\s+(?P<low_sign>[$€£])?(?P<low>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s+(?P<low_scale>thousand|million|billion))?\s+and\s+(?P<high_sign>[$€£])?"
    r"|(?<![\w$€£.,-])(?P<from>\d{1,3}(?:,\d{3})+|\d+)(?:\s+(?P<from_scale>thousand|million|billion))?\s+to\s+"
    r"|\b(?P<either>[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|\d+)\s+or\s+)"
    r"(?P<high>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b"
    r"(?:\s+(?P<high_scale>thousand|million|billion))?"
)
#: Units of sums of money, whose scale a range's low end may leave to its high end.
MONEY_UNITS = {"USD", "EUR", "GBP", "JPY"}
#: 'every one of': all of them.
ALL_OF = re.compile(r"\b(?:every|each|any|no|not|not a single)\s+$", re.IGNORECASE)
#: 'flown between Vladivostok and Pyongyang twice': two occasions ('twice as many' is a ratio).
TWICE = re.compile(r"\btwice\b(?!\s+(?:as|the|that)\b)", re.IGNORECASE)
#: A hedge after the number: '1,000 or so soldiers'.
HEDGE_AFTER = re.compile(r"\s+or\s+so\b", re.IGNORECASE)
#: Nobody harmed: 'Nobody was killed', 'no one was injured'.
NOBODY = re.compile(
    r"\b(?:nobody|no\s+one|no-one)\s+(?:was|were|has\s+been|had\s+been)\s+(?:\w+ly\s+)?"
    r"(?P<harm>killed|injured|wounded|hurt)\b",
    re.IGNORECASE,
)
#: One person harmed, counted by the article as one: 'A 46-year-old security guard was killed', 'killing a man'.
_ONE = (
    r"\b(?:a|an)\s+(?:\d{1,3}-year-old\s+)?(?:security\s+|local\s+|elderly\s+|young\s+)?"
    r"(?:man|woman|boy|girl|child|person|resident|civilian|pensioner|guard|driver|worker)\b"
)
ONE_VICTIM = re.compile(
    rf"{_ONE}\s+(?:was|has been|had been)\s+(?P<harm>killed|injured|wounded|hurt)\b"
    rf"|\b(?P<harm2>killing|injuring|wounding)\s+{_ONE[2:]}(?!\s+and\s+(?:her|his|their|a|an|two|three)\b)",
    re.IGNORECASE,
)
#: Two people harmed, named as a pair: 'killing a 71-year-old woman and her 45-year-old son'.
TWO_VICTIMS = re.compile(
    rf"\b(?P<harm>killing|injuring|wounding)\s+{_ONE[2:]}\s+and\s+(?:her|his|their)\s+(?:\d{{1,3}}-year-old\s+)?"
    r"(?:son|daughter|husband|wife|mother|father|brother|sister|grandson|granddaughter|neighbour|neighbor)\b",
    re.IGNORECASE,
)
#: A toll that grew: 'the number of people killed … has risen to 12', 'the death toll rose to 9'.
TOLL = re.compile(
    r"\b(?:(?:(?:death|casualty)\s+toll|number\s+of\s+(?:people\s+|those\s+)?(?P<harm>killed|dead|injured|wounded|victims))"
    r"(?:[^.;]{0,80}?\b(?:(?:risen|rose|climbed|increased|grown|grew|reached|jumped)\s+to|stood\s+at|stands\s+at|at)"
    r"|\s+to)"  # '… has risen to six and the number of injured to 27'
    r"|\bnumber\s+(?:had|has)\s+(?:risen|rose|climbed|increased|grown)\s+to)\s+$",  # 'the number had risen to 11'
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """A number (or a vague amount) with its hedge and unit, where it sits in the text."""

    start: int
    end: int
    text: str
    value: float | None
    hedge: str
    unit: str


def find_quantities(text: str, offset: int = 0, vague: bool = True) -> list[Quantity]:
    """Counts, vague amounts and sums of money in ``text``, in text order.

    >>> [(q.value, q.hedge, q.unit) for q in find_quantities("at least 24 North Korean ballistic missiles")]
    [(24.0, 'at_least', 'missiles')]
    >>> [(q.value, q.hedge, q.unit) for q in find_quantities("650 million euros ($684 million)")]
    [(650000000.0, 'exactly', 'EUR')]
    """
    found: list[Quantity] = []
    for m in MONEY.finditer(text):
        if not (m.group("dollar") or m.group("currency")) or text[max(0, m.start() - 1) : m.start()] == "(":
            continue
        value = _number(m.group("number")) * SCALES.get((m.group("scale") or "").lower(), 1)
        # '$20bn', '$410mn', '£9m', '$500k'
        value *= {"bn": 1_000_000_000, "mn": 1_000_000, "m": 1_000_000, "k": 1_000}.get(m.group("short") or "", 1)
        currency = "EUR" if (m.group("dollar") == "€" or (m.group("currency") or "").lower().startswith("euro")) else (
            "GBP" if m.group("dollar") == "£" or (m.group("currency") or "").lower().startswith("pound") else
            "JPY" if (m.group("currency") or "").lower() == "yen" else "USD"
        )  # fmt: skip
        found.append(_quantity(m, offset, value, _hedge(m.group("hedge")), currency))
    for m in RATIO.finditer(text):
        # 'one in five North Korean shells fails to fire': a share, not five shells
        share = 100 * _number(m.group("part")) / _number(m.group("whole"))
        found.append(_quantity(m, offset, float(round(share)), _hedge(m.group("hedge")), "percent"))  # as curators do
    for m in COUNT.finditer(text):
        if _overlaps(found, offset + m.start(), offset + m.end()) or _is_designation(text, m):
            continue
        if text[max(0, m.start() - 1) : m.start()] == "(" and any(offset + m.start() - q.end <= 3 for q in found):
            continue  # a conversion in brackets: 'about 900 km (560 miles)'
        if CALIBRE.match(text[m.end() :]):
            continue
        if m.group("number").lower() == "one" and not m.group("hedge") and ONE_OF.match(text, m.end()):
            continue  # 'one of the people familiar with the matter', 'one of the damaged buildings': which one
        hedge = _hedge(m.group("hedge"))
        dozens = m.group("number").lower() == "a dozen" or (m.group("scale") or "").lower() == "dozen"
        if hedge == "exactly" and dozens:
            hedge = "about"  # 'a dozen private houses', 'two dozen missiles': a round figure
        after = HEDGE_AFTER.match(text, m.end())
        if after and hedge == "exactly":
            hedge = "about"
        more_after = MORE.match(text, m.end())  # 'two more IRIS-T systems': more of the noun after
        position = after.end() if after else (more_after.end() if more_after else m.end())
        # 'fired "well over 60" North Korean missiles': a quoted figure counts the noun after the quote
        position += 1 if text[position : position + 1] in ('"', "”", "’") else 0
        unit_end = _unit(text, position)
        unit_end = unit_end or _harmed(text, m) or _share(text, m.end())
        unit_end = unit_end or _toll(text, m) or _downed(text, m.end()) or _nationals(text, m.end())
        unit_end = unit_end or _total(text, m)
        more = more_after or RATE.match(text, m.end())
        if _number(m.group("number")) != 1:  # 'one of them, a KN-24,': which one, not how many
            more = more or OF_THEM.match(text, m.end())
        if unit_end is None and found and more is not None:
            unit_end = (found[-1].unit, more.end())
        if unit_end is None and found and ANOTHER.search(text, 0, m.start()):
            unit_end = (found[-1].unit, m.end())
        if unit_end is None and found and PART_DONE.match(text, m.end()):
            unit_end = (found[-1].unit, m.end())  # '2,150 components …, at least 380 were made in Germany'
        if unit_end is None and found and OVER_A_PLACE.match(text, m.end()):
            unit_end = (found[-1].unit, m.end())  # '57 drones: 19 over the Kursk region, 38 over Bryansk…'
        if unit_end is None and found and RUNNING_TOTAL.search(text, 0, m.start()):
            unit_end = (found[-1].unit, m.end())  # '…about 40 missiles, bringing the total … to more than 250'

        if unit_end is None:
            continue
        unit, end = unit_end
        value = _number(m.group("number")) * SCALES.get((m.group("scale") or "").lower(), 1)
        found.append(Quantity(offset + m.start(), offset + end, text[m.start() : end], value, hedge, unit))
    _bound_ranges(text, offset, found)
    for m in FRACTION.finditer(text):
        if NOT_A_SHARE.search(text[max(0, m.start() - 12) : m.start()]) or NOT_A_SHARE.match(text[m.end() :]):
            continue
        if not _overlaps(found, offset + m.start(), offset + m.end()):
            value = FRACTIONS[m.group("part").lower()]
            found.append(_quantity(m, offset, round(value, 2), _hedge(m.group("hedge")), "percent"))
    for m in TWICE.finditer(text):
        if not _overlaps(found, offset + m.start(), offset + m.end()):
            found.append(_quantity(m, offset, 2.0, "exactly", "occasions"))
    for m in NOBODY.finditer(text):
        harm = "killed" if m.group("harm").lower() == "killed" else "injured"
        found.append(_quantity(m, offset, 0.0, "exactly", f"people {harm}"))
    for m in TWO_VICTIMS.finditer(text):
        harm = "killed" if m.group("harm").lower().startswith("kill") else "injured"
        found.append(_quantity(m, offset, 2.0, "exactly", f"people {harm}"))
    for m in ONE_VICTIM.finditer(text):
        if not _overlaps(found, offset + m.start(), offset + m.end()):
            harm = "killed" if re.match(r"kill", m.group("harm") or m.group("harm2"), re.I) else "injured"
            found.append(_quantity(m, offset, 1.0, "exactly", f"people {harm}"))
    if vague:
        for m in VAGUE_COUNT.finditer(text):
            scale = re.match(r"\s+(?:thousands|millions|billions)\s+of\b", text[m.end() :], re.IGNORECASE)
            quoted = 1 if text[m.end() : m.end() + 1] in ('"', "”") else 0  # 'and "several dozen" missiles'
            # ('hundreds of millions of dollars')
            unit_end = _unit(text, m.end() + quoted + (scale.end() if scale else 0))
            if unit_end is None or _overlaps(found, offset + m.start(), offset + m.end()):
                continue
            unit, end = unit_end
            hedge = next(name for pattern, name in VAGUE if re.fullmatch(pattern, m.group("vague"), re.I))
            found.append(Quantity(offset + m.start(), offset + end, text[m.start() : end], None, hedge, unit))
    return sorted(found, key=lambda q: q.start)


def _bound_ranges(text: str, offset: int, found: list[Quantity]) -> None:
    """'between 1,000 and 1,500 containers', '60 to 80 missiles': the first number is a lower bound of what the
    second counts (at least), the second an upper one (at most: 'about', as 'up to' is)."""
    for m in RANGE.finditer(text):
        group = next(g for g in ("low", "from", "either") if m.group(g) is not None)
        if group == "from" and re.search(r"\b(?:from|rose|risen|grew|increased)\s+$", text[: m.start(group)]):
            continue  # 'rose from 12 to 15': a change, not a range
        scale = m.group(f"{group}_scale") if group != "either" else None  # 'two or three interceptors'
        low_start, low_end = offset + m.start(group), offset + m.end(f"{group}_scale" if scale else group)
        if group == "low" and m.group("low_sign"):
            low_start -= 1  # 'between $7 billion and $9 billion': sums of money
        high_start = offset + m.start("high") - (1 if m.groupdict().get("high_sign") else 0)
        high = next((q for q in found if q.start == high_start), None)
        if high is None:
            continue
        # 'between 8 million and 9 million', 'between 8 and 9 million': the low end's own scale, else the high's
        factor = SCALES.get((scale or m.group("high_scale") or "").lower(), 1)
        low_text = text[low_start - offset : low_end - offset]
        low_value = _number(m.group(group)) * (factor if high.unit not in MONEY_UNITS or scale else max(
            factor, high.value / _number(m.group("high")) if high.value else 1))  # '$7 billion': the sum's scale
        low = Quantity(low_start, low_end, low_text, low_value, "at_least", high.unit)
        found[:] = [q for q in found if not low_start <= q.start < low_end]
        found[found.index(high)] = Quantity(high.start, high.end, high.text, high.value, "about", high.unit)
        found.append(low)


def _unit(text: str, position: int) -> tuple[str, int] | None:
    """The counted noun after a number: the last unit word of the noun phrase that follows."""
    m = NOUN_PHRASE.match(text, position)
    if m is None:
        return None
    unit: tuple[str, int] | None = None
    for word in re.finditer(r"\d{1,3}(?:,\d{3})+|(?:[A-Z]\.){2,}-[\w’'-]+|[\w’'-]+", m.group("words")):
        token = word.group(0)
        if STOP.match(token) and token.lower() != "and":
            break
        if token[0].isdigit() or token.lower() in WORDS:
            # another count begins ('67 missiles and 194 drones', '112 of the 145 drones'): the noun it
            # counts is this number's unit only if none came before
            if unit is None:
                after = _unit(text, m.start("words") + word.end())
                return (after[0], position) if after else None
            break
        singular = re.sub(r"(?:e?s)$", "", token.lower())
        key = token.lower() if token.lower() in UNITS else singular if singular in UNITS else token.lower()[:-1]
        if key in UNITS:
            unit = (UNITS[key], m.start("words") + word.end())
        elif unit is None and DESIGNATIONS.fullmatch(token):
            unit = ("weapons", m.start("words") + word.end())  # 'at least 150 KN-23s', '12 Kh-101s'
    return unit


def _downed(text: str, position: int) -> tuple[str, int] | None:
    """'38 were shot down': a count of what was stopped, with no noun after the number."""
    m = DOWNED_AFTER.match(text, position)
    return ("intercepted", m.end()) if m else None


def _nationals(text: str, position: int) -> tuple[str, int] | None:
    """'the two North Koreans': people counted by nationality."""
    m = NATIONALS.match(text, position)
    return ("people", m.end()) if m else None


def _share(text: str, position: int) -> tuple[str, int] | None:
    """'40 percent', '40%': a share, whatever it is a share of."""
    m = PERCENT.match(text, position)
    return ("percent", m.end()) if m else None


def _toll(text: str, m: re.Match[str]) -> tuple[str, int] | None:
    """'The number of people killed … has risen to 12': the new toll."""
    toll = TOLL.search(text[max(0, m.start() - 120) : m.start()])
    if toll is None:
        return None
    harm = (toll.group("harm") or "killed").lower()
    return ("people injured" if harm in ("injured", "wounded") else "people killed"), m.end()


def _total(text: str, m: re.Match[str]) -> tuple[str, int] | None:
    """'the total number of its troops there to about 14,000': the noun of the total named before."""
    total = TOTAL.search(text[max(0, m.start() - 100) : m.start()].rstrip('"“'))  # 'at "about 600"'
    if total is None:
        return None
    noun = total.group("noun").lower()
    singular = re.sub(r"(?:e?s)$", "", noun)
    unit = UNITS.get(noun) or UNITS.get(singular) or UNITS.get(noun[:-1])
    return (unit, m.end()) if unit else None


def _harmed(text: str, m: re.Match[str]) -> tuple[str, int] | None:
    """A count of people killed or injured with no noun after the number."""
    after = HARMED_AFTER.match(text[m.end() :])
    if after:
        harm = "killed" if after.group("harm").lower() in ("killed", "dead") else "injured"
        return f"people {harm}", m.end() + after.end()
    before = HARMED_BEFORE.search(text[max(0, m.start() - 20) : m.start()])
    if before:
        return ("people killed" if before.group("harm").lower() == "kill" else "people injured"), m.end()
    return None


def _quantity(m: re.Match[str], offset: int, value: float | None, hedge: str, unit: str) -> Quantity:
    return Quantity(offset + m.start(), offset + m.end(), m.group(0), value, hedge, unit)


def _hedge(word: str | None) -> str:
    if not word:
        return "exactly"
    return next(name for pattern, name in HEDGES if re.fullmatch(pattern, word, re.I))


def _number(text: str) -> float:
    lowered = text.lower()
    if lowered in WORDS:
        return float(WORDS[lowered])
    return float(text.replace(",", ""))


def _overlaps(found: list[Quantity], start: int, end: int) -> bool:
    return any(q.start < end and start < q.end for q in found)


def _is_designation(text: str, m: re.Match[str]) -> bool:
    """'KN-23', 'M1989', '170-millimeter', years: numbers that are names, calibres or dates."""
    number = m.group("number")
    before = text[max(0, m.start("number") - 1) : m.start("number")]
    if before in ("-", "/") or re.fullmatch(r"(19|20)\d\d", number):
        return True
    if number.lower() == "one" and ALL_OF.search(text, 0, m.start("number")):
        return True  # 'every one of these missiles': all of them, not one
    day = MONTH_AFTER.match(text, m.end("number")) or MONTH_BEFORE.search(text, 0, m.start("number"))
    if number.isdigit() and day:
        return True  # a day of the month
    return bool(re.match(r"\s*(?:st|nd|rd|th)\b", text[m.end("number") : m.end("number") + 4]))
