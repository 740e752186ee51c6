"""A cup's view, shared by the Standings and Grand World Cup pages: leaderboard, points race, bump chart."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterable, Sequence

import plotly.graph_objects as go
import streamlit as st

from standings.present import charts, views
from standings.present.selection import matching_cup
from standings.rules import Cup
from standings.season import Season
from ui import cache, render, state


def choose_cup(cups: dict[str, Cup], season: Season) -> str:
    """The page's cup picker (link parameter ``cup``; the choice follows the user from page to page).

    After a switch of gender the same distance stays picked (see ``selection.matching_cup``).
    """
    options = list(cups.values())
    cup_id: str = state.select(
        "Cup",
        list(cups),
        key="cup",
        default=next(iter(cups)),
        format_func=lambda c: cups[c].name,
        fallback=lambda old: matching_cup(old, options, season.cups),
        persist_state="session",
    )
    return cup_id


def show_cup(season: Season, view: state.View, cup: Cup) -> list[str]:
    """Render a cup as of the view's World Cup.

    Returns:
        The competitors the user picked to highlight (for the page's link).
    """
    as_of = views.as_of_label(season, view.after)
    title = f"{cup.name} {season.label}"
    st.caption(render.plain(f"{title} · {as_of}"))  # the city in "as of" is imported text
    board = cache.leaderboard(view.circuit, view.season, cup.cup_id, view.after)
    if board.empty:
        up_to = views.up_to_label(season, view.after)
        st.info(render.plain(f"No {cup.name} race has been skated {up_to}, so there is no ranking yet."))
        return []
    unofficial = views.unofficial_races(season, cup.cup_id, after=view.after)
    if unofficial:
        st.warning(
            render.plain(
                f"Unofficial: {'; '.join(unofficial)} {'is' if len(unofficial) == 1 else 'are'} not official yet. "
                "The points below count these results as they stand and change if they do."
            ),
            icon=":material/pending:",
        )
    if board["provisional"].any():
        st.caption(
            ":material/info: Points marked ⚑ depend on a provisional rule (see the Data page): "
            "the official sheet or the rule's source does not settle them."
        )
    st.markdown(render.plain(views.leader_line(board)))
    team = any(kind.endswith(("pursuit", "sprint")) for kind in cup.races)
    render.table(
        views.blanks(board).assign(
            provisional=board["provisional"].map({True: "⚑", False: ""}),
            # To the skater's page, which lists every race with a link to it on the Event page.
            skater_page=state.page_links("skater", "skater", board["competitor"]),
        ),
        key=f"{cup.cup_id}-leaderboard",
        file_name=f"{view.circuit}-{view.season}-{cup.cup_id}-after-wc{view.after}.csv",
        column_order=["rank", "name", "nation", "points", "gap", "races", "wins", "provisional", "skater_page"],
        column_config={
            "rank": st.column_config.NumberColumn("Rank"),
            "name": st.column_config.TextColumn("Team" if team else "Skater"),
            "nation": st.column_config.TextColumn("Nation"),
            "points": st.column_config.NumberColumn("Points"),
            "gap": st.column_config.NumberColumn("Gap", help="Points behind the leader"),
            "races": st.column_config.NumberColumn("Races", help="Races started"),
            "wins": st.column_config.NumberColumn("Wins", help="Division A race wins"),
            "provisional": st.column_config.TextColumn(views.PROVISIONAL_MARK, help=views.PROVISIONAL_HELP),
            "skater_page": st.column_config.LinkColumn(
                "Skater page", display_text="Races", help="Every race of the skater, each linked to its result"
            ),
        },
    )
    labels = dict(zip(board["competitor"], board["name"] + " (" + board["nation"] + ")", strict=True))
    picked = state.select_many(
        "Highlight",
        list(labels),
        key="highlight",
        param="skater",
        format_func=labels.__getitem__,
        placeholder="Pick skaters to follow",
    )
    if cache.progress(view.circuit, view.season, cup.cup_id, view.after)["world_cup"].nunique() < 2:
        st.info("Only one World Cup so far: the lines below start to tell a story after the next one.")
    for key, file_title, view_key, build in _charts(season, view, cup, tuple(picked), state.dark()):
        render.chart(build, key=key, title=views.export_name(file_title), view=view_key)
    return picked


ChartSpec = tuple[str, str, Hashable, Callable[[], go.Figure]]


def _charts(season: Season, view: state.View, cup: Cup, picked: tuple[str, ...], dark: bool) -> list[ChartSpec]:
    """The cup's two charts: (element key, PNG title, figure cache key, builder) for each."""
    as_of = views.as_of_label(season, view.after)
    title = f"{cup.name} {season.label}"
    source = views.source_line(season)
    view_key = (view.circuit, view.season, cup.cup_id, view.after, picked, dark)

    def points_race() -> go.Figure:
        return charts.progress_chart(
            cache.progress(view.circuit, view.season, cup.cup_id, view.after),
            title=f"{title}: points race",
            as_of=as_of,
            source=source,
            cities=season.cities,
            breakdown=cache.breakdown(view.circuit, view.season, cup.cup_id, view.after),
            highlight=picked,
            dark=dark,
        )

    def ranks() -> go.Figure:
        return charts.bump_chart(
            cache.progress(view.circuit, view.season, cup.cup_id, view.after),
            title=f"{title}: rank after each World Cup",
            as_of=as_of,
            source=source,
            cities=season.cities,
            highlight=picked,
            dark=dark,
        )

    return [
        (f"{cup.cup_id}-progress-chart", f"{title} points race {as_of}", view_key, points_race),
        (f"{cup.cup_id}-bump-chart", f"{title} ranks {as_of}", view_key, ranks),
    ]


_LOG = logging.getLogger(__name__)


class _Prepared:
    """The views whose sibling cups are being or have been built (cleared with the other caches)."""

    def __init__(self) -> None:
        self.views: set[Hashable] = set()
        self.lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def _prepared() -> _Prepared:
    return _Prepared()


def prepare_siblings(season: Season, view: state.View, cups: Sequence[Cup], shown: str) -> threading.Thread | None:
    """Build the leaderboards and charts of the page's other cups in the background.

    A first visit to a cup costs ~150 ms on the server (tables, then Plotly's figure building);
    a commentator flicking through the cups should not pay it on each. After a page run the
    other cups of the same view are built in a daemon thread, the next ones in the picker first,
    into the caches every session shares; once per view, season version and theme per process.

    Returns:
        The thread started, or ``None`` when the view was prepared already.
    """
    dark = state.dark()
    key = (view, dark, cache.version())
    prepared = _prepared()
    with prepared.lock:
        if key in prepared.views:
            return None
        prepared.views.add(key)
    ids = [cup.cup_id for cup in cups]
    start = ids.index(shown) + 1 if shown in ids else 0
    siblings = [cup for cup in (*cups[start:], *cups[:start]) if cup.cup_id != shown]

    def build() -> None:
        try:
            prepare_cups(season, view, siblings, dark=dark)
        except Exception:  # a head start only: a cup not built here is built when it is shown
            _LOG.exception("building the other cups in the background failed")
            with prepared.lock:
                prepared.views.discard(key)

    # No script-run context on purpose: the thread outlives the run that started it, and a context
    # would tie it to that run (stopping with it when the session reruns).
    thread = threading.Thread(target=build, name="rinkside-prepare-cups", daemon=True)
    thread.start()
    return thread


def prepare_cups(season: Season, view: state.View, cups: Iterable[Cup], *, dark: bool) -> None:
    """Build the cups' leaderboards and both charts (nobody highlighted) into the shared caches."""
    for cup in cups:
        if cache.leaderboard(view.circuit, view.season, cup.cup_id, view.after).empty:
            continue
        for chart_key, _title, view_key, builder in _charts(season, view, cup, (), dark):
            render.prepare(builder, key=chart_key, view=view_key)
