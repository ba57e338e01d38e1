"""Who takes part, and whether they speak for the city: engagement, decision roles, representation,
lived experience and language access.

The gaps here (``representation``, ``lived_experience_voice``, ``language_access``) are run by
:func:`stakeholder_graph.gaps.find_gaps`; their definitions are in README.md ("gaps").
"""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from ._gap import CRISIS_NEEDS, listing, make_gap, name_of, program_of
from ._ties import communities_of, current, priority_communities
from .referrals import referral_graph, service_providers
from .vocab import DEMOGRAPHIC_COLUMNS

__all__ = [
    "REPRESENTATION_RATIO",
    "engaged_stakeholders",
    "decision_holders",
    "lived_experience_kinds",
    "community_languages",
    "gaps_representation",
    "gaps_lived_experience_voice",
    "gaps_language_access",
]

#: A community (or group) is under-represented when its share among engaged people is below this ratio
#: of its population share.
REPRESENTATION_RATIO = 0.5


def engaged_stakeholders(G: nx.MultiDiGraph) -> set[str]:
    """Stakeholders who take part in the program's engagement.

    They participated in an engagement, sit on a decision body, or partner with the responder team
    (current relationships); the team itself counts as engaged.
    """
    G = current(G)
    team = program_of(G).team
    engaged = {team} if team in G else set()
    for u, v, kind in G.edges(keys=True):
        if kind in ("participated_in", "sits_on"):
            engaged.add(u)
        elif kind == "partners_with" and team in (u, v):
            engaged.add(v if u == team else u)
    return engaged


def decision_holders(G: nx.MultiDiGraph) -> set[str]:
    """People with a formal decision role: a ``decision_role`` cell or a current ``sits_on`` relationship."""
    G = current(G)
    holders = {n for n, attrs in G.nodes(data=True) if attrs.get("kind") == "person" and attrs.get("decision_role")}
    holders |= {u for u, _, kind in G.edges(keys=True) if kind == "sits_on" and G.nodes[u].get("kind") == "person"}
    return holders


def lived_experience_kinds(attrs: dict) -> list[str] | None:
    """The kinds of lived experience a person's ``lived_experience`` names; [] when it is just true; None
    without lived experience."""
    value = attrs.get("lived_experience")
    if not value:
        return None
    return list(value) if isinstance(value, (list, tuple)) else []


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


def _ratio_gap(
    share: float, engaged: tuple[int, int], decision: tuple[int, int]
) -> tuple[dict, list[str], bool, bool] | None:
    """The evidence and message parts of an under-representation, or None when there is none."""
    engaged_share = engaged[0] / engaged[1]
    engaged_ratio = engaged_share / share
    decision_share = decision[0] / decision[1] if decision[1] else None
    decision_ratio = decision_share / share if decision_share is not None else None
    low_engaged = engaged_ratio < REPRESENTATION_RATIO
    low_decision = decision_ratio is not None and decision_ratio < REPRESENTATION_RATIO
    if not (low_engaged or low_decision):
        return None
    parts = []
    if low_engaged:
        parts.append(f"{engaged_share:.0%} of engaged people (ratio {engaged_ratio:.2f})")
    if low_decision:
        parts.append(f"{decision_share:.0%} of decision-role holders (ratio {decision_ratio:.2f})")
    evidence = {
        "population_share": share,
        "engaged": engaged[0],
        "engaged_total": engaged[1],
        "engaged_share": round(engaged_share, 4),
        "engaged_ratio": round(engaged_ratio, 4),
        "decision": decision[0],
        "decision_total": decision[1],
        "decision_share": None if decision_share is None else round(decision_share, 4),
        "decision_ratio": None if decision_ratio is None else round(decision_ratio, 4),
    }
    return evidence, parts, low_engaged, low_decision


def _values(attrs: dict, column: str) -> list[str]:
    value = attrs.get(column)
    if value is None or value == "":
        return []
    return [str(v).strip().lower() for v in (value if isinstance(value, (list, tuple)) else [value])]


def gaps_representation(G: nx.MultiDiGraph) -> list[dict]:
    """Communities, and groups of people, whose share among engaged people or decision holders is well
    below their population share.

    Communities: the ratio is (share among engaged people with a known community) / ``population_share``;
    below :data:`REPRESENTATION_RATIO` is a gap, high for an under-engaged priority community. Groups
    (``race_ethnicity``, ``language``, ``age_group`` with shares in program.toml's ``[population.COLUMN]``):
    the same ratio among engaged people whose column is filled in (medium; low for decision roles only);
    a column with shares that no engaged person has filled in is a low gap (it cannot be checked).
    """
    persons = {n for n, k in G.nodes(data="kind") if k == "person"}
    engaged_people = engaged_stakeholders(G) & persons
    holders = decision_holders(G)
    engaged_counts, engaged_total = _shares(G, engaged_people)
    decision_counts, decision_total = _shares(G, holders)
    priority = set(priority_communities(G))
    gaps = []
    for community, attrs in sorted(G.nodes(data=True)):
        share = attrs.get("population_share")
        if attrs.get("kind") != "community" or not share or not engaged_total:
            continue
        found = _ratio_gap(
            share,
            (engaged_counts.get(community, 0), engaged_total),
            (decision_counts.get(community, 0), decision_total),
        )
        if found is None:
            continue
        evidence, parts, low_engaged, _ = found
        name = attrs.get("name", community)
        severity = (
            "high"
            if community in priority and low_engaged
            else "medium"
            if community in priority or low_engaged
            else "low"
        )
        gaps.append(
            make_gap(
                "underrepresented",
                "representation",
                severity,
                community,
                f"{name} is {share:.0%} of the population but {' and '.join(parts)}.",
                {"community": community, "priority": community in priority, **evidence},
                f"Engage {name} through the people its residents trust, in its own venues, and offer it seats "
                "with decision power.",
            )
        )
    gaps += _group_gaps(G, engaged_people, holders)
    return gaps


def _group_gaps(G: nx.MultiDiGraph, engaged: set[str], holders: set[str]) -> list[dict]:
    program = program_of(G)
    gaps = []
    for column in DEMOGRAPHIC_COLUMNS:
        shares = program.population_shares(column)
        if not shares:
            continue
        label = column.replace("_", " ")
        known_engaged = {p: _values(G.nodes[p], column) for p in engaged if _values(G.nodes[p], column)}
        known_holders = {p: _values(G.nodes[p], column) for p in holders if _values(G.nodes[p], column)}
        if not known_engaged:
            gaps.append(
                make_gap(
                    "not_recorded",
                    "representation",
                    "low",
                    column,
                    f"program.toml gives population shares by {label}, but no engaged person's {label} is "
                    "recorded: representation by it cannot be checked.",
                    {"column": column, "groups": sorted(shares), "engaged": len(engaged)},
                    f"Ask engaged people their {label} (voluntarily) and record it in the {column} column.",
                )
            )
            continue
        for group, share in shares.items():
            if not share:
                continue
            key = group.strip().lower()
            found = _ratio_gap(
                share,
                (sum(key in v for v in known_engaged.values()), len(known_engaged)),
                (sum(key in v for v in known_holders.values()), len(known_holders)),
            )
            if found is None:
                continue
            evidence, parts, low_engaged, _ = found
            people = sorted(p for p, v in known_engaged.items() if key in v)
            gaps.append(
                make_gap(
                    "underrepresented_group",
                    "representation",
                    "medium" if low_engaged else "low",
                    f"{column}:{group}",
                    f"People of {label} {group} are {share:.0%} of the population but {' and '.join(parts)} "
                    f"(among those whose {label} is recorded).",
                    {"column": column, "group": group, "people": people, **evidence},
                    f"Reach {group} residents through people and organizations they trust, and offer them seats "
                    "with decision power.",
                )
            )
    return gaps


def gaps_lived_experience_voice(G: nx.MultiDiGraph) -> list[dict]:
    """Decision bodies without lived experience, kinds of lived experience without a voice in decisions,
    and engaged people with lived experience who hold no decision role."""
    engaged = engaged_stakeholders(G)
    holders = decision_holders(G)
    kinds = {
        n: k
        for n, attrs in G.nodes(data=True)
        if attrs.get("kind") == "person" and (k := lived_experience_kinds(attrs)) is not None
    }
    lived = sorted(kinds)
    voiceless = [n for n in lived if n in engaged and n not in holders]
    lived_holders = [n for n in lived if n in holders]
    engaged_kinds = Counter(k for n in lived if n in engaged for k in kinds[n])
    kinds_text = listing([f"{n} {k.replace('_', ' ')}" for k, n in sorted(engaged_kinds.items())])
    gaps = []
    if holders and not lived_holders:
        said = f" ({len(voiceless)} engaged people have it" + (f": {kinds_text}" if kinds_text else "") + ")"
        gaps.append(
            make_gap(
                "no_decision_role_held",
                "lived_experience_voice",
                "high",
                "decision_roles",
                (
                    f"None of the {len(holders)} decision roles is held"
                    if len(holders) > 1
                    else "The only decision role is not held"
                )
                + f" by a person with lived experience{said if voiceless else ''}.",
                {
                    "decision_holders": sorted(holders),
                    "lived_experience_engaged": voiceless,
                    "kinds_engaged": dict(sorted(engaged_kinds.items())),
                },
                "Give people with lived experience of crises and of police response voting seats on the advisory board.",
            )
        )
    elif lived_holders:
        covered = {k for n in lived_holders for k in kinds[n]}
        missing = sorted(set(engaged_kinds) - covered)
        unstated = [n for n in lived_holders if not kinds[n]]
        if missing:
            note = f" ({len(unstated)} holders' kinds are not recorded)" if unstated else ""
            gaps.append(
                make_gap(
                    "kinds_without_voice",
                    "lived_experience_voice",
                    "medium",
                    "kinds",
                    "No decision-role holder has lived experience of "
                    f"{listing([k.replace('_', ' ') for k in missing], 'or')}, which engaged people have{note}.",
                    {
                        "kinds": missing,
                        "decision_holders_with_lived_experience": lived_holders,
                        "people": sorted(n for n in voiceless if set(kinds[n]) & set(missing)),
                    },
                    "Offer decision seats to people with these kinds of lived experience.",
                )
            )
    if voiceless:
        gaps.append(
            make_gap(
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


def community_languages(G: nx.MultiDiGraph) -> dict[str, dict[str, str]]:
    """Per community: the languages spoken there (its own ``languages`` cell and its residents' ``language``),
    lower case -> as first written."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for node, attrs in G.nodes(data=True):
        if attrs.get("kind") == "community":
            for lang in attrs.get("languages") or []:
                found[node].setdefault(lang.lower(), lang)
    for node, attrs in G.nodes(data=True):
        if attrs.get("kind") == "person" and attrs.get("language"):
            for community in communities_of(G, node):
                found[community].setdefault(str(attrs["language"]).lower(), str(attrs["language"]))
    return dict(found)


def gaps_language_access(G: nx.MultiDiGraph) -> list[dict]:
    """Languages spoken in a community that no service the team can reach offers, need by need.

    A need counts only when a reachable service of it has ``languages`` recorded (an unrecorded one says
    nothing). One gap per language, listing the needs and communities; high when a priority community
    speaks it and a crisis need lacks it, else medium.
    """
    program = program_of(G)
    if not program.team or program.team not in G:
        return []
    spoken = community_languages(G)
    if not spoken:
        return []
    reach = nx.descendants(referral_graph(G), program.team) | {program.team}
    offered: dict[str, tuple[list[str], set[str]]] = {}  # need -> (reachable services, languages offered)
    for need in program.expected_needs:
        services = [s for s, orgs in service_providers(G, need).items() if s in reach or set(orgs) & reach]
        recorded = [s for s in services if G.nodes[s].get("languages")]
        if recorded:
            offered[need] = (services, {lang.lower() for s in recorded for lang in G.nodes[s]["languages"]})
    priority = set(priority_communities(G))
    languages: dict[str, tuple[str, list[str]]] = {}
    for community, langs in sorted(spoken.items()):
        for key, written in langs.items():
            languages.setdefault(key, (written, []))[1].append(community)
    gaps = []
    for key, (written, communities) in sorted(languages.items()):
        needs = [need for need, (_, langs) in offered.items() if key not in langs]
        if not needs:
            continue
        severe = bool(set(communities) & priority) and bool(set(needs) & CRISIS_NEEDS)
        names = listing([name_of(G, c) for c in communities])
        what = (
            f"any of the {len(needs)} needs the program expects"
            if len(needs) == len(offered) and len(needs) > 2
            else listing([n.replace("_", " ") for n in needs], "or")
        )
        gaps.append(
            make_gap(
                "not_reachable",
                "language_access",
                "high" if severe else "medium",
                written,
                f"No {written}-speaking service for {what} is reachable by referral from the responder team ({written} is spoken in {names}).",
                {
                    "language": written,
                    "needs": needs,
                    "communities": communities,
                    "services": sorted({s for need in needs for s in offered[need][0]}),
                },
                f"Ask the reachable providers of these needs to offer {written} (staff or interpreters), or set up "
                f"referrals to providers that do.",
            )
        )
    return gaps
