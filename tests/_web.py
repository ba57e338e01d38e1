"""Helpers for the workspace tests: a workspace on a copy of a dataset, clients that sign in, forms' tokens."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
import warnings
from pathlib import Path

from argon2 import PasswordHasher

from tests.conftest import DATA

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from stakeholder_graph.web import create_app, open_workspace

ADMIN_PASSWORD = "admin-password-1"
#: argon2id with tiny costs: the tests check what is hashed and when, not how slowly (production keeps the defaults).
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
PASSWORD = "a-long-password"


class Clock:
    """A clock tests move forward by hand (for the login throttle)."""

    def __init__(self, start: float = 1_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now


def riverton_copy(tmp_path: Path, name: str = "riverton") -> Path:
    target = tmp_path / name
    shutil.copytree(DATA / "riverton", target)
    return target


def make_app(source, tmp_path: Path, accounts=(("ed", "editor"), ("ed2", "editor"), ("viewer", "viewer")), clock=None):
    """A workspace app on ``source`` (state in tmp_path), with an admin and the given accounts."""
    workspace = open_workspace(str(source), tmp_path / "state")
    app = create_app(workspace, admin_password=ADMIN_PASSWORD, clock=clock or Clock(), password_hasher=FAST_HASHER)
    for name, role in accounts:
        app.state.auth.create_account(name, PASSWORD, role)
    return app


def client(app) -> TestClient:
    return TestClient(app, follow_redirects=True)


def token(response) -> str:
    """The CSRF token in a page's first form."""
    found = re.search(r'name="csrf" value="([^"]+)"', response.text)
    assert found, "no form with a CSRF token on the page"
    return found.group(1)


def login(app, name: str = "admin", password: str | None = None) -> TestClient:
    c = client(app)
    page = c.get("/login")
    response = c.post(
        "/login",
        data={
            "name": name,
            "password": password or (ADMIN_PASSWORD if name == "admin" else PASSWORD),
            "csrf": token(page),
        },
    )
    assert response.status_code == 200 and "Sign out" in response.text, response.text[:500]
    return c


def post(c: TestClient, page_path: str, action: str, data: dict, files=None):
    """Open ``page_path`` (for its CSRF token), then post ``data`` to ``action``."""
    page = c.get(page_path)
    return c.post(action, data={"csrf": token(page), **data}, files=files)


def form_values(html: str, prefix: str = "f_") -> dict:
    """The values of a stakeholder form as the page fills them in (inputs, selects, textareas, checks)."""
    values: dict = {}
    for name, value in re.findall(rf'<input id="{prefix}\w+" name="({prefix}\w+)" value="([^"]*)"', html):
        values[name] = value
    for name, body in re.findall(rf'<select id="{prefix}\w+" name="({prefix}\w+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        values[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(rf'<textarea id="{prefix}\w+" name="({prefix}\w+)"[^>]*>(.*?)</textarea>', html, re.S):
        values[name] = body
    import html as html_module

    return {k: html_module.unescape(v) for k, v in values.items()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The app served by uvicorn on 127.0.0.1 in a thread (for the browser and load tests)."""

    def __init__(self, app):
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


# ------------------------------------------------------------------------------------------ Neo4j


def neo4j_riverton():
    """``(driver, uri, wave)``: Riverton loaded as a fresh wave of the server at $NEO4J_URI; a skip (a
    failure under CI) without a server. Give the driver and wave to :func:`drop_waves` afterwards."""
    import os
    import uuid

    import pytest

    from stakeholder_graph import read_dataset
    from stakeholder_graph.errors import DatabaseError
    from stakeholder_graph.neo4j_store.store import connect, load_graph

    uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    try:
        driver = connect(uri)
    except DatabaseError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a Neo4j server: {exc}")
        pytest.skip(f"no Neo4j server: {exc}")
    name = f"ws-{uuid.uuid4().hex[:8]}"
    load_graph(driver, read_dataset(DATA / "riverton"), wave=name)
    return driver, uri, name


def drop_waves(driver, name: str) -> None:
    """Delete a test wave, the waves kept from it and the workspace's bookkeeping of it; close the driver."""
    from stakeholder_graph.neo4j_store.store import delete_wave, list_waves

    for other in list_waves(driver):
        if other.startswith(name):
            delete_wave(driver, other)
    with driver.session() as session:
        session.run(
            "MATCH (n) WHERE (n:SgRecordVersion OR n:SgWorkspace) AND n.wave = $wave DELETE n", wave=name
        ).consume()
    driver.close()
