"""One place that turns a SOURCE argument into a stakeholder graph.

A SOURCE is a dataset folder, another tool's file or folder (detected, or named with ``--format``), or
a Neo4j URI. Each format has a reader ``read(path) -> MultiDiGraph`` in its own module and a detector
here; :data:`FORMATS` lists them in detection order.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import networkx as nx

from .errors import DataError, Problem

__all__ = ["FORMATS", "detect_format", "open_source"]

#: format name -> (module, reader function). Detection tries formats in this order.
FORMATS: dict[str, tuple[str, str]] = {
    "folder": ("stakeholder_graph.dataset", "read_dataset"),
}


def _detect_folder(path: Path) -> bool:
    return path.is_dir() and (path / "stakeholders.csv").exists()


#: format name -> detector(path) -> bool
_DETECTORS = {
    "folder": _detect_folder,
}


def detect_format(source: str | os.PathLike) -> str:
    """The format of a SOURCE, by looking at it.

    Raises
    ------
    DataError
        When the source does not exist or no format recognises it.
    """
    path = Path(source)
    if not path.exists():
        raise DataError(Problem(str(source), None, None,
                                "not found: give a dataset folder (with stakeholders.csv and relationships.csv)"))
    for name, detector in _DETECTORS.items():
        if detector(path):
            return name
    if path.is_dir():
        return "folder"  # a folder missing its files: the folder reader says which
    raise DataError(Problem(str(source), None, None,
                            f"cannot tell what format this is; name it with --format ({', '.join(FORMATS)})"))


def open_source(source: str | os.PathLike, fmt: str | None = None) -> nx.MultiDiGraph:
    """Read any supported SOURCE into a validated stakeholder graph.

    Parameters
    ----------
    source : str or path
        A dataset folder or another supported file or folder.
    fmt : str, optional
        The format's name (a key of :data:`FORMATS`); detected when None.

    Raises
    ------
    DataError
        The source is missing or invalid; every problem is listed.
    """
    if fmt is None:
        fmt = detect_format(source)
    elif fmt not in FORMATS:
        raise DataError(Problem("--format", None, None, f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}"))
    elif not Path(source).exists():
        raise DataError(Problem(str(source), None, None, "not found"))
    module, function = FORMATS[fmt]
    return getattr(importlib.import_module(module), function)(source)
