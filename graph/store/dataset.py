"""How the endpoint reaches the store: snapshot views for queries, one writer at a time for changes.

pyoxigraph's on-disk store can be opened for writing by one process only, and
``missilekg serve`` runs several worker processes. So each worker reads through
a read-only view of the snapshot the last writer published (see
:mod:`missilekg.graph.store.snapshots`), and moves to the next one when the
pointer moves: a view never races the writer's compaction, and never sees a
change half made. A write takes an inter-process file lock, opens the store for
writing, applies the change (inference included) and publishes one snapshot.
Under ``missilekg serve`` the writes go to one writer process that keeps the
store open between them (see :mod:`missilekg.graph.store.writer`). The CLI's
``build`` is a writer like any other: a running server sees its result on the
next request.

An in-memory store (tests, ``--store memory:``) lives in one process, so reads
and writes share the one store object, writes serialised by a thread lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Protocol, TypeVar

from missilekg.graph.store import snapshots
from missilekg.graph.store.base import Store, StoreError
from missilekg.graph.store.embedded import EmbeddedStore, read_generation

T = TypeVar("T")


class StoreBusy(StoreError):
    """Another writer holds the store longer than a write is willing to wait."""


def publish_snapshot(store: Store) -> None:
    """A write that changes nothing but publishes the store's first snapshot (a module function: it pickles)."""
    store.publish()  # type: ignore[attr-defined]


class WriteForwarder(Protocol):
    """Sends a change to the process that owns the store, and returns what the change returned there."""

    def __call__(self, change: Callable[[Store], T]) -> T:
        """Apply ``change`` in the owning process."""
        ...


class Dataset(Protocol):
    """The endpoint's access to the data."""

    def reader(self) -> Store:
        """A view that reflects every committed write."""
        ...

    def write(self, change: Callable[[Store], T]) -> T:
        """Apply ``change`` with exclusive write access; readers see it once it returns."""
        ...

    def generation(self) -> str:
        """A token that changes with every committed write (what caches key on)."""
        ...


class InProcessDataset:
    """One store object for reads and writes, in this process only."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._writes = 0

    def reader(self) -> Store:
        """The store itself."""
        return self.store

    def write(self, change: Callable[[Store], T]) -> T:
        """Run ``change`` under the process's write lock."""
        with self._lock:
            try:
                return change(self.store)
            finally:
                self._writes += 1

    def generation(self) -> str:
        """Counts the writes made through this dataset."""
        return f"{self.store.generation()}:{self._writes}"



def lock_for_writing(path: Path, timeout: float, busy: str) -> IO[str]:
    """Take the store's inter-process write lock (a file beside it), held until the returned file is closed.

    Every writer takes it: the endpoint's writer process, the CLI, a shared dataset. ``busy`` is the
    :class:`StoreBusy` message when it is still held by another after ``timeout`` seconds.
    """
    handle = path.with_name(path.name + ".lock").open("a")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if time.monotonic() > deadline:
                handle.close()
                raise StoreBusy(busy) from None
            time.sleep(0.05)

class SharedDiskDataset:
    """An on-disk store shared by processes: snapshot views for reads, and a file lock around writes.

    ``forward`` (set by ``missilekg serve``) sends each write to the writer
    process instead of opening the store here.
    """

    def __init__(self, path: str | Path, *, lock_timeout: float = 30.0,
                 forward: WriteForwarder | None = None) -> None:  # fmt: skip
        self.path = Path(path)
        if not self.path.exists():
            raise StoreError(f"no store at {self.path}: build it first (missilekg --store {self.path} build)")
        self.lock_timeout = lock_timeout
        self.forward = forward
        self._view: EmbeddedStore | None = None
        self._view_generation: str | None = None
        self._view_lock = threading.Lock()

    def reader(self) -> Store:
        """The view of the current snapshot, moved to the newest one first if a writer published since."""
        current = self.generation()
        view = self._view
        if view is not None and current == self._view_generation:
            return view
        with self._view_lock:
            if self._view is None or self.generation() != self._view_generation:
                # Old views stay valid for queries still running on them; they close (and free their
                # snapshot) when the last of those finishes.
                self._view, self._view_generation = self._open_view()
            return self._view

    def _open_view(self) -> tuple[EmbeddedStore, str]:
        opened = snapshots.open_current(self.path)
        if opened is not None:
            store, name, keep = opened
            return EmbeddedStore.snapshot_view(store, self.path, keep), name
        # A store no writer of this version has published yet: publish its first snapshot, under the write lock.
        with contextlib.suppress(StoreBusy):
            self.write(publish_snapshot)
        opened = snapshots.open_current(self.path)
        if opened is None:
            raise snapshots.SnapshotUnavailable("the store has no snapshot for readers yet; try again")
        store, name, keep = opened
        return EmbeddedStore.snapshot_view(store, self.path, keep), name

    def generation(self) -> str:
        """The current snapshot's name: every writer (this server, the CLI) publishes a new one on commit."""
        return snapshots.current_name(self.path) or f"unpublished:{read_generation(self.path)}"

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        handle = lock_for_writing(self.path, self.lock_timeout, "another write is in progress; try again later")
        try:
            yield
        finally:
            handle.close()  # releases the lock

    def write(self, change: Callable[[Store], T]) -> T:
        """Apply ``change`` with the store open for writing; readers see all of it or none of it."""
        if self.forward is not None:
            return self.forward(change)
        with self._exclusive():
            try:
                store = EmbeddedStore(self.path)
            except StoreError as exc:
                raise StoreBusy(f"the store is locked by another process (a build?): {exc}") from exc
            try:
                with store.publishing_once():
                    return change(store)
            finally:
                store.close()
