"""spaCy's attribute ruler with its rules indexed, for the same token attributes at a fraction of the cost.

The English pipelines' attribute ruler maps fine-grained tags to parts of
speech and morphology, with exceptions ('not' is a particle, 'gonna' is 'go
to'). It runs spaCy's general Matcher, every one of its ~180 rules over every
token: on short news lines, a fifth of the pipeline's time. Nearly every rule
names its first token's tag, form or dependency, so indexing the rules by those
leaves a handful to try per token. The semantics are the ruler's: every rule is
matched against the attributes as the tagger and parser left them, then the
matches are applied in rule order (a later rule wins), each to the token at the
rule's index within the match. A ruler with a rule this cannot read (another
attribute, an operator, a quantifier) is left in place.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: What a rule can test, in the order of a token's values: tag, lowercase form, dependency, whitespace.
ATTRIBUTES = ("TAG", "LOWER", "DEP", "IS_SPACE")
FACTORY = "missilekg_attribute_rules"

#: A token test: the attribute's position in a token's values, the operator ("==", "IN", "NOT_IN", "REGEX"), the value.
Test = tuple[int, str, Any]
#: A rule's pattern: its number (rules apply in this order) and one list of tests per token.
Rule = tuple[int, list[list[Test]]]


def index_attribute_rules(nlp: Language) -> bool:
    """Put :class:`IndexedAttributeRules` in place of ``nlp``'s attribute ruler; False if its rules do not allow."""
    from spacy.language import Language

    if "attribute_ruler" not in nlp.pipe_names or "lemmatizer" not in nlp.pipe_names:
        return False
    ruler: Any = nlp.get_pipe("attribute_ruler")
    try:
        rules = [(n, [_tests(token) for token in pattern]) for n, rule in enumerate(ruler.patterns)
                 for pattern in rule["patterns"]]  # fmt: skip
    except ValueError:
        return False
    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, func=lambda nlp, name: IndexedAttributeRules())
    nlp.remove_pipe("attribute_ruler")
    indexed: Any = nlp.add_pipe(FACTORY, name="attribute_ruler", before="lemmatizer")
    indexed.load(rules, ruler.attrs, ruler.indices)
    return True


def _tests(token: dict[str, Any]) -> list[Test]:
    tests: list[Test] = []
    for key, value in token.items():
        if key not in ATTRIBUTES:
            raise ValueError(f"attribute {key!r}")
        if isinstance(value, dict):
            if len(value) != 1 or next(iter(value)) not in ("IN", "NOT_IN", "REGEX"):
                raise ValueError(f"operator {value!r}")
            op, operand = next(iter(value.items()))
            tests.append((ATTRIBUTES.index(key), op, re.compile(operand) if op == "REGEX" else frozenset(operand)))
        elif isinstance(value, str | bool):
            tests.append((ATTRIBUTES.index(key), "==", value))
        else:
            raise ValueError(f"value {value!r}")
    return tests


class IndexedAttributeRules:
    """The attribute ruler's rules, indexed by a value their first token must have."""

    def __init__(self) -> None:
        self._index: list[dict[Any, list[Rule]]] = [{} for _ in ATTRIBUTES]
        self._unindexed: list[Rule] = []
        self._attrs: list[dict[Any, Any]] = []
        self._indices: list[int] = []

    def load(self, rules: list[Rule], attrs: list[dict[Any, Any]], indices: list[int]) -> None:
        """Index ``rules``; ``attrs`` (normalised, as the ruler keeps them) and ``indices`` by rule number."""
        self._attrs, self._indices = attrs, indices
        for rule in rules:
            first = rule[1][0]
            # The most selective test of the first token: a value it must equal, else a set it must be in.
            key = next((t for t in first if t[1] == "=="), None) or next((t for t in first if t[1] == "IN"), None)
            if key is None:
                self._unindexed.append(rule)
                continue
            position, op, value = key
            for one in [value] if op == "==" else sorted(value, key=str):
                self._index[position].setdefault(one, []).append(rule)

    def __call__(self, doc: Doc) -> Doc:
        """Set the rules' attributes on ``doc``'s tokens."""
        from spacy.tokens._retokenize import set_token_attrs

        values = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]
        index = self._index
        matches: list[tuple[int, int, int]] = []
        for start, value in enumerate(values):
            for candidates in (*(index[k].get(value[k], ()) for k in range(len(ATTRIBUTES))), self._unindexed):
                for n, pattern in candidates:
                    end = start + len(pattern)
                    if end <= len(values) and all(_fits(tests, values[start + k]) for k, tests in enumerate(pattern)):
                        matches.append((n, start, end))
        for n, start, end in sorted(set(matches)):
            offset = self._indices[n]
            set_token_attrs(doc[start + offset if offset >= 0 else end + offset], self._attrs[n])
        return doc


def _fits(tests: list[Test], value: tuple[Any, ...]) -> bool:
    for position, op, operand in tests:
        actual = value[position]
        if op == "==":
            if actual != operand:
                return False
        elif op == "IN":
            if actual not in operand:
                return False
        elif op == "NOT_IN":
            if actual in operand:
                return False
        elif not operand.search(actual):
            return False
    return True
