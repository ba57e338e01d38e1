"""One place that turns a SOURCE argument into a stakeholder graph.

A SOURCE is a dataset folder, another tool's file or folder (detected, or named with ``--source-format``), or
a Neo4j URI. Each format has a reader ``read(path) -> MultiDiGraph`` in its own module and a detector
here; :data:`FORMATS` lists them in detection order.
"""

from __future__ import annotations

import csv
import importlib
import inspect
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataError, Problem

if TYPE_CHECKING:  # imported by the CLI at start: nothing heavy here (networkx, Neo4j) until a source is read
    import networkx as nx

__all__ = ["FORMATS", "detect_format", "open_source"]

#: format name -> (module, reader function). Detection tries formats in this order.
FORMATS: dict[str, tuple[str, str]] = {
    "neo4j": ("stakeholder_graph.neo4j_store.store", "read_neo4j"),
    "folder": ("stakeholder_graph.dataset", "read_dataset"),
    "hsds": ("stakeholder_graph.formats.hsds", "read_hsds"),
    "kumu": ("stakeholder_graph.formats.kumu", "read_kumu"),
    "survey": ("stakeholder_graph.formats.survey", "read_survey"),
    "gexf": ("stakeholder_graph.formats.gexf", "read_gexf"),
    "graphml": ("stakeholder_graph.formats.graphml", "read_graphml"),
    "json": ("stakeholder_graph.formats.nodelink", "read_node_link"),
}


def _detect_folder(path: Path) -> bool:
    return path.is_dir() and (path / "stakeholders.csv").exists()


def _json_keys(path: Path) -> set[str]:
    """The top-level keys of a .json file holding an object; empty for anything else."""
    import json

    if not path.is_file() or path.suffix.casefold() != ".json":
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, RecursionError):
        return set()
    return set(data) if isinstance(data, dict) else set()


def _csv_header(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        return [h.strip().lower() for h in handle.readline().split(",")]


def _detect_hsds(path: Path) -> bool:
    """An Open Referral datapackage: a folder or .zip with datapackage.json, or organizations.csv and
    services.csv (at the top or in a subfolder), or a datapackage.json file."""
    from .formats.hsds.package import is_hsds

    return is_hsds(path)


def _detect_kumu(path: Path) -> bool:
    """A workbook, a JSON blueprint with "elements", or Kumu's CSVs (a folder with both, or one of them)."""
    suffix = path.suffix.casefold()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return True
    if suffix == ".json":
        return "elements" in _json_keys(path)
    if path.is_dir():
        names = {p.name.casefold() for p in path.iterdir()}
        return "elements.csv" in names and "connections.csv" in names
    if suffix == ".csv":
        header = _csv_header(path)
        return header[:1] in (["label"], ["from"]) or header[:2] in (["id", "label"], ["id", "from"])
    return False


def _detect_survey(path: Path) -> bool:
    from .formats.survey import is_survey

    return is_survey(path)


#: format name -> detector(path) -> bool
_DETECTORS = {
    "folder": _detect_folder,
    "hsds": _detect_hsds,
    "survey": _detect_survey,
    "kumu": _detect_kumu,
    "gexf": lambda path: path.is_file() and path.suffix.casefold() == ".gexf",
    "graphml": lambda path: path.is_file() and path.suffix.casefold() in (".graphml", ".xml"),
    "json": lambda path: "nodes" in _json_keys(path),
}


def detect_format(source: str | os.PathLike) -> str:
    """The format of a SOURCE, by looking at it.

    Raises
    ------
    DataError
        When the source does not exist or no format recognises it.
    """
    from .neo4j_store.store import is_neo4j_uri

    if is_neo4j_uri(str(source)):
        return "neo4j"
    path = Path(source)
    if not path.exists():
        raise DataError(
            Problem(
                str(source),
                None,
                None,
                "not found: give a dataset folder (with stakeholders.csv and relationships.csv)",
            )
        )
    for name, detector in _DETECTORS.items():
        if detector(path):
            return name
    if path.is_dir():
        return "folder"  # a folder missing its files: the folder reader says which
    raise DataError(
        Problem(
            str(source),
            None,
            None,
            f"cannot tell what format this is; name it with --source-format ({', '.join(FORMATS)})",
        )
    )


def open_source(source: str | os.PathLike, fmt: str | None = None, **options) -> nx.MultiDiGraph:
    """Read any supported SOURCE into a validated stakeholder graph.

    Parameters
    ----------
    source : str or path
        A dataset folder or another supported file or folder.
    fmt : str, optional
        The format's name (a key of :data:`FORMATS`); detected when None.
    **options
        Passed to the format's reader when not None and the reader takes them (``mapping`` for other
        tools' formats, ``strict`` for lenient readers); a ``mapping`` for a format that takes none (the
        dataset folder, Neo4j) is refused.

    Raises
    ------
    DataError
        The source is missing or invalid; every problem is listed.
    """
    if fmt is None:
        fmt = detect_format(source)
    elif fmt not in FORMATS:
        raise DataError(Problem("fmt", None, None, f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}"))
    elif fmt != "neo4j" and not Path(source).exists():
        raise DataError(Problem(str(source), None, None, "not found"))
    module, function = FORMATS[fmt]
    reader = getattr(importlib.import_module(module), function)
    accepted = inspect.signature(reader).parameters
    unused = [key for key, value in options.items() if value is not None and key not in accepted]
    if "mapping" in unused:
        raise DataError(Problem("mapping", None, None, f"applies to other tools' formats, not to a {fmt} source"))
    options = {key: value for key, value in options.items() if value is not None and key in accepted}
    try:
        return reader(source, **options)
    except UNREADABLE as exc:  # what a reader did not foresee in a damaged file: still one located sentence
        raise DataError(Problem(str(source), None, None, f"cannot be read: {unreadable_reason(exc)}")) from None


#: Errors that parsing a damaged or hostile file raises (and readers turn into DataError where they can).
UNREADABLE = (RecursionError, csv.Error, UnicodeError, ValueError, OverflowError, zipfile.BadZipFile, SyntaxError)


def unreadable_reason(exc: BaseException) -> str:
    """What :data:`UNREADABLE` error ``exc`` says about the file, in a planner's words."""
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
        return "it holds a number of more than 4,300 digits"
    return str(exc) or type(exc).__name__
