"""Importer for the Rinkside results CSV: an analyst's way to load an event no source covers.

One row per competitor per heat of a short-track race; the columns and their
allowed values are declared in ``results_csv.toml`` beside this module (the
schema) and documented in the README. A file with any bad row is refused whole,
with every error naming the file, row and field; nothing of it is stored.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections import defaultdict
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final

from standings.errors import ImportRefused
from standings.identity import fold, team_key
from standings.model import Finding, Race, RaceImport
from standings.nations import is_nation
from standings.sources.plausibility import check_rows, check_season, check_text, check_time, check_world_cup, limits
from standings.sources.short_track.classification import HeatResult, classified_results

SCHEMA_PATH: Final = Path(__file__).with_name("results_csv.toml")
_NO_PLACE: Final = frozenset({"PEN", "YC", "DNF", "DNS"})


@cache
def schema() -> dict[str, dict[str, Any]]:
    """The columns, in order, with ``allowed`` values or a ``pattern``, and ``help``."""
    with SCHEMA_PATH.open("rb") as handle:
        columns: dict[str, dict[str, Any]] = tomllib.load(handle)["columns"]
    return columns


def _check(name: str, line: int, row: dict[str, str]) -> list[ImportRefused]:
    errors = []
    for column, rule in schema().items():
        value = row.get(column) or ""
        if "allowed" in rule and value not in rule["allowed"]:
            errors.append(ImportRefused(name, f"{value!r} is not one of {rule['allowed']}", row=line, field=column))
        elif "pattern" in rule and not re.fullmatch(rule["pattern"], value):
            errors.append(ImportRefused(name, f"{value!r} is not {rule['help']}", row=line, field=column))
    if errors:
        return errors
    for column in ("nation", "country"):
        if not is_nation(row[column]):
            errors.append(ImportRefused(name, f"{row[column]!r} is not a known IOC code", row=line, field=column))
    if (row["status"] in _NO_PLACE) == bool(row["place"]):
        errors.append(
            ImportRefused(
                name, f"a place goes with status finished only (status {row['status']})", row=line, field="place"
            )
        )
    if row["gender"] == "mixed" and row["distance"] != "relay-2000":
        errors.append(ImportRefused(name, "mixed is only the 2000 m relay", row=line, field="gender"))
    if row["time"] and ":" in row["time"] and int(row["time"].split(":")[1].split(".")[0]) >= 60:
        errors.append(ImportRefused(name, f"time {row['time']!r} has 60 or more seconds", row=line, field="time"))
    if row["day"]:
        try:
            date.fromisoformat(row["day"])
        except ValueError:
            errors.append(ImportRefused(name, f"{row['day']!r} is not a date", row=line, field="day"))
    try:
        check_season(row["season"], name, row=line)
        check_world_cup(int(row["world_cup"]), name, row=line)
        if row["time"]:
            check_time(
                row["time"], "short_track", row["distance"], name, row=line, finished=row["status"] == "finished"
            )
    except ImportRefused as error:
        errors.append(error)
    return errors


def _check_header(name: str, header: list[str], expected: list[str]) -> None:
    """Refuse a header that is not exactly the schema's, saying what differs."""
    if header == expected:
        return
    if [h.strip().lower() for h in header] == expected:
        raise ImportRefused(
            name, f"columns are {header}: column names are lower case, without spaces ({','.join(expected)})", row=1
        )
    extra = [h for h in header if h not in expected]
    missing = [c for c in expected if c not in header]
    if extra or missing:
        parts = ([f"unknown columns {extra}"] if extra else []) + ([f"missing columns {missing}"] if missing else [])
        raise ImportRefused(name, f"{'; '.join(parts)}; expected {','.join(expected)}", row=1)
    raise ImportRefused(name, f"columns are in another order; expected {','.join(expected)}", row=1)


def _shape(name: str, line: int, row: dict[str | None, Any], width: int) -> list[ImportRefused]:
    """A row with more or fewer fields than the header, or with a control character in a field."""
    if None in row:
        extra = len(row[None])
        return [ImportRefused(name, f"{width + extra} fields where the header has {width}", row=line)]
    short = [column for column, value in row.items() if value is None]
    if short:
        return [
            ImportRefused(name, f"{width - len(short)} fields where the header has {width}", row=line, field=short[0])
        ]
    errors = []
    for column, value in row.items():
        try:
            check_text(str(value), name, row=line, field=str(column))
        except ImportRefused as error:
            errors.append(error)
    return errors


def read_results_csv(path: Path, *, source: str | None = None) -> list[RaceImport]:
    """Read a results CSV into races (final classification per race).

    Raises:
        ImportRefused: The first of the file's errors, with the number of errors
            found; the message names file, row and field.
    """
    name = source or path.name
    try:
        # utf-8-sig: a byte-order mark, as spreadsheet programs write one, is not part of the header.
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportRefused(name, f"cannot be read as UTF-8 text ({error})") from error
    # newline="": a quoted field may hold a line break; it is refused below, not silently dropped.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    expected = list(schema())
    try:
        header = reader.fieldnames
    except csv.Error as error:
        raise ImportRefused(name, f"the header is not CSV ({error})", row=1) from error
    _check_header(name, list(header or []), expected)
    errors: list[ImportRefused] = []
    races: dict[tuple[str, ...], list[tuple[int, dict[str, str]]]] = defaultdict(list)
    seen: dict[tuple[str, ...], int] = {}
    count = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportRefused(name, f"not CSV here ({error})", row=reader.line_num) from error
        line = reader.line_num
        count += 1
        if count > limits().max_rows:
            check_rows(count, name)
        found = _shape(name, line, row, len(expected)) or _check(name, line, row)
        errors.extend(found)
        if found:
            continue
        key = tuple(row[c] for c in ("circuit", "season", "world_cup", "distance", "gender", "race_number"))
        who = (*key, row["round"], row["heat"], _competitor(row))
        if who in seen:
            errors.append(
                ImportRefused(name, f"{row['name']} is already in this heat (row {seen[who]})", row=line, field="name")
            )
            continue
        seen[who] = line
        races[key].append((line, row))
    if not races and not errors:
        errors.append(ImportRefused(name, "the file has no rows"))
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        raise ImportRefused(first.source, f"{first.problem}{more}", row=first.row, field=first.field)
    return [_race(name, rows) for rows in races.values()]


def _competitor(row: dict[str, str]) -> str:
    if row["distance"].startswith("relay"):
        return team_key(row["nation"])
    return f"{fold(row['name'])}-{row['nation'].lower()}"


def _race(name: str, rows: list[tuple[int, dict[str, str]]]) -> RaceImport:
    first = rows[0][1]
    days = sorted({r["day"] for _, r in rows if r["day"]})
    heats = [
        HeatResult(
            competitor=_competitor(r),
            round=r["round"],
            heat=int(r["heat"]),
            place=int(r["place"]) if r["place"] else None,
            status=r["status"],
            time=r["time"] or None,
        )
        for _, r in rows
    ]
    by_competitor = {_competitor(r): r for _, r in rows}
    race = Race(
        circuit=first["circuit"],
        season=first["season"],
        world_cup=int(first["world_cup"]),
        distance=first["distance"],
        gender=first["gender"],
        division="A",
        race_number=int(first["race_number"]),
        day=date.fromisoformat(days[-1]) if days else None,
        venue="",
        city=first["city"],
        country=first["country"],
        source=name,
    )
    names = {key: row["name"] for key, row in by_competitor.items()}
    nations = {key: row["nation"] for key, row in by_competitor.items()}
    results = classified_results(heats, names=names, nations=nations)
    return RaceImport(race=race, results=results, findings=tuple(_shared_places(name, rows)), heats=tuple(heats))


def _shared_places(name: str, rows: list[tuple[int, dict[str, str]]]) -> list[Finding]:
    """A place given twice in one heat: a dead heat, or a typing error (imported, and said)."""
    first: dict[tuple[str, str, str], int] = {}
    found = []
    for line, row in rows:
        if not row["place"]:
            continue
        key = (row["round"], row["heat"], row["place"])
        if key in first:
            found.append(
                Finding(
                    "duplicate",
                    f"{name}, rows {first[key]} and {line}: place {row['place']} is given twice in {row['round']} "
                    f"heat {row['heat']} (a dead heat, or a typing error)",
                )
            )
        else:
            first[key] = line
    return found
