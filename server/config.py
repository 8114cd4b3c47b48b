"""Every setting of the web app, with its default, in one place.

Settings come from these defaults, then ``MISSILEKG_*`` environment variables
(``MISSILEKG_QUERY_TIMEOUT=10``; values are read as JSON when they parse, so
numbers, booleans and lists work), then the mapping given to ``create_app``.
"""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    # Which store to serve: oxigraph:PATH, a folder path, or memory:.
    "STORE": "oxigraph:data/store",
    # Seconds a query (or update) may run before it is stopped and answered with 503.
    "QUERY_TIMEOUT": 30.0,
    # Bytes of serialized result allowed: beyond it, 400 if still buffering, else the stream is cut off.
    "MAX_RESULT_BYTES": 256 * 1024 * 1024,
    # Results up to this size are buffered and sent with a Content-Length; larger ones stream.
    "BUFFER_BYTES": 1024 * 1024,
    # Largest request body accepted (queries, updates, Graph Store uploads); Flask answers 413 beyond it.
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    # Largest query or update text, in characters.
    "MAX_QUERY_LENGTH": 1024 * 1024,
    # Deepest bracket nesting, and most operators, a query or update may have (deeper ones crash the parser).
    "MAX_QUERY_DEPTH": 500,
    "MAX_QUERY_OPERATORS": 5000,
    # Bearer token for /update and Graph Store writes; None switches writes off.
    "UPDATE_TOKEN": None,
    # SERVICE endpoints a query may call; empty means federation is off. "*" allows any (not advised).
    "ALLOWED_SERVICES": [],
    # Origins allowed by CORS.
    "CORS_ORIGINS": "*",
    # Recompute the inference graph after every write through the endpoint.
    "INFER_ON_WRITE": True,
    # Apply INSERT DATA updates with incremental inference in one transaction (off: every update runs a full pass).
    "INCREMENTAL_UPDATES": True,
    # Per-client limits (see server/admission.py); 0 switches a rule off. Queries one client may run at once:
    "CLIENT_MAX_QUERIES": 4,
    # Seconds of query time one client may use per minute (answered 429 with Retry-After beyond):
    "CLIENT_QUERY_SECONDS": 120.0,
    # Workers kept, when the others are busy, for light clients: nothing running and under LIGHT_CLIENT_SECONDS
    # of query time this minute (gunicorn only):
    "RESERVED_WORKERS": 1,
    "LIGHT_CLIENT_SECONDS": 5.0,
    # A header that names the client (e.g. X-Forwarded-For behind a trusted proxy); None: the peer address.
    "CLIENT_ID_HEADER": None,
    # Set by `missilekg serve`: the worker count and the table the workers share (else one per process).
    "WORKERS": None,
    "ADMISSION_FILE": None,
    # Seconds without a write after which serve's writer process closes the store (so the CLI can write).
    "WRITER_IDLE_SECONDS": 2.0,
    # Bytes of small query results each worker keeps, per store generation (0 turns the cache off).
    "RESULT_CACHE_BYTES": 64 * 1024 * 1024,
    # Largest single result that is cached.
    "RESULT_CACHE_ENTRY_BYTES": 512 * 1024,
    # Compress responses for clients that send Accept-Encoding: gzip, from this size on (streams always).
    "COMPRESS_MIN_BYTES": 1024,
}
