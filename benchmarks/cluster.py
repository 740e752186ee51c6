"""Benchmark: fans per app server behind HAProxy at a p95 first chart of 3 s, for 1, 2 and 3 servers.

Run by hand (minutes; not part of the test run)::

    python -m benchmarks.cluster      # the python of any environment Rinkside is installed in

For each server count it starts the cluster (``deploy/cluster.py``: PostgreSQL, the servers,
HAProxy; no sync worker), then ramps protocol-level sessions (``deploy.stream_client``) through
the balancer: at each step that many *new* fans open a page at once (the earlier ones stay
connected), over the views of ``benchmarks.serving.LINKS``. "First chart" is the time from
asking for the page's run to receiving its first chart element with a figure (the client's first
``delta`` carrying a chart; the browser then still has to draw it). The capacity is the largest
step whose p95 first chart is at most 3 s. Prints one line per step and a JSON summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.serving import LINKS
from deploy.cluster import Cluster
from deploy.stream_client import StreamSession

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 3.0
STEPS = (5, 10, 20, 30, 45, 60, 90)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def _ramp(url: str, steps: tuple[int, ...]) -> list[dict[str, Any]]:
    held: list[StreamSession] = []
    rows: list[dict[str, Any]] = []
    try:
        for count in steps:
            fresh = [StreamSession(url, *LINKS[i % len(LINKS)], timeout=120) for i in range(count)]
            began = time.monotonic()
            await asyncio.gather(*(s.open() for s in fresh))
            held.extend(fresh)
            firsts = [s.runs[-1].first_chart for s in fresh if s.runs and s.runs[-1].first_chart is not None]
            row = {
                "new_sessions": count,
                "open_sessions": len(held),
                "p95_first_chart_s": _p95(firsts) if firsts else None,
                "median_first_chart_s": sorted(firsts)[len(firsts) // 2] if firsts else None,
                "step_s": time.monotonic() - began,
            }
            rows.append(row)
            sys.stdout.write(json.dumps(row) + "\n")
            if row["p95_first_chart_s"] is None or row["p95_first_chart_s"] > TARGET_S:
                break
    finally:
        await asyncio.gather(*(s.close() for s in held), return_exceptions=True)
    return rows


def measure(servers: int, steps: tuple[int, ...] = STEPS) -> dict[str, Any]:
    """Start a cluster of ``servers`` app servers, ramp fans through it, stop it."""
    python = sys.executable  # the environment running the benchmark, wherever it is
    with tempfile.TemporaryDirectory(prefix="rinkside-bench-") as folder:
        Path(folder).chmod(0o755)
        command = [python, "deploy/cluster.py", "start", "--servers", str(servers), "--state-dir", folder]
        command += ["--no-worker"]
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=600)
        try:
            cluster = Cluster.load(Path(folder))
            assert cluster is not None
            rows = asyncio.run(_ramp(cluster.url, steps))
        finally:
            subprocess.run(
                [python, "deploy/cluster.py", "stop", "--state-dir", folder], cwd=ROOT, capture_output=True, timeout=120
            )
    within = [r for r in rows if r["p95_first_chart_s"] is not None and r["p95_first_chart_s"] <= TARGET_S]
    best = max((r["new_sessions"] for r in within), default=0)
    return {"servers": servers, "steps": rows, "sessions_at_target": best, "per_server": best / servers}


def main() -> None:
    """Measure 1, 2 and 3 app servers (or those given) and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("servers", nargs="*", type=int, default=[1, 2, 3])
    args = parser.parse_args()
    summary = [measure(n) for n in args.servers]
    sys.stdout.write(json.dumps([{k: v for k, v in s.items() if k != "steps"} for s in summary], indent=2) + "\n")


if __name__ == "__main__":
    main()
