"""Event: one World Cup's programme day by day, and each race's full result."""

import ui.boot  # noqa: F401 - first: the package loaded once, one session at a time (see ui.boot)

import pandas as pd
import streamlit as st

from standings.present import charts, event, views
from ui import cache, render, state
from ui.shell import ensure_shell

ensure_shell()

view = state.view()
season = cache.season(view.circuit, view.season)
numbers = event.event_numbers(season)

st.title("Event")
state.show_notices()
scope = (view.circuit, view.season)
world_cup = state.select(
    "World Cup",
    numbers,
    key="event-world-cup",
    param="event",
    default=view.after if view.after in numbers else numbers[-1],
    parse=int,
    format_func=lambda n: f"#{n} {season.cities.get(n, '')}".rstrip(),
    scope=scope,
)
planned = cache.event_programme(view.circuit, view.season, world_cup)
programme, stored = planned.programme, planned.stored
city = season.cities.get(world_cup, "")
st.caption(render.plain(f"{season.rules.name} {season.label} · World Cup #{world_cup} {city}".rstrip()))


def show_programme() -> None:
    """The World Cup's races day by day, with their status."""
    shown = programme.drop(columns=["race_id", "kind", "gender", "division"])
    for column in ("start", "number"):
        if shown[column].isna().all():
            shown = shown.drop(columns=[column])
    if shown["day"].isna().all():
        shown = shown.drop(columns=["day"])
        if not stored.empty:
            st.caption("The source gives no race days: the races are listed as stored.")
    render.table(
        views.blanks(shown),
        key="event-programme",
        file_name=f"{view.circuit}-{view.season}-wc{world_cup}-programme.csv",
        column_config={
            "day": st.column_config.TextColumn("Day"),
            "start": st.column_config.TextColumn(
                "Start", help="The start time at the rink's local time (UTC where the rink's time zone is unknown)"
            ),
            "number": st.column_config.NumberColumn("No.", help="The race's number in the event's programme"),
            "race": st.column_config.TextColumn("Race"),
            "status": st.column_config.TextColumn("Status", help=event.PROGRAMME_HELP),
            "competitors": st.column_config.NumberColumn("Rows", help="Skaters or teams in the stored result"),
        },
    )


def show_laps(laps: pd.DataFrame, title: str, source: str) -> None:
    """A long-track race's lap passages: a lap-time chart and a table of passage or lap times."""
    st.subheader("Laps")
    slug = race_id.replace("/", "-")
    render.chart(
        lambda: charts.lap_chart(
            laps,
            title=f"{title}: lap times",
            as_of=f"World Cup #{world_cup} {city}".rstrip(),
            source=f"Source: {source}",
            dark=state.dark(),
        ),
        key="event-lap-chart",
        title=views.export_name(f"{title} lap times {season.label} World Cup #{world_cup} {city}"),
        view=(view.circuit, view.season, race_id, state.dark()),
    )
    shown = st.segmented_control(
        "Times",
        ["Passage times", "Lap times"],
        default="Passage times",
        key="event-lap-times",
        help="Passage: the time from the start at each passage. Lap: each lap's own time.",
    )
    value = "lap_time" if shown == "Lap times" else "passage_time"
    render.table(
        views.blanks(event.lap_board(laps, value)),
        key="event-laps",
        file_name=f"{slug}-laps.csv",
    )
    st.caption(
        "The first passage is the opening stretch (100 m in the 500 m, 200 m in the 1000 m, 300 m in the 1500 m); "
        "every other lap is 400 m. Hover a point of the chart for the skater's rank at that passage."
    )


if stored.empty:
    st.info(f"No race of World Cup #{world_cup} is stored yet: its races are to come.")
    show_programme()
    state.publish(event=world_cup)
    st.stop()

titles = dict(zip(stored["race_id"], stored["race"], strict=True))
race_id = state.select(
    "Race",
    list(titles),
    key="event-race",
    param="race",
    default=planned.latest.get(view.gender, planned.latest.get("")),
    format_func=titles.__getitem__,
    scope=(*scope, str(world_cup)),
)
race = stored.set_index("race_id").loc[race_id]
result_tab, programme_tab = st.tabs(["Race result", f"Programme ({len(programme)} races)"])
with programme_tab:
    show_programme()
with result_tab:
    st.subheader(render.plain(titles[race_id]))
    day = f" · {race['day']}" if isinstance(race["day"], str) else ""
    start = race["start"] if isinstance(race["start"], str) else ""  # the programme's: 15:53, or 20:00 UTC
    day += (f", {start}" if start.endswith("UTC") else f", {start} local time") if start else ""
    shown = cache.event_race(view.circuit, view.season, race_id)
    source = shown.source
    st.caption(render.plain(f"World Cup #{world_cup} {city}{day} · {race['status']} · source: {source}"))
    if race["status"] == event.UNOFFICIAL:
        st.warning("Unofficial: the source has not declared this result official yet.", icon=":material/pending:")
    lost, heats = shown.lost, shown.heats
    # With every heat shown, a heat's lost places are said under its round; the podium up here.
    for message in lost.loc[(lost["kind"] == "podium-lost") | heats.empty, "message"]:
        st.warning(render.plain(f"Lost by the source: {message}"), icon=":material/report:")

    result = shown.result.copy()  # the cached table is shared: the links are added to a copy
    result.insert(
        list(result.columns).index("nation") + 1,
        "skater_page",
        state.page_links("skater", "skater", result["competitor"]),
    )
    render.table(
        views.blanks(result.drop(columns=["competitor"])),
        key="event-race-result",
        file_name=f"{race_id.replace('/', '-')}.csv",
        column_config={
            "skater_page": st.column_config.LinkColumn(
                "Skater page", display_text="Skater page", help="The skater's page"
            ),
            **(
                {
                    "status": st.column_config.TextColumn("Status", help=event.PENALTY_HELP),
                    "heat": st.column_config.NumberColumn("Heat", help=event.HEAT_HELP),  # blank for a final
                }
                if season.rules.short_track
                else {}
            ),
        },
    )
    legend = event.annotation_legend(shown.result["annotations"]) if "annotations" in shown.result else None
    if legend:
        st.caption(render.plain(f"Annotations: {legend}."))
    pairs = shown.pairs
    if not pairs.empty:
        team = race["kind"] == "team-pursuit"
        st.subheader("Heats" if team else "Pairs")
        render.table(
            views.blanks(pairs.drop(columns=["competitor"]).dropna(axis=1, how="all")),
            key="event-pairs",
            file_name=f"{race_id.replace('/', '-')}-{'heats' if team else 'pairs'}.csv",
            column_config={
                "pair": st.column_config.NumberColumn("Heat" if team else "Pair"),
                "side": st.column_config.TextColumn("Side" if team else "Lane"),
                "behind_in_pair": st.column_config.TextColumn(
                    "Behind in the heat" if team else "Behind in the pair",
                    help="Behind the fastest of the pair (quartet, heat), to the hundredth",
                ),
            },
        )
        if not team and pairs.groupby("pair").size().max() > 2:
            st.caption("Quartet starts: four skaters to a start, two in each lane.")
    laps = shown.laps
    if not laps.empty:
        show_laps(laps, str(titles[race_id]), str(source))
    if season.rules.short_track:
        rounds = shown.rounds
        if not rounds.empty:
            st.subheader("Rounds")
            if heats.empty:
                st.caption(
                    "The source holds the classification only: each skater is counted in the last round she "
                    "reached, and the best and average times are of those skaters."
                )
            render.table(
                views.blanks(rounds),
                key="event-rounds",
                file_name=f"{race_id.replace('/', '-')}-rounds.csv",
                column_config={
                    "best_time": st.column_config.TextColumn("Best time", help="The round's best time (m:ss.fff)"),
                    "average_time": st.column_config.TextColumn(
                        "Average time", help="The round's average time, to the thousandth (m:ss.fff)"
                    ),
                },
            )
        if not heats.empty:
            st.caption(f"{event.HEAT_HELP} {render.plain(event.PENALTY_HELP)}.")
        for number, (round_name, rows) in enumerate(heats.groupby("round", sort=False)):
            st.markdown(f"**{render.plain(str(round_name))}**")
            for message in event.round_losses(lost, str(round_name)):
                st.caption(render.plain(f"Lost by the source: {message}"))
            render.table(
                views.blanks(rows.drop(columns=["round", "competitor"]).dropna(axis=1, how="all")),
                key=f"event-heats-{number}",
                file_name=f"{views.export_name(f'{race_id} {round_name}')}.csv",
                column_config={
                    "heat": st.column_config.NumberColumn("Heat", help=event.HEAT_HELP),
                    "status": st.column_config.TextColumn("Status", help=event.PENALTY_HELP),
                    "qualification": st.column_config.TextColumn("Qualification", help=event.QUALIFICATION_HELP),
                },
            )
state.publish(event=world_cup, race=race_id)
