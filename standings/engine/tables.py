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
from standings.engine.points import stable_order
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
    competitor_codes, competitors = pd.factorize(scored["competitor"])
    name_codes, spellings = pd.factorize(scored["name"])
    chosen = _most_printed(competitor_codes, len(competitors), name_codes, np.asarray(spellings, dtype=object))
    # The nation printed last (by World Cup, then day; the last row among equals).
    day_codes = pd.factorize(scored["day"].astype(str), sort=True)[0].astype("int64")
    when = scored["world_cup"].to_numpy(dtype="int64") * (int(day_codes.max()) + 1) + day_codes
    latest = np.full(len(competitors), np.iinfo("int64").min)
    np.maximum.at(latest, competitor_codes, when)
    at_latest = np.flatnonzero(when == latest[competitor_codes])
    last_row = np.full(len(competitors), -1)
    np.maximum.at(last_row, competitor_codes[at_latest], at_latest)
    alphabetical = competitors.argsort()  # code point order, as sorting the index
    nations = scored["nation"].astype("string").array.take(last_row[alphabetical])
    frame = pd.DataFrame(
        {"name": pd.array(chosen[alphabetical], dtype="string"), "nation": nations},
        index=pd.Index(competitors.take(alphabetical), dtype="string", name="competitor"),
    )
    # A team is its nation: print "United States of America" whichever way a sheet wrote it.
    teams = frame.index.str.startswith(TEAM_PREFIX)
    frame.loc[teams, "name"] = frame.loc[teams, "nation"].map(NATION_NAMES).fillna(frame.loc[teams, "name"])
    return frame


def _most_printed(
    competitor_codes: np.ndarray, competitors: int, name_codes: np.ndarray, spelled: np.ndarray
) -> np.ndarray:
    """Per competitor code, the spelling printed most often (then most non-ASCII letters, then alphabetical).

    Most competitors are printed one way only: that spelling is theirs without counting; the
    counting runs on the rows of the competitors printed more than one way.
    """
    first_row = np.full(competitors, len(competitor_codes))
    np.minimum.at(first_row, competitor_codes, np.arange(len(competitor_codes)))
    first_name = name_codes[first_row]
    chosen: np.ndarray = spelled[first_name]
    varied = np.zeros(competitors, dtype=bool)
    varied[competitor_codes[name_codes != first_name[competitor_codes]]] = True
    rows = np.flatnonzero(varied[competitor_codes])
    if not len(rows):
        return chosen
    used, names = np.unique(name_codes[rows], return_inverse=True)
    pair_codes, pairs = pd.factorize(competitor_codes[rows] * len(used) + names)
    count = np.bincount(pair_codes)
    pair_competitor, pair_name = pairs // len(used), pairs % len(used)
    spellings = spelled[used]
    accents = np.array([sum(not ch.isascii() for ch in n) for n in spellings], dtype="int64")
    alphabetical = np.empty(len(spellings), dtype="int64")
    alphabetical[np.argsort(spellings.astype(str), kind="stable")] = np.arange(len(spellings))
    order = np.lexsort((alphabetical[pair_name], -accents[pair_name], -count, pair_competitor))
    first = order[np.r_[True, pair_competitor[order][1:] != pair_competitor[order][:-1]]]
    chosen[pair_competitor[first]] = spellings[pair_name[first]]
    return chosen


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
    kind_codes, kind_names = pd.factorize(kinds)
    row, cup_code = _memberships(kind_codes, list(kind_names), chosen)
    if not len(row) or not len(world_cups):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns.names(GRID)})
    competitor_codes, competitors = pd.factorize(scored["competitor"])
    cell, cells = _first_seen(cup_code * len(competitors) + competitor_codes[row], len(chosen) * len(competitors))
    event = np.searchsorted(world_cups, scored["world_cup"].to_numpy(dtype="int64")[row])
    width = len(world_cups)
    flat = cell * width + event
    size = len(cells) * width

    def counted(where: np.ndarray) -> np.ndarray:
        return np.bincount(flat[where[row]], minlength=size).reshape(-1, width)

    status_codes, statuses = pd.factorize(scored["status"])
    names = np.asarray(statuses, dtype=object)
    # Code -1 (no status) indexes the appended entry: neither started nor finished.
    started = np.append(np.isin(names, list(STARTED_STATUSES)), False)[status_codes]
    finished = np.append(names == "finished", False)[status_codes]
    won = (scored["rank"] == 1).fillna(False).to_numpy(dtype=bool) & (scored["division"] == "A").to_numpy(dtype=bool)
    weights = scored["points"].to_numpy(dtype="int64")[row]
    race_points = np.bincount(flat, weights=weights, minlength=size).astype("int64").reshape(-1, width)
    races = _so_far(counted(started))
    wins_so_far = _so_far(counted(won & finished)).ravel()
    provisional = _so_far(counted(scored["provisional"].to_numpy(dtype=bool))) > 0
    points = _so_far(race_points.copy()).ravel()
    cup_of_cell = np.repeat((cells // len(competitors)).astype(_code_type(len(chosen))), width)
    event_of_cell = np.tile(np.arange(width), len(cells))
    keys = [wins_so_far] if "wins" in rules.tie_break else []
    # copy=False: the columns are fresh arrays, and copying them into one block costs more than the sums.
    return pd.DataFrame(
        {
            "cup": pd.Categorical.from_codes(cup_of_cell, categories=pd.Index([c.cup_id for c in chosen])),
            "competitor": pd.Categorical.from_codes(
                np.repeat((cells % len(competitors)).astype(_code_type(len(competitors))), width),
                categories=pd.Index(np.asarray(competitors, dtype=object), dtype=object),
            ),
            "world_cup": world_cups[event_of_cell],
            "race_points": race_points.ravel(),
            "points": points,
            "races": races.ravel(),
            "wins": wins_so_far,
            "provisional": provisional.ravel(),
            "rank": _ranks(cup_of_cell.astype("int64") * width + event_of_cell, points, keys),
        },
        copy=False,
    )[columns.names(GRID)]


def _code_type(categories: int) -> str:
    """The integer type pandas keeps a categorical's codes in (making the codes in it spares a conversion)."""
    for name in ("int8", "int16", "int32"):
        if categories < np.iinfo(name).max:
            return name
    return "int64"


def _so_far(per_event: np.ndarray) -> np.ndarray:
    """Running totals along each row of a (cell, World Cup) table, in place.

    A loop over the few World Cups, each step one whole column: ``cumsum(axis=1)`` over rows
    this short is many times slower.
    """
    for event in range(1, per_event.shape[1]):
        per_event[:, event] += per_event[:, event - 1]
    return per_event


def _memberships(kind_codes: np.ndarray, kind_names: list[str], cups: Sequence[Cup]) -> tuple[np.ndarray, np.ndarray]:
    """Which results count for which cup: one (result row, cup position) pair per membership.

    Ordered by row, then cup (a row counting for several cups, e.g. its distance and the
    overall ranking, gives one pair per cup in the cups' order).
    """
    cups_of_kind: list[list[int]] = [[] for _ in kind_names]
    for position, cup in enumerate(cups):
        for kind in cup.races:
            if kind in kind_names:
                cups_of_kind[kind_names.index(kind)].append(position)
    deepest = max((len(c) for c in cups_of_kind), default=0)
    table = np.full((len(kind_names) + 1, max(deepest, 1)), -1, dtype="int64")  # last row: code -1 (no kind)
    for code, found in enumerate(cups_of_kind):
        table[code, : len(found)] = found
    per_row = (table >= 0).sum(axis=1)[kind_codes]
    row = np.repeat(np.arange(len(kind_codes)), per_row)
    nth = np.arange(len(row)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    return row, table[kind_codes[row], nth]


def _first_seen(keys: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(keys)`` for integer keys in ``range(span)``, without hashing.

    Returns:
        Each key's code and the distinct keys in order of first appearance.
    """
    small = "int32" if len(keys) < np.iinfo("int32").max else "int64"  # half the memory for the dense table
    first = np.full(span, len(keys), dtype=small)
    np.minimum.at(first, keys, np.arange(len(keys), dtype=small))
    is_first = np.zeros(len(keys), dtype=bool)
    is_first[first[first < len(keys)]] = True
    distinct = keys[is_first]
    code = np.empty(span, dtype="int64")
    code[distinct] = np.arange(len(distinct))
    return code[keys], distinct


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
    """Competition ranks within each group, by points then the tie-break keys (higher is better); none at 0 points.

    A competition rank is one more than the number in the group ranked strictly better. Points
    and wins are small non-negative integers, so that number is read off a histogram of
    (group, points, wins) cells, over every row at once (a row without points is below every
    row with points, so it counts above none of them); only when the cells would far
    outnumber the rows is it found by sorting.
    """
    scoring = points > 0
    if len(points) and min([int(points.min()), *[int(k.min()) for k in tie_break]]) >= 0:
        better = _sort_key([(points, False), *[(k, False) for k in tie_break]])
        levels = int(better.max()) + 1
        span = (int(group.max()) + 1) * levels
        if span <= 8 * len(points):
            cell = group * levels + better
            histogram = np.bincount(cell, minlength=span).reshape(-1, levels)
            # Per cell: how many in the group have a higher value (a reversed running total, exclusive).
            above = histogram[:, ::-1].cumsum(axis=1)[:, ::-1] - histogram
            ranks = above.ravel()[cell] + 1
            ranks[~scoring] = 0
            return pd.arrays.IntegerArray(ranks, ~scoring)
    rows = np.flatnonzero(scoring)
    ranks = np.zeros(len(points), dtype="int64")
    if len(rows):
        better = _sort_key([(points[rows], False), *[(k[rows], False) for k in tie_break]])
        ranks[rows] = _sorted_ranks(group[rows], better)
    return pd.arrays.IntegerArray(ranks, ~scoring)


def _sorted_ranks(groups: np.ndarray, better: np.ndarray) -> np.ndarray:
    """``_ranks`` by sorting: competition ranks of ``better`` (higher is better) within each group."""
    key = _sort_key([(groups, False), (better, True)])
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    index = np.arange(len(order))
    new_group = np.ones(len(order), dtype=bool)
    new_group[1:] = groups[order][1:] != groups[order][:-1]
    changed = np.ones(len(order), dtype=bool)
    changed[1:] = sorted_key[1:] != sorted_key[:-1]
    start = np.maximum.accumulate(np.where(new_group, index, 0))
    first_equal = np.maximum.accumulate(np.where(changed, index, 0))
    ranks = np.empty(len(order), dtype="int64")
    ranks[order] = first_equal - start + 1
    return ranks


def named_grid(grid: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """``cup_grid`` with each competitor's display ``name`` and ``nation``, ordered by cup, World Cup, rank, name."""
    if grid.empty:
        return grid.assign(name=pd.Series(dtype="string"), nation=pd.Series(dtype="string"))
    competitor = grid["competitor"].cat
    found = _positions_in(names.index, competitor.categories)
    codes = np.asarray(competitor.codes)
    columns = {}
    for column in ("name", "nation"):
        values = pd.Series(names[column].astype("string").array.take(found, allow_fill=True))
        per_competitor, spellings = pd.factorize(values, sort=True)
        categories = pd.Index(np.asarray(spellings, dtype=object), dtype=object)
        small = per_competitor.astype(_code_type(len(categories)))
        columns[column] = pd.Categorical.from_codes(small[codes], categories=categories)
    named = grid.assign(**columns)
    alphabetical = np.asarray(named["name"].cat.codes).astype("int64") + 1  # sorted categories; -1 (none) first
    ranks = named["rank"].to_numpy(dtype="float64", na_value=np.nan)
    last = np.where(np.isnan(ranks), np.nanmax(ranks, initial=0) + 1, ranks).astype("int64")  # no rank: last
    cup = np.asarray(named["cup"].cat.codes).astype("int64")
    world_cup = named["world_cup"].to_numpy(dtype="int64")
    key = _sort_key([(cup, False), (world_cup, False), (last, False), (alphabetical, False)])
    return named.take(stable_order(key)).reset_index(drop=True)


def _positions_in(index: pd.Index, values: pd.Index) -> np.ndarray:
    """The position of each of ``values`` in the unique ``index`` (-1: not in it), as ``get_indexer``.

    Both are dictionary-encoded together as Arrow strings (one hash of each string), which is
    several times faster than a lookup through an index of Python strings.
    """
    both = pd.concat([pd.Series(index, dtype="string"), pd.Series(values, dtype="string")], ignore_index=True)
    codes, distinct = pd.factorize(both)
    position = np.full(len(distinct) + 1, -1, dtype="int64")  # last: code -1 (a missing value)
    position[codes[: len(index)]] = np.arange(len(index))
    return position[codes[len(index) :]]


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
    """Standings with no rows: the columns of ``STANDINGS``, each of its declared dtype."""
    return pd.DataFrame({name: pd.Series(dtype=column.dtype) for name, column in STANDINGS.items()})


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
