"""The Olympic quota page's view: the Games' rules, the qualifying "as of", statuses and names.

Everything the Olympic quota page shows comes ready from here (and from ``Season``'s
qualification tables through the dashboard's cache): the page lays it out and computes nothing.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from standings.engine.qualification import QualificationRules, changes, load_qualification
from standings.model import ordinal, race_name, season_label  # the page's words, from here
from standings.season import Season

__all__ = [
    "GAMES",
    "changes",
    "classification_status",
    "event_name",
    "games",
    "ordinal",
    "qualifying_after",
    "season_label",
]

#: The Games whose quota places the dashboard computes.
GAMES: Final = "owg-2026"


def games() -> QualificationRules:
    """The qualification rules of ``GAMES`` (``standings/rules/qualification/``)."""
    return load_qualification(GAMES)


def qualifying_after(rules: QualificationRules, season: Season, after: int) -> int:
    """The qualifying World Cup the classification stands at when the reader asks for ``after``:
    the latest qualifying one loaded up to it, else the first qualifying one."""
    qualifying = [n for n in rules.world_cups if n in season.world_cups]
    earlier = [n for n in qualifying if n <= after]
    return max(earlier) if earlier else qualifying[0]


def event_name(event_id: str) -> str:
    """``women-500`` as ``500 m Women``."""
    gender, distance = event_id.split("-", 1)
    return race_name(distance, gender)


def classification_status(quota_rank: pd.Series) -> pd.Series:
    """Each entry's status from its quota rank: ``in`` (a place: 1..N), ``reserve`` (R1, R2, ...)
    or ``no place`` (none: the country is full)."""
    ranks = quota_rank.astype("string")
    return pd.Series(
        ["no place" if pd.isna(r) or r == "" else "reserve" if r.startswith("R") else "in" for r in ranks],
        index=quota_rank.index,
        dtype="string",
    )
