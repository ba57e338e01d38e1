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


@pytest.mark.parametrize("command", ["validate", "summary"])
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str):
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Example" in result.stdout


def test_unwritable_output_is_a_sentence_and_exit_2(runner: CliRunner, minimal: Path, tmp_path: Path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    result = runner.invoke(cli, ["report", str(minimal), "-o", str(blocker / "report.txt")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.output
