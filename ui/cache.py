"""Cached access to the store and the scored seasons.

The store, each scored season and the tables derived from a season (keyed by
the view: cup, as-of event) are resources: one object per process, shared by all
sessions and never copied, so a rerun costs no unpickling and an added session
no memory. Pages only read them (every change makes a new frame, as ``assign``
does). A widget change re-reads a cached table; it never reloads or rescores
the season.

Every cached value is keyed by the store's data version too (``version``; the argument is
named ``data_version``: Streamlit leaves arguments starting with ``_`` out of the key), which
changes with every import or sync that changes results: a running dashboard shows
new results on its next rerun, with no restart and no waiting for a timer. A derived
table is computed from the season of the version it is keyed by (never read anew), and
the built figures (``ui.render``) are keyed by it as well.

A season is read from one snapshot of the store (``Store.season_rows``), so it is whole even
while an import runs, and it says which data version it was read at. That can be newer than
the version it was asked for (``version`` is up to a second old, and an import may commit
between reading the version and the snapshot); such a season is never kept under the older
key (``_season_at``): that entry is dropped, ``version`` is read anew, and the season is loaded
under the version the snapshot read. So each cached season is exactly the state its key names,
and a season read in the middle of a folder import is replaced as soon as the next file's
commit changes the data version. The derived tables are keyed by the version of the season
they are computed from (``_version_of``), not by ``version`` itself, so they name the same state.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from standings.engine.cut import up_to
from standings.engine.qualification import Hypothetical
from standings.engine.title_race import TitleRace
from standings.model import DISCIPLINES
from standings.present import event, skaters, views
from standings.season import Season, season_from_store
from standings.storage.programme import PlannedRaces, load_programme
from standings.storage.shipped import default_data_dir, open_store
from standings.storage.store import Store

_TTL = 3600
_VERSION_TTL = 1.0


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """The process's store, built from data/ on first use."""
    return open_store()


@st.cache_resource(show_spinner=False)
def programme() -> list[PlannedRaces]:
    """The planned races of every season (``data/programme.csv``), read once per process."""
    return load_programme(default_data_dir() / "programme.csv")


class _Version:
    """The store's data version, read at most once every ``_VERSION_TTL`` seconds, for all sessions.

    Not ``st.cache_resource(ttl=...)``: Streamlit's cache asks whether a key is there, then reads
    it, and an entry expiring between the two raised ``KeyError`` in a fan's page (the cluster test,
    60 fans on 2 cores, 2026-12-07: ``cache_resource_api.read_result``). Here whether to read
    anew and the reading are one step under one lock.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value = ""
        self._read_at = -math.inf

    def get(self) -> str:
        """The version, read from the store if the one held is a second old."""
        with self._lock:
            now = time.monotonic()
            if now - self._read_at >= _VERSION_TTL:
                self._value = store().data_version() or ""
                self._read_at = now
            return self._value

    def forget(self) -> None:
        """Read the version anew next time."""
        with self._lock:
            self._read_at = -math.inf


@st.cache_resource(show_spinner=False)
def _latest() -> _Version:
    return _Version()


def version() -> str:
    """The store's data version (read at most once a second, shared by all sessions)."""
    return _latest().get()


def catalogue() -> pd.DataFrame:
    """Loaded circuits and seasons with their counts."""
    return _catalogue(version())


@st.cache_data(ttl=_TTL, max_entries=4, show_spinner=False)
def _catalogue(data_version: str) -> pd.DataFrame:
    return store().seasons()


def freshness(circuit: str, season_id: str) -> str:
    """The line every page shows: when the data last changed, and the newest race."""
    return _freshness(circuit, season_id, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=16, show_spinner=False)
def _freshness(circuit: str, season_id: str, data_version: str) -> str:
    synced_last = store().synced_at(circuit, season_id)
    return views.freshness(_season_at(circuit, season_id, data_version), synced_last)


def season(circuit: str, season_id: str) -> Season:
    """A scored season, shared by every session."""
    return _season_at(circuit, season_id, version())


#: How many times a season is loaded anew while the store keeps changing under the loads.
_LOAD_ATTEMPTS = 3


def _season_at(circuit: str, season_id: str, data_version: str) -> Season:
    """The cached season of ``data_version``, only ever kept under the version it was read at.

    When the snapshot read a newer version than ``data_version`` (an import committed meanwhile),
    the entry under ``data_version`` is dropped, ``version`` is read anew, and the season is
    loaded under the version read. If the store changed again during each of
    ``_LOAD_ATTEMPTS`` loads, the last season (whole, of its own version) is returned and not
    kept: the next rerun loads it again.
    """
    wanted = data_version
    for _ in range(_LOAD_ATTEMPTS):
        loaded = _season(circuit, season_id, wanted)
        read = loaded.data_version or ""
        if read == wanted:
            return loaded
        _season.clear(circuit, season_id, wanted)
        _latest().forget()
        wanted = read
    return loaded


def _version_of(circuit: str, season_id: str) -> str:
    """The data version the season cached now was read at: the key of every table derived from it."""
    return season(circuit, season_id).data_version or ""


@st.cache_resource(ttl=_TTL, max_entries=8, show_spinner="Loading the season…")
def _season(circuit: str, season_id: str, data_version: str) -> Season:
    # Called through _season_at only, which drops an entry read at another version than its key.
    return season_from_store(store(), circuit, season_id, programme=programme())


def leaderboard(circuit: str, season_id: str, cup: str, after: int) -> pd.DataFrame:
    """A cup's leaderboard as of a World Cup."""
    return _leaderboard(circuit, season_id, cup, after, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=256, show_spinner=False)
def _leaderboard(circuit: str, season_id: str, cup: str, after: int, data_version: str) -> pd.DataFrame:
    return views.leaderboard(_season_at(circuit, season_id, data_version), cup, after=after)


def progress(circuit: str, season_id: str, cup: str, after: int) -> pd.DataFrame:
    """A cup's progress table as of a World Cup."""
    return _progress(circuit, season_id, cup, after, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=256, show_spinner=False)
def _progress(circuit: str, season_id: str, cup: str, after: int, data_version: str) -> pd.DataFrame:
    return _season_at(circuit, season_id, data_version).progress(cup, after=after)


def breakdown(circuit: str, season_id: str, cup: str, after: int) -> pd.DataFrame:
    """Race-by-race points per competitor and World Cup, for chart hovers."""
    return _breakdown(circuit, season_id, cup, after, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=256, show_spinner=False)
def _breakdown(circuit: str, season_id: str, cup: str, after: int, data_version: str) -> pd.DataFrame:
    return views.event_breakdown(_season_at(circuit, season_id, data_version), cup, after=after)


def medals(circuit: str, season_id: str, after: int, order: str, gender: str | None) -> pd.DataFrame:
    """The nation medal table as of a World Cup (one gender's races, or all when ``gender`` is ``None``)."""
    return _medals(circuit, season_id, after, order, gender, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=64, show_spinner=False)
def _medals(
    circuit: str, season_id: str, after: int, order: str, gender: str | None, data_version: str
) -> pd.DataFrame:
    return _season_at(circuit, season_id, data_version).medals(
        after=after, order="total" if order == "total" else "gold", gender=gender
    )


def medals_per_event(circuit: str, season_id: str, after: int, gender: str | None) -> pd.DataFrame:
    """Medals per nation at each World Cup."""
    return _medals_per_event(circuit, season_id, after, gender, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=64, show_spinner=False)
def _medals_per_event(circuit: str, season_id: str, after: int, gender: str | None, data_version: str) -> pd.DataFrame:
    return views.medals_per_event(_season_at(circuit, season_id, data_version), after=after, gender=gender)


def head_to_head(
    circuit: str, season_id: str, first: str, second: str, after: int, gender: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two nations' medals across the World Cups and per distance."""
    return _head_to_head(circuit, season_id, first, second, after, gender, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=128, show_spinner=False)
def _head_to_head(
    circuit: str, season_id: str, first: str, second: str, after: int, gender: str | None, data_version: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    return views.head_to_head(_season_at(circuit, season_id, data_version), first, second, after=after, gender=gender)


def skater(circuit: str, season_id: str, competitor: str, after: int) -> dict[str, pd.DataFrame]:
    """One competitor's races, cups and rank history as of a World Cup."""
    return _skater(circuit, season_id, competitor, after, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=256, show_spinner=False)
def _skater(circuit: str, season_id: str, competitor: str, after: int, data_version: str) -> dict[str, pd.DataFrame]:
    loaded = _season_at(circuit, season_id, data_version)
    races = skaters.skater_races(loaded, competitor)
    history = skaters.skater_rank_history(loaded, competitor)
    return {
        "races": up_to(races, after),
        "cups": skaters.skater_cups(loaded, competitor, after=after),
        "history": up_to(history, after),
    }


def title_race(circuit: str, season_id: str, cup: str, after: int) -> TitleRace:
    """Who can still win a cup as of a World Cup (see ``standings.engine.title_race``)."""
    return _title_race(circuit, season_id, cup, after, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=256, show_spinner=False)
def _title_race(circuit: str, season_id: str, cup: str, after: int, data_version: str) -> TitleRace:
    return _season_at(circuit, season_id, data_version).title_race(cup, after=after)


def exceptions(circuit: str, season_id: str) -> pd.DataFrame:
    """Results whose points follow a rules exception (see ``Season.exceptions``)."""
    return _exceptions(circuit, season_id, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=16, show_spinner=False)
def _exceptions(circuit: str, season_id: str, data_version: str) -> pd.DataFrame:
    return _season_at(circuit, season_id, data_version).exceptions()


def qualification(
    circuit: str, season_id: str, event_id: str, after: int, what_if: tuple[Hypothetical, ...] = ()
) -> pd.DataFrame:
    """An Olympic event's qualification classification as of a World Cup, with any what-ifs."""
    return _qualification(circuit, season_id, event_id, after, what_if, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=256, show_spinner=False)
def _qualification(
    circuit: str, season_id: str, event_id: str, after: int, what_if: tuple[Hypothetical, ...], data_version: str
) -> pd.DataFrame:
    return _season_at(circuit, season_id, data_version).qualification(event_id, after=after, what_if=what_if)


def quota_table(circuit: str, season_id: str, after: int, what_if: tuple[Hypothetical, ...] = ()) -> pd.DataFrame:
    """Olympic quota places per nation and gender as of a World Cup, with any what-ifs."""
    return _quota_places(circuit, season_id, after, what_if, _version_of(circuit, season_id))[0]


def allocation(circuit: str, season_id: str, after: int, what_if: tuple[Hypothetical, ...] = ()) -> pd.DataFrame:
    """Every Olympic quota place as of a World Cup, after the host rule and the cut, with any what-ifs."""
    return _quota_places(circuit, season_id, after, what_if, _version_of(circuit, season_id))[1]


@st.cache_resource(ttl=_TTL, max_entries=64, show_spinner=False)
def _quota_places(
    circuit: str, season_id: str, after: int, what_if: tuple[Hypothetical, ...], data_version: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The quota table and the allocation, computed together once (``Season.quota_places``)."""
    return _season_at(circuit, season_id, data_version).quota_places(after=after, what_if=what_if)


@dataclass(frozen=True)
class EventProgramme:
    """One World Cup's programme as the Event page shows it.

    Attributes:
        programme: Every race, stored or planned (``event.programme``).
        stored: The races stored, with their ``race_id``.
        latest: The race shown first, per gender of the races stored, and under ``""`` for any other
            gender (``event.latest_race``).
    """

    programme: pd.DataFrame
    stored: pd.DataFrame
    latest: dict[str, str]


def event_programme(circuit: str, season_id: str, world_cup: int) -> EventProgramme:
    """A World Cup's programme, built once per data version for every session."""
    return _event_programme(circuit, season_id, world_cup, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=64, show_spinner=False)
def _event_programme(circuit: str, season_id: str, world_cup: int, data_version: str) -> EventProgramme:
    programme = event.programme(_season_at(circuit, season_id, data_version), world_cup)
    stored = programme.dropna(subset=["race_id"])
    genders = dict.fromkeys(("", *stored["gender"].dropna()))  # "": no race of the gender asked for
    latest = {} if stored.empty else {gender: event.latest_race(stored, gender) for gender in genders}
    return EventProgramme(programme=programme, stored=stored, latest=latest)


@dataclass(frozen=True)
class EventRace:
    """One race as the Event page shows it: every table, built once per data version.

    Attributes:
        result: The result (``event.race_results``), columns with no value left out.
        pairs: The pairs or heats as skated (``event.race_pairs``).
        laps: The lap passages (``event.race_laps``).
        heats: A short-track race's heats by round (``event.race_heats``).
        rounds: A short-track race's rounds in summary (``event.round_summary``; empty for long track).
        lost: What the source lost of this race (the ``rows-lost`` and ``podium-lost`` findings).
        source: The result's source.
    """

    result: pd.DataFrame
    pairs: pd.DataFrame
    laps: pd.DataFrame
    heats: pd.DataFrame
    rounds: pd.DataFrame
    lost: pd.DataFrame
    source: str


def event_race(circuit: str, season_id: str, race_id: str) -> EventRace:
    """A race's tables for the Event page, shared by every session."""
    return _event_race(circuit, season_id, race_id, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=256, show_spinner=False)
def _event_race(circuit: str, season_id: str, race_id: str, data_version: str) -> EventRace:
    season = _season_at(circuit, season_id, data_version)
    lost = _findings(circuit, season_id, data_version)  # read once per version, not once per race
    short_track = DISCIPLINES.get(circuit) == "short_track"
    return EventRace(
        result=event.race_results(season, race_id).dropna(axis=1, how="all"),
        pairs=event.race_pairs(season, race_id),
        laps=event.race_laps(season, race_id),
        heats=event.race_heats(season, race_id),
        rounds=event.round_summary(season, race_id) if short_track else pd.DataFrame(),
        lost=lost[(lost["race_id"] == race_id) & lost["kind"].isin(["rows-lost", "podium-lost"])],
        source=str(season.races.set_index("race_id").loc[race_id, "source"]),
    )


def competitors(circuit: str, season_id: str) -> pd.DataFrame:
    """Everyone who skated in the season (``skaters.competitors``), shared by every session."""
    return _competitors(circuit, season_id, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=16, show_spinner=False)
def _competitors(circuit: str, season_id: str, data_version: str) -> pd.DataFrame:
    return skaters.competitors(_season_at(circuit, season_id, data_version))


def sources(circuit: str, season_id: str) -> str:
    """Where the season's results come from, in words (``views.season_sources``)."""
    return _sources(circuit, season_id, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=16, show_spinner=False)
def _sources(circuit: str, season_id: str, data_version: str) -> str:
    return views.season_sources(_season_at(circuit, season_id, data_version))


def findings(circuit: str, season_id: str) -> pd.DataFrame:
    """The data-quality findings recorded at import for the season (``Store.findings``)."""
    return _findings(circuit, season_id, version())


@st.cache_resource(ttl=_TTL, max_entries=16, show_spinner=False)
def _findings(circuit: str, season_id: str, data_version: str) -> pd.DataFrame:
    return store().findings(circuit, season_id)


def title_race_board(circuit: str, season_id: str, cup: str, after: int) -> pd.DataFrame:
    """The title race as a table (``TitleRace.frame``), made once per view and data version."""
    return _title_race_board(circuit, season_id, cup, after, _version_of(circuit, season_id))


@st.cache_resource(ttl=_TTL, max_entries=256, show_spinner=False)
def _title_race_board(circuit: str, season_id: str, cup: str, after: int, data_version: str) -> pd.DataFrame:
    return _title_race(circuit, season_id, cup, after, data_version).frame()


def incomplete_podiums(circuit: str, season_id: str) -> list[str]:
    """Races of the season whose source lost a podium place (``Store.incomplete_podiums``)."""
    return _incomplete_podiums(circuit, season_id, version())


@st.cache_resource(ttl=_TTL, max_entries=16, show_spinner=False)
def _incomplete_podiums(circuit: str, season_id: str, data_version: str) -> list[str]:
    return store().incomplete_podiums(circuit, season_id)


def relays_missing(circuit: str, season_id: str) -> bool:
    """Whether a source of the season holds no relay results (``Store.relays_missing``)."""
    return _relays_missing(circuit, season_id, version())


@st.cache_resource(ttl=_TTL, max_entries=16, show_spinner=False)
def _relays_missing(circuit: str, season_id: str, data_version: str) -> bool:
    return store().relays_missing(circuit, season_id)
