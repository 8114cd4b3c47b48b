"""``missilekg serve``: the app under gunicorn, with worker processes that can be stopped.

Each worker is a separate process that creates its own app and opens the
store read-only (see :mod:`missilekg.graph.store.dataset`). When a query overruns its time
limit, the worker answers 503 and is then retired (gunicorn replaces it): that
is what stops pyoxigraph, which cannot be cancelled, while the other workers
go on serving. An in-memory store cannot be shared between processes, so it
is served by waitress in one process (its time limit answers the client but
cannot stop the work).
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections.abc import Mapping
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from missilekg.graph.store.spec import parse_spec
from missilekg.graph.store.writer import WriterProcess
from missilekg.server import create_app

_worker: Any = None  # the gunicorn worker this process runs, set by post_worker_init


def _remember_worker(worker: Any) -> None:
    global _worker
    _worker = worker


def retire_worker() -> None:
    """Let the current request finish, then have gunicorn replace this worker process."""
    if _worker is not None:
        _worker.log.warning("a query overran its time limit; retiring worker %s", _worker.pid)
        _worker.alive = False


class GunicornServer(BaseApplication):
    """gunicorn with its settings given in code, and the app made in each worker."""

    def __init__(self, app_config: Mapping[str, Any], options: Mapping[str, Any]) -> None:
        self.app_config = dict(app_config)
        self.options = dict(options)
        super().__init__()

    def load_config(self) -> None:
        """Apply the options, and the hook that lets a worker retire itself."""
        for key, value in self.options.items():
            self.cfg.set(key, value)
        self.cfg.set("post_worker_init", _remember_worker)

    def load(self) -> Flask:
        """Called in each worker after the fork: its own app, its own read-only store view."""
        return create_app(self.app_config, on_timeout=retire_worker)


def default_workers() -> int:
    """Two sync workers per core: queries are CPU-bound in Rust, which releases the GIL while it works."""
    return 2 * multiprocessing.cpu_count()


def serve_gunicorn(app_config: Mapping[str, Any], *, host: str, port: int, workers: int,
                   access_log: bool = False) -> None:  # fmt: skip
    """Run gunicorn in the foreground until it is stopped (Ctrl-C, SIGTERM)."""
    timeout = float(app_config.get("QUERY_TIMEOUT", 30.0))
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "sync",
        # gunicorn's own watchdog is the last resort, after the app's own time limit has answered.
        "timeout": int(timeout) + 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": "-" if access_log else None,
        "proc_name": "missilekg",
        "control_socket_disable": True,
        # Queries travel in the URL of a GET: let MAX_QUERY_LENGTH, not gunicorn's 4 KiB line limit, decide.
        "limit_request_line": 0,
        "limit_request_field_size": 0,
    }
    # The per-client limits' table, shared by the workers (see missilekg.server.admission).
    handle, admission_file = tempfile.mkstemp(prefix="missilekg-admission-")
    os.close(handle)
    config = {**app_config, "WORKERS": workers, "ADMISSION_FILE": admission_file}
    owner = os.getpid()  # gunicorn forks the workers inside run(): only this process cleans up
    path = parse_spec(str(app_config.get("STORE", ""))).path
    # One process owns the store between writes (see missilekg.graph.store.writer); workers send it theirs.
    writer = WriterProcess(path, idle_seconds=float(app_config.get("WRITER_IDLE_SECONDS", 2.0))) \
        if path is not None and path.exists() else None
    try:
        if writer is not None:
            writer.start()
            config.update(writer.client_config())
        GunicornServer(config, options).run()
    finally:
        if os.getpid() == owner:
            if writer is not None:
                writer.stop()
            os.unlink(admission_file)
