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
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from missilekg.loaders.annotation import Annotation, StatementSpec
from missilekg.loaders.article import read_article

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


def evaluate(pairs: Iterable[tuple[Path, Annotation]], extractor: Callable[..., Annotation]) -> Evaluation:
    """Run ``extractor(article, metadata)`` on each article and compare with its curated annotation."""
    result = Evaluation()
    for article_path, gold in pairs:
        article = read_article(article_path)
        found = extractor(article, gold.metadata)
        result.articles += 1
        for kind, key in KEYS.items():
            missed, extra = result.scores[kind].add(key(gold), key(found))
            result.misses.setdefault(article.stem, {})[kind] = sorted(missed.elements(), key=str)
            result.extras.setdefault(article.stem, {})[kind] = sorted(extra.elements(), key=str)
        for part, part_key in STATEMENT_PARTS.items():
            result.statement_parts[part].add(map(part_key, gold.statements), map(part_key, found.statements))
    return result
