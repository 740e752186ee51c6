"""The whole benchmark suite: ``python -m benchmarks`` prints a table and writes ``benchmarks/results.json``.

Parts (each can be left out with ``--skip``): ``engine``, ``import``, ``app``, ``serving``,
``browser``, ``title-race``, ``sync``. Figures and their targets are recorded in ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results.json"
PARTS = ("title-race", "engine", "import", "sync", "app", "serving", "browser")


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line]
        cpu = names[0] if names else cpu
    memory = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total = next(line for line in meminfo.read_text().splitlines() if line.startswith("MemTotal"))
        memory = round(int(total.split()[1]) / 2**20, 1)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def _targets(record: dict[str, Any]) -> str:
    """The record's target and whether it is held, in words ("" when the record has none)."""
    case = record["case"]
    checks: list[tuple[str, bool]] = []
    if case == "engine recompute, real data":
        checks.append(("<= 50 ms", record["median_s"] <= 0.050))
    if case == "engine recompute, 1000x generated":
        checks.append(("<= 5 s", record["median_s"] <= 5.0))
    if case.startswith("engine growth exponent"):
        checks.append(("close to 1 (<= 1.1)", record["exponent_top"] <= 1.1))
    if case.startswith("app: ") and "floor" not in case:
        checks.append(("warm <= 3x floor", record["warm_ratio"] <= 3.0))
    if case.startswith("browser: first chart drawn"):
        checks.append(("<= 3 s", record["median_s"] <= 3.0))
    if case.startswith("serving: ") and record["sessions"] > 1:
        checks.append(("<= 5 MB/session", record["mb_per_session"] <= 5.0))
    if case.startswith("serving: 25"):
        checks.append(("p95 <= 5 s", record["p95_first_chart_s"] <= 5.0))
    if case.startswith("sync 2011/12 from loopback: repeat"):
        checks.append(("no full downloads", record["downloads"] == 0))
    if case.startswith("30 contenders"):
        checks.append(("well under 1 s", record["median_s"] < 0.1))
    return "; ".join(f"{target}: {'held' if ok else 'MISSED'}" for target, ok in checks)


def _figure(record: dict[str, Any]) -> str:
    parts = []
    for key, value in record.items():
        if key in ("case", "target", "runs"):
            continue
        if isinstance(value, float):
            value = (
                f"{value * 1000:.1f} ms"
                if key.endswith("_s") and value < 1
                else (f"{value:.2f} s" if key.endswith("_s") else f"{value:.2f}")
            )
        parts.append(f"{key}={value}")
    return ", ".join(parts)


def _run(part: str) -> list[dict[str, Any]]:
    """One part's records."""
    from benchmarks import app, engine, imports, serving, sync, title_race

    runners: dict[str, Callable[[], list[dict[str, Any]]]] = {
        "title-race": title_race.run,
        "engine": engine.run,
        "import": imports.run,
        "sync": sync.run,
        "app": app.run,
        "serving": serving.concurrent,
        "browser": serving.browser,
    }
    return runners[part]()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--skip", action="append", choices=PARTS, default=[], help="leave a part out")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"where to write (default {RESULTS.name})")
    args = parser.parse_args()
    records: list[dict[str, Any]] = []
    for part in PARTS:
        if part not in args.skip:
            records += _run(part)
    for record in records:
        record["target"] = _targets(record)
    width = max(len(r["case"]) for r in records)
    for record in records:
        print(f"{record['case']:<{width}}  {_figure(record)}  {record['target']}")
    args.json.write_text(json.dumps({"machine": machine(), "records": records}, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.json}")


if __name__ == "__main__":
    main()
