"""The page's assets, real files in ``assets/`` read with importlib.resources: the maps' script
(``map.js``), styles (``map.css``), page template (``map.html``), vis-network's options
(``vis-options.json``) and vis-network itself (``vendor/vis-network/``, from npm, updated with
``scripts/update-vis-network``); the Content-Security-Policy that allows only these scripts (by hash);
JSON data blocks no string can break out of."""

from __future__ import annotations

import base64
import hashlib
import html
import json
from functools import lru_cache
from importlib.resources import files


def _read(*parts: str) -> str:
    return files(__package__).joinpath("assets", *parts).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def runtime_js() -> str:
    """The maps' own script: it reads the JSON data and builds the network, legend, filters and tooltips
    with createElement and textContent only (never innerHTML), so a name is always text."""
    return _read("map.js")


@lru_cache(maxsize=1)
def map_css() -> str:
    """The maps' styles (also those of a whole-page map)."""
    return _read("map.css")


@lru_cache(maxsize=1)
def page_template() -> str:
    """The skeleton of a whole-page map (``string.Template`` placeholders; values escaped by the caller)."""
    return _read("map.html")


@lru_cache(maxsize=1)
def figure_template() -> str:
    """One map in a page: a ``<figure>`` with the canvas, the side panel and the view's data."""
    return _read("figure.html")


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network (its ``dist`` build from npm: no CSS injected), shipped with the package (``assets/vendor/vis-network/``)."""
    text = _read("vendor", "vis-network", "vis-network.min.js")
    if "</script" in text.lower():  # pragma: no cover - scripts/update-vis-network refuses such a build
        raise RuntimeError("vis-network.min.js contains '</script' and cannot be inlined")
    return text


def vis_options(n: int, physics: bool) -> dict:
    """vis-network's options for a map of ``n`` nodes: straight edges, forceAtlas2Based physics (200
    stabilization steps) when ``physics``, edges hidden while dragging above 1,000 nodes and while
    zooming above 3,000."""
    options = json.loads(_vis_options_text())
    options["physics"]["enabled"] = bool(physics)
    options["interaction"].update(hideEdgesOnDrag=n > 1000, hideEdgesOnZoom=n > 3000)
    return options


@lru_cache(maxsize=1)
def _vis_options_text() -> str:
    return _read("vis-options.json")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _csp_meta() -> str:
    """A Content-Security-Policy that loads nothing from anywhere and runs only the page's own scripts."""
    hashes = " ".join(_sha256(s) for s in (vis_network_js(), runtime_js()))
    policy = (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data: blob:; "
        "font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def _json_text(data) -> str:
    """``data`` as JSON that no string can break out of a ``<script>`` with."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _json_script(element_id: str, data, text: str | None = None) -> str:
    """``data`` (or its ``_json_text`` already made) inside a ``<script type="application/json">``."""
    text = _json_text(data) if text is None else text
    return f'<script type="application/json" id="{html.escape(element_id)}">{text}</script>'
