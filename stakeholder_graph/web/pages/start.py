"""Start: the network's scores, the gaps to take up first and the outreach plan."""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.routing import Route

from ...gaps import reference_date
from ..http import Ctx, page
from ..views import action_map_link, gap_map_link, gap_stakeholders, outreach_plan, start_here

NAV = ("Start", "/", "viewer")


def gap_rows(view, gaps: list[dict]) -> list[dict]:
    """Gaps with the stakeholders they concern (shown ids and names) and their map view, for templates."""
    rows = []
    for gap in gaps:
        primary, secondary = gap_stakeholders(view.G, gap)
        rows.append(
            {
                "gap": gap,
                "people": [(n, view.names.get(n, n)) for n in primary[:12]],
                "more": max(0, len(primary) - 12),
                "others": len(secondary),
                "map": gap_map_link(view.G, gap),
            }
        )
    return rows


def _people(view, people: list[dict]) -> list[dict]:
    """A plan's people with the ids this view can link to (a count such as "4 more residents" has none)."""
    return [{**p, "link": p.get("id") if p.get("id") in view.G else None} for p in people]


def plan_rows(view, plan: list[dict]) -> list[dict]:
    """The plan's actions for templates: people linkable, the map view each is about."""
    by_id = {g["id"]: g for g in view.gaps}
    return [
        {
            **action,
            "invite": _people(view, action.get("invite") or []),
            "through": _people(view, action.get("through") or []),
            "avoid": _people(view, action.get("avoid") or []),
            "map": action_map_link(view.G, action, by_id),
        }
        for action in plan
    ]


@page("viewer")
def start(ctx: Ctx):
    view = ctx.view
    plan = view.cached("plan", lambda: plan_rows(view, outreach_plan(view.G, view.gaps)))
    first = view.cached("start_here", lambda: start_here(plan, view.gaps))
    return ctx.render(
        "start.html",
        summary=view.summary,
        scores=view.network_scores,
        first=[
            {**area, **{k: plan[area["priority"] - 1][k] for k in ("invite", "through", "avoid", "map", "method")}}
            for area in first
        ],
        plan=plan,
        gaps=gap_rows(view, view.gaps),
        counts={s: sum(g["severity"] == s for g in view.gaps) for s in ("high", "medium", "low")},
        engaged=len(view.engaged),
        as_of=reference_date(view.G).isoformat(),
        as_of_set=bool(getattr(view.G.graph.get("program"), "as_of", None)),
        description=ctx.workspace.store.description if ctx.can("admin") else None,
    )


async def healthz(request):
    """For a reverse proxy or monitor: 200 ``ok`` (no data, no sign-in)."""
    return PlainTextResponse("ok")


routes = [Route("/", start), Route("/healthz", healthz)]
