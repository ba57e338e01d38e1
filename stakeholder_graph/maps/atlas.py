"""Maps of one graph on one page: the graph's data (names, marks, scores, gaps, tooltips) computed and
embedded once, and each map's view (what it draws, where, folded or not) beside it."""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
from collections import Counter, defaultdict
from string import Template

import networkx as nx

from .._bulk import paused_gc
from .._forked import Forked
from .._ties import ACTOR_KINDS, memberships, priority_communities, tie_graph
from ..errors import DataError, Problem
from ..vocab import EDGE_TYPES, KINDS, SECTORS, STRENGTH_LABELS, UNDIRECTED_EDGE_TYPES
from .aggregation import _aggregate, _aggregate_mode
from .layout import _complete_positions, layout_positions
from .resources import (
    _csp_meta,
    _json_script,
    _json_text,
    figure_template,
    map_css,
    runtime_js,
    vis_network_js,
    vis_options,
)
from .style import (
    CATEGORICAL_COLORS,
    EDGE_STYLES,
    KIND_SHAPES,
    MARKS,
    NO_VALUE_COLOR,
    SECTOR_COLORS,
    SIZE_MEASURES,
    VIEW_MARKS,
    _label,
)
from .views import _bridges, _brokers, _gap_nodes, _messengers, map_view

#: Stakeholders from which a map finds its gaps in a forked process, beside the rest (stakeholder_graph._forked).
FORK_AT = 5000


def _fmt(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.3f}".rstrip("0").rstrip(".") if x == x else "-"
    return str(x)


def _clean(value):
    """JSON-safe: NaN and infinities become None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _without_gc(method):
    """Run ``method`` with CPython's cyclic garbage collector paused.

    A map's data is hundreds of thousands of small lists and dicts (none in a cycle); each allocation
    burst sets off a collection that walks every container the process holds, the graph included, so at
    50,000 stakeholders the collector took about half of building the page (12.5 s against 6.0 s
    paused). Reference counting still frees everything; the collector runs again afterwards.
    """

    @functools.wraps(method)
    def run(*args, **kwargs):
        with paused_gc():
            return method(*args, **kwargs)

    return run


def _anonymized_id(node: str) -> str:
    from ..privacy import pseudonym

    return "person-" + pseudonym(node).split()[-1].lower()


class Atlas:
    """Maps of one graph that share one page: the graph's data is embedded once, each map adds its view.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The stakeholder graph.
    color_by : str
        ``sector`` (fixed palette), ``community``, ``kind`` or any stakeholder column.
    size_by : str
        One of :data:`SIZE_MEASURES`.
    anonymize : bool
        Replace people's names and ids with stable pseudonyms (``privacy.anonymize``) everywhere in the
        page; organizations keep their names.
    gaps, bridges : list of dict, optional
        ``gaps.find_gaps(G)`` and ``bridges.bridges(G)`` when already computed (else computed here).
    exact : bool, optional
        Betweenness (brokers, sizes, tooltips) exact (True), estimated (False) or, when None, exact up to
        :data:`stakeholder_graph.allpaths.MAP_BUDGET` and estimated above it, unless the graph's
        betweenness was computed already (a report's); an estimate's bounds show in the tooltips and in
        :meth:`measures_note`.
    """

    @_without_gc  # the analyses: hundreds of thousands of small dicts and sets, none garbage
    def __init__(
        self,
        G: nx.MultiDiGraph,
        color_by: str = "sector",
        size_by: str = "degree",
        anonymize: bool = False,
        gaps: list[dict] | None = None,
        bridges: list[dict] | None = None,
        exact: bool | None = None,
    ):
        if size_by not in SIZE_MEASURES:
            raise DataError(
                Problem("size_by", None, None, f"unknown measure {size_by!r}; use one of {', '.join(SIZE_MEASURES)}")
            )
        self.original = G
        self.anonymized = bool(anonymize) and not G.graph.get("anonymized")
        if self.anonymized:
            from ..privacy import anonymize as _anonymize

            G = _anonymize(G)
            gaps = bridges = None  # computed on the original, they would name people
        self.G = G
        self.color_by = color_by
        self.size_by = size_by
        self.nodes = list(G)
        self.index = {n: i for i, n in enumerate(self.nodes)}
        self.graph_id = None
        self._data = None
        self._static_data = None
        self._emitted = False
        self._ids: Counter = Counter()
        self._layouts: dict[frozenset, dict] = {}
        self._communities = memberships(G)
        # First what both the gaps and the broker ranking need, so that a forked process inherits it: the
        # tie network and each priority community's residents' trust. Then three things at once on a
        # large network: the gaps in a forked process (before any thread starts), the all-sources pass
        # in threads (the C code leaving Python free), and here the broker parts and the page's data
        # that depend on neither.
        ties = tie_graph(G) if bridges is None else None
        if ties is not None and gaps is None:
            from ..messengers import community_messengers

            for community in priority_communities(G):
                community_messengers(G, community)
        found_gaps = None if gaps is not None else Forked(_find_gaps, G, fork=len(G) >= FORK_AT)
        if ties is not None:
            from ..allpaths import MAP_BUDGET, _cores, prefetch

            # the pass gets the cores this process and the forked one leave: with every core it slowed
            # both (four threads on two cores), and they are the longer work
            busy = 2 if found_gaps is not None and found_gaps.forked else 1
            prefetch(ties, exact=exact, budget=MAP_BUDGET, threads=max(1, _cores() - busy))
            self._static()
        # the report's own broker ranking (bridges.bridges, computed once per graph and shared)
        self.bridge_rows = bridges if bridges is not None else _bridges(G, exact)
        self.gaps = gaps if gaps is not None else _remember_gaps(G, found_gaps.result())
        self.messengers = _messengers(self.bridge_rows)
        self.brokers = _brokers(self.bridge_rows, G.number_of_nodes())

    def measures_note(self) -> str | None:
        """The sentence saying betweenness is estimated, and how closely (None when it is exact)."""
        from ..allpaths import CONFIDENCE

        errors = [r["betweenness_error"] for r in self.bridge_rows if r.get("betweenness_error") is not None]
        if not errors:
            return None
        return (
            f"Betweenness (brokers) is estimated: each value is within {max(errors):.4f} of the exact one, all at "
            f"once with {CONFIDENCE:.0%} confidence; brokers it cannot tell apart share a rank. Exact values "
            "take longer (stakeholder-graph map --exact)."
        )

    # ---- translating ids given on the command line when the map is anonymized
    def _resolve(self, node: str | None) -> str | None:
        if (
            node
            and self.anonymized
            and node not in self.G
            and self.original.nodes.get(node, {}).get("kind") == "person"
        ):
            return _anonymized_id(node)
        return node

    # ---- the shared graph data
    def _colour_values(self) -> tuple[list, list[dict]]:
        G, column = self.G, self.color_by
        node_attrs = G._node  # networkx's own node dicts, read-only (G.nodes[...] wraps each access)
        values: list = []
        for node in self.nodes:
            attrs = node_attrs[node]
            if column == "community":
                value = node if attrs.get("kind") == "community" else min(self._communities.get(node, ()), default=None)
            else:
                value = attrs.get(column)
                if isinstance(value, list):
                    value = value[0] if value else None
                if isinstance(value, bool):
                    value = "yes" if value else "no"
                elif value is not None and not isinstance(value, str):
                    value = str(value)
            values.append(value if value not in ("", None) else None)
        present = Counter(v for v in values if v is not None)
        if not present and column not in ("sector", "community", "kind"):
            raise DataError(
                Problem(
                    "color_by",
                    None,
                    None,
                    f"no stakeholder has a value in the column {column!r}; "
                    "use sector, community, kind or a column of stakeholders.csv",
                )
            )
        if column == "sector":
            order = [s for s in SECTORS if s in present] + sorted(v for v in present if v not in SECTOR_COLORS)
            colours = {v: SECTOR_COLORS.get(v, "#8C8C8C") for v in order}
            labels = {v: _label(v) for v in order}
        else:
            order = [k for k in KINDS if k in present] if column == "kind" else sorted(present)
            colours = {v: CATEGORICAL_COLORS[i % len(CATEGORICAL_COLORS)] for i, v in enumerate(order)}
            labels = {v: (G.nodes[v].get("name", v) if column == "community" and v in G else _label(v)) for v in order}
        legend = [{"value": v, "label": labels[v], "color": colours[v], "count": present[v]} for v in order]
        none = len(values) - sum(present.values())
        if none:
            legend.append({"value": None, "label": f"no {_label(column)}", "color": NO_VALUE_COLOR, "count": none})
        return values, legend

    def _measures(self) -> dict[str, list]:
        """Degree, received trust and value per stakeholder, in :attr:`nodes` order (betweenness is the
        broker ranking's, added by :meth:`data`). Reads networkx's own adjacency dicts (read-only): the
        views would wrap every access, a second at 50,000 stakeholders."""
        import numpy as np

        from ..scores import relationship_ratings

        G, index, n = self.G, self.index, len(self.nodes)
        succ, pred = G._succ, G._pred
        degree = [len(succ[node].keys() | pred[node].keys()) for node in self.nodes]
        # each received rating's stakeholder and value, in the order the relationships come; summed per
        # stakeholder in that order (np.bincount adds in order: the sums of adding them one by one)
        trust_at: list[int] = []
        trusts: list[float] = []
        value_at: list[int] = []
        values: list[float] = []
        actor = {node for node, kind in G.nodes(data="kind") if kind in ACTOR_KINDS}
        for u, row in succ.items():
            if u not in actor:
                continue
            for v, keyed in row.items():
                if v not in actor:
                    continue
                for kind, attrs in keyed.items():
                    t, x = relationship_ratings(attrs)
                    for target in (index[v], index[u]) if kind in UNDIRECTED_EDGE_TYPES else (index[v],):
                        if t is not None:
                            trust_at.append(target)
                            trusts.append(t)
                        if x is not None:
                            value_at.append(target)
                            values.append(x)

        def means(at: list[int], ratings: list[float]) -> list[float | None]:
            sums = np.bincount(at, weights=ratings, minlength=n).tolist()
            counts = np.bincount(at, minlength=n).tolist()
            return [round(total / count, 3) if count else None for total, count in zip(sums, counts)]

        return {"degree": degree, "trust": means(trust_at, trusts), "value": means(value_at, values)}

    def _sizes(self, measures: dict[str, list]) -> list[float]:
        values = measures[self.size_by]
        if self.size_by in ("trust", "value"):
            return [round(8 + 26 * (x - 1) / 3, 1) if x is not None else 6.0 for x in values]
        top = max((x for x in values if x), default=0) or 1
        return [round(8 + 28 * math.sqrt((x or 0) / top), 1) for x in values]

    def _trusted_by(self) -> dict[str, list[tuple[str, int, int]]]:
        """Per credible messenger: (community name, residents who trust them, residents) of each community."""
        from ..messengers import community_messengers

        found: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
        for community in priority_communities(self.G):
            for p in community_messengers(self.G, community)["messengers"]:
                found[p["id"]].append(
                    (self.G.nodes[community].get("name", community), len(p["trusted_by"]), p["residents"])
                )
        return found

    @_without_gc
    def _static(self) -> dict:
        """The page's data that does not depend on the broker ranking (so it can be made while the
        all-sources pass runs): colours, degree, trust and value, each stakeholder's tooltip rows before
        and after its scores, and the relationships. Computed once."""
        if self._static_data is not None:
            return self._static_data
        G = self.G
        values, legend = self._colour_values()
        value_index = {entry["value"]: i for i, entry in enumerate(legend)}
        team = getattr(G.graph.get("program"), "team", None)
        priority = set(priority_communities(G))
        kinds = dict(G.nodes(data="kind"))
        succ = G._succ  # networkx's own adjacency, read-only: in G.edges(keys=True, data=True)'s order
        node_attrs = G._node

        member_of: dict[str, list[str]] = defaultdict(list)
        edges = []
        types_present = set()
        index = self.index
        for u, row in succ.items():
            for v, keyed in row.items():
                for kind, attrs in keyed.items():
                    types_present.add(kind)
                    if kind == "member_of" and kinds.get(v) in ("organization", "team"):
                        member_of[u].append(node_attrs[v].get("name", v))
                    details = []
                    if attrs.get("strength"):
                        details.append(f"strength {attrs['strength']} ({STRENGTH_LABELS.get(attrs['strength'], '')})")
                    if attrs.get("trust"):
                        details.append(f"trust {attrs['trust']}")
                    if attrs.get("since") or attrs.get("until"):
                        details.append(f"{attrs.get('since') or '?'} to {attrs.get('until') or 'now'}")
                    if attrs.get("notes"):
                        details.append(str(attrs["notes"]))
                    edges.append(
                        [
                            index[u],
                            index[v],
                            EDGE_TYPES.index(kind) if kind in EDGE_TYPES else 0,
                            attrs.get("strength") or 0,
                            attrs.get("trust") or 0,
                            "\n".join(details),
                        ]
                    )

        nodes, heads, tails = [], [], []
        for i, node in enumerate(self.nodes):
            attrs = node_attrs[node]
            kind = attrs.get("kind", "")
            info: list[list[str]] = [["kind", kind + (" (the responder team)" if node == team else "")]]
            if attrs.get("sector"):
                info.append(["sector", _label(attrs["sector"])])
            if member_of.get(node):
                info.append(["organization", ", ".join(sorted(member_of[node]))])
            coms = (
                sorted(self._communities.get(node, ())) if kind == "person" else ([node] if kind == "community" else [])
            )
            if kind == "person" and coms:
                info.append(["community", ", ".join(node_attrs[c].get("name", c) for c in coms)])
            for key, label in (
                ("decision_role", "decision role"),
                ("hours", "hours"),
                ("method", "method"),
                ("date", "date"),
            ):
                if attrs.get(key):
                    info.append([label, _label(str(attrs[key]))])
            if attrs.get("lived_experience"):
                kinds_of = attrs["lived_experience"]
                info.append(["lived experience", _label(", ".join(kinds_of)) if isinstance(kinds_of, list) else "yes"])
            if attrs.get("needs"):
                info.append(["needs", ", ".join(_label(n) for n in attrs["needs"])])
            if attrs.get("languages"):
                info.append(["languages", ", ".join(attrs["languages"])])
            if kind == "community":
                if attrs.get("population_share") is not None:
                    info.append(["population share", f"{attrs['population_share']:.0%}"])
                if node in priority:
                    info.append(["priority community", "yes"])
            tail = []
            if attrs.get("tags"):
                tail.append(["tags", ", ".join(attrs["tags"])])
            if attrs.get("notes"):
                tail.append(["notes", str(attrs["notes"])])
            heads.append(info)
            tails.append(tail)
            nodes.append(
                {
                    "id": node,
                    "label": str(attrs.get("name", node)),
                    "kind": kind,
                    "sector": attrs.get("sector"),
                    "com": [self.index[c] for c in coms if c in self.index],
                    "cv": value_index[values[i]],
                }
            )
        self._static_data = {
            "legend": legend,
            "measures": self._measures(),
            "nodes": nodes,
            "heads": heads,
            "tails": tails,
            "edges": edges,
            "types_present": types_present,
        }
        return self._static_data

    @functools.cached_property
    def edge_index(self) -> dict[tuple[str, str, str], int]:
        """Each relationship's ``(u, v, type)``: its position in the page's edges (:meth:`_static`'s order).
        Only the views of part of the network need it."""
        keys = ((u, v, kind) for u, row in self.G._succ.items() for v, keyed in row.items() for kind in keyed)
        return {key: i for i, key in enumerate(keys)}

    @_without_gc
    def data(self) -> dict:
        """The graph's data as the page reads it (JSON-ready); computed once."""
        if self._data is not None:
            return self._data
        G = self.G
        static = self._static()
        measures = dict(static["measures"])
        rows = {r["id"]: (rank, r) for rank, r in enumerate(self.bridge_rows)}
        measures["betweenness"] = [_clean(rows[n][1].get("betweenness")) if n in rows else None for n in self.nodes]
        sizes = self._sizes(measures)

        marks: dict[str, set[str]] = defaultdict(set)
        concerns: dict[str, list[int]] = defaultdict(list)
        gap_list = []
        for g_index, gap in enumerate(self.gaps):
            primary, secondary = _gap_nodes(G, gap)
            for node in primary:
                marks[node].add("gap")
            for node in primary + secondary:
                concerns[node].append(g_index)
            if gap["kind"] == "single_point_of_failure":
                for node in gap["evidence"].get("stakeholders") or [gap["evidence"].get("stakeholder")]:
                    if node in G:
                        marks[node].add("spof")
            if gap["kind"] == "trust" and gap["evidence"].get("depends_on") in G:
                marks[gap["evidence"]["depends_on"]].add("spof")
            gap_list.append(
                {
                    "severity": gap["severity"],
                    "kind": gap["kind"],
                    "message": gap["message"],
                    "recommendation": gap.get("recommendation", ""),
                    "nodes": [self.index[n] for n in primary] or [self.index[n] for n in secondary],
                }
            )
        for node in self.messengers:
            marks[node].add("messenger")
        for node in self.brokers:
            marks[node].add("broker")
        trusted_by = self._trusted_by()

        nodes = []
        degree, betweenness, trust, value = (measures[k] for k in ("degree", "betweenness", "trust", "value"))
        for i, node in enumerate(self.nodes):
            scores = [f"degree {degree[i]}"]
            if betweenness[i] is not None:
                error = rows[node][1].get("betweenness_error") if node in rows else None
                scores.append(
                    f"betweenness {_fmt(betweenness[i])}"
                    + (f" ± {_fmt(error)} (estimated)" if error is not None else "")
                )
            if trust[i] is not None:
                scores.append(f"trust {_fmt(trust[i])}")
            if value[i] is not None:
                scores.append(f"value {_fmt(value[i])}")
            if node in rows:
                rank, row = rows[node]
                if row.get("score") is not None:
                    tied = (
                        "; rank shared with those the estimate cannot separate" if row.get("betweenness_tied") else ""
                    )
                    scores.append(f"broker score {_fmt(_clean(row.get('score')))} (#{rank + 1}{tied})")
            for community, count, residents in trusted_by.get(node, []):
                scores.append(f"credible messenger of {community} (trusted by {count} of its {residents} residents)")
            node_marks = marks.get(node, ())
            nodes.append(
                {
                    **static["nodes"][i],
                    "size": sizes[i],
                    "marks": [m for m in MARKS if m in node_marks],
                    "info": [*static["heads"][i], ["scores", ", ".join(scores)], *static["tails"][i]],
                    "gaps": concerns.get(node, []),
                }
            )

        missing = [
            {"label": _label(g["subject"]), "count": len(g["evidence"].get("stakeholders_in_sector") or [])}
            for g in self.gaps
            if g["kind"] == "missing_stakeholder_group"
        ]
        types_present = static["types_present"]
        self._data = {
            "colorBy": _label(self.color_by),
            "sizeBy": self.size_by,
            "colors": static["legend"],
            "kinds": [{"kind": k, "shape": KIND_SHAPES[k]} for k in KINDS],
            "edgeTypes": [{"type": t, "label": _label(t), **EDGE_STYLES[t]} for t in EDGE_TYPES],
            "edgeTypesPresent": [EDGE_TYPES.index(t) for t in EDGE_TYPES if t in types_present],
            "communities": [
                {"index": self.index[c], "label": G.nodes[c].get("name", c)}
                for c in sorted(n for n, k in G.nodes(data="kind") if k == "community")
            ],
            "marks": [{"key": k, **v} for k, v in MARKS.items()],
            "viewMarks": [{"key": k, **v} for k, v in VIEW_MARKS.items()],
            "nodes": nodes,
            "edges": static["edges"],
            "gaps": gap_list,
            "missing": missing,
            "anonymized": bool(G.graph.get("anonymized")),
        }
        self._data_text = _json_text(_pack(self._data))  # made once: the page's copy, and its id
        self.graph_id = f"sg-graph-{hashlib.sha256(self._data_text.encode()).hexdigest()[:10]}"
        return self._data

    # ---- one map
    @_without_gc
    def view(
        self, focus=None, depth=1, need=None, community=None, aggregate=None, layout=None, title=None, caption=None
    ) -> dict:
        """The view data of one map (JSON-ready)."""
        data = self.data()
        G = self.G
        focus, community = self._resolve(focus), self._resolve(community)
        chosen = map_view(
            G, focus=focus, depth=depth, need=need, community=community, bridge_rows=self.bridge_rows, gaps=self.gaps
        )
        drawn = chosen["nodes"]
        whole = len(drawn) == len(self.nodes)
        node_idx = None if whole else [self.index[n] for n in drawn]
        edge_idx = None if chosen["mode"] in ("whole", "need") else [self.edge_index[e] for e in chosen["edges"]]
        mode = _aggregate_mode(G, drawn, aggregate)
        view = {
            "graph": self.graph_id,
            "mode": chosen["mode"],
            "title": title or "",
            "caption": caption or chosen["caption"],
            "nodes": node_idx,
            "edges": edge_idx,
            "highlightNodes": None
            if chosen["highlight_nodes"] is None
            else [self.index[n] for n in chosen["highlight_nodes"]],
            "highlightEdges": None
            if chosen["highlight_edges"] is None
            else [self.edge_index[e] for e in chosen["highlight_edges"]],
            "viewMarks": {str(self.index[n]): m for n, m in chosen["view_marks"].items()},
            "aggregate": mode,
            "clusters": None,
            "open": [],
            "physics": False,
            "pos": None,
            "counts": {"nodes": len(drawn), "edges": len(chosen["edges"])},
        }
        if mode != "none":
            clusters, positions = _aggregate(G, drawn, mode, data, self.index)
            # open the clusters holding what the view is about: the referral paths of a need view, the
            # focus of an ego network (a community is never folded, and its residents stay folded)
            reveal = {self.index[n] for n in chosen["view_marks"]}
            if chosen["mode"] == "need":
                reveal.update(view["highlightNodes"])
            view["open"] = [k for k, c in enumerate(clusters) if reveal.intersection(c["members"])]
            view["clusters"] = clusters
            view["pos"] = [positions[n] for n in drawn]
            folded = sum(len(c["members"]) for k, c in enumerate(clusters) if k not in view["open"])
            view["options"] = vis_options(len(clusters) - len(view["open"]) + len(drawn) - folded, False)
            return view
        if isinstance(layout, dict):
            view["pos"] = _complete_positions(G, drawn, layout)
        elif layout == "physics":
            view["physics"] = True
        else:
            if layout not in (None, "auto", "python"):
                raise DataError(Problem("layout", None, None, f"unknown layout {layout!r}; use auto or physics"))
            key = frozenset(drawn)
            if key not in self._layouts:
                self._layouts[key] = layout_positions(G, drawn)
            view["pos"] = [list(self._layouts[key][n]) for n in drawn]
            view["physics"] = False
        view["options"] = vis_options(len(drawn), view["physics"])
        return view

    def fragment(
        self,
        focus=None,
        depth=1,
        need=None,
        community=None,
        aggregate=None,
        layout=None,
        title=None,
        caption=None,
        element_id: str | None = None,
        height: str = "620px",
        heading_level: int = 3,
    ) -> str:
        """One map as an embeddable ``<figure>``; the page must also carry :meth:`head` and :meth:`scripts`.

        The graph's data goes with the first fragment of this atlas only; element ids are unique. The
        side panel's headings are ``<h{heading_level}>`` (3 in a page whose sections are ``<h2>``).
        """
        view = self.view(
            focus=focus,
            depth=depth,
            need=need,
            community=community,
            aggregate=aggregate,
            layout=layout,
            title=title,
            caption=caption,
        )
        if element_id is None:
            key = json.dumps([focus, depth, need, community, aggregate, title], default=str)
            element_id = "sgmap-" + hashlib.sha256(f"{self.graph_id}{key}".encode()).hexdigest()[:8]
        self.last_view = view
        self._ids[element_id] += 1
        if self._ids[element_id] > 1:
            element_id = f"{element_id}-{self._ids[element_id]}"
        parts = []
        if not self._emitted:
            parts.append(_json_script(self.graph_id, self.data(), self._data_text))
            self._emitted = True
        e = html.escape
        name = title or view["caption"]
        parts.append(
            Template(figure_template()).substitute(
                caption=f'<figcaption class="sgmap-caption">{e(title)}</figcaption>' if title else "",
                id=e(element_id),
                height=e(height),
                level=int(heading_level),
                side=e(f"Selected stakeholder, legend and filters: {name}"),
                note=e(view["caption"]),
                view=_json_script(f"{element_id}-view", view),
            )
        )
        return "\n".join(parts)

    @staticmethod
    def head() -> str:
        """What the page's ``<head>`` needs: the Content-Security-Policy and the maps' styles."""
        return _csp_meta() + f"\n<style>{map_css()}</style>"

    @staticmethod
    def scripts() -> str:
        """The scripts, once per page, after the maps: vis-network (inlined) and the maps' own."""
        return f"<script>{vis_network_js()}</script>\n<script>{runtime_js()}</script>"


#: The node fields the page carries column by column; ``kind`` and ``sector`` as ``strings`` indices.
_NODE_COLUMNS = ("id", "label", "kind", "sector", "com", "cv", "size", "marks", "info", "gaps")


def _pack(data: dict) -> dict:
    """The graph's data as the page carries it: a fraction of the size of :meth:`Atlas.data`'s objects.

    Nodes go column by column (``nodes`` maps each field to its list, so field names are not repeated);
    strings that repeat go once in ``strings`` and are referred to by index (-1 for none): ``kind`` and
    ``sector``; a tooltip row's label and the parts of its value (split at ", ", as in "degree 4,
    betweenness 0.01"), ``info`` being a flat list of ``label, number of parts, part...``; and the lines
    of a relationship's details (its sixth item, a list). The page's script (``map.js``, ``unpack``)
    joins them back into :meth:`Atlas.data`'s form when it reads the page; splitting and joining at the
    same separator gives back the same text.
    """
    strings: dict[str, int] = {}

    def ref(text):
        return -1 if text is None else strings.setdefault(text, len(strings))

    rows: dict[tuple[str, str], list[int]] = {}  # most rows repeat ("kind: person"): packed once each

    def row(label: str, value: str) -> list[int]:
        packed = rows.get((label, value))
        if packed is None:
            parts = value.split(", ")
            packed = rows[(label, value)] = [ref(label), len(parts), *map(ref, parts)]
        return packed

    lines: dict[str, list[int]] = {}

    def details(text: str) -> list[int]:
        packed = lines.get(text)
        if packed is None:
            packed = lines[text] = [ref(line) for line in text.split("\n")] if text else []
        return packed

    nodes = data["nodes"]
    columns = {field: [n[field] for n in nodes] for field in _NODE_COLUMNS}
    columns["kind"] = [ref(k) for k in columns["kind"]]
    columns["sector"] = [ref(k) for k in columns["sector"]]
    columns["info"] = [[x for label, value in info for x in row(label, value)] for info in columns["info"]]
    edges = [[u, v, kind, strength, trust, details(text)] for u, v, kind, strength, trust, text in data["edges"]]
    return {**data, "packed": 1, "nodes": columns, "edges": edges, "strings": list(strings)}


def _find_gaps(G: nx.MultiDiGraph) -> list[dict]:
    from ..gaps import find_gaps

    return find_gaps(G)


def _remember_gaps(G: nx.MultiDiGraph, gaps: list[dict]) -> list[dict]:
    """Gaps found in a forked process, kept as ``gaps.find_gaps`` keeps its own (later calls reuse them)."""
    from ..gaps import _remember

    return _remember(G, gaps)
