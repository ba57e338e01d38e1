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
import os
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit, urlunsplit

import networkx as nx

from .errors import DatabaseError, DataError, Problem
from .program import Program
from .vocab import EDGE_TYPES, KINDS

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
]

URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DEFAULT_WAVE = "default"
#: Rows written per transaction.
BATCH_SIZE = 5000
_LABEL = {kind: kind.capitalize() for kind in KINDS}
_KIND = {label: kind for kind, label in _LABEL.items()}
_TYPE = {edge_type: edge_type.upper() for edge_type in EDGE_TYPES}
_EDGE = {rel: edge_type for edge_type, rel in _TYPE.items()}


def is_neo4j_uri(source: str) -> bool:
    """True when ``source`` is a Neo4j URI (``bolt://``, ``neo4j://``, ``neo4j+s://``...)."""
    return isinstance(source, str) and source.split("://", 1)[0].lower() in URI_SCHEMES and "://" in source


def split_uri(uri: str) -> tuple[str, str | None]:
    """Separate ``?wave=NAME`` from a URI: ``("bolt://host:7687", "NAME")``."""
    parts = urlsplit(uri)
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
        raise DatabaseError(f"Neo4j at {uri} refused the user name or password: set NEO4J_USER and "
                            "NEO4J_PASSWORD (or pass --user).") from None
    except (ServiceUnavailable, OSError) as exc:
        driver.close()
        raise DatabaseError(f"Neo4j at {uri} is not reachable ({type(exc).__name__}): is the server running? "
                            "For the project's own server: scripts/neo4j start") from None
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
        yield rows[start:start + size]


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
    return _run(driver, lambda tx: [r["wave"] for r in tx.run(
        "MATCH (p:Program) RETURN p.wave AS wave ORDER BY wave")], write=False)


def _program_properties(program: Program) -> dict:
    props = {}
    for field in dataclasses.fields(Program):
        if field.name == "extra":
            continue
        value = getattr(program, field.name)
        if value is not None:
            props[field.name] = list(value) if isinstance(value, tuple) else value
    return props


def load_graph(driver, G: nx.MultiDiGraph, wave: str = DEFAULT_WAVE, replace: bool = False,
               batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None) -> dict:
    """Write a (validated) stakeholder graph into Neo4j as ``wave``.

    Loading the same graph twice changes nothing: nodes are merged on ``(wave, id)`` and relationships on
    their endpoints and type, and their properties are set to exactly the graph's. With ``replace``, the
    wave's previous contents are deleted first, so what was removed from the data goes too.

    Parameters
    ----------
    progress : callable, optional
        Called with the number of rows written after each batch.

    Returns
    -------
    dict
        ``wave``, ``nodes``, ``relationships`` written and ``deleted`` (nodes removed by ``replace``).
    """
    ensure_schema(driver)
    deleted = delete_wave(driver, wave, batch_size) if replace else 0
    # An empty wave is written with CREATE (no lookups of what is there); otherwise MERGE keeps it idempotent.
    fresh = _run(driver, lambda tx: tx.run("MATCH (n:Stakeholder {wave: $wave}) RETURN n LIMIT 1",
                                           wave=wave).single() is None, write=False)
    write = "CREATE" if fresh else "MERGE"
    by_label: dict[str, list[dict]] = {}
    for node, attrs in G.nodes(data=True):
        props = {key: value for key, value in attrs.items() if value is not None and value != []}
        by_label.setdefault(_LABEL[attrs["kind"]], []).append({"id": node, "props": props})
    for label, rows in by_label.items():
        if fresh:
            query = (f"UNWIND $rows AS row CREATE (n:Stakeholder:{label} {{wave: $wave, id: row.id}}) "
                     f"SET n += row.props")
        else:
            query = (f"UNWIND $rows AS row MERGE (n:Stakeholder {{wave: $wave, id: row.id}}) "
                     f"SET n = row.props, n.wave = $wave, n.id = row.id, n:{label}")
        for batch in _batches(rows, batch_size):
            _run(driver, lambda tx, b=batch, q=query: tx.run(q, rows=b, wave=wave).consume())
            if progress:
                progress(len(batch))
    by_type: dict[str, list[dict]] = {}
    for u, v, key, attrs in G.edges(keys=True, data=True):
        props = {k: value for k, value in attrs.items() if k != "type" and value is not None and value != []}
        by_type.setdefault(_TYPE[key], []).append({"source": u, "target": v, "props": props})
    for rel, rows in by_type.items():
        query = (f"UNWIND $rows AS row "
                 f"MATCH (a:Stakeholder {{wave: $wave, id: row.source}}) "
                 f"MATCH (b:Stakeholder {{wave: $wave, id: row.target}}) "
                 f"{write} (a)-[r:{rel}]->(b) SET r = row.props, r.wave = $wave")
        for batch in _batches(rows, batch_size):
            _run(driver, lambda tx, b=batch, q=query: tx.run(q, rows=b, wave=wave).consume())
            if progress:
                progress(len(batch))
    program = G.graph.get("program") or Program()
    _run(driver, lambda tx: tx.run("MERGE (p:Program {wave: $wave}) SET p = $props, p.wave = $wave",
                                   wave=wave, props=_program_properties(program)).consume())
    return {"wave": wave, "nodes": G.number_of_nodes(), "relationships": G.number_of_edges(), "deleted": deleted}


def read_neo4j(uri: str, wave: str | None = None, user: str | None = None, password: str | None = None) -> nx.MultiDiGraph:
    """Read a wave back from Neo4j into the same graph that was loaded.

    ``wave`` defaults to the URI's ``?wave=NAME``, else ``default``.

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
    G = nx.MultiDiGraph()
    try:
        def read(tx):
            # One record per node label, and one per label of the source for relationships, each holding a
            # list: the driver decodes a few large records far faster than many small ones, and each list
            # stays small enough for the server's transaction memory. The graph is filled as they arrive.
            program = tx.run("MATCH (p:Program {wave: $wave}) RETURN properties(p) AS p", wave=wave).single()
            if program is None:
                return None
            for label, kind in _KIND.items():
                rows = tx.run(f"MATCH (n:Stakeholder:{label} {{wave: $wave}}) "
                              "RETURN collect([n.id, properties(n)]) AS rows", wave=wave).single()["rows"]
                for node, props in rows:
                    del props["wave"], props["id"]
                    props.setdefault("kind", kind)
                G.add_nodes_from(rows)
            for label in _LABEL.values():
                rows = tx.run(f"MATCH (a:Stakeholder:{label} {{wave: $wave}})-[r]->(b:Stakeholder) "
                              "RETURN collect([a.id, b.id, type(r), properties(r)]) AS rows", wave=wave).single()["rows"]
                add_edge = G.add_edge
                for u, v, rel, props in rows:
                    edge_type = _EDGE.get(rel)
                    if edge_type is not None:
                        props.pop("wave", None)
                        props["type"] = edge_type
                        add_edge(u, v, edge_type, **props)
            return program

        program = _run(driver, read, write=False)
        waves = list_waves(driver) if program is None else []
    finally:
        driver.close()
    if program is None:
        known = ", ".join(waves) or "none"
        raise DataError(Problem(f"{base}?wave={wave}", None, None, f"no wave {wave!r} in this database (waves: {known})"))
    settings = {k: v for k, v in program["p"].items() if k != "wave"}
    for key in ("expected_sectors", "expected_methods", "expected_needs", "priority_communities"):
        if key in settings:
            settings[key] = tuple(settings[key])
    G.graph["program"] = Program(**settings)
    G.graph["name"] = G.graph["program"].name
    G.graph["wave"] = wave
    return G
