"""A fuzz target for the extractor, run by hypothesis here and usable by a coverage-guided fuzzer.

``fuzz_one(data)`` is the target: any bytes in, and either a clean refusal
(:class:`LoaderError`) or an annotation whose every span is the exact text at
its offsets and which passes the same checks as a curated one. With atheris
installed, ``python tests/test_fuzz_extractor.py`` fuzzes it coverage-guided.
"""

from __future__ import annotations

import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missilekg.loaders.annotate import annotate
from missilekg.loaders.annotation import parse_annotation
from missilekg.loaders.checks import check_annotation
from missilekg.loaders.errors import LoaderError
from missilekg.loaders.extract import annotation_yaml, lexicon
from missilekg.loaders.mapping import annotation_to_quads
from missilekg.loaders.source import read_source
from missilekg.ontology import vocabulary_refs

WORDS = [
    "Russia", "Ukraine", "North Korea", "Kirby", "John Kirby", "said", "says", "told", "according to", "accused",
    "at least", "over", "about", "several dozen", "hundreds of thousands of", "24", "nine", "1,000", "$725 million",
    "missiles", "ballistic missiles", "KN-23", "launchers", "drones", "Kharkiv", "Kyiv", "in", "to", "from", "on",
    "Friday", "March 30", "December 30, 2023", "last year", "has not supplied", "delivered",
    "a senior defense official", "reports suggest", "reportedly", "\u201c", "\u201d", '"', ",", ".", "\n",
    "---\ntitle: x\n---\n", "<p>", "</p>", "\u2019s",
    "Taras Shevchenko", "spokesperson for", "the prosecutor", "he", "His statement", "this figure", "(", ")",
]  # fmt: skip


def fuzz_one(data: bytes) -> None:
    """The target: extract from ``data`` as an article; raise only on a real defect."""
    try:
        article = read_source(data, "fuzz.txt", lexicon())
        annotation = annotate(article)
    except LoaderError:
        return
    text = article.article.text
    for mention in annotation.mentions:
        assert text[mention.start : mention.end] == mention.text
    for section in (annotation.statements, annotation.strikes, annotation.transfers):
        for item in section:
            assert text[item.evidence.start : item.evidence.end] == item.evidence.text
    reparsed, raw = parse_annotation(annotation_yaml(annotation), "fuzz.yaml")
    check_annotation(reparsed, raw, text, "fuzz.yaml", vocabulary_refs())
    annotation_to_quads(reparsed, article.article)


news = st.lists(st.sampled_from(WORDS), min_size=1, max_size=60).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(news)
def test_news_like_text(text: str) -> None:
    fuzz_one(text.encode("utf-8"))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    fuzz_one(data)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode(text: str) -> None:
    fuzz_one(text.encode("utf-8", errors="surrogatepass"))


if __name__ == "__main__":  # pragma: no cover - a coverage-guided run, by hand
    import atheris  # type: ignore[import-not-found]

    atheris.Setup(sys.argv, fuzz_one)
    atheris.Fuzz()
