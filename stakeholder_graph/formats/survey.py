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

A survey run in the workspace (``stakeholder-graph serve``, Surveys) is kept in the network itself: an
engagement of method ``survey`` whose ``invited`` cell lists the organizations invited (ids, ``|``-separated),
a ``participated_in`` tie from each that answered, and the ratings as ``trusts`` ties made by
:func:`rated_tie`, so every format that keeps stakeholders and relationships keeps the survey too.
:func:`survey_of` reads the response rate back from the newest such engagement; :func:`survey_csv` writes
a round's answers as this export, which :func:`read_survey` reads back.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from statistics import fmean

import networkx as nx

from .._escape import from_spreadsheet_cell, spreadsheet_cell
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
    "RATINGS",
    "read_survey",
    "is_survey",
    "parse_level",
    "rated_tie",
    "survey_summary",
    "survey_of",
    "invited_ids",
    "survey_csv",
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
#: The six 1-4 ratings of a rated partner: trust, then value.
RATINGS = TRUST_DIMENSIONS + VALUE_DIMENSIONS


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


def parse_level(text: str) -> int | None:
    """A level of collaboration (0-4) from a word (``none``, ``awareness``...) or a digit; None when neither."""
    cleaned = text.strip().casefold()
    if cleaned in LEVELS:
        return LEVELS[cleaned]
    return int(cleaned) if cleaned in {"0", "1", "2", "3", "4"} else None


def rated_tie(level: int, ratings: Mapping[str, int]) -> dict:
    """The attributes of the ``trusts`` relationship a rating becomes (``level`` 1 to 4).

    ``strength`` is the level, ``trust`` the mean of ``reliability``, ``mission`` and ``openness`` (those
    given) rounded to the nearest whole number, halves up, and each rating given is kept as a whole number.
    """
    attrs: dict = {"type": TIE_TYPE, "strength": int(level)}
    trust = [int(ratings[d]) for d in TRUST_DIMENSIONS if ratings.get(d)]
    if trust:
        attrs["trust"] = math.floor(fmean(trust) + 0.5)
    attrs.update({d: int(ratings[d]) for d in RATINGS if ratings.get(d)})
    return attrs


def survey_summary(invited: Iterable[str], responded: Iterable[str]) -> dict:
    """``{"invited", "responded", "response_rate", "non_respondents"}`` for the ids invited and those who
    answered (``non_respondents`` sorted; ``response_rate`` a share, four decimals)."""
    invited = list(dict.fromkeys(invited))
    answered = set(responded)
    missing = sorted(n for n in invited if n not in answered)
    count = len(invited)
    return {
        "invited": count,
        "responded": count - len(missing),
        "response_rate": round((count - len(missing)) / count, 4) if count else 0.0,
        "non_respondents": missing,
    }


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
        row = {
            h: (from_spreadsheet_cell(cells[i].strip()) if i < len(cells) else "") for i, h in enumerate(header) if h
        }
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
        level = parse_level(row["level"])
        if level is None:
            bad(
                "level",
                f"{row['level']!r} is not a level: write none, awareness, cooperation, coordination, "
                "integration, or 0 to 4",
            )
            continue
        ratings = {}
        for column in RATINGS:
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
        attrs = rated_tie(level, values)
        attrs.update({k: v for k, v in values.items() if k not in RATINGS})
        G.add_edge(ids[respondent], ids[partner], key=TIE_TYPE, **attrs)
    G.graph["program"] = Program(name=f"Partner survey ({path.name})", team=None)
    G.graph["name"] = G.graph["program"].name
    G.graph["survey"] = survey_summary([ids[k] for k in names], [ids[k] for k in respondents])
    G.graph["warnings"] = []
    return G


def invited_ids(value) -> list[str]:
    """The ids of an engagement's ``invited`` cell (``|``-separated text, or a list)."""
    items = value if isinstance(value, (list, tuple)) else str(value).split("|")
    return [item.strip() for item in items if str(item).strip()]


def survey_of(G: nx.MultiDiGraph) -> dict | None:
    """The partner survey a graph holds: its response rate and non-respondents, or None.

    A survey export's reader gives it (``G.graph["survey"]``); otherwise it is read from the newest
    engagement (by ``date``, then id) of method ``survey`` with an ``invited`` cell: the ids invited, and
    as respondents those of them with a ``participated_in`` tie to it. Then the dict also has ``round``
    (the engagement's id), ``name`` and ``date``.
    """
    if G.graph.get("survey"):
        return G.graph["survey"]
    rounds = [
        (str(attrs.get("date") or ""), node)
        for node, attrs in G.nodes(data=True)
        if attrs.get("kind") == "engagement" and attrs.get("method") == "survey" and attrs.get("invited")
    ]
    if not rounds:
        return None
    date, node = max(rounds)
    invited = invited_ids(G.nodes[node]["invited"])
    took_part = {u for u, _, kind in G.in_edges(node, keys=True) if kind == "participated_in"}
    summary = survey_summary(invited, [n for n in invited if n in took_part])
    return {**summary, "round": node, "name": str(G.nodes[node].get("name", node)), "date": date}


def survey_csv(rows: Iterable[Mapping]) -> str:
    """Rows of :data:`SURVEY_COLUMNS` as the export's CSV text (UTF-8, a header row), for spreadsheets and
    :func:`read_survey`: a cell that a spreadsheet would run as a formula gets a ``'`` in front, which
    :func:`read_survey` takes off again."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SURVEY_COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_cell(str(row.get(column, ""))) for column in SURVEY_COLUMNS])
    return buffer.getvalue()


def gaps_survey_response(G: nx.MultiDiGraph) -> list[dict]:
    """A gap when invited organizations did not answer the partner survey (:func:`survey_of`).

    Severity: high below :data:`LOW_RESPONSE_RATE`, medium below :data:`GOOD_RESPONSE_RATE`, else low.
    """
    survey = survey_of(G)
    if not survey or not survey.get("non_respondents"):
        return []
    rate = survey["response_rate"]
    missing = list(survey["non_respondents"])
    names = [G.nodes[n].get("name", n) if n in G else n for n in missing]
    listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    severity = "high" if rate < LOW_RESPONSE_RATE else "medium" if rate < GOOD_RESPONSE_RATE else "low"
    which = ""  # a round run in the workspace is named: 'the partner survey "Partner survey 2027" of 2027-04-30'
    if survey.get("round"):
        which = f" “{survey['name']}”" + (f" of {survey['date']}" if survey.get("date") else "")
    evidence = {
        "invited": survey["invited"],
        "responded": survey["responded"],
        "response_rate": rate,
        "non_respondents": missing,
    }
    if survey.get("round"):
        evidence["round"] = survey["round"]
    return [
        {
            "id": "survey_response/non_respondents/partner_survey",
            "kind": "survey_response",
            "check": "non_respondents",
            "severity": severity,
            "subject": "partner_survey",
            "message": (
                f"{survey['responded']} of {survey['invited']} invited organizations answered the partner "
                f"survey{which} ({rate:.0%}); {len(missing)} did not: {listed}."
            ),
            "evidence": evidence,
            "recommendation": (
                "Follow up with the organizations that did not answer before drawing conclusions: how they "
                "see their partners is unknown, ties among them are missing, and ratings of them come "
                "only from others."
            ),
        }
    ]
