"""The ``stakeholder-graph`` command line: it parses arguments, calls the library and prints.

Exit status: 0 success, 2 bad input, 3 database unreachable or refused.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import logging
import os
import sys
from pathlib import Path

import click

from ._files import atomic_write_text
from .errors import DatabaseError, DataError, Problem
from .vocab import NEEDS

# Start fast: this module imports nothing heavy (pandas, networkx, numpy, the Neo4j driver); each command
# imports what it needs, and option values that come from the library are looked up when used.

EXIT_BAD_INPUT = 2
EXIT_DATABASE = 3


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
@source_format_option
def summary(source: str, fmt: str):
    """Counts by kind, sector and relationship type; components; density.

    \b
    Example:
      stakeholder-graph summary data/riverton --format json
    """
    from .summary import summarize, summary_text

    data = summarize(_open(source))
    if fmt == "json":
        _echo_json(data)
    else:
        click.echo(summary_text(data))


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
    from . import privacy
    from .formats.problems import write_problems_csv
    from .sources import open_source

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
    from .gaps import find_gaps, gaps_text

    G = _open(source, anonymize)
    found = find_gaps(G)
    if fmt == "json":
        _echo_json(found)
    else:
        click.echo(gaps_text(found))


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
    from .referrals import paths_text, referral_paths

    G = _open(source, anonymize)
    result = referral_paths(G, need, source=source_id, k=k, open_at=open_at)
    if fmt == "json":
        _echo_json(result)
    else:
        click.echo(paths_text(result, G))


@cli.command()
@source_argument
@top_option("Bridges")
@click.option(
    "--group-by",
    type=_LibraryChoice("bridges", "GROUP_BY"),
    default="sector",
    show_default=True,
    help="Groups for the Gould-Fernandez brokerage roles.",
)
@format_option("text", "json")
@anonymize_option
@source_format_option
def bridges(source: str, top: int, group_by: str, fmt: str, anonymize: bool):
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
    from .bridges import bridges as find_bridges
    from .bridges import bridges_text
    from .messengers import messengers, messengers_text

    G = _open(source, anonymize)
    rows = find_bridges(G, group_by=group_by, top=top)
    trusted = messengers(G)
    if fmt == "json":
        _echo_json({"group_by": group_by, "bridges": rows, "messengers": trusted})
    else:
        click.echo(bridges_text(rows, group_by) + "\n\n" + messengers_text(trusted))


@cli.command()
@source_argument
@format_option("text", "markdown", "html", "json")
@output_option
@top_option("Brokers")
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
    from .report import REPORT_STEPS, build_report, render

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
    from . import privacy
    from .messengers import introductions
    from .plan import build_plan, plan_csv, plan_markdown, plan_text, safe_cell

    G = _open(source, anonymize)
    if introducer is not None:
        who = introducer
        if anonymize and introducer not in G:  # a person's id is a pseudonym in anonymized output
            who = "person-" + privacy.pseudonym(introducer).split()[-1].lower()
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
        _write(text, output)
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
    _write(text, output)


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


@cli.command("map")
@source_argument
@output_option(required=True, help="The HTML file to write.")
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

    G = _open(source)
    _write(
        build_map(
            G,
            color_by=color_by,
            size_by=size_by,
            focus=focus,
            depth=depth,
            need=need,
            community=community,
            anonymize=anonymize,
            aggregate=aggregate,
            layout=layout,
            title=title,
        ),
        output,
    )


@cli.command()
@source_argument
@format_option("text", "json")
@top_option("Stakeholders (text)")
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
        click.echo(scores_text(network, per_node, names, top=top))


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
            raise click.UsageError("give NEW, or one source with --as-of twice")
        G = _open(old, anonymize)
        before, after = as_of(G, dates[0]), as_of(G, dates[1])
    else:
        if len(dates) > 1:
            raise click.UsageError("with two sources, give --as-of at most once")
        before, after = _open(old, anonymize), _open(new, anonymize)
        if dates:
            before, after = as_of(before, dates[0]), as_of(after, dates[0])
    result = compare_waves(before, after)
    if fmt == "json":
        _echo_json(result)
    else:
        click.echo(compare_markdown(result) if fmt == "markdown" else compare_text(result), nl=False)


@cli.command()
@click.option(
    "--stakeholders",
    "n",
    required=True,
    metavar="N",
    type=_LibraryMinimum("synth", "MIN_STAKEHOLDERS"),
    help="Number of stakeholders (nodes).",
)
@click.option(
    "--seed", default=0, show_default=True, type=int, help="Random seed: the same seed gives the same network."
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
    from .dataset import check_new_folder, write_dataset
    from .synth import synthesize

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
        click.echo(merge_text(result))
    click.echo(
        f"wrote {out} ({merged.number_of_nodes()} stakeholders, {merged.number_of_edges()} relationships)", err=True
    )


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
    from .neo4j_store.store import connect

    # Two write batches side by side now and then deadlock; the driver retries them and would log a
    # warning with the server's lock report each time. That is routine, not news for the user.
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    password = None
    if user and "NEO4J_PASSWORD" not in os.environ:
        password = click.prompt(f"Neo4j password for {user}", hide_input=True, err=True)
    return connect(uri, user, password)


def _progress(total: int, label: str):
    """A progress bar on a terminal, nothing when standard error is piped."""
    if sys.stderr.isatty():
        return click.progressbar(length=total, label=label, file=sys.stderr)
    return contextlib.nullcontext(None)


@cli.command()
@source_argument
@uri_option
@click.option("--to", "old_uri", metavar="URI", hidden=True, help="The former name of --uri.")
@click.option("--wave", default="default", show_default=True, help="Snapshot name: several waves live side by side.")
@click.option("--replace", is_flag=True, help="Remove the wave's previous contents first.")
@neo4j_options
@source_format_option
def load(source: str, uri: str, old_uri: str | None, wave: str, replace: bool, user: str | None):
    """Validate SOURCE, then write it into Neo4j as a wave.

    The whole dataset is checked before the first write: bad input writes
    nothing. Loading the same data twice changes nothing. Read it back with
    any command: SOURCE can be the URI with ?wave=NAME.

    \b
    Example:
      NEO4J_PASSWORD=... stakeholder-graph load data/riverton --uri bolt://127.0.0.1:7687 --wave 2026
      stakeholder-graph report "bolt://127.0.0.1:7687?wave=2026"
    """
    from .neo4j_store.store import load_graph

    uri = old_uri or uri
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
@uri_option
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
    from .neo4j_store.queries import find_query, library, parse_params, parse_query, run_query

    if list_queries:
        for q in library():
            declared = " ".join(f"{p.name}=<{p.type}>" if p.required else f"[{p.name}={p.default!r}]" for p in q.params)
            click.echo(f"{q.name} {declared}".rstrip())
            click.echo(f"    {q.description}")
        return
    if not name:
        raise click.UsageError("name a library query or a .cypher file, - for standard input (see --list)")
    if name == "-":
        chosen = parse_query(sys.stdin.read())
    else:
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

    frame = pd.DataFrame(rows, columns=columns)
    if fmt == "csv":
        frame = frame.map(lambda v: "|".join(map(str, v)) if isinstance(v, list) else v)
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        click.echo(frame.to_string(index=False) if len(frame) else "(no rows)")


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="stakeholder-graph")


if __name__ == "__main__":  # pragma: no cover
    main()
