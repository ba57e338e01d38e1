"""Node-link JSON (NetworkX, D3): write a stakeholder graph, read it back."""

from __future__ import annotations

import json
import os
from pathlib import Path

import networkx as nx

from .._files import atomic_write
from ..errors import DataError, Problem
from ..program import Program
from .graphfile import node_attrs, program_to_dict, rebuild

__all__ = ["write_node_link", "read_node_link"]


def write_node_link(G: nx.MultiDiGraph, path: str | os.PathLike) -> Path:
    """Write ``G`` as node-link JSON, whole or not at all."""
    text = json.dumps(_node_link(G), indent=1, ensure_ascii=False)
    return atomic_write(Path(path), lambda p: Path(p).write_text(text + "\n", encoding="utf-8"))


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


def read_node_link(path: str | os.PathLike, *, mapping=None, strict: bool = False) -> nx.MultiDiGraph:
    """Read node-link JSON (``{"nodes": [...], "links": [...]}``) written by :func:`export` or another tool
    (NetworkX, D3: links may name nodes by their index); another tool's attributes are mapped to ours by
    ``mapping`` (:mod:`.foreign`)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(Problem(str(path), None, None, f"is not valid JSON: {exc}")) from None
    links = data.get("links", data.get("edges")) if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not isinstance(links, list):
        raise DataError(
            Problem(str(path), None, None, 'is not node-link JSON: it needs {"nodes": [...], "links": [...]}')
        )
    nodes, edges, problems = [], [], []
    for i, item in enumerate(data["nodes"]):
        if not isinstance(item, dict) or not _is_id(item.get("id")):
            problems.append(
                Problem(f"{path}:nodes[{i}]", None, None, "must be an object with an id (text or a number)")
            )
            continue
        nodes.append((item["id"], node_attrs({k: v for k, v in item.items() if k != "id"})))
    known = {str(n) for n, _ in nodes}
    for i, item in enumerate(links):
        if not isinstance(item, dict) or not _is_id(item.get("source")) or not _is_id(item.get("target")):
            problems.append(Problem(f"{path}:links[{i}]", None, None, "must be an object with a source and a target"))
            continue
        attrs = {k: v for k, v in item.items() if k not in ("source", "target", "key")}
        attrs.setdefault("type", item.get("key"))
        ends = [_end(item[end], nodes, known) for end in ("source", "target")]
        edges.append((ends[0], ends[1], attrs))
    graph = data.get("graph") or {}
    if not isinstance(graph, dict):
        problems.append(Problem(f"{path}:graph", None, None, "must be an object of graph attributes"))
    if problems:
        raise DataError(problems)
    return rebuild(str(path), graph, nodes, edges, mapping=mapping, strict=strict)


def _end(value, nodes: list[tuple], known: set[str]):
    """A link's end: a node id, or (D3's force layouts) the index of a node in ``nodes``, or a node object."""
    if isinstance(value, dict) and "id" in value:
        return value["id"]
    if isinstance(value, int) and not isinstance(value, bool) and str(value) not in known and 0 <= value < len(nodes):
        return nodes[value][0]
    return value


def _is_id(value) -> bool:
    """An id in node-link JSON: text or a whole number (not null, true or a list)."""
    return isinstance(value, (str, int)) and not isinstance(value, bool)
