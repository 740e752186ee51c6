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
import numbers
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

import pandas as pd

from standings.columns import ALLOCATION, QUALIFICATION, QUOTA_TABLE, names
from standings.engine.points import award
from standings.errors import ImpossibleResult, StandingsError, UnknownSelection
from standings.model import DISTANCE_NAMES, ordinal, time_seconds
from standings.nations import NATION_NAMES
from standings.rules import RULES_DIR, UNSURE, Rules, confidence

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
    for race_id, table in rules.race_points.items() if "race_id" in rows else ():
        # Scored by place with the classification's own table; what-if rows keep their points.
        notes = rows["points_note"].fillna("") if "points_note" in rows else pd.Series("", index=rows.index)
        here = (rows["race_id"] == race_id) & (notes != "what-if")
        if here.any():
            rows.loc[here, "points"] = [
                table[int(rank) - 1] if status == "finished" and pd.notna(rank) and 0 < int(rank) <= len(table) else 0
                for rank, status in zip(rows.loc[here, "rank"], rows.loc[here, "status"], strict=True)
            ]
    if event.kind in rules.one_race_per_world_cup and "race_number" in rows:
        # One race per World Cup and race number: the one with more points, Division A on equal points.
        rows = rows.sort_values(["points", "division"], ascending=[False, True], kind="stable")
        rows = rows.drop_duplicates(["competitor", "world_cup", "race_number"], keep="first")
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


#: The note a classification with hypothetical results carries (``frame.attrs["notes"]``).
WHAT_IF_NOTE: Final = (
    "provisional: what-if; the hypothetical results replace only their own competitors' results, "
    "every other result (rank and points) is unchanged"
)


@dataclass(frozen=True)
class Hypothetical:
    """A hypothetical result: this competitor finishes ``rank`` in an event's Division A race.

    Applied (``apply_what_if``), it replaces the competitor's real result in that race of that
    World Cup, or adds one. A simplification: every other competitor keeps their real rank and
    points, as if nobody moved down to make room.

    Construction checks the shape (whole numbers, a time as text); what a race can hold (a place
    and a time possible for the distance, by the plausibility limits of imported results) is
    checked with the rules, by ``standings.season.check_what_if`` (``Season`` calls it).

    Attributes:
        competitor: The competitor key (``jordan-stolz-usa``; ``team-ned`` in team pursuit).
        world_cup: The World Cup's number in the season.
        event_id: The Games' event, e.g. ``men-1500``.
        rank: The place in the Division A race (1 = winner).
        race_number: Which race when a World Cup holds two of the distance (1 or 2 for the
            500 m); 0 otherwise.
        time: The time, as printed (``1:44.21``); ``None`` keeps the real one, if any.
    """

    competitor: str
    world_cup: int
    event_id: str
    rank: int
    race_number: int = 0
    time: str | None = None

    def __post_init__(self) -> None:
        """Refuse what is not a whole number, or a time that is not text.

        Raises:
            ImpossibleResult: ``2.5 is not a whole number``, naming the field.
        """
        for name in ("world_cup", "rank", "race_number"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise ImpossibleResult(self.label, name, value, f"{value!r} is not a whole number")
            # A NumPy integer read from a table becomes a plain int, held to the limits alike.
            object.__setattr__(self, name, int(value))
        if self.time is not None and not isinstance(self.time, str):
            raise ImpossibleResult(self.label, "time", self.time, f"{self.time!r} is not a time (e.g. 1:07.01)")

    @property
    def label(self) -> str:
        """The hypothetical in words, for messages: ``what-if jordan-stolz-usa in the men-1000 at World Cup #2``."""
        return f"what-if {self.competitor} in the {self.event_id} at World Cup #{self.world_cup}"


def apply_what_if(
    results: pd.DataFrame,
    races: pd.DataFrame,
    scoring: Rules,
    rules: QualificationRules,
    what_if: Sequence[Hypothetical],
) -> pd.DataFrame:
    """Scored results with hypothetical results applied on top of the real ones.

    Each hypothetical replaces its competitor's results in that race of that World Cup (both
    divisions: a skater races one of them) by one Division A result at ``rank``, scored by the
    season's points table (``standings.engine.points.award``, rules exceptions included). The
    time is the hypothetical's, else the real Division A or B time of that race when the
    competitor finished it, else none (the best time then comes from the other races). Other
    competitors' results are unchanged: nobody is pushed down a place (a simplification).

    The hypotheticals are taken as checked against the plausibility limits (a place, a time
    possible for the distance): ``standings.season.check_what_if`` does that, and ``Season``
    calls it before this.

    Args:
        results: Scored results (``Season.results``).
        races: The season's races (``Season.races``).
        scoring: The season's scoring rules.
        rules: The qualification rules (for the events' race kinds).
        what_if: The hypothetical results, applied in order.

    Returns:
        ``results`` with the hypothetical rows (``points_note`` says ``what-if``); ``results``
        itself when ``what_if`` is empty.

    Raises:
        UnknownSelection: For an unknown event or competitor, a rank below 1, or a Division A
            race that is not loaded.
    """
    if not what_if:
        return results
    frame = results
    for hypothetical in what_if:
        event = rules.event(hypothetical.event_id)
        if hypothetical.rank < 1:
            raise UnknownSelection(f"rank {hypothetical.rank}: a place is 1 or more")
        kind_races = races[
            (races["gender"].astype(str) + "-" + races["distance"].astype(str) == event.kind)
            & (races["world_cup"] == hypothetical.world_cup)
            & (races["race_number"] == hypothetical.race_number)
        ]
        division_a = kind_races[kind_races["division"] == "A"]
        if division_a.empty:
            raise UnknownSelection(
                f"no Division A {event.event_id} race {hypothetical.race_number or ''} at World Cup "
                f"#{hypothetical.world_cup} is loaded".replace("  ", " ")
            )
        race = division_a.iloc[0]
        mine = frame["competitor"] == hypothetical.competitor
        if not mine.any():
            raise UnknownSelection(f"no competitor {hypothetical.competitor!r} in the season's results")
        in_race = mine & frame["race_id"].isin(kind_races["race_id"])
        real = frame[in_race]
        template = (real if not real.empty else frame[mine]).iloc[[0]].copy()
        time = hypothetical.time
        if time is None:
            finished = real[(real["status"] == "finished") & real["time"].notna()]
            time = str(finished.sort_values("division")["time"].iloc[0]) if not finished.empty else None
        points = award(
            scoring,
            race_id=str(race["race_id"]),
            season=str(race["season"]),
            kind=event.kind,
            division="A",
            rank=hypothetical.rank,
            status="finished",
            competitor=hypothetical.competitor,
            is_final=bool(race["is_final"]),
        )
        for column in ("race_id", "season", "world_cup", "distance", "gender", "race_number", "day", "is_final"):
            if column in template.columns and column in race.index:
                template[column] = race[column]
        template["division"] = "A"
        template["kind"] = event.kind
        template["rank"] = hypothetical.rank
        template["status"] = "finished"
        template["time"] = time
        template["points"] = points.points
        template["provisional"] = points.provisional
        template["points_note"] = "what-if"
        template = template.astype(frame.dtypes.to_dict())
        frame = pd.concat([frame[~in_race], template], ignore_index=True)
    return frame


def is_place(quota_rank: object) -> bool:
    """Whether a classification's ``quota_rank`` is a quota place (not empty, not a reserve)."""
    text = "" if quota_rank is None or quota_rank is pd.NA else str(quota_rank)
    return text != "" and not text.startswith("R")


def _limits(classifications: dict[str, pd.DataFrame], rules: QualificationRules, gender: str) -> dict[str, int]:
    """Each nation's most athletes in one gender, from the places the classifications give."""
    mine = [e for e in rules.events.values() if e.event_id.startswith(f"{gender}-")]
    places: dict[str, dict[str, int]] = {}
    by_points: dict[str, dict[str, int]] = {}
    for event in mine:
        frame = classifications[event.event_id]
        for entry in frame[[is_place(q) for q in frame["quota_rank"]]].itertuples(index=False):
            nation = str(entry.nation)
            counts = places.setdefault(nation, {})
            counts[event.event_id] = counts.get(event.event_id, 0) + 1
            if entry.ranking == "points":
                points = by_points.setdefault(nation, {})
                points[event.event_id] = points.get(event.event_id, 0) + 1
    individual = [e for e in mine if not e.team]
    team = [e for e in mine if e.team]
    most, fewer, otherwise = rules.per_noc_total
    limits: dict[str, int] = {}
    for nation, counts in places.items():
        has_team = all(counts.get(e.event_id, 0) > 0 for e in team)
        everywhere = all(counts.get(e.event_id, 0) > 0 for e in individual)
        maximum = all(by_points.get(nation, {}).get(e.event_id, 0) >= e.max_per_noc for e in individual)
        limits[nation] = most if has_team and maximum else fewer if has_team and everywhere else otherwise
    return limits


def _athletes(frame: pd.DataFrame, individual: set[str], limits: dict[str, int]) -> int:
    """The athletes the held places give: each nation's places, at most its limit."""
    held = frame[frame["event"].isin(individual) & frame["status"].isin(["in", "host"])]
    return sum(min(int(c), limits.get(str(n), int(c))) for n, c in held["nation"].value_counts().items())


def _cut(frame: pd.DataFrame, individual: set[str], limits: dict[str, int], order: list[str], total: int) -> None:
    """Mark places ``cut`` in ``frame`` (one gender) until its athletes are within ``total``.

    The lowest-ranked remaining place of each event in ``order``, one event after another, as the
    rule reads; a cut place of a nation over its limit does not lower the athletes, so the cut
    may remove more places than the athletes over the total.
    """
    while order:
        cut_any = False
        for event_id in order:
            if _athletes(frame, individual, limits) <= total:
                return
            left = frame.index[(frame["event"] == event_id) & (frame["status"] == "in")]
            if len(left):
                frame.loc[left[-1], "status"] = "cut"
                frame.loc[left[-1], "provisional"] = True
                cut_any = True
        if not cut_any:
            return


def allocation(classifications: dict[str, pd.DataFrame], rules: QualificationRules) -> pd.DataFrame:
    """Every quota place of the Games, after the host rule and the cut to the Games' total.

    1. Each event's places are its classification's (``status`` ``in``).
    2. The host rule (``rules.host``): in an event where the host has no place, its best entry
       on the reserve list takes one, and the last place of the event is ``replaced``; with
       nobody on the reserve list the host gets one place more than the quota (no skater named).
    3. The cut: while a gender's athletes (each nation's places in the individual events, at
       most its limit) exceed ``rules.total``, the lowest-ranked remaining place of each event in
       ``rules.cut_order`` is ``cut``, one event after another; host places are never cut.

    Args:
        classifications: Each event's classification (``classification``), by event id; every
            event of the rules.
        rules: The qualification rules.

    Returns:
        The columns of ``standings.columns.ALLOCATION``, event by event in the rules' order,
        each event in its classification's order (a host place without a skater last).
    """
    rows: list[dict[str, Any]] = []
    for event in rules.events.values():
        frame = classifications[event.event_id]
        placed = frame[[is_place(q) for q in frame["quota_rank"]]]
        mine: list[dict[str, Any]] = [
            {
                "event": event.event_id,
                "quota_rank": str(e.quota_rank),
                "nation": str(e.nation),
                "name": str(e.name),
                "ranking": str(e.ranking),
                "status": "in",
                "competitor": e.competitor,
                "provisional": bool(e.provisional),
            }
            for e in placed.itertuples(index=False)
        ]
        if rules.host is not None and not any(r["nation"] == rules.host for r in mine):
            reserve = frame[(frame["nation"] == rules.host) & (frame["ranking"] == "reserve")]
            if not reserve.empty and mine:
                mine[-1] |= {"status": "replaced", "provisional": True}
                first = reserve.iloc[0]
                host: dict[str, Any] = {"quota_rank": str(first["quota_rank"]), "name": str(first["name"])}
                host |= {"ranking": "reserve", "competitor": first["competitor"]}
            else:
                host = {"quota_rank": "", "name": "", "ranking": "host", "competitor": pd.NA}
            mine.append({"event": event.event_id, "nation": rules.host, "status": "host", "provisional": True} | host)
        rows.extend(mine)
    columns = names(ALLOCATION)
    frame = pd.DataFrame(rows, columns=columns).astype({n: c.dtype for n, c in ALLOCATION.items()})
    for gender, total in rules.total.items():
        individual = {e.event_id for e in rules.events.values() if e.event_id.startswith(f"{gender}-") and not e.team}
        order = [e for e in rules.cut_order if e in individual]
        _cut(frame, individual, _limits(classifications, rules, gender), order, total)
    return frame


def quota_table(
    classifications: dict[str, pd.DataFrame], rules: QualificationRules, *, places: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Quota places per nation and gender, from every event's classification.

    The event columns count each nation's places (``allocation``: the classification's and the
    host's, a place given up to the host not counted); ``cut`` the places the cut to the Games'
    total removes; ``athletes`` what is left, at most the nation's limit. The limit per nation
    and gender follows ``rules.per_noc_total``: the first value with a team pursuit place and the
    maximum in every individual event by the points ranking; the second with a team pursuit
    place and a place in every individual event; the third otherwise. Neutral athletes (``AIN``)
    count as one nation here.

    Args:
        classifications: Each event's classification (``classification``), by event id; every
            event of the rules.
        rules: The qualification rules.
        places: Their ``allocation``, when the caller has it already (computed here otherwise).

    Returns:
        The columns of ``standings.columns.QUOTA_TABLE``: one row per nation and gender with at
        least one place, the events of the other gender empty (``<NA>``); sorted by gender,
        then total (descending), then nation.
    """
    events = list(rules.events.values())
    places = allocation(classifications, rules) if places is None else places
    rows: list[dict[str, Any]] = []
    for gender in ("women", "men"):
        mine = [e for e in events if e.event_id.startswith(f"{gender}-")]
        individual = {e.event_id for e in mine if not e.team}
        limits = _limits(classifications, rules, gender)
        held = places[places["event"].isin([e.event_id for e in mine]) & (places["status"] != "replaced")]
        for nation, own in held.groupby("nation", sort=False):
            counts = own["event"].value_counts()
            in_individual = own[own["event"].isin(individual)]
            total = len(in_individual)
            cut = int((in_individual["status"] == "cut").sum())
            host = int((own["status"] == "host").sum())
            limit = limits.get(str(nation), rules.per_noc_total[2])
            over = max(0, total - limit)
            row: dict[str, Any] = {"nation": nation, "gender": gender}
            row |= {e.event_id: pd.NA for e in events}
            row |= {e.event_id: int(counts.get(e.event_id, 0)) for e in mine}
            row |= {
                "total": total,
                "limit": limit,
                "over": over,
                "host": host,
                "cut": cut,
                "athletes": min(total - cut, limit),
                "provisional": bool(own["provisional"].any())
                or (rules.per_noc_total_provisional and over > 0)
                or (rules.cut_provisional and cut > 0),
            }
            rows.append(row)
    columns = ["nation", "gender", *(e.event_id for e in events), *names(QUOTA_TABLE)[2:]]
    frame = pd.DataFrame(rows, columns=columns)
    dtypes: dict[str, Any] = {e.event_id: "Int64" for e in events}
    dtypes |= {name: column.dtype for name, column in QUOTA_TABLE.items()}
    frame = frame.astype(dtypes)
    frame["_order"] = frame["gender"].map({"women": 0, "men": 1})
    frame = frame.sort_values(["_order", "total", "nation"], ascending=[True, False, True], kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)


_SECTIONS: Final = {"points": "the points ranking", "times": "the times ranking", "reserve": "the reserve list"}


def _event_words(event_id: str) -> str:
    gender, _, distance = event_id.partition("-")
    return f"the {gender}'s {DISTANCE_NAMES.get(distance, distance)}"


def _where(row: Any) -> str:
    section = _SECTIONS.get(str(row.ranking), str(row.ranking))
    return section if is_place(row.quota_rank) or row.ranking == "reserve" else f"{section} without a place"


def changes(before: pd.DataFrame, after: pd.DataFrame, *, event_id: str) -> list[str]:
    """What changed between two classifications of one event, in sentences.

    First the nations whose number of quota places changed ("NOR gains a 3rd place in the
    men's 1500 m", "ITA drops to the reserve list in the women's 500 m"), then each competitor
    who moved between the rankings ("Damian ŻUREK moves from the times ranking to the points
    ranking"), in the order of ``after``.

    Args:
        before: A classification (``classification``), e.g. the real one.
        after: Another classification of the same event, e.g. with hypothetical results.
        event_id: The event, e.g. ``men-1500``.

    Returns:
        The sentences; empty when the two give the same places and rankings.
    """
    where = _event_words(event_id)

    def counts(frame: pd.DataFrame) -> dict[str, int]:
        found: dict[str, int] = {}
        for nation, quota_rank in zip(frame["nation"], frame["quota_rank"], strict=True):
            found[str(nation)] = found.get(str(nation), 0) + int(is_place(quota_rank))
        return found

    old, new = counts(before), counts(after)
    reserve_after = {str(n) for n, r in zip(after["nation"], after["ranking"], strict=True) if r == "reserve"}
    order = list(dict.fromkeys([*map(str, after["nation"]), *map(str, before["nation"])]))
    gains: list[str] = []
    losses: list[str] = []
    for nation in order:
        was, now = old.get(nation, 0), new.get(nation, 0)
        if now > was:
            if now - was > 1:
                gained = f"{now - was} places ({now} in all)"
            else:
                gained = "a place" if now == 1 else f"a {ordinal(now)} place"
            gains.append(f"{nation} gains {gained} in {where}")
        elif now < was:
            if now == 0 and nation in reserve_after:
                losses.append(f"{nation} drops to the reserve list in {where}")
            elif was == 1 and now == 0:
                losses.append(f"{nation} loses its only place in {where}")
            elif was - now == 1:
                losses.append(f"{nation} loses its {ordinal(was)} place in {where}")
            else:
                losses.append(f"{nation} loses {was - now} places ({now} left) in {where}")
    moves: list[str] = []
    earlier = {str(row.competitor): row for row in before.itertuples(index=False)}
    later = {str(row.competitor): row for row in after.itertuples(index=False)}
    for competitor, row in later.items():
        if competitor not in earlier:
            moves.append(f"{row.name} enters the classification on {_where(row)}")
        elif _where(earlier[competitor]) != _where(row):
            moves.append(f"{row.name} moves from {_where(earlier[competitor])} to {_where(row)}")
    for competitor, row in earlier.items():
        if competitor not in later:
            moves.append(f"{row.name} drops out of the classification (was on {_where(row)})")
    return gains + losses + moves
