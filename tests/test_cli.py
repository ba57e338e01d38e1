"""The command line through click's CliRunner: output streams, formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stakeholder_graph.cli import cli
from tests.conftest import MINIMAL_STAKEHOLDERS, write_folder


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_validate_ok(runner: CliRunner, minimal: Path):
    result = runner.invoke(cli, ["validate", str(minimal)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "valid (8 stakeholders, 8 relationships)" in result.stderr


def test_validate_bad_input_exits_2_without_traceback(runner: CliRunner, tmp_path: Path):
    folder = write_folder(tmp_path / "bad", MINIMAL_STAKEHOLDERS.replace("p-1,Ann Lee,person,", "p-1,Ann Lee,persn,"))
    result = runner.invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 2
    assert f"{folder}/stakeholders.csv:5:kind: unknown kind 'persn'" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_missing_source_exits_2(runner: CliRunner, tmp_path: Path):
    result = runner.invoke(cli, ["summary", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "not found" in result.stderr


def test_summary_text_and_json(runner: CliRunner, minimal: Path):
    text = runner.invoke(cli, ["summary", str(minimal)])
    assert text.exit_code == 0
    assert "8 stakeholders, 8 relationships" in text.stdout
    assert all(len(line) <= 80 for line in text.stdout.splitlines())
    data = json.loads(runner.invoke(cli, ["summary", str(minimal), "--format", "json"]).stdout)
    assert data["kinds"] == {"person": 2, "organization": 1, "community": 2, "service": 1, "team": 1, "engagement": 1}
    assert data["relationship_types"]["participated_in"] == 2
    # Westfield has no relationship row, but Bo Park's community cell names it: it is tied to him (one tie
    # network for every measure), so it is neither isolated nor a component of its own (until issue 10 it
    # was both). Components and density are the tie network's, as in the report's scores.
    assert data["components"] == 1 and data["isolated"] == []
    assert data["density"] == pytest.approx(7 / 21, abs=1e-6)  # 7 tied pairs of 7 stakeholders (not the engagement)
    assert data["ended_relationships"] == 0


def test_unwritable_output_is_a_sentence_and_exit_2(runner: CliRunner, minimal: Path, tmp_path: Path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    result = runner.invoke(cli, ["report", str(minimal), "-o", str(blocker / "report.txt")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.output


def test_dash_is_standard_output(runner: CliRunner, minimal: Path, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = runner.invoke(cli, ["report", str(minimal), "--format", "json", "-o", "-"])
    assert report.exit_code == 0 and json.loads(report.stdout)["summary"]["stakeholders"] == 8
    page = runner.invoke(cli, ["map", str(minimal), "-o", "-"])
    assert (
        page.exit_code == 0 and page.stdout.startswith("<!DOCTYPE html>") and page.stdout.rstrip().endswith("</html>")
    )
    assert "wrote" not in page.stderr
    assert not (tmp_path / "-").exists()


def test_argument_mistakes_are_usage_errors(runner: CliRunner, minimal: Path):
    for args in (
        ["compare", str(minimal)],
        ["compare", str(minimal), str(minimal), "--as-of", "2026-01-01", "--as-of", "2026-02-01"],
        ["query"],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith("Usage: ") and "problem found" not in result.stderr, args


def test_neo4j_server_is_uri_everywhere_and_load_keeps_to(runner: CliRunner, tmp_path: Path):
    load_help = runner.invoke(cli, ["load", "--help"]).stdout
    assert "--uri URI" in load_help and "--to" not in load_help
    bad = write_folder(tmp_path / "bad", MINIMAL_STAKEHOLDERS.replace("team,mobile_crisis", "tema,mobile_crisis"))
    for flag in ("--uri", "--to"):  # read and refused before any connection: the option itself was accepted
        result = runner.invoke(cli, ["load", str(bad), flag, "bolt://127.0.0.1:1"])
        assert result.exit_code == 2 and "unknown kind 'tema'" in result.stderr, result.output


def test_query_reads_cypher_from_standard_input(runner: CliRunner):
    result = runner.invoke(cli, ["query", "-", "--uri", "bolt://127.0.0.1:1"], input="RETURN $x AS x\n")
    assert result.exit_code == 3 and "no such query" not in result.stderr  # parsed, then the server is not there
