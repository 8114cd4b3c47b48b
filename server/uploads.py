"""Reading uploaded RDF for the Graph Store: one document as the body, or several as ``multipart/form-data``.

Graph Store Protocol 5.5: a POST may carry a multipart body whose parts are
RDF documents, all merged into the target graph. Each part's syntax comes
from its Content-Type or, when that is missing or generic, from its file
name's extension. Every part is parsed before anything is written, so one
bad part refuses the whole request (400 for a syntax error, 415 for a
syntax that cannot be told or read) and the error names the part. The
multipart body is read with the standard library's MIME parser, not
Werkzeug's form parser, because a part without a file name would otherwise
become a form field and lose its Content-Type.
"""

from __future__ import annotations

import email.parser
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import PurePosixPath

import pyoxigraph as ox

from missilekg.server.formats import UPLOAD_TYPES
from missilekg.server.http import ProtocolError, as_utf8

#: File name extensions a part may be recognised by when its Content-Type does not say.
EXTENSIONS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".n3": ox.RdfFormat.N3,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
#: Content-Types that say nothing about the syntax, so the file name decides.
GENERIC_TYPES = frozenset({"", "application/octet-stream", "text/plain"})


@dataclass(frozen=True)
class Part:
    """One part of a multipart body: its form name, file name, media type (no parameters), charset and bytes."""

    number: int
    name: str | None
    filename: str | None
    mime: str
    charset: str | None
    data: bytes

    def label(self) -> str:
        """How an error names the part: its number, then its form name and file name when it has them."""
        named = [f"name {self.name!r}"] if self.name else []
        named += [f"file {self.filename!r}"] if self.filename else []
        return f"part {self.number}" + (f" ({', '.join(named)})" if named else "")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def parse_document(data: bytes, rdf_format: ox.RdfFormat, graph: ox.NamedNode | ox.DefaultGraph, base: str,
                   what: str) -> list[ox.Quad]:  # fmt: skip
    """The triples of one RDF document as quads of ``graph``; a 400 naming ``what`` when it does not parse."""
    try:
        return [ox.Quad(t.subject, t.predicate, t.object, graph)
                for t in ox.parse(data, format=rdf_format, base_iri=base)]  # fmt: skip
    except (SyntaxError, ValueError) as exc:
        raise ProtocolError(400, f"{what}: the {rdf_format.name} does not parse: {_one_line(exc)}") from exc


def multipart_parts(body: bytes, content_type: str) -> list[Part]:
    """The parts of a ``multipart/form-data`` body (``content_type`` is the request's header, with the boundary).

    >>> body = (b'--b\\r\\nContent-Disposition: form-data; name="a"; filename="a.ttl"\\r\\n\\r\\n'
    ...         b'<x:a> <x:b> <x:c> .\\r\\n--b--\\r\\n')
    >>> [(p.name, p.filename, p.mime, p.data) for p in multipart_parts(body, 'multipart/form-data; boundary=b')]
    [('a', 'a.ttl', '', b'<x:a> <x:b> <x:c> .')]
    """
    if "boundary=" not in content_type.lower():
        raise ProtocolError(400, "the multipart/form-data Content-Type has no boundary parameter")
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", errors="replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    if not message.is_multipart():
        raise ProtocolError(400, "the multipart/form-data body could not be split into parts")
    parts = []
    for number, part in enumerate(message.iter_parts(), start=1):
        assert isinstance(part, EmailMessage)
        declared = part["Content-Type"]
        payload = part.get_payload(decode=True)
        parts.append(Part(
            number=number,
            name=part.get_param("name", header="content-disposition"),  # type: ignore[arg-type]
            filename=part.get_filename(),
            mime=part.get_content_type() if declared is not None else "",
            charset=part.get_content_charset() if declared is not None else None,
            data=payload if isinstance(payload, bytes) else b"",
        ))  # fmt: skip
    if not parts:
        raise ProtocolError(400, "the multipart/form-data body has no parts")
    return parts


def part_format(part: Part) -> ox.RdfFormat:
    """A part's RDF syntax: by its Content-Type, else (missing or generic) by its file name; else a 415."""
    if part.mime in UPLOAD_TYPES:
        return UPLOAD_TYPES[part.mime]
    suffix = PurePosixPath(part.filename or "").suffix.lower()
    if part.mime in GENERIC_TYPES and suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    said = f"is {part.mime}" if part.mime else "has no Content-Type"
    raise ProtocolError(415, f"{part.label()} {said} and no known file extension: send one of "
                             f"{', '.join(UPLOAD_TYPES)} or name it *{', *'.join(EXTENSIONS)}")  # fmt: skip


def multipart_quads(body: bytes, content_type: str, graph: ox.NamedNode | ox.DefaultGraph, base: str) -> list[ox.Quad]:
    """Every part parsed into ``graph`` (distinct quads, in part order); the first bad part refuses them all."""
    quads: dict[ox.Quad, None] = {}
    for part in multipart_parts(body, content_type):
        rdf_format = part_format(part)
        data = as_utf8(part.data, part.charset, part.label())
        quads.update(dict.fromkeys(parse_document(data, rdf_format, graph, base, part.label())))
    return list(quads)
