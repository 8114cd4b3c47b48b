"""Per-client limits, so that a few heavy queries from one client cannot take every worker.

Three rules, checked before a query runs (cached answers cost nothing and are
not counted):

- ``CLIENT_MAX_QUERIES``: queries one client may have running at once;
- ``CLIENT_QUERY_SECONDS``: seconds of query time one client may use per
  minute (a fixed window: the count starts again on the minute);
- ``RESERVED_WORKERS``: when all but this many workers are busy, only a light
  client (nothing running, and under ``LIGHT_CLIENT_SECONDS`` of query time
  this minute) is let in, so the last workers stay for small queries from
  others; and no client may hold more than ``workers - RESERVED_WORKERS``. Workers
  are counted as they are ready: one retired after a runaway query no longer
  counts while gunicorn boots its replacement, so the reserve holds then too.

Beyond a limit the answer is 429 with ``Retry-After`` (one second for the
concurrency rules, the rest of the minute for the time budget). A client is
its peer address, or the first value of ``CLIENT_ID_HEADER`` when the server
sits behind a proxy that sets it. The counts live in a small memory-mapped
table shared by gunicorn's worker processes (``ADMISSION_FILE``, made by
``missilekg serve``), updated under a ``flock``: a few microseconds a query.
An entry of a process that died is ignored once its process is gone.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import math
import mmap
import os
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_RUNNING = struct.Struct("<QId")  # client hash, pid, start time
_USAGE = struct.Struct("<Qqd")  # client hash, minute, seconds used in it
_WORKER = struct.Struct("<I")  # pid of a worker ready to serve
RUNNING_SLOTS = 256
USAGE_SLOTS = 4096
WORKER_SLOTS = 256
_USAGE_START = RUNNING_SLOTS * _RUNNING.size
_WORKERS_START = _USAGE_START + USAGE_SLOTS * _USAGE.size
SIZE = _WORKERS_START + WORKER_SLOTS * _WORKER.size


class Limited(Exception):
    """The client is over a limit: answer 429 with ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limits:
    """The configured limits (0 switches a rule off); ``workers`` is None outside gunicorn."""

    max_queries: int
    query_seconds: float
    reserved_workers: int
    workers: int | None
    light_seconds: float = 5.0


@dataclass
class Ticket:
    """A running query's place in the table; give it back with :meth:`Admission.release`."""

    slot: int
    client: int
    started: float
    released: bool = False


def client_key(name: str) -> int:
    """A client's name as a non-zero 64-bit number (0 marks a free slot)."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "little") or 1


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Admission:
    """The shared table of running queries and of each client's query time this minute."""

    def __init__(self, limits: Limits, path: str | Path | None = None) -> None:
        """``path`` is the table shared with other processes; without it, one in this process's memory."""
        self.limits = limits
        self._thread_lock = threading.Lock()
        self._file = None
        if path is None:
            self._map = mmap.mmap(-1, SIZE)
            return
        with Path(path).open("a+b") as file:
            if os.fstat(file.fileno()).st_size < SIZE:
                file.truncate(SIZE)
        self._file = Path(path).open("r+b")  # noqa: SIM115 - kept open for the process's life, with the map
        self._map = mmap.mmap(self._file.fileno(), SIZE)

    @contextlib.contextmanager
    def _locked(self):
        with self._thread_lock:
            if self._file is None:
                yield
                return
            fcntl.flock(self._file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._file, fcntl.LOCK_UN)

    def _running(self, now: float) -> tuple[dict[int, int], int, int | None]:
        """Running queries per client, in all, and a free slot (clearing entries of dead processes)."""
        per_client: dict[int, int] = {}
        total, free = 0, None
        for slot in range(RUNNING_SLOTS):
            client, pid, _ = _RUNNING.unpack_from(self._map, slot * _RUNNING.size)
            if client and not _alive(pid):
                _RUNNING.pack_into(self._map, slot * _RUNNING.size, 0, 0, 0.0)
                client = 0
            if not client:
                if free is None:
                    free = slot
                continue
            per_client[client] = per_client.get(client, 0) + 1
            total += 1
        return per_client, total, free

    def _ready_workers(self) -> int:
        ready = 0
        for slot in range(WORKER_SLOTS):
            (pid,) = _WORKER.unpack_from(self._map, _WORKERS_START + slot * _WORKER.size)
            if pid and not _alive(pid):
                _WORKER.pack_into(self._map, _WORKERS_START + slot * _WORKER.size, 0)
            elif pid:
                ready += 1
        return ready

    def _set_worker(self, pid: int, ready: bool) -> None:
        with self._locked():
            free = None
            for slot in range(WORKER_SLOTS):
                offset = _WORKERS_START + slot * _WORKER.size
                (held,) = _WORKER.unpack_from(self._map, offset)
                if held == pid:
                    if not ready:
                        _WORKER.pack_into(self._map, offset, 0)
                    return
                if free is None and (not held or not _alive(held)):
                    free = offset
            if ready and free is not None:
                _WORKER.pack_into(self._map, free, pid)

    def worker_ready(self) -> None:
        """Count this process as a worker that serves (called when its app is made)."""
        self._set_worker(os.getpid(), True)

    def worker_retiring(self) -> None:
        """Stop counting this process: it finishes its request and exits (after a runaway query)."""
        self._set_worker(os.getpid(), False)

    def _usage_slot(self, client: int, minute: int, *, create: bool) -> int | None:
        start = client % USAGE_SLOTS
        for probe in range(USAGE_SLOTS):
            slot = (start + probe) % USAGE_SLOTS
            key, used_minute, _ = _USAGE.unpack_from(self._map, _USAGE_START + slot * _USAGE.size)
            if key == client:
                return slot
            if not key or used_minute < minute:  # free, or a previous minute's entry: reusable
                if not create:
                    return None
                _USAGE.pack_into(self._map, _USAGE_START + slot * _USAGE.size, client, minute, 0.0)
                return slot
        return None

    def _used(self, client: int, minute: int) -> float:
        slot = self._usage_slot(client, minute, create=False)
        if slot is None:
            return 0.0
        _, used_minute, seconds = _USAGE.unpack_from(self._map, _USAGE_START + slot * _USAGE.size)
        return seconds if used_minute == minute else 0.0

    def admit(self, name: str) -> Ticket:
        """Let a query from client ``name`` run, or raise :class:`Limited`."""
        limits, client, now = self.limits, client_key(name), time.time()
        minute = int(now // 60)
        with self._locked():
            if limits.query_seconds and self._used(client, minute) >= limits.query_seconds:
                retry = max(1, math.ceil((minute + 1) * 60 - now))
                raise Limited(f"this client used its {limits.query_seconds:g} s of query time for this minute; "
                              f"try again in {retry} s", retry)  # fmt: skip
            per_client, total, free = self._running(now)
            mine = per_client.get(client, 0)
            cap = limits.max_queries or RUNNING_SLOTS
            if limits.workers and limits.reserved_workers:
                workers = min(limits.workers, self._ready_workers() or limits.workers)
                usable = workers - limits.reserved_workers  # 0 or less while retired workers are replaced
                light = not mine and self._used(client, minute) < limits.light_seconds
                if total >= usable and not light:
                    raise Limited("the server is busy and keeps its last workers for light clients; "
                                  "try again shortly", 1)  # fmt: skip
                cap = min(cap, max(usable, 1))
            if mine >= cap:
                raise Limited(f"this client already has {mine} queries running (the limit is {cap})", 1)
            if free is None:
                raise Limited("too many queries are running; try again", 1)
            _RUNNING.pack_into(self._map, free * _RUNNING.size, client, os.getpid(), now)
        return Ticket(free, client, time.monotonic())

    def release(self, ticket: Ticket) -> None:
        """The query has finished: free its slot and charge its time to the client's minute."""
        if ticket.released:
            return
        ticket.released = True
        seconds = time.monotonic() - ticket.started
        minute = int(time.time() // 60)
        with self._locked():
            _RUNNING.pack_into(self._map, ticket.slot * _RUNNING.size, 0, 0, 0.0)
            if self.limits.query_seconds:
                slot = self._usage_slot(ticket.client, minute, create=True)
                if slot is not None:
                    offset = _USAGE_START + slot * _USAGE.size
                    key, used_minute, used = _USAGE.unpack_from(self._map, offset)
                    used = used if used_minute == minute else 0.0
                    _USAGE.pack_into(self._map, offset, key, minute, used + seconds)
