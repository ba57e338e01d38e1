"""Anonymised output: people's names (and ids, which often spell names) become stable pseudonyms."""

from __future__ import annotations

import hashlib

import networkx as nx

__all__ = ["pseudonym", "anonymize"]

_PERSONAL_FIELDS = ("notes", "email", "phone")


def pseudonym(node_id: str, salt: str = "") -> str:
    """A stable pseudonym for a person: the same id (and salt) always gives the same pseudonym."""
    digest = hashlib.sha256(f"{salt}\x00{node_id}".encode()).hexdigest()[:6]
    return f"Person {digest.upper()}"


def anonymize(G: nx.MultiDiGraph, salt: str = "") -> nx.MultiDiGraph:
    """A copy of G in which every person's id, name and free notes are replaced.

    Organizations, communities, services and the team keep their names. A person's id becomes
    ``person-XXXXXX`` and their name ``Person XXXXXX`` (the same six hex digits, from a SHA-256 of the
    id and ``salt``); ``notes`` on people and on relationships that touch a person are dropped.
    """
    people = {n for n, kind in G.nodes(data="kind") if kind == "person"}
    mapping = {}
    for node in people:
        name = pseudonym(node, salt)
        mapping[node] = "person-" + name.split()[-1].lower()
    H = nx.relabel_nodes(G, mapping, copy=True)
    for node in people:
        new = mapping[node]
        attrs = H.nodes[new]
        attrs["name"] = pseudonym(node, salt)
        for key in _PERSONAL_FIELDS:
            attrs.pop(key, None)
    renamed = set(mapping.values())
    for u, v, attrs in H.edges(data=True):
        if u in renamed or v in renamed:
            attrs.pop("notes", None)
    H.graph = dict(G.graph)
    H.graph["anonymized"] = True
    return H
