"""Ingest benchmark: extraction throughput on a generated batch, and ingest end to end.

    make bench-ingest                               # 10,000 generated articles
    .venv/bin/python benchmarks/ingest.py --articles 2000

Articles are generated from news-style templates filled with names from the
vocabulary (speakers, weapons, places, dates, hedged counts), about eight
sentences each, written to a temporary folder. Measured in one run:

- extraction alone in one process (the baseline);
- extraction with the worker pool `missilekg ingest` uses (one process per core);
- `missilekg ingest --no-infer` into a new on-disk store, end to end;
- `missilekg ingest` with inference (one full pass at the end of a batch, with
  provenance) on the first ``--infer-articles`` of them (default 1,000: with
  provenance, inference needs about 4.5 GiB per million asserted triples, and
  10,000 generated articles make about 5 million).

Ratios are against the one-process extraction of the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def _extract_all(paths: list[Path], workers: int) -> float:
    from graph.ingest import _prepare_all, collect_sources
    from loaders.source import MetadataOverrides

    sources = collect_sources([str(p) for p in paths])
    start = time.perf_counter()
    failed = sum(1 for prepared in _prepare_all(sources, MetadataOverrides(), workers) if prepared.error)
    seconds = time.perf_counter() - start
    if failed:
        print(f"  ({failed} generated articles failed to extract)", file=sys.stderr)
    return seconds


def _cli_ingest(folder: Path, store: Path, infer: bool) -> float:
    command = [str(Path(sys.executable).parent / "missilekg"), "--store", f"oxigraph:{store}", "ingest", str(folder)]
    if not infer:
        command.append("--no-infer")
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, check=False, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    loaded = next((line for line in done.stdout.splitlines() if line.startswith("Loaded")), done.stderr[-500:])
    print(f"  ingest{'' if infer else ' --no-infer'}: {loaded}", file=sys.stderr)
    return seconds


def main() -> None:
    """Generate, measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--infer-articles", type=int, default=1_000)
    args = parser.parse_args()
    from loaders.extract import lexicon

    lexicon()  # built once, outside the timings
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        paths = generate(folder, args.articles)
        subset = Path(tmp) / "subset"
        subset.mkdir()
        for path in paths[: args.infer_articles]:
            (subset / path.name).write_bytes(path.read_bytes())
        print(f"{args.articles:,} generated articles, {os.cpu_count()} cores\n")
        print("| step | articles | seconds | articles/s | time per article vs baseline |")
        print("|---|---:|---:|---:|---:|", flush=True)
        baseline = _extract_all(paths, 1) / len(paths)
        steps = [
            ("extract, 1 process (baseline)", len(paths), lambda: baseline * len(paths)),
            (f"extract, {args.workers} worker processes", len(paths), lambda: _extract_all(paths, args.workers)),
            ("ingest --no-infer, new on-disk store", len(paths), lambda: _cli_ingest(folder, Path(tmp) / "a", False)),
            ("ingest with inference, new on-disk store", args.infer_articles,
             lambda: _cli_ingest(subset, Path(tmp) / "b", True)),
        ]  # fmt: skip
        for name, count, measure in steps:
            seconds = measure()
            ratio = seconds / count / baseline
            print(f"| {name} | {count:,} | {seconds:.1f} | {count / seconds:,.0f} | {ratio:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
