"""The claim extractor: an article's text in, a reviewable annotation out.

The annotation has the same format as the curated ones beside the seed
articles (:mod:`missilekg.loaders.annotation`), so a person can review, correct and keep
it; the loader then treats it like any curated annotation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import yaml

from missilekg.loaders.annotation import (
    Annotation,
    MentionSpec,
    Metadata,
    NewEntity,
    Period,
    QuantitySpec,
    Span,
    StatementSpec,
    StrikeSpec,
    TransferSpec,
    VenueSpec,
)
from missilekg.loaders.article import ArticleText
from missilekg.loaders.errors import ArticleError
from missilekg.loaders.extract.claims import ArticleReader, Findings, Statement
from missilekg.loaders.extract.dates import TIMELINE_DATE, published_in_text
from missilekg.loaders.extract.identification import identification_of
from missilekg.loaders.extract.lexicon import Lexicon, lexicon
from missilekg.loaders.extract.quantities import Quantity
from missilekg.loaders.extract.text import slug

__all__ = [
    "EXTRACTORS",
    "annotation_yaml",
    "article_lines",
    "extract",
    "extract_many",
    "extractor_name",
    "lexicon",
    "parse_ahead",
    "warm_up",
]

EXTRACTOR_SETTING = "MISSILEKG_EXTRACTOR"
#: "parse": spaCy's parse and entities with the rule reader's dates, counts and events; "rules": regexes only.
EXTRACTORS = ("parse", "rules")

NEW_ENTITY_NOTE = "Found by the extractor; not in the reference vocabulary and not yet linked."
#: Articles whose lines go through spaCy in one stream in :func:`extract_many`.
BATCH_ARTICLES = 32


def extractor_name(name: str | None = None) -> str:
    """The reader to use: the parameter, else ``MISSILEKG_EXTRACTOR``, else ``parse``."""
    chosen = name or os.environ.get(EXTRACTOR_SETTING) or "parse"
    if chosen not in EXTRACTORS:
        raise ValueError(f"unknown extractor {chosen!r}: choose one of {', '.join(EXTRACTORS)}")
    return chosen


def warm_up() -> None:
    """Build what extraction needs once per process (the gazetteer, and the spaCy pipeline for the parse
    reader), so a worker's first article does not pay for it."""
    lexicon()
    if extractor_name() == "parse":
        from missilekg.loaders.extract.nlp import line_parser

        line_parser()


def extract(
    article: ArticleText,
    metadata: Metadata,
    vocabulary: Lexicon | None = None,
    extractor: str | None = None,
    model: str | None = None,
) -> Annotation:
    """Extract mentions, statements, strikes and transfers from one article.

    ``metadata`` is what is known of the article (title, publisher, publication
    date); the publication date anchors relative dates such as "on Friday", and
    without one the article's dateline or date marker does. ``extractor`` picks
    the reader ("parse", the default, or "rules"); ``model`` the spaCy pipeline.
    """
    vocabulary = vocabulary or lexicon()
    published = _day(metadata.published) or metadata.published_after or published_in_text(article.text)
    if extractor_name(extractor) == "rules":
        reader: ArticleReader = ArticleReader(vocabulary, article.text, published)
    else:
        reader = _parse_reader(article, published, vocabulary, model, metadata.author)
    return _annotation(article, metadata, reader.findings(), vocabulary)


def extract_many(
    articles: Iterable[tuple[ArticleText, Metadata]],
    vocabulary: Lexicon | None = None,
    extractor: str | None = None,
    model: str | None = None,
) -> Iterator[Annotation | ArticleError]:
    """Extract many articles, in order: the annotations :func:`extract` gives one by one, sooner.

    With the parse reader, the lines of :data:`BATCH_ARTICLES` articles at a time go through spaCy in one
    stream (:func:`parse_ahead`). An article that cannot be read yields an :class:`ArticleError` naming it
    in its place and the batch goes on; a missing or wrong spaCy pipeline raises, as every article would fail.
    """
    from missilekg.loaders.extract.nlp import ModelError

    pending = iter(articles)
    while group := list(islice(pending, BATCH_ARTICLES)):
        parse_ahead((article.text for article, _ in group), extractor, model)
        for article, metadata in group:
            try:
                yield extract(article, metadata, vocabulary, extractor, model)
            except ModelError:
                raise
            except ArticleError as exc:
                yield exc
            except Exception as exc:  # one article the reader cannot handle must not stop the others
                error = ArticleError(article.file_name, None, f"the extractor failed on this article ({exc!r})")
                error.__cause__ = exc
                yield error


def parse_ahead(texts: Iterable[str], extractor: str | None = None, model: str | None = None) -> None:
    """Parse the lines of many articles in one spaCy stream, so extracting each of them finds its docs parsed.

    Only an optimisation: nothing for the rule reader or when no parsed line is kept
    (``MISSILEKG_KEPT_LINES=0``). Lines over spaCy's length limit, and any a failure leaves unparsed,
    are left to each article's own extraction, where only the bad article fails. A missing or wrong
    pipeline raises :class:`~missilekg.loaders.extract.nlp.ModelError`.
    """
    if extractor_name(extractor) != "parse":
        return
    from missilekg.loaders.extract.nlp import line_parser

    parser = line_parser(model)
    if parser.capacity == 0:
        return  # nothing would be kept for the articles' own extraction
    limit = parser.nlp.max_length
    # What is not parsed here, each article's extraction parses, reporting its own failure.
    with contextlib.suppress(Exception):
        parser.parse(line for text in texts for _, line in article_lines(text) if len(line) <= limit)


def article_lines(text: str) -> list[tuple[int, str]]:
    """The article's non-blank lines with their offsets: the units spaCy parses."""
    return [(m.start(), m.group(0)) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]


#: A wire dateline opening a paragraph: the city in capitals, a country, a date, the agency, a dash.
DATELINE = re.compile(
    r"^[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,2}(?:,\s*[A-Z][A-Za-z'’.]+(?: [A-Z][A-Za-z'’.]+)?)?"
    r"(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?(?:\s*\([A-Za-z .]{1,20}\))?\s*[-—–]{1,2}\s+"
)


def without_dateline(line: str) -> str:
    """The line with a leading dateline, or a timeline entry's date ('-- Oct. 13, 2023:'), blanked to spaces
    (offsets hold)."""
    entry = TIMELINE_DATE.match(line)
    if entry is not None:
        return " " * entry.end() + line[entry.end() :]
    m = DATELINE.match(line)
    if m is None or not ("," in m.group(0) or "(" in m.group(0) or "—" in m.group(0) or "–" in m.group(0)):
        return line  # 'NATO - the alliance…': a bare capitalised word before a hyphen is no dateline
    return " " * m.end() + line[m.end() :]


def _parse_reader(
    article: ArticleText, published: dt.date | None, vocabulary: Lexicon, model: str | None, author: str | None = None
) -> ArticleReader:
    from missilekg.loaders.extract.boilerplate import is_boilerplate
    from missilekg.loaders.extract.nlp import line_parser
    from missilekg.loaders.extract.parse import ParseReader

    text = article.text
    lines = article_lines(text)
    parser = line_parser(model)
    for start, line in lines:
        if len(line) > parser.nlp.max_length:
            raise ArticleError(
                article.file_name,
                text.count("\n", 0, start) + 1,
                f"a line of {len(line):,} characters is over the parser's limit of {parser.nlp.max_length:,}: "
                "break it into paragraphs",
            )
    # Page furniture is parsed for the names it carries ('© 2024 Euronews') but makes no claim.
    furniture = [(start, start + len(line)) for start, line in lines if is_boilerplate(line)]
    # A dateline ('MOSCOW, Feb 20 -', 'KYIV, Ukraine (AP) —') is no subject of the sentence after it.
    docs = parser.docs([without_dateline(line) for _, line in lines])
    parsed = [(start, doc) for (start, _), doc in zip(lines, docs, strict=True)]
    return ParseReader(vocabulary, text, published, parsed, furniture, author)


def _day(value: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])


def _quantity(q: Quantity) -> QuantitySpec:
    return QuantitySpec(value=q.value, hedge=q.hedge, unit=q.unit, text=q.text)  # type: ignore[arg-type]


def _same_place(first: str | None, second: str, vocabulary: Lexicon) -> bool:
    """Whether two strike locations may be one place: equal, or one inside the other."""
    def within(inner: str | None, outer: str | None) -> bool:
        entity = vocabulary.get(inner) if inner else None
        return entity is not None and entity.located_in == outer

    return first == second or within(first, second) or within(second, first)


def _annotation(article: ArticleText, metadata: Metadata, found: Findings, vocabulary: Lexicon) -> Annotation:
    text = article.text
    known = set(vocabulary.entities)
    used: set[str] = set()
    strike_specs: list[StrikeSpec] = []
    strike_ids: dict[int, list[str]] = {}
    for strike in found.strikes:
        weapon = strike.weapons[0].split("/", 1)[1] if strike.weapons else "attack"
        strike_id = f"{strike.date.isoformat()}-{weapon}"
        same = next((s for s in strike_specs if s.id == strike_id), None)
        if same is not None and not _same_place(same.location, strike.location, vocabulary):
            # the same day and weapon somewhere else is another strike ('… Kharkiv on Monday', '… Dnipro on 12 May')
            strike_id = f"{strike.date.isoformat()}-{strike.location.split('/', 1)[1]}-{weapon}"
        if any(s.id == strike_id for s in strike_specs):
            strike_ids.setdefault(strike.start, []).append(f"strike/{strike_id}")
            continue
        told = next((i for i, s in enumerate(strike_specs) if s.date == strike.date and s.location == strike.location
                     and strike.location.startswith("place/")), None)  # fmt: skip
        if told is not None:
            # the same day's strike on the same place told again with another weapon ('a KN-23 and drones hit
            # Kyiv on 24 April … the drones that hit Kyiv that night'): one strike, with both weapons
            earlier = strike_specs[told]
            weapons = list(dict.fromkeys([*earlier.weapons, *strike.weapons]))
            strike_specs[told] = earlier.model_copy(update={"weapons": weapons})
            strike_ids.setdefault(strike.start, []).append(f"strike/{earlier.id}")
            used.update(strike.weapons)
            continue
        strike_specs.append(
            StrikeSpec(
                id=strike_id,
                date=strike.date,
                location=strike.location,
                perpetrator=strike.perpetrator,
                weapons=strike.weapons,
                missiles=_quantity(strike.missiles) if strike.missiles else None,
                evidence=_span(text, strike.start, strike.end),
            )
        )
        strike_ids.setdefault(strike.start, []).append(f"strike/{strike_id}")
        used.update([strike.location, *strike.weapons] + ([strike.perpetrator] if strike.perpetrator else []))
    stem = slug(article.stem)
    transfer_specs: list[TransferSpec] = []
    transfer_ids: dict[int, list[str]] = {}
    for n, t in enumerate(found.transfers, start=1):
        transfer_id = f"{stem}-{t.supplier.split('/')[1]}-to-{t.recipient.split('/')[1]}-{n}"
        transfer_specs.append(
            TransferSpec(
                id=transfer_id,
                kind=t.kind,  # type: ignore[arg-type]
                status=t.status,  # type: ignore[arg-type]
                modality=t.modality,  # type: ignore[arg-type]
                supplier=t.supplier,
                recipient=t.recipient,
                destination=t.destination,
                items=t.items,
                item_text=t.quantity.text if t.quantity else t.goods,
                quantity=_quantity(t.quantity) if t.quantity else None,
                evidence=_span(text, t.start, t.end),
            )
        )
        transfer_ids.setdefault(t.start, []).append(f"transfer/{transfer_id}")
        used.update([t.supplier, t.recipient, *t.items] + ([t.destination] if t.destination else []))
    statement_specs = []
    for n, s in enumerate(found.statements, start=1):
        asserts = [
            ref for start, refs in {**strike_ids, **transfer_ids}.items() if s.start <= start < s.end for ref in refs
        ]
        statement_specs.append(_statement(n, s, text, asserts))
        used.update([s.speaker, *s.weapons, *s.relayed_via])
    mentions = [
        MentionSpec(entity=m.ref, start=m.start, end=m.end, text=m.text)
        for m in found.mentions
        if m.ref in known or m.ref in found.new_entities
    ]
    used.update(m.entity for m in mentions)
    entities = [
        NewEntity(id=ref, label=label, type=kind, role=None)
        for ref, (kind, label) in sorted(found.new_entities.items())
        if ref in used and ref not in known
    ]
    note = metadata.note or "Extracted automatically by missilekg; review before relying on it."
    return Annotation(
        article=article.file_name,
        metadata=metadata.model_copy(update={"note": note}),
        entities=entities,
        mentions=mentions,
        statements=statement_specs,
        strikes=strike_specs,
        transfers=transfer_specs,
    )


def _statement(n: int, s: Statement, text: str, asserts: list[str]) -> StatementSpec:
    derived = s.date is not None and (s.date.derived or s.inherited_from is not None)
    derivation = None
    if s.date is not None and s.inherited_from is not None:
        derivation = f"Not stated in this sentence; the date {s.speaker} spoke elsewhere in the article."
    elif s.date is not None and s.date.derived:
        derivation = s.date.derivation
    venue = None
    if s.venue is not None:
        venue = VenueSpec(
            type=s.venue[0],  # type: ignore[arg-type]  # a str that pydantic checks is a VenueType
            label=s.venue[1][:1].upper() + s.venue[1][1:],
            date=s.date.date if s.date else None,
        )
    return StatementSpec(
        id=f"s{n}-{slug(s.speaker.split('/', 1)[1])}",
        speaker=s.speaker,
        speaker_role=s.role,
        stance=s.stance,  # type: ignore[arg-type]
        date=s.date.date if s.date else None,
        date_derived=derived,
        date_derivation=derivation,
        venue=venue,
        relayed_via=s.relayed_via,
        asserts=asserts,
        about_weapons=s.weapons,
        identified_by=identification_of(text[s.start : s.end]) if s.weapons else [],  # type: ignore[arg-type]
        quantities=[_quantity(q) for q in s.quantities],
        period=_period(s),
        evidence=_span(text, s.start, s.end),
    )


def _period(s: Statement) -> Period | None:
    if s.date is not None and s.date.is_period_bound:
        return Period(start=s.date.date)
    if s.partial is not None:
        p = s.partial
        return Period(start=p.first, end=p.last, text=p.text, precision=p.precision)  # type: ignore[arg-type]
    return None


def annotation_yaml(annotation: Annotation) -> str:
    """The annotation as YAML in the curated layout (sections in order, empty ones left out)."""
    data: dict[str, Any] = annotation.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"article": annotation.article, "metadata": data.get("metadata", {}), **data}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
