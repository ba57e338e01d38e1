"""What one person sees: the network as their role may see it, and the analyses of it, computed once.

A :class:`View` is the live network, or, for a role below the workspace's "show residents' names to"
setting, the network as :func:`stakeholder_graph.privacy.anonymize` gives it (with the workspace's secret
salt, so a pseudonym cannot be worked out from a guessed id). Every page, map and download for that person
is built from the view's graph, so what is hidden is hidden everywhere alike. Analyses (gaps, scores, the
report, maps) are computed once per version of the network and kind of view, and shared by every request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import networkx as nx

from .. import privacy
from ..gaps import engaged_stakeholders, find_gaps
from ..scores import network_scores, node_scores
from ..summary import summarize

__all__ = ["View", "ViewCache", "gap_stakeholders", "gap_map_link", "start_here", "outreach_plan"]


class _Once:
    """Values computed once, each under its own lock, so concurrent requests wait for one computation."""

    def __init__(self):
        self._values: dict = {}
        self._locks: dict = {}
        self._guard = threading.Lock()

    def get(self, key, compute: Callable):
        if key in self._values:
            return self._values[key]
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._values:
                self._values[key] = compute()
            return self._values[key]


class View:
    """The network one kind of reader sees, with its analyses (lazily computed, then kept).

    Attributes
    ----------
    G : networkx.MultiDiGraph
        The graph pages show: the live one, or its anonymised copy.
    real : networkx.MultiDiGraph
        The live graph (for writing only; never shown when ``anonymized``).
    anonymized : bool
        People's names and ids are pseudonyms here.
    """

    def __init__(self, real: nx.MultiDiGraph, anonymized: bool, salt: str, revision: str):
        self.real = real
        self.anonymized = anonymized
        self.revision = revision
        self.salt = salt
        self._once = _Once()
        if anonymized:
            self.anonymizer = privacy.Anonymizer(salt)
            self.G = self.anonymizer.anonymize(real)
            self._to_shown = _node_mapping(real, self.G)
        else:
            self.G = real
            self._to_shown = None
        self._to_real = None if self._to_shown is None else {v: k for k, v in self._to_shown.items()}

    # ------------------------------------------------------------------------------------- ids
    def shown_id(self, node: str) -> str:
        """The id this view shows for a live id."""
        return node if self._to_shown is None else self._to_shown.get(node, node)

    def real_id(self, node: str) -> str | None:
        """The live id behind an id this view shows (None when there is none)."""
        if self._to_real is None:
            return node if node in self.real else None
        return self._to_real.get(node)

    def hidden_fields(self, node: str) -> set[str]:
        """Attributes of a stakeholder (live id) that this view does not show as they are."""
        if not self.anonymized or node not in self.real:
            return set()
        shown = self.G.nodes[self.shown_id(node)]
        return {key for key, value in self.real.nodes[node].items() if shown.get(key) != value}

    # ------------------------------------------------------------------------------------- analyses
    def cached(self, key, compute: Callable):
        """``compute()`` once for this view (for anything built from :attr:`G`)."""
        return self._once.get(key, compute)

    @property
    def gaps(self) -> list[dict]:
        return self.cached("gaps", lambda: find_gaps(self.G))

    @property
    def summary(self) -> dict:
        return self.cached("summary", lambda: summarize(self.G))

    @property
    def network_scores(self) -> dict:
        return self.cached("network_scores", lambda: network_scores(self.G))

    @property
    def node_scores(self) -> dict:
        return self.cached("node_scores", lambda: node_scores(self.G))

    @property
    def engaged(self) -> set[str]:
        return self.cached("engaged", lambda: engaged_stakeholders(self.G))

    @property
    def bridges(self) -> list[dict]:
        from ..bridges import bridges

        return self.cached("bridges", lambda: bridges(self.G, weighted=False))

    @property
    def gaps_by_stakeholder(self) -> dict[str, list[int]]:
        def compute():
            found: dict[str, list[int]] = {}
            for i, gap in enumerate(self.gaps):
                primary, secondary = gap_stakeholders(self.G, gap)
                for node in primary + secondary:
                    found.setdefault(node, []).append(i)
            return found

        return self.cached("gaps_by_stakeholder", compute)

    @property
    def names(self) -> dict[str, str]:
        return self.cached("names", lambda: {n: str(a.get("name", n)) for n, a in self.G.nodes(data=True)})


def _node_mapping(real: nx.MultiDiGraph, shown: nx.MultiDiGraph) -> dict[str, str]:
    """Live id -> shown id, for a graph and its anonymised copy (which keeps the order of the nodes).

    Checked: the same number of nodes and the same kinds in the same order (an organization's id changes
    only when it spells a person's name); anything else is a bug to see at once, never a wrong page.
    """
    pairs = list(zip(real.nodes(data="kind"), shown.nodes(data="kind")))
    if len(real) != len(shown) or any(kind != shown_kind for (_, kind), (_, shown_kind) in pairs):
        raise RuntimeError("privacy.anonymize did not keep the order of the stakeholders")
    return {node: shown_node for (node, _), (shown_node, _) in pairs}


class ViewCache:
    """Views by (revision, anonymized), the few newest kept."""

    def __init__(self, size: int = 4):
        self._views: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.size = size

    def get(self, real: nx.MultiDiGraph, revision: str, anonymized: bool, salt: str) -> View:
        key = (revision, anonymized)
        with self._lock:
            view = self._views.get(key)
            if view is not None:
                self._views.move_to_end(key)
                return view
        view = View(real, anonymized, salt, revision)
        with self._lock:
            view = self._views.setdefault(key, view)
            self._views.move_to_end(key)
            while len(self._views) > self.size:
                self._views.popitem(last=False)
        return view


# ----------------------------------------------------------------------------------------- gaps on pages


def gap_stakeholders(G: nx.MultiDiGraph, gap: dict) -> tuple[list[str], list[str]]:
    """The stakeholders a gap is about, and the others its evidence names (as the map marks them)."""
    from ..maps.views import _gap_nodes  # TODO: a public home for this in gaps.py (shared with maps)

    return _gap_nodes(G, gap)


def gap_map_link(G: nx.MultiDiGraph, gap: dict) -> dict | None:
    """The map view a gap concerns, as query parameters of the map page (None: the whole map)."""
    subject = gap.get("subject")
    kind = gap.get("kind")
    if kind == "service_coverage" and subject:
        return {"view": "need", "need": subject}
    if subject in G and G.nodes[subject].get("kind") == "community":
        return {"view": "community", "community": subject}
    if subject in G:
        return {"view": "focus", "focus": subject, "depth": "1"}
    primary, _ = gap_stakeholders(G, gap)
    if len(primary) == 1:
        return {"view": "focus", "focus": primary[0], "depth": "1"}
    return None


def outreach_plan(G: nx.MultiDiGraph, gaps: list[dict]) -> list[dict]:
    """The outreach plan (:func:`stakeholder_graph.plan.build_plan`): whom to invite, through whom, how."""
    from ..plan import build_plan

    return build_plan(G, gaps)


def start_here(plan: list[dict], gaps: list[dict]) -> list[dict]:
    """The first areas of the plan with their gaps' messages (:func:`stakeholder_graph.plan.start_here`)."""
    from ..plan import start_here as first_areas

    return first_areas(plan, gaps)


def action_map_link(G: nx.MultiDiGraph, action: dict, gaps: dict[str, dict]) -> dict | None:
    """The map view a plan action is about: its community, its need, else its first gap's."""
    if action.get("area") == "community" and action.get("subject") in G:
        return {"view": "community", "community": action["subject"]}
    if action.get("area") == "need":
        return {"view": "need", "need": action["subject"]}
    for gap_id in action.get("gaps", []):
        if gap_id in gaps:
            link = gap_map_link(G, gaps[gap_id])
            if link:
                return link
    return None
