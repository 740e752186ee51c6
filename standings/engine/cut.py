"""The "as of" cut: a season's rows up to and including one World Cup, written once.

Every table, figure and sentence "as of World Cup #n" counts the rows of World Cups 1 to n and
no later one; ``up_to`` is that cut, for any table with a ``world_cup`` column.
"""

from __future__ import annotations

import pandas as pd


def up_to(rows: pd.DataFrame, world_cup: int | None) -> pd.DataFrame:
    """The rows of World Cups up to and including ``world_cup`` (every row when ``None``).

    Args:
        rows: Any table with a ``world_cup`` column.
        world_cup: The last World Cup counted, or ``None`` for all.
    """
    if world_cup is None:
        return rows
    return rows[rows["world_cup"] <= world_cup]
