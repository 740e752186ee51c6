"""The sport's objects: events, races and results, and the columns of their tables.

Every stored table is declared once here, column by column (``RACE_TABLE``, ``RESULT_TABLE``
... ``STORED_TABLES``): its name, pandas dtype, meaning, and how the database keeps it. The
frames' dtypes (``RACE_COLUMNS``, ``RESULT_COLUMNS`` ...) are read off these declarations, the
store's SQLAlchemy tables are made from them (``standings.storage.tables``), and a test holds the
dataclasses (``Race``, ``Result`` ...) to them, so a column has one name and type everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Final, Literal, NamedTuple, get_args

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


class Stored(NamedTuple):
    """One column of a stored table: how frames hold it, what it means, how the database keeps it.

    Attributes:
        dtype: The pandas dtype in frames and in the shipped CSV files: ``string``, ``int64``,
            ``Int64`` (a whole number or empty) or ``bool``. The database's type follows from it:
            text (``VARCHAR(size)``, or ``TEXT`` without a size), ``INTEGER`` or ``BOOLEAN``.
        meaning: What the column holds, in words.
        size: The most characters the database keeps of a text column (``None``: any number).
        required: Whether every row has a value (``NOT NULL``); said of text columns only, as
            an ``int64`` or ``bool`` column and a key always have one.
        key: Whether the column is (part of) the table's primary key.
    """

    dtype: str
    meaning: str
    size: int | None = None
    required: bool = False
    key: bool = False

    @property
    def nullable(self) -> bool:
        """Whether the column may be empty (``NULL``)."""
        return not (self.key or self.required or self.dtype in ("int64", "bool"))


#: A stored table: its columns in the database's order.
StoredTable = dict[str, Stored]


def dtypes(table: StoredTable, names: Iterable[str] | None = None, *, without: Iterable[str] = ()) -> dict[str, str]:
    """The pandas dtypes of a stored table's columns: all of them in order, or ``names`` in theirs,
    less ``without``."""
    left_out = set(without)
    return {name: table[name].dtype for name in (table if names is None else names) if name not in left_out}


_COMPETITOR: Final = Stored(
    "string", "stable key of the skater or nation team (see standings.identity)", 128, required=True
)
_NATION: Final = Stored("string", "IOC code of the skater's or team's nation", 3, required=True)

#: The World Cup events, one row per event.
EVENT_TABLE: Final[StoredTable] = {
    "event_id": Stored("string", "the event's key, e.g. lt-wc/2025-26/wc1 (Race.event_id)", 64, key=True),
    "circuit": Stored("string", "circuit id, e.g. lt-wc (CIRCUITS)", 16, required=True),
    "season": Stored("string", "season, e.g. 2025-26", 7, required=True),
    "world_cup": Stored("int64", "the World Cup (event) number within the season"),
    "venue": Stored("string", "rink name as printed, e.g. Thialf", 128, required=True),
    "city": Stored("string", "city, e.g. Heerenveen", 64, required=True),
    "country": Stored("string", "host country (IOC code), e.g. NED", 3, required=True),
    "is_final": Stored("bool", "whether the event is the season's final"),
}

#: What names a race, and its day: columns of the races and of the schedule.
_RACE_KEY: Final[StoredTable] = {
    "circuit": EVENT_TABLE["circuit"],
    "season": EVENT_TABLE["season"],
    "world_cup": EVENT_TABLE["world_cup"],
    "distance": Stored("string", "the distance or discipline (DISTANCES)", 16, required=True),
    "gender": Stored("string", "women, men or mixed", 8, required=True),
    "division": Stored("string", "A or B", 1, required=True),
    "race_number": Stored("int64", "1 or 2 where the sheet numbers the race (2nd 500 m), 0 where it is raced once"),
    "day": Stored("string", "the day the race was skated (ISO date), empty where the source gives none", 10),
}
_RACE_ID: Final = Stored("string", "the race's stable key, e.g. lt-wc/2025-26/wc1/men-500-a-2 (Race.race_id)", 96)
_START: Final = Stored(
    "string", "when the race starts (ISO 8601 with the rink's UTC offset), where the source says", 32
)

#: The races, one row per race (a ``Race``, and what the store keeps of its import).
RACE_TABLE: Final[StoredTable] = {
    "race_id": _RACE_ID._replace(key=True),
    "event_id": EVENT_TABLE["event_id"]._replace(key=False, required=True),
    **_RACE_KEY,
    "venue": EVENT_TABLE["venue"],
    "city": EVENT_TABLE["city"],
    "country": EVENT_TABLE["country"],
    "source": Stored(
        "string", "where the results came from (the sheet's file name, the API resource)", 256, required=True
    ),
    "official": Stored("bool", "whether the source has declared the results official"),
    "updated": Stored("string", "when the source last changed the race (ISO 8601), where it says so", 32),
    "start": _START,
    "content_hash": Stored(
        "string", "fingerprint of the race as imported, to tell an unchanged re-import", 64, required=True
    ),
}

#: The results, one row per competitor and race (a ``Result``).
RESULT_TABLE: Final[StoredTable] = {
    "race_id": _RACE_ID._replace(key=True),
    "competitor": _COMPETITOR._replace(key=True),
    "row": Stored("int64", "the row's place in the source's order, from 1"),
    "rank": Stored("Int64", "the printed rank; tied competitors share it; empty when unranked"),
    "bib": Stored("Int64", "start number"),
    "name": Stored("string", "name as printed on this sheet (a nation's name for team events)", 128, required=True),
    "nation": _NATION,
    "status": Stored("string", "finished, DNF, DQ, DNS, WDR or NC (STATUSES)", 8, required=True),
    "time": Stored("string", "time as printed, e.g. 1:07.01(2)", 16),
    "time_behind": Stored("string", "time behind the winner as printed", 16),
    "official_points": Stored("Int64", "World Cup points printed on the sheet; empty when blank"),
    "points_marker": Stored("string", "a marker printed before the points, e.g. N for (N)44", 8),
    "annotations": Stored("string", "superscript codes printed after the name (T09, F), comma-separated", 64),
    "pair": Stored("Int64", "pair number (individual distances)"),
    "lane": Stored("string", "In or Out (individual distances)", 3),
    "laps": Stored("Int64", "laps completed (mass start)"),
    **{f"s{n}": Stored("Int64", f"points at sprint {n}, empty where blank (mass start)") for n in range(1, 5)},
    "sprint_total": Stored("Int64", "total sprint points (mass start)"),
    "heat": Stored("Int64", "race (heat) number of a team pursuit"),
    "finish_side": Stored("string", "straight the team finished on, Finish or Crossing (team pursuit)", 8),
    "round": Stored("string", "the latest round skated (short track: Final A, Semifinals, ...)", 24),
}

#: Short track: every row of every heat of a race, one row per row (a ``Heat``; the results are
#: the classification made from them).
HEAT_TABLE: Final[StoredTable] = {
    "race_id": _RACE_ID._replace(key=True),
    "row": Stored("int64", "the row's place in the source's order, from 1", key=True),
    "round": Stored("string", "the round: Heats, Quarterfinals, ..., Final A (ROUND_ORDER)", 24, required=True),
    "heat": Stored("int64", "heat number within the round, from 0 (0 for a final)"),
    "place": Stored("Int64", "place in the heat; empty for PEN, YC, DNF, DNS or a place lost by the source"),
    "competitor": _COMPETITOR,
    "status": Stored("string", "finished, or PEN, YC, DNF, DNS in place of a place (HEAT_STATUSES)", 8, required=True),
    "time": Stored("string", "time as printed", 16),
    "qualification": Stored("string", "Q, q, QA, QB, qA, qB, ADV, ADA or ADB (QUALIFICATION_CODES)", 4),
    "start_position": Stored("Int64", "position at the start line, where the source gives it"),
    "warning": Stored("string", "a warning given while the skater kept her place (YC), where the source gives it", 4),
}

#: Long track: every lap passage of every skater of a race, where the source gives them (a ``Lap``).
LAP_TABLE: Final[StoredTable] = {
    "race_id": _RACE_ID._replace(key=True),
    "competitor": _COMPETITOR._replace(key=True),
    "lap": Stored("int64", "the lap's number, from 1", key=True),
    "lap_time": Stored("string", "the lap's own time as given, e.g. 24.51", 16),
    "passage_time": Stored("string", "the time at the end of the lap, from the start, e.g. 41.126", 16),
    "rank": Stored("Int64", "the skater's rank among the race's skaters at that passage, where given"),
}

#: Every race an event's timetable announces, raced yet or not, with its start (a ``ScheduledRace``).
SCHEDULE_TABLE: Final[StoredTable] = {
    "race_id": _RACE_ID._replace(key=True),
    **_RACE_KEY,
    "start": _START,
    "source": Stored("string", "the timetable's entry the race was read from", 256, required=True),
}

#: What the importers noticed, one row per finding (a ``Finding``).
FINDING_TABLE: Final[StoredTable] = {
    "id": Stored("int64", "the finding's number, in the order recorded", key=True),
    "race_id": Stored("string", "the race, or empty for the whole source", 96),
    "source": Stored("string", "the file or API resource it was found in", 256, required=True),
    "kind": Stored("string", "what it is about (standings.model.FindingKind)", 16, required=True),
    "message": Stored("string", "what was found, in words", required=True),
}

#: A source's own id of a competitor (the results API's skater id), the strongest identity key
#: (a ``CompetitorId``).
COMPETITOR_ID_TABLE: Final[StoredTable] = {
    "source": Stored("string", "the source whose id it is, e.g. isu-api", 16, key=True),
    "source_id": Stored("string", "the source's own id of the competitor", 64, key=True),
    "competitor": _COMPETITOR,
    "name": Stored("string", "name as the source gives it", 128, required=True),
    "nation": _NATION,
}

#: The store's settings (the data version, when a season was last synced, ...).
META_TABLE: Final[StoredTable] = {
    "key": Stored("string", "the setting's name, e.g. data_version", 64, key=True),
    "value": Stored("string", "its value", required=True),
}

#: Every stored table, by its name in the database.
STORED_TABLES: Final[dict[str, StoredTable]] = {
    "events": EVENT_TABLE,
    "races": RACE_TABLE,
    "results": RESULT_TABLE,
    "heats": HEAT_TABLE,
    "laps": LAP_TABLE,
    "schedule": SCHEDULE_TABLE,
    "findings": FINDING_TABLE,
    "competitor_ids": COMPETITOR_ID_TABLE,
    "meta": META_TABLE,
}

#: What the store keeps about a race's import, besides the race itself.
RACE_IMPORT_COLUMNS: Final = ("official", "updated", "start", "content_hash")

#: Columns of a frame of races (the shipped races.csv), in order, with their dtypes: a race's own.
RACE_COLUMNS: Final[dict[str, str]] = dtypes(RACE_TABLE, without=RACE_IMPORT_COLUMNS)

#: Columns of a frame of results, in order, with their dtypes: the race, then a ``Result``'s
#: fields in their order, its sprint points as ``s1`` to ``s4`` (the stored ``row`` is read apart).
RESULT_COLUMNS: Final[dict[str, str]] = dtypes(
    RESULT_TABLE,
    [
        "race_id",
        *(
            name
            for f in fields(Result)
            for name in ([f"s{n}" for n in range(1, 5)] if f.name == "sprint_points" else [f.name])
        ),
    ],
)

#: Columns of the heats table (short track: every round's heats), in order, with their dtypes.
HEAT_COLUMNS: Final[dict[str, str]] = dtypes(HEAT_TABLE)

#: Columns of the laps table (long track: every lap passage the source gives), in order, with their dtypes.
LAP_COLUMNS: Final[dict[str, str]] = dtypes(LAP_TABLE)

#: Columns of the schedule table (every race an event's timetable announces), in order, with their dtypes.
SCHEDULE_COLUMNS: Final[dict[str, str]] = dtypes(SCHEDULE_TABLE)
