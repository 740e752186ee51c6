"""Benchmark: importing the 103 official 2025/26 sheets, building the store from ``data/``, and
results CSVs of 5k to 40k rows (one race, or many) to show the import stays linear (issue 14).

The sheets are read from ``../shared/data/lt-world-cup-2025-26`` beside the project (as in CI);
each measurement writes into an empty SQLite file of its own.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from standings.sources.results_csv import schema
from standings.storage.importer import import_paths
from standings.storage.shipped import aliases, open_store
from standings.storage.store import Store

SHEETS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "lt-world-cup-2025-26"


def run() -> list[dict[str, Any]]:
    """Seconds for each import, with what it stored."""
    rows: list[dict[str, Any]] = csv_scaling()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        store = open_store(f"sqlite:///{Path(folder) / 'built.sqlite'}")
        built = time.perf_counter() - start
        loaded = store.seasons()
        store.close()
        rows.append(
            {
                "case": "store built from data/ (fresh SQLite file)",
                "seconds": built,
                "races": int(loaded["races"].sum()),
                "results": int(loaded["results"].sum()) if "results" in loaded else None,
            }
        )
        if SHEETS.is_dir():
            store = Store(f"sqlite:///{Path(folder) / 'sheets.sqlite'}")
            sheets = sorted(SHEETS.rglob("*.pdf"))
            start = time.perf_counter()
            report = import_paths(store, [SHEETS], aliases=aliases())
            elapsed = time.perf_counter() - start
            store.close()
            rows.append(
                {
                    "case": f"import {len(sheets)} official sheets (PDF) into an empty store",
                    "seconds": elapsed,
                    "per_sheet_s": elapsed / max(1, len(sheets)),
                    "added": len(report.added),
                    "refused": len(report.refused),
                }
            )
    return rows


NATIONS = ("CHN", "KOR", "NED", "JPN", "CAN", "USA", "ITA", "HUN", "POL", "FRA")
HEADER = ",".join(schema())


def results_csv(rows: int) -> str:
    """A results CSV of ``rows`` rows in 1500 m races of 792 rows each (99 heats of 8 skaters; a
    race holds at most 999 ranked skaters, so a large file is many races)."""
    lines = [HEADER]
    count = 0
    race = 0
    while count < rows:
        season = f"{2000 + race // 9}-{(2001 + race // 9) % 100:02d}"
        for heat in range(1, 100):
            for place in range(1, 9):
                if count >= rows:
                    break
                seconds = 140 + place / 10
                lines.append(
                    f"st-wc,{season},{race % 9 + 1},Leeuwarden,NED,,1500,women,0,Heats,{heat},{place},finished,"
                    f"Skater H{heat}P{place} RACE{race},{NATIONS[place % 10]},{int(seconds // 60)}:{seconds % 60:06.3f}"
                )
                count += 1
        race += 1
    return "\n".join(lines) + "\n"


ROUNDS = ("Preliminaries", "Heats", "Repechage", "Rep.Quarterfinals", "Quarterfinals", "Rep.Semifinals", "Semifinals")


def one_race_csv(skaters: int) -> str:
    """One 1500 m race in which each of ``skaters`` skates every round (heats of up to 99): the shape
    whose classification was quadratic in the race's rows."""
    lines = [HEADER]
    for round_name in ROUNDS:
        for n in range(skaters):
            heat, place = divmod(n, 99)
            seconds = 140 + (place + 1) / 10
            lines.append(
                f"st-wc,2020-21,1,Leeuwarden,NED,,1500,women,0,{round_name},{heat + 1},{place + 1},finished,"
                f"Skater NUMBER{n},{NATIONS[n % 10]},{int(seconds // 60)}:{seconds % 60:06.3f}"
            )
    return "\n".join(lines) + "\n"


def csv_scaling(sizes: tuple[int, ...] = (5_000, 10_000, 20_000, 40_000)) -> list[dict[str, Any]]:
    """Seconds to import results CSVs of growing size into an empty store (read, check, write)."""
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        files = [(f"r{size}", results_csv(size), size) for size in sizes]
        files += [(f"one{n}", one_race_csv(n), n * len(ROUNDS)) for n in (250, 500, 999)]
        for stem, text, size in files:
            path = Path(folder) / f"{stem}.csv"
            path.write_text(text, encoding="utf-8")
            store = Store(f"sqlite:///{Path(folder) / f'{path.stem}.sqlite'}")
            start = time.perf_counter()
            report = import_paths(store, [path])
            elapsed = time.perf_counter() - start
            store.close()
            rows.append(
                {
                    "case": f"results CSV, {size} rows ({len(report.added)} races)",
                    "seconds": elapsed,
                    "per_1000_rows_s": elapsed / size * 1000,
                    "refused": len(report.refused),
                }
            )
    return rows


if __name__ == "__main__":
    for record in csv_scaling():
        print(record)
    for record in run():
        print(record)
