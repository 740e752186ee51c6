"""Warming the browser up: the chart and table code loads while the server works on a first visit.

Light on purpose (Streamlit only at import): app.py calls ``warm_up`` before it imports the
domain package, pandas and Plotly, so that on a fresh server even that import time is spent by
the browser on the code of the elements to come.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final

import streamlit as st

_WARMED: Final = "rs_charts_warmed"
_IMPORTS: Final = threading.RLock()


@contextmanager
def one_import_at_a_time() -> Iterator[None]:
    """Hold the app's first imports to one session at a time.

    Streamlit runs each session's script in a thread of its own; on a fresh server the first
    visitors' runs import the package at once, and Python's per-module import locks then hand
    one thread a module the other is still initialising (``cannot import name 'Entry' from
    partially initialized module 'standings.engine.title_race'``). Under this lock the first run
    imports everything; the others wait for it, then find every module whole.
    """
    with _IMPORTS:
        yield


_WARM_UP_KEY: Final = "rs-warm-up"


def warm_up() -> Callable[[], None]:
    """Have the browser load the chart and table code while the server is still working (call first).

    The browser loads the code of the chart (plotly.js's basic build, 1.2 MB) and table (1.2 MB)
    elements only when a page's first chart or table arrives, which on a first visit is after the data are
    loaded: the browser then spends a second or more on that code with the page waiting. A blank
    chart and an empty table, sent in a hidden box at the very start of a session's first run,
    start that work at once, in parallel with the server (the chart element with no figure only
    loads its code). They carry no data, and the function
    returned removes them when the run ends; later runs send nothing.

    Returns:
        What to call at the end of the script run.
    """
    if st.session_state.get(_WARMED):
        return lambda: None
    st.session_state[_WARMED] = True
    with one_import_at_a_time():
        import pandas as pd  # here, not at import: see the module's docstring

        from ui.chart_element import plotly_chart

    slot = st.empty()
    with slot.container(key=_WARM_UP_KEY, height=1, border=False):
        # Kept out of sight: the box is a pixel high and clips what it holds.
        st.html(f"<style>.st-key-{_WARM_UP_KEY} {{ opacity: 0; pointer-events: none; }}</style>")
        plotly_chart(None, key="rs-warm-up-chart", config={"staticPlot": True})  # loads the code, draws nothing
        st.dataframe(pd.DataFrame({"": []}), key="rs-warm-up-table", hide_index=True)

    def remove() -> None:
        slot.empty()

    return remove
