"""From the API's rows (``wire``) to the client's objects (``types``): distances, genders,
divisions, race numbers and start times in the project's words, every time and lap checked."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from standings.errors import ImportRefused
from standings.model import time_seconds
from standings.sources.isu_api.types import ApiEvent, ApiLap, ApiRace, ApiResult
from standings.sources.isu_api.wire import _Competition, _Event, _Row, _Track

_ORDINAL_RE: Final = re.compile(r"(?:^|\s)(?P<number>\d)(?:st|nd|rd|th)\s", re.IGNORECASE)
_DIVISION_RE: Final = re.compile(r"\bDivision (?P<division>[AB])\b")
_INDIVIDUAL_DISTANCES: Final = frozenset({500, 1000, 1500, 3000, 5000, 10000})
_GENDERS: Final = {"F": "women", "M": "men"}
_LANES: Final = {"I": "In", "O": "Out"}
#: The time zones of the rinks that hold World Cups, by city as the API spells it, for a track
#: the API gives no ``timeZone`` for (the recorded responses carry none).
RINK_TIME_ZONES: Final = {
    "Astana": "Asia/Almaty",
    "Nur-Sultan": "Asia/Almaty",
    "Beijing": "Asia/Shanghai",
    "Berlin": "Europe/Berlin",
    "Calgary": "America/Edmonton",
    "Chelyabinsk": "Asia/Yekaterinburg",
    "Collalbo": "Europe/Rome",
    "Erfurt": "Europe/Berlin",
    "Hamar": "Europe/Oslo",
    "Harbin": "Asia/Shanghai",
    "Heerenveen": "Europe/Amsterdam",
    "Inzell": "Europe/Berlin",
    "Kolomna": "Europe/Moscow",
    "Milan": "Europe/Rome",
    "Milwaukee": "America/Chicago",
    "Minsk": "Europe/Minsk",
    "Nagano": "Asia/Tokyo",
    "Obihiro": "Asia/Tokyo",
    "Quebec": "America/Toronto",
    "Salt Lake City": "America/Denver",
    "Sochi": "Europe/Moscow",
    "Stavanger": "Europe/Oslo",
    "Tomakomai": "Asia/Tokyo",
    "Tomaszów Mazowiecki": "Europe/Warsaw",
}


def _event(raw: _Event, season: str, world_cup: int) -> ApiEvent:
    track = raw.track or _Track()
    return ApiEvent(
        isu_id=raw.isuId,
        name=raw.name,
        season=season,
        world_cup=world_cup,
        start=raw.start,
        end=raw.end,
        venue=track.name,
        city=track.city,
        country=track.country,
        time_zone=track.timeZone or RINK_TIME_ZONES.get(track.city),
        is_final="final" in raw.tags,
        cancelled=raw.isCancelled,
        tags=tuple(raw.tags),
    )


def _distance(competition: _Competition) -> str | None:
    words = f"{competition.title} {competition.distance.name}".lower()
    identifier = (competition.distance.identifier or "").upper()
    if "mass start" in words or identifier.startswith("MS"):
        return "mass-start"
    if "team pursuit" in words or identifier.startswith("TP"):
        return "team-pursuit"
    if "team sprint" in words or identifier.startswith("TS"):
        return "team-sprint"
    if competition.distance.distance in _INDIVIDUAL_DISTANCES:
        return str(competition.distance.distance)
    return None


def _local(moment: datetime, time_zone: str | None) -> datetime:
    if time_zone is None or moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone(ZoneInfo(time_zone))
    except (ZoneInfoNotFoundError, ValueError):
        return moment


def _race(event: ApiEvent, competition: _Competition) -> ApiRace | str:
    """The race, or a sentence saying why it is left out."""
    what = f"race {competition.scheduleNumber} {competition.title!r}"
    distance = _distance(competition)
    if distance is None:
        return f"{event.isu_id} {what}: distance {competition.distance.name!r} is not one Rinkside knows"
    gender = _GENDERS.get(competition.category)
    if gender is None:
        return f"{event.isu_id} {what}: category {competition.category!r} is neither F nor M"
    titled = _DIVISION_RE.search(competition.title)
    division = competition.division if competition.division in ("A", "B") else titled["division"] if titled else "A"
    ordinal = _ORDINAL_RE.search(f" {competition.title} ")
    start: datetime | None = None
    day: date | None = None
    if isinstance(competition.start, datetime):
        start = _local(competition.start, event.time_zone)
        day = start.date()
    elif isinstance(competition.start, date):
        day = competition.start
    return ApiRace(
        event=event,
        schedule_number=competition.scheduleNumber,
        title=competition.title,
        distance=distance,
        gender=gender,
        division=division,
        race_number=int(ordinal["number"]) if ordinal else 0,
        official=competition.isOfficial,
        last_update=competition.lastUpdate or competition.modified,
        start=start,
        day=day,
        lap_count=competition.distance.lapCount,
        live=bool(competition.isLive),
    )


#: The team races: their rows carry ``row.team``, never a skater.
_TEAM_DISTANCES: Final = frozenset({"team-pursuit", "team-sprint"})
#: A mass start's sprints: the intermediate sprints after every quarter of the laps, then the final.
_SPRINTS: Final = 4


def _sprint_points(row: _Row, number: int, url: str, race: ApiRace) -> tuple[int | None, ...]:
    """A mass-start row's points per sprint, from ``laps[].sprintPoints`` (``()`` where none is given)."""
    given = {lap.number: lap.sprintPoints for lap in row.laps if lap.sprintPoints is not None}
    if not given:
        return ()
    laps = race.lap_count or 16
    if laps % _SPRINTS:
        raise ImportRefused(
            url, f"a mass start of {laps} laps has no sprint every {laps / _SPRINTS:g} laps", row=number
        )
    sprint_laps = [laps // _SPRINTS * k for k in range(1, _SPRINTS + 1)]
    for lap_number, points in given.items():
        if lap_number not in sprint_laps and points:
            raise ImportRefused(
                url,
                f"lap {lap_number} gives {points} sprint points; the sprints of {laps} laps are laps "
                f"{', '.join(map(str, sprint_laps))}",
                row=number,
                field="laps.sprintPoints",
            )
    return tuple(given.get(lap) for lap in sprint_laps)


def _result(row: _Row, number: int, url: str, race: ApiRace) -> ApiResult:
    skater = row.skater or (row.competitor.skater if row.competitor else None)
    is_team_race = race.distance in _TEAM_DISTANCES
    if is_team_race and row.team is None:
        problem = "a team race's row carries its team at the row's top level (team: name, country, gender)"
        raise ImportRefused(url, problem, row=number, field="team")
    if not is_team_race and (row.team is not None or row.type == "team"):
        raise ImportRefused(url, f"a team's row in a race of skaters ({race.kind})", row=number, field="team")
    seconds: float | None = None
    if row.time:
        try:
            seconds = time_seconds(row.time)
        except ValueError as error:
            raise ImportRefused(url, str(error), row=number, field="time") from error
    laps: list[ApiLap] = []
    for index, lap in enumerate(sorted(row.laps, key=lambda lap: lap.number)):
        for name, value in (("time", lap.time), ("passageTime", lap.passageTime)):
            if value:
                try:
                    time_seconds(value)
                except ValueError as error:
                    raise ImportRefused(url, f"lap {lap.number}: {error}", row=number, field=f"laps.{name}") from error
        if index and lap.number == laps[-1].number:
            raise ImportRefused(url, f"lap {lap.number} is given twice", row=number, field="laps.number")
        laps.append(ApiLap(lap.number, lap.time or None, lap.passageTime or None, lap.rank, lap.sprintPoints))
    common: dict[str, Any] = {
        "row": number,
        "rank": row.rank,
        "status": row.status if row.status is not None else 0,
        "time": row.time or None,
        "time_seconds": seconds,
        "time_behind": row.timeBehind or None,
        "pair": row.startNumber,
        "bib": row.competitor.number if row.competitor else None,
        "lane": _LANES.get(row.startLane, row.startLane) if row.startLane else None,
        "laps": tuple(laps),
        "sprint_points": _sprint_points(row, number, url, race) if race.distance == "mass-start" else (),
    }
    if row.team is not None:
        return ApiResult(
            skater_id=None,
            first_name="",
            last_name=row.team.name.strip() or row.team.country,
            nation=row.team.country,
            **common,
        )
    if skater is not None:
        return ApiResult(
            skater_id=skater.id,
            first_name=skater.firstName.strip(),
            last_name=skater.lastName.strip(),
            nation=skater.country,
            **common,
        )
    raise ImportRefused(url, "the row names neither a skater nor a team", row=number, field="competitor")
