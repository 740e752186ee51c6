"""Benchmark: each dashboard page's server-side script time (AppTest, in process) against an empty page.

For every page: the first run with every Streamlit cache cleared (cold), and a rerun after
a widget change whose data is already cached (warm: the sidebar's "As of" switched between
two World Cups already shown). The floor is the same measurement of a page holding one
select box and nothing else, taken in the same process.
"""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.testing.v1 import AppTest

from ui.state import widget_key

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = {
    "standings": "pages/standings.py",
    "overall": "pages/overall.py",
    "title-race": "pages/title-race.py",
    "nations": "pages/nations.py",
    "skater": "pages/skater.py",
    "data": "pages/data.py",
    "event": "pages/event.py",
    "qualification": "pages/qualification.py",
}
FLOOR = """
import streamlit as st
st.selectbox("As of", [1, 2, 3, 4], index=3, key="after")
"""


def _timed_run(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].message}")
    return elapsed


def _settled() -> None:
    """Wait for the background build of the Standings page's other cups (it would share the cores)."""
    for thread in threading.enumerate():
        if thread.name.startswith("rinkside-prepare"):
            thread.join(timeout=120)


def _warm(at: AppTest, select: Any, repeat: int) -> float:
    """Median rerun time after switching the select box between two values already shown."""
    values = [3, 4]
    select().select(values[0])
    at.run()
    select().select(values[1])
    at.run()
    _settled()
    times = []
    for i in range(repeat):
        select().select(values[i % 2])
        times.append(_timed_run(at))
    return statistics.median(times)


def _clear() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def floor(repeat: int) -> dict[str, float]:
    """The empty page's cold run and warm rerun."""
    at = AppTest.from_string(FLOOR, default_timeout=60)
    cold = _timed_run(at)
    return {"cold_s": cold, "warm_s": _warm(at, lambda: at.selectbox(key="after"), repeat)}


def page(name: str, repeat: int) -> dict[str, float]:
    """One page's cold first run (all caches cleared) and warm rerun."""
    _clear()
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["circuit"] = "lt-wc"
    at.query_params["season"] = "2025-26"
    if name == "standings":
        cold = _timed_run(at)
    else:
        at.run()
        _clear()
        at.switch_page(PAGES[name])
        cold = _timed_run(at)
    return {
        "cold_s": cold,
        "warm_s": _warm(at, lambda: at.sidebar.selectbox(key=widget_key("after", ("lt-wc", "2025-26"))), repeat),
    }


def run(repeat: int = 7) -> list[dict[str, Any]]:
    """Floor and every page, with the warm ratio to the floor."""
    base = floor(repeat)
    rows: list[dict[str, Any]] = [{"case": "app: empty page (floor)", **base, "warm_ratio": 1.0}]
    for name in PAGES:
        measured = page(name, repeat)
        rows.append({"case": f"app: {name}", **measured, "warm_ratio": measured["warm_s"] / base["warm_s"]})
    return rows


if __name__ == "__main__":
    for record in run():
        print(record)
