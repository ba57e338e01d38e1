"""The commands that write files and folders: map (an HTML page), synth (a synthetic dataset), export
(other tools' formats), merge (an Open Referral directory into a dataset)."""

from __future__ import annotations

from pathlib import Path

import click

from .._bulk import kept_heap
from .._files import STDOUT
from ..errors import DataError, Problem
from ..vocab import NEEDS
from ._base import (
    _echo_json,
    _echo_text,
    _LibraryMinimum,
    _open,
    _progress,
    _translate,
    _write,
    anonymize_option,
    cli,
    exact_option,
    format_option,
    output_option,
    source_argument,
    source_format_option,
)


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
@exact_option
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
    exact: bool | None,
    anonymize: bool,
):
    """Write an interactive network map: one HTML file that opens offline.

    Colour by sector, size by a measure, shape by kind; gaps, bridging
    messengers and single points of failure are marked; filters, search and
    a legend are in the page. Views: the whole network, --focus ID (ego
    network), --need NEED (referral paths) or --community ID. Above about
    5,000 stakeholders betweenness is estimated, its bound stated on the
    page (--exact: exact, slower).

    \b
    Examples:
      stakeholder-graph map data/riverton -o riverton-map.html
      stakeholder-graph map data/riverton --need overdose -o overdose.html
      stakeholder-graph map data/riverton --community com-eastbank --anonymize -o eastbank.html
    """
    from ..maps import build_map

    G = _open(source, anonymize)  # the one anonymisation step; ids given here are translated into it
    with kept_heap():
        page = build_map(
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
            exact=exact,
        )
    _write(page, output)


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
    "--seed",
    default=0,
    show_default=True,
    type=click.IntRange(0),
    help="Random seed (0 or more): the same seed gives the same network.",
)
@click.option(
    "--relationships-per-stakeholder",
    "per_stakeholder",
    type=float,
    metavar="R",
    help="About R relationships per stakeholder (2 to 50; default about 2.7, a mean degree of 5).",
)
@click.argument("out", metavar="OUT", type=click.Path(file_okay=False))
def synth(n: int, seed: int, per_stakeholder: float | None, out: str):
    """Generate a realistic synthetic network and write it as a dataset folder.

    OUT must be a new or empty folder. The network has a responder team,
    organizations in every sector, people, communities, services meeting every
    need and engagements of every method, with a mean degree of about 5 (2.7
    relationships per stakeholder, or R with --relationships-per-stakeholder);
    the same options always give the same files.

    \b
    Examples:
      stakeholder-graph synth --stakeholders 20000 --seed 1 synthetic-20k
      stakeholder-graph synth --stakeholders 100000 --relationships-per-stakeholder 5 state-500k
    """
    from ..dataset import check_new_folder, write_dataset
    from ..synth import RELATIONSHIPS_PER_STAKEHOLDER, synthesize

    low, high = RELATIONSHIPS_PER_STAKEHOLDER
    if per_stakeholder is not None and not low <= per_stakeholder <= high:
        raise click.BadParameter(
            f"{per_stakeholder:g} is not from {low:g} to {high:g}", param_hint="--relationships-per-stakeholder"
        )
    folder = Path(out)
    check_new_folder(folder)
    with _progress(2, f"synth {n} stakeholders") as bar:
        G = synthesize(n, seed, relationships_per_stakeholder=per_stakeholder)
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
    from ..export import export as export_graph
    from ..export import guess_format

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
    from ..dataset import check_new_folder, write_dataset
    from ..formats.hsds import merge_directory, merge_text

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
