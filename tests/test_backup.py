"""Backup and restore, and what a kill -9 in the middle of a write leaves behind."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest

from benchmarks.synthetic_graph import synthetic_quads
from missilekg.graph.loading.build import build, remove_articles
from missilekg.graph.reasoning.engines import derive
from missilekg.graph.reasoning.graphs import INFERRED_GRAPH, UP_TO_DATE
from missilekg.graph.reasoning.passes import asserted_quads, infer
from missilekg.graph.store.backup import BackupError, backup, restore
from missilekg.graph.store.dataset import StoreBusy
from missilekg.graph.store.embedded import EmbeddedStore
from tests.conftest import SEEDS
from tests.servers import call, running_server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def built(path: Path) -> set[ox.Quad]:
    store = EmbeddedStore(path)
    build(store, SEEDS)
    quads = set(store.quads())
    store.close()
    return quads


def quads_at(path: Path) -> set[ox.Quad]:
    store = EmbeddedStore(path, read_only=True)
    try:
        return set(store.quads())
    finally:
        store.close()


def test_restore_gives_back_the_identical_graph(tmp_path):
    path = tmp_path / "store"
    original = built(path)
    store = EmbeddedStore(path)
    manifest = backup(store, tmp_path / "backup")
    assert manifest["quads"] == len(original)
    remove_articles(store, ["001_b57d21d69b0ca47c"])
    store.close()
    assert quads_at(path) != original
    restore(tmp_path / "backup", path)
    assert quads_at(path) == original


def test_backup_refusals(tmp_path):
    with pytest.raises(BackupError, match="on-disk"):
        backup(EmbeddedStore(), tmp_path / "b")
    path = tmp_path / "store"
    built(path)
    (tmp_path / "exists").mkdir()
    store = EmbeddedStore(path, read_only=True)
    with pytest.raises(BackupError, match="already exists"):
        backup(store, tmp_path / "exists")


def test_a_damaged_backup_is_refused_and_the_store_is_unchanged(tmp_path):
    path = tmp_path / "store"
    original = built(path)
    backup(EmbeddedStore(path, read_only=True), tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    manifest["graphs"][INFERRED_GRAPH.value] += 1
    (tmp_path / "backup" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="damaged"):
        restore(tmp_path / "backup", path)
    with pytest.raises(BackupError, match="not a missilekg backup"):
        restore(tmp_path, path)
    assert quads_at(path) == original


def test_restore_waits_for_no_one_else_writing(tmp_path):
    path = tmp_path / "store"
    original = built(path)
    backup(EmbeddedStore(path, read_only=True), tmp_path / "backup")
    writer = EmbeddedStore(path)  # another process's build, say
    try:
        with pytest.raises(StoreBusy):
            restore(tmp_path / "backup", path)
    finally:
        writer.close()
    assert quads_at(path) == original


def test_a_running_server_sees_the_restored_data(tmp_path):
    path = tmp_path / "store"
    built(path)
    backup(EmbeddedStore(path, read_only=True), tmp_path / "backup")

    def count(url: str) -> int:
        reply = call("GET", f"{url}/sparql?query={urllib.parse.quote(COUNT)}")
        return int(reply.json()["results"]["bindings"][0]["n"]["value"])

    with running_server(path) as url:
        before = count(url)
        store = EmbeddedStore(path)
        remove_articles(store, ["000_87d0ee4506161818"])
        store.close()
        assert count(url) < before, "the server sees the CLI's write"
        restore(tmp_path / "backup", path)
        assert count(url) == before


def test_kill_during_inference_loses_nothing_asserted(tmp_path):
    """kill -9 while `infer` writes a large inference graph; asserted graphs intact, next pass completes it."""
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    store.bulk_extend(synthetic_quads(60_000))
    store.close()
    asserted_before = quads_at(path)
    process = subprocess.Popen([str(Path(sys.executable).with_name("missilekg")), "--store", f"oxigraph:{path}",
                                "infer"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    time.sleep(3.0)
    process.send_signal(signal.SIGKILL)
    process.wait()
    store = EmbeddedStore(path)
    after = set(store.quads())
    assert {q for q in after if q.graph_name not in (INFERRED_GRAPH, UP_TO_DATE.graph_name)} == asserted_before
    finished = store.contains(UP_TO_DATE)
    infer(store)
    assert store.contains(UP_TO_DATE)
    expected = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(INFERRED_GRAPH)}
    assert expected == set(derive(asserted_quads(store)()).derived)
    store.close()
    print(f"inference had {'finished' if finished else 'not finished'} when killed")


def test_readers_during_a_write_see_before_or_after_never_between(tmp_path):
    import threading

    store = EmbeddedStore(tmp_path / "store")
    g = ox.NamedNode("https://missilekg.org/graph/article/snapshot")
    p = ox.NamedNode("https://example.org/p")

    def content(n: int) -> list[ox.Quad]:
        return [ox.Quad(ox.NamedNode(f"https://example.org/s{i}"), p, ox.Literal(str(i)), g) for i in range(n)]

    small, large = content(2_000), content(20_000)
    store.replace_graphs({g: small})
    seen: set[int] = set()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g.value}> {{ ?s ?p ?o }} }}")
            seen.add(int(next(iter(result))["n"].value))

    reader = threading.Thread(target=read)
    reader.start()
    for _ in range(4):
        store.replace_graphs({g: large})
        store.replace_graphs({g: small})
    done.set()
    reader.join()
    store.close()
    assert seen <= {len(small), len(large)} and seen, f"a reader saw a half-written graph: {sorted(seen)}"
