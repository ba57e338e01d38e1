"""Load test of the workspace: concurrent viewers reading Riverton's pages from `stakeholder-graph serve`.

Bounded and local only: the server is started here on 127.0.0.1 (a copy of data/riverton, its own state
folder in a temporary directory) and stopped at the end; every virtual viewer signs in once (its own
session), then reads the pages in turn for ``--rounds`` rounds, and the run stops after ``--max-seconds``
whatever happens. Latency is measured per request, from sending to the last byte. The peer, measured in
the same run under the same load, is ``/healthz`` on the same server (the stack with no page work).

    python benchmarks/bench_web.py                  # 50 viewers, 10 rounds of 7 pages
    python benchmarks/bench_web.py --viewers 10 --rounds 3
    python benchmarks/bench_web.py --think 1      # people pause between pages: 0 to 2 s, 1 s on average

Without ``--think`` every viewer asks for the next page as soon as one arrives (the worst case: 50
requests always waiting); with it, as people read.

Needs httpx (``pip install -e ".[test]"``). Results: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "start": "/",
    "stakeholders": "/stakeholders",
    "search": "/stakeholders?q=health&kind=organization",
    "stakeholder": "/stakeholders/org-hrp",
    "map": "/map",
    "engagements": "/engagements",
    "history": "/history",
}
PEER = "/healthz"
PASSWORD = "viewer-password-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(folder: Path, viewers: int) -> tuple[Path, Path]:
    """A copy of Riverton with a state folder holding the admin and one viewer account."""
    from stakeholder_graph.web import create_app, open_workspace

    data = folder / "riverton"
    shutil.copytree(ROOT / "data" / "riverton", data)
    state = folder / "state"
    workspace = open_workspace(str(data), state)
    app = create_app(workspace, admin_password="admin-password-1")
    app.state.auth.create_account("viewer", PASSWORD, "viewer")
    workspace.close()
    return data, state


async def _sign_in(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    response = await client.post("/login", data={"name": "viewer", "password": PASSWORD, "csrf": token})
    assert "Sign out" in response.text, "sign-in failed"


async def _viewer(
    base, rounds, deadline, times, ready: asyncio.Event, signed: list, gate: asyncio.Semaphore, think: float
):
    async with httpx.AsyncClient(base_url=base, follow_redirects=True, timeout=60) as client:
        async with gate:  # sign-ins two at a time: argon2 is meant to be slow, and it is not what is measured
            await _sign_in(client)
        signed.append(1)
        await ready.wait()
        if think:  # people do not all start at the same instant
            await asyncio.sleep(random.uniform(0, 2 * think))
        for _ in range(rounds):
            for name, path in [*PAGES.items(), ("peer", PEER)]:
                if time.monotonic() > deadline:
                    return
                started = time.perf_counter()
                response = await client.get(path)
                await response.aread()
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, (path, response.status_code)
                times.setdefault(name, []).append(elapsed)
                if think:
                    await asyncio.sleep(random.uniform(0, 2 * think))


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


async def _run(base: str, viewers: int, rounds: int, max_seconds: float, think: float) -> tuple[dict, float]:
    times: dict[str, list[float]] = {}
    ready, signed = asyncio.Event(), []
    deadline = time.monotonic() + max_seconds
    gate = asyncio.Semaphore(2)
    tasks = [
        asyncio.create_task(_viewer(base, rounds, deadline, times, ready, signed, gate, think)) for _ in range(viewers)
    ]
    while len(signed) < viewers:  # every viewer signed in (argon2 on each), then all start together
        await asyncio.sleep(0.05)
        for task in tasks:
            if task.done() and task.exception():
                raise task.exception()
    # warm-up: one page of each kind, so the first computation of each analysis is not timed
    async with httpx.AsyncClient(base_url=base, follow_redirects=True, timeout=60) as client:
        await _sign_in(client)
        for path in PAGES.values():
            await client.get(path)
    started = time.perf_counter()
    ready.set()
    await asyncio.gather(*tasks)
    return times, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--viewers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--max-seconds", type=float, default=180.0)
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between pages, seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data, state = _prepare(Path(tmp), args.viewers)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        server = subprocess.Popen(
            [sys.executable, "-m", "stakeholder_graph", "serve", str(data), "--port", str(port), "--state", str(state)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            server.stdout.readline()
            while True:
                try:
                    httpx.get(base + PEER, timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.05)
            print(f"server answering {time.monotonic() - started:.1f} s after start", file=sys.stderr)
            times, elapsed = asyncio.run(_run(base, args.viewers, args.rounds, args.max_seconds, args.think))
        finally:
            server.terminate()
            _, status, usage = os.wait4(server.pid, 0)
            server.returncode = status
    server_cpu = usage.ru_utime + usage.ru_stime
    total = sum(len(v) for v in times.values())
    peer95 = _p(times["peer"], 95)
    load = os.getloadavg()[0]
    print(
        f"{args.viewers} viewers, think {args.think} s, {total} requests in {elapsed:.1f} s "
        f"({total / elapsed:.0f} requests/s); load average {load:.1f} at the end"
    )
    print(
        f"server CPU {server_cpu:.1f} s in all ({server_cpu / total * 1000:.1f} ms a request, sign-ins and start included)"
    )
    print(f"{'page':<14}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p95/peer':>10}")
    pages = [v for k, v in times.items() if k != "peer"]
    rows = [(name, times[name]) for name in [*PAGES, "peer"] if name in times]
    rows.append(("all pages", [t for v in pages for t in v]))
    for name, values in rows:
        print(
            f"{name:<14}{len(values):>9}{_p(values, 50) * 1000:>9.0f}{_p(values, 95) * 1000:>9.0f}"
            f"{_p(values, 99) * 1000:>9.0f}{_p(values, 95) / peer95:>10.1f}"
        )


if __name__ == "__main__":
    main()
