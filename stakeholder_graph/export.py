"""Write a stakeholder graph for other tools: one entry point over the writers in :mod:`.formats`.

Formats: ``folder`` (our dataset folder), ``kumu`` (a workbook Kumu imports), ``gexf`` (Gephi),
``graphml`` (Gephi, yEd, Cytoscape, igraph) and ``json`` (NetworkX/D3 node-link). Every attribute is
kept. GEXF and GraphML cannot hold lists, so ``needs``, ``languages`` and ``tags`` are written as
``|``-joined text and split again on reading; the program's settings (and a survey's response rate) are
kept as JSON text in graph attributes. In GEXF, which reserves an edge's ``type`` for its direction, the
relationship type is written as ``relationship`` (and as the edge label), and ``strength`` as the weight
Gephi lays out by. :func:`stakeholder_graph.formats.read_export` reads all three back into the same graph.
"""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx

from .dataset import write_dataset
from .errors import DataError, Problem
from .formats.gexf import write_gexf
from .formats.graphml import write_graphml
from .formats.kumu import write_kumu
from .formats.nodelink import write_node_link

__all__ = [
    "EXPORT_FORMATS",
    "EXTENSIONS",
    "guess_format",
    "export",
]

#: Every format :func:`export` writes.
EXPORT_FORMATS = ("folder", "kumu", "gexf", "graphml", "json")
#: File extensions and the format each means.
EXTENSIONS = {".gexf": "gexf", ".graphml": "graphml", ".json": "json", ".xlsx": "kumu"}


def guess_format(path: str | os.PathLike) -> str:
    """The export format an output path asks for: by extension; a path without one is a folder."""
    suffix = Path(path).suffix.casefold()
    if not suffix:
        return "folder"
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    raise DataError(
        Problem(
            str(path),
            None,
            None,
            f"cannot tell the format from the extension {suffix!r}: "
            f"name it with --format ({', '.join(EXPORT_FORMATS)})",
        )
    )


def export(G: nx.MultiDiGraph, path: str | os.PathLike, fmt: str | None = None) -> Path:
    """Write a stakeholder graph in another tool's format.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A stakeholder graph.
    path : str or path
        The file (or, for ``folder``, the new folder) to write; replaced whole or not at all.
    fmt : str, optional
        One of :data:`EXPORT_FORMATS`; guessed from the extension when None (:func:`guess_format`).

    Returns
    -------
    pathlib.Path
        Where it was written.
    """
    path = Path(path)
    fmt = fmt or guess_format(path)
    if fmt == "folder":
        return write_dataset(G, path)
    if fmt == "kumu":
        return write_kumu(G, path)
    if fmt == "gexf":
        return write_gexf(G, path)
    if fmt == "graphml":
        return write_graphml(G, path)
    if fmt == "json":
        return write_node_link(G, path)
    raise DataError(
        Problem("fmt", None, None, f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    )
