"""Private helpers: the simple graphs analyses run on, derived from the stakeholder MultiDiGraph.

Every analysis sees the network *as of* its reference date (:func:`reference_date`): a relationship
whose ``until`` is on or before that date has ended, and one whose ``since`` is after it has not begun;
both are history (for ``compare``) and are left out of every measure (:func:`current`).

The *tie network* is every stakeholder except engagements (events, not actors) with every current
relationship between them, and a person's ``community`` cell as a tie to that community (the same as a
``member_of`` it, with no strength or trust given). Parallel relationships between a pair merge into one
tie whose ``strength`` and ``trust`` are the largest of theirs (a missing value counts as 1).
``distance`` is ``1 / strength``: a strong tie is a short one, so "tie strength as closeness" in
weighted measures.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable

import networkx as nx

from ._bulk import add_ties, paused_gc
from .vocab import UNDIRECTED_EDGE_TYPES

ACTOR_KINDS = frozenset({"person", "organization", "community", "service", "team"})


#: The tie type a ``community`` cell stands for in the tie network's ``types``.
COMMUNITY_CELL = "community"


def reference_date(G: nx.MultiDiGraph) -> dt.date:
    """``as_of`` from program.toml, else the newest date in the data, else today."""
    as_of = getattr(G.graph.get("program"), "as_of", None)
    if as_of:
        return dt.date.fromisoformat(as_of)
    dates = [d for _, d in G.nodes(data="date") if d]
    dates += [d for _, _, d in G.edges(data="since") if d]
    return dt.date.fromisoformat(max(dates)) if dates else dt.date.today()


def is_current(attrs: dict, day: str) -> bool:
    """Whether a relationship holds on ``day`` (``YYYY-MM-DD``): begun (``since`` empty or on or before
    it) and not ended (``until`` empty or after it)."""
    return (attrs.get("since") or day) <= day and (attrs.get("until") or "9999-12-31") > day


_CURRENT: weakref.WeakKeyDictionary[nx.MultiDiGraph, nx.MultiDiGraph] = weakref.WeakKeyDictionary()
_COPIES: weakref.WeakSet[nx.MultiDiGraph] = weakref.WeakSet()


def current(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph without the relationships that have ended (or not yet begun) on its reference date.

    ``G`` itself when every relationship holds; else a read-only copy, made once per graph. Every
    analysis starts from it.
    """
    if G in _COPIES:
        return G
    if G in _CURRENT:
        return _CURRENT[G]
    if any(a.get("until") or a.get("since") for _, _, a in G.edges(data=True)):
        day = reference_date(G).isoformat()
        ended = [(u, v, k) for u, v, k, a in G.edges(keys=True, data=True) if not is_current(a, day)]
    else:
        ended = []
    if ended:
        H = G.copy()
        H.remove_edges_from(ended)
        H.graph["ended_relationships"] = len(ended)
        nx.freeze(H)
        _COPIES.add(H)
    else:
        H = G
    _CURRENT[G] = H
    return H


def actors(G: nx.MultiDiGraph) -> list[str]:
    """Ids of every stakeholder that is not an engagement."""
    return [n for n, kind in G.nodes(data="kind") if kind in ACTOR_KINDS]


_CACHE: weakref.WeakKeyDictionary[nx.MultiDiGraph, dict] = weakref.WeakKeyDictionary()


def _cached(G: nx.MultiDiGraph, key: tuple, build):
    """Views are built once per graph and frozen (read-only): analyses share them, never change them.

    The stakeholder graph itself is never changed after it is read, so the cache stays true.
    """
    cache = _CACHE.setdefault(G, {})
    if key not in cache:
        cache[key] = nx.freeze(build())
    return cache[key]


def memo(G: nx.MultiDiGraph, key: tuple, build):
    """A value derived from a graph, computed once per graph (not frozen: callers must not change it)."""
    cache = _CACHE.setdefault(G, {})
    if key not in cache:
        cache[key] = build()
    return cache[key]


def tie_graph(G: nx.MultiDiGraph, types: Iterable[str] | None = None, min_trust: int | None = None) -> nx.Graph:
    """The undirected simple tie network (all actors, also those without ties). Read-only: copy to change it."""
    key = ("tie_graph", frozenset(types) if types is not None else None, min_trust)
    return _cached(G, key, lambda: _ties(G, types, min_trust, directed=False))


def tie_digraph(G: nx.MultiDiGraph, types: Iterable[str] | None = None, min_trust: int | None = None) -> nx.DiGraph:
    """The directed simple tie network; undirected relationship types count in both directions. Read-only."""
    key = ("tie_digraph", frozenset(types) if types is not None else None, min_trust)
    return _cached(G, key, lambda: _ties(G, types, min_trust, directed=True))


def _actor_edges(G: nx.MultiDiGraph) -> list[tuple[str, str, str, int, int, int | None]]:
    """(u, v, type, strength, trust, trust as given) of every current relationship between two actors, in
    graph order; a missing strength or trust is 1 (None for the trust as given). Computed once per graph."""

    def build():
        H = current(G)
        kind = dict(H.nodes(data="kind"))
        return [
            (u, v, k, a.get("strength") or 1, a.get("trust") or 1, a.get("trust"))
            for u, v, k, a in H.edges(keys=True, data=True)
            if kind[u] in ACTOR_KINDS and kind[v] in ACTOR_KINDS
        ]

    return memo(G, ("actor_edges",), build)


def _ties(G: nx.MultiDiGraph, types: Iterable[str] | None, min_trust: int | None, directed: bool) -> nx.Graph:
    """Build the tie network; directed, undirected relationship types go both ways.

    The ties are merged in a dict first and added to the graph at once, in the order each pair is first
    met, so that the graph (and the order of its nodes' neighbours) is the one adding the relationships
    one by one gives.
    """
    with paused_gc():
        return _build_ties(G, set(types) if types is not None else None, min_trust, directed)


def _build_ties(G: nx.MultiDiGraph, types: set[str] | None, min_trust: int | None, directed: bool) -> nx.Graph:
    merged: dict[tuple[str, str], list] = {}

    def merge(u: str, v: str, strength, trust, kind: str) -> None:
        tie = merged.get((u, v))
        if tie is None and not directed:
            tie = merged.get((v, u))
        if tie is None:
            merged[(u, v)] = [strength, trust, {kind}]
        else:
            tie[0] = max(tie[0], strength)
            tie[1] = max(tie[1], trust)
            tie[2].add(kind)

    for u, v, kind, strength, trust, given in _actor_edges(G):
        if types is not None and kind not in types:
            continue
        if min_trust is not None and (given or 0) < min_trust:
            continue
        merge(u, v, strength, trust, kind)
        if directed and kind in UNDIRECTED_EDGE_TYPES:
            merge(v, u, strength, trust, kind)
    if (types is None or COMMUNITY_CELL in types) and min_trust is None:
        for person, community in community_cells(current(G)):
            merge(person, community, 1, 1, COMMUNITY_CELL)
    H = nx.DiGraph() if directed else nx.Graph()
    H.add_nodes_from(actors(current(G)))
    add_ties(
        H,
        (
            (u, v, {"strength": s, "trust": t, "types": frozenset(k), "distance": 1.0 / s})
            for (u, v), (s, t, k) in merged.items()
        ),
    )
    return H


def tie_pairs(G: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """The ties of ``tie_digraph(G)`` as ``(u, v)`` pairs, in no particular order, without building the
    graph (for measures that need only the pairs: a million ties cost seconds to add to a DiGraph)."""

    def build():
        pairs = set()
        for u, v, kind, *_ in _actor_edges(G):
            pairs.add((u, v))
            if kind in UNDIRECTED_EDGE_TYPES:
                pairs.add((v, u))
        pairs.update(community_cells(current(G)))
        return list(pairs)

    return memo(G, ("tie_pairs",), build)


def component_sizes(G: nx.MultiDiGraph) -> list[int]:
    """The sizes of the tie network's connected components, largest first (computed once per graph)."""
    return memo(G, ("component_sizes",), lambda: sorted(map(len, nx.connected_components(tie_graph(G))), reverse=True))


def community_cells(G: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """(person, community) for every ``community`` cell that names a community of the graph."""
    return [
        (n, c)
        for n, c in G.nodes(data="community")
        if c and c != n and G.nodes.get(c, {}).get("kind") == "community" and G.nodes[n].get("kind") in ACTOR_KINDS
    ]


def unrelated(G: nx.MultiDiGraph) -> list[str]:
    """Stakeholders (engagements too) with no current relationship at all, sorted; a community cell counts
    as a relationship of the person and of the community."""

    def build():
        H = current(G)
        named = {x for pair in community_cells(H) for x in pair}
        return sorted(n for n, degree in H.degree() if not degree and n not in named)

    return list(memo(G, ("unrelated",), build))  # computed once per graph; a list of the caller's own


def communities_of(G: nx.MultiDiGraph, node: str) -> set[str]:
    """The communities a stakeholder belongs to: its ``community`` cell and its current member_of communities."""
    return set(memberships(G).get(node, ()))


def memberships(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Per stakeholder, the communities it belongs to (its ``community`` cell and its current member_of
    communities), for every stakeholder in one pass over the relationships; those of none are left out.
    Computed once per graph: read-only (:func:`communities_of` gives one stakeholder's, a set of its own)."""

    def build() -> dict[str, set[str]]:
        H = current(G)
        found: dict[str, set[str]] = {}
        for node, community in H.nodes(data="community"):
            if community:
                found.setdefault(node, set()).add(community)
        kinds = dict(H.nodes(data="kind"))
        for u, v, kind in H.edges(keys=True):
            if kind == "member_of" and kinds.get(v) == "community":
                found.setdefault(u, set()).add(v)
        return found

    return memo(G, ("memberships",), build)


def priority_communities(G: nx.MultiDiGraph) -> list[str]:
    """Ids of priority communities: ``priority`` true or listed in ``program.toml``."""
    program = G.graph.get("program")
    listed = set(getattr(program, "priority_communities", ()))
    return sorted(
        n
        for n, attrs in G.nodes(data=True)
        if attrs.get("kind") == "community" and (attrs.get("priority") or n in listed)
    )


def to_igraph(H: nx.Graph | nx.DiGraph, weight: str | None = None):
    """The same graph as python-igraph's ``Graph``, and the node order (igraph vertex i is ``nodes[i]``)."""
    import igraph

    nodes = list(H)
    index = {node: i for i, node in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in H.edges()], directed=H.is_directed())
    if weight is not None:
        g.es[weight] = [data.get(weight, 1) for _, _, data in H.edges(data=True)]
    return g, nodes
