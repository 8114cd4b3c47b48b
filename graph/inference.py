"""The inference pass: derive, then store the derived triples apart from the asserted ones.

Everything that is not itself inferred (the article graphs, the ontology, the
vocabulary) is the input; the output replaces two graphs in one transaction:
``…/graph/inferred`` holds the derived triples, ``…/graph/inferred/provenance``
says for each one which rule derived it from which premises, down to the
asserted triples and the graphs (articles) they came from. Inference always
recomputes from the asserted graphs, so running it twice gives the same graphs
and adding, replacing or removing an article leaves them correct.

Three engines are registered in :data:`ENGINES`: ``default`` (this project's
forward chainer, :mod:`graph.reasoner`), ``owlrl`` (the reference) and
``reasonable`` (a Rust OWL 2 RL reasoner). The last two know nothing of the
domain rules, so those run after them as SPARQL CONSTRUCT queries on
pyoxigraph, alternating until nothing new appears.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.reasoner import OWL, RDF, Derivation, Inference, NeedsFullInference, Reasoner, is_trivial
from graph.rules import RULE_NAMESPACE, Rule, domain_rules
from graph.store import Store
from graph.terms import from_rdflib, to_rdflib
from ontology import GRAPH, ID, MKG

INFERRED_GRAPH = ox.NamedNode(GRAPH + "inferred")
PROVENANCE_GRAPH = ox.NamedNode(GRAPH + "inferred/provenance")
DERIVED_GRAPHS = frozenset({INFERRED_GRAPH, PROVENANCE_GRAPH})
#: Present while the inference graph matches the asserted graphs; writes that skip inference delete it.
UP_TO_DATE = ox.Quad(INFERRED_GRAPH, ox.NamedNode(MKG + "upToDate"),
                     ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
                     PROVENANCE_GRAPH)  # fmt: skip

Statements = Iterable[ox.Triple] | Iterable[ox.Quad]
QuadSource = Callable[[], Iterable[ox.Quad]]
Engine = Callable[[Statements, tuple[Rule, ...], Callable[[int], None] | None], Inference]

_TYPE = ox.NamedNode(f"{RDF}type")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")

#: What each OWL 2 RL rule name means, for the provenance graph and ``explain``.
OWL_RULES = {
    "cax-sco": "an instance of a class is an instance of its superclasses",
    "cax-eqc": "an instance of a class is an instance of its equivalent classes",
    "prp-dom": "the subject of a property is an instance of its domain",
    "prp-rng": "the object of a property is an instance of its range",
    "prp-spo1": "a triple with a sub-property holds with the super-property",
    "prp-spo2": "a property chain: p1 then p2 gives the chained property",
    "prp-inv": "a triple with a property holds reversed with its inverse",
    "prp-symp": "a symmetric property holds in both directions",
    "prp-trp": "a transitive property: a to b and b to c gives a to c",
    "prp-fp": "two values of a functional property are the same individual",
    "prp-ifp": "two subjects of an inverse-functional property's value are the same individual",
    "eq-sym": "sameness is symmetric",
    "eq-rep-s": "a triple holds of whatever is the same as its subject",
    "eq-rep-p": "a triple holds with whatever is the same as its predicate",
    "eq-rep-o": "a triple holds of whatever is the same as its object",
    "eq-trans": "sameness is transitive",
    "owl2rl": "derived by an external OWL 2 RL engine (owlrl, reasonable), which records no premises",
    "scm-sco": "sub-class is transitive",
    "scm-spo": "sub-property is transitive",
    "scm-eqc1": "equivalent classes are sub-classes of each other",
    "scm-eqc2": "mutual sub-classes are equivalent",
    "scm-eqp1": "equivalent properties are sub-properties of each other",
    "scm-eqp2": "mutual sub-properties are equivalent",
    "scm-dom1": "a property's domain extends to the domain's superclasses",
    "scm-dom2": "a sub-property inherits the super-property's domain",
    "scm-rng1": "a property's range extends to the range's superclasses",
    "scm-rng2": "a sub-property inherits the super-property's range",
}


class InferenceError(Exception):
    """The inference pass could not run (an unsupported axiom, an unknown engine)."""


@dataclass
class InferenceReport:
    """What an inference pass wrote."""

    engine: str
    asserted: int
    derived: int
    provenance: int
    inconsistencies: list[str] = field(default_factory=list)
    by_rule: dict[str, int] = field(default_factory=dict)


def rule_iri(name: str) -> ox.NamedNode:
    """The IRI of an OWL 2 RL or domain rule, by name."""
    return ox.NamedNode(RULE_NAMESPACE + name)


def triple_iri(triple: ox.Triple) -> ox.NamedNode:
    """A stable IRI for a triple, so provenance nodes are the same on every run."""
    key = str(triple).encode("utf-8")  # pyoxigraph prints a triple in N-Triples syntax
    return ox.NamedNode(f"{ID}triple/{hashlib.sha1(key).hexdigest()[:24]}")


# -- engines ----------------------------------------------------------------------


def run_default(statements: Statements, rules: tuple[Rule, ...], progress=None) -> Inference:
    """This project's forward chainer: OWL 2 RL and the domain rules in one fixpoint (streams its input)."""
    return Reasoner(rules).run(statements, progress)


def _apply_rules_with_sparql(store: ox.Store, rules: tuple[Rule, ...]) -> list[ox.Triple]:
    """Run each domain rule's CONSTRUCT once; return the triples that were not yet there."""
    new: list[ox.Triple] = []
    for rule in rules:
        for triple in store.query(rule.sparql):
            if ox.Quad(triple.subject, triple.predicate, triple.object) not in store:
                new.append(triple)
    return new


def _external(closure: Callable[[list[ox.Triple]], Iterable[ox.Triple]]) -> Engine:
    """Wrap an OWL-only engine: alternate it with the domain rules (as SPARQL) to a fixpoint."""

    def run(statements: Statements, rules: tuple[Rule, ...], progress=None) -> Inference:
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


def owlrl_closure(triples: list[ox.Triple]) -> Iterator[ox.Triple]:
    """owlrl's OWL 2 RL closure (the reference engine), as pyoxigraph triples."""
    import owlrl
    import rdflib

    graph = rdflib.Graph()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    error = rdflib.URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
    for s, p, o in graph:
        if isinstance(s, rdflib.Literal) or p == error:
            continue  # owlrl issues #50, #63: literal subjects; its error reports are not data
        yield ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o))


def reasonable_closure(triples: list[ox.Triple]) -> Iterator[ox.Triple]:
    """The ``reasonable`` package's OWL 2 RL closure (IRIs and literals only; it skips blank nodes)."""
    import reasonable

    reasoner = reasonable.PyReasoner()
    reasoner.from_graph([(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in triples])
    for s, p, o in reasoner.reason():
        yield ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o))


ENGINES: dict[str, Engine] = {
    "default": run_default,
    "owlrl": _external(lambda triples: owlrl_closure(triples)),
    "reasonable": _external(lambda triples: reasonable_closure(triples)),
}


# -- the pass ---------------------------------------------------------------------


def asserted_quads(store: Store) -> QuadSource:
    """Every quad that inference starts from (all graphs but the derived ones), streamed anew on each call."""

    def stream() -> Iterator[ox.Quad]:
        yield from store.quads(ox.DefaultGraph())
        for graph in list(store.named_graphs()):
            if graph not in DERIVED_GRAPHS:
                yield from store.quads(graph)

    return stream


def derive(statements: Statements, *, engine: str = "default", progress=None) -> Inference:
    """Run an engine with the domain rules over ``statements``; raises :class:`InferenceError`."""
    if engine not in ENGINES:
        raise InferenceError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    try:
        return ENGINES[engine](statements, domain_rules(), progress)
    except ValueError as exc:
        raise InferenceError(str(exc)) from exc


def provenance_quads(inference: Inference, quads: Iterable[ox.Quad],
                     derived_before: Callable[[ox.Triple], bool] = lambda _: False) -> Iterator[ox.Quad]:  # fmt: skip
    """The provenance graph: each derived triple reified with its rule and premises.

    ``derived_before`` tells, in an incremental run, which premises were derived
    by an earlier run (and are described in the provenance graph already).
    """
    g = PROVENANCE_GRAPH
    subject_, predicate_, object_ = (ox.NamedNode(f"{RDF}{n}") for n in ("subject", "predicate", "object"))
    derived_class, asserted_class = ox.NamedNode(MKG + "DerivedTriple"), ox.NamedNode(MKG + "AssertedTriple")
    derived_by, premise_, asserted_in = (ox.NamedNode(MKG + n) for n in ("derivedBy", "premise", "assertedIn"))

    def reify(node: ox.NamedNode, triple: ox.Triple, kind: ox.NamedNode) -> Iterator[ox.Quad]:
        yield ox.Quad(node, _TYPE, kind, g)
        yield ox.Quad(node, subject_, triple.subject, g)
        yield ox.Quad(node, predicate_, triple.predicate, g)
        yield ox.Quad(node, object_, triple.object, g)

    used_rules: set[str] = set()
    premises_asserted: set[ox.Triple] = set()
    nodes: dict[ox.Triple, ox.NamedNode] = {}  # premises recur (schema triples thousands of times): hash each once
    rules = {name: rule_iri(name) for name in {d.rule for d in inference.derived.values()}}
    for triple, derivation in inference.derived.items():
        node = nodes.get(triple) or nodes.setdefault(triple, triple_iri(triple))
        yield from reify(node, triple, derived_class)
        yield ox.Quad(node, derived_by, rules[derivation.rule], g)
        used_rules.add(derivation.rule)
        for premise in derivation.premises:
            known = nodes.get(premise)
            if known is None:
                known = nodes[premise] = triple_iri(premise)
                if premise not in inference.derived and not is_trivial(premise) and not derived_before(premise):
                    premises_asserted.add(premise)
            yield ox.Quad(node, premise_, known, g)
    graphs_of: dict[ox.Triple, list[ox.NamedNode]] = defaultdict(list)
    for q in quads:
        triple = ox.Triple(q.subject, q.predicate, q.object)
        if triple in premises_asserted and isinstance(q.graph_name, ox.NamedNode):
            graphs_of[triple].append(q.graph_name)
    for triple in premises_asserted:
        node = triple_iri(triple)
        yield from reify(node, triple, asserted_class)
        for graph in graphs_of.get(triple, ()):
            yield ox.Quad(node, asserted_in, graph, g)
    descriptions = {rule.name: f"{rule.title}. {rule.description}".strip() for rule in domain_rules()}
    for name in sorted(used_rules):
        rule = rule_iri(name)
        yield ox.Quad(rule, _TYPE, ox.NamedNode(MKG + "InferenceRule"), g)
        yield ox.Quad(rule, _LABEL, ox.Literal(name), g)
        comment = OWL_RULES.get(name) or descriptions.get(name)
        if comment:
            yield ox.Quad(rule, _COMMENT, ox.Literal(comment), g)


@dataclass
class DerivedGraphs:
    """The inference graph's quads, and the provenance graph's as a stream (it is ten times larger)."""

    inferred: list[ox.Quad]
    provenance: Callable[[], Iterator[ox.Quad]]

    def estimate(self) -> int:
        """About how many quads both graphs hold (each derived triple has ~9 provenance quads)."""
        return 10 * len(self.inferred) + 1


def inference_graphs(
    source: QuadSource, *, engine: str = "default", provenance: bool = True, progress=None
) -> tuple[DerivedGraphs, InferenceReport]:
    """The inferred and provenance graphs for the asserted quads ``source()`` yields, ready to replace the stored ones.

    ``source`` is called once for the engine and once more for the provenance,
    so that neither pass has to hold every asserted quad in a list; the
    provenance is generated while it is written. Its quad count goes into the
    report when :func:`write_with_inference` has written it.
    """
    asserted = 0

    def counted() -> Iterator[ox.Quad]:
        nonlocal asserted
        for quad in source():
            asserted += 1
            yield quad

    inference = derive(counted(), engine=engine, progress=progress)
    inferred = [ox.Quad(t.subject, t.predicate, t.object, INFERRED_GRAPH) for t in inference.derived]

    def explained() -> Iterator[ox.Quad]:
        yield from provenance_quads(inference, source())
        yield UP_TO_DATE

    report = InferenceReport(
        engine=engine,
        asserted=asserted,
        derived=len(inferred),
        provenance=0,
        inconsistencies=inference.inconsistencies,
        by_rule=_by_rule(inference),
    )
    # Without provenance, nothing must keep the engine's indexes alive while the graphs are written.
    return DerivedGraphs(inferred, explained if provenance else lambda: iter([UP_TO_DATE])), report


def is_up_to_date(store: Store) -> bool:
    """Whether the stored inference graph was computed from the graphs now asserted."""
    return store.contains(UP_TO_DATE)


def inference_additions(store: Store, new: list[ox.Quad], *, provenance: bool = True
                        ) -> tuple[list[ox.Quad], list[ox.Quad], InferenceReport] | None:  # fmt: skip
    """What adding ``new`` quads (in new graphs) adds to, and removes from, an up-to-date inference graph.

    Additions only grow an OWL 2 RL closure, so the stored closure is indexed
    as it is and only the consequences of ``new`` are derived. A triple that
    was derived and is now asserted leaves the inference graph (which holds
    only what is not asserted), and its provenance node becomes an asserted
    one. None means a full recomputation is needed: inference is not up to
    date, or ``new`` brings schema (which can change old conclusions).
    """
    if not is_up_to_date(store):
        return None
    known = (q for q in store.quads() if q.graph_name != PROVENANCE_GRAPH)
    try:
        inference = Reasoner(domain_rules()).run(new, known=known)
    except NeedsFullInference:
        return None
    except ValueError as exc:
        raise InferenceError(str(exc)) from exc
    inferred = [ox.Quad(t.subject, t.predicate, t.object, INFERRED_GRAPH) for t in inference.derived]
    now_asserted: dict[ox.Triple, list[ox.NamedNode]] = defaultdict(list)
    for q in new:
        if store.contains(ox.Quad(q.subject, q.predicate, q.object, INFERRED_GRAPH)):
            now_asserted[ox.Triple(q.subject, q.predicate, q.object)].append(q.graph_name)  # type: ignore[arg-type]
    deleted = [ox.Quad(t.subject, t.predicate, t.object, INFERRED_GRAPH) for t in now_asserted]
    added = list(inferred)
    if provenance:

        def derived_before(triple: ox.Triple) -> bool:
            return triple not in now_asserted and store.contains(
                ox.Quad(triple.subject, triple.predicate, triple.object, INFERRED_GRAPH)
            )

        asserted = (q for source in (store.quads(), new) for q in source if q.graph_name not in DERIVED_GRAPHS)
        added.extend(provenance_quads(inference, asserted, derived_before))
        kind, asserted_in = ox.NamedNode(MKG + "AssertedTriple"), ox.NamedNode(MKG + "assertedIn")
        derivation = {_TYPE.value, MKG + "derivedBy", MKG + "premise"}
        for triple, graphs in now_asserted.items():
            node = triple_iri(triple)
            described = store.query(f"SELECT ?p ?o WHERE {{ GRAPH <{PROVENANCE_GRAPH.value}> {{ {node} ?p ?o }} }}")
            deleted.extend(ox.Quad(node, row["p"], row["o"], PROVENANCE_GRAPH)
                           for row in described if row["p"].value in derivation)  # fmt: skip
            added.append(ox.Quad(node, _TYPE, kind, PROVENANCE_GRAPH))
            added.extend(ox.Quad(node, asserted_in, graph, PROVENANCE_GRAPH) for graph in dict.fromkeys(graphs))
    report = InferenceReport(engine="default (incremental)", asserted=len(new), derived=len(inferred),
                             provenance=len(added) - len(inferred), inconsistencies=inference.inconsistencies,
                             by_rule=_by_rule(inference))  # fmt: skip
    return added, deleted, report


def _by_rule(inference: Inference) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for derivation in inference.derived.values():
        counts[derivation.rule] += 1
    return dict(sorted(counts.items()))


#: Up to this many derived quads, asserted changes and inference are written in one SPARQL update.
ATOMIC_QUADS = 50_000


def write_with_inference(store: Store, graphs: dict[ox.NamedNode, list[ox.Quad]], derived: DerivedGraphs, *,
                         add: Iterable[ox.Quad] = ()) -> int:  # fmt: skip
    """Replace ``graphs`` (asserted) and the derived graphs: atomically when small, in steps when large.

    A transaction on the on-disk store (a SPARQL update or ``extend``
    alike) is several times slower than the bulk loader: at a million
    derived triples, minutes and gigabytes. So large derived graphs are written in steps: one transaction
    changes the asserted graphs and empties the derived ones (their up-to-date
    mark with them); the bulk loader streams the derived quads in; a last
    small transaction sets the mark. Asserted data is never half-written. A
    crash before the mark leaves inference marked out of date, so the next
    pass recomputes it; readers in between see the derived triples appear.
    Returns the number of provenance quads written.
    """
    if derived.estimate() <= ATOMIC_QUADS:
        explained = list(derived.provenance())
        store.replace_graphs({**graphs, INFERRED_GRAPH: derived.inferred, PROVENANCE_GRAPH: explained}, add=add)
        return len(explained)
    store.replace_graphs({**graphs, INFERRED_GRAPH: [], PROVENANCE_GRAPH: []}, add=add)
    store.bulk_extend(derived.inferred)
    written = 0

    def counted() -> Iterator[ox.Quad]:
        nonlocal written
        for quad in derived.provenance():
            written += 1
            if quad != UP_TO_DATE:
                yield quad

    store.bulk_extend(counted())
    store.replace_graphs({}, add=[UP_TO_DATE])
    return written


def infer(store: Store, *, engine: str = "default", provenance: bool = True, progress=None) -> InferenceReport:
    """Recompute the inference graphs from everything asserted in ``store`` and replace them."""
    derived, report = inference_graphs(asserted_quads(store), engine=engine, provenance=provenance, progress=progress)
    report.provenance = write_with_inference(store, {}, derived)
    return report


__all__ = [
    "DERIVED_GRAPHS",
    "ENGINES",
    "INFERRED_GRAPH",
    "OWL",
    "PROVENANCE_GRAPH",
    "derive",
    "infer",
    "inference_graphs",
]
