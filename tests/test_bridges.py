"""Brokers: betweenness, Gould-Fernandez brokerage, structural holes; and the credible messengers beside them."""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from stakeholder_graph._ties import tie_graph
from stakeholder_graph.bridges import (
    ROLES,
    _betweenness,
    bridges,
    bridges_text,
    brokerage_roles,
    credible_messengers,
    structural_holes,
)
from stakeholder_graph.cli import cli
from stakeholder_graph.dataset import read_dataset
from tests.conftest import FIXTURES, write_folder

# --------------------------------------------------------------------------------------------------
# Published values, read through the dataset format


def test_florentine_families_betweenness():
    # Padgett's Florentine marriage network, 15 connected families (Pucci, the isolate, left out):
    # normalized betweenness Medici 0.522, Guadagni 0.255, Albizzi 0.212.
    G = read_dataset(FIXTURES / "florentine")
    assert G.number_of_nodes() == 15 and G.number_of_edges() == 20
    rows = {row["id"]: row for row in bridges(G)}
    assert rows["Medici"]["betweenness"] == pytest.approx(0.522, abs=5e-4)
    assert rows["Guadagni"]["betweenness"] == pytest.approx(0.255, abs=5e-4)
    assert rows["Albizzi"]["betweenness"] == pytest.approx(0.212, abs=5e-4)
    # All strengths are blank (1), so weighted and unweighted betweenness agree.
    assert all(row["betweenness_weighted"] == row["betweenness"] for row in rows.values())


def test_borgatti_structural_holes():
    # Borgatti (1997), "Structural holes: unpacking Burt's redundancy measures": ego G has effective
    # size 4.67 and constraint 0.400; A has 2.50 and 0.595; C, a pendant, 1 and 1.
    G = read_dataset(FIXTURES / "borgatti")
    holes = structural_holes(tie_graph(G))
    assert holes["G"]["effective_size"] == pytest.approx(4.67, abs=5e-3)
    assert holes["G"]["constraint"] == pytest.approx(0.400, abs=5e-4)
    assert holes["A"]["effective_size"] == pytest.approx(2.50, abs=5e-3)
    assert holes["A"]["constraint"] == pytest.approx(0.595, abs=5e-4)
    assert holes["C"] == {"effective_size": 1.0, "constraint": 1.0}
    rows = {row["id"]: row for row in bridges(G)}
    assert rows["G"]["effective_size"] == pytest.approx(4.667, abs=5e-4)
    assert rows["G"]["constraint"] == pytest.approx(0.400, abs=5e-4)


def test_borgatti_score_follows_the_formula():
    # Everyone is in sector "other", so no liaison/gatekeeper/representative brokerage (all 0, rank 0).
    # G has the unique highest betweenness (rank 1) and the unique lowest constraint, i.e. highest
    # 1 - constraint (rank 1): score = (1 + 0 + 1) / 3. (Before issue 10 a fourth rank, the messenger
    # score, was averaged in; whom a community trusts is no longer part of a structural score.)
    rows = bridges(read_dataset(FIXTURES / "borgatti"))
    assert rows[0]["id"] == "G" and rows[0]["score"] == round(2 / 3, 6)
    assert all(row["brokerage"]["coordinator"] == row["brokerage"]["total"] for row in rows)


# --------------------------------------------------------------------------------------------------
# Gould-Fernandez brokerage, hand-worked


def _chain(groups: dict) -> dict:
    """The three-node chain a -> b -> c (no a -> c): only b can broker, once."""
    return brokerage_roles(nx.DiGraph([("a", "b"), ("b", "c")]), groups)


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        # a, b, c all in X: b mediates inside its own group.
        ({"a": "X", "b": "X", "c": "X"}, "coordinator"),
        # a and c in X, b outside it: b mediates between two members of another group.
        ({"a": "X", "b": "Y", "c": "X"}, "itinerant"),
        # b in the RECEIVER c's group Y, the sender a outside: b lets contact into its group.
        ({"a": "X", "b": "Y", "c": "Y"}, "gatekeeper"),
        # b in the SENDER a's group X, the receiver c outside: b carries its group's contact out.
        ({"a": "X", "b": "X", "c": "Y"}, "representative"),
        # three different groups.
        ({"a": "X", "b": "Y", "c": "Z"}, "liaison"),
    ],
)
def test_chain_in_each_group_configuration(groups: dict, role: str):
    roles = _chain(groups)
    assert roles["b"] == {r: int(r == role) for r in ROLES}
    # a has no predecessor and c no successor: they broker nothing.
    assert roles["a"] == roles["c"] == dict.fromkeys(ROLES, 0)


def test_closed_two_path_is_no_brokerage():
    # a -> b -> c with a -> c: a reaches c directly, b brokers nothing.
    D = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    roles = brokerage_roles(D, {"a": "X", "b": "Y", "c": "Z"})
    assert all(counts == dict.fromkeys(ROLES, 0) for counts in roles.values())


def test_two_way_chain_brokers_both_directions():
    # a <-> b <-> c, groups X, Y, Y: a -> b -> c makes b a gatekeeper (b with the receiver c);
    # c -> b -> a makes b a representative (b with the sender c). a -> b -> a is no brokerage (a == c).
    D = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "b")])
    roles = brokerage_roles(D, {"a": "X", "b": "Y", "c": "Y"})
    assert roles["b"] == {"coordinator": 0, "itinerant": 0, "gatekeeper": 1, "representative": 1, "liaison": 0}


def test_missing_groups_share_one_group():
    # Only b has a group: a and c share the group None, so a -> b -> c is itinerant.
    assert _chain({"b": "X"})["b"]["itinerant"] == 1


def test_five_nodes_mixed_roles():
    # b (X) is tied both ways to a1 (X), a2 (X), c1 (Y) and d1 (Z); a1 <-> a2; and one-way a1 -> c1.
    D = nx.DiGraph()
    for leaf in ("a1", "a2", "c1", "d1"):
        D.add_edges_from([("b", leaf), (leaf, "b")])
    D.add_edges_from([("a1", "a2"), ("a2", "a1"), ("a1", "c1")])
    groups = {"b": "X", "a1": "X", "a2": "X", "c1": "Y", "d1": "Z"}
    roles = brokerage_roles(D, groups)
    # b: the 12 ordered pairs of distinct leaves, less the closed a1->a2, a2->a1 and a1->c1:
    #   a1->d1, a2->c1, a2->d1       sender in X with b, receiver outside: representative 3
    #   c1->a1, c1->a2, d1->a1, d1->a2  receiver in X with b, sender outside: gatekeeper 4
    #   c1->d1, d1->c1               Y, X, Z: liaison 2
    assert roles["b"] == {"coordinator": 0, "itinerant": 0, "gatekeeper": 4, "representative": 3, "liaison": 2}
    # a1: predecessors b, a2; successors b, a2, c1. b->a1->a2 (b->a2 exists), b->a1->c1 (b->c1 exists),
    # a2->a1->b (a2->b exists) are closed; a2->a1->c1 is open: X, X, Y = representative.
    assert roles["a1"] == {"coordinator": 0, "itinerant": 0, "gatekeeper": 0, "representative": 1, "liaison": 0}
    # a2: b->a2->a1 closed by b->a1, a1->a2->b closed by a1->b. c1: a1->c1->b closed by a1->b.
    # d1: its only neighbour is b (a == c).
    for node in ("a2", "c1", "d1"):
        assert roles[node] == dict.fromkeys(ROLES, 0)


def _brute_force(D: nx.DiGraph, groups: dict) -> dict:
    result = {b: dict.fromkeys(ROLES, 0) for b in D}
    for b in D:
        for a in D.pred[b]:
            for c in D.succ[b]:
                if len({a, b, c}) < 3 or D.has_edge(a, c):
                    continue
                ga, gb, gc = groups.get(a), groups.get(b), groups.get(c)
                role = (
                    "coordinator"
                    if ga == gb == gc
                    else "itinerant"
                    if ga == gc
                    else "gatekeeper"
                    if gb == gc
                    else "representative"
                    if ga == gb
                    else "liaison"
                )
                result[b][role] += 1
    return result


@pytest.mark.parametrize("seed", range(5))
def test_brokerage_matches_the_definition_on_random_graphs(seed: int):
    D = nx.gnm_random_graph(25, 110, seed=seed, directed=True)
    rng = random.Random(seed)
    groups = {n: rng.choice("XYZ") for n in D if rng.random() < 0.9}
    assert brokerage_roles(D, groups) == _brute_force(D, groups)


@pytest.mark.parametrize("seed", range(4))
def test_brokerage_matches_the_definition_with_self_loops_mutual_ties_and_hubs(seed: int):
    rng = random.Random(seed)
    D = nx.DiGraph(nx.scale_free_graph(80, seed=seed))  # hubs, mutual ties and self-loops
    D.add_edges_from((u, v) for u, v in nx.gnm_random_graph(80, 150, seed=seed, directed=True).edges())
    D.add_edges_from([(3, 3), (5, 5)])
    D.add_node("alone")
    assert nx.number_of_selfloops(D) and any(D.has_edge(v, u) for u, v in D.edges() if u != v)
    groups = {n: rng.choice(["X", "Y", "Z", None, 0]) for n in D if rng.random() < 0.8}
    assert brokerage_roles(D, groups) == _brute_force(D, groups)
    H = nx.gnm_random_graph(30, 70, seed=seed)  # an undirected graph counts each edge both ways
    assert brokerage_roles(H, groups) == _brute_force(H.to_directed(), groups)


def test_brokerage_of_graphs_without_ties():
    assert brokerage_roles(nx.DiGraph(), {}) == {}
    assert brokerage_roles(nx.DiGraph([(1, 1)]), {}) == {1: dict.fromkeys(ROLES, 0)}


# --------------------------------------------------------------------------------------------------
# igraph betweenness and the structural-holes shortcut against NetworkX


@pytest.mark.parametrize("seed", range(6))
def test_igraph_betweenness_equals_networkx(seed: int):
    rng = random.Random(seed)
    H = nx.gnm_random_graph(rng.randint(10, 40), rng.randint(15, 90), seed=seed)
    H.add_node("isolated")
    for u, v in H.edges():
        strength = rng.randint(1, 4)
        H[u][v]["distance"] = 1.0 / strength
        H[u][v]["exact"] = 12 // strength  # the same lengths times 12, in exact integer arithmetic
    expected = nx.betweenness_centrality(H, normalized=True)
    assert _betweenness(H) == pytest.approx(expected, abs=1e-12)
    # NetworkX compares float path lengths exactly, so 1/2 + 1/4 + 1/4 and 1/3 + 2/3 may not tie;
    # igraph compares with a tolerance and finds every tie. Compare with exact integer lengths.
    expected = nx.betweenness_centrality(H, normalized=True, weight="exact")
    assert _betweenness(H, weight="distance") == pytest.approx(expected, abs=1e-12)


def _assert_holes_equal_networkx(H: nx.Graph, tolerance: float) -> None:
    ours = structural_holes(H)
    effective, constraint = nx.effective_size(H), nx.constraint(H)
    for node in H:
        if math.isnan(effective[node]):
            assert math.isnan(ours[node]["effective_size"]) and math.isnan(ours[node]["constraint"])
        else:
            assert ours[node]["effective_size"] == pytest.approx(effective[node], abs=tolerance)
            assert ours[node]["constraint"] == pytest.approx(constraint[node], abs=tolerance)


def test_structural_holes_equal_networkx_with_hubs_and_no_ties():
    H = nx.barabasi_albert_graph(400, 4, seed=1)
    H.add_edges_from(nx.gnm_random_graph(400, 300, seed=2).edges())
    H.add_nodes_from(["alone", "also alone"])
    _assert_holes_equal_networkx(H, tolerance=5e-7)
    assert structural_holes(nx.Graph()) == {}


@pytest.mark.parametrize("seed", range(6))
def test_structural_holes_equal_networkx(seed: int):
    H = nx.gnm_random_graph(40, 60 + 10 * seed, seed=seed)
    H.add_node("isolated")
    _assert_holes_equal_networkx(H, tolerance=1e-12)


# --------------------------------------------------------------------------------------------------
# Credible messengers beside the brokers (the definition is tested in test_messengers.py)

# Northgate (priority): Maya is trusted by two residents (Nia 4, Bea 3) and has trusted ties to the clinic,
# the police and the team. Otto, an officer who lives there, is trusted by the police and the team (4)
# and distrusted by the residents (1): structure makes him a bridge, the residents do not make him their
# messenger. Until issue 10 both were "credible messengers" (a resident with trusted ties outward), and
# Lou, Tam and Otto's positions decided the messenger score; now the residents' trust decides.
STAKEHOLDERS = """id,name,kind,sector,community,priority
team-a,Team A,team,mobile_crisis,,
com-n,Northgate,community,,,true
com-w,Westfield,community,,,false
p-msg,Maya Messenger,person,lived_experience,com-n,
p-nbr,Nia Neighbor,person,faith_based,com-n,
p-west,Will West,person,lived_experience,com-w,
p-wes2,Wes Two,person,community_organization,com-w,
p-low,Lou Low,person,lived_experience,com-n,
p-biz,Bea Biz,person,lived_experience,com-n,
p-off,Otto Officer,person,law_enforcement,com-n,
p-team,Tam Team,person,lived_experience,,
org-pd,Riverton PD,organization,law_enforcement,,
org-clinic,Clinic,organization,behavioral_health,,
org-shop,Corner Shop,organization,business,,
org-lone,Lone Org,organization,housing,,
eng-1,Kickoff,engagement,,,
"""
RELATIONSHIPS = """source,target,type,strength,trust
p-msg,org-clinic,trusts,2,4
org-pd,p-msg,trusts,3,4
p-msg,team-a,communicates_with,2,3
p-msg,p-nbr,partners_with,4,4
p-biz,p-msg,trusts,2,3
org-pd,p-west,partners_with,3,4
p-wes2,p-west,trusts,3,4
p-low,org-pd,communicates_with,3,2
p-biz,org-shop,partners_with,3,4
p-off,org-pd,member_of,4,4
team-a,p-off,trusts,3,4
p-nbr,p-off,trusts,2,1
p-biz,p-off,communicates_with,2,1
p-team,com-n,member_of,,
p-team,team-a,trusts,2,3
team-a,org-pd,partners_with,3,3
team-a,org-clinic,partners_with,4,4
p-msg,eng-1,participated_in,,
"""


@pytest.fixture
def messengers(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "messengers", STAKEHOLDERS, RELATIONSHIPS)


def test_credible_messengers(messengers: Path):
    found = credible_messengers(read_dataset(messengers))
    assert "eng-1" not in found  # engagements are not stakeholders of the tie network
    # Maya: trusted by 2 of Northgate's 5 other residents (Nia 4, Bea 3: average 3.5); her trusted ties reach
    # the clinic (she trusts it), the police (it trusts her: either direction counts) and the team:
    # score 2 residents x (1 + 2 sectors + 1 for the team).
    assert found["p-msg"] == {
        "credible_messenger": True,
        "score": 8,
        "priority_communities": ["com-n"],
        "sectors": ["behavioral_health", "law_enforcement"],
        "team": True,
    }
    # Otto reaches the police and the team, but the residents' ties to him average 1. Tam (a member of
    # Northgate) trusts the team, but no resident trusts him. Will: Westfield is not a priority community.
    for node in ("p-off", "p-team", "p-west", "p-nbr", "p-low", "p-biz", "org-pd", "team-a", "com-n"):
        assert found[node]["credible_messenger"] is False and found[node]["score"] == 0, node


def test_credible_messengers_follow_program_toml(tmp_path: Path):
    folder = write_folder(
        tmp_path / "program",
        STAKEHOLDERS,
        RELATIONSHIPS,
        'priority_communities = ["com-w"]\nexpected_sectors = ["law_enforcement"]\nmessenger_min_residents = 1\n',
    )
    found = credible_messengers(read_dataset(folder))
    # Westfield is now a priority community and one resident's trust is enough: Wes trusts Will (4), whose
    # trust-4 tie to the police makes him Westfield's messenger: 1 resident x (1 + 1 sector).
    assert found["p-west"]["credible_messenger"] and found["p-west"]["score"] == 2
    # Only law enforcement is expected: Maya reaches it and the team, no longer the clinic: 2 x (1 + 1 + 1).
    assert found["p-msg"]["sectors"] == ["law_enforcement"] and found["p-msg"]["score"] == 6


def test_bridges_rows(messengers: Path):
    G = read_dataset(messengers)
    rows = bridges(G)
    assert len(rows) == G.number_of_nodes() - 1  # every stakeholder but the engagement
    assert list(rows[0]) == [
        "id",
        "name",
        "kind",
        "sector",
        "community",
        "betweenness",
        "betweenness_weighted",
        "betweenness_error",
        "betweenness_tied",
        "brokerage",
        "effective_size",
        "constraint",
        "score",
        "credible_messenger",
        "messenger_for",
    ]
    assert list(rows[0]["brokerage"]) == [*ROLES, "total"]
    keys = [(-row["score"], row["id"]) for row in rows]
    assert keys == sorted(keys)
    assert all(0 <= row["score"] <= 1 for row in rows)
    by_id = {row["id"]: row for row in rows}
    assert by_id["p-msg"]["credible_messenger"] and by_id["p-msg"]["messenger_for"] == ["com-n"]
    assert not by_id["p-off"]["credible_messenger"] and by_id["p-off"]["messenger_for"] == []
    assert by_id["p-team"]["community"] == "com-n"  # through member_of
    assert by_id["org-lone"]["constraint"] is None and by_id["org-lone"]["effective_size"] is None  # no ties
    assert by_id["org-lone"]["score"] == 0
    # Westfield is tied to its residents by their community cells (one tie network for every measure)
    assert by_id["com-w"]["constraint"] is not None
    # Maya links the police, the clinic, the team and Nia: a top broker; the score is structure only,
    # so being a messenger adds nothing to it.
    assert rows[0]["id"] in ("p-msg", "org-pd")
    assert [row["id"] for row in bridges(G, top=3)] == [row["id"] for row in rows[:3]]


def test_bridges_group_by_community(messengers: Path):
    G = read_dataset(messengers)
    by_sector = {row["id"]: row["brokerage"] for row in bridges(G)}
    by_community = {row["id"]: row["brokerage"] for row in bridges(G, group_by="community")}
    # Maya brokers Nia (com-n, her community) <-> police, clinic, team ("(none)"): by community,
    # Nia -> Maya -> police is representative; police -> Maya -> Nia is gatekeeper.
    assert by_community["p-msg"]["representative"] > 0 and by_community["p-msg"]["gatekeeper"] > 0
    assert by_community["p-msg"]["total"] == by_sector["p-msg"]["total"]  # the same two-paths, other roles
    with pytest.raises(ValueError, match="group_by"):
        bridges(G, group_by="kind")


def test_bridges_text_fits_80_columns(messengers: Path):
    text = bridges_text(bridges(read_dataset(messengers)))
    assert all(len(line) <= 80 for line in text.splitlines())
    assert text.startswith("Brokers")
    maya = next(line for line in text.splitlines() if line.startswith("p-msg"))
    otto = next(line for line in text.splitlines() if line.startswith("p-off"))
    assert maya.endswith("yes") and not otto.endswith("yes")


# --------------------------------------------------------------------------------------------------
# The command


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_cli_help_has_an_example(runner: CliRunner):
    result = runner.invoke(cli, ["bridges", "--help"])
    assert result.exit_code == 0 and "Example" in result.stdout


def test_cli_text_top_3(runner: CliRunner, messengers: Path):
    result = runner.invoke(cli, ["bridges", str(messengers), "--top", "3"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    rows = bridges(read_dataset(messengers), top=3)
    table = [line for line in lines if line.split(" ", 1)[0] in {row["id"] for row in rows}]
    assert len(table) == 3 and table[0].startswith(rows[0]["id"])
    # below the brokers, each priority community's messengers by its residents' trust
    assert "Credible messengers of priority communities" in result.stdout
    assert "messengers: Maya Messenger (2 of 5)" in result.stdout
    assert "Otto Officer (average trust 1.0)" in result.stdout


def test_cli_json_group_by_community(runner: CliRunner, messengers: Path):
    result = runner.invoke(
        cli, ["bridges", str(messengers), "--format", "json", "--group-by", "community", "--top", "3"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["group_by"] == "community"
    assert data["bridges"] == bridges(read_dataset(messengers), group_by="community", top=3)
    (northgate,) = data["messengers"]
    assert [m["id"] for m in northgate["messengers"]] == ["p-msg"]


def test_cli_bad_source_exits_2(runner: CliRunner, tmp_path: Path):
    result = runner.invoke(cli, ["bridges", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_weighted_betweenness_in_a_second_process_is_the_same(monkeypatch):
    """Large graphs split the weighted betweenness between two forked processes: the same numbers."""
    import stakeholder_graph.bridges as bridges_module

    H = nx.Graph(nx.gnm_random_graph(60, 150, seed=7))
    for i, (u, v) in enumerate(H.edges()):
        H[u][v]["distance"] = 1.0 / (1 + i % 4)
    serial = bridges_module._betweenness(H, weight="distance")
    monkeypatch.setattr(bridges_module, "PARALLEL_FROM", 10)
    split = bridges_module._weighted_betweenness(H)
    assert split.keys() == serial.keys()
    assert all(split[n] == pytest.approx(serial[n], abs=1e-12) for n in serial)


_BRIDGES_OF_A_CITY = """
import hashlib, json, sys
from stakeholder_graph.bridges import bridges
from stakeholder_graph.synth import synthesize
print(hashlib.sha256(json.dumps(bridges(synthesize(3000, seed=4), weighted=False)).encode()).hexdigest())
"""


def test_the_same_brokers_in_every_process():
    """Python varies the order of sets of ids between processes (PYTHONHASHSEED); before exact sums,
    Burt's constraint moved in its last bits with it, and two runs ranked some brokers differently."""
    digests = {
        subprocess.run(
            [sys.executable, "-c", _BRIDGES_OF_A_CITY],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1
