"""Olympic qualification: the Special Olympic Qualification Classification of one event.

The rules are data (``standings/rules/qualification/<games>.toml``, every value with its source
and confidence). ``classification`` applies them to a season's scored results as of a qualifying
World Cup: the points ranking, then the times ranking for the remaining places, then the
reserve list, each giving places in order while the skater's country has room.

>>> rules = load_qualification("owg-2026")
>>> rules.event("men-1000").quota
28
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import pandas as pd

from standings.columns import QUALIFICATION, names
from standings.errors import StandingsError, UnknownSelection
from standings.model import time_seconds
from standings.nations import NATION_NAMES
from standings.rules import RULES_DIR

#: Where the qualification rules live: a subfolder the scoring-rules loader does not read.
QUALIFICATION_DIR: Final = RULES_DIR / "qualification"
_CONFIDENCES: Final = ("high", "medium", "low", "provisional")
_UNSURE: Final = ("low", "provisional")
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

    def event(self, event_id: str) -> QualificationEvent:
        """An event by id; raises ``UnknownSelection`` for an unknown one."""
        try:
            return self.events[event_id]
        except KeyError:
            known = ", ".join(self.events)
            raise UnknownSelection(f"{self.games} has no event {event_id!r}; events: {known}") from None


def _confidence(value: Any, where: str) -> str:
    if value not in _CONFIDENCES:
        raise StandingsError(f"{where}: confidence {value!r} is not one of {', '.join(_CONFIDENCES)}")
    return str(value)


def read_qualification(path: Path) -> QualificationRules:
    """Read one qualification rules file.

    Args:
        path: The TOML file.

    Returns:
        The rules.

    Raises:
        StandingsError: If a value is missing, a confidence is not a known word, or an event's
            points and times places do not add up to its quota.
    """
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    try:
        ranking = raw["ranking"]
        tie = raw["tie_break"]
        for section in ("qualifying", "tie_break", "events_source", "per_noc_total", "total", "cut", "host"):
            _confidence(raw[section]["confidence"], f"{path.name}: {section}")
        mass_start_provisional = raw["events_source"]["mass_start_confidence"] in _UNSURE
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
            tie_provisional=tie["confidence"] in _UNSURE,
            events=events,
            source_file=path.name,
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


def _seconds(text: object) -> float:
    if not isinstance(text, str):
        return math.inf
    try:
        return time_seconds(text)
    except ValueError:
        return math.inf


def _hundredths(text: str) -> str:
    """A printed time without the bracketed thousandth, as the classification prints it."""
    return text.split("(", 1)[0]


def entries(results: pd.DataFrame, event: QualificationEvent, rules: QualificationRules, *, after: int) -> pd.DataFrame:
    """Every competitor's points, best single race and best time in one event's qualifying races.

    Args:
        results: Scored results (``Season.results``).
        event: The event.
        rules: The qualification rules.
        after: Count the qualifying World Cups up to this one.

    Returns:
        One row per competitor: ``competitor, name, nation, points, best_race_points, seconds,
        best_time, provisional``, in no particular order.
    """
    counted = [n for n in rules.world_cups if n <= after]
    rows = results[
        (results["kind"] == event.kind) & results["world_cup"].isin(counted) & results["division"].isin(rules.divisions)
    ].copy()
    finished = rows["status"] == "finished"
    # To the hundredth, as the classification prints and ranks them (see the rules' times_order).
    rows["seconds"] = [
        _seconds(_hundredths(str(t))) if ok else math.inf for t, ok in zip(rows["time"], finished, strict=True)
    ]
    best = rows.sort_values("seconds", kind="stable").groupby("competitor", sort=False).first()
    grouped = rows.groupby("competitor", sort=False)
    frame = pd.DataFrame(
        {
            "name": grouped["name"].first(),
            "nation": grouped["nation"].first(),
            "points": grouped["points"].sum().astype("int64"),
            "best_race_points": grouped["points"].max().astype("int64"),
            "provisional": grouped["provisional"].any() | event.provisional,
        }
    )
    frame["seconds"] = best["seconds"].reindex(frame.index)
    frame["best_time"] = [
        _hundredths(str(t)) if s != math.inf else ""
        for t, s in zip(best["time"].reindex(frame.index), frame["seconds"], strict=True)
    ]
    if event.team:
        frame["name"] = [
            NATION_NAMES.get(str(n), str(name)) for n, name in zip(frame["nation"], frame["name"], strict=True)
        ]
    return frame.rename_axis("competitor").reset_index()


def _sort_keys(keys: tuple[str, ...]) -> tuple[list[str], list[bool]]:
    """The entry columns for the criteria, and whether each sorts descending (more is better)."""
    column = {"points": "points", "best_race_points": "best_race_points", "best_time": "seconds"}
    return [column[k] for k in keys], [k != "best_time" for k in keys]


def classification(results: pd.DataFrame, event_id: str, rules: QualificationRules, *, after: int) -> pd.DataFrame:
    """The Special Olympic Qualification Classification of one event as of a World Cup.

    1. The points ranking (World Cup points in the event's distance over the qualifying World
       Cups up to ``after``; equal points by ``rules.tie_order``): places in order while the
       country has room; an entry whose country is full is listed without a place.
    2. The times ranking (best time; ``rules.times_order``) for the remaining places, skipping
       those already listed, same country rule.
    3. The reserve list (R1..): the ranking continued, counting reserves against the country's
       maximum; an entry whose country is full is not listed.

    Neutral athletes (``rules.neutral``) have no country limit and are each numbered 1.

    Args:
        results: Scored results (``Season.results``).
        event_id: The Games' event, e.g. ``men-1000``.
        rules: The qualification rules.
        after: As of this World Cup.

    Returns:
        The columns of ``standings.columns.QUALIFICATION``, in the classification's order.

    Raises:
        UnknownSelection: For an unknown event.
    """
    event = rules.event(event_id)
    pool = entries(results, event, rules, after=after)
    by, descending = _sort_keys(rules.tie_order)
    pool = pool.sort_values([*by, "competitor"], ascending=[*[not d for d in descending], True], kind="stable")
    tie_columns = by
    times_by, times_desc = _sort_keys(rules.times_order)
    count: dict[str, int] = {}
    listed: set[str] = set()
    out: list[dict[str, Any]] = []
    placed = 0

    def room(nation: str) -> bool:
        return nation == rules.neutral or count.get(nation, 0) < event.max_per_noc

    def tied(row: Any, columns: list[str], frame: pd.DataFrame) -> bool:
        """Whether the entry's place rests on the tie rule: another entry equals its first criterion."""
        first = columns[0]
        return bool((frame[first] == getattr(row, first)).sum() > 1)

    def take(row: Any, ranking: str, quota_rank: str, *, unsure: bool = False) -> None:
        nation = str(row.nation)
        count[nation] = count.get(nation, 0) + 1
        out.append(
            {
                "quota_rank": quota_rank,
                "nation": nation,
                "nation_rank": 1 if nation == rules.neutral else count[nation],
                "name": row.name,
                "points": int(row.points),
                "best_time": row.best_time,
                "ranking": ranking,
                "competitor": row.competitor,
                "provisional": bool(row.provisional) or (unsure and rules.tie_provisional),
            }
        )
        listed.add(str(row.competitor))

    def give(frame: pd.DataFrame, places: int, ranking: str, columns: list[str]) -> None:
        nonlocal placed
        frame = frame[~frame["competitor"].isin(listed)]
        given = 0
        previous: tuple[Any, ...] | None = None
        previous_rank = 0
        for row in frame.itertuples(index=False):
            if given >= places:
                break
            if str(row.competitor) in listed:
                continue
            unsure = tied(row, columns, frame)
            if not room(str(row.nation)):
                take(row, ranking, "", unsure=unsure)
                continue
            given += 1
            placed += 1
            key = tuple(getattr(row, c) for c in columns)
            rank = previous_rank if key == previous else placed
            take(row, ranking, str(rank), unsure=unsure)
            previous, previous_rank = key, rank

    give(pool[pool["points"] > 0], event.by_points, "points", tie_columns)
    with_time = pool[pool["seconds"] != math.inf].sort_values(
        [*times_by, "competitor"], ascending=[*[not d for d in times_desc], True], kind="stable"
    )
    give(with_time, event.quota - placed, "times", times_by)
    reserve_pool = with_time if event.by_times else pool[pool["points"] > 0]
    size = rules.reserve_size_team if event.team else rules.reserve_size
    reserves = 0
    for row in reserve_pool.itertuples(index=False):
        if reserves >= size:
            break
        if str(row.competitor) in listed or not room(str(row.nation)):
            continue
        reserves += 1
        take(row, "reserve", f"R{reserves}", unsure=tied(row, times_by if event.by_times else by, reserve_pool))
    frame = pd.DataFrame(out, columns=names(QUALIFICATION))
    return frame.astype({name: column.dtype for name, column in QUALIFICATION.items()})
