"""Store specs: the one place that reads ``oxigraph:PATH``, ``memory:``, ``http(s)://…`` or a bare path.

A backend is picked by the spec's scheme, one registry entry per backend, so a
store can be added without touching callers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from missilekg.graph.store.base import Store, StoreError
from missilekg.graph.store.embedded import EmbeddedStore

StoreFactory = Callable[[str, bool], Store]


@dataclass(frozen=True)
class StoreSpec:
    """A parsed store spec: the backend's scheme and where the store is (a path, a URL, or nothing)."""

    scheme: str
    location: str

    @property
    def in_memory(self) -> bool:
        """A store that lives and dies with this process."""
        return self.scheme == "memory" or (self.scheme == "oxigraph" and not self.location)

    @property
    def remote(self) -> bool:
        """A SPARQL 1.1 service reached over HTTP."""
        return self.scheme in ("http", "https")

    @property
    def path(self) -> Path | None:
        """The folder of an on-disk embedded store (``None`` for the others)."""
        return Path(self.location) if self.scheme == "oxigraph" and self.location else None


def parse_spec(spec: str) -> StoreSpec:
    """Read a spec: ``oxigraph:PATH``, ``memory:``, ``http(s)://…/sparql``, or a bare path (an on-disk store).

    >>> parse_spec("data/store"), parse_spec("memory:").in_memory, parse_spec("https://h/sparql").remote
    (StoreSpec(scheme='oxigraph', location='data/store'), True, True)
    >>> parse_spec("ftp://x")
    Traceback (most recent call last):
    ...
    missilekg.graph.store.base.StoreError: unknown store 'ftp://x': use oxigraph:PATH, memory:, ...
    """
    scheme, sep, location = spec.partition(":")
    if sep and scheme in BACKENDS:
        return StoreSpec(scheme, location)
    if "://" in spec or (sep and len(scheme) > 1 and not Path(spec).exists()):
        raise StoreError(f"unknown store {spec!r}: use oxigraph:PATH, memory:, http(s)://HOST/sparql or a path")
    return StoreSpec("oxigraph", spec)


def _open_oxigraph(location: str, read_only: bool) -> Store:
    return EmbeddedStore(location or None, read_only=read_only)


def _open_memory(location: str, read_only: bool) -> Store:
    return EmbeddedStore(None)


def _open_remote(scheme: str) -> StoreFactory:
    def factory(location: str, read_only: bool) -> Store:
        from missilekg.graph.store.remote import open_remote  # the HTTP client is only loaded for remote stores

        return open_remote(f"{scheme}:{location}", read_only)

    return factory


#: Backends by spec scheme: the embedded store on disk or in memory, a remote SPARQL 1.1 service.
BACKENDS: dict[str, StoreFactory] = {
    "oxigraph": _open_oxigraph,
    "memory": _open_memory,
    "http": _open_remote("http"),
    "https": _open_remote("https"),
}


def open_store(spec: str, *, read_only: bool = False) -> Store:
    """Open the store a spec names: ``oxigraph:PATH``, ``memory:``, ``http(s)://…/sparql``, or a bare path.

    >>> open_store("memory:").transactional
    True
    """
    parsed = parse_spec(spec)
    return BACKENDS[parsed.scheme](parsed.location, read_only)
