"""Benchmark: a full-season sync from the ISU results API, served from loopback.

The server is the tests' recorded-fixture server (``tests/isu_fixtures.py``) on 127.0.0.1,
built from the shared API samples (``../shared/data/isu-api-samples``): the 2011/12 season,
five World Cup events, 82 races. Measured: an empty store's first sync, then a repeat sync
(conditional requests: every response unchanged, nothing downloaded in full), each with the
requests made and the responses downloaded. Then the rounds of a ``--watch`` worker against the
same season served without validators (no ``ETag``, no ``Last-Modified``: no public client of the
real API has seen either): the first round, an idle round, and a round in which one race changed
(its ``lastUpdate`` too), each with the requests made.
"""

from __future__ import annotations

import importlib
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from standings.sources.isu_api import IsuApi
from standings.storage.shipped import aliases
from standings.storage.store import Store
from standings.storage.sync import SyncMemo, sync_season

TESTS = Path(__file__).resolve().parent.parent / "tests"


def run() -> list[dict[str, Any]]:
    """Seconds, requests and downloads of a first and a repeat sync of 2011/12."""
    sys.path.insert(0, str(TESTS))
    fixtures = importlib.import_module("isu_fixtures")  # the tests' server: not part of the package
    if not fixtures.samples_present():
        return [{"case": "sync 2011/12 from loopback: skipped (no shared API samples)"}]
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the fixture server's request log
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder, fixtures.IsuFixtureServer.from_samples(page_size=20) as server:
        store = Store(f"sqlite:///{Path(folder) / 'sync.sqlite'}")
        table = aliases()
        for case in ("first sync, empty store", "repeat sync, nothing changed"):
            with IsuApi(server.url, cache=Path(folder) / "http") as api:
                start = time.perf_counter()
                report = sync_season(store, api, "2011-12", aliases=table)
                elapsed = time.perf_counter() - start
                rows.append(
                    {
                        "case": f"sync 2011/12 from loopback: {case}",
                        "seconds": elapsed,
                        "races": len(report.races),
                        "written": sum(r.outcome in ("added", "replaced") for r in report.races),
                        "requests": report.requests,
                        "downloads": report.downloads,
                        "not_modified": api.stats.not_modified,
                    }
                )
        store.close()
    rows.extend(_watch_rounds(fixtures))
    return rows


def _watch_rounds(fixtures: Any) -> list[dict[str, Any]]:
    """A watch worker's rounds (one memo, as ``watch`` keeps) against a server without validators."""
    rows: list[dict[str, Any]] = []
    table = aliases()
    with (
        tempfile.TemporaryDirectory() as folder,
        fixtures.IsuFixtureServer.from_samples(page_size=20, etags=False) as server,
        IsuApi(server.url) as api,
    ):
        store = Store(f"sqlite:///{Path(folder) / 'watch.sqlite'}")
        memo = SyncMemo()
        for case in ("first round", "idle round (nothing changed)", "one race changed"):
            if case == "one race changed":
                isu_id, number = next(iter(server.results))
                rows_served = server.results[(isu_id, number)]
                rows_served[0]["time"], rows_served[1]["time"] = rows_served[1]["time"], rows_served[0]["time"]
                server.competition(isu_id, number)["lastUpdate"] = "2012-03-20T12:00:00Z"
            start = time.perf_counter()
            report = sync_season(store, api, "2011-12", aliases=table, memo=memo)
            rows.append(
                {
                    "case": f"watch 2011/12 without validators: {case}",
                    "seconds": time.perf_counter() - start,
                    "races": len(report.races),
                    "written": sum(r.outcome in ("added", "replaced") for r in report.races),
                    "requests": report.requests,
                    "downloads": report.downloads,
                    "asked": sum(r.asked for r in report.races),
                }
            )
        store.close()
    return rows


if __name__ == "__main__":
    for record in run():
        print(record)
