"""The frame every figure gets: title, "as of" line, legend band and source line, laid out per width."""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go

from standings.present.charts.style import (
    _AXIS_TITLE_BAND,
    _LEGEND_ROW,
    _MULTILINE_TITLE_LIFT,
    _SOURCE_EM,
    _TICK_BAND,
    _TITLE_EM,
    _TOOLBAR_ROW,
    _TOOLBAR_ROW_BELOW,
    _TOOLBAR_WIDTH,
    _TOP_PAD,
    EXPORT_BASE,
    LEGEND_SIZE,
    SCREEN_WIDTHS,
    SOURCE_SIZE,
    SUBTITLE_SIZE,
    TEMPLATE,
    TEMPLATE_DARK,
    TITLE_SIZE,
    _safe,
    register_templates,
)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False) or [""]


def _title_lines(title: str, width: int, *, toolbar: bool = True) -> list[str]:
    """A title in lines that fit ``width`` pixels: broken after its colon first ("500 m Men:" /
    "points race") when it does not fit on one line; on screen (``toolbar``) the first line
    stops short of the toolbar in the top right corner."""
    room = width - 16
    gutter = _TOOLBAR_WIDTH if toolbar and width >= _TOOLBAR_ROW_BELOW else 0
    first = math.floor((room - gutter) / (_TITLE_EM * TITLE_SIZE))
    rest = math.floor(room / (_TITLE_EM * TITLE_SIZE))
    if len(title) <= first:
        return [title]
    head, colon, tail = title.partition(": ")
    parts = [head + colon.rstrip(), tail] if colon else [title]
    lines: list[str] = []
    for part in parts:
        while part:
            limit = first if not lines else rest
            line = _wrap(part, limit)[0]
            lines.append(line)
            part = part[len(line) :].strip()
    return lines


def _text_width(text: str, size: int) -> float:
    """Pixels a text takes at ``size`` in the sans-serif fonts the charts fall back to (Arial,
    Helvetica, Liberation Sans), a little more than measured: capitals 0.72 em, other letters and
    digits 0.58 em, spaces and punctuation 0.36 em."""
    em = sum(0.72 if ch.isupper() else 0.58 if ch.isalnum() else 0.36 for ch in text)
    return em * size


def _legend_rows(labels: Sequence[str], width: int) -> int:
    """How many rows a horizontal legend of these labels takes at ``width`` pixels (an upper estimate)."""
    rows, used = 0, width
    for label in labels:
        # Plotly's entry: a 40 px sample, the text, and a gap.
        entry = 46 + math.ceil(_text_width(html.unescape(label), LEGEND_SIZE))
        if used + entry > width:
            rows, used = rows + 1, 0
        used += entry
    return rows


def _layout_at(
    fig: go.Figure, width: int, *, title: str, source: str, legend: Sequence[str], toolbar: bool
) -> dict[str, object]:
    """What of a figure's layout depends on its width: the title's and source's lines and the margins
    that hold them and the legend, as Plotly relayout keys."""
    title_lines = _title_lines(title, width, toolbar=toolbar)
    source_lines = _wrap(source, math.floor((width - 16) / (_SOURCE_EM * SOURCE_SIZE)))
    # The legend starts at the plot's left edge and may run to the figure's right edge.
    rows = _legend_rows(legend, width - max(56, fig.layout.margin.l or 56) - 8)
    pad = _TOP_PAD + (_TOOLBAR_ROW if toolbar and width < _TOOLBAR_ROW_BELOW else 0)
    if len(title_lines) > 1:
        # plotly.js draws a title of two or more lines anchored at the top 15.4 px higher than one
        # line (measured, 4.1.1), which cut the tops of the first line's letters at the frame's edge.
        pad += _MULTILINE_TITLE_LIFT
    title_band = pad + round(1.25 * TITLE_SIZE) * len(title_lines) + round(1.4 * SUBTITLE_SIZE)
    below = _TICK_BAND + (_AXIS_TITLE_BAND if fig.layout.xaxis.title.text else 0)
    source_band = round(1.3 * SOURCE_SIZE) * len(source_lines) + 8
    return {
        "title.text": "<br>".join(_safe(line) for line in title_lines),
        "title.pad.t": pad,
        "margin.t": title_band + rows * _LEGEND_ROW + 14,
        "margin.b": below + source_band + 4,
        "source": "<br>".join(_safe(line) for line in source_lines),
    }


def _frame(
    fig: go.Figure, *, title: str, as_of: str, source: str, dark: bool, plot_height: int | None = None
) -> go.Figure:
    """Title, "as of" line, legend band and source line, laid out for every width the chart may have.

    The figure itself is laid out for a phone (``SCREEN_WIDTHS[0]``); ``layout.meta["rinkside"]``
    carries what changes at each wider screen and in the 16:9 export (``EXPORT_BASE``, where the
    title is one line with no toolbar to avoid), and the chart element picks one by the width of
    its box. So a title wraps only where it must, and the legend's band is as tall as the legend.
    With ``plot_height`` the plot keeps that height at every width (the figure grows with its margins).
    """
    register_templates()
    legend = (
        [t.name for t in fig.data if t.showlegend is not False and t.name] if fig.layout.showlegend is not False else []
    )
    if fig.layout.showlegend is None and len(legend) < 2:
        legend = []  # Plotly draws no legend for a single trace unless asked to
    source_index = len(fig.layout.annotations)
    below = _TICK_BAND + (_AXIS_TITLE_BAND if fig.layout.xaxis.title.text else 0)
    margin_r = fig.layout.margin.r if fig.layout.margin.r is not None else 24

    def at(width: int, *, toolbar: bool = True) -> dict[str, object]:
        keys = _layout_at(fig, width, title=title, source=source, legend=legend, toolbar=toolbar)
        keys[f"annotations[{source_index}].text"] = keys.pop("source")
        if plot_height is not None and toolbar:
            keys["height"] = plot_height + int(str(keys["margin.t"])) + int(str(keys["margin.b"]))
        return keys

    phone = at(SCREEN_WIDTHS[0])
    screens = [[width, at(width)] for width in SCREEN_WIDTHS[1:]]
    fig.update_layout(
        template=TEMPLATE_DARK if dark else TEMPLATE,
        title={
            "text": phone["title.text"],
            "font": {"size": TITLE_SIZE},
            "subtitle": {"text": _safe(as_of), "font": {"size": SUBTITLE_SIZE}},
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": phone["title.pad.t"]},
        },
        # The legend sits on the plot's top edge and grows upwards into a band kept for as many
        # rows as the width needs; nothing else is drawn there. (Measured from the plot, not the
        # container: a container-anchored legend makes Plotly widen the left margin by its width.)
        legend={
            "orientation": "h",
            "xref": "paper",
            "x": 0,
            "xanchor": "left",
            "yref": "paper",
            "y": 1,
            "yanchor": "bottom",
        },
        margin={"t": phone["margin.t"], "b": phone["margin.b"]},
        **({"height": phone["height"]} if plot_height is not None else {}),
        meta={"rinkside": {"screens": screens, "export": at(EXPORT_BASE[0], toolbar=False)}},
    )
    # The source line sits in the bottom margin, under the tick labels (and axis title), at the
    # figure's right edge: a fixed pixel offset from the plot, whatever the figure's height.
    fig.add_annotation(
        text=phone[f"annotations[{source_index}].text"],
        showarrow=False,
        xref="paper",
        yref="paper",
        x=1,
        y=0,
        xshift=margin_r - 8,
        yshift=-below,
        xanchor="right",
        yanchor="top",
        align="right",
        font={"size": SOURCE_SIZE},
        name="source",
    )
    return fig
