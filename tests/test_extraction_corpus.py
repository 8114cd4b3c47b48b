"""The extractor's evaluation corpora load like curated seeds: every span checked, every reference known.

Nothing here runs the extractor: the corpora are answer keys, and a broken key would score the
extractor against the wrong answer. The unseen set is also held to the shape its README promises.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from missilekg.graph.loading.build import build
from missilekg.graph.store.embedded import EmbeddedStore
from missilekg.graph.validation import validate
from missilekg.loaders import find_articles, load_article
from missilekg.loaders.annotation import read_annotation
from missilekg.loaders.mapping import article_graph

from .conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "extraction-dev"
FOLDERS = sorted(path for path in CORPUS.iterdir() if path.is_dir())
UNSEEN = CORPUS / "unseen"


def test_the_corpus_has_its_three_sets() -> None:
    assert [folder.name for folder in FOLDERS] == ["dev", "heldout", "unseen"]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_every_article_has_a_valid_annotation(folder: Path) -> None:
    """Each article has its annotation beside it, and it passes the loader's span and reference checks."""
    articles = find_articles(folder)
    assert articles
    assert sorted(p.stem for p in folder.glob("*.yaml")) == [p.stem for p in articles]
    for path in articles:
        bundle = load_article(path)
        assert bundle.annotation.article == path.name and bundle.quads


def test_the_unseen_set_builds_into_one_store_that_conforms() -> None:
    """All twelve load together and the graph meets the SHACL shapes (a strike names its weapon...)."""
    store = EmbeddedStore()
    build(store, UNSEEN, infer=False)
    graphs = {graph.value for graph in store.named_graphs()}
    assert {article_graph(path.stem).value for path in find_articles(UNSEEN)} <= graphs
    report = validate(store)
    assert report.conforms, report.text


def test_unseen_articles_are_the_promised_size_and_dates() -> None:
    """12 articles of 250-700 words, published 2023-2025, each with statements."""
    articles = find_articles(UNSEEN)
    assert len(articles) == 12
    for path in articles:
        words = len(path.read_text(encoding="utf-8").split())
        assert 250 <= words <= 700, (path.name, words)
        annotation, _ = read_annotation(path.with_suffix(".yaml"))
        published = annotation.metadata.published
        assert published is not None and 2023 <= published.year <= 2025, path.name
        assert annotation.statements, path.name


def test_unseen_new_entities_are_declared_the_same_way_everywhere() -> None:
    """An id introduced by several articles has one label and one type, so the shared graph stays coherent."""
    seen: dict[str, tuple[str, str]] = {}
    for path in find_articles(UNSEEN):
        annotation, _ = read_annotation(path.with_suffix(".yaml"))
        for entity in annotation.entities:
            described = (entity.label, entity.type)
            assert seen.setdefault(entity.id, described) == described, (path.name, entity.id)
