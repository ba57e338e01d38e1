"""Interactive network maps: one self-contained HTML file that opens offline in any browser.

A map draws the stakeholder graph with vis-network (the library pyvis wraps): colour by sector (or any
column), size by a measure, shape by kind, edge dashes by relationship type and width by strength;
tooltips with names, scores and the gaps that concern each stakeholder; gap subjects, bridging
messengers and single points of failure marked and toggled; filters by sector, kind, community and
relationship type. Views: the whole network, one stakeholder's ego network (``focus``), the referral
paths for a need over faded context (``need``) and a priority community with its trusted ties and
messengers (``community``). Large networks are drawn aggregated (organizations with their members and
services folded in, or sectors as clusters) and a double-click opens a cluster; a ``need`` or ``focus``
view opens the clusters that hold its referral paths or its focus.

The page is ours, not pyvis's: pyvis builds the vis-network node, edge and option dicts; the template,
the legend, the filters and the tooltips are built here and in the page's own script from JSON data,
with every user string treated as text. vis-network's JavaScript is read from the installed pyvis
package and inlined; the page loads nothing from anywhere (a Content-Security-Policy forbids it and
allows only the page's own scripts, by hash). Nothing here prints; :func:`write_map` is the only
function that writes a file.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import os
import random
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

import networkx as nx

from ._files import atomic_write_text
from ._ties import ACTOR_KINDS, communities_of, priority_communities
from .errors import DataError, Problem
from .vocab import EDGE_TYPES, KINDS, NEEDS, SECTORS, STRENGTH_LABELS, UNDIRECTED_EDGE_TYPES

__all__ = [
    "SECTOR_COLORS",
    "CATEGORICAL_COLORS",
    "KIND_SHAPES",
    "EDGE_STYLES",
    "MARKS",
    "SIZE_MEASURES",
    "AGGREGATE_THRESHOLD",
    "Atlas",
    "build_map",
    "map_fragment",
    "report_maps",
    "map_view",
    "layout_positions",
    "write_map",
    "vis_network_js",
]

#: Okabe & Ito's eight colours (color-blind safe) for the first eight sectors in vocabulary order (the
#: emergency, crisis and health sectors), Paul Tol's nine "muted" colours for the next nine, and greys
#: for business and other. Fixed: the same sector has the same colour on every map.
SECTOR_COLORS: dict[str, str] = dict(
    zip(
        SECTORS,
        (
            "#0072B2",
            "#56B4E9",
            "#D55E00",
            "#009E73",
            "#CC79A7",
            "#E69F00",
            "#F0E442",
            "#000000",  # Okabe-Ito
            "#882255",
            "#AA4499",
            "#117733",
            "#999933",
            "#88CCEE",
            "#44AA99",
            "#DDCC77",
            "#CC6677",
            "#332288",  # Tol muted
            "#8C8C8C",
            "#C4C4C4",
        ),
        strict=True,
    )
)
#: Colours for any other ``color_by`` column, in order of the sorted values (cycled past 16).
CATEGORICAL_COLORS: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#332288",
    "#117733",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
    "#88CCEE",
    "#DDCC77",
    "#CC6677",
)
#: Colour of nodes without a value for the ``color_by`` column (communities, services and engagements
#: have no sector).
NO_VALUE_COLOR = "#D9D9D9"

#: vis-network shape of each kind.
KIND_SHAPES: dict[str, str] = {
    "person": "dot",
    "organization": "square",
    "community": "hexagon",
    "service": "diamond",
    "team": "star",
    "engagement": "triangleDown",
}

#: Edge style of each relationship type: dash pattern (False for solid), colour, and whether it has a
#: direction (an arrow).
EDGE_STYLES: dict[str, dict] = {
    "member_of": {"dashes": [2, 4], "color": "#9E9E9E"},
    "partners_with": {"dashes": False, "color": "#4D4D4D"},
    "refers_to": {"dashes": False, "color": "#0B4F8A"},
    "trusts": {"dashes": [8, 4], "color": "#6E6E6E"},
    "communicates_with": {"dashes": [4, 4], "color": "#B0B0B0"},
    "participated_in": {"dashes": [1, 4], "color": "#BDBDBD"},
    "provides": {"dashes": [12, 3], "color": "#5E5E5E"},
    "serves": {"dashes": [10, 4, 2, 4], "color": "#A8A8A8"},
    "sits_on": {"dashes": [6, 2, 2, 2], "color": "#6E6E6E"},
    "funds": {"dashes": [14, 6], "color": "#7A7A7A"},
}
for _type, _style in EDGE_STYLES.items():
    _style["directed"] = _type not in UNDIRECTED_EDGE_TYPES

#: The marks drawn on stakeholders: a symbol before the name, a thick border and a halo. Each can be
#: switched off in the page. The first mark a stakeholder has (in this order) gives the colours.
MARKS: dict[str, dict] = {
    "spof": {"symbol": "\u26a1", "label": "single point of failure", "border": "#000000", "halo": "rgba(0,0,0,0.85)"},
    "gap": {"symbol": "\u26a0", "label": "a gap concerns them", "border": "#C00000", "halo": "rgba(220,0,0,0.8)"},
    "messenger": {
        "symbol": "\u2605",
        "label": "bridging messenger",
        "border": "#0072B2",
        "halo": "rgba(0,114,178,0.85)",
    },
}
#: Marks of one view only: the focus of an ego network; services meeting a need, reachable or not.
VIEW_MARKS: dict[str, dict] = {
    "focus": {"symbol": "\u25ce", "label": "focus", "border": "#000000", "halo": "rgba(0,0,0,0.6)"},
    "reachable": {
        "symbol": "\u2714",
        "label": "meets the need, reachable by referral",
        "border": "#009E73",
        "halo": "rgba(0,158,115,0.85)",
    },
    "unreachable": {
        "symbol": "\u2716",
        "label": "meets the need, NOT reachable by referral",
        "border": "#C00000",
        "halo": "rgba(220,0,0,0.85)",
    },
}

#: ``size_by`` measures.
SIZE_MEASURES = ("degree", "betweenness", "trust", "value")
#: Above this many stakeholders in a view, ``aggregate="auto"`` draws the map aggregated (see
#: benchmarks/README.md for the measurements behind it).
AGGREGATE_THRESHOLD = 3000
#: Up to this many nodes, :func:`layout_positions` runs vis-network's forceAtlas2Based in numpy (O(n^2)
#: a step); above, igraph's Fruchterman-Reingold.
FA2_MAX = 700
#: Above this many stakeholders a map does not run the full ``bridges.bridges`` ranking (two exact
#: betweenness runs: about 2 minutes at 10,000): it uses ``bridges.credible_messengers`` and betweenness
#: over paths of up to :data:`BETWEENNESS_CUTOFF` steps instead, unless ``bridges=`` is given.
BRIDGES_MAX = 4000
BETWEENNESS_CUTOFF = 3
#: Aggregated by organization only when that leaves at most this many nodes; else by sector.
ORGANIZATION_FOLD_MAX = 1000

#: Evidence keys of a gap whose ids are the stakeholders the gap is about (marked on the map); ids under
#: any other key (paths, people cut off) are listed in their tooltips only.
_PRIMARY_EVIDENCE = (
    "stakeholder",
    "depends_on",
    "community",
    "last_engagement",
    "stakeholders_in_sector",
    "stakeholders",
    "decision_holders",
    "services",
    "providers",
)
_REFERRAL_TYPES = ("refers_to", "partners_with", "provides")
_TRUSTED = 3
_PYVIS_VIS = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")


# --------------------------------------------------------------------------------------------- assets


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network's JavaScript, read from the installed pyvis package (no network needed)."""
    import pyvis

    path = Path(pyvis.__file__).parent.joinpath(*_PYVIS_VIS)
    text = path.read_text(encoding="utf-8")
    if "</script" in text.lower():  # pragma: no cover - would end the inline script early
        raise RuntimeError(f"{path} contains '</script' and cannot be inlined")
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _csp_meta() -> str:
    """A Content-Security-Policy that loads nothing from anywhere and runs only the page's own scripts."""
    hashes = " ".join(_sha256(s) for s in (vis_network_js(), _RUNTIME_JS))
    policy = (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data: blob:; "
        "font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def _json_script(element_id: str, data) -> str:
    """``data`` as JSON inside a ``<script type="application/json">`` that no string can break out of."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return f'<script type="application/json" id="{html.escape(element_id)}">{text}</script>'


# --------------------------------------------------------------------------------------------- layout


def layout_positions(
    G: nx.Graph, nodes=None, seed: int = 0, spacing: float = 42.0, weights: dict | None = None
) -> dict[str, tuple[float, float]]:
    """Positions for drawing ``G`` (or the ``nodes`` of it), in page pixels: pass them as ``layout=``.

    On the undirected simple graph of every relationship: up to :data:`FA2_MAX` nodes, vis-network's
    own forceAtlas2Based physics run to the end in numpy (the layout the page would settle on; about
    0.4 s for Riverton); above, python-igraph's Fruchterman-Reingold (about 2.5 s for 10,000
    stakeholders), scaled so that a stakeholder's nearest neighbour is typically ``spacing`` pixels away.
    Deterministic for a given ``seed``.
    """
    nodes = list(G) if nodes is None else list(nodes)
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs: dict[tuple[int, int], float] = {}
    for u, v in G.edges():
        if u in index and v in index and u != v:
            a, b = sorted((index[u], index[v]))
            pairs[(a, b)] = pairs.get((a, b), 0.0) + (weights.get((u, v), 1.0) if weights else 1.0)
    if not pairs:
        side = math.ceil(math.sqrt(len(nodes)))
        coords = [(i % side * spacing * 2, i // side * spacing * 2) for i in range(len(nodes))]
        return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, coords)}
    if len(nodes) <= FA2_MAX:
        coords = _forceatlas2(len(nodes), list(pairs), list(pairs.values()) if weights else None, seed=seed)
        scale = 1.0
    else:
        coords = _fruchterman_reingold(len(nodes), list(pairs), list(pairs.values()) if weights else None, seed=seed)
        scale = spacing / (_median_nearest(coords) or 1.0)
    cx = sum(c[0] for c in coords) / len(coords)
    cy = sum(c[1] for c in coords) / len(coords)
    return {node: (round((c[0] - cx) * scale, 1), round((c[1] - cy) * scale, 1)) for node, c in zip(nodes, coords)}


def _median_nearest(coords: list) -> float:
    """The median distance from a point to its nearest other point (on a sample of 2,000 points)."""
    import numpy as np

    pts = np.asarray(coords, dtype=float)
    if len(pts) < 2:
        return 1.0
    sample = pts if len(pts) <= 2000 else pts[np.random.default_rng(0).choice(len(pts), 2000, replace=False)]
    best = np.full(len(sample), np.inf)
    for start in range(0, len(pts), 2000):
        block = pts[start : start + 2000]
        d = np.sqrt(((sample[:, None, :] - block[None, :, :]) ** 2).sum(-1))
        d[d == 0] = np.inf
        best = np.minimum(best, d.min(1))
    best = best[np.isfinite(best)]
    return float(np.median(best)) if len(best) else 1.0


def _fruchterman_reingold(n: int, pairs: list, weights: list | None, seed: int) -> list:
    import igraph

    g = igraph.Graph(n=n, edges=pairs)
    rng = random.Random(seed)
    start = [[rng.uniform(-1, 1) * math.sqrt(n), rng.uniform(-1, 1) * math.sqrt(n)] for _ in range(n)]
    previous = igraph.set_random_number_generator(rng)
    try:
        return g.layout_fruchterman_reingold(
            seed=start, weights=weights, niter=500, grid="auto" if n > 1000 else "nogrid"
        ).coords
    finally:
        igraph.set_random_number_generator(previous if previous is not None else random)


def _forceatlas2(n: int, pairs: list, weights: list | None, seed: int, iterations: int = 300) -> list:
    """vis-network's forceAtlas2Based physics, run in numpy to the end (all pairs: O(n^2) a step).

    The same forces and constants as the page's physics would use: repulsion ``50 (deg + 1) / d``,
    springs of rest length 100 px and constant 0.08 (times the tie's weight), central gravity
    ``0.01 (deg + 1) d``; velocity damped and capped at 50 px a step. Coordinates are in page pixels.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1, 1, (n, 2)) * math.sqrt(n) * 30
    e = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    w = np.ones(len(e)) if weights is None else np.asarray(weights, dtype=float)
    degree = np.bincount(e.ravel(), minlength=n).astype(float) + 1.0
    repulsion = (50.0 * degree)[:, None]
    velocity = np.zeros((n, 2))
    for _ in range(iterations):
        x, y = pos[:, 0], pos[:, 1]
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        f = dx * dx
        f += dy * dy
        f += 0.01
        np.divide(repulsion, f, out=f)
        np.fill_diagonal(f, 0.0)
        force = np.stack([(f * dx).sum(1), (f * dy).sum(1)], axis=1)
        diff = pos[e[:, 1]] - pos[e[:, 0]]
        length = np.linalg.norm(diff, axis=1) + 1e-9
        spring = (0.08 * w * (length - 100.0) / length)[:, None] * diff
        np.add.at(force, e[:, 0], spring)
        np.add.at(force, e[:, 1], -spring)
        force -= 0.01 * degree[:, None] * pos
        velocity = (velocity + force * 0.5) * 0.6
        speed = np.linalg.norm(velocity, axis=1)
        velocity *= np.minimum(1.0, 50.0 / (speed + 1e-9))[:, None]
        pos += velocity * 0.5
    return pos.tolist()


def _sunflower(count: int, start: float, step: float) -> list[tuple[float, float]]:
    """``count`` points spread evenly around (0, 0), nearest first, from radius ``start``."""
    golden = math.pi * (3 - math.sqrt(5))
    return [
        ((start + step * math.sqrt(j)) * math.cos(j * golden), (start + step * math.sqrt(j)) * math.sin(j * golden))
        for j in range(1, count + 1)
    ]


# --------------------------------------------------------------------------------------------- helpers


def _fmt(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.3f}".rstrip("0").rstrip(".") if x == x else "-"
    return str(x)


def _label(text: str) -> str:
    return text.replace("_", " ")


def _clean(value):
    """JSON-safe: NaN and infinities become None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _gap_nodes(G: nx.MultiDiGraph, gap: dict) -> tuple[list[str], list[str]]:
    """The stakeholders a gap is about (marked) and the others its evidence names (tooltips only)."""
    primary: list[str] = []
    secondary: list[str] = []
    if isinstance(gap.get("subject"), str) and gap["subject"] in G:
        primary.append(gap["subject"])
    for key, value in (gap.get("evidence") or {}).items():
        if isinstance(value, dict):
            ids = list(value)
        elif isinstance(value, (list, tuple)):
            ids = [v for v in value if isinstance(v, str)]
        else:
            ids = [value] if isinstance(value, str) else []
        ids = [i for i in ids if i in G]
        (primary if key in _PRIMARY_EVIDENCE else secondary).extend(ids)
    primary = list(dict.fromkeys(primary))
    seen = set(primary)
    return primary, [i for i in dict.fromkeys(secondary) if i not in seen]


def _anonymized_id(node: str) -> str:
    from .privacy import pseudonym

    return "person-" + pseudonym(node).split()[-1].lower()


# --------------------------------------------------------------------------------------------- views


def map_view(
    G: nx.MultiDiGraph,
    focus: str | None = None,
    depth: int = 1,
    need: str | None = None,
    community: str | None = None,
    bridge_rows: list[dict] | None = None,
    gaps: list[dict] | None = None,
) -> dict:
    """Which stakeholders and relationships a view draws, and which it highlights.

    Returns
    -------
    dict
        ``mode`` (whole, focus, need or community), ``nodes`` (ids drawn, in graph order), ``edges``
        (``(source, target, type)`` drawn), ``highlight_nodes``, ``highlight_edges`` (drawn in full, the
        rest faded; None when nothing is faded), ``view_marks`` (id -> focus / reachable /
        unreachable) and ``caption`` (one sentence).

    Raises
    ------
    DataError
        An unknown focus id, need or community id, or more than one view asked for.
    """
    chosen = [name for name, value in (("--focus", focus), ("--need", need), ("--community", community)) if value]
    if len(chosen) > 1:
        raise DataError(Problem(chosen[1], None, None, f"choose one view: {' or '.join(chosen)}, not both"))
    name = lambda n: G.nodes[n].get("name", n)  # noqa: E731
    all_edges = [(u, v, k) for u, v, k in G.edges(keys=True)]
    result = {
        "mode": "whole",
        "nodes": list(G),
        "edges": all_edges,
        "highlight_nodes": None,
        "highlight_edges": None,
        "view_marks": {},
        "caption": "The whole network.",
    }
    if focus:
        if focus not in G:
            raise DataError(Problem("--focus", None, None, f"no stakeholder has the id {focus!r}"))
        if depth < 1:
            raise DataError(Problem("--depth", None, None, f"depth must be 1 or more, not {depth}"))
        keep = set(nx.ego_graph(G.to_undirected(as_view=True), focus, radius=depth))
        result.update(
            mode="focus",
            nodes=[n for n in G if n in keep],
            edges=[e for e in all_edges if e[0] in keep and e[1] in keep],
            view_marks={focus: ["focus"]},
            caption=f"{name(focus)} and the stakeholders within {depth} step{'s' if depth != 1 else ''}.",
        )
    elif need:
        from .referrals import referral_paths

        if need not in NEEDS:
            raise DataError(Problem("--need", None, None, f"unknown need {need!r}; use one of {', '.join(NEEDS)}"))
        paths = referral_paths(G, need)
        on_path: set[str] = {paths["from"]}
        pairs: set[tuple[str, str]] = set()
        marks = {}
        for provider in paths["providers"]:
            marks[provider["service"]] = ["reachable" if provider["reachable"] else "unreachable"]
            on_path.add(provider["service"])
            on_path.update(provider["organizations"])
            for p in provider["paths"]:
                on_path.update(p["path"])
                pairs.update(zip(p["path"], p["path"][1:]))
        for service in marks:  # an organization that provides the service: its provides edge is part of the route
            for org in G.predecessors(service):
                if G.has_edge(org, service, "provides"):
                    pairs.add((org, service))
        hl_edges = [
            e
            for e in all_edges
            if e[2] in _REFERRAL_TYPES
            and ((e[0], e[1]) in pairs or (e[2] == "partners_with" and (e[1], e[0]) in pairs))
        ]
        reachable = sum(p["reachable"] for p in paths["providers"])
        total = len(paths["providers"])
        caption = (
            f"Referral paths for {_label(need)} from {name(paths['from'])}: {total} service"
            f"{'s' if total != 1 else ''} meet the need, {reachable} reachable by referral."
        )
        if not total:
            caption = f"No service in the network meets {_label(need)} needs."
        result.update(
            mode="need", highlight_nodes=sorted(on_path), highlight_edges=hl_edges, view_marks=marks, caption=caption
        )
    elif community:
        if G.nodes.get(community, {}).get("kind") != "community":
            known = sorted(n for n, k in G.nodes(data="kind") if k == "community")
            raise DataError(
                Problem(
                    "--community",
                    None,
                    None,
                    f"{community!r} is not the id of a community; communities: {', '.join(known) or 'none'}",
                )
            )
        members = {community} | {
            n for n, k in G.nodes(data="kind") if k == "person" and community in communities_of(G, n)
        }
        keep = set(members)
        for u, v, attrs in G.edges(data=True):
            if (u in members or v in members) and (attrs.get("trust") or 0) >= _TRUSTED:
                keep.update((u, v))
        for u, _, kind in G.in_edges(community, keys=True):
            if kind == "serves":
                keep.add(u)
        rows = bridge_rows if bridge_rows is not None else _bridges(G)
        messengers = [
            r["id"]
            for r in rows
            if r.get("credible_messenger")
            and r["id"] in G
            and (r["id"] in members or community in communities_of(G, r["id"]))
        ]
        keep.update(messengers)
        team = getattr(G.graph.get("program"), "team", None)
        if team in G:
            keep.add(team)
        for gap in gaps if gaps is not None else []:
            if gap.get("kind") == "trust" and gap.get("subject") == community:
                for key in ("trusted_path", "best_path"):
                    keep.update(n for n in gap["evidence"].get(key) or [] if n in G)
        edges = [e for e in all_edges if e[0] in keep and e[1] in keep]
        trusted = [
            e
            for e in edges
            if (G.edges[e].get("trust") or 0) >= _TRUSTED
            or (e[2] == "member_of" and e[1] == community)
            or e[2] == "serves"
            and e[1] == community
        ]
        priority = " (a priority community)" if community in priority_communities(G) else ""
        result.update(
            mode="community",
            nodes=[n for n in G if n in keep],
            edges=edges,
            highlight_nodes=sorted(members | set(messengers) | ({team} if team in G else set())),
            highlight_edges=trusted,
            view_marks={community: ["focus"]},
            caption=(
                f"{name(community)}{priority}: its {len(members) - 1} residents, their trusted ties "
                f"(trust {_TRUSTED}+) and {len(messengers)} credible messenger"
                f"{'s' if len(messengers) != 1 else ''}."
            ),
        )
    return result


def _bridges(G: nx.MultiDiGraph) -> list[dict]:
    from .bridges import bridges

    return bridges(G, weighted=False)  # marks use the bridging score, which does not need it


def _quick_bridges(G: nx.MultiDiGraph) -> list[dict]:
    """For large networks: credible messengers, and betweenness over short paths only (no score).

    Rows as ``bridges.bridges`` gives (``id``, ``betweenness``, ``credible_messenger``,
    ``messenger_score``; ``score`` None), sorted by messenger score then betweenness.
    """
    from ._ties import tie_graph, to_igraph
    from .bridges import credible_messengers

    H = tie_graph(G)
    g, nodes = to_igraph(H)
    n = len(nodes)
    norm = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    between = dict(zip(nodes, (b * norm for b in g.betweenness(cutoff=BETWEENNESS_CUTOFF)))) if n else {}
    messengers = credible_messengers(G)
    rows = [
        {
            "id": node,
            "name": G.nodes[node].get("name", node),
            "kind": G.nodes[node].get("kind"),
            "betweenness": round(between.get(node, 0.0), 6),
            "credible_messenger": messengers.get(node, {}).get("credible_messenger", False),
            "messenger_score": messengers.get(node, {}).get("score", 0),
            "score": None,
            "approximate": True,
        }
        for node in nodes
    ]
    return sorted(rows, key=lambda r: (-r["messenger_score"], -r["betweenness"], r["id"]))


def _messengers(rows: list[dict], n: int) -> list[str]:
    """Stakeholders marked as bridging messengers: the top bridges and the top credible messengers.

    ``k = max(10, sqrt(n))`` of each: the ``k`` best bridging scores (or, without scores, the ``k``
    highest betweenness), and the ``k`` credible messengers who rank highest.
    """
    k = max(10, math.ceil(math.sqrt(n)))
    rows = [r for r in rows if r.get("kind", "person") in ("person", "organization")]
    if rows and rows[0].get("score") is None:
        by_bridge = sorted(rows, key=lambda r: (-(r.get("betweenness") or 0), r["id"]))[:k]
    else:
        by_bridge = rows[:k]
    credible = [r for r in rows if r.get("credible_messenger")][:k]
    return list(dict.fromkeys(r["id"] for r in by_bridge + credible))


# --------------------------------------------------------------------------------------------- the atlas


class Atlas:
    """Maps of one graph that share one page: the graph's data is embedded once, each map adds its view.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The stakeholder graph.
    color_by : str
        ``sector`` (fixed palette), ``community``, ``kind`` or any stakeholder column.
    size_by : str
        One of :data:`SIZE_MEASURES`.
    anonymize : bool
        Replace people's names and ids with stable pseudonyms (``privacy.anonymize``) everywhere in the
        page; organizations keep their names.
    gaps, bridges : list of dict, optional
        ``gaps.find_gaps(G)`` and ``bridges.bridges(G)`` when already computed (else computed here).
    """

    def __init__(
        self,
        G: nx.MultiDiGraph,
        color_by: str = "sector",
        size_by: str = "degree",
        anonymize: bool = False,
        gaps: list[dict] | None = None,
        bridges: list[dict] | None = None,
    ):
        if size_by not in SIZE_MEASURES:
            raise DataError(
                Problem("--size-by", None, None, f"unknown measure {size_by!r}; use one of {', '.join(SIZE_MEASURES)}")
            )
        self.original = G
        self.anonymized = bool(anonymize) and not G.graph.get("anonymized")
        if self.anonymized:
            from .privacy import anonymize as _anonymize

            G = _anonymize(G)
            gaps = bridges = None  # computed on the original, they would name people
        self.G = G
        self.color_by = color_by
        self.size_by = size_by
        self.nodes = list(G)
        self.index = {n: i for i, n in enumerate(self.nodes)}
        self.gaps = gaps if gaps is not None else _find_gaps(G)
        self.exact_bridges = bridges is not None or G.number_of_nodes() <= BRIDGES_MAX
        self.bridge_rows = (
            (bridges if bridges is not None else _bridges(G)) if self.exact_bridges else _quick_bridges(G)
        )
        self.messengers = _messengers(self.bridge_rows, G.number_of_nodes())
        self.graph_id = None
        self._data = None
        self._emitted = False
        self._ids: Counter = Counter()
        self._layouts: dict[frozenset, dict] = {}

    # ---- translating ids given on the command line when the map is anonymized
    def _resolve(self, node: str | None) -> str | None:
        if (
            node
            and self.anonymized
            and node not in self.G
            and self.original.nodes.get(node, {}).get("kind") == "person"
        ):
            return _anonymized_id(node)
        return node

    # ---- the shared graph data
    def _colour_values(self) -> tuple[list, list[dict]]:
        G, column = self.G, self.color_by
        values: list = []
        for node in self.nodes:
            attrs = G.nodes[node]
            if column == "community":
                value = node if attrs.get("kind") == "community" else min(communities_of(G, node), default=None)
            else:
                value = attrs.get(column)
                if isinstance(value, list):
                    value = value[0] if value else None
                if isinstance(value, bool):
                    value = "yes" if value else "no"
                elif value is not None and not isinstance(value, str):
                    value = str(value)
            values.append(value if value not in ("", None) else None)
        present = Counter(v for v in values if v is not None)
        if not present and column not in ("sector", "community", "kind"):
            raise DataError(
                Problem(
                    "--color-by",
                    None,
                    None,
                    f"no stakeholder has a value in the column {column!r}; "
                    "use sector, community, kind or a column of stakeholders.csv",
                )
            )
        if column == "sector":
            order = [s for s in SECTORS if s in present] + sorted(v for v in present if v not in SECTOR_COLORS)
            colours = {v: SECTOR_COLORS.get(v, "#8C8C8C") for v in order}
            labels = {v: _label(v) for v in order}
        else:
            order = [k for k in KINDS if k in present] if column == "kind" else sorted(present)
            colours = {v: CATEGORICAL_COLORS[i % len(CATEGORICAL_COLORS)] for i, v in enumerate(order)}
            labels = {v: (G.nodes[v].get("name", v) if column == "community" and v in G else _label(v)) for v in order}
        legend = [{"value": v, "label": labels[v], "color": colours[v], "count": present[v]} for v in order]
        none = len(values) - sum(present.values())
        if none:
            legend.append({"value": None, "label": f"no {_label(column)}", "color": NO_VALUE_COLOR, "count": none})
        return values, legend

    def _measures(self) -> dict[str, list]:
        from .scores import relationship_trust, relationship_value

        G = self.G
        degree = [len(set(G.predecessors(n)) | set(G.successors(n))) for n in self.nodes]
        received_trust: dict[str, list[float]] = defaultdict(list)
        received_value: dict[str, list[float]] = defaultdict(list)
        for u, v, kind, attrs in G.edges(keys=True, data=True):
            if G.nodes[u].get("kind") not in ACTOR_KINDS or G.nodes[v].get("kind") not in ACTOR_KINDS:
                continue
            for target in (v, u) if kind in UNDIRECTED_EDGE_TYPES else (v,):
                if (t := relationship_trust(attrs)) is not None:
                    received_trust[target].append(t)
                if (x := relationship_value(attrs)) is not None:
                    received_value[target].append(x)
        mean = lambda xs: round(sum(xs) / len(xs), 3) if xs else None  # noqa: E731
        rows = {r["id"]: r for r in self.bridge_rows}
        return {
            "degree": degree,
            "betweenness": [_clean(rows.get(n, {}).get("betweenness")) for n in self.nodes],
            "trust": [mean(received_trust.get(n)) for n in self.nodes],
            "value": [mean(received_value.get(n)) for n in self.nodes],
        }

    def _sizes(self, measures: dict[str, list]) -> list[float]:
        values = measures[self.size_by]
        if self.size_by in ("trust", "value"):
            return [round(8 + 26 * (x - 1) / 3, 1) if x is not None else 6.0 for x in values]
        top = max((x for x in values if x), default=0) or 1
        return [round(8 + 28 * math.sqrt((x or 0) / top), 1) for x in values]

    def data(self) -> dict:
        """The graph's data as the page reads it (JSON-ready); computed once."""
        if self._data is not None:
            return self._data
        G = self.G
        values, legend = self._colour_values()
        value_index = {entry["value"]: i for i, entry in enumerate(legend)}
        measures = self._measures()
        sizes = self._sizes(measures)
        rows = {r["id"]: (rank, r) for rank, r in enumerate(self.bridge_rows)}
        team = getattr(G.graph.get("program"), "team", None)
        priority = set(priority_communities(G))

        marks: dict[str, set[str]] = defaultdict(set)
        concerns: dict[str, list[int]] = defaultdict(list)
        gap_list = []
        for g_index, gap in enumerate(self.gaps):
            primary, secondary = _gap_nodes(G, gap)
            for node in primary:
                marks[node].add("gap")
            for node in primary + secondary:
                concerns[node].append(g_index)
            if gap["kind"] == "single_point_of_failure" and gap["subject"] in G:
                marks[gap["subject"]].add("spof")
            if gap["kind"] == "trust" and gap["evidence"].get("depends_on") in G:
                marks[gap["evidence"]["depends_on"]].add("spof")
            gap_list.append(
                {
                    "severity": gap["severity"],
                    "kind": gap["kind"],
                    "message": gap["message"],
                    "recommendation": gap.get("recommendation", ""),
                    "nodes": [self.index[n] for n in primary] or [self.index[n] for n in secondary],
                }
            )
        for node in self.messengers:
            marks[node].add("messenger")

        member_of: dict[str, list[str]] = defaultdict(list)
        for u, v, kind in G.edges(keys=True):
            if kind == "member_of" and G.nodes[v].get("kind") in ("organization", "team"):
                member_of[u].append(G.nodes[v].get("name", v))

        nodes = []
        for i, node in enumerate(self.nodes):
            attrs = G.nodes[node]
            kind = attrs.get("kind", "")
            info: list[list[str]] = [["kind", kind + (" (the responder team)" if node == team else "")]]
            if attrs.get("sector"):
                info.append(["sector", _label(attrs["sector"])])
            if member_of.get(node):
                info.append(["organization", ", ".join(sorted(member_of[node]))])
            coms = sorted(communities_of(G, node)) if kind == "person" else ([node] if kind == "community" else [])
            if kind == "person" and coms:
                info.append(["community", ", ".join(G.nodes[c].get("name", c) for c in coms)])
            for key, label in (
                ("decision_role", "decision role"),
                ("hours", "hours"),
                ("method", "method"),
                ("date", "date"),
            ):
                if attrs.get(key):
                    info.append([label, _label(str(attrs[key]))])
            if attrs.get("lived_experience"):
                info.append(["lived experience", "yes"])
            if attrs.get("needs"):
                info.append(["needs", ", ".join(_label(n) for n in attrs["needs"])])
            if attrs.get("languages"):
                info.append(["languages", ", ".join(attrs["languages"])])
            if kind == "community":
                if attrs.get("population_share") is not None:
                    info.append(["population share", f"{attrs['population_share']:.0%}"])
                if node in priority:
                    info.append(["priority community", "yes"])
            scores = [f"degree {measures['degree'][i]}"]
            if measures["betweenness"][i] is not None:
                scores.append(
                    f"betweenness {_fmt(measures['betweenness'][i])}"
                    + ("" if self.exact_bridges else f" (paths up to {BETWEENNESS_CUTOFF} steps)")
                )
            if measures["trust"][i] is not None:
                scores.append(f"trust {_fmt(measures['trust'][i])}")
            if measures["value"][i] is not None:
                scores.append(f"value {_fmt(measures['value'][i])}")
            if node in rows:
                rank, row = rows[node]
                if row.get("score") is not None:
                    scores.append(f"bridge score {_fmt(_clean(row.get('score')))} (#{rank + 1})")
                if row.get("credible_messenger"):
                    scores.append("credible messenger")
            info.append(["scores", ", ".join(scores)])
            if attrs.get("tags"):
                info.append(["tags", ", ".join(attrs["tags"])])
            if attrs.get("notes"):
                info.append(["notes", str(attrs["notes"])])
            nodes.append(
                {
                    "id": node,
                    "label": str(attrs.get("name", node)),
                    "kind": kind,
                    "sector": attrs.get("sector"),
                    "com": [self.index[c] for c in coms if c in self.index],
                    "cv": value_index[values[i]],
                    "size": sizes[i],
                    "marks": [m for m in MARKS if m in marks.get(node, ())],
                    "info": info,
                    "gaps": concerns.get(node, []),
                }
            )

        edges = []
        self.edge_index = {}
        for j, (u, v, kind, attrs) in enumerate(G.edges(keys=True, data=True)):
            self.edge_index[(u, v, kind)] = j
            details = []
            if attrs.get("strength"):
                details.append(f"strength {attrs['strength']} ({STRENGTH_LABELS.get(attrs['strength'], '')})")
            if attrs.get("trust"):
                details.append(f"trust {attrs['trust']}")
            if attrs.get("since") or attrs.get("until"):
                details.append(f"{attrs.get('since') or '?'} to {attrs.get('until') or 'now'}")
            if attrs.get("notes"):
                details.append(str(attrs["notes"]))
            edges.append(
                [
                    self.index[u],
                    self.index[v],
                    EDGE_TYPES.index(kind) if kind in EDGE_TYPES else 0,
                    attrs.get("strength") or 0,
                    attrs.get("trust") or 0,
                    "\n".join(details),
                ]
            )

        missing = [
            {"label": _label(g["subject"]), "count": len(g["evidence"].get("stakeholders_in_sector") or [])}
            for g in self.gaps
            if g["kind"] == "missing_stakeholder_group"
        ]
        types_present = {kind for _, _, kind in G.edges(keys=True)}
        self._data = {
            "colorBy": _label(self.color_by),
            "sizeBy": self.size_by,
            "colors": legend,
            "kinds": [{"kind": k, "shape": KIND_SHAPES[k]} for k in KINDS],
            "edgeTypes": [{"type": t, "label": _label(t), **EDGE_STYLES[t]} for t in EDGE_TYPES],
            "edgeTypesPresent": [EDGE_TYPES.index(t) for t in EDGE_TYPES if t in types_present],
            "communities": [
                {"index": self.index[c], "label": G.nodes[c].get("name", c)}
                for c in sorted(n for n, k in G.nodes(data="kind") if k == "community")
            ],
            "marks": [{"key": k, **v} for k, v in MARKS.items()],
            "viewMarks": [{"key": k, **v} for k, v in VIEW_MARKS.items()],
            "nodes": nodes,
            "edges": edges,
            "gaps": gap_list,
            "missing": missing,
            "anonymized": bool(G.graph.get("anonymized")),
        }
        digest = hashlib.sha256(json.dumps(self._data, sort_keys=True, default=str).encode()).hexdigest()[:10]
        self.graph_id = f"sg-graph-{digest}"
        return self._data

    # ---- one map
    def view(
        self, focus=None, depth=1, need=None, community=None, aggregate=None, layout=None, title=None, caption=None
    ) -> dict:
        """The view data of one map (JSON-ready)."""
        data = self.data()
        G = self.G
        focus, community = self._resolve(focus), self._resolve(community)
        chosen = map_view(
            G, focus=focus, depth=depth, need=need, community=community, bridge_rows=self.bridge_rows, gaps=self.gaps
        )
        drawn = chosen["nodes"]
        whole = len(drawn) == len(self.nodes)
        node_idx = None if whole else [self.index[n] for n in drawn]
        edge_idx = None if chosen["mode"] in ("whole", "need") else [self.edge_index[e] for e in chosen["edges"]]
        mode = _aggregate_mode(G, drawn, aggregate)
        view = {
            "graph": self.graph_id,
            "mode": chosen["mode"],
            "title": title or "",
            "caption": caption or chosen["caption"],
            "nodes": node_idx,
            "edges": edge_idx,
            "highlightNodes": None
            if chosen["highlight_nodes"] is None
            else [self.index[n] for n in chosen["highlight_nodes"]],
            "highlightEdges": None
            if chosen["highlight_edges"] is None
            else [self.edge_index[e] for e in chosen["highlight_edges"]],
            "viewMarks": {str(self.index[n]): m for n, m in chosen["view_marks"].items()},
            "aggregate": mode,
            "clusters": None,
            "open": [],
            "physics": False,
            "pos": None,
            "counts": {"nodes": len(drawn), "edges": len(chosen["edges"])},
        }
        if mode != "none":
            clusters, positions = _aggregate(G, drawn, mode, data, self.index)
            # open the clusters holding what the view is about: the referral paths of a need view, the
            # focus of an ego network (a community is never folded, and its residents stay folded)
            reveal = {self.index[n] for n in chosen["view_marks"]}
            if chosen["mode"] == "need":
                reveal.update(view["highlightNodes"])
            view["open"] = [k for k, c in enumerate(clusters) if reveal.intersection(c["members"])]
            view["clusters"] = clusters
            view["pos"] = [positions[n] for n in drawn]
            folded = sum(len(c["members"]) for k, c in enumerate(clusters) if k not in view["open"])
            view["options"] = _vis_options(len(clusters) - len(view["open"]) + len(drawn) - folded, False)
            return view
        if isinstance(layout, dict):
            view["pos"] = _complete_positions(G, drawn, layout)
        elif layout == "physics":
            view["physics"] = True
        else:
            if layout not in (None, "auto", "python"):
                raise DataError(Problem("--layout", None, None, f"unknown layout {layout!r}; use auto or physics"))
            key = frozenset(drawn)
            if key not in self._layouts:
                self._layouts[key] = layout_positions(G, drawn)
            view["pos"] = [list(self._layouts[key][n]) for n in drawn]
            view["physics"] = False
        view["options"] = _vis_options(len(drawn), view["physics"])
        return view

    def fragment(
        self,
        focus=None,
        depth=1,
        need=None,
        community=None,
        aggregate=None,
        layout=None,
        title=None,
        caption=None,
        element_id: str | None = None,
        height: str = "620px",
    ) -> str:
        """One map as an embeddable ``<figure>``; the page must also carry :meth:`head` and :meth:`scripts`.

        The graph's data goes with the first fragment of this atlas only; element ids are unique.
        """
        view = self.view(
            focus=focus,
            depth=depth,
            need=need,
            community=community,
            aggregate=aggregate,
            layout=layout,
            title=title,
            caption=caption,
        )
        if element_id is None:
            key = json.dumps([focus, depth, need, community, aggregate, title], default=str)
            element_id = "sgmap-" + hashlib.sha256(f"{self.graph_id}{key}".encode()).hexdigest()[:8]
        self.last_view = view
        self._ids[element_id] += 1
        if self._ids[element_id] > 1:
            element_id = f"{element_id}-{self._ids[element_id]}"
        parts = []
        if not self._emitted:
            parts.append(_json_script(self.graph_id, self.data()))
            self._emitted = True
        eid = html.escape(element_id)
        heading = f'<figcaption class="sgmap-caption">{html.escape(title)}</figcaption>' if title else ""
        parts.append(
            f'<figure class="sgmap-figure">{heading}'
            f'<div class="sgmap" id="{eid}" style="height:{html.escape(height)}">'
            f'<div class="sgmap-canvas" role="img" aria-label="{html.escape(view["caption"])}"></div>'
            f'<aside class="sgmap-side"></aside></div>'
            f'<p class="sgmap-note">{html.escape(view["caption"])}</p>'
            + _json_script(f"{element_id}-view", view)
            + "</figure>"
        )
        return "\n".join(parts)

    @staticmethod
    def head() -> str:
        """What the page's ``<head>`` needs: the Content-Security-Policy and the maps' styles."""
        return _csp_meta() + f"\n<style>{_MAP_CSS}</style>"

    @staticmethod
    def scripts() -> str:
        """The scripts, once per page, after the maps: vis-network (inlined) and the maps' own."""
        return f"<script>{vis_network_js()}</script>\n<script>{_RUNTIME_JS}</script>"


def _find_gaps(G: nx.MultiDiGraph) -> list[dict]:
    from .gaps import find_gaps

    return find_gaps(G)


def _complete_positions(G: nx.MultiDiGraph, drawn: list[str], layout: dict) -> list[list[float]]:
    """Positions given for a view; a stakeholder without one goes beside its placed neighbours."""
    out = []
    for node in drawn:
        if node in layout:
            x, y = layout[node][:2]
        else:
            placed = [layout[n] for n in nx.all_neighbors(G, node) if n in layout]
            x = sum(p[0] for p in placed) / len(placed) + 30 if placed else 0.0
            y = sum(p[1] for p in placed) / len(placed) + 30 if placed else 0.0
        out.append([round(float(x), 1), round(float(y), 1)])
    return out


def _vis_options(n: int, physics: bool) -> dict:
    """vis-network options, built with pyvis: straight edges, forceAtlas2Based, 200 iterations."""
    from pyvis.network import Network

    net = Network(directed=True)
    net.force_atlas_2based(
        gravity=-60, central_gravity=0.01, spring_length=90, spring_strength=0.06, damping=0.5, overlap=0
    )
    net.options.physics.stabilization.iterations = 200
    net.options.physics.stabilization.updateInterval = 50
    net.options.edges.smooth.enabled = False
    net.toggle_physics(physics)
    options = json.loads(net.options.to_json())
    options.pop("configure", None)
    options["edges"].pop("color", None)
    options["physics"]["minVelocity"] = 1.5
    options["interaction"].update(
        {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": n > 1000,
            "hideEdgesOnZoom": n > 3000,
            "multiselect": True,
            "navigationButtons": False,
            "keyboard": False,
        }
    )
    options["layout"] = {"improvedLayout": False, "randomSeed": 7}
    return options


# --------------------------------------------------------------------------------------------- aggregation


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
    if aggregate in (False, "none", "off"):
        return "none"
    if aggregate in ("organization", "sector"):
        return aggregate
    if aggregate not in (None, True, "auto"):
        raise DataError(
            Problem(
                "--aggregate", None, None, f"unknown aggregation {aggregate!r}; use auto, none, organization or sector"
            )
        )
    if len(drawn) <= AGGREGATE_THRESHOLD and aggregate is not True:
        return "none"
    folded = len(drawn) - len(_fold_targets(G, set(drawn)))
    return "organization" if folded <= ORGANIZATION_FOLD_MAX else "sector"


def _aggregate(G: nx.MultiDiGraph, drawn: list[str], mode: str, data: dict, index: dict) -> tuple[list[dict], dict]:
    """Clusters (each with its members) and a position for every drawn stakeholder.

    ``organization``: each organization with its members and services folded in; ``sector``: one cluster
    per sector, and services grouped by the first need they meet. The team, communities and engagements
    stay on their own. Cluster positions come from a layout of the folded graph; members sit around their
    cluster, where they appear when it is opened.
    """
    drawn_set = set(drawn)
    group: dict[str, str] = {}
    if mode == "organization":
        for node, org in _fold_targets(G, drawn_set).items():
            group[node] = org
            group[org] = org
    else:
        team = getattr(G.graph.get("program"), "team", None)
        for node in drawn:
            attrs = G.nodes[node]
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
    weights: dict[tuple[str, str], float] = defaultdict(float)
    for u, v in G.edges():
        if u in drawn_set and v in drawn_set and unit[u] != unit[v]:
            F.add_edge(unit[u], unit[v])
            weights[(unit[u], unit[v])] += 1.0
    radius = {
        k: (12 + 10 * math.sqrt(len(members[k]))) if mode == "sector" else (30 + 14 * math.sqrt(len(members[k])))
        for k in members
    }
    centres = layout_positions(F, spacing=220 if mode == "sector" else 150)
    drawn_size = {k: _cluster_size(len(members[k])) for k in members}
    if mode == "sector" and len(centres) > 1:  # spread clusters apart so that they do not overlap
        items = list(centres.items())
        scale = 1.0
        for a in range(len(items)):
            for b in range(a + 1, len(items)):
                ra = drawn_size.get(items[a][0], 25) + 20
                rb = drawn_size.get(items[b][0], 25) + 20
                d = math.dist(items[a][1], items[b][1]) or 1.0
                scale = max(scale, (ra + rb) / d)
        scale = min(scale, 6.0)
        centres = {k: (p[0] * scale, p[1] * scale) for k, p in centres.items()}
    positions: dict[str, list[float]] = {}
    for node in drawn:
        if node not in group:
            positions[node] = list(centres[node])
    for key in keys:
        cx, cy = centres[key]
        inner = [m for m in members[key] if m != key]
        if mode == "organization":
            positions[key] = [cx, cy]
            spots = _sunflower(len(inner), 26.0, 14.0)
        else:
            sub = layout_positions(G.subgraph(inner), inner, spacing=40) if len(inner) > 1 else {inner[0]: (0, 0)}
            far = max((math.hypot(*p) for p in sub.values()), default=1.0) or 1.0
            spots = [(sub[m][0] / far * radius[key], sub[m][1] / far * radius[key]) for m in inner]
        for m, (dx, dy) in zip(inner, spots):
            positions[m] = [round(cx + dx, 1), round(cy + dy, 1)]
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


# --------------------------------------------------------------------------------------------- pages


def _cluster_size(count: int) -> float:
    return round(12 + 2.2 * math.sqrt(count), 1)


def _page(title: str, subtitle: str, body: str, head_extra: str = "") -> str:
    e = html.escape
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en"><head><meta charset="utf-8">',
                Atlas.head(),
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                '<meta name="referrer" content="no-referrer">',
                f"<title>{e(title)}</title>{head_extra}</head>",
                '<body class="sgmap-page">',
                f'<header class="sgmap-header"><h1>{e(title)}</h1><p>{e(subtitle)}</p></header>',
                body,
                Atlas.scripts(),
                "</body></html>",
            ]
        )
        + "\n"
    )


def map_fragment(
    G: nx.MultiDiGraph,
    color_by: str = "sector",
    size_by: str = "degree",
    focus: str | None = None,
    depth: int = 1,
    need: str | None = None,
    community: str | None = None,
    anonymize: bool = False,
    aggregate=None,
    layout=None,
    title: str | None = None,
    element_id: str | None = None,
    height: str = "620px",
) -> str:
    """One map as an embeddable block (``<figure>`` with its data), for a page that has the assets.

    The page needs ``Atlas.head()`` in its ``<head>`` and ``Atlas.scripts()`` once after the maps (to put
    several maps of one graph on a page with its data embedded once, use one :class:`Atlas`).
    """
    atlas = Atlas(G, color_by=color_by, size_by=size_by, anonymize=anonymize)
    return atlas.fragment(
        focus=focus,
        depth=depth,
        need=need,
        community=community,
        aggregate=aggregate,
        layout=layout,
        title=title,
        element_id=element_id,
        height=height,
    )


def build_map(
    G: nx.MultiDiGraph,
    color_by: str = "sector",
    size_by: str = "degree",
    focus: str | None = None,
    depth: int = 1,
    need: str | None = None,
    community: str | None = None,
    anonymize: bool = False,
    aggregate=None,
    layout=None,
    title: str | None = None,
) -> str:
    """A map of the stakeholder network as one self-contained, offline HTML page.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The stakeholder graph.
    color_by : str
        ``sector`` (a fixed color-blind-safe palette), ``community``, ``kind`` or any stakeholder column.
    size_by : str
        ``degree``, ``betweenness``, ``trust`` or ``value``.
    focus, depth : str, int
        Draw only this stakeholder and those within ``depth`` steps.
    need : str
        Highlight the referral paths from the team to the services meeting this need; fade the rest.
    community : str
        Draw this community, its residents, their trusted ties and its credible messengers.
    anonymize : bool
        People's names and ids become stable pseudonyms everywhere in the file.
    aggregate : str or None
        ``auto`` (None: aggregated above :data:`AGGREGATE_THRESHOLD` stakeholders), ``none``,
        ``organization`` or ``sector``.
    layout : None, str or dict
        None (or ``auto``, ``python``): positions computed in Python (:func:`layout_positions`), so the
        page opens still; ``physics``: the page lays the map out with vis-network's physics, which stops
        once stable; or positions ``{id: (x, y)}`` computed beforehand.
    title : str, optional
        The page's title; default the program's name.

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    DataError
        Unknown focus, need, community, measure, aggregation or layout.
    """
    atlas = Atlas(G, color_by=color_by, size_by=size_by, anonymize=anonymize)
    program = G.graph.get("program")
    name = G.graph.get("name") or getattr(program, "name", None) or "Stakeholder network"
    title = title or f"{name}: stakeholder map"
    body = atlas.fragment(
        focus=focus,
        depth=depth,
        need=need,
        community=community,
        aggregate=aggregate,
        layout=layout,
        element_id="sgmap-main",
        height="auto",
    )
    view = atlas.last_view
    counts = view["counts"]
    subtitle = (
        (view["caption"] + " " if view["mode"] != "whole" else "")
        + f"{counts['nodes']} stakeholders, {counts['edges']} relationships"
        + (", names anonymized" if atlas.G.graph.get("anonymized") else "")
        + ". Hover for details, scroll to zoom, drag to move"
        + ("; double-click a cluster to open it." if view["clusters"] else ".")
    )
    return _page(title, subtitle, body)


def report_maps(G: nx.MultiDiGraph, report: dict | None = None) -> tuple[dict[str, str], str, str]:
    """The maps of the HTML report: the whole network, each need's referral paths, each priority community.

    Returns ``(maps, head, scripts)``: ``maps`` maps a report section id (``summary``, ``gaps``,
    ``need-NEED``) to its map fragments; ``head`` goes in the page's ``<head>`` and ``scripts`` once
    before ``</body>``. The graph's data is embedded once for all the maps.
    """
    report = report or {}
    atlas = Atlas(G, gaps=report.get("gaps"))
    maps = {"summary": atlas.fragment(title="The stakeholder network", element_id="map-network", height="640px")}
    for need in report.get("referrals") or {}:
        maps[f"need-{need}"] = atlas.fragment(
            need=need, title=f"Referral paths: {_label(need)}", element_id=f"map-need-{need}", height="520px"
        )
    communities = [
        atlas.fragment(
            community=c,
            title=f"Priority community: {G.nodes[c].get('name', c)}",
            element_id=f"map-community-{c}",
            height="520px",
        )
        for c in priority_communities(G)
    ]
    if communities:
        maps["gaps"] = "\n".join(communities)
    return maps, Atlas.head(), Atlas.scripts()


def write_map(text: str, path: str | os.PathLike) -> Path:
    """Write a page to ``path`` all or nothing (a temporary file in the same folder is renamed)."""
    return atomic_write_text(path, text)


# --------------------------------------------------------------------------------------------- page parts

_MAP_CSS = """
.sgmap{display:flex;border:1px solid #c8c8c8;border-radius:4px;background:#fff;font:13px/1.35 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#1b1b1b;min-height:420px;overflow:hidden}
.sgmap-canvas{flex:1 1 auto;position:relative;min-width:0}
.sgmap-side{flex:0 0 272px;overflow:auto;border-left:1px solid #ddd;background:#f7f8fa;padding:.5rem .6rem}
.sgmap-side h3{font-size:.82rem;text-transform:uppercase;letter-spacing:.04em;margin:.7rem 0 .25rem;color:#333}
.sgmap-side ul{list-style:none;margin:0;padding:0}.sgmap-side li{margin:.12rem 0;display:flex;align-items:center;gap:.35rem}
.sgmap-side label{display:flex;align-items:center;gap:.35rem;cursor:pointer}
.sgmap-swatch{display:inline-block;width:.9rem;height:.9rem;border:1px solid #333;border-radius:2px;flex:none}
.sgmap-count{color:#666;margin-left:auto;padding-left:.3rem}
.sgmap-sym{display:inline-block;width:1.1rem;text-align:center;font-weight:bold}
.sgmap-icon{flex:none}
.sgmap-side details{margin:.3rem 0}.sgmap-side summary{cursor:pointer;font-weight:600}
.sgmap-filter{max-height:11rem;overflow:auto;padding-left:.2rem}
.sgmap-buttons{display:flex;gap:.3rem;margin:.2rem 0}.sgmap-buttons button,.sgmap-side button{font:inherit;font-size:.8rem;padding:.1rem .45rem;border:1px solid #aaa;background:#fff;border-radius:3px;cursor:pointer}
.sgmap-gaps li{display:block;border-left:4px solid #999;padding:.15rem .35rem;margin:.3rem 0;background:#fff}
.sgmap-gaps li.sev-high{border-color:#C00000}.sgmap-gaps li.sev-medium{border-color:#E69F00}.sgmap-gaps li.sev-low{border-color:#BBBBBB}
.sgmap-gaps button{margin-top:.15rem}
.sgmap-search{width:100%;box-sizing:border-box;font:inherit;padding:.2rem .3rem;border:1px solid #aaa;border-radius:3px}
.sgmap-status{font-size:.8rem;color:#444;margin:.2rem 0}
.sgmap-missing{color:#8a1c00}
.sgmap-note{font-size:.85rem;color:#444;margin:.3rem 0 1rem}
.sgmap-caption{font-weight:600;margin:.5rem 0 .3rem}
.sgmap-figure{margin:1rem 0}
div.vis-tooltip{position:absolute;visibility:hidden;padding:6px 8px;white-space:normal;max-width:22rem;font:12.5px/1.35 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#111;background:#fffff4;border:1px solid #777;border-radius:3px;box-shadow:2px 2px 8px rgba(0,0,0,.25);pointer-events:none;z-index:5}
.sgmap-tip b{display:block;font-size:13.5px;margin-bottom:.15rem}.sgmap-tip dl{margin:0;display:grid;grid-template-columns:auto 1fr;column-gap:.5rem}
.sgmap-tip dt{color:#555}.sgmap-tip dd{margin:0}.sgmap-tip ul{margin:.25rem 0 0;padding-left:1rem;color:#8a1c00}
body.sgmap-page{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif}
.sgmap-header{padding:.4rem .9rem;border-bottom:3px solid #0072B2}.sgmap-header h1{font-size:1.25rem;margin:0}.sgmap-header p{margin:.1rem 0 0;color:#444;font-size:.9rem}
body.sgmap-page .sgmap-figure{margin:0}body.sgmap-page .sgmap{height:calc(100vh - 4.6rem) !important;border:0;border-radius:0}
body.sgmap-page .sgmap-note{display:none}
@media print{.sgmap{break-inside:avoid;height:150mm !important}.sgmap-side{flex-basis:52mm;font-size:8pt}.sgmap-controls{display:none}.sgmap-figure{break-inside:avoid}}
"""

#: The page's own script: it reads the JSON data and builds the network, legend, filters and tooltips
#: with createElement and textContent only (never innerHTML), so a name is always text.
_RUNTIME_JS = r"""
(function () {
  "use strict";
  var SVGNS = "http" + "://www.w3.org/2000/svg";
  var POLY = {square: "3,3 17,3 17,17 3,17", diamond: "10,1 19,10 10,19 1,10", triangle: "10,2 19,18 1,18",
    triangleDown: "1,2 19,2 10,18", hexagon: "5.5,2 14.5,2 19,10 14.5,18 5.5,18 1,10",
    star: "10,1 12.4,7.3 19.2,7.6 13.8,11.8 15.7,18.5 10,14.6 4.3,18.5 6.2,11.8 0.8,7.6 7.6,7.3"};
  var FONT = {person: 13, organization: 17, service: 15, engagement: 15, community: 24, team: 24};
  var PLAIN_EDGES = 4000;  // above this many links, lines are solid: dashes cost most of a redraw
  var graphs = {};
  window.__stakeholderMaps = window.__stakeholderMaps || {};

  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function rgba(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }
  function svg(w, hgt) {
    var s = document.createElementNS(SVGNS, "svg");
    s.setAttribute("width", w); s.setAttribute("height", hgt); s.setAttribute("viewBox", "0 0 " + w + " " + hgt);
    s.setAttribute("class", "sgmap-icon"); s.setAttribute("aria-hidden", "true");
    return s;
  }
  function shapeIcon(shape, color) {
    var s = svg(20, 20), p;
    if (POLY[shape]) { p = document.createElementNS(SVGNS, "polygon"); p.setAttribute("points", POLY[shape]); }
    else { p = document.createElementNS(SVGNS, "circle"); p.setAttribute("cx", "10"); p.setAttribute("cy", "10"); p.setAttribute("r", "7.5"); }
    p.setAttribute("fill", color || "#9a9a9a"); p.setAttribute("stroke", "#333"); p.setAttribute("stroke-width", "1");
    s.appendChild(p);
    return s;
  }
  function ringIcon(color) {
    var s = svg(16, 16), c = document.createElementNS(SVGNS, "circle");
    c.setAttribute("cx", "8"); c.setAttribute("cy", "8"); c.setAttribute("r", "5.5");
    c.setAttribute("fill", "#ffffff"); c.setAttribute("stroke", color); c.setAttribute("stroke-width", "3");
    s.appendChild(c);
    return s;
  }
  function lineIcon(style) {
    var s = svg(34, 12), l = document.createElementNS(SVGNS, "line");
    l.setAttribute("x1", "1"); l.setAttribute("y1", "6"); l.setAttribute("x2", style.directed ? "26" : "33"); l.setAttribute("y2", "6");
    l.setAttribute("stroke", style.color); l.setAttribute("stroke-width", "2");
    if (style.dashes) l.setAttribute("stroke-dasharray", style.dashes.join(" "));
    s.appendChild(l);
    if (style.directed) { var a = document.createElementNS(SVGNS, "polygon"); a.setAttribute("points", "26,2 33,6 26,10"); a.setAttribute("fill", style.color); s.appendChild(a); }
    return s;
  }
  function graphData(id) {
    if (!graphs[id]) graphs[id] = JSON.parse(document.getElementById(id).textContent);
    return graphs[id];
  }

  function initMap(root) {
    var t0 = performance.now();
    var V = JSON.parse(document.getElementById(root.id + "-view").textContent);
    var G = graphData(V.graph);
    var N = G.nodes.length;
    var canvas = root.querySelector(".sgmap-canvas"), side = root.querySelector(".sgmap-side");
    var S = {id: root.id, view: V, graph: G, stabilized: false, startedAt: t0, readyAt: null, times: {parsed: performance.now()},
             network: null, nodes: null, edges: null, open: {}, marksOn: {}, filters: {}, tips: {}};
    window.__stakeholderMaps[root.id] = S;
    if (!window.__stakeholderMap) window.__stakeholderMap = S;

    var members = V.nodes || Array.from({length: N}, function (_, i) { return i; });
    var inView = new Uint8Array(N); members.forEach(function (i) { inView[i] = 1; });
    var edgeList = V.edges || G.edges.map(function (_, j) { return j; });
    var pos = {}; if (V.pos) members.forEach(function (i, k) { pos[i] = V.pos[k]; });
    var hlNodes = V.highlightNodes ? new Set(V.highlightNodes) : null;
    var hlEdges = V.highlightEdges ? new Set(V.highlightEdges) : null;
    var clusters = V.clusters || [];
    var clusterOf = new Int32Array(N).fill(-1);
    clusters.forEach(function (c, k) { c.members.forEach(function (i) { clusterOf[i] = k; }); });
    (V.open || []).forEach(function (k) { S.open[k] = true; });  // clusters the view opens (its paths, its focus)
    G.marks.forEach(function (m) { S.marksOn[m.key] = true; });
    var markDef = {}; G.marks.concat(G.viewMarks).forEach(function (m) { markDef[m.key] = m; });
    var kindShape = {}; G.kinds.forEach(function (k) { kindShape[k.kind] = k.shape; });

    // ---------- filters: a stakeholder is shown when its sector, kind and community are all checked
    var dims = {sector: {}, kind: {}, community: {}, edge: {}};
    function sectorKey(n) { return n.sector || ""; }
    function comKeys(n) { return n.com.length ? n.com.map(String) : [""]; }
    members.forEach(function (i) {
      var n = G.nodes[i];
      dims.sector[sectorKey(n)] = (dims.sector[sectorKey(n)] || 0) + 1;
      dims.kind[n.kind] = (dims.kind[n.kind] || 0) + 1;
      comKeys(n).forEach(function (c) { dims.community[c] = (dims.community[c] || 0) + 1; });
    });
    edgeList.forEach(function (j) { var t = String(G.edges[j][2]); dims.edge[t] = (dims.edge[t] || 0) + 1; });
    Object.keys(dims).forEach(function (d) { S.filters[d] = new Set(Object.keys(dims[d])); });
    function nodePasses(i) {
      var n = G.nodes[i], f = S.filters;
      return f.sector.has(sectorKey(n)) && f.kind.has(n.kind) && comKeys(n).some(function (c) { return f.community.has(c); });
    }

    // ---------- drawing items
    function color(cv) { return G.colors[cv] ? G.colors[cv].color : "#D9D9D9"; }
    function tooltip(i) {
      if (S.tips[i]) return S.tips[i];
      var n = G.nodes[i], box = h("div", "sgmap-tip"), dl = h("dl");
      box.appendChild(h("b", null, n.label));
      n.info.forEach(function (row) { dl.appendChild(h("dt", null, row[0])); dl.appendChild(h("dd", null, row[1])); });
      box.appendChild(dl);
      if (n.gaps.length) {
        var ul = h("ul");
        n.gaps.forEach(function (g) { var gap = G.gaps[g]; ul.appendChild(h("li", null, "[" + gap.severity + "] " + gap.message)); });
        box.appendChild(ul);
      }
      S.tips[i] = box;
      return box;
    }
    function activeMarks(i) {
      var out = [], vm = V.viewMarks[String(i)] || [];
      vm.forEach(function (k) { out.push(markDef[k]); });
      G.nodes[i].marks.forEach(function (k) { if (S.marksOn[k]) out.push(markDef[k]); });
      return out;
    }
    function decorate(item, marks, base, faded) {
      var marked = marks.length > 0;
      var border = marked ? (faded ? rgba(marks[0].border, 0.3) : marks[0].border) : (faded ? "rgba(80,80,80,0.25)" : "#3d3d3d");
      var bg = faded ? rgba(base, 0.16) : base;
      item.color = {background: bg, border: border, highlight: {background: bg, border: "#000000"}, hover: {background: bg, border: "#000000"}};
      item.borderWidth = marked ? (faded ? 2 : 4) : 1;
      item.borderWidthSelected = marked ? 5 : 3;
      item.shadow = marked && !faded ? {enabled: true, color: marks[0].halo, size: 16, x: 0, y: 0} : {enabled: false};
      var size = item.font ? item.font.size : 14;
      if (marked && !faded) size = Math.max(size, 22);
      item.font = {size: size, color: faded ? "rgba(30,30,30,0.28)" : (marked ? "#000000" : "#1b1b1b"), strokeWidth: faded ? 0 : (marked ? 4 : 3), strokeColor: "#ffffff"};
      return item;
    }
    function nodeItem(i) {
      var n = G.nodes[i], marks = activeMarks(i), faded = hlNodes !== null && !hlNodes.has(i);
      var badge = marks.map(function (m) { return m.symbol; }).join("");
      var item = {id: n.id, label: (badge ? badge + " " : "") + n.label, shape: kindShape[n.kind] || "dot",
                  size: n.size, hidden: !nodePasses(i), title: tooltip(i),
                  font: {size: FONT[n.kind] || 16}};
      if (pos[i]) { item.x = pos[i][0]; item.y = pos[i][1]; }
      return decorate(item, marks, color(n.cv), faded);
    }
    function clusterId(k) { return "#cluster-" + k; }
    function clusterItem(k) {
      var c = clusters[k], marks = [], badge = "";
      G.marks.forEach(function (m) { if (S.marksOn[m.key] && c.marks[m.key]) { marks.push(m); badge += " " + m.symbol + c.marks[m.key]; } });
      var shown = c.members.some(nodePasses);
      var tip = h("div", "sgmap-tip"); tip.appendChild(h("b", null, c.label));
      tip.appendChild(h("div", null, c.members.length + " stakeholders folded in" + (badge ? "; marked:" + badge : "")));
      tip.appendChild(h("div", null, "Double-click to open."));
      var item = {id: clusterId(k), label: c.label + " (" + c.members.length + ")" + badge, shape: c.shape, size: c.size,
                  x: c.x, y: c.y, hidden: !shown, title: tip, font: {size: 20}};
      return decorate(item, marks, color(c.cv), false);
    }
    function rep(i) { var c = clusterOf[i]; return c >= 0 && !S.open[c] ? clusterId(c) : G.nodes[i].id; }
    function edgeStyle(t) { return G.edgeTypes[t]; }
    function edgeItems() {
      var out = [], agg = {}, plain = edgeList.length > PLAIN_EDGES;
      edgeList.forEach(function (j) {
        var e = G.edges[j], a = rep(e[0]), b = rep(e[1]);
        var typeOk = S.filters.edge.has(String(e[2]));
        var ends = (a.charAt(0) === "#" ? clusterVisible(a) : nodePasses(e[0])) && (b.charAt(0) === "#" ? clusterVisible(b) : nodePasses(e[1]));
        if (a.charAt(0) !== "#" && b.charAt(0) !== "#") {
          var st = edgeStyle(e[2]), faded = hlEdges !== null && !hlEdges.has(j), strong = V.mode === "need" && !faded;
          var from = G.nodes[e[0]].label, to = G.nodes[e[1]].label;
          out.push({id: "#e" + j, from: a, to: b, dashes: plain ? false : st.dashes, hidden: !(typeOk && ends),
                    width: strong ? 3 + e[3] * 0.6 : (e[3] ? 0.5 + e[3] * 0.7 : 1),
                    color: {color: strong ? "#111111" : (faded ? rgba(st.color, 0.13) : st.color), highlight: "#000000", hover: "#000000", inherit: false},
                    arrows: st.directed ? {to: {enabled: true, scaleFactor: 0.45}} : {to: {enabled: false}},
                    title: from + (st.directed ? " \u2192 " : " \u2014 ") + to + ": " + st.label + (e[5] ? "\n" + e[5] : "")});
        } else if (a !== b) {
          var key = a < b ? a + "|" + b : b + "|" + a;
          var g = agg[key] || (agg[key] = {from: a, to: b, count: 0, shown: 0});
          g.count += 1; if (typeOk && ends) g.shown += 1;
        }
      });
      Object.keys(agg).forEach(function (key) {
        var g = agg[key];
        out.push({id: "#agg" + key, from: g.from, to: g.to, hidden: g.shown === 0, width: Math.min(1 + Math.log2(g.count), 9),
                  color: {color: "rgba(120,120,120,0.55)", highlight: "#000000", hover: "#000000", inherit: false},
                  dashes: false, arrows: {to: {enabled: false}}, title: g.count + " relationship" + (g.count === 1 ? "" : "s")});
      });
      return out;
    }
    function clusterVisible(cid) { var k = +cid.slice(9); return clusters[k].members.some(nodePasses); }
    function nodeItems() {
      var out = [];
      members.forEach(function (i) { var c = clusterOf[i]; if (c < 0 || S.open[c]) out.push(nodeItem(i)); });
      clusters.forEach(function (_, k) { if (!S.open[k]) out.push(clusterItem(k)); });
      return out;
    }
    var signature = {};
    function sig(item) { return [item.hidden, item.label, item.color && (item.color.background + item.color.color + item.color.border), item.borderWidth, item.width].join("|"); }
    function sync(ds, items) {
      var keep = {}, changed = [];
      items.forEach(function (it) { keep[it.id] = true; var s = sig(it); if (signature[it.id] !== s) { signature[it.id] = s; changed.push(it); } });
      var gone = ds.getIds().filter(function (id) { return !keep[id]; });
      gone.forEach(function (id) { delete signature[id]; });
      if (gone.length) ds.remove(gone);
      if (changed.length) ds.update(changed);
    }
    function render() { sync(S.nodes, nodeItems()); sync(S.edges, edgeItems()); updateStatus(); }

    // ---------- the network
    var opts = V.options || {physics: {enabled: false}, edges: {smooth: false}, interaction: {hover: true, tooltipDelay: 150, hideEdgesOnDrag: true, hideEdgesOnZoom: true, multiselect: true}, layout: {improvedLayout: false}};
    if (!V.physics) opts.physics = {enabled: false};
    S.nodes = new vis.DataSet(nodeItems().map(function (it) { signature[it.id] = sig(it); return it; }));
    S.edges = new vis.DataSet(edgeItems().map(function (it) { signature[it.id] = sig(it); return it; }));
    S.times.items = performance.now();
    S.network = new vis.Network(canvas, {nodes: S.nodes, edges: S.edges}, opts);
    S.times.network = performance.now();
    S.network.on("afterDrawing", function () { if (!S.times.firstDraw) S.times.firstDraw = performance.now(); });
    function ready() {
      if (S.stabilized) return;
      S.stabilized = true; S.readyAt = performance.now();
      root.dispatchEvent(new CustomEvent("sgmap:ready", {bubbles: true}));
    }
    if (V.physics) {
      S.network.once("stabilizationIterationsDone", function () { S.network.setOptions({physics: {enabled: false}}); S.network.fit(); S.network.once("afterDrawing", ready); S.network.redraw(); });
    } else {
      S.network.once("afterDrawing", ready);
      S.network.fit();
    }
    S.network.on("doubleClick", function (p) {
      if (p.nodes.length === 1 && String(p.nodes[0]).indexOf("#cluster-") === 0) S.openCluster(+String(p.nodes[0]).slice(9));
    });

    // ---------- API for people and tests
    S.counts = function () {
      var shownNodes = S.nodes.get({filter: function (n) { return !n.hidden; }}).length;
      var shownEdges = S.edges.get({filter: function (e) { return !e.hidden; }}).length;
      return {nodes: S.nodes.length, edges: S.edges.length, visibleNodes: shownNodes, visibleEdges: shownEdges,
              viewNodes: members.length, viewEdges: edgeList.length, clusters: clusters.length};
    };
    S.openCluster = function (k) { if (k >= 0 && k < clusters.length && !S.open[k]) { S.open[k] = true; render(); } };
    S.foldAll = function () { S.open = {}; render(); };
    S.setFilter = function (dim, key, on) { if (on) S.filters[dim].add(String(key)); else S.filters[dim].delete(String(key)); render(); syncChecks(); };
    S.setMark = function (key, on) { S.marksOn[key] = !!on; render(); syncChecks(); };
    S.show = function (indices) {
      var ids = [];
      indices.forEach(function (i) { if (clusterOf[i] >= 0 && !S.open[clusterOf[i]]) S.open[clusterOf[i]] = true; });
      render();
      indices.forEach(function (i) { if (inView[i] && S.nodes.get(G.nodes[i].id)) ids.push(G.nodes[i].id); });
      if (!ids.length) return 0;
      S.network.selectNodes(ids);
      S.network.fit({nodes: ids, animation: false, maxZoomLevel: 1.4});
      return ids.length;
    };

    // ---------- side panel: legend, marks, search, filters, gaps (all text via textContent)
    var checks = [];
    function section(title, parent) { (parent || side).appendChild(h("h3", null, title)); }
    function checkbox(li, checked, onchange, dim, key) {
      var box = h("input"); box.type = "checkbox"; box.checked = checked;
      if (dim) { box.setAttribute("data-filter", dim); box.setAttribute("data-key", key); checks.push(box); }
      box.addEventListener("change", function () { onchange(box.checked); });
      li.insertBefore(box, li.firstChild);
      return box;
    }
    function syncChecks() { checks.forEach(function (b) { var d = b.getAttribute("data-filter"); b.checked = d === "mark" ? !!S.marksOn[b.getAttribute("data-key")] : S.filters[d].has(b.getAttribute("data-key")); }); }
    var status = h("p", "sgmap-status"); side.appendChild(status);
    function updateStatus() {
      var c = S.counts();
      status.textContent = "Showing " + c.visibleNodes + " of " + c.nodes + " nodes and " + c.visibleEdges + " of " + c.edges + " links" + (clusters.length ? " (" + clusters.length + " clusters)" : "") + ".";
    }
    // legend: colours
    section("Colour: " + G.colorBy);
    var ul = h("ul", "sgmap-legend sgmap-colors"); side.appendChild(ul);
    var seen = {};
    members.forEach(function (i) { seen[G.nodes[i].cv] = (seen[G.nodes[i].cv] || 0) + 1; });
    G.colors.forEach(function (c, k) {
      if (!seen[k]) return;
      var li = h("li"); var sw = h("span", "sgmap-swatch"); sw.style.background = c.color; li.appendChild(sw);
      li.appendChild(h("span", null, c.label)); li.appendChild(h("span", "sgmap-count", seen[k]));
      li.setAttribute("data-value", c.value === null ? "" : c.value);
      if (G.colorBy === "sector" && c.value !== null) li.setAttribute("data-sector", c.value);
      ul.appendChild(li);
    });
    if (G.missing.length) {
      var miss = h("ul", "sgmap-legend sgmap-missing");
      G.missing.forEach(function (m) { miss.appendChild(h("li", null, "\u2717 " + m.label + (m.count ? ": " + m.count + " in the network, none engaged" : ": none in the network"))); });
      section("Missing from the table"); side.appendChild(miss);
    }
    section("Shape: kind");
    var kl = h("ul", "sgmap-legend sgmap-kinds"); side.appendChild(kl);
    G.kinds.forEach(function (k) {
      if (!dims.kind[k.kind]) return;
      var li = h("li"); li.appendChild(shapeIcon(k.shape)); li.appendChild(h("span", null, k.kind)); li.appendChild(h("span", "sgmap-count", dims.kind[k.kind])); li.setAttribute("data-kind", k.kind); kl.appendChild(li);
    });
    section("Marks (click to hide)");
    var ml = h("ul", "sgmap-legend sgmap-marks"); side.appendChild(ml);
    G.marks.forEach(function (m) {
      var count = members.filter(function (i) { return G.nodes[i].marks.indexOf(m.key) >= 0; }).length;
      var li = h("li"), lab = h("label"); lab.appendChild(ringIcon(m.border)); lab.appendChild(h("span", "sgmap-sym", m.symbol)); lab.appendChild(h("span", null, m.label));
      lab.appendChild(h("span", "sgmap-count", count)); li.appendChild(lab);
      var box = checkbox(lab, true, function (on) { S.setMark(m.key, on); }, "mark", m.key);
      box.setAttribute("data-mark", m.key); ml.appendChild(li);
    });
    var vmUsed = {}; Object.keys(V.viewMarks).forEach(function (k) { V.viewMarks[k].forEach(function (m) { vmUsed[m] = (vmUsed[m] || 0) + 1; }); });
    G.viewMarks.forEach(function (m) {
      if (!vmUsed[m.key]) return;
      var li = h("li"); li.appendChild(ringIcon(m.border)); li.appendChild(h("span", "sgmap-sym", m.symbol)); li.appendChild(h("span", null, m.label)); li.appendChild(h("span", "sgmap-count", vmUsed[m.key])); ml.appendChild(li);
    });
    if (hlNodes) { var li0 = h("li", null, "Faded: outside this view's paths and ties."); ml.appendChild(li0); }
    section("Lines: relationship type");
    var el = h("ul", "sgmap-legend sgmap-edges"); side.appendChild(el);
    G.edgeTypes.forEach(function (t, k) {
      if (!dims.edge[String(k)]) return;
      var li = h("li"); li.appendChild(lineIcon(t)); li.appendChild(h("span", null, t.label)); li.appendChild(h("span", "sgmap-count", dims.edge[String(k)])); el.appendChild(li);
    });
    el.appendChild(h("li", null, "Width: strength (1 awareness to 4 integration)."));
    if (edgeList.length > PLAIN_EDGES) el.appendChild(h("li", null, "Lines are drawn solid: too many links for dashes."));

    // controls (hidden in print)
    var controls = h("div", "sgmap-controls"); side.appendChild(controls);
    section("Find", controls);
    var search = h("input", "sgmap-search"); search.type = "search"; search.placeholder = "name or id, then Enter"; controls.appendChild(search);
    var found = h("p", "sgmap-status"); controls.appendChild(found);
    search.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter") return;
      var q = search.value.trim().toLowerCase(); if (!q) return;
      var hits = members.filter(function (i) { var n = G.nodes[i]; return n.label.toLowerCase().indexOf(q) >= 0 || n.id.toLowerCase() === q; }).slice(0, 25);
      var shown = S.show(hits);
      found.textContent = hits.length ? shown + " found and selected" : "no match";
    });
    if (clusters.length) {
      var fold = h("button", null, "Fold all clusters"); fold.type = "button"; fold.addEventListener("click", S.foldAll);
      var cb = h("div", "sgmap-buttons"); cb.appendChild(fold); controls.appendChild(cb);
    }
    section("Filters", controls);
    var comLabel = {}; G.communities.forEach(function (c) { comLabel[String(c.index)] = c.label; });
    var edgeLabel = {}; G.edgeTypes.forEach(function (t, k) { edgeLabel[String(k)] = t.label; });
    [["sector", "Sector", function (k) { return k ? k.replace(/_/g, " ") : "(no sector)"; }],
     ["kind", "Kind", function (k) { return k; }],
     ["community", "Community", function (k) { return k ? (comLabel[k] || k) : "(no community)"; }],
     ["edge", "Relationship type", function (k) { return edgeLabel[k]; }]].forEach(function (spec) {
      var dim = spec[0], keys = Object.keys(dims[dim]);
      if (dim === "sector") keys.sort(function (a, b) { return (a === "") - (b === "") || a.localeCompare(b); });
      if (dim === "community") keys.sort(function (a, b) { return (a === "") - (b === "") || spec[2](a).localeCompare(spec[2](b)); });
      if (dim === "edge" || dim === "kind") keys.sort();
      var det = h("details"); det.setAttribute("data-dimension", dim); det.appendChild(h("summary", null, spec[1] + " (" + keys.length + ")"));
      var buttons = h("div", "sgmap-buttons"), all = h("button", null, "all"), none = h("button", null, "none");
      all.type = none.type = "button";
      all.addEventListener("click", function () { S.filters[dim] = new Set(keys); render(); syncChecks(); });
      none.addEventListener("click", function () { S.filters[dim] = new Set(); render(); syncChecks(); });
      buttons.appendChild(all); buttons.appendChild(none); det.appendChild(buttons);
      var list = h("ul", "sgmap-filter");
      keys.forEach(function (k) {
        var li = h("li"), lab = h("label"); lab.appendChild(h("span", null, spec[2](k))); lab.appendChild(h("span", "sgmap-count", dims[dim][k]));
        li.appendChild(lab); checkbox(lab, true, function (on) { S.setFilter(dim, k, on); }, dim, k); list.appendChild(li);
      });
      det.appendChild(list); controls.appendChild(det);
    });
    // gaps
    var gapIdx = G.gaps.map(function (_, g) { return g; });
    if (gapIdx.length) {
      section("Gaps (" + gapIdx.length + ")");
      var gl = h("ul", "sgmap-gaps"); side.appendChild(gl);
      gapIdx.forEach(function (g) {
        var gap = G.gaps[g], li = h("li", "sev-" + gap.severity);
        li.appendChild(h("span", null, "[" + gap.severity + "] " + gap.message));
        var here = gap.nodes.filter(function (i) { return inView[i]; });
        if (here.length) {
          var b = h("button", null, "show " + here.length + " on the map"); b.type = "button";
          b.addEventListener("click", function () { S.show(here); });
          li.appendChild(h("br")); li.appendChild(b);
        }
        gl.appendChild(li);
      });
    }
    updateStatus();
  }

  function start(root) {
    if (root.getAttribute("data-started")) return;
    root.setAttribute("data-started", "1");
    try { initMap(root); } catch (err) { root.setAttribute("data-error", String(err)); if (window.console) console.error(err); }
  }
  function initAll() {
    var roots = Array.prototype.slice.call(document.querySelectorAll(".sgmap"));
    window.__stakeholderMapStartAll = function () { roots.forEach(start); };
    // printing changes the maps' size: draw every map, then redraw each at its printed size
    function refit() {
      Object.keys(window.__stakeholderMaps).forEach(function (id) {
        var S = window.__stakeholderMaps[id];
        if (S.network) { S.network.setSize("100%", "100%"); S.network.redraw(); S.network.fit(); }
      });
    }
    window.addEventListener("beforeprint", function () { window.__stakeholderMapStartAll(); refit(); });
    window.addEventListener("afterprint", refit);
    if (window.matchMedia) {
      var printing = window.matchMedia("print");
      if (printing.addEventListener) printing.addEventListener("change", refit); else if (printing.addListener) printing.addListener(refit);
    }
    if (roots.length < 2 || !("IntersectionObserver" in window)) { roots.forEach(start); return; }
    // several maps on a page (the report): draw each when it comes near the screen
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) { if (en.isIntersecting) { seen.unobserve(en.target); start(en.target); } });
    }, {rootMargin: "400px"});
    roots.forEach(function (r) { seen.observe(r); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initAll); else initAll();
})();
"""
