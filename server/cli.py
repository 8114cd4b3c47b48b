"""The ``missilekg`` command: thin click wrappers over :mod:`graph` and :mod:`loaders`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import IO

import click
import yaml

from graph.io.export import FORMATS, ExportError, export
from graph.io.results import RESULT_FORMATS, write_result
from graph.loading.build import BuildError, build, remove_articles
from graph.loading.ingest import ARTICLE_SUFFIXES, collect_sources, ingest
from graph.reasoning.engines import ENGINES, InferenceError
from graph.reasoning.explain import ExplainError, explain, parse_triple, render
from graph.reasoning.passes import InferenceReport, infer
from graph.stats import stats
from graph.store.base import QuerySyntaxError, Store, StoreError
from graph.store.spec import open_store
from graph.validation import validate
from loaders import LoaderError, find_articles
from loaders.annotate import annotate
from loaders.annotation import read_annotation
from loaders.article import read_article
from loaders.evaluate import evaluate
from loaders.extract import annotation_yaml, extract, lexicon
from loaders.offsets import dump_annotation, fill_offsets
from loaders.source import MetadataOverrides, read_source
from ontology import named_query, query_catalogue

DEFAULT_STORE = "oxigraph:data/store"


class Context:
    """What every command shares: the store spec, opened lazily and once."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self._store: Store | None = None

    def store(self, *, read_only: bool = False) -> Store:
        """Open the configured store (once)."""
        if self._store is None:
            try:
                self._store = open_store(self.spec, read_only=read_only)
            except StoreError as exc:
                raise click.ClickException(str(exc)) from exc
        return self._store

    def close(self) -> None:
        """Flush and release the store if it was opened."""
        if self._store is not None:
            self._store.close()


@click.group()
@click.option(
    "--store",
    "store_spec",
    envvar="MISSILEKG_STORE",
    default=DEFAULT_STORE,
    show_default=True,
    help="oxigraph:PATH (on disk), memory:, a folder path, or a remote SPARQL endpoint http(s)://HOST/sparql.",
)
@click.pass_context
def main(ctx: click.Context, store_spec: str) -> None:
    """missilekg: a knowledge graph of attributed claims about weapons used against Ukraine."""
    ctx.obj = Context(store_spec)
    ctx.call_on_close(ctx.obj.close)


@main.command("build")
@click.option("--seeds", type=click.Path(path_type=Path, file_okay=False), default=Path("seeds"),
              show_default=True, help="Folder of articles (*.txt) with annotations (*.yaml).")  # fmt: skip
@click.option("--no-infer", is_flag=True, help="Skip the inference pass (the inference graphs are left as they were).")
@click.option("--bulk", is_flag=True,
              help="Load by the store's bulk path (fast, for large folders; not one transaction).")  # fmt: skip
@click.option("--no-provenance", is_flag=True, help="With --bulk: infer without the provenance graph.")
@click.option("--workers", type=int, help="With --bulk: processes reading the annotations (default: one per core).")
@click.pass_obj
def build_command(obj: Context, seeds: Path, no_infer: bool, bulk: bool, no_provenance: bool,
                  workers: int | None) -> None:  # fmt: skip
    """Build the graph: the ontology plus one named graph per article in SEEDS, then infer."""
    files = sorted(seeds.glob("*.txt")) if seeds.is_dir() else []
    if bulk:
        from graph.loading.bulk import bulk_build

        with click.progressbar(length=len(files), label="Reading annotations", file=sys.stderr) as bar:
            try:
                loaded = bulk_build(obj.store(), files, workers=workers, progress=lambda: bar.update(1))
            except (BuildError, LoaderError, StoreError) as exc:
                raise click.ClickException(str(exc)) from exc
        click.echo(f"Loaded {loaded.articles} articles, {loaded.quads} quads, into {obj.spec} (bulk).")
        if not no_infer:
            _echo_inference(infer(obj.store(), provenance=not no_provenance, progress=_progress("Inference")))
        return
    with click.progressbar(length=len(files), label="Loading articles", file=sys.stderr) as bar:
        try:
            report = build(obj.store(), seeds, progress=lambda _name: bar.update(1), infer=not no_infer)
        except (BuildError, LoaderError, InferenceError) as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Built {len(report.graphs)} graphs, {report.quads} quads, into {obj.spec}.")
    if report.inference is not None:
        _echo_inference(report.inference)


def _echo_inference(report: InferenceReport) -> None:
    click.echo(f"Inferred {report.derived} triples ({report.engine} engine) from {report.asserted} asserted quads; "
               f"provenance: {report.provenance} quads.")  # fmt: skip
    for problem in report.inconsistencies:
        click.echo(f"inconsistent: {problem}", err=True)


def _progress(label: str):
    def show(done: int) -> None:
        click.echo(f"\r{label}: {done:,} triples processed", nl=False, err=True)

    return show


@main.command("infer")
@click.option("--engine", type=click.Choice(list(ENGINES)), default="default", show_default=True,
              help="default: the fast forward chainer; owlrl: the reference; reasonable: a Rust reasoner.")  # fmt: skip
@click.option("--no-provenance", is_flag=True, help="Do not write the provenance graph (explain will not work).")
@click.pass_obj
def infer_command(obj: Context, engine: str, no_provenance: bool) -> None:
    """Recompute the inference graph (OWL 2 RL + domain rules) from the asserted graphs."""
    try:
        report = infer(obj.store(), engine=engine, provenance=not no_provenance, progress=_progress("Inferring"))
    except InferenceError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("", err=True)
    _echo_inference(report)
    for rule, count in report.by_rule.items():
        click.echo(f"  {rule:32} {count:>10,}")


@main.command("explain")
@click.argument("subject")
@click.argument("predicate")
@click.argument("object")
@click.pass_obj
def explain_command(obj: Context, subject: str, predicate: str, object: str) -> None:
    """Say why S P O holds: the rule and premises, down to the asserted triples and their articles.

    Terms are written as in Turtle, with the export prefixes: strike:2024-02-07-kharkiv-kn23
    mkg:strikeCountry state:ukraine.
    """
    try:
        triple = parse_triple(subject, predicate, object)
    except ExplainError as exc:
        raise click.ClickException(str(exc)) from exc
    explanation = explain(obj.store(), triple)
    if explanation is None:
        raise click.ClickException(f"{triple} is neither stated nor derived in {obj.spec}")
    click.echo(render(explanation))


@main.command("link")
@click.option("--unlinked", is_flag=True, help="Only the entities without a Wikidata item, with candidates.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def link_command(obj: Context, unlinked: bool, as_json: bool) -> None:
    """List actors, places and weapon systems with their Wikidata item, and candidates for the unlinked ones."""
    from dataclasses import asdict

    from graph.linking import link_report

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


@main.command("backup")
@click.argument("target", type=click.Path(path_type=Path))
@click.pass_obj
def backup_command(obj: Context, target: Path) -> None:
    """Snapshot the on-disk store into the new directory TARGET (safe while serving)."""
    from graph.store.backup import BackupError, backup

    try:
        manifest = backup(obj.store(read_only=True), target)  # type: ignore[arg-type]
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up {manifest['quads']} quads in {len(manifest['graphs'])} graphs to {target}.")


@main.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def restore_command(obj: Context, source: Path, yes: bool) -> None:
    """Replace the store with the backup in SOURCE (checked first; the store is unchanged if anything fails)."""
    from graph.store.backup import BackupError, restore

    path = Path(obj.spec.removeprefix("oxigraph:"))
    if obj.spec.startswith("memory:"):
        raise click.ClickException("restore needs an on-disk store (--store oxigraph:PATH)")
    if not yes:
        click.confirm(f"Replace the store at {path} with the backup in {source}?", abort=True)
    try:
        manifest = restore(source, path)
    except (BackupError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {manifest['quads']} quads in {len(manifest['graphs'])} graphs into {path}.")


@main.command("remove")
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


def _read_query(query: str | None, file: IO[str] | None, name: str | None) -> str:
    given = [x is not None for x in (query, file, name)]
    if sum(given) > 1:
        raise click.UsageError("give one of QUERY, --file or --name")
    if name is not None:
        try:
            return named_query(name).sparql
        except KeyError as exc:
            raise click.UsageError(str(exc.args[0])) from exc
    if file is not None:
        return file.read()
    if query is not None and query != "-":
        return query
    if sys.stdin.isatty():
        raise click.UsageError("give a QUERY, --file FILE, --name NAME, or a query on stdin")
    return sys.stdin.read()


@main.command("query")
@click.argument("query", required=False)
@click.option(
    "--file",
    "-f",
    "file",
    type=click.File("r", encoding="utf-8"),
    help="Read the query from a file.",
)
@click.option("--name", "-n", help="Run a catalogue query by name (e.g. Q2); see --list.")
@click.option("--list", "list_queries", is_flag=True, help="List the catalogue of named queries.")
@click.option("--format", "-o", "fmt", type=click.Choice(["table", *RESULT_FORMATS]), default="table",
              show_default=True, help="Output format (CONSTRUCT results are always Turtle).")  # fmt: skip
@click.pass_obj
def query_command(obj: Context, query: str | None, file: IO[str] | None, name: str | None,
                  list_queries: bool, fmt: str) -> None:  # fmt: skip
    """Run a SPARQL query (argument, --file, --name, or stdin) over the whole graph."""
    if list_queries:
        for entry in query_catalogue().values():
            click.echo(f"{entry.name:4} {entry.title}")
        return
    sparql = _read_query(query, file, name)
    try:
        result = obj.store(read_only=False).query(sparql)
        write_result(result, sys.stdout.buffer, fmt)
    except QuerySyntaxError as exc:
        raise click.ClickException(f"malformed query: {exc}") from exc
    sys.stdout.flush()


@main.command("export")
@click.option("--format", "-f", "fmt", type=click.Choice(list(FORMATS)), default="trig", show_default=True)
@click.option("--graph", "-g", help="Export only this named graph (IRI).")
@click.option("--include-inferred", is_flag=True, help="Include the inference graph.")
@click.option("--output", "-o", type=click.File("wb"), default="-", help="File to write (default stdout).")
@click.pass_obj
def export_command(obj: Context, fmt: str, graph: str | None, include_inferred: bool, output: IO[bytes]) -> None:
    """Export the graph (all named graphs, or one) as RDF."""
    try:
        export(obj.store(), output, fmt, graph=graph, include_inferred=include_inferred)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("validate")
@click.pass_obj
def validate_command(obj: Context) -> None:
    """Validate the graph against the SHACL shapes; exit 1 if it does not conform."""
    report = validate(obj.store())
    if report.conforms:
        click.echo("The graph conforms to the SHACL shapes.")
        return
    click.echo(report.text, err=True)
    raise click.ClickException(f"{report.violations} SHACL violation(s)")


@main.command("stats")
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


@main.command("annotate-offsets")
@click.argument("draft", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--article", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout.")
def annotate_offsets_command(draft: Path, article: Path, output: Path | None) -> None:
    """Turn a draft annotation's quoted anchors into checked offsets (curator help)."""
    try:
        text = read_article(article).text
        filled = fill_offsets(yaml.safe_load(draft.read_text(encoding="utf-8")), text, str(draft))
    except LoaderError as exc:
        raise click.ClickException(str(exc)) from exc
    rendered = dump_annotation(filled)
    if output:
        output.write_text(rendered, encoding="utf-8")
    else:
        click.echo(rendered, nl=False)


def _overrides(url: str | None, publisher: str | None, published: str | None, title: str | None) -> MetadataOverrides:
    when: dt.date | dt.datetime | None = None
    if published:
        try:
            when = dt.datetime.fromisoformat(published) if "T" in published else dt.date.fromisoformat(published)
        except ValueError as exc:
            raise click.BadParameter(
                f"{published!r} is not an ISO date (2024-02-09)", param_hint="--published"
            ) from exc
    return MetadataOverrides(title=title, url=url, publisher=publisher, published=when)


def _metadata_options(command):
    for option in reversed([
        click.option("--url", help="The article's address."),
        click.option("--publisher", help="The outlet, by name (Reuters) or reference (org/reuters)."),
        click.option("--published", help="Publication date (2024-02-09); anchors 'on Friday' and the like."),
        click.option("--title", help="The headline."),
    ]):  # fmt: skip
        command = option(command)
    return command


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@_metadata_options
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
    overrides = _overrides(url, publisher, published, title)
    sources = collect_sources(paths)
    if not sources:
        raise click.ClickException("no articles found (looked for " + ", ".join(ARTICLE_SUFFIXES) + ")")
    with click.progressbar(length=len(sources), label="Ingesting articles", file=sys.stderr) as bar:
        try:
            report = ingest(obj.store(), sources, overrides=overrides, infer=not no_infer, workers=workers,
                            group_size=group_size, progress=lambda _p: bar.update(1),
                            inference_progress=_progress("Inference"))  # fmt: skip
        except InferenceError as exc:
            raise click.ClickException(str(exc)) from exc
    reviewed = f" ({len(report.reviewed)} from reviewed annotations)" if report.reviewed else ""
    click.echo(f"Loaded {len(report.loaded)} article(s){reviewed}, {report.quads} quads, into {obj.spec}.")
    if not no_infer:
        click.echo(f"Inference updated: {report.derived} triples derived.")
    if report.failed:
        click.echo(f"{len(report.failed)} article(s) not loaded:", err=True)
        for _source, message in report.failed:
            click.echo(f"  {message}", err=True)
        sys.exit(1)


@main.command("extract")
@click.argument("path")
@_metadata_options
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the annotation (default: stdout) for review.")  # fmt: skip
def extract_command(path: str, url: str | None, publisher: str | None, published: str | None,
                    title: str | None, output: Path | None) -> None:  # fmt: skip
    """Write the extractor's annotation of one article (PATH or -), in the curated format, for review."""
    overrides = _overrides(url, publisher, published, title)
    source = collect_sources([path])[0]
    try:
        article = read_source(source.read(), source.name, lexicon(), overrides, source.path)
        rendered = annotation_yaml(annotate(article))
    except LoaderError as exc:
        raise click.ClickException(str(exc)) from exc
    if output:
        output.write_text(rendered, encoding="utf-8")
        click.echo(
            f"Wrote {output}; review it and keep it beside the article as {article.article.stem}.yaml.", err=True
        )
    else:
        click.echo(rendered, nl=False)


@main.command("evaluate")
@click.option("--seeds", type=click.Path(path_type=Path, file_okay=False, exists=True), default=Path("seeds"),
              show_default=True, help="Articles with curated annotations to score against.")  # fmt: skip
@click.option("--details", is_flag=True, help="Also list, per article, what was missed and what was extra.")
@click.option("--json", "as_json", is_flag=True, help="Scores as JSON.")
def evaluate_command(seeds: Path, details: bool, as_json: bool) -> None:
    """Score the extractor on articles whose curated annotations it does not see."""
    pairs = []
    for article in find_articles(seeds):
        try:
            pairs.append((article, read_annotation(article.with_suffix(".yaml"))[0]))
        except LoaderError as exc:
            raise click.ClickException(str(exc)) from exc
    result = evaluate(pairs, extract)
    if as_json:
        scores = {kind: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "tp": s.tp, "fp": s.fp, "fn": s.fn}
                  for kind, s in result.scores.items()}  # fmt: skip
        click.echo(json.dumps({"articles": result.articles, "scores": scores}, indent=2))
        return
    click.echo(f"{result.articles} articles\n")
    click.echo(result.table())
    if details:
        for stem in result.misses:
            for kind in result.scores:
                for label, items in (("missed", result.misses[stem][kind]), ("extra", result.extras[stem][kind])):
                    for item in items:
                        click.echo(f"{stem}\t{kind}\t{label}\t{item}")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", type=int, help="Worker processes (gunicorn). Default: two per core.")
@click.option("--server", "server_name", type=click.Choice(["gunicorn", "waitress"]), default="gunicorn",
              show_default=True, help="waitress runs one process with threads (used for memory: stores).")  # fmt: skip
@click.option("--query-timeout", type=float, help="Seconds before a query is stopped (default 30).")
@click.option("--allow-service", multiple=True, help="An endpoint SERVICE may call (repeat; default: none).")
@click.option("--access-log", is_flag=True, help="Log every request to stderr.")
@click.pass_obj
def serve_command(obj: Context, host: str, port: int, workers: int | None, server_name: str,
                  query_timeout: float | None, allow_service: tuple[str, ...], access_log: bool) -> None:  # fmt: skip
    """Serve SPARQL at http://HOST:PORT/sparql (also /update, /graph-store, /void, /health).

    Writes need MISSILEKG_UPDATE_TOKEN in the environment; without it the server is read-only.
    """
    from server.wsgi import default_workers, serve_gunicorn

    config: dict = {"STORE": obj.spec}
    if query_timeout is not None:
        config["QUERY_TIMEOUT"] = query_timeout
    if allow_service:
        config["ALLOWED_SERVICES"] = list(allow_service)
    in_memory = obj.spec.startswith("memory:")
    if server_name == "waitress" or in_memory:
        import waitress

        from server import create_app

        app = create_app(config, store=obj.store() if in_memory else None)
        click.echo(f"Serving SPARQL on http://{host}:{port}/sparql with waitress (store {obj.spec})", err=True)
        waitress.serve(app, host=host, port=port, threads=workers or 8)
        return
    remote = obj.spec.startswith(("http://", "https://"))
    if not remote and not Path(obj.spec.removeprefix("oxigraph:")).exists():
        raise click.ClickException(f"no store at {obj.spec}: run `missilekg --store {obj.spec} build` first")
    count = workers or default_workers()
    click.echo(f"Serving SPARQL on http://{host}:{port}/sparql with gunicorn, {count} workers (store {obj.spec})",
               err=True)  # fmt: skip
    serve_gunicorn(config, host=host, port=port, workers=count, access_log=access_log)
