"""`query` without --write is read-only: the probes of issue 11 (a query file that terminates a running load's
transactions, one that reads /etc/hostname by LOAD CSV, one that fetches an http:// URL) and administration
commands are refused, and the bundled server confines LOAD CSV to its import folder and fetches no URL even
with --write. Against the real local server (see tests/_neo4j.py).
"""

from __future__ import annotations

import http.server
import socket
import threading
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from stakeholder_graph import DatabaseError, read_dataset
from stakeholder_graph.cli import cli
from stakeholder_graph.neo4j_store import queries
from stakeholder_graph.neo4j_store.load import load_graph
from stakeholder_graph.neo4j_store.queries import parse_query, run_query
from stakeholder_graph.neo4j_store.waves import delete_wave
from tests._neo4j import URI, count, finish, leftovers, loader, local_server, wait_for
from tests.conftest import DATA, FIXTURES

PROBES = FIXTURES / "probes"


def query(*args: str):
    return CliRunner().invoke(cli, ["query", *args, "--uri", URI])


def test_a_query_that_terminates_transactions_is_refused_and_the_load_goes_on(driver):
    wave = f"probe-{uuid.uuid4().hex[:8]}"
    riverton = DATA / "riverton"
    # A load paused inside its publishing transaction: an open transaction on the server.
    process = loader("load", str(riverton), "--to", URI, "--wave", wave, pause="swap")
    try:
        wait_for(process, "PAUSED")
        result = query(str(PROBES / "terminate-transactions.cypher"))
        assert result.exit_code == 3
        assert result.stderr.strip() == (
            "Error: query terminate-transactions is an administration command (ShowTransactions): "
            "queries run read-only; pass --write if that is what you want"
        )
    finally:
        error = finish(process, "\n")
    assert process.returncode == 0, error
    assert count(driver, wave) == (274, 1215) and leftovers(driver) == (0, 0)
    delete_wave(driver, wave)


def test_the_terminate_probe_works_with_write(driver):
    """The probe is real: with --write it does stop another client's open transaction."""
    with driver.session() as session:
        transaction = session.begin_transaction()
        transaction.run("CREATE (:ProbeNode)").consume()
        result = query(str(PROBES / "terminate-transactions.cypher"), "--write", "--format", "json")
        assert result.exit_code == 0, result.output
        assert "Transaction terminated." in result.stdout
        with pytest.raises(Exception, match="terminated"):
            transaction.commit()
    with driver.session() as session:
        assert session.run("MATCH (n:ProbeNode) RETURN count(n) AS c").single()["c"] == 0


def test_load_csv_of_a_server_file_is_refused_and_confined(driver):
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else socket.gethostname()
    probe = str(PROBES / "read-server-file.cypher")
    result = query(probe)
    assert result.exit_code == 3
    assert "reads files or URLs (LOAD CSV): queries run read-only; pass --write" in result.stderr
    assert hostname not in result.stdout
    # With --write the server itself reads only from its import folder: /etc/hostname is not there.
    result = query(probe, "--write")
    assert result.exit_code == 3 and "Couldn't load the external resource at: file:///etc/hostname" in result.stderr
    assert hostname not in result.output
    result = query(probe, "--write", "-p", "url=file:///../../../../../../../etc/hostname")
    assert result.exit_code == 3 and hostname not in result.output


def test_load_csv_reads_the_import_folder_with_write():
    """The control: LOAD CSV still works, with --write, for a file in the server's import folder."""
    server = local_server()
    if server is None:
        pytest.skip(f"the server at {URI} was not started by scripts/neo4j from this checkout")
    name = f"probe-{uuid.uuid4().hex[:8]}.csv"
    path = Path(server["data_dir"]) / "import" / name
    path.write_text("allowed\n", encoding="utf-8")
    try:
        result = query(
            str(PROBES / "read-server-file.cypher"), "--write", "-p", f"url=file:///{name}", "--format", "csv"
        )
    finally:
        path.unlink()
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["line", "allowed"]


def test_load_csv_never_fetches_a_url():
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"fetched,secret\n")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/data.csv"
    try:
        probe = str(PROBES / "fetch-url.cypher")
        result = query(probe, "-p", f"url={url}")
        assert result.exit_code == 3 and "reads files or URLs (LOAD CSV)" in result.stderr
        result = query(probe, "-p", f"url={url}", "--write")
        assert result.exit_code == 3 and "is blocked" in result.stderr
        result = query(probe, "-p", f"url=http://localhost:{server.server_address[1]}/data.csv", "--write")
        assert result.exit_code == 3 and "secret" not in result.output
    finally:
        server.shutdown()
    assert requests == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "is an administration command (TerminateTransactions)"),
        ("SHOW TRANSACTIONS", "is an administration command (ShowTransactions)"),
        ("SHOW SETTINGS", "is an administration command (ShowSettings)"),
        ("SHOW USERS", "is an administration command (AdministrationCommand)"),
        ("CREATE USER probe SET PASSWORD 'probe-probe'", "is an administration command (AdministrationCommand)"),
        ("CALL dbms.components()", "calls dbms.components, a procedure of mode DBMS"),
        ("CALL dbms.listConfig()", "calls dbms.listConfig, a procedure of mode DBMS"),
        ("CALL { LOAD CSV FROM 'file:///x' AS row RETURN row } RETURN row", "reads files or URLs (LOAD CSV)"),
        ("CREATE INDEX probe IF NOT EXISTS FOR (n:Probe) ON (n.x)", "writes to the database (type 's')"),
        ("MATCH (n:Probe) DETACH DELETE n", "writes to the database (type 'w')"),
    ],
)
def test_administration_and_writes_are_refused_without_write(driver, text, reason):
    with pytest.raises(DatabaseError, match="pass --write") as refused:
        run_query(driver, parse_query(text), {})
    assert f"query query {reason}: queries run read-only" in str(refused.value)


def test_what_the_server_cannot_plan_is_refused_too(driver):
    with pytest.raises(DatabaseError, match="Neo4j refused query query: Unsupported administration command"):
        run_query(driver, parse_query("CREATE DATABASE probe"), {})


def test_reads_and_read_procedures_run(driver):
    assert run_query(driver, parse_query("CALL db.labels() YIELD label RETURN count(label) AS n"), {})[0] == ["n"]
    assert run_query(driver, parse_query("RETURN 1 AS one"), {}) == (["one"], [{"one": 1}])


def test_read_access_mode_refuses_writes_on_its_own(driver, monkeypatch):
    """Second line of defence: were the plan's verdict wrong, the READ transaction still refuses writes."""
    monkeypatch.setattr(queries, "refusal", lambda tx, query, params: None)
    with pytest.raises(DatabaseError, match="Writing in read access mode not allowed"):
        run_query(driver, parse_query("CREATE (:ProbeNode)"), {})


def test_library_queries_run_read_only(driver):
    """Every query of the library passes the read-only rules (none is refused)."""
    wave = f"probe-{uuid.uuid4().hex[:8]}"
    load_graph(driver, read_dataset(DATA / "riverton"), wave=wave)
    try:
        with driver.session() as session:
            for q in queries.library():
                params = {p.name: p.default if p.default is not None else "x" for p in q.params}
                params.update(wave=wave, old=wave, new=wave, need="overdose")
                assert session.execute_read(lambda tx, q=q, params=params: queries.refusal(tx, q, params)) is None
    finally:
        delete_wave(driver, wave)
