"""Comparing waves: the two Riverton waves, snapshots by date, and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stakeholder_graph import read_dataset
from stakeholder_graph.cli import cli
from stakeholder_graph.compare import as_of, compare
from tests.conftest import DATA, write_folder


@pytest.fixture(scope="module")
def result():
    return compare(read_dataset(DATA / "riverton"), read_dataset(DATA / "riverton-2027"))


def test_riverton_waves_close_the_faith_gap(result):
    assert [g["id"] for g in result["gaps"]["closed"]] == ["missing_stakeholder_group/not_engaged/faith_based"]
    assert result["gaps"]["opened"] == []
    assert "faith_based" in result["sectors"]["newly_engaged"]
    assert result["sectors"]["no_longer_engaged"] == []


def test_riverton_waves_stakeholders_and_ties(result):
    gained = {s["id"] for s in result["stakeholders"]["gained"]}
    lost = {s["id"] for s in result["stakeholders"]["lost"]}
    assert {"p-renee-holmberg", "p-kevin-doyle", "p-lauren-mitchell"} <= lost
    assert {"org-riverbend-respite", "svc-peer-respite", "eng-2027-listening-session"} <= gained
    ties_gained = {(t["source"], t["target"], t["type"]) for t in result["ties"]["gained"]}
    assert ("org-first-methodist", "team-rcr", "partners_with") in ties_gained or (
        "team-rcr",
        "org-first-methodist",
        "partners_with",
    ) in ties_gained
    old, new = read_dataset(DATA / "riverton"), read_dataset(DATA / "riverton-2027")
    assert len(result["ties"]["gained"]) - len(result["ties"]["lost"]) == new.number_of_edges() - old.number_of_edges()


def test_scores_change_is_new_minus_old(result):
    for measure, delta in result["scores"]["change"].items():
        if delta is not None:
            assert delta == pytest.approx(result["scores"]["new"][measure] - result["scores"]["old"][measure], abs=1e-6)


def test_as_of_uses_since_and_until(tmp_path: Path):
    folder = write_folder(
        tmp_path / "dated",
        relationships="""source,target,type,strength,trust,since,until
team-a,org-1,partners_with,3,3,2025-01-01,
org-1,svc-1,provides,4,4,,
team-a,svc-1,refers_to,3,3,2026-05-01,
p-1,com-n,member_of,,,,
p-2,org-1,member_of,2,2,2024-01-01,2025-06-30
p-1,eng-1,participated_in,,,,
p-2,eng-1,participated_in,,,,
""",
    )
    G = read_dataset(folder)
    early, late = as_of(G, "2025-03-01"), as_of(G, "2026-06-01")
    assert early.has_edge("p-2", "org-1") and not late.has_edge("p-2", "org-1")
    assert not early.has_edge("team-a", "svc-1") and late.has_edge("team-a", "svc-1")
    assert "eng-1" not in early and "eng-1" in late  # the survey took place on 2026-03-01
    changes = compare(early, late)
    assert {(t["source"], t["type"]) for t in changes["ties"]["gained"]} >= {("team-a", "refers_to")}
    assert {(t["source"], t["type"]) for t in changes["ties"]["lost"]} == {("p-2", "member_of")}


def test_cli_compare(tmp_path: Path):
    runner = CliRunner()
    result = runner.invoke(cli, ["compare", str(DATA / "riverton"), str(DATA / "riverton-2027")])
    assert result.exit_code == 0, result.output
    assert "Gaps closed" in result.stdout and "faith" in result.stdout
    data = json.loads(
        runner.invoke(cli, ["compare", str(DATA / "riverton"), str(DATA / "riverton-2027"), "--format", "json"]).stdout
    )
    assert set(data) >= {"stakeholders", "ties", "sectors", "gaps", "scores", "brokers", "messengers"}
    north = next(m for m in data["messengers"] if m["community"] == "com-northgate")
    assert north["gained"] == north["lost"] == [] and north["share"] == {"old": 1.0, "new": 1.0}
    assert "Credible messengers (by priority community)" in result.stdout
    markdown = runner.invoke(
        cli, ["compare", str(DATA / "riverton"), str(DATA / "riverton-2027"), "--format", "markdown"]
    )
    assert markdown.stdout.startswith("# Changes between waves")
    bad = runner.invoke(cli, ["compare", str(DATA / "riverton")])
    assert bad.exit_code == 2 and "--as-of twice" in bad.stderr
    dated = runner.invoke(cli, ["compare", str(DATA / "riverton"), "--as-of", "2025-01-01", "--as-of", "2026-10-01"])
    assert dated.exit_code == 0, dated.output
    assert runner.invoke(cli, ["compare", "--help"]).stdout.count("Example") >= 1
