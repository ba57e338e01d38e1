"""History: every change with who, when, and each record before and after; reverting a change."""

from __future__ import annotations

import math

import networkx as nx
from starlette.routing import Route

from ..http import Ctx, page
from ..records import parse_key
from ..workspace import ChangeConflict

NAV = ("History", "/history", "viewer")
PAGE_SIZE = 25
#: Records listed per change (an import may change hundreds).
ROWS_PER_CHANGE = 60


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _redact(record: dict, view) -> dict:
    """A record as this view may show it: through privacy.anonymize, like every page of the view."""
    parsed = parse_key(record["key"])

    def kind_of(node: str, attrs: dict | None) -> str:
        if attrs and attrs.get("kind"):
            return attrs["kind"]
        return view.real.nodes[node].get("kind", "person") if node in view.real else "person"

    sides = {}
    for side in ("before", "after"):
        value = record[side]
        G = nx.MultiDiGraph()
        if parsed[0] == "stakeholder":
            G.add_node(parsed[1], **({"kind": kind_of(parsed[1], value)} | (value or {})))
        else:
            _, u, v, k = parsed
            G.add_node(u, kind=kind_of(u, None))
            G.add_node(v, kind=kind_of(v, None))
            G.add_edge(u, v, key=k, type=k, **(value or {}))
        H = view.anonymizer.anonymize(G, people=view.real)  # scrubbed of every person's name, as the pages are
        ids = dict(zip(G, H))
        if parsed[0] == "stakeholder":
            new_id = ids[parsed[1]]
            sides[side] = None if value is None else dict(H.nodes[new_id])
            key = f"s:{new_id}"
        else:
            _, u, v, k = parsed
            sides[side] = (
                None if value is None else {a: b for a, b in H.edges[ids[u], ids[v], k].items() if a != "type"}
            )
            key = f"r:{ids[u]}|{ids[v]}|{k}"
    return {**record, "key": key, **sides}


def describe(entry, view, limit: int = ROWS_PER_CHANGE) -> dict:
    """A history entry for a page: ``rows`` of (record, field, before, after), redacted for the view."""
    rows = []
    records = [_redact(r, view) if view.anonymized else r for r in entry.records]
    for record in records[:limit]:
        parsed = parse_key(record["key"])
        before, after = record["before"] or {}, record["after"] or {}
        if parsed[0] == "stakeholder":
            node = parsed[1]
            label = str(after.get("name") or before.get("name") or node)
            link = node if node in view.G else None
        else:
            _, u, v, k = parsed
            label = f"{view.names.get(u, u)} {k.replace('_', ' ')} {view.names.get(v, v)}"
            link = u if u in view.G else None
        if record["before"] is None:
            label += " (added)"
        elif record["after"] is None:
            label += " (removed)"
        fields = [f for f in dict.fromkeys([*before, *after]) if before.get(f) != after.get(f) and f != "type"]
        for field in fields or ["(no field)"]:
            rows.append(
                {
                    "label": label,
                    "link": link,
                    "field": field.replace("_", " "),
                    "before": _text(before.get(field)),
                    "after": _text(after.get(field)),
                }
            )
    return {
        "n": entry.n,
        "at": entry.at.replace("T", " ")[:19],
        "account": entry.account,
        "action": entry.action,
        "summary": entry.summary if not view.anonymized else _redacted_summary(entry),
        "status": entry.status,
        "reverts": entry.reverts,
        "reverted_by": entry.reverted_by,
        "revertible": entry.status == "applied" and bool(entry.records) and not entry.reverted_by,
        "rows": rows,
        "hidden": max(0, len(records) - limit),
    }


def _redacted_summary(entry) -> str:
    """Summaries name people: below the privacy setting, the action and the count of records only."""
    count = len(entry.records)
    return f"{entry.action}" + (f" ({count} record{'s' if count != 1 else ''})" if count else "")


@page("viewer")
def history(ctx: Ctx):
    view = ctx.view
    total = ctx.workspace.state.history_count()
    pages = max(1, math.ceil(total / PAGE_SIZE))
    number = min(max(1, int(ctx.arg("page")) if ctx.arg("page").isdigit() else 1), pages)
    entries = ctx.workspace.state.history(limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    return ctx.render(
        "history.html",
        entries=[describe(e, view) for e in entries],
        total=total,
        page=number,
        pages=pages,
        params={},
    )


@page("editor")
def revert(ctx: Ctx):
    n = int(ctx.param("n"))
    try:
        done = ctx.workspace.revert(ctx.account.name, n)
    except ChangeConflict as exc:
        view = ctx.view
        return ctx.render(
            "revert_conflict.html",
            status=409,
            n=n,
            entries=[describe(e, view) for e in exc.theirs],
            attempt=exc.n,
        )
    return ctx.redirect("/history", f"Change #{n} reverted (as change #{done})." if done else "Nothing to revert.")


routes = [
    Route("/history", history),
    Route("/history/{n:int}/revert", revert, methods=["POST"]),
]
