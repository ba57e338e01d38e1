"""The commands that analyse a network and print what they find: validate, summary, gaps, paths, bridges,
report, plan, scores, compare."""

from __future__ import annotations

import json

import click

from ..errors import DataError, Problem
from ..vocab import NEEDS
from ._base import (
    _csv_field,
    _echo_json,
    _echo_text,
    _LibraryChoice,
    _open,
    _progress,
    _terminal_if,
    _translate,
    _write,
    anonymize_option,
    cli,
    exact_option,
    format_option,
    output_option,
    source_argument,
    source_format_option,
    top_option,
)


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
    from ..summary import summarize, summary_text

    data = summarize(_open(source, anonymize))
    if fmt == "json":
        _echo_json(data)
    else:
        _echo_text(summary_text(data))


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
    from ..gaps import find_gaps, gaps_text

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
    from ..referrals import paths_text, referral_paths

    G = _open(source, anonymize)
    result = referral_paths(G, need, source=_translate(source_id), k=k, open_at=open_at)
    if fmt == "json":
        _echo_json(result)
    else:
        _echo_text(paths_text(result, G))


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
@exact_option
@anonymize_option
@source_format_option
def bridges(source: str, top: int, group_by: str, fmt: str, exact: bool | None, anonymize: bool):
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
    from ..bridges import bridges as find_bridges
    from ..bridges import bridges_text
    from ..messengers import messengers, messengers_text

    G = _open(source, anonymize)
    rows = find_bridges(G, group_by=group_by, top=top, exact=exact)
    trusted = messengers(G)
    if fmt == "json":
        _echo_json({"group_by": group_by, "bridges": rows, "messengers": trusted})
    else:
        _echo_text(bridges_text(rows, group_by) + "\n\n" + messengers_text(trusted))


@cli.command()
@source_argument
@format_option("text", "markdown", "html", "json")
@output_option
@top_option("Brokers")
@click.option("--open-at", metavar="HH:MM", help="Mark which services are open at this time.")
@exact_option
@anonymize_option
@source_format_option
def report(
    source: str, fmt: str, output: str | None, top: int, open_at: str | None, exact: bool | None, anonymize: bool
):
    """The gap report: where to start, gaps, outreach plan, messengers, brokers, referrals.

    It opens with "Start here": the few problems that matter most (most severe,
    then most people concerned), each with its next step from the plan.

    \b
    Examples:
      stakeholder-graph report data/riverton
      stakeholder-graph report data/riverton --format html -o riverton.html
    """
    from ..report import REPORT_STEPS, build_report, render

    phases = ("read", *REPORT_STEPS, "render")
    with _progress(len(phases), f"report: {phases[0]}") as bar:

        def done(phase: str) -> None:  # one step of the bar per phase, labelled with the next one
            if bar:
                following = phases.index(phase) + 1
                bar.label = f"report: {phases[following]}" if following < len(phases) else "report"
                bar.update(1)

        G = _open(source, anonymize)
        done("read")
        data = build_report(G, top=top, open_at=open_at, progress=done, exact=exact)
        text = render(data, fmt, G)
        done("render")
    _write(text, output)


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
    from ..messengers import introductions
    from ..plan import build_plan, plan_csv, plan_markdown, plan_text, safe_cell

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
        _write(_terminal_if(fmt == "text", text), output)
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
    _write(_terminal_if(fmt == "text", text), output)


@cli.command()
@source_argument
@format_option("text", "json")
@top_option("Stakeholders (text)")
@exact_option
@anonymize_option
@source_format_option
def scores(source: str, fmt: str, top: int, exact: bool | None, anonymize: bool):
    """Network scores: density, centralization, reciprocity, PARTNER trust and value.

    Also per stakeholder: degree, closeness, eigenvector, trust and value
    scores (all of them in JSON; the top by degree in text).

    \b
    Example:
      stakeholder-graph scores data/riverton --format json
    """
    from ..scores import network_scores, node_scores, scores_text

    G = _open(source, anonymize)
    network, per_node = network_scores(G), node_scores(G, exact=exact)
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
    from ..compare import as_of, compare_markdown, compare_text
    from ..compare import compare as compare_waves

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
    elif fmt == "markdown":
        _write(compare_markdown(result))
    else:
        _echo_text(compare_text(result))
