"""Benchmark: the whole-season engine on the real 2025/26 data and on generated seasons 10x, 100x, 1000x its size.

"Recompute" is everything from the stored rows to every cup's standings after every World
Cup: points for every result (``standings.engine.points.score``), display names, and the all-cups
table (``Season.grid``: every cup's standings after every World Cup, which is every progress
table too). Extracting one cup's standings or progress from it is timed separately.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from standings.engine.points import score
from standings.rules import rules_for
from standings.season import Season
from standings.storage.shipped import open_store

CIRCUIT, SEASON = "lt-wc", "2025-26"


def _times(action: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def _median_time(action: Callable[[], object], repeat: int) -> float:
    return statistics.median(_times(action, repeat))


def _peak_bytes(action: Callable[[], object]) -> int:
    """Peak memory allocated during ``action`` (tracemalloc: Python and NumPy/pandas buffers, not Arrow's)."""
    gc.collect()
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def generated(races: pd.DataFrame, results: pd.DataFrame, factor: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A season ``factor`` times the real one: each race held ``factor`` times over, by ``factor`` fields.

    Copy ``i`` of a race has its own race id and its own competitors (``<key>~i``), so the
    numbers of races, results and competitors all grow by ``factor``; the World Cups stay four.
    """
    if factor == 1:
        return races, results
    return _copies(races, factor, ["race_id"]), _copies(results, factor, ["race_id", "competitor"])


def _copies(frame: pd.DataFrame, factor: int, keys: list[str]) -> pd.DataFrame:
    """``factor`` copies of ``frame``, copy ``i`` (from 1) with ``~i`` appended to each key column."""
    many = frame.iloc[np.tile(np.arange(len(frame)), factor)].reset_index(drop=True)
    copy = pd.Series(np.repeat(np.arange(factor), len(frame)))
    suffix = copy.map(lambda i: "" if i == 0 else f"~{i}").astype("string")
    for key in keys:
        many[key] = many[key] + suffix
    return many


def recompute(races: pd.DataFrame, results: pd.DataFrame) -> Season:
    """Score every result and build every cup's standings after every World Cup."""
    rules = rules_for(CIRCUIT, SEASON)
    season = Season(CIRCUIT, SEASON, rules, races, score(results, races, rules))
    _ = season.grid
    return season


def run(factors: tuple[int, ...] = (1, 10, 100, 1000), repeat: int = 5) -> list[dict[str, Any]]:
    """Time and peak memory of a recompute per size, and of extracting one cup's tables."""
    store = open_store()
    try:
        races, results = store.races(CIRCUIT, SEASON), store.results(CIRCUIT, SEASON)
    finally:
        store.close()
    rows: list[dict[str, Any]] = []
    for factor in factors:
        many_races, many = generated(races, results, factor)
        runs = repeat if factor <= 100 else 3
        action = partial(recompute, many_races, many)
        times = _times(action, runs)
        peak = _peak_bytes(action)
        rows.append(
            {
                "case": f"engine recompute, {'real data' if factor == 1 else f'{factor}x generated'}",
                "rows": len(many),
                "median_s": statistics.median(times),
                "min_s": min(times),
                "max_s": max(times),
                "peak_mb": peak / 2**20,
                "bytes_per_row": round(peak / len(many)),
                "runs": runs,
            }
        )
        if factor == 1:
            season = recompute(many_races, many)
            cups = [c.cup_id for c in season.cups]

            def extract(season: Season = season, cups: list[str] = cups) -> None:
                for cup in cups:
                    season.standings(cup)
                    season.progress(cup)

            rows.append(
                {
                    "case": f"extract {len(cups)} cups' standings + progress (real data)",
                    "rows": len(many),
                    "median_s": _median_time(extract, repeat),
                    "peak_mb": None,
                    "runs": repeat,
                }
            )
    sizes = [r for r in rows if r["case"].startswith("engine recompute")]
    if len(sizes) >= 2:
        exponent = np.polyfit(np.log([r["rows"] for r in sizes]), np.log([r["median_s"] for r in sizes]), 1)[0]
        upper = np.polyfit(np.log([r["rows"] for r in sizes[-2:]]), np.log([r["median_s"] for r in sizes[-2:]]), 1)[0]
        rows.append(
            {
                "case": "engine growth exponent (time ~ rows^k; all sizes / top two)",
                "rows": None,
                "exponent": round(float(exponent), 2),
                "exponent_top": round(float(upper), 2),
            }
        )
    return rows


if __name__ == "__main__":
    for record in run():
        print(record)
