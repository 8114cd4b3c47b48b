"""The project's domain rules: what OWL cannot say, written as SPARQL CONSTRUCT queries.

Each rule is a file in ``ontology/rules/``: a CONSTRUCT whose WHERE clause is
one basic graph pattern, optionally with ``FILTER (?a != ?b)`` conditions. The
same text runs two ways: compiled into the default engine's joins (this
module parses it with rdflib's SPARQL parser into atoms), and as a plain
SPARQL query on pyoxigraph after an owlrl run, so both engines share one
definition of each rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import cast

import pyoxigraph as ox
import rdflib
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from missilekg.graph.io.terms import from_rdflib
from missilekg.ontology import ONTOLOGY_DIR
from missilekg.ontology.errors import MissilekgError
from missilekg.ontology.namespaces import RULE

RULES_DIR = ONTOLOGY_DIR / "rules"
RULE_NAMESPACE = RULE

Term = ox.NamedNode | ox.Literal | ox.Variable


class RuleError(MissilekgError, ValueError):
    """A rule file is not a CONSTRUCT over one basic graph pattern."""


@dataclass(frozen=True)
class Atom:
    """One triple pattern of a rule; the predicate is always a constant."""

    subject: Term
    predicate: ox.NamedNode
    object: Term


@dataclass(frozen=True)
class Rule:
    """A named Horn rule: when every body atom matches (and the ``distinct`` pairs differ), add the head."""

    name: str
    title: str
    description: str
    body: tuple[Atom, ...]
    head: tuple[Atom, ...]
    distinct: tuple[tuple[Term, Term], ...]
    sparql: str

    @property
    def iri(self) -> str:
        """The rule's IRI, used in provenance."""
        return RULE_NAMESPACE + self.name


def _term(node: rdflib.term.Node, where: str) -> Term:
    if isinstance(node, rdflib.Variable):
        return ox.Variable(str(node))
    if isinstance(node, rdflib.URIRef | rdflib.Literal):
        return cast(ox.NamedNode | ox.Literal, from_rdflib(node))  # an IRI or a literal: not a blank node
    raise RuleError(f"{where}: blank nodes are not allowed in rules")


def _atom(pattern: tuple, where: str) -> Atom:
    subject, predicate, obj = (_term(node, where) for node in pattern)
    if not isinstance(predicate, ox.NamedNode):
        raise RuleError(f"{where}: a rule's predicates must be IRIs, not {predicate}")
    return Atom(subject, predicate, obj)


def _conditions(expr: CompValue, where: str) -> list[tuple[Term, Term]]:
    if expr.name == "ConditionalAndExpression":
        return [pair for part in [expr.expr, *expr.other] for pair in _conditions(part, where)]
    if expr.name == "RelationalExpression" and expr.op == "!=":
        return [(_term(expr.expr, where), _term(expr.other, where))]
    raise RuleError(f"{where}: only FILTER (?a != ?b) conditions are supported in rules")


def parse_rule(name: str, sparql: str) -> Rule:
    """Parse one rule file's text (see the module docstring for the allowed form)."""
    where = f"rule {name}"
    try:
        algebra = prepareQuery(sparql).algebra
    except Exception as exc:  # rdflib raises pyparsing's exceptions
        raise RuleError(f"{where}: {exc}") from exc
    if algebra.name != "ConstructQuery":
        raise RuleError(f"{where}: a rule must be a CONSTRUCT query")
    pattern = algebra.p.p if algebra.p.name == "Project" else algebra.p
    distinct: list[tuple[Term, Term]] = []
    if pattern.name == "Filter":
        distinct = _conditions(pattern.expr, where)
        pattern = pattern.p
    if pattern.name != "BGP":
        raise RuleError(f"{where}: the WHERE clause must be one basic graph pattern, not {pattern.name}")
    headers = dict(re.findall(r"^#\s*(title|description):\s*(.*)$", sparql, re.MULTILINE))
    return Rule(
        name=name,
        title=headers.get("title", name),
        description=headers.get("description", ""),
        body=tuple(_atom(t, where) for t in pattern.triples),
        head=tuple(_atom(t, where) for t in algebra.template),
        distinct=tuple(distinct),
        sparql=sparql,
    )


@cache
def domain_rules() -> tuple[Rule, ...]:
    """The rules in ``ontology/rules/``, in file-name order.

    >>> [rule.name for rule in domain_rules()]
    ['corroborated-by-state', 'corroborated-across-states', 'strike-country']
    """
    return tuple(
        parse_rule(re.sub(r"^\d+-", "", path.stem), path.read_text(encoding="utf-8"))
        for path in sorted(RULES_DIR.glob("*.rq"))
    )
