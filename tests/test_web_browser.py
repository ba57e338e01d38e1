"""The workspace in Debian's Chromium (playwright), the network cut off but for the workspace on 127.0.0.1:
sign in, find Keisha Morgan, add a tie and see the gap close, record an engagement, keep a wave and compare
it with the first, open a stakeholder from the map; on a dataset folder and on a Neo4j wave. No page may
break its Content-Security-Policy, log an error or reach anywhere else."""

from __future__ import annotations

import pytest

from tests._browser import open_tab, requires_browser
from tests._web import ADMIN_PASSWORD, PASSWORD, LiveServer, drop_waves, make_app, neo4j_riverton, riverton_copy
from tests.test_web import hostile_folder

pytestmark = requires_browser
KEISHA = "p-keisha-morgan"
UNION = "org-riverton-tenants-union"


@pytest.fixture(params=["folder", "neo4j"])
def served(request, tmp_path):
    """A live workspace on Riverton: a dataset folder, or a Neo4j wave."""
    if request.param == "folder":
        app = make_app(riverton_copy(tmp_path), tmp_path)
        cleanup = None
    else:
        driver, uri, name = neo4j_riverton()
        app = make_app(f"{uri}?wave={name}", tmp_path)
        cleanup = (driver, name)
    with LiveServer(app) as server:
        yield server
    app.state.workspace.close()
    if cleanup:
        drop_waves(*cleanup)


def sign_in(page, server, name: str = "ed", password: str = PASSWORD) -> None:
    page.goto(server.url + "/")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Start here")


def test_the_issue_flow_in_a_browser(browser, served):
    page, log = open_tab(browser, served)
    sign_in(page, served)
    assert "Riverton Tenants Union (organization) has no relationship" in page.text_content("main")

    page.click("nav >> text=Stakeholders")
    page.fill("#q", "Keisha")
    page.click("form[role=search] button[type=submit]")
    page.click("table >> text=Keisha Morgan")
    page.wait_for_selector("h1:has-text('Keisha Morgan')")
    assert "reach it only through one person, Keisha Morgan" in page.inner_text("main")

    page.click("#add-tie > summary")
    page.fill("#t_other", f"Riverton Tenants Union ({UNION})")
    page.select_option("#t_type", "communicates_with")
    page.select_option("#t_strength", "2")
    page.select_option("#t_trust", "3")
    page.click("#add-tie button[type=submit]")
    page.wait_for_selector("text=Tie added.")
    assert "Riverton Tenants Union" in page.inner_text("section:has(h2:has-text('Ties from'))")

    page.click("nav >> text=Start")
    assert "Riverton Tenants Union (organization) has no relationship" not in page.text_content("main")  # closed

    page.click("nav >> text=Engagements")
    assert "No focus group has been held." in page.inner_text("main")
    page.fill("#e_name", "Northgate focus group")
    page.select_option("#e_method", "focus_group")
    page.fill("#e_date", "2026-11-20")
    page.fill("[data-filter-for=participant-list]", "keisha")
    assert page.locator("#participant-list label:visible").count() == 1
    page.check(f"input[name=participants][value={KEISHA}]")
    page.click("form[action$='/engagements'] button[type=submit]")
    page.wait_for_selector("text=Recorded Northgate focus group")
    assert "No focus group has been held." not in page.inner_text("main")

    page.click("nav >> text=Waves")
    page.fill("#wave-name", "after Northgate outreach")
    page.click("form[action$='/waves'] button[type=submit]")
    page.wait_for_selector("text=kept as wave")
    page.select_option("#old", "2026-10-01 (first start)")
    page.select_option("#new", "after Northgate outreach")
    page.click("form[action$='/waves/compare'] button[type=submit]")
    page.wait_for_selector("h2:has-text('Gaps closed (2)')")
    assert "No focus group has been held." in page.inner_text("main")

    page.click("nav >> text=History")
    assert "recorded Northgate focus group" in page.inner_text("main")
    log.assert_clean()
    page.close()


def click_stakeholder_on_map(page, node: str) -> None:
    page.wait_for_function("() => window.__stakeholderMap && window.__stakeholderMap.stabilized", timeout=30_000)
    page.wait_for_selector(".sgmap[data-links]")
    point = page.evaluate(
        """(id) => { const S = window.__stakeholderMap; S.network.moveTo({position: S.network.getPosition(id), scale: 1.5});
             const p = S.network.canvasToDOM(S.network.getPosition(id)); const r = document.querySelector('.sgmap-canvas').getBoundingClientRect();
             return [r.left + p.x, r.top + p.y]; }""",
        node,
    )
    page.mouse.click(*point)


def test_clicking_a_stakeholder_on_the_map_opens_its_page_on_a_phone_too(browser, tmp_path):
    app = make_app(riverton_copy(tmp_path), tmp_path)
    with LiveServer(app) as server:
        for width, height in ((390, 844),):  # a phone; the flow test clicks its way through on a desktop
            page, log = open_tab(browser, server, width, height)
            sign_in(page, server)
            page.goto(server.url + f"/map?view=focus&focus={KEISHA}&depth=1")
            click_stakeholder_on_map(page, KEISHA)
            page.wait_for_url(f"**/stakeholders/{KEISHA}")
            assert page.inner_text("h1") == "Keisha Morgan"
            log.assert_clean()
            page.close()
        # a viewer (below the privacy setting) clicks a pseudonym and gets the pseudonym's page
        app.state.workspace.set_show_names_to("admin", "editor")
        page, log = open_tab(browser, server)
        sign_in(page, server, "viewer")
        shown = app.state.workspace.view("viewer").shown_id(KEISHA)
        page.goto(server.url + f"/map?view=focus&focus={shown}")
        assert "Keisha" not in page.content()
        click_stakeholder_on_map(page, shown)
        page.wait_for_url(f"**/stakeholders/{shown}")
        assert page.inner_text("h1").startswith("Person ") and "Keisha" not in page.content()
        log.assert_clean()
        page.close()
    app.state.workspace.close()


def test_hostile_names_run_nothing_in_the_browser(browser, tmp_path):
    app = make_app(hostile_folder(tmp_path / "hostile"), tmp_path)
    with LiveServer(app) as server:
        page, log = open_tab(browser, server)
        sign_in(page, server, "admin", ADMIN_PASSWORD)
        for path in ("/", "/stakeholders", "/stakeholders/p-1", "/stakeholders/org-1", "/engagements", "/map"):
            page.goto(server.url + path)
            if path == "/map":
                page.wait_for_function(
                    "() => window.__stakeholderMap && window.__stakeholderMap.stabilized", timeout=30_000
                )
        assert (
            page.evaluate(
                "() => document.querySelectorAll('main script:not([type=\"application/json\"]), main img, main svg[onload]').length"
            )
            == 0
        )
        log.assert_clean()
        page.close()
    app.state.workspace.close()
