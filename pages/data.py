"""Data: what is loaded, where it comes from, and what the importers noticed."""

import ui.boot  # noqa: F401 - first: the package loaded once, one session at a time (see ui.boot)

import streamlit as st

from standings import CIRCUITS
from standings.present import views
from standings.present.views import sentence_case
from ui import cache, render, state
from ui.shell import ensure_shell

ensure_shell()

view = state.view()
season = cache.season(view.circuit, view.season)

st.title("Data")
state.show_notices()
st.subheader("Loaded")
catalogue = cache.catalogue()
render.table(
    views.blanks(catalogue.assign(circuit=catalogue["circuit"].map(lambda c: CIRCUITS.get(c, c)))),
    key="catalogue",
    file_name="rinkside-catalogue.csv",
)
latest = season.races["day"].dropna().max()
as_of = (
    f"Data as of **{render.plain(latest)}** (the last race day loaded)."
    if isinstance(latest, str)
    else f"Data as of World Cup #{season.world_cups[-1]} (the source gives no race days)."
)
st.markdown(
    f"**{season.rules.name} {season.label}**: {len(season.world_cups)} World Cups, "
    f"{len(season.races)} races, {len(season.results)} result rows. {as_of}"
)
render.table(views.blanks(season.events), key="events", file_name=f"{view.circuit}-{view.season}-events.csv")

st.subheader("Sources")
st.markdown(
    f"{render.plain(sentence_case(cache.sources(view.circuit, view.season)))}. Each race below names its "
    "source file; the normalized data ships with Rinkside in `data/` (see `data/PROVENANCE.md`)."
)
render.table(
    views.blanks(season.races[["race_id", "day", "city", "source"]]),
    key="races",
    file_name=f"{view.circuit}-{view.season}-races.csv",
)

st.subheader("Findings")
findings = cache.findings(view.circuit, view.season)
if findings.empty:
    st.success("The importers noticed nothing unusual in this season's sources.")
else:
    st.caption("What the importers noticed in the sources. Nothing here was changed; see the rules below.")
    render.table(views.blanks(findings), key="findings", file_name=f"{view.circuit}-{view.season}-findings.csv")

st.subheader("Rules and provisional points")
rules = season.rules
st.markdown(
    f"Scoring rules: `standings/rules/{rules.source_file}`. Ties in a cup: "
    f"{', then '.join(rules.tie_break)}; still equal: {rules.tie_break_then}"
    f"{' (provisional)' if rules.tie_break_then_provisional else ''}. "
    f"Overall ranking: {rules.overall_label}."
)
exceptions = cache.exceptions(view.circuit, view.season)
if exceptions.empty:
    st.caption("No result depends on a rules exception.")
else:
    st.caption("Results whose points follow the official sheet rather than the table, and why (provisional).")
    render.table(views.blanks(exceptions), key="exceptions", file_name=f"{view.circuit}-{view.season}-exceptions.csv")
state.publish()
