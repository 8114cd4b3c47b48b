"""Health check: is the app up, can it read its store, and is the inference graph up to date?

A crash in the middle of an inference pass (or a write with ``INFER_ON_WRITE``
off) leaves the inference graph stale until the next pass; queries that
depend on derived triples (Q7, Q9) may then be incomplete, so an operator, or
a load balancer, needs to see it here.
"""

from __future__ import annotations

import os

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from missilekg.graph.reasoning.passes import is_up_to_date
from missilekg.graph.store.base import StoreError
from missilekg.server.http import dataset

bp = Blueprint("health", __name__, url_prefix="/health")


@bp.get("")
def health() -> ResponseReturnValue:
    """Report ok with the number of named graphs, whether inference is up to date, and the worker's pid; or 503.

    A stale inference graph is reported (``"inference": {"up_to_date": false}``) but the status stays
    ``ok``: the endpoint answers, and asserted data is complete.
    """
    try:
        store = dataset(current_app).reader()
        graphs = sum(1 for _ in store.named_graphs())
        fresh = is_up_to_date(store)
    except (OSError, StoreError) as exc:  # pragma: no cover - store failure
        return jsonify(status="error", error=str(exc)), 503
    return jsonify(status="ok", graphs=graphs, inference={"up_to_date": fresh}, worker=os.getpid())
