"""Whole pages and embeddable blocks: a map as one offline HTML page, a map inside another page, the HTML
report's maps; writing a page all or nothing."""

from __future__ import annotations

import html
import os
from pathlib import Path
from string import Template

import networkx as nx

from .._files import atomic_write_text
from .._ties import priority_communities
from .atlas import Atlas
from .resources import page_template
from .style import _label


def _page(title: str, subtitle: str, body: str) -> str:
    e = html.escape
    return Template(page_template()).substitute(
        head=Atlas.head(), title=e(title), subtitle=e(subtitle), body=body, scripts=Atlas.scripts()
    )


def map_fragment(
    G: nx.MultiDiGraph,
    color_by: str = "sector",
    size_by: str = "degree",
    focus: str | None = None,
    depth: int = 1,
    need: str | None = None,
    community: str | None = None,
    anonymize: bool = False,
    aggregate=None,
    layout=None,
    title: str | None = None,
    element_id: str | None = None,
    height: str = "620px",
) -> str:
    """One map as an embeddable block (``<figure>`` with its data), for a page that has the assets.

    The page needs ``Atlas.head()`` in its ``<head>`` and ``Atlas.scripts()`` once after the maps (to put
    several maps of one graph on a page with its data embedded once, use one :class:`Atlas`).
    """
    atlas = Atlas(G, color_by=color_by, size_by=size_by, anonymize=anonymize)
    return atlas.fragment(
        focus=focus,
        depth=depth,
        need=need,
        community=community,
        aggregate=aggregate,
        layout=layout,
        title=title,
        element_id=element_id,
        height=height,
    )


def build_map(
    G: nx.MultiDiGraph,
    color_by: str = "sector",
    size_by: str = "degree",
    focus: str | None = None,
    depth: int = 1,
    need: str | None = None,
    community: str | None = None,
    anonymize: bool = False,
    aggregate=None,
    layout=None,
    title: str | None = None,
    exact: bool | None = None,
) -> str:
    """A map of the stakeholder network as one self-contained, offline HTML page.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The stakeholder graph.
    color_by : str
        ``sector`` (a fixed color-blind-safe palette), ``community``, ``kind`` or any stakeholder column.
    size_by : str
        ``degree``, ``betweenness``, ``trust`` or ``value``.
    focus, depth : str, int
        Draw only this stakeholder and those within ``depth`` steps.
    need : str
        Highlight the referral paths from the team to the services meeting this need; fade the rest.
    community : str
        Draw this community, its residents, their trusted ties and its credible messengers.
    anonymize : bool
        People's names and ids become stable pseudonyms everywhere in the file.
    aggregate : str or None
        ``auto`` (None: aggregated above :data:`AGGREGATE_THRESHOLD` stakeholders), ``none``,
        ``organization`` or ``sector``.
    layout : None, str or dict
        None (or ``auto``, ``python``): positions computed in Python (:func:`layout_positions`), so the
        page opens still; ``physics``: the page lays the map out with vis-network's physics, which stops
        once stable; or positions ``{id: (x, y)}`` computed beforehand.
    title : str, optional
        The page's title; default the program's name.
    exact : bool, optional
        Betweenness exact (True), estimated (False) or exact up to
        :data:`stakeholder_graph.allpaths.MAP_BUDGET` (None, the default: about 5,000 stakeholders) and
        estimated above it, the estimate's bounds stated on the page.

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    DataError
        Unknown focus, need, community, measure, aggregation or layout.
    """
    atlas = Atlas(G, color_by=color_by, size_by=size_by, anonymize=anonymize, exact=exact)
    program = G.graph.get("program")
    name = G.graph.get("name") or getattr(program, "name", None) or "Stakeholder network"
    title = title or f"{name}: stakeholder map"
    body = atlas.fragment(
        focus=focus,
        depth=depth,
        need=need,
        community=community,
        aggregate=aggregate,
        layout=layout,
        element_id="sgmap-main",
        height="auto",
        heading_level=2,
    )
    view = atlas.last_view
    counts = view["counts"]
    subtitle = (
        (view["caption"] + " " if view["mode"] != "whole" else "")
        + f"{counts['nodes']} stakeholders, {counts['edges']} relationships"
        + (", names anonymized" if atlas.G.graph.get("anonymized") else "")
        + ". Select a stakeholder for details (click, find, or Tab to the map and use the arrow keys); scroll or"
        " pinch to zoom, drag to move"
        + ("; double-click a cluster to open it." if view["clusters"] else ".")
        + (" " + note if (note := atlas.measures_note()) else "")
    )
    return _page(title, subtitle, body)


def report_maps(G: nx.MultiDiGraph, report: dict | None = None) -> tuple[dict[str, str], str, str]:
    """The maps of the HTML report: the whole network, each need's referral paths, each priority community.

    Returns ``(maps, head, scripts)``: ``maps`` maps a report section id (``summary``, ``gaps``,
    ``need-NEED``) to its map fragments; ``head`` goes in the page's ``<head>`` and ``scripts`` once
    before ``</body>``. The graph's data is embedded once for all the maps.
    """
    report = report or {}
    atlas = Atlas(G, gaps=report.get("gaps"))
    maps = {"summary": atlas.fragment(title="The stakeholder network", element_id="map-network", height="640px")}
    for need in report.get("referrals") or {}:
        maps[f"need-{need}"] = atlas.fragment(
            need=need, title=f"Referral paths: {_label(need)}", element_id=f"map-need-{need}", height="520px"
        )
    communities = [
        atlas.fragment(
            community=c,
            title=f"Priority community: {G.nodes[c].get('name', c)}",
            element_id=f"map-community-{c}",
            height="520px",
        )
        for c in priority_communities(G)
    ]
    if communities:
        maps["gaps"] = "\n".join(communities)
    return maps, Atlas.head(), Atlas.scripts()


def write_map(text: str, path: str | os.PathLike) -> Path:
    """Write a page to ``path`` all or nothing (a temporary file in the same folder is renamed)."""
    return atomic_write_text(path, text)


class Map:
    """A map of the stakeholder network that shows itself in a notebook and saves to a file.

    Takes the parameters of :func:`build_map` (keyword-only after ``G``). In Jupyter the map is drawn
    inline, inside an ``<iframe srcdoc>`` sandboxed to its own scripts (the page keeps its
    Content-Security-Policy and cannot reach the notebook); ``save`` writes the same page as a file that
    opens offline in any browser.

    Examples
    --------
    >>> m = Map(G, need="overdose")  # doctest: +SKIP
    >>> m  # in a notebook: the map  # doctest: +SKIP
    >>> m.save("overdose-map.html")  # doctest: +SKIP
    """

    #: The height of the inline frame in a notebook.
    height = "640px"

    def __init__(self, G: nx.MultiDiGraph, **options):
        self.options = options
        #: The whole page: one self-contained HTML document.
        self.html = build_map(G, **options)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page to ``path`` (all or nothing); returns the path written."""
        return write_map(self.html, path)

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
            f'style="width:100%;height:{html.escape(self.height)};border:1px solid #ccc" '
            'title="Stakeholder map"></iframe>'
        )

    def __repr__(self) -> str:
        return f"<Map {len(self.html) // 1024} kB{''.join(f' {k}={v!r}' for k, v in self.options.items() if v)}>"
