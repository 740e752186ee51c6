"""World Cup points for each result, from its rank, division and the season's rules."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
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
        provisional = provisional or (is_final and rules.final_provisional(season))
        # Whether a ranked DNF scores is the unconfirmed part of the scoring rule.
        normal = Award(points, provisional or (rules.scoring_provisional and status != "finished"))
    if race_table is not None and race_table.table is not None:
        printed = race_table.table[rank - 1] if rank <= len(race_table.table) else 0
        if printed != normal.points:
            return Award(printed, race_table.confidence == "provisional", race_table.explanation)
    return normal


def _table_points(
    rules: Rules, kind: str, division: str, season: str, is_final: bool, ranks: np.ndarray
) -> tuple[np.ndarray, np.ndarray, str | None]:
    """Points, provisional flags and a note for ranked, scoring results of one kind of race (``award``, vectorised)."""
    table = rules.table_for(division, kind)
    if table is None:
        return (
            np.zeros(len(ranks), dtype="int64"),
            np.ones(len(ranks), dtype="bool"),
            f"no Division {division} points table for {kind} in {rules.source_file}",
        )
    values = np.asarray(table.table, dtype="int64")
    inside = ranks <= len(values)
    places = np.clip(ranks, 1, max(len(values), 1)) - 1
    points = np.where(inside, values[places] if len(values) else 0, table.beyond_table or 0).astype("int64")
    base = table.confidence in ("low", "provisional") or (
        bool(table.confirmed_seasons) and season not in table.confirmed_seasons
    )
    provisional = np.full(len(ranks), base)
    if table.confirmed_places is not None:
        provisional |= inside & (ranks > table.confirmed_places)
    if table.beyond_table is None:
        provisional |= ~inside
    if is_final and rules.final_multiplier != 1:
        points = np.floor(points * rules.final_multiplier).astype("int64")
    if is_final and rules.final_provisional(season):
        provisional |= True
    return points, provisional, None


def score(results: pd.DataFrame, races: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Results with their World Cup points.

    The same points as ``award`` gives row by row, computed a whole kind of race at a
    time; the few races with a rules exception go through ``award`` itself.

    Args:
        results: Rows with the columns of ``standings.model.RESULT_COLUMNS``.
        races: Rows with the columns of ``standings.model.RACE_COLUMNS`` and ``is_final``.
        rules: The season's rules.

    Returns:
        ``results`` joined with its race's columns, plus ``points`` (int),
        ``provisional`` (bool), ``points_note`` (str or missing) and ``kind``
        (``gender-distance``, as the rules name races).
    """
    joined = ["season", "world_cup", "distance", "gender", "division", "race_number", "day", "is_final"]
    by_race = races.drop_duplicates("race_id").reset_index(drop=True)
    position = pd.Index(by_race["race_id"]).get_indexer(results["race_id"])
    looked_up = by_race[joined].reindex(position)
    merged = pd.concat([results.reset_index(drop=True), looked_up.reset_index(drop=True)], axis=1)
    # Everything the points depend on besides the rank is a property of the race: decide it per race.
    race_kinds = (by_race["gender"].astype(str) + "-" + by_race["distance"].astype(str)).to_numpy(dtype=object)
    kinds = pd.Series(pd.array(race_kinds, dtype="string").take(position, allow_fill=True), dtype="string")
    size = len(merged)
    points = np.zeros(size, dtype="int64")
    provisional = np.zeros(size, dtype="bool")
    notes = np.full(size, None, dtype="object")
    ranks = pd.to_numeric(merged["rank"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    status = merged["status"].astype(str).to_numpy()
    scoring = ~np.isnan(ranks) & merged["status"].isin(rules.scoring_statuses).to_numpy() & (position >= 0)
    race_keys = list(zip(race_kinds, by_race["division"], by_race["season"], by_race["is_final"], strict=True))
    group_of_race, group_keys = pd.factorize(pd.Series(race_keys, dtype=object))
    group = group_of_race[position]
    for code in np.unique(group[scoring]):
        kind, division, season, is_final = group_keys[code]
        where = np.flatnonzero(scoring & (group == code))
        got, unsure, note = _table_points(
            rules, str(kind), str(division), str(season), bool(is_final), ranks[where].astype("int64")
        )
        points[where] = got
        # Whether a ranked DNF scores is the unconfirmed part of the scoring rule.
        provisional[where] = unsure | (rules.scoring_provisional & (status[where] != "finished"))
        if note is not None:
            notes[where] = note
    excepted = merged["race_id"].isin({e.race_id for e in rules.exceptions}).to_numpy()
    columns = ["race_id", "season", "division", "rank", "status", "competitor", "is_final"]
    positions = np.flatnonzero(excepted)
    rows_excepted = merged[columns].iloc[positions].assign(kind=kinds.iloc[positions].to_numpy())
    for position, row in zip(positions, rows_excepted.to_dict("records"), strict=True):
        given = award(
            rules,
            race_id=str(row["race_id"]),
            season=str(row["season"]),
            kind=str(row["kind"]),
            division=str(row["division"]),
            rank=None if pd.isna(row["rank"]) else int(row["rank"]),
            status=str(row["status"]),
            competitor=str(row["competitor"]),
            is_final=bool(row["is_final"]),
        )
        points[position], provisional[position], notes[position] = given.points, given.provisional, given.note
    merged["points"] = pd.Series(points, index=merged.index, dtype="int64")
    merged["provisional"] = pd.Series(provisional, index=merged.index, dtype="bool")
    merged["points_note"] = pd.Series(notes, index=merged.index, dtype="string")
    merged["kind"] = kinds
    return merged
