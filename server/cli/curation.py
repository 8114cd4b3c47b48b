"""Commands for curators: extract and evaluate claims, fill annotation offsets, Wikidata links, explanations.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import click
import yaml

from missilekg.graph.loading.ingest import collect_sources
from missilekg.graph.reasoning.explain import explain, parse_triple, render
from missilekg.loaders import find_articles
from missilekg.loaders.annotate import annotate
from missilekg.loaders.annotation import read_annotation
from missilekg.loaders.article import read_article
from missilekg.loaders.errors import AnnotationError
from missilekg.loaders.evaluate import evaluate
from missilekg.loaders.extract import EXTRACTORS, annotation_yaml, extract, extractor_name, lexicon
from missilekg.loaders.offsets import dump_annotation, fill_offsets
from missilekg.loaders.source import read_source
from missilekg.server.cli.context import Context, metadata_options, metadata_overrides


@click.command("explain")
@click.argument("subject")
@click.argument("predicate")
@click.argument("object")
@click.pass_obj
def explain_command(obj: Context, subject: str, predicate: str, object: str) -> None:
    """Say why S P O holds: the rule and premises, down to the asserted triples and their articles.

    The proof is derived now from the store (a shallowest one); no provenance graph is needed.

    Terms are written as in Turtle, with the export prefixes: strike:2024-02-07-kharkiv-kn23
    mkg:strikeCountry state:ukraine.
    """
    triple = parse_triple(subject, predicate, object)
    explanation = explain(obj.store(), triple)
    if explanation is None:
        raise click.ClickException(f"{triple} is neither stated nor derived in {obj.spec}")
    click.echo(render(explanation))


@click.command("link")
@click.option("--unlinked", is_flag=True, help="Only the entities without a Wikidata item, with candidates.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def link_command(obj: Context, unlinked: bool, as_json: bool) -> None:
    """List actors, places and weapon systems with their Wikidata item, and candidates for the unlinked ones."""
    from dataclasses import asdict

    from missilekg.graph.linking import link_report

    entities = [e for e in link_report(obj.store()) if not (unlinked and e.wikidata)]
    if as_json:
        click.echo(json.dumps([asdict(e) for e in entities], indent=2, ensure_ascii=False))
        return
    linked = sum(1 for e in entities if e.wikidata)
    for entity in entities:
        status = entity.wikidata or (
            "not linked" + (" (first seen in an article)" if entity.first_seen_in_article else "")
        )
        click.echo(f"{entity.kind:13} {entity.label[:48]:48} {status}")
        for candidate in entity.candidates:
            click.echo(f"{'':13}   candidate: {candidate}")
    click.echo(f"{linked} linked, {len(entities) - linked} not linked.")


@click.command("annotate-offsets")
@click.argument("draft", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--article", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout.")
def annotate_offsets_command(draft: Path, article: Path, output: Path | None) -> None:
    """Turn a draft annotation's quoted anchors into checked offsets (curator help)."""
    text = read_article(article).text
    filled = fill_offsets(yaml.safe_load(draft.read_text(encoding="utf-8")), text, str(draft))
    rendered = dump_annotation(filled)
    if output:
        output.write_text(rendered, encoding="utf-8")
    else:
        click.echo(rendered, nl=False)


@click.command("extract")
@click.argument("path")
@metadata_options
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the annotation (default: stdout) for review.")  # fmt: skip
def extract_command(path: str, url: str | None, publisher: str | None, published: str | None,
                    title: str | None, output: Path | None) -> None:  # fmt: skip
    """Write the extractor's annotation of one article (PATH or -), in the curated format, for review."""
    overrides = metadata_overrides(url, publisher, published, title)
    source = collect_sources([path])[0]
    article = read_source(source.read(), source.name, lexicon(), overrides, source.path)
    rendered = annotation_yaml(annotate(article))
    if output:
        output.write_text(rendered, encoding="utf-8")
        click.echo(
            f"Wrote {output}; review it and keep it beside the article as {article.article.stem}.yaml.", err=True
        )
    else:
        click.echo(rendered, nl=False)


@click.command("evaluate")
@click.option("--corpus", "--seeds", "corpus", type=click.Path(path_type=Path, file_okay=False, exists=True),
              default=Path("seeds"), show_default=True,
              help="A folder of articles with curated annotations (NAME.txt beside NAME.yaml) to score against.")
@click.option("--extractor", "extractors", type=click.Choice(EXTRACTORS), multiple=True,
              help="Reader(s) to score: parse (default) or rules; give both to compare them in one run.")
@click.option("--details", is_flag=True, help="Also list, per article, what was missed and what was extra.")
@click.option("--strict-ids", is_flag=True,
              help="Compare ids as written: do not align the ids of entities the vocabulary lacks by their mentions.")
@click.option("--json", "as_json", is_flag=True, help="Scores as JSON.")
def evaluate_command(corpus: Path, extractors: tuple[str, ...], details: bool, strict_ids: bool, as_json: bool) -> None:
    """Score the extractor on articles whose curated annotations it does not see."""
    pairs = []
    for article in find_articles(corpus):
        curated = article.with_suffix(".yaml")
        if not curated.is_file():
            problem = f"no curated annotation beside it ({curated.name}) to score against"
            raise AnnotationError(str(article), None, problem)
        pairs.append((article, read_annotation(curated)[0]))
    results = {
        name: evaluate(pairs, partial(extract, extractor=name), strict_ids=strict_ids)
        for name in extractors or (extractor_name(),)
    }
    if as_json:
        report = {
            name: {"articles": result.articles, "scores": {
                kind: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "tp": s.tp, "fp": s.fp, "fn": s.fn}
                for kind, s in result.scores.items()},
                "statement_parts": {part: {"precision": s.precision, "recall": s.recall, "f1": s.f1}
                                    for part, s in result.statement_parts.items()}}
            for name, result in results.items()
        }  # fmt: skip
        click.echo(json.dumps(report if len(report) > 1 else next(iter(report.values())), indent=2))
        return
    for name, result in results.items():
        click.echo(f"{result.articles} articles, {name} reader\n")
        click.echo(result.table() + "\n")
        click.echo(result.parts_table() + "\n")
        if details:
            for stem in result.misses:
                for kind in result.scores:
                    for label, items in (("missed", result.misses[stem][kind]), ("extra", result.extras[stem][kind])):
                        for item in items:
                            click.echo(f"{stem}\t{kind}\t{label}\t{item}")


COMMANDS = (extract_command, evaluate_command, annotate_offsets_command, link_command, explain_command)
