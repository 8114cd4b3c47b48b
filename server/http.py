"""What every endpoint shares: protocol errors, responses (compressed on request), running a task, auth.

Error bodies are one line of plain text that says what was wrong and, for a
malformed query, where; never a stack trace or a file path.
"""

from __future__ import annotations

import codecs
import hmac
import logging
import re
from collections.abc import Callable, Iterator
from typing import IO

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from missilekg.graph.store.base import QuerySyntaxError, StoreError
from missilekg.graph.store.dataset import Dataset, StoreBusy
from missilekg.graph.store.snapshots import SnapshotUnavailable
from missilekg.ontology.errors import MissilekgError
from missilekg.server.admission import Limited, Ticket
from missilekg.server.execution import Execution, QueryTimeout, ResultTooLarge, gzip_bytes, gzip_stream
from missilekg.server.formats import Format

log = logging.getLogger("missilekg.server")


class ProtocolError(MissilekgError):
    """A request the protocol says to refuse, with its status and a message for the client."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def dataset(app: Flask) -> Dataset:
    """The app's access to the store (see :mod:`missilekg.graph.store.dataset`)."""
    return app.extensions["missilekg.dataset"]


def text_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A plain-text error or notice."""
    return Response(message.rstrip("\n") + "\n", status, headers=headers, mimetype="text/plain")


def _wants_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def respond(body: bytes, content_type: str, status: int = 200) -> Response:
    """A whole body, gzipped when the client asks for it and it is worth it."""
    response = Response(body, status, content_type=content_type)
    if _wants_gzip() and len(body) >= current_app.config["COMPRESS_MIN_BYTES"]:
        response.set_data(gzip_bytes(body))
        response.headers["Content-Encoding"] = "gzip"
    response.vary.update(("Accept", "Accept-Encoding"))
    return response


def _sanitized(exc: BaseException) -> str:
    """An error's message without file system paths."""
    return re.sub(r"(/[\w.-]+){2,}", "<path>", str(exc))[:500]


def run_and_respond(task: Callable[[IO[bytes]], None], fmt: Format, *, what: str = "query") -> Response:
    """Run ``task`` under the per-client limits and the time and size limits; buffer a small result, stream a large
    one."""
    ticket = None if what == "update" else _admit()  # writes carry the token and queue at the writer
    admission = current_app.extensions["missilekg.admission"]
    try:
        response = _run(task, fmt, what)
    except BaseException:
        if ticket is not None:
            admission.release(ticket)
        raise
    if ticket is not None:
        if response.is_streamed:
            response.call_on_close(lambda: admission.release(ticket))
        else:
            admission.release(ticket)
    return response


def client_name() -> str:
    """Who is asking: the configured header's first value (behind a proxy), else the peer address."""
    header = current_app.config["CLIENT_ID_HEADER"]
    if header and request.headers.get(header):
        return request.headers[header].split(",")[0].strip()
    return request.remote_addr or "unknown"


def _admit() -> Ticket:
    try:
        return current_app.extensions["missilekg.admission"].admit(client_name())
    except Limited as exc:
        raise ProtocolError(429, str(exc), {"Retry-After": str(exc.retry_after)}) from exc


def _run(task: Callable[[IO[bytes]], None], fmt: Format, what: str) -> Response:
    config = current_app.config
    execution = Execution(task, timeout=float(config["QUERY_TIMEOUT"]), max_bytes=int(config["MAX_RESULT_BYTES"]),
                          on_timeout=current_app.extensions.get("missilekg.on_timeout"))  # fmt: skip
    try:
        result = execution.result(int(config["BUFFER_BYTES"]))
    except QuerySyntaxError as exc:
        raise ProtocolError(400, f"Malformed {what}: {exc}") from exc
    except QueryTimeout as exc:
        raise ProtocolError(503, str(exc), {"Retry-After": "5"}) from exc
    except (StoreBusy, SnapshotUnavailable) as exc:
        raise ProtocolError(503, str(exc), {"Retry-After": "2"}) from exc
    except ResultTooLarge as exc:
        raise ProtocolError(400, str(exc)) from exc
    except (OSError, RuntimeError, ValueError, StoreError) as exc:
        log.warning("query failed: %s", exc)
        raise ProtocolError(500, f"the {what} failed while running: {_sanitized(exc)}") from exc
    if result.rest is None:
        return respond(result.head, fmt.content_type)
    rest = result.rest

    def chunks() -> Iterator[bytes]:
        yield result.head
        yield from rest

    body = gzip_stream(chunks()) if _wants_gzip() else chunks()
    response = Response(body, 200, content_type=fmt.content_type)
    if _wants_gzip():
        response.headers["Content-Encoding"] = "gzip"
    response.vary.update(("Accept", "Accept-Encoding"))
    return response


def decode_text(data: bytes, charset: str | None, what: str = "the body") -> str:
    """Text sent in ``charset`` (UTF-8 when none is named), or a 415 for an unknown charset, a 400 for bad bytes."""
    name = (charset or "utf-8").strip().strip('"')
    try:
        label = codecs.lookup(name).name
    except LookupError as exc:
        raise ProtocolError(415, f"{what} names an unknown charset {name!r}; send UTF-8") from exc
    shown = "UTF-8" if label == "utf-8" else name
    try:
        return data.decode(label)
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not valid {shown} (byte {exc.start}: {exc.reason})") from exc


def as_utf8(data: bytes, charset: str | None, what: str = "the body") -> bytes:
    """Bytes re-encoded as UTF-8 (what pyoxigraph parses) when ``charset`` names another encoding."""
    if charset is None:
        return data
    try:
        if codecs.lookup(charset.strip().strip('"') or "utf-8").name == "utf-8":
            return data
    except LookupError:
        pass  # decode_text gives the 415
    return decode_text(data, charset, what).encode("utf-8")


def body_text() -> str:
    """The request body as text in the charset its Content-Type names (UTF-8 by default); see :func:`decode_text`."""
    return decode_text(request.get_data(), request.mimetype_params.get("charset"))


def require_token() -> None:
    """Let a write through only with the configured bearer token (compared in constant time)."""
    token = current_app.config["UPDATE_TOKEN"]
    if not token:
        raise ProtocolError(403, "writes are switched off: the server has no UPDATE_TOKEN configured")
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="missilekg"'}
    if scheme.lower() != "bearer" or not given:
        raise ProtocolError(401, "writes need an 'Authorization: Bearer <token>' header", challenge)
    if not hmac.compare_digest(given.strip().encode("utf-8"), str(token).encode("utf-8")):
        raise ProtocolError(401, "the bearer token is not valid", challenge)


def register_error_handlers(app: Flask) -> None:
    """Plain-text answers for protocol errors, HTTP errors and anything unexpected."""

    @app.errorhandler(ProtocolError)
    def protocol_error(exc: ProtocolError) -> Response:
        return text_response(exc.status, exc.message, exc.headers)

    @app.errorhandler(StoreBusy)
    @app.errorhandler(SnapshotUnavailable)
    def busy(exc: StoreBusy | SnapshotUnavailable) -> Response:
        return text_response(503, str(exc), {"Retry-After": "2"})

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        response = text_response(exc.code or 500, f"{exc.name}: {exc.description}")
        for key in ("Allow", "WWW-Authenticate"):
            if exc.get_response().headers.get(key):
                response.headers[key] = exc.get_response().headers[key]
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unexpected error")
        return text_response(500, "internal error; the server log has the details")
