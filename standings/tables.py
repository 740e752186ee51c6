"""Cup standings and their progress, event by event, from scored results.

Functions here take the scored results of one season (see ``standings.points.score``)
and return tidy tables; they know nothing of files, stores or pages.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from standings.identity import TEAM_PREFIX
from standings.model import STARTED_STATUSES
from standings.nations import NATION_NAMES
from standings.rules import Cup, Rules

#: Columns of a standings table, in order.
STANDINGS_COLUMNS: Final = ["rank", "competitor", "name", "nation", "points", "races", "wins", "provisional"]
#: Columns of a progress table, in order.
PROGRESS_COLUMNS: Final = ["world_cup", "competitor", "name", "nation", "race_points", "points", "rank"]


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
    counts = scored.groupby(["competitor", "name"], sort=False).size().rename("count").reset_index()
    counts["accents"] = counts["name"].map(lambda n: sum(not ch.isascii() for ch in n))
    names = counts.sort_values(["competitor", "count", "accents", "name"], ascending=[True, False, False, True])
    name = names.drop_duplicates("competitor").set_index("competitor")["name"]
    nation = scored.sort_values(["world_cup", "day"]).groupby("competitor")["nation"].last()
    frame = pd.DataFrame({"name": name, "nation": nation})
    # A team is its nation: print "United States of America" whichever way a sheet wrote it.
    teams = frame.index.str.startswith(TEAM_PREFIX)
    frame.loc[teams, "name"] = frame.loc[teams, "nation"].map(NATION_NAMES).fillna(frame.loc[teams, "name"])
    return frame


def cup_results(scored: pd.DataFrame, cup: Cup, *, after: int | None = None) -> pd.DataFrame:
    """The scored results that count for ``cup``, up to and including World Cup ``after``."""
    kinds = scored["gender"].astype(str) + "-" + scored["distance"].astype(str)
    mask = kinds.isin(cup.races)
    if after is not None:
        mask &= scored["world_cup"] <= after
    return scored[mask]


def _tally(rows: pd.DataFrame) -> pd.DataFrame:
    started = rows["status"].isin(STARTED_STATUSES)
    win = (rows["rank"] == 1) & (rows["division"] == "A") & (rows["status"] == "finished")
    frame = pd.DataFrame(
        {
            "competitor": rows["competitor"],
            "points": rows["points"],
            "races": started.astype("int64"),
            "wins": win.fillna(False).astype("int64"),
            "provisional": rows["provisional"],
        }
    )
    return frame.groupby("competitor", sort=False).agg(
        points=("points", "sum"), races=("races", "sum"), wins=("wins", "sum"), provisional=("provisional", "any")
    )


def rank_table(tally: pd.DataFrame, rules: Rules) -> pd.Series:
    """Ranks from points, then the rules' tie-break criteria; full ties share a rank.

    Args:
        tally: A frame with ``points`` and one column per tie-break criterion.
        rules: The season's rules, for the tie-break order.

    Returns:
        Integer ranks (1 = best), aligned with ``tally``'s index.
    """
    keys = ["points", *rules.tie_break]
    if tally.empty:
        return pd.Series(dtype="int64", index=tally.index)
    # Rank on the tuple of criteria: equal tuples share the best rank ("min").
    ordered = tally[keys].apply(tuple, axis=1)
    return ordered.rank(method="min", ascending=False).astype("int64")


def cup_standings(scored: pd.DataFrame, rules: Rules, cup: Cup, *, after: int | None = None) -> pd.DataFrame:
    """A cup's standings after World Cup ``after`` (default: all loaded).

    Competitors with World Cup points are ranked by points; equal points are
    decided by the rules' tie-break order (more race wins); competitors still
    equal share the rank. ``races`` counts races started (finished, DNF or DQ);
    ``wins`` counts Division A race wins.

    Returns:
        Columns ``STANDINGS_COLUMNS``, best first.
    """
    rows = cup_results(scored, cup, after=after)
    tally = _tally(rows)
    tally = tally[tally["points"] > 0]
    names = display_names(scored)
    tally = tally.join(names, how="left")
    tally["rank"] = rank_table(tally, rules)
    table = tally.reset_index().sort_values(["rank", "name"], kind="stable")
    return (
        table[STANDINGS_COLUMNS]
        .reset_index(drop=True)
        .astype({"rank": "int64", "points": "int64", "races": "int64", "wins": "int64", "provisional": "bool"})
    )


def cup_progress(scored: pd.DataFrame, rules: Rules, cup: Cup, *, after: int | None = None) -> pd.DataFrame:
    """Every competitor's cumulative points and rank after each World Cup.

    Competitors are those with points in the standings after ``after``; every
    one gets a row for every World Cup of the season up to ``after`` (points 0
    and rank missing before their first points).

    Returns:
        Columns ``PROGRESS_COLUMNS``, ordered by World Cup, then rank.
    """
    world_cups = sorted(int(n) for n in scored["world_cup"].unique())
    if after is not None:
        world_cups = [n for n in world_cups if n <= after]
    rows = cup_results(scored, cup, after=after)
    per_event = rows.groupby(["competitor", "world_cup"])["points"].sum()
    final = cup_standings(scored, rules, cup, after=after)
    frames = []
    for number in world_cups:
        tally = _tally(rows[rows["world_cup"] <= number])
        tally = tally[tally["points"] > 0]
        ranks = rank_table(tally, rules)
        frame = pd.DataFrame({"competitor": final["competitor"], "name": final["name"], "nation": final["nation"]})
        frame["world_cup"] = number
        frame["race_points"] = [int(per_event.get((c, number), 0)) for c in frame["competitor"]]
        frame["points"] = frame["competitor"].map(tally["points"]).fillna(0).astype("int64")
        frame["rank"] = frame["competitor"].map(ranks).astype("Int64")
        frames.append(frame)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in PROGRESS_COLUMNS})
    progress = pd.concat(frames, ignore_index=True)
    return progress.sort_values(["world_cup", "rank", "name"], na_position="last")[PROGRESS_COLUMNS].reset_index(
        drop=True
    )
