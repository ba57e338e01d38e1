"""Counts that describe a stakeholder graph at a glance."""

from __future__ import annotations

from collections import Counter

import networkx as nx

from .vocab import EDGE_TYPES, KINDS, SECTORS

__all__ = ["summarize"]


def _ordered(counter: Counter, order: tuple[str, ...]) -> dict[str, int]:
    known = {key: counter[key] for key in order if counter[key]}
    extra = {key: counter[key] for key in sorted(k for k in counter if k not in order)}
    return known | extra


def summarize(G: nx.MultiDiGraph) -> dict:
    """Counts by kind, sector and relationship type, connected components and density.

    Density is that of the undirected simple graph of all ties: ``2m / (n (n - 1))`` where ``m`` counts
    each pair of stakeholders with any relationship once.

    Returns
    -------
    dict
        ``program``, ``team``, ``stakeholders``, ``relationships``, ``kinds``, ``sectors``,
        ``relationship_types``, ``components``, ``largest_component``, ``isolated``, ``density``
        (see ``docs/json-output.md``).
    """
    program = G.graph.get("program")
    simple = nx.Graph(G.to_undirected(as_view=True))
    components = sorted((len(c) for c in nx.connected_components(simple)), reverse=True)
    return {
        "program": getattr(program, "name", None),
        "team": getattr(program, "team", None),
        "stakeholders": G.number_of_nodes(),
        "relationships": G.number_of_edges(),
        "kinds": _ordered(Counter(k for _, k in G.nodes(data="kind")), KINDS),
        "sectors": _ordered(Counter(s for _, s in G.nodes(data="sector") if s), SECTORS),
        "relationship_types": _ordered(Counter(k for _, _, k in G.edges(keys=True)), EDGE_TYPES),
        "components": len(components),
        "largest_component": components[0] if components else 0,
        "isolated": sorted(nx.isolates(simple)),
        "density": round(nx.density(simple), 6),
    }


def summary_text(summary: dict, width: int = 80) -> str:
    """The summary as plain text that fits ``width`` columns."""
    lines = [
        f"{summary['program'] or 'Stakeholder network'}",
        f"  {summary['stakeholders']} stakeholders, {summary['relationships']} relationships, "
        f"{summary['components']} component(s), density {summary['density']:.4f}",
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
