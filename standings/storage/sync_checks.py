"""What a sync of the ISU results API checks against the store before it writes.

An event of the API is the World Cup its number names in the store only if it is the same
event (``event_conflict``), and a race the store holds from an official sheet is compared with
the API's, never replaced (``sheet_differences``). Plain functions of the store's tables.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Final

import pandas as pd

from standings.model import RaceImport
from standings.sources.isu_api import ApiEvent
from standings.sources.isu_api.races import API_SOURCE

#: An event counts as on from the day before its first day to the day after its last.
EVENT_MARGIN: Final = timedelta(days=1)


def sheet_differences(season_results: pd.DataFrame, item: RaceImport) -> list[str]:
    """Where the API's results of a race differ from the stored official sheet's.

    Args:
        season_results: The stored results of the race's season (``Store.results``).
        item: The race as the API gives it.
    """
    stored = season_results[season_results["race_id"] == item.race.race_id]
    ranks = {
        str(c): (None if pd.isna(r) else int(r)) for c, r in zip(stored["competitor"], stored["rank"], strict=True)
    }
    names = dict(zip(stored["competitor"], stored["name"], strict=True))
    found = []
    for result in item.results:
        if result.competitor not in ranks:
            found.append(f"the API lists {result.name} ({result.nation}), the sheet does not")
            continue
        rank = ranks[result.competitor]
        if rank != result.rank:
            found.append(f"{result.name}: the API ranks {result.rank}, the sheet {rank}")
    missing = set(ranks) - {r.competitor for r in item.results}
    found.extend(f"the sheet lists {names[c]}, the API does not" for c in sorted(missing))
    return [f"API: {m}" for m in found]


def _fold(text: str) -> str:
    """A rink's or city's name for comparing: accents, case and spacing left out."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def event_conflict(races: pd.DataFrame, listed: ApiEvent) -> str | None:
    """Why the API's event cannot be the World Cup its number names in the store, or ``None``.

    A World Cup the store holds from another source (the official sheets) is the API's event of
    that number only if it is the same event: its race days within the event's dates, at the same
    rink (city or venue). Otherwise the API's numbering differs from the store's (an event
    missing from the API's listing, or one the sheets do not have), and storing the API's races
    there would mix two events into one World Cup.

    Args:
        races: The season's stored races (``Store.races``).
        listed: The API's event.
    """
    here = races[(races["world_cup"] == listed.world_cup) & ~races["source"].astype(str).str.startswith(API_SOURCE)]
    if here.empty:
        return None
    days = sorted({date.fromisoformat(str(d)) for d in here["day"].dropna()})
    cities = {_fold(str(c)) for c in here["city"].dropna()}
    venues = {_fold(str(v)) for v in here["venue"].dropna()}
    same_rink = _fold(listed.city) in cities or _fold(listed.venue) in venues
    same_days = all(listed.start - EVENT_MARGIN <= d <= listed.end + EVENT_MARGIN for d in days)
    if same_rink and same_days:
        return None
    city = str(here["city"].iloc[0])
    held = f"{days[0]} to {days[-1]}" if days else "no dates"
    return (
        f"World Cup #{listed.world_cup} is stored from official sheets ({city}, {held}); the API's event of that "
        f"number ({listed.city}, {listed.start} to {listed.end}) is another event: refused, nothing stored changes "
        "(the API's listing and the sheets number the season's events differently)"
    )
