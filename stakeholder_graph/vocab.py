"""The controlled vocabularies of the stakeholder data model.

Every list here is a tuple in a stable, documented order: reports, legends
and the default ``program.toml`` follow it. See ``docs/data-format.md``.
"""

from __future__ import annotations

__all__ = [
    "KINDS",
    "SECTORS",
    "NEEDS",
    "METHODS",
    "EDGE_TYPES",
    "UNDIRECTED_EDGE_TYPES",
    "STRENGTH_LABELS",
    "EDGE_ENDPOINTS",
    "LIST_FIELDS",
    "LIVED_EXPERIENCE_KINDS",
    "DEMOGRAPHIC_COLUMNS",
    "RESPONDER_NEEDS",
]

#: Node kinds.
KINDS: tuple[str, ...] = (
    "person",
    "organization",
    "community",
    "service",
    "team",
    "engagement",
)

#: Sectors a community responder program must engage.
SECTORS: tuple[str, ...] = (
    "law_enforcement",
    "dispatch_911",
    "ems_fire",
    "mobile_crisis",
    "behavioral_health",
    "housing",
    "harm_reduction",
    "health_department",
    "legislator",
    "local_government",
    "community_organization",
    "neighborhood_watch",
    "education",
    "counseling",
    "faith_based",
    "family_advocate",
    "lived_experience",
    "business",
    "other",
)

#: Needs a service can meet.
NEEDS: tuple[str, ...] = (
    "mental_health_crisis",
    "substance_use",
    "overdose",
    "housing",
    "wellness_check",
    "medical",
    "food",
    "transportation",
    "youth",
    "domestic_violence",
    "other",
)

#: The needs community responders exist for: what a program expects by default (no ``expected_needs``).
RESPONDER_NEEDS: tuple[str, ...] = (
    "mental_health_crisis",
    "substance_use",
    "overdose",
    "housing",
    "wellness_check",
)

#: Kinds of lived experience a ``lived_experience`` cell can list (instead of true/false).
LIVED_EXPERIENCE_KINDS: tuple[str, ...] = (
    "crisis_services",  # received crisis services
    "police_response",  # a police response to a crisis
    "substance_use",  # uses or used drugs
    "overdose",  # witnessed or experienced an overdose
    "family",  # a relative of a person with serious mental illness
)

#: Optional person columns describing who people are, for representation beyond neighborhoods.
DEMOGRAPHIC_COLUMNS: tuple[str, ...] = ("race_ethnicity", "language", "age_group")

#: Engagement methods.
METHODS: tuple[str, ...] = (
    "survey",
    "focus_group",
    "town_hall",
    "public_information",
    "expert_consultation",
    "formal_decision_role",
    "planning_update",
)

#: Relationship types.
EDGE_TYPES: tuple[str, ...] = (
    "member_of",
    "partners_with",
    "refers_to",
    "trusts",
    "communicates_with",
    "participated_in",
    "provides",
    "serves",
    "sits_on",
    "funds",
)

#: Relationship types that have no direction: A partners with B is B partners with A.
UNDIRECTED_EDGE_TYPES: frozenset[str] = frozenset({"partners_with", "communicates_with"})

#: The meaning of the 1-4 ``strength`` scale (PARTNER's levels of collaboration).
STRENGTH_LABELS: dict[int, str] = {
    1: "awareness",
    2: "cooperation",
    3: "coordination",
    4: "integration",
}

_ACTORS = frozenset({"person", "organization", "community", "team"})

#: Which node kinds each relationship type may join: (source kinds, target kinds).
EDGE_ENDPOINTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "member_of": (frozenset({"person", "organization"}), frozenset({"organization", "community", "team"})),
    "partners_with": (_ACTORS | {"service"}, _ACTORS | {"service"}),
    "refers_to": (_ACTORS | {"service"}, _ACTORS | {"service"}),
    "trusts": (_ACTORS, _ACTORS),
    "communicates_with": (_ACTORS, _ACTORS),
    "participated_in": (_ACTORS, frozenset({"engagement"})),
    "provides": (frozenset({"organization", "team"}), frozenset({"service"})),
    "serves": (frozenset({"organization", "service", "team"}), frozenset({"community"})),
    "sits_on": (frozenset({"person", "organization"}), frozenset({"engagement", "organization", "team"})),
    "funds": (frozenset({"organization", "person"}), frozenset({"organization", "service", "team"})),
}

#: Stakeholder columns whose cells hold several values separated by ``|``.
LIST_FIELDS: frozenset[str] = frozenset({"needs", "languages", "tags", "race_ethnicity"})
