"""The package as a library: what importing it costs, and its public names."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import types

import stakeholder_graph

HEAVY = ("pandas", "networkx", "numpy", "igraph", "neo4j", "openpyxl")


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {name.split(".")[0] for name in out.split()}


def test_the_command_line_starts_without_the_heavy_libraries():
    # --help of the tool and of the commands whose options need nothing from the library (bridges and synth
    # import their module for what they show: the --group-by choices, the smallest size)
    loaded = _modules_after(
        "from stakeholder_graph.cli import cli\n"
        "for args in (['--help'], ['report', '--help'], ['map', '--help'], ['query', '--help'], ['load', '--help']):\n"
        "    try:\n        cli(args, standalone_mode=False)\n    except SystemExit:\n        pass\n"
        "import stakeholder_graph"
    )
    assert not loaded.intersection(HEAVY), sorted(loaded.intersection(HEAVY))


def test_public_names_are_not_shadowed_by_submodules():
    for module in pkgutil.walk_packages(stakeholder_graph.__path__, "stakeholder_graph."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    for name in stakeholder_graph.__all__:
        assert not isinstance(getattr(stakeholder_graph, name), types.ModuleType), name


def test_public_names_are_imported_when_used():
    for name in stakeholder_graph.__all__:
        assert getattr(stakeholder_graph, name) is not None, name
    assert set(stakeholder_graph.__all__) == set(stakeholder_graph._API)
    assert set(stakeholder_graph.__all__) <= set(dir(stakeholder_graph))
    assert stakeholder_graph.__version__
