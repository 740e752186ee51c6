"""The framework floor of the Standings page: the same elements, drawn from files, no Rinkside code.

Run by ``benchmarks.peer --floor`` from a folder that ``benchmarks.peer.write_floor`` fills with
what the real page shows for two cups (each leaderboard as CSV, each chart's figure as JSON): a
sidebar of five select boxes, the page title, a cup picker in a fragment, a caption, the leader
line, the leaderboard grid with its CSV download, the highlight picker and the two charts (drawn
by the same chart element as the dashboard, plotly.js's basic build). What this page costs in
the browser and the server is Streamlit's, not Rinkside's.
"""

import json
from pathlib import Path

import pandas as pd
import streamlit as st

HERE = Path(__file__).resolve().parent
CUPS = json.loads((HERE / "cups.json").read_text(encoding="utf-8"))
CHART = st.components.v2.component(
    "rinkside.chart",
    html='<div class="rs-chart" style="width: 100%"></div>',
    js=(HERE / "chart_element.js").read_text(encoding="utf-8"),
    isolate_styles=False,
)

st.set_page_config(page_title="Floor", layout="wide")
with st.sidebar:
    st.header("Floor")
    for label in ("Circuit", "Season", "Gender", "As of", "PNG export size (16:9)"):
        st.selectbox(label, ["one", "two"])
    st.caption("The same sidebar as the dashboard's, with nothing behind it.")
st.caption("Data as of the files beside this page.")
st.title("Standings")


@st.fragment
def cup_view() -> None:
    cup = st.selectbox("Cup", list(CUPS))
    shown = CUPS[cup]
    st.caption(shown["caption"])
    st.markdown(shown["leader"])
    board = pd.read_csv(HERE / shown["board"])
    st.dataframe(board, key=f"{cup}-leaderboard", hide_index=True, width="stretch")
    st.download_button("Download CSV", board.to_csv(index=False), file_name="board.csv", key=f"{cup}-csv")
    st.multiselect("Highlight", list(board["name"]), placeholder="Pick skaters to follow")
    for name in ("progress", "bump"):
        figure = (HERE / shown[name]).read_bytes()
        CHART(key=f"{cup}-{name}", data=b'{"config":{"displaylogo":false,"responsive":true},"figure":' + figure + b"}")


cup_view()
