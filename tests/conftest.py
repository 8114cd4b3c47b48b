"""Shared fixtures: a built in-memory store, the Flask app, and a live server on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from missilekg.graph.loading.build import build
from missilekg.graph.store.base import Store
from missilekg.graph.store.embedded import EmbeddedStore
from missilekg.server import create_app
from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

#: A short article with a front-matter header, written the way users bring them (ingest tests).
ARTICLE = """---
title: Kyiv says Russia fired North Korean missiles
publisher: Reuters
published: 2024-03-15
---
Russia fired at least 10 North Korean ballistic missiles at Kharkiv on Tuesday, Ukraine's prosecutor general \
Andriy Kostin said on Friday.
"These are KN-23 missiles," Kostin told reporters.
A Ukrainian military source said on Thursday that several dozen missiles had been delivered by North Korea to Russia.
Taras Shevchenko, a spokesperson for the Kharkiv regional administration, said two civilians were killed.
Iran has not supplied short-range ballistic missiles to Russia, a senior defense official said.
"""


@pytest.fixture(scope="session")
def built_store() -> Store:
    """The seed graph, built once per run in memory. Tests must not write to it."""
    store = EmbeddedStore()
    build(store, SEEDS)
    return store


@pytest.fixture
def fresh_store() -> Store:
    """A seed graph of the test's own, which it may change."""
    store = EmbeddedStore()
    build(store, SEEDS)
    return store


@pytest.fixture
def app(built_store: Store) -> Flask:
    """The app over the shared seed graph."""
    return create_app({"TESTING": True, "STORE": "memory:"}, store=built_store)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Flask's test client for ``app``."""
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(built_store: Store) -> Iterator[str]:
    """A real waitress server on 127.0.0.1 and an ephemeral port, stopped at teardown."""
    from waitress.server import create_server

    app = create_app({"STORE": "memory:"}, store=built_store)
    server = create_server(app, host="127.0.0.1", port=free_port(), threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.effective_port}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", server.effective_port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.05)
    yield url
    server.close()
    thread.join(timeout=5)
