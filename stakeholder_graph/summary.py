"""Counts that describe a stakeholder graph at a glance."""

from __future__ import annotations

from collections import Counter

import networkx as nx

from ._ties import component_sizes, current, tie_graph, unrelated
from .vocab import EDGE_TYPES, KINDS, SECTORS

__all__ = ["summarize"]


def _ordered(counter: Counter, order: tuple[str, ...]) -> dict[str, int]:
    known = {key: counter[key] for key in order if counter[key]}
    extra = {key: counter[key] for key in sorted(k for k in counter if k not in order)}
    return known | extra


def summarize(G: nx.MultiDiGraph) -> dict:
    """Counts by kind, sector and relationship type, connected components and density.

    Components and density are those of the tie network (``_ties.tie_graph``: every stakeholder but
    engagements, current relationships, one tie per related pair), the same as the network scores':
    density is ``2m / (n (n - 1))`` where ``m`` counts each tied pair once. ``relationships`` counts every
    row, ``ended_relationships`` those that have ended (or not begun) on the reference date.

    Returns
    -------
    dict
        ``program``, ``team``, ``stakeholders``, ``relationships``, ``ended_relationships``, ``kinds``,
        ``sectors``, ``relationship_types``, ``components``, ``largest_component``, ``isolated``,
        ``density`` (see ``docs/json-output.md``).
    """
    program = G.graph.get("program")
    H = tie_graph(G)
    relationships = G.number_of_edges()  # a multigraph counts them node by node: once
    components = component_sizes(G)
    return {
        "program": getattr(program, "name", None),
        "team": getattr(program, "team", None),
        "stakeholders": G.number_of_nodes(),
        "relationships": relationships,
        "ended_relationships": relationships - (relationships if current(G) is G else current(G).number_of_edges()),
        "kinds": _ordered(Counter(k for _, k in G.nodes(data="kind")), KINDS),
        "sectors": _ordered(Counter(s for _, s in G.nodes(data="sector") if s), SECTORS),
        "relationship_types": _ordered(Counter(k for _, _, k in G.edges(keys=True)), EDGE_TYPES),
        "components": len(components),
        "largest_component": components[0] if components else 0,
        "isolated": unrelated(G),
        "density": round(nx.density(H), 6),
    }


def summary_text(summary: dict, width: int = 80) -> str:
    """The summary as plain text that fits ``width`` columns."""
    lines = [
        f"{summary['program'] or 'Stakeholder network'}",
        f"  {summary['stakeholders']} stakeholders, {summary['relationships']} relationships"
        + (f" ({summary['ended_relationships']} ended)" if summary.get("ended_relationships") else "")
        + f", {summary['components']} component(s), density {summary['density']:.3f}",
    ]
    if summary["team"]:
        lines.append(f"  responder team: {summary['team']}")
    if summary["isolated"]:
        lines.append(f"  isolated: {', '.join(summary['isolated'])}")
    for title, key in (("By kind", "kinds"), ("By sector", "sectors"), ("By relationship type", "relationship_types")):
        lines += ["", title]
        counts = summary[key]
        label_width = max((len(k) for k in counts), default=0)
        lines += [f"  {name:<{label_width}}  {count:>6}" for name, count in counts.items()]
    return "\n".join(line[:width] for line in lines)
