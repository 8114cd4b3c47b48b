"""Published snapshots of the on-disk store: what readers open, so that they never race the writer.

Opening the live store read-only while another process writes to it races
RocksDB's compaction, which deletes the files it has just merged: the reader
finds a MANIFEST naming a file that is gone and fails ("Corruption: … No such
file"). So readers never open the live store. After each commit the writer
publishes a RocksDB checkpoint of it, ``STORE.snapshots/<generation>/`` (hard
links to the immutable table files, plus a copy of the small manifest: a few
milliseconds), and then moves the ``current`` pointer to it with an atomic
rename. A reader follows the pointer and opens that snapshot read-only; the
writer's compaction can delete its own links, the snapshot keeps its own.

A snapshot is removed once it is no longer current and no reader holds it:
each reader keeps a shared ``flock`` on the snapshot's ``readers.lock`` for as
long as its view lives, and the writer deletes an old snapshot only when it
can take that lock exclusively. A reader that follows the pointer just as the
snapshot it names is retired finds it gone and follows the pointer again.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from missilekg.graph.store.base import StoreError

POINTER = "current"
READERS_LOCK = "readers.lock"


class SnapshotUnavailable(StoreError):
    """No snapshot could be opened after a few attempts (the writer kept retiring them): try again."""


def snapshots_dir(path: Path) -> Path:
    """Where the snapshots of the store at ``path`` are published."""
    return path.with_name(path.name + ".snapshots")


def current_name(path: Path) -> str | None:
    """The name (generation) of the current snapshot, or None when none was ever published: a readlink."""
    try:
        return os.readlink(snapshots_dir(path) / POINTER)
    except (FileNotFoundError, OSError):
        return None


def publish(store: ox.Store, path: Path, generation: str, *, retire: bool = True) -> None:
    """Checkpoint the open store as snapshot ``generation``, point readers at it, and retire unused old ones
    (unless ``retire`` is False: the writer process does that after it has answered)."""
    folder = snapshots_dir(path)
    folder.mkdir(exist_ok=True)
    target = folder / generation
    if target.exists():  # the same generation twice (two commits within the clock's resolution)
        target = folder / f"{generation}.{time.monotonic_ns()}"
    staging = folder / f".staging-{target.name}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        store.backup(str(staging))
    except OSError as exc:
        raise StoreError(f"could not publish a snapshot for readers: {exc}") from exc
    (staging / READERS_LOCK).touch()
    staging.rename(target)
    link = folder / f".{POINTER}-{target.name}"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    link.symlink_to(target.name)
    link.rename(folder / POINTER)  # atomic: a reader sees the old pointer or the new one
    if retire:
        retire_unused(path)


def retire_unused(path: Path) -> list[str]:
    """Delete every snapshot that is not current and that no reader holds; returns their names."""
    folder = snapshots_dir(path)
    if not folder.is_dir():
        return []
    current = current_name(path)
    retired = []
    for entry in sorted(folder.iterdir()):
        if entry.name == current or entry.name.startswith(".") or not entry.is_dir():
            if entry.name.startswith(".staging-") and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)  # left by a writer that died mid-checkpoint
            continue
        try:
            handle = (entry / READERS_LOCK).open("a")
        except FileNotFoundError:
            shutil.rmtree(entry, ignore_errors=True)
            continue
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a reader still uses it
            shutil.rmtree(entry, ignore_errors=True)
            retired.append(entry.name)
    return retired


def hold(path: Path, name: str) -> IO[str] | None:
    """A shared lock on snapshot ``name`` (kept while the returned file is open), or None if it is gone."""
    lock = snapshots_dir(path) / name / READERS_LOCK
    try:
        handle = lock.open("r")
    except FileNotFoundError:
        return None
    fcntl.flock(handle, fcntl.LOCK_SH)
    if not lock.exists():  # retired between open and lock
        handle.close()
        return None
    return handle


def open_current(path: Path, *, attempts: int = 5) -> tuple[ox.Store, str, IO[str]] | None:
    """The current snapshot opened read-only, its name, and the lock that keeps it; None when none is published.

    Follows the pointer again when the snapshot it named was retired in between;
    after ``attempts`` such misses (a writer committing faster than we can open),
    :class:`SnapshotUnavailable`.
    """
    for attempt in range(attempts):
        name = current_name(path)
        if name is None:
            return None
        handle = hold(path, name)
        if handle is None:
            time.sleep(0.01 * attempt)
            continue
        try:
            return ox.Store.read_only(str(snapshots_dir(path) / name)), name, handle
        except (OSError, RuntimeError):  # RocksDB reports a vanished file as RuntimeError("Corruption: …")
            handle.close()
            time.sleep(0.01 * attempt)
    raise SnapshotUnavailable("the store changed too often to open a consistent view; try again")
