"""The documentation against the code: every Python example of docs/api.md and the README runs as written."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest

import stakeholder_graph as sg
from tests.conftest import DATA, ROOT

API_DOC = ROOT / "docs" / "api.md"


def _code_blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", path.read_text(encoding="utf-8"), re.M | re.S)


@pytest.fixture
def in_a_project(tmp_path, monkeypatch) -> Path:
    """An empty folder holding only a copy of data/riverton, as the working directory."""
    shutil.copytree(DATA / "riverton", tmp_path / "data" / "riverton")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_api_page_examples_run(in_a_project: Path):
    blocks = _code_blocks(API_DOC, "python")
    assert len(blocks) >= 5
    namespace: dict = {}
    out = io.StringIO()
    for number, block in enumerate(blocks, start=1):
        with contextlib.redirect_stdout(out):
            try:
                exec(compile(block, f"docs/api.md, python example {number}", "exec"), namespace)
            except Exception as error:  # the example's own words, for whoever reads the failure
                raise AssertionError(f"docs/api.md example {number} failed: {error!r}\n{block}") from error
    printed = out.getvalue()
    # what the examples claim, checked against the data
    G = namespace["G"]
    assert f"{G.number_of_nodes()} stakeholders" in printed
    assert len(namespace["gaps"]) == len(sg.find_gaps(G)) and set(namespace["gaps"].severity) <= {
        "high",
        "medium",
        "low",
    }
    paths = namespace["paths"]
    assert (paths.loc[paths.reachable, "route"].str.startswith(G.nodes["team-rcr"]["name"])).all()
    messengers = namespace["messengers"]
    assert set(messengers.role) <= {"credible messenger", "trusted voice", "not trusted"}
    eastbank = namespace["eastbank"].set_index("name").role  # what data/riverton/README.md plants
    assert eastbank["Luis Ferreira"] == "not trusted" and "credible messenger" not in set(eastbank)
    assert messengers.loc[messengers.name == "Keisha Morgan", "role"].tolist() == ["credible messenger"]
    assert (in_a_project / "overdose-map.html").read_text(encoding="utf-8") == namespace["m"].html
    assert re.search(r"^need: unknown need 'dragons'", printed, re.M)  # the parameter, not the CLI's --need


def test_readme_python_examples_run(in_a_project: Path):
    blocks = _code_blocks(ROOT / "README.md", "python")
    assert blocks
    for number, block in enumerate(blocks, start=1):
        exec(compile(block, f"README.md, python example {number}", "exec"), {})


def test_api_page_lists_every_public_name():
    text = API_DOC.read_text(encoding="utf-8")
    missing = [name for name in sg.__all__ if f"`{name}" not in text]
    assert not missing, f"docs/api.md does not describe {missing}"


# ------------------------------------------------------------------------------------------ the CLI


def _commands():
    from stakeholder_graph.cli import cli

    return sorted(cli.commands.items())


@pytest.mark.parametrize("name, command", _commands())
def test_every_command_has_help_with_an_example(name, command):
    from click.testing import CliRunner

    from stakeholder_graph.cli import cli

    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    example = re.search(r"Examples?:\n((?:[ \t]+\S.*\n?)+)", result.stdout)
    assert example and f"stakeholder-graph {name} " in example.group(1), f"`{name} --help` has no example"


def test_every_command_is_in_the_readme_table():
    table = re.search(r"^## Commands\n(.*?)^#", (ROOT / "README.md").read_text(encoding="utf-8"), re.M | re.S).group(1)
    listed = set(re.findall(r"^\| `stakeholder-graph (\S+)", table, re.M))
    assert listed == {name for name, _ in _commands()}


def test_one_name_and_one_default_per_option_across_commands():
    from stakeholder_graph.cli import TOP

    seen: dict[str, set] = {}
    for name, command in _commands():
        for param in command.params:
            if param.hidden if hasattr(param, "hidden") else False:
                continue
            seen.setdefault(param.name, set()).add(tuple(sorted(param.opts)))
            if param.name == "top":
                assert param.default == TOP, f"{name} --top defaults to {param.default}"
            if param.name == "output":
                assert "-o" in param.opts and param.type.allow_dash, f"{name} --output"
    for dest, spellings in seen.items():
        assert len(spellings) == 1, f"{dest} is spelled {spellings}"
    assert seen["uri"] == {("--uri",)}
