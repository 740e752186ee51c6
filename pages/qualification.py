"""Olympic quota: quota places per country, each event's qualification classification, and what-if."""

import ui.boot  # noqa: F401 - first: the package loaded once, one session at a time (see ui.boot)

import streamlit as st

from standings import Hypothetical, StandingsError
from standings.present import charts, quota, views
from standings.present.quota import GAMES, event_name, ordinal
from ui import cache, render, state
from ui.shell import ensure_shell

ensure_shell()

_WHAT_IF = "rs_what_if"

view = state.view()
season = cache.season(view.circuit, view.season)
rules = quota.games()

st.title("Olympic quota")
state.show_notices()
if (view.circuit, view.season) != (rules.circuit, rules.season):
    st.info(
        f"Olympic quota places are computed for {rules.name}, decided by the long-track World Cups "
        f"#{rules.world_cups[0]} to #{rules.world_cups[-1]} of {quota.season_label(rules.season)}: pick that "
        "circuit and season in the sidebar.",
        icon=":material/info:",
    )
    state.publish()
    st.stop()

qualifying = [n for n in rules.world_cups if n in season.world_cups]
after = quota.qualifying_after(rules, season, view.after)
as_of = views.as_of_label(season, after)
st.caption(
    f"{rules.name}: the Special Olympic Qualification Classification after World Cups "
    f"#{rules.world_cups[0]} to #{rules.world_cups[-1]} · {render.plain(as_of)}"
)
if after != view.after:
    st.info(
        f"World Cup #{view.after} does not qualify: the classification stands as {render.plain(as_of)}.",
        icon=":material/info:",
    )

what_if: tuple[Hypothetical, ...] = tuple(st.session_state.get(_WHAT_IF, ()))

st.subheader("Quota places per country")
table = cache.quota_table(view.circuit, view.season, after, what_if)
mine = table[table["gender"] == view.gender].drop(columns=["gender"]).dropna(axis=1, how="all")
render.chart(
    lambda: charts.quota_chart(
        mine,
        title=f"{rules.name}: {view.gender}'s quota places",
        as_of=as_of + (" · with what-ifs" if what_if else ""),
        source=views.source_line(season),
        dark=state.dark(),
    ),
    key="quota-chart",
    title=views.export_name(f"{rules.name} {view.gender} quota places {as_of}"),
    view=(view.circuit, view.season, view.gender, after, what_if, state.dark()),
)
render.table(
    views.blanks(mine.assign(provisional=mine["provisional"].map({True: "⚑", False: ""}))),
    key="quota-table",
    file_name=f"{GAMES}-{view.gender}-quota-after-wc{after}.csv",
)
st.caption(
    ":material/info: Per-country limits (9, 8 or 7 per gender), the host's places and the cut to the Games' "
    f"total ({rules.total.get(view.gender, '?')} {view.gender}) are provisional (⚑): they come from press "
    "reports, not the ISU's regulation text."
)
places = cache.allocation(view.circuit, view.season, after, what_if)
moved = places[places["event"].str.startswith(f"{view.gender}-") & (places["status"] != "in")]
with st.expander(f"Host places and the cut ({len(moved)} places)", expanded=False):
    st.caption(
        "Italy, the host, gets one place in an event where it has none (taken from the last qualified place "
        "when an Italian is on the reserve list). While a gender's athletes exceed the Games' total, the "
        "lowest-ranked place of each event is cut in turn (women 500 m, men 500 m, men 1000 m, ...)."
    )
    render.table(
        views.blanks(
            moved.assign(
                event=moved["event"].map(event_name),
                provisional=moved["provisional"].map({True: "⚑", False: ""}),
            ).drop(columns=["competitor"])
        ),
        key="quota-moves",
        file_name=f"{GAMES}-{view.gender}-host-and-cut-after-wc{after}.csv",
    )

st.subheader("Classification per event")
events = [e for e in rules.events.values() if e.event_id.startswith(f"{view.gender}-")]


event_id = state.select(
    "Event",
    [e.event_id for e in events],
    key="event",
    default=events[0].event_id,
    format_func=event_name,
    fallback=lambda old: f"{view.gender}-{old.split('-', 1)[1]}",
)
event = rules.event(event_id)
real = cache.qualification(view.circuit, view.season, event_id, after)
shown = cache.qualification(view.circuit, view.season, event_id, after, what_if) if what_if else real
st.markdown(
    render.plain(
        f"{event.quota} quota places: {event.by_points} by World Cup points, {event.by_times} by best time; "
        f"at most {event.max_per_noc} per country; then the reserve list (R1, R2, ...)."
    )
)
for line in quota.changes(real, shown, event_id=event_id) if shown is not real else ():  # no what-if, no change
    st.markdown(f"- {render.plain(line)}")
status = quota.classification_status(shown["quota_rank"])
render.table(
    views.blanks(
        shown.assign(
            quota_rank=shown["quota_rank"].fillna(""),
            status=status,
            provisional=shown["provisional"].map({True: "⚑", False: ""}),
        )
    ),
    key=f"{event_id}-classification",
    file_name=f"{GAMES}-{event_id}-after-wc{after}{'-what-if' if what_if else ''}.csv",
    column_order=[  # on a phone: quota place, skater, nation and points without a swipe
        "quota_rank",
        "name",
        "nation",
        "points",
        "status",
        "nation_rank",
        "best_time",
        "ranking",
        "provisional",
    ],
    column_config={
        "quota_rank": st.column_config.TextColumn("Quota", help="1..N: a place; R1..: reserve; empty: country full"),
        "status": st.column_config.TextColumn("Status", help="in, reserve, or no place (the country is full)"),
        "provisional": st.column_config.TextColumn(views.PROVISIONAL_MARK, help=views.PROVISIONAL_HELP),
        "nation_rank": st.column_config.NumberColumn("No.", help="The entry's number within its country"),
    },
)

# Its open state is kept (a key, tracked): untracked, the editor folded itself shut on the rerun
# that its own first choice made (issue 25, item 9).
with st.expander("What if ...?", expanded=bool(what_if), key="what-if-open", on_change="rerun"):
    st.caption(
        "Add a result that has not happened (or replace a real one) and see who is in and who is out. "
        "Other skaters' results stay as they are."
    )
    people = real.dropna(subset=["competitor"])
    labels = dict(zip(people["competitor"], people["name"] + " (" + people["nation"] + ")", strict=True))
    if labels:
        columns = st.columns(3)
        who = columns[0].selectbox("Skater", list(labels), format_func=labels.__getitem__, key="what-if-who")
        world_cup = columns[1].selectbox(
            "At World Cup", qualifying, index=len(qualifying) - 1, format_func=lambda n: f"#{n}", key="what-if-wc"
        )
        # No bounds of the widget's own (it would replace a place outside them by 1, unsaid): the
        # plausibility limits decide, and a place they refuse is said so below.
        place = columns[2].number_input("Finishes", value=1, step=1, key="what-if-place")
        time_text = st.text_input(
            "In a time of", key="what-if-time", placeholder="1:07.01", help="Empty: the skater's real time in that race"
        )
        race_number = 0
        if event_id.endswith("-500"):
            race_number = st.radio("Race", [1, 2], format_func=ordinal, horizontal=True, key="what-if-race") or 1
        add, clear = st.columns(2)
        if add.button("Add this result", icon=":material/add:", key="what-if-add"):
            try:
                time = time_text.strip() or None
                hypothetical = Hypothetical(who, int(world_cup), event_id, int(place), int(race_number), time)
                # Tried before it is kept: a place or time no race can have (the plausibility limits,
                # standings.season.check_what_if) or a race that is not loaded is said here, and
                # nothing is applied (kept, it would fail every run of the page).
                cache.qualification(view.circuit, view.season, event_id, after, (*what_if, hypothetical))
            except StandingsError as error:
                st.error(render.plain(str(error)), icon=":material/error:")
            else:
                st.session_state[_WHAT_IF] = [*what_if, hypothetical]
                st.rerun()
        if clear.button("Back to the real results", icon=":material/undo:", key="what-if-clear", disabled=not what_if):
            st.session_state[_WHAT_IF] = []
            st.rerun()
    for h in what_if:
        who = render.plain(labels.get(h.competitor, h.competitor))
        timed = f" in {render.plain(h.time)}" if h.time else ""
        st.markdown(
            f"- {who} finishes {ordinal(h.rank)} in the {event_name(h.event_id)} at World Cup #{h.world_cup}{timed}"
        )

known = [finding for event, finding in rules.findings if event == event_id]
for finding in known:
    st.caption(f":material/info: Known difference from the official table: {render.plain(finding)}")
if shown["provisional"].any():
    st.caption(":material/info: Rows marked ⚑ depend on a rule that is not confirmed (see the Data page).")
state.publish(event=event_id)
