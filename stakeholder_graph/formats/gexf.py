"""GEXF (Gephi): write a stakeholder graph, read it (or Gephi's own files) back.

GEXF reserves an edge's ``type`` for its direction, so the relationship type is written as
``relationship`` (and as the edge label), and ``strength`` also as the ``weight`` Gephi lays out by. The
graph attributes, which GEXF has no place for, are JSON in ``<meta><description>``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import networkx as nx

from .._files import atomic_write
from .graphfile import JSON_GRAPH_ATTRS, label_as_name, node_attrs, rebuild, xml_graph, xml_problem

__all__ = ["write_gexf", "read_gexf"]


def write_gexf(G: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    """Write ``G`` as GEXF, whole or not at all."""
    return atomic_write(Path(path), lambda p: _write_gexf(xml_graph(G, gexf=True), p))


def _write_gexf(H: nx.MultiDiGraph, path: str) -> None:
    """networkx's GEXF with the graph attributes, which GEXF has no place for, as JSON in ``<meta><description>``."""
    from xml.sax.saxutils import escape

    text = "\n".join(nx.generate_gexf(H))
    graph = {
        k: json.loads(H.graph[k]) if k in JSON_GRAPH_ATTRS else H.graph[k]
        for k in ("name",) + JSON_GRAPH_ATTRS
        if k in H.graph
    }
    description = escape(json.dumps({"stakeholder_graph": graph}, ensure_ascii=False))
    text = text.replace("</meta>", f"<description>{description}</description></meta>", 1)
    Path(path).write_text(text + "\n", encoding="utf-8")


def _gexf_graph_attrs(path: Path) -> dict:
    """The graph attributes :func:`_write_gexf` put in ``<meta><description>``; {} for other GEXF files."""
    import xml.etree.ElementTree as ET

    found = ET.parse(path).getroot().find("{*}meta/{*}description")
    try:
        data = json.loads(found.text) if found is not None and found.text else {}
    except json.JSONDecodeError:
        return {}
    return data.get("stakeholder_graph", {}) if isinstance(data, dict) else {}


def read_gexf(path: str | os.PathLike, *, mapping=None, strict: bool = False) -> nx.MultiDiGraph:
    """Read a GEXF file written by :func:`export`, or by Gephi (``label`` is the name, an edge's label its
    type): another tool's attributes are mapped to ours by ``mapping`` (:mod:`.foreign`)."""
    path = Path(path)
    try:
        X = nx.read_gexf(path)
    except Exception as exc:  # ElementTree and networkx raise many kinds on bad files
        raise xml_problem(path, exc) from None
    nodes = [(n, node_attrs(label_as_name(a))) for n, a in X.nodes(data=True)]
    edges = []
    for u, v, attrs in X.edges(data=True):
        attrs = {k: x for k, x in attrs.items() if k not in ("id", "key", "type")}
        kind = attrs.pop("relationship", None) or attrs.get("label")
        if kind is not None and attrs.get("label") == kind:
            del attrs["label"]
        if "weight" in attrs and "strength" in attrs and float(attrs["weight"]) == float(attrs["strength"]):
            del attrs["weight"]  # written by export as Gephi's copy of strength
        edges.append((u, v, {"type": kind, **attrs}))
    return rebuild(str(path), {**X.graph, **_gexf_graph_attrs(path)}, nodes, edges, mapping=mapping, strict=strict)
