"""Rinkside's domain package: ISU World Cup results, scored by each season's official rules.

Pure Python and pandas; it never imports Streamlit. A commentator can use it in a
notebook and get every number the dashboard shows::

    import standings
    season = standings.load_season("lt-wc", "2025-26")
    season.standings("men-500", after=2)
    season.medals()
    standings.seasons()  # what is loaded
"""

from standings.engine.cut import AsOf
from standings.engine.qualification import Hypothetical
from standings.errors import ImportRefused, ImpossibleResult, StandingsError, UnknownSelection
from standings.model import CIRCUITS, season_label
from standings.rules import Rules, rules_for
from standings.season import Season, load_season, season_from_store, seasons

__all__ = [
    "CIRCUITS",
    "AsOf",
    "Hypothetical",
    "ImportRefused",
    "ImpossibleResult",
    "Rules",
    "Season",
    "StandingsError",
    "UnknownSelection",
    "load_season",
    "rules_for",
    "season_from_store",
    "season_label",
    "seasons",
]
