"""The partner's side of a survey round: the form behind a private link (public: no account, no sign-in).

The link's token is the only key: it gives its own partner's form in its own round, and nothing else (no
field of the form can name another respondent). A wrong, revoked, expired or not-yet-open link gets the same
plain refusal, and refusals count against the address as wrong passwords do (the sign-in's throttle).

The form works without JavaScript (plain forms; every "Save" saves everything on the page) and on a phone;
``survey.js`` saves as the partner goes, filters the list of partners and shows the ratings once a level of
collaboration is chosen. It says how the answers are used and who sees them; what the team's summary may
show partners is a program setting (:data:`~..workspace.PARTNERS_SEE`).
"""

from __future__ import annotations

import datetime as dt
import urllib.parse

from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from ...formats.survey import RATINGS
from ...vocab import SECTORS, STRENGTH_LABELS
from ..http import Ctx, client_address, page
from ..records import FormErrors
from ..survey_results import MIN_RATERS, aggregates, partner_list, round_graph

#: The level of collaboration, PARTNER's scale, with what each means.
LEVELS = [
    (0, "None", "We do not work together."),
    (1, STRENGTH_LABELS[1].capitalize(), "We know of each other's work."),
    (2, STRENGTH_LABELS[2].capitalize(), "We share information, meet, or offer each other resources."),
    (3, STRENGTH_LABELS[3].capitalize(), "We also plan or align our work to help each other."),
    (4, STRENGTH_LABELS[4].capitalize(), "We work as one: shared plans, programs, staff or funding."),
]
#: The six ratings (trust, then value) and the question each asks.
QUESTIONS = {
    "reliability": "How reliable is this organization?",
    "mission": "How much does it support the mission you share?",
    "openness": "How open to discussion is it?",
    "power": "How much power and influence does it have?",
    "involvement": "How involved is it in this work?",
    "resources": "How much does it contribute in resources (funds, staff, space, knowledge)?",
}
SCALE = [(1, "Not at all"), (2, "A small amount"), (3, "A fair amount"), (4, "A great deal")]
REFUSED = (
    "This link does not open a survey. It may be mistyped, replaced by a newer link, or the survey may not be "
    "open. Ask the person who sent it to you for a new link."
)


def _refused(ctx: Ctx):
    """The one refusal for every link that does not work: no word on why."""
    return ctx.render("survey_refused.html", status=404, account=None, message=REFUSED)


def _invitation(ctx: Ctx):
    """``(round, partner)`` for a link that works now, else the refusal (or the throttle's wait) as a response."""
    keys = [f"survey-link:{client_address(ctx.request)}"]
    wait = ctx.auth.throttle_wait(keys)
    if wait:
        return PlainTextResponse(
            f"Too many links that do not work came from your address: wait {wait} seconds, then try again.",
            status_code=429,
            headers={"Retry-After": str(wait)},
        )
    found = ctx.workspace.surveys.invitation(ctx.param("token"))
    if found is None:
        ctx.auth.throttle_failed(keys)
        return _refused(ctx)
    return found


def _parse(ctx: Ctx, listed: list[str], questions: int) -> tuple[dict, dict, dict]:
    """The answers a submitted form gives for the partners it showed; ``(answers, texts, errors)``."""
    answers: dict[str, dict] = {}
    errors: dict[str, list[str]] = {}
    shown = [n for n in dict.fromkeys(ctx.fields("shown")) if n in listed]
    for node in shown:
        values: dict = {}
        level = ctx.field(f"level:{node}")
        if level:
            if level not in {"0", "1", "2", "3", "4"}:
                errors.setdefault(f"level:{node}", []).append("choose a level from the list")
            else:
                values["level"] = int(level)
        for rating in RATINGS:
            name = f"{rating}:{node}"
            if ctx.has(name):
                text = ctx.field(name)
                if text and text not in {"1", "2", "3", "4"}:
                    errors.setdefault(name, []).append("choose from the list")
                else:
                    values[rating] = int(text) if text else None
        if values:
            answers[node] = values
    texts = {i: ctx.field(f"text:{i}")[:4000] for i in range(questions) if ctx.has(f"text:{i}")}
    return answers, texts, errors


def _form(ctx: Ctx, rnd, partner, status: int = 200, errors: dict | None = None, submitted: dict | None = None):
    surveys = ctx.workspace.surveys
    view = ctx.workspace.partner_view()
    listed = partner_list(surveys, rnd, partner.node)
    answers = surveys.answers(rnd.id, partner.node)
    query = ctx.arg("q").strip()
    stored = {p.node: p.name for p in surveys.partners(rnd.id)}  # names as the round was made
    rows = []
    for node in listed:
        name = view.names.get(view.shown_id(node)) or stored.get(node, node)
        attrs = view.G.nodes[view.shown_id(node)] if view.shown_id(node) in view.G else {}
        answer = {**answers.get((partner.node, node), {}), **(submitted or {}).get(node, {})}
        rows.append({"id": node, "name": name, "sector": attrs.get("sector", ""), "answer": answer})
    rows.sort(key=lambda r: r["name"].casefold())
    answered = sum(answers.get((partner.node, r["id"]), {}).get("level") is not None for r in rows)
    shown = [r for r in rows if not query or query.casefold() in r["name"].casefold()]
    see = ctx.workspace.partners_see
    totals = None
    if see == "aggregates":
        totals = aggregates(round_graph(surveys, rnd, view.G, view.names))
    own_name = view.names.get(view.shown_id(partner.node)) or partner.name
    return ctx.render(
        "survey_form.html",
        status=status,
        account=None,
        anonymized=False,
        round=rnd,
        partner=partner,
        own_name=own_name,
        rows=shown,
        total=len(rows),
        answered=answered,
        query=query,
        levels=LEVELS,
        questions=QUESTIONS,
        scale=SCALE,
        trust=RATINGS[:3],
        value=RATINGS[3:],
        texts=surveys.texts(rnd.id, partner.node),
        proposals=surveys.proposals(rnd.id, partner.node),
        sectors=SECTORS,
        errors=errors or {},
        done=ctx.arg("done") == "1",
        partners_see=see,
        totals=totals,
        min_raters=MIN_RATERS,
        closes=dt.date.fromisoformat(rnd.closes).strftime("%d %B %Y").lstrip("0"),
        token=ctx.param("token"),
    )


def _partner_page(handler):
    """A public route ``handler(ctx, round, partner)``, run only for a link that works now."""

    def checked(ctx: Ctx):
        found = _invitation(ctx)
        return handler(ctx, *found) if isinstance(found, tuple) else found

    checked.__name__, checked.__doc__ = handler.__name__, handler.__doc__
    return page(None)(checked)


@_partner_page
def survey_form(ctx: Ctx, rnd, partner):
    ctx.workspace.surveys.opened(rnd.id, partner.node)
    return _form(ctx, rnd, partner)


@_partner_page
def survey_save(ctx: Ctx, rnd, partner):
    """Save what the form gives (every button saves everything shown); ``autosave`` (the script) answers JSON."""
    surveys = ctx.workspace.surveys
    listed = partner_list(surveys, rnd, partner.node)
    answers, texts, errors = _parse(ctx, listed, len(rnd.questions))
    autosave = ctx.field("autosave") == "1"
    if errors:
        if autosave:
            return JSONResponse({"error": "Not saved: " + "; ".join(m for ms in errors.values() for m in ms)}, 400)
        return _form(ctx, rnd, partner, 400, errors, answers)
    surveys.save(rnd.id, partner.node, answers, texts)
    if autosave:
        mine = surveys.answers(rnd.id, partner.node)
        answered = sum(mine.get((partner.node, n), {}).get("level") is not None for n in listed)
        return JSONResponse({"saved": dt.datetime.now().strftime("%H:%M"), "answered": answered, "of": len(listed)})
    action = ctx.field("action")
    token = ctx.param("token")
    query = "?" + urllib.parse.urlencode({"q": ctx.field("q")}) if ctx.field("q") else ""
    if ctx.field("propose_name") or action == "propose":
        level = ctx.field("propose_level")
        try:
            surveys.propose(
                rnd.id,
                partner.node,
                ctx.field("propose_name"),
                ctx.field("propose_sector"),
                int(level) if level in {"0", "1", "2", "3", "4"} else None,
                ctx.field("propose_note"),
            )
        except FormErrors as exc:
            return _form(ctx, rnd, partner, 400, exc.fields, answers)
        return ctx.redirect(
            f"/survey/{token}{query}#suggest", "Your answers are saved, and your suggestion is sent to the team."
        )
    if action == "finish":
        surveys.finish(rnd.id, partner.node)
        return ctx.redirect(f"/survey/{token}?done=1", "Thank you: your answers are saved.")
    at = ctx.field("save")
    anchor = f"#p-{at}" if at in listed else ""
    return ctx.redirect(f"/survey/{token}{query}{anchor}", "Saved.")


routes = [
    Route("/survey/{token}", survey_form),
    Route("/survey/{token}", survey_save, methods=["POST"]),
]
