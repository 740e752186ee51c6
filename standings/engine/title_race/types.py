"""The title race's public types: the races still to come, the standings going in, the answers."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Final, Literal

import pandas as pd

from standings.columns import TITLE_RACE, names

Status = Literal["clinched", "contender", "eliminated"]


@dataclass(frozen=True)
class RemainingRace:
    """One race still to come in a cup.

    Attributes:
        label: E.g. ``WC5 Inzell: 1st 500 m Men``.
        table: Points for 1st, 2nd, ... place, multiplier applied, cut at the field size.
        world_cup: The World Cup it belongs to, if known.
        final: Whether it is at the season's final event.
        provisional: Whether the table depends on a provisional rule (e.g. an unknown field size).
    """

    label: str
    table: tuple[int, ...]
    world_cup: int | None = None
    final: bool = False
    provisional: bool = False

    def __post_init__(self) -> None:
        if not self.table or any(p <= 0 for p in self.table):
            raise ValueError(f"{self.label}: a points table needs positive points, got {self.table}")
        if any(a <= b for a, b in itertools.pairwise(self.table)):
            raise ValueError(f"{self.label}: points must fall with every place, got {self.table}")


@dataclass(frozen=True)
class Counting:
    """Which results count: all (the default), or only the best ``best`` of at most ``most_races``.

    Attributes:
        best: Only a competitor's best ``best`` results count, or ``None`` for all.
        most_races: A competitor may start at most this many races in the season, or ``None``.
    """

    best: int | None = None
    most_races: int | None = None

    @property
    def every_result(self) -> bool:
        """Whether every result counts and starts are unlimited."""
        return self.best is None and self.most_races is None


@dataclass(frozen=True)
class Entry:
    """A competitor in a cup's standings, before the remaining races.

    Attributes:
        competitor: Competitor key (``jordan-stolz-usa``).
        name: Display name.
        nation: IOC code.
        points: Points so far (with ``Counting.best``: the best results' sum).
        wins: Race wins so far (the tie-break).
        results: Points of each race so far; needed only with best-N counting.
        races: Races started so far; needed only with a start limit.
    """

    competitor: str
    name: str
    nation: str
    points: int
    wins: int = 0
    results: tuple[int, ...] = ()
    races: int = 0


#: Anyone not yet in the standings: starts at nothing and may win every remaining race.
NEWCOMER: Final = Entry("", "a skater without points yet", "", 0, 0)


@dataclass(frozen=True)
class PlaceClause:
    """ "Finishes ``place``-th or better in at least ``races`` of the remaining races"."""

    place: int
    races: int


@dataclass(frozen=True)
class Contender:
    """One competitor's title chances.

    Attributes:
        entry: The competitor and its standing before the remaining races.
        rank: Current rank.
        max_points: The most points reachable.
        status: ``clinched`` (first alone whatever happens), ``contender`` (can still
            finish first, alone or shared) or ``eliminated``.
        reason: Why, in words, with the numbers that decide it.
        magic_number: Points that make the competitor sure of the cup whatever the
            others do (0 once clinched), or ``None`` when even winning every race is
            not enough, or when it is not computed (best-N counting).
        sure_if: The competitor is sure of the cup if it meets any one of these.
        sure_unless: ``(rival, clauses)``: whatever its own results, the competitor is
            sure of the cup unless some rival meets all of that rival's clauses. Empty
            when no such statement holds (or more than three rivals could overtake).
        needs: The competitor can only finish first if it meets all of these.
        needs_at_most: ``(rival, points)``: it can only finish first if that rival adds
            no more than these points.
        conditions: The statements above, as sentences.
    """

    entry: Entry
    rank: int
    max_points: int
    status: Status
    reason: str
    magic_number: int | None
    sure_if: tuple[PlaceClause, ...]
    sure_unless: tuple[tuple[str, tuple[PlaceClause, ...]], ...]
    needs: tuple[PlaceClause, ...]
    needs_at_most: tuple[str, int] | None
    conditions: tuple[str, ...]


@dataclass(frozen=True)
class TitleRace:
    """Every competitor's title chances in one cup, as of some World Cup.

    Attributes:
        cup: The cup's name.
        programme: The races still to come.
        contenders: One per competitor in the standings, by current rank.
        notes: What the answers assume or leave provisional.
    """

    cup: str
    programme: tuple[RemainingRace, ...]
    contenders: tuple[Contender, ...]
    notes: tuple[str, ...]

    @property
    def leader_magic_number(self) -> int | None:
        """The current leader's magic number (``None`` when there is no sole leader able to clinch)."""
        leaders = [c for c in self.contenders if c.rank == 1]
        return leaders[0].magic_number if len(leaders) == 1 else None

    def frame(self) -> pd.DataFrame:
        """One row per competitor: the columns of ``standings.columns.TITLE_RACE``."""
        rows = [
            {
                "rank": c.rank,
                "competitor": c.entry.competitor,
                "name": c.entry.name,
                "nation": c.entry.nation,
                "points": c.entry.points,
                "wins": c.entry.wins,
                "max_points": c.max_points,
                "status": c.status,
                "reason": c.reason,
                "magic_number": c.magic_number,
                "conditions": list(c.conditions),
            }
            for c in self.contenders
        ]
        frame = pd.DataFrame(rows, columns=names(TITLE_RACE))
        return frame.astype({"magic_number": "Int64"})
