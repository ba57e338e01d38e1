"""How other tools' names become ours: one mapping for every outside format, and its TOML override file.

Kumu's element and connection types, a GraphML, GEXF or JSON file's attributes, and an Open Referral
directory's taxonomy terms and organizations are all mapped through one :class:`Mapping`: kinds,
sectors, relationship types, needs and field names, each compared with :func:`normalize_key`. The
defaults are documented in ``docs/formats.md``; ``--mapping FILE`` adds entries that win over them
(:func:`read_mapping`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .._ids import normalize_key
from ..dataset import RELATIONSHIP_COLUMNS, STAKEHOLDER_COLUMNS
from ..errors import DataError, Problem
from ..vocab import EDGE_TYPES, KINDS, NEEDS, SECTORS

__all__ = [
    "Mapping",
    "DEFAULT_MAPPING",
    "DEFAULT_KINDS",
    "DEFAULT_SECTORS",
    "DEFAULT_CONNECTION_TYPES",
    "KIND_TYPES",
    "EDGE_TYPE_NAMES",
    "read_mapping",
    "as_mapping",
]


def _aliases(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table = {}
    for target, names in pairs.items():
        for name in (target, *names):
            table[normalize_key(name)] = target
    return table


#: Type names (compared case-insensitively) and the kind each becomes.
DEFAULT_KINDS = _aliases(
    {
        "person": ("people", "individual", "staff", "resident", "volunteer"),
        "organization": ("organisation", "org", "agency", "company", "nonprofit", "department", "institution"),
        "community": ("neighborhood", "neighbourhood", "population"),
        "service": ("services", "resource"),
        "team": ("program", "programme", "responder team", "crisis team"),
        "engagement": ("event", "meeting", "workshop", "activity"),
    }
)
#: Sector names and common synonyms (a ``Sector`` field, tags, an attribute a mapping names as the sector).
DEFAULT_SECTORS = _aliases(
    {
        "law_enforcement": ("police", "sheriff", "law enforcement agency"),
        "dispatch_911": ("911", "dispatch", "911 dispatch", "psap", "emergency communications"),
        "ems_fire": ("ems", "fire", "ems fire", "fire ems", "fire department", "ambulance"),
        "mobile_crisis": ("crisis team", "crisis response"),
        "behavioral_health": ("behavioural health", "mental health", "behavioral health provider"),
        "housing": ("homeless services", "homelessness", "shelter"),
        "harm_reduction": (),
        "health_department": ("public health", "health dept"),
        "legislator": ("elected official", "legislature", "council member"),
        "local_government": ("government", "city", "county", "municipal"),
        "community_organization": ("community based organization", "cbo", "nonprofit", "non profit"),
        "neighborhood_watch": ("neighbourhood watch", "block watch"),
        "education": ("school", "schools", "university", "college"),
        "counseling": ("counselling",),
        "faith_based": ("faith", "faith community", "church", "congregation"),
        "family_advocate": ("family", "family advocacy", "families"),
        "lived_experience": ("peer", "peers", "people with lived experience"),
        "business": ("private sector", "chamber of commerce"),
        "other": (),
    }
)
#: Connection (edge) type names and the relationship type each becomes.
DEFAULT_CONNECTION_TYPES = _aliases(
    {
        "member_of": ("member", "membership", "belongs to", "staff of", "works for", "employee"),
        "partners_with": ("partnership", "partner", "partners", "collaboration", "collaborates with", "mou"),
        "refers_to": ("referral", "refers", "referrals"),
        "trusts": ("trust",),
        "communicates_with": ("communication", "communicates", "information sharing", "knows"),
        "participated_in": ("participation", "participant", "attended", "participated"),
        "provides": ("provider", "runs", "operates"),
        "serves": ("serves community", "outreach"),
        "sits_on": ("sits on", "board", "board member", "seat", "decision role"),
        "funds": ("funding", "funder", "grant", "grants"),
    }
)

#: The type name written for each kind (Kumu's element ``Type``), in title case.
KIND_TYPES = {
    "person": "Person",
    "organization": "Organization",
    "community": "Community",
    "service": "Service",
    "team": "Team",
    "engagement": "Engagement",
}
#: The connection type name written for each relationship type (Kumu's connection ``Type``).
EDGE_TYPE_NAMES = {
    "member_of": "Member",
    "partners_with": "Partnership",
    "refers_to": "Referral",
    "trusts": "Trust",
    "communicates_with": "Communication",
    "participated_in": "Participation",
    "provides": "Provides",
    "serves": "Serves",
    "sits_on": "Sits On",
    "funds": "Funding",
}


@dataclass(frozen=True)
class Mapping:
    """How another tool's names become ours; every key is compared with :func:`normalize_key`.

    Attributes
    ----------
    kinds : dict
        A type value (Kumu's element ``Type``, the attribute ``[fields]`` names as ``kind``) -> kind.
    sectors : dict
        A sector value or tag -> sector. For Open Referral directories also an organization's name or a
        taxonomy term's code or name -> sector (these win over the built-in taxonomy table).
    connection_types : dict
        A connection (edge) type -> relationship type.
    needs : dict
        Open Referral taxonomy term (code or name) -> need.
    fields : dict
        A field or attribute name -> our column (e.g. ``{"neighborhood": "community"}``,
        ``{"weight": "strength"}``, ``{"category": "kind"}``).
    default_kind : str
        The kind of elements whose type is empty or unknown.
    default_connection_type : str
        The type of connections whose type is empty or unknown.
    given : frozenset
        The tables and keys an override file set (empty for the defaults): readers say what they assumed
        for the rest.
    """

    kinds: dict = field(default_factory=lambda: dict(DEFAULT_KINDS))
    sectors: dict = field(default_factory=lambda: dict(DEFAULT_SECTORS))
    connection_types: dict = field(default_factory=lambda: dict(DEFAULT_CONNECTION_TYPES))
    needs: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    default_kind: str = "organization"
    default_connection_type: str = "communicates_with"
    given: frozenset = frozenset()
    #: The sectors, needs, kinds and types the override file itself named (win over built-in tables).
    own_sectors: dict = field(default_factory=dict)

    def field_for(self, column: str) -> list[str]:
        """The outside names (normalized) that ``[fields]`` maps to our ``column``."""
        return [name for name, target in self.fields.items() if target == column]


#: The mapping used when none is given.
DEFAULT_MAPPING = Mapping()

_TABLES = ("kinds", "sectors", "connection_types", "needs", "fields")
_KEYS = ("default_kind", "default_connection_type")


def read_mapping(path: str | os.PathLike) -> Mapping:
    """Read a mapping override file; its entries are added to (and win over) the defaults.

    The file is TOML with the tables ``[kinds]``, ``[sectors]``, ``[connection_types]``, ``[needs]`` and
    ``[fields]`` (each ``"their name" = "our name"``) and the keys ``default_kind`` and
    ``default_connection_type``.

    Raises
    ------
    DataError
        Listing every unknown table, key or value.
    """
    label = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise DataError(Problem(label, None, None, "mapping file not found")) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataError(Problem(label, None, None, f"is not a valid TOML file: {exc}")) from None
    except RecursionError:
        raise DataError(Problem(label, None, None, "is not a valid TOML file: it is nested too deeply")) from None
    allowed = {
        "kinds": KINDS,
        "sectors": SECTORS,
        "connection_types": EDGE_TYPES,
        "needs": NEEDS,
        "fields": STAKEHOLDER_COLUMNS + RELATIONSHIP_COLUMNS[2:],
    }
    problems, tables = [], {}
    for key, value in data.items():
        if key in allowed:
            if not isinstance(value, dict):
                problems.append(Problem(label, None, None, f'[{key}] must be a table of "their name" = "our name"'))
                continue
            tables.setdefault(key, {})
            for name, target in value.items():
                if target not in allowed[key]:
                    problems.append(
                        Problem(
                            label, None, None, f"[{key}] {name!r} = {target!r}: use one of {', '.join(allowed[key])}"
                        )
                    )
                else:
                    tables[key][normalize_key(name)] = target
        elif key in _KEYS:
            choices = KINDS if key == "default_kind" else EDGE_TYPES
            if value not in choices:
                problems.append(Problem(label, None, None, f"{key} = {value!r}: use one of {', '.join(choices)}"))
            else:
                tables[key] = value
        else:
            problems.append(
                Problem(
                    label,
                    None,
                    None,
                    f"unknown key {key!r}; use [kinds], [sectors], [connection_types], [needs], "
                    "[fields], default_kind or default_connection_type",
                )
            )
    if problems:
        raise DataError(problems)
    base = DEFAULT_MAPPING
    return replace(
        base,
        kinds={**base.kinds, **tables.get("kinds", {})},
        sectors={**base.sectors, **tables.get("sectors", {})},
        connection_types={**base.connection_types, **tables.get("connection_types", {})},
        needs={**base.needs, **tables.get("needs", {})},
        fields={**base.fields, **tables.get("fields", {})},
        default_kind=tables.get("default_kind", base.default_kind),
        default_connection_type=tables.get("default_connection_type", base.default_connection_type),
        given=frozenset(tables),
        own_sectors=dict(tables.get("sectors", {})),
    )


def as_mapping(mapping: Mapping | str | os.PathLike | None) -> Mapping:
    """A :class:`Mapping` from None (the defaults), a mapping, or the path of an override file."""
    if mapping is None:
        return DEFAULT_MAPPING
    if isinstance(mapping, Mapping):
        return mapping
    return read_mapping(mapping)
