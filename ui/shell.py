"""Making sure every page runs inside the app's shell (app.py: navigation and the shared sidebar).

Streamlit still routes a process's first run the old way when a ``pages/`` folder
sits beside the entry script: a link such as ``/overall`` then runs
``pages/overall.py`` on its own, without app.py, until app.py has called
``st.navigation`` once in that process. Each page therefore starts with
``ensure_shell()``: run on its own, it runs app.py instead (whose navigation
picks this same page by its URL path) and stops.

A fan's open page does not rerun by itself, so ``run_page`` also starts a live refresh: a
fragment in the sidebar that the browser reruns every ``RINKSIDE_REFRESH_SECONDS`` (default 30,
``0``: off). It draws nothing; when the store's data version (``ui.cache.version``) is no longer
the one the page was drawn at (the sync worker, or an import, changed the results), it reruns
the whole app, so every open page shows new results within one interval (plus the version's
one-second cache), on whichever app server it is.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from types import CodeType

import streamlit as st

from ui.cache import version as data_version

APP = Path(__file__).resolve().parent.parent / "app.py"
# True only while app.py runs a page, in that script run's own context (a flag in
# session state could be left over from an earlier run).
_IN_SHELL: ContextVar[bool] = ContextVar("rinkside_in_shell", default=False)


REFRESH_VARIABLE = "RINKSIDE_REFRESH_SECONDS"
DEFAULT_REFRESH_SECONDS = 30.0
# The data version the page in this session was last drawn at.
_DRAWN_VERSION_KEY = "rs_drawn_version"


def refresh_seconds() -> float:
    """The live refresh's interval: ``RINKSIDE_REFRESH_SECONDS`` (default 30; ``0`` turns it off).

    Raises:
        ValueError: The variable is not a number of seconds (0 or more).
    """
    text = os.environ.get(REFRESH_VARIABLE, "").strip()
    if not text:
        return DEFAULT_REFRESH_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"{REFRESH_VARIABLE} must be a number of seconds (0: off), not {text!r}") from None
    if not seconds >= 0:  # also refuses NaN
        raise ValueError(f"{REFRESH_VARIABLE} must be a number of seconds (0: off), not {text!r}")
    return seconds


def _rerun_if_new_data() -> None:
    """The live refresh's fragment body: draws nothing, reruns the app when the data changed."""
    if data_version() != st.session_state.get(_DRAWN_VERSION_KEY):
        st.rerun()  # scope "app": the whole page, drawn from the new data


def _live_refresh() -> None:
    seconds = refresh_seconds()
    if not seconds:
        return
    st.session_state[_DRAWN_VERSION_KEY] = data_version()
    # In the sidebar, after its widgets: the pages' own elements keep their places.
    with st.sidebar:
        st.fragment(_rerun_if_new_data, run_every=seconds)()


def run_page(run: Callable[[], None]) -> None:
    """Run the selected page inside the shell, with the live refresh (called by app.py)."""
    _live_refresh()
    token = _IN_SHELL.set(True)
    try:
        run()
    finally:
        _IN_SHELL.reset(token)


@cache
def _app_code(modified: float) -> CodeType:
    """app.py, compiled once per version of the file (``modified``: its mtime)."""
    return compile(APP.read_text(encoding="utf-8"), str(APP), "exec")


def ensure_shell() -> None:
    """Called first by every page: if the shell is not running, run app.py and stop here."""
    if _IN_SHELL.get():
        return
    exec(_app_code(APP.stat().st_mtime), {"__name__": "__main__", "__file__": str(APP)})
    st.stop()
