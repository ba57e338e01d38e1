"""Bulk work: ``add_ties`` and ``add_relationships`` build the graphs networkx's ``add_edges_from`` and
``add_edge`` build; the cyclic collector
paused inside ``paused_gc``, and what a block builds in a command's ``kept_heap`` kept out of later
collections; outside a command nothing is kept."""

from __future__ import annotations

import gc

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakeholder_graph._bulk import add_relationships, add_ties, kept_heap, paused_gc


def _build() -> list[list]:
    return [[i] for i in range(1000)]  # lists: always tracked by the collector


def test_paused_gc_pauses_and_restores():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()


def test_a_block_in_a_kept_heap_is_kept_and_let_go_after():
    try:
        with kept_heap():
            before = gc.get_freeze_count()
            with paused_gc():
                built = _build()
            assert gc.get_freeze_count() >= before + len(built)  # the dicts built are kept, not walked again
        assert gc.get_freeze_count() == 0  # the command's end: the collector sees everything again
    finally:
        gc.unfreeze()


def test_outside_a_kept_heap_nothing_is_kept():
    # a server's requests: each block's objects stay collectable
    gc.unfreeze()
    with paused_gc():
        _build()
    assert gc.get_freeze_count() == 0


_TIES = st.lists(
    st.tuples(
        st.sampled_from("abcdef"),
        st.sampled_from("abcdefg"),
        st.one_of(st.none(), st.dictionaries(st.sampled_from(["cost", "trust"]), st.integers(1, 4), max_size=2)),
    ),
    max_size=30,
)


@pytest.mark.parametrize("kind", [nx.Graph, nx.DiGraph])
@given(ties=_TIES)
def test_add_ties_builds_what_add_edges_from_builds(kind, ties):
    # repeated ties (updated), both directions of a pair, loops, ends not yet nodes, with and without data
    def as_given():
        return [(u, v) if attrs is None else (u, v, dict(attrs)) for u, v, attrs in ties]

    expected, built = kind(), kind()
    expected.add_nodes_from("ca")
    built.add_nodes_from("ca")
    expected.add_edges_from(as_given())
    add_ties(built, as_given())
    assert list(built.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(built.edges(data=True)) == list(expected.edges(data=True))
    assert {n: list(built.adj[n]) for n in built} == {n: list(expected.adj[n]) for n in expected}
    back = built._pred if built.is_directed() else built._adj
    assert all(built._adj[u][v] is back[v][u] for u, v in built.edges())
    if built.is_directed():
        assert {n: list(built.pred[n]) for n in built} == {n: list(expected.pred[n]) for n in expected}


def test_add_ties_refuses_a_multigraph():
    with pytest.raises(TypeError, match="simple graphs"):
        add_ties(nx.MultiGraph(), [(1, 2)])


@given(
    relationships=st.lists(
        st.tuples(st.sampled_from("abcd"), st.sampled_from("abcd"), st.sampled_from(["trusts", "funds", "member_of"])),
        unique=True,
        max_size=30,
    )
)
def test_add_relationships_builds_what_add_edge_builds(relationships):
    # several types between one pair, both directions, loops; attributes kept
    expected, built = nx.MultiDiGraph(), nx.MultiDiGraph()
    expected.add_nodes_from("dbca")
    built.add_nodes_from("dbca")
    for i, (u, v, key) in enumerate(relationships):
        expected.add_edge(u, v, key, strength=i)
    add_relationships(built, ((u, v, key, {"strength": i}) for i, (u, v, key) in enumerate(relationships)))
    assert list(built.edges(keys=True, data=True)) == list(expected.edges(keys=True, data=True))
    assert list(built.in_edges(keys=True, data=True)) == list(expected.in_edges(keys=True, data=True))
    assert all(built._succ[u][v] is built._pred[v][u] for u, v in built.edges())


def test_add_relationships_refuses_a_simple_graph():
    with pytest.raises(TypeError, match="MultiDiGraph"):
        add_relationships(nx.DiGraph(), [])
