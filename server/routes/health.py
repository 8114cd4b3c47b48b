"""Health check: is the app up and can it read its store?"""

from __future__ import annotations

import os

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from missilekg.server.http import dataset

bp = Blueprint("health", __name__, url_prefix="/health")


@bp.get("")
def health() -> ResponseReturnValue:
    """Report ok with the number of named graphs and the answering worker's process id, or 503."""
    try:
        graphs = sum(1 for _ in dataset(current_app).reader().named_graphs())
    except OSError as exc:  # pragma: no cover - store failure
        return jsonify(status="error", error=str(exc)), 503
    return jsonify(status="ok", graphs=graphs, worker=os.getpid())
