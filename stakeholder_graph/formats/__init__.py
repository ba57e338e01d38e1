"""Other tools' formats, each in its own module: readers that return a validated stakeholder graph, writers.

| module | format |
|---|---|
| :mod:`.kumu` | Kumu's import layout (workbook, CSV pair, JSON blueprint), in and out |
| :mod:`.hsds` | Open Referral (HSDS 3.0 and 1.1) service directories as published (a package of modules); merging one into a dataset |
| :mod:`.mapping` | the one mapping of every outside format and its ``--mapping`` TOML file |
| :mod:`.problems` | what a lenient reader left out and why; ``--strict``; the ``--problems`` CSV |
| :mod:`.foreign` | other tools' GraphML, GEXF and JSON attributes mapped to ours |
| :mod:`.survey` | PARTNER-style partner survey exports |
| :mod:`.gexf` | GEXF (Gephi), in and out |
| :mod:`.graphml` | GraphML (Gephi, yEd, Cytoscape, igraph), in and out |
| :mod:`.nodelink` | node-link JSON (NetworkX, D3), in and out |
| :mod:`.graphfile` | what GEXF, GraphML and node-link JSON share |

The dataset folder, the project's own format, is :mod:`stakeholder_graph.dataset`; choosing a reader for a
SOURCE is :mod:`stakeholder_graph.sources`; writing any format is :func:`stakeholder_graph.export.export`.
"""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx

from ..errors import DataError, Problem

__all__ = ["read_export"]


def read_export(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a GEXF, GraphML or node-link JSON file (by its extension) into a validated stakeholder graph."""
    suffix = Path(path).suffix.casefold()
    from .gexf import read_gexf
    from .graphml import read_graphml
    from .nodelink import read_node_link

    readers = {".gexf": read_gexf, ".graphml": read_graphml, ".xml": read_graphml, ".json": read_node_link}
    if suffix not in readers:
        raise DataError(Problem(str(path), None, None, "is not a .gexf, .graphml or .json file"))
    return readers[suffix](path)
