"""What the graph-file formats (GEXF, GraphML, node-link JSON) share.

Writing: a copy of the graph whose attributes GEXF or GraphML can hold (lists as ``|``-joined text, one
type per attribute, the program's settings and a survey's response rate as JSON text in graph attributes).
Reading: nodes and edges read from a file are validated as a dataset folder's rows would be
(:func:`rebuild`), with every problem located as ``FILE[node ID]`` or ``FILE[edge A -> B]``; another
tool's file has its attributes mapped to ours first (:mod:`.foreign`).
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import networkx as nx
import pandas as pd

from ..dataset import RELATIONSHIP_COLUMNS, STAKEHOLDER_COLUMNS, cell_text, graph_from_tables
from ..errors import DataError, Problem
from ..program import Program, program_from_settings
from ..vocab import LIST_FIELDS
from .foreign import map_foreign, move_bad_values
from .kumu import restore_ratings
from .mapping import Mapping, as_mapping

__all__ = ["program_to_dict", "program_from_dict", "xml_graph", "rebuild", "node_attrs", "label_as_name", "xml_problem"]

#: Graph attributes written as JSON text in GEXF and GraphML.
JSON_GRAPH_ATTRS = ("program", "survey")


def program_to_dict(program: Program) -> dict:
    """A program as plain JSON data, shaped as ``program.toml`` (``population`` as tables of shares)."""
    data = {
        f.name: list(v) if isinstance(v := getattr(program, f.name), tuple) else v
        for f in dataclasses.fields(Program)
        if f.name != "extra"
    }
    if "population" in data:
        columns = dict.fromkeys(entry.partition(":")[0] for entry in program.population)
        data["population"] = {column: program.population_shares(column) for column in columns}
    return data


def _population_tables(data):
    """``population`` written as a list of ``column:group=share`` entries (older exports), as tables."""
    entries = data.get("population") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, str) and ":" in e and "=" in e for e in entries):
        return data
    tables: dict = {}
    for entry in entries:
        column, _, rest = entry.partition(":")
        group, _, share = rest.rpartition("=")
        try:
            tables.setdefault(column, {})[group] = float(share)
        except ValueError:
            return data
    return {**data, "population": tables}


def program_from_dict(data: dict | str, label: str = "program") -> Program:
    """The program written by :func:`program_to_dict` (or its JSON text), validated as ``program.toml`` is.

    Raises
    ------
    DataError
        Every bad setting, named after ``label``.
    """
    program, problems = program_from_settings(_population_tables(_json_value(data, label)), label)
    if problems:
        raise DataError(problems)
    return program


def _json_value(data, label: str):
    """``data``, or the JSON it holds when it is text."""
    if not isinstance(data, str):
        return data
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise DataError(Problem(label, None, None, f"is not valid JSON: {exc}")) from None


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


def xml_graph(G: nx.MultiDiGraph, gexf: bool) -> nx.MultiDiGraph:
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


def rebuild(
    label: str,
    graph: dict,
    nodes: list[tuple[str, dict]],
    edges: list[tuple[str, str, dict]],
    *,
    mapping: Mapping | str | os.PathLike | None = None,
    strict: bool = False,
) -> nx.MultiDiGraph:
    """Validate nodes and edges read from a file as a dataset would be, and restore the graph attributes.

    A file this project wrote (it carries the program) is read as written. Another tool's file, or any
    file read with a ``mapping``, has its attributes mapped first (:func:`.foreign.map_foreign`); values
    our checks refuse are then kept under ``source_<column>`` with a warning, unless ``strict``.
    """
    own = bool(graph.get("program")) and mapping is None
    warnings: list[str] = []
    if not own:
        nodes, edges, warnings = map_foreign(nodes, edges, as_mapping(mapping))
    node_rows = [{"id": str(n), **{k: cell_text(v) for k, v in a.items()}} for n, a in nodes]
    edge_rows = [{"source": str(u), "target": str(v), **{k: cell_text(x) for k, x in a.items()}} for u, v, a in edges]
    program = program_from_dict(graph["program"], f"{label}[program]") if graph.get("program") else Program()
    survey = _json_value(graph["survey"], f"{label}[survey]") if graph.get("survey") else None
    if survey is not None and not _is_survey(survey):
        raise DataError(
            Problem(f"{label}[survey]", None, None, "must hold invited, responded, response_rate and non_respondents")
        )
    try:
        G = graph_from_tables(*_frames(node_rows, edge_rows), program, ("\0nodes", "\0edges"))
    except DataError as exc:
        moved = [] if own or strict else move_bad_values(exc.problems, node_rows, "\0nodes")
        moved += [] if own or strict else move_bad_values(exc.problems, edge_rows, "\0edges")
        if not moved:
            raise _located(exc, label, node_rows, edge_rows) from None
        warnings.append("values our checks refuse were kept under source_<column>: " + ", ".join(moved))
        try:
            G = graph_from_tables(*_frames(node_rows, edge_rows), program, ("\0nodes", "\0edges"))
        except DataError as again:
            raise _located(again, label, node_rows, edge_rows) from None
    restore_ratings(G)
    G.graph["name"] = graph.get("name") or program.name
    if survey:
        G.graph["survey"] = survey
    G.graph["warnings"] = [f"{label}: {w}" for w in warnings]
    return G


def _frames(node_rows: list[dict], edge_rows: list[dict]) -> list[pd.DataFrame]:
    frames = []
    for rows, required in ((node_rows, STAKEHOLDER_COLUMNS[:4]), (edge_rows, RELATIONSHIP_COLUMNS[:5])):
        columns = list(required) + sorted({k for r in rows for k in r} - set(required))
        frames.append(
            pd.DataFrame(
                [[r.get(c, "") for c in columns] for r in rows], columns=columns, index=range(len(rows)), dtype=str
            )
        )
    return frames


def _located(exc: DataError, label: str, node_rows: list[dict], edge_rows: list[dict]) -> DataError:
    """The problems ``graph_from_tables`` found, located as ``FILE[node ID]`` or ``FILE[edge A -> B]``."""
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
    return DataError(problems)


def _is_survey(data) -> bool:
    """A partner survey's response counts as :func:`~stakeholder_graph.formats.survey.read_survey` makes them."""
    numbers = ("invited", "responded", "response_rate")
    return (
        isinstance(data, dict)
        and all(isinstance(data.get(k), (int, float)) and not isinstance(data.get(k), bool) for k in numbers)
        and isinstance(data.get("non_respondents"), list)
        and all(isinstance(n, str) for n in data["non_respondents"])
    )


def node_attrs(attrs: dict, drop: tuple[str, ...] = ()) -> dict:
    out = {k: v for k, v in attrs.items() if k not in drop}
    for key in LIST_FIELDS:
        if isinstance(out.get(key), str):
            out[key] = [part for part in out[key].split("|") if part]
    return out


def label_as_name(attrs: dict) -> dict:
    """Gephi and yEd name nodes by ``label``: it is the name when there is none, dropped when it repeats it."""
    attrs = dict(attrs)
    label = attrs.pop("label", None)
    if label is not None and "name" not in attrs:
        attrs["name"] = label
    elif label is not None and label != attrs["name"]:
        attrs["label"] = label
    return attrs


def xml_problem(path: Path, exc: Exception) -> DataError:
    return DataError(Problem(str(path), None, None, f"cannot be read: {exc}"))
