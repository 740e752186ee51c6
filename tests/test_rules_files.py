"""The long-track rules files for the seasons the ISU results API reaches: they load, cover each
season once, hold RULES.md's values and mark what is not confirmed provisional."""

from __future__ import annotations

import tomllib

import pytest

from standings.rules import RULES_DIR, all_rules, load_rules, rules_for

SEASONS_2011 = ["2011-12", "2012-13", "2013-14"]
SEASONS_2018 = ["2018-19", "2019-20", "2020-21", "2021-22"]


def _season(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def test_every_season_from_2011_12_has_exactly_one_rules_file() -> None:
    long_track = [r for r in all_rules() if r.circuit == "lt-wc"]
    for start in range(2011, 2027):
        covering = [r.source_file for r in long_track if r.covers(_season(start))]
        assert len(covering) == 1, (_season(start), covering)


@pytest.mark.parametrize("season", SEASONS_2011)
def test_2011_12_to_2013_14_use_the_100_80_70_table(season: str) -> None:
    rules = rules_for("lt-wc", season)
    assert rules.source_file == "lt-wc-2011-12.toml"
    table = rules.table_for("A", "women-500")
    assert table is not None
    assert table.table == (100, 80, 70, 60, 50, 45, 40, 36, 32, 28, 24, 21, 18, 16, 14, 12, 10, 8, 6, 5)
    division_b = rules.table_for("B", "men-1500")
    assert division_b is not None
    assert division_b.points(1, season)[0] == 25
    assert not rules.overall_official


def test_2011_12_marks_only_confirmed_places_as_confirmed() -> None:
    table = rules_for("lt-wc", "2011-12").table_for("A", "men-1000")
    assert table is not None
    assert [table.points(rank, "2011-12") for rank in (1, 2, 10)] == [(100, False), (80, False), (28, False)]
    assert table.points(11, "2011-12") == (24, True)
    assert table.points(17, "2011-12") == (10, True)  # confirmed, but not expressible (see the file)
    assert table.points(21, "2011-12") == (0, True)  # past the table: unknown
    division_b = rules_for("lt-wc", "2011-12").table_for("B", "women-500")
    assert division_b is not None
    assert division_b.points(1, "2011-12") == (25, False)
    assert division_b.points(2, "2011-12") == (0, True)


@pytest.mark.parametrize("season", ["2012-13", "2013-14"])
def test_seasons_after_2011_12_are_provisional_throughout(season: str) -> None:
    table = rules_for("lt-wc", season).table_for("A", "women-1500")
    assert table is not None
    assert table.points(1, season) == (100, True)


def test_2011_12_final_multiplier_is_a_placeholder_marked_provisional_in_the_file() -> None:
    raw = tomllib.loads((RULES_DIR / "lt-wc-2011-12.toml").read_text(encoding="utf-8"))
    assert raw["final"]["confidence"] == "provisional"
    assert rules_for("lt-wc", "2011-12").final_multiplier == 1


@pytest.mark.parametrize("season", SEASONS_2018)
def test_2018_19_to_2021_22_use_the_60_54_48_table_with_double_points_at_the_final(season: str) -> None:
    rules = rules_for("lt-wc", season)
    assert rules.source_file == "lt-wc-2018-19.toml"
    table = rules.table_for("A", "men-mass-start")
    assert table is not None
    assert table.table[:12] == (60, 54, 48, 43, 40, 38, 36, 34, 32, 31, 30, 29)
    later = rules_for("lt-wc", "2022-23").table_for("A", "men-500")
    assert later is not None
    assert table.table == later.table
    assert table.points(12, season) == (29, False)
    assert table.points(13, season) == (28, True)
    assert rules.final_multiplier == 2
    assert rules.final_field_size == 12


@pytest.mark.parametrize("name", ["lt-wc-2011-12.toml", "lt-wc-2018-19.toml"])
def test_every_value_names_its_source_and_confidence(name: str) -> None:
    raw = tomllib.loads((RULES_DIR / name).read_text(encoding="utf-8"))
    sections = [raw["scoring"], raw["final"], raw["tie_break"], raw["overall"], raw["points"]["A"]]
    sections += list(raw["points"]["B"].values())
    for section in sections:
        assert section["source"].strip(), section
        assert section["confidence"] in ("high", "medium", "low", "provisional"), section
    assert raw["final"]["field_size_source"] and raw["final"]["field_size_confidence"]
    load_rules(RULES_DIR / name)
