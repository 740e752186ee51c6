"""The chart element: a Plotly figure drawn with plotly.js's basic build, served by the app itself.

Light on purpose (Streamlit only): ``ui.warm_up`` mounts it at a session's very start, before the
heavy imports, so that the browser loads the chart code while the server works.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import streamlit as st

#: The element's name (``BidiComponent.component_name`` in what the server sends).
NAME: Final = "rinkside.chart"

#: The chart element (``ui/chart_element.js``): plotly.js's basic build, served from ``static/``.
_CHART_ELEMENT: Final = st.components.v2.component(
    NAME,
    # The space below leaves the corner above a table free for the table's toolbar, which would
    # otherwise cover the chart's source line on a phone.
    html='<div class="rs-chart" style="width: 100%; margin-bottom: 28px"></div>',
    js=(Path(__file__).resolve().parent / "chart_element.js").read_text(encoding="utf-8"),
    isolate_styles=False,  # in the page itself, like Streamlit's own chart: one document, one Plotly
)


def plotly_chart(figure: bytes | None, *, key: str, config: dict[str, Any]) -> None:
    """Draw a figure given as JSON bytes (``None``: only load the chart code, drawing nothing).

    In place of ``st.plotly_chart``, whose element brings the whole plotly.js (4.7 MB, evaluated
    again by every new tab) and copies the figure into a dictionary on every rerun: this one
    loads the 1.2 MB basic build once per tab (``static/``, served by the app itself) and sends
    the figure's JSON as made once per cached figure. The project's figures use scatter and bar
    traces only, all in the basic build (a test checks).
    """
    payload = b'{"config":' + json.dumps(config).encode("utf-8") + b',"figure":' + (figure or b"null") + b"}"
    _CHART_ELEMENT(key=key, data=payload, width="stretch")


def sent_chart(element: Any) -> dict[str, Any] | None:
    """What a sent element draws, ``{"figure": ..., "config": ...}``, or None if it draws no chart.

    Args:
        element: The ``BidiComponent`` message of an element the server sent (``Element.bidi_component``;
            in AppTest, ``at.get("bidi_component")[i].proto``).
    """
    if getattr(element, "component_name", None) != NAME or not element.bytes:
        return None
    payload: dict[str, Any] = json.loads(element.bytes)
    return payload if payload.get("figure") is not None else None


def drawn_figures(node: Any) -> list[dict[str, Any]]:
    """The figures an AppTest page (or a block of it) draws, in order: its chart elements' data."""
    return [chart["figure"] for element in node.get("bidi_component") if (chart := sent_chart(element.proto))]
