"""Starting real ``missilekg serve`` processes (gunicorn) on loopback for tests, and raw HTTP calls."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Reply:
    """An HTTP response, read whole."""

    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        """The body as UTF-8 text."""
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        """The body parsed as JSON."""
        return json.loads(self.body)


#: How often a request whose body the server cut short is sent again before the broken connection is the answer.
EARLY_REPLY_ATTEMPTS = 3


def call(method: str, url: str, data: bytes | None = None, headers: Mapping[str, str] | None = None,
         timeout: float = 30, source: str | None = None) -> Reply:  # fmt: skip
    """One HTTP request with urllib; error statuses are returned, not raised.

    ``source`` is the local address to send from (``127.0.0.2``: another client, to the per-client limits).
    """
    if source is not None:
        return _call_from(source, method, url, data, headers, timeout)
    for attempt in range(EARLY_REPLY_ATTEMPTS):
        request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers, error.read())
        except urllib.error.URLError as error:
            # A server that refuses a body it will not read ('413') may answer and close while the body is still
            # being sent; the socket then breaks before its answer is read. Send again, up to a few times.
            broken = isinstance(error.reason, (BrokenPipeError, ConnectionResetError))
            if not broken or data is None or attempt == EARLY_REPLY_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _call_from(source: str, method: str, url: str, data: bytes | None, headers: Mapping[str, str] | None,
               timeout: float) -> Reply:  # fmt: skip
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout, source_address=(source, 0))
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, body=data, headers=dict(headers or {}))
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


@contextmanager
def running_server(store: Path | str, *, env: Mapping[str, str] | None = None, workers: int = 2,
                   extra: list[str] | None = None) -> Iterator[str]:  # fmt: skip
    """``missilekg --store STORE serve`` on an ephemeral loopback port; yields its base URL, stops it after.

    ``store`` is an on-disk store's folder, or a store spec (``http://…/sparql`` for a remote store).
    """
    port = free_port()
    script = Path(sys.executable).with_name("missilekg")
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "missilekg.server.cli"]
    spec = store if isinstance(store, str) else f"oxigraph:{store}"
    command = [*launcher, "--store", spec, "serve", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), *(extra or [])]  # fmt: skip
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MISSILEKG_")}
    environment.update(env or {})
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                if call("GET", f"{url}/health", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not come up in 30 s")
            time.sleep(0.1)
        yield url
    finally:
        stop(process, grace=15)


def stop(process: subprocess.Popen, *, grace: float) -> None:
    """Stop a server started in its own session: SIGTERM to its group, SIGKILL after ``grace`` seconds."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if process.stderr:
        process.stderr.close()


def seed_store(folder: Path) -> Path:
    """An on-disk store built from the seeds in ``folder/store`` (closed, ready for a server to open)."""
    from missilekg.graph.loading.build import build
    from missilekg.graph.store.embedded import EmbeddedStore

    store = EmbeddedStore(folder / "store")
    build(store, Path(__file__).resolve().parent.parent / "seeds")
    store.close()
    return folder / "store"
