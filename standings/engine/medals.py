"""Nation medal tables: World Cup podiums (Division A) counted per nation."""

from __future__ import annotations

from typing import Final

import pandas as pd

from standings.columns import MEDALS, names
from standings.engine.cut import up_to

_COLOURS: Final = {1: "gold", 2: "silver", 3: "bronze"}


def podiums(results: pd.DataFrame) -> pd.DataFrame:
    """Every medal: finished Division A results ranked 1st to 3rd (in short track, of Final A).

    A team (team pursuit, team sprint, relay) is one row, so one medal for its
    nation. A dead heat gives each tied competitor the medal of the shared rank;
    the next rank is skipped, so two golds mean no silver.

    Args:
        results: Results with race columns (``division``, ``world_cup``, ...).

    Returns:
        The podium rows with an added ``medal`` column (gold, silver, bronze).
    """
    mask = (results["division"] == "A") & (results["status"] == "finished") & results["rank"].isin([1, 2, 3])
    if "round" in results:
        # Short track: only Final A skaters win medals, whatever place a Final B skater is classified in.
        mask &= results["round"].isna() | (results["round"] == "Final A")
    rows = results[mask].copy()
    rows["medal"] = rows["rank"].astype("int64").map(_COLOURS)
    return rows


def medal_table(results: pd.DataFrame, *, after: int | None = None, order: str = "gold") -> pd.DataFrame:
    """The nation medal table.

    Args:
        results: Results with race columns.
        after: Count World Cups up to and including this number (default: all).
        order: ``gold`` (golds, then silvers, then bronzes: the IOC convention)
            or ``total`` (total medals, then golds, silvers, bronzes). Nations
            equal on every count share the rank and are listed by IOC code.

    Returns:
        Columns ``rank, nation, gold, silver, bronze, total``.
    """
    if order not in ("gold", "total"):
        raise ValueError(f"order must be 'gold' or 'total', not {order!r}")
    medals = podiums(up_to(results, after))
    counts = (
        medals.groupby(["nation", "medal"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=list(_COLOURS.values()), fill_value=0)
    )
    counts["total"] = counts.sum(axis=1)
    counts = counts.reset_index()
    keys = ["gold", "silver", "bronze"] if order == "gold" else ["total", "gold", "silver", "bronze"]
    if counts.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c != "nation" else "string") for c in names(MEDALS)})
    counts["rank"] = counts[keys].apply(tuple, axis=1).rank(method="min", ascending=False).astype("int64")
    table = counts.sort_values(["rank", "nation"])
    return (
        table[names(MEDALS)]
        .reset_index(drop=True)
        .astype({"gold": "int64", "silver": "int64", "bronze": "int64", "total": "int64"})
    )
