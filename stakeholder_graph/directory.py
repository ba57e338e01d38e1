"""A service directory as the program's potential network: who is in it and not yet connected.

An imported Open Referral (211) directory lists every organization and service of a region; most have
no tie to the program yet, and for a directory that is the normal state, not a gap. A stakeholder that
came from a directory (it has an ``hsds_id``, kept when a directory is merged into a dataset) and has
no path of relationships to the responder team (any relationship, either direction) is *not yet
connected*: the report counts and lists them (``report["not_yet_connected"]``), the outreach plan
starts from them, and the ``isolated`` gaps leave them out. Without a team, every directory
stakeholder is not yet connected.
"""

from __future__ import annotations

import networkx as nx

from .vocab import NEEDS, SECTORS

__all__ = ["directory_nodes", "not_yet_connected_ids", "not_yet_connected", "not_yet_connected_text"]


def directory_nodes(G: nx.MultiDiGraph) -> set[str]:
    """Stakeholders that came from a service directory (they have an ``hsds_id``)."""
    return {n for n, hsds_id in G.nodes(data="hsds_id") if hsds_id}


def not_yet_connected_ids(G: nx.MultiDiGraph) -> set[str]:
    """Directory stakeholders with no path of relationships to the responder team."""
    directory = directory_nodes(G)
    program = G.graph.get("program")
    team = getattr(program, "team", None)
    if not directory or not team or team not in G:
        return directory
    return directory - nx.node_connected_component(G.to_undirected(as_view=True), team)


def not_yet_connected(G: nx.MultiDiGraph) -> dict:
    """The not-yet-connected directory stakeholders, as data for reports and the outreach plan.

    Returns
    -------
    dict
        ``count`` ({"organizations": n, "services": n, "other": n}), ``organizations`` (each ``id``,
        ``name``, ``sector``, ``sector_source``, ``services``: how many of its services are listed, and
        ``hsds_id``; by sector in the vocabulary's order, ``other`` last, then name) and ``services``
        (each ``id``, ``name``, ``needs``, ``hours``, ``providers`` and ``hsds_id``; by first need, then
        name). ``other`` counts stakeholders of other kinds.
    """
    ids = not_yet_connected_ids(G)
    providers: dict[str, list[str]] = {}
    provided: dict[str, int] = {}
    for u, v, kind in G.edges(keys=True):
        if kind == "provides" and v in ids:
            providers.setdefault(v, []).append(u)
            provided[u] = provided.get(u, 0) + 1
    organizations, services, other = [], [], 0
    for node in ids:
        attrs = G.nodes[node]
        kind = attrs.get("kind")
        if kind == "organization":
            organizations.append(
                {
                    "id": node,
                    "name": attrs.get("name", node),
                    "sector": attrs.get("sector"),
                    "sector_source": attrs.get("sector_source"),
                    "services": provided.get(node, 0),
                    "hsds_id": attrs.get("hsds_id"),
                }
            )
        elif kind == "service":
            services.append(
                {
                    "id": node,
                    "name": attrs.get("name", node),
                    "needs": list(attrs.get("needs", [])),
                    "hours": attrs.get("hours"),
                    "providers": sorted(providers.get(node, [])),
                    "hsds_id": attrs.get("hsds_id"),
                }
            )
        else:
            other += 1
    sector_order = {s: i for i, s in enumerate(SECTORS)}
    need_order = {n: i for i, n in enumerate(NEEDS)}
    organizations.sort(key=lambda e: (sector_order.get(e["sector"], len(SECTORS)), e["name"], e["id"]))
    services.sort(key=lambda e: (need_order.get((e["needs"] or ["~"])[0], len(NEEDS)), e["name"], e["id"]))
    return {
        "count": {"organizations": len(organizations), "services": len(services), "other": other},
        "organizations": organizations,
        "services": services,
    }


def not_yet_connected_text(data: dict) -> str | None:
    """One sentence for a report; None when nothing is waiting."""
    count = data["count"]
    if not (count["organizations"] or count["services"] or count["other"]):
        return None
    parts = [f"{count['organizations']:,} directory organization(s)", f"{count['services']:,} service(s)"]
    if count["other"]:
        parts.append(f"{count['other']:,} other stakeholder(s)")
    return (
        f"Not yet connected: {', '.join(parts[:-1])} and {parts[-1]} from the service directory have no tie to "
        "the program yet. They are its potential network, not gaps (listed in the JSON report as "
        "not_yet_connected)."
    )
