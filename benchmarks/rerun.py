"""Re-inferring a store that already has its inference graph: unchanged, and after one article is removed.

A full pass writes only the difference between the closure it computes and the stored inference graph, so
re-inferring an unchanged store costs the computation, not a rewrite. Each run, in its own process, loads a
generated graph (``benchmarks/synthetic_graph.py``) into a new on-disk store, infers once (the first pass, on a
store with no inference graph), then times ``infer`` again on the unchanged store, and once more after one
article's graph was dropped without inference (the pass then also removes what lost support).

``--baseline PYTHON`` runs the same measurements with another interpreter, one where an earlier version of
missilekg is installed (e.g. the main branch, whose pass rewrote the derived graphs whole), and prints the
ratios against it. Modes: ``default`` is ``infer(store)`` as each version defines it; ``no-provenance`` and
``provenance`` ask for it explicitly.

    mkdir /tmp/base && git archive <commit> | tar -x -C /tmp/base
    python3 -m venv /tmp/base/.venv && /tmp/base/.venv/bin/pip install -q -e /tmp/base
    .venv/bin/python benchmarks/rerun.py --sizes 100000 --baseline /tmp/base/.venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ("default", "no-provenance", "provenance")


def worker(mode: str, size: int) -> None:
    """One size and mode: first pass, unchanged re-run, re-run after one article is gone; prints JSON."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic_graph import synthetic_quads
    from missilekg.graph.reasoning.graphs import INFERRED_GRAPH, UP_TO_DATE
    from missilekg.graph.reasoning.passes import infer
    from missilekg.graph.store.embedded import EmbeddedStore

    options = {} if mode == "default" else {"provenance": mode == "provenance"}
    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder) / "store")
        store._store.bulk_extend(synthetic_quads(size))  # loading is not what is measured
        timings: dict[str, float] = {}
        reports = {}
        for step in ("first", "unchanged", "article removed"):
            if step == "article removed":
                article = next(g for g in store.named_graphs() if "/graph/article/" in g.value)
                store.replace_graphs({article: []}, delete=[UP_TO_DATE])
            start = time.perf_counter()
            reports[step] = infer(store, **options)
            timings[step] = time.perf_counter() - start
        derived = sum(1 for _ in store.quads(INFERRED_GRAPH))
        assert store.contains(UP_TO_DATE)
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    written = {step: [getattr(r, "added", None), getattr(r, "removed", None)] for step, r in reports.items()}
    print(json.dumps({"mode": mode, "size": size, "seconds": timings, "peak": peak, "derived": derived,
                      "written": written}))  # fmt: skip


def measure(python: str, mode: str, size: int, timeout: float) -> dict | None:
    """Run :func:`worker` with ``python`` in a child process; None when it ran out of time."""
    command = [python, __file__, "--worker", mode, str(size)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Measure this version (and the baseline's, when given), then print a Markdown table with the ratios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--modes", nargs="+", choices=MODES, default=["default", "provenance"])
    parser.add_argument("--baseline", help="Another interpreter, with an earlier missilekg installed.")
    parser.add_argument("--timeout", type=float, default=1800, help="Seconds per run before giving up.")
    parser.add_argument("--worker", nargs=2, metavar=("MODE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return
    versions = {"this": sys.executable, **({"baseline": args.baseline} if args.baseline else {})}
    results: dict[tuple[str, str, int], dict | None] = {}
    for size in args.sizes:
        for mode in args.modes:
            for version, python in versions.items():
                print(f"  {version:8} {mode:14} {size:>10,} ...", end="", flush=True, file=sys.stderr)
                result = results[(version, mode, size)] = measure(python, mode, size, args.timeout)
                print(" timed out" if result is None else f" {result['seconds']}", file=sys.stderr)
    print("| triples | mode | version | first pass (s) | unchanged re-run (s) | after removing an article (s) | "
          "peak memory (MiB) | derived | written: unchanged / article removed (added, removed) |")  # fmt: skip
    print("|---:|---|---|---:|---:|---:|---:|---:|---|")
    for (version, mode, size), r in results.items():
        if r is None:
            print(f"| {size:,} | {mode} | {version} | timed out | | | | | |")
            continue
        t, w = r["seconds"], r["written"]
        changes = " / ".join("n/a" if None in w[step] else f"+{w[step][0]:,} -{w[step][1]:,}"
                             for step in ("unchanged", "article removed"))  # fmt: skip
        print(f"| {size:,} | {mode} | {version} | {t['first']:.2f} | {t['unchanged']:.2f} | "
              f"{t['article removed']:.2f} | {r['peak'] / 2**20:,.0f} | {r['derived']:,} | {changes} |")  # fmt: skip
    if args.baseline:
        print()
        for size in args.sizes:
            for mode in args.modes:
                ours, base = results.get(("this", mode, size)), results.get(("baseline", mode, size))
                if ours and base:
                    ratios = ", ".join(f"{step} {base['seconds'][step] / ours['seconds'][step]:.1f}x"
                                       for step in ("first", "unchanged", "article removed"))  # fmt: skip
                    print(f"{size:,} triples, {mode}: baseline time / this time: {ratios}")


if __name__ == "__main__":
    main()
