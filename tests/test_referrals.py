"""Referral paths on a hand-worked network."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from stakeholder_graph import DataError, read_dataset
from stakeholder_graph.referrals import PROVIDES_COST, paths_text, referral_graph, referral_paths, step_cost
from stakeholder_graph.vocab import NEEDS
from tests.conftest import ROOT, write_folder

STAKEHOLDERS = """id,name,kind,sector,needs,hours
team,Team,team,mobile_crisis,,
org-a,Clinic A,organization,behavioral_health,,
org-b,Clinic B,organization,behavioral_health,,
org-c,Shelter C,organization,housing,,
svc-1,Detox,service,,substance_use,24/7
svc-2,Outpatient,service,,substance_use,Mon-Fri 08:00-17:00
svc-3,Night shelter,service,,housing,daily 19:00-07:00
"""
# Costs, 1 + (4 - strength) + (4 - trust):
#   team -> org-a  refers_to 4/4: 1        org-a -> svc-1 provides: 1
#   team -> org-b  partners  2/3: 4        org-b -> svc-1 provides: 1
#   team -> svc-2  refers_to 1/1: 7        org-b -> svc-2 provides: 1
#   org-c has no tie in from the team: svc-3 is not reachable.
RELATIONSHIPS = """source,target,type,strength,trust
team,org-a,refers_to,4,4
team,org-b,partners_with,2,3
team,svc-2,refers_to,1,1
org-a,svc-1,provides,,
org-b,svc-1,provides,,
org-b,svc-2,provides,,
org-c,svc-3,provides,,
"""


@pytest.fixture
def G(tmp_path: Path):
    return read_dataset(write_folder(tmp_path / "ref", STAKEHOLDERS, RELATIONSHIPS))


def test_step_cost():
    assert step_cost({"strength": 4, "trust": 4}) == 1
    assert step_cost({"strength": 1, "trust": 1}) == 7
    assert step_cost({}) == 7  # unknown counts as weakest


def test_provides_costs_1_whatever_its_strength_and_trust_as_documented(tmp_path: Path):
    # org-a's provides tie is written at strength 1 and trust 1: it still costs 1, so the best path to
    # Detox costs 1 (team -> org-a) + 1 (org-a -> svc-1).
    weak = RELATIONSHIPS.replace("org-a,svc-1,provides,,", "org-a,svc-1,provides,1,1")
    G = read_dataset(write_folder(tmp_path / "weak", STAKEHOLDERS, weak))
    assert step_cost({"strength": 1, "trust": 1}, "provides") == PROVIDES_COST == 1
    assert referral_graph(G)["org-a"]["svc-1"]["cost"] == 1
    (detox, _) = referral_paths(G, "substance_use")["providers"]
    assert detox["cost"] == 2
    # the README, the paths command's help and the module say the same
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "A `provides` step (an organization to its own service) costs 1" in readme
    from click.testing import CliRunner

    from stakeholder_graph.cli import cli

    assert "a provides step (an organization to its own service) costs 1" in " ".join(
        CliRunner().invoke(cli, ["paths", "--help"]).stdout.split()
    )


def test_best_paths_alternatives_and_backups(G):
    result = referral_paths(G, "substance_use", k=3)
    by_service = {p["service"]: p for p in result["providers"]}
    detox = by_service["svc-1"]
    assert detox["cost"] == 2
    # only two simple paths exist, so k=3 lists two
    assert [p["path"] for p in detox["paths"]] == [["team", "org-a", "svc-1"], ["team", "org-b", "svc-1"]]
    assert [p["cost"] for p in detox["paths"]] == [2, 5]
    assert detox["disjoint_paths"] == 2  # via Clinic A and via Clinic B: one backup
    outpatient = by_service["svc-2"]
    assert outpatient["cost"] == 5 and outpatient["paths"][0]["path"] == ["team", "org-b", "svc-2"]
    assert outpatient["disjoint_paths"] == 2  # the weak direct referral is the backup
    assert [p["service"] for p in result["providers"]] == ["svc-1", "svc-2"]  # cheapest first
    # one name for the quantity: "independent routes", in paths as in the report
    assert "2 independent route(s)" in paths_text(result, G) and "backup" not in paths_text(result, G)


def test_open_at_and_unreachable(G):
    result = referral_paths(G, "housing", open_at="02:00")
    (shelter,) = result["providers"]
    assert shelter["reachable"] is False and shelter["paths"] == [] and shelter["open"] is True
    result = referral_paths(G, "substance_use", open_at="02:00")
    assert [(p["service"], p["open"]) for p in result["providers"]] == [("svc-1", True), ("svc-2", False)]


def test_from_and_bad_arguments(G):
    result = referral_paths(G, "substance_use", source="org-b")
    assert result["from"] == "org-b" and result["providers"][0]["cost"] == 1
    with pytest.raises(DataError, match="not a stakeholder id"):
        referral_paths(G, "substance_use", source="nobody")
    with pytest.raises(DataError, match="unknown need"):
        referral_paths(G, "pizza")
    with pytest.raises(DataError, match="HH:MM"):
        referral_paths(G, "housing", open_at="late")


@pytest.mark.parametrize("folder", ["riverton", "riverton-2027"])
def test_costs_are_networkx_dijkstra_costs(folder):
    from tests.conftest import DATA

    G = read_dataset(DATA / folder)
    D = referral_graph(G)
    expected = nx.single_source_dijkstra_path_length(D, G.graph["program"].team, weight="cost")
    for need in NEEDS:
        for p in referral_paths(G, need, D=D)["providers"]:
            assert p["cost"] == expected.get(p["service"]) and p["reachable"] == (p["service"] in expected)
            assert p["cost"] is None or type(p["cost"]) is int


def test_costs_that_are_not_whole_numbers_use_networkx():
    from stakeholder_graph.referrals import _costs

    D = nx.DiGraph([("a", "b", {"cost": 1.5}), ("b", "c", {"cost": 2}), ("a", "c", {"cost": 4})])
    assert _costs(D, "a", ["b", "c", "a"]) == {"a": 0, "b": 1.5, "c": 3.5}
    D = nx.DiGraph([("a", "b", {"cost": 1}), ("b", "c", {"cost": 2}), ("a", "c", {"cost": 4})])
    D.add_node("far")
    assert _costs(D, "a", ["b", "c", "far"]) == {"b": 1, "c": 3}
