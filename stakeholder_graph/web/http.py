"""What every page shares: the :func:`page` decorator (sign-in, role, CSRF), :class:`Ctx`, templates,
error pages, the security headers and the static files.

Every route of every area is a plain function ``handler(ctx) -> Response`` wrapped by :func:`page`, which
runs it in a worker thread after checking, on the server, that the person is signed in (unless the page
is public), that their role is high enough, and, for a POST, that the form carries the session's CSRF
token. So a new area (a router of its own, see :mod:`.pages`) gets all of this by using the decorator.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import logging
import mimetypes
import re
import urllib.parse
from collections.abc import Callable
from functools import lru_cache

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from ..errors import DatabaseError, DataError
from .auth import LOGIN_COOKIE, SESSION_COOKIE, Auth, Session, csrf_ok
from .records import FormErrors
from .state import ROLES
from .workspace import SHOW_NAMES, ChangeConflict, Workspace

__all__ = [
    "CSP",
    "MAX_BODY",
    "Ctx",
    "NotFound",
    "Forbidden",
    "page",
    "templates",
    "SecurityHeaders",
    "static_response",
    "static_url",
]

log = logging.getLogger("stakeholder_graph.web")

#: The Content-Security-Policy of every response: nothing from anywhere else, no inline script or style.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
#: The largest request body accepted (uploads included), in bytes.
MAX_BODY = 50 * 1024 * 1024
FLASH_COOKIE = "sg_flash"


class NotFound(Exception):
    """No such page or record (404)."""


class Forbidden(Exception):
    """The person's role does not allow this (403); ``message`` says what would."""


# ------------------------------------------------------------------------------------------ templates


def _load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    resource = importlib.resources.files("stakeholder_graph.web").joinpath("templates", name)
    if not resource.is_file():
        return None
    return resource.read_text(encoding="utf-8"), name, lambda: True


def _query(params: dict | None = None, **more) -> str:
    """``?a=1&b=2`` from a dict (empty values left out)."""
    merged = {**(params or {}), **more}
    pairs = [(k, v) for k, v in merged.items() if v not in (None, "")]
    return ("?" + urllib.parse.urlencode(pairs)) if pairs else ""


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The templates (package data), HTML-escaping every value."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(static_url=static_url, query=_query, SHOW_NAMES=SHOW_NAMES, ROLES=ROLES)
    env.filters["label"] = lambda text: str(text).replace("_", " ")
    env.filters["path"] = lambda text: urllib.parse.quote(str(text), safe="")
    return env


# ------------------------------------------------------------------------------------------ static files


@lru_cache(maxsize=1)
def _static_files() -> dict[str, bytes]:
    folder = importlib.resources.files("stakeholder_graph.web").joinpath("static")
    files = {}
    for entry in folder.iterdir():
        if entry.is_file() and not entry.name.startswith("."):
            files[entry.name] = entry.read_bytes()
    return files


def static_url(name: str) -> str:
    """The URL path (below the root) of a static file, with its content hash for caching."""
    body = _static_files()[name]
    return f"/static/{name}?v={hashlib.sha256(body).hexdigest()[:12]}"


def static_response(name: str, body: bytes | None = None) -> Response:
    """A static file (or ``body`` under that name), cached for a year: its URL changes with its content."""
    body = body if body is not None else _static_files().get(name)
    if body is None:
        return PlainTextResponse("Not found", status_code=404)
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript",):
        kind += "; charset=utf-8"
    return Response(body, media_type=kind, headers={"Cache-Control": "public, max-age=31536000, immutable"})


# ------------------------------------------------------------------------------------------ context


class Ctx:
    """One request, as a page handler sees it."""

    def __init__(self, request: Request, form, session: Session | None, workspace: Workspace, auth: Auth):
        self.request = request
        self._form = form
        self.session = session
        self.account = session.account if session else None
        self.workspace = workspace
        self.auth = auth
        self.root = request.scope.get("root_path", "").rstrip("/")
        self._flash = auth.flash_from_cookie(request.cookies.get(FLASH_COOKIE))
        self._view = None

    # ---- input
    def arg(self, name: str, default: str = "") -> str:
        """A query-string value."""
        return self.request.query_params.get(name, default)

    def field(self, name: str, default: str = "") -> str:
        """A form value (text), stripped."""
        if self._form is None:
            return default
        value = self._form.get(name)
        return value.strip() if isinstance(value, str) else default

    def has(self, name: str) -> bool:
        """Whether the form sent a field of this name (even empty)."""
        return self._form is not None and name in self._form

    def fields(self, name: str) -> list[str]:
        if self._form is None:
            return []
        return [v.strip() for v in self._form.getlist(name) if isinstance(v, str) and v.strip()]

    def upload(self, name: str):
        value = None if self._form is None else self._form.get(name)
        return None if value is None or isinstance(value, str) else value

    def param(self, name: str) -> str:
        return str(self.request.path_params.get(name, ""))

    # ---- who
    @property
    def role(self) -> str:
        return self.account.role if self.account else "viewer"

    def can(self, role: str) -> bool:
        return self.account is not None and self.account.can(role)

    def require(self, role: str, doing: str) -> None:
        if not self.can(role):
            raise Forbidden(f"Your role ({self.role}) cannot {doing}; an {role} can.")

    @property
    def view(self):
        """The network as this person may see it (see :mod:`.views`)."""
        if self._view is None:
            self._view = self.workspace.view(self.role)
        return self._view

    # ---- output
    def render(self, template: str, status: int = 200, **context) -> HTMLResponse:
        page_context = {
            "root": self.root,
            "account": self.account,
            "csrf": self.session.csrf if self.session else "",
            "flash": self._flash,
            "path": self.request.url.path,
            "program": getattr(self.workspace.graph().graph.get("program"), "name", "") or "Stakeholder network",
            "anonymized": self._view.anonymized if self._view is not None else False,
            "can_edit": self.can("editor"),
            "is_admin": self.can("admin"),
            "nav": _navigation(),
        }
        page_context.update(context)
        response = HTMLResponse(templates().get_template(template).render(page_context), status_code=status)
        if self._flash:
            response.delete_cookie(FLASH_COOKIE, path=self.root or "/")
        return response

    def redirect(self, path: str, message: str | None = None) -> RedirectResponse:
        """See other (303) to ``path`` below the root; ``message`` is shown once on the next page."""
        response = RedirectResponse(self.root + path, status_code=303)
        if message:
            response.set_cookie(
                FLASH_COOKIE,
                self.auth.flash_cookie(message),
                max_age=120,
                path=self.root or "/",
                httponly=True,
                samesite="lax",
                secure=self.request.url.scheme == "https",
            )
        return response

    def error(self, status: int, title: str, messages: list[str]) -> HTMLResponse:
        return self.render("error.html", status=status, title=title, messages=messages)


def _navigation():
    from .pages import navigation

    return navigation()


# ------------------------------------------------------------------------------------------ the decorator


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def page(role: str | None = "viewer"):
    """Make ``handler(ctx)`` a route endpoint: signed in with at least ``role`` (None: a public page),
    CSRF token checked on every POST, run in a worker thread, errors shown as pages."""

    def decorator(handler: Callable[[Ctx], Response]):
        async def endpoint(request: Request) -> Response:
            form = None
            if request.method == "POST":
                try:
                    form = await request.form(max_files=4, max_fields=5000, max_part_size=1024 * 1024)
                except Exception:  # a malformed or oversized body: refused, nothing done
                    return PlainTextResponse("The form could not be read.", status_code=400)
            try:
                return await run_in_threadpool(_serve, handler, role, request, form)
            finally:
                if form is not None:
                    await form.close()

        endpoint.__name__ = handler.__name__
        endpoint.__doc__ = handler.__doc__
        return endpoint

    return decorator


def _serve(handler, role, request: Request, form) -> Response:
    app = request.app.state
    auth: Auth = app.auth
    workspace: Workspace = app.workspace
    session = auth.session_from_cookie(request.cookies.get(SESSION_COOKIE))
    ctx = Ctx(request, form, session, workspace, auth)
    try:
        if role is not None:
            if session is None:
                if request.method == "GET":
                    target = request.url.path[len(ctx.root) :] + (f"?{request.url.query}" if request.url.query else "")
                    return ctx.redirect("/login" + _query(next=target))
                return ctx.error(403, "Signed out", ["Your session has ended: sign in again, then repeat the change."])
            if session.account.must_change and request.url.path[len(ctx.root) :] not in ("/account", "/logout"):
                return ctx.redirect("/account", "Choose your own password before you go on.")
            if not session.account.can(role):
                raise Forbidden(f"Your role ({session.account.role}) cannot do this; an {role} can.")
        if request.method == "POST" and role is not None and not csrf_ok(session, ctx.field("csrf")):
            return ctx.error(
                403,
                "Form refused",
                [
                    "This form is out of date or came from another site, so nothing was changed. Reload the page and try again."
                ],
            )
        return handler(ctx)
    except NotFound as exc:
        return ctx.error(404, "Not found", [str(exc) or "There is no such page."])
    except Forbidden as exc:
        return ctx.error(403, "Not allowed", [str(exc)])
    except ChangeConflict as exc:
        return ctx.error(409, "Someone else changed this first", [f"Nothing was changed: {exc}"])
    except FormErrors as exc:
        return ctx.error(400, "Not saved", [str(m) for m in exc.problems])
    except DataError as exc:
        return ctx.error(400, "Not done", [str(p) for p in exc.problems])
    except DatabaseError as exc:
        return ctx.error(503, "The database is not answering", [str(exc)])


# ------------------------------------------------------------------------------------------ headers


class SecurityHeaders:
    """ASGI middleware: the CSP and other headers on every response; request bodies bounded."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["method"] == "POST":
            length = dict(scope["headers"]).get(b"content-length")
            if length is None or not length.isdigit() or int(length) > MAX_BODY:
                response = PlainTextResponse(
                    f"Request refused: a form or upload must say its length and be at most {MAX_BODY // 2**20} MB.",
                    status_code=413,
                )
                return await response(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = CSP
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "same-origin"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def set_session_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None) -> None:
    root = request.scope.get("root_path", "").rstrip("/") or "/"
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=root,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path=request.scope.get("root_path", "").rstrip("/") or "/")


_SAFE_NEXT = re.compile(r"^/(?!/)[^\s\\]*$")


def safe_next(target: str) -> str:
    """A path to go to after signing in, never another site."""
    return target if target and _SAFE_NEXT.match(target) else "/"


__all__ += ["set_session_cookie", "clear_cookie", "safe_next", "client_address", "LOGIN_COOKIE", "SESSION_COOKIE"]
