"""A whole partner survey round in Debian's Chromium (playwright), the network cut off but for the workspace:
an editor creates a round on three of Riverton's partner organizations and makes the links; one partner
answers on a desktop (the script saves as they go), one in part on a 390x844 phone without JavaScript, one
opens the link and leaves; the team watches the response rate go from 0 to 2/3, closes the round, and finds
the new wave's trust and value scores and the survey_response gap naming the partner who did not answer in
its report. No page may break its Content-Security-Policy, log an error or reach anywhere else."""

from __future__ import annotations

import csv
import re

import pytest

from stakeholder_graph.scores import network_scores
from tests._browser import accessibility_violations, open_tab, requires_browser
from tests._surveys import FULL, PARTIAL, PARTNERS, TODAY, survey_app
from tests._web import ADMIN_PASSWORD, PASSWORD, LiveServer

pytestmark = requires_browser


def rate(page, partner: str, values: dict) -> None:
    page.check(f"input[name='level:{partner}'][value='{values['level']}']")
    for column, value in values.items():
        if column != "level":
            page.select_option(f"select[name='{column}:{partner}']", str(value))


def response_rate(page) -> tuple[str, str]:
    return page.get_attribute("#rate", "value"), page.inner_text("#progress-title")


def status(page, partner: str) -> tuple[str, str]:
    """A partner's status and how many partners it rated, in the team's table."""
    cells = page.locator("table.partners tbody tr", has_text=partner).locator("td")
    return cells.nth(3).inner_text().strip(), cells.nth(4).inner_text().strip()


def test_a_whole_round_in_a_browser(browser, tmp_path):
    app = survey_app(None, tmp_path)
    with LiveServer(app) as server:
        team, team_log = open_tab(browser, server)
        team.goto(server.url + "/")
        team.fill("#name", "ed")
        team.fill("#password", PASSWORD)
        team.click("button[type=submit]")
        team.click("nav >> text=Surveys")
        team.fill("#r-name", "Partner survey 2027")
        assert team.input_value("#r-opens") == TODAY.isoformat()
        team.fill("#r-questions", "What would make working with the crisis team easier?")
        team.fill("[data-filter-for=partner-picks]", "riverton")
        for node in PARTNERS:
            team.check(f"#partner-picks input[value={node}]")
        team.click("form[action$='/surveys'] button[type=submit]")
        team.wait_for_selector("text=Round created.")
        assert response_rate(team) == ("0", "Responses: 0 of 3 (0%)")
        team.fill("input[name='contact:org-rpd']", "Lt. Ana Ruiz")
        team.fill("input[name='email:org-rpd']", "aruiz@example.org")
        team.click("#contacts button[type=submit]")
        team.wait_for_selector("text=Contacts saved.")
        with team.expect_download() as info:
            team.click("form[action$='/links'] button[type=submit]")
        with open(info.value.path(), encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        links = {row["organization_id"]: row["link"] for row in rows}
        assert set(links) == set(PARTNERS) and rows[[r["organization_id"] for r in rows].index("org-rpd")]["email"]

        # the Police, on a desktop: the script saves each answer as it is given
        police, police_log = open_tab(browser, server)
        police.goto(links["org-rpd"])
        assert police.is_hidden("#p-org-hrp [data-ratings]")  # the ratings come once a level is chosen
        rate(police, "org-hrp", FULL["org-hrp"])
        assert accessibility_violations(police) == []  # axe-core, on the form with the ratings shown
        police.wait_for_selector("#save-status:has-text('Saved at')")
        police.fill("#q", "continuum")  # find a partner: the list filters as one types
        assert police.is_hidden("#p-org-hrp") and police.is_visible("#p-org-coc")
        rate(police, "org-coc", FULL["org-coc"])
        police.wait_for_selector("#save-status:has-text('You have rated 2 of 2 partners')")
        police.fill("#text-0", "Shared training on overdose calls.")
        police.click("button[value=finish]")
        police.wait_for_selector("text=Thank you")
        team.reload()
        assert response_rate(team) == ("1", "Responses: 1 of 3 (33%)")

        # the Harm Reduction Project, on a phone with no JavaScript: one partner of two, saved by its button
        phone, phone_log = open_tab(browser, server, 390, 844, script=False)
        phone.goto(links["org-hrp"])
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        rate(phone, "org-rpd", PARTIAL["org-rpd"])
        phone.click("#p-org-rpd button[value=org-rpd]")
        phone.wait_for_selector("text=Saved.")
        assert "You have rated 1 of 2 partners" in phone.inner_text("#save-status")
        assert phone.is_checked("input[name='level:org-rpd'][value='4']")

        # the Continuum of Care opens its link and leaves
        leaver, leaver_log = open_tab(browser, server)
        leaver.goto(links["org-coc"])
        assert "Riverton Police Department" in leaver.inner_text("main")

        assert accessibility_violations(leaver) == []
        leaver.set_viewport_size({"width": 390, "height": 844})
        assert accessibility_violations(leaver) == []

        team.reload()
        assert response_rate(team) == ("2", "Responses: 2 of 3 (67%)")
        assert accessibility_violations(team) == []
        assert status(team, "Riverton Continuum of Care") == ("opened", "0 of 2")
        assert status(team, "Riverton Harm Reduction Project") == ("partial", "1 of 2")
        assert status(team, "Riverton Police Department") == ("answered (said done)", "2 of 2")
        assert "1 did not: Riverton Continuum of Care" in team.inner_text("#results-title + ul")
        team.check("input[name=confirm]")
        team.click("form[action$='/close'] button[type=submit]")
        team.wait_for_selector("text=Closed: 2 of 3 partners answered")

        # the new wave's report: its trust and value, and the partner who did not answer
        team.click("nav >> text=Waves")
        with team.expect_download() as info:
            team.click("tr:has-text('Partner survey 2027') >> text=report")
        with open(info.value.path(), encoding="utf-8") as handle:
            report = handle.read()
        # the first wave's ratings, seen on the round's date, and the three new ones, worked by hand: trust
        # 11/3 + 7/3 + 4 = 10, value 3 + 2 + 11/3 = 26/3
        first = app.state.workspace.wave_graph(app.state.workspace.waves()[0]["name"])
        first.graph["program"] = first.graph["program"].replace(as_of=TODAY.isoformat())
        before = network_scores(first)
        for measure, added in (("trust", 10), ("value", 26 / 3)):
            mean, rated = before[measure]["mean"], before[measure]["rated"]
            shown = re.search(rf">{measure} \(1-4\)</td><td[^>]*>([0-9.]+)</td>", report)
            assert shown and float(shown.group(1)) == pytest.approx((mean * rated + added) / (rated + 3), abs=5e-4)
        assert re.search(
            r"2 of 3 invited organizations answered the partner survey .{1,7}Partner survey 2027.{1,7} of 2027-03-10 "
            r"\(67%\); 1 did not: Riverton Continuum of Care\.",
            report,
        )
        for log in (team_log, police_log, phone_log, leaver_log):
            log.assert_clean()
    app.state.workspace.close()


def test_hostile_text_runs_nothing_in_the_form_or_the_team_view(browser, tmp_path):
    from tests._surveys import create_round, form_data, issue_links
    from tests._web import client, login
    from tests.test_web import HOSTILE, HOSTILE_ORG, hostile_folder

    app = survey_app(hostile_folder(tmp_path / "hostile"), tmp_path)
    admin = login(app)
    rid = create_round(admin, partners=["team-a", "org-1"], name="<b>Round</b>", questions=HOSTILE)
    links = issue_links(admin, rid)
    client(app).post(
        links["org-1"], data={**form_data({"team-a": {"level": 2}}), "text:0": HOSTILE, "propose_name": HOSTILE_ORG}
    )
    with LiveServer(app) as server:
        partner, partner_log = open_tab(browser, server)
        partner.goto(server.url + links["team-a"])
        partner.check("input[name='level:org-1'][value='3']")  # the organization named '"><img src=x ...>'
        partner.wait_for_selector("#save-status:has-text('Saved at')")
        assert HOSTILE_ORG in partner.inner_text("main") and HOSTILE in partner.inner_text("main")
        team, team_log = open_tab(browser, server)
        team.goto(server.url + "/login")
        team.fill("#name", "admin")
        team.fill("#password", ADMIN_PASSWORD)
        team.click("button[type=submit]")
        team.goto(server.url + f"/surveys/{rid}")
        assert HOSTILE in team.inner_text("main") and HOSTILE_ORG in team.inner_text("main")
        for page in (partner, team):
            assert page.evaluate("() => document.querySelectorAll('main script, main img, main b').length") == 0
        partner_log.assert_clean()
        team_log.assert_clean()
    app.state.workspace.close()
