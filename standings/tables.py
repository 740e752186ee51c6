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
    kinds = scored["kind"] if "kind" in scored else scored["gender"].astype(str) + "-" + scored["distance"].astype(str)
    mask = kinds.isin(cup.races)
    if after is not None:
        mask &= scored["world_cup"] <= after
    return scored[mask]


def _counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Per result: points, 1 if started, 1 if a Division A race win, provisional."""
    started = rows["status"].isin(STARTED_STATUSES)
    win = (rows["rank"] == 1) & (rows["division"] == "A") & (rows["status"] == "finished")
    return pd.DataFrame(
        {
            "competitor": rows["competitor"],
            "world_cup": rows["world_cup"],
            "points": rows["points"],
            "races": started.astype("int64"),
            "wins": win.fillna(False).astype("int64"),
            "provisional": rows["provisional"],
        }
    )


def competition_ranks(frame: pd.DataFrame, keys: list[str], *, within: str | None = None) -> pd.Series:
    """Competition ranks ("1, 2, 2, 4"): higher values of ``keys`` rank better; equal keys share.

    Args:
        frame: The rows to rank.
        keys: Columns compared in order (e.g. points, then wins).
        within: A column whose groups are ranked separately (e.g. ``world_cup``).

    Returns:
        Integer ranks aligned with ``frame``'s index.
    """
    if frame.empty:
        return pd.Series(dtype="int64", index=frame.index)
    group_keys = [within] if within else []
    ordered = frame.sort_values([*group_keys, *keys], ascending=[True] * len(group_keys) + [False] * len(keys))
    position = (
        ordered.groupby(within).cumcount() + 1 if within else pd.Series(range(1, len(ordered) + 1), index=ordered.index)
    )
    changed = ordered[[*group_keys, *keys]].ne(ordered[[*group_keys, *keys]].shift()).any(axis=1)
    ranks = position.where(changed).ffill().astype("int64")
    return ranks.reindex(frame.index)


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
        Columns ``STANDINGS_COLUMNS``, best first.
    """
    counts = _counts(cup_results(scored, cup, after=after))
    tally = counts.groupby("competitor", sort=False).agg(
        points=("points", "sum"), races=("races", "sum"), wins=("wins", "sum"), provisional=("provisional", "any")
    )
    tally = tally[tally["points"] > 0].join(names if names is not None else display_names(scored), how="left")
    tally["rank"] = competition_ranks(tally, ["points", *rules.tie_break])
    table = tally.reset_index().sort_values(["rank", "name"], kind="stable")
    return (
        table[STANDINGS_COLUMNS]
        .reset_index(drop=True)
        .astype({"rank": "int64", "points": "int64", "races": "int64", "wins": "int64", "provisional": "bool"})
    )


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
        Columns ``PROGRESS_COLUMNS``, ordered by World Cup, then rank.
    """
    world_cups = sorted(int(n) for n in scored["world_cup"].unique() if after is None or n <= after)
    counts = _counts(cup_results(scored, cup, after=after))
    per_event = counts.groupby(["competitor", "world_cup"]).agg(race_points=("points", "sum"), wins=("wins", "sum"))
    if per_event.empty or not world_cups:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in PROGRESS_COLUMNS})
    event_points = per_event["race_points"].unstack("world_cup", fill_value=0).reindex(columns=world_cups, fill_value=0)
    totals = event_points.cumsum(axis=1)
    wins = per_event["wins"].unstack("world_cup", fill_value=0).reindex(columns=world_cups, fill_value=0).cumsum(axis=1)
    keep = totals[world_cups[-1]] > 0
    long = pd.DataFrame(
        {
            "race_points": event_points[keep].stack(),
            "points": totals[keep].stack(),
            "wins": wins[keep].stack(),
        }
    ).reset_index()
    scoring = long[long["points"] > 0]
    long["rank"] = competition_ranks(scoring, ["points", *rules.tie_break], within="world_cup").astype("Int64")
    long = long.join(names if names is not None else display_names(scored), on="competitor")
    long = long.astype({"world_cup": "int64", "race_points": "int64", "points": "int64"})
    return long.sort_values(["world_cup", "rank", "name"], na_position="last")[PROGRESS_COLUMNS].reset_index(drop=True)
