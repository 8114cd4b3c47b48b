"""Inference benchmark: the default engine against owlrl and reasonable on generated graphs.

    make bench-inference                     # 10k, 100k, 1M triples
    .venv/bin/python benchmarks/inference.py --sizes 10000 100000 --owlrl-max 100000

Each (engine, size) runs in a fresh process, so that its peak memory (the
process's maximum resident set, input graph included) is its own; the time is
that of the inference call alone, input generation excluded. All engines
derive OWL 2 RL plus the domain rules (owlrl and reasonable get them as SPARQL
rounds, as ``missilekg infer --engine`` runs them). owlrl is skipped above
``--owlrl-max`` triples (it takes minutes at 100k) and reasonable above
``--reasonable-max`` (its memory grows about 20x per 10x: 2.3 GiB at 100k
would not fit at 1M), and the table says so.
Ratios are against the default engine in the same run; growth is the time
factor for 10x more triples, so 10 means linear.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("default", "reasonable", "owlrl")


def worker(engine: str, size: int) -> None:
    """Run one engine on one generated graph and print a JSON line with its figures."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic_graph import synthetic_quads
    from missilekg.graph.reasoning.engines import derive

    quads = list(synthetic_quads(size))
    start = time.perf_counter()
    inference = derive(iter(quads), engine=engine)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"engine": engine, "size": len(quads), "seconds": seconds, "peak": peak,
                      "derived": len(inference.derived)}))  # fmt: skip


def store_worker(mode: str, size: int) -> None:
    """``missilekg infer`` end to end on an on-disk store: read, derive, provenance, one write transaction."""
    import tempfile

    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic_graph import synthetic_quads
    from missilekg.graph.reasoning.passes import infer
    from missilekg.graph.store.embedded import EmbeddedStore

    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder) / "store")
        if mode == "incremental":
            print(json.dumps(_incremental(store, size)))
            return
        store._store.bulk_extend(synthetic_quads(size))  # loading is not what is measured here
        start = time.perf_counter()
        report = infer(store, provenance=mode == "provenance")
        seconds = time.perf_counter() - start
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"engine": mode, "size": size, "seconds": seconds, "peak": peak, "derived": report.derived,
                      "provenance": report.provenance}))  # fmt: skip


def _incremental(store, size: int) -> dict:
    """Adding one article to an up-to-date graph (incremental) against a full pass over the result."""
    from benchmarks.synthetic_graph import synthetic_quads
    from missilekg.graph.loading.build import replace_and_infer
    from missilekg.graph.reasoning.passes import infer

    graphs: dict = {}
    for quad in synthetic_quads(size):
        graphs.setdefault(quad.graph_name, []).append(quad)
    last = max(g for g in graphs if "/article/synthetic-" in g.value)
    held_out = {last: graphs.pop(last)}
    replace_and_infer(store, graphs, infer=True)  # the graph before the article arrives, inferred
    start = time.perf_counter()
    report = replace_and_infer(store, held_out, infer=True)
    added = time.perf_counter() - start
    start = time.perf_counter()
    infer(store)
    full = time.perf_counter() - start
    return {"engine": report.inference.engine, "size": size, "seconds": added, "full": full,
            "derived": report.inference.derived}  # fmt: skip


def measure(engine: str, size: int, timeout: float) -> dict | None:
    """Run :func:`worker` in a child process; None when it ran out of time."""
    flag = "--store-worker" if engine in ("provenance", "no-provenance", "incremental") else "--worker"
    command = [sys.executable, __file__, flag, engine, str(size)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Measure, then print the table (Markdown, for the README) and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--owlrl-max", type=int, default=100_000, help="Skip owlrl above this many triples.")
    parser.add_argument("--reasonable-max", type=int, default=100_000,
                        help="Skip reasonable above this many triples (it needs about 2.3 GiB at 100k).")  # fmt: skip
    parser.add_argument("--timeout", type=float, default=1800, help="Seconds per run before giving up.")
    parser.add_argument("--store-sizes", type=int, nargs="*", default=[10_000, 100_000],
                        help="Sizes for the end-to-end `infer` runs on an on-disk store (none to skip).")  # fmt: skip
    parser.add_argument("--incremental-sizes", type=int, nargs="*", default=[100_000],
                        help="Sizes at which adding one article is timed against a full pass.")  # fmt: skip
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--store-worker", nargs=2, metavar=("MODE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return
    if args.store_worker:
        store_worker(args.store_worker[0], int(args.store_worker[1]))
        return
    results: dict[tuple[str, int], dict | None] = {}
    skipped: dict[tuple[str, int], str] = {}
    for size in args.sizes:
        for engine in ENGINES:
            limit = {"owlrl": args.owlrl_max, "reasonable": args.reasonable_max}.get(engine)
            if limit is not None and size > limit:
                skipped[(engine, size)] = f"skipped (> --{engine}-max {limit:,})"
                continue
            print(f"  {engine:10} {size:>10,} triples ...", end="", flush=True, file=sys.stderr)
            result = results[(engine, size)] = measure(engine, size, args.timeout)
            if result is None:
                skipped[(engine, size)] = f"did not finish in {args.timeout:.0f} s"
                print(" timed out", file=sys.stderr)
            else:
                print(f" {result['seconds']:.2f} s, {result['peak'] / 2**20:,.0f} MiB", file=sys.stderr)

    print("\n| triples | engine | time (s) | peak memory (MiB) | derived | time vs default | growth per 10x |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        base = results.get(("default", size))
        for engine in ENGINES:
            result = results.get((engine, size))
            if result is None:
                print(f"| {size:,} | {engine} | {skipped.get((engine, size), 'failed')} | | | | |")
                continue
            ratio = f"{result['seconds'] / base['seconds']:.1f}x" if base else ""
            smaller = results.get((engine, size // 10))
            growth = f"{result['seconds'] / smaller['seconds']:.1f}" if smaller else ""
            print(f"| {result['size']:,} | {engine} | {result['seconds']:.2f} | {result['peak'] / 2**20:,.0f} | "
                  f"{result['derived']:,} | {ratio} | {growth} |")  # fmt: skip
    print("\nTime vs default: how many times longer than the default engine on the same graph, same run.")
    if args.store_sizes:
        print("\n`missilekg infer` end to end on a new on-disk store (read, derive, write the derived graphs):\n")
        print(
            "| triples | provenance | time (s) | vs the engine alone | peak memory (MiB) | derived | provenance quads |"
        )
        print("|---:|---|---:|---:|---:|---:|---:|")
        incremental = []
        for size in args.store_sizes:
            engine_alone = results.get(("default", size))
            for mode in ("no-provenance", "provenance"):
                print(f"  infer {mode} {size:,} ...", file=sys.stderr)
                r = measure(mode, size, args.timeout)
                if r is None:
                    print(f"| {size:,} | {mode} | did not finish | | | | |")
                    continue
                versus = f"{r['seconds'] / engine_alone['seconds']:.1f}x" if engine_alone else "(not measured)"
                print(f"| {size:,} | {'yes' if mode == 'provenance' else 'no'} | {r['seconds']:.2f} | {versus} | "
                      f"{r['peak'] / 2**20:,.0f} | {r['derived']:,} | {r['provenance']:,} |")  # fmt: skip
        for size in args.incremental_sizes:
            print(f"  incremental {size:,} ...", file=sys.stderr)
            incremental.append(measure("incremental", size, args.timeout))
        print("\nAdding one article to an up-to-date graph, against a full pass over the same store (same process):\n")
        print("| triples | add one article (s) | full pass (s) | full / add |\n|---:|---:|---:|---:|")
        for r in incremental:
            if r is not None:
                print(f"| {r['size']:,} | {r['seconds']:.2f} | {r['full']:.2f} | {r['full'] / r['seconds']:.1f}x |")
    print("reasonable implements no property chains (prp-spo2) nor scm-dom1/scm-rng1, so it derives less.")


if __name__ == "__main__":
    main()
