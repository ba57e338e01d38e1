"""The Cypher query library (``queries/*.cypher``) and a safe way to run a query.

Each library file starts with a header of ``//`` comments::

    // name: sectors-never-engaged
    // description: Expected sectors with no stakeholder taking part in engagement.
    // param: wave string = "default"  The wave (snapshot) to look in.

A ``param`` line gives the name, the type (``string``, ``integer``, ``float``, ``boolean``, ``list``), an
optional default after ``=``, and a description. Values are always passed as Cypher parameters, never
pasted into the text. Queries run read-only unless ``write`` is set (see :func:`refusal`): the server's
own plan (``EXPLAIN``) says whether a query writes, runs an administration command or ``LOAD CSV``, and
such a query is refused; the rest runs in a READ access-mode transaction.
"""

from __future__ import annotations

import importlib.resources
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DatabaseError, DataError, Problem

__all__ = [
    "QUERY_DIR",
    "Query",
    "Param",
    "library",
    "find_query",
    "parse_query",
    "parse_params",
    "refusal",
    "run_query",
]

#: The library folder: package data (``queries/`` at the project root links to it, for analysts).
QUERY_DIR = Path(str(importlib.resources.files(__package__).joinpath("cypher")))
_PARAM = re.compile(
    r'^(?P<name>\w+)\s+(?P<type>string|integer|float|boolean|list)(?:\s*=\s*(?P<default>"[^"]*"|\S+))?\s*(?P<help>.*)$'
)


@dataclass(frozen=True)
class Param:
    """One declared parameter of a library query."""

    name: str
    type: str
    default: object = None
    required: bool = True
    description: str = ""


@dataclass(frozen=True)
class Query:
    """A Cypher query with its header."""

    name: str
    description: str
    text: str
    path: Path | None = None
    params: tuple[Param, ...] = field(default_factory=tuple)


def parse_query(text: str, path: Path | None = None) -> Query:
    """Read a query's header; a file without one is named after itself and declares nothing."""
    name = path.stem if path else "query"
    description = ""
    params = []
    for line in text.splitlines():
        if not line.startswith("//"):
            if line.strip():
                break
            continue
        key, _, value = line[2:].strip().partition(":")
        value = value.strip()
        if key == "name":
            name = value
        elif key == "description":
            description = value
        elif key == "param":
            match = _PARAM.match(value)
            if not match:
                raise DataError(Problem(str(path or "query"), None, None, f"cannot read the param line {value!r}"))
            default = match["default"]
            params.append(
                Param(
                    match["name"],
                    match["type"],
                    _convert(json.loads(default) if default else None, match["type"]) if default else None,
                    default is None,
                    match["help"],
                )
            )
    return Query(name, description, text, path, tuple(params))


def library(folder: Path = QUERY_DIR) -> list[Query]:
    """Every query of the library, by name."""
    return sorted(
        (parse_query(p.read_text(encoding="utf-8"), p) for p in folder.glob("*.cypher")), key=lambda q: q.name
    )


def find_query(name_or_file: str, folder: Path = QUERY_DIR) -> Query:
    """A library query by name, or a ``.cypher`` file by path."""
    path = Path(name_or_file)
    if path.suffix == ".cypher" and path.is_file():
        return parse_query(path.read_text(encoding="utf-8"), path)
    for query in library(folder):
        if query.name == name_or_file:
            return query
    names = ", ".join(q.name for q in library(folder))
    raise DataError(Problem(name_or_file, None, None, f"no such query or .cypher file; the library has: {names}"))


def _convert(value, kind: str):
    if kind == "integer":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "false"):
            return str(value).lower() == "true"
        raise ValueError
    if kind == "list":
        return value if isinstance(value, list) else [v for v in str(value).split("|") if v]
    return str(value)


def parse_params(query: Query, pairs: list[str]) -> dict:
    """``key=value`` pairs as typed parameters: declared types first, else JSON, else text.

    Raises
    ------
    DataError
        A malformed pair, a value of the wrong type or a missing required parameter.
    """
    declared = {p.name: p for p in query.params}
    values = {p.name: p.default for p in query.params if not p.required}
    problems = []
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            problems.append(Problem("-p", None, None, f"{pair!r} is not key=value"))
            continue
        if key in declared:
            try:
                values[key] = _convert(raw, declared[key].type)
            except ValueError:
                problems.append(Problem("-p", None, None, f"{key}: {raw!r} is not a {declared[key].type}"))
        else:
            try:
                values[key] = json.loads(raw)
            except ValueError:
                values[key] = raw
    for p in query.params:
        if p.required and p.name not in values:
            problems.append(Problem("-p", None, None, f"query {query.name} needs -p {p.name}=... ({p.description})"))
    if problems:
        raise DataError(problems)
    return values


#: Seconds a query may run before the server stops it.
TIMEOUT = 120.0
#: Plan operators of administration commands (SHOW ..., TERMINATE TRANSACTIONS, user and database commands).
_COMMAND_OPERATORS = ("Show", "Terminate", "Administration", "System")


def _operators(plan) -> list[tuple[str, str | None, str]]:
    """``(operator, database, details)`` for every operator of a plan, as the server names them."""
    name, _, database = plan.get("operatorType", "").partition("@")
    found = [(name, database or None, str(plan.get("args", {}).get("Details", "")))]
    for child in plan.get("children", []):
        found += _operators(child)
    return found


def refusal(tx, query: Query, params: dict) -> str | None:
    """Why ``query`` may not run read-only (None when it may), decided by the server's own classification:
    its plan (``EXPLAIN``) gives the query's type (read, write, schema...) and its operators, and
    ``SHOW PROCEDURES`` the mode of each procedure it calls.

    Refused without ``--write``: anything the server does not classify as a read; administration commands
    (``SHOW ...``, ``TERMINATE TRANSACTIONS``, users, databases), which the server counts as reads;
    ``LOAD CSV`` (it reads files or fetches URLs); a procedure that is not a read (``CALL dbms.*``...); a
    query that runs on another database.
    """
    summary = tx.run("EXPLAIN " + query.text, params).consume()
    operators = _operators(summary.plan or {})
    for operator, database, _ in operators:
        if operator == "LoadCSV":
            return "reads files or URLs (LOAD CSV)"
        if operator.startswith(_COMMAND_OPERATORS):
            return f"is an administration command ({operator})"
        if database and database != summary.database:
            return f"runs on database {database!r}"
    procedures = sorted({details.split("(", 1)[0].strip() for op, _, details in operators if op == "ProcedureCall"})
    if procedures:
        modes = {
            r["name"]: r["mode"]
            for r in tx.run("SHOW PROCEDURES YIELD name, mode WHERE name IN $names RETURN name, mode", names=procedures)
        }
        for name in procedures:
            if modes.get(name) != "READ":
                return f"calls {name}, a procedure of mode {modes.get(name, 'unknown')}"
    if summary.query_type not in ("r", None):
        return f"writes to the database (type {summary.query_type!r})"
    return None


def run_query(
    driver, query: Query, params: dict, write: bool = False, timeout: float = TIMEOUT
) -> tuple[list[str], list[dict]]:
    """Run a query; returns the column names and the rows as dicts.

    Read-only unless ``write``: the query is refused when :func:`refusal` gives a reason, and runs in a
    transaction of READ access mode, in which the server refuses any write. The server stops a query that
    runs longer than ``timeout`` seconds.

    Raises
    ------
    DatabaseError
        The server refused the query (syntax, a write without ``write``), or was lost.
    """
    from neo4j import unit_of_work
    from neo4j.exceptions import Neo4jError

    from .connect import driver_errors

    @unit_of_work(timeout=timeout)
    def execute(tx):
        result = tx.run(query.text, params)
        return list(result.keys()), [record.data() for record in result]

    try:
        with driver_errors(), driver.session() as session:
            if write:
                return session.execute_write(execute)
            reason = session.execute_read(lambda tx: refusal(tx, query, params))
            if reason:
                raise DatabaseError(
                    f"query {query.name} {reason}: queries run read-only; pass --write if that is what you want"
                )
            return session.execute_read(execute)
    except DatabaseError as exc:
        if isinstance(exc.__context__, Neo4jError):
            raise DatabaseError(f"Neo4j refused query {query.name}: {exc.__context__.message}") from None
        raise
