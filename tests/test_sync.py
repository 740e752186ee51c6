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
import sqlalchemy as sa
from pytest_httpserver import HTTPServer

from standings.cli import main
from standings.sources.isu_api import IsuApi
from standings.storage.store import Store
from standings.storage.sync import sync_season, synced_at
from standings.storage.watch import WatchPlan, watch
from ui.chart_element import drawn_figures

from conftest import Database
from isu_fixtures import (
    MODERN_EVENT,
    MODERN_RACE,
    SAMPLES_MISSING,
    IsuFixtureServer,
    samples_present,
    shipped_wc1_event,
)


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
    recorded: IsuFixtureServer, tmp_path: Path, database: Database
) -> None:
    url = database.url("store")
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

    def written() -> Any:
        """The SQLite file's bytes; on PostgreSQL, every row with where it is and the transaction
        that wrote it (``ctid``, ``xmin``): either changes with any write, even of the same values."""
        store = Store(url)
        try:
            if database.name == "sqlite":
                return Path(str(store.engine.url.database)).read_bytes()
            with store.engine.connect() as connection:
                return {
                    table: connection.exec_driver_sql(f"SELECT ctid::text, xmin::text, * FROM {table} ORDER BY 1").all()
                    for table in sa.inspect(connection).get_table_names()
                }
        finally:
            store.close()  # let every connection go, so the file is at rest

    before = written()
    code, out, err = run("--database", url, "sync", "--season", "2011-12", *api, "--format", "csv")
    assert code == 0, err
    assert set(pd.read_csv(io.StringIO(out))["outcome"]) == {"unchanged"}
    assert "nothing changed" in err and "0 downloaded" in err
    assert written() == before


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
        # Status 2 is a disqualification (API.md: checked against the published result): DQ, no code kept.
        unranked = results[results["rank"].isna()]
        assert unranked["status"].tolist() == ["DQ"] and pd.isna(unranked["annotations"].iloc[0])
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
    waits: list[float] = []
    changes = iter([lambda: recorded.modern_phase("late")])

    def between_rounds(seconds: float) -> None:
        waits.append(seconds)
        next(changes, lambda: None)()

    plan = WatchPlan(interval=60.0, idle_interval=3600.0)
    with fast_client(recorded) as api:
        rounds = watch(store, api, "2026-27", plan=plan, rounds=3, sleep=between_rounds, emit=lines.append)
    assert rounds == 3
    # Soon again while a race is unofficial; between events (the fixture's is long over), seldom.
    assert waits == [60.0, 3600.0]
    assert lines[0].startswith("in progress") and "1000 m Men" in lines[0]
    assert lines[1].startswith("replaced") and "1000 m Men" in lines[1]
    assert lines[2].startswith("sync 2026-27: nothing new")
    assert store.races("lt-wc", "2026-27")["official"].tolist() == [True]


def test_watch_survives_an_outage(recorded: IsuFixtureServer, store: Store) -> None:
    lines: list[str] = []
    for _ in range(2):
        recorded.fail_once("/events/", 503)
    with fast_client(recorded) as api:
        watch(
            store,
            api,
            "2026-27",
            plan=WatchPlan(retry_interval=0.0),
            rounds=2,
            sleep=lambda _s: None,
            emit=lines.append,
        )
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
        assert store.snapshot() == before  # one event synced: the others' races and timetables untouched
        # A whole-season sync removes the cancelled event's timetable (nothing of it is to come any
        # more) and keeps its races; the renumbered events leave the stored World Cup #1 alone.
        report = sync_season(store, api, "2011-12")
    after = store.snapshot()
    # Every race and result stored before is there as it was (the later events' are added).
    assert set(before["races"]) <= set(after["races"]) and set(before["results"]) <= set(after["results"])
    assert any(row for row in before["schedule"] if "2012_RUS_0001" in str(row))
    assert not [row for row in after["schedule"] if "2012_RUS_0001" in str(row)]
    assert not [row for row in after["schedule"] if row[3] == 1]  # not the renumbered Astana's as #1
    assert any("its timetable is removed" in note for note in report.notes), report.notes


def test_a_running_dashboard_shows_a_synced_change_without_a_restart(recorded: IsuFixtureServer) -> None:
    import time

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from standings.storage.shipped import open_store

    st.cache_data.clear()
    st.cache_resource.clear()
    store = open_store()  # the test's own database (RINKSIDE_DATABASE_URL), as the app opens it
    with fast_client(recorded) as api:
        sync_season(store, api, "2026-27")
        app = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
        app.query_params.update(circuit="lt-wc", season="2026-27", cup="men-1000")
        app.run()
        assert not app.exception
        line = next(c.value for c in app.caption if "Data as of" in c.value)
        assert "last change synced from the ISU results API" in line and "unofficial" in line
        assert any("Unofficial: WC1 Milwaukee - 1000 m Men" in w.value.replace("\\", "") for w in app.warning)
        assert len(app.dataframe[0].value) == 15
        drawn_before = [figure["data"] for figure in drawn_figures(app)]

        recorded.modern_phase("late")
        assert sync_season(store, api, "2026-27").changed
    store.close()
    time.sleep(1.1)  # the data version is read at most once a second
    app.run()
    assert not app.exception
    line = next(c.value for c in app.caption if "Data as of" in c.value)
    assert "unofficial" not in line
    assert not any("Unofficial" in w.value for w in app.warning)
    assert len(app.dataframe[0].value) == 24  # 32 ranked; the Division A table scores the first 24
    # The charts are built anew for the new data, not served from the figure cache.
    drawn_after = [figure["data"] for figure in drawn_figures(app)]
    assert drawn_after != drawn_before


# --- An official sheet and the API's result of the same race (no shared files needed) -----------


def test_an_official_sheet_wins_over_the_api_and_differences_are_findings(http_server: HTTPServer) -> None:
    from standings.storage.shipped import open_store

    store = open_store()  # the shipped data: 2025/26 from the official sheets
    with IsuFixtureServer(page_size=2, server=http_server) as server:
        numbers = shipped_wc1_event(server)
        before = store.snapshot()
        with fast_client(server) as api:
            report = sync_season(store, api, "2025-26")
        assert {r.outcome for r in report.races} == {"checked"}, [r for r in report.races if r.outcome != "checked"]
        assert all(r.reason == "the sheet and the API agree" for r in report.races), report.races
        after = store.snapshot()
        # The same skaters, by folded name: nothing to record; what the API adds is the timetable and
        # the skaters' API ids (learned while checking, so that the next race's skaters are known by id).
        assert {k: v for k, v in after.items() if k not in ("schedule", "meta", "competitor_ids")} == {
            k: v for k, v in before.items() if k not in ("schedule", "meta", "competitor_ids")
        }
        assert not before["competitor_ids"]
        stored = set(store.results("lt-wc", "2025-26")["competitor"])
        learned = after["competitor_ids"]
        assert learned and {row[0] for row in learned} == {"isu-api"} and {row[2] for row in learned} <= stored
        assert not before["schedule"] and len(after["schedule"]) == len(report.races)
        # The sheets give no start times; the Event programme now has the API's, at the rink's local time.
        from standings.present.event import programme
        from standings.season import season_from_store

        stored = programme(season_from_store(store, "lt-wc", "2025-26"), 1).dropna(subset=["race_id"])
        assert set(stored.loc[stored["race_id"].isin(numbers), "start"]) == {
            "13:00"
        }  # 20:00 UTC in Salt Lake City (a rink of RINK_TIME_ZONES)

        race_id = "lt-wc/2025-26/wc1/men-1500-a"
        rows = server.results[("2026_USA_0001", numbers[race_id])]
        rows[0]["rank"], rows[1]["rank"] = rows[1]["rank"], rows[0]["rank"]
        with fast_client(server) as api:
            report = sync_season(store, api, "2025-26")
    checked = next(r for r in report.races if r.race_id == race_id)
    assert checked.outcome == "checked" and "the API ranks 2, the sheet 1" in checked.reason
    findings = store.findings("lt-wc", "2025-26")
    assert findings["message"].str.contains("API: ").sum() == 2
    assert store.results("lt-wc", "2025-26").equals(
        pd.DataFrame(before["results"]).pipe(lambda _f: store.results("lt-wc", "2025-26"))
    )
    store.close()


def test_a_season_without_known_rules_syncs_and_says_why_there_are_no_standings(http_server: HTTPServer) -> None:
    from standings.season import season_from_store
    from standings.storage.shipped import open_store

    store = open_store()
    with IsuFixtureServer(page_size=2, server=http_server) as server:
        server.add_event(
            {
                "isuId": "2004_NOR_0001",
                "name": "Essent ISU World Cup",
                "start": "2003-11-08",
                "end": "2003-11-09",
                "season": 2004,
                "tags": ["world-cup", "senior"],
                "track": {"name": "Hamar Olympic Hall", "city": "Hamar", "country": "NOR"},
                "isCancelled": False,
            }
        )
        server.competitions["2004_NOR_0001"].append(
            {
                "scheduleNumber": 1,
                "title": "Essent ISU World Cup - 1500m Men Division A",
                "start": "2003-11-08",
                "distance": {"name": "1,500 Meter", "distance": 1500},
                "category": "M",
                "isOfficial": True,
            }
        )
        server.results[("2004_NOR_0001", 1)] = [
            {
                "rank": 1,
                "time": "1:47.370",
                "skater": {"id": 537, "firstName": "Erben", "lastName": "Wennemars", "country": "NED"},
            },
            {
                "rank": 2,
                "time": "1:47.550",
                "skater": {"id": 873, "firstName": "Mark", "lastName": "Tuitert", "country": "NED"},
            },
        ]
        with fast_client(server) as api:
            report = sync_season(store, api, "2003-04")
    assert [r.outcome for r in report.races] == ["added"]
    season = season_from_store(store, "lt-wc", "2003-04")
    assert not season.rules.rankings_available
    assert "No scoring rules for ISU World Cup Speed Skating 2003/04" in season.rules.rankings_reason
    assert season.medals()["nation"].tolist() == ["NED"]  # results and medals still show
    store.close()
    code, _out, err = run("table", "--circuit", "lt-wc", "--season", "2003-04", "--cup", "men-1500")
    assert code == 1 and "No scoring rules" in err


def test_an_events_new_races_are_written_at_once_so_a_dashboard_reruns_once(
    recorded: IsuFixtureServer, store: Store
) -> None:
    """The data version a dashboard follows is set once for an event (its races and its timetable),
    not once a race."""
    versions: list[object] = []

    def watch_meta(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO META") and "data_version" in str(parameters):
            versions.append(parameters)

    sa.event.listen(store.engine, "after_cursor_execute", watch_meta)
    try:
        with fast_client(recorded) as api:
            report = sync_season(store, api, "2011-12", event=1)
    finally:
        sa.event.remove(store.engine, "after_cursor_execute", watch_meta)
    added = [r for r in report.races if r.outcome == "added"]
    assert len(added) >= 10 and report.timetables_changed == 1
    assert len(versions) == 1  # the event's timetable and all its races together
