"""Running a query under a deadline and a size limit, and streaming what it writes.

pyoxigraph cannot cancel a query (oxigraph issue #1926), but it releases the
GIL while it works. So the query and its serialization run in a daemon
thread that writes chunks into a bounded queue, and the request thread reads
them with the deadline in hand: small results are gathered (up to
``BUFFER_BYTES``) and sent with a Content-Length, larger ones stream. When
the deadline passes first, the client gets a 503 with a clear message and
the app's ``on_timeout`` hook runs: under ``missilekg serve`` (gunicorn) that
retires the worker process after the response, which is what really stops
the work, while the other workers go on serving.
"""

from __future__ import annotations

import queue
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from missilekg.ontology.errors import MissilekgError

CHUNK = 64 * 1024
RUNNER_STACK = 256 * 1024 * 1024


class QueryTimeout(MissilekgError):
    """The query ran past its time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the query ran longer than the {seconds:g} s time limit and was stopped")


class ResultTooLarge(MissilekgError):
    """The serialized result grew past the configured maximum."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the result is larger than the {limit:,}-byte limit; add a LIMIT or narrow the query")


class _Abandoned(Exception):
    """The reader went away (client disconnected, deadline passed); stop writing."""


_DONE = object()


class _Runners:
    """Daemon threads that run tasks, started on demand and reused (a thread start costs ~50 us).

    A thread stuck in a query that overran its deadline is simply not idle any
    more; the next task gets a new thread.
    """

    def __init__(self) -> None:
        self.tasks: queue.SimpleQueue = queue.SimpleQueue()
        self.idle = 0
        self.lock = threading.Lock()

    def submit(self, task: Callable[[], None]) -> None:
        with self.lock:
            spawn = self.idle == 0
            if not spawn:
                self.idle -= 1
        if spawn:
            # pyoxigraph parses and plans recursively: give it room (pages are only touched when used).
            previous = threading.stack_size(RUNNER_STACK)
            try:
                threading.Thread(target=self._loop, args=(task,), daemon=True, name="sparql-runner").start()
            finally:
                threading.stack_size(previous)
        else:
            self.tasks.put(task)

    def _loop(self, task: Callable[[], None]) -> None:
        while True:
            task()
            with self.lock:
                self.idle += 1
            task = self.tasks.get()


_runners = _Runners()


def _put(channel: queue.Queue, item: object, abandoned: threading.Event) -> bool:
    """Wait for room in the bounded channel unless the reader has gone; False when it has."""
    while not abandoned.is_set():
        try:
            channel.put(item, timeout=0.5)
            return True
        except queue.Full:
            continue
    return False


class _ChunkWriter:
    """A write-only file that hands fixed-size chunks to the reader and enforces the size limit."""

    def __init__(self, channel: queue.Queue, limit: int, abandoned: threading.Event) -> None:
        self.channel, self.limit, self.abandoned = channel, limit, abandoned
        self.pending = bytearray()
        self.total = 0

    def write(self, data: bytes) -> int:
        self.total += len(data)
        if self.total > self.limit:
            raise ResultTooLarge(self.limit)
        self.pending += data
        if len(self.pending) >= CHUNK:
            self.flush_chunk()
        return len(data)

    def flush_chunk(self) -> None:
        if not self.pending:
            return
        chunk, self.pending = bytes(self.pending), bytearray()
        if not _put(self.channel, chunk, self.abandoned):
            raise _Abandoned

    def flush(self) -> None:
        """File API: nothing to do until the writer is finished."""


@dataclass
class Result:
    """What a finished or streaming execution gives the response: the body so far, and the rest."""

    head: bytes
    rest: Iterator[bytes] | None  # None when ``head`` is the whole body


class Execution:
    """One task (``write(output)``) running in its own thread under a deadline."""

    def __init__(self, task: Callable[[IO[bytes]], None], *, timeout: float, max_bytes: int,
                 on_timeout: Callable[[], None] | None = None) -> None:  # fmt: skip
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.on_timeout = on_timeout
        self.channel: queue.Queue = queue.Queue(maxsize=16)
        self.abandoned = threading.Event()
        self.writer = _ChunkWriter(self.channel, max_bytes, self.abandoned)
        _runners.submit(lambda: self._run(task))

    def _run(self, task: Callable[[IO[bytes]], None]) -> None:
        try:
            task(self.writer)  # type: ignore[arg-type]
            self.writer.flush_chunk()
            self._send(_DONE)
        except _Abandoned:
            return
        except BaseException as exc:  # handed to the request thread, which decides the response
            self._send(exc)

    def _send(self, item: object) -> None:
        _put(self.channel, item, self.abandoned)

    def _next(self) -> object:
        remaining = self.deadline - time.monotonic()
        try:
            return self.channel.get(timeout=max(remaining, 0.0))
        except queue.Empty:
            self.abandon()
            if self.on_timeout is not None:
                self.on_timeout()
            raise QueryTimeout(self.timeout) from None

    def abandon(self) -> None:
        """Tell the task to stop writing (it stops at its next write)."""
        self.abandoned.set()

    def result(self, buffer_bytes: int) -> Result:
        """Wait for the whole result, or its first ``buffer_bytes``; raises the task's error, or a timeout."""
        head: list[bytes] = []
        size = 0
        while size < buffer_bytes:
            item = self._next()
            if item is _DONE:
                return Result(b"".join(head), None)
            if isinstance(item, BaseException):
                raise item
            head.append(item)  # type: ignore[arg-type]
            size += len(item)  # type: ignore[arg-type]
        return Result(b"".join(head), self._stream())

    def _stream(self) -> Iterator[bytes]:
        try:
            while True:
                item = self._next()
                if item is _DONE:
                    return
                if isinstance(item, BaseException):
                    raise item  # the status is sent: the server ends the connection mid-body
                yield item  # type: ignore[misc]
        finally:
            self.abandon()


def gzip_stream(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Compress a stream of chunks as one gzip member, chunk by chunk."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    for chunk in chunks:
        compressed = compressor.compress(chunk)
        if compressed:
            yield compressed
    yield compressor.flush()


def gzip_bytes(body: bytes) -> bytes:
    """Compress a whole body as gzip."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    return compressor.compress(body) + compressor.flush()
