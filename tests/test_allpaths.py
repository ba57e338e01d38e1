"""The one-pass betweenness and closeness engine: exact against NetworkX and published values, estimates
within the error bounds they state, and ranks that never order noise."""

from __future__ import annotations

import json
import math
import random
import re

import networkx as nx
import pytest
from click.testing import CliRunner

from stakeholder_graph import allpaths
from stakeholder_graph.allpaths import all_paths, tie_classes
from stakeholder_graph.bridges import bridges
from stakeholder_graph.cli import cli
from stakeholder_graph.dataset import read_dataset, write_dataset
from stakeholder_graph.report import build_report, render
from stakeholder_graph.synth import synthesize


def _graphs():
    florentine = nx.florentine_families_graph()
    karate = nx.karate_club_graph()
    random_graph = nx.gnm_random_graph(400, 700, seed=5)  # several components and isolates
    forest = nx.Graph([(0, 1), (1, 2), (3, 4)])
    forest.add_nodes_from(["alone", 7])
    loops = nx.cycle_graph(6)
    loops.add_edge(2, 2)  # a loop is on no shortest path
    return [florentine, karate, random_graph, forest, loops, nx.path_graph(2), nx.empty_graph(1)]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("G", _graphs(), ids=lambda G: f"{G.number_of_nodes()}n{G.number_of_edges()}e")
def test_exact_equals_networkx(G: nx.Graph, threads: int):
    result = all_paths(G, exact=True, threads=threads)
    assert result.exact and result.sources == G.number_of_nodes() and result.confidence == 1.0
    betweenness = nx.betweenness_centrality(G, normalized=True)
    closeness = nx.closeness_centrality(G)
    for node in G:
        assert result.betweenness[node] == pytest.approx(betweenness[node], abs=1e-12)
        assert result.closeness[node] == pytest.approx(closeness[node], abs=1e-12)
        assert result.betweenness_error[node] == 0.0 == result.closeness_error[node]


@pytest.mark.parametrize("G", _graphs(), ids=lambda G: f"{G.number_of_nodes()}n{G.number_of_edges()}e")
def test_components_are_igraphs(G: nx.Graph):
    # the component labels the estimate samples the giant from: igraph's numbering, networkx's components
    import igraph
    import numpy as np

    nodes, indptr, indices = allpaths._csr(G)
    labels = allpaths._components(len(nodes), indptr, indices)
    tails = np.repeat(np.arange(len(nodes)), np.diff(indptr))
    g = igraph.Graph(n=len(nodes), edges=[(int(a), int(b)) for a, b in zip(tails, indices) if a < b])
    assert labels.tolist() == g.connected_components().membership
    found = {frozenset(nodes[i] for i in np.flatnonzero(labels == c)) for c in set(labels.tolist())}
    assert found == {frozenset(c) for c in nx.connected_components(G)}


def test_published_florentine_values():
    # Padgett's Florentine marriage network: Medici betweenness 47.5 of the 91 pairs of the other 14
    # families (Borgatti, Everett & Johnson, Analyzing Social Networks, 2013; UCINET), i.e. 0.522, and
    # closeness 14 / 25 = 0.560 (Wasserman & Faust 1994, the Medici reach every family in 25 steps in all).
    result = all_paths(nx.florentine_families_graph(), exact=True)
    assert result.betweenness["Medici"] == pytest.approx(47.5 / 91, abs=1e-12)
    assert result.closeness["Medici"] == pytest.approx(14 / 25, abs=1e-12)


def test_default_is_exact_within_the_budget(monkeypatch):
    G = nx.karate_club_graph()
    assert all_paths(G).exact
    monkeypatch.setattr(allpaths, "EXACT_BUDGET", 100.0)  # read when called
    assert not all_paths(G).exact
    assert all_paths(G, exact=True).exact


@pytest.mark.parametrize("seed", range(4))
def test_estimate_within_its_stated_bounds(seed: int):
    """Where exact and estimate both run, every observed error is within the stated bound."""
    G = nx.barabasi_albert_graph(3000, 2, seed=seed)  # hubs that broker, and many who do not
    extra = nx.relabel_nodes(nx.path_graph(5), {i: f"tail{i}" for i in range(5)})  # a small component
    G.add_edges_from(extra.edges())
    exact = all_paths(G, exact=True)
    estimate = all_paths(G, exact=False, budget=1.2e7, seed=seed)
    assert not estimate.exact and estimate.confidence == 0.95
    assert estimate.sources < G.number_of_nodes()
    for node in G:
        assert abs(estimate.betweenness[node] - exact.betweenness[node]) <= estimate.betweenness_error[node]
        assert abs(estimate.closeness[node] - exact.closeness[node]) <= estimate.closeness_error[node]
    for node in extra:  # every source of a small component is traversed: exact there
        assert estimate.betweenness[node] == pytest.approx(exact.betweenness[node], abs=1e-12)
        assert estimate.betweenness_error[node] == 0.0
    # the bound is informative, not vacuous: well below the largest betweenness
    assert estimate.max_betweenness_error < max(exact.betweenness.values()) / 2
    # and the estimate is close where it matters: the top 5 by exact value stay in the estimate's top 10
    top = sorted(G, key=lambda n: -exact.betweenness[n])[:5]
    estimated_top = sorted(G, key=lambda n: -estimate.betweenness[n])[:10]
    assert set(top) <= set(estimated_top)


def test_estimate_is_reproducible_and_seeded():
    G = nx.connected_watts_strogatz_graph(800, 4, 0.2, seed=1)
    a = all_paths(G, exact=False, budget=5e5, seed=3)
    b = all_paths(G, exact=False, budget=5e5, seed=3)
    c = all_paths(G, exact=False, budget=5e5, seed=4)
    assert a.betweenness == b.betweenness and a.betweenness != c.betweenness


@pytest.mark.parametrize("exact", [True, False])
def test_the_same_values_whatever_the_threads(exact: bool):
    """Bit for bit: the sums go in fixed lanes, so a 2-core CI, an 8-core laptop and a map's one-thread
    pass agree (before, the last bits moved with the threads and the estimate's tie classes with them)."""
    G = nx.gnm_random_graph(1500, 4500, seed=1)
    runs = [all_paths(G, exact=exact, budget=1e6, threads=threads) for threads in (1, 2, 3, 8, 64)]
    for other in runs[1:]:
        assert other.betweenness == runs[0].betweenness
        assert other.closeness == runs[0].closeness
        assert other.betweenness_error == runs[0].betweenness_error


def test_tie_classes():
    values = {"a": 0.50, "b": 0.45, "c": 0.30, "d": 0.29, "e": 0.05, "f": 0.0}
    errors = dict.fromkeys(values, 0.03)
    # a's interval [0.47, 0.53] meets b's [0.42, 0.48]; c and d overlap; e and f overlap
    assert tie_classes(values, errors) == {"a": 0.5, "b": 0.5, "c": 0.3, "d": 0.3, "e": 0.05, "f": 0.05}
    # a chain does not merge everything: a class is measured from its first member
    chain = {str(i): 1.0 - i * 0.04 for i in range(6)}
    classes = tie_classes(chain, dict.fromkeys(chain, 0.03))
    assert classes["0"] == classes["1"] and classes["2"] != classes["0"]
    # exact values come back as they are
    assert tie_classes(values, dict.fromkeys(values, 0.0)) == values


def test_bridges_estimate_marks_ranks_it_cannot_separate(tmp_path, monkeypatch):
    folder = tmp_path / "city"
    write_dataset(synthesize(600, seed=2), folder)
    G = read_dataset(folder)
    exact_rows = {row["id"]: row for row in bridges(G, weighted=False, exact=True)}
    rows = bridges(G, weighted=False, exact=False)
    assert all(row["betweenness_error"] is not None for row in rows)
    assert all(row["betweenness_error"] is None and not row["betweenness_tied"] for row in exact_rows.values())
    for row in rows:
        assert abs(row["betweenness"] - exact_rows[row["id"]]["betweenness"]) <= row["betweenness_error"] + 1e-6
    # stakeholders the bounds tie have the same betweenness rank, hence their scores differ only by the
    # other two parts; at least the many stakeholders near zero are tied
    assert sum(row["betweenness_tied"] for row in rows) > len(rows) / 2


def test_report_states_the_estimate(tmp_path, monkeypatch):
    folder = tmp_path / "city"
    write_dataset(synthesize(400, seed=1), folder)
    runner = CliRunner()
    exact = json.loads(runner.invoke(cli, ["report", str(folder), "--format", "json"]).output)
    assert exact["measures"]["method"] == "exact" and exact["measures"]["max_betweenness_error"] == 0
    monkeypatch.setattr(allpaths, "EXACT_BUDGET", 1e5)
    result = runner.invoke(cli, ["report", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    measures = json.loads(result.output)["measures"]
    assert measures["method"] == "estimate" and 0 < measures["max_betweenness_error"] < 1
    assert measures["confidence"] == 0.95 and measures["sources"] < measures["stakeholders"] + 1000
    text = runner.invoke(cli, ["report", str(folder)]).output
    assert (
        "shortest-path searches, each from a stakeholder drawn at random" in " ".join(text.split())
        and "95% confidence" in text
    )
    # --exact overrides the budget
    forced = json.loads(runner.invoke(cli, ["report", str(folder), "--format", "json", "--exact"]).output)
    assert forced["measures"]["method"] == "exact"
    assert forced["brokers"] == exact["brokers"]
    G = read_dataset(folder)
    html = render(build_report(G), "html", G)
    assert "95% confidence" in html


def test_scores_closeness_from_the_same_pass(tmp_path):
    G = nx.gnm_random_graph(60, 90, seed=2)
    rng = random.Random(0)
    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "stakeholders.csv").write_text(
        "id,name,kind,sector\n"
        + "".join(f"s{n},S {n},organization,{rng.choice(['housing', 'faith_based'])}\n" for n in G)
    )
    (folder / "relationships.csv").write_text(
        "source,target,type,strength,trust\n" + "".join(f"s{u},s{v},partners_with,3,3\n" for u, v in G.edges())
    )
    result = CliRunner().invoke(cli, ["scores", str(folder), "--format", "json", "--exact"])
    assert result.exit_code == 0, result.output
    per_node = json.loads(result.output)["stakeholders"]
    closeness = nx.closeness_centrality(G)
    for n in G:
        assert per_node[f"s{n}"]["closeness"] == pytest.approx(closeness[n], abs=1e-6)
        assert per_node[f"s{n}"]["closeness_error"] is None
    assert not math.isnan(sum(row["closeness"] for row in per_node.values()))


def test_map_says_a_betweenness_is_estimated(tmp_path, monkeypatch):
    from stakeholder_graph.maps import build_map

    folder = tmp_path / "city"
    write_dataset(synthesize(300, seed=4), folder)
    assert "(estimated)" not in build_map(read_dataset(folder))
    # a map on its own has a smaller budget than the report: here the report is exact, the map estimated
    monkeypatch.setattr(allpaths, "MAP_BUDGET", 1e4)
    G = read_dataset(folder)
    page = build_map(G)
    assert re.search(r'"betweenness [0-9.]+ ± [0-9.]+ \(estimated\)"', page)
    assert "; rank shared with those the estimate cannot separate)" in page
    assert "Betweenness (brokers) is estimated: each value is within 0." in page
    assert "stakeholder-graph map --exact" in page
    assert build_report(G)["measures"]["method"] == "exact"
    # what was computed since (the report's exact values) answers the next map of the same graph
    assert "(estimated)" not in build_map(G)
    # --exact forces exact values
    out = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["map", str(folder), "-o", str(out), "--exact"])
    assert result.exit_code == 0, result.output
    assert "(estimated)" not in out.read_text() and "is estimated" not in out.read_text()
    result = CliRunner().invoke(cli, ["map", str(folder), "-o", str(out)])
    assert "(estimated)" in out.read_text()


def test_exact_values_once_computed_answer_every_later_question(tmp_path, monkeypatch):
    """`report --exact --format html` on a large network: its maps show the report's exact brokers."""
    folder = tmp_path / "city"
    write_dataset(synthesize(300, seed=5), folder)
    G = read_dataset(folder)
    monkeypatch.setattr(allpaths, "EXACT_BUDGET", 1e4)  # "large": the default would estimate
    exact_rows = bridges(G, weighted=False, exact=True)
    later = bridges(G, weighted=False)  # what the maps ask
    assert later == exact_rows and all(row["betweenness_error"] is None for row in later)
    html = render(build_report(G, exact=True), "html", G)
    assert "(estimated)" not in html and "95% confidence" not in html


def test_one_estimate_per_network(tmp_path, monkeypatch):
    """A large network's map, report or bridges run the estimated all-sources pass once, not once per
    question (``exact=None`` and then the ``exact=False`` it turned out to be)."""
    folder = tmp_path / "city"
    write_dataset(synthesize(300, seed=6), folder)
    G = read_dataset(folder)
    monkeypatch.setattr(allpaths, "EXACT_BUDGET", 1e4)
    calls = []
    real = allpaths.all_paths
    monkeypatch.setattr(allpaths, "all_paths", lambda H, **kw: calls.append(kw) or real(H, **kw))
    rows = bridges(G, weighted=False)
    assert rows[0]["betweenness_error"] is not None  # estimated
    build_report(G)
    assert len(calls) == 1 and calls[0]["exact"] is None
