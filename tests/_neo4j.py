"""What the Neo4j tests share: the server's address, a driver, counting a wave as Cypher sees it, and the
local server's own settings (to stop and start it, or find its import folder).

The server is the one at $NEO4J_URI (default bolt://127.0.0.1:7687) with $NEO4J_PASSWORD. When it cannot be
reached the tests are skipped with the reason, except under CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from stakeholder_graph import DatabaseError
from stakeholder_graph.neo4j_store.store import connect

ROOT = Path(__file__).resolve().parent.parent
URI = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")


def open_driver():
    """A driver to the test server, or skip (fail under CI) when there is none."""
    try:
        return connect(URI)
    except DatabaseError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a Neo4j server: {exc}")
        pytest.skip(f"no Neo4j server: {exc}")


def count(driver, wave: str) -> tuple[int, int]:
    """Stakeholders and relationships of the wave's visible load, as an analyst's Cypher sees them."""
    with driver.session() as session:
        record = session.run(
            "OPTIONAL MATCH (p:Program {wave: $w}) "
            "OPTIONAL MATCH (n:Stakeholder {wave: coalesce(p.load, p.wave)}) "
            "RETURN count(n) AS nodes, sum(COUNT { (n)-->() }) AS edges",
            w=wave,
        ).single()
    return record["nodes"], record["edges"]


def leftovers(driver) -> tuple[int, int]:
    """Stakeholders of no visible load, and markers of unfinished work: (0, 0) when all is clean."""
    with driver.session() as session:
        stray = session.run(
            "MATCH (p:Program) WITH collect(coalesce(p.load, p.wave)) AS visible "
            "MATCH (n:Stakeholder) WHERE NOT n.wave IN visible RETURN count(n) AS c"
        ).single()["c"]
        markers = session.run("MATCH (m:WaveLoad) RETURN count(m) AS c").single()["c"]
    return stray, markers


def local_server() -> dict | None:
    """The local server started by scripts/neo4j for $NEO4J_URI: its pid, port and data folder; None when
    the server at $NEO4J_URI is not one this checkout started (then it must not be stopped)."""
    pid_file = ROOT / ".neo4j" / "neo4j.pid"
    port = urlsplit(URI).port or 7687
    try:
        pid = int(pid_file.read_text().strip())
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except (OSError, ValueError):
        return None
    if "--port" not in args or args[args.index("--port") + 1] != str(port) or "--data-dir" not in args:
        return None
    return {"pid": pid, "port": port, "data_dir": args[args.index("--data-dir") + 1]}


def neo4j_script(action: str, server: dict) -> subprocess.CompletedProcess:
    """Run scripts/neo4j ACTION for ``server`` (its port and data folder)."""
    env = dict(os.environ, NEO4J_PORT=str(server["port"]), NEO4J_DATA_DIR=server["data_dir"])
    return subprocess.run(
        [str(ROOT / "scripts" / "neo4j"), action], env=env, capture_output=True, text=True, timeout=240, check=False
    )


def loader(*args: str, pause: str | None = None, batch_size: int | None = None, retry: float | None = None):
    """Start ``stakeholder-graph ARGS`` in a subprocess through tests/_loader.py (see there for ``pause``).

    Its standard output is read line by line into ``process.lines`` (a queue) by a thread, so that it
    never fills up; :func:`wait_for` reads from there.
    """
    command = [sys.executable, str(ROOT / "tests" / "_loader.py")]
    if pause:
        command += ["--pause", pause]
    if batch_size:
        command += ["--batch-size", str(batch_size)]
    if retry is not None:
        command += ["--retry", str(retry)]
    process = subprocess.Popen(
        [*command, "--", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    process.lines = queue.Queue()

    def pump():
        for line in process.stdout:
            process.lines.put(line.strip())
        process.lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return process


def wait_for(process, word: str, timeout: float = 60) -> str:
    """Wait until the loader says a line starting with ``word`` (e.g. PAUSED); that line."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = process.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            line = None
        if line is None:
            process.kill()
            raise AssertionError(f"the loader never said {word!r}: {process.stderr.read()}")
        if line.startswith(word):
            return line


def finish(process, answer: str | None = None, timeout: float = 60) -> str:
    """Let the loader go on (when ``answer`` is given: a line on its standard input), wait for it to end;
    its standard error."""
    if answer is not None:
        process.stdin.write(answer)
        process.stdin.flush()
    process.stdin.close()
    process.wait(timeout=timeout)
    error = process.stderr.read()
    process.stderr.close()
    return error
