"""Engagements: record a meeting, survey or town hall with who took part; the method and recency gaps."""

from __future__ import annotations

from starlette.routing import Route

from ...vocab import METHODS
from ..http import Ctx, page
from ..records import FormErrors, edit
from .forms import new_id, today
from .start import gap_rows

NAV = ("Engagements", "/engagements", "viewer")
#: Kinds that can take part in an engagement (``participated_in`` starts from them).
PARTICIPANTS = ("person", "organization", "community", "team")


def _context(ctx: Ctx, form: dict, errors: dict, general: list) -> dict:
    view = ctx.view
    G = view.G
    rows = []
    for node, attrs in G.nodes(data=True):
        if attrs.get("kind") != "engagement":
            continue
        taking_part = {u for u, _, k in G.in_edges(node, keys=True) if k in ("participated_in", "sits_on")}
        rows.append(
            {
                "id": node,
                "name": view.names[node],
                "method": attrs.get("method", ""),
                "date": attrs.get("date", ""),
                "count": len(taking_part),
            }
        )
    rows.sort(key=lambda r: (r["date"] or "0000", r["name"]), reverse=True)
    groups = {kind: [] for kind in PARTICIPANTS}
    for node, attrs in G.nodes(data=True):
        if attrs.get("kind") in groups:
            groups[attrs["kind"]].append((node, view.names[node]))
    for members in groups.values():
        members.sort(key=lambda p: p[1].casefold())
    method_gaps = [g for g in view.gaps if g["kind"] == "engagement_method"]
    return {
        "engagements": rows,
        "methods": METHODS,
        "groups": groups,
        "form": form,
        "errors": errors,
        "general": general,
        "gaps": gap_rows(view, method_gaps),
    }


@page("viewer")
def engagements(ctx: Ctx):
    form = {"name": "", "method": "", "date": today(), "notes": "", "participants": []}
    return ctx.render("engagements.html", **_context(ctx, form, {}, []))


@page("editor")
def record(ctx: Ctx):
    """Record an engagement: a stakeholder of kind engagement and a participated_in tie from each participant."""
    view = ctx.view
    form = {
        "name": ctx.field("name"),
        "method": ctx.field("method"),
        "date": ctx.field("date"),
        "notes": ctx.field("notes"),
        "participants": ctx.fields("participants"),
    }
    real_participants = [view.real_id(p) for p in form["participants"]]
    errors: dict[str, list[str]] = {}
    if None in real_participants:
        errors["participants"] = ["Some of the people chosen are no longer in the network: choose again."]
    if not form["name"]:
        errors["e_name"] = ["Name the engagement (e.g. Northgate listening session)."]
    if errors:
        return ctx.render("engagements.html", status=400, **_context(ctx, form, errors, []))
    node = new_id(view.real, form["name"], "engagement")
    row = {
        "name": form["name"],
        "kind": "engagement",
        "method": form["method"],
        "date": form["date"],
        "notes": form["notes"],
    }
    ties = {(p, node, "participated_in"): {} for p in real_participants}
    try:
        ctx.workspace.change(
            ctx.account.name,
            "record engagement",
            f"recorded {form['name']} ({form['method'] or 'no method'}, {form['date'] or 'no date'}) with {len(ties)} taking part",
            lambda G: edit(G, stakeholders={node: row}, relationships=ties, prefixes={f"s:{node}": "e_"}),
        )
    except FormErrors as exc:
        general = exc.general
        return ctx.render("engagements.html", status=400, **_context(ctx, form, exc.fields, general))
    return ctx.redirect("/engagements", f"Recorded {form['name']}. The method and recency gaps below are updated.")


routes = [
    Route("/engagements", engagements),
    Route("/engagements", record, methods=["POST"]),
]
