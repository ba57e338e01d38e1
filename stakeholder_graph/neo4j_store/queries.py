"""The Cypher query library (``queries/*.cypher``) and a safe way to run a query.

Each library file starts with a header of ``//`` comments::

    // name: sectors-never-engaged
    // description: Expected sectors with no stakeholder taking part in engagement.
    // param: wave string = "default"  The wave (snapshot) to look in.

A ``param`` line gives the name, the type (``string``, ``integer``, ``float``, ``boolean``, ``list``), an
optional default after ``=``, and a description. Values are always passed as Cypher parameters, never
pasted into the text. Queries run read-only unless ``write`` is set: the server's own plan
(``EXPLAIN``) says whether a query writes, and one that does is refused.
"""

from __future__ import annotations

import importlib.resources
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DatabaseError, DataError, Problem

__all__ = ["QUERY_DIR", "Query", "Param", "library", "find_query", "parse_query", "parse_params", "run_query"]

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


def run_query(
    driver, query: Query, params: dict, write: bool = False, timeout: float = TIMEOUT
) -> tuple[list[str], list[dict]]:
    """Run a query; returns the column names and the rows as dicts.

    Read-only unless ``write``: the query is first planned with ``EXPLAIN`` and refused if it writes.
    The server stops a query that runs longer than ``timeout`` seconds.

    Raises
    ------
    DatabaseError
        The server refused the query (syntax, a write without ``write``), or was lost.
    """
    from neo4j import unit_of_work
    from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

    def plan(tx):
        return tx.run("EXPLAIN " + query.text, params).consume().query_type

    @unit_of_work(timeout=timeout)
    def execute(tx):
        result = tx.run(query.text, params)
        return list(result.keys()), [record.data() for record in result]

    try:
        with driver.session() as session:
            if not write:
                kind = session.execute_read(plan)
                if kind not in ("r", None):
                    raise DatabaseError(
                        f"query {query.name} writes to the database (type {kind!r}); "
                        "pass --write if that is what you want"
                    )
                return session.execute_read(execute)
            return session.execute_write(execute)
    except (ServiceUnavailable, SessionExpired) as exc:
        raise DatabaseError(f"lost the connection to Neo4j: {exc}") from None
    except Neo4jError as exc:
        raise DatabaseError(f"Neo4j refused query {query.name}: {exc.message}") from None
