"""New entities from named-entity spans: people, organisations, states and places the vocabulary lacks.

Each is minted as the rule reader does (``person/``, ``org/``, ``state/`` or
``place/`` plus :func:`slug` of its name, "not yet linked"), typed by spaCy's
label and by the words around it: a title before a name makes a person;
"Ministry", "Service", "Team", "Institute", "Office", "Force"… make an
organisation whatever the label; a country name makes a state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from missilekg.loaders.extract.lexicon import Entity, Lexicon, Match
from missilekg.loaders.extract.text import slug

TITLES = (
    r"spokes(?:person|man|woman)|minister|president|prime minister|chancellor|general|ambassador|adviser"
    r"|advisor|aide|commander|head|chief|analyst|expert|director|secretary|envoy|colonel|governor|mayor"
    r"|researcher|professor|lawmaker|senator|representative|coordinator|prosecutor|leader|lieutenant|major"
    r"|captain|deputy|author|fellow|correspondent|reporter|editor|engineer|scientist|lawyer|attorney|judge"
    r"|investigator|economist|historian|journalist|specialist|consultant|founder|executive|chairman|chairwoman"
    r"|manager|officer|official|pilot|witness|activist|blogger|ambassador|diplomat|envoy|lecturer|scholar"
)
TITLE = re.compile(rf"\b(?:{TITLES}|mr|mrs|ms|dr|gen|lt|col|sen|rep)\.?,?\s*$", re.IGNORECASE)
#: A name set after the title it holds: 'the head of the Odesa Regional Military Administration, Oleh Kiper'.
TITLE_OF = re.compile(rf"\b(?:{TITLES})\s+(?:of|at|for)\s+[^.;:,]{{0,80}},\s*$", re.IGNORECASE)
#: Titles written before a name as part of it: 'Mayor Ihor Terekhov', 'Kharkiv Governor Oleh Syniehubov'.
LEADING_TITLE = re.compile(
    r"^(?:[A-Z][\w'’-]+\s+)?(?:Mayor|Governor|President|Prime Minister|Minister|General|Gen\.|Colonel|Col\."
    r"|Lt\.|Lieutenant|Major|Captain|Secretary|Chief|Deputy|Ambassador|Senator|Sen\.|Rep\.|Representative"
    r"|Spokesman|Spokeswoman|Spokesperson|Commander|Admiral|Dr\.|Mr\.|Mrs\.|Ms\.|Prosecutor)\s+"
)
#: A person's name with a particle before the family name: 'Nicolas de Rivière', 'Ursula von der Leyen'.
PARTICLE = r"(?:de|van|von|der|den|da|di|du|del|al|bin|ibn|le|la)"
PARTICLE_NAME = re.compile(rf"[A-Z][\w'’-]+\s+(?:{PARTICLE}\s+){{1,2}}[A-Z][\w'’-]+")
PARTICLE_END = re.compile(rf"\s{PARTICLE}$")
FAMILY_AFTER_PARTICLE = re.compile(r"\s+[A-Z][\w'’-]+")
#: A byline: 'By Marcus Hale' on a line of its own.
BYLINE = re.compile(r"(?:^|\n)[ \t]*By[ \t]+$")
#: A name followed by a relative clause for people: 'Marcus Hale, who led the investigation,'.
WHO = re.compile(r",\s+who\b")
#: A Korean given name the tagger cuts at its hyphen: 'Park Sun' + '-won'.
GIVEN_NAME_TAIL = re.compile(r"-[a-z]+\b")
#: A title set after a name: 'Oleh Kiper, the governor of…'.
APPOSED_TITLE = re.compile(rf"^,\s+(?:the|a|an)?\s*(?:[\w'’-]+\s+){{0,3}}?(?:{TITLES})\b", re.IGNORECASE)
ORG_WORDS = re.compile(
    r"\b(?:Ministry|Service|Team|Institute|Office|Force|Forces|Agency|Department|Council|Committee|Command"
    r"|Administration|Army|Navy|Guard|Police|Directorate|Bureau|Centre|Center|Group|Panel|Mission|Embassy"
    r"|Party|University|Commission|Staff|Corporation|Company|Corp|Inc|News|Times|Post|Journal|Agency|Press"
    r"|Research|Foundation|Association|Union|Parliament|Assembly|Court|Prosecutor['’]s|Network|Project|Initiative"
    r"|Observatory|Monitor|Watch|Coalition|Alliance|Consortium|Society|Forum|Brigade|Regiment|Battalion|Verify"
    r"|Chronicle|Herald|Gazette|Tribune|Dispatch|Telegraph|Courier"
    r"|Electronics|Elektronik|GmbH|AG|Ltd|LLC|Industries|Technologies|Trading|Holdings|Logistics|FZE|JSC|PJSC)\b"
)
COUNTRIES = {
    "Afghanistan", "Armenia", "Australia", "Austria", "Azerbaijan", "Belarus", "Belgium", "Brazil", "Bulgaria",
    "Canada", "China", "Cuba", "Czech Republic", "Denmark", "Egypt", "Estonia", "Finland", "France", "Georgia",
    "Germany", "Greece", "Hungary", "India", "Indonesia", "Iraq", "Ireland", "Israel", "Italy", "Japan",
    "Kazakhstan", "Latvia", "Lebanon", "Libya", "Lithuania", "Moldova", "Mongolia", "Netherlands", "New Zealand",
    "Norway", "Pakistan", "Poland", "Portugal", "Romania", "Saudi Arabia", "Serbia", "Slovakia", "Spain",
    "Sweden", "Switzerland", "Syria", "Taiwan", "Turkey", "Türkiye", "United Kingdom", "Venezuela", "Vietnam",
    "Yemen", "Myanmar", "Eritrea", "Algeria", "Mali", "Sudan", "Qatar", "United Arab Emirates", "Kyrgyzstan",
    "Uzbekistan", "Tajikistan", "Turkmenistan", "Malaysia", "Thailand", "Singapore", "South Africa",
}  # fmt: skip
COUNTRY_ALIASES = {"Britain": "United Kingdom", "Great Britain": "United Kingdom", "UK": "United Kingdom",
                   "U.K.": "United Kingdom", "the United Kingdom": "United Kingdom", "the Netherlands": "Netherlands",
                   "Holland": "Netherlands"}  # fmt: skip
KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "FAC": "place", "LOC": "place"}
TYPES = {"person": "Person", "org": "Organization", "state": "State", "place": "Place"}
NOT_NAMES = re.compile(
    r"^(?:the\s+)?(?:ministry|agency|office|service|team|group|government|army|kremlin|war|report|statement"
    r"|telegram channel|first|second|third|\w+day|photo|photos|video|image|images|icon|print|getty|ai|\w|shahed"
    r"|gmt|bst|utc|cet|cest|eet|eest|kst|est|edt|pst|end|state)$",
    re.IGNORECASE,
)


#: Continents and world regions: places in a loose sense the graph does not record.
REGIONS = {"Europe", "Asia", "Africa", "Middle East", "the Middle East", "Latin America", "the West", "West",
           "North", "South", "East", "the North", "the South", "Eurasia", "Pacific", "Indo-Pacific"}  # fmt: skip
#: '… district', '… region' after a place name belong to it: 'Darnytskyi district', 'Kursk region' (an oblast).
PLACE_SUFFIX = re.compile(
    r"\s+(?:[a-z]+\s+){0,2}?(?P<noun>district|region|oblast|province|zone|raion|county|community|hromada)\b"
)
PLACE_OF = re.compile(r"\b(?:city|town|village|port|settlement|outskirts|suburb)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
#: A place named just before and this name listed with it: 'hit Kremenchuk and '.
PLACE_AND = re.compile(
    r"\b(?:in|to|from|near|hit|struck|attacked|shelled|targeted)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?\s+and\s+$"
)
OCCUPIED = re.compile(r"\b(?:occupied|annexed|liberated|besieged|frontline|front-line)\s+$", re.IGNORECASE)
PLACE_NOUN_AFTER = re.compile(r"\s+(?P<noun>district|region|oblast|province|raion|community|hromada)\b")
PLACE_BEFORE = re.compile(
    r"\b(?:(?:city|town|village|port|region|district|outskirts|suburb|province|oblast)\s+of|in|near|outside|into)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
ABBREVIATIONS = {"N. Korea": "North Korea", "S. Korea": "South Korea", "N.Korea": "North Korea",
                 "S.Korea": "South Korea", "U.S.": "United States", "US": "United States"}  # fmt: skip


def _known_form(name: str, vocabulary: Lexicon) -> str | None:
    """The vocabulary entity behind a name written in capitals or abbreviated ('KYIV', 'N. Korea')."""
    candidates = [ABBREVIATIONS.get(name)] if name in ABBREVIATIONS else []
    if name.isupper() and len(name) > 3:
        candidates.append(" ".join(w.capitalize() for w in name.split()))
    for candidate in candidates:
        if candidate:
            ref = vocabulary._resolve(candidate, "in ")
            if ref is not None:
                return ref
    return None


CREDIT = re.compile(r"\b(?:editing|edited|photo|photograph|photographs|pictures?|graphics?) by\s+$|photo:\s*$", re.I)


@dataclass(frozen=True)
class NamedSpan:
    """A named-entity span in article offsets, with spaCy's label."""

    start: int
    end: int
    text: str
    label: str


def _office_and_holder(span: NamedSpan) -> list[NamedSpan]:
    """'the Odesa Regional Military Administration Oleh Kiper', tagged as one organisation: the office, then the
    person who holds it (two or three capitalised words after the organisation's last word)."""
    offices = list(ORG_WORDS.finditer(span.text)) if span.label == "ORG" else []
    person = span.text[offices[-1].end() :].split() if offices else []
    if not 2 <= len(person) <= 3 or not all(w.istitle() and w.isalpha() for w in person):
        return [span]
    cut = span.text.rindex(person[0], offices[-1].end())
    office = span.text[:cut].rstrip()
    return [NamedSpan(span.start, span.start + len(office), office, "ORG"),
            NamedSpan(span.start + cut, span.end, span.text[cut:], "PERSON")]  # fmt: skip


#: A platform the tagger ran into the name after it: 'X, Defence Intelligence', 'Telegram, the ministry'.
PLATFORM_BEFORE = re.compile(r"(?:X|Telegram|Twitter|Facebook|YouTube|VK|Weibo|LinkedIn|Instagram),\s+")


def _clean(text: str, start: int) -> tuple[str, int]:
    """Drop a leading 'the', a trailing possessive and trailing page words ('Updated') from a span's text;
    return it and its new start."""
    m = re.match(r"(?:the|The)\s+", text) or PLATFORM_BEFORE.match(text)
    if m:
        text, start = text[m.end() :], start + m.end()  # ('on X, Defence Intelligence assessed…': not 'X')
    text = re.sub(r"['’]s?$", "", text).rstrip(" ,.-")
    text = re.sub(r"\s+(?:Updated|Published|Posted|Photo|Reuters|AP|AFP)$", "", text)
    return text, start


def without_title(start: int, name: str) -> tuple[int, str]:
    """A person's name and where it starts, without a title written before it as part of it ('Kharkiv Mayor Ihor
    Terekhov', 'Governor Oleh Kiper'), as long as two words of name remain."""
    titled = LEADING_TITLE.match(name)
    if titled and len(name[titled.end() :].split()) >= 2:
        return start + titled.end(), name[titled.end() :]
    return start, name


def _names(name: str, entity: Entity) -> bool:
    """Whether a name is one of a vocabulary entity's labels (case aside)."""
    return name.casefold() in {label.casefold() for label in entity.labels}


def family_names(name: str) -> list[str]:
    """The words a person is called by alone later: the last name, and the first of a Korean name written
    family name first with a hyphenated given name ('Seo Dong-min' is 'Seo')."""
    words = name.split()
    if len(words) == 2 and "-" in words[1] and words[1][:1].isupper() and "-" not in words[0]:
        return [words[-1], words[0]]
    return [words[-1]]


def family_name_mentions(text: str, ref: str, name: str, taken: list[tuple[int, int]], after: int = 0) -> list[Match]:
    """Where a person named in full is called by the family name alone ('Seo estimated…', 'Terekhov said
    later…'), from ``after`` on and outside the spans already ``taken``, which the new mentions join."""
    return _word_mentions(text, ref, family_names(name), taken, after)


def short_name_mentions(text: str, ref: str, name: str, taken: list[tuple[int, int]], after: int = 0) -> list[Match]:
    """Where an organisation named in full is called by the first words of its name alone ('Velbrook' after
    'Velbrook Microdevices', 'Xiamen Tianrui' after 'Xiamen Tianrui Power Machinery Co'), from ``after`` on and
    outside the spans already ``taken``. A first word that is a common or generic word names nothing alone."""
    words = re.sub(r"^(?:the|The)\s+", "", name).split()
    shorts = [" ".join(words[:n]) for n in (2, 1) if n < len(words)]
    shorts = [s for s in shorts if len(s) >= 4 and s[0].isupper() and not ORG_WORDS.search(s)
              and s.split()[0].casefold() not in GENERIC and s not in COUNTRIES and s not in COUNTRY_ALIASES
              and not DEMONYM_LIKE.fullmatch(s.split()[0])]  # fmt: skip
    return _word_mentions(text, ref, shorts, taken, after, followed=r"|\s+[A-Z]")  # not 'Velbrook Microdevices'


def _word_mentions(
    text: str, ref: str, forms: list[str], taken: list[tuple[int, int]], after: int, followed: str = ""
) -> list[Match]:
    """Each whole-word use of the ``forms`` of a name from ``after`` on, outside the spans already ``taken``
    (which the new mentions join), and not followed by what ``followed`` matches."""
    found: list[Match] = []
    for form in forms:
        for m in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-]{followed})", text):
            if m.start() >= after and not any(s < m.end() and m.start() < e for s, e in taken):
                found.append(Match(m.start(), m.end(), form, ref))
                taken.append((m.start(), m.end()))
    return found


#: A word shaped like a nationality or a place's adjective, which no firm is called by alone.
DEMONYM_LIKE = re.compile(r"[A-Z][a-z]+(?:ese|an|ian|ish|i|ic)")


#: Staff after a name, which make it a body's: 'Rights Witness researchers', "Rights Witness's Europe director".
STAFF_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:(?:senior|chief|lead|regional|Europe|Asia|executive|deputy)\s+)?(?:researchers?|analysts?|staff|"
    r"investigators?|experts?|director|spokesperson|spokesman|spokeswoman|press office|team|employees)\b"
)
#: A workplace after a title: 'senior crisis researcher at Rights Witness', 'an analyst with Kestrel'.
WORKPLACE_BEFORE = re.compile(
    r"\b(?:researcher|analyst|director|head|fellow|spokesperson|spokesman|spokeswoman|adviser|officer|expert|"
    r"investigator|lawyer|economist|official)\s+(?:at|with|of)\s+(?:the\s+)?$"
)


def named_as_body(name: str, text: str) -> bool:
    """Whether the article gives a name staff or makes it a workplace anywhere ('Rights Witness researchers',
    'a researcher at Rights Witness'): a body's name, not a person's."""
    for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
        if STAFF_AFTER.match(text, m.end()) or WORKPLACE_BEFORE.search(text[max(0, m.start() - 60) : m.start()]):
            return True
    return False


#: The rest of a body's portfolio after 'and': 'Ministry for Economic Affairs' + ' and Climate Action'.
PORTFOLIO_AND = re.compile(r" and (?:[A-Z][a-z]+)(?: [A-Z][a-z]+)?(?![\w'’-]| [A-Z])")
#: A person's age set off after the name: 'Liudmyla, 58,'.
AGE_AFTER = re.compile(r",\s*\d{1,3}\s*,")


#: An apposition that describes a body, not a person: ', a Kharkiv-based open-source research group'.
APPOSED_BODY = re.compile(
    r",\s+(?:an?|the)\s+(?:(?!(?:at|of|for|in|with|from|to|and)\s)[\w-]+\s+){0,4}?(?:group|team|institute|project|initiative|network|outlet|agency|"
    r"collective|website|channel|newspaper|broadcaster|platform|consultancy|foundation|company|firm|think tank|"
    r"watchdog|organi[sz]ation|charity|nonprofit|non-profit|NGO|monitor|manufacturer|maker|supplier|distributor|"
    r"trader|chipmaker)\b(?!['’]s)"
)


def kind_of(span: NamedSpan, before: str, after: str = "") -> str | None:
    """The kind of entity a span names, from its label and context (the text just ``before`` and ``after`` it)."""
    kind = KINDS.get(span.label)
    if span.label == "NORP" and PLACE_SUFFIX.match(after):
        kind = "place"  # 'Odesa region': a place, whatever the tagger thought
    if kind is None:
        return None
    if kind == "person" and PLACE_BEFORE.search(before):
        return "place"  # 'the central city of Kryvyi Rih', 'the outskirts of Bila Tserkva'
    if kind == "org" and PLACE_OF.search(before) and not ORG_WORDS.search(span.text):
        return "place"  # 'the village of Velyka Pysarivka' (an organisation to the tagger)
    if kind == "person" and PLACE_AND.search(before):
        return "place"  # 'hit Kremenchuk and Pavlohrad': a name listed with a place is a place
    if kind == "org" and OCCUPIED.search(before) and not ORG_WORDS.search(span.text) and not span.text.isupper():
        return "place"  # 'from the temporarily occupied Crimea': only land is occupied

    if kind == "person" and APPOSED_BODY.match(after):
        return "org"  # 'Frontline Geolab, a Kharkiv-based open-source research group'
    if AGE_AFTER.match(after) and " " not in span.text.strip():
        return "person"  # 'said Liudmyla, 58, who lives on the third floor': a person given by first name and age

    name = COUNTRY_ALIASES.get(span.text, span.text)
    if name in COUNTRIES:
        return "state"
    if PARTICLE_NAME.fullmatch(span.text):
        return "person"  # 'Nicolas de Rivière', 'Ursula von der Leyen': a family name with its particle
    if ORG_WORDS.search(span.text):
        return "org"
    titled = any(p.search(before) for p in (TITLE, TITLE_OF, BYLINE))
    titled = titled or any(p.match(after) for p in (APPOSED_TITLE, WHO))
    if kind != "person" and titled and 2 <= len(span.text.split()) <= 4 and not ORG_WORDS.search(span.text):
        return "person"
    return kind


GENERIC = {
    "foreign", "defence", "defense", "ministry", "air", "force", "forces", "joint", "chiefs", "of", "staff", "armed",
    "navy", "army", "mission", "embassy", "general", "general's", "prosecutor", "prosecutor's", "office",
    "intelligence", "military", "police", "the", "to", "united", "nations", "un", "in", "and", "affairs", "interior",
    "guard", "border", "emergency", "emergencies", "state", "department", "coast", "space",
}  # fmt: skip
#: How the graph's ids name a state in an organisation's name, where the vocabulary gives no demonym.
STATE_WORDS = {
    "United Kingdom": "UK", "United States": "US", "Poland": "Polish", "France": "French", "Italy": "Italian",
    "Spain": "Spanish", "Netherlands": "Dutch", "Lithuania": "Lithuanian", "Latvia": "Latvian",
    "Estonia": "Estonian", "Finland": "Finnish", "Sweden": "Swedish", "Norway": "Norwegian", "Denmark": "Danish",
    "Romania": "Romanian", "Moldova": "Moldovan", "Belarus": "Belarusian", "Turkey": "Turkish", "Israel": "Israeli",
    "Canada": "Canadian", "Australia": "Australian", "India": "Indian", "Czech Republic": "Czech",
    "Slovakia": "Slovak", "Georgia": "Georgian", "Syria": "Syrian", "Belgium": "Belgian", "Austria": "Austrian",
}  # fmt: skip


def _owner(text: str, start: int, matches: list[Match], vocabulary: Lexicon) -> str | None:
    """The state named just before an organisation: "Ukraine's Air Force", "South Korean Foreign Ministry"."""
    before = [m for m in matches if m.end <= start and re.fullmatch(r"(?:['’]s)?\s*", text[m.end : start])]
    if not before:
        return None
    ref = before[-1].ref
    if ref.startswith("state/") and ref not in vocabulary.entities:
        return ref  # a state the vocabulary lacks ('Britain')
    return vocabulary.state_of(ref) if ref.startswith(("state/", "place/")) else None


def _owner_after(text: str, end: int, matches: list[Match]) -> str | None:
    """The state named after an organisation: 'the Air Force of the Armed Forces of Ukraine'."""
    for m in matches:
        if m.start >= end and m.ref.startswith("state/") and re.fullmatch(
            r"\s+of\s+(?:the\s+)?(?:[A-Z][\w-]*\s+){0,3}(?:of\s+)?", text[end : m.start]
        ):
            return m.ref
    return None


def _state_word(state: str, vocabulary: Lexicon) -> str:
    entity = vocabulary.get(state)
    if entity is None:
        name = state.split("/", 1)[1].replace("-", " ").title()
        return STATE_WORDS.get(name, name)
    demonyms = [label for weight, label in entity.weighted_labels if weight == 1 and " " not in label.strip()[-1:]]
    return STATE_WORDS.get(entity.label) or (demonyms[0] if demonyms else entity.label)


def _link_owned(name: str, state: str, vocabulary: Lexicon) -> str | None:
    """A vocabulary organisation named by a state and a generic name ('Defence Intelligence of Ukraine')."""
    entity = vocabulary.get(state)
    if entity is None:
        return None
    for label in entity.labels:
        candidates = [f"{name} of {label}", f"{label} {name}", f"{label}'s {name}"]
        office = re.fullmatch(r"(.+?)['’]s\s+(\w+)", name)
        if office:  # "Prosecutor General's Office" of Ukraine: the Office of the Prosecutor General of Ukraine
            candidates.append(f"{office.group(2)} of the {office.group(1)} of {label}")
        for candidate in candidates:
            ref = vocabulary._resolve(candidate, "")
            if ref is not None and ref.startswith("org/"):
                return ref
    return None


def new_entities(
    spans: Iterable[NamedSpan], text: str, vocabulary: Lexicon, taken: list[tuple[int, int]], matches: list[Match]
) -> tuple[list[Match], dict[str, tuple[str, str]]]:
    """Mentions of names the vocabulary lacks, and the entities they mint (ref → (type, label)).

    Spans overlapping ``taken`` (vocabulary names, weapons) are left alone, but
    an organisation's name wins over the place or demonym inside it ("Kyiv City
    Military Administration"), which is dropped from ``matches``. A generic
    name after a state ("Ukraine's Air Force") is linked to the vocabulary, or
    minted with the state's demonym. A lone surname refers to the person named
    in full earlier; a person needs two words of name the first time.
    """
    found: list[Match] = []
    minted: dict[str, tuple[str, str]] = {}
    spans = [part for span in spans for part in _office_and_holder(span)]
    surnames: dict[str, str] = {
        family: e.ref for e in vocabulary.entities.values() if e.kind == "person" and e.label
        for family in family_names(e.label)
    }  # fmt: skip
    spans = sorted(spans, key=lambda s: s.start)
    # A name the article gives staff or a workplace ('Rights Witness researchers', 'a researcher at Rights
    # Witness', "Rights Witness's Europe director") is a body everywhere, whatever the tagger thought.
    bodies = {span.text for span in spans if len(span.text.split()) >= 2 and named_as_body(span.text, text)}
    # A name typed as a person anywhere in the article ('governor Oleh Kiper') is a person everywhere.
    people = set()
    for span in spans:
        name, start = _clean(span.text, span.start)
        context = (text[max(0, start - 120) : start], text[start + len(name) : start + len(name) + 60])
        if len(name.split()) >= 2 and kind_of(NamedSpan(start, start + len(name), name, span.label), *context) == (
            "person"
        ):
            people.add(name)
            for family in family_names(name):
                surnames.setdefault(family, f"person/{slug(name)}")
    for span in spans:
        name, start = _clean(span.text, span.start)
        end = start + len(name)
        if name in REGIONS:
            continue
        known = _known_form(name, vocabulary)
        if known is not None:
            # 'KYIV' in a dateline, 'N. Korea': a vocabulary name written otherwise
            if not any(s < end and start < e for s, e in taken):
                found.append(Match(start, end, name, known))
                taken.append((start, end))
            continue
        # a person's or organisation's name only when the place noun follows at once ('Sumy region')
        suffix = (PLACE_SUFFIX if span.label not in ("PERSON", "ORG") else PLACE_NOUN_AFTER).match(text, end)
        region_label = None
        if suffix is not None:
            noun = suffix.group("noun").lower()
            end = suffix.end()
            # 'Sumy region' is named Sumy Oblast, but the mention is the words the article wrote
            region_label = f"{name} Oblast" if noun in ("region", "oblast", "province") else None
            name = text[start:end]
        if len(name) < 2 or any(ch.isdigit() for ch in name) or NOT_NAMES.match(name) or name.islower():
            continue
        tail = GIVEN_NAME_TAIL.match(text, end) if span.label == "PERSON" else None
        if tail is not None:
            end, name = tail.end(), text[start : tail.end()]
        rest = FAMILY_AFTER_PARTICLE.match(text, end) if PARTICLE_END.search(name) else None
        if rest is not None:  # 'Ursula von der' + 'Leyen': the tagger stopped at the particle
            end, name = rest.end(), text[start : rest.end()]  # (the rest's own span is taken then)
        if CREDIT.search(text[max(0, start - 30) : start]) or "Photo" in name:
            continue  # editors and photographers are not sources
        if len(name.split()) == 1 and name in surnames:
            if not any(s < end and start < e for s, e in taken):
                found.append(Match(start, end, name, surnames[name]))
                taken.append((start, end))
            continue
        prefix = [m for m in matches if m.end < start and text[m.end : start].isspace() and m.ref.startswith(
            ("place/", "state/")) and ORG_WORDS.search(name) and span.label == "ORG"]  # fmt: skip
        if prefix and re.fullmatch(r"[A-Z][\w-]*(?: [A-Z][\w-]*)?", prefix[-1].text):
            # 'Kharkiv Regional Military Administration', 'Russian Mission to the United Nations': one name.
            matches.remove(prefix[-1])
            if (prefix[-1].start, prefix[-1].end) in taken:
                taken.remove((prefix[-1].start, prefix[-1].end))
            start, name = prefix[-1].start, text[prefix[-1].start : end]
        if name.endswith(" of"):
            # 'Ministry of Defence of' + 'Ukraine', 'Police of' + 'Zaporizhzhia Oblast': NER stopped where the
            # ruler's or the region's name began
            following = [m for m in matches if m.start >= end and m.start - end <= 6
                         and m.ref.startswith(("state/", "place/"))]  # fmt: skip
            if following:
                end = following[0].end
                name = text[start:end]
                matches.remove(following[0])
                if (following[0].start, following[0].end) in taken:
                    taken.remove((following[0].start, following[0].end))
        portfolio = PORTFOLIO_AND.match(text, end) if re.search(r"\b(?:for|of)\b", name) and ORG_WORDS.search(
            name) else None  # fmt: skip
        if portfolio is not None and not any(m.start < portfolio.end() and portfolio.start() < m.end for m in matches):
            # 'the Federal Ministry for Economic Affairs' + 'and Climate Action': the tagger stopped at 'and'
            end = portfolio.end()
            name = text[start:end]
        before = text[max(0, start - 120) : start]
        kind = kind_of(NamedSpan(start, end, name, span.label), before, text[end : end + 60])
        if name in people and name not in bodies:
            kind = "person"
        if name in bodies and kind == "person":
            kind = "org"
        if suffix is not None:
            kind = "place"  # 'Odesa region', 'Kursk region' (a submarine to the tagger): a place, whatever it thought
        # a place, demonym or a weapon's common word inside an organisation's name ('the Sentinel Munitions
        # Project'), not a designation ('the KN-23 Task Force' keeps its missile)
        inner = [m for m in matches if start <= m.start and m.end <= end and (m.ref.startswith(("state/", "place/"))
                 or (m.ref.startswith("weapon/") and m.text.istitle() and not any(c.isdigit() for c in m.text))
                 or (m.ref.startswith("org/") and m.start == start and m.text.isupper()))]  # 'UN Human Rights…'

        if kind == "org" and inner and ORG_WORDS.search(name) and (end - start) > max(m.end - m.start for m in inner):
            for m in inner:
                matches.remove(m)
                taken.remove((m.start, m.end)) if (m.start, m.end) in taken else None
        # ('Tulpar declined to comment' after 'Tulpar Logistic Group': the firm, not a body of its own)
        firm = next((r for r, (_, lab) in minted.items() if r.startswith("org/") and lab.startswith(name + " ")
                     and (kind == "person" or (kind == "org" and " " not in name))), None)  # fmt: skip
        if firm is not None and not any(s < end and start < e for s, e in taken):
            # 'Xiamen Tianrui did not respond' after 'Xiamen Tianrui Power Machinery Co': the firm, not a person
            found.append(Match(start, end, name, firm))
            taken.append((start, end))
            continue
        if kind == "person":
            start, name = without_title(start, name)
            # 'governor Vitaliy Kim': a full name the vocabulary lacks wins over a known surname inside it
            for m in [m for m in matches if m.ref.startswith("person/") and start <= m.start and m.end <= end
                      and m.end - m.start < end - start and " " not in m.text.strip()
                      and not _names(name, vocabulary.entities[m.ref])]:  # fmt: skip
                matches.remove(m)
                taken.remove((m.start, m.end)) if (m.start, m.end) in taken else None
        if any(s < end and start < e for s, e in taken):
            continue
        if kind is None:
            continue
        if kind == "person":
            words = name.split()
            if len(words) == 1 and not AGE_AFTER.match(text, end):
                continue
            for family in family_names(name):
                surnames[family] = f"person/{slug(name)}"
        label = COUNTRY_ALIASES.get(name, name) if kind == "state" else region_label or name
        if kind == "org" and all(w.casefold() in GENERIC for w in name.split()):
            owner = _owner(text, start, matches + found, vocabulary) or _owner_after(text, end, matches)
            short = " " + re.sub(r"^(?:the|The)\s+", "", name).casefold()
            earlier = [r for r, (_, lab) in minted.items() if lab.casefold().endswith(short)]
            # or named in full before by a vocabulary name ('the Ukrainian Air Force' … 'the Air Force said')
            earlier += [m.ref for m in sorted(matches + found, key=lambda m: m.start)
                        if m.end <= start and m.ref.startswith("org/") and m.ref in vocabulary.entities
                        and any(label.casefold().endswith(short)
                                for _, label in vocabulary.entities[m.ref].weighted_labels)]  # fmt: skip
            if owner is None and not earlier:
                earlier = only_body_of_a_named_state(short, matches + found, vocabulary)
            if owner is None and earlier:
                # 'the Air Force' after 'Ukraine's Air Force': the organisation named in full before
                found.append(Match(start, end, name, earlier[-1]))
                taken.append((start, end))
                continue
            if owner is not None:
                linked = _link_owned(name, owner, vocabulary)
                if linked is not None:
                    found.append(Match(start, end, name, linked))
                    taken.append((start, end))
                    continue
                label = f"{_state_word(owner, vocabulary)} {name}"
        ref = kind + "/" + slug(re.sub(r"['’]", "", label))
        if ref not in vocabulary.entities:
            minted.setdefault(ref, (TYPES[kind], label))
        found.append(Match(start, end, name, ref))
        taken.append((start, end))
    return found, minted


def only_body_of_a_named_state(short: str, matches: list[Match], vocabulary: Lexicon) -> list[str]:
    """The one vocabulary body a short name can mean, when the article names its state: 'the General Staff'
    in an article about Ukraine, 'the Joint Chiefs of Staff' in one that names South Korea. Nothing when the
    vocabulary knows two bodies of that name, whichever states they serve."""
    fitting = [
        ref for ref, entity in vocabulary.entities.items()
        if ref.startswith("org/") and any(label.casefold().endswith(short) for _, label in entity.weighted_labels)
    ]  # fmt: skip
    if len(fitting) != 1:
        return []
    named_states = {m.ref for m in matches if m.ref.startswith("state/")}
    return fitting if vocabulary.state_of(fitting[0]) in named_states else []


#: The noun a named weapon is written with ('Orlan-10 reconnaissance drones', 'Pantsir air defence systems'),
#: with the class it makes the weapon: the ontology's local names.
WEAPON_HEADS = {
    "missile": "Missile", "drone": "Drone", "uav": "Drone", "decoy": "Drone", "munition": "Drone",
    "launcher": "MissileLauncher", "howitzer": "ArtilleryGun", "gun": "ArtilleryGun", "jet": "Aircraft",
    "bomber": "Aircraft", "aircraft": "Aircraft", "tank": "ArmouredVehicle",
    "system": "WeaponSystem", "complex": "WeaponSystem", "bomb": "WeaponSystem", "rocket": "WeaponSystem",
}  # fmt: skip
#: A weapon's name (a word or a designation: 'Gerbera', 'Garpiya-3', 'S-400', 'M1989'), the words that describe
#: it ('decoy', 'intermediate-range', 'air defence') and the noun it is written with.
NAMED_WEAPON = re.compile(
    r"(?<![\w-])(?P<name>[A-Z][a-z]{2,}(?:-\d{1,4}[A-Za-z]?)?|[A-Z]{1,3}-\d{1,4}[A-Z]{0,2}|M\d{4})"
    r"(?:\s+(?:[a-z]+(?:-[a-z]+)*))?(?:\s+(?:[a-z]+(?:-[a-z]+)*))?(?:\s+(?:[a-z]+(?:-[a-z]+)*))?"
    rf"\s+(?P<head>{'|'.join(WEAPON_HEADS)})(?:e?s)?\b"
)
#: A designation's word alone: 'Garpiya drones' after 'Garpiya-3 drones' names the same weapon.
DESIGNATION_STEM = re.compile(r"^([A-Z][a-z]{2,})-\d")


def new_weapons(
    text: str, names: Callable[[int, int, int], bool], taken: list[tuple[int, int]]
) -> tuple[list[Match], dict[str, tuple[str, str]]]:
    """Weapons the vocabulary lacks, named with the noun of their kind: 'a Russian Gerbera decoy drone',
    'Orlan-10 reconnaissance drones'; then every other mention of the same name ('such as the Gerbera').

    ``names(start, end, head)`` says whether the parser read the words from ``start`` to ``end`` as a name
    of the noun at ``head`` (not 'Ballistic' opening a sentence, nor 'Hrytsenko said the missile');
    spans overlapping ``taken`` (vocabulary names) are left alone.
    """
    minted: dict[str, tuple[str, str]] = {}
    stems: dict[str, str] = {}
    # designations first, so that 'Garpiya drones' finds 'Garpiya-3' wherever the article names it
    for m in sorted(NAMED_WEAPON.finditer(text), key=lambda m: DESIGNATION_STEM.match(m.group("name")) is None):
        start, end = m.span("name")
        name = m.group("name")
        if any(s < end and start < e for s, e in taken) or DEMONYM_LIKE.fullmatch(name):
            continue
        if m.group("head") in ("system", "complex", "rocket", "bomb") and not re.search(
            r"\b(?:missile|air[ -]defen[cs]e|rocket|launch|artillery|guided)", m.group(0)
        ):
            continue  # 'the Starlink system', 'a Patriot-style complex' need a weapon's word before the noun
        if not names(start, end, m.start("head")):
            continue
        stem = DESIGNATION_STEM.match(name)
        ref = stems.get(name) or f"weapon/{slug(name)}"
        minted.setdefault(ref, (WEAPON_HEADS[m.group("head")], name))
        if stem is not None:
            stems.setdefault(stem.group(1), ref)
    found: list[Match] = []
    forms = {label: ref for ref, (_, label) in minted.items()} | stems
    for form, ref in sorted(forms.items(), key=lambda item: -len(item[0])):
        for m in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w]|-\d)", text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                found.append(Match(m.start(), m.end(), form, ref))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda m: m.start), minted
