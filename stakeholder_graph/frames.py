"""The analyses as pandas DataFrames, for notebooks: one row per gap, per referral path, per broker and
per credible messenger. Each function runs the analysis the command line runs and flattens its result
(the JSON form, documented in docs/json-output.md) into columns; ids stay ids and names are added
beside them. Nothing here prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["gaps_frame", "paths_frame", "brokers_frame", "messengers_frame"]

_BROKERAGE = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison", "total")


def _name(G: nx.MultiDiGraph, node) -> str | None:
    return G.nodes[node].get("name", node) if isinstance(node, str) and node in G else None


def gaps_frame(G: nx.MultiDiGraph, *, gaps: list[dict] | None = None) -> pd.DataFrame:
    """The engagement gaps, most severe first, one row each.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A stakeholder graph (:func:`stakeholder_graph.open_source`).
    gaps : list of dict, optional
        ``find_gaps(G)`` when already computed (for instance ``build_report(G)["gaps"]``).

    Returns
    -------
    pandas.DataFrame
        Columns ``severity`` (high, medium, low), ``kind``, ``check``, ``subject`` (an id, a sector or a
        need), ``subject_name``, ``message``, ``recommendation``, ``evidence`` (a dict) and ``id``.
    """
    import pandas as pd

    from .gaps import find_gaps

    rows = [
        {
            "severity": gap["severity"],
            "kind": gap["kind"],
            "check": gap.get("check"),
            "subject": gap.get("subject"),
            "subject_name": _name(G, gap.get("subject")),
            "message": gap["message"],
            "recommendation": gap.get("recommendation", ""),
            "evidence": gap.get("evidence") or {},
            "id": gap["id"],
        }
        for gap in (find_gaps(G) if gaps is None else gaps)
    ]
    columns = ["severity", "kind", "check", "subject", "subject_name", "message", "recommendation", "evidence", "id"]
    return pd.DataFrame(rows, columns=columns)


def paths_frame(
    G: nx.MultiDiGraph, need: str, *, source: str | None = None, k: int = 3, open_at: str | None = None
) -> pd.DataFrame:
    """Referral paths from the responder team (or ``source``) to every service meeting ``need``.

    One row per path (up to ``k`` per service, cheapest first), and one row with no path for a service the
    team cannot reach by referral. The cost of a step is ``1 + (4 - strength) + (4 - trust)``.

    Returns
    -------
    pandas.DataFrame
        Columns ``service``, ``service_name``, ``reachable``, ``open`` (at ``open_at``; None without it),
        ``hours``, ``rank`` (1 = the cheapest path to that service), ``cost``, ``steps``, ``path`` (list of
        ids), ``route`` (the names, joined by arrows) and ``independent_routes`` (paths to the service that
        share no stakeholder).

    Raises
    ------
    DataError
        An unknown ``need`` or ``source``.
    """
    import pandas as pd

    from .referrals import referral_paths

    result = referral_paths(G, need, source=source, k=k, open_at=open_at)
    rows = []
    for provider in result["providers"]:
        base = {
            "service": provider["service"],
            "service_name": provider.get("name"),
            "reachable": provider["reachable"],
            "open": provider.get("open"),
            "hours": provider.get("hours"),
            "independent_routes": provider.get("disjoint_paths"),
        }
        for rank, path in enumerate(provider["paths"], start=1):
            ids = path["path"]
            route = " \u2192 ".join(str(_name(G, n)) for n in ids)
            rows.append(
                {**base, "rank": rank, "cost": path["cost"], "steps": len(ids) - 1, "path": ids, "route": route}
            )
        if not provider["paths"]:
            rows.append({**base, "rank": None, "cost": None, "steps": None, "path": [], "route": ""})
    columns = [
        "service",
        "service_name",
        "reachable",
        "open",
        "hours",
        "rank",
        "cost",
        "steps",
        "path",
        "route",
        "independent_routes",
    ]
    return pd.DataFrame(rows, columns=columns)


def brokers_frame(G: nx.MultiDiGraph, *, top: int | None = None, group_by: str = "sector") -> pd.DataFrame:
    """Stakeholders who connect parts of the network that would otherwise not meet, best first.

    The ``bridges`` ranking (see :mod:`stakeholder_graph.bridges`): betweenness, Gould-Fernandez brokerage
    between sectors or communities (``group_by``), Burt's effective size and constraint, and the
    bridging score that combines them with the credible-messenger score.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``kind``, ``sector``, ``community``, ``score``, ``betweenness``,
        ``betweenness_weighted``, the brokerage roles (``coordinator``, ``itinerant``, ``gatekeeper``,
        ``representative``, ``liaison``, ``total``), ``effective_size``, ``constraint``,
        ``credible_messenger``, ``messenger_score``.
    """
    import pandas as pd

    from .bridges import bridges

    rows = []
    for row in bridges(G, group_by=group_by, top=top):
        flat = {key: value for key, value in row.items() if key != "brokerage"}
        flat.update({role: (row.get("brokerage") or {}).get(role) for role in _BROKERAGE})
        rows.append(flat)
    columns = [
        "id",
        "name",
        "kind",
        "sector",
        "community",
        "score",
        "betweenness",
        "betweenness_weighted",
        *_BROKERAGE,
        "effective_size",
        "constraint",
        "credible_messenger",
        "messenger_score",
    ]
    return pd.DataFrame(rows, columns=columns)


def messengers_frame(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Credible messengers: people of a priority community with trusted ties beyond it, best first.

    A person of a priority community with a trusted tie (trust 3 or more) to a stakeholder of an expected
    sector outside their communities, or to the responder team (see :mod:`stakeholder_graph.bridges`).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``score`` (expected sectors reached, plus 1 for a trusted tie to the
        team), ``priority_communities`` (ids), ``sectors`` (reached), ``team`` (a trusted tie to the team).
    """
    import pandas as pd

    from .bridges import credible_messengers

    rows = [
        {
            "id": node,
            "name": _name(G, node),
            "score": entry["score"],
            "priority_communities": entry["priority_communities"],
            "sectors": entry["sectors"],
            "team": entry["team"],
        }
        for node, entry in credible_messengers(G).items()
        if entry["credible_messenger"]
    ]
    rows.sort(key=lambda r: (-r["score"], str(r["name"]), r["id"]))
    return pd.DataFrame(rows, columns=["id", "name", "score", "priority_communities", "sectors", "team"])
