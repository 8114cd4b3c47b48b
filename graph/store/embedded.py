"""The embedded store: pyoxigraph on disk or in memory, and the generation file writers touch after a commit.

A writer on disk also publishes a snapshot for readers after each commit
(see :mod:`missilekg.graph.store.snapshots`); :meth:`EmbeddedStore.publishing_once`
holds that back until a change made of several commits is complete.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from missilekg.graph.store import snapshots
from missilekg.graph.store.base import Bindings, GraphContents, GraphNames, QueryResult, QuerySyntaxError, StoreError
from missilekg.graph.store.updates import drop_graphs, graph_blocks, insert_data


class EmbeddedStore:
    """pyoxigraph's store, on disk (``path``) or in memory (``path=None``).

    An on-disk store is locked by the process that opens it for writing;
    ``read_only=True`` opens a second, read-only view.

    >>> store = EmbeddedStore()
    >>> g = ox.NamedNode("https://example.org/g")
    >>> store.replace_graphs({g: [ox.Quad(g, g, ox.Literal("x"), g)]})
    >>> [str(n) for n in store.named_graphs()]
    ['<https://example.org/g>']
    """

    transactional = True

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._held_back = 0  # > 0 inside publishing_once()
        self._unpublished = False
        self._keep: IO[str] | None = None  # a snapshot view's reader lock, released with the view
        self.defer_retire = False  # the writer process retires old snapshots after answering, not in publish()
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc

    @classmethod
    def snapshot_view(cls, store: ox.Store, path: Path, keep: IO[str]) -> EmbeddedStore:
        """A read-only view of a published snapshot of the store at ``path``; ``keep`` is held as long as it lives."""
        view = cls.__new__(cls)
        view.path, view.read_only, view._store, view._keep = path, True, store, keep
        view._held_back, view._unpublished, view.defer_retire = 0, False, False
        return view

    def query(self, sparql: str, *, union_default_graph: bool = True, substitutions: Bindings | None = None,
              default_graph: GraphNames | None = None, named_graphs: GraphNames | None = None,
              base_iri: str | None = None) -> QueryResult:  # fmt: skip
        """Run a SPARQL query; raises :class:`QuerySyntaxError` with the parser's position."""
        bound: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): value for name, value in (substitutions or {}).items()
        }
        # Copies typed as pyoxigraph's wider parameters (a list is invariant).
        dataset_default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = (
            None if default_graph is None else list(default_graph)
        )
        dataset_named: list[ox.NamedNode | ox.BlankNode] | None = None if named_graphs is None else list(named_graphs)
        try:
            return self._store.query(
                sparql,
                use_default_graph_as_union=union_default_graph and default_graph is None,
                default_graph=dataset_default,
                named_graphs=dataset_named,
                substitutions=bound or None,
                base_iri=base_iri,
            )
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL update in one transaction; on disk, flush it and tell readers (see :meth:`generation`).

        Relative IRIs resolve against ``base_iri``, or the ``BASE`` the text declares.
        """
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        except OSError as exc:
            raise StoreError(f"update failed: {exc}") from exc
        self._committed()

    def _committed(self) -> None:
        if self.path is not None and not self.read_only:
            self._unpublished = True
            if not self._held_back:
                self.publish()

    def publish(self) -> None:
        """Change the generation token and publish a snapshot for readers (see :mod:`.snapshots`).

        The checkpoint takes the write-ahead log with it, so the memtable need not be flushed first (flushing
        after every small write would leave many tiny table files for every later read to merge).
        """
        if self.path is None or self.read_only:
            return
        generation = str(time.time_ns())
        snapshots.publish(self._store, self.path, generation, retire=not self.defer_retire)
        generation_file(self.path).write_text(generation, encoding="ascii")
        self._unpublished = False

    @contextlib.contextmanager
    def publishing_once(self) -> Iterator[None]:
        """Commits inside publish one snapshot at the end, so readers never see a change half made."""
        self._held_back += 1
        try:
            yield
        finally:
            self._held_back -= 1
            if not self._held_back and self._unpublished and hasattr(self, "_store"):
                self.publish()

    def generation(self) -> str:
        """A token that changes whenever a writer commits to this on-disk store ("" in memory).

        Read-only views do not see later writes; a reader compares this token
        with the one it opened at and reopens when they differ.
        """
        return "" if self.path is None else read_generation(self.path)

    def replace_graphs(self, graphs: GraphContents, *,
                       add: Iterable[ox.Quad] = (), delete: Iterable[ox.Quad] = ()) -> None:  # fmt: skip
        """Drop and refill each graph, then add and delete quads, in a single SPARQL update, hence one transaction.

        When every graph is new and nothing is deleted, one transactional ``extend`` does the same, faster
        (pyoxigraph counts the default graph as always there, so replacing it always takes the update).
        """
        delete, add = list(delete), list(add)
        graphs = {graph: list(quads) for graph, quads in graphs.items()}
        new_graphs = not any(self._store.contains_named_graph(graph) for graph in graphs)
        if new_graphs and not delete and all(q.graph_name == g for g, quads in graphs.items() for q in quads):
            self._extend([q for quads in graphs.values() for q in quads] + add)
            return
        operations = []
        for graph, quads in graphs.items():
            operations.append(drop_graphs([graph]))
            insert = insert_data(graph, (ox.Triple(q.subject, q.predicate, q.object) for q in quads))
            if insert:
                operations.append(insert)
        for keyword, quads in (("DELETE", delete), ("INSERT", add)):
            blocks = graph_blocks(quads)
            if blocks:
                operations.append(f"{keyword} DATA {{\n{blocks}}}")
        if operations:
            self.update(" ;\n".join(operations))

    def _extend(self, quads: list[ox.Quad]) -> None:
        if not quads:
            return
        if self.read_only:
            raise StoreError("the store is open read-only")
        try:
            self._store.extend(quads)
        except OSError as exc:
            raise StoreError(f"write failed: {exc}") from exc
        self._committed()

    def contains(self, quad: ox.Quad) -> bool:
        """Whether the store holds ``quad``."""
        return quad in self._store

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        """pyoxigraph's bulk loader: about 4x faster than a transaction on disk, but a crash can leave part of it."""
        try:
            self._store.bulk_extend(quads)
        except OSError as exc:
            raise StoreError(f"write failed: {exc}") from exc
        self._committed()

    def bulk_load_bytes(self, data: bytes) -> None:
        """pyoxigraph's bulk loader parsing N-Quads in Rust (not transactional, like :meth:`bulk_extend`).

        ``lenient`` skips IRI validation: for N-Quads this project serialized itself.
        """
        try:
            self._store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"bulk load failed: {exc}") from exc
        self._committed()

    def remove_graphs(self, graphs: Iterable[ox.NamedNode]) -> None:
        """Drop the graphs in one transaction."""
        update = drop_graphs(graphs)
        if update:
            self.update(update)

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """The names of the graphs in the store."""
        for graph in self._store.named_graphs():
            if isinstance(graph, ox.NamedNode):
                yield graph

    def quads_matching(self, subject: ox.NamedNode | ox.BlankNode | None, predicate: ox.NamedNode | None,
                       obj: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Iterator[ox.Quad]:  # fmt: skip
        """The quads of every graph that match a triple pattern (None matches anything)."""
        return iter(self._store.quads_for_pattern(subject, predicate, obj, None))

    def quads(self, graph: ox.NamedNode | ox.DefaultGraph | None = None) -> Iterator[ox.Quad]:
        """Every quad, or those of one graph (a named graph, or the store's own default graph)."""
        return iter(self._store.quads_for_pattern(None, None, None, graph))

    def dump(
        self,
        output: IO[bytes],
        fmt: ox.RdfFormat,
        *,
        graph: ox.NamedNode | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> None:
        """Let pyoxigraph serialize straight into ``output``."""
        self._store.dump(output, fmt, from_graph=graph, prefixes=dict(prefixes or {}))

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        """Flush writes to disk and release the store (and its lock); it cannot be used after."""
        store = self.__dict__.pop("_store", None)
        if store is not None and self.path is not None and not self.read_only:
            with contextlib.suppress(OSError):
                store.flush()
        if self._keep is not None:
            self._keep.close()
            self._keep = None


def generation_file(path: Path) -> Path:
    """The file beside an on-disk store that writers touch after each commit."""
    return path.with_name(path.name + ".generation")


def read_generation(path: Path) -> str:
    """The generation token of the on-disk store at ``path`` ("" before its first commit).

    The file's modification time in nanoseconds: a stat, cheap enough to check on every request.
    """
    try:
        return str(os.stat(generation_file(path)).st_mtime_ns)
    except FileNotFoundError:
        return ""
