"""World Cup points for each result, from its rank, division and the season's rules."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

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


def stable_order(codes: np.ndarray) -> np.ndarray:
    """The stable argsort of non-negative integer ``codes``, as a radix sort where they allow.

    NumPy sorts 16-bit integers stably by radix (linear time, several times faster than its
    merge sort on wider integers), so wider codes are sorted 16 bits at a time, least
    significant first: each pass is stable, so the result is ``np.argsort(codes, kind="stable")``.
    """
    top = int(codes.max()) if len(codes) else 0
    if top < 2**16:
        return np.argsort(codes.astype("uint16"), kind="stable")
    order = np.argsort((codes & 0xFFFF).astype("uint16"), kind="stable")
    shift = 16
    while top >> shift:
        digits = ((codes[order] >> shift) & 0xFFFF).astype("uint16")
        order = order[np.argsort(digits, kind="stable")]
        shift += 16
    return order


def _race_positions(race_ids: pd.Series, races: pd.Series) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Each result's race as a position in ``races`` (-1: none), its race id's code and the codes' ids.

    The result rows repeat each race id many times: the ids are dictionary-encoded once and
    only the distinct ones are looked up, so no string is hashed twice.
    """
    codes, distinct = pd.factorize(race_ids)
    ids = pd.Index(distinct)
    found = np.append(pd.Index(races).get_indexer(ids), -1)  # code -1 (no race id): no race
    return found[codes], codes, ids


def _race_groups(race_kinds: np.ndarray, races: pd.DataFrame) -> tuple[np.ndarray, list[tuple[str, str, str, bool]]]:
    """Each race's group of races scored alike (kind, division, season, final) and the groups' keys.

    The four attributes are dictionary-encoded column by column and combined as integers, so
    no tuple is built per race.
    """
    parts: list[tuple[np.ndarray, Any]] = [
        pd.factorize(race_kinds),
        pd.factorize(races["division"]),
        pd.factorize(races["season"]),
        pd.factorize(races["is_final"].to_numpy(dtype=bool)),
    ]
    combined = np.zeros(len(races), dtype="int64")
    for codes, distinct in parts:
        combined = combined * (len(distinct) + 1) + (codes + 1)  # +1: a missing value (-1) is a value too
    group_of_race, distinct_groups = pd.factorize(combined)
    keys = []
    for value in distinct_groups:
        digits = []
        for _, distinct in reversed(parts):
            value, digit = divmod(int(value), len(distinct) + 1)
            digits.append(distinct[digit - 1] if digit else None)
        kind, division, season, is_final = reversed(digits)
        keys.append((kind, division, season, is_final))
    return group_of_race, keys


def _code_of(text: str, texts: list[str]) -> int:
    """The position of ``text`` in ``texts``, appended if new."""
    if text not in texts:
        texts.append(text)
    return texts.index(text)


def score(results: pd.DataFrame, races: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Results with their World Cup points.

    The same points as ``award`` gives row by row, computed a whole kind of race at a
    time; the few races with a rules exception go through ``award`` itself. Strings are
    read once each (dictionary-encoded) and the rest works on their integer codes.

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
    position, race_codes, race_ids = _race_positions(results["race_id"], by_race["race_id"])
    # Every result's race found (the usual case): a positional take keeps the columns' dtypes as
    # the label lookup does; a missing race makes the lookup fill (and widen) as before.
    races_joined = by_race[joined]
    looked_up = races_joined.take(position) if (position >= 0).all() else races_joined.reindex(position)
    merged = pd.concat([results.reset_index(drop=True), looked_up.reset_index(drop=True)], axis=1)
    # Everything the points depend on besides the rank is a property of the race: decide it per race.
    race_kinds = (by_race["gender"].astype(str) + "-" + by_race["distance"].astype(str)).to_numpy(dtype=object)
    kinds = pd.Series(pd.array(race_kinds, dtype="string").take(position, allow_fill=True), dtype="string")
    size = len(merged)
    points = np.zeros(size, dtype="int64")
    provisional = np.zeros(size, dtype="bool")
    # Notes as codes into the few distinct notes (-1: none): one string column is built at the end.
    notes = np.full(size, -1, dtype="int64")
    note_texts: list[str] = []
    ranks = pd.to_numeric(merged["rank"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    status_codes, statuses = pd.factorize(merged["status"])
    status_names = np.asarray(statuses, dtype=object)
    # Code -1 (no status) indexes the appended entry: it never scores.
    status_scores = np.append(np.isin(status_names, list(rules.scoring_statuses)), False)[status_codes]
    unfinished = np.append(status_names != "finished", True)[status_codes]
    scoring = ~np.isnan(ranks) & status_scores & (position >= 0)
    group_of_race, group_keys = _race_groups(race_kinds, by_race)
    # The scoring rows grouped by kind of race (stably, so each group's rows stay in order).
    rows = np.flatnonzero(scoring)
    group = group_of_race[position[rows]]
    by_group = stable_order(group)
    rows, group = rows[by_group], group[by_group]
    bounds = np.flatnonzero(np.diff(group, prepend=-1, append=-1))  # codes are >= 0: both ends are bounds
    for start, end in pairwise(bounds):
        kind, division, season, is_final = group_keys[group[start]]
        where = rows[start:end]
        got, unsure, note = _table_points(
            rules, str(kind), str(division), str(season), bool(is_final), ranks[where].astype("int64")
        )
        points[where] = got
        # Whether a ranked DNF scores is the unconfirmed part of the scoring rule.
        provisional[where] = unsure | (rules.scoring_provisional & unfinished[where])
        if note is not None:
            notes[where] = _code_of(note, note_texts)
    excepted_ids = np.append(race_ids.isin({e.race_id for e in rules.exceptions}), False)
    columns = ["race_id", "season", "division", "rank", "status", "competitor", "is_final"]
    positions = np.flatnonzero(excepted_ids[race_codes])
    rows_excepted = merged[columns].iloc[positions].assign(kind=kinds.iloc[positions].to_numpy())
    for at, row in zip(positions, rows_excepted.to_dict("records"), strict=True):
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
        points[at], provisional[at] = given.points, given.provisional
        notes[at] = -1 if given.note is None else _code_of(given.note, note_texts)
    merged["points"] = pd.Series(points, index=merged.index, dtype="int64")
    merged["provisional"] = pd.Series(provisional, index=merged.index, dtype="bool")
    texts = pd.array(note_texts, dtype="string")
    merged["points_note"] = pd.Series(texts.take(notes, allow_fill=True), index=merged.index, dtype="string")
    merged["kind"] = kinds
    return merged
