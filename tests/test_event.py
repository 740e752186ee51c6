"""Inside an event (issue 17): the programme, every race's full result, links both ways, the CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from streamlit.testing.v1 import AppTest

import standings
from standings.cli import main
from standings.errors import UnknownSelection
from standings.present import event

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SHIPPED = [
    ("lt-wc", "2025-26"),
    ("st-wc", "2018-19"),
    ("st-wc", "2019-20"),
    ("st-wc", "2023-24"),
    ("st-wc", "2024-25"),
    ("st-wc", "2025-26"),
    ("st-jwc", "2025-26"),
]


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def open_event(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/event.py")
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("circuit", "season_id"), SHIPPED)
def test_every_race_of_every_shipped_event_opens(circuit: str, season_id: str) -> None:
    """Each World Cup's programme, then each of its races in turn, in one session."""
    season = standings.load_season(circuit, season_id)
    at = open_event(circuit=circuit, season=season_id)
    opened = 0
    for number in event.event_numbers(season):
        next(box for box in at.selectbox if box.label == "World Cup").set_value(number).run()
        assert not at.exception, (number, at.exception)
        races = event.programme(season, number)
        for race_id in races["race_id"].dropna():
            next(box for box in at.selectbox if box.label == "Race").set_value(race_id).run()
            assert not at.exception, (race_id, at.exception)
            result = at.tabs[0].dataframe[0].value
            assert len(result) == len(season.results[season.results["race_id"] == race_id]), race_id
            assert at.query_params["race"] == race_id
            opened += 1
    assert opened == len(season.races)


def test_the_mass_start_shows_laps_and_sprint_points_as_the_sheet_prints_them() -> None:
    at = open_event(circuit="lt-wc", season="2025-26", event="4", race="lt-wc/2025-26/wc4/men-mass-start-a")
    result = at.tabs[0].dataframe[0].value
    stolz = result.iloc[0]
    # The official sheet of the men's mass start at Hamar, 14 December 2025: Jordan STOLZ first
    # in 7:40.18 with 60 points from the final sprint; Bart SWINGS second, 1 + 40 sprint points.
    assert (stolz["rank"], stolz["name"], stolz["time"], stolz["laps"], stolz["sprint_points"]) == (
        1,
        "Jordan STOLZ",
        "7:40.18",
        16,
        "0 / 0 / 0 / 60",
    )
    swings = result.iloc[1]
    assert (swings["name"], swings["sprint_points"], swings["sprint_total"], swings["official_points"]) == (
        "Bart SWINGS",
        "0 / 1 / 0 / 40",
        41,
        54,
    )
    link = urlparse(stolz["skater_page"])
    assert link.path == "./skater" and parse_qs(link.query)["skater"] == ["jordan-stolz-usa"]


def test_a_race_links_to_the_skater_and_the_skater_back_to_the_race() -> None:
    at = open_event(circuit="lt-wc", season="2025-26", event="4", race="lt-wc/2025-26/wc4/men-mass-start-a")
    query = parse_qs(urlparse(at.tabs[0].dataframe[0].value.iloc[0]["skater_page"]).query)
    skater = AppTest.from_file(APP, default_timeout=180)
    for key, values in query.items():
        skater.query_params[key] = values[0]
    skater.run()
    skater.switch_page("pages/skater.py")
    skater.run()
    assert not skater.exception
    assert skater.header[0].value == "Jordan STOLZ"
    races = skater.dataframe[-1].value
    back = races.loc[races["race"] == "Mass Start", "event_page"].tolist()
    assert any(parse_qs(urlparse(u).query)["race"] == ["lt-wc/2025-26/wc4/men-mass-start-a"] for u in back)


def test_the_programme_says_what_is_official_and_what_is_to_come() -> None:
    season = standings.load_season("lt-wc", "2025-26")
    hamar = event.programme(season, 4)
    assert set(hamar["status"]) == {event.OFFICIAL} and len(hamar) == 27
    assert hamar["day"].tolist() == sorted(hamar["day"].tolist())
    heerenveen = event.programme(season, 5)  # in the season's programme, no result stored yet
    assert not heerenveen.empty and set(heerenveen["status"]) == {event.TO_COME}
    assert heerenveen["race_id"].isna().all()
    with pytest.raises(UnknownSelection, match="no World Cup #9"):
        event.programme(season, 9)


def test_a_short_track_race_shows_its_rounds_and_what_the_source_lost() -> None:
    at = open_event(circuit="st-wc", season="2019-20", event="6", race="st-wc/2019-20/wc6/men-1000-a-2")
    lost = [w.value for w in at.warning]
    assert any("Final A lacks podium place 1" in w for w in lost), lost
    rounds = at.tabs[0].dataframe[1].value
    assert rounds["round"].tolist()[0] == "Final A"
    final = at.tabs[0].dataframe[0].value
    assert (final["round"] == "Final A").sum() == rounds.loc[rounds["round"] == "Final A", "skaters"].iloc[0]


def test_a_hostile_race_in_the_link_falls_back_with_a_notice() -> None:
    at = open_event(circuit="lt-wc", season="2025-26", event="4", race="<script>alert(1)</script>")
    assert any("race" in w.value and "script" in w.value for w in at.warning)
    assert at.query_params["race"].startswith("lt-wc/2025-26/wc4/")


def test_cli_event_programme_and_race_as_csv() -> None:
    code, out, err = run("event", "--circuit", "st-wc", "--season", "2019-20", "--event", "1", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 11 and {r["status"] for r in rows} == {"official"}
    assert err == "11 races: 11 official\n"
    race = ("--race", "men-mass-start-a")
    code, out, err = run("event", "--circuit", "lt-wc", "--season", "2025-26", "--event", "4", *race, "--format", "csv")
    assert code == 0, err
    first = next(csv.DictReader(io.StringIO(out)))
    assert (first["name"], first["time"], first["sprint_points"]) == ("Jordan STOLZ", "7:40.18", "0 / 0 / 0 / 60")
    assert err.startswith("Mass Start Men, World Cup #4: ")
    code, _, err = run("event", "--circuit", "lt-wc", "--season", "2025-26", "--event", "4", "--race", "men-mass")
    assert code == 1 and "no race 'men-mass' at World Cup #4; its races: men-1500-a" in err
