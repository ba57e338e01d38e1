"""The dataset folder format: reading, typing, validation problems and writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakeholder_graph import DataError, read_dataset, validate_dataset, write_dataset
from tests.conftest import MINIMAL_RELATIONSHIPS, MINIMAL_STAKEHOLDERS, write_folder


def test_reads_typed_attributes(minimal: Path):
    G = read_dataset(minimal)
    assert G.number_of_nodes() == 8 and G.number_of_edges() == 8
    assert G.nodes["svc-1"]["needs"] == ["overdose", "medical"]
    assert G.nodes["com-n"]["population_share"] == 0.4
    assert G.nodes["com-n"]["priority"] is True
    assert G.nodes["p-1"]["lived_experience"] is True
    assert G.nodes["eng-1"]["date"] == "2026-03-01"
    assert "sector" not in G.nodes["com-n"]  # empty cells are absent, not empty strings
    assert G.edges["team-a", "org-1", "partners_with"] == {
        "type": "partners_with",
        "strength": 3,
        "trust": 3,
        "since": "2025-01-01",
    }
    assert G.graph["program"].team == "team-a"  # the only team is the default


def test_utf8_bom_and_unknown_columns_are_kept(tmp_path: Path):
    stakeholders = "\ufeff" + MINIMAL_STAKEHOLDERS.replace("method,date\n", "method,date,district\n", 1)
    stakeholders = stakeholders.replace(
        "team-a,Team A,team,mobile_crisis,,,,,,,,,", "team-a,Team A,team,mobile_crisis,,,,,,,,,,D3"
    )
    G = read_dataset(write_folder(tmp_path / "d", stakeholders=stakeholders))
    assert G.nodes["team-a"]["district"] == "D3"


def _problems(
    tmp_path: Path,
    stakeholders: str = MINIMAL_STAKEHOLDERS,
    relationships: str = MINIMAL_RELATIONSHIPS,
    program: str | None = None,
) -> list[str]:
    folder = write_folder(tmp_path / "bad", stakeholders, relationships, program)
    prefix = str(folder) + "/"
    return [str(p).removeprefix(prefix) for p in validate_dataset(folder)]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        # 1. unknown kind
        (
            ("stakeholders", "p-1,Ann Lee,person,", "p-1,Ann Lee,persn,"),
            "stakeholders.csv:5:kind: unknown kind 'persn'",
        ),
        # 2. unknown sector
        (
            ("stakeholders", "org-1,Clinic,organization,behavioral_health", "org-1,Clinic,organization,mental"),
            "stakeholders.csv:7:sector: unknown sector 'mental'",
        ),
        # 3. unknown relationship type
        (
            ("relationships", "team-a,svc-1,refers_to", "team-a,svc-1,sends_to"),
            "relationships.csv:4:type: unknown relationship type 'sends_to'",
        ),
        # 4. dangling id
        (
            ("relationships", "p-2,org-1,member_of", "p-2,org-9,member_of"),
            "relationships.csv:6:target: no stakeholder has the id 'org-9'",
        ),
        # 5. duplicate id
        (
            ("stakeholders", "org-1,Clinic", "p-1,Clinic"),
            "stakeholders.csv:7:id: duplicate id 'p-1' (first used on row 5)",
        ),
        # 6. value out of range
        (
            ("relationships", "team-a,org-1,partners_with,3,3", "team-a,org-1,partners_with,5,3"),
            "relationships.csv:2:strength: '5' is not a whole number from 1 to 4",
        ),
        (
            ("stakeholders", ",,0.4,true", ",,1.4,true"),
            "stakeholders.csv:3:population_share: '1.4' is not a share between 0 and 1",
        ),
        # 7. bad date
        (
            ("stakeholders", "survey,2026-03-01", "survey,01/03/2026"),
            "stakeholders.csv:9:date: '01/03/2026' is not a date written YYYY-MM-DD",
        ),
        (
            ("relationships", "3,3,2025-01-01,,", "3,3,2025-01-01,2024-12-31,"),
            "relationships.csv:2:until: ends (2024-12-31) before it begins (2025-01-01)",
        ),
        # 8. bad boolean
        (
            ("stakeholders", "com-n,true,,", "com-n,perhaps,,"),
            "stakeholders.csv:5:lived_experience: 'perhaps' is not true or false",
        ),
        # 9. relationship joining kinds it may not join
        (
            ("relationships", "org-1,svc-1,provides", "svc-1,org-1,provides"),
            "relationships.csv:3:source: provides cannot start from a service (svc-1)",
        ),
        # 10. duplicate relationship
        (
            ("relationships", "p-1,p-2,trusts,2,1,,,", "p-1,p-2,trusts,2,1,,,\np-1,p-2,trusts,3,3,,,"),
            "relationships.csv:10:type: duplicate relationship p-1 trusts p-2 (first on row 9)",
        ),
        # 11. unknown need, method and hours
        (
            ("stakeholders", "overdose|medical,24/7", "overdose|medicine,24/7"),
            "stakeholders.csv:8:needs: unknown need 'medicine'",
        ),
        (
            ("stakeholders", "overdose|medical,24/7", "overdose|medical,sometimes"),
            "stakeholders.csv:8:hours: cannot read hours 'sometimes'",
        ),
        (("stakeholders", ",survey,2026", ",poll,2026"), "stakeholders.csv:9:method: unknown engagement method 'poll'"),
        # 12. empty required cell, bad id, unknown community
        (("stakeholders", "org-1,Clinic", "org-1,"), "stakeholders.csv:7:name: name is empty"),
        (("stakeholders", "org-1,Clinic", "org 1,Clinic"), "stakeholders.csv:7:id: 'org 1' is not a valid id"),
        (
            ("stakeholders", "p-1,Ann Lee,person,lived_experience,com-n", "p-1,Ann Lee,person,lived_experience,com-z"),
            "stakeholders.csv:5:community: 'com-z' is not the id of a stakeholder of kind community",
        ),
        # 13. missing required column
        (
            ("relationships", "source,target,type,strength,trust", "source,target,kind,strength,trust"),
            "relationships.csv:1:type: required column is missing from the header",
        ),
    ],
)
def test_each_broken_input_is_located(tmp_path: Path, edit, expected):
    which, old, new = edit
    texts = {"stakeholders": MINIMAL_STAKEHOLDERS, "relationships": MINIMAL_RELATIONSHIPS}
    assert old in texts[which], "the test's edit must apply"
    texts[which] = texts[which].replace(old, new, 1)
    problems = _problems(tmp_path, **texts)
    assert any(p.startswith(expected) for p in problems), problems


def test_all_problems_are_reported_at_once(tmp_path: Path):
    stakeholders = MINIMAL_STAKEHOLDERS.replace("p-1,Ann Lee,person,", "p-1,Ann Lee,persn,").replace(
        "org-1,Clinic,organization,behavioral_health", "org-1,Clinic,organization,mental"
    )
    relationships = MINIMAL_RELATIONSHIPS.replace("team-a,svc-1,refers_to", "team-a,svc-1,sends_to")
    problems = _problems(tmp_path, stakeholders, relationships)
    assert len(problems) == 3, problems


def test_not_utf8_names_row_and_column(tmp_path: Path):
    folder = write_folder(tmp_path / "latin1")
    (folder / "stakeholders.csv").write_bytes(
        MINIMAL_STAKEHOLDERS.replace("Ann Lee", "Jos\u00e9 Lee").encode("latin-1")
    )
    problems = [str(p) for p in validate_dataset(folder)]
    assert problems == [
        f"{folder}/stakeholders.csv:5:name: is not UTF-8 text: in your spreadsheet, save as 'CSV UTF-8'"
    ]


def test_empty_and_missing_files(tmp_path: Path):
    folder = write_folder(tmp_path / "empty", relationships="")
    (folder / "stakeholders.csv").unlink()
    problems = [str(p).removeprefix(f"{folder}/") for p in validate_dataset(folder)]
    assert problems == [
        "stakeholders.csv: file not found: a dataset folder needs this file",
        "relationships.csv: file is empty: it needs a header row (source,target,type,strength,trust)",
    ]


def test_program_toml_problems(tmp_path: Path):
    problems = _problems(tmp_path, program='team = "com-n"\nexpected_sectors = ["police"]\ncolour = 1\n')
    assert "program.toml: team: 'com-n' is not the id of a stakeholder of kind team" in problems
    assert any(p.startswith("program.toml: expected_sectors: unknown value(s) police") for p in problems)
    assert any(p.startswith("program.toml: colour: unknown key") for p in problems)
    assert _problems(tmp_path, program="name = [") and _problems(tmp_path, program="name = [")[0].startswith(
        "program.toml: is not valid TOML"
    )


def test_write_then_read_is_identical(minimal: Path, tmp_path: Path):
    G = read_dataset(minimal)
    out = write_dataset(G, tmp_path / "copy")
    H = read_dataset(out)
    assert dict(G.nodes(data=True)) == dict(H.nodes(data=True))
    assert sorted(G.edges(keys=True, data=True)) == sorted(H.edges(keys=True, data=True))
    assert G.graph["program"] == H.graph["program"]


def test_write_refuses_a_non_empty_folder_and_leaves_no_partial_files(minimal: Path, tmp_path: Path):
    G = read_dataset(minimal)
    with pytest.raises(DataError, match="not empty"):
        write_dataset(G, minimal)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minimal"]


# --------------------------------------------------------------------------------------------------
# Spreadsheet habits and who people are


def test_decision_role_that_says_no_is_no_role_with_a_warning(tmp_path: Path):
    from stakeholder_graph.gaps import decision_holders

    stakeholders = MINIMAL_STAKEHOLDERS.replace(",false,board chair,", ",false,N/A,").replace(
        "p-1,Ann Lee,person,lived_experience,com-n,true,,", "p-1,Ann Lee,person,lived_experience,com-n,true,FALSE,"
    )
    G = read_dataset(write_folder(tmp_path / "roles", stakeholders=stakeholders))
    assert "decision_role" not in G.nodes["p-1"] and "decision_role" not in G.nodes["p-2"]
    assert decision_holders(G) == set()
    (warning,) = G.graph["warnings"]
    assert "decision_role: 2 cell(s) say 'FALSE', 'N/A': read as no decision role (rows 5, 6)" in warning


def test_lived_experience_true_false_or_kinds(tmp_path: Path):
    stakeholders = MINIMAL_STAKEHOLDERS.replace("com-n,true,,", "com-n,police_response|Crisis_Services,,")
    G = read_dataset(write_folder(tmp_path / "kinds", stakeholders=stakeholders))
    assert G.nodes["p-1"]["lived_experience"] == ["police_response", "crisis_services"]
    assert G.nodes["p-2"]["lived_experience"] is False
    bad = write_folder(tmp_path / "bad", stakeholders=MINIMAL_STAKEHOLDERS.replace("com-n,true,,", "com-n,prison,,"))
    (problem,) = validate_dataset(bad)
    assert (problem.row, problem.column) == (5, "lived_experience") and "'prison'" in problem.message
    assert "crisis_services, police_response, substance_use, overdose, family" in problem.message


def test_demographic_columns_and_population_shares(tmp_path: Path):
    from stakeholder_graph.program import program_to_toml, read_program

    lines = MINIMAL_STAKEHOLDERS.splitlines()
    lines[0] += ",race_ethnicity,language,age_group"
    lines = [
        line + (",Black|Latino,Spanish,25-44" if line.startswith("p-1,") else ",,," if i else "")
        for i, line in enumerate(lines)
    ]
    stakeholders = "\n".join(lines) + "\n"
    program = '[population.language]\nSpanish = 0.2\n"Haitian Creole" = 0.05\n\n[population.age_group]\n"18-24" = 0.1\n'
    folder = write_folder(tmp_path / "who", stakeholders=stakeholders, program=program)
    G = read_dataset(folder)
    assert G.nodes["p-1"]["race_ethnicity"] == ["Black", "Latino"] and G.nodes["p-1"]["language"] == "Spanish"
    shares = G.graph["program"].population_shares("language")
    assert shares == {"Spanish": 0.2, "Haitian Creole": 0.05}
    assert G.graph["program"].population_shares("age_group") == {"18-24": 0.1}
    # written back as the same tables, read back the same
    (tmp_path / "again.toml").write_text(program_to_toml(G.graph["program"]), encoding="utf-8")
    again, problems = read_program(tmp_path / "again.toml")
    assert problems == [] and again == G.graph["program"]
    # the whole folder too
    write_dataset(G, tmp_path / "out")
    assert read_dataset(tmp_path / "out").nodes["p-1"]["race_ethnicity"] == ["Black", "Latino"]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[population.religion]\nx = 0.1\n", "population.religion: unknown column"),
        ("[population.language]\nSpanish = 1.5\n", "population.language.Spanish: must be a share"),
        ("population = 3\n", "population: must be tables"),
        ("min_trust = 5\n", "min_trust: must be a whole number from 1 to 4"),
        ("messenger_min_residents = 0\n", "messenger_min_residents: must be a whole number"),
        ("min_trusted_share = 2\n", "min_trusted_share: must be a share between 0 and 1"),
    ],
)
def test_program_settings_are_checked(tmp_path: Path, toml: str, message: str):
    problems = validate_dataset(write_folder(tmp_path / "p", program=toml))
    assert any(message in p.message for p in problems), problems
