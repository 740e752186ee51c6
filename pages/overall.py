"""Grand World Cup: the all-distance race per gender, labelled official or as Rinkside's own."""

import streamlit as st

from ui import data, state
from ui.cup_view import show_cup
from ui.shell import ensure_shell

ensure_shell()

view = state.view()
season = data.season(view.circuit, view.season)
rules = season.rules

st.title("Grand World Cup" if rules.overall_official else f"Overall ranking · {view.gender.title()}")
state.show_notices()
if rules.overall_official:
    st.caption("The ISU Grand World Cup, by the season's official rule.")
else:
    st.warning(
        f"There is no official Grand World Cup rule for {view.season.replace('-', '/')}. "
        f"This is the {rules.overall_label}.",
        icon=":material/info:",
    )
picked = show_cup(season, view, season.cup(f"{view.gender}-overall"))
state.publish(skater=picked)
