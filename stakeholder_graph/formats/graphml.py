"""GraphML (Gephi, yEd, Cytoscape, igraph): write a stakeholder graph, read it back."""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx

from .._files import atomic_write
from .graphfile import label_as_name, node_attrs, rebuild, xml_graph, xml_problem

__all__ = ["write_graphml", "read_graphml"]


def write_graphml(G: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    """Write ``G`` as GraphML, whole or not at all."""
    return atomic_write(Path(path), lambda p: nx.write_graphml(xml_graph(G, gexf=False), p))


def read_graphml(path: str | os.PathLike, *, mapping=None, strict: bool = False) -> nx.MultiDiGraph:
    """Read a GraphML file written by :func:`export`, or by another tool (Gephi, yEd, Cytoscape, igraph):
    its attributes are mapped to ours by ``mapping`` (:mod:`.foreign`; a path or a Mapping)."""
    path = Path(path)
    try:
        X = nx.read_graphml(path, force_multigraph=True)
    except Exception as exc:
        raise xml_problem(path, exc) from None
    nodes = [(n, node_attrs(label_as_name(a))) for n, a in X.nodes(data=True)]
    edges = [(u, v, {k: x for k, x in a.items() if k != "id"}) for u, v, a in X.edges(data=True)]
    return rebuild(str(path), dict(X.graph), nodes, edges, mapping=mapping, strict=strict)
