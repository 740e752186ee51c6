"""Benchmark: Rinkside side by side with a peer dashboard in one headless Chromium (issue 15).

The comparison is the shared tool ``../shared/tools/peer-bench`` (not part of this repository):
it starts each app's server in turn on 127.0.0.1 (rounds alternate, so the machine's noise hits
both), opens it with outside traffic blocked, and measures the cold and warm visit to the first
chart (the peer: first table), a select-box change until the page is idle and back, and server
memory. This module runs it when a peer checkout is given and skips otherwise:

    PEER_BENCH_ROOT=/tmp/peer python -m benchmarks.peer 7
    PEER_BENCH_ROOT=/tmp/peer python -m benchmarks.peer 7 --floor

With ``--floor`` every round runs a third server after the two: the framework floor, the
Standings page's elements drawn from files by ``benchmarks/floor_app.py`` with Streamlit and the
chart element alone (no Rinkside code, the same Streamlit as ours), measured with the tool's own
functions. A row where ours is above the peer and the floor is too is the framework's.

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
    """Medians per app and row (round 0, the cold store, left out) and their ratio, ours / theirs
    (and, when the floor ran, the floor's median and its ratio to theirs)."""
    rows = []
    good = [r for r in records if r.get("round", 0) >= 1 and "error" not in r]
    for what, key, unit in ROWS:
        medians: dict[str, float | None] = {}
        for app in ("ours", "theirs", "floor"):
            values = [v for r in good if r["app"] == app if (v := _value(r, key)) is not None]
            medians[app] = statistics.median(values) if values else None
        ours, theirs, floor = medians["ours"], medians["theirs"], medians["floor"]
        ratio = ours / theirs if ours is not None and theirs else None
        row = {"case": what, "unit": unit, "ours": ours, "theirs": theirs, "ratio": ratio}
        if floor is not None:
            row |= {"floor": floor, "floor_ratio": floor / theirs if theirs else None}
        rows.append(row)
    return rows


#: The two cups the tool switches between, as the floor page shows them.
FLOOR_CUPS = {"500 m Women": "women-500", "1000 m Women": "women-1000"}


def write_floor(folder: Path, ours: Path) -> None:
    """Fill ``folder`` with the floor page (``floor_app.py``) and what it shows, made by the dashboard's code.

    The 2025/26 long-track cups the tool switches between, as of the last World Cup, light theme:
    each leaderboard as CSV and each chart as the figure JSON the dashboard sends.
    """
    import shutil

    import standings
    from standings.present import charts, views

    folder.mkdir(parents=True, exist_ok=True)
    charts.register_templates()
    season = standings.load_season("lt-wc", "2025-26")
    after = season.world_cups[-1]
    cups = {}
    for name, cup_id in FLOOR_CUPS.items():
        board = views.leaderboard(season, cup_id, after=after)
        board.to_csv(folder / f"{cup_id}.csv", index=False)
        title = f"{name} {season.label}"
        as_of, source = views.as_of_label(season, after), views.source_line(season)
        progress = season.progress(cup_id, after=after)
        figures = {
            "progress": charts.progress_chart(
                progress, title=f"{title}: points race", as_of=as_of, source=source, cities=season.cities
            ),
            "bump": charts.bump_chart(
                progress, title=f"{title}: rank after each World Cup", as_of=as_of, source=source, cities=season.cities
            ),
        }
        for kind, figure in figures.items():
            (folder / f"{cup_id}-{kind}.json").write_text(figure.to_json(validate=False), encoding="utf-8")
        cups[name] = {
            "caption": f"{title} · {as_of}",
            "leader": views.leader_line(board),
            "board": f"{cup_id}.csv",
            "progress": f"{cup_id}-progress.json",
            "bump": f"{cup_id}-bump.json",
        }
    (folder / "cups.json").write_text(json.dumps(cups), encoding="utf-8")
    here = Path(__file__).resolve().parent
    shutil.copy(here / "floor_app.py", folder / "app.py")
    shutil.copy(here.parent / "ui" / "chart_element.js", folder / "chart_element.js")
    shutil.copytree(here.parent / ".streamlit", folder / ".streamlit", dirs_exist_ok=True)
    for link, target in ((folder / "static", ours / "static"), (folder / ".venv", ours / ".venv")):
        if not link.exists():
            link.symlink_to(target)


def _run_with_floor(root: Path, rounds: int, out: Path) -> None:
    """The tool's rounds with the floor as a third app: its functions, in this process."""
    import importlib
    import time

    argv = sys.argv
    sys.argv = [argv[0]]  # the tool reads its own command line when imported
    sys.path.insert(0, str(TOOL))
    try:
        bench = importlib.import_module("bench")
    finally:
        sys.argv = argv
    from playwright.sync_api import sync_playwright

    write_floor(root / "floor", root / "ours")
    apps = {"ours": bench.APPS["ours"], "theirs": bench.APPS["theirs"]}
    apps["floor"] = dict(apps["ours"], cwd=str(root / "floor"), port=18733, env={})
    with sync_playwright() as driver, out.open("a", encoding="utf-8") as written:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=bench.ARGS)
        for round_number in range(rounds + 1):
            for app in ("ours", "theirs", "floor"):
                if round_number == 0 and app == "ours":  # round 0: the cold store, as the tool does it
                    for suffix in ("", "-wal", "-shm"):
                        (root / f"ours.sqlite{suffix}").unlink(missing_ok=True)
                # The tool measures "ours" with the dashboard's interactions; the floor has the same.
                bench.APPS["ours"] = apps[app]
                record = bench.run_app(browser, "theirs" if app == "theirs" else "ours", round_number)
                record["app"], record["cold_store"] = app, round_number == 0 and app == "ours"
                print(json.dumps(record), flush=True)
                written.write(json.dumps(record) + "\n")
                written.flush()
                time.sleep(2)
        browser.close()


def run(rounds: int = 7, *, floor: bool = False) -> list[dict[str, Any]]:
    """Run the side-by-side rounds and summarise; empty (skipped) without the tool or a peer checkout."""
    root = Path(os.environ.get("PEER_BENCH_ROOT", "/tmp/peer"))
    missing = [p for p in (TOOL / "bench.py", root / "ours" / ".venv", root / "theirs" / ".venv") if not p.exists()]
    if missing:
        sys.stderr.write(f"peer benchmark skipped: missing {', '.join(map(str, missing))}\n")
        return []
    out = root / "results.jsonl"
    out.unlink(missing_ok=True)
    env = dict(os.environ, PEER_BENCH_ROOT=str(root))
    if floor:
        os.environ["PEER_BENCH_ROOT"] = str(root)
        _run_with_floor(root, rounds, out)
    else:
        subprocess.run([sys.executable, str(TOOL / "bench.py"), str(rounds), str(out)], check=True, env=env)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    for record in records:
        if "error" in record:
            sys.stderr.write(f"error in round {record['round']} ({record['app']}): {record['error'][:200]}\n")
    return summary(records)


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    for row in run(int(numbers[0]) if numbers else 7, floor="--floor" in sys.argv):
        print(row)
