"""The workspace on a Neo4j wave: each change one transaction, a version per record, several writers.

The wave holds the network exactly as ``stakeholder-graph load`` writes it (``:Stakeholder`` nodes with a
label per kind, relationship types in upper case, every attribute a property plus ``wave``: the key of the
wave's visible load, which its ``:Program`` names, see :mod:`stakeholder_graph.neo4j_store.waves`), so
every command reads what the workspace wrote. A change writes under that key; while a ``load`` of the wave
is in progress (it holds the wave's lock) changes are refused, since the load will replace what they wrote. Beside it, two kinds of bookkeeping nodes that carry no
``:Stakeholder`` label and so are invisible to readers of the wave: ``(:SgRecordVersion {wave, key,
version})``, one per record ever changed here, and ``(:SgWorkspace {wave, revision})``, counting the
wave's changes (pages re-read the wave when it moves, so changes made by another workspace process show).

A change runs in one write transaction: it first takes the wave's Program write lock (so a load cannot
lock the wave in the middle of it) and looks up the visible key, then raises the version of every record
it touches (taking the records' write locks), refuses when one was not at the version the change was based on, then writes
the records and raises the revision. Labels and relationship types come from the fixed vocabularies,
never from input; every value travels as a parameter.
"""

from __future__ import annotations

import threading
import time

import networkx as nx

from .._ids import make_id
from ..errors import DatabaseError, DataError, Problem
from ..neo4j_store.store import DEFAULT_WAVE, connect, list_waves, load_graph, read_neo4j, split_uri
from ..vocab import EDGE_TYPES, KINDS
from .records import parse_key
from .state import State
from .storage import Conflict, Store

__all__ = ["Neo4jStore", "REVISION_CHECK_SECONDS"]

#: How often (at most) a page asks Neo4j whether another process changed the wave.
REVISION_CHECK_SECONDS = 1.0

_LABEL = {kind: kind.capitalize() for kind in KINDS}
_ALL_LABELS = ":".join(_LABEL.values())
_TYPE = {edge_type: edge_type.upper() for edge_type in EDGE_TYPES}

_SCHEMA = (
    "CREATE CONSTRAINT sg_record_version IF NOT EXISTS FOR (v:SgRecordVersion) REQUIRE (v.wave, v.key) IS UNIQUE",
    "CREATE CONSTRAINT sg_workspace IF NOT EXISTS FOR (w:SgWorkspace) REQUIRE w.wave IS UNIQUE",
)
_BUMP_VERSIONS = (
    "UNWIND $keys AS key MERGE (v:SgRecordVersion {wave: $wave, key: key}) ON CREATE SET v.version = 0 "
    "SET v.version = v.version + 1 RETURN key, v.version AS version"
)
_BUMP_REVISION = (
    "MERGE (w:SgWorkspace {wave: $wave}) ON CREATE SET w.revision = 0 SET w.revision = w.revision + 1 "
    "RETURN w.revision AS revision"
)


class _Refused(Exception):
    """Raised inside a transaction function to roll it back."""

    def __init__(self, conflict: Conflict):
        self.conflict = conflict


def _props(attrs: dict, **more) -> dict:
    return {k: v for k, v in attrs.items() if k != "type" and v is not None and v != []} | more


class Neo4jStore(Store):
    """A wave in Neo4j (``bolt://host:7687?wave=NAME``) as a workspace's live network."""

    kind = "neo4j"

    def __init__(self, uri: str, state: State):
        self.uri = uri
        self.base, wave = split_uri(uri)
        self.wave_name = wave or DEFAULT_WAVE
        self.state = state
        self.description = f"{self.base}, wave {self.wave_name} (Neo4j)"
        self.driver = connect(self.base)
        if self.wave_name not in list_waves(self.driver):
            known = ", ".join(list_waves(self.driver)) or "none"
            self.driver.close()
            raise DataError(
                Problem(
                    uri,
                    None,
                    None,
                    f"no wave {self.wave_name!r} in this database (waves: {known}); load one first with "
                    f"'stakeholder-graph load FOLDER --to {self.base} --wave {self.wave_name}'",
                )
            )
        for statement in _SCHEMA:
            self._run(lambda tx, s=statement: tx.run(s).consume())
        self._lock = threading.RLock()
        self._G: nx.MultiDiGraph | None = None
        self._revision: tuple[int, str | None] = (-1, None)
        self._checked = 0.0
        self.graph()

    # ---------------------------------------------------------------------------------- reading
    def _run(self, work, write: bool = True):
        """Run ``work(tx)`` in a managed transaction; driver errors become one-sentence DatabaseErrors."""
        from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

        try:
            with self.driver.session() as session:
                return session.execute_write(work) if write else session.execute_read(work)
        except (ServiceUnavailable, SessionExpired) as exc:
            raise DatabaseError(f"lost the connection to Neo4j: {exc}") from None
        except Neo4jError as exc:
            raise DatabaseError(f"Neo4j refused the change: {exc.message}") from None

    def _read_revision(self) -> tuple[int, str | None]:
        """The wave's count of changes and the key of its visible load: either moves when the wave changed
        (a change here or in another workspace; a ``load`` that replaced it)."""
        record = self._run(
            lambda tx: tx.run(
                "OPTIONAL MATCH (w:SgWorkspace {wave: $wave}) OPTIONAL MATCH (p:Program {wave: $wave}) "
                "RETURN w.revision AS r, coalesce(p.load, p.wave) AS key",
                wave=self.wave_name,
            ).single(),
            write=False,
        )
        return record["r"] or 0, record["key"]

    def graph(self) -> nx.MultiDiGraph:
        now = time.monotonic()
        if self._G is not None and now - self._checked < REVISION_CHECK_SECONDS:
            return self._G
        with self._lock:
            revision = self._read_revision()
            self._checked = time.monotonic()
            if self._G is None or revision != self._revision:
                self._G = read_neo4j(self.base, wave=self.wave_name)
                self._revision = revision
            return self._G

    def revision(self) -> str:
        self.graph()
        return "neo4j-{}-{}".format(*self._revision)

    def versions(self, keys) -> dict[str, int]:
        keys = list(dict.fromkeys(keys))
        rows = self._run(
            lambda tx: [
                (r["key"], r["version"])
                for r in tx.run(
                    "UNWIND $keys AS key MATCH (v:SgRecordVersion {wave: $wave, key: key}) RETURN key, v.version AS version",
                    keys=keys,
                    wave=self.wave_name,
                )
            ],
            write=False,
        )
        found = dict(rows)
        return {key: found.get(key, 0) for key in keys}

    # ---------------------------------------------------------------------------------- writing
    def _visible_key(self, tx) -> str:
        """The key the wave's stakeholders are written under, with the Program's write lock held (a load
        takes it to lock the wave); refused while a load of the wave is in progress or after it was deleted."""
        record = tx.run(
            "MATCH (p:Program {wave: $wave}) SET p._lock = true REMOVE p._lock RETURN coalesce(p.load, p.wave) AS key",
            wave=self.wave_name,
        ).single()
        if record is None:
            raise DatabaseError(f"wave {self.wave_name!r} is no longer in this database (deleted by another client)")
        loading = tx.run(
            "MATCH (m:WaveLoad {lock: $wave}) RETURN m.user + '@' + m.host AS by", wave=self.wave_name
        ).single()
        if loading is not None:
            raise DatabaseError(
                f"wave {self.wave_name!r} is being loaded by {loading['by']}, which will replace it: "
                "changes can be saved again when that load is done"
            )
        return record["key"]

    def _write_records(
        self, tx, records: list[dict], expected: dict[str, int]
    ) -> tuple[dict[str, int], tuple[int, str]]:
        key = self._visible_key(tx)
        keys = [r["key"] for r in records]
        bumped = {row["key"]: row["version"] for row in tx.run(_BUMP_VERSIONS, keys=keys, wave=self.wave_name)}
        moved = {k: (expected[k], bumped[k] - 1) for k in keys if k in expected and bumped[k] != expected[k] + 1}
        if moved:
            raise _Refused(Conflict(moved))
        wave = key  # stakeholders carry the key of the visible load
        for record in records:
            parsed, after = parse_key(record["key"]), record["after"]
            if parsed[0] == "stakeholder":
                node = parsed[1]
                if after is None:
                    tx.run("MATCH (n:Stakeholder {wave: $wave, id: $id}) DETACH DELETE n", wave=wave, id=node).consume()
                    continue
                label = _LABEL[after["kind"]]  # a validated kind: one of the vocabulary's
                tx.run(
                    f"MERGE (n:Stakeholder {{wave: $wave, id: $id}}) SET n = $props REMOVE n:{_ALL_LABELS} SET n:{label}",
                    wave=wave,
                    id=node,
                    props=_props(after, wave=wave, id=node),
                ).consume()
                continue
            _, source, target, kind = parsed
            rel = _TYPE[kind]  # a validated type: one of the vocabulary's
            if after is None:
                tx.run(
                    f"MATCH (:Stakeholder {{wave: $wave, id: $s}})-[r:{rel}]->(:Stakeholder {{wave: $wave, id: $t}}) DELETE r",
                    wave=wave,
                    s=source,
                    t=target,
                ).consume()
                continue
            found = tx.run(
                f"MATCH (a:Stakeholder {{wave: $wave, id: $s}}), (b:Stakeholder {{wave: $wave, id: $t}}) "
                f"MERGE (a)-[r:{rel}]->(b) SET r = $props RETURN count(r) AS n",
                wave=wave,
                s=source,
                t=target,
                props=_props(after, wave=wave),
            ).single()
            if not found or found["n"] != 1:  # an end was deleted by another writer meanwhile
                raise _Refused(Conflict({record["key"]: (expected.get(record["key"], 0), -1)}))
        revision = tx.run(_BUMP_REVISION, wave=self.wave_name).single()["revision"]
        return {k: bumped[k] for k in keys}, (revision, key)

    def commit(self, new, records, expected, on_commit):
        with self._lock:
            try:
                versions, revision = self._run(lambda tx: self._write_records(tx, records, expected))
            except _Refused as refused:
                self._checked = 0.0  # read the wave again before the next page
                raise refused.conflict from None
            if revision == (self._revision[0] + 1, self._revision[1]):
                self._G, self._revision = new, revision  # nobody else wrote in between: no re-read
            else:
                self._checked = 0.0
            on_commit(versions)
            return versions

    def snapshot(self, name: str, G: nx.MultiDiGraph) -> str:
        """Load ``G`` as a new wave named after the served wave and ``name`` (``2026-after-outreach``), so
        ``stakeholder-graph report "bolt://...?wave=2026-after-outreach"`` and every command read it."""
        taken = set(list_waves(self.driver))
        base = f"{self.wave_name}-{make_id(name)}"
        location, n = base, 1
        while location in taken:
            n += 1
            location = f"{base}-{n}"
        load_graph(self.driver, G, wave=location)
        return location

    def wave(self, location: str) -> nx.MultiDiGraph:
        return read_neo4j(self.base, wave=location)

    def close(self) -> None:
        self.driver.close()
