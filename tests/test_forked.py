"""The forked helper a large map finds its gaps with: the same value as computed here, errors raised here."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from stakeholder_graph._forked import Forked
from stakeholder_graph.dataset import read_dataset, write_dataset
from stakeholder_graph.synth import synthesize

linux = pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux")


_CHILD = """
import os, threading
from stakeholder_graph._forked import Forked
found = Forked(os.getpid)
assert found.forked
assert found.result() != os.getpid() and not found.forked
here = Forked(os.getpid, fork=False)
assert not here.forked and here.result() == os.getpid()
threading.Thread(target=threading.Event().wait, daemon=True).start()
found = Forked(os.getpid)
assert not found.forked and found.result() == os.getpid()  # never forks a process running threads
print("ok")
"""


@linux
def test_computed_in_another_process():
    # in a fresh process: the test run itself may be running threads (a web server's), and then nothing forks
    result = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "ok", result.stderr


def _fails(message):
    raise ValueError(message)


def test_an_error_is_raised_here():
    found = Forked(_fails, "no such column")
    with pytest.raises(ValueError, match="no such column"):
        found.result()


@linux
def test_a_dead_child_is_computed_here():
    found = Forked(lambda: os._exit(1) if os.getpid() != parent else "here")
    assert found.result() == "here"


parent = os.getpid()


def test_a_map_is_the_same_with_its_gaps_found_in_a_forked_process(tmp_path, monkeypatch):
    from stakeholder_graph.gaps import find_gaps
    from stakeholder_graph.maps import atlas, build_map

    folder = tmp_path / "city"
    write_dataset(synthesize(600, seed=3), folder)
    monkeypatch.setattr(atlas, "FORK_AT", 10**9)
    here = build_map(read_dataset(folder))
    monkeypatch.setattr(atlas, "FORK_AT", 1)
    G = read_dataset(folder)
    forked = build_map(G)
    assert forked == here
    assert find_gaps(G) == find_gaps(read_dataset(folder))  # kept for later calls, as find_gaps keeps its own
