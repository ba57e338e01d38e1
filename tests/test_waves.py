"""Waves are never half-written: kill -9, Ctrl-C and a server stop at any point of a load leave the old wave or
the new one, complete; two loads of one wave at once leave it exact; `waves` lists and cleans.

Against the real local server (see tests/_neo4j.py). The loads to interrupt run in subprocesses
(tests/_loader.py) that pause at a chosen point; the networks are synthetic and small, written in small
batches so that every point is reached with work before and after it.
"""

from __future__ import annotations

import json
import signal
import time
import uuid

import networkx as nx
import pytest
from click.testing import CliRunner

from stakeholder_graph import DatabaseError, read_dataset
from stakeholder_graph.cli import cli
from stakeholder_graph.dataset import write_dataset
from stakeholder_graph.neo4j_store.load import load_graph
from stakeholder_graph.neo4j_store.queries import library, run_query
from stakeholder_graph.neo4j_store.read import read_neo4j
from stakeholder_graph.neo4j_store.waves import clean_waves, delete_wave, wave_status
from stakeholder_graph.synth import synthesize
from tests._neo4j import URI, count, finish, leftovers, loader, local_server, neo4j_script, open_driver, wait_for
from tests.conftest import DATA

BATCH = 200  # rows per transaction in the interrupted loads: 1,000 stakeholders make about 18 batches


@pytest.fixture(scope="module")
def networks(tmp_path_factory):
    """Two different networks (old and new contents of a wave), as graphs and as dataset folders."""
    found = {}
    for name, seed in (("old", 1), ("new", 2)):
        folder = tmp_path_factory.mktemp(name) / name
        write_dataset(synthesize(1000, seed), folder)
        found[name] = (read_dataset(folder), str(folder))
    return found


@pytest.fixture
def wave(driver):
    name = f"waves-{uuid.uuid4().hex[:8]}"
    yield name
    clean_waves(driver, stale_after=0)
    delete_wave(driver, name)


def assert_exact(driver, wave: str, G: nx.MultiDiGraph) -> None:
    """The wave reads back as exactly ``G``, and Cypher counts exactly its stakeholders and relationships."""
    back = read_neo4j(f"{URI}?wave={wave}")
    assert dict(back.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(G.edges(keys=True, data=True))
    assert count(driver, wave) == (G.number_of_nodes(), G.number_of_edges())


def library_answers(driver, wave: str, other: str, G: nx.MultiDiGraph) -> dict:
    """Every query of the Cypher library on ``wave`` (``ties-gained-lost`` against ``other``)."""
    values = {"wave": wave, "id": "p-keisha-morgan", "need": "overdose", "depth": 2, "old": other, "new": wave}
    answers = {}
    for query in library():
        params = {p.name: values.get(p.name, p.default) for p in query.params}
        answers[query.name] = run_query(driver, query, params)[1]
    return answers


# kill -9 at each point of a load --replace: before publishing the old wave stays, after it the new one


KILL_POINTS = [
    ("locked", "old"),
    ("nodes:2", "old"),
    ("relationships:3", "old"),
    ("swap", "old"),
    ("published", "new"),
]


@pytest.mark.parametrize(("point", "outcome"), KILL_POINTS, ids=[p for p, _ in KILL_POINTS])
def test_kill_9_leaves_the_old_wave_or_the_new_one(driver, networks, wave, point, outcome):
    old, new = networks["old"][0], networks["new"]
    load_graph(driver, old, wave=wave)
    process = loader("load", new[1], "--to", URI, "--wave", wave, "--replace", pause=point, batch_size=BATCH)
    wait_for(process, "PAUSED")
    process.kill()
    finish(process)
    assert_exact(driver, wave, old if outcome == "old" else new[0])
    # The stopped load is listed; cleaning it leaves the wave as it is and nothing else behind.
    states = {row["state"] for row in wave_status(driver, stale_after=0) if row["wave"] == wave}
    assert states == {"complete", "unfinished"}
    clean_waves(driver, stale_after=0)
    assert_exact(driver, wave, old if outcome == "old" else new[0])
    assert leftovers(driver) == (0, 0)


def test_kill_9_while_the_old_contents_are_deleted(driver, networks, wave):
    old, new = networks["old"][0], networks["new"]
    load_graph(driver, old, wave=wave)
    process = loader("load", new[1], "--to", URI, "--wave", wave, "--replace", batch_size=BATCH)
    wait_for(process, "PHASE deleting")
    time.sleep(0.2)  # part of the old contents deleted, most likely
    process.kill()
    finish(process)
    assert_exact(driver, wave, new[0])
    clean_waves(driver, stale_after=0)
    assert_exact(driver, wave, new[0])
    assert leftovers(driver) == (0, 0)


def test_library_queries_and_reads_never_see_a_load_in_progress(driver, wave):
    """Paused half way through the relationships of a new load (Riverton's 2027 wave over its 2026 one),
    every query of the library and every ?wave= read answers exactly as before the load started."""
    old, new = read_dataset(DATA / "riverton"), DATA / "riverton-2027"
    other = f"{wave}-other"
    load_graph(driver, old, wave=wave)
    load_graph(driver, read_dataset(new), wave=other)
    try:
        before = library_answers(driver, wave, other, old)
        assert all(before.values()), [name for name, rows in before.items() if not rows]
        process = loader(
            "load", str(new), "--to", URI, "--wave", wave, "--replace", pause="relationships:2", batch_size=100
        )
        wait_for(process, "PAUSED")
        try:
            assert library_answers(driver, wave, other, old) == before
            assert_exact(driver, wave, old)
        finally:
            error = finish(process, "\n")
        assert process.returncode == 0, error
        assert_exact(driver, wave, read_dataset(new))
        assert library_answers(driver, wave, other, old) != before
        assert leftovers(driver) == (0, 0)
    finally:
        delete_wave(driver, other)


# Ctrl-C


@pytest.mark.parametrize(
    ("point", "said", "outcome"),
    [("nodes:2", "was not changed", "old"), ("published", "is the new one, complete", "new")],
    ids=["writing", "published"],
)
def test_ctrl_c_stops_cleanly(driver, networks, wave, point, said, outcome):
    old, new = networks["old"][0], networks["new"]
    load_graph(driver, old, wave=wave)
    process = loader("load", new[1], "--to", URI, "--wave", wave, "--replace", pause=point, batch_size=BATCH)
    wait_for(process, "PAUSED")
    process.send_signal(signal.SIGINT)
    stderr = finish(process)
    assert process.returncode == 130
    assert stderr.strip() == f"interrupted: wave {wave!r} {said}; nothing the load wrote is left behind"
    assert_exact(driver, wave, old if outcome == "old" else new[0])
    assert leftovers(driver) == (0, 0)


# A server stop part way through a load --replace


def test_server_stop_during_a_load_leaves_the_old_wave(driver, networks, wave):
    """The server stops while a load --replace is half way through its stakeholders (paused there, so that
    the stop lands exactly then); the load fails with one sentence, and after a restart the wave is the old
    one, complete."""
    server = local_server()
    if server is None:
        pytest.skip(f"the server at {URI} was not started by scripts/neo4j from this checkout")
    old, new = networks["old"][0], networks["new"]
    load_graph(driver, old, wave=wave)
    process = loader(
        "load", new[1], "--to", URI, "--wave", wave, "--replace", pause="nodes:3", batch_size=BATCH, retry=1
    )
    try:
        wait_for(process, "PAUSED")
        stopped = neo4j_script("stop", server)
        assert stopped.returncode == 0, stopped.stderr
        stderr = finish(process, "\n")
    finally:
        started = neo4j_script("start", server)
        assert started.returncode == 0, started.stdout + started.stderr
    # One sentence, no traceback and none of the driver's own log lines.
    assert process.returncode == 3, stderr
    assert stderr.count("\n") == 1 and stderr.startswith("Error: lost the connection to Neo4j"), stderr
    assert f"wave {wave!r} was not changed; `stakeholder-graph waves --clean` deletes what this load left" in stderr
    fresh = open_driver()
    try:
        assert_exact(fresh, wave, old)
        states = [row["state"] for row in wave_status(fresh, stale_after=0) if row["wave"] == wave]
        assert states == ["complete", "unfinished"]
        clean_waves(fresh, stale_after=0)
        assert_exact(fresh, wave, old)
        assert leftovers(fresh) == (0, 0)
    finally:
        fresh.close()


# Two loads of one wave at once


def test_a_second_load_of_a_wave_being_loaded_fails_clearly(driver, networks, wave):
    old, new = networks["old"][0], networks["new"]
    load_graph(driver, old, wave=wave)
    first = loader("load", new[1], "--to", URI, "--wave", wave, "--replace", pause="locked")
    wait_for(first, "PAUSED")
    try:
        second = CliRunner().invoke(cli, ["load", networks["old"][1], "--to", URI, "--wave", wave])
        assert second.exit_code == 3
        message = second.stderr.strip()
        assert message.startswith(f"Error: wave {wave!r} is being loaded by ") and f"(pid {first.pid})" in message
        with pytest.raises(DatabaseError, match="is being loaded"):
            delete_wave(driver, wave)
    finally:
        error = finish(first, "\n")
    assert first.returncode == 0, error
    assert_exact(driver, wave, new[0])
    assert leftovers(driver) == (0, 0)


def test_two_loads_at_once_leave_the_wave_exact(driver, networks, wave):
    """Issue 11's case: two plain loads of the same data into the same new wave, racing, free-running. One
    may fail on the lock (exit 3) or both succeed one after the other; the wave is exactly the data either
    way (no duplicated relationships), as the read-back and Cypher both count it."""
    new = networks["new"]
    processes = [loader("load", new[1], "--to", URI, "--wave", wave) for _ in range(2)]
    errors = [finish(p, timeout=120) for p in processes]
    codes = [p.returncode for p in processes]
    assert sorted(codes) in ([0, 0], [0, 3]), errors
    assert all("is being loaded by" in error for code, error in zip(codes, errors) if code == 3), errors
    assert_exact(driver, wave, new[0])
    with driver.session() as session:
        duplicates = session.run(
            "MATCH (p:Program {wave: $w}) MATCH (a:Stakeholder {wave: p.load})-[r]->(b) "
            "WITH a, b, type(r) AS t, count(*) AS n WHERE n > 1 RETURN count(*) AS c",
            w=wave,
        ).single()["c"]
    assert duplicates == 0
    assert leftovers(driver) == (0, 0)


def test_a_stale_lock_is_taken_over_by_the_next_load(driver, networks, wave):
    old, new = networks["old"][0], networks["new"]
    process = loader("load", new[1], "--to", URI, "--wave", wave, pause="nodes:1", batch_size=BATCH)
    wait_for(process, "PAUSED")
    process.kill()
    finish(process)
    with pytest.raises(DatabaseError, match="is being loaded by"):
        load_graph(driver, old, wave=wave)  # the killed load's heartbeat is still recent
    load_graph(driver, old, wave=wave, stale_after=0)
    assert_exact(driver, wave, old)
    assert leftovers(driver) == (0, 0)


# The waves command


def test_waves_lists_and_cleans(driver, networks, wave):
    old, new = networks["old"][0], networks["new"]
    load_graph(driver, old, wave=wave)
    process = loader("load", new[1], "--to", URI, "--wave", wave, pause="relationships:2", batch_size=BATCH)
    wait_for(process, "PAUSED")
    runner = CliRunner()
    try:
        result = runner.invoke(cli, ["waves", "--uri", URI, "--format", "json"])
        assert result.exit_code == 0, result.output
        rows = [row for row in json.loads(result.stdout)["waves"] if row["wave"] == wave]
        assert [row["state"] for row in rows] == ["complete", "loading"]
        assert (rows[0]["stakeholders"], rows[0]["relationships"]) == (old.number_of_nodes(), old.number_of_edges())
        union = nx.compose(old, new[0])
        assert rows[1]["expected_stakeholders"] == union.number_of_nodes()
        assert rows[1]["stakeholders"] == union.number_of_nodes() and rows[1]["relationships"] > 0
        assert rows[1]["pid"] == process.pid and rows[1]["quiet_seconds"] < 30
        # --clean leaves a live load alone.
        result = runner.invoke(cli, ["waves", "--uri", URI, "--clean"])
        assert result.exit_code == 0 and "deleted" not in result.stderr
        assert f"{wave}  loading" in result.stdout
    finally:
        process.kill()
        finish(process)
    result = runner.invoke(cli, ["waves", "--uri", URI, "--stale-after", "0"])
    line = next(line for line in result.stdout.splitlines() if line.startswith(f"{wave}  unfinished"))
    assert "load by " in line and "stopped: no sign of life" in line and "--clean deletes it" in line
    assert "unfinished: `stakeholder-graph waves --clean` deletes them" in result.stderr
    result = runner.invoke(cli, ["waves", "--uri", URI, "--clean", "--stale-after", "0"])
    assert result.exit_code == 0
    assert f"deleted the unfinished load of wave {wave!r}" in result.stderr
    assert [line.split()[:2] for line in result.stdout.splitlines() if line.startswith(wave)] == [[wave, "complete"]]
    assert_exact(driver, wave, old)
    assert leftovers(driver) == (0, 0)


def test_stakeholders_of_no_wave_are_listed_and_cleaned(driver, wave):
    """Orphans: stakeholders whose key neither a Program nor a marker names (a batch committed after its load
    gave up; or, from earlier versions, a new wave half written when the server stopped)."""
    with driver.session() as session:
        session.run(
            "UNWIND range(1, 3) AS i CREATE (:Stakeholder:Person {wave: $key, id: 'p' + i})-[:TRUSTS]->"
            "(:Stakeholder:Person {wave: $key, id: 'q' + i})",
            key=f"{wave}~0123456789abcdef",
        ).consume()
        session.run("CREATE (:Stakeholder:Organization {wave: $w, id: 'o1'})", w=f"{wave}-legacy").consume()
    result = CliRunner().invoke(cli, ["waves", "--uri", URI])
    lines = [line.split() for line in result.stdout.splitlines() if line.startswith(wave)]
    assert [line[:4] for line in lines] == [[wave, "unfinished", "6", "3"], [f"{wave}-legacy", "unfinished", "1", "0"]]
    assert "stakeholders of no wave" in result.stdout
    result = CliRunner().invoke(cli, ["waves", "--uri", URI, "--clean", "--format", "json"])
    assert result.exit_code == 0
    cleaned = {
        row["wave"]: row["stakeholders"] for row in json.loads(result.stdout)["cleaned"] if row["was"] == "orphaned"
    }
    assert cleaned == {wave: 6, f"{wave}-legacy": 1}
    assert f"deleted 6 stakeholders of no wave (written for wave {wave!r})" in result.stderr
    assert leftovers(driver) == (0, 0)


def test_a_wave_loaded_by_an_earlier_version_is_read_replaced_and_deleted(driver, networks, wave):
    """Earlier versions wrote ``wave`` = the wave's name on every stakeholder and no ``load`` on the Program."""
    old, new = networks["old"][0], networks["new"][0]
    load_graph(driver, old, wave=wave)
    with driver.session() as session:
        session.run(
            "MATCH (p:Program {wave: $w}) MATCH (n:Stakeholder {wave: p.load}) SET n.wave = $w "
            "WITH DISTINCT p REMOVE p.load, p.loaded_at",
            w=wave,
        ).consume()
    assert_exact(driver, wave, old)
    rows = [row for row in wave_status(driver) if row["wave"] == wave]
    assert rows == [
        {
            "wave": wave,
            "state": "complete",
            "stakeholders": 1000,
            "relationships": old.number_of_edges(),
            "loaded_at": None,
        }
    ]
    load_graph(driver, new, wave=wave, replace=True)
    assert_exact(driver, wave, new)
    assert leftovers(driver) == (0, 0)
    assert delete_wave(driver, wave) == new.number_of_nodes()
    assert count(driver, wave) == (0, 0) and leftovers(driver) == (0, 0)
