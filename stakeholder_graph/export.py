"""Write a stakeholder graph for other tools, and read those files back as sources.

Formats: ``folder`` (our dataset folder), ``kumu`` (a workbook Kumu imports), ``gexf`` (Gephi),
``graphml`` (Gephi, yEd, Cytoscape, igraph) and ``json`` (NetworkX/D3 node-link). Every attribute is
kept. GEXF and GraphML cannot hold lists, so ``needs``, ``languages`` and ``tags`` are written as
``|``-joined text and split again on reading; the program's settings (and a survey's response rate) are
kept as JSON text in graph attributes. In GEXF, which reserves an edge's ``type`` for its direction, the
relationship type is written as ``relationship`` (and as the edge label), and ``strength`` as the weight
Gephi lays out by. :func:`read_export` reads all three back into the same graph.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import networkx as nx
import pandas as pd

from ._files import atomic_write
from .dataset import RELATIONSHIP_COLUMNS, STAKEHOLDER_COLUMNS, cell_text, graph_from_tables, write_dataset
from .errors import DataError, Problem
from .kumu import restore_ratings, write_kumu
from .program import Program
from .vocab import LIST_FIELDS

__all__ = [
    "EXPORT_FORMATS",
    "EXTENSIONS",
    "guess_format",
    "export",
    "read_export",
    "read_gexf",
    "read_graphml",
    "read_node_link",
    "program_to_dict",
    "program_from_dict",
]

#: Every format :func:`export` writes.
EXPORT_FORMATS = ("folder", "kumu", "gexf", "graphml", "json")
#: File extensions and the format each means.
EXTENSIONS = {".gexf": "gexf", ".graphml": "graphml", ".json": "json", ".xlsx": "kumu"}
#: Graph attributes written as JSON text in GEXF and GraphML.
_JSON_GRAPH_ATTRS = ("program", "survey")


def guess_format(path: str | os.PathLike) -> str:
    """The export format an output path asks for: by extension; a path without one is a folder."""
    suffix = Path(path).suffix.casefold()
    if not suffix:
        return "folder"
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    raise DataError(Problem(str(path), None, None, f"cannot tell the format from the extension {suffix!r}: "
                                                   f"name it with --format ({', '.join(EXPORT_FORMATS)})"))


def program_to_dict(program: Program) -> dict:
    """A program as plain JSON data."""
    return {f.name: list(v) if isinstance(v := getattr(program, f.name), tuple) else v
            for f in dataclasses.fields(Program) if f.name != "extra"}


def program_from_dict(data: dict | str) -> Program:
    """The program written by :func:`program_to_dict` (or its JSON text)."""
    if isinstance(data, str):
        data = json.loads(data)
    known = {f.name for f in dataclasses.fields(Program)} - {"extra"}
    return Program(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known})


def _plain(value):
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    return value


def _uniform(items: list[dict]) -> None:
    """Make each attribute one type across all items (GraphML and GEXF declare one type per key)."""
    types: dict[str, set] = {}
    for attrs in items:
        for key, value in attrs.items():
            types.setdefault(key, set()).add(type(value))
    for key, found in types.items():
        if len(found) > 1 and not found <= {int, float}:
            for attrs in items:
                if key in attrs and not isinstance(attrs[key], str):
                    value = attrs[key]
                    attrs[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
        elif found == {int, float}:
            for attrs in items:
                if key in attrs:
                    attrs[key] = float(attrs[key])


def _xml_graph(G: nx.MultiDiGraph, gexf: bool) -> nx.MultiDiGraph:
    """A copy whose attributes GEXF or GraphML can hold."""
    H = nx.MultiDiGraph()
    program = G.graph.get("program") or Program()
    H.graph["name"] = G.graph.get("name") or program.name
    H.graph["program"] = json.dumps(program_to_dict(program), ensure_ascii=False)
    if G.graph.get("survey"):
        H.graph["survey"] = json.dumps(G.graph["survey"], ensure_ascii=False)
    H.graph["stakeholder_graph"] = "1"
    nodes = [{k: _plain(v) for k, v in attrs.items() if v is not None} for _, attrs in G.nodes(data=True)]
    edges = [{k: _plain(v) for k, v in attrs.items() if v is not None} for _, _, attrs in G.edges(data=True)]
    _uniform(nodes)
    _uniform(edges)
    for node, attrs in zip(G.nodes, nodes):
        if gexf:
            attrs.setdefault("label", attrs.get("name", node))
        H.add_node(node, **attrs)
    for i, ((u, v, key), attrs) in enumerate(zip(G.edges(keys=True), edges)):
        attrs.setdefault("type", key)
        if gexf:
            attrs["relationship"] = attrs.pop("type")
            attrs.setdefault("label", attrs["relationship"])
            if isinstance(attrs.get("strength"), (int, float)):
                attrs.setdefault("weight", float(attrs["strength"]))
        H.add_edge(u, v, key=f"e{i}", **attrs)
    return H


def _write_gexf(H: nx.MultiDiGraph, path: str) -> None:
    """networkx's GEXF with the graph attributes, which GEXF has no place for, as JSON in ``<meta><description>``."""
    from xml.sax.saxutils import escape

    text = "\n".join(nx.generate_gexf(H))
    graph = {k: json.loads(H.graph[k]) if k in _JSON_GRAPH_ATTRS else H.graph[k]
             for k in ("name",) + _JSON_GRAPH_ATTRS if k in H.graph}
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


def _node_link(G: nx.MultiDiGraph) -> dict:
    program = G.graph.get("program") or Program()
    graph = {"name": G.graph.get("name") or program.name, "program": program_to_dict(program)}
    if G.graph.get("survey"):
        graph["survey"] = G.graph["survey"]
    return {
        "directed": True,
        "multigraph": True,
        "graph": graph,
        "nodes": [{"id": n, **attrs} for n, attrs in G.nodes(data=True)],
        "links": [{"source": u, "target": v, "key": k, **attrs} for u, v, k, attrs in G.edges(keys=True, data=True)],
    }


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
        return atomic_write(path, lambda p: _write_gexf(_xml_graph(G, gexf=True), p))
    if fmt == "graphml":
        return atomic_write(path, lambda p: nx.write_graphml(_xml_graph(G, gexf=False), p))
    if fmt == "json":
        text = json.dumps(_node_link(G), indent=1, ensure_ascii=False)
        return atomic_write(path, lambda p: Path(p).write_text(text + "\n", encoding="utf-8"))
    raise DataError(Problem("--format", None, None, f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}"))


def _rebuild(label: str, graph: dict, nodes: list[tuple[str, dict]], edges: list[tuple[str, str, dict]]) -> nx.MultiDiGraph:
    """Validate nodes and edges read from a file as a dataset would be, and restore the graph attributes."""
    node_rows = [{"id": str(n), **{k: cell_text(v) for k, v in a.items()}} for n, a in nodes]
    edge_rows = [{"source": str(u), "target": str(v), **{k: cell_text(x) for k, x in a.items()}} for u, v, a in edges]
    frames = []
    for rows, required in ((node_rows, STAKEHOLDER_COLUMNS[:4]), (edge_rows, RELATIONSHIP_COLUMNS[:5])):
        columns = list(required) + sorted({k for r in rows for k in r} - set(required))
        frames.append(pd.DataFrame([[r.get(c, "") for c in columns] for r in rows], columns=columns,
                                   index=range(len(rows)), dtype=str))
    try:
        program = program_from_dict(graph["program"]) if graph.get("program") else Program()
    except (TypeError, ValueError) as exc:
        raise DataError(Problem(label, None, None, f"the graph attribute 'program' cannot be read: {exc}")) from None
    try:
        G = graph_from_tables(frames[0], frames[1], program, ("\0nodes", "\0edges"))
    except DataError as exc:
        problems = []
        for p in exc.problems:
            if p.file == "\0nodes":
                where = f"{label}[node {node_rows[p.row]['id']}]" if p.row is not None else label
            elif p.file == "\0edges":
                row = edge_rows[p.row] if p.row is not None else None
                where = f"{label}[edge {row['source']} -> {row['target']}]" if row else label
            else:
                where = label
            problems.append(Problem(where, None, None, f"{p.column}: {p.message}" if p.column else p.message))
        raise DataError(problems) from None
    restore_ratings(G)
    G.graph["name"] = graph.get("name") or program.name
    if graph.get("survey"):
        G.graph["survey"] = json.loads(graph["survey"]) if isinstance(graph["survey"], str) else graph["survey"]
    G.graph["warnings"] = []
    return G


def _node_attrs(attrs: dict, drop: tuple[str, ...] = ()) -> dict:
    out = {k: v for k, v in attrs.items() if k not in drop}
    for key in LIST_FIELDS:
        if isinstance(out.get(key), str):
            out[key] = [part for part in out[key].split("|") if part]
    return out


def _label_as_name(attrs: dict) -> dict:
    """Gephi and yEd name nodes by ``label``: it is the name when there is none, dropped when it repeats it."""
    attrs = dict(attrs)
    label = attrs.pop("label", None)
    if label is not None and "name" not in attrs:
        attrs["name"] = label
    elif label is not None and label != attrs["name"]:
        attrs["label"] = label
    return attrs


def _xml_problem(path: Path, exc: Exception) -> DataError:
    return DataError(Problem(str(path), None, None, f"cannot be read: {exc}"))


def read_gexf(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a GEXF file written by :func:`export` (or by Gephi: nodes need ``kind``; ``label`` is the name)."""
    path = Path(path)
    try:
        X = nx.read_gexf(path)
    except Exception as exc:  # ElementTree and networkx raise many kinds on bad files
        raise _xml_problem(path, exc) from None
    nodes = [(n, _node_attrs(_label_as_name(a))) for n, a in X.nodes(data=True)]
    edges = []
    for u, v, attrs in X.edges(data=True):
        attrs = {k: x for k, x in attrs.items() if k not in ("id", "key", "type")}
        kind = attrs.pop("relationship", None) or attrs.get("label")
        if attrs.get("label") == kind:
            del attrs["label"]
        if "weight" in attrs and ("strength" not in attrs or float(attrs["weight"]) == float(attrs["strength"])):
            del attrs["weight"]
        edges.append((u, v, {"type": kind, **attrs}))
    return _rebuild(str(path), {**X.graph, **_gexf_graph_attrs(path)}, nodes, edges)


def read_graphml(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a GraphML file written by :func:`export` (or another tool, given ``kind`` and ``type``)."""
    path = Path(path)
    try:
        X = nx.read_graphml(path, force_multigraph=True)
    except Exception as exc:
        raise _xml_problem(path, exc) from None
    nodes = [(n, _node_attrs(_label_as_name(a))) for n, a in X.nodes(data=True)]
    edges = [(u, v, {k: x for k, x in a.items() if k != "id"}) for u, v, a in X.edges(data=True)]
    return _rebuild(str(path), dict(X.graph), nodes, edges)


def read_node_link(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read node-link JSON (``{"nodes": [...], "links": [...]}``, as written by :func:`export`)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(Problem(str(path), None, None, f"is not valid JSON: {exc}")) from None
    links = data.get("links", data.get("edges")) if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not isinstance(links, list):
        raise DataError(Problem(str(path), None, None, 'is not node-link JSON: it needs {"nodes": [...], "links": [...]}'))
    nodes, edges, problems = [], [], []
    for i, item in enumerate(data["nodes"]):
        if not isinstance(item, dict) or "id" not in item:
            problems.append(Problem(f"{path}:nodes[{i}]", None, None, "must be an object with an id"))
            continue
        nodes.append((item["id"], _node_attrs({k: v for k, v in item.items() if k != "id"})))
    for i, item in enumerate(links):
        if not isinstance(item, dict) or "source" not in item or "target" not in item:
            problems.append(Problem(f"{path}:links[{i}]", None, None, "must be an object with a source and a target"))
            continue
        attrs = {k: v for k, v in item.items() if k not in ("source", "target", "key")}
        attrs.setdefault("type", item.get("key"))
        edges.append((item["source"], item["target"], attrs))
    if problems:
        raise DataError(problems)
    return _rebuild(str(path), data.get("graph") or {}, nodes, edges)


def read_export(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a GEXF, GraphML or node-link JSON file (by its extension) into a validated stakeholder graph."""
    suffix = Path(path).suffix.casefold()
    readers = {".gexf": read_gexf, ".graphml": read_graphml, ".xml": read_graphml, ".json": read_node_link}
    if suffix not in readers:
        raise DataError(Problem(str(path), None, None, "is not a .gexf, .graphml or .json file"))
    return readers[suffix](path)
