"""Benchmark a real-sized Open Referral (211) directory: import, report and map, against pandas reading it.

For each size, a directory is generated with
:func:`stakeholder_graph.formats.hsds.synth.synthesize_directory` (HSDS 1.1 as most 211s publish, with
the problems real exports have) and written as a zip, as a publisher offers it. Then, each in a fresh
subprocess, wall time (process start included) and peak resident memory:

- ``stakeholder-graph summary ZIP --format json``: the import (reading, schedules, sectors, problems)
  and a summary;
- ``stakeholder-graph report ZIP --format json``;
- ``stakeholder-graph map ZIP -o FILE.html``;
- the peer: ``pandas.read_csv`` of every table of the same zip, as plain text, in a fresh process (the
  least any reader of the directory does).

Run from the project folder::

    python benchmarks/bench_directory.py                     # 1,000/4,000/11,000 and 5,000/20,000/50,000
    python benchmarks/bench_directory.py --sizes 5000:20000:50000

A script, not a test: it prints a table and never fails on slowness.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_report import _cli, _measure

from stakeholder_graph.formats.hsds.synth import synthesize_directory, write_directory

_PEER = """
import sys, time, zipfile, pandas as pd
start = time.perf_counter()
with zipfile.ZipFile(sys.argv[1]) as archive:
    for name in archive.namelist():
        if name.endswith(".csv"):
            with archive.open(name) as handle:
                pd.read_csv(handle, dtype=str, keep_default_na=False)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--sizes",
        nargs="+",
        default=["1000:4000:11000", "5000:20000:50000"],
        help="organizations:services:schedule rows, one or more",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            organizations, services, schedules = (int(x) for x in size.split(":"))
            files, planted = synthesize_directory(organizations, services, schedules, seed=args.seed)
            path = write_directory(files, Path(folder) / f"directory-{organizations}.zip")
            peer = _measure([sys.executable, "-c", _PEER, str(path)])
            results = {"peer": peer}
            for name, argv_tail in (
                ("import", ["summary", str(path), "--format", "json"]),
                ("report", ["report", str(path), "--format", "json"]),
                ("map", ["map", str(path), "-o", str(Path(folder) / "map.html")]),
            ):
                results[name] = _measure([*_cli(), *argv_tail])
                if results[name]["returncode"] != 0:
                    print(results[name]["stderr"][-2000:], file=sys.stderr)
            print(
                f"{organizations:,} organizations, {services:,} services, {schedules:,} schedule rows "
                f"({planted['dangling']:,} services of missing organizations, {planted['unreadable']:,} unreadable "
                "schedule rows planted)"
            )
            rows.append((size, results))
    print()
    print("| directory | step | s | peak MB | pandas read s | ratio |")
    print("|---|---|---:|---:|---:|---:|")
    for size, results in rows:
        peer = results["peer"]["seconds"]
        for step in ("import", "report", "map"):
            r = results[step]
            print(
                f"| {size} | {step} | {r['seconds']:.1f} | {r['peak_mb']:.0f} | {peer:.2f} | {r['seconds'] / peer:.1f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
