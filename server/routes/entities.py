"""Entity pages: every IRI the graph mints (``https://missilekg.org/id/…``) dereferences as Linked Data.

``/id/<path>`` answers for ``https://missilekg.org/id/<path>``: an HTML page for
browsers (its label and types, what it says and what points to it, and for
anything with evidence the sentence highlighted in the article's text), or
the triples about it (outgoing, and incoming from the asserted and inferred
graphs) in Turtle, N-Triples, RDF/XML or JSON-LD for ``Accept: text/turtle``
and friends. Each inferred value has a "why" link: ``?why=<the triple in
N-Triples>`` shows the proof, derived when asked for
(:mod:`missilekg.graph.reasoning.explain`), at the top of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from missilekg.graph.io.titles import Titles
from missilekg.graph.reasoning.explain import Explainer, ExplainError, Explanation, rule_meaning
from missilekg.graph.reasoning.graphs import DERIVED_GRAPHS, INFERRED_GRAPH, PROVENANCE_GRAPH
from missilekg.graph.store.base import Store, select
from missilekg.ontology.namespaces import GRAPH, ID, MKG, OA, PREFIXES, RDF_TYPE, SCHEMA, SKOS
from missilekg.server.accept import best_match
from missilekg.server.analyses import disputes_about
from missilekg.server.charts import Neighbour, neighbourhood_svg
from missilekg.server.formats import GRAPH_TYPES
from missilekg.server.http import ProtocolError, dataset, respond

bp = Blueprint("entities", __name__, url_prefix="/id")

KINDS = ("Statement", "Strike", "Transfer", "Article", "Person", "NewsOutlet", "Organization", "State",
         "AnonymousSource", "Place", "WeaponSystem")  # fmt: skip
HIDDEN_IN_GRAPH = (
    RDF_TYPE.value, MKG + "evidence", MKG + "mentions",
    OA + "hasBody", OA + "hasSource", SKOS + "exactMatch", SCHEMA + "mentions",
)  # fmt: skip
#: Links left out of "what points to it": each evidence span points to its article (the claims show them).
HIDDEN_INCOMING = (OA + "hasSource",)


@dataclass
class Link:
    """A value on a page: its text, and where it goes (a local entity page, or an outside IRI)."""

    text: str
    href: str | None = None
    #: For an inferred value, the page that says why it holds.
    why: str | None = None


def local_href(term: ox.NamedNode) -> str | None:
    """The path of this server's page for an IRI the graph minted, else None."""
    return "/id/" + term.value[len(ID) :] if term.value.startswith(ID) else None


class Page:
    """What the HTML page of one entity shows, read from the store with SPARQL."""

    def __init__(self, store: Store, iri: ox.NamedNode) -> None:
        self.store, self.iri = store, iri
        self.titles = Titles(store)

    def label(self, term: ox.NamedNode) -> str:
        """What a reader calls the entity: a statement by speaker, date and claim, a strike by place and date…"""
        return self.titles.title(term)

    def link(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Link:
        """A value as text and link."""
        if isinstance(term, ox.NamedNode):
            return Link(self.label(term), local_href(term) or term.value)
        return Link(term.value)

    def rows(self, direction: str) -> list[tuple[Link, list[Link]]]:
        """Properties and their values: outgoing (``out``) or incoming (``in``), provenance left out; inferred
        values link to why they hold."""
        if direction == "out":
            inferred = f"EXISTS {{ GRAPH {INFERRED_GRAPH} {{ {self.iri} ?p ?v }} }}"
            query = (f"SELECT DISTINCT ?p ?v ?inferred WHERE {{ {self.iri} ?p ?v "
                     f"BIND ({inferred} AS ?inferred) }} ORDER BY ?p ?v")  # fmt: skip
        else:
            hidden = ", ".join(f"<{p}>" for p in HIDDEN_INCOMING)
            inferred = f"EXISTS {{ GRAPH {INFERRED_GRAPH} {{ ?v ?p {self.iri} }} }}"
            query = (f"SELECT DISTINCT ?p ?v ?inferred WHERE {{ GRAPH ?g {{ ?v ?p {self.iri} }} "
                     f"FILTER (?g != {PROVENANCE_GRAPH} && ?p NOT IN ({hidden})) BIND ({inferred} AS ?inferred) }} "
                     "ORDER BY ?p ?v LIMIT 500")  # fmt: skip
        grouped: dict[str, list[Link]] = {}
        for row in select(self.store, query):
            link = self.link(row["v"])
            if row["inferred"].value == "true":
                subject, obj = (self.iri, row["v"]) if direction == "out" else (row["v"], self.iri)
                link.why = why_href(self.iri, ox.Triple(subject, row["p"], obj))
            grouped.setdefault(row["p"].value, []).append(link)
        return [(Link(self.label(ox.NamedNode(p)), local_href(ox.NamedNode(p)) or p), values)
                for p, values in grouped.items()]  # fmt: skip

    def types(self) -> list[Link]:
        """The entity's classes in the ontology's namespace (the inferred superclasses too)."""
        query = f"SELECT DISTINCT ?t WHERE {{ {self.iri} a ?t FILTER STRSTARTS(STR(?t), '{MKG}') }} ORDER BY ?t"
        return [self.link(row["t"]) for row in select(self.store, query)]

    def neighbours(self, limit: int = 14) -> list[Neighbour]:
        """The entities one asserted link away, for the graph view: one node each, this graph's own first."""
        hidden = ", ".join(f"<{p}>" for p in HIDDEN_IN_GRAPH)
        derived = ", ".join(str(g) for g in DERIVED_GRAPHS)
        query = f"""SELECT DISTINCT ?p ?v ?out WHERE {{
            {{ GRAPH ?g {{ {self.iri} ?p ?v }} BIND (true AS ?out) }}
            UNION {{ GRAPH ?g {{ ?v ?p {self.iri} }} BIND (false AS ?out) }}
            FILTER (?g NOT IN ({derived}) && isIRI(?v) && ?v != {self.iri} && ?p NOT IN ({hidden}))
        }} ORDER BY DESC(STRSTARTS(STR(?v), "{ID}")) ?v ?p LIMIT 200"""
        grouped: dict[tuple[str, bool], list[str]] = {}
        terms: dict[str, ox.NamedNode] = {}
        for row in select(self.store, query):
            value, outgoing = row["v"], row["out"].value == "true"
            terms[value.value] = value
            labels = grouped.setdefault((value.value, outgoing), [])
            label = self.label(row["p"])
            if label not in labels:
                labels.append(label)
        found = []
        for (value, outgoing), props in list(grouped.items())[:limit]:
            term = terms[value]
            found.append(
                Neighbour(self.label(term), local_href(term), self.kind(term), " / ".join(props[:2]), outgoing)
            )
        return found

    def kind(self, term: ox.NamedNode) -> str:
        """The broadest class of the ontology the entity belongs to (for the graph view's colours)."""
        types = {row["t"].value[len(MKG) :] for row in select(self.store, f"SELECT ?t WHERE {{ {term} a ?t }}")
                 if row["t"].value.startswith(MKG)}  # fmt: skip
        return next((kind for kind in KINDS if kind in types), "")

    def evidence(self) -> list[dict[str, Any]]:
        """Each evidence span: the article, and its text with the span marked."""
        query = f"""
            SELECT ?article ?text ?start ?end WHERE {{
              {self.iri} <{MKG}evidence> ?ev .
              ?ev <{OA}hasSource> ?article ; <{OA}hasSelector> ?pos .
              ?pos <{OA}start> ?start ; <{OA}end> ?end .
              ?article <{MKG}text> ?text .
            }} ORDER BY ?article ?start"""
        found = []
        for row in select(self.store, query):
            text, start, end = row["text"].value, int(row["start"].value), int(row["end"].value)
            before, span, after = text[max(0, start - 600) : start], text[start:end], text[end : end + 600]
            highlighted = Markup(f"{'…' if start > 600 else ''}{escape(before)}<mark>{escape(span)}</mark>"
                                 f"{escape(after)}{'…' if end + 600 < len(text) else ''}")  # fmt: skip
            found.append({"article": self.link(row["article"]), "passage": highlighted, "quote": span})
        return found

    def why(self, triple: ox.Triple) -> dict[str, Any]:
        """The proof of ``triple`` for the page: the tree with linked terms, or the reason there is none."""
        try:
            proof = Explainer(self.store).explain(triple)
        except ExplainError as exc:
            return {"title": self.sentence(triple), "error": str(exc)}
        if proof is None:
            return {"title": self.sentence(triple), "error": "The graph neither states nor derives this."}
        return {"title": self.sentence(triple), "tree": self.node(proof)}

    def node(self, proof: Explanation) -> dict[str, Any]:
        """One step of a proof: the triple as linked terms, and its rule and premises or the graphs stating it."""
        return {
            "terms": [self.link(term) for term in terms(proof.triple)],
            "rule": proof.rule,
            "meaning": rule_meaning(proof.rule) if proof.rule else "",
            "graphs": [graph_link(graph) for graph in proof.graphs],
            "premises": [self.node(premise) for premise in proof.premises],
        }

    def sentence(self, triple: ox.Triple) -> str:
        """A triple in the page's words: labels of its terms."""
        return " ".join(self.link(term).text for term in terms(triple))


def terms(triple: ox.Triple) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
    """A triple's subject, predicate and object (a quoted triple among them, which the data never has, is left out)."""
    return [term for term in (triple.subject, triple.predicate, triple.object) if not isinstance(term, ox.Triple)]


def graph_link(graph: str) -> Link:
    """A named graph where a premise is asserted: an article's graph links to the article's page."""
    stem = graph.removeprefix(GRAPH + "article/")
    return Link(graph, f"/id/article/{stem}" if stem != graph else None)


def why_href(iri: ox.NamedNode, triple: ox.Triple) -> str:
    """The link from ``iri``'s page to the proof of ``triple`` (one of its triples)."""
    return f"{local_href(iri)}?{urlencode({'why': str(triple)})}#why"


def read_why(text: str, iri: ox.NamedNode) -> ox.Triple:
    """The triple a ``why`` parameter names (N-Triples, about the page's entity); a 400 when it is not one."""
    try:
        triples = list(ox.parse(text.strip() + " .", format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        raise ProtocolError(400, f"why: not a triple in N-Triples: {exc}") from exc
    if len(triples) != 1 or iri not in (triples[0].subject, triples[0].object):
        raise ProtocolError(400, f"why: expected one triple about <{iri.value}>")
    return triples[0]


@bp.get("/<path:local>")
def entity(local: str) -> ResponseReturnValue:
    """The entity ``https://missilekg.org/id/<local>``, as HTML or as RDF by ``Accept``."""
    try:
        iri = ox.NamedNode(ID + local)
    except ValueError as exc:
        raise ProtocolError(400, f"not an IRI: {exc}") from exc
    store = dataset(current_app).reader()
    if not bool(store.query(f"ASK {{ {{ {iri} ?p ?o }} UNION {{ ?s ?p {iri} }} }}")):
        raise ProtocolError(404, f"nothing is known about <{iri.value}>")
    best = best_match(request.headers.get("Accept"), ["text/html", *GRAPH_TYPES]) or "text/html"
    if best != "text/html":
        fmt = GRAPH_TYPES[best]
        triples = store.query(f"""CONSTRUCT {{ {iri} ?p ?o . ?s ?q {iri} }} WHERE {{
            {{ {iri} ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?q {iri} }} FILTER (?g != {PROVENANCE_GRAPH}) }} }}""")
        assert isinstance(triples, ox.QueryTriples)  # a CONSTRUCT
        assert isinstance(fmt.writer, ox.RdfFormat)  # every graph format has an RDF syntax
        body = ox.serialize(sorted(set(triples), key=str), format=fmt.writer, prefixes=PREFIXES)
        assert body is not None  # no output given: serialize returns the bytes
        return respond(body, fmt.content_type)
    page = Page(store, iri)
    asked = request.args.get("why")
    why = page.why(read_why(asked, iri)) if asked is not None else None
    title = page.label(iri)
    graph = neighbourhood_svg(title, page.kind(iri), page.neighbours())
    html = render_template("entity.html", iri=iri.value, title=title, types=page.types(), graph=graph,
                           outgoing=page.rows("out"), incoming=page.rows("in"), evidence=page.evidence(),
                           disputes=disputes_about(store, iri.value), why=why)  # fmt: skip
    response = respond(html.encode("utf-8"), "text/html; charset=utf-8")
    response.headers["Link"] = f'<{request.path}>; rel="alternate"; type="text/turtle"'
    return response
