"""Graph files other tools wrote (Gephi's GEXF, yEd's GraphML, D3's JSON): any attributes, a mapping, defaults."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from stakeholder_graph.errors import DataError
from stakeholder_graph.formats.gexf import read_gexf
from stakeholder_graph.formats.graphml import read_graphml
from stakeholder_graph.formats.mapping import read_mapping
from stakeholder_graph.formats.nodelink import read_node_link
from stakeholder_graph.sources import open_source


def gephi_file(tmp_path: Path) -> Path:
    G = nx.Graph()  # Gephi writes undirected graphs by default
    G.add_node(
        "0",
        label="Riverton PD",
        Category="Police",
        Degree=2,
        viz={"size": 10.0, "position": {"x": 1.0, "y": 2.0, "z": 0.0}},
    )
    G.add_node("1", label="Harbor House", Category="Shelter", Degree=1)
    G.add_node("2", label="Ana Ruiz", Category="Person", Degree=1)
    G.add_edge("0", "1", weight=3.0, label="Partnership")
    G.add_edge("0", "2", weight=1.0)
    path = tmp_path / "gephi.gexf"
    nx.write_gexf(G, path)
    return path


def test_gephi_file_without_a_mapping_gets_defaults_and_a_warning(tmp_path: Path):
    G = read_gexf(gephi_file(tmp_path))
    assert {n: a["kind"] for n, a in G.nodes(data=True)} == {
        "0": "organization",
        "1": "organization",
        "2": "organization",
    }
    assert G.nodes["0"]["name"] == "Riverton PD" and G.nodes["0"]["Category"] == "Police"
    assert "viz" not in G.nodes["0"]
    assert G.has_edge("0", "1", "partners_with")  # the edge label is a type we know
    assert G.has_edge("0", "2", "communicates_with") and G.edges["0", "2", "communicates_with"]["weight"] == "1.0"
    warnings = "\n".join(G.graph["warnings"])
    assert "3 node(s) have no kind we know and were read as organization" in warnings
    assert "1 edge(s) have no relationship type we know and were read as communicates_with" in warnings
    assert "'Category' looks like a sector" in warnings or "'Category' looks like one" in warnings
    assert "layout and style attributes (position, size, colour) were not kept" in warnings


def test_a_mapping_says_which_attribute_is_kind_sector_type_strength(tmp_path: Path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[fields]\n"Category" = "sector"\n"weight" = "strength"\n"role" = "kind"\n[sectors]\n"Shelter" = "housing"\n'
    )
    path = gephi_file(tmp_path)
    G = read_gexf(path, mapping=read_mapping(mapping))
    assert G.nodes["0"]["sector"] == "law_enforcement"  # "Police": a default sector alias
    assert G.nodes["1"]["sector"] == "housing"
    assert G.nodes["2"]["source_sector"] == "Person"  # not a sector: kept, said
    assert G.edges["0", "1", "partners_with"]["strength"] == 3
    H = open_source(path, mapping=str(mapping))  # the CLI's way: a path
    assert H.nodes["1"]["sector"] == "housing"


def test_yed_graphml_labels_become_names(tmp_path: Path):
    path = tmp_path / "yed.graphml"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
  <key for="node" id="d6" yfiles.type="nodegraphics"/>
  <key attr.name="description" attr.type="string" for="node" id="d5"/>
  <key attr.name="type" attr.type="string" for="node" id="d7"/>
  <graph edgedefault="directed" id="G">
    <node id="n0"><data key="d5">City shelter</data><data key="d7">Agency</data>
      <data key="d6"><y:ShapeNode><y:Geometry height="30" width="30" x="0" y="0"/><y:NodeLabel>Harbor House</y:NodeLabel></y:ShapeNode></data></node>
    <node id="n1"><data key="d7">Person</data>
      <data key="d6"><y:ShapeNode><y:NodeLabel>Ana Ruiz</y:NodeLabel></y:ShapeNode></data></node>
    <edge id="e0" source="n1" target="n0"/>
  </graph>
</graphml>
"""
    )
    G = read_graphml(path)
    assert G.nodes["n0"]["name"] == "Harbor House" and G.nodes["n1"]["name"] == "Ana Ruiz"
    assert G.nodes["n1"]["kind"] == "organization" and G.nodes["n1"]["type"] == "Person"
    assert any('\'type\' looks like one: map it with [fields] "type" = "kind"' in w for w in G.graph["warnings"])
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[fields]\n"type" = "kind"\n')
    G = read_graphml(path, mapping=read_mapping(mapping))
    assert G.nodes["n1"]["kind"] == "person" and G.nodes["n0"]["kind"] == "organization"  # Agency: an alias


def d3_file(tmp_path: Path) -> Path:
    path = tmp_path / "miserables.json"
    path.write_text(
        json.dumps(
            {
                "nodes": [
                    {"id": "Myriel", "group": 1},
                    {"id": "Mme. Magloire", "group": 1},
                    {"id": "Napoleon", "group": 2},
                ],
                "links": [
                    {"source": 0, "target": 1, "value": 2},  # D3 force layouts name nodes by index
                    {"source": "Myriel", "target": "Napoleon", "value": 8},
                    {"source": "Napoleon", "target": "Napoleon", "value": 1},
                ],
            }
        )
    )
    return path


def test_d3_json_with_indexes_invalid_ids_and_values_out_of_range(tmp_path: Path):
    path = d3_file(tmp_path)
    G = read_node_link(path)
    assert G.has_edge("Myriel", "mme-magloire", "communicates_with")
    assert G.nodes["mme-magloire"]["name"] == "Mme. Magloire"
    warnings = "\n".join(G.graph["warnings"])
    assert "1 node id(s) were not valid stakeholder ids and were remade from them" in warnings
    assert "0 parallel edge(s) of the same type merged, 1 edge(s) from a node to itself left out" in warnings
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[fields]\n"value" = "strength"\n')
    G = read_node_link(path, mapping=read_mapping(mapping))
    assert G.edges["Myriel", "mme-magloire", "communicates_with"]["strength"] == 2
    assert G.edges["Myriel", "Napoleon", "communicates_with"]["source_strength"] == "8"  # not 1-4: kept, said
    assert any("kept under source_<column>: strength (1)" in w for w in G.graph["warnings"])
    with pytest.raises(DataError, match=r"miserables.json\[edge Myriel -> Napoleon\]: strength"):
        read_node_link(path, mapping=read_mapping(mapping), strict=True)
