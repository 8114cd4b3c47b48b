"""The extractor's gazetteer, read from the ontology's reference vocabulary.

Every name the extractor recognises comes from ``ontology/vocabulary.ttl``:
preferred labels, alternative labels and hidden labels (demonyms such as
"North Korean"). Adding a person or a weapon system to the vocabulary teaches
the extractor its name; nothing about the seed articles is written here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox

from missilekg.ontology import ONTOLOGY_FILE, VOCABULARY_FILE
from missilekg.ontology.namespaces import ID, MKG, RDF, RDFS, SKOS

RDF_TYPE = RDF + "type"
#: Words after a capital that make it the city, not its state: 'Kyiv city authorities', 'the Kyiv mayor'.
LOCAL_NOUN = re.compile(r"(?:['’]s)?[ -](?:city|regional|oblast|region|mayor|police|district)\b", re.IGNORECASE)
LABEL_WEIGHT = {SKOS + "prefLabel": 3, SKOS + "altLabel": 2, SKOS + "hiddenLabel": 1}
LOCATIVE = re.compile(
    r"(?:\b(?:in|to|from|near|at|on|over|outside|around|into|toward|towards|visit(?:ed)?|struck|hit|attacked"
    r"|targeted|shelled|bombed|(?:districts?|outskirts|suburbs?|residents|centre|center|mayor|streets"
    r"|neighbou?rhoods?|areas?|parts?) of)"
    r"\s+(?:the\s+)?)$"
)


@dataclass
class Entity:
    """One vocabulary individual as the extractor sees it."""

    ref: str
    kind: str
    type: str
    label: str = ""
    affiliation: str | None = None
    actor_state: str | None = None
    part_of: str | None = None
    origin: str | None = None
    located_in: str | None = None
    unspecified: bool = False
    role: str = ""
    #: (weight, label): 3 preferred, 2 alternative, 1 hidden (a demonym).
    weighted_labels: list[tuple[int, str]] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        """Every label the entity is known by."""
        return [label for _, label in self.weighted_labels]


@dataclass(frozen=True)
class Match:
    """A name found in the text: where, the exact text, and the entity it names."""

    start: int
    end: int
    text: str
    ref: str


class Lexicon:
    """Names to entities, with the relations the rules need (affiliation, origin, class)."""

    def __init__(self, entities: dict[str, Entity], class_labels: dict[str, list[str]]) -> None:
        self.entities = entities
        self.class_labels = class_labels
        weapon_classes = {e.type for e in entities.values() if e.kind == "weapon" and e.unspecified}
        phrases = sorted(
            {(label, cls) for cls in weapon_classes for label in class_labels.get(cls, [])},
            key=lambda item: len(item[0]),
            reverse=True,
        )
        self._class_of = {label.casefold(): cls for label, cls in phrases}
        self._classes = _alternation([label for label, _ in phrases], re.IGNORECASE, {label for label, _ in phrases})
        by_label: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for entity in entities.values():
            if entity.kind in ("anon", "proposition"):
                continue
            for weight, label in entity.weighted_labels:
                if len(label) < 2:
                    continue
                by_label[_key(label)].append((weight, entity.ref))
        self._by_label = by_label
        countable = {_key(label) for entity in entities.values() if entity.kind == "weapon" for label in entity.labels}
        sensitive = sorted({lab for lab in by_label if not _is_common(lab)}, key=len, reverse=True)
        insensitive = sorted({lab for lab in by_label if _is_common(lab)}, key=len, reverse=True)
        self._sensitive = _alternation(sensitive, 0, countable)
        self._insensitive = _alternation(insensitive, re.IGNORECASE, countable)

    def find(self, text: str) -> list[Match]:
        """Every vocabulary name in ``text``, longest first, without overlaps."""
        found: list[tuple[int, int]] = []
        for pattern in (self._sensitive, self._insensitive):
            if pattern is None:
                continue
            found.extend((m.start(), m.end()) for m in pattern.finditer(text))
        found.sort(key=lambda span: (span[0], -(span[1] - span[0])))
        matches: list[Match] = []
        last_end = -1
        for start, end in found:
            if start < last_end:
                continue
            surface = text[start:end]
            ref = self._resolve(surface, text[max(0, start - 30) : start], text[end : end + 20])
            if ref is None or (ref.startswith("place/") and _next_word(text, end) in LONGER_NAME_WORDS):
                continue
            matches.append(Match(start, end, surface, ref))
            last_end = end
        return matches

    def _resolve(self, surface: str, before: str, after: str = "") -> str | None:
        candidates = self._by_label.get(_key(surface)) or self._by_label.get(_key(_singular(surface)))
        if not candidates and surface.startswith("The "):
            # a name that begins with 'the', at the start of a sentence ('The Kremlin said…')
            candidates = self._by_label.get(_key("the" + surface[3:]))
        if not candidates:
            return None
        places = [ref for _, ref in candidates if ref.startswith("place/")]
        states = [ref for _, ref in candidates if ref.startswith("state/")]
        if places and states:
            # A capital names the place after "in", "to", "from"...; elsewhere it stands for its state.
            local = LOCAL_NOUN.match(after) is not None  # 'Kyiv city authorities', "Kyiv's city administration"
            possessive = after[:2] in ("'s", "’s") and not local
            # 'SEOUL, April 28 (Reuters) -', 'TEHRAN —': a dateline names the city the story was filed from
            dateline = surface.isupper() and len(surface) > 3 and (not before or before.endswith("\n"))
            return places[0] if (LOCATIVE.search(before) and not possessive) or local or dateline else states[0]
        return max(candidates)[1]

    def weapon_classes(self, text: str) -> list[tuple[int, int, str]]:
        """Spans naming a class of weapon ('ballistic missiles', 'launchers'), with the class IRI."""
        if self._classes is None:
            return []
        found = []
        for m in self._classes.finditer(text):
            surface = m.group(0).casefold().replace("’", "'")
            cls = self._class_of.get(surface) or self._class_of.get(_singular(surface))
            if cls is None and surface.endswith("es"):
                cls = self._class_of.get(surface[:-2])
            if cls is not None:
                found.append((m.start(), m.end(), cls))
        return found

    def is_demonym(self, match: Match) -> bool:
        """Whether a match is a hidden label such as 'North Korean' (an adjective, not a name)."""
        entity = self.entities.get(match.ref)
        if entity is None:
            return False
        return any(w == 1 and _key(label) == _key(match.text) for w, label in entity.weighted_labels)

    def get(self, ref: str) -> Entity | None:
        """The entity behind a reference, if the vocabulary has it."""
        return self.entities.get(ref)

    def state_of(self, ref: str) -> str | None:
        """The state an actor speaks for, or a place lies in: affiliations, parent organisations, locations."""
        seen: set[str] = set()
        while ref and ref not in seen:
            seen.add(ref)
            if ref.startswith("state/"):
                return ref
            entity = self.entities.get(ref)
            if entity is None:
                return None
            if entity.actor_state:
                return entity.actor_state
            ref = entity.affiliation or entity.part_of or entity.located_in or ""
        return None

    def belongs_to(self, ref: str, organisation: str) -> bool:
        """Whether an actor is (part of) an organisation or state, through affiliations."""
        seen: set[str] = set()
        todo = [ref]
        while todo:
            current = todo.pop()
            if current == organisation:
                return True
            if current in seen:
                continue
            seen.add(current)
            entity = self.entities.get(current)
            if entity is not None:
                todo.extend(r for r in (entity.affiliation, entity.part_of, entity.actor_state) if r)
        return False

    def unspecified_weapon(self, class_iri: str, origin: str | None) -> str | None:
        """The vocabulary's 'type not stated' weapon of a class and origin, if there is one."""
        for entity in self.entities.values():
            if entity.unspecified and entity.type == class_iri and entity.origin == origin:
                return entity.ref
        return None

    def origins_of(self, class_iri: str) -> set[str]:
        """The states the vocabulary has an unspecified weapon of this class from."""
        return {e.origin for e in self.entities.values() if e.unspecified and e.type == class_iri and e.origin}


def _key(label: str) -> str:
    return label.replace("’", "'").casefold() if _is_common(label) else label.replace("’", "'")


def _is_common(label: str) -> bool:
    """Lower-case labels ('artillery shells') match in any case; names match as written."""
    return label == label.lower()


def _singular(surface: str) -> str:
    return surface[:-1] if surface.endswith("s") else surface


def _alternation(labels: list[str], flags: int, countable: set[str]) -> re.Pattern[str] | None:
    """One regex for many names; names of things that can be counted also match in the plural."""
    if not labels:
        return None
    parts = []
    for label in labels:
        escaped = re.escape(label).replace("'", "['’]")
        if escaped.startswith(r"the\ "):
            escaped = "[Tt]" + escaped[1:]  # 'the Kremlin' opens a sentence as 'The Kremlin'
        parts.append(escaped + ("(?:e?s)?" if label in countable else ""))
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w])", flags)


#: Words after a place's name that make it part of a longer name: "Odesa district" is not the city of Odesa,
#: "the Odesa Regional Military Administration" is an organisation.
LONGER_NAME_WORDS = frozenset({"district", "raion", "hromada", "community", "Regional", "City", "Military", "Oblast"})


def _next_word(text: str, end: int) -> str:
    """The word right after ``end`` (after one space or hyphen), or ''."""
    found = re.match(r"[ -](\w+)", text[end : end + 40])
    return found.group(1) if found else ""


@cache
def lexicon() -> Lexicon:
    """The gazetteer built from the packaged vocabulary and ontology (read once per process)."""
    entities: dict[str, Entity] = {}
    weighted: dict[str, list[tuple[int, str]]] = defaultdict(list)
    class_labels: dict[str, list[str]] = defaultdict(list)
    for quad in ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE):
        if quad.predicate.value in (RDFS + "label", SKOS + "altLabel") and quad.subject.value.startswith(MKG):
            class_labels[quad.subject.value].append(quad.object.value)
    quads = list(ox.parse(path=str(VOCABULARY_FILE), format=ox.RdfFormat.TURTLE))
    for quad in quads:
        subject = quad.subject.value
        if not subject.startswith(ID):
            continue
        ref = subject[len(ID) :]
        entity = entities.setdefault(ref, Entity(ref=ref, kind=ref.split("/", 1)[0], type=""))
        predicate, obj = quad.predicate.value, quad.object
        if predicate in LABEL_WEIGHT and isinstance(obj, ox.Literal) and obj.language in (None, "en"):
            weighted[ref].append((LABEL_WEIGHT[predicate], obj.value))
            if predicate == SKOS + "prefLabel":
                entity.label = obj.value
        elif predicate == RDF_TYPE:
            entity.type = obj.value
        elif predicate == MKG + "affiliation":
            entity.affiliation = obj.value[len(ID) :]
        elif predicate == MKG + "actorState" and obj.value != subject:
            entity.actor_state = obj.value[len(ID) :]
        elif predicate == MKG + "partOfOrganization":
            entity.part_of = obj.value[len(ID) :]
        elif predicate == MKG + "originState":
            entity.origin = obj.value[len(ID) :]
        elif predicate == MKG + "locatedIn":
            entity.located_in = obj.value[len(ID) :]
        elif predicate == MKG + "role":
            entity.role = obj.value
        elif predicate == MKG + "isUnspecified":
            entity.unspecified = obj.value == "true"
    for ref, entity in entities.items():
        labels = weighted.get(ref, [])
        if entity.kind == "weapon" and entity.unspecified:
            # "North Korean ballistic missile (type not stated)" is matched without its note.
            labels = [(w, re.sub(r"\s*\(.*\)$", "", label)) for w, label in labels]
            labels = [(w, label) for w, label in labels if not label.startswith(("missile", "ammunition"))]
        entity.weighted_labels = labels
    return Lexicon(entities, class_labels)
