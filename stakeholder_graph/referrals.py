"""Referral paths: after a call, who does the team hand a person to, and what if they are full?

A referral can follow ``refers_to`` (in its direction), ``partners_with`` (both ways) and ``provides``
(from an organization to its services), as they stand on the reference date (ended relationships are
left out). A ``refers_to`` or ``partners_with`` step costs ``1 + (4 - strength) + (4 - trust)``: a tie of
strength 4 and trust 4 costs 1, a bare awareness tie with low trust costs 7; a missing value counts as 1.
A ``provides`` step costs 1 whatever its strength and trust: an organization hands a caller to its own
service (and service directories such as Open Referral give provision without strength or trust, which
would otherwise cost 7). The best path is the cheapest.
"""

from __future__ import annotations

from itertools import islice

import networkx as nx

from ._bulk import add_ties
from ._ties import _cached, current, to_igraph
from .errors import DataError, Problem
from .hours import is_open
from .vocab import NEEDS

__all__ = ["PROVIDES_COST", "referral_graph", "service_providers", "step_cost", "referral_paths", "paths_text"]

#: The cost of a ``provides`` step (an organization to its own service), whatever its strength and trust.
PROVIDES_COST = 1


def step_cost(attrs: dict, kind: str | None = None) -> int:
    """The cost of one referral step over a relationship of type ``kind`` with these attributes."""
    if kind == "provides":
        return PROVIDES_COST
    return 1 + (4 - (attrs.get("strength") or 1)) + (4 - (attrs.get("trust") or 1))


def referral_graph(G: nx.MultiDiGraph) -> nx.DiGraph:
    """The directed graph referrals can follow, with ``cost`` on each step (the cheapest of parallel ties).

    Nodes and steps are added in sorted order, so that paths of equal cost come out in the same order
    whatever order the graph was read in (a folder, a Neo4j wave, an export). Built once per graph and
    shared (the report, the gaps and every need use it): read-only.
    """
    return _cached(G, ("referral_graph",), lambda: _referral_graph(G))


def _referral_graph(G: nx.MultiDiGraph) -> nx.DiGraph:
    G = current(G)
    costs: dict[tuple[str, str], int] = {}

    def add(u: str, v: str, cost: int) -> None:
        if costs.get((u, v), cost + 1) > cost:
            costs[(u, v)] = cost

    for u, v, kind, attrs in G.edges(keys=True, data=True):
        if kind == "refers_to":
            add(u, v, step_cost(attrs))
        elif kind == "partners_with":
            add(u, v, step_cost(attrs))
            add(v, u, step_cost(attrs))
        elif kind == "provides":
            add(u, v, step_cost(attrs, kind))
    D = nx.DiGraph()
    D.add_nodes_from(sorted(G.nodes))
    add_ties(D, ((u, v, {"cost": cost}) for (u, v), cost in sorted(costs.items())))
    return D


def service_providers(G: nx.MultiDiGraph, need: str) -> dict[str, list[str]]:
    """Services that meet a need, each with the organizations that (currently) provide it."""
    G = current(G)
    services = sorted(
        n for n, attrs in G.nodes(data=True) if attrs.get("kind") == "service" and need in attrs.get("needs", [])
    )
    return {s: sorted(u for u, _, kind in G.in_edges(s, keys=True) if kind == "provides") for s in services}


def _path_cost(D: nx.DiGraph, path: list[str]) -> int:
    return sum(D[a][b]["cost"] for a, b in zip(path, path[1:]))


def referral_paths(
    G: nx.MultiDiGraph,
    need: str,
    source: str | None = None,
    k: int = 3,
    open_at: str | None = None,
    limit: int | None = None,
    D: nx.DiGraph | None = None,
) -> dict:
    """Paths from the team (or ``source``) to every service that meets ``need``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The stakeholder graph.
    need : str
        One of the needs (``vocab.NEEDS``).
    source : str, optional
        Where referrals start; default the program's team.
    k : int
        How many paths to list per service, in all: the best and up to ``k - 1`` alternatives.
    open_at : str, optional
        ``HH:MM``: report whether each service is open then (on any day of the week); ``open`` is None
        (unknown, never "closed") for a service whose hours are unknown or open then on some weeks only.
    limit : int, optional
        List only the best ``limit`` services (all when None).
    D : networkx.DiGraph, optional
        A referral graph already built by :func:`referral_graph` (to reuse across needs).

    Returns
    -------
    dict
        ``need``, ``from``, ``open_at`` and ``providers``: one entry per service (reachable ones first,
        then open ones, then cheapest) with ``service``, ``name``, ``organizations``, ``hours``,
        ``open``, ``reachable``, ``cost``, ``paths`` (each ``{"path": [ids], "cost": n}``) and
        ``disjoint_paths`` (independent routes: how many share no intermediate stakeholder).
    """
    if need not in NEEDS:
        raise DataError(Problem("need", None, None, f"unknown need {need!r}; use one of {', '.join(NEEDS)}"))
    program = G.graph.get("program")
    source = source or getattr(program, "team", None)
    if not source or source not in G:
        what = (
            f"{source!r} is not a stakeholder id"
            if source
            else "no responder team in the data: give the id to start from"
        )
        raise DataError(Problem("source", None, None, what))
    if open_at is not None:
        try:
            is_open("24/7", open_at)
            is_open("daily 00:00-01:00", open_at)
        except ValueError:
            raise DataError(Problem("open_at", None, None, f"{open_at!r} is not a time written HH:MM")) from None
    D = D if D is not None else referral_graph(G)
    services = service_providers(G, need)
    costs = _costs(D, source, list(services))
    providers = []
    for service, organizations in services.items():
        attrs = G.nodes[service]
        entry = {
            "service": service,
            "name": attrs.get("name", service),
            "organizations": organizations,
            "hours": attrs.get("hours"),
            "open": is_open(attrs.get("hours"), open_at) if open_at else None,
            "reachable": service in costs,
            "cost": costs.get(service),
            "paths": [],
            "disjoint_paths": 0,
        }
        providers.append(entry)
    providers.sort(
        key=lambda p: (
            not p["reachable"],
            p["open"] is False,
            p["cost"] if p["cost"] is not None else 1e9,
            p["service"],
        )
    )
    providers = providers[:limit] if limit is not None else providers
    for entry in providers:
        service = entry["service"]
        if entry["reachable"] and service != source:
            paths = islice(nx.shortest_simple_paths(D, source, service, weight="cost"), k)
            entry["paths"] = [{"path": p, "cost": _path_cost(D, p)} for p in paths]
            entry["disjoint_paths"] = _disjoint(D, source, service)
    return {"need": need, "from": source, "open_at": open_at, "providers": providers}


def _costs(D: nx.DiGraph, source: str, targets: list[str]) -> dict[str, int]:
    """The cost of the cheapest path from ``source`` to each of ``targets`` it reaches (one Dijkstra).

    Run by igraph on its copy of D when every step costs a whole number (as from a dataset: the sums are
    exact, so the costs are NetworkX's); else by NetworkX.
    """
    g, index = _igraph_of(D)
    if not D.graph["_integer_costs"]:
        found = nx.single_source_dijkstra_path_length(D, source, weight="cost")
        return {t: found[t] for t in targets if t in found}
    found = g.distances(index[source], [index[t] for t in targets], weights="cost", mode="out")[0]
    return {t: int(c) for t, c in zip(targets, found) if c != float("inf")}


def _disjoint(D: nx.DiGraph, source: str, target: str) -> int:
    """Routes from source to target that share no intermediate stakeholder (a direct tie counts as one).

    Vertex connectivity in igraph (the igraph copy of D is made once per referral graph).
    """
    g, index = _igraph_of(D)
    s, t = index[source], index[target]
    direct = 1 if D.has_edge(source, target) else 0
    return direct + g.vertex_connectivity(s, t, neighbors="ignore")


def _igraph_of(D: nx.DiGraph):
    """The igraph copy of a referral graph, with ``cost`` on its edges, made once per referral graph."""
    if "_igraph" not in D.graph:
        g, nodes = to_igraph(D, "cost")
        D.graph["_integer_costs"] = all(isinstance(c, int) for c in g.es["cost"]) if g.ecount() else True
        D.graph["_igraph"] = (g, {node: i for i, node in enumerate(nodes)})
    return D.graph["_igraph"]


def paths_text(result: dict, G: nx.MultiDiGraph | None = None, width: int = 80) -> str:
    """Referral paths as plain text."""
    import textwrap

    names = {n: a.get("name", n) for n, a in G.nodes(data=True)} if G is not None else {}
    wrap = textwrap.TextWrapper(width=width, subsequent_indent="      ")
    lines = [
        f"Referral paths for {result['need']} from {names.get(result['from'], result['from'])}"
        + (f", open at {result['open_at']}" if result["open_at"] else "")
    ]
    if not result["providers"]:
        lines.append("  no service in the network meets this need")
    for p in result["providers"]:
        status = "reachable" if p["reachable"] else "NOT reachable by referral"
        if result["open_at"]:
            status += {True: ", open", False: ", closed", None: ", open or closed: hours unknown"}[p["open"]]
        lines += wrap.wrap(
            f"  {p['name']} [{p['service']}] ({status}; hours {p['hours'] or 'unknown'}; "
            f"{p['disjoint_paths']} independent route(s))"
        )
        for i, path in enumerate(p["paths"]):
            label = "best" if i == 0 else f"alt {i}"
            lines += wrap.wrap(
                f"    {label} (cost {path['cost']}): " + " -> ".join(names.get(n, n) for n in path["path"])
            )
    return "\n".join(lines)
