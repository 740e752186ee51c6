"""Link values: accepted when known, refused with a safe notice otherwise."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from standings.present.safe import plain
from standings.present.selection import choose, choose_many, shown, unknown_parameters


def test_known_value_is_taken() -> None:
    assert choose("men-500", ["women-500", "men-500"], name="cup", default="women-500").value == "men-500"
    assert choose("2", [1, 2, 3], name="after", default=3, parse=int).value == 2
    assert choose(None, [1, 2], name="after", default=2).notice is None


def test_unknown_value_falls_back_with_notice() -> None:
    choice = choose("x", [1, 2], name="after", default=2, parse=int, describe=lambda n: f"World Cup #{n}")
    assert choice.value == 2
    assert choice.notice == "This link asks for World Cup x, which this season doesn't have; showing World Cup #2."


def test_a_notice_says_what_the_link_asks_for_in_the_readers_words() -> None:
    """Issue 25 item 14: no parameter names ("The link's after value 999") in a notice."""
    after = choose(
        "999", [1, 2, 3, 4], name="after", default=4, parse=int, describe=lambda n: f"World Cup #{n} · Calgary"
    )
    assert (
        after.notice
        == "This link asks for World Cup 999, which this season doesn't have; showing World Cup #4 · Calgary."
    )
    race = choose("men-9", ["men-500-a"], name="race", default="men-500-a", describe=lambda r: "500 m Men")
    assert race.notice == "This link asks for race men\\-9, which this World Cup doesn't have; showing 500 m Men."
    nations = choose_many("NED,XYZ", ["NED"], name="nations")
    assert nations.notice == "This link asks for nation XYZ, which this season doesn't have; left out."
    for notice in (after.notice, race.notice, nations.notice):
        assert not re.search(r"`|\b(after|event|nations|skater)\b value|link's", notice)


@given(st.text(max_size=300))
def test_any_text_is_quoted_safely(text: str) -> None:
    choice = choose(text + "!", ["a"], name="season", default="a")
    assert choice.value == "a"
    quoted = shown(text + "!")
    assert len(quoted) <= 40 and "`" not in quoted and all(ch.isprintable() for ch in quoted)
    assert choice.notice is not None and plain(quoted) in choice.notice


def test_many_values_keep_the_known_ones() -> None:
    choice = choose_many(["NED", "<b>x</b>,CHN", "NED"], ["NED", "CHN", "KOR"], name="nations")
    assert choice.value == ("NED", "CHN")
    assert choice.notice is not None and plain("<b>x</b>") in choice.notice


def test_unknown_parameters_are_named() -> None:
    assert unknown_parameters({"cup": "x", "utm_source": "y"}) == (
        "The link has parameters this dashboard does not use: `utm_source`."
    )
    assert unknown_parameters({"cup": "x"}) is None


def test_a_tables_links_are_the_links_one_by_one() -> None:
    """``page_links`` (one link per row, the view encoded once) makes exactly what ``page_link`` makes."""
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        import streamlit as st

        from ui import state

        state.set_view(state.View(circuit="lt-wc", season="2025-26", gender="women", after=4))
        names = ["jordan-stolz-usa", "a&b=c d", "ŻUREK"]
        st.session_state["same"] = state.page_links("skater", "skater", names) == [
            state.page_link("skater", skater=name) for name in names
        ]
        st.session_state["one"] = state.page_links("skater", "skater", names[:1])[0]

    at = AppTest.from_function(script)
    at.run()
    assert not at.exception
    assert at.session_state["same"] is True
    assert (
        at.session_state["one"] == "./skater?circuit=lt-wc&season=2025-26&gender=women&after=4&skater=jordan-stolz-usa"
    )
