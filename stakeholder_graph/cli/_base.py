"""What every command shares: the click group (errors become messages and exit codes in one place), the
shared options, reading SOURCE and writing results, the entry point.

Exit status: 0 success, 2 bad input, 3 database unreachable or refused.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import os
import sys

import click

from .._files import atomic_write_text
from ..errors import DatabaseError, DataError, Problem

# Start fast: the command line imports nothing heavy (pandas, networkx, numpy, the Neo4j driver); each command
# imports what it needs, and option values that come from the library are looked up when used.

EXIT_BAD_INPUT = 2


EXIT_DATABASE = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C


def _library(module: str, name: str):
    return getattr(importlib.import_module(f"stakeholder_graph.{module}"), name)


class _LibraryChoice(click.Choice):
    """A ``click.Choice`` of values a library module defines, imported when the choices are first needed
    (the command's ``--help`` or a value to check), not when the command line starts."""

    def __init__(self, module: str, name: str):
        self._source = (module, name)
        super().__init__(())

    @property
    def choices(self):
        return tuple(_library(*self._source))

    @choices.setter
    def choices(self, value):  # click.Choice.__init__ sets it; the library's value wins
        pass


class _LibraryMinimum(click.IntRange):
    """A ``click.IntRange`` whose minimum is a library constant, imported when first needed."""

    def __init__(self, module: str, name: str):
        self._source = (module, name)
        super().__init__()

    @property
    def min(self):
        return _library(*self._source)

    @min.setter
    def min(self, value):
        pass


class _Group(click.Group):
    """A click group that turns the library's errors into messages and exit codes, never tracebacks."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DataError as exc:
            for problem in exc.problems:
                click.echo(str(_as_option(ctx, problem)), err=True)
            count = len(exc.problems)
            click.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except DatabaseError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(EXIT_DATABASE)
        except OSError as exc:  # a file that cannot be read or written: the path given is the problem
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"Error: {exc.strerror or exc}{where}", err=True)
            ctx.exit(EXIT_BAD_INPUT)


#: Library parameters whose command-line option has another name.
_OPTION_OF = {"source": "--from", "date": "--as-of"}


def _as_option(ctx: click.Context, problem: Problem) -> Problem:
    """A problem about a library parameter (``need``, ``size_by``) named as the command's option
    (``--need``, ``--size-by``): the library names parameters, the command line its flags."""
    command = ctx.command
    if isinstance(command, click.Group) and ctx.invoked_subcommand:
        command = command.get_command(ctx, ctx.invoked_subcommand)
    if problem.row is not None or command is None:
        return problem
    flags: dict[str, str] = {}
    for param in command.params:
        if isinstance(param, click.Option):
            flag = max(param.opts, key=len)
            flags[param.name] = flags[flag.lstrip("-").replace("-", "_")] = flag
    flag = flags.get(problem.file) or (
        _OPTION_OF.get(problem.file) if _OPTION_OF.get(problem.file) in flags.values() else None
    )
    return dataclasses.replace(problem, file=flag) if flag else problem


def source_argument(func):
    """The SOURCE argument every reading command takes."""
    return click.argument("source", metavar="SOURCE")(func)


def format_option(*choices: str, default: str | None = None):
    """``--format`` with the given choices, the first being the default."""

    def decorator(func):
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default=default or choices[0],
            show_default=True,
            help="Output format.",
        )(func)

    return decorator


def _remember(ctx: click.Context, param: click.Parameter, value):
    ctx.meta[f"stakeholder_graph.{param.name}"] = value
    return value


def source_format_option(func):
    """``--source-format NAME``, ``--mapping FILE``, ``--strict`` and ``--problems FILE``: how :func:`_open`
    reads SOURCE (docs/formats.md)."""
    from ..sources import FORMATS

    func = click.option(
        "--problems",
        "problems_file",
        metavar="FILE",
        type=click.Path(dir_okay=False, writable=True),
        expose_value=False,
        callback=_remember,
        help="Write every problem found in SOURCE (what was left out and why) to FILE as CSV: file,row,column,message.",
    )(func)
    func = click.option(
        "--strict",
        is_flag=True,
        default=None,
        expose_value=False,
        callback=_remember,
        help="Outside directories (Open Referral): refuse the whole import when anything cannot be read, "
        "instead of importing what can be.",
    )(func)
    func = click.option(
        "--mapping",
        metavar="FILE",
        type=click.Path(exists=True, dir_okay=False),
        expose_value=False,
        callback=_remember,
        help="Other tools' formats (Kumu, Open Referral, GraphML, GEXF, JSON): a TOML file mapping their "
        "types, sectors, needs and fields to ours (see docs/formats.md).",
    )(func)
    return click.option(
        "--source-format",
        metavar="NAME",
        type=click.Choice(list(FORMATS)),
        expose_value=False,
        callback=_remember,
        help=f"Read SOURCE as this format ({', '.join(FORMATS)}) instead of detecting it.",
    )(func)


def _echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="stakeholder-graph")
def cli():
    """Map, analyse and report on the stakeholder network of a community responder program.

    SOURCE is a dataset folder (stakeholders.csv, relationships.csv, program.toml;
    see docs/data-format.md), or a Kumu workbook or blueprint, an Open Referral
    (HSDS) directory, a partner survey export, or a GEXF, GraphML or node-link
    JSON file (see docs/formats.md): detected, or named with --source-format.

    \b
    Example:
      stakeholder-graph summary data/riverton
    """


def anonymize_option(func):
    """``--anonymize``: replace people's names and ids with stable pseudonyms in the output."""
    return click.option("--anonymize", is_flag=True, help="Replace people's names and ids with stable pseudonyms.")(
        func
    )


def output_option(func=None, *, required: bool = False, help: str = "Write to this file instead of standard output."):
    """``--output FILE`` (``-o``): where the result goes; ``-`` is standard output."""

    def decorator(func):
        return click.option(
            "--output",
            "-o",
            required=required,
            type=click.Path(dir_okay=False, writable=True, allow_dash=True),
            help=f"{help} - is standard output.",
        )(func)

    return decorator(func) if func is not None else decorator


#: The one default of --top, on every command that has it.
TOP = 10


def top_option(what: str):
    """``--top N``: how many to list (one default everywhere: :data:`TOP`)."""
    return click.option(
        "--top", default=TOP, show_default=True, metavar="N", type=click.IntRange(1), help=f"{what} to list."
    )


def _open(source: str, anonymize: bool = False, *, fmt: str | None = None, outside: bool = True):
    """Read SOURCE (with ``--source-format``, ``--mapping``, ``--strict`` when given); print the reader's
    warnings and write ``--problems FILE``. ``fmt`` overrides ``--source-format``; ``outside=False`` reads
    without the options meant for an outside source (``merge``'s BASE)."""
    from .. import privacy
    from ..formats.problems import write_problems_csv
    from ..sources import open_source

    context = click.get_current_context(silent=True)
    meta = context.meta if context is not None else {}
    fmt = fmt or meta.get("stakeholder_graph.source_format")
    options = {"mapping": meta.get("stakeholder_graph.mapping"), "strict": meta.get("stakeholder_graph.strict")}
    problems_file = meta.get("stakeholder_graph.problems_file") if outside else None
    try:
        G = open_source(source, fmt, **(options if outside else {}))
    except DataError as exc:
        if problems_file:
            write_problems_csv(exc.problems, problems_file)
            click.echo(f"wrote {problems_file} ({len(exc.problems)} problem(s))", err=True)
        raise
    for warning in G.graph.get("warnings", []):
        click.echo(f"warning: {warning}", err=True)
    found = G.graph.get("problems")
    if problems_file:
        write_problems_csv(found or [], problems_file)
        click.echo(f"wrote {problems_file} ({len(found or [])} problem(s))", err=True)
    elif found and len(found) > len(G.graph.get("warnings", [])):  # the summary counted some: say where the list is
        click.echo(f"warning: {len(found)} problem(s) in all; --problems FILE lists each as CSV", err=True)
    return privacy.anonymize(G) if anonymize else G


def _write(text: str, output: str | None) -> None:
    """Write a result to ``output`` (all or nothing: a temporary file is renamed) or standard output."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    atomic_write_text(output, text)
    click.echo(f"wrote {output}", err=True)


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


DEFAULT_URI = "bolt://127.0.0.1:7687"


def uri_option(func):
    """``--uri URI``: the Neo4j server, on every command that talks to one (default ``$NEO4J_URI``)."""
    return click.option(
        "--uri",
        envvar="NEO4J_URI",
        default=DEFAULT_URI,
        show_default=True,
        metavar="URI",
        help="The Neo4j server (default: $NEO4J_URI).",
    )(func)


def neo4j_options(func):
    """``--user``: the Neo4j user (default NEO4J_USER, else neo4j); the password comes from NEO4J_PASSWORD,
    or is asked for when --user is given without it."""
    return click.option(
        "--user",
        metavar="NAME",
        help="Neo4j user name (default: $NEO4J_USER, else neo4j). The password comes from "
        "$NEO4J_PASSWORD, or is asked for.",
    )(func)


def _connect(uri: str, user: str | None):
    from ..neo4j_store.connect import connect, quiet_driver_logs

    # The driver logs retries (two write batches side by side now and then deadlock) and lost connections;
    # its errors reach us as exceptions, which become one sentence. Its log lines are not news for the user.
    quiet_driver_logs()
    password = None
    if user and "NEO4J_PASSWORD" not in os.environ:
        if not sys.stdin.isatty():
            raise DataError(
                Problem(
                    "--user",
                    None,
                    None,
                    f"cannot ask for the password of {user} without a terminal: set NEO4J_PASSWORD",
                )
            )
        try:
            password = click.prompt(f"Neo4j password for {user}", hide_input=True, err=True)
        except click.Abort:
            raise DataError(Problem("--user", None, None, f"no password given for {user}")) from None
    return connect(uri, user, password)


def _shown(uri: str) -> str:
    """A Neo4j URI as it may be printed (without a password written into it)."""
    from ..neo4j_store.connect import shown_uri

    return shown_uri(uri)


def _progress(total: int, label: str):
    """A progress bar on a terminal, nothing when standard error is piped."""
    if sys.stderr.isatty():
        return click.progressbar(length=total, label=label, file=sys.stderr)
    return contextlib.nullcontext(None)


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="stakeholder-graph")
