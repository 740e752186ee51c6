"""A season's programme: its planned events and which races each holds.

``data/programme.csv`` lists, per circuit, season and World Cup, how many races of
each kind (``men-500``) the event holds, whether it is the season's final, and
where that comes from. For events already raced the programme is what the
official sheets show was raced; for events still to come, the ISU's announcement.
The title race (``standings.engine.title_race``) takes from it the races still to come
in a cup after some World Cup.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from standings.engine.title_race.types import RemainingRace
from standings.errors import ImportRefused, UnknownSelection, require_columns
from standings.model import DISTANCE_NAMES, is_number, race_name
from standings.rules import Cup, Rules

#: Columns of ``data/programme.csv``, in order.
PROGRAMME_COLUMNS: Final = [
    "circuit",
    "season",
    "world_cup",
    "city",
    "country",
    "first_day",
    "last_day",
    "final",
    "kind",
    "races",
    "source",
]


@dataclass(frozen=True)
class PlannedRaces:
    """The races of one kind at one event of the programme.

    Attributes:
        circuit: E.g. ``lt-wc``.
        season: E.g. ``2025-26``.
        world_cup: The event's World Cup number.
        city: Host city.
        country: Host country (IOC code).
        first_day: First day, ``YYYY-MM-DD``.
        last_day: Last day, ``YYYY-MM-DD``.
        final: Whether it is the season's final event.
        kind: Race kind, e.g. ``men-500``.
        races: How many races of that kind the event holds (two 500 m races per gender at most events).
        source: Where the programme comes from.
    """

    circuit: str
    season: str
    world_cup: int
    city: str
    country: str
    first_day: str
    last_day: str
    final: bool
    kind: str
    races: int
    source: str


def load_programme(path: Path) -> list[PlannedRaces]:
    """Read ``programme.csv``.

    Raises:
        ImportRefused: Naming the file, row and field, on a missing column or a bad value.
    """
    name = path.name
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        require_columns(name, reader.fieldnames, PROGRAMME_COLUMNS)
        planned: list[PlannedRaces] = []
        seen: set[tuple[str, str, int, str]] = set()
        for line, row in enumerate(reader, start=2):
            try:
                world_cup, races = int(row["world_cup"]), int(row["races"])
            except ValueError as error:
                field = "world_cup" if not is_number(row["world_cup"]) else "races"
                raise ImportRefused(name, f"not a whole number: {row[field]!r}", row=line, field=field) from error
            if races < 1:
                raise ImportRefused(name, f"races must be at least 1, got {races}", row=line, field="races")
            if row["final"] not in ("true", "false"):
                raise ImportRefused(name, f"final must be true or false, got {row['final']!r}", row=line, field="final")
            gender, _, distance = row["kind"].partition("-")
            if gender not in ("women", "men", "mixed") or distance not in DISTANCE_NAMES:
                raise ImportRefused(name, f"unknown race kind {row['kind']!r}", row=line, field="kind")
            if not row["source"].strip():
                raise ImportRefused(name, "every planned race needs a source", row=line, field="source")
            key = (row["circuit"], row["season"], world_cup, row["kind"])
            if key in seen:
                raise ImportRefused(name, f"{row['kind']} is listed twice for World Cup #{world_cup}", row=line)
            seen.add(key)
            planned.append(
                PlannedRaces(
                    circuit=row["circuit"],
                    season=row["season"],
                    world_cup=world_cup,
                    city=row["city"],
                    country=row["country"],
                    first_day=row["first_day"],
                    last_day=row["last_day"],
                    final=row["final"] == "true",
                    kind=row["kind"],
                    races=races,
                    source=row["source"],
                )
            )
    return planned


def race_table(
    rules: Rules, kind: str, *, final: bool, multiplier: float | None = None
) -> tuple[tuple[int, ...], bool]:
    """The most a race of this kind can award per place (Division A), and whether that is provisional.

    At the final, points are multiplied (rounded down, as ``standings.engine.points.award``
    does) and places past the final's field size are cut; an unknown field size
    leaves the table whole and provisional.

    Raises:
        UnknownSelection: If the rules have no Division A table for the kind.
    """
    table = rules.table_for("A", kind)
    if table is None or not table.table:
        raise UnknownSelection(f"the {rules.circuit} rules have no points table for {kind}")
    factor = multiplier if multiplier is not None else (rules.final_multiplier if final else 1.0)
    points = tuple(math.floor(p * factor) for p in table.table)
    provisional = table.confidence in ("low", "provisional")
    if final:
        if rules.final_field_size is None:
            provisional = True
        else:
            points = points[: rules.final_field_size]
    return points, provisional


def remaining_races(
    planned: list[PlannedRaces], rules: Rules, cup: Cup, season: str, after: int
) -> list[RemainingRace]:
    """The cup's races still to come after World Cup ``after``, in programme order.

    Raises:
        UnknownSelection: If the programme holds nothing for that season.
    """
    rows = [p for p in planned if p.circuit == rules.circuit and p.season == season]
    if not rows:
        raise UnknownSelection(
            f"no programme of planned races for {rules.circuit} {season} in data/programme.csv; "
            "give the number of remaining races instead"
        )
    races: list[RemainingRace] = []
    for row in sorted(rows, key=lambda p: (p.world_cup, cup.races.index(p.kind) if p.kind in cup.races else 0)):
        if row.world_cup <= after or row.kind not in cup.races:
            continue
        table, provisional = race_table(rules, row.kind, final=row.final)
        for number in range(1, row.races + 1):
            event = f"WC{row.world_cup} {row.city}{' (final)' if row.final else ''}"
            gender, _, distance = row.kind.partition("-")
            label = f"{event}: {race_name(distance, gender, number if row.races > 1 else 0)}"
            races.append(RemainingRace(label, table, row.world_cup, row.final, provisional))
    return races


def uniform_programme(count: int, rules: Rules, cup: Cup, *, multiplier: float = 1.0) -> list[RemainingRace]:
    """``count`` races of the cup at ``multiplier`` (the CLI's ``--remaining``), with Division A points.

    Raises:
        UnknownSelection: If ``count`` is negative or the cup has no points table.
    """
    if count < 0:
        raise UnknownSelection(f"the number of remaining races cannot be negative ({count})")
    table, provisional = race_table(rules, cup.races[0], final=False, multiplier=multiplier)
    return [
        RemainingRace(f"race {n} of {count} (x{multiplier:g})", table, None, False, provisional)
        for n in range(1, count + 1)
    ]
