"""Brokers: who connects the parts of the network that would otherwise not meet.

This is the network's *structure*. Whom a community trusts is another question, answered from the
residents' side in :mod:`stakeholder_graph.messengers`: a broker is not a credible messenger because of
their position, and a row's ``credible_messenger`` comes from there.

Every measure runs on the tie network (``_ties.tie_graph`` / ``_ties.tie_digraph``: every stakeholder
but engagements; parallel relationships merge into one tie).

- **Betweenness**: normalized betweenness on the undirected tie graph, unweighted and weighted with tie
  strength as closeness (path length ``distance = 1 / strength``), equal to
  :func:`networkx.betweenness_centrality` with ``normalized=True`` (``n`` counts every stakeholder). The
  unweighted one comes from :mod:`stakeholder_graph.allpaths` (one pass with closeness, on every core;
  estimated with stated error bounds above a size, see there), the weighted one from python-igraph.
- **Brokerage** (Gould & Fernandez 1989) on the directed tie graph (undirected relationship types count
  both ways) over a grouping of stakeholders, by sector or by community. ``b`` brokers for ``a -> b -> c``
  when ``a != c`` and there is no ``a -> c`` tie. By the groups of sender ``a``, broker ``b`` and receiver
  ``c`` the brokerage is: *coordinator* (all in one group), *itinerant* (``a`` and ``c`` in one group,
  ``b`` outside it), *gatekeeper* (``b`` in the receiver's group, ``a`` outside), *representative*
  (``b`` in the sender's group, ``c`` outside) or *liaison* (three different groups).
- **Structural holes** (Burt 1992): effective size and constraint on the undirected, unweighted tie graph
  (the values of :func:`networkx.effective_size` and :func:`networkx.constraint`, computed in near-linear
  time). Both are undefined (None in output) for a stakeholder without ties.

The **broker score** ranks stakeholders. With ``pr(x)`` the percentile rank of a value among all
stakeholders, the share of stakeholders whose value is strictly lower, scaled to [0, 1] by ``n - 1``
(so a 0 shared by many is 0 and a unique maximum is 1)::

    score = (pr(betweenness) + pr(liaison + gatekeeper + representative) + pr(1 - constraint)) / 3

``betweenness`` is the unweighted one; a stakeholder without ties ranks lowest on ``1 - constraint``.
The score lies in [0, 1].

Groups: with ``group_by="sector"`` a stakeholder's group is its ``sector``; with ``"community"`` it is its
``community`` cell, else the first (sorted) community it is a ``member_of``, and a community is in its own
group. A stakeholder without a value (e.g. services have no sector) is in the group ``"(none)"``, shared
by all such stakeholders.
"""

from __future__ import annotations

import bisect
import math
import multiprocessing
import os
from collections import Counter
from collections.abc import Hashable, Mapping
from concurrent.futures import ProcessPoolExecutor

import networkx as nx

from ._ties import memberships, memo, tie_graph, tie_pairs, to_igraph
from .allpaths import AllPaths, prefetch, shared, tie_classes
from .messengers import credible_messengers

__all__ = [
    "ROLES",
    "GROUP_BY",
    "NO_GROUP",
    "brokerage_roles",
    "structural_holes",
    "credible_messengers",  # from .messengers, for callers that found it here
    "bridges",
    "bridges_text",
]

#: Gould-Fernandez brokerage roles, in output order.
ROLES: tuple[str, ...] = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")
#: The groupings brokerage can use.
GROUP_BY: tuple[str, ...] = ("sector", "community")
#: The group of stakeholders that have no value for the grouping.
NO_GROUP = "(none)"


#: From this many stakeholders up, the weighted betweenness is split between two processes.
PARALLEL_FROM = 3000


def _igraph_betweenness(
    n: int, edges: list[tuple[int, int]], weights: list[float] | None, sources: list[int] | None = None
) -> list[float]:
    import igraph

    return igraph.Graph(n=n, edges=edges).betweenness(directed=False, weights=weights, sources=sources)


def _weighted_betweenness(H: nx.Graph) -> dict[Hashable, float]:
    """Betweenness with ``distance`` as path length; on large graphs, split between two processes.

    Exact weighted betweenness (Dijkstra from every source) costs about four times the unweighted one.
    igraph holds the interpreter while it runs, so on a large graph and a machine with a second core the
    sources are split in two halves, each run in a forked process; the halves' betweenness, each over
    all targets, add up to the whole.
    """
    n = H.number_of_nodes()
    if n < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return _betweenness(H, weight="distance")
    nodes = list(H)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in H.edges()]
    weights = [d for _, _, d in H.edges(data="distance")]
    halves = [list(range(0, n, 2)), list(range(1, n, 2))]
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = list(pool.map(_igraph_betweenness, [n, n], [edges, edges], [weights, weights], halves))
    scale = 2.0 / ((n - 1) * (n - 2))
    return {node: (parts[0][i] + parts[1][i]) * scale for i, node in enumerate(nodes)}


def _betweenness(H: nx.Graph, weight: str | None = None) -> dict[Hashable, float]:
    """Exact normalized betweenness of an undirected graph, computed by igraph (for ``weight``).

    Equal to ``nx.betweenness_centrality(H, normalized=True, weight=weight)``: igraph counts each
    unordered pair once, NetworkX scales that count by ``2 / ((n - 1)(n - 2))``. igraph compares weighted
    path lengths with a tolerance, so paths of equal length written as different float sums
    (``1/2 + 1/4 + 1/4`` and ``1``) are tied, as in exact arithmetic. The unweighted betweenness comes
    from :mod:`stakeholder_graph.allpaths` instead (one pass with closeness, on every core).
    """
    n = H.number_of_nodes()
    if n == 0:
        return {}
    g, nodes = to_igraph(H, weight)
    raw = g.betweenness(directed=False, weights=weight) if g.ecount() else [0.0] * n
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    return {node: raw[i] * scale for i, node in enumerate(nodes)}


def brokerage_roles(D: nx.DiGraph, groups: Mapping[Hashable, Hashable]) -> dict[Hashable, dict[str, int]]:
    """Gould-Fernandez brokerage role counts of every node of a directed graph.

    Node ``b`` brokers for the ordered pair ``(a, c)`` when ``a -> b``, ``b -> c``, ``a != c`` and there is
    no edge ``a -> c``; each such two-path counts once, in the role given by the groups of ``a``, ``b``
    and ``c``.

    Parameters
    ----------
    D : networkx.DiGraph
        The directed graph (self-loops are ignored; an undirected graph counts each edge both ways).
    groups : mapping
        The group of each node. Nodes missing from it share one group, ``None``.

    Returns
    -------
    dict
        For each node, ``{role: count}`` for the roles in :data:`ROLES`:

        - ``coordinator``: ``a``, ``b``, ``c`` in one group;
        - ``itinerant`` (consultant): ``a`` and ``c`` in one group, ``b`` in another;
        - ``gatekeeper``: ``b`` and ``c`` (the receiver) in one group, ``a`` in another;
        - ``representative``: ``a`` (the sender) and ``b`` in one group, ``c`` in another;
        - ``liaison``: three different groups.

    Notes
    -----
    Counted in numpy, without a loop over two-paths: every pair of a predecessor ``a`` and a successor
    ``c`` of ``b`` is counted by role from each node's counts of predecessors and successors per group;
    then the pairs that are no brokerage are taken off: ``c == a`` (``a`` and ``b`` tied both ways) and
    ``a -> c`` (each found in one of the six orders of a triangle of the undirected graph, listed by
    python-igraph). The cost is about that of listing triangles.

    References
    ----------
    .. [1] Gould, R. V. and Fernandez, R. M. (1989). Structures of mediation: a formal approach to
       brokerage in transaction networks. Sociological Methodology 19: 89-126.
    """
    if not D.is_directed():
        D = D.to_directed(as_view=True)
    return _brokerage(list(D), D.edges(), groups)


def _brokerage(nodes: list, ties, groups: Mapping[Hashable, Hashable]) -> dict[Hashable, dict[str, int]]:
    """:func:`brokerage_roles` of the directed graph of ``nodes`` and ``ties`` (``(u, v)`` pairs, each once)."""
    import igraph
    import numpy as np

    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    codes: dict = {}
    group = np.array([codes.setdefault(groups.get(node), len(codes)) for node in nodes], dtype=np.int64)
    pairs = np.array([(index[u], index[v]) for u, v in ties if u != v], dtype=np.int64).reshape(-1, 2)
    src, dst = pairs[:, 0], pairs[:, 1]
    keys = np.sort(src * n + dst)

    def has(u: np.ndarray, v: np.ndarray) -> np.ndarray:
        found = np.searchsorted(keys, u * n + v)
        return (found < len(keys)) & (keys[np.minimum(found, len(keys) - 1)] == u * n + v)

    def count(where: np.ndarray, weights=None) -> np.ndarray:
        return np.bincount(where, weights=weights, minlength=n).astype(np.int64)

    # Every pair (a, c) of a predecessor and a successor of b, by role.
    into, out = count(dst), count(src)
    into_b, out_b = count(dst, group[src] == group[dst]), count(src, group[dst] == group[src])
    k = len(codes)
    inward, in_n = np.unique(dst * k + group[src], return_counts=True)  # (b, group) of predecessors
    outward, out_n = np.unique(src * k + group[dst], return_counts=True)
    both, in_at, out_at = np.intersect1d(inward, outward, assume_unique=True, return_indices=True)
    same = count(both // k, in_n[in_at] * out_n[out_at])  # a and c in one group (b's or another)
    roles = np.zeros((n, 5), dtype=np.int64)  # ROLES order
    roles[:, 0] = into_b * out_b
    roles[:, 1] = same - into_b * out_b
    roles[:, 2] = (into - into_b) * out_b
    roles[:, 3] = into_b * (out - out_b)
    roles[:, 4] = into * out - roles[:, :4].sum(axis=1)

    # Less the pairs that are no brokerage: c == a (a and b tied both ways), and a -> c.
    def less(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> None:
        ga, gb, gc = group[a], group[b], group[c]
        role = np.where(ga == gc, np.where(ga == gb, 0, 1), np.where(gc == gb, 2, np.where(ga == gb, 3, 4)))
        np.subtract.at(roles, (b, role), 1)

    mutual = has(dst, src)
    less(src[mutual], dst[mutual], src[mutual])
    g = igraph.Graph(n=n, edges=pairs.tolist())
    g.to_undirected(mode="collapse")
    triangles = np.array(g.list_triangles(), dtype=np.int64).reshape(-1, 3)
    for i, j, m in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)):
        a, b, c = triangles[:, i], triangles[:, j], triangles[:, m]
        closed = has(a, b) & has(b, c) & has(a, c)
        less(a[closed], b[closed], c[closed])
    return {node: dict(zip(ROLES, row)) for node, row in zip(nodes, roles.tolist())}


def structural_holes(H: nx.Graph) -> dict[Hashable, dict[str, float]]:
    """Burt's effective size and constraint of every node of an undirected, unweighted graph.

    The same values as :func:`networkx.effective_size` and :func:`networkx.constraint` with
    ``weight=None``, in time about that of counting triangles (NetworkX builds an ego graph per node).
    With ``N(i)`` the neighbours of ``i``, ``d(i)`` their number and ``t(i)`` the ties among them:

    - effective size ``d(i) - 2 t(i) / d(i)`` (Borgatti 1997);
    - constraint ``sum_j (1/d(i) + sum_q 1/(d(i) d(q)))^2`` over ``j`` in ``N(i)``, ``q`` over
      ``N(i) & N(j)``.

    python-igraph's ``Graph.constraint`` gives the same values to 1e-16 and is faster (2.1 s against 3.2 s
    at 100,000 stakeholders and 500,000 relationships), but not to the last bit, and the last bit decides
    the order of equal constraints in the broker score's percentile ranks. The sums here are exact
    (``math.fsum``): they walk sets of ids, whose order Python's string hashing varies between
    processes, and plain sums made two runs of one network rank some brokers differently.

    Parameters
    ----------
    H : networkx.Graph
        Undirected graph; edge weights and self-loops are ignored.

    Returns
    -------
    dict
        For each node ``{"effective_size": float, "constraint": float}``; both are NaN for a node
        without neighbours, as in NetworkX.

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of Competition. Harvard University Press.
    .. [2] Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy measures. Connections 20(1): 35-38.
    """
    if H.is_directed():
        raise nx.NetworkXNotImplemented("structural_holes needs an undirected graph")
    neighbours = {node: set(H.adj[node]) - {node} for node in H}
    inverse = {node: 1.0 / len(nbrs) if nbrs else math.nan for node, nbrs in neighbours.items()}
    result = {}
    for i, nbrs_i in neighbours.items():
        d_i = len(nbrs_i)
        if d_i == 0:
            result[i] = {"effective_size": math.nan, "constraint": math.nan}
            continue
        pairs = 0  # each tie among the neighbours counted twice
        terms = []
        for j in nbrs_i:
            nbrs_j = neighbours[j]
            small, large = (nbrs_i, nbrs_j) if d_i < len(nbrs_j) else (nbrs_j, nbrs_i)
            common = [q for q in small if q in large]
            if common:
                pairs += len(common)
                terms.append((1.0 / d_i + math.fsum(map(inverse.__getitem__, common)) / d_i) ** 2)
            else:
                terms.append((1.0 / d_i) ** 2)
        result[i] = {"effective_size": d_i - pairs / d_i, "constraint": math.fsum(terms)}
    return result


def _communities(G: nx.MultiDiGraph, nodes) -> dict[str, str | None]:
    """Each stakeholder's one community: its ``community`` cell, else the first it is a member of; a
    community is its own."""
    node_attrs, found = G._node, memberships(G)  # networkx's own node dicts, read-only
    result = {}
    for node in nodes:
        attrs = node_attrs[node]
        if attrs.get("community"):
            result[node] = attrs["community"]
        elif member_of := found.get(node):
            result[node] = min(member_of)
        else:
            result[node] = node if attrs.get("kind") == "community" else None
    return result


def _groups(G: nx.MultiDiGraph, nodes, group_by: str) -> dict[str, str]:
    if group_by == "sector":
        return {n: G.nodes[n].get("sector") or NO_GROUP for n in nodes}
    return {n: community or NO_GROUP for n, community in _communities(G, nodes).items()}


def _percentile_ranks(values: dict[Hashable, float]) -> dict[Hashable, float]:
    """Share of the other values strictly lower than each value: 0 for the minimum, 1 for a unique maximum."""
    ordered = sorted(values.values())
    n = len(ordered)
    if n < 2:
        return dict.fromkeys(values, 0.0)
    return {key: bisect.bisect_left(ordered, value) / (n - 1) for key, value in values.items()}


def _round(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), 6)


def bridges(
    G: nx.MultiDiGraph,
    group_by: str = "sector",
    top: int | None = None,
    weighted: bool = True,
    *,
    exact: bool | None = None,
    budget: float | None = None,
) -> list[dict]:
    """Rank stakeholders as brokers: betweenness, brokerage and structural holes.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A stakeholder graph, as :func:`stakeholder_graph.dataset.read_dataset` returns.
    group_by : {"sector", "community"}
        The grouping that Gould-Fernandez brokerage roles are counted over (see the module docstring).
    top : int, optional
        Return only the first ``top`` stakeholders.
    weighted : bool
        Compute ``betweenness_weighted`` (about four times the cost of the rest together on a large
        network; the score does not use it). When False it is None.
    exact : bool, optional
        Betweenness exact (True), estimated (False) or exact up to the size
        :data:`stakeholder_graph.allpaths.EXACT_BUDGET` allows (None, the default). An estimate states
        each stakeholder's error bound in ``betweenness_error``; stakeholders whose betweenness the
        bounds cannot tell apart get the same percentile rank in the score
        (:func:`stakeholder_graph.allpaths.tie_classes`), so the score never orders noise.
    budget : float, optional
        The work up to which ``exact=None`` is exact (default
        :data:`stakeholder_graph.allpaths.EXACT_BUDGET`; a map drawn on its own uses the smaller
        :data:`~stakeholder_graph.allpaths.MAP_BUDGET`).

    Returns
    -------
    list of dict
        One per stakeholder but engagements, by ``score`` (highest first) then ``id``, with the keys
        ``id``, ``name``, ``kind``, ``sector``, ``community`` (None when absent), ``betweenness``,
        ``betweenness_weighted``, ``betweenness_error`` (the estimate's absolute error bound, None when
        exact), ``betweenness_tied`` (True when the estimate's bounds cannot tell this betweenness from
        another stakeholder's: their ranks are equal), ``brokerage`` (``{coordinator, itinerant, gatekeeper,
        representative, liaison, total}``), ``effective_size`` and ``constraint`` (None without ties),
        ``credible_messenger`` (bool), ``messenger_score`` (int) and ``score`` (0 to 1). Floats are
        rounded to 6 decimals.

    Raises
    ------
    ValueError
        ``group_by`` is not one of :data:`GROUP_BY`, or ``top`` is negative.
    """
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}, not {group_by!r}")
    if top is not None and top < 0:
        raise ValueError("top must be 0 or more")
    # computed once per graph and shared (the report, its maps, the workspace): callers must not change rows
    H = tie_graph(G)
    prefetch(H, exact=exact, budget=budget)  # the all-sources pass runs while the rest is counted here
    parts = memo(G, ("bridges.parts", group_by), lambda: _parts(G, H, group_by))
    paths = shared(H, exact=exact, budget=budget)  # lives as long as G: its id is a stable key
    rows = memo(G, ("bridges", group_by, bool(weighted), id(paths)), lambda: _bridge_rows(G, H, weighted, paths, parts))
    return list(rows) if top is None else rows[:top]


def _parts(G: nx.MultiDiGraph, H: nx.Graph, group_by: str) -> tuple[dict, dict, dict]:
    """What the broker score needs besides the all-sources pass: brokerage roles, structural holes and
    credible messengers."""
    nodes = list(H)
    roles = _brokerage(nodes, tie_pairs(G), _groups(G, nodes, group_by))  # tie_digraph(G)'s ties
    return roles, structural_holes(H), credible_messengers(G)


def _bridge_rows(G: nx.MultiDiGraph, H: nx.Graph, weighted: bool, paths: AllPaths, parts: tuple) -> list[dict]:
    nodes = list(H)
    roles, holes, messengers = parts
    betweenness = paths.betweenness
    if not weighted:
        weighted_betweenness = dict.fromkeys(nodes)
    elif len({d for _, _, d in H.edges(data="distance")}) <= 1:
        weighted_betweenness = betweenness  # equal lengths: the same shortest paths
    else:
        weighted_betweenness = _weighted_betweenness(H)

    bridging = {n: roles[n]["liaison"] + roles[n]["gatekeeper"] + roles[n]["representative"] for n in nodes}
    openness = {n: -math.inf if math.isnan(c := holes[n]["constraint"]) else 1.0 - c for n in nodes}
    classes = betweenness if paths.exact else tie_classes(betweenness, paths.betweenness_error)
    class_sizes = Counter(classes.values()) if not paths.exact else {}
    ranks = [
        _percentile_ranks(classes),
        _percentile_ranks(bridging),
        _percentile_ranks(openness),
    ]
    communities = _communities(G, nodes)
    node_attrs = G._node  # networkx's own node dicts, read-only
    rows = []
    for n in nodes:
        attrs = node_attrs[n]
        brokerage = dict(roles[n])
        brokerage["total"] = sum(brokerage.values())
        rows.append(
            {
                "id": n,
                "name": attrs.get("name"),
                "kind": attrs.get("kind"),
                "sector": attrs.get("sector"),
                "community": communities[n],
                "betweenness": _round(betweenness[n]),
                "betweenness_weighted": _round(weighted_betweenness[n]),
                "betweenness_error": None if paths.exact else _round(paths.betweenness_error[n]),
                "betweenness_tied": not paths.exact and class_sizes[classes[n]] > 1,
                "brokerage": brokerage,
                "effective_size": _round(holes[n]["effective_size"]),
                "constraint": _round(holes[n]["constraint"]),
                "score": _round((ranks[0][n] + ranks[1][n] + ranks[2][n]) / 3),
                "credible_messenger": messengers[n]["credible_messenger"],
                "messenger_for": messengers[n]["priority_communities"],
            }
        )
    rows.sort(key=lambda row: (-row["score"], str(row["id"])))
    return rows


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def bridges_text(rows: list[dict], group_by: str = "sector", width: int = 80) -> str:
    """The :func:`bridges` rows as a plain-text table that fits ``width`` (at least 80) columns.

    Columns: id, name (both cut to fit), score, betweenness, liaison and gatekeeper counts, constraint
    (``-`` without ties) and ``yes`` for a credible messenger (trusted by a priority community's residents).
    """
    name_width = 20 + max(width - 80, 0)
    header = (
        f"{'id':<15} {'name':<{name_width}} {'score':>6} {'betw.':>7} {'liaison':>7} "
        f"{'gatekpr':>7} {'constr':>6} {'msgr':<4}"
    )
    lines = [f"Brokers (brokerage by {group_by})", "", header, "-" * len(header)]
    for row in rows:
        constraint = "-" if row["constraint"] is None else f"{row['constraint']:.3f}"
        lines.append(
            f"{_cut(str(row['id']), 15):<15} {_cut(str(row['name'] or ''), name_width):<{name_width}} "
            f"{row['score']:>6.3f} {row['betweenness']:>7.4f} {row['brokerage']['liaison']:>7} "
            f"{row['brokerage']['gatekeeper']:>7} {constraint:>6} {'yes' if row['credible_messenger'] else '':<4}"
        )
    if not rows:
        lines.append("(no stakeholders)")
    lines += [
        "",
        "score = mean percentile rank of betweenness, liaison+gatekeeper+representative",
        "        and 1 - constraint (see README, bridges). msgr: a credible messenger,",
        "        trusted by a priority community's residents (not part of the score).",
    ]
    return "\n".join(line.rstrip() for line in lines)
