"""Figures: one Plotly template, one colour per nation, broadcast-ready titles.

Every chart function takes a tidy table and returns a ``go.Figure`` that carries
its own title, the "as of" event and a source line, so that a PNG downloaded
from the chart's toolbar (``export_config``) is ready for a broadcast screen.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from typing import Final

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE: Final = "rinkside"
TEMPLATE_DARK: Final = "rinkside_dark"

# Colour-blind-safe: Okabe & Ito's eight without black, then Paul Tol's "muted" set.
PALETTE: Final = (
    "#E69F00",
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)
# The leading skating nations get fixed, distinct colours; the rest a stable hash.
_FIXED: Final = (
    "NED",
    "USA",
    "JPN",
    "CAN",
    "NOR",
    "CHN",
    "KOR",
    "POL",
    "ITA",
    "GER",
    "KAZ",
    "BEL",
    "CZE",
    "FRA",
    "AUT",
    "SUI",
)
MUTED: Final = "rgba(140, 140, 140, 0.35)"

#: Broadcast export sizes (16:9), label to (width, height) in pixels.
EXPORT_SIZES: Final = {
    "1280 x 720 (HD)": (1280, 720),
    "1920 x 1080 (Full HD)": (1920, 1080),
    "3840 x 2160 (4K UHD)": (3840, 2160),
}


def _safe(text: str) -> str:
    """Imported text for Plotly labels, which read a few HTML tags: shown as written."""
    return html.escape(text, quote=False)


def nation_colour(nation: str) -> str:
    """The one colour of a nation in every chart."""
    if nation in _FIXED:
        return PALETTE[_FIXED.index(nation)]
    digest = int(hashlib.sha256(nation.encode()).hexdigest(), 16)
    return PALETTE[digest % len(PALETTE)]


def _template(dark: bool) -> go.layout.Template:
    text = "#E6E6E6" if dark else "#1F2937"
    grid = "rgba(255,255,255,0.12)" if dark else "rgba(0,0,0,0.08)"
    return go.layout.Template(
        layout=go.Layout(
            font={"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": 14, "color": text},
            paper_bgcolor="#0E1117" if dark else "#FFFFFF",
            plot_bgcolor="#0E1117" if dark else "#FFFFFF",
            colorway=list(PALETTE),
            xaxis={"gridcolor": grid, "zeroline": False, "linecolor": grid},
            yaxis={"gridcolor": grid, "zeroline": False, "linecolor": grid},
            hoverlabel={"font": {"size": 13}},
            legend={"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0},
            margin={"l": 56, "r": 24, "t": 96, "b": 130},
        )
    )


def register_templates() -> None:
    """Register the light and dark project templates with Plotly (once per process; cheap after)."""
    if TEMPLATE not in pio.templates or TEMPLATE_DARK not in pio.templates:
        pio.templates[TEMPLATE] = _template(dark=False)
        pio.templates[TEMPLATE_DARK] = _template(dark=True)


def export_config(title: str, size: str = "1920 x 1080 (Full HD)") -> dict[str, object]:
    """Plotly config whose toolbar camera downloads a 16:9 PNG of the given size."""
    width, height = EXPORT_SIZES[size]
    filename = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:80]
    return {
        "displaylogo": False,
        "responsive": True,
        "toImageButtonOptions": {"format": "png", "filename": filename, "width": width, "height": height, "scale": 1},
    }


def _frame(fig: go.Figure, *, title: str, as_of: str, source: str, dark: bool) -> go.Figure:
    register_templates()
    legend = fig.layout.showlegend is not False and len(fig.data) > 0
    fig.update_layout(
        template=TEMPLATE_DARK if dark else TEMPLATE,
        title={"text": f"{_safe(title)}<br><sup>{_safe(as_of)}</sup>", "x": 0.01, "xanchor": "left"},
    )
    if not legend:
        fig.update_layout(margin={"b": 70})
    # The source line sits in the bottom margin, under the legend, at the paper's right edge.
    fig.add_annotation(
        text=_safe(source),
        showarrow=False,
        xref="paper",
        yref="paper",
        x=1,
        y=0,
        yshift=-100 if legend else -40,
        xanchor="right",
        yanchor="top",
        font={"size": 11},
    )
    return fig


def _emphasis(progress: pd.DataFrame, highlight: Sequence[str], top: int) -> set[str]:
    last = progress[progress["world_cup"] == progress["world_cup"].max()]
    leaders = last.dropna(subset=["rank"]).sort_values("rank").head(top)["competitor"]
    return set(leaders) | set(highlight)


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

    Args:
        progress: A progress table (``standings.tables.PROGRESS_COLUMNS``).
        title: The chart's title.
        as_of: The "as of" line (``after World Cup #2 (Calgary)``).
        source: The source line.
        cities: World Cup number to city, for the x axis.
        breakdown: Race-by-race text per competitor and World Cup for the hover
            (``standings.views.event_breakdown``).
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
    order = data.groupby("competitor")["points"].max().sort_values().index  # leaders drawn last, on top
    per_competitor = {c: rows.sort_values("world_cup") for c, rows in data.groupby("competitor", sort=False)}
    traces = []
    for competitor in order:
        rows = per_competitor[competitor]
        first = rows.iloc[0]
        label = _safe(f"{first['name']} ({first['nation']})")
        emphasised = competitor in strong
        traces.append(
            go.Scatter(
                x=[f"WC{n} {cities.get(int(n), '')}".strip() for n in rows["world_cup"]],
                y=rows["points"],
                mode="lines+markers",
                name=label,
                legendgroup=competitor,
                showlegend=emphasised,
                line={
                    "color": nation_colour(first["nation"]) if emphasised else MUTED,
                    "width": 3.5 if emphasised else 1,
                },
                marker={"size": 7 if emphasised else 3},
                opacity=1.0 if emphasised else 0.6,
                customdata=rows[["race_points", "breakdown"]].to_numpy(),
                hovertemplate=(
                    f"<b>{label}</b><br>%{{x}}: %{{y}} points (+%{{customdata[0]}})"
                    "<br>%{customdata[1]}<extra></extra>"
                ),
                meta={"competitor": competitor, "emphasised": emphasised},
            )
        )
    fig.add_traces(traces)
    fig.update_layout(yaxis_title="World Cup points", hovermode="closest")
    return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)


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
    """Rank after each World Cup for the leading competitors (and any highlighted)."""
    fig = go.Figure()
    if progress.empty:
        return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)
    shown = _emphasis(progress, highlight, top)
    picked = set(highlight)
    for competitor in progress.loc[progress["competitor"].isin(shown), "competitor"].unique():
        rows = progress[(progress["competitor"] == competitor) & progress["rank"].notna()].sort_values("world_cup")
        if rows.empty:
            continue
        first = rows.iloc[0]
        name = _safe(str(first["name"]))
        strong = not picked or competitor in picked
        fig.add_trace(
            go.Scatter(
                x=[f"WC{n} {cities.get(int(n), '')}".strip() for n in rows["world_cup"]],
                y=rows["rank"].astype("int64"),
                mode="lines+markers+text",
                text=[""] * (len(rows) - 1) + [f"  {name}"],
                textposition="middle right",
                cliponaxis=False,
                name=_safe(f"{first['name']} ({first['nation']})"),
                line={"color": nation_colour(first["nation"]) if strong else MUTED, "width": 4 if strong else 2},
                marker={"size": 11 if strong else 7},
                customdata=rows[["points"]].to_numpy(),
                hovertemplate=(f"<b>{name}</b><br>%{{x}}: rank %{{y}}, %{{customdata[0]}} points<extra></extra>"),
                meta={"competitor": competitor, "emphasised": strong},
            )
        )
    deepest = max((int(max(trace.y)) for trace in fig.data), default=1)
    fig.update_yaxes(range=[deepest + 0.5, 0.5], title="Rank", dtick=1 if deepest <= 20 else 5)
    fig.update_layout(showlegend=False, margin={"r": 190})
    return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)


def medal_race_chart(by_event: pd.DataFrame, *, title: str, as_of: str, source: str, dark: bool = False) -> go.Figure:
    """Two nations' cumulative golds and medals across the World Cups."""
    fig = go.Figure()
    for nation in by_event["nation"].unique():
        rows = by_event[by_event["nation"] == nation]
        x = [f"WC{n} {c}" for n, c in zip(rows["world_cup"], rows["city"], strict=True)]
        colour = nation_colour(nation)
        fig.add_trace(
            go.Scatter(x=x, y=rows["medals_total"], name=f"{nation} medals", line={"color": colour, "width": 3})
        )
        fig.add_trace(
            go.Scatter(
                x=x, y=rows["gold_total"], name=f"{nation} golds", line={"color": colour, "width": 3, "dash": "dot"}
            )
        )
    fig.update_layout(yaxis_title="Cumulative count", hovermode="x unified")
    return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)


def medal_distance_chart(
    by_distance: pd.DataFrame, *, title: str, as_of: str, source: str, dark: bool = False
) -> go.Figure:
    """Two nations' medals per distance, side by side."""
    fig = go.Figure()
    for nation in by_distance["nation"].unique():
        rows = by_distance[by_distance["nation"] == nation]
        fig.add_trace(
            go.Bar(
                x=rows["distance"].astype(str),
                y=rows["total"],
                name=nation,
                marker_color=nation_colour(nation),
                customdata=rows[["gold", "silver", "bronze"]].to_numpy(),
                hovertemplate=f"<b>{nation}</b> %{{x}}: %{{y}} medals "
                "(%{customdata[0]} gold, %{customdata[1]} silver, %{customdata[2]} bronze)<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", yaxis_title="Medals")
    return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)


def rank_history_chart(
    history: pd.DataFrame, *, title: str, as_of: str, source: str, nation: str, dark: bool = False
) -> go.Figure:
    """One skater's rank in each of their cups after every World Cup."""
    fig = go.Figure()
    dashes = ["solid", "dot", "dash", "longdash", "dashdot", "longdashdot"]
    for i, cup in enumerate(history["cup"].unique()):
        rows = history[(history["cup"] == cup) & history["rank"].notna()].sort_values("world_cup")
        fig.add_trace(
            go.Scatter(
                x=[f"WC{n}" for n in rows["world_cup"]],
                y=rows["rank"].astype("int64"),
                name=cup,
                mode="lines+markers",
                line={
                    "color": PALETTE[i % len(PALETTE)] if i else nation_colour(nation),
                    "dash": dashes[i % len(dashes)],
                },
                customdata=rows[["points"]].to_numpy(),
                hovertemplate=f"{cup}<br>%{{x}}: rank %{{y}}, %{{customdata[0]}} points<extra></extra>",
            )
        )
    deepest = max((int(max(trace.y)) for trace in fig.data if len(trace.y)), default=1)
    fig.update_yaxes(range=[deepest + 0.5, 0.5], title="Rank", tick0=1, dtick=max(1, -(-deepest // 8)))
    return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)


#: Colours of the title-race statuses.
STATUS_COLOURS: Final = {"clinched": "#009E73", "contender": "#0072B2", "eliminated": "rgba(140, 140, 140, 0.55)"}


def title_race_chart(
    race: pd.DataFrame, *, title: str, as_of: str, source: str, top: int = 20, dark: bool = False
) -> go.Figure:
    """Each competitor's points now (bar) and the most still reachable (whisker), coloured by status.

    Args:
        race: ``standings.title_race.TitleRace.frame()``.
        top: How many competitors to show, best first.
    """
    rows = race.head(top).iloc[::-1]
    fig = go.Figure()
    labels = [f"{n} ({c})" if c else n for n, c in zip(rows["name"], rows["nation"], strict=True)]
    for status, colour in STATUS_COLOURS.items():
        mask = (rows["status"] == status).to_numpy()
        if not mask.any():
            continue
        chosen = rows[mask]
        names = [label for label, keep in zip(labels, mask, strict=True) if keep]
        fig.add_trace(
            go.Bar(
                x=chosen["points"],
                y=names,
                orientation="h",
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
    if not race.empty:
        leader = int(race["points"].max())
        fig.add_vline(x=leader, line={"dash": "dot", "width": 1}, annotation_text=f"leader {leader}")
    fig.update_layout(
        barmode="overlay",
        xaxis_title="World Cup points: now (bar) and the most still reachable (line)",
        height=max(360, 28 * len(rows) + 200),
        legend={"orientation": "h", "y": -0.18},
    )
    # Room for the names: the axis grows its margin to the longest label.
    fig.update_yaxes(categoryorder="array", categoryarray=labels, automargin=True)
    fig.update_layout(margin={"l": min(280, 8 * max((len(label) for label in labels), default=0) + 16)})
    return _frame(fig, title=title, as_of=as_of, source=source, dark=dark)
