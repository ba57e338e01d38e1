"""Private helper: build large structures without the cyclic garbage collector scanning them over and over.

Python's cyclic collector runs each time allocations outnumber deallocations by a threshold, and an
oldest-generation collection walks every live container. Building a graph of a million relationships
allocates millions of dicts that are never garbage, so the collector's walks cost more than the building
itself (measured: 7.1 s against 3.2 s for the 500,000 relationships of a 100,000-stakeholder dataset).
The structures built here hold no reference cycles, so pausing the collector while they are built frees
nothing later that it would have freed now. See https://docs.python.org/3/library/gc.html.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line imports this module and starts without networkx
    import networkx as nx

__all__ = ["add_relationships", "add_ties", "kept_heap", "paused_gc"]


#: How many :func:`kept_heap` blocks are open (in a command, around its one analysis).
_keeping = 0


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block; re-enable it after if it was enabled.

    Inside :func:`kept_heap`, what the block built is kept too (``gc.freeze``) before the collector runs
    again: otherwise its first collection walks everything the block allocated (0.3 s of a 50,000
    stakeholder map), to free nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _keeping:
            gc.freeze()
        if enabled:
            gc.enable()


@contextlib.contextmanager
def kept_heap() -> Iterator[None]:
    """Within: what the process holds so far (the graph just read) is kept out of the cyclic collector's
    passes (``gc.freeze``), which otherwise walk its millions of objects each time an analysis allocates
    (a third of ``map`` at 50,000 stakeholders: benchmarks/README.md); reference counting still frees what
    the analyses drop. Afterwards the collector sees it all again (``gc.unfreeze``)."""
    global _keeping
    gc.freeze()
    _keeping += 1
    try:
        yield
    finally:
        _keeping -= 1
        gc.unfreeze()


def add_ties(H: nx.Graph | nx.DiGraph, ties: Iterable[tuple]) -> None:
    """``H.add_edges_from(ties)`` for a simple graph (``Graph`` or ``DiGraph``), in a third of the time.

    Each tie ``(u, v)`` or ``(u, v, attrs)`` is written into networkx's own adjacency dicts as
    ``add_edges_from`` writes it: a missing end is added as a node, a new tie gets a dict of its own shared
    by both ends (``attrs`` itself, which the caller must not reuse), a tie already there is updated with
    ``attrs``; neighbours come in the order ties are first added. networkx checks each tie through several
    calls, which cost more than building the graph's data at 100,000 stakeholders.
    """
    import networkx as nx

    if H.is_multigraph():
        raise TypeError("add_ties builds simple graphs; use add_edges_from for a multigraph")
    nodes = H._node
    out, back = (H._succ, H._pred) if H.is_directed() else (H._adj, H._adj)
    for tie in ties:
        u, v = tie[0], tie[1]
        attrs = tie[2] if len(tie) > 2 else {}
        for end in (u, v):
            if end not in nodes:
                H.add_node(end)
        found = out[u].get(v)
        if found is None:
            out[u][v] = back[v][u] = attrs
        else:
            found.update(attrs)
    nx._clear_cache(H)


def add_relationships(G: nx.MultiDiGraph, relationships: Iterable[tuple]) -> None:
    """``G.add_edge(u, v, key, **attrs)`` for each new relationship ``(u, v, key, attrs)`` of a
    ``MultiDiGraph`` whose ends are already nodes, in a third of the time.

    Written into networkx's own adjacency dicts as ``add_edge`` writes them: ``u``'s successor ``v`` and
    ``v``'s predecessor ``u`` share one dict of keys, each key its attribute dict (``attrs`` itself,
    which the caller must not reuse). No key may be there already (the reader refuses duplicates first).
    """
    import networkx as nx

    if not (G.is_multigraph() and G.is_directed()):
        raise TypeError("add_relationships builds a MultiDiGraph; use add_ties for a simple graph")
    succ, pred = G._succ, G._pred
    for u, v, key, attrs in relationships:
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = pred[v][u] = {}
        keys[key] = attrs
    nx._clear_cache(G)
