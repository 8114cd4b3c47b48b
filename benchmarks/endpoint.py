"""Endpoint benchmark: the competency queries over HTTP against in-process pyoxigraph and rdflib.

    make bench-endpoint
    .venv/bin/python benchmarks/endpoint.py --duration 10

Measured in one run, on the seed graph:
- the ceiling: each competency query run in-process on pyoxigraph (query + JSON);
- the floor: the same queries on rdflib's own SPARQL engine over the same quads;
- ``missilekg serve`` (gunicorn) under wrk at 1, 4 and 16 connections cycling
  through the twelve queries, with the result cache on (the default) and off;
- throughput at 16 connections with 1, 2 and 4 workers (cache off);
- the bare stack: one Flask route running one small query under gunicorn with
  2 workers, against the full endpoint answering the same small query.
wrk comes from Debian's package (installed here when missing). Everything
listens on 127.0.0.1 only and stops at the end.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from missilekg.graph.loading.build import build  # noqa: E402
from missilekg.graph.store.embedded import EmbeddedStore  # noqa: E402
from missilekg.ontology import query_catalogue  # noqa: E402

JSON = "application/sparql-results+json"
SMALL_QUERY = "SELECT ?s WHERE { ?s a <https://missilekg.org/ontology#Strike> } LIMIT 5"


def ensure_wrk() -> str:
    """The wrk binary, installing Debian's package when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk (Debian package) ...", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-q"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk") or sys.exit("wrk is not available; install Debian's wrk package")


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def in_process(store_path: Path, queries: list[str], seconds: float) -> dict:
    """pyoxigraph in this process: each query, then JSON, in a loop for ``seconds``."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_path))
    latencies: list[float] = []
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for query in queries:
            t0 = time.perf_counter()
            store.query(query, use_default_graph_as_union=True).serialize(io.BytesIO(), ox.QueryResultsFormat.JSON)
            latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    return {"qps": len(latencies) / elapsed, "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99)}


def with_rdflib(store_path: Path, queries: list[str], rounds: int) -> dict:
    """rdflib's SPARQL engine over the same quads (union default graph), ``rounds`` times each query."""
    import pyoxigraph as ox
    import rdflib

    data = ox.Store.read_only(str(store_path)).dump(format=ox.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=data, format="nquads")
    latencies: list[float] = []
    failed: set[int] = set()
    for _ in range(rounds):
        for number, query in enumerate(queries, start=1):
            if number in failed:
                continue
            t0 = time.perf_counter()
            try:
                dataset.query(query).serialize(format="json")
            except Exception as exc:  # rdflib's engine cannot run some valid queries; say which
                print(f"  rdflib fails on Q{number}: {type(exc).__name__}: {exc}", file=sys.stderr)
                failed.add(number)
                continue
            latencies.append(time.perf_counter() - t0)
    total = sum(latencies)
    return {"qps": len(latencies) / total, "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
            "failed": sorted(failed)}  # fmt: skip


def free_port() -> int:
    """An unused port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process on loopback, started and waited for; stopped on exit."""

    def __init__(self, command: list[str], port: int, env: dict[str, str], cwd: Path = ROOT) -> None:
        self.url = f"http://127.0.0.1:{port}"
        environment = {k: v for k, v in os.environ.items() if not k.startswith("MISSILEKG_")} | env
        self.process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/sparql?query={urllib.parse.quote(SMALL_QUERY)}", timeout=2)
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"server at {self.url} did not start")

    def __exit__(self, *exc: object) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=20)


#: wrk's connections all come from one address: the per-client limits would refuse most of them.
NO_CLIENT_LIMITS = {"MISSILEKG_CLIENT_MAX_QUERIES": "0", "MISSILEKG_CLIENT_QUERY_SECONDS": "0",
                    "MISSILEKG_RESERVED_WORKERS": "0"}  # fmt: skip


def endpoint(store: Path, workers: int, cache: bool, env: dict[str, str] | None = None) -> Server:
    """``missilekg serve`` with gunicorn, without per-client limits unless ``env`` sets them."""
    port = free_port()
    script = Path(sys.executable).with_name("missilekg")
    command = [str(script), "--store", f"oxigraph:{store}", "serve", "--port", str(port), "--workers", str(workers)]
    settings = {**NO_CLIENT_LIMITS, **({} if cache else {"MISSILEKG_RESULT_CACHE_BYTES": "0"}), **(env or {})}
    return Server(command, port, settings)


def bare(store: Path, workers: int) -> Server:
    """The bare Flask route under gunicorn."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               "--chdir", str(ROOT / "benchmarks"), "bare_app:app"]  # fmt: skip
    return Server(command, port, {"BARE_STORE": str(store), "BARE_QUERY": SMALL_QUERY})


def _seconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def run_wrk(wrk: str, url: str, queries: list[str], connections: int, duration: float) -> dict:
    """wrk at ``connections`` connections cycling through ``queries`` by GET; qps, p50, p99, errors."""
    paths = ",\n".join(f'  "/sparql?query={urllib.parse.quote(q)}"' for q in queries)
    script = f"""local paths = {{\n{paths}\n}}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], {{["Accept"] = "{JSON}"}})
end
"""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    threads = min(connections, 2)
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency",
               "-s", handle.name, url]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    os.unlink(handle.name)
    out = done.stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "socket_errors": sum(int(n) for n in sockets.groups()) if sockets else 0,
        "qps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _seconds(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)),  # type: ignore[union-attr]
        "p99": _seconds(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)),  # type: ignore[union-attr]
        "errors": int(errors.group(1)) if errors else 0,
    }


def ms(seconds: float) -> str:
    """Seconds as milliseconds, two decimals."""
    return f"{seconds * 1000:.2f}"


def main() -> None:
    """Measure everything, then print the tables and the targets."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="Seconds per wrk run.")
    parser.add_argument("--workers", type=int, default=4, help="Workers of the endpoint in the main runs.")
    args = parser.parse_args()
    wrk = ensure_wrk()
    queries = [q.sparql for q in query_catalogue().values()]
    workdir = Path(tempfile.mkdtemp(prefix="missilekg-bench-"))
    store_path = workdir / "store"
    try:
        built = EmbeddedStore(store_path)
        build(built, ROOT / "seeds")
        built.close()
        print("measuring in-process pyoxigraph and rdflib ...", file=sys.stderr)
        ceiling = in_process(store_path, queries, args.duration)
        floor = with_rdflib(store_path, queries, rounds=3)
        rows: list[tuple[str, int, dict]] = []
        for cache in (True, False):
            with endpoint(store_path, args.workers, cache) as server:
                for connections in (1, 4, 16):
                    print(f"  endpoint cache={'on' if cache else 'off'} c={connections} ...", file=sys.stderr)
                    label = f"endpoint, {args.workers} workers, cache {'on' if cache else 'off'}"
                    rows.append((label, connections, run_wrk(wrk, server.url, queries, connections, args.duration)))
        scaling: list[tuple[int, dict]] = []
        for workers in (1, 2, 4):
            with endpoint(store_path, workers, cache=False) as server:
                print(f"  endpoint workers={workers} c=16 ...", file=sys.stderr)
                scaling.append((workers, run_wrk(wrk, server.url, queries, 16, args.duration)))
        small: list[tuple[str, dict]] = []
        with bare(store_path, 2) as server:
            print("  bare Flask c=16 ...", file=sys.stderr)
            small.append(("bare Flask route, gunicorn 2 workers", run_wrk(wrk, server.url, [SMALL_QUERY], 16,
                                                                           args.duration)))  # fmt: skip
        for cache in (True, False):
            with endpoint(store_path, 2, cache) as server:
                print(f"  endpoint small query cache={'on' if cache else 'off'} c=16 ...", file=sys.stderr)
                small.append((f"endpoint, 2 workers, cache {'on' if cache else 'off'}",
                              run_wrk(wrk, server.url, [SMALL_QUERY], 16, args.duration)))  # fmt: skip
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\nCompetency queries Q1-Q12 on the seed graph ({os.cpu_count()} cores, wrk on the same machine)\n")
    print("| setup | clients | queries/s | p50 (ms) | p99 (ms) | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    top = ceiling
    print(f"| in-process pyoxigraph (ceiling) | 1 | {top['qps']:,.0f} | {ms(top['p50'])} | {ms(top['p99'])} | |")
    skipped = ", ".join(f"Q{n}" for n in floor["failed"])
    print(f"| rdflib SPARQL engine (floor{', without ' + skipped if skipped else ''}) | 1 | {floor['qps']:,.1f} | "
          f"{ms(floor['p50'])} | {ms(floor['p99'])} | |")  # fmt: skip
    for label, connections, r in rows:
        print(f"| {label} | {connections} | {r['qps']:,.0f} | {ms(r['p50'])} | {ms(r['p99'])} | {r['errors']} |")
    print("\n| workers (cache off, 16 clients) | queries/s | p50 (ms) | p99 (ms) |\n|---:|---:|---:|---:|")
    for workers, r in scaling:
        print(f"| {workers} | {r['qps']:,.0f} | {ms(r['p50'])} | {ms(r['p99'])} |")
    print("\n| one small query, 16 clients | queries/s | p50 (ms) | p99 (ms) | vs bare |\n|---|---:|---:|---:|---:|")
    base = small[0][1]["qps"]
    for label, r in small:
        print(f"| {label} | {r['qps']:,.0f} | {ms(r['p50'])} | {ms(r['p99'])} | {base / r['qps']:.2f}x slower |")

    one = {label: r for label, c, r in rows if c == 1}
    sixteen = {label: r for label, c, r in rows if c == 16}
    print("\nRatios and targets (same run):")
    print(f"- in-process pyoxigraph is {ceiling['qps'] / floor['qps']:,.0f}x rdflib's throughput")
    for label, r in one.items():
        print(f"- {label}: HTTP p50 - in-process p50 = {ms(r['p50'] - ceiling['p50'])} ms (target <= 1 ms)")
    for label, r in sixteen.items():
        print(f"- {label}: {r['qps']:,.0f} q/s at 16 clients (target >= 1,500), p99 {ms(r['p99'])} ms (target < 50)")
    growth = " / ".join(f"{r['qps']:,.0f}" for _, r in scaling)
    print(f"- throughput with 1/2/4 workers: {growth} q/s")
    for label, r in small[1:]:
        print(f"- {label}: {base / r['qps']:.2f}x the bare stack's time per query (target <= 2.5x)")


if __name__ == "__main__":
    main()
