"""The provenance graph: each derived triple reified with the rule and the premises that derived it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox

from missilekg.graph.reasoning.graphs import PROVENANCE_GRAPH
from missilekg.graph.reasoning.native import RDF, Inference, is_trivial
from missilekg.graph.reasoning.rules import RULE_NAMESPACE, domain_rules
from missilekg.ontology.namespaces import ID, MKG, RDF_TYPE, RDFS_COMMENT, RDFS_LABEL

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


def rule_iri(name: str) -> ox.NamedNode:
    """The IRI of an OWL 2 RL or domain rule, by name."""
    return ox.NamedNode(RULE_NAMESPACE + name)


def triple_iri(triple: ox.Triple) -> ox.NamedNode:
    """A stable IRI for a triple, so provenance nodes are the same on every run."""
    key = str(triple).encode("utf-8")  # pyoxigraph prints a triple in N-Triples syntax
    return ox.NamedNode(f"{ID}triple/{hashlib.sha1(key).hexdigest()[:24]}")


def provenance_quads(inference: Inference, quads: Iterable[ox.Quad] | Callable[[set[ox.Triple]], Iterable[ox.Quad]],
                     derived_before: Callable[[ox.Triple], bool] = lambda _: False) -> Iterator[ox.Quad]:  # fmt: skip
    """The provenance graph: each derived triple reified with its rule and premises.

    ``quads`` are the asserted quads (to tell which graphs assert each premise),
    or a function that gives the asserted quads of the premises it is passed (a
    few lookups instead of a scan, for small incremental runs).
    ``derived_before`` tells, in an incremental run, which premises were derived
    by an earlier run (and are described in the provenance graph already).
    """
    g = PROVENANCE_GRAPH
    subject_, predicate_, object_ = (ox.NamedNode(f"{RDF}{n}") for n in ("subject", "predicate", "object"))
    derived_class, asserted_class = ox.NamedNode(MKG + "DerivedTriple"), ox.NamedNode(MKG + "AssertedTriple")
    derived_by, premise_, asserted_in = (ox.NamedNode(MKG + n) for n in ("derivedBy", "premise", "assertedIn"))

    def reify(node: ox.NamedNode, triple: ox.Triple, kind: ox.NamedNode) -> Iterator[ox.Quad]:
        yield ox.Quad(node, RDF_TYPE, kind, g)
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
    for q in quads(premises_asserted) if callable(quads) else quads:
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
        yield ox.Quad(rule, RDF_TYPE, ox.NamedNode(MKG + "InferenceRule"), g)
        yield ox.Quad(rule, RDFS_LABEL, ox.Literal(name), g)
        comment = OWL_RULES.get(name) or descriptions.get(name)
        if comment:
            yield ox.Quad(rule, RDFS_COMMENT, ox.Literal(comment), g)
