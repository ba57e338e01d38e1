"""How a map looks: the colours of sectors and other values, the shape of each kind, the line of each
relationship type, the marks drawn on stakeholders, and the measures a node's size can follow.
Fixed tables, so that the same sector has the same colour on every map."""

from __future__ import annotations

from ..vocab import SECTORS, UNDIRECTED_EDGE_TYPES

#: Okabe & Ito's eight colours (color-blind safe) for the first eight sectors in vocabulary order (the
#: emergency, crisis and health sectors), Paul Tol's nine "muted" colours for the next nine, and greys
#: for business and other. Fixed: the same sector has the same colour on every map.
SECTOR_COLORS: dict[str, str] = dict(
    zip(
        SECTORS,
        (
            "#0072B2",
            "#56B4E9",
            "#D55E00",
            "#009E73",
            "#CC79A7",
            "#E69F00",
            "#F0E442",
            "#000000",  # Okabe-Ito
            "#882255",
            "#AA4499",
            "#117733",
            "#999933",
            "#88CCEE",
            "#44AA99",
            "#DDCC77",
            "#CC6677",
            "#332288",  # Tol muted
            "#8C8C8C",
            "#C4C4C4",
        ),
        strict=True,
    )
)
#: Colours for any other ``color_by`` column, in order of the sorted values (cycled past 16).
CATEGORICAL_COLORS: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#332288",
    "#117733",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
    "#88CCEE",
    "#DDCC77",
    "#CC6677",
)
#: Colour of nodes without a value for the ``color_by`` column (communities, services and engagements
#: have no sector).
NO_VALUE_COLOR = "#D9D9D9"

#: vis-network shape of each kind.
KIND_SHAPES: dict[str, str] = {
    "person": "dot",
    "organization": "square",
    "community": "hexagon",
    "service": "diamond",
    "team": "star",
    "engagement": "triangleDown",
}

#: Edge style of each relationship type: dash pattern (False for solid), colour, and whether it has a
#: direction (an arrow).
EDGE_STYLES: dict[str, dict] = {
    "member_of": {"dashes": [2, 4], "color": "#9E9E9E"},
    "partners_with": {"dashes": False, "color": "#4D4D4D"},
    "refers_to": {"dashes": False, "color": "#0B4F8A"},
    "trusts": {"dashes": [8, 4], "color": "#6E6E6E"},
    "communicates_with": {"dashes": [4, 4], "color": "#B0B0B0"},
    "participated_in": {"dashes": [1, 4], "color": "#BDBDBD"},
    "provides": {"dashes": [12, 3], "color": "#5E5E5E"},
    "serves": {"dashes": [10, 4, 2, 4], "color": "#A8A8A8"},
    "sits_on": {"dashes": [6, 2, 2, 2], "color": "#6E6E6E"},
    "funds": {"dashes": [14, 6], "color": "#7A7A7A"},
}
for _type, _style in EDGE_STYLES.items():
    _style["directed"] = _type not in UNDIRECTED_EDGE_TYPES

#: The marks drawn on stakeholders: a symbol before the name, a thick border and a halo. Each can be
#: switched off in the page. The first mark a stakeholder has (in this order) gives the colours.
MARKS: dict[str, dict] = {
    "spof": {"symbol": "\u26a1", "label": "single point of failure", "border": "#000000", "halo": "rgba(0,0,0,0.85)"},
    "gap": {"symbol": "\u26a0", "label": "a gap concerns them", "border": "#C00000", "halo": "rgba(220,0,0,0.8)"},
    "messenger": {
        "symbol": "\u2605",
        "label": "credible messenger (trusted by a priority community's residents)",
        "border": "#0072B2",
        "halo": "rgba(0,114,178,0.85)",
    },
    "broker": {
        "symbol": "\u25c6",
        "label": "broker (links parts that would not meet; not a measure of trust)",
        "border": "#CC79A7",
        "halo": "rgba(204,121,167,0.85)",
    },
}
#: Marks of one view only: the focus of an ego network; services meeting a need, reachable or not.
VIEW_MARKS: dict[str, dict] = {
    "focus": {"symbol": "\u25ce", "label": "focus", "border": "#000000", "halo": "rgba(0,0,0,0.6)"},
    "reachable": {
        "symbol": "\u2714",
        "label": "meets the need, reachable by referral",
        "border": "#009E73",
        "halo": "rgba(0,158,115,0.85)",
    },
    "unreachable": {
        "symbol": "\u2716",
        "label": "meets the need, NOT reachable by referral",
        "border": "#C00000",
        "halo": "rgba(220,0,0,0.85)",
    },
}

#: ``size_by`` measures.
SIZE_MEASURES = ("degree", "betweenness", "trust", "value")


def _label(text: str) -> str:
    return text.replace("_", " ")
