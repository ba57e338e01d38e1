"""The workspace's own small database (SQLite): accounts, sessions, settings, history, waves, versions,
and partner survey rounds (their partners, links, answers and suggestions; see :mod:`.surveys`).

Nothing here is part of the network: the dataset's files (or the Neo4j wave) hold the data, this file
holds who may see and change it and what was changed. It lives in the workspace's state folder
(``<dataset folder>.workspace/workspace.sqlite`` by default), is readable by its owner only, and is
opened in WAL mode so readers never wait for a writer. One connection per thread.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ROLES", "Account", "HistoryEntry", "State", "now"]

#: Roles, least to most allowed.
ROLES = ("viewer", "editor", "admin")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    password TEXT NOT NULL,
    role TEXT NOT NULL,
    must_change INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    seen_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    last_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    account TEXT NOT NULL,
    action TEXT NOT NULL,
    summary TEXT NOT NULL,
    status TEXT NOT NULL,
    records TEXT NOT NULL,
    versions TEXT NOT NULL,
    reverts INTEGER,
    reverted_by INTEGER
);
CREATE INDEX IF NOT EXISTS history_status ON history(status);
CREATE TABLE IF NOT EXISTS record_keys (key TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (key, n));
CREATE TABLE IF NOT EXISTS versions (key TEXT PRIMARY KEY, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS waves (
    name TEXT PRIMARY KEY,
    location TEXT NOT NULL,
    created_at TEXT NOT NULL,
    account TEXT NOT NULL,
    stakeholders INTEGER NOT NULL,
    relationships INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS survey_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    opens TEXT NOT NULL,
    closes TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    questions TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    account TEXT NOT NULL,
    engagement TEXT,
    change INTEGER,
    wave TEXT,
    closed_at TEXT,
    closed_by TEXT
);
CREATE TABLE IF NOT EXISTS survey_partners (
    round INTEGER NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
    node TEXT NOT NULL,
    name TEXT NOT NULL,
    contact TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    opened_at TEXT,
    finished_at TEXT,
    PRIMARY KEY (round, node)
);
CREATE TABLE IF NOT EXISTS survey_links (
    hash TEXT PRIMARY KEY,
    round INTEGER NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
    node TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    account TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS survey_links_partner ON survey_links(round, node);
CREATE TABLE IF NOT EXISTS survey_answers (
    round INTEGER NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
    respondent TEXT NOT NULL,
    partner TEXT NOT NULL,
    level INTEGER,
    reliability INTEGER,
    mission INTEGER,
    openness INTEGER,
    power INTEGER,
    involvement INTEGER,
    resources INTEGER,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (round, respondent, partner)
);
CREATE TABLE IF NOT EXISTS survey_texts (
    round INTEGER NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
    respondent TEXT NOT NULL,
    question INTEGER NOT NULL,
    answer TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (round, respondent, question)
);
CREATE TABLE IF NOT EXISTS survey_proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round INTEGER NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
    respondent TEXT NOT NULL,
    name TEXT NOT NULL,
    sector TEXT NOT NULL DEFAULT '',
    level INTEGER,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    node TEXT,
    reviewed_by TEXT,
    reviewed_at TEXT
);
"""


def now() -> str:
    """The current time, UTC, to the second, as ISO text."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Account:
    """A person who may sign in."""

    name: str
    role: str
    must_change: bool = False
    disabled: bool = False
    created_at: str = ""

    def can(self, role: str) -> bool:
        """True when this account's role is ``role`` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class HistoryEntry:
    """One change (or one refused attempt) as the history keeps it.

    ``records`` lists ``{"type": "stakeholder"|"relationship", "key": str, "before": dict|None,
    "after": dict|None}``; ``versions`` the records' versions after the change (or, for a refused
    attempt, the versions it was based on). ``status`` is ``applied``, ``conflict`` (refused: someone
    saved first; nothing was changed) or ``note`` (an event without records, such as a wave snapshot).
    """

    n: int
    at: str
    account: str
    action: str
    summary: str
    status: str
    records: list
    versions: dict
    reverts: int | None
    reverted_by: int | None


class State:
    """The workspace database in ``folder`` (created, with owner-only permissions, when missing)."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)
        self.path = self.folder / "workspace.sqlite"
        fresh = not self.path.exists()
        self._local = threading.local()
        self._write_lock = threading.Lock()
        with self._write_lock:
            db = self._db()
            db.executescript(_SCHEMA)
            db.commit()
        if fresh:
            os.chmod(self.path, 0o600)

    # ----------------------------------------------------------------------------------- plumbing
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    def _read(self, sql: str, params: Iterable = ()) -> list[sqlite3.Row]:
        return self._db().execute(sql, tuple(params)).fetchall()

    def read(self, sql: str, params: Iterable = ()) -> list[sqlite3.Row]:
        """Rows of one query (for the workspace's other tables, such as the survey rounds')."""
        return self._read(sql, params)

    def write(self, statements: list[tuple[str, tuple]]) -> list[int | None]:
        """Run statements in one transaction; the lastrowid of each."""
        return self._write(statements)

    def _write(self, statements: list[tuple[str, tuple]]) -> list[int | None]:
        """Run statements in one transaction; the lastrowid of each."""
        with self._write_lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                ids = [db.execute(sql, params).lastrowid for sql, params in statements]
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return ids

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # ----------------------------------------------------------------------------------- settings
    def setting(self, key: str, default: str | None = None) -> str | None:
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0]["value"] if rows else default

    def set_setting(self, key: str, value: str) -> None:
        self._write(
            [
                (
                    "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
                    (key, value, value),
                )
            ]
        )

    def secret(self, key: str) -> str:
        """A random secret kept in the settings (made on first use): cookie signing, pseudonym salt."""
        value = self.setting(key)
        if value is None:
            value = secrets.token_hex(32)
            self._write([("INSERT OR IGNORE INTO settings(key, value) VALUES (?, ?)", (key, value))])
            value = self.setting(key)
        return value

    # ----------------------------------------------------------------------------------- accounts
    @staticmethod
    def _account(row: sqlite3.Row) -> Account:
        return Account(row["name"], row["role"], bool(row["must_change"]), bool(row["disabled"]), row["created_at"])

    def accounts(self) -> list[Account]:
        return [self._account(r) for r in self._read("SELECT * FROM accounts ORDER BY name COLLATE NOCASE")]

    def account(self, name: str) -> Account | None:
        rows = self._read("SELECT * FROM accounts WHERE name = ?", (name,))
        return self._account(rows[0]) if rows else None

    def password_hash(self, name: str) -> str | None:
        rows = self._read("SELECT password FROM accounts WHERE name = ? AND disabled = 0", (name,))
        return rows[0]["password"] if rows else None

    def add_account(self, name: str, password_hash: str, role: str, must_change: bool = False) -> None:
        self._write(
            [
                (
                    "INSERT INTO accounts(name, password, role, must_change, created_at) VALUES (?, ?, ?, ?, ?)",
                    (name, password_hash, role, int(must_change), now()),
                )
            ]
        )

    def update_account(
        self,
        name: str,
        *,
        role: str | None = None,
        password_hash: str | None = None,
        must_change: bool | None = None,
        disabled: bool | None = None,
    ) -> None:
        """Change an account; a new password or disabling it ends its sessions."""
        statements = []
        for column, value in (
            ("role", role),
            ("password", password_hash),
            ("must_change", None if must_change is None else int(must_change)),
            ("disabled", None if disabled is None else int(disabled)),
        ):
            if value is not None:
                statements.append((f"UPDATE accounts SET {column} = ? WHERE name = ?", (value, name)))
        if password_hash is not None or disabled:
            statements.append(("DELETE FROM sessions WHERE account = ?", (name,)))
        if statements:
            self._write(statements)

    def count_admins(self) -> int:
        return self._read("SELECT count(*) AS n FROM accounts WHERE role = 'admin' AND disabled = 0")[0]["n"]

    # ----------------------------------------------------------------------------------- sessions
    def new_session(self, account: str) -> tuple[str, str]:
        """Start a session: ``(session id, CSRF token)``."""
        session, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        stamp = now()
        self._write(
            [
                (
                    "INSERT INTO sessions(id, account, csrf, created_at, seen_at) VALUES (?, ?, ?, ?, ?)",
                    (session, account, csrf, stamp, stamp),
                )
            ]
        )
        return session, csrf

    def session(self, session: str, max_age: int, idle: int) -> tuple[Account, str] | None:
        """The account and CSRF token of a live session, or None (unknown, expired or idle too long)."""
        rows = self._read(
            "SELECT s.csrf, s.created_at, s.seen_at, a.* FROM sessions s JOIN accounts a ON a.name = s.account "
            "WHERE s.id = ? AND a.disabled = 0",
            (session,),
        )
        if not rows:
            return None
        row = rows[0]
        current = dt.datetime.now(dt.UTC)
        created, seen = dt.datetime.fromisoformat(row["created_at"]), dt.datetime.fromisoformat(row["seen_at"])
        if (current - created).total_seconds() > max_age or (current - seen).total_seconds() > idle:
            self.end_session(session)
            return None
        if (current - seen).total_seconds() > 60:  # keep writes rare: once a minute per session
            self._write([("UPDATE sessions SET seen_at = ? WHERE id = ?", (now(), session))])
        return self._account(row), row["csrf"]

    def end_session(self, session: str) -> None:
        self._write([("DELETE FROM sessions WHERE id = ?", (session,))])

    # ----------------------------------------------------------------------------------- login throttle
    def failures(self, key: str) -> tuple[int, float]:
        """``(failed attempts, time of the last one)`` for a throttling key."""
        rows = self._read("SELECT count, last_at FROM login_failures WHERE key = ?", (key,))
        return (rows[0]["count"], rows[0]["last_at"]) if rows else (0, 0.0)

    def add_failure(self, key: str, at: float) -> None:
        self._write(
            [
                (
                    "INSERT INTO login_failures(key, count, last_at) VALUES (?, 1, ?) "
                    "ON CONFLICT(key) DO UPDATE SET count = count + 1, last_at = ?",
                    (key, at, at),
                )
            ]
        )

    def clear_failures(self, key: str) -> None:
        self._write([("DELETE FROM login_failures WHERE key = ?", (key,))])

    # ----------------------------------------------------------------------------------- versions (folder store)
    def versions(self, keys: Iterable[str]) -> dict[str, int]:
        keys = list(dict.fromkeys(keys))
        found: dict[str, int] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._read(f"SELECT key, version FROM versions WHERE key IN ({marks})", chunk):
                found[row["key"]] = row["version"]
        return {key: found.get(key, 0) for key in keys}

    # ----------------------------------------------------------------------------------- history
    @staticmethod
    def _entry(row: sqlite3.Row) -> HistoryEntry:
        return HistoryEntry(
            row["n"],
            row["at"],
            row["account"],
            row["action"],
            row["summary"],
            row["status"],
            json.loads(row["records"]),
            json.loads(row["versions"]),
            row["reverts"],
            row["reverted_by"],
        )

    def record(
        self,
        account: str,
        action: str,
        summary: str,
        records: list,
        versions: dict,
        status: str = "applied",
        reverts: int | None = None,
        bump_versions: bool = False,
    ) -> int:
        """Add a history entry (and, for the folder store, the records' new versions) in one transaction."""
        statements = [
            (
                "INSERT INTO history(at, account, action, summary, status, records, versions, reverts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (now(), account, action, summary, status, json.dumps(records), json.dumps(versions), reverts),
            )
        ]
        if bump_versions:
            statements += [
                (
                    "INSERT INTO versions(key, version) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET version = ?",
                    (key, version, version),
                )
                for key, version in versions.items()
            ]
        with self._write_lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                n = db.execute(*statements[0]).lastrowid
                for sql, params in statements[1:]:
                    db.execute(sql, params)
                for key in dict.fromkeys(r["key"] for r in records):
                    db.execute("INSERT OR IGNORE INTO record_keys(key, n) VALUES (?, ?)", (key, n))
                if reverts is not None:
                    db.execute("UPDATE history SET reverted_by = ? WHERE n = ?", (n, reverts))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return n

    def history(self, limit: int = 50, offset: int = 0, key: str | None = None) -> list[HistoryEntry]:
        """Entries, newest first; only those touching the record ``key`` when given."""
        if key is None:
            rows = self._read("SELECT * FROM history ORDER BY n DESC LIMIT ? OFFSET ?", (limit, offset))
        else:
            rows = self._read(
                "SELECT h.* FROM history h JOIN record_keys k ON k.n = h.n WHERE k.key = ? ORDER BY h.n DESC "
                "LIMIT ? OFFSET ?",
                (key, limit, offset),
            )
        return [self._entry(r) for r in rows]

    def history_count(self) -> int:
        return self._read("SELECT count(*) AS n FROM history")[0]["n"]

    def entry(self, n: int) -> HistoryEntry | None:
        rows = self._read("SELECT * FROM history WHERE n = ?", (n,))
        return self._entry(rows[0]) if rows else None

    def changes_since(self, key: str, version: int) -> list[HistoryEntry]:
        """Applied entries that changed ``key`` to a version above ``version``, oldest first."""
        return [
            e
            for e in reversed(self.history(limit=1000, key=key))
            if e.status == "applied" and e.versions.get(key, 0) > version
        ]

    # ----------------------------------------------------------------------------------- waves
    def waves(self) -> list[dict]:
        return [dict(r) for r in self._read("SELECT * FROM waves ORDER BY created_at, name")]

    def add_wave(
        self, name: str, location: str, account: str, stakeholders: int, relationships: int, note: str = ""
    ) -> None:
        self._write(
            [
                (
                    "INSERT INTO waves(name, location, created_at, account, stakeholders, relationships, note) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (name, location, now(), account, stakeholders, relationships, note),
                )
            ]
        )
