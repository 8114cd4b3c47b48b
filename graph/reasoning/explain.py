"""Why does a triple hold? A proof derived when asked for, down to the asserted triples and their graphs.

No proof is stored: :class:`Explainer` matches the triple against the
conclusions of the rules the default engine implements (the OWL 2 RL rules of
:mod:`missilekg.graph.reasoning.native`, written here as patterns, and the domain
rules of :mod:`missilekg.graph.reasoning.rules`), looks the premises up in the
store with SPARQL, and proves derived premises the same way, down to triples
asserted in named graphs (an article, the ontology, the vocabulary).

When a triple has several derivations, the one shown is a *shallowest* proof:
the fewest rule steps from the asserted triples to the triple, ties broken by
the order of :data:`OWL_PATTERNS` (then the domain rules) and then by the
premises' text. A shallowest proof is well founded: no premise depends on the
triple it proves. The materialised provenance graph (``infer --provenance``)
records instead the engine's first derivation; :func:`explain_materialised`
reads that one back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from missilekg.graph.reasoning.graphs import DERIVED_GRAPHS, INFERRED_GRAPH, PROVENANCE_GRAPH
from missilekg.graph.reasoning.provenance import OWL_RULES, triple_iri
from missilekg.graph.reasoning.rules import RULE_NAMESPACE, domain_rules
from missilekg.graph.store.base import Store, select
from missilekg.ontology.errors import MissilekgError
from missilekg.ontology.namespaces import MKG, OWL, PREFIXES, RDF, RDFS, prefixed


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

    @property
    def depth(self) -> int:
        """Rule steps from the asserted triples: 0 for an asserted triple."""
        return 0 if self.asserted else 1 + max((p.depth for p in self.premises), default=0)


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


# -- the rules, as patterns ---------------------------------------------------------------------------------

Slot = ox.NamedNode | ox.Literal | ox.Variable
Pattern = tuple[Slot, Slot, Slot]


@dataclass(frozen=True)
class RulePattern:
    """A rule as the explainer matches it: its conclusion, the premises it records, and side conditions.

    ``conditions`` must hold too but are not premises (the RDF list of a property chain); ``distinct`` pairs
    must differ.
    """

    name: str
    head: tuple[Pattern, ...]
    premises: tuple[Pattern, ...]
    conditions: tuple[Pattern, ...] = ()
    distinct: tuple[tuple[Slot, Slot], ...] = ()


def _v(name: str) -> ox.Variable:
    return ox.Variable(name)


S, W, X, Y, Z, C, D, P, Q, L, M = (_v(n) for n in ("s", "w", "x", "y", "z", "c", "d", "p", "q", "l", "m"))
TYPE, SCO, SPO = ox.NamedNode(f"{RDF}type"), ox.NamedNode(f"{RDFS}subClassOf"), ox.NamedNode(f"{RDFS}subPropertyOf")
EQC, EQP = ox.NamedNode(f"{OWL}equivalentClass"), ox.NamedNode(f"{OWL}equivalentProperty")
DOM, RNG, INV = ox.NamedNode(f"{RDFS}domain"), ox.NamedNode(f"{RDFS}range"), ox.NamedNode(f"{OWL}inverseOf")
SAME, CHAIN = ox.NamedNode(f"{OWL}sameAs"), ox.NamedNode(f"{OWL}propertyChainAxiom")
FIRST, REST, NIL = ox.NamedNode(f"{RDF}first"), ox.NamedNode(f"{RDF}rest"), ox.NamedNode(f"{RDF}nil")
KIND = {name: ox.NamedNode(f"{OWL}{name}Property")
        for name in ("Transitive", "Symmetric", "Functional", "InverseFunctional")}  # fmt: skip

#: The OWL 2 RL rules of the default engine (``native.py``), each with the premises the engine records, in the
#: order a shallowest proof prefers them.
# fmt: off
OWL_PATTERNS: tuple[RulePattern, ...] = (
    RulePattern("cax-sco", ((X, TYPE, D),), ((X, TYPE, C), (C, SCO, D)), distinct=((C, D),)),
    RulePattern("prp-dom", ((X, TYPE, C),), ((X, P, Y), (P, DOM, C))),
    RulePattern("prp-rng", ((Y, TYPE, C),), ((X, P, Y), (P, RNG, C))),
    RulePattern("prp-spo1", ((X, Q, Y),), ((X, P, Y), (P, SPO, Q)), distinct=((P, Q),)),
    RulePattern("prp-inv", ((Y, Q, X),), ((X, P, Y), (P, INV, Q))),
    RulePattern("prp-inv", ((Y, Q, X),), ((X, P, Y), (Q, INV, P))),
    RulePattern("prp-symp", ((Y, P, X),), ((X, P, Y), (P, TYPE, KIND["Symmetric"]))),
    RulePattern("prp-trp", ((X, P, Z),), ((X, P, Y), (Y, P, Z), (P, TYPE, KIND["Transitive"]))),
    RulePattern("prp-spo2", ((X, Q, Z),), ((X, P, Y), (Y, M, Z), (Q, CHAIN, L)),
                conditions=((L, FIRST, P), (L, REST, D), (D, FIRST, M), (D, REST, NIL))),
    RulePattern("prp-fp", ((Y, SAME, Z),), ((X, P, Y), (X, P, Z), (P, TYPE, KIND["Functional"])),
                distinct=((Y, Z),)),
    RulePattern("prp-ifp", ((X, SAME, Z),), ((X, P, Y), (Z, P, Y), (P, TYPE, KIND["InverseFunctional"])),
                distinct=((X, Z),)),
    RulePattern("eq-sym", ((W, SAME, S),), ((S, SAME, W),), distinct=((S, W),)),
    RulePattern("eq-trans", ((S, SAME, Z),), ((S, SAME, W), (W, SAME, Z)), distinct=((S, W), (W, Z))),
    RulePattern("eq-rep-s", ((W, P, Y),), ((S, SAME, W), (S, P, Y)), distinct=((S, W),)),
    RulePattern("eq-rep-p", ((X, W, Y),), ((S, SAME, W), (X, S, Y)), distinct=((S, W),)),
    RulePattern("eq-rep-o", ((X, P, W),), ((S, SAME, W), (X, P, S)), distinct=((S, W),)),
    RulePattern("scm-eqc1", ((C, SCO, D),), ((C, EQC, D),)),
    RulePattern("scm-eqc1", ((D, SCO, C),), ((C, EQC, D),)),
    RulePattern("scm-sco", ((C, SCO, D),), ((C, SCO, X), (X, SCO, D))),
    RulePattern("scm-eqc2", ((C, EQC, D),), ((C, SCO, D), (D, SCO, C))),
    RulePattern("scm-eqp1", ((P, SPO, Q),), ((P, EQP, Q),)),
    RulePattern("scm-eqp1", ((Q, SPO, P),), ((P, EQP, Q),)),
    RulePattern("scm-spo", ((P, SPO, Q),), ((P, SPO, X), (X, SPO, Q))),
    RulePattern("scm-eqp2", ((P, EQP, Q),), ((P, SPO, Q), (Q, SPO, P))),
    RulePattern("scm-dom1", ((P, DOM, D),), ((P, DOM, C), (C, SCO, D))),
    RulePattern("scm-dom2", ((P, DOM, C),), ((Q, DOM, C), (P, SPO, Q))),
    RulePattern("scm-rng1", ((P, RNG, D),), ((P, RNG, C), (C, SCO, D))),
    RulePattern("scm-rng2", ((P, RNG, C),), ((Q, RNG, C), (P, SPO, Q))),
)
# fmt: on


def rule_patterns() -> tuple[RulePattern, ...]:
    """Every rule a proof may use: the OWL 2 RL rules of the default engine, then the domain rules."""
    domain = tuple(
        RulePattern(rule.name, tuple((a.subject, a.predicate, a.object) for a in rule.head),
                    tuple((a.subject, a.predicate, a.object) for a in rule.body), distinct=rule.distinct)
        for rule in domain_rules()
    )  # fmt: skip
    return OWL_PATTERNS + domain


# -- proving -----------------------------------------------------------------------------------------------

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Binding = dict[str, Term]


def _unify(pattern: Pattern, triple: ox.Triple, binding: Binding) -> Binding | None:
    result = dict(binding)
    for slot, value in zip(pattern, (triple.subject, triple.predicate, triple.object), strict=True):
        if isinstance(slot, ox.Variable):
            known = result.setdefault(slot.value, value)
            if known != value:
                return None
        elif slot != value:
            return None
    return result


def _ground(pattern: Pattern, binding: Binding) -> ox.Triple | None:
    terms = [binding[s.value] if isinstance(s, ox.Variable) else s for s in pattern]
    subject, predicate = terms[0], terms[1]
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        return None  # no RDF triple has a literal subject or a predicate that is not an IRI
    return ox.Triple(subject, predicate, terms[2])


#: The longest proof looked for; the seeds' deepest is well under it.
MAX_DEPTH = 64


class Explainer:
    """Proves triples against one store, remembering what it proved (use one per request or per batch).

    A triple is *asserted* when a graph other than the derived ones holds it, *derived* when only the inference
    graph does. Proofs use the triples the store holds (so they reflect the stored inference graph).
    """

    def __init__(self, store: Store, *, max_depth: int = MAX_DEPTH) -> None:
        self.store, self.max_depth = store, max_depth
        self.rules = rule_patterns()
        self._graphs: dict[ox.Triple, list[str]] = {}
        self._candidates: dict[ox.Triple, list[tuple[str, list[ox.Triple]]]] = {}
        self._proved: dict[ox.Triple, tuple[int, Explanation]] = {}  # with its depth
        self._failed: dict[ox.Triple, int] = {}  # the largest depth at which a triple had no proof

    def explain(self, triple: ox.Triple) -> Explanation | None:
        """A shallowest proof of ``triple``, or None when the store neither states nor derives it.

        Raises :class:`ExplainError` when the inference graph holds the triple but no rule derives it from
        what the store holds now (inference out of date) or the proof is deeper than ``max_depth``.
        """
        graphs = self.asserted_in(triple)
        if graphs:
            return Explanation(triple, graphs=graphs)
        if not self._derived(triple):
            return None
        proof = self._prove(triple, self.max_depth)
        if proof is None:
            raise ExplainError(f"{triple} is in the inference graph, but no rule derives it from the triples the "
                               f"store holds now (within {self.max_depth} steps): run `missilekg infer`")  # fmt: skip
        return proof

    def asserted_in(self, triple: ox.Triple) -> list[str]:
        """The graphs, other than the derived ones, that hold ``triple`` (sorted)."""
        found = self._graphs.get(triple)
        if found is None:
            query = "SELECT DISTINCT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
            rows = self._select(query, {"s": triple.subject, "p": triple.predicate, "o": triple.object})
            found = self._graphs[triple] = sorted(r["g"].value for r in rows if r["g"] not in DERIVED_GRAPHS)
        return found

    def _derived(self, triple: ox.Triple) -> bool:
        return self.store.contains(ox.Quad(triple.subject, triple.predicate, triple.object, INFERRED_GRAPH))

    def _select(self, query: str, bound: Binding) -> ox.QuerySolutions:
        # Blank nodes cannot be written into a query's text, so bound terms go in as substitutions (which
        # pyoxigraph accepts only for projected variables).
        return select(self.store, query, substitutions=bound)

    def _prove(self, triple: ox.Triple, budget: int) -> Explanation | None:
        """A proof of at most ``budget`` steps, and the shallowest one: budgets are tried from the smallest up."""
        graphs = self.asserted_in(triple)
        if graphs:
            return Explanation(triple, graphs=graphs)
        known = self._proved.get(triple)
        if known is not None:
            return known[1] if known[0] <= budget else None
        for depth in range(self._failed.get(triple, 0) + 1, budget + 1):
            proof = self._prove_within(triple, depth)
            if proof is not None:
                self._proved[triple] = (depth, proof)
                return proof
            self._failed[triple] = depth
        return None

    def _prove_within(self, triple: ox.Triple, depth: int) -> Explanation | None:
        for rule, premises in self.candidates(triple):
            children = []
            for premise in premises:
                child = self._prove(premise, depth - 1)
                if child is None:
                    break
                children.append(child)
            else:
                return Explanation(triple, rule=rule, premises=sorted(children, key=lambda c: str(c.triple)))
        return None

    def candidates(self, triple: ox.Triple) -> list[tuple[str, list[ox.Triple]]]:
        """Every (rule, premises) whose conclusion is ``triple`` and whose premises the store holds, in the
        order a proof prefers them; a premise equal to ``triple`` itself is left out (it proves nothing)."""
        found = self._candidates.get(triple)
        if found is not None:
            return found
        found = []
        for rule in self.rules:
            for head in rule.head:
                binding = _unify(head, triple, {})
                if binding is None:
                    continue
                matches = sorted(self._match(rule, binding), key=lambda premises: [str(p) for p in premises])
                for premises in matches:
                    if triple not in premises and (rule.name, premises) not in found:
                        found.append((rule.name, premises))
        self._candidates[triple] = found
        return found

    def _match(self, rule: RulePattern, binding: Binding) -> Iterator[list[ox.Triple]]:
        patterns = (*rule.premises, *rule.conditions)
        used = {s.value for p in patterns for s in p if isinstance(s, ox.Variable)}
        free = sorted(used - set(binding))
        bound = {name: value for name, value in binding.items() if name in used}
        blocks = [f"GRAPH ?g{i} {{ {' '.join(_sparql(s) for s in p)} }}" for i, p in enumerate(patterns)]
        graphs = " && ".join(f"?g{i} != {PROVENANCE_GRAPH}" for i in range(len(patterns)))
        distinct = "".join(f" && {_sparql(a)} != {_sparql(b)}" for a, b in rule.distinct)
        projection = " ".join(f"?{name}" for name in [*free, *sorted(bound)])
        query = f"SELECT DISTINCT {projection} WHERE {{ {' '.join(blocks)} FILTER ({graphs}{distinct}) }}"
        for row in self._select(query, bound):
            full = {**binding, **{name: row[name] for name in free}}
            premises = [_ground(p, full) for p in rule.premises]
            if all(p is not None for p in premises):
                yield [p for p in premises if p is not None]


def _sparql(slot: Slot) -> str:
    return f"?{slot.value}" if isinstance(slot, ox.Variable) else str(slot)


def explain(store: Store, triple: ox.Triple, *, depth: int = MAX_DEPTH) -> Explanation | None:
    """A shallowest proof of ``triple`` derived now from the store, or None when the store neither states nor
    derives it (see :class:`Explainer`)."""
    return Explainer(store, max_depth=depth).explain(triple)


# -- the materialised provenance graph ----------------------------------------------------------------------


def _materialised_derivation(store: Store, triple: ox.Triple) -> tuple[str | None, list[ox.Triple]]:
    node = triple_iri(triple)
    query = f"""
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?rule ?s ?p ?o WHERE {{ GRAPH <{PROVENANCE_GRAPH.value}> {{
          {node} <{MKG}derivedBy> ?rule .
          OPTIONAL {{ {node} <{MKG}premise> ?premise .
                     ?premise rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }}
        }} }}"""
    rule, premises = None, []
    for solution in select(store, query):
        rule = solution["rule"].value.removeprefix(RULE_NAMESPACE)
        if solution["s"] is not None:
            premises.append(ox.Triple(solution["s"], solution["p"], solution["o"]))
    return rule, sorted(premises, key=str)


def explain_materialised(store: Store, triple: ox.Triple, *, depth: int = 12) -> Explanation | None:
    """The derivation the provenance graph records (a store inferred with ``--provenance``), or None when it
    records none and no graph asserts the triple."""
    rule, premises = _materialised_derivation(store, triple)
    if rule is None:
        query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {triple.subject} {triple.predicate} {triple.object} }} }}"
        graphs = sorted(s["g"].value for s in select(store, query) if s["g"] not in DERIVED_GRAPHS)
        return Explanation(triple, graphs=graphs) if graphs else None
    node = Explanation(triple, rule=rule)
    if depth > 0:
        for premise in premises:
            child = explain_materialised(store, premise, depth=depth - 1)
            node.premises.append(child if child is not None else Explanation(premise, graphs=["(axiomatic)"]))
    return node


# -- rendering -----------------------------------------------------------------------------------------------


def short(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """A term as the explanation prints it: prefixed when a known prefix fits, else in N-Triples form."""
    if isinstance(term, ox.NamedNode):
        prefixed_name = prefixed(term.value)
        if prefixed_name != term.value:
            return prefixed_name
    return str(term)


def rule_meaning(name: str) -> str:
    """What a rule says, in a line: the OWL 2 RL rule's gloss or the domain rule's title."""
    return OWL_RULES.get(name) or next((r.title for r in domain_rules() if r.name == name), "")


def render(explanation: Explanation, indent: str = "") -> str:
    """The tree as indented text: each derived triple with its rule, each asserted one with its graphs."""
    t = explanation.triple
    text = f"{indent}{short(t.subject)} {short(t.predicate)} {short(t.object)}"
    if explanation.asserted:
        lines = [f"{text}\n{indent}    asserted in {', '.join(explanation.graphs)}"]
    else:
        name = explanation.rule or ""
        lines = [f"{text}\n{indent}    by {name}: {rule_meaning(name)}"]
        lines.extend(render(child, indent + "  ") for child in explanation.premises)
    return "\n".join(lines)
