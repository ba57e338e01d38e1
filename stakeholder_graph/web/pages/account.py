"""Signing in and out, and one's own password."""

from __future__ import annotations

from starlette.routing import Route

from ...errors import DataError
from ..auth import LOGIN_COOKIE, SESSION_COOKIE, SESSION_MAX_AGE, LoginRefused, check_password
from ..http import Ctx, clear_cookie, client_address, page, safe_next, set_session_cookie


@page(None)
def login(ctx: Ctx):
    """The sign-in form (GET) and signing in (POST)."""
    if ctx.request.method == "GET" and ctx.account is not None:
        return ctx.redirect(safe_next(ctx.arg("next")))
    error, status = None, 200
    name = ctx.field("name")
    if ctx.request.method == "POST":
        if not ctx.auth.login_token_ok(ctx.request.cookies.get(LOGIN_COOKIE), ctx.field("csrf")):
            error, status = "This form is out of date: sign in again.", 403
        else:
            try:
                session = ctx.auth.login(name, ctx._form.get("password") or "", client_address(ctx.request))
            except LoginRefused as exc:
                if exc.wait:
                    error, status = f"Too many wrong passwords: wait {exc.wait} seconds, then try again.", 429
                else:
                    error, status = "Wrong name or password.", 401
            else:
                response = ctx.redirect(safe_next(ctx.field("next")))
                set_session_cookie(
                    response, ctx.request, SESSION_COOKIE, ctx.auth.session_cookie(session), SESSION_MAX_AGE
                )
                clear_cookie(response, ctx.request, LOGIN_COOKIE)
                return response
    token, cookie = ctx.auth.login_token()
    response = ctx.render(
        "login.html",
        status=status,
        error=error,
        name=name,
        login_token=token,
        next=safe_next(ctx.arg("next") or ctx.field("next")),
    )
    if status == 429:
        response.headers["Retry-After"] = error.split("wait ")[1].split()[0]
    set_session_cookie(response, ctx.request, LOGIN_COOKIE, cookie, None)
    return response


@page("viewer")
def logout(ctx: Ctx):
    ctx.auth.logout(ctx.session)
    response = ctx.redirect("/login", "Signed out.")
    clear_cookie(response, ctx.request, SESSION_COOKIE)
    return response


@page("viewer")
def account(ctx: Ctx):
    """One's own account: change the password (required after a one-time password)."""
    errors: dict[str, str] = {}
    if ctx.request.method == "POST":
        current, new, again = (ctx._form.get(k) or "" for k in ("current", "password", "again"))
        if not ctx.auth.verify_password(ctx.account.name, current):
            errors["current"] = "This is not your current password."
        elif new != again:
            errors["again"] = "The two new passwords differ."
        elif new == current:
            errors["password"] = "Choose a password other than the one you have."
        else:
            try:
                check_password(new)
            except DataError as exc:
                errors["password"] = exc.problems[0].message
        if not errors:
            ctx.auth.set_password(ctx.account.name, new)
            session = ctx.auth.state.new_session(ctx.account.name)
            response = ctx.redirect("/", "Your password is changed.")
            from ..auth import Session

            signed = ctx.auth.session_cookie(Session(ctx.account, *session))
            set_session_cookie(response, ctx.request, SESSION_COOKIE, signed, SESSION_MAX_AGE)
            return response
    return ctx.render("account.html", status=400 if errors else 200, errors=errors)


routes = [
    Route("/login", login, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/account", account, methods=["GET", "POST"]),
]
