"""Partner survey rounds in the workspace (issue 15) through HTTP: a round from creation to a wave, the
private links (unguessable, hashed, revocable, only for their round and dates, refused alike, throttled), one
partner never reaching another's answers, what partners may see, suggestions, two rounds as two waves, and
hostile text inert in every page and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import sqlite3

import pytest

from stakeholder_graph.formats.survey import read_survey
from stakeholder_graph.gaps import find_gaps
from stakeholder_graph.scores import network_scores
from stakeholder_graph.web.auth import FREE_ATTEMPTS
from stakeholder_graph.web.surveys import TOKEN_BYTES, link_hash
from tests._surveys import FULL, PARTIAL, PARTNERS, TODAY, Today, create_round, form_data, issue_links, survey_app
from tests._web import client, login, post, token
from tests.test_web import HOSTILE, HOSTILE_ORG, hostile_folder


@pytest.fixture
def app(tmp_path):
    app = survey_app(None, tmp_path)
    yield app
    app.state.workspace.close()


def answer(path: str, app, answers: dict, **more):
    return client(app).post(path, data={**form_data(answers), **more})


def test_a_round_from_creation_to_a_wave(app):
    ed = login(app, "ed")
    rid = create_round(ed, questions="What would make working with the crisis team easier?")
    response = post(
        ed,
        f"/surveys/{rid}",
        f"/surveys/{rid}/contacts",
        {"contact:org-rpd": "Lt. Ana Ruiz", "email:org-rpd": "aruiz@example.org"},
    )
    assert "Contacts saved." in response.text and 'value="aruiz@example.org"' in response.text
    links = issue_links(ed, rid)
    assert set(links) == set(PARTNERS)
    assert "Responses: 0 of 3 (0%)" in ed.get(f"/surveys/{rid}").text

    form = client(app).get(links["org-rpd"])
    assert form.status_code == 200 and "Riverton Harm Reduction Project" in form.text
    assert "Other partners never see your answers" in form.text and "Who sees them" in form.text
    assert "Sign out" not in form.text and "/stakeholders" not in form.text  # nothing of the team's workspace
    saved = answer(links["org-rpd"], app, FULL, **{"text:0": "Shared training on overdose calls."})
    assert saved.status_code == 200 and "Saved." in saved.text and "You have rated 2 of 2 partners" in saved.text
    autosave = client(app).post(links["org-hrp"], data={**form_data(PARTIAL), "autosave": "1"})
    assert autosave.json() == {"saved": autosave.json()["saved"], "answered": 1, "of": 2}
    client(app).get(links["org-coc"])  # opened, nothing saved

    page = html.unescape(ed.get(f"/surveys/{rid}").text)
    assert "Responses: 2 of 3 (67%)" in page
    assert re.search(r"Riverton Continuum of Care.*?opened", page, re.S)
    assert "Answered in part" in page and "Riverton Harm Reduction Project: 1 of 2" in page
    assert (
        "2 of 3 invited organizations answered the partner survey (67%); 1 did not: Riverton Continuum of Care." in page
    )
    # PARTNER's scores of the answers so far, worked by hand: ties' trust 11/3, 7/3 and 4, value 3, 2 and 11/3
    assert '<th scope="row">Trust (1-4)</th><td>3.33 (83%)</td>' in page
    assert '<th scope="row">Value (1-4)</th><td>2.89 (72%)</td>' in page
    assert "Shared training on overdose calls." in page
    reminders = list(csv.DictReader(io.StringIO(ed.get(f"/surveys/{rid}/download/reminders").text)))
    assert [(r["organization_id"], r["status"]) for r in reminders] == [("org-coc", "opened"), ("org-hrp", "partial")]

    closed = post(ed, f"/surveys/{rid}", f"/surveys/{rid}/close", {"confirm": "yes", "wave": "Partner survey 2027"})
    assert "Closed: 2 of 3 partners answered" in html.unescape(closed.text)
    assert client(app).get(links["org-rpd"]).status_code == 404  # a closed round's links stop
    again = post(ed, f"/surveys/{rid}", f"/surveys/{rid}", {"name": "x", "opens": "2027-03-09", "closes": "2027-04-01"})
    assert again.status_code == 400 and "This round is closed" in again.text

    workspace = app.state.workspace
    wave = workspace.wave_graph("Partner survey 2027")
    assert wave.graph["program"].as_of == TODAY.isoformat()  # closed early: the round's date is today
    engagement = wave.nodes["eng-partner-survey-2027"]
    assert engagement["method"] == "survey" and engagement["date"] == TODAY.isoformat()
    assert engagement["invited"] == "org-coc|org-hrp|org-rpd"
    assert sorted(u for u, _, k in wave.in_edges("eng-partner-survey-2027", keys=True)) == ["org-hrp", "org-rpd"]
    ratings = ("reliability", "mission", "openness", "power", "involvement", "resources")
    ties = {(u, v): a for u, v, k, a in wave.edges(keys=True, data=True) if k == "trusts" and u in PARTNERS}
    assert ties == {
        ("org-rpd", "org-hrp"): {"type": "trusts", "strength": 3, "trust": 4}
        | {r: "4" for r in ratings[:2]}
        | {"openness": "3", "power": "3", "involvement": "2", "resources": "4"},
        ("org-rpd", "org-coc"): {"type": "trusts", "strength": 2, "trust": 2, "reliability": "2", "mission": "3"}
        | {"openness": "2", "power": "2", "involvement": "3", "resources": "1"},
        ("org-hrp", "org-rpd"): {"type": "trusts", "strength": 4, "trust": 4, "resources": "3"}
        | {r: "4" for r in ratings[:5]},
    }
    gap = next(g for g in find_gaps(wave) if g["kind"] == "survey_response")
    assert gap["severity"] == "medium" and gap["evidence"]["non_respondents"] == ["org-coc"]
    assert gap["message"] == (
        "2 of 3 invited organizations answered the partner survey \u201cPartner survey 2027\u201d of 2027-03-10 (67%); "
        "1 did not: Riverton Continuum of Care."
    )
    # the wave's trust: the first wave's ratings (seen on the same date) and three more, 10 in all
    first = workspace.wave_graph(workspace.waves()[0]["name"])
    first.graph["program"] = first.graph["program"].replace(as_of=TODAY.isoformat())
    before, after = network_scores(first)["trust"], network_scores(wave)["trust"]
    assert after["rated"] == before["rated"] + 3
    assert after["mean"] == pytest.approx((before["mean"] * before["rated"] + 10) / (before["rated"] + 3), abs=1e-5)

    # one change in the history, which can be reverted
    entry = workspace.state.entry(workspace.surveys.round(rid).change)
    assert entry.action == "survey" and len(entry.records) == 6  # engagement, 2 took part, 3 ratings
    workspace.revert("ed", entry.n)
    assert "eng-partner-survey-2027" not in workspace.graph()
    assert not workspace.graph().has_edge("org-rpd", "org-hrp", "trusts")


def test_links_are_unguessable_hashed_and_only_for_their_round_and_dates(app, tmp_path):
    ed = login(app, "ed")
    today: Today = app.state.workspace.surveys.today
    rid = create_round(ed, days=5)
    links = issue_links(ed, rid)
    tokens = {node: path.rsplit("/", 1)[1] for node, path in links.items()}
    assert TOKEN_BYTES * 8 >= 128 and all(len(t) >= 32 for t in tokens.values())
    folder = app.state.workspace.state.folder
    database = b"".join(f.read_bytes() for f in folder.glob("workspace.sqlite*"))
    assert not any(t.encode() in database for t in tokens.values())  # kept only as a fingerprint
    stored = {r[0] for r in sqlite3.connect(app.state.workspace.state.path).execute("SELECT hash FROM survey_links")}
    assert {link_hash(t) for t in tokens.values()} == stored

    works = client(app).get(links["org-rpd"])
    assert works.status_code == 200
    refusals = {}
    refusals["guessed"] = client(app).get("/survey/" + "A" * 32)
    refusals["malformed"] = client(app).get("/survey/%3Cscript%3E")
    post(ed, f"/surveys/{rid}", f"/surveys/{rid}/links/org-hrp", {"action": "revoke"})
    refusals["revoked"] = client(app).get(links["org-hrp"])
    again = issue_links(ed, rid, "unanswered")  # a reminder: new links for those who have not answered
    refusals["replaced"] = client(app).get(links["org-coc"])
    today.day = TODAY + dt.timedelta(days=6)  # past its closing date
    refusals["expired"] = client(app).get(again["org-rpd"])
    today.day = TODAY
    assert len(refusals) == FREE_ATTEMPTS and set(again) == set(PARTNERS)
    # the same plain refusal every time, saying nothing of why
    assert {r.status_code for r in refusals.values()} == {404}
    bodies = {r.text for r in refusals.values()}
    assert len(bodies) == 1
    text = bodies.pop()
    assert "This link does not open a survey" in text
    for word in ("revoked", "expired", "closed", "wrong", "Police", "Partner survey 2027"):
        assert word not in text
    # after five refusals from one address, that address waits, even with a good link
    throttled = client(app).get(again["org-rpd"])
    assert throttled.status_code == 429 and "wait 30 seconds" in throttled.text
    assert client(app).post(again["org-rpd"], data=form_data(FULL)).status_code == 429
    app.state.auth.clock.now += 31
    today.day = TODAY - dt.timedelta(days=2)  # before its opening date
    not_yet = client(app).get(again["org-rpd"])
    assert not_yet.status_code == 404 and not_yet.text == text
    today.day = TODAY
    assert client(app).get(again["org-rpd"]).status_code == 429  # the wait doubles
    app.state.auth.clock.now += 61
    assert client(app).get(again["org-coc"]).status_code == 200
    refused = client(app).post(links["org-rpd"], data=form_data(FULL))  # the first, replaced link
    assert refused.status_code == 404 and refused.text == text
    assert app.state.workspace.surveys.answers(rid) == {}

    # a link works for its own round only
    second = create_round(ed, name="Another round", partners=["org-rpd", "org-hrp"])
    other = issue_links(ed, second)
    app.state.auth.clock.now += 3600
    assert client(app).get(other["org-rpd"]).status_code == 200
    answer(other["org-rpd"], app, {"org-hrp": {"level": 2}})
    assert app.state.workspace.surveys.answers(rid) == {}
    assert list(app.state.workspace.surveys.answers(second)) == [("org-rpd", "org-hrp")]


def test_a_link_cannot_read_or_change_another_partners_answers(app):
    ed = login(app, "ed")
    rid = create_round(ed, questions="What should change?")
    links = issue_links(ed, rid)
    answer(links["org-hrp"], app, PARTIAL, **{"text:0": "HRP-PRIVATE-NOTE"})
    hrp_before = app.state.workspace.surveys.answers(rid, "org-hrp")
    page = client(app).get(links["org-rpd"]).text
    assert "HRP-PRIVATE-NOTE" not in page and " checked" not in page and " selected>" not in page.split("propose")[0]
    # the form names no respondent: the link does. Fields about itself or others' ratings are ignored.
    attempt = client(app).post(
        links["org-rpd"],
        data={
            "respondent": "org-hrp",
            "shown": ["org-rpd", "org-nowhere"],
            "level:org-rpd": "1",
            "level:org-nowhere": "1",
            "round": "999",
        },
    )
    assert attempt.status_code == 200
    surveys = app.state.workspace.surveys
    assert surveys.answers(rid, "org-hrp") == hrp_before
    assert surveys.answers(rid, "org-rpd") == {}
    assert surveys.texts(rid) == {("org-hrp", 0): "HRP-PRIVATE-NOTE"}
    # out-of-range values are refused, with nothing saved
    bad = client(app).post(links["org-rpd"], data={"shown": ["org-hrp"], "level:org-hrp": "9", "power:org-hrp": "0"})
    assert (
        bad.status_code == 400 and "choose a level from the list" in bad.text and surveys.answers(rid, "org-rpd") == {}
    )
    # the team's pages are not the partners'
    assert client(app).get(f"/surveys/{rid}").url.path == "/login"
    assert client(app).post(f"/surveys/{rid}/close", data={"confirm": "yes"}).status_code == 403
    viewer = login(app, "viewer")
    assert viewer.get(f"/surveys/{rid}").status_code == 403 and viewer.get("/surveys").status_code == 403
    assert ed.post(f"/surveys/{rid}/close", data={"confirm": "yes", "wave": "x"}).status_code == 403  # no CSRF


def test_partners_see_totals_only_when_the_program_says_so(app):
    ed = login(app, "ed")
    partners = ["org-rpd", "org-hrp", "org-coc", "org-rfems"]
    rid = create_round(ed, partners=partners)
    links = issue_links(ed, rid)
    for node in ("org-rpd", "org-hrp", "org-coc"):  # three rate the Fire & EMS; it rates no one
        others = {p: {"level": 2, "reliability": 3, "mission": 3, "openness": 3} for p in partners if p != node}
        others["org-rfems"] = {"level": 3, "reliability": 4, "mission": 4, "openness": 2 + (node == "org-rpd")}
        answer(links[node], app, others)
    page = client(app).get(links["org-rfems"]).text
    assert "Everyone's answers together" not in page and "they see only totals" not in page
    admin = login(app)
    post(admin, "/surveys", "/surveys/settings", {"partners_see": "aggregates"})
    assert (
        ed.post("/surveys/settings", data={"csrf": token(ed.get("/surveys")), "partners_see": "nothing"}).status_code
        == 403
    )
    page = html.unescape(client(app).get(links["org-rfems"]).text)
    assert "they see only totals of everyone's answers together, each made of at least 3" in page
    rows = dict(re.findall(r"<tr><td>([^<]+)</td>\s*<td[^>]*>([^<]+)</td>", page))
    assert rows["Riverton Fire & EMS"] == "3.44"  # mean of (4+4+3)/3, (4+4+2)/3, (4+4+2)/3
    assert "rated by fewer than 3 partners: not shown" in page  # the Police are rated by two


def test_a_partner_suggests_a_missing_organization_and_rates_it_once_added(app):
    ed = login(app, "ed")
    rid = create_round(ed)
    links = issue_links(ed, rid)
    sent = client(app).post(
        links["org-hrp"],
        data={
            "propose_name": "Riverton Needle Exchange",
            "propose_sector": "harm_reduction",
            "propose_level": "3",
            "propose_note": "we share a van",
            "action": "propose",
        },
    )
    assert "your suggestion is sent to the team" in sent.text and "waiting for the team" in sent.text
    page = ed.get(f"/surveys/{rid}").text
    assert "Riverton Needle Exchange" in page and "we share a van" in page
    proposal = app.state.workspace.surveys.proposals(rid)[0]
    post(ed, f"/surveys/{rid}", f"/surveys/{rid}/suggestions/{proposal.id}", {"action": "add"})
    node = app.state.workspace.surveys.proposals(rid)[0].node
    assert (
        node == "org-riverton-needle-exchange" and app.state.workspace.graph().nodes[node]["sector"] == "harm_reduction"
    )
    form = client(app).get(links["org-hrp"]).text
    assert 'name="level:org-riverton-needle-exchange" value="3" checked' in form  # their level, to complete
    assert "Riverton Needle Exchange" not in client(app).get(links["org-rpd"]).text  # not invited to the round
    answer(links["org-hrp"], app, {node: {"level": 3, "reliability": 4}})
    post(ed, f"/surveys/{rid}", f"/surveys/{rid}/close", {"confirm": "yes", "wave": "with the exchange"})
    assert app.state.workspace.graph().edges["org-hrp", node, "trusts"]["trust"] == 4


def test_two_rounds_a_year_apart_compare_as_two_waves(app):
    from stakeholder_graph.compare import compare

    ed = login(app, "ed")
    today: Today = app.state.workspace.surveys.today
    first = create_round(ed, name="Partners 2027")
    links = issue_links(ed, first)
    answer(links["org-rpd"], app, FULL)
    answer(links["org-hrp"], app, PARTIAL)
    post(ed, f"/surveys/{first}", f"/surveys/{first}/close", {"confirm": "yes", "wave": "Partners 2027"})
    today.day = TODAY + dt.timedelta(days=365)
    second = create_round(ed, name="Partners 2028", opens=today.day.isoformat(), closes="2028-04-01")
    links = issue_links(ed, second)
    answer(links["org-rpd"], app, {"org-hrp": {"level": 4, "reliability": 4, "mission": 4, "openness": 4}})
    answer(links["org-rpd"], app, {"org-coc": {"level": 0}})  # they no longer work together
    answer(links["org-coc"], app, {"org-rpd": {"level": 1}, "org-hrp": {"level": 1}})
    post(ed, f"/surveys/{second}", f"/surveys/{second}/close", {"confirm": "yes", "wave": "Partners 2028"})
    workspace = app.state.workspace
    old, new = workspace.wave_graph("Partners 2027"), workspace.wave_graph("Partners 2028")
    assert new.graph["program"].as_of == "2028-03-09"
    assert new.edges["org-rpd", "org-coc", "trusts"]["until"] == "2028-03-09"  # ended, kept as history
    result = compare(old, new)
    lost = {(t["source"], t["target"]) for t in result["ties"]["lost"]}
    gained = {(t["source"], t["target"], t["type"]) for t in result["ties"]["gained"]}
    assert ("org-rpd", "org-coc") in lost
    assert {("org-coc", "org-rpd", "trusts"), ("org-coc", "org-hrp", "trusts")} <= gained
    survey_gaps = [g for g in result["gaps"]["closed"] + result["gaps"]["opened"] if g["kind"] == "survey_response"]
    assert not survey_gaps  # the same gap id in both waves: still open, now about the newer round
    still = next(g for g in result["gaps"]["still_open"] if g["kind"] == "survey_response")
    assert still["evidence"]["non_respondents"] == ["org-hrp"] and "Partners 2028" in still["message"]
    page = html.unescape(ed.get("/waves/compare", params={"old": "Partners 2027", "new": "Partners 2028"}).text)
    assert "Riverton Police Department" in page and "Riverton Continuum of Care" in page


def test_round_forms_say_what_is_wrong(app):
    ed = login(app, "ed")
    bad = post(
        ed, "/surveys", "/surveys", {"name": "", "opens": "10/03/2027", "closes": "2027-01-01", "partners": ["org-rpd"]}
    )
    text = html.unescape(bad.text)
    assert bad.status_code == 400
    assert "give the round a name" in text and "'10/03/2027' is not a date written YYYY-MM-DD" in text
    assert "choose at least 2 organizations to survey" in text
    past = post(
        ed,
        "/surveys",
        "/surveys",
        {"name": "x", "opens": "2027-01-01", "closes": "2027-01-02", "partners": list(PARTNERS)},
    )
    assert "this date has passed (today is 2027-03-10)" in past.text
    rid = create_round(ed)
    bad = post(
        ed, f"/surveys/{rid}", f"/surveys/{rid}/contacts", {"contact:org-rpd": "A", "email:org-rpd": "not an email"}
    )
    assert bad.status_code == 400 and "is not an email address" in html.unescape(bad.text)
    refused = post(ed, f"/surveys/{rid}", f"/surveys/{rid}/close", {"wave": "x"})
    assert refused.status_code == 400 and "Tick the box to confirm" in refused.text
    taken = post(
        ed,
        f"/surveys/{rid}",
        f"/surveys/{rid}/close",
        {"confirm": "yes", "wave": app.state.workspace.waves()[0]["name"]},
    )
    assert taken.status_code == 400 and "there is a wave named" in html.unescape(taken.text)
    assert app.state.workspace.surveys.round(rid).closed_at is None


def test_hostile_text_is_inert_in_the_form_the_team_view_the_report_the_map_and_csv(tmp_path):
    app = survey_app(hostile_folder(tmp_path / "hostile"), tmp_path)
    admin = login(app)
    formula = '=HYPERLINK("http://evil.example","x")'
    rid = create_round(admin, partners=["team-a", "org-1"], name="<b>Round</b>", questions=HOSTILE)
    post(admin, f"/surveys/{rid}", f"/surveys/{rid}/contacts", {"contact:org-1": formula, "email:org-1": "a@b.c"})
    links = issue_links(admin, rid)
    form = client(app).get(links["team-a"]).text
    sent = client(app).post(
        links["org-1"],
        data={
            **form_data({"team-a": {"level": 3, "reliability": 4}}),
            "text:0": HOSTILE + formula,
            "propose_name": HOSTILE_ORG,
            "propose_note": "<script>alert(9)</script>",
        },
    )
    assert sent.status_code == 200
    proposal = app.state.workspace.surveys.proposals(rid)[0]
    post(admin, f"/surveys/{rid}", f"/surveys/{rid}/suggestions/{proposal.id}", {"action": "add", "invite": "yes"})
    pages = [form, client(app).get(links["org-1"]).text, admin.get("/surveys").text, admin.get(f"/surveys/{rid}").text]
    post(admin, f"/surveys/{rid}", f"/surveys/{rid}/close", {"confirm": "yes", "wave": "hostile wave"})
    pages += [admin.get(f"/surveys/{rid}").text, admin.get("/history").text, admin.get("/map").text]
    pages += [
        admin.get("/waves/download/report", params={"wave": "hostile wave"}).text,
        admin.get("/download/report").text,
    ]
    for text in pages:
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>Round" not in text
    assert "&lt;b&gt;Round&lt;/b&gt;" in pages[3]
    for what in ("answers", "texts", "reminders"):
        body = admin.get(f"/surveys/{rid}/download/{what}").text
        for row in csv.reader(io.StringIO(body)):
            assert not any(cell[:1] in ("=", "+", "-", "@") for cell in row), (what, row)
    texts = list(csv.DictReader(io.StringIO(admin.get(f"/surveys/{rid}/download/texts").text)))
    assert texts[0]["answer"] == HOSTILE + formula  # starts with <, kept as written
    rid2 = create_round(admin, partners=["team-a", "org-1"], name="again")
    post(admin, f"/surveys/{rid2}", f"/surveys/{rid2}/contacts", {"contact:org-1": formula, "email:org-1": "a@b.c"})
    page = admin.get(f"/surveys/{rid2}")
    body = admin.post(f"/surveys/{rid2}/links", data={"csrf": token(page), "which": "all"}).text
    row = next(r for r in csv.DictReader(io.StringIO(body)) if r["organization_id"] == "org-1")
    assert row["contact"] == "'" + formula and row["organization"] == HOSTILE_ORG
    app.state.workspace.close()


def test_the_answers_export_reads_back_as_a_partner_survey(app, tmp_path):
    ed = login(app, "ed")
    rid = create_round(ed)
    links = issue_links(ed, rid)
    answer(links["org-rpd"], app, FULL)
    answer(links["org-hrp"], app, PARTIAL)
    path = tmp_path / "answers.csv"
    path.write_text(ed.get(f"/surveys/{rid}/download/answers").text, encoding="utf-8")
    G = read_survey(path)
    assert G.graph["survey"] == {
        "invited": 3,
        "responded": 2,
        "response_rate": 0.6667,
        "non_respondents": ["riverton-continuum-of-care"],
    }
    rpd, hrp = "riverton-police-department", "riverton-harm-reduction-project"
    assert G.edges[rpd, hrp, "trusts"] == {
        "type": "trusts",
        "strength": 3,
        "trust": 4,
        **{k: v for k, v in FULL["org-hrp"].items() if k != "level"},
    }
    assert G.nodes[rpd]["sector"] == "law_enforcement" and G.number_of_edges() == 3


def _unzip(body: bytes, into) -> object:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        archive.extractall(into)
    return into / "dataset"


def test_the_exported_wave_reads_back_into_report_compare_and_neo4j(app, tmp_path):
    """A closed round's wave, downloaded, gives the same report and comparison as the workspace's wave, and
    loads into Neo4j and reads back as the same network."""
    import json
    import uuid

    from click.testing import CliRunner

    from stakeholder_graph import read_dataset
    from stakeholder_graph.cli import cli
    from stakeholder_graph.compare import compare
    from stakeholder_graph.neo4j_store import delete_wave, read_neo4j
    from tests._neo4j import URI, open_driver

    ed = login(app, "ed")
    rid = create_round(ed)
    links = issue_links(ed, rid)
    answer(links["org-rpd"], app, FULL)
    answer(links["org-hrp"], app, PARTIAL)
    post(ed, f"/surveys/{rid}", f"/surveys/{rid}/close", {"confirm": "yes", "wave": "Partner survey 2027"})
    workspace = app.state.workspace
    first_name = workspace.waves()[0]["name"]
    exported = _unzip(
        ed.get("/waves/download/dataset", params={"wave": "Partner survey 2027"}).content, tmp_path / "new"
    )
    first = _unzip(ed.get("/waves/download/dataset", params={"wave": first_name}).content, tmp_path / "old")
    kept = workspace.state.folder / "waves" / workspace.state.waves()[-1]["location"]
    runner = CliRunner()

    def run(*args) -> dict:
        result = runner.invoke(cli, [*map(str, args), "--format", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    report = run("report", exported)
    assert report == run("report", kept)
    gap = next(g for g in report["gaps"] if g["kind"] == "survey_response")
    assert gap["evidence"]["non_respondents"] == ["org-coc"] and gap["evidence"]["response_rate"] == 0.6667
    wave = workspace.wave_graph("Partner survey 2027")
    assert report["scores"]["network"]["trust"] == network_scores(wave)["trust"]
    assert report["scores"]["network"]["value"] == network_scores(wave)["value"]

    compared = run("compare", first, exported)
    assert compared == json.loads(json.dumps(compare(workspace.wave_graph(first_name), wave)))
    assert {(t["source"], t["target"]) for t in compared["ties"]["gained"] if t["type"] == "trusts"} == {
        ("org-rpd", "org-hrp"),
        ("org-rpd", "org-coc"),
        ("org-hrp", "org-rpd"),
    }

    uri = URI
    driver = open_driver()  # a skip without a server (a failure under CI)
    name = f"survey-{uuid.uuid4().hex[:8]}"
    try:
        loaded = runner.invoke(cli, ["load", str(exported), "--to", uri, "--wave", name])
        assert loaded.exit_code == 0, loaded.output
        back, folder = read_neo4j(uri, wave=name), read_dataset(exported)
        assert dict(back.nodes(data=True)) == dict(folder.nodes(data=True))
        assert {(u, v, k): a for u, v, k, a in back.edges(keys=True, data=True)} == {
            (u, v, k): a for u, v, k, a in folder.edges(keys=True, data=True)
        }
        assert back.graph["program"] == folder.graph["program"]
        assert run("report", f"{uri}?wave={name}") == report
    finally:
        delete_wave(driver, name)
        driver.close()


def test_viewers_below_the_privacy_setting_see_the_survey_gap_too(app):
    ed = login(app, "ed")
    rid = create_round(ed)
    links = issue_links(ed, rid)
    answer(links["org-rpd"], app, FULL)
    post(ed, f"/surveys/{rid}", f"/surveys/{rid}/close", {"confirm": "yes", "wave": "Partner survey 2027"})
    viewer = login(app, "viewer")
    assert "1 of 3 invited organizations answered the partner survey" in html.unescape(viewer.get("/").text)
    # the anonymised network keeps the round: whom it invited, with the ids it shows
    view = app.state.workspace.view("viewer")
    assert view.anonymized and view.G.nodes["eng-partner-survey-2027"]["invited"] == "org-coc|org-hrp|org-rpd"
    gap = next(g for g in view.gaps if g["kind"] == "survey_response")
    assert gap["evidence"]["non_respondents"] == ["org-coc", "org-hrp"] and "Partner survey 2027" in gap["message"]


def test_a_round_on_a_neo4j_wave(tmp_path):
    """Closing a round on a workspace served from Neo4j: one transaction into the wave, the wave kept in Neo4j."""
    from stakeholder_graph.gaps import find_gaps as gaps_of
    from stakeholder_graph.neo4j_store import read_neo4j
    from tests._web import drop_waves, neo4j_riverton

    driver, uri, name = neo4j_riverton()
    app = survey_app(f"{uri}?wave={name}", tmp_path)
    try:
        ed = login(app, "ed")
        rid = create_round(ed)
        links = issue_links(ed, rid)
        answer(links["org-rpd"], app, FULL)
        answer(links["org-hrp"], app, PARTIAL)
        closed = post(ed, f"/surveys/{rid}", f"/surveys/{rid}/close", {"confirm": "yes", "wave": "partners"})
        assert "Closed: 2 of 3 partners answered" in html.unescape(closed.text)
        live = read_neo4j(uri, wave=name)
        assert live.edges["org-rpd", "org-hrp", "trusts"]["strength"] == 3
        kept = read_neo4j(uri, wave=app.state.workspace.state.waves()[-1]["location"])
        assert kept.graph["program"].as_of == TODAY.isoformat()
        gap = next(g for g in gaps_of(kept) if g["kind"] == "survey_response")
        assert gap["evidence"]["non_respondents"] == ["org-coc"]
    finally:
        app.state.workspace.close()
        drop_waves(driver, name)
