"""Neo4j as the system of record, against a real server (scripts/neo4j start; scripts/test starts it; see
tests/_neo4j.py). Each test works in a wave of its own and deletes it afterwards.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter

import networkx as nx
import pytest
from click.testing import CliRunner

from stakeholder_graph import DatabaseError, read_dataset
from stakeholder_graph.bridges import credible_messengers
from stakeholder_graph.cli import cli
from stakeholder_graph.compare import compare
from stakeholder_graph.gaps import decision_holders, engaged_stakeholders, find_gaps
from stakeholder_graph.neo4j_store.connect import LABEL, TYPE
from stakeholder_graph.neo4j_store.load import _node_query, _relationship_query
from stakeholder_graph.neo4j_store.queries import find_query, library, parse_params, run_query
from stakeholder_graph.neo4j_store.store import delete_wave, load_graph, read_neo4j
from stakeholder_graph.referrals import referral_graph
from stakeholder_graph.report import build_report
from tests._neo4j import URI, count, leftovers
from tests.conftest import DATA, MINIMAL_STAKEHOLDERS, write_folder

RIVERTON = DATA / "riverton"


@pytest.fixture
def wave(driver):
    name = f"test-{uuid.uuid4().hex[:8]}"
    yield name
    delete_wave(driver, name)


@pytest.fixture(scope="module")
def riverton():
    return read_dataset(RIVERTON)


@pytest.fixture(scope="module")
def loaded(driver, riverton):
    """The sample loaded once for the read-only query tests."""
    name = f"riverton-{uuid.uuid4().hex[:8]}"
    load_graph(driver, riverton, wave=name)
    yield name
    delete_wave(driver, name)


def test_round_trip_is_exact(driver, riverton, wave):
    load_graph(driver, riverton, wave=wave)
    back = read_neo4j(f"{URI}?wave={wave}")
    assert dict(back.nodes(data=True)) == dict(riverton.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(riverton.edges(keys=True, data=True))
    assert back.graph["program"] == riverton.graph["program"]


def test_labels_and_types(driver, riverton, wave):
    load_graph(driver, riverton, wave=wave)
    with driver.session() as session:
        people = session.run(
            "MATCH (p:Program {wave: $w}) MATCH (n:Stakeholder:Person {wave: p.load}) RETURN count(n) AS c", w=wave
        ).single()["c"]
        refers = session.run(
            "MATCH (p:Program {wave: $w}) MATCH (:Stakeholder {wave: p.load})-[r:REFERS_TO]->() RETURN count(r) AS c",
            w=wave,
        ).single()["c"]
    kinds = Counter(k for _, k in riverton.nodes(data="kind"))
    assert people == kinds["person"]
    assert refers == sum(1 for *_, k in riverton.edges(keys=True) if k == "refers_to")


def test_loading_twice_changes_nothing_and_replace_removes(driver, riverton, wave, tmp_path):
    load_graph(driver, riverton, wave=wave)
    first = count(driver, wave)
    load_graph(driver, riverton, wave=wave)
    assert count(driver, wave) == first == (riverton.number_of_nodes(), riverton.number_of_edges())
    small = read_dataset(write_folder(tmp_path / "small"))
    load_graph(driver, small, wave=wave, replace=True)
    assert count(driver, wave) == (small.number_of_nodes(), small.number_of_edges())


def _operators(plan) -> list[str]:
    return [plan.get("operatorType", "").split("@")[0]] + [
        op for child in plan.get("children", []) for op in _operators(child)
    ]


def test_write_plans_stream_without_lookups(driver):
    """Every write batch streams (no Eager buffering of the batch) and finds nodes by element id,
    never by a scan or an index lookup, whatever the server's statistics say."""
    queries = [_node_query(label) for label in LABEL.values()]
    queries += [_relationship_query(rel) for rel in TYPE.values()]
    with driver.session() as session:
        for query in queries:
            operators = _operators(session.run("EXPLAIN " + query, rows=[], key="x").consume().plan)
            assert "Eager" not in operators, (query, operators)
            assert not [op for op in operators if "Scan" in op], (query, operators)
            assert not [op for op in operators if "Seek" in op and "ElementId" not in op and "Unique" not in op], (
                query,
                operators,
            )


def test_small_batches_side_by_side_round_trip_and_reload(driver, riverton, wave):
    """Many batches, two at a time, for a new wave and again over the same wave."""
    for _ in range(2):
        result = load_graph(driver, riverton, wave=wave, batch_size=37, workers=2)
        assert (result["nodes"], result["relationships"]) == (274, 1215)
        assert count(driver, wave) == (274, 1215)
        back = read_neo4j(f"{URI}?wave={wave}", workers=1)
        assert dict(back.nodes(data=True)) == dict(riverton.nodes(data=True))
        assert sorted(back.edges(keys=True, data=True)) == sorted(riverton.edges(keys=True, data=True))
    assert nx.utils.graphs_equal(read_neo4j(f"{URI}?wave={wave}", workers=3), back)


def test_a_load_refused_part_way_leaves_the_wave_as_it_was(driver, riverton, wave):
    broken = riverton.copy()
    u, v, key = next(iter(broken.edges(keys=True)))
    broken.edges[u, v, key]["notes"] = {"nested": "maps are not Neo4j property values"}
    with pytest.raises(DatabaseError, match="refused"):
        load_graph(driver, broken, wave=wave, batch_size=100)
    assert count(driver, wave) == (0, 0) and leftovers(driver) == (0, 0)
    load_graph(driver, riverton, wave=wave)
    with pytest.raises(DatabaseError, match="refused"):
        load_graph(driver, broken, wave=wave, replace=True, batch_size=100)
    assert count(driver, wave) == (274, 1215) and leftovers(driver) == (0, 0)
    back = read_neo4j(f"{URI}?wave={wave}")
    assert sorted(back.edges(keys=True, data=True)) == sorted(riverton.edges(keys=True, data=True))


def test_report_on_bolt_equals_report_on_folder(driver, riverton, wave):
    load_graph(driver, riverton, wave=wave)
    back = read_neo4j(f"{URI}?wave={wave}")
    assert json.dumps(build_report(back), sort_keys=True) == json.dumps(build_report(riverton), sort_keys=True)


def test_cli_load_export_and_bad_input_writes_nothing(driver, wave, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["load", str(RIVERTON), "--to", URI, "--wave", wave])
    assert result.exit_code == 0, result.output
    assert "loaded 274 stakeholders" in result.stderr
    before = count(driver, wave)
    bad = write_folder(tmp_path / "bad", MINIMAL_STAKEHOLDERS.replace("p-1,Ann Lee,person,", "p-1,Ann Lee,persn,"))
    result = runner.invoke(cli, ["load", str(bad), "--to", URI, "--wave", wave, "--replace"])
    assert result.exit_code == 2 and "unknown kind 'persn'" in result.stderr
    assert count(driver, wave) == before
    out = tmp_path / "exported"
    result = runner.invoke(cli, ["export", f"{URI}?wave={wave}", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "stakeholders.csv").exists()
    again = read_dataset(out)
    original = read_dataset(RIVERTON)
    assert dict(again.nodes(data=True)) == dict(original.nodes(data=True))
    assert sorted(again.edges(keys=True, data=True)) == sorted(original.edges(keys=True, data=True))


def test_bad_password_and_stopped_server_exit_3(driver, wave, monkeypatch):
    runner = CliRunner()
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-password")
    result = runner.invoke(cli, ["load", str(RIVERTON), "--to", URI, "--wave", wave])
    assert result.exit_code == 3
    assert "refused the user name or password" in result.stderr and "not-the-password" not in result.output
    assert count(driver, wave) == (0, 0)
    result = runner.invoke(cli, ["summary", "bolt://127.0.0.1:1"])
    assert result.exit_code == 3 and "not reachable" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_wave_is_bad_input(driver):
    result = CliRunner().invoke(cli, ["summary", f"{URI}?wave=no-such-wave-{uuid.uuid4().hex[:6]}"])
    assert result.exit_code == 2 and "no wave" in result.stderr


# The Cypher library, each query on the loaded sample, against the NetworkX analyses where they overlap.


def _run(driver, name: str, **params):
    query = find_query(name)
    values = parse_params(query, [f"{k}={v}" for k, v in params.items()])
    return run_query(driver, query, values)[1]


def test_every_library_query_has_a_header():
    queries = library()
    assert len(queries) >= 9
    for q in queries:
        assert q.name and q.description and q.text.strip()


def test_stakeholders_by_sector(driver, loaded, riverton):
    rows = {r["sector"]: r for r in _run(driver, "stakeholders-by-sector", wave=loaded)}
    engaged = engaged_stakeholders(riverton)
    for sector, row in rows.items():
        members = [n for n, s in riverton.nodes(data="sector") if s == sector]
        assert row["stakeholders"] == len(members)
        assert row["engaged"] == sum(m in engaged for m in members)


def test_sectors_never_engaged_matches_gaps(driver, loaded, riverton):
    rows = _run(driver, "sectors-never-engaged", wave=loaded)
    expected = [g["subject"] for g in find_gaps(riverton) if g["kind"] == "missing_stakeholder_group"]
    assert [r["sector"] for r in rows] == sorted(expected) == ["faith_based"]


def test_lived_experience_without_decision_role_matches_gaps(driver, loaded, riverton):
    rows = _run(driver, "lived-experience-without-decision-role", wave=loaded)
    (gap,) = [g for g in find_gaps(riverton) if g["id"] == "lived_experience_voice/no_decision_role/lived_experience"]
    assert [r["id"] for r in rows] == gap["evidence"]["people"]
    assert not set(gap["evidence"]["people"]) & decision_holders(riverton)


def test_priority_community_messengers_match_bridges(driver, loaded, riverton):
    rows = {r["community"]: r for r in _run(driver, "priority-community-messengers", wave=loaded)}
    assert set(rows) == {"com-eastbank", "com-northgate"}
    messengers = credible_messengers(riverton)
    for community, row in rows.items():
        expected = {
            n for n, m in messengers.items() if m["credible_messenger"] and community in m["priority_communities"]
        }
        assert {m["id"] for m in row["messengers"]} == expected
    assert "p-keisha-morgan" in {m["id"] for m in rows["com-northgate"]["messengers"]}


def test_referral_paths_match_networkx(driver, loaded, riverton):
    D = referral_graph(riverton)
    for need in ("overdose", "transportation", "domestic_violence"):
        rows = _run(driver, "referral-paths", need=need, wave=loaded)
        for row in rows:
            try:
                steps = nx.shortest_path_length(D, "team-rcr", row["service"])
            except nx.NetworkXNoPath:
                steps = None
            assert row["steps"] == steps, (need, row)
            if steps is not None:
                path = row["path"]
                assert path[0] == "team-rcr" and path[-1] == row["service"]
                assert all(D.has_edge(a, b) for a, b in zip(path, path[1:]))


def test_single_providers_match_gaps(driver, loaded, riverton):
    rows = _run(driver, "single-providers", wave=loaded)
    expected = sorted(g["subject"] for g in find_gaps(riverton) if g["check"] == "single_provider")
    assert [r["need"] for r in rows] == expected == ["domestic_violence"]
    assert rows[0]["providers"] == ["org-safe-harbor"]


def test_ego_network_matches_networkx(driver, loaded, riverton):
    U = nx.Graph(riverton.to_undirected(as_view=True))
    for depth in (1, 2):
        rows = _run(driver, "ego-network", id="p-keisha-morgan", depth=depth, wave=loaded)
        expected = nx.single_source_shortest_path_length(U, "p-keisha-morgan", cutoff=depth)
        expected.pop("p-keisha-morgan")
        assert {r["id"]: r["distance"] for r in rows} == expected


def test_ties_gained_lost_matches_compare(driver, loaded, riverton, wave):
    newer = read_dataset(DATA / "riverton-2027")
    load_graph(driver, newer, wave=wave)
    rows = _run(driver, "ties-gained-lost", old=loaded, new=wave)
    result = compare(riverton, newer)
    gained = sorted((t["source"], t["target"], t["type"]) for t in result["ties"]["gained"])
    lost = sorted((t["source"], t["target"], t["type"]) for t in result["ties"]["lost"])
    assert sorted((r["source"], r["target"], r["type"]) for r in rows if r["change"] == "gained") == gained
    assert sorted((r["source"], r["target"], r["type"]) for r in rows if r["change"] == "lost") == lost


def test_introductions(driver, loaded, riverton):
    rows = _run(driver, "introductions", id="p-keisha-morgan", wave=loaded)
    team_ties = set(nx.Graph(riverton.to_undirected(as_view=True)).neighbors("team-rcr"))
    trusted = {v for _, v, t in riverton.out_edges("p-keisha-morgan", data="trust") if (t or 0) >= 3}
    trusted |= {u for u, _, t in riverton.in_edges("p-keisha-morgan", data="trust") if (t or 0) >= 3}
    expected = {
        n for n in trusted - team_ties - {"team-rcr"} if riverton.nodes[n]["kind"] not in ("engagement", "service")
    }
    assert {r["id"] for r in rows} == expected and expected


def test_query_cli_read_only_by_default(driver, loaded):
    runner = CliRunner()
    result = runner.invoke(
        cli, ["query", "sectors-never-engaged", "-p", f"wave={loaded}", "--uri", URI, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["sector"] == "faith_based"
    result = runner.invoke(cli, ["query", "--list"])
    assert result.exit_code == 0 and "referral-paths need=<string>" in result.stdout
    script = os.path.join(os.path.dirname(__file__), "fixtures", "write.cypher")
    result = runner.invoke(cli, ["query", script, "-p", f"wave={loaded}", "--uri", URI])
    assert result.exit_code == 3 and "--write" in result.stderr
    assert count(driver, loaded)[0] == 274
    result = runner.invoke(cli, ["query", "referral-paths", "--uri", URI])
    assert result.exit_code == 2 and "needs -p need=" in result.stderr


# Smaller things: malformed addresses, passwords, the driver's log lines


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("bolt://[::1", "Invalid IPv6 URL"),
        ("bolt://127.0.0.1:port", "Port could not be cast to integer value as 'port'"),
        ("neo4j://127.0.0.1:99999", "Port out of range 0-65535"),
        ("bolt://:7687", "no host"),
    ],
)
def test_a_malformed_address_is_one_sentence_and_exit_3(address, why, tmp_path):
    runner = CliRunner()
    for args in (
        ["summary", address],
        ["waves", "--uri", address],
        ["query", "stakeholders-by-sector", "--uri", address],
        ["load", str(RIVERTON), "--to", address],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 3, (args, result.output)
        assert result.stderr == (
            f"Error: {address} is not a Neo4j address ({why}): write it as bolt://HOST:PORT, e.g. bolt://127.0.0.1:7687\n"
        )


def test_a_password_in_the_address_is_never_printed():
    result = CliRunner().invoke(cli, ["waves", "--uri", "bolt://neo4j:s3cret-pw@127.0.0.1:1"])
    assert result.exit_code == 3 and "s3cret-pw" not in result.output
    assert result.stderr.startswith("Error: bolt://127.0.0.1:1 is not a usable Neo4j address")


def test_user_without_a_terminal_is_one_sentence_and_exit_2(monkeypatch):
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    for args in (["load", str(RIVERTON), "--to", URI, "--user", "ann"], ["waves", "--uri", URI, "--user", "ann"]):
        result = CliRunner().invoke(cli, args, input="")
        assert result.exit_code == 2, result.output
        assert result.stderr == (
            "--user: cannot ask for the password of ann without a terminal: set NEO4J_PASSWORD\n1 problem found.\n"
        )


def test_the_driver_logs_nothing_on_stderr(capfd):
    import logging

    from stakeholder_graph.neo4j_store.connect import quiet_driver_logs

    quiet_driver_logs()
    logging.getLogger("neo4j.io").error("Failed to read from defunct connection")
    logging.getLogger("neo4j.pool").warning("Transaction failed and will be retried")
    assert capfd.readouterr().err == ""


def test_neo4j_start_refuses_a_short_password_at_once():
    import subprocess
    import time

    env = dict(os.environ, NEO4J_PASSWORD="short", NEO4J_PORT="1")
    started = time.monotonic()
    result = subprocess.run(
        [str(RIVERTON.parent.parent / "scripts" / "neo4j"), "start"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and time.monotonic() - started < 10
    assert result.stderr == "neo4j: NEO4J_PASSWORD must be at least 8 characters (Neo4j's rule); nothing was started\n"
    assert result.stdout == ""
