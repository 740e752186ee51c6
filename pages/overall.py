"""Grand World Cup: the all-distance race per gender, labelled official or as Rinkside's own."""

import ui.boot  # noqa: F401 - first: the package loaded once, one session at a time (see ui.boot)

import streamlit as st

from ui import cache, state
from ui.cup_view import show_cup
from ui.shell import ensure_shell

ensure_shell()

view = state.view()
season = cache.season(view.circuit, view.season)
rules = season.rules

overall = f"{view.gender}-overall"
has_overall = any(cup.cup_id == overall for cup in season.cups)
base = season.cup(overall).name.removesuffix(f" {view.gender.title()}") if has_overall else "Overall ranking"
st.title(f"{base} · {view.gender.title()}")
state.show_notices()
if not rules.rankings_available or not has_overall:
    st.info(rules.rankings_reason or "No overall ranking exists for this season.", icon=":material/info:")
    st.page_link("pages/nations.py", label="See the medals on the Nations page", icon=":material/flag:")
    state.publish()
    st.stop()
if rules.overall_official:
    st.caption(f"{rules.overall_label[0].upper()}{rules.overall_label[1:]}, by the season's official rule.")
else:
    st.warning(
        f"There is no official Grand World Cup rule for {season.label}. This is the {rules.overall_label}.",
        icon=":material/info:",
    )


@st.fragment
def cup_view() -> None:
    """The ranking: a change of highlight reruns only this part (see the Standings page)."""
    picked = show_cup(season, view, season.cup(overall))
    state.publish(skater=picked)


cup_view()
