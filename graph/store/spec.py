"""Store specs: the one place that reads ``oxigraph:PATH``, ``memory:``, ``http(s)://…`` or a bare path.

A backend is picked by the spec's scheme, one registry entry per backend, so a
store can be added without touching callers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from missilekg.graph.store.base import Store, StoreError
from missilekg.graph.store.embedded import EmbeddedStore

StoreFactory = Callable[[str, bool], Store]


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
    >>> open_store("ftp://x")
    Traceback (most recent call last):
    ...
    missilekg.graph.store.base.StoreError: unknown store 'ftp://x': use oxigraph:PATH, memory:, ...
    """
    scheme, sep, location = spec.partition(":")
    if sep and scheme in BACKENDS:
        return BACKENDS[scheme](location, read_only)
    if "://" in spec or (sep and len(scheme) > 1 and not Path(spec).exists()):
        raise StoreError(f"unknown store {spec!r}: use oxigraph:PATH, memory:, http(s)://HOST/sparql or a path")
    return EmbeddedStore(spec, read_only=read_only)
