"""Surveys (the team's side): create a partner survey round, give each partner a private link (a CSV for a
mail merge), watch the answers arrive (response rate, reminders, partial answers, the scores and the
``survey_response`` gap), review partners' suggestions, and close the round into a wave.

The partners' side (the form behind a private link) is :mod:`.partner`; the rounds' data :mod:`..surveys`;
what the answers say and closing :mod:`..survey_results`.
"""

from __future__ import annotations

import datetime as dt

from starlette.responses import Response
from starlette.routing import Route

from ...errors import DataError
from ...vocab import SECTORS
from ..http import Ctx, NotFound, page
from ..records import FormErrors, edit
from ..survey_results import (
    MIN_RATERS,
    answers_csv,
    close_round,
    links_csv,
    live_results,
    progress,
    reminders_csv,
    round_graph,
    texts_csv,
)
from ..surveys import MIN_PARTNERS
from ..workspace import PARTNERS_SEE
from .forms import new_id

NAV = ("Surveys", "/surveys", "editor")
#: Kinds a round can survey: organizations, and the responder team itself.
SURVEYED_KINDS = ("organization", "team")
STATUS_WORDS = {
    "scheduled": "scheduled (not open yet)",
    "open": "open",
    "ended": "past its closing date: close it to keep its answers as a wave",
    "closed": "closed",
}


def _base_url(ctx: Ctx) -> str:
    """The address partners open: this server as the browser reached it, below the root path."""
    return f"{ctx.request.url.scheme}://{ctx.request.url.netloc}{ctx.root}"


def _candidates(ctx: Ctx, exclude: set[str] = frozenset()) -> list[dict]:
    """Organizations (and the team) that can be surveyed, those tied to the team first."""
    view = ctx.view
    G = view.G
    team = getattr(G.graph.get("program"), "team", None)
    tied = set(G.predecessors(team)) | set(G.successors(team)) if team in G else set()
    rows = [
        {
            "id": n,
            "name": view.names[n],
            "sector": a.get("sector", ""),
            "tied": n in tied or n == team,
            "kind": a["kind"],
        }
        for n, a in G.nodes(data=True)
        if a.get("kind") in SURVEYED_KINDS and n not in exclude
    ]
    rows.sort(key=lambda r: (not r["tied"], r["name"].casefold()))
    return rows


def _today() -> str:
    return dt.date.today().isoformat()


def _list_page(ctx: Ctx, status: int = 200, form: dict | None = None, errors: dict | None = None):
    surveys = ctx.workspace.surveys
    today = surveys.today()
    rounds = []
    for rnd in surveys.rounds():
        state = progress(surveys, rnd)
        rounds.append({"round": rnd, "status": rnd.status(today), "progress": state})
    start = surveys.today()
    form = form or {
        "name": "",
        "opens": start.isoformat(),
        "closes": (start + dt.timedelta(days=21)).isoformat(),
        "intro": "",
        "questions": "",
        "partners": [],
    }
    return ctx.render(
        "surveys.html",
        status=status,
        rounds=rounds,
        words=STATUS_WORDS,
        form=form,
        errors=errors or {},
        candidates=_candidates(ctx),
        partners_see=ctx.workspace.partners_see,
        see_choices=PARTNERS_SEE,
        min_partners=MIN_PARTNERS,
    )


@page("editor")
def surveys_page(ctx: Ctx):
    return _list_page(ctx)


@page("editor")
def create(ctx: Ctx):
    surveys = ctx.workspace.surveys
    form = {k: ctx.field(k) for k in ("name", "opens", "closes", "intro", "questions")}
    form["partners"] = ctx.fields("partners")
    values, errors = surveys.check_round(form["name"], form["opens"], form["closes"], form["intro"], form["questions"])
    view = ctx.view
    chosen = [(view.real_id(n), view.names.get(n, n)) for n in form["partners"]]
    if any(node is None or view.real.nodes[node].get("kind") not in SURVEYED_KINDS for node, _ in chosen):
        errors["partners"] = ["some of the organizations chosen are no longer in the network: choose again"]
    elif len(chosen) < MIN_PARTNERS:
        errors["partners"] = [f"choose at least {MIN_PARTNERS} organizations to survey"]
    if errors:
        return _list_page(ctx, 400, form, errors)
    rnd = surveys.create(ctx.account.name, values, chosen)
    return ctx.redirect(
        f"/surveys/{rnd.id}", "Round created. Add each partner's contact, then make the links for your mail merge."
    )


def _round(ctx: Ctx):
    try:
        rnd = ctx.workspace.surveys.round(int(ctx.param("round")))
    except ValueError:
        rnd = None
    if rnd is None:
        raise NotFound("There is no such survey round.")
    return rnd


def _round_page(ctx: Ctx, rnd, status: int = 200, **extra):
    surveys = ctx.workspace.surveys
    view = ctx.view
    state = progress(surveys, rnd)
    results = live_results(round_graph(surveys, rnd, view.G, view.names))  # a small graph: computed each visit
    in_round = {p.node for p in surveys.partners(rnd.id)}
    texts = surveys.texts(rnd.id)
    context = {
        "round": rnd,
        "round_status": rnd.status(surveys.today()),
        "words": STATUS_WORDS,
        "progress": state,
        "results": results,
        "names": view.names,
        "texts": [
            {"question": q, "answers": [(r, t) for (r, n), t in sorted(texts.items()) if n == i]}
            for i, q in enumerate(rnd.questions)
        ],
        "proposals": surveys.proposals(rnd.id),
        "organizations": _candidates(ctx),
        "addable": _candidates(ctx, in_round),
        "sectors": SECTORS,
        "min_raters": MIN_RATERS,
        "errors": {},
        "new_link": None,
        "form": None,
    }
    context.update(extra)
    return ctx.render("survey_round.html", status=status, **context)


@page("editor")
def round_page(ctx: Ctx):
    return _round_page(ctx, _round(ctx))


def _open_round(ctx: Ctx):
    """The round of the URL, which must not be closed yet (its answers are in the network)."""
    rnd = _round(ctx)
    if rnd.closed_at:
        raise DataError("This round is closed: its answers are in the network and it no longer changes.")
    return rnd


@page("editor")
def update(ctx: Ctx):
    rnd = _open_round(ctx)
    surveys = ctx.workspace.surveys
    form = {k: ctx.field(k) for k in ("name", "opens", "closes", "intro", "questions")}
    values, errors = surveys.check_round(form["name"], form["opens"], form["closes"], form["intro"], form["questions"])
    if not errors:
        try:
            surveys.update(ctx.account.name, rnd.id, values)
        except FormErrors as exc:
            errors = exc.fields
    if errors:
        return _round_page(ctx, rnd, 400, errors=errors, form=form)
    return ctx.redirect(f"/surveys/{rnd.id}", "The round is changed.")


@page("editor")
def contacts(ctx: Ctx):
    rnd = _round(ctx)
    surveys = ctx.workspace.surveys
    given = {
        p.node: (ctx.field(f"contact:{p.node}"), ctx.field(f"email:{p.node}"))
        for p in surveys.partners(rnd.id)
        if ctx.has(f"contact:{p.node}")
    }
    try:
        surveys.set_contacts(ctx.account.name, rnd.id, given)
    except FormErrors as exc:
        return _round_page(ctx, rnd, 400, errors=exc.fields)
    return ctx.redirect(f"/surveys/{rnd.id}#contacts", "Contacts saved.")


@page("editor")
def add_partners(ctx: Ctx):
    rnd = _open_round(ctx)
    view = ctx.view
    chosen = [(view.real_id(n), view.names.get(n, n)) for n in ctx.fields("partners")]
    chosen = [(n, name) for n, name in chosen if n is not None and view.real.nodes[n].get("kind") in SURVEYED_KINDS]
    added = ctx.workspace.surveys.add_partners(ctx.account.name, rnd.id, chosen)
    return ctx.redirect(f"/surveys/{rnd.id}", f"{added} partner(s) added: make their links below.")


@page("editor")
def links(ctx: Ctx):
    """New links for a mail merge, as a CSV download: for partners without a live link, or for all."""
    rnd = _open_round(ctx)
    surveys = ctx.workspace.surveys
    partners = surveys.partners(rnd.id)
    which = ctx.field("which")
    chosen = [p.node for p in partners if which == "all" or p.link_issued_at is None]
    if which == "unanswered":
        waiting = {r["partner"].node for r in progress(surveys, rnd)["reminders"]}
        chosen = [p.node for p in partners if p.node in waiting]
    tokens = surveys.issue_links(ctx.account.name, rnd.id, chosen)
    body = links_csv(rnd, partners, tokens, _base_url(ctx), ctx.view.names)
    return _csv_file(body, f"survey-{rnd.id}-links-{_today()}.csv")


def _csv_file(body: str, filename: str) -> Response:
    """A CSV download (UTF-8)."""
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@page("editor")
def link(ctx: Ctx):
    """One partner: a new link (shown once, on the page) or the link revoked."""
    rnd = _round(ctx)
    surveys = ctx.workspace.surveys
    node = ctx.param("node")
    partner = surveys.partner(rnd.id, node)
    if partner is None:
        raise NotFound("This organization is not a partner of this round.")
    if ctx.field("action") == "revoke":
        surveys.revoke(ctx.account.name, rnd.id, node)
        return ctx.redirect(f"/surveys/{rnd.id}", f"The link of {partner.name} no longer works.")
    _open_round(ctx)
    token = surveys.issue_links(ctx.account.name, rnd.id, [node])[node]
    return _round_page(ctx, rnd, new_link={"partner": partner, "url": f"{_base_url(ctx)}/survey/{token}"})


@page("editor")
def download(ctx: Ctx):
    rnd = _round(ctx)
    surveys = ctx.workspace.surveys
    view = ctx.view
    what = ctx.param("what")
    if what == "answers":
        body = answers_csv(surveys, rnd, view.G, view.names)
    elif what == "reminders":
        body = reminders_csv(rnd, progress(surveys, rnd), view.names)
    elif what == "texts":
        body = texts_csv(surveys, rnd, view.names)
    else:
        raise NotFound("There is no such download.")
    return _csv_file(body, f"survey-{rnd.id}-{what}.csv")


@page("editor")
def proposal(ctx: Ctx):
    """The team's decision on a partner's suggestion: add the organization, match it to one, or dismiss it."""
    rnd = _round(ctx)
    surveys = ctx.workspace.surveys
    try:
        found = surveys.proposal(rnd.id, int(ctx.param("proposal")))
    except ValueError:
        found = None
    if found is None or found.status != "pending":
        raise NotFound("There is no such suggestion waiting.")
    action = ctx.field("action")
    if action == "dismiss":
        surveys.review(ctx.account.name, found, "dismissed")
        return ctx.redirect(f"/surveys/{rnd.id}#suggestions", f"Suggestion {found.name!r} dismissed.")
    if action == "match":
        node = ctx.view.real_id(ctx.field("node"))
        if node is None or ctx.view.real.nodes[node].get("kind") not in SURVEYED_KINDS:
            raise DataError("Choose the organization it is.")
        surveys.review(ctx.account.name, found, "matched", node)
        message = f"{found.name!r} is {ctx.view.names.get(node, node)}: the partner who suggested it can now rate it."
    elif action == "add":
        made: list[str] = []

        def prepare(G):  # the id is chosen from the network the change is made on, never over another
            made[:] = [new_id(G, found.name, "organization")]
            return edit(G, stakeholders={made[0]: {"name": found.name, "kind": "organization", "sector": found.sector}})

        ctx.workspace.change(
            ctx.account.name, "add stakeholder", f"added {found.name} (suggested in survey round {rnd.name!r})", prepare
        )
        node = made[0]
        surveys.review(ctx.account.name, found, "added", node)
        message = f"{found.name} is added to the network: the partner who suggested it can now rate it."
    else:
        raise NotFound("There is no such decision.")
    if ctx.field("invite") == "yes":
        surveys.add_partners(ctx.account.name, rnd.id, [(node, ctx.view.names.get(node, found.name))])
        message += " It is invited to this round too: add its contact and make its link."
    return ctx.redirect(f"/surveys/{rnd.id}#suggestions", message)


@page("editor")
def close(ctx: Ctx):
    rnd = _round(ctx)
    if ctx.field("confirm") != "yes":
        return _round_page(
            ctx, rnd, 400, errors={"confirm": ["Tick the box to confirm: closing stops every link of this round."]}
        )
    try:
        done = close_round(ctx.workspace, ctx.workspace.surveys, rnd, ctx.account.name, ctx.field("wave"))
    except FormErrors as exc:
        return _round_page(ctx, rnd, 400, errors={"close": [str(m) for m in exc.problems]})
    except DataError as exc:
        return _round_page(ctx, rnd, 400, errors={"wave": [p.message for p in exc.problems]})
    return ctx.redirect(
        f"/surveys/{rnd.id}",
        f"Closed: {done['respondents']} of {done['invited']} partners answered; their ratings are in the network "
        f"and the network is kept as wave {done['wave']!r}.",
    )


@page("admin")
def settings(ctx: Ctx):
    ctx.workspace.set_partners_see(ctx.account.name, ctx.field("partners_see"))
    return ctx.redirect("/surveys", f"Partners answering a survey see {PARTNERS_SEE[ctx.workspace.partners_see]}.")


routes = [
    Route("/surveys", surveys_page),
    Route("/surveys", create, methods=["POST"]),
    Route("/surveys/settings", settings, methods=["POST"]),
    Route("/surveys/{round:int}", round_page),
    Route("/surveys/{round:int}", update, methods=["POST"]),
    Route("/surveys/{round:int}/contacts", contacts, methods=["POST"]),
    Route("/surveys/{round:int}/partners", add_partners, methods=["POST"]),
    Route("/surveys/{round:int}/links", links, methods=["POST"]),
    Route("/surveys/{round:int}/links/{node}", link, methods=["POST"]),
    Route("/surveys/{round:int}/download/{what}", download),
    Route("/surveys/{round:int}/suggestions/{proposal:int}", proposal, methods=["POST"]),
    Route("/surveys/{round:int}/close", close, methods=["POST"]),
]
