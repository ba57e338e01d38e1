"""Form fields shared by the stakeholder, tie and engagement pages: which widget each column gets, and
form values back to the text cells the dataset validation reads."""

from __future__ import annotations

import datetime as dt
import re

import networkx as nx

from ..._ids import unique_ids
from ...dataset import STAKEHOLDER_COLUMNS
from ...vocab import EDGE_TYPES, KINDS, METHODS, NEEDS, SECTORS, STRENGTH_LABELS
from ..records import cells
from ..views import View

__all__ = [
    "stakeholder_fields",
    "stakeholder_cells",
    "tie_cells",
    "TIE_COLUMNS",
    "other_end",
    "new_id",
    "today",
    "choices",
]

#: Id prefixes of new stakeholders, by kind (as the Riverton sample writes them).
ID_PREFIX = {
    "person": "p-",
    "organization": "org-",
    "community": "com-",
    "service": "svc-",
    "team": "team-",
    "engagement": "eng-",
}
#: Which columns matter for which kinds (others are folded away in the form when empty).
RELEVANT = {
    "name": set(KINDS),
    "kind": set(KINDS),
    "sector": {"person", "organization", "team"},
    "community": {"person"},
    "lived_experience": {"person"},
    "decision_role": {"person"},
    "population_share": {"community"},
    "priority": {"community"},
    "needs": {"service"},
    "hours": {"service"},
    "languages": {"service", "person"},
    "method": {"engagement"},
    "date": {"engagement"},
    "tags": set(KINDS),
    "notes": set(KINDS),
}
HINTS = {
    "lived_experience": "received crisis services or a police response to a crisis",
    "decision_role": "e.g. advisory board co-chair; empty when none",
    "population_share": "share of the city's people, 0 to 1 (0.15 for 15%)",
    "hours": "24/7, or Mon-Fri 08:00-17:00; Sat 10:00-14:00",
    "languages": "separate with |, e.g. English|Spanish",
    "tags": "separate with |",
    "date": "YYYY-MM-DD",
}
#: Relationship columns a tie form edits.
TIE_COLUMNS = ("strength", "trust", "since", "until", "notes")


def today() -> str:
    return dt.date.today().isoformat()


def choices(view: View) -> dict:
    """Options of the selects, with this view's ids and names."""
    G = view.G
    return {
        "kinds": KINDS,
        "sectors": SECTORS,
        "needs": NEEDS,
        "methods": METHODS,
        "types": EDGE_TYPES,
        "strengths": STRENGTH_LABELS,
        "communities": sorted(
            ((n, view.names[n]) for n, k in G.nodes(data="kind") if k == "community"), key=lambda p: p[1].casefold()
        ),
    }


def stakeholder_fields(view: View, real_node: str | None, values: dict[str, str], kind: str) -> list[dict]:
    """The fields of a stakeholder form, in the files' column order, each with its widget.

    Columns this view hides (a pseudonymised person's name and notes) are left out; they keep their value.
    """
    hidden = view.hidden_fields(real_node) if real_node else set()
    extra = sorted(c for c in values if c not in STAKEHOLDER_COLUMNS and c not in ("id", "type"))
    fields = []
    for column in [c for c in STAKEHOLDER_COLUMNS if c != "id"] + extra:
        if column in hidden:
            continue
        value = values.get(column, "")
        if column in ("kind", "sector", "method", "community"):
            widget = "select"
        elif column in ("lived_experience", "priority"):
            widget = "yesno"
        elif column == "needs":
            widget = "checks"
        elif column == "notes":
            widget = "textarea"
        elif column == "date":
            widget = "date"
        else:
            widget = "text"
        fields.append(
            {
                "column": column,
                "widget": widget,
                "value": value,
                "checked": value.split("|") if widget == "checks" else [],
                "hint": HINTS.get(column, ""),
                "main": bool(value) or kind in RELEVANT.get(column, set(KINDS)),
            }
        )
    return fields


def stakeholder_cells(ctx, view: View, real_node: str | None, prefix: str = "f_") -> dict[str, str]:
    """A stakeholder form's values as the row's text cells; hidden columns keep the live value."""
    live = cells(view.real.nodes[real_node]) if real_node and real_node in view.real else {}
    hidden = view.hidden_fields(real_node) if real_node else set()
    columns = [c for c in STAKEHOLDER_COLUMNS if c != "id"] + sorted(c for c in live if c not in STAKEHOLDER_COLUMNS)
    row = {}
    for column in columns:
        if column in hidden:
            row[column] = live.get(column, "")
        elif column == "needs":
            row[column] = "|".join(ctx.fields(prefix + column))
        else:
            row[column] = ctx.field(prefix + column)
    if row.get("community") and view.anonymized:
        row["community"] = view.real_id(row["community"]) or row["community"]
    return row


def tie_cells(ctx, prefix: str = "t_") -> dict[str, str]:
    return {column: ctx.field(prefix + column) for column in TIE_COLUMNS}


_IN_PARENTHESES = re.compile(r"\(([^()]+)\)\s*$")


def other_end(view: View, text: str) -> str | None:
    """The live id of a stakeholder typed or picked as ``Name (id)``, ``id`` or an exact name."""
    text = text.strip()
    found = _IN_PARENTHESES.search(text)
    candidates = [found.group(1).strip()] if found else []
    candidates.append(text)
    for candidate in candidates:
        if candidate in view.G:
            return view.real_id(candidate)
    named = [n for n, name in view.names.items() if name.casefold() == text.casefold()]
    return view.real_id(named[0]) if len(named) == 1 else None


def new_id(G: nx.MultiDiGraph, name: str, kind: str) -> str:
    """An unused id for a new stakeholder, made from its name (``p-keisha-morgan-2`` when taken)."""
    return unique_ids([name or kind], prefix=ID_PREFIX.get(kind, ""), taken=set(G))[0]
