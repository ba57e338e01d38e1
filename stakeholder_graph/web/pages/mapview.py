"""Map: the interactive map of the live network (the maps module's own runtime), its view chosen in the
page; clicking a stakeholder opens its page."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from starlette.routing import Route

from ...errors import DataError
from ...maps import Atlas
from ...maps.resources import map_css, runtime_js, vis_network_js
from ...vocab import NEEDS
from ..http import Ctx, page, static_response
from .forms import choices

NAV = ("Map", "/map", "viewer")
VIEWS = ("whole", "focus", "need", "community")
COLOR_BY = ("sector", "community", "kind")


@lru_cache(maxsize=1)
def map_assets() -> dict[str, tuple[str, bytes]]:
    """The map runtime as files (name -> (content type, body)): vis-network and the maps' own script and
    styles, the very files the offline maps inline, here loaded from this server (the CSP allows no inline
    script)."""
    return {
        "vis-network.js": ("application/javascript", vis_network_js().encode()),
        "map.js": ("application/javascript", runtime_js().encode()),
        "map.css": ("text/css", map_css().encode()),
    }


def asset_urls() -> dict[str, list[str]]:
    assets = map_assets()

    def url(name: str) -> str:
        return f"/assets/{name}?v={hashlib.sha256(assets[name][1]).hexdigest()[:12]}"

    return {
        "scripts": [url("vis-network.js"), url("map.js")],
        "styles": [url(n) for n in assets if n.endswith(".css")],
    }


async def asset(request):
    found = map_assets().get(request.path_params["name"])
    if found is None:
        return static_response("missing")
    return static_response(request.path_params["name"], found[1])


_STYLE_ATTRIBUTE = re.compile(r' style="height:[^"]*"')


def map_html(view, params: dict) -> tuple[str, str]:
    """The map block of a view and its caption (cached per version of the network and view parameters)."""

    def build() -> tuple[str, str]:
        atlas = Atlas(view.G, color_by=params["color_by"], gaps=view.gaps, bridges=view.bridges)
        fragment = atlas.fragment(
            focus=params["focus"] or None if params["view"] == "focus" else None,
            depth=int(params["depth"]),
            need=params["need"] or None if params["view"] == "need" else None,
            community=params["community"] or None if params["view"] == "community" else None,
            element_id="sgmap-main",
            height="auto",
        )
        caption = atlas.last_view["caption"]
        return _STYLE_ATTRIBUTE.sub("", fragment), caption  # sized by the stylesheet: no inline style

    return view.cached(("map", tuple(sorted(params.items()))), build)


@page("viewer")
def map_page(ctx: Ctx):
    view = ctx.view
    params = {
        "view": ctx.arg("view") if ctx.arg("view") in VIEWS else "whole",
        "focus": ctx.arg("focus"),
        "depth": ctx.arg("depth") if ctx.arg("depth") in ("1", "2", "3", "4") else "1",
        "need": ctx.arg("need") if ctx.arg("need") in NEEDS else "",
        "community": ctx.arg("community"),
        "color_by": ctx.arg("color_by") if ctx.arg("color_by") in COLOR_BY else "sector",
    }
    if params["view"] == "focus" and params["focus"] and params["focus"] not in view.G:
        found = [n for n, name in view.names.items() if name.casefold() == params["focus"].casefold()]
        params["focus"] = found[0] if len(found) == 1 else params["focus"]
    error, block, caption = None, "", ""
    missing = {"focus": "Choose a stakeholder.", "need": "Choose a need.", "community": "Choose a community."}
    if params["view"] != "whole" and not params[params["view"]]:
        error = missing[params["view"]]
    else:
        try:
            block, caption = map_html(view, params)
        except DataError as exc:
            error = "; ".join(p.message for p in exc.problems)
    return ctx.render(
        "map.html",
        status=200 if error is None else 400,
        params=params,
        views=VIEWS,
        needs=NEEDS,
        color_by=COLOR_BY,
        choices=choices(view),
        options=view.cached("options", lambda: sorted(view.names.items(), key=lambda p: p[1].casefold())),
        block=block,
        caption=caption,
        error=error,
        assets=asset_urls(),
    )


routes = [Route("/map", map_page), Route("/assets/{name}", asset)]
