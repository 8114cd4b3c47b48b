"""Why does a triple hold? Read back from the provenance graph, down to the asserted triples.

The inference pass reifies each derived triple in the provenance graph with
the rule that derived it and its premises (see :mod:`missilekg.graph.reasoning.passes`); each
premise is either derived (and explained in turn) or asserted in named
graphs (an article, the ontology, the vocabulary). The tree is read with
SPARQL, so what ``missilekg explain`` prints is exactly what a SPARQL client
of the provenance graph would see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from missilekg.graph.reasoning.graphs import DERIVED_GRAPHS, PROVENANCE_GRAPH
from missilekg.graph.reasoning.provenance import OWL_RULES, triple_iri
from missilekg.graph.reasoning.rules import RULE_NAMESPACE, domain_rules
from missilekg.graph.store.base import Store, select
from missilekg.ontology.errors import MissilekgError
from missilekg.ontology.namespaces import MKG, PREFIXES, prefixed


class ExplainError(MissilekgError, ValueError):
    """The triple to explain could not be read."""


@dataclass
class Explanation:
    """A triple and why it holds: asserted in ``graphs``, or derived by ``rule`` from ``premises``."""

    triple: ox.Triple
    rule: str | None = None
    graphs: list[str] = field(default_factory=list)
    premises: list[Explanation] = field(default_factory=list)

    @property
    def asserted(self) -> bool:
        """True when the triple was stated rather than derived."""
        return self.rule is None


def parse_triple(subject: str, predicate: str, obj: str) -> ox.Triple:
    """Read three terms written as in Turtle: ``strike:x``, ``<https://…>``, ``a``, ``"text"@en``, ``12``."""
    header = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items())

    def iri_or_term(text: str) -> str:
        return f"<{text}>" if text.startswith(("http://", "https://")) else text

    document = f"{header}{iri_or_term(subject)} {iri_or_term(predicate)} {iri_or_term(obj)} ."
    try:
        triples = list(ox.parse(document, format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise ExplainError(f"cannot read the triple {subject} {predicate} {obj}: {exc}") from exc
    if len(triples) != 1:
        raise ExplainError(f"expected one triple, read {len(triples)}")
    return triples[0]


def _graphs_holding(store: Store, triple: ox.Triple) -> list[str]:
    query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {triple.subject} {triple.predicate} {triple.object} }} }}"
    solutions = select(store, query)
    return sorted(s["g"].value for s in solutions if s["g"] not in DERIVED_GRAPHS)


def _derivation(store: Store, triple: ox.Triple) -> tuple[str | None, list[ox.Triple]]:
    node = triple_iri(triple)
    query = f"""
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?rule ?s ?p ?o WHERE {{ GRAPH <{PROVENANCE_GRAPH.value}> {{
          {node} <{MKG}derivedBy> ?rule .
          OPTIONAL {{ {node} <{MKG}premise> ?premise .
                     ?premise rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }}
        }} }}"""
    rule, premises = None, []
    solutions = select(store, query)
    for solution in solutions:
        rule = solution["rule"].value.removeprefix(RULE_NAMESPACE)
        if solution["s"] is not None:
            premises.append(ox.Triple(solution["s"], solution["p"], solution["o"]))
    return rule, sorted(premises, key=str)


def explain(store: Store, triple: ox.Triple, *, depth: int = 12) -> Explanation | None:
    """The derivation tree of ``triple``, or None when the store neither states nor derives it."""
    rule, premises = _derivation(store, triple)
    if rule is None:
        graphs = _graphs_holding(store, triple)
        return Explanation(triple, graphs=graphs) if graphs else None
    node = Explanation(triple, rule=rule)
    if depth > 0:
        for premise in premises:
            child = explain(store, premise, depth=depth - 1)
            node.premises.append(child if child is not None else Explanation(premise, graphs=["(axiomatic)"]))
    return node


def _short(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        short = prefixed(term.value)
        if short != term.value:
            return short
    return str(term)


def render(explanation: Explanation, indent: str = "") -> str:
    """The tree as indented text: each derived triple with its rule, each asserted one with its graphs."""
    t = explanation.triple
    text = f"{indent}{_short(t.subject)} {_short(t.predicate)} {_short(t.object)}"
    if explanation.asserted:
        lines = [f"{text}\n{indent}    asserted in {', '.join(explanation.graphs)}"]
    else:
        name = explanation.rule or ""
        meaning = OWL_RULES.get(name) or next((r.title for r in domain_rules() if r.name == name), "")
        lines = [f"{text}\n{indent}    by {name}: {meaning}"]
        lines.extend(render(child, indent + "  ") for child in explanation.premises)
    return "\n".join(lines)
