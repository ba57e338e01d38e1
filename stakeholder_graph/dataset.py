"""Read, validate and write the dataset folder format (``stakeholders.csv``, ``relationships.csv``).

The in-memory model is a :class:`networkx.MultiDiGraph`: one node per stakeholder (its attributes are
the row's non-empty cells, typed), one edge per relationship keyed by its ``type``, and the program's
expectations in ``G.graph["program"]``. Undirected types are stored once, in the direction written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pandas as pd

from ._bulk import add_relationships, paused_gc
from ._escape import from_spreadsheet_cell, spreadsheet_cell
from .errors import DataError, Problem
from .hours import parse_hours
from .program import Program, program_to_toml, read_program
from .vocab import (
    DEMOGRAPHIC_COLUMNS,
    EDGE_ENDPOINTS,
    EDGE_TYPES,
    KINDS,
    LIST_FIELDS,
    LIVED_EXPERIENCE_KINDS,
    METHODS,
    NEEDS,
    SECTORS,
)

__all__ = [
    "STAKEHOLDER_COLUMNS",
    "RELATIONSHIP_COLUMNS",
    "read_dataset",
    "validate_dataset",
    "write_dataset",
    "check_new_folder",
    "graph_from_tables",
    "graph_tables",
]

#: Known stakeholder columns, in the order they are written.
STAKEHOLDER_COLUMNS = (
    "id",
    "name",
    "kind",
    "sector",
    "community",
    "lived_experience",
    "decision_role",
    "population_share",
    "priority",
    "needs",
    "hours",
    "languages",
    "method",
    "date",
    *DEMOGRAPHIC_COLUMNS,
    "tags",
    "notes",
)
#: Known relationship columns, in the order they are written.
RELATIONSHIP_COLUMNS = ("source", "target", "type", "strength", "trust", "since", "until", "notes")

_REQUIRED_STAKEHOLDER = ("id", "name", "kind", "sector")
_REQUIRED_RELATIONSHIP = ("source", "target", "type", "strength", "trust")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
_BOOL_FIELDS = ("priority",)
#: What spreadsheets write in a ``decision_role`` cell to mean "no role" (any case).
NO_ROLE = frozenset({"false", "no", "none", "0", "n/a", "na", "-"})
_DATE_FIELDS = ("date",)
_DECIMAL = re.compile(r"\d+(\.\d*)?|\.\d+")
_MAX_CELL = csv.field_size_limit()
# Characters no XML file (GEXF, GraphML, a workbook) can hold: C0 controls but tab, newline and carriage
# return, lone surrogates, U+FFFE and U+FFFF. A cell holding one is refused.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _read_table(path: Path, label: str, required: tuple[str, ...], problems: list[Problem]) -> pd.DataFrame | None:
    """Read one CSV as text cells; record problems and return None when it cannot be used."""
    if not path.is_file():
        problems.append(Problem(label, None, None, "file not found: a dataset folder needs this file"))
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        row = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        header = raw.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
        names = _header(header) or []
        index = raw[line_start : exc.start].count(b",")
        column = names[index].strip().lower() if index < len(names) else None
        problems.append(Problem(label, row, column, "is not UTF-8 text: in your spreadsheet, save as 'CSV UTF-8'"))
        return None
    if not text.strip():
        problems.append(Problem(label, None, None, f"file is empty: it needs a header row ({','.join(required)})"))
        return None
    header = _header(text)
    if header is None:
        problems.append(
            Problem(label, 1, None, f"the header row cannot be read: a cell is over {_MAX_CELL:,} characters")
        )
        return None
    names = [h.strip().lower() for h in header]
    seen: set[str] = set()
    twice = False
    for name in names:
        if name and name in seen:
            problems.append(Problem(label, 1, name, "column appears twice in the header"))
            twice = True
        seen.add(name)
    missing = [c for c in required if c not in names]
    for column in missing:
        problems.append(Problem(label, 1, column, "required column is missing from the header"))
    if missing or twice:
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            on_bad_lines="error",
            header=None,  # a row longer than the header is an error, never an index
        )
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if found:
            expected, row, saw = map(int, found.groups())
            message = f"has {saw} cells where the header has {expected}: check its commas and quotes"
            problems.append(Problem(label, row, None, message))
        else:
            found = re.search(r"line (\d+)", str(exc))
            problems.append(
                Problem(label, int(found.group(1)) if found else None, None, f"cannot read this row: {exc}")
            )
        return None
    if frame.shape[1] != len(names):
        problems.append(Problem(label, 1, None, "the header row cannot be read: check its quotes"))
        return None
    frame = frame.iloc[1:]
    frame.columns = names
    frame = frame.apply(_cells)
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # spreadsheet row numbers: the header is row 1
    unnamed = [i for i, name in enumerate(names) if not name]
    for i in unnamed:  # a trailing comma, or a column someone forgot to name
        filled = frame.index[frame.iloc[:, i] != ""]
        if len(filled):
            problems.append(
                Problem(label, int(filled[0]), None, f"column {i + 1} has no name in the header: name it or delete it")
            )
    if unnamed:
        frame = frame.iloc[:, [i for i in range(len(names)) if names[i]]]
    blank = (frame == "").all(axis=1)
    return frame[~blank]


def _cells(column: pd.Series) -> pd.Series:
    """A column's cells as read: spaces around taken off, a spreadsheet's formula quote taken off
    (:func:`from_spreadsheet_cell`), a missing cell (a short row) empty."""
    column = column.fillna("")
    text = "\0".join(column.tolist())  # one search of the whole column first: most need no change
    if _SPACE_AROUND.search(text):
        column = column.str.strip()
        text = "\0".join(column.tolist())
    if text.startswith("'") or "\0'" in text:
        quoted = column.str.startswith("'")
        column = column.copy()
        column[quoted] = column[quoted].map(from_spreadsheet_cell)
    return column


# Where cells joined by NUL may have a space (any ``str.isspace`` character) to take off. Not joined by
# newlines: two empty cells would look like a space to take off (and a column of them was stripped
# cell by cell). A NUL in a cell can only make a column be stripped that needed none.
_SPACE_AROUND = re.compile(r"\A\s|\s\Z|\s\0|\0\s")


def _header(text: str) -> list[str] | None:
    """The first row of CSV text (any line endings); None when a cell is too long to read."""
    try:
        return next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return None


def _parse_bool(value: str) -> bool | None:
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError


def _parse_date(value: str) -> str:
    return dt.date.fromisoformat(value).isoformat() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else _bad()


def _bad():
    raise ValueError


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _lived_experience(value: str) -> bool | list[str]:
    """``true``/``false`` (also yes/no, 1/0), or a ``|``-list of kinds of lived experience."""
    try:
        return _parse_bool(value)
    except ValueError:
        pass
    kinds = list(dict.fromkeys(part.lower() for part in _split(value)))
    unknown = [k for k in kinds if k not in LIVED_EXPERIENCE_KINDS]
    if unknown or not kinds:
        raise ValueError(unknown)
    return kinds


def _node_attributes(
    row: dict, line: int, label: str, problems: list[Problem], no_role: list[tuple[int, str]] | None = None
) -> dict:
    """Typed attributes of one stakeholder row; problems are recorded with the row and column.

    A ``decision_role`` that says "no role" (``false``, ``no``, ``none``, ``0``, ``n/a``) is left out and
    its row and text recorded in ``no_role``.
    """
    attrs: dict = {}

    def bad(column: str, message: str) -> None:
        problems.append(Problem(label, line, column, message))

    kind = row["kind"]
    for column, value in row.items():
        if column == "id" or value == "":
            continue
        if column in LIST_FIELDS:
            attrs[column] = _split(value)
        elif column in _BOOL_FIELDS:
            try:
                attrs[column] = _parse_bool(value)
            except ValueError:
                bad(column, f"{value!r} is not true or false")
        elif column == "lived_experience":
            try:
                attrs[column] = _lived_experience(value)
            except ValueError:
                bad(
                    column,
                    f"{value!r} is not true or false, nor kinds of lived experience separated by '|' "
                    f"({', '.join(LIVED_EXPERIENCE_KINDS)})",
                )
        elif column == "decision_role" and value.lower() in NO_ROLE:
            if no_role is not None:
                no_role.append((line, value))
        elif column in _DATE_FIELDS:
            try:
                attrs[column] = _parse_date(value)
            except ValueError:
                bad(column, f"{value!r} is not a date written YYYY-MM-DD")
        elif column == "population_share":
            try:
                share = float(value) if _DECIMAL.fullmatch(value) else _bad()
                if not 0 <= share <= 1:
                    raise ValueError
                attrs[column] = share
            except ValueError:
                bad(column, f"{value!r} is not a share between 0 and 1 (write 0.15 for 15%)")
        else:
            attrs[column] = value
    if kind and kind not in KINDS:
        bad("kind", f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    if "sector" in attrs and attrs["sector"] not in SECTORS:
        bad("sector", f"unknown sector {attrs['sector']!r}; use one of {', '.join(SECTORS)}")
    for need in attrs.get("needs", []):
        if need not in NEEDS:
            bad("needs", f"unknown need {need!r}; use one of {', '.join(NEEDS)}")
    if "method" in attrs and attrs["method"] not in METHODS:
        bad("method", f"unknown engagement method {attrs['method']!r}; use one of {', '.join(METHODS)}")
    if "hours" in attrs:
        try:
            parse_hours(attrs["hours"])
        except ValueError as exc:
            bad("hours", str(exc))
    return attrs


def _edge_attributes(row: dict, line: int, label: str, problems: list[Problem]) -> dict:
    attrs: dict = {}
    for column, value in row.items():
        if column in ("source", "target") or value == "":
            continue
        if column in ("strength", "trust"):
            if value not in {"1", "2", "3", "4"}:
                problems.append(Problem(label, line, column, f"{value!r} is not a whole number from 1 to 4"))
            else:
                attrs[column] = int(value)
        elif column in ("since", "until"):
            try:
                attrs[column] = _parse_date(value)
            except ValueError:
                problems.append(Problem(label, line, column, f"{value!r} is not a date written YYYY-MM-DD"))
        else:
            attrs[column] = value
    if "since" in attrs and "until" in attrs and attrs["until"] < attrs["since"]:
        problems.append(Problem(label, line, "until", f"ends ({attrs['until']}) before it begins ({attrs['since']})"))
    return attrs


class _Invalid(Exception):
    """A cell :func:`_valid_graph` cannot take: the tables are read row by row to say what and where."""


_ABSENT = object()  # an empty cell: no attribute


def _share(value: str) -> float:
    share = float(value) if _DECIMAL.fullmatch(value) else _bad()
    if not 0 <= share <= 1:
        raise ValueError
    return share


def _in(allowed) -> Callable[[str], str]:
    def check(value: str) -> str:
        return value if value in allowed else _bad()

    return check


def _needs(value: str) -> list[str]:
    needs = _split(value)
    return needs if all(need in NEEDS for need in needs) else _bad()


def _hours(value: str) -> str:
    parse_hours(value)
    return value


#: How :func:`_valid_graph` types a stakeholder column's cells (the others are text), as ``_node_attributes``.
_NODE_PARSERS = {
    **dict.fromkeys(LIST_FIELDS, _split),
    **dict.fromkeys(_BOOL_FIELDS, _parse_bool),
    **dict.fromkeys(_DATE_FIELDS, _parse_date),
    "needs": _needs,
    "lived_experience": _lived_experience,
    "population_share": _share,
    "kind": _in(KINDS),
    "sector": _in(SECTORS),
    "method": _in(METHODS),
    "hours": _hours,
}
_EDGE_PARSERS = {
    "strength": lambda value: int(value) if value in {"1", "2", "3", "4"} else _bad(),
    "trust": lambda value: int(value) if value in {"1", "2", "3", "4"} else _bad(),
    "since": _parse_date,
    "until": _parse_date,
}


def _typed(column: pd.Series, parse) -> list:
    """A column's cells typed by ``parse``, each distinct text parsed once; empty cells are ``_ABSENT``.

    Raises _Invalid when ``parse`` refuses a cell. A list value is copied for each cell, so that no two
    stakeholders share one.
    """
    values = column.tolist()
    typed = {"": _ABSENT}
    for value in set(values) - {""}:
        try:
            typed[value] = parse(value) if parse else value
        except ValueError:
            raise _Invalid from None
    out = [typed[value] for value in values]
    if any(isinstance(value, list) for value in typed.values()):
        out = [list(value) if isinstance(value, list) else value for value in out]
    return out


def _records(columns: list[str], typed: list[list]) -> list[dict]:
    """One dict per row of the typed columns, without the absent cells (in column order)."""
    return [{c: v for c, v in zip(columns, row) if v is not _ABSENT} for row in zip(*typed)]


def _valid_graph(
    stakeholders: pd.DataFrame, relationships: pd.DataFrame
) -> tuple[nx.MultiDiGraph, list[tuple[int, str]]] | None:
    """The graph of two valid tables, checked and typed a column at a time; None at the first problem.

    Equal to :func:`_graph_by_rows` on valid tables (the tests compare them) and several times faster on
    large ones: every check is a vectorised pandas operation or made once per distinct cell text.
    """
    for frame in (stakeholders, relationships):
        if any(pd.api.types.infer_dtype(frame[c], skipna=False) not in ("string", "empty") for c in frame.columns):
            return None
    try:
        with paused_gc():
            return _valid_graph_or_raise(stakeholders, relationships)
    except _Invalid:
        return None


def _valid_graph_or_raise(stakeholders: pd.DataFrame, relationships: pd.DataFrame):
    ids = stakeholders["id"]
    if (ids == "").any() or not ids.str.match(_ID).all() or ids.duplicated().any():
        raise _Invalid
    if (stakeholders["name"] == "").any() or (stakeholders["kind"] == "").any():
        raise _Invalid
    columns = [c for c in stakeholders.columns if c != "id" and (stakeholders[c] != "").any()]
    no_role = []
    typed = []
    for column in columns:
        cells = stakeholders[column]
        if column == "decision_role":
            said = cells.str.lower().isin(NO_ROLE) & (cells != "")
            no_role = list(zip(stakeholders.index[said].astype(int).tolist(), cells[said].tolist()))
            cells = cells.where(~said, "")
        typed.append(_typed(cells, _NODE_PARSERS.get(column)))
    kind_of = dict(zip(ids.tolist(), stakeholders["kind"].tolist()))
    if "community" in stakeholders.columns:
        named = set(stakeholders["community"].tolist()) - {""}
        if any(kind_of.get(c) != "community" for c in named):
            raise _Invalid
    G = nx.MultiDiGraph()
    G.add_nodes_from(zip(ids.tolist(), _records(columns, typed)))

    source, target, kind = relationships["source"], relationships["target"], relationships["type"]
    known = set(kind_of)
    if not (source.isin(known).all() and target.isin(known).all() and kind.isin(EDGE_TYPES).all()):
        raise _Invalid
    if (source == target).any() or relationships.duplicated(["source", "target", "type"]).any():
        raise _Invalid
    ends = pd.DataFrame({"type": kind, "source": source.map(kind_of), "target": target.map(kind_of)})
    for edge_type, s_kind, t_kind in ends.drop_duplicates().itertuples(index=False, name=None):
        sources, targets = EDGE_ENDPOINTS[edge_type]
        if s_kind not in sources or t_kind not in targets:
            raise _Invalid
    columns = [c for c in relationships.columns if c not in ("source", "target") and (relationships[c] != "").any()]
    typed = [_typed(relationships[c], _EDGE_PARSERS.get(c)) for c in columns]
    if "since" in relationships.columns and "until" in relationships.columns:
        since, until = relationships["since"], relationships["until"]
        if ((since != "") & (until != "") & (until < since)).any():
            raise _Invalid
    # every relationship new (duplicates were refused above), both ends stakeholders
    add_relationships(G, zip(source.tolist(), target.tolist(), kind.tolist(), _records(columns, typed)))
    return G, no_role


def _graph_by_rows(
    stakeholders: pd.DataFrame, relationships: pd.DataFrame, labels: tuple[str, str], problems: list[Problem]
) -> tuple[nx.MultiDiGraph, list[tuple[int, str]]]:
    """The graph read row by row, every problem recorded in row order (the reference :func:`_valid_graph`
    agrees with on valid tables); also the rows whose ``decision_role`` says "no role"."""
    G = nx.MultiDiGraph()
    s_label, r_label = labels
    first_row: dict[str, int] = {}
    no_role: list[tuple[int, str]] = []
    stakeholder_rows = list(zip(stakeholders.index.tolist(), stakeholders.to_dict("records")))
    for line, row in stakeholder_rows:
        node = row["id"]
        if not node:
            problems.append(Problem(s_label, int(line), "id", "id is empty: every stakeholder needs one"))
            continue
        if not _ID.match(node):
            problems.append(
                Problem(
                    s_label, int(line), "id", f"{node!r} is not a valid id: use letters, digits, '-', '_', '.' or ':'"
                )
            )
        if node in first_row:
            problems.append(
                Problem(s_label, int(line), "id", f"duplicate id {node!r} (first used on row {first_row[node]})")
            )
            continue
        first_row[node] = int(line)
        for column in ("name", "kind"):
            if not row[column]:
                problems.append(Problem(s_label, int(line), column, f"{column} is empty: every stakeholder needs one"))
        G.add_node(node, **_node_attributes(row, int(line), s_label, problems, no_role))

    for line, row in stakeholder_rows:
        community = row.get("community", "")
        if community and G.nodes.get(community, {}).get("kind") != "community":
            problems.append(
                Problem(
                    s_label, int(line), "community", f"{community!r} is not the id of a stakeholder of kind community"
                )
            )

    seen_edges: dict[tuple[str, str, str], int] = {}
    for line, row in zip(relationships.index.tolist(), relationships.to_dict("records")):
        line = int(line)
        ok = True
        for column in ("source", "target"):
            node = row[column]
            if not node:
                problems.append(Problem(r_label, line, column, f"{column} is empty"))
                ok = False
            elif node not in G:
                problems.append(Problem(r_label, line, column, f"no stakeholder has the id {node!r}"))
                ok = False
        kind = row["type"]
        if not kind:
            problems.append(Problem(r_label, line, "type", "type is empty"))
            ok = False
        elif kind not in EDGE_TYPES:
            problems.append(
                Problem(
                    r_label, line, "type", f"unknown relationship type {kind!r}; use one of {', '.join(EDGE_TYPES)}"
                )
            )
            ok = False
        attrs = _edge_attributes(row, line, r_label, problems)
        if not ok:
            continue
        source, target = row["source"], row["target"]
        if source == target:
            problems.append(Problem(r_label, line, "target", "a stakeholder cannot have a relationship with itself"))
            continue
        sources, targets = EDGE_ENDPOINTS[kind]
        s_kind, t_kind = G.nodes[source].get("kind"), G.nodes[target].get("kind")
        if s_kind in KINDS and s_kind not in sources:
            problems.append(
                Problem(
                    r_label,
                    line,
                    "source",
                    f"{kind} cannot start from a {s_kind} ({source}); it starts from {', '.join(sorted(sources))}",
                )
            )
            continue
        if t_kind in KINDS and t_kind not in targets:
            problems.append(
                Problem(
                    r_label,
                    line,
                    "target",
                    f"{kind} cannot go to a {t_kind} ({target}); it goes to {', '.join(sorted(targets))}",
                )
            )
            continue
        key = (source, target, kind)
        if key in seen_edges:
            problems.append(
                Problem(
                    r_label,
                    line,
                    "type",
                    f"duplicate relationship {source} {kind} {target} (first on row {seen_edges[key]})",
                )
            )
            continue
        seen_edges[key] = line
        G.add_edge(source, target, key=kind, **attrs)
    return G, no_role


def graph_from_tables(
    stakeholders: pd.DataFrame,
    relationships: pd.DataFrame,
    program: Program | None = None,
    labels: tuple[str, str] = ("stakeholders.csv", "relationships.csv"),
) -> nx.MultiDiGraph:
    """Build and validate the graph from two tables of text cells.

    Parameters
    ----------
    stakeholders, relationships : pandas.DataFrame
        Text cells (empty string for empty), indexed by spreadsheet row number; columns as in
        ``docs/data-format.md``.
    program : Program, optional
        The program's expectations; defaults apply when None.
    labels : (str, str)
        How problems name the two tables.

    Raises
    ------
    DataError
        Listing every problem found.
    """
    problems: list[Problem] = []
    s_label, r_label = labels
    for column in _REQUIRED_STAKEHOLDER:
        if column not in stakeholders.columns:
            problems.append(Problem(s_label, 1, column, "required column is missing from the header"))
    for column in _REQUIRED_RELATIONSHIP:
        if column not in relationships.columns:
            problems.append(Problem(r_label, 1, column, "required column is missing from the header"))
    if problems:
        raise DataError(problems)
    problems += _unwritable(stakeholders, s_label) + _unwritable(relationships, r_label)

    built = None if problems else _valid_graph(stakeholders, relationships)
    if built is None:  # a problem somewhere: find every one, row by row, in the order they are listed
        built = _graph_by_rows(stakeholders, relationships, labels, problems)
    G, no_role = built

    program = program or Program()
    teams = [n for n, k in G.nodes(data="kind") if k == "team"]
    if program.team is None and len(teams) == 1:
        program = program.replace(team=teams[0])
    elif program.team is not None and G.nodes.get(program.team, {}).get("kind") != "team":
        problems.append(
            Problem("program.toml", None, None, f"team: {program.team!r} is not the id of a stakeholder of kind team")
        )
    for community in program.priority_communities:
        if G.nodes.get(community, {}).get("kind") != "community":
            problems.append(
                Problem("program.toml", None, None, f"priority_communities: {community!r} is not the id of a community")
            )
    if problems:
        raise DataError(problems)
    G.graph["program"] = program
    if no_role:
        G.graph.setdefault("warnings", []).append(_no_role_warning(s_label, no_role))
    return G


def _unwritable(frame: pd.DataFrame, label: str) -> list[Problem]:
    """A problem for each cell holding a character no other tool can read (see ``_UNWRITABLE``)."""
    problems = []
    for i, column in enumerate(frame.columns):
        cells = frame.iloc[:, i]
        values = cells.tolist()
        try:
            text = "\n".join(values)  # text cells only, as read
        except TypeError:
            text = "\n".join(cell for cell in values if isinstance(cell, str))
        if not _UNWRITABLE.search(text):  # the whole column at once first: most hold none
            continue
        for line, cell in cells[cells.str.contains(_UNWRITABLE, na=False)].items():
            found = _UNWRITABLE.search(cell).group()
            problems.append(
                Problem(
                    label,
                    int(line),
                    column,
                    f"holds the control character U+{ord(found):04X}, which exports cannot hold: delete it",
                )
            )
    return problems


def _no_role_warning(label: str, cells: list[tuple[int, str]]) -> str:
    said = ", ".join(repr(v) for v in dict.fromkeys(value for _, value in cells))
    rows = ", ".join(str(line) for line, _ in cells[:10]) + (", ..." if len(cells) > 10 else "")
    return (
        f"{label}: decision_role: {len(cells)} cell(s) say {said}: read as no decision role (rows {rows}); "
        "leave the cell empty for no role"
    )


def read_dataset(folder: str | os.PathLike) -> nx.MultiDiGraph:
    """Read and validate a dataset folder.

    Parameters
    ----------
    folder : str or path
        A folder with ``stakeholders.csv``, ``relationships.csv`` and optionally ``program.toml``.

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    DataError
        Every problem found, as ``FILE:ROW:COLUMN: message``.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(
            Problem(
                str(folder),
                None,
                None,
                "is not a dataset folder (a folder with stakeholders.csv and relationships.csv)",
            )
        )
    problems: list[Problem] = []
    s_label, r_label, p_label = (
        str(folder / name) for name in ("stakeholders.csv", "relationships.csv", "program.toml")
    )
    stakeholders = _read_table(folder / "stakeholders.csv", s_label, _REQUIRED_STAKEHOLDER, problems)
    relationships = _read_table(folder / "relationships.csv", r_label, _REQUIRED_RELATIONSHIP, problems)
    program, program_problems = read_program(folder / "program.toml", p_label)
    problems += program_problems
    if stakeholders is None or relationships is None:
        raise DataError(problems)
    try:
        G = graph_from_tables(stakeholders, relationships, program, (s_label, r_label))
    except DataError as exc:
        raise DataError(problems + [_relabel(p, p_label) for p in exc.problems]) from None
    if problems:
        raise DataError(problems)
    G.graph["name"] = program.name
    return G


def _relabel(problem: Problem, program_label: str) -> Problem:
    if problem.file == "program.toml":
        return Problem(program_label, problem.row, problem.column, problem.message)
    return problem


def validate_dataset(folder: str | os.PathLike) -> list[Problem]:
    """Every problem in a dataset folder; an empty list when it is valid."""
    try:
        read_dataset(folder)
    except DataError as exc:
        return exc.problems
    return []


def cell_text(value) -> str:
    """A typed attribute as a spreadsheet cell: lists joined with ``|``, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    return str(value)


def _table(rows: list[dict], known: tuple[str, ...]) -> pd.DataFrame:
    extra = sorted({key for row in rows for key in row} - set(known))
    columns = list(known) + extra
    return pd.DataFrame(
        [[spreadsheet_cell(cell_text(row.get(c))) for c in columns] for row in rows], columns=columns, dtype=str
    )


def graph_tables(G: nx.MultiDiGraph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables of text cells a dataset folder holds, as :func:`graph_from_tables` reads them back.

    Rows are in graph order and indexed by spreadsheet row number (the header is row 1); known columns
    come first, in the documented order, then any other attribute's column.
    """
    nodes = [{"id": n, **attrs} for n, attrs in G.nodes(data=True)]
    edges = [
        {"source": u, "target": v, "type": k, **{a: b for a, b in attrs.items() if a != "type"}}
        for u, v, k, attrs in G.edges(keys=True, data=True)
    ]
    tables = _table(nodes, STAKEHOLDER_COLUMNS), _table(edges, RELATIONSHIP_COLUMNS)
    for table in tables:
        table.index = table.index + 2
    return tables


def check_new_folder(folder: str | os.PathLike) -> None:
    """Raise DataError unless ``folder`` is new or empty: writers check before any work is done."""
    folder = Path(folder)
    if folder.is_file():
        raise DataError(Problem(str(folder), None, None, "is a file: choose a new or empty folder"))
    if folder.exists() and any(folder.iterdir()):
        raise DataError(
            Problem(str(folder), None, None, "folder exists and is not empty: choose a new or empty folder")
        )


def write_dataset(G: nx.MultiDiGraph, folder: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write a graph as a dataset folder, all files or none.

    The files are written to a temporary folder beside ``folder`` and moved into place at the end,
    so an error never leaves half a dataset behind.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A stakeholder graph, as :func:`read_dataset` returns.
    folder : str or path
        Where to write. It must not exist, or be empty, unless ``overwrite``.
    overwrite : bool
        Replace the three dataset files of an existing folder.
    """
    folder = Path(folder)
    if not overwrite:
        check_new_folder(folder)
    stakeholders, relationships = graph_tables(G)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        stakeholders.to_csv(staging / "stakeholders.csv", index=False, lineterminator="\n")
        relationships.to_csv(staging / "relationships.csv", index=False, lineterminator="\n")
        program = G.graph.get("program") or Program()
        (staging / "program.toml").write_text(program_to_toml(program), encoding="utf-8")
        folder.mkdir(exist_ok=True)
        for name in ("stakeholders.csv", "relationships.csv", "program.toml"):
            os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder
