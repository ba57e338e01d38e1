"""Comparing two snapshots (waves) of a stakeholder network: what was gained, lost, closed and opened.

Snapshots are two sources (two folders, two Neo4j waves, two exports), or one source seen at two dates
through its ``since``/``until`` columns (:func:`as_of`).
"""

from __future__ import annotations

import datetime as dt
import textwrap

import networkx as nx

from ._escape import markdown_text
from ._ties import current, is_current
from .bridges import bridges
from .errors import DataError, Problem
from .gaps import engaged_stakeholders, find_gaps
from .messengers import messengers
from .scores import network_scores

__all__ = ["as_of", "compare", "compare_text", "compare_markdown"]

#: How many top brokers are compared.
TOP_BRIDGES = 10


def as_of(G: nx.MultiDiGraph, date: str) -> nx.MultiDiGraph:
    """The network as it stood on ``date`` (``YYYY-MM-DD``).

    A relationship counts when it had begun (``since`` empty or on or before the date) and had not ended
    (``until`` empty or after the date); an engagement counts once it has taken place. Other stakeholders
    are kept. The program's ``as_of`` becomes the date, so recency is judged from it.
    """
    try:
        day = dt.date.fromisoformat(date).isoformat()
    except ValueError:
        raise DataError(Problem("date", None, None, f"{date!r} is not a date written YYYY-MM-DD")) from None
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    program = G.graph.get("program")
    if program is not None:
        H.graph["program"] = program.replace(as_of=day)
    for node, attrs in G.nodes(data=True):
        if attrs.get("kind") == "engagement" and attrs.get("date") and attrs["date"] > day:
            continue
        H.add_node(node, **attrs)
    for u, v, key, attrs in G.edges(keys=True, data=True):
        if u in H and v in H and is_current(attrs, day):
            H.add_edge(u, v, key=key, **attrs)
    return H


def _sectors(G: nx.MultiDiGraph) -> set[str]:
    return {G.nodes[n]["sector"] for n in engaged_stakeholders(G) if G.nodes[n].get("sector")}


def _names(G: nx.MultiDiGraph, nodes) -> list[dict]:
    return [{"id": n, "name": G.nodes[n].get("name", n), "kind": G.nodes[n].get("kind")} for n in sorted(nodes)]


def compare(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> dict:
    """What changed between two snapshots of a network.

    Returns
    -------
    dict
        ``stakeholders`` (``gained``, ``lost``), ``ties`` (``gained``, ``lost``: ``{source, target, type}``),
        ``sectors`` (``newly_engaged``, ``no_longer_engaged``), ``gaps`` (``closed``, ``opened``, ``still_open``:
        gaps matched by their ``id``), ``scores`` (``old``, ``new``, ``change`` for density, degree
        centralization, average degree, reciprocity, trust and value means), ``brokers`` (the top
        brokers: ``entered``, ``left``, ``moved`` with old and new ranks) and ``messengers`` (per priority
        community of either wave: the share of residents with a trusted route to the team, and the credible
        messengers ``gained`` and ``lost``).
    """
    old_nodes, new_nodes = set(old), set(new)
    # ties as of each wave's reference date: one that has ended by then (a partner survey's "none") is lost
    old_ties = {(u, v, k) for u, v, k in current(old).edges(keys=True)}
    new_ties = {(u, v, k) for u, v, k in current(new).edges(keys=True)}
    old_gaps = {g["id"]: g for g in find_gaps(old)}
    new_gaps = {g["id"]: g for g in find_gaps(new)}
    before, after = network_scores(old), network_scores(new)
    measures = ("density", "degree_centralization", "average_degree", "reciprocity")
    flat_before = {m: before[m] for m in measures} | {
        "trust": before["trust"]["mean"],
        "value": before["value"]["mean"],
    }
    flat_after = {m: after[m] for m in measures} | {"trust": after["trust"]["mean"], "value": after["value"]["mean"]}
    change = {
        m: (None if flat_before[m] is None or flat_after[m] is None else round(flat_after[m] - flat_before[m], 6))
        for m in flat_before
    }
    top_old = [b["id"] for b in bridges(old, top=TOP_BRIDGES, weighted=False)]
    top_new = [b["id"] for b in bridges(new, top=TOP_BRIDGES, weighted=False)]
    name = {
        **{n: a.get("name", n) for n, a in old.nodes(data=True)},
        **{n: a.get("name", n) for n, a in new.nodes(data=True)},
    }
    return {
        "old": {
            "program": getattr(old.graph.get("program"), "name", None),
            "stakeholders": len(old_nodes),
            "relationships": len(old_ties),
        },
        "new": {
            "program": getattr(new.graph.get("program"), "name", None),
            "stakeholders": len(new_nodes),
            "relationships": len(new_ties),
        },
        "stakeholders": {"gained": _names(new, new_nodes - old_nodes), "lost": _names(old, old_nodes - new_nodes)},
        "ties": {
            "gained": [{"source": u, "target": v, "type": k} for u, v, k in sorted(new_ties - old_ties)],
            "lost": [{"source": u, "target": v, "type": k} for u, v, k in sorted(old_ties - new_ties)],
        },
        "sectors": {
            "newly_engaged": sorted(_sectors(new) - _sectors(old)),
            "no_longer_engaged": sorted(_sectors(old) - _sectors(new)),
        },
        "gaps": {
            "closed": [old_gaps[i] for i in old_gaps if i not in new_gaps],
            "opened": [new_gaps[i] for i in new_gaps if i not in old_gaps],
            "still_open": [new_gaps[i] for i in new_gaps if i in old_gaps],
        },
        "scores": {"old": flat_before, "new": flat_after, "change": change},
        "messengers": _messenger_changes(old, new),
        "brokers": {
            "entered": [{"id": n, "name": name[n], "rank": top_new.index(n) + 1} for n in top_new if n not in top_old],
            "left": [{"id": n, "name": name[n], "rank": top_old.index(n) + 1} for n in top_old if n not in top_new],
            "moved": [
                {"id": n, "name": name[n], "old_rank": top_old.index(n) + 1, "new_rank": top_new.index(n) + 1}
                for n in top_new
                if n in top_old and top_old.index(n) != top_new.index(n)
            ],
        },
    }


def _messenger_changes(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> list[dict]:
    before = {e["community"]: e for e in messengers(old)}
    after = {e["community"]: e for e in messengers(new)}
    out = []
    for community in sorted(set(before) | set(after)):
        was = {p["id"]: p["name"] for p in before.get(community, {}).get("messengers", [])}
        now = {p["id"]: p["name"] for p in after.get(community, {}).get("messengers", [])}
        out.append(
            {
                "community": community,
                "name": (after.get(community) or before[community])["name"],
                "share": {
                    "old": before[community]["share"] if community in before else None,
                    "new": after[community]["share"] if community in after else None,
                },
                "gained": [{"id": i, "name": now[i]} for i in sorted(set(now) - set(was))],
                "lost": [{"id": i, "name": was[i]} for i in sorted(set(was) - set(now))],
            }
        )
    return out


def _share(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def _lines(result: dict) -> list[tuple[str, list[str]]]:
    """Sections of the comparison as (title, lines)."""
    s, t, g, c, b = (result[k] for k in ("stakeholders", "ties", "gaps", "scores", "brokers"))
    changes = []
    for measure, delta in c["change"].items():
        if delta is not None:
            changes.append(f"{measure.replace('_', ' ')}: {c['old'][measure]} -> {c['new'][measure]} ({delta:+.4f})")
    return [
        (
            "Stakeholders",
            [
                f"{len(s['gained'])} gained: " + ", ".join(x["name"] for x in s["gained"]),
                f"{len(s['lost'])} lost: " + ", ".join(x["name"] for x in s["lost"]),
            ],
        ),
        ("Ties", [f"{len(t['gained'])} gained, {len(t['lost'])} lost"]),
        (
            "Sectors",
            [
                "newly engaged: " + (", ".join(result["sectors"]["newly_engaged"]) or "none"),
                "no longer engaged: " + (", ".join(result["sectors"]["no_longer_engaged"]) or "none"),
            ],
        ),
        ("Gaps closed", [f"[{x['severity']}] {x['kind']}: {x['message']}" for x in g["closed"]] or ["none"]),
        ("Gaps opened", [f"[{x['severity']}] {x['kind']}: {x['message']}" for x in g["opened"]] or ["none"]),
        ("Scores", changes),
        (
            "Credible messengers (by priority community)",
            [
                f"{m['name']}: residents with a trusted route {_share(m['share']['old'])} -> "
                f"{_share(m['share']['new'])}; messengers gained: "
                + (", ".join(x["name"] for x in m["gained"]) or "none")
                + "; lost: "
                + (", ".join(x["name"] for x in m["lost"]) or "none")
                for m in result["messengers"]
            ]
            or ["no priority community"],
        ),
        (
            "Brokers",
            [
                f"entered the top {TOP_BRIDGES}: "
                + (", ".join(f"{x['name']} (#{x['rank']})" for x in b["entered"]) or "none"),
                f"left the top {TOP_BRIDGES}: "
                + (", ".join(f"{x['name']} (was #{x['rank']})" for x in b["left"]) or "none"),
            ],
        ),
    ]


def compare_text(result: dict, width: int = 80) -> str:
    """The comparison as plain text."""
    wrap = textwrap.TextWrapper(width=width, initial_indent="  ", subsequent_indent="    ")
    out = [
        f"Changes: {result['old']['stakeholders']} -> {result['new']['stakeholders']} stakeholders, "
        f"{result['old']['relationships']} -> {result['new']['relationships']} relationships"
    ]
    for title, lines in _lines(result):
        out += ["", title] + [w for line in lines for w in wrap.wrap(line)]
    return "\n".join(out) + "\n"


def compare_markdown(result: dict) -> str:
    """The comparison as Markdown."""
    out = [
        "# Changes between waves",
        "",
        f"{result['old']['stakeholders']} -> {result['new']['stakeholders']} stakeholders, "
        f"{result['old']['relationships']} -> {result['new']['relationships']} relationships.",
    ]
    for title, lines in _lines(result):
        out += ["", f"## {title}", ""] + [f"- {markdown_text(line)}" for line in lines]
    return "\n".join(out) + "\n"
