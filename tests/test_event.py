"""Inside an event (issue 17): the programme, every race's full result, links both ways, the CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import standings
from standings.cli import main
from standings.errors import UnknownSelection
from standings.model import ANNOTATION_MEANINGS, QUALIFICATION_CODES, clock, heat_name
from standings.present import event, views

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
    shown = (swings["name"], swings["sprint_points"], int(swings["sprint_total"]), int(swings["official_points"]))
    assert shown == ("Bart SWINGS", "0 / 1 / 0 / 40", 41, 54)  # a column with gaps is shown as text
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
    assert rounds["round"].tolist() == [
        "Heats",
        "Rep.Quarterfinals",
        "Quarterfinals",
        "Rep.Semifinals",
        "Semifinals",
        "Final B",
        "Final A",
    ]
    assert any("Heats heat 2 lacks place(s) 1" in c.value.replace("\\", "") for c in at.caption)
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
    assert code == 1 and "no race 'men-mass' at World Cup #4; its races: women-500-b-1, men-500-b-1" in err


# --- Every heat, with its qualification codes ---------------------------------------------------


def test_the_results_sites_page_and_the_event_page_show_the_same_two_finals() -> None:
    """The shared page of the women's first 1000 m at Dordrecht 2019/20: Final A and Final B."""
    from shared_data import ROOT, needs_shared

    page_file = ROOT.parent / "shared" / "data" / "st-world-cup-2018-2020" / "raw_html_sample"
    page_file = page_file / "ISUWorldCup2019_20-Dordrecht(NED)-1000m(1)-w-Finals.html"
    if not page_file.exists():
        pytest.skip(needs_shared.kwargs["reason"])
    from standings.sources.short_track.results_page import read_results_page

    page = read_results_page(page_file)
    at = open_event(circuit="st-wc", season="2019-20", event="6", race="st-wc/2019-20/wc6/women-1000-a-1")
    finals = [
        (str(round_name), frame)
        for round_name, frame in zip(
            [m.value.strip("*").replace("\\", "") for m in at.tabs[0].markdown if m.value.startswith("**")],
            at.tabs[0].dataframe[2:],
            strict=True,
        )
        if str(round_name).startswith("Final")
    ]
    season = standings.load_season("st-wc", "2019-20")
    heats = event.race_heats(season, "st-wc/2019-20/wc6/women-1000-a-1")
    shown = set()
    for round_name, table in finals:
        rows = table.value
        keys = heats.loc[heats["round"] == round_name, "competitor"].tolist()
        assert rows["name"].tolist() == heats.loc[heats["round"] == round_name, "name"].tolist()
        for key, (_, row) in zip(keys, rows.iterrows(), strict=True):
            place = None if pd.isna(row["place"]) else int(row["place"])
            shown.add((round_name, key, place, row["time"], row["nation"]))
    on_page = {(r.heat.round, r.heat.competitor, r.heat.place, r.heat.time, r.nation) for r in page.rows}
    assert shown == on_page and len(on_page) == 9  # five in Final A, four in Final B


RoundTrip = tuple[pd.DataFrame, pd.DataFrame, list[str]]


@pytest.fixture(scope="module")
def heats_round_trip(tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    """The shipped seasons' heats as stored, as stored again after export and import, and the
    outcomes of a second import of the export (all ``unchanged`` when nothing was lost)."""
    from standings.storage.shipped import read_season, seed, write_season
    from standings.storage.store import Store

    folder = tmp_path_factory.mktemp("heats")
    source = Store(f"sqlite:///{folder / 'source.sqlite'}")
    seed(source)
    copy = Store(f"sqlite:///{folder / 'copy.sqlite'}")
    seasons = ("2018-19", "2019-20")
    for season_id in seasons:
        copy.import_races(list(read_season(write_season(source, "st-wc", season_id, folder / "data"))))
    again = copy.import_races([i for s in seasons for i in read_season(folder / "data" / "st-wc" / s)])
    stored = pd.concat([source.season_rows("st-wc", s).heats for s in seasons], ignore_index=True)
    copied = pd.concat([copy.season_rows("st-wc", s).heats for s in seasons], ignore_index=True)
    source.close()
    copy.close()
    return stored, copied, [outcome for _, outcome in again]


def test_every_heat_row_survives_export_and_import(heats_round_trip: RoundTrip) -> None:
    stored, copied, again = heats_round_trip
    assert len(stored) == 11_425  # every row of the scrape, data/PROVENANCE.md
    pd.testing.assert_frame_equal(copied, stored)
    assert set(again) == {"unchanged"} and len(again) == 121


@pytest.mark.parametrize("code", QUALIFICATION_CODES)
def test_each_qualification_code_is_stored_and_round_trips(code: str, heats_round_trip: RoundTrip) -> None:
    stored, copied, _ = heats_round_trip
    count = int((stored["qualification"] == code).sum())
    assert count > 0, f"no heat row carries {code}"
    assert int((copied["qualification"] == code).sum()) == count


def test_an_unknown_qualification_code_is_refused_naming_the_row_and_field(tmp_path: Path) -> None:
    from standings.errors import ImportRefused
    from standings.sources.short_track.rounds import COLUMNS, read_rounds

    path = tmp_path / "rounds.csv"
    row = {c: "" for c in COLUMNS}
    row.update(
        season="2019-2020",
        competition="Dordrecht(NED)",
        distance="500m",
        gender="w",
        round="Heats",
        race="1",
        place="1",
        start_pos="2",
        name="SCHULTINGSuzanne",
        isu_id="8000",
        nation="NED",
        result="43.100",
        qual="QQ",
        is_relay="0",
        source_file="x.csv",
    )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerow(row)
    with pytest.raises(ImportRefused, match=r"rounds.csv, row 2, field 'qual': qual 'QQ' is not one of Q, q, QA"):
        read_rounds(path)
    row["qual"] = "qA"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerow(row)
    (race,) = read_rounds(path)
    assert race.heats[0].qualification == "qA" and race.heats[0].start_position == 2


def test_each_short_track_place_says_how_it_was_decided() -> None:
    season = standings.load_season("st-wc", "2019-20")
    result = event.race_results(season, "st-wc/2019-20/wc6/men-1000-a-2").set_index("name")
    assert result.loc["Dong Wook KIM", ["rank", "decided_by"]].tolist() == [2, "Final A: 2nd"]
    assert result.loc["Vladislav BYKANOV", ["rank", "decided_by"]].tolist() == [6, "Final B: 1st"]
    knegt = result.loc["Sjinkie KNEGT"]
    assert (knegt["rank"], knegt["status"], pd.isna(knegt["annotations"])) == (10, "PEN", True)
    assert knegt["decided_by"] == "out in the Semifinals: PEN in heat 1; then by time (provisional)"
    podiums = standings.load_season("st-wc", "2025-26")  # podiums only: the place is the final's
    (race_id, *_) = event.programme(podiums, 1)["race_id"].dropna()
    assert event.race_results(podiums, race_id)["decided_by"].tolist()[:3] == [
        "Final A: 1st",
        "Final A: 2nd",
        "Final A: 3rd",
    ]
    hamar = event.race_results(standings.load_season("lt-wc", "2025-26"), "lt-wc/2025-26/wc4/men-1500-a")
    assert hamar["decided_by"].isna().all()  # long track: the time decides, nothing to explain


def test_a_standings_row_leads_to_the_skaters_races_and_each_race_to_its_result() -> None:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in {"circuit": "lt-wc", "season": "2025-26", "cup": "men-500", "after": "2"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    board = at.dataframe[0].value
    leader = board.iloc[0]
    assert leader["name"] == "Jordan STOLZ"
    query = parse_qs(urlparse(leader["skater_page"]).query)
    assert query["skater"] == ["jordan-stolz-usa"] and query["after"] == ["2"]
    skater = AppTest.from_file(APP, default_timeout=180)
    for key, values in query.items():
        skater.query_params[key] = values[0]
    skater.run()
    skater.switch_page("pages/skater.py")
    skater.run()
    races = skater.dataframe[-1].value
    five_hundreds = races.loc[races["race"].str.fullmatch(r"(\d\w\w )?500 m"), "event_page"]
    assert len(five_hundreds) >= 4  # two 500 m races at each of World Cups #1 and #2
    first = parse_qs(urlparse(five_hundreds.iloc[0]).query)
    assert first["event"] == ["1"] and first["race"][0].startswith("lt-wc/2025-26/wc1/men-500-a")


def test_short_track_heats_are_numbered_as_the_sport_numbers_them_with_one_penalty_word() -> None:
    """Issue 25 item 6: heats from 1 and finals by name, PEN in the result as in the heat, times as printed."""
    season = standings.load_season("st-wc", "2019-20")
    race_id = "st-wc/2019-20/wc6/men-1000-a-2"
    heats = event.race_heats(season, race_id)
    finals = heats[heats["round"].isin(["Final A", "Final B"])]
    assert len(finals) and finals["heat"].isna().all()  # a final is named by its round, not "heat 0"
    for round_name, rows in heats[~heats["round"].isin(["Final A", "Final B"])].groupby("round"):
        assert sorted(set(rows["heat"])) == list(range(1, rows["heat"].max() + 1)), round_name
    result = event.race_results(season, race_id)
    assert "DQ" not in set(result["status"]) and "PEN" in set(result["status"])
    assert set(result["status"]) <= set(heats["status"]) | {"DNS"}  # one word for one thing, as in the heats
    assert result.loc[result["round"] == "Final A", "heat"].isna().all()
    rounds = event.round_summary(season, race_id)
    assert rounds.loc[rounds["round"] == "Heats", "best_time"].item() == "1:24.626"
    assert rounds["best_time"].str.fullmatch(r"(\d+:)?\d{2}\.\d{3}").all()
    assert rounds["average_time"].str.fullmatch(r"(\d+:)?\d{2}\.\d{3}").all()
    assert rounds.loc[rounds["round"] == "Final A", "heats"].item() == 1
    shipped = pd.read_csv(Path(standings.__file__).parent.parent / "data" / "st-wc" / "2019-20" / "findings.csv")
    lost = shipped.loc[shipped["race_id"] == race_id, "message"].tolist()
    assert any(m.endswith("Heats heat 2 lacks place(s) 1") for m in lost)  # the source's heat index 1
    assert not shipped["message"].str.contains(r" heat 0 |Final [AB] heat", regex=True).any()


def test_heat_names_follow_the_sport() -> None:
    assert [heat_name("Quarterfinals", 0), heat_name("Final A", 0), heat_name("Final B", 0)] == [
        "Quarterfinals heat 1",
        "Final A",
        "Final B",
    ]
    assert [clock(85.384), clock(41.5), clock(59.9996)] == ["1:25.384", "41.500", "1:00.000"]


def test_a_pair_without_a_time_says_why_and_the_sheets_codes_are_explained() -> None:
    """Issue 25 item 7: no rank, no time and no word in the Pairs table; T09 unexplained."""
    season = standings.load_season("lt-wc", "2025-26")
    race_id = "lt-wc/2025-26/wc1/men-1000-a"
    pairs = event.race_pairs(season, race_id).set_index("name")
    assert pairs.loc["Kazuya YAMADA", "time"] == "DQ" and pairs.loc["Kjeld NUIS", "time"] == "DQ"
    assert pairs["time"].notna().all()
    legend = event.annotation_legend(event.race_results(season, race_id)["annotations"])
    assert legend == "T09: obstruction during crossing (254.6) · T10: cutting the inner line in the curve (254.7)"
    shipped = set(season.results["annotations"].dropna().str.split(",").explode())
    assert shipped <= set(ANNOTATION_MEANINGS)  # every code the shipped sheets print is explained


def test_blanks_leave_no_missing_value_and_no_fractional_rank() -> None:
    frame = pd.DataFrame(
        {
            "rank": pd.array([1, None], dtype="Int64"),
            "points": [60, 0],
            "behind": pd.array([None, "+0.03"], dtype="string"),
            "seconds": [None, 18.0],
        }
    )
    shown = views.blanks(frame)
    # Numbers stay numbers (they sort as numbers: 10 after 2), whole ones whole; their gaps stay
    # missing, drawn empty by the table (``ui.render.table``'s placeholder) and written empty in CSV.
    assert shown["rank"].dtype == "Int64" and shown["seconds"].dtype == "Int64"
    assert shown["rank"].tolist()[0] == 1 and pd.isna(shown["rank"].tolist()[1])
    assert shown["seconds"].tolist()[1] == 18 and pd.isna(shown["seconds"].tolist()[0])
    assert shown["behind"].tolist() == ["", "+0.03"]
    assert shown.to_csv(index=False).splitlines() == ["rank,points,behind,seconds", "1,60,,", ",0,+0.03,18"]
    mixed = views.blanks(pd.DataFrame({"heat": pd.Series([1, None, 3], dtype=object)}))
    assert mixed["heat"].dtype == "Int64"
    assert shown["points"].dtype == "int64"  # a column without a gap keeps its type and sorts as numbers
