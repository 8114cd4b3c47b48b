"""Update latency: 30 one-triple INSERT DATA updates through /update on the seed graph, one after another.

    make bench-updates
    .venv/bin/python benchmarks/updates.py --updates 30

Two servers in the same run, on copies of the same seed store: the default
(incremental inference, applied in the same transaction by the writer
process) and the full-pass write (``INCREMENTAL_UPDATES=false``: every update
recomputes inference from all asserted graphs), which is the baseline. Prints
the median and the worst latency of each and their ratio; each update is
checked to be visible right after its acknowledgement. Last, what a write
costs each reader afterwards: opening the newly published snapshot read-only
and answering a first query, against the same query on a view already open.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.endpoint import endpoint, ms  # noqa: E402
from missilekg.graph.loading.build import build  # noqa: E402
from missilekg.graph.store.embedded import EmbeddedStore  # noqa: E402
from missilekg.graph.store.snapshots import open_current, publish  # noqa: E402

TOKEN = "bench-updates"
MKG = "https://missilekg.org/ontology#"
ARTICLE = "https://missilekg.org/graph/article/001_b57d21d69b0ca47c"
JSON = "application/sparql-results+json"


def one_triple(run: str, n: int) -> tuple[str, str]:
    """A one-triple INSERT DATA (a strike and its weapon: inference derives from it) and the ASK that finds it."""
    triple = f"<https://missilekg.org/id/strike/bench-{run}-{n}> <{MKG}weaponUsed> <https://missilekg.org/id/weapon/kn-23>"
    return f"INSERT DATA {{ GRAPH <{ARTICLE}> {{ {triple} }} }}", f"ASK {{ {triple} }}"


def measure(url: str, run: str, count: int) -> list[float]:
    """Seconds per acknowledged update; each is checked to be visible at once."""
    latencies = []
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    with httpx.Client(timeout=120) as http:
        for n in range(count):
            update, ask = one_triple(run, n)
            started = time.perf_counter()
            reply = http.post(f"{url}/update", content=update, headers=headers)
            latencies.append(time.perf_counter() - started)
            if reply.status_code != 200:
                sys.exit(f"FAILED: update {n} answered {reply.status_code}: {reply.text}")
            seen = http.get(f"{url}/sparql", params={"query": ask}, headers={"Accept": JSON})
            if not seen.json()["boolean"]:
                sys.exit(f"FAILED: acknowledged update {n} is not visible")
    return latencies


#: The first query a reader answers after it reopened: small, but it touches the store's indexes.
FIRST_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?type } }"


def reopen_costs(store: Path, count: int) -> tuple[list[float], list[float]]:
    """Seconds to open the current snapshot and answer a first query, and the same query on an open view."""
    reopened, warm = [], []
    for _ in range(count):
        started = time.perf_counter()
        opened = open_current(store)
        if opened is None:
            sys.exit("FAILED: no snapshot published")
        view, _name, handle = opened
        list(view.query(FIRST_QUERY))
        reopened.append(time.perf_counter() - started)
        started = time.perf_counter()
        list(view.query(FIRST_QUERY))
        warm.append(time.perf_counter() - started)
        del view
        handle.close()
    return reopened, warm


def main() -> None:
    """Build the seed store, measure both write paths on copies of it, print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--updates", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="missilekg-updates-"))
    results: dict[str, list[float]] = {}
    try:
        seed = EmbeddedStore(workdir / "seed")
        build(seed, ROOT / "seeds")
        publish(seed._store, workdir / "seed", "bench")
        reopened, warm = reopen_costs(workdir / "seed", args.updates)
        seed.close()
        shutil.rmtree(workdir / "seed.snapshots")
        for label, incremental in (("full pass (baseline)", "false"), ("incremental (default)", "true")):
            store = workdir / label.split()[0]
            shutil.copytree(workdir / "seed", store)
            env = {"MISSILEKG_UPDATE_TOKEN": TOKEN, "MISSILEKG_INCREMENTAL_UPDATES": incremental}
            with endpoint(store, args.workers, cache=True, env=env) as server:
                print(f"  {label}: {args.updates} updates ...", file=sys.stderr)
                results[label] = measure(server.url, label.split()[0], args.updates)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    base = statistics.median(results["full pass (baseline)"])
    print(f"\n{args.updates} one-triple INSERT DATA updates through /update, seed graph, one after another\n")
    print("| write path | p50 (ms) | worst (ms) | p50 vs full pass |\n|---|---:|---:|---:|")
    for label, latencies in results.items():
        median = statistics.median(latencies)
        print(f"| {label} | {ms(median)} | {ms(max(latencies))} | {median / base:.3f}x |")
    fast = statistics.median(results["incremental (default)"])
    verdict = "PASSED" if fast < 0.1 else "MISSED"
    print(f"\n{verdict}: incremental p50 {ms(fast)} ms (target < 100 ms), {base / fast:.1f}x faster than the full pass")
    print(f"\nWhat a write costs each reader afterwards ({args.updates} times, seed graph):\n")
    print("| reader | p50 (ms) | worst (ms) | p50 vs open view |\n|---|---:|---:|---:|")
    open_view = statistics.median(warm)
    for label, seconds in (("query on an open view (baseline)", warm),
                           ("reopen the new snapshot + the same query", reopened)):  # fmt: skip
        print(f"| {label} | {ms(statistics.median(seconds))} | {ms(max(seconds))} | "
              f"{statistics.median(seconds) / open_view:.1f}x |")  # fmt: skip


if __name__ == "__main__":
    main()
