"""Inference engines: one interface, three implementations chosen by name.

``default`` is this project's forward chainer (:mod:`missilekg.graph.reasoning.native`),
``owlrl`` the reference, ``reasonable`` a Rust OWL 2 RL reasoner. The last two know
nothing of the domain rules, so those run after them as SPARQL CONSTRUCT queries on
pyoxigraph, alternating until nothing new appears.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, cast

import pyoxigraph as ox

from missilekg.graph.io.terms import Term, from_rdflib, to_rdflib
from missilekg.graph.reasoning.native import Derivation, Inference, Reasoner, is_trivial
from missilekg.graph.reasoning.rules import Rule, domain_rules
from missilekg.ontology.errors import MissilekgError

if TYPE_CHECKING:
    import rdflib

Statements = Iterable[ox.Triple] | Iterable[ox.Quad]


Engine = Callable[[Statements, tuple[Rule, ...], Callable[[int], None] | None], Inference]


class InferenceError(MissilekgError):
    """The inference pass could not run (an unsupported axiom, an unknown engine)."""


def run_default(
    statements: Statements, rules: tuple[Rule, ...], progress: Callable[..., None] | None = None
) -> Inference:
    """This project's forward chainer: OWL 2 RL and the domain rules in one fixpoint (streams its input)."""
    return Reasoner(rules).run(statements, progress)


def _apply_rules_with_sparql(store: ox.Store, rules: tuple[Rule, ...]) -> list[ox.Triple]:
    """Run each domain rule's CONSTRUCT once; return the triples that were not yet there."""
    new: list[ox.Triple] = []
    for rule in rules:
        constructed = store.query(rule.sparql)
        assert isinstance(constructed, ox.QueryTriples)  # a rule is a CONSTRUCT
        for triple in constructed:
            if ox.Quad(triple.subject, triple.predicate, triple.object) not in store:
                new.append(triple)
    return new


def _external(closure: Callable[[list[ox.Triple]], Iterable[ox.Triple]]) -> Engine:
    """Wrap an OWL-only engine: alternate it with the domain rules (as SPARQL) to a fixpoint."""

    def run(statements: Statements, rules: tuple[Rule, ...], progress: Callable[..., None] | None = None) -> Inference:
        asserted = {ox.Triple(q.subject, q.predicate, q.object) for q in statements}
        current = list(asserted)
        rounds = 0
        while True:
            rounds += 1
            known = set(current)
            known.update(t for t in closure(current) if not isinstance(t.subject, ox.Literal))
            scratch = ox.Store()
            scratch.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in known)
            added = _apply_rules_with_sparql(scratch, rules)
            current = list(known)
            if not added:
                break
            current.extend(added)
        if progress is not None:
            progress(len(current))
        derived = {t: Derivation("owl2rl", ()) for t in current if t not in asserted and not is_trivial(t)}
        return Inference(derived=derived, rounds=rounds)

    return run


def _to_rdflib_triple(t: ox.Triple) -> tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]:
    # Casts, not checks: the data has no quoted (RDF-star) triples, which to_rdflib would refuse anyway.
    return to_rdflib(cast(Term, t.subject)), to_rdflib(t.predicate), to_rdflib(cast(Term, t.object))


def _from_rdflib_triple(s: rdflib.term.Node, p: rdflib.term.Node, o: rdflib.term.Node) -> ox.Triple:
    # Casts, not checks: pyoxigraph itself refuses a literal subject or a predicate that is not an IRI.
    subject = cast(ox.NamedNode | ox.BlankNode, from_rdflib(s))
    return ox.Triple(subject, cast(ox.NamedNode, from_rdflib(p)), from_rdflib(o))


def owlrl_closure(triples: list[ox.Triple]) -> Iterator[ox.Triple]:
    """owlrl's OWL 2 RL closure (the reference engine), as pyoxigraph triples."""
    import owlrl
    import rdflib

    graph = rdflib.Graph()
    for t in triples:
        graph.add(_to_rdflib_triple(t))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    error = rdflib.URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
    for s, p, o in graph:
        if isinstance(s, rdflib.Literal) or p == error:
            continue  # owlrl issues #50, #63: literal subjects; its error reports are not data
        yield _from_rdflib_triple(s, p, o)


def reasonable_closure(triples: list[ox.Triple]) -> Iterator[ox.Triple]:
    """The ``reasonable`` package's OWL 2 RL closure (IRIs and literals only; it skips blank nodes)."""
    import reasonable

    reasoner = reasonable.PyReasoner()
    reasoner.from_graph([_to_rdflib_triple(t) for t in triples])
    for s, p, o in reasoner.reason():
        yield _from_rdflib_triple(s, p, o)


ENGINES: dict[str, Engine] = {
    "default": run_default,
    "owlrl": _external(lambda triples: owlrl_closure(triples)),
    "reasonable": _external(lambda triples: reasonable_closure(triples)),
}


def derive(
    statements: Statements, *, engine: str = "default", progress: Callable[..., None] | None = None,
    derivations: bool = True,
) -> Inference:
    """Run an engine with the domain rules over ``statements``; raises :class:`InferenceError`.

    Without ``derivations`` the default engine keeps no per-triple rule and premises (far less memory);
    the other engines record none anyway.
    """
    if engine not in ENGINES:
        raise InferenceError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    try:
        if engine == "default" and not derivations:
            return Reasoner(domain_rules(), derivations=False).run(statements, progress)
        return ENGINES[engine](statements, domain_rules(), progress)
    except ValueError as exc:
        raise InferenceError(str(exc)) from exc
