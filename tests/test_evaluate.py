"""Scoring: new entities' ids are aligned by the words they are mentioned on, vocabulary ids are not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from missilekg.loaders.annotation import Annotation, Metadata
from missilekg.loaders.article import read_article
from missilekg.loaders.evaluate import align_new_entities, evaluate, renamed
from missilekg.loaders.extract import extract
from missilekg.server.cli import main

TEXT = (
    "The Zaporizhzhia regional prosecutor's office said at least 12 missiles struck the city. "
    "Dnipro was hit by 3 drones, officials said."
)
PROSECUTORS = (4, 45)
DNIPRO = (TEXT.index("Dnipro"), TEXT.index("Dnipro") + len("Dnipro"))
VOCABULARY = {"place/dnipro": ["Dnipro"], "org/european-union": ["European Union", "EU"]}


def _annotation(mentions: list[tuple[str, tuple[int, int]]], speaker: str, entities: Any = ()) -> Annotation:
    return Annotation.model_validate({
        "article": "a.txt",
        "metadata": {"title": "t"},
        "entities": [{"id": ref, "label": label, "type": kind} for ref, label, kind in entities],
        "mentions": [{"entity": ref, "start": s, "end": e, "text": TEXT[s:e]} for ref, (s, e) in mentions],
        "statements": [{
            "id": "claim", "speaker": speaker, "stance": "asserts",
            "quantities": [{"value": 12, "hedge": "at_least", "unit": "missile", "text": "at least 12 missiles"}],
            "evidence": {"start": 0, "end": 88, "text": TEXT[:88]},
        }],
    })  # fmt: skip


CURATED = _annotation(
    [("org/zaporizhzhia-regional-prosecutors-office", PROSECUTORS), ("place/dnipro-river", DNIPRO)],
    "org/zaporizhzhia-regional-prosecutors-office",
    [("place/dnipro-river", "Dnipro River", "Place")],
)


def test_a_new_entity_is_the_extracted_one_mentioned_on_the_same_words():
    found = _annotation(
        [("org/zaporizhzhia-regional-prosecutor-s-office", PROSECUTORS)],
        "org/zaporizhzhia-regional-prosecutor-s-office",
    )
    aligned = align_new_entities(CURATED, found, VOCABULARY)
    assert aligned == {"org/zaporizhzhia-regional-prosecutor-s-office": "org/zaporizhzhia-regional-prosecutors-office"}
    assert renamed(found, aligned).statements[0].speaker == "org/zaporizhzhia-regional-prosecutors-office"


def test_a_vocabulary_entity_stands_for_a_new_one_only_under_the_curators_label():
    found = _annotation([("place/dnipro", DNIPRO)], "org/x")
    assert align_new_entities(CURATED, found, VOCABULARY) == {}
    eu = _annotation([("org/eu", DNIPRO)], "org/x", [("org/eu", "the European Union", "Organization")])
    assert align_new_entities(eu, _annotation([("org/european-union", DNIPRO)], "org/x"), VOCABULARY) == {
        "org/european-union": "org/eu"
    }


def test_a_curated_vocabulary_id_or_an_entity_of_another_kind_is_never_aligned_away():
    curated = _annotation([("place/dnipro", DNIPRO)], "org/x")
    assert align_new_entities(curated, _annotation([("place/dnipro-city", DNIPRO)], "org/x"), VOCABULARY) == {}
    person = _annotation([("person/zaporizhzhia-prosecutor", PROSECUTORS)], "org/x")
    assert align_new_entities(CURATED, person, VOCABULARY) == {}


def test_an_id_either_side_uses_for_something_else_is_not_merged():
    # The extractor calls the office "org/a" and also mints "org/b" on it; the curator uses "org/b" elsewhere.
    curated = _annotation([("org/a-office", PROSECUTORS), ("org/b", DNIPRO)], "org/a-office")
    found = _annotation([("org/b", PROSECUTORS)], "org/b")
    assert align_new_entities(curated, found, {}) == {}


def test_an_anonymous_source_without_mentions_is_the_minted_one_speaking_in_the_same_sentence():
    curated = _annotation([], "anon/zaporizhzhia-prosecutors")
    minted = _annotation([], "anon/prosecutors")
    assert align_new_entities(curated, minted, VOCABULARY) == {"anon/prosecutors": "anon/zaporizhzhia-prosecutors"}
    # A named speaker, or a vocabulary anonymous source, is not aligned by the sentence alone.
    assert align_new_entities(curated, _annotation([], "org/prosecutors"), VOCABULARY) == {}
    assert (
        align_new_entities(curated, _annotation([], "anon/us-officials"), {"anon/us-officials": ["US officials"]}) == {}
    )


def test_strict_ids_score_ids_as_written(tmp_path: Path):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    found = _annotation(
        [("org/zaporizhzhia-regional-prosecutor-s-office", PROSECUTORS)],
        "org/zaporizhzhia-regional-prosecutor-s-office",
    )
    aligned = evaluate([(article, CURATED)], lambda *_: found)
    strict = evaluate([(article, CURATED)], lambda *_: found, strict_ids=True)
    assert aligned.scores["statements"].tp == 1 and strict.scores["statements"].tp == 0


def test_the_evaluate_command_aligns_what_the_extractor_minted_unless_told_not_to(tmp_path: Path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    curated = _annotation(
        [("org/zaporizhzhia-prosecutor-s-office", PROSECUTORS)],
        "org/zaporizhzhia-prosecutor-s-office",
        [("org/zaporizhzhia-prosecutor-s-office", "Zaporizhzhia regional prosecutor's office", "Organization")],
    )
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(curated.model_dump(mode="json", exclude_unset=True)), "utf-8")
    scores = {}
    for flags in ([], ["--strict-ids"]):
        result = CliRunner().invoke(main, ["evaluate", "--corpus", str(tmp_path), "--json", *flags])
        assert result.exit_code == 0, result.output
        scores[bool(flags)] = json.loads(result.output)["scores"]["statements"]
    assert scores[False]["tp"] == 1 and scores[True]["tp"] == 0


def test_extracted_annotations_survive_renaming():
    path = sorted((Path(__file__).parents[1] / "seeds").glob("*.txt"))[0]
    found = extract(read_article(path), Metadata())
    moved = renamed(found, {"state/russia": "state/russian-federation"})
    assert len(moved.statements) == len(found.statements) and len(moved.mentions) == len(found.mentions)
    assert "state/russian-federation" in {m.entity for m in moved.mentions}
    assert "state/russia" not in {m.entity for m in moved.mentions}
