"""One place that turns a SOURCE argument into a stakeholder graph.

Today a SOURCE is a dataset folder; other formats and Neo4j URIs are routed here as they arrive.
"""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx

from .dataset import read_dataset
from .errors import DataError, Problem

__all__ = ["open_source", "describe_source"]


def describe_source(source: str | os.PathLike) -> str:
    """The kind of source a string names: ``"folder"`` (more kinds arrive with their readers)."""
    path = Path(source)
    if path.is_dir():
        return "folder"
    raise DataError(Problem(str(source), None, None,
                            "not found: give a dataset folder (with stakeholders.csv and relationships.csv)"))


def open_source(source: str | os.PathLike) -> nx.MultiDiGraph:
    """Read any supported SOURCE into a validated stakeholder graph.

    Raises
    ------
    DataError
        The source is missing or invalid; every problem is listed.
    """
    describe_source(source)
    return read_dataset(source)
