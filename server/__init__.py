"""The Flask application: an app factory and its blueprints; nothing else lives here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from graph.store import Store, open_store

DEFAULTS: dict[str, Any] = {
    "STORE": "oxigraph:data/store",
    "STORE_READ_ONLY": False,
    "MAX_CONTENT_LENGTH": 1024 * 1024,
}


def create_app(config: Mapping[str, Any] | None = None, *, store: Store | None = None) -> Flask:
    """Build the app: defaults, then ``MISSILEKG_*`` environment variables, then ``config``.

    A ready ``store`` may be passed in (tests, the CLI); otherwise the one the
    ``STORE`` setting names is opened once for the life of the app.
    """
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("MISSILEKG")
    if config:
        app.config.from_mapping(config)
    app.extensions["missilekg.store"] = store or open_store(
        app.config["STORE"], read_only=app.config["STORE_READ_ONLY"]
    )

    from server import health, sparql

    app.register_blueprint(sparql.bp)
    app.register_blueprint(health.bp)
    return app


def get_store(app: Flask) -> Store:
    """The store attached to ``app`` by :func:`create_app`."""
    return app.extensions["missilekg.store"]
