"""The endpoint under real load (gunicorn on loopback, real HTTP clients): reads during writes, fast small writes that
keep inference exact, per-client limits, and a writer killed in the middle of an update.

Two clients are told apart by their address: the "other" client binds 127.0.0.2.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from functools import partial
from pathlib import Path

import httpx
import pytest

from missilekg.graph.loading.build import build
from missilekg.graph.reasoning.graphs import INFERRED_GRAPH, PROVENANCE_GRAPH
from missilekg.graph.reasoning.passes import infer
from missilekg.graph.store.embedded import EmbeddedStore
from missilekg.graph.store.writer import StoreOwner
from missilekg.server.writes import apply_update
from tests.conftest import SEEDS
from tests.servers import running_server, seed_store

TOKEN = "load-token-81be"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MKG = "https://missilekg.org/ontology#"
ARTICLE = "https://missilekg.org/graph/article/001_b57d21d69b0ca47c"
SMALL = f"SELECT ?s WHERE {{ ?s a <{MKG}Strike> }} LIMIT 5"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
JSON = {"Accept": "application/sparql-results+json"}


def new_strike(n: int) -> tuple[str, str]:
    """A one-triple INSERT DATA adding a strike with a weapon (inference derives its class and more), and its ASK."""
    triple = f"<https://missilekg.org/id/strike/load-{n}> <{MKG}weaponUsed> <https://missilekg.org/id/weapon/kn-23>"
    return f"INSERT DATA {{ GRAPH <{ARTICLE}> {{ {triple} }} }}", f"ASK {{ GRAPH <{ARTICLE}> {{ {triple} }} }}"


def client(local_address: str = "127.0.0.1") -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=local_address), timeout=60)


def ask(http: httpx.Client, url: str, query: str) -> bool:
    reply = http.get(f"{url}/sparql", params={"query": query}, headers=JSON)
    assert reply.status_code == 200, reply.text
    return reply.json()["boolean"]


class Readers:
    """Threads repeating a query until stopped, counting the answers by status."""

    def __init__(self, url: str, query: str, count: int) -> None:
        self.url, self.query = url, query
        self.statuses: list[int] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run) for _ in range(count)]

    def _run(self) -> None:
        with client() as http:
            while not self.stopping.is_set():
                try:
                    status = http.get(f"{self.url}/sparql", params={"query": self.query}, headers=JSON).status_code
                except httpx.HTTPError:
                    status = -1
                self.statuses.append(status)

    def __enter__(self) -> Readers:
        any(thread.start() for thread in self.threads)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        any(thread.join() for thread in self.threads)


def test_no_read_fails_while_updates_commit(tmp_path):
    """16 readers (cache off, so every read opens the current snapshot's data) while 30 updates commit one by one."""
    store = seed_store(tmp_path)
    env = {"MISSILEKG_UPDATE_TOKEN": TOKEN, "MISSILEKG_RESULT_CACHE_BYTES": "0", "MISSILEKG_CLIENT_MAX_QUERIES": "0",
           "MISSILEKG_RESERVED_WORKERS": "0"}  # fmt: skip
    with running_server(store, env=env, workers=4) as url, client() as http:
        with Readers(url, SMALL, 16) as readers:
            replies = [http.post(f"{url}/update", content=new_strike(n)[0],
                                 headers={**AUTH, "Content-Type": "application/sparql-update"})
                       for n in range(30)]  # fmt: skip
        assert [reply.status_code for reply in replies] == [200] * 30
        assert all("incrementally" in reply.text for reply in replies)
        assert readers.statuses and set(readers.statuses) == {200}, "no read failed during the writes"
        assert all(ask(http, url, new_strike(n)[1]) for n in range(30)), "every acknowledged update is visible"
        strike = "<https://missilekg.org/id/strike/load-7>"
        derived = f"ASK {{ GRAPH <{INFERRED_GRAPH.value}> {{ {strike} a <{MKG}Strike> }} }}"
        assert ask(http, url, derived), "the update's consequences are inferred"
    kept = [p for p in (tmp_path / "store.snapshots").iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(kept) <= 4 + 1, "old snapshots are retired: at most one held per worker, and the current one"


def test_incremental_update_infers_what_a_full_pass_does(tmp_path):
    incremental, full = EmbeddedStore(tmp_path / "a"), EmbeddedStore(tmp_path / "b")
    for store in (incremental, full):
        build(store, SEEDS, provenance=True)  # the incremental write keeps the provenance graph complete
    text = new_strike(1)[0]
    assert "incrementally" in apply_update(text, True, True, None, incremental)
    assert "incrementally" not in apply_update(text, True, False, None, full)
    infer(full)  # the reference: a pass over everything
    inferred = [set(store.quads(INFERRED_GRAPH)) for store in (incremental, full)]
    assert inferred[0] == inferred[1]
    described = {q.object for q in incremental.quads(PROVENANCE_GRAPH) if q.predicate.value.endswith("#subject")}
    assert {q.subject for q in inferred[0]} <= described, "every derived triple has its provenance"


def test_the_writer_keeps_inference_exact_across_updates(tmp_path):
    """The writer process keeps the closure it read between writes: after several updates, still a full pass's."""
    path = seed_store(tmp_path)
    owner = StoreOwner(path)
    try:
        reports = [owner.apply(partial(apply_update, new_strike(n)[0], True, True, None)) for n in range(3)]
        reports.append(owner.apply(partial(apply_update, new_strike(1)[0], True, True, None)))  # already there
    finally:
        owner.close()
    assert all("incrementally" in report for report in reports[:3]) and "nothing new" in reports[3]
    store = EmbeddedStore(path)
    incremental = set(store.quads(INFERRED_GRAPH))
    infer(store)
    assert set(store.quads(INFERRED_GRAPH)) == incremental
    store.close()


def test_a_heavy_client_cannot_starve_the_others(tmp_path):
    """8 concurrent heavy queries from one client: the other client's ASK {} keeps being answered, the heavy one is
    refused with 429 and Retry-After beyond its share."""
    store = seed_store(tmp_path)
    env = {"MISSILEKG_RESULT_CACHE_BYTES": "0"}
    with running_server(store, env=env, workers=4, extra=["--query-timeout", "8"]) as url:
        heavy_statuses: list[tuple[int, str | None]] = []

        def heavy() -> None:
            with client("127.0.0.2") as http:
                reply = http.get(f"{url}/sparql", params={"query": HEAVY}, headers=JSON)
                heavy_statuses.append((reply.status_code, reply.headers.get("Retry-After")))

        threads = [threading.Thread(target=heavy) for _ in range(8)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        other = []
        with client("127.0.0.1") as http:
            while any(thread.is_alive() for thread in threads) and len(other) < 200:
                reply = http.get(f"{url}/sparql", params={"query": "ASK {}"}, headers=JSON)
                other.append(reply.status_code)
                time.sleep(0.1)
        for thread in threads:
            thread.join()
    assert other and set(other) == {200}, "the other client's small queries are all answered"
    refused = [retry for status, retry in heavy_statuses if status == 429]
    assert refused and all(retry and int(retry) >= 1 for retry in refused), "the heavy client gets 429s"
    assert len(refused) >= 8 - 3, "at most workers - 1 heavy queries ran"


def test_query_seconds_per_minute(tmp_path):
    store = seed_store(tmp_path)
    env = {"MISSILEKG_RESULT_CACHE_BYTES": "0", "MISSILEKG_CLIENT_QUERY_SECONDS": "1"}
    with running_server(store, env=env, extra=["--query-timeout", "2"]) as url, client("127.0.0.2") as http:
        first = http.get(f"{url}/sparql", params={"query": HEAVY}, headers=JSON)
        assert first.status_code == 503  # ran its 2 s: more than the minute's budget of 1 s
        second = http.get(f"{url}/sparql", params={"query": "ASK {}"}, headers=JSON)
        assert second.status_code == 429 and "query time" in second.text
        assert 1 <= int(second.headers["Retry-After"]) <= 60
        with client("127.0.0.1") as other:
            assert other.get(f"{url}/sparql", params={"query": "ASK {}"}, headers=JSON).status_code == 200


def _writer_pid(store: Path) -> int:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"missilekg.graph.store.writer" in command and str(store).encode() in command:
                return int(entry.name)
    raise AssertionError("no writer process")


def test_writer_killed_mid_update_loses_only_that_update(tmp_path):
    """kill -9 of the writer during an update that runs a full inference pass, with readers attached."""
    store = seed_store(tmp_path)
    env = {"MISSILEKG_UPDATE_TOKEN": TOKEN, "MISSILEKG_RESULT_CACHE_BYTES": "0", "MISSILEKG_CLIENT_MAX_QUERIES": "0",
           "MISSILEKG_RESERVED_WORKERS": "0"}  # fmt: skip
    headers = {**AUTH, "Content-Type": "application/sparql-update"}
    # Large enough to keep the writer busy for over a second (~28k quads, every statement of the article times
    # every object in the store), with a full inference pass: a full pass alone on the seeds no longer takes that.
    doomed = (f"INSERT {{ GRAPH <{ARTICLE}> {{ ?s <{MKG}note> 'doomed' . ?s <{MKG}noteAbout> ?o }} }} "
              f"WHERE {{ GRAPH <{ARTICLE}> {{ ?s a <{MKG}Statement> }} GRAPH ?g {{ ?x ?p ?o }} }}")  # fmt: skip
    seen_doomed = f"ASK {{ ?s <{MKG}note> 'doomed' }}"
    with running_server(store, env=env, workers=3) as url, client() as http:
        acknowledged = [new_strike(n) for n in range(3)]
        for update, _ in acknowledged:
            assert http.post(f"{url}/update", content=update, headers=headers).status_code == 200
        with Readers(url, seen_doomed, 4) as readers:
            result: dict = {}
            sender = threading.Thread(
                target=lambda: result.setdefault("reply", http.post(f"{url}/update", content=doomed, headers=headers)))
            sender.start()
            time.sleep(0.3)  # the update takes over a second: the writer is mid-update
            os.kill(_writer_pid(store), signal.SIGKILL)
            sender.join()
            time.sleep(1.0)
        assert result["reply"].status_code == 503, "the killed update is not acknowledged"
        assert set(readers.statuses) == {200}, "readers were not disturbed"
        late = new_strike(99)
        deadline = time.monotonic() + 20
        while (reply := http.post(f"{url}/update", content=late[0], headers=headers)).status_code == 503:
            assert time.monotonic() < deadline, "a new writer process takes over"
            time.sleep(0.2)
        assert reply.status_code == 200
        acknowledged.append(late)
    with running_server(store, env=env) as url, client() as http:  # restarted
        assert all(ask(http, url, check) for _, check in acknowledged), "every acknowledged update is there"
        assert not ask(http, url, seen_doomed), "the killed update is not"


def test_readers_never_saw_the_half_applied_update(tmp_path):
    """Readers polling for the doomed update's triple while the writer is killed never find it (see above); here the
    same guarantee for a completed full-pass update: its triples and their inference appear in the same snapshot."""
    store = seed_store(tmp_path)
    env = {"MISSILEKG_UPDATE_TOKEN": TOKEN, "MISSILEKG_RESULT_CACHE_BYTES": "0", "MISSILEKG_CLIENT_MAX_QUERIES": "0",
           "MISSILEKG_RESERVED_WORKERS": "0"}  # fmt: skip
    update = f"INSERT DATA {{ GRAPH <{ARTICLE}> {{ <https://missilekg.org/id/strike/torn> <{MKG}weaponUsed> " \
             f"<https://missilekg.org/id/weapon/kn-23> }} }}"  # fmt: skip
    strike = "<https://missilekg.org/id/strike/torn>"
    torn = (f"ASK {{ GRAPH <{ARTICLE}> {{ {strike} ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH <{INFERRED_GRAPH.value}> {{ {strike} a ?c }} }} }}")  # fmt: skip
    with running_server(store, env=env, workers=3) as url, client() as http:
        answers: list[bool] = []
        stopping = threading.Event()

        def poll() -> None:
            with client() as own:
                while not stopping.is_set():
                    answers.append(ask(own, url, torn))

        pollers = [threading.Thread(target=poll) for _ in range(3)]
        for thread in pollers:
            thread.start()
        time.sleep(0.3)
        headers = {**AUTH, "Content-Type": "application/sparql-update"}
        reply = http.post(f"{url}/update", content=update, headers=headers)
        time.sleep(0.3)
        stopping.set()
        for thread in pollers:
            thread.join()
    assert reply.status_code == 200
    assert answers and not any(answers), "no reader saw the asserted triple without its inference"


@pytest.fixture(autouse=True)
def _no_stray_writer(tmp_path):
    """Stopping the server stops its writer process too (the one started after a kill included)."""
    yield
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            _writer_pid(tmp_path / "store")
        except AssertionError:
            return
        time.sleep(0.2)
    pytest.fail("the writer process outlived its server")
