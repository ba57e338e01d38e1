"""Start: the network's scores, the gaps to take up first and the outreach plan."""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.routing import Route

from ..http import Ctx, page
from ..views import gap_map_link, gap_stakeholders, outreach_plan, start_here

NAV = ("Start", "/", "viewer")
#: Gaps shown in full on the Start page; the rest are one line each.
FIRST_GAPS = 8


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


@page("viewer")
def start(ctx: Ctx):
    view = ctx.view
    ordered = view.cached("start_here", lambda: start_here(view.G, view.gaps))
    plan = view.cached("plan", lambda: outreach_plan(view.G))
    summary = view.summary
    return ctx.render(
        "start.html",
        summary=summary,
        scores=view.network_scores,
        gaps=gap_rows(view, ordered[:FIRST_GAPS]),
        later=gap_rows(view, ordered[FIRST_GAPS:]),
        counts={s: sum(g["severity"] == s for g in view.gaps) for s in ("high", "medium", "low")},
        plan=plan,
        engaged=len(view.engaged),
        description=ctx.workspace.store.description if ctx.can("admin") else None,
    )


async def healthz(request):
    """For a reverse proxy or monitor: 200 ``ok`` (no data, no sign-in)."""
    return PlainTextResponse("ok")


routes = [Route("/", start), Route("/healthz", healthz)]
