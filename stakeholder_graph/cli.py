"""The ``stakeholder-graph`` command line: it parses arguments, calls the library and prints.

Exit status: 0 success, 2 bad input, 3 database unreachable or refused.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from pathlib import Path

import click

from ._files import STDOUT, atomic_write_text, write_stdout
from .bridges import GROUP_BY, bridges_text
from .bridges import bridges as find_bridges
from .dataset import check_new_folder, write_dataset
from .errors import DatabaseError, DataError, Problem
from .gaps import find_gaps, gaps_text
from .messengers import messengers, messengers_text
from .referrals import paths_text, referral_paths
from .report import REPORT_STEPS, build_report, render
from .sources import open_source
from .summary import summarize, summary_text
from .synth import MIN_STAKEHOLDERS, synthesize
from .vocab import NEEDS

EXIT_BAD_INPUT = 2
EXIT_DATABASE = 3
EXIT_BUG = 1
EXIT_INTERRUPTED = 130
#: Set to show the traceback of an unexpected error (a bug) instead of one sentence.
DEBUG_ENVIRONMENT = "STAKEHOLDER_GRAPH_DEBUG"


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
                click.echo(_terminal(str(_as_option(problem, ctx))), err=True)
            count = len(exc.problems)
            click.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except DatabaseError as exc:
            click.echo(f"Error: {_terminal(str(exc))}", err=True)
            ctx.exit(EXIT_DATABASE)
        except (_OutputError, OSError) as exc:  # a file or standard output that cannot be read or written
            error = exc.error if isinstance(exc, _OutputError) else exc
            _silence_stdout()
            if not isinstance(error, BrokenPipeError):  # the reader went away (| head): say nothing
                where = error.filename or ("standard output" if isinstance(exc, _OutputError) else None)
                click.echo(f"Error: {error.strerror or error}{_terminal(f': {where}' if where else '')}", err=True)
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
                f"Error: unexpected {type(exc).__name__}: {_terminal(str(exc))[:300]}. This is a bug in "
                f"stakeholder-graph: please report it (set {DEBUG_ENVIRONMENT}=1 to see where it happened).",
                err=True,
            )
            ctx.exit(EXIT_BUG)


def _terminal(text: str) -> str:
    from ._escape import terminal_text

    return terminal_text(text)


def _as_option(problem: Problem, ctx: click.Context) -> Problem:
    """A library problem that names a parameter (``need``) names the command's option (``--need``)."""
    command = ctx.command.get_command(ctx, ctx.invoked_subcommand) if ctx.invoked_subcommand else None
    for param in getattr(command, "params", ()):
        if isinstance(param, click.Option) and problem.file in {param.name, *(o.lstrip("-") for o in param.opts)}:
            return Problem(param.opts[0], problem.row, problem.column, problem.message)
    return problem


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
    from .sources import FORMATS

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
    from . import privacy

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


def _echo_json(data) -> None:
    _write(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


def _echo_text(text: str) -> None:
    """A text result to standard output, direction overrides and control characters shown escaped."""
    _write(_terminal(text) + ("" if text.endswith("\n") else "\n"))


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


@cli.command()
@source_argument
@source_format_option
def validate(source: str):
    """Check a dataset and list every problem as FILE:ROW:COLUMN: message.

    Exits 0 when the dataset is valid, 2 when it is not.

    \b
    Example:
      stakeholder-graph validate data/riverton
    """
    G = _open(source)
    click.echo(f"{source}: valid ({G.number_of_nodes()} stakeholders, {G.number_of_edges()} relationships)", err=True)


@cli.command()
@source_argument
@format_option("text", "json")
@anonymize_option
@source_format_option
def summary(source: str, fmt: str, anonymize: bool):
    """Counts by kind, sector and relationship type; components; density.

    \b
    Example:
      stakeholder-graph summary data/riverton --format json
    """
    data = summarize(_open(source, anonymize))
    if fmt == "json":
        _echo_json(data)
    else:
        _echo_text(summary_text(data))


def output_option(func):
    """``--output FILE``: write the result to a file instead of standard output."""
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, writable=True),
        help="Write to this file instead of standard output.",
    )(func)


def _open(source: str, anonymize: bool = False, *, fmt: str | None = None, outside: bool = True):
    """Read SOURCE (with ``--source-format``, ``--mapping``, ``--strict`` when given); print the reader's
    warnings and write ``--problems FILE``. ``fmt`` overrides ``--source-format``; ``outside=False`` reads
    without the options meant for an outside source (``merge``'s BASE)."""
    from .formats.problems import write_problems_csv

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
        click.echo(f"warning: {_terminal(warning)}", err=True)
    found = G.graph.get("problems")
    if problems_file:
        write_problems_csv(found or [], problems_file)
        click.echo(f"wrote {problems_file} ({len(found or [])} problem(s))", err=True)
    elif found and len(found) > len(G.graph.get("warnings", [])):  # the summary counted some: say where the list is
        click.echo(f"warning: {len(found)} problem(s) in all; --problems FILE lists each as CSV", err=True)
    anonymizer = _anonymizer(source, anonymize)
    return anonymizer.anonymize(G) if anonymizer else G


def _write_stdout(text: str) -> None:
    """Write ``text`` to standard output whole (:func:`._files.write_stdout`)."""
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


@cli.command()
@source_argument
@format_option("text", "json")
@anonymize_option
@source_format_option
def gaps(source: str, fmt: str, anonymize: bool):
    """List the engagement gaps of a network, most severe first.

    Kinds: missing_stakeholder_group, engagement_method, representation,
    lived_experience_voice, trust, service_coverage, language_access,
    single_point_of_failure, isolated, survey_response (see README). Trust is
    judged from the residents' side: see README, "Credible messengers".

    \b
    Example:
      stakeholder-graph gaps data/riverton --format json
    """
    G = _open(source, anonymize)
    found = find_gaps(G)
    if fmt == "json":
        _echo_json(found)
    else:
        _echo_text(gaps_text(found))


@cli.command()
@source_argument
@click.option("--need", required=True, type=click.Choice(NEEDS), help="The need a caller has.")
@click.option("--from", "source_id", metavar="ID", help="Start here instead of the responder team.")
@click.option("--k", default=3, show_default=True, type=click.IntRange(1, 50), help="Paths to list per service.")
@click.option("--open-at", metavar="HH:MM", help="Mark which services are open at this time.")
@format_option("text", "json")
@anonymize_option
@source_format_option
def paths(source: str, need: str, source_id: str | None, k: int, open_at: str | None, fmt: str, anonymize: bool):
    """Referral paths from the responder team to every service that meets a need.

    Cost of a refers_to or partners_with step: 1 + (4 - strength) + (4 - trust);
    a provides step (an organization to its own service) costs 1. The cheapest
    path is the best; --k paths are listed in all. "independent routes" counts
    routes that share no stakeholder between the team and the service.

    \b
    Example:
      stakeholder-graph paths data/riverton --need overdose --open-at 02:00
    """
    G = _open(source, anonymize)
    result = referral_paths(G, need, source=_translate(source_id), k=k, open_at=open_at)
    if fmt == "json":
        _echo_json(result)
    else:
        _echo_text(paths_text(result, G))


@cli.command()
@source_argument
@click.option("--top", type=click.IntRange(1), metavar="N", help="List only the N best bridges.  [default: all]")
@click.option(
    "--group-by",
    type=click.Choice(GROUP_BY),
    default="sector",
    show_default=True,
    help="Groups for the Gould-Fernandez brokerage roles.",
)
@format_option("text", "json")
@anonymize_option
@source_format_option
def bridges(source: str, top: int | None, group_by: str, fmt: str, anonymize: bool):
    """Rank stakeholders as brokers; list each priority community's credible messengers.

    Brokers (the network's structure): betweenness (unweighted and by tie
    strength), Gould-Fernandez brokerage roles between sectors or communities,
    Burt's effective size and constraint. The score is the mean percentile
    rank of betweenness, liaison + gatekeeper + representative brokerage and
    1 - constraint. Credible messengers (whom a community trusts) come from
    the residents' own trust, not from position: see README, bridges.

    \b
    Example:
      stakeholder-graph bridges data/riverton --top 10 --group-by community
    """
    G = _open(source, anonymize)
    rows = find_bridges(G, group_by=group_by, top=top)
    trusted = messengers(G)
    if fmt == "json":
        _echo_json({"group_by": group_by, "bridges": rows, "messengers": trusted})
    else:
        _echo_text(bridges_text(rows, group_by) + "\n\n" + messengers_text(trusted))


@cli.command()
@source_argument
@format_option("text", "markdown", "html", "json")
@output_option
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="Brokers to list.")
@click.option("--open-at", metavar="HH:MM", help="Mark which services are open at this time.")
@anonymize_option
@source_format_option
def report(source: str, fmt: str, output: str | None, top: int, open_at: str | None, anonymize: bool):
    """The gap report: where to start, gaps, outreach plan, messengers, brokers, referrals.

    It opens with "Start here": the few problems that matter most (most severe,
    then most people concerned), each with its next step from the plan.

    \b
    Examples:
      stakeholder-graph report data/riverton
      stakeholder-graph report data/riverton --format html -o riverton.html
    """
    G = _open(source, anonymize)
    with _progress(len(REPORT_STEPS), "report") as bar:
        data = build_report(G, top=top, open_at=open_at, progress=(lambda step: bar.update(1)) if bar else None)
    _write(render(data, fmt, G), output)


@cli.command()
@source_argument
@format_option("text", "markdown", "json", "csv")
@output_option
@click.option(
    "--introductions",
    "introducer",
    metavar="ID",
    help="Instead: the stakeholders ID can introduce to the team (trusted contacts with no tie to it yet).",
)
@anonymize_option
@source_format_option
def plan(source: str, fmt: str, output: str | None, introducer: str | None, anonymize: bool):
    """The outreach plan: for each gap, whom to invite, through whom, and how.

    One action per area (a community, a sector, a need...), most urgent first,
    each naming the stakeholders to invite and why them, the people to work
    through (trusted by both sides, or by the community's residents), those not
    to go through, and an engagement method, with empty owner and due columns.
    --format csv opens in a spreadsheet.

    \b
    Examples:
      stakeholder-graph plan data/riverton
      stakeholder-graph plan data/riverton --format csv -o plan.csv
      stakeholder-graph plan data/riverton --introductions p-keisha-morgan
    """
    from .messengers import introductions
    from .plan import build_plan, plan_csv, plan_markdown, plan_text, safe_cell

    G = _open(source, anonymize)
    if introducer is not None:
        who = _translate(introducer)  # a person's id is a pseudonym in anonymized output
        if who not in G:
            raise DataError(Problem("--introductions", None, None, f"{introducer!r} is not a stakeholder id"))
        rows = introductions(G, who)
        if fmt == "json":
            text = json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
        elif fmt == "csv":
            columns = ("id", "name", "kind", "sector", "trust")
            text = (
                ",".join(columns)
                + "\r\n"
                + "".join(",".join(_csv_field(safe_cell(r[c])) for c in columns) + "\r\n" for r in rows)
            )
        else:
            lines = [
                f"{r['name']} [{r['id']}] ({r['kind']}, {r['sector'] or 'no sector'}; trust {r['trust']})" for r in rows
            ]
            text = "\n".join(lines or ["Nobody: no trusted contact without a tie to the team."]) + "\n"
        _write(_terminal(text) if fmt == "text" else text, output)
        return
    actions = build_plan(G)
    if fmt == "json":
        text = json.dumps(actions, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        text = plan_csv(actions)
    elif fmt == "markdown":
        text = plan_markdown(actions)
    else:
        text = plan_text(actions)
    _write(_terminal(text) if fmt == "text" else text, output)


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


@cli.command("map")
@source_argument
@click.option(
    "--output", "-o", required=True, type=click.Path(dir_okay=False, writable=True), help="The HTML file to write."
)
@click.option(
    "--color-by",
    default="sector",
    show_default=True,
    metavar="COLUMN",
    help="sector, community, kind or any stakeholder column.",
)
@click.option(
    "--size-by",
    type=click.Choice(("degree", "betweenness", "trust", "value")),
    default="degree",
    show_default=True,
    help="What a node's size shows.",
)
@click.option("--focus", metavar="ID", help="Draw only this stakeholder and its neighbours (see --depth).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(1), help="Steps around --focus.")
@click.option("--need", type=click.Choice(NEEDS), help="Highlight the referral paths for this need.")
@click.option("--community", metavar="ID", help="Draw this community, its trusted ties and credible messengers.")
@click.option(
    "--aggregate",
    type=click.Choice(("auto", "none", "organization", "sector")),
    default="auto",
    show_default=True,
    help="Fold stakeholders into clusters (auto: above 3,000 stakeholders).",
)
@click.option(
    "--layout",
    type=click.Choice(("auto", "physics")),
    default="auto",
    show_default=True,
    help="auto: positions computed here, the page opens still; physics: the browser lays it out.",
)
@click.option("--title", help="The page title.  [default: the program's name]")
@anonymize_option
@source_format_option
def map_(
    source: str,
    output: str,
    color_by: str,
    size_by: str,
    focus: str | None,
    depth: int,
    need: str | None,
    community: str | None,
    aggregate: str,
    layout: str,
    title: str | None,
    anonymize: bool,
):
    """Write an interactive network map: one HTML file that opens offline.

    Colour by sector, size by a measure, shape by kind; gaps, bridging
    messengers and single points of failure are marked; filters, search and
    a legend are in the page. Views: the whole network, --focus ID (ego
    network), --need NEED (referral paths) or --community ID.

    \b
    Examples:
      stakeholder-graph map data/riverton -o riverton-map.html
      stakeholder-graph map data/riverton --need overdose -o overdose.html
      stakeholder-graph map data/riverton --community com-eastbank --anonymize -o eastbank.html
    """
    from .maps import build_map

    G = _open(source, anonymize)
    _write(
        build_map(
            G,
            color_by=color_by,
            size_by=size_by,
            focus=_translate(focus),
            depth=depth,
            need=need,
            community=_translate(community),
            aggregate=aggregate,
            layout=layout,
            title=title,
        ),
        output,
    )


@cli.command()
@source_argument
@format_option("text", "json")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="Stakeholders to list (text).")
@anonymize_option
@source_format_option
def scores(source: str, fmt: str, top: int, anonymize: bool):
    """Network scores: density, centralization, reciprocity, PARTNER trust and value.

    Also per stakeholder: degree, closeness, eigenvector, trust and value
    scores (all of them in JSON; the top by degree in text).

    \b
    Example:
      stakeholder-graph scores data/riverton --format json
    """
    from .scores import network_scores, node_scores, scores_text

    G = _open(source, anonymize)
    network, per_node = network_scores(G), node_scores(G)
    if fmt == "json":
        _echo_json({"network": network, "stakeholders": per_node})
    else:
        names = {n: a.get("name", n) for n, a in G.nodes(data=True)}
        _echo_text(scores_text(network, per_node, names, top=top))


@cli.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="[NEW]", required=False)
@click.option(
    "--as-of",
    "dates",
    multiple=True,
    metavar="YYYY-MM-DD",
    help="Compare OLD with itself at two dates (give --as-of twice), or see both sources at one date.",
)
@format_option("text", "markdown", "json")
@anonymize_option
def compare(old: str, new: str | None, dates: tuple[str, ...], fmt: str, anonymize: bool):
    """Compare two snapshots: stakeholders, ties, sectors, gaps, scores, bridges.

    OLD and NEW are two sources (folders, exports, Neo4j waves). With one
    source, give --as-of twice to compare it at two dates using the since and
    until columns of relationships.csv.

    \b
    Examples:
      stakeholder-graph compare data/riverton data/riverton-2027
      stakeholder-graph compare data/riverton --as-of 2025-06-01 --as-of 2026-06-01
    """
    from .compare import as_of, compare_markdown, compare_text
    from .compare import compare as compare_waves

    if new is None:
        if len(dates) != 2:
            raise DataError(Problem("compare", None, None, "give NEW, or one source with --as-of twice"))
        G = _open(old, anonymize)
        before, after = as_of(G, dates[0]), as_of(G, dates[1])
    else:
        if len(dates) > 1:
            raise DataError(Problem("--as-of", None, None, "with two sources, give --as-of at most once"))
        before, after = _open(old, anonymize), _open(new, anonymize)
        if dates:
            before, after = as_of(before, dates[0]), as_of(after, dates[0])
    result = compare_waves(before, after)
    if fmt == "json":
        _echo_json(result)
    elif fmt == "markdown":
        _write(compare_markdown(result))
    else:
        _echo_text(compare_text(result))


@cli.command()
@click.option(
    "--stakeholders",
    "n",
    required=True,
    metavar="N",
    type=click.IntRange(MIN_STAKEHOLDERS),
    help=f"Number of stakeholders (nodes), at least {MIN_STAKEHOLDERS}.",
)
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=click.IntRange(0),
    help="Random seed (0 or more): the same seed gives the same network.",
)
@click.argument("out", metavar="OUT", type=click.Path(file_okay=False))
def synth(n: int, seed: int, out: str):
    """Generate a realistic synthetic network and write it as a dataset folder.

    OUT must be a new or empty folder. The network has a responder team,
    organizations in every sector, people, communities, services meeting every
    need and engagements of every method, with about 5 relationships per
    stakeholder; the same N and seed always give the same files.

    \b
    Example:
      stakeholder-graph synth --stakeholders 20000 --seed 1 synthetic-20k
    """
    folder = Path(out)
    check_new_folder(folder)
    with _progress(2, f"synth {n} stakeholders") as bar:
        G = synthesize(n, seed)
        if bar:
            bar.update(1)
        write_dataset(G, folder)
        if bar:
            bar.update(1)
    click.echo(
        f"{out}: wrote {G.number_of_nodes()} stakeholders and {G.number_of_edges()} relationships (seed {seed})",
        err=True,
    )


@cli.command("export")
@source_argument
@click.argument("out", metavar="OUT", type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("folder", "kumu", "gexf", "graphml", "json")),
    default=None,
    help="Output format. Default: from OUT's extension (.xlsx Kumu, .gexf, .graphml, .json); "
    "a dataset folder when OUT has none.",
)
@anonymize_option
@source_format_option
def export_(source: str, out: str, fmt: str | None, anonymize: bool):
    """Write SOURCE for another tool: Kumu, Gephi (GEXF, GraphML), node-link JSON, or a dataset folder.

    Every attribute is kept, and each of these files is a SOURCE too, so an
    export read back gives the same network (see docs/formats.md).

    \b
    Examples:
      stakeholder-graph export data/riverton riverton.xlsx        # Kumu workbook
      stakeholder-graph export data/riverton riverton.gexf        # Gephi
      stakeholder-graph export map.xlsx my-city                   # Kumu map -> dataset folder
    """
    from .export import export as export_graph
    from .export import guess_format

    G = _open(source, anonymize)
    fmt = fmt or guess_format(out)
    if out == STDOUT and fmt == "folder":
        raise DataError(Problem("OUT", None, None, "a dataset folder cannot go to standard output: name a folder"))
    export_graph(G, out, fmt)
    click.echo(
        f"wrote {out} ({fmt}: {G.number_of_nodes()} stakeholders, {G.number_of_edges()} relationships)", err=True
    )


@cli.command()
@click.argument("base", metavar="BASE")
@click.argument("directory", metavar="HSDS_DIR")
@click.argument("out", metavar="OUT_DIR", type=click.Path(file_okay=False))
@format_option("text", "json")
@source_format_option
def merge(base: str, directory: str, out: str, fmt: str):
    """Merge an Open Referral (HSDS) service directory into a dataset; write it to OUT_DIR.

    HSDS_DIR is the directory as published: a folder or a .zip. Organizations
    are matched by name (ignoring case, punctuation, "the" and "inc"): a match
    is filled in, a new one added, and a name that matches several is left out
    and listed as ambiguous. The report of what was matched, added and left
    ambiguous goes to standard output; directory stakeholders with no tie to
    the program are counted as not yet connected. OUT_DIR must be a new or
    empty folder. --source-format applies to BASE; --mapping, --strict and
    --problems to HSDS_DIR.

    \b
    Example:
      stakeholder-graph merge data/riverton riverlands-211.zip riverton-with-211
    """
    from .dataset import check_new_folder, write_dataset
    from .formats.hsds import merge_directory, merge_text

    folder = Path(out)
    check_new_folder(folder)
    G = _open(base, outside=False)
    directory_graph = _open(directory, fmt="hsds")
    merged, result = merge_directory(G, directory_graph)
    write_dataset(merged, folder)
    if fmt == "json":
        _echo_json(result)
    else:
        _echo_text(merge_text(result))
    click.echo(
        f"wrote {out} ({merged.number_of_nodes()} stakeholders, {merged.number_of_edges()} relationships)", err=True
    )


DEFAULT_URI = "bolt://127.0.0.1:7687"


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
    from .neo4j_store.store import connect

    # Two write batches side by side now and then deadlock; the driver retries them and would log a
    # warning with the server's lock report each time. That is routine, not news for the user.
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    password = None
    if user and "NEO4J_PASSWORD" not in os.environ:
        if not sys.stdin.isatty():
            raise DataError(Problem("--user", None, None, "no terminal to ask for the password: set NEO4J_PASSWORD"))
        password = click.prompt(f"Neo4j password for {user}", hide_input=True, err=True)
    return connect(uri, user, password)


def _progress(total: int, label: str):
    """A progress bar on a terminal, nothing when standard error is piped."""
    if sys.stderr.isatty():
        return click.progressbar(length=total, label=label, file=sys.stderr)
    return contextlib.nullcontext(None)


@cli.command()
@source_argument
@click.option(
    "--to",
    "uri",
    envvar="NEO4J_URI",
    default=DEFAULT_URI,
    show_default=True,
    metavar="URI",
    help="The Neo4j server (default: $NEO4J_URI).",
)
@click.option("--wave", default="default", show_default=True, help="Snapshot name: several waves live side by side.")
@click.option("--replace", is_flag=True, help="Remove the wave's previous contents first.")
@neo4j_options
@source_format_option
def load(source: str, uri: str, wave: str, replace: bool, user: str | None):
    """Validate SOURCE, then write it into Neo4j as a wave.

    The whole dataset is checked before the first write: bad input writes
    nothing. Loading the same data twice changes nothing. Read it back with
    any command: SOURCE can be the URI with ?wave=NAME.

    \b
    Example:
      NEO4J_PASSWORD=... stakeholder-graph load data/riverton --to bolt://127.0.0.1:7687 --wave 2026
      stakeholder-graph report "bolt://127.0.0.1:7687?wave=2026"
    """
    from .neo4j_store.store import load_graph

    G = _open(source)
    driver = _connect(uri, user)
    try:
        with _progress(G.number_of_nodes() + G.number_of_edges(), f"loading wave {wave}") as bar:
            result = load_graph(driver, G, wave=wave, replace=replace, progress=bar.update if bar else None)
    finally:
        driver.close()
    removed = f", {result['deleted']} old stakeholders removed first" if replace else ""
    click.echo(
        f"loaded {result['nodes']} stakeholders and {result['relationships']} relationships "
        f"into wave {wave!r} at {uri}{removed}",
        err=True,
    )


@cli.command()
@click.argument("name", metavar="NAME|FILE", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter (repeatable).")
@format_option("table", "csv", "json")
@click.option("--list", "list_queries", is_flag=True, help="List the library's queries and their parameters.")
@click.option(
    "--uri",
    envvar="NEO4J_URI",
    default=DEFAULT_URI,
    show_default=True,
    metavar="URI",
    help="The Neo4j server (default: $NEO4J_URI).",
)
@click.option("--write", is_flag=True, help="Allow a query that writes (queries run read-only otherwise).")
@neo4j_options
def query(
    name: str | None, params: tuple[str, ...], fmt: str, list_queries: bool, uri: str, write: bool, user: str | None
):
    """Run a Cypher query from the library (queries/) or a .cypher file.

    Parameters are passed as Cypher parameters (-p key=value), never pasted
    into the query. Queries run read-only unless --write is given.

    \b
    Examples:
      stakeholder-graph query --list
      stakeholder-graph query sectors-never-engaged -p wave=2026
      stakeholder-graph query referral-paths -p need=overdose -p wave=2026 --format json
    """
    from .neo4j_store.queries import find_query, library, parse_params, run_query

    if list_queries:
        for q in library():
            declared = " ".join(f"{p.name}=<{p.type}>" if p.required else f"[{p.name}={p.default!r}]" for p in q.params)
            _echo_text(f"{q.name} {declared}".rstrip() + f"\n    {q.description}")
        return
    if not name:
        raise DataError(Problem("query", None, None, "name a library query or a .cypher file (see --list)"))
    chosen = find_query(name)
    values = parse_params(chosen, list(params))
    driver = _connect(uri, user)
    try:
        columns, rows = run_query(driver, chosen, values, write=write)
    finally:
        driver.close()
    if fmt == "json":
        _echo_json(rows)
        return
    import pandas as pd

    from ._escape import spreadsheet_cell

    frame = pd.DataFrame(rows, columns=columns)
    if fmt == "csv":
        frame = frame.map(lambda v: "|".join(map(str, v)) if isinstance(v, list) else v)
        frame = frame.map(lambda v: spreadsheet_cell(v) if isinstance(v, str) else v)
        frame.columns = [spreadsheet_cell(str(c)) for c in frame.columns]
        _write(frame.to_csv(index=False))
    else:
        _echo_text(frame.to_string(index=False) if len(frame) else "(no rows)")


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
    from .web.app import serve as run

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


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="stakeholder-graph")


if __name__ == "__main__":  # pragma: no cover
    main()
