"""Stakeholders: the searchable table, a stakeholder's page, and the forms that change them."""

from __future__ import annotations

import math

from starlette.routing import Route

from ...vocab import KINDS, SECTORS, STRENGTH_LABELS, UNDIRECTED_EDGE_TYPES
from ..http import Ctx, NotFound, page
from ..records import FormErrors, cells, edit, relationship_key, stakeholder_key
from ..workspace import ChangeConflict
from .forms import choices, new_id, other_end, stakeholder_cells, stakeholder_fields, tie_cells, today
from .history import describe
from .start import gap_rows

NAV = ("Stakeholders", "/stakeholders", "viewer")
PAGE_SIZE = 50
SORTS = ("name", "kind", "sector", "community", "engaged", "ties")


# ------------------------------------------------------------------------------------------ the table


def _all_rows(view) -> list[dict]:
    """Every stakeholder as a row of the table (computed once per view)."""
    G, names, engaged = view.G, view.names, view.engaged
    rows = []
    for node, attrs in G.nodes(data=True):
        home = attrs.get("community") or (node if attrs.get("kind") == "community" else "")
        rows.append(
            {
                "id": node,
                "name": names[node],
                "folded": names[node].casefold(),
                "kind": attrs.get("kind", ""),
                "sector": attrs.get("sector", ""),
                "community": home,
                "community_name": names.get(home, home) if home else "",
                "engaged": node in engaged,
                "ties": G.degree(node),
            }
        )
    return rows


@page("viewer")
def listing(ctx: Ctx):
    view = ctx.view
    G = view.G
    q = ctx.arg("q").casefold()
    kind, sector, community, engaged = (ctx.arg(k) for k in ("kind", "sector", "community", "engaged"))
    sort = ctx.arg("sort") if ctx.arg("sort") in SORTS else "name"
    order = "desc" if ctx.arg("order") == "desc" else "asc"
    rows = [
        r
        for r in view.cached("table", lambda: _all_rows(view))
        if (not q or q in r["folded"] or q in r["id"].casefold())
        and (not kind or r["kind"] == kind)
        and (not sector or r["sector"] == sector)
        and (not community or r["community"] == community)
        and (engaged not in ("yes", "no") or r["engaged"] == (engaged == "yes"))
    ]
    key = {
        "name": lambda r: r["name"].casefold(),
        "kind": lambda r: (KINDS.index(r["kind"]) if r["kind"] in KINDS else 99, r["name"].casefold()),
        "sector": lambda r: (r["sector"] or "~", r["name"].casefold()),
        "community": lambda r: (r["community_name"].casefold() or "~", r["name"].casefold()),
        "engaged": lambda r: (not r["engaged"], r["name"].casefold()),
        "ties": lambda r: (-r["ties"], r["name"].casefold()),
    }[sort]
    rows.sort(key=key, reverse=order == "desc")
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    number = min(max(1, int(ctx.arg("page") or 1) if ctx.arg("page").isdigit() else 1), pages)
    params = {k: ctx.arg(k) for k in ("q", "kind", "sector", "community", "engaged", "sort", "order")}
    return ctx.render(
        "stakeholders.html",
        rows=rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE],
        total=len(rows),
        all=G.number_of_nodes(),
        params=params,
        page=number,
        pages=pages,
        sort=sort,
        order=order,
        kinds=KINDS,
        sectors=view.cached(
            "sectors", lambda: [s for s in SECTORS if s in {a.get("sector") for _, a in G.nodes(data=True)}]
        ),
        communities=choices(view)["communities"],
    )


# ------------------------------------------------------------------------------------------ one stakeholder


def _tie_rows(view, node: str, outgoing: bool, versions: dict[str, int]) -> list[dict]:
    G = view.G
    edges = G.out_edges(node, keys=True, data=True) if outgoing else G.in_edges(node, keys=True, data=True)
    rows = []
    for u, v, kind, attrs in edges:
        other = v if outgoing else u
        real = (view.real_id(u), view.real_id(v), kind)
        until = attrs.get("until")
        rows.append(
            {
                "source": u,
                "target": v,
                "other": other,
                "other_name": view.names.get(other, other),
                "other_kind": G.nodes[other].get("kind", ""),
                "type": kind,
                "undirected": kind in UNDIRECTED_EDGE_TYPES,
                "strength": attrs.get("strength"),
                "strength_label": STRENGTH_LABELS.get(attrs.get("strength"), ""),
                "trust": attrs.get("trust"),
                "since": attrs.get("since", ""),
                "until": until or "",
                "ended": bool(until) and until <= today(),
                "notes": attrs.get("notes", ""),
                "version": versions.get(relationship_key(*real), 0) if None not in real else 0,
            }
        )
    return sorted(rows, key=lambda r: (r["ended"], r["type"], r["other_name"].casefold()))


def _details(view, node: str) -> list[tuple[str, str, str | None]]:
    """(label, text, link id) rows of a stakeholder's attributes."""
    attrs = view.G.nodes[node]
    rows = []
    for key, value in attrs.items():
        if key in ("name",):
            continue
        if isinstance(value, bool):
            text = "yes" if value else "no"
        elif isinstance(value, list):
            text = ", ".join(str(v).replace("_", " ") for v in value)
        elif key == "population_share" and isinstance(value, float):
            text = f"{value:.0%}"
        else:
            text = str(value).replace("_", " ") if key in ("kind", "sector", "method") else str(value)
        link = value if key == "community" and value in view.G else None
        rows.append((key.replace("_", " "), view.names.get(value, text) if link else text, link))
    return rows


def _page_context(ctx: Ctx, node: str) -> dict:
    view = ctx.view
    G = view.G
    if node not in G:
        raise NotFound(f"There is no stakeholder {node!r}.")
    real = view.real_id(node)
    attrs = G.nodes[node]
    keys = [stakeholder_key(real)] + [
        relationship_key(view.real_id(u), view.real_id(v), k)
        for u, v, k in list(G.out_edges(node, keys=True)) + list(G.in_edges(node, keys=True))
    ]
    versions = ctx.workspace.store.versions(keys) if ctx.can("editor") else {}
    ties_out, ties_in = _tie_rows(view, node, True, versions), _tie_rows(view, node, False, versions)
    engagements = [t for t in ties_out if t["type"] == "participated_in"]
    participants = [t for t in ties_in if t["type"] == "participated_in"]
    gaps = [view.gaps[i] for i in view.gaps_by_stakeholder.get(node, [])]
    history = ctx.workspace.state.history(limit=8, key=stakeholder_key(real)) if not view.anonymized else []
    return {
        "node": node,
        "name": view.names[node],
        "attrs": attrs,
        "kind": attrs.get("kind", ""),
        "details": _details(view, node),
        "scores": view.node_scores.get(node),
        "ties_out": [t for t in ties_out if t["type"] != "participated_in"],
        "ties_in": [t for t in ties_in if t["type"] != "participated_in"],
        "engagements": engagements,
        "participants": participants,
        "gaps": gap_rows(view, gaps),
        "history": history,
        "version": versions.get(stakeholder_key(real), 0),
        "fields": stakeholder_fields(view, real, cells(view.real.nodes[real]), attrs.get("kind", "")),
        "choices": choices(view),
        "errors": {},
        "tie": {
            "direction": "out",
            "type": "communicates_with",
            "other": "",
            **dict.fromkeys(("strength", "trust", "since", "until", "notes"), ""),
        },
        "tie_errors": {},
        "today": today(),
        "conflict": None,
        "stakeholder_options": [p for p in _options(view) if p[0] != node] if ctx.can("editor") else [],
    }


@page("viewer")
def stakeholder(ctx: Ctx):
    return ctx.render("stakeholder.html", **_page_context(ctx, ctx.param("id")))


def _refused(ctx: Ctx, node: str, status: int, **changes):
    context = _page_context(ctx, node)
    context.update(changes)
    return ctx.render("stakeholder.html", status=status, **context)


def _options(view) -> list[tuple[str, str]]:
    """(id, name) of every stakeholder, by name: the choices of the tie form (once per view)."""
    return view.cached("options", lambda: sorted(view.names.items(), key=lambda p: p[1].casefold()))


def _stakeholder(ctx: Ctx):
    """The view, the id in the URL (as the view shows it) and the live id behind it; 404 when there is none."""
    view, node = ctx.view, ctx.param("id")
    real = view.real_id(node) if node in view.G else None
    if real is None:
        raise NotFound(f"There is no stakeholder {node!r}.")
    return view, node, real


def _conflict_context(ctx: Ctx, exc: ChangeConflict) -> dict:
    return {"entries": [describe(e, ctx.view) for e in exc.theirs], "attempt": exc.n}


@page("editor")
def save(ctx: Ctx):
    """The edit form: every column validated as the files are; a newer version is a conflict."""
    view, node, real = _stakeholder(ctx)
    row = stakeholder_cells(ctx, view, real)
    based_on = {stakeholder_key(real): int(ctx.field("version") or 0)}
    try:
        n = ctx.workspace.change(
            ctx.account.name,
            "edit stakeholder",
            f"edited {view.names[node]} ({node})",
            lambda G: edit(G, stakeholders={real: row}, prefixes={stakeholder_key(real): "f_"}),
            based_on=based_on,
        )
    except FormErrors as exc:
        fields = stakeholder_fields(view, real, row, row.get("kind", ""))
        return _refused(ctx, node, 400, fields=fields, errors=exc.fields, general=exc.general, open_form="edit")
    except ChangeConflict as exc:
        # the page again, at the newer version: their changes and this person's merged field by field
        ctx._view = None
        merged, clashes = _merge(
            exc, stakeholder_key(real), row, ctx.view.real.nodes[real] if real in ctx.view.real else {}
        )
        fields = stakeholder_fields(ctx.view, real, merged, merged.get("kind", ""))
        return _refused(
            ctx, node, 409, fields=fields, errors=clashes, conflict=_conflict_context(ctx, exc), open_form="edit"
        )
    return ctx.redirect(f"/stakeholders/{node}", "Saved." if n else "Nothing to save: no value changed.")


def _merge(exc: ChangeConflict, key: str, mine: dict[str, str], current: dict) -> tuple[dict, dict]:
    """Three-way merge of a refused edit: a field only the others changed takes their value, a field only
    this person changed keeps theirs; a field both changed keeps this person's value, flagged."""
    base = next((r["before"] for e in exc.theirs for r in e.records if r["key"] == key), None)
    base_cells, theirs = cells(base), cells(current)
    merged, clashes = {}, {}
    for column in dict.fromkeys([*mine, *theirs]):
        own, other, was = mine.get(column, ""), theirs.get(column, ""), base_cells.get(column, "")
        merged[column] = other if own == was else own
        if own != was and other != was and own != other:
            clashes[f"f_{column}"] = [f"Also changed by someone else, to {other!r}: this is your value; check it."]
    return merged, clashes


@page("editor")
def add_tie(ctx: Ctx):
    view, node, real = _stakeholder(ctx)
    tie = {
        "direction": ctx.field("direction"),
        "type": ctx.field("type"),
        "other": ctx.field("other"),
        **tie_cells(ctx),
    }
    other = other_end(view, tie["other"]) if tie["other"] else None
    errors: dict[str, list[str]] = {}
    if other is None:
        errors["t_other"] = [
            "Pick a stakeholder from the list (name or id)." if tie["other"] else "Name the other stakeholder."
        ]
    elif other == real:
        errors["t_other"] = ["A stakeholder cannot have a relationship with itself."]
    if errors:
        return _refused(ctx, node, 400, tie=tie, tie_errors=errors, open_form="tie")
    source, target = (real, other) if tie["direction"] != "in" else (other, real)
    key = (source, target, tie["type"])
    cells_ = {c: tie[c] for c in ("strength", "trust", "since", "until", "notes")}
    try:
        ctx.workspace.change(
            ctx.account.name,
            "add tie",
            f"{view.names[view.shown_id(source)]} {tie['type'].replace('_', ' ')} {view.names[view.shown_id(target)]}",
            lambda G: _new_tie(G, key, cells_),
        )
    except FormErrors as exc:
        errors = {("t_other" if f in ("t_source", "t_target") else f): m for f, m in exc.fields.items()}
        return _refused(ctx, node, 400, tie=tie, tie_errors=errors, tie_general=exc.general, open_form="tie")
    return ctx.redirect(f"/stakeholders/{node}", "Tie added.")


def _new_tie(G, key, row):
    if G.has_edge(*key):
        raise FormErrors({"t_type": [f"{key[0]} already has a {key[2]} relationship with {key[1]}"]}, [])
    return edit(G, relationships={key: row}, prefixes={relationship_key(*key): "t_"})


@page("editor")
def end_tie(ctx: Ctx):
    """End a relationship: set its ``until`` (it stays, with its history)."""
    view, node = ctx.view, ctx.param("id")
    ends = [view.real_id(ctx.field("source")), view.real_id(ctx.field("target"))]
    kind = ctx.field("type")
    if None in ends or node not in view.G or not view.real.has_edge(ends[0], ends[1], kind):
        raise NotFound("There is no such relationship (any more).")
    key = (ends[0], ends[1], kind)
    row = cells(view.real.edges[key])
    row["until"] = ctx.field("until") or today()
    try:
        ctx.workspace.change(
            ctx.account.name,
            "end tie",
            f"ended {view.names[ctx.field('source')]} {kind.replace('_', ' ')} {view.names[ctx.field('target')]} on {row['until']}",
            lambda G: edit(G, relationships={key: row}, prefixes={relationship_key(*key): "t_"}),
            based_on={relationship_key(*key): int(ctx.field("version") or 0)},
        )
    except FormErrors as exc:
        return _refused(ctx, node, 400, general=[m for ms in exc.fields.values() for m in ms] + exc.general)
    except ChangeConflict as exc:
        return _refused(ctx, node, 409, conflict=_conflict_context(ctx, exc))
    return ctx.redirect(
        f"/stakeholders/{node}", f"The tie ended on {row['until']}; it stays in the data and its history."
    )


@page("admin")
def delete(ctx: Ctx):
    """Confirm (GET), then delete a stakeholder and every relationship it has (POST)."""
    view, node = ctx.view, ctx.param("id")
    if node not in view.G:
        raise NotFound(f"There is no stakeholder {node!r}.")
    real = view.real_id(node)
    if ctx.request.method == "GET":
        return ctx.render(
            "delete.html",
            node=node,
            name=view.names[node],
            ties=view.G.degree(node),
            version=ctx.workspace.store.versions([stakeholder_key(real)])[stakeholder_key(real)],
        )
    try:
        ctx.workspace.change(
            ctx.account.name,
            "delete stakeholder",
            f"deleted {view.names[node]} ({node}) and its {view.G.degree(node)} relationships",
            lambda G: edit(G, stakeholders={real: None}),
            based_on={stakeholder_key(real): int(ctx.field("version") or 0)},
        )
    except FormErrors as exc:
        return ctx.error(400, "Not deleted", [m for ms in exc.fields.values() for m in ms] + exc.general)
    return ctx.redirect("/stakeholders", f"Deleted {view.names[node]}. History can bring it back.")


@page("editor")
def new(ctx: Ctx):
    """A new stakeholder."""
    view = ctx.view
    kind = ctx.field("f_kind") or ctx.arg("kind") or "person"
    if ctx.request.method == "GET":
        values = {"kind": kind if kind in KINDS else "person"}
        return ctx.render(
            "new.html",
            fields=stakeholder_fields(view, None, values, values["kind"]),
            errors={},
            general=[],
            choices=choices(view),
        )
    row = stakeholder_cells(ctx, view, None)
    node = new_id(view.real, row.get("name", ""), row.get("kind", ""))
    try:
        ctx.workspace.change(
            ctx.account.name,
            "add stakeholder",
            f"added {row.get('name') or node} ({node})",
            lambda G: edit(G, stakeholders={node: row}, prefixes={stakeholder_key(node): "f_"}),
        )
    except FormErrors as exc:
        fields = stakeholder_fields(view, None, row, row.get("kind", ""))
        return ctx.render(
            "new.html", status=400, fields=fields, errors=exc.fields, general=exc.general, choices=choices(view)
        )
    ctx._view = None
    return ctx.redirect(f"/stakeholders/{ctx.view.shown_id(node)}", "Added.")


routes = [
    Route("/stakeholders", listing),
    Route("/stakeholders/new", new, methods=["GET", "POST"]),
    Route("/stakeholders/{id}", stakeholder),
    Route("/stakeholders/{id}/edit", save, methods=["POST"]),
    Route("/stakeholders/{id}/ties", add_tie, methods=["POST"]),
    Route("/stakeholders/{id}/ties/end", end_tie, methods=["POST"]),
    Route("/stakeholders/{id}/delete", delete, methods=["GET", "POST"]),
]
