"""Articles as users bring them: plain text or HTML, with metadata in a header or given by flags.

A plain-text article may open with a small front-matter header::

    ---
    title: Russia fired North Korean missiles, Kyiv says
    publisher: Reuters
    published: 2024-02-09
    url: https://example.org/story
    ---
    Ukraine says Russia has fired...

HTML pages give their text (paragraphs, headings, list items) and what their
``<title>`` and ``<meta>`` tags say. Flags (``--publisher`` …) win over both.
Offsets in the annotation refer to the article text without the header.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import yaml
from pydantic import ValidationError

from missilekg.loaders.annotation import ENTITY_REF, Metadata, NewEntity
from missilekg.loaders.article import ArticleText, decode_article
from missilekg.loaders.errors import ArticleError
from missilekg.loaders.extract.lexicon import Lexicon
from missilekg.loaders.extract.text import slug

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<header>.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)
HEADER_KEYS = {"title", "url", "publisher", "published", "author"}
HTML_START = re.compile(rb"\A\s*(?:<!doctype html|<html|<head|<body|<article|<p[ >])", re.IGNORECASE)


@dataclass(frozen=True)
class MetadataOverrides:
    """What the user says about an article on the command line."""

    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: dt.date | dt.datetime | None = None
    author: str | None = None

    def values(self) -> dict[str, Any]:
        """The fields that were given."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class SourceArticle:
    """An article read from a user's file: its text, metadata and any entities the metadata introduces."""

    article: ArticleText
    metadata: Metadata
    entities: tuple[NewEntity, ...]
    path: Path | None
    is_plain_text: bool


def read_source(
    data: bytes, name: str, lexicon: Lexicon, overrides: MetadataOverrides | None = None, path: Path | None = None
) -> SourceArticle:
    """Decode an article (plain text or HTML), split off its metadata and resolve the publisher.

    Raises :class:`ArticleError` naming ``name`` (and the line, for a bad header).
    """
    overrides = overrides or MetadataOverrides()
    is_html = name.lower().endswith((".html", ".htm")) or bool(HTML_START.match(data[:200]))
    text = decode_article(data, name)
    header: dict[str, Any] = {}
    if is_html:
        text, header = html_article(text)
        if not text.strip():
            raise ArticleError(name, None, "the HTML page has no article text (no paragraphs or headings)")
    else:
        match = FRONT_MATTER.match(text)
        if match:
            header = _header(match.group("header"), name)
            text = text[match.end() :]
            if not text.strip():
                raise ArticleError(name, None, "the article has a header but no text")
    stem = Path(name).stem if path is not None else f"stdin-{hashlib.sha256(data).hexdigest()[:16]}"
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", stem):
        stem = slug(stem)
    file_name = f"{stem}.txt"
    article = ArticleText(stem=stem, file_name=file_name, text=text, sha256=hashlib.sha256(text.encode()).hexdigest())
    values = {**header, **overrides.values()}
    entities: list[NewEntity] = []
    for key, kind in (("publisher", "NewsOutlet"), ("author", "Person")):
        if values.get(key):
            ref, entity = _actor(str(values[key]), kind, lexicon)
            values[key] = ref
            if entity is not None:
                entities.append(entity)
    try:
        metadata = Metadata(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(step) for step in first["loc"])
        raise ArticleError(name, None, f"metadata {field}: {first['msg']}") from exc
    return SourceArticle(article, metadata, tuple(entities), path, not is_html and not header)


def _header(header: str, name: str) -> dict[str, Any]:
    try:
        values = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        raise ArticleError(
            name, line, f"the front-matter header is not valid YAML: {getattr(exc, 'problem', exc)}"
        ) from exc
    if not isinstance(values, dict):
        raise ArticleError(name, 2, "the front-matter header must be 'key: value' lines")
    unknown = set(values) - HEADER_KEYS
    if unknown:
        raise ArticleError(
            name,
            2,
            f"unknown header field(s) {', '.join(sorted(map(str, unknown)))}; known: {', '.join(sorted(HEADER_KEYS))}",
        )
    return {k: v for k, v in values.items() if v is not None}


def _actor(value: str, kind: str, lexicon: Lexicon) -> tuple[str, NewEntity | None]:
    """A publisher or author given by name or reference: the vocabulary's entity, or a new one."""
    if ENTITY_REF.match(value) and value in lexicon.entities:
        return value, None
    for match in lexicon.find(value):
        if match.start == 0 and match.end == len(value):
            return match.ref, None
    prefix = "org" if kind == "NewsOutlet" else "person"
    ref = f"{prefix}/{slug(value)}"
    if ref in lexicon.entities:
        return ref, None
    return ref, NewEntity(id=ref, label=value, type=kind)


class _TextOfPage(HTMLParser):
    """Collects the readable blocks of an HTML page and its metadata tags."""

    BLOCKS: ClassVar[frozenset[str]] = frozenset({"p", "h1", "h2", "h3", "h4", "li", "blockquote", "figcaption", "td"})
    SKIP: ClassVar[frozenset[str]] = frozenset(
        {"script", "style", "nav", "footer", "header", "aside", "noscript", "svg", "form", "button"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] | None = None
        self.skipping = 0
        self.in_title = False
        self.title = ""
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "meta":
            key = values.get("property") or values.get("name") or values.get("itemprop")
            if key:
                self.meta[key.lower()] = values.get("content", "")
        elif tag == "link" and values.get("rel") == "canonical":
            self.meta["canonical"] = values.get("href", "")
        elif tag in self.BLOCKS and not self.skipping:
            self._close()
            self.current = []
        elif tag == "br" and self.current is not None:
            self.current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag == "title":
            self.in_title = False
        elif tag in self.BLOCKS:
            self._close()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif self.current is not None and not self.skipping:
            self.current.append(data)

    def _close(self) -> None:
        if self.current is not None:
            block = re.sub(r"\s+", " ", "".join(self.current)).strip()
            if block:
                self.blocks.append(block)
        self.current = None


def html_article(page: str) -> tuple[str, dict[str, Any]]:
    """The text of an HTML article (one block per line) and the metadata its tags give.

    >>> html_article("<html><title>T</title><p>Kyiv <b>says</b> so.</p><script>x()</script></html>")
    ('Kyiv says so.\\n', {'title': 'T'})
    """
    parser = _TextOfPage()
    parser.feed(page)
    parser.close()
    parser._close()
    meta = parser.meta
    header: dict[str, Any] = {}
    title = meta.get("og:title") or parser.title.strip()
    if title:
        header["title"] = title
    if meta.get("og:site_name"):
        header["publisher"] = meta["og:site_name"]
    url = meta.get("og:url") or meta.get("canonical")
    if url:
        header["url"] = url
    published = meta.get("article:published_time") or meta.get("datepublished") or meta.get("date")
    if published:
        with contextlib.suppress(ValueError):
            header["published"] = dt.datetime.fromisoformat(published.replace("Z", "+00:00"))
    if meta.get("author"):
        header["author"] = meta["author"]
    text = "\n".join(parser.blocks)
    return (text + "\n" if text else ""), header
