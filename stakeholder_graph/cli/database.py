"""The commands that talk to a Neo4j server: load (a SOURCE as a wave) and query (the Cypher library)."""

from __future__ import annotations

import sys

import click

from ._base import (
    _connect,
    _echo_json,
    _echo_text,
    _open,
    _progress,
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
    from ..neo4j_store.store import load_graph

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
