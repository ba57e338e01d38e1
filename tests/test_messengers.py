"""Credible messengers and community trust from the residents' side, on a small hand-made city.

Harbor Flats is a priority neighborhood of seven residents. Officer Dale Brooks lives there: his
colleagues and the team trust him (4), the residents do not (1). Pastor Ruth Ames is trusted by every
other resident (4) and by a team medic; she alone carries every resident's trusted route to the team.
Until issue 10, the officer was Harbor Flats' "credible messenger" (a resident with trusted ties
outward), and since one resident (him) had a trusted path of his own the community had no trust gap.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stakeholder_graph import read_dataset
from stakeholder_graph.bridges import bridges
from stakeholder_graph.gaps import find_gaps
from stakeholder_graph.messengers import (
    community_messengers,
    community_trust,
    credible_messengers,
    introducers,
    introductions,
    messengers,
)
from tests.conftest import DATA, write_folder

RESIDENTS = [f"p-r{i}" for i in range(1, 6)]

CITY = """id,name,kind,sector,community,population_share,priority
team,Harbor Response Team,team,mobile_crisis,,,
com-h,Harbor Flats,community,,,0.2,true
com-o,Oak Hill,community,,,0.8,false
p-medic,Sam Medic,person,ems_fire,com-o,,
org-pd,Harbor Police,organization,law_enforcement,,,
p-sgt,Sgt. Lee,person,law_enforcement,com-o,,
p-officer,Dale Brooks,person,law_enforcement,com-h,,
p-pastor,Ruth Ames,person,faith_based,com-h,,
org-church,Harbor Flats Chapel,organization,faith_based,,,
""" + "".join(f"{r},Resident {r[-1]},person,,com-h,,\n" for r in RESIDENTS)

TIES = (
    """source,target,type,strength,trust,since,until
p-medic,team,member_of,4,4,,
team,org-pd,partners_with,3,4,,
p-sgt,org-pd,member_of,4,4,,
p-officer,org-pd,member_of,4,4,,
p-officer,p-sgt,communicates_with,4,4,,
team,p-officer,trusts,3,4,,
p-pastor,p-medic,communicates_with,3,4,,
p-pastor,org-church,member_of,4,4,,
"""
    + "".join(f"{r},p-officer,trusts,1,1,,\n" for r in RESIDENTS)
    + "".join(f"{r},p-pastor,trusts,3,4,,\n{r},org-church,member_of,3,4,,\n" for r in RESIDENTS)
    + "p-officer,p-pastor,communicates_with,2,2,,\n"
)


def city(tmp_path: Path, ties: str = TIES, program: str | None = None) -> Path:
    return write_folder(tmp_path / "harbor", CITY, ties, program)


@pytest.fixture
def G(tmp_path: Path):
    return read_dataset(city(tmp_path))


def test_officer_distrusted_by_residents_is_not_their_messenger(G):
    found = community_messengers(G, "com-h")
    assert "p-officer" not in {p["id"] for p in found["messengers"] + found["trusted_voices"]}
    (officer,) = found["not_trusted"]
    assert officer["id"] == "p-officer" and officer["mean_trust"] < 3
    assert officer["team"] and officer["sectors"] == ["law_enforcement"]  # his position is not the question
    assert "average trust" in officer["why"]
    assert credible_messengers(G)["p-officer"]["credible_messenger"] is False
    row = next(r for r in bridges(G) if r["id"] == "p-officer")
    assert row["credible_messenger"] is False and row["messenger_for"] == []


def test_pastor_trusted_by_residents_is_their_messenger(G):
    (pastor,) = community_messengers(G, "com-h")["messengers"]
    assert pastor["id"] == "p-pastor"
    # trusted (4) by the five residents; the officer's tie to her (2) counts in the average, not as trust
    assert pastor["trusted_by"] == RESIDENTS and pastor["residents"] == 6
    assert pastor["mean_trust"] == pytest.approx((5 * 4 + 2) / 6, abs=0.01)
    assert (
        pastor["team"] is True and pastor["sectors"] == []
    )  # a team member trusts her; the chapel is Harbor Flats' own
    assert pastor["score"] == 5 * (1 + 0 + 1)
    assert "5 of 6 Harbor Flats residents" in pastor["why"]


def test_trust_gap_names_the_pastor_every_route_depends_on(G):
    routes = community_trust(G, "com-h")
    # every resident has a trusted route: the five through the pastor, the pastor and the officer their own
    assert routes["reached"] == sorted(["p-officer", "p-pastor", *RESIDENTS]) and routes["share"] == 1.0
    assert routes["depends_on"][0] == {"id": "p-pastor", "name": "Ruth Ames", "residents": 5}
    (gap,) = [g for g in find_gaps(G) if g["kind"] == "trust"]
    assert gap["id"] == "trust/depends_on_one/com-h" and gap["severity"] == "high"
    assert gap["evidence"]["depends_on"] == "p-pastor"
    assert gap["evidence"]["messengers"] == ["p-pastor"] and gap["evidence"]["not_trusted"] == ["p-officer"]
    assert "reach it only through one person, Ruth Ames" in gap["message"]


def test_without_the_pastors_tie_no_resident_has_a_trusted_route(tmp_path: Path):
    G = read_dataset(
        city(tmp_path, TIES.replace("p-pastor,p-medic,communicates_with,3,4", "p-pastor,p-medic,communicates_with,3,2"))
    )
    routes = community_trust(G, "com-h")
    assert routes["reached"] == ["p-officer"]  # his own route through the police
    (gap,) = [g for g in find_gaps(G) if g["kind"] == "trust"]
    assert gap["check"] == "low_trusted_share" and gap["evidence"]["share"] == round(1 / 7, 4)
    assert "Ruth Ames" in gap["recommendation"] and "not through Dale Brooks" in gap["recommendation"]
    # nobody at all: the officer's own route gone too
    H = read_dataset(
        city(
            tmp_path / "none",
            TIES.replace("p-pastor,p-medic,communicates_with,3,4", "p-pastor,p-medic,communicates_with,3,2")
            .replace("p-officer,org-pd,member_of,4,4", "p-officer,org-pd,member_of,4,2")
            .replace("p-officer,p-sgt,communicates_with,4,4", "p-officer,p-sgt,communicates_with,4,2"),
        )
    )
    (gap,) = [g for g in find_gaps(H) if g["kind"] == "trust"]
    assert gap["check"] == "no_trusted_path"
    assert gap["evidence"]["best_path_weakest_trust"] == 2
    assert "best route" in gap["message"]


def test_thresholds_come_from_program_toml(tmp_path: Path):
    G = read_dataset(city(tmp_path, program="messenger_min_residents = 6\n"))
    assert community_messengers(G, "com-h")["messengers"] == []  # five residents are not six
    assert community_messengers(G, "com-h")["trusted_voices"] == []
    G = read_dataset(city(tmp_path / "strict", program="min_trust = 4\nmax_dependence = 0.9\n"))
    assert [g["check"] for g in find_gaps(G) if g["kind"] == "trust"] == []  # 5 of 7 is not more than 0.9


def test_undirected_ties_count_both_ways_directed_only_from_the_source(tmp_path: Path):
    # the officer trusts the residents (4), which says nothing about their trust in him
    ties = TIES + "".join(f"p-officer,{r},trusts,2,4,,\n" for r in RESIDENTS)
    G = read_dataset(city(tmp_path, ties))
    assert "p-officer" in {p["id"] for p in community_messengers(G, "com-h")["not_trusted"]}
    # a communicates_with written from the officer's side is the residents' word too
    ties = TIES.replace("p-officer,p-pastor,communicates_with,2,2", "p-officer,p-pastor,communicates_with,2,4")
    G = read_dataset(city(tmp_path / "both", ties))
    (pastor,) = community_messengers(G, "com-h")["messengers"]
    assert pastor["trusted_by"] == sorted(["p-officer", *RESIDENTS])


def test_ended_relationships_do_not_carry_trust(tmp_path: Path):
    ties = TIES.replace(
        "p-pastor,p-medic,communicates_with,3,4,,", "p-pastor,p-medic,communicates_with,3,4,2020-01-01,2025-01-01"
    )
    G = read_dataset(city(tmp_path, ties, 'as_of = "2026-01-01"\n'))
    assert community_messengers(G, "com-h")["messengers"] == []  # her tie to the team has ended
    assert [p["id"] for p in community_messengers(G, "com-h")["trusted_voices"]] == ["p-pastor"]
    assert community_trust(G, "com-h")["reached"] == ["p-officer"]


def test_introductions_and_introducers(G):
    # the pastor's trusted contacts with no tie to the team: the residents and her chapel
    assert [r["id"] for r in introductions(G, "p-pastor")] == sorted(["org-church", *RESIDENTS])
    # a resident reaches the team through someone trusted by both sides: the pastor (a medic trusts her)
    assert [r["id"] for r in introducers(G, "p-r1")] == ["p-pastor"]
    assert introducers(G, "p-pastor") == []  # she has her own trusted tie to the team


def test_messengers_lists_each_priority_community(G):
    (entry,) = messengers(G)
    assert entry["community"] == "com-h" and entry["residents"] == 7
    assert [p["id"] for p in entry["messengers"]] == ["p-pastor"]


# --------------------------------------------------------------------------------------------------
# Riverton


@pytest.fixture(scope="module")
def riverton():
    return read_dataset(DATA / "riverton")


def test_riverton_luis_ferreira_is_not_eastbanks_messenger(riverton):
    east = community_messengers(riverton, "com-eastbank")
    assert east["messengers"] == []
    assert "p-luis-ferreira" not in {p["id"] for p in east["trusted_voices"]}
    assert [p["id"] for p in east["not_trusted"]] == ["p-luis-ferreira"]
    assert east["not_trusted"][0]["mean_trust"] == 2.0
    assert credible_messengers(riverton)["p-luis-ferreira"]["credible_messenger"] is False


def test_riverton_eastbank_names_the_people_its_residents_trust(riverton):
    trusted = [p["id"] for p in community_messengers(riverton, "com-eastbank")["trusted_voices"]]
    assert trusted[:3] == ["p-guadalupe-ortega", "p-efrain-solis", "p-marisol-vazquez"]
    assert community_trust(riverton, "com-eastbank")["reached"] == []


def test_riverton_keisha_morgan_is_northgates_messenger_and_its_single_route(riverton):
    north = community_messengers(riverton, "com-northgate")
    assert [p["id"] for p in north["messengers"]] == ["p-keisha-morgan"]
    assert len(north["messengers"][0]["trusted_by"]) == 10
    assert community_trust(riverton, "com-northgate")["depends_on"][0]["id"] == "p-keisha-morgan"


# --------------------------------------------------------------------------------------------------
# The Cypher query gives the same messengers and counts (a real Neo4j server; skipped without one)


@pytest.fixture(scope="module")
def driver():
    from stakeholder_graph import DatabaseError
    from stakeholder_graph.neo4j_store.store import connect

    try:
        driver = connect(os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"))
    except DatabaseError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a Neo4j server: {exc}")
        pytest.skip(f"no Neo4j server: {exc}")
    yield driver
    driver.close()


def _query(driver, graph, name: str, **params):
    import uuid

    from stakeholder_graph.neo4j_store.queries import find_query, parse_params, run_query
    from stakeholder_graph.neo4j_store.store import delete_wave, load_graph

    wave = f"test-{uuid.uuid4().hex[:8]}"
    load_graph(driver, graph, wave=wave)
    try:
        query = find_query(name)
        values = parse_params(query, [f"{k}={v}" for k, v in {"wave": wave, **params}.items()])
        return run_query(driver, query, values)[1]
    finally:
        delete_wave(driver, wave)


@pytest.mark.parametrize("which", ["riverton", "harbor"])
def test_cypher_messengers_match_python(driver, riverton, tmp_path: Path, which):
    G = riverton if which == "riverton" else read_dataset(city(tmp_path))
    rows = {r["community"]: r for r in _query(driver, G, "priority-community-messengers")}
    expected = {e["community"]: e for e in messengers(G)}
    assert set(rows) == set(expected)
    for community, row in rows.items():
        assert row["residents"] == expected[community]["residents"]
        assert [
            (m["id"], m["trusted_by"], m["residents"], m["mean_trust"], m["team"], m["sectors"], m["score"])
            for m in row["messengers"]
        ] == [
            (m["id"], len(m["trusted_by"]), m["residents"], m["mean_trust"], m["team"], m["sectors"], m["score"])
            for m in expected[community]["messengers"]
        ]


def test_cypher_introductions_match_python(driver, riverton):
    rows = _query(driver, riverton, "introductions", id="p-keisha-morgan")
    assert [(r["id"], r["trust"]) for r in rows] == [
        (r["id"], r["trust"]) for r in introductions(riverton, "p-keisha-morgan")
    ]
