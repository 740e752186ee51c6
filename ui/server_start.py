"""The server's start: the dashboard is warmed up before its first visitor, not by them.

``streamlit run app.py`` serves the dashboard through the ``st.App`` in app.py, whose lifespan is
``warm_at_start``. As the server starts, a thread imports every module a page needs, opens the
store (filling it from the shipped data when it is empty) and builds the landing view: the
Standings page as a visitor of ``/`` first sees it (the first circuit's newest season, its first
gender, as of its last World Cup): its first cup's leaderboard and both charts in the light theme.
A restarted server's first visitor then reads caches only.

The server answers meanwhile. A visitor who arrives before the work is done waits for the same
work, not for it twice: the imports are made one at a time (``ui.warm_up``), and a session that
asks for a table being built gets the one built.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from ui.warm_up import one_import_at_a_time

_LOG = logging.getLogger(__name__)
#: Set when the server has started a warm-up (never in a test's or a script's process).
_STARTED = threading.Event()
#: Set when that warm-up has finished, or failed.
_WARMED = threading.Event()


@asynccontextmanager
async def warm_at_start(app: Any) -> AsyncIterator[None]:
    """The ``st.App`` lifespan: start warming the dashboard up in a thread, and serve at once."""
    use_the_system_allocator()
    _STARTED.set()
    thread = threading.Thread(target=_warm_once, name="rinkside-warm-at-start", daemon=True)
    thread.start()
    yield


def _warm_once() -> None:
    try:
        warm()
    finally:
        _WARMED.set()


def wait_for_warm_up(timeout: float = 30.0) -> None:
    """Wait until the server's warm-up has finished, if one is running (called by a session's run).

    A visitor who arrives while it runs would otherwise do the same work beside it (the same
    season, the same figures), each slowing the other on a machine of few cores; the warm-up
    does exactly what the first visit needs, so waiting for it is never slower.
    """
    if _STARTED.is_set():
        _WARMED.wait(timeout)


def use_the_system_allocator() -> None:
    """Have Arrow (the tables' storage) allocate with the C library's allocator, not its own pool.

    Arrow's default pool (jemalloc or mimalloc) keeps freed memory for reuse; for a dashboard that
    builds its tables once and then only reads them, that is memory held for nothing: one session's
    server 204 -> 198 MiB (the same as ``ARROW_DEFAULT_MEMORY_POOL=system``, which still wins when
    set). Only for tables made from now on.
    """
    import os

    if "ARROW_DEFAULT_MEMORY_POOL" in os.environ:
        return
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


def warm() -> None:
    """Import the pages' modules and build the landing view into the caches every session shares.

    Never raises: a failure is logged, and the first visit builds what is missing as it would
    without a warm start (a store that cannot be opened is then reported on the page).
    """
    try:
        with one_import_at_a_time():
            import ui.boot  # noqa: F401 - every module a page imports
        from standings.present.charts import register_templates
        from ui import cache, cup_view, state

        register_templates()
        loaded = cache.catalogue()
        if loaded.empty:
            return
        circuit = str(loaded["circuit"].iloc[0])
        season_id = str(max(loaded.loc[loaded["circuit"] == circuit, "season"]))
        season = cache.season(circuit, season_id)
        cache.freshness(circuit, season_id)
        cache.sources(circuit, season_id)
        genders = sorted({cup.gender for cup in season.cups}, reverse=True)
        if not genders or not season.world_cups:
            return
        view = state.View(circuit=circuit, season=season_id, gender=genders[0], after=season.world_cups[-1])
        cups = [cup for cup in season.cups if cup.gender == view.gender and not cup.overall]
        # Only what the first visit draws: more would hold the interpreter while that visit runs
        # (measured: a cold visit 2.77 -> 3.19 s when every cup was built here). The other cups
        # are built after the visit's run, as after any (``cup_view.prepare_siblings``).
        cup_view.prepare_cups(season, view, cups[:1], dark=False)
    except Exception:  # a head start only
        _LOG.exception("warming the dashboard up at the server's start failed")
