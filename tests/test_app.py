"""Every page of the dashboard, run in-process with AppTest on the shipped 2025/26 data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from standings.present.safe import plain
from ui.chart_element import drawn_figures, sent_chart

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def open_app(page: str | None = None, **params: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception
    return at


def charts(at: AppTest) -> list[dict[str, Any]]:
    """The charts the page draws, each ``{"figure": ..., "config": ...}`` (the chart element's data)."""
    return [chart for element in at.get("bidi_component") if (chart := sent_chart(element.proto)) is not None]


def figures(at: AppTest) -> list[dict[str, Any]]:
    return drawn_figures(at)


def configs(at: AppTest) -> list[dict[str, Any]]:
    return [chart["config"] for chart in charts(at)]


def values(data: Any) -> list[Any]:
    """Trace data as a list, whether Plotly sent it plain or as typed base64 ("bdata")."""
    if isinstance(data, dict) and "bdata" in data:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def title_of(figure: dict[str, Any]) -> str:
    """A figure's title and subtitle (the "as of" line) as one line of text (a long title may wrap)."""
    title = figure["layout"]["title"]
    return " ".join([str(title["text"]), str(title.get("subtitle", {}).get("text", ""))]).replace("<br>", " ")


def sidebar_select(at: AppTest, name: str) -> Any:
    """The sidebar's select box for the selection ``name`` (scoped ones are keyed ``name@scope``)."""
    return next(box for box in at.sidebar.selectbox if box.key == name or str(box.key).startswith(f"{name}@"))


def emphasised(figure: dict[str, Any]) -> list[str]:
    return [t["meta"]["competitor"] for t in figure["data"] if t.get("meta", {}).get("emphasised")]


# --- Standings ----------------------------------------------------------------------------------


def test_standings_link_from_the_issue_shows_stolz_leading_with_211() -> None:
    at = open_app(circuit="lt-wc", season="2025-26", cup="men-500", after="2")
    board = at.dataframe[0].value
    assert board.iloc[0][["rank", "name", "nation", "points", "gap"]].tolist() == [1, "Jordan STOLZ", "USA", 211, 0]
    assert at.warning.len == 0
    assert any(
        m.value == r"Leader: Jordan STOLZ \(USA\), 211 points, 22 ahead of Damian ŻUREK \(POL\)" for m in at.markdown
    )
    progress, bump = figures(at)
    assert "500 m Men 2025/26: points race" in title_of(progress)
    assert "after World Cup #2 (Calgary)" in title_of(progress)
    stolz = next(t for t in progress["data"] if t["meta"]["competitor"] == "jordan-stolz-usa")
    assert values(stolz["y"]) == [103, 211]
    assert "1st 500 m: 1st, 60" in stolz["customdata"][0][1]  # race-by-race hover
    assert [values(t["y"]) for t in bump["data"] if t["meta"]["competitor"] == "jordan-stolz-usa"] == [[1, 1]]
    assert dict(at.query_params) == {
        "circuit": "lt-wc",
        "season": "2025-26",
        "gender": "men",
        "after": "2",
        "cup": "men-500",
    }


def test_standings_widgets_change_cup_as_of_and_highlights() -> None:
    at = open_app(gender="men")
    at.selectbox(key="cup").set_value("men-1500").run()
    assert not at.exception
    assert at.query_params["cup"] == "men-1500"
    sidebar_select(at, "after").set_value(1).run()
    assert not at.exception
    board = at.dataframe[0].value
    assert board["races"].max() == 1  # after WC1: one 1500 m each
    assert at.query_params["after"] == "1"
    pick = board["competitor"].iloc[7]
    at.multiselect(key="highlight").set_value([pick]).run()
    assert not at.exception
    progress, bump = figures(at)
    assert pick in emphasised(progress) and emphasised(bump) == [pick]
    assert at.query_params["skater"] == pick


def test_standings_query_params_round_trip() -> None:
    first = open_app(gender="women", cup="women-3000-5000", after="3", skater="ragne-wiklund-nor")
    second = open_app(**dict(first.query_params))
    assert second.dataframe[0].value.equals(first.dataframe[0].value)
    assert dict(second.query_params) == dict(first.query_params)
    assert second.multiselect(key="highlight").value == ["ragne-wiklund-nor"]


def test_hostile_link_values_fall_back_with_a_notice() -> None:
    at = open_app(
        circuit="<script>alert(1)</script>",
        season="1999-00",
        cup="[click](http://evil.example)",
        after="9" * 500,
        skater=["jordan-stolz-usa", "<img src=x>"],
        foo="bar",
    )
    notices = [w.value for w in at.warning]
    assert any(f"asks for circuit {plain('<script>alert(1)</script>')}, which" in n for n in notices)
    assert any("asks for season 1999\\-00, which" in n for n in notices)
    assert any(f"asks for cup {plain('[click](http://evil.example)')}, which" in n for n in notices)
    assert any("asks for World Cup 999" in n and "…" in n for n in notices)
    assert any(plain("<img src=x>") in n for n in notices)
    assert any("`foo`" in n for n in notices)
    assert at.query_params["season"] == "2025-26" and at.query_params["after"] == "4"
    # Notices are shown once; the next interaction shows the page without them.
    sidebar_select(at, "after").set_value(3).run()
    assert at.warning.len == 0


def test_chart_export_is_16_9_with_title_as_of_and_source() -> None:
    at = open_app(gender="men", cup="men-1000")
    for figure, config in zip(figures(at), configs(at), strict=True):
        options = config["toImageButtonOptions"]
        size = (options["width"] * options["scale"], options["height"] * options["scale"])
        assert (options["format"], size) == ("png", (1920, 1080))
        assert "after World Cup #4 (Hamar)" in title_of(figure)
        assert any("official ISU result sheets" in a["text"] for a in figure["layout"]["annotations"])
    at.sidebar.selectbox(key="rs_export_size").set_value("3840 x 2160 (4K UHD)").run()
    assert {c["toImageButtonOptions"]["width"] * c["toImageButtonOptions"]["scale"] for c in configs(at)} == {3840}


def test_team_cup_shows_nations() -> None:
    at = open_app(gender="men", cup="men-team-pursuit")
    board = at.dataframe[0].value
    assert board.iloc[0]["name"] == "United States of America"


# --- Grand World Cup -------------------------------------------------------------------------------


def test_overall_is_labelled_as_the_projects_own_ranking() -> None:
    at = open_app("pages/overall.py")
    assert at.title[0].value == "Overall ranking · Women"
    assert any("not the ISU Grand World Cup" in w.value for w in at.warning)
    board = at.dataframe[0].value
    assert board.iloc[0]["name"] == "Femke KOK"
    assert len(figures(at)) == 2


def test_overall_widgets_gender_and_as_of() -> None:
    at = open_app("pages/overall.py")
    sidebar_select(at, "gender").set_value("men").run()
    assert not at.exception
    assert at.dataframe[0].value.iloc[0]["name"] == "Jordan STOLZ"
    sidebar_select(at, "after").set_value(1).run()
    assert not at.exception
    assert "after World Cup #1 (Salt Lake City)" in title_of(figures(at)[0])
    assert dict(at.query_params)["gender"] == "men"


# --- Nations ---------------------------------------------------------------------------------------


def test_nations_medal_table_and_default_head_to_head() -> None:
    at = open_app("pages/nations.py")
    at.button_group(key="medal-genders").set_value("all").run()
    medals = at.dataframe[0].value
    assert list(medals.columns) == ["rank", "nation", "gold", "silver", "bronze", "total"]
    assert medals.iloc[0]["nation"] == "NED"
    race, per_distance = figures(at)
    assert {t["name"] for t in race["data"]} == {"NED medals", "NED golds", "USA medals", "USA golds"}
    assert {t["name"] for t in per_distance["data"]} == {"NED", "USA"}
    assert at.query_params["nations"] == ["NED", "USA"]


def test_nations_widgets_order_and_pair() -> None:
    at = open_app("pages/nations.py")
    at.button_group(key="medal-order").set_value("total").run()
    assert not at.exception
    by_total = at.dataframe[0].value
    assert by_total["total"].is_monotonic_decreasing
    assert by_total.iloc[0]["nation"] == "NED"
    at.multiselect(key="nations").set_value(["JPN", "CAN"]).run()
    assert not at.exception
    race, _ = figures(at)
    assert {t["name"] for t in race["data"]} == {"JPN medals", "JPN golds", "CAN medals", "CAN golds"}
    sidebar_select(at, "after").set_value(2).run()
    assert not at.exception
    per_event = at.dataframe[1].value
    assert set(per_event["world_cup"]) == {1, 2}
    assert at.query_params["nations"] == ["JPN", "CAN"]


# --- Skater ----------------------------------------------------------------------------------------


def test_skater_page_from_a_link() -> None:
    at = open_app("pages/skater.py", skater="damian-zurek-pol")
    assert at.header[0].value == "Damian ŻUREK"
    cups = at.dataframe[0].value
    assert "500 m Men" in set(cups["cup"])
    races = at.dataframe[1].value
    assert {"world_cup", "race", "division", "rank", "time", "points"} <= set(races.columns)
    assert int(at.metric[2].value) == races["points"].sum()
    assert len(figures(at)) == 1
    assert at.query_params["skater"] == "damian-zurek-pol"


def test_skater_widgets_search_and_as_of() -> None:
    at = open_app("pages/skater.py")
    at.selectbox(key="skater_pick").set_value("jordan-stolz-usa").run()
    assert not at.exception and at.header[0].value == "Jordan STOLZ"
    sidebar_select(at, "after").set_value(1).run()
    assert not at.exception
    assert set(at.dataframe[1].value["world_cup"]) == {1}


def test_skater_with_no_points_is_explained() -> None:
    at = open_app("pages/skater.py", skater="robbe-beelen-bel", after="1")
    assert any("No World Cup points yet" in i.value for i in at.info)


# --- Data ------------------------------------------------------------------------------------------


def test_data_page_lists_what_is_loaded_and_the_findings() -> None:
    at = open_app("pages/data.py")
    catalogue = at.dataframe[0].value
    long_track = catalogue[catalogue["circuit"].str.startswith("Long track")]
    assert long_track[["season", "events", "races", "results"]].values.tolist() == [["2025-26", 4, 103, 2514]]
    assert len(catalogue) == 7
    assert any(f"Data as of **{plain('2025-12-14')}**" in m.value for m in at.markdown)  # stored text: escaped
    findings = at.dataframe(key="findings").value if False else at.dataframe[3].value
    assert findings["message"].str.contains("no World Cup points are printed").any()


def test_data_page_follows_the_sidebar() -> None:
    at = open_app("pages/data.py")
    sidebar_select(at, "after").set_value(2).run()
    assert not at.exception
    sidebar_select(at, "gender").set_value("men").run()
    assert not at.exception
    assert dict(at.query_params)["gender"] == "men"


# --- Short track -----------------------------------------------------------------------------------


def test_short_track_nations_default_to_china_v_korea() -> None:
    at = open_app("pages/nations.py", circuit="st-jwc", season="2025-26")
    race, _ = figures(at)
    assert {t["name"] for t in race["data"]} == {"CHN medals", "CHN golds", "KOR medals", "KOR golds"}
    assert any("no relay results" in w.value for w in at.warning)
    medals = at.dataframe[0].value
    assert medals.iloc[0]["nation"] == "KOR"


def test_short_track_nations_pass_over_a_rival_without_medals() -> None:
    """Issue 25, item 12: the 2025/26 World Tour's women's races hold no Chinese medal, yet the page
    opened on CHN v KOR with China flat at 0 and Korea's bars alone, without a legend."""
    at = open_app("pages/nations.py", circuit="st-wc", season="2025-26", gender="women")
    medals = at.dataframe[0].value
    assert "CHN" not in set(medals["nation"])
    first_two = medals["nation"].iloc[:2].tolist()
    race, distance = figures(at)
    assert {t["name"] for t in race["data"]} == {f"{n} {k}" for n in first_two for k in ("medals", "golds")}
    assert [t["name"] for t in distance["data"]] == first_two and distance["layout"]["showlegend"] is True
    assert any("CHN won no medal in these races" in c.value for c in at.caption)


def test_short_track_lost_podiums_are_announced() -> None:
    at = open_app("pages/nations.py", circuit="st-wc", season="2019-20")
    assert any("lost podium places in 23 of 66 races" in w.value for w in at.warning)
    sidebar_select(at, "after").set_value(3).run()
    assert not at.exception


def test_podium_only_season_says_so_instead_of_empty_rankings() -> None:
    at = open_app(circuit="st-wc", season="2025-26")
    assert at.dataframe.len == 0 and len(figures(at)) == 0
    assert any("Only the podiums" in i.value for i in at.info)
    at.switch_page("pages/overall.py").run()
    assert not at.exception and any("Only the podiums" in i.value for i in at.info)


def test_short_track_skater_and_data_pages() -> None:
    at = open_app("pages/skater.py", circuit="st-wc", season="2024-25", skater="william-dandjinou-can")
    assert at.header[0].value == "William Dandjinou"
    assert int(at.metric[2].value) >= 1  # podiums
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert any("the source gives no race days" in m.value for m in at.markdown)


# --- Title race ---------------------------------------------------------------------------------


def shown_text(at: AppTest) -> str:
    """The page's Markdown as a reader sees it (escapes removed)."""
    return " ".join(m.value for m in at.markdown).replace("\\", "")


def test_title_race_from_a_link_before_the_final() -> None:
    at = open_app("pages/title-race.py", cup="men-500", after="4", gender="men")
    assert at.title[0].value == "Title race"
    text = shown_text(at)
    assert "2 races left: WC5 Inzell (final)." in text
    assert "Magic number for Jordan STOLZ: 50 more points" in text
    assert "Stolz is sure of the cup if he finishes 2nd or better in one of the two remaining races" in text
    frame = at.dataframe[0].value
    stolz = frame[frame["name"] == "Jordan STOLZ"].iloc[0]
    assert (stolz["points"], stolz["max_points"], stolz["status"]) == (391, 511, "contender")
    assert set(frame.loc[frame["points"] < 391 - 120, "status"]) == {"eliminated"}
    figure = figures(at)[0]
    assert "who can still win" in title_of(figure)
    assert {t["name"] for t in figure["data"]} == {"Contender", "Eliminated"}
    assert dict(at.query_params) == {
        "circuit": "lt-wc",
        "season": "2025-26",
        "gender": "men",
        "after": "4",
        "cup": "men-500",
    }


def test_title_race_widgets_change_cup_and_as_of() -> None:
    at = open_app("pages/title-race.py", cup="women-500", gender="women")
    at.selectbox(key="cup").select("women-team-pursuit").run()
    assert not at.exception
    assert at.dataframe[0].value.iloc[0]["name"] in {"Netherlands", "Canada", "Japan"}
    assert at.query_params["cup"] == "women-team-pursuit"
    sidebar_select(at, "after").select(1).run()
    assert not at.exception
    assert at.dataframe[0].value.iloc[0]["name"] == "Japan"
    text = shown_text(at)
    assert "races left: WC2 Calgary, WC4 Hamar." in text  # no team pursuit at WC3 or at the final


def test_title_race_overall_and_a_cup_without_results() -> None:
    at = open_app("pages/title-race.py", gender="men", after="4")
    at.selectbox(key="cup").select("men-overall").run()
    assert "6 races left" in shown_text(at)
    assert any("not the ISU Grand World Cup" in c.value for c in at.caption)
    at.selectbox(key="cup").select("men-team-sprint").run()
    assert any("nobody has points yet" in i.value for i in at.info)


# --- The selection never shows one thing and computes another (issue 10) ------------------------


def as_of_shown(at: AppTest) -> str:
    """The "as of" World Cup as the sidebar shows it."""
    box = sidebar_select(at, "after")
    return str(box.format_func(box.value))


def test_as_of_follows_circuit_and_season_and_is_remembered_per_season() -> None:
    at = open_app("pages/nations.py", circuit="lt-wc", season="2025-26")
    sidebar_select(at, "after").set_value(3).run()
    assert as_of_shown(at) == "World Cup #3 · Heerenveen"
    sidebar_select(at, "circuit").set_value("st-wc").run()
    assert not at.exception
    # A new circuit opens on its latest World Cup, and the label names that circuit's city.
    assert (sidebar_select(at, "season").value, as_of_shown(at)) == ("2025-26", "World Cup #4 · Tilburg")
    assert any(plain("after World Cup #4 (Tilburg)") in c.value for c in at.caption)
    sidebar_select(at, "season").set_value("2019-20").run()
    assert as_of_shown(at) == "World Cup #6 · Dordrecht"
    assert at.query_params["after"] == "6"
    shown_before = at.dataframe[0].value
    at.button_group(key="medal-order").set_value("total").run()  # an unrelated click
    assert as_of_shown(at) == "World Cup #6 · Dordrecht" and at.query_params["after"] == "6"
    assert int(shown_before["total"].sum()) == int(at.dataframe[0].value["total"].sum())
    sidebar_select(at, "after").set_value(2).run()
    sidebar_select(at, "circuit").set_value("lt-wc").run()
    assert as_of_shown(at) == "World Cup #3 · Heerenveen"  # the pick made there, kept
    sidebar_select(at, "circuit").set_value("st-wc").run()
    assert (sidebar_select(at, "season").value, as_of_shown(at)) == ("2019-20", "World Cup #2 · Salt Lake City")


def test_switching_gender_keeps_the_distance() -> None:
    at = open_app(circuit="lt-wc", season="2025-26", cup="men-1500")
    sidebar_select(at, "gender").set_value("women").run()
    assert at.selectbox(key="cup").value == "women-1500"
    at.selectbox(key="cup").set_value("women-3000-5000").run()
    sidebar_select(at, "gender").set_value("men").run()
    assert at.selectbox(key="cup").value == "men-5000-10000"
    at.switch_page("pages/title-race.py").run()
    sidebar_select(at, "gender").set_value("women").run()
    assert not at.exception and at.selectbox(key="cup").value == "women-3000-5000"


def test_nations_follow_the_gender_and_say_what_they_cover() -> None:
    at = open_app("pages/nations.py", circuit="lt-wc", season="2025-26", gender="women")
    women = at.dataframe[0].value
    assert any("women's races" in c.value for c in at.caption)
    sidebar_select(at, "gender").set_value("men").run()
    men = at.dataframe[0].value
    assert any("men's races" in c.value for c in at.caption)
    at.button_group(key="medal-genders").set_value("all").run()
    both = at.dataframe[0].value
    assert any("all races" in c.value for c in at.caption)
    assert not women.equals(men)
    # Every long-track race is a women's or a men's race: the two tables add up to the whole.
    assert int(women["total"].sum()) + int(men["total"].sum()) == int(both["total"].sum())
    assert int(women["gold"].sum()) + int(men["gold"].sum()) == int(both["gold"].sum())


def test_skater_search_the_way_people_type() -> None:
    at = open_app("pages/skater.py", circuit="lt-wc", season="2025-26")
    at.text_input(key="skater_query").input("Zurek").run()
    assert at.selectbox(key="skater_pick").value == "damian-zurek-pol"
    assert at.header[0].value == "Damian ŻUREK"
    at.text_input(key="skater_query").input("nobody like this").run()
    assert any("No skater or team matches" in w.value for w in at.warning)


def test_short_track_2018_20_names_read_as_names_and_races_show_no_points() -> None:
    at = open_app("pages/skater.py", circuit="st-wc", season="2019-20")
    at.text_input(key="skater_query").input("Steven Dubois").run()
    assert at.header[0].value == "Steven DUBOIS"
    races = at.dataframe[-1].value
    assert {"points", "provisional", "day", "division"}.isdisjoint(races.columns)
    assert "None" not in races.astype(str).to_numpy()
    assert at.metric[1].label == "Wins (Final A)"
    at.text_input(key="skater_query").input("Min Jeong").run()
    assert at.header[0].value == "Min Jeong CHOI"


def test_title_race_table_shows_a_blank_not_none_where_no_magic_number_exists() -> None:
    at = open_app("pages/title-race.py", circuit="lt-wc", season="2025-26", cup="men-500", after="2")
    table = at.dataframe[-1].value
    assert "None" not in table["magic_number"].astype(str).tolist()
    assert set(table["magic_number"]) >= {"", "271"}


# --- Olympic quota (issue 13) -------------------------------------------------------------------


def test_olympic_quota_from_a_link_and_a_what_if() -> None:
    at = open_app(
        "pages/qualification.py", circuit="lt-wc", season="2025-26", gender="men", event="men-1000", after="2"
    )
    assert at.query_params["event"] == "men-1000"
    quota, moves, classification = (frame.value for frame in at.dataframe[:3])
    assert {"nation", "total", "limit", "host", "cut", "athletes"} <= set(quota.columns)
    assert set(moves["status"]) <= {"host", "replaced", "cut"} and "1000 m Men" in set(moves["event"])
    first = classification.iloc[0]
    assert (first["quota_rank"], first["name"], first["status"]) == ("1", "Jordan STOLZ", "in")
    assert (classification["status"] == "reserve").sum() == 8
    figure = figures(at)[0]
    assert "quota places" in title_of(figure)
    # What if the first reserve had won the 1000 m at World Cup #2?
    outsider = classification[classification["status"] == "reserve"].iloc[0]
    at.selectbox(key="what-if-who").set_value(outsider["competitor"]).run()
    at.selectbox(key="what-if-wc").set_value(2).run()
    at.number_input(key="what-if-place").set_value(1).run()
    at.button(key="what-if-add").click().run()
    assert not at.exception
    after = at.dataframe[2].value
    mine = after[after["competitor"] == outsider["competitor"]].iloc[0]
    assert mine["status"] == "in"
    assert any(outsider["nation"] in m.value for m in at.markdown if m.value.startswith("- "))
    at.button(key="what-if-clear").click().run()
    assert at.dataframe[2].value["competitor"].tolist() == classification["competitor"].tolist()


def test_olympic_quota_refuses_an_impossible_what_if_with_an_error() -> None:
    """Issue 23: a place or a time no race can have is refused on the page (an error naming the
    field, the value and the allowed range), nothing applied; a possible one is applied. (A place
    past 2**53 - 1 never reaches the page: Streamlit's integer input holds JavaScript's safe
    integers; ``test_qualification_whatif`` refuses 10**30 in the domain.)"""
    at = open_app(
        "pages/qualification.py", circuit="lt-wc", season="2025-26", gender="men", event="men-1000", after="2"
    )
    real = at.dataframe[2].value
    at.selectbox(key="what-if-who").set_value("jordan-stolz-usa").run()
    at.selectbox(key="what-if-wc").set_value(2).run()
    impossible = [
        (2**53 - 1, "", "field 'rank': 9007199254740991 is not a possible rank (1 to 999)"),
        (1000, "", "field 'rank': 1000 is not a possible rank (1 to 999)"),
        (0, "", "field 'rank': 0 is not a possible rank (1 to 999)"),
        (-3, "", "field 'rank': -3 is not a possible rank (1 to 999)"),
        (1, "0.01", "field 'time': time 0.01 is impossible for 1000 m (58.00 to 240.00 s"),
        (1, "59:00.00", "field 'time': time 59:00.00 is impossible for 1000 m (58.00 to 240.00 s"),
        (1, "fast", "field 'time': 'fast' is not a time"),
    ]
    for place, time, said in impossible:
        at.number_input(key="what-if-place").set_value(place).run()
        at.text_input(key="what-if-time").input(time).run()
        at.button(key="what-if-add").click().run()
        assert not at.exception
        assert [plain(said) in e.value for e in at.error] == [True], (place, time, [e.value for e in at.error])
        assert "rs_what_if" not in at.session_state or not at.session_state["rs_what_if"]
        assert at.dataframe[2].value["competitor"].tolist() == real["competitor"].tolist()
        assert not any("finishes" in m.value for m in at.markdown)
    at.number_input(key="what-if-place").set_value(30).run()
    at.text_input(key="what-if-time").input("1:09.99").run()
    at.button(key="what-if-add").click().run()
    assert not at.exception and len(at.error) == 0
    listed = [m.value for m in at.markdown if "finishes" in m.value]
    said = f"finishes 30th in the 1000 m Men at World Cup #2 in {plain('1:09.99')}"
    assert listed == [f"- {plain('Jordan STOLZ (USA)')} {said}"]
    assert at.dataframe[2].value["competitor"].tolist() != real["competitor"].tolist()


def test_olympic_quota_what_if_in_a_race_not_loaded_is_an_error_not_a_broken_page() -> None:
    """World Cup #3 held one men's 500 m (race number 0): a what-if for its "1st" race is refused
    with an error, and not kept (kept, it failed every later run of the page)."""
    at = open_app("pages/qualification.py", circuit="lt-wc", season="2025-26", gender="men", event="men-500", after="4")
    at.selectbox(key="what-if-who").set_value("jordan-stolz-usa").run()
    at.selectbox(key="what-if-wc").set_value(3).run()
    at.button(key="what-if-add").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [plain("no Division A men-500 race 1 at World Cup #3 is loaded")]
    at.run()
    assert not at.exception and not any("finishes" in m.value for m in at.markdown)


def test_olympic_quota_explains_itself_outside_the_qualifying_season() -> None:
    at = open_app("pages/qualification.py", circuit="st-wc", season="2025-26")
    assert any("Olympic quota places are computed for" in i.value for i in at.info)
    after_final = open_app("pages/qualification.py", circuit="lt-wc", season="2025-26", after="4")
    assert not any("does not qualify" in i.value for i in after_final.info)


def test_a_sessions_first_run_sends_the_warm_up_first_and_only_once() -> None:
    """Issue 15: ``ui.warm_up.warm_up`` puts a blank chart and an empty table, in the hidden box,
    before anything else of the run, on a session's first run only; what it returns removes them."""

    def script() -> None:
        import streamlit as st

        from ui.warm_up import warm_up

        remove = warm_up()
        st.markdown("the page")
        if st.session_state.get("remove_now"):
            remove()

    at = AppTest.from_function(script)
    at.run()
    assert not at.exception
    assert len(at.get("bidi_component")) == 1 and len(at.dataframe) == 1
    assert sent_chart(at.get("bidi_component")[0].proto) is None  # it loads the chart code, draws nothing
    assert at.markdown[0].value == "the page"
    at.run()  # the same session again: nothing is sent
    assert len(at.get("bidi_component")) == 0 and len(at.dataframe) == 0
    fresh = AppTest.from_function(script)
    fresh.session_state["remove_now"] = True
    fresh.run()
    assert len(fresh.get("bidi_component")) == 0 and len(fresh.dataframe) == 0  # removed at the end


def test_the_other_cups_are_built_in_the_background_and_a_change_of_cup_builds_nothing() -> None:
    import threading

    from ui import render

    at = open_app(circuit="lt-wc", season="2025-26", gender="men", cup="men-500", after="4")
    for thread in threading.enumerate():
        if thread.name == "rinkside-prepare-cups":
            thread.join(timeout=120)
    built = {key[0] for key in render.figures()._figures}
    # Every men's cup but the team sprint, which has no race by World Cup #4 (nothing to draw).
    men = ["men-500", "men-1000", "men-1500", "men-5000-10000", "men-mass-start", "men-team-pursuit"]
    assert built == {f"{cup}-{chart}" for cup in men for chart in ("progress-chart", "bump-chart")}
    before = dict(render.figures()._figures)
    at.selectbox(key="cup").set_value("men-1500").run()
    assert not at.exception
    progress, bump = figures(at)
    assert "1500 m Men 2025/26: points race" in title_of(progress)
    assert "1500 m Men 2025/26: rank after each World Cup" in title_of(bump)
    assert dict(render.figures()._figures).keys() == before.keys()  # shown from what was built, none built anew
    assert all(before[key][1] is figure for key, (_, figure) in render.figures()._figures.items())


def test_a_started_server_has_built_the_landing_view_before_its_first_visitor() -> None:
    """``ui.server_start.warm`` (the st.App lifespan's work) builds what "/" shows: the first visit
    builds no table and no figure of its own, it reads the caches."""
    from ui import cache, render, server_start

    server_start.warm()
    built = dict(render.figures()._figures)
    assert len(built) == 2  # the first cup's two charts (light theme): what "/" draws
    reads: list[str] = []
    season_from_store = cache.season_from_store
    try:
        cache.season_from_store = lambda *a, **k: reads.append("season") or season_from_store(*a, **k)  # type: ignore[assignment,func-returns-value]
        at = open_app()
    finally:
        cache.season_from_store = season_from_store  # type: ignore[assignment]
    assert len(figures(at)) == 2 and not reads  # the season was not read again
    assert dict(render.figures()._figures).keys() == built.keys()  # no figure was built for it


def test_the_server_is_served_through_the_st_app_of_app_py() -> None:
    """``streamlit run app.py`` finds the st.App (its lifespan warms up) and serves through it."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(Path(APP))
    assert found.is_asgi_app and found.import_string == "app:app"


# --- No "None" in any table (issue 25 item 7) -----------------------------------------------------

_NOT_A_VALUE = {"None", "none", "nan", "NaN", "<NA>", "NaT", "null"}


def _cells_shown_as_none(at: AppTest) -> list[str]:
    """Every table cell the page would draw as a missing value or as the word None/nan, by table and column.

    A missing value is drawn as "None" unless the table's placeholder is empty text (``ui.render.table``'s);
    empty text in a column configured as numbers is drawn as "None" too; and a float column of
    whole numbers as ``18.0``.
    """
    import json

    found = []
    for number, table in enumerate(at.dataframe):
        frame = table.value
        config = json.loads(table.proto.columns or "{}")
        blank = table.proto.HasField("placeholder") and table.proto.placeholder == ""
        for column in frame.columns:
            numeric = config.get(str(column), {}).get("type_config", {}).get("type") == "number"
            if pd.api.types.is_float_dtype(frame[column].dtype):
                present = frame[column].dropna()
                if len(present) and (present == present.round()).all():
                    found.append(f"table {number} {column}: whole numbers drawn as 18.0")
            for value in frame[column]:
                if isinstance(value, list | tuple):
                    continue
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    if not blank:  # the table draws a missing value as its placeholder
                        found.append(f"table {number} {column}: missing")
                elif str(value).strip() in _NOT_A_VALUE or (numeric and value == ""):
                    found.append(f"table {number} {column}: {value!r}")
    return found


@pytest.mark.parametrize(
    ("page", "params"),
    [
        # T09, DQ, DNF, the winner's blank "behind", pairs without a time
        (
            "pages/event.py",
            {"circuit": "lt-wc", "season": "2025-26", "event": "1", "race": "lt-wc/2025-26/wc1/men-1000-a"},
        ),
        # short track: every heat, penalties, finals without a heat number, qualification codes
        (
            "pages/event.py",
            {"circuit": "st-wc", "season": "2019-20", "event": "6", "race": "st-wc/2019-20/wc6/men-1000-a-2"},
        ),
        ("pages/skater.py", {"circuit": "st-wc", "season": "2019-20", "skater": "isu-7352"}),
        ("pages/skater.py", {"skater": "cornelius-kersten-gbr", "gender": "men"}),
        ("pages/data.py", {"circuit": "st-wc", "season": "2019-20"}),
    ],
)
def test_no_table_cell_reads_none_or_nan(page: str, params: dict[str, str]) -> None:
    at = open_app(page, **params)
    assert at.dataframe, "the page shows no table"
    assert _cells_shown_as_none(at) == []


def test_the_skater_page_follows_the_skaters_gender() -> None:
    """Issue 25 item 14: Jordan STOLZ under "Gender: Women" contradicted the sidebar."""
    at = open_app("pages/skater.py", skater="jordan-stolz-usa", gender="women")
    assert at.header[0].value == "Jordan STOLZ"
    assert sidebar_select(at, "gender").value == "men" and at.query_params["gender"] == "men"
    assert any(" · Men · " in c.value for c in at.caption)  # the skater's gender, named as the sidebar names it
    sidebar_select(at, "gender").set_value("women").run()  # the reader's own pick is not overturned
    assert not at.exception and sidebar_select(at, "gender").value == "women"


def test_export_names_are_single_dashed_and_complete_and_the_flag_column_has_a_header() -> None:
    """Issue 25 item 14: ``...after-world-cup--2--calgary.png``; the quota chart's name lost its city."""
    import json

    at = open_app(gender="men", cup="men-500", after="2")
    names = [config["toImageButtonOptions"]["filename"] for config in configs(at)]
    assert names == [
        "500-m-men-2025-26-points-race-after-wc2-calgary",
        "500-m-men-2025-26-ranks-after-wc2-calgary",
    ]
    flag = json.loads(at.dataframe[0].proto.columns)["provisional"]
    assert flag["label"] == "⚑" and "provisional" in flag["help"].lower()
    at.switch_page("pages/qualification.py").run()
    (quota,) = [config["toImageButtonOptions"]["filename"] for config in configs(at)]
    assert quota == "olympic-winter-games-milano-cortina-2026-men-quota-places-after-wc2-calgary"
    assert all("--" not in name and len(name) <= 80 for name in [*names, quota])
