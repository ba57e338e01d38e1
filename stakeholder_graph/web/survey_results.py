"""What a survey round's answers say, and closing a round into a wave.

- :func:`progress`: each partner's status (not opened, opened, partial, answered), the response rate, the
  reminder list.
- :func:`round_graph`: the answers so far as a partner survey graph, exactly as
  :func:`stakeholder_graph.formats.survey.read_survey` makes one from a PARTNER export (the same
  :func:`~stakeholder_graph.formats.survey.rated_tie` and response rate), so the team's page shows the
  network scores and the ``survey_response`` gap as answers arrive, and :func:`aggregates` gives partners
  totals only (each shown when at least :data:`MIN_RATERS` partners gave it).
- :func:`close_round`: one change to the network through :meth:`~.workspace.Workspace.change` (validated,
  versioned, in the history, revertible): an engagement of method ``survey`` dated the round's date, whose
  ``invited`` cell lists the partners, a ``participated_in`` tie from each that answered, and each rating as
  the respondent's ``trusts`` tie to the partner; then the network is kept as a wave whose ``as_of`` is the
  round's date.
- CSV files for people (formulas neutralised): the links for a mail merge, the reminder list, the answers as
  a PARTNER export (read back by ``read_survey``) and the free-text answers.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from statistics import fmean

import networkx as nx

from .._ids import unique_ids
from ..errors import DataError, Problem
from ..formats.problems import neutralise
from ..formats.survey import (
    LEVELS,
    RATINGS,
    TIE_TYPE,
    gaps_survey_response,
    invited_ids,
    rated_tie,
    survey_csv,
    survey_summary,
)
from ..program import Program
from ..scores import network_scores, relationship_trust, relationship_value
from ..vocab import SECTORS, STRENGTH_LABELS
from .records import cells, edit
from .surveys import Partner, Round, Surveys

__all__ = [
    "MIN_RATERS",
    "progress",
    "partner_list",
    "round_graph",
    "live_results",
    "aggregates",
    "close_round",
    "links_csv",
    "reminders_csv",
    "answers_csv",
    "texts_csv",
]

#: Partners see a total only when at least this many partners' answers make it.
MIN_RATERS = 3
_LEVEL_WORDS = {n: word for word, n in LEVELS.items()}


def partner_list(surveys: Surveys, rnd: Round, respondent: str, partners: list[Partner] | None = None) -> list[str]:
    """The organizations a respondent rates: the round's other partners, then those they suggested that
    the team added (ids)."""
    partners = partners if partners is not None else surveys.partners(rnd.id)
    listed = [p.node for p in partners if p.node != respondent]
    extra = [
        p.node
        for p in surveys.proposals(rnd.id, respondent)
        if p.node and p.status in ("added", "matched") and p.node not in listed and p.node != respondent
    ]
    return listed + list(dict.fromkeys(extra))


def progress(surveys: Surveys, rnd: Round) -> dict:
    """Where a round stands: ``partners`` (each with ``status``, ``answered``, ``of``, ``saved_at``),
    ``invited``, ``responded``, ``rate``, ``counts`` by status, ``reminders`` (not answered) and ``partial``."""
    partners = surveys.partners(rnd.id)
    answers = surveys.answers(rnd.id)
    rows = []
    for partner in partners:
        listed = partner_list(surveys, rnd, partner.node, partners)
        mine = [answers[(partner.node, q)] for q in listed if (partner.node, q) in answers]
        answered = sum(a["level"] is not None for a in mine)
        if answered == 0:
            status = "opened" if partner.opened_at else "not opened"
        else:
            status = "answered" if answered >= len(listed) else "partial"
        rows.append(
            {
                "partner": partner,
                "status": status,
                "answered": answered,
                "of": len(listed),
                "saved_at": max((a["saved_at"] for a in mine), default=None),
            }
        )
    responded = sum(r["answered"] > 0 for r in rows)
    return {
        "partners": rows,
        "invited": len(rows),
        "responded": responded,
        "rate": responded / len(rows) if rows else 0.0,
        "counts": Counter(r["status"] for r in rows),
        "reminders": [r for r in rows if r["answered"] == 0],
        "partial": [r for r in rows if r["status"] == "partial"],
    }


def round_graph(surveys: Surveys, rnd: Round, G: nx.MultiDiGraph, names: dict[str, str]) -> nx.MultiDiGraph:
    """The round's answers so far as a partner survey graph (as ``read_survey`` gives one): the partners
    (kind and sector from ``G``, names from ``names``), a ``trusts`` tie per rating and the response rate in
    ``graph["survey"]``."""
    partners = surveys.partners(rnd.id)
    H = nx.MultiDiGraph()

    def add(node: str, fallback: str) -> None:
        attrs = G.nodes[node] if node in G else {}
        H.add_node(node, name=names.get(node, fallback), kind=attrs.get("kind", "organization"))
        if attrs.get("sector"):
            H.nodes[node]["sector"] = attrs["sector"]

    for partner in partners:
        add(partner.node, partner.name)
    invited = {p.node for p in partners}
    respondents = set()
    for (respondent, partner), answer in sorted(surveys.answers(rnd.id).items()):
        if respondent not in invited or answer["level"] is None:
            continue
        respondents.add(respondent)
        if answer["level"] and respondent != partner:
            if partner not in H:
                add(partner, partner)
            H.add_edge(respondent, partner, key=TIE_TYPE, **rated_tie(answer["level"], answer))
    H.graph["program"] = Program(name=rnd.name, team=None, as_of=rnd.day(surveys.today()))
    H.graph["name"] = rnd.name
    H.graph["survey"] = survey_summary([p.node for p in partners], respondents)
    return H


def _received(H: nx.MultiDiGraph) -> tuple[dict, dict, dict]:
    """Per partner: who rated a tie to it, and the trust and value of those ties (PARTNER's per-relationship
    scores, as :mod:`stakeholder_graph.scores` computes them)."""
    raters: dict[str, set[str]] = {}
    trust: dict[str, list[float]] = {}
    value: dict[str, list[float]] = {}
    for u, v, attrs in H.edges(data=True):
        raters.setdefault(v, set()).add(u)
        if (t := relationship_trust(attrs)) is not None:
            trust.setdefault(v, []).append(t)
        if (x := relationship_value(attrs)) is not None:
            value.setdefault(v, []).append(x)
    return raters, trust, value


def live_results(H: nx.MultiDiGraph) -> dict:
    """The team's view of a round graph: the network scores of the whole (``network``: trust, value,
    reciprocity...), per partner the trust and value received and how many rated it (``partners``, as
    ``scores`` gives them), the ``gap`` (or None) and ``ties``."""
    network = network_scores(H) if H.number_of_nodes() else {"trust": {}, "value": {}, "reciprocity": None}
    raters, trust, value = _received(H)
    partners = [
        {
            "id": node,
            "name": H.nodes[node].get("name", node),
            "trust": round(fmean(trust[node]), 6) if trust.get(node) else None,
            "value": round(fmean(value[node]), 6) if value.get(node) else None,
            "raters": len(raters.get(node, ())),
        }
        for node in H
    ]
    partners.sort(key=lambda p: (-(p["trust"] or 0), p["name"].casefold()))
    gaps = gaps_survey_response(H)
    return {
        "network": network,
        "partners": partners,
        "ties": H.number_of_edges(),
        "gap": gaps[0] if gaps else None,
    }


def aggregates(H: nx.MultiDiGraph) -> dict:
    """What partners may see (when the program allows it): totals only, each made of at least
    :data:`MIN_RATERS` partners' answers; a partner's own answers are theirs and no one else's appear.

    ``levels`` (rated ties by level), ``trust`` and ``value`` (means over every rating, 1-4) when at least
    :data:`MIN_RATERS` partners have rated, and ``partners``: per organization how many partners rated a tie
    with it and, from :data:`MIN_RATERS` raters, the mean trust and value they gave it.
    """
    raters, trust, value = _received(H)
    everyone = {u for u, _ in H.edges()}
    enough = len(everyone) >= MIN_RATERS
    all_trust = [t for ts in trust.values() for t in ts]
    all_value = [x for xs in value.values() for x in xs]
    levels = Counter(attrs["strength"] for _, _, attrs in H.edges(data=True))
    partners = []
    for node in H:
        count = len(raters.get(node, ()))
        shown = count >= MIN_RATERS
        partners.append(
            {
                "id": node,
                "name": H.nodes[node].get("name", node),
                "raters": count,
                "trust": round(fmean(trust[node]), 2) if shown and trust.get(node) else None,
                "value": round(fmean(value[node]), 2) if shown and value.get(node) else None,
            }
        )
    partners.sort(key=lambda p: p["name"].casefold())
    return {
        "respondents": len(everyone),
        "enough": enough,
        "levels": [(STRENGTH_LABELS[n], levels.get(n, 0)) for n in STRENGTH_LABELS] if enough else [],
        "trust": round(fmean(all_trust), 2) if enough and all_trust else None,
        "value": round(fmean(all_value), 2) if enough and all_value else None,
        "partners": partners,
    }


# ------------------------------------------------------------------------------------------ closing


def _changes(G: nx.MultiDiGraph, rnd: Round, day: str, partners: list[Partner], answers: dict) -> tuple[str, dict]:
    """The engagement's id and the change closing a round makes to ``G`` (rows for :func:`~.records.edit`)."""
    node = unique_ids([rnd.name], prefix="eng-", taken=set(G))[0]
    invited = [p.node for p in partners if p.node in G]
    respondents = sorted({r for (r, _), a in answers.items() if a["level"] is not None and r in invited})
    stakeholders = {
        node: {"name": rnd.name, "kind": "engagement", "method": "survey", "date": day, "invited": "|".join(invited)}
    }
    ties: dict[tuple[str, str, str], dict] = {(r, node, "participated_in"): {} for r in respondents}
    for (respondent, partner), answer in sorted(answers.items()):
        level = answer["level"]
        if level is None or respondent not in invited or partner not in G or respondent == partner:
            continue
        key = (respondent, partner, TIE_TYPE)
        existing = cells(G.edges[key]) if G.has_edge(*key) else {}
        if level == 0:  # no collaboration: a tie they had ends on the round's date (kept as history)
            if existing and (existing.get("until") or "9999-12-31") > day:
                ties[key] = {**existing, "until": day}
            continue
        rated = rated_tie(level, answer)
        ties[key] = {
            **existing,
            "strength": str(level),
            "trust": str(rated.get("trust", "")),
            **{d: str(rated.get(d, "")) for d in RATINGS},
            "until": "",
        }
    return node, {"stakeholders": stakeholders, "relationships": ties, "respondents": respondents, "invited": invited}


def close_round(workspace, surveys: Surveys, rnd: Round, account: str, wave_name: str) -> dict:
    """Make a round's answers part of the network and keep the network as the wave ``wave_name``.

    Returns ``{"engagement", "change", "wave", "respondents", "invited", "ties"}``.

    Raises
    ------
    DataError
        The round is closed already, the wave name is taken, or the validation refused the change.
    """
    if rnd.closed_at:
        raise DataError(Problem("round", None, None, f"this round was closed on {rnd.closed_at[:10]}"))
    wave_name = workspace.check_wave_name(wave_name)
    day = rnd.day(surveys.today())
    partners = surveys.partners(rnd.id)
    answers = surveys.answers(rnd.id)
    made: dict = {}
    engagement, change = rnd.engagement, rnd.change
    if engagement is None or engagement not in workspace.graph():  # not yet applied (a retry skips it)

        def prepare(G):
            node, rows = _changes(G, rnd, day, partners, answers)
            made.update(rows, engagement=node)
            return edit(G, stakeholders=rows["stakeholders"], relationships=rows["relationships"])

        summary = f"closed partner survey round {rnd.name!r}"
        change = workspace.change(account, "survey", summary, prepare)
        engagement = made["engagement"]
        surveys.mark_applied(rnd.id, engagement, change)
    G = workspace.graph()
    invited = invited_ids(G.nodes[engagement].get("invited", ""))
    respondents = [u for u, _, k in G.in_edges(engagement, keys=True) if k == "participated_in"]
    note = f"partner survey {rnd.name}: {len(respondents)} of {len(invited)} partners answered"
    workspace.snapshot(account, wave_name, note, as_of=day)
    surveys.mark_closed(rnd.id, account, wave_name)
    ties = sum(1 for key in made.get("relationships", {}) if key[2] == TIE_TYPE)
    return {
        "engagement": engagement,
        "change": change,
        "wave": wave_name,
        "respondents": len(respondents),
        "invited": len(invited),
        "ties": ties,
    }


# ------------------------------------------------------------------------------------------ CSV files


def _csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise("" if value is None else value) for value in row])
    return buffer.getvalue()


def links_csv(rnd: Round, partners: list[Partner], tokens: dict[str, str], base_url: str, names: dict) -> str:
    """The new links for a mail merge: one row per partner (organization, contact, email, link, dates)."""
    rows = [
        [
            names.get(p.node, p.name),
            p.node,
            p.contact,
            p.email,
            f"{base_url}/survey/{tokens[p.node]}",
            rnd.opens,
            rnd.closes,
        ]
        for p in partners
        if p.node in tokens
    ]
    return _csv(["organization", "organization_id", "contact", "email", "link", "opens", "closes"], rows)


def reminders_csv(rnd: Round, state: dict, names: dict) -> str:
    """Partners who have not answered, then those who answered in part, with their contacts."""
    rows = [
        [names.get(r["partner"].node, r["partner"].name), r["partner"].node, r["partner"].contact, r["partner"].email]
        + [r["status"], r["answered"], r["of"], rnd.closes]
        for r in state["reminders"] + state["partial"]
    ]
    return _csv(["organization", "organization_id", "contact", "email", "status", "answered", "of", "closes"], rows)


def answers_csv(surveys: Surveys, rnd: Round, G: nx.MultiDiGraph, names: dict) -> str:
    """The answers as a PARTNER-style export (``read_survey`` reads it back): for each partner that answered,
    one row per other partner of the round (an empty level where they did not answer)."""
    partners = surveys.partners(rnd.id)
    answers = surveys.answers(rnd.id)
    shown = {p.node: names.get(p.node, p.name) for p in partners}
    repeated = Counter(" ".join(n.casefold().split()) for n in shown.values())
    shown = {
        n: f"{name} ({n})" if repeated[" ".join(name.casefold().split())] > 1 else name for n, name in shown.items()
    }

    def sector(node: str) -> str:
        value = G.nodes[node].get("sector", "") if node in G else ""
        return value if value in SECTORS else ""

    respondents = [
        p.node for p in partners if any(a["level"] is not None for (r, _), a in answers.items() if r == p.node)
    ]
    rows = []
    for respondent in respondents:
        for partner in partners:
            if partner.node == respondent:
                continue
            answer = answers.get((respondent, partner.node), {})
            level = answer.get("level")
            row = {
                "respondent": shown[respondent],
                "respondent_sector": sector(respondent),
                "partner": shown[partner.node],
                "partner_sector": sector(partner.node),
                "level": "" if level is None else _LEVEL_WORDS[level],
            }
            row.update({d: answer.get(d) or "" for d in RATINGS} if level else {})
            rows.append(row)
    return survey_csv(rows)


def texts_csv(surveys: Surveys, rnd: Round, names: dict) -> str:
    """The free-text answers: organization, question, answer."""
    rows = [
        [
            names.get(respondent, respondent),
            respondent,
            rnd.questions[number] if number < len(rnd.questions) else "",
            text,
        ]
        for (respondent, number), text in sorted(surveys.texts(rnd.id).items())
    ]
    return _csv(["organization", "organization_id", "question", "answer"], rows)
