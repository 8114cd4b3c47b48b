"""Map a validated annotation and its article to RDF quads in the article's named graph.

IRIs are deterministic: they are built only from validated ids (lower-case
slugs) and the article's file stem, percent-encoded, so reloading an article
yields the same IRIs and article text never ends up inside an IRI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import quote

import pyoxigraph as ox

from missilekg.loaders.annotation import (
    Annotation,
    Period,
    QuantitySpec,
    Span,
    StatementSpec,
    StrikeSpec,
    TransferSpec,
    WeaponFacts,
)
from missilekg.loaders.article import ArticleText
from missilekg.ontology.namespaces import (
    ENTITIES_GRAPH,
    GRAPH,
    ID,
    MKG,
    OA,
    PROV,
    RDF_TYPE,
    RDFS_LABEL,
    SCHEMA,
    SKOS_PREF_LABEL,
    XSD,
)

SKOS_PREF = SKOS_PREF_LABEL

STANCES = {
    "asserts": "Asserts", "confirms": "Confirms", "accuses": "Accuses", "reports": "Reports",
    "predicts": "Predicts", "speculates": "Speculates", "denies": "Denies",
    "rules_out": "RulesOut", "could_not_verify": "CouldNotVerify", "no_response": "NoResponse",
}  # fmt: skip
HEDGES = {
    "exactly": "Exactly", "at_least": "AtLeast", "over": "Over", "about": "About",
    "likely": "Likely", "several_dozen": "SeveralDozen", "dozens": "Dozens",
    "hundreds": "Hundreds", "hundreds_of_thousands": "HundredsOfThousands", "multiple": "Multiple",
}  # fmt: skip
VENUE_TYPES = {
    "press_conference": "PressConference", "briefing": "Briefing",
    "security_council_meeting": "SecurityCouncilMeeting", "social_media_post": "SocialMediaPost",
    "interview": "Interview", "meeting": "Meeting",
}  # fmt: skip
IDENTIFICATIONS = {
    "debris": "DebrisAnalysis", "markings": "MarkingsOrSerialNumbers", "trajectory": "TrajectoryOrLaunchData",
    "intelligence": "IntelligenceAssessment", "imagery": "Imagery", "official_statement": "OfficialStatementOnly",
}  # fmt: skip
STATUSES = {"delivered": "Delivered", "pledged": "Pledged", "agreed": "Agreed"}
MODALITIES = {
    "requested": "Requested", "speculated": "Speculated", "capability": "Capability",
    "denied": "Denied",
}  # fmt: skip


def mkg(local: str) -> ox.NamedNode:
    """A term of the missilekg ontology."""
    return ox.NamedNode(MKG + local)


def entity(ref: str) -> ox.NamedNode:
    """The IRI of a validated entity reference such as ``person/john-kirby``."""
    return ox.NamedNode(ID + ref)


def article_iri(stem: str) -> ox.NamedNode:
    """The IRI of an article, from its file stem (percent-encoded).

    >>> article_iri("000_abc").value
    'https://missilekg.org/id/article/000_abc'
    >>> article_iri('bad "name" <x>').value
    'https://missilekg.org/id/article/bad%20%22name%22%20%3Cx%3E'
    """
    return ox.NamedNode(ID + "article/" + quote(stem, safe=""))


def article_graph(stem: str) -> ox.NamedNode:
    """The named graph that holds everything asserted by one article."""
    return ox.NamedNode(GRAPH + "article/" + quote(stem, safe=""))


def _date(value: dt.date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))


def _decimal(value: float) -> ox.Literal:
    number = Decimal(str(value))
    text = format(number.quantize(Decimal(1)) if number == number.to_integral() else number, "f")
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))


def _bool(value: bool) -> ox.Literal:
    return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


class _Mapper:
    """Collects the triples of one article; every triple goes into the article's graph."""

    def __init__(self, annotation: Annotation, article: ArticleText) -> None:
        self.annotation = annotation
        self.article = article
        self.stem = quote(article.stem, safe="")
        self.article_node = article_iri(article.stem)
        self.graph = article_graph(article.stem)
        self.triples: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = []
        self.shared: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = []

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal | None) -> None:
        if o is not None:
            self.triples.append((s, p, o))

    def text(self, s: ox.NamedNode, p: ox.NamedNode, value: str | None) -> None:
        if value:
            self.add(s, p, ox.Literal(value))

    # -- shared pieces -------------------------------------------------------

    def evidence(self, owner: ox.NamedNode, key: str, span: Span) -> ox.NamedNode:
        node = ox.NamedNode(f"{ID}evidence/{self.stem}/{key}")
        position, quote_node = (
            ox.NamedNode(node.value + "/position"),
            ox.NamedNode(node.value + "/quote"),
        )
        self.add(owner, mkg("evidence"), node)
        self.add(node, RDF_TYPE, ox.NamedNode(OA + "SpecificResource"))
        self.add(node, ox.NamedNode(OA + "hasSource"), self.article_node)
        self.add(node, ox.NamedNode(OA + "hasSelector"), position)
        self.add(node, ox.NamedNode(OA + "hasSelector"), quote_node)
        self.add(position, RDF_TYPE, ox.NamedNode(OA + "TextPositionSelector"))
        self.add(position, ox.NamedNode(OA + "start"), ox.Literal(span.start))
        self.add(position, ox.NamedNode(OA + "end"), ox.Literal(span.end))
        self.add(quote_node, RDF_TYPE, ox.NamedNode(OA + "TextQuoteSelector"))
        self.add(quote_node, ox.NamedNode(OA + "exact"), ox.Literal(span.text))
        return node

    def quantity(self, owner: ox.NamedNode, prop: str, key: str, spec: QuantitySpec) -> None:
        node = ox.NamedNode(f"{ID}quantity/{self.stem}/{key}")
        self.add(owner, mkg(prop), node)
        self.add(node, RDF_TYPE, mkg("Quantity"))
        self.add(node, RDFS_LABEL, _en(f"{spec.text} ({spec.unit})"))
        if spec.value is not None:
            self.add(node, mkg("value"), _decimal(spec.value))
        self.text(node, mkg("unit"), spec.unit)
        self.add(node, mkg("hedge"), mkg(HEDGES[spec.hedge]))
        self.text(node, mkg("quantityText"), spec.text)
        self.text(node, mkg("countOf"), spec.count_of)

    def period(self, owner: ox.NamedNode, period: Period | None) -> None:
        if period is None:
            return
        if period.start:
            self.add(owner, mkg("periodStart"), _date(period.start))
        if period.end:
            self.add(owner, mkg("periodEnd"), _date(period.end))
        self.text(owner, mkg("periodText"), period.text)

    # -- sections ------------------------------------------------------------

    def map_article(self) -> None:
        meta, node = self.annotation.metadata, self.article_node
        self.add(node, RDF_TYPE, mkg("Article"))
        self.add(node, RDFS_LABEL, _en(meta.title or self.article.file_name))
        self.text(node, ox.NamedNode(SCHEMA + "headline"), meta.title)
        if meta.publisher:
            self.add(node, mkg("publisher"), entity(meta.publisher))
        if meta.author:
            self.add(node, mkg("author"), entity(meta.author))
        if isinstance(meta.published, dt.datetime):
            self.add(
                node,
                mkg("datePublished"),
                ox.Literal(meta.published.isoformat(), datatype=ox.NamedNode(XSD + "dateTime")),
            )
        elif isinstance(meta.published, dt.date):
            self.add(node, mkg("datePublished"), _date(meta.published))
        if meta.published_after:
            self.add(node, mkg("publishedAfter"), _date(meta.published_after))
        if meta.url:
            self.add(node, ox.NamedNode(SCHEMA + "url"), ox.NamedNode(meta.url))
        self.text(node, mkg("note"), meta.note)
        self.text(node, mkg("fileName"), self.article.file_name)
        self.text(node, mkg("sha256"), self.article.sha256)
        self.add(node, mkg("text"), ox.Literal(self.article.text))

    def map_entities(self) -> None:
        """New entities are described in the shared entities graph; the article links to them."""
        for spec in self.annotation.entities:
            node = entity(spec.id)
            self.shared.append((node, RDF_TYPE, mkg(spec.type)))
            self.shared.append((node, SKOS_PREF, _en(spec.label)))
            if spec.role:
                self.shared.append((node, mkg("role"), ox.Literal(spec.role)))
            if spec.affiliation:
                self.shared.append((node, mkg("affiliation"), entity(spec.affiliation)))
            self.shared.append((node, mkg("linkStatus"), ox.Literal("not yet linked")))
            self.add(self.article_node, mkg("introduces"), node)

    def map_mentions(self) -> None:
        for mention in self.annotation.mentions:
            key = f"mention-{mention.start}-{mention.end}"
            node = ox.NamedNode(f"{ID}mention/{self.stem}/{mention.start}-{mention.end}")
            self.add(self.article_node, mkg("mentions"), entity(mention.entity))
            self.add(node, RDF_TYPE, mkg("Mention"))
            self.add(node, ox.NamedNode(OA + "hasBody"), entity(mention.entity))
            target = self.evidence(node, key, Span(start=mention.start, end=mention.end, text=mention.text))
            self.add(node, ox.NamedNode(OA + "hasTarget"), target)

    def map_statement(self, spec: StatementSpec) -> None:
        node = ox.NamedNode(f"{ID}statement/{self.stem}/{spec.id}")
        self.add(node, RDF_TYPE, mkg("Statement"))
        self.add(node, RDFS_LABEL, _en(f"Statement {spec.id} in {self.article.stem}"))
        self.add(node, mkg("speaker"), entity(spec.speaker))
        self.text(node, mkg("speakerRole"), spec.speaker_role)
        self.add(node, mkg("stance"), mkg(STANCES[spec.stance]))
        if spec.date:
            self.add(node, mkg("dateStated"), _date(spec.date))
            self.add(node, mkg("dateDerived"), _bool(spec.date_derived))
            self.text(node, mkg("dateDerivation"), spec.date_derivation)
        if spec.venue:
            self.map_venue(node, spec)
        self.add(node, mkg("reportedIn"), self.article_node)
        for ref in spec.relayed_via:
            self.add(node, mkg("relayedVia"), entity(ref))
        for ref in spec.asserts:
            self.add(node, mkg("asserts"), entity(ref))
        for ref in spec.about_weapons:
            self.add(node, mkg("aboutWeapon"), entity(ref))
        for basis in spec.identified_by:
            self.add(node, mkg("identifiedBy"), mkg(IDENTIFICATIONS[basis]))
        if spec.about_statement:
            self.add(
                node,
                mkg("aboutStatement"),
                ox.NamedNode(f"{ID}statement/{self.stem}/{spec.about_statement}"),
            )
        for n, quantity in enumerate(spec.quantities, start=1):
            self.quantity(node, "quantity", f"statement-{spec.id}-{n}", quantity)
        self.period(node, spec.period)
        self.text(node, mkg("accuracyRemark"), spec.accuracy)
        self.text(node, mkg("note"), spec.note)
        self.evidence(node, f"statement-{spec.id}", spec.evidence)
        self.text(node, mkg("evidenceText"), spec.evidence.text)

    def map_venue(self, statement: ox.NamedNode, spec: StatementSpec) -> None:
        venue = spec.venue
        assert venue is not None
        if venue.date and venue.host:
            host = venue.host.replace("/", "-")
            node = ox.NamedNode(f"{ID}venue/{venue.type.replace('_', '-')}/{venue.date.isoformat()}/{host}")
        else:
            node = ox.NamedNode(f"{ID}venue/{self.stem}/{spec.id}")
        self.add(statement, mkg("venue"), node)
        self.add(node, RDF_TYPE, mkg("Venue"))
        self.add(node, RDFS_LABEL, _en(venue.label))
        self.add(node, mkg("venueType"), mkg(VENUE_TYPES[venue.type]))
        if venue.host:
            self.add(node, mkg("venueHost"), entity(venue.host))
        if venue.date:
            self.add(node, mkg("venueDate"), _date(venue.date))
        if venue.place:
            self.add(node, ox.NamedNode(PROV + "atLocation"), entity(venue.place))

    def map_strike(self, spec: StrikeSpec) -> None:
        node = entity(f"strike/{spec.id}")
        self.add(node, RDF_TYPE, mkg("Strike"))
        self.add(node, mkg("reportedIn"), self.article_node)
        if spec.date:
            self.add(node, mkg("strikeDate"), _date(spec.date))
        self.period(node, spec.period)
        if spec.location:
            self.add(node, mkg("strikeLocation"), entity(spec.location))
        if spec.perpetrator:
            self.add(node, mkg("perpetrator"), entity(spec.perpetrator))
        for ref in spec.weapons:
            self.add(node, mkg("weaponUsed"), entity(ref))
        if spec.missiles:
            self.quantity(node, "missileCount", f"strike-{spec.id}-missiles", spec.missiles)
        if spec.casualties:
            self.quantity(node, "casualties", f"strike-{spec.id}-casualties", spec.casualties)
        self.text(node, mkg("targetType"), spec.target)
        self.text(node, mkg("accuracyRemark"), spec.accuracy)
        self.text(node, mkg("impactRemark"), spec.impact)
        self.evidence(node, f"strike-{spec.id}", spec.evidence)

    def map_transfer(self, spec: TransferSpec) -> None:
        node = entity(f"transfer/{spec.id}")
        if spec.kind == "transfer":
            self.add(node, RDF_TYPE, mkg("Transfer"))
            self.add(node, mkg("transferStatus"), mkg(STATUSES[spec.status or ""]))
        else:
            self.add(node, RDF_TYPE, mkg("UnrealisedTransfer"))
            self.add(node, mkg("modality"), mkg(MODALITIES[spec.modality or ""]))
        self.add(node, mkg("reportedIn"), self.article_node)
        for key in ("supplier", "recipient", "destination"):
            ref = getattr(spec, key)
            if ref:
                self.add(node, mkg(key), entity(ref))
        for ref in spec.items:
            self.add(node, mkg("item"), entity(ref))
        self.text(node, mkg("itemText"), spec.item_text)
        if spec.quantity:
            self.quantity(node, "transferQuantity", f"transfer-{spec.id}", spec.quantity)
        self.period(node, spec.period)
        self.text(node, mkg("route"), spec.route)
        self.evidence(node, f"transfer-{spec.id}", spec.evidence)

    def map_weapon(self, n: int, spec: WeaponFacts) -> None:
        node = entity(spec.id)
        self.text(node, mkg("weaponClassLabel"), spec.class_label)
        if spec.range:
            self.quantity(node, "range", f"weapon-{n}-range", spec.range)
        for ref in spec.comparable_to:
            self.add(node, mkg("comparableTo"), entity(ref))
        self.text(node, mkg("accuracyRemark"), spec.accuracy)
        self.evidence(node, f"weapon-{n}", spec.evidence)

    def run(self) -> Iterator[ox.Quad]:
        self.map_article()
        self.map_entities()
        self.map_mentions()
        for statement in self.annotation.statements:
            self.map_statement(statement)
        for strike in self.annotation.strikes:
            self.map_strike(strike)
        for transfer in self.annotation.transfers:
            self.map_transfer(transfer)
        for n, weapon in enumerate(self.annotation.weapons, start=1):
            self.map_weapon(n, weapon)
        seen: set[tuple[object, object, object]] = set()
        for triple in self.triples:
            if triple not in seen:
                seen.add(triple)
                yield ox.Quad(*triple, self.graph)
        shared = ox.NamedNode(ENTITIES_GRAPH)
        for triple in dict.fromkeys(self.shared):
            yield ox.Quad(*triple, shared)


def annotation_to_quads(annotation: Annotation, article: ArticleText) -> list[ox.Quad]:
    """All quads an article contributes, without duplicates: its own named graph, and the
    descriptions of new entities it introduces in the shared entities graph (see :func:`split_shared`)."""
    return list(_Mapper(annotation, article).run())


def split_shared(quads: list[ox.Quad], graph: ox.NamedNode) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """An article's quads as (those of its own graph, those it adds to shared graphs)."""
    own = [q for q in quads if q.graph_name == graph]
    return own, [q for q in quads if q.graph_name != graph]
