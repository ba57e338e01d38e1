"""The analyses as pandas DataFrames, for notebooks: one row per gap, per referral path, per broker and
per person a priority community's residents trust. Each function runs the analysis the command line runs and flattens its result
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
    """Brokers: stakeholders who connect parts of the network that would otherwise not meet, best first.

    The network's structure, not trust (see :mod:`stakeholder_graph.bridges`): betweenness, Gould-Fernandez
    brokerage between sectors or communities (``group_by``), Burt's effective size and constraint, and the
    broker score that combines them. Whether a broker is also a credible messenger of a community is a
    column; who the communities trust is :func:`messengers_frame`.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``kind``, ``sector``, ``community``, ``score``, ``betweenness``,
        ``betweenness_weighted``, the brokerage roles (``coordinator``, ``itinerant``, ``gatekeeper``,
        ``representative``, ``liaison``, ``total``), ``effective_size``, ``constraint``,
        ``credible_messenger`` and ``messenger_for`` (the priority communities whose messenger they are).
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
        "messenger_for",
    ]
    return pd.DataFrame(rows, columns=columns)


#: The roles of :func:`messengers_frame`, in its order.
ROLES = ("credible messenger", "trusted voice", "not trusted")


def messengers_frame(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Whom each priority community's residents trust: its credible messengers, and the others they name.

    The community's own word, not the network's structure (see :mod:`stakeholder_graph.messengers`): a
    *credible messenger* is trusted by enough of its residents and has trusted ties to the team or to the
    program's expected sectors outside the community; a *trusted voice* is trusted the same way with no
    such tie yet (the first people to connect to the team); *not trusted* has trusted ties outward but the
    residents' ties to them average below ``min_trust``: not their messenger, whatever their position.

    Returns
    -------
    pandas.DataFrame
        One row per community and person, by community, then role (messengers first), best first:
        ``community``, ``community_name``, ``role`` (one of :data:`ROLES`), ``id``, ``name``, ``sector``,
        ``resident`` (lives in the community), ``trusted_by`` (residents who trust them, trust
        ``min_trust`` or more), ``residents`` (the community's other residents), ``share``, ``mean_trust``
        (of the residents' ties to them), ``team`` (a trusted tie to the team), ``sectors`` (expected
        sectors their trusted ties reach), ``score`` (credible messengers: residents who trust them times
        1 + sectors reached + 1 for the team) and ``why``.
    """
    import pandas as pd

    from .messengers import messengers

    rows = []
    for entry in messengers(G):
        for role, key in zip(ROLES, ("messengers", "trusted_voices", "not_trusted"), strict=True):
            for person in entry[key]:
                rows.append(
                    {
                        "community": entry["community"],
                        "community_name": entry["name"],
                        "role": role,
                        "id": person["id"],
                        "name": person["name"],
                        "sector": person.get("sector"),
                        "resident": person["resident"],
                        "trusted_by": len(person["trusted_by"]),
                        "residents": person["residents"],
                        "share": person["share"],
                        "mean_trust": person["mean_trust"],
                        "team": person["team"],
                        "sectors": person["sectors"],
                        "score": person["score"],
                        "why": person["why"],
                    }
                )
    columns = [
        "community",
        "community_name",
        "role",
        "id",
        "name",
        "sector",
        "resident",
        "trusted_by",
        "residents",
        "share",
        "mean_trust",
        "team",
        "sectors",
        "score",
        "why",
    ]
    return pd.DataFrame(rows, columns=columns)
