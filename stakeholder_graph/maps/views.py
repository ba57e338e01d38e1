"""What one map draws: the whole network, an ego network, a need's referral paths or a community; and
which stakeholders carry the credible-messenger and broker marks."""

from __future__ import annotations

import math

import networkx as nx

from .._ties import communities_of, priority_communities
from ..errors import DataError, Problem
from ..messengers import community_messengers
from ..vocab import NEEDS
from .style import _label

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
    chosen = [name for name, value in (("focus", focus), ("need", need), ("community", community)) if value]
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
            raise DataError(Problem("focus", None, None, f"no stakeholder has the id {focus!r}"))
        if depth < 1:
            raise DataError(Problem("depth", None, None, f"depth must be 1 or more, not {depth}"))
        keep = set(nx.ego_graph(G.to_undirected(as_view=True), focus, radius=depth))
        result.update(
            mode="focus",
            nodes=[n for n in G if n in keep],
            edges=[e for e in all_edges if e[0] in keep and e[1] in keep],
            view_marks={focus: ["focus"]},
            caption=f"{name(focus)} and the stakeholders within {depth} step{'s' if depth != 1 else ''}.",
        )
    elif need:
        from ..referrals import referral_paths

        if need not in NEEDS:
            raise DataError(Problem("need", None, None, f"unknown need {need!r}; use one of {', '.join(NEEDS)}"))
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
                    "community",
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
        # the community's credible messengers by its residents' own trust, as in the report
        messengers = [p["id"] for p in community_messengers(G, community)["messengers"]]
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
                f"{'s' if len(messengers) != 1 else ''} (people its residents trust, with trusted ties beyond it)."
            ),
        )
    return result


def _bridges(G: nx.MultiDiGraph, exact: bool | None = None) -> list[dict]:
    """The broker ranking a map marks, with the maps' smaller budget for the all-sources pass (the report's
    own ranking when it was computed first); weighted betweenness is not needed (the score does not use
    it)."""
    from ..allpaths import MAP_BUDGET
    from ..bridges import bridges

    return bridges(G, weighted=False, exact=exact, budget=MAP_BUDGET)


def _messengers(rows: list[dict]) -> list[str]:
    """Stakeholders marked as credible messengers: every one, by their communities' residents' trust
    (``messengers.community_messengers``), as the report lists them."""
    return [r["id"] for r in rows if r.get("credible_messenger")]


def _brokers(rows: list[dict], n: int) -> list[str]:
    """Stakeholders marked as brokers: the ``k = max(10, sqrt(n))`` best broker scores (or, without
    scores, the ``k`` highest betweenness) among people and organizations."""
    k = max(10, math.ceil(math.sqrt(n)))
    rows = [r for r in rows if r.get("kind", "person") in ("person", "organization")]
    if rows and rows[0].get("score") is None:
        rows = sorted(rows, key=lambda r: (-(r.get("betweenness") or 0), r["id"]))
    return [r["id"] for r in rows[:k]]
