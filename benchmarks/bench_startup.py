#!/usr/bin/env python3
"""Benchmark how fast the command line and the package start.

Each command runs ``--runs`` times in a fresh process (after two warm-up runs, so that the files are in
the page cache and the bytecode is compiled); the median wall time is printed, and its ratio to the peer
measured in the same run: a bare ``python -c pass``. Also shown: importing pandas and networkx, what every
command loaded at start before the imports were moved into the commands. Not a test: numbers depend on
the machine; see benchmarks/README.md.

Usage: python benchmarks/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

PEER = "python -c pass"


def commands() -> dict[str, list[str]]:
    cli = shutil.which("stakeholder-graph")
    cli = [cli] if cli else [sys.executable, "-m", "stakeholder_graph"]
    return {
        PEER: [sys.executable, "-c", "pass"],
        "stakeholder-graph --help": [*cli, "--help"],
        "stakeholder-graph report --help": [*cli, "report", "--help"],
        "stakeholder-graph --version": [*cli, "--version"],
        "python -c 'import stakeholder_graph'": [sys.executable, "-c", "import stakeholder_graph"],
        "python -c 'import pandas, networkx'": [sys.executable, "-c", "import pandas, networkx"],
    }


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for i in range(runs + 2):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i >= 2:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    results = {name: median_seconds(cmd, args.runs) for name, cmd in commands().items()}
    peer = results[PEER]
    print("| command | median s | x python -c pass |")
    print("|---|---:|---:|")
    for name, seconds in results.items():
        print(f"| `{name}` | {seconds:.3f} | {seconds / peer:.1f} |")
    load = os.getloadavg()[0]
    print(f"\n{os.cpu_count()} cores, load average {load:.1f}, Python {sys.version.split()[0]}, {args.runs} runs each.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
