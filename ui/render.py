"""Rendering helpers: charts with broadcast export, tables with CSV download."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from standings.charts import EXPORT_SIZES, export_config

EXPORT_SIZE_KEY = "rs_export_size"
_MARKDOWN_SPECIALS = "\\`*_{}[]()<>#+-.!|~$"


def plain(text: str) -> str:
    """Imported text escaped for Streamlit's Markdown: shown as written, never as markup or HTML."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in str(text))


DEFAULT_EXPORT = "1920 x 1080 (Full HD)"


def chart(fig: go.Figure, *, key: str, title: str) -> None:
    """A Plotly chart in the project template; its camera button saves a 16:9 PNG."""
    size = st.session_state.get(EXPORT_SIZE_KEY, DEFAULT_EXPORT)
    if size not in EXPORT_SIZES:
        size = DEFAULT_EXPORT
    st.plotly_chart(fig, theme=None, key=key, config=export_config(title, size))


def table(
    frame: pd.DataFrame,
    *,
    key: str,
    file_name: str,
    column_config: dict[str, Any] | None = None,
    column_order: list[str] | None = None,
) -> None:
    """A sortable table and a button that downloads it as CSV (all columns shown)."""
    st.dataframe(
        frame,
        key=key,
        hide_index=True,
        column_config=column_config,
        column_order=column_order,
        width="stretch",
    )
    st.download_button(
        "Download CSV",
        frame.to_csv(index=False).encode("utf-8"),
        file_name=file_name,
        mime="text/csv",
        key=f"{key}-csv",
        icon=":material/download:",
    )
