"""``standings sync``: the ISU results API into the store, against a real HTTP server on 127.0.0.1.

The recorded fixtures are built at test time from the shared API samples (2011/12 flat rows,
the modern ``competitor`` rows of a race in progress and finished); see ``tests/isu_fixtures.py``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer

from standings.cli import main
from standings.sources.isu_api import IsuApi
from standings.store import Store
from standings.sync import WatchPlan, sync_season, synced_at, watch

from isu_fixtures import MODERN_EVENT, MODERN_RACE, SAMPLES_MISSING, IsuFixtureServer, samples_present


@pytest.fixture(scope="module")
def http_server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def recorded(http_server: HTTPServer) -> Iterator[IsuFixtureServer]:
    """The shared samples on 127.0.0.1; the modern event moved to 2026/27 (the season being raced)."""
    if not samples_present():
        pytest.skip(SAMPLES_MISSING)
    with IsuFixtureServer.from_samples(page_size=2, server=http_server) as server:
        modern = server.events.pop(2026)
        server.events[2027] = [{**event, "season": 2027} for event in modern]
        yield server


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def fast_client(server: IsuFixtureServer, **options: Any) -> IsuApi:
    settings: dict[str, Any] = {"timeout": 2.0, "attempts": 2, "backoff": 0.01, "max_backoff": 0.02}
    return IsuApi(server.url, sleep=lambda _s: None, **{**settings, **options})


# The women's 500 m of 2011/12 World Cups #1-#4 (eight races, both divisions), by hand from the
# samples' ranks with the 2011/12 table (100, 80, 70, 60, 50, 45, 40, 36, 32, 28, 24, 21, 18, 16,
# 14, 12, 10, 8, 6, 5; Division B 25 for the winner). Oenema and Tsuji share 2nd in the first race
# (38.223 each): both score 80, and the next place is 4th (60, Gerritsen).
WOMEN_500 = {
    "Sang-Hwa LEE": 650,  # 50 + 80 + 100 + 80 + 80 + 60 + 100 + 100
    "Jenny WOLF": 514,  # 40 + 70 + 80 + 100 + 50 + 80 + 24 + 70
    "Jing YU": 485,  # 100 + 100 + 100 + 100 + 5 (20th, ranked without a time) + 80
    "Thijsje OENEMA": 392,  # 80 (shared 2nd) + 60 + 70 + 40 + 36 + 24 + 32 + 50
    "Nao KODAIRA": 375,  # 24 + 36 + 60 + 70 + 60 + 80 + 45
    "Maki TSUJI": 328,  # with the shared 2nd place (80)
    "Laurine VAN RIESSEN": 231,
}


def test_sync_2011_12_gives_the_hand_computed_women_500_and_a_second_sync_changes_nothing(
    recorded: IsuFixtureServer, tmp_path: Path
) -> None:
    database = tmp_path / "store.sqlite"
    url = f"sqlite:///{database}"
    api = ["--api-url", recorded.url, "--cache", str(tmp_path / "http")]
    code, out, err = run("--database", url, "sync", "--season", "2011-12", *api, "--format", "csv")
    assert code == 0, err
    synced = pd.read_csv(io.StringIO(out))
    assert set(synced["outcome"]) == {"added"} and len(synced) == 82
    assert "82 added" in err

    code, out, err = run(
        "--database", url, "table", "--circuit", "lt-wc", "--season", "2011-12", "--cup", "women-500", "--format", "csv"
    )
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    points = dict(zip(table["name"], table["points"], strict=True))
    assert {name: points.get(name) for name in WOMEN_500} == WOMEN_500
    assert table["name"].head(5).tolist() == list(WOMEN_500)[:5]
    assert table["rank"].head(5).tolist() == [1, 2, 3, 4, 5]
    assert "provisional" in err  # Division B and places from 11th are not confirmed for 2011/12

    Store(url).close()  # let every connection go, so the file is at rest
    before = database.read_bytes()
    code, out, err = run("--database", url, "sync", "--season", "2011-12", *api, "--format", "csv")
    assert code == 0, err
    assert set(pd.read_csv(io.StringIO(out))["outcome"]) == {"unchanged"}
    assert "nothing changed" in err and "0 downloaded" in err
    assert database.read_bytes() == before


def test_sync_mid_event_then_the_race_becomes_official(recorded: IsuFixtureServer, store: Store) -> None:
    with fast_client(recorded) as api:
        first = sync_season(store, api, "2026-27")
        outcomes = {r.title: r.outcome for r in first.races}
        assert outcomes["WC1 Milwaukee - 1000 m Men Division A"] == "in progress"
        assert {o for t, o in outcomes.items() if "1000 m Men" not in t} == {"not started"}
        races = store.races("lt-wc", "2026-27")
        assert races["official"].tolist() == [False]
        assert len(store.results("lt-wc", "2026-27")) == 15  # skaters still to race are not results
        assert synced_at(store, "2026-27") is not None

        recorded.modern_phase("late")
        second = sync_season(store, api, "2026-27")
        assert {r.title: r.outcome for r in second.races}["WC1 Milwaukee - 1000 m Men Division A"] == "replaced"
        assert store.races("lt-wc", "2026-27")["official"].tolist() == [True]
        results = store.results("lt-wc", "2026-27")
        assert len(results) == 33
        unranked = results[results["status"] == "NC"]
        assert len(unranked) == 1 and unranked["annotations"].iloc[0] == "API status 2"
        third = sync_season(store, api, "2026-27")
        assert not third.changed


def test_a_server_failing_half_way_leaves_every_race_whole_or_untouched(
    recorded: IsuFixtureServer, store: Store
) -> None:
    # Every results request of World Cups #3 and #4 fails (the server going down half way).
    for (isu_id, number), _rows in recorded.results.items():
        if isu_id in ("2012_NED_0001", "2012_USA_0001"):
            for _ in range(2):
                recorded.fail_once(f"/events/{isu_id}/competitions/{number}/results/", 503)
    with fast_client(recorded) as api:
        report = sync_season(store, api, "2011-12")
    refused = [r for r in report.races if r.outcome == "refused"]
    assert refused and all("503" in r.reason for r in refused)
    stored = store.results("lt-wc", "2011-12").groupby("race_id").size()
    for race in report.races:
        assert (race.race_id in stored.index) == (race.outcome == "added"), race
    with fast_client(recorded) as api:
        again = sync_season(store, api, "2011-12")
    assert {r.outcome for r in again.races} == {"added", "unchanged"}
    assert {r.race_id for r in again.races if r.outcome == "added"} == {r.race_id for r in refused}


def test_watch_picks_up_a_change_and_logs_one_line_per_change(recorded: IsuFixtureServer, store: Store) -> None:
    lines: list[str] = []
    changes = iter([lambda: recorded.modern_phase("late")])

    def between_rounds(_seconds: float) -> None:
        next(changes, lambda: None)()

    with fast_client(recorded) as api:
        rounds = watch(
            store, api, "2026-27", plan=WatchPlan(interval=0.0), rounds=3, sleep=between_rounds, emit=lines.append
        )
    assert rounds == 3
    assert lines[0].startswith("in progress") and "1000 m Men" in lines[0]
    assert lines[1].startswith("replaced") and "1000 m Men" in lines[1]
    assert lines[2].startswith("sync 2026-27: nothing new")
    assert store.races("lt-wc", "2026-27")["official"].tolist() == [True]


def test_watch_survives_an_outage(recorded: IsuFixtureServer, store: Store) -> None:
    lines: list[str] = []
    for _ in range(2):
        recorded.fail_once("/events/", 503)
    with fast_client(recorded) as api:
        watch(store, api, "2026-27", plan=WatchPlan(retry_interval=0.0), rounds=2, sleep=lambda _s: None, emit=lines.append)
    assert "failed, nothing changed" in lines[0]
    assert lines[1].startswith("in progress")


def test_a_race_with_a_bad_row_is_refused_and_the_others_stored(recorded: IsuFixtureServer, store: Store) -> None:
    rows = recorded.results[(MODERN_EVENT, MODERN_RACE)]
    broken = [dict(r) for r in rows]
    broken[2]["rank"] = "first"
    recorded.set_results(MODERN_EVENT, MODERN_RACE, broken)
    with fast_client(recorded) as api:
        report = sync_season(store, api, "2026-27")
    refused = [r for r in report.races if r.outcome == "refused"]
    assert len(refused) == 1 and "row 3" in refused[0].reason and "rank" in refused[0].reason
    assert store.races("lt-wc", "2026-27").empty


def test_a_cancelled_or_removed_event_is_reported_and_nothing_is_touched(
    recorded: IsuFixtureServer, store: Store
) -> None:
    with fast_client(recorded) as api:
        sync_season(store, api, "2011-12", event=1)
        before = store.snapshot()
        recorded.cancel_event("2012_RUS_0001")
        report = sync_season(store, api, "2011-12", event=1)
    assert any("cancelled" in note for note in report.notes)
    assert store.snapshot() == before
