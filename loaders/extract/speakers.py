"""Who a speaker phrase refers to: a name, a pronoun, "the ministry", a title, a report's author.

A mixin of :class:`~missilekg.loaders.extract.parse.ParseReader`, between the
tree (:mod:`.attribution` gives the phrase) and the article's entities.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import TYPE_CHECKING

from missilekg.loaders.extract import attribution
from missilekg.loaders.extract.claims import Statement
from missilekg.loaders.extract.entities import (
    BYLINE,
    COUNTRIES,
    COUNTRY_ALIASES,
    ORG_WORDS,
    _state_word,
    family_name_mentions,
    named_as_body,
    only_body_of_a_named_state,
    without_title,
)
from missilekg.loaders.extract.events import EventReader
from missilekg.loaders.extract.lexicon import Match
from missilekg.loaders.extract.text import Sentence, inside, slug

if TYPE_CHECKING:
    from spacy.tokens import Token

PEOPLE_NOUNS = {
    "official", "officials", "source", "sources", "person", "people", "diplomat", "diplomats", "officer",
    "officers", "analyst", "analysts", "expert", "experts", "spokesman", "spokeswoman", "spokesperson",
    "observer", "observers", "investigator", "investigators", "researcher", "researchers", "lawmaker",
    "lawmakers", "resident", "residents", "witness", "witnesses", "insider", "insiders", "aide", "aides",
    "milblogger", "milbloggers", "blogger", "bloggers", "commentator", "commentators", "journalist", "journalists",
    "reporter", "reporters", "correspondent", "correspondents", "activist", "activists", "volunteer",
    "volunteers", "soldier", "soldiers", "commander", "commanders", "eyewitness", "eyewitnesses", "channel",
    "channels", "rescuer", "rescuers", "doctor", "doctors", "medic", "medics", "paramedics", "firefighters",
    "adviser", "advisers", "advisor", "advisors", "envoy", "envoys", "ambassador", "negotiator", "negotiators",
    "attaché", "attache", "attachés", "attaches", "gunner", "gunners", "crews", "pilots",
}  # fmt: skip
INSTITUTIONS = {
    "ministry", "agency", "service", "office", "prosecutor", "prosecutors", "police", "team", "group", "institute",
    "force", "command", "administration", "government", "army", "military", "mission", "embassy", "panel",
    "centre", "center", "department", "council", "committee", "directorate", "staff", "kremlin", "navy",
    "intelligence", "spy", "regime", "authorities", "governor", "mayor", "president", "minister",
}  # fmt: skip
#: Words of INSTITUTIONS that name a person holding an office as well as the office.
OFFICE_HOLDERS = {"prosecutor", "prosecutors", "governor", "mayor", "president", "minister"}
PRONOUNS = {"he", "she", "him", "her", "his", "they", "them", "it"}
#: Common nouns that make an institution of the state or place named before them.
INSTITUTION_HEADS = {
    "ministry", "office", "police", "mission", "embassy", "agency", "administration", "service", "command",
    "force", "forces", "army", "navy", "directorate", "department", "committee", "council", "staff", "guard",
    "intelligence",
}  # fmt: skip
#: Common nouns for a state's bodies taken together: with the state before them, a body of their own
#: ('Ukrainian authorities', 'Ukraine's military'), as the seeds keep 'South Korean authorities' (state media stay
#: their state's voice).
STATE_COLLECTIVES = {"authorities", "military", "defences", "defenses", "prosecutors"}
#: A word shaped like a nationality at the start of a name: 'Japanese', 'Polish', 'Israeli', 'Russian'.
DEMONYM_SHAPE = re.compile(r"(?:the\s+)?[A-Z][a-z]+(?:ese|an|ian|ish|i)\s")
#: Common nouns for a body that a name need not contain ('the agency' for the National Intelligence Service).
BODIES = {"agency", "service", "office", "ministry", "directorate", "department", "administration", "body"}
#: Bodies always named by their word: 'the ministry' is never the General Staff that spoke before it.
NAMED_BODIES = {"ministry", "office", "department", "administration"}
#: What a description of an institution says it does, in the words its name would use.
DESCRIPTIONS = {"spy": "intelligence", "defense": "defence", "prosecutors": "prosecutor"}
#: Words that tell one kind of institution from another, for matching a description to a name.
KIND_WORDS = {"intelligence", "foreign", "defence", "prosecutor", "police", "emergency", "interior", "border"}
#: Words for a business that its name beside it names: 'the company, Solent Microsystems, denied…'.
FIRMS = {"company", "firm", "manufacturer", "maker", "exporter", "supplier", "distributor", "trader"}
#: What a body or a person speaks through: "the ministry's Telegram channel", "his X account".
OUTLET_NOUNS = {"channel", "account", "website", "page", "feed", "site"}
#: The speaker of 'authorities said' before the article names the body: the next body to speak, if one does;
#: else a body named by the phrase, or no one for a document (offsets follow: 'pending/authorities/body/120-137').
UNNAMED_AUTHORITIES = "pending/authorities"
#: The word of a pending office holder ('Iran's defence minister said…'), settled by the person who speaks next.
HOLDER = "holder"
#: Words of a city's or a region's own bodies: a capital that owns one is the city, not its state.
LOCAL_BODY = re.compile(r"\b(?:military administration|city|regional|police|council|mayor)\b", re.IGNORECASE)
#: What an article calls a non-governmental body it has named: 'the think tank', 'the watchdog'.
GENERIC_BODIES = {
    "tank", "watchdog", "organisation", "organization", "ngo", "charity", "outfit", "nonprofit", "monitor",
}  # fmt: skip
#: Where channels are kept, not channels themselves.
PLATFORMS = {"Telegram", "X", "Twitter", "Facebook", "YouTube", "VK", "VKontakte", "Instagram", "WhatsApp"}
#: What an apposition calls a body it describes: 'Frontline Geolab, a Kharkiv-based open-source research group'.
DESCRIBED_BODIES = GENERIC_BODIES | FIRMS | {
    "group", "team", "institute", "project", "initiative", "network", "outlet", "agency", "unit", "collective",
    "website", "site", "channel", "newspaper", "broadcaster", "platform", "consultancy", "foundation", "centre",
    "center",
}  # fmt: skip
#: Unnamed staff whose finding is their institution's: 'researchers at RUSI found…'.
STAFF = {"researchers", "analysts", "experts", "investigators", "specialists", "scientists"}
#: Ukrainian bodies that reporting on the war names without their state when no other such body is named.
HOME_BODIES = {
    "air force": "org/ukrainian-air-force", "general staff": "org/general-staff-of-ukraine",
    "state emergency service": "org/state-emergency-service-of-ukraine",
    "prosecutor general's office": "org/prosecutor-general-of-ukraine",
}  # fmt: skip
#: Words for a body that speaks as a body when nothing earlier names it: 'Police said', 'the city council said'.
COLLECTIVE_BODIES = {
    "police", "council", "services", "service", "administration", "prosecutors", "team", "group", "panel",
}  # fmt: skip
#: Of those, the words that name a new body only when it is introduced ('a multinational sanctions monitoring
#: team said'); 'the group said' is a group named before.
UNNAMED_BODIES = {"team", "group", "panel"}
CITED = re.compile(r"\b(?:cited|quoted|reported|carried)\s+by\s+(?:the\s+)?$", re.IGNORECASE)


class SpeakerReader(EventReader):
    """Resolves speaker phrases against the article's mentions and earlier statements."""

    # -- speakers ------------------------------------------------------------

    @property
    def _issuer(self) -> str | None:
        """The body whose own page the article is, speaking in its first person (see the parse reader)."""
        return None

    def _actors_between(self, start: int, end: int) -> list[Match]:
        sentence = next((s for s in self.sentences if s.start <= start < s.end), None)
        actors = self._actors(sentence) if sentence is not None else []
        return [a for a in actors if start <= a.start and a.end <= end]

    def _speaker_of(self, head: Token, base: int, sentence: Sentence, found: list[Statement]) -> Match | None:
        """The entity a speaker phrase refers to: a name, a pronoun, a title, an institution, a report's author."""
        if head.pos_ in ("VERB", "AUX") and head.lemma_ in attribution.HEARSAY and attribution.agentless(head):
            # the cue itself stands for its speaker: 'is believed to…' is said by no one named (attribution.cues)
            return Match(base + head.idx, base + head.idx, "", "anon/reports")
        opening = next((t for t in head.sent if not t.is_space), head)
        opening_name = head.doc[opening.i : head.i + 1]
        if head.pos_ == "PROPN" and opening.ent_iob_ == "B" and opening_name and all(
            t.ent_type_ == "PERSON" for t in opening_name
        ):
            # 'Andrii Chernyak, a spokesman for …, says…': the name the sentence opens on, however it was parsed
            named = [m for m in self.mentions if m.start <= base + head.idx < m.end and m.ref.startswith("person/")]
            if named:
                return named[0]
        part_of = attribution.one_of(head)
        if part_of is not None and (part_of.lemma_.lower() in PEOPLE_NOUNS or part_of.lower_ in PEOPLE_NOUNS):
            # 'One of the three sources estimated…': the sources quoted before
            return self._speaker_of(part_of, base, sentence, found)
        own_name = attribution.name_after(head)
        if own_name is not None:
            # "North Korea's state news agency KCNA": the description's own name, just after it
            naming = [m for m in self.mentions if m.start <= base + own_name.idx < m.end]
            if naming:
                return naming[-1]
        start, end = (base + offset for offset in attribution.phrase(head))
        head_start = base + head.idx
        quoted = head.dep_ == "dobj" and head.head.lemma_ in ("quote", "cite")  # "Rep. Lee … quoted the NIS as saying"
        if head.dep_ in ("appos", "pobj", "dobj", "conj", "compound") and head.head.i < head.i and not quoted:
            # The parser hung the speaker elsewhere ('…, Andrii Chernyak, spokesperson for X, said'): a name
            # set off by commas just before the title phrase is the speaker.
            apposed = self._apposed_person(sentence, start)
            if apposed is not None:
                return apposed
        if head.pos_ == "PRON" and head.lower_ in PRONOUNS:
            antecedent = attribution.governing_subject(head)
            if antecedent is not None:
                # "Poland's foreign ministry summoned the ambassador to protest what it called…": the clause's
                # own subject, not whoever spoke last
                subject = self._speaker_of(antecedent, base, sentence, found)
                if subject is not None:
                    return Match(start, end, self.text[start:end], subject.ref)
            return self._back_reference(head.lower_, start, end, found)
        if attribution.is_report(head):
            cited = [o for c in head.children if c.dep_ == "acl" and c.lemma_ in attribution.RELAY_VERBS
                     for o in c.children if o.dep_ == "dobj"]  # fmt: skip
            if cited:
                # 'according to a Reuters report citing two sources familiar with the shipments': the sources
                source = self._speaker_of(cited[0], base, sentence, found)
                if source is not None:
                    return source
            author = attribution.report_author(head)
            if author is None and head.tag_ == "NNS" and not any(c.dep_ in ("det", "poss") for c in head.children):
                return Match(start, end, self.text[start:end], "anon/reports")  # 'Reports suggest…', 'media reports'

            if author is not None:
                a_start, a_end = (base + offset for offset in attribution.phrase(author))
                named = self._actors_between(a_start, a_end)
                covering = [m for m in named if m.start <= base + author.idx < m.end]
                if named and (covering or author.pos_ != "PROPN"):
                    return (covering or named)[-1]
                if author.pos_ == "PROPN":
                    # 'data reviewed by The Meridian', 'a statement released by the General Staff': an author the
                    # recogniser did not tag is still a body (a name known in part, or a new one)
                    known = self._proper_organisation(author, base)
                    if known is not None and known.ref.startswith("org/"):
                        return known
                    the = re.match(r"the\s+", self.text[a_start:a_end])
                    a_start += the.end() if the else 0
                    if self.text[a_start:a_end][:1].isupper():
                        return self._mint_body(a_start, a_end)
            named = [a for a in self._actors_between(start, end) if not a.ref.startswith("anon/")]
            if named:
                return named[-1]
            if author is not None and author.pos_ == "NOUN":
                # 'the monitoring team's report': the team named before, not whichever body spoke last
                return self._last_actor(start, ("org",), found, word=author.lemma_.lower())
            if head.lemma_.lower() in attribution.AUTHORED_LATER:
                # 'according to the indictment unsealed on Tuesday' before 'The Justice Department said'
                return self._pending(start, end, document=True)
            # 'the report says' is by the body named before the sentence, not one its findings name; an
            # investigation no one has been named for yet is by the body the next sentences name
            earlier = self._last_actor(sentence.start, ("org",), found, word=None)
            if earlier is not None and not self._is_outlet(earlier.ref):
                return earlier
            return self._pending(start, end, document=True)
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if head.lemma_.lower() in OUTLET_NOUNS and owner is not None and owner.pos_ != "PRON":
            # "the Russian Defence Ministry's Telegram channel said": the channel's owner speaks on it
            owning = self._speaker_of(owner, base, sentence, found)
            if owning is not None and owning.ref.startswith(("org/", "person/", "state/")):
                return owning
        named_head = any(m.ref.startswith("person/") and m.start <= head_start < m.end for m in self.mentions)
        appositions = attribution.appositions(head) if not named_head else []
        if head.lower_ in FIRMS and not appositions:
            # the parser may hang the firm's name elsewhere in the phrase ('One company named in the report, the
            # Hampshire-based Solent Microsystems, denied…')
            appositions = [t for t in head.subtree if t.pos_ == "PROPN" and t.i > head.i
                           and t.dep_ not in ("compound", "poss", "npadvmod")]  # fmt: skip
        for apposition in appositions:
            # ('Kim Yo Jong, the powerful sister of leader Kim Jong Un': the apposition describes the name)
            a_start, a_end = (base + offset for offset in attribution.phrase(apposition))
            people = [a for a in self._actors_between(a_start, a_end) if a.ref.startswith("person/")]
            if people:
                return people[0]
            if head.lower_ in INSTITUTION_HEADS | BODIES | FIRMS and apposition.pos_ == "PROPN":
                # "Ukraine's military intelligence agency, HUR, said": the body's name beside its description
                named = [m for m in self.mentions if m.ref.startswith("org/")
                         and m.start <= base + apposition.idx < m.end]  # fmt: skip
                if named:
                    return named[0]
                if head.lower_ in FIRMS:
                    # 'One company named in the report, the Hampshire-based Solent Microsystems, denied…'
                    organisation = self._proper_organisation(apposition, base)
                    if organisation is not None and organisation.ref.startswith("org/"):
                        return organisation
                    a_start, a_end = (base + offset for offset in attribution.phrase(apposition))
                    name = self.text[a_start:a_end]
                    the = re.match(r"(?:the\s+)?(?:[\w-]+-based\s+)?", name, re.IGNORECASE)
                    return self._mint_body(a_start + (the.end() if the else 0), a_end)
        if head.lower_ in ("mps", "legislators", "parliamentarians") and not any(
            c.dep_ in ("amod", "compound", "poss") for c in head.children
        ):
            # 'MPs concluded that…' in coverage of a committee's report: the committee named before speaks
            committee = self._last_actor(start, ("org",), found, word="committee")
            if committee is not None:
                return Match(start, end, self.text[start:end], committee.ref)
            return Match(start, end, self.text[start:end], self._anon_ref(self.text[start:end]))
        actors = self._actors_between(start, end)
        word = head.lemma_.lower()
        if head.lower_ in STAFF:
            # 'researchers at the Royal United Services Institute found…': the institute's finding
            employers = [base + g.idx for c in head.children if c.dep_ == "prep" and c.lower_ in ("at", "from", "of")
                         for g in c.children if g.dep_ == "pobj"]  # fmt: skip
            bodies = [a for a in actors if a.ref.startswith("org/") and any(a.start <= e < a.end for e in employers)]
            if bodies and not self._is_outlet(bodies[0].ref):
                return bodies[0]
        determiner = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children)
        bare = determiner and not any(c.dep_ in ("amod", "compound", "poss", "nmod") for c in head.children)
        if bare and head.lower_ == "channel":
            # 'The channel, which has 1.3 million subscribers, said…': the channel named last, no state's body
            channels = [m for m in self.mentions if m.start < start and m.ref.startswith("org/")
                        and self.lexicon.state_of(m.ref) is None and m.ref not in self._writers
                        and m.text not in PLATFORMS and m.ref != self._issuer]  # fmt: skip
            if channels:
                return Match(start, end, self.text[start:end], channels[-1].ref)
        if bare and (word in PEOPLE_NOUNS or head.lower_ in PEOPLE_NOUNS):
            # 'the sources said': the unnamed sources quoted last by that word, else whoever was quoted last
            earlier = (
                self._last_anonymous(start, head.lower_, found)
                or self._last_actor(start, ("anon",), found, word=word)
                or self._last_actor(start, ("anon", "person"), found, word=None)
            )
            if earlier is not None:
                return Match(start, end, self.text[start:end], earlier.ref)
        covering = [a for a in actors if a.start <= head_start < a.end]
        people = [
            a for a in actors
            if a.ref.startswith("person/") and not CITED.search(self.text[max(start, a.start - 16) : a.start])
            and not (head.lower_ in PEOPLE_NOUNS and a.start > head_start)  # 'an aide to Zelenskyy': the aide
        ]  # fmt: skip
        if covering and covering[-1].ref.startswith("anon/") and (word in PEOPLE_NOUNS or head.lower_ in PEOPLE_NOUNS):
            # 'an NIS official', 'a State Department spokesperson': the whole phrase names the unnamed source
            phrase = self.text[start:end]
            if len(phrase) > len(covering[-1].text):
                return Match(start, end, phrase, self._anon_ref(phrase))
        if covering or people:
            chosen = (covering or people)[-1 if covering else 0]
            if chosen.ref.startswith("person/") and " " not in chosen.text.strip():
                # 'Kim said' after a statement by Kim Yo Jong: the speaker of that name who spoke last
                word = chosen.text.strip().casefold()
                spoke = next((s.speaker for s in reversed(found) if s.speaker.startswith("person/")
                              and word in self._label(s.speaker).split()), None)  # fmt: skip
                if spoke is not None and spoke != chosen.ref:
                    return Match(chosen.start, chosen.end, chosen.text, spoke)
            return chosen
        institution = self._proper_organisation(head, base) or self._institution(head, base, start, end, found)
        if institution is not None:
            return institution
        written = re.sub(r"^(?:the|The)\s+", "", self.text[start:end])
        if head.lower_ in PEOPLE_NOUNS and written[:1].isupper() and " " in written and named_as_body(
            written, self.text
        ):
            # 'Rights Witness could not verify…' (its 'Witness' a noun to the tagger): the body the article gives
            # researchers, not an unnamed witness
            return self._mint_body(end - len(written), end)
        holder = head.lower_ in ("minister", "governor", "mayor") and any(c.dep_ == "poss" for c in head.children)
        if holder and self._last_actor(start, ("person",), found, word=head.lower_) is None:
            # "Iran's defence minister said on Wednesday…" in a lead, "Brigadier General Aziz Nasirzadeh told
            # reporters" next: the person who speaks next; else an unnamed official, not the state
            return self._pending(start, end, word=HOLDER)
        if actors and not (word in PEOPLE_NOUNS or head.lower_ in PEOPLE_NOUNS):
            return actors[0]
        # ('The London-based think tank estimates…' misparsed: the article hangs on the verb the noun is a compound of)
        determiner = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                         for c in [*head.children, *(head.head.children if head.dep_ == "compound" else [])])
        if word in PEOPLE_NOUNS or head.lower_ in PEOPLE_NOUNS:
            if determiner and not any(c.dep_ in ("amod", "compound") for c in head.children):
                earlier = self._last_actor(start, ("anon", "person"), found, word=None)
                if earlier is not None:
                    return Match(start, end, self.text[start:end], earlier.ref)
            phrase = self.text[start:end]
            top = any(c.dep_ == "amod" and c.lower_ == "top" for c in head.children) and head.tag_ == "NN"
            if determiner and top:
                # 'the top US commander in Europe told Congress…' in a lead, named in the next paragraph: one
                # person, the one who speaks next; else an unnamed source
                return self._pending(start, end, word=HOLDER)
            return Match(start, end, phrase, self._anon_ref(phrase))
        if word in INSTITUTIONS or head.lower_ in INSTITUTIONS:
            # a person by the office in their role ('the prosecutor'); a body's word is not a person's
            # ('the Kremlin' is not its spokesman)
            kinds = ("org", "state", "person") if word in OFFICE_HOLDERS else ("org", "state")
            earlier = self._last_actor(start, kinds, found, word=word)
            if earlier is not None and not self._fits_qualifiers(head, base, earlier.ref):
                earlier = None  # 'British defence intelligence' is not the Conflict Intelligence Team named before
            if earlier is None and determiner and not bare:
                # 'the spy agency' in an article that names the National Intelligence Service
                described = self._named_institution(self.text[start:end], None)
                earlier = Match(start, end, self.text[start:end], described) if described is not None else None
            if earlier is None and bare and word in BODIES:
                # 'the agency said' after 'the National Intelligence Service (NIS) said': the body that just spoke
                earlier = next((Match(s.start, s.start, "", s.speaker) for s in reversed(found[-3:])
                                if s.speaker.startswith("org/") and not self._is_outlet(s.speaker)
                                and (word not in NAMED_BODIES or word in self._label(s.speaker))), None)  # fmt: skip
            if earlier is None and (head.lower_ == "authorities" or (head.lower_ == "prosecutors" and not determiner)):
                # 'regional authorities said' in a lead, 'the Sumy regional military administration said' next:
                # settled once the next sentences are read (ParseReader.statements)
                earlier = self._pending(start, end)
            if earlier is None and determiner:
                # 'Russia launched 96 drones overnight, the air force said': Ukraine's, in this field's reporting
                body = " ".join(self.text[start:end].split()[1:])
                home = HOME_BODIES.get(body.casefold().replace("’", "'"))
                if home is not None and not self._other_states_body(body, start):
                    earlier = Match(start, end, self.text[start:end], home)
            if earlier is None and head.lower_ == "agencies" and not determiner:
                # 'Western intelligence agencies estimate…': bodies no one names, an unnamed source
                phrase = self.text[start:end]
                return Match(start, end, phrase, self._anon_ref(phrase))
            owned = any(c.dep_ == "poss" for c in head.children)
            introduced = head.lower_ not in UNNAMED_BODIES or not (determiner or owned)
            if earlier is None and head.lower_ in COLLECTIVE_BODIES and introduced:
                # 'Police said…' in a lead, 'the Chernihiv regional police said' next: that body; with none of that
                # word speaking next, a body of its own
                return self._pending(*_without_article(self.text, start, end), word=head.lower_)
            if earlier is not None:
                return Match(start, end, self.text[start:end], earlier.ref)
        elif determiner and head.pos_ == "NOUN" and len(word) >= 4:
            # 'according to the monitors', 'the office said': the organisation named before by that word
            earlier = self._last_actor(start, ("org",), found, word=word.rstrip("s"))
            if earlier is None and word in GENERIC_BODIES:
                # 'the think tank concluded', 'the watchdog said': the organisation that spoke last
                earlier = self._last_actor(start, ("org",), found, word=None)
                if earlier is not None and self._is_outlet(earlier.ref):
                    earlier = None
            if earlier is not None:
                return Match(start, end, self.text[start:end], earlier.ref)
        return None

    def _fits_qualifiers(self, head: Token, base: int, ref: str) -> bool:
        """Whether an actor's name fits the capitalised words that qualify a common noun ('British defence
        intelligence', 'the Ukrainian military'): each is a state the actor belongs to, or a word of its name."""
        label = self._label(ref)
        for child in head.children:
            if child.dep_ not in ("amod", "compound", "nmod") or not child.text[:1].isupper() or not child.is_alpha:
                continue
            at = base + child.idx
            states = {m.ref for m in self.mentions if m.start <= at < m.end and m.ref.startswith("state/")}
            if states and (self.lexicon.state_of(ref) in states or ref in states):
                continue
            if child.lower_ not in label:
                return False
        return True

    def _apposed_person(self, sentence: Sentence, phrase_start: int) -> Match | None:
        """A person named between commas right before the phrase: ', NAME, a spokesperson for X,'."""
        before = self.text[sentence.start : phrase_start]
        m = re.search(r",\s*([^,]{2,60}),\s*(?:[^,]{0,80})$", before)
        if m is None:
            return None
        lo, hi = sentence.start + m.start(1), sentence.start + m.end(1)
        people = [a for a in self._actors_between(lo, hi) if a.ref.startswith("person/")]
        return people[0] if people else None

    def _institution(
        self, head: Token, base: int, start: int, end: int, found: list[Statement] | None = None
    ) -> Match | None:
        """An institution named by its state or place and a common noun: "Russia's defence ministry",
        "the Kharkiv regional prosecutor's office", "North Korea's mission to the United Nations"."""
        if head.lower_ not in INSTITUTION_HEADS | STATE_COLLECTIVES:
            return None
        head_start = base + head.idx
        owners = [
            m for m in self.mentions
            if start <= m.start < head_start and m.ref.split("/", 1)[0] in ("state", "place")
        ]  # fmt: skip
        # 'its foreign ministry', 'the country's spy agency': the state just spoken of
        its = [c for c in head.children if c.dep_ == "poss" and c.lower_ in ("its", "their", "country", "nation")]
        of = [
            m for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
            for m in self.mentions
            if m.ref.startswith("place/") and base + c.idx <= m.start < base + c.right_edge.idx + len(c.right_edge.text)
        ]  # fmt: skip
        if not owners and of:
            # 'the police of Odesa region': the place named after the institution owns it
            owner, first = of[0], start
            rest = self.text[start : base + head.idx + len(head.text)]
            rest = re.sub(r"^(?:the|The)\s+", "", rest)
            place = self.lexicon.get(owner.ref)
            label = place.label if place is not None else self.new_entities.get(owner.ref, ("", owner.text))[1]
            owner = Match(owner.start, owner.end, label, owner.ref)
        elif not owners and its:
            # 'North Korea did not respond. Its foreign ministry…': the state just spoken of owns it
            states = [m for m in self.mentions if m.end <= start and m.ref.startswith("state/")]
            if its[0].lower_ in ("country", "nation"):
                # 'South Korea's military said…, while the country's spy agency told…': the state of the body or
                # state named last, not a state the claim is about
                states = [Match(m.start, m.end, m.text, owned) for m in self.mentions if m.end <= start
                          and (owned := m.ref if m.ref.startswith("state/") else self.lexicon.state_of(m.ref))
                          and not self.lexicon.is_demonym(m)]  # fmt: skip
                speakers = [Match(f.start, f.start, "", state) for f in found or [] if f.start < start
                            and (state := self.lexicon.state_of(f.speaker) or (
                                f.speaker if f.speaker.startswith("state/") else None))]  # fmt: skip
                states = speakers[-1:] or states
            if not states:
                return None
            owner = states[-1]
            rest = re.sub(r"^['’]s\b", "", self.text[base + its[0].idx + len(its[0].text) : end]).strip()
            first = base + its[0].left_edge.idx
        elif not owners and re.search(r"\bregional\b", self.text[start:end], re.IGNORECASE):
            # 'according to the regional police' in a report from Kharkiv: the body of the region last named
            return self._regional_body(start, end)
        elif not owners:
            return None
        else:
            owner = owners[0]
            rest = re.sub(r"^['’]s\b", "", self.text[owner.end : end]).strip()
            first = owner.start
            capital = f"place/{slug(owner.text)}"
            if owner.ref.startswith("state/") and LOCAL_BODY.search(rest) and capital in self.lexicon.entities:
                # 'Kyiv's military administration' is the city's, though 'Kyiv said' is Ukraine's
                owner = Match(owner.start, owner.end, owner.text, capital)
        if not rest:
            return None
        inner = [m for m in self.mentions if first <= m.start and m.end <= head_start and m.ref.startswith("org/")]
        if inner:
            return inner[-1]  # "North Korea's official KCNA news agency": the name before the description's noun
        prefix = owner.text if owner.ref.startswith("place/") else _state_word(owner.ref, self.lexicon)
        name = f"{prefix} {rest}"
        candidates = [name, f"{owner.text} {rest}", f"{rest} of {owner.text}", f"{owner.text} {head.text}"]
        # Ukrainian bodies are named by oblast: 'the Kharkiv regional police' is the Kharkiv Oblast police
        candidates += [re.sub(r"\bregional\b", "Oblast", c) for c in candidates if "regional" in c]
        office = re.fullmatch(r"(.+?)['’]s\s+(\w+)", rest)
        if office:  # "Ukraine's Prosecutor General's Office": the Office of the Prosecutor General of Ukraine
            candidates.append(f"{office.group(2)} of the {office.group(1)} of {owner.text}")
        for candidate in candidates:
            known = self.lexicon._resolve(candidate, "")
            if known is not None and known.startswith("org/"):
                return Match(first, end, self.text[first:end], known)
        named = self._named_institution(rest, owner.ref) or self._owned_named_before(owner.ref, head.lower_, first)
        if named is not None:
            return Match(first, end, self.text[first:end], named)
        label = name[:1].upper() + name[1:]
        ref = "org/" + slug(re.sub(r"['’]", "", label))
        self.new_entities.setdefault(ref, ("Organization", label))
        match = Match(first, end, self.text[first:end], ref)
        self.mentions.append(match)
        return match

    def _owned_named_before(self, state: str, noun: str, before: int) -> str | None:
        """The one organisation of a state named earlier by a name with this noun: 'the British ministry' after
        'Britain's Ministry of Defence'."""
        named = {
            m.ref for m in self.mentions
            if m.start < before and m.ref.startswith("org/") and self.lexicon.state_of(m.ref) == state
            and noun in self._label(m.ref).split()
        }  # fmt: skip
        return named.pop() if len(named) == 1 else None

    def _regional_body(self, start: int, end: int) -> Match | None:
        """The vocabulary's body of the region of the last place named before: 'the regional police' after
        'Kharkiv' is the Kharkiv Oblast police. Nothing is minted: an unknown body stays unresolved."""
        rest = re.sub(r"^(?:the|The)\s+", "", self.text[start:end])
        places = [m.ref for m in self.mentions if m.end <= start and m.ref.startswith("place/")]
        for ref in dict.fromkeys(reversed(places)):  # the latest named first
            place = self.lexicon.get(ref)
            region = self.lexicon.get(place.located_in) if place is not None and place.located_in else None
            for entity in (place, region):
                if entity is None or not entity.label:
                    continue
                for name in (entity.label, f"{entity.label} regional"):
                    known = self.lexicon._resolve(re.sub(r"\bregional\b", name, rest), "")
                    if known is not None and known.startswith("org/"):
                        return Match(start, end, self.text[start:end], known)
        sentence = next((s for s in self.sentences if s.start <= start < s.end), None)
        here = [m for m in self.mentions if sentence is not None and sentence.start <= m.start < start
                and m.ref.startswith("place/") and m.ref.endswith("-oblast")]  # fmt: skip
        if here:
            # 'In Kherson region, …, the regional military administration reported': the body of the region the
            # sentence names, minted when the vocabulary lacks it
            oblast = self._label_of(here[-1].ref).removesuffix(" oblast").title()
            return self._mint_body_named(start, end, f"{oblast} {rest.title()}")
        return None

    def _label_of(self, ref: str) -> str:
        entity = self.lexicon.get(ref)
        return (entity.label if entity is not None else self.new_entities.get(ref, ("", ""))[1]).casefold()

    def _mint_body_named(self, start: int, end: int, label: str) -> Match:
        """A new organisation the words between two offsets refer to, by a name the article implies."""
        ref = "org/" + slug(re.sub(r"['’]", "", label))
        if ref not in self.lexicon.entities:
            self.new_entities.setdefault(ref, ("Organization", label))
        match = Match(start, end, self.text[start:end], ref)
        self.mentions = sorted([*self.mentions, match], key=lambda m: m.start)
        return match

    def _pending(self, start: int, end: int, document: bool = False, word: str = "body") -> Match:
        """A speaker phrase whose body the next statements will name ('regional authorities said', 'according to
        an investigation published on Wednesday', by its ``word`` 'police said'): a document's author, unless
        named, is no one."""
        kind = "document" if document else word
        return Match(start, end, self.text[start:end], f"{UNNAMED_AUTHORITIES}/{kind}/{start}-{end}")

    def _other_states_body(self, body: str, before: int) -> bool:
        """Whether the text before names this kind of body as another state's than Ukraine ('Russia's air
        force', 'the Belarusian General Staff')."""
        for m in re.finditer(rf"([\w.]+)(?:['’]s)?\s+{re.escape(body)}", self.text[:before], re.IGNORECASE):
            states = {x.ref for x in self.lexicon.find(m.group(1)) if x.ref.startswith("state/")}
            if states - {"state/ukraine"}:
                return True
        return False

    def _named_institution(self, description: str, owner: str | None) -> str | None:
        """The one organisation the article names that a description fits: "South Korea's spy agency" and
        "the National Intelligence Service (NIS)" are one body. It must be the owner state's, or of no known
        state; with no owner ('the spy agency'), of any state, but still the only one that fits."""
        words = {DESCRIPTIONS.get(w, w) for w in re.findall(r"[a-z]+", description.casefold())} - {"the"}
        kind = words & KIND_WORDS
        if not kind:
            return None
        candidates = set()
        for m in self.mentions:
            if not m.ref.startswith("org/"):
                continue
            label = self._label(m.ref)
            named = {x.ref for x in self.lexicon.find(m.text) if x.ref.startswith("state/")}
            if m.ref not in self.lexicon.entities:
                # a body minted from 'Japan's Foreign Ministry' is mentioned as 'Foreign Ministry': its label
                # ('Japanese Foreign Ministry') still names its state
                minted = self.new_entities.get(m.ref, ("", ""))[1]
                named |= {x.ref for x in self.lexicon.find(minted) if x.ref.startswith("state/")}
                if not named and DEMONYM_SHAPE.match(minted):
                    named.add("state/?")
            if m.ref not in self.lexicon.entities and DEMONYM_SHAPE.match(m.text):
                named.add("state/?")  # "Japanese Foreign Ministry": some state's, known to the vocabulary or not
            if m.ref not in self.lexicon.entities and any(w in COUNTRY_ALIASES or w in COUNTRIES
                                                          for w in re.findall(r"[\w.]+", m.text)[:2]):
                named.add("state/?")  # "UK Foreign Office": a country the vocabulary may not know
            state = self.lexicon.state_of(m.ref)
            # a body of no other state ('the South Korean Foreign Ministry' is not North Korea's)
            of_owner = owner is None or (not named - {owner} and state in (None, owner))
            if all(k in label for k in kind) and ORG_WORDS.search(m.text) and of_owner:
                candidates.add(m.ref)
        return candidates.pop() if len(candidates) == 1 else None

    def _proper_organisation(self, head: Token, base: int) -> Match | None:
        """A proper-noun speaker that NER left unlabelled: 'the Kharkiv Regional Military Administration'
        (an organisation by its words), 'Taras Shevchenko, a spokesperson…' (otherwise a person)."""
        if head.pos_ != "PROPN":
            return None
        # ('Oleksii Hrabovskyi, a senior analyst…': a first name the tagger took for an adjective is still a name)
        words = [t for t in head.lefts if t.dep_ == "compound" and (t.pos_ == "PROPN" or (
            t.pos_ == "ADJ" and t.text.istitle() and t.is_alpha and t.ent_type_ == ""))] + [head]  # fmt: skip
        start, end = base + words[0].idx, base + head.idx + len(head.text)
        name = self.text[start:end]
        if len(words) < 2:
            return None
        covering = [m for m in self.mentions
                    if m.start <= start and end <= m.end and m.ref.startswith(("org/", "person/"))]  # fmt: skip
        if covering:
            return covering[0]  # part of a name found already ('Conflict Armament' of 'Conflict Armament Research')
        owned = [m for m in self.mentions if m.ref.startswith(("state/", "place/")) and m.end <= start]
        if head.lower_ in INSTITUTION_HEADS and owned and re.fullmatch(r"['’]s\s+", self.text[owned[-1].end : start]):
            return None  # "Ukraine's Prosecutor General's Office": the state's institution (_institution)
        whole = _whole_name(head)
        if whole is not None and not ORG_WORDS.search(name) and len(words) <= 3 and head.ent_type_ != "ORG":
            whole = None  # 'Piotr Malinowski of the Casimir Pulaski Foundation': a person, and where they work
        if whole is not None and ORG_WORDS.search(self.text[base + whole[0] : base + whole[1]]):
            # 'the South Korean Foreign Ministry', 'the Kyiv City Military Administration', 'the Russian Mission
            # to the United Nations': the capitalised words before and the named complement after are the name
            start, end = base + whole[0], base + whole[1]
            name = self.text[start:end]
            known = self.lexicon._resolve(name, "")
            if known is not None and known.startswith("org/"):
                match = Match(start, end, name, known)
                self.mentions.append(match)
                return match
        if ORG_WORDS.search(name):
            earlier = self._longer_name_before(name, start)
            if earlier is None:
                short = " " + re.sub(r"^(?:the|The)\s+", "", name).casefold()
                earlier = next(iter(only_body_of_a_named_state(short, self.mentions, self.lexicon)), None)
            short = re.sub(r"^(?:the|The)\s+", "", name)
            if earlier is None and not self._other_states_body(short, start):
                earlier = HOME_BODIES.get(short.casefold().replace("’", "'"))  # 'the General Staff said'
            if earlier is not None:
                match = Match(start, end, name, earlier)
                self.mentions.append(match)
                return match
            kind, label = "org", "Organization"
        elif named_as_body(name, self.text):
            kind, label = "org", "Organization"  # 'Rights Witness said today' where 'Rights Witness researchers' work
        elif len(words) <= 4 and all(w.text.istitle() and w.is_alpha for w in words) and not any(
            c.dep_ == "appos" and c.lemma_.lower() in DESCRIBED_BODIES for c in head.children
        ):
            kind, label = "person", "Person"
            start, name = without_title(start, name)  # 'Mayor Ihor Terekhov': the title is not the name
            if len(name.split()) > 3:
                return None
        else:
            return None
        ref = f"{kind}/{slug(name)}"
        if ref not in self.lexicon.entities:
            self.new_entities.setdefault(ref, (label, name))
        match = Match(start, end, name, ref)
        self.mentions.append(match)
        if kind == "person":
            # 'Terekhov said later…' after 'Kharkiv Mayor Ihor Terekhov had written…': called by the family name
            taken = [(m.start, m.end) for m in self.mentions]
            self.mentions = sorted(self.mentions + family_name_mentions(self.text, ref, name, taken, after=end),
                                   key=lambda x: x.start)  # fmt: skip
        return match

    def _longer_name_before(self, name: str, before: int) -> str | None:
        """The organisation named in full earlier that a short name is part of: "the Air Force" after "the
        Ukrainian Air Force", "the Monitoring Team" after "the Multilateral Sanctions Monitoring Team"."""
        short = re.sub(r"^(?:the|The)\s+", "", name).casefold()
        for mention in sorted(self.mentions, key=lambda m: m.start, reverse=True):
            if (mention.start < before and mention.ref.startswith("org/") and not self._is_outlet(mention.ref)
                    and re.search(rf"(?<![\w-]){re.escape(short)}(?![\w-])", self._label(mention.ref))):
                return mention.ref
        return None

    def _back_reference(self, pronoun: str, start: int, end: int, found: list[Statement]) -> Match | None:
        kinds = ("person", "anon") if pronoun in ("he", "she", "him", "her", "his") else ("org", "state", "anon")
        sentence = next((s for s in self.sentences if s.start <= start < s.end), None)
        if kinds[0] == "person" and sentence is not None:
            # "Zelenskyy's evening address, in which he said…": a person named earlier in the same sentence
            quotes = self._quotes(sentence)  # not a name quoted ('"Zakharova's fakes…," he')
            named = [m for m in self.mentions if sentence.start <= m.start and m.end <= start
                     and m.ref.startswith("person/") and m.ref not in self._writers
                     and not inside(m.start, quotes)]  # fmt: skip
            if named:
                return Match(start, end, self.text[start:end], named[-1].ref)
            last = next((s for s in reversed(found) if s.start < start), None)
            relays = [r for r in last.relayed_via if r.startswith("person/")] if last is not None else []
            if last is not None and not last.speaker.startswith(("person/", "anon/")) and relays:
                # 'According to Rep. Lee, the agency estimated…' then '"…," he told reporters': the lawmaker
                return Match(start, end, self.text[start:end], relays[-1])
            # 'Olena Marchenko, 47, lives next door. "We heard the alert…," she told…': a person the paragraph
            # introduced after the last claim, not its speaker
            paragraph = self.text.rfind("\n", 0, sentence.start) + 1
            since = max(paragraph, last.end if last is not None else 0)
            introduced = [m for m in self.mentions if since <= m.start < sentence.start and m.ref.startswith("person/")
                          and m.ref not in self._writers]  # fmt: skip
            if introduced:
                return Match(start, end, self.text[start:end], introduced[-1].ref)
        earlier = self._last_actor(start, kinds, found, word=None)
        return Match(start, end, self.text[start:end], earlier.ref) if earlier is not None else None

    def _last_actor(
        self, before: int, kinds: tuple[str, ...], found: list[Statement], word: str | None
    ) -> Match | None:
        """The last speaker (else the last named actor) before a position, of a kind and naming ``word``."""

        writers = self._writers

        def fits(ref: str) -> bool:
            if ref.startswith(UNNAMED_AUTHORITIES) and "/document/" not in ref and "org" in kinds and word is None:
                return True  # 'a monitoring team said in a report…' before the team is named: that body
            if ref.split("/", 1)[0] not in kinds or self._is_outlet(ref):
                return False
            return word is None or word.rstrip("s") in self._label(ref)

        def last_named() -> Match | None:
            return next((m for m in sorted(self.mentions, key=lambda m: m.start, reverse=True)
                         if m.start < before and fits(m.ref) and not self.lexicon.is_demonym(m)
                         and m.ref not in writers), None)  # fmt: skip

        spoke = next((s for s in reversed(found) if s.start < before and fits(s.speaker)), None)
        named = last_named() if word is not None or spoke is None else None
        # 'the regional administration' is the one of that name named last, whether it spoke or was only named
        if named is not None and (spoke is None or named.start > spoke.start):
            return named
        return Match(spoke.start, spoke.start, "", spoke.speaker) if spoke is not None else None

    def _mint_body(self, start: int, end: int) -> Match:
        """A new organisation named by the words between two offsets."""
        return self._mint_body_named(start, end, self.text[start:end])

    def _last_anonymous(self, before: int, noun: str, found: list[Statement]) -> Match | None:
        """The unnamed source last quoted, or named, by this very word ('sources', not 'source')."""
        refs = [s.speaker for s in reversed(found) if s.start < before]
        refs += [m.ref for m in sorted(self.mentions, key=lambda m: m.start, reverse=True) if m.start < before]
        ref = next((r for r in refs if r.startswith("anon/") and noun in r[len("anon/") :].split("-")), None)
        return Match(before, before, "", ref) if ref is not None else None

    @cached_property
    def _writers(self) -> frozenset[str]:
        """Who wrote the article ('By Karolina Weber'): named, but never the one 'the researchers' refers to.
        Read once: the mentions added while reading speakers are never bylines."""
        return frozenset(m.ref for m in self.mentions if BYLINE.search(self.text[max(0, m.start - 12) : m.start]))


def _whole_name(head: Token) -> tuple[int, int] | None:
    """The span (doc offsets) of a proper name around its head: the capitalised modifiers before it, however
    the parser nested them, and a capitalised 'of'/'to'/'for' complement after it."""
    doc = head.doc
    left = head.i
    while left - 1 >= head.sent.start:
        word = doc[left - 1]
        capitalised = word.text[:1].isupper() and word.is_alpha and word.pos_ in ("PROPN", "ADJ", "NOUN")
        if not capitalised or word.dep_ not in ("compound", "amod", "nmod") or not word.i < word.head.i <= head.i:
            break
        left -= 1
    if left == head.i:
        return None
    right = head.i
    seated = head.lower_ in attribution.SEATED  # 'the Russian Embassy in Seoul': where it sits is its name
    for child in head.rights:
        if child.dep_ != "prep" or child.lower_ not in ("of", "to", "for", "on", *(("in",) if seated else ())):
            break
        objects = [g for g in child.children if g.dep_ == "pobj"]
        if not objects or not objects[0].text[:1].isupper():
            break
        right = child.right_edge.i
    return doc[left].idx, doc[right].idx + len(doc[right].text)


def _without_article(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets of a phrase without its leading article ('the city council' is named 'city council')."""
    article = re.match(r"(?:the|a|an)\s+", text[start:end], re.IGNORECASE)
    return (start + article.end() if article else start), end
