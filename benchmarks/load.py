"""Bounded load test: 32 clients for 60 s against `missilekg serve` on loopback, a mix of catalogue queries.

    make load-test
    .venv/bin/python benchmarks/load.py --connections 32 --duration 60

Pass criteria printed at the end: no errors (non-2xx answers or socket errors) and the
latency percentiles. The result cache is off so that every request runs its query.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.endpoint import endpoint, ensure_wrk, ms, run_wrk  # noqa: E402
from missilekg.graph.loading.build import build  # noqa: E402
from missilekg.graph.store.embedded import EmbeddedStore  # noqa: E402
from missilekg.ontology import query_catalogue  # noqa: E402


def main() -> None:
    """Build the seed graph, serve it, load it, report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0, help="Seconds (bounded: at most 600).")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    duration = min(args.duration, 600.0)
    wrk = ensure_wrk()
    queries = [q.sparql for q in query_catalogue().values()]
    workdir = Path(tempfile.mkdtemp(prefix="missilekg-load-"))
    try:
        store = EmbeddedStore(workdir / "store")
        build(store, ROOT / "seeds")
        store.close()
        with endpoint(workdir / "store", args.workers, cache=False) as server:
            print(f"{args.connections} clients for {duration:.0f} s against {server.url} ...", file=sys.stderr)
            result = run_wrk(wrk, server.url, queries, args.connections, duration)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"| clients | seconds | queries/s | p50 (ms) | p99 (ms) | errors |\n|---:|---:|---:|---:|---:|---:|\n"
          f"| {args.connections} | {duration:.0f} | {result['qps']:,.0f} | {ms(result['p50'])} | {ms(result['p99'])} | "
          f"{result['errors'] + result.get('socket_errors', 0)} |")  # fmt: skip
    if result["errors"] or result.get("socket_errors"):
        sys.exit("FAILED: errors under load")
    print("PASSED: no errors under load")


if __name__ == "__main__":
    main()
