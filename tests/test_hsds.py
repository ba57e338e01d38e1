"""Open Referral (HSDS) directories as published: both Open Referral samples, the Riverlands 211 fixture
(a zip with tables under data/, dangling references, 12-hour times, taxonomy codes, keyword traps),
schedules and recurrence rules, sectors from evidence, leniency and --strict, merging."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from stakeholder_graph.dataset import read_dataset
from stakeholder_graph.errors import DataError
from stakeholder_graph.formats.hsds import (
    hsds_version,
    match_term,
    merge_directory,
    merge_text,
    normalize_name,
    parse_time,
    read_hsds,
    schedule_hours,
)
from stakeholder_graph.formats.hsds.sectors import (
    infer_sector,
    needs_from_text,
    sector_from_description,
    sector_from_name,
    taxonomy_table,
)
from stakeholder_graph.formats.mapping import DEFAULT_MAPPING, read_mapping
from stakeholder_graph.sources import detect_format
from stakeholder_graph.vocab import NEEDS, SECTORS
from tests.conftest import FIXTURES, write_folder

HSDS = FIXTURES / "hsds"
SAMPLE_11 = HSDS / "hsds-1.1-sample"
SAMPLE_30 = HSDS / "hsds-3.0-examples"
RIVERLANDS = HSDS / "riverlands-211"
RIVERLANDS_ZIP = HSDS / "riverlands-211.zip"
TODAY = dt.date(2026, 3, 4)  # a Wednesday


def problems(call) -> list[str]:
    with pytest.raises(DataError) as info:
        call()
    return [str(p) for p in info.value.problems]


@pytest.fixture(scope="module")
def riverlands():
    return read_hsds(RIVERLANDS_ZIP, today=TODAY)


def by_name(G) -> dict[str, dict]:
    return {attrs["name"]: attrs | {"id": node} for node, attrs in G.nodes(data=True)}


# -- the Open Referral samples ---------------------------------------------------------------------------


def test_hsds_1_1_sample():
    G = read_hsds(SAMPLE_11, today=TODAY)
    assert G.graph["hsds_version"] == "1.1" and detect_format(SAMPLE_11) == "hsds"
    kinds = [k for _, k in G.nodes(data="kind")]
    assert kinds.count("organization") == 10 and kinds.count("service") == 10  # 3 inactive services left out
    assert G.number_of_edges() == 10 and {k for _, _, k in G.edges(keys=True)} == {"provides"}
    helpline = G.nodes["svc-never-homeless-helpline"]
    assert helpline["needs"] == ["housing"] and helpline["needs_source"] == "name"
    assert helpline["hours"] == "Mon-Wed 09:00-17:00"  # weekday 1, 2, 3: Monday is 1
    assert helpline["languages"] == ["English", "Spanish"]
    assert helpline["hsds_id"] == "c89eb05c-62dd-4b64-b494-0cc347b6ea7f"
    assert G.has_edge("org-sanctuary-example-city", "svc-never-homeless-helpline", "provides")
    # "Sanctuary assists homeless individuals find housing": a mention, not a statement of what it is
    assert G.nodes["org-sanctuary-example-city"]["sector"] == "other"
    assert G.nodes["org-sanctuary-example-city"]["sector_source"] == "none"
    ap = G.nodes["org-ap-example-city"]  # "Associated Parks is part of the Example City Town Hall"
    assert (ap["sector"], ap["sector_source"]) == (
        "local_government",
        "description (is part of the Example City Town Hall)",
    )
    assert G.nodes["svc-the-city-s-kitchen"]["needs"] == ["food"]
    assert G.nodes["svc-al-anon-family-group"]["needs"] == ["substance_use"]
    assert "<" not in G.nodes["org-example-city-silvers"]["notes"]  # HTML removed
    assert G.graph["program"].team is None
    warnings = G.graph["warnings"]
    assert any("3 inactive service(s)" in w and "left out" in w for w in warnings)
    assert any("9 organization(s) have no sector evidence" in w for w in warnings)
    assert len(G.graph["problems"]) == 12 and all(len(w) < 400 for w in warnings)


def test_hsds_3_0_sample_reads_its_expired_schedule_as_unknown():
    G = read_hsds(SAMPLE_30, today=TODAY)
    assert G.graph["hsds_version"] == "3.0" and detect_format(SAMPLE_30) == "hsds"
    assert dict(G.nodes(data="kind")) == {
        "org-example-organization-inc": "organization",
        "svc-community-counselling": "service",
    }
    service = G.nodes["svc-community-counselling"]
    assert service["needs"] == ["mental_health_crisis"]
    assert service["languages"] == ["Urdu"]
    # its only schedule (TH,FR in weeks 41-42 on days 2-4) ended on 2005-01-01: hours unknown, not "closed"
    assert "hours" not in service
    assert G.nodes["org-example-organization-inc"]["url"] == "http://example.com"  # 3.0 "website"
    assert G.nodes["org-example-organization-inc"]["sector"] == "community_organization"  # "is a non-profit"
    warnings = "\n".join(G.graph["warnings"])
    assert (
        "datapackage.json: holds only the text '../../datapackage.json': a symbolic link as git stores one" in warnings
    )
    assert "schedules.csv:2: no longer in effect (ended 2005-01-01): not used" in warnings


# -- Riverlands 211: the directory as a 211 publishes it -------------------------------------------------


def test_riverlands_zip_imports_what_is_there(riverlands):
    G = riverlands
    assert detect_format(RIVERLANDS_ZIP) == "hsds" and G.graph["hsds_version"] == "1.1"
    assert G.graph["name"] == "Riverlands 211 Directory"
    assert G.graph["directory"] == {"organizations": 11, "services": 17, "services_with_hours": 7, "problems": 12}
    names = by_name(G)
    for service in ("Riverside Legal Aid Clinic", "Tenant Hotline", "Expungement Clinic"):
        assert G.in_degree(names[service]["id"]) == 0  # kept, without a provider
    assert "Winter Warming Center" not in names and "In-Home Lice Removal (copy)" not in names
    label = f"{RIVERLANDS_ZIP}/riverlands-211/data"
    assert G.graph["warnings"] == [
        f"{label}/organizations.csv:13:name: name is empty: organization left out",
        f"{label}/organizations.csv:14:id: duplicate id 'o5' (first on row 6): left out",
        f"{label}/services.csv:20:id: duplicate id 's3' (first on row 4): left out",
        f"{label}/services.csv: 3 service(s) point to 2 organization(s) not in the organizations table: kept as "
        "services without a provider",
        f"{label}/services.csv:19:status: inactive: left out",
        f"{label}/regular_schedules.csv: 2 schedule row(s) could not be read: the hours of 2 service(s) are unknown",
        f"{label}/regular_schedules.csv:40:service_id: service 's404' is not in the directory: not used",
        f"{label}/services_taxonomy.csv:13:taxonomy_id: taxonomy term 't-999' is not in the taxonomy table: not used",
        f"{label}/organizations.csv:11:name: Southport Community Fridges: no sector evidence, sector other",
    ]
    assert (
        f"{label}/regular_schedules.csv:27:opens_at: opens_at 'on call' is not a time: write 09:00, 9:00am or 5 PM"
        in [str(p) for p in G.graph["problems"]]
    )


def test_riverlands_hours_as_people_wrote_them(riverlands):
    hours = {name: attrs.get("hours") for name, attrs in by_name(riverlands).items() if attrs["kind"] == "service"}
    assert hours["Riverlands Crisis Line"] == "24/7"  # 12:00 AM to 11:59 PM, seven days
    assert (
        hours["Walk-in Crisis Clinic"] == "Mon-Fri 09:00-17:00; Sat 10:00-14:00"
    )  # by service_at_location, Sun Closed
    assert hours["Outpatient Treatment"] == "Mon,Wed 08:00-12:00; Fri 13:30-18:30"  # 8:00 a.m. to noon
    assert hours["Night Shelter"] == "daily 19:00-07:00"  # overnight
    assert hours["Saturday Pantry"] == "Sat 09:00-12:00"  # the location's schedule; 12 noon
    assert hours["Police Non-Emergency Line"] == "Mon-Fri 08:00-17:00"  # 0800, 1700
    assert hours["Mobile Crisis Response"] is None  # "on call": unknown
    assert hours["Naloxone and Syringe Services"] is None  # one row "varies": the whole schedule is unknown
    assert hours["Community Fridges"] is None  # no schedule at all


def test_riverlands_sectors_from_evidence_not_passing_mentions(riverlands):
    found = {
        n: (a["sector"], a["sector_source"]) for n, a in by_name(riverlands).items() if a["kind"] == "organization"
    }
    assert found["Riverton Police Department"] == ("law_enforcement", "taxonomy (FN Law Enforcement Services)")
    # "advocate for legislative initiatives" is what NAMI does, not what it is
    assert found["NAMI Riverlands"] == ("family_advocate", "name (NAMI)")
    # "technicians are dispatched": a salon, not 911 dispatch
    assert found["Lice Busters of Riverton"] == ("business", "description (is a professional lice removal salon)")
    # "in partnership with the Sheriff's Office and the county's 911 center"
    assert found["Eastside Senior Center"] == ("community_organization", "name (Senior Center)")
    assert found["Tri-Rivers Behavioral Health"][0] == "behavioral_health"
    assert found["Harbor Light"] == ("housing", "taxonomy (BH-1800 Emergency Shelter)")
    assert found["Grace Chapel Food Pantry"] == ("faith_based", "description (is a welcoming faith-based congregation)")
    assert found["Riverlands Mobile Crisis"] == ("mobile_crisis", "taxonomy (Mobile Crisis Teams)")
    assert found["Office of State Senator Ana Ruiz"] == ("legislator", "name (Senator)")
    assert found["Southport Community Fridges"] == ("other", "none")
    needs = {
        n: (a.get("needs"), a.get("needs_source")) for n, a in by_name(riverlands).items() if a["kind"] == "service"
    }
    assert needs["Friendly Visiting"] == (["wellness_check"], "taxonomy")
    assert needs["Naloxone and Syringe Services"] == (["substance_use", "overdose"], "taxonomy")
    assert needs["Riverside Legal Aid Clinic"] == (None, None)  # a legal clinic is not a medical one
    assert needs["In-Home Lice Removal"] == (None, None)


@pytest.mark.parametrize(
    "description",
    [
        "Riverlands Family Alliance supports families of people with mental illness and advocates for legislative "
        "initiatives on mental health parity.",
        "Nitpickers is a lice removal service. Our technicians are dispatched to homes, schools and summer camps.",
        "Eastside Senior Center offers meals in partnership with the Sheriff's Office.",
        "The center is a program with the Sheriff's Office and the 911 dispatch center.",
        "Our volunteers work with police, EMS and the county's 911 dispatchers on safety fairs.",
        "We were founded by a retired police officer and a state senator.",
    ],
)
def test_passing_mentions_of_police_911_or_legislation_give_no_sector(description):
    sector, source = infer_sector("A Neighborly Place", "", description, [], DEFAULT_MAPPING)
    assert sector not in ("law_enforcement", "dispatch_911", "legislator", "ems_fire"), source


def test_sector_words_in_names_and_identity_statements():
    assert sector_from_name("Millbrook Police Department") == ("law_enforcement", "Police")
    assert sector_from_name("St. Jude Church food pantry") == ("faith_based", "Church")
    assert sector_from_name("A neighborly place") is None
    assert sector_from_description("We are the county's mobile crisis team.")[0] == "mobile_crisis"
    assert sector_from_description("The Riverton Police Department is the city's law enforcement agency.")[0] == (
        "law_enforcement"
    )
    assert needs_from_text("Overdose prevention and naloxone kits; housing navigation") == ["overdose", "housing"]
    assert needs_from_text("Business hours bus pass") == ["transportation"]  # "bus", not "business"
    assert needs_from_text("Parent support") == []  # "rent" is a word, not part of "parent"
    assert needs_from_text("Financial crisis budgeting class") == []  # "crisis" alone is no mental health crisis


def test_taxonomy_table_is_valid_and_matches_the_longest_code():
    by_code, by_name = taxonomy_table()
    assert len(by_code) >= 30 and len(by_name) >= len(by_code)
    for entry in by_name.values():
        assert entry.sector is None or entry.sector in SECTORS
        assert all(need in NEEDS for need in entry.needs)
    assert match_term("RP-1500.1400-800", "").name == "Suicide Prevention Hotlines"
    assert match_term("RP-1500.1400-500", "").name == "Mental Health Hotlines"
    assert match_term("RP-1500.3300", "").name == "Crisis Intervention"  # the longest code that begins it
    assert match_term("BD-1800.2000-620", "").name == "Food Pantries"
    assert match_term("RF-2500 * YG-8000.1500", "").name == "Counseling Settings"  # service * target group
    assert match_term("", "mobile crisis teams").sector == "mobile_crisis"  # a term known by name only
    assert match_term("YF-1000", "Some target group") is None


def test_mapping_overrides_sectors_and_needs(tmp_path: Path):
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[sectors]\n"Southport Community Fridges" = "community_organization"\n"FN" = "other"\n'
        '[needs]\n"Mental Health Education" = "mental_health_crisis"\n"Syringe Services Programs" = "overdose"\n'
    )
    G = read_hsds(RIVERLANDS_ZIP, mapping=read_mapping(mapping), today=TODAY)
    names = by_name(G)
    assert (names["Southport Community Fridges"]["sector"], names["Southport Community Fridges"]["sector_source"]) == (
        "community_organization",
        "mapping",
    )
    assert names["Riverton Police Department"]["sector"] == "other"
    assert names["Naloxone and Syringe Services"]["needs"] == ["overdose"]
    assert names["Family-to-Family Classes"]["needs_source"] == "taxonomy"


# -- strict, packages as published, fallbacks ---------------------------------------------------------------


def test_strict_refuses_the_import_listing_every_problem():
    found = problems(lambda: read_hsds(RIVERLANDS_ZIP, strict=True, today=TODAY))
    assert len(found) == 10  # all but the inactive service and the organization with no sector evidence
    assert any("services.csv:16:organization_id: no organization has the id 'o99'" in p for p in found)


def test_folder_zip_and_descriptor_give_the_same_graph(riverlands):
    for source in (RIVERLANDS, RIVERLANDS / "datapackage.json"):
        G = read_hsds(source, today=TODAY)
        assert dict(G.nodes(data=True)) == dict(riverlands.nodes(data=True))
        assert sorted(G.edges(keys=True)) == sorted(riverlands.edges(keys=True))
    assert detect_format(RIVERLANDS) == "hsds"


def test_the_zip_fixture_holds_the_folder():
    from tests.fixtures.hsds.make_zip import members

    with zipfile.ZipFile(RIVERLANDS_ZIP) as archive:
        assert sorted((n, archive.read(n)) for n in archive.namelist()) == members()


def test_descriptor_missing_broken_or_linked_falls_back_to_file_names(tmp_path: Path, riverlands):
    folder = tmp_path / "export"
    shutil.copytree(RIVERLANDS, folder)
    descriptor = folder / "datapackage.json"
    text = descriptor.read_text()
    descriptor.unlink()
    G = read_hsds(folder, today=TODAY)  # tables found by their names in data/
    assert G.number_of_nodes() == riverlands.number_of_nodes() and G.graph["name"] == "export service directory"
    descriptor.write_text("{ not json")
    G = read_hsds(folder, today=TODAY)
    assert G.number_of_nodes() == riverlands.number_of_nodes()
    assert f"{descriptor}: is not valid JSON and was ignored" in G.graph["warnings"]
    (folder / "data" / "package.json").write_text(text.replace('"data/', '"'))
    descriptor.unlink()
    os.symlink("data/package.json", descriptor)  # a real link, as a checkout makes one
    G = read_hsds(folder, today=TODAY)
    assert G.graph["name"] == "Riverlands 211 Directory"
    descriptor.unlink()
    descriptor.write_text("data/package.json")  # the same link as git writes it where links are not supported
    assert read_hsds(folder, today=TODAY).graph["name"] == "Riverlands 211 Directory"
    descriptor.unlink()
    os.symlink("nowhere.json", descriptor)
    G = read_hsds(folder, today=TODAY)
    assert G.number_of_nodes() == riverlands.number_of_nodes()
    assert (
        f"{descriptor}: is a symbolic link to 'nowhere.json', which is not there: it was ignored" in G.graph["warnings"]
    )


def test_resource_paths_stay_inside_the_package(tmp_path: Path):
    folder = tmp_path / "export"
    shutil.copytree(RIVERLANDS, folder)
    (tmp_path / "secret.csv").write_text("id,name\nx,Secret\n")
    descriptor = json.loads((folder / "datapackage.json").read_text())
    descriptor["resources"][0]["path"] = "../secret.csv"
    descriptor["resources"][1]["path"] = "https://example.org/services.csv"
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    G = read_hsds(folder, today=TODAY)
    assert "Secret" not in {a["name"] for _, a in G.nodes(data=True)}
    assert (
        f"{folder}/datapackage.json: 2 problem(s) with datapackage.json; tables were found by their file names"
        in G.graph["warnings"]
    )
    found = [str(p) for p in G.graph["problems"]]
    assert f"{folder}/datapackage.json: resources[0]: path '../secret.csv' leaves the package and was not read" in found
    assert (
        f"{folder}/datapackage.json: resources[1]: path 'https://example.org/services.csv' is on the web"
        in "\n".join(found)
    )


def test_broken_directories_report_every_problem(tmp_path: Path):
    folder = tmp_path / "directory"
    folder.mkdir()
    (folder / "datapackage.json").write_text("{}")
    message = (
        "file not found: an HSDS directory needs organizations.csv and services.csv (at the top, in a subfolder, "
        "or named in datapackage.json)"
    )
    assert problems(lambda: read_hsds(folder)) == [
        f"{folder}/organizations.csv: {message}",
        f"{folder}/services.csv: {message}",
    ]
    (folder / "organizations.csv").write_text("id,title\n1,Harbor\n")
    (folder / "services.csv").write_text("id,title\ns1,Beds\n")
    assert problems(lambda: read_hsds(folder)) == [
        f"{folder}/organizations.csv:1:name: required column is missing from the header",
        f"{folder}/services.csv:1:name: required column is missing from the header",
    ]
    (folder / "organizations.csv").write_bytes("id,name\n1,Caf\xe9 Harbor\n".encode("cp1252"))
    (folder / "services.csv").write_text("id,name\ns1,Beds\n")
    G = read_hsds(folder)  # not UTF-8: read as Windows-1252, said so; no organization_id column: no provider
    assert G.nodes["org-cafe-harbor"]["name"] == "Café Harbor"
    assert any("not UTF-8" in w for w in G.graph["warnings"])
    assert any("the column organization_id is missing" in str(p) for p in G.graph["problems"])
    assert problems(lambda: read_hsds(tmp_path / "nothing")) == [
        f"{tmp_path / 'nothing'}: is not an HSDS directory (a folder or .zip of CSVs with datapackage.json)"
    ]
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    assert "is not a readable zip file" in problems(lambda: read_hsds(tmp_path / "broken.zip"))[0]


def test_version_from_file_names(tmp_path: Path):
    (tmp_path / "regular_schedules.csv").write_text("id\n")
    assert hsds_version(tmp_path) == "1.1"
    (tmp_path / "regular_schedules.csv").unlink()
    (tmp_path / "schedules.csv").write_text("id\n")
    assert hsds_version(tmp_path) == "3.0"


# -- schedules ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:00am", "09:00"),
        ("9 AM", "09:00"),
        ("9.30am", "09:30"),  # dateutil reads 09:00
        ("5:00 PM", "17:00"),
        ("5:00 p.m.", "17:00"),
        ("12:00 AM", "00:00"),
        ("12 pm", "12:00"),
        ("17:00", "17:00"),
        ("10:00:00", "10:00"),
        ("10:00:00Z", "10:00"),
        ("10:00+01:00", "10:00"),
        ("0900", "09:00"),  # dateutil reads the year 900
        ("24:00", "24:00"),
        ("noon", "12:00"),
        ("12 noon", "12:00"),
        ("midnight", "00:00"),
        ("Closed", "closed"),
        ("9", None),  # dateutil reads the 9th of the month
        ("9ish", None),
        ("10am-2pm", None),  # dateutil reads 22:00 at -02:00
        ("13:00 PM", None),
        ("25:00", None),
        ("", None),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


def test_schedule_hours():
    assert (
        schedule_hours([({0, 1, 2, 3, 4}, "09:00", "17:00"), ({5}, "10:00", "14:00")])
        == "Mon-Fri 09:00-17:00; Sat 10:00-14:00"
    )
    assert schedule_hours([({3, 4}, "10:00", "18:00")]) == "Thu,Fri 10:00-18:00"
    assert schedule_hours([({0, 2, 4}, "08:00", "12:00")]) == "Mon,Wed,Fri 08:00-12:00"
    assert schedule_hours([(set(range(7)), "00:00", "23:59")]) == "24/7"
    assert schedule_hours([({6}, "20:00", "23:59")]) == "Sun 20:00-24:00"
    assert schedule_hours([({1}, "10:00", "12:00", "1st Tue of the month")]) == "Tue 10:00-12:00 (1st Tue of the month)"
    assert schedule_hours([]) is None


RULES = [
    # service name, schedule columns (freq, interval, byday, bymonthday, byweekno, count, until, dtstart,
    # valid_from, valid_to, opens_at, closes_at), the hours expected on 2026-03-04
    (
        "weekdays",
        ("WEEKLY", "", "MO,TU,WE,TH,FR", "", "", "", "", "", "", "", "9:00am", "5:00pm"),
        "Mon-Fri 09:00-17:00",
    ),
    ("daily", ("DAILY", "1", "", "", "", "", "", "", "", "", "00:00", "23:59"), "24/7"),
    ("no rule", ("", "", "", "", "", "", "", "", "", "", "08:00", "12:00"), "daily 08:00-12:00"),
    (
        "monthly",
        ("MONTHLY", "", "1TU", "", "", "", "", "", "", "", "10:00", "12:00"),
        "Tue 10:00-12:00 (1st Tue of the month)",
    ),
    (
        "last friday",
        ("MONTHLY", "", "-1FR", "", "", "", "", "", "", "", "18:00", "20:00"),
        "Fri 18:00-20:00 (last Fri of the month)",
    ),
    (
        "fortnightly",
        ("WEEKLY", "2", "WE", "", "", "", "", "2026-01-07", "", "", "13:00", "15:00"),
        "Wed 13:00-15:00 (every 2 weeks)",
    ),
    (
        "monthday",
        ("MONTHLY", "", "", "15", "", "", "", "", "", "", "09:00", "11:00"),
        "Wed,Sun 09:00-11:00 (day 15 of the month)",
    ),
    (
        "weeks",
        ("WEEKLY", "", "TH", "", "11,12", "", "", "", "", "", "09:00", "11:00"),
        "Thu 09:00-11:00 (weeks 11,12 of the year)",
    ),
    (
        "course",
        ("WEEKLY", "", "MO", "", "", "3", "", "2026-03-02", "", "", "18:00", "19:00"),
        "Mon 18:00-19:00 (3 times)",
    ),
    ("ended", ("WEEKLY", "", "MO", "", "", "", "", "", "", "2025-12-31", "09:00", "17:00"), None),
    ("until ended", ("WEEKLY", "", "MO", "", "", "", "2026-01-31", "", "", "", "09:00", "17:00"), None),
    ("not yet", ("WEEKLY", "", "MO", "", "", "", "", "", "2026-09-01", "", "09:00", "17:00"), None),
    ("ends soon", ("WEEKLY", "", "MO", "", "", "", "", "", "", "2026-04-15", "09:00", "17:00"), "Mon 09:00-17:00"),
    ("bad freq", ("HOURLY", "", "MO", "", "", "", "", "", "", "", "09:00", "17:00"), None),
    ("bad day", ("WEEKLY", "", "MONDAYISH", "", "", "", "", "", "", "", "09:00", "17:00"), None),
    ("bad date", ("WEEKLY", "", "MO", "", "", "", "", "", "", "31/12/2026", "09:00", "17:00"), None),
]


def _directory_30(folder: Path, rules) -> Path:
    folder.mkdir()
    (folder / "organizations.csv").write_text("id,name,website\no1,Helpers,\n")
    services = ["id,organization_id,name,status"] + [f"s{i},o1,{name},active" for i, (name, _, _) in enumerate(rules)]
    (folder / "services.csv").write_text("\n".join(services) + "\n")
    header = "id,service_id,freq,interval,byday,bymonthday,byweekno,count,until,dtstart,valid_from,valid_to,opens_at,closes_at"
    rows = [header] + [f"r{i},s{i}," + ",".join(f'"{v}"' for v in fields) for i, (_, fields, _) in enumerate(rules)]
    (folder / "schedules.csv").write_text("\n".join(rows) + "\n")
    return folder


def test_recurrence_rules_with_every_field(tmp_path: Path):
    G = read_hsds(_directory_30(tmp_path / "rules", RULES), today=TODAY)
    hours = {attrs["name"]: attrs.get("hours") for _, attrs in G.nodes(data=True) if attrs["kind"] == "service"}
    assert hours == {name: expected for name, _, expected in RULES}
    found = [str(p).split("schedules.csv:", 1)[1] for p in G.graph["problems"] if "schedules.csv" in p.file]
    assert found == [
        "11: no longer in effect (ended 2025-12-31): not used",
        "12: no longer in effect (ended 2026-01-31): not used",
        "13: in effect only from 2026-09-07: not used",
        "15:freq: freq 'HOURLY' is not a repeat rule: write WEEKLY or MONTHLY",
        "16:byday: byday 'MONDAYISH' is not a list of days: write MO,TU,... (1MO is the 1st Monday)",
        "17:valid_to: valid_to '31/12/2026' is not a date: write YYYY-MM-DD",
    ]


def test_some_weeks_hours_are_neither_open_nor_closed():
    from stakeholder_graph.hours import is_24_7, is_open

    hours = "Mon-Fri 09:00-17:00; Tue 18:00-20:00 (1st Tue of the month)"
    assert is_open(hours, "10:00") is True
    assert is_open(hours, "19:00") is None  # open on some Tuesdays only: unknown, not "closed"
    assert is_open(hours, "19:00", weekday=1) is None and is_open(hours, "19:00", weekday=2) is False
    assert is_open(hours, "03:00") is False
    assert is_open(None, "03:00") is None
    assert not is_24_7("daily 00:00-24:00 (every 2 weeks)")


# -- gaps, paths and the report on a directory --------------------------------------------------------------


def test_unknown_hours_never_conclude_closed_or_not_24_7(riverlands):
    from stakeholder_graph.gaps import gaps_service_coverage

    coverage = {(g["subject"], g["check"]): g for g in gaps_service_coverage(riverlands)}
    # overdose: its only service's hours are unknown ("varies"); housing: the night shelter closes, the tenant
    # hotline's hours are unknown; mental health: the crisis line is 24/7
    assert ("overdose", "no_24_7") not in coverage and ("housing", "no_24_7") not in coverage
    unknown = coverage[("overdose", "hours_unknown")]
    assert unknown["evidence"]["hours_unknown"] == ["svc-naloxone-and-syringe-services"]
    assert "hours of 1 of 1 are unknown" in unknown["message"]
    assert coverage[("housing", "hours_unknown")]["evidence"]["hours_unknown"] == ["svc-tenant-hotline"]
    assert not any(need == "mental_health_crisis" and check in ("no_24_7", "hours_unknown") for need, check in coverage)
    # transportation is not among the needs a program expects by default (issue 10); expected, it has no service
    assert ("transportation", "no_service") not in coverage
    G = riverlands.copy()
    G.graph["program"] = G.graph["program"].replace(expected_needs=("transportation",))
    assert [(g["subject"], g["check"]) for g in gaps_service_coverage(G)] == [("transportation", "no_service")]


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
RIVER_BASE = """id,name,kind,sector,needs,hours
team,Riverton Crisis Team,team,mobile_crisis,,
org-mobile,Riverlands Mobile Crisis,organization,mobile_crisis,,
org-hr,Riverlands Harm Reduction Collective,organization,,,
"""
RIVER_TIES = """source,target,type,strength,trust
team,org-mobile,partners_with,3,3
team,org-hr,refers_to,2,2
"""


def test_report_on_a_directory_has_no_isolated_gaps_only_not_yet_connected(riverlands):
    from stakeholder_graph.report import build_report, render_text

    report = build_report(riverlands)
    assert not [g for g in report["gaps"] if g["kind"] == "isolated"]
    waiting = report["not_yet_connected"]
    assert waiting["count"] == {"organizations": 11, "services": 17, "other": 0}
    assert waiting["organizations"][0]["name"] == "Riverton Police Department"  # by sector, in vocabulary order
    assert {"id", "name", "sector", "sector_source", "services", "hsds_id"} <= set(waiting["organizations"][0])
    text = render_text(report)
    assert "Not yet connected: 11 directory organization(s) and 17 service(s) from the service directory" in " ".join(
        text.split()
    )
    assert text.count("Not yet connected") == 1


def test_merged_directory_uses_the_same_rule_and_paths_say_unknown(tmp_path: Path):
    from stakeholder_graph.gaps import find_gaps
    from stakeholder_graph.referrals import paths_text, referral_paths

    base = read_dataset(write_folder(tmp_path / "base", RIVER_BASE, RIVER_TIES))
    merged, report = merge_directory(base, read_hsds(RIVERLANDS_ZIP, today=TODAY))
    assert report["not_yet_connected"] == {"organizations": 9, "services": 15}
    assert "Not yet connected: 9 directory organization(s) and 15 service(s)" in merge_text(report)
    assert not [g for g in find_gaps(merged) if g["kind"] == "isolated"]
    result = referral_paths(merged, "overdose", open_at="02:00")
    provider = result["providers"][0]
    assert provider["name"] == "Naloxone and Syringe Services" and provider["reachable"] and provider["open"] is None
    text = " ".join(paths_text(result, merged).split())
    assert "(reachable, open or closed: hours unknown; hours unknown; 1 independent route(s))" in text
    assert "closed" not in text.replace("open or closed", "")


# -- merging ---------------------------------------------------------------------------------------------


def test_normalize_name():
    assert normalize_name("The Harbor House, Inc.") == normalize_name("harbor house") == "harbor house"
    assert normalize_name("St. Mary's Clinic") == "st marys clinic"


def test_merge_directory(tmp_path: Path):
    base = read_dataset(write_folder(tmp_path / "base", BASE, BASE_TIES))
    merged, report = merge_directory(base, read_hsds(SAMPLE_11, today=TODAY))
    orgs, services = report["organizations"], report["services"]
    assert [(e["name"], e["id"]) for e in orgs["matched"]] == [("Sanctuary Example City", "org-sanctuary")]
    assert orgs["matched"][0]["filled"] == ["notes", "email", "url", "hsds_id"]  # no sector: it had no evidence
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
    assert report["not_yet_connected"] == {"organizations": 8, "services": 7}
    assert base.number_of_nodes() == 5  # the base is not changed
    assert merged.graph["program"] == base.graph["program"]
    text = merge_text(report)
    assert "Organizations: 1 matched, 8 added, 1 ambiguous" in text
    assert "ambiguous  Example Cross Trust (several organizations have this name: org-cross-1, org-cross-2)" in text


# -- a generated directory, read against what was planted in it --------------------------------------------


@pytest.mark.parametrize("version", ["1.1", "3.0"])
def test_generated_directory_matches_its_manifest(tmp_path: Path, version: str):
    from collections import Counter

    from stakeholder_graph.formats.hsds.synth import synthesize_directory, write_directory

    files, planted = synthesize_directory(80, 320, 800, seed=3, version=version)
    again, _ = synthesize_directory(80, 320, 800, seed=3, version=version)
    assert files == again  # the same seed, the same files
    G = read_hsds(write_directory(files, tmp_path / "export.zip"), today=TODAY)
    groups = Counter()
    for p in G.graph["problems"]:
        groups[p.message.split(":")[0] if "duplicate id" not in p.message else "duplicate"] += 1
    assert G.graph["directory"]["organizations"] == 80
    assert G.graph["directory"]["services"] == 320 - planted["inactive"]
    dangling = [p for p in G.graph["problems"] if p.column == "organization_id"]
    assert len(dangling) == planted["dangling"]
    assert len({p.message.split("'")[1] for p in dangling}) == planted["dangling_targets"]
    assert sum(1 for p in G.graph["problems"] if "not a time" in p.message) == planted["unreadable"]
    assert sum(1 for p in G.graph["problems"] if "duplicate id" in p.message) == planted["repeated"]
    assert sum(1 for p in G.graph["problems"] if "is empty" in p.message) == planted["unnamed"]
    assert not [p for p in G.graph["problems"] if "is not in the directory" in p.message]
    sectors = {a["sector"] for _, a in G.nodes(data=True) if a["kind"] == "organization"}
    assert "dispatch_911" not in sectors and "legislator" not in sectors  # only passing mentions of them
    names = {a["name"]: a["sector"] for _, a in G.nodes(data=True) if a["kind"] == "organization"}
    assert all(sector == "community_organization" for name, sector in names.items() if "Senior Center" in name)
    # NAMI "advocate[s] for legislative initiatives": its services' taxonomy (RR) says mental health support
    assert {sector for name, sector in names.items() if name.startswith("NAMI")} == {"behavioral_health"}
