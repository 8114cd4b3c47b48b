"""Synthetic graphs in the ontology's shape, for inference tests and benchmarks.

The real ontology and vocabulary come first; then generated articles, each in
its own named graph, with what the seed articles hold: people affiliated with
organisations that are part of larger ones and belong to states, statements
with speakers, stances, dates and hedged quantities, strikes at places nested
in regions and states with weapon systems of some origin, and transfers. The
structure that makes inference work (affiliation chains, place hierarchies,
chains, inverses, corroboration across states) is there at every size, so
the derived share stays about the same as the graph grows. The same size and
seed always give the same quads.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pyoxigraph as ox

from missilekg.graph.loading.build import ontology_quads
from missilekg.ontology.namespaces import GRAPH, ID, MKG

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
XSD = "http://www.w3.org/2001/XMLSchema#"

STATES = ["russia", "ukraine", "north-korea", "united-states", "south-korea", "iran", "china", "germany"]
WEAPON_CLASSES = ["ShortRangeBallisticMissile", "BallisticMissile", "SurfaceToAirMissile", "Drone",
                  "ArtilleryGun", "RocketLauncher", "Ammunition", "HypersonicMissile"]  # fmt: skip
STANCES = ["Asserts", "Confirms", "Accuses", "Reports", "Denies", "CouldNotVerify"]
HEDGES = ["Exactly", "AtLeast", "Over", "About", "SeveralDozen", "Dozens"]
STATUSES = ["Delivered", "Pledged", "Agreed"]


def _n(kind: str, key: int | str) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}synthetic/{kind}/{key}")


def _p(name: str) -> ox.NamedNode:
    return ox.NamedNode(MKG + name)


def _lit(value: object, datatype: str | None = None) -> ox.Literal:
    if datatype is None:
        return ox.Literal(str(value))
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))


def synthetic_quads(triples: int, *, seed: int = 0) -> Iterator[ox.Quad]:
    """About ``triples`` quads: the ontology graphs, then generated articles until the target is reached."""
    emitted = 0
    for quads in ontology_quads().values():
        yield from quads
        emitted += len(quads)
    rng = random.Random(seed)
    # Pools scale with the target so that joins stay as selective as in real data.
    scale = max(1, triples // 1000)
    n_people, n_orgs, n_places, n_weapons, n_events = 8 * scale, 2 * scale, 3 * scale, scale, 4 * scale
    state = [ox.NamedNode(f"{ID}state/{s}") for s in STATES]
    article = 0
    made: set[str] = set()

    def entity(kind: str, key: int) -> Iterator[tuple]:
        """The first mention of a pooled entity in an article also describes it, as the loader does."""
        node = _n(kind, key)
        if f"{kind}/{key}" in made:
            return
        made.add(f"{kind}/{key}")
        yield node, PREF_LABEL, ox.Literal(f"{kind} {key}", language="en")
        if kind == "person":
            yield node, RDF_TYPE, _p("Person")
            yield node, _p("affiliation"), _n("org", key % n_orgs)
            yield from entity("org", key % n_orgs)
        elif kind == "org":
            yield node, RDF_TYPE, _p("Organization")
            if key % 4:  # three in four organisations are units of a parent, which belongs to a state
                parent = key - key % 4
                yield node, _p("partOfOrganization"), _n("org", parent)
                yield from entity("org", parent)
            else:
                yield node, _p("actorState"), state[key // 4 % len(state)]
        elif kind == "place":
            yield node, RDF_TYPE, _p("Place")
            # In blocks of ten: a region in a state, four districts in the region, a town in each district.
            position = key % 10
            if position == 0:
                yield node, _p("locatedIn"), state[1 if key % 20 else 0]
            else:
                parent = key - position if position < 5 else key - 4
                yield node, _p("locatedIn"), _n("place", parent)
                yield from entity("place", parent)
        elif kind == "weapon":
            yield node, RDF_TYPE, _p(WEAPON_CLASSES[key % len(WEAPON_CLASSES)])
            yield node, _p("originState"), state[[0, 2, 5][key % 3]]
            if key % 5 == 1:
                yield node, _p("comparableTo"), _n("weapon", key - 1)

    while emitted < triples:
        graph = ox.NamedNode(f"{GRAPH}article/synthetic-{article:07d}")
        doc = _n("article", article)
        out: list[tuple] = [
            (doc, RDF_TYPE, _p("Article")),
            (doc, _p("datePublished"), _lit(f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "date")),
            (doc, PREF_LABEL, ox.Literal(f"Synthetic article {article}", language="en")),
        ]
        for index in range(rng.randint(2, 5)):
            statement = _n("statement", f"{article}-{index}")
            speaker = rng.randrange(n_people)
            event = rng.randrange(n_events)
            out.extend(entity("person", speaker))
            out += [
                (statement, RDF_TYPE, _p("Statement")),
                (statement, _p("speaker"), _n("person", speaker)),
                (statement, _p("stance"), _p(rng.choice(STANCES))),
                (statement, _p("reportedIn"), doc),
                (statement, _p("dateStated"), _lit(f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "date")),
            ]
            quantity = _n("quantity", f"{article}-{index}")
            out += [
                (statement, _p("quantity"), quantity),
                (quantity, RDF_TYPE, _p("Quantity")),
                (quantity, _p("value"), _lit(rng.randint(1, 200), "decimal")),
                (quantity, _p("unit"), _lit("missiles")),
                (quantity, _p("hedge"), _p(rng.choice(HEDGES))),
            ]
            if event % 2:
                strike = _n("strike", event)
                place, weapon = rng.randrange(n_places), rng.randrange(n_weapons)
                out.append((statement, _p("asserts"), strike))
                if f"strike/{event}" not in made:
                    made.add(f"strike/{event}")
                    out += [(strike, RDF_TYPE, _p("Strike")), (strike, _p("strikeLocation"), _n("place", place)),
                            (strike, _p("weaponUsed"), _n("weapon", weapon))]  # fmt: skip
                    out.extend(entity("place", place))
                    out.extend(entity("weapon", weapon))
            else:
                transfer = _n("transfer", event)
                out.append((statement, _p("asserts"), transfer))
                if f"transfer/{event}" not in made:
                    made.add(f"transfer/{event}")
                    weapon = rng.randrange(n_weapons)
                    out += [(transfer, RDF_TYPE, _p("Transfer")), (transfer, _p("supplier"), state[[2, 5][event % 2]]),
                            (transfer, _p("recipient"), state[0]), (transfer, _p("item"), _n("weapon", weapon)),
                            (transfer, _p("transferStatus"), _p(rng.choice(STATUSES)))]  # fmt: skip
                    out.extend(entity("weapon", weapon))
        for s, p, o in out:
            yield ox.Quad(s, p, o, graph)
        emitted += len(out)
        article += 1
