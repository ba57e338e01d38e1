"""Every gap kind on a small dataset made to have it, and on one made not to (the healthy base)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from stakeholder_graph import read_dataset
from stakeholder_graph.gaps import find_gaps

PROGRAM = {
    "name": '"Test program"',
    "team": '"team"',
    "expected_sectors": '["law_enforcement", "behavioral_health", "lived_experience"]',
    "expected_methods": '["survey", "formal_decision_role"]',
    "expected_needs": '["overdose", "housing"]',
    "as_of": '"2026-06-01"',
}

# A network with no gap: every expected sector engaged, both methods used recently, communities represented
# in engagement and in decision roles, lived experience on the board, two trusted routes from the priority
# community, two reachable providers per need with one open 24/7, no single point of failure, no isolate.
NODES = [
    dict(id="team", name="Response Team", kind="team", sector="mobile_crisis"),
    dict(id="com-a", name="Ashgrove", kind="community", population_share="0.5", priority="true"),
    dict(id="com-b", name="Birchfield", kind="community", population_share="0.5", priority="false"),
    dict(id="org-pd", name="Police Dept", kind="organization", sector="law_enforcement"),
    dict(id="org-bh", name="Clinic", kind="organization", sector="behavioral_health"),
    dict(id="org-hr", name="Harm Reduction", kind="organization", sector="harm_reduction"),
    dict(id="org-sh", name="Shelter", kind="organization", sector="housing"),
    dict(id="p-1", name="Officer One", kind="person", sector="law_enforcement", community="com-a"),
    dict(
        id="p-2",
        name="Clinician Two",
        kind="person",
        sector="behavioral_health",
        community="com-b",
        decision_role="chair",
    ),
    dict(
        id="p-3",
        name="Peer Three",
        kind="person",
        sector="lived_experience",
        community="com-a",
        lived_experience="true",
        decision_role="member",
    ),
    dict(
        id="p-4",
        name="Peer Four",
        kind="person",
        sector="lived_experience",
        community="com-b",
        lived_experience="true",
        decision_role="member",
    ),
    dict(id="p-5", name="Nurse Five", kind="person", sector="behavioral_health", community="com-a"),
    dict(id="svc-od1", name="Overdose line", kind="service", needs="overdose", hours="24/7"),
    dict(id="svc-od2", name="Naloxone outreach", kind="service", needs="overdose", hours="Mon-Fri 08:00-17:00"),
    dict(id="svc-h1", name="Emergency shelter", kind="service", needs="housing", hours="24/7"),
    dict(id="svc-h2", name="Housing navigation", kind="service", needs="housing", hours="Mon-Fri 09:00-17:00"),
    dict(id="eng-s", name="Community survey", kind="engagement", method="survey", date="2026-03-01"),
    dict(id="eng-b", name="Advisory board", kind="engagement", method="formal_decision_role", date="2026-04-01"),
]
EDGES = [
    ("team", "org-pd", "partners_with", 3, 3),
    ("team", "org-bh", "partners_with", 3, 4),
    ("team", "org-hr", "partners_with", 3, 3),
    ("org-bh", "org-sh", "partners_with", 3, 3),
    ("p-1", "org-pd", "member_of", 3, 3),
    ("p-2", "org-bh", "member_of", 3, 3),
    ("p-5", "org-bh", "member_of", 3, 3),
    ("p-3", "com-a", "member_of", 4, 4),
    ("p-4", "com-b", "member_of", 4, 4),
    ("p-2", "com-b", "member_of", 4, 4),
    ("p-1", "com-a", "member_of", 4, 4),
    ("p-5", "com-a", "member_of", 4, 4),
    ("p-4", "team", "communicates_with", 3, 3),
    ("org-bh", "svc-od1", "provides", 4, 4),
    ("org-hr", "svc-od2", "provides", 4, 4),
    ("org-sh", "svc-h1", "provides", 4, 4),
    ("org-bh", "svc-h2", "provides", 4, 4),
    ("team", "svc-od1", "refers_to", 3, 3),
    ("team", "svc-od2", "refers_to", 3, 3),
    ("team", "svc-h1", "refers_to", 3, 3),
    ("p-1", "eng-s", "participated_in", 2, 2),
    ("p-2", "eng-s", "participated_in", 2, 2),
    ("p-3", "eng-s", "participated_in", 2, 2),
    ("p-4", "eng-s", "participated_in", 2, 2),
    ("p-5", "eng-s", "participated_in", 2, 2),
    ("p-2", "eng-b", "sits_on", 3, 3),
    ("p-3", "eng-b", "sits_on", 3, 3),
    ("p-4", "eng-b", "sits_on", 3, 3),
]


def build(tmp_path: Path, nodes=None, edges=None, program=None, drop=()) -> Path:
    """Write a dataset folder (through the CSV format) from the base with changes."""
    nodes = NODES + (nodes or [])
    edges = [e for e in EDGES if e[:3] not in drop and e[:2] not in drop] + (edges or [])
    columns = [
        "id",
        "name",
        "kind",
        "sector",
        "community",
        "lived_experience",
        "decision_role",
        "population_share",
        "priority",
        "needs",
        "hours",
        "languages",
        "language",
        "method",
        "date",
    ]
    folder = tmp_path / "data"
    folder.mkdir()
    with open(folder / "stakeholders.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(nodes)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["source", "target", "type", "strength", "trust", "since", "until"])
    writer.writerows(list(e) + [""] * (7 - len(e)) for e in edges)
    (folder / "relationships.csv").write_text(text.getvalue(), encoding="utf-8")
    settings = PROGRAM | (program or {})
    (folder / "program.toml").write_text("".join(f"{k} = {v}\n" for k, v in settings.items()), encoding="utf-8")
    return folder


def gaps_of(folder: Path, kind: str | None = None) -> list[dict]:
    found = find_gaps(read_dataset(folder))
    return [g for g in found if kind is None or g["kind"] == kind]


def test_healthy_network_has_no_gap(tmp_path: Path):
    assert gaps_of(build(tmp_path)) == []


def test_missing_stakeholder_group(tmp_path: Path):
    folder = build(
        tmp_path,
        nodes=[dict(id="org-nw", name="Watch group", kind="organization", sector="neighborhood_watch")],
        edges=[("org-nw", "org-pd", "communicates_with", 2, 2)],
        program={"expected_sectors": '["law_enforcement", "neighborhood_watch", "dispatch_911"]'},
    )
    gaps = {g["subject"]: g for g in gaps_of(folder, "missing_stakeholder_group")}
    assert set(gaps) == {"neighborhood_watch", "sectors"}
    assert gaps["neighborhood_watch"]["severity"] == "medium"
    assert gaps["neighborhood_watch"]["evidence"]["stakeholders_in_sector"] == ["org-nw"]
    assert gaps["sectors"]["id"] == "missing_stakeholder_group/absent/sectors"
    assert gaps["sectors"]["severity"] == "high"  # a core sector, absent altogether
    assert "no dispatch 911 stakeholder at all" in gaps["sectors"]["message"]
    # sectors absent altogether are one problem, the network's reach: one gap listing them (until issue 10
    # one gap each, which buried a small city's report)
    folder = tmp_path / "many"
    folder.mkdir()
    program = {"expected_sectors": '["law_enforcement", "education", "legislator", "dispatch_911"]'}
    (gap,) = gaps_of(build(folder, program=program), "missing_stakeholder_group")
    assert gap["evidence"] == {"sectors": ["education", "legislator", "dispatch_911"], "core_sectors": ["dispatch_911"]}
    assert "no stakeholder at all in 3 expected sectors: education, legislator and dispatch 911" in gap["message"]


def test_engagement_method_never_used_and_not_recent(tmp_path: Path):
    folder = build(tmp_path, program={"expected_methods": '["survey", "formal_decision_role", "focus_group"]'})
    assert [g["subject"] for g in gaps_of(folder, "engagement_method")] == ["focus_group"]
    folder = tmp_path / "old"
    folder.mkdir()
    old = build(folder, program={"engagement_max_age_days": "365"})
    text = (old / "stakeholders.csv").read_text().replace("survey,2026-03-01", "survey,2024-01-15")
    (old / "stakeholders.csv").write_text(text)
    (gap,) = gaps_of(old, "engagement_method")
    assert gap["subject"] == "survey" and gap["severity"] == "low"
    assert gap["evidence"]["age_days"] == 868  # 2024-01-15 to 2026-06-01


def test_representation(tmp_path: Path):
    # ten more engaged people from Birchfield: Ashgrove (50% of the population) falls to 3 of 15 engaged
    extra = [
        dict(id=f"p-b{i}", name=f"Resident {i}", kind="person", sector="community_organization", community="com-b")
        for i in range(10)
    ]
    edges = [(f"p-b{i}", "eng-s", "participated_in", 2, 2) for i in range(10)]
    edges += [(f"p-b{i}", "com-b", "member_of", 4, 4) for i in range(10)]
    (gap,) = gaps_of(build(tmp_path, nodes=extra, edges=edges), "representation")
    assert gap["subject"] == "com-a" and gap["severity"] == "high"
    assert gap["evidence"]["engaged_share"] == 0.2 and gap["evidence"]["engaged_ratio"] == 0.4
    assert gap["evidence"]["decision_ratio"] == pytest.approx(2 / 3, abs=1e-4)  # 1 of 3 decision holders: not flagged
    assert "20% of engaged people (ratio 0.40)" in gap["message"]


def test_lived_experience_voice(tmp_path: Path):
    folder = build(tmp_path, drop=[("p-3", "eng-b"), ("p-4", "eng-b")])
    rows = (folder / "stakeholders.csv").read_text().replace(",true,member,", ",true,,")
    (folder / "stakeholders.csv").write_text(rows)
    gaps = gaps_of(folder, "lived_experience_voice")
    assert [(g["severity"], g["subject"]) for g in gaps] == [("high", "decision_roles"), ("medium", "lived_experience")]
    assert gaps[0]["evidence"]["decision_holders"] == ["p-2"]
    assert gaps[1]["evidence"]["people"] == ["p-3", "p-4"]


def test_trust_low_share_then_depends_on_one_then_no_trusted_path(tmp_path: Path):
    # Ashgrove's residents: Officer One (a trusted route through the police), Nurse Five (through the
    # clinic) and Peer Three (no trusted tie): 2 of 3 have a route, no gap. Weaken the officer's tie.
    folder = tmp_path / "one"
    folder.mkdir()
    (gap,) = gaps_of(build(folder, drop=[("p-1", "org-pd")], edges=[("p-1", "org-pd", "member_of", 3, 2)]), "trust")
    # Until issue 10 this was "every trusted path passes through Nurse Five": one resident with a trusted
    # tie counted as the community's path. From the residents' side, 1 of 3 has a route: too few.
    assert gap["id"] == "trust/low_trusted_share/com-a" and gap["severity"] == "high"
    assert gap["evidence"]["reached"] == 1 and gap["evidence"]["residents"] == 3
    assert "Only 1 of Ashgrove's 3 residents (33%)" in gap["message"]
    # Peer Three trusts Nurse Five: two residents reach the team, both through the clinic.
    folder = tmp_path / "two"
    folder.mkdir()
    found = gaps_of(
        build(
            folder,
            drop=[("p-1", "org-pd")],
            edges=[("p-1", "org-pd", "member_of", 3, 2), ("p-3", "p-5", "trusts", 3, 4)],
        ),
        "trust",
    )
    (gap,) = found
    assert gap["id"] == "trust/depends_on_one/com-a" and gap["severity"] == "medium"  # an organization
    assert gap["evidence"]["depends_on"] == "org-bh"
    assert gap["evidence"]["dependence"] == [
        {"id": "org-bh", "name": "Clinic", "residents": 2},
        {"id": "p-5", "name": "Nurse Five", "residents": 1},
    ]
    assert (
        "2 of the 2 Ashgrove residents with a trusted route to the responder team reach it only through one organization, Clinic"
        in gap["message"]
    )
    folder = tmp_path / "none"
    folder.mkdir()
    (gap,) = gaps_of(
        build(
            folder,
            drop=[("p-1", "org-pd"), ("p-5", "org-bh")],
            edges=[("p-1", "org-pd", "member_of", 3, 2), ("p-5", "org-bh", "member_of", 3, 1)],
        ),
        "trust",
    )
    assert gap["check"] == "no_trusted_path" and gap["severity"] == "high"
    assert gap["evidence"]["trusted_path"] is None
    assert gap["evidence"]["best_path_weakest_trust"] == 2  # via the police liaison's trust-2 tie
    assert gap["evidence"]["best_path"] == ["p-1", "org-pd", "team"]


def test_service_coverage(tmp_path: Path):
    nodes = [
        dict(id="svc-food", name="Food bank", kind="service", needs="food", hours="24/7"),
        dict(id="org-fb", name="Food Bank Org", kind="organization", sector="community_organization"),
    ]
    folder = build(
        tmp_path,
        nodes=nodes,
        edges=[("org-fb", "svc-food", "provides", 4, 4), ("org-fb", "p-2", "communicates_with", 2, 2)],
        drop=[("org-hr", "svc-od2")],
        program={"expected_needs": '["overdose", "housing", "food", "youth"]'},
    )
    text = (folder / "stakeholders.csv").read_text().replace("housing,24/7", "housing,Mon-Fri 08:00-20:00")
    (folder / "stakeholders.csv").write_text(text)
    found = {(g["subject"], g["message"].split(" ")[0], g["severity"]) for g in gaps_of(folder, "service_coverage")}
    assert found == {
        ("youth", "No", "high"),  # no service at all
        ("food", "No", "high"),  # a service, but no referral route from the team
        ("food", "Only", "medium"),  # and a single provider
        ("housing", "No", "low"),  # no housing service open 24/7 (not a crisis need: low)
    }  # overdose keeps two providers: svc-od2, without its organization, counts as its own provider


def test_single_point_of_failure(tmp_path: Path):
    nodes = [
        dict(id="com-c", name="Cedar Flats", kind="community", population_share="0.1", priority="true"),
        dict(id="p-6", name="Liaison Six", kind="person", sector="law_enforcement", community="com-c"),
        dict(id="p-7", name="Resident Seven", kind="person", sector="community_organization", community="com-c"),
    ]
    edges = [
        ("p-6", "org-pd", "member_of", 3, 3),
        ("p-6", "com-c", "member_of", 4, 4),
        ("p-7", "com-c", "member_of", 4, 4),
        ("p-7", "p-6", "communicates_with", 2, 2),
    ]
    gaps = gaps_of(build(tmp_path, nodes=nodes, edges=edges), "single_point_of_failure")
    # the liaison alone links Cedar Flats, and the police department alone links the liaison: one problem
    # (Cedar Flats hangs on one thread), one gap listing both, nearest first (until issue 10: two gaps)
    (gap,) = gaps
    assert gap["id"] == "single_point_of_failure/cuts_off/com-c" and gap["severity"] == "high"
    assert gap["evidence"]["stakeholders"] == ["p-6", "org-pd"] and gap["evidence"]["stakeholder"] == "p-6"
    assert gap["evidence"]["cut_off"] == ["com-c", "p-7"]
    assert gap["evidence"]["communities"] == ["com-c"]
    # Resident Seven is the only community organization stakeholder: the same problem, folded in
    assert gap["evidence"]["sectors"] == ["community_organization"]
    assert "without any one of Liaison Six or Police Dept" in gap["message"]


def test_no_spurious_single_point_of_failure(tmp_path: Path):
    """Residents who reach the team through their organizations do not hang on the one member_of row."""
    nodes = [
        dict(id="com-s", name="Southside", kind="community", population_share="0.2", priority="true"),
        dict(id="com-z", name="Zion Park", kind="community"),
        dict(id="p-grace", name="Grace Mensah", kind="person", sector="community_organization"),
        dict(id="p-z", name="Zed", kind="person", sector="other", community="com-z"),
        dict(id="p-y", name="Yan", kind="person", sector="other", community="com-z"),
    ]
    nodes += [dict(id=f"p-s{i}", name=f"South {i}", kind="person", sector="other", community="com-s") for i in range(4)]
    edges = [("p-grace", "com-s", "member_of", 4, 4), ("p-grace", "team", "communicates_with", 3, 3)]
    edges += [(f"p-s{i}", "org-pd" if i < 2 else "org-bh", "member_of", 3, 3) for i in range(4)]
    edges += [("p-z", "org-bh", "member_of", 2, 2), ("p-y", "org-pd", "member_of", 2, 2)]
    found = gaps_of(build(tmp_path, nodes=nodes, edges=edges))
    # Until issue 10: "Grace Mensah alone connects Southside" (the community cells were not ties) and
    # "Zion Park has no relationship" (named only in a community cell).
    assert not [g for g in found if g["kind"] in ("single_point_of_failure", "isolated")], found
    # The four residents reach the team through the police and the clinic: 4 of 5 residents (Grace is
    # one, by her member_of), no one organization carries more than half of the routes.
    assert not [g for g in found if g["kind"] == "trust" and g["subject"] == "com-s"]


def test_ended_relationships_are_left_out(tmp_path: Path):
    from stakeholder_graph.summary import summarize

    nodes = [
        dict(id="org-fb", name="Food Bank", kind="organization", sector="community_organization"),
        dict(id="svc-food", name="Pantry", kind="service", needs="food", hours="24/7"),
    ]
    edges = [
        ("org-fb", "svc-food", "provides", 4, 4),
        ("team", "org-fb", "partners_with", 3, 3, "2020-01-01", "2025-12-31"),  # ended before as_of
        ("org-fb", "org-sh", "partners_with", 2, 2, "2020-01-01", "2026-06-01"),  # ends on as_of: ended
        ("org-fb", "org-hr", "partners_with", 2, 2, "2026-07-01", ""),  # not begun on as_of
        ("p-5", "org-fb", "member_of", 2, 2),
    ]
    folder = build(tmp_path, nodes=nodes, edges=edges, program={"expected_needs": '["overdose", "housing", "food"]'})
    G = read_dataset(folder)
    found = {g["id"] for g in find_gaps(G)}
    assert "service_coverage/unreachable/food" in found  # the only referral partner has left
    summary = summarize(G)
    assert summary["ended_relationships"] == 3 and summary["relationships"] == G.number_of_edges()
    # the same network a year earlier, when the partnership held
    from stakeholder_graph.compare import as_of

    assert "service_coverage/unreachable/food" not in {g["id"] for g in find_gaps(as_of(G, "2025-06-01"))}


def test_isolated(tmp_path: Path):
    nodes = [
        dict(id="org-x", name="Tenants Union", kind="organization", sector="housing"),
        dict(id="p-8", name="Alone Eight", kind="person", sector="other"),
        dict(id="p-9", name="Alone Nine", kind="person", sector="other"),
    ]
    gaps = gaps_of(build(tmp_path, nodes=nodes, edges=[("p-8", "p-9", "communicates_with", 2, 2)]), "isolated")
    assert [(g["subject"], g["severity"]) for g in gaps] == [("org-x", "medium"), ("p-8", "medium")]
    assert gaps[1]["evidence"]["stakeholders"] == ["p-8", "p-9"]


def test_gaps_are_ordered_by_severity(tmp_path: Path):
    folder = build(
        tmp_path,
        nodes=[dict(id="org-x", name="Tenants Union", kind="organization", sector="housing")],
        program={"expected_sectors": '["dispatch_911"]', "expected_methods": '["focus_group"]'},
    )
    severities = [g["severity"] for g in gaps_of(folder)]
    assert severities == sorted(severities, key=["high", "medium", "low"].index)
    assert severities[0] == "high"


def test_lived_experience_kinds_without_a_voice(tmp_path: Path):
    folder = build(
        tmp_path,
        nodes=[
            dict(
                id="p-6",
                name="Peer Six",
                kind="person",
                sector="lived_experience",
                community="com-b",
                lived_experience="overdose|substance_use",
            )
        ],
        edges=[("p-6", "eng-s", "participated_in", 2, 2), ("p-6", "com-b", "member_of", 4, 4)],
    )
    rows = (folder / "stakeholders.csv").read_text()
    rows = rows.replace(",true,member,", ",police_response,member,", 1).replace(
        ",true,member,", ",crisis_services,member,", 1
    )
    (folder / "stakeholders.csv").write_text(rows)
    gaps = {g["check"]: g for g in gaps_of(folder, "lived_experience_voice")}
    # the board has lived experience of police response and crisis services, none of overdose or drug use
    assert gaps["kinds_without_voice"]["evidence"]["kinds"] == ["overdose", "substance_use"]
    assert gaps["kinds_without_voice"]["evidence"]["people"] == ["p-6"]
    assert "of overdose or substance use" in gaps["kinds_without_voice"]["message"]
    assert gaps["no_decision_role"]["evidence"]["people"] == ["p-6"]


def test_decision_role_no_is_not_a_seat(tmp_path: Path):
    # a "no" in every decision_role cell used to make everyone a decision-role holder
    folder = build(tmp_path, drop=[("p-3", "eng-b"), ("p-4", "eng-b"), ("p-2", "eng-b")])
    rows = (folder / "stakeholders.csv").read_text().replace(",chair,", ",no,").replace(",true,member,", ",true,No,")
    (folder / "stakeholders.csv").write_text(rows)
    gaps = gaps_of(folder, "lived_experience_voice")
    assert [g["check"] for g in gaps] == ["no_decision_role"]  # nobody holds a seat: no board to be missing from
    assert "decision_role" in read_dataset(folder).graph["warnings"][0]


def test_representation_by_group(tmp_path: Path):
    nodes = [
        dict(id=f"p-l{i}", name=f"Local {i}", kind="person", sector="other", community="com-b", language="English")
        for i in range(4)
    ]
    edges = [(f"p-l{i}", "eng-s", "participated_in", 2, 2) for i in range(4)]
    shares = "{ Spanish = 0.3, English = 0.6 }"
    folder = build(tmp_path, nodes=nodes, edges=edges, program={"population.language": shares})
    (gap,) = [g for g in gaps_of(folder, "representation") if g["check"] == "underrepresented_group"]
    assert gap["id"] == "representation/underrepresented_group/language:Spanish" and gap["severity"] == "medium"
    assert gap["evidence"]["engaged"] == 0 and gap["evidence"]["engaged_total"] == 4
    # shares given, nobody's language recorded: it cannot be checked (and is not concluded)
    (tmp_path / "none").mkdir()
    folder = build(tmp_path / "none", program={"population.age_group": '{ "18-24" = 0.2 }'})
    (gap,) = gaps_of(folder, "representation")
    assert gap["id"] == "representation/not_recorded/age_group" and gap["severity"] == "low"


def test_language_access(tmp_path: Path):
    folder = build(tmp_path)
    rows = (folder / "stakeholders.csv").read_text()
    rows = rows.replace(
        "com-a,Ashgrove,community,,,,,0.5,true,,,", "com-a,Ashgrove,community,,,,,0.5,true,,,Spanish|English"
    )
    rows = rows.replace(
        "svc-od1,Overdose line,service,,,,,,,overdose,24/7,",
        "svc-od1,Overdose line,service,,,,,,,overdose,24/7,English",
    )
    rows = rows.replace(
        "svc-h1,Emergency shelter,service,,,,,,,housing,24/7,",
        "svc-h1,Emergency shelter,service,,,,,,,housing,24/7,English|Spanish",
    )
    (folder / "stakeholders.csv").write_text(rows)
    (gap,) = gaps_of(folder, "language_access")
    # overdose: the line lists English only (the outreach service lists nothing, which says nothing);
    # housing: the shelter speaks Spanish
    assert gap["id"] == "language_access/not_reachable/Spanish" and gap["evidence"]["needs"] == ["overdose"]
    assert gap["severity"] == "high"  # spoken in a priority community, a crisis need
    assert gap["message"].startswith("No Spanish-speaking service for overdose is reachable")


def test_default_needs_are_the_needs_community_responders_exist_for(tmp_path: Path):
    from stakeholder_graph.program import Program

    assert Program().expected_needs == (
        "mental_health_crisis",
        "substance_use",
        "overdose",
        "housing",
        "wellness_check",
    )
    folder = build(tmp_path)
    (folder / "program.toml").write_text('team = "team"\nas_of = "2026-06-01"\n', encoding="utf-8")
    subjects = {g["subject"] for g in gaps_of(folder, "service_coverage") if g["check"] == "no_service"}
    assert subjects == {"mental_health_crisis", "substance_use", "wellness_check"}  # not youth, food, medical...
