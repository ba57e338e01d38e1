"""Benchmark loading into Neo4j and reading back, on synthetic networks, against the local server.

Start the server first (``scripts/neo4j start``) and set ``NEO4J_PASSWORD`` (and ``NEO4J_URI`` for
another server). For each size a network is generated with :func:`stakeholder_graph.synth.synthesize`,
loaded as a wave of its own with :func:`stakeholder_graph.neo4j_store.load_graph` (constraints first,
batches of ``UNWIND $rows``), read back with :func:`~stakeholder_graph.neo4j_store.read_neo4j`, checked
equal, and deleted; ``--repeat`` times, then the median. Rows are nodes plus relationships.

Warm-up rounds (a network of 20,000 loaded, read and deleted, each reported on its own line) come
first: a server that was just started runs at a fraction of its speed for its first minute or two of
work, while the JVM compiles its code on the machine's two cores and Cypher plans the queries.

    python benchmarks/bench_neo4j.py                     # 20,000 and 100,000 stakeholders, 3 runs each
    python benchmarks/bench_neo4j.py --sizes 2000 --repeat 1 --warmup-rounds 0
    python benchmarks/bench_neo4j.py --replace           # also: load again over the wave with replace=True

With ``--replace``, each run also loads the network again over the wave it just loaded, with
``replace=True`` (the old contents replaced and deleted), and times that. The script uses only
``connect``, ``load_graph``, ``read_neo4j`` and ``delete_wave``, so it also runs against an earlier version
of the package (``PYTHONPATH=/path/to/old/checkout``) to compare the two in one session.

This is a script, not a test: it prints a table and never fails on slowness.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from stakeholder_graph.neo4j_store import connect, delete_wave, load_graph, read_neo4j
from stakeholder_graph.synth import synthesize


def _run(driver, uri: str, G, options: dict, replace: bool) -> tuple[int, int, float, float, bool, float | None]:
    wave = f"bench-{G.number_of_nodes()}"
    delete_wave(driver, wave)
    start = time.perf_counter()
    load_graph(driver, G, wave=wave, **options)
    load = time.perf_counter() - start
    start = time.perf_counter()
    back = read_neo4j(f"{uri}?wave={wave}")
    read = time.perf_counter() - start
    equal = (
        back.number_of_nodes() == G.number_of_nodes()
        and back.number_of_edges() == G.number_of_edges()
        and dict(back.nodes(data=True)) == dict(G.nodes(data=True))
    )
    again = None
    if replace:
        start = time.perf_counter()
        load_graph(driver, G, wave=wave, replace=True, **options)
        again = time.perf_counter() - start
        equal = equal and read_neo4j(f"{uri}?wave={wave}").number_of_edges() == G.number_of_edges()
    delete_wave(driver, wave)
    return G.number_of_nodes(), G.number_of_edges(), load, read, equal, again


def _line(label: str, nodes: int, edges: int, load: float, read: float, equal, again: float | None = None) -> str:
    rows = nodes + edges
    replaced = "" if again is None else f" {again:>9.1f} {rows / again:>12,.0f}"
    return f"{label:>12} {edges:>13,} {load:>8.1f} {rows / load:>12,.0f} {read:>8.1f} {rows / read:>12,.0f}{replaced}  {equal}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median is reported")
    parser.add_argument("--warmup", type=int, default=20_000, help="stakeholders in the warm-up rounds")
    parser.add_argument("--warmup-rounds", type=int, default=8, help="warm-up rounds (0: none)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=None, help="rows per transaction (default: the library's)")
    parser.add_argument("--workers", type=int, default=None, help="transactions side by side (default: the library's)")
    parser.add_argument("--replace", action="store_true", help="also time loading again over the wave (replace=True)")
    args = parser.parse_args()
    uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    options = {key: value for key, value in (("batch_size", args.batch), ("workers", args.workers)) if value}
    driver = connect(uri)
    print(
        f"{'stakeholders':>12} {'relationships':>13} {'load s':>8} {'load rows/s':>12} {'read s':>8} "
        f"{'read rows/s':>12}" + (f" {'replace s':>9} {'replace r/s':>12}" if args.replace else "") + "  equal",
        flush=True,
    )
    try:
        if args.warmup_rounds:
            G = synthesize(args.warmup, args.seed)
            for number in range(1, args.warmup_rounds + 1):
                nodes, edges, load, read, equal, again = _run(driver, uri, G, options, args.replace)
                print(_line(f"warm-up #{number}", nodes, edges, load, read, equal, again), flush=True)
        for size in args.sizes:
            G = synthesize(size, args.seed)
            runs = [_run(driver, uri, G, options, args.replace) for _ in range(args.repeat)]
            nodes, edges = runs[0][:2]
            for number, (_, _, load, read, equal, again) in enumerate(runs, 1):
                print(_line(f"{size:,} #{number}", nodes, edges, load, read, equal, again), flush=True)
            if args.repeat > 1:
                print(
                    _line(
                        f"{size:,} median",
                        nodes,
                        edges,
                        statistics.median(r[2] for r in runs),
                        statistics.median(r[3] for r in runs),
                        all(r[4] for r in runs),
                        statistics.median(r[5] for r in runs) if args.replace else None,
                    ),
                    flush=True,
                )
    finally:
        driver.close()


if __name__ == "__main__":
    main()
