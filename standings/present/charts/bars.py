"""Bar and grid charts: medals of two nations, a skater's ranks, the title race and quota places."""

from __future__ import annotations

import math
from typing import Final

import pandas as pd
import plotly.graph_objects as go

from standings.present.charts.frame import _frame
from standings.present.charts.lines import _world_cup_axis, _world_cup_labels
from standings.present.charts.style import (
    _TEXT,
    BACKGROUND,
    EXPORT_BASE,
    FONT_SIZE,
    LABEL_SIZE,
    MUTED,
    _palette,
    _safe,
    nation_colour,
    nation_colours,
)


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
        history: ``standings.present.skaters.skater_rank_history``: ``cup``, ``world_cup``, ``rank``, ``points``.
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
