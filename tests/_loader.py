"""Run ``stakeholder-graph ARGS`` with a pause at a chosen point of a load, for the tests that kill it there.

    python tests/_loader.py [--pause POINT] [--batch-size N] [--retry SECONDS] -- ARGS...

Each point reached prints ``PHASE POINT`` on standard output; the chosen one prints ``PAUSED POINT`` and
waits for a line on standard input (then goes on), so a test can kill the process (``kill -9``), interrupt
it (SIGINT) or stop the server exactly there. Points, in the order a load reaches them:

- ``locked``: the wave's lock is taken, nothing written yet.
- ``nodes:N``: N batches of stakeholders written (``relationships:N`` likewise), in the main thread.
- ``swap``: inside the publishing transaction, all its statements run, not yet committed.
- ``published``: the new contents are visible; the old ones not yet deleted.
- ``deleting``: printed as the deletion of the old contents starts (never pauses: kill it then to stop it
  part way).

``--batch-size`` sets the rows per transaction; ``--retry`` the driver's retry time (seconds).
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stakeholder_graph.cli import main
from stakeholder_graph.neo4j_store import connect, load, waves


def _say(word: str, point: str) -> None:
    print(f"{word} {point}", flush=True)


def _reached(point: str, pause: str | None) -> None:
    _say("PHASE", point)
    if point == pause:
        _say("PAUSED", point)
        sys.stdin.readline()


def _after(function, point: str, pause: str | None):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        _reached(point, pause)
        return result

    return wrapper


def _before(function, point: str, pause: str | None):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        _reached(point, pause)
        return function(*args, **kwargs)

    return wrapper


def _count_batches(write_batches, pause: str | None):
    calls = []

    @functools.wraps(write_batches)
    def wrapper(driver, jobs, key, workers, progress, owner):
        calls.append(1)
        what = "nodes" if len(calls) == 1 else "relationships"
        done = []

        def counting(rows):
            if progress:
                progress(rows)
            done.append(rows)
            _reached(f"{what}:{len(done)}", pause)

        return write_batches(driver, jobs, key, workers, counting, owner)

    return wrapper


def main_with_pauses() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pause")
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--retry", type=float)
    parser.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    args = options.args[1:] if options.args[:1] == ["--"] else options.args
    pause = options.pause
    if options.retry is not None:
        connect.RETRY_SECONDS = options.retry
    if options.batch_size:
        load.load_graph = functools.partial(load.load_graph, batch_size=options.batch_size)
    waves.acquire = _after(waves.acquire, "locked", pause)
    waves._swap = _after(waves._swap, "swap", pause)
    waves.publish = _after(waves.publish, "published", pause)
    waves.delete_owned = _before(waves.delete_owned, "deleting", None)
    load._write_batches = _count_batches(load._write_batches, pause)
    sys.argv = ["stakeholder-graph", *args]
    main()


if __name__ == "__main__":
    main_with_pauses()
