"""The Flask application: an app factory and its blueprints; nothing else lives here."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask
from flask_cors import CORS

from missilekg.graph.store.base import Store
from missilekg.graph.store.spec import open_store, parse_spec
from missilekg.server.config import DEFAULTS

if TYPE_CHECKING:
    from missilekg.graph.store.dataset import Dataset



def _dataset_for(spec: str, config: Mapping[str, Any]) -> Dataset:
    """A shared on-disk dataset for a store path (writing through the writer process if one runs), or one
    in-process store for ``memory:``."""
    from missilekg.graph.store.dataset import InProcessDataset, SharedDiskDataset

    path = parse_spec(spec).path
    if path is None:
        return InProcessDataset(open_store(spec))
    forward = None
    if config.get("WRITER_ADDRESS"):
        from missilekg.graph.store.writer import WriterClient

        forward = WriterClient(config["WRITER_ADDRESS"], bytes.fromhex(config["WRITER_AUTHKEY"]))
    return SharedDiskDataset(path, forward=forward)


def create_app(config: Mapping[str, Any] | None = None, *, store: Store | None = None,
               on_timeout: Callable[[], None] | None = None) -> Flask:  # fmt: skip
    """Build the app: :data:`~missilekg.server.config.DEFAULTS`, then ``MISSILEKG_*`` variables, then ``config``.

    A ready ``store`` may be passed in (tests, the CLI) and is then read and
    written in this process; otherwise the ``STORE`` setting names it, and an
    on-disk store is shared with other processes (see :mod:`missilekg.graph.store.dataset`).
    ``on_timeout`` runs when a query overruns its time limit; ``missilekg serve``
    uses it to retire the worker process that is still busy with the query.
    """
    from missilekg.graph.store.dataset import InProcessDataset
    from missilekg.server import http
    from missilekg.server.admission import Admission, Limits
    from missilekg.server.cache import ResultCache
    from missilekg.server.description import Statistics
    from missilekg.server.routes import entities, graph_store, health, sparql, ui, update, views

    # Named explicitly: Flask cannot guess an instance folder for a package inside the missilekg namespace.
    app = Flask(__name__, instance_path=str(Path(sys.prefix) / "var" / "missilekg-instance"))
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("MISSILEKG")
    if config:
        app.config.from_mapping(config)
    dataset = InProcessDataset(store) if store is not None else _dataset_for(app.config["STORE"], app.config)
    app.extensions["missilekg.dataset"] = dataset
    app.extensions["missilekg.statistics"] = Statistics()
    workers = app.config["WORKERS"]
    limits = Limits(int(app.config["CLIENT_MAX_QUERIES"]), float(app.config["CLIENT_QUERY_SECONDS"]),
                    int(app.config["RESERVED_WORKERS"]), int(workers) if workers else None,
                    float(app.config["LIGHT_CLIENT_SECONDS"]))  # fmt: skip
    admission = app.extensions["missilekg.admission"] = Admission(limits, app.config["ADMISSION_FILE"])
    if workers and app.config["ADMISSION_FILE"]:
        admission.worker_ready()
    app.extensions["missilekg.cache"] = ResultCache(int(app.config["RESULT_CACHE_BYTES"]),
                                                    int(app.config["RESULT_CACHE_ENTRY_BYTES"]))  # fmt: skip
    if on_timeout is not None:

        def retire() -> None:
            admission.worker_retiring()  # the limits stop counting this worker at once
            on_timeout()

        app.extensions["missilekg.on_timeout"] = retire
    CORS(app, origins=app.config["CORS_ORIGINS"], expose_headers=["Content-Type", "Content-Length", "Retry-After"],
         allow_headers=["Content-Type", "Authorization", "Accept"], max_age=86400)  # fmt: skip
    http.register_error_handlers(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(sparql.void_bp)
    app.register_blueprint(update.bp)
    app.register_blueprint(graph_store.bp)
    app.register_blueprint(graph_store.export_bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(entities.bp)
    app.register_blueprint(ui.bp)
    app.register_blueprint(views.bp)
    return app

