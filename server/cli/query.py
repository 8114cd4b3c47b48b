"""Commands that read the graph out: SPARQL queries (ad hoc or from the catalogue) and exports.
"""

from __future__ import annotations

import sys
from typing import IO

import click

from missilekg.graph.io.export import FORMATS, export
from missilekg.graph.io.results import RESULT_FORMATS, write_result
from missilekg.graph.io.wikibase import WIKIBASE_FORMATS
from missilekg.graph.store.base import QuerySyntaxError
from missilekg.ontology import full_catalogue, named_query
from missilekg.server.cli.context import Context


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


@click.command("query")
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
        for entry in full_catalogue().values():
            click.echo(f"{entry.name:4} {entry.title}")
        return
    sparql = _read_query(query, file, name)
    try:
        result = obj.store(read_only=False).query(sparql)
        write_result(result, sys.stdout.buffer, fmt)
    except QuerySyntaxError as exc:
        raise click.ClickException(f"malformed query: {exc}") from exc
    sys.stdout.flush()


@click.command("export")
@click.option("--format", "-f", "fmt", type=click.Choice([*FORMATS, *WIKIBASE_FORMATS]), default="trig",
              show_default=True, help="An RDF syntax, or wikibase (Wikibase JSON statements) or quickstatements.")
@click.option("--graph", "-g", help="Export only this named graph (IRI).")
@click.option("--include-inferred", is_flag=True, help="Include the inference graph.")
@click.option("--output", "-o", type=click.File("wb"), default="-", help="File to write (default stdout).")
@click.pass_obj
def export_command(obj: Context, fmt: str, graph: str | None, include_inferred: bool, output: IO[bytes]) -> None:
    """Export the graph (all named graphs, or one) as RDF, or its claims as Wikidata-shaped statements."""
    if fmt in WIKIBASE_FORMATS:
        WIKIBASE_FORMATS[fmt](obj.store(), output)
        return
    export(obj.store(), output, fmt, graph=graph, include_inferred=include_inferred)


COMMANDS = (query_command, export_command)
