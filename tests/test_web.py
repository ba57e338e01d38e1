"""The workspace (``stakeholder-graph serve``) through HTTP: the flows of issue 14 on a dataset folder, roles,
CSRF, privacy, the login throttle, hostile names, two editors at once, history and revert, import and export."""

from __future__ import annotations

import hashlib
import html
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from stakeholder_graph import read_dataset
from stakeholder_graph.dataset import write_dataset
from stakeholder_graph.formats.kumu import write_kumu
from stakeholder_graph.program import Program
from stakeholder_graph.web.auth import FREE_ATTEMPTS
from tests._web import (
    ADMIN_PASSWORD,
    FAST_HASHER,
    Clock,
    client,
    form_values,
    login,
    make_app,
    post,
    riverton_copy,
    token,
)
from tests.conftest import DATA, write_folder

KEISHA = "p-keisha-morgan"
UNION = "org-riverton-tenants-union"


@pytest.fixture
def riverton(tmp_path: Path) -> Path:
    return riverton_copy(tmp_path)


@pytest.fixture
def app(riverton: Path, tmp_path: Path):
    app = make_app(riverton, tmp_path)
    yield app
    app.state.workspace.close()


def files_digest(folder: Path) -> str:
    return hashlib.sha256(
        b"".join((folder / n).read_bytes() for n in ("stakeholders.csv", "relationships.csv"))
    ).hexdigest()


def gap_ids(app) -> set[str]:
    return {g["id"] for g in app.state.workspace.view("admin").gaps}


# ------------------------------------------------------------------------------------------ the flows


def test_find_keisha_add_a_tie_close_a_gap_record_an_engagement_and_compare_waves(app, riverton):
    ed = login(app, "ed")
    found = ed.get("/stakeholders", params={"q": "keisha"})
    assert f'href="/stakeholders/{KEISHA}"' in found.text and "1 of 274 stakeholders" in found.text
    page = ed.get(f"/stakeholders/{KEISHA}")
    assert "Keisha Morgan" in page.text and "reach it only through one person, Keisha Morgan" in page.text
    start = ed.get("/")
    assert "Riverton Tenants Union (organization) has no relationship" in html.unescape(
        start.text
    ) and "isolated/no_relationship/" + UNION in gap_ids(app)

    response = post(
        ed,
        f"/stakeholders/{KEISHA}",
        f"/stakeholders/{KEISHA}/ties",
        {
            "direction": "out",
            "other": f"Riverton Tenants Union ({UNION})",
            "type": "communicates_with",
            "t_strength": "2",
            "t_trust": "3",
            "t_since": "2026-09-01",
        },
    )
    assert response.status_code == 200 and "Tie added." in response.text
    assert read_dataset(riverton).edges[KEISHA, UNION, "communicates_with"] == {
        "type": "communicates_with",
        "strength": 2,
        "trust": 3,
        "since": "2026-09-01",
    }
    assert "isolated/no_relationship/" + UNION not in gap_ids(app)  # the gap closed
    assert "Riverton Tenants Union (organization) has no relationship" not in html.unescape(ed.get("/").text)

    assert "focus_group was never used" in ed.get(
        "/engagements"
    ).text or "engagement_method/never_used/focus_group" in gap_ids(app)
    response = post(
        ed,
        "/engagements",
        "/engagements",
        {
            "name": "Northgate focus group",
            "method": "focus_group",
            "date": "2026-11-20",
            "participants": [KEISHA, "p-marcus-greene"],
            "notes": "Listening session",
        },
    )
    assert response.status_code == 200 and "Recorded Northgate focus group" in response.text
    G = read_dataset(riverton)
    assert G.nodes["eng-northgate-focus-group"] == {
        "name": "Northgate focus group",
        "kind": "engagement",
        "method": "focus_group",
        "date": "2026-11-20",
        "notes": "Listening session",
    }
    assert G.has_edge(KEISHA, "eng-northgate-focus-group", "participated_in")
    assert not any(g.startswith("engagement_method/") and g.endswith("/focus_group") for g in gap_ids(app))

    response = post(ed, "/waves", "/waves", {"name": "after Northgate outreach"})
    assert "kept as wave" in response.text
    first = app.state.workspace.waves()[0]["name"]
    assert first == "2026-10-01 (first start)"
    compared = ed.get("/waves/compare", params={"old": first, "new": "after Northgate outreach"})
    assert compared.status_code == 200
    closed = compared.text.split("Gaps closed")[1].split("Gaps opened")[0]
    assert (
        "Riverton Tenants Union (organization) has no relationship" in html.unescape(closed) and "focus group" in closed
    )
    assert "274 → 275 stakeholders" in compared.text

    history = ed.get("/history").text
    assert (
        "recorded Northgate focus group" in history
        and "Keisha Morgan communicates with Riverton Tenants Union" in html.unescape(history)
    )


def test_edit_is_validated_as_the_files_are_with_the_message_beside_the_field(app, riverton):
    ed = login(app, "ed")
    page = ed.get(f"/stakeholders/{KEISHA}")
    values = form_values(page.text)
    assert values["f_name"] == "Keisha Morgan" and values["f_community"] == "com-northgate"
    before = files_digest(riverton)
    bad = {**values, "f_sector": "police", "f_lived_experience": "sometimes", "version": "0"}
    response = post(ed, f"/stakeholders/{KEISHA}", f"/stakeholders/{KEISHA}/edit", bad)
    assert response.status_code == 400
    assert re.search(r'id="f_sector" name="f_sector" aria-invalid="true"', response.text)
    assert "unknown sector &#39;police&#39;; use one of law_enforcement" in response.text
    assert "&#39;sometimes&#39; is not true or false" in response.text
    assert files_digest(riverton) == before

    tie = {"direction": "out", "other": UNION, "type": "communicates_with", "t_since": "9:00am", "t_strength": "5"}
    response = post(ed, f"/stakeholders/{KEISHA}", f"/stakeholders/{KEISHA}/ties", tie)
    assert response.status_code == 400
    assert "&#39;9:00am&#39; is not a date written YYYY-MM-DD" in response.text
    assert "&#39;5&#39; is not a whole number from 1 to 4" in response.text
    wrong_kind = {"direction": "out", "other": UNION, "type": "provides"}
    response = post(ed, f"/stakeholders/{KEISHA}", f"/stakeholders/{KEISHA}/ties", wrong_kind)
    assert response.status_code == 400 and "provides cannot start from a person" in response.text
    assert files_digest(riverton) == before

    good = {**values, "f_notes": "Peer outreach worker; co-leads the Northgate listening sessions", "version": "0"}
    response = post(ed, f"/stakeholders/{KEISHA}", f"/stakeholders/{KEISHA}/edit", good)
    assert response.status_code == 200 and "Saved." in response.text
    assert read_dataset(riverton).nodes[KEISHA]["notes"].endswith("listening sessions")


def test_end_a_tie_sets_until_and_keeps_it(app, riverton):
    ed = login(app, "ed")
    page = ed.get(f"/stakeholders/{KEISHA}")
    assert 'name="target" value="p-dustin-pratt"' in page.text
    response = post(
        ed,
        f"/stakeholders/{KEISHA}",
        f"/stakeholders/{KEISHA}/ties/end",
        {
            "source": KEISHA,
            "target": "p-dustin-pratt",
            "type": "communicates_with",
            "until": "2026-11-30",
            "version": "0",
        },
    )
    assert "The tie ended on 2026-11-30" in response.text
    assert read_dataset(riverton).edges[KEISHA, "p-dustin-pratt", "communicates_with"]["until"] == "2026-11-30"
    early = post(
        ed,
        f"/stakeholders/{KEISHA}",
        f"/stakeholders/{KEISHA}/ties/end",
        {
            "source": KEISHA,
            "target": "p-nora-castellanos",
            "type": "communicates_with",
            "until": "2020-01-01",
            "version": "0",
        },
    )
    assert early.status_code == 400 and "ends (2020-01-01) before it begins (2025-05-13)" in early.text


def test_add_and_delete_a_stakeholder_then_revert_the_delete(app, riverton):
    admin = login(app)
    new = post(
        admin,
        "/stakeholders/new",
        "/stakeholders/new",
        {"f_name": "Rosa Díaz", "f_kind": "person", "f_sector": "faith_based", "f_community": "com-eastbank"},
    )
    assert new.status_code == 200 and "Rosa Díaz" in new.text and str(new.url).endswith("/stakeholders/p-rosa-diaz")
    post(
        admin,
        "/stakeholders/p-rosa-diaz",
        "/stakeholders/p-rosa-diaz/ties",
        {"direction": "out", "other": KEISHA, "type": "trusts", "t_trust": "4"},
    )
    confirm = admin.get("/stakeholders/p-rosa-diaz/delete")
    assert "removes Rosa Díaz and 1 relationship" in confirm.text
    deleted = admin.post("/stakeholders/p-rosa-diaz/delete", data={"csrf": token(confirm), "version": "1"})
    assert deleted.status_code == 200 and "p-rosa-diaz" not in read_dataset(riverton)
    n = app.state.workspace.state.history(limit=1)[0].n
    reverted = post(admin, "/history", f"/history/{n}/revert", {})
    assert f"Change #{n} reverted" in reverted.text
    G = read_dataset(riverton)
    assert G.nodes["p-rosa-diaz"]["sector"] == "faith_based" and G.edges["p-rosa-diaz", KEISHA, "trusts"]["trust"] == 4


# ------------------------------------------------------------------------------------------ security


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(app, riverton):
    ed = login(app, "ed")
    values = form_values(ed.get(f"/stakeholders/{KEISHA}").text)
    before, entries = files_digest(riverton), app.state.workspace.state.history_count()
    for data in ({**values, "f_name": "Changed"}, {**values, "f_name": "Changed", "csrf": "forged"}):
        response = ed.post(f"/stakeholders/{KEISHA}/edit", data=data)
        assert response.status_code == 403 and "nothing was changed" in response.text
    other_session = login(app, "ed2")
    stolen = token(other_session.get("/"))
    assert (
        ed.post(f"/stakeholders/{KEISHA}/edit", data={**values, "f_name": "Changed", "csrf": stolen}).status_code == 403
    )
    assert files_digest(riverton) == before and app.state.workspace.state.history_count() == entries
    login_page = client(app).get("/login")
    assert (
        client(app)
        .post("/login", data={"name": "admin", "password": ADMIN_PASSWORD, "csrf": token(login_page)})
        .status_code
        == 403
    )


def test_a_viewer_cannot_change_anything(app, riverton):
    viewer = login(app, "viewer")
    assert "Edit Keisha Morgan" not in viewer.get(f"/stakeholders/{KEISHA}").text
    csrf = token(viewer.get("/"))
    before, entries = files_digest(riverton), app.state.workspace.state.history_count()
    attempts = [
        (f"/stakeholders/{KEISHA}/edit", {"f_name": "X", "f_kind": "person"}),
        (f"/stakeholders/{KEISHA}/ties", {"other": UNION, "type": "trusts"}),
        (
            f"/stakeholders/{KEISHA}/ties/end",
            {"source": KEISHA, "target": "p-dustin-pratt", "type": "communicates_with"},
        ),
        (f"/stakeholders/{KEISHA}/delete", {}),
        ("/stakeholders/new", {"f_name": "X", "f_kind": "person"}),
        ("/engagements", {"name": "X", "method": "survey"}),
        ("/waves", {"name": "X"}),
        ("/history/1/revert", {}),
        ("/admin/accounts", {"name": "mallory", "role": "admin"}),
        ("/admin/accounts/viewer", {"action": "role", "role": "admin"}),
        ("/admin/settings", {"show_names_to": "viewer"}),
        ("/import", {}),
    ]
    for path, data in attempts:
        response = viewer.post(path, data={"csrf": csrf, **data})
        assert response.status_code == 403, path
    assert viewer.get("/admin").status_code == 403 and viewer.get(f"/stakeholders/{KEISHA}/delete").status_code == 403
    assert files_digest(riverton) == before and app.state.workspace.state.history_count() == entries
    assert (
        app.state.workspace.state.account("viewer").role == "viewer"
        and app.state.workspace.state.account("mallory") is None
    )
    assert len(app.state.workspace.waves()) == 1 and app.state.workspace.show_names_to == "editor"


def _texts_of_downloads(c) -> list[str]:
    texts = []
    for what in ("report", "map", "dataset", "kumu"):
        response = c.get(f"/download/{what}")
        assert response.status_code == 200, what
        assert response.headers["content-disposition"].startswith('attachment; filename="anonymized-')
        if what in ("dataset", "kumu"):
            with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
                texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        else:
            texts.append(response.text)
    return texts


def test_a_viewer_sees_no_residents_real_name_anywhere(app, riverton):
    G = read_dataset(riverton)
    people = {n: a["name"] for n, a in G.nodes(data=True) if a["kind"] == "person"}
    ed = login(app, "ed")  # history that names people
    post(
        ed,
        f"/stakeholders/{KEISHA}",
        f"/stakeholders/{KEISHA}/ties",
        {"direction": "out", "other": UNION, "type": "communicates_with"},
    )
    viewer = login(app, "viewer")
    start = viewer.get("/")
    assert "Residents' names are hidden from your role" in start.text
    pseudonym = re.search(r'href="/stakeholders/(person-[0-9a-f]{16})">(Person [0-9A-F]{16})</a>', start.text)
    assert pseudonym, "the Start page names people by pseudonym"
    pages = [
        start.text,
        viewer.get("/stakeholders").text,
        viewer.get("/stakeholders", params={"page": "2"}).text,
        viewer.get("/stakeholders", params={"page": "3"}).text,
        viewer.get("/stakeholders", params={"page": "4"}).text,
        viewer.get("/map").text,
        viewer.get("/engagements").text,
        viewer.get("/history").text,
        viewer.get("/waves").text,
        viewer.get("/waves/compare", params={"old": app.state.workspace.waves()[0]["name"], "new": "(now)"}).text,
        viewer.get(f"/stakeholders/{pseudonym.group(1)}").text,
        viewer.get("/stakeholders/com-northgate").text,
        viewer.get("/stakeholders/org-hrp").text,
        *_texts_of_downloads(viewer),
    ]
    assert viewer.get(f"/stakeholders/{KEISHA}").status_code == 404  # real ids do not open pages either
    assert viewer.get("/stakeholders", params={"q": "Keisha"}).text.count("/stakeholders/person-") == 0
    text = "\n".join(html.unescape(p) for p in pages)
    leaked = sorted(name for name in people.values() if name in text)
    assert leaked == []
    leaked_ids = sorted(node for node in people if node in text)
    assert leaked_ids == []
    # an editor (at the default setting) sees the names; at "admins only" the editor does not either
    assert "Keisha Morgan" in ed.get(f"/stakeholders/{KEISHA}").text
    app.state.workspace.set_show_names_to("admin", "admin")
    assert "Keisha Morgan" not in html.unescape(ed.get("/stakeholders", params={"q": "morgan"}).text)
    app.state.workspace.set_show_names_to("admin", "viewer")
    assert "Keisha Morgan" in viewer.get("/stakeholders", params={"q": "morgan"}).text


def test_an_editor_below_the_privacy_setting_edits_without_seeing_or_losing_the_name(app, riverton):
    app.state.workspace.set_show_names_to("admin", "admin")
    ed = login(app, "ed")
    shown = app.state.workspace.view("editor").shown_id(KEISHA)
    page = ed.get(f"/stakeholders/{shown}")
    values = form_values(page.text)
    assert "f_name" not in values and "f_notes" not in values and "Keisha" not in html.unescape(page.text)
    response = post(
        ed,
        f"/stakeholders/{shown}",
        f"/stakeholders/{shown}/edit",
        {**values, "f_decision_role": "advisory board member", "version": "0"},
    )
    assert "Saved." in response.text
    attrs = read_dataset(riverton).nodes[KEISHA]
    assert (
        attrs["name"] == "Keisha Morgan"
        and attrs["decision_role"] == "advisory board member"
        and attrs["notes"].startswith("Peer")
    )


def test_five_wrong_passwords_slow_the_next_attempts_down(riverton, tmp_path):
    clock = Clock()
    app = make_app(riverton, tmp_path, accounts=(), clock=clock)
    c = client(app)

    def attempt(password: str, name: str = "admin"):
        return c.post("/login", data={"name": name, "password": password, "csrf": token(c.get("/login"))})

    for _ in range(FREE_ATTEMPTS):
        assert attempt("wrong-password").status_code == 401
    refused = attempt(ADMIN_PASSWORD)  # even the right password waits now
    assert refused.status_code == 429 and refused.headers["retry-after"] == "30" and "wait 30 seconds" in refused.text
    clock.now += 31
    assert attempt("wrong-again").status_code == 401
    assert attempt(ADMIN_PASSWORD).headers["retry-after"] == "60"  # doubled
    clock.now += 61
    assert attempt(ADMIN_PASSWORD).status_code == 200
    c = client(app)
    assert attempt("wrong-password", name="nobody").status_code == 401  # unknown names answer the same
    app.state.workspace.close()


HOSTILE = '<script>alert("name")</script>'
HOSTILE_ORG = '"><img src=x onerror=alert(1)>'


def hostile_folder(folder: Path) -> Path:
    """A dataset whose names, notes and tags try to run script or break out of attributes."""
    import csv

    def table(rows: list[list[str]]) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue()

    stakeholders = table(
        [
            ["id", "name", "kind", "sector", "community", "notes", "tags"],
            ["team-a", "Team A", "team", "mobile_crisis", "", "", ""],
            ["com-n", HOSTILE, "community", "", "", "", ""],
            [
                "p-1",
                HOSTILE,
                "person",
                "lived_experience",
                "com-n",
                "</textarea><script>alert(2)</script>",
                "<b>|x</b>",
            ],
            ["org-1", HOSTILE_ORG, "organization", "behavioral_health", "", "{{7*7}}", ""],
            ["eng-1", "<svg onload=alert(3)>", "engagement", "", "", "", ""],
        ]
    )
    relationships = table(
        [
            ["source", "target", "type", "strength", "trust", "since", "until", "notes"],
            ["team-a", "org-1", "partners_with", "3", "3", "", "", "<script>alert(4)</script>"],
            ["p-1", "com-n", "member_of", "", "", "", "", ""],
            ["p-1", "eng-1", "participated_in", "", "", "", "", ""],
        ]
    )
    return write_folder(folder, stakeholders, relationships)


def test_hostile_names_are_inert_in_every_page(tmp_path):
    app = make_app(hostile_folder(tmp_path / "hostile"), tmp_path)
    admin = login(app)
    pages = [
        "/",
        "/stakeholders",
        "/stakeholders/p-1",
        "/stakeholders/org-1",
        "/stakeholders/com-n",
        "/stakeholders/eng-1",
        "/map",
        "/engagements",
        "/history",
        "/waves",
        "/transfer",
        "/admin",
    ]
    post(admin, "/stakeholders/p-1", "/stakeholders/p-1/ties", {"direction": "out", "other": "org-1", "type": "trusts"})
    for path in pages + ["/map?view=focus&focus=p-1", "/stakeholders/p-1/delete", "/history"]:
        text = admin.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text and "<svg onload" not in text, path
        assert "</textarea><script>" not in text and "<b>" not in text, path
    assert "&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;" in admin.get("/stakeholders/p-1").text
    assert "<dd>{{7*7}}</dd>" in admin.get("/stakeholders/org-1").text  # not a template either
    app.state.workspace.close()


def test_every_response_carries_the_security_headers(app):
    admin = login(app)
    for path in ("/", "/login", "/map", "/static/workspace.css", "/download/dataset", "/healthz"):
        headers = admin.get(path).headers
        assert headers["content-security-policy"].startswith("default-src 'none'; script-src 'self'"), path
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert admin.get("/").headers["cache-control"] == "no-store"
    cookie = (
        client(app)
        .post("/login", data={"name": "admin", "password": ADMIN_PASSWORD, "csrf": "x"})
        .headers.get("set-cookie", "")
    )
    page = client(app).get("/login")
    assert "HttpOnly" in page.headers["set-cookie"] and "SameSite=lax" in page.headers["set-cookie"]
    assert "sg_session" not in cookie
    signed_in = client(app)
    response = signed_in.post(
        "/login",
        data={"name": "admin", "password": ADMIN_PASSWORD, "csrf": token(signed_in.get("/login"))},
        follow_redirects=False,
    )
    session_cookie = [c for c in response.headers.get_list("set-cookie") if c.startswith("sg_session=")][0]
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie and "Max-Age=43200" in session_cookie


def test_first_start_makes_an_admin_with_a_one_time_password(riverton, tmp_path):
    from stakeholder_graph.web import create_app, open_workspace

    app = create_app(open_workspace(str(riverton), tmp_path / "state"), password_hasher=FAST_HASHER)
    one_time = app.state.one_time_password
    assert re.fullmatch(r"[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}", one_time)
    c = client(app)
    response = c.post("/login", data={"name": "admin", "password": one_time, "csrf": token(c.get("/login"))})
    assert str(response.url).endswith("/account") and "works once" in response.text
    assert str(c.get("/stakeholders").url).endswith("/account")
    changed = post(
        c, "/account", "/account", {"current": one_time, "password": "my-own-password", "again": "my-own-password"}
    )
    assert "Your password is changed." in changed.text and c.get("/stakeholders").status_code == 200
    assert not app.state.auth.verify_password("admin", one_time)
    assert (
        create_app(app.state.workspace, password_hasher=FAST_HASHER).state.one_time_password is None
    )  # only on the first start
    app.state.workspace.close()


def test_accounts_roles_and_the_last_admin(app):
    admin = login(app)
    made = post(admin, "/admin", "/admin/accounts", {"name": "dana", "role": "editor"})
    password = re.search(r'<code class="secret">([^<]+)</code>', made.text).group(1)
    assert app.state.workspace.state.account("dana").role == "editor"
    assert login(app, "dana", password).get("/").status_code == 200
    refused = post(admin, "/admin", "/admin/accounts/admin", {"action": "role", "role": "viewer"})
    assert refused.status_code == 400 and "only admin" in refused.text
    post(admin, "/admin", "/admin/accounts/dana", {"action": "disable"})
    c = client(app)
    assert (
        c.post("/login", data={"name": "dana", "password": password, "csrf": token(c.get("/login"))}).status_code == 401
    )


# ------------------------------------------------------------------------------------------ two editors


def test_two_editors_saving_one_stakeholder_conflict_and_both_changes_survive(app, riverton):
    one, two = login(app, "ed"), login(app, "ed2")
    page_one, page_two = one.get(f"/stakeholders/{KEISHA}"), two.get(f"/stakeholders/{KEISHA}")
    first = {
        **form_values(page_one.text),
        "f_decision_role": "advisory board member",
        "version": "0",
        "csrf": token(page_one),
    }
    second = {**form_values(page_two.text), "f_languages": "English|Spanish", "version": "0", "csrf": token(page_two)}
    assert "Saved." in one.post(f"/stakeholders/{KEISHA}/edit", data=first).text
    conflict = two.post(f"/stakeholders/{KEISHA}/edit", data=second)
    assert conflict.status_code == 409 and "Someone else saved this first" in conflict.text
    assert "decision role" in conflict.text and "advisory board member" in conflict.text and "ed," in conflict.text
    assert read_dataset(riverton).nodes[KEISHA].get("languages") is None  # nothing of the second saved yet
    kept = form_values(conflict.text)
    assert kept["f_languages"] == "English|Spanish" and 'name="version" value="1"' in conflict.text
    again = two.post(
        f"/stakeholders/{KEISHA}/edit",
        data={**kept, "f_decision_role": "advisory board member", "version": "1", "csrf": token(conflict)},
    )
    assert "Saved." in again.text
    attrs = read_dataset(riverton).nodes[KEISHA]
    assert attrs["decision_role"] == "advisory board member" and attrs["languages"] == ["English", "Spanish"]
    entries = app.state.workspace.state.history(key=f"s:{KEISHA}")
    assert [(e.account, e.status) for e in reversed(entries)] == [
        ("ed", "applied"),
        ("ed2", "conflict"),
        ("ed2", "applied"),
    ]
    assert entries[1].records[0]["after"]["languages"] == ["English", "Spanish"]  # the refused attempt is kept


def test_a_field_both_editors_changed_keeps_the_second_value_flagged(app, riverton):
    one, two = login(app, "ed"), login(app, "ed2")
    page_one, page_two = one.get(f"/stakeholders/{KEISHA}"), two.get(f"/stakeholders/{KEISHA}")
    one.post(
        f"/stakeholders/{KEISHA}/edit",
        data={**form_values(page_one.text), "f_tags": "peer", "version": "0", "csrf": token(page_one)},
    )
    clash = two.post(
        f"/stakeholders/{KEISHA}/edit",
        data={**form_values(page_two.text), "f_tags": "naloxone", "version": "0", "csrf": token(page_two)},
    )
    assert clash.status_code == 409 and form_values(clash.text)["f_tags"] == "naloxone"
    assert (
        "Also changed by someone else, to &#39;peer&#39;" in clash.text
        and 'id="f_tags" name="f_tags" value="naloxone" aria-invalid="true"' in clash.text
    )


def test_a_revert_is_refused_when_the_record_moved_on(app, riverton):
    ed = login(app, "ed")
    values = form_values(ed.get(f"/stakeholders/{KEISHA}").text)
    post(ed, f"/stakeholders/{KEISHA}", f"/stakeholders/{KEISHA}/edit", {**values, "f_tags": "peer", "version": "0"})
    post(
        ed,
        f"/stakeholders/{KEISHA}",
        f"/stakeholders/{KEISHA}/edit",
        {**values, "f_tags": "peer|naloxone", "version": "1"},
    )
    first = app.state.workspace.state.history(limit=2)[1].n
    refused = post(ed, "/history", f"/history/{first}/revert", {})
    assert refused.status_code == 409 and "was not reverted" in refused.text
    assert read_dataset(riverton).nodes[KEISHA]["tags"] == ["peer", "naloxone"]


# ------------------------------------------------------------------------------------------ import and export


def test_import_a_kumu_workbook_preview_then_merge(app, riverton, tmp_path):
    G = read_dataset(riverton)
    part = G.subgraph([KEISHA, "org-hrp"]).copy()
    del part.nodes[KEISHA]["community"]
    part.graph = {"program": Program(name="Our Kumu map")}
    part.add_node("org-new-clinic", name="Northgate Night Clinic", kind="organization", sector="behavioral_health")
    part.add_edge("org-new-clinic", "org-hrp", key="refers_to", type="refers_to", strength=2, trust=3)
    workbook = write_kumu(part, tmp_path / "map.xlsx")
    admin = login(app)
    uploaded = post(admin, "/transfer", "/import", {}, files={"file": ("map.xlsx", workbook.read_bytes())})
    assert uploaded.status_code == 200 and "Read as a Kumu workbook or blueprint." in uploaded.text
    assert "Stakeholders: 1 added, 2 matched, 0 left out" in uploaded.text and "Northgate Night Clinic" in uploaded.text
    assert "northgate night clinic" not in {a["name"].casefold() for _, a in read_dataset(riverton).nodes(data=True)}
    merged = admin.post(
        re.search(r'action="(/import/[^"]+/merge)"', uploaded.text).group(1), data={"csrf": token(uploaded)}
    )
    assert "Imported map.xlsx." in merged.text
    after = read_dataset(riverton)
    assert after.nodes["org-new-clinic"]["name"] == "Northgate Night Clinic" and after.has_edge(
        "org-new-clinic", "org-hrp", "refers_to"
    )
    assert after.number_of_nodes() == 275


def test_import_an_hsds_directory_as_a_zip(app, riverton):
    from tests.conftest import FIXTURES

    admin = login(app)
    zipped = (FIXTURES / "hsds" / "riverlands-211.zip").read_bytes()
    uploaded = post(admin, "/transfer", "/import", {}, files={"file": ("riverlands-211.zip", zipped)})
    assert uploaded.status_code == 200 and "Read as an Open Referral (HSDS) directory." in uploaded.text
    assert re.search(r"<h2>Organizations: \d+ added, \d+ matched, \d+ left out</h2>", uploaded.text)
    before = read_dataset(riverton).number_of_nodes()
    merged = admin.post(
        re.search(r'action="(/import/[^"]+/merge)"', uploaded.text).group(1), data={"csrf": token(uploaded)}
    )
    assert "Imported riverlands-211.zip." in merged.text and read_dataset(riverton).number_of_nodes() > before


def test_import_a_partner_survey_and_a_broken_file(app, riverton):
    admin = login(app)
    survey = post(
        admin, "/transfer", "/import", {}, files={"file": ("partners.csv", (DATA / "partner-survey.csv").read_bytes())}
    )
    assert "Read as a partner survey" in survey.text and "invited organizations answered" in survey.text
    broken = post(
        admin, "/transfer", "/import", {}, files={"file": ("bad.csv", b"respondent,partner,level\nA,B,often\n")}
    )
    assert broken.status_code == 400 and "bad.csv:2:level: &#39;often&#39; is not a level" in broken.text
    assert str(Path(app.state.workspace.state.folder)) not in broken.text  # no server paths
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../../escape.csv", "x")
    refused = post(admin, "/transfer", "/import", {}, files={"file": ("dir.zip", evil.getvalue())})
    assert refused.status_code == 400 and "outside the upload" in refused.text
    assert not (app.state.workspace.state.folder.parent / "escape.csv").exists()


def test_downloads_read_back(app, tmp_path):
    admin = login(app)
    archive = zipfile.ZipFile(io.BytesIO(admin.get("/download/dataset").content))
    archive.extractall(tmp_path / "down")
    assert read_dataset(tmp_path / "down" / "dataset").number_of_nodes() == 274
    assert admin.get("/download/dataset").headers["content-disposition"] == 'attachment; filename="dataset.zip"'


# ------------------------------------------------------------------------------------------ the command


def test_serve_starts_in_seconds_binds_to_loopback_and_prints_the_address(riverton, tmp_path):
    import time
    import urllib.request

    from tests._web import free_port

    port = free_port()
    password_file = tmp_path / "admin-password"
    password_file.write_text("a-secret-password\n")
    started = time.monotonic()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stakeholder_graph",
            "serve",
            str(riverton),
            "--port",
            str(port),
            "--admin-password-file",
            str(password_file),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == f"Serving on http://127.0.0.1:{port}/ (Ctrl+C to stop)"
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                    assert answer.read() == b"ok"
                break
            except OSError:
                assert time.monotonic() - started < 15, "the workspace did not answer within 15 seconds"
                time.sleep(0.1)
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout
        assert "127.0.0.1:" in listening or listening == ""
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert "a-secret-password" not in err and "274 stakeholders" in err
    assert (riverton.parent / "riverton.workspace" / "workspace.sqlite").exists()


def test_a_folder_has_one_writer(app, riverton, tmp_path):
    from stakeholder_graph.errors import DataError
    from stakeholder_graph.web import open_workspace

    with pytest.raises(DataError, match="another 'stakeholder-graph serve' is already serving this folder"):
        open_workspace(str(riverton), tmp_path / "other-state")
    app.state.workspace.close()
    open_workspace(str(riverton), tmp_path / "other-state").close()  # free again once the first has stopped


def test_serve_refuses_a_source_it_cannot_serve_in_one_sentence(tmp_path):
    from click.testing import CliRunner

    from stakeholder_graph.cli import cli

    result = CliRunner().invoke(cli, ["serve", str(DATA / "partner-survey.csv"), "--state", str(tmp_path / "s")])
    assert result.exit_code == 2 and "is a survey source: serve a dataset folder or a Neo4j URI" in result.output
    short = tmp_path / "short"
    short.write_text("abc")
    copy = write_dataset(read_dataset(DATA / "riverton"), tmp_path / "copy")
    result = CliRunner().invoke(
        cli, ["serve", str(copy), "--admin-password-file", str(short), "--state", str(tmp_path / "s2")]
    )
    assert result.exit_code == 2 and "at least 10 characters" in result.output
