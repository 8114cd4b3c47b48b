"""Inference benchmark: the default engine against owlrl and reasonable on generated graphs.

    make bench-inference                     # engines at 10k, 100k, 1M; infer end to end at 100k, 1M and 10M;
                                             # add and remove one article at 100k and 1M
    make bench-inference-quick               # the same without the 10M row (minutes less, gigabytes less)
    .venv/bin/python benchmarks/inference.py --sizes 10000 --store-sizes 100000 --incremental-sizes 100000

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
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

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


def load_worker(folder: str, size: int, hold_out: bool) -> None:
    """Bulk-load a generated graph into a new on-disk store (without its last article, with ``hold_out``)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic_graph import synthetic_quads
    from missilekg.graph.store.embedded import EmbeddedStore

    store = EmbeddedStore(Path(folder))
    quads = synthetic_quads(size)
    store._store.bulk_extend(_all_but_last_article(quads) if hold_out else quads)
    store.close()


def _all_but_last_article(quads: Iterator[ox.Quad]) -> Iterator[ox.Quad]:
    """The quads in order, less the last article's graph (each article's quads come together)."""
    held: list[ox.Quad] = []
    for quad in quads:
        if "/article/synthetic-" not in str(quad.graph_name):
            yield quad
        elif held and quad.graph_name != held[0].graph_name:
            yield from held
            held = [quad]
        else:
            held.append(quad)


def _last_article(size: int) -> tuple[ox.NamedNode, list[ox.Quad]]:
    """The graph name and quads of the generated graph's last article."""
    from benchmarks.synthetic_graph import synthetic_quads

    held: list[ox.Quad] = []
    for quad in synthetic_quads(size):
        if "/article/synthetic-" in str(quad.graph_name):
            if held and quad.graph_name != held[0].graph_name:
                held = []
            held.append(quad)
    return held[0].graph_name, held  # type: ignore[return-value]


def _loaded(folder: Path, size: int, *, hold_out: bool = False) -> None:
    """Load the store in a child process, so that the bulk loader's memory is not counted in the measured one."""
    command = [sys.executable, __file__, "--load-worker", str(folder), str(size)] + (["--hold-out"] if hold_out else [])
    subprocess.run(command, check=True)


def store_worker(mode: str, size: int) -> None:
    """``missilekg infer`` end to end on an on-disk store: read, derive, (provenance,) write the derived graphs."""
    import tempfile

    sys.path.insert(0, str(ROOT))
    from missilekg.graph.reasoning.passes import infer
    from missilekg.graph.store.embedded import EmbeddedStore

    with tempfile.TemporaryDirectory(dir=ROOT / "build") as folder:
        path = Path(folder) / "store"
        if mode == "incremental":
            _loaded(path, size, hold_out=True)
            print(json.dumps(_incremental(EmbeddedStore(path), size)))
            return
        _loaded(path, size)  # loading is not what is measured here
        store = EmbeddedStore(path)
        start = time.perf_counter()
        report = infer(store, provenance=mode == "provenance")
        seconds = time.perf_counter() - start
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"engine": mode, "size": size, "seconds": seconds, "peak": peak, "derived": report.derived,
                      "provenance": report.provenance}))  # fmt: skip


def _incremental(store, size: int) -> dict:
    """A full pass over the graph less its last article; then adding that article, and removing it again."""
    from missilekg.graph.loading.build import replace_and_infer
    from missilekg.graph.reasoning.passes import infer

    graph, quads = _last_article(size)
    start = time.perf_counter()
    infer(store, provenance=False)
    full = time.perf_counter() - start
    start = time.perf_counter()
    added = replace_and_infer(store, {graph: quads}, infer=True)
    add = time.perf_counter() - start
    start = time.perf_counter()
    removed = replace_and_infer(store, {}, infer=True, remove=[graph])
    remove = time.perf_counter() - start
    return {"engine": added.inference.engine, "removal": removed.inference.engine, "size": size, "add": add,
            "remove": remove, "full": full, "quads": len(quads), "derived": added.inference.derived}  # fmt: skip


def measure(engine: str, size: int, timeout: float) -> dict | None:
    """Run :func:`worker` in a child process; None when it ran out of time."""
    flag = "--store-worker" if engine in ("provenance", "no-provenance", "incremental") else "--worker"
    command = [sys.executable, __file__, flag, engine, str(size)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


#: The 10M run takes minutes and gigabytes: it is `--huge` (make bench-inference), and a run without it says so.
HUGE = 10_000_000


def main() -> None:
    """Measure, then print the tables (Markdown, for the README) with the ratios beside the times."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--owlrl-max", type=int, default=100_000, help="Skip owlrl above this many triples.")
    parser.add_argument("--reasonable-max", type=int, default=100_000,
                        help="Skip reasonable above this many triples (it needs about 2.3 GiB at 100k).")  # fmt: skip
    parser.add_argument("--timeout", type=float, default=3600, help="Seconds per run before giving up.")
    parser.add_argument("--store-sizes", type=int, nargs="*", default=[100_000, 1_000_000],
                        help="Sizes for the end-to-end `infer` runs on an on-disk store (none to skip).")  # fmt: skip
    parser.add_argument("--provenance-max", type=int, default=100_000,
                        help="End to end with a provenance graph only up to this size (it is ten times larger).")
    parser.add_argument("--incremental-sizes", type=int, nargs="*", default=[100_000, 1_000_000],
                        help="Sizes at which adding and removing one article are timed against a full pass.")
    parser.add_argument("--huge", action="store_true", help=f"Also infer {HUGE:,} triples end to end.")
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--store-worker", nargs=2, metavar=("MODE", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--load-worker", nargs=2, metavar=("FOLDER", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--hold-out", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return
    if args.store_worker:
        store_worker(args.store_worker[0], int(args.store_worker[1]))
        return
    if args.load_worker:
        load_worker(args.load_worker[0], int(args.load_worker[1]), args.hold_out)
        return
    (ROOT / "build").mkdir(exist_ok=True)
    if args.sizes:
        engines_table(args)
    store_sizes = list(args.store_sizes) + ([HUGE] if args.huge and HUGE not in args.store_sizes else [])
    if store_sizes:
        end_to_end_table(store_sizes, args)
    if args.incremental_sizes:
        incremental_table(args.incremental_sizes, args.timeout)


def engines_table(args: argparse.Namespace) -> None:
    """The engines alone on generated graphs, each in a process of its own."""
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
    print("reasonable implements no property chains (prp-spo2) nor scm-dom1/scm-rng1, so it derives less.")


def end_to_end_table(sizes: list[int], args: argparse.Namespace) -> None:
    """`missilekg infer` on a new on-disk store, each size in a process of its own (the store loaded by another)."""
    print("\n`missilekg infer` end to end on a new on-disk store (read, derive, write the derived graphs; peak: the"
          " resident maximum of the inferring process, store loaded by another):\n")
    print("| triples | provenance graph | time (s) | peak memory (MiB) | MiB per million triples | derived |"
          " provenance quads | time per million vs the smallest |")  # fmt: skip
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    first: dict | None = None
    for size in sizes:
        modes = ["no-provenance"] + (["provenance"] if size <= args.provenance_max else [])
        for mode in modes:
            print(f"  infer {mode} {size:,} ...", file=sys.stderr)
            r = measure(mode, size, args.timeout)
            if r is None:
                print(f"| {size:,} | {mode} | did not finish in {args.timeout:.0f} s | | | | | |")
                continue
            per_million = r["peak"] / 2**20 / (size / 1e6)
            if mode == "no-provenance" and first is None:
                first = r
            scaling = ""
            if first is not None and mode == "no-provenance":
                scaling = f"{(r['seconds'] / size) / (first['seconds'] / first['size']):.2f}x"
            print(f"| {size:,} | {'yes' if mode == 'provenance' else 'no'} | {r['seconds']:.2f} | "
                  f"{r['peak'] / 2**20:,.0f} | {per_million:,.0f} | {r['derived']:,} | {r['provenance']:,} | "
                  f"{scaling} |")  # fmt: skip
    if HUGE not in sizes:
        print(f"| {HUGE:,} | no | not in this run (about 12 minutes with loading, 10 GiB): "
              "`make bench-inference` or `--huge` | | | | | |")


def incremental_table(sizes: list[int], timeout: float) -> None:
    """Adding one article to an up-to-date on-disk store, and removing it again, against a full pass there."""
    print("\nOne article added to an up-to-date on-disk store, then removed again (delete and rederive), against a full"
          " pass (`infer`, no provenance graph) over the same store, same process:\n")
    print("| triples | article quads | full pass (s) | add (s) | full / add | remove (s) | full / remove |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        print(f"  incremental {size:,} ...", file=sys.stderr)
        r = measure("incremental", size, timeout)
        if r is None:
            print(f"| {size:,} | did not finish in {timeout:.0f} s | | | | | |")
            continue
        print(f"| {size:,} | {r['quads']} | {r['full']:.2f} | {r['add']:.3f} | {r['full'] / r['add']:.0f}x | "
              f"{r['remove']:.3f} | {r['full'] / r['remove']:.0f}x |")  # fmt: skip


if __name__ == "__main__":
    main()
