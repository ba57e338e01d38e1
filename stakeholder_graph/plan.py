"""The outreach plan: for each gap, whom to invite, through whom, and how; the few gaps to start with.

Gaps about the same thing (a community's trust gap, the person who alone connects it, its missing
representation; a need's coverage; a sector) are one *area* and get one action. Actions are ordered by
priority: the most severe first, then the most high-severity gaps, then those that concern a priority
community, then the largest share of the population concerned. Each action names stakeholders:

- ``invite``: whom to invite, and why them;
- ``through``: whom to work through: people trusted by both sides (a credible messenger, a shared trusted
  contact), and for a community the people its residents trust;
- ``avoid``: people not to work through (residents' trust in them is low, whatever their position);
- ``method``: the engagement method (``vocab.METHODS``); ``owner`` and ``due`` are left empty for the
  meeting that assigns them.

:func:`start_here` takes the first few areas: what the report opens with. Nothing here prints.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import networkx as nx

from ._escape import markdown_text
from ._gap import GAP_KINDS, SEVERITIES, listing, name_of, program_of
from ._ties import priority_communities
from .formats.problems import neutralise
from .messengers import (
    community_messengers,
    community_trust,
    introducers,
    residents,
    shortest_route,
    team_side,
    trust_toward,
    trusted_network,
)
from .participation import community_languages, decision_holders, lived_experience_kinds
from .referrals import service_providers
from .vocab import METHODS

__all__ = ["START_HERE", "build_plan", "start_here", "plan_text", "plan_markdown", "plan_csv", "CSV_COLUMNS"]

#: How many areas "Start here" lists.
START_HERE = 5
#: How many people an action names in ``invite`` and ``through`` (the rest are counted).
NAMED = 4
#: Sectors met where they live and gather (a focus group); others are consulted (expert consultation).
COMMUNITY_SECTORS = frozenset(
    {"faith_based", "community_organization", "neighborhood_watch", "family_advocate", "lived_experience"}
)
#: The columns of :func:`plan_csv`.
CSV_COLUMNS = (
    "priority",
    "severity",
    "about",
    "action",
    "invite",
    "why",
    "through",
    "avoid",
    "method",
    "owner",
    "due",
    "gaps",
)


def _person(G: nx.MultiDiGraph, node: str, why: str) -> dict:
    return {"id": node, "name": name_of(G, node), "why": why}


def _area(G: nx.MultiDiGraph, gap: dict) -> tuple[str, str]:
    """What a gap is about, as (area kind, subject): gaps of one area get one action."""
    kind, subject = gap["kind"], gap["subject"]
    if kind in ("trust", "single_point_of_failure", "representation") and G.nodes.get(subject, {}).get("kind") == (
        "community"
    ):
        return "community", subject
    if kind == "missing_stakeholder_group" and gap["check"] == "absent":
        return "absent_sectors", subject
    if kind == "single_point_of_failure" or kind == "missing_stakeholder_group":
        return "sector", subject
    if kind == "engagement_method":
        return kind, gap["check"]
    if kind == "lived_experience_voice":
        return "lived_experience", "lived_experience"
    if kind == "service_coverage":
        return "need", subject
    if kind == "representation":
        return "group", subject
    return kind, subject if kind != "survey_response" else "survey"


def _title(G: nx.MultiDiGraph, area: tuple[str, str]) -> str:
    what, subject = area
    label = subject.replace("_", " ")
    if what == "community":
        priority = " (priority community)" if subject in priority_communities(G) else ""
        return f"{name_of(G, subject)}{priority}"
    return {
        "sector": f"The {label} sector",
        "lived_experience": "Lived experience in decisions",
        "need": f"{label.capitalize()} services",
        "language_access": f"{subject} language access",
        "engagement_method": "Engagement methods " + ("never used" if subject == "never_used" else "not used recently"),
        "absent_sectors": "Sectors missing from the network",
        "group": f"Representation: {label.replace(':', ' ')}",
        "isolated": f"Isolated: {name_of(G, subject) if subject in G else label}",
        "survey_response": "Partner survey non-respondents",
        "directory": "Service directory not yet connected",
    }.get(what, label)


def _affects(G: nx.MultiDiGraph, area: tuple[str, str], gaps: list[dict]) -> dict:
    """Whom an area concerns: people in the data, and the share of the population when known."""
    what, subject = area
    if what == "community":
        return {"people": len(residents(G, subject)), "population_share": G.nodes[subject].get("population_share")}
    if what == "language_access":
        communities = gaps[0]["evidence"].get("communities", [])
        shares = [G.nodes[c].get("population_share") for c in communities]
        people = set().union(*(residents(G, c) for c in communities)) if communities else set()
        known = [s for s in shares if s is not None]
        return {"people": len(people), "population_share": round(sum(known), 4) if known else None}
    if what == "lived_experience":
        lived = {
            p for g in gaps for p in g["evidence"].get("people", []) + g["evidence"].get("lived_experience_engaged", [])
        }
        return {"people": len(lived), "population_share": None}
    if what == "sector":
        found = {
            p for g in gaps for p in g["evidence"].get("stakeholders_in_sector", []) + g["evidence"].get("cut_off", [])
        }
        return {"people": sum(G.nodes[p].get("kind") == "person" for p in found), "population_share": None}
    return {"people": None, "population_share": None}


def _rank(G: nx.MultiDiGraph, area: tuple[str, str], gaps: list[dict], affects: dict) -> tuple:
    priority = set(priority_communities(G))
    concerns_priority = (area[0] == "community" and area[1] in priority) or bool(
        set(gaps[0]["evidence"].get("communities", []) or []) & priority
    )
    return (
        min(SEVERITIES.index(g["severity"]) for g in gaps),
        -sum(g["severity"] == "high" for g in gaps),
        not concerns_priority,
        -(affects["population_share"] or 0),
        min(GAP_KINDS.index(g["kind"]) for g in gaps),
        area[1],
    )


# ---------------------------------------------------------------------------------------------- actions


def _through_text(G: nx.MultiDiGraph, person: str) -> str:
    """How the team reaches a person: a trusted tie of their own, someone trusted by both, or directly."""
    side = team_side(G)
    t_min = program_of(G).min_trust
    trust = trust_toward(G)
    if person in side or any(trust.get(person, {}).get(s, 0) >= t_min for s in side):
        return "already has a trusted tie to the team"
    found = introducers(G, person)
    if found:
        return f"introduced by {listing([f['name'] for f in found[:2]], 'or')} (trusted by both sides)"
    return "nobody the team trusts knows them yet: the team meets them directly"


def _varied(people: list[dict]) -> list[dict]:
    """People in their order, but one of each sector first: a second route should reach other circles."""
    seen: set = set()
    first, rest = [], []
    for p in people:
        (rest if p["sector"] in seen else first).append(p)
        seen.add(p["sector"])
    return first + rest


def _own_routes(G: nx.MultiDiGraph, reached: list[str], top: str) -> list[str]:
    """The reached residents who keep a trusted route to the team without ``top``."""
    T = trusted_network(G)
    side = team_side(G)
    keep = T.subgraph(n for n in T if n != top and G.nodes[n].get("kind") != "community")
    return [r for r in reached if r != top and shortest_route(keep, {r}, side)]


def _trusted_why(G: nx.MultiDiGraph, community: str, p: dict) -> str:
    return (
        f"trusted by {len(p['trusted_by'])} of {p['residents']} {name_of(G, community)} residents "
        f"(average trust {p['mean_trust']:.1f})"
    )


def _community_action(G: nx.MultiDiGraph, community: str, gaps: list[dict]) -> dict:
    name = name_of(G, community)
    people = community_messengers(G, community)
    routes = community_trust(G, community)
    trusted = people["messengers"] + people["trusted_voices"]
    checks = {g["check"] for g in gaps}
    avoid = [_person(G, p["id"], p["why"]) for p in people["not_trusted"][:NAMED]]
    low_decision = any(
        g["check"] == "underrepresented" and (g["evidence"].get("decision_ratio") or 0) < 0.5 for g in gaps
    )
    seat = f" Offer {name} a seat with decision power." if low_decision or "underrepresented" in checks else ""
    top = routes["depends_on"][0]["id"] if routes["depends_on"] else None
    if "depends_on_one" in checks and top and not checks & {"no_trusted_path", "low_trusted_share"}:
        broker = name_of(G, top)
        others = _varied([p for p in trusted if p["id"] != top])[:NAMED]
        invite = [
            _person(G, p["id"], _trusted_why(G, community, p) + "; no trusted tie to the team yet") for p in others
        ]
        if not invite:  # nobody else the residents trust: the residents who depend on the one route
            idom_dependent = sorted(set(routes["reached"]) - {top} - set(_own_routes(G, routes["reached"], top)))
            invite = [
                _person(G, p, f"lives in {name}; every trusted route of theirs passes through {broker}")
                for p in idom_dependent[:NAMED]
            ]
        carried = routes["depends_on"][0]["residents"]
        known = next((p for p in trusted if p["id"] == top), None)
        through = [
            _person(
                G,
                top,
                (f"{_trusted_why(G, community, known)}; " if known else "")
                + f"the trusted routes of {carried} of the {len(routes['reached'])} residents who have one pass "
                f"through them; {_through_text(G, top)}",
            )
        ]
        for p in others:
            for intro in introducers(G, p["id"])[:1]:
                if intro["id"] not in {t["id"] for t in through}:
                    through.append(_person(G, intro["id"], f"trusted by {p['name']} and by the team"))
        action = (
            f"Give {name} a second trusted route: introduce {listing([p['name'] for p in invite]) or 'other residents'} "
            f"to the team, through {broker}, in a focus group in {name}.{seat}"
        )
    else:
        chosen = [p["id"] for p in trusted[:NAMED]]
        unreached = sorted(
            residents(G, community) - set(routes["reached"]) - set(chosen),
            key=lambda p: (lived_experience_kinds(G.nodes[p]) is None, p),
        )
        shown = unreached[:NAMED]
        invite = [
            _person(
                G,
                p,
                f"lives in {name}; no trusted route to the team"
                + ("; lived experience" if lived_experience_kinds(G.nodes[p]) is not None else ""),
            )
            for p in shown
        ]
        if len(unreached) > len(shown):
            invite.append({"id": None, "name": f"{len(unreached) - len(shown)} more {name} residents", "why": ""})
        through = [
            _person(G, p["id"], f"{_trusted_why(G, community, p)}; {_through_text(G, p['id'])}")
            for p in trusted[:NAMED]
        ]
        languages = list(community_languages(G).get(community, {}).values())
        spoken = f", in {listing(languages)}" if languages else ""
        if through:
            action = (
                f"Meet the people {name}'s residents trust ({listing([t['name'] for t in through])}) and, "
                f"through them, invite residents to a focus group in {name}{spoken}."
            )
        else:
            action = (
                f"Find out whom {name}'s residents trust: nobody in the data is trusted by them. Ask residents "
                f"and the organizations that serve {name}."
            )
        if avoid:
            action += f" Do not go through {listing([a['name'] for a in avoid])}."
        action += seat
    return {"action": action, "invite": invite, "through": through, "avoid": avoid, "method": "focus_group"}


def _trusted_distance(G: nx.MultiDiGraph, node: str) -> tuple[int | None, list[str]]:
    """Steps of the shortest trusted route from ``node`` to the team side (0 on it), and the route."""
    side = team_side(G)
    if node in side:
        return 0, [node]
    path = shortest_route(trusted_network(G), {node}, side)
    return (len(path) - 1, path) if path else (None, [])


def _trusted_by_priority(G: nx.MultiDiGraph) -> dict[str, list[tuple[str, int]]]:
    """Per person: the priority communities whose residents trust them (messengers, trusted voices), and how many."""
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for community in priority_communities(G):
        people = community_messengers(G, community)
        for p in people["messengers"] + people["trusted_voices"]:
            found[p["id"]].append((community, len(p["trusted_by"])))
    return found


def _candidate_why(G: nx.MultiDiGraph, node: str, trusted_by: dict) -> str:
    steps, path = _trusted_distance(G, node)
    parts = []
    if steps == 0:
        parts.append("part of the team")
    elif steps == 1:
        parts.append("trusts the team directly")
    elif steps:
        parts.append(f"{steps} trusted steps from the team (via {name_of(G, path[1])})")
    else:
        parts.append("no trusted route to the team yet")
    for community, n in trusted_by.get(node, []):
        parts.append(f"trusted by {n} {name_of(G, community)} residents")
    return "; ".join(parts)


def _rank_candidates(G: nx.MultiDiGraph, nodes, trusted_by: dict) -> list[str]:
    """Those who trust the team first (fewest trusted steps), then those priority communities trust most."""

    def key(node):
        steps, _ = _trusted_distance(G, node)
        return (steps is None, steps or 0, -sum(n for _, n in trusted_by.get(node, [])), node)

    return sorted(nodes, key=key)


def _introduced(G: nx.MultiDiGraph, invite: list[str]) -> list[dict]:
    through: dict[str, dict] = {}
    for node in invite:
        found = introducers(G, node)
        if found and found[0]["id"] not in through:
            through[found[0]["id"]] = _person(G, found[0]["id"], f"trusted by {name_of(G, node)} and by the team")
            continue
        steps, path = _trusted_distance(G, node)
        if steps and steps > 1 and path[1] not in through:
            through[path[1]] = _person(G, path[1], f"{name_of(G, node)} trusts them; first step of their trusted route")
    return list(through.values())


def _sector_action(G: nx.MultiDiGraph, sector: str, gaps: list[dict]) -> dict:
    label = sector.replace("_", " ")
    members = sorted({p for g in gaps for p in g["evidence"].get("stakeholders_in_sector", [])})
    members = members or sorted(n for n, s in G.nodes(data="sector") if s == sector)
    method = "focus_group" if sector in COMMUNITY_SECTORS else "expert_consultation"
    if not members:
        return {
            "action": f"Identify {label} stakeholders, add them to the network and invite them.",
            "invite": [],
            "through": [],
            "avoid": [],
            "method": method,
        }
    trusted_by = _trusted_by_priority(G)
    ranked = _rank_candidates(G, members, trusted_by)[:NAMED]
    invite = [_person(G, n, _candidate_why(G, n, trusted_by)) for n in ranked]
    checks = {g["check"] for g in gaps}
    if "cuts_off" in checks and "not_engaged" not in checks:
        brokers = gaps[0]["evidence"].get("stakeholders", [])
        action = (
            f"Tie the {label} sector to the team by more than {listing([name_of(G, b) for b in brokers], 'or')}: "
            f"invite {listing([i['name'] for i in invite])}."
        )
    else:
        action = (
            f"Invite {label} stakeholders already in the network, those who trust the team first: "
            f"{listing([i['name'] for i in invite])}."
        )
    return {"action": action, "invite": invite, "through": _introduced(G, ranked), "avoid": [], "method": method}


def _lived_action(G: nx.MultiDiGraph, gaps: list[dict]) -> dict:
    people = sorted(
        {p for g in gaps for p in g["evidence"].get("people", []) + g["evidence"].get("lived_experience_engaged", [])}
    )
    missing = {k for g in gaps for k in g["evidence"].get("kinds", [])}
    trusted_by = _trusted_by_priority(G)
    holders = decision_holders(G)

    def key(node):
        kinds = lived_experience_kinds(G.nodes[node]) or []
        return (not (set(kinds) & missing), -sum(n for _, n in trusted_by.get(node, [])), node)

    ranked = sorted(people, key=key)[:NAMED]
    invite = []
    for node in ranked:
        kinds = lived_experience_kinds(G.nodes[node]) or []
        parts = ["lived experience" + (f" of {listing([k.replace('_', ' ') for k in kinds])}" if kinds else "")]
        parts += [f"trusted by {n} {name_of(G, c)} residents" for c, n in trusted_by.get(node, [])]
        invite.append(_person(G, node, "; ".join(parts) + "; engaged, no decision role"))
    trust = trust_toward(G)
    t_min = program_of(G).min_trust
    through = {}
    for node in ranked:
        for holder in sorted(holders):
            if max(trust.get(node, {}).get(holder, 0), trust.get(holder, {}).get(node, 0)) >= t_min:
                through.setdefault(
                    holder,
                    _person(G, holder, f"holds a decision role; a trusted tie with {name_of(G, node)}"),
                )
                break
    names = listing([i["name"] for i in invite])
    action = (
        f"Offer voting seats (paid, or co-chairs) to people with lived experience: {names}."
        if invite
        else "Recruit people with lived experience of crises and of police response for voting seats."
    )
    return {
        "action": action,
        "invite": invite,
        "through": list(through.values()),
        "avoid": [],
        "method": "formal_decision_role",
    }


def _providers(G: nx.MultiDiGraph, services: list[str]) -> list[str]:
    found = []
    for s in services:
        owners = [u for u, _, k in G.in_edges(s, keys=True) if k == "provides"]
        found += owners or [s]
    return list(dict.fromkeys(found))


def _shared_contacts(G: nx.MultiDiGraph, nodes: list[str]) -> list[dict]:
    """For each node, someone trusted by both sides; else someone with a tie to both it and the team side."""
    side = team_side(G)
    through: dict[str, dict] = {}
    U = G.to_undirected(as_view=True)
    for node in nodes:
        found = introducers(G, node)
        if found:
            through.setdefault(
                found[0]["id"], _person(G, found[0]["id"], f"trusted by {name_of(G, node)} and the team")
            )
            continue
        shared = sorted(
            o
            for o in U[node]
            if o not in side and any(s in U[o] for s in side) and G.nodes[o].get("kind") in ("person", "organization")
        )
        if shared:
            through.setdefault(shared[0], _person(G, shared[0], f"knows {name_of(G, node)} and the team"))
    return list(through.values())


def _need_action(G: nx.MultiDiGraph, need: str, gaps: list[dict]) -> dict:
    label = need.replace("_", " ")
    checks = {g["check"]: g for g in gaps}
    services = sorted(service_providers(G, need))
    providers = _providers(G, services)
    steps = []
    if "no_service" in checks:
        steps.append(
            f"Find {label} services (a 211 directory merged with `stakeholder-graph merge` helps) and invite them"
        )
    if "unreachable" in checks:
        steps.append(f"Agree referrals with a {label} provider the team cannot reach yet")
    if "single_provider" in checks:
        steps.append(f"Find a second {label} provider; ask the only one for a backup arrangement")
    if "no_24_7" in checks:
        steps.append(f"Agree after-hours {label} coverage with a provider, or an on-call arrangement")
    if "hours_unknown" in checks:
        steps.append(f"Ask the {label} services whose hours are unknown whether anyone answers at night")
    if not steps:  # a check this plan has no words of its own for
        steps = [g["recommendation"].rstrip(".") for g in gaps]
    invite = [
        _person(
            G,
            p,
            "provides "
            + listing(
                [
                    f"{name_of(G, s)} ({G.nodes[s].get('hours') or 'hours unknown'})"
                    for s in services
                    if G.has_edge(p, s, "provides") or s == p
                ]
            ),
        )
        for p in providers[:NAMED]
    ]
    return {
        "action": ". ".join(steps) + (f": {listing([i['name'] for i in invite])}." if invite else "."),
        "invite": invite,
        "through": _shared_contacts(G, providers[:NAMED]),
        "avoid": [],
        "method": "expert_consultation",
    }


def _language_action(G: nx.MultiDiGraph, gap: dict) -> dict:
    language = gap["evidence"]["language"]
    providers = _providers(G, gap["evidence"].get("services", []))[:NAMED]
    invite = [_person(G, p, f"reachable by referral; no {language} recorded for its services") for p in providers]
    return {
        "action": f"Ask the providers the team refers to for {listing([n.replace('_', ' ') for n in gap['evidence']['needs']])} "
        f"to offer {language} (staff or interpreters), or refer to providers that do.",
        "invite": invite,
        "through": [],
        "avoid": [],
        "method": "expert_consultation",
    }


def _method_action(G: nx.MultiDiGraph, gaps: list[dict]) -> dict:
    methods = sorted((g["subject"] for g in gaps), key=lambda m: METHODS.index(m) if m in METHODS else len(METHODS))
    labels = [m.replace("_", " ") for m in methods]
    trusted_by = _trusted_by_priority(G)
    ranked = sorted(trusted_by, key=lambda n: (-sum(c for _, c in trusted_by[n]), n))[:NAMED]
    invite = [_person(G, n, _candidate_why(G, n, trusted_by)) for n in ranked]
    what = "Never held" if gaps[0]["check"] == "never_used" else "Not held recently"
    them = "it" if len(labels) == 1 else "them"
    return {
        "action": f"{what}: {listing(labels)}. Hold {them}"
        + (f" with the people priority communities trust: {listing([i['name'] for i in invite])}." if invite else "."),
        "invite": invite,
        "through": [],
        "avoid": [],
        "method": methods[0],
    }


def _absent_action(G: nx.MultiDiGraph, gap: dict) -> dict:
    sectors = gap["evidence"]["sectors"]
    return {
        "action": gap["recommendation"],
        "invite": [],
        "through": [],
        "avoid": [],
        "method": "focus_group" if set(sectors) <= COMMUNITY_SECTORS else "expert_consultation",
    }


def _generic_action(G: nx.MultiDiGraph, area: tuple[str, str], gaps: list[dict]) -> dict:
    what, subject = area
    ids = []
    for g in gaps:
        ev = g["evidence"]
        ids += (
            ev.get("non_respondents")
            or ev.get("stakeholders")
            or ([ev["stakeholder"]] if ev.get("stakeholder") else [])
        )
        ids += ev.get("people", []) if what == "group" else []
    ids = [i for i in dict.fromkeys(ids) if i in G][:NAMED]
    why = {
        "isolated": "no relationship with the rest of the network is recorded",
        "survey_response": "invited to the partner survey, did not answer",
        "group": f"of the group {subject.partition(':')[2]}",
    }.get(what, "named by the gap")
    invite = [_person(G, n, why) for n in ids]
    method = {"group": "focus_group", "survey_response": "survey"}.get(what, "expert_consultation")
    return {
        "action": gaps[0]["recommendation"],
        "invite": invite,
        "through": _shared_contacts(G, ids),
        "avoid": [],
        "method": method,
    }


def _directory_area(G: nx.MultiDiGraph) -> dict | None:
    """A service directory's stakeholders with no tie to the program yet (not gaps): one low action,
    starting with organizations of expected sectors whose services meet expected needs."""
    from .directory import not_yet_connected

    waiting = not_yet_connected(G)
    organizations = waiting["organizations"]
    if not organizations:
        return None
    program = program_of(G)
    needs: dict[str, set[str]] = defaultdict(set)
    for service in waiting["services"]:
        for org in service["providers"]:
            needs[org] |= set(service["needs"]) & set(program.expected_needs)
    ranked = sorted(
        organizations,
        key=lambda o: (not needs[o["id"]], o["sector"] not in program.expected_sectors, -o["services"], o["name"]),
    )[:NAMED]
    invite = [
        _person(
            G,
            o["id"],
            (f"{o['sector'].replace('_', ' ')}; " if o["sector"] else "")
            + (
                f"services for {listing(sorted(n.replace('_', ' ') for n in needs[o['id']]))}"
                if needs[o["id"]]
                else f"{o['services']} services listed"
            ),
        )
        for o in ranked
    ]
    count = waiting["count"]
    return {
        "affects": {"people": None, "population_share": None},
        "action": {
            "action": f"The service directory's {count['organizations']} organizations and {count['services']} services "
            f"have no tie to the program yet: start with {listing([i['name'] for i in invite])}.",
            "invite": invite,
            "through": _shared_contacts(G, [o["id"] for o in ranked]),
            "avoid": [],
            "method": "expert_consultation",
        },
    }


def build_plan(G: nx.MultiDiGraph, gaps: list[dict] | None = None) -> list[dict]:
    """The outreach plan: one action per area of gaps, most urgent first.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The stakeholder graph.
    gaps : list of dict, optional
        :func:`stakeholder_graph.gaps.find_gaps` of ``G`` when already computed.

    Returns
    -------
    list of dict
        ``priority`` (1 first), ``severity`` (the area's most severe gap), ``area`` (``community``,
        ``sector``, ``need``, ``lived_experience``...), ``subject``, ``title``, ``gaps`` (ids),
        ``affects`` (``{"people", "population_share"}``, null when not known), ``action`` (what to do,
        in one or two sentences), ``invite``, ``through`` and ``avoid`` (``[{"id", "name", "why"}]``),
        ``method`` (an engagement method), ``owner`` and ``due`` (empty, for the meeting to fill in).
    """
    if gaps is None:
        from .gaps import find_gaps

        gaps = find_gaps(G)
    areas: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for gap in gaps:
        areas[_area(G, gap)].append(gap)
    ranked = []
    for area, found in areas.items():
        affects = _affects(G, area, found)
        ranked.append((_rank(G, area, found, affects), area, found, affects))
    waiting = _directory_area(G)
    if waiting:
        ranked.append(
            (
                (SEVERITIES.index("low"), 0, True, 0, len(GAP_KINDS), "directory"),
                ("directory", "directory"),
                [],
                waiting["affects"],
            )
        )
    ranked.sort(key=lambda x: x[0])
    plan = []
    for priority, (_, area, found, affects) in enumerate(ranked, 1):
        what, subject = area
        if what == "community":
            action = _community_action(G, subject, found)
        elif what == "sector":
            action = _sector_action(G, subject, found)
        elif what == "lived_experience":
            action = _lived_action(G, found)
        elif what == "need":
            action = _need_action(G, subject, found)
        elif what == "language_access":
            action = _language_action(G, found[0])
        elif what == "directory":
            action = waiting["action"]
        elif what == "engagement_method":
            action = _method_action(G, found)
        elif what == "absent_sectors":
            action = _absent_action(G, found[0])
        else:
            action = _generic_action(G, area, found)
        plan.append(
            {
                "priority": priority,
                "severity": SEVERITIES[min((SEVERITIES.index(g["severity"]) for g in found), default=2)],
                "area": what,
                "subject": subject,
                "title": _title(G, area),
                "gaps": [g["id"] for g in found],
                "affects": affects,
                **action,
                "owner": "",
                "due": "",
            }
        )
    return plan


def _story(gap: dict) -> int:
    """The order a community's gaps read best in: its trust, what it hangs on, then the rest."""
    first = ("trust", "single_point_of_failure")
    return first.index(gap["kind"]) if gap["kind"] in first else len(first) + GAP_KINDS.index(gap["kind"])


def start_here(plan: list[dict], gaps: list[dict], limit: int = START_HERE) -> list[dict]:
    """The first ``limit`` areas of the plan: what matters most, with its gaps' messages.

    Returns
    -------
    list of dict
        ``priority`` (the plan action's), ``title``, ``severity``, ``affects``, ``gaps`` (their messages,
        most severe first) and ``action``.
    """
    by_id = {g["id"]: g for g in gaps}
    out = []
    for action in plan[:limit]:
        found = sorted((by_id[i] for i in action["gaps"]), key=lambda g: (SEVERITIES.index(g["severity"]), _story(g)))
        out.append(
            {
                "priority": action["priority"],
                "title": action["title"],
                "severity": action["severity"],
                "affects": action["affects"],
                "gaps": [g["message"] for g in found],
                "action": action["action"],
            }
        )
    return out


# -------------------------------------------------------------------------------------------- rendering


def _names(people: list[dict]) -> str:
    return "; ".join(p["name"] + (f" ({p['why']})" if p.get("why") else "") for p in people)


def affects_text(affects: dict) -> str:
    """``12 people in the data, 14% of the population`` (what is known of it)."""
    parts = []
    if affects.get("people"):
        parts.append(f"{affects['people']} people in the data")
    if affects.get("population_share"):
        parts.append(f"{affects['population_share']:.0%} of the population")
    return ", ".join(parts)


def plan_text(plan: list[dict], width: int = 80) -> str:
    """The plan as plain text for a terminal ``width`` columns wide."""
    import textwrap

    head = textwrap.TextWrapper(width=width, subsequent_indent="    ")
    body = textwrap.TextWrapper(width=width, initial_indent="    ", subsequent_indent="      ")
    lines = ["Outreach plan (most urgent first)"]
    if not plan:
        lines.append("  No gaps found: nothing to plan.")
    for a in plan:
        lines.append("")
        lines += head.wrap(f"{a['priority']}. [{a['severity'].upper()}] {a['title']}: {a['action']}")
        for label, key in (("Invite", "invite"), ("Through", "through"), ("Not through", "avoid")):
            if a[key]:
                lines += body.wrap(f"{label}: {_names(a[key])}")
        lines += body.wrap(f"Method: {(a['method'] or '').replace('_', ' ')}.  Owner: ____  Due: ____")
    return "\n".join(lines) + "\n"


_md = markdown_text  # HTML and Markdown's punctuation escaped: a name is never a tag or a link


def plan_markdown(plan: list[dict], level: int = 1) -> str:
    """The plan as Markdown: one table row per action, for a meeting document."""
    out = [
        f"{'#' * level} Outreach plan",
        "",
        "| # | severity | about | action | invite | through | not through | method | owner | due |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for a in plan:
        out.append(
            f"| {a['priority']} | {a['severity']} | {_md(a['title'])} | {_md(a['action'])} | {_md(_names(a['invite']))} "
            f"| {_md(_names(a['through']))} | {_md(_names(a['avoid']))} | {_md((a['method'] or '').replace('_', ' '))} | | |"
        )
    if not plan:
        out.append("| | | | No gaps found: nothing to plan. | | | | | | |")
    return "\n".join(out) + "\n"


#: A CSV cell a spreadsheet shows as text (a leading ``=``, ``+``, ``-``, ``@``, tab or carriage return
#: gets a single quote in front). The one helper the directory's problem lists use, until a shared home.
safe_cell = neutralise


def plan_csv(plan: list[dict]) -> str:
    """The plan as CSV (UTF-8, a header row, one row per action; formulas neutralised), for a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in plan:
        row = {
            "priority": a["priority"],
            "severity": a["severity"],
            "about": a["title"],
            "action": a["action"],
            "invite": "; ".join(p["name"] for p in a["invite"]),
            "why": " / ".join(f"{p['name']}: {p['why']}" for p in a["invite"] + a["through"] if p.get("why")),
            "through": "; ".join(p["name"] for p in a["through"]),
            "avoid": "; ".join(f"{p['name']}: {p['why']}" for p in a["avoid"]),
            "method": (a["method"] or "").replace("_", " "),
            "owner": a["owner"],
            "due": a["due"],
            "gaps": " ".join(a["gaps"]),
        }
        writer.writerow([safe_cell(row[c]) for c in CSV_COLUMNS])
    return buffer.getvalue()
