"""Rinkside: the Streamlit entry point. Routes to the pages; holds no logic of its own."""

import streamlit as st

st.set_page_config(page_title="Rinkside", page_icon=":ice_skate:", layout="wide")

pages = [
    st.Page("pages/seasons.py", title="Seasons", url_path="seasons", default=True),
]
st.navigation(pages).run()
