"""Rendering helpers: charts with broadcast export, tables with CSV download."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Final

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from standings.columns import meaning
from standings.present.charts import EXPORT_SIZES, export_config
from standings.present.safe import csv_cell
from standings.present.safe import plain as plain  # the pages' one Markdown escape: render.plain
from ui import cache
from ui.chart_element import plotly_chart

EXPORT_SIZE_KEY = "rs_export_size"

DEFAULT_EXPORT = "1920 x 1080 (Full HD)"


class _FrozenFigure(go.Figure):  # type: ignore[misc]
    """A built figure that is never changed again: its JSON form is made once and reused.

    Turning a figure into JSON (``Figure.to_json``: a walk over every property plus base64
    encoding of every array) costs milliseconds; for a cached figure it is the same each time,
    so the bytes are kept. The chart element only reads them.
    """

    _frozen: bytes | None = None

    def json_bytes(self) -> bytes:
        """The figure as UTF-8 JSON (``{"data": [...], "layout": {...}}``), made once."""
        if self._frozen is None:
            self._frozen = self.to_json(validate=False).encode("utf-8")
        return self._frozen


def _freeze(figure: go.Figure) -> _FrozenFigure:
    figure.__class__ = _FrozenFigure  # same layout and data; only the JSON form is remembered
    frozen: _FrozenFigure = figure
    return frozen


class FigureCache:
    """Built figures shared by every session: least recently used first out, each kept an hour at most.

    Building a figure from its table takes tens to hundreds of milliseconds (Plotly
    validates every property); a rerun that shows the same view reuses the figure.
    Figures are never changed after they are built (the chart element reads their JSON form only).
    """

    def __init__(self, limit: int = 128, ttl: float = 3600.0) -> None:
        self.limit = limit
        self.ttl = ttl
        self._figures: OrderedDict[Hashable, tuple[float, _FrozenFigure]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], go.Figure]) -> _FrozenFigure:
        """The figure for ``key``, built by ``build`` when missing or expired."""
        now = time.monotonic()
        with self._lock:
            found = self._figures.get(key)
            if found is not None and now - found[0] < self.ttl:
                self._figures.move_to_end(key)
                return found[1]
        figure = _freeze(build())
        with self._lock:
            self._figures[key] = (now, figure)
            self._figures.move_to_end(key)
            while len(self._figures) > self.limit:
                self._figures.popitem(last=False)
        return figure


@st.cache_resource(show_spinner=False)
def figures() -> FigureCache:
    """The process's figure cache."""
    return FigureCache()


def prepare(build: Callable[[], go.Figure], *, key: str, view: Hashable) -> None:
    """Build a figure into the figure cache (and its JSON form) without showing it."""
    figures().get((key, view, cache.version()), build).json_bytes()


def chart(build: Callable[[], go.Figure], *, key: str, title: str, view: Hashable) -> None:
    """A Plotly chart in the project template; its camera button saves a 16:9 PNG.

    Args:
        build: Builds the figure (called only when the figure cache lacks ``view``).
        key: The element's key.
        title: The PNG's file name.
        view: Everything the figure depends on (page, selection, theme): the cache key, with the
            store's data version.
    """
    size = st.session_state.get(EXPORT_SIZE_KEY, DEFAULT_EXPORT)
    if size not in EXPORT_SIZES:
        size = DEFAULT_EXPORT
    figure = figures().get((key, view, cache.version()), build)  # a new result is a new figure
    plotly_chart(figure.json_bytes(), key=key, config=export_config(title, size))


_HEADERS: Final = {
    "world_cup": "World Cup",
    "race_id": "Race",
    "event_id": "Event",
    "of": "Ranked",
    "first_day": "First day",
    "last_day": "Last day",
    "official_points": "Printed points",
    "points_note": "Why",
    "max_points": "Max",
}


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as a CSV download: UTF-8 with a byte-order mark, which spreadsheet programs need to
    read accented names (ŻUREK) as written; formula-like cells are written as text (``safe.csv_cell``).

    Rows end with CRLF (RFC 4180), so a cell holding a carriage return is quoted rather than
    read as the start of a new row (whose first cell would not be neutralised).
    """
    return frame.map(csv_cell).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def column_header(column: str) -> str:
    """A table column's header as readers see it: ``world_cup`` → ``World Cup``, ``gold`` → ``Gold``."""
    return _HEADERS.get(column) or column.replace("_", " ").capitalize()


#: Where a table is ordered by result (its first column the rank or place), these columns of how
#: the race was skated come after the result, so that on a phone (358 px of table) rank, name,
#: nation and time fit without a sideways swipe.
_SKATED: Final = ("pair", "lane", "side", "heat", "round", "start_position")
#: The columns a status comes after when it would stand before the time.
_RESULT: Final = ("time", "time_behind", "official_points")
#: Narrow columns, in pixels, wide enough for their header and values (a page's own width wins).
_WIDTHS: Final = {
    "rank": 52,
    "place": 52,
    "nation": 64,
    "pair": 48,
    "lane": 52,
    "side": 52,
    "heat": 52,
    "world_cup": 64,
    "races": 60,
    "wins": 52,
    "gold": 52,
    "silver": 60,
    "bronze": 64,
    "provisional": 40,
    "quota_rank": 60,
    "nation_rank": 48,
}


def _is_link(config: Any) -> bool:
    return isinstance(config, dict) and config.get("type_config", {}).get("type") == "link"


def phone_order(columns: list[str], config: dict[str, Any]) -> list[str]:
    """The order a table's columns are shown in: the table's own, with links last, the status after
    the time, and, in a table ordered by result, how it was skated (``_SKATED``) after the result."""
    links = [c for c in columns if _is_link(config.get(c))]
    rest = [c for c in columns if c not in links]
    skated: list[str] = []
    if rest and rest[0] in ("rank", "place"):
        skated = [c for c in rest if c in _SKATED]
        rest = [c for c in rest if c not in skated]
    results = [c for c in _RESULT if c in rest]
    if "status" in rest and results and rest.index("status") < rest.index(results[0]):
        rest.remove("status")
        rest.insert(rest.index(results[-1]) + 1, "status")
    return rest + skated + links


def table(
    frame: pd.DataFrame,
    *,
    key: str,
    file_name: str,
    column_config: dict[str, Any] | None = None,
    column_order: list[str] | None = None,
) -> None:
    """A sortable table and a button that downloads it as CSV (all columns shown).

    Columns without a configuration get a readable header (``world_cup`` → "World Cup"); the
    CSV starts with a byte-order mark, so spreadsheet programs read ŻUREK as written. On screen
    the columns a reader looks for come first and narrow columns are narrow (``phone_order``,
    ``_WIDTHS``), so that on a phone rank, name, nation and time or points need no swipe; links
    come last.
    """
    headers: dict[str, Any] = {
        str(c): st.column_config.Column(column_header(str(c)), help=meaning(str(c))) for c in frame.columns
    }
    config = {**headers, **(column_config or {})}
    for column, width in _WIDTHS.items():
        if column in config and isinstance(config[column], dict) and not config[column].get("width"):
            config[column] = {**config[column], "width": width}
    shown = column_order or [str(c) for c in frame.columns]
    st.dataframe(
        frame,
        key=key,
        hide_index=True,
        column_config=config,
        column_order=phone_order(shown, config),
        width="stretch",
        placeholder="",  # a missing value is an empty cell, not the word "None" (``views.blanks``)
    )
    st.download_button(
        "Download CSV",
        lambda: csv_bytes(frame),  # made when clicked, not on every rerun
        file_name=file_name,
        mime="text/csv",
        key=f"{key}-csv",
        icon=":material/download:",
    )
