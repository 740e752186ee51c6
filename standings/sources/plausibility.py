"""What an imported result may hold: plausibility checks shared by every importer.

The bounds are rules data (``standings/rules/plausibility/limits.toml``, each with its source):
a real season, a World Cup number, integers in range (nothing too large for the database), text
without control characters, nations as IOC codes, race times possible for the distance (lap
passages included), and a file size and row count.
A value outside them is impossible: the file is refused (``ImportRefused`` naming file, row and
field) before anything is stored. (Printed points that differ from the rules table are possible,
a sheet may know better: the importer records them as findings.)
"""

from __future__ import annotations

import csv
import io
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final

from standings.errors import ImportRefused
from standings.model import DISCIPLINES, Lap, RaceImport, Result, season_of, time_or_none
from standings.rules import RULES_DIR

LIMITS_PATH: Final = RULES_DIR / "plausibility" / "limits.toml"
_SEASON: Final = re.compile(r"^(?P<start>\d{4})-(?P<end>\d{2})$")
#: Result fields holding integers, and the limits key of each.
_INTEGERS: Final = {
    "rank": "rank",
    "bib": "bib",
    "official_points": "official_points",
    "pair": "pair",
    "laps": "laps",
    "sprint_total": "sprint_total",
    "heat": "heat",
}
#: A result field as sheets and files name it, where that differs.
_FIELD_NAMES: Final = {"official_points": "points"}
#: Characters that may be control characters (a quick first look; ``unicodedata`` decides).
_CONTROL: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001-\U000e007f]"
)
#: Joiners that names in some scripts need.
_JOINERS: Final = frozenset({"\u200c", "\u200d"})
_TEXTS: Final = ("competitor", "name", "nation", "status", "time", "time_behind", "points_marker", "lane", "round")


@dataclass(frozen=True)
class Limits:
    """The bounds of ``limits.toml``.

    Attributes:
        first_season: The earliest season (``1985-86``).
        beyond_current: How many seasons after the current one may be imported.
        world_cups: The lowest and highest World Cup number.
        numbers: Per integer field, its lowest and highest value.
        max_text: The most characters of a text field.
        times: Per ``(discipline, distance)``, the fastest and slowest time in seconds.
        mass_start_laps: The laps of a whole mass start (bounds scale with the laps skated).
        max_bytes: The largest file accepted.
        max_rows: The most rows (results, lines) accepted from one file.
        nation: What a nation must look like (an IOC code: three capital letters).
    """

    first_season: str
    beyond_current: int
    world_cups: tuple[int, int]
    numbers: dict[str, tuple[int, int]]
    max_text: int
    times: dict[tuple[str, str], tuple[float, float]]
    mass_start_laps: int
    max_bytes: int
    max_rows: int
    nation: re.Pattern[str]


@cache
def limits() -> Limits:
    """The bounds, read once; ``RINKSIDE_MAX_IMPORT_BYTES`` / ``_ROWS`` override the size limits."""
    with LIMITS_PATH.open("rb") as handle:
        raw = tomllib.load(handle)
    numbers = {key: (int(v[0]), int(v[1])) for key, v in raw["numbers"].items() if isinstance(v, list)}
    times: dict[tuple[str, str], tuple[float, float]] = {}
    for discipline in ("long_track", "short_track"):
        for distance, bounds in raw["times"][discipline].items():
            if isinstance(bounds, list):
                times[(discipline, distance)] = (float(bounds[0]), float(bounds[1]))
    size = raw["size"]
    return Limits(
        first_season=str(raw["seasons"]["first"]),
        beyond_current=int(raw["seasons"]["beyond_current"]),
        world_cups=(int(raw["world_cups"]["first"]), int(raw["world_cups"]["last"])),
        numbers=numbers,
        max_text=int(raw["text"]["max_length"]),
        times=times,
        mass_start_laps=int(raw["times"]["long_track"]["mass_start_laps"]),
        max_bytes=int(os.environ.get("RINKSIDE_MAX_IMPORT_BYTES") or size["max_bytes"]),
        max_rows=int(os.environ.get("RINKSIDE_MAX_IMPORT_ROWS") or size["max_rows"]),
        nation=re.compile(str(raw["nations"]["pattern"])),
    )


def csv_rows(path: Path, source: str, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a CSV file with a header, each checked for shape, as ``(line, row)``.

    Refused (``ImportRefused`` naming file, line and field): text that is not UTF-8 (a
    byte-order mark is allowed), text that is not CSV, a header without ``columns``, a row with
    more or fewer fields than the header, a field with a control character, more rows than the
    limit.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(source, f"is not UTF-8 text (byte {error.start}: {error.reason})") from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = list(reader.fieldnames or [])
    except csv.Error as error:
        raise ImportRefused(source, f"the header is not CSV ({error})", row=1) from error
    missing = [c for c in columns if c not in header]
    if missing:
        raise ImportRefused(source, f"missing columns {missing}", row=1)
    count = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportRefused(source, f"not CSV here ({error})", row=reader.line_num) from error
        count += 1
        check_rows(count, source)
        line = reader.line_num
        extra: Any = row.get(None)
        if extra is not None:
            raise ImportRefused(
                source, f"{len(header) + len(extra)} fields where the header has {len(header)}", row=line
            )
        for column in header:
            value = row.get(column)
            if value is None:
                raise ImportRefused(source, f"fewer fields than the header's {len(header)}", row=line, field=column)
            check_text(value, source, row=line, field=column)
        yield line, row


def check_size(path: Path, source: str) -> None:
    """Refuse a file larger than the limit, before it is read.

    Raises:
        ImportRefused: ``file is N MB, over the import limit of M MB``.
    """
    size = path.stat().st_size
    most = limits().max_bytes
    if size > most:
        raise ImportRefused(
            source,
            f"the file is {size / 1e6:.1f} MB, over the import limit of {most / 1e6:.1f} MB "
            "(set RINKSIDE_MAX_IMPORT_BYTES to raise it)",
        )


def check_rows(count: int, source: str) -> None:
    """Refuse a file with more rows than the limit.

    Raises:
        ImportRefused: ``N rows, over the import limit of M``.
    """
    most = limits().max_rows
    if count > most:
        raise ImportRefused(
            source, f"{count} rows, over the import limit of {most} (set RINKSIDE_MAX_IMPORT_ROWS to raise it)"
        )


def check_season(season: str, source: str, *, today: date | None = None, row: int | None = None) -> None:
    """Refuse a season that is not a real one: ``YYYY-YY`` of consecutive years, from the first
    World Cup season, at most ``beyond_current`` seasons after the current one.

    Raises:
        ImportRefused: Naming the season, and the row when given.
    """
    bounds = limits()
    match = _SEASON.match(season)
    if match is None or (int(match["start"]) + 1) % 100 != int(match["end"]):
        raise ImportRefused(source, f"season {season!r} is not a season (e.g. 2025-26)", row=row, field="season")
    start = int(match["start"])
    current = int(season_of(today or date.today())[:4])
    if start < int(bounds.first_season[:4]):
        raise ImportRefused(
            source,
            f"season {season} is before the first World Cup season {bounds.first_season}",
            row=row,
            field="season",
        )
    if start > current + bounds.beyond_current:
        raise ImportRefused(
            source, f"season {season} is in the future (the current season starts {current})", row=row, field="season"
        )


def check_world_cup(number: int, source: str, *, row: int | None = None) -> None:
    """Refuse a World Cup number outside the limits.

    Raises:
        ImportRefused: Naming the number.
    """
    first, last = limits().world_cups
    if not first <= number <= last:
        raise ImportRefused(
            source, f"World Cup #{number} is not a World Cup number ({first} to {last})", row=row, field="world_cup"
        )


def check_text(value: str, source: str, *, row: int | None = None, field: str) -> None:
    """Refuse text with a control character (line break, NUL, tab, ...) or over the length limit.

    Raises:
        ImportRefused: Naming the character or the length.
    """
    most = limits().max_text
    if len(value) > most:
        raise ImportRefused(source, f"{len(value)} characters, more than {most}", row=row, field=field)
    if _CONTROL.search(value) is None:
        return
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char not in _JOINERS:
            raise ImportRefused(
                source, f"{value[:40]!r} holds a control character (U+{ord(char):04X})", row=row, field=field
            )


def check_time(text: str, discipline: str, distance: str, source: str, **where: object) -> None:
    """Refuse a time that is not a time or is impossible for the distance.

    Args:
        text: The time as printed.
        discipline: ``long_track`` or ``short_track``.
        distance: The distance (``500``, ``relay-3000``).
        source: The file.
        **where: ``row``, ``field`` (default ``time``), ``finished`` (only a finished time is held
            to the fastest bound), ``laps`` (mass start: laps skated).

    Raises:
        ImportRefused: ``time 0.000 is impossible for a 500 m (30.00 to 180.00 s)``.
    """
    row = where.get("row")
    field = str(where.get("field", "time"))
    line = row if isinstance(row, int) else None
    value = time_or_none(text)
    if value is None:
        raise ImportRefused(source, f"{text!r} is not a time (e.g. 1:07.01)", row=line, field=field)
    bounds = limits().times.get((discipline, distance))
    if bounds is None:
        return
    low, high = bounds
    laps = where.get("laps")
    if distance == "mass-start" and isinstance(laps, int) and 0 < laps < limits().mass_start_laps:
        share = laps / limits().mass_start_laps
        low, high = low * share, high * share
    # A mass start ranks a skater who stopped after some laps: without the laps, no fastest bound.
    finished = where.get("finished", True) and not (distance == "mass-start" and not isinstance(laps, int))
    if value > high or (finished and value < low):
        raise ImportRefused(
            source,
            f"time {text} is impossible for {distance} m ({low:.2f} to {high:.2f} s, see the plausibility rules)"
            if distance[0].isdigit()
            else f"time {text} is impossible for the {distance} ({low:.2f} to {high:.2f} s)",
            row=line,
            field=field,
        )


def nation_problem(value: str) -> str | None:
    """What is wrong with a nation that is not an IOC code (three capital letters), or ``None``.

    A nation is shown on every page and chart, and anything else (a Markdown link, say) is not a nation.
    """
    if limits().nation.match(value):
        return None
    return f"{value[:60]!r} is not a nation's IOC code (three capital letters, e.g. NED)"


def check_nation(value: str, source: str, *, row: int | None = None, field: str = "nation") -> None:
    """Refuse a nation that is not an IOC code (see ``nation_problem``).

    Raises:
        ImportRefused: Naming the value.
    """
    problem = nation_problem(value)
    if problem is not None:
        raise ImportRefused(source, problem, row=row, field=field)


def check_import(
    item: RaceImport, source: str, *, today: date | None = None, rows: Sequence[int] | None = None
) -> RaceImport:
    """Check one race read from a file; refuse what is impossible, note what is odd.

    Impossible (the file is refused): a season or World Cup number out of bounds, an integer
    field out of range (the database could not hold it, or no race has it), text with a control
    character, a nation that is not an IOC code, a time impossible for the distance, a lap
    passage out of bounds, more results than ``max_rows``. (What is odd but possible, printed
    points the rules table does not give, is the importer's finding:
    ``standings.storage.importer.points_differ``.)

    Args:
        item: The race and its results.
        source: The file (or URL), for messages.
        today: Today (for "not in the future"); default the real today.
        rows: The row each result was read from, where that is not its place in ``item.results``
            (the API's rows include skaters not raced yet).

    Returns:
        ``item``, unchanged.

    Raises:
        ImportRefused: Naming the file, the result's row (its place in the race as read) and field.
    """
    race = item.race
    check_season(race.season, source, today=today)
    check_world_cup(race.world_cup, source)
    for name in ("venue", "city", "country", "distance", "gender", "division"):
        check_text(str(getattr(race, name)), source, field=name)
    if race.country:
        check_nation(race.country, source, field="country")
    check_rows(len(item.results), source)
    discipline = DISCIPLINES.get(race.circuit, "long_track")
    numbers = list(rows) if rows is not None else list(range(1, len(item.results) + 1))
    for row, result in zip(numbers, item.results, strict=True):
        _check_result(result, row, discipline, race.distance, source)
    row_of = {result.competitor: row for row, result in zip(numbers, item.results, strict=True)}
    for lap in item.laps:
        _check_lap(lap, row_of.get(lap.competitor), discipline, race.distance, source)
    return item


def _check_lap(lap: Lap, row: int | None, discipline: str, distance: str, source: str) -> None:
    """A lap passage: a lap number and rank in range, times that are times and no slower than the
    whole distance's slowest bound (a lap has no fastest bound: the opening 100 m takes 10 s)."""
    check_number(lap.lap, "laps", source, row=row, field="laps.lap", least=1)
    if lap.rank is not None:
        check_number(lap.rank, "rank", source, row=row, field="laps.rank")
    slowest = limits().times.get((discipline, distance), (0.0, float("inf")))[1]
    for field, text in (("laps.time", lap.lap_time), ("laps.passageTime", lap.passage_time)):
        if text is None:
            continue
        seconds = time_or_none(text)
        if seconds is None or not 0 < seconds <= slowest:
            raise ImportRefused(
                source,
                f"lap {lap.lap}: {text!r} is not a possible time (more than 0, at most {slowest:.2f} s)",
                row=row,
                field=field,
            )


def _check_result(result: Result, row: int, discipline: str, distance: str, source: str) -> None:
    for name, key in _INTEGERS.items():
        value = getattr(result, name)
        if value is not None:
            check_number(value, key, source, row=row)
    low, high = limits().numbers["sprint_points"]
    for number, value in enumerate(result.sprint_points, start=1):
        if value is not None and not low <= value <= high:
            raise ImportRefused(source, f"{value!r} is not possible ({low} to {high})", row=row, field=f"s{number}")
    for name in _TEXTS:
        value = getattr(result, name)
        if value is not None:
            check_text(str(value), source, row=row, field=name)
    check_nation(result.nation, source, row=row)
    for annotation in result.annotations:
        check_text(annotation, source, row=row, field="annotations")
    if not result.name.strip():
        raise ImportRefused(source, "the name is empty", row=row, field="name")
    if result.time:
        check_time(
            result.time, discipline, distance, source, row=row, finished=result.status == "finished", laps=result.laps
        )


def check_number(
    value: object, key: str, source: str, *, row: int | None = None, field: str | None = None, least: int | None = None
) -> None:
    """Refuse a value of an integer field (``rank``, ``bib``, ...) that is not a whole number
    within the field's limits (``[numbers]`` of the limits; ``True`` is not a number).

    Args:
        value: The value.
        key: The limits' key (``rank``, ``laps``, ...).
        source: The file (or URL), for messages.
        row: The row, where there is one.
        field: The field as the source names it (default: the key, ``official_points`` as ``points``).
        least: A lowest value above the key's own (a lap's number is at least 1).

    Raises:
        ImportRefused: ``1000 is not a possible rank (1 to 999)``, naming the field.
    """
    low, high = limits().numbers[key]
    low = low if least is None else max(low, least)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        name = _FIELD_NAMES.get(key, key)
        problem = f"{value!r} is not a possible {name} ({low} to {high})"
        raise ImportRefused(source, problem, row=row, field=field or name)
