"""The tie networks: built in one batch, they equal the networks adding every relationship one by one gives
(same nodes, ties, attributes and neighbour order), with and without a type filter and a minimum trust."""

from __future__ import annotations

import networkx as nx
import pytest

from stakeholder_graph._ties import (
    ACTOR_KINDS,
    communities_of,
    community_cells,
    current,
    memberships,
    tie_digraph,
    tie_graph,
    tie_pairs,
)
from stakeholder_graph.dataset import read_dataset
from stakeholder_graph.synth import synthesize
from stakeholder_graph.vocab import UNDIRECTED_EDGE_TYPES


def _one_by_one(G: nx.MultiDiGraph, types, min_trust, directed: bool) -> nx.Graph:
    """The tie network as the module docstring defines it, one relationship at a time (the reference)."""
    G = current(G)
    H = nx.DiGraph() if directed else nx.Graph()
    H.add_nodes_from(n for n, k in G.nodes(data="kind") if k in ACTOR_KINDS)

    def merge(u, v, attrs, kind):
        strength, trust = attrs.get("strength") or 1, attrs.get("trust") or 1
        if H.has_edge(u, v):
            d = H[u][v]
            d["strength"], d["trust"], d["types"] = (
                max(d["strength"], strength),
                max(d["trust"], trust),
                d["types"] | {kind},
            )
        else:
            H.add_edge(u, v, strength=strength, trust=trust, types=frozenset({kind}))
        H[u][v]["distance"] = 1.0 / H[u][v]["strength"]

    for u, v, kind, attrs in G.edges(keys=True, data=True):
        if types is not None and kind not in types or min_trust is not None and (attrs.get("trust") or 0) < min_trust:
            continue
        if G.nodes[u].get("kind") in ACTOR_KINDS and G.nodes[v].get("kind") in ACTOR_KINDS:
            merge(u, v, attrs, kind)
            if directed and kind in UNDIRECTED_EDGE_TYPES:
                merge(v, u, attrs, kind)
    if (types is None or "community" in types) and min_trust is None:
        for person, community in community_cells(G):
            merge(person, community, {}, "community")
    return H


@pytest.fixture(scope="module", params=["riverton", "riverton-2027", "synthetic"])
def graph(request) -> nx.MultiDiGraph:
    if request.param == "synthetic":
        return synthesize(1500, seed=2, relationships_per_stakeholder=4)
    return read_dataset(f"data/{request.param}")


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize(
    "types, min_trust", [(None, None), (None, 3), ({"trusts", "partners_with", "community"}, None)]
)
def test_tie_networks_equal_the_one_by_one_reference(graph, directed, types, min_trust):
    built = (tie_digraph if directed else tie_graph)(graph, types=types, min_trust=min_trust)
    reference = _one_by_one(graph, types, min_trust, directed)
    assert list(built.nodes) == list(reference.nodes)
    assert list(built.edges(data=True)) == list(reference.edges(data=True))
    assert {n: list(built.adj[n]) for n in built} == {n: list(reference.adj[n]) for n in reference}
    if directed:
        assert {n: list(built.pred[n]) for n in built} == {n: list(reference.pred[n]) for n in reference}
    # one attribute dict a tie, seen from both ends, as networkx's add_edge makes it
    back = built._pred if directed else built._adj
    assert all(built._adj[u][v] is back[v][u] for u, v in built.edges())


def test_tie_pairs_are_the_tie_digraphs_ties(graph):
    pairs = tie_pairs(graph)
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == set(tie_digraph(graph).edges())


def _communities_one_by_one(G: nx.MultiDiGraph, node: str) -> set[str]:
    """A stakeholder's communities as the docs define them, from its own cell and relationships (the reference)."""
    G = current(G)
    found = {G.nodes[node]["community"]} if G.nodes[node].get("community") else set()
    for _, target, kind in G.out_edges(node, keys=True):
        if kind == "member_of" and G.nodes[target].get("kind") == "community":
            found.add(target)
    return found


def test_memberships_are_every_stakeholders_communities(graph):
    # in one pass, each stakeholder's cell and current member_of communities (those of none left out)
    found = memberships(graph)
    assert found == {n: c for n in graph if (c := _communities_one_by_one(graph, n))}
    assert found  # the three graphs have residents
    person = next(iter(found))
    assert communities_of(graph, person) == found[person] and communities_of(graph, person) is not found[person]
