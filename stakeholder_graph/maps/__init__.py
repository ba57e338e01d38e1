"""Interactive network maps: one self-contained HTML file that opens offline in any browser.

A map draws the stakeholder graph with vis-network (its build from npm, shipped with the package):
colour by sector (or any column), size by a measure, shape by kind, edge dashes by relationship type and
width by strength; tooltips with names, scores and the gaps that concern each stakeholder; gap subjects,
credible messengers (by their community's residents' trust), brokers and single points of failure marked
and toggled; filters by sector, kind, community and relationship type. Views: the whole network, one
stakeholder's ego network (``focus``), the referral paths for a need over faded context (``need``) and a
priority community with its trusted ties and messengers (``community``). Large networks are drawn aggregated (organizations with their members and
services folded in, or sectors as clusters) and a double-click opens a cluster; a ``need`` or ``focus``
view opens the clusters that hold its referral paths or its focus.

The page is ours: the template, the legend, the filters and the tooltips are built here and in the
page's own script (``assets/map.js``) from JSON data, with every user string treated as text.
vis-network's JavaScript is inlined; the page loads nothing from anywhere (a Content-Security-Policy
forbids it and allows only the page's own scripts, by hash). Nothing here prints; :func:`write_map` is
the only function that writes a file.

Modules: ``style`` (colours, shapes, lines, marks), ``resources`` (the files in ``assets/``, the CSP),
``layout`` (positions), ``views`` (what one map draws), ``aggregation`` (clusters for large networks),
``atlas`` (:class:`Atlas`: the graph's data once, each map's view), ``page`` (whole pages, fragments,
the report's maps, writing).
"""

from __future__ import annotations

from ..vocab import EDGE_TYPES as EDGE_TYPES
from .aggregation import _aggregate_mode as _aggregate_mode
from .atlas import Atlas
from .layout import layout_positions
from .page import Map, build_map, map_fragment, report_maps, write_map
from .resources import runtime_js, vis_network_js
from .style import CATEGORICAL_COLORS, EDGE_STYLES, KIND_SHAPES, MARKS, SECTOR_COLORS, SIZE_MEASURES
from .views import _bridges as _bridges
from .views import map_view

# EDGE_TYPES, _aggregate_mode and _bridges ("X as X" above): names the single maps.py module had, which tests reach.

__all__ = [
    "SECTOR_COLORS",
    "CATEGORICAL_COLORS",
    "KIND_SHAPES",
    "EDGE_STYLES",
    "MARKS",
    "SIZE_MEASURES",
    "AGGREGATE_THRESHOLD",
    "Atlas",
    "Map",
    "build_map",
    "map_fragment",
    "report_maps",
    "map_view",
    "layout_positions",
    "write_map",
    "vis_network_js",
    "runtime_js",
]

# Size limits: set on the package (``maps.AGGREGATE_THRESHOLD = 5000``) and read when a map is built.

#: Above this many stakeholders in a view, ``aggregate="auto"`` draws the map aggregated (see
#: benchmarks/README.md for the measurements behind it).
AGGREGATE_THRESHOLD = 3000
#: Up to this many nodes, :func:`layout_positions` runs vis-network's forceAtlas2Based in numpy (O(n^2)
#: a step); above, igraph's Fruchterman-Reingold. An aggregated map lays out only its clusters this way.
FA2_MAX = 700
#: Aggregated by organization only when that leaves at most this many nodes; else by sector.
ORGANIZATION_FOLD_MAX = 1000
