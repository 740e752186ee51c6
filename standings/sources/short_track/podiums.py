"""Reader for the short-track podium file (third-party, unverified): 2023/24 to 2025/26.

``medals.json`` holds Final A and Final B top-three rows of many events;
``events.json`` beside it names the events. Only World Cup / World Tour and
Junior World Cup events are read, and only Final A rows are medals (Final B rows
are labelled gold/silver/bronze there but are not medals). Seasons and event
numbers come from the event names and the project's calendar.

What the file cannot say is recorded as findings: two races of one distance at
an event are not told apart (their medals are split over two races by row
order, which race each medal belongs to is unknown), a podium place may be
missing, relays are absent.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Final, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from standings.errors import ImportRefused
from standings.model import RELAYS_ABSENT, Finding, Race, RaceImport, Result, is_number
from standings.nations import is_nation
from standings.sources.short_track.rounds import Calendar

_NUMBER: Final = re.compile(r"#(?P<number>\d+)")
_MONTH: Final = re.compile(r"\((?P<month>[A-Z][a-z]{2}) (?P<year>\d{4})\)")
_SEASON: Final = re.compile(r"(?P<start>20\d{2})-(?P<end>20\d{2})")
_CITY: Final = re.compile(r"\((?P<city>[A-Z][a-z]+)\)")
_MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_GENDERS: Final = {"Women": "women", "Men": "men"}
FIRST_SEASON: Final = "2023-24"


_Model = TypeVar("_Model", bound=BaseModel)


class _PodiumRow(BaseModel):
    """One row of ``medals.json``, as the importer needs it: strict types, extra fields ignored."""

    model_config = ConfigDict(strict=True, extra="ignore")
    event_id: str
    distance: int
    gender: str
    round: str
    heat: str
    skater_id: str
    rank: int
    time: str | None


class _Event(BaseModel):
    """One event of ``events.json``."""

    model_config = ConfigDict(strict=True, extra="ignore")
    id: str
    name: str


def _typed(model: type[_Model], value: object, source: str, row: int) -> _Model:
    """``value`` read as ``model``, or a refusal naming the row and the first wrong field."""
    if not isinstance(value, dict):
        raise ImportRefused(source, f"expected an object, found {type(value).__name__} {str(value)[:40]!r}", row=row)
    try:
        return model.model_validate(value)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        found = value.get(field) if field in value else None
        problem = (
            "missing"
            if first["type"] == "missing"
            else f"{found!r} is not {_EXPECTED.get(first['type'], first['msg'])}"
        )
        raise ImportRefused(source, problem, row=row, field=field) from None


_EXPECTED: Final = {
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "text",
    "int_parsing": "a whole number",
}


def _circuit(event_id: str, name: str) -> str | None:
    if event_id.startswith("jwc-"):
        return "st-jwc"
    if "World Tour" in name or "World Cup Short Track" in name:
        return "st-wc"
    return None


def _season(name: str, circuit: str, calendar: Calendar) -> str | None:
    if match := _SEASON.search(name):
        return f"{match['start']}-{match['end'][2:]}"
    if match := _MONTH.search(name):
        month = _MONTHS.index(match["month"]) + 1
        year = int(match["year"])
        start = year if month >= 7 else year - 1
        return f"{start}-{(start + 1) % 100:02d}"
    if match := _CITY.search(name):
        # The file covers 2023/24 to 2025/26 (its README); older calendar seasons do not apply.
        seasons = {
            s
            for (c, s, _), (city, _) in calendar.items()
            if c == circuit and city == match["city"] and s >= FIRST_SEASON
        }
        number = _NUMBER.search(name)
        exact = {
            season
            for (c, season, n), (city, _) in calendar.items()
            if c == circuit
            and city == match["city"]
            and season >= FIRST_SEASON
            and number
            and n == int(number["number"])
        }
        return next(iter(exact)) if len(exact) == 1 else (next(iter(seasons)) if len(seasons) == 1 else None)
    return None


def _name(skater_id: str) -> str:
    """``courtney-sarault-can`` to ``Courtney Sarault`` (which word is the family name is not known)."""
    return " ".join(part.capitalize() for part in skater_id.split("-")[:-1])


def read_podiums(medals_path: Path, calendar: Calendar) -> tuple[list[RaceImport], list[str]]:
    """Read the podium file's World Cup / World Tour and Junior World Cup medals.

    Args:
        medals_path: ``medals.json``; ``events.json`` must lie beside it.
        calendar: See ``standings.sources.short_track.rounds.load_calendar``.

    Returns:
        The races (one per event, distance, gender and race) and the findings
        that concern no single race (events left out and why).

    Raises:
        ImportRefused: If a file is not the expected JSON, or a row lacks a field
            or names an unknown nation.
    """
    name = medals_path.name
    events_path = medals_path.with_name("events.json")
    try:
        medals = json.loads(medals_path.read_text(encoding="utf-8"))
        events = json.loads(events_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise ImportRefused(name, f"cannot be read as the podium file and its events.json ({error})") from error
    if not isinstance(medals, list) or not isinstance(events, list):
        raise ImportRefused(name, "expected a JSON list of podium rows and a list of events")
    notes: list[str] = []
    known: dict[str, tuple[str, str, int]] = {}
    for index, raw in enumerate(events, start=1):
        event = _typed(_Event, raw, events_path.name, index)
        circuit = _circuit(event.id, event.name)
        if circuit is None:
            continue
        season = _season(event.name, circuit, calendar)
        number = _NUMBER.search(event.name)
        if season is None or number is None:
            notes.append(f"{events_path.name}: event {event.name!r} left out: its season or number is not known")
            continue
        known[event.id] = (circuit, season, int(number["number"]))
    groups: dict[tuple[str, int, str], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for index, raw in enumerate(medals, start=1):
        typed = _typed(_PodiumRow, raw, name, index)
        if typed.event_id in known and typed.heat == "Final A":
            groups[(typed.event_id, typed.distance, typed.gender)].append((index, typed.model_dump()))
    items: list[RaceImport] = []
    flagged: set[str] = set()
    for (event_id, distance, gender), rows in sorted(groups.items()):
        for item in _races(name, known[event_id], distance, gender, rows, calendar):
            if event_id not in flagged:  # once per event: the file has no relay podiums at all
                flagged.add(event_id)
                note = Finding(
                    "relays-absent",
                    f"{item.race.event_id}: {RELAYS_ABSENT} from the podium file; relay medals are not counted",
                )
                item = RaceImport(item.race, item.results, (*item.findings, note), item.is_final)
            items.append(item)
    return items, notes


def _races(
    name: str,
    event: tuple[str, str, int],
    distance: int,
    gender: str,
    rows: list[tuple[int, dict[str, Any]]],
    calendar: Calendar,
) -> list[RaceImport]:
    circuit, season, number = event
    if gender not in _GENDERS:
        raise ImportRefused(name, f"gender {gender!r} is neither Women nor Men", row=rows[0][0], field="gender")
    place = calendar.get((circuit, season, number), ("", ""))
    # Five or more Final A podium rows: two races of this distance, not told apart by the file.
    merged = len(rows) >= 5
    races: list[list[tuple[int, dict[str, Any]]]] = [[], []] if merged else [[]]
    for index, row in sorted(rows, key=lambda r: (int(r[1]["rank"]), r[0])):
        free = [race for race in races if all(other["skater_id"] != row["skater_id"] for _, other in race)]
        # One row of each place per race; a second row of a place goes to the other race.
        target = next((race for race in free if all(other["rank"] != row["rank"] for _, other in race)), None)
        target = target if target is not None else next(iter(free), None)
        if target is None:
            raise ImportRefused(
                name, f"{row['skater_id']} has more podium rows than races", row=index, field="skater_id"
            )
        target.append((index, row))
    items = []
    for race_index, race_rows in enumerate(races, start=1):
        race = Race(
            circuit=circuit,
            season=season,
            world_cup=number,
            distance=str(distance),
            gender=_GENDERS[gender],
            division="A",
            race_number=race_index if merged else 0,
            day=None,
            venue="",
            city=place[0],
            country=place[1],
            source=name,
        )
        results = []
        for index, row in race_rows:
            nation = str(row["skater_id"]).rsplit("-", 1)[-1].upper()
            if not is_nation(nation):
                raise ImportRefused(name, f"{nation!r} is not a known IOC code", row=index, field="skater_id")
            time = str(row["time"]) if is_number(str(row["time"])[:1]) else None
            results.append(
                Result(
                    rank=int(row["rank"]),
                    bib=None,
                    competitor=str(row["skater_id"]),
                    name=_name(str(row["skater_id"])),
                    nation=nation,
                    status="finished",
                    time=time,
                    round="Final A",
                )
            )
        findings = []
        if merged:
            message = (
                f"{race.race_id}: the podium file has {len(rows)} Final A podium rows for two races of this distance "
                "and does not tell them apart; their medals are split by row order"
            )
            findings.append(Finding("races-merged", message))
        ranks = sorted(r.rank for r in results if r.rank is not None)
        missing = [p for p in (1, 2, 3) if p not in ranks and not any(q < p and ranks.count(q) > p - q for q in ranks)]
        if missing:
            places = ", ".join(map(str, missing))
            findings.append(Finding("podium-lost", f"{race.race_id}: podium place(s) {places} missing from the file"))
        items.append(RaceImport(race=race, results=tuple(results), findings=tuple(findings)))
    return items
