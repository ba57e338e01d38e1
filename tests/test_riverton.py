"""The sample city: its size, its planted problems as data facts, and the analysis finding each one."""

from __future__ import annotations

import networkx as nx
import pytest

from stakeholder_graph import read_dataset, validate_dataset
from stakeholder_graph.gaps import find_gaps
from tests.conftest import DATA

RIVERTON = DATA / "riverton"
RIVERTON_2027 = DATA / "riverton-2027"


@pytest.fixture(scope="module")
def G():
    return read_dataset(RIVERTON)


@pytest.fixture(scope="module")
def gaps(G):
    return {g["id"]: g for g in find_gaps(G)}


@pytest.mark.parametrize("folder", [RIVERTON, RIVERTON_2027])
def test_sample_waves_are_valid(folder):
    assert validate_dataset(folder) == []


def test_sample_size(G):
    kinds = nx.utils.groups(dict(G.nodes(data="kind")))
    assert G.number_of_nodes() >= 200 and G.number_of_edges() >= 600
    assert len(kinds["organization"]) >= 40 and len(kinds["person"]) >= 120
    assert len(kinds["community"]) >= 6 and len(kinds["service"]) >= 20
    assert len(kinds["engagement"]) >= 8 and len(kinds["team"]) == 1
    assert sum(bool(G.nodes[c].get("priority")) for c in kinds["community"]) >= 2
    needs = {need for s in kinds["service"] for need in G.nodes[s].get("needs", [])}
    assert needs == set(G.graph["program"].expected_needs) | ({"other"} & needs)


# The planted problems as plain data facts, checked without the package's analyses.


def test_fact_faith_sector_never_engaged(G):
    faith = {n for n, s in G.nodes(data="sector") if s == "faith_based"}
    assert len(faith) >= 3
    for u, v, kind in G.edges(keys=True):
        if kind in ("participated_in", "sits_on"):
            assert u not in faith
        if kind == "partners_with" and "team-rcr" in (u, v):
            assert not ({u, v} & faith)


def test_fact_no_focus_group(G):
    methods = [m for _, m in G.nodes(data="method") if m]
    assert "focus_group" not in methods and methods.count("town_hall") == 1


def test_fact_luis_alone_links_eastbank(G):
    U = nx.Graph(G.to_undirected(as_view=True))
    U.remove_node("p-luis-ferreira")
    assert not nx.has_path(U, "com-eastbank", "team-rcr")
    police = {n for n, s in G.nodes(data="sector") if s == "law_enforcement"} - {"p-luis-ferreira"}
    eastbank = nx.node_connected_component(U, "com-eastbank")
    assert not (police & eastbank)


def test_fact_eastbank_has_no_trusted_path(G):
    trusted = nx.Graph()
    trusted.add_edges_from((u, v) for u, v, t in G.edges(data="trust") if (t or 0) >= 3)
    members = {n for n, c in G.nodes(data="community") if c == "com-eastbank"}
    assert members and not any(m in trusted and nx.has_path(trusted, m, "team-rcr") for m in members)


def test_fact_single_domestic_violence_provider(G):
    services = [n for n, needs in G.nodes(data="needs") if needs and "domestic_violence" in needs]
    assert services == ["svc-dv-hotline"]


def test_fact_lived_experience_off_the_board(G):
    board = {u for u, _, k in G.edges(keys=True) if k == "sits_on"}
    assert board and not any(G.nodes[p].get("lived_experience") for p in board)


def test_fact_isolated_organization(G):
    assert G.degree("org-riverton-tenants-union") == 0


# The analysis finds each planted problem with the right kind.


@pytest.mark.parametrize(
    ("gap_id", "severity"),
    [
        ("missing_stakeholder_group/not_engaged/faith_based", "medium"),
        ("engagement_method/never_used/focus_group", "medium"),
        ("engagement_method/not_recent/town_hall", "low"),
        ("trust/no_trusted_path/com-eastbank", "high"),
        ("trust/depends_on_one/com-northgate", "high"),
        ("single_point_of_failure/cuts_off/p-luis-ferreira", "high"),
        ("representation/underrepresented/com-eastbank", "high"),
        ("lived_experience_voice/no_decision_role_held/decision_roles", "high"),
        ("lived_experience_voice/no_decision_role/lived_experience", "medium"),
        ("service_coverage/single_provider/domestic_violence", "medium"),
        ("service_coverage/no_24_7/housing", "low"),
        ("service_coverage/unreachable/transportation", "high"),
        ("isolated/no_relationship/org-riverton-tenants-union", "medium"),
    ],
)
def test_planted_problem_is_found(gaps, gap_id, severity):
    assert gap_id in gaps, sorted(gaps)
    assert gaps[gap_id]["severity"] == severity


def test_northgate_depends_on_keisha(gaps):
    assert gaps["trust/depends_on_one/com-northgate"]["evidence"]["depends_on"] == "p-keisha-morgan"


def test_no_unplanted_gaps(gaps):
    """The sample is otherwise healthy: every gap found is one of the planted problems."""
    planted = {
        "faith_based",
        "focus_group",
        "town_hall",
        "com-eastbank",
        "com-northgate",
        "p-luis-ferreira",
        "decision_roles",
        "lived_experience",
        "domestic_violence",
        "housing",
        "transportation",
        "org-riverton-tenants-union",
    }
    assert {g["subject"] for g in gaps.values()} <= planted
