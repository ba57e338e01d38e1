#!/usr/bin/env python3
"""Build the Riverton map and save a screenshot of it, once it is drawn, for the README.

Usage: python scripts/screenshot_map.py [SOURCE] [--output docs/riverton-map.png] [--width 1500 --height 950]

Uses Debian's headless Chromium (/usr/bin/chromium) through playwright, with every request other than
the map's own file aborted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stakeholder_graph.maps import build_map, write_map  # noqa: E402
from stakeholder_graph.sources import open_source  # noqa: E402
from tests._browser import launch, open_page  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default=str(ROOT / "data" / "riverton"))
    parser.add_argument("--output", default=str(ROOT / "docs" / "riverton-map.png"))
    parser.add_argument("--width", type=int, default=1500)
    parser.add_argument("--height", type=int, default=950)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    G = open_source(args.source)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_file = write_map(build_map(G), Path(folder) / "map.html")
        browser = launch(playwright)
        page, log = open_page(browser, page_file, width=args.width, height=args.height)
        page.screenshot(path=args.output)
        browser.close()
        log.assert_clean()
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
