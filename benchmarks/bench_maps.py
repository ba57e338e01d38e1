#!/usr/bin/env python3
"""Benchmark the interactive maps: file generation, and time to a drawn, still map in headless Chromium.

For synthetic networks of 500, 2,000 and 10,000 stakeholders (and the Riverton sample): how long
``build_map`` takes, the file's size, how long the page takes until the map is drawn and still
(``stabilized``: measured from navigation start, in the page), and how long one full redraw takes
afterwards (what panning and zooming cost: a map is usable while a redraw stays well under 100 ms).
Each size is measured drawn in full and, where it differs, as drawn by default (aggregated above
``maps.AGGREGATE_THRESHOLD``). Not a test: numbers depend on the machine; see benchmarks/README.md.

Usage: python benchmarks/bench_maps.py [--sizes 500 2000 10000] [--riverton] [--full-max 10000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stakeholder_graph import maps  # noqa: E402
from stakeholder_graph.maps import build_map, write_map  # noqa: E402
from stakeholder_graph.sources import open_source  # noqa: E402
from stakeholder_graph.synth import synthesize  # noqa: E402
from tests._browser import launch, open_page  # noqa: E402

REDRAW = """() => { const S = window.__stakeholderMap; const times = [];
  for (let i = 0; i < 5; i++) { const t = performance.now(); S.network.redraw(); times.push(performance.now() - t); }
  times.sort((a, b) => a - b); return times[2]; }"""


def measure(browser, G, label: str, aggregate, folder: Path) -> dict:
    start = time.perf_counter()
    page_html = build_map(G, aggregate=aggregate)
    generation = time.perf_counter() - start
    path = write_map(page_html, folder / "map.html")
    start = time.perf_counter()
    page, log = open_page(browser, path, width=1400, height=900)
    wall = time.perf_counter() - start
    ready = page.evaluate("() => window.__stakeholderMap.readyAt")
    counts = page.evaluate("() => window.__stakeholderMap.counts()")
    redraw = page.evaluate(REDRAW)
    page.close()
    log.assert_clean()
    return {
        "network": label,
        "stakeholders": G.number_of_nodes(),
        "relationships": G.number_of_edges(),
        "drawn": f"{counts['nodes']} nodes, {counts['edges']} links"
        + (f" ({counts['clusters']} clusters)" if counts["clusters"] else ""),
        "aggregate": "full" if aggregate == "none" else "default",
        "generation_s": round(generation, 2),
        "size_mb": round(len(page_html.encode()) / 1e6, 2),
        "stable_s": round(ready / 1000, 2),
        "load_wall_s": round(wall, 2),
        "redraw_ms": round(redraw, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[500, 2000, 10000])
    parser.add_argument("--riverton", action="store_true", default=True)
    parser.add_argument("--no-riverton", dest="riverton", action="store_false")
    parser.add_argument("--full-max", type=int, default=10000, help="Largest size also drawn in full.")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = launch(playwright)
        cases = []
        if args.riverton and (ROOT / "data" / "riverton").exists():
            cases.append(("Riverton", open_source(ROOT / "data" / "riverton")))
        cases += [(f"synth {n}", synthesize(n, seed=0)) for n in args.sizes]
        for label, G in cases:
            n = G.number_of_nodes()
            modes = (
                ["none"] if n <= maps.AGGREGATE_THRESHOLD else (["auto", "none"] if n <= args.full_max else ["auto"])
            )
            for aggregate in modes:
                row = measure(browser, G, label, aggregate, Path(folder))
                rows.append(row)
                print(row, file=sys.stderr, flush=True)
        browser.close()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print("| network | drawn | generation (s) | file (MB) | stable in page (s) | redraw (ms) |")
    print("|---|---|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['network']} ({r['stakeholders']:,} stakeholders, {r['aggregate']}) | {r['drawn']} | "
            f"{r['generation_s']} | {r['size_mb']} | {r['stable_s']} | {r['redraw_ms']} |"
        )
    print(f"\n{os.cpu_count()} cores, load average {load:.1f} when it finished.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
