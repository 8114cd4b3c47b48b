"""The parse-based reader: spaCy's sentences, tree and entities, with the rule reader's dates, counts and events.

It differs from :class:`~missilekg.loaders.extract.claims.ArticleReader` where a
regex cannot follow the language: who speaks (:mod:`.attribution`), which
names are new entities (:mod:`.entities`), and where sentences end. Strikes,
transfers, dates and hedged counts reuse the rule reader's code, run on
spaCy's sentences.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from missilekg.loaders.extract import attribution, transfers
from missilekg.loaders.extract.attribution import Cue
from missilekg.loaders.extract.claims import (
    META,
    RELAYED,
    ArticleReader,
    Statement,
    Strike,
    Transfer,
    _most_specific,
    _unique,
)
from missilekg.loaders.extract.dates import DateMention, partial_dates
from missilekg.loaders.extract.entities import ORG_WORDS, NamedSpan, _state_word, new_entities
from missilekg.loaders.extract.lexicon import Lexicon, Match
from missilekg.loaders.extract.quantities import Quantity, find_quantities
from missilekg.loaders.extract.text import Sentence, inside, quoted_spans, slug

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

ACTORS = ("state", "org", "person", "anon")
PEOPLE_NOUNS = {
    "official", "officials", "source", "sources", "person", "people", "diplomat", "diplomats", "officer",
    "officers", "analyst", "analysts", "expert", "experts", "spokesman", "spokeswoman", "spokesperson",
    "observer", "observers", "investigator", "investigators", "researcher", "researchers", "lawmaker",
    "lawmakers", "resident", "residents", "witness", "witnesses", "insider", "insiders", "aide", "aides",
}  # fmt: skip
INSTITUTIONS = {
    "ministry", "agency", "service", "office", "prosecutor", "prosecutors", "police", "team", "group", "institute",
    "force", "command", "administration", "government", "army", "military", "mission", "embassy", "panel",
    "centre", "center", "department", "council", "committee", "directorate", "staff", "kremlin", "navy",
    "intelligence", "spy", "regime", "authorities", "governor", "mayor", "president", "minister",
}  # fmt: skip
PRONOUNS = {"he", "she", "him", "her", "his", "they", "them", "it"}
#: Common nouns that make an institution of the state or place named before them.
INSTITUTION_HEADS = {
    "ministry", "office", "police", "mission", "embassy", "agency", "administration", "service", "command",
    "force", "forces", "army", "navy", "directorate", "department", "committee", "council", "staff", "guard",
}  # fmt: skip
STRIKE_VERBS = {"strike", "hit", "attack", "fire", "launch", "target", "shell", "slam", "pound", "crash", "land"}
WEAPON_WORDS = {"missile", "drone", "rocket", "bomb", "shell", "shahed", "iskander"}
#: A live blog's entry times: a line that is only a time ('19:02', '12:45 GMT').
TIMESTAMP = re.compile(r"^\s*\d{1,2}[:.]\d\d(?:\s*(?:GMT|BST|CET|CEST|EET|EEST|UTC|KST|am|pm))?\s*$", re.M)
CITED = re.compile(r"\b(?:cited|quoted|reported|carried)\s+by\s+(?:the\s+)?$", re.IGNORECASE)
DENIALS = {"deny", "reject", "dismiss", "refute", "dispute", "contradict"}
LIMITED = {"respond", "comment", "decline", "verify"}


class ParseReader(ArticleReader):
    """Reads one article from its parsed lines (``docs``: each line's offset and spaCy doc)."""

    def __init__(
        self, lexicon: Lexicon, text: str, published: dt.date | None, docs: list[tuple[int, Doc]], page: str = ""
    ) -> None:
        self._docs = docs
        super().__init__(lexicon, text, published)
        self._spans: dict[int, tuple[int, Span]] = {}
        self._had_cue = False
        parsed: list[Sentence] = []
        for base, doc in docs:
            for sent in doc.sents:
                stripped = sent.text.strip()
                if not stripped:
                    continue
                start = base + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
                sentence = Sentence(start, start + len(stripped), stripped)
                parsed.append(sentence)
                self._spans[start] = (base, sent)
        self.sentences = parsed
        self._acronyms()
        self.live_blog = len(TIMESTAMP.findall(page)) >= 2  # the page before its boilerplate was blanked

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

    # -- names ---------------------------------------------------------------

    def _new_people(self, taken: list[tuple[int, int]], matches: list[Match]) -> list[Match]:
        """Named-entity spans the vocabulary does not know (people, organisations, states, places)."""
        spans = [
            NamedSpan(base + ent.start_char, base + ent.end_char, ent.text, ent.label_)
            for base, doc in self._docs
            for ent in doc.ents
            if not ent.ent_id_ and (ent.label_ in ("ORG", "PERSON") or all(t.pos_ == "PROPN" for t in ent))
        ]
        found, minted = new_entities(spans, self.text, self.lexicon, taken, matches)
        self.new_entities.update(minted)
        return found

    def _label(self, ref: str) -> str:
        entity = self.lexicon.get(ref)
        if entity is not None:
            return " ".join([entity.label, *entity.labels, entity.role]).casefold()
        return self.new_entities.get(ref, ("", ref.split("/", 1)[1].replace("-", " ")))[1].casefold()

    # -- strikes -------------------------------------------------------------

    def strikes(self, statements: list[Statement]) -> list[Strike]:
        """The rule reader's strikes, and strikes read from the tree in the sentences it found none in."""
        found = super().strikes(statements)
        covered = {s.start for s in found}
        for sentence in self.sentences:
            if sentence.start in covered or sentence.is_headline or sentence.start not in self._spans:
                continue
            strike = self._parsed_strike(sentence)
            if strike is not None:
                found.append(strike)
        return found

    def _parsed_strike(self, sentence: Sentence) -> Strike | None:
        """'A ballistic missile slammed into … Kryvyi Rih on Monday': a strike verb, a weapon word, a day, a place."""
        base, span = self._spans[sentence.start]
        verb = next((t for t in span if t.lemma_.lower() in STRIKE_VERBS and t.pos_ == "VERB"), None)
        if verb is None or not any(t.lemma_.lower() in WEAPON_WORDS for t in span):
            return None
        quotes = quoted_spans(sentence.text, sentence.start)
        days = [d for d in self._dates_in(sentence) if not d.is_period_bound and not inside(d.start, quotes)]
        places = [p for p in self._mentions_in(sentence, "place") if not inside(p.start, quotes)]
        if not days or not places:
            return None
        target = [p for p in places if any(
            base + c.left_edge.idx <= p.start < base + c.right_edge.idx + len(c.right_edge.text)
            for c in verb.children if c.dep_ in ("dobj", "prep", "nsubjpass"))]  # fmt: skip
        location = _most_specific(target or places, self.lexicon)
        if location is None:
            return None
        weapons = _unique(m.ref for m in self._mentions_in(sentence, "weapon"))
        states = {m.ref for m in self._mentions_in(sentence, "state")}
        russian = "state/russia" in states or re.search(r"\b(?:the enemy|Russian|occupiers)\b", sentence.text)
        counts = [q for q in find_quantities(sentence.text, sentence.start) if q.unit == "missiles"]
        return Strike(
            sentence.start, sentence.end, days[0].date, location, "state/russia" if russian else None, weapons,
            counts[0] if counts else None,
        )  # fmt: skip

    # -- transfers -----------------------------------------------------------

    def transfers(self) -> list[Transfer]:
        """Transfers read from the tree, one per item listed (:mod:`.transfers`); else the rule reader's."""
        found: list[Transfer] = []
        for sentence in self.sentences:
            if sentence.is_headline:
                continue
            made = self._parsed_transfers(sentence, found[-1] if found else None)
            if not made:
                fallback = super()._transfer(sentence)
                made = [fallback] if fallback is not None else []
            found.extend(made)
        return found

    def _parsed_transfers(self, sentence: Sentence, previous: Transfer | None) -> list[Transfer]:
        entry = self._spans.get(sentence.start)
        if entry is None:
            return []
        base, span = entry
        made: list[Transfer] = []
        for verb, supplier_head, recipient_head, item_heads in transfers.transfer_frames(span):
            supplier = self._state_in(transfers.subtree_span(supplier_head, base))
            recipient = self._state_in(transfers.subtree_span(recipient_head, base))
            if recipient is None and previous is not None and supplier == previous.supplier:
                recipient = previous.recipient  # 'Pyongyang also transferred…': the same recipient as before
            kind, status, modality = transfers.status_of(verb)
            destination = self._place_in(transfers.subtree_span(recipient_head, base))
            groups: list[tuple[list[str], Quantity | None]] = []
            uncounted: list[str] = []
            for item in transfers.listed(item_heads):
                item_span = transfers.own_span(item, base)
                weapons = _unique(
                    m.ref for m in self._mentions_in(sentence, "weapon") if item_span[0] <= m.start < item_span[1]
                )
                counts = [
                    q for q in find_quantities(self.text[item_span[0] : item_span[1]], item_span[0])
                    if q.unit not in ("km", "miles", "occasions", "attacks", "regions") and q.value is not None
                ]  # fmt: skip
                if counts:
                    groups.append((weapons, counts[0]))  # each counted item is a transfer of its own
                else:
                    uncounted += weapons
            if uncounted:
                groups.append((_unique(uncounted), None))
            for weapons, count in groups:
                given = supplier
                if given is None and weapons:
                    origins = {getattr(self.lexicon.get(w), "origin", None) for w in weapons} - {None, recipient}
                    given = origins.pop() if len(origins) == 1 else None
                if not given or not recipient or given == recipient:
                    continue
                made.append(
                    Transfer(
                        sentence.start, sentence.end, given, recipient, kind, status, modality, weapons,
                        destination, count,
                    )
                )  # fmt: skip
        return made

    def _state_in(self, span: tuple[int, int] | None) -> str | None:
        """The state a phrase names or stands for (an institution's, a city's), its first such name."""
        if span is None:
            return None
        for m in self.mentions:
            if span[0] <= m.start < span[1] and m.ref.split("/", 1)[0] in ("state", "org", "place"):
                if self.lexicon.is_demonym(m):
                    continue
                state = m.ref if m.ref.startswith("state/") else self.lexicon.state_of(m.ref)
                if state:
                    return state
        return None

    def _place_in(self, span: tuple[int, int] | None) -> str | None:
        if span is None:
            return None
        return next((m.ref for m in self.mentions if span[0] <= m.start < span[1] and m.ref.startswith("place/")), None)

    # -- speakers ------------------------------------------------------------

    def _actors_between(self, start: int, end: int) -> list[Match]:
        sentence = next((s for s in self.sentences if s.start <= start < s.end), None)
        actors = self._actors(sentence) if sentence is not None else []
        return [a for a in actors if start <= a.start and a.end <= end]

    def _speaker_of(self, head: Token, base: int, sentence: Sentence, found: list[Statement]) -> Match | None:
        """The entity a speaker phrase refers to: a name, a pronoun, a title, an institution, a report's author."""
        start, end = (base + offset for offset in attribution.phrase(head))
        head_start = base + head.idx
        if head.pos_ == "PRON" and head.lower_ in PRONOUNS:
            return self._back_reference(head.lower_, start, end, found)
        if attribution.is_report(head):
            author = attribution.report_author(head)
            if author is None and head.tag_ == "NNS" and not any(c.dep_ in ("det", "poss") for c in head.children):
                return Match(start, end, self.text[start:end], "anon/reports")  # 'Reports suggest…', 'media reports'

            if author is not None:
                a_start, a_end = (base + offset for offset in attribution.phrase(author))
                named = self._actors_between(a_start, a_end)
                if named:
                    return named[-1]
            named = [a for a in self._actors_between(start, end) if not a.ref.startswith("anon/")]
            if named:
                return named[-1]
            return self._last_actor(start, ("org",), found, word=None)
        for apposition in attribution.appositions(head):
            a_start, a_end = (base + offset for offset in attribution.phrase(apposition))
            people = [a for a in self._actors_between(a_start, a_end) if a.ref.startswith("person/")]
            if people:
                return people[0]
        actors = self._actors_between(start, end)
        word = head.lemma_.lower()
        determiner = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children)
        bare = determiner and not any(c.dep_ in ("amod", "compound", "poss", "nmod") for c in head.children)
        if bare and (word in PEOPLE_NOUNS or head.lower_ in PEOPLE_NOUNS):
            # 'the official said': the unnamed source or person quoted last
            earlier = self._last_actor(start, ("anon", "person"), found, word=None)
            if earlier is not None:
                return Match(start, end, self.text[start:end], earlier.ref)
        covering = [a for a in actors if a.start <= head_start < a.end]
        people = [
            a for a in actors
            if a.ref.startswith("person/") and not CITED.search(self.text[max(start, a.start - 16) : a.start])
        ]  # fmt: skip
        if covering or people:
            return (covering or people)[-1 if covering else 0]
        named = self._proper_organisation(head, base) or self._institution(head, base, start, end)
        if named is not None:
            return named
        if actors and not (word in PEOPLE_NOUNS or head.lower_ in PEOPLE_NOUNS):
            return actors[0]
        determiner = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children)
        if word in PEOPLE_NOUNS or head.lower_ in PEOPLE_NOUNS:
            if determiner and not any(c.dep_ in ("amod", "compound") for c in head.children):
                earlier = self._last_actor(start, ("anon", "person"), found, word=None)
                if earlier is not None:
                    return Match(start, end, self.text[start:end], earlier.ref)
            phrase = self.text[start:end]
            return Match(start, end, phrase, self._anon_ref(phrase))
        if word in INSTITUTIONS or head.lower_ in INSTITUTIONS:
            earlier = self._last_actor(start, ("org", "state", "person"), found, word=word)
            if earlier is not None:
                return Match(start, end, self.text[start:end], earlier.ref)
        return None

    def _institution(self, head: Token, base: int, start: int, end: int) -> Match | None:
        """An institution named by its state or place and a common noun: "Russia's defence ministry",
        "the Kharkiv regional prosecutor's office", "North Korea's mission to the United Nations"."""
        if head.lower_ not in INSTITUTION_HEADS:
            return None
        head_start = base + head.idx
        owners = [
            m for m in self.mentions
            if start <= m.start < head_start and m.ref.split("/", 1)[0] in ("state", "place")
        ]  # fmt: skip
        if not owners:
            return None
        owner = owners[0]
        rest = re.sub(r"^['’]s\b", "", self.text[owner.end : end]).strip()
        if not rest:
            return None
        prefix = owner.text if owner.ref.startswith("place/") else _state_word(owner.ref, self.lexicon)
        name = f"{prefix} {rest}"
        for candidate in (name, f"{owner.text} {rest}", f"{rest} of {owner.text}"):
            known = self.lexicon._resolve(candidate, "")
            if known is not None and known.startswith("org/"):
                return Match(owner.start, end, self.text[owner.start : end], known)
        label = name[:1].upper() + name[1:]
        ref = "org/" + slug(re.sub(r"['’]", "", label))
        self.new_entities.setdefault(ref, ("Organization", label))
        match = Match(owner.start, end, self.text[owner.start : end], ref)
        self.mentions.append(match)
        return match

    def _proper_organisation(self, head: Token, base: int) -> Match | None:
        """A proper-noun speaker that NER left unlabelled: 'the Kharkiv Regional Military Administration'
        (an organisation by its words), 'Taras Shevchenko, a spokesperson…' (otherwise a person)."""
        if head.pos_ != "PROPN":
            return None
        words = [t for t in head.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [head]
        start, end = base + words[0].idx, base + head.idx + len(head.text)
        name = self.text[start:end]
        if len(words) < 2:
            return None
        if ORG_WORDS.search(name):
            kind, label = "org", "Organization"
        elif len(words) <= 3 and all(w.text.istitle() and w.is_alpha for w in words):
            kind, label = "person", "Person"
        else:
            return None
        ref = f"{kind}/{slug(name)}"
        if ref not in self.lexicon.entities:
            self.new_entities.setdefault(ref, (label, name))
        match = Match(start, end, name, ref)
        self.mentions.append(match)
        return match

    def _back_reference(self, pronoun: str, start: int, end: int, found: list[Statement]) -> Match | None:
        kinds = ("person", "anon") if pronoun in ("he", "she", "him", "her", "his") else ("org", "state", "anon")
        earlier = self._last_actor(start, kinds, found, word=None)
        return Match(start, end, self.text[start:end], earlier.ref) if earlier is not None else None

    def _last_actor(
        self, before: int, kinds: tuple[str, ...], found: list[Statement], word: str | None
    ) -> Match | None:
        """The last speaker (else the last named actor) before a position, of a kind and naming ``word``."""

        def fits(ref: str) -> bool:
            if ref.split("/", 1)[0] not in kinds or self._is_outlet(ref):
                return False
            return word is None or word.rstrip("s") in self._label(ref)

        for statement in reversed(found):
            if statement.start < before and fits(statement.speaker):
                return Match(statement.start, statement.start, "", statement.speaker)
        for mention in reversed(self.mentions):
            if mention.start < before and fits(mention.ref) and not self.lexicon.is_demonym(mention):
                return mention
        return None

    # -- statements ----------------------------------------------------------

    def statements(self) -> list[Statement]:
        """Attributed claims: one per sentence with a cue, one per speaker when speakers are coordinated."""
        found: list[Statement] = []
        for sentence in self.sentences:
            if sentence.is_headline or sentence.start not in self._spans:
                continue
            made = self._parsed_statements(sentence, found)
            rule = self._statement(sentence, found[-1] if found else None) if made else None
            for statement in made:
                if rule is not None and rule.speaker == statement.speaker:
                    # The same speaker by both readers: the rule reader's date cues ('a January 4th press
                    # conference', 'His statement was posted on…') and its follow-up flag fill the gaps.
                    if statement.date is None:
                        statement.date, statement.explicit_date = rule.date, rule.explicit_date
                    statement.meta = statement.meta or rule.meta
            if not made and not self._had_cue:
                fallback = self._statement(sentence, found[-1] if found else None)
                made = [fallback] if fallback is not None and self._fallback_ok(fallback) else []
            found.extend(made)
        resolved = self._resolve_context(self._merge_preambles(found))
        if self.live_blog and self.published is not None:
            entry = DateMention(-1, -1, "", self.published, True, f"Live-blog entry of {self.published}", False)
            for statement in resolved:
                if statement.date is None:
                    statement.date = entry
        return resolved

    def _merge_preambles(self, found: list[Statement]) -> list[Statement]:
        """'Tehran rejected the accusations. Foreign ministry spokesman X wrote…': one claim, by the person who
        gives it; a short line by a state or institution followed at once by its spokesperson's words."""
        merged: list[Statement] = []
        for statement in found:
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and previous.speaker.startswith(("state/", "org/"))
                and not previous.quantities
                and len(self.text[previous.start : previous.end].split()) <= 8
                and self._adjacent(previous, statement)
                and (statement.speaker.startswith("person/") or statement.speaker.startswith("anon/"))
            ):
                statement.start = previous.start
                if statement.speaker.startswith("anon/"):
                    statement.speaker = previous.speaker
                merged[-1] = statement
                continue
            merged.append(statement)
        return merged

    def _fallback_ok(self, statement: Statement) -> bool:
        """Where the parse finds no cue, the rule reader's statement is kept unless it names no speaker's words.

        ('The Friday announcement was given by X, who said…' has no speech verb with a subject in the tree.)
        """
        return bool(statement.speaker)

    def _parsed_statements(self, sentence: Sentence, found: list[Statement]) -> list[Statement]:
        base, span = self._spans[sentence.start]
        quotes = quoted_spans(sentence.text, sentence.start)
        found_cues = attribution.cues(span)
        # A speech verb whose speaker cannot be named: no guess by the rule reader either.
        self._had_cue = any(not inside(base + c.start, quotes) for c in found_cues)
        options: list[tuple[Cue, list[Match]]] = []
        for cue in found_cues:
            cue_start = base + cue.start
            if inside(cue_start, quotes):
                continue
            speakers = [m for head in cue.speakers if (m := self._speaker_of(head, base, sentence, found))]
            speakers = list({m.ref: m for m in speakers}.values())
            if speakers:
                options.append((cue, speakers))
                break
        if not options:
            return []
        cue, speakers = options[0]
        cue_start, cue_end = base + cue.start, base + cue.end
        relays = [
            m.ref for head in cue.relays
            for m in self._actors_between(*(base + o for o in attribution.phrase(head)))
        ]  # fmt: skip
        lemma = next((t.lemma_ for t in span if base + t.idx == cue_start), cue.word)
        word = "denied" if lemma in DENIALS else cue.word
        frame = [(base + a, base + b) for a, b in attribution.frame(cue.verb)] if cue.verb is not None else []
        return [self._make(sentence, (cue_start, cue_end, word), m, relays, quotes, frame) for m in speakers]

    def _make(
        self,
        sentence: Sentence,
        cue: tuple[int, int, str],
        speaker: Match,
        relays: list[str],
        quotes: list[tuple[int, int]],
        frame: list[tuple[int, int]],
    ) -> Statement:
        statement = Statement(
            start=sentence.start,
            end=sentence.end,
            speaker=speaker.ref,
            stance=self._stance(sentence, cue, speaker.ref),
            role=self._role(speaker, sentence) if speaker.text else None,
        )
        statement.date, statement.explicit_date = self._speech_date(sentence, cue, quotes)
        framed = [d for d in self._dates_in(sentence) if inside(d.start, frame) and not d.is_period_bound]
        if framed:
            statement.date, statement.explicit_date = framed[0], True
        partial = partial_dates(sentence.text, self.published, sentence.start)
        statement.partial = partial[0] if partial else None
        statement.quantities = [q for q in find_quantities(sentence.text, sentence.start) if q.hedge != "multiple"]
        statement.weapons = _unique(m.ref for m in self._mentions_in(sentence, "weapon"))
        actors = self._actors(sentence)
        statement.relayed_via = _unique(
            [r for r in relays if r != speaker.ref]
            + [
                m.ref for m in actors
                if m.ref != speaker.ref and self._is_outlet(m.ref)
                and RELAYED.search(self.text[max(0, m.start - 20) : m.start])
            ]
        )  # fmt: skip
        statement.venue = self._venue(sentence)
        statement.meta = bool(META.search(sentence.text)) and not statement.quantities
        return statement
