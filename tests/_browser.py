"""Open HTML files in Debian's headless Chromium, with the network cut off, and watch what the page does.

Driven by the ``playwright`` package with ``executable_path`` (never a browser playwright downloads).
Every request whose URL is not the page's own file is aborted and recorded; dialogs (``alert``), console
errors, page errors and Content-Security-Policy violations are recorded too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("STAKEHOLDER_GRAPH_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
]


def _why_not() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (scripts/test installs Debian's chromium when run as root)"
    try:
        import playwright.sync_api  # noqa: F401  (only whether it is installed)
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


#: Mark for tests that need the browser: skipped, with the reason, when it is absent.
requires_browser = pytest.mark.skipif(_why_not() is not None, reason=_why_not() or "")


@dataclass
class PageLog:
    """What a page did besides drawing."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.requests == [], f"requests left the page: {self.requests}"
        assert self.dialogs == [], f"a dialog opened (a script ran): {self.dialogs}"
        assert self.errors == [], f"errors in the page: {self.errors}"


def launch(playwright):
    """Debian's Chromium, headless."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)


def open_page(browser, path: Path, width: int = 1400, height: int = 900, wait: bool = True):
    """Load ``path`` by file:// with every other request aborted; wait until its maps are drawn.

    Returns ``(page, log)``. With several maps on the page (the report) all are started first.
    """
    page = browser.new_page(viewport={"width": width, "height": height})
    log = PageLog()
    own = path.resolve().as_uri()

    def route(r):
        if r.request.url == own:
            r.continue_()
        else:
            log.requests.append(r.request.url)
            r.abort()

    def on_dialog(dialog):
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.route("**/*", route)
    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: log.errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: log.errors.append(f"console {msg.type}: {msg.text}") if msg.type in ("error", "warning") else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI); });"
    )
    page.goto(own)
    if wait:
        wait_for_maps(page)
    return page, log


def open_tab(browser, server, width: int = 1280, height: int = 860, script: bool = True):
    """A tab of a live workspace (``server.url``) in a fresh context (no cookies), which may reach the
    workspace only: what else it tries, its dialogs, errors and Content-Security-Policy violations go in the
    log. ``script=False`` opens it with JavaScript off. Returns ``(page, log)``."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=script, accept_downloads=True
    )
    page = context.new_page()
    log = PageLog()

    def route(r):
        if r.request.url.startswith(server.url + "/"):
            r.continue_()
        else:
            log.requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("dialog", lambda d: (log.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda exc: log.errors.append(f"pageerror: {exc}"))
    page.on("console", lambda m: log.errors.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI); });"
    )
    return page, log


def wait_for_maps(page, timeout: float = 60_000) -> None:
    """Start every map on the page and wait until each is drawn and still."""
    page.wait_for_function("() => !!window.__stakeholderMapStartAll", timeout=timeout)
    page.evaluate("() => window.__stakeholderMapStartAll()")
    page.wait_for_function(
        "() => { const maps = Object.values(window.__stakeholderMaps || {});"
        " return maps.length === document.querySelectorAll('.sgmap').length && maps.every(m => m.stabilized); }",
        timeout=timeout,
    )


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"


def accessibility_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core (vendored in tests/vendor, WCAG 2 A and AA rules and best practices) on the page.

    Returns the violations of the given impacts, each ``{"id", "impact", "help", "targets"}``. axe is
    evaluated through the browser's debugging protocol, which the page's Content-Security-Policy does not
    govern, so the page keeps its policy while it is checked.
    """
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"],
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary)}));
        }"""
    )
    return [v for v in result if v["impact"] in impacts]
