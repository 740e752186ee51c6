"""Figures: one Plotly template, one colour per nation, broadcast-ready titles.

Every chart function takes a tidy table and returns a ``go.Figure`` that carries
its own title, the "as of" event and a source line, so that a PNG downloaded
from the chart's toolbar (``export_config``) is ready for a broadcast screen.

The figures are built on the server, which does not know the reader's screen, so each
carries a layout for every width from a 390 px phone to a desktop and one for the export
(``frame``; the chart element draws the one for its box): short World Cup tick labels
(``WC1``; the city is in the hover), titles wrapped only where the width needs it, the
legend above the plot and the source line below it (so neither can cover the other),
each in a band of fixed pixels that does not depend on the figure's height.

The package: ``style`` (template, colours, sizes, the export's options), ``frame`` (title, legend
band and source line per width), ``lines`` (points race, ranks, laps), ``bars`` (medals, a
skater's ranks, title race, quota).
"""

from standings.present.charts.bars import (
    STATUS_COLOURS,
    medal_distance_chart,
    medal_race_chart,
    quota_chart,
    rank_history_chart,
    status_colours,
    title_race_chart,
)
from standings.present.charts.lines import bump_chart, lap_chart, progress_chart
from standings.present.charts.style import (
    BACKGROUND,
    DASHES,
    EXPORT_BASE,
    EXPORT_SIZES,
    FONT_SIZE,
    LABEL_SIZE,
    LEGEND_SIZE,
    MUTED,
    PALETTE,
    PALETTE_DARK,
    PALETTE_LIGHT,
    SCREEN_WIDTHS,
    SOURCE_SIZE,
    SUBTITLE_SIZE,
    SYMBOLS,
    TEMPLATE,
    TEMPLATE_DARK,
    TICK_SIZE,
    TITLE_SIZE,
    contrast_ratio,
    export_config,
    nation_colour,
    nation_colours,
    register_templates,
    relative_luminance,
)

__all__ = [
    "BACKGROUND",
    "DASHES",
    "EXPORT_BASE",
    "EXPORT_SIZES",
    "FONT_SIZE",
    "LABEL_SIZE",
    "LEGEND_SIZE",
    "MUTED",
    "PALETTE",
    "PALETTE_DARK",
    "PALETTE_LIGHT",
    "SCREEN_WIDTHS",
    "SOURCE_SIZE",
    "STATUS_COLOURS",
    "SUBTITLE_SIZE",
    "SYMBOLS",
    "TEMPLATE",
    "TEMPLATE_DARK",
    "TICK_SIZE",
    "TITLE_SIZE",
    "bump_chart",
    "contrast_ratio",
    "export_config",
    "lap_chart",
    "medal_distance_chart",
    "medal_race_chart",
    "nation_colour",
    "nation_colours",
    "progress_chart",
    "quota_chart",
    "rank_history_chart",
    "register_templates",
    "relative_luminance",
    "status_colours",
    "title_race_chart",
]
