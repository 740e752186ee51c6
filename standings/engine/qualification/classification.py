"""One event's Special Olympic Qualification Classification: the points ranking, the times ranking, the reserve list."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from standings.columns import QUALIFICATION, names
from standings.engine.qualification.rules import QualificationEvent, QualificationRules
from standings.model import time_seconds
from standings.nations import NATION_NAMES


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
