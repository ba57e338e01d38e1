"""Every imported format runs through `report` and `map` on the command line, as a planner would use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stakeholder_graph.cli import cli
from tests.conftest import DATA, FIXTURES
from tests.test_kumu import make_workbook

HSDS = FIXTURES / "hsds"


def _kumu_workbook(tmp_path: Path) -> Path:
    return make_workbook(tmp_path / "kumu-map.xlsx")


def _kumu_blueprint(tmp_path: Path) -> Path:
    path = tmp_path / "blueprint.json"
    path.write_text(
        json.dumps(
            {
                "elements": [
                    {"label": "Crisis Team", "type": "Program", "Sector": "mobile crisis"},
                    {"label": "County Clinic", "type": "Organization", "Sector": "behavioral health"},
                    {"label": "Ana Ruiz", "type": "Person", "tags": ["lived experience"]},
                ],
                "connections": [
                    {"from": "Crisis Team", "to": "County Clinic", "type": "Partnership", "strength": 3},
                    {"from": "Ana Ruiz", "to": "Crisis Team", "type": "Trust", "strength": 2},
                ],
            }
        )
    )
    return path


def _hsds(name: str):
    def source(tmp_path: Path) -> Path:
        return HSDS / name

    return source


def _survey(tmp_path: Path) -> Path:
    return DATA / "partner-survey.csv"


SOURCES = {
    "kumu-workbook": _kumu_workbook,
    "kumu-blueprint": _kumu_blueprint,
    "hsds-1.1": _hsds("hsds-1.1-sample"),
    "hsds-3.0": _hsds("hsds-3.0-examples"),
    "hsds-zip": _hsds("riverlands-211.zip"),
    "survey": _survey,
}


@pytest.mark.parametrize("name", SOURCES)
def test_report_and_map(tmp_path: Path, name: str):
    source = str(SOURCES[name](tmp_path))
    runner = CliRunner()
    result = runner.invoke(cli, ["report", source, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["stakeholders"] > 0
    out = tmp_path / f"{name}.html"
    result = runner.invoke(cli, ["map", source, "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "new vis.Network" in page and 'type="application/json"' in page
    assert not (tmp_path / "lib").exists()


def test_survey_report_lists_non_respondents():
    result = CliRunner().invoke(cli, ["report", str(DATA / "partner-survey.csv"), "--format", "json"])
    kinds = {g["kind"] for g in json.loads(result.stdout)["gaps"]}
    assert "survey_response" in kinds
