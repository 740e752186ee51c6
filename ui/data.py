"""Cached access to the store and the scored seasons.

The store, each scored season and the tables derived from a season (keyed by
the view: cup, as-of event) are resources: one object per process, shared by all
sessions and never copied, so a rerun costs no unpickling and an added session
no memory. Pages only read them (every change makes a new frame, as ``assign``
does). A widget change re-reads a cached table; it never reloads or rescores
the season.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from standings import views
from standings.dataset import open_store
from standings.season import Season, season_from_store
from standings.store import Store
from standings.title_race import TitleRace

_TTL = 3600


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """The process's store, built from data/ on first use."""
    return open_store()


@st.cache_data(ttl=_TTL, max_entries=4, show_spinner=False)
def catalogue() -> pd.DataFrame:
    """Loaded circuits and seasons with their counts."""
    return store().seasons()


@st.cache_resource(ttl=_TTL, max_entries=8, show_spinner="Loading the season…")
def season(circuit: str, season_id: str) -> Season:
    """A scored season, shared by every session."""
    return season_from_store(store(), circuit, season_id)


@st.cache_resource(ttl=_TTL, max_entries=256, show_spinner=False)
def leaderboard(circuit: str, season_id: str, cup: str, after: int) -> pd.DataFrame:
    """A cup's leaderboard as of a World Cup."""
    return views.leaderboard(season(circuit, season_id), cup, after=after)


@st.cache_resource(ttl=_TTL, max_entries=256, show_spinner=False)
def progress(circuit: str, season_id: str, cup: str, after: int) -> pd.DataFrame:
    """A cup's progress table as of a World Cup."""
    return season(circuit, season_id).progress(cup, after=after)


@st.cache_resource(ttl=_TTL, max_entries=256, show_spinner=False)
def breakdown(circuit: str, season_id: str, cup: str, after: int) -> pd.DataFrame:
    """Race-by-race points per competitor and World Cup, for chart hovers."""
    return views.event_breakdown(season(circuit, season_id), cup, after=after)


@st.cache_resource(ttl=_TTL, max_entries=64, show_spinner=False)
def medals(circuit: str, season_id: str, after: int, order: str, gender: str | None) -> pd.DataFrame:
    """The nation medal table as of a World Cup (one gender's races, or all when ``gender`` is ``None``)."""
    return season(circuit, season_id).medals(after=after, order="total" if order == "total" else "gold", gender=gender)


@st.cache_resource(ttl=_TTL, max_entries=64, show_spinner=False)
def medals_per_event(circuit: str, season_id: str, after: int, gender: str | None) -> pd.DataFrame:
    """Medals per nation at each World Cup."""
    return views.medals_per_event(season(circuit, season_id), after=after, gender=gender)


@st.cache_resource(ttl=_TTL, max_entries=128, show_spinner=False)
def head_to_head(
    circuit: str, season_id: str, first: str, second: str, after: int, gender: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two nations' medals across the World Cups and per distance."""
    return views.head_to_head(season(circuit, season_id), first, second, after=after, gender=gender)


@st.cache_resource(ttl=_TTL, max_entries=256, show_spinner=False)
def skater(circuit: str, season_id: str, competitor: str, after: int) -> dict[str, pd.DataFrame]:
    """One competitor's races, cups and rank history as of a World Cup."""
    loaded = season(circuit, season_id)
    races = views.skater_races(loaded, competitor)
    history = views.skater_rank_history(loaded, competitor)
    return {
        "races": races[races["world_cup"] <= after],
        "cups": views.skater_cups(loaded, competitor, after=after),
        "history": history[history["world_cup"] <= after],
    }


@st.cache_resource(ttl=_TTL, max_entries=256, show_spinner=False)
def title_race(circuit: str, season_id: str, cup: str, after: int) -> TitleRace:
    """Who can still win a cup as of a World Cup (see ``standings.title_race``)."""
    return season(circuit, season_id).title_race(cup, after=after)


@st.cache_resource(ttl=_TTL, max_entries=16, show_spinner=False)
def exceptions(circuit: str, season_id: str) -> pd.DataFrame:
    """Results whose points follow a rules exception (see ``Season.exceptions``)."""
    return season(circuit, season_id).exceptions()
