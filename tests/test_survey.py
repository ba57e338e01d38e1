"""PARTNER-style relational survey exports: ties, ratings, response rate and the survey_response gap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stakeholder_graph.errors import DataError
from stakeholder_graph.formats.survey import SURVEY_COLUMNS, gaps_survey_response, read_survey
from stakeholder_graph.gaps import GAP_KINDS, find_gaps
from stakeholder_graph.scores import node_scores
from stakeholder_graph.sources import detect_format

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "partner-survey.csv"
HEADER = ",".join(SURVEY_COLUMNS) + ",comment\n"


def write(tmp_path: Path, rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "survey.csv"
    path.write_text(header + rows, encoding="utf-8")
    return path


def problems(call) -> list[str]:
    with pytest.raises(DataError) as info:
        call()
    return [str(p) for p in info.value.problems]


def test_sample_survey():
    G = read_survey(SAMPLE)
    assert detect_format(SAMPLE) == "survey"
    survey = G.graph["survey"]
    assert survey["invited"] == 20 and survey["responded"] == 14 and survey["response_rate"] == 0.7
    assert "cedar-county-sheriff-s-office" in survey["non_respondents"]
    assert G.number_of_nodes() == 20
    assert {k for _, _, k in G.edges(keys=True)} == {"trusts"}
    for _, _, attrs in G.edges(data=True):
        assert 1 <= attrs["strength"] <= 4 and 1 <= attrs["trust"] <= 4
        assert all(
            isinstance(attrs[d], int)
            for d in ("reliability", "mission", "openness", "power", "involvement", "resources")
        )
    assert G.nodes["cedar-valley-mobile-crisis-team"]["sector"] == "mobile_crisis"
    # non-respondents are rated by others but rate no one
    assert G.in_degree("cedar-county-sheriff-s-office") > 0 and G.out_degree("cedar-county-sheriff-s-office") == 0


def test_ties_trust_and_levels(tmp_path: Path):
    path = write(
        tmp_path,
        "Harbor,housing,Clinic,Behavioral health,coordination,2,3,3,4,3,2,met twice\n"
        "Harbor,,Police,police,1,2,2,3,,,,\n"
        "Harbor,,Shelter,,none,,,,,,,\n"
        "Clinic,,Harbor,,integration,2,3,,,,,\n"
        "Clinic,,Police,,,,,,,,,\n",
    )
    G = read_survey(path)
    assert G.edges["harbor", "clinic", "trusts"] == {
        "type": "trusts",
        "strength": 3,
        "trust": 3,
        "reliability": 2,
        "mission": 3,
        "openness": 3,
        "power": 4,
        "involvement": 3,
        "resources": 2,
        "comment": "met twice",
    }  # mean 2.67 -> 3
    assert G.edges["harbor", "police", "trusts"]["trust"] == 2  # mean 2.33 -> 2
    assert G.edges["clinic", "harbor", "trusts"]["trust"] == 3  # mean 2.5 rounds half up
    assert not G.has_edge("harbor", "shelter") and not G.has_edge("clinic", "police")  # none / not answered
    assert G.nodes["police"]["sector"] == "law_enforcement" and G.nodes["clinic"]["sector"] == "behavioral_health"
    assert G.graph["survey"] == {
        "invited": 4,
        "responded": 2,
        "response_rate": 0.5,
        "non_respondents": ["police", "shelter"],
    }
    # PARTNER scores: how an organization is seen by the others
    assert node_scores(G)["clinic"]["trust_score"] == pytest.approx(8 / 3)


def test_survey_response_gap(tmp_path: Path):
    G = read_survey(SAMPLE)
    gap = next(g for g in find_gaps(G) if g["kind"] == "survey_response")
    assert gap == gaps_survey_response(G)[0]
    assert gap["severity"] == "medium" and gap["subject"] == "partner_survey"
    assert gap["evidence"]["response_rate"] == 0.7 and len(gap["evidence"]["non_respondents"]) == 6
    assert gap["message"].startswith("14 of 20 invited organizations answered the partner survey (70%); 6 did not:")
    assert set(gap) >= {"kind", "severity", "subject", "message", "evidence", "recommendation"}
    assert GAP_KINDS[-1] == "survey_response"
    everyone = read_survey(write(tmp_path, "A,,B,,2,,,,,,,\nB,,A,,2,,,,,,,\n"))
    assert gaps_survey_response(everyone) == []
    low = read_survey(write(tmp_path, "A,,B,,2,,,,,,,\nA,,C,,2,,,,,,,\n"))
    assert gaps_survey_response(low)[0]["severity"] == "high"


def test_bad_exports_report_every_problem(tmp_path: Path):
    path = write(tmp_path, "x\n", header="respondent,partner_name,level\n")
    assert problems(lambda: read_survey(path)) == [f"{path}:1:partner: required column is missing from the header"]
    path = write(
        tmp_path,
        "Harbor,housing,Clinic,,2,2,3,3,4,3,2,\n"
        "Harbor,,Police,cops,2,5,3,3,,,,\n"
        ",,Police,,2,,,,,,,\n"
        "Harbor,,Clinic,,3,,,,,,,\n"
        "Clinic,,Harbor,,often,,,,,,,\n"
        "Clinic,,Clinic,,3,,,,,,,\n",
    )
    assert problems(lambda: read_survey(path)) == [
        f"{path}:3:partner_sector: unknown sector 'cops'; use one of law_enforcement, dispatch_911, ems_fire, "
        "mobile_crisis, behavioral_health, housing, harm_reduction, health_department, legislator, local_government, "
        "community_organization, neighborhood_watch, education, counseling, faith_based, family_advocate, "
        "lived_experience, business, other",
        f"{path}:3:reliability: '5' is not a rating: write a whole number from 1 to 4",
        f"{path}:4:respondent: respondent is empty: name the organization",
        f"{path}:5:partner: Harbor rated Clinic already on row 2",
        f"{path}:6:level: 'often' is not a level: write none, awareness, cooperation, coordination, integration, "
        "or 0 to 4",
        f"{path}:7:partner: an organization cannot rate itself",
    ]
    path.write_bytes(b"respondent,partner,level\nCaf\xe9,B,1\n")
    assert "is not UTF-8 text" in problems(lambda: read_survey(path))[0]


def test_conflicting_sectors(tmp_path: Path):
    path = write(tmp_path, "Harbor,housing,Clinic,,2,,,,,,,\nClinic,,Harbor,faith,2,,,,,,,\n")
    assert problems(lambda: read_survey(path)) == [
        f"{path}:3:partner_sector: Harbor is in sector housing on row 2, faith_based here"
    ]


def test_cli_report_and_gaps_on_the_sample():
    from click.testing import CliRunner

    from stakeholder_graph.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["report", str(SAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["stakeholders"] == 20
    assert any(g["kind"] == "survey_response" for g in report["gaps"])
    assert report["scores"]["network"]["trust"]["rated"] > 0
    result = runner.invoke(cli, ["gaps", str(SAMPLE)])
    assert result.exit_code == 0 and "survey_response" in result.stdout


def test_a_survey_round_kept_in_the_network_gives_the_gap(minimal: Path):
    """A round run in the workspace is an engagement of method survey listing whom it invited; those with a
    participated_in tie to it answered. The newest such round is the survey (by date)."""
    from stakeholder_graph import read_dataset
    from stakeholder_graph.formats.survey import survey_of

    G = read_dataset(minimal)
    assert survey_of(G) is None and gaps_survey_response(G) == []  # eng-1 is a survey with no invited cell
    G.add_node("team-b", name="Team B", kind="team", sector="mobile_crisis")
    G.add_node("eng-r1", name="Partners 2026", kind="engagement", method="survey", date="2026-04-01")
    G.nodes["eng-r1"]["invited"] = "org-1|team-a|team-b"
    G.add_edge("org-1", "eng-r1", key="participated_in", type="participated_in")
    G.add_node("eng-r0", name="Partners 2025", kind="engagement", method="survey", date="2025-04-01", invited="org-1")
    assert survey_of(G) == {
        "invited": 3,
        "responded": 1,
        "response_rate": 0.3333,
        "non_respondents": ["team-a", "team-b"],
        "round": "eng-r1",
        "name": "Partners 2026",
        "date": "2026-04-01",
    }
    gap = next(g for g in find_gaps(G) if g["kind"] == "survey_response")
    assert gap["severity"] == "high" and gap["evidence"]["round"] == "eng-r1"
    assert gap["message"] == (
        "1 of 3 invited organizations answered the partner survey \u201cPartners 2026\u201d of 2026-04-01 (33%); "
        "2 did not: Team A, Team B."
    )


def test_rated_tie_rounds_trust_halves_up_and_keeps_the_ratings():
    from stakeholder_graph.formats.survey import rated_tie

    assert rated_tie(2, {"reliability": 2, "mission": 3, "power": 4}) == {
        "type": "trusts",
        "strength": 2,
        "trust": 3,  # 2.5
        "reliability": 2,
        "mission": 3,
        "power": 4,
    }
    assert rated_tie(1, {"reliability": None}) == {"type": "trusts", "strength": 1}


def test_survey_csv_reads_back_and_neutralises_formulas(tmp_path: Path):
    from stakeholder_graph.formats.survey import survey_csv

    rows = [
        {"respondent": "=cmd|' /C calc'!A0", "partner": "Harbor", "level": "coordination", "reliability": 4},
        {"respondent": "Harbor", "partner": "=cmd|' /C calc'!A0", "level": "", "partner_sector": "housing"},
        {"respondent": "-Ana-", "partner": "Harbor", "level": "none"},
    ]
    text = survey_csv(rows)
    assert "\n'=cmd|' /C calc'!A0," in text and "\n'-Ana-," in text
    G = read_survey(write(tmp_path, text.split("\n", 1)[1], header=text.split("\n", 1)[0] + "\n"))
    assert sorted(a["name"] for _, a in G.nodes(data=True)) == ["-Ana-", "=cmd|' /C calc'!A0", "Harbor"]
    assert G.graph["survey"]["responded"] == 3 and G.number_of_edges() == 1


def test_an_anonymised_round_keeps_whom_it_invited_under_the_ids_it_shows(minimal: Path):
    from stakeholder_graph import read_dataset
    from stakeholder_graph.formats.survey import survey_of
    from stakeholder_graph.privacy import anonymize

    G = read_dataset(minimal)
    G.add_node("eng-r1", name="Partners 2026", kind="engagement", method="survey", date="2026-04-01")
    G.nodes["eng-r1"]["invited"] = "org-1|p-2|team-a"  # a person too, in a hand-made file
    G.add_edge("p-2", "eng-r1", key="participated_in", type="participated_in")
    H = anonymize(G, key="k" * 32)
    shown = next(
        n for n in H if H.nodes[n].get("kind") == "person" and n.startswith("person-") and H.has_edge(n, "eng-r1")
    )
    assert H.nodes["eng-r1"]["invited"] == f"org-1|{shown}|team-a" and "p-2" not in H.nodes["eng-r1"]["invited"]
    assert survey_of(H)["non_respondents"] == ["org-1", "team-a"] and survey_of(H)["responded"] == 1
