"""What every command shares: the click group (errors become messages and exit codes in one place), the
shared options, reading SOURCE and writing results, the entry point.

Exit status: 0 success, 2 bad input, 3 database unreachable or refused, 130 interrupted (Ctrl-C), 1 a bug.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import os
import sys

import click

from .._escape import terminal_text
from .._files import STDOUT, atomic_write_text, write_stdout
from ..errors import DatabaseError, DataError, Problem

# Start fast: the command line imports nothing heavy (pandas, networkx, numpy, the Neo4j driver); each command
# imports what it needs, and option values that come from the library are looked up when used.

EXIT_BAD_INPUT = 2


EXIT_DATABASE = 3
EXIT_BUG = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C
#: Set to show the traceback of an unexpected error (a bug) instead of one sentence.
DEBUG_ENVIRONMENT = "STAKEHOLDER_GRAPH_DEBUG"


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


class _OutputError(Exception):
    """Standard output could not be written (a full disk, a closed pipe)."""

    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.error = error


class _Group(click.Group):
    """A click group that turns the library's errors into messages and exit codes, never tracebacks.

    DataError -> its problems, exit 2; DatabaseError -> exit 3; a file that cannot be read or written,
    or standard output that cannot be written -> one sentence, exit 2 (a closed pipe, as from ``| head``,
    quietly); Ctrl-C -> "Interrupted.", exit 130 (every writer writes all or nothing, so nothing is
    left half-written); anything else is a bug: one sentence, exit 1 (the traceback with
    STAKEHOLDER_GRAPH_DEBUG=1).
    """

    def invoke(self, ctx: click.Context):
        try:
            result = super().invoke(ctx)
            _flush_stdout()
            return result
        except DataError as exc:
            for problem in exc.problems:
                click.echo(terminal_text(str(_as_option(ctx, problem))), err=True)
            count = len(exc.problems)
            click.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except DatabaseError as exc:
            click.echo(f"Error: {terminal_text(str(exc))}", err=True)
            ctx.exit(EXIT_DATABASE)
        except (_OutputError, OSError) as exc:  # a file or standard output that cannot be read or written
            error = exc.error if isinstance(exc, _OutputError) else exc
            _silence_stdout()
            if not isinstance(error, BrokenPipeError):  # the reader went away (| head): say nothing
                where = error.filename or ("standard output" if isinstance(exc, _OutputError) else None)
                click.echo(f"Error: {error.strerror or error}{terminal_text(f': {where}' if where else '')}", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            _silence_stdout()
            click.echo("\nInterrupted.", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # a bug: one sentence rather than a traceback
            if os.environ.get(DEBUG_ENVIRONMENT):
                raise
            click.echo(
                f"Error: unexpected {type(exc).__name__}: {terminal_text(str(exc))[:300]}. This is a bug in "
                f"stakeholder-graph: please report it (set {DEBUG_ENVIRONMENT}=1 to see where it happened).",
                err=True,
            )
            ctx.exit(EXIT_BUG)


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except OSError as exc:
        raise _OutputError(exc) from None


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that Python's own flush at exit fails no more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (as under a test runner)
        pass


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
    _write(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


def _terminal_if(plain: bool, text: str) -> str:
    """``text`` with direction overrides and control characters escaped when it is plain text output."""
    return terminal_text(text) if plain else text


def _echo_text(text: str) -> None:
    """A text result to standard output, direction overrides and control characters shown escaped."""
    _write(terminal_text(text) + ("" if text.endswith("\n") else "\n"))


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
    """``--anonymize`` and ``--anonymize-key FILE``: the output shows nothing personal (:func:`_anonymizer`)."""
    func = click.option(
        "--anonymize-key",
        metavar="FILE",
        type=click.Path(dir_okay=False),
        expose_value=False,
        callback=_remember,
        help="The file holding the anonymisation key, made when missing; implies --anonymize. "
        "Default: $STAKEHOLDER_GRAPH_ANONYMIZE_KEY, else SOURCE.anonymize-key beside SOURCE.",
    )(func)
    return click.option(
        "--anonymize",
        is_flag=True,
        help="Show nothing personal: people become keyed pseudonyms; notes, tags and other columns are "
        "left out (README: Sharing results; docs/privacy.md).",
    )(func)


def _anonymizer(source: str, anonymize: bool):
    """The command's :class:`~stakeholder_graph.privacy.Anonymizer` (one per command: two sources of
    ``compare`` share the first one's key), or None when the output is not anonymised.

    The key: ``--anonymize-key FILE``, else $STAKEHOLDER_GRAPH_ANONYMIZE_KEY, else the key file beside
    SOURCE (made on first use); a source with no place for a key file gets a key for this run only.
    """
    from .. import privacy

    meta = click.get_current_context().meta
    key_file = meta.get("stakeholder_graph.anonymize_key")
    if not (anonymize or key_file):
        return None
    if "stakeholder_graph.anonymizer" in meta:
        return meta["stakeholder_graph.anonymizer"]
    key, made = None, False
    if key_file:
        key, made = privacy.load_key(key_file)
    elif os.environ.get(privacy.KEY_ENVIRONMENT):
        key = privacy.check_key(os.environ[privacy.KEY_ENVIRONMENT], f"${privacy.KEY_ENVIRONMENT}")
    else:
        key_file = privacy.key_file_for(source)
        try:
            key, made = privacy.load_key(key_file) if key_file else (None, False)
        except OSError as exc:
            click.echo(f"warning: cannot make the key file {key_file} ({exc.strerror})", err=True)
        if key is None:
            click.echo(
                "warning: pseudonyms are new for this run only: give --anonymize-key FILE to keep them", err=True
            )
    if made:
        click.echo(f"made the anonymisation key {key_file}: keep it private, never share it", err=True)
    meta["stakeholder_graph.anonymizer"] = privacy.Anonymizer(key)
    return meta["stakeholder_graph.anonymizer"]


def _translate(node_id: str | None) -> str | None:
    """An id given on the command line, as it is in the anonymised graph (a person's pseudonymous id)."""
    anonymizer = click.get_current_context().meta.get("stakeholder_graph.anonymizer")
    return anonymizer.translate(node_id) if anonymizer else node_id


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


def exact_option(func):
    """``--exact``: betweenness and closeness exact however large the network (see allpaths.EXACT_BUDGET
    and, for maps, allpaths.MAP_BUDGET)."""
    return click.option(
        "--exact",
        is_flag=True,
        default=None,
        help="Exact betweenness and closeness however large the network (on large networks they are "
        "estimated, with error bounds stated in the output; reports above about 20,000 stakeholders, "
        "maps above about 5,000).",
    )(func)


def _open(source: str, anonymize: bool = False, *, fmt: str | None = None, outside: bool = True):
    """Read SOURCE (with ``--source-format``, ``--mapping``, ``--strict`` when given); print the reader's
    warnings and write ``--problems FILE``. ``fmt`` overrides ``--source-format``; ``outside=False`` reads
    without the options meant for an outside source (``merge``'s BASE)."""
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
        click.echo(f"warning: {terminal_text(warning)}", err=True)
    found = G.graph.get("problems")
    if problems_file:
        write_problems_csv(found or [], problems_file)
        click.echo(f"wrote {problems_file} ({len(found or [])} problem(s))", err=True)
    elif found and len(found) > len(G.graph.get("warnings", [])):  # the summary counted some: say where the list is
        click.echo(f"warning: {len(found)} problem(s) in all; --problems FILE lists each as CSV", err=True)
    anonymizer = _anonymizer(source, anonymize)
    return anonymizer.anonymize(G) if anonymizer else G


def _write_stdout(text: str) -> None:
    """Write ``text`` to standard output whole (:func:`.._files.write_stdout`)."""
    try:
        sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # no file descriptor (as under a test runner)
        click.echo(text, nl=False)
        return
    write_stdout(text.encode(sys.stdout.encoding or "utf-8", sys.stdout.errors or "strict"))


def _write(text: str, output: str | None = None) -> None:
    """Write a result to ``output`` (all or nothing: a temporary file is renamed; a device or pipe is
    written directly) or to standard output (``None`` or ``-``)."""
    if output is None or output == STDOUT:
        try:
            _write_stdout(text)
        except OSError as exc:
            raise _OutputError(exc) from None
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
