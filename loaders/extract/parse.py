"""The parse-based reader: spaCy's sentences, tree and entities, with the rule reader's dates and counts.

It differs from :class:`~missilekg.loaders.extract.claims.ArticleReader` where a
regex cannot follow the language: where sentences end, who speaks
(:mod:`.attribution`, :mod:`.speakers`), which names are new entities
(:mod:`.entities`), and strikes and transfers (:mod:`.events`,
:mod:`.transfers`). Dates, hedged counts and the rule reader's guesses, where
the tree finds nothing, are reused, run on spaCy's sentences.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING

from missilekg.loaders.extract import answers, attribution
from missilekg.loaders.extract.attribution import Cue
from missilekg.loaders.extract.claims import Findings, Statement, Transfer, _unique
from missilekg.loaders.extract.dates import TIMELINE_DATE, DateMention, find_dates, partial_dates
from missilekg.loaders.extract.entities import (
    ORG_WORDS,
    TYPES,
    NamedSpan,
    family_name_mentions,
    new_entities,
    new_weapons,
    short_name_mentions,
)
from missilekg.loaders.extract.lexicon import Lexicon, Match
from missilekg.loaders.extract.quantities import WORDS, find_quantities
from missilekg.loaders.extract.speakers import HOLDER, UNNAMED_AUTHORITIES, SpeakerReader
from missilekg.loaders.extract.text import CREDIT_TAIL, Sentence, inside, slug
from missilekg.loaders.extract.transfers import ARMS_SUPPLIERS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

#: The line that signs a press release with the body that issued it.
RELEASE_SIGNATURE = re.compile(
    r"^\s*(?:Press (?:service|office|centre|center) of|Issued by|Communications department of)\s+"
    r"(?:the\s+)?(?P<body>[A-Z][^\n]*?)\.?\s*$",
    re.MULTILINE,
)
#: A page's first line naming the body whose page it is, before its section: 'Northlight Data › Air war tracker'.
#: (Words without digits: 'Published 14 November 2025 | Updated…' is no body.)
PUBLISHER_HEADER = re.compile(
    r"^(?P<body>[A-Z][^\W\d.&' -]*(?:[ .&'-]+[^\W\d]+){0,6}?)\s+[›»|>]\s+[^\n]*\n", re.MULTILINE
)
#: Sections of a news site, which a breadcrumb may open with instead of the site's name.
SECTIONS = {
    "home", "news", "explainers", "explainer", "analysis", "opinion", "features", "investigations", "world",
    "politics", "war", "fact checks", "fact-checks", "live", "latest", "video", "europe", "asia",
}  # fmt: skip
#: How an introduction says someone gave an interview.
INTERVIEWED = re.compile(r"\b(?:spoke|speaking|talked|told|interview(?:ed)?|sat down)\b", re.IGNORECASE)
#: How far into a page its header lines may run.
HEADER_LENGTH = 300
#: The first person plural in which a body writes its own release.
FIRST_PERSON = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
#: A claim whose speaker phrase is the issuing body's own staff: 'our explosives experts established…'.
FIRST_PERSON_SPEAKER = re.compile(r"^(?:[^,]*,\s*)?(?:our|we)\b", re.IGNORECASE)
#: A sentence that opens by pointing back at what was just said.
ANAPHORA = re.compile(r"(?:These|This|Those|Such|The figures?|The numbers?)\b")
#: A live blog's entry times: a line that is a time ('19:02', '12:45 GMT') or opens an entry with one
#: ('12:45 GMT — Kyiv death toll rises').
TIMESTAMP = re.compile(
    r"^\s*\d{1,2}[:.]\d\d(?:\s*(?:GMT|BST|CET|CEST|EET|EEST|UTC|KST|am|pm))?\s*(?:$|[—–|-]\s*\S)", re.M | re.I
)
#: A report that names its own sources, just before them: 'a Reuters report citing'.
CITING_REPORT = re.compile(r"\breports?\s+(?:citing|quoting)\s+$", re.IGNORECASE)
#: A claim made again and again, not on the day it is reported: 'Tehran has repeatedly denied…'.
HABITUAL = re.compile(
    r"\b(?:repeatedly|previously|consistently|long)\s+(?:said|denied|claimed|insisted|rejected|called)\b"
)
#: A count's own time, opening its sentence: 'As of 08:00 on Sunday, …', 'As of Monday morning, …'.
AS_OF = re.compile(r"As of\b[^,]{1,40},")
#: When a speaker spoke on the evening before publication.
LAST_NIGHT = re.compile(r"\b(?:late\s+)?last\s+(?:night|evening)\b", re.IGNORECASE)
#: When something was said, in words that name no day: 'Last week the agency said', 'has previously denounced'.
VAGUE_TIME = re.compile(
    r"\b(?:last|previous|past)\s+(?:week|month|year|weekend)\b|\b(?:previously|earlier|recently|in the past|ago)\b",
    re.IGNORECASE,
)
#: A time counted in days from the day named before: 'A day later', 'two days earlier', 'the next day'.
DAYS_LATER = re.compile(
    r"\b(?:(?P<n>a|one|two|three|four|five|six)\s+days?\s+(?P<dir>later|after|earlier|before)\b(?!\s+\w+\s+said)"
    r"|the\s+(?:next|following)\s+day\b|(?P<prev>the\s+(?:day\s+before|previous\s+day)))",
    re.IGNORECASE,
)
#: A sentence that opens with the speaker's own words ('"The guns are old," the official said.') is a claim of
#: its own, not a continuation of the claim before it.
QUOTE_OPENS = re.compile(r"\s*[\"“]")
#: Nouns after a name that make it a place: 'Odesa district', 'Sumy region'.
PLACE_NOUNS = {"district", "region", "oblast", "province", "raion", "districts", "regions", "community", "hromada"}
DENIALS = {"deny", "reject", "dismiss", "refute", "dispute", "contradict"}


#: 'a spokesperson for the company': someone speaking for a body named before.
SPOKESPERSON_FOR_THE = re.compile(r"\b(?:spokes(?:man|woman|person)|representative)\s+(?:for|of)\s+the\s+[a-z]+$")


#: What a denial is about when it denies that arms changed hands: 'denied that any weapons have changed hands'.
DENIED_GOODS = re.compile(
    r"\b(?:weapons?|arms|missiles?|munitions?|ammunition|shells?|drones?|troops|soldiers|transfers?"
    r"|deliver(?:y|ies)|supplies|shipments?|deployment)\b",
    re.IGNORECASE,
)
RUSSIA = "state/russia"
#: A day named by reference to the one named before: 'That morning the air force said…', 'the same day'.
THAT_DAY = re.compile(
    r"\b(?:(?:later\s+)?that\s+(?:morning|day|night|evening|afternoon)|the\s+same\s+day"
    r"|(?:on\s+)?the\s+(?:day|night|morning|evening)\s+of\s+the\s+(?:attack|strike|shelling|explosion))\b",
    re.I,
)
#: A claim placed by the hour of the day being told: 'By 8 a.m.', 'Shortly after noon', 'In the afternoon'.
TIME_OF_DAY = re.compile(
    r"^\W*(?:(?:by|at|shortly\s+(?:after|before)|around|about|until|later)\s+(?:about\s+)?"
    r"(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am|pm)|\d{1,2}:\d\d|noon|midday|midnight|evening|night|dawn|dusk)"
    r"|(?:in|by|later\s+in)\s+the\s+(?:morning|afternoon|evening))(?!\w)",
    re.IGNORECASE,
)
#: A sentence that dates a response before saying what it was: 'Pyongyang hit back on Thursday.'
RESPONDED = re.compile(r"\b(?:hit|fired|struck|lashed)\s+back\b|\b(?:responded|reacted|retorted|replied)\b", re.I)
SPOKESPERSON = re.compile(r"\bspokes(?:person|man|woman)\b", re.IGNORECASE)
#: The city of a dateline, in capitals: 'SEOUL', 'NEW YORK'.
DATELINE_CITY = re.compile(r"[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,2}\b")
#: What an author says they judge, in their own first person: 'I estimate that…', 'I believe…'.
OWN_JUDGEMENT = {"estimate", "believe", "think", "reckon", "calculate", "judge", "assess", "expect", "suspect"}
#: An author's own reckoning: 'By my reckoning…', 'our best estimate was that…'.
RECKONING_NOUNS = {"reckoning", "estimate", "count", "calculation", "assessment", "judgement", "judgment"}
#: A page's header that makes it a press release: 'Press release', 'NEWS RELEASE'.
RELEASE_HEADER = re.compile(r"^\s*(?:press|news|media)\s+release\s*$", re.IGNORECASE | re.MULTILINE)
#: A post's heading: its time and its author, 'HH:MM — Name' on a line of its own.
POST_HEADING = re.compile(r"^\d{1,2}[:.]\d\d\s*[—–-]\s*(?P<name>[A-Z][^\n]{2,80}?)\s*$", re.MULTILINE)
#: A line of a list: '- 94 Kh-101 cruise missiles, 88 shot down', '• 3,204 Shahed-type drones'.
LIST_ITEM = re.compile(r"[-–•*]\s+\S")
#: What the tagger takes for a day, a number or a place, which no weapon is called ('Monday drones').
NOT_WEAPON_TYPES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "GPE", "LOC", "NORP", "QUANTITY"}
#: What an organisation concludes that a person may pass on as the organisation's claim.
ASSESSING = {"estimate", "assess", "believe", "conclude", "find", "calculate", "judge", "determine", "suspect"}
#: An occasion a claim was made at, named as one the article spoke of before: 'told the council', 'at the hearing'.
OCCASION = re.compile(
    r"\b(?:(?:the|this|that|Wednesday's|Tuesday's|Monday's|Thursday's|Friday's)\s+(?:\w+\s+)?"
    r"(?P<noun>council|court|committee|hearing|briefing|meeting|session|conference|trial|summit|judges|panel)\b"
    r"|told\s+(?:the\s+)?lawmakers\b)",
)
#: An occasion an article may open on, whose claims it then reports.
LEAD_OCCASION = re.compile(
    r"\b(?:session|meeting|hearing|trial|briefing|conference|summit|debate|testimony|testified|talks|committee)\b",
    re.I,
)
PAST_SAYING = re.compile(
    r"\b(?:said|told|added|called|urged|argued|warned|accused|denied|insisted|briefed|testified|stated|noted"
    r"|announced|acknowledged|confirmed)\b"
)
PERFECT_OR_PRESENT = re.compile(r"\b(?:has|have|had)\s+(?:\w+\s+)?(?:said|told|called|denied|accused)\b|\bsays\b")
#: Words by which an article introduces each occasion.
OCCASION_WORDS = {
    "council": {"council"}, "court": {"court", "trial"}, "judges": {"court", "trial"}, "trial": {"trial", "court"},
    "committee": {"committee", "hearing"}, "hearing": {"hearing", "committee"}, "briefing": {"briefing"},
    "meeting": {"meeting", "met", "summoned", "talks"}, "session": {"session", "met"}, "conference": {"conference"},
    "summit": {"summit"}, "panel": {"panel", "hearing"},
}  # fmt: skip


def _publication_day(page: str, published: dt.date) -> DateMention:
    """The day of publication, as the day a page of this kind ('Press release') was written on."""
    return DateMention(-1, -1, "", published, True, f"{page} of {published}", False)


def _derived(day: DateMention, how: str, date: dt.date | None = None) -> DateMention:
    """A claim's date derived from a day the text names (on ``date``, if it is not that day itself)."""
    return DateMention(day.start, day.end, day.text, date or day.date, True, how, False)


class ParseReader(SpeakerReader):
    """Reads one article from its parsed lines (``docs``: each line's offset and spaCy doc)."""

    def __init__(
        self,
        lexicon: Lexicon,
        text: str,
        published: dt.date | None,
        docs: list[tuple[int, Doc]],
        furniture: list[tuple[int, int]] | None = None,
        author: str | None = None,
    ) -> None:
        self._docs = docs
        self.author = author
        super().__init__(lexicon, text, published)
        self._spans: dict[int, tuple[int, Span]] = {}
        self._had_cue = False
        parsed: list[Sentence] = []
        for base, doc in docs:
            # 'Russia says X; Moscow calls Y': a headline, whatever its semicolon makes of it
            headline = Sentence(base, base + len(doc.text), doc.text.strip()).is_headline
            for sent in doc.sents:
                stripped = sent.text.strip()
                start = base + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
                if not stripped or any(a <= start < b for a, b in furniture or ()) or (headline and ";" in stripped):
                    continue
                sentence = Sentence(start, start + len(stripped), stripped)
                parsed.append(sentence)
                self._spans[start] = (base, sent)
        self.sentences = self._with_lists(parsed)
        self._acronyms()
        self._korean_shorthand()
        self._lone_names()
        self.live_blog = len(TIMESTAMP.findall(text)) >= 2
        self._answers = answers.answer_lines([(base, doc.text) for base, doc in docs], self._interviewee(docs))

    def _with_lists(self, parsed: list[Sentence]) -> list[Sentence]:
        """'According to the summary, the missiles launched in October were:' and the list under it: one
        sentence, parsed by its first part (what says it), whose counts are the list's."""
        joined: list[Sentence] = []
        index = 0
        while index < len(parsed):
            sentence, index = parsed[index], index + 1
            end = sentence.end
            # the list's first item on a line of its own, the rest straight after it
            while sentence.text.endswith(":") and index < len(parsed) and LIST_ITEM.match(parsed[index].text):
                gap = self.text[end : parsed[index].start]
                if gap.strip() or (end == sentence.end and "\n" not in gap):
                    break
                end, index = parsed[index].end, index + 1
            joined.append(Sentence(sentence.start, end, self.text[sentence.start : end]) if end != sentence.end
                          else sentence)  # fmt: skip
        return joined

    def _acronyms(self) -> None:
        """'South Korea's National Intelligence Service (NIS)': later 'NIS' names the same organisation."""
        aliases: dict[str, str] = {}
        for m in re.finditer(r"\s?\(([A-Z]{2,6})\)", self.text):
            before = [x for x in self.mentions if x.end == m.start() and x.ref.startswith("org/")]
            if before:
                aliases[m.group(1)] = before[-1].ref
        if not aliases:
            return
        kept = [x for x in self.mentions if x.text not in aliases]
        for x in self.mentions:
            if x.text in aliases:
                kept.append(Match(x.start, x.end, x.text, aliases[x.text]))
        for acronym, ref in aliases.items():
            for m in re.finditer(rf"(?<![\w-]){acronym}(?![\w-])", self.text):
                if not any(x.start < m.end() and m.start() < x.end for x in kept):
                    kept.append(Match(m.start(), m.end(), acronym, ref))
        self.mentions = sorted(kept, key=lambda x: x.start)

    def _lone_names(self) -> None:
        """'Kim said' after 'Kim Yo Jong': a lone name is the person named in full with it last, whoever the
        vocabulary gives that name to alone (Kim Jong Un)."""
        people = [m for m in self.mentions if m.ref.startswith("person/") and len(m.text.split()) >= 2]
        kept = []
        for m in self.mentions:
            lone = re.sub(r"^(?:Mr|Mrs|Ms|Dr)\.?\s+", "", m.text)  # 'Mr. Kim' is a lone name too
            if m.ref.startswith("person/") and len(lone.split()) == 1:
                named = [p for p in people if p.start < m.start and lone in (p.text.split()[0], p.text.split()[-1])
                         and p.text != m.text]  # fmt: skip
                if named and named[-1].ref != m.ref:
                    m = Match(m.start, m.end, m.text, named[-1].ref)
            kept.append(m)
        self.mentions = kept

    def _korean_shorthand(self) -> None:
        """'the North has shipped…' in an article that names North Korea: the North is North Korea (and
        'the South' South Korea); a capital N or S only, after 'the'."""
        named = {m.ref for m in self.mentions}
        added = [
            Match(m.start(1), m.end(1), m.group(1), ref)
            for word, ref in (("North", "state/north-korea"), ("South", "state/south-korea"))
            if ref in named
            for m in re.finditer(rf"\b[Tt]he ({word})(?![\w-]|\s+[A-Z])", self.text)
            if not any(x.start < m.end(1) and m.start(1) < x.end for x in self.mentions)
        ]  # fmt: skip
        if added:
            self.mentions = sorted(self.mentions + added, key=lambda x: x.start)

    # -- names ---------------------------------------------------------------

    def _read_as_name(self, start: int, end: int, head: int) -> bool:
        """Whether the parser read the words from ``start`` to ``end`` as a name of the noun at ``head``
        ('Orlan-10 reconnaissance drones'), not as a sentence's first common word ('Ballistic missiles
        struck…') or a speaker before a verb ('Hrytsenko said the missile…')."""
        for base, doc in self._docs:
            if base <= start < base + len(doc.text):
                tokens = [t for t in doc if start <= base + t.idx < end]
                if not tokens or tokens[0].pos_ != "PROPN":
                    return False
                first = tokens[0]
                designation = any(ch.isdigit() for ch in first.text)  # 'Garpiya-3' is no place, whatever its tag
                if first.ent_type_ in NOT_WEAPON_TYPES and not designation:
                    return False
                if first.i > 0 and doc[first.i - 1].pos_ == "PROPN" and doc[first.i - 1].ent_type_ != "NORP":
                    return False  # the last word of a longer name: 'Air Force fighter jets'
                if first.is_sent_start and not designation:
                    return False
                noun = tokens[-1]
                while noun.dep_ in ("compound", "amod", "nmod", "nummod", "appos") and noun.head.i != noun.i:
                    noun = noun.head
                    if base + noun.idx == head:
                        return True
                return False
        return False

    def _new_people(self, taken: list[tuple[int, int]], matches: list[Match]) -> list[Match]:
        """Names the vocabulary does not know: weapons named with the noun of their kind ('Orlan-10
        reconnaissance drones'), then named-entity spans (people, organisations, states, places)."""
        weapons, minted = new_weapons(self.text, self._read_as_name, taken)
        self.new_entities.update(minted)
        spans = [
            NamedSpan(base + ent.start_char, base + ent.end_char, ent.text, ent.label_)
            for base, doc in self._docs
            for ent in doc.ents
            if not ent.ent_id_ and (ent.label_ in ("ORG", "PERSON")
                                    or all(t.pos_ == "PROPN" for t in ent if t.pos_ not in ("DET", "PUNCT")))
        ]
        # 'in Odesa district', 'at Odesa region': a name the tagger left out, made a place by the noun after it
        spans += [
            NamedSpan(base + t.idx, base + t.idx + len(t.text), t.text, "GPE")
            for base, doc in self._docs
            for t in doc[:-1]
            if t.pos_ == "PROPN" and not t.ent_type_ and t.text.istitle() and doc[t.i + 1].lower_ in PLACE_NOUNS
        ]
        spans += self._institution_names()
        found, minted = new_entities(spans, self.text, self.lexicon, taken, matches)
        self.new_entities.update(minted)
        found += weapons + self._dateline_cities(taken)
        # 'Seo estimated …' after 'Seo Dong-min, a research fellow, said': the tagger may not see the lone name
        named = {m.ref: m.text for m in found if m.ref.startswith("person/") and len(m.text.split()) >= 2}
        for ref, name in named.items():
            found += family_name_mentions(self.text, ref, name, taken)
        # 'Velbrook said…' after 'Velbrook Microdevices, a Dutch chipmaker': a firm called by its first word(s)
        firms = {m.ref: m for m in sorted(found, key=lambda m: -m.start) if m.ref.startswith("org/")
                 and m.ref not in self.lexicon.entities and len(m.text.split()) >= 2}  # fmt: skip
        for ref, first in firms.items():
            found += short_name_mentions(self.text, ref, first.text, taken, after=first.end)
        return sorted(found, key=lambda m: m.start)

    def _dateline_cities(self, taken: list[tuple[int, int]]) -> list[Match]:
        """'SEOUL, South Korea (AP) —', 'TEHRAN —': the city a dateline names, where the story was filed (the
        parser never sees it); a place, also where the vocabulary knows the name only as its state's."""
        found = []
        for base, doc in self._docs:
            city = DATELINE_CITY.match(self.text, base) if doc.text[:1] == " " else None
            if city is None or any(s < city.end() and city.start() < e for s, e in taken):
                continue
            name = " ".join(w.capitalize() for w in city.group(0).split())
            ref = self.lexicon._resolve(name, "in ")
            if ref is not None and not ref.startswith(("place/", "state/")):
                continue  # 'UNITED NATIONS (AP) —': a body's seat, no city
            if ref is None or not ref.startswith("place/"):
                ref = f"place/{slug(name)}"
                if ref not in self.lexicon.entities:
                    self.new_entities.setdefault(ref, ("Place", name))
            found.append(Match(city.start(), city.end(), city.group(0), ref))
            taken.append(city.span())
        return found

    def _institution_names(self) -> list[NamedSpan]:
        """Names of bodies the tagger saw only in part: 'the UN Human Rights Monitoring Mission in Ukraine'
        (to it, 'UN' and 'Ukraine'), from the parse: capitalised words compounded onto a body's word
        ('Mission', 'Service', 'Institute'…), with what follows it by 'in', 'of' or 'for'."""
        names = []
        for base, doc in self._docs:
            for head in doc:
                if head.pos_ != "PROPN" or not head.text.istitle() or not ORG_WORDS.fullmatch(head.text):
                    continue
                start = head  # back over the run of name words compounded onto the body's word
                while start.i > 0 and doc[start.i - 1].dep_ == "compound" and doc[start.i - 1].pos_ == "PROPN" and (
                    head in doc[start.i - 1].ancestors
                ):
                    start = doc[start.i - 1]
                end = head
                for prep in head.rights:
                    objects = [t for t in prep.rights if t.dep_ == "pobj" and t.pos_ == "PROPN"]
                    if prep.lower_ in ("in", "of", "for") and prep.i == head.i + 1 and objects:
                        end = objects[0]
                        break
                if end.i - start.i < 2 or any(e.start <= start.i and end.i < e.end for e in doc.ents):
                    continue  # the tagger has the whole name already
                names.append(NamedSpan(base + start.idx, base + end.idx + len(end.text),
                                       doc[start.i : end.i + 1].text, "ORG"))  # fmt: skip
        return names

    def _label(self, ref: str) -> str:
        entity = self.lexicon.get(ref)
        if entity is not None:
            return " ".join([entity.label, *entity.labels, entity.role]).casefold()
        return self.new_entities.get(ref, ("", ref.split("/", 1)[1].replace("-", " ")))[1].casefold()

    # -- statements ----------------------------------------------------------

    def statements(self) -> list[Statement]:
        """Attributed claims: one per sentence with a cue, one per speaker when speakers are coordinated."""
        found: list[Statement] = []
        posts = self._posts
        for sentence in self.sentences:
            post = next((p for p in posts if p[1] <= sentence.start < p[2]), None)
            if post is not None:
                if not found or found[-1].start != post[0]:
                    found.append(self._post(*post))
                continue  # a post's sentences are its one claim
            if sentence.is_headline or sentence.start not in self._spans:
                continue
            made = self._parsed_statements(sentence, found)
            if not made:
                made = self._answered(sentence, found)
            if not made:
                made = self._authored(sentence)
            if not made:
                made = self._released(sentence, found)
            rule = self._statement(sentence, found[-1] if found else None) if made else None
            for statement in made:
                if rule is not None and rule.speaker == statement.speaker:
                    # The same speaker by both readers: the rule reader's date cues ('a January 4th press
                    # conference', 'His statement was posted on…') and its follow-up flag fill the gaps.
                    if statement.date is None and not (rule.date and inside(rule.date.start, statement.said)):
                        statement.date, statement.explicit_date = rule.date, rule.explicit_date
                    statement.meta = statement.meta or rule.meta
            if not made and not self._had_cue:
                fallback = self._statement(sentence, found[-1] if found else None)
                made = [fallback] if fallback is not None and self._fallback_ok(fallback) else []
            gap = self.text[found[-1].end : sentence.start] if found else "x"
            counts = [q for q in find_quantities(sentence.text, sentence.start) if q.value is not None]
            same_paragraph = len(gap) <= 3 and not gap.strip() and "\n" not in gap
            continued = not self._had_cue or (self._issuer is not None and found and found[-1].speaker == self._issuer)
            if not made and found and same_paragraph and counts and continued:
                found[-1].end = sentence.end
                found[-1].quantities += counts
                continue
            if not made and found and ANAPHORA.match(sentence.text) and len(gap) <= 3 and not gap.strip():
                # 'These weapons are in addition to over 100 KN-23…': the claim just made goes on
                found[-1].end = sentence.end
                found[-1].quantities += [q for q in find_quantities(sentence.text, sentence.start) if q.value]
                continue
            found.extend(made)
        found = self._name_the_authorities(found)
        self._date_documents(found)
        resolved = self._resolve_context(self._merge_continuations(self._merge_preambles(found)))
        self._date_that_day(resolved)
        self._date_spokespeople(resolved)
        self._date_times_of_day(resolved)
        self._date_responses(resolved)
        self._date_occasions(resolved)
        self._date_lead_occasion(resolved)
        self._date_told_occasions(resolved)
        self._date_same_day_reports(resolved)
        self._date_fellow_speakers(resolved)
        self._carry_derived_dates(resolved)
        if self._issuer is not None and self.published is not None and self._release_signature is not None:
            # a press release's claims are made on the day it is issued
            issued = _publication_day("Press release", self.published)
            for statement in resolved:
                own_staff = FIRST_PERSON_SPEAKER.match(self.text[statement.start : statement.end])
                if own_staff and statement.speaker.startswith("anon/"):
                    statement.speaker = self._issuer  # 'our explosives experts established…'
                if statement.date is None:
                    statement.date = issued
        if self.published is not None and RELEASE_HEADER.search(self.text, 0, HEADER_LENGTH) and resolved:
            # a press release in its issuer's third person ('…, Rights Witness said today'): what the issuer and
            # its own people say in it is said on the day it is issued
            issuer = resolved[0].speaker
            label = self._label(issuer)
            issued = _publication_day("Press release", self.published)
            for statement in resolved:
                staff = statement.speaker.startswith("person/") and label and any(
                    label in self.text[m.end : m.end + 120].casefold() for m in self.mentions
                    if m.ref == statement.speaker)  # fmt: skip
                if statement.date is None and (statement.speaker == issuer or staff):
                    statement.date = issued
        for statement in resolved:
            # '-- Oct. 13, 2023: The White House says…': a timeline entry's claim is made on the entry's day
            line = self.text.rfind("\n", 0, statement.start) + 1
            entry_date = TIMELINE_DATE.match(self.text[line : statement.start + 1])
            if entry_date is not None and statement.date is None:
                days = find_dates(entry_date.group("date"), self.published, line + entry_date.start("date"))
                if days and days[0].date is not None:
                    statement.date, statement.explicit_date = days[0], True
        entry = self._entry_day
        if entry is not None:
            for statement in resolved:
                habitual = HABITUAL.search(self.text[statement.start : statement.end])
                if statement.date is None and not habitual:
                    statement.date = entry
        return resolved

    def _carry_derived_dates(self, found: list[Statement]) -> None:
        """'By 8 a.m., Mayor Terekhov had written that two were killed … Five people were killed, Terekhov said
        later': a speaker's undated claim is made on the day of their last claim before it, also when that
        day was worked out from the context and not written."""
        last: dict[str, DateMention] = {}
        for statement in found:
            if statement.date is None and not statement.own_time and statement.speaker in last:
                statement.date = last[statement.speaker]
                statement.inherited_from = statement.speaker
            if statement.date is not None:
                last[statement.speaker] = statement.date

    def _date_spokespeople(self, found: list[Statement]) -> None:
        """'Seoul's Defense Ministry said Thursday it shared the assessment. "…," ministry spokesperson Jeon told a
        regular briefing.': the spokesperson who speaks next in the paragraph spoke that day for the body."""
        for previous, statement in pairwise(found):
            if statement.date is not None or previous.date is None or "\n" in self.text[previous.end : statement.start]:
                continue
            spokesperson = SPOKESPERSON.search(self.text[statement.start : statement.end])
            if (spokesperson and previous.speaker.startswith(("org/", "state/"))
                    and statement.speaker.startswith(("person/", "anon/"))):  # fmt: skip
                day = previous.date
                how = f"the spokesperson of the body that spoke on '{day.text}' just before"
                statement.date = _derived(day, how)

    def _date_that_day(self, found: list[Statement]) -> None:
        """'The busiest night was the night before 17 June. That morning the air force said…': 'that morning',
        'that day', 'the same day' are the day last named before them, in the sentence or before it."""
        for statement in found:
            sentence = next((s for s in self.sentences if s.start <= statement.start < s.end), None)
            that = THAT_DAY.search(self.text[statement.start : statement.end])
            if sentence is None or that is None or inside(statement.start + that.start(), statement.said):
                continue
            # ('the night before 17 June': a bound of a period, but still the day named last); 'hit … on 9 October,
            # the administration said that day': the day the sentence itself named before it
            named = [d for d in self._dates_in(sentence) if 0 <= d.start < statement.start + that.start()]
            day = named[-1] if named else self._day_named_last(sentence.start, bounds=True)
            if day is not None:
                statement.date = _derived(day, f"'{that.group(0)}': the day last named, '{day.text}'")
                statement.explicit_date = True

    def _day_in(self, sentence: Sentence) -> DateMention | None:
        """The first day a sentence names that is not a bound of a period ('since 12 May')."""
        return next((d for d in self._dates_in(sentence) if not d.is_period_bound), None)

    def _day_named_last(self, before: int, bounds: bool) -> DateMention | None:
        """The last day the article names in the sentences before ``before``; with ``bounds``, a period's bound
        ('before 17 June') counts too."""
        days = [d for s in self.sentences if s.end <= before for d in self._dates_in(s)
                if d.start >= 0 and (bounds or not d.is_period_bound)]  # fmt: skip
        return days[-1] if days else None

    def _date_times_of_day(self, found: list[Statement]) -> None:
        """'At 6:52 a.m. on May 14, a missile…' then 'By 8 a.m., the mayor had written…', 'In the afternoon, the
        prosecutor's office said…': a claim placed only by the hour was made on the day the article last named."""
        for statement in found:
            if statement.date is not None:
                continue
            said = self.text[statement.start : statement.end]
            if not TIME_OF_DAY.search(said):
                continue
            day = self._day_named_last(statement.start, bounds=False)
            if day is not None:
                statement.date = _derived(day, f"placed by the hour on the day last named, '{day.text}'")

    def _date_responses(self, found: list[Statement]) -> None:
        """'Pyongyang hit back on Thursday. KCNA said in a commentary that…': a claim right after the sentence that
        dates its speaker's response, in the same paragraph, was that response."""
        for statement in found:
            if statement.date is not None:
                continue
            before = [s for s in self.sentences if s.end <= statement.start]
            if not before or "\n" in self.text[before[-1].end : statement.start]:
                continue
            previous = before[-1]
            if not RESPONDED.search(previous.text) or any(f.start <= previous.start < f.end for f in found):
                continue
            state = self.lexicon.state_of(statement.speaker) if not statement.speaker.startswith("state/") else (
                statement.speaker)  # fmt: skip
            named = {m.ref for m in self.mentions if previous.start <= m.start < previous.end}
            if state is None or not ({state, statement.speaker} & named):
                continue
            day = self._day_in(previous)
            if day is not None:
                statement.date = _derived(day, f"the response dated '{day.text}' in the sentence before")

    def _date_occasions(self, found: list[Statement]) -> None:
        """An undated claim made at an occasion the article dated before ('The Security Council met on
        Wednesday…' then 'Wood told the council…'; 'told lawmakers' after 'a closed-door briefing on Tuesday')
        was made that day: the words that name the occasion refer back to it."""
        for statement in found:
            if statement.date is not None:
                continue
            frame = self.text[statement.start : statement.end]
            for a, b in sorted(statement.said, reverse=True):  # not an occasion the claim itself is about
                if statement.start <= a and b <= statement.end:
                    frame = frame[: a - statement.start] + " " * (b - a) + frame[b - statement.start :]
            named = OCCASION.search(frame)
            if named is None:
                continue
            noun = (named.group("noun") or "").lower()
            words = OCCASION_WORDS.get(noun, {noun}) if noun else {"briefing", "lawmakers"}
            for sentence in reversed([s for s in self.sentences if s.end <= statement.start + named.start()]):
                lowered = sentence.text.lower()
                if not any(re.search(rf"\b{w}\b", lowered) for w in words):
                    continue
                day = self._day_in(sentence)
                if day is not None:
                    statement.date = _derived(day, f"at the {noun or 'briefing'} dated '{day.text}' before")
                    break

    def _date_fellow_speakers(self, found: list[Statement]) -> None:
        """'Speaking at a joint press conference with David Lammy, Blinken said on Tuesday…' then 'Lammy said…':
        a person named at a dated occasion, who speaks next in the past tense before another day is named,
        spoke at that occasion."""
        for index, statement in enumerate(found):
            text = self.text[statement.start : statement.end]
            if statement.date is not None or not statement.speaker.startswith("person/"):
                continue
            if not PAST_SAYING.search(text) or PERFECT_OR_PRESENT.search(text):
                continue
            for earlier in reversed(found[:index]):
                frame = self.text[earlier.start : earlier.end]
                named_there = [m for m in self.mentions if m.ref == statement.speaker and earlier.start <= m.start
                               < earlier.end and not inside(m.start, earlier.said)]  # fmt: skip
                if earlier.date is None or earlier.speaker == statement.speaker or not named_there:
                    continue
                if not LEAD_OCCASION.search(frame):
                    break
                last = self._day_named_last(statement.start, bounds=False)
                if last is None or last.start < earlier.end:
                    day = earlier.date
                    statement.date = _derived(day, f"named at the occasion dated '{day.text}', where they spoke")
                break

    def _date_lead_occasion(self, found: list[Statement]) -> None:
        """An article that opens on a dated occasion ('a tense session of the UN Security Council on Wednesday',
        'the trial opened on Tuesday') reports what was said there: its undated claims in the past tense
        ('Wood said', not 'has said' or 'says') were made that day."""
        lead = next((s for s in self.sentences if not s.is_headline and s.start in self._spans
                     and len(s.text.split()) > 8), None)  # fmt: skip
        if lead is None or not LEAD_OCCASION.search(lead.text):
            return
        day = self._day_in(lead)
        if day is None:
            return
        how = f"said at the occasion the article opens on, dated '{day.text}'"
        for statement in found:
            if statement.date is not None or statement.start < lead.start:
                continue
            text = self.text[statement.start : statement.end]
            if PERFECT_OR_PRESENT.search(text) or not PAST_SAYING.search(text):
                continue
            statement.date = _derived(day, how)

    def _date_told_occasions(self, found: list[Statement]) -> None:
        """A sentence that tells of a dated occasion and quotes no one ('The findings drew sharp exchanges at a
        Security Council meeting on Wednesday.') opens an account of what was said there: the undated claims in
        the past tense in the paragraphs that follow were made that day, until the article names another."""
        occasion: DateMention | None = None
        opening: dict[int, list[Statement]] = {}
        for statement in found:
            opening.setdefault(statement.start, []).append(statement)
        for sentence in self.sentences:
            if sentence.is_headline:
                continue
            inside_claim = any(s.start <= sentence.start < s.end for s in found)
            day = self._day_in(sentence)
            if not inside_claim and LEAD_OCCASION.search(sentence.text) and day is not None:
                occasion = day
                continue
            if not inside_claim and day is not None:
                occasion = None  # the account moved on to another day
            for statement in (s for s in opening.get(sentence.start, []) if s.date is None):
                text = self.text[statement.start : statement.end]
                if occasion is not None and PAST_SAYING.search(text) and not PERFECT_OR_PRESENT.search(text):
                    statement.date = _derived(occasion, f"said at the occasion dated '{occasion.text}' before")

    def _date_same_day_reports(self, found: list[Statement]) -> None:
        """An undated claim about something that happened on the day of publication ('a missile struck … at
        05:47 on Thursday' in a roundup of Thursday 09:40) was made that day: after the event, before the page."""
        if self.published is None:
            return
        for statement in found:
            if statement.date is not None:
                continue
            sentences = [s for s in self.sentences if s.start < statement.end and statement.start < s.end]
            days = [d for s in sentences for d in self._dates_in(s)
                    if d.date == self.published and not d.is_period_bound]  # fmt: skip
            if days:
                how = f"reported on the day of '{days[0].text}', the day of publication"
                statement.date = _derived(days[0], how, self.published)

    def findings(self) -> Findings:
        """Run every reader over the article; a denial that arms changed hands is also a denied transfer."""
        found = super().findings()
        found.transfers += self._denied_transfers(found.statements, found.transfers)
        return found

    def _denied_transfers(self, statements: list[Statement], transfers: list[Transfer]) -> list[Transfer]:
        """'Moscow and Pyongyang deny that any weapons have changed hands': the supplier's and Russia's denial
        of a transfer to Russia, once per sentence, where the tree read none."""
        made: list[Transfer] = []
        for statement in statements:
            if statement.stance != "denies" or not DENIED_GOODS.search(self.text[statement.start : statement.end]):
                continue
            if any(t.start < statement.end and statement.start < t.end for t in [*transfers, *made]):
                continue
            speaker = statement.speaker if statement.speaker.startswith("state/") else None
            state = speaker or self.lexicon.state_of(statement.speaker)
            named = [m.ref for m in self.mentions if statement.start <= m.start < statement.end
                     and m.ref.startswith("state/")]  # fmt: skip
            if state == RUSSIA:
                # the supplier named with the denial, else the one of the last transfer to Russia before it
                before = [t.supplier for t in transfers if t.recipient == RUSSIA and t.start < statement.start]
                supplier = next((ref for ref in named if ref in ARMS_SUPPLIERS), before[-1] if before else None)
            elif state in ARMS_SUPPLIERS and self._names(RUSSIA):
                supplier = state
            else:
                continue
            if supplier is None:
                continue
            weapons = _unique(m.ref for m in self.mentions if statement.start <= m.start < statement.end
                              and m.ref.startswith("weapon/"))  # fmt: skip
            made.append(Transfer(statement.start, statement.end, supplier, RUSSIA, "unrealised", None, "denied",
                                 weapons, None, None))  # fmt: skip
        return made

    def _interviewee(self, docs: list[tuple[int, Doc]]) -> str | None:
        """Who an interview is with: the last person named before its first question, not its writer."""
        first_question = next((base for base, doc in docs if answers.is_question(doc.text)), None)
        if first_question is None:
            return None
        writers = self._writers
        # introduced as interviewed ('spoke to Eastbound Review on Monday'): an explainer's question headings
        # ('What do Moscow and Pyongyang say now?') are no interview
        interviewed = [(s.start, s.end) for s in self.sentences
                       if s.end <= first_question and INTERVIEWED.search(s.text)]  # fmt: skip
        people = [m.ref for m in self.mentions if m.end <= first_question and m.ref.startswith("person/")
                  and m.ref not in writers and inside(m.start, interviewed)]  # fmt: skip
        return people[-1] if people else None

    def _answered(self, sentence: Sentence, found: list[Statement]) -> list[Statement]:
        """A sentence of a transcript's or an interview's answer, in which the tree names no speaker: a claim of
        the one answering ('MR. MILLER: We assess that…', 'I think they have delivered around…')."""
        answer = next((a for a in self._answers if a.start <= sentence.end and sentence.start < a.end), None)
        if answer is None:
            return []
        speaker = answer.speaker
        if not speaker.startswith("person/"):
            # a transcript label's family name: the person the article names by it
            named = [m.ref for m in self.mentions if m.ref.startswith("person/")
                     and speaker.casefold() in self._label(m.ref).split()]  # fmt: skip
            if not named:
                return []
            speaker = named[0]
        statement = Statement(
            start=sentence.start,
            end=sentence.end,
            speaker=speaker,
            stance=self._stance(sentence, (sentence.start, sentence.start, "said"), speaker),
        )
        # the day the answer was given: the day this speaker was last reported speaking, if the article says it
        spoken = [s for s in found if s.speaker == speaker and s.date is not None]
        if spoken:
            statement.date = spoken[-1].date
        else:
            statement.date = self._interview_day(speaker, answer.start)
        self._describe_claim(statement, sentence, self._actors(sentence), speaker, [])
        return [statement]

    @cached_property
    def _posts(self) -> list[tuple[int, int, int, str]]:
        """Posts a page reproduces under a heading of time and author ('05:37 — Ivan Fedorov', then what he
        posted): (heading start, body start, body end, author). A heading whose words are no speaker's name
        ('12:45 GMT — Kyiv death toll rises') is a live blog's entry title, not a post's author."""
        posts = []
        for heading in POST_HEADING.finditer(self.text):
            a, b = heading.span("name")
            named = [m for m in self.mentions if a <= m.start and m.end <= b and m.ref.startswith(("person/", "org/"))
                     and (m.end - m.start) >= 0.6 * (b - a)]  # fmt: skip
            body_start = heading.end() + 1
            if body_start >= len(self.text) or self.text[body_start] == "\n":
                continue
            if not named and ORG_WORDS.search(heading.group("name")):
                named = [self._mint_body(a, b)]  # 'Police of Zaporizhzhia Oblast': a body by its words
            if not named:
                continue
            body_end = self.text.find("\n\n", body_start)
            posts.append((heading.start(), body_start, len(self.text) if body_end < 0 else body_end, named[0].ref))
        return posts

    def _post(self, start: int, body: int, end: int, author: str) -> Statement:
        """A reproduced post: one claim by its author, with every count of it."""
        whole = Sentence(start, end, self.text[start:end])
        stance = self._stance(whole, (start, body, "posted"), author)
        statement = Statement(start=start, end=end, speaker=author, stance=stance)
        self._describe_claim(statement, whole, self._actors(whole), author, [])
        return statement

    def _authored(self, sentence: Sentence) -> list[Statement]:
        """A claim the article's author makes in their own first person ('I estimate that…', 'By my reckoning
        Russia has received…', 'our best estimate was that…'), in a comment piece or column: the author's, made
        on the day the page was published."""
        if self.author is None or self.published is None or sentence.start not in self._spans:
            return []
        base, span = self._spans[sentence.start]
        quotes = self._quotes(sentence)
        cue = next((t for t in span if not inside(base + t.idx, quotes) and (
            (t.lower_ == "i" and t.dep_ == "nsubj" and t.head.lemma_ in OWN_JUDGEMENT)
            or (t.lower_ in ("my", "our") and t.dep_ == "poss" and t.head.lemma_ in RECKONING_NOUNS))),
            None)  # fmt: skip
        if cue is None:
            return []
        if self.author not in self.lexicon.entities and self.author not in self.new_entities:
            # an author the metadata names by id only: a person of that name, not yet linked
            kind, _, name = self.author.partition("/")
            self.new_entities[self.author] = (TYPES.get(kind, "Person"), name.replace("-", " ").title())
        statement = Statement(
            start=sentence.start,
            end=sentence.end,
            speaker=self.author,
            stance=self._stance(sentence, (base + cue.idx, base + cue.idx, "said"), self.author),
        )
        statement.date = _publication_day("Comment published", self.published)
        self._describe_claim(statement, sentence, self._actors(sentence), self.author, [])
        return [statement]

    @cached_property
    def _release_signature(self) -> re.Match[str] | None:
        """The line that signs the article as a press release, if one does."""
        return RELEASE_SIGNATURE.search(self.text)

    @cached_property
    def _issuer(self) -> str | None:
        """The body a page speaks for in its own first person ('our air defence destroyed…', 'our count shows'):
        a press release signed by its press service ('Press service of the Mykolaiv Regional Military
        Administration'), or a body's own publication named in the page's first line ('Northlight Data ›
        Air war tracker')."""
        signed = self._release_signature
        # among the page's first lines; a menu ('Fact checks | Explainers | About us') names no publisher, and a
        # section under the publisher's name ('Explainers › Russia-Ukraine war') is not a body
        header = next((h for h in PUBLISHER_HEADER.finditer(self.text, 0, HEADER_LENGTH) if h.group(0).count("|") < 2
                       and h.group("body").casefold() not in SECTIONS), None)  # fmt: skip
        if signed is not None:
            body, (start, end), voice = self.text[: signed.start()] + self.text[signed.end() :], signed.span("body"), 2
        elif header is not None:
            body, (start, end), voice = self.text[header.end() :], header.span("body"), 3
        else:
            return None
        if len(FIRST_PERSON.findall(re.sub(r"[\"“][^\"”]*[\"”]", "", body))) < voice:
            return None
        named = [m for m in self.mentions if start <= m.start < end and m.ref.startswith("org/")]
        if named:
            return None if self._is_outlet(named[-1].ref) else named[-1].ref
        return self._mint_body(start, end).ref

    def _released(self, sentence: Sentence, found: list[Statement]) -> list[Statement]:
        """A sentence of a press release that gives figures in no one else's name: the issuing body's claim
        ('Our air defence destroyed 19 of the drones over the region.'); the figures of the sentences that
        follow it in the paragraph go on with it."""
        signature = self._release_signature
        if self._issuer is None or (signature is not None and sentence.start >= signature.start()):
            return []
        if self._had_cue and not FIRST_PERSON.search(sentence.text):
            return []  # someone else speaks in it, though the tree did not say who
        counts = [q for q in find_quantities(sentence.text, sentence.start) if q.value is not None]
        previous = found[-1] if found else None
        same_paragraph = previous is not None and "\n" not in self.text[previous.end : sentence.start]
        if not counts or (same_paragraph and previous is not None and previous.speaker == self._issuer):
            return []
        statement = Statement(start=sentence.start, end=sentence.end, speaker=self._issuer, stance="asserts")
        self._describe_claim(statement, sentence, self._actors(sentence), self._issuer, [])
        return [statement]

    def _interview_day(self, speaker: str, before: int) -> DateMention | None:
        """The day an interview was given, as its introduction says ('Yurii Ihnat … spoke to Eastbound Review in
        Kyiv on Monday'): a dated sentence that names the one answering and their speaking, before the answers."""
        for sentence in (s for s in self.sentences if s.end <= before):
            named = any(m.ref == speaker and sentence.start <= m.start < sentence.end for m in self.mentions)
            if named and INTERVIEWED.search(sentence.text):
                day = self._day_in(sentence)
                if day is not None:
                    return _derived(day, f"the interview given on '{day.text}'")
        return None

    def _name_the_authorities(self, found: list[Statement]) -> list[Statement]:
        """'…, regional authorities said.' followed by '…, the Sumy regional military administration said': the
        body that speaks in the next three statements, if one does; else the claim has no speaker and is dropped."""
        dropped: set[int] = set()
        # from the last: a pending claim is settled by the next ones once they are settled themselves
        for i, statement in reversed(list(enumerate(found))):
            if statement.speaker.startswith(UNNAMED_AUTHORITIES):
                word = statement.speaker.split("/")[2]
                start, end = (int(x) for x in statement.speaker.rsplit("/", 1)[1].split("-"))
                if word == HOLDER:
                    # an office holder named only by the office: the person who speaks next, else unnamed
                    person = next((s.speaker for s in found[i + 1 : i + 3] if s.speaker.startswith("person/")), None)
                    statement.speaker = person or self._anon_ref(self.text[start:end])
                    continue
                body = next((s.speaker for s in found[i + 1 : i + 4] if s.speaker.startswith("org/")
                             and not self._is_outlet(s.speaker) and self._named_by(s.speaker, word)), None)  # fmt: skip
                if body is None and "/document/" in statement.speaker:
                    dropped.add(i)  # a document no one is named for
                    continue
                if body is None:
                    # 'Local authorities said…', and no body speaks next: the authorities are a body of their own
                    body = self._mint_body(start, end).ref
                statement.speaker = body
        return [statement for i, statement in enumerate(found) if i not in dropped]

    def _named_by(self, ref: str, word: str) -> bool:
        """Whether a body can be the one a pending phrase meant: any body ('authorities', a document's author),
        else one whose name has the phrase's word ('police')."""
        return word in ("body", "document") or word in self._label(ref).split()

    def _day_after(self, sentence: Sentence, frame: list[tuple[int, int]]) -> DateMention | None:
        """'A day later, the Air Force revised…': days counted from the last day the article named before."""
        for a, b in frame:
            m = DAYS_LATER.search(self.text[a:b])
            if m is None:
                continue
            earlier = [d for s in self.sentences if s.end <= sentence.start for d in self._dates_in(s)]
            if not earlier:
                return None
            count = WORDS.get(m.group("n").lower(), 1) if m.group("n") else 1
            step = -count if (m.group("dir") or "").lower() in ("earlier", "before") or m.group("prev") else count
            anchor = earlier[-1]
            day = anchor.date + dt.timedelta(days=step)
            how = f"'{m.group(0)}' counted from '{anchor.text}' ({anchor.date.isoformat()})"
            return DateMention(a + m.start(), a + m.end(), m.group(0), day, True, how, False)
        return None

    @property
    def _entry_day(self) -> DateMention | None:
        """A live blog's entries, and a press release, report the day they are written on: the publication day."""
        if self.published is None:
            return None
        if self.live_blog:
            return _publication_day("Live-blog entry", self.published)
        if self._issuer is not None and self._release_signature is not None:
            return _publication_day("Press release", self.published)
        return None

    def _night_before(self, frame: list[tuple[int, int]]) -> DateMention | None:
        """'said last night', 'in an address last evening': the evening before publication."""
        if self.published is None:
            return None
        for a, b in frame:
            m = LAST_NIGHT.search(self.text[a:b])
            if m is not None:
                day = self.published - dt.timedelta(days=1)
                how = f"'{m.group(0)}': the evening before publication ({self.published.isoformat()})"
                return DateMention(a + m.start(), a + m.end(), m.group(0), day, True, how, False)
        return None

    def _date_documents(self, found: list[Statement]) -> None:
        """'The 29-page report, released on Thursday, …': what a document says was said when it came out.

        The date goes to the claim read from a document nearest before it (else the first after), undated;
        the author's other claims then take it as any speaker's do (:meth:`_resolve_context`).
        """
        for base, doc in self._docs:
            for noun, start, end in attribution.release_frames(doc):
                dates = [
                    d for d in find_dates(self.text[base + start : base + end], self.published, base + start)
                    if not d.is_period_bound
                ]  # fmt: skip
                documents = [s for s in found if s.from_document]
                if not dates or not documents:
                    continue
                before = [s for s in documents if s.start <= base + noun]
                statement = before[-1] if before else documents[0]
                if statement.date is None:
                    statement.date, statement.explicit_date = dates[0], True

    def _merge_continuations(self, found: list[Statement]) -> list[Statement]:
        """A speaker's next sentence, with no date or count of its own, goes on with the claim just made; one with
        a count of its own is a claim of its own ('A gas pipeline and two cars were also damaged, he said.')."""
        merged: list[Statement] = []
        for statement in found:
            previous = merged[-1] if merged else None
            if previous is not None and previous.speaker == statement.speaker and statement.start < previous.end:
                # '…said: "Two were killed. All the wounded are being treated," Kiper wrote.': the quotation the
                # claim opened closes here, one claim
                taken = {q.start for q in previous.quantities}
                previous.end = max(previous.end, statement.end)
                previous.quantities += [q for q in statement.quantities if q.start not in taken]
                continue
            if (
                previous is not None
                and previous.speaker == statement.speaker
                and not statement.explicit_date
                and self._adjacent(previous, statement)
                and not statement.quantities
                and not QUOTE_OPENS.match(self.text[statement.start : statement.end])
            ):
                previous.end = statement.end
                previous.quantities += statement.quantities
                previous.weapons = _unique(previous.weapons + statement.weapons)
                previous.relayed_via = _unique(previous.relayed_via + statement.relayed_via)
                continue
            merged.append(statement)
        return merged

    def _merge_preambles(self, found: list[Statement]) -> list[Statement]:
        """'Tehran rejected the accusations. Foreign ministry spokesman X wrote…': one claim, by the person who
        gives it; a short line by a state or institution followed at once by its spokesperson's words."""
        merged: list[Statement] = []
        for statement in found:
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and previous.speaker.startswith(("state/", "org/"))
                and previous.stance not in ("could_not_verify", "no_response")
                and not previous.quantities
                and len(self.text[previous.start : previous.end].split()) <= 8
                and self._adjacent(previous, statement)
                and (statement.speaker.startswith(("person/", "anon/")) or self._body_of(statement.speaker, previous))
            ):
                statement.start = previous.start
                if statement.speaker.startswith("anon/"):
                    statement.speaker = previous.speaker
                merged[-1] = statement
                continue
            merged.append(statement)
        return merged

    def _body_of(self, speaker: str, previous: Statement) -> bool:
        """Whether a speaker is a body of the state that spoke just before: 'Pyongyang rejected the reports.
        North Korea's mission to the United Nations called them…'."""
        return previous.speaker.startswith("state/") and self.lexicon.state_of(speaker) == previous.speaker

    def _fallback_ok(self, statement: Statement) -> bool:
        """Where the parse finds no cue, the rule reader's statement is kept unless it names no speaker's words.

        ('The Friday announcement was given by X, who said…' has no speech verb with a subject in the tree.)
        """
        return bool(statement.speaker)

    def _parsed_statements(self, sentence: Sentence, found: list[Statement]) -> list[Statement]:
        base, span = self._spans[sentence.start]
        quotes = self._quotes(sentence)
        found_cues = attribution.cues(span)
        # A speech verb whose speaker cannot be named: no guess by the rule reader either.
        self._had_cue = any(not inside(base + c.start, quotes) for c in found_cues)

        resolved: dict[int, list[Match]] = {}

        def speakers_of(cue: Cue) -> list[Match]:
            # once per cue: resolving a speaker may mint an entity and add its mention
            if id(cue) not in resolved:
                heads = [] if inside(base + cue.start, quotes) else cue.speakers
                speakers = [m for head in heads if (m := self._speaker_of(head, base, sentence, found))]
                resolved[id(cue)] = list({m.ref: m for m in speakers}.values())
            return resolved[id(cue)]

        # a cue inside what another cue's speaker says is reported speech ('The United States believes …,
        # spokesperson Matthew Miller said'): the outer one attributes, if it has a speaker
        contents = {
            id(c): [(a, b) for a, b in attribution.content(c.verb)]
            for c in found_cues if c.verb is not None and c.word != "according to"
        }  # fmt: skip
        reported = {id(c) for c in found_cues if any(inside(c.start, contents[id(o)])
                                                      for o in found_cues if o is not c and id(o) in contents)}
        # '…, State Department spokesperson Matthew Miller said on Tuesday.' parsed as a clause of the claim:
        # a closing attribution after a comma, with no content of its own, is the outer one all the same
        closing = [c for c in found_cues if c.verb is not None and not contents.get(id(c))
                   and attribution.closes_sentence(c.verb)]  # fmt: skip
        reported -= {id(c) for c in closing}
        reported |= {id(c) for c in found_cues if closing and c not in closing}
        order = [c for c in found_cues if id(c) not in reported] + [c for c in found_cues if id(c) in reported]
        chosen = next(((found_cues.index(c), c, m) for c in order if (m := speakers_of(c))), None)
        if chosen is None:
            return []
        index, cue, speakers = chosen
        if all(m.ref == "anon/reports" for m in speakers) and cue.word == "according to":
            # 'According to preliminary data, seven people were killed, the prosecutor's office reported': the
            # data have an author, who speaks
            named = next(((found_cues.index(c), c, m) for c in order if c is not cue and (m := speakers_of(c))
                          and not any(x.ref == "anon/reports" for x in m)), None)  # fmt: skip
            index, cue, speakers = named or chosen
        later = found_cues[index + 1 :]
        outlets: list[str] = []
        if all(self._is_outlet(m.ref) for m in speakers) and cue.verb is not None and cue.verb.lemma_ == "report":
            # 'The Defence Ministry said … , the state news agency TASS reported': the ministry speaks, TASS relays
            # ('Peskov told reporters that …, RIA Novosti reported.': the closing report relays the words before it)
            content = [(base + a, base + b) for a, b in attribution.content(cue.verb)]
            others = [c for c in found_cues if c is not cue and (inside(base + c.start, content) or not content)]
            inner = [(c, m) for c in others if c.speakers[:1] != [c.verb] and (m := speakers_of(c))
                     and not any(self._is_outlet(x.ref) for x in m)]  # fmt: skip
            if inner:
                outlets = [m.ref for m in speakers]
                cue, speakers = inner[0]
        if not outlets and all(m.ref.startswith(("person/", "anon/")) for m in speakers):
            # 'The spy agency also said Pyongyang had sent 15,000 labourers …, Yoo told reporters': a body's act
            # of saying, told on by a person, is the body's claim and the person relays it; so is an organisation's
            # estimate or belief ('The agency estimated that…, Lee said', 'Park said the agency believed…'), but a
            # state's belief stays the person's who voices it ('The United States believes …, Miller said').
            told = contents.get(id(cue)) or []
            bodies = [(c, m) for c in found_cues if c is not cue and c.verb is not None
                      and (inside(c.start, told) or (cue in closing and c.start < cue.start)
                           or (cue.word == "according to" and not inside(base + c.start, quotes)))
                      and (m := speakers_of(c)) and all(x.ref.startswith(("org/", "state/")) for x in m)
                      and (c.verb.lemma_ in attribution.SAYING
                           or (c.verb.lemma_ in ASSESSING and all(x.ref.startswith("org/") for x in m)))]  # fmt: skip
            if bodies:
                outlets = [m.ref for m in speakers]
                cue, speakers = bodies[0]
        made = self._statements_of(sentence, base, span, cue, speakers, outlets, quotes, found)
        if cue.verb is not None:
            # 'Moscow has previously said X, and Iran denies supplying drones': each clause its own claim
            for other in later:
                # ('…, South Korea's military said on Wednesday, while the spy agency told lawmakers that…')
                contrasted = other.verb is not None and other.verb.dep_ == "advcl" and any(
                    c.dep_ == "mark" and c.lower_ in ("while", "whereas") for c in other.verb.children
                )
                if other.verb is not None and other.verb.dep_ in ("conj", "advcl") and other.verb.head == cue.verb and (
                    other.verb.dep_ == "conj" or contrasted
                ):
                    own = [m for m in speakers_of(other) if m.ref not in {s.speaker for s in made}]
                    if own and contrasted:
                        # each side says its own figures, at the same time
                        said = [(base + a, base + b) for a, b in attribution.content(other.verb)]
                        theirs = self._statements_of(sentence, base, span, other, own, [], quotes, found)
                        for statement in made:
                            statement.quantities = [q for q in statement.quantities if not inside(q.start, said)]
                        for statement in theirs:
                            statement.quantities = [q for q in statement.quantities if inside(q.start, said)]
                            if statement.date is None and made:
                                statement.date, statement.explicit_date = made[0].date, made[0].explicit_date
                        made += theirs
                    elif own:
                        made += self._statements_of(sentence, base, span, other, own, [], quotes, found)
        return made

    def _statements_of(
        self,
        sentence: Sentence,
        base: int,
        span: Span,
        cue: Cue,
        speakers: list[Match],
        outlets: list[str],
        quotes: list[tuple[int, int]],
        found: list[Statement],
    ) -> list[Statement]:
        """One statement per speaker of a cue."""
        cue_start, cue_end = base + cue.start, base + cue.end
        relays = list(outlets)
        for head in cue.relays:
            start, end = (base + o for o in attribution.phrase(head))
            named = self._actors_between(start, end)
            # "South Korea's ambassador, Joonkook Hwang, citing…": the person the apposition names
            named = [m for c in head.children if c.dep_ == "appos"
                     for m in self._actors_between(*(base + o for o in attribution.phrase(c)))
                     if m.ref.startswith("person/")] or named  # fmt: skip
            bodies = [m.ref for m in named if not m.ref.startswith("state/")]
            name = re.sub(r"^(?:the|The)\s+", "", self.text[start:end])
            if not bodies and head.pos_ == "PROPN" and len(named) == 1 and len(name) > len(named[0].text) and (
                    name.istitle() and "'" not in name and "’" not in name):  # fmt: skip
                # 'he told Ukraine Defence Wire': an outlet whose name holds a state's
                bodies = [self._mint_body(end - len(name), end).ref]
            relays += bodies or [m.ref for m in named]  # "Japan's Kyodo news agency": Kyodo, not Japan
        actor = attribution.reported_act(cue)
        performer = self._speaker_of(actor, base, sentence, found) if actor is not None else None
        if performer is not None and performer.ref.startswith(("org/", "state/")):
            # 'The NIS gave the estimate …, according to Rep. Lee': the NIS speaks, the lawmaker relays it
            relays = _unique([*relays, *(m.ref for m in speakers)])
            speakers = [performer]
        credit = CREDIT_TAIL.search(sentence.text)
        if credit is not None:
            # '… to Russia. — via IRNA': the outlet the newsletter took the item from relays it
            tail = sentence.start + credit.start()
            relays = _unique([*relays, *(m.ref for m in self._actors_between(tail, sentence.end)
                                         if m.ref.startswith("org/"))])  # fmt: skip
        for speaker in speakers:
            lo = max(sentence.start, speaker.start - 60)
            if CITING_REPORT.search(self.text[lo : speaker.start]):
                # 'according to a Reuters report citing two sources': the sources speak, the outlet relays
                relays = _unique([*relays, *(a.ref for a in self._actors_between(lo, speaker.start)
                                             if a.ref.startswith("org/"))])  # fmt: skip
        lemma = next((t.lemma_ for t in span if base + t.idx == cue_start), cue.word)
        word = "denied" if lemma in DENIALS else cue.word
        frame = [(base + a, base + b) for a, b in attribution.frame(cue.verb)] if cue.verb is not None else []
        said = [(base + a, base + b) for a, b in attribution.content(cue.verb)] if cue.verb is not None else []
        inserted = cue.verb is not None and cue.verb.dep_ == "ccomp" and cue.verb.head.i > cue.verb.i
        if inserted and cue.verb is not None and cue.verb.head.lemma_ not in attribution.SPEECH and cue.speakers:
            # 'On November 14, Melnyk told the council, two KN-23 missiles struck…': an attribution set inside the
            # claim; what comes before its speaker is the claim's ('On November 14' is when the missiles struck)
            first = min(base + t.left_edge.idx for t in cue.speakers)
            said.append((sentence.start, first))
        if cue.verb is not None and cue.verb.lemma_ in ("respond", "reply", "answer", "comment"):
            # 'did not respond to letters Rights Witness sent on 6 October': the day of what the object's own
            # clause tells is not the day of the claim (a report 'released on Tuesday' is: see the release frames)
            objects = [o for c in cue.verb.children if c.dep_ in ("dobj", "prep")
                       for o in ([c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"])]  # fmt: skip
            for clause in (c for o in objects for c in o.children if c.dep_ in ("relcl", "acl")):
                said.append((base + clause.left_edge.idx, base + clause.right_edge.idx + len(clause.right_edge.text)))
        if cue.verb is not None and cue.verb.dep_ == "parataxis" and cue.verb.head.lemma_ not in attribution.SPEECH:
            # 'The most recent, he said, struck an industrial site … on 9 September': an attribution set off in the
            # claim; all around it is the claim's ('on 9 September' is when the missile struck)
            verb = cue.verb
            left, right = base + verb.left_edge.idx, base + verb.right_edge.idx + len(verb.right_edge.text)
            said += [(sentence.start, left), (right, sentence.end)]
        made = [self._make(sentence, (cue_start, cue_end, word), m, relays, quotes, frame, said) for m in speakers]
        for statement in made:
            statement.from_document = any(head.lemma_.lower() in attribution.PUBLICATIONS for head in cue.speakers)
        return made

    def _quote_opened_before(self, sentence: Sentence) -> int | None:
        """Where the quotation a sentence ends opened, if it opened in an earlier sentence of the paragraph."""
        return next((a for a, b in self._paragraph_quotes(sentence) if a < sentence.start < b), None)

    def _make(
        self,
        sentence: Sentence,
        cue: tuple[int, int, str],
        speaker: Match,
        relays: list[str],
        quotes: list[tuple[int, int]],
        frame: list[tuple[int, int]],
        said: list[tuple[int, int]],
    ) -> Statement:
        statement = Statement(
            start=sentence.start,
            end=sentence.end,
            speaker=speaker.ref,
            stance=self._stance(sentence, cue, speaker.ref),
            role=self._role(speaker, sentence) if speaker.text else None,
        )
        statement.date, statement.explicit_date = self._speech_date(sentence, cue, quotes)
        statement.said = said
        # 'said on Friday it had…': a date right after the verb is when, wherever the parser hangs it
        right_after = statement.date is not None and 0 <= statement.date.start - cue[1] <= 4
        in_content = statement.date is not None and (inside(statement.date.start, said) or cue[2] == "according to")
        if in_content and not right_after:
            # a date in what is said ('It cites a strike on 24 April') is the claim's, not when it was made
            statement.date, statement.explicit_date = None, False
        framed = [d for d in self._dates_in(sentence)
                  if inside(d.start, frame) and not inside(d.start, said) and not d.is_period_bound]  # fmt: skip
        if framed:
            statement.date, statement.explicit_date = framed[0], True
        statement.own_time = any(VAGUE_TIME.search(self.text[a:b]) for a, b in frame) or bool(
            HABITUAL.search(self.text[statement.start : statement.end])
        )
        if statement.date is None and (as_of := AS_OF.match(sentence.text)) is not None:
            # 'As of 08:00 on Sunday, the toll had risen to four killed, the governor said': a count given as of
            # a day is given that day
            day = next((d for d in self._dates_in(sentence) if d.start < sentence.start + as_of.end()), None)
            statement.date = _derived(day, f"a count as of '{day.text}', given then") if day is not None else None
        shifted = self._day_after(sentence, frame) or self._night_before(frame) if statement.date is None else None
        if shifted is not None:
            statement.date, statement.explicit_date, statement.own_time = shifted, True, False
        partial = partial_dates(sentence.text, self.published, sentence.start)
        statement.partial = partial[0] if partial else None
        self._describe_claim(statement, sentence, self._actors(sentence), speaker.ref, relays)
        if statement.stance == "no_response" and SPOKESPERSON_FOR_THE.search(speaker.text):
            # 'A spokesperson for the company did not respond': the company did not
            bodies = [m for m in self.mentions if m.end <= speaker.start and m.ref.startswith("org/")
                      and not self._is_outlet(m.ref)]  # fmt: skip
            body = max(bodies, key=lambda m: m.start) if bodies else None
            if body is not None:
                statement.speaker = body.ref
        opened = self._quote_opened_before(sentence)
        if opened is not None:
            # '"Two port workers were killed. A grain terminal was damaged," the statement said.': the quotation
            # opened sentences before; it is one claim, and its figures are the claim's
            # (counted over the whole quotation: 'six ballistic missiles. … at least four of them were KN-23s')
            counts = find_quantities(self.text[opened : sentence.end], opened)
            statement.start = opened
            statement.quantities = [q for q in counts if q.value is not None and q.hedge != "multiple"]
        if speaker.text:
            # 'two people familiar with the shipments said': who speaks is counted, but that is no claim
            statement.quantities = [q for q in statement.quantities if not speaker.start <= q.start < speaker.end]
        return statement
