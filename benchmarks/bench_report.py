"""Benchmark ``stakeholder-graph report`` on synthetic networks against igraph's exact betweenness.

For each size, a network is generated with :func:`stakeholder_graph.synth.synthesize` and written to a
temporary dataset folder. Then, each in a fresh subprocess:

- ``stakeholder-graph report FOLDER --format json``: wall time including process start, and peak
  resident memory (``ru_maxrss`` of that child, from ``os.wait4``). When the ``report`` command is
  not available yet, ``stakeholder-graph summary FOLDER --format json`` is timed instead, and the
  output says so.
- igraph's exact betweenness (``igraph.Graph.betweenness()``) on the undirected tie graph of the same
  folder (every stakeholder but engagements, every relationship between them, parallel ones merged),
  timed alone: reading the files and building the graph are not counted.

Run from the project folder::

    python benchmarks/bench_report.py                       # sizes 2000 and 20000
    python benchmarks/bench_report.py --sizes 2000 20000 200000 --synth-only

This is a script, not a test: it prints a table and never fails on slowness.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
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


def _has_command(name: str) -> bool:
    done = subprocess.run([*_cli(), name, "--help"], capture_output=True, text=True)
    return done.returncode == 0


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


def _igraph_worker(folder: str) -> None:
    """Subprocess body: build the undirected tie graph with igraph, time exact betweenness, print JSON."""
    import igraph

    folder = Path(folder)
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
    start = time.perf_counter()
    graph.betweenness(directed=False)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "vertices": graph.vcount(), "edges": graph.ecount()}))


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).rjust(w) for c, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000], help="stakeholders per network")
    parser.add_argument("--seed", type=int, default=0, help="synth seed")
    parser.add_argument(
        "--command",
        choices=("auto", "report", "summary"),
        default="auto",
        help="command to time (auto: report if available, else summary)",
    )
    parser.add_argument("--synth-only", action="store_true", help="only time generating and writing the networks")
    parser.add_argument("--no-igraph", action="store_true", help="skip igraph's betweenness")
    parser.add_argument("--igraph-worker", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.igraph_worker:
        _igraph_worker(args.igraph_worker)
        return 0
    if import_error is not None:
        print(f"cannot import stakeholder_graph ({import_error}); run `pip install -e .` first", file=sys.stderr)
        return 1

    command = args.command
    if not args.synth_only and command == "auto":
        command = "report" if _has_command("report") else "summary"
        if command == "summary":
            print(
                "NOTE: `stakeholder-graph report` is not available yet; timing `summary --format json` "
                "instead (the report columns below are the summary's)."
            )
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, seed {args.seed}")

    rows, synth_rows = [], []
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        for size in args.sizes:
            start = time.perf_counter()
            G = synthesize(size, seed=args.seed)
            generated = time.perf_counter() - start
            folder = Path(tmp) / f"synth-{size}"
            start = time.perf_counter()
            write_dataset(G, folder)
            written = time.perf_counter() - start
            nodes, edges = G.number_of_nodes(), G.number_of_edges()
            del G
            synth_rows.append([size, nodes, edges, f"{generated:.2f}", f"{written:.2f}"])
            print(f"synth {size}: generate {generated:.2f} s, write {written:.2f} s", flush=True)
            if args.synth_only:
                continue

            run = _measure([*_cli(), command, str(folder), "--format", "json"])
            if run["returncode"] == 0:
                json.loads(run["stdout"])  # the output must be one JSON document
                report_s, report_mb = f"{run['seconds']:.2f}", f"{run['peak_mb']:.0f}"
            else:
                tail = run["stderr"].strip().splitlines()[-1:] or ["no message"]
                print(f"  {command} failed with exit {run['returncode']}: {tail[0]}", file=sys.stderr)
                report_s, report_mb = "failed", "-"
            print(f"  {command}: {report_s} s, peak {report_mb} MB", flush=True)

            igraph_s, ratio = "-", "-"
            if not args.no_igraph:
                worker = _measure([sys.executable, os.path.abspath(__file__), "--igraph-worker", str(folder)])
                if worker["returncode"] == 0:
                    seconds = json.loads(worker["stdout"])["seconds"]
                    igraph_s = f"{seconds:.2f}"
                    if report_s != "failed":
                        ratio = f"{run['seconds'] / seconds:.1f}"
                else:
                    print(f"  igraph failed: {worker['stderr'].strip()[-300:]}", file=sys.stderr)
                    igraph_s = "failed"
                print(f"  igraph betweenness: {igraph_s} s", flush=True)
            rows.append([size, nodes, edges, report_s, report_mb, igraph_s, ratio])

    print()
    print(_table(synth_rows, ["size", "nodes", "edges", "synth s", "write s"]))
    if rows:
        print()
        label = command if command == "report" else f"{command} (fallback)"
        print(
            _table(rows, ["size", "nodes", "edges", f"{label} s", f"{label} peak MB", "igraph betweenness s", "ratio"])
        )
        print(
            "\nratio = command seconds / igraph betweenness seconds; command seconds include process start "
            "and reading the dataset."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
