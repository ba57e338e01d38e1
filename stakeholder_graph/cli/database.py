"""The commands that talk to a Neo4j server: load (a SOURCE as a wave), waves (list them, clean up after
stopped loads) and query (the Cypher library)."""

from __future__ import annotations

import sys

import click

from ._base import (
    EXIT_INTERRUPTED,
    _connect,
    _echo_json,
    _echo_text,
    _open,
    _progress,
    _shown,
    _write,
    cli,
    format_option,
    neo4j_options,
    source_argument,
    source_format_option,
    uri_option,
)


@cli.command()
@source_argument
@uri_option
@click.option("--to", "old_uri", metavar="URI", hidden=True, help="The former name of --uri.")
@click.option("--wave", default="default", show_default=True, help="Snapshot name: several waves live side by side.")
@click.option("--replace", is_flag=True, help="The wave becomes exactly SOURCE (what SOURCE lacks is removed).")
@neo4j_options
@source_format_option
def load(source: str, uri: str, old_uri: str | None, wave: str, replace: bool, user: str | None):
    """Validate SOURCE, then write it into Neo4j as a wave.

    The whole dataset is checked before the first write: bad input writes
    nothing. The wave is locked while it loads (a second load of it fails at
    once), written under a name of its own and made visible in one short
    transaction at the end: readers see the old wave or the new one, never a
    part, also when the load is stopped (Ctrl-C, exit 130) or the server goes.
    Without --replace the data is written over the wave (loading the same data
    twice changes nothing); with it, the wave becomes exactly SOURCE. Read it
    back with any command: SOURCE can be the URI with ?wave=NAME.

    \b
    Example:
      NEO4J_PASSWORD=... stakeholder-graph load data/riverton --uri bolt://127.0.0.1:7687 --wave 2026
      stakeholder-graph report "bolt://127.0.0.1:7687?wave=2026"
    """
    from ..neo4j_store.load import LoadInterrupted, load_graph

    uri = old_uri or uri
    ctx = click.get_current_context()
    try:
        G = _open(source)
        driver = _connect(uri, user)
        try:
            with _progress(G.number_of_nodes() + G.number_of_edges(), f"loading wave {wave}") as bar:
                result = load_graph(driver, G, wave=wave, replace=replace, progress=bar.update if bar else None)
        finally:
            driver.close()
    except LoadInterrupted as exc:
        if exc.published is None:  # stopped while publishing and could not look: either is complete
            state = "is the old one or the new one, complete (`stakeholder-graph waves` shows which)"
        else:
            state = "is the new one, complete" if exc.published else "was not changed"
        left = (
            "what the load wrote is left for `stakeholder-graph waves --clean`"
            if exc.left
            else "nothing the load wrote is left behind"
        )
        click.echo(f"interrupted: wave {wave!r} {state}; {left}", err=True)
        ctx.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("interrupted before anything was written", err=True)
        ctx.exit(EXIT_INTERRUPTED)
    removed = f"; {result['deleted']} stakeholders no longer in SOURCE were removed" if result["deleted"] else ""
    click.echo(
        f"loaded {result['nodes']} stakeholders and {result['relationships']} relationships "
        f"into wave {wave!r} at {_shown(uri)}{removed}",
        err=True,
    )


@cli.command()
@uri_option
@format_option("text", "json")
@click.option("--clean", is_flag=True, help="Delete what stopped loads left behind (live loads are left alone).")
@click.option(
    "--stale-after",
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    type=click.FloatRange(0),
    help="A load with no sign of life for this long counts as stopped.",
)
@neo4j_options
def waves(uri: str, fmt: str, clean: bool, stale_after: float, user: str | None):
    """List the waves in Neo4j with their counts and state; clean up after stopped loads.

    States: complete (readable), loading (a load in progress holds the wave's
    lock), deleting (old contents being removed), unfinished (a load or
    deletion that stopped: killed, Ctrl-C twice, server gone; nothing reads
    it). --clean deletes the unfinished ones and releases their locks.

    \b
    Examples:
      stakeholder-graph waves --uri bolt://127.0.0.1:7687
      stakeholder-graph waves --clean --format json
    """
    from ..neo4j_store.waves import clean_waves, wave_status, waves_text

    ctx = click.get_current_context()
    driver = _connect(uri, user)
    try:
        cleaned = clean_waves(driver, stale_after=stale_after) if clean else []
        rows = wave_status(driver, stale_after=stale_after)
    except KeyboardInterrupt:
        click.echo("interrupted: what was not deleted yet is left for the next `waves --clean`", err=True)
        ctx.exit(EXIT_INTERRUPTED)
    finally:
        driver.close()
    for piece in cleaned:
        if piece["was"] == "orphaned":
            what = f"{piece['stakeholders']} stakeholders of no wave (written for wave {piece['wave']!r})"
        else:
            doing = "load" if piece["was"] == "loading" else "deletion"
            what = (
                f"the unfinished {doing} of wave {piece['wave']!r} by {piece['by']} since {piece['since']} "
                f"({piece['stakeholders']} stakeholders)"
            )
        click.echo(f"deleted {what}", err=True)
    if fmt == "json":
        _echo_json({"waves": rows, "cleaned": cleaned})
    else:
        click.echo(waves_text(rows), nl=False)
    unfinished = sum(row["state"] == "unfinished" for row in rows)
    if unfinished and not clean:
        click.echo(f"{unfinished} unfinished: `stakeholder-graph waves --clean` deletes them", err=True)


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
    from ..neo4j_store.queries import find_query, library, parse_params, parse_query, run_query

    if list_queries:
        for q in library():
            declared = " ".join(f"{p.name}=<{p.type}>" if p.required else f"[{p.name}={p.default!r}]" for p in q.params)
            _echo_text(f"{q.name} {declared}".rstrip() + f"\n    {q.description}")
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

    from .._escape import spreadsheet_cell

    frame = pd.DataFrame(rows, columns=columns)
    if fmt == "csv":
        frame = frame.map(lambda v: "|".join(map(str, v)) if isinstance(v, list) else v)
        frame = frame.map(lambda v: spreadsheet_cell(v) if isinstance(v, str) else v)  # a spreadsheet runs none
        frame.columns = [spreadsheet_cell(str(c)) for c in frame.columns]
        _write(frame.to_csv(index=False))
    else:
        _echo_text(frame.to_string(index=False) if len(frame) else "(no rows)")
