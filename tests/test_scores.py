"""Network scores against values worked by hand and against NetworkX."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakeholder_graph import read_dataset
from stakeholder_graph._ties import tie_graph
from stakeholder_graph.scores import (
    degree_centralization,
    network_scores,
    node_scores,
    relationship_ratings,
    relationship_trust,
    relationship_value,
)
from tests.conftest import write_folder


def _star(tmp_path: Path, leaves: int = 4) -> Path:
    people = "".join(f"p-{i},P{i},person,other\n" for i in range(leaves))
    ties = "".join(f"hub,p-{i},partners_with,{1 + i % 4},{4 - i % 4}\n" for i in range(leaves))
    return write_folder(
        tmp_path / "star",
        "id,name,kind,sector\nhub,Hub,organization,other\n" + people,
        "source,target,type,strength,trust\n" + ties,
    )


def test_star_is_perfectly_centralized(tmp_path: Path):
    # Freeman: a star is the most centralized graph (1.0); a cycle the least (0.0).
    scores = network_scores(read_dataset(_star(tmp_path)))
    assert scores["degree_centralization"] == 1.0
    assert scores["density"] == pytest.approx(4 / 10, abs=1e-6)
    assert scores["average_degree"] == 1.6
    assert degree_centralization(nx.cycle_graph(6)) == 0.0


def test_partner_trust_and_value(tmp_path: Path):
    # trusts 4, 3, 2, 1 and strengths 1, 2, 3, 4: both means are 2.5, 62.5% of the maximum
    scores = network_scores(read_dataset(_star(tmp_path)))
    assert scores["trust"] == {"mean": 2.5, "percent": 62.5, "rated": 4}
    assert scores["value"] == {"mean": 2.5, "percent": 62.5, "rated": 4}
    per_node = node_scores(read_dataset(_star(tmp_path)))
    assert per_node["hub"]["trust_score"] == 2.5  # undirected ties count both ways
    assert per_node["p-0"]["trust_score"] == 4.0 and per_node["p-3"]["value_score"] == 4.0


def test_reciprocity(tmp_path: Path):
    folder = write_folder(
        tmp_path / "rec",
        "id,name,kind,sector\na,A,person,other\nb,B,person,other\nc,C,person,other\n",
        "source,target,type,strength,trust\na,b,trusts,2,3\nb,a,trusts,2,3\na,c,refers_to,2,2\n",
    )
    # three directed ties, two of them returned: 2/3
    assert network_scores(read_dataset(folder))["reciprocity"] == pytest.approx(2 / 3, abs=1e-6)


def test_node_scores_match_networkx(tmp_path: Path):
    G = nx.gnm_random_graph(40, 70, seed=3)
    G.add_nodes_from([40, 41])  # isolates: closeness must handle disconnected graphs as NetworkX does
    rows = "".join(f"n{i},N{i},person,other\n" for i in G)
    ties = "".join(f"n{u},n{v},communicates_with,2,2\n" for u, v in G.edges())
    data = read_dataset(
        write_folder(tmp_path / "rnd", "id,name,kind,sector\n" + rows, "source,target,type,strength,trust\n" + ties)
    )
    ours = node_scores(data)
    H = tie_graph(data)
    closeness = nx.closeness_centrality(H)
    for node in H:
        assert ours[node]["closeness"] == pytest.approx(closeness[node], abs=1e-6)
        assert ours[node]["degree"] == H.degree(node)
    largest = H.subgraph(max(nx.connected_components(H), key=len))
    eigen = nx.eigenvector_centrality(largest, max_iter=1000, tol=1e-10)
    top = max(eigen.values())
    for node in largest:
        assert ours[node]["eigenvector"] == pytest.approx(eigen[node] / top, abs=1e-3)


def test_scores_command(tmp_path: Path):
    import json

    from click.testing import CliRunner

    from stakeholder_graph.cli import cli

    folder = _star(tmp_path)
    runner = CliRunner()
    data = json.loads(runner.invoke(cli, ["scores", str(folder), "--format", "json"]).stdout)
    assert data["network"]["degree_centralization"] == 1.0 and data["stakeholders"]["hub"]["degree"] == 4
    text = runner.invoke(cli, ["scores", str(folder), "--top", "2"])
    assert text.exit_code == 0 and "Top 2 stakeholders by degree" in text.stdout
    assert text.stdout.splitlines()[-2].lstrip().startswith("Hub")
    assert "Example" in runner.invoke(cli, ["scores", "--help"]).stdout


@pytest.mark.parametrize("seed", range(5))
def test_reciprocity_equals_networkx(seed: int):
    from stakeholder_graph.scores import _reciprocity

    D = nx.gnm_random_graph(30, 40 + 30 * seed, seed=seed, directed=True)
    D.add_edges_from([(1, 1), (2, 3), (3, 2)])
    assert _reciprocity(set(D.edges())) == nx.reciprocity(D)


_RATING = st.one_of(st.none(), st.just(""), st.integers(0, 4), st.sampled_from(["1", "3", "4"]))


@given(
    st.dictionaries(
        st.sampled_from(
            ["trust", "strength", "reliability", "mission", "openness", "power", "involvement", "resources", "notes"]
        ),
        _RATING,
    )
)
def test_ratings_at_once_are_trust_and_value(attrs):
    # the map's one call per relationship: the same as the two it stands for, rated by a survey or not
    assert relationship_ratings(attrs) == (relationship_trust(attrs), relationship_value(attrs))
