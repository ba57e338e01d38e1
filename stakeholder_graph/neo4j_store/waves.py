"""Waves in Neo4j: written under a key of their own, made visible in one short transaction, locked while loading.

How a wave is stored:

- Each load writes its stakeholders under a **key** of its own, ``NAME~TOKEN``: the ``wave`` property of
  every node it writes (the relationships belong to the load of their ends). Waves loaded by earlier
  versions have their name as the key.
- The wave's ``:Program {wave: NAME, load: KEY}`` node names the load that is visible. Readers (``?wave=``
  and every query of the Cypher library) start from it: ``MATCH (p:Program {wave: $wave})`` then
  ``MATCH (n:Stakeholder {wave: coalesce(p.load, p.wave)})``. A load in progress has no Program pointing
  at it, so nothing reads it.
- A load in progress or data being deleted is recorded by a ``:WaveLoad`` marker: ``load`` (the key,
  unique), ``wave``, ``state`` (``loading`` or ``deleting``), who runs it (``user``, ``host``, ``pid``,
  ``owner`` token), ``started``, ``heartbeat`` (renewed every few seconds by the process doing the work)
  and the counts it expects. While loading, the marker also holds ``lock = NAME``, under a uniqueness
  constraint: the lock. A second load of the same wave fails at once, naming who holds the lock.
- Publishing is one transaction of a few rows: check the lock is still ours and the key's counts are
  complete, point the Program at the new key, release the lock, and mark the old key ``deleting``. The old
  stakeholders are deleted afterwards, in batches, once queries that started before the switch are done.
- A marker whose heartbeat is older than ``stale_after`` seconds (60 by default) belongs to a process
  that stopped (killed, its machine or the server gone): :func:`clean_waves` (and the next load of that
  wave) takes it over and deletes its data. Takeovers and publishing both write the marker first and
  read it under that write lock, so exactly one of them wins.
"""

from __future__ import annotations

import getpass
import os
import socket
import threading
import time
import uuid

from ..errors import DatabaseError
from .connect import driver_errors, run

__all__ = [
    "STALE_AFTER",
    "HEARTBEAT",
    "ensure_schema",
    "Owner",
    "acquire",
    "publish",
    "delete_wave",
    "list_waves",
    "wave_status",
    "clean_waves",
    "wave_key",
    "waves_text",
]

#: Seconds without a heartbeat after which a load or deletion counts as stopped.
STALE_AFTER = 60.0
#: Seconds between heartbeats.
HEARTBEAT = 5.0
#: Seconds to wait, after publishing, for queries that may still be reading the old key.
READER_GRACE = 30.0
#: Rows deleted per transaction.
DELETE_BATCH = 5000

_SCHEMA = [
    "CREATE CONSTRAINT stakeholder_wave_id IF NOT EXISTS FOR (n:Stakeholder) REQUIRE (n.wave, n.id) IS UNIQUE",
    "CREATE CONSTRAINT program_wave IF NOT EXISTS FOR (p:Program) REQUIRE p.wave IS UNIQUE",
    "CREATE CONSTRAINT wave_load_key IF NOT EXISTS FOR (m:WaveLoad) REQUIRE m.load IS UNIQUE",
    "CREATE CONSTRAINT wave_load_lock IF NOT EXISTS FOR (m:WaveLoad) REQUIRE m.lock IS UNIQUE",
    "CREATE INDEX stakeholder_id IF NOT EXISTS FOR (n:Stakeholder) ON (n.id)",
    "CREATE INDEX stakeholder_wave IF NOT EXISTS FOR (n:Stakeholder) ON (n.wave)",
    "CREATE INDEX stakeholder_sector IF NOT EXISTS FOR (n:Stakeholder) ON (n.sector)",
]
_QUIET = "duration.inSeconds(m.heartbeat, datetime()).milliseconds / 1000.0"


def ensure_schema(driver) -> None:
    """Create the constraints and indexes that are missing (idempotent, also when two clients race)."""
    existing = run(driver, lambda tx: [r["name"] for r in tx.run("SHOW INDEXES YIELD name")], write=False)
    for statement in _SCHEMA:
        name = statement.split()[2]
        if name in existing:
            continue
        try:
            run(driver, lambda tx, s=statement: tx.run(s).consume())
        except DatabaseError:
            # Another client created it a moment ago ("equivalent ... already exists"): fine if it is there now.
            found = run(
                driver,
                lambda tx, n=name: tx.run("SHOW INDEXES YIELD name WHERE name = $n RETURN name", n=n).single(),
                write=False,
            )
            if found is None:
                raise


def wave_key(tx, wave: str) -> str | None:
    """The key of the visible load of ``wave`` (inside a transaction), or None when there is no such wave."""
    record = tx.run("MATCH (p:Program {wave: $wave}) RETURN coalesce(p.load, p.wave) AS key", wave=wave).single()
    return None if record is None else record["key"]


class Owner:
    """A process doing wave work: a token, who and where it is, and a heartbeat renewing its markers.

    Use as a context manager: the heartbeat runs in a daemon thread from ``__enter__`` to ``__exit__``.
    :attr:`lost` turns true when a marker this process was loading has been taken over by another client
    (after this process went quiet for longer than ``stale_after``): the load must stop.
    """

    def __init__(self, driver, *, interval: float = HEARTBEAT):
        self.driver = driver
        self.token = uuid.uuid4().hex
        self.user = _user()
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.loading: set[str] = set()
        self.lost = False
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def props(self) -> dict:
        return {"owner": self.token, "user": self.user, "host": self.host, "pid": self.pid}

    def __enter__(self) -> Owner:
        self._thread = threading.Thread(target=self._beat_until_stopped, name="wave-heartbeat", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)

    def _beat_until_stopped(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.beat()
            except Exception:  # a server that is down now and then must not stop the heartbeat
                continue

    def beat(self) -> None:
        """Renew the heartbeat of this process's markers; notice a lock taken over."""
        with self.driver.session() as session:
            kept = session.execute_write(
                lambda tx: [
                    r["load"]
                    for r in tx.run(
                        "MATCH (m:WaveLoad {owner: $owner}) SET m.heartbeat = datetime() RETURN m.load AS load",
                        owner=self.token,
                    )
                ]
            )
        if self.loading - set(kept):
            self.lost = True

    def check(self) -> None:
        """Raise when another client took over this process's load."""
        if self.lost:
            raise DatabaseError(
                "another client took over this load after it gave no sign of life for too long "
                "(was the machine or the server paused?): load again"
            )


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _take_over(tx, where: str, owner: Owner, stale_after: float, **params) -> list[dict]:
    """Take over the stale markers matched by ``where`` (a fixed Cypher pattern on ``m``): mark them
    ``deleting``, owned by ``owner``, without a lock. Writes each marker first, so its heartbeat is read
    under a write lock (a concurrent publish or heartbeat either finished before or waits)."""
    tx.run(f"MATCH (m:WaveLoad) WHERE {where} SET m.checked = datetime()", **params).consume()
    return [
        dict(r["m"], was=r["was"], by=r["by"])
        for r in tx.run(
            f"MATCH (m:WaveLoad) WHERE {where} AND {_QUIET} >= $stale WITH m, m.state AS was, m.user + '@' + m.host AS by "
            "SET m.state = 'deleting', m.owner = $owner, m.user = $user, m.host = $host, m.pid = $pid, "
            "m.heartbeat = datetime() REMOVE m.lock RETURN properties(m) AS m, was, by",
            stale=stale_after,
            **owner.props(),
            **params,
        )
    ]


def acquire(driver, owner: Owner, wave: str, *, expected: tuple[int, int], stale_after: float = STALE_AFTER) -> str:
    """Lock ``wave`` for a load by ``owner``; returns the new load's key.

    A lock whose holder gave no sign of life for ``stale_after`` seconds is taken over, and with it the
    wave's other stale markers (their data is deleted after publishing).

    Raises
    ------
    DatabaseError
        The wave is being loaded (or deleted) by a live client: the sentence names who and since when.
    """
    from neo4j.exceptions import ConstraintError

    key = f"{wave}~{uuid.uuid4().hex[:16]}"

    def work(tx):
        # The Program's write lock first: a change being saved into the wave (the workspace takes the same
        # lock) commits before the wave is locked, and one that comes later sees the lock.
        tx.run("MATCH (p:Program {wave: $wave}) SET p._lock = true REMOVE p._lock", wave=wave).consume()
        _take_over(tx, "m.wave = $wave", owner, stale_after, wave=wave)
        held = tx.run(
            f"MATCH (m:WaveLoad {{lock: $wave}}) RETURN properties(m) AS m, {_QUIET} AS quiet", wave=wave
        ).single()
        if held is not None:
            return dict(held["m"], quiet=held["quiet"])
        tx.run(
            "CREATE (m:WaveLoad {load: $key, wave: $wave, lock: $wave, state: 'loading', started: datetime(), "
            "heartbeat: datetime(), stakeholders: $nodes, relationships: $edges}) SET m += $owner",
            key=key,
            wave=wave,
            nodes=expected[0],
            edges=expected[1],
            owner=owner.props(),
        ).consume()
        return None

    for _ in range(3):
        try:
            with driver_errors(), driver.session() as session:
                held = session.execute_write(work)
        except DatabaseError as exc:
            if isinstance(exc.__context__, ConstraintError):  # another load took the lock a moment ago: report it
                continue
            raise
        if held is None:
            owner.loading.add(key)
            return key
        raise DatabaseError(_held_sentence(wave, held, stale_after))
    raise DatabaseError(f"could not lock wave {wave!r}: other loads keep taking it; try again")


def _held_sentence(wave: str, held: dict, stale_after: float) -> str:
    doing = "loaded" if held.get("state") == "loading" else "deleted"
    return (
        f"wave {wave!r} is being {doing} by {held.get('user')}@{held.get('host')} (pid {held.get('pid')}) "
        f"since {_when(held.get('started'))}, last sign of life {held['quiet']:.0f} s ago: wait for it to finish; "
        f"if that process was stopped, its lock is released {stale_after:.0f} s after its last sign of life "
        "(then load again, or run `stakeholder-graph waves --clean`)"
    )


def _when(value) -> str:
    if value is None:
        return "?"
    native = value.to_native() if hasattr(value, "to_native") else value
    return native.strftime("%Y-%m-%d %H:%M:%S %Z").strip()


def _swap(tx, wave: str, key: str | None, owner: Owner, program: dict | None, expected: tuple[int, int] | None):
    """The publishing transaction: make ``key`` the visible load of ``wave`` (or, with ``key`` None, delete
    the wave); returns the old key, now marked ``deleting``, or None."""
    if key is not None:
        counts = tx.run(
            "MATCH (n:Stakeholder {wave: $key}) RETURN count(n) AS nodes, sum(COUNT { (n)-->() }) AS edges", key=key
        ).single()
        if (counts["nodes"], counts["edges"]) != tuple(expected):
            raise DatabaseError(
                f"the new contents of wave {wave!r} are incomplete ({counts['nodes']} of {expected[0]} stakeholders, "
                f"{counts['edges']} of {expected[1]} relationships; were they changed by another client?): load again"
            )
    # Write the lock first, then read it: under the write lock, a takeover has either happened or waits.
    tx.run("MATCH (m:WaveLoad {lock: $wave}) SET m.heartbeat = datetime()", wave=wave).consume()
    lock = tx.run("MATCH (m:WaveLoad {lock: $wave}) RETURN m.owner AS owner", wave=wave).single()
    if lock is None or lock["owner"] != owner.token:
        owner.lost = True
        owner.check()
    old = wave_key(tx, wave)
    if key is None:
        tx.run("MATCH (p:Program {wave: $wave}) DELETE p", wave=wave).consume()
    else:
        tx.run(
            "MERGE (p:Program {wave: $wave}) SET p = $program, p.wave = $wave, p.load = $key, p.loaded_at = datetime()",
            wave=wave,
            key=key,
            program=program,
        ).consume()
    tx.run("MATCH (m:WaveLoad {lock: $wave}) DELETE m", wave=wave).consume()
    if old is not None:
        tx.run(
            "MERGE (m:WaveLoad {load: $old}) SET m.wave = $wave, m.state = 'deleting', m.started = datetime(), "
            "m.heartbeat = datetime(), m += $owner",
            old=old,
            wave=wave,
            owner=owner.props(),
        ).consume()
    return old


def publish(
    driver, owner: Owner, wave: str, key: str | None, *, program: dict | None = None, expected=None
) -> str | None:
    """Run :func:`_swap` in one transaction; returns the old key (its data still to delete) or None."""
    old = run(driver, lambda tx: _swap(tx, wave, key, owner, program, expected))
    owner.loading.discard(key)
    return old


def abandon(driver, owner: Owner) -> None:
    """Mark this process's unpublished loads ``deleting`` and release their locks (one transaction)."""
    run(
        driver,
        lambda tx: tx.run(
            "MATCH (m:WaveLoad {owner: $owner, state: 'loading'}) SET m.state = 'deleting' REMOVE m.lock",
            owner=owner.token,
        ).consume(),
    )
    owner.loading.clear()


def _wait_for_readers(driver, timeout: float = READER_GRACE) -> None:
    """Wait (at most ``timeout`` seconds) until the queries running now are done: one of them may have
    looked up the old key before it was switched, and must not see it half deleted."""
    from neo4j.exceptions import Neo4jError

    deadline = time.monotonic() + timeout
    try:
        with driver.session() as session:
            since = session.run("RETURN datetime.realtime() AS now").single()["now"]
            while time.monotonic() < deadline:
                running = session.run(
                    "SHOW TRANSACTIONS YIELD currentQueryStartTime AS started, currentQuery AS query "
                    "WHERE started < $since AND query <> '' RETURN count(*) AS running",
                    since=since,
                ).single()["running"]
                if not running:
                    return
                time.sleep(0.2)
    except Neo4jError:  # a user without the privilege to list transactions: nothing to wait for that we can see
        return


def _delete_data(driver, key: str, batch_size: int = DELETE_BATCH) -> int:
    """Delete the stakeholders written under ``key`` and their relationships, in batches; the nodes deleted.

    Relationships go first, then nodes, each in transactions of ``batch_size`` rows (``CALL { ... } IN
    TRANSACTIONS``), so a wave of any size stays within the server's memory limits.
    """
    with driver_errors(), driver.session() as session:
        session.run(
            "MATCH (:Stakeholder {wave: $key})-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF $rows ROWS",
            key=key,
            rows=batch_size,
        ).consume()
        return session.run(
            "MATCH (n:Stakeholder {wave: $key}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $rows ROWS "
            "RETURN count(*) AS deleted",
            key=key,
            rows=batch_size,
        ).single()["deleted"]


def _delete_marked(driver, owner: Owner, key: str, batch_size: int) -> int:
    """Delete the data of the marker ``key`` held by ``owner``, then the marker; the nodes deleted."""
    deleted = _delete_data(driver, key, batch_size)
    run(
        driver,
        lambda tx: tx.run(
            "MATCH (m:WaveLoad {load: $key, owner: $owner}) DELETE m", key=key, owner=owner.token
        ).consume(),
    )
    return deleted


def delete_owned(driver, owner: Owner, batch_size: int = DELETE_BATCH) -> int:
    """Delete the data of every ``deleting`` marker ``owner`` holds, then the markers; the nodes deleted."""
    keys = run(
        driver,
        lambda tx: [
            r["load"]
            for r in tx.run(
                "MATCH (m:WaveLoad {owner: $owner, state: 'deleting'}) RETURN m.load AS load", owner=owner.token
            )
        ],
        write=False,
    )
    return sum(_delete_marked(driver, owner, key, batch_size) for key in keys)


def delete_wave(driver, wave: str, batch_size: int = DELETE_BATCH, *, stale_after: float = STALE_AFTER) -> int:
    """Delete a wave: it disappears at once (its Program goes in one transaction), then its data is deleted
    in batches. Returns the number of stakeholders deleted (0 when there is no such wave).

    Raises
    ------
    DatabaseError
        The wave is being loaded by another client.
    """
    ensure_schema(driver)
    with Owner(driver) as owner:
        acquire(driver, owner, wave, expected=(0, 0), stale_after=stale_after)
        try:
            publish(driver, owner, wave, None)
            _wait_for_readers(driver)
            return delete_owned(driver, owner, batch_size)
        except BaseException:
            abandon(driver, owner)
            raise


def list_waves(driver) -> list[str]:
    """The waves that can be read, sorted."""
    return run(
        driver,
        lambda tx: [r["wave"] for r in tx.run("MATCH (p:Program) RETURN p.wave AS wave ORDER BY wave")],
        write=False,
    )


def _orphans(driver) -> dict[str, int]:
    """Keys of stakeholders that neither a Program nor a marker names, with their numbers of stakeholders:
    data of no wave and of no work in progress (written after its load gave up, or left by versions that
    had no markers). The keys on the nodes are read first and the names second: a load creates its marker
    before its first node, and publishing or deleting names the key until its data is gone, so a key seen
    on nodes and named nowhere afterwards is named by nothing for good."""
    found = run(
        driver,
        lambda tx: {r["key"]: r["n"] for r in tx.run("MATCH (n:Stakeholder) RETURN n.wave AS key, count(*) AS n")},
        write=False,
    )
    named = run(
        driver,
        lambda tx: tx.run(
            "OPTIONAL MATCH (p:Program) WITH collect(coalesce(p.load, p.wave)) AS programs "
            "OPTIONAL MATCH (m:WaveLoad) WITH programs, collect(m.load) AS markers RETURN programs + markers AS keys"
        ).single()["keys"],
        write=False,
    )
    return {key: n for key, n in found.items() if key not in set(named)}


def _wave_of(key: str) -> str:
    """The wave a key was written for: ``NAME`` of ``NAME~TOKEN`` (a key of an earlier version is the name)."""
    name, sep, token = key.rpartition("~")
    return name if sep and len(token) == 16 and all(c in "0123456789abcdef" for c in token) else key


_COUNTS = "MATCH (n:Stakeholder {wave: $key}) RETURN count(n) AS nodes, sum(COUNT { (n)-->() }) AS edges"


def wave_status(driver, *, stale_after: float = STALE_AFTER) -> list[dict]:
    """Every wave and every unfinished piece of work, with counts and state, sorted by wave.

    Each row: ``wave``, ``state`` and ``stakeholders`` and ``relationships`` (counted now), and

    - ``complete``: a wave that can be read; ``loaded_at``.
    - ``loading``: a load in progress (it holds the wave's lock); ``expected_stakeholders`` and
      ``expected_relationships``, ``by`` (user@host), ``pid``, ``since``, ``quiet_seconds`` (since its last
      heartbeat).
    - ``deleting``: old contents (replaced, deleted, or of a failed load) being deleted now; the same fields.
    - ``unfinished``: a load or deletion whose process stopped (no heartbeat for ``stale_after`` seconds);
      ``was`` (``loading`` or ``deleting``) and the same fields; or stakeholders named by no wave and no
      marker (``was``: ``orphaned``). :func:`clean_waves` deletes them.
    """
    orphans = _orphans(driver)

    def work(tx):
        rows = []
        for record in tx.run(
            "MATCH (p:Program) RETURN p.wave AS wave, coalesce(p.load, p.wave) AS key, p.loaded_at AS loaded_at"
        ):
            counts = tx.run(_COUNTS, key=record["key"]).single()
            rows.append(
                {
                    "wave": record["wave"],
                    "state": "complete",
                    "stakeholders": counts["nodes"],
                    "relationships": counts["edges"],
                    "loaded_at": _when(record["loaded_at"]) if record["loaded_at"] else None,
                }
            )
        for record in tx.run(f"MATCH (m:WaveLoad) RETURN properties(m) AS m, {_QUIET} AS quiet"):
            m = record["m"]
            counts = tx.run(_COUNTS, key=m["load"]).single()
            stopped = record["quiet"] >= stale_after
            row = {
                "wave": m.get("wave"),
                "state": "unfinished" if stopped else m.get("state"),
                "stakeholders": counts["nodes"],
                "relationships": counts["edges"],
            }
            if stopped:
                row["was"] = m.get("state")
            if m.get("state") == "loading":
                row["expected_stakeholders"] = m.get("stakeholders")
                row["expected_relationships"] = m.get("relationships")
            row.update(
                by=f"{m.get('user')}@{m.get('host')}",
                pid=m.get("pid"),
                since=_when(m.get("started")),
                quiet_seconds=round(record["quiet"], 1),
            )
            rows.append(row)
        for key, n in orphans.items():
            edges = tx.run(_COUNTS, key=key).single()["edges"]
            rows.append(
                {
                    "wave": _wave_of(key),
                    "state": "unfinished",
                    "stakeholders": n,
                    "relationships": edges,
                    "was": "orphaned",
                }
            )
        order = {"complete": 0, "loading": 1, "deleting": 2, "unfinished": 3}
        return sorted(rows, key=lambda r: (str(r["wave"]), order.get(r["state"], 9)))

    return run(driver, work, write=False)


def clean_waves(driver, *, stale_after: float = STALE_AFTER, batch_size: int = DELETE_BATCH) -> list[dict]:
    """Delete what stopped loads and deletions left behind: take over every marker with no heartbeat for
    ``stale_after`` seconds (its lock with it), delete its data, then the marker. Live work is left alone.

    Stakeholders named by no wave and no marker (see :func:`_orphans`) are deleted too.

    Returns one row per piece cleaned: ``wave``, ``was`` (``loading``, ``deleting`` or ``orphaned``),
    ``by`` and ``since`` (None for orphans), ``stakeholders`` (deleted).
    """
    ensure_schema(driver)
    with Owner(driver) as owner:
        taken = run(driver, lambda tx: _take_over(tx, "true", owner, stale_after))
        cleaned = [
            {
                "wave": marker.get("wave"),
                "was": marker["was"],
                "by": marker["by"],
                "since": _when(marker.get("started")),
                "stakeholders": _delete_marked(driver, owner, marker["load"], batch_size),
            }
            for marker in taken
        ]
        for key in _orphans(driver):
            deleted = _delete_data(driver, key, batch_size)
            cleaned.append(
                {"wave": _wave_of(key), "was": "orphaned", "by": None, "since": None, "stakeholders": deleted}
            )
        return cleaned


def _ago(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"


def _count(row: dict, name: str) -> str:
    expected = row.get(f"expected_{name}")
    return f"{row[name]:,}" if expected is None else f"{row[name]:,} of {expected:,}"


def waves_text(rows: list[dict]) -> str:
    """The rows of :func:`wave_status` as a table, with what each state means for the reader."""
    if not rows:
        return "No waves in this database.\n"
    details = []
    for row in rows:
        who = f"{row.get('by')} (pid {row.get('pid')}) since {row.get('since')}"
        if row["state"] == "complete":
            details.append(f"loaded {row['loaded_at']}" if row.get("loaded_at") else "loaded by an earlier version")
        elif row["state"] == "loading":
            details.append(f"new contents being written by {who}; last sign of life {_ago(row['quiet_seconds'])} ago")
        elif row["state"] == "deleting":
            details.append(f"old contents being deleted by {who}")
        elif row.get("was") == "orphaned":
            details.append("stakeholders of no wave (left by a load that stopped); --clean deletes them")
        else:
            doing = "load" if row.get("was") == "loading" else "deletion"
            details.append(
                f"{doing} by {who} stopped: no sign of life for {_ago(row['quiet_seconds'])}; --clean deletes it"
            )
    table = [("wave", "state", "stakeholders", "relationships", "details")]
    table += [
        (str(r["wave"]), r["state"], _count(r, "stakeholders"), _count(r, "relationships"), d)
        for r, d in zip(rows, details)
    ]
    widths = [max(len(line[i]) for line in table) for i in range(4)]
    lines = [
        f"{w:<{widths[0]}}  {s:<{widths[1]}}  {n:>{widths[2]}}  {e:>{widths[3]}}  {d}".rstrip()
        for w, s, n, e, d in table
    ]
    return "\n".join(lines) + "\n"
