"""Exports for other tools (GEXF, GraphML, node-link JSON, Kumu, folder) and reading them back."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from stakeholder_graph.dataset import read_dataset
from stakeholder_graph.errors import DataError
from stakeholder_graph.export import EXPORT_FORMATS, export, guess_format
from stakeholder_graph.formats import read_export
from stakeholder_graph.formats.survey import read_survey
from stakeholder_graph.sources import detect_format, open_source

SURVEY = Path(__file__).resolve().parent.parent / "data" / "partner-survey.csv"


@pytest.fixture
def rich(minimal: Path) -> nx.MultiDiGraph:
    """The minimal dataset with every kind of attribute: lists, booleans, floats, dates, extras, ratings."""
    (minimal / "program.toml").write_text('name = "Test city"\nas_of = "2026-06-01"\nexpected_needs = ["overdose"]\n')
    G = read_dataset(minimal)
    G.nodes["svc-1"]["languages"] = ["English", "Somali"]
    G.nodes["org-1"]["email_consent"] = "yes"
    G.nodes["org-1"]["tags"] = ["hub", "county"]
    G.edges["team-a", "org-1", "partners_with"].update(reliability=3, mission=4, openness=2, notes="MOU, 2025")
    G.graph["survey"] = {"invited": 3, "responded": 2, "response_rate": 0.6667, "non_respondents": ["p-2"]}
    return G


def same(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> None:
    assert dict(G.nodes(data=True)) == dict(H.nodes(data=True))
    assert {(u, v, k): a for u, v, k, a in G.edges(keys=True, data=True)} == {
        (u, v, k): a for u, v, k, a in H.edges(keys=True, data=True)
    }
    assert G.graph["program"] == H.graph["program"]
    assert G.graph.get("survey") == H.graph.get("survey")


@pytest.mark.parametrize("name", ["net.gexf", "net.graphml", "net.json", "net.xlsx", "net-folder"])
def test_round_trip_through_open_source_is_identical(rich: nx.MultiDiGraph, tmp_path: Path, name: str):
    path = export(rich, tmp_path / name)
    assert detect_format(path) == {"gexf": "gexf", "graphml": "graphml", "json": "json", "xlsx": "kumu"}.get(
        name.rsplit(".", 1)[-1], "folder"
    )
    H = open_source(path)
    if name == "net-folder":  # the folder format keeps ratings as text and has no place for survey data
        for _, _, attrs in H.edges(data=True):
            attrs.update({k: int(v) for k, v in attrs.items() if k in ("reliability", "mission", "openness")})
        H.graph["survey"] = rich.graph["survey"]
    same(rich, H)


def test_survey_round_trips(tmp_path: Path):
    G = read_survey(SURVEY)
    for name in ("s.gexf", "s.graphml", "s.json", "s.xlsx"):
        same(G, open_source(export(G, tmp_path / name)))


def _nx_attrs(G: nx.MultiDiGraph, node: str) -> dict:
    return {k: "|".join(v) if isinstance(v, list) else v for k, v in G.nodes[node].items()}


def test_networkx_reads_graphml_and_gexf_with_every_attribute(rich: nx.MultiDiGraph, tmp_path: Path):
    X = nx.read_graphml(export(rich, tmp_path / "net.graphml"), force_multigraph=True)
    assert X.number_of_nodes() == rich.number_of_nodes() and X.number_of_edges() == rich.number_of_edges()
    for node in rich:
        assert X.nodes[node] == _nx_attrs(rich, node)
    assert sorted((u, v, a["type"], a.get("strength")) for u, v, a in X.edges(data=True)) == sorted(
        (u, v, k, a.get("strength")) for u, v, k, a in rich.edges(keys=True, data=True)
    )
    assert json.loads(X.graph["program"])["name"] == "Test city"
    Y = nx.read_gexf(export(rich, tmp_path / "net.gexf"))
    assert Y.number_of_nodes() == rich.number_of_nodes() and Y.number_of_edges() == rich.number_of_edges()
    for node in rich:
        assert {k: v for k, v in Y.nodes[node].items() if k != "label"} == _nx_attrs(rich, node)
        assert Y.nodes[node]["label"] == rich.nodes[node]["name"]  # Gephi shows the name
    assert sorted((u, v, a["relationship"]) for u, v, a in Y.edges(data=True)) == sorted(rich.edges(keys=True))


def test_gexf_is_valid_for_gephi(rich: nx.MultiDiGraph, tmp_path: Path):
    root = ET.parse(export(rich, tmp_path / "net.gexf")).getroot()
    ns = {"g": root.tag[1:].split("}")[0]}
    assert root.tag.endswith("gexf") and root.get("version") == "1.2"
    graph = root.find("g:graph", ns)
    assert graph.get("defaultedgetype") == "directed"
    nodes, edges = graph.findall("g:nodes/g:node", ns), graph.findall("g:edges/g:edge", ns)
    assert len(nodes) == rich.number_of_nodes() and len(edges) == rich.number_of_edges()
    assert len({e.get("id") for e in edges}) == len(edges)  # edge ids are unique
    assert all(e.get("type") in (None, "directed", "undirected", "mutual") for e in edges)  # GEXF's own meaning
    titles = {a.get("title") for a in graph.findall("g:attributes/g:attribute", ns)}
    assert {"kind", "sector", "needs", "relationship", "strength", "trust", "reliability"} <= titles
    weights = {e.get("weight") for e in edges if e.get("weight")}
    assert weights <= {"1.0", "2.0", "3.0", "4.0"}
    description = root.find("g:meta/g:description", ns).text
    assert json.loads(description)["stakeholder_graph"]["program"]["name"] == "Test city"


def test_igraph_reads_graphml_identically(rich: nx.MultiDiGraph, tmp_path: Path):
    igraph = pytest.importorskip("igraph")
    g = igraph.Graph.Read_GraphML(str(export(rich, tmp_path / "net.graphml")))
    assert g.is_directed()
    assert g.vcount() == rich.number_of_nodes() and g.ecount() == rich.number_of_edges()
    for vertex in g.vs:
        expected = _nx_attrs(rich, vertex["id"])
        found = {
            k: v
            for k, v in vertex.attributes().items()
            if k != "id" and v not in ("", None) and not (isinstance(v, float) and math.isnan(v))
        }
        found = {k: v for k, v in found.items() if not (v is False and k not in expected)}  # igraph fills gaps
        assert found == expected
    ig_edges = sorted(
        (
            g.vs[e.source]["id"],
            g.vs[e.target]["id"],
            e["type"],
            None if math.isnan(e["strength"]) else int(e["strength"]),
        )
        for e in g.es
    )
    assert ig_edges == sorted((u, v, k, a.get("strength")) for u, v, k, a in rich.edges(keys=True, data=True))
    assert json.loads(g["program"])["as_of"] == "2026-06-01"


def test_guess_format():
    assert [guess_format(p) for p in ("a.GEXF", "a.graphml", "a.json", "a.xlsx", "out/folder")] == [
        "gexf",
        "graphml",
        "json",
        "kumu",
        "folder",
    ]
    with pytest.raises(DataError, match="cannot tell the format from the extension '.png'"):
        guess_format("a.png")
    assert EXPORT_FORMATS == ("folder", "kumu", "gexf", "graphml", "json")


def test_foreign_and_broken_files_are_reported(tmp_path: Path):
    G = nx.DiGraph()
    G.add_node("a", label="Alpha", kind="organization")
    G.add_node("b", label="Beta", kind="agency")  # an alias of organization
    G.add_node("c", kind="robot")
    G.add_edge("a", "b", type="partners_with")
    G.add_edge("b", "a", type="likes")
    path = tmp_path / "gephi.graphml"
    nx.write_graphml(G, path)
    H = read_export(path)  # another tool's file: read with the default mapping, and told what was assumed
    assert dict(H.nodes(data="kind")) == {"a": "organization", "b": "organization", "c": "organization"}
    assert H.nodes["c"]["name"] == "c" and H.nodes["c"]["source_kind"] == "robot"
    assert H.has_edge("a", "b", "partners_with") and H.edges["b", "a", "communicates_with"]["source_type"] == "likes"
    assert any("1 node(s) have no kind we know and were read as organization" in w for w in H.graph["warnings"])
    assert any("1 edge(s) have no relationship type we know" in w for w in H.graph["warnings"])
    bad = tmp_path / "bad.gexf"
    bad.write_text("<gexf><graph>")
    with pytest.raises(DataError, match="cannot be read"):
        read_export(bad)
    node_link = tmp_path / "x.json"
    node_link.write_text(json.dumps({"nodes": [{"name": "no id"}], "links": []}))
    with pytest.raises(DataError, match=r"x.json:nodes\[0\]: must be an object with an id"):
        read_export(node_link)


def test_gephi_gexf_uses_label_as_name(tmp_path: Path):
    G = nx.DiGraph()
    G.add_node("n1", label="Harbor House", kind="organization", sector="housing")
    G.add_node("n2", label="Beds", kind="service", needs="housing|medical")
    G.add_edge("n1", "n2", relationship="provides", weight=1.0)
    path = tmp_path / "gephi.gexf"
    nx.write_gexf(G, path)
    H = open_source(path)
    assert H.nodes["n1"] == {"name": "Harbor House", "kind": "organization", "sector": "housing"}
    assert H.nodes["n2"]["needs"] == ["housing", "medical"]
    assert H.has_edge("n1", "n2", "provides")


def test_cli_export(minimal: Path, tmp_path: Path):
    from click.testing import CliRunner

    from stakeholder_graph.cli import cli

    runner = CliRunner()
    for name, fmt in (("net.gexf", "gexf"), ("net.graphml", "graphml"), ("net.json", "json"), ("map.xlsx", "kumu")):
        result = runner.invoke(cli, ["export", str(minimal), str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert f"({fmt}: 8 stakeholders, 8 relationships)" in result.stderr and result.stdout == ""
        report = runner.invoke(cli, ["report", str(tmp_path / name), "--format", "json"])
        assert report.exit_code == 0 and json.loads(report.stdout)["summary"]["relationships"] == 8
    result = runner.invoke(cli, ["export", str(tmp_path / "map.xlsx"), str(tmp_path / "back")])
    assert result.exit_code == 0 and read_dataset(tmp_path / "back").number_of_nodes() == 8
    result = runner.invoke(cli, ["export", str(minimal), str(tmp_path / "back")])
    assert result.exit_code == 2 and "folder exists and is not empty" in result.stderr
    result = runner.invoke(cli, ["export", str(minimal), str(tmp_path / "odd.name"), "--format", "graphml"])
    assert result.exit_code == 0 and open_source(tmp_path / "odd.name", "graphml").number_of_nodes() == 8
    result = runner.invoke(cli, ["export", str(minimal), str(tmp_path / "x.png")])
    assert result.exit_code == 2 and "name it with --format" in result.stderr
