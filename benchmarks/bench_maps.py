#!/usr/bin/env python3
"""Benchmark the interactive maps: file generation, and time to a drawn, still map in headless Chromium.

For synthetic networks of 500, 2,000 and 10,000 stakeholders (and the Riverton sample): how long
``build_map`` takes, the file's size, how long the page takes until the map is drawn and still
(``stabilized``: measured from navigation start, in the page), and how long one full redraw takes
afterwards (what panning and zooming cost: a map is usable while a redraw stays well under 100 ms).
Each size is measured drawn in full and, where it differs, as drawn by default (aggregated above
``maps.AGGREGATE_THRESHOLD``). Not a test: numbers depend on the machine; see benchmarks/README.md.

With ``--command N ...``: the whole ``stakeholder-graph map FOLDER -o FILE`` command (a fresh process:
start, reading, analyses, page) on a synthetic dataset folder of each size, against a peer measured in
the same run, interleaved: pyvis (installed for the benchmark only, not a dependency) drawing the same
aggregated graph that our page opens with (its clusters and the stakeholders not folded, at our
positions, and the links between them) as a self-contained page (vis-network inlined), also in a fresh
process. ``--runs`` runs of each; min/median/max and the load average.
``--betweenness zero`` runs our command with ``bridges._betweenness`` replaced by zeros (to see the
rest while the betweenness pass itself is being replaced; say so beside any number it gives).

``--before CHECKOUT`` adds a third contestant, interleaved with the two: the same command run with the
``stakeholder_graph`` package of another checkout (``git archive main stakeholder_graph | tar -x -C
/tmp/sg-main``; see with_checkout.py).

Usage: python benchmarks/bench_maps.py [--sizes 500 2000 10000] [--riverton] [--full-max 10000]
       python benchmarks/bench_maps.py --command 10000 50000 [--runs 3] [--betweenness computed|zero]
                                       [--before /tmp/sg-main]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_cli(args: list[str]) -> None:
    """A contestant's process: ``--run-cli exact|zero map ...`` runs the command line (``zero``: every
    betweenness, igraph's and ``bridges._betweenness``, replaced by zeros)."""
    if args[0] == "zero":
        import igraph

        import stakeholder_graph.bridges as bridges

        igraph.Graph.betweenness = lambda self, *a, **k: [0.0] * self.vcount()
        bridges._betweenness = lambda H, weight=None: dict.fromkeys(H, 0.0)
    from stakeholder_graph.cli import main

    sys.argv = ["stakeholder-graph", *args[1:]]
    main()


if __name__ == "__main__" and sys.argv[1:2] == ["--run-cli"]:  # before importing anything else
    _run_cli(sys.argv[2:])

sys.path.insert(0, str(ROOT))

from stakeholder_graph import maps  # noqa: E402
from stakeholder_graph.maps import build_map, write_map  # noqa: E402
from stakeholder_graph.sources import open_source  # noqa: E402
from stakeholder_graph.synth import synthesize  # noqa: E402

REDRAW = """() => { const S = window.__stakeholderMap; const times = [];
  for (let i = 0; i < 5; i++) { const t = performance.now(); S.network.redraw(); times.push(performance.now() - t); }
  times.sort((a, b) => a - b); return times[2]; }"""


def measure(browser, G, label: str, aggregate, folder: Path) -> dict:
    from tests._browser import open_page

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
    parser.add_argument("--command", type=int, nargs="*", metavar="N", help="Time the whole map command against pyvis.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--betweenness", choices=("computed", "zero"), default="computed")
    parser.add_argument("--before", metavar="CHECKOUT", help="Also time another checkout's package.")
    parser.add_argument("--peer-pyvis", nargs=2, metavar=("GRAPH_JSON", "OUT_HTML"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.peer_pyvis:
        return _peer_pyvis(*args.peer_pyvis)
    if args.command:
        return bench_command(
            args.command, runs=args.runs, seed=args.seed, betweenness=args.betweenness, before=args.before
        )

    from playwright.sync_api import sync_playwright

    from tests._browser import launch

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


def _run(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _json_scripts(page: str) -> dict:
    return {
        m.group(1): json.loads(m.group(2))
        for m in re.finditer(r'<script type="application/json" id="([^"]+)">(.*?)</script>', page, re.S)
    }


def _drawn_graph(page: str) -> dict:
    """The graph our page opens with: its clusters, the stakeholders not folded, and the links between them."""
    scripts = _json_scripts(page)
    view = next(v for k, v in scripts.items() if k.endswith("-view"))
    graph = scripts[view["graph"]]
    colours = [c["color"] for c in graph["colors"]]
    packed = bool(graph.get("packed"))  # nodes column by column (atlas._pack)
    drawn = view["nodes"] or list(range(len(graph["nodes"]["id"] if packed else graph["nodes"])))
    pos = dict(zip(drawn, view["pos"]))
    unit, nodes = {}, []
    for k, c in enumerate(view["clusters"] or []):
        nodes.append(
            {
                "id": f"c{k}",
                "label": f"{c['label']} ({len(c['members'])})",
                "x": c["x"],
                "y": c["y"],
                "size": c["size"],
                "color": colours[c["cv"]],
            }
        )
        unit.update(dict.fromkeys(c["members"], f"c{k}"))
    for i in drawn:
        if i not in unit:
            n = {f: graph["nodes"][f][i] for f in ("label", "size", "cv")} if packed else graph["nodes"][i]
            unit[i] = f"n{i}"
            nodes.append(
                {
                    "id": f"n{i}",
                    "label": n["label"],
                    "x": pos[i][0],
                    "y": pos[i][1],
                    "size": n["size"],
                    "color": colours[n["cv"]],
                }
            )
    links: dict[tuple[str, str], int] = {}
    for e in graph["edges"]:
        a, b = unit.get(e[0]), unit.get(e[1])
        if a and b and a != b:
            links[(a, b)] = links.get((a, b), 0) + 1
    return {"nodes": nodes, "edges": [[a, b, count] for (a, b), count in links.items()]}


def _peer_pyvis(graph_json: str, out_html: str) -> int:
    """The peer's process: pyvis draws the same graph, positions given, physics off, vis-network inlined."""
    from pyvis.network import Network

    graph = json.loads(Path(graph_json).read_text(encoding="utf-8"))
    net = Network(height="900px", width="100%", directed=True, cdn_resources="in_line")
    for n in graph["nodes"]:
        net.add_node(n["id"], label=n["label"], x=n["x"], y=n["y"], size=n["size"], color=n["color"], title=n["label"])
    for a, b, count in graph["edges"]:
        net.add_edge(a, b, value=count, title=f"{count} relationships")
    net.toggle_physics(False)
    net.write_html(out_html)
    return 0


def _stats(xs: list[float]) -> str:
    return f"{min(xs):.2f} / {statistics.median(xs):.2f} / {max(xs):.2f}"


def bench_command(sizes: list[int], runs: int, seed: int, betweenness: str, before: str | None = None) -> int:
    """The whole ``map`` command against pyvis drawing the same aggregated graph (and, with ``before``,
    another checkout's command), interleaved."""
    from stakeholder_graph.dataset import write_dataset

    here = str(Path(__file__).resolve())
    contestants = {"map": [sys.executable, here, "--run-cli", betweenness]}
    if before:
        checkout = str(Path(before).resolve())
        with_checkout = str(Path(__file__).resolve().parent / "with_checkout.py")
        contestants["map before"] = [sys.executable, with_checkout, checkout, here, "--run-cli", betweenness]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            folder = Path(tmp) / f"synth-{n}"
            G = synthesize(n, seed=seed)
            write_dataset(G, folder)
            relationships = G.number_of_edges()
            del G
            graph_path, peer_path = Path(tmp) / "drawn.json", Path(tmp) / "peer.html"
            pages = {name: Path(tmp) / f"{name.replace(' ', '-')}.html" for name in contestants}
            times: dict[str, list[float]] = {name: [] for name in [*contestants, "pyvis"]}
            loads = [os.getloadavg()[0]]
            for run in range(runs):
                for name, argv in contestants.items():
                    times[name].append(_run([*argv, "map", str(folder), "-o", str(pages[name])]))
                    if run == 0 and name == "map":
                        drawn = _drawn_graph(pages[name].read_text(encoding="utf-8"))
                        graph_path.write_text(json.dumps(drawn), encoding="utf-8")
                times["pyvis"].append(_run([sys.executable, here, "--peer-pyvis", str(graph_path), str(peer_path)]))
                loads.append(os.getloadavg()[0])
                done = ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items())
                print(f"{n}: run {run + 1}: {done}, load {loads[-1]:.2f}", file=sys.stderr, flush=True)
            sizes_mb = {name: path.stat().st_size / 1e6 for name, path in pages.items()}
            sizes_mb["pyvis"] = peer_path.stat().st_size / 1e6
            rows.append(
                {
                    "n": n,
                    "relationships": relationships,
                    "drawn": f"{len(drawn['nodes'])} nodes, {len(drawn['edges'])} links",
                    "times": times,
                    "mb": sizes_mb,
                    "load": (min(loads), max(loads)),
                }
            )
    print(
        f"`map` (whole command, betweenness {'as it computes it' if betweenness == 'computed' else 'zero'}) against pyvis drawing the same aggregated graph; "
        f"{runs} runs each, interleaved; seconds min / median / max; ratio = median / pyvis's median"
    )
    print("| stakeholders | relationships | drawn | program | s | page MB | ratio | load |")
    print("|---:|---:|---|---|---:|---:|---:|---|")
    for r in rows:
        peer = statistics.median(r["times"]["pyvis"])
        for name, xs in r["times"].items():
            print(
                f"| {r['n']:,} | {r['relationships']:,} | {r['drawn']} | {name} | {_stats(xs)} | {r['mb'][name]:.1f} | "
                f"{statistics.median(xs) / peer:.2f} | {r['load'][0]:.1f}-{r['load'][1]:.1f} |"
            )
    print(f"\n{os.cpu_count()} cores; load average (1 min) {os.getloadavg()[0]:.1f} when it finished.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
