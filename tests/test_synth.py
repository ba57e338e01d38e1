"""Synthetic networks: sizes, determinism, validity by round trip, composition, and the synth command."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from stakeholder_graph.cli import cli
from stakeholder_graph.dataset import read_dataset, validate_dataset, write_dataset
from stakeholder_graph.hours import parse_hours
from stakeholder_graph.program import Program
from stakeholder_graph.synth import AS_OF, MIN_STAKEHOLDERS, synthesize
from stakeholder_graph.vocab import EDGE_ENDPOINTS, KINDS, METHODS, NEEDS, SECTORS, UNDIRECTED_EDGE_TYPES


@pytest.fixture(scope="module")
def network() -> nx.MultiDiGraph:
    return synthesize(2000, seed=3)


def _edges(G: nx.MultiDiGraph) -> list:
    return list(G.edges(keys=True, data=True))


# Sizes -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [MIN_STAKEHOLDERS, 21, 57, 1000, 20000])
def test_exact_size_and_every_kind(n: int):
    G = synthesize(n)
    assert G.number_of_nodes() == n
    kinds = Counter(k for _, k in G.nodes(data="kind"))
    assert set(kinds) == set(KINDS)
    assert kinds["team"] == 1
    assert 3.5 <= 2 * G.number_of_edges() / n <= 7  # about 5 relationships per stakeholder


def test_proportions_at_scale():
    G = synthesize(20000, seed=1)
    kinds = Counter(k for _, k in G.nodes(data="kind"))
    assert kinds["organization"] == pytest.approx(0.15 * 20000, rel=0.05)
    assert kinds["service"] == pytest.approx(0.08 * 20000, rel=0.05)
    assert 0.70 <= kinds["person"] / 20000 <= 0.80
    assert kinds["community"] == 6 + 20000 // 2000
    assert kinds["engagement"] == 8 + 20000 // 1000


def test_too_small_is_refused():
    with pytest.raises(ValueError, match="at least"):
        synthesize(MIN_STAKEHOLDERS - 1)


# Determinism -------------------------------------------------------------------------------------------


def test_same_seed_same_network():
    a, b = synthesize(500, seed=42), synthesize(500, seed=42)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert _edges(a) == _edges(b)
    assert a.graph == b.graph


def test_different_seed_different_network():
    a, b = synthesize(500, seed=1), synthesize(500, seed=2)
    assert _edges(a) != _edges(b)


def test_the_default_network_is_the_one_before_relationships_per_stakeholder():
    # The digest of synthesize(400, seed=5) computed by the code before the option existed (commit 6536828).
    G = synthesize(400, seed=5)
    text = json.dumps([list(G.nodes(data=True)), [list(e) for e in G.edges(keys=True, data=True)]], sort_keys=True)
    assert hashlib.sha256(text.encode()).hexdigest() == (
        "ba544a83bceec987e0e97a448fd86e8a0abf0e555ea3ba5a3fc0a9cc828234fe"
    )


# Density -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n, per", [(MIN_STAKEHOLDERS, 2), (300, 3), (2000, 5), (5000, 10), (1000, 25)])
def test_relationships_per_stakeholder_is_met(n: int, per: float):
    G = synthesize(n, seed=2, relationships_per_stakeholder=per)
    assert G.number_of_nodes() == n
    assert G.number_of_edges() == pytest.approx(per * n, rel=0.02 if n >= 1000 else 0.15)
    assert Counter(k for _, k in G.nodes(data="kind")) == Counter(k for _, k in synthesize(n, 2).nodes(data="kind"))


def test_a_denser_network_is_valid_and_reproducible(tmp_path: Path):
    G = synthesize(1500, seed=4, relationships_per_stakeholder=8)
    assert _edges(G) == _edges(synthesize(1500, seed=4, relationships_per_stakeholder=8))
    folder = write_dataset(G, tmp_path / "dense")
    H = read_dataset(folder)
    assert {(u, v, k): d for u, v, k, d in _edges(G)} == {(u, v, k): d for u, v, k, d in _edges(H)}
    for u, v, kind in G.edges(keys=True):
        sources, targets = EDGE_ENDPOINTS[kind]
        assert G.nodes[u]["kind"] in sources and G.nodes[v]["kind"] in targets


@pytest.mark.parametrize("per", [1.9, 50.5])
def test_relationships_per_stakeholder_out_of_range_is_refused(per: float):
    with pytest.raises(ValueError, match="relationships_per_stakeholder"):
        synthesize(100, relationships_per_stakeholder=per)


# Validity ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n, seed", [(MIN_STAKEHOLDERS, 0), (23, 5), (300, 0), (300, 9)])
def test_round_trip_through_the_dataset_format(tmp_path: Path, n: int, seed: int):
    G = synthesize(n, seed)
    folder = write_dataset(G, tmp_path / "synthetic")
    assert validate_dataset(folder) == []
    H = read_dataset(folder)
    assert dict(G.nodes(data=True)) == dict(H.nodes(data=True))
    assert {(u, v, k): d for u, v, k, d in _edges(G)} == {(u, v, k): d for u, v, k, d in _edges(H)}
    assert G.graph["program"] == H.graph["program"]
    assert G.graph["name"] == H.graph["name"]


def test_attributes_are_typed_as_read_dataset_types_them(network: nx.MultiDiGraph):
    for _, attrs in network.nodes(data=True):
        assert all(value not in ("", None, []) for value in attrs.values())
        for name in ("needs", "languages", "tags"):
            assert isinstance(attrs.get(name, []), list)
        for name in ("lived_experience", "priority"):
            assert isinstance(attrs.get(name, False), bool)
        if "population_share" in attrs:
            assert isinstance(attrs["population_share"], float)
        if "date" in attrs:
            assert len(attrs["date"]) == 10 and attrs["date"] <= AS_OF
        if "hours" in attrs:
            parse_hours(attrs["hours"])
    for u, v, key, attrs in _edges(network):
        assert attrs["type"] == key
        assert type(attrs["strength"]) is int and 1 <= attrs["strength"] <= 4
        assert type(attrs["trust"]) is int and 1 <= attrs["trust"] <= 4
        assert attrs.get("since", AS_OF) <= AS_OF
        sources, targets = EDGE_ENDPOINTS[key]
        assert network.nodes[u]["kind"] in sources and network.nodes[v]["kind"] in targets
        assert u != v
        if key in UNDIRECTED_EDGE_TYPES:
            assert not network.has_edge(v, u, key)


def test_program_names_the_team(network: nx.MultiDiGraph):
    program = network.graph["program"]
    assert isinstance(program, Program)
    assert program.as_of == AS_OF
    team = network.nodes[program.team]
    assert (team["kind"], team["sector"]) == ("team", "mobile_crisis")
    assert network.graph["name"] == program.name


# Composition -------------------------------------------------------------------------------------------


def _of_kind(G: nx.MultiDiGraph, kind: str) -> dict[str, dict]:
    return {n: d for n, d in G.nodes(data=True) if d["kind"] == kind}


def test_every_sector_need_and_method_is_present(network: nx.MultiDiGraph):
    assert {d["sector"] for d in _of_kind(network, "organization").values()} == set(SECTORS)
    assert {need for d in _of_kind(network, "service").values() for need in d["needs"]} == set(NEEDS)
    assert {d["method"] for d in _of_kind(network, "engagement").values()} == set(METHODS)


def test_every_need_is_met_even_in_the_smallest_network():
    G = synthesize(MIN_STAKEHOLDERS)
    assert {need for d in _of_kind(G, "service").values() for need in d["needs"]} == set(NEEDS)
    assert {d["method"] for d in _of_kind(G, "engagement").values()} == set(METHODS)


def test_communities(network: nx.MultiDiGraph):
    communities = _of_kind(network, "community")
    assert len(communities) == 6 + 2000 // 2000
    assert sum(d["population_share"] for d in communities.values()) == pytest.approx(1.0, abs=1e-9)
    assert sum(d["priority"] for d in communities.values()) == round(len(communities) / 3)


def test_people_belong_to_one_organization_of_their_sector(network: nx.MultiDiGraph):
    people = _of_kind(network, "person")
    for person, attrs in people.items():
        memberships = [v for _, v, k in network.out_edges(person, keys=True) if k == "member_of"]
        assert len(memberships) == 1
        organization = network.nodes[memberships[0]]
        assert organization["kind"] == "organization" and organization["sector"] == attrs["sector"]
        assert network.nodes[attrs["community"]]["kind"] == "community"
    lived = Counter(d.get("lived_experience") for d in people.values())
    assert lived[True] and lived[False]
    holders = [p for p, d in people.items() if "decision_role" in d]
    assert holders
    for person in holders:
        seats = [v for _, v, k in network.out_edges(person, keys=True) if k == "sits_on"]
        assert [network.nodes[v]["method"] for v in seats] == ["formal_decision_role"]


def test_services_are_provided_and_open(network: nx.MultiDiGraph):
    team = network.graph["program"].team
    services = _of_kind(network, "service")
    for service in services:
        providers = [u for u, _, k in network.in_edges(service, keys=True) if k == "provides"]
        assert len(providers) == 1
        assert network.nodes[providers[0]]["kind"] in ("organization", "team")
    assert any(network.has_edge(team, s, "provides") for s in services)
    hours = Counter(d["hours"] for d in services.values())
    assert hours["24/7"] and hours["Mon-Fri 08:00-17:00"]
    assert all("English" in d["languages"] for d in services.values())
    assert any(len(d["languages"]) > 1 for d in services.values())


def test_every_tie_type_is_used(network: nx.MultiDiGraph):
    used = Counter(k for _, _, k in network.edges(keys=True))
    for kind in (
        "member_of",
        "partners_with",
        "communicates_with",
        "trusts",
        "refers_to",
        "participated_in",
        "provides",
        "serves",
        "sits_on",
        "funds",
    ):
        assert used[kind] > 0, kind
    assert all(network.nodes[v]["kind"] == "service" for u, v, k in network.edges(keys=True) if k == "refers_to")


def _sector_densities(G: nx.MultiDiGraph) -> tuple[float, float]:
    """Density of ties between stakeholders of the same sector, and of ties across sectors."""
    sector = {n: d["sector"] for n, d in G.nodes(data=True) if "sector" in d}
    ties = nx.Graph((u, v) for u, v in G.to_undirected(as_view=True).edges() if u in sector and v in sector)
    within = sum(sector[u] == sector[v] for u, v in ties.edges())
    across = ties.number_of_edges() - within
    sizes = Counter(sector.values())
    pairs = len(sector) * (len(sector) - 1) // 2
    within_pairs = sum(c * (c - 1) // 2 for c in sizes.values())
    return within / within_pairs, across / (pairs - within_pairs)


@pytest.mark.parametrize("n", [MIN_STAKEHOLDERS, 300, 2000])
def test_ties_are_denser_within_sectors_than_across(n: int):
    within, across = _sector_densities(synthesize(n, seed=3))
    assert within > across
    if n >= 300:
        assert within > 5 * across


def test_most_of_a_persons_ties_stay_in_their_sector(network: nx.MultiDiGraph):
    same = total = 0
    for u, v, k in network.edges(keys=True):
        if k in ("communicates_with", "trusts", "partners_with") and network.nodes[u]["kind"] == "person":
            total += 1
            same += network.nodes[v].get("sector") == network.nodes[u]["sector"]
    assert 0.7 <= same / total <= 0.9


def test_trust_is_lower_between_police_and_lived_experience(network: nx.MultiDiGraph):
    def mean_trust(pairs: set) -> float:
        values = [
            d["trust"]
            for u, v, d in network.edges(data=True)
            if {network.nodes[u].get("sector"), network.nodes[v].get("sector")} in pairs
        ]
        return sum(values) / len(values)

    low = mean_trust([{"law_enforcement", "lived_experience"}])
    assert low < mean_trust([{"behavioral_health"}, {"housing"}]) - 0.5


# Command -----------------------------------------------------------------------------------------------


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_help_has_an_example(runner: CliRunner):
    result = runner.invoke(cli, ["synth", "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "--stakeholders" in result.output and "--seed" in result.output


def test_synth_writes_a_valid_dataset(runner: CliRunner, tmp_path: Path):
    out = tmp_path / "synthetic"
    result = runner.invoke(cli, ["synth", "--stakeholders", "120", "--seed", "4", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"{out}: wrote 120 stakeholders and " in result.stderr
    G = read_dataset(out)
    expected = synthesize(120, seed=4)
    assert dict(G.nodes(data=True)) == dict(expected.nodes(data=True))
    assert G.number_of_edges() == expected.number_of_edges()
    assert runner.invoke(cli, ["validate", str(out)]).exit_code == 0


def test_synth_is_reproducible_byte_for_byte(runner: CliRunner, tmp_path: Path):
    for name in ("a", "b"):
        assert runner.invoke(cli, ["synth", "--stakeholders", "80", "--seed", "7", str(tmp_path / name)]).exit_code == 0
    for file in ("stakeholders.csv", "relationships.csv", "program.toml"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_synth_accepts_an_empty_folder(runner: CliRunner, tmp_path: Path):
    out = tmp_path / "empty"
    out.mkdir()
    assert runner.invoke(cli, ["synth", "--stakeholders", "30", str(out)]).exit_code == 0
    assert (out / "stakeholders.csv").is_file()


def test_synth_refuses_a_non_empty_folder(runner: CliRunner, tmp_path: Path):
    out = tmp_path / "taken"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(cli, ["synth", "--stakeholders", "30", str(out)])
    assert result.exit_code == 2
    assert "not empty" in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_synth_refuses_too_few_stakeholders(runner: CliRunner, tmp_path: Path):
    result = runner.invoke(cli, ["synth", "--stakeholders", "5", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert not (tmp_path / "x").exists()


def test_synth_relationships_per_stakeholder(runner: CliRunner, tmp_path: Path):
    out = tmp_path / "dense"
    result = runner.invoke(cli, ["synth", "--stakeholders", "400", "--relationships-per-stakeholder", "6", str(out)])
    assert result.exit_code == 0, result.output
    G = read_dataset(out)
    assert G.number_of_edges() == synthesize(400, relationships_per_stakeholder=6).number_of_edges()
    assert G.number_of_edges() == pytest.approx(2400, rel=0.1)


def test_synth_refuses_relationships_per_stakeholder_out_of_range(runner: CliRunner, tmp_path: Path):
    result = runner.invoke(
        cli, ["synth", "--stakeholders", "400", "--relationships-per-stakeholder", "1", str(tmp_path / "x")]
    )
    assert result.exit_code == 2
    assert "--relationships-per-stakeholder" in result.stderr
    assert not (tmp_path / "x").exists()
