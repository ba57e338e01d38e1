"""The command that serves the shared workspace in the browser: serve."""

from __future__ import annotations

import logging

import click

from ._base import cli


@cli.command()
@click.argument("source", metavar="SOURCE")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option(
    "--admin-password-file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="The first admin's password (first start only); else a one-time password is printed.",
)
@click.option(
    "--state",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Folder of the workspace database (accounts, history, waves).  [default: SOURCE.workspace beside a "
    "folder; stakeholder-graph-WAVE.workspace here for Neo4j]",
)
@click.option(
    "--root-path", default="", metavar="PATH", help="The path a reverse proxy serves it under (e.g. /network)."
)
def serve(source: str, host: str, port: int, admin_password_file: str | None, state: str | None, root_path: str):
    """A shared workspace in the browser: explore, edit and record the network together.

    SOURCE is a dataset folder (one writer: this process; every save checked
    and atomic) or a Neo4j URI with ?wave=NAME (each change one transaction).
    Listens on 127.0.0.1 unless --host says otherwise and prints the address.
    The first start creates the account 'admin' and prints its one-time
    password (or takes --admin-password-file). Stop it with Ctrl+C.

    \b
    Examples:
      stakeholder-graph serve data/riverton
      stakeholder-graph serve "bolt://127.0.0.1:7687?wave=2026" --port 8080
    """
    from ..web.app import serve as run

    logging.getLogger("neo4j").setLevel(logging.ERROR)
    run(
        source,
        host=host,
        port=port,
        admin_password_file=admin_password_file,
        state=state,
        root_path=root_path,
        echo=lambda text: click.echo(text, err=True),
        announce=click.echo,
    )
