"""Records and changes: what a form, an import or a revert changes, validated as the files are.

A *record* is one stakeholder (keyed ``s:ID``) or one relationship (keyed ``r:SOURCE|TARGET|TYPE``);
its value is the typed attributes the graph holds. A change is a list of
``{"type", "key", "before", "after"}`` (``None`` for absent). Every change is checked by the dataset
folder's own validation: the changed network is turned into the two tables of text cells
(:func:`~stakeholder_graph.dataset.graph_tables`) and read back with
:func:`~stakeholder_graph.dataset.graph_from_tables`, so a form accepts exactly what the files accept and
says what is wrong in the files' words, beside the field.
"""

from __future__ import annotations

import copy
from collections import defaultdict

import networkx as nx
import pandas as pd

from ..dataset import cell_text, graph_from_tables, graph_tables
from ..errors import DataError

__all__ = [
    "FormErrors",
    "stakeholder_key",
    "relationship_key",
    "parse_key",
    "cells",
    "edit",
    "apply_records",
    "validated",
    "inverse",
    "diff",
]

_LABELS = ("stakeholders", "relationships")


class FormErrors(DataError):
    """A change the validation refused: messages by field (``fields``) and for the whole form (``general``)."""

    def __init__(self, fields: dict[str, list[str]], general: list[str]):
        self.fields = dict(fields)
        self.general = list(general)
        messages = [f"{field}: {m}" for field, ms in self.fields.items() for m in ms] + self.general
        super().__init__(messages or ["the change was refused"])


def stakeholder_key(node: str) -> str:
    return f"s:{node}"


def relationship_key(source: str, target: str, kind: str) -> str:
    return f"r:{source}|{target}|{kind}"


def parse_key(key: str) -> tuple[str, ...]:
    """``("stakeholder", id)`` or ``("relationship", source, target, type)``."""
    if key.startswith("s:"):
        return ("stakeholder", key[2:])
    source, target, kind = key[2:].split("|")
    return ("relationship", source, target, kind)


def cells(attrs: dict | None) -> dict[str, str]:
    """A record's typed attributes as the text cells of its row (``type`` left out)."""
    return {k: cell_text(v) for k, v in (attrs or {}).items() if k != "type"}


def _plain(attrs: dict) -> dict:
    """A JSON-ready copy of a record's attributes."""
    return {k: copy.deepcopy(v) for k, v in attrs.items() if k != "type"}


def _graph_like(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> nx.MultiDiGraph:
    for key, value in G.graph.items():
        if key != "program":
            H.graph.setdefault(key, value)
    return H


def validated(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``G`` read back through the dataset validation; raises :class:`DataError` listing every problem."""
    stakeholders, relationships = graph_tables(G)
    H = graph_from_tables(stakeholders, relationships, G.graph.get("program"), _LABELS)
    return _graph_like(G, H)


def _problems_to_errors(exc: DataError, rows: dict[tuple[str, int], str], names: dict[tuple[str, int], str]):
    """Sort problems into those of the edited rows (by field) and the others (located in words)."""
    fields: dict[str, list[str]] = defaultdict(list)
    general: list[str] = []
    for problem in exc.problems:
        where = (problem.file, problem.row)
        if where in rows and problem.column:
            fields[f"{rows[where]}{problem.column}"].append(problem.message)
        elif where in rows:
            general.append(problem.message)
        elif where in names:
            general.append(f"{names[where]}: {problem.message}")
        else:
            general.append(str(problem))
    return FormErrors(fields, general)


def edit(
    G: nx.MultiDiGraph,
    stakeholders: dict[str, dict[str, str] | None] | None = None,
    relationships: dict[tuple[str, str, str], dict[str, str] | None] | None = None,
    prefixes: dict[str, str] | None = None,
) -> tuple[nx.MultiDiGraph, list[dict]]:
    """Apply rows of text cells, as a form gives them, and validate the result as the files are.

    Parameters
    ----------
    stakeholders : dict
        ``id -> cells`` (the row's new cells, every column; ``id`` is the key) or ``None`` to delete the
        stakeholder with every relationship that touches it.
    relationships : dict
        ``(source, target, type) -> cells`` (``strength``, ``trust``, ``since``...) or ``None`` to delete.
    prefixes : dict
        Record key -> prefix of its fields in :class:`FormErrors` (so two forms on a page stay apart).

    Returns
    -------
    (graph, records)
        The validated new graph and the change's records (unchanged rows left out).

    Raises
    ------
    FormErrors
        What the validation found, by field of the edited rows, and in words for other rows.
    """
    stakeholders = stakeholders or {}
    relationships = dict(relationships or {})
    prefixes = prefixes or {}
    s_table, r_table = graph_tables(G)
    s_index = {(node,): at for node, at in zip(s_table["id"], s_table.index)}
    r_index = dict(zip(zip(r_table["source"], r_table["target"], r_table["type"]), r_table.index))
    for node, row in stakeholders.items():
        if row is None:
            for u, v, k in list(G.in_edges(node, keys=True)) + list(G.out_edges(node, keys=True)):
                relationships.setdefault((u, v, k), None)
    edited: dict[tuple[str, int], str] = {}
    s_table, s_edited = _apply_rows(
        s_table, s_index, {(n,): row for n, row in stakeholders.items()}, ("id",), _LABELS[0], edited, prefixes, "s"
    )
    r_table, r_edited = _apply_rows(
        r_table, r_index, relationships, ("source", "target", "type"), _LABELS[1], edited, prefixes, "r"
    )
    names = {(_LABELS[0], i): f"{s_table.at[i, 'name'] or s_table.at[i, 'id']}" for i in s_table.index}
    names.update(
        {
            (_LABELS[1], i): f"{r_table.at[i, 'source']} {r_table.at[i, 'type']} {r_table.at[i, 'target']}"
            for i in r_table.index
        }
    )
    try:
        H = graph_from_tables(s_table, r_table, G.graph.get("program"), _LABELS)
    except DataError as exc:
        raise _problems_to_errors(exc, edited, names) from None
    H = _graph_like(G, H)
    records = []
    for node in s_edited:
        before = G.nodes[node] if node in G else None
        after = H.nodes[node] if node in H else None
        if before != after:
            records.append(_record("stakeholder", stakeholder_key(node), before, after))
    for u, v, k in r_edited:
        before = G.edges[u, v, k] if G.has_edge(u, v, k) else None
        after = H.edges[u, v, k] if H.has_edge(u, v, k) else None
        if before != after:
            records.append(_record("relationship", relationship_key(u, v, k), before, after))
    return H, _deletions_last(records)


def _apply_rows(table, index, rows, key_columns, label, edited, prefixes, kind):
    """Replace, add and drop rows of one table; remember where the edited rows are."""
    changed = []
    drop = []
    new_rows = []
    for key, row in rows.items():
        at = index.get(key)
        changed.append(key[0] if kind == "s" else key)
        record_key = stakeholder_key(key[0]) if kind == "s" else relationship_key(*key)
        if row is None:
            if at is not None:
                drop.append(at)
            continue
        full = {**dict(zip(key_columns, key)), **{c: str(v) for c, v in row.items() if c not in key_columns}}
        for column in full:
            if column not in table.columns:
                table[column] = ""
        if at is None:
            new_rows.append((full, record_key))
        else:
            for column in table.columns:
                if column not in key_columns:
                    table.at[at, column] = full.get(column, "")
            edited[(label, at)] = prefixes.get(record_key, "")
    table = table.drop(index=drop)
    if new_rows:
        start = max(index.values(), default=1) + 1
        extra = pd.DataFrame(
            [[full.get(c, "") for c in table.columns] for full, _ in new_rows],
            columns=table.columns,
            index=range(start, start + len(new_rows)),
            dtype=str,
        )
        for offset, (_, record_key) in enumerate(new_rows):
            edited[(label, start + offset)] = prefixes.get(record_key, "")
        table = pd.concat([table, extra])
    return table, changed


def _record(kind: str, key: str, before: dict | None, after: dict | None) -> dict:
    return {
        "type": kind,
        "key": key,
        "before": None if before is None else _plain(before),
        "after": None if after is None else _plain(after),
    }


def _deletions_last(records: list[dict]) -> list[dict]:
    """Stakeholders added first, relationships, then stakeholders removed: the order a store applies them."""

    def rank(record: dict) -> int:
        if record["type"] == "stakeholder":
            return 2 if record["after"] is None else 0
        return 1

    return sorted(records, key=rank)


def apply_records(G: nx.MultiDiGraph, records: list[dict], side: str = "after") -> nx.MultiDiGraph:
    """A validated copy of ``G`` with each record set to its ``side`` (``after``, or ``before`` to undo)."""
    H = G.copy()
    ordered = records if side == "after" else inverse(records)
    for record in ordered:
        value = record["after"]
        parsed = parse_key(record["key"])
        if parsed[0] == "stakeholder":
            node = parsed[1]
            if value is None:
                if node in H:
                    H.remove_node(node)
            else:
                if node in H:
                    H.nodes[node].clear()
                    H.nodes[node].update(copy.deepcopy(value))
                else:
                    H.add_node(node, **copy.deepcopy(value))
        else:
            _, u, v, k = parsed
            if value is None:
                if H.has_edge(u, v, k):
                    H.remove_edge(u, v, k)
            elif H.has_edge(u, v, k):
                H.edges[u, v, k].clear()
                H.edges[u, v, k].update(type=k, **copy.deepcopy(value))
            else:
                H.add_edge(u, v, key=k, type=k, **copy.deepcopy(value))
    return validated(H)


def inverse(records: list[dict]) -> list[dict]:
    """The records that undo a change (before and after swapped), in the order a store applies them."""
    return _deletions_last([{**r, "before": r["after"], "after": r["before"]} for r in records])


def diff(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> list[dict]:
    """The records that turn ``G`` into ``H`` (added, changed and removed stakeholders and relationships)."""
    records = []
    for node, attrs in H.nodes(data=True):
        before = G.nodes[node] if node in G else None
        if before != attrs:
            records.append(_record("stakeholder", stakeholder_key(node), before, attrs))
    records += [_record("stakeholder", stakeholder_key(n), G.nodes[n], None) for n in G if n not in H]
    for u, v, k, attrs in H.edges(keys=True, data=True):
        before = G.edges[u, v, k] if G.has_edge(u, v, k) else None
        if before is None or _plain(before) != _plain(attrs):
            records.append(_record("relationship", relationship_key(u, v, k), before, attrs))
    records += [
        _record("relationship", relationship_key(u, v, k), attrs, None)
        for u, v, k, attrs in G.edges(keys=True, data=True)
        if not H.has_edge(u, v, k)
    ]
    return _deletions_last(records)
