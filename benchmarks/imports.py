"""Benchmark: importing the 103 official 2025/26 sheets, and building the store from ``data/``.

The sheets are read from ``../shared/data/lt-world-cup-2025-26`` beside the project (as in CI);
each measurement writes into an empty SQLite file of its own.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from standings.storage.importer import import_paths
from standings.storage.shipped import aliases, open_store
from standings.storage.store import Store

SHEETS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "lt-world-cup-2025-26"


def run() -> list[dict[str, Any]]:
    """Seconds for each import, with what it stored."""
    rows: list[dict[str, Any]] = []
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


if __name__ == "__main__":
    for record in run():
        print(record)
