"""Inside an event, long track from the ISU results API (issue 17): lap passages and start times.

The API's result rows carry each skater's laps (``laps[{number, time, passageTime, rank}]``)
and its races their start times; a sync stores both, the Event page shows a lap-time chart, a
table of passage or lap times and the programme's times of day, and both survive export and
import. The race is the recorded men's 1000 m of event ``2026_USA_0002`` (see
``tests/isu_fixtures.py``), served as World Cup #1 of 2026/27.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from streamlit.testing.v1 import AppTest

from standings.cli import main
from standings.errors import ImportRefused
from standings.model import time_or_none
from standings.present import charts, event
from standings.season import season_from_store
from standings.sources.isu_api import IsuApi
from standings.storage.shipped import open_store, read_season, write_season
from standings.storage.store import Store
from standings.storage.sync import sync_season
from ui.chart_element import drawn_figures

from isu_fixtures import MODERN, MODERN_EVENT, MODERN_RACE, SAMPLES_MISSING, IsuFixtureServer, samples_present

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SEASON = "2026-27"
RACE = "lt-wc/2026-27/wc1/men-1000-a"


@pytest.fixture
def synced(http_server: HTTPServer) -> Iterator[tuple[IsuFixtureServer, Store]]:
    """The finished men's 1000 m synced into the test's own store (the one the app opens)."""
    if not samples_present():
        pytest.skip(SAMPLES_MISSING)
    import streamlit

    streamlit.cache_data.clear()
    streamlit.cache_resource.clear()
    with IsuFixtureServer.from_samples(page_size=2, server=http_server) as server:
        modern = server.events.pop(2026)
        server.events[2027] = [{**e, "season": 2027} for e in modern]
        server.modern_phase("late")
        store = open_store()
        with IsuApi(server.url, sleep=lambda _s: None, timeout=2.0, attempts=2, backoff=0.01) as api:
            report = sync_season(store, api, SEASON)
        assert {r.race_id: r.outcome for r in report.races}[RACE] == "added"
        yield server, store
        store.close()


def sample_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(
        (MODERN / "events-2026_USA_0002-competitions-N-results-men1000-late.json").read_text()
    )
    return rows


def test_every_lap_of_every_skater_is_stored_as_the_api_gives_it(synced: tuple[IsuFixtureServer, Store]) -> None:
    _, store = synced
    season = season_from_store(store, "lt-wc", SEASON)
    laps = event.race_laps(season, RACE)
    expected = {
        (
            f"{row['competitor']['skater']['firstName']} {row['competitor']['skater']['lastName'].upper()}",
            lap["number"],
        ): (
            lap["time"],
            lap["passageTime"],
            lap["rank"],
        )
        for row in sample_rows()
        for lap in row["laps"]
    }
    assert len(expected) == 98  # 32 skaters with 3 passages, one (status 2) with 2
    got = {
        (str(r.name), int(r.lap)): (r.lap_time, r.passage_time, None if pd.isna(r.lap_rank) else int(r.lap_rank))
        for r in laps.itertuples()
    }
    assert got == expected
    # In result order, passages named as a 1000 m is skated: 200 m, then every 400 m.
    first = laps[laps["rank"] == 1]
    assert first["name"].iloc[0] == "Conor MCDERMOTT-MOSTOWY"
    assert first["passage"].tolist() == ["200 m", "600 m", "1000 m"]
    assert first["passage_time"].tolist()[-1] == season.results.set_index("race_id").loc[RACE].iloc[0]["time"]
    assert first["lap_seconds"].tolist() == [16.61, 24.51, 26.48]


def test_a_second_sync_changes_nothing_and_laps_survive_export_and_import(
    synced: tuple[IsuFixtureServer, Store], tmp_path: Path
) -> None:
    server, store = synced
    with IsuApi(server.url, sleep=lambda _s: None, timeout=2.0, attempts=2, backoff=0.01) as api:
        again = sync_season(store, api, SEASON)
    assert not again.changed
    before = store.season_rows("lt-wc", SEASON)
    folder = write_season(store, "lt-wc", SEASON, tmp_path)
    assert (folder / "laps.csv").is_file()
    assert "start" in pd.read_csv(folder / "races.csv").columns
    other = Store(f"sqlite:///{tmp_path / 'other.sqlite'}")
    try:
        outcomes = other.import_races(list(read_season(folder)))
        assert {o for _, o in outcomes} == {"added"}
        after = other.season_rows("lt-wc", SEASON)
        assert after.laps is not None and before.laps is not None
        pd.testing.assert_frame_equal(after.laps, before.laps)
        assert after.races["start"].tolist() == before.races["start"].tolist() == ["2026-01-03T15:53-06:00"]
        # The same race again, from the files: unchanged (the fingerprint holds laps and start).
        assert {o for _, o in other.import_races(list(read_season(folder)))} == {"unchanged"}
    finally:
        other.close()


def test_the_event_page_shows_the_lap_chart_the_lap_table_and_the_start_time(
    synced: tuple[IsuFixtureServer, Store],
) -> None:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(circuit="lt-wc", season=SEASON, event="1", race=RACE)
    at.run()
    at.switch_page("pages/event.py")
    at.run()
    assert not at.exception, at.exception
    result_tab, programme_tab = at.tabs[0], at.tabs[1]
    caption = " ".join(c.value for c in result_tab.caption).replace("\\", "")
    assert "2026-01-03, 15:53 local time" in caption
    assert [s.value for s in result_tab.subheader][-1] == "Laps"
    chart = drawn_figures(result_tab)[0]
    named = [t["name"] for t in chart["data"] if t.get("showlegend", True) is not False]
    assert named[:3] == ["1. MCDERMOTT-MOSTOWY (USA)", "2. MCLEOD (USA)", "3. STOLZ (USA)"]
    stolz = next(t for t in chart["data"] if t["name"] == "3. STOLZ (USA)")
    assert stolz["x"] == ["200 m", "600 m", "1000 m"] and stolz["y"] == [17.44, 24.55, 25.97]
    field = next(t for t in chart["data"] if t["name"] == "others")
    assert len(field["meta"]["field"]) == 33 - 5
    board = next(frame.value for frame in result_tab.dataframe if "200 m" in frame.value.columns)
    pairs = next(frame.value for frame in result_tab.dataframe if "behind_in_pair" in frame.value.columns)
    assert len(pairs) == 33 and pairs["pair"].max() == 17
    assert list(board.columns) == ["rank", "name", "nation", "200 m", "600 m", "1000 m"]
    assert len(board) == 33 and board.iloc[0]["1000 m"] == "1:07.606"
    control = next(w for w in at.get("button_group") if "Lap times" in str(w.proto))
    control.set_value("Lap times").run()
    assert not at.exception
    board = next(frame.value for frame in at.tabs[0].dataframe if "200 m" in frame.value.columns)
    assert board.iloc[0][["200 m", "600 m", "1000 m"]].tolist() == ["16.61", "24.51", "26.48"]
    programme = programme_tab.dataframe[0].value
    row = programme[programme["race"] == "1000 m Men"].iloc[0]
    assert (row["day"], row["start"], row["status"]) == ("2026-01-03", "15:53", "official")
    # The whole timetable, day by day at the rink's local time (Milwaukee: UTC-6), not only the race stored.
    assert len(programme) == 14 and programme["status"].value_counts().to_dict() == {"to come": 13, "official": 1}
    assert programme.iloc[0][["day", "start", "race"]].tolist() == ["2026-01-02", "17:32", "3000 m Women"]
    assert programme["day"].tolist() == sorted(programme["day"])


def test_a_changed_timetable_is_stored_and_an_unchanged_one_writes_nothing(
    synced: tuple[IsuFixtureServer, Store],
) -> None:
    server, store = synced
    version = store.data_version()
    server.competition(MODERN_EVENT, 1)["start"] = "2026-01-02T23:45:00Z"
    with IsuApi(server.url, sleep=lambda _s: None, timeout=2.0, attempts=2, backoff=0.01) as api:
        report = sync_season(store, api, SEASON)
        assert report.changed and report.timetables_changed == 1
        assert {r.outcome for r in report.races} <= {"unchanged", "not started"}
        assert store.data_version() != version
        season = season_from_store(store, "lt-wc", SEASON)
        women_3000 = event.programme(season, 1).iloc[0]
        assert (women_3000["race"], women_3000["start"]) == ("3000 m Women", "17:45")
        version = store.data_version()
        assert not sync_season(store, api, SEASON).changed
        assert store.data_version() == version


def cli(command: str) -> tuple[int, str, str]:
    """``standings`` with the words of ``command``: the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(shlex.split(command), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_event_laps_as_csv(synced: tuple[IsuFixtureServer, Store]) -> None:
    code, out, err = cli(
        f"event --circuit lt-wc --season {SEASON} --event 1 --race men-1000-a --table laps --format csv"
    )
    assert code == 0, err
    laps = pd.read_csv(io.StringIO(out), dtype=str)
    assert len(laps) == 98 and "98 rows" in err
    assert laps.iloc[2][["name", "passage", "lap_time", "passage_time", "lap_rank"]].tolist() == [
        "Conor MCDERMOTT-MOSTOWY",
        "1000 m",
        "26.48",
        "1:07.606",
        "1",
    ]


def test_a_sheet_race_has_no_laps_and_the_cli_says_so() -> None:
    code, out, err = cli("event --circuit lt-wc --season 2025-26 --event 1 --race men-1000-a --table laps")
    assert code == 1 and "the source gives no laps" in err and out == ""


@pytest.mark.parametrize(
    ("lap", "field", "problem"),
    [
        ({"number": 1, "time": "16.6x", "passageTime": "16.614", "rank": 2}, "laps.time", "not a time"),
        ({"number": 1, "time": "16.61", "passageTime": "1:75.000", "rank": 2}, "laps.passageTime", "75 seconds"),
        ({"number": 0, "time": "16.61", "passageTime": "16.614", "rank": 2}, "laps.0.number", "greater than"),
    ],
)
def test_a_bad_lap_refuses_the_race_naming_the_row_and_field(
    http_server: HTTPServer, lap: dict[str, Any], field: str, problem: str
) -> None:
    if not samples_present():
        pytest.skip(SAMPLES_MISSING)
    with IsuFixtureServer.from_samples(page_size=2, server=http_server) as server:
        server.modern_phase("late")
        rows = sample_rows()
        rows[4]["laps"][0] = lap
        server.set_results(MODERN_EVENT, MODERN_RACE, rows)
        with IsuApi(server.url, sleep=lambda _s: None) as api:
            race = next(r for r in api.races(api.events("2025-26").events[0]).races if r.schedule_number == 4)
            with pytest.raises(ImportRefused) as refused:
                api.results(race)
    assert refused.value.row == 5 and field in str(refused.value.field), refused.value
    assert problem in str(refused.value)


def test_a_lap_given_twice_is_refused(http_server: HTTPServer) -> None:
    if not samples_present():
        pytest.skip(SAMPLES_MISSING)
    with IsuFixtureServer.from_samples(page_size=2, server=http_server) as server:
        server.modern_phase("late")
        rows = sample_rows()
        rows[0]["laps"][1] = {**rows[0]["laps"][1], "number": 1}
        server.set_results(MODERN_EVENT, MODERN_RACE, rows)
        with IsuApi(server.url, sleep=lambda _s: None) as api:
            race = next(r for r in api.races(api.events("2025-26").events[0]).races if r.schedule_number == 4)
            with pytest.raises(ImportRefused, match="lap 1 is given twice") as refused:
                api.results(race)
    assert refused.value.row == 1 and refused.value.field == "laps.number"


@given(st.sampled_from(["500", "1000", "1500", "3000", "5000", "10000"]))
def test_the_passages_of_a_distance_end_at_its_finish_every_400_m(distance: str) -> None:
    metres = int(distance)
    count = math.ceil(metres / 400)
    passages = [event.passage(distance, n) for n in range(1, count + 1)]
    assert passages[-1] == f"{metres} m"
    at = [int(p.removesuffix(" m")) for p in passages]
    assert all(b - a == 400 for a, b in itertools.pairwise(at))
    assert 0 < at[0] <= 400
    assert event.passage(distance, count + 1) == f"lap {count + 1}"  # no passage past the finish


def test_lap_chart_escapes_names_from_the_source() -> None:
    laps = pd.DataFrame(
        {
            "rank": pd.array([1, 1], dtype="Int64"),
            "competitor": ["x", "x"],
            "name": ["<b>Evil</b> %{x}", "<b>Evil</b> %{x}"],
            "nation": ["NED", "NED"],
            "lap": [1, 2],
            "passage": ["200 m", "600 m"],
            "lap_time": ["16.61", "24.51"],
            "lap_seconds": pd.array([16.61, 24.51], dtype="Float64"),
            "passage_time": ["16.614", "41.126"],
            "lap_rank": pd.array([1, pd.NA], dtype="Int64"),
        }
    )
    figure = charts.lap_chart(laps, title="t", as_of="a", source="s").to_dict()
    trace = figure["data"][0]
    assert "<b>" not in json.dumps(trace["customdata"]) and "%{x}" not in json.dumps(trace["customdata"])
    assert "&lt;b&gt;Evil&lt;/b&gt; &#37;{x}" in trace["customdata"][0][0]
    assert trace["customdata"][1][3] == ""  # no rank at that passage: nothing said


def test_a_start_is_shown_at_the_rinks_local_time_or_said_to_be_utc() -> None:
    assert event.start_time("2026-01-03T15:53-06:00") == "15:53"
    assert event.start_time("2025-11-14T20:00Z") == "20:00 UTC"  # the rink's time zone unknown
    assert event.start_time("<script>") is None and event.start_time(None) is None


def test_sync_stores_a_start_at_the_rinks_offset_or_in_utc_when_the_zone_is_unknown() -> None:
    from dataclasses import replace
    from datetime import UTC, date, datetime
    from zoneinfo import ZoneInfo

    from standings.sources.isu_api import ApiEvent, ApiRace
    from standings.sources.isu_api.races import race_start as _start

    rink = ApiEvent(
        isu_id="2027_XXX_0001",
        name="ISU World Cup Speed Skating",
        season="2026-27",
        world_cup=1,
        start=date(2026, 11, 13),
        end=date(2026, 11, 15),
        venue="Nowhere Oval",
        city="Nowhere",
        country="XXX",
        time_zone=None,
        is_final=False,
        cancelled=False,
        tags=("world-cup", "senior"),
    )
    moment = datetime(2026, 11, 13, 20, 0, tzinfo=UTC)
    race = ApiRace(rink, 1, "500m Women", "500", "women", "A", 0, True, None, moment, moment.date())
    assert _start(race) == "2026-11-13T20:00Z"
    # With the zone known, the client gives the start at the rink's time (see isu_api.normalise._race).
    amsterdam = moment.astimezone(ZoneInfo("Europe/Amsterdam"))
    local = replace(race, event=replace(rink, time_zone="Europe/Amsterdam"), start=amsterdam)
    assert _start(local) == "2026-11-13T21:00+01:00"
    assert event.start_time(_start(local)) == "21:00"


# --- Pairs (every shipped long-track race; no shared files needed) ------------------------------


def test_every_pair_of_every_shipped_long_track_race_agrees_with_the_ranks() -> None:
    """Each pair holds at most two, one per lane; a quartet start (Division B's long distances)
    four, two per lane; a team pursuit heat two teams. In each, the faster is the better ranked."""
    import standings

    season = standings.load_season("lt-wc", "2025-26")
    checked = quartets = 0
    for race_id in season.races["race_id"]:
        pairs = event.race_pairs(season, race_id)
        if "mass-start" in race_id:
            assert pairs.empty, race_id
            continue
        rows = season.results[season.results["race_id"] == race_id]
        assert len(pairs) == (rows["pair"].notna() | rows["heat"].notna()).sum(), race_id  # not the withdrawn
        for number, pair in pairs.groupby("pair"):
            assert len(pair) <= 4 and pair["side"].value_counts().max() <= 2, (race_id, number)
            quartets += len(pair) > 2
            timed = pair.dropna(subset=["rank"]).assign(
                gap=lambda f: f["behind_in_pair"].fillna("+0.00").str.lstrip("+").map(time_or_none)
            )
            by_time = timed.sort_values(["gap", "rank"])
            distinct = by_time.drop_duplicates("gap")
            assert distinct["rank"].is_monotonic_increasing, (race_id, number)
            checked += 1
    assert checked > 1000 and quartets > 20


def test_the_pairs_of_a_1500_m_and_the_heats_of_a_team_pursuit_as_the_sheets_print_them() -> None:
    import standings

    season = standings.load_season("lt-wc", "2025-26")
    pairs = event.race_pairs(season, "lt-wc/2025-26/wc1/men-1500-a")
    first = pairs[pairs["pair"] == 1]
    assert first[["side", "name", "time", "behind_in_pair"]].astype(object).where(
        first.notna(), None
    ).values.tolist() == [
        ["In", "Taiyo NONOMURA", "1:42.93(4)", None],
        ["Out", "Mathias VOSTÉ", "1:43.82", "+0.89"],  # 1:43.82 - 1:42.93: the thousandth does not count
    ]
    heats = event.race_pairs(season, "lt-wc/2025-26/wc1/men-team-pursuit-a")
    last = heats[heats["pair"] == 4]
    assert last[["side", "name", "behind_in_pair"]].astype(object).where(last.notna(), None).values.tolist() == [
        ["Finish", "UNITED STATES OF AMERICA", None],
        ["Crossing", "ITALY", "+1:07.21"],  # as the sheet prints Italy behind the winner, the same team
    ]


def test_each_programme_is_in_skating_order_as_the_sheets_number_their_races() -> None:
    import standings

    season = standings.load_season("lt-wc", "2025-26")
    for number in season.world_cups:
        races = event.programme(season, number)
        numbers = races["number"].dropna().astype(int).tolist()
        assert len(numbers) == len(races) and numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
        days = races["day"].tolist()
        assert days == sorted(days), number  # day by day, and within a day in the sheets' order
    assert event.programme_number("wc1/8_result_men_1000_a-signed_20251115174506.pdf") == 8
    assert event.programme_number("isu-api:2026_USA_0002/4") == 4
    assert event.programme_number("rounds.csv") is None and event.programme_number("isu-api:x/4/../9") is None


def test_the_apis_start_number_is_the_pair_and_the_competitor_number_the_bib(
    synced: tuple[IsuFixtureServer, Store],
) -> None:
    """In the API's rows ``startNumber`` is the pair (1 to 17 in the recorded 1000 m: each shared by
    an In and an Out skater, the first pair with one) and ``competitor.number`` the bib."""
    _, store = synced
    season = season_from_store(store, "lt-wc", SEASON)
    result = event.race_results(season, RACE).set_index("name")
    winner = result.loc["Conor MCDERMOTT-MOSTOWY"]
    assert (winner["pair"], winner["lane"]) == (16, "Out")
    expected = {
        f"{r['competitor']['skater']['firstName']} {r['competitor']['skater']['lastName'].upper()}": (
            r["competitor"]["number"],
            r["startNumber"],
        )
        for r in sample_rows()
    }
    stored = season.results[season.results["race_id"] == RACE]
    assert {n: (int(b), int(p)) for n, b, p in zip(stored["name"], stored["bib"], stored["pair"], strict=True)} == (
        expected
    )
    pairs = event.race_pairs(season, RACE)
    sizes = pairs.groupby("pair").size()
    assert len(sizes) == 17 and sizes.loc[1] == 1 and set(sizes.drop(1)) == {2}
    pair_16 = pairs[pairs["pair"] == 16].set_index("side")
    assert pair_16.loc["Out", "name"] == "Conor MCDERMOTT-MOSTOWY" and pd.isna(pair_16.loc["Out", "behind_in_pair"])


def test_the_event_page_opens_on_the_newest_division_a_race_of_the_gender() -> None:
    import standings

    season = standings.load_season("lt-wc", "2025-26")
    programme = event.programme(season, 4)
    assert event.latest_race(programme, "men") == "lt-wc/2025-26/wc4/men-mass-start-a"  # the last race, No. 28
    assert event.latest_race(programme, "women") == "lt-wc/2025-26/wc4/women-mass-start-a"
    only_b = programme[programme["division"] == "B"]
    assert event.latest_race(only_b, "women") == str(only_b[only_b["gender"] == "women"]["race_id"].iloc[-1])
    with pytest.raises(ValueError, match="no stored race"):
        event.latest_race(programme.iloc[0:0], "men")
