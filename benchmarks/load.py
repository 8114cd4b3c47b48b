"""Bounded load test against `missilekg serve` on loopback: readers and writers together, then heavy clients.

    make load-test                      # 32 readers (wrk) + 2 writers for 60 s, then the starvation check
    make load-soak                      # the same mix for 30 minutes
    .venv/bin/python benchmarks/load.py --connections 32 --writers 2 --duration 60

Mix: wrk cycles the catalogue queries on ``--connections`` connections (result
cache off, so every request runs its query on the current snapshot) while
``--writers`` clients send one-triple INSERT DATA updates back to back. Passes
when no request failed (no non-2xx answer, no socket error, every update
acknowledged) and every acknowledged update is visible afterwards.

Starvation: 8 concurrent copies of a heavy query (a four-way cross join) from
one client (127.0.0.2), while another client (127.0.0.1) sends ``ASK {}``
every 100 ms; the per-client limits are on, as by default. Its latencies are
printed against the same ASK on the idle server, measured first. Passes when
every ASK was answered, within a second, and the heavy client got 429s.

Everything listens on 127.0.0.1 only and stops at the end.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.endpoint import endpoint, ensure_wrk, ms, run_wrk  # noqa: E402
from benchmarks.updates import TOKEN, one_triple  # noqa: E402
from missilekg.graph.loading.build import build  # noqa: E402
from missilekg.graph.store.embedded import EmbeddedStore  # noqa: E402
from missilekg.ontology import query_catalogue  # noqa: E402

JSON = {"Accept": "application/sparql-results+json"}
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


class Writers:
    """Clients sending one-triple updates back to back until stopped; what was acknowledged, what failed."""

    def __init__(self, url: str, count: int) -> None:
        self.url = url
        self.acknowledged: list[str] = []
        self.failures: list[str] = []
        self.latencies: list[float] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(n,)) for n in range(count)]

    def _run(self, writer: int) -> None:
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
        n = 0
        with httpx.Client(timeout=120) as http:
            while not self.stopping.is_set():
                update, ask = one_triple(f"w{writer}", n)
                n += 1
                started = time.perf_counter()
                try:
                    reply = http.post(f"{self.url}/update", content=update, headers=headers)
                except httpx.HTTPError as exc:
                    self.failures.append(f"{type(exc).__name__}: {exc}")
                    continue
                self.latencies.append(time.perf_counter() - started)
                if reply.status_code == 200:
                    self.acknowledged.append(ask)
                else:
                    self.failures.append(f"{reply.status_code}: {reply.text.strip()}")

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()


def invisible(url: str, asks: list[str]) -> int:
    """How many acknowledged updates a reader cannot find."""
    with httpx.Client(timeout=60) as http:
        return sum(not http.get(f"{url}/sparql", params={"query": ask}, headers=JSON).json()["boolean"] for ask in asks)


def mix(store: Path, args: argparse.Namespace, wrk: str) -> bool:
    """Readers and writers together; True when nothing failed and every acknowledged write is visible."""
    queries = [q.sparql for q in query_catalogue().values()]
    env = {"MISSILEKG_UPDATE_TOKEN": TOKEN}
    with endpoint(store, args.workers, cache=False, env=env) as server:
        alone_seconds = min(args.duration, 20.0)
        print(f"{args.connections} readers alone for {alone_seconds:.0f} s (baseline) ...", file=sys.stderr)
        alone = run_wrk(wrk, server.url, queries, args.connections, alone_seconds)
        print(f"{args.connections} readers + {args.writers} writers for {args.duration:.0f} s against {server.url} ...",
              file=sys.stderr)  # fmt: skip
        with Writers(server.url, args.writers) as writers:
            reads = run_wrk(wrk, server.url, queries, args.connections, args.duration)
        missing = invisible(server.url, writers.acknowledged)
    snapshots = [p for p in store.with_name(store.name + ".snapshots").iterdir() if p.is_dir() and not p.is_symlink()]
    failed_reads = sum(r["errors"] + r.get("socket_errors", 0) for r in (alone, reads))
    writes = writers.latencies or [0.0]
    print(f"\n{args.connections} readers and {args.writers} writers, {args.duration:.0f} s, {args.workers} workers, "
          "seed graph, result cache off\n")  # fmt: skip
    print("| readers: queries/s | p50 (ms) | p99 (ms) | failed reads | writes acknowledged | write p50 (ms) | "
          "write worst (ms) | failed writes | acknowledged but not visible |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {reads['qps']:,.0f} | {ms(reads['p50'])} | {ms(reads['p99'])} | {failed_reads} | "
          f"{len(writers.acknowledged):,} | {ms(statistics.median(writes))} | {ms(max(writes))} | "
          f"{len(writers.failures)} | {missing} |")  # fmt: skip
    print(f"\nreaders alone (baseline, {alone_seconds:.0f} s, same server): {alone['qps']:,.0f} queries/s, "
          f"p50 {ms(alone['p50'])} ms, p99 {ms(alone['p99'])} ms; with the writers: "
          f"{reads['qps'] / alone['qps']:.2f}x the throughput, {reads['p50'] / alone['p50']:.2f}x the p50 latency")
    print(f"\nsnapshots left on disk: {len(snapshots)} (at most one per worker and the current one)")
    for failure in writers.failures[:5]:
        print(f"  write failed: {failure}")
    return not failed_reads and not writers.failures and not missing and bool(writers.acknowledged)


def starvation(store: Path, args: argparse.Namespace) -> bool:
    """8 heavy queries from one client, ASK {} from another; True when every ASK came back within a second."""
    asks: list[float] = []
    heavy: list[int] = []
    env = {"MISSILEKG_RESULT_CACHE_BYTES": "0", "MISSILEKG_CLIENT_MAX_QUERIES": "4",
           "MISSILEKG_CLIENT_QUERY_SECONDS": "120", "MISSILEKG_RESERVED_WORKERS": "1",
           "MISSILEKG_QUERY_TIMEOUT": str(args.heavy_seconds)}  # fmt: skip
    with endpoint(store, args.workers, cache=False, env=env) as server:
        other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.1"), timeout=60)

        def timed_ask() -> float:
            started = time.perf_counter()
            reply = other.get(f"{server.url}/sparql", params={"query": "ASK {}"}, headers=JSON)
            return time.perf_counter() - started if reply.status_code == 200 else float("inf")

        idle = [timed_ask() for _ in range(20)]
        stopping = threading.Event()

        def heavy_client() -> None:
            with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=120) as http:
                while not stopping.is_set():
                    heavy.append(http.get(f"{server.url}/sparql", params={"query": HEAVY}, headers=JSON).status_code)
                    if heavy[-1] == 429:
                        time.sleep(0.05)

        threads = [threading.Thread(target=heavy_client) for _ in range(8)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        until = time.monotonic() + args.starvation_duration
        while time.monotonic() < until:
            asks.append(timed_ask())
            time.sleep(0.1)
        stopping.set()
        for thread in threads:
            thread.join()
        other.close()
    base = statistics.median(idle)
    worst = max(asks)
    refused = heavy.count(429)
    print(f"\n8 concurrent heavy queries from one client for {args.starvation_duration:.0f} s ({args.workers} workers, "
          f"runaways stopped at {args.heavy_seconds:g} s); another client's ASK {{}}\n")  # fmt: skip
    print("| ASK {} from the other client | answered | p50 (ms) | worst (ms) | p50 vs idle server |")
    print("|---|---:|---:|---:|---:|")
    print(f"| idle server (baseline) | {len(idle)} | {ms(base)} | {ms(max(idle))} | 1.00x |")
    print(f"| during the heavy queries | {sum(a != float('inf') for a in asks)}/{len(asks)} | "
          f"{ms(statistics.median(asks))} | {ms(worst)} | {statistics.median(asks) / base:.2f}x |")  # fmt: skip
    print(f"\nheavy client: {len(heavy)} answers, {refused} of them 429, {heavy.count(503)} stopped at the time limit")
    return worst < 1.0 and refused > 0


def main() -> None:
    """Build the seed graph, run the mix and the starvation check, report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=60.0, help="Seconds of the mix (bounded: at most 600).")
    parser.add_argument("--soak", action="store_true", help="Run the mix for 30 minutes (--duration up to 3 hours).")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--starvation-duration", type=float, default=30.0)
    parser.add_argument("--heavy-seconds", type=float, default=10.0, help="QUERY_TIMEOUT in the starvation check.")
    parser.add_argument("--skip-starvation", action="store_true")
    args = parser.parse_args()
    if args.soak:
        args.duration = 1800.0 if args.duration == 60.0 else min(args.duration, 3 * 3600.0)
    else:
        args.duration = min(args.duration, 600.0)
    wrk = ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="missilekg-load-"))
    try:
        store = EmbeddedStore(workdir / "store")
        build(store, ROOT / "seeds")
        store.close()
        passed = mix(workdir / "store", args, wrk)
        if not args.skip_starvation:
            passed = starvation(workdir / "store", args) and passed
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if not passed:
        sys.exit("FAILED: see above")
    print("PASSED: no failed request, every acknowledged write visible, small queries answered under heavy ones")


if __name__ == "__main__":
    main()
