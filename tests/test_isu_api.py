"""The ISU results API client against a real HTTP server on 127.0.0.1.

Tests marked ``samples`` serve the shared recorded responses (``isu_fixtures``) and skip, with
one reason, when ``../shared/data/isu-api-samples`` is missing; the others build their own data.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from standings.errors import ImportRefused, UnknownSelection
from standings.model import DISTANCES
from standings.rules import rules_for
from standings.sources.isu_api import (
    BASE_URL_VARIABLE,
    DEFAULT_BASE_URL,
    ApiEvent,
    ApiRace,
    DirectoryCache,
    IsuApi,
    IsuApiNotFound,
    IsuApiUnavailable,
    RaceResults,
    api_season,
    season_id,
)

from isu_fixtures import MODERN_EVENT, MODERN_RACE, SAMPLES_MISSING, IsuFixtureServer, samples_present

samples = pytest.mark.skipif(not samples_present(), reason=SAMPLES_MISSING)
RESULTS = f"/events/{MODERN_EVENT}/competitions/{MODERN_RACE}/results/"


class Sleeps(list[float]):
    """Records the client's waits between retries instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def recorded(http_server: HTTPServer) -> Iterator[IsuFixtureServer]:
    """The shared samples served on 127.0.0.1, two events per listing page (to paginate)."""
    if not samples_present():
        pytest.skip(SAMPLES_MISSING)
    with IsuFixtureServer.from_samples(page_size=2, server=http_server) as server:
        yield server


def _event(
    isu_id: str, start: str, *, season: int = 2027, tags: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "isuId": isu_id,
        "name": "ISU World Cup Speed Skating",
        "start": start,
        "end": start,
        "season": season,
        "tags": ["world-cup", "senior"] if tags is None else tags,
        "track": {"name": "Thialf", "city": "Heerenveen", "country": "NED", "timeZone": "Europe/Amsterdam"},
        "isCancelled": False,
        "someFieldTheClientIgnores": {"x": 1},
        **extra,
    }


def _row(
    rank: int | None, last: str, time_text: str | None, *, status: int | None = 0, skater_id: int = 1
) -> dict[str, Any]:
    return {
        "type": "ind",
        "competitor": {
            "number": skater_id,
            "skater": {"id": skater_id, "firstName": "Ann", "lastName": last, "country": "NED", "gender": "F"},
        },
        "startLane": "I",
        "rank": rank,
        "status": status,
        "time": time_text,
        "laps": [],
    }


@pytest.fixture
def synthetic(http_server: HTTPServer) -> Iterator[IsuFixtureServer]:
    """A server with one 2026/27 event and one race (women's 500 m A, official), no shared files needed."""
    with IsuFixtureServer(page_size=2, server=http_server) as server:
        server.add_event(_event("2027_NED_0001", "2026-11-14"))
        server.competitions["2027_NED_0001"].append(
            {
                "scheduleNumber": 1,
                "title": "1st 500m Women",
                "start": "2026-11-14T14:00:00Z",
                "distance": {"identifier": "ID_500", "name": "500 Meter", "distance": 500},
                "category": "F",
                "division": "A",
                "isOfficial": True,
                "lastUpdate": "2026-11-14T15:00:00Z",
            }
        )
        server.results[("2027_NED_0001", 1)] = [
            _row(1, "One", "37.810", skater_id=1),
            _row(2, "Two", "38.223", skater_id=2),
            _row(2, "Three", "38.223", skater_id=3),
            _row(4, "Four", None, skater_id=4),
        ]
        yield server


def _client(server: IsuFixtureServer, **options: Any) -> IsuApi:
    defaults: dict[str, Any] = {"timeout": 2.0, "attempts": 3, "backoff": 0.01, "max_backoff": 0.05, "sleep": Sleeps()}
    return IsuApi(server.url, **{**defaults, **options})


def _first_race(api: IsuApi, season: str = "2026-27") -> ApiRace:
    return api.races(api.events(season).events[0]).races[0]


def _sync(api: IsuApi, season: str) -> dict[tuple[str, int], RaceResults]:
    """Everything of a season, as a sync would fetch it."""
    return {
        (race.event.isu_id, race.schedule_number): api.results(race)
        for event in api.events(season).events
        for race in api.races(event).races
    }


# --- Seasons and times ---------------------------------------------------------------------


def test_season_ids_and_api_season_numbers_convert_both_ways() -> None:
    assert api_season("2011-12") == 2012
    assert api_season("1999-00") == 2000
    assert season_id(2012) == "2011-12"
    assert season_id(2000) == "1999-00"
    for wrong in ("2011-13", "2011", "11-12"):
        with pytest.raises(UnknownSelection, match="is not a season like 2011-12"):
            api_season(wrong)


def test_times_with_thousandths_hundredths_and_minutes() -> None:
    """One reader of times for every source (``model.time_seconds``): the API's, the sheets', short track's."""
    from standings.model import time_or_none, time_seconds

    assert time_seconds("1:07.606") == 67.606
    assert time_seconds("37.78") == 37.78
    assert time_seconds("17.881") == 17.881
    assert time_seconds("16.6") == 16.6
    assert time_seconds("1:07.01(2)") == 67.012  # a sheet's thousandth in brackets
    assert time_seconds("2:38.409") == 158.409
    for wrong in ("1:4x.12", "1:75.000", "DQ", "1:07.012(3)", "", "37.7812"):
        with pytest.raises(ValueError, match="is not a time"):
            time_seconds(wrong)
        assert time_or_none(wrong) is None
    assert time_or_none(None) is None and time_or_none(" 37.78 ") == 37.78


def test_base_url_from_argument_then_environment_then_the_isu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BASE_URL_VARIABLE, raising=False)
    with IsuApi() as api:
        assert api.base_url == DEFAULT_BASE_URL
    monkeypatch.setenv(BASE_URL_VARIABLE, "http://127.0.0.1:9/mirror/")
    with IsuApi() as api:
        assert api.base_url == "http://127.0.0.1:9/mirror"
    with IsuApi("http://127.0.0.1:8") as api:
        assert api.base_url == "http://127.0.0.1:8"


# --- The 2011/12 samples: old shape ----------------------------------------------------------


@samples
def test_2011_12_calendar_across_pages(recorded: IsuFixtureServer) -> None:
    with _client(recorded) as api:
        calendar = api.events("2011-12")
    assert [(e.world_cup, e.isu_id, e.city) for e in calendar.events] == [
        (1, "2012_RUS_0001", "Chelyabinsk"),
        (2, "2012_KAZ_0001", "Nur-Sultan"),
        (3, "2012_NED_0001", "Heerenveen"),
        (4, "2012_USA_0001", "Salt Lake City"),
        (5, "2012_NOR_0001", "Hamar"),
    ]
    assert calendar.pages == 3
    assert calendar.cancelled == ()
    assert not any(e.is_final for e in calendar.events)
    assert calendar.events[0].start == date(2011, 11, 18) and calendar.events[0].end == date(2011, 11, 20)
    # The listing's `next` names the ISU's host; the client stays on the configured server.
    assert [s.path for s in recorded.served()] == [
        "/events/?season=2012",
        "/events/?page=2&season=2012",
        "/events/?page=3&season=2012",
    ]


@samples
def test_2011_12_races_in_the_projects_terms(recorded: IsuFixtureServer) -> None:
    with _client(recorded) as api:
        calendar = api.events("2011-12")
        programmes = [api.races(event) for event in calendar.events]
    races = [race for programme in programmes for race in programme.races]
    assert len(races) == 82
    assert all(p.unsupported == () for p in programmes)
    assert {r.distance for r in races} <= set(DISTANCES)
    assert Counter(r.division for r in races) == {"A": 40, "B": 42}
    assert all(r.official for r in races)
    first = programmes[0].races[4]
    assert (first.title, first.kind, first.division, first.race_number, first.day) == (
        "Essent ISU World Cup - 1st 500m Ladies Division A",
        "women-500",
        "A",
        1,
        date(2011, 11, 18),
    )
    women_500 = [r for r in races if r.kind == "women-500"]
    assert Counter((r.event.world_cup, r.division, r.race_number) for r in women_500) == {
        (wc, division, number): 1 for wc in (1, 2, 3, 4) for division in "AB" for number in (1, 2)
    }


@samples
def test_2011_12_results_keep_ties_and_ranks_without_times(recorded: IsuFixtureServer) -> None:
    with _client(recorded) as api:
        programme = api.races(api.events("2011-12").event(1))
        race = next(r for r in programme.races if r.kind == "women-500" and r.division == "A" and r.race_number == 1)
        results = api.results(race)
    assert [(r.rank, r.name, r.nation) for r in results.results[:4]] == [
        (1, "Jing YU", "CHN"),
        (2, "Maki TSUJI", "JPN"),
        (2, "Thijsje OENEMA", "NED"),
        (4, "Annette GERRITSEN", "NED"),
    ]
    assert results.results[0].skater_id == 402 and results.results[0].time_seconds == 37.81
    assert all(r.status == 0 for r in results.results)
    assert (len(results.results), results.pending, results.in_progress) == (24, 0, False)


@samples
def test_a_ranked_row_without_time_is_a_result_and_an_unranked_one_is_pending(recorded: IsuFixtureServer) -> None:
    with _client(recorded) as api:
        calendar = api.events("2011-12")
        salt_lake = api.races(calendar.event(4))
        first_500 = next(
            r for r in salt_lake.races if r.kind == "women-500" and r.division == "A" and r.race_number == 1
        )
        yu = next(r for r in api.results(first_500).results if r.last_name == "Yu")
        chelyabinsk = api.races(calendar.event(1))
        b_3000 = next(r for r in chelyabinsk.races if r.kind == "women-3000" and r.division == "B")
        with_gap = api.results(b_3000)
    assert (yu.rank, yu.time, yu.time_seconds, yu.status, yu.scoring) == (20, None, None, 0, True)
    # The old shape has no status: a row with neither rank nor status reads as "not raced yet",
    # so this official, long-finished race counts as in progress (see the report).
    assert (len(with_gap.results), with_gap.pending, with_gap.in_progress) == (15, 1, True)


@samples
def test_women_500_points_by_hand_from_the_sample_ranks(recorded: IsuFixtureServer) -> None:
    """World Cups #1-#4, both divisions, with the 2011/12 table (what the lead's golden test will check)."""
    rules = rules_for("lt-wc", "2011-12")
    totals: Counter[str] = Counter()
    with _client(recorded) as api:
        for event in api.events("2011-12").events[:4]:
            for race in api.races(event).races:
                if race.kind != "women-500":
                    continue
                table = rules.table_for(race.division, race.kind)
                assert table is not None
                for result in api.results(race).results:
                    if result.scoring and result.rank is not None:
                        totals[result.name] += table.points(result.rank, "2011-12")[0]
    # LEE 50+80+100+80+80+60+100+100; WOLF 40+70+80+100+50+80+24+70; YU 100+100+100+100+5+80.
    assert totals.most_common(5) == [
        ("Sang-Hwa LEE", 650),
        ("Jenny WOLF", 514),
        ("Jing YU", 485),
        ("Thijsje OENEMA", 392),
        ("Nao KODAIRA", 375),
    ]
    assert totals["Maki TSUJI"] == 328  # 80 for the shared 2nd place at WC1
    assert totals["Anastasia BUCSIS"] == 4 * 8 + 25  # four 18th places in A, a Division B win


# --- The modern samples: a race in progress, then finished -----------------------------------


@samples
def test_modern_programme(recorded: IsuFixtureServer) -> None:
    with _client(recorded) as api:
        programme = api.races(api.events("2025-26").events[0])
    by_number = {r.schedule_number: r for r in programme.races}
    assert len(by_number) == 14
    assert (by_number[9].distance, by_number[9].race_number, by_number[9].gender) == ("mass-start", 1, "men")
    assert (by_number[12].distance, by_number[12].race_number) == ("500", 2)
    assert all(r.division == "A" for r in programme.races)  # no division at this event
    # 23:32 UTC on 2 January is the afternoon of 2 January in Milwaukee; 00:08 UTC on 3 January too.
    assert (by_number[1].day, by_number[2].day) == (date(2026, 1, 2), date(2026, 1, 2))
    assert by_number[1].start is not None and by_number[1].start.utcoffset() is not None


@samples
def test_modern_race_in_progress_then_official(recorded: IsuFixtureServer) -> None:
    with _client(recorded) as api:
        race = next(r for r in _programme_races(api) if r.schedule_number == MODERN_RACE)
        early = api.results(race)
        recorded.modern_phase("late")
        race = next(r for r in _programme_races(api) if r.schedule_number == MODERN_RACE)
        late = api.results(race)
    assert (len(early.results), early.pending, early.race.official, early.in_progress) == (15, 18, False, True)
    assert (len(late.results), late.pending, late.race.official, late.in_progress) == (33, 0, True, False)
    assert [(r.rank, r.name, r.time) for r in late.results[:3]] == [
        (1, "Conor MCDERMOTT-MOSTOWY", "1:07.606"),
        (2, "Cooper MCLEOD", "1:07.845"),
        (3, "Jordan STOLZ", "1:07.968"),
    ]
    disqualified = late.results[-1]
    assert (disqualified.rank, disqualified.status, disqualified.time, disqualified.scoring) == (
        None,
        2,
        "1:15.855",
        False,
    )
    assert late.results[0].lane == "Out" and late.results[0].skater_id == 1393
    assert sum(r.scoring for r in late.results) == 32


def _programme_races(api: IsuApi) -> tuple[ApiRace, ...]:
    return api.races(api.events("2025-26").events[0]).races


# --- Caching: a repeat sync downloads nothing unchanged ----------------------------------------


@samples
def test_repeat_sync_of_2011_12_downloads_nothing(recorded: IsuFixtureServer, tmp_path: Path) -> None:
    with _client(recorded, cache=tmp_path / "cache") as api:
        first = _sync(api, "2011-12")
        assert api.stats.downloads == api.stats.requests == 3 + 5 + 82
    recorded.clear_log()
    with _client(recorded, cache=tmp_path / "cache") as api:  # a new process, the same cache folder
        second = _sync(api, "2011-12")
        assert (api.stats.downloads, api.stats.not_modified) == (0, 90)
    assert {s.status for s in recorded.served()} == {304}
    assert {k: v.results for k, v in second.items()} == {k: v.results for k, v in first.items()}
    assert all(v.not_modified for v in second.values())


@samples
def test_a_changed_race_is_the_only_download(recorded: IsuFixtureServer, tmp_path: Path) -> None:
    with _client(recorded, cache=DirectoryCache(tmp_path)) as api:
        _sync(api, "2011-12")
        rows = recorded.results[("2012_USA_0001", 1)]
        second_placed = f"{rows[1]['skater']['firstName']} {rows[1]['skater']['lastName'].upper()}"
        rows[0], rows[1] = {**rows[1], "rank": 1}, {**rows[0], "rank": 2}
        recorded.set_results("2012_USA_0001", 1, rows, last_update="2012-01-21T23:30:00Z")
        before = api.stats.downloads
        again = _sync(api, "2011-12")
        assert api.stats.downloads - before == 2  # the Salt Lake City race list and that race's results
    changed = again[("2012_USA_0001", 1)]
    assert not changed.not_modified and changed.results[0].name == second_placed
    assert changed.race.last_update is not None and changed.race.last_update.hour == 23


def test_etag_revalidation_without_shared_files(synthetic: IsuFixtureServer) -> None:
    with _client(synthetic) as api:
        race = _first_race(api)
        first = api.results(race)
        second = api.results(race)
    assert (first.not_modified, second.not_modified) == (False, True)
    assert second.results == first.results
    assert [s.status for s in synthetic.served()][-2:] == [200, 304]


def test_without_etags_every_fetch_downloads(http_server: HTTPServer, tmp_path: Path) -> None:
    with IsuFixtureServer(etags=False, server=http_server) as server:
        server.add_event(_event("2027_NED_0001", "2026-11-14"))
        with _client(server, cache=tmp_path) as api:
            api.events("2026-27")
            api.events("2026-27")
            assert (api.stats.downloads, api.stats.not_modified) == (2, 0)
        assert list(tmp_path.iterdir()) == []


def test_a_corrupt_cache_entry_is_a_miss(synthetic: IsuFixtureServer, tmp_path: Path) -> None:
    with _client(synthetic, cache=tmp_path) as api:
        api.events("2026-27")
    for entry in tmp_path.iterdir():
        entry.write_text("{not json", encoding="utf-8")
    with _client(synthetic, cache=tmp_path) as api:
        assert len(api.events("2026-27").events) == 1
        assert api.stats.downloads == 1


# --- Calendars: filtering, numbering, finals, cancelled and removed events ---------------------


def test_calendar_keeps_senior_world_cups_numbered_by_start_date(http_server: HTTPServer) -> None:
    with IsuFixtureServer(page_size=2, server=http_server) as server:
        server.add_event(_event("2027_NOR_0001", "2026-12-05"))
        server.add_event(_event("2027_NED_0002", "2027-03-06", tags=["world-cup", "senior", "final"]))
        server.add_event(_event("2027_NED_0001", "2026-11-14"))
        server.add_event(_event("2027_POL_0001", "2026-11-20", tags=["world-cup", "junior"]))
        server.add_event(_event("2027_GER_0001", "2026-12-12", isCancelled=True))
        server.add_event(_event("2027_NED_0003", "2027-01-10", tags=["championships", "senior"]))
        with _client(server) as api:
            calendar = api.events("2026-27")
    assert [(e.world_cup, e.isu_id, e.is_final) for e in calendar.events] == [
        (1, "2027_NED_0001", False),
        (2, "2027_NOR_0001", False),
        (3, "2027_NED_0002", True),
    ]
    assert [(e.isu_id, e.world_cup, e.cancelled) for e in calendar.cancelled] == [("2027_GER_0001", 0, True)]
    assert (calendar.others, calendar.pages) == (2, 3)
    assert calendar.event(3).is_final
    with pytest.raises(UnknownSelection, match="no World Cup #4"):
        calendar.event(4)


def test_a_cancelled_event_is_reported_and_the_rest_renumbered(synthetic: IsuFixtureServer) -> None:
    synthetic.add_event(_event("2027_NOR_0001", "2026-11-07"))
    with _client(synthetic) as api:
        assert [e.isu_id for e in api.events("2026-27").events] == ["2027_NOR_0001", "2027_NED_0001"]
        synthetic.cancel_event("2027_NOR_0001")
        calendar = api.events("2026-27")
    assert [(e.world_cup, e.isu_id) for e in calendar.events] == [(1, "2027_NED_0001")]
    assert [e.isu_id for e in calendar.cancelled] == ["2027_NOR_0001"]


def test_a_removed_event_is_gone_and_its_races_are_not_found(synthetic: IsuFixtureServer) -> None:
    with _client(synthetic) as api:
        event: ApiEvent = api.events("2026-27").events[0]
        race = api.races(event).races[0]
        synthetic.remove_event("2027_NED_0001")
        assert api.events("2026-27").events == ()
        with pytest.raises(IsuApiNotFound, match=r"/events/2027_NED_0001/competitions/: not found \(HTTP 404\)"):
            api.races(event)
        with pytest.raises(IsuApiNotFound, match="results"):
            api.results(race)


def test_races_the_project_does_not_know_are_left_out_and_named(synthetic: IsuFixtureServer) -> None:
    synthetic.competitions["2027_NED_0001"].append(
        {"scheduleNumber": 2, "title": "Mixed Relay", "distance": {"name": "Mixed Relay"}, "category": "X"}
    )
    synthetic.competitions["2027_NED_0001"].append(
        {"scheduleNumber": 3, "title": "Team Pursuit Men Division B", "distance": {"distance": 3200}, "category": "M"}
    )
    with _client(synthetic) as api:
        programme = api.races(api.events("2026-27").events[0])
    assert [(r.schedule_number, r.kind, r.division, r.official) for r in programme.races] == [
        (1, "women-500", "A", True),
        (3, "men-team-pursuit", "B", False),
    ]
    assert programme.unsupported == (
        "2027_NED_0001 race 2 'Mixed Relay': distance 'Mixed Relay' is not one Rinkside knows",
    )


def test_team_rows_carry_the_team_at_the_rows_top_level(synthetic: IsuFixtureServer) -> None:
    # As the API's other public clients read a team row (API.md): `team` beside `rank`, not under `competitor`.
    synthetic.competition("2027_NED_0001", 1).update(
        title="Team Pursuit Women", distance={"identifier": "TP_6_LAPS", "name": "Team Pursuit", "distance": 2400}
    )
    synthetic.results[("2027_NED_0001", 1)] = [
        {
            "id": 501,
            "type": "team",
            "team": {"name": "Netherlands", "country": "NED", "gender": "F"},
            "rank": 1,
            "status": 0,
            "time": "2:55.000",
            "laps": [{"number": 1, "time": "20.10", "passageTime": "20.10", "rank": 1}],
        }
    ]
    with _client(synthetic) as api:
        race = _first_race(api)
        (team,) = api.results(race).results
    assert race.distance == "team-pursuit"
    assert (team.is_team, team.name, team.nation, team.time_seconds) == (True, "Netherlands", "NED", 175.0)
    assert [lap.passage_time for lap in team.laps] == ["20.10"]


# --- Faults: retries, refusals --------------------------------------------------------------


def test_a_500_is_retried_after_a_backoff(synthetic: IsuFixtureServer) -> None:
    sleeps = Sleeps()
    with _client(synthetic, sleep=sleeps, backoff=0.25, max_backoff=1.0) as api:
        race = _first_race(api)
        synthetic.fail_once(RESULTS.replace(MODERN_EVENT, "2027_NED_0001").replace(f"/{MODERN_RACE}/", "/1/"), 500)
        results = api.results(race)
    assert len(results.results) == 4
    assert (api.stats.retries, sleeps) == (1, [0.25])
    assert [s.status for s in synthetic.served()][-2:] == [500, 200]


def test_a_5xx_that_lasts_gives_up_naming_the_url(synthetic: IsuFixtureServer) -> None:
    path = "/events/2027_NED_0001/competitions/"
    with _client(synthetic, attempts=3) as api:
        event = api.events("2026-27").events[0]
        for _ in range(3):
            synthetic.fail_once(path, 503)
        with pytest.raises(IsuApiUnavailable, match=rf"{path}: HTTP 503 after the retries"):
            api.races(event)
    assert [s.status for s in synthetic.served()][-3:] == [503, 503, 503]


@pytest.mark.parametrize(("retry_after", "waited"), [("1", 1.0), ("120", 2.0)])
def test_a_429_waits_as_retry_after_says_within_the_cap(
    synthetic: IsuFixtureServer, retry_after: str, waited: float
) -> None:
    sleeps = Sleeps()
    with _client(synthetic, sleep=sleeps, max_retry_after=2.0) as api:
        synthetic.fail_once("/events/", 429, headers={"Retry-After": retry_after})
        calendar = api.events("2026-27")
    assert len(calendar.events) == 1
    assert sleeps == [waited]


def test_a_timeout_is_retried(synthetic: IsuFixtureServer) -> None:
    with _client(synthetic, timeout=0.2) as api:
        synthetic.delay_once("/events/", 0.8)
        started = time.monotonic()
        calendar = api.events("2026-27")
        elapsed = time.monotonic() - started
    assert len(calendar.events) == 1
    assert api.stats.retries == 1
    assert elapsed < 0.8  # the retry did not wait for the slow answer
    time.sleep(max(0.0, started + 0.9 - time.monotonic()))  # let the slow answer end inside this test


def test_truncated_json_is_refused_naming_the_url_and_not_retried(synthetic: IsuFixtureServer) -> None:
    path = "/events/2027_NED_0001/competitions/1/results/"
    with _client(synthetic) as api:
        race = _first_race(api)
        synthetic.respond_once(path, '[{"rank": 1, "ti')
        requests = api.stats.requests
        with pytest.raises(ImportRefused, match=rf"{path}\?inSeconds=0: the response is not valid JSON"):
            api.results(race)
        assert api.stats.requests == requests + 1


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"rank": "first"}, "rank", "valid integer"),
        ({"time": 37.81}, "time", "valid string"),
        ({"time": "37,81"}, "time", "is not a time"),
        (
            {"competitor": {"skater": {"id": 9, "firstName": "A", "country": "NED"}}},
            "competitor.skater.lastName",
            "required",
        ),
        ({"competitor": {}}, "competitor", "neither a skater nor a team"),
    ],
)
def test_a_wrong_row_refuses_that_race_naming_url_row_and_field(
    synthetic: IsuFixtureServer, change: dict[str, Any], field: str, words: str
) -> None:
    synthetic.competitions["2027_NED_0001"].append(
        {**synthetic.competition("2027_NED_0001", 1), "scheduleNumber": 2, "title": "2nd 500m Women"}
    )
    synthetic.results[("2027_NED_0001", 2)] = json.loads(json.dumps(synthetic.results[("2027_NED_0001", 1)]))
    synthetic.results[("2027_NED_0001", 2)][2].update(change)
    with _client(synthetic) as api:
        first, second = api.races(api.events("2026-27").events[0]).races
        with pytest.raises(ImportRefused) as refused:
            api.results(second)
        assert len(api.results(first).results) == 4  # the other race is fine
    assert refused.value.source.endswith("/events/2027_NED_0001/competitions/2/results/?inSeconds=0")
    assert (refused.value.row, refused.value.field) == (3, field)
    assert words in refused.value.problem
    assert f", row 3, field '{field}': " in str(refused.value)


def test_a_malformed_event_is_refused_naming_page_row_and_field(synthetic: IsuFixtureServer) -> None:
    synthetic.add_event(_event("2027_NOR_0001", "not a date"))
    with _client(synthetic) as api, pytest.raises(ImportRefused, match=r"season=2027, row 2, field 'start'"):
        api.events("2026-27")


# --- The client itself ----------------------------------------------------------------------


def test_requests_say_who_asks_and_the_client_closes(synthetic: IsuFixtureServer) -> None:
    with _client(synthetic) as api:
        api.events("2026-27")
    request, _ = synthetic.server.log[-1]
    assert request.headers["User-Agent"].startswith("Rinkside/0.1 (")
    assert api._client.is_closed
