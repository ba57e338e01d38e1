"""Run a benchmark script with the ``stakeholder_graph`` package of another checkout, to compare versions
against the same server in one session.

    git archive main stakeholder_graph | tar -x -C /tmp/sg-main      # the version to compare with
    python benchmarks/with_checkout.py /tmp/sg-main benchmarks/bench_neo4j.py --sizes 20000 --replace

An editable install (``pip install -e .``) finds this checkout's package before anything on
``PYTHONPATH``; this drops that finder, puts the other checkout first and runs the script as ``__main__``.
The script must use only what both versions have.
"""

from __future__ import annotations

import runpy
import sys


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    checkout, script, *args = sys.argv[1:]
    sys.meta_path[:] = [finder for finder in sys.meta_path if "editable" not in repr(finder).lower()]
    sys.path.insert(0, checkout)
    for name in [module for module in sys.modules if module.startswith("stakeholder_graph")]:
        del sys.modules[name]
    import stakeholder_graph

    print(f"stakeholder_graph from {stakeholder_graph.__file__}", file=sys.stderr)
    sys.argv = [script, *args]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
