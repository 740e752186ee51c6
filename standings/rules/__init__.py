"""Scoring rules as data: one TOML file per circuit and season range.

Each file in this folder holds the points tables (Division A and B), which
statuses score, the final event's multiplier and field size, which races form
which cup, the standings tie-break order, the overall ranking's status, and the
known exceptions where an official sheet prints other points than the table.
Every value carries its source and confidence; see ``lt-wc-2022-23.toml``.

``rules_for("lt-wc", "2025-26")`` returns the rules in force for a season.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

from standings.errors import StandingsError, UnknownSelection
from standings.model import DISCIPLINES, season_label

RULES_DIR: Final = Path(__file__).parent
Confidence = Literal["high", "medium", "low", "provisional"]
CONFIDENCES: Final = ("high", "medium", "low", "provisional")
#: The confidences under which a value is provisional (every number using it is marked ⚑).
UNSURE: Final = ("low", "provisional")


@dataclass(frozen=True)
class PointsTable:
    """Points per place for some races of one division.

    Attributes:
        division: ``A`` or ``B``.
        races: Race kinds (``men-500``) the table applies to; ``*`` for all.
        table: Points for 1st, 2nd, ... place.
        beyond_table: Points past the table's end, or ``None`` when unknown.
        source: Where the table comes from.
        confidence: How sure the source is.
        confirmed_seasons: Seasons whose official sheets show the table (empty: all in range).
        confirmed_places: How many leading places are confirmed (``None``: all).
    """

    division: str
    races: tuple[str, ...]
    table: tuple[int, ...]
    beyond_table: int | None
    source: str
    confidence: str
    confirmed_seasons: tuple[str, ...] = ()
    confirmed_places: int | None = None

    def applies_to(self, kind: str) -> bool:
        """Whether the table is for races of this kind (``men-500``)."""
        return "*" in self.races or kind in self.races

    def points(self, rank: int, season: str) -> tuple[int, bool]:
        """Points for a place, and whether they are provisional.

        Args:
            rank: The place, 1-based.
            season: The season the race belongs to.

        Returns:
            ``(points, provisional)``. A place past a table whose continuation
            is unknown scores 0, provisional.
        """
        provisional = self.confidence in UNSURE or (
            bool(self.confirmed_seasons) and season not in self.confirmed_seasons
        )
        if rank <= len(self.table):
            unconfirmed_place = self.confirmed_places is not None and rank > self.confirmed_places
            return self.table[rank - 1], provisional or unconfirmed_place
        if self.beyond_table is None:
            return 0, True
        return self.beyond_table, provisional


@dataclass(frozen=True)
class Cup:
    """A World Cup ranking: the races that score into it.

    Attributes:
        cup_id: E.g. ``men-500`` or ``women-3000-5000``.
        name: E.g. ``3000/5000 m Women``.
        gender: ``women`` or ``men``.
        races: Race kinds (``women-3000``, ``women-5000``) that score into the cup.
        overall: Whether this is the all-distance ranking.
    """

    cup_id: str
    name: str
    gender: str
    races: tuple[str, ...]
    overall: bool = False


@dataclass(frozen=True)
class PointsException:
    """Where an official sheet prints other points than the rules give, and why.

    Attributes:
        race_id: The race.
        table: A replacement points table for the whole race, or ``None``.
        competitor: The one competitor whose points differ, or ``None``.
        points: That competitor's printed points.
        explanation: What the sheet shows and what is known of the cause.
        confidence: How sure the explanation is.
    """

    race_id: str
    table: tuple[int, ...] | None
    competitor: str | None
    points: int | None
    explanation: str
    confidence: str


@dataclass(frozen=True)
class Rules:
    """The scoring rules of one circuit for a range of seasons.

    Attributes:
        circuit: Circuit id, e.g. ``lt-wc``.
        name: Circuit name.
        first_season: First season the rules apply to.
        last_season: Last season, or ``None`` for open-ended.
        tables: Points tables.
        scoring_statuses: Statuses of ranked results that score their place's points.
        scoring_provisional: Whether the scoring statuses are unconfirmed.
        final_multiplier: Multiplier for races at the final event.
        final_field_size: Field size at the final, or ``None`` when unknown.
        tie_break: Criteria after points, in order (``wins``).
        tie_break_then: What happens when all criteria are equal (``shared``).
        tie_break_then_provisional: Whether that last step is unconfirmed.
        overall_official: Whether the all-distance ranking is the official Grand World Cup.
        overall_label: How to label the all-distance ranking.
        overall_distances: Distances that count in the all-distance ranking.
        cups: Cups, in display order.
        exceptions: Known differences between the tables and the official sheets.
        source_file: The rules file's name.
        rankings_available: Whether standings can be computed for these seasons.
        rankings_reason: Why not, in words for users (empty when available).
        final_confidence: How sure the final's multiplier is.
        final_confirmed_seasons: Seasons for which the multiplier is confirmed (empty: all in range).
    """

    circuit: str
    name: str
    first_season: str
    last_season: str | None
    tables: tuple[PointsTable, ...]
    scoring_statuses: frozenset[str]
    scoring_provisional: bool
    final_multiplier: float
    final_field_size: int | None
    tie_break: tuple[str, ...]
    tie_break_then: str
    tie_break_then_provisional: bool
    overall_official: bool
    overall_label: str
    overall_distances: tuple[str, ...]
    cups: tuple[Cup, ...]
    exceptions: tuple[PointsException, ...]
    source_file: str
    rankings_available: bool = True
    rankings_reason: str = ""
    final_confidence: str = "high"
    final_confirmed_seasons: tuple[str, ...] = ()

    def final_provisional(self, season: str) -> bool:
        """Whether the final's multiplier is unconfirmed for ``season`` (its points are then provisional)."""
        if self.final_confidence in UNSURE:
            return True
        return bool(self.final_confirmed_seasons) and season not in self.final_confirmed_seasons

    @property
    def discipline(self) -> str:
        """``long_track`` or ``short_track``."""
        return DISCIPLINES.get(self.circuit, "long_track")

    @property
    def long_track(self) -> bool:
        """Whether these are long-track rules (Divisions A and B, sheets, the results API)."""
        return self.discipline == "long_track"

    @property
    def short_track(self) -> bool:
        """Whether these are short-track rules (Final A and B, heats and rounds)."""
        return self.discipline == "short_track"

    def covers(self, season: str) -> bool:
        """Whether these rules apply to ``season`` (seasons compare as ``YYYY-YY`` text)."""
        return self.first_season <= season and (self.last_season is None or season <= self.last_season)

    def table_for(self, division: str, kind: str) -> PointsTable | None:
        """The points table for a race of this division and kind, if any."""
        return next((t for t in self.tables if t.division == division and t.applies_to(kind)), None)

    def cup(self, cup_id: str) -> Cup:
        """The cup with this id.

        Raises:
            UnknownSelection: If the rules have no such cup.
        """
        for cup in self.cups:
            if cup.cup_id == cup_id:
                return cup
        known = ", ".join(c.cup_id for c in self.cups)
        raise UnknownSelection(f"no cup {cup_id!r} in {self.circuit}; cups are: {known}")


def confidence(value: Any, where: str) -> str:
    """A rules file's confidence value, checked (``where`` names the file and section for the error)."""
    if value not in CONFIDENCES:
        raise StandingsError(f"{where}: confidence {value!r} is not one of {', '.join(CONFIDENCES)}")
    return str(value)


def _tables(raw: dict[str, Any], name: str) -> tuple[PointsTable, ...]:
    tables: list[PointsTable] = []
    for division, body in raw.items():
        groups = {"": body} if "table" in body else body
        for group, spec in groups.items():
            where = f"{name}: points.{division}{'.' + group if group else ''}"
            beyond = spec.get("beyond_table", "unknown")
            tables.append(
                PointsTable(
                    division=division,
                    races=tuple(spec.get("races", ["*"])),
                    table=tuple(int(p) for p in spec["table"]),
                    beyond_table=None if beyond == "unknown" else int(beyond),
                    source=str(spec["source"]),
                    confidence=confidence(spec["confidence"], where),
                    confirmed_seasons=tuple(spec.get("confirmed_seasons", ())),
                    confirmed_places=spec.get("confirmed_places"),
                )
            )
    return tuple(tables)


def _cups(raw: list[dict[str, Any]], overall: dict[str, Any]) -> tuple[Cup, ...]:
    cups = [Cup(cup_id=c["id"], name=c["name"], gender=c["id"].split("-")[0], races=tuple(c["races"])) for c in raw]
    name = overall.get("name", "Grand World Cup" if overall["official"] else "Overall ranking")
    if not overall["distances"]:
        return tuple(cups)
    for gender in ("women", "men"):
        # Only the kinds this gender races: no women's 10000 m, no men's 3000 m.
        raced = {kind for cup in cups if cup.gender == gender for kind in cup.races}
        races = tuple(k for k in (f"{gender}-{d}" for d in overall["distances"]) if k in raced)
        cups.append(Cup(f"{gender}-overall", f"{name} {gender.title()}", gender, races, overall=True))
    return tuple(cups)


def load_rules(path: Path) -> Rules:
    """Read one rules file.

    Raises:
        StandingsError: If a value is missing or a confidence is not a known word.
    """
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    try:
        overall = raw["overall"]
        return Rules(
            circuit=raw["circuit"],
            name=raw["name"],
            first_season=raw["first_season"],
            last_season=raw.get("last_season"),
            tables=_tables(raw["points"], path.name),
            scoring_statuses=frozenset(raw["scoring"]["statuses"]),
            scoring_provisional=raw["scoring"]["confidence"] in UNSURE,
            final_multiplier=float(raw["final"]["multiplier"]),
            final_confidence=confidence(raw["final"].get("confidence", "high"), f"{path.name}: final"),
            final_confirmed_seasons=tuple(raw["final"].get("confirmed_seasons", ())),
            final_field_size=None if raw["final"]["field_size"] == "unknown" else int(raw["final"]["field_size"]),
            tie_break=tuple(raw["tie_break"]["order"]),
            tie_break_then=raw["tie_break"]["then"],
            tie_break_then_provisional=raw["tie_break"]["then_confidence"] in UNSURE,
            overall_official=bool(overall["official"]),
            overall_label=overall["label"],
            overall_distances=tuple(overall["distances"]),
            cups=_cups(raw["cups"], overall),
            exceptions=tuple(
                PointsException(
                    race_id=e["race"],
                    table=tuple(e["table"]) if "table" in e else None,
                    competitor=e.get("competitor"),
                    points=e.get("points"),
                    explanation=e["explanation"],
                    confidence=confidence(e["confidence"], f"{path.name}: exception {e['race']}"),
                )
                for e in raw.get("exceptions", [])
            ),
            source_file=path.name,
            rankings_available=bool(raw.get("rankings", {}).get("available", True)),
            rankings_reason=str(raw.get("rankings", {}).get("reason", "")),
        )
    except KeyError as error:
        raise StandingsError(f"{path.name}: missing rules value {error}") from error


@cache
def all_rules() -> tuple[Rules, ...]:
    """Every rules file shipped with the package, oldest first."""
    return tuple(sorted((load_rules(p) for p in RULES_DIR.glob("*.toml")), key=lambda r: (r.circuit, r.first_season)))


def rules_for(circuit: str, season: str) -> Rules:
    """The rules in force for a circuit's season.

    Raises:
        UnknownSelection: If no rules file covers that season.
    """
    for rules in all_rules():
        if rules.circuit == circuit and rules.covers(season):
            return rules
    raise UnknownSelection(f"no scoring rules for {circuit} {season}")


def rules_unknown(circuit: str, season: str, name: str) -> Rules:
    """Stand-in rules for a season no rules file covers: its results show, but no standings.

    Args:
        circuit: Circuit id.
        season: Season id, e.g. ``2003-04``.
        name: The circuit's name, for the sentence users read.
    """
    label = season_label(season)
    return Rules(
        circuit=circuit,
        name=name,
        first_season=season,
        last_season=season,
        tables=(),
        scoring_statuses=frozenset(),
        scoring_provisional=True,
        final_multiplier=1.0,
        final_field_size=None,
        tie_break=(),
        tie_break_then="shared",
        tie_break_then_provisional=True,
        overall_official=False,
        overall_label="no overall ranking (the season's rules are not known)",
        overall_distances=(),
        cups=(),
        exceptions=(),
        source_file="(none)",
        rankings_available=False,
        rankings_reason=(
            f"No scoring rules for {name} {label} are known to Rinkside, so it shows the season's results "
            "and medals but no World Cup standings (the results API gives no points)."
        ),
        final_confidence="provisional",
    )
