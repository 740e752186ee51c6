"""Writing to the store: a race's rows and fingerprint, and writing a race or a timetable in a transaction.

Each function here runs in the caller's transaction (``Store._writing``, which holds the
store's write lock): a race's results are compared with what is stored and then added,
replaced whole, or left alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields
from typing import Any, Final, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from standings.model import (
    SCHEDULE_COLUMNS,
    CompetitorId,
    Finding,
    Heat,
    Lap,
    Race,
    RaceImport,
    Result,
    ScheduledRace,
    Timetable,
)
from standings.storage.tables import (
    competitor_id_table,
    event_table,
    finding_table,
    heat_table,
    lap_table,
    race_table,
    result_table,
    schedule_table,
)

Outcome = Literal["added", "replaced", "unchanged"]

_RESULT_FIELDS: Final = tuple(f.name for f in fields(Result))


_HEAT_FIELDS: Final = tuple(f.name for f in fields(Heat))
_LAP_FIELDS: Final = tuple(f.name for f in fields(Lap))


def content_hash(
    race: Race,
    rows: Sequence[Result],
    *,
    official: bool = True,
    heats: Sequence[Heat] = (),
    laps: Sequence[Lap] = (),
    start: str | None = None,
) -> str:
    """A fingerprint of a race, its results, heats (short track) and laps, to tell an unchanged re-import.

    The file name is left out: the same sheet imported from another folder is unchanged.
    Whether the results are official is in: a race that becomes official is replaced.
    Heats, laps and the start time are in only where there are some, so a race without them
    keeps the fingerprint it had before they were stored.
    """
    race_fields = {k: v for k, v in race_row(race).items() if k != "source"}
    if not official:
        race_fields["official"] = False
    content: list[Any] = [race_fields, [[getattr(r, name) for name in _RESULT_FIELDS] for r in rows]]
    if heats:
        content.append([[getattr(h, name) for name in _HEAT_FIELDS] for h in heats])
    if laps or start:
        content.append({"laps": [[getattr(lap, name) for name in _LAP_FIELDS] for lap in laps], "start": start})
    payload = json.dumps(
        # The fields in order, as dataclasses.astuple gives them (same JSON, a tenth of the time).
        content,
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def race_row(race: Race) -> dict[str, Any]:
    """A race's row of the races table: the columns of ``RACE_COLUMNS``, its day as an ISO date."""
    return {
        "race_id": race.race_id,
        "event_id": race.event_id,
        "circuit": race.circuit,
        "season": race.season,
        "world_cup": race.world_cup,
        "distance": race.distance,
        "gender": race.gender,
        "division": race.division,
        "race_number": race.race_number,
        "day": race.day.isoformat() if race.day else None,
        "venue": race.venue,
        "city": race.city,
        "country": race.country,
        "source": race.source,
    }


def result_row(race_id: str, row_number: int, result: Result) -> dict[str, Any]:
    """A result's row of the results table: its annotations comma-joined, its sprint points as s1 to s4."""
    sprints = list(result.sprint_points) + [None] * (4 - len(result.sprint_points))
    return {
        "race_id": race_id,
        "competitor": result.competitor,
        "row": row_number,
        "rank": result.rank,
        "bib": result.bib,
        "name": result.name,
        "nation": result.nation,
        "status": result.status,
        "time": result.time,
        "time_behind": result.time_behind,
        "official_points": result.official_points,
        "points_marker": result.points_marker,
        "annotations": ",".join(result.annotations) or None,
        "pair": result.pair,
        "lane": result.lane,
        "laps": result.laps,
        "s1": sprints[0],
        "s2": sprints[1],
        "s3": sprints[2],
        "s4": sprints[3],
        "sprint_total": result.sprint_total,
        "heat": result.heat,
        "finish_side": result.finish_side,
        "round": result.round,
    }


def schedule_row(item: ScheduledRace) -> dict[str, Any]:
    """A timetable race's row of the schedule table (``SCHEDULE_COLUMNS``)."""
    race = item.race
    return {
        **{name: race_row(race)[name] for name in SCHEDULE_COLUMNS if name != "start"},
        "start": item.start,
    }


def write_race(connection: Connection, item: RaceImport) -> Outcome:
    """Write one race in the caller's transaction: add it, replace it whole, or leave it alone
    when its content is unchanged (``content_hash``)."""
    race = item.race
    digest = content_hash(
        race, item.results, official=item.official, heats=item.heats, laps=item.laps, start=item.start
    )
    add_identities(connection, item.identities)
    stored = connection.execute(
        sa.select(race_table.c.content_hash).where(race_table.c.race_id == race.race_id)
    ).scalar_one_or_none()
    if stored == digest:
        return "unchanged"
    event = {
        "event_id": race.event_id,
        "circuit": race.circuit,
        "season": race.season,
        "world_cup": race.world_cup,
        "venue": race.venue,
        "city": race.city,
        "country": race.country,
        "is_final": item.is_final,
    }
    notes = list(item.findings)
    known = connection.execute(
        sa.select(event_table.c.venue, event_table.c.city, event_table.c.country).where(
            event_table.c.event_id == race.event_id
        )
    ).first()
    if known is None:
        connection.execute(event_table.insert().values(event))
    elif tuple(known) != (race.venue, race.city, race.country):
        note = Finding(
            "venue",
            f"{race.source}: venue printed as '{race.venue} - {race.city} ({race.country})', "
            f"other sheets of World Cup #{race.world_cup} print '{known[0]} - {known[1]} ({known[2]})'",
        )
        if note not in notes:
            notes.append(note)
    if stored is not None:
        connection.execute(finding_table.delete().where(finding_table.c.race_id == race.race_id))
        connection.execute(result_table.delete().where(result_table.c.race_id == race.race_id))
        connection.execute(heat_table.delete().where(heat_table.c.race_id == race.race_id))
        connection.execute(lap_table.delete().where(lap_table.c.race_id == race.race_id))
        connection.execute(race_table.delete().where(race_table.c.race_id == race.race_id))
    connection.execute(
        race_table.insert().values(
            {
                **race_row(race),
                "official": item.official,
                "updated": item.updated,
                "start": item.start,
                "content_hash": digest,
            }
        )
    )
    connection.execute(
        result_table.insert(), [result_row(race.race_id, n, r) for n, r in enumerate(item.results, start=1)]
    )
    if item.heats:
        connection.execute(
            heat_table.insert(),
            [{"race_id": race.race_id, "row": n, **asdict(h)} for n, h in enumerate(item.heats, start=1)],
        )
    if item.laps:
        connection.execute(lap_table.insert(), [{"race_id": race.race_id, **asdict(lap)} for lap in item.laps])
    if notes:
        connection.execute(
            finding_table.insert(),
            [{"race_id": race.race_id, "source": race.source, "kind": f.kind, "message": f.message} for f in notes],
        )
    return "added" if stored is None else "replaced"


def add_identities(connection: Connection, identities: Iterable[CompetitorId]) -> None:
    """Store a source's ids of competitors that it does not have stored yet."""
    for identity in identities:
        key = (competitor_id_table.c.source == identity.source) & (
            competitor_id_table.c.source_id == identity.source_id
        )
        known_id = connection.execute(sa.select(competitor_id_table.c.competitor).where(key)).scalar_one_or_none()
        if known_id is None:
            connection.execute(competitor_id_table.insert().values(asdict(identity)))


def replace_timetable(connection: Connection, timetable: Timetable) -> bool:
    """Store an event's timetable in place of the one stored, in the caller's transaction.

    Returns:
        Whether the stored timetable changed.

    Raises:
        ValueError: If a race is of another event, or two have one race id.
    """
    circuit, season, world_cup = timetable.circuit, timetable.season, timetable.world_cup
    rows = [schedule_row(item) for item in timetable.races]
    for row in rows:
        if (row["circuit"], row["season"], row["world_cup"]) != (circuit, season, world_cup):
            raise ValueError(f"{row['race_id']} is not of {circuit} {season} World Cup #{world_cup}")
    if len({row["race_id"] for row in rows}) != len(rows):
        raise ValueError(f"a race is twice in the timetable of {circuit} {season} World Cup #{world_cup}")
    event = (
        (schedule_table.c.circuit == circuit)
        & (schedule_table.c.season == season)
        & (schedule_table.c.world_cup == world_cup)
    )
    stored = connection.execute(sa.select(schedule_table).where(event)).mappings().all()
    if sorted(map(dict, stored), key=lambda r: r["race_id"]) == sorted(rows, key=lambda r: r["race_id"]):
        return False
    connection.execute(schedule_table.delete().where(event))
    if rows:
        connection.execute(schedule_table.insert(), rows)
    return True
