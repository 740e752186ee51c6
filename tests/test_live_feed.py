"""``standings sync`` and its ``--watch`` worker when the API misbehaves (issue 23), on SQLite and PostgreSQL.

Each numbered case of the issue, against the API's shapes served on 127.0.0.1 (no shared files
needed): an impossible value or a nation that is not an IOC code refuses its race and changes
nothing stored; one event listed twice is one World Cup; an API event numbered like a World Cup
the store holds from the official sheets of another event is refused whole; one bad race list
does not stop the season; a race listed twice is reported as what happened to it; skater ids
learned while checking sheet races are stored; team and mass-start rows are stored as the API's
other clients read them; an idle watch round asks once per event, not once per race; and the
worker survives every broken answer and stops cleanly on SIGTERM.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer

from standings.cli import main
from standings.sources.isu_api import IsuApi
from standings.storage.shipped import read_season
from standings.storage.store import Store
from standings.storage.sync import SyncMemo, sync_season
from standings.storage.watch import WatchPlan, watch

from conftest import Database
from isu_fixtures import (
    ROOT,
    IsuFixtureServer,
    competition_record,
    event_record,
    shipped_wc1_event,
    skater_row,
    team_and_mass_start_event,
)

SEASON = "2026-27"


def client(server: IsuFixtureServer, **options: Any) -> IsuApi:
    settings: dict[str, Any] = {"timeout": 2.0, "attempts": 1, "backoff": 0.01, "max_backoff": 0.02}
    return IsuApi(server.url, sleep=lambda _s: None, **{**settings, **options})


def add_event(server: IsuFixtureServer, isu_id: str, start: str, city: str, races: int = 2) -> None:
    """An event with ``races`` official women's races (500 m, 1000 m, 1500 m ...), three skaters each."""
    server.add_event(event_record(isu_id, start, city=city))
    distances = [(500, "37.810", "38.223", "38.500"), (1000, "1:14.10", "1:14.50", "1:15.00")]
    distances += [(1500, "1:54.10", "1:55.00", "1:56.20"), (3000, "3:58.00", "4:00.10", "4:01.00")]
    for number, (distance, *times) in enumerate(distances[:races], start=1):
        server.competitions[isu_id].append(
            competition_record(number, f"{distance}m Women", start=f"{start}T14:00:00Z", distance=distance)
        )
        server.results[(isu_id, number)] = [
            skater_row(rank, 100 + rank, name, times[rank - 1], pair=rank)
            for rank, name in ((1, "One"), (2, "Two"), (3, "Three"))
        ]


@pytest.fixture
def season(http_server: HTTPServer) -> Iterator[IsuFixtureServer]:
    """Three World Cups of 2026/27 (Heerenveen, Hamar, Inzell), two races each, every one official."""
    with IsuFixtureServer(page_size=2, etags=False, server=http_server) as server:
        add_event(server, "2027_NED_0001", "2026-11-14", "Heerenveen")
        add_event(server, "2027_NOR_0001", "2026-11-21", "Hamar")
        add_event(server, "2027_GER_0001", "2026-11-28", "Inzell")
        yield server


def outcomes(report: Any) -> dict[str, str]:
    return {r.title: r.outcome for r in report.races}


# --- 2, 4, 11: an impossible value or a nation that is no IOC code refuses its race -------------


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"laps": [{"number": 1, "time": "16.61", "passageTime": "16.614", "rank": 10**30}]},
            "laps.rank",
            "rank (1 to 999)",
        ),
        (
            {"laps": [{"number": 10**30, "time": "16.61", "passageTime": "16.614", "rank": 1}]},
            "laps.lap",
            "laps (1 to 100)",
        ),
        ({"laps": [{"number": 1, "time": "0.00", "passageTime": "16.614", "rank": 1}]}, "laps.time", "more than 0"),
        ({"rank": 10**30}, "rank", "1 to 999"),
        ({"startNumber": 10**30}, "pair", "0 to 99"),
        ({"time": "0.01"}, "time", "impossible for 500 m"),
        (
            {
                "competitor": {
                    "skater": {"id": 102, "firstName": "A", "lastName": "Two", "country": "[FREE](https://x.y/t)"}
                }
            },
            "competitor.skater.country",
            "not a nation's IOC code",
        ),
    ],
)
def test_an_impossible_value_refuses_its_race_and_changes_nothing(
    season: IsuFixtureServer, store: Store, change: dict[str, Any], field: str, words: str
) -> None:
    with client(season) as api:
        sync_season(store, api, SEASON)
        before = store.snapshot()
        season.results[("2027_NED_0001", 1)][1].update(change)
        season.competition("2027_NED_0001", 1)["lastUpdate"] = "2026-11-14T16:00:00Z"  # a correction
        report = sync_season(store, api, SEASON)
    (refused,) = [r for r in report.races if r.outcome == "refused"]
    url = f"{season.url}/events/2027_NED_0001/competitions/1/results/?inSeconds=0"
    assert refused.reason.startswith(f"{url}, row 2, field '{field}': "), refused.reason
    assert words in refused.reason
    assert store.snapshot() == before


@pytest.mark.parametrize("nation", ["[FREE TICKETS](https://evil.example/t)", "![t](https://evil.example/pixel.png)"])
def test_a_nation_in_markdown_is_refused_and_never_stored(season: IsuFixtureServer, store: Store, nation: str) -> None:
    season.results[("2027_NOR_0001", 2)][0]["competitor"]["skater"]["country"] = nation
    with client(season) as api:
        report = sync_season(store, api, SEASON)
    refused = [r for r in report.races if r.outcome == "refused"]
    assert [r.title for r in refused] == ["WC2 Hamar - 1000 m Women Division A"]
    assert "row 1, field 'competitor.skater.country'" in refused[0].reason
    assert outcomes(report)["WC2 Hamar - 500 m Women Division A"] == "added"
    assert set(store.results("lt-wc", SEASON)["nation"]) == {"NED"}


# --- 5. One event listed twice is one World Cup -------------------------------------------------


def test_one_event_listed_twice_is_one_world_cup(season: IsuFixtureServer, store: Store) -> None:
    season.add_event(event_record("2027_NED_0001", "2026-11-14"))  # listed again, on the listing's last page
    with client(season) as api:
        report = sync_season(store, api, SEASON)
    races = store.races("lt-wc", SEASON)
    assert sorted(set(races["world_cup"])) == [1, 2, 3] and len(races) == 6
    assert set(races.loc[races["world_cup"] == 1, "city"]) == {"Heerenveen"}
    assert any("event 2027_NED_0001 is listed twice" in note for note in report.notes)
    # The winner of World Cup #1's 500 m has one win of it, not two.
    results = store.results("lt-wc", SEASON)
    assert len(results[(results["rank"] == 1) & results["race_id"].str.endswith("/women-500-a")]) == 3


# --- 6. An API event numbered like a World Cup of the sheets is that event, or refused -----------


@pytest.fixture
def sheets_2025_26(store: Store) -> Store:
    """The store holding 2025/26 World Cups #1-#4 as the official sheets give them (``data/``)."""
    store.import_races(list(read_season(ROOT / "data" / "lt-wc" / "2025-26")))
    return store


def test_an_api_event_numbered_like_a_sheets_world_cup_of_another_event_is_refused(
    http_server: HTTPServer, sheets_2025_26: Store, database: Database
) -> None:
    store = sheets_2025_26
    with IsuFixtureServer(page_size=2, etags=False, server=http_server) as server:
        shipped_wc1_event(server)  # Salt Lake City, 14-16 November 2025: the sheets' World Cup #1
        # A fake event dated before it: the API would number it #1 and Salt Lake City #2.
        server.add_event(event_record("2026_GER_0009", "2025-11-07", end="2025-11-09", season=2026, city="Inzell"))
        server.competitions["2026_GER_0009"].append(
            competition_record(1, "1000m Men", start="2025-11-07T14:00:00Z", distance=1000, category="M")
        )
        server.results[("2026_GER_0009", 1)] = [skater_row(1, 1, "Fake", "1:08.00", country="GER")]
        before = store.snapshot()
        with client(server) as api:
            report = sync_season(store, api, "2025-26")
        assert report.races == []
        assert len(report.refused) == 2
        assert (
            "WC1 Inzell (2026_GER_0009): World Cup #1 is stored from official sheets (Salt Lake City"
            in (report.refused[0])
        )
        assert (
            "WC2 Salt Lake City (2026_USA_0001): World Cup #2 is stored from official sheets (Calgary"
            in (report.refused[1])
        )
        assert store.snapshot() == before  # nothing stored changes: no race, no timetable, no finding

        out, err = io.StringIO(), io.StringIO()
        url = store.url
        code = main(["--database", url, "sync", "--season", "2025-26", "--api-url", server.url], out=out, err=err)
        assert code == 1 and err.getvalue().count("refused event: ") == 2 and "2 events refused" in err.getvalue()

        # Without the fake event, the API's event is the sheets' World Cup #1: its races are checked.
        server.remove_event("2026_GER_0009")
        with client(server) as api:
            report = sync_season(store, api, "2025-26")
    assert report.refused == [] and {r.outcome for r in report.races} == {"checked"}


# --- 7. One bad race list does not stop the season ---------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        '{"detail": "not a list"}',
        '[{"scheduleNumber": 1, "distance": {"distance": 500}, "category": "F"}]',  # no title
        "[" * 100_000,
    ],
)
def test_one_bad_race_list_is_refused_and_the_season_goes_on(
    season: IsuFixtureServer, store: Store, answer: str
) -> None:
    season.respond_once("/events/2027_NED_0001/competitions/", answer)
    with client(season) as api:
        report = sync_season(store, api, SEASON)
    assert len(report.refused) == 1 and report.refused[0].startswith("WC1 Heerenveen (2027_NED_0001): ")
    assert f"{season.url}/events/2027_NED_0001/competitions/" in report.refused[0]
    assert set(outcomes(report).values()) == {"added"} and len(report.races) == 4
    assert sorted(set(store.races("lt-wc", SEASON)["world_cup"])) == [2, 3]


# --- 8. A race listed twice: the outcome printed is the one that happened -----------------------


def test_a_race_listed_twice_under_one_number_is_read_once_and_reported_added(
    season: IsuFixtureServer, store: Store
) -> None:
    season.competitions["2027_NED_0001"].append(dict(season.competition("2027_NED_0001", 1)))
    with client(season) as api:
        report = sync_season(store, api, SEASON, event=1)
    assert [(r.title, r.outcome) for r in report.races] == [
        ("WC1 Heerenveen - 500 m Women Division A", "added"),
        ("WC1 Heerenveen - 1000 m Women Division A", "added"),
    ]
    assert any("listed twice as race 1, read once" in note for note in report.notes)
    assert len(store.schedule("lt-wc", SEASON)) == 2


def test_two_numbers_that_are_one_race_are_both_refused_and_nothing_of_it_stored(
    season: IsuFixtureServer, store: Store
) -> None:
    season.competitions["2027_NED_0001"].append({**season.competition("2027_NED_0001", 1), "scheduleNumber": 3})
    season.results[("2027_NED_0001", 3)] = [skater_row(1, 109, "Other", "39.000")]
    with client(season) as api:
        report = sync_season(store, api, SEASON, event=1)
    assert [(r.title, r.outcome) for r in report.races] == [
        ("WC1 Heerenveen - 500 m Women Division A", "refused"),
        ("WC1 Heerenveen - 1000 m Women Division A", "added"),
        ("WC1 Heerenveen - 500 m Women Division A", "refused"),
    ]
    assert "the API lists this race 2 times (races 1, 3)" in report.races[0].reason
    assert store.races("lt-wc", SEASON)["race_id"].tolist() == ["lt-wc/2026-27/wc1/women-1000-a"]
    assert store.schedule("lt-wc", SEASON)["race_id"].tolist() == ["lt-wc/2026-27/wc1/women-1000-a"]


# --- 9. Skater ids learned while checking sheet races are stored ---------------------------------


def test_skater_ids_learned_while_checking_sheet_races_are_stored(
    http_server: HTTPServer, sheets_2025_26: Store
) -> None:
    store = sheets_2025_26
    with IsuFixtureServer(page_size=2, etags=False, server=http_server) as server:
        numbers = shipped_wc1_event(server)
        with client(server) as api:
            report = sync_season(store, api, "2025-26")
        served = {
            (str(row["competitor"]["skater"]["id"]), number)
            for (isu_id, number), rows in server.results.items()
            for row in rows
        }
    assert {r.outcome for r in report.races} == {"checked"} and len(report.races) == len(numbers)
    known = store.competitor_ids("isu-api")
    assert set(known) == {skater_id for skater_id, _ in served}
    stored = set(store.results("lt-wc", "2025-26")["competitor"])
    assert set(known.values()) <= stored


# --- Team and mass-start rows, status 2 as DQ ---------------------------------------------------


def test_team_and_mass_start_races_are_stored_as_the_apis_clients_read_them(
    http_server: HTTPServer, store: Store
) -> None:
    with IsuFixtureServer(server=http_server) as server:
        team_and_mass_start_event(server)
        with client(server) as api:
            report = sync_season(store, api, SEASON)
    assert set(outcomes(report).values()) == {"added"}
    results = store.results("lt-wc", SEASON).set_index("name")
    pursuit = results[results["race_id"].str.endswith("/women-team-pursuit-a")]
    assert pursuit["competitor"].tolist() == ["team-ned", "team-jpn", "team-can", "team-usa"]
    assert pursuit["status"].tolist() == ["finished", "finished", "finished", "DQ"]
    mass_start = results[results["race_id"].str.endswith("/women-mass-start-a")]
    sprints = mass_start[["s1", "s2", "s3", "s4", "sprint_total", "laps"]]

    def row(name: str) -> list[int | None]:
        return [None if pd.isna(value) else int(value) for value in sprints.loc[name]]

    assert row("Ann SCHOUTEN") == [3, None, None, 60, 63, 16]
    assert row("Ann LOLLOBRIGIDA") == [5, 3, None, None, 8, 16]


# --- Polite polling: an idle round asks once per event -------------------------------------------


def test_an_idle_watch_round_asks_once_per_event_and_a_changed_race_once_more(
    season: IsuFixtureServer, store: Store
) -> None:
    lines: list[str] = []
    rounds: list[list[str]] = []

    def between_rounds(_seconds: float) -> None:
        rounds.append([s.path for s in season.served()])
        season.clear_log()
        if len(rounds) == 2:  # after the idle round: one race corrected
            rows = season.results[("2027_NOR_0001", 2)]
            rows[1]["time"], rows[2]["time"] = "1:14.60", "1:14.90"
            season.competition("2027_NOR_0001", 2)["lastUpdate"] = "2026-11-21T18:00:00Z"

    with client(season) as api:
        done = watch(store, api, SEASON, rounds=3, sleep=between_rounds, emit=lines.append)
    rounds.append([s.path for s in season.served()])
    assert done == 3
    listing = ["/events/?season=2027", "/events/?page=2&season=2027"]
    competitions = [f"/events/{e}/competitions/" for e in ("2027_NED_0001", "2027_NOR_0001", "2027_GER_0001")]
    assert len(rounds[0]) == 2 + 3 + 6  # the first round reads every race
    assert rounds[1] == [*listing, *competitions]  # idle: the listing and one request per event
    assert rounds[2] == [
        *listing,
        *competitions[:2],
        "/events/2027_NOR_0001/competitions/2/results/?inSeconds=0",
        competitions[2],
    ]
    assert "replaced    WC2 Hamar - 1000 m Women Division A" in lines
    assert "sync 2026-27: nothing new (5 requests, 5 downloaded)" in lines


def test_watch_reads_every_race_again_each_reread_interval_and_a_sync_on_request(
    season: IsuFixtureServer, store: Store, database: Database
) -> None:
    """A correction made without a new ``lastUpdate`` is seen within ``reread_interval`` at the latest."""
    now = [0.0]
    asked: list[int] = []

    def wait(seconds: float) -> None:
        asked.append(sum("/results/" in s.path for s in season.served()))
        season.clear_log()
        now[0] += seconds

    plan = WatchPlan(interval=60, idle_interval=3600, reread_interval=3 * 3600)
    with client(season) as api:
        watch(store, api, SEASON, plan=plan, rounds=5, sleep=wait, clock=lambda: now[0], emit=lambda _line: None)
    asked.append(sum("/results/" in s.path for s in season.served()))
    assert asked == [6, 0, 0, 6, 0]  # rounds at 0, 1, 2, 3 and 4 hours: the 4th reads all again

    season.clear_log()
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["--database", store.url, "sync", "--season", SEASON, "--api-url", season.url, "--reread"], out=out, err=err
    )
    assert code == 0 and sum("/results/" in s.path for s in season.served()) == 6


def test_a_race_being_skated_is_read_every_round_until_official(season: IsuFixtureServer, store: Store) -> None:
    race = season.competition("2027_GER_0001", 1)
    race.update(isOfficial=False, isLive=True)
    memo = SyncMemo()
    with client(season) as api:
        sync_season(store, api, SEASON, memo=memo)
        season.clear_log()
        second = sync_season(store, api, SEASON, memo=memo)
    asked = [s.path for s in season.served() if "/results/" in s.path]
    assert asked == ["/events/2027_GER_0001/competitions/1/results/?inSeconds=0"]
    assert outcomes(second)["WC3 Inzell - 500 m Women Division A"] == "unchanged"


# --- The worker never dies on an answer ---------------------------------------------------------


def test_watch_survives_every_broken_answer_and_then_stores_the_season(season: IsuFixtureServer, store: Store) -> None:
    listing = "/events/"
    results = "/events/2027_NED_0001/competitions/1/results/"
    broken = [
        lambda: season.respond_once(listing, "", status=302, headers={"Location": "http://127.0.0.1:9/"}),
        lambda: season.respond_once(listing, b"[not gzip]", headers={"Content-Encoding": "gzip"}),
        lambda: season.respond_once(listing, "[" * 100_000 + "]" * 100_000),
        lambda: season.respond_once(listing, '{"results": [{"tags": ["world-cup", "senior"], "isuId": 1}]}'),
        lambda: season.fail_once(listing, 503),
        lambda: season.respond_once(results, '[{"rank": 1, "status": 0, "competitor": {}}]'),
    ]
    lines: list[str] = []

    def next_answer(_seconds: float) -> None:
        if broken:
            broken.pop(0)()

    broken.pop(0)()
    with client(season) as api:
        done = watch(store, api, SEASON, rounds=7, sleep=next_answer, emit=lines.append)
    assert done == 7
    failed = [line for line in lines if "failed" in line]
    assert len(failed) == 5 and all("\n" not in line and season.url in line for line in failed), failed
    assert any(line.startswith("refused     WC1 Heerenveen - 500 m Women Division A") for line in lines)
    assert len(store.races("lt-wc", SEASON)) == 6  # the last round found every race whole


def test_the_worker_process_survives_broken_answers_and_stops_cleanly_on_sigterm(
    season: IsuFixtureServer, database: Database, tmp_path: Path
) -> None:
    url = database.url("worker")
    for _ in range(3):
        season.respond_once("/events/", "[" * 100_000 + "]" * 100_000)
    command = [sys.executable, "-m", "standings", "--database", url, "sync", "--season", SEASON, "--watch"]
    command += ["--interval", "0.2", "--idle-interval", "0.2", "--retry-interval", "0.2"]
    command += ["--api-url", season.url, "--cache", str(tmp_path)]
    environment = {**os.environ, "RINKSIDE_DATABASE_URL": url}
    worker = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=environment, cwd=ROOT)
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 120
        assert worker.stderr is not None
        while time.monotonic() < deadline:
            line = worker.stderr.readline()
            lines.append(line)
            if "nothing new" in line:  # a round after the season was stored
                break
        worker.send_signal(signal.SIGTERM)
        remaining = worker.communicate(timeout=30)[1]
    finally:
        if worker.poll() is None:
            worker.kill()
    output = "".join(lines) + remaining
    assert worker.returncode == 0, output
    assert output.count("failed, nothing changed") >= 3 and "Traceback" not in output
    assert "stopped (interrupted)" in output
    stored = Store(url)
    try:
        assert len(stored.races("lt-wc", SEASON)) == 6
    finally:
        stored.close()
