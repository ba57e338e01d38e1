"""Private: the gap record every check returns, and the orders gaps are listed in."""

from __future__ import annotations

import networkx as nx

from .program import Program

#: Gap kinds, in the order reports list them (within a severity).
GAP_KINDS = (
    "missing_stakeholder_group",
    "engagement_method",
    "representation",
    "lived_experience_voice",
    "trust",
    "service_coverage",
    "language_access",
    "single_point_of_failure",
    "isolated",
    "survey_response",
)
SEVERITIES = ("high", "medium", "low")
#: Needs a crisis line must be able to hand off at any hour.
CRISIS_NEEDS = frozenset({"mental_health_crisis", "overdose", "substance_use", "medical", "domestic_violence"})


def make_gap(
    check: str, kind: str, severity: str, subject: str, message: str, evidence: dict, recommendation: str
) -> dict:
    """One gap: ``id`` is ``kind/check/subject``, stable between waves."""
    return {
        "id": f"{kind}/{check}/{subject}",
        "kind": kind,
        "check": check,
        "severity": severity,
        "subject": subject,
        "message": message,
        "evidence": evidence,
        "recommendation": recommendation,
    }


def program_of(G: nx.MultiDiGraph) -> Program:
    return G.graph.get("program") or Program()


def name_of(G: nx.MultiDiGraph, node: str) -> str:
    return G.nodes[node].get("name", node)


def listing(items: list[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
