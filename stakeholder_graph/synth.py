"""Synthetic stakeholder networks of any size, for demos, tests and benchmarks.

:func:`synthesize` builds a valid stakeholder graph in the model :func:`~stakeholder_graph.dataset.read_dataset`
produces (typed node attributes, edges keyed by type, ``G.graph["program"]``), shaped like a city's
community responder network: one responder team; organizations in every sector; people who each belong
to one organization and live in one community; communities with population shares, a third of them
priority; services that together meet every need; engagements of every method; and ties that are
denser inside a sector than across sectors. The same size and seed always give the same graph.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np

from ._synth_city import (
    _ENGAGEMENT_NAMES,
    _FIRST,
    _FIRST_SECTORS,
    _FUNDERS,
    _HOURS,
    _HOURS_P,
    _LANGUAGES,
    _LAST,
    _LOW_TRUST,
    _NEED_SECTORS,
    _ORG_NAMES,
    _ORG_SIZE,
    _ORG_WEIGHT,
    _PLACES,
    _PREFIXES,
    _REFERRING,
    _SERVICE_NAMES,
    _SERVING,
    _SUFFIXES,
    _TEAM_PARTNERS,
)
from .program import Program
from .vocab import EDGE_TYPES, METHODS, NEEDS, SECTORS, UNDIRECTED_EDGE_TYPES

__all__ = ["MIN_STAKEHOLDERS", "RELATIONSHIPS_PER_STAKEHOLDER", "AS_OF", "synthesize"]

#: The smallest network :func:`synthesize` builds.
MIN_STAKEHOLDERS = 20
#: The reference date of every synthetic network; every date in it is on or before this day.
AS_OF = "2026-06-30"

_AS_OF = dt.date.fromisoformat(AS_OF)
_TYPE_CODE = {name: code for code, name in enumerate(EDGE_TYPES)}
_UNDIRECTED_CODES = np.array([name in UNDIRECTED_EDGE_TYPES for name in EDGE_TYPES])
_SECTOR_CODE = {name: code for code, name in enumerate(SECTORS)}


#: Mean ties a person and an organization start (besides membership, services and engagements).
_PERSON_TIES = 1.3
_ORG_TIES = 1.6
#: Share of a person's ties inside their organization, and inside their sector (the rest go anywhere).
_SAME_ORG = 0.4
_SAME_SECTOR = 0.4


def _counts(n: int) -> dict[str, int]:
    """How many nodes of each kind a network of ``n`` stakeholders has (they add up to ``n``)."""
    communities = min(6 + n // 2000, max(3, n // 12))
    engagements = min(8 + n // 1000, max(len(METHODS), n // 8))
    organizations = max(3, round(0.15 * n))
    services = max(2, round(0.08 * n))
    people = n - 1 - communities - engagements - organizations - services
    return {
        "team": 1,
        "community": communities,
        "organization": organizations,
        "person": people,
        "service": services,
        "engagement": engagements,
    }


def _ids(prefix: str, count: int) -> list[str]:
    width = max(2, len(str(count)))
    return [f"{prefix}-{i:0{width}d}" for i in range(1, count + 1)]


def _numbered(names: list[str]) -> list[str]:
    """Make repeated names unique by numbering the second and later ones."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} {seen[name]}")
    return out


def _community_names(count: int) -> list[str]:
    combos = [p + s for s in _SUFFIXES for p in _PREFIXES]
    return [combos[i % len(combos)] + (f" {i // len(combos) + 1}" if i >= len(combos) else "") for i in range(count)]


def _shares(rng: np.random.Generator, count: int) -> np.ndarray:
    """Population shares, rounded to 4 decimals, that add up to 1."""
    shares = np.maximum(np.round(rng.dirichlet(np.full(count, 3.0)), 4), 0.0001)
    shares[int(np.argmax(shares))] += 1 - shares.sum()
    return np.round(shares, 4)


def _groups(labels: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions grouped by label: (positions sorted by label, start of each group, size of each group)."""
    order = np.argsort(labels, kind="stable")
    counts = np.bincount(labels, minlength=size)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    return order, starts, counts


def _pick(rng: np.random.Generator, groups: tuple, which: np.ndarray, members: np.ndarray) -> np.ndarray:
    """For each ``which[i]``, a random member of that group (-1 where the group is empty)."""
    order, starts, counts = groups
    which = np.asarray(which, dtype=np.int64)
    size = counts[which]
    if not len(order):
        return np.full(len(which), -1, dtype=np.int64)
    offset = np.minimum((rng.random(len(which)) * size).astype(np.int64), np.maximum(size - 1, 0))
    position = np.minimum(starts[which] + offset, len(order) - 1)
    return np.where(size > 0, members[order[position]], -1)


def _tie_counts(rng: np.random.Generator, count: int, mean: float) -> np.ndarray:
    """Overdispersed tie counts: many stakeholders with one or two ties, a few well-connected hubs."""
    return rng.poisson(rng.gamma(0.7, mean / 0.7, size=count))


def _anyone(rng: np.random.Generator, count: int, layout: _Layout, person_share: float = 0.75) -> np.ndarray:
    """Stakeholders picked across the whole network: mostly people, then organizations, a few others."""
    which = rng.random(count)
    out = np.where(
        which < person_share,
        layout.pers[rng.integers(0, len(layout.pers), count)],
        layout.orgs[rng.integers(0, len(layout.orgs), count)],
    )
    out = np.where(which > 0.995, layout.coms[rng.integers(0, len(layout.coms), count)], out)
    return np.where((which > 0.99) & (which <= 0.995), layout.team, out)


def _codes(names) -> list[int]:
    return [_SECTOR_CODE[s] for s in names]


class _Layout:
    """Node indices by kind and the per-node arrays everything else is drawn from.

    Nodes are numbered team, communities, organizations, people, services, engagements.
    """

    def __init__(self, n: int, rng: np.random.Generator):
        counts = _counts(n)
        self.n = n
        self.team = 0
        bounds = np.cumsum([1] + [counts[k] for k in ("community", "organization", "person", "service", "engagement")])
        self.coms, self.orgs, self.pers, self.svcs, self.engs = (
            np.arange(a, b) for a, b in zip(bounds[:-1], bounds[1:])
        )
        n_com, n_org, n_per, n_svc, n_eng = (len(a) for a in (self.coms, self.orgs, self.pers, self.svcs, self.engs))

        # Communities: shares adding up to 1, a third of them priority.
        self.shares = _shares(rng, n_com)
        self.share_p = self.shares / self.shares.sum()
        self.priority = np.zeros(n_com, dtype=bool)
        self.priority[rng.choice(n_com, max(1, round(n_com / 3)), replace=False)] = True

        # Organizations: the first take the sectors in order, the rest by weight; sizes are heavy-tailed.
        first = _codes(_FIRST_SECTORS)[:n_org]
        weights = np.array([_ORG_WEIGHT[s] for s in SECTORS], dtype=float)
        rest = rng.choice(len(SECTORS), n_org - len(first), p=weights / weights.sum())
        self.org_sector = np.concatenate((first, rest)).astype(np.int64)
        size = rng.lognormal(0.0, 1.0, n_org) * np.array([_ORG_SIZE.get(s, 1.0) for s in SECTORS])[self.org_sector]

        # People: an organization (the first people one per organization) and its sector, a community.
        self.per_org = rng.choice(n_org, n_per, p=size / size.sum())
        self.per_org[: min(n_per, n_org)] = np.arange(min(n_per, n_org))
        self.per_sector = self.org_sector[self.per_org]
        self.per_com = rng.choice(n_com, n_per, p=self.share_p)

        self.sector = np.full(n, -1, dtype=np.int64)
        self.sector[self.team] = _SECTOR_CODE["mobile_crisis"]
        self.sector[self.orgs] = self.org_sector
        self.sector[self.pers] = self.per_sector

        # Services: needs (the first services cover every need), hours, a provider that fits the first need.
        n_needs = len(NEEDS)
        primary = np.concatenate((np.arange(n_needs), rng.integers(0, n_needs, max(0, n_svc - n_needs))))[:n_svc]
        extra = rng.integers(0, n_needs, (n_svc, 2))
        more = rng.random((n_svc, 2)) < (0.45, 0.2)
        self.svc_needs = []
        for i in range(n_svc):
            needs = {int(primary[i])} | {int(c) for c, m in zip(extra[i], more[i]) if m}
            if n_svc < n_needs:  # too few services for one need each: share the needs out
                needs |= set(range(i, n_needs, n_svc))
            self.svc_needs.append(needs)
        self.svc_needs[0] |= {NEEDS.index("mental_health_crisis"), NEEDS.index("wellness_check")}
        self.orgs_by_sector = _groups(self.org_sector, len(SECTORS))
        provider = np.full(n_svc, -1, dtype=np.int64)
        for code, need in enumerate(NEEDS):
            mask = primary == code
            options = np.array(_codes(_NEED_SECTORS[need]))
            provider[mask] = _pick(
                rng, self.orgs_by_sector, options[rng.integers(0, len(options), mask.sum())], self.orgs
            )
        missing = provider < 0
        provider[missing] = self.orgs[rng.integers(0, n_org, missing.sum())]
        provider[0] = self.team  # the team's own mobile crisis response
        self.provider = provider
        self.svc_hours = rng.choice(len(_HOURS), n_svc, p=_HOURS_P)
        self.svc_hours[0] = 0
        self.svc_sector = self.sector[provider]

        # Engagements: every method, dates in the two years before AS_OF.
        self.eng_method = rng.integers(0, len(METHODS), n_eng)
        self.eng_method[: len(METHODS)] = rng.permutation(len(METHODS))
        self.eng_days = rng.integers(0, 730, n_eng)

        # A few people hold a decision role.
        self.role_holders = np.sort(rng.choice(n_per, min(n_per, max(1, n_per // 70)), replace=False))


class _Edges:
    """Relationships collected as arrays of node indices, with type, strength, trust and start."""

    def __init__(self, rng: np.random.Generator, sector: np.ndarray):
        self.rng = rng
        self.sector = sector
        self.parts: list[tuple[np.ndarray, ...]] = []
        low = np.zeros((len(SECTORS) + 1, len(SECTORS) + 1), dtype=bool)
        for a, b in _LOW_TRUST:
            low[_SECTOR_CODE[a], _SECTOR_CODE[b]] = low[_SECTOR_CODE[b], _SECTOR_CODE[a]] = True
        self.low_trust = low

    def add(self, source, target, kind: str, strength: float = 2.5, since: float = 0.5) -> None:
        """Add relationships ``source[i] -kind-> target[i]`` (pairs with a -1 or a self-loop are dropped).

        ``strength`` is the mean strength; trust follows strength, higher inside a sector and lower
        between the pairs of sectors in ``_LOW_TRUST``; ``since`` is the share with a start date.
        """
        source, target = (
            np.ravel(a)
            for a in np.broadcast_arrays(np.asarray(source, dtype=np.int64), np.asarray(target, dtype=np.int64))
        )
        keep = (source >= 0) & (target >= 0) & (source != target)
        source, target = source[keep], target[keep]
        size = len(source)
        if not size:
            return
        rng = self.rng
        a, b = self.sector[source], self.sector[target]
        same = (a == b) & (a >= 0)
        s = np.clip(np.rint(rng.normal(strength - 0.2, 0.8, size) + 0.4 * same), 1, 4)
        t = s + rng.normal(-0.1, 0.8, size) + 0.3 * same - 1.5 * self.low_trust[a, b]
        days = np.where(rng.random(size) < since, rng.integers(0, 3650, size), -1)
        self.parts.append(
            (
                source,
                target,
                np.full(size, _TYPE_CODE[kind]),
                s.astype(np.int64),
                np.clip(np.rint(t), 1, 4).astype(np.int64),
                days,
            )
        )

    def arrays(self, n: int) -> tuple[np.ndarray, ...]:
        """All relationships in the order added, without repeats (an undirected pair counts once)."""
        source, target, kind, s, t, days = (np.concatenate(column) for column in zip(*self.parts))
        undirected = _UNDIRECTED_CODES[kind]
        a = np.where(undirected, np.minimum(source, target), source)
        b = np.where(undirected, np.maximum(source, target), target)
        _, first = np.unique((a * n + b) * len(EDGE_TYPES) + kind, return_index=True)
        first.sort()
        return source[first], target[first], kind[first], s[first], t[first], days[first]


def _ties(layout: _Layout, rng: np.random.Generator, scale: float = 1.0) -> _Edges:
    """Every relationship of the network; ``scale`` multiplies the mean number of ties people and
    organizations start (1 for the default network)."""
    L = layout
    n, team = L.n, L.team
    coms, orgs, pers, svcs, engs = L.coms, L.orgs, L.pers, L.svcs, L.engs
    n_com, n_org, n_per, n_svc, n_eng = (len(a) for a in (coms, orgs, pers, svcs, engs))
    edges = _Edges(rng, L.sector)

    # Membership; services provided by their organization; who serves which community.
    edges.add(pers, orgs[L.per_org], "member_of", strength=3.0, since=0.7)
    edges.add(L.provider, svcs, "provides", strength=3.8, since=0.6)
    served = np.repeat(svcs, 1 + rng.poisson(0.6, n_svc))
    edges.add(served, coms[rng.choice(n_com, len(served), p=L.share_p)], "serves", strength=2.8)
    serves = np.isin(L.org_sector, _codes(_SERVING))
    serving = np.repeat(orgs[serves], 1 + (rng.random(n_org) < 0.4)[serves])
    edges.add(serving, coms[rng.choice(n_com, len(serving), p=L.share_p)], "serves", strength=2.5)
    edges.add(team, coms[L.priority | (rng.random(n_com) < 0.5)], "serves", strength=3.0)

    # People's ties: inside their organization, inside their sector, or anywhere.
    src = np.repeat(np.arange(n_per), _tie_counts(rng, n_per, _PERSON_TIES * scale))
    where = rng.random(len(src))
    target = np.full(len(src), -1, dtype=np.int64)
    inside = where < _SAME_ORG
    target[inside] = _pick(rng, _groups(L.per_org, n_org), L.per_org[src[inside]], pers)
    actors = np.concatenate((pers, orgs, [team]))
    by_sector = _groups(np.concatenate((L.per_sector, L.org_sector, [L.sector[team]])), len(SECTORS))
    sector_wide = (where < _SAME_ORG + _SAME_SECTOR) & ((target < 0) | (target == pers[src]))
    target[sector_wide] = _pick(rng, by_sector, L.per_sector[src[sector_wide]], actors)
    anywhere = target < 0
    target[anywhere] = _anyone(rng, int(anywhere.sum()), L)
    kind = rng.choice(3, len(src), p=(0.5, 0.33, 0.17))
    for code, name, strength in ((0, "communicates_with", 2.3), (1, "trusts", 2.6), (2, "partners_with", 2.8)):
        edges.add(pers[src[kind == code]], target[kind == code], name, strength=strength)

    # Organizations' ties: mostly inside their sector.
    src = np.repeat(np.arange(n_org), _tie_counts(rng, n_org, _ORG_TIES * scale))
    target = _pick(rng, L.orgs_by_sector, L.org_sector[src], orgs)
    anywhere = (rng.random(len(src)) < 0.4) | (target < 0) | (target == orgs[src])
    target[anywhere] = _anyone(rng, int(anywhere.sum()), L, person_share=0.2)
    kind = rng.choice(3, len(src), p=(0.5, 0.3, 0.2))
    for code, name, strength in ((0, "partners_with", 2.7), (1, "communicates_with", 2.3), (2, "trusts", 2.6)):
        edges.add(orgs[src[kind == code]], target[kind == code], name, strength=strength)
    funders = orgs[np.isin(L.org_sector, _codes(_FUNDERS)) & (rng.random(n_org) < 0.5)]
    funded = np.where(
        rng.random(len(funders)) < 0.5,
        orgs[rng.integers(0, n_org, len(funders))],
        svcs[rng.integers(0, n_svc, len(funders))],
    )
    edges.add(funders, funded, "funds", strength=3.0)

    # Communities partner with a few organizations.
    com_src = np.repeat(coms, 2 + rng.poisson(2, n_com))
    edges.add(com_src, orgs[rng.integers(0, n_org, len(com_src))], "partners_with", strength=2.4)

    # Referrals to services, mostly to services run in the referrer's own sector.
    referring = np.isin(L.sector, _codes(_REFERRING))
    chance = np.full(n, 0.15)
    chance[orgs] = 0.5
    referrers = np.flatnonzero(referring & (rng.random(n) < chance))
    wanted = L.sector[referrers]
    svc_refs = svcs[rng.random(n_svc) < 0.25]  # services refer on to services of the same sector
    referrers = np.concatenate((referrers, svc_refs))
    wanted = np.concatenate((wanted, L.svc_sector[svc_refs - svcs[0]]))
    target = _pick(rng, _groups(L.svc_sector, len(SECTORS)), np.maximum(wanted, 0), svcs)
    anywhere = (rng.random(len(referrers)) < 0.25) | (target < 0) | (wanted < 0)
    target[anywhere] = svcs[rng.integers(0, n_svc, int(anywhere.sum()))]
    edges.add(referrers, target, "refers_to", strength=2.7)

    # The team: its closest partners, dispatch and first responders, referrals (mostly to 24/7 services).
    close = orgs[np.isin(L.org_sector, _codes(_TEAM_PARTNERS))]
    partners = np.sort(rng.choice(close, min(len(close), 12 + n // 1000), replace=False))
    edges.add(team, partners, "partners_with", strength=3.2, since=0.9)
    edges.add(partners[rng.random(len(partners)) < 0.6], team, "trusts", strength=3.0)
    responders = orgs[np.isin(L.org_sector, _codes(("dispatch_911", "ems_fire", "law_enforcement")))]
    edges.add(team, responders[: 6 + n // 2000], "communicates_with", strength=3.4, since=0.9)
    always = svcs[1:][L.svc_hours[1:] == 0]
    others = svcs[1:][L.svc_hours[1:] != 0]
    edges.add(team, rng.choice(always, min(len(always), 15 + n // 800), replace=False), "refers_to", strength=3.2)
    edges.add(team, rng.choice(others, min(len(others), 5 + n // 2000), replace=False), "refers_to", strength=2.6)
    governors = orgs[np.isin(L.org_sector, _codes(("local_government", "health_department")))][:3]
    edges.add(governors, team, "sits_on", strength=3.0, since=0.9)
    funders = orgs[np.isin(L.org_sector, _codes(("local_government", "health_department")))][:2]
    edges.add(funders, team, "funds", strength=3.5, since=0.9)

    # Engagements: the team takes part in all; some people, organizations and every community in some.
    edges.add(team, engs, "participated_in", strength=3.0, since=1.0)
    popular = np.isin(L.eng_method, [METHODS.index("town_hall"), METHODS.index("survey")])
    eng_p = (1.0 + 4.0 * popular) / (1.0 + 4.0 * popular).sum()
    joiners = np.concatenate((pers[rng.random(n_per) < 0.1], np.repeat(orgs[rng.random(n_org) < 0.25], 2), coms))
    edges.add(joiners, engs[rng.choice(n_eng, len(joiners), p=eng_p)], "participated_in", strength=1.8, since=1.0)

    # Decision roles: each holder sits on a decision body (the first two chair the first one).
    bodies = engs[L.eng_method == METHODS.index("formal_decision_role")]
    seats = bodies[rng.integers(0, len(bodies), len(L.role_holders))]
    seats[:2] = bodies[0]
    edges.add(pers[L.role_holders], seats, "sits_on", strength=3.2, since=1.0)
    return edges


#: The range of ``relationships_per_stakeholder`` :func:`synthesize` accepts.
RELATIONSHIPS_PER_STAKEHOLDER = (2.0, 50.0)


def _scaled_ties(layout: _Layout, rng: np.random.Generator, per_stakeholder: float) -> tuple[np.ndarray, ...]:
    """The relationships, with people's and organizations' own ties scaled to ``per_stakeholder`` in all.

    Repeated pairs are dropped, more often the denser the network, so the scale is found by the secant
    method on the count of distinct relationships (each try from the same random state, so the result
    depends only on the size, seed and ``per_stakeholder``), to within 0.5% or after eight tries.
    """
    start = rng.bit_generator.state
    target = per_stakeholder * layout.n

    def attempt(scale: float) -> tuple[np.ndarray, ...]:
        rng.bit_generator.state = start
        return _ties(layout, rng, scale).arrays(layout.n)

    tried = [(1.0, attempt(1.0))]
    free = _PERSON_TIES * len(layout.pers) + _ORG_TIES * len(layout.orgs)  # ties the scale multiplies
    scale = max(0.01, 1.0 + (target - len(tried[0][1][0])) / free)
    for _ in range(8):
        found = attempt(scale)
        tried.append((scale, found))
        if abs(len(found[0]) - target) <= 0.005 * target:
            break
        (s0, e0), (s1, e1) = tried[-2], tried[-1]
        slope = (len(e1[0]) - len(e0[0])) / (s1 - s0) if s1 != s0 else free
        scale = max(0.01, s1 + (target - len(e1[0])) / max(slope, 1.0))
    return min(tried, key=lambda t: abs(len(t[1][0]) - target))[1]


def _dates(days: np.ndarray) -> list[str | None]:
    """ISO dates ``days`` before AS_OF (None for a negative number)."""
    table = [(_AS_OF - dt.timedelta(days=d)).isoformat() for d in range(int(days.max(initial=0)) + 1)]
    return [table[d] if d >= 0 else None for d in days.tolist()]


def _nodes(L: _Layout, rng: np.random.Generator, city: str) -> list[tuple[str, dict]]:
    """Every node with its typed attributes, in the order of :class:`_Layout`."""
    n_com, n_org, n_per, n_svc, n_eng = (len(a) for a in (L.coms, L.orgs, L.pers, L.svcs, L.engs))
    com_ids, org_ids, per_ids = _ids("com", n_com), _ids("org", n_org), _ids("p", n_per)
    svc_ids, eng_ids = _ids("svc", n_svc), _ids("eng", n_eng)
    nodes: list[tuple[str, dict]] = [
        (
            "team-crisis",
            {
                "name": f"{city} Community Response Team",
                "kind": "team",
                "sector": "mobile_crisis",
                "notes": "Unarmed responders: a medic and a crisis worker on every call",
            },
        ),
    ]
    com_names = _community_names(n_com)
    for i in range(n_com):
        nodes.append(
            (
                com_ids[i],
                {
                    "name": com_names[i],
                    "kind": "community",
                    "population_share": float(L.shares[i]),
                    "priority": bool(L.priority[i]),
                },
            )
        )

    place = rng.integers(0, len(_PLACES), n_org)
    template = rng.integers(0, 12, n_org)
    org_names = []
    for i, code in enumerate(L.org_sector.tolist()):
        options = _ORG_NAMES[SECTORS[code]]
        org_names.append(options[template[i] % len(options)].format(_PLACES[place[i]]))
    for i, (name, code) in enumerate(zip(_numbered(org_names), L.org_sector.tolist())):
        nodes.append((org_ids[i], {"name": name, "kind": "organization", "sector": SECTORS[code]}))

    first = rng.integers(0, len(_FIRST), n_per).tolist()
    last = rng.integers(0, len(_LAST), n_per).tolist()
    lived_sector = np.isin(L.per_sector, _codes(("lived_experience", "harm_reduction", "family_advocate")))
    lived_p = np.where(lived_sector, 0.85, np.where(L.priority[L.per_com], 0.25, 0.12))
    roll = rng.random(n_per)
    lived = np.where(roll < lived_p, 1, np.where(roll < 0.75, 0, -1)).tolist()  # 1 yes, 0 no, -1 unknown
    messenger = (
        np.isin(L.per_sector, _codes(("lived_experience", "faith_based", "community_organization")))
        & (rng.random(n_per) < 0.15)
    ).tolist()
    roles = dict(zip(L.role_holders.tolist(), ["advisory board co-chair"] * 2 + ["advisory board member"] * n_per))
    for i in range(n_per):
        attrs = {
            "name": f"{_FIRST[first[i]]} {_LAST[last[i]]}",
            "kind": "person",
            "sector": SECTORS[L.per_sector[i]],
            "community": com_ids[L.per_com[i]],
        }
        if lived[i] >= 0:
            attrs["lived_experience"] = bool(lived[i])
        if i in roles:
            attrs["decision_role"] = roles[i]
        if messenger[i]:
            attrs["tags"] = ["credible_messenger"]
        nodes.append((per_ids[i], attrs))

    place = rng.integers(0, len(_PLACES), n_svc).tolist()
    spanish = (rng.random(n_svc) < 0.45).tolist()
    other = np.where(rng.random(n_svc) < 0.12, rng.integers(0, len(_LANGUAGES), n_svc), -1).tolist()
    variant = rng.integers(0, 3, n_svc).tolist()
    svc_names = []
    for i in range(n_svc):
        primary = NEEDS[min(L.svc_needs[i])] if i else "mental_health_crisis"
        options = _SERVICE_NAMES[primary]
        svc_names.append(f"{options[variant[i] % len(options)]} ({_PLACES[place[i]]})")
    svc_names[0] = f"{city} mobile crisis response"
    for i, name in enumerate(_numbered(svc_names)):
        languages = (
            ["English"] + (["Spanish"] if spanish[i] else []) + ([_LANGUAGES[other[i]]] if other[i] >= 0 else [])
        )
        nodes.append(
            (
                svc_ids[i],
                {
                    "name": name,
                    "kind": "service",
                    "needs": [NEEDS[c] for c in sorted(L.svc_needs[i])],
                    "hours": _HOURS[L.svc_hours[i]],
                    "languages": languages,
                },
            )
        )

    dates = _dates(L.eng_days)
    com_names_for = rng.integers(0, n_com, n_eng).tolist()
    eng_names = []
    for i in range(n_eng):
        method = METHODS[L.eng_method[i]]
        detail = com_names[com_names_for[i]] if method in ("focus_group", "town_hall") else dates[i][:7]
        eng_names.append(_ENGAGEMENT_NAMES[method].format(detail))
    for i, name in enumerate(_numbered(eng_names)):
        nodes.append(
            (eng_ids[i], {"name": name, "kind": "engagement", "method": METHODS[L.eng_method[i]], "date": dates[i]})
        )
    return nodes


def synthesize(
    n_stakeholders: int, seed: int = 0, *, relationships_per_stakeholder: float | None = None
) -> nx.MultiDiGraph:
    """Build a realistic, valid stakeholder network of a given size.

    The network has one responder team (sector ``mobile_crisis``); about 15% organizations, covering
    every sector once there are 19 or more; about 75% people, each ``member_of`` one organization
    and in its sector, living in a ``community``, often with ``lived_experience`` and, for about 1 in
    70, a ``decision_role`` and a seat (``sits_on``) on an advisory-board engagement; ``6 + n / 2000``
    communities, a third of them priority, whose ``population_share`` adds up to 1; about 8% services,
    each provided by an organization (the first by the team), that together meet every need, open
    ``24/7`` or ``Mon-Fri 08:00-17:00`` (a few other hours), in English and often other languages;
    and ``8 + n / 1000`` engagements that use every method. Ties (``partners_with``,
    ``communicates_with``, ``trusts``, ``refers_to`` services, ``participated_in``, ``serves``,
    ``funds``) bring the mean number of relationships per stakeholder (degree) to about 5 (about 2.7
    relationships per stakeholder), unless ``relationships_per_stakeholder`` asks for more; about 80%
    of a person's ties stay inside their organization or sector. Trust is lower between law
    enforcement and lived-experience or harm-reduction stakeholders. Small networks have fewer
    communities and engagements so that every kind is present.

    Parameters
    ----------
    n_stakeholders : int
        Number of nodes, at least :data:`MIN_STAKEHOLDERS`.
    seed : int
        Random seed: the same size and seed give the same network (with the same numpy version, whose
        random streams numpy does not promise to keep between versions).
    relationships_per_stakeholder : float, optional
        Ask for about this many relationships per stakeholder (2 to 50; 5 gives 500,000 relationships
        among 100,000 stakeholders): people and organizations start proportionally more ties of their
        own, the rest of the network (memberships, services, engagements) stays as it is. The count
        comes within about 0.5% of the ask. None (the default) gives the default network, about 2.7.

    Returns
    -------
    networkx.MultiDiGraph
        Typed as :func:`~stakeholder_graph.dataset.read_dataset` returns it: ``G.graph["program"]`` is
        a :class:`~stakeholder_graph.program.Program` naming the team, with ``as_of`` :data:`AS_OF`;
        ``G.graph["name"]`` is its name.

    Raises
    ------
    ValueError
        When ``n_stakeholders`` is below :data:`MIN_STAKEHOLDERS`, or ``relationships_per_stakeholder``
        is outside :data:`RELATIONSHIPS_PER_STAKEHOLDER`.
    """
    if n_stakeholders < MIN_STAKEHOLDERS:
        raise ValueError(f"n_stakeholders must be at least {MIN_STAKEHOLDERS}, not {n_stakeholders}")
    low, high = RELATIONSHIPS_PER_STAKEHOLDER
    if relationships_per_stakeholder is not None and not low <= relationships_per_stakeholder <= high:
        raise ValueError(
            f"relationships_per_stakeholder must be from {low:g} to {high:g}, not {relationships_per_stakeholder}"
        )
    n = int(n_stakeholders)
    rng = np.random.default_rng(seed)
    city = _PLACES[int(rng.integers(0, len(_PLACES)))]
    layout = _Layout(n, rng)
    nodes = _nodes(layout, rng, city)
    if relationships_per_stakeholder is None:
        source, target, kind, strength, trust, days = _ties(layout, rng).arrays(n)
    else:
        source, target, kind, strength, trust, days = _scaled_ties(layout, rng, relationships_per_stakeholder)

    ids = [node for node, _ in nodes]
    since = _dates(days)
    edges = []
    for u, v, k, s, t, d in zip(
        source.tolist(), target.tolist(), kind.tolist(), strength.tolist(), trust.tolist(), since
    ):
        name = EDGE_TYPES[k]
        attrs = {"type": name, "strength": s, "trust": t}
        if d is not None:
            attrs["since"] = d
        edges.append((ids[u], ids[v], name, attrs))

    program = Program(name=f"{city} community responder program (synthetic)", team=ids[layout.team], as_of=AS_OF)
    G = nx.MultiDiGraph(program=program, name=program.name)
    G.add_nodes_from(nodes)
    G.add_edges_from(edges)
    return G
