"""What is loaded: every circuit and season, with its events and the sheets' findings."""

import pandas as pd
import streamlit as st

from standings.dataset import open_store
from standings.season import season_from_store


@st.cache_data(ttl=600, max_entries=4)
def _loaded() -> pd.DataFrame:
    store = open_store()
    try:
        return store.seasons()
    finally:
        store.close()


@st.cache_data(ttl=600, max_entries=8)
def _events(circuit: str, season: str) -> pd.DataFrame:
    store = open_store()
    try:
        return season_from_store(store, circuit, season).events
    finally:
        store.close()


st.title("Rinkside")
st.caption("ISU World Cup standings from the official result sheets, scored by each season's rules.")
seasons = _loaded()
if seasons.empty:
    st.info("No results are loaded yet. Import official result sheets with `standings import PATH`.")
    st.stop()
st.subheader("Loaded seasons")
st.dataframe(seasons, hide_index=True, key="seasons-table")
for row in seasons.itertuples():
    st.subheader(f"{row.circuit} {row.season}: World Cups")
    st.dataframe(_events(str(row.circuit), str(row.season)), hide_index=True, key=f"events-{row.circuit}-{row.season}")
