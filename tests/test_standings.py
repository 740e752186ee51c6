"""Standings, progress and medals on the shipped 2025/26 data, against published figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from standings.errors import UnknownSelection
from standings.season import Season, season_from_store
from standings.storage.shipped import open_store

from conftest import Database


@pytest.fixture(scope="module")
def season(database: Database) -> Season:
    store = open_store(database.url("season"))
    loaded = season_from_store(store, "lt-wc", "2025-26")
    store.close()
    return loaded


def test_mens_500_after_wc2_matches_the_isu(season: Season) -> None:
    """ISU: after World Cup #2 Jordan Stolz led the men's 500 m with 211 points."""
    leader = season.standings("men-500", after=2).iloc[0]
    assert (leader["name"], leader["nation"], leader["points"], leader["rank"]) == ("Jordan STOLZ", "USA", 211, 1)


def test_standings_add_up_race_by_race(season: Season) -> None:
    """Hand check of the leader's 211: his four 500 m races at WC1 and WC2."""
    rows = season.results[
        (season.results["competitor"] == "jordan-stolz-usa")
        & (season.results["distance"] == "500")
        & (season.results["world_cup"] <= 2)
    ]
    assert sorted(rows["official_points"].tolist()) == sorted(rows["points"].tolist())
    assert rows["points"].sum() == 211


def test_progress_ends_where_the_standings_are(season: Season) -> None:
    for cup in ("men-500", "women-3000-5000", "men-team-pursuit", "women-overall"):
        progress = season.progress(cup)
        last = progress[progress["world_cup"] == 4].set_index("competitor")
        table = season.standings(cup).set_index("competitor")
        pd.testing.assert_series_equal(last["points"], table["points"], check_names=False, check_like=True)
        assert (last["rank"].astype("int64") == table["rank"]).all()
        sums = progress.groupby("competitor")["race_points"].sum()
        assert (sums.reindex(table.index) == table["points"]).all()


def test_combined_cup_takes_both_distances(season: Season) -> None:
    table = season.standings("men-5000-10000")
    results = season.results[(season.results["gender"] == "men") & season.results["distance"].isin(["5000", "10000"])]
    assert table["points"].sum() == results["points"].sum()


def test_team_cups_rank_nations(season: Season) -> None:
    table = season.standings("men-team-pursuit")
    assert table.iloc[0]["name"] == "United States of America"
    assert table["competitor"].str.startswith("team-").all()


def test_overall_ranking_is_labelled_as_the_projects_own(season: Season) -> None:
    assert not season.rules.overall_official
    assert "not the ISU Grand World Cup" in season.rules.overall_label
    assert season.cup("women-overall").name == "Overall ranking Women"


def test_medal_table_counts_division_a_podiums_once(season: Season) -> None:
    medals = season.medals()
    races_a = season.races[season.races["division"] == "A"]
    assert list(medals.columns) == ["rank", "nation", "gold", "silver", "bronze", "total"]
    # One gold per Division A race (no dead heat for first in 2025/26 WC1-4).
    assert medals["gold"].sum() == len(races_a)
    assert medals.iloc[0]["nation"] == "NED"
    by_total = season.medals(order="total")
    assert by_total["total"].is_monotonic_decreasing


def test_provisional_points_are_marked(season: Season) -> None:
    exceptions = season.exceptions()
    assert set(exceptions["race_id"]) == {
        "lt-wc/2025-26/wc1/men-mass-start-a",
        "lt-wc/2025-26/wc1/women-mass-start-a",
        "lt-wc/2025-26/wc2/men-mass-start-b",
        "lt-wc/2025-26/wc3/men-mass-start-a",
        "lt-wc/2025-26/wc4/men-500-b-2",
        "lt-wc/2025-26/wc4/men-mass-start-a",
        "lt-wc/2025-26/wc4/men-mass-start-b",
    }
    assert season.standings("men-mass-start")["provisional"].any()


def test_unknown_selections_say_what_exists(season: Season, database: Database) -> None:
    with pytest.raises(UnknownSelection, match="no World Cup #9; loaded: 1, 2, 3, 4"):
        season.standings("men-500", after=9)
    with pytest.raises(UnknownSelection, match="no cup 'men-5000'"):
        season.standings("men-5000")
    store = open_store(database.url("x"))
    with pytest.raises(UnknownSelection, match="loaded: lt-wc 2025-26"):
        season_from_store(store, "lt-wc", "2019-20")
    store.close()


@pytest.mark.parametrize("cup", ["men-500", "women-1500", "women-mass-start", "men-overall"])
def test_progress_after_each_world_cup_equals_the_standings_then(season: Season, cup: str) -> None:
    progress = season.progress(cup)
    for number in season.world_cups:
        then = progress[(progress["world_cup"] == number) & (progress["points"] > 0)].set_index("competitor")
        table = season.standings(cup, after=number).set_index("competitor")
        final = set(season.standings(cup)["competitor"])
        expected = table[table.index.isin(final)]
        assert then["points"].sort_index().tolist() == expected["points"].sort_index().tolist()
        assert then["rank"].astype("int64").sort_index().tolist() == expected["rank"].sort_index().tolist()


def test_every_shipped_season_reads_the_same_as_from_sqlite(database: Database, tmp_path: Path) -> None:
    """The engine's input, the rows of every season the golden outputs are made of, is the same on
    the backend under test as on SQLite: same rows, order and dtypes (``test_golden_outputs`` runs on
    SQLite only)."""
    from golden_outputs import SEASONS

    tested, reference = open_store(database.url("tested")), open_store(f"sqlite:///{tmp_path / 'reference.sqlite'}")
    try:
        assert tested.engine.dialect.name == database.name
        for circuit, season_id in SEASONS:
            got, expected = tested.season_rows(circuit, season_id), reference.season_rows(circuit, season_id)
            assert len(expected.races) > 0, (circuit, season_id)
            for part in ("races", "results", "findings"):
                pd.testing.assert_frame_equal(
                    getattr(got, part), getattr(expected, part), obj=f"{circuit} {season_id} {part}"
                )
        pd.testing.assert_frame_equal(tested.seasons(), reference.seasons())
    finally:
        tested.close()
        reference.close()
