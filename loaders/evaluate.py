"""Score the extractor against curated annotations: precision, recall and F1 per kind of thing.

The curated annotation of each article is hidden from the extractor; only its
metadata (title, publisher, publication date) is passed on, as a user would
pass them to ``missilekg ingest``. What is compared:

- actors, weapons, places: the set of entities an annotation refers to
  (mentions, speakers, strike and transfer parties, items), per article;
- statements: speaker + date stated + quantities (value and hedge);
- strikes: date + location;
- transfers: supplier + recipient + status (or modality, if unrealised).

Statements, strikes and transfers are compared as multisets per article, so
two extracted copies of one curated claim count once right and once wrong.
Statements are also scored on each part of their key alone and in pairs
(:data:`STATEMENT_PARTS`), which says which part fails when they do: the
speaker, the date stated or the figures.

An entity the vocabulary does not know gets an id from whoever meets it
first: the curator writes ``org/zaporizhzhia-regional-prosecutors-office``,
the extractor mints ``org/zaporizhzhia-regional-prosecutor-s-office``. Such
ids are names, not answers, so by default they are aligned before scoring,
as entity-linking evaluations align new (NIL) entities: a curated id the
vocabulary lacks is the extracted entity of the same kind whose mentions sit
on the same words (:func:`align_new_entities`). A vocabulary id the curator
used is never aligned away: the extractor must link it. ``strict_ids``
compares ids as written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from missilekg.loaders.annotation import Annotation, StatementSpec
from missilekg.loaders.article import read_article
from missilekg.loaders.extract.lexicon import lexicon

KINDS = ("actors", "weapons", "places", "statements", "strikes", "transfers")
ACTOR_KINDS = ("state", "org", "person", "anon")


@dataclass
class Score:
    """Counts of true positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Share of extracted items that the curator also has."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of curated items that the extractor found."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: Iterable[Hashable], found: Iterable[Hashable]) -> tuple[Counter, Counter]:
        """Count one article's items; returns what was missed and what was extra."""
        expected, got = Counter(gold), Counter(found)
        matched = expected & got
        self.tp += sum(matched.values())
        self.fp += sum((got - matched).values())
        self.fn += sum((expected - matched).values())
        return expected - matched, got - matched


@dataclass
class Evaluation:
    """Scores per kind, and per article what was missed and what was extra."""

    scores: dict[str, Score] = field(default_factory=lambda: {kind: Score() for kind in KINDS})
    misses: dict[str, dict[str, list[Hashable]]] = field(default_factory=dict)
    extras: dict[str, dict[str, list[Hashable]]] = field(default_factory=dict)
    statement_parts: dict[str, Score] = field(default_factory=lambda: {part: Score() for part in STATEMENT_PARTS})
    articles: int = 0

    def table(self) -> str:
        """A Markdown table of precision, recall and F1 per kind."""
        lines = ["| kind | precision | recall | F1 | curated | extracted |", "|---|---:|---:|---:|---:|---:|"]
        for kind, s in self.scores.items():
            lines.append(
                f"| {kind} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} | {s.tp + s.fn} | {s.tp + s.fp} |"
            )
        return "\n".join(lines)

    def parts_table(self) -> str:
        """A Markdown table of statement F1 on parts of the key: which part (speaker, date, figures) fails."""
        lines = ["| statements matched on | precision | recall | F1 |", "|---|---:|---:|---:|"]
        whole = self.scores["statements"]
        lines.append(f"| speaker + date + figures | {whole.precision:.2f} | {whole.recall:.2f} | {whole.f1:.2f} |")
        for part, s in self.statement_parts.items():
            lines.append(f"| {part} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} |")
        return "\n".join(lines)


def referenced_entities(annotation: Annotation) -> set[str]:
    """Every entity an annotation refers to, apart from the article's own metadata."""
    refs = {m.entity for m in annotation.mentions}
    refs |= {e.id for e in annotation.entities}
    for s in annotation.statements:
        refs |= {s.speaker, *s.relayed_via, *s.about_weapons}
    for k in annotation.strikes:
        refs |= {r for r in (k.location, k.perpetrator) if r} | set(k.weapons)
    for t in annotation.transfers:
        refs |= {r for r in (t.supplier, t.recipient, t.destination) if r} | set(t.items)
    return refs


def _entities(kinds: tuple[str, ...]) -> Callable[[Annotation], Sequence[Hashable]]:
    return lambda a: sorted(r for r in referenced_entities(a) if r.split("/")[0] in kinds)


def _statements(a: Annotation) -> list[Hashable]:
    return [(s.speaker, s.date, _quantities(s)) for s in a.statements]


def _strikes(a: Annotation) -> list[Hashable]:
    return [(k.date, k.location) for k in a.strikes]


def _transfers(a: Annotation) -> list[Hashable]:
    return [(t.supplier, t.recipient, t.status or t.modality) for t in a.transfers]


def _quantities(s: StatementSpec) -> frozenset[tuple[float | None, str]]:
    return frozenset((q.value, q.hedge) for q in s.quantities)


#: Statement keys with parts left out: a statement that matches on "speaker" but not in full has the right speaker.
STATEMENT_PARTS: dict[str, Callable[[StatementSpec], Hashable]] = {
    "speaker": lambda s: s.speaker,
    "date": lambda s: s.date,
    "figures": _quantities,
    "speaker + date": lambda s: (s.speaker, s.date),
    "speaker + figures": lambda s: (s.speaker, _quantities(s)),
    "date + figures": lambda s: (s.date, _quantities(s)),
}


KEYS: dict[str, Callable[[Annotation], Sequence[Hashable]]] = {
    "actors": _entities(ACTOR_KINDS),
    "weapons": _entities(("weapon",)),
    "places": _entities(("place",)),
    "statements": _statements,
    "strikes": _strikes,
    "transfers": _transfers,
}


def _spans(annotation: Annotation) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for mention in annotation.mentions:
        spans.setdefault(mention.entity, []).append((mention.start, mention.end))
    return spans


def _shared_words(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> int:
    """How many spans of ``first`` overlap a span of ``second`` by at least half of the shorter one."""
    return sum(
        any(min(end, e) - max(start, s) >= min(end - start, e - s) / 2 for s, e in second) for start, end in first
    )


def align_new_entities(
    gold: Annotation, found: Annotation, vocabulary: Mapping[str, Collection[str]]
) -> dict[str, str]:
    """Which extracted id each curated id the vocabulary lacks stands for: ``{extracted: curated}``.

    A curated id outside ``vocabulary`` (id to labels) is paired with the extracted entity
    of the same kind (``org``, ``person``, ``anon``, ``place``, ``weapon``) whose mentions
    overlap most of its mentions, one to one, best overlap first. An extracted vocabulary
    entity stands for it only if the curator's label for it is one of that entity's labels
    (a curator who minted "Dnipro River" did not mean the city). An anonymous source often
    has no mention, only the sentences it speaks in: one the vocabulary lacks is paired, after
    the mentions, with the minted anonymous source that speaks in the most of the same
    sentences. Ids either side already uses for something else stay as they are, so an
    alignment never merges two entities.
    """
    gold_ids, found_ids = referenced_entities(gold), referenced_entities(found)
    curated_labels = {entity.id: _plain(entity.label) for entity in gold.entities}

    def open_pair(curated: str, extracted: str) -> bool:
        if curated in vocabulary or curated in found_ids or extracted in gold_ids:
            return False
        if curated.split("/", 1)[0] != extracted.split("/", 1)[0]:
            return False
        labels = {_plain(label) for label in vocabulary.get(extracted, ())}
        return extracted not in vocabulary or curated_labels.get(curated) in labels

    candidates = []
    found_spans = _spans(found)
    for curated, curated_spans in _spans(gold).items():
        for extracted, extracted_spans in found_spans.items():
            shared = _shared_words(curated_spans, extracted_spans) if open_pair(curated, extracted) else 0
            if shared:
                candidates.append((0, -shared, curated, extracted))
    gold_said, found_said = _evidence_by_speaker(gold), _evidence_by_speaker(found)
    for curated, curated_spans in gold_said.items():
        for extracted, extracted_spans in found_said.items():
            if curated.startswith("anon/") and extracted not in vocabulary and open_pair(curated, extracted):
                shared = _shared_words(curated_spans, extracted_spans)
                if shared:
                    candidates.append((1, -shared, curated, extracted))
    aligned: dict[str, str] = {}
    for _, _, curated, extracted in sorted(candidates):
        if extracted not in aligned and curated not in aligned.values():
            aligned[extracted] = curated
    return aligned


def _evidence_by_speaker(annotation: Annotation) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for statement in annotation.statements:
        spans.setdefault(statement.speaker, []).append((statement.evidence.start, statement.evidence.end))
    return spans


def _plain(label: str) -> str:
    return re.sub(r"^the\s+", "", label.strip().casefold())


def renamed(annotation: Annotation, names: Mapping[str, str]) -> Annotation:
    """A copy of ``annotation`` with every entity reference in ``names`` replaced by its new name."""
    if not names:
        return annotation

    def rename(value: Any) -> Any:
        if isinstance(value, str):
            return names.get(value, value)
        if isinstance(value, list):
            return [rename(item) for item in value]
        if isinstance(value, dict):
            return {key: rename(item) for key, item in value.items()}
        return value

    return Annotation.model_validate(rename(annotation.model_dump(mode="python", exclude_unset=True)))


def evaluate(
    pairs: Iterable[tuple[Path, Annotation]], extractor: Callable[..., Annotation], *, strict_ids: bool = False
) -> Evaluation:
    """Run ``extractor(article, metadata)`` on each article and compare with its curated annotation.

    New entities' ids are aligned first (:func:`align_new_entities`) unless ``strict_ids``.
    """
    result = Evaluation()
    vocabulary = {} if strict_ids else {ref: entity.labels for ref, entity in lexicon().entities.items()}
    for article_path, gold in pairs:
        article = read_article(article_path)
        found = extractor(article, gold.metadata)
        if not strict_ids:
            found = renamed(found, align_new_entities(gold, found, vocabulary))
        result.articles += 1
        for kind, key in KEYS.items():
            missed, extra = result.scores[kind].add(key(gold), key(found))
            result.misses.setdefault(article.stem, {})[kind] = sorted(missed.elements(), key=str)
            result.extras.setdefault(article.stem, {})[kind] = sorted(extra.elements(), key=str)
        for part, part_key in STATEMENT_PARTS.items():
            result.statement_parts[part].add(map(part_key, gold.statements), map(part_key, found.statements))
    return result
