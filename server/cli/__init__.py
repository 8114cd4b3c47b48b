"""The ``missilekg`` command: one click group of thin wrappers over :mod:`missilekg.graph` and
:mod:`missilekg.loaders`, in files by concern (the store, curation, queries, serving).
"""

from __future__ import annotations

import click

from missilekg.ontology.errors import MissilekgError
from missilekg.server.cli import curation, query, serve, store
from missilekg.server.cli.context import DEFAULT_STORE, Context


class Commands(click.Group):
    """The command group: any :class:`MissilekgError` a command raises ends it with its one-line message (exit 1)."""

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; turn the project's errors into click's error exit, once for every command."""
        try:
            return super().invoke(ctx)
        except MissilekgError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=Commands)
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


for _command in (*store.COMMANDS, *curation.COMMANDS, *query.COMMANDS, *serve.COMMANDS):
    main.add_command(_command)
