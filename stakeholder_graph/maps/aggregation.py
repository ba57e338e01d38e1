"""Large networks drawn aggregated: organizations with their members and services folded in, or sectors
as clusters; a cluster opens on a double-click."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import networkx as nx

from ..errors import DataError, Problem
from .layout import _separate, _sunflower, layout_positions
from .style import KIND_SHAPES, MARKS, _label


def _fold_targets(G: nx.MultiDiGraph, drawn: set[str]) -> dict[str, str]:
    """Person -> the organization it is a member of; service -> the organization that provides it."""
    fold: dict[str, str] = {}
    for node in drawn:
        kind = G.nodes[node].get("kind")
        if kind == "person":
            orgs = sorted(
                ((G.edges[node, v, "member_of"].get("strength") or 0), v)
                for v in G.successors(node)
                if v in drawn and G.has_edge(node, v, "member_of") and G.nodes[v].get("kind") == "organization"
            )
            if orgs:
                fold[node] = max(orgs, key=lambda t: (t[0], [-ord(c) for c in t[1]]))[1]
        elif kind == "service":
            orgs = sorted(
                u
                for u in G.predecessors(node)
                if u in drawn and G.has_edge(u, node, "provides") and G.nodes[u].get("kind") == "organization"
            )
            if orgs:
                fold[node] = orgs[0]
    return fold


def _aggregate_mode(G: nx.MultiDiGraph, drawn: list[str], aggregate) -> str:
    from . import AGGREGATE_THRESHOLD, ORGANIZATION_FOLD_MAX  # tunable on the package, read when called

    if aggregate in (False, "none", "off"):
        return "none"
    if aggregate in ("organization", "sector"):
        return aggregate
    if aggregate not in (None, True, "auto"):
        raise DataError(
            Problem(
                "aggregate", None, None, f"unknown aggregation {aggregate!r}; use auto, none, organization or sector"
            )
        )
    if len(drawn) <= AGGREGATE_THRESHOLD and aggregate is not True:
        return "none"
    folded = len(drawn) - _fold_count(G, set(drawn))
    return "organization" if folded <= ORGANIZATION_FOLD_MAX else "sector"


def _fold_count(G: nx.MultiDiGraph, drawn: set[str]) -> int:
    """``len(_fold_targets(G, drawn))`` without choosing each one's organization (networkx's own dicts,
    read-only: a tenth of the time at 50,000 stakeholders)."""
    attrs, succ, pred = G._node, G._succ, G._pred

    def organization(x: str) -> bool:
        return x in drawn and attrs[x].get("kind") == "organization"

    count = 0
    for node in drawn:
        kind = attrs[node].get("kind")
        if kind == "person":
            count += any("member_of" in keyed and organization(v) for v, keyed in succ[node].items())
        elif kind == "service":
            count += any("provides" in keyed and organization(u) for u, keyed in pred[node].items())
    return count


def _aggregate(G: nx.MultiDiGraph, drawn: list[str], mode: str, data: dict, index: dict) -> tuple[list[dict], dict]:
    """Clusters (each with its members) and a position for every drawn stakeholder.

    ``organization``: each organization with its members and services folded in; ``sector``: one cluster
    per sector, and services grouped by the first need they meet. The team, communities and engagements
    stay on their own. Cluster positions come from one layout of the folded graph (tens to hundreds of
    nodes); a cluster's members are spread evenly over a disc around it (Vogel's sunflower, the best
    connected in the middle: no layout per cluster), where they appear when it is opened; the discs and
    the stakeholders not folded are then moved apart until none overlaps (``layout._separate``).
    """
    drawn_set = set(drawn)
    node_attrs, succ, pred = G._node, G._succ, G._pred  # networkx's own dicts, read-only (the views wrap each access)
    group: dict[str, str] = {}
    if mode == "organization":
        for node, org in _fold_targets(G, drawn_set).items():
            group[node] = org
            group[org] = org
    else:
        team = getattr(G.graph.get("program"), "team", None)
        for node in drawn:
            attrs = node_attrs[node]
            if node == team or attrs.get("kind") in ("community", "engagement", "team"):
                continue
            if attrs.get("sector"):
                group[node] = f"sector:{attrs['sector']}"
            elif attrs.get("kind") == "service":
                group[node] = f"need:{(attrs.get('needs') or ['other'])[0]}"
            else:
                group[node] = f"kind:{attrs.get('kind')}"
    members: dict[str, list[str]] = defaultdict(list)
    for node in drawn:
        if node in group:
            members[group[node]].append(node)
    keys = (
        sorted(members, key=lambda k: (-len(members[k]), k)) if mode == "sector" else [n for n in drawn if n in members]
    )
    unit = {node: group.get(node, node) for node in drawn}
    # the folded graph
    F = nx.Graph()
    F.add_nodes_from(dict.fromkeys(unit.values()))
    folded: dict[tuple[str, str], None] = {}  # in the order G.edges() meets them (several relationships: one)
    for u, row in succ.items():
        if u in drawn_set:
            for v in row:
                if v in drawn_set and unit[u] != unit[v]:
                    folded[(unit[u], unit[v])] = None
    F.add_edges_from(folded)
    centres = layout_positions(F, spacing=220 if mode == "sector" else 150)
    drawn_size = {k: _cluster_size(len(members[k])) for k in members}
    # every cluster's members sit on a disc around its centre (where they appear when it is opened): the
    # discs, and the stakeholders not folded, are moved apart so that no two overlap, open or folded
    radius = {k: _members_radius(len(members[k]) - (mode == "organization"), mode) for k in members}
    units = list(centres)
    placed = _separate([centres[u] for u in units], [radius.get(u, 25.0) for u in units])
    centres = {u: (float(p[0]), float(p[1])) for u, p in zip(units, placed)}
    positions: dict[str, list[float]] = {}
    for node in drawn:
        if node not in group:
            positions[node] = [round(centres[node][0], 1), round(centres[node][1], 1)]
    degree = {n: sum(map(len, succ[n].values())) + sum(map(len, pred[n].values())) for n in drawn}  # G.degree
    for key in keys:
        cx, cy = centres[key]
        inner = [m for m in members[key] if m != key]
        if mode == "organization":
            positions[key] = [round(cx, 1), round(cy, 1)]
            spots = _sunflower(len(inner), _ORG_START, _ORG_STEP)
        else:  # the best-connected in the middle, the rest spread evenly over the disc
            inner.sort(key=lambda m: -degree[m])
            spots = _sunflower(len(inner), 0.0, radius[key] / math.sqrt(len(inner)))
        for m, (x, y) in zip(inner, (spots + (cx, cy)).round(1).tolist()):
            positions[m] = [x, y]
    clusters = []
    nodes = data["nodes"]
    for key in keys:
        idx = [index[m] for m in members[key]]
        marks = Counter(mark for i in idx for mark in nodes[i]["marks"])
        if mode == "organization":
            head = nodes[index[key]]
            label, shape, cv, kind, sector = (
                head["label"],
                KIND_SHAPES.get(head["kind"], "square"),
                head["cv"],
                head["kind"],
                head["sector"],
            )
            rep = index[key]
        else:
            kind_, _, name = key.partition(":")
            label = {"sector": _label(name), "need": f"{_label(name)} services", "kind": f"{name}s"}[kind_]
            firsts = Counter(nodes[i]["cv"] for i in idx).most_common(1)
            cv, shape, kind, sector, rep = firsts[0][0], "dot", kind_, name if kind_ == "sector" else None, None
        clusters.append(
            {
                "key": key,
                "label": label,
                "shape": shape,
                "cv": cv,
                "kind": kind,
                "sector": sector,
                "rep": rep,
                "members": idx,
                "size": drawn_size[key],
                "x": round(centres[key][0], 1),
                "y": round(centres[key][1], 1),
                "marks": {k: marks[k] for k in MARKS if marks.get(k)},
            }
        )
    return clusters, positions


#: Organization clusters: members from this radius out, ``step * sqrt(j)`` further for the j-th.
_ORG_START, _ORG_STEP = 26.0, 14.0


def _members_radius(count: int, mode: str) -> float:
    """The radius of the disc a cluster's ``count`` members are drawn on when it is opened."""
    if mode == "organization":
        return _ORG_START + _ORG_STEP * math.sqrt(max(count, 0)) + 10.0
    return 12.0 + 10.0 * math.sqrt(count)


def _cluster_size(count: int) -> float:
    return round(12 + 2.2 * math.sqrt(count), 1)
