"""Cup standings and their progress, event by event, from scored results.

Functions here take the scored results of one season (see ``standings.engine.points.score``)
and return tidy tables; they know nothing of files, stores or pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from standings import columns
from standings.columns import GRID, PROGRESS, STANDINGS
from standings.identity import TEAM_PREFIX
from standings.model import STARTED_STATUSES
from standings.nations import NATION_NAMES
from standings.rules import Cup, Rules


def display_names(scored: pd.DataFrame) -> pd.DataFrame:
    """One display name and nation per competitor.

    The name is the spelling printed most often; among equally frequent ones, the
    one with the most non-ASCII letters (the sheets that keep ``Ż`` over ``Z``).
    The nation is the latest printed.

    Returns:
        A frame indexed by ``competitor`` with columns ``name`` and ``nation``.
    """
    if scored.empty:
        return pd.DataFrame({"name": pd.Series(dtype="string"), "nation": pd.Series(dtype="string")})
    competitor_codes, competitors = pd.factorize(scored["competitor"].astype(str))
    name_codes, spellings = pd.factorize(scored["name"].astype(str))
    pair_codes, pairs = pd.factorize(competitor_codes.astype("int64") * len(spellings) + name_codes)
    count = np.bincount(pair_codes)
    pair_competitor, pair_name = pairs // len(spellings), pairs % len(spellings)
    spelled = np.asarray(spellings, dtype=object)
    accents = np.array([sum(not ch.isascii() for ch in n) for n in spelled], dtype="int64")
    alphabetical = np.empty(len(spelled), dtype="int64")
    alphabetical[np.argsort(spelled.astype(str), kind="stable")] = np.arange(len(spelled))
    # Per competitor: most printed, then most non-ASCII letters, then the first alphabetically.
    order = np.lexsort((alphabetical[pair_name], -accents[pair_name], -count, pair_competitor))
    first = order[np.r_[True, pair_competitor[order][1:] != pair_competitor[order][:-1]]]
    chosen = np.empty(len(competitors), dtype=object)
    chosen[pair_competitor[first]] = spelled[pair_name[first]]
    # The nation printed last (by World Cup, then day).
    day_codes = pd.factorize(scored["day"].astype(str), sort=True)[0]
    latest = np.lexsort((day_codes, scored["world_cup"].to_numpy(dtype="int64")))[::-1]
    _, last_seen = np.unique(competitor_codes[latest], return_index=True)
    nations = np.empty(len(competitors), dtype=object)
    nations[competitor_codes[latest][last_seen]] = (
        scored["nation"].astype(str).to_numpy(dtype=object)[latest][last_seen]
    )
    frame = pd.DataFrame(
        {"name": pd.array(chosen, dtype="string"), "nation": pd.array(nations, dtype="string")},
        index=pd.Index(np.asarray(competitors, dtype=object), dtype="string", name="competitor"),
    ).sort_index()
    # A team is its nation: print "United States of America" whichever way a sheet wrote it.
    teams = frame.index.str.startswith(TEAM_PREFIX)
    frame.loc[teams, "name"] = frame.loc[teams, "nation"].map(NATION_NAMES).fillna(frame.loc[teams, "name"])
    return frame


_EXTRACTED: Final = {"competitor": "string", "name": "string", "nation": "string"}


def cup_grid(scored: pd.DataFrame, rules: Rules, cups: Sequence[Cup] | None = None) -> pd.DataFrame:
    """Every cup's standing of every competitor after every World Cup, all cups in one pass.

    One row per cup, competitor with a result in one of the cup's races, and World Cup
    of the season: that World Cup's points (``race_points``), and the cumulative
    ``points``, ``races`` started (finished, DNF or DQ), Division A race ``wins``,
    ``provisional`` (any result so far depends on a provisional rule) and ``rank``
    (competition ranks by points, then the rules' tie-break; missing while the
    competitor has no points). Computed with array sums over (cup, competitor,
    World Cup) cells: linear in the number of results and cells.

    Args:
        scored: The season's scored results.
        rules: The season's rules.
        cups: The cups (default: all of the rules').

    Returns:
        Columns ``standings.columns.GRID``.
    """
    chosen = list(rules.cups if cups is None else cups)
    world_cups = np.array(sorted(int(n) for n in scored["world_cup"].unique()), dtype="int64")
    kinds = scored["kind"] if "kind" in scored else scored["gender"].astype(str) + "-" + scored["distance"].astype(str)
    kind_codes, kind_names = pd.factorize(kinds.astype(str))
    # Which results count for which cup: a (result, cup) pair per membership.
    member_kind, member_cup = [], []
    for position, cup in enumerate(chosen):
        for kind in cup.races:
            found = np.flatnonzero(kind_names == kind)
            if len(found):
                member_kind.append(int(found[0]))
                member_cup.append(position)
    pairs = pd.DataFrame({"kind": np.asarray(member_kind, dtype="int64"), "cup": np.asarray(member_cup, dtype="int64")})
    rows = pd.DataFrame({"kind": kind_codes, "row": np.arange(len(kind_codes))}).merge(pairs, on="kind")
    if rows.empty or not len(world_cups):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns.names(GRID)})
    row = rows["row"].to_numpy()
    cup_code = rows["cup"].to_numpy()
    competitor_codes, competitors = pd.factorize(scored["competitor"].astype(str))
    cell, cells = pd.factorize(cup_code * len(competitors) + competitor_codes[row])
    event = np.searchsorted(world_cups, scored["world_cup"].to_numpy(dtype="int64")[row])
    width = len(world_cups)
    flat = cell * width + event
    size = len(cells) * width

    def summed(values: np.ndarray) -> np.ndarray:
        return np.bincount(flat, weights=values, minlength=size).astype("int64").reshape(-1, width)

    status_codes, statuses = pd.factorize(scored["status"].astype(str))
    started = np.isin(np.asarray(statuses, dtype=object), list(STARTED_STATUSES))[status_codes][row]
    finished = (np.asarray(statuses, dtype=object) == "finished")[status_codes][row]
    won = (scored["rank"] == 1).fillna(False).to_numpy(dtype=bool) & (scored["division"] == "A").to_numpy(dtype=bool)
    race_points = summed(scored["points"].to_numpy(dtype="int64")[row])
    races = summed(started.astype("int64"))
    wins = summed((won[row] & finished).astype("int64"))
    provisional = summed(scored["provisional"].to_numpy(dtype=bool)[row].astype("int64")) > 0
    points = race_points.cumsum(axis=1).ravel()
    cup_of_cell = np.repeat(cells // len(competitors), width)
    grid = pd.DataFrame(
        {
            "cup": pd.Categorical.from_codes(cup_of_cell, categories=pd.Index([c.cup_id for c in chosen])),
            "competitor": pd.Categorical.from_codes(
                np.repeat(cells % len(competitors), width), categories=pd.Index(competitors, dtype=object)
            ),
            "world_cup": np.tile(world_cups, len(cells)),
            "race_points": race_points.ravel(),
            "points": points,
            "races": races.cumsum(axis=1).ravel(),
            "wins": wins.cumsum(axis=1).ravel(),
            "provisional": np.maximum.accumulate(provisional, axis=1).ravel(),
        }
    )
    keys = [grid["wins"].to_numpy()] if "wins" in rules.tie_break else []
    grid["rank"] = _ranks(cup_of_cell * width + np.tile(np.arange(width), len(cells)), points, keys)
    return grid[columns.names(GRID)]


def _sort_key(columns: list[tuple[np.ndarray, bool]]) -> np.ndarray:
    """One int64 sort key from non-negative integer columns, most significant first (``True``: descending).

    Sorting one key is several times faster than ``np.lexsort`` over the columns.
    """
    key = np.zeros(len(columns[0][0]), dtype="int64")
    for values, descending in columns:
        top = int(values.max()) if len(values) else 0
        key = key * (top + 1) + (top - values if descending else values)
    return key


def _ranks(group: np.ndarray, points: np.ndarray, tie_break: list[np.ndarray]) -> ExtensionArray:
    """Competition ranks within each group, by points then the tie-break keys (higher is better); none at 0 points."""
    scoring = np.flatnonzero(points > 0)
    key = _sort_key([(group[scoring], False), (points[scoring], True), *[(k[scoring], True) for k in tie_break]])
    within = np.argsort(key, kind="stable")
    order = scoring[within]
    sorted_key = key[within]
    groups = group[order]
    new_group = np.ones(len(order), dtype=bool)
    new_group[1:] = groups[1:] != groups[:-1]
    changed = np.ones(len(order), dtype=bool)
    changed[1:] = sorted_key[1:] != sorted_key[:-1]
    index = np.arange(len(order))
    start = np.maximum.accumulate(np.where(new_group, index, 0))
    first_equal = np.maximum.accumulate(np.where(changed, index, 0))
    ranks = np.zeros(len(points), dtype="int64")
    ranks[order] = first_equal - start + 1
    result = pd.array(ranks, dtype="Int64")
    result[points <= 0] = pd.NA
    return result


def named_grid(grid: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """``cup_grid`` with each competitor's display ``name`` and ``nation``, ordered by cup, World Cup, rank, name."""
    if grid.empty:
        return grid.assign(name=pd.Series(dtype="string"), nation=pd.Series(dtype="string"))
    competitor = grid["competitor"].cat
    found = names.reindex(pd.Index(competitor.categories.astype(str)))
    codes = np.asarray(competitor.codes)
    columns = {}
    for column in ("name", "nation"):
        per_competitor, spellings = pd.factorize(found[column].astype(object), sort=True)
        columns[column] = pd.Categorical.from_codes(per_competitor[codes], categories=spellings)
    named = grid.assign(**columns)
    alphabetical = np.asarray(named["name"].cat.codes).astype("int64") + 1  # sorted categories; -1 (none) first
    ranks = named["rank"].to_numpy(dtype="float64", na_value=np.nan)
    last = np.where(np.isnan(ranks), np.nanmax(ranks, initial=0) + 1, ranks).astype("int64")  # no rank: last
    cup = np.asarray(named["cup"].cat.codes).astype("int64")
    world_cup = named["world_cup"].to_numpy(dtype="int64")
    key = _sort_key([(cup, False), (world_cup, False), (last, False), (alphabetical, False)])
    return named.take(np.argsort(key, kind="stable")).reset_index(drop=True)


def grid_standings(rows: pd.DataFrame, after: int | None) -> pd.DataFrame:
    """One cup's standings after World Cup ``after`` (default: the last), from its rows of ``named_grid``.

    Returns:
        Columns ``standings.columns.STANDINGS``, best first (equal ranks by name).
    """
    if rows.empty:
        return _empty_standings()
    last = int(rows["world_cup"].to_numpy()[-1]) if after is None else after
    world_cup = rows["world_cup"].to_numpy()
    table = rows[(world_cup == last) & (rows["points"].to_numpy() > 0)]
    if table.empty:
        return _empty_standings()
    extracted: pd.DataFrame = (
        table[columns.names(STANDINGS)].reset_index(drop=True).astype(_EXTRACTED | {"rank": "int64"})
    )
    return extracted


def grid_progress(rows: pd.DataFrame, after: int | None) -> pd.DataFrame:
    """One cup's progress up to World Cup ``after`` (default: the last), from its rows of ``named_grid``.

    Returns:
        Columns ``standings.columns.PROGRESS``: the competitors with points after ``after``, one row
        per World Cup, ordered by World Cup, then rank.
    """
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns.names(PROGRESS)})
    last = int(rows["world_cup"].to_numpy()[-1]) if after is None else after
    world_cup = rows["world_cup"].to_numpy()
    kept = rows["competitor"].to_numpy()[(world_cup == last) & (rows["points"].to_numpy() > 0)]
    if not len(kept):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns.names(PROGRESS)})
    chosen = (world_cup <= last) & np.isin(rows["competitor"].to_numpy(), kept)
    return rows.loc[chosen, columns.names(PROGRESS)].reset_index(drop=True).astype(_EXTRACTED)


def _empty_standings() -> pd.DataFrame:
    types = {"rank": "int64", "points": "int64", "races": "int64", "wins": "int64", "provisional": "bool"}
    return pd.DataFrame({c: pd.Series(dtype=types.get(c, "string")) for c in columns.names(STANDINGS)})


def cup_standings(
    scored: pd.DataFrame,
    rules: Rules,
    cup: Cup,
    *,
    after: int | None = None,
    names: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A cup's standings after World Cup ``after`` (default: all loaded).

    Competitors with World Cup points are ranked by points; equal points are
    decided by the rules' tie-break order (more race wins); competitors still
    equal share the rank. ``races`` counts races started (finished, DNF or DQ);
    ``wins`` counts Division A race wins.

    Args:
        scored: The season's scored results.
        rules: The season's rules.
        cup: The cup.
        after: The last World Cup to count.
        names: ``display_names(scored)``, when the caller has it already.

    Returns:
        Columns ``standings.columns.STANDINGS``, best first.
    """
    names = names if names is not None else display_names(scored)
    return grid_standings(named_grid(cup_grid(scored, rules, [cup]), names), after)


def cup_progress(
    scored: pd.DataFrame,
    rules: Rules,
    cup: Cup,
    *,
    after: int | None = None,
    names: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every competitor's cumulative points and rank after each World Cup.

    Competitors are those with points in the standings after ``after``; every
    one gets a row for every World Cup of the season up to ``after`` (points 0
    and rank missing before their first points). Ranks after each World Cup
    follow the same rules as ``cup_standings``.

    Returns:
        Columns ``standings.columns.PROGRESS``, ordered by World Cup, then rank.
    """
    names = names if names is not None else display_names(scored)
    return grid_progress(named_grid(cup_grid(scored, rules, [cup]), names), after)
