"""The Streamlit app, run in-process with AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    import streamlit as st

    st.cache_data.clear()


def test_seasons_page_lists_the_loaded_season() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Rinkside"
    seasons = at.dataframe[0].value
    assert seasons.to_dict("records") == [
        {"circuit": "lt-wc", "season": "2025-26", "events": 4, "races": 103, "results": 2514}
    ]
    events = at.dataframe[1].value
    assert list(events["city"]) == ["Salt Lake City", "Calgary", "Heerenveen", "Hamar"]
