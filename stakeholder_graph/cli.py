"""The ``stakeholder-graph`` command line: it parses arguments, calls the library and prints.

Exit status: 0 success, 2 bad input, 3 database unreachable or refused.
"""

from __future__ import annotations

import functools
import json
import sys

import click

from .errors import DatabaseError, DataError
from .sources import open_source
from .summary import summarize, summary_text

EXIT_BAD_INPUT = 2
EXIT_DATABASE = 3


class _Group(click.Group):
    """A click group that turns the library's errors into messages and exit codes, never tracebacks."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DataError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            count = len(exc.problems)
            click.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except DatabaseError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(EXIT_DATABASE)


def source_argument(func):
    """The SOURCE argument every reading command takes."""
    return click.argument("source", metavar="SOURCE")(func)


def format_option(*choices: str, default: str | None = None):
    """``--format`` with the given choices, the first being the default."""
    def decorator(func):
        return click.option(
            "--format", "fmt", type=click.Choice(choices), default=default or choices[0], show_default=True,
            help="Output format.",
        )(func)
    return decorator


def _echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="stakeholder-graph")
def cli():
    """Map, analyse and report on the stakeholder network of a community responder program.

    SOURCE is a dataset folder (stakeholders.csv, relationships.csv, program.toml);
    see docs/data-format.md.

    \b
    Example:
      stakeholder-graph summary data/riverton
    """


@cli.command()
@source_argument
def validate(source: str):
    """Check a dataset and list every problem as FILE:ROW:COLUMN: message.

    Exits 0 when the dataset is valid, 2 when it is not.

    \b
    Example:
      stakeholder-graph validate data/riverton
    """
    G = open_source(source)
    click.echo(f"{source}: valid ({G.number_of_nodes()} stakeholders, {G.number_of_edges()} relationships)", err=True)


@cli.command()
@source_argument
@format_option("text", "json")
def summary(source: str, fmt: str):
    """Counts by kind, sector and relationship type; components; density.

    \b
    Example:
      stakeholder-graph summary data/riverton --format json
    """
    data = summarize(open_source(source))
    if fmt == "json":
        _echo_json(data)
    else:
        click.echo(summary_text(data))


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="stakeholder-graph")


if __name__ == "__main__":  # pragma: no cover
    main()
