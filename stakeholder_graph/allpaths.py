"""Betweenness and closeness of the tie network from one all-sources pass, exact or estimated.

Both measures need a shortest-path traversal from every stakeholder: O(nodes x ties) each. Here one
breadth-first pass per source (the C extension ``_allpaths``, split over the machine's cores) yields
both at once: Brandes' dependencies for betweenness [1]_ and, the tie network being undirected, each
stakeholder's distance sum and reach for closeness.

**Exact** while the work (stakeholders x ties, summed over components) is within
:data:`EXACT_BUDGET`, or whenever ``exact=True``: then ``betweenness`` equals
``networkx.betweenness_centrality(H, normalized=True)`` and ``closeness`` equals
``networkx.closeness_centrality(H)`` (Wasserman-Faust scaled for disconnected networks).

**Estimated** above it: every stakeholder outside the largest component is still a source (small
components are cheap), and ``k`` sources of the largest component are drawn uniformly with replacement,
``k`` chosen so the pass costs about :data:`ESTIMATE_BUDGET`. Betweenness is the Brandes-Pich estimate [2]_ (the
sampled dependencies scaled up); closeness uses the mean distance from the sampled sources [3]_. Each
stakeholder's absolute error bound comes from the empirical Bernstein inequality [4]_ (Maurer and
Pontil's Theorem 4, both tails), with a union bound over every stakeholder of the component: with
probability at least ``confidence``, *every* value is within its bound at once. A stakeholder whose
dependencies vary little gets a tight bound; the bound is stated, never assumed.

Why not networkit's KADABRA or Riondato-Kornaropoulos sampling: they bound betweenness alone (closeness
would need a second pass), and KADABRA at ``epsilon = 0.01`` leaves about half of a 20,000-stakeholder
network at zero, which moved the bridging score (issue 16). Source sampling gives both measures from
one pass, and per-stakeholder bounds that are much tighter than one worst-case epsilon where the
network allows it.

References
----------
.. [1] U. Brandes, "A faster algorithm for betweenness centrality", Journal of Mathematical Sociology
   25(2), 163-177, 2001.
.. [2] U. Brandes and C. Pich, "Centrality estimation in large networks", International Journal of
   Bifurcation and Chaos 17(7), 2303-2318, 2007.
.. [3] D. Eppstein and J. Wang, "Fast approximation of centrality", Journal of Graph Algorithms and
   Applications 8(1), 39-45, 2004.
.. [4] A. Maurer and M. Pontil, "Empirical Bernstein bounds and sample variance penalization", COLT 2009.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx
import numpy as np

from ._ties import memo

__all__ = [
    "ESTIMATE_BUDGET",
    "EXACT_BUDGET",
    "MAP_BUDGET",
    "AllPaths",
    "all_paths",
    "prefetch",
    "shared",
    "tie_classes",
]

#: Work (sources x directed arcs visited) up to which the pass is exact unless told otherwise: about
#: 5 to 10 seconds on two idle cores (benchmarks/README.md). A 20,000-stakeholder network with 66,000 ties
#: is about 2.6e9 (exact); 100,000 stakeholders with 500,000 ties about 1e11 (estimated from 4,000 sources).
EXACT_BUDGET = 4e9
#: Work an estimate spends: fewer arcs per second fit in the cache on a large network, so an estimate
#: gets less than the exact pass may use; 100,000 stakeholders with 500,000 ties: 1,500 sources, about
#: 8 to 12 seconds on two cores.
ESTIMATE_BUDGET = 1.5e9
#: The budget of a map drawn on its own (``map``, the workspace): exact up to about 5,000 stakeholders,
#: about half a second of the pass on two cores; above it estimated, with the bounds shown in the map's
#: tooltips. A map drawn with a report (``report --format html``) shows the report's own values.
MAP_BUDGET = 1.6e8
#: Sources the estimate draws at least, whatever the budget.
MIN_SAMPLES = 1000
#: Default probability that every stated bound holds at once.
CONFIDENCE = 0.95


@dataclass(frozen=True)
class AllPaths:
    """Betweenness and closeness of every node of an undirected graph, exact or estimated.

    ``betweenness`` and ``closeness`` map each node to its value; when ``exact`` is False,
    ``betweenness_error`` and ``closeness_error`` map each node to its absolute error bound, all of
    which hold at once with probability ``confidence`` (0 and 1.0 when exact). ``sources`` is the
    number of traversals run, ``nodes`` the number of nodes.
    """

    betweenness: dict[Hashable, float]
    closeness: dict[Hashable, float]
    exact: bool
    sources: int
    nodes: int
    confidence: float
    betweenness_error: dict[Hashable, float]
    closeness_error: dict[Hashable, float]

    @property
    def max_betweenness_error(self) -> float:
        return max(self.betweenness_error.values(), default=0.0)

    @property
    def max_closeness_error(self) -> float:
        return max(self.closeness_error.values(), default=0.0)

    def summary(self) -> dict:
        """How the values were computed, for reports: method, sources, confidence and largest bounds."""
        return {
            "method": "exact" if self.exact else "estimate",
            "sources": self.sources,
            "stakeholders": self.nodes,
            "confidence": self.confidence,
            "max_betweenness_error": round(self.max_betweenness_error, 6),
            "max_closeness_error": round(self.max_closeness_error, 6),
        }


def _csr(H: nx.Graph) -> tuple[list, np.ndarray, np.ndarray]:
    """Nodes, most ties first, and the tie network as compressed rows in that order.

    Numbering the busiest stakeholders first keeps what every traversal touches most in the same few
    cache lines: a quarter less time than the graph's own order (measured on the synthetic cities).
    """
    degree = dict(H.degree())
    nodes = sorted(H, key=lambda node: -degree[node])
    index = {node: i for i, node in enumerate(nodes)}
    m = H.number_of_edges()
    ends = np.fromiter((index[x] for edge in H.edges() for x in edge), dtype=np.int32, count=2 * m).reshape(-1, 2)
    ends = ends[ends[:, 0] != ends[:, 1]]  # a loop is on no shortest path
    tails = np.concatenate([ends[:, 0], ends[:, 1]])
    heads = np.concatenate([ends[:, 1], ends[:, 0]])
    order = np.lexsort((heads, tails))
    indptr = np.zeros(len(nodes) + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=len(nodes)), out=indptr[1:])
    return nodes, indptr, np.ascontiguousarray(heads[order], dtype=np.int32)


def _components(n: int, indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """Connected component label of every vertex, numbered as igraph numbers them (by each component's
    lowest vertex), from the compressed rows in C: building igraph's graph took 0.3 s at 50,000
    stakeholders, the search itself milliseconds."""
    from . import _allpaths

    labels = np.empty(n, dtype=np.int64)
    _allpaths.components(indptr, indices, labels)
    return labels


def _cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _run(indptr, indices, sources: np.ndarray, threads: int):
    from . import _allpaths

    n = len(indptr) - 1
    sums = [np.zeros(n) for _ in range(5)]
    eccentricity = np.zeros(len(sources), dtype=np.int32)
    _allpaths.passes(indptr, indices, np.ascontiguousarray(sources, dtype=np.int32), threads, *sums, eccentricity)
    return (*sums, eccentricity)


def _bernstein(mean: np.ndarray, sq_sum: np.ndarray, count: np.ndarray, spread: float, delta: float) -> np.ndarray:
    """Two-sided empirical Bernstein bound on |mean - expectation| for samples in an interval ``spread`` wide."""
    count = np.maximum(count, 2.0)
    variance = np.maximum(sq_sum - count * mean * mean, 0.0) / (count - 1)
    log_term = math.log(4.0 / delta)
    return np.sqrt(2.0 * variance * log_term / count) + 7.0 * spread * log_term / (3.0 * (count - 1))


def all_paths(
    H: nx.Graph,
    *,
    exact: bool | None = None,
    budget: float | None = None,
    confidence: float = CONFIDENCE,
    seed: int = 0,
    threads: int | None = None,
) -> AllPaths:
    """Betweenness and closeness of an undirected graph from one pass (see the module docstring).

    Parameters
    ----------
    H : networkx.Graph
        Undirected and unweighted; parallel edges and loops are ignored.
    exact : bool, optional
        True: always exact. False: always estimated (for tests). None: exact within ``budget``.
    budget : float, optional
        Work (sources x directed ties) up to which the pass is exact; default :data:`EXACT_BUDGET` (read
        when called). An estimate spends the smaller of it and :data:`ESTIMATE_BUDGET`.
    confidence : float
        Probability, between 0 and 1 (exclusive), that every error bound of an estimate holds at once.
    seed : int
        Seed of the sources an estimate draws: the same graph and seed give the same values.
    threads : int, optional
        Threads to split the sources over (at most 8, the C code's lanes); default the machine's cores.
        The values are the same bit for bit whatever the threads.

    Returns
    -------
    AllPaths
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    if budget is None:
        budget = EXACT_BUDGET
    if budget <= 0:
        raise ValueError(f"budget must be positive, not {budget!r}")
    if threads is None:
        threads = _cores()
    nodes, indptr, indices = _csr(H)
    n = len(nodes)
    if n == 0:
        return AllPaths({}, {}, True, 0, 0, 1.0, {}, {})
    labels = _components(n, indptr, indices)
    sizes = np.bincount(labels)
    arcs = np.bincount(labels, weights=np.diff(indptr).astype(float), minlength=len(sizes))
    giant = int(np.argmax(sizes))
    work = float(np.dot(sizes.astype(float), arcs))
    if exact is None:
        exact = work <= budget
    if exact:
        sources = np.arange(n, dtype=np.int32)
        k = n
    else:
        members = np.flatnonzero(labels == giant).astype(np.int32)
        per_source = max(arcs[giant], 1.0)
        k = int(min(max(min(budget, ESTIMATE_BUDGET) / per_source, MIN_SAMPLES), 10 * len(members)))
        drawn = np.random.default_rng(seed).choice(members, size=k, replace=True)
        others = np.flatnonzero(labels != giant).astype(np.int32)
        sources = np.concatenate([others, drawn.astype(np.int32)])
    dep, dep_sq, dist, dist_sq, reached, ecc = _run(indptr, indices, sources, threads)

    reach = sizes[labels] - 1.0  # others each stakeholder reaches
    if exact:
        raw_betweenness = dep
        distance_sum = dist
        b_error = c_error = np.zeros(n)
    else:
        in_giant = labels == giant
        N = float(sizes[giant])
        delta = (1.0 - confidence) / 2.0 / N  # half for each measure, shared over the component's members
        # betweenness: X_s = dep_s(v) * N / ((n-1)(n-2)), in [0, N (N-2) / ((n-1)(n-2))]
        raw_betweenness = np.where(in_giant, dep * (N / k), dep)
        if n > 2:
            scale = N / ((n - 1) * (n - 2))
            spread = (N - 2) * scale  # a source's dependency on v is at most N - 2
            b_error = np.where(
                in_giant, _bernstein(dep / k * scale, dep_sq * scale**2, np.full(n, float(k)), spread, delta), 0.0
            )
        else:
            b_error = np.zeros(n)
        # closeness: the mean distance from the sampled sources (those other than v itself)
        counted = np.maximum(reached, 1.0)
        mean_distance = dist / counted
        distance_sum = np.where(in_giant, mean_distance * reach, dist)
        diameter_bound = 2.0 * float(ecc[len(sources) - k :].min()) if k else 1.0
        # distances less one lie in [0, diameter - 1]; the diameter is at most twice any eccentricity
        spread = max(diameter_bound - 1.0, 1.0)
        d_error = _bernstein(mean_distance - 1.0, dist_sq - 2 * dist + reached, counted, spread, delta)
        # closeness reach / ((n - 1) mean distance) is furthest off at the shortest mean distance allowed
        nearest = np.maximum(mean_distance - d_error, 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            c_error = np.where(
                in_giant & (mean_distance > 0), reach / (n - 1) * (1.0 / nearest - 1.0 / mean_distance), 0.0
            )

    betweenness_scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 0.5  # networkx's, for undirected graphs
    betweenness = raw_betweenness * betweenness_scale
    with np.errstate(divide="ignore", invalid="ignore"):
        closeness = np.where(distance_sum > 0, reach * reach / ((n - 1) * distance_sum), 0.0) if n > 1 else np.zeros(n)
    return AllPaths(
        betweenness=dict(zip(nodes, betweenness.tolist())),
        closeness=dict(zip(nodes, closeness.tolist())),
        exact=bool(exact),
        sources=int(len(sources)),
        nodes=n,
        confidence=1.0 if exact else confidence,
        betweenness_error=dict(zip(nodes, b_error.tolist())),
        closeness_error=dict(zip(nodes, c_error.tolist())),
    )


def shared(
    H: nx.Graph, *, exact: bool | None = None, budget: float | None = None, threads: int | None = None
) -> AllPaths:
    """:func:`all_paths` of a tie network, computed once per network and question.

    ``exact`` and ``budget`` as in :func:`all_paths`. What was computed answers every later question it
    is at least as good for: exact values answer any ``exact=None`` (so the report's ``--exact`` and the
    maps it draws show the same numbers); an estimate made with budget ``b`` answers ``exact=False`` or
    ``exact=None`` with a budget up to ``b`` (the maps' smaller :data:`MAP_BUDGET` reuses the report's
    estimate). One network's questions are answered one at a time: a question asked while
    :func:`prefetch` computes waits for it rather than computing twice. ``threads`` as in
    :func:`all_paths` (the values do not depend on it).
    """
    budget = EXACT_BUDGET if budget is None else budget
    with _lock(H):
        if (known := _known(H, exact, budget)) is not None:
            return known
        result = all_paths(H, exact=exact, budget=budget, threads=threads)
        memo(H, ("all_paths",), list).append((math.inf if result.exact else budget, result))
        return result


def prefetch(
    H: nx.Graph, *, exact: bool | None = None, budget: float | None = None, threads: int | None = None
) -> None:
    """Start :func:`shared` in a background thread (unless its answer is known already), so that the
    pass (which leaves Python free while it runs) overlaps the caller's other analyses; the caller's own
    :func:`shared` then waits for it. An error there is left for that later call to raise again. The
    pass's threads share the work as they get the cores (the C code's lanes), so every core stays busy
    while the caller's Python work runs; ``threads`` (default every core) leaves cores to other work.
    """
    if _known(H, exact, EXACT_BUDGET if budget is None else budget) is not None:
        return

    def run():
        with contextlib.suppress(Exception):  # the caller's own shared() raises it again
            shared(H, exact=exact, budget=budget, threads=threads)

    threading.Thread(target=run, name="stakeholder-graph all_paths", daemon=True).start()


def _known(H: nx.Graph, exact: bool | None, budget: float) -> AllPaths | None:
    """The best values computed so far that answer the question, or None (exact ones first)."""
    computed: list[tuple[float, AllPaths]] = memo(H, ("all_paths",), list)
    for made_with, result in sorted(computed, key=lambda pair: -pair[0]):
        if (result.exact and exact is not False) or (not result.exact and exact is not True and made_with >= budget):
            return result
    return None


_LOCKS_LOCK = threading.Lock()


def _lock(H: nx.Graph) -> threading.Lock:
    with _LOCKS_LOCK:
        return memo(H, ("all_paths_lock",), threading.Lock)


def tie_classes(values: dict[Hashable, float], errors: dict[Hashable, float]) -> dict[Hashable, float]:
    """Values that their error bounds cannot tell apart made equal, so a rank never orders noise.

    Walking from the highest value down, a value joins the current class while its interval
    ``value +- error`` reaches the lower end of the class's first member's interval; every member gets
    the class's first (highest) value. With all errors 0 the values come back unchanged.
    """
    ordered = sorted(values, key=lambda key: -values[key])
    result: dict[Hashable, float] = {}
    floor = math.inf
    head = math.inf
    for key in ordered:
        value, error = values[key], errors.get(key, 0.0)
        if value + error < floor:
            head, floor = value, value - error
        result[key] = head
    return result
