"""Read a PARTNER-style relational survey export: how each responding organization rates every other.

One CSV row per (respondent, partner), with the level of collaboration (none, awareness, cooperation,
coordination, integration, or 0-4) and, where the partner is known, six 1-4 ratings: trust
(``reliability``, ``mission``, ``openness``) and value (``power``, ``involvement``, ``resources``). Each
rated pair becomes a ``trusts`` relationship from respondent to partner (a rating is one organization's
view of another, so it has a direction) with ``strength`` = the level, ``trust`` = the rounded mean of
the three trust ratings, and the six ratings kept as whole numbers. The columns are documented in
``docs/data-format.md`` ("Partner survey export").

Everyone named as a respondent or a partner was invited; those with no row as respondent did not
answer. ``G.graph["survey"]`` holds the response rate and the non-respondents, and
:func:`gaps_survey_response` reports them as a gap.
"""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path
from statistics import fmean

import networkx as nx

from .._ids import normalize_key, unique_ids
from ..errors import DataError, Problem
from ..program import Program
from ..scores import TRUST_DIMENSIONS, VALUE_DIMENSIONS
from ..vocab import SECTORS, STRENGTH_LABELS
from .mapping import DEFAULT_SECTORS

__all__ = [
    "SURVEY_COLUMNS",
    "REQUIRED_COLUMNS",
    "LEVELS",
    "TIE_TYPE",
    "LOW_RESPONSE_RATE",
    "GOOD_RESPONSE_RATE",
    "read_survey",
    "is_survey",
    "gaps_survey_response",
]

#: The documented columns, in the order the sample writes them.
SURVEY_COLUMNS = (
    ("respondent", "respondent_sector", "partner", "partner_sector", "level") + TRUST_DIMENSIONS + VALUE_DIMENSIONS
)
#: Columns every export must have.
REQUIRED_COLUMNS = ("respondent", "partner", "level")
#: Level of collaboration, by word; 0 ("none") means no tie.
LEVELS = {"none": 0, **{label: n for n, label in STRENGTH_LABELS.items()}}
#: The relationship type a rated pair becomes.
TIE_TYPE = "trusts"
#: Below this response rate the gap is high: the network seen is mostly the respondents' view.
LOW_RESPONSE_RATE = 0.6
#: Below this rate the gap is medium, at or above it low.
GOOD_RESPONSE_RATE = 0.8


def _header(text: str) -> list[str]:
    return [h.strip().lower() for h in next(csv.reader(io.StringIO(text)), [])]


def is_survey(path: str | os.PathLike) -> bool:
    """True for a CSV file whose header has ``respondent`` and ``partner`` columns."""
    path = Path(path)
    if not path.is_file() or path.suffix.casefold() != ".csv":
        return False
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        names = _header(handle.readline())
    return "respondent" in names and "partner" in names


def _level(text: str) -> int | None:
    cleaned = text.strip().casefold()
    if cleaned in LEVELS:
        return LEVELS[cleaned]
    return int(cleaned) if cleaned in {"0", "1", "2", "3", "4"} else None


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def read_survey(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a partner survey export into a stakeholder graph of organizations and their ratings.

    Parameters
    ----------
    path : str or path
        A UTF-8 CSV with the columns of :data:`SURVEY_COLUMNS` (``respondent``, ``partner`` and
        ``level`` required); other columns are kept as text properties of the relationship.

    Returns
    -------
    networkx.MultiDiGraph
        Organizations (ids made from their names) and ``trusts`` relationships; ``G.graph["survey"]`` is
        ``{"invited", "responded", "response_rate", "non_respondents"}`` (non-respondents' ids).

    Raises
    ------
    DataError
        Every problem as ``FILE:ROW:COLUMN: message``; nothing is read when there is one.
    """
    path = Path(path)
    label = str(path)
    if not path.is_file():
        raise DataError(Problem(label, None, None, "not found: give the survey export, a .csv file"))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(
            Problem(label, None, None, "is not UTF-8 text: in your spreadsheet, save as 'CSV UTF-8'")
        ) from None
    header = _header(text)
    problems = [
        Problem(label, 1, c, "required column is missing from the header") for c in REQUIRED_COLUMNS if c not in header
    ]
    if problems:
        raise DataError(problems)
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    names: dict[str, str] = {}  # key -> name as first written
    sectors: dict[str, tuple[str, int]] = {}
    respondents: set[str] = set()
    ties: dict[tuple[str, str], tuple[int, dict]] = {}
    number = 2
    for cells in reader:
        row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
        line, number = number, reader.line_num + 1
        if not any(row.values()):
            continue

        def bad(column: str, message: str, line: int = line) -> None:
            problems.append(Problem(label, line, column, message))

        for role in ("respondent", "partner"):
            name = row[role]
            if not name:
                bad(role, f"{role} is empty: name the organization")
                continue
            names.setdefault(_key(name), name)
            sector_text = row.get(f"{role}_sector", "")
            if sector_text:
                sector = DEFAULT_SECTORS.get(normalize_key(sector_text))
                if sector is None:
                    bad(f"{role}_sector", f"unknown sector {sector_text!r}; use one of {', '.join(SECTORS)}")
                elif _key(name) in sectors and sectors[_key(name)][0] != sector:
                    first, at = sectors[_key(name)]
                    bad(f"{role}_sector", f"{name} is in sector {first} on row {at}, {sector} here")
                else:
                    sectors.setdefault(_key(name), (sector, line))
        if not row["respondent"] or not row["partner"]:
            continue
        respondent, partner = _key(row["respondent"]), _key(row["partner"])
        respondents.add(respondent)
        if not row["level"]:
            continue  # not answered: no tie
        level = _level(row["level"])
        if level is None:
            bad(
                "level",
                f"{row['level']!r} is not a level: write none, awareness, cooperation, coordination, "
                "integration, or 0 to 4",
            )
            continue
        ratings = {}
        for column in TRUST_DIMENSIONS + VALUE_DIMENSIONS:
            value = row.get(column, "")
            if value:
                if value not in {"1", "2", "3", "4"}:
                    bad(column, f"{value!r} is not a rating: write a whole number from 1 to 4")
                else:
                    ratings[column] = int(value)
        if respondent == partner:
            if level:
                bad("partner", "an organization cannot rate itself")
            continue
        if (respondent, partner) in ties:
            bad(
                "partner", f"{row['respondent']} rated {row['partner']} already on row {ties[(respondent, partner)][0]}"
            )
            continue
        extra = {k: v for k, v in row.items() if v and k not in SURVEY_COLUMNS}
        ties[(respondent, partner)] = (line, {"level": level, **ratings, **extra})
    if problems:
        raise DataError(problems)
    ids = dict(zip(names, unique_ids(list(names.values()))))
    G = nx.MultiDiGraph()
    for key, name in names.items():
        attrs = {"name": name, "kind": "organization"}
        if key in sectors:
            attrs["sector"] = sectors[key][0]
        G.add_node(ids[key], **attrs)
    for (respondent, partner), (_, values) in ties.items():
        level = values.pop("level")
        if not level:
            continue
        attrs = {"type": TIE_TYPE, "strength": level}
        trust = [values[d] for d in TRUST_DIMENSIONS if d in values]
        if trust:
            attrs["trust"] = math.floor(fmean(trust) + 0.5)
        attrs.update(values)
        G.add_edge(ids[respondent], ids[partner], key=TIE_TYPE, **attrs)
    invited = len(names)
    missing = sorted(ids[k] for k in names if k not in respondents)
    G.graph["program"] = Program(name=f"Partner survey ({path.name})", team=None)
    G.graph["name"] = G.graph["program"].name
    G.graph["survey"] = {
        "invited": invited,
        "responded": invited - len(missing),
        "response_rate": round((invited - len(missing)) / invited, 4) if invited else 0.0,
        "non_respondents": missing,
    }
    G.graph["warnings"] = []
    return G


def gaps_survey_response(G: nx.MultiDiGraph) -> list[dict]:
    """A gap when invited organizations did not answer the partner survey (``G.graph["survey"]``).

    Severity: high below :data:`LOW_RESPONSE_RATE`, medium below :data:`GOOD_RESPONSE_RATE`, else low.
    """
    survey = G.graph.get("survey")
    if not survey or not survey.get("non_respondents"):
        return []
    rate = survey["response_rate"]
    missing = list(survey["non_respondents"])
    names = [G.nodes[n].get("name", n) if n in G else n for n in missing]
    listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    severity = "high" if rate < LOW_RESPONSE_RATE else "medium" if rate < GOOD_RESPONSE_RATE else "low"
    return [
        {
            "id": "survey_response/non_respondents/partner_survey",
            "kind": "survey_response",
            "check": "non_respondents",
            "severity": severity,
            "subject": "partner_survey",
            "message": (
                f"{survey['responded']} of {survey['invited']} invited organizations answered the partner survey "
                f"({rate:.0%}); {len(missing)} did not: {listed}."
            ),
            "evidence": {
                "invited": survey["invited"],
                "responded": survey["responded"],
                "response_rate": rate,
                "non_respondents": missing,
            },
            "recommendation": (
                "Follow up with the organizations that did not answer before drawing conclusions: how they "
                "see their partners is unknown, ties among them are missing, and ratings of them come "
                "only from others."
            ),
        }
    ]
