"""The outreach plan and "Start here": named people, priorities, and the plan command's formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stakeholder_graph import read_dataset
from stakeholder_graph.cli import cli
from stakeholder_graph.gaps import find_gaps
from stakeholder_graph.plan import CSV_COLUMNS, build_plan, plan_csv, safe_cell, start_here
from tests.conftest import DATA
from tests.test_messengers import TIES, city

RIVERTON = str(DATA / "riverton")


@pytest.fixture
def harbor(tmp_path: Path) -> Path:
    return city(tmp_path)


def test_plan_works_through_the_pastor_not_the_officer(harbor: Path):
    G = read_dataset(harbor)
    plan = build_plan(G)
    first = plan[0]
    assert first["subject"] == "com-h" and first["priority"] == 1 and first["severity"] == "high"
    assert [p["id"] for p in first["through"]] == ["p-pastor"]
    assert [p["id"] for p in first["avoid"]] == ["p-officer"]
    # nobody else the residents trust: the residents who depend on her get their own ties
    assert {p["id"] for p in first["invite"]} <= {"p-r1", "p-r2", "p-r3", "p-r4", "p-r5"} and first["invite"]
    assert first["method"] == "focus_group" and first["owner"] == first["due"] == ""
    assert "through Ruth Ames" in first["action"]


def test_repeated_problems_are_one_action(harbor: Path):
    G = read_dataset(harbor)
    plan = build_plan(G)
    areas = [(a["area"], a["subject"]) for a in plan]
    assert len(areas) == len(set(areas))
    methods = [a for a in plan if a["area"] == "engagement_method"]
    assert len(methods) == 1 and methods[0]["action"].startswith(
        "Never held: survey, focus group, town hall"
    )  # 7 methods, 1 action
    absent = [a for a in plan if a["area"] == "absent_sectors"]
    assert len(absent) == 1 and len(find_gaps(G)) > len(plan)


def test_start_here_is_the_first_areas_of_the_plan(harbor: Path):
    G = read_dataset(harbor)
    gaps = find_gaps(G)
    plan = build_plan(G, gaps)
    first = start_here(plan, gaps)
    assert [s["priority"] for s in first] == [1, 2, 3, 4, 5]
    assert first[0]["title"] == "Harbor Flats (priority community)"
    assert first[0]["affects"] == {"people": 7, "population_share": 0.2}
    assert any("Ruth Ames" in m for m in first[0]["gaps"])


def test_csv_opens_in_a_spreadsheet_with_formulas_neutralised(tmp_path: Path):
    hostile = city(tmp_path, TIES)
    text = (hostile / "stakeholders.csv").read_text().replace("Ruth Ames", '"=HYPERLINK(""http://x"",""y"")"')
    (hostile / "stakeholders.csv").write_text(text)
    rows = list(csv.DictReader(io.StringIO(plan_csv(build_plan(read_dataset(hostile))))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert rows[0]["through"].startswith("'=HYPERLINK")
    assert rows[0]["owner"] == rows[0]["due"] == ""
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(cell) == "'" + cell
    assert safe_cell("Keisha Morgan") == "Keisha Morgan" and safe_cell(None) == ""


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "csv"])
def test_plan_command(fmt: str, tmp_path: Path):
    runner = CliRunner()
    result = runner.invoke(cli, ["plan", RIVERTON, "--format", fmt])
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "json":
        plan = json.loads(out)
        assert plan[0]["title"] == "Eastbank (priority community)"
        assert "Efraín Solís" in {p["name"] for p in plan[0]["through"]}
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows[0]["about"] == "Eastbank (priority community)" and "Efraín Solís" in rows[0]["through"]
        assert "Luis Ferreira" in rows[0]["avoid"]
    else:
        assert "Efraín Solís" in out and "Outreach plan" in out
    if fmt == "text":
        assert max(len(line) for line in out.splitlines()) <= 80
    target = tmp_path / f"plan.{fmt}"
    written = runner.invoke(cli, ["plan", RIVERTON, "--format", fmt, "-o", str(target)])
    assert written.exit_code == 0 and written.stdout == "" and target.read_text(encoding="utf-8") == out


def test_plan_introductions_without_neo4j():
    runner = CliRunner()
    result = runner.invoke(cli, ["plan", RIVERTON, "--introductions", "p-keisha-morgan", "--format", "json"])
    assert result.exit_code == 0, result.output
    ids = [r["id"] for r in json.loads(result.stdout)]
    assert "p-clarence-booker" in ids and "team-rcr" not in ids
    anonymized = runner.invoke(cli, ["plan", RIVERTON, "--introductions", "p-keisha-morgan", "--anonymize"])
    assert anonymized.exit_code == 0 and "Clarence Booker" not in anonymized.stdout
    assert anonymized.stdout.count("\n") == len(ids)
    bad = runner.invoke(cli, ["plan", RIVERTON, "--introductions", "nobody"])
    assert bad.exit_code == 2 and "not a stakeholder id" in bad.stderr


def test_a_small_city_without_program_toml_is_not_buried_in_gaps(tmp_path: Path):
    """Before issue 10 a 54-stakeholder city without program.toml got 29 gaps, 14 high."""
    from stakeholder_graph.dataset import write_dataset
    from stakeholder_graph.program import Program
    from stakeholder_graph.synth import synthesize

    G = synthesize(54, 3)
    G.graph["program"] = Program(team=G.graph["program"].team)  # no program.toml: the defaults
    folder = write_dataset(G, tmp_path / "small")
    (folder / "program.toml").unlink()
    G = read_dataset(folder)
    gaps = find_gaps(G)
    high = [g for g in gaps if g["severity"] == "high"]
    assert len(gaps) <= 20 and len(high) <= 3, [g["id"] for g in gaps]
    assert not [g for g in gaps if g["check"] == "no_service" and g["subject"] in ("youth", "medical", "food")]
    assert len(start_here(build_plan(G, gaps), gaps)) <= 5


def test_a_service_directorys_potential_network_is_one_low_action():
    from stakeholder_graph.sources import open_source
    from tests.conftest import FIXTURES

    G = open_source(str(FIXTURES / "hsds" / "riverlands-211"))
    plan = build_plan(G)
    (waiting,) = [a for a in plan if a["area"] == "directory"]
    assert waiting["severity"] == "low" and waiting["gaps"] == [] and waiting["priority"] == len(plan)
    assert waiting["invite"] and "have no tie to the program yet" in waiting["action"]
    assert not [a for a in plan if ": :" in a["action"] or a["action"].startswith(":")]
