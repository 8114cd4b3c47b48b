"""Strikes and transfers read from the tree, with the rule reader's as the fallback.

A mixin of :class:`~missilekg.loaders.extract.parse.ParseReader`: it needs the
parsed sentences (``_spans``: sentence start → line offset and spaCy span).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from missilekg.loaders.extract import transfers
from missilekg.loaders.extract.claims import (
    HABITUAL_STRIKES,
    ArticleReader,
    Statement,
    Strike,
    Transfer,
    _most_specific,
    _unique,
)
from missilekg.loaders.extract.quantities import Quantity, find_quantities
from missilekg.loaders.extract.text import Sentence, inside

if TYPE_CHECKING:
    from spacy.tokens import Span

    from missilekg.loaders.extract.dates import DateMention
    from missilekg.loaders.extract.transfers import Frame

#: Words of giving, receiving, aid or dependence: where the rule reader may look for a transfer.
TRANSFER_WORDS = transfers.GIVE | transfers.TAKE | transfers.TRANSFER_NOUNS | transfers.DENY | transfers.AGREE
TRANSFER_WORDS |= transfers.AID  # '$725 million in military aid for Ukraine', 'dependent on Iran for drones'

STRIKE_VERBS = {"strike", "hit", "attack", "fire", "launch", "target", "shell", "slam", "pound", "crash", "land"}
STRIKE_NOUNS = {"attack", "strike", "barrage", "bombardment"}
WEAPON_WORDS = {"missile", "drone", "rocket", "bomb", "shell", "shahed", "iskander"}


class EventReader(ArticleReader):
    """Strikes and transfers from parsed sentences."""

    _spans: dict[int, tuple[int, Span]]

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

    @property
    def _entry_day(self) -> DateMention | None:
        """The day a live blog's entries are written on, for strikes they report undated (see the parse reader)."""
        return None

    def _parsed_strike(self, sentence: Sentence) -> Strike | None:
        """'A ballistic missile slammed into … Kryvyi Rih on Monday': a strike verb, a weapon word, a day, a place."""
        base, span = self._spans[sentence.start]
        verb = next((t for t in span if t.lemma_.lower() in STRIKE_VERBS and t.pos_ == "VERB"), None)
        if verb is None:
            # 'A missile attack on Dnipro on 12 May killed four people': the attack named as a noun, on a place
            verb = next((t for t in span if t.lemma_.lower() in STRIKE_NOUNS and t.pos_ == "NOUN"
                         and any(c.dep_ == "prep" and c.lower_ in ("on", "against") for c in t.children)),
                        None)  # fmt: skip
        if verb is None or not any(t.lemma_.lower() in WEAPON_WORDS for t in span):
            return None
        if HABITUAL_STRIKES.search(sentence.text):
            return None
        quotes = self._quotes(sentence)
        days = [
            d for d in self._dates_in(sentence) if not d.is_period_bound and not inside(d.start, quotes)
            and not self._told_on(sentence, d)
        ]  # fmt: skip
        places = [p for p in self._mentions_in(sentence, "place") if not inside(p.start, quotes)]
        entry = self._entry_day if not days and places else None
        if entry is not None:
            days = [entry]  # a live blog's entry, or a press release, reports the day's strikes
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
            if sentence.is_headline or sentence.text.rstrip("\"”’' ").endswith("?"):
                continue  # a question asks, it does not say that anything was handed over
            entry = self._spans.get(sentence.start)
            frames = transfers.transfer_frames(entry[1]) if entry is not None else []
            previous = found[-1] if found else None
            made = self._parsed_transfers(sentence, entry, frames, previous) if entry is not None else []
            # The rule reader may look for a transfer the tree missed, but not where the tree read the sentence's
            # transfer verbs (what it could not complete, no guess will), nor in a sentence without a word of
            # giving, receiving or aid ('A North Korean-made missile slammed into Sumy' is a strike).
            may_state = entry is None or (not frames and any(t.lemma_.lower() in TRANSFER_WORDS for t in entry[1]))
            if not made and may_state:
                fallback = super()._transfer(sentence)
                made = [fallback] if fallback is not None else []
            found.extend(made)
        return found

    def _parsed_transfers(
        self, sentence: Sentence, entry: tuple[int, Span], frames: list[Frame], previous: Transfer | None
    ) -> list[Transfer]:
        base = entry[0]
        made: list[Transfer] = []
        for verb, supplier_head, recipient_head, item_heads in frames:
            supplier = self._state_in(transfers.subtree_span(supplier_head, base))
            recipient_span = transfers.subtree_span(recipient_head, base)
            # 'to Russian ports', 'alongside Russian forces': the demonym of where the goods went names the state
            recipient = self._state_in(recipient_span) or self._demonym_state_in([recipient_span])
            if recipient is None and previous is not None and supplier == previous.supplier:
                recipient = previous.recipient  # 'Pyongyang also transferred…': the same recipient as before
            named_russia = self._names("state/russia")
            if recipient is None and recipient_head is None and supplier in transfers.ARMS_SUPPLIERS and named_russia:
                # 'Pyongyang had sent at least 4 million shells' in an article about Russia's war: sent to Russia
                recipient = "state/russia"
            kind, status, modality = transfers.status_of(verb)
            destination = self._place_in(transfers.subtree_span(recipient_head, base))
            groups: list[tuple[list[str], Quantity | None]] = []
            goods: str | None = None
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
            # one transfer per kind of goods named ('KN-23 missiles and 170 mm guns'), as curators count them;
            # a missile and its launchers are one kind ('ballistic missiles and launchers')
            families: dict[str, list[str]] = {}
            for weapon in _unique(uncounted):
                families.setdefault(weapon.removesuffix("-launcher"), []).append(weapon)
            groups += [(weapons, None) for weapons in families.values()]
            if not groups and any(transfers.is_goods(item) for item in item_heads):
                groups.append(([], None))  # 'has not transferred any ballistic missiles': goods, type not named
                first, last = transfers.own_span(item_heads[0], base)[0], transfers.subtree_span(item_heads[-1], base)
                goods = self.text[first : last[1]] if last is not None else None
            if supplier is None:
                # 'North Korean troops were moved to Russia': the demonym of the goods names their supplier;
                # 'Iranian Defence Minister X ruled out supplying…': the supplier's does
                spans = [transfers.subtree_span(h, base) for h in item_heads]
                supplier = self._demonym_state_in([*spans, transfers.subtree_span(supplier_head, base)])
            passive_give = verb.lemma_.lower() in transfers.GIVE and any(c.dep_ == "auxpass" for c in verb.children)
            if supplier is None and passive_give:
                if recipient is None and made and verb.dep_ == "conj":
                    # '15,000 labourers were sent to Russia …, and 11,000 troops were deployed to the Kursk region'
                    supplier, recipient = made[-1].supplier, made[-1].recipient
                elif previous is not None and recipient == previous.recipient and sentence.start - previous.end <= 300:
                    supplier = previous.supplier  # '…200 of the missiles had been shipped to Russia': the same one
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
                        destination, count, goods if not weapons and count is None else None,
                    )
                )  # fmt: skip
        return made

    def _names(self, ref: str) -> bool:
        """Whether the article names an entity at all."""
        return any(m.ref == ref for m in self.mentions)

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

    def _demonym_state_in(self, spans: list[tuple[int, int] | None]) -> str | None:
        for span in spans:
            if span is None:
                continue
            for m in self.mentions:
                if span[0] <= m.start < span[1] and m.ref.startswith("state/") and self.lexicon.is_demonym(m):
                    return m.ref
        return None

    def _place_in(self, span: tuple[int, int] | None) -> str | None:
        if span is None:
            return None
        return next((m.ref for m in self.mentions if span[0] <= m.start < span[1] and m.ref.startswith("place/")), None)
