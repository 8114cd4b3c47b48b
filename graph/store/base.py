"""The store interface: what missilekg needs from a quad store, and the errors a store raises.

Everything above the store talks to a :class:`Store`: the CLI, the server,
inference and export, so the embedded and the remote store are interchangeable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any, Protocol, runtime_checkable

import pyoxigraph as ox

from missilekg.ontology.errors import MissilekgError

QueryResult = ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean
#: Values bound to a query's variables before it runs (the protocol's substitutions, a notebook's parameters).
Bindings = Mapping[str, ox.NamedNode | ox.Literal]
#: A list of graph names: a query's default graph or named graphs, as the protocol's dataset parameters give them.
GraphNames = list[ox.NamedNode]
#: A graph a write can replace: a named graph, or the store's own default graph (the Graph Store's ``?default``).
GraphName = ox.NamedNode | ox.DefaultGraph
#: New contents by graph name (named graphs, or DefaultGraph). The key is typed loosely on purpose: Mapping's
#: key type is invariant, so a dict keyed by named graphs alone would not fit a ``GraphName`` key.
GraphContents = Mapping[Any, Iterable[ox.Quad]]
#: The same, with the quads already in lists (they are read more than once: to write and to infer).
GraphQuads = Mapping[Any, list[ox.Quad]]


class StoreError(MissilekgError):
    """A store could not be opened or a write could not be applied."""


class QuerySyntaxError(StoreError):
    """A SPARQL query or update does not parse; the message carries the position."""


@runtime_checkable
class Store(Protocol):
    """What missilekg needs from a quad store.

    Writes that replace graphs are atomic: they all apply or none does.
    ``transactional`` tells callers whether that promise holds natively.
    """

    transactional: bool

    def query(self, sparql: str, *, union_default_graph: bool = True, substitutions: Bindings | None = None,
              default_graph: GraphNames | None = None, named_graphs: GraphNames | None = None,
              base_iri: str | None = None) -> QueryResult:  # fmt: skip
        """Run a SPARQL query; by default the default graph is the union of all graphs.

        ``default_graph`` and ``named_graphs`` set the dataset instead, as the
        protocol's ``default-graph-uri`` and ``named-graph-uri`` do. Relative
        IRIs resolve against ``base_iri`` (the endpoint's IRI, for the server)
        unless the text declares its own ``BASE``.
        """
        ...

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL update atomically; relative IRIs resolve against ``base_iri`` or the text's ``BASE``."""
        ...

    def replace_graphs(self, graphs: GraphContents, *,
                       add: Iterable[ox.Quad] = (), delete: Iterable[ox.Quad] = ()) -> None:  # fmt: skip
        """Atomically replace each graph's content (a named graph, or the default graph) with the given quads, and
        add and delete single quads."""
        ...

    def contains(self, quad: ox.Quad) -> bool:
        """Whether the store holds ``quad``."""
        ...

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add many quads by the store's fastest path, which is not transactional: for data that can be recomputed."""
        ...

    def remove_graphs(self, graphs: Iterable[ox.NamedNode]) -> None:
        """Atomically remove named graphs (missing ones are ignored)."""
        ...

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """The names of the graphs in the store."""
        ...

    def quads(self, graph: ox.NamedNode | ox.DefaultGraph | None = None) -> Iterator[ox.Quad]:
        """Every quad, or those of one graph (a named graph, or the store's own default graph)."""
        ...

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, *, graph: ox.NamedNode | None = None,
             prefixes: Mapping[str, str] | None = None) -> None:  # fmt: skip
        """Serialize the whole dataset (quad formats) or one graph (any format)."""
        ...

    def close(self) -> None:
        """Flush and release the store."""
        ...

    def generation(self) -> str:
        """A token that changes whenever a writer commits (for readers that must reopen to see writes)."""
        ...


def select(store: Store, sparql: str, **options: Any) -> ox.QuerySolutions:
    """Run a SELECT and return its solutions, typed as such (``Store.query`` answers any form)."""
    result = store.query(sparql, **options)
    if not isinstance(result, ox.QuerySolutions):
        raise QuerySyntaxError("expected a SELECT query")
    return result
