"""Line charts: the points race, the rank after each World Cup, and lap times through a race."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from standings.model import ordinal
from standings.present.charts.frame import _frame
from standings.present.charts.style import (
    _TEXT,
    DASHES,
    LABEL_SIZE,
    MUTED,
    SYMBOLS,
    _safe,
    nation_colours,
)


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
