"""Commands that write or inspect the store: build, ingest, remove, infer, backup, restore, validate, stats.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from missilekg.graph.loading.build import build, remove_articles
from missilekg.graph.loading.ingest import ARTICLE_SUFFIXES, collect_sources, ingest
from missilekg.graph.reasoning.engines import ENGINES
from missilekg.graph.reasoning.passes import infer
from missilekg.graph.stats import stats
from missilekg.graph.store.spec import parse_spec
from missilekg.graph.validation import validate
from missilekg.server.cli.context import Context, echo_inference, metadata_options, metadata_overrides, progress_printer


@click.command("build")
@click.option("--seeds", type=click.Path(path_type=Path, file_okay=False), default=Path("seeds"),
              show_default=True, help="Folder of articles (*.txt) with annotations (*.yaml).")  # fmt: skip
@click.option("--no-infer", is_flag=True, help="Skip the inference pass (the inference graphs are left as they were).")
@click.option("--bulk", is_flag=True,
              help="Load by the store's bulk path (fast, for large folders; not one transaction).")  # fmt: skip
@click.option("--provenance/--no-provenance", default=None,
              help="Also write the provenance graph, every derivation as data (explain does not need it); "
                   "--no-provenance drops it. Default: keep what the store has.")  # fmt: skip
@click.option("--workers", type=int, help="With --bulk: processes reading the annotations (default: one per core).")
@click.pass_obj
def build_command(obj: Context, seeds: Path, no_infer: bool, bulk: bool, provenance: bool | None,
                  workers: int | None) -> None:  # fmt: skip
    """Build the graph: the ontology plus one named graph per article in SEEDS, then infer."""
    if not seeds.is_dir():
        raise click.UsageError(f"no folder {seeds}: pass --seeds DIR, articles (*.txt) with annotations (*.yaml)")
    files = sorted(seeds.glob("*.txt"))
    if bulk:
        from missilekg.graph.loading.bulk import bulk_build

        with click.progressbar(length=len(files), label="Reading annotations", file=sys.stderr) as bar:
            loaded = bulk_build(obj.store(), files, workers=workers, progress=lambda: bar.update(1))
        click.echo(f"Loaded {loaded.articles} articles, {loaded.quads} quads, into {obj.spec} (bulk).")
        if not no_infer:
            echo_inference(infer(obj.store(), provenance=bool(provenance), progress=progress_printer("Inference")))
        return
    with click.progressbar(length=len(files), label="Loading articles", file=sys.stderr) as bar:
        report = build(obj.store(), seeds, progress=lambda _name: bar.update(1), infer=not no_infer,
                       provenance=provenance)  # fmt: skip
    click.echo(f"Built {len(report.graphs)} graphs, {report.quads} quads, into {obj.spec}.")
    if report.inference is not None:
        echo_inference(report.inference)


@click.command("infer")
@click.option("--engine", type=click.Choice(list(ENGINES)), default="default", show_default=True,
              help="default: the fast forward chainer; owlrl: the reference; reasonable: a Rust reasoner.")  # fmt: skip
@click.option("--provenance/--no-provenance", default=False, show_default=True,
              help="Also write the provenance graph: every derivation as data, for SPARQL clients (about ten quads "
                   "per derived triple). `missilekg explain` does not need it.")  # fmt: skip
@click.pass_obj
def infer_command(obj: Context, engine: str, provenance: bool) -> None:
    """Recompute the inference graph (OWL 2 RL + domain rules) from the asserted graphs; write only what changed."""
    report = infer(obj.store(), engine=engine, provenance=provenance, progress=progress_printer("Inferring"))
    click.echo("", err=True)
    echo_inference(report)
    for rule, count in report.by_rule.items():
        click.echo(f"  {rule:32} {count:>10,}")


@click.command("backup")
@click.argument("target", type=click.Path(path_type=Path))
@click.pass_obj
def backup_command(obj: Context, target: Path) -> None:
    """Snapshot the on-disk store into the new directory TARGET (safe while serving)."""
    from missilekg.graph.store.backup import backup

    manifest = backup(obj.store(read_only=True), target)  # type: ignore[arg-type]
    click.echo(f"Backed up {manifest['quads']} quads in {len(manifest['graphs'])} graphs to {target}.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def restore_command(obj: Context, source: Path, yes: bool) -> None:
    """Replace the store with the backup in SOURCE (checked first; the store is unchanged if anything fails)."""
    from missilekg.graph.store.backup import restore

    path = parse_spec(obj.spec).path
    if path is None:
        raise click.ClickException("restore needs an on-disk store (--store oxigraph:PATH)")
    if not yes:
        click.confirm(f"Replace the store at {path} with the backup in {source}?", abort=True)
    manifest = restore(source, path)
    click.echo(f"Restored {manifest['quads']} quads in {len(manifest['graphs'])} graphs into {path}.")


@click.command("remove")
@click.argument("stems", nargs=-1, required=True)
@click.option("--no-infer", is_flag=True, help="Skip updating the inference graph.")
@click.pass_obj
def remove_command(obj: Context, stems: tuple[str, ...], no_infer: bool) -> None:
    """Remove articles (by file stem, e.g. 001_b57d21d69b0ca47c) and update inference, in one transaction."""
    try:
        removed = remove_articles(obj.store(), stems, infer=not no_infer)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from exc
    click.echo(f"Removed {len(removed)} article graph(s).")


@click.command("validate")
@click.pass_obj
def validate_command(obj: Context) -> None:
    """Validate the graph against the SHACL shapes; exit 1 if it does not conform."""
    report = validate(obj.store())
    if report.conforms:
        click.echo("The graph conforms to the SHACL shapes.")
        return
    click.echo(report.text, err=True)
    raise click.ClickException(f"{report.violations} SHACL violation(s)")


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def stats_command(obj: Context, as_json: bool) -> None:
    """Counts: quads per graph, and statements, strikes, transfers, actors, weapons."""
    figures = stats(obj.store())
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    for section, counts in figures.items():
        click.echo(f"{section}:")
        for key, value in counts.items():
            click.echo(f"  {key:60} {value:>8}")


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@metadata_options
@click.option("--no-infer", is_flag=True, help="Skip inference (the next inference pass is then a full one).")
@click.option("--workers", type=int, help="Extraction processes (default: one per core).")
@click.option("--group-size", type=int, default=100, show_default=True, help="Articles per commit.")
@click.pass_obj
def ingest_command(obj: Context, paths: tuple[str, ...], url: str | None, publisher: str | None,
                   published: str | None, title: str | None, no_infer: bool, workers: int | None,
                   group_size: int) -> None:  # fmt: skip
    """Extract claims from articles (files, folders, or - for stdin; text or HTML) and load them.

    A reviewed annotation beside an article (same name, .yaml) is loaded instead of extracting.
    Bad articles are skipped and listed at the end (exit status 1); the others are loaded.
    """
    overrides = metadata_overrides(url, publisher, published, title)
    sources = collect_sources(paths)
    if not sources:
        raise click.ClickException("no articles found (looked for " + ", ".join(ARTICLE_SUFFIXES) + ")")
    with click.progressbar(length=len(sources), label="Ingesting articles", file=sys.stderr) as bar:
        report = ingest(obj.store(), sources, overrides=overrides, infer=not no_infer, workers=workers,
                        group_size=group_size, progress=lambda _p: bar.update(1),
                        inference_progress=progress_printer("Inference"))  # fmt: skip
    reviewed = f" ({len(report.reviewed)} from reviewed annotations)" if report.reviewed else ""
    click.echo(f"Loaded {len(report.loaded)} article(s){reviewed}, {report.quads} quads, into {obj.spec}.")
    if not no_infer:
        click.echo(f"Inference updated: {report.derived} triples derived.")
    if report.failed:
        click.echo(f"{len(report.failed)} article(s) not loaded:", err=True)
        for _source, message in report.failed:
            click.echo(f"  {message}", err=True)
        sys.exit(1)


COMMANDS = (build_command, ingest_command, remove_command, infer_command, backup_command, restore_command,
            validate_command, stats_command)  # fmt: skip
