"""Read and write Kumu's import layout: a workbook, a pair of CSVs, or a JSON blueprint.

Kumu (https://kumu.io) imports an *elements* sheet (``Label`` in A1, or ``ID`` then ``Label``; optional
``Type``, ``Description``, ``Tags`` and custom fields) and a *connections* sheet (``From`` and ``To`` in
A1 and B1, or after ``ID``; optional ``Type``, ``Direction``, ``Strength``, ``Tags`` and custom fields).
Several values in a cell are separated by ``|``; a ``To`` cell with several elements fans out to one
connection each; sheets whose name contains ``(ignore)`` are skipped.

Kumu's element ``Type``, a ``Sector`` field (or sector names among the ``Tags``) and the connection
``Type`` become our kinds, sectors and relationship types through the mapping every outside format shares
(:mod:`.mapping`, documented in ``docs/formats.md``; a small TOML file overrides it). What cannot be
mapped is kept as a property (``kumu_type``, ``kumu_sector``) and listed in ``G.graph["warnings"]``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd

from .._files import atomic_write
from .._ids import make_id, normalize_key, unique_ids
from ..dataset import RELATIONSHIP_COLUMNS, STAKEHOLDER_COLUMNS, graph_from_tables
from ..errors import DataError, Problem
from ..program import Program, program_to_toml, read_program
from ..scores import TRUST_DIMENSIONS, VALUE_DIMENSIONS
from ..vocab import STRENGTH_LABELS, UNDIRECTED_EDGE_TYPES
from .mapping import DEFAULT_MAPPING, EDGE_TYPE_NAMES, KIND_TYPES, Mapping, as_mapping, read_mapping

__all__ = [
    "KumuMapping",
    "DEFAULT_MAPPING",
    "KIND_TYPES",
    "EDGE_TYPE_NAMES",
    "PROGRAM_SHEET",
    "SURVEY_SHEET",
    "RATING_FIELDS",
    "restore_ratings",
    "read_mapping",
    "read_kumu",
    "write_kumu",
    "make_id",
    "unique_ids",
    "normalize_key",
    "excel_problem",
]

#: Name of the sheet in which :func:`write_kumu` keeps ``program.toml``; Kumu skips it.
PROGRAM_SHEET = "Program (ignore)"
#: Name of the sheet in which :func:`write_kumu` keeps a partner survey's response rate (as JSON).
SURVEY_SHEET = "Survey (ignore)"
#: Edge attributes holding 1-4 ratings (from a partner survey), kept as whole numbers.
RATING_FIELDS = ("strength", "trust") + TRUST_DIMENSIONS + VALUE_DIMENSIONS
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A workbook that unpacks to more than this many bytes is refused before it is read (a workbook of
#: 100,000 elements and 270,000 connections unpacks to about 130 MB).
MAX_WORKBOOK_UNPACKED = 512 * 1024 * 1024
#: ... or that holds more parts (files inside its zip) than this.
MAX_WORKBOOK_PARTS = 10_000
#: The longest text a cell may hold: Excel's own limit.
MAX_CELL_CHARACTERS = 32_767
_DIRECTIONS = ("directed", "undirected", "mutual")
#: Our stakeholder columns other than those Kumu has its own names for (Label, Type, Description, Tags).
_NODE_FIELDS = tuple(c for c in STAKEHOLDER_COLUMNS if c not in ("id", "name", "kind", "notes", "tags"))
_EDGE_FIELDS = tuple(c for c in RELATIONSHIP_COLUMNS if c not in ("source", "target", "type", "notes"))
_RESERVED = {"id", "name", "kind", "source", "target", "type"}


#: Kumu's name for the shared :class:`~stakeholder_graph.formats.mapping.Mapping` (kept for callers).
KumuMapping = Mapping


@dataclass
class _Table:
    """One sheet, CSV or JSON list as text cells, and how to name a place in it."""

    label: str
    style: str  # "sheet", "csv" or "json"
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, or index in a JSON list; {header: text})
    survey: str | None = None  # a partner survey's response rate, as JSON (see SURVEY_SHEET)

    def column(self, *names: str) -> str | None:
        """The header (as written) whose normalized form is one of ``names``."""
        for header in self.header:
            if normalize_key(header) in names:
                return header
        return None

    def problem(self, row: int | None, column: str | None, message: str) -> Problem:
        if self.style == "sheet":
            if row is not None and column is not None and column in self.header:
                from openpyxl.utils.cell import get_column_letter

                letter = get_column_letter(self.header.index(column) + 1)
                return Problem(f"{self.label}:{letter}{row}", None, None, message)
            return Problem(self.label, row, None, message)
        if self.style == "json":
            where = self.label if row is None else f"{self.label}[{row}]"
            return Problem(f"{where}.{normalize_key(column)}" if column else where, None, None, message)
        return Problem(self.label, row, column, message)


def excel_problem(path: Path) -> Problem | None:
    """A sentence telling the user what to do when ``path`` is not a readable ``.xlsx`` workbook."""
    head = path.read_bytes()[:8] if path.is_file() else b""
    if path.suffix.lower() == ".xls" or (head == _OLE2 and path.suffix.lower() != ".xlsx"):
        message = (
            "is an Excel 97-2003 workbook (.xls), which cannot be read: open it in "
            "Excel or LibreOffice and save it as .xlsx (Excel Workbook)"
        )
    elif head == _OLE2:
        message = (
            "is password-protected (encrypted): open it in Excel, remove the password "
            "(File > Info > Protect Workbook > Encrypt with Password, clear it), "
            "save it and try again"
        )
    elif not zipfile.is_zipfile(path):
        message = "is not an Excel workbook (.xlsx) or is damaged: open it in Excel and save it again as .xlsx"
    else:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
        unpacked = sum(part.file_size for part in parts)  # zipfile never unpacks more than this (CRC-checked)
        if unpacked <= MAX_WORKBOOK_UNPACKED and len(parts) <= MAX_WORKBOOK_PARTS:
            return None
        message = (
            f"unpacks to {unpacked:,} bytes in {len(parts):,} parts, over the limit of {MAX_WORKBOOK_UNPACKED:,} "
            f"bytes and {MAX_WORKBOOK_PARTS:,} parts: it was not read (a damaged or hostile file?)"
        )
    return Problem(str(path), None, None, message)


def _text(value) -> str:
    """A spreadsheet or JSON value as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()[:5] if isinstance(value, dt.time) else value.isoformat()
    if isinstance(value, (list, tuple)):
        return "|".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def _table_from_cells(label: str, style: str, rows: list[tuple[int, list]]) -> _Table:
    """A table from (row number, cells) with the header first; blank rows and unnamed columns are dropped."""
    if not rows:
        return _Table(label, style, [], [])
    header = [_text(v) for v in rows[0][1]]
    table = _Table(label, style, [h for h in header if h], [])
    for number, cells in rows[1:]:
        record = {h: _text(cells[i]) if i < len(cells) else "" for i, h in enumerate(header) if h}
        if any(record.values()):
            table.rows.append((number, record))
    return table


def _read_workbook(path: Path, problems: list[Problem]) -> tuple[_Table | None, _Table | None, str | None]:
    """The elements and connections sheets of a workbook, and the program sheet's text."""
    from openpyxl import load_workbook
    from openpyxl.utils.cell import get_column_letter

    problem = excel_problem(path)
    if problem:
        problems.append(problem)
        return None, None, None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        problems.append(
            Problem(str(path), None, None, f"cannot be read as an .xlsx workbook ({exc}): save it again from Excel")
        )
        return None, None, None
    sheets, program = {}, None
    try:
        for sheet in book.worksheets:
            try:
                rows = [(i, list(values)) for i, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
            except Exception as exc:  # a damaged sheet: openpyxl raises many kinds while reading its rows
                problems.append(
                    Problem(f"{path}[{sheet.title}]", None, None, f"cannot be read ({exc}): save it again from Excel")
                )
                return None, None, None
            for i, values in rows:
                long = next(
                    (j for j, v in enumerate(values) if isinstance(v, str) and len(v) > MAX_CELL_CHARACTERS), None
                )
                if long is not None:
                    problems.append(
                        Problem(
                            f"{path}[{sheet.title}]:{get_column_letter(long + 1)}{i}",
                            None,
                            None,
                            f"holds {len(values[long]):,} characters, over Excel's limit of {MAX_CELL_CHARACTERS:,}",
                        )
                    )
                    return None, None, None
            if sheet.title == PROGRAM_SHEET:
                if rows and _text(rows[0][1][0] if rows[0][1] else None) == "program.toml":
                    program = "\n".join(_text(cells[0]) if cells else "" for _, cells in rows[1:])
                continue
            if sheet.title == SURVEY_SHEET:
                if len(rows) > 1 and rows[1][1]:
                    sheets[SURVEY_SHEET] = _text(rows[1][1][0])
                continue
            if "(ignore)" in sheet.title.casefold():
                continue
            sheets[sheet.title] = _table_from_cells(f"{path}[{sheet.title}]", "sheet", rows)
    finally:
        book.close()
    survey = sheets.pop(SURVEY_SHEET, None)
    elements = _pick(sheets, "elements", ("label",))
    connections = _pick(sheets, "connections", ("from", "to"))
    where = f"{path}"
    if elements is None:
        problems.append(
            Problem(
                where,
                None,
                None,
                "has no Elements sheet: add a sheet named Elements with Label in A1 "
                "(or ID in A1 and Label in B1) and one element per row",
            )
        )
    if connections is None:
        problems.append(
            Problem(
                where,
                None,
                None,
                "has no Connections sheet: add a sheet named Connections with From in A1 "
                "and To in B1 (or ID, From, To) and one connection per row",
            )
        )
    if survey and elements is not None:
        elements.survey = survey
    return elements, connections, program


def _pick(sheets: dict[str, _Table], name: str, needed: tuple[str, ...]) -> _Table | None:
    """The sheet named ``name`` (any case), else the first whose header has the ``needed`` columns."""
    for title, table in sheets.items():
        if title.strip().casefold() == name:
            return table
    for table in sheets.values():
        if all(table.column(n) for n in needed) and (name == "connections" or not table.column("from")):
            return table
    return None


def _read_csv(path: Path, problems: list[Problem]) -> _Table | None:
    import csv
    import io

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(str(path), None, None, "is not UTF-8 text: in your spreadsheet, save as 'CSV UTF-8'"))
        return None
    rows, number = [], 1
    reader = csv.reader(io.StringIO(text, newline=""))
    for cells in reader:
        rows.append((number, cells))
        number = reader.line_num + 1
    table = _table_from_cells(str(path), "csv", rows)
    if not table.header:
        problems.append(Problem(str(path), None, None, "file is empty: it needs a header row"))
        return None
    return table


def _csv_pair(path: Path) -> tuple[Path | None, Path | None]:
    if path.is_dir():
        files = {p.name.casefold(): p for p in path.glob("*") if p.suffix.casefold() == ".csv"}
        elements = files.get("elements.csv") or next((p for n, p in sorted(files.items()) if "element" in n), None)
        connections = files.get("connections.csv") or next(
            (p for n, p in sorted(files.items()) if "connection" in n), None
        )
        return elements, connections
    name = path.name
    if "element" in name.casefold():
        other = re.sub("elements?", "connections", name, flags=re.I)
        return path, path.with_name(other)
    other = re.sub("connections?", "elements", name, flags=re.I)
    return path.with_name(other), path


def _read_blueprint(path: Path, problems: list[Problem]) -> tuple[_Table | None, _Table | None, str | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Problem(str(path), None, None, f"is not valid JSON: {exc}"))
        return None, None, None
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        problems.append(
            Problem(
                str(path), None, None, 'is not a Kumu blueprint: it needs {"elements": [...], "connections": [...]}'
            )
        )
        return None, None, None
    tables = []
    for name, renames in (("elements", {"element type": "type"}), ("connections", {"connection type": "type"})):
        items = data.get(name) or []
        if not isinstance(items, list):
            problems.append(Problem(f"{path}:{name}", None, None, "must be a list of objects"))
            items = []
        header: list[str] = []
        rows = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                problems.append(Problem(f"{path}:{name}[{i}]", None, None, "must be an object"))
                continue
            flat = {k: v for k, v in item.items() if k != "attributes"}
            flat.update(item["attributes"] if isinstance(item.get("attributes"), dict) else {})
            if "_id" in flat:
                flat.setdefault("id", flat.pop("_id"))
            record = {}
            for key, value in flat.items():
                key = renames.get(normalize_key(key), key)
                if key not in header:
                    header.append(key)
                record[key] = _text(value)
            rows.append((i, record))
        rows = [(i, {h: record.get(h, "") for h in header}) for i, record in rows]
        tables.append(_Table(f"{path}:{name}", "json", header, rows))
    program = data.get("program") if isinstance(data.get("program"), str) else None
    return tables[0], tables[1], program


def _rating(text: str) -> str | None:
    """A 1-4 rating as text ("3", "3.0", "coordination"), or None when it is not one."""
    words = {label: str(n) for n, label in STRENGTH_LABELS.items()}
    cleaned = text.strip().casefold()
    if cleaned in words:
        return words[cleaned]
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return str(int(number)) if number.is_integer() and 1 <= number <= 4 else None


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split("|") if part.strip()]


def _field(header: str, mapping: KumuMapping, known: tuple[str, ...]) -> str:
    """Our column for a custom Kumu field: mapped, one of ours, or the header in lower case."""
    key = normalize_key(header)
    if key in mapping.fields:
        return mapping.fields[key]
    snake = key.replace(" ", "_")
    if snake in known:
        return snake
    name = header.strip().lower()
    return f"kumu_{name}" if name in _RESERVED else name


class _Reader:
    """Turns an elements and a connections table into the two text tables ``graph_from_tables`` checks."""

    def __init__(self, mapping: KumuMapping):
        self.mapping = mapping
        self.problems: list[Problem] = []
        self.unmapped: dict[str, Counter] = {"kind": Counter(), "sector": Counter(), "type": Counter()}
        self.notes: list[str] = []
        self.custom: set[str] = set()

    def _mapped(
        self, row: dict, column: str | None, table: dict[str, str], default: str, what: str, record: dict
    ) -> str:
        """Map a row's Kumu type through ``table``; an unmapped one counts, reads as ``default`` and is
        kept in ``record["kumu_type"]``."""
        kumu_type = row.get(column, "") if column else ""
        mapped = table.get(normalize_key(kumu_type))
        if mapped is None:
            self.unmapped[what][kumu_type] += 1
            if kumu_type:
                record["kumu_type"] = kumu_type
            return default
        return mapped

    def elements(self, table: _Table) -> tuple[pd.DataFrame | None, dict[str, str], dict[str, str]]:
        """The stakeholder table, {our column: Kumu header}, and {id, label or casefolded label: id}."""
        m = self.mapping
        label_col, id_col = table.column("label"), table.column("id")
        if label_col is None:
            found = repr(table.header[0]) if table.header else "nothing"
            message = f"Kumu's elements sheet needs Label in A1 (or ID in A1 and Label in B1); found {found}"
            self.problems.append(
                Problem(f"{table.label}:A1", None, None, message)
                if table.style == "sheet"
                else table.problem(None if table.style == "json" else 1, None, message)
            )
            return None, {}, {}
        type_col, desc_col, tags_col = table.column("type"), table.column("description"), table.column("tags")
        mapped = [h for h in table.header if m.fields.get(normalize_key(h)) == "sector"]
        sector_col = mapped[0] if mapped else table.column("sector")
        sources = {
            "id": id_col or label_col,
            "name": label_col,
            "kind": type_col or label_col,
            "sector": sector_col or tags_col or label_col,
            "notes": desc_col,
            "tags": tags_col,
        }
        custom = [h for h in table.header if h not in {label_col, id_col, type_col, desc_col, tags_col, sector_col}]
        for header in custom:
            column = _field(header, m, _NODE_FIELDS)
            sources.setdefault(column, header)
            if column not in STAKEHOLDER_COLUMNS and not column.startswith("kumu_"):
                self.custom.add(header)
        labels = [row[label_col] for _, row in table.rows]
        natural = unique_ids(labels)
        records, index, first_label, explicit = [], [], {}, {}
        for (number, row), slug in zip(table.rows, natural):
            label = row[label_col]
            if not label:
                self.problems.append(table.problem(number, label_col, "Label is empty: every element needs one"))
                continue
            given = row.get(id_col, "") if id_col else ""
            node = given if (given and _ID.match(given)) else make_id(given) if given else slug
            if given:
                if given in explicit:
                    self.problems.append(
                        table.problem(number, id_col, f"duplicate ID {given!r} (first on row {explicit[given]})")
                    )
                    continue
                explicit[given] = number
            elif label.casefold() in first_label:
                self.problems.append(
                    table.problem(
                        number,
                        label_col,
                        f"duplicate label {label!r} (first on row "
                        f"{first_label[label.casefold()]}): Kumu merges elements with the same label; "
                        "add an ID column to keep them apart",
                    )
                )
                continue
            first_label.setdefault(label.casefold(), number)
            record = {"id": node, "name": label}
            record["kind"] = kind = self._mapped(row, type_col, m.kinds, m.default_kind, "kind", record)
            if sector_col:
                value = row.get(sector_col, "")
                if value:
                    sector = m.sectors.get(normalize_key(value))
                    if sector:
                        record["sector"] = sector
                    else:
                        record["kumu_sector"] = value
                        self.unmapped["sector"][value] += 1
            elif tags_col and kind in ("person", "organization", "team"):
                found = [
                    m.sectors[normalize_key(t)] for t in _split(row.get(tags_col, "")) if normalize_key(t) in m.sectors
                ]
                if found:
                    record["sector"] = found[0]
            if desc_col and row.get(desc_col):
                record["notes"] = row[desc_col]
            if tags_col and row.get(tags_col):
                record["tags"] = "|".join(_split(row[tags_col]))
            for header in custom:
                if row.get(header):
                    record[_field(header, m, _NODE_FIELDS)] = row[header]
            records.append(record)
            index.append(number)
        frame = _frame(records, index, ("id", "name", "kind", "sector"))
        # From and To name an element by its ID, else its label (exact, then in any case), else our id
        labels: dict[str, str] = {}
        ambiguous: dict[str, list[int]] = {}
        for number, record in zip(index, records):
            for key in (record["name"], record["name"].casefold()):
                if key in labels and labels[key] != record["id"]:
                    ambiguous.setdefault(key, []).append(number)
                labels.setdefault(key, record["id"])
        lookup = {record["id"]: record["id"] for record in records}
        lookup.update(labels)
        lookup.update({given: given if _ID.match(given) else make_id(given) for given in explicit})
        self.ambiguous = {k: v for k, v in ambiguous.items() if k not in explicit}
        return frame, sources, lookup

    def connections(self, table: _Table, lookup: dict[str, str]) -> tuple[pd.DataFrame, dict[str, str]]:
        """The relationship table and {our column: Kumu header}."""
        m = self.mapping
        from_col, to_col = table.column("from"), table.column("to")
        if from_col is None or to_col is None:
            found = ", ".join(repr(h) for h in table.header[:3]) or "nothing"
            message = f"Kumu's connections sheet needs From in A1 and To in B1 (or ID, From, To); found {found}"
            self.problems.append(
                Problem(f"{table.label}:A1", None, None, message)
                if table.style == "sheet"
                else table.problem(None if table.style == "json" else 1, None, message)
            )
            return _frame([], [], RELATIONSHIP_COLUMNS[:5]), {}
        type_col, dir_col = table.column("type"), table.column("direction")
        desc_col, id_col = table.column("description"), table.column("id")
        strength_col, trust_col = table.column("strength"), table.column("trust")
        sources = {
            "source": from_col,
            "target": to_col,
            "type": type_col or from_col,
            "notes": desc_col,
            "strength": strength_col,
            "trust": trust_col,
        }
        skip = {from_col, to_col, type_col, dir_col, desc_col, id_col, strength_col, trust_col}
        custom = [h for h in table.header if h not in skip]
        for header in custom:
            column = _field(header, m, _EDGE_FIELDS + TRUST_DIMENSIONS + VALUE_DIMENSIONS + ("tags", "label"))
            sources.setdefault(column, header)
            if column not in RELATIONSHIP_COLUMNS + RATING_FIELDS + ("tags", "label") and not column.startswith(
                "kumu_"
            ):
                self.custom.add(header)
        records, index = [], []
        undirected = Counter()
        for number, row in table.rows:
            ok = True
            ends = {}
            for column, cells in ((from_col, [row.get(from_col, "")]), (to_col, _split(row.get(to_col, "")) or [""])):
                ends[column] = []
                for cell in cells:
                    if not cell:
                        self.problems.append(
                            table.problem(number, column, f"{column} is empty: name an element by its label or ID")
                        )
                        ok = False
                    elif cell in lookup or cell.casefold() in lookup:
                        key = cell if cell in lookup else cell.casefold()
                        if key in self.ambiguous:
                            self.problems.append(
                                table.problem(
                                    number, column, f"{cell!r} is the label of several elements: use their IDs"
                                )
                            )
                            ok = False
                        ends[column].append(lookup[key])
                    else:
                        self.problems.append(table.problem(number, column, f"no element has the label or ID {cell!r}"))
                        ok = False
            record: dict[str, str] = {}
            record["type"] = kind = self._mapped(
                row, type_col, m.connection_types, m.default_connection_type, "type", record
            )
            direction = normalize_key(row.get(dir_col, "")) if dir_col else ""
            if direction and direction not in _DIRECTIONS:
                self.problems.append(
                    table.problem(
                        number, dir_col, f"{row[dir_col]!r} is not a direction: write directed, undirected or mutual"
                    )
                )
                ok = False
            for column, header in (("strength", strength_col), ("trust", trust_col)):
                value = row.get(header, "") if header else ""
                if value:
                    rating = _rating(value)
                    if rating is None:
                        words = ", ".join(f"{n} {w}" for n, w in STRENGTH_LABELS.items())
                        hint = (
                            f"write {words}"
                            if column == "strength"
                            else "write a whole number from 1 (low) to 4 (high)"
                        )
                        self.problems.append(
                            table.problem(number, header, f"{value!r} is not a {header} from 1 to 4: {hint}")
                        )
                        ok = False
                    else:
                        record[column] = rating
            if desc_col and row.get(desc_col):
                record["notes"] = row[desc_col]
            if id_col and row.get(id_col):
                record["kumu_id"] = row[id_col]
            for header in custom:
                if row.get(header):
                    record[
                        _field(header, m, _EDGE_FIELDS + TRUST_DIMENSIONS + VALUE_DIMENSIONS + ("tags", "label"))
                    ] = row[header]
            if not ok:
                continue
            for source in ends[from_col]:
                for target in ends[to_col]:
                    records.append({"source": source, "target": target, **record})
                    index.append(number)
                    if kind not in UNDIRECTED_EDGE_TYPES and direction == "mutual" and source != target:
                        records.append({"source": target, "target": source, **record})
                        index.append(number)
                    elif kind not in UNDIRECTED_EDGE_TYPES and direction == "undirected":
                        undirected[kind] += 1
        for kind, count in sorted(undirected.items()):
            self.notes.append(
                f"{count} undirected connection(s) of type {kind}, which has a direction, were kept in the "
                "direction written (From -> To)"
            )
        return _frame(records, index, RELATIONSHIP_COLUMNS[:5]), sources

    def warnings(self) -> list[str]:
        m, out = self.mapping, []
        for what, key, default, prop in (
            ("element type", "kind", m.default_kind, "kumu_type"),
            ("connection type", "type", m.default_connection_type, "kumu_type"),
        ):
            counts = self.unmapped[key]
            empty = counts.pop("", 0)
            if empty:
                out.append(f"{empty} {what.split()[0]}(s) have no Type and were read as {default}")
            if counts:
                listed = ", ".join(f"{name!r} ({n})" for name, n in sorted(counts.items()))
                out.append(
                    f"unmapped Kumu {what}s read as {default}, the original kept in {prop}: {listed}; "
                    "map them in a --mapping file (docs/formats.md)"
                )
        if self.unmapped["sector"]:
            listed = ", ".join(f"{name!r} ({n})" for name, n in sorted(self.unmapped["sector"].items()))
            out.append(
                f"unrecognised Sector values kept in kumu_sector (no sector set): {listed}; "
                "map them under [sectors] in a --mapping file"
            )
        if self.custom:
            out.append("custom Kumu fields kept as text properties: " + ", ".join(sorted(self.custom)))
        return out + self.notes


def _frame(records: list[dict], index: list[int], required: tuple[str, ...]) -> pd.DataFrame:
    """A table of text cells ("" when empty) indexed by row number, with at least the required columns."""
    columns = list(required) + sorted({k for r in records for k in r} - set(required))
    return pd.DataFrame([[r.get(c, "") for c in columns] for r in records], index=index, columns=columns, dtype=str)


def _locate(problem: Problem, tables: dict[str, tuple[_Table, dict[str, str]]]) -> Problem:
    """A problem ``graph_from_tables`` found, moved to the Kumu cell it came from."""
    if problem.file not in tables:
        return problem
    table, sources = tables[problem.file]
    header = sources.get(problem.column or "") or problem.column
    message = problem.message
    return table.problem(problem.row, header, message)


def _program(text: str | None, label: str, problems: list[Problem]) -> Program:
    if text is None:
        return Program()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "program.toml"
        path.write_text(text, encoding="utf-8")
        program, found = read_program(path, label)
    problems.extend(found)
    return program


def read_kumu(path: str | os.PathLike, mapping: KumuMapping | str | os.PathLike | None = None) -> nx.MultiDiGraph:
    """Read a Kumu workbook, CSV pair or JSON blueprint into a validated stakeholder graph.

    Parameters
    ----------
    path : str or path
        An ``.xlsx`` workbook, a ``.json`` blueprint, a folder with ``elements.csv`` and
        ``connections.csv``, or one of those two CSV files (the other is found beside it).
    mapping : KumuMapping or path, optional
        How Kumu's types, sectors and fields become ours; a path is read with :func:`read_mapping`.
        Default :data:`DEFAULT_MAPPING`.

    Returns
    -------
    networkx.MultiDiGraph
        With ``G.graph["warnings"]``: what could not be mapped and was kept as properties.

    Raises
    ------
    DataError
        Every problem, located as ``FILE[Sheet]:CELL`` (workbooks), ``FILE:ROW:COLUMN`` (CSV) or
        ``FILE:elements[i].key`` (JSON); nothing is imported when there is one.
    """
    mapping = as_mapping(mapping)
    path = Path(path)
    problems: list[Problem] = []
    program_text, program_label = None, str(path)
    if not path.exists():
        raise DataError(Problem(str(path), None, None, "not found"))
    suffix = path.suffix.casefold()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        elements, connections, program_text = _read_workbook(path, problems)
        program_label = f"{path}[{PROGRAM_SHEET}]"
    elif suffix == ".json":
        elements, connections, program_text = _read_blueprint(path, problems)
    else:
        first, second = _csv_pair(path)
        elements = connections = None
        for role, file in (("elements", first), ("connections", second)):
            if file is None or not file.is_file():
                problems.append(
                    Problem(
                        str(file or path / f"{role}.csv"),
                        None,
                        None,
                        "file not found: Kumu CSVs come in pairs, elements.csv and connections.csv",
                    )
                )
            elif role == "elements":
                elements = _read_csv(file, problems)
            else:
                connections = _read_csv(file, problems)
        folder = path if path.is_dir() else path.parent
        if (folder / "program.toml").is_file():
            program_text = (folder / "program.toml").read_text(encoding="utf-8-sig")
            program_label = str(folder / "program.toml")
    if elements is None or connections is None:
        raise DataError(problems)
    reader = _Reader(mapping)
    stakeholders, node_sources, lookup = reader.elements(elements)
    if stakeholders is None:  # no Label column: every connection would fail to resolve
        raise DataError(problems + reader.problems)
    relationships, edge_sources = reader.connections(connections, lookup)
    program = _program(program_text, program_label, problems)
    problems += reader.problems
    tables = {"\0elements": (elements, node_sources), "\0connections": (connections, edge_sources)}
    try:
        G = graph_from_tables(stakeholders, relationships, program, ("\0elements", "\0connections"))
    except DataError as exc:
        problems += [
            _locate(p, tables) if p.file != "program.toml" else Problem(program_label, None, None, p.message)
            for p in exc.problems
        ]
        raise DataError(problems) from None
    if problems:
        raise DataError(problems)
    restore_ratings(G)
    G.graph["name"] = G.graph["program"].name
    if elements.survey:
        with contextlib.suppress(json.JSONDecodeError):
            G.graph["survey"] = json.loads(elements.survey)
    G.graph["warnings"] = reader.warnings()
    return G


def restore_ratings(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Turn survey ratings read as text (``reliability`` ... ``resources``) back into whole numbers."""
    for _, _, attrs in G.edges(data=True):
        for key in RATING_FIELDS:
            value = attrs.get(key)
            if isinstance(value, str) and value in {"0", "1", "2", "3", "4"}:
                attrs[key] = int(value)
    return G


def _title(column: str) -> str:
    return column.replace("_", " ").title()


def _cell(value):
    """A value as :func:`write_kumu` puts it in a cell (lists joined with ``|``)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, (list, tuple)):
        value = "|".join(str(v) for v in value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _sheet(book, title: str, header: list[str], rows: list[list]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that only looks like a formula


def write_kumu(G: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    """Write a stakeholder graph as a workbook Kumu imports (Elements and Connections sheets).

    Elements get ``ID``, ``Label``, ``Type`` (the kind), ``Sector``, ``Description`` (notes), ``Tags`` and
    one column per other attribute; connections ``From``, ``To`` (ids), ``Type``, ``Direction``,
    ``Strength``, ``Trust``, ``Description`` and one column per other attribute. The program's settings
    go to a sheet named ``Program (ignore)``, which Kumu skips and :func:`read_kumu` reads, so
    ``read_kumu(write_kumu(G, p))`` gives back the same graph. The file is written whole or not at all.
    """
    from openpyxl import Workbook

    path = Path(path)
    book = Workbook()
    book.remove(book.active)
    extra_nodes = sorted({k for _, a in G.nodes(data=True) for k in a} - set(STAKEHOLDER_COLUMNS))
    node_fields = [c for c in _NODE_FIELDS if c != "sector" and any(c in a for _, a in G.nodes(data=True))]
    header = ["ID", "Label", "Type", "Sector", "Description", "Tags"] + [_title(c) for c in node_fields] + extra_nodes
    rows = [
        [n, a.get("name"), KIND_TYPES.get(a.get("kind"), a.get("kind")), a.get("sector"), a.get("notes"), a.get("tags")]
        + [a.get(c) for c in node_fields]
        + [a.get(c) for c in extra_nodes]
        for n, a in G.nodes(data=True)
    ]
    _sheet(book, "Elements", header, rows)
    edge_keys = {k for _, _, a in G.edges(data=True) for k in a} - {"type", "notes"}
    edge_fields = [c for c in _EDGE_FIELDS if c in edge_keys]
    extra_edges = sorted(edge_keys - set(edge_fields))
    header = ["From", "To", "Type", "Direction", "Description"] + [_title(c) for c in edge_fields] + extra_edges
    rows = [
        [u, v, EDGE_TYPE_NAMES.get(k, k), "undirected" if k in UNDIRECTED_EDGE_TYPES else "directed", a.get("notes")]
        + [a.get(c) for c in edge_fields]
        + [a.get(c) for c in extra_edges]
        for u, v, k, a in G.edges(keys=True, data=True)
    ]
    _sheet(book, "Connections", header, rows)
    program = G.graph.get("program") or Program()
    _sheet(book, PROGRAM_SHEET, ["program.toml"], [[line] for line in program_to_toml(program).splitlines()])
    if G.graph.get("survey"):
        _sheet(book, SURVEY_SHEET, ["survey.json"], [[json.dumps(G.graph["survey"])]])
    return atomic_write(path, book.save)
