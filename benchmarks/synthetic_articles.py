"""Synthetic news articles in the shape of the seeds, and annotated corpora made from them.

Used by the benchmarks: the texts follow news reporting (attributed counts,
strikes with dates and places, transfers, unnamed sources) with names from the
vocabulary, so the extractor finds claims in them; an annotated corpus is the
articles written beside the annotations the extractor made, as `missilekg
extract` would leave them after review.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from missilekg.loaders.annotate import annotate
from missilekg.loaders.extract import annotation_yaml, lexicon
from missilekg.loaders.parallel import parallel_map
from missilekg.loaders.source import read_source

SPEAKERS = [
    ("John Kirby", "National Security Council spokesman"),
    ("Andriy Kostin", "Ukraine's prosecutor general"),
    ("Andrii Chernyak", "spokesperson for Ukraine's Defense Intelligence"),
    ("Robert Wood", "the U.S. deputy ambassador to the United Nations"),
    ("Mykhailo Podolyak", "an adviser to Ukraine's president"),
    ("Antony Blinken", "the U.S. Secretary of State"),
]
ANONYMOUS = [
    "a senior defense official",
    "a Ukrainian military source",
    "US officials",
    "Western intelligence officials",
]
WEAPONS = [
    "KN-23 missiles",
    "North Korean ballistic missiles",
    "KN-24 missiles",
    "Iskander-M missiles",
    "Fateh-110 missiles",
]
PLACES = ["Kharkiv", "Kyiv", "the Zaporizhzhia region", "Zaporizhzhia", "the Kharkiv region"]
HEDGES = ["at least", "more than", "about", "nearly", ""]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SUPPLIERS = [("North Korea", "Russia"), ("Iran", "Russia"), ("North Korea", "Russia")]
FILLER = [
    "The claim could not be independently verified.",
    "Moscow has denied using foreign weapons in the conflict.",
    "Analysts have long warned that the cooperation could deepen.",
    "The war is approaching its third winter.",
]


def article(rng: random.Random, n: int) -> str:
    """One generated news article with a front-matter header."""
    published = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(600))
    speaker, role = rng.choice(SPEAKERS)
    other, other_role = rng.choice(SPEAKERS)
    weapon, place = rng.choice(WEAPONS), rng.choice(PLACES)
    count = rng.randrange(2, 120)
    hedge = rng.choice(HEDGES)
    supplier, recipient = rng.choice(SUPPLIERS)
    day = (published - dt.timedelta(days=rng.randrange(2, 40))).strftime("%B %-d")
    lines = [
        f"Russia fired {hedge} {count} {weapon} at {place} on {rng.choice(WEEKDAYS)}, {role} {speaker} said.",
        f'"We have recovered debris from the missiles," {speaker} told reporters on {rng.choice(WEEKDAYS)}.',
        f"According to {other}, {supplier} has supplied {rng.choice(HEDGES)} {rng.randrange(10, 500)} "
        f"missiles to {recipient}.",
        f"{rng.choice(ANONYMOUS).capitalize()} said the strike on {day} hit an energy facility in {place}.",
        f"{other}, {other_role}, said on {rng.choice(WEEKDAYS)} that {recipient} had received several dozen launchers.",
        rng.choice(FILLER),
        f"Reports suggest that {supplier} delivered hundreds of thousands of artillery rounds to {recipient}.",
        rng.choice(FILLER),
    ]
    lines = [" ".join(line.split()) for line in lines]
    header = f"---\ntitle: Generated article {n}\npublisher: Reuters\npublished: {published.isoformat()}\n---\n"
    return header + "\n".join(lines) + "\n"


def generate(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Write ``count`` articles into ``folder``."""
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        path = folder / f"gen-{n:05d}.txt"
        path.write_text(article(rng, n), encoding="utf-8")
        paths.append(path)
    return paths


def _annotate(job: tuple[Path, int, int]) -> int:
    """Write one annotated article (body and annotation YAML); returns its number."""
    folder, n, seed = job
    text = article(random.Random(seed * 1_000_003 + n), n)
    source = read_source(text.encode("utf-8"), f"syn-{n:07d}.txt", lexicon(), path=folder / f"syn-{n:07d}.txt")
    (folder / source.article.file_name).write_text(source.article.text, encoding="utf-8")
    (folder / f"syn-{n:07d}.yaml").write_text(annotation_yaml(annotate(source)), encoding="utf-8")
    return n


def write_annotated_corpus(folder: Path, count: int, *, seed: int = 7, workers: int | None = None) -> list[Path]:
    """``count`` articles with their annotations in ``folder`` (kept: a second call reuses them)."""
    folder.mkdir(parents=True, exist_ok=True)
    missing = [n for n in range(count) if not (folder / f"syn-{n:07d}.yaml").exists()]
    for _ in parallel_map(_annotate, [(folder, n, seed) for n in missing], workers=workers, initializer=lexicon):
        pass
    return [folder / f"syn-{n:07d}.txt" for n in range(count)]
