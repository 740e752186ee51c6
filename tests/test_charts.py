"""Figures: expected traces, emphasis, nation colours, and imported text kept out of markup."""

from __future__ import annotations

import pandas as pd

from standings.charts import PALETTE, bump_chart, nation_colour, progress_chart

CITIES = {1: "Salt Lake City", 2: "Calgary"}


def _progress(name: str = "Jordan STOLZ") -> pd.DataFrame:
    rows = [
        (1, "a-usa", name, "USA", 60, 60, 1),
        (2, "a-usa", name, "USA", 54, 114, 1),
        (1, "b-ned", "Jenning DE BOO", "NED", 54, 54, 2),
        (2, "b-ned", "Jenning DE BOO", "NED", 60, 114, 1),
        (1, "c-pol", "Damian ŻUREK", "POL", 0, 0, None),
        (2, "c-pol", "Damian ŻUREK", "POL", 48, 48, 3),
    ]
    frame = pd.DataFrame(rows, columns=["world_cup", "competitor", "name", "nation", "race_points", "points", "rank"])
    return frame.astype({"rank": "Int64"})


def test_progress_chart_has_one_line_per_competitor_and_emphasises_picks() -> None:
    fig = progress_chart(
        _progress(),
        title="T",
        as_of="after World Cup #2 (Calgary)",
        source="S",
        cities=CITIES,
        top=1,
        highlight=["c-pol"],
    )
    assert len(fig.data) == 3
    strong = {t.meta["competitor"] for t in fig.data if t.meta["emphasised"]}
    assert strong == {"a-usa", "c-pol"}  # the leader (rank 1 first by order) and the pick
    stolz = next(t for t in fig.data if t.meta["competitor"] == "a-usa")
    assert list(stolz.y) == [60, 114] and list(stolz.x) == ["WC1 Salt Lake City", "WC2 Calgary"]
    assert stolz.line.color == nation_colour("USA")
    assert "after World Cup #2 (Calgary)" in fig.layout.title.text
    assert fig.layout.annotations[0].text == "S"


def test_bump_chart_ranks_reversed_and_skips_unranked_events() -> None:
    fig = bump_chart(_progress(), title="T", as_of="A", source="S", cities=CITIES)
    zurek = next(t for t in fig.data if t.meta["competitor"] == "c-pol")
    assert list(zurek.y) == [3]  # no rank before his first points
    assert fig.layout.yaxis.range[0] > fig.layout.yaxis.range[1]  # rank 1 on top


def test_imported_names_are_not_markup() -> None:
    fig = progress_chart(_progress("<img src=x onerror=alert(1)>"), title="T", as_of="A", source="S", cities=CITIES)
    names = [t.name for t in fig.data]
    assert "&lt;img src=x onerror=alert(1)&gt; (USA)" in names
    assert all("<img" not in (t.hovertemplate or "") for t in fig.data)


def test_nation_colours_are_stable_and_from_the_palette() -> None:
    assert nation_colour("NED") != nation_colour("USA")
    assert len({nation_colour(n) for n in ["NED", "USA", "JPN", "CAN", "NOR", "CHN", "KOR", "POL"]}) == 8
    assert nation_colour("ZZZ") == nation_colour("ZZZ") and nation_colour("ZZZ") in PALETTE
