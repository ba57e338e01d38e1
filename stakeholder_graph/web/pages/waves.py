"""Waves: keep the live network as a named snapshot; compare two waves (or a wave and now); download a wave
(the dataset folder, zipped, and its HTML report)."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from ... import privacy
from ..._ids import make_id
from ...compare import TOP_BRIDGES, compare
from ...errors import DataError, Problem
from ..http import Ctx, NotFound, page
from .transfer import DOWNLOADS, build_download

NAV = ("Waves", "/waves", "viewer")
#: The live network, as a choice beside the waves.
LIVE = "(now)"


@page("viewer")
def waves(ctx: Ctx):
    listed = ctx.workspace.waves()
    return ctx.render(
        "waves.html", waves=listed, live=LIVE, old=listed[0]["name"] if listed else "", new=LIVE, errors={}
    )


@page("editor")
def snapshot(ctx: Ctx):
    name = ctx.field("name")
    try:
        ctx.workspace.snapshot(ctx.account.name, name, ctx.field("note"))
    except DataError as exc:
        listed = ctx.workspace.waves()
        return ctx.render(
            "waves.html",
            status=400,
            waves=listed,
            live=LIVE,
            old=listed[0]["name"] if listed else "",
            new=LIVE,
            errors={"name": [p.message for p in exc.problems]},
            name=name,
        )
    return ctx.redirect("/waves", f"The network is kept as wave {' '.join(name.split())!r}.")


def _graph(ctx: Ctx, name: str):
    """A wave (or the live network) as this person may see it."""
    view = ctx.view
    if name == LIVE:
        return view.G
    G = ctx.workspace.wave_graph(name)
    return privacy.anonymize(G, key=view.salt) if view.anonymized else G


@page("viewer")
def compare_page(ctx: Ctx):
    old, new = ctx.arg("old"), ctx.arg("new") or LIVE
    names = {w["name"] for w in ctx.workspace.waves()} | {LIVE}
    for value in (old, new):
        if value not in names:
            raise DataError(Problem("wave", None, None, f"no wave named {value!r}"))
    view = ctx.view

    def build():
        before, after = _graph(ctx, old), _graph(ctx, new)
        names = {n: str(a.get("name", n)) for G in (before, after) for n, a in G.nodes(data=True)}
        return compare(before, after), names

    key = ("compare", old, new)
    result, names_of = view.cached(key, build)
    return ctx.render("compare.html", result=result, old=old, new=new, names=names_of, top=TOP_BRIDGES, live=LIVE)


#: What a wave can be downloaded as (see :data:`.transfer.DOWNLOADS`).
WAVE_DOWNLOADS = ("dataset", "report")


@page("viewer")
def download(ctx: Ctx):
    """A wave as a zipped dataset folder or its HTML report (anonymised below the privacy setting)."""
    name, what = ctx.arg("wave"), ctx.param("what")
    if what not in WAVE_DOWNLOADS:
        raise NotFound("There is no such download.")
    if name not in {w["name"] for w in ctx.workspace.waves()}:
        raise DataError(Problem("wave", None, None, f"no wave named {name!r}"))
    view = ctx.view
    body = view.cached(("wave-download", name, what), lambda: build_download(_graph(ctx, name), what))
    filename, kind, _ = DOWNLOADS[what]
    prefix = "anonymized-" if view.anonymized else ""
    return Response(
        body,
        media_type=kind,
        headers={"Content-Disposition": f'attachment; filename="{prefix}wave-{make_id(name)}-{filename}"'},
    )


routes = [
    Route("/waves", waves),
    Route("/waves/download/{what}", download),
    Route("/waves", snapshot, methods=["POST"]),
    Route("/waves/compare", compare_page),
]
