"""The workspace on a Neo4j wave (the local server at $NEO4J_URI): the issue's flows, each change one
transaction with versions per record, two workspace processes on one wave, snapshots as waves."""

from __future__ import annotations

import os
import uuid

import pytest

from stakeholder_graph.neo4j_store.store import list_waves, read_neo4j
from tests._web import drop_waves, form_values, login, make_app, neo4j_riverton, post, token

URI = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
KEISHA = "p-keisha-morgan"
UNION = "org-riverton-tenants-union"


@pytest.fixture
def riverton_wave():
    """``(driver, uri, wave)``: Riverton as a fresh wave, removed with what the workspace kept of it."""
    driver, uri, name = neo4j_riverton()
    yield driver, uri, name
    drop_waves(driver, name)


def test_changes_on_neo4j_write_the_wave_every_command_reads(riverton_wave, tmp_path):
    driver, _, wave = riverton_wave
    app = make_app(f"{URI}?wave={wave}", tmp_path)
    try:
        ed = login(app, "ed")
        assert f'href="/stakeholders/{KEISHA}"' in ed.get("/stakeholders", params={"q": "Keisha"}).text
        added = post(
            ed,
            f"/stakeholders/{KEISHA}",
            f"/stakeholders/{KEISHA}/ties",
            {"direction": "out", "other": UNION, "type": "communicates_with", "t_strength": "2", "t_trust": "3"},
        )
        assert "Tie added." in added.text
        recorded = post(
            ed,
            "/engagements",
            "/engagements",
            {"name": "Northgate focus group", "method": "focus_group", "date": "2026-11-20", "participants": [KEISHA]},
        )
        assert "Recorded Northgate focus group" in recorded.text
        values = form_values(ed.get(f"/stakeholders/{KEISHA}").text)
        saved = post(
            ed,
            f"/stakeholders/{KEISHA}",
            f"/stakeholders/{KEISHA}/edit",
            {**values, "f_languages": "English|Spanish", "version": "0"},
        )
        assert "Saved." in saved.text

        G = read_neo4j(URI, wave=wave)  # what `report "bolt://...?wave=..."` reads
        assert G.edges[KEISHA, UNION, "communicates_with"] == {"type": "communicates_with", "strength": 2, "trust": 3}
        assert G.nodes["eng-northgate-focus-group"]["method"] == "focus_group" and G.has_edge(
            KEISHA, "eng-northgate-focus-group", "participated_in"
        )
        assert G.nodes[KEISHA]["languages"] == ["English", "Spanish"] and G.nodes[KEISHA]["name"] == "Keisha Morgan"
        with driver.session() as session:
            labels = session.run(
                "MATCH (p:Program {wave: $wave}) MATCH (n:Stakeholder {wave: p.load, id: 'eng-northgate-focus-group'}) "
                "RETURN labels(n) AS l",
                wave=wave,
            ).single()["l"]
            versions = dict(
                session.run(
                    "MATCH (v:SgRecordVersion {wave: $wave}) RETURN v.key AS k, v.version AS v", wave=wave
                ).values()
            )
        assert sorted(labels) == ["Engagement", "Stakeholder"]
        assert versions[f"s:{KEISHA}"] == 1 and versions[f"r:{KEISHA}|{UNION}|communicates_with"] == 1

        assert f"{wave}-2026-10-01-first-start" in list_waves(driver)  # the first wave, for `compare`

        n = next(e.n for e in app.state.workspace.state.history() if e.action == "edit stakeholder")
        assert "reverted" in post(ed, "/history", f"/history/{n}/revert", {}).text
        assert "languages" not in read_neo4j(URI, wave=wave).nodes[KEISHA]
    finally:
        app.state.workspace.close()


def test_two_workspaces_on_one_wave_conflict_per_record_and_lose_nothing(riverton_wave, tmp_path):
    wave = riverton_wave[2]
    one = make_app(f"{URI}?wave={wave}", tmp_path / "one")
    two = make_app(f"{URI}?wave={wave}", tmp_path / "two")
    try:
        a, b = login(one, "ed"), login(two, "ed2")
        page_a, page_b = a.get(f"/stakeholders/{KEISHA}"), b.get(f"/stakeholders/{KEISHA}")
        first = {
            **form_values(page_a.text),
            "f_decision_role": "advisory board member",
            "version": "0",
            "csrf": token(page_a),
        }
        second = {**form_values(page_b.text), "f_tags": "peer", "version": "0", "csrf": token(page_b)}
        assert "Saved." in a.post(f"/stakeholders/{KEISHA}/edit", data=first).text
        refused = b.post(f"/stakeholders/{KEISHA}/edit", data=second)
        assert refused.status_code == 409 and "Someone else saved this first" in refused.text
        assert "tags" not in read_neo4j(URI, wave=wave).nodes[KEISHA]  # the refused transaction wrote nothing
        again = b.post(
            f"/stakeholders/{KEISHA}/edit", data={**form_values(refused.text), "version": "1", "csrf": token(refused)}
        )
        assert "Saved." in again.text
        attrs = read_neo4j(URI, wave=wave).nodes[KEISHA]
        assert attrs["decision_role"] == "advisory board member" and attrs["tags"] == ["peer"]
        assert [e.status for e in reversed(two.state.workspace.state.history(key=f"s:{KEISHA}"))] == [
            "conflict",
            "applied",
        ]
        # the other workspace sees the change within a second, and a version it has not seen is refused
        import time

        time.sleep(1.1)
        assert "peer" in a.get(f"/stakeholders/{KEISHA}").text
        stale = a.post(f"/stakeholders/{KEISHA}/edit", data={**first, "version": "1"})
        assert stale.status_code == 409
    finally:
        one.state.workspace.close()
        two.state.workspace.close()


def test_changes_wait_for_a_load_of_the_wave_and_the_load_shows(riverton_wave, tmp_path):
    """While `load` holds the wave's lock, a change is refused (the load would replace it); once the load
    has published, the workspace shows the new contents and saves changes into them."""
    from tests._neo4j import finish, loader, wait_for

    wave = riverton_wave[2]
    app = make_app(f"{URI}?wave={wave}", tmp_path)
    try:
        ed = login(app, "ed")
        page = ed.get(f"/stakeholders/{KEISHA}")
        edit = {**form_values(page.text), "f_tags": "peer", "version": "0", "csrf": token(page)}
        process = loader("load", "data/riverton-2027", "--to", URI, "--wave", wave, "--replace", pause="locked")
        wait_for(process, "PAUSED")
        try:
            refused = ed.post(f"/stakeholders/{KEISHA}/edit", data=edit)
            assert "is being loaded by" in refused.text and "tags" not in read_neo4j(URI, wave=wave).nodes[KEISHA]
        finally:
            error = finish(process, "\n")
        assert process.returncode == 0, error
        import time

        time.sleep(1.1)  # the workspace looks at the wave again at most once a second
        assert "org-riverbend-respite" in ed.get("/stakeholders", params={"q": "Riverbend"}).text  # only in 2027
        page = ed.get(f"/stakeholders/{KEISHA}")
        again = {**form_values(page.text), "f_tags": "peer", "csrf": token(page)}
        assert "Saved." in ed.post(f"/stakeholders/{KEISHA}/edit", data=again).text
        assert read_neo4j(URI, wave=wave).nodes[KEISHA]["tags"] == ["peer"]
    finally:
        app.state.workspace.close()


def test_an_unknown_wave_is_refused_in_one_sentence(tmp_path):
    from stakeholder_graph.errors import DatabaseError
    from stakeholder_graph.neo4j_store.store import connect

    try:
        connect(URI).close()
    except DatabaseError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a Neo4j server: {exc}")
        pytest.skip(f"no Neo4j server: {exc}")
    from click.testing import CliRunner

    from stakeholder_graph.cli import cli

    result = CliRunner().invoke(
        cli, ["serve", f"{URI}?wave=no-such-wave-{uuid.uuid4().hex[:6]}", "--state", str(tmp_path / "s")]
    )
    assert result.exit_code == 2 and "no wave" in result.output and "stakeholder-graph load" in result.output
