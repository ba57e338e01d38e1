"""Kumu's import layout: workbooks, CSV pairs and JSON blueprints in, a workbook Kumu imports out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from stakeholder_graph.dataset import read_dataset
from stakeholder_graph.errors import DataError
from stakeholder_graph.formats.kumu import make_id, read_kumu, read_mapping, unique_ids, write_kumu
from stakeholder_graph.sources import detect_format, open_source

ELEMENTS = [
    ["Label", "Type", "Description", "Tags", "Sector", "Favorite Dessert"],
    ["Riverton Crisis Team", "Program", "The responder team", "launch", "Mobile crisis", ""],
    ["Riverton Police", "Organization", "", "", "Police", "donuts"],
    ["St. Mary's Clinic", "Agency", "", "health|clinic", "Behavioral Health", ""],
    ["St Mary S", "Funder", "", "", "Philanthropy", ""],
    ["Eastbank", "Community", "", "", "", ""],
    ["Ana Ruiz", "Person", "", "peer", "lived experience", ""],
    ["Kickoff", "Event", "", "", "", ""],
]
CONNECTIONS = [
    ["From", "To", "Type", "Direction", "Strength"],
    ["Riverton Crisis Team", "Riverton Police|St. Mary's Clinic", "Partnership", "undirected", "3"],
    ["Riverton Crisis Team", "St. Mary's Clinic", "Referral", "mutual", "coordination"],
    ["Ana Ruiz", "Eastbank", "Member", "", ""],
    ["Ana Ruiz", "Kickoff", "Participation", "", "1"],
    ["riverton police", "Ana Ruiz", "Knows well", "", "2.0"],
]


def make_workbook(
    path: Path, elements=ELEMENTS, connections=CONNECTIONS, extra: dict | None = None, names=("Elements", "Connections")
) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in zip(names, (elements, connections)):
        if rows is None:
            continue
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    for name, rows in (extra or {}).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def problems(call) -> list[str]:
    with pytest.raises(DataError) as info:
        call()
    return [str(p) for p in info.value.problems]


def test_make_id_and_unique_ids():
    assert make_id("St. Mary's Clinic") == "st-mary-s-clinic"
    assert make_id("Café Olé", "org-") == "org-cafe-ole"
    assert make_id("!!!") == "x"
    assert unique_ids(["A b", "a-b", "A B", "c"]) == ["a-b", "a-b-2", "a-b-3", "c"]


def test_read_workbook_maps_types_sectors_and_fans_out(tmp_path: Path):
    G = read_kumu(make_workbook(tmp_path / "map.xlsx", extra={"Notes (ignore)": [["anything", "at all"]]}))
    assert set(G) == {
        "riverton-crisis-team",
        "riverton-police",
        "st-mary-s-clinic",
        "st-mary-s",
        "eastbank",
        "ana-ruiz",
        "kickoff",
    }
    team = G.nodes["riverton-crisis-team"]
    assert team == {
        "name": "Riverton Crisis Team",
        "kind": "team",
        "sector": "mobile_crisis",
        "notes": "The responder team",
        "tags": ["launch"],
    }
    assert G.graph["program"].team == "riverton-crisis-team"
    assert G.nodes["riverton-police"]["sector"] == "law_enforcement"
    assert G.nodes["riverton-police"]["favorite dessert"] == "donuts"
    assert G.nodes["st-mary-s-clinic"]["kind"] == "organization"  # "Agency"
    funder = G.nodes["st-mary-s"]
    assert funder["kind"] == "organization" and funder["kumu_type"] == "Funder"
    assert funder["kumu_sector"] == "Philanthropy" and "sector" not in funder
    assert G.nodes["ana-ruiz"]["kind"] == "person" and G.nodes["ana-ruiz"]["sector"] == "lived_experience"
    assert G.nodes["kickoff"]["kind"] == "engagement"
    edges = {(u, v, k): a for u, v, k, a in G.edges(keys=True, data=True)}
    assert edges[("riverton-crisis-team", "riverton-police", "partners_with")]["strength"] == 3
    assert ("riverton-crisis-team", "st-mary-s-clinic", "partners_with") in edges  # To fans out
    assert edges[("riverton-crisis-team", "st-mary-s-clinic", "refers_to")]["strength"] == 3  # "coordination"
    assert edges[("st-mary-s-clinic", "riverton-crisis-team", "refers_to")]["strength"] == 3  # mutual: both ways
    assert edges[("riverton-police", "ana-ruiz", "communicates_with")] == {
        "type": "communicates_with",
        "strength": 2,
        "kumu_type": "Knows well",
    }
    assert len(edges) == 7
    warnings = "\n".join(G.graph["warnings"])
    assert "'Funder' (1)" in warnings and "read as organization" in warnings
    assert "'Knows well' (1)" in warnings and "read as communicates_with" in warnings
    assert "'Philanthropy' (1)" in warnings
    assert "Favorite Dessert" in warnings


def test_duplicate_slugs_are_told_apart_in_order(tmp_path: Path):
    rows = [["Label", "Type"], ["A & B", "Organization"], ["A B", "Organization"], ["a-b", "Organization"]]
    G = read_kumu(make_workbook(tmp_path / "map.xlsx", rows, [["From", "To"], ["A B", "a-b"]]))
    assert [(n, a["name"]) for n, a in G.nodes(data=True)] == [("a-b", "A & B"), ("a-b-2", "A B"), ("a-b-3", "a-b")]
    assert list(G.edges(keys=True)) == [("a-b-2", "a-b-3", "communicates_with")]


def test_id_column_and_tags_give_the_sector(tmp_path: Path):
    elements = [
        ["ID", "Label", "Type", "Tags"],
        ["org-1", "Harbor House", "Organization", "shelter|housing"],
        ["org-2", "Harbor House", "Organization", "Faith"],
        ["svc-1", "Harbor Beds", "Service", ""],
        ["bad id!", "Odd One", "Person", "police"],
    ]
    connections = [
        ["ID", "From", "To", "Type"],
        ["c1", "org-1", "svc-1", "Provides"],
        ["c2", "org-2", "bad id!", "Trust"],
    ]
    G = read_kumu(make_workbook(tmp_path / "map.xlsx", elements, connections))
    assert G.nodes["org-1"]["sector"] == "housing" and G.nodes["org-1"]["tags"] == ["shelter", "housing"]
    assert G.nodes["org-2"]["sector"] == "faith_based"
    assert "sector" not in G.nodes["svc-1"]  # services have no sector
    assert G.nodes["bad-id"]["name"] == "Odd One"  # an ID that is not a valid id is made one
    assert G.has_edge("org-1", "svc-1", "provides") and G.has_edge("org-2", "bad-id", "trusts")
    assert G.edges["org-1", "svc-1", "provides"]["kumu_id"] == "c1"


def test_csv_pair_folder_and_single_file(tmp_path: Path):
    folder = tmp_path / "kumu"
    folder.mkdir()
    (folder / "elements.csv").write_text(
        "Label,Type,Needs,Hours\nCrisis Line,Service,overdose|medical,24/7\nHarbor,Organization,,\n", encoding="utf-8"
    )
    (folder / "connections.csv").write_text("From,To,Type,Trust\nHarbor,Crisis Line,provides,4\n", encoding="utf-8")
    for path in (folder, folder / "elements.csv", folder / "connections.csv"):
        G = read_kumu(path)
        assert G.nodes["crisis-line"]["needs"] == ["overdose", "medical"]
        assert G.nodes["crisis-line"]["hours"] == "24/7"
        assert G.edges["harbor", "crisis-line", "provides"]["trust"] == 4
    assert detect_format(folder) == "kumu" and detect_format(folder / "elements.csv") == "kumu"


def test_csv_problems_are_file_row_column(tmp_path: Path):
    folder = tmp_path / "kumu"
    folder.mkdir()
    (folder / "elements.csv").write_text("Label,Type,Needs\nCrisis Line,Service,sleep\nHarbor,Organization,\n")
    (folder / "connections.csv").write_text("From,To,Type,Strength\nHarbor,Crisis Line,provides,9\nHarbor,Nobody,,\n")
    found = problems(lambda: read_kumu(folder))
    assert len(found) == 3
    assert found[0] == (
        f"{folder}/connections.csv:2:Strength: '9' is not a Strength from 1 to 4: write 1 awareness, "
        "2 cooperation, 3 coordination, 4 integration"
    )
    assert found[1] == f"{folder}/connections.csv:3:To: no element has the label or ID 'Nobody'"
    assert found[2].startswith(f"{folder}/elements.csv:2:Needs: unknown need 'sleep'; use one of")


def test_blueprint_simple_and_backup_layouts(tmp_path: Path):
    simple = {
        "elements": [
            {"label": "A", "type": "Organization", "tags": ["police"], "Favorite": 3},
            {"label": "B", "type": "Person", "description": "a person"},
        ],
        "connections": [{"from": "B", "to": "A", "type": "member", "strength": 2}],
    }
    path = tmp_path / "map.json"
    path.write_text(json.dumps(simple))
    G = read_kumu(path)
    assert G.nodes["a"] == {
        "name": "A",
        "kind": "organization",
        "sector": "law_enforcement",
        "tags": ["police"],
        "favorite": "3",
    }
    assert G.edges["b", "a", "member_of"]["strength"] == 2
    assert detect_format(path) == "kumu"
    backup = {
        "elements": [
            {"_id": "elem-1", "attributes": {"label": "A", "element type": "Organization"}},
            {"_id": "elem-2", "attributes": {"label": "B", "element type": "Organization"}},
        ],
        "connections": [
            {
                "_id": "conn-1",
                "from": "elem-1",
                "to": "elem-2",
                "direction": "undirected",
                "attributes": {"connection type": "Partnership"},
            }
        ],
    }
    path.write_text(json.dumps(backup))
    G = read_kumu(path)
    assert set(G) == {"elem-1", "elem-2"} and G.has_edge("elem-1", "elem-2", "partners_with")


def test_blueprint_problems_name_the_item(tmp_path: Path):
    path = tmp_path / "map.json"
    path.write_text(
        json.dumps(
            {
                "elements": [{"label": "A"}, {"type": "Person"}],
                "connections": [{"from": "A", "to": "Z"}, {"from": "A", "to": "A", "strength": "max"}],
            }
        )
    )
    found = problems(lambda: read_kumu(path))
    assert f"{path}:elements[1].label: Label is empty: every element needs one" in found
    assert f"{path}:connections[0].to: no element has the label or ID 'Z'" in found
    assert any(p.startswith(f"{path}:connections[1].strength: 'max' is not a strength") for p in found)
    path.write_text("{not json")
    assert problems(lambda: read_kumu(path))[0].startswith(f"{path}: is not valid JSON")


def test_mapping_file_overrides_the_defaults(tmp_path: Path):
    elements = [
        ["Label", "Type", "Dept", "Languages spoken"],
        ["Harbor", "Coalition", "Sheriff's Office", ""],
        ["Line", "Service", "", "English|Somali"],
    ]
    connections = [["From", "To", "Type"], ["Harbor", "Line", "Runs the line"]]
    workbook = make_workbook(tmp_path / "map.xlsx", elements, connections)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        'default_connection_type = "partners_with"\n[kinds]\nCoalition = "organization"\n'
        '[sectors]\n"Sheriff\'s Office" = "law_enforcement"\n[connection_types]\n"runs the line" = "provides"\n'
        '[fields]\nDept = "sector"\n"Languages spoken" = "languages"\n'
    )
    G = read_kumu(workbook, mapping)
    assert G.nodes["harbor"] == {"name": "Harbor", "kind": "organization", "sector": "law_enforcement"}
    assert G.nodes["line"]["languages"] == ["English", "Somali"]
    assert G.has_edge("harbor", "line", "provides")
    assert G.graph["warnings"] == []
    mapping.write_text('[kinds]\nCoalition = "coalition"\n[colours]\nx = "y"\n')
    found = problems(lambda: read_mapping(mapping))
    assert len(found) == 2 and "'Coalition' = 'coalition': use one of person" in found[0]


def test_bad_workbooks_report_sheet_and_cell_all_at_once(tmp_path: Path):
    elements = [["Name", "Type"], ["A", "Organization"]]
    found = problems(lambda: read_kumu(make_workbook(tmp_path / "a.xlsx", elements)))
    assert found == [
        f"{tmp_path}/a.xlsx[Elements]:A1: Kumu's elements sheet needs Label in A1 (or ID in A1 and "
        "Label in B1); found 'Name'"
    ]
    connections = [
        ["From", "To", "Type", "Direction", "Strength"],
        ["Riverton Police", "Ana Ruiz", "Trust", "", "3"],
        ["Riverton Police", "Nobody", "Trust", "", "3"],
        ["Riverton Police", "Ana Ruiz", "Referral", "sideways", "very strong"],
    ]
    found = problems(lambda: read_kumu(make_workbook(tmp_path / "b.xlsx", connections=connections)))
    assert found == [
        f"{tmp_path}/b.xlsx[Connections]:B3: no element has the label or ID 'Nobody'",
        f"{tmp_path}/b.xlsx[Connections]:D4: 'sideways' is not a direction: write directed, undirected or mutual",
        f"{tmp_path}/b.xlsx[Connections]:E4: 'very strong' is not a Strength from 1 to 4: write 1 awareness, "
        "2 cooperation, 3 coordination, 4 integration",
    ]


def test_endpoint_kinds_are_checked_in_the_right_cell(tmp_path: Path):
    connections = [["From", "To", "Type"], ["Kickoff", "Ana Ruiz", "Member"]]
    found = problems(lambda: read_kumu(make_workbook(tmp_path / "map.xlsx", connections=connections)))
    assert found == [
        f"{tmp_path}/map.xlsx[Connections]:A2: member_of cannot start from a engagement (kickoff); "
        "it starts from organization, person"
    ]


def test_missing_sheet_xls_and_encrypted_workbooks_say_what_to_do(tmp_path: Path):
    found = problems(lambda: read_kumu(make_workbook(tmp_path / "one.xlsx", connections=None)))
    assert found == [
        f"{tmp_path}/one.xlsx: has no Connections sheet: add a sheet named Connections with From in A1 "
        "and To in B1 (or ID, From, To) and one connection per row"
    ]
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert "save it as .xlsx" in problems(lambda: read_kumu(old))[0]
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    message = problems(lambda: read_kumu(locked))[0]
    assert message.startswith(f"{locked}: is password-protected (encrypted): open it in Excel, remove the password")
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    assert "is not an Excel workbook (.xlsx)" in problems(lambda: read_kumu(junk))[0]
    assert detect_format(old) == "kumu"  # so the reader can say what to do


def test_duplicate_labels_without_ids_are_a_problem(tmp_path: Path):
    rows = [["Label", "Type"], ["Harbor", "Organization"], ["harbor", "Organization"]]
    found = problems(lambda: read_kumu(make_workbook(tmp_path / "m.xlsx", rows, [["From", "To"]])))
    assert found == [
        f"{tmp_path}/m.xlsx[Elements]:A3: duplicate label 'harbor' (first on row 2): Kumu merges "
        "elements with the same label; add an ID column to keep them apart"
    ]


def _same(G, H):
    assert dict(G.nodes(data=True)) == dict(H.nodes(data=True))
    assert {(u, v, k): a for u, v, k, a in G.edges(keys=True, data=True)} == {
        (u, v, k): a for u, v, k, a in H.edges(keys=True, data=True)
    }
    assert G.graph["program"] == H.graph["program"]


def test_write_kumu_round_trip_is_exact(tmp_path: Path, minimal: Path):
    (minimal / "program.toml").write_text('name = "Test city"\nas_of = "2026-06-01"\n')
    G = read_dataset(minimal)
    G.nodes["org-1"]["email_consent"] = "yes"
    G.nodes["org-1"]["notes"] = "=not a formula"
    G.edges["team-a", "org-1", "partners_with"].update(reliability=3, mission=4, openness=2, kumu_type="MOU")
    path = write_kumu(G, tmp_path / "out" / "map.xlsx")
    H = read_kumu(path)
    _same(G, H)
    assert H.graph["name"] == "Test city"
    book = load_workbook(path)
    assert book.sheetnames == ["Elements", "Connections", "Program (ignore)"]
    elements, connections = book["Elements"], book["Connections"]
    assert [c.value for c in elements[1]][:6] == ["ID", "Label", "Type", "Sector", "Description", "Tags"]
    assert [c.value for c in connections[1]][:4] == ["From", "To", "Type", "Direction"]
    assert elements["C2"].value == "Team" and connections["C2"].value == "Partnership"
    assert connections["D2"].value == "undirected"


def test_riverton_round_trips_through_kumu(tmp_path: Path):
    folder = Path(__file__).resolve().parent.parent / "data" / "riverton"
    if not folder.is_dir():
        pytest.skip("data/riverton not present")
    G = read_dataset(folder)
    H = open_source(write_kumu(G, tmp_path / "riverton.xlsx"))
    _same(G, H)


def test_cli_reads_kumu_sources(tmp_path: Path):
    from click.testing import CliRunner

    from stakeholder_graph.cli import cli

    runner = CliRunner()
    workbook = make_workbook(tmp_path / "map.xlsx")
    result = runner.invoke(cli, ["report", str(workbook), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["stakeholders"] == 7 and report["summary"]["team"] == "riverton-crisis-team"
    assert "warning: unmapped Kumu element types" in result.stderr
    blueprint = tmp_path / "map.json"
    blueprint.write_text(
        json.dumps(
            {
                "elements": [{"label": "A", "type": "Team"}, {"label": "B"}],
                "connections": [{"from": "A", "to": "B", "type": "Partnership"}],
            }
        )
    )
    result = runner.invoke(cli, ["report", str(blueprint), "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["summary"]["relationships"] == 1
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[kinds]\nFunder = "organization"\n')
    result = runner.invoke(cli, ["validate", str(workbook), "--mapping", str(mapping), "--source-format", "kumu"])
    assert result.exit_code == 0 and "'Funder'" not in result.stderr
    result = runner.invoke(cli, ["summary", str(tmp_path), "--mapping", str(mapping)])
    assert (
        result.exit_code == 2 and "--mapping: applies to other tools' formats, not to a folder source" in result.stderr
    )
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    result = runner.invoke(cli, ["summary", str(locked)])
    assert result.exit_code == 2 and "password-protected" in result.stderr and "Traceback" not in result.output
