"""Admin: accounts (create, change role, new password, disable) and settings (who sees residents' names)."""

from __future__ import annotations

from starlette.routing import Route

from ...errors import DataError
from ..auth import new_password
from ..http import Ctx, NotFound, page
from ..state import ROLES
from ..workspace import SHOW_NAMES

NAV = ("Admin", "/admin", "admin")


def _render(ctx: Ctx, status: int = 200, **extra):
    context = {"created": None, "errors": {}, **extra}
    return ctx.render(
        "admin.html",
        status=status,
        accounts=ctx.workspace.state.accounts(),
        roles=ROLES,
        show_names_to=ctx.workspace.show_names_to,
        choices=SHOW_NAMES,
        **context,
    )


@page("admin")
def admin(ctx: Ctx):
    return _render(ctx)


@page("admin")
def create(ctx: Ctx):
    name, role = ctx.field("name"), ctx.field("role")
    password = new_password()
    try:
        account = ctx.auth.create_account(name, password, role, must_change=True)
    except DataError as exc:
        return _render(ctx, 400, errors={p.file: p.message for p in exc.problems}, name=name)
    ctx.workspace.state.record(
        ctx.account.name, "accounts", f"created account {account.name} ({role})", [], {}, status="note"
    )
    return _render(ctx, created={"name": account.name, "password": password, "role": role})


@page("admin")
def change(ctx: Ctx):
    """Change an account's role, give it a new one-time password, or disable or enable it."""
    state = ctx.workspace.state
    account = state.account(ctx.param("name"))
    if account is None:
        raise NotFound("There is no such account.")
    action = ctx.field("action")
    last_admin = account.role == "admin" and not account.disabled and state.count_admins() == 1
    if action == "role":
        role = ctx.field("role")
        if role not in ROLES:
            raise DataError("choose a role: " + ", ".join(ROLES))
        if last_admin and role != "admin":
            return _render(ctx, 400, errors={account.name: "This is the only admin: make another admin first."})
        state.update_account(account.name, role=role)
        summary = f"{account.name}: role {account.role} -> {role}"
    elif action == "password":
        password = new_password()
        ctx.auth.set_password(account.name, password, must_change=True)
        state.record(ctx.account.name, "accounts", f"{account.name}: new one-time password", [], {}, status="note")
        return _render(ctx, created={"name": account.name, "password": password, "role": account.role})
    elif action in ("disable", "enable"):
        if last_admin and action == "disable":
            return _render(ctx, 400, errors={account.name: "This is the only admin: make another admin first."})
        state.update_account(account.name, disabled=action == "disable")
        summary = f"{account.name}: {action}d"
    else:
        raise NotFound("There is no such change.")
    state.record(ctx.account.name, "accounts", summary, [], {}, status="note")
    return ctx.redirect("/admin", summary.capitalize() + ".")


@page("admin")
def settings(ctx: Ctx):
    ctx.workspace.set_show_names_to(ctx.account.name, ctx.field("show_names_to"))
    return ctx.redirect("/admin", f"Residents' names are shown to {SHOW_NAMES[ctx.workspace.show_names_to]}.")


routes = [
    Route("/admin", admin),
    Route("/admin/accounts", create, methods=["POST"]),
    Route("/admin/accounts/{name}", change, methods=["POST"]),
    Route("/admin/settings", settings, methods=["POST"]),
]
