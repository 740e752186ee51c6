"""The sport's objects: events, races and results, and the columns of their tables.

The result and race columns are declared once here (``RACE_COLUMNS``,
``RESULT_COLUMNS``); importers, the store and the shipped text data all use
these declarations, so a column has one name everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal, get_args

Gender = Literal["women", "men", "mixed"]
Division = Literal["A", "B"]
#: NC (not classified) is a result the source gives a status code for whose meaning is not
#: documented (the ISU results API's codes other than 0); it never scores.
Status = Literal["finished", "DNF", "DQ", "DNS", "WDR", "NC"]
Distance = Literal[
    "500",
    "1000",
    "1500",
    "3000",
    "5000",
    "10000",
    "mass-start",
    "team-pursuit",
    "team-sprint",
    "relay-2000",
    "relay-3000",
    "relay-5000",
]

#: Circuit ids and their names.
CIRCUITS: Final[dict[str, str]] = {
    "lt-wc": "Long track · ISU World Cup Speed Skating",
    "st-wc": "Short track · ISU World Cup / World Tour",
    "st-jwc": "Short track · ISU Junior World Cup",
}


def source_kind(source: str) -> str:
    """What kind of source a race's ``source`` names, in words (figures' source lines, the Data page).

    >>> source_kind("wc4/8_result_men_1500_a_20251212213808.pdf")
    'official ISU result sheets'
    """
    if source.endswith(".pdf"):
        return "official ISU result sheets"
    if source.startswith("isu-api:"):
        return "the ISU results API"
    if source.endswith("rounds.csv"):
        return "a third-party scrape of the ISU's former short-track results site (every round)"
    if source.endswith("medals.json"):
        return "an unverified third-party podium file"
    if source.endswith(".csv"):
        return "a results CSV made by hand"
    return source


GENDERS: Final[tuple[str, ...]] = get_args(Gender)
#: Each distance's name as the sport writes it, in programme order.
DISTANCE_NAMES: Final[dict[str, str]] = {
    "500": "500 m",
    "1000": "1000 m",
    "1500": "1500 m",
    "3000": "3000 m",
    "5000": "5000 m",
    "10000": "10000 m",
    "mass-start": "Mass Start",
    "team-pursuit": "Team Pursuit",
    "team-sprint": "Team Sprint",
    "relay-2000": "2000 m Relay",
    "relay-3000": "3000 m Relay",
    "relay-5000": "5000 m Relay",
}
DIVISIONS: Final[tuple[str, ...]] = get_args(Division)
STATUSES: Final[tuple[str, ...]] = get_args(Status)
DISTANCES: Final[tuple[str, ...]] = get_args(Distance)
TEAM_DISTANCES: Final[frozenset[str]] = frozenset(
    {"team-pursuit", "team-sprint", "relay-2000", "relay-3000", "relay-5000"}
)

#: What a finding is about (the ``kind`` column of findings; tables and pages select by it):
#: ``podium-lost`` a podium place the source lost (medal tables are incomplete),
#: ``rows-lost`` other rows lost, ``duplicate`` a competitor twice in a heat,
#: ``relays-absent`` a source without relays (relay medals are missing),
#: ``races-merged`` two races the source does not tell apart, ``points-missing`` ranked rows
#: without printed points, ``points-differ`` printed points the rules table does not give and no
#: rules exception explains, ``venue`` a venue printed another way, ``check`` what a second source
#: (a results page, the results API) shows differently, ``identity`` a competitor merged across
#: sources or a near miss kept apart, ``unofficial`` results not official yet.
FindingKind = Literal[
    "podium-lost",
    "rows-lost",
    "duplicate",
    "relays-absent",
    "races-merged",
    "points-missing",
    "points-differ",
    "venue",
    "check",
    "identity",
    "unofficial",
]
FINDING_KINDS: Final[tuple[str, ...]] = get_args(FindingKind)
#: The words of the finding that a source holds no relay results.
RELAYS_ABSENT: Final = "relays are absent"

#: A short-track heat's qualification codes as the results print them, and what each means.
QualificationCode = Literal["Q", "q", "QA", "QB", "qA", "qB", "ADV", "ADA", "ADB"]
QUALIFICATION_CODES: Final[tuple[str, ...]] = get_args(QualificationCode)
QUALIFICATION_MEANINGS: Final[dict[str, str]] = {
    "Q": "qualified for the next round by place",
    "q": "qualified for the next round by time (the fastest of the others)",
    "QA": "qualified for Final A by place",
    "QB": "qualified for Final B by place",
    "qA": "qualified for Final A by time",
    "qB": "qualified for Final B by time",
    "ADV": "advanced by the referee (impeded by another skater)",
    "ADA": "advanced to Final A by the referee",
    "ADB": "advanced to Final B by the referee",
}
#: The codes a long-track result sheet prints beside a name, as the sheets' own legends explain
#: them (ISU World Cup Speed Skating 2025/26; the number in brackets is the ISU Special
#: Regulations rule). A short-track result's ``PEN`` and ``YC`` are its penalty words.
ANNOTATION_MEANINGS: Final[dict[str, str]] = {
    "F": "fell during the race",
    "RS": "reskate",
    "RW": "referee warning",
    "T02": "armband (right arm) or other identification missing or worn improperly (279.4)",
    "T04": "false start (253.4)",
    "T06": "interference: not keeping within the racing lane (254.3)",
    "T07": "crossing the demarcation line (254.4)",
    "T08": "not changing lanes, or an improper change of lanes (early or late crossing) (254.5)",
    "T09": "obstruction during crossing (254.6)",
    "T10": "cutting the inner line in the curve (254.7)",
    "T25": "serious obstruction of another skater (257.4.5)",
    "PEN": "penalty: disqualified (short track)",
    "YC": "yellow card: disqualified (short track)",
}

#: Short-track rounds from the latest to the earliest: a skater's classification group is the
#: latest round they skated in. Repechage rounds sit just behind their main round.
ROUND_ORDER: Final[tuple[str, ...]] = (
    "Final A",
    "Final B",
    "Semifinals",
    "Rep.Semifinals",
    "Quarterfinals",
    "Rep.Quarterfinals",
    "Repechage",
    "Heats",
    "Preliminaries",
)
FINALS: Final[tuple[str, ...]] = ("Final A", "Final B")
#: A short-track heat row's outcome: a place, or why there is none.
HEAT_STATUSES: Final[tuple[str, ...]] = ("finished", "PEN", "YC", "DNF", "DNS")

#: Statuses of a competitor who started the race.
STARTED_STATUSES: Final[frozenset[str]] = frozenset({"finished", "DNF", "DQ", "NC"})


def is_number(text: str) -> bool:
    """Whether ``text`` is a whole number in ASCII digits, as ``int()`` reads it everywhere here.

    >>> is_number("12"), is_number("¹"), is_number("١٢"), is_number("")
    (True, False, False, False)
    """
    return text.isascii() and text.isdigit()


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``21st``: the one ordinal of the package."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def race_name(distance: str, gender: str, race_number: int = 0) -> str:
    """A race as the sport names it: ``500 m Men``, or ``2nd 500 m Men`` when the event holds several."""
    what = DISTANCE_NAMES.get(distance, f"{distance} m")
    if race_number:
        what = f"{ordinal(race_number)} {what}"
    return f"{what} {gender.title()}"


_TIME_RE = re.compile(r"^(?:(?P<min>\d{1,2}):)?(?P<sec>\d{1,2})\.(?P<frac>\d{1,3})(?:\((?P<thou>\d)\))?$")


#: Each circuit's discipline.
DISCIPLINES: Final[dict[str, Literal["long_track", "short_track"]]] = {
    "lt-wc": "long_track",
    "st-wc": "short_track",
    "st-jwc": "short_track",
}


def season_label(season_id: str) -> str:
    """A season as the sport writes it: ``2025-26`` → ``2025/26``."""
    return season_id.replace("-", "/")


def season_of(day: date) -> str:
    """The season a date belongs to, e.g. ``2025-26`` for 14 November 2025.

    A skating season runs from July to June.
    """
    start = day.year if day.month >= 7 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def time_seconds(text: str) -> float:
    """Seconds from a race time as a source writes it: the one reader of times.

    Args:
        text: ``37.78``, ``1:05.66`` or ``1:07.01(2)`` as the ISU sheets print it (the digit in
            brackets is the thousandth); ``1:07.606``, ``16.61`` as the results API and the
            short-track results give it.

    Returns:
        The time in seconds, rounded to the thousandth.

    Raises:
        ValueError: If the text is not a race time (``1:4x.12``, ``DQ``), has seconds of 60 or
            more after a minute part, or a bracketed thousandth after other than two decimals.
    """
    match = _TIME_RE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a time")
    minutes = int(match["min"] or 0)
    seconds = int(match["sec"])
    if match["min"] is not None and seconds >= 60:
        raise ValueError(f"{text!r} is not a time: {seconds} seconds after the minutes")
    fraction = match["frac"]
    if match["thou"] is not None:
        if len(fraction) != 2:
            raise ValueError(f"{text!r} is not a time: a thousandth in brackets after {len(fraction)} decimals")
        fraction += match["thou"]
    return round(minutes * 60 + seconds + int(fraction) / float(10 ** len(fraction)), 3)


def clock(seconds: float) -> str:
    """A time in seconds as the results print it, to the thousandth: ``85.384`` → ``1:25.384``,
    ``41.5`` → ``41.500``."""
    thousandths = round(seconds * 1000)
    minutes, rest = divmod(thousandths, 60_000)
    whole, part = divmod(rest, 1000)
    return f"{minutes}:{whole:02d}.{part:03d}" if minutes else f"{whole}.{part:03d}"


def heat_number(round_name: str, heat: int) -> int | None:
    """A short-track heat's number as the sport gives it: from 1 within its round; ``None`` for a
    final, which its round names (Final A, Final B).

    The stored heat is the source's index within the round, from 0 (``HeatResult.heat``).
    """
    return None if round_name in FINALS else heat + 1


def heat_name(round_name: str, heat: int) -> str:
    """A short-track heat as the sport names it: ``Quarterfinals heat 2``; a final by its name, ``Final A``."""
    number = heat_number(round_name, heat)
    return round_name if number is None else f"{round_name} heat {number}"


def time_or_none(value: object) -> float | None:
    """``time_seconds`` of a value that may hold no time: ``None`` for none (``None``, NA, empty,
    a status such as ``DQ``) or for text that is not a time."""
    if not isinstance(value, str):
        return None
    try:
        return time_seconds(value.strip())
    except ValueError:
        return None


def race_key(
    circuit: str, season: str, world_cup: int, gender: str, distance: str, division: str, race_number: int
) -> str:
    """A race's stable key, e.g. ``lt-wc/2025-26/wc1/men-500-a-2`` (see ``Race.race_id``)."""
    number = f"-{race_number}" if race_number else ""
    return f"{circuit}/{season}/wc{world_cup}/{gender}-{distance}-{division.lower()}{number}"


@dataclass(frozen=True)
class Race:
    """One race: a distance for one gender and division at one World Cup.

    Attributes:
        circuit: Circuit id, e.g. ``lt-wc`` for the ISU World Cup Speed Skating.
        season: Season, e.g. ``2025-26``.
        world_cup: The World Cup (event) number within the season.
        distance: The distance or discipline.
        gender: ``women``, ``men`` or ``mixed``.
        division: ``A`` or ``B``.
        race_number: 1 or 2 where the sheet numbers the race ("1st 500m", "2nd 500m"),
            0 where the distance is raced once at the event.
        day: The day the race was skated, or ``None`` where the source gives no date.
        venue: Rink name as printed, e.g. ``Thialf``.
        city: City, e.g. ``Heerenveen``.
        country: Host country (IOC code), e.g. ``NED``.
        source: Where the results came from (the sheet's file name).
    """

    circuit: str
    season: str
    world_cup: int
    distance: str
    gender: str
    division: str
    race_number: int
    day: date | None
    venue: str
    city: str
    country: str
    source: str

    @property
    def race_id(self) -> str:
        """The race's stable key, e.g. ``lt-wc/2025-26/wc1/men-500-a-2``."""
        return race_key(
            self.circuit, self.season, self.world_cup, self.gender, self.distance, self.division, self.race_number
        )

    @property
    def event_id(self) -> str:
        """The World Cup event's key, e.g. ``lt-wc/2025-26/wc1``."""
        return f"{self.circuit}/{self.season}/wc{self.world_cup}"

    @property
    def title(self) -> str:
        """A human title, e.g. ``WC1 Salt Lake City - 2nd 500 m Men Division B``."""
        what = race_name(self.distance, self.gender, self.race_number)
        return f"WC{self.world_cup} {self.city} - {what} Division {self.division}"


@dataclass(frozen=True)
class Result:
    """One competitor's result in one race, as printed on the official sheet.

    Attributes:
        rank: The printed rank; tied competitors share it; ``None`` when unranked.
        bib: Start number.
        competitor: Stable key of the skater or nation team (see ``standings.identity``).
        name: Name as printed on this sheet (a nation's name for team events).
        nation: IOC code of the skater's or team's nation.
        status: ``finished``, ``DNF``, ``DQ``, ``DNS`` or ``WDR``.
        time: Time as printed (``1:07.01(2)``), or ``None``.
        time_behind: Time behind the winner as printed, or ``None``.
        official_points: World Cup points printed on the sheet, or ``None`` when blank.
        points_marker: A marker printed before the points, e.g. ``N`` for ``(N)44``.
        annotations: Superscript codes printed after the name (``T09``, ``F``).
        pair: Pair number (individual distances).
        lane: ``In`` or ``Out`` (individual distances).
        laps: Laps completed (mass start).
        sprint_points: Points per sprint, S1 to S4, ``None`` where blank (mass start).
        sprint_total: Total sprint points (mass start).
        heat: Race (heat) number of a team pursuit.
        finish_side: Straight the team finished on, ``Finish`` or ``Crossing`` (team pursuit).
        round: The latest round skated (short track: ``Final A``, ``Semifinals``, ...).
    """

    rank: int | None
    bib: int | None
    competitor: str
    name: str
    nation: str
    status: str
    time: str | None = None
    time_behind: str | None = None
    official_points: int | None = None
    points_marker: str | None = None
    annotations: tuple[str, ...] = ()
    pair: int | None = None
    lane: str | None = None
    laps: int | None = None
    sprint_points: tuple[int | None, ...] = field(default=())
    sprint_total: int | None = None
    heat: int | None = None
    finish_side: str | None = None
    round: str | None = None


#: Columns of the races table, in order, with their dtypes.
RACE_COLUMNS: Final[dict[str, str]] = {
    "race_id": "string",
    "event_id": "string",
    "circuit": "string",
    "season": "string",
    "world_cup": "int64",
    "distance": "string",
    "gender": "string",
    "division": "string",
    "race_number": "int64",
    "day": "string",
    "venue": "string",
    "city": "string",
    "country": "string",
    "source": "string",
}

#: Columns of the results table, in order, with their dtypes.
RESULT_COLUMNS: Final[dict[str, str]] = {
    "race_id": "string",
    "rank": "Int64",
    "bib": "Int64",
    "competitor": "string",
    "name": "string",
    "nation": "string",
    "status": "string",
    "time": "string",
    "time_behind": "string",
    "official_points": "Int64",
    "points_marker": "string",
    "annotations": "string",
    "pair": "Int64",
    "lane": "string",
    "laps": "Int64",
    "s1": "Int64",
    "s2": "Int64",
    "s3": "Int64",
    "s4": "Int64",
    "sprint_total": "Int64",
    "heat": "Int64",
    "finish_side": "string",
    "round": "string",
}


@dataclass(frozen=True)
class Heat:
    """One skater's (or relay team's) row in one heat of a short-track round, as the source prints it.

    Attributes:
        competitor: Stable key of the skater or team.
        round: The round: ``Heats``, ``Quarterfinals``, ``Rep.Semifinals``, ``Final A`` (see
            ``sources.short_track.classification.ROUND_ORDER``).
        heat: Heat number within the round (0 for a final).
        place: Place in the heat, or ``None`` (PEN, YC, DNF, DNS, or lost by the source).
        status: One of ``HEAT_STATUSES``: ``finished``, or ``PEN``, ``YC``, ``DNF``, ``DNS`` in place of a place.
        time: Time as printed, or ``None``.
        qualification: One of ``QUALIFICATION_CODES`` (``Q``, ``q``, ``QA``, ``ADV`` ...), or ``None``.
        start_position: Position at the start line, where the source gives it.
        warning: A warning given while the skater kept her place (``YC``), where the source gives it.
    """

    competitor: str
    round: str
    heat: int
    place: int | None
    status: str
    time: str | None
    qualification: str | None = None
    start_position: int | None = None
    warning: str | None = None


#: Columns of the heats table (short track: every round's heats), in order, with their dtypes.
HEAT_COLUMNS: Final[dict[str, str]] = {
    "race_id": "string",
    "row": "int64",
    "round": "string",
    "heat": "int64",
    "place": "Int64",
    "competitor": "string",
    "status": "string",
    "time": "string",
    "qualification": "string",
    "start_position": "Int64",
    "warning": "string",
}


@dataclass(frozen=True)
class Lap:
    """One skater's passage of one lap of a long-track race, as the ISU results API gives it.

    The first "lap" of a distance is the opening stretch to the first passage (100 m in the
    500 m, 200 m in the 1000 m, 300 m in the 1500 m); the others are 400 m each.

    Attributes:
        competitor: Stable key of the skater or team.
        lap: The lap's number, from 1.
        lap_time: The lap's own time as given (``24.51``), or ``None``.
        passage_time: The time at the end of the lap, from the start (``41.126``), or ``None``.
        rank: The skater's rank among the race's skaters at that passage, where given.
    """

    competitor: str
    lap: int
    lap_time: str | None
    passage_time: str | None
    rank: int | None = None


#: Columns of the laps table (long track: every lap passage the source gives), in order, with their dtypes.
LAP_COLUMNS: Final[dict[str, str]] = {
    "race_id": "string",
    "competitor": "string",
    "lap": "int64",
    "lap_time": "string",
    "passage_time": "string",
    "rank": "Int64",
}


@dataclass(frozen=True)
class ScheduledRace:
    """A race of an event's timetable as the source announces it, raced yet or not (the API's schedule).

    Attributes:
        race: The race (its ``source`` names the schedule's entry).
        start: When it starts (ISO 8601 with the rink's UTC offset), or ``None``.
    """

    race: Race
    start: str | None


@dataclass(frozen=True)
class Timetable:
    """An event's timetable: every race it announces, raced yet or not.

    Attributes:
        circuit: E.g. ``lt-wc``.
        season: E.g. ``2026-27``.
        world_cup: The event's number in the season.
        races: The races (each of that event), with their starts.
    """

    circuit: str
    season: str
    world_cup: int
    races: tuple[ScheduledRace, ...]


#: Columns of the schedule table (every race an event's timetable announces), in order, with their dtypes.
SCHEDULE_COLUMNS: Final[dict[str, str]] = {
    **{name: RACE_COLUMNS[name] for name in ("race_id", "circuit", "season", "world_cup", "distance", "gender")},
    **{name: RACE_COLUMNS[name] for name in ("division", "race_number", "day")},
    "start": "string",
    "source": "string",
}


@dataclass(frozen=True)
class Finding:
    """Something an importer noticed about a race: ``Finding("podium-lost", "... lacks podium place 1")``."""

    kind: FindingKind
    message: str


@dataclass(frozen=True)
class CompetitorId:
    """A source's own id of a competitor: ``CompetitorId("isu-api", "537", "erben-wennemars-ned", ...)``."""

    source: str
    source_id: str
    competitor: str
    name: str
    nation: str


@dataclass(frozen=True)
class RaceImport:
    """One race ready to be written: everything read from one file (or one API response).

    Attributes:
        race: The race.
        results: Its results, in the sheet's order.
        findings: Data-quality findings recorded with it.
        is_final: Whether the race's event is the season's final.
        official: Whether the source has declared the results official.
        updated: When the source last changed the race (ISO 8601), where it says so.
        identities: The source's own ids of the race's competitors, stored with the race.
        heats: Short track: every row of every heat of the race (the results are its classification).
        laps: Long track: every lap passage of every skater, where the source gives them (the API).
        start: When the race starts (ISO 8601 with the rink's UTC offset), where the source says.
    """

    race: Race
    results: tuple[Result, ...]
    findings: tuple[Finding, ...] = ()
    is_final: bool = False
    official: bool = True
    updated: str | None = None
    identities: tuple[CompetitorId, ...] = ()
    heats: tuple[Heat, ...] = ()
    laps: tuple[Lap, ...] = ()
    start: str | None = None
