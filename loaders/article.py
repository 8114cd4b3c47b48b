"""Reading article files: bytes in, verified text and its fingerprint out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from missilekg.loaders.errors import ArticleError

MAX_ARTICLE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ArticleText:
    """An article's text exactly as on disk, with its file name and SHA-256."""

    stem: str
    file_name: str
    text: str
    sha256: str


def decode_article(data: bytes, source: str) -> str:
    """Decode article bytes as UTF-8, refusing empty, binary and oversized input.

    >>> decode_article(b"Kyiv says", "a.txt")
    'Kyiv says'
    >>> decode_article(b"\\x00\\x01", "b.txt")
    Traceback (most recent call last):
    ...
    missilekg.loaders.errors.ArticleError: b.txt: binary data (NUL byte at offset 0), not an article
    """
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(source, None, f"{len(data)} bytes is over the {MAX_ARTICLE_BYTES}-byte limit")
    if not data.strip():
        raise ArticleError(source, None, "empty article")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ArticleError(source, None, f"binary data (NUL byte at offset {nul}), not an article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ArticleError(source, line, f"not valid UTF-8 at byte {exc.start} ({exc.reason})") from exc


def read_article(path: Path) -> ArticleText:
    """Read the article at ``path``; the text is kept byte for byte (no newline changes)."""
    data = path.read_bytes()
    text = decode_article(data, str(path))
    return ArticleText(
        stem=path.stem,
        file_name=path.name,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
    )
