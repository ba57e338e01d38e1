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

from ._gap import CRISIS_NEEDS, GAP_KINDS, SEVERITIES, listing, make_gap, name_of, program_of
from ._ties import memo, priority_communities, reference_date, tie_graph, unrelated
from .hours import is_24_7
from .messengers import messengers
from .participation import (
    decision_holders,
    engaged_stakeholders,
    gaps_language_access,
    gaps_lived_experience_voice,
    gaps_representation,
)
from .referrals import referral_graph, service_providers

__all__ = [
    "GAP_KINDS",
    "SEVERITIES",
    "CORE_SECTORS",
    "CRISIS_NEEDS",
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
    "gaps_language_access",
    "gaps_single_point_of_failure",
    "gaps_isolated",
    "gaps_text",
]

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

_gap = make_gap
_program = program_of
_name = name_of


def gaps_missing_stakeholder_group(G: nx.MultiDiGraph) -> list[dict]:
    """Expected sectors with no stakeholder who takes part in the program's engagement.

    A sector with stakeholders in the network, none of them engaged, is one gap (``not_engaged``, subject
    the sector). Sectors with no stakeholder at all are one problem, the network's reach, and one gap
    (``absent``, subject ``sectors``) listing them. High when a core sector is concerned, else medium.
    """
    engaged = engaged_stakeholders(G)
    by_sector: dict[str, list[str]] = defaultdict(list)
    for node, sector in G.nodes(data="sector"):
        if sector:
            by_sector[sector].append(node)
    gaps, absent = [], []
    for sector in _program(G).expected_sectors:
        members = sorted(by_sector.get(sector, []))
        if any(m in engaged for m in members):
            continue
        label = sector.replace("_", " ")
        if not members:
            absent.append(sector)
            continue
        are = "is" if len(members) == 1 else "are"
        gaps.append(
            _gap(
                "not_engaged",
                "missing_stakeholder_group",
                "high" if sector in CORE_SECTORS else "medium",
                sector,
                f"No {label} stakeholder takes part in the program's engagement, although "
                f"{len(members)} {are} in the network.",
                {"sector": sector, "stakeholders_in_sector": members, "engaged": 0},
                f"Invite {label} stakeholders already in the network (start with those who trust "
                f"the team) to the next engagement or the advisory board.",
            )
        )
    if absent:
        labels = [s.replace("_", " ") for s in absent]
        core = [s for s in absent if s in CORE_SECTORS]
        message = (
            f"The network has no {labels[0]} stakeholder at all."
            if len(absent) == 1
            else f"The network has no stakeholder at all in {len(absent)} expected sectors: {listing(labels)}."
        )
        gaps.append(
            _gap(
                "absent",
                "missing_stakeholder_group",
                "high" if core else "medium",
                "sectors",
                message,
                {"sectors": absent, "core_sectors": core},
                f"Identify {listing(labels, 'and')} stakeholders (start with "
                f"{listing([s.replace('_', ' ') for s in core]) if core else 'those partners already know'}), "
                "add them to the network, then engage them.",
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


def _names(G: nx.MultiDiGraph, people: list[dict], limit: int = 3) -> str:
    shown = [p["name"] for p in people[:limit]]
    return listing(shown + ([f"{len(people) - limit} more"] if len(people) > limit else []))


def gaps_trust(G: nx.MultiDiGraph) -> list[dict]:
    """Priority communities whose residents have no trusted route to the team, too few have one, or one
    stakeholder carries most of those routes (see :mod:`stakeholder_graph.messengers`).

    Checks: ``no_residents`` (nobody in the data lives there), ``no_trusted_path`` (no resident has a
    trusted route), ``low_trusted_share`` (fewer than ``min_trusted_share`` of the residents have one) and
    ``depends_on_one`` (one stakeholder carries more than ``max_dependence`` of those routes, and the routes
    of at least ``messenger_min_residents`` residents: high for a person, medium for an organization). The evidence names the people the residents trust
    (``messengers``, ``trusted_voices``), those they do not (``not_trusted``) and whom the routes depend on.
    """
    program = _program(G)
    if not program.team or program.team not in G:
        return []
    t = program.min_trust
    gaps = []
    for entry in messengers(G):
        community, name = entry["community"], entry["name"]
        residents, reached = entry["residents"], entry["reached"]
        trusted_people = entry["messengers"] + entry["trusted_voices"]
        top = entry["depends_on"][0] if entry["depends_on"] else None
        evidence = {
            "community": community,
            "residents": residents,
            "reached": len(reached),
            "share": entry["share"],
            "messengers": [p["id"] for p in entry["messengers"]],
            "trusted_voices": [p["id"] for p in entry["trusted_voices"]],
            "not_trusted": [p["id"] for p in entry["not_trusted"]],
            "depends_on": top["id"] if top else None,
            "dependence": entry["depends_on"][:5],
            "trusted_path": entry["trusted_path"],
        }
        trusted_text = f"the people its residents trust ({_names(G, trusted_people)})" if trusted_people else ""
        avoid = ""
        if entry["not_trusted"]:
            worst = entry["not_trusted"][0]
            avoid = f", not through {worst['name']} (residents' ties to them average trust {worst['mean_trust']:.1f})"
        if not residents:
            gaps.append(
                _gap(
                    "no_residents",
                    "trust",
                    "high",
                    community,
                    f"No resident of {name} is in the network: nobody can say whom {name} trusts.",
                    evidence,
                    f"Find residents of {name} through the organizations that serve it, and record whom they trust.",
                )
            )
        elif not reached:
            best, weakest = entry["best_path"], entry["best_path_weakest_trust"]
            via = (
                f"; the best route ({' -> '.join(_name(G, n) for n in best[:5])}{' -> ...' if len(best) > 5 else ''}) "
                f"has a weakest link of trust {weakest}"
                if best
                else ""
            )
            gaps.append(
                _gap(
                    "no_trusted_path",
                    "trust",
                    "high",
                    community,
                    f"None of {name}'s {residents} residents has a route of trusted ties (trust {t}+ at every "
                    f"step) to the responder team{via}.",
                    evidence
                    | {
                        "best_path": best,
                        "best_path_weakest_trust": weakest,
                        "best_path_length": len(best) - 1 if best else None,
                    },
                    f"Work through {trusted_text or 'residents ' + name + ' trusts'}{avoid}: connect them to the "
                    "team before launch.",
                )
            )
            continue
        share = entry["share"]
        if share < program.min_trusted_share:
            gaps.append(
                _gap(
                    "low_trusted_share",
                    "trust",
                    "high",
                    community,
                    f"Only {len(reached)} of {name}'s {residents} residents ({share:.0%}) have a route of trusted "
                    f"ties (trust {t}+ at every step) to the responder team.",
                    evidence,
                    f"Work through {trusted_text or 'the people ' + name + ' residents trust'}{avoid}: connect "
                    "them to the team.",
                )
            )
        if (
            top
            and top["residents"] >= program.messenger_min_residents
            and top["residents"] / len(reached) > program.max_dependence
        ):
            kind = G.nodes[top["id"]].get("kind", "stakeholder")
            broker = _name(G, top["id"])
            others = [p for p in trusted_people if p["id"] != top["id"]]
            gaps.append(
                _gap(
                    "depends_on_one",
                    "trust",
                    "high" if kind == "person" else "medium",
                    community,
                    f"{top['residents']} of the {len(reached)} {name} residents with a trusted route to the "
                    f"responder team reach it only through one {kind}, {broker}.",
                    evidence,
                    f"Build a second trusted route: introduce other people {name} residents trust"
                    + (f" ({_names(G, others)})" if others else "")
                    + f" to the team, through {broker}.",
                )
            )
    return gaps


def gaps_service_coverage(G: nx.MultiDiGraph) -> list[dict]:
    """Needs with no provider, none reachable by referral from the team, a single provider, or none open 24/7."""
    program = _program(G)
    reach = nx.descendants(referral_graph(G), program.team) | {program.team} if program.team in G else set()
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
    """Communities and whole sectors that one person or organization alone connects to the team.

    Runs on the tie network (a person's ``community`` cell ties them to the community, so a community
    whose residents reach the team through their organizations is not cut off by the loss of one member).
    One gap per community or sector cut off, listing every stakeholder whose loss alone would cut it off,
    nearest first; high when a priority community is cut off.
    """
    team = _program(G).team
    if not team or team not in G:
        return []
    H = tie_graph(G)
    component = nx.node_connected_component(H, team)
    priority = set(priority_communities(G))
    sector_size: dict[str, int] = defaultdict(int)
    for node in component:
        if G.nodes[node].get("sector"):
            sector_size[G.nodes[node]["sector"]] += 1
    by_subject: dict[tuple[str, str], list[tuple[int, str, set[str]]]] = defaultdict(list)
    for broker, lost in sorted(_cut_off_sets(H, team).items()):
        if G.nodes[broker].get("kind") not in ("person", "organization"):
            continue
        lost_set = set(lost)
        lost_sector: dict[str, int] = defaultdict(int)
        for node in lost_set:
            if G.nodes[node].get("kind") == "community":
                by_subject[("community", node)].append((len(lost_set), broker, lost_set))
            if G.nodes[node].get("sector"):
                lost_sector[G.nodes[node]["sector"]] += 1
        for sector, count in lost_sector.items():
            if count == sector_size[sector]:
                by_subject[("sector", sector)].append((len(lost_set), broker, lost_set))
    # a sector cut off by the same stakeholders as a community is part of that community's problem
    community_brokers = {
        tuple(sorted(b for _, b, _ in found)): subject
        for (what, subject), found in by_subject.items()
        if what == "community"
    }
    folded: dict[str, list[str]] = defaultdict(list)
    for (what, subject), found in list(by_subject.items()):
        key = tuple(sorted(b for _, b, _ in found))
        if what == "sector" and key in community_brokers:
            folded[community_brokers[key]].append(subject)
            del by_subject[(what, subject)]
    gaps = []
    for (what, subject), found in sorted(by_subject.items()):
        found.sort(key=lambda x: (x[0], x[1]))
        brokers = [broker for _, broker, _ in found]
        nearest, lost_set = brokers[0], found[0][2]
        label = _name(G, subject) if what == "community" else subject.replace("_", " ") + " sector"
        sectors = sorted(folded.get(subject, [])) if what == "community" else [subject]
        if what == "community" and sectors:
            label += f" (and every {listing([x.replace('_', ' ') for x in sectors])} stakeholder)"
        names = [_name(G, b) for b in brokers]
        if len(brokers) == 1:
            message = (
                f"{names[0]} alone connects {label} to the responder team ({len(lost_set)} stakeholders would "
                "be cut off without them)."
            )
        else:
            message = (
                f"{label} hangs on single stakeholders: without any one of {listing(names, 'or')} it is cut off "
                f"from the responder team ({len(lost_set)} stakeholders or more)."
            )
        gaps.append(
            _gap(
                "cuts_off",
                "single_point_of_failure",
                "high" if what == "community" and subject in priority else "medium",
                subject,
                message,
                {
                    "stakeholder": nearest,
                    "stakeholders": brokers,
                    "cut_off": sorted(lost_set),
                    "communities": [subject] if what == "community" else [],
                    "sectors": sectors,
                },
                f"Build ties that do not depend on {listing(names, 'or')}: introduce people {label} trusts to "
                "the team and its partners.",
            )
        )
    return gaps


def gaps_isolated(G: nx.MultiDiGraph) -> list[dict]:
    """Stakeholders with no relationship at all, and groups with no tie to the rest of the network.

    No relationship: no current relationship of any kind (a ``community`` cell counts). People in that
    case are one gap (low); other stakeholders one gap each (medium; low for an engagement nobody took
    part in). Groups: components of the tie network, of two or more, apart from the team's (or, without
    a team, the largest). Service-directory stakeholders not yet connected to the program are its
    potential network, not gaps (:mod:`stakeholder_graph.directory`): they are left out here.
    """
    from .directory import not_yet_connected_ids

    team = _program(G).team
    waiting = not_yet_connected_ids(G)
    gaps = []
    alone = [n for n in unrelated(G) if n not in waiting]
    people = [n for n in alone if G.nodes[n].get("kind") == "person"]
    if people:
        gaps.append(
            _gap(
                "no_relationship",
                "isolated",
                "low",
                "people",
                f"{len(people)} {'person has' if len(people) == 1 else 'people have'} no relationship with anyone "
                f"in the network: {_names(G, [{'name': _name(G, p)} for p in people], 5)}.",
                {"stakeholders": people, "kind": "person"},
                "Record how they relate to the program (their community, organization or contacts), or reach out.",
            )
        )
    for node in alone:
        kind = G.nodes[node].get("kind", "stakeholder")
        if kind == "person":
            continue
        gaps.append(
            _gap(
                "no_relationship",
                "isolated",
                "low" if kind == "engagement" else "medium",
                node,
                f"{_name(G, node)} ({kind}) has no relationship with anyone in the network.",
                {"stakeholder": node, "kind": kind},
                f"Record how {_name(G, node)} relates to the program, or reach out to them.",
            )
        )
    H = tie_graph(G)
    components = [c for c in nx.connected_components(H) if len(c) > 1 and not c <= waiting]
    main = nx.node_connected_component(H, team) if team in H else max(components, key=len, default=set())
    for group in sorted((sorted(c) for c in components if not (c & main)), key=lambda c: (-len(c), c)):
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
    """Every gap of every kind, ordered by severity (high first), then kind, then subject.

    Computed once per graph and shared by every caller (the report, its maps, the workspace): a caller
    must not change the gaps it gets.
    """
    return list(memo(G, _FOUND, lambda: _find_gaps(G)))


_FOUND = ("find_gaps",)


def _remember(G: nx.MultiDiGraph, gaps: list[dict]) -> list[dict]:
    """Gaps found elsewhere (a map's forked process), kept as :func:`find_gaps` keeps its own."""
    return list(memo(G, _FOUND, lambda: gaps))


def _find_gaps(G: nx.MultiDiGraph) -> list[dict]:
    gaps = []
    for check in (
        gaps_missing_stakeholder_group,
        gaps_engagement_method,
        gaps_representation,
        gaps_lived_experience_voice,
        gaps_trust,
        gaps_service_coverage,
        gaps_language_access,
        gaps_single_point_of_failure,
        gaps_isolated,
    ):
        gaps.extend(check(G))
    from .formats.survey import gaps_survey_response  # a partner survey's non-respondents (export or round)

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
