"""``missilekg serve``: the SPARQL endpoint under gunicorn (or waitress, or in one process for ``memory:``).
"""

from __future__ import annotations

import click

from missilekg.graph.store.spec import parse_spec
from missilekg.server.cli.context import Context


@click.command("serve")
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
    from missilekg.server.wsgi import default_workers, serve_gunicorn

    config: dict = {"STORE": obj.spec}
    if query_timeout is not None:
        config["QUERY_TIMEOUT"] = query_timeout
    if allow_service:
        config["ALLOWED_SERVICES"] = list(allow_service)
    where = parse_spec(obj.spec)
    in_memory = where.in_memory
    if server_name == "waitress" or in_memory:
        import waitress

        from missilekg.server import create_app

        app = create_app(config, store=obj.store() if in_memory else None)
        click.echo(f"Serving SPARQL on http://{host}:{port}/sparql with waitress (store {obj.spec})", err=True)
        waitress.serve(app, host=host, port=port, threads=workers or 8)
        return
    if where.path is not None and not where.path.exists():
        raise click.ClickException(f"no store at {obj.spec}: run `missilekg --store {obj.spec} build` first")
    count = workers or default_workers()
    click.echo(f"Serving SPARQL on http://{host}:{port}/sparql with gunicorn, {count} workers (store {obj.spec})",
               err=True)  # fmt: skip
    serve_gunicorn(config, host=host, port=port, workers=count, access_log=access_log)


COMMANDS = (serve_command,)
