"""Figures: one Plotly template, one colour per nation, broadcast-ready titles.

Every chart function takes a tidy table and returns a ``go.Figure`` that carries
its own title, the "as of" event and a source line, so that a PNG downloaded
from the chart's toolbar (``export_config``) is ready for a broadcast screen.

The figures are built on the server, which does not know the reader's screen, so
every layout works from a 390 px phone to a 1440 px desktop: short World Cup tick
labels (``WC1``; the city is in the hover), titles wrapped to a phone's width, the
legend above the plot and the source line below it (so neither can cover the
other), each in a band of fixed pixels that does not depend on the figure's height.
"""

from __future__ import annotations

import hashlib
import html
import math
import textwrap
from collections.abc import Sequence
from typing import Final

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from standings.model import ordinal

TEMPLATE: Final = "rinkside"
TEMPLATE_DARK: Final = "rinkside_dark"

# Ten hues after Okabe & Ito's (orange, blue, vermillion, bluish green, reddish purple, sky blue,
# yellow) and Paul Tol's (indigo, wine, purple), each moved in lightness and chroma, per theme,
# until any two are at least 20 apart in CIEDE2000 (a difference nobody misses; tests check it,
# with ColorAide) and each keeps a 3:1 contrast with the page (WCAG's minimum for lines and marks).
# Twenty apart is more than hues alone give: on white the yellow turns olive and the sky blue
# deepens. Ten is as many as both constraints allow with colours that still look like colours.
PALETTE: Final = (
    "#E69F00",
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#332288",
    "#882255",
    "#AA4499",
)
PALETTE_LIGHT: Final = (
    "#BD8708",
    "#016193",
    "#E15A09",
    "#089E73",
    "#C7789F",
    "#1C9BCE",
    "#7F9C01",
    "#402D92",
    "#831B4C",
    "#BB11C2",
)
PALETTE_DARK: Final = (
    "#E29E02",
    "#1679B9",
    "#D35E07",
    "#099F74",
    "#E388B8",
    "#68BDF1",
    "#E7E031",
    "#8F7BE2",
    "#B25360",
    "#CB1FB6",
)
#: The page's background in Streamlit's light and dark themes (Streamlit 1.67: white and
#: #171614). The charts use the same colour so that no box of another shade shows around
#: them; a browser test compares it with the page's computed background.
BACKGROUND: Final = {False: "#FFFFFF", True: "#171614"}
_TEXT: Final = {False: "#1F2937", True: "#EDEBE8"}
# The leading skating nations' own colour (an index into the palette); the rest a stable hash.
# Two nations may share a colour here: a chart that draws both gives the second another one
# (``nation_colours``), so the nations of one chart are always twenty apart.
_FIXED: Final = {
    "NED": 0,  # orange
    "USA": 1,  # blue
    "CAN": 2,  # red
    "NOR": 3,
    "POL": 4,
    "KOR": 5,  # sky blue, beside China's red
    "GER": 6,
    "CZE": 7,
    "JPN": 8,  # wine: not a second orange beside the Dutch
    "ITA": 9,
    "CHN": 2,  # red
    "KAZ": 5,
    "BEL": 6,
    "FRA": 7,
    "AUT": 9,
    "SUI": 4,
}
MUTED: Final = "rgba(140, 140, 140, 0.35)"
# Skaters of one nation share its colour; these tell them apart (first, second, ... of the
# nation among the lines shown), in the line and in the legend's sample alike.
DASHES: Final = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS: Final = ("circle", "square", "diamond", "triangle-up", "x", "star")

#: Broadcast export sizes (16:9), label to (width, height) in pixels.
EXPORT_SIZES: Final = {
    "1280 x 720 (HD)": (1280, 720),
    "1920 x 1080 (Full HD)": (1920, 1080),
    "3840 x 2160 (4K UHD)": (3840, 2160),
}
#: Every export is laid out at this size and then scaled (Plotly's ``scale``), so a 4K
#: PNG is the HD one at three times the pixels: the same layout, text three times as tall.
EXPORT_BASE: Final = (1280, 720)

# Font sizes in pixels at the export base (1280 x 720), i.e. a third of their height on a
# 4K frame: the title is 1/30 of the frame's height, tick labels 1/48.
TITLE_SIZE: Final = 22
SUBTITLE_SIZE: Final = 15
FONT_SIZE: Final = 15
TICK_SIZE: Final = 14
LEGEND_SIZE: Final = 14
SOURCE_SIZE: Final = 12
LABEL_SIZE: Final = 13
#: The chart widths a figure has a layout for (``_frame``): the widest not wider than the chart's
#: box is drawn (``ui/chart_element.js``), from a 390 px phone (358 px of chart) to a desktop;
#: exports use the one of ``EXPORT_BASE``'s width.
SCREEN_WIDTHS: Final = (358, 560, 680, 800, 960, 1100)
# Pixels a character takes, at most, in titles (22 px) and source lines (12 px).
_TITLE_EM: Final = 0.55
_SOURCE_EM: Final = 0.58
# The toolbar (``ui/chart_element.js``: save as PNG, zoom, reset; top right, 26 px tall): on a
# screen wide enough a title's first line stops short of it; on a phone it has a row of its own
# above the title, which then keeps the whole width.
_TOOLBAR_WIDTH: Final = 100
_TOOLBAR_ROW: Final = 24
_TOOLBAR_ROW_BELOW: Final = 560
_MULTILINE_TITLE_LIFT: Final = 16
_TOP_PAD: Final = 14
_TICK_BAND: Final = 28
_AXIS_TITLE_BAND: Final = 30
_LEGEND_ROW: Final = 28


def _safe(text: str) -> str:
    """Imported text for Plotly labels, which read a few HTML tags: shown as written.

    Every imported string that reaches a figure (names, nations, cities, cups, in trace names,
    categories, hover templates and their data, annotations and titles) goes through here.
    ``%`` becomes the entity ``&#37;`` too, which Plotly shows as ``%``: inside a hover
    template a name's ``%{y}`` would otherwise be filled in with the point's value.
    """
    return html.escape(text, quote=False).replace("%", "&#37;")


def _palette(dark: bool) -> tuple[str, ...]:
    return PALETTE_DARK if dark else PALETTE_LIGHT


def _preferred(nation: str) -> int:
    if nation in _FIXED:
        return _FIXED[nation]
    return int(hashlib.sha256(nation.encode()).hexdigest(), 16) % len(PALETTE)


def nation_colour(nation: str, *, dark: bool = False) -> str:
    """A nation's own colour, in the variant that reads on the theme's background.

    A chart that draws several nations asks ``nation_colours`` instead, which keeps this colour
    for the first of two nations that share one.

    Args:
        nation: IOC code.
        dark: The dark theme's variant.
    """
    return _palette(dark)[_preferred(nation)]


def nation_colours(nations: Sequence[str], *, dark: bool = False) -> dict[str, str]:
    """A colour for each nation drawn together in one chart, no two alike.

    Each nation, in the order given (the most important first), keeps its own colour
    (``nation_colour``) unless a nation before it has that colour; then it takes the next
    colour of the palette nobody in the chart has. Any two colours of a theme's palette are at
    least 20 apart in CIEDE2000, so up to ten nations in one chart are told apart; an
    eleventh and later share.

    Args:
        nations: IOC codes in order of importance (repeats are ignored).
        dark: The dark theme's variants.
    """
    palette = _palette(dark)
    taken: dict[str, int] = {}
    for nation in dict.fromkeys(nations):
        own = _preferred(nation)
        free = [(own + k) % len(palette) for k in range(len(palette))]
        used = set(taken.values())
        taken[nation] = next((i for i in free if i not in used), own)
    return {nation: palette[i] for nation, i in taken.items()}


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#RRGGBB`` colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    light, dim = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dim + 0.05)


def _template(dark: bool) -> go.layout.Template:
    text = _TEXT[dark]
    grid = "rgba(255,255,255,0.12)" if dark else "rgba(0,0,0,0.08)"
    axis = {
        "gridcolor": grid,
        "zeroline": False,
        "linecolor": grid,
        "automargin": True,
        # Never rotated: rotated World Cup labels were clipped on a phone ("WC1 Salt").
        "tickangle": 0,
        "tickfont": {"size": TICK_SIZE},
        "title": {"font": {"size": FONT_SIZE}},
    }
    return go.layout.Template(
        layout=go.Layout(
            font={"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": FONT_SIZE, "color": text},
            paper_bgcolor=BACKGROUND[dark],
            plot_bgcolor=BACKGROUND[dark],
            colorway=list(_palette(dark)),
            xaxis=axis,
            yaxis=axis,
            hoverlabel={"font": {"size": 13}},
            legend={"font": {"size": LEGEND_SIZE}, "bgcolor": "rgba(0,0,0,0)"},
            margin={"l": 56, "r": 24, "t": 96, "b": 80},
        )
    )


def register_templates() -> None:
    """Register the light and dark project templates with Plotly (once per process; cheap after)."""
    if TEMPLATE not in pio.templates or TEMPLATE_DARK not in pio.templates:
        pio.templates[TEMPLATE] = _template(dark=False)
        pio.templates[TEMPLATE_DARK] = _template(dark=True)


def export_config(title: str, size: str = "1920 x 1080 (Full HD)") -> dict[str, object]:
    """Plotly config whose toolbar camera downloads a 16:9 PNG of the given size.

    The figure is laid out at ``EXPORT_BASE`` and scaled to the size asked for, so every
    size shows the same picture, only sharper: text, lines and margins scale together.
    """
    width = EXPORT_SIZES[size][0]  # every size is 16:9 like the base (a test checks), so one factor scales both
    base_width, base_height = EXPORT_BASE
    filename = "-".join("".join(ch if ch.isalnum() else " " for ch in title.lower()).split())[:80].strip("-")
    return {
        "displaylogo": False,
        # plotly.js 4 offers to upload the chart to Plotly's cloud: nothing leaves for another server.
        "showSendToCloud": False,
        "responsive": True,
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "width": base_width,
            "height": base_height,
            "scale": width / base_width,
        },
    }


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


def _world_cup_axis(fig: go.Figure, labels: dict[int, str]) -> None:
    """Categories keep the full ``WC1 Salt Lake City`` (shown in the hover); the ticks say ``WC1``."""
    ordered = sorted(labels)
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=[labels[n] for n in ordered],
        tickvals=[labels[n] for n in ordered],
        ticktext=[f"WC{n}" for n in ordered],
    )


def _world_cup_labels(numbers: pd.Series, cities: dict[int, str]) -> dict[int, str]:
    # The label is the category itself, shown in the hover (``%{x}``): the city is imported text.
    return {int(n): _safe(f"WC{int(n)} {cities.get(int(n), '')}".strip()) for n in numbers.unique()}


def _emphasis(progress: pd.DataFrame, highlight: Sequence[str], top: int) -> set[str]:
    last = progress[progress["world_cup"] == progress["world_cup"].max()]
    leaders = last.dropna(subset=["rank"]).sort_values("rank").head(top)["competitor"]
    return set(leaders) | set(highlight)


def _final_rank(progress: pd.DataFrame) -> dict[str, float]:
    """Each competitor's rank after their last ranked World Cup, for ordering (unranked last)."""
    ranked = progress.dropna(subset=["rank"]).sort_values("world_cup")
    last = ranked.groupby("competitor")["rank"].last()
    return {str(c): float(r) for c, r in last.items()}


def _styles(competitors: Sequence[str], nations: dict[str, str]) -> dict[str, int]:
    """Index of each competitor among the shown ones of their nation (0 for the first), for dash and marker."""
    seen: dict[str, int] = {}
    styles = {}
    for competitor in competitors:
        nation = nations[competitor]
        styles[competitor] = seen.get(nation, 0)
        seen[nation] = styles[competitor] + 1
    return styles


def _short_name(name: str) -> str:
    """The family name of "Given FAMILY" (written in capitals on the sheets); a team's name as it is."""
    family = [word for word in name.split() if word.isupper() and any(ch.isalpha() for ch in word)]
    return " ".join(family) if family else name


def progress_chart(
    progress: pd.DataFrame,
    *,
    title: str,
    as_of: str,
    source: str,
    cities: dict[int, str],
    breakdown: pd.DataFrame | None = None,
    highlight: Sequence[str] = (),
    top: int = 5,
    dark: bool = False,
) -> go.Figure:
    """Cumulative points after each World Cup, one line per competitor.

    The leaders and the picks are a trace each (legend, colour, dash, marker); every other
    competitor's line is part of one grey trace (``_field_trace``): the same lines and hovers,
    a tenth of the traces for the browser to draw.

    Args:
        progress: A progress table (``standings.columns.PROGRESS``).
        title: The chart's title.
        as_of: The "as of" line (``after World Cup #2 (Calgary)``).
        source: The source line.
        cities: World Cup number to city, for the hover.
        breakdown: Race-by-race text per competitor and World Cup for the hover
            (``standings.present.views.event_breakdown``).
        highlight: Competitors to emphasise besides the leaders.
        top: How many leaders to emphasise.
        dark: Use the dark template.
    """
    fig = go.Figure()
    if progress.empty:
        return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)
    data = progress
    if breakdown is not None and not breakdown.empty:
        data = progress.merge(breakdown, on=["competitor", "world_cup"], how="left")
    else:
        data = progress.assign(breakdown="")
    data = data.assign(breakdown=data["breakdown"].fillna("no race").map(_safe))
    strong = _emphasis(progress, highlight, top)
    picked = set(highlight)
    final = _final_rank(progress)
    nations = dict(zip(progress["competitor"], progress["nation"], strict=True))
    ranked = sorted(strong, key=lambda c: (final.get(c, math.inf), c))
    style = _styles(ranked, nations)
    colours = nation_colours([nations[c] for c in ranked], dark=dark)
    labels = _world_cup_labels(progress["world_cup"], cities)
    order = data.groupby("competitor")["points"].max().sort_values().index  # leaders drawn last, on top
    per_competitor = {str(c): rows.sort_values("world_cup") for c, rows in data.groupby("competitor", sort=False)}
    traces = []
    field = [str(c) for c in order if c not in strong]
    if field:
        traces.append(_field_trace(field, per_competitor, labels))
    for competitor in order:
        if competitor not in strong:
            continue
        rows = per_competitor[competitor]
        first = rows.iloc[0]
        label = _safe(f"{first['name']} ({first['nation']})")
        k = style.get(competitor, 0)
        # The legend gives the family name (the hover the whole name), so a phone fits two a row.
        short = _safe(f"{_short_name(str(first['name']))} ({first['nation']})")
        traces.append(
            go.Scatter(
                x=[labels[int(n)] for n in rows["world_cup"]],
                y=rows["points"],
                mode="lines+markers",
                name=short,
                legendgroup=competitor,
                showlegend=True,
                legendrank=int(final.get(competitor, 999)),
                # A pick stands out from the leaders of its nation by a wider line, not the dash alone.
                line={
                    "color": colours[first["nation"]],
                    "width": 5 if competitor in picked else 3,
                    "dash": DASHES[k % len(DASHES)],
                },
                marker={"size": 11 if competitor in picked else 8, "symbol": SYMBOLS[k % len(SYMBOLS)]},
                opacity=1.0,
                customdata=rows[["race_points", "breakdown"]].to_numpy(),
                hovertemplate=(
                    f"<b>{label}</b><br>%{{x}}: %{{y}} points (+%{{customdata[0]}})"
                    "<br>%{customdata[1]}<extra></extra>"
                ),
                meta={"competitor": competitor, "emphasised": True, "nation": str(first["nation"])},
            )
        )
    fig.add_traces(traces)
    _world_cup_axis(fig, labels)
    fig.update_layout(yaxis_title="World Cup points", hovermode="closest", height=500)
    return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)


def _field_trace(field: Sequence[str], per_competitor: dict[str, pd.DataFrame], labels: dict[int, str]) -> go.Scatter:
    """The competitors of a progress chart not emphasised, as one grey trace (``_grey_field``)."""
    lines = []
    for competitor in field:
        rows = per_competitor[competitor]
        first = rows.iloc[0]
        label = _safe(f"{first['name']} ({first['nation']})")
        hover: list[list[object]] = [
            [int(r), str(b), label] for r, b in zip(rows["race_points"], rows["breakdown"], strict=True)
        ]
        lines.append(([labels[int(n)] for n in rows["world_cup"]], [int(p) for p in rows["points"]], hover))
    return _grey_field(
        lines,
        blank=[None, "", ""],
        hovertemplate=(
            "<b>%{customdata[2]}</b><br>%{x}: %{y} points (+%{customdata[0]})<br>%{customdata[1]}<extra></extra>"
        ),
        field=field,
    )


def _grey_field(
    lines: Sequence[tuple[list[str], Sequence[float], list[list[object]]]],
    *,
    blank: list[object],
    hovertemplate: str,
    field: Sequence[str],
) -> go.Scatter:
    """Many competitors' lines as one grey trace: each line a segment (x, y, hover data), the
    segments apart by a gap (``None``), so that the browser draws one path instead of one trace
    per skater. ``blank`` is the hover data of a gap."""
    x: list[str | None] = []
    y: list[float | None] = []
    hover: list[list[object]] = []
    for xs, ys, custom in lines:
        x += [*xs, None]
        y += [*ys, None]
        hover += [*custom, blank]
    return go.Scatter(
        x=x,
        y=y,
        mode="lines+markers",
        name="others",
        showlegend=False,
        connectgaps=False,
        line={"color": MUTED, "width": 1, "dash": "solid"},
        marker={"size": 3, "symbol": "circle"},
        opacity=0.6,
        customdata=hover,
        hovertemplate=hovertemplate,
        meta={"competitor": None, "emphasised": False, "field": list(field)},
    )


def bump_chart(
    progress: pd.DataFrame,
    *,
    title: str,
    as_of: str,
    source: str,
    cities: dict[int, str],
    highlight: Sequence[str] = (),
    top: int = 10,
    dark: bool = False,
) -> go.Figure:
    """Rank after each World Cup for the leading competitors (and any highlighted).

    The rank axis runs from 1 to the deepest rank now held by a line shown (10 for the top ten),
    so the leaders have room; a line that was lower earlier leaves the plot through its bottom.
    Each line's end carries the skater's family name (names sharing a rank share one label).
    """
    fig = go.Figure()
    if progress.empty:
        return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)
    shown = _emphasis(progress, highlight, top)
    picked = set(highlight)
    final = _final_rank(progress)
    nations = dict(zip(progress["competitor"], progress["nation"], strict=True))
    ordered = sorted(shown, key=lambda c: (final.get(c, math.inf), c))
    style = _styles(ordered, nations)
    palette = nation_colours([nations[c] for c in ordered if not picked or c in picked], dark=dark)
    labels = _world_cup_labels(progress["world_cup"], cities)
    ends: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for competitor in reversed(ordered):  # the leader drawn last, on top
        rows = progress[(progress["competitor"] == competitor) & progress["rank"].notna()].sort_values("world_cup")
        if rows.empty:
            continue
        first = rows.iloc[0]
        name = _safe(str(first["name"]))
        strong = not picked or competitor in picked
        colour = palette[first["nation"]] if strong else MUTED
        k = style[competitor]
        x = [labels[int(n)] for n in rows["world_cup"]]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=rows["rank"].astype("int64"),
                mode="lines+markers",
                name=_safe(f"{first['name']} ({first['nation']})"),
                line={
                    "color": colour,
                    "width": 4 if strong else 2,
                    "dash": DASHES[k % len(DASHES)] if strong else "solid",
                },
                marker={"size": 11 if strong else 7, "symbol": SYMBOLS[k % len(SYMBOLS)] if strong else "circle"},
                customdata=rows[["points"]].to_numpy(),
                hovertemplate=(f"<b>{name}</b><br>%{{x}}: rank %{{y}}, %{{customdata[0]}} points<extra></extra>"),
                meta={"competitor": competitor, "emphasised": strong, "nation": str(first["nation"])},
            )
        )
        if strong:
            end = (x[-1], int(rows["rank"].iloc[-1]))
            ends.setdefault(end, []).append((_safe(_short_name(str(first["name"]))), colour))
    deepest = max((int(final[c]) for c in shown if c in final), default=1)
    widest = 0
    texts: list[str] = []
    colours: list[str] = []
    for names in ends.values():
        # One label per end point: skaters sharing a rank share it, so no two labels overlap.
        texts.append(" · ".join(n for n, _ in names))
        colours.append(names[0][1] if len(names) == 1 else _TEXT[dark])
    for (_, rank), text in zip(ends, texts, strict=True):
        widest = max(widest, len(html.unescape(f"{rank}  {text}")))
    if ends:
        # The labels as one text trace beside the lines' ends (cheaper to draw than an annotation each).
        fig.add_trace(
            go.Scatter(
                x=[x_end for x_end, _ in ends],
                y=[rank for _, rank in ends],
                mode="markers+text",
                text=[f"{rank} {text}" for (_, rank), text in zip(ends, texts, strict=True)],
                textposition="middle right",
                # An invisible marker as wide as the lines' end markers keeps the text clear of them.
                marker={"size": 16, "opacity": 0},
                textfont={"size": LABEL_SIZE, "color": colours},
                cliponaxis=False,
                hoverinfo="skip",
                showlegend=False,
                meta={"competitor": None, "emphasised": False, "labels": True},
            )
        )
    fig.update_yaxes(
        range=[deepest + 0.5, 0.5],
        title="Rank",
        tickmode="linear",
        tick0=1,
        dtick=1 if deepest <= 12 else max(2, -(-deepest // 8)),
    )
    _world_cup_axis(fig, labels)
    # A fixed range: Plotly would otherwise widen the axis to hold the end labels, which live in
    # the right margin instead.
    fig.update_xaxes(range=[-0.25, len(labels) - 0.75])
    # Room for the end labels: about 0.62 em a character at the label size.
    fig.update_layout(showlegend=False, height=500, margin={"r": min(170, 24 + math.ceil(0.62 * LABEL_SIZE * widest))})
    return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)


def medal_race_chart(by_event: pd.DataFrame, *, title: str, as_of: str, source: str, dark: bool = False) -> go.Figure:
    """Two nations' cumulative golds and medals across the World Cups."""
    fig = go.Figure()
    cities = {int(n): str(c) for n, c in zip(by_event["world_cup"], by_event["city"], strict=True)}
    labels = _world_cup_labels(by_event["world_cup"], cities)
    colours = nation_colours([str(n) for n in by_event["nation"].unique()], dark=dark)
    for nation in by_event["nation"].unique():
        rows = by_event[by_event["nation"] == nation]
        x = [labels[int(n)] for n in rows["world_cup"]]
        colour = colours[str(nation)]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=rows["medals_total"],
                name=f"{_safe(str(nation))} medals",
                line={"color": colour, "width": 3},
                marker={"size": 8, "symbol": "circle"},
                meta={"nation": str(nation)},
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=rows["gold_total"],
                name=f"{_safe(str(nation))} golds",
                line={"color": colour, "width": 3, "dash": "dot"},
                marker={"size": 8, "symbol": "diamond"},
                meta={"nation": str(nation)},
            )
        )
    if labels:
        _world_cup_axis(fig, labels)
    fig.update_layout(yaxis_title="Cumulative count", hovermode="x unified", height=480)
    return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)


def medal_distance_chart(
    by_distance: pd.DataFrame, *, title: str, as_of: str, source: str, dark: bool = False
) -> go.Figure:
    """Two nations' medals per distance, side by side (horizontal bars: the names fit a phone)."""
    fig = go.Figure()
    distances = list(dict.fromkeys(_safe(str(d)) for d in by_distance["distance"]))
    colours = nation_colours([str(n) for n in by_distance["nation"].unique()], dark=dark)
    for nation in by_distance["nation"].unique():
        rows = by_distance[by_distance["nation"] == nation]
        fig.add_trace(
            go.Bar(
                y=rows["distance"].astype(str).map(_safe),
                x=rows["total"],
                orientation="h",
                name=_safe(str(nation)),
                marker_color=colours[str(nation)],
                meta={"nation": str(nation)},
                customdata=rows[["gold", "silver", "bronze"]].to_numpy(),
                hovertemplate=f"<b>{_safe(str(nation))}</b> %{{y}}: %{{x}} medals "
                "(%{customdata[0]} gold, %{customdata[1]} silver, %{customdata[2]} bronze)<extra></extra>",
            )
        )
    fig.update_yaxes(categoryorder="array", categoryarray=distances, autorange="reversed")
    # The legend even when one nation has no medal at all: whose bars these are is never left to guess.
    fig.update_layout(
        barmode="group",
        xaxis_title="Medals",
        height=max(420, 48 * len(distances) + 240),
        showlegend=True,
        legend={"traceorder": "normal"},  # the nations in the order picked (Plotly reverses horizontal bars')
    )
    return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)


def rank_history_chart(
    history: pd.DataFrame, *, title: str, as_of: str, source: str, nation: str, dark: bool = False
) -> go.Figure:
    """One skater's rank in each of their cups after every World Cup, as a grid of numbers.

    A row per cup, a column per World Cup, the rank written in each cell: nothing is nudged or
    drawn over anything else, so four first places read as four "1"s and a 17th as "17"
    (lines on a rank axis had to be set apart to be seen, which drew a first place off its
    gridline, and merged where the ranks were equal). Podium places are ringed in the
    nation's colour, the rest in grey; the hover adds the points.

    Args:
        history: ``standings.present.views.skater_rank_history``: ``cup``, ``world_cup``, ``rank``, ``points``.
        title: The chart's title.
        as_of: The "as of" line.
        source: The source line.
        nation: The skater's nation (the podium rings' colour).
        dark: The dark template.
    """
    fig = go.Figure()
    cups = [str(c) for c in history["cup"].unique()]
    rows = history[history["rank"].notna()]
    world_cups = sorted(int(n) for n in history["world_cup"].unique())
    own = nation_colour(nation, dark=dark)
    ranks = rows["rank"].astype("int64")
    fig.add_trace(
        go.Scatter(
            x=rows["world_cup"].astype("int64"),
            y=rows["cup"].astype(str).map(_safe),
            mode="markers+text",
            text=[str(r) for r in ranks],
            textposition="middle center",
            textfont={"size": FONT_SIZE, "color": _TEXT[dark]},
            marker={
                "size": 34,
                "symbol": "circle-open",
                "line": {"width": [4 if r <= 3 else 2 for r in ranks]},
                "color": [own if r <= 3 else MUTED for r in ranks],
            },
            customdata=rows[["world_cup", "rank", "points"]].to_numpy(),
            hovertemplate="%{y}<br>WC%{customdata[0]}: rank %{customdata[1]}, %{customdata[2]} points<extra></extra>",
            showlegend=False,
            cliponaxis=False,
        )
    )
    safe_cups = [_safe(c) for c in cups]
    fig.update_yaxes(
        type="category", categoryorder="array", categoryarray=safe_cups, autorange="reversed", showgrid=False
    )
    if world_cups:
        fig.update_xaxes(
            tickvals=world_cups,
            ticktext=[f"WC{n}" for n in world_cups],
            range=[world_cups[0] - 0.5, world_cups[-1] + 0.5],
            showgrid=False,
        )
    fig.update_layout(height=56 * len(cups) + 220, showlegend=False)
    return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)


#: Colours of the title-race statuses (on the light background; ``status_colours`` per theme).
STATUS_COLOURS: Final = {"clinched": "#009E73", "contender": "#0072B2", "eliminated": "rgba(140, 140, 140, 0.55)"}


def status_colours(*, dark: bool = False) -> dict[str, str]:
    """The title-race status colours that read on the theme's background (3:1 or more, as the nations)."""
    if not dark:
        return dict(STATUS_COLOURS)
    return {**STATUS_COLOURS, "contender": "#56B4E9"}


#: The title-race chart's row: a bar of ``_BAR_WIDTH`` of it and its label just above the bar, so a
#: label is about three pixels from its own bar and thirteen from the bar above.
_RACE_ROW: Final = 50
_BAR_WIDTH: Final = 0.36


def title_race_chart(
    race: pd.DataFrame, *, title: str, as_of: str, source: str, top: int = 20, dark: bool = False
) -> go.Figure:
    """Each competitor's points now (bar) and the most still reachable (whisker), coloured by status.

    Each name is written just above its own bar rather than beside the axis, so the bars keep the
    figure's whole width on a phone; rows are far enough apart that a name cannot be read as the
    label of the bar above it (the plot is ``_RACE_ROW`` pixels a row at every width). The
    leader's dotted line runs behind the names, and the points axis ends just past the most
    reachable. The export shows as many rows as fit the 16:9 frame, best first.

    Args:
        race: ``standings.engine.title_race.TitleRace.frame()``.
        title: The chart's title.
        as_of: The "as of" line.
        source: The source line.
        top: How many competitors to show, best first.
        dark: The dark template.
    """
    rows = race.head(top).iloc[::-1]
    fig = go.Figure()
    labels = [f"{n} ({c})" if c else n for n, c in zip(rows["name"], rows["nation"], strict=True)]
    safe_labels = [_safe(label) for label in labels]
    for status, colour in status_colours(dark=dark).items():
        mask = (rows["status"] == status).to_numpy()
        if not mask.any():
            continue
        chosen = rows[mask]
        names = [label for label, keep in zip(safe_labels, mask, strict=True) if keep]
        fig.add_trace(
            go.Bar(
                x=chosen["points"],
                y=names,
                orientation="h",
                width=_BAR_WIDTH,
                name=status.title(),
                marker={"color": colour},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (chosen["max_points"] - chosen["points"]).to_numpy(),
                    "arrayminus": [0] * len(chosen),
                    "color": colour,
                    "thickness": 2,
                    "width": 4,
                },
                customdata=chosen[["max_points", "rank"]].to_numpy(),
                hovertemplate="%{y}: rank %{customdata[1]}, %{x} points now, at most %{customdata[0]}<extra></extra>",
            )
        )
    lift = math.ceil(_BAR_WIDTH * _RACE_ROW / 2) + 2
    for label, points, most in zip(safe_labels, rows["points"], rows["max_points"], strict=True):
        fig.add_annotation(
            x=0,
            y=label,
            text=f"{label} · {int(points)} (at most {int(most)})",
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            yshift=lift,
            borderpad=0,
            # On the page's colour: the leader's dotted line passes behind a name, not through it.
            bgcolor=BACKGROUND[dark],
            font={"size": LABEL_SIZE},
            name="row-label",
        )
    if not race.empty:
        leader = int(race["points"].max())
        reach = int(race.head(top)["max_points"].max())
        # The label sits at the foot of the line, beside the last (lowest-scoring) bars, not over the leader's.
        fig.add_vline(
            x=leader,
            layer="below",
            line={"dash": "dot", "width": 2, "color": _TEXT[dark]},
            annotation_text=f"leader {leader}",
            annotation_position="bottom right",
            annotation_font={"size": LABEL_SIZE},
        )
        fig.update_xaxes(range=[0, max(reach, leader) * 1.04])
    fig.update_layout(
        barmode="overlay",
        xaxis_title="Points: now (bar), most reachable (line)",
        margin={"l": 16},
    )
    fig.update_yaxes(categoryorder="array", categoryarray=safe_labels, showticklabels=False, automargin=False)
    fig = _frame(fig, title=title, as_of=as_of, source=source, dark=dark, plot_height=_RACE_ROW * len(rows))
    # The 16:9 export: the best as fit at the same spacing (the rest are on the page).
    export = fig.layout.meta["rinkside"]["export"]
    room = EXPORT_BASE[1] - int(export["margin.t"]) - int(export["margin.b"])
    shown = max(1, min(len(rows), room // _RACE_ROW))
    if shown < len(rows):
        export["yaxis.range"] = [len(rows) - shown - 0.5, len(rows) - 0.5]
    return fig


def quota_chart(table: pd.DataFrame, *, title: str, as_of: str, source: str, dark: bool = False) -> go.Figure:
    """Olympic quota places per nation (one gender), longest bar first.

    Args:
        table: Rows of ``standings.columns.QUOTA_TABLE`` for one gender: ``nation``, ``total``,
            ``limit`` and ``provisional``.
        title: The figure's title.
        as_of: The "as of" line.
        source: The source line.
        dark: The dark template.
    """
    rows = table[table["total"] > 0].sort_values(["total", "nation"], ascending=[True, False])
    fig = go.Figure(
        go.Bar(
            x=rows["total"],
            y=rows["nation"].astype(str).map(_safe),
            orientation="h",
            # One colour: the nation is the bar's label, and twenty nations cannot each have a
            # colour twenty apart from every other (``nation_colours``).
            marker={"color": _palette(dark)[1]},
            text=[f"{t} · limit {lim}" for t, lim in zip(rows["total"], rows["limit"], strict=True)],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x} quota places<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_layout(
        xaxis_title="Quota places",
        height=max(320, 28 * len(rows) + 200),
        margin={"r": 64},
        yaxis={"type": "category"},
    )
    return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)


def lap_chart(
    laps: pd.DataFrame,
    *,
    title: str,
    as_of: str,
    source: str,
    highlight: Sequence[str] = (),
    top: int = 5,
    dark: bool = False,
) -> go.Figure:
    """Each skater's lap times through a long-track race: one line per skater, passage by passage.

    The first ``top`` of the race and the picks are a trace each (legend, nation colour, dash,
    marker); the rest of the field is one grey trace with gaps, as in ``progress_chart``. The
    opening stretch (100 m to 300 m) is the first point, so it sits below the 400 m laps.

    Args:
        laps: A laps table (``standings.columns.LAPS``, from ``present.event.race_laps``).
        title: The chart's title.
        as_of: The line under the title.
        source: The source line.
        highlight: Competitors to emphasise besides the first ``top``.
        top: How many of the race's first places to emphasise.
        dark: Use the dark template.
    """
    fig = go.Figure()
    data = laps.dropna(subset=["lap_seconds"])
    if data.empty:
        return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)
    passages = list(dict.fromkeys(data.sort_values("lap", kind="stable")["passage"]))
    ranked = data.drop_duplicates("competitor").sort_values("rank", na_position="last", kind="stable")
    order = [str(c) for c in ranked["competitor"]]
    strong = [c for c in order if c in set(order[:top]) | set(highlight)]
    nations = dict(zip(data["competitor"].astype(str), data["nation"].astype(str), strict=False))
    style = _styles(strong, nations)
    colours = nation_colours([nations[c] for c in strong], dark=dark)
    per_competitor = {str(c): rows.sort_values("lap") for c, rows in data.groupby("competitor", sort=False)}
    hover_template = (
        "<b>%{customdata[0]}</b><br>Lap to %{x}: %{customdata[1]} s<br>"
        "Passage %{customdata[2]}%{customdata[3]}<extra></extra>"
    )

    def hover(rows: pd.DataFrame, label: str) -> list[list[object]]:
        return [
            [label, _safe(str(t)), _safe(str(p)), "" if pd.isna(r) else f", {ordinal(int(r))} at the passage"]
            for t, p, r in zip(rows["lap_time"], rows["passage_time"], rows["lap_rank"], strict=True)
        ]

    field = [c for c in order if c not in strong]
    if field:
        lines = []
        for competitor in field:
            rows = per_competitor[competitor]
            first = rows.iloc[0]
            xs = [_safe(str(p)) for p in rows["passage"]]
            ys = [float(v) for v in rows["lap_seconds"]]
            lines.append((xs, ys, hover(rows, _safe(f"{first['name']} ({first['nation']})"))))
        fig.add_trace(_grey_field(lines, blank=["", "", "", ""], hovertemplate=hover_template, field=field))
    for place, competitor in enumerate(strong, start=1):
        rows = per_competitor[competitor]
        first = rows.iloc[0]
        k = style[competitor]
        rank = "" if pd.isna(first["rank"]) else f"{int(first['rank'])}. "
        fig.add_trace(
            go.Scatter(
                x=[_safe(str(p)) for p in rows["passage"]],
                y=[float(v) for v in rows["lap_seconds"]],
                mode="lines+markers",
                name=_safe(f"{rank}{_short_name(str(first['name']))} ({first['nation']})"),
                legendrank=place,
                line={
                    "color": colours[str(first["nation"])],
                    "width": 3,
                    "dash": DASHES[k % len(DASHES)],
                },
                marker={"size": 8, "symbol": SYMBOLS[k % len(SYMBOLS)]},
                customdata=hover(rows, _safe(f"{first['name']} ({first['nation']})")),
                hovertemplate=hover_template,
                meta={"competitor": competitor, "emphasised": True, "nation": str(first["nation"])},
            )
        )
    fig.update_xaxes(
        type="category", categoryorder="array", categoryarray=[_safe(p) for p in passages], title="Passage"
    )
    fig.update_layout(yaxis_title="Lap time (s)", hovermode="closest", height=480)
    return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)
