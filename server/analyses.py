"""The analyses' results shaped for pages: disputes as claims side by side, supply-to-use chains per weapon.

Both read the catalogue's queries (Q13, Q15), so a page shows what the query
returns and nothing else; the entity pages ask :func:`disputes_about` whether
the entity they show takes part in a dispute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from missilekg.graph.io.titles import claim_start
from missilekg.graph.store.base import Store, select
from missilekg.ontology import named_query
from missilekg.ontology.namespaces import MKG


def _text(row: ox.QuerySolution, name: str) -> str | None:
    term = row[name]
    return term.value if term is not None else None


def anchor(text: str) -> str:
    """A fragment identifier for a heading: lower case words joined by hyphens.

    >>> anchor("transfer: Iran to Russia, short-range ballistic missile")
    'transfer-iran-to-russia-short-range-ballistic-missile'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class Claim:
    """One claim on a page: who, how, when, the start of what was said, and the IRIs of it and its article."""

    speaker: str
    stance: str
    date: str | None
    quote: str
    statement: str
    article: str


@dataclass
class Dispute:
    """One disputed question and its claims by position (for, open, against; or what each says)."""

    question: str
    positions: dict[str, list[Claim]] = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        """The dispute's fragment identifier on the disputes page."""
        return anchor(self.question)


def disputes(store: Store) -> list[Dispute]:
    """Q13's rows grouped by question, positions in the query's order."""
    found: dict[str, Dispute] = {}
    for row in select(store, named_query("Q13").sparql):
        question = _text(row, "dispute") or ""
        dispute = found.setdefault(question, Dispute(question))
        quote = claim_start(_text(row, "claim") or "", 220)
        claim = Claim(_text(row, "speakerName") or "", _text(row, "stance") or "", _text(row, "date"), quote,
                      row["statement"].value, row["article"].value)  # fmt: skip
        dispute.positions.setdefault(_text(row, "position") or "", []).append(claim)
    return list(found.values())


def disputes_about(store: Store, iri: str) -> list[Dispute]:
    """The disputes this entity takes part in: as a claim, as what a claim asserts, or as its weapon."""
    found = []
    for dispute in disputes(store):
        statements = [c.statement for positions in dispute.positions.values() for c in positions]
        if iri in statements:
            found.append(dispute)
            continue
        values = " ".join(f"<{s}>" for s in statements)
        ask = f"""ASK {{ VALUES ?s {{ {values} }}
            {{ ?s <{MKG}asserts> <{iri}> }} UNION {{ ?s <{MKG}aboutWeapon> <{iri}> }}
            UNION {{ ?s <{MKG}asserts>/<{MKG}item> <{iri}> }} }}"""
        if bool(store.query(ask)):
            found.append(dispute)
    return found


@dataclass
class Link:
    """One link of a chain: a transfer or strike, its date, and the claims behind it."""

    step: str
    event: str
    date: str | None
    iri: str
    claims: list[Claim] = field(default_factory=list)


@dataclass
class Chain:
    """A weapon system from its claimed supply to its claimed use."""

    weapon: str
    iri: str
    supplied: list[Link] = field(default_factory=list)
    used: list[Link] = field(default_factory=list)


def supply_chains(store: Store) -> list[Chain]:
    """Q15's rows as one chain per weapon: the transfers that supplied it, then the strikes that used it."""
    chains: dict[str, Chain] = {}
    links: dict[tuple[str, str], Link] = {}
    for row in select(store, named_query("Q15").sparql):
        weapon = row["weapon"].value
        chain = chains.setdefault(weapon, Chain(_text(row, "weaponName") or weapon, weapon))
        key = (weapon, row["link"].value)
        if key not in links:
            step = _text(row, "step") or ""
            links[key] = Link(step, _text(row, "event") or "", _text(row, "eventDate"), row["link"].value)
            (chain.supplied if step.endswith("supplied") else chain.used).append(links[key])
        links[key].claims.append(Claim(_text(row, "speakerName") or "", "", _text(row, "date"), "",
                                       row["statement"].value, row["article"].value))  # fmt: skip
    return list(chains.values())
