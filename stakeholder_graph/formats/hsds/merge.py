"""Merge an Open Referral directory into a stakeholder dataset: match by name, fill in, add, list the rest.

The directory's organizations and services that the merged network has no tie to the program for are
its *potential* network: they are counted here as "not yet connected", and the report lists them
(:mod:`stakeholder_graph.directory`), rather than as hundreds of isolated stakeholders.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections import defaultdict

import networkx as nx

from ..._ids import unique_ids

__all__ = ["normalize_name", "merge_directory", "merge_text"]

_STOP_WORDS = {"the", "inc", "incorporated", "llc", "ltd", "corp", "corporation", "co"}


def normalize_name(name: str) -> str:
    """A name as merging compares it: case-folded, accents, punctuation and "the"/"inc"/"llc" removed."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"[^\w\s]|_", " ", text.replace("'", ""))
    return " ".join(w for w in text.split() if w not in _STOP_WORDS)


def _fill(attrs: dict, new: dict, keys: tuple[str, ...]) -> list[str]:
    """Copy the keys ``attrs`` lacks from ``new``; the names of those copied. A sector the directory had no
    evidence for (``other``, ``sector_source`` none) is not copied, and ``sector_source`` and ``needs_source``
    only with their value."""
    filled = []
    for key in keys:
        if key in ("sector", "sector_source") and new.get("sector_source") == "none":
            continue
        if key.endswith("_source") and key[: -len("_source")] not in filled:
            continue  # where a value came from goes with the value: the base's own sector keeps no source
        if key not in attrs and key in new:
            attrs[key] = copy.deepcopy(new[key])
            filled.append(key)
    return filled


def merge_directory(base: nx.MultiDiGraph, directory: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, dict]:
    """Merge a service directory (:func:`~stakeholder_graph.formats.hsds.read_hsds`) into a stakeholder graph.

    Organizations are matched by :func:`normalize_name` against the base's organizations: one match
    merges them (the base keeps its values; only missing attributes are filled in), none adds the
    organization, several leave it ambiguous and out of the result, with its services, until the names
    are told apart. A directory service is matched by name among the services of its organization (or,
    failing that, all base services) and filled in, or added with its ``provides`` edge.

    Returns
    -------
    (networkx.MultiDiGraph, dict)
        The merged graph (the base's program) and the report: ``organizations`` and ``services``, each
        with ``matched``, ``added`` and ``ambiguous`` lists, ``counts``, and ``not_yet_connected`` (how many
        directory organizations and services of the merged network have no tie to the program yet).
    """
    G = copy.deepcopy(base)
    index: dict[str, list[str]] = defaultdict(list)
    service_index: dict[str, list[str]] = defaultdict(list)
    for node, attrs in G.nodes(data=True):
        if attrs.get("kind") == "organization":
            index[normalize_name(attrs.get("name", node))].append(node)
        elif attrs.get("kind") == "service":
            service_index[normalize_name(attrs.get("name", node))].append(node)
    report = {
        "organizations": {"matched": [], "added": [], "ambiguous": []},
        "services": {"matched": [], "added": [], "ambiguous": []},
    }
    where: dict[str, str | None] = {}
    org_keys = ("sector", "sector_source", "notes", "alternate_name", "email", "url", "hsds_id")
    for node, attrs in directory.nodes(data=True):
        if attrs.get("kind") != "organization":
            continue
        entry = {"name": attrs["name"], "hsds_id": attrs.get("hsds_id")}
        found = index.get(normalize_name(attrs["name"]), [])
        if len(found) == 1:
            where[node] = found[0]
            entry.update(id=found[0], filled=_fill(G.nodes[found[0]], attrs, org_keys))
            report["organizations"]["matched"].append(entry)
        elif found:
            where[node] = None
            report["organizations"]["ambiguous"].append({**entry, "candidates": sorted(found)})
        else:
            new = unique_ids([node], taken=set(G))[0] if node in G else node
            G.add_node(new, **copy.deepcopy(attrs))
            where[node] = new
            report["organizations"]["added"].append({**entry, "id": new})
    service_keys = (
        "needs",
        "needs_source",
        "hours",
        "languages",
        "notes",
        "taxonomy",
        "alternate_name",
        "email",
        "url",
        "hsds_id",
    )
    for node, attrs in directory.nodes(data=True):
        if attrs.get("kind") != "service":
            continue
        providers = [u for u, _, k in directory.in_edges(node, keys=True) if k == "provides"]
        entry = {"name": attrs["name"], "hsds_id": attrs.get("hsds_id")}
        if any(where.get(p, "") is None for p in providers):
            report["services"]["ambiguous"].append({**entry, "reason": "its organization is ambiguous"})
            continue
        owners = [where[p] for p in providers]
        same = service_index.get(normalize_name(attrs["name"]), [])
        own = [s for s in same if any(G.has_edge(o, s, "provides") for o in owners)]
        found = own or same
        if len(found) > 1:
            report["services"]["ambiguous"].append(
                {**entry, "reason": "several services have this name", "candidates": sorted(found)}
            )
            continue
        if found:
            target = found[0]
            entry.update(id=target, filled=_fill(G.nodes[target], attrs, service_keys))
            report["services"]["matched"].append(entry)
        else:
            target = unique_ids([node], taken=set(G))[0] if node in G else node
            G.add_node(target, **copy.deepcopy(attrs))
            report["services"]["added"].append({**entry, "id": target})
        for owner in owners:
            if not G.has_edge(owner, target, "provides"):
                G.add_edge(owner, target, key="provides", type="provides")
    report["counts"] = {
        f"{group}_{status}": len(items)
        for group in ("organizations", "services")
        for status, items in report[group].items()
    }
    from ...directory import not_yet_connected

    waiting = not_yet_connected(G)
    report["not_yet_connected"] = {"organizations": len(waiting["organizations"]), "services": len(waiting["services"])}
    return G, report


def merge_text(report: dict) -> str:
    """The merge report as plain text."""
    lines = []
    for group in ("organizations", "services"):
        parts = report[group]
        lines.append(
            f"{group.capitalize()}: {len(parts['matched'])} matched, {len(parts['added'])} added, "
            f"{len(parts['ambiguous'])} ambiguous"
        )
        for entry in parts["matched"]:
            filled = f" (filled in {', '.join(entry['filled'])})" if entry.get("filled") else ""
            lines.append(f"  matched    {entry['name']} -> {entry['id']}{filled}")
        for entry in parts["added"]:
            lines.append(f"  added      {entry['name']} as {entry['id']}")
        for entry in parts["ambiguous"]:
            candidates = f": {', '.join(entry['candidates'])}" if entry.get("candidates") else ""
            reason = entry.get("reason", "several organizations have this name")
            lines.append(f"  ambiguous  {entry['name']} ({reason}{candidates}); left out")
    waiting = report.get("not_yet_connected")
    if waiting and (waiting["organizations"] or waiting["services"]):
        lines.append(
            f"Not yet connected: {waiting['organizations']} directory organization(s) and {waiting['services']} "
            "service(s) have no tie to the program yet (the report lists them as the potential network)"
        )
    return "\n".join(lines)
