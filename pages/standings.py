"""Standings: a cup's leaderboard, the points race event by event, and the rank bump chart."""

import ui.boot  # noqa: F401 - first: the package loaded once, one session at a time (see ui.boot)

import streamlit as st

from ui import cache, state
from ui.cup_view import choose_cup, prepare_siblings, show_cup
from ui.shell import ensure_shell

ensure_shell()

view = state.view()
season = cache.season(view.circuit, view.season)
cups = {cup.cup_id: cup for cup in season.cups if cup.gender == view.gender and not cup.overall}

st.title("Standings")
state.show_notices()
if not season.rules.rankings_available or not cups:
    st.info(season.rules.rankings_reason or "No cup is ranked for this season.", icon=":material/info:")
    st.page_link("pages/nations.py", label="See the medals on the Nations page", icon=":material/flag:")
    state.publish()
    st.stop()


@st.fragment
def cup_view() -> None:
    """The cup picker and the cup: a change of cup or highlight reruns only this part, not the
    sidebar and the rest of the app (the sidebar's choices rerun everything, as they must)."""
    cup_id = choose_cup(cups, season)
    picked = show_cup(season, view, cups[cup_id])
    state.publish(cup=cup_id, skater=picked)
    prepare_siblings(season, view, list(cups.values()), cup_id)


cup_view()
