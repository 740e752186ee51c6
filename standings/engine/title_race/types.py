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
class Finishes:
    """A competitor's places with points in the remaining races that share one points table.

    Attributes:
        table: The points table of those races.
        races: How many remaining races use that table.
        places: The places with points, best first (``(1, 5)``: a win and a 5th place);
            the other races of that table bring no points.
    """

    table: tuple[int, ...]
    races: int
    places: tuple[int, ...]

    @property
    def points(self) -> int:
        """The points these places earn."""
        return sum(self.table[p - 1] for p in self.places)

    @property
    def wins(self) -> int:
        """How many of these places are wins."""
        return self.places.count(1)


@dataclass(frozen=True)
class Path:
    """A chasing contender's least demanding way to the cup, and what the leader may then do.

    Every field is exact under the package's assumptions (see ``standings.engine.title_race``);
    "finishes first" means alone or shared, with everyone but the competitor and the leader
    arranged most favourably (scoring nothing more; the places nobody named takes go to
    skaters without points yet, one race each). Results are given per points table.

    Attributes:
        leader: The leader's competitor key (the rival ranked highest now).
        own: The least demanding own results from which the competitor can still finish first:
            the fewest races with points; among those, the fewest points; then the fewest wins;
            then, table by table (in the order of the programme), the most even places (the
            best place as low as possible, then the next ...). No results with points in
            fewer races, nor with fewer points in as many races, leave any way to the cup.
        leader_then: With exactly ``own``, the leader's results worth the most points that still
            let the competitor finish first (among equally many points: the fewest races with
            points, then table by table the best places first); no leader results worth more
            points do. No places: the leader must score nothing more.
        if_all_won: The same as ``leader_then`` when the competitor wins every remaining race;
            ``None`` when, winning every race, the competitor finishes first whatever the
            leader does.
    """

    leader: str
    own: tuple[Finishes, ...]
    leader_then: tuple[Finishes, ...]
    if_all_won: tuple[Finishes, ...] | None

    @property
    def wins_everything(self) -> bool:
        """Whether ``own`` is a win in every remaining race: the only way left."""
        return all(f.places == (1,) * f.races for f in self.own)


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
        path: For a contender behind the leader, the least demanding own results that still
            lead to the cup and what the leader may then do (``None`` otherwise, and with
            best-N counting).
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
    path: Path | None = None


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
