"""A season's results, scored by its rules: the entry point for every number.

>>> import standings
>>> season = standings.load_season("lt-wc", "2025-26")       # doctest: +SKIP
>>> season.standings("men-500", after=2).head(1)              # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Literal

import pandas as pd

from standings.engine.cut import AsOf
from standings.engine.medals import medal_table
from standings.engine.points import score
from standings.engine.qualification import (
    WHAT_IF_NOTE,
    Hypothetical,
    QualificationRules,
    allocation,
    apply_what_if,
    classification,
    load_qualification,
    quota_table,
)
from standings.engine.tables import cup_grid, display_names, grid_progress, grid_standings, named_grid
from standings.engine.title_race import Entry, TitleRace, title_race
from standings.errors import ImportRefused, ImpossibleResult, UnknownSelection
from standings.model import CIRCUITS, DISCIPLINES, HEAT_COLUMNS, LAP_COLUMNS, SCHEDULE_COLUMNS, season_label
from standings.rules import Cup, Rules, rules_for, rules_unknown
from standings.sources.plausibility import check_number, check_text, check_time, check_world_cup, limits
from standings.storage.programme import PlannedRaces, load_programme, remaining_races, uniform_programme
from standings.storage.shipped import default_data_dir, open_store
from standings.storage.store import Store


def check_what_if(what_if: Sequence[Hypothetical], rules: QualificationRules) -> None:
    """Refuse a hypothetical result that no race can have, by the limits of an imported result.

    The plausibility rules (``standings/rules/plausibility/limits.toml``, applied by
    ``standings.sources.plausibility``) hold for a hypothetical result as for a result sheet: the
    World Cup's number, the place (``rank``) and the time, possible for the event's distance in
    the rules' discipline (a place is a finished race: the fastest bound holds too).

    Args:
        what_if: The hypothetical results.
        rules: The qualification rules (the events' distances, the circuit's discipline).

    Raises:
        ImpossibleResult: For the first impossible value: the hypothetical, the field, the value
            and what is possible (``field 'rank': 0 is not a possible rank (1 to 999)``).
        UnknownSelection: For an event the rules do not have.
    """
    discipline = DISCIPLINES.get(rules.circuit, "long_track")
    for hypothetical in what_if:
        distance = rules.event(hypothetical.event_id).kind.split("-", 1)[1]
        source = hypothetical.label
        try:
            check_world_cup(hypothetical.world_cup, source)
            check_number(hypothetical.rank, "rank", source)
            if hypothetical.time is not None:
                check_text(hypothetical.time, source, field="time")
                # A place is a finished race (a mass start's every lap): both bounds hold.
                check_time(hypothetical.time, discipline, distance, source, laps=limits().mass_start_laps)
        except ImportRefused as error:
            field = error.field or ""
            raise ImpossibleResult(source, field, getattr(hypothetical, field, None), error.problem) from error


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns)).astype(columns)


@dataclass(frozen=True)
class Season:
    """One circuit's season: races, scored results and rules.

    Attributes:
        circuit: Circuit id, e.g. ``lt-wc``.
        season_id: Season id, e.g. ``2025-26`` (``label`` is ``2025/26``).
        rules: The rules in force.
        races: The races (``RACE_COLUMNS`` plus ``is_final``, ``official``, ``updated``).
        results: Scored results (see ``standings.engine.points.score``).
        programme: The season's planned races (for the title race), as passed in; empty when
            none is known.
        data_version: The store's data version the races and results were read at (one
            snapshot, see ``Store.season_rows``); ``None`` when not read from a store, or from
            a store never written to.
        heats: Short track: every heat row of every race (``model.HEAT_COLUMNS``), where the
            source has them (empty otherwise).
        laps: Long track: every lap passage of every race (``model.LAP_COLUMNS``), where the
            source has them (the results API; empty otherwise).
        schedule: Every race the events' timetables announce, raced yet or not, with its start
            (``model.SCHEDULE_COLUMNS``; the results API; empty otherwise).
    """

    circuit: str
    season_id: str
    rules: Rules
    races: pd.DataFrame
    results: pd.DataFrame
    programme: tuple[PlannedRaces, ...] = ()
    data_version: str | None = None
    heats: pd.DataFrame = field(default_factory=lambda: _empty(HEAT_COLUMNS))
    laps: pd.DataFrame = field(default_factory=lambda: _empty(LAP_COLUMNS))
    schedule: pd.DataFrame = field(default_factory=lambda: _empty(SCHEDULE_COLUMNS))

    @property
    def label(self) -> str:
        """The season as the sport writes it: ``2025/26``."""
        return season_label(self.season_id)

    @cached_property
    def names(self) -> pd.DataFrame:
        """Display name and nation per competitor (see ``standings.engine.tables.display_names``)."""
        return display_names(self.results)

    @cached_property
    def grid(self) -> pd.DataFrame:
        """Every cup's standing of every competitor after every World Cup, with names (``standings.engine.tables``)."""
        return named_grid(cup_grid(self.results, self.rules), self.names)

    @cached_property
    def cup_rows(self) -> dict[str, pd.DataFrame]:
        """Each cup's rows of ``grid``."""
        empty = self.grid.iloc[0:0]
        parts = (
            {str(cup): rows for cup, rows in self.grid.groupby("cup", sort=False, observed=True)}
            if len(self.grid)
            else {}
        )
        return {cup.cup_id: parts.get(cup.cup_id, empty) for cup in self.rules.cups}

    @cached_property
    def world_cups(self) -> list[int]:
        """The World Cup numbers loaded, in order."""
        return sorted(int(n) for n in self.races["world_cup"].unique())

    def as_of(self, world_cup: int | None = None) -> AsOf:
        """The season as of a World Cup (default: the latest loaded).

        Args:
            world_cup: The last World Cup counted.
        """
        number = world_cup if world_cup is not None else (self.world_cups[-1] if self.world_cups else 0)
        city = self.cities.get(number, "")
        label = f"after World Cup #{number} ({city})" if city else f"after World Cup #{number}"
        return AsOf(self.circuit, self.season_id, number, label)

    @cached_property
    def cities(self) -> dict[int, str]:
        """World Cup number to host city."""
        return {
            int(n): "" if pd.isna(c) else str(c)
            for n, c in zip(self.events["world_cup"], self.events["city"], strict=True)
        }

    @cached_property
    def events(self) -> pd.DataFrame:
        """One row per World Cup: ``world_cup, event_id, city, country, first_day, last_day, races``."""
        grouped = self.races.groupby("world_cup", sort=True)
        return pd.DataFrame(
            {
                "event_id": grouped["event_id"].first(),
                "city": grouped["city"].first(),
                "country": grouped["country"].first(),
                "first_day": grouped["day"].min(),
                "last_day": grouped["day"].max(),
                "races": grouped.size(),
            }
        ).reset_index()

    def _after(self, after: int | None) -> int | None:
        if after is not None and after not in self.world_cups:
            loaded = ", ".join(str(n) for n in self.world_cups) or "none"
            raise UnknownSelection(f"{self.circuit} {self.season_id} has no World Cup #{after}; loaded: {loaded}")
        return after

    @property
    def cups(self) -> list[Cup]:
        """The season's cups, in display order, overall rankings last."""
        return list(self.rules.cups)

    def cup(self, cup_id: str) -> Cup:
        """A cup by id (``men-500``); raises ``UnknownSelection`` for an unknown id."""
        return self.rules.cup(cup_id)

    def standings(self, cup_id: str, *, after: int | None = None) -> pd.DataFrame:
        """A cup's standings after World Cup ``after`` (default: latest).

        Returns:
            ``rank, competitor, name, nation, points, races, wins, provisional``.
        """
        return grid_standings(self.cup_rows[self.cup(cup_id).cup_id], self._after(after))

    def progress(self, cup_id: str, *, after: int | None = None) -> pd.DataFrame:
        """Cumulative points and rank of every competitor after each World Cup."""
        return grid_progress(self.cup_rows[self.cup(cup_id).cup_id], self._after(after))

    def medals(
        self, *, after: int | None = None, order: Literal["gold", "total"] = "gold", gender: str | None = None
    ) -> pd.DataFrame:
        """The nation medal table (Division A podiums): ``rank, nation, gold, silver, bronze, total``.

        Args:
            after: The last World Cup counted (default: all).
            order: ``gold`` first (the IOC convention) or by ``total``.
            gender: Only the ``women``'s or ``men``'s races (default: every race, mixed relays too).
        """
        return medal_table(self.results_of(gender), after=self._after(after), order=order)

    def _qualifying(self, games: str, after: int | None) -> tuple[QualificationRules, int]:
        """The qualification rules and the World Cup to count up to, checked against the season."""
        rules = load_qualification(games)
        if (self.circuit, self.season_id) != (rules.circuit, rules.season):
            raise UnknownSelection(
                f"{games} is decided by {rules.circuit} {rules.season}, not {self.circuit} {self.season_id}"
            )
        loaded = [n for n in rules.world_cups if n in self.world_cups]
        if after is None:
            if not loaded:
                raise UnknownSelection(f"no qualifying World Cup of {games} is loaded")
            after = loaded[-1]
        elif after not in rules.world_cups:
            numbers = ", ".join(str(n) for n in rules.world_cups)
            raise UnknownSelection(f"World Cup #{after} does not qualify for {games}; qualifying: {numbers}")
        self._after(after)
        return rules, after

    def qualification(
        self,
        event_id: str,
        *,
        after: int | None = None,
        games: str = "owg-2026",
        what_if: Sequence[Hypothetical] = (),
    ) -> pd.DataFrame:
        """An Olympic event's Special Olympic Qualification Classification as of a World Cup.

        Args:
            event_id: The Games' event, e.g. ``men-1000`` or ``women-team-pursuit``.
            after: As of this World Cup (default: the latest qualifying one loaded).
            games: The qualification rules (``standings/rules/qualification/<games>.toml``).
            what_if: Hypothetical results applied on top of the real ones
                (``standings.engine.qualification.apply_what_if``: other competitors' results
                are unchanged). Those after ``after`` do not count.

        Returns:
            The columns of ``standings.columns.QUALIFICATION``, in the classification's order
            (see ``standings.engine.qualification.classification``). With hypotheticals,
            ``frame.attrs["notes"]`` says the classification is a provisional what-if.

        Raises:
            UnknownSelection: If the rules are for another season, the World Cup is not loaded or
                not a qualifying one, the event is unknown, or a hypothetical names an unknown
                competitor or race.
            ImpossibleResult: If a hypothetical holds a place or a time no race can have
                (``check_what_if``); nothing is applied.
        """
        rules, after = self._qualifying(games, after)
        results = self._with_what_if(rules, what_if)
        frame = classification(results, event_id, rules, after=after)
        if what_if:
            frame.attrs["notes"] = [WHAT_IF_NOTE]
        return frame

    def quota_table(
        self, *, after: int | None = None, games: str = "owg-2026", what_if: Sequence[Hypothetical] = ()
    ) -> pd.DataFrame:
        """Quota places per nation and gender as of a World Cup, every event's classification counted.

        Args:
            after: As of this World Cup (default: the latest qualifying one loaded).
            games: The qualification rules.
            what_if: Hypothetical results, as in ``qualification``.

        Returns:
            The columns of ``standings.columns.QUOTA_TABLE`` with one ``Int64`` column per event
            between ``gender`` and ``total`` (see ``standings.engine.qualification.quota_table``).
            The host rule and the cut to the Games' total are counted. With hypotheticals,
            ``frame.attrs["notes"]`` says it is a provisional what-if.

        Raises:
            UnknownSelection: As ``qualification``.
            ImpossibleResult: As ``qualification``.
        """
        return self.quota_places(after=after, games=games, what_if=what_if)[0]

    def allocation(
        self, *, after: int | None = None, games: str = "owg-2026", what_if: Sequence[Hypothetical] = ()
    ) -> pd.DataFrame:
        """Every quota place of the Games as of a World Cup, after the host rule and the cut.

        Args:
            after: As of this World Cup (default: the latest qualifying one loaded).
            games: The qualification rules.
            what_if: Hypothetical results, as in ``qualification``.

        Returns:
            The columns of ``standings.columns.ALLOCATION`` (see
            ``standings.engine.qualification.allocation``).

        Raises:
            UnknownSelection: As ``qualification``.
            ImpossibleResult: As ``qualification``.
        """
        return self.quota_places(after=after, games=games, what_if=what_if)[1]

    def quota_places(
        self, *, after: int | None = None, games: str = "owg-2026", what_if: Sequence[Hypothetical] = ()
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``quota_table`` and ``allocation`` together, from one computation of every event's
        classification and of the allocation (a page showing both computes them once).

        Raises:
            UnknownSelection: As ``qualification``.
            ImpossibleResult: As ``qualification``.
        """
        rules, found = self._classifications(games, after, what_if)
        places = allocation(found, rules)
        table = quota_table(found, rules, places=places)
        if what_if:
            table.attrs["notes"] = [WHAT_IF_NOTE]
            places.attrs["notes"] = [WHAT_IF_NOTE]
        return table, places

    def _classifications(
        self, games: str, after: int | None, what_if: Sequence[Hypothetical]
    ) -> tuple[QualificationRules, dict[str, pd.DataFrame]]:
        rules, as_of = self._qualifying(games, after)
        results = self._with_what_if(rules, what_if)
        return rules, {event_id: classification(results, event_id, rules, after=as_of) for event_id in rules.events}

    def _with_what_if(self, rules: QualificationRules, what_if: Sequence[Hypothetical]) -> pd.DataFrame:
        """The scored results with ``what_if`` applied, each hypothetical checked first."""
        check_what_if(what_if, rules)
        return apply_what_if(self.results, self.races, self.rules, rules, what_if)

    def results_of(self, gender: str | None) -> pd.DataFrame:
        """The results of one gender's races, or every result when ``gender`` is ``None``."""
        return self.results if gender is None else self.results[self.results["gender"] == gender]

    def title_race(
        self, cup_id: str, *, after: int | None = None, remaining: int | None = None, multiplier: float = 1.0
    ) -> TitleRace:
        """Who can still win a cup after World Cup ``after`` (default: latest), and what each needs.

        Args:
            cup_id: The cup, e.g. ``men-500``.
            after: The last World Cup counted; the races after it come from ``data/programme.csv``.
            remaining: Instead of the programme, this many races of the cup at ``multiplier``.
            multiplier: Points multiplier of the ``remaining`` races.

        Raises:
            UnknownSelection: If the season has no rankings, the cup is unknown, or no programme is known.
        """
        if not self.rules.rankings_available:
            raise UnknownSelection(f"no rankings for {self.circuit} {self.season_id}: {self.rules.rankings_reason}")
        cup = self.cup(cup_id)
        upto = self._after(after) or max(self.world_cups)
        table = self.standings(cup_id, after=upto)
        entries = [
            Entry(str(c), str(n), str(nation), int(p), int(w))
            for c, n, nation, p, w in zip(
                table["competitor"], table["name"], table["nation"], table["points"], table["wins"], strict=True
            )
        ]
        if remaining is None:
            programme = remaining_races(list(self.programme), self.rules, cup, self.season_id, upto)
        else:
            programme = uniform_programme(remaining, self.rules, cup, multiplier=multiplier)
        team = any(kind.endswith(("team-pursuit", "team-sprint")) for kind in cup.races)
        pronoun: Literal["he", "she", "it"] = "it" if team else ("she" if cup.gender == "women" else "he")
        race = title_race(
            entries,
            programme,
            tie_break=self.rules.tie_break,
            cup="the overall ranking" if cup.overall else "the cup",
            pronoun=pronoun,
        )
        notes = list(race.notes)
        if self.rules.tie_break_then_provisional:
            notes.append(
                "Provisional: competitors equal on points and race wins are taken to share the rank; "
                "no further tie-break is confirmed."
            )
        if table["provisional"].any():
            notes.append("Provisional: some points so far depend on a rule that is not confirmed.")
        if cup.overall and not self.rules.overall_official:
            notes.append(f"The overall ranking is the {self.rules.overall_label}.")
        return replace(race, notes=tuple(notes))

    def exceptions(self) -> pd.DataFrame:
        """Results whose points come from a rules exception, with the explanation."""
        rows = self.results[self.results["points_note"].notna()]
        return rows[["race_id", "rank", "name", "nation", "official_points", "points", "points_note"]]


def season_from_store(store: Store, circuit: str, season: str, *, programme: Sequence[PlannedRaces] = ()) -> Season:
    """Load and score a season from ``store``.

    Args:
        store: The store.
        circuit: E.g. ``lt-wc``.
        season: E.g. ``2025-26``.
        programme: The planned races (``standings.storage.programme.load_programme``), for the
            title race; without it, only ``title_race(..., remaining=N)`` can answer.

    The races and results are read in one transaction (``Store.season_rows``), so an import
    running meanwhile is seen whole or not at all: every race comes with its results. The
    season carries the data version it was read at (``Season.data_version``).

    Raises:
        UnknownSelection: If the store has no races for that season, or no rules cover it.
    """
    rows = store.season_rows(circuit, season)
    races = rows.races
    if races.empty:
        loaded = store.seasons()
        known = ", ".join(f"{r.circuit} {r.season}" for r in loaded.itertuples()) or "none"
        raise UnknownSelection(f"no races loaded for {circuit} {season}; loaded: {known}")
    try:
        rules = rules_for(circuit, season)
    except UnknownSelection:
        rules = rules_unknown(circuit, season, CIRCUITS.get(circuit, circuit).split(" · ")[-1])
    scored = score(rows.results, races, rules)
    planned = tuple(p for p in programme if p.season == season)
    return Season(
        circuit,
        season,
        rules,
        races,
        scored,
        planned,
        data_version=rows.data_version,
        heats=rows.heats if rows.heats is not None else _empty(HEAT_COLUMNS),
        laps=rows.laps if rows.laps is not None else _empty(LAP_COLUMNS),
        schedule=rows.schedule if rows.schedule is not None else _empty(SCHEDULE_COLUMNS),
    )


def load_season(circuit: str, season: str, *, url: str | None = None, data_dir: Path | None = None) -> Season:
    """Load and score a season from the default store, built from the shipped data on first use.

    The season's programme (for ``Season.title_race``) is read from ``data_dir``'s
    ``programme.csv`` here, once, and passed in.

    Args:
        circuit: E.g. ``lt-wc``.
        season: E.g. ``2025-26``.
        url: Database URL (default: ``RINKSIDE_DATABASE_URL`` or the SQLite file).
        data_dir: The shipped data (default: ``data/``, or ``RINKSIDE_DATA_DIR``).
    """
    folder = data_dir or default_data_dir()
    store = open_store(url, folder)
    try:
        return season_from_store(store, circuit, season, programme=load_programme(folder / "programme.csv"))
    finally:
        store.close()


def seasons(*, url: str | None = None) -> pd.DataFrame:
    """What is loaded: ``circuit, season, events, races, results``, one row per season.

    Args:
        url: Database URL (default: ``RINKSIDE_DATABASE_URL`` or the SQLite file).
    """
    store = open_store(url)
    try:
        return store.seasons()
    finally:
        store.close()
