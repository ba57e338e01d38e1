"""Benchmark loading into Neo4j and reading back, on synthetic networks, against the local server.

Start the server first (``scripts/neo4j start``) and set ``NEO4J_PASSWORD`` (and ``NEO4J_URI`` for
another server). For each size a network is generated with :func:`stakeholder_graph.synth.synthesize`,
loaded as a wave of its own with :func:`stakeholder_graph.neo4j_store.load_graph` (constraints first,
batches of ``UNWIND $rows``), read back with :func:`~stakeholder_graph.neo4j_store.read_neo4j`, checked
equal, and deleted. Rows are nodes plus relationships.

    python benchmarks/bench_neo4j.py                     # 20,000 and 100,000 stakeholders
    python benchmarks/bench_neo4j.py --sizes 2000

This is a script, not a test: it prints a table and never fails on slowness.
"""

from __future__ import annotations

import argparse
import os
import time

from stakeholder_graph.neo4j_store import connect, delete_wave, load_graph, read_neo4j
from stakeholder_graph.synth import synthesize


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=None, help="rows per transaction (default: the library's)")
    args = parser.parse_args()
    uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
    driver = connect(uri)
    print(f"{'stakeholders':>12} {'relationships':>13} {'load s':>8} {'load rows/s':>12} {'read s':>8} {'read rows/s':>12}  equal")
    try:
        for size in args.sizes:
            G = synthesize(size, args.seed)
            rows = G.number_of_nodes() + G.number_of_edges()
            wave = f"bench-{size}"
            delete_wave(driver, wave)
            options = {"batch_size": args.batch} if args.batch else {}
            start = time.perf_counter()
            load_graph(driver, G, wave=wave, **options)
            load = time.perf_counter() - start
            start = time.perf_counter()
            back = read_neo4j(f"{uri}?wave={wave}")
            read = time.perf_counter() - start
            equal = (back.number_of_nodes() == G.number_of_nodes() and back.number_of_edges() == G.number_of_edges()
                     and dict(back.nodes(data=True)) == dict(G.nodes(data=True)))
            delete_wave(driver, wave)
            print(f"{size:>12,} {G.number_of_edges():>13,} {load:>8.1f} {rows / load:>12,.0f} {read:>8.1f} "
                  f"{rows / read:>12,.0f}  {equal}", flush=True)
    finally:
        driver.close()


if __name__ == "__main__":
    main()
