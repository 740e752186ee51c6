"""What the ISU results API gives, in the project's own words: events, races, results.

Frozen dataclasses (``ApiEvent``, ``ApiRace``, ``ApiResult``; distances, genders and divisions as in
``standings.model``), the client's errors and the season numbering. Plain Python: no HTTP, no
validation library (``wire`` reads the responses, ``normalise`` makes these of them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from standings.errors import StandingsError, UnknownSelection

_SEASON_RE: Final = re.compile(r"^(?P<start>\d{4})-(?P<end>\d{2})$")


class IsuApiError(StandingsError):
    """The API could not give what was asked.

    Args:
        url: The URL asked for.
        problem: What went wrong, in words a user can act on.
    """

    def __init__(self, url: str, problem: str) -> None:
        self.url = url
        self.problem = problem
        super().__init__(f"{url}: {problem}")


class IsuApiUnavailable(IsuApiError):
    """The API did not answer usefully, even after the retries (timeouts, 429, 5xx, no connection)."""


class IsuApiNotFound(IsuApiError):
    """The API answered 404: the event or race is not (or no longer) there."""


def api_season(season: str) -> int:
    """The API's season number for a season id: the year the season ends.

    Args:
        season: A season id, e.g. ``2011-12``.

    Returns:
        E.g. ``2012``.

    Raises:
        UnknownSelection: If ``season`` is not two consecutive years like ``2011-12``.
    """
    match = _SEASON_RE.match(season)
    if match is None or (int(match["start"]) + 1) % 100 != int(match["end"]):
        raise UnknownSelection(f"season {season!r} is not a season like 2011-12")
    return int(match["start"]) + 1


def season_id(api_season_number: int) -> str:
    """The season id for the API's season number, e.g. ``2011-12`` for ``2012``."""
    start = api_season_number - 1
    return f"{start}-{api_season_number % 100:02d}"


@dataclass(frozen=True)
class ApiEvent:
    """A World Cup event as the API lists it.

    Attributes:
        isu_id: The API's event id, e.g. ``2012_NED_0001``.
        name: E.g. ``ISU World Cup Speed Skating``.
        season: Season id, e.g. ``2011-12``.
        world_cup: The event's number within the season, by start date among the events
            held; ``0`` for a cancelled event (not numbered).
        start: First day.
        end: Last day.
        venue: Rink name, e.g. ``Thialf``.
        city: E.g. ``Heerenveen``.
        country: Host nation (IOC code), e.g. ``NED``.
        time_zone: The rink's IANA time zone, e.g. ``Europe/Amsterdam`` (the track's ``timeZone``,
            else ``RINK_TIME_ZONES`` by city), or ``None``.
        is_final: Whether the event is tagged ``final`` (the season's final).
        cancelled: Whether the API marks the event cancelled.
        tags: The API's tags, e.g. ``("world-cup", "senior", "final")``.
    """

    isu_id: str
    name: str
    season: str
    world_cup: int
    start: date
    end: date
    venue: str
    city: str
    country: str
    time_zone: str | None
    is_final: bool
    cancelled: bool
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Calendar:
    """A season's World Cup events.

    Attributes:
        season: Season id, e.g. ``2011-12``.
        events: Events held or to be held, in World Cup order (``world_cup`` 1, 2, ...).
        cancelled: Events the API marks cancelled (``world_cup`` 0); they have no races.
        others: How many events of the season were not senior World Cups (ignored).
        pages: How many pages of the listing were read.
        notes: What the listing held twice and was counted once (an event listed twice is one
            World Cup, never two).
    """

    season: str
    events: tuple[ApiEvent, ...]
    cancelled: tuple[ApiEvent, ...]
    others: int
    pages: int
    notes: tuple[str, ...] = ()

    def event(self, world_cup: int) -> ApiEvent:
        """The event with this World Cup number.

        Raises:
            UnknownSelection: If the season has no such World Cup.
        """
        for event in self.events:
            if event.world_cup == world_cup:
                return event
        raise UnknownSelection(f"{self.season} has no World Cup #{world_cup} (it has {len(self.events)})")


@dataclass(frozen=True)
class ApiRace:
    """One race (a "competition" in the API) of an event.

    Attributes:
        event: The event.
        schedule_number: The race's number in the event's programme (the API's ``scheduleNumber``).
        title: As the API gives it, e.g. ``1st 500m Women``.
        distance: In ``standings.model`` terms: ``500`` ... ``10000``, ``mass-start``,
            ``team-pursuit``, ``team-sprint``.
        gender: ``women`` or ``men`` (from the category F/M).
        division: ``A`` or ``B``, from the ``division`` field or else the title
            ("... Division B"); ``A`` where neither gives one.
        race_number: 1 or 2 for "1st 500m" / "2nd 500m", 0 for a distance raced once.
        official: Whether the API marks the race's results official.
        last_update: The API's ``lastUpdate`` (or else ``modified``), or ``None``: a sync skips a
            race whose ``last_update`` and ``official`` did not change since it last read it.
        start: When the race starts (timezone-aware; in the rink's time zone where it is known),
            or ``None``; old races give only a day.
        day: The race day at the rink (local time where the rink's time zone is known).
        lap_count: The laps of the distance (``distance.lapCount``: 16 for a mass start), or ``None``.
        live: Whether the API marks the race as being skated now (``isLive``).
    """

    event: ApiEvent
    schedule_number: int
    title: str
    distance: str
    gender: str
    division: str
    race_number: int
    official: bool
    last_update: datetime | None
    start: datetime | None
    day: date | None
    lap_count: int | None = None
    live: bool = False

    @property
    def kind(self) -> str:
        """The race kind the rules files use, e.g. ``women-500``."""
        return f"{self.gender}-{self.distance}"

    @property
    def results_path(self) -> str:
        """The results endpoint's path, below the base URL, as the client asks for it."""
        return f"/events/{self.event.isu_id}/competitions/{self.schedule_number}/results/?inSeconds=0"


@dataclass(frozen=True)
class Programme:
    """An event's races.

    Attributes:
        event: The event.
        races: The races the client understands, in schedule order.
        unsupported: One sentence per race left out (a distance or category the project
            does not know), naming the race.
    """

    event: ApiEvent
    races: tuple[ApiRace, ...]
    unsupported: tuple[str, ...]


@dataclass(frozen=True)
class ApiLap:
    """One lap passage of one competitor, as the API gives it (``laps[]`` of a result row).

    Attributes:
        number: The lap's number, from 1 (the first is the opening stretch: 200 m in a 1000 m).
        time: The lap's own time (``24.51``), or ``None``.
        passage_time: The time from the start at the end of the lap (``41.126``), or ``None``.
        rank: The competitor's rank at that passage, or ``None``.
        sprint_points: Mass start: the sprint points won at the end of this lap
            (``laps[].sprintPoints``), or ``None``.
    """

    number: int
    time: str | None
    passage_time: str | None
    rank: int | None
    sprint_points: int | None = None


@dataclass(frozen=True)
class ApiResult:
    """One competitor's result in a race.

    Attributes:
        row: The row's 1-based place in the API's response.
        skater_id: The API's skater id, or ``None`` for a team.
        first_name: The skater's first name ("" for a team).
        last_name: The skater's last name, or the team's name.
        nation: IOC code of the skater's or team's nation.
        rank: The rank as given (tied competitors share it), or ``None``.
        status: The API's status code: 0 normal; 2 a disqualification (checked by a public
            client of the API against the published result); any other code is a non-scoring
            result whose meaning is not documented. Old responses have no status: a ranked row
            there is 0.
        time: The time as given (``1:07.606``), or ``None`` (a rank without a time is kept).
        time_seconds: The time in seconds, or ``None``.
        time_behind: Time behind the winner as given (``0.239``), or ``None``.
        pair: The API's ``startNumber``, which is the pair the skater started in (both skaters of a
            pair share it, lane In and Out), or ``None``; meaningful for individual distances only.
        bib: The competitor's number (``competitor.number``), or ``None`` (old responses have none).
        lane: ``In`` or ``Out`` (individual distances), or ``None``.
        laps: The lap passages, in lap order, where the API gives them (empty otherwise).
        bib: The competitor's number (``competitor.number``), or ``None``.
        sprint_points: Mass start: the points of each sprint in order (for 16 laps, the
            intermediate sprints after laps 4, 8 and 12, then the final sprint), ``None`` for a
            sprint the skater did not reach or the API gives no points for; empty elsewhere.
    """

    row: int
    skater_id: int | None
    first_name: str
    last_name: str
    nation: str
    rank: int | None
    status: int
    time: str | None
    time_seconds: float | None
    time_behind: str | None
    pair: int | None
    lane: str | None
    laps: tuple[ApiLap, ...] = ()
    bib: int | None = None
    sprint_points: tuple[int | None, ...] = ()

    @property
    def is_team(self) -> bool:
        """Whether the result is a team's."""
        return self.skater_id is None

    @property
    def name(self) -> str:
        """The name as the sheets print it: ``Jordan STOLZ``, or the team's name."""
        if self.is_team:
            return self.last_name
        return f"{self.first_name} {self.last_name.upper()}".strip()

    @property
    def scoring(self) -> bool:
        """Whether the result can score World Cup points: ranked, with status 0."""
        return self.rank is not None and self.status == 0


@dataclass(frozen=True)
class RaceResults:
    """A race's results as the API gives them now.

    Attributes:
        race: The race.
        results: Rows that are results (ranked, or with a status), in the API's order.
        pending: Rows without rank and status: skaters who have not raced yet.
        not_modified: Whether the server answered 304 (nothing changed since the cached copy).
    """

    race: ApiRace
    results: tuple[ApiResult, ...]
    pending: int
    not_modified: bool

    @property
    def in_progress(self) -> bool:
        """Whether the race is not final yet: not official, or skaters still to race."""
        return not self.race.official or self.pending > 0
