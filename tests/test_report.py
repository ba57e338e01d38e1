"""The report and the analysis commands through the CLI: formats, files, anonymisation, escaping."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from stakeholder_graph.cli import cli
from tests.conftest import DATA, MINIMAL_STAKEHOLDERS, write_folder

RIVERTON = str(DATA / "riverton")


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def report_json(runner):
    result = runner.invoke(cli, ["report", RIVERTON, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_has_the_documented_keys(report_json):
    assert list(report_json) == [
        "summary",
        "start_here",
        "scores",
        "gaps",
        "not_yet_connected",
        "plan",
        "messengers",
        "brokers",
        "referrals",
        "measures",
    ]
    assert report_json["summary"]["ended_relationships"] == 5
    assert [m["community"] for m in report_json["messengers"]] == ["com-eastbank", "com-northgate"]
    assert [p["priority"] for p in report_json["plan"]] == list(range(1, len(report_json["plan"]) + 1))
    assert all(p["owner"] == "" and p["due"] == "" for p in report_json["plan"])
    assert [s["priority"] for s in report_json["start_here"]] == [1, 2, 3, 4, 5]
    assert all(b["credible_messenger"] == bool(b["messenger_for"]) for b in report_json["brokers"])
    assert report_json["not_yet_connected"]["count"] == {"organizations": 0, "services": 0, "other": 0}
    assert report_json["summary"]["stakeholders"] == 274
    assert set(report_json["scores"]) == {"network", "stakeholders"}
    assert all(
        set(g) >= {"id", "kind", "severity", "subject", "message", "evidence", "recommendation"}
        for g in report_json["gaps"]
    )
    assert set(report_json["referrals"]) == set(report_json["referrals"]) & {
        "mental_health_crisis",
        "substance_use",
        "overdose",
        "housing",
        "wellness_check",
        "medical",
        "food",
        "transportation",
        "youth",
        "domestic_violence",
    }


def test_text_fits_a_terminal_and_names_the_planted_problems(runner):
    result = runner.invoke(cli, ["report", RIVERTON])
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert result.stdout.splitlines()[3] == "Start here"  # the report opens with what matters most
    for needle in (
        "faith based",
        "focus group",
        "None of Eastbank's 12 residents has a route of trusted ties",
        "Keisha Morgan",
        "Luis Ferreira alone",
        "Outreach plan",
        "Credible messengers",
        "Not trusted by residents: Luis Ferreira (average trust 2.0)",
        "domestic violence",
        "transportation",
        "Riverton Tenants Union",
        "lived experience",
    ):
        assert needle in result.stdout, needle


def test_markdown_and_html_to_a_file(runner, tmp_path: Path):
    out = tmp_path / "report.md"
    result = runner.invoke(cli, ["report", RIVERTON, "--format", "markdown", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == "" and f"wrote {out}" in result.stderr
    text = out.read_text()
    assert text.startswith("# Riverton Community Response") and "| severity | kind |" in text
    html_out = tmp_path / "report.html"
    assert runner.invoke(cli, ["report", RIVERTON, "--format", "html", "-o", str(html_out)]).exit_code == 0
    page = html_out.read_text()
    assert page.startswith("<!DOCTYPE html>") and 'id="gaps"' in page
    for section in ("start-here", "plan", "messengers", "brokers"):
        assert f'id="{section}"' in page
    assert "## Start here" in text and "## Outreach plan" in text and "## Credible messengers" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)


def test_html_escapes_hostile_names(runner, tmp_path: Path):
    hostile = "<img src=x onerror=alert(1)>"
    folder = write_folder(tmp_path / "hostile", MINIMAL_STAKEHOLDERS.replace("Clinic", f'"{hostile}"'))
    result = runner.invoke(cli, ["report", str(folder), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert hostile not in result.stdout and "&lt;img src=x onerror=alert(1)&gt;" in result.stdout


def test_anonymize_removes_peoples_names(runner):
    result = runner.invoke(cli, ["report", RIVERTON, "--format", "json", "--anonymize"])
    assert result.exit_code == 0
    for name in ("Keisha Morgan", "Luis Ferreira", "p-keisha-morgan", "Harold Jenkins"):
        assert name not in result.stdout
    assert "Riverton Police Department" in result.stdout  # organizations keep their names
    assert "Person " in result.stdout


def test_gaps_and_paths_commands(runner):
    gaps = json.loads(runner.invoke(cli, ["gaps", RIVERTON, "--format", "json"]).stdout)
    assert gaps[0]["severity"] == "high"
    text = runner.invoke(cli, ["paths", RIVERTON, "--need", "overdose", "--open-at", "02:00"])
    assert text.exit_code == 0 and "best (cost" in text.stdout
    data = json.loads(runner.invoke(cli, ["paths", RIVERTON, "--need", "transportation", "--format", "json"]).stdout)
    assert data["providers"] and not any(p["reachable"] for p in data["providers"])
    bad = runner.invoke(cli, ["paths", RIVERTON, "--need", "overdose", "--from", "nobody"])
    assert bad.exit_code == 2 and "not a stakeholder id" in bad.stderr
    bad = runner.invoke(cli, ["paths", RIVERTON, "--need", "pizza"])
    assert bad.exit_code == 2


def test_report_does_not_depend_on_reading_order():
    """A Neo4j wave or an export comes back in another order than the folder: the report must not change."""
    import random

    import networkx as nx

    from stakeholder_graph import read_dataset
    from stakeholder_graph.report import build_report

    G = read_dataset(RIVERTON)
    expected = json.dumps(build_report(G), sort_keys=True)
    for seed in range(2):
        nodes, edges = list(G.nodes(data=True)), list(G.edges(keys=True, data=True))
        random.Random(seed).shuffle(nodes)
        random.Random(seed).shuffle(edges)
        H = nx.MultiDiGraph()
        H.graph.update(G.graph)
        H.add_nodes_from(nodes)
        H.add_edges_from(edges)
        assert json.dumps(build_report(H), sort_keys=True) == expected


def test_progress_is_called_once_per_step_in_order():
    from stakeholder_graph import read_dataset
    from stakeholder_graph.report import REPORT_STEPS, build_report

    steps = []
    build_report(read_dataset(RIVERTON), progress=steps.append)
    assert steps == list(REPORT_STEPS)
