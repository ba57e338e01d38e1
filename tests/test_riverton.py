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
        ("single_point_of_failure/cuts_off/com-eastbank", "high"),
        ("representation/underrepresented/com-eastbank", "high"),
        ("lived_experience_voice/no_decision_role_held/decision_roles", "high"),
        ("lived_experience_voice/no_decision_role/lived_experience", "medium"),
        ("service_coverage/single_provider/domestic_violence", "medium"),
        ("service_coverage/no_24_7/housing", "low"),
        ("service_coverage/unreachable/transportation", "high"),
        ("isolated/no_relationship/org-riverton-tenants-union", "medium"),
        ("language_access/not_reachable/Spanish", "medium"),
    ],
)
def test_planted_problem_is_found(gaps, gap_id, severity):
    assert gap_id in gaps, sorted(gaps)
    assert gaps[gap_id]["severity"] == severity


def test_northgate_depends_on_keisha(gaps):
    assert gaps["trust/depends_on_one/com-northgate"]["evidence"]["depends_on"] == "p-keisha-morgan"


def test_luis_ferreira_alone_connects_eastbank(gaps):
    evidence = gaps["single_point_of_failure/cuts_off/com-eastbank"]["evidence"]
    assert evidence["stakeholders"] == ["p-luis-ferreira"]


def test_eastbank_trust_gap_names_whom_residents_trust(gaps):
    evidence = gaps["trust/no_trusted_path/com-eastbank"]["evidence"]
    assert evidence["messengers"] == [] and evidence["not_trusted"] == ["p-luis-ferreira"]
    assert evidence["trusted_voices"][:3] == ["p-guadalupe-ortega", "p-efrain-solis", "p-marisol-vazquez"]


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
        "Spanish",
    }
    assert {g["subject"] for g in gaps.values()} <= planted


# What the plan should say: data/riverton/README.md states it in a table, checked here against the plan.


def _readme_plan_table() -> list[dict]:
    text = (RIVERTON / "README.md").read_text(encoding="utf-8")
    section = text.split("## What the plan should say", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    return [dict(zip(header, (c.strip() for c in row.strip("|").split("|")))) for row in rows[2:]]


@pytest.fixture(scope="module")
def plan(G, gaps):
    from stakeholder_graph.plan import build_plan

    return build_plan(G, list(gaps.values()))


def test_readme_states_what_the_plan_should_say():
    table = _readme_plan_table()
    assert [row["about"] for row in table][:2] == ["Eastbank (priority community)", "Northgate (priority community)"]
    assert len(table) >= 5


@pytest.mark.parametrize("row", _readme_plan_table(), ids=lambda row: row["about"])
def test_plan_says_what_the_readme_says(plan, row):
    (action,) = [a for a in plan if a["title"] == row["about"]]
    names = {key: {p["name"] for p in action[key]} for key in ("invite", "through", "avoid")}
    for column, key in (("through", "through"), ("invite", "invite"), ("not through", "avoid")):
        expected = {n.strip() for n in row[column].split(",") if n.strip()}
        assert expected <= names[key], (column, names[key])
    for name in (n.strip() for n in row["not through"].split(",") if n.strip()):
        assert name not in names["invite"] | names["through"]
    assert action["method"] == row["method"]


def test_plan_opens_with_eastbank_then_northgate_and_names_people_for_every_high_gap(plan):
    assert [a["subject"] for a in plan[:2]] == ["com-eastbank", "com-northgate"]
    east = plan[0]
    assert "Efraín Solís" in {p["name"] for p in east["through"]}
    assert "Luis Ferreira" not in {p["name"] for p in east["through"] + east["invite"]}
    assert {"trust/no_trusted_path/com-eastbank", "single_point_of_failure/cuts_off/com-eastbank"} <= set(east["gaps"])
    for action in plan:
        if action["severity"] == "high":
            assert action["invite"] and action["through"], action["title"]
