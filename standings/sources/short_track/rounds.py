"""Reader for the short-track every-round scrape (ISU World Cup 2018/19 and 2019/20).

The file (``rounds.csv``) is third-party and lossy: the scraper dropped rows,
often the first row of a heat, so about a third of the Final A races lack a
podium place. Every race is therefore validated and its findings recorded; an
incomplete race is kept and flagged, never counted as complete.

Columns: ``season, competition, distance, gender, round, race, place,
start_pos, warn, bib, name, isu_id, nation, result, qual, is_relay, source_file``.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from standings.errors import ImportRefused
from standings.identity import team_key
from standings.model import QUALIFICATION_CODES, Finding, Race, RaceImport, heat_name, is_number
from standings.nations import NATION_NAMES, is_nation
from standings.sources.plausibility import csv_rows
from standings.sources.short_track.classification import HeatResult, classified_results

COLUMNS: Final = (
    "season",
    "competition",
    "distance",
    "gender",
    "round",
    "race",
    "place",
    "start_pos",
    "warn",
    "bib",
    "name",
    "isu_id",
    "nation",
    "result",
    "qual",
    "is_relay",
    "source_file",
)
_GENDERS: Final = {"m": "men", "w": "women", "x": "mixed"}
_ROUNDS: Final = {
    "Preliminaries": "Preliminaries",
    "Heats": "Heats",
    "Repechage": "Repechage",
    "Rep.Quarterfinals": "Rep.Quarterfinals",
    "Quarterfinals": "Quarterfinals",
    "Rep.Semifinals": "Rep.Semifinals",
    "Semifinals": "Semifinals",
    "FinalA": "Final A",
    "FinalB": "Final B",
}
_DISTANCE = re.compile(r"^(?P<metres>500|1000|1500|2000|3000|5000)m(?P<relay>Relay)?(?:\((?P<number>\d)\))?$")
_COMPETITION = re.compile(r"^(?P<city>[A-Za-z.]+)(?:,[A-Z]{2})?\((?P<country>[A-Z]{3})\)$")

# The scrape lost the spaces of names: ``DUBOISSteven``, ``KimBOUTIN``, ``CHOIMinJeong``,
# ``vanKERKHOFYara``. The family name is the upper-case part (with a lower-case particle
# before it), the given name the mixed-case part, whose words start with a capital.
_UPPER: Final = "A-ZÀ-ÖØ-Þ"
_LOWER: Final = "a-zß-öø-ÿ"
_PARTICLE: Final = "(?:de|van|von|der|den|da|di|del|le|la|ter)"
_FAMILY_FIRST: Final = re.compile(
    rf"^(?P<particle>{_PARTICLE})?(?P<family>[{_UPPER}][{_UPPER}'\- ]+?)(?P<given>[{_UPPER}][{_LOWER}].*)$"
)
_GIVEN_FIRST: Final = re.compile(
    rf"^(?P<given>[{_UPPER}][{_LOWER}].*?)(?P<particle>{_PARTICLE})?(?P<family>[{_UPPER}]{{2}}[{_UPPER}'\- ]*)$"
)
_WORD_START: Final = re.compile(rf"(?<=[{_LOWER}])(?<!Mc)(?<!Mac)(?=[{_UPPER}])")
_SEASON = re.compile(r"^(?P<start>\d{4})-(?P<end>\d{4})$")
_NO_PLACE: Final = {"PEN", "YC", "DNF", "DNS"}


@dataclass(frozen=True)
class RoundsRace:
    """Every heat of one race (one distance, gender and race number at one event).

    Attributes:
        season: ``2018-19``.
        city: ``Salt Lake City``-style city as the source spells it, spaces restored where known.
        country: Host IOC code.
        distance: ``500``, ``1000``, ``1500``, ``relay-2000``, ``relay-3000``, ``relay-5000``.
        gender: ``women``, ``men`` or ``mixed``.
        race_number: 1 or 2 for the second race of a distance at one event, else 0.
        heats: Every row, as ``HeatResult``.
        nations: Competitor key to IOC code.
        names: Competitor key to name as the source spells it.
    """

    season: str
    city: str
    country: str
    distance: str
    gender: str
    race_number: int
    heats: tuple[HeatResult, ...]
    nations: dict[str, str]
    names: dict[str, str]

    @property
    def race_id(self) -> str:
        """``st-wc/2018-19/almaty/men-1000``, with ``-2`` for a second race."""
        number = f"-{self.race_number}" if self.race_number else ""
        city = self.city.lower().replace(" ", "-")
        return f"st-wc/{self.season}/{city}/{self.gender}-{self.distance}{number}"


_CITIES: Final = {"SaltLakeCity": "Salt Lake City"}


def read_rounds(path: Path) -> list[RoundsRace]:
    """Read the scrape into races.

    Raises:
        ImportRefused: If a column is missing or a value cannot be read (file, row, field named).
    """
    name = path.name
    groups: dict[tuple[str, str, str, str, str], list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for line, row in csv_rows(path, name, COLUMNS):
        groups[(row["season"], row["competition"], row["distance"], row["gender"], row["is_relay"])].append((line, row))
    return [_race(name, key, rows) for key, rows in groups.items()]


def restore_name(joined: str) -> str:
    """A skater's name as the ISU writes it (``Given FAMILY``) from the scrape's joined form.

    >>> restore_name("DUBOISSteven"), restore_name("KimBOUTIN"), restore_name("CHOIMinJeong")
    ('Steven DUBOIS', 'Kim BOUTIN', 'Min Jeong CHOI')
    >>> restore_name("vanKERKHOFYara"), restore_name("UZAKOVAMariia-Mahdalyna")
    ('Yara van KERKHOF', 'Mariia-Mahdalyna UZAKOVA')

    A name that has its spaces, or fits neither order, is returned as it is.
    """
    found = None if " " in joined else _FAMILY_FIRST.match(joined) or _GIVEN_FIRST.match(joined)
    if found is None:
        return joined
    given = _WORD_START.sub(" ", found["given"])
    family = " ".join(part for part in (found["particle"], found["family"].strip()) if part)
    return f"{given} {family}"


def _race(name: str, key: tuple[str, ...], rows: list[tuple[int, dict[str, str]]]) -> RoundsRace:
    season_text, competition, distance_text, gender_code, relay_flag = key
    relay = relay_flag == "1"
    first_line = rows[0][0]
    season = _SEASON.match(season_text)
    if season is None:
        raise ImportRefused(name, f"season {season_text!r} is not YYYY-YYYY", row=first_line, field="season")
    where = _COMPETITION.match(competition)
    if where is None:
        raise ImportRefused(name, f"competition {competition!r} is not City(NOC)", row=first_line, field="competition")
    if relay_flag not in ("0", "1"):
        raise ImportRefused(name, f"is_relay {relay_flag!r} is neither 0 nor 1", row=first_line, field="is_relay")
    if gender_code not in _GENDERS:
        raise ImportRefused(name, f"gender {gender_code!r} is not m, w or x", row=first_line, field="gender")
    if distance_text == "MixedRelay":
        distance, number = "relay-2000", 0  # the mixed team relay is 2000 m
    else:
        match = _DISTANCE.match(distance_text)
        if match is None:
            raise ImportRefused(name, f"distance {distance_text!r} is unknown", row=first_line, field="distance")
        distance = f"relay-{match['metres']}" if match["relay"] else match["metres"]
        number = int(match["number"] or 0)
    heats: list[HeatResult] = []
    nations: dict[str, str] = {}
    names: dict[str, str] = {}
    for line, row in rows:
        round_name, heat = _round(row, name, line)
        competitor = f"isu-{row['isu_id']}" if is_number(row["isu_id"]) else None
        if competitor is None:
            raise ImportRefused(name, f"isu_id {row['isu_id']!r} is not a number", row=line, field="isu_id")
        if not is_nation(row["nation"]):
            raise ImportRefused(name, f"{row['nation']!r} is not a known IOC code", row=line, field="nation")
        place_text = row["place"].strip()
        status = place_text if place_text in _NO_PLACE else "finished"
        if place_text and status == "finished" and not is_number(place_text):
            raise ImportRefused(
                name, f"place {place_text!r} is neither a number nor PEN/YC/DNF/DNS", row=line, field="place"
            )
        time = row["result"] if is_number(row["result"][:1]) else None
        code = row.get("qual", "").strip() or None
        if code is not None and code not in QUALIFICATION_CODES:
            raise ImportRefused(
                name, f"qual {code!r} is not one of {', '.join(QUALIFICATION_CODES)}", row=line, field="qual"
            )
        start = row.get("start_pos", "").strip()
        if start and not is_number(start):
            raise ImportRefused(name, f"start_pos {start!r} is not a number", row=line, field="start_pos")
        warning = row.get("warn", "").strip() or None
        if warning not in (None, "YC"):
            raise ImportRefused(name, f"warn {warning!r} is neither empty nor YC", row=line, field="warn")
        heats.append(
            HeatResult(
                competitor,
                round_name,
                heat,
                int(place_text) if is_number(place_text) else None,
                status,
                time,
                qualification=code,
                start_position=int(start) if start else None,
                warning=warning,
            )
        )
        nations[competitor] = row["nation"]
        # A relay team is its nation; a skater's name gets its spaces back.
        names[competitor] = NATION_NAMES[row["nation"]].upper() if relay else restore_name(row["name"])
    city = _CITIES.get(where["city"], where["city"])
    return RoundsRace(
        season=f"{season['start']}-{season['end'][2:]}",
        city=city,
        country=where["country"],
        distance=distance,
        gender=_GENDERS[gender_code],
        race_number=number,
        heats=tuple(heats),
        nations=nations,
        names=names,
    )


def _round(row: dict[str, str], name: str, line: int) -> tuple[str, int]:
    if not is_number(row["race"]):
        raise ImportRefused(name, f"race {row['race']!r} is not a number", row=line, field="race")
    heat = int(row["race"])
    if row["round"] == "Finals":  # race 0 is Final A, race 1 Final B
        if heat not in (0, 1):
            raise ImportRefused(name, f"Finals race {heat} is neither 0 (A) nor 1 (B)", row=line, field="race")
        return ("Final A" if heat == 0 else "Final B"), 0
    if row["round"] not in _ROUNDS:
        raise ImportRefused(name, f"round {row['round']!r} is unknown", row=line, field="round")
    return _ROUNDS[row["round"]], heat


Calendar = dict[tuple[str, str, int], tuple[str, str]]


def load_calendar(path: Path) -> Calendar:
    """The event calendar: ``(circuit, season, World Cup number)`` to ``(city, host IOC code)``.

    Raises:
        ImportRefused: If a column is missing or a number is not a number.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        needed = ["circuit", "season", "world_cup", "city", "country", "source"]
        if reader.fieldnames != needed:
            raise ImportRefused(path.name, f"columns are {reader.fieldnames}, expected {','.join(needed)}")
        calendar: Calendar = {}
        for line, row in enumerate(reader, start=2):
            if not is_number(row["world_cup"]):
                raise ImportRefused(path.name, "not a number", row=line, field="world_cup")
            calendar[(row["circuit"], row["season"], int(row["world_cup"]))] = (row["city"], row["country"])
    return calendar


def event_in(calendar: Calendar, circuit: str, season: str, city: str, source: str) -> tuple[int, str]:
    """The one event of a season in a city: ``(World Cup number, host IOC code)``.

    Raises:
        ImportRefused: If the calendar has no such event, or more than one.
    """
    events = [
        (number, country)
        for (c, s, number), (place, country) in calendar.items()
        if (c, s, place) == (circuit, season, city)
    ]
    if len(events) != 1:
        raise ImportRefused(
            source, f"the calendar (data/calendar.csv) has {len(events)} {circuit} {season} events in {city}, not one"
        )
    return events[0]


def to_import(race: RoundsRace, calendar: Calendar, source: str) -> RaceImport:
    """A scraped race as stored: its final classification, with the validation findings.

    Raises:
        ImportRefused: If the calendar does not know the race's event.
    """
    world_cup, country = event_in(calendar, "st-wc", race.season, race.city, source)
    relay = race.distance.startswith("relay")
    keys = {c: team_key(n) for c, n in race.nations.items()} if relay else None
    results = classified_results(race.heats, names=race.names, nations=race.nations, keys=keys)
    stored = Race(
        circuit="st-wc",
        season=race.season,
        world_cup=world_cup,
        distance=race.distance,
        gender=race.gender,
        division="A",
        race_number=race.race_number,
        day=None,
        venue="",
        city=race.city,
        country=country,
        source=source,
    )
    return RaceImport(
        race=stored,
        results=results,
        findings=tuple(validate(race, label=stored.race_id)),
        heats=tuple(replace(h, competitor=keys[h.competitor]) for h in race.heats) if keys else race.heats,
    )


def validate(race: RoundsRace, *, label: str | None = None) -> list[Finding]:
    """What is wrong or missing in a race. An empty list means the race is complete.

    Args:
        race: The race.
        label: How findings name the race (default: ``race.race_id``).

    Checks: Final A exists and its places 1..n are all present; no competitor
    appears twice in one heat; every heat's places run from 1 without a gap.
    """
    name = label or race.race_id
    findings: list[Finding] = []
    final_a = [r for r in race.heats if r.round == "Final A"]
    if not final_a:
        findings.append(Finding("podium-lost", f"{name}: no Final A"))
    else:
        places = sorted(r.place for r in final_a if r.place is not None)
        missing = _gaps(places)
        if missing:
            medals = [p for p in missing if p <= 3]
            what = "podium place" if medals else "place"
            message = (
                f"{name}: Final A lacks {what}{'s' if len(missing) > 1 else ''} "
                f"{', '.join(str(p) for p in missing)} (rows lost by the source)"
            )
            findings.append(Finding("podium-lost" if medals else "rows-lost", message))
    counts = Counter((r.round, r.heat, r.competitor) for r in race.heats)
    for (round_name, heat, competitor), count in sorted(counts.items()):
        if count > 1:
            findings.append(
                Finding(
                    "duplicate",
                    f"{name}: {race.names[competitor]} appears {count} times in {heat_name(round_name, heat)}",
                )
            )
    by_heat: dict[tuple[str, int], list[int]] = defaultdict(list)
    for r in race.heats:
        if r.place is not None:
            by_heat[(r.round, r.heat)].append(r.place)
    for (round_name, heat), places in sorted(by_heat.items()):
        if round_name != "Final A" and _gaps(sorted(places)):
            gaps = ", ".join(map(str, _gaps(sorted(places))))
            findings.append(Finding("rows-lost", f"{name}: {heat_name(round_name, heat)} lacks place(s) {gaps}"))
    return findings


def _gaps(places: list[int]) -> list[int]:
    """Places missing from a competition ranking (a dead heat's skipped place is not missing)."""
    missing: list[int] = []
    expected = 1
    for place in places:
        while expected < place:
            missing.append(expected)
            expected += 1
        expected = place + 1 if place >= expected else expected
    # After a dead heat at p shared by k skaters, places p+1..p+k-1 are skipped, not lost.
    tied = Counter(places)
    skipped = {p + i for p, k in tied.items() for i in range(1, k)}
    return [p for p in missing if p not in skipped]
