"""How the endpoint reaches the store: fresh read views for queries, one writer at a time for changes.

pyoxigraph's on-disk store can be opened for writing by one process only, and
``missilekg serve`` runs several worker processes. So each worker reads through
a read-only view that it reopens when a writer has committed (the store's
generation token changed), and a write takes an inter-process file lock,
opens the store for writing just for that change, recomputes inference in the
same transaction where it can, and closes it again. The CLI's ``build`` is a
writer like any other: a running server sees its result on the next request.

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
from typing import Protocol, TypeVar

from missilekg.graph.store.base import Store, StoreError
from missilekg.graph.store.embedded import EmbeddedStore, read_generation

T = TypeVar("T")


class StoreBusy(StoreError):
    """Another writer holds the store longer than a write is willing to wait."""


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


class SharedDiskDataset:
    """An on-disk store shared by processes: read-only views, and a file lock around writes."""

    def __init__(self, path: str | Path, *, lock_timeout: float = 30.0) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise StoreError(f"no store at {self.path}: build it first (missilekg --store {self.path} build)")
        self.lock_timeout = lock_timeout
        self._view: EmbeddedStore | None = None
        self._view_generation: str | None = None
        self._view_lock = threading.Lock()

    def reader(self) -> Store:
        """The read-only view, reopened first if a writer committed since it was opened."""
        current = self.generation()
        view = self._view
        if view is not None and current == self._view_generation:
            return view
        with self._view_lock:
            if self._view is None or current != self._view_generation:
                # Old views stay valid for queries still running on them; they close when unreferenced.
                self._view = EmbeddedStore(self.path, read_only=True)
                self._view_generation = current
            return self._view

    def generation(self) -> str:
        """The store's own token, which every writer (this server, the CLI) changes on commit."""
        return read_generation(self.path)

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        lock_path = self.path.with_name(self.path.name + ".lock")
        with lock_path.open("a") as handle:
            deadline = time.monotonic() + self.lock_timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreBusy("another write is in progress; try again later") from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def write(self, change: Callable[[Store], T]) -> T:
        """Open the store for writing (waiting for other writers), apply ``change``, close it."""
        with self._exclusive():
            try:
                store = EmbeddedStore(self.path)
            except StoreError as exc:
                raise StoreBusy(f"the store is locked by another process (a build?): {exc}") from exc
            try:
                return change(store)
            finally:
                store.close()
