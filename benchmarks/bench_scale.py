"""Time each phase of ``stakeholder-graph report`` on state-sized synthetic networks (issue 16).

For each size (stakeholders and relationships per stakeholder) a network is generated once with
:func:`stakeholder_graph.synth.synthesize` and written to a dataset folder under ``--data`` (kept and
reused between runs: generating a 1,000,000-relationship network takes about a minute). Then, in a
fresh process per run, the report is built as ``stakeholder-graph report FOLDER --format json`` builds
it: reading and validating the folder, each step of ``build_report`` (``REPORT_STEPS``) and rendering
the JSON. The script prints each phase's wall and CPU seconds, the total and the peak resident memory
(``ru_maxrss`` of that process), with the load average before and after.

``--without-passes`` replaces the all-sources pass (``allpaths._run``: betweenness and closeness)
with zeros in the measured process, to time everything else; the report's numbers are then wrong, so nothing is written. Run from the project folder::

    python benchmarks/bench_scale.py --without-passes                       # 100k x 2.7, 100k x 5
    python benchmarks/bench_scale.py --sizes 100000:10 --without-passes     # 1,000,000 relationships
    python benchmarks/bench_scale.py --sizes 20000 --runs 3

This is a script, not a test: it prints a table and never fails on slowness.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

_PHASE_RUNNER = r"""
import json, resource, sys, time
if {without_passes}:
    import numpy as np
    from stakeholder_graph import allpaths
    def _zeros(indptr, indices, sources, threads):
        n = len(indptr) - 1
        return (*(np.zeros(n) for _ in range(5)), np.zeros(len(sources), dtype=np.int32))
    allpaths._run = _zeros
from stakeholder_graph.dataset import read_dataset
from stakeholder_graph.report import build_report, render

phases = []
last = [time.perf_counter(), time.process_time()]

def done(name):
    now, cpu = time.perf_counter(), time.process_time()
    phases.append((name, now - last[0], cpu - last[1]))
    last[:] = [now, cpu]

G = read_dataset(sys.argv[1])
done("read")
text = render(build_report(G, progress=done), "json", G)
done("render")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"phases": phases, "peak_mb": peak / 1024, "nodes": G.number_of_nodes(),
                  "edges": G.number_of_edges(), "bytes": len(text)}}))
"""


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _folder(data: Path, n: int, per: float | None, seed: int) -> Path:
    """The dataset folder of one size, generated when missing."""
    from stakeholder_graph.dataset import write_dataset
    from stakeholder_graph.synth import synthesize

    folder = data / f"synth-{n}-{per or 'default'}-{seed}"
    if not (folder / "relationships.csv").is_file():
        start = time.perf_counter()
        G = synthesize(n, seed, relationships_per_stakeholder=per)
        write_dataset(G, folder)
        print(f"generated {folder} ({G.number_of_edges()} relationships) in {time.perf_counter() - start:.1f} s")
    return folder


def _size(text: str) -> tuple[int, float | None]:
    n, _, per = text.partition(":")
    return int(n), float(per) if per else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", nargs="+", default=["100000", "100000:5"], help="N or N:relationships per stakeholder"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--data", type=Path, default=Path(".bench-data"), help="where generated folders are kept")
    parser.add_argument("--without-passes", action="store_true", help="time all but the two all-sources passes")
    args = parser.parse_args()
    code = _PHASE_RUNNER.format(without_passes=args.without_passes)
    for text in args.sizes:
        n, per = _size(text)
        folder = _folder(args.data, n, per, args.seed)
        for run in range(args.runs):
            before = _load()
            done = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True)
            after = _load()
            if done.returncode:
                print(done.stderr, file=sys.stderr)
                continue
            result = json.loads(done.stdout)
            phases = " | ".join(f"{name} {wall:.1f}/{cpu:.1f}" for name, wall, cpu in result["phases"])
            total = sum(wall for _, wall, _ in result["phases"])
            print(
                f"{n} stakeholders, {result['edges']} relationships, run {run + 1}: {phases} | "
                f"total {total:.1f} s, peak {result['peak_mb']:.0f} MB (wall/CPU s; load {before} -> {after})"
            )


if __name__ == "__main__":
    main()
