"""The default inference engine: OWL 2 RL plus the project's domain rules, forward-chained.

Terms are interned to integers and every triple passes through one worklist
exactly once (semi-naive evaluation: each new triple is joined only with what
is already known, so no combination is tried twice). The schema is closed
first; data triples then fire rules compiled from it (sub-properties,
domains, ranges, inverses, characteristics, chains, sub-classes), and the
domain rules of :mod:`missilekg.graph.reasoning.rules` join through indexes kept only for the
predicates they need. Every derived triple remembers its first derivation —
the rule and the premises — which is what ``explain`` and the provenance
graph are made of.

The engine covers the OWL 2 RL rules for the axioms the ontology uses
(Tables 4-9 of the OWL 2 RL profile, less class expressions). An input with
an axiom it does not implement — a restriction, a union, a key — is refused
with :class:`UnsupportedAxiom` rather than half-reasoned; ``--engine owlrl``
handles those.

A run can also start from a graph that is already closed and lives elsewhere
(a :class:`Closure`, e.g. the on-disk store): only the new triples are
reasoned over, and their partners in joins are looked up in the closure one
pattern at a time instead of indexing it all (incremental addition). The same
lookups drive removal by delete-and-rederive (:meth:`Reasoner.overdelete`,
:meth:`Reasoner.derivable`; see :mod:`missilekg.graph.reasoning.maintenance`).
Derivations are kept only when asked for (``derivations=True``): without them a
run keeps per-rule counts and streams its derived triples out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Protocol

import pyoxigraph as ox

from missilekg.graph.reasoning.rules import Atom, Rule
from missilekg.ontology.errors import MissilekgError
from missilekg.ontology.namespaces import OWL, RDF, RDFS, XSD

#: Namespaces of the built-in vocabularies; triples about their terms are axiomatic.
BUILTIN_NAMESPACES = (RDF, RDFS, OWL, XSD)

#: An RDF term of the input (a quoted triple is an opaque term too).
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
IdTriple = tuple[int, int, int]
Progress = Callable[[int], None]
#: A position of a compiled rule atom: a term id (a constant), or a variable's name.
Slot = int | str
#: A compiled rule atom; its predicate is always a constant.
RuleAtom = tuple[Slot, int, Slot]
#: A compiled rule: its name, body, head, and the pairs of slots that must differ.
CompiledRule = tuple[str, list[RuleAtom], list[RuleAtom], list[tuple[Slot, Slot]]]

UNSUPPORTED = {
    f"{OWL}{name}"
    for name in (
        "Restriction", "intersectionOf", "unionOf", "complementOf", "oneOf", "someValuesFrom",
        "allValuesFrom", "hasValue", "hasSelf", "maxCardinality", "maxQualifiedCardinality",
        "minCardinality", "cardinality", "hasKey", "propertyDisjointWith", "AllDisjointClasses",
        "AllDisjointProperties", "AllDifferent", "differentFrom", "IrreflexiveProperty",
        "AsymmetricProperty", "NegativePropertyAssertion", "disjointUnionOf",
    )
}  # fmt: skip


class UnsupportedAxiom(MissilekgError, ValueError):
    """The input uses an OWL construct this engine does not implement."""


class NeedsFullInference(MissilekgError, ValueError):
    """An incremental run met a change that only a full run handles (new schema)."""


class Derivation:
    """Why a triple holds: the rule that fired and the triples it matched.

    Premises are kept as the engine's integer triples and turned into RDF
    only when asked for, since most runs never look at most of them.
    """

    __slots__ = ("_premises", "_reasoner", "rule")

    def __init__(self, rule: str, premises: tuple = (), reasoner: Reasoner | None = None) -> None:
        self.rule = rule
        self._premises = premises
        self._reasoner = reasoner

    @property
    def premises(self) -> tuple[ox.Triple, ...]:
        """The triples the rule matched, in the rule's order."""
        if self._reasoner is None:
            return self._premises
        return tuple(self._reasoner.triple(p) for p in self._premises)

    def __repr__(self) -> str:
        return f"Derivation({self.rule!r}, {self.premises!r})"


@dataclass
class Inference:
    """What a run derived, and any contradictions.

    With derivations kept, ``derived`` maps each new triple to its first
    derivation; without, ``derived`` stays empty and :meth:`triples` streams the
    new triples from the engine's integer tables (no dictionary of RDF triples is
    built, which at millions of triples is most of the memory).
    """

    derived: dict[ox.Triple, Derivation] = field(default_factory=dict)
    inconsistencies: list[str] = field(default_factory=list)
    rounds: int = 1
    by_rule: dict[str, int] = field(default_factory=dict)
    stream: Callable[[ox.NamedNode | None], Iterator[ox.Triple | ox.Quad]] | None = None
    count: int | None = None

    def __len__(self) -> int:
        return len(self.derived) if self.count is None else self.count

    def triples(self) -> Iterator[ox.Triple]:
        """Every derived triple, whether or not derivations were kept."""
        return iter(self.derived) if self.stream is None else self.stream(None)  # type: ignore[return-value]

    def quads(self, graph: ox.NamedNode) -> Iterator[ox.Quad]:
        """Every derived triple as a quad in ``graph`` (made straight from the engine's terms when it can)."""
        if self.stream is None:
            return (ox.Quad(t.subject, t.predicate, t.object, graph) for t in self.derived)
        return self.stream(graph)  # type: ignore[return-value]


class Closure(Protocol):
    """A graph already closed under the rules, read one triple pattern at a time (None matches anything)."""

    def match(self, subject: Term | None, predicate: ox.NamedNode | None, obj: Term | None) -> Iterable[ox.Triple]:
        """The triples that match the pattern, each once."""
        ...


def is_trivial(triple: ox.Triple) -> bool:
    """Tautologies of every OWL interpretation, and statements about the built-in vocabularies.

    ``x owl:sameAs x``, ``C rdfs:subClassOf C``, ``x rdf:type owl:Thing``,
    ``owl:Nothing rdfs:subClassOf C``, ``xsd:string rdf:type rdfs:Datatype`` and
    the like say nothing about the data; owlrl emits them by the thousand (and
    some with a literal as subject, which RDF stores cannot hold). Neither
    engine stores them, and the engine comparison ignores them.
    """
    subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
    if isinstance(subject, ox.Literal):
        return True
    if isinstance(subject, ox.NamedNode) and subject.value.startswith(BUILTIN_NAMESPACES):
        return True
    if isinstance(obj, ox.NamedNode) and obj.value in (f"{OWL}Thing", f"{RDFS}Resource"):
        return True
    reflexive = (f"{OWL}sameAs", f"{RDFS}subClassOf", f"{OWL}equivalentClass",
                 f"{RDFS}subPropertyOf", f"{OWL}equivalentProperty")  # fmt: skip
    return predicate in reflexive and subject == obj


@dataclass
class _Trivial:
    subjects: set[int]
    objects: set[int]
    reflexive: set[int]


@dataclass
class _Backward:
    sub_classes: dict[int, list[int]]
    sub_props: dict[int, list[int]]
    domain_of: dict[int, list[int]]
    range_of: dict[int, list[int]]
    chains: dict[int, list[tuple[int, int]]]


class _Index:
    """Lists of triples by (predicate, subject) and (predicate, object), for chosen predicates."""

    def __init__(self) -> None:
        self.by_ps: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.by_po: dict[tuple[int, int], list[int]] = defaultdict(list)

    def add(self, s: int, p: int, o: int) -> None:
        self.by_ps[(p, s)].append(o)
        self.by_po[(p, o)].append(s)

    def objects(self, p: int, s: int) -> list[int]:
        return self.by_ps.get((p, s), [])

    def subjects(self, p: int, o: int) -> list[int]:
        return self.by_po.get((p, o), [])


class Reasoner:
    """One inference run over a set of triples (see the module docstring).

    ``closure``: a graph already closed under the rules that the run extends
    (its schema is read whole, its data looked up by pattern); ``hidden``: triples
    of the closure to treat as absent (what delete-and-rederive has overdeleted).
    ``derivations``: keep each derived triple's rule and premises (for
    provenance and ``explain``), or only count them by rule.
    """

    def __init__(self, rules: Iterable[Rule] = (), *, owl: bool = True, derivations: bool = True,
                 closure: Closure | None = None, hidden: Iterable[ox.Triple] = ()) -> None:  # fmt: skip
        self.owl = owl
        self.rules = list(rules)
        self.derivations = derivations
        self.closure = closure
        self.terms: list[Term] = []
        self.ids: dict[Term, int] = {}
        self.literal: list[bool] = []
        self.all: set[IdTriple] = set()
        self.why: dict[IdTriple, tuple[str, tuple[IdTriple, ...]]] = {}
        self.derived_ids: list[IdTriple] = []
        self.derived_rules: list[str] = []
        self.queue: list[IdTriple] = []
        self.inconsistencies: list[str] = []
        v = self.id_of
        self.TYPE, self.SCO, self.SPO = (
            v(ox.NamedNode(f"{RDF}type")),
            v(ox.NamedNode(f"{RDFS}subClassOf")),
            v(ox.NamedNode(f"{RDFS}subPropertyOf")),
        )
        self.EQC, self.EQP = v(ox.NamedNode(f"{OWL}equivalentClass")), v(ox.NamedNode(f"{OWL}equivalentProperty"))
        self.DOM, self.RNG = v(ox.NamedNode(f"{RDFS}domain")), v(ox.NamedNode(f"{RDFS}range"))
        self.INV, self.CHAIN = v(ox.NamedNode(f"{OWL}inverseOf")), v(ox.NamedNode(f"{OWL}propertyChainAxiom"))
        self.FIRST, self.REST, self.NIL = (
            v(ox.NamedNode(f"{RDF}first")),
            v(ox.NamedNode(f"{RDF}rest")),
            v(ox.NamedNode(f"{RDF}nil")),
        )
        self.SAME, self.DISJ = v(ox.NamedNode(f"{OWL}sameAs")), v(ox.NamedNode(f"{OWL}disjointWith"))
        self.NOTHING = v(ox.NamedNode(f"{OWL}Nothing"))
        self.TRANS, self.SYMM = v(ox.NamedNode(f"{OWL}TransitiveProperty")), v(ox.NamedNode(f"{OWL}SymmetricProperty"))
        self.FUNC, self.IFUNC = (
            v(ox.NamedNode(f"{OWL}FunctionalProperty")),
            v(ox.NamedNode(f"{OWL}InverseFunctionalProperty")),
        )
        self.schema_predicates = {self.SCO, self.SPO, self.EQC, self.EQP, self.DOM, self.RNG, self.INV, self.CHAIN,
                                  self.FIRST, self.REST, self.DISJ}  # fmt: skip
        self.characteristics = {self.TRANS, self.SYMM, self.FUNC, self.IFUNC}
        self.unsupported = {self.id_of(ox.NamedNode(iri)) for iri in UNSUPPORTED}
        self.schema = _Index()
        self.data = _Index()
        self.aliases: dict[int, list[tuple[int, IdTriple]]] = defaultdict(list)
        self._compile_rules()
        # Lookups in the closure, cached: it does not change during a run.
        self.join_memory = True  # whether joins also see the triples this run has processed
        self.hidden = {self.ids_of(t) for t in hidden}
        self._stored_cache: dict[IdTriple, bool] = {}
        self._objects_cache: dict[tuple[int, int], list[int]] = {}
        self._subjects_cache: dict[tuple[int, int], list[int]] = {}
        self._deletable: Callable[[ox.Triple], bool] | None = None  # set while overdeleting
        self.stored_sameness = False
        self.schema_ids: set[IdTriple] = set()
        self._backward: _Backward | None = None
        if closure is not None:
            self._load_schema(closure)

    # -- terms -----------------------------------------------------------------

    def id_of(self, term: Term) -> int:
        """The integer standing for ``term`` in this run."""
        found = self.ids.get(term)
        if found is None:
            found = self.ids[term] = len(self.terms)
            self.terms.append(term)
            self.literal.append(isinstance(term, ox.Literal))
        return found

    def triple(self, t: IdTriple) -> ox.Triple:
        """The RDF triple an integer triple stands for."""
        s, p, o = t
        return ox.Triple(self.terms[s], self.terms[p], self.terms[o])  # type: ignore[arg-type]

    def ids_of(self, triple: ox.Triple | ox.Quad) -> IdTriple:
        """The integer triple standing for an RDF triple (or a quad's triple) in this run."""
        return self.id_of(triple.subject), self.id_of(triple.predicate), self.id_of(triple.object)

    # -- the closure a run extends -------------------------------------------------

    def _load_schema(self, closure: Closure) -> None:
        """Read the closure's schema whole (it is small, and closed already) and compile it."""
        for predicate in sorted(self.schema_predicates):
            for triple in closure.match(None, self.terms[predicate], None):  # type: ignore[arg-type]
                self._schema_from_closure(self.ids_of(triple))
        for kind in sorted(self.characteristics):
            for triple in closure.match(None, self.terms[self.TYPE], self.terms[kind]):  # type: ignore[arg-type]
                self._schema_from_closure(self.ids_of(triple))
        self._compile_schema()
        self.stored_sameness = next(iter(closure.match(None, self.terms[self.SAME], None)), None) is not None  # type: ignore[arg-type]

    def _schema_from_closure(self, t: IdTriple) -> None:
        if t not in self.schema_ids:  # kept out of ``all``, which holds only what this run adds
            self.schema_ids.add(t)
            self.schema.add(*t)

    def _stored(self, t: IdTriple) -> bool:
        """Whether the closure holds ``t`` (and it is not hidden)."""
        if self.closure is None or t in self.hidden:
            return False
        found = self._stored_cache.get(t)
        if found is None:
            s, p, o = t
            terms = self.terms
            found = False
            if not self.literal[s]:
                found = next(iter(self.closure.match(terms[s], terms[p], terms[o])), None) is not None  # type: ignore[arg-type]
            self._stored_cache[t] = found
        return found

    def _admit(self, t: IdTriple) -> bool:
        """Whether a head new to this run is new indeed: not in the closure (or, overdeleting, may be deleted)."""
        if self._deletable is not None:
            return self._deletable(self.triple(t))
        return not self._stored(t)

    def _known(self, t: IdTriple) -> bool:
        """Whether ``t`` holds so far: derived or given in this run, or in the closure."""
        return t in self.all or (self.closure is not None and self._stored(t))

    def _objects(self, p: int, s: int) -> list[int]:
        """The objects of (s, p, ?) known so far, for joins."""
        found = self.data.by_ps.get((p, s), []) if self.join_memory else []
        if self.closure is None:
            return found
        stored = self._objects_cache.get((p, s))
        if stored is None:
            stored = []
            if not self.literal[s]:
                terms, hidden = self.terms, self.hidden
                for triple in self.closure.match(terms[s], terms[p], None):  # type: ignore[arg-type]
                    o = self.id_of(triple.object)
                    if (s, p, o) not in hidden:
                        stored.append(o)
            self._objects_cache[(p, s)] = stored
        return found + stored

    def _subjects(self, p: int, o: int) -> list[int]:
        """The subjects of (?, p, o) known so far, for joins."""
        found = self.data.by_po.get((p, o), []) if self.join_memory else []
        if self.closure is None:
            return found
        stored = self._subjects_cache.get((p, o))
        if stored is None:
            stored = []
            terms, hidden = self.terms, self.hidden
            for triple in self.closure.match(None, terms[p], terms[o]):  # type: ignore[arg-type]
                s = self.id_of(triple.subject)
                if (s, p, o) not in hidden:
                    stored.append(s)
            self._subjects_cache[(p, o)] = stored
        return found + stored

    def _estimate(self, atom: RuleAtom, binding: dict[str, int], cap: int = 64) -> int:
        """About how many triples match an atom with one bound position (counted up to ``cap`` in the closure)."""
        assert self.closure is not None
        s, p, o = atom
        terms = self.terms
        if not isinstance(s, str) or s in binding:
            sv = _value(s, binding)
            cached = self._objects_cache.get((p, sv))
            if cached is not None:
                return len(cached)
            if self.literal[sv]:
                return 0
            pattern: tuple[Term | None, ox.NamedNode, Term | None] = (terms[sv], terms[p], None)  # type: ignore[assignment]
        else:
            ov = _value(o, binding)
            cached = self._subjects_cache.get((p, ov))
            if cached is not None:
                return len(cached)
            pattern = (None, terms[p], terms[ov])  # type: ignore[assignment]
        return sum(1 for _ in islice(self.closure.match(*pattern), cap))

    def _mentioning(self, x: int) -> list[IdTriple]:
        """Triples known so far with ``x`` as subject, predicate or object (for the equality rules)."""
        found = list(self.all) if self.join_memory else []
        if self.closure is not None:
            term, hidden = self.terms[x], self.hidden
            patterns: list[tuple[Term | None, ox.NamedNode | None, Term | None]] = [(term, None, None),
                                                                                    (None, None, term)]
            if isinstance(term, ox.NamedNode):
                patterns.append((None, term, None))
            if isinstance(term, ox.Literal):
                patterns = [(None, None, term)]
            for pattern in patterns:
                for triple in self.closure.match(*pattern):
                    t = self.ids_of(triple)
                    if t not in hidden:
                        found.append(t)
        return found

    # -- entry point -------------------------------------------------------------

    def run(self, triples: Iterable[ox.Triple | ox.Quad], progress: Progress | None = None) -> Inference:
        """Derive everything the rules entail from ``triples``; the input itself is not returned.

        With a ``closure``, only what ``triples`` add to it is derived
        (incremental addition); input it holds already is skipped. Adding schema
        to a closed graph can change old conclusions, so that raises
        :class:`NeedsFullInference`.
        """
        schema: list[IdTriple] = []
        data: list[IdTriple] = []
        ids, all_, id_of = self.ids, self.all, self.id_of
        incremental = self.closure is not None
        for triple in triples:
            subject, predicate, obj = triple.subject, triple.predicate, triple.object
            t = (ids.get(subject) or id_of(subject), ids.get(predicate) or id_of(predicate), ids.get(obj) or id_of(obj))
            if t in all_ or (incremental and self._stored(t)):
                continue
            all_.add(t)
            if self._is_schema(t):
                if incremental:
                    raise NeedsFullInference(f"new schema triple {self.triple(t)}")
                schema.append(t)
            else:
                data.append(t)
        if self.derivations:
            # Process in an order that depends on the terms, not on how the input was read, so that the
            # same graph always records the same derivations (and the provenance graph is reproducible).
            order = sorted(range(len(self.terms)), key=lambda i: str(self.terms[i]))
            rank = [0] * len(order)
            for position, term in enumerate(order):
                rank[term] = position
            del order

            def canonical(t: IdTriple) -> tuple[int, int, int]:
                return rank[t[0]], rank[t[1]], rank[t[2]]

            schema.sort(key=canonical, reverse=True)
            data.sort(key=canonical, reverse=True)
            del rank
        rounds = 0
        while True:
            rounds += 1
            if not incremental:
                self._close_schema(schema)
                self._compile_schema()
            late = self._close_data(data, progress)
            if late and incremental:
                raise NeedsFullInference(f"a rule derived the schema triple {self.triple(late[0])}")
            if not late:
                break
            # A data rule derived a schema triple: reason again with it as part of the schema.
            schema = late
            data = [t for t in self.all if not self._is_schema(t)]
            self._reset_data()
        result = Inference(inconsistencies=self.inconsistencies, rounds=rounds)
        trivial = self._trivial_ids()
        terms = self.terms

        def kept(t: IdTriple) -> bool:
            s, p, o = t
            return not (s in trivial.subjects or o in trivial.objects or (s == o and p in trivial.reflexive))

        counts: dict[str, int] = defaultdict(int)
        if self.derivations:
            for t, (rule, premises) in self.why.items():
                if kept(t):
                    s, p, o = t
                    result.derived[ox.Triple(terms[s], terms[p], terms[o])] = Derivation(rule, premises, self)  # type: ignore[arg-type]
                    counts[rule] += 1
        else:
            for t, rule in zip(self.derived_ids, self.derived_rules, strict=True):
                if kept(t):
                    counts[rule] += 1
            result.count = sum(counts.values())
            result.stream = lambda graph: self._stream(kept, graph)
        result.by_rule = dict(sorted(counts.items()))
        return result

    def _stream(self, kept: Callable[[IdTriple], bool], graph: ox.NamedNode | None) -> Iterator[ox.Triple | ox.Quad]:
        """The derived triples (or quads in ``graph``) that are kept, from the integer tables."""
        terms = self.terms
        for t in self.derived_ids:
            if kept(t):
                s, p, o = t
                if graph is None:
                    yield ox.Triple(terms[s], terms[p], terms[o])  # type: ignore[arg-type]
                else:
                    yield ox.Quad(terms[s], terms[p], terms[o], graph)  # type: ignore[arg-type]

    # -- delete and rederive ---------------------------------------------------------

    def overdelete(self, removed: Iterable[ox.Triple], deletable: Callable[[ox.Triple], bool]) -> list[ox.Triple]:
        """``removed`` and everything derived from it in the closure, forward: the overdeletion of DRed.

        Every rule instance that matches a removed triple, its other premises
        looked up in the closure as it was, yields a head to delete too — if
        ``deletable`` says it could go (a derived triple; an asserted one stays).
        Some of these have another derivation: :meth:`derivable` finds them.
        """
        if self.closure is None:
            raise ValueError("overdeletion needs the closure it deletes from")
        self.join_memory = False  # the closure as it was holds every overdeleted triple already
        self._deletable = deletable
        start: list[IdTriple] = []
        for triple in removed:
            t = self.ids_of(triple)
            if t in self.all:
                continue
            if self._is_schema(t):
                raise NeedsFullInference(f"removed schema triple {triple}")
            self.all.add(t)
            start.append(t)
        if self._close_data(start, None):
            raise NeedsFullInference("a removed triple derived schema")
        return [self.triple(t) for t in self.all]

    def derivable(self, triple: ox.Triple) -> bool:
        """Whether some rule derives ``triple`` in one step from the closure less the hidden triples.

        The rederivation check of DRed: each rule is matched backwards, its head
        against ``triple``, its body looked up in the closure.
        """
        t = self.ids_of(triple)
        s, p, o = t
        known, objects, subjects = self._known, self._objects, self._subjects
        TYPE, SAME = self.TYPE, self.SAME
        if self.owl:
            inverse = self._backward_tables()
            if p == TYPE:
                if any(known((s, TYPE, c)) for c in inverse.sub_classes.get(o, ())):
                    return True
                if any(objects(q, s) for q in inverse.domain_of.get(o, ())):
                    return True
                if any(subjects(q, s) for q in inverse.range_of.get(o, ())):
                    return True
            else:
                if any(known((s, q, o)) for q in inverse.sub_props.get(p, ())):
                    return True
                if not self.literal[o] and any(known((o, q, s)) for q in self.inverses.get(p, ())):
                    return True
                kinds = self.kind.get(p, set())
                if self.SYMM in kinds and known((o, p, s)):
                    return True
                if self.TRANS in kinds and any(known((m, p, o)) for m in objects(p, s)):
                    return True
                for first, second in inverse.chains.get(p, ()):
                    if any(known((m, second, o)) for m in objects(first, s)):
                        return True
                if p == SAME and s != o and self._same_derivable(s, o):
                    return True
            if self.stored_sameness or self.aliases:
                if any(a != s and known((a, p, o)) for a in objects(SAME, s)):
                    return True
                if any(a != p and known((s, a, o)) for a in objects(SAME, p)):
                    return True
                if any(a != o and known((s, p, a)) for a in objects(SAME, o)):
                    return True
        for _, body, head, distinct in self.compiled:
            for atom in head:
                binding = _unify(atom, t, {})
                if binding is None:
                    continue
                for final, _ in self._join(body, binding, ()):
                    if all(_value(a, final) != _value(b, final) for a, b in distinct):
                        return True
        return False

    def _same_derivable(self, s: int, o: int) -> bool:
        """eq-sym, eq-trans, prp-fp and prp-ifp backwards, for ``s owl:sameAs o``."""
        known, objects, subjects, SAME = self._known, self._objects, self._subjects, self.SAME
        if known((o, SAME, s)) or any(known((m, SAME, o)) for m in objects(SAME, s)):
            return True
        for q, kinds in self.kind.items():
            if self.FUNC in kinds and any(known((x, q, o)) for x in subjects(q, s)):
                return True
            if self.IFUNC in kinds and any(known((o, q, y)) for y in objects(q, s)):
                return True
        return False

    def _backward_tables(self) -> _Backward:
        """The compiled schema tables turned around: from a rule's head to its possible premises."""
        tables = self._backward
        if tables is None:
            tables = self._backward = _Backward(defaultdict(list), defaultdict(list), defaultdict(list),
                                                defaultdict(list), defaultdict(list))  # fmt: skip
            for sub, supers in self.super_classes.items():
                for c in supers:
                    tables.sub_classes[c].append(sub)
            for sub, supers in self.super_props.items():
                for q in supers:
                    tables.sub_props[q].append(sub)
            for q, classes in self.domains.items():
                for c in classes:
                    tables.domain_of[c].append(q)
            for q, classes in self.ranges.items():
                for c in classes:
                    tables.range_of[c].append(q)
            for first, links in self.chain_first.items():
                for second, result, _ in links:
                    tables.chains[result].append((first, second))
        return tables

    def _trivial_ids(self) -> _Trivial:
        """:func:`is_trivial`, precomputed on term ids."""
        subjects = {i for i, term in enumerate(self.terms)
                    if isinstance(term, ox.Literal) or (isinstance(term, ox.NamedNode)
                                                        and term.value.startswith(BUILTIN_NAMESPACES))}  # fmt: skip
        objects = {self.ids[n] for n in (ox.NamedNode(f"{OWL}Thing"), ox.NamedNode(f"{RDFS}Resource")) if n in self.ids}
        reflexive = {self.SAME, self.SCO, self.EQC, self.SPO, self.EQP}
        return _Trivial(subjects, objects, reflexive)

    # -- bookkeeping -------------------------------------------------------------

    def _is_schema(self, t: IdTriple) -> bool:
        _, p, o = t
        if p in self.unsupported or o in self.unsupported:
            construct = self.terms[p if p in self.unsupported else o]
            raise UnsupportedAxiom(f"the default engine does not implement {construct} (in {self.triple(t)}); "
                                   "use --engine owlrl")  # fmt: skip
        return p in self.schema_predicates or (p == self.TYPE and o in self.characteristics)

    def _add(self, t: IdTriple, rule: str, *premises: IdTriple) -> None:
        if t in self.all or self.literal[t[0]]:
            return
        if self.closure is not None and not self._admit(t):
            return
        self.all.add(t)
        if self.derivations:
            self.why[t] = (rule, premises)
        else:
            self.derived_ids.append(t)
            self.derived_rules.append(rule)
        self.queue.append(t)

    def _reset_data(self) -> None:
        self.data = _Index()
        self.aliases.clear()

    # -- schema ------------------------------------------------------------------

    def _close_schema(self, schema: list[IdTriple]) -> None:
        """The scm-* rules: sub-class and sub-property closure, equivalences, domains and ranges."""
        if not self.owl:
            for s, p, o in schema:
                self.schema.add(s, p, o)
            return
        self.queue = list(schema)
        idx, SCO, SPO, EQC, EQP = self.schema, self.SCO, self.SPO, self.EQC, self.EQP
        restrictions = {self.DOM: ("scm-dom1", "scm-dom2"), self.RNG: ("scm-rng1", "scm-rng2")}
        while self.queue:
            t = self.queue.pop()
            s, p, o = t
            idx.add(s, p, o)
            if p == SCO:
                self._close_hierarchy(t, EQC, "scm-sco", "scm-eqc2")
                for restriction, (widen, _) in restrictions.items():  # a domain or range widens upwards
                    for prop in idx.subjects(restriction, s):
                        self._add((prop, restriction, o), widen, (prop, restriction, s), t)
            elif p == EQC:
                self._add((s, SCO, o), "scm-eqc1", t)
                self._add((o, SCO, s), "scm-eqc1", t)
            elif p == SPO:
                self._close_hierarchy(t, EQP, "scm-spo", "scm-eqp2")
                for restriction, (_, inherit) in restrictions.items():  # a sub-property inherits them
                    for c in idx.objects(restriction, o):
                        self._add((s, restriction, c), inherit, (o, restriction, c), t)
            elif p == EQP:
                self._add((s, SPO, o), "scm-eqp1", t)
                self._add((o, SPO, s), "scm-eqp1", t)
            elif p in restrictions:
                widen, inherit = restrictions[p]
                for c in idx.objects(SCO, o):
                    self._add((s, p, c), widen, t, (o, SCO, c))
                for sub in idx.subjects(SPO, s):
                    self._add((sub, p, o), inherit, t, (sub, SPO, s))

    def _close_hierarchy(self, t: IdTriple, equivalent: int, transitive_rule: str, mutual_rule: str) -> None:
        """scm-sco/scm-spo (the relation is transitive) and scm-eqc2/scm-eqp2 (mutual means equivalent)."""
        s, rel, o = t
        for above in self.schema.objects(rel, o):
            self._add((s, rel, above), transitive_rule, t, (o, rel, above))
        for below in self.schema.subjects(rel, s):
            self._add((below, rel, o), transitive_rule, (below, rel, s), t)
        if (o, rel, s) in self.all:
            self._add((s, equivalent, o), mutual_rule, t, (o, rel, s))
            self._add((o, equivalent, s), mutual_rule, (o, rel, s), t)

    def _list(self, head: int) -> list[int]:
        items: list[int] = []
        seen = set()
        while head != self.NIL and head not in seen:
            seen.add(head)
            first, rest = self.schema.objects(self.FIRST, head), self.schema.objects(self.REST, head)
            if not first or not rest:
                raise UnsupportedAxiom(f"malformed RDF list at {self.terms[head]}")
            items.append(first[0])
            head = rest[0]
        return items

    def _compile_schema(self) -> None:
        """Per-property and per-class tables that data triples look up instead of joining."""
        idx = self.schema
        self.super_props: dict[int, list[int]] = defaultdict(list)
        self.domains: dict[int, list[int]] = defaultdict(list)
        self.ranges: dict[int, list[int]] = defaultdict(list)
        self.inverses: dict[int, list[int]] = defaultdict(list)
        self.super_classes: dict[int, list[int]] = defaultdict(list)
        self.disjoint: dict[int, list[int]] = defaultdict(list)
        self.kind: dict[int, set[int]] = defaultdict(set)
        self.chain_first: dict[int, list[tuple[int, int, IdTriple]]] = defaultdict(list)
        self.chain_second: dict[int, list[tuple[int, int, IdTriple]]] = defaultdict(list)
        if not self.owl:
            return
        for (p, s), objects in idx.by_ps.items():
            for o in objects:
                if p == self.SPO and s != o:
                    self.super_props[s].append(o)
                elif p == self.DOM:
                    self.domains[s].append(o)
                elif p == self.RNG:
                    self.ranges[s].append(o)
                elif p == self.INV:
                    self.inverses[s].append(o)
                    self.inverses[o].append(s)
                elif p == self.SCO and s != o:
                    self.super_classes[s].append(o)
                elif p == self.DISJ:
                    self.disjoint[s].append(o)
                    self.disjoint[o].append(s)
                elif p == self.TYPE:
                    self.kind[s].add(o)
                elif p == self.CHAIN:
                    chain = self._list(o)
                    if len(chain) != 2:
                        raise UnsupportedAxiom(f"property chains of length {len(chain)} are not implemented "
                                               f"({self.terms[s]}); use chains of two")  # fmt: skip
                    self.chain_first[chain[0]].append((chain[1], s, (s, p, o)))
                    self.chain_second[chain[1]].append((chain[0], s, (s, p, o)))
        self.joined = {p for p, kinds in self.kind.items() if kinds & {self.TRANS, self.FUNC, self.IFUNC}}
        self.joined |= set(self.chain_first) | set(self.chain_second) | {self.SAME}
        for _, body, _, _ in self.compiled:
            for _, predicate, obj in body:
                if predicate == self.TYPE:
                    assert isinstance(obj, int)  # _compile_rules refuses a variable class
                    self.typed_classes.add(obj)
                else:
                    self.joined.add(predicate)

    # -- data --------------------------------------------------------------------

    def _close_data(self, data: list[IdTriple], progress: Progress | None) -> list[IdTriple]:
        """Fire the compiled OWL rules and the domain rules until nothing new comes; returns late schema."""
        self.queue = list(data)
        late: list[IdTriple] = []
        joined, TYPE, data_index, aliases, typed = self.joined, self.TYPE, self.data, self.aliases, self.typed_classes
        stored_sameness = self.stored_sameness
        done = 0
        while self.queue:
            t = self.queue.pop()
            s, p, o = t
            done += 1
            if progress is not None and not done % 100_000:
                progress(done)
            if self._is_schema(t):  # only rules put schema on this queue: the input's was set apart
                late.append(t)
                continue
            # Indexed when processed: each pair of triples is joined once, when the later one comes.
            if p in joined:
                data_index.add(s, p, o)
            elif p == TYPE and o in typed:
                data_index.by_po[(p, o)].append(s)
            if (aliases and (s in aliases or p in aliases or o in aliases)) or stored_sameness:
                self._replace_aliases(t)
            if self.owl:
                if p == TYPE:
                    self._fire_type(t)
                else:
                    self._fire_property(t)
            if self.rule_triggers:
                self._fire_rules(t)
        if progress is not None:
            progress(done)
        return late

    def _fire_type(self, t: IdTriple) -> None:
        s, _, c = t
        TYPE, SCO = self.TYPE, self.SCO
        for d in self.super_classes.get(c, ()):
            self._add((s, TYPE, d), "cax-sco", t, (c, SCO, d))
        for d in self.disjoint.get(c, ()):
            if self._known((s, TYPE, d)):
                self.inconsistencies.append(f"cax-dw: {self.terms[s]} is both {self.terms[c]} and {self.terms[d]}, "
                                            "which are disjoint")  # fmt: skip
        if c == self.NOTHING:
            self.inconsistencies.append(f"cls-nothing2: {self.terms[s]} is an owl:Nothing")

    def _fire_property(self, t: IdTriple) -> None:
        s, p, o = t
        TYPE = self.TYPE
        known: Callable[[IdTriple], bool]
        if self.closure is None:  # the plain indexes, without a method call in between (the hot path)
            known, objects, subjects = self.all.__contains__, self.data.objects, self.data.subjects
        else:
            known, objects, subjects = self._known, self._objects, self._subjects
        for q in self.super_props.get(p, ()):
            self._add((s, q, o), "prp-spo1", t, (p, self.SPO, q))
        for c in self.domains.get(p, ()):
            self._add((s, TYPE, c), "prp-dom", t, (p, self.DOM, c))
        if not self.literal[o]:
            for c in self.ranges.get(p, ()):
                self._add((o, TYPE, c), "prp-rng", t, (p, self.RNG, c))
            for q in self.inverses.get(p, ()):
                premise = (p, self.INV, q) if known((p, self.INV, q)) else (q, self.INV, p)
                self._add((o, q, s), "prp-inv", t, premise)
        kinds = self.kind.get(p)
        if kinds:
            if self.SYMM in kinds:
                self._add((o, p, s), "prp-symp", t, (p, TYPE, self.SYMM))
            if self.TRANS in kinds:
                declared = (p, TYPE, self.TRANS)
                for x in list(subjects(p, s)):
                    self._add((x, p, o), "prp-trp", (x, p, s), t, declared)
                for y in list(objects(p, o)):
                    self._add((s, p, y), "prp-trp", t, (o, p, y), declared)
            if self.FUNC in kinds:
                for other in list(objects(p, s)):
                    if other != o and not self.literal[o]:
                        self._add((o, self.SAME, other), "prp-fp", t, (s, p, other), (p, TYPE, self.FUNC))
            if self.IFUNC in kinds:
                for other in list(subjects(p, o)):
                    if other != s:
                        self._add((s, self.SAME, other), "prp-ifp", t, (other, p, o), (p, TYPE, self.IFUNC))
        for second, result, axiom in self.chain_first.get(p, ()):
            for y in list(objects(second, o)):
                self._add((s, result, y), "prp-spo2", t, (o, second, y), axiom)
        for first, result, axiom in self.chain_second.get(p, ()):
            for x in list(subjects(first, s)):
                self._add((x, result, o), "prp-spo2", (x, first, s), t, axiom)
        if p == self.SAME and s != o:
            self._fire_same(t)

    def _fire_same(self, t: IdTriple) -> None:
        """eq-sym, eq-trans and eq-rep-s/p/o.

        Sameness is rare in this data, so instead of indexing every triple by
        subject and object, the triples known so far are scanned once per new
        ``owl:sameAs`` (looked up, in a closure); triples that come later are
        rewritten as they are processed.
        """
        s, _, o = t
        SAME = self.SAME
        self.aliases[s].append((o, t))
        self._add((o, SAME, s), "eq-sym", t)
        for z in list(self._objects(SAME, o)):
            self._add((s, SAME, z), "eq-trans", t, (o, SAME, z))
        for x in list(self._subjects(SAME, s)):
            self._add((x, SAME, o), "eq-trans", (x, SAME, s), t)
        for x, p, y in self._mentioning(s):
            if x == s:
                self._add((o, p, y), "eq-rep-s", t, (x, p, y))
            if p == s:
                self._add((x, o, y), "eq-rep-p", t, (x, p, y))
            if y == s:
                self._add((x, p, o), "eq-rep-o", t, (x, p, y))

    def _replace_aliases(self, t: IdTriple) -> None:
        s, p, o = t
        for other, same in self._aliases_of(s):
            self._add((other, p, o), "eq-rep-s", same, t)
        for other, same in self._aliases_of(p):
            self._add((s, other, o), "eq-rep-p", same, t)
        for other, same in self._aliases_of(o):
            self._add((s, p, other), "eq-rep-o", same, t)

    def _aliases_of(self, x: int) -> list[tuple[int, IdTriple]]:
        """What ``x`` is the same as, with the ``owl:sameAs`` triple that says so."""
        found = self.aliases.get(x, [])
        if self.stored_sameness and not self.literal[x]:
            SAME = self.SAME
            found = found + [(other, (x, SAME, other)) for other in self._objects(SAME, x) if other != x]
        return found

    # -- domain rules ------------------------------------------------------------

    def _compile_rules(self) -> None:
        """Rules with term ids for constants and names for variables; triggers by predicate."""

        def slot(term: ox.NamedNode | ox.Literal | ox.Variable) -> Slot:
            return term.value if isinstance(term, ox.Variable) else self.id_of(term)

        def atom(a: Atom) -> RuleAtom:
            return slot(a.subject), self.id_of(a.predicate), slot(a.object)

        self.compiled: list[CompiledRule] = []
        self.typed_classes: set[int] = set()
        self.rule_triggers: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for number, rule in enumerate(self.rules):
            body = [atom(a) for a in rule.body]
            for _, p, o in body:
                if p == self.TYPE and isinstance(o, str):
                    raise UnsupportedAxiom(f"rule {rule.name}: rdf:type atoms need a constant class")
            head = [atom(a) for a in rule.head]
            distinct = [(slot(a), slot(b)) for a, b in rule.distinct]
            self.compiled.append((rule.name, body, head, distinct))
            for position, (_, p, _) in enumerate(body):
                self.rule_triggers[p].append((number, position))

    def _fire_rules(self, t: IdTriple) -> None:
        for number, position in self.rule_triggers.get(t[1], ()):
            name, body, head, distinct = self.compiled[number]
            binding = _unify(body[position], t, {})
            if binding is None:
                continue
            rest = body[:position] + body[position + 1 :]
            for final, matched in self._join(rest, binding, (t,)):
                if all(_value(a, final) != _value(b, final) for a, b in distinct):
                    for hs, hp, ho in head:
                        self._add((_value(hs, final), _value(hp, final), _value(ho, final)), name, *matched)

    def _join(self, atoms: list[RuleAtom], binding: dict[str, int],
              matched: tuple[IdTriple, ...]) -> Iterator[tuple[dict[str, int], tuple[IdTriple, ...]]]:  # fmt: skip
        if not atoms:
            yield binding, matched
            return

        # Take the atom with most bound positions first, so every lookup goes through an index.
        def bound(a: RuleAtom) -> int:
            return (not isinstance(a[0], str) or a[0] in binding) + (not isinstance(a[2], str) or a[2] in binding)

        atom = max(atoms, key=bound)
        if self.closure is not None and len(atoms) > 1 and bound(atom) == 1:
            # Out of the closure, a lookup can return a hub's thousands of triples: take the smallest one.
            atom = min((a for a in atoms if bound(a) == 1), key=lambda a: self._estimate(a, binding))
        rest = [a for a in atoms if a is not atom]
        s, p, o = atom
        s_known = not isinstance(s, str) or s in binding
        o_known = not isinstance(o, str) or o in binding
        if s_known and o_known:
            t = (_value(s, binding), p, _value(o, binding))
            candidates = [t] if self._known(t) else []
        elif s_known:
            sv = _value(s, binding)
            candidates = [(sv, p, y) for y in self._objects(p, sv)]
        elif o_known:
            ov = _value(o, binding)
            candidates = [(x, p, ov) for x in self._subjects(p, ov)]
        else:
            raise UnsupportedAxiom("a domain rule's atoms must connect through shared variables")
        for t in candidates:
            extended = _unify(atom, t, binding)
            if extended is not None:
                yield from self._join(rest, extended, (*matched, t))


def _value(slot: int | str, binding: dict[str, int]) -> int:
    return binding[slot] if isinstance(slot, str) else slot


def _unify(atom: RuleAtom, t: IdTriple, binding: dict[str, int]) -> dict[str, int] | None:
    result = binding
    for slot, value in zip(atom, t, strict=True):
        if isinstance(slot, str):
            known = result.get(slot)
            if known is None:
                if result is binding:
                    result = dict(binding)
                result[slot] = value
            elif known != value:
                return None
        elif slot != value:
            return None
    return result
