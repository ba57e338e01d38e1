"""Connecting to Neo4j: addresses, one-sentence errors, transactions that turn driver errors into ours.

Every value from the data travels as a query parameter. Labels and relationship types are never taken
from input: they come from the fixed vocabularies in :mod:`stakeholder_graph.vocab` (``LABEL``, ``TYPE``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit, urlunsplit

from ..errors import DatabaseError
from ..vocab import EDGE_TYPES, KINDS

__all__ = [
    "URI_SCHEMES",
    "RETRY_SECONDS",
    "ConnectionLost",
    "DEFAULT_WAVE",
    "LABEL",
    "KIND",
    "TYPE",
    "EDGE",
    "is_neo4j_uri",
    "split_uri",
    "connect",
    "quiet_driver_logs",
    "run",
    "driver_errors",
    "shown_uri",
]

URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DEFAULT_WAVE = "default"
#: Seconds the driver keeps retrying a transaction that failed on a transient error (a deadlock between two
#: batches, a server restarting) before giving up.
RETRY_SECONDS = 10.0
#: kind -> node label, and back; edge type -> relationship type, and back.
LABEL = {kind: kind.capitalize() for kind in KINDS}
KIND = {label: kind for kind, label in LABEL.items()}
TYPE = {edge_type: edge_type.upper() for edge_type in EDGE_TYPES}
EDGE = {rel: edge_type for edge_type, rel in TYPE.items()}


#: Error codes of a server that is shutting down (or starting): the database is not there to answer.
_UNAVAILABLE = {"Neo.TransientError.General.DatabaseUnavailable", "Neo.TransientError.Database.DatabaseUnavailable"}


class ConnectionLost(DatabaseError):
    """The server stopped answering in the middle of the work."""


def is_neo4j_uri(source: str) -> bool:
    """True when ``source`` is a Neo4j URI (``bolt://``, ``neo4j://``, ``neo4j+s://``...)."""
    return isinstance(source, str) and source.split("://", 1)[0].lower() in URI_SCHEMES and "://" in source


def shown_uri(uri: str) -> str:
    """The URI as it may be printed: without a user name or password written into it."""
    scheme, sep, rest = uri.partition("://")
    netloc, slash, tail = rest.partition("/")
    return f"{scheme}{sep}{netloc.rpartition('@')[2]}{slash}{tail}"


def split_uri(uri: str) -> tuple[str, str | None]:
    """Separate ``?wave=NAME`` from a URI: ``("bolt://host:7687", "NAME")``.

    Raises
    ------
    DatabaseError
        The URI cannot be the address of a server (no host, a bad port, brackets left open...).
    """
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 (parsing the port is the check)
    except ValueError as exc:
        raise DatabaseError(
            f"{shown_uri(uri)} is not a Neo4j address ({exc}): write it as bolt://HOST:PORT, e.g. bolt://127.0.0.1:7687"
        ) from None
    if not parts.hostname:
        raise DatabaseError(
            f"{shown_uri(uri)} is not a Neo4j address (no host): write it as bolt://HOST:PORT, e.g. bolt://127.0.0.1:7687"
        )
    wave = parse_qs(parts.query).get("wave", [None])[0]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), wave


def quiet_driver_logs() -> None:
    """Keep the driver's own log lines (retries, lost connections) off standard error.

    The driver logs through ``logging``; with no handler configured, Python prints warnings and errors
    to standard error. Its errors reach the caller as exceptions anyway, which the CLI turns into one
    sentence. For command-line use; a program that configures logging itself can leave this out.
    """
    logger = logging.getLogger("neo4j")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False


def connect(uri: str, user: str | None = None, password: str | None = None):
    """Open a driver and check that the server answers and accepts the credentials.

    Credentials default to ``NEO4J_USER`` (else ``neo4j``) and ``NEO4J_PASSWORD``.

    Raises
    ------
    DatabaseError
        One sentence: the address is malformed, the server is unreachable, or it refused the user name or
        password.
    """
    import neo4j
    from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable

    uri, _ = split_uri(uri)
    shown = shown_uri(uri)
    user = user or os.environ.get("NEO4J_USER") or "neo4j"
    password = password if password is not None else os.environ.get("NEO4J_PASSWORD", "")
    try:
        driver = neo4j.GraphDatabase.driver(
            uri,
            auth=(user, password),
            connection_timeout=10,
            max_transaction_retry_time=RETRY_SECONDS,
            notifications_min_severity="OFF",  # the server's hints are for people writing queries, not our users
        )
    except (ConfigurationError, ValueError) as exc:
        raise DatabaseError(f"{shown} is not a usable Neo4j address: {str(exc).replace(uri, shown)}") from None
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        raise DatabaseError(
            f"Neo4j at {shown} refused the user name or password: set NEO4J_USER and NEO4J_PASSWORD (or pass --user)."
        ) from None
    except (ServiceUnavailable, OSError) as exc:
        driver.close()
        raise DatabaseError(
            f"Neo4j at {shown} is not reachable ({type(exc).__name__}): is the server running? "
            "For the project's own server: scripts/neo4j start"
        ) from None
    except Neo4jError as exc:
        driver.close()
        raise DatabaseError(f"Neo4j at {shown} refused the connection: {exc.message}") from None
    return driver


@contextmanager
def driver_errors():
    """Turn the driver's exceptions into :class:`DatabaseError`, one sentence each."""
    from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

    try:
        yield
    except (ServiceUnavailable, SessionExpired):
        raise DatabaseError("lost the connection to Neo4j: is the server still running?") from None
    except Neo4jError as exc:
        if exc.code in _UNAVAILABLE:
            raise ConnectionLost("Neo4j's database became unavailable: is the server stopping?") from None
        raise DatabaseError(f"Neo4j refused the request: {exc.message}") from None
    except DriverError as exc:
        raise DatabaseError(
            f"lost the connection to Neo4j ({type(exc).__name__}): is the server still running?"
        ) from None


def run(driver, work: Callable, *, write: bool = True):
    """Run a unit of work in a managed transaction (retried on transient errors), turning driver errors
    into :class:`DatabaseError`."""
    with driver_errors(), driver.session() as session:
        return session.execute_write(work) if write else session.execute_read(work)
