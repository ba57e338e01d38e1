"""Engagement gaps: what a community responder program is missing in its stakeholder network.

Each gap is a dict with ``kind``, ``severity`` (high, medium, low), ``subject`` (the sector, method,
community, need or stakeholder it is about), ``message`` (one sentence for a planner), ``evidence``
(the ids and numbers behind it) and ``recommendation``. :func:`find_gaps` runs every check; each
``gaps_*`` function runs one kind. The definitions are in README.md ("gaps").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import networkx as nx

from ._ties import communities_of, priority_communities, tie_graph
from .hours import is_24_7
from .program import Program
from .referrals import referral_graph, service_providers

__all__ = [
    "GAP_KINDS",
    "SEVERITIES",
    "find_gaps",
    "engaged_stakeholders",
    "decision_holders",
    "reference_date",
    "gaps_missing_stakeholder_group",
    "gaps_engagement_method",
    "gaps_representation",
    "gaps_lived_experience_voice",
    "gaps_trust",
    "gaps_service_coverage",
    "gaps_single_point_of_failure",
    "gaps_isolated",
    "gaps_text",
]

GAP_KINDS = (
    "missing_stakeholder_group",
    "engagement_method",
    "representation",
    "lived_experience_voice",
    "trust",
    "service_coverage",
    "single_point_of_failure",
    "isolated",
    "survey_response",
)
SEVERITIES = ("high", "medium", "low")

#: Sectors without which a crisis response cannot be coordinated: missing one is a high-severity gap.
CORE_SECTORS = frozenset(
    {
        "law_enforcement",
        "dispatch_911",
        "ems_fire",
        "mobile_crisis",
        "behavioral_health",
        "lived_experience",
    }
)
#: Needs a crisis line must be able to hand off at any hour.
CRISIS_NEEDS = frozenset({"mental_health_crisis", "overdose", "substance_use", "medical", "domestic_violence"})
#: A community is under-represented when its share among engaged stakeholders is below this ratio of its
#: population share.
REPRESENTATION_RATIO = 0.5
#: Ties of at least this trust count as trusted.
TRUSTED = 3


def _gap(check: str, kind: str, severity: str, subject: str, message: str, evidence: dict, recommendation: str) -> dict:
    return {
        "id": f"{kind}/{check}/{subject}",
        "kind": kind,
        "check": check,
        "severity": severity,
        "subject": subject,
        "message": message,
        "evidence": evidence,
        "recommendation": recommendation,
    }


def _program(G: nx.MultiDiGraph) -> Program:
    return G.graph.get("program") or Program()


def _name(G: nx.MultiDiGraph, node: str) -> str:
    return G.nodes[node].get("name", node)


def engaged_stakeholders(G: nx.MultiDiGraph) -> set[str]:
    """Stakeholders who take part in the program's engagement.

    They participated in an engagement, sit on a decision body, or partner with the responder team; the
    team itself counts as engaged.
    """
    team = _program(G).team
    engaged = {team} if team in G else set()
    for u, v, kind in G.edges(keys=True):
        if kind in ("participated_in", "sits_on"):
            engaged.add(u)
        elif kind == "partners_with" and team in (u, v):
            engaged.add(v if u == team else u)
    return engaged


def decision_holders(G: nx.MultiDiGraph) -> set[str]:
    """People with a formal decision role: a ``decision_role`` cell or a ``sits_on`` relationship."""
    holders = {n for n, attrs in G.nodes(data=True) if attrs.get("kind") == "person" and attrs.get("decision_role")}
    holders |= {u for u, _, kind in G.edges(keys=True) if kind == "sits_on" and G.nodes[u].get("kind") == "person"}
    return holders


def reference_date(G: nx.MultiDiGraph) -> dt.date:
    """``as_of`` from program.toml, else the newest date in the data, else today."""
    as_of = _program(G).as_of
    if as_of:
        return dt.date.fromisoformat(as_of)
    dates = [d for _, d in G.nodes(data="date") if d]
    dates += [d for _, _, d in G.edges(data="since") if d]
    return dt.date.fromisoformat(max(dates)) if dates else dt.date.today()


def gaps_missing_stakeholder_group(G: nx.MultiDiGraph) -> list[dict]:
    """Expected sectors with no stakeholder who takes part in the program's engagement."""
    engaged = engaged_stakeholders(G)
    by_sector: dict[str, list[str]] = defaultdict(list)
    for node, sector in G.nodes(data="sector"):
        if sector:
            by_sector[sector].append(node)
    gaps = []
    for sector in _program(G).expected_sectors:
        members = sorted(by_sector.get(sector, []))
        if any(m in engaged for m in members):
            continue
        label = sector.replace("_", " ")
        severity = "high" if sector in CORE_SECTORS else "medium"
        if members:
            are = "is" if len(members) == 1 else "are"
            message = (
                f"No {label} stakeholder takes part in the program's engagement, although "
                f"{len(members)} {are} in the network."
            )
            recommendation = (
                f"Invite {label} stakeholders already in the network (start with those who trust "
                f"the team) to the next engagement or the advisory board."
            )
        else:
            message = f"The network has no {label} stakeholder at all."
            recommendation = f"Identify {label} stakeholders and add them to the network, then engage them."
        gaps.append(
            _gap(
                "not_engaged",
                "missing_stakeholder_group",
                severity,
                sector,
                message,
                {"sector": sector, "stakeholders_in_sector": members, "engaged": 0},
                recommendation,
            )
        )
    return gaps


def gaps_engagement_method(G: nx.MultiDiGraph) -> list[dict]:
    """Expected engagement methods never used, or last used longer ago than ``engagement_max_age_days``."""
    program = _program(G)
    today = reference_date(G)
    last: dict[str, list] = defaultdict(list)
    for node, attrs in G.nodes(data=True):
        if attrs.get("kind") == "engagement" and attrs.get("method"):
            last[attrs["method"]].append((attrs.get("date") or "", node))
    gaps = []
    for method in program.expected_methods:
        label = method.replace("_", " ")
        uses = sorted(last.get(method, []))
        if not uses:
            gaps.append(
                _gap(
                    "never_used",
                    "engagement_method",
                    "medium",
                    method,
                    f"No {label} has been held.",
                    {"method": method, "engagements": [], "as_of": today.isoformat()},
                    f"Plan a {label} with the stakeholders it suits best.",
                )
            )
            continue
        newest, node = uses[-1]
        if not newest:
            continue
        age = (today - dt.date.fromisoformat(newest)).days
        if age > program.engagement_max_age_days:
            gaps.append(
                _gap(
                    "not_recent",
                    "engagement_method",
                    "low",
                    method,
                    f"The last {label} was {age} days ago ({newest}); engagement should be ongoing.",
                    {
                        "method": method,
                        "last_engagement": node,
                        "last_date": newest,
                        "age_days": age,
                        "max_age_days": program.engagement_max_age_days,
                        "as_of": today.isoformat(),
                    },
                    f"Hold another {label} to keep stakeholders informed and involved.",
                )
            )
    return gaps


def _shares(G: nx.MultiDiGraph, people: set[str]) -> tuple[dict[str, int], int]:
    counts: dict[str, int] = defaultdict(int)
    total = 0
    for person in people:
        found = communities_of(G, person)
        if found:
            total += 1
            for community in found:
                counts[community] += 1
    return counts, total


def gaps_representation(G: nx.MultiDiGraph, ratio: float = REPRESENTATION_RATIO) -> list[dict]:
    """Communities whose share among engaged people, or decision holders, is well below their population share.

    The ratio is (share among engaged people with a known community) / ``population_share``; below
    ``ratio`` is a gap, high for priority communities.
    """
    persons = {n for n, k in G.nodes(data="kind") if k == "person"}
    engaged_counts, engaged_total = _shares(G, engaged_stakeholders(G) & persons)
    decision_counts, decision_total = _shares(G, decision_holders(G))
    priority = set(priority_communities(G))
    gaps = []
    for community, attrs in sorted(G.nodes(data=True)):
        share = attrs.get("population_share")
        if attrs.get("kind") != "community" or not share or not engaged_total:
            continue
        engaged_share = engaged_counts.get(community, 0) / engaged_total
        engaged_ratio = engaged_share / share
        decision_share = decision_counts.get(community, 0) / decision_total if decision_total else None
        decision_ratio = decision_share / share if decision_share is not None else None
        low_engaged = engaged_ratio < ratio
        low_decision = decision_ratio is not None and decision_ratio < ratio
        if not (low_engaged or low_decision):
            continue
        name = attrs.get("name", community)
        parts = []
        if low_engaged:
            parts.append(f"{engaged_share:.0%} of engaged people (ratio {engaged_ratio:.2f})")
        if low_decision:
            parts.append(f"{decision_share:.0%} of decision-role holders (ratio {decision_ratio:.2f})")
        severity = (
            "high"
            if community in priority and low_engaged
            else "medium"
            if community in priority or low_engaged
            else "low"
        )
        gaps.append(
            _gap(
                "underrepresented",
                "representation",
                severity,
                community,
                f"{name} is {share:.0%} of the population but {' and '.join(parts)}.",
                {
                    "community": community,
                    "priority": community in priority,
                    "population_share": share,
                    "engaged": engaged_counts.get(community, 0),
                    "engaged_total": engaged_total,
                    "engaged_share": round(engaged_share, 4),
                    "engaged_ratio": round(engaged_ratio, 4),
                    "decision": decision_counts.get(community, 0),
                    "decision_total": decision_total,
                    "decision_share": None if decision_share is None else round(decision_share, 4),
                    "decision_ratio": None if decision_ratio is None else round(decision_ratio, 4),
                },
                f"Engage {name} through its own trusted messengers and venues, and offer it seats with decision power.",
            )
        )
    return gaps


def gaps_lived_experience_voice(G: nx.MultiDiGraph) -> list[dict]:
    """Engaged people with lived experience who hold no decision role; decision bodies with none of them."""
    engaged = engaged_stakeholders(G)
    holders = decision_holders(G)
    lived = sorted(
        n for n, attrs in G.nodes(data=True) if attrs.get("kind") == "person" and attrs.get("lived_experience")
    )
    voiceless = [n for n in lived if n in engaged and n not in holders]
    lived_holders = [n for n in lived if n in holders]
    gaps = []
    if holders and not lived_holders:
        gaps.append(
            _gap(
                "no_decision_role_held",
                "lived_experience_voice",
                "high",
                "decision_roles",
                f"None of the {len(holders)} decision roles is held by a person with lived experience.",
                {"decision_holders": sorted(holders), "lived_experience_engaged": voiceless},
                "Give people with lived experience of crises and of police response voting seats on the advisory board.",
            )
        )
    if voiceless:
        gaps.append(
            _gap(
                "no_decision_role",
                "lived_experience_voice",
                "medium",
                "lived_experience",
                f"{len(voiceless)} engaged people with lived experience hold no decision role.",
                {"people": voiceless, "decision_holders_with_lived_experience": lived_holders},
                "Move from consulting people with lived experience to sharing decisions with them (paid seats, co-chairs).",
            )
        )
    return gaps


def _multi_source_path(H: nx.Graph, sources: set[str], target: str) -> tuple[int, list[str]] | None:
    """Fewest-steps path from any source to target, with its weakest trust; None when there is none."""
    starts = {s for s in sources if s in H}
    if not starts or target not in H:
        return None
    try:
        _, path = nx.multi_source_dijkstra(H, starts, target, weight=None)
    except nx.NetworkXNoPath:
        return None
    return min((H[a][b]["trust"] for a, b in zip(path, path[1:])), default=4), path


def gaps_trust(G: nx.MultiDiGraph) -> list[dict]:
    """Priority communities with no trusted path to the team, or whose trusted paths all pass one stakeholder.

    A community's starting points are the community itself and its members. A trusted path uses only ties
    of trust >= 3 (any relationship type, in either direction), plus the members' ties to their community.
    """
    team = _program(G).team
    if not team:
        return []
    membership: dict[str, set[str]] = defaultdict(set)
    for node, kind in G.nodes(data="kind"):
        if kind == "person":
            for community in communities_of(G, node):
                membership[community].add(node)
    trust = {frozenset((u, v)): t for u, v, t in tie_graph(G).edges(data="trust")}
    for community, people in membership.items():
        for person in people:
            trust[frozenset((person, community))] = 4  # members are tied to their community
    levels = {level: nx.Graph() for level in range(1, 5)}
    for pair, t in trust.items():
        u, v = tuple(pair)
        for level in range(1, t + 1):
            levels[level].add_edge(u, v, trust=t)
    gaps = []
    for community in priority_communities(G):
        members = {community} | membership.get(community, set())
        name = _name(G, community)
        trusted = _best_path(levels, members, team, TRUSTED)
        if trusted is None:
            best = _best_path(levels, members, team, 1)
            evidence = {
                "community": community,
                "members": len(members) - 1,
                "trusted_path": None,
                "best_path": best[1] if best else None,
                "best_path_weakest_trust": best[0] if best else None,
                "best_path_length": len(best[1]) - 1 if best else None,
            }
            via = f" Its best path has a weakest link of trust {best[0]} ({len(best[1]) - 1} steps)." if best else ""
            gaps.append(
                _gap(
                    "no_trusted_path",
                    "trust",
                    "high",
                    community,
                    f"{name} has no path of trusted ties (trust {TRUSTED}+) to the responder team.{via}",
                    evidence,
                    f"Find and resource credible messengers from {name}: people its residents trust, "
                    "and build their ties to the team before launch.",
                )
            )
            continue
        sub = levels[TRUSTED]
        sub.add_edges_from(("__source__", m) for m in members if m in sub)
        critical = _critical_nodes(sub, "__source__", team)
        sub.remove_node("__source__")
        if critical:
            people = [n for n in critical if G.nodes[n].get("kind") == "person"]
            broker = (people or critical)[0]
            kind = G.nodes[broker].get("kind", "stakeholder")
            gaps.append(
                _gap(
                    "depends_on_one",
                    "trust",
                    "high" if kind == "person" else "medium",
                    community,
                    f"Every trusted path from {name} to the responder team passes through one {kind}, "
                    f"{_name(G, broker)}.",
                    {
                        "community": community,
                        "depends_on": broker,
                        "critical": critical,
                        "trusted_path": trusted[1],
                        "weakest_trust": trusted[0],
                        "path_length": len(trusted[1]) - 1,
                    },
                    f"Build a second trusted route: support {_name(G, broker)} and connect other trusted {name} "
                    "members directly to the team.",
                )
            )
    return gaps


def _critical_nodes(H: nx.Graph, source: str, target: str) -> list[str]:
    """Nodes, in path order from ``source``, that every path from source to target passes through."""
    path = nx.shortest_path(H, source, target)
    critical = []
    for node in path[1:-1]:
        view = nx.restricted_view(H, [node], [])
        if not nx.has_path(view, source, target):
            critical.append(node)
    return critical


def _best_path(levels: dict[int, nx.Graph], sources: set[str], target: str, floor: int) -> tuple[int, list[str]] | None:
    """Strongest path (largest weakest trust, then fewest steps) with every tie's trust >= floor.

    ``levels[t]`` is the graph of the ties with trust ``t`` or more.
    """
    for level in range(4, floor - 1, -1):
        found = _multi_source_path(levels[level], sources, target)
        if found is not None:
            return found
    return None


def gaps_service_coverage(G: nx.MultiDiGraph) -> list[dict]:
    """Needs with no provider, none reachable by referral from the team, a single provider, or none open 24/7."""
    program = _program(G)
    reach = nx.descendants(referral_graph(G), program.team) | {program.team} if program.team else set()
    gaps = []
    for need in program.expected_needs:
        label = need.replace("_", " ")
        services = service_providers(G, need)
        if not services:
            gaps.append(
                _gap(
                    "no_service",
                    "service_coverage",
                    "high",
                    need,
                    f"No service in the network meets {label} needs.",
                    {"need": need, "services": []},
                    f"Find {label} services to refer callers to and add them to the network.",
                )
            )
            continue
        reachable = [s for s, orgs in services.items() if s in reach or any(o in reach for o in orgs)]
        if program.team and not reachable:
            gaps.append(
                _gap(
                    "unreachable",
                    "service_coverage",
                    "high",
                    need,
                    f"No {label} service can be reached by referral from the responder team.",
                    {"need": need, "services": sorted(services), "reachable": []},
                    f"Set up a referral agreement with a {label} provider.",
                )
            )
        providers = {tuple(orgs) or (s,) for s, orgs in services.items()}
        if len(providers) == 1:
            gaps.append(
                _gap(
                    "single_provider",
                    "service_coverage",
                    "medium",
                    need,
                    f"Only one provider meets {label} needs: there is no backup when it is full or closed.",
                    {"need": need, "services": sorted(services), "providers": sorted(next(iter(providers)))},
                    f"Identify a second {label} provider and agree on referrals.",
                )
            )
        always = [s for s in services if is_24_7(G.nodes[s].get("hours"))]
        unknown = [s for s in services if not G.nodes[s].get("hours")]  # hours unknown: never "closed"
        if not always and unknown:
            gaps.append(
                _gap(
                    "hours_unknown",
                    "service_coverage",
                    "low",
                    need,
                    f"No {label} service is known to be open 24/7, but the hours of {len(unknown)} of "
                    f"{len(services)} are unknown.",
                    {"need": need, "services": sorted(services), "hours_unknown": sorted(unknown)},
                    f"Ask the {label} services with unknown hours whether anyone answers at night before "
                    "planning after-hours coverage.",
                )
            )
        elif not always:
            gaps.append(
                _gap(
                    "no_24_7",
                    "service_coverage",
                    "medium" if need in CRISIS_NEEDS else "low",
                    need,
                    f"No {label} service is open 24/7; calls at night have nowhere to go.",
                    {
                        "need": need,
                        "services": sorted(services),
                        "hours": {s: G.nodes[s].get("hours") for s in sorted(services)},
                    },
                    f"Agree after-hours coverage for {label} with a provider, or an on-call arrangement.",
                )
            )
    return gaps


def _cut_off_sets(H: nx.Graph, root: str) -> dict[str, list[str]]:
    """For each articulation point of root's component, the nodes its removal cuts off from root.

    One iterative depth-first search (Tarjan): a child ``c`` of ``v`` with ``low[c] >= disc[v]`` hangs on
    ``v`` alone, and so does its whole depth-first subtree, which is a contiguous run of the preorder.
    """
    disc = {root: 0}
    low = {root: 0}
    order = [root]
    cut: dict[str, list[str]] = defaultdict(list)
    stack = [(root, None, iter(H[root]))]
    while stack:
        node, parent, neighbours = stack[-1]
        for nxt in neighbours:
            if nxt == parent:
                continue
            if nxt in disc:
                low[node] = min(low[node], disc[nxt])
            else:
                disc[nxt] = low[nxt] = len(order)
                order.append(nxt)
                stack.append((nxt, node, iter(H[nxt])))
                break
        else:
            stack.pop()
            if parent is not None:
                low[parent] = min(low[parent], low[node])
                if low[node] >= disc[parent] and parent != root:
                    # every node discovered since ``node`` is its descendant
                    cut[parent].extend(order[disc[node] :])
    return dict(cut)


def gaps_single_point_of_failure(G: nx.MultiDiGraph) -> list[dict]:
    """People or organizations whose removal cuts communities or whole sectors off from the team."""
    team = _program(G).team
    if not team:
        return []
    H = tie_graph(G)
    component = nx.node_connected_component(H, team)
    priority = set(priority_communities(G))
    sector_size: dict[str, int] = defaultdict(int)
    for node in component:
        if G.nodes[node].get("sector"):
            sector_size[G.nodes[node]["sector"]] += 1
    gaps = []
    for broker, lost in sorted(_cut_off_sets(H, team).items()):
        if G.nodes[broker].get("kind") not in ("person", "organization"):
            continue
        lost_set = set(lost)
        communities = sorted(n for n in lost_set if G.nodes[n].get("kind") == "community")
        lost_sector: dict[str, int] = defaultdict(int)
        for node in lost_set:
            if G.nodes[node].get("sector"):
                lost_sector[G.nodes[node]["sector"]] += 1
        sectors = sorted(s for s, count in lost_sector.items() if count == sector_size[s])
        if not communities and not sectors:
            continue
        severity = "high" if set(communities) & priority else "medium"
        what = [_name(G, c) for c in communities] + [s.replace("_", " ") + " sector" for s in sectors]
        gaps.append(
            _gap(
                "cuts_off",
                "single_point_of_failure",
                severity,
                broker,
                f"{_name(G, broker)} alone connects {', '.join(what)} to the responder team "
                f"({len(lost_set)} stakeholders would be cut off without them).",
                {"stakeholder": broker, "cut_off": sorted(lost_set), "communities": communities, "sectors": sectors},
                f"Build ties that do not depend on {_name(G, broker)}: introduce others from "
                f"{', '.join(what)} to the team and its partners.",
            )
        )
    return gaps


def gaps_isolated(G: nx.MultiDiGraph) -> list[dict]:
    """Stakeholders with no relationship at all, and groups with no tie to the rest of the network.

    Service-directory stakeholders not yet connected to the program are its potential network, not
    gaps (:mod:`stakeholder_graph.directory`): they are left out here.
    """
    from .directory import not_yet_connected_ids

    team = _program(G).team
    U = nx.Graph(G.to_undirected(as_view=True))
    waiting = not_yet_connected_ids(G)
    gaps = []
    for node in sorted(n for n in nx.isolates(U) if n not in waiting):
        kind = G.nodes[node].get("kind", "stakeholder")
        gaps.append(
            _gap(
                "no_relationship",
                "isolated",
                "low" if kind in ("person", "engagement") else "medium",
                node,
                f"{_name(G, node)} ({kind}) has no relationship with anyone in the network.",
                {"stakeholder": node, "kind": kind},
                f"Record how {_name(G, node)} relates to the program, or reach out to them.",
            )
        )
    main = (
        nx.node_connected_component(U, team) if team in U else max(nx.connected_components(U), key=len, default=set())
    )
    for group in sorted(
        (sorted(c) for c in nx.connected_components(U) if len(c) > 1 and not (c & main) and not c <= waiting),
        key=lambda c: (-len(c), c),
    ):
        gaps.append(
            _gap(
                "disconnected_group",
                "isolated",
                "medium",
                group[0],
                f"A group of {len(group)} stakeholders, including {_name(G, group[0])}, has no tie to the rest of the network.",
                {"stakeholders": group},
                "Find a bridge into this group: a member who knows someone already at the table.",
            )
        )
    return gaps


def find_gaps(G: nx.MultiDiGraph) -> list[dict]:
    """Every gap of every kind, ordered by severity (high first), then kind, then subject."""
    gaps = []
    for check in (
        gaps_missing_stakeholder_group,
        gaps_engagement_method,
        gaps_representation,
        gaps_lived_experience_voice,
        gaps_trust,
        gaps_service_coverage,
        gaps_single_point_of_failure,
        gaps_isolated,
    ):
        gaps.extend(check(G))
    if G.graph.get("survey"):
        from .formats.survey import gaps_survey_response  # a partner survey's non-respondents

        gaps.extend(gaps_survey_response(G))
    return sorted(gaps, key=lambda g: (SEVERITIES.index(g["severity"]), GAP_KINDS.index(g["kind"]), g["subject"]))


def gaps_text(gaps: list[dict], width: int = 80) -> str:
    """Gaps as plain text, one block per gap."""
    import textwrap

    if not gaps:
        return "No gaps found."
    wrap = textwrap.TextWrapper(width=width, subsequent_indent="    ")
    lines = []
    for gap in gaps:
        lines += wrap.wrap(f"[{gap['severity'].upper()}] {gap['kind']} ({gap['subject']}): {gap['message']}")
        lines += wrap.wrap(f"    -> {gap['recommendation']}")
    counts = {s: sum(g["severity"] == s for g in gaps) for s in SEVERITIES}
    lines += ["", f"{len(gaps)} gaps: " + ", ".join(f"{n} {s}" for s, n in counts.items())]
    return "\n".join(lines)
