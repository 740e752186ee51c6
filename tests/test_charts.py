"""Figures: expected traces, emphasis, nation colours, and imported text kept out of markup."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from coloraide import Color

import standings
from standings.present import skaters, views
from standings.present.charts import (
    BACKGROUND,
    EXPORT_BASE,
    EXPORT_SIZES,
    PALETTE,
    PALETTE_DARK,
    PALETTE_LIGHT,
    TEMPLATE,
    TEMPLATE_DARK,
    bump_chart,
    contrast_ratio,
    export_config,
    medal_race_chart,
    nation_colour,
    nation_colours,
    progress_chart,
    rank_history_chart,
    register_templates,
    status_colours,
    title_race_chart,
)

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
    assert fig.layout.title.subtitle.text == "after World Cup #2 (Calgary)"
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
    assert len({nation_colour(n) for n in ["NED", "USA", "JPN", "CAN", "NOR", "KOR", "POL", "GER", "CZE", "ITA"]}) == 10
    assert nation_colour("ZZZ") == nation_colour("ZZZ") and nation_colour("ZZZ") in PALETTE_LIGHT
    assert PALETTE.index("#56B4E9") == PALETTE_LIGHT.index(nation_colour("KOR"))  # the same hue, per theme
    # Drawn together, two nations of one colour are given two: the first keeps its own.
    together = nation_colours(["CHN", "CAN", "KOR"])
    assert together["CHN"] == nation_colour("CHN") == nation_colour("CAN") != together["CAN"]
    assert len(set(nation_colours([f"N{i:02d}" for i in range(10)]).values())) == 10


def _ciede2000(first: str, second: str) -> float:
    return float(Color(first).delta_e(second, method="2000"))


@pytest.mark.parametrize("dark", [False, True])
def test_any_two_colours_of_a_theme_are_twenty_apart_in_ciede2000(dark: bool) -> None:
    palette = PALETTE_DARK if dark else PALETTE_LIGHT
    closest = min(_ciede2000(a, b) for i, a in enumerate(palette) for b in palette[i + 1 :])
    assert closest >= 20, closest
    # The old palette's Dutch gold and Korean olive, de Boo and Kim in the 4K export: 10.9 apart.
    assert _ciede2000("#BF8400", "#949431") < 20


def _nation_pairs(figure: go.Figure) -> list[tuple[str, str, str, str]]:
    """(nation, colour, nation, colour) for every two nations a figure draws, by their traces' meta."""
    drawn: dict[str, set[str]] = {}
    for trace in figure.data:
        nation = (trace.meta or {}).get("nation")
        if nation:
            drawn.setdefault(nation, set()).add(trace.line.color if trace.type == "scatter" else trace.marker.color)
    for nation, colours in drawn.items():
        assert len(colours) == 1, (nation, colours)  # one colour per nation in one chart
    flat = [(n, next(iter(c))) for n, c in drawn.items()]
    return [(a, ca, b, cb) for i, (a, ca) in enumerate(flat) for b, cb in flat[i + 1 :]]


@pytest.mark.parametrize("dark", [False, True])
def test_nations_drawn_together_are_twenty_apart_in_ciede2000(season: standings.Season, dark: bool) -> None:
    """Every real chart of 2025/26 that colours nations (points race, rank chart, lap chart,
    head-to-heads) in both themes: any two nations at least 20 apart (issue 25: NED gold and JPN
    orange, de Boo and Kim's near-identical lines)."""
    figures: list[go.Figure] = []
    args = _chart_args(season)
    for cup in season.cups:
        progress = season.progress(cup.cup_id, after=4)
        figures += [progress_chart(progress, **args, dark=dark), bump_chart(progress, **args, dark=dark)]
    pairs = [("NED", "JPN"), ("NED", "KOR"), ("CHN", "KOR"), ("CAN", "CHN"), ("KAZ", "KOR"), ("USA", "KOR")]
    for a, b in pairs:
        frame = pd.DataFrame(
            {"world_cup": [1, 1], "city": ["X", "X"], "nation": [a, b], "medals_total": [1, 2], "gold_total": [0, 1]}
        )
        figures.append(medal_race_chart(frame, title="T", as_of="A", source="S", dark=dark))
    checked = 0
    for figure in figures:
        for a, ca, b, cb in _nation_pairs(figure):
            assert _ciede2000(ca, cb) >= 20, (figure.layout.title.text, a, ca, b, cb)
            checked += 1
    assert checked > 100


# Real data: the shipped 2025/26 season (men's 500 m after World Cup #4, where Stolz and McLeod are
# both American and Kok and Fledderus both Dutch in the women's cups).
@pytest.fixture(scope="module")
def season() -> standings.Season:
    return standings.load_season("lt-wc", "2025-26")


def _chart_args(season: standings.Season) -> dict[str, object]:
    return {"title": "T", "as_of": "A", "source": views.source_line(season), "cities": season.cities}


@pytest.mark.parametrize("cup", ["men-500", "women-500", "women-1000", "men-overall"])
def test_skaters_of_one_nation_are_told_apart(season: standings.Season, cup: str) -> None:
    progress = season.progress(cup, after=4)
    for figure in (
        progress_chart(progress, **_chart_args(season), top=10),
        bump_chart(progress, **_chart_args(season)),
    ):
        strong = [t for t in figure.data if t.meta["emphasised"]]
        styles = [(t.line.color, t.line.dash, t.marker.symbol) for t in strong]
        assert len(strong) >= 5
        # No two emphasised lines share a colour and a dash, nor a colour and a marker.
        assert len({s[:2] for s in styles}) == len(styles), styles
        assert len({(s[0], s[2]) for s in styles}) == len(styles), styles


def test_world_cup_ticks_are_short_and_the_hover_keeps_the_city(season: standings.Season) -> None:
    figure = progress_chart(season.progress("men-500", after=4), **_chart_args(season))
    assert list(figure.layout.xaxis.ticktext) == ["WC1", "WC2", "WC3", "WC4"]
    assert figure.data[0].x[0] == "WC1 Salt Lake City"  # the category, shown in the hover
    assert figure.layout.template.layout.xaxis.tickangle == 0


def test_bump_chart_shows_the_top_ten_on_a_ten_rank_scale_with_one_label_per_rank(season: standings.Season) -> None:
    figure = bump_chart(season.progress("men-overall", after=4), **_chart_args(season))
    assert list(figure.layout.yaxis.range) == [10.5, 0.5]
    (trace,) = [t for t in figure.data if t.meta.get("labels")]  # the end labels: one text trace
    labels = list(zip(trace.x, trace.y, (text.strip() for text in trace.text), strict=True))
    assert trace.mode == "markers+text" and trace.marker.opacity == 0 and trace.cliponaxis is False
    assert len(labels) >= 9
    assert len({(x, y) for x, y, _ in labels}) == len(labels)  # no two labels at one point
    assert any(text == "1 STOLZ" for _, _, text in labels)


def test_the_rank_chart_writes_every_true_rank_in_its_own_cell(season: standings.Season) -> None:
    """Stolz 2025/26 after WC4: four cups at rank 1 and the mass start's 17th at WC1 (issue 25:
    ranks nudged off their gridline, four first places merged into one line, the 17th cut off)."""
    history = skaters.skater_rank_history(season, "jordan-stolz-usa")
    figure = rank_history_chart(history, title="T", as_of="A", source="S", nation="USA")
    (grid,) = figure.data
    cells = list(zip(grid.x, grid.y, grid.text, strict=True))
    expected = [
        (int(w), str(c), str(int(r)))
        for w, c, r in zip(history["world_cup"], history["cup"], history["rank"], strict=True)
    ]
    assert sorted(cells) == sorted(expected)
    assert len(set((x, y) for x, y, _ in cells)) == len(cells)  # one cell each: nothing drawn over anything
    assert (1, "Mass Start Men", "17") in cells
    assert [x for x, y, t in cells if t == "1" and x == 4] and sum(1 for *_, t in cells if t == "1") == 16
    assert list(figure.layout.yaxis.categoryarray) == list(history["cup"].unique())
    rings = dict(zip(grid.text, grid.marker.color, strict=True))
    assert rings["1"] == nation_colour("USA") and rings["17"] != nation_colour("USA")


@pytest.mark.parametrize("dark", [False, True])
def test_every_nation_colour_reads_on_the_theme_background(dark: bool) -> None:
    background = BACKGROUND[dark]
    nations = ["NED", "USA", "JPN", "CAN", "NOR", "CHN", "KOR", "POL", "ITA", "GER", "KAZ", "EST", "ZZZ", "AAA"]
    for colour in {nation_colour(n, dark=dark) for n in nations} | set(PALETTE_DARK if dark else PALETTE_LIGHT):
        assert contrast_ratio(colour, background) >= 3.0, (colour, background)
    for status, colour in status_colours(dark=dark).items():
        if status != "eliminated":  # greyed on purpose
            assert contrast_ratio(colour, background) >= 3.0, (status, colour)
    # The dark template's chart is the page: same background as Streamlit's dark theme.
    register_templates()
    template = pio.templates[TEMPLATE_DARK if dark else TEMPLATE].layout
    assert template.paper_bgcolor == template.plot_bgcolor == background


def test_contrast_ratio_is_wcag() -> None:
    assert round(contrast_ratio("#FFFFFF", "#000000"), 2) == 21.0
    assert round(contrast_ratio("#F0E442", "#FFFFFF"), 2) == 1.32  # Korea's yellow as it was: too faint


def test_export_is_one_layout_scaled_to_each_size() -> None:
    for size, (width, height) in EXPORT_SIZES.items():
        options = export_config("Men's 500 m", size)["toImageButtonOptions"]
        assert isinstance(options, dict)
        assert (options["width"], options["height"]) == EXPORT_BASE
        assert options["width"] * options["scale"] == width and options["height"] * options["scale"] == height


def test_title_race_uses_the_width_for_bars_and_ends_past_the_most_reachable(season: standings.Season) -> None:
    race = season.title_race("men-500", after=4).frame()
    figure = title_race_chart(race, title="T", as_of="A", source="S")
    most = int(race.head(20)["max_points"].max())
    assert figure.layout.xaxis.range[1] == pytest.approx(most * 1.04)
    assert figure.layout.yaxis.showticklabels is False  # names sit above the bars
    rows = [a for a in figure.layout.annotations if a.name == "row-label"]
    assert rows[-1].text.startswith("Jordan STOLZ (USA) · 391 (at most")


def test_long_titles_wrap_for_a_phone(season: standings.Season) -> None:
    figure = bump_chart(
        season.progress("men-overall", after=4),
        title="Overall ranking Men 2025/26: rank after each World Cup",
        as_of="after World Cup #4 (Hamar)",
        source=views.source_line(season),
        cities=season.cities,
    )
    lines = figure.layout.title.text.split("<br>")
    assert lines == ["Overall ranking Men 2025/26:", "rank after each World Cup"]
    assert figure.layout.title.subtitle.text == "after World Cup #4 (Hamar)"
    source = next(a for a in figure.layout.annotations if a.name == "source")
    assert all(len(line) <= 52 for line in source.text.split("<br>"))


def test_quota_chart_draws_each_nation_with_places_in_one_colour() -> None:
    import standings
    from standings.present.charts import quota_chart

    table = standings.load_season("lt-wc", "2025-26").quota_table(after=2)
    women = table[table["gender"] == "women"]
    figure = quota_chart(women, title="Milano Cortina 2026: women's quota places", as_of="after WC2", source="src")
    bars = figure.data[0]
    with_places = women[women["total"] > 0]
    assert sorted(bars.y) == sorted(with_places["nation"])
    assert list(bars.y)[-1] == with_places.sort_values(["total", "nation"], ascending=[False, True])["nation"].iloc[0]
    assert isinstance(bars.marker.color, str)  # one colour: the nations are the bars' labels
    assert all(" · limit " in text for text in bars.text)


@pytest.mark.parametrize("cup", ["men-500", "women-1000", "women-overall"])
def test_the_field_is_one_trace_with_every_other_line(season: standings.Season, cup: str) -> None:
    """The points race draws the leaders and picks as a trace each and every other competitor in
    one grey trace (issue 15: 47 traces became 6 in the men's 500 m): nobody's line is lost, each
    line is its own segment, and the hover still names the skater."""
    progress = season.progress(cup, after=4)
    figure = progress_chart(progress, **_chart_args(season))
    field = [t for t in figure.data if not t.meta["emphasised"]]
    strong = [t.meta["competitor"] for t in figure.data if t.meta["emphasised"]]
    assert len(field) == 1 and len(figure.data) == len(strong) + 1 <= 1 + 5
    others = field[0].meta["field"]
    assert sorted(others + strong) == sorted(progress["competitor"].unique())
    x, y, hover = list(field[0].x), list(field[0].y), [list(h) for h in field[0].customdata]
    assert x.count(None) == y.count(None) == len(others)  # one gap after each line
    first = progress[progress["competitor"] == others[-1]].sort_values("world_cup")
    segment_start = len(x) - 1 - len(first)
    assert y[segment_start:-1] == first["points"].tolist()
    name = f"{first['name'].iloc[0]} ({first['nation'].iloc[0]})"
    assert hover[segment_start][2] == name.replace("&", "&amp;").replace("<", "&lt;")


def test_a_head_to_head_gives_both_nations_at_every_distance_either_medalled_in() -> None:
    """A nation without a medal at a distance is a row of zeros, not a missing row (issue 25, item 12)."""
    season = standings.load_season("st-wc", "2025-26")
    _, by_distance = views.head_to_head(season, "CHN", "KOR", gender="women")
    assert set(by_distance["nation"]) == {"CHN", "KOR"}
    assert (by_distance[by_distance["nation"] == "CHN"]["total"] == 0).all()
    assert by_distance.groupby("distance", observed=True).size().eq(2).all()
    assert views.head_to_head_default(["CAN", "KOR", "NED"], short_track=True)[0] == ["CAN", "KOR"]
    assert views.head_to_head_default(["CHN", "CAN", "KOR"], short_track=True) == (["CHN", "KOR"], "")
    assert views.head_to_head_default(["NED", "USA"], short_track=False) == (["NED", "USA"], "")
