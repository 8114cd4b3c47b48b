"""Rules that turn an article's text into an annotation: who claims what, when, about which weapons.

The rules follow the general shape of news reporting rather than any one
article: an attribution cue ("said", "according to", "accused") with a
speaker next to it, the date of the speech act (a weekday, "On April 4,", "a
January 4th press conference"), hedged counts, strikes with their dates and
places, transfers with a supplier, a recipient and a status.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import pairwise

from missilekg.loaders.extract.dates import DateMention, PartialDate, find_dates
from missilekg.loaders.extract.lexicon import Lexicon, Match
from missilekg.loaders.extract.quantities import Quantity, find_quantities
from missilekg.loaders.extract.text import Sentence, inside, quoted_spans, sentences, slug
from missilekg.loaders.extract.transfers import ARMS_SUPPLIERS
from missilekg.ontology.namespaces import MKG

CUE = re.compile(
    r"\b(?P<cue>according to|says|said|saying|say|told|tells|accus(?:ed|es|ing)|alleg(?:ed|es)|confirm(?:ed|s)"
    r"|reveal(?:ed|s)|announc(?:ed|es)|estimat(?:ed|es)|stated|claim(?:ed|s)|added|explained|disclos(?:ed|es)"
    r"|noted|warn(?:ed|s)|reported|predict(?:ed|s)|assessed|argued|pledged|criticized|criticised"
    r"|denied|denies|asserted|insisted|wrote|posted|testified|mentioned|described|cited|believes?|indicates?"
    r"|suggests?|yet to respond|declined to comment|did not (?:immediately )?(?:respond|reply))\b",
    re.IGNORECASE,
)
REPORTS = re.compile(
    r"\b(?:reports suggest|it has (?:long )?been reported|reportedly|according to (?:media )?reports"
    r"|there are concerns|speculation has arisen)\b",
    re.IGNORECASE,
)
ANONYMOUS = re.compile(
    r"(?<![\w-])(?:(?:a|an|one|two|three|several|some|other|unnamed|anonymous)\s+)?"
    r"(?:(?:senior|top|high-ranking|former|current|unnamed|anonymous)\s+)*"
    r"(?:(?:US|U\.S\.|American|Ukrainian|Russian|Western|European|Iranian|South Korean|North Korean|Israeli"
    r"|British|Biden admin(?:istration)?|White House|Pentagon|[Dd]efen[cs]e|[Mm]ilitary|[Ii]ntelligence"
    r"|[Gg]overnment|[Aa]dministration|[Ss]ecurity|[Dd]iplomatic|NATO|Kremlin)\s+)*"
    r"(?:official|officials|source|sources|diplomat|diplomats|experts?|analysts?|observers?)\b",
    re.IGNORECASE,
)
PRONOUN = re.compile(r"\b(?:he|she|they|his|her)\b", re.IGNORECASE)
META = re.compile(
    r"\b(?:this|these|that|the|his|her|their|its)\s+(?:\w+\s+)?(?:figures?|details|claims?|statements?"
    r"|announcements?|remarks|comments|information|assessments?|estimates?|numbers?|data)\b",
    re.IGNORECASE,
)
VENUE = re.compile(
    r"(?P<type>press conference|news conference|briefing|Security Council meeting|meeting|interview|summit"
    r"|statement|post on \w+|posted)",
    re.IGNORECASE,
)
VENUE_TYPES = {
    "press conference": "press_conference", "news conference": "press_conference", "briefing": "briefing",
    "security council meeting": "security_council_meeting", "meeting": "meeting", "interview": "interview",
    "summit": "meeting",
}  # fmt: skip
TITLE_WORDS = (
    r"spokes(?:person|man|woman)|minister|president|prime minister|chancellor|general|ambassador|adviser"
    r"|advisor|aide|official|commander|head|chief|analyst|expert|director|secretary|envoy|colonel|governor"
    r"|mayor|researcher|professor|lawmaker|senator|representative|coordinator|prosecutor|leader|tycoon"
)
NAME = r"(?:[A-Z][a-z’'-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z’'-]+|[A-Z]\.)){1,2}"
NEW_PERSON = re.compile(
    rf"(?:\b(?:{TITLE_WORDS})\s+(?P<a>{NAME}))|(?:(?P<b>{NAME}),\s+(?:a|an|the)?\s*[^,.]{{0,80}}?\b(?:{TITLE_WORDS})\b)"
    rf"|(?:\bsaid\s+(?P<c>{NAME})\b)|(?:\baccording to\s+(?P<d>{NAME})\b)|(?:(?P<e>{NAME})\s+(?:said|says|told)\b)",
)
NOT_NAMES = {
    "The", "This", "That", "These", "Those", "But", "And", "While", "However", "Although", "According",
    "In", "On", "At", "For", "With", "Photo", "Credit", "Loading", "Published", "Audio", "Close", "Other",
    "Via", "Late", "Last", "Earlier", "Previously", "Furthermore", "Similarly", "Experts", "Officials",
}  # fmt: skip
NEGATION = re.compile(
    r"\b(?:has not|hasn[’']t|have not|haven[’']t|did not|didn[’']t|never|not|denied|denies|no)\b", re.I
)
#: A night's launches counted against a whole country, whatever regions it goes on to name.
NATIONWIDE = re.compile(r"\b(?:launch(?:ed|es)?|fired)\b[^.;]*?\b(?:at|against)\s+Ukraine\b")
STRIKE_CUE = re.compile(
    r"\b(?:fir(?:ed|ing|es)|launch(?:ed|ing|es)?|struck|strikes?|hit|landed|landing|attacks?|attacked|shelled|dropped"
    r"|targeted|took place|occurred|used|using)\b",
    re.IGNORECASE,
)
FORWARD = re.compile(
    r"\b(?:suppl(?:y|ied|ies|ying)|provid(?:e|ed|es|ing)|deliver(?:ed|s|ing)?|ship(?:ped|ping|s)?|sen[dt]|sending"
    r"|transfer(?:red|ring|s)?|s[oe]ll(?:ing|s)?|export(?:ed|ing|s)?|g[ai]v(?:e|en|ing)|pledg(?:ed|es|ing)"
    r"|promis(?:ed|es|ing)|announc(?:ed|es)(?=[^.]{0,40}\b(?:aid|package)\b))\b",
    re.IGNORECASE,
)
BACKWARD = re.compile(
    r"\b(?:acquir(?:e|ed|es|ing)|receiv(?:e|ed|es|ing)|obtain(?:ed|s|ing)?|b(?:uy|ought|uying)|purchas(?:e|ed|ing)"
    r"|import(?:ed|s|ing)?|seek(?:s|ing)?|sought|request(?:ed|s|ing)?|asked for|wants?|dependent on"
    r"|reli(?:es|ant) on)\b",
    re.IGNORECASE,
)
PLEDGED = re.compile(r"\b(?:pledg\w*|promis\w*|announc\w*|will (?:send|provide|deliver|supply)|aid package)\b", re.I)
AGREED = re.compile(r"\b(?:agreements?|agreed|deals?|contracts?|signed)\b", re.I)
REQUESTED = re.compile(r"\b(?:seek\w*|sought|request\w*|asked for|wants?|in exchange|pressur\w*|interested in)\b", re.I)
SPECULATED = re.compile(r"\b(?:may|might|could|possibl\w*|concerns? that|speculat\w*)\b", re.I)
CAPABILITY = re.compile(r"\b(?:able to|capable of)\b", re.I)
GOODS = re.compile(r"\b(?:aid|weapons|arms|munitions|containers|equipment)\b", re.I)
RELAYED = re.compile(r"(?:according to|told|via|reported by|said)\s+(?:the\s+)?$", re.I)
#: A place named as the target of a strike: 'struck Zaporizhzhia', 'an attack on Kharkiv'.
STRUCK_BEFORE = re.compile(
    r"\b(?:struck|hit|attacked|targeted|shelled|bombed|(?:strikes?|attacks?) on|against)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
#: A place named again by its kind: 'the city', 'the region'.
PLACE_REFERENCE = re.compile(r"\bthe\s+(?P<noun>city|town|port|region|oblast|province)\b", re.IGNORECASE)
TARGET_LEAD = re.compile(r"\b(?:at|on|against|in|across)\s+(?:the\s+)?$")
#: Names listed before 'regions': 'the Sumy, Kharkiv and Chernihiv regions', 'Belgorod and Kursk regions'.
LISTED_REGIONS = re.compile(
    r"\b(?P<names>(?:[A-Z][\w'’-]+,\s+)*[A-Z][\w'’-]+,?\s+and\s+(?:the\s+)?[A-Z][\w'’-]+)\s+(?:regions|oblasts|provinces)\b"
)
NOT_FIRED = ("Launcher", "Equipment", "Ammunition", "SurfaceToAirMissile")
GENERIC_MISSILE = re.compile(r"\bmissiles?\b", re.I)


#: Words of an unnamed source's name that say what it is, not whose it is ('NIS official').
GENERIC_SOURCE_WORDS = {
    "official", "officials", "spokesperson", "spokesman", "spokeswoman", "source", "sources", "a", "an",
}  # fmt: skip
#: Where the description of an unnamed source ends: at a comma, a relative clause or what they were doing.
DESCRIPTION_ENDS = re.compile(r",|\s+(?:who|which|speaking|citing|briefing|talking|declining|requesting)\b")
#: Words that make a new name a news outlet's.
OUTLET_NAME = re.compile(
    r"\b(?:News|Times|Post|Journal|Herald|Gazette|Telegraph|Tribune|Daily|Pravda|Gazeta|Radio|Television|TV"
    r"|Broadcasting|Ukrinform|Interfax|Dispatch|Brief|Bulletin|Observer|Chronicle)\b"
)
#: A date that says when something was told or shown, not when a strike happened: 'footage published on
#: January 19 indicates…', 'milbloggers claimed on Monday that…'.
TOLD_ON = re.compile(
    r"\b(?:published|released|posted|shared|claimed|said|reported|announced|wrote|told\s+\w+)\s+(?:late\s+|early\s+)?"
    r"(?:on\s+)?$",
    re.IGNORECASE,
)
#: Weapon classes named for what they do, not who makes them: one vocabulary entry, whatever the origin.
GENERIC_CLASSES = {MKG + "SurfaceToAirMissile"}
#: Words of a role that name no particular body.
ROLE_STOPWORDS = {"the", "for", "and", "spokesperson", "spokesman", "spokeswoman", "head", "deputy", "chief", "press"}
#: A place named as the seat of a firm or body: 'Hong Kong companies', 'a Dubai-based trader'.
SEAT_OF = re.compile(r"[\s-]+(?:based|registered|compan(?:y|ies)|firms?|traders?|intermediar(?:y|ies)|distributors?)\b")
#: Attacks told as a habit or a total, not one attack: 'every morning', 'daily reports', 'since September 2022'.
HABITUAL_STRIKES = re.compile(
    r"\b(?:every\s+(?:morning|day|night|week)|each\s+(?:morning|day|night)|daily|since\s+(?:[A-Z][a-z]+\s+)?\d{4})\b"
)
#: Words that date an event by the day it is told on ('launched overnight', 'hit this morning').
SAME_DAY_WORDS = re.compile(
    r"overnight|last night|this morning|earlier today|today|tonight|(?:shortly\s+)?before dawn|at dawn", re.IGNORECASE
)


@dataclass
class Statement:
    """A claim being built: evidence span, speaker and what was found in it."""

    start: int
    end: int
    speaker: str
    stance: str
    role: str | None = None
    date: DateMention | None = None
    inherited_from: str | None = None
    quantities: list[Quantity] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    relayed_via: list[str] = field(default_factory=list)
    venue: tuple[str, str] | None = None
    meta: bool = False
    explicit_date: bool = False
    hearsay: bool = False
    partial: PartialDate | None = None
    #: The speaker was found through a document ('the report says', 'according to a report by X').
    from_document: bool = False
    #: The sentence says when in words that name no day ('last week', 'previously'): nothing to inherit.
    own_time: bool = False
    #: Where the sentence gives what is said (its dates are the claim's, not the statement's).
    said: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Strike:
    """A strike: when, where, with what."""

    start: int
    end: int
    date: dt.date
    location: str
    perpetrator: str | None
    weapons: list[str]
    missiles: Quantity | None


@dataclass
class Transfer:
    """A transfer (or an unrealised one) between two states."""

    start: int
    end: int
    supplier: str
    recipient: str
    kind: str
    status: str | None
    modality: str | None
    items: list[str]
    destination: str | None
    quantity: Quantity | None
    #: What was handed over, as written, when no weapon type or count names it ('any ballistic missiles').
    goods: str | None = None


@dataclass
class Findings:
    """Everything the rules found in one article."""

    mentions: list[Match]
    new_entities: dict[str, tuple[str, str]]
    statements: list[Statement]
    strikes: list[Strike]
    transfers: list[Transfer]


#: What follows the name of a body that reports a claim: "…, the NIS said." / "the ministry told lawmakers".
SPEAKER_TAIL = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:said|says|told|reported|estimated|added|stated)\b")

class ArticleReader:
    """Applies the rules to one article's text."""

    def __init__(self, lexicon: Lexicon, text: str, published: dt.date | None) -> None:
        self.lexicon = lexicon
        self.text = text
        self.published = published
        self.sentences = sentences(text)
        self.new_entities: dict[str, tuple[str, str]] = {}
        self._dates: dict[int, list[DateMention]] = {}
        self._anonymous_found: dict[int, list[Match]] = {}
        self.mentions = self._find_mentions()

    def _mentions_in(self, sentence: Sentence, *kinds: str) -> list[Match]:
        """The names found in a sentence, of the given kinds (``"weapon"``, ``"place"``…) or all."""
        return [
            m for m in self.mentions
            if sentence.start <= m.start < sentence.end and (not kinds or m.ref.split("/", 1)[0] in kinds)
        ]  # fmt: skip

    def _dates_in(self, sentence: Sentence) -> list[DateMention]:
        """The dates of a sentence (found once, asked for by the statement and the strike rules)."""
        if sentence.start not in self._dates:
            self._dates[sentence.start] = find_dates(sentence.text, self.published, sentence.start)
        return self._dates[sentence.start]

    def _anonymous_in(self, sentence: Sentence) -> list[Match]:
        """The unnamed sources of a sentence (found once, asked for by the statement and transfer rules)."""
        if sentence.start not in self._anonymous_found:
            self._anonymous_found[sentence.start] = self._anonymous(sentence)
        return self._anonymous_found[sentence.start]

    # -- names ---------------------------------------------------------------

    def _find_mentions(self) -> list[Match]:
        matches = self.lexicon.find(self.text)
        taken = [(m.start, m.end) for m in matches]
        extra: list[Match] = []
        for start, end, cls in self.lexicon.weapon_classes(self.text):
            if any(s < end and start < e for s, e in taken):
                continue
            origin = self._origin(start, end, matches)
            ref = self.lexicon.unspecified_weapon(cls, origin) if origin else None
            if ref is None:
                origin = self._origin_in_sentence(start, cls, matches)
                ref = self.lexicon.unspecified_weapon(cls, origin) if origin else None
            if ref is None and cls in GENERIC_CLASSES:
                ref = self.lexicon.unspecified_weapon(cls, None)  # 'air defence systems': whoever's they are
            if ref:
                extra.append(Match(start, end, self.text[start:end], ref))
                taken.append((start, end))
        # an organisation's name may take back a word the vocabulary found in it ('the Sentinel Munitions Project')
        known = matches + extra
        named = self._new_people(taken, known)
        return self._listed_regions(sorted(known + named, key=lambda m: m.start))

    def _listed_regions(self, mentions: list[Match]) -> list[Match]:
        """'the Sumy, Kharkiv and Chernihiv regions': each name listed before 'regions' is a region (an oblast),
        not the city of that name."""
        kept = list(mentions)
        for listing in LISTED_REGIONS.finditer(self.text):
            for name in re.finditer(r"[A-Z][\w'’-]+", listing.group("names")):
                start, end = listing.start("names") + name.start(), listing.start("names") + name.end()
                label = f"{name.group(0)} Oblast"
                ref = self.lexicon._resolve(label, "")
                if ref is None or not ref.startswith("place/"):
                    ref = f"place/{slug(label)}"
                    self.new_entities.setdefault(ref, ("Place", label))
                kept = [m for m in kept if not (m.start < end and start < m.end)]
                kept.append(Match(start, end, name.group(0), ref))
        return sorted(kept, key=lambda m: m.start)

    def _origin(self, start: int, end: int, matches: list[Match]) -> str | None:
        """The state a class of weapon comes from: 'North Korean(-made) missiles', 'missiles from Iran'."""
        before = [m for m in matches if m.ref.startswith("state/") and 0 <= start - m.end <= 25]
        if before:
            gap = self.text[before[-1].end : start]
            if re.fullmatch(
                r"(?:-(?:made|supplied|produced|built|provided)|['’]s)?\s*(?:(?!(?:with|to|from|and|of|for|by|at|on|in)\b)[\w-]+\s+){0,2}",
                gap,
            ):
                return before[-1].ref
        after = [m for m in matches if m.ref.startswith("state/") and 0 <= m.start - end <= 40]
        if after:
            gap = self.text[end : after[0].start]
            if re.search(r"\b(?:from|by|of|in)\s+(?:the\s+)?$", gap):
                return after[0].ref
        return None

    def _origin_in_sentence(self, position: int, cls: str, matches: list[Match]) -> str | None:
        """The one state in the sentence the vocabulary has such weapons from.

        With no state named in the sentence, the only origin the vocabulary knows for the class.
        """
        sentence = next((s for s in self.sentences if s.start <= position < s.end), None)
        if sentence is None:
            return None
        named = {m.ref for m in matches if m.ref.startswith("state/") and sentence.start <= m.start < sentence.end}
        origins = self.lexicon.origins_of(cls)
        candidates = origins & named if named else origins
        if len(candidates) > 1:
            # 'North Korea had also sent Russia some of its heavy artillery': the supplier's, not the recipient's
            candidates &= ARMS_SUPPLIERS
        return next(iter(candidates)) if len(candidates) == 1 else None

    def _new_people(self, taken: list[tuple[int, int]], matches: list[Match]) -> list[Match]:
        """Names next to a title or an attribution cue that the vocabulary does not know."""
        found: list[Match] = []
        surnames: dict[str, str] = {}
        for m in NEW_PERSON.finditer(self.text):
            group = next(g for g in "abcde" if m.group(g))
            start, end = m.start(group), m.end(group)
            name = m.group(group)
            words = name.split()
            if words[0] in NOT_NAMES or any(s < end and start < e for s, e in taken):
                continue
            if any(w.rstrip("’'s") in NOT_NAMES or (w.isupper() and len(w) > 2) for w in words):
                continue
            ref = f"person/{slug(name)}"
            if ref in self.lexicon.entities:
                continue
            self.new_entities[ref] = ("Person", name)
            surnames[words[-1]] = ref
            found.append(Match(start, end, name, ref))
            taken.append((start, end))
        for surname, ref in surnames.items():
            for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", self.text):
                if not any(s < m.end() and m.start() < e for s, e in taken):
                    found.append(Match(m.start(), m.end(), surname, ref))
                    taken.append((m.start(), m.end()))
        return found

    def _anonymous(self, sentence: Sentence) -> list[Match]:
        """Unnamed sources ('a senior defense official', 'reports suggest') as actors."""
        found = []
        for m in REPORTS.finditer(sentence.text):
            found.append(Match(sentence.start + m.start(), sentence.start + m.end(), m.group(0), "anon/reports"))
        for m in ANONYMOUS.finditer(sentence.text):
            phrase = m.group(0)
            if phrase.lower() in ("source", "sources"):
                continue
            found.append(Match(sentence.start + m.start(), sentence.start + m.end(), phrase, self._anon_ref(phrase)))
        return found

    def _anon_ref(self, phrase: str) -> str:
        # 'Two people familiar with the matter, who asked not to be named': the description stops at the comma
        phrase = re.split(DESCRIPTION_ENDS, phrase, maxsplit=1)[0]
        phrase = re.sub(r"^(?:what|whatever|how|which)\s+", "", phrase, flags=re.IGNORECASE)  # 'what X said
        wanted = _normal(phrase)
        labels = _anonymous_labels(self.lexicon)
        # 'two US officials', 'unnamed US officials': how many, and that they are unnamed, say who they are not
        plain = re.sub(r"^(?:unnamed|anonymous)\s+", "", wanted)
        known = labels.get(wanted) or labels.get(plain)
        if known is not None:
            return known
        ref = f"anon/{slug(wanted)}"
        self.new_entities.setdefault(ref, ("AnonymousSource", phrase.strip()))
        return ref

    # -- statements ----------------------------------------------------------

    def statements(self) -> list[Statement]:
        """Attributed claims, one per sentence with an attribution cue and a speaker."""
        found: list[Statement] = []
        for sentence in self.sentences:
            if sentence.is_headline:
                continue
            statement = self._statement(sentence, found[-1] if found else None)
            if statement is not None:
                found.append(statement)
        return self._resolve_context(found)

    def _actors(self, sentence: Sentence) -> list[Match]:
        actors = self._mentions_in(sentence, "state", "org", "person")
        anon = self._anonymous_in(sentence)
        # 'a senior White House official' is an unnamed source, not the White House.
        actors = [
            m
            for m in actors
            if not any(a.start <= m.start and m.end <= a.end and a.end - a.start > m.end - m.start for a in anon)
        ]
        anon = [a for a in anon if not any(m.start < a.end and a.start < m.end for m in actors)]
        roles = self._role_references(sentence)
        anon = [a for a in anon if not any(r.start < a.end and a.start < r.end for r in roles)]
        return sorted(actors + anon + roles, key=lambda m: m.start)

    def _role_references(self, sentence: Sentence) -> list[Match]:
        """'the prosecutor said': a title standing for a person already quoted in the article."""
        found = []
        for m in re.finditer(rf"\b[Tt]he\s+(?P<title>(?:{TITLE_WORDS})(?:\s+general)?)\b", sentence.text):
            title = m.group("title").lower()
            earlier = [
                a for a in self.mentions
                if a.start < sentence.start + m.start() and a.ref.startswith("person/")
                and title.split()[0] in (getattr(self.lexicon.get(a.ref), "role", "") or "").lower()
            ]  # fmt: skip
            if earlier:
                found.append(Match(sentence.start + m.start(), sentence.start + m.end(), m.group(0), earlier[-1].ref))
        return found

    def _statement(self, sentence: Sentence, previous: Statement | None) -> Statement | None:
        quotes = self._quotes(sentence)
        actors = [a for a in self._actors(sentence) if not inside(a.start, quotes)]
        cues = [
            (sentence.start + m.start(), sentence.start + m.end(), m.group("cue").lower())
            for m in CUE.finditer(sentence.text)
            if not inside(sentence.start + m.start(), quotes)
        ]
        reports = [a for a in actors if a.ref == "anon/reports"]
        speaker: Match | None = None
        cue: tuple[int, int, str] | None = None
        for candidate in cues:
            speaker = self._speaker(sentence, candidate, actors, previous, quotes)
            if speaker is not None:
                cue = candidate
                break
        if speaker is None and reports:
            speaker, cue = reports[0], (reports[0].start, reports[0].end, "reported")
        if speaker is None or cue is None:
            return None
        statement = Statement(
            start=sentence.start,
            end=sentence.end,
            speaker=speaker.ref,
            stance=self._stance(sentence, cue, speaker.ref),
            role=self._role(speaker, sentence),
        )
        statement.date, statement.explicit_date = self._speech_date(sentence, cue, quotes)
        self._describe_claim(statement, sentence, actors, speaker.ref)
        statement.hearsay = speaker.ref == "anon/reports" and speaker.text.lower() == "reportedly"
        return statement

    def _speaker(
        self,
        sentence: Sentence,
        cue: tuple[int, int, str],
        actors: list[Match],
        previous: Statement | None,
        quotes: list[tuple[int, int]],
    ) -> Match | None:
        start, end, word = cue
        after = [a for a in actors if a.start >= end and a.start - end <= 60]
        if re.search(r"\b(?:been|was|were|is|are|be)\s+(?:\w+ly\s+)?$", self.text[sentence.start : start]):
            by = re.match(r"\s+(?:on\s+)?by\s+", self.text[end : end + 12])
            if by and after and after[0].start == end + by.end():
                return after[0]
            return self._possessive(sentence, start, previous)
        if word == "according to":
            return after[0] if after and after[0].start - end <= 6 else None
        before_text = self.text[sentence.start : start].rstrip()
        if (
            word in ("said", "says", "told")
            and after
            and after[0].start - end <= 2
            and (before_text.endswith((",", "”", '"', "’")) or not before_text)
        ):
            return after[0]
        before = [a for a in actors if a.end <= start]
        if (
            before
            and before[-1].ref.startswith("anon/")
            and re.fullmatch(r"\s*(?:\S+\s+){0,2}", self.text[before[-1].end : start])
        ):
            return before[-1]
        near_person = [
            a for a in before
            if a.ref.startswith("person/") and start - a.end <= 150
            and not re.search(r"[“”\".;]|\b(?:that|and)\s", self.text[a.end : start])
        ]  # fmt: skip
        if near_person:
            return near_person[-1]
        if before:
            nearest = before[-1]
            gap = self.text[nearest.end : start]
            if re.fullmatch(r"(?:['’]s)?\s*(?:\S+\s+){0,2}", gap) or gap.strip() == ",":
                return nearest
            clause_start = max(sentence.start, *(e for _, e in quotes if e <= start), 0)
            clause = [a for a in before if a.start >= clause_start]
            if clause and not re.search(r"\bthat\b", self.text[clause[0].end : start]):
                return clause[0]
        pronoun = re.search(r"\b(?:he|she)\s+(?:\w+\s+)?$", self.text[sentence.start : start], re.I)
        if pronoun and previous is not None and previous.speaker.startswith(("person/", "anon/")):
            return Match(start, end, pronoun.group(0), previous.speaker)
        return self._possessive(sentence, start, previous)

    def _possessive(self, sentence: Sentence, cue_start: int, previous: Statement | None) -> Match | None:
        """'His statement was posted…': the sentence opens with a possessive for the last person who spoke."""
        possessive = re.match(r"\s*(?:his|her)\b", self.text[sentence.start : cue_start], re.I)
        if possessive and previous is not None and previous.speaker.startswith("person/"):
            return Match(sentence.start, sentence.start + 3, "his", previous.speaker)
        return None

    def _stance(self, sentence: Sentence, cue: tuple[int, int, str], speaker: str) -> str:
        text, word = sentence.text, cue[2]
        if re.search(
            r"could(?:n[’']t| not) be (?:independently )?verified|could not (?:independently )?verify", text, re.I
        ):
            return "could_not_verify"
        if re.search(r"yet to (?:respond|reply)|did not (?:immediately )?(?:respond|reply)|declined to comment"
                     r"|could(?:n[’']t| not) be reached", text, re.I):  # fmt: skip
            return "no_response"
        if word.startswith(("accus", "alleg")):
            return "accuses"
        if word.startswith("confirm"):
            return "confirms"
        if word in ("denied", "denies"):
            return "denies"
        if word.startswith("predict") or (re.search(r"\b(?:anticipate|expect|will)\b", text, re.I) and "“" in text):
            return "predicts"
        if speaker == "anon/reports" and SPECULATED.search(text):
            return "speculates"
        if word in ("reported", "according to") and (speaker == "anon/reports" or self._is_outlet(speaker)):
            return "reports"
        if re.search(
            r"\b(?:hasn[’']t|has not|have not|haven[’']t|did not|didn[’']t)\s+(?:yet\s+)?"
            r"(?:suppl|provid|deliver|sen[dt])",
            text,
            re.I,
        ):
            return "rules_out"
        return "reports" if speaker == "anon/reports" else "asserts"

    def _describe_claim(self, statement: Statement, sentence: Sentence, actors: list[Match], speaker: str,
                        relays: Iterable[str] = ()) -> None:  # fmt: skip
        """What every reader finds the same way in a claim's sentence: its counts, weapons, relaying outlets,
        venue, and whether it only speaks about another claim."""
        statement.quantities = [q for q in find_quantities(sentence.text, sentence.start) if q.hedge != "multiple"]
        statement.weapons = _unique(m.ref for m in self._mentions_in(sentence, "weapon"))
        outlets = [m.ref for m in actors if m.ref != speaker and self._is_outlet(m.ref)
                   and RELAYED.search(self.text[max(0, m.start - 20) : m.start])]  # fmt: skip
        statement.relayed_via = _unique([*(r for r in relays if r != speaker), *outlets])
        statement.venue = self._venue(sentence)
        statement.meta = bool(META.search(sentence.text)) and not statement.quantities

    def _is_outlet(self, ref: str) -> bool:
        """A news outlet: the vocabulary's, or a new name shaped like one ('The Frontline Brief', 'Gulf News')."""
        entity = self.lexicon.get(ref)
        if entity is not None:
            return entity.type.endswith("#NewsOutlet")
        kind, label = self.new_entities.get(ref, ("", ""))
        return kind in ("NewsOutlet", "Organization") and OUTLET_NAME.search(label) is not None

    def _role(self, speaker: Match, sentence: Sentence) -> str | None:
        """A speaker's role as the article gives it: 'spokesperson for …' after, or a title before."""
        after = self.text[speaker.end : sentence.end]
        m = re.match(r",\s+((?:the\s+|a\s+|an\s+)?[^,.“\"]{3,120}?),", after)
        if m and re.search(rf"\b(?:{TITLE_WORDS})\b", m.group(1), re.I):
            return m.group(1).strip()
        before = self.text[sentence.start : speaker.start]
        m = re.search(rf"((?:[A-Z][\w.’'-]*\s+){{0,8}}(?:{TITLE_WORDS})[\w’']*)\s*,?\s*$", before, re.I)
        if m and speaker.ref.startswith("person/"):
            return m.group(1).strip()
        return None

    def _speech_date(
        self, sentence: Sentence, cue: tuple[int, int, str], quotes: list[tuple[int, int]]
    ) -> tuple[DateMention | None, bool]:
        """When the words were said, in order of trust: 'said on Friday', 'On April 4, X said',
        'a January 4th press conference', a date between the cue and what was said."""
        dates = [d for d in self._dates_in(sentence) if not inside(d.start, quotes) and not d.is_period_bound]
        complement = re.search(r"\bthat\b|[“\"]|\bof\s+\w+ing\b", self.text[cue[1] : sentence.end])
        limit = cue[1] + complement.start() if complement else sentence.end
        rules = (
            lambda d: cue[1] <= d.start <= cue[1] + 15,
            lambda d: re.fullmatch(r"(?:\w+\s+){0,2}", self.text[sentence.start : d.start]) is not None,
            lambda d: re.match(r"\s*(?:[\w.]+\s+){0,4}?" + VENUE.pattern, self.text[d.end : d.end + 60], re.I),
            lambda d: cue[1] <= d.start < limit,
        )
        for rule in rules:
            for d in dates:
                if rule(d):
                    return d, True
        return None, False

    def _venue(self, sentence: Sentence) -> tuple[str, str] | None:
        m = VENUE.search(sentence.text)
        if m is None:
            return None
        key = m.group("type").lower()
        kind = "social_media_post" if key.startswith("post") else VENUE_TYPES.get(key)
        if kind is None:
            return None
        return kind, m.group("type")

    def _resolve_context(self, found: list[Statement]) -> list[Statement]:
        """Merge 'this figure was given by X' into the claim it explains; carry speakers' dates."""
        merged: list[Statement] = []
        for statement in found:
            previous = merged[-1] if merged else None
            adjacent = previous is not None and self._adjacent(previous, statement)
            if (
                previous is not None
                and adjacent
                and statement.meta
                and (
                    statement.speaker == previous.speaker
                    or self.lexicon.belongs_to(statement.speaker, previous.speaker)
                )
            ):
                previous.end = statement.end
                previous.speaker = statement.speaker
                previous.role = statement.role or previous.role
                if statement.date and not previous.explicit_date:
                    previous.date, previous.explicit_date = statement.date, statement.explicit_date
                previous.venue = previous.venue or statement.venue
                previous.relayed_via = _unique(previous.relayed_via + statement.relayed_via)
                continue
            if previous is not None and adjacent and statement.hearsay and previous.speaker != "anon/reports":
                # 'These missiles reportedly have a range of…' goes on with the claim just made.
                previous.end = statement.end
                previous.quantities += statement.quantities
                previous.weapons = _unique(previous.weapons + statement.weapons)
                continue
            if (
                previous is not None
                and adjacent
                and statement.speaker.startswith("person/")
                and (
                    previous.speaker.startswith(("org/", "state/"))
                    and self.lexicon.belongs_to(statement.speaker, previous.speaker)
                )
                # 'Its spokesman, Yurii Ihnat, told…': the body spoke, and then its spokesman, each their own
                and not re.match(r"(?:Its|Their)\s", self.text[statement.start : statement.end])
            ):
                previous.speaker = statement.speaker
            merged.append(statement)
        for statement in merged:
            if statement.date is not None or statement.own_time:
                continue
            same = [s for s in merged if s.speaker == statement.speaker and s.date is not None and s.explicit_date]
            if same:
                source = min(
                    same, key=lambda s: (s.start < statement.start, abs(s.start - statement.start)), default=None
                )
                earlier = [s for s in same if s.start < statement.start]
                source = earlier[-1] if earlier else source
                if source is not None:
                    statement.date = source.date
                    statement.inherited_from = source.speaker
        for previous, statement in pairwise(merged):
            if statement.date is not None or statement.own_time or previous.date is None:
                continue
            if self.text.count("\n", previous.end, statement.start) <= 2 and self._speaks_for(statement, previous):
                # 'South Korea's military said on Thursday …' then '…, Col. Jang, a spokesperson for the Joint
                # Chiefs of Staff (JCS), told a regular briefing': the same briefing, the same day
                statement.date = previous.date
                statement.inherited_from = previous.speaker
        return merged

    def _speaks_for(self, statement: Statement, previous: Statement) -> bool:
        """Whether a statement's speaker speaks for the body of the statement before it: an unnamed 'NIS official'
        after the NIS, a person whose role names it ('a spokesperson for the JCS')."""
        if not previous.speaker.startswith(("org/", "state/")) or statement.speaker == previous.speaker:
            return False
        names = set(self._label(previous.speaker).replace("(", " ").replace(")", " ").split())
        if statement.speaker.startswith("anon/"):
            words = set(statement.speaker[len("anon/") :].split("-")) - GENERIC_SOURCE_WORDS
            return bool(words) and words <= names
        if not statement.speaker.startswith("person/") or not statement.role:
            return False
        # the role names the body: two of its words ('Joint Chiefs of Staff'), or its acronym ('JCS')
        role = set(re.findall(r"[a-z]{3,}", statement.role.casefold())) - ROLE_STOPWORDS
        acronyms = {w.casefold() for w in re.findall(r"\b[A-Z]{2,6}\b", statement.role)}
        return len(role & names) >= 2 or bool(acronyms & names)

    def _label(self, ref: str) -> str:
        """Every name of an entity in one casefolded string."""
        entity = self.lexicon.get(ref)
        return " ".join(label for _, label in entity.weighted_labels).casefold() if entity is not None else ""

    def _paragraph_quotes(self, sentence: Sentence) -> list[tuple[int, int]]:
        """The quoted speech of the paragraph a sentence is in, in article offsets."""
        start = self.text.rfind("\n", 0, sentence.start) + 1
        end = self.text.find("\n", sentence.end)
        return quoted_spans(self.text[start : len(self.text) if end < 0 else end], start)

    def _quotes(self, sentence: Sentence) -> list[tuple[int, int]]:
        """The quoted speech in a sentence, read over its whole paragraph: a quotation opened in the sentence
        before ('"There was no military target here. Only people going to work," he wrote.') ends in this one,
        and what follows its closing mark is no quote."""
        return [(max(a, sentence.start), min(b, sentence.end))
                for a, b in self._paragraph_quotes(sentence) if a < sentence.end and sentence.start < b]  # fmt: skip

    def _adjacent(self, first: Statement, second: Statement) -> bool:
        between = self.text[first.end : second.start]
        return len(between) <= 3 and between.strip() == ""

    # -- strikes -------------------------------------------------------------

    def strikes(self, statements: list[Statement]) -> list[Strike]:
        """Strikes with a date: a strike verb, a weapon, and the day it happened."""
        found: list[Strike] = []
        recent_weapons: list[str] = []
        for sentence in self.sentences:
            weapons = _unique(
                m.ref for m in self._mentions_in(sentence, "weapon")
                if not self.lexicon.entities.get(m.ref, _NO_ENTITY).type.endswith(NOT_FIRED)
            )  # fmt: skip
            if weapons:
                recent_weapons = weapons
            elif GENERIC_MISSILE.search(sentence.text) and recent_weapons:
                weapons = recent_weapons
            if sentence.is_headline or not weapons or not STRIKE_CUE.search(sentence.text):
                continue
            if HABITUAL_STRIKES.search(sentence.text):
                continue  # 'the drones launched overnight are listed every morning': no one attack
            quotes = self._quotes(sentence)
            speech = next((s for s in statements if s.start <= sentence.start < s.end), None)
            dates = [
                d for d in self._dates_in(sentence)
                if not d.is_period_bound and not inside(d.start, quotes)
                and not (speech and speech.date and d.start == speech.date.start and not inside(d.start, speech.said))
                and not self._told_on(sentence, d)
            ]  # fmt: skip
            if speech is not None and speech.date is not None and speech.explicit_date:
                # 'The air force said on Monday that 176 drones had been launched overnight': that night is the
                # one before Monday, not before the day the article came out
                dates = [replace(d, date=speech.date.date) if SAME_DAY_WORDS.fullmatch(d.text.strip()) else d
                         for d in dates]  # fmt: skip
            # ('parts bought by one of the designated Hong Kong companies': a firm's seat, no place struck)
            places = [p for p in self._mentions_in(sentence, "place") if not SEAT_OF.match(self.text, p.end)]
            if (
                not dates
                and places
                and speech
                and speech.explicit_date
                and speech.date
                and speech.start == sentence.start
                and re.search(r"\b(?:attack|strike|fired|launched|struck|hit)\w*\b", sentence.text, re.I)
            ):
                # 'On February 7th, X accused Russia of using five missiles in an attack on Kharkiv.'
                dates = [speech.date]
            states = self._mentions_in(sentence, "state")
            perpetrator = next((m.ref for m in states if m.ref == "state/russia"), None) or (
                "state/russia" if re.search(r"\bthe enemy\b|\bRussian forces\b", sentence.text) else None
            )
            target = next(
                (m.ref for m in states if m.ref != perpetrator
                 and TARGET_LEAD.search(self.text[max(0, m.start - 12) : m.start])),
                "state/ukraine",
            )  # fmt: skip
            listed = all(re.fullmatch(r"[\s,]*(?:and|or)?\s*", self.text[a.end : b.start]) for a, b in pairwise(dates))
            for i, day in enumerate(dates):
                seg_start = day.end if day.start >= sentence.start else sentence.start
                seg_end = dates[i + 1].start if i + 1 < len(dates) else sentence.end
                if len(dates) == 1 or listed:
                    # One date, or a list of dates sharing the rest of the sentence.
                    seg_start, seg_end = sentence.start, sentence.end
                local = [p for p in places if seg_start <= p.start < seg_end]
                location = _most_specific(local, self.lexicon) or self._place_referred(sentence) or target
                if NATIONWIDE.search(self.text[seg_start:seg_end]):
                    location = target  # 'launched 64 drones at Ukraine overnight, most of them at the Volyn region
                counts = [q for q in find_quantities(self.text[seg_start:seg_end], seg_start) if q.unit == "missiles"]
                found.append(
                    Strike(
                        sentence.start,
                        sentence.end,
                        day.date,
                        location,
                        perpetrator,
                        weapons,
                        counts[0] if counts else None,
                    )
                )
        return found

    def _told_on(self, sentence: Sentence, day: DateMention) -> bool:
        """Whether a day in a sentence is when something was told or shown ('footage published on January 19'),
        not when a strike happened."""
        return TOLD_ON.search(self.text[max(sentence.start, day.start - 40) : day.start]) is not None

    # -- transfers -----------------------------------------------------------

    def _place_referred(self, sentence: Sentence) -> str | None:
        """'a similar missile hit the outskirts of the city': the city struck last; 'attacked the region': the
        last region named before the sentence."""
        m = PLACE_REFERENCE.search(sentence.text)
        if m is None:
            return None
        regional = m.group("noun").lower() in ("region", "oblast", "province")
        before = [x for x in self.mentions if x.start < sentence.start and x.ref.startswith("place/")]
        kind = [x for x in before if x.ref.endswith(("-oblast", "-region", "-province")) == regional]
        struck = [x for x in kind if STRUCK_BEFORE.search(self.text[max(0, x.start - 40) : x.start])]
        chosen = (struck or kind)[-1:] if not regional else kind[-1:]
        return chosen[0].ref if chosen else None

    def transfers(self) -> list[Transfer]:
        """Transfers between two parties, with their direction and status."""
        found: list[Transfer] = []
        for sentence in self.sentences:
            if sentence.is_headline:
                continue
            transfer = self._transfer(sentence)
            if transfer is not None:
                found.append(transfer)
        merged: list[Transfer] = []
        for transfer in found:
            same = next(
                (t for t in merged
                 if _transfer_key(t) == _transfer_key(transfer)
                 and set(t.items) & set(transfer.items)),
                None,
            )  # fmt: skip
            if same is None:
                merged.append(transfer)
            else:
                same.items = _unique(same.items + transfer.items)
                same.quantity = same.quantity or transfer.quantity
        return merged

    def _transfer(self, sentence: Sentence) -> Transfer | None:
        text = sentence.text
        forward, backward = FORWARD.search(text), BACKWARD.search(text)
        supply_noun = re.search(r"\b(?:supply|supplies|delivery|deliveries|transfers?|shipments?) of\b", text, re.I)
        hyphen = re.search(r"-(?:supplied|made|provided)\b", text)
        if not (forward or backward or supply_noun or hyphen):
            return None
        inside_mentions = self._mentions_in(sentence)
        anonymous = [(a.start, a.end) for a in self._anonymous_in(sentence)]
        # Parties are states, institutions and places named as such; 'Russian' in 'Russian attacks' is not one,
        # nor the body that reports it (', the NIS said': South Korea's spy agency is no party to the deal).
        parties = [
            m for m in inside_mentions
            if m.ref.split("/")[0] in ("state", "org", "place")
            and not self.lexicon.is_demonym(m) and not any(s <= m.start < e for s, e in anonymous)
            and not (m.ref.startswith("org/") and SPEAKER_TAIL.match(self.text, m.end))
        ]  # fmt: skip
        states = [(m, self.lexicon.state_of(m.ref)) for m in parties]
        states = [(m, s) for m, s in states if s]
        items = _unique(m.ref for m in inside_mentions if m.ref.startswith("weapon/"))
        quantity = next(
            (
                q
                for q in find_quantities(text, sentence.start)
                if q.unit not in ("km", "miles", "occasions", "attacks", "regions")
            ),
            None,
        )
        if not items and quantity is None:
            return None
        supplier = recipient = destination = None
        verb = forward or backward
        anchor = verb or supply_noun or hyphen
        assert anchor is not None
        verb_start, verb_end = sentence.start + anchor.start(), sentence.start + anchor.end()
        is_forward = forward is not None and (backward is None or forward.start() < backward.start())
        adjectival = self.text[verb_start - 1 : verb_start] == "-"
        for m, state in states:
            lead = self.text[max(sentence.start, m.start - 25) : m.start]
            if (
                re.search(r"\b(?:from|by|on)\s+(?:the\s+)?$", lead)
                and m.start >= verb_start
                and (
                    not lead.rstrip().endswith("on")
                    or re.search(r"(?:dependent|reliant|relies|relying)\s+on\s+$", lead)
                )
            ):
                supplier = supplier or state
            elif (
                re.search(r"\b(?:to|for)\s+(?:the\s+)?$", lead)
                and (is_forward or supply_noun or hyphen)
                and m.start >= verb_start
            ):
                recipient = recipient or state
                if m.ref.startswith("place/"):
                    destination = m.ref
            elif re.match(r"-(?:supplied|made|provided)", self.text[m.end : m.end + 10]):
                supplier = supplier or state
        passive = re.search(
            r"\b(?:is|are|was|were|been|being|be)\s+(?:\w+ly\s+)?$", self.text[sentence.start : verb_start]
        )
        if adjectival:
            is_forward = False
            recipient = recipient or next((s for m, s in states if s != supplier and m.end <= verb_start), None)
        subject = next((s for m, s in reversed(states) if m.end <= verb_start), None)
        obj = next((s for m, s in states if m.start >= verb_end and m.start - verb_end <= 40), None)
        if is_forward and not passive:
            speaker = next(
                (m for m in reversed(inside_mentions) if m.ref.startswith("person/") and m.end <= verb_start), None
            )
            supplier = supplier or subject or (self.lexicon.state_of(speaker.ref) if speaker else None)
            recipient = recipient or (obj if obj != supplier else None)
        elif backward:
            recipient = recipient or subject
        if supplier is None and items and not backward:
            origins = {self.lexicon.entities[i].origin for i in items if i in self.lexicon.entities} - {None, recipient}
            if len(origins) == 1:
                supplier = origins.pop()
        others = _unique(s for _, s in states if s not in (supplier, recipient))
        if supplier is None and recipient is not None and len(others) == 1:
            supplier = others[0]
        if recipient is None and supplier is not None and len(others) == 1:
            recipient = others[0]
        if supplier is None and recipient is None and len(others) == 2 and "state/russia" in others:
            recipient, supplier = "state/russia", next(s for s in others if s != "state/russia")
        if not supplier or not recipient or supplier == recipient:
            return None
        negated = NEGATION.search(self.text[max(sentence.start, verb_start - 25) : verb_start])
        status: str | None
        kind, status, modality = "transfer", "delivered", None
        if negated:
            kind, status, modality = "unrealised", None, "denied"
        elif REQUESTED.search(text):
            kind, status, modality = "unrealised", None, "requested"
        elif CAPABILITY.search(text):
            kind, status, modality = "unrealised", None, "capability"
        elif SPECULATED.search(self.text[max(sentence.start, verb_start - 30) : verb_start]):
            kind, status, modality = "unrealised", None, "speculated"
        elif AGREED.search(text):
            status = "agreed"
        elif PLEDGED.search(text) and re.search(r"\baid\b|\bpackage\b|\bwill\b", text, re.I):
            status = "pledged"
        return Transfer(
            sentence.start, sentence.end, supplier, recipient, kind, status, modality, items, destination, quantity
        )

    def findings(self) -> Findings:
        """Run every rule over the article."""
        statements = self.statements()
        return Findings(self.mentions, self.new_entities, statements, self.strikes(statements), self.transfers())


class _NoEntity:
    type = ""


_NO_ENTITY = _NoEntity()


def _transfer_key(t: Transfer) -> tuple[str, str, str | None, str | None]:
    return (t.supplier, t.recipient, t.status, t.modality)


def _unique(items: object) -> list[str]:
    return list(dict.fromkeys(items))  # type: ignore[call-overload]


@cache
def _anonymous_labels(lexicon: Lexicon) -> dict[str, str]:
    """The vocabulary's unnamed sources by normalised label (the first entity to claim a label keeps it)."""
    index: dict[str, str] = {}
    for entity in lexicon.entities.values():
        if entity.kind == "anon":
            for label in entity.labels:
                index.setdefault(_normal(label), entity.ref)
    return index


def _normal(phrase: str) -> str:
    text = phrase.casefold().replace("u.s.", "us").replace("’", "'")
    text = re.sub(r"\badmin\b", "administration", text)
    text = re.sub(r"^(?:a|an|one|the|other|some)\s+", "", text.strip())
    text = re.sub(r"^(?:\d+|two|three|four|five|six|several|many|multiple)\s+", "", text)
    return re.sub(r"\s+", " ", text)


def _most_specific(places: list[Match], lexicon: Lexicon) -> str | None:
    """The place that no other found place lies within (Kharkiv over Kharkiv Oblast)."""
    if not places:
        return None
    refs = _unique(p.ref for p in places)
    parents = {lexicon.entities[r].located_in for r in refs if r in lexicon.entities}
    specific = [r for r in refs if r not in parents]
    return specific[0] if specific else refs[0]
