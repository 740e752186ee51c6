"""Short-track race classification: from every round's heats to one final order.

The rule implemented (the ISU Special Regulations for short track as far as they are
known to the project; research notes, not a published text): Final A decides places 1 to n and its top three
win the medals; Final B ranks next; every other skater is classified by the
round in which they were eliminated, later rounds first. A skater penalised
(PEN), yellow-carded (YC), who did not finish (DNF) or did not start (DNS) gets
no place in that heat.

Provisional parts (not confirmed by a source, marked in ``CLASSIFICATION_NOTES``):
- a Final A or Final B skater without a place stands after that final's placed skaters;
- skaters eliminated in the same round are ordered by their place in their heat,
  then by time; without a place they come last in that round;
- a main round's losers rank ahead of the losers of the repechage at the same stage.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from standings.model import FINALS, ROUND_ORDER, Heat, Result, time_or_none

NO_PLACE: Final = frozenset({"PEN", "YC", "DNF", "DNS"})
CLASSIFICATION_NOTES: Final = (
    "A finalist without a place (PEN, YC, DNF, DNS) is classified after that final's placed skaters (provisional).",
    "Skaters eliminated in the same round are ordered by heat place, then time (provisional).",
    "Losers of a main round rank ahead of losers of the repechage at the same stage (provisional).",
)


#: One row of one heat (the core's ``Heat``; the name the classification has always used).
HeatResult = Heat


@dataclass(frozen=True)
class Classified:
    """A skater's place in the race's final classification.

    Attributes:
        competitor: The skater or team.
        place: Final place (ties share it), or ``None`` when unplaced in Final A/B.
        round: The latest round skated (``Final A`` for the medallists' group).
        status: The status in that round.
    """

    competitor: str
    place: int | None
    round: str
    status: str


def seconds(time: str | None) -> float:
    """A short-track time in seconds, or infinity when absent or unreadable."""
    value = time_or_none(time)
    return math.inf if value is None else value


def classify(rows: Sequence[HeatResult]) -> list[Classified]:
    """The final classification of one race from all its heats.

    Args:
        rows: Every heat row of the race (all rounds).

    Returns:
        One entry per competitor, best first. Places are competition ranks:
        skaters equal on every criterion share the place and the next is skipped
        (a dead heat for 3rd gives two 3rd places and no 4th).
    """
    latest: dict[str, HeatResult] = {}
    for row in rows:
        if row.round not in ROUND_ORDER:
            raise ValueError(f"unknown round {row.round!r}")
        current = latest.get(row.competitor)
        if current is None or ROUND_ORDER.index(row.round) < ROUND_ORDER.index(current.round):
            latest[row.competitor] = row

    def key(row: HeatResult) -> tuple[int, int, int, float]:
        stage = ROUND_ORDER.index(row.round)
        placed = 0 if row.place is not None else 1
        return (stage, placed, row.place or 0, seconds(row.time) if row.round not in FINALS else 0.0)

    final_a = [r for r in latest.values() if r.round == "Final A"]
    # Everyone behind Final A is placed after all of its rows: a row the source lost from
    # Final A must not hand its place (or a medal) to a Final B skater.
    offset = max([len(final_a), *(r.place for r in final_a if r.place is not None)])
    result = [
        Classified(r.competitor, r.place, r.round, r.status)
        for r in sorted(final_a, key=lambda r: (r.place is None, r.place or 0, r.competitor))
    ]
    others = sorted((r for r in latest.values() if r.round != "Final A"), key=lambda r: (key(r), r.competitor))
    previous: tuple[int, int, int, float] | None = None
    place = 0
    for position, row in enumerate(others, start=offset + 1):
        current_key = key(row)
        if current_key != previous:
            place = position
            previous = current_key
        unplaced_finalist = row.round in FINALS and row.place is None
        result.append(Classified(row.competitor, None if unplaced_finalist else place, row.round, row.status))
    return result


def podium(rows: Sequence[HeatResult]) -> list[tuple[str, int]]:
    """The medallists: Final A skaters placed 1st to 3rd, with their place (dead heats share)."""
    return [(r.competitor, r.place) for r in rows if r.round == "Final A" and r.place is not None and r.place <= 3]


def classified_results(
    heats: Sequence[HeatResult],
    *,
    names: Mapping[str, str],
    nations: Mapping[str, str],
    keys: Mapping[str, str] | None = None,
) -> tuple[Result, ...]:
    """A race's results as stored: its classification, with the time and heat of each skater's latest round.

    PEN and YC are stored as DQ with the code kept as an annotation.

    Args:
        heats: Every heat row of the race.
        names: Competitor to name as the source prints it.
        nations: Competitor to IOC code.
        keys: Competitor to the key to store (e.g. a relay's team key); default: the same.
    """
    results = []
    # Each competitor's first row in each round, found once (a scan per competitor was quadratic).
    first: dict[tuple[str, str], HeatResult] = {}
    for heat in heats:
        first.setdefault((heat.competitor, heat.round), heat)
    for entry in classify(heats):
        latest = first[(entry.competitor, entry.round)]
        results.append(
            Result(
                rank=entry.place,
                bib=None,
                competitor=(keys or {}).get(entry.competitor, entry.competitor),
                name=names[entry.competitor],
                nation=nations[entry.competitor],
                status="DQ" if entry.status in ("PEN", "YC") else entry.status,
                time=latest.time,
                annotations=(entry.status,) if entry.status in ("PEN", "YC") else (),
                heat=latest.heat,
                round=entry.round,
            )
        )
    return tuple(results)
