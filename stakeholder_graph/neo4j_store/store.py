"""Neo4j as the system of record: connect, load a graph as a wave, read it back, run library queries.

Model in Neo4j: every stakeholder is a node with the common label ``:Stakeholder`` and one label for
its kind (``:Person``, ``:Organization``, ``:Community``, ``:Service``, ``:Team``, ``:Engagement``);
its properties are the graph's node attributes plus ``wave``. Relationships have the type in upper case
(``REFERS_TO``, ``TRUSTS``...) and the edge attributes plus ``wave``. The program's expectations are one
``:Program {wave}`` node. A uniqueness constraint on ``(wave, id)`` keeps waves side by side.

Every value from the data travels as a query parameter. Labels and relationship types are never taken
from input: they come from the fixed vocabularies in :mod:`stakeholder_graph.vocab`.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager, suppress
from urllib.parse import parse_qs, urlsplit, urlunsplit

import networkx as nx

from ..errors import DatabaseError, DataError, Problem
from ..program import Program
from ..vocab import EDGE_TYPES, KINDS

__all__ = [
    "URI_SCHEMES",
    "DEFAULT_WAVE",
    "is_neo4j_uri",
    "split_uri",
    "connect",
    "load_graph",
    "read_neo4j",
    "delete_wave",
    "list_waves",
    "BATCH_SIZE",
    "WORKERS",
]

URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DEFAULT_WAVE = "default"
#: Rows written per transaction.
BATCH_SIZE = 5000
#: Write transactions run side by side.
WORKERS = 2
_LABEL = {kind: kind.capitalize() for kind in KINDS}
_KIND = {label: kind for kind, label in _LABEL.items()}
_TYPE = {edge_type: edge_type.upper() for edge_type in EDGE_TYPES}
_EDGE = {rel: edge_type for edge_type, rel in _TYPE.items()}
_EMPTY: list = []


def is_neo4j_uri(source: str) -> bool:
    """True when ``source`` is a Neo4j URI (``bolt://``, ``neo4j://``, ``neo4j+s://``...)."""
    return isinstance(source, str) and source.split("://", 1)[0].lower() in URI_SCHEMES and "://" in source


def split_uri(uri: str) -> tuple[str, str | None]:
    """Separate ``?wave=NAME`` from a URI: ``("bolt://host:7687", "NAME")``."""
    try:
        parts = urlsplit(uri)
    except ValueError as exc:
        raise DatabaseError(f"{uri} is not a usable Neo4j address: {exc}") from None
    wave = parse_qs(parts.query).get("wave", [None])[0]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), wave


def connect(uri: str, user: str | None = None, password: str | None = None):
    """Open a driver and check that the server answers and accepts the credentials.

    Credentials default to ``NEO4J_USER`` (else ``neo4j``) and ``NEO4J_PASSWORD``.

    Raises
    ------
    DatabaseError
        One sentence: the server is unreachable, or it refused the user name or password.
    """
    import neo4j
    from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable

    uri, _ = split_uri(uri)
    user = user or os.environ.get("NEO4J_USER") or "neo4j"
    password = password if password is not None else os.environ.get("NEO4J_PASSWORD", "")
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=(user, password), connection_timeout=10)
    except (ConfigurationError, ValueError) as exc:
        raise DatabaseError(f"{uri} is not a usable Neo4j address: {exc}") from None
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        raise DatabaseError(
            f"Neo4j at {uri} refused the user name or password: set NEO4J_USER and NEO4J_PASSWORD (or pass --user)."
        ) from None
    except (ServiceUnavailable, OSError) as exc:
        driver.close()
        raise DatabaseError(
            f"Neo4j at {uri} is not reachable ({type(exc).__name__}): is the server running? "
            "For the project's own server: scripts/neo4j start"
        ) from None
    except Neo4jError as exc:
        driver.close()
        raise DatabaseError(f"Neo4j at {uri} refused the connection: {exc.message}") from None
    return driver


def _run(driver, work: Callable, write: bool = True):
    """Run a unit of work in a managed transaction, turning driver errors into DatabaseError."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

    try:
        with driver.session() as session:
            return session.execute_write(work) if write else session.execute_read(work)
    except (ServiceUnavailable, SessionExpired) as exc:
        raise DatabaseError(f"lost the connection to Neo4j: {exc}") from None
    except Neo4jError as exc:
        raise DatabaseError(f"Neo4j refused the request: {exc.message}") from None


def ensure_schema(driver) -> None:
    """Create the uniqueness constraint and indexes, if they do not exist yet (idempotent)."""
    statements = [
        "CREATE CONSTRAINT stakeholder_wave_id IF NOT EXISTS FOR (n:Stakeholder) REQUIRE (n.wave, n.id) IS UNIQUE",
        "CREATE CONSTRAINT program_wave IF NOT EXISTS FOR (p:Program) REQUIRE p.wave IS UNIQUE",
        "CREATE INDEX stakeholder_id IF NOT EXISTS FOR (n:Stakeholder) ON (n.id)",
        "CREATE INDEX stakeholder_wave IF NOT EXISTS FOR (n:Stakeholder) ON (n.wave)",
        "CREATE INDEX stakeholder_sector IF NOT EXISTS FOR (n:Stakeholder) ON (n.sector)",
    ]
    for statement in statements:
        _run(driver, lambda tx, s=statement: tx.run(s).consume())


def _batches(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


@contextmanager
def _gc_paused():
    """Pause Python's cyclic garbage collector: building hundreds of thousands of small dicts and lists
    otherwise runs full collections over them again and again (up to a third of a read-back's time).
    Nothing built here holds reference cycles; reference counting still frees everything at once."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def delete_wave(driver, wave: str, batch_size: int = BATCH_SIZE) -> int:
    """Delete a wave's stakeholders, relationships and program. Returns the number of nodes deleted.

    Relationships go first, then nodes, each in transactions of ``batch_size`` rows
    (``CALL { ... } IN TRANSACTIONS``), so a wave of any size stays within the server's memory limits.
    """
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    statements = [
        "MATCH (:Stakeholder {wave: $wave})-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF $rows ROWS",
        "MATCH (n:Stakeholder {wave: $wave}) CALL (n) { DELETE n } IN TRANSACTIONS OF $rows ROWS "
        "RETURN count(*) AS deleted",
        "MATCH (p:Program {wave: $wave}) DELETE p",
    ]
    deleted = 0
    try:
        with driver.session() as session:
            for statement in statements:
                result = session.run(statement, wave=wave, rows=batch_size)
                record = result.single() if "RETURN" in statement else None
                result.consume()
                if record is not None:
                    deleted = record["deleted"]
    except ServiceUnavailable as exc:
        raise DatabaseError(f"lost the connection to Neo4j: {exc}") from None
    except Neo4jError as exc:
        raise DatabaseError(f"Neo4j refused the request: {exc.message}") from None
    return deleted


def list_waves(driver) -> list[str]:
    """The waves stored in the database, sorted."""
    return _run(
        driver,
        lambda tx: [r["wave"] for r in tx.run("MATCH (p:Program) RETURN p.wave AS wave ORDER BY wave")],
        write=False,
    )


def _program_properties(program: Program) -> dict:
    props = {}
    for field in dataclasses.fields(Program):
        if field.name == "extra":
            continue
        value = getattr(program, field.name)
        if value is not None:
            props[field.name] = list(value) if isinstance(value, tuple) else value
    return props


def _write_batches(
    driver, jobs: list[tuple[str, list]], wave: str, workers: int, progress: Callable[[int], None] | None
) -> list:
    """Run ``(query, rows)`` write jobs, ``workers`` transactions at a time; their single records, in order.

    Each job is one managed transaction (``execute_write``, retried by the driver on transient errors such as
    a deadlock between two batches). Two transactions side by side keep both of the server's cores busy:
    while one commits, the other runs its query.
    """

    def write(job):
        query, rows = job
        return _run(driver, lambda tx: tx.run(query, rows=rows, wave=wave).single())

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(write, job) for job in jobs]
        records = []
        try:
            for job, future in zip(jobs, futures):
                records.append(future.result())
                if progress:
                    progress(len(job[1]))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        return records


def load_graph(
    driver,
    G: nx.MultiDiGraph,
    wave: str = DEFAULT_WAVE,
    replace: bool = False,
    batch_size: int = BATCH_SIZE,
    workers: int = WORKERS,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Write a (validated) stakeholder graph into Neo4j as ``wave``.

    Loading the same graph twice changes nothing: nodes are merged on ``(wave, id)`` and relationships on
    their endpoints and type, and their properties are set to exactly the graph's. With ``replace``, the
    wave's previous contents are deleted first, so what was removed from the data goes too.

    Nodes are written first, in batches of ``UNWIND $rows`` run ``workers`` at a time; each batch returns
    the ``elementId`` of its nodes, and the relationship batches find their ends by these (no index
    lookups). The load is not one transaction: when a write fails part way into a new wave, what was
    written is deleted again; into an existing wave, loading again completes it.

    Parameters
    ----------
    batch_size : int
        Rows per transaction.
    workers : int
        Transactions run side by side.
    progress : callable, optional
        Called with the number of rows written after each batch.

    Returns
    -------
    dict
        ``wave``, ``nodes``, ``relationships`` written and ``deleted`` (nodes removed by ``replace``).

    Raises
    ------
    DatabaseError
        The server refused a write, or the wave's nodes changed under the load (another client deleting
        them): then load again.
    """
    ensure_schema(driver)
    deleted = delete_wave(driver, wave, batch_size) if replace else 0
    fresh = _run(
        driver,
        lambda tx: tx.run("MATCH (n:Stakeholder {wave: $wave}) RETURN n LIMIT 1", wave=wave).single() is None,
        write=False,
    )
    try:
        with _gc_paused():
            nodes, edges = _write_graph(driver, G, wave, fresh, batch_size, workers, progress)
    except BaseException:
        if fresh:  # leave no half-written wave behind
            with suppress(DatabaseError):
                delete_wave(driver, wave, batch_size)
        raise
    return {"wave": wave, "nodes": nodes, "relationships": edges, "deleted": deleted}


def _node_query(label: str, fresh: bool) -> str:
    """Write a batch of ``[id, properties]`` rows as nodes of ``label``; returns ``[id, elementId]`` pairs.

    A fresh wave is written with CREATE (no lookups of what is there); otherwise MERGE keeps it idempotent.
    """
    if fresh:
        write = f"CREATE (n:Stakeholder:{label}) SET n = row[1]"
    else:
        write = (
            f"MERGE (n:Stakeholder {{wave: $wave, id: row[0]}}) "
            f"ON CREATE SET n = row[1], n:{label} ON MATCH SET n = row[1], n:{label}"
        )
    return f"UNWIND $rows AS row {write} RETURN collect([row[0], elementId(n)]) AS written"


def _relationship_query(rel: str, fresh: bool) -> str:
    """Write a batch of ``[source elementId, target elementId, properties]`` rows as ``rel`` relationships."""
    return (
        f"UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row[0] MATCH (b) WHERE elementId(b) = row[1] "
        f"{'CREATE' if fresh else 'MERGE'} (a)-[r:{rel}]->(b) SET r = row[2] RETURN count(*) AS written"
    )


def _write_graph(
    driver,
    G: nx.MultiDiGraph,
    wave: str,
    fresh: bool,
    batch_size: int,
    workers: int,
    progress: Callable[[int], None] | None,
) -> tuple[int, int]:
    """Write the nodes, the relationships and the program of ``G``; the numbers of nodes and relationships."""
    # Rows are lists, not maps, and every property (wave and id included) is in one map set with
    # `SET x = row[i]`: reading fields of a map row (`row.id`) after a write makes Cypher buffer the whole
    # batch first (an Eager operator), since such a row could be a node whose properties the write changes.
    by_label: dict[str, list[list]] = {}
    for node, attrs in G.nodes(data=True):
        props = {key: value for key, value in attrs.items() if value is not None and value != _EMPTY}
        props["wave"], props["id"] = wave, node
        by_label.setdefault(_LABEL[attrs["kind"]], []).append([node, props])
    jobs = [
        (_node_query(label, fresh), batch) for label, rows in by_label.items() for batch in _batches(rows, batch_size)
    ]
    element_id = {}
    for record in _write_batches(driver, jobs, wave, workers, progress):
        element_id.update(record["written"])
    # Relationships find their ends by the element ids the node batches just returned (no index lookups).
    by_type: dict[str, list[list]] = {}
    for u, v, key, attrs in G.edges(keys=True, data=True):
        props = {k: value for k, value in attrs.items() if k != "type" and value is not None and value != _EMPTY}
        props["wave"] = wave
        by_type.setdefault(_TYPE[key], []).append([element_id[u], element_id[v], props])
    jobs = [
        (_relationship_query(rel, fresh), batch)
        for rel, rows in by_type.items()
        for batch in _batches(rows, batch_size)
    ]
    records = _write_batches(driver, jobs, wave, workers, progress)
    edges = sum(len(rows) for rows in by_type.values())
    if sum(record["written"] for record in records) != edges:
        raise DatabaseError(
            f"the stakeholders of wave {wave!r} changed while it was being loaded "
            "(another client deleting them?): load it again"
        )
    program = G.graph.get("program") or Program()
    _run(
        driver,
        lambda tx: tx.run(
            "MERGE (p:Program {wave: $wave}) SET p = $props, p.wave = $wave",
            wave=wave,
            props=_program_properties(program),
        ).consume(),
    )
    return len(element_id), edges


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
        edge_type = _EDGE.get(rel)
        if edge_type is None:  # a relationship type of somebody else's making
            continue
        props.pop("wave", None)
        props["type"] = edge_type
        if v not in pred:  # a node outside the wave: let NetworkX add it as add_edge always did
            G.add_edge(u, v, edge_type, **props)
            continue
        keyed = succ[u].get(v)
        if keyed is None:
            succ[u][v] = pred[v][u] = {edge_type: props}
        else:
            keyed[edge_type] = props


def _read_wave(driver, wave: str, workers: int) -> tuple[dict | None, nx.MultiDiGraph]:
    """The wave's program properties (None when there is no such wave) and its graph."""
    G = nx.MultiDiGraph()
    program = _run(
        driver,
        lambda tx: tx.run("MATCH (p:Program {wave: $wave}) RETURN properties(p) AS p", wave=wave).single(),
        write=False,
    )
    if program is None:
        return None, G
    # One query per node label, then one per label of the source for relationships, each returning one
    # list: the driver decodes a few large records far faster than many small ones, and each list stays
    # small enough for the server's transaction memory. ``workers`` queries run side by side, so the
    # server works on the next list while this process decodes one and fills the graph.
    jobs = [
        (kind, f"MATCH (n:Stakeholder:{label} {{wave: $wave}}) RETURN collect([n.id, properties(n)]) AS rows")
        for label, kind in _KIND.items()
    ]
    jobs += [
        (
            None,
            f"MATCH (a:Stakeholder:{label} {{wave: $wave}})-[r]->(b:Stakeholder) "
            "RETURN collect([a.id, b.id, type(r), properties(r)]) AS rows",
        )
        for label in _LABEL.values()
    ]

    def fetch(query: str) -> list:
        return _run(driver, lambda tx: tx.run(query, wave=wave).single()["rows"], write=False)

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
    return program["p"], G


def read_neo4j(
    uri: str, wave: str | None = None, user: str | None = None, password: str | None = None, workers: int = WORKERS
) -> nx.MultiDiGraph:
    """Read a wave back from Neo4j into the same graph that was loaded.

    ``wave`` defaults to the URI's ``?wave=NAME``, else ``default``. ``workers`` queries run side by side.

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
        with _gc_paused():
            program, G = _read_wave(driver, wave, workers)
        waves = list_waves(driver) if program is None else []
    finally:
        driver.close()
    if program is None:
        known = ", ".join(waves) or "none"
        raise DataError(
            Problem(f"{base}?wave={wave}", None, None, f"no wave {wave!r} in this database (waves: {known})")
        )
    settings = {k: v for k, v in program.items() if k != "wave"}
    for key in ("expected_sectors", "expected_methods", "expected_needs", "priority_communities"):
        if key in settings:
            settings[key] = tuple(settings[key])
    G.graph["program"] = Program(**settings)
    G.graph["name"] = G.graph["program"].name
    G.graph["wave"] = wave
    return G
