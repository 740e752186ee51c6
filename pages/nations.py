"""Nations: the medal table, medals per World Cup, and a head-to-head of two nations."""

import ui.boot  # noqa: F401 - first: the package loaded once, one session at a time (see ui.boot)

import streamlit as st

from standings.present import charts, views
from ui import cache, render, state
from ui.shell import ensure_shell

ensure_shell()

view = state.view()
season = cache.season(view.circuit, view.season)
as_of = views.as_of_label(season, view.after)
source = views.source_line(season)

st.title("Nations")
state.show_notices()
final = "Final A" if season.rules.short_track else "Division A"
races = st.segmented_control(
    "Races",
    ["gender", "all"],
    key="medal-genders",
    default="gender",
    format_func={"gender": f"{view.gender.title()}'s races", "all": "All races"}.__getitem__,
    help="The medals of the gender picked in the sidebar, or of every race (women's, men's and mixed).",
)
gender = None if races == "all" else view.gender
covered = f"{view.gender}'s races" if gender else "all races (women's, men's and mixed)"
st.caption(f"{final} podiums of {covered}, {season.rules.name} {season.label} · {render.plain(as_of)}")
lost = cache.incomplete_podiums(view.circuit, view.season)
if lost:
    st.warning(
        f"Incomplete: the source lost podium places in {len(lost)} of {len(season.races)} races; "
        "those medals are missing below (the Data page lists them).",
        icon=":material/warning:",
    )
if cache.relays_missing(view.circuit, view.season):
    st.warning(
        "Incomplete: the source holds no relay results, so relay medals are not counted.", icon=":material/warning:"
    )

order = st.segmented_control(
    "Order",
    ["gold", "total"],
    key="medal-order",
    default="gold",
    format_func={"gold": "Gold first", "total": "By total"}.__getitem__,
)
table = cache.medals(view.circuit, view.season, view.after, order or "gold", gender)
if table.empty:
    st.info(f"No {final} podium is loaded {render.plain(views.up_to_label(season, view.after))}.")
    state.publish()
    st.stop()
render.table(
    views.blanks(table), key="medal-table", file_name=f"{view.circuit}-{view.season}-medals-after-wc{view.after}.csv"
)

st.subheader("Medals per World Cup")
render.table(
    views.blanks(cache.medals_per_event(view.circuit, view.season, view.after, gender)),
    key="medals-per-event",
    file_name=f"{view.circuit}-{view.season}-medals-per-event-after-wc{view.after}.csv",
)

st.subheader("Head to head")
nations = sorted(season.results["nation"].unique())
ranked = cache.medals(view.circuit, view.season, view.after, "gold", gender)["nation"].tolist()
default_pair, why = views.head_to_head_default(ranked, short_track=season.rules.short_track)
pair = state.select_many("Two nations", nations, key="nations", max_selections=2, placeholder="Pick two nations")
if len(pair) != 2:
    pair = default_pair if len(default_pair) == 2 else nations[:2]
    st.caption(
        f"Showing {render.plain(pair[0])} and {render.plain(pair[1])}{render.plain(why)}; "
        "pick two nations to compare others."
    )
by_event, by_distance = cache.head_to_head(view.circuit, view.season, pair[0], pair[1], view.after, gender)
head_to_head_view = (view.circuit, view.season, tuple(pair), view.after, gender, state.dark())
render.chart(
    lambda: charts.medal_race_chart(
        by_event,
        title=f"{pair[0]} v {pair[1]}: medals across the World Cups",
        as_of=as_of,
        source=source,
        dark=state.dark(),
    ),
    key="h2h-events-chart",
    title=views.export_name(f"{pair[0]} v {pair[1]} medals {season.label} {as_of}"),
    view=head_to_head_view,
)
render.chart(
    lambda: charts.medal_distance_chart(
        by_distance,
        title=f"{pair[0]} v {pair[1]}: medals per distance",
        as_of=as_of,
        source=source,
        dark=state.dark(),
    ),
    key="h2h-distance-chart",
    title=views.export_name(f"{pair[0]} v {pair[1]} medals per distance {season.label} {as_of}"),
    view=head_to_head_view,
)
render.table(
    views.blanks(by_distance.assign(distance=by_distance["distance"].astype(str))),
    key="h2h-table",
    file_name=f"{view.circuit}-{view.season}-{pair[0]}-{pair[1]}-per-distance.csv",
)
state.publish(nations=pair)
