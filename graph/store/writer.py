"""One writer process for ``missilekg serve``: it owns the store between writes, so a small write costs milliseconds.

Opening the on-disk store for writing costs about 50 ms, more than a
one-triple update with incremental inference. So ``serve`` starts this
process beside gunicorn's workers; a worker sends it each write (a picklable
function of the store, over a Unix socket with an authentication key) and
gets back the result or the exception. The process applies writes one at a
time, each inside :meth:`~missilekg.graph.store.embedded.EmbeddedStore.publishing_once`
(one snapshot for readers per write, never a half-made change), and holds the
store, with the inter-process write lock every writer takes, only while
writes keep coming: after ``idle_seconds`` without one it closes the store,
so that the CLI (``build``, ``infer``, ``restore``) can write while the server
runs. If the process dies, ``serve`` starts a new one; writes in between are
answered 503 with Retry-After.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any, TypeVar

from missilekg.graph.store import snapshots
from missilekg.graph.store.base import QuerySyntaxError, Store, StoreError
from missilekg.graph.store.dataset import StoreBusy, lock_for_writing
from missilekg.graph.store.embedded import EmbeddedStore

T = TypeVar("T")
log = logging.getLogger("missilekg.writer")


class StoreOwner:
    """The store opened for writing on demand, closed again after a pause, one write at a time."""

    def __init__(self, path: Path, *, idle_seconds: float = 2.0, lock_timeout: float = 30.0) -> None:
        self.path, self.idle_seconds, self.lock_timeout = path, idle_seconds, lock_timeout
        self.store: EmbeddedStore | None = None
        self._lock_file: Any = None
        self._mutex = threading.Lock()
        self._last_write = time.monotonic()
        threading.Thread(target=self._close_when_idle, daemon=True, name="writer-idle").start()

    def apply(self, change: Callable[[Store], T]) -> T:
        """Run ``change`` on the open store; readers see its result in one snapshot when it returns."""
        with self._mutex:
            store = self._open()
            try:
                with store.publishing_once():
                    return change(store)
            except QuerySyntaxError:
                raise
            except (StoreError, OSError, RuntimeError):
                self._close()  # reopen cleanly on the next write
                raise
            finally:
                self._last_write = time.monotonic()

    def _open(self) -> EmbeddedStore:
        if self.store is not None:
            return self.store
        lock_file = lock_for_writing(self.path, self.lock_timeout,
                                     "another process (a build?) is writing to the store; try again later")  # fmt: skip
        try:
            self.store = EmbeddedStore(self.path)
        except StoreError as exc:
            lock_file.close()
            raise StoreBusy(f"the store is locked by another process: {exc}") from exc
        self.store.defer_retire = True  # deleting old snapshots waits until the writer has answered
        self._lock_file = lock_file
        return self.store

    def _close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
        if self._lock_file is not None:
            self._lock_file.close()  # releases the write lock
            self._lock_file = None

    def _close_when_idle(self) -> None:
        while True:
            time.sleep(max(self.idle_seconds / 4, 0.05))
            with self._mutex:
                if self.store is not None and time.monotonic() - self._last_write > self.idle_seconds:
                    self._close()

    def close(self) -> None:
        """Flush and release the store and the write lock."""
        with self._mutex:
            self._close()

    def serve(self, connection: Connection) -> None:
        """Answer one worker's writes on its connection until it hangs up."""
        with connection:
            while True:
                try:
                    change = connection.recv()
                except (EOFError, OSError):
                    return
                except Exception as exc:  # a change that does not unpickle here
                    connection.send(("error", StoreError(f"the writer could not read the change: {exc}")))
                    continue
                try:
                    reply: tuple[str, Any] = ("ok", self.apply(change))
                except Exception as exc:
                    reply = ("error", exc)
                try:
                    connection.send(reply)
                except (EOFError, OSError):
                    return
                except Exception:  # an exception that does not pickle
                    connection.send(("error", StoreError(str(reply[1]))))
                self.retire_snapshots()

    def retire_snapshots(self) -> None:
        """Delete the snapshots no reader holds any more (after the answer: off the write's latency)."""
        with self._mutex:
            snapshots.retire_unused(self.path)


def run_writer(path: str, address: str, authkey: bytes, idle_seconds: float, lock_timeout: float) -> None:
    """The writer process's main function: listen on ``address`` until SIGTERM, then close the store."""
    logging.basicConfig(level=logging.INFO, format="[writer %(process)d] %(message)s")
    owner = StoreOwner(Path(path), idle_seconds=idle_seconds, lock_timeout=lock_timeout)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    listener = Listener(address, family="AF_UNIX", authkey=authkey)
    try:
        while True:
            try:
                connection = listener.accept()
            except (OSError, EOFError) as exc:  # a client that failed the handshake
                log.warning("refused a connection: %s", exc)
                continue
            threading.Thread(target=owner.serve, args=(connection,), daemon=True, name="writer-conn").start()
    finally:
        owner.close()
        listener.close()


class WriterClient:
    """What a worker calls to write: sends the change to the writer process and returns its result."""

    def __init__(self, address: str, authkey: bytes) -> None:
        self.address, self.authkey = address, authkey

    def __call__(self, change: Callable[[Store], T]) -> T:
        try:
            connection = Client(self.address, family="AF_UNIX", authkey=self.authkey)
        except OSError as exc:
            raise StoreBusy("the writer process is restarting; try again shortly") from exc
        with connection:
            connection.send(change)
            try:
                status, value = connection.recv()
            except (EOFError, OSError) as exc:
                raise StoreBusy("the writer process stopped during the write; it was not acknowledged") from exc
        if status == "error":
            raise value
        return value


def _alive(process: subprocess.Popen) -> bool:
    """Whether the process still runs (not exited, reaped by someone else, or a zombie)."""
    if process.poll() is not None:
        return False
    try:
        with open(f"/proc/{process.pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


class WriterProcess:
    """Starts the writer process, starts a new one if it dies, stops it with ``serve``.

    A plain subprocess (``python -m missilekg.graph.store.writer``), not a
    multiprocessing child: gunicorn forks its workers from this process, and a
    worker must not inherit the duty to stop it. The key comes on standard input.
    """

    def __init__(self, path: Path, *, idle_seconds: float = 2.0, lock_timeout: float = 30.0) -> None:
        self.path = path
        self.idle_seconds, self.lock_timeout = idle_seconds, lock_timeout
        self._folder = tempfile.mkdtemp(prefix="missilekg-writer-")
        self.address = os.path.join(self._folder, "socket")
        self.authkey = os.urandom(32)
        self._owner = os.getpid()
        self._process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._spawning = threading.Lock()

    def start(self) -> None:
        """Start the process, and a thread that starts a new one whenever it is killed."""
        self._spawn()
        threading.Thread(target=self._watch, daemon=True, name="writer-watch").start()

    def _spawn(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.address)
        command = [sys.executable, "-m", "missilekg.graph.store.writer", str(self.path), self.address,
                   str(self.idle_seconds), str(self.lock_timeout)]  # fmt: skip
        process = subprocess.Popen(command, stdin=subprocess.PIPE)
        assert process.stdin is not None
        process.stdin.write(self.authkey.hex().encode("ascii"))
        process.stdin.close()
        self._process = process
        deadline = time.monotonic() + 30
        while not os.path.exists(self.address) and _alive(process) and time.monotonic() < deadline:
            time.sleep(0.02)

    def _watch(self) -> None:
        # gunicorn's arbiter reaps every child that exits, ours included, so a dead writer is recognised by
        # its pid being gone (or a zombie), not by an exit status.
        while not self._stopping.wait(0.5):
            with self._spawning:
                if self._process is not None and not self._stopping.is_set() and not _alive(self._process):
                    log.warning("the writer process died; starting a new one")
                    self._spawn()

    def stop(self) -> None:
        """Stop the process (it closes the store) and remove its socket; only in the process that started it."""
        if os.getpid() != self._owner:  # a gunicorn worker unwinding the stack it was forked with
            return
        self._stopping.set()
        with self._spawning:
            process = self._process
        if process is not None and _alive(process):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.address)
        with contextlib.suppress(OSError):
            os.rmdir(self._folder)

    @property
    def pid(self) -> int | None:
        """The writer process's id (tests kill it)."""
        return self._process.pid if self._process is not None else None

    def client_config(self) -> dict[str, str]:
        """The settings that let a worker's app send its writes here."""
        return {"WRITER_ADDRESS": self.address, "WRITER_AUTHKEY": self.authkey.hex()}


if __name__ == "__main__":
    store_path, socket_path, idle, lock_wait = sys.argv[1:5]
    run_writer(store_path, socket_path, bytes.fromhex(sys.stdin.read().strip()), float(idle), float(lock_wait))
