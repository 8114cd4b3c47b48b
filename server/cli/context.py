"""What every command shares: the store spec opened once, progress lines, the article metadata options.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

from missilekg.graph.reasoning.passes import InferenceReport
from missilekg.graph.store.base import Store
from missilekg.graph.store.spec import open_store
from missilekg.loaders.source import MetadataOverrides

DEFAULT_STORE = "oxigraph:data/store"


class Context:
    """What every command shares: the store spec, opened lazily and once."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self._store: Store | None = None

    def store(self, *, read_only: bool = False) -> Store:
        """Open the configured store (once)."""
        if self._store is None:
            self._store = open_store(self.spec, read_only=read_only)
        return self._store

    def close(self) -> None:
        """Flush and release the store if it was opened."""
        if self._store is not None:
            self._store.close()


F = TypeVar("F", bound=Callable[..., Any])


def echo_inference(report: InferenceReport) -> None:
    click.echo(f"Inferred {report.derived} triples ({report.engine} engine) from {report.asserted} asserted quads; "
               f"provenance: {report.provenance} quads.")  # fmt: skip
    if report.added or report.removed or "incremental" not in report.engine:
        click.echo(f"Inference graph: {report.added} derived quads added, {report.removed} removed.")
    if report.provenance_dropped:
        click.echo("The provenance graph an earlier pass wrote was dropped (infer --provenance keeps it).")
    for problem in report.inconsistencies:
        click.echo(f"inconsistent: {problem}", err=True)


def progress_printer(label: str) -> Callable[[int], None]:
    """A progress callback that rewrites one line on stderr: ``label: N triples processed``."""

    def show(done: int) -> None:
        click.echo(f"\r{label}: {done:,} triples processed", nl=False, err=True)

    return show


def metadata_overrides(url: str | None, publisher: str | None, published: str | None,
                       title: str | None) -> MetadataOverrides:  # fmt: skip
    """The article metadata given on the command line; a date that is not ISO is a usage error."""
    when: dt.date | dt.datetime | None = None
    if published:
        try:
            when = dt.datetime.fromisoformat(published) if "T" in published else dt.date.fromisoformat(published)
        except ValueError as exc:
            raise click.BadParameter(
                f"{published!r} is not an ISO date (2024-02-09)", param_hint="--published"
            ) from exc
    return MetadataOverrides(title=title, url=url, publisher=publisher, published=when)


def metadata_options(command: F) -> F:
    """Add the options that describe an article (--url, --publisher, --published, --title) to a command."""
    for option in reversed([
        click.option("--url", help="The article's address."),
        click.option("--publisher", help="The outlet, by name (Reuters) or reference (org/reuters)."),
        click.option("--published", help="Publication date (2024-02-09); anchors 'on Friday' and the like."),
        click.option("--title", help="The headline."),
    ]):  # fmt: skip
        command = option(command)
    return command
