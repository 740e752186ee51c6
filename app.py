"""Rinkside: the Streamlit entry point. Routes to the pages and draws the shared sidebar.

``streamlit run app.py`` imports this file (as the module ``app``), finds the ``st.App`` below and
serves the dashboard through it: its lifespan warms the dashboard up as the server starts
(``ui.server_start``), so that no visitor pays for imports or scoring. Each session then runs
this file as its script (as ``__main__``): ``main``.
"""

from pathlib import Path

import streamlit as st

from ui.server_start import wait_for_warm_up, warm_at_start
from ui.warm_up import one_import_at_a_time, warm_up

if __name__ != "__main__":  # imported by the server, not run by a session
    app = st.App(__file__, lifespan=warm_at_start)

# The icon is a file served by the app itself: a ":material/..." page icon makes every visitor's
# browser fetch it from a third-party font server.
FAVICON = str(Path(__file__).resolve().parent / "ui" / "favicon.png")


def main() -> None:
    """One run of the app for a session: the shared sidebar, then the page asked for."""
    st.set_page_config(page_title="Rinkside", page_icon=FAVICON, layout="wide")
    # First, before the heavy imports below: the browser loads the chart and table code meanwhile.
    charts_warmed = warm_up()
    wait_for_warm_up()  # a restarted server's warm-up (ui.server_start), if it is still running

    # After the warm-up on purpose, and one session at a time: a fresh server's first sessions must not
    # import the package at once (see ui.warm_up.one_import_at_a_time). ui.boot loads every module a
    # page imports, once; not the CLI, the API client, the PDF reader or Alembic, which no page needs.
    with one_import_at_a_time():
        import ui.boot

        import ui.cup_view  # noqa: F401 - the pages' shared cup view
        from standings import CIRCUITS, StandingsError, season_label
        from standings.present.charts import EXPORT_SIZES, register_templates
        from ui import cache, render, state
        from ui.render import DEFAULT_EXPORT, EXPORT_SIZE_KEY
        from ui.shell import run_page

    register_templates()
    state.remember_link()

    standings_page = st.Page(
        "pages/standings.py", title="Standings", icon=":material/leaderboard:", url_path="standings"
    )

    def _home() -> None:
        # Streamlit serves its default page at "/" only, so Standings is not the default page (its
        # link /standings?... must work); the root forwards to it, keeping the link's parameters.
        st.switch_page(standings_page, query_params={key: st.query_params.get_all(key) for key in st.query_params})

    pages = [
        st.Page(_home, title="Rinkside", url_path="home", default=True, visibility="hidden"),
        standings_page,
        st.Page("pages/overall.py", title="Grand World Cup", icon=":material/emoji_events:", url_path="overall"),
        st.Page("pages/title-race.py", title="Title race", icon=":material/flag_circle:", url_path="title-race"),
        st.Page("pages/nations.py", title="Nations", icon=":material/flag:", url_path="nations"),
        st.Page("pages/qualification.py", title="Olympic quota", icon=":material/sports:", url_path="qualification"),
        st.Page("pages/event.py", title="Event", icon=":material/event:", url_path="event"),
        st.Page("pages/skater.py", title="Skater", icon=":material/person_search:", url_path="skater"),
        st.Page("pages/data.py", title="Data", icon=":material/dataset:", url_path="data"),
    ]
    page = st.navigation(pages)

    try:
        loaded = cache.catalogue()  # the first use of the store: it is opened (and filled) here
    except StandingsError as refused:
        # A bad RINKSIDE_DATABASE_URL, a database that does not answer, a schema of another release:
        # one line saying what to do (the URL without its password), not a traceback. Nothing is
        # cached, so the next visit tries again.
        st.title("Rinkside")
        st.error(f"The results store cannot be opened: {render.plain(str(refused))}")
        st.stop()
    if loaded.empty:
        st.title("Rinkside")
        st.info("No results are loaded. Import official result sheets with `standings import PATH`.")
        st.stop()

    with st.sidebar:
        st.header("Rinkside")
        circuits = list(dict.fromkeys(loaded["circuit"]))
        circuit = state.select(
            "Circuit", circuits, key="circuit", default=circuits[0], format_func=lambda c: CIRCUITS.get(c, c)
        )
        seasons = sorted(loaded.loc[loaded["circuit"] == circuit, "season"], reverse=True)
        season_id = state.select(
            "Season", seasons, key="season", default=seasons[0], scope=(circuit,), format_func=season_label
        )
        season = cache.season(circuit, season_id)
        genders = sorted({cup.gender for cup in season.cups}, reverse=True) or ["women", "men"]
        # A link that names a cup but no gender (".../standings?cup=men-500") means that cup's gender.
        linked_cup = {cup.cup_id: cup.gender for cup in season.cups}.get(state.link_value("cup") or "")
        gender = state.select("Gender", genders, key="gender", default=linked_cup or genders[0], format_func=str.title)
        after = state.select(
            "As of",
            season.world_cups,
            key="after",
            default=season.world_cups[-1],
            parse=int,
            scope=(circuit, season_id),
            format_func=lambda n: f"World Cup #{n} · {season.cities[n]}" if season.cities[n] else f"World Cup #{n}",
            help="Standings as they stood after this World Cup.",
        )
        st.selectbox(
            "PNG export size (16:9)",
            list(EXPORT_SIZES),
            key=EXPORT_SIZE_KEY,
            index=list(EXPORT_SIZES).index(DEFAULT_EXPORT),
        )
        st.caption(f"Data: {season.rules.name}, {render.plain(cache.sources(circuit, season_id))}.")

    st.caption(render.plain(cache.freshness(circuit, season_id)), help="When the data last changed")
    state.set_view(state.View(circuit=circuit, season=season_id, gender=gender, after=after))
    run_page(page.run)
    charts_warmed()


if __name__ == "__main__":
    main()
