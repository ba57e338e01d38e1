"""Where each stakeholder is drawn: positions computed in Python so that a map opens still."""

from __future__ import annotations

import math
import random

import networkx as nx


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
    from . import FA2_MAX  # tunable on the package, read when called

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


def _sunflower(count: int, start: float, step: float):
    """``count`` points spread evenly around (0, 0), nearest first, from radius ``start`` (Vogel's spiral:
    point ``j`` at radius ``start + step * sqrt(j)`` and angle ``j`` times the golden angle), as an
    array of shape ``(count, 2)``. With ``start=0`` the points fill a disc of radius ``step * sqrt(count)``
    evenly, about ``1.8 * step`` apart (H. Vogel, "A better way to construct the sunflower head",
    Mathematical Biosciences 44, 1979)."""
    import numpy as np

    j = np.arange(1, count + 1, dtype=float)
    r = start + step * np.sqrt(j)
    angle = j * (math.pi * (3 - math.sqrt(5)))
    return np.column_stack([r * np.cos(angle), r * np.sin(angle)])


def _separate(centres, radii, gap: float = 20.0, iterations: int = 100):
    """Move discs (``centres`` of shape ``(k, 2)``, ``radii``) apart until none overlaps, keeping the layout's
    shape: each step pushes every overlapping pair apart along the line between them by the overlap
    (the larger disc moves less). The pairs near enough to overlap are found over all pairs in numpy
    every 10 steps and pushed in between; if overlaps remain after ``iterations`` steps, the centres are
    scaled out until none does. Returns new centres; deterministic."""
    import numpy as np

    pos = np.array(centres, dtype=float).reshape(-1, 2)
    r = np.asarray(radii, dtype=float)
    k = len(pos)
    if k < 2:
        return pos
    upper = np.triu_indices(k, 1)
    need_all = (r[:, None] + r[None, :] + gap)[upper]
    angle = np.arange(k) * 2.399963229728653  # for discs on the same spot: apart, deterministically
    jitter = np.column_stack([np.cos(angle), np.sin(angle)])
    reach = 2.0 * float(r.max()) + gap
    for step in range(iterations):
        if step % 10 == 0:
            d = pos[:, None, :] - pos[None, :, :]
            dist_all = np.sqrt((d**2).sum(-1))[upper]
            if (dist_all >= need_all - 1e-6).all():
                return pos
            near = np.flatnonzero(dist_all < need_all + reach)
            i, j, need = upper[0][near], upper[1][near], need_all[near]
            share_i = r[j] / (r[i] + r[j])  # the larger disc moves less
        diff = pos[i] - pos[j]
        dist = np.sqrt((diff**2).sum(-1))
        overlap = np.clip(need - dist, 0.0, None)
        same = dist < 1e-9
        direction = np.where(same[:, None], jitter[i], diff / np.where(same, 1.0, dist)[:, None])
        push = direction * (overlap * 0.5)[:, None]
        np.add.at(pos, i, push * share_i[:, None])
        np.add.at(pos, j, -push * (1.0 - share_i)[:, None])
    d = pos[:, None, :] - pos[None, :, :]
    dist_all = np.sqrt((d**2).sum(-1))[upper]
    ratio = float((need_all / np.maximum(dist_all, 1e-9)).max())
    return pos * max(ratio, 1.0) * 1.001 if ratio > 1.0 else pos


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
