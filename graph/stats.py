"""Summary figures of a store: quads per graph and instances per main class."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox

from missilekg.graph.store.base import Store, select
from missilekg.ontology.namespaces import MKG, RDFS

MAIN_CLASSES = ("Article", "Statement", "Strike", "Transfer", "UnrealisedTransfer", "Quantity",
                "Person", "Organization", "State", "AnonymousSource", "Place", "WeaponSystem")  # fmt: skip


def stats(store: Store) -> dict[str, dict[str, int]]:
    """Quads per named graph, and asserted instances of the ontology's main classes."""
    per_graph: Counter[str] = Counter()
    for quad in store.quads():
        if isinstance(quad.graph_name, ox.NamedNode):
            per_graph[quad.graph_name.value] += 1
    instances: dict[str, int] = {}
    for name in MAIN_CLASSES:
        result = select(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a/<{RDFS}subClassOf>* <{MKG}{name}> }}")
        instances[name] = int(next(iter(result))["n"].value)
    return {
        "quads per graph": dict(sorted(per_graph.items())),
        "total": {"quads": sum(per_graph.values()), "graphs": len(per_graph)},
        "instances": instances,
    }
