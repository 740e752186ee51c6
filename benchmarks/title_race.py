"""Benchmark: the title race on a 30-contender cup with 4 races left, and on every real cup.

Run: ``python -m benchmarks.title_race`` (prints a table, writes JSON with ``--json PATH``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import standings
from standings.engine.title_race import Entry as TitleEntry
from standings.engine.title_race import RemainingRace, title_race
from standings.rules import rules_for


def _timed(action: Callable[[], object], repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return {"median_s": statistics.median(times), "max_s": max(times), "runs": repeat}


def synthetic(contenders: int, races: int, *, final_double: bool) -> tuple[list[TitleEntry], list[RemainingRace]]:
    """A tight cup: ``contenders`` skaters 7 points apart, every one still in the race."""
    table = rules_for("lt-wc", "2025-26").table_for("A", "men-500")
    assert table is not None
    programme = [
        RemainingRace(f"race {n}", tuple(p * (2 if final_double and n == races else 1) for p in table.table))
        for n in range(1, races + 1)
    ]
    entries = [
        TitleEntry(f"skater-{i}", f"Skater NUMBER{i}", "NED", 400 - 7 * i, max(0, 3 - i)) for i in range(contenders)
    ]
    return entries, programme


def run(repeat: int = 5) -> list[dict[str, Any]]:
    """Every case's timing, as records."""
    rows: list[dict[str, Any]] = []
    for final_double in (False, True):
        entries, programme = synthetic(30, 4, final_double=final_double)
        race = title_race(entries, programme)
        label = "30 contenders x 4 races" + (" (last one x2)" if final_double else "")

        def action(entries: list[TitleEntry] = entries, programme: list[RemainingRace] = programme) -> object:
            from standings.engine.title_race import search as module

            module._outcomes.cache_clear()
            module._sum_sets.cache_clear()
            return title_race(entries, programme)

        alive = sum(c.status != "eliminated" for c in race.contenders)
        rows.append({"case": label, "contenders": alive, **_timed(action, repeat)})
    season = standings.load_season("lt-wc", "2025-26")
    cups = [c.cup_id for c in season.cups if not season.standings(c.cup_id).empty]

    def every_cup() -> None:
        for cup in cups:
            for after in season.world_cups:
                season.title_race(cup, after=after)

    rows.append(
        {"case": f"2025/26: {len(cups)} cups x {len(season.world_cups)} as-of events", **_timed(every_cup, repeat)}
    )

    def overall_after_wc1() -> object:
        return season.title_race("men-overall", after=1)

    left = len(season.title_race("men-overall", after=1).programme)
    rows.append({"case": f"2025/26 men overall after WC1 ({left} races left)", **_timed(overall_after_wc1, repeat)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, help="write the records here")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = run(args.repeat)
    for row in rows:
        print(f"{row['case']:<55} median {row['median_s'] * 1000:8.1f} ms   max {row['max_s'] * 1000:8.1f} ms")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
