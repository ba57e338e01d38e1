"""Graph files other tools wrote (Gephi, yEd, Cytoscape, igraph, D3): their attributes, mapped to ours.

A GraphML, GEXF or node-link JSON file that :func:`~stakeholder_graph.export.export` did not write has
whatever attributes its tool gave it. :func:`map_foreign` reads every one: ``[fields]`` of a mapping
(:mod:`.mapping`) says which attribute is the kind, sector, relationship type or strength (``"category"
= "kind"``, ``"weight" = "strength"``), and their values go through ``[kinds]``, ``[sectors]`` and
``[connection_types]``. Without one, every node is an ``organization`` and every edge a
``communicates_with`` tie, and a warning lists what was assumed, with the attributes that look like a
kind or a type. Every other attribute is kept as text. An id that is not a valid stakeholder id is
made into one (the original kept as the name when there is no name); parallel edges of one type and
edges from a node to itself are merged or dropped, with a count. Values that fail our checks (a
``strength`` of 0.5) are kept under ``source_<column>`` with a warning, unless ``strict``.
"""

from __future__ import annotations

import re
from collections import Counter

from .._ids import make_id, normalize_key
from ..dataset import RELATIONSHIP_COLUMNS, STAKEHOLDER_COLUMNS
from ..errors import Problem
from ..vocab import UNDIRECTED_EDGE_TYPES
from .mapping import Mapping

__all__ = ["map_foreign", "STRUCTURAL"]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")
#: Columns a value cannot be moved out of: without them there is no stakeholder or relationship.
STRUCTURAL = ("id", "name", "kind", "source", "target", "type")
#: Attributes of other tools that hold layout and style, not data.
_LAYOUT = {"viz", "x", "y", "z", "width", "height", "size", "color", "r", "g", "b", "shape_type", "graphics"}


def _rename(attrs: dict, mapping: Mapping, ours: tuple[str, ...]) -> dict:
    """Attributes with ``[fields]`` applied; a mapped name replaces ours, which is kept as ``source_<name>``."""
    out = {}
    for key, value in attrs.items():
        target = mapping.fields.get(normalize_key(key))
        if target and target in ours and target != key:
            if target in attrs and target not in out:
                out[f"source_{target}"] = attrs[target]
            out[target] = value
        elif key not in out:
            out[key] = value
    return out


def _map_value(attrs: dict, key: str, table: dict, default: str, assumed: Counter) -> str:
    """Map ``attrs[key]`` through ``table``; an unknown or missing value becomes ``default`` (counted in
    ``assumed``, the original kept as ``source_<key>``)."""
    value = attrs.get(key)
    mapped = table.get(normalize_key(value)) if isinstance(value, str) and value else None
    if mapped is None:
        assumed[key] += 1
        if value not in (None, ""):
            attrs[f"source_{key}"] = value
        mapped = default
    attrs[key] = mapped
    return mapped


def _whole(value):
    """``3.0`` (as tools write numbers) as ``3``; anything else unchanged."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return int(number) if number.is_integer() else value


def _candidates(items: list[dict], table: dict, skip: set[str]) -> list[str]:
    """Attributes most of whose text values are names ``table`` knows (a kind, a sector, a type)."""
    found = []
    keys = sorted({k for attrs in items for k in attrs} - skip)
    for key in keys:
        values = [v for attrs in items if isinstance(v := attrs.get(key), str) and v]
        if values and sum(normalize_key(v) in table for v in values) * 2 > len(values):
            found.append(key)
    return found


def map_foreign(
    nodes: list[tuple[str, dict]], edges: list[tuple[str, str, dict]], mapping: Mapping
) -> tuple[list[tuple[str, dict]], list[tuple[str, str, dict]], list[str]]:
    """Map another tool's nodes and edges to our columns; also the warnings saying what was assumed."""
    warnings: list[str] = []
    assumed: Counter = Counter()
    node_cols = STAKEHOLDER_COLUMNS
    edge_cols = RELATIONSHIP_COLUMNS
    raw_nodes = [{k: v for k, v in a.items() if k not in _LAYOUT} for _, a in nodes]
    dropped_layout = any(k in _LAYOUT for _, a in nodes for k in a)
    raw_edges = [{k: v for k, v in a.items() if k not in _LAYOUT} for _, _, a in edges]
    kind_hint = (
        _candidates(raw_nodes, mapping.kinds, {"kind", "name", "label", "id"})
        if "kind" not in mapping.fields.values()
        else []
    )
    sector_hint = _candidates(raw_nodes, mapping.sectors, {"sector", "name", "label", "id", *kind_hint})
    type_hint = _candidates(raw_edges, mapping.connection_types, {"type", "label", "id"})
    ids: dict[str, str] = {}
    taken: set[str] = set()
    out_nodes = []
    for (node, _), raw in zip(nodes, raw_nodes):
        attrs = _rename(raw, mapping, node_cols)
        given = str(node)
        new = given if _ID.match(given) else make_id(given)
        base, n = new, 1
        while new in taken:
            n += 1
            new = f"{base}-{n}"
        taken.add(new)
        ids[given] = new
        if new != given:
            assumed["ids"] += 1
        if not attrs.get("name"):
            attrs["name"] = given
        _map_value(attrs, "kind", mapping.kinds, mapping.default_kind, assumed)
        sector = attrs.pop("sector", None)
        if sector not in (None, ""):
            found = mapping.sectors.get(normalize_key(str(sector)))
            if found:
                attrs["sector"] = found
            else:
                attrs["source_sector"] = sector
                assumed["sector"] += 1
        out_nodes.append((new, attrs))
    out_edges, seen = [], set()
    for (u, v, _), raw in zip(edges, raw_edges):
        attrs = _rename(raw, mapping, edge_cols)
        for rating in ("strength", "trust"):
            attrs[rating] = _whole(attrs[rating]) if rating in attrs else attrs.get(rating)
            if attrs[rating] is None:
                del attrs[rating]
        mapped = _map_value(attrs, "type", mapping.connection_types, mapping.default_connection_type, assumed)
        source, target = ids.get(str(u), str(u)), ids.get(str(v), str(v))
        if source == target:
            assumed["loops"] += 1
            continue
        key = (frozenset((source, target)) if mapped in UNDIRECTED_EDGE_TYPES else (source, target), mapped)
        if key in seen:
            assumed["parallel"] += 1
            continue
        seen.add(key)
        out_edges.append((source, target, attrs))
    if assumed["kind"]:
        hint = (
            f'; the attribute {kind_hint[0]!r} looks like one: map it with [fields] "{kind_hint[0]}" = "kind"'
            if kind_hint
            else ""
        )
        warnings.append(
            f"{assumed['kind']} node(s) have no kind we know and were read as {mapping.default_kind} (the original "
            f"kept in source_kind){hint}"
        )
    if assumed["type"]:
        hint = f'; {type_hint[0]!r} looks like one: [fields] "{type_hint[0]}" = "type"' if type_hint else ""
        warnings.append(
            f"{assumed['type']} edge(s) have no relationship type we know and were read as "
            f"{mapping.default_connection_type} (the original kept in source_type){hint}"
        )
    if sector_hint and "sector" not in mapping.fields.values():
        warnings.append(f'the attribute {sector_hint[0]!r} looks like a sector: [fields] "{sector_hint[0]}" = "sector"')
    if assumed["sector"]:
        warnings.append(f"{assumed['sector']} sector value(s) we do not know were kept in source_sector")
    if assumed["ids"]:
        warnings.append(f"{assumed['ids']} node id(s) were not valid stakeholder ids and were remade from them")
    if assumed["parallel"] or assumed["loops"]:
        warnings.append(
            f"{assumed['parallel']} parallel edge(s) of the same type merged, {assumed['loops']} edge(s) from a "
            "node to itself left out"
        )
    if dropped_layout:
        warnings.append("layout and style attributes (position, size, colour) were not kept")
    extra = sorted({k for _, a in out_nodes for k in a} - set(node_cols) - {"source_kind", "source_sector"})
    if extra:
        warnings.append("node attributes kept as text: " + ", ".join(extra[:12]) + (" ..." if len(extra) > 12 else ""))
    return out_nodes, out_edges, warnings


def move_bad_values(problems: list[Problem], rows: list[dict], file: str) -> list[str]:
    """Move the values our checks refused (``problems`` of ``file``, rows by index) to ``source_<column>``;
    the columns moved. Structural columns are never moved."""
    moved: Counter = Counter()
    for p in problems:
        if p.file == file and p.row is not None and p.column and p.column not in STRUCTURAL:
            row = rows[p.row]
            if p.column in row:
                row[f"source_{p.column}"] = row.pop(p.column)
                moved[p.column] += 1
    return [f"{column} ({n})" for column, n in sorted(moved.items())]
