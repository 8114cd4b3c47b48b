"""An article as users bring it, to an annotation checked like a curated one."""

from __future__ import annotations

from missilekg.loaders.annotation import Annotation
from missilekg.loaders.checks import check_annotation, without_known_entities
from missilekg.loaders.errors import ArticleError
from missilekg.loaders.extract import extract
from missilekg.loaders.source import SourceArticle
from missilekg.ontology import vocabulary_refs


class NothingRelevant(ArticleError):
    """The article names no actor, weapon, strike or transfer the graph is about."""


def annotate(article: SourceArticle) -> Annotation:
    """Extract an article's annotation, declare the entities its metadata introduces, and check it."""
    annotation = extract(article.article, article.metadata)
    known = vocabulary_refs()
    # Names the vocabulary does not know ('Paris') make no article relevant on their own.
    if not (annotation.statements or annotation.strikes or annotation.transfers
            or any(m.entity in known for m in annotation.mentions)):  # fmt: skip
        raise NothingRelevant(
            article.article.file_name if article.path is None else str(article.path),
            None,
            "nothing relevant found: no actor, weapon, place, claim, strike or transfer the graph covers",
        )
    if article.entities:
        declared = {e.id for e in annotation.entities}
        extra = [e for e in article.entities if e.id not in declared]
        annotation = annotation.model_copy(update={"entities": [*annotation.entities, *extra]})
    check_annotation(annotation, None, article.article.text, article.article.file_name, known)
    return without_known_entities(annotation, known)
