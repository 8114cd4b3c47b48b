"""Scale benchmark: build, infer and the competency queries from 10k to 10M triples.

    make bench-scale                                   # 10k, 100k, 1M, 10M on the embedded store; 1M on Virtuoso
    .venv/bin/python benchmarks/scale.py --sizes 10000 100000 --virtuoso-sizes 100000

The corpus is synthetic annotated articles in the seeds' shape (news-style
texts with names from the vocabulary, annotated by the extractor, written as
article + YAML pairs like reviewed annotations; `loaders/synthetic.py`),
generated once per size into `build/scale-corpus/` and reused. Each step runs
in a fresh process, so its time and peak memory (its own maximum resident set
and its children's) are its own:

- build: `missilekg build --bulk --no-infer` into a new store (read and check
  every annotation, map, load by the store's bulk path);
- infer: the default engine without provenance, written to the store;
- queries: Q1-Q12 once each, results read to the end.

A second table gives each query's time at every embedded size and its growth
over the last 10x. Virtuoso rows also give their time as a ratio to the
embedded store's at the same size, measured in the same run.

Inference is skipped above ``--infer-max`` triples (default 1M: it needs about
1.7 GiB per million triples and more to write, so 10M would not fit next to the
store on a 24 GiB machine), and the table says so. Growth is the time factor
for 10x more triples: 10 means linear.
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
CORPUS = ROOT / "build" / "scale-corpus"
QUADS_PER_ARTICLE_GUESS = 480


def _peak() -> int:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) * 1024


def step(name: str, spec: str, corpus: str, graph_store: str | None) -> None:
    """Run one step in this process and print a JSON line: seconds, peak bytes, and what it did."""
    import os

    sys.path.insert(0, str(ROOT))
    if graph_store:
        os.environ["MISSILEKG_GRAPH_STORE_URL"] = graph_store
    from missilekg.graph.loading.bulk import bulk_build
    from missilekg.graph.reasoning.passes import infer
    from missilekg.graph.store.spec import open_store
    from missilekg.ontology import query_catalogue

    store = open_store(spec)
    start = time.perf_counter()
    detail: dict = {}
    if name == "build":
        report = bulk_build(store, sorted(Path(corpus).glob("*.txt")))
        detail = {"quads": report.quads, "articles": report.articles}
    elif name == "infer":
        report = infer(store, provenance=False)
        detail = {"derived": report.derived, "asserted": report.asserted}
    elif name == "queries":
        rows, each = 0, {}
        for query in query_catalogue().values():
            started = time.perf_counter()
            result = store.query(query.sparql)
            rows += sum(1 for _ in result) if not isinstance(result, bool) else 1
            each[query.name] = time.perf_counter() - started
        detail = {"rows": rows, "each": each}
    seconds = time.perf_counter() - start
    store.close()
    print(json.dumps({"seconds": seconds, "peak": _peak(), **detail}))


def _run(name: str, spec: str, corpus: Path, graph_store: str | None = None) -> dict:
    command = [sys.executable, __file__, "--step", name, "--spec", spec, "--corpus", str(corpus)]
    if graph_store:
        command += ["--graph-store", graph_store]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _corpus(size: int) -> Path:
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic_articles import write_annotated_corpus

    articles = max(1, round(size / QUADS_PER_ARTICLE_GUESS))
    folder = CORPUS / f"{articles}"
    started = time.perf_counter()
    write_annotated_corpus(folder, articles)
    print(f"  corpus for {size:,} triples: {articles:,} articles ({time.perf_counter() - started:.0f} s to prepare)",
          file=sys.stderr, flush=True)  # fmt: skip
    return folder


def main() -> None:
    """Measure every size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000, 10_000_000])
    parser.add_argument("--virtuoso-sizes", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--infer-max", type=int, default=1_000_000)
    parser.add_argument("--step")
    parser.add_argument("--spec")
    parser.add_argument("--corpus")
    parser.add_argument("--graph-store")
    args = parser.parse_args()
    if args.step:
        step(args.step, args.spec, args.corpus, args.graph_store)
        return
    print(
        "| store | triples (asserted) | build s | build triples/s | build peak MiB | infer s | infer peak MiB "
        "| queries s | growth per 10x (build / infer / queries) "
        "| time vs embedded, same size (build / infer / queries) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---|", flush=True)
    previous: dict[str, dict] = {}
    embedded_at: dict[int, dict] = {}
    for backend, sizes in (("embedded", args.sizes), ("virtuoso", args.virtuoso_sizes)):
        for size in sizes:
            corpus = _corpus(size)
            with tempfile.TemporaryDirectory(prefix="missilekg-scale-") as tmp:
                if backend == "embedded":
                    figures = _measure(f"oxigraph:{tmp}/store", corpus, None, size <= args.infer_max)
                else:
                    sys.path.insert(0, str(ROOT))
                    from tests.virtuoso import running_virtuoso

                    with running_virtuoso(Path(tmp) / "virtuoso", memory_gib=4) as virtuoso:
                        figures = _measure(virtuoso.sparql, corpus, virtuoso.graph_store, size <= args.infer_max)
            last = previous.get(backend)
            growth = "" if last is None else " / ".join(
                f"{figures[k]['seconds'] / last[k]['seconds']:.1f}" if figures.get(k) and last.get(k) else "-"
                for k in ("build", "infer", "queries")
            )  # fmt: skip
            previous[backend] = figures
            if backend == "embedded":
                embedded_at[size] = figures
            versus = "" if backend == "embedded" or size not in embedded_at else _ratios(figures, embedded_at[size])
            build, infer_, queries = figures["build"], figures.get("infer"), figures["queries"]
            infer_text = (f"{infer_['seconds']:.1f} | {infer_['peak'] / 2**20:,.0f}" if infer_
                          else f"skipped (> {args.infer_max:,}) | -")  # fmt: skip
            rate = build["quads"] / build["seconds"]
            print(f"| {backend} | {build['quads']:,} | {build['seconds']:.1f} | {rate:,.0f} "
                  f"| {build['peak'] / 2**20:,.0f} | {infer_text} | {queries['seconds']:.1f} | {growth} | {versus} |",
                  flush=True)  # fmt: skip
    _per_query(embedded_at)


def _ratios(figures: dict, baseline: dict) -> str:
    return " / ".join(
        f"{figures[k]['seconds'] / baseline[k]['seconds']:.1f}x" if figures.get(k) and baseline.get(k) else "-"
        for k in ("build", "infer", "queries")
    )


def _per_query(embedded_at: dict[int, dict]) -> None:
    """Each competency query's seconds at each embedded size, and its growth over the last 10x."""
    sizes = sorted(embedded_at)
    if len(sizes) < 2:
        return
    last, before = embedded_at[sizes[-1]]["queries"]["each"], embedded_at[sizes[-2]]["queries"]["each"]
    print(f"\n| query | {' | '.join(f'{size:,} s' for size in sizes)} | growth {sizes[-2]:,} to {sizes[-1]:,} |")
    print("|---|" + "---:|" * (len(sizes) + 1))
    for name in last:
        cells = " | ".join(f"{embedded_at[size]['queries']['each'][name]:.2f}" for size in sizes)
        growth = f"{last[name] / before[name]:.1f}" if before[name] > 0.005 else "- (under 5 ms)"
        print(f"| {name} | {cells} | {growth} |")


def _measure(spec: str, corpus: Path, graph_store: str | None, with_inference: bool) -> dict:
    figures = {"build": _run("build", spec, corpus, graph_store)}
    if with_inference:
        figures["infer"] = _run("infer", spec, corpus, graph_store)
    figures["queries"] = _run("queries", spec, corpus, graph_store)
    return figures


if __name__ == "__main__":
    main()
