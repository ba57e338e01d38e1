"""The workspace's pages, one module per area, each with its own ``routes`` (a Starlette router's list).

To add an area (partner surveys, say): write ``pages/surveys.py`` with ``routes`` built from handlers
wrapped by :func:`stakeholder_graph.web.http.page` (sign-in, role and CSRF checks come with it), and
optionally ``NAV = ("Surveys", "/surveys", "viewer")`` for the menu; then add its name to :data:`AREAS`.
"""

from __future__ import annotations

import importlib

__all__ = ["AREAS", "routes", "navigation"]

#: The areas, in menu order.
AREAS = (
    "account",
    "start",
    "mapview",
    "stakeholders",
    "engagements",
    "waves",
    "surveys",
    "transfer",
    "history",
    "admin",
    "partner",
)


def _modules():
    return [importlib.import_module(f"{__name__}.{name}") for name in AREAS]


def routes() -> list:
    """Every area's routes."""
    return [route for module in _modules() for route in module.routes]


def navigation() -> list[tuple[str, str, str]]:
    """(label, path, lowest role) of each area with a menu entry, in menu order."""
    return [module.NAV for module in _modules() if getattr(module, "NAV", None)]
