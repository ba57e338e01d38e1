"""The application factory and the runner behind ``stakeholder-graph serve``."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Route

from ..errors import DataError, Problem
from . import pages
from .auth import Auth
from .http import SecurityHeaders, static_response
from .workspace import Workspace, open_workspace

__all__ = ["create_app", "serve"]

log = logging.getLogger("stakeholder_graph.web")


async def _static(request):
    return static_response(request.path_params["name"])


def create_app(
    workspace: Workspace,
    *,
    admin_password: str | None = None,
    clock: Callable[[], float] = time.time,
    password_hasher=None,
) -> Starlette:
    """The web application for an open workspace.

    Parameters
    ----------
    workspace : Workspace
        From :func:`~stakeholder_graph.web.workspace.open_workspace`.
    admin_password : str, optional
        The first admin's password, when the workspace has no account yet; without it a one-time password
        is made up and kept in ``app.state.one_time_password`` (to be printed once).
    clock : callable
        Seconds since the epoch (for the login throttle; tests pass their own).
    password_hasher : argon2.PasswordHasher, optional
        How passwords are hashed (default: argon2-cffi's defaults; tests pass a cheaper one).
    """
    auth = Auth(workspace.state, clock=clock, hasher=password_hasher)
    one_time = auth.ensure_admin(admin_password)
    routes = [Route("/static/{name}", _static), *pages.routes()]
    app = Starlette(routes=routes)
    app.state.workspace = workspace
    app.state.auth = auth
    app.state.one_time_password = one_time
    app.add_middleware(SecurityHeaders)
    return app


def _read_password_file(path: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise DataError(Problem(path, None, None, f"cannot read the password file: {exc.strerror}")) from None
    if len(text) < 10:
        raise DataError(Problem(path, None, None, "the admin password must have at least 10 characters"))
    return text


def _check_address(host: str, port: int) -> None:
    """Refuse, in one sentence, an address this machine cannot listen on (a port in use, a foreign host)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as exc:
        raise DataError(
            Problem(
                f"{host}:{port}", None, None, f"cannot listen here ({exc.strerror}): choose another --port or --host"
            )
        ) from None


def serve(
    source: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    admin_password_file: str | None = None,
    state: str | None = None,
    root_path: str = "",
    echo: Callable[[str], None] = lambda text: print(text, file=sys.stderr),
    announce: Callable[[str], None] = print,
) -> None:
    """Open the workspace of SOURCE and serve it until interrupted (what ``stakeholder-graph serve`` runs).

    ``announce`` gets the address (standard output), ``echo`` every other message (standard error).
    """
    import uvicorn

    password = _read_password_file(admin_password_file) if admin_password_file else None
    _check_address(host, port)
    started = time.perf_counter()
    workspace = open_workspace(source, state)
    try:
        app = create_app(workspace, admin_password=password)
        if app.state.one_time_password:
            echo(
                "Created the first account: name 'admin', one-time password "
                f"{app.state.one_time_password} (you choose your own at the first sign-in)."
            )
        G = workspace.graph()
        echo(
            f"Workspace of {workspace.store.description}: {G.number_of_nodes()} stakeholders, "
            f"{G.number_of_edges()} relationships; accounts, history and waves in {workspace.state.folder} "
            f"(ready in {time.perf_counter() - started:.1f} s)"
        )
        shown = f"[{host}]" if ":" in host else host
        announce(f"Serving on http://{shown}:{port}{root_path.rstrip('/')}/ (Ctrl+C to stop)")
        if host not in ("127.0.0.1", "localhost", "::1"):
            echo("warning: listening beyond this machine: put it behind a reverse proxy with https (see README).")
        uvicorn.run(
            app,
            host=host,
            port=port,
            root_path=root_path.rstrip("/"),
            log_level=os.environ.get("STAKEHOLDER_GRAPH_LOG", "warning"),
            proxy_headers=True,
            forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            server_header=False,
            timeout_keep_alive=30,  # browsers keep a connection between pages; uvicorn's 5 s closes it under them
        )
    finally:
        workspace.close()
