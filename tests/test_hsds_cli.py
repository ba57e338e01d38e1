"""A planner's use of a published 211 directory on the command line: report, --problems, --strict, merge."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stakeholder_graph.cli import cli
from stakeholder_graph.dataset import read_dataset
from stakeholder_graph.errors import Problem
from stakeholder_graph.formats.problems import problems_csv
from tests.conftest import FIXTURES, write_folder
from tests.test_hsds import BASE, BASE_TIES

HSDS = FIXTURES / "hsds"
ZIP = str(HSDS / "riverlands-211.zip")


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_report_on_the_zip_is_short_and_writes_the_problems(runner, tmp_path: Path):
    out = tmp_path / "problems.csv"
    result = runner.invoke(cli, ["report", ZIP, "--format", "json", "--problems", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["kinds"] == {"organization": 11, "service": 17}
    assert report["not_yet_connected"]["count"]["organizations"] == 11
    assert not [g for g in report["gaps"] if g["kind"] == "isolated"]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 9 and max(map(len, warnings)) < 300  # grouped, never one line of row numbers
    assert f"wrote {out} (12 problem(s))" in result.stderr
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["file", "row", "column", "message"] and len(rows) == 13
    assert rows[4][:3] == [ZIP + "/riverlands-211/data/services.csv", "16", "organization_id"]
    text = runner.invoke(cli, ["report", ZIP])
    assert text.exit_code == 0
    assert "warning: 12 problem(s) in all; --problems FILE lists each as CSV" in text.stderr
    assert "Not yet connected: 11 directory organization(s)" in " ".join(text.stdout.split())


def test_strict_refuses_and_still_writes_the_problems(runner, tmp_path: Path):
    out = tmp_path / "problems.csv"
    result = runner.invoke(cli, ["validate", ZIP, "--strict", "--problems", str(out)])
    assert result.exit_code == 2
    assert "10 problems found." in result.stderr
    assert len(list(csv.reader(out.open(encoding="utf-8")))) == 11


def test_problems_csv_neutralises_formulas():
    text = problems_csv(
        [Problem("=cmd|'/c calc'!A1", 3, "+name", "-1 is not a name"), Problem("f.csv", None, None, "@x")]
    )
    rows = list(csv.reader(text.splitlines()))
    assert rows[1] == ["'=cmd|'/c calc'!A1", "3", "'+name", "'-1 is not a name"]
    assert rows[2] == ["f.csv", "", "", "'@x"]


def test_mapping_applies_to_directories_and_not_to_dataset_folders(runner, tmp_path: Path, minimal):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[sectors]\n"Southport Community Fridges" = "community_organization"\n')
    result = runner.invoke(cli, ["summary", ZIP, "--format", "json", "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sectors"].get("other") is None
    result = runner.invoke(cli, ["summary", str(minimal), "--mapping", str(mapping)])
    assert (
        result.exit_code == 2 and "--mapping: applies to other tools' formats, not to a folder source" in result.stderr
    )


def test_paths_open_at_says_unknown_for_unknown_hours(runner, tmp_path: Path):
    base = write_folder(
        tmp_path / "base",
        "id,name,kind,sector\nteam,Crisis Team,team,mobile_crisis\norg-hr,Riverlands Harm Reduction Collective,"
        "organization,harm_reduction\n",
        "source,target,type,strength,trust\nteam,org-hr,refers_to,3,3\n",
    )
    merged = tmp_path / "merged"
    result = runner.invoke(cli, ["merge", str(base), ZIP, str(merged)])
    assert result.exit_code == 0, result.output
    assert "Not yet connected: 10 directory organization(s) and 16 service(s)" in result.stdout
    result = runner.invoke(cli, ["paths", str(merged), "--need", "overdose", "--open-at", "02:00"])
    assert result.exit_code == 0, result.output
    assert "open or closed: hours unknown" in " ".join(result.stdout.split())
    assert ", closed" not in result.stdout


def test_cli_merge_report_and_summary(runner, tmp_path: Path):
    base = write_folder(tmp_path / "base", BASE, BASE_TIES)
    out = tmp_path / "merged"
    result = runner.invoke(cli, ["merge", str(base), str(HSDS / "hsds-1.1-sample"), str(out)])
    assert result.exit_code == 0, result.output
    assert "Organizations: 1 matched, 8 added, 1 ambiguous" in result.stdout
    assert f"wrote {out}" in result.stderr and "warning:" in result.stderr
    merged = read_dataset(out)
    assert merged.nodes["svc-helpline"]["languages"] == ["English", "Spanish"]
    assert merged.nodes["org-youth-in-focus-example-city"]["sector_source"] == "none"
    again = runner.invoke(cli, ["merge", str(base), str(HSDS / "hsds-3.0-examples"), str(out), "--format", "json"])
    assert again.exit_code == 2 and "folder exists and is not empty" in again.stderr
    result = runner.invoke(
        cli, ["merge", str(base), str(HSDS / "hsds-3.0-examples"), str(tmp_path / "m2"), "--format", "json"]
    )
    assert json.loads(result.stdout)["counts"]["organizations_added"] == 1
    strict = runner.invoke(cli, ["merge", str(base), ZIP, str(tmp_path / "m3"), "--strict"])
    assert strict.exit_code == 2 and not (tmp_path / "m3").exists()
