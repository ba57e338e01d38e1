"""Credible messengers and community trust, measured from the residents' side.

A program's trust in a community is what the community's own residents say, not what the network's
structure suggests. Everything here starts from the residents of a community: the people whose
``community`` cell names it or who are a (current) ``member_of`` it.

- **Trust from residents.** A resident's trust in a person is the largest ``trust`` of the current
  relationships from the resident to that person, of any type; an undirected type (``partners_with``,
  ``communicates_with``) counts both ways, a directed one (``trusts``, ``refers_to``...) only from its
  source. A relationship with no trust given says nothing either way and is left out. The community's own
  node counts as one more voice (a ``communicates_with`` between a police liaison and the community at
  trust 2 is the community's word on him).
- **Credible messenger** of a priority community: a person whom at least ``messenger_min_residents``
  residents trust (trust ``min_trust`` or more; all residents when there are fewer), whose ties from the
  residents average ``min_trust`` or more (a person the residents distrust is never their messenger,
  whatever their other ties), and who has trusted ties outward (trust ``min_trust`` or more, either
  direction): to the responder team or one of its members, or to stakeholders of the program's expected
  sectors outside the community (not residents, and not the community's own organizations: those that
  are a ``member_of`` it, or whose members are all its residents and which have no trusted tie to the
  team, such as a storefront church or a neighborhood association). *Score*: the residents who trust them times
  (1 + the expected sectors reached + 1 for the team).
- **Trusted voices**: people the residents trust in the same way who have no trusted tie outward yet (the
  first people to connect to the team). **Not trusted**: people with trusted ties outward whose ties from
  the residents average below ``min_trust``: structure may call them bridges, the residents do not.
- **Community trust**: the share of residents with a *trusted route* to the team: a chain of ties from
  the resident, each step trusted (``min_trust`` or more) by the one taking it, ending at the team or a
  team member. Organizations are steps like people (residents reach the team through the organizations
  they are members of); community nodes are not (a neighborhood is not a person who passes trust on).
  The stakeholders those routes *depend on* are found with the dominator tree of the trusted network
  (Cooper, Harvey and Kennedy's algorithm, :func:`networkx.immediate_dominators`): ``d`` carries a
  resident's routes when every trusted route of that resident passes through ``d``.

Thresholds come from ``program.toml`` (``min_trust``, ``messenger_min_residents``, ``min_trusted_share``,
``max_dependence``; see docs/data-format.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from statistics import fmean

import networkx as nx

from ._bulk import add_ties
from ._ties import _actor_edges, actors, current, memberships, memo, priority_communities, tie_digraph
from .program import Program
from .vocab import UNDIRECTED_EDGE_TYPES

__all__ = [
    "residents",
    "trust_toward",
    "team_side",
    "community_messengers",
    "community_trust",
    "messengers",
    "credible_messengers",
    "introductions",
    "introducers",
    "shortest_route",
    "trusted_network",
    "people_text",
    "messengers_text",
]

_ROOT = "\0team"


def _program(G: nx.MultiDiGraph) -> Program:
    return G.graph.get("program") or Program()


def _name(G: nx.MultiDiGraph, node: str) -> str:
    return G.nodes[node].get("name", node)


def _values(G: nx.MultiDiGraph, name: str) -> dict[str, object]:
    """Every stakeholder's ``name`` attribute (None when absent), looked up once per graph: a dict is
    several times faster to read than ``G.nodes[node]`` in the loops over every tie."""
    return memo(G, ("values", name), lambda: dict(G.nodes(data=name)))


def _residents_by_community(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    def build():
        # every person's communities (their cell and their current member_of), those that are stakeholders
        # of kind community
        kind_of = _values(G, "kind")
        found: dict[str, set[str]] = defaultdict(set)
        for node, communities in memberships(G).items():
            if kind_of[node] == "person":
                for community in communities:
                    if kind_of.get(community) == "community":
                        found[community].add(node)
        return dict(found)

    return memo(G, ("residents",), build)


def _own(G: nx.MultiDiGraph, community: str) -> set[str]:
    """A community's own stakeholders: itself, its residents and its own organizations (a ``member_of`` it,
    or all of whose members are its residents and which have no trusted tie to the team)."""

    def build():
        H = current(G)
        kind_of = _values(G, "kind")
        by_community = _residents_by_community(G)
        members: dict[str, set[str]] = defaultdict(set)
        own: dict[str, set[str]] = defaultdict(set)
        for u, row in H._succ.items():  # networkx's own adjacency, read-only (H.edges wraps every tie)
            for v, keyed in row.items():
                if "member_of" not in keyed:
                    continue
                if kind_of[v] == "organization":
                    if kind_of[u] == "person":
                        members[v].add(u)
                elif kind_of[v] == "community":
                    own[v].add(u)
        trusted = trusted_network(G, directed=False)
        side = team_side(G)
        for org, people in members.items():
            if any(other in side for other in trusted.adj[org]):
                continue  # a trusted tie to the team: it reaches beyond any one community
            for c, homes in by_community.items():
                if people <= homes:
                    own[c].add(org)
        return {c: own[c] | homes | {c} for c, homes in by_community.items()}

    return memo(G, ("own",), build).get(community, {community})


def residents(G: nx.MultiDiGraph, community: str) -> set[str]:
    """The people whose ``community`` cell names ``community`` or who are a current ``member_of`` it."""
    return set(_residents_by_community(G).get(community, ()))


def trust_toward(G: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """``trust[u][v]``: how much ``u`` trusts ``v``, the largest ``trust`` of the current relationships
    from ``u`` to ``v`` between stakeholders (not engagements); undirected types count both ways.
    Relationships without a trust are left out. Computed once per graph: do not change it."""

    def build():
        trust: dict[str, dict[str, int]] = defaultdict(dict)
        for u, v, kind, _, _, t in _actor_edges(G):  # current relationships between actors, trust as given
            if not t:
                continue
            pairs = ((u, v), (v, u)) if kind in UNDIRECTED_EDGE_TYPES else ((u, v),)
            for a, b in pairs:
                if trust[a].get(b, 0) < t:
                    trust[a][b] = t
        return dict(trust)

    return memo(G, ("trust_toward",), build)


def team_side(G: nx.MultiDiGraph) -> set[str]:
    """The responder team and its members (current ``member_of`` the team); empty without a team."""
    team = _program(G).team
    if not team or team not in G:
        return set()
    H = current(G)
    return {team} | {u for u, _, kind in H.in_edges(team, keys=True) if kind == "member_of"}


def _reach(
    G: nx.MultiDiGraph, person: str, trusted: nx.Graph, own: set[str], side: set[str], expected: set[str]
) -> tuple[bool, list[str]]:
    """Whether a person has a trusted tie (either direction) to the team side, and the expected sectors
    their trusted ties reach outside the community (not in ``own``)."""
    team, sectors = False, set()
    sector_of = _values(G, "sector")
    for other in trusted.adj[person]:
        if other in side:
            team = True
        elif other not in own and sector_of[other] in expected:
            sectors.add(sector_of[other])
    return team, sorted(sectors)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _reach_text(G: nx.MultiDiGraph, entry: dict) -> str:
    parts = (["the team"] if entry["team"] else []) + [s.replace("_", " ") for s in entry["sectors"]]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def community_messengers(G: nx.MultiDiGraph, community: str) -> dict:
    """Who a community's residents trust: its credible messengers, trusted voices and the people they do not trust.

    Computed once per graph: do not change the result.

    Returns
    -------
    dict
        ``residents`` (ids, sorted), ``messengers`` (credible messengers, best score first),
        ``trusted_voices`` (trusted by the residents, no trusted tie outward yet; most trusted first) and
        ``not_trusted`` (trusted ties outward, ties from the residents averaging below ``min_trust``;
        lowest average first). Each person: ``id``, ``name``, ``sector``, ``resident`` (bool),
        ``trusted_by`` (the residents who trust them, sorted), ``residents`` (the residents but
        themselves), ``share`` (of them who trust them), ``mean_trust`` (of the residents' ties, 2
        decimals), ``community_trust`` (the community node's own trust in them, or None), ``team``
        (bool: a trusted tie to the team or a team member), ``sectors`` (expected sectors reached
        outside the community), ``score`` (``len(trusted_by) * (1 + len(sectors) + team)``; 0 for
        anyone who is not a credible messenger) and ``why`` (plain words).
    """
    return memo(G, ("community_messengers", community), lambda: _community_messengers(G, community))


def _community_messengers(G: nx.MultiDiGraph, community: str) -> dict:
    """The body of :func:`community_messengers`."""
    program = _program(G)
    t_min = program.min_trust
    people = _residents_by_community(G).get(community, set())
    trust = trust_toward(G)
    side = team_side(G)
    trusted_ties = trusted_network(G, directed=False)
    own = _own(G, community)
    expected = set(program.expected_sectors)
    kind_of = _values(G, "kind")
    ties: dict[str, dict[str, int]] = defaultdict(dict)
    for resident in people:
        for other, t in trust.get(resident, {}).items():
            if other != resident and kind_of[other] == "person":
                ties[other][resident] = t
    from_community = {o: t for o, t in trust.get(community, {}).items() if kind_of[o] == "person"}
    for other in from_community:
        ties.setdefault(other, {})
    label = _name(G, community)
    found = {"messengers": [], "trusted_voices": [], "not_trusted": []}
    for person, by in ties.items():
        voices = list(by.values()) + ([from_community[person]] if person in from_community else [])
        others = len(people) - (person in people)  # the residents but them
        trusted_by = [r for r, t in by.items() if t >= t_min]
        mean = fmean(voices)
        needed = max(1, min(program.messenger_min_residents, others))
        if not (mean >= t_min and len(trusted_by) >= needed or mean < t_min and len(by) >= needed):
            continue  # in none of the three lists, whatever their ties reach
        trusted_by.sort()
        team, sectors = _reach(G, person, trusted_ties, own, side, expected)
        entry = {
            "id": person,
            "name": _name(G, person),
            "sector": G.nodes[person].get("sector"),
            "resident": person in people,
            "trusted_by": trusted_by,
            "residents": others,
            "share": round(len(trusted_by) / others, 4) if others else None,
            "mean_trust": round(mean, 2),
            "community_trust": from_community.get(person),
            "team": team,
            "sectors": sectors,
            "score": 0,
            "why": "",
        }
        reaches = team or bool(sectors)
        trusted_by_text = f"{len(trusted_by)} of {others} {label} residents"
        if mean >= t_min and len(trusted_by) >= needed:
            if reaches:
                entry["score"] = len(trusted_by) * (1 + len(sectors) + team)
                entry["why"] = (
                    f"Trusted (trust {t_min}+) by {trusted_by_text} (their ties average {mean:.1f}); "
                    f"trusted ties to {_reach_text(G, entry)}."
                )
                found["messengers"].append(entry)
            else:
                entry["why"] = (
                    f"Trusted (trust {t_min}+) by {trusted_by_text} (their ties average {mean:.1f}), "
                    "but no trusted tie to the team or beyond the community yet."
                )
                found["trusted_voices"].append(entry)
        elif mean < t_min and reaches and len(by) >= needed:
            entry["why"] = (
                f"{label} residents' ties to them average trust {mean:.1f} ({_plural(len(voices), 'tie')}): "
                f"not a messenger of {label}, whatever their trusted ties to {_reach_text(G, entry)}."
            )
            found["not_trusted"].append(entry)
    found["messengers"].sort(key=lambda e: (-e["score"], -len(e["trusted_by"]), -e["mean_trust"], e["id"]))
    found["trusted_voices"].sort(key=lambda e: (-len(e["trusted_by"]), -e["mean_trust"], e["id"]))
    found["not_trusted"].sort(key=lambda e: (e["mean_trust"], e["id"]))
    return {"residents": sorted(people), **found}


def trusted_network(G: nx.MultiDiGraph, directed: bool = True) -> nx.DiGraph | nx.Graph:
    """The trusted ties: ``u -> v`` when ``u`` trusts ``v`` at ``min_trust`` or more (:func:`trust_toward`);
    undirected, a pair either of whom trusts the other so. Every stakeholder but engagements is a node.
    Computed once per graph: do not change it."""

    def build():
        t_min = _program(G).min_trust
        H = nx.DiGraph() if directed else nx.Graph()
        H.add_nodes_from(actors(G))
        add_ties(H, ((u, v) for u, row in trust_toward(G).items() for v, t in row.items() if t >= t_min))
        return H

    return memo(G, ("trusted_network", directed), build)


def _route_network(G: nx.MultiDiGraph) -> nx.DiGraph:
    """The trusted network residents' routes run on: directed trusted ties, no community nodes.

    A read-only view of :func:`trusted_network` (copying its hundreds of thousands of ties into a graph
    of its own cost more than every route search run on the view)."""

    def build():
        kind_of = _values(G, "kind")
        return nx.subgraph_view(trusted_network(G), filter_node=lambda n: kind_of[n] != "community")

    return memo(G, ("route_network",), build)


def _dominators(G: nx.MultiDiGraph) -> dict[str, str]:
    """Immediate dominators of every stakeholder with a trusted route to the team side, towards it.

    The dominator tree of the reversed route network from a root joined to the team side (igraph's
    Lengauer-Tarjan, :meth:`igraph.Graph.dominator`; the same tree as :func:`networkx.immediate_dominators`).
    """

    def build():
        import igraph

        side = team_side(G)
        if not side:
            return {}
        T = trusted_network(G)  # the route network's ties, read without its view's filter
        kind_of = _values(G, "kind")
        nodes = [_ROOT, *(n for n in T if kind_of[n] != "community")]
        index = {node: i for i, node in enumerate(nodes)}
        edges = [(index[v], index[u]) for u, v in T.edges() if u in index and v in index]
        edges += [(0, index[s]) for s in sorted(side) if s in index]
        tree = igraph.Graph(n=len(nodes), edges=edges, directed=True).dominator(0, mode="out")
        return {
            nodes[i]: nodes[d] if d >= 0 else _ROOT
            for i, d in enumerate(tree)
            if i and d == d  # NaN: no trusted route
        }

    return memo(G, ("dominators",), build)


def shortest_route(T: nx.DiGraph, sources: set[str], targets: set[str]) -> list[str] | None:
    """Fewest-steps route from any source to any target (breadth first, sources in sorted order)."""
    starts = sorted(s for s in sources if s in T)
    parent = {s: None for s in starts}
    frontier = starts
    while frontier:
        nxt = []
        for node in frontier:
            if node in targets:
                path = [node]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])
                return path[::-1]
            for other in sorted(T.succ[node]):
                if other not in parent:
                    parent[other] = node
                    nxt.append(other)
        frontier = nxt
    return None


def community_trust(G: nx.MultiDiGraph, community: str) -> dict:
    """How many of a community's residents have a trusted route to the team, and whom those routes depend on.

    Returns
    -------
    dict
        ``residents`` (number), ``reached`` (ids of residents with a trusted route, sorted), ``share``
        (reached / residents, None without residents), ``depends_on`` (``[{"id", "name", "residents"}]``: the
        stakeholders that every trusted route of some reached residents passes through, with how many
        such residents, most first), ``trusted_path`` (a shortest trusted route from a resident, or
        None), and when nobody is reached ``best_path``, ``best_path_weakest_trust`` (the route with the
        highest weakest trust below ``min_trust``, fewest steps) or None.
    """
    program = _program(G)
    people = _residents_by_community(G).get(community, set())
    side = team_side(G)
    idom = _dominators(G)
    reached = sorted(p for p in people if p in idom)
    carried: Counter = Counter()
    for person in reached:
        d = idom[person]
        while d != _ROOT and d not in side:
            carried[d] += 1
            d = idom[d]
    result = {
        "residents": len(people),
        "reached": reached,
        "share": round(len(reached) / len(people), 4) if people else None,
        "depends_on": [
            {"id": n, "name": _name(G, n), "residents": c}
            for n, c in sorted(carried.items(), key=lambda x: (-x[1], x[0]))
        ],
        "trusted_path": shortest_route(_route_network(G), set(reached), side) if reached else None,
        "best_path": None,
        "best_path_weakest_trust": None,
    }
    if not reached and people and side:
        for level in range(program.min_trust - 1, 0, -1):
            T = tie_digraph(G, min_trust=level)
            T = T.subgraph(n for n in T if G.nodes[n].get("kind") != "community")
            path = shortest_route(T, people, side)
            if path:
                result["best_path"] = path
                result["best_path_weakest_trust"] = min(T[a][b]["trust"] for a, b in zip(path, path[1:]))
                break
    return result


def messengers(G: nx.MultiDiGraph) -> list[dict]:
    """Each priority community, its residents' trust in the team and the people its residents trust.

    One entry per priority community (by id): ``community``, ``name``, the keys of
    :func:`community_trust` and of :func:`community_messengers` (``residents`` is the number of residents).
    """
    out = []
    for community in priority_communities(G):
        people = community_messengers(G, community)
        trust = community_trust(G, community)
        out.append(
            {
                "community": community,
                "name": _name(G, community),
                **trust,
                "messengers": people["messengers"],
                "trusted_voices": people["trusted_voices"],
                "not_trusted": people["not_trusted"],
            }
        )
    return out


def credible_messengers(G: nx.MultiDiGraph) -> dict[str, dict]:
    """Per stakeholder (not engagements): whether they are a credible messenger of a priority community.

    ``credible_messenger`` (bool), ``priority_communities`` (the communities whose messenger they are,
    sorted), ``score`` (their best score there), ``sectors`` (expected sectors reached) and ``team``
    (bool). The definition is :func:`community_messengers`'s.
    """
    result = {
        n: {"credible_messenger": False, "score": 0, "priority_communities": [], "sectors": [], "team": False}
        for n in actors(G)
    }
    for community in priority_communities(G):
        for entry in community_messengers(G, community)["messengers"]:
            row = result[entry["id"]]
            row["credible_messenger"] = True
            row["priority_communities"].append(community)
            row["score"] = max(row["score"], entry["score"])
            row["sectors"] = sorted(set(row["sectors"]) | set(entry["sectors"]))
            row["team"] = row["team"] or entry["team"]
    return result


def introductions(G: nx.MultiDiGraph, person: str, min_trust: int | None = None) -> list[dict]:
    """Stakeholders ``person`` can introduce to the team: their trusted contacts with no tie to the team yet.

    The same as the Cypher query ``introductions``: contacts joined to ``person`` by a current
    relationship of trust ``min_trust`` (default the program's) or more, in either direction, that are
    neither the team, an engagement nor a service and have no current relationship with the team.

    Returns
    -------
    list of dict
        ``id``, ``name``, ``kind``, ``sector`` and ``trust`` (the largest trust between them), highest
        trust first, then id.
    """
    program = _program(G)
    min_trust = program.min_trust if min_trust is None else min_trust
    H = current(G)
    if person not in H:
        return []
    team = program.team
    best: dict[str, int] = {}
    for u, v, attrs in list(H.out_edges(person, data=True)) + list(H.in_edges(person, data=True)):
        other = v if u == person else u
        t = attrs.get("trust") or 0
        if t >= min_trust and best.get(other, 0) < t:
            best[other] = t
    tied_to_team = set(nx.all_neighbors(H, team)) if team in H else set()
    rows = [
        {"id": o, "name": _name(G, o), "kind": H.nodes[o].get("kind"), "sector": H.nodes[o].get("sector"), "trust": t}
        for o, t in best.items()
        if o != team and o not in tied_to_team and H.nodes[o].get("kind") not in ("engagement", "service")
    ]
    return sorted(rows, key=lambda r: (-r["trust"], r["id"]))


def introducers(G: nx.MultiDiGraph, person: str) -> list[dict]:
    """Who could introduce ``person`` to the team: people trusted by both sides.

    An introducer is trusted (``min_trust`` or more) by ``person`` and by the team or one of its members.
    Empty when ``person`` already has a trusted tie to the team side, or nobody is trusted by both.

    Returns
    -------
    list of dict
        ``id``, ``name`` and ``trust`` (the lower of the two sides' trust), most trusted first, then id.
    """
    t_min = _program(G).min_trust
    trust = trust_toward(G)
    side = team_side(G)
    mine = trust.get(person, {})
    if not side or person in side or any(mine.get(s, 0) >= t_min for s in side):
        return []
    rows = []
    for other, t in mine.items():
        if t < t_min or other in side or G.nodes[other].get("kind") not in ("person", "organization"):
            continue
        theirs = max((trust.get(s, {}).get(other, 0) for s in side), default=0)
        if theirs >= t_min:
            rows.append({"id": other, "name": _name(G, other), "trust": min(t, theirs)})
    return sorted(rows, key=lambda r: (-r["trust"], r["id"]))


def people_text(people: list[dict], limit: int = 5) -> str:
    """``Keisha Morgan (10 of 19), ... and 3 more``: people and how many residents trust them; ``none``."""
    shown = [f"{p['name']} ({len(p['trusted_by'])} of {p['residents']})" for p in people[:limit]]
    more = f" and {len(people) - limit} more" if len(people) > limit else ""
    return ", ".join(shown) + more if shown else "none"


def messengers_text(entries: list[dict], width: int = 80) -> str:
    """The :func:`messengers` entries as plain text, one block per priority community."""
    import textwrap

    wrap = textwrap.TextWrapper(width=width, initial_indent="  ", subsequent_indent="      ")
    lines = ["Credible messengers of priority communities (trusted by their residents)"]
    if not entries:
        lines.append("  (no priority community)")
    for e in entries:
        share = "-" if e["share"] is None else f"{e['share']:.0%}"
        lines += ["", f"{e['name']} [{e['community']}]"]
        lines += wrap.wrap(
            f"trusted route to the team: {len(e['reached'])} of {e['residents']} residents ({share})"
            + (
                f"; {e['depends_on'][0]['residents']} of them depend on {e['depends_on'][0]['name']}"
                if e["depends_on"]
                else ""
            )
        )
        lines += wrap.wrap("messengers: " + people_text(e["messengers"]))
        lines += wrap.wrap("trusted, not yet connected: " + people_text(e["trusted_voices"]))
        if e["not_trusted"]:
            lines += wrap.wrap(
                "not trusted by residents: "
                + ", ".join(f"{p['name']} (average trust {p['mean_trust']:.1f})" for p in e["not_trusted"][:5])
            )
    return "\n".join(lines)
