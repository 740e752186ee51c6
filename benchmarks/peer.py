"""Benchmark: Rinkside side by side with a peer dashboard in one headless Chromium (issue 15).

The comparison is the shared tool ``../shared/tools/peer-bench`` (not part of this repository):
it starts each app's server in turn on 127.0.0.1 (rounds alternate, so the machine's noise hits
both), opens it with outside traffic blocked, and measures the cold and warm visit to the first
chart (the peer: first table), a select-box change until the page is idle and back, and server
memory. This module runs it when a peer checkout is given and skips otherwise:

    PEER_BENCH_ROOT=/tmp/peer python -m benchmarks.peer 7

``$PEER_BENCH_ROOT`` holds ``ours/`` (a clone of this project) and ``theirs/`` (the peer,
ASTR-FC/Data-Hack-ISU-2025), each with its ``.venv`` (see the tool's README). The result is the
ratio of medians per row, ours over theirs: below 1 is faster than the peer.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

TOOL = Path(__file__).resolve().parent.parent.parent / "shared" / "tools" / "peer-bench"
#: The rows of the comparison: (what, the tool's key, unit).
ROWS = (
    ("cold visit: navigation to the first chart (peer: first table)", "cold_chart_ms", "ms"),
    ("cold visit: navigation to the first table", "cold_table_ms", "ms"),
    ("warm second visit (first chart)", "warm_chart_ms", "ms"),
    ("change the cup in a select box, until the page is idle", "ix_new.idle_ms", "ms"),
    ("change it back", "ix_back.idle_ms", "ms"),
    ("server start to first chart", "start_to_chart_s", "s"),
    ("server memory, 1 session", "rss1_kb", "kB"),
    ("server memory, 10 sessions", "rss10_kb", "kB"),
)


def _value(record: dict[str, Any], key: str) -> float | None:
    if "." in key:
        outer, inner = key.split(".")
        value = record.get(outer, {}).get(inner)
    else:
        value = record.get(key)
    return None if value is None else float(value)


def summary(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Medians per app and row (round 0, the cold store, left out) and their ratio, ours / theirs."""
    rows = []
    good = [r for r in records if r.get("round", 0) >= 1 and "error" not in r]
    for what, key, unit in ROWS:
        medians: dict[str, float | None] = {}
        for app in ("ours", "theirs"):
            values = [v for r in good if r["app"] == app if (v := _value(r, key)) is not None]
            medians[app] = statistics.median(values) if values else None
        ours, theirs = medians["ours"], medians["theirs"]
        ratio = ours / theirs if ours is not None and theirs else None
        rows.append({"case": what, "unit": unit, "ours": ours, "theirs": theirs, "ratio": ratio})
    return rows


def run(rounds: int = 7) -> list[dict[str, Any]]:
    """Run the side-by-side rounds and summarise; empty (skipped) without the tool or a peer checkout."""
    root = Path(os.environ.get("PEER_BENCH_ROOT", "/tmp/peer"))
    missing = [p for p in (TOOL / "bench.py", root / "ours" / ".venv", root / "theirs" / ".venv") if not p.exists()]
    if missing:
        sys.stderr.write(f"peer benchmark skipped: missing {', '.join(map(str, missing))}\n")
        return []
    out = root / "results.jsonl"
    out.unlink(missing_ok=True)
    env = dict(os.environ, PEER_BENCH_ROOT=str(root))
    subprocess.run([sys.executable, str(TOOL / "bench.py"), str(rounds), str(out)], check=True, env=env)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    for record in records:
        if "error" in record:
            sys.stderr.write(f"error in round {record['round']} ({record['app']}): {record['error'][:200]}\n")
    return summary(records)


if __name__ == "__main__":
    for row in run(int(sys.argv[1]) if len(sys.argv) > 1 else 7):
        print(row)
