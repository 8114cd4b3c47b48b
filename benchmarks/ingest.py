"""Ingest benchmark: extraction throughput on a generated batch, and ingest end to end.

    make bench-ingest                               # 2,000 generated articles
    .venv/bin/python benchmarks/ingest.py --articles 500

Articles are generated from news-style templates filled with names from the
vocabulary (speakers, weapons, places, dates, hedged counts), about eight
sentences each, written to a temporary folder. Measured in one run:

- extraction alone in one process with the rule reader (the baseline) and with
  the parse-based reader (spaCy), the default: article by article with nothing
  kept between articles (how it read before batching), and batched as ingest
  does it (the lines of many articles in one spaCy stream, a line that repeats
  parsed once; generated articles repeat stock sentences far more than real
  ones, so the share of repeated lines is printed);
- extraction with the worker pool `missilekg ingest` uses (one process per core),
  with the parse-based reader, article by article (``MISSILEKG_KEPT_LINES=0``)
  and batched;
- `missilekg ingest --no-infer` into a new on-disk store, end to end;
- `missilekg ingest` with inference (one full pass at the end of a batch, with
  provenance) on the first ``--infer-articles`` of them (default 1,000: with
  provenance, inference needs about 4.5 GiB per million asserted triples, and
  10,000 generated articles make about 5 million).

Ratios are against the one-process extraction of the same run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic_articles import generate  # noqa: E402


def _extract_all(paths: list[Path], workers: int, extractor: str = "parse") -> float:
    """Extraction as ingest runs it (the worker pool, if any, starts with the extractor setting)."""
    from missilekg.graph.loading.ingest import _prepare_all, collect_sources
    from missilekg.loaders.extract import EXTRACTOR_SETTING
    from missilekg.loaders.source import MetadataOverrides

    sources = collect_sources([str(p) for p in paths])
    settings: dict[str, str | None] = {EXTRACTOR_SETTING: extractor}
    previous = {name: os.environ.get(name) for name in settings}
    _set(settings)  # worker processes start after this, with the same settings
    start = time.perf_counter()
    try:
        failed = sum(1 for prepared in _prepare_all(sources, MetadataOverrides(), workers) if prepared.error)
    finally:
        _set(previous)
    seconds = time.perf_counter() - start
    if failed:
        print(f"  ({failed} generated articles failed to extract)", file=sys.stderr)
    return seconds


def _extract_in_a_new_process(folder: Path, workers: int, kept: int | None) -> float:
    """:func:`_extract_all` with the parse reader in a new Python process, whose worker pool starts there.

    Worker processes come from a fork server that starts with the first pool and keeps the environment
    it started with, so a setting for the workers (``MISSILEKG_KEPT_LINES``) needs a process of its own.
    """
    from missilekg.loaders.extract.nlp import KEPT_LINES_SETTING

    env = {k: v for k, v in os.environ.items() if k != KEPT_LINES_SETTING}
    if kept is not None:
        env[KEPT_LINES_SETTING] = str(kept)
    code = (
        "import sys; from pathlib import Path; from benchmarks.ingest import _extract_all; "
        f"print(_extract_all(sorted(Path({str(folder)!r}).glob('*.txt')), {workers}, 'parse'))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def _set(settings: dict[str, str | None]) -> None:
    for name, value in settings.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _extract_one_by_one(paths: list[Path]) -> float:
    """The parse reader article by article, each article's lines parsed alone and nothing kept between them."""
    from missilekg.graph.loading.ingest import collect_sources, prepare
    from missilekg.loaders.extract.nlp import line_parser
    from missilekg.loaders.source import MetadataOverrides

    parser = line_parser()
    start = time.perf_counter()
    for source in collect_sources([str(p) for p in paths]):
        parser.forget()
        prepare(source, MetadataOverrides())
    seconds = time.perf_counter() - start
    parser.forget()
    return seconds


def _line_counts(paths: list[Path]) -> tuple[int, int]:
    """The lines spaCy is given for these articles, and how many of them are distinct."""
    from missilekg.loaders.extract import article_lines, lexicon
    from missilekg.loaders.source import read_source

    texts = [read_source(p.read_bytes(), p.name, lexicon()).article.text for p in paths]
    lines = [line for text in texts for _, line in article_lines(text)]
    return len(lines), len(set(lines))


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
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--infer-articles", type=int, default=1_000)
    args = parser.parse_args()
    from missilekg.loaders.extract import lexicon
    from missilekg.loaders.extract.nlp import line_parser

    lexicon()  # built once, outside the timings
    line_parser()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        paths = generate(folder, args.articles)
        subset = Path(tmp) / "subset"
        subset.mkdir()
        for path in paths[: args.infer_articles]:
            (subset / path.name).write_bytes(path.read_bytes())
        lines, distinct = _line_counts(paths)
        print(f"{args.articles:,} generated articles, {os.cpu_count()} cores; {lines:,} lines, {distinct:,} distinct "
              f"({1 - distinct / lines:.0%} repeats)\n")  # fmt: skip
        print("| step | articles | seconds | articles/s | time per article vs baseline |")
        print("|---|---:|---:|---:|---:|", flush=True)
        baseline = _extract_all(paths, 1, "rules") / len(paths)
        steps = [
            ("extract, rule reader, 1 process (baseline)", len(paths), lambda: baseline * len(paths)),
            ("extract, parse reader, 1 process, article by article", len(paths), lambda: _extract_one_by_one(paths)),
            ("extract, parse reader, 1 process, batched", len(paths), lambda: _extract_all(paths, 1, "parse")),
            (f"extract, parse reader, {args.workers} worker processes, article by article", len(paths),
             lambda: _extract_in_a_new_process(folder, args.workers, kept=0)),
            (f"extract, parse reader, {args.workers} worker processes, batched", len(paths),
             lambda: _extract_in_a_new_process(folder, args.workers, kept=None)),
            ("ingest --no-infer, new on-disk store", len(paths), lambda: _cli_ingest(folder, Path(tmp) / "a", False)),
            ("ingest with inference, new on-disk store", args.infer_articles,
             lambda: _cli_ingest(subset, Path(tmp) / "b", True)),
        ]  # fmt: skip
        for name, count, measure in steps:
            seconds = measure()
            ratio = seconds / count / baseline
            print(f"| {name} | {count:,} | {seconds:.1f} | {count / seconds:,.0f} | {ratio:.2f}x |", flush=True)
        # Other work on the machine slows the worker pool most: say how busy it was.
        print(f"\nload average over the last 5 minutes: {os.getloadavg()[1]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
