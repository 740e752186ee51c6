"""World Cup points for each result, from its rank, division and the season's rules."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from standings.rules import Rules


@dataclass(frozen=True)
class Award:
    """The points one result scores.

    Attributes:
        points: World Cup points.
        provisional: Whether the points depend on an unconfirmed rule.
        note: Why the points are what they are, where a rules exception applies.
    """

    points: int
    provisional: bool
    note: str | None = None


def race_kind(gender: str, distance: str) -> str:
    """The kind of a race as the rules name it: ``men-500``, ``women-mass-start``."""
    return f"{gender}-{distance}"


def award(
    rules: Rules,
    *,
    race_id: str,
    season: str,
    kind: str,
    division: str,
    rank: int | None,
    status: str,
    competitor: str,
    is_final: bool = False,
) -> Award:
    """The points one result scores under ``rules``.

    A ranked result whose status scores (finished, and in 2025/26 also a ranked
    DNF) receives its place's points; tied competitors share a rank and each
    receives that rank's points. Unranked results and other statuses score 0.
    At the final event points are multiplied (and rounded down). Known
    differences on official sheets apply as listed in the rules' exceptions.

    Args:
        rules: The season's rules.
        race_id: The race, for rules exceptions.
        season: The race's season.
        kind: ``gender-distance``, see ``race_kind``.
        division: ``A`` or ``B``.
        rank: The printed rank, or ``None``.
        status: ``finished``, ``DNF``, ``DQ``, ``DNS`` or ``WDR``.
        competitor: The competitor key, for rules exceptions.
        is_final: Whether the race is at the season's final event.

    Returns:
        The award.
    """
    race_table = None
    for exception in rules.exceptions:
        if exception.race_id != race_id:
            continue
        if exception.competitor == competitor:
            return Award(exception.points or 0, exception.confidence == "provisional", exception.explanation)
        if exception.table is not None:
            race_table = exception
    if rank is None or status not in rules.scoring_statuses:
        return Award(0, False)
    table = rules.table_for(division, kind)
    if table is None:
        normal = Award(0, True, f"no Division {division} points table for {kind} in {rules.source_file}")
    else:
        points, provisional = table.points(rank, season)
        if is_final and rules.final_multiplier != 1:
            points = math.floor(points * rules.final_multiplier)
        # Whether a ranked DNF scores is the unconfirmed part of the scoring rule.
        normal = Award(points, provisional or (rules.scoring_provisional and status != "finished"))
    if race_table is not None and race_table.table is not None:
        printed = race_table.table[rank - 1] if rank <= len(race_table.table) else 0
        if printed != normal.points:
            return Award(printed, race_table.confidence == "provisional", race_table.explanation)
    return normal


def score(results: pd.DataFrame, races: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Results with their World Cup points.

    Args:
        results: Rows with the columns of ``standings.model.RESULT_COLUMNS``.
        races: Rows with the columns of ``standings.model.RACE_COLUMNS`` and ``is_final``.
        rules: The season's rules.

    Returns:
        ``results`` joined with its race's columns, plus ``points`` (int),
        ``provisional`` (bool), ``points_note`` (str or missing) and ``kind``
        (``gender-distance``, as the rules name races).
    """
    merged = results.merge(
        races[["race_id", "season", "world_cup", "distance", "gender", "division", "race_number", "day", "is_final"]],
        on="race_id",
        how="left",
        validate="many_to_one",
    )
    records: list[dict[Any, Any]] = merged.to_dict("records")
    awards = [
        award(
            rules,
            race_id=str(row["race_id"]),
            season=str(row["season"]),
            kind=race_kind(str(row["gender"]), str(row["distance"])),
            division=str(row["division"]),
            rank=None if pd.isna(row["rank"]) else int(row["rank"]),
            status=str(row["status"]),
            competitor=str(row["competitor"]),
            is_final=bool(row["is_final"]),
        )
        for row in records
    ]
    merged["points"] = pd.Series([a.points for a in awards], index=merged.index, dtype="int64")
    merged["provisional"] = pd.Series([a.provisional for a in awards], index=merged.index, dtype="bool")
    merged["points_note"] = pd.Series([a.note for a in awards], index=merged.index, dtype="string")
    merged["kind"] = (merged["gender"].astype(str) + "-" + merged["distance"].astype(str)).astype("string")
    return merged
