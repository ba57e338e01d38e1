"""Reading a wave back from Neo4j into the graph that was loaded.

The wave's ``:Program`` node names the load that is visible (see :mod:`.waves`); the stakeholders are read
under that load's key, one list per label, side by side. A load published while this read runs is noticed
(the Program points elsewhere at the end) and the read starts again, so a reader gets the old wave or the
new one, never a mix.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor, as_completed

import networkx as nx

from .._bulk import paused_gc  # hundreds of thousands of small dicts, no cycles
from ..errors import DatabaseError, DataError, Problem
from ..program import Program
from .connect import DEFAULT_WAVE, EDGE, KIND, LABEL, connect, run, shown_uri, split_uri
from .waves import list_waves, wave_key

__all__ = ["WORKERS", "read_neo4j"]

#: Queries run side by side.
WORKERS = 2
#: Reads started again when a new load of the wave is published meanwhile.
_ATTEMPTS = 3
_PROGRAM_FIELDS = {field.name for field in dataclasses.fields(Program)} - {"extra"}


def _fill(G: nx.MultiDiGraph, kind: str | None, rows: list) -> None:
    """Add one list read from Neo4j to ``G``: nodes ``[id, properties]`` when ``kind`` is given, else
    relationships ``[source id, target id, type, properties]``.

    Writes NetworkX's adjacency dictionaries directly (what ``add_node`` and ``add_edge`` build, without a
    call per item): the read-back is dominated by Python work, and this is a third of it.
    """
    node, succ, pred = G._node, G._succ, G._pred
    if kind is not None:
        for n, props in rows:
            del props["wave"], props["id"]
            props.setdefault("kind", kind)
            node[n] = props
            succ[n] = {}
            pred[n] = {}
        return
    for u, v, rel, props in rows:
        edge_type = EDGE.get(rel)
        if edge_type is None:  # a relationship type of somebody else's making
            continue
        props.pop("wave", None)  # relationships written by earlier versions carry it
        props["type"] = edge_type
        if v not in pred:  # a node outside the wave: let NetworkX add it as add_edge always did
            G.add_edge(u, v, edge_type, **props)
            continue
        keyed = succ[u].get(v)
        if keyed is None:
            succ[u][v] = pred[v][u] = {edge_type: props}
        else:
            keyed[edge_type] = props


def _read_key(driver, key: str, workers: int) -> nx.MultiDiGraph:
    """The stakeholders and relationships written under ``key``."""
    G = nx.MultiDiGraph()
    # One query per node label, then one per label of the source for relationships, each returning one
    # list: the driver decodes a few large records far faster than many small ones, and each list stays
    # small enough for the server's transaction memory. ``workers`` queries run side by side, so the
    # server works on the next list while this process decodes one and fills the graph.
    jobs = [
        (kind, f"MATCH (n:Stakeholder:{label} {{wave: $key}}) RETURN collect([n.id, properties(n)]) AS rows")
        for label, kind in KIND.items()
    ]
    jobs += [
        (
            None,
            f"MATCH (a:Stakeholder:{label} {{wave: $key}})-[r]->(b:Stakeholder) "
            "RETURN collect([a.id, b.id, type(r), properties(r)]) AS rows",
        )
        for label in LABEL.values()
    ]

    def fetch(query: str) -> list:
        return run(driver, lambda tx: tx.run(query, key=key).single()["rows"], write=False)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(fetch, query): kind for kind, query in jobs}
        try:
            node_lists = [future for future, kind in futures.items() if kind is not None]
            for future in node_lists:  # every node before any relationship
                _fill(G, futures[future], future.result())
            for future in as_completed([f for f in futures if futures[f] is None]):
                _fill(G, None, future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    nx._clear_cache(G)
    return G


def _program(driver, wave: str) -> tuple[str | None, dict | None]:
    """The key of the wave's visible load and its program's properties; (None, None) without such a wave."""

    def work(tx):
        key = wave_key(tx, wave)
        if key is None:
            return None, None
        return key, tx.run("MATCH (p:Program {wave: $wave}) RETURN properties(p) AS p", wave=wave).single()["p"]

    return run(driver, work, write=False)


def read_wave(driver, wave: str, workers: int = WORKERS) -> tuple[dict | None, nx.MultiDiGraph]:
    """The wave's program properties (None when there is no such wave) and its graph, read consistently."""
    for _ in range(_ATTEMPTS):
        key, program = _program(driver, wave)
        if key is None:
            return None, nx.MultiDiGraph()
        G = _read_key(driver, key, workers)
        if _program(driver, wave)[0] == key:
            return program, G
    raise DatabaseError(f"wave {wave!r} was replaced {_ATTEMPTS} times while it was being read: read it again")


def read_neo4j(
    uri: str, wave: str | None = None, user: str | None = None, password: str | None = None, workers: int = WORKERS
) -> nx.MultiDiGraph:
    """Read a wave back from Neo4j into the same graph that was loaded.

    ``wave`` defaults to the URI's ``?wave=NAME``, else ``default``. ``workers`` queries run side by side.
    Only published waves are read: a load in progress or one that was interrupted is never seen.

    Raises
    ------
    DatabaseError
        Unreachable server or refused credentials.
    DataError
        The wave does not exist.
    """
    base, uri_wave = split_uri(uri)
    wave = wave or uri_wave or DEFAULT_WAVE
    driver = connect(base, user, password)
    try:
        with paused_gc():
            program, G = read_wave(driver, wave, workers)
        waves = list_waves(driver) if program is None else []
    finally:
        driver.close()
    if program is None:
        known = ", ".join(waves) or "none"
        raise DataError(
            Problem(f"{shown_uri(base)}?wave={wave}", None, None, f"no wave {wave!r} in this database (waves: {known})")
        )
    settings = {k: v for k, v in program.items() if k in _PROGRAM_FIELDS}
    for key in ("expected_sectors", "expected_methods", "expected_needs", "priority_communities"):
        if key in settings:
            settings[key] = tuple(settings[key])
    G.graph["program"] = Program(**settings)
    G.graph["name"] = G.graph["program"].name
    G.graph["wave"] = wave
    return G
