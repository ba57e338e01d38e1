"""Benchmark ``stakeholder-graph report`` against peers' betweenness alone, interleaved, in one run.

For each size a network is generated with :func:`stakeholder_graph.synth.synthesize` and written to a
temporary dataset folder. Then, ``--runs`` times, interleaved (report, peer, peer, ..., report, ...),
each in a fresh subprocess:

- ``stakeholder-graph report FOLDER --format json``: wall time including process start and reading
  the folder, and peak resident memory (``ru_maxrss`` of that child, from ``os.wait4``);
- each peer's betweenness on the undirected tie graph of the same folder (every stakeholder but
  engagements, every relationship between them, parallel ones merged), timed alone: reading the files
  and building the graph are not counted. Peers: ``igraph`` (exact, one core), ``networkit`` (exact,
  every core) and ``rustworkx`` (exact, every core) when installed (they are not dependencies:
  ``pip install networkit rustworkx`` for a benchmark run), and ``igraph-sampled``: igraph's
  betweenness from as many sampled sources as the report's estimate uses (for sizes the report
  estimates, where an exact peer would run for an hour).

Each cell is min / median / max over the runs; the load average is printed before and after each size.

Run from the project folder::

    python benchmarks/bench_report.py                                   # 2,000 and 20,000 stakeholders
    python benchmarks/bench_report.py --sizes 20000 --runs 3 --peers igraph networkit rustworkx
    python benchmarks/bench_report.py --sizes 100000:500000 --peers igraph-sampled   # N:relationships

This is a script, not a test: it prints a table and never fails on slowness.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import_error = None
try:
    from stakeholder_graph.dataset import write_dataset
    from stakeholder_graph.synth import synthesize
except ImportError as exc:  # pragma: no cover - reported to the user below
    import_error = exc


def _cli() -> list[str]:
    """How to start the command line: the console script if installed, else ``python -m``."""
    script = shutil.which("stakeholder-graph")
    return [script] if script else [sys.executable, "-m", "stakeholder_graph"]


def _measure(argv: list[str]) -> dict:
    """Run a command in a fresh process: wall seconds, peak resident MB, exit code, stdout and stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        peak_kb = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024
        return {
            "seconds": seconds,
            "peak_mb": peak_kb / 1024,
            "returncode": process.returncode,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def _tie_graph(folder: Path):
    """The undirected tie graph of a dataset folder as an igraph Graph (no loops, no parallel ties)."""
    import igraph

    index: dict[str, int] = {}
    with open(folder / "stakeholders.csv", newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] != "engagement":
                index[row["id"]] = len(index)
    with open(folder / "relationships.csv", newline="", encoding="utf-8-sig") as handle:
        pairs = [
            (index[row["source"]], index[row["target"]])
            for row in csv.DictReader(handle)
            if row["source"] in index and row["target"] in index
        ]
    graph = igraph.Graph(n=len(index), edges=pairs, directed=False)
    graph.simplify()
    return graph


def _peer_worker(peer: str, folder: str, sources: int) -> None:
    """Subprocess body: build the tie graph, time one peer's betweenness alone, print JSON."""
    graph = _tie_graph(Path(folder))
    if peer == "igraph":
        start = time.perf_counter()
        graph.betweenness(directed=False)
    elif peer == "igraph-sampled":
        import random

        picked = random.Random(0).sample(range(graph.vcount()), min(sources, graph.vcount()))
        start = time.perf_counter()
        graph.betweenness(directed=False, sources=picked)
    elif peer == "networkit":
        import networkit

        G = networkit.Graph(graph.vcount())
        for u, v in graph.get_edgelist():
            G.addEdge(u, v)
        start = time.perf_counter()
        networkit.centrality.Betweenness(G, normalized=True).run()
    elif peer == "rustworkx":
        import rustworkx

        G = rustworkx.PyGraph()
        G.add_nodes_from(range(graph.vcount()))
        G.add_edges_from_no_data(graph.get_edgelist())
        start = time.perf_counter()
        rustworkx.graph_betweenness_centrality(G, normalized=True, parallel_threshold=50)
    else:
        raise SystemExit(f"unknown peer {peer!r}")
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "vertices": graph.vcount(), "edges": graph.ecount()}))


def _available(peer: str) -> bool:
    module = {"networkit": "networkit", "rustworkx": "rustworkx"}.get(peer)
    if module is None:
        return True
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True)
    return done.returncode == 0


def _synthesize(size: str, seed: int):
    """``N`` or ``N:R`` (stakeholders, relationships) as a synthetic network."""
    n, _, relationships = size.partition(":")
    if relationships:
        return synthesize(int(n), seed=seed, relationships_per_stakeholder=int(relationships) / int(n))
    return synthesize(int(n), seed=seed)


def _spread(values: list[float]) -> str:
    """min / median / max, or the one value."""
    if not values:
        return "-"
    ordered = sorted(values)
    if len(ordered) == 1:
        return f"{ordered[0]:.2f}"
    return f"{ordered[0]:.2f} / {statistics.median(ordered):.2f} / {ordered[-1]:.2f}"


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "-"


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).rjust(w) for c, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", nargs="+", default=["2000", "20000"], help="stakeholders per network, or N:relationships"
    )
    parser.add_argument("--seed", type=int, default=0, help="synth seed")
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs of each command")
    parser.add_argument(
        "--peers",
        nargs="*",
        default=["igraph"],
        choices=("igraph", "igraph-sampled", "networkit", "rustworkx"),
        help="whose betweenness to time beside the report (igraph-sampled: as many sources as the estimate)",
    )
    parser.add_argument("--synth-only", action="store_true", help="only time generating and writing the networks")
    parser.add_argument("--peer-worker", nargs=3, metavar=("PEER", "FOLDER", "SOURCES"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.peer_worker:
        peer, folder, sources = args.peer_worker
        _peer_worker(peer, folder, int(sources))
        return 0
    if import_error is not None:
        print(f"cannot import stakeholder_graph ({import_error}); run `pip install -e .` first", file=sys.stderr)
        return 1
    peers = [peer for peer in args.peers if _available(peer)]
    for peer in sorted(set(args.peers) - set(peers)):
        print(f"NOTE: {peer} is not installed (pip install {peer}); left out", file=sys.stderr)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, seed {args.seed}, {args.runs} runs")

    rows, synth_rows = [], []
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        for size in args.sizes:
            start = time.perf_counter()
            G = _synthesize(size, args.seed)
            generated = time.perf_counter() - start
            folder = Path(tmp) / f"synth-{size.replace(':', '-')}"
            start = time.perf_counter()
            write_dataset(G, folder)
            written = time.perf_counter() - start
            nodes, edges = G.number_of_nodes(), G.number_of_edges()
            del G
            synth_rows.append([size, nodes, edges, f"{generated:.2f}", f"{written:.2f}"])
            print(f"synth {size}: generate {generated:.2f} s, write {written:.2f} s", flush=True)
            if args.synth_only:
                continue
            load_before = _load()
            times: dict[str, list[float]] = {"report": [], **{peer: [] for peer in peers}}
            peaks, measures = [], {}
            for _ in range(args.runs):
                run = _measure([*_cli(), "report", str(folder), "--format", "json"])
                if run["returncode"] != 0:
                    tail = run["stderr"].strip().splitlines()[-1:] or ["no message"]
                    print(f"  report failed with exit {run['returncode']}: {tail[0]}", file=sys.stderr)
                    break
                measures = json.loads(run["stdout"])["measures"]
                times["report"].append(run["seconds"])
                peaks.append(run["peak_mb"])
                print(
                    f"  report: {run['seconds']:.2f} s, peak {run['peak_mb']:.0f} MB, {measures['method']}", flush=True
                )
                for peer in peers:
                    sources = measures["sources"]
                    worker = _measure(
                        [sys.executable, os.path.abspath(__file__), "--peer-worker", peer, str(folder), str(sources)]
                    )
                    if worker["returncode"] != 0:
                        print(f"  {peer} failed: {worker['stderr'].strip()[-300:]}", file=sys.stderr)
                        continue
                    seconds = json.loads(worker["stdout"])["seconds"]
                    times[peer].append(seconds)
                    print(f"  {peer} betweenness: {seconds:.2f} s", flush=True)
            load_after = _load()
            for peer in peers:
                ratio = (
                    f"{statistics.median(times['report']) / statistics.median(times[peer]):.2f}"
                    if times["report"] and times[peer]
                    else "-"
                )
                rows.append(
                    [
                        size,
                        nodes,
                        edges,
                        measures.get("method", "-"),
                        _spread(times["report"]),
                        f"{max(peaks):.0f}" if peaks else "-",
                        peer,
                        _spread(times[peer]),
                        ratio,
                        f"{load_before} -> {load_after}",
                    ]
                )

    print()
    print(_table(synth_rows, ["size", "nodes", "edges", "synth s", "write s"]))
    if rows:
        print()
        header = ["size", "nodes", "edges", "measures", "report s", "peak MB", "peer", "peer s", "ratio", "load"]
        print(_table(rows, header))
        print(
            "\nseconds: min / median / max over the runs; ratio = median report seconds / median peer seconds "
            "(the report's include process start and reading the dataset; the peer's only its betweenness)."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
