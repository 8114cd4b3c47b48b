"""Backups of the on-disk store, and restoring one in place.

A backup is pyoxigraph's consistent snapshot of the store (a RocksDB
checkpoint: hard links where it can, so it is quick and small on the same
file system) plus ``manifest.json`` with the quad count of every graph. A
restore first checks the backup against its manifest, copies it beside the
store, and only then swaps it in with renames, holding the write lock that
every writer takes: a failed or refused restore leaves the store as it was.
Running servers see the restored data on their next request (a snapshot of
it is published for their readers).
"""

from __future__ import annotations

import datetime
import json
import shutil
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from missilekg.graph.store.base import Store, StoreError
from missilekg.graph.store.embedded import EmbeddedStore, generation_file

MANIFEST = "manifest.json"


class BackupError(StoreError):
    """A backup could not be made, or a directory is not a usable backup."""


def _counts(store: ox.Store) -> dict[str, int]:
    counts: dict[str, int] = {}
    for quad in store:
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))


def backup(store: EmbeddedStore, target: Path) -> dict[str, Any]:
    """Snapshot ``store`` into the new directory ``target``; returns the manifest."""
    if store.path is None:
        raise BackupError("only an on-disk store can be backed up; export a memory store with `export -f nquads`")
    if target.exists():
        raise BackupError(f"{target} already exists; a backup goes into a new directory")
    try:
        store._store.backup(str(target))
    except OSError as exc:
        raise BackupError(f"backup into {target} failed: {exc}") from exc
    snapshot = ox.Store.read_only(str(target))
    manifest: dict[str, Any] = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "source": str(store.path),
        "graphs": _counts(snapshot),
    }
    manifest["quads"] = sum(manifest["graphs"].values())
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def verify(source: Path) -> dict[str, Any]:
    """The manifest of a backup, after checking that the snapshot opens and matches it."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
        counts = _counts(ox.Store.read_only(str(source)))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} is not a missilekg backup: {exc}") from exc
    if counts != manifest.get("graphs"):
        raise BackupError(f"{source} does not match its manifest: the backup is damaged")
    return manifest


def restore(source: Path, store_path: Path) -> dict[str, Any]:
    """Replace the store at ``store_path`` with the backup in ``source``; returns the backup's manifest.

    Refused (and nothing changes) when the backup is damaged or another
    process has the store open for writing.
    """
    from missilekg.graph.store.dataset import SharedDiskDataset

    manifest = verify(source)
    staging = store_path.with_name(f"{store_path.name}.restoring")
    retired = store_path.with_name(f"{store_path.name}.before-restore-{int(time.time())}")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging, ignore=shutil.ignore_patterns(MANIFEST))
    dataset = SharedDiskDataset(store_path) if store_path.exists() else None

    def swap(_: object = None) -> None:
        if store_path.exists():
            store_path.rename(retired)
        staging.rename(store_path)
        generation_file(store_path).write_text(str(time.time_ns()), encoding="ascii")
        restored = EmbeddedStore(store_path)  # readers follow published snapshots: publish the restored store's
        try:
            restored.publish()
        finally:
            restored.close()

    def close_and_swap(store: Store) -> None:
        store.close()
        swap()

    try:
        if dataset is None:
            swap()
        else:
            dataset.write(close_and_swap)  # the write lock, and proof no one else writes
    except Exception:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
    return manifest
