"""Making sure every page runs inside the app's shell (app.py: navigation and the shared sidebar).

Streamlit still routes a process's first run the old way when a ``pages/`` folder
sits beside the entry script: a link such as ``/overall`` then runs
``pages/overall.py`` on its own, without app.py, until app.py has called
``st.navigation`` once in that process. Each page therefore starts with
``ensure_shell()``: run on its own, it runs app.py instead (whose navigation
picks this same page by its URL path) and stops.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from types import CodeType

import streamlit as st

APP = Path(__file__).resolve().parent.parent / "app.py"
# True only while app.py runs a page, in that script run's own context (a flag in
# session state could be left over from an earlier run).
_IN_SHELL: ContextVar[bool] = ContextVar("rinkside_in_shell", default=False)


def run_page(run: Callable[[], None]) -> None:
    """Run the selected page inside the shell (called by app.py)."""
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
