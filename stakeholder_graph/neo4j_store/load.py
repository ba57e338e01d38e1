"""Loading a stakeholder graph into Neo4j as a wave: locked, written under a key of its own, published at once.

Model in Neo4j: every stakeholder is a node with the common label ``:Stakeholder`` and one label for
its kind (``:Person``, ``:Organization``, ``:Community``, ``:Service``, ``:Team``, ``:Engagement``);
its properties are the graph's node attributes plus ``wave``, the key of the load that wrote it (see
:mod:`.waves`). Relationships have the type in upper case (``REFERS_TO``, ``TRUSTS``...) and the edge
attributes. The program's expectations are the wave's ``:Program {wave, load}`` node.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice

import networkx as nx

from .._bulk import paused_gc
from ..errors import DatabaseError
from ..program import Program
from . import waves
from .connect import DEFAULT_WAVE, LABEL, TYPE, ConnectionLost, run
from .read import WORKERS, read_wave

__all__ = ["BATCH_SIZE", "WORKERS", "LoadInterrupted", "load_graph"]

#: Rows written per transaction.
BATCH_SIZE = 5000
_EMPTY: list = []


class LoadInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a load. ``published``: the new contents had already been made visible (None: unknown,
    stopped while publishing); ``left``: what the load wrote could not all be deleted (a second Ctrl-C):
    ``waves --clean`` deletes it."""

    def __init__(self, wave: str, *, published: bool | None, left: bool):
        super().__init__(wave)
        self.wave, self.published, self.left = wave, published, left


def _batches(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _program_properties(program: Program) -> dict:
    props = {}
    for field in dataclasses.fields(Program):
        if field.name == "extra":
            continue
        value = getattr(program, field.name)
        if value is not None:
            props[field.name] = list(value) if isinstance(value, tuple) else value
    return props


def _write_batch(driver, query: str, rows: list, key: str, owner: waves.Owner):
    """One batch in one managed transaction (retried by the driver on transient errors such as a deadlock
    between two batches); its single record."""
    owner.check()
    return run(driver, lambda tx: tx.run(query, rows=rows, key=key).single())


def _write_batches(
    driver, jobs: list[tuple[str, list]], key: str, workers: int, progress: Callable[[int], None] | None, owner
) -> list:
    """Run ``(query, rows)`` write jobs, ``workers`` transactions at a time; their single records, in order.

    Two transactions side by side keep both of the server's cores busy: while one commits, the other runs
    its query. At most ``2 * workers`` batches are handed out ahead of the one awaited, so an error or
    Ctrl-C stops the load within a few batches: those not started are cancelled and the running ones
    finish before this returns (nothing is written after the load gives up).
    """
    window = 2 * max(1, workers)
    remaining = iter(jobs)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pending = deque(
            (rows, pool.submit(_write_batch, driver, query, rows, key, owner))
            for query, rows in islice(remaining, window)
        )
        records = []
        try:
            while pending:
                rows, future = pending.popleft()
                records.append(future.result())
                for query, more in islice(remaining, 1):
                    pending.append((more, pool.submit(_write_batch, driver, query, more, key, owner)))
                if progress:
                    progress(len(rows))
        except BaseException:
            for _, future in pending:
                future.cancel()
            raise
        return records


def _node_query(label: str) -> str:
    """Write a batch of ``[id, properties]`` rows as new nodes of ``label``; returns ``[id, elementId]`` pairs."""
    return f"UNWIND $rows AS row CREATE (n:Stakeholder:{label}) SET n = row[1] RETURN collect([row[0], elementId(n)]) AS written"


def _relationship_query(rel: str) -> str:
    """Write a batch of ``[source elementId, target elementId, properties]`` rows as ``rel`` relationships."""
    return (
        "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row[0] MATCH (b) WHERE elementId(b) = row[1] "
        f"CREATE (a)-[r:{rel}]->(b) SET r = row[2] RETURN count(*) AS written"
    )


def _write_graph(
    driver, G: nx.MultiDiGraph, key: str, batch_size: int, workers: int, progress, owner
) -> tuple[int, int]:
    """Write the nodes and relationships of ``G`` under ``key``; the numbers of nodes and relationships."""
    # Rows are lists, not maps, and every property (wave and id included) is in one map set with
    # `SET x = row[i]`: reading fields of a map row (`row.id`) after a write makes Cypher buffer the whole
    # batch first (an Eager operator), since such a row could be a node whose properties the write changes.
    by_label: dict[str, list[list]] = {}
    for node, attrs in G.nodes(data=True):
        props = {k: value for k, value in attrs.items() if value is not None and value != _EMPTY}
        props["wave"], props["id"] = key, node
        by_label.setdefault(LABEL[attrs["kind"]], []).append([node, props])
    jobs = [(_node_query(label), batch) for label, rows in by_label.items() for batch in _batches(rows, batch_size)]
    element_id = {}
    for record in _write_batches(driver, jobs, key, workers, progress, owner):
        element_id.update(record["written"])
    # Relationships find their ends by the element ids the node batches just returned (no index lookups).
    by_type: dict[str, list[list]] = {}
    for u, v, k, attrs in G.edges(keys=True, data=True):
        props = {
            name: value for name, value in attrs.items() if name != "type" and value is not None and value != _EMPTY
        }
        by_type.setdefault(TYPE[k], []).append([element_id[u], element_id[v], props])
    jobs = [(_relationship_query(rel), batch) for rel, rows in by_type.items() for batch in _batches(rows, batch_size)]
    records = _write_batches(driver, jobs, key, workers, progress, owner)
    edges = sum(len(rows) for rows in by_type.values())
    if sum(record["written"] for record in records) != edges:
        raise DatabaseError(
            "stakeholders of this load were deleted while it was being written (by another client?): load again"
        )
    return len(element_id), edges


def _union(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``old`` with ``new`` written over it: a stakeholder or relationship (source, target, type) in ``new``
    has exactly ``new``'s attributes; what only ``old`` has stays. ``old`` is changed and returned."""
    old.graph = dict(new.graph)
    for node, attrs in new.nodes(data=True):
        old.add_node(node)
        old._node[node] = dict(attrs)
    for u, v, k, attrs in new.edges(keys=True, data=True):
        old.add_edge(u, v, key=k)
        data = old._succ[u][v][k]
        data.clear()
        data.update(attrs)
    nx._clear_cache(old)
    return old


def load_graph(
    driver,
    G: nx.MultiDiGraph,
    wave: str = DEFAULT_WAVE,
    replace: bool = False,
    batch_size: int = BATCH_SIZE,
    workers: int = WORKERS,
    progress: Callable[[int], None] | None = None,
    *,
    stale_after: float = waves.STALE_AFTER,
) -> dict:
    """Write a (validated) stakeholder graph into Neo4j as ``wave``; readers see the old wave or the new one.

    The wave is locked for the load (a second load of it fails at once, naming who holds the lock), the
    graph is written under a key of its own, in batches of ``UNWIND $rows`` run ``workers`` at a time, and
    made visible in one short transaction at the end, which also releases the lock. The old contents are
    then deleted in batches. Interrupted at any point (an error, Ctrl-C, the process killed, the server
    stopped), the wave stays as it was or is the new one, complete; what the load wrote is deleted, or left
    marked for :func:`~stakeholder_graph.neo4j_store.waves.clean_waves`.

    Without ``replace``, the new wave is the old one with ``G`` written over it: a stakeholder or
    relationship in ``G`` gets exactly ``G``'s attributes, what only the old wave has stays, so loading the
    same graph twice changes nothing. With ``replace``, the new wave is exactly ``G``.

    Parameters
    ----------
    batch_size : int
        Rows per transaction.
    workers : int
        Transactions run side by side.
    progress : callable, optional
        Called with the number of rows written after each batch.
    stale_after : float
        Seconds without a heartbeat after which another load's lock on the wave counts as abandoned.

    Returns
    -------
    dict
        ``wave``, ``nodes`` and ``relationships`` written, ``deleted`` (old stakeholders not in the new wave).

    Raises
    ------
    DatabaseError
        The wave is being loaded by another client, the server refused a write or was lost.
    LoadInterrupted
        Ctrl-C (a ``KeyboardInterrupt``): what was done is in its attributes.
    """
    waves.ensure_schema(driver)
    expected = (G.number_of_nodes(), G.number_of_edges())
    with waves.Owner(driver) as owner:
        key, phase = None, "writing"
        try:
            key = waves.acquire(driver, owner, wave, expected=expected, stale_after=stale_after)
            old_key = run(driver, lambda tx: waves.wave_key(tx, wave), write=False)
            old_ids: set = set()
            if old_key is not None and replace:
                old_ids = set(
                    run(
                        driver,
                        lambda tx: tx.run(
                            "MATCH (n:Stakeholder {wave: $k}) RETURN collect(n.id) AS ids", k=old_key
                        ).single()["ids"],
                        write=False,
                    )
                )
            elif old_key is not None:  # the lock keeps the old wave as it is while it is read and written over
                with paused_gc():
                    old = read_wave(driver, wave, workers)[1]
                old_ids = set(old)
                G = _union(old, G)
                expected = (G.number_of_nodes(), G.number_of_edges())
                run(
                    driver,
                    lambda tx: tx.run(
                        "MATCH (m:WaveLoad {load: $key}) SET m.stakeholders = $n, m.relationships = $e",
                        key=key,
                        n=expected[0],
                        e=expected[1],
                    ).consume(),
                )
            with paused_gc():
                written = _write_graph(driver, G, key, batch_size, workers, progress, owner)
            program = _program_properties(G.graph.get("program") or Program())
            phase = "publishing"
            waves.publish(driver, owner, wave, key, program=program, expected=written)
            phase = "published"
            waves._wait_for_readers(driver)
            waves.delete_owned(driver, owner, batch_size)
        except KeyboardInterrupt:
            published, left = _give_up(driver, owner, wave, key, batch_size, phase=phase)
            raise LoadInterrupted(wave, published=published, left=left) from None
        except BaseException as exc:
            lost = isinstance(exc, ConnectionLost)
            published, left = _give_up(driver, owner, wave, key, batch_size, phase=phase, lost=lost)
            if left and isinstance(exc, DatabaseError):
                if published is None:
                    state = "is the old one or the new one, complete (`stakeholder-graph waves` shows which)"
                else:
                    state = "is the new one" if published else "was not changed"
                raise type(exc)(
                    f"{exc} (wave {wave!r} {state}; `stakeholder-graph waves --clean` deletes what this load left)"
                ) from None
            raise
    return {"wave": wave, "nodes": written[0], "relationships": written[1], "deleted": len(old_ids - set(G))}


def _give_up(
    driver, owner, wave: str, key: str | None, batch_size: int, *, phase: str, lost: bool = False
) -> tuple[bool | None, bool]:
    """After a failure in ``phase``: release the lock and delete what this process wrote or retired.

    Returns (published, left): whether the new contents are the wave now (None: unknown, the server was lost
    while publishing), and whether data was left for ``waves --clean`` (the server is gone, or a second
    Ctrl-C stopped the deletion).
    """
    published = {"writing": False, "publishing": None, "published": True}[phase]
    if lost:
        return published, True
    try:
        waves.abandon(driver, owner)
        published = key is not None and run(driver, lambda tx: waves.wave_key(tx, wave), write=False) == key
        waves.delete_owned(driver, owner, batch_size)
    except (KeyboardInterrupt, DatabaseError):
        return published, True
    return published, False
