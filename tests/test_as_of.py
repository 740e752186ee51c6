"""The "as of" World Cup as one value (issue 26): ``Season.as_of`` gives the label and the cut once."""

from __future__ import annotations

import pandas as pd

import standings
from standings.engine.cut import up_to
from standings.present import views


def test_a_season_as_of_a_world_cup_says_it_and_cuts_at_it() -> None:
    season = standings.load_season("lt-wc", "2025-26")
    view = season.as_of(2)
    assert view == standings.AsOf("lt-wc", "2025-26", 2, "after World Cup #2 (Calgary)")
    assert view.up_to_label == "up to World Cup #2 (Calgary)"
    assert {view: "cached"}[season.as_of(2)] == "cached"  # hashable and equal: a cache key
    assert season.as_of() == season.as_of(season.world_cups[-1])
    cut = view.cut(season.results)
    assert set(cut["world_cup"]) == {1, 2} and len(cut) == (season.results["world_cup"] <= 2).sum()
    # The dashboard's words come from it: one label, one cut.
    assert views.as_of_label(season, 2) == view.label and views.up_to_label(season, 2) == view.up_to_label


def test_the_cut_keeps_every_row_without_a_world_cup_and_none_after_it() -> None:
    rows = pd.DataFrame({"world_cup": [1, 2, 3, 3], "x": list("abcd")})
    assert up_to(rows, None) is rows
    assert up_to(rows, 2)["x"].tolist() == ["a", "b"]
    assert up_to(rows, 0).empty
