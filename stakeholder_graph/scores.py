"""Network scores: whole-network structure and per-stakeholder centrality, trust and value.

Structure is measured on the tie network (``_ties.tie_graph``: every stakeholder but engagements, one
undirected tie per related pair). Heavy centralities run in python-igraph; NetworkX stays the model.

PARTNER-style scores (after Visible Network Labs' PARTNER tool): a relationship's *trust* is the mean of
its ``reliability``, ``mission`` and ``openness`` ratings (1-4) where a partner survey gave them, else its
``trust`` (1-4); its *value* is the mean of ``power``, ``involvement`` and ``resources`` where given, else
its ``strength`` (1-4). A stakeholder's trust and value scores are the means over the relationships
pointing to it (undirected ones count both ways): how its partners see it. The network's scores are the
means over all relationships that have a rating, also given as a percentage of the maximum (4).
Relationships that have ended on the reference date are left out of every score (``_ties.current``).
"""

from __future__ import annotations

import warnings
from statistics import fmean

import networkx as nx

from ._ties import actors, component_sizes, current, tie_graph, to_igraph
from .allpaths import shared
from .vocab import UNDIRECTED_EDGE_TYPES

__all__ = [
    "TRUST_DIMENSIONS",
    "VALUE_DIMENSIONS",
    "relationship_trust",
    "relationship_value",
    "relationship_ratings",
    "degree_centralization",
    "network_scores",
    "node_scores",
    "number_text",
    "scores_text",
]

TRUST_DIMENSIONS = ("reliability", "mission", "openness")
VALUE_DIMENSIONS = ("power", "involvement", "resources")
#: Directed relationship types between actors whose reciprocity is measured.
RECIPROCAL_TYPES = frozenset({"refers_to", "trusts", "funds"})


def _given(attrs: dict, key: str) -> float | None:
    """The relationship's own ``trust`` or ``strength`` as a rating (None when not given)."""
    return float(attrs[key]) if attrs.get(key) else None


def _rating(attrs: dict, dimensions: tuple[str, ...], fallback: str) -> float | None:
    if attrs.keys().isdisjoint(dimensions):  # no survey ratings (the usual case): the fallback
        return _given(attrs, fallback)
    values = [float(attrs[d]) for d in dimensions if attrs.get(d) not in (None, "")]
    if values:
        return fmean(values)
    return _given(attrs, fallback)


def relationship_trust(attrs: dict) -> float | None:
    """A relationship's PARTNER-style trust (1-4), or None when unrated."""
    return _rating(attrs, TRUST_DIMENSIONS, "trust")


def relationship_value(attrs: dict) -> float | None:
    """A relationship's PARTNER-style value (1-4), or None when unrated."""
    return _rating(attrs, VALUE_DIMENSIONS, "strength")


_RATED = frozenset(TRUST_DIMENSIONS + VALUE_DIMENSIONS)


def relationship_ratings(attrs: dict) -> tuple[float | None, float | None]:
    """``(relationship_trust(attrs), relationship_value(attrs))`` at once: one test for the usual
    relationship without survey ratings (a map reads them for every relationship)."""
    if attrs.keys().isdisjoint(_RATED):
        return _given(attrs, "trust"), _given(attrs, "strength")
    return relationship_trust(attrs), relationship_value(attrs)


def degree_centralization(H: nx.Graph) -> float:
    """Freeman's degree centralization of an undirected graph: sum(max - d_i) / ((n - 1)(n - 2))."""
    n = H.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = [d for _, d in H.degree()]
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def _received(G: nx.MultiDiGraph):
    """(target, attrs) for every rated direction of every current relationship between actors."""
    G = current(G)
    kinds = set(actors(G))
    for u, v, kind, attrs in G.edges(keys=True, data=True):
        if u in kinds and v in kinds:
            yield v, attrs
            if kind in UNDIRECTED_EDGE_TYPES:
                yield u, attrs


def network_scores(G: nx.MultiDiGraph) -> dict:
    """Density, components, average degree, degree centralization, reciprocity, trust and value.

    Returns
    -------
    dict
        ``stakeholders``, ``ties``, ``density``, ``components``, ``largest_component``,
        ``average_degree``, ``degree_centralization``, ``reciprocity`` (share of directed ties of types
        refers_to, trusts and funds that are returned; None without any), ``trust`` and ``value``
        (``{"mean": 1-4, "percent": 0-100, "rated": n}``).
    """
    H = tie_graph(G)
    G = current(G)
    n = H.number_of_nodes()
    components = component_sizes(G)
    directed = {(u, v) for u, v, kind in G.edges(keys=True) if kind in RECIPROCAL_TYPES}
    trust = [t for _, _, attrs in G.edges(data=True) if (t := relationship_trust(attrs)) is not None]
    value = [x for _, _, attrs in G.edges(data=True) if (x := relationship_value(attrs)) is not None]

    def summary(values: list[float]) -> dict:
        mean = fmean(values) if values else None
        return {"mean": _round(mean), "percent": _round(mean / 4 * 100 if mean else None), "rated": len(values)}

    return {
        "stakeholders": n,
        "ties": H.number_of_edges(),
        "density": _round(nx.density(H)),
        "components": len(components),
        "largest_component": max(components, default=0),
        "average_degree": _round(2 * H.number_of_edges() / n if n else 0.0),
        "degree_centralization": _round(degree_centralization(H)),
        "reciprocity": _round(_reciprocity(directed)) if directed else None,
        "trust": summary(trust),
        "value": summary(value),
    }


def _reciprocity(ties: set[tuple[str, str]]) -> float:
    """The share of directed ties whose reverse is also a tie (a self-loop is not returned):
    :func:`networkx.reciprocity` of the digraph of ``ties``, the same integer ratio, from a set."""
    return sum(u != v and (v, u) in ties for u, v in ties) / len(ties)


def node_scores(G: nx.MultiDiGraph, *, exact: bool | None = None) -> dict[str, dict]:
    """Per stakeholder: degree, degree centrality, closeness, eigenvector, PARTNER trust and value.

    Closeness is NetworkX's (Wasserman-Faust scaled for disconnected graphs), from the same pass as
    betweenness (:mod:`stakeholder_graph.allpaths`): exact, or on large networks estimated with an error
    bound, ``closeness_error`` (None when exact); ``exact`` as there. Eigenvector centrality is scaled so
    the most central stakeholder has 1.
    """
    H = tie_graph(G)
    n = H.number_of_nodes()
    g, nodes = to_igraph(H)
    paths = shared(H, exact=exact)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # igraph warns on disconnected graphs
        eigen = g.eigenvector_centrality(scale=True) if g.ecount() else [0.0] * n
    trust: dict[str, list[float]] = {}
    value: dict[str, list[float]] = {}
    for target, attrs in _received(G):
        if (t := relationship_trust(attrs)) is not None:
            trust.setdefault(target, []).append(t)
        if (x := relationship_value(attrs)) is not None:
            value.setdefault(target, []).append(x)
    scores = {}
    for i, node in enumerate(nodes):
        degree = H.degree(node)
        scores[node] = {
            "degree": degree,
            "degree_centrality": _round(degree / (n - 1) if n > 1 else 0.0),
            "closeness": _round(paths.closeness[node]),
            "closeness_error": None if paths.exact else _round(paths.closeness_error[node]),
            "eigenvector": _round(eigen[i]),
            "trust_score": _round(fmean(trust[node])) if node in trust else None,
            "value_score": _round(fmean(value[node])) if node in value else None,
        }
    return scores


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def number_text(value) -> str:
    """A score for people to read: three decimals, or a dash when there is none."""
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def scores_text(
    network: dict, stakeholders: dict[str, dict], names: dict[str, str], top: int = 10, width: int = 80
) -> str:
    """Network scores and the ``top`` stakeholders by degree, as plain text ``width`` columns wide."""
    lines = ["Network"]
    for key in (
        "stakeholders",
        "ties",
        "density",
        "components",
        "largest_component",
        "average_degree",
        "degree_centralization",
        "reciprocity",
    ):
        lines.append(f"  {key.replace('_', ' '):<24}{number_text(network[key])}")
    for key in ("trust", "value"):
        lines.append(f"  {key + ' (1-4)':<24}{number_text(network[key]['mean'])} ({network[key]['rated']} rated)")
    lines += [
        "",
        f"Top {top} stakeholders by degree",
        f"  {'name':<34}{'degree':>7}{'closen.':>9}{'eigenv.':>9}{'trust':>7}{'value':>7}",
    ]
    ranked = sorted(stakeholders.items(), key=lambda item: (-item[1]["degree"], item[0]))[:top]
    for node, row in ranked:
        lines.append(
            f"  {names.get(node, node)[:33]:<34}{row['degree']:>7}{number_text(row['closeness']):>9}"
            f"{number_text(row['eigenvector']):>9}{number_text(row['trust_score']):>7}{number_text(row['value_score']):>7}"
        )
    return "\n".join(line[:width] for line in lines)
