"""Open Referral (HSDS) directories: both real samples, the keyword maps, schedules and merging."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from stakeholder_graph.dataset import read_dataset
from stakeholder_graph.errors import DataError
from stakeholder_graph.formats.hsds import (
    hsds_version,
    merge_directory,
    merge_text,
    needs_from_text,
    normalize_name,
    read_hsds,
    schedule_hours,
    sector_from_text,
)
from stakeholder_graph.sources import detect_format
from tests.conftest import SHARED, write_folder

SAMPLE_11 = SHARED / "hsds" / "hsds-1.1-sample"
SAMPLE_30 = SHARED / "hsds" / "hsds-3.0-examples"


@pytest.fixture
def samples():
    if not (SAMPLE_11.is_dir() and SAMPLE_30.is_dir()):
        pytest.skip("../shared/hsds not present (only in the team's checkouts)")
    return SAMPLE_11, SAMPLE_30


def problems(call) -> list[str]:
    with pytest.raises(DataError) as info:
        call()
    return [str(p) for p in info.value.problems]


def test_hsds_1_1_sample(samples):
    G = read_hsds(SAMPLE_11)
    assert G.graph["hsds_version"] == "1.1" and detect_format(SAMPLE_11) == "hsds"
    kinds = [k for _, k in G.nodes(data="kind")]
    assert kinds.count("organization") == 10 and kinds.count("service") == 10  # 3 inactive services left out
    assert G.number_of_edges() == 10 and {k for _, _, k in G.edges(keys=True)} == {"provides"}
    helpline = G.nodes["svc-never-homeless-helpline"]
    assert helpline["needs"] == ["housing"]
    assert helpline["hours"] == "Mon-Wed 09:00-17:00"  # weekday 1, 2, 3: Monday is 1
    assert helpline["languages"] == ["English", "Spanish"]
    assert helpline["hsds_id"] == "c89eb05c-62dd-4b64-b494-0cc347b6ea7f"
    assert G.has_edge("org-sanctuary-example-city", "svc-never-homeless-helpline", "provides")
    assert G.nodes["org-sanctuary-example-city"]["sector"] == "housing"
    assert G.nodes["org-ap-example-city"]["sector"] == "local_government"  # "part of the Example City Town Hall"
    assert G.nodes["svc-the-city-s-kitchen"]["needs"] == ["food"]
    assert G.nodes["svc-al-anon-family-group"]["needs"] == ["substance_use"]
    assert "<" not in G.nodes["org-example-city-silvers"]["notes"]  # HTML removed
    assert G.graph["program"].team is None
    assert any("3 inactive service(s) left out" in w for w in G.graph["warnings"])


def test_hsds_3_0_sample(samples):
    G = read_hsds(SAMPLE_30)
    assert G.graph["hsds_version"] == "3.0" and detect_format(SAMPLE_30) == "hsds"
    assert dict(G.nodes(data="kind")) == {
        "org-example-organization-inc": "organization",
        "svc-community-counselling": "service",
    }
    service = G.nodes["svc-community-counselling"]
    assert service["needs"] == ["mental_health_crisis"]
    assert service["hours"] == "Thu,Fri 10:00-18:00"  # byday TH,FR; opens 10:00:00, closes 18:00:00
    assert service["languages"] == ["Urdu"]
    assert G.nodes["org-example-organization-inc"]["url"] == "http://example.com"  # 3.0 "website"
    assert any("datapackage.json: is not valid JSON" in w for w in G.graph["warnings"])


def test_taxonomy_terms_come_before_the_text(samples, tmp_path: Path):
    folder = tmp_path / "directory"
    shutil.copytree(SAMPLE_30, folder, symlinks=False)
    (folder / "taxonomy_terms.csv").write_text("id,code,name,description\nt1,BD-1800,Food Pantries,\n")
    (folder / "attributes.csv").write_text(
        "id,link_id,taxonomy_term_id,link_type,link_entity,value\n"
        "a1,ac148810-d857-441c-9679-408f346de14b,t1,,service,\n"
    )
    service = read_hsds(folder).nodes["svc-community-counselling"]
    assert service["needs"] == ["food"] and service["taxonomy"] == "Food Pantries"


def test_keyword_maps():
    assert needs_from_text("Overdose prevention and naloxone kits; housing navigation") == ["overdose", "housing"]
    assert needs_from_text("Business hours bus pass") == ["transportation"]  # "bus", not "business"
    assert needs_from_text("Parent support") == []  # "rent" is a word, not part of "parent"
    assert sector_from_text("Millbrook Police Department") == "law_enforcement"
    assert sector_from_text("St. Jude Church food pantry") == "faith_based"
    assert sector_from_text("A neighborly place") == "community_organization"


def test_schedule_hours():
    assert (
        schedule_hours([({0, 1, 2, 3, 4}, "09:00", "17:00"), ({5}, "10:00", "14:00")])
        == "Mon-Fri 09:00-17:00; Sat 10:00-14:00"
    )
    assert schedule_hours([({3, 4}, "10:00", "18:00")]) == "Thu,Fri 10:00-18:00"
    assert schedule_hours([({0, 2, 4}, "08:00", "12:00")]) == "Mon,Wed,Fri 08:00-12:00"
    assert schedule_hours([(set(range(7)), "00:00", "23:59")]) == "24/7"
    assert schedule_hours([({6}, "20:00", "23:59")]) == "Sun 20:00-24:00"
    assert schedule_hours([]) is None


def test_version_from_file_names(tmp_path: Path):
    (tmp_path / "regular_schedules.csv").write_text("id\n")
    assert hsds_version(tmp_path) == "1.1"
    (tmp_path / "schedules.csv").write_text("id\n")
    assert hsds_version(tmp_path) == "3.0"


def test_broken_directories_report_every_problem(tmp_path: Path):
    folder = tmp_path / "directory"
    folder.mkdir()
    (folder / "datapackage.json").write_text("{}")
    assert problems(lambda: read_hsds(folder)) == [
        f"{folder}/organizations.csv: file not found: an HSDS directory needs organizations.csv and services.csv",
        f"{folder}/services.csv: file not found: an HSDS directory needs organizations.csv and services.csv",
    ]
    (folder / "organizations.csv").write_text("id,title\n1,Harbor\n")
    (folder / "services.csv").write_text("id,name\ns1,Beds\n")
    assert problems(lambda: read_hsds(folder)) == [
        f"{folder}/organizations.csv:1:name: required column is missing from the header",
        f"{folder}/services.csv:1:organization_id: required column is missing from the header",
    ]
    (folder / "organizations.csv").write_text("id,name\n1,Harbor\n1,Harbor Two\n2,\n")
    (folder / "services.csv").write_text("id,name,organization_id\ns1,Beds,9\n")
    assert problems(lambda: read_hsds(folder)) == [
        f"{folder}/organizations.csv:3:id: duplicate id '1' (first on row 2)",
        f"{folder}/organizations.csv:4:name: name is empty: every organization needs one",
        f"{folder}/services.csv:2:organization_id: no organization in organizations.csv has the id '9'",
    ]


def test_normalize_name():
    assert normalize_name("The Harbor House, Inc.") == normalize_name("harbor house") == "harbor house"
    assert normalize_name("St. Mary's Clinic") == "st marys clinic"


BASE = """id,name,kind,sector,needs,hours
team-a,Team A,team,mobile_crisis,,
org-sanctuary,"Sanctuary Example City, Inc.",organization,,,
org-cross-1,Example Cross Trust,organization,faith_based,,
org-cross-2,The Example Cross Trust,organization,housing,,
svc-helpline,Never Homeless Helpline,service,,,
"""
BASE_TIES = """source,target,type,strength,trust
team-a,org-sanctuary,partners_with,3,3
org-sanctuary,svc-helpline,provides,,
"""


def test_merge_directory(samples, tmp_path: Path):
    base = read_dataset(write_folder(tmp_path / "base", BASE, BASE_TIES))
    merged, report = merge_directory(base, read_hsds(SAMPLE_11))
    orgs, services = report["organizations"], report["services"]
    assert [(e["name"], e["id"]) for e in orgs["matched"]] == [("Sanctuary Example City", "org-sanctuary")]
    assert orgs["matched"][0]["filled"] == ["sector", "notes", "email", "url", "hsds_id"]
    assert [(e["name"], e["candidates"]) for e in orgs["ambiguous"]] == [
        ("Example Cross Trust", ["org-cross-1", "org-cross-2"])
    ]
    assert len(orgs["added"]) == 8
    assert [(e["name"], e["id"]) for e in services["matched"]] == [("Never Homeless Helpline", "svc-helpline")]
    assert merged.nodes["svc-helpline"]["hours"] == "Mon-Wed 09:00-17:00"  # filled in
    assert {e["name"] for e in services["ambiguous"]} == {"Meals To-Go at The Cross", "Bubbles at The Cross"}
    assert len(services["added"]) == 7
    assert report["counts"] == {
        "organizations_matched": 1,
        "organizations_added": 8,
        "organizations_ambiguous": 1,
        "services_matched": 1,
        "services_added": 7,
        "services_ambiguous": 2,
    }
    assert base.number_of_nodes() == 5  # the base is not changed
    assert merged.graph["program"] == base.graph["program"]
    text = merge_text(report)
    assert "Organizations: 1 matched, 8 added, 1 ambiguous" in text
    assert "ambiguous  Example Cross Trust (several organizations have this name: org-cross-1, org-cross-2)" in text


def test_cli_merge_report_and_summary(samples, tmp_path: Path):
    from click.testing import CliRunner

    from stakeholder_graph.cli import cli

    runner = CliRunner()
    base = write_folder(tmp_path / "base", BASE, BASE_TIES)
    out = tmp_path / "merged"
    result = runner.invoke(cli, ["merge", str(base), str(SAMPLE_11), str(out)])
    assert result.exit_code == 0, result.output
    assert "Organizations: 1 matched, 8 added, 1 ambiguous" in result.stdout
    assert f"wrote {out}" in result.stderr
    merged = read_dataset(out)
    assert merged.nodes["svc-helpline"]["languages"] == ["English", "Spanish"]
    again = runner.invoke(cli, ["merge", str(base), str(SAMPLE_30), str(out), "--format", "json"])
    assert again.exit_code == 2 and "folder exists and is not empty" in again.stderr
    result = runner.invoke(cli, ["merge", str(base), str(SAMPLE_30), str(tmp_path / "m2"), "--format", "json"])
    assert json.loads(result.stdout)["counts"]["organizations_added"] == 1
    for sample in samples:
        result = runner.invoke(cli, ["report", str(sample), "--format", "json"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert report["summary"]["kinds"]["service"] >= 1 and report["summary"]["team"] is None
        summary = runner.invoke(cli, ["summary", str(sample), "--source-format", "hsds"])
        assert summary.exit_code == 0 and "warning:" in summary.stderr
