"""Title race: who can still win each cup, who has clinched it, and what each contender needs."""

import ui.boot  # noqa: F401 - first: the package loaded once, one session at a time (see ui.boot)

import pandas as pd
import streamlit as st

from standings import UnknownSelection
from standings.present import charts, views, wording
from ui import cache, render, state
from ui.cup_view import choose_cup
from ui.shell import ensure_shell

ensure_shell()

view = state.view()
season = cache.season(view.circuit, view.season)
cups = {cup.cup_id: cup for cup in season.cups if cup.gender == view.gender}

st.title("Title race")
state.show_notices()
if not season.rules.rankings_available or not cups:
    st.info(season.rules.rankings_reason or "No cup is ranked for this season.", icon=":material/info:")
    state.publish()
    st.stop()
cup_id = choose_cup(cups, season)
cup = cups[cup_id]
as_of = views.as_of_label(season, view.after)
title = f"{cup.name} {season.label}"
st.caption(render.plain(f"{title} · {as_of}"))
try:
    race = cache.title_race(view.circuit, view.season, cup_id, view.after)
except UnknownSelection as error:
    st.info(render.plain(str(error)), icon=":material/info:")
    state.publish(cup=cup_id)
    st.stop()
board = cache.title_race_board(view.circuit, view.season, cup_id, view.after)
if board.empty:
    up_to = views.up_to_label(season, view.after)
    st.info(render.plain(f"No {cup.name} race has been skated {up_to}, so nobody has points yet."))
    state.publish(cup=cup_id)
    st.stop()

st.markdown(render.plain(wording.races_left(race)))
if race.programme:
    with st.expander("Remaining programme"):
        st.markdown("\n".join(f"- {render.plain(wording.programme_line(r))}" for r in race.programme))
st.markdown(f"**{wording.status_summary(board['status'].astype(str))}**")
for contender in race.contenders:
    if contender.status == "clinched":
        st.success(render.plain(contender.reason), icon=":material/emoji_events:")
magic = race.leader_magic_number
if magic:
    leader = board.iloc[0]
    st.markdown(render.plain(wording.magic_line(str(leader["name"]), magic)))

render.chart(
    lambda: charts.title_race_chart(
        board,
        title=f"{title}: who can still win",
        as_of=as_of,
        source=views.source_line(season),
        dark=state.dark(),
    ),
    key=f"{cup_id}-title-race-chart",
    title=views.export_name(f"{title} title race {as_of}"),
    view=(view.circuit, view.season, cup_id, view.after, state.dark()),
)

st.subheader("What each contender needs")
alive = [c for c in race.contenders if c.status != "eliminated"]
shown = alive[:8]
for contender in shown:
    entry = contender.entry
    st.markdown(f"**{render.plain(entry.name)}** ({render.plain(entry.nation)}) · {contender.status}")
    lines = [contender.reason, *contender.conditions]
    st.markdown("\n".join(f"- {render.plain(line)}" for line in lines))
if len(alive) > len(shown):
    with st.expander(f"{wording.plural(len(alive) - len(shown), 'more contender')}"):
        for contender in alive[len(shown) :]:
            lines = [contender.reason, *contender.conditions]
            st.markdown(f"**{render.plain(contender.entry.name)}** · " + " ".join(render.plain(line) for line in lines))

st.subheader("Everyone")
render.table(
    views.blanks(board).assign(
        conditions=board["conditions"].map(" ".join),
        magic_number=board["magic_number"].map(lambda n: "" if pd.isna(n) else str(int(n))),
    ),
    key=f"{cup_id}-title-race",
    file_name=f"{view.circuit}-{view.season}-{cup_id}-title-race-after-wc{view.after}.csv",
    column_order=["rank", "name", "nation", "points", "max_points", "status", "magic_number", "reason"],
    column_config={
        "rank": st.column_config.NumberColumn("Rank"),
        "name": st.column_config.TextColumn("Name"),
        "nation": st.column_config.TextColumn("Nation"),
        "points": st.column_config.NumberColumn("Points"),
        "max_points": st.column_config.NumberColumn("Max", help="The most points still reachable"),
        "status": st.column_config.TextColumn("Status"),
        "magic_number": st.column_config.NumberColumn(
            "Magic number", help="Points that make the cup certain, whatever the others do (blank: none can)"
        ),
        "reason": st.column_config.TextColumn("Why", width="large"),
    },
)
for note in race.notes:
    st.caption(f":material/info: {render.plain(note)}")
state.publish(cup=cup_id)
