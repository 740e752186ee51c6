"""The charts' look: one Plotly template per theme, the nations' colours, font sizes and the export sizes."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from typing import Final

import plotly.graph_objects as go
import plotly.io as pio

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
