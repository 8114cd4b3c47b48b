"""The curated annotation format: a reviewable YAML file beside each article.

The extractor (a later stage) writes the same format, so a person can review
and correct it before it is loaded. Validation reports the file, the line and
what is wrong, so a curator can fix a broken annotation without guessing.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from missilekg.loaders.errors import AnnotationError

ENTITY_KINDS = ("state", "org", "person", "anon", "place", "weapon", "proposition")
ENTITY_REF = re.compile(rf"^({'|'.join(ENTITY_KINDS)})/[a-z0-9][a-z0-9-]*$")
LOCAL_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

Stance = Literal[
    "asserts",
    "confirms",
    "accuses",
    "reports",
    "predicts",
    "speculates",
    "denies",
    "rules_out",
    "could_not_verify",
    "no_response",
]
HedgeName = Literal[
    "exactly",
    "at_least",
    "over",
    "about",
    "likely",
    "several_dozen",
    "dozens",
    "hundreds",
    "hundreds_of_thousands",
    "multiple",
]
VenueType = Literal[
    "press_conference", "briefing", "security_council_meeting", "social_media_post", "interview",
    "meeting",
]  # fmt: skip
#: How a claim says the weapon was identified (ontology: the mkg:IdentificationEvidenceTypes scheme).
IdentificationName = Literal["debris", "markings", "trajectory", "intelligence", "imagery", "official_statement"]
LocalId = Annotated[str, Field(pattern=LOCAL_ID.pattern, max_length=120)]
EntityRef = Annotated[str, Field(pattern=ENTITY_REF.pattern, max_length=160)]
StrikeRef = Annotated[str, Field(pattern=r"^strike/[a-z0-9][a-z0-9-]*$", max_length=160)]
TransferRef = Annotated[str, Field(pattern=r"^transfer/[a-z0-9][a-z0-9-]*$", max_length=160)]
AssertedRef = Annotated[
    str,
    Field(pattern=r"^(strike|transfer|proposition)/[a-z0-9][a-z0-9-]*$", max_length=160),
]


class Strict(BaseModel):
    """Base model: unknown keys are errors, so a typo never silently drops data."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Span(Strict):
    """A span of the article text: code-point offsets and the exact text there."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str = Field(min_length=1)

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: int, info: Any) -> int:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(f"end ({end}) must be greater than start ({start})")
        return end


class QuantitySpec(Strict):
    """A hedged number with its unit, e.g. 'at least 24 missiles'."""

    value: float | None = None
    hedge: HedgeName
    unit: str = Field(min_length=1)
    text: str = Field(min_length=1)
    count_of: str | None = None


class Period(Strict):
    """The period a claim or event covers: dates, and/or the words used."""

    start: dt.date | None = None
    end: dt.date | None = None
    text: str | None = None
    #: How precisely the text fixes the period: "in June" is a month, "in 2023" a year (optional).
    precision: Literal["day", "month", "year"] | None = None


class VenueSpec(Strict):
    """Where a statement was made."""

    type: VenueType
    label: str = Field(min_length=1)
    host: EntityRef | None = None
    date: dt.date | None = None
    place: EntityRef | None = None


class Metadata(Strict):
    """What is known of the article itself."""

    title: str | None = None
    publisher: EntityRef | None = None
    author: EntityRef | None = None
    published: dt.datetime | dt.date | None = None
    published_after: dt.date | None = None
    url: str | None = None
    note: str | None = None


class MentionSpec(Strict):
    """One occurrence of an entity's name in the article."""

    entity: EntityRef
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str = Field(min_length=1)


class NewEntity(Strict):
    """An entity the reference vocabulary does not know yet (not yet linked)."""

    id: EntityRef
    label: str = Field(min_length=1)
    type: Literal["Person", "Organization", "NewsOutlet", "State", "AnonymousSource", "Place"] | str
    role: str | None = None
    affiliation: EntityRef | None = None


class StatementSpec(Strict):
    """A claim: speaker, stance, date stated, venue, what it asserts, evidence."""

    id: LocalId
    speaker: EntityRef
    speaker_role: str | None = None
    stance: Stance
    date: dt.date | None = None
    date_derived: bool = False
    date_derivation: str | None = None
    venue: VenueSpec | None = None
    relayed_via: list[EntityRef] = []
    asserts: list[AssertedRef] = []
    about_weapons: list[EntityRef] = []
    about_statement: LocalId | None = None
    identified_by: list[IdentificationName] = []
    quantities: list[QuantitySpec] = []
    period: Period | None = None
    accuracy: str | None = None
    note: str | None = None
    evidence: Span

    @field_validator("date_derivation")
    @classmethod
    def _derivation_needs_flag(cls, text: str | None, info: Any) -> str | None:
        if text and not info.data.get("date_derived"):
            raise ValueError("date_derivation is given but date_derived is not true")
        return text


class StrikeSpec(Strict):
    """A strike as this article describes it; its id is shared across articles."""

    id: LocalId
    date: dt.date | None = None
    period: Period | None = None
    location: EntityRef | None = None
    perpetrator: EntityRef | None = None
    weapons: list[EntityRef] = []
    missiles: QuantitySpec | None = None
    casualties: QuantitySpec | None = None
    target: str | None = None
    accuracy: str | None = None
    impact: str | None = None
    evidence: Span


class TransferSpec(Strict):
    """A transfer (delivered, pledged, agreed) or an unrealised one (requested, denied...)."""

    id: LocalId
    kind: Literal["transfer", "unrealised"]
    status: Literal["delivered", "pledged", "agreed"] | None = None
    modality: Literal["requested", "speculated", "capability", "denied"] | None = None
    supplier: EntityRef | None = None
    recipient: EntityRef | None = None
    destination: EntityRef | None = None
    items: list[EntityRef] = []
    item_text: str | None = None
    quantity: QuantitySpec | None = None
    period: Period | None = None
    route: str | None = None
    evidence: Span

    @field_validator("modality")
    @classmethod
    def _kind_matches(cls, modality: str | None, info: Any) -> str | None:
        kind, status = info.data.get("kind"), info.data.get("status")
        if kind == "transfer" and (status is None or modality is not None):
            raise ValueError("a transfer needs a status and no modality")
        if kind == "unrealised" and (modality is None or status is not None):
            raise ValueError("an unrealised transfer needs a modality and no status")
        return modality


class WeaponFacts(Strict):
    """What the article says about a weapon system: range, comparisons, class."""

    id: EntityRef
    class_label: str | None = None
    range: QuantitySpec | None = None
    comparable_to: list[EntityRef] = []
    accuracy: str | None = None
    evidence: Span


class Annotation(Strict):
    """Everything curated for one article."""

    article: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    metadata: Metadata
    entities: list[NewEntity] = []
    mentions: list[MentionSpec] = []
    statements: list[StatementSpec] = []
    strikes: list[StrikeSpec] = []
    transfers: list[TransferSpec] = []
    weapons: list[WeaponFacts] = []


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping and list item."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> list[Any]:
    items = LineList(loader.construct_sequence(node, deep=True))
    items.item_lines = [child.start_mark.line + 1 for child in node.value]
    return items


class LineDict(dict):
    """A dict that knows the line it started on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    """A list that knows the line of each item."""

    item_lines: list[int]


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """A date-like scalar that is not a real date (2024-13-45) stays text, so validation names its line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def line_of(document: Any, location: tuple[int | str, ...]) -> int | None:
    """Walk a location (keys and indexes) through the line-aware YAML tree to the nearest line."""
    line: int | None = getattr(document, "line", None)
    node = document
    for step in location:
        if isinstance(node, LineDict) and isinstance(step, str):
            line = node.key_lines.get(step, line)
            node = node.get(step)
        elif isinstance(node, LineList) and isinstance(step, int) and step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line


def parse_annotation(text: str, source: str) -> tuple[Annotation, Any]:
    """Parse and validate annotation YAML; return the model and the raw line-aware tree.

    Raises :class:`AnnotationError` naming ``source``, the line and the problem.

    >>> parse_annotation("article: a.txt\\nmetadata: {}\\nbogus: 1\\n", "a.yaml")
    Traceback (most recent call last):
    ...
    missilekg.loaders.errors.AnnotationError: a.yaml:3: bogus: unknown property
    """
    try:
        document = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise AnnotationError(source, line, f"invalid YAML: {problem}") from exc
    if not isinstance(document, dict):
        raise AnnotationError(source, 1, "the annotation must be a YAML mapping")
    try:
        return Annotation.model_validate(document), document
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(step) for step in first["loc"])
        message = "unknown property" if first["type"] == "extra_forbidden" else first["msg"]
        raise AnnotationError(source, line_of(document, first["loc"]), f"{where}: {message}") from exc


def read_annotation(path: Path) -> tuple[Annotation, Any]:
    """Read and validate the annotation file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise AnnotationError(str(path), None, f"not valid UTF-8 ({exc.reason})") from exc
    return parse_annotation(text, str(path))
