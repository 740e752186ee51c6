"""The Games' qualification rules as data: events, quotas, limits, read from ``standings/rules/qualification/``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Final

from standings.errors import StandingsError, UnknownSelection
from standings.rules import RULES_DIR, UNSURE, confidence

#: Where the qualification rules live: a subfolder the scoring-rules loader does not read.
QUALIFICATION_DIR: Final = RULES_DIR / "qualification"
_TIE_KEYS: Final = ("points", "best_race_points", "best_time")


@dataclass(frozen=True)
class QualificationEvent:
    """One Olympic event's quota.

    Attributes:
        event_id: The Games' event, e.g. ``men-1000``.
        kind: The World Cup race kind whose results rank it (``men-1000``).
        quota: Quota places.
        by_points: Places given by the points ranking.
        by_times: Places given by the times ranking.
        max_per_noc: The most places one country may get.
        team: Whether the event is a team event (rows are nations).
        provisional: Whether the event's ranking uses a rule that is not confirmed.
    """

    event_id: str
    kind: str
    quota: int
    by_points: int
    by_times: int
    max_per_noc: int
    team: bool
    provisional: bool


@dataclass(frozen=True)
class QualificationRules:
    """One Games' qualification rules (see ``owg-2026.toml``).

    Attributes:
        games: The rules' id, e.g. ``owg-2026``.
        name: The Games' name.
        circuit: The circuit whose World Cups qualify (``lt-wc``).
        season: The qualifying season (``2025-26``).
        world_cups: The qualifying World Cups' numbers.
        divisions: The divisions whose races count.
        reserve_size: Reserve list length in individual events.
        reserve_size_team: Reserve list length in team events.
        neutral: The code of neutral athletes, who have no per-country limit.
        tie_order: Criteria for equal points, in order (``points``, ``best_race_points``, ``best_time``).
        times_order: Criteria of the times ranking, in order (``best_time``, ``points``).
        tie_provisional: Whether the tie rule is unconfirmed.
        events: The events by id, in the rules' order.
        source_file: The file the rules were read from.
        per_noc_total: The most athletes per NOC and gender: with a team pursuit place and the
            maximum in every individual event by points; with a team pursuit place and a place
            in every individual event; otherwise.
        per_noc_total_provisional: Whether that rule is unconfirmed.
        one_race_per_world_cup: Race kinds in which a competitor who raced both divisions at one
            World Cup counts only the better of the two races (the mass start).
        race_points: Races the classification scores with its own points table (by place)
            instead of the official sheet's points, by race id.
        host: The host nation, whose quota rule ``quota_table`` applies; ``None`` for none.
        host_provisional: Whether the host rule is unconfirmed.
        total: The most athletes per gender at the Games (``{"women": 82, "men": 82}``).
        cut_order: The events whose lowest-ranked places are cut, in turn, while a gender's
            athletes exceed ``total``.
        cut_provisional: Whether the cut is unconfirmed.
        findings: Facts of the official tables that the engine does not follow, as
            ``(event_id, finding)``.
    """

    games: str
    name: str
    circuit: str
    season: str
    world_cups: tuple[int, ...]
    divisions: tuple[str, ...]
    reserve_size: int
    reserve_size_team: int
    neutral: str
    tie_order: tuple[str, ...]
    times_order: tuple[str, ...]
    tie_provisional: bool
    events: dict[str, QualificationEvent]
    source_file: str
    per_noc_total: tuple[int, int, int] = (9, 8, 7)
    per_noc_total_provisional: bool = True
    one_race_per_world_cup: tuple[str, ...] = ()
    race_points: dict[str, tuple[int, ...]] = field(default_factory=dict)
    host: str | None = None
    host_provisional: bool = True
    total: dict[str, int] = field(default_factory=dict)
    cut_order: tuple[str, ...] = ()
    cut_provisional: bool = True
    findings: tuple[tuple[str, str], ...] = ()

    def event(self, event_id: str) -> QualificationEvent:
        """An event by id; raises ``UnknownSelection`` for an unknown one."""
        try:
            return self.events[event_id]
        except KeyError:
            known = ", ".join(self.events)
            raise UnknownSelection(f"{self.games} has no event {event_id!r}; events: {known}") from None


def read_qualification(path: Path) -> QualificationRules:
    """Read one qualification rules file.

    Args:
        path: The TOML file.

    Returns:
        The rules.

    Raises:
        StandingsError: If a value is missing, a confidence is not a known word, or an event's
            points and times places do not add up to its quota.
        UnknownSelection: If the file says its rules are incomplete (``complete = false``, as
            ``owg-2018``): the values it names as missing are not known.
    """
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    try:
        ranking = raw["ranking"]
        tie = raw["tie_break"]
        for section in ("qualifying", "tie_break", "events_source", "per_noc_total", "total", "cut", "host"):
            confidence(raw[section]["confidence"], f"{path.name}: {section}")
        for section in ("race_points", "findings"):
            for entry in raw.get(section, []):
                confidence(entry["confidence"], f"{path.name}: {section}")
        if raw.get("complete", True) is False:
            raise UnknownSelection(
                f"{path.name}: the {raw['name']} rules are incomplete (not known: {raw['missing']}); "
                "Rinkside computes no classification from them"
            )
        mass_start_provisional = raw["events_source"]["mass_start_confidence"] in UNSURE
        events: dict[str, QualificationEvent] = {}
        for entry in raw["events"]:
            event = QualificationEvent(
                event_id=entry["event"],
                kind=entry["kind"],
                quota=int(entry["quota"]),
                by_points=int(entry["by_points"]),
                by_times=int(entry["by_times"]),
                max_per_noc=int(entry["max_per_noc"]),
                team=bool(entry.get("team", False)),
                provisional=mass_start_provisional and entry["kind"].endswith("mass-start"),
            )
            if event.by_points + event.by_times != event.quota:
                raise StandingsError(f"{path.name}: {event.event_id}: {event.by_points} + {event.by_times} != quota")
            events[event.event_id] = event
        order = tuple(tie["order"])
        unknown = (set(order) | set(tie["times_order"])) - set(_TIE_KEYS)
        if unknown or order[:1] != ("points",):
            raise StandingsError(f"{path.name}: tie_break order {order} must start with points and use {_TIE_KEYS}")
        return QualificationRules(
            games=raw["games"],
            name=raw["name"],
            circuit=raw["circuit"],
            season=raw["season"],
            world_cups=tuple(int(n) for n in raw["qualifying"]["world_cups"]),
            divisions=tuple(ranking["divisions"]),
            reserve_size=int(ranking["reserve_size"]),
            reserve_size_team=int(ranking["reserve_size_team"]),
            neutral=str(ranking["neutral"]),
            tie_order=order,
            times_order=tuple(tie["times_order"]),
            tie_provisional=tie["confidence"] in UNSURE,
            events=events,
            source_file=path.name,
            per_noc_total=(
                int(raw["per_noc_total"]["with_team_and_maximum_everywhere_by_points"]),
                int(raw["per_noc_total"]["with_team_and_place_everywhere"]),
                int(raw["per_noc_total"]["otherwise"]),
            ),
            # Medium confidence (oasport.it, not the ISU's text): provisional unless high.
            per_noc_total_provisional=raw["per_noc_total"]["confidence"] != "high",
            one_race_per_world_cup=tuple(raw["events_source"].get("one_race_per_world_cup", ())),
            race_points={e["race"]: tuple(int(p) for p in e["table"]) for e in raw.get("race_points", [])},
            host=str(raw["host"]["noc"]) if raw["host"].get("applied", False) else None,
            host_provisional=raw["host"]["confidence"] != "high",
            total={gender: int(raw["total"][gender]) for gender in ("women", "men") if gender in raw["total"]},
            cut_order=tuple(raw["cut"]["order"]) if raw["cut"].get("applied", True) else (),
            cut_provisional=raw["cut"]["confidence"] != "high" or raw["cut"].get("order_confidence") in UNSURE,
            findings=tuple((str(e["event"]), str(e["finding"])) for e in raw.get("findings", [])),
        )
    except KeyError as error:
        raise StandingsError(f"{path.name}: missing qualification rules value {error}") from error


@cache
def load_qualification(games: str) -> QualificationRules:
    """The qualification rules of one Games, e.g. ``owg-2026``.

    Raises:
        UnknownSelection: If no rules file has that id.
    """
    path = QUALIFICATION_DIR / f"{games}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in QUALIFICATION_DIR.glob("*.toml"))) or "none"
        raise UnknownSelection(f"no qualification rules {games!r}; known: {known}")
    return read_qualification(path)
