"""The "as of" World Cup: a season's rows up to and including one World Cup, written once.

Every table, figure and sentence "as of World Cup #n" counts the rows of World Cups 1 to n and
no later one; ``up_to`` is that cut, for any table with a ``world_cup`` column, and ``AsOf`` the
value that carries it with its label (``standings.Season.as_of`` makes one).
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class AsOf:
    """A season as of one World Cup: the one value that travels from a link to a chart.

    The link's ``after`` parameter, the sidebar's "As of" and every table, figure and sentence
    "after World Cup #n" are this; it is hashable, so caches key on it. Made by ``Season.as_of``.

    Attributes:
        circuit: Circuit id, e.g. ``lt-wc``.
        season_id: Season id, e.g. ``2025-26``.
        world_cup: The last World Cup counted.
        label: How the dashboard says it: ``after World Cup #2 (Calgary)``.
    """

    circuit: str
    season_id: str
    world_cup: int
    label: str

    @property
    def up_to_label(self) -> str:
        """``up to World Cup #2 (Calgary)``: how far the view reaches, inside a sentence."""
        return self.label.replace("after ", "up to ", 1)

    def cut(self, rows: pd.DataFrame) -> pd.DataFrame:
        """The rows of World Cups up to and including this one (``standings.engine.cut.up_to``)."""
        return up_to(rows, self.world_cup)
