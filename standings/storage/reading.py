"""Reading the store: a season's races, results, heats, laps, timetable and findings, as frames.

Each function reads on the caller's connection, so that ``Store.season_rows`` reads them all
in one transaction (one snapshot of the store). The frames' columns and dtypes are the
declared ones (``standings.model``: ``RACE_COLUMNS``, ``RESULT_COLUMNS`` ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from standings.columns import FINDINGS, names
from standings.model import (
    EVENT_TABLE,
    HEAT_COLUMNS,
    LAP_COLUMNS,
    RACE_COLUMNS,
    RACE_TABLE,
    RESULT_COLUMNS,
    RESULT_TABLE,
    SCHEDULE_COLUMNS,
    dtypes,
)
from standings.storage.tables import (
    event_table,
    finding_table,
    heat_table,
    lap_table,
    race_table,
    result_table,
    schedule_table,
)

#: What a frame of races holds besides the race's own columns and its event's ``is_final``.
_RACE_READ: Final = ("official", "updated", "start")


@dataclass(frozen=True, eq=False)
class SeasonRows:
    """What one season load reads, all from one snapshot of the store (see ``Store.season_rows``).

    Attributes:
        races: The season's races, as ``Store.races`` returns them.
        results: Their results, as ``Store.results`` returns them.
        data_version: The store's data version at the snapshot (``Store.data_version``), or
            ``None`` for a store never written to.
        findings: The season's findings, as ``Store.findings`` returns them.
        heats: Short track: every heat row of the season's races (``model.HEAT_COLUMNS``).
        laps: Long track: every lap passage of the season's races (``model.LAP_COLUMNS``).
        schedule: Every race the season's event timetables announce (``model.SCHEDULE_COLUMNS``).
    """

    races: pd.DataFrame
    results: pd.DataFrame
    data_version: str | None
    findings: pd.DataFrame | None = None
    heats: pd.DataFrame | None = None
    laps: pd.DataFrame | None = None
    schedule: pd.DataFrame | None = None


def read_findings(connection: Connection, circuit: str | None, season: str | None) -> pd.DataFrame:
    """The findings (of a circuit, a season, when given), in the order recorded: ``columns.FINDINGS``."""
    query = sa.select(*[finding_table.c[name] for name in FINDINGS]).select_from(finding_table.outerjoin(race_table))
    if circuit is not None:
        query = query.where(race_table.c.circuit == circuit)
    if season is not None:
        query = query.where(race_table.c.season == season)
    rows = connection.execute(query.order_by(finding_table.c.id)).mappings().all()
    return pd.DataFrame(rows, columns=names(FINDINGS))


def read_races(connection: Connection, circuit: str, season: str) -> pd.DataFrame:
    """A season's races: ``RACE_COLUMNS``, their event's ``is_final``, ``official``, ``updated``, ``start``."""
    query = (
        sa.select(
            *[race_table.c[name] for name in RACE_COLUMNS],
            event_table.c.is_final,
            *[race_table.c[name] for name in _RACE_READ],
        )
        .select_from(race_table.join(event_table))
        .where(race_table.c.circuit == circuit, race_table.c.season == season)
        .order_by(race_table.c.world_cup, race_table.c.day, race_table.c.race_id)
    )
    frame = pd.DataFrame(
        connection.execute(query).mappings().all(),
        columns=[*RACE_COLUMNS, "is_final", *_RACE_READ],
    )
    return frame.astype({**RACE_COLUMNS, "is_final": EVENT_TABLE["is_final"].dtype, **dtypes(RACE_TABLE, _RACE_READ)})


def read_results(connection: Connection, circuit: str, season: str) -> pd.DataFrame:
    """A season's results, race by race in the source's order: ``row``, then ``RESULT_COLUMNS``."""
    query = (
        sa.select(result_table.c.row, *[result_table.c[name] for name in RESULT_COLUMNS])
        .select_from(result_table.join(race_table))
        .where(race_table.c.circuit == circuit, race_table.c.season == season)
        .order_by(result_table.c.race_id, result_table.c.row)
    )
    frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=["row", *RESULT_COLUMNS])
    return frame.astype({"row": RESULT_TABLE["row"].dtype, **RESULT_COLUMNS})


def read_heats(connection: Connection, circuit: str, season: str) -> pd.DataFrame:
    """A season's heat rows (short track), race by race in the source's order: ``HEAT_COLUMNS``."""
    query = (
        sa.select(*[heat_table.c[name] for name in HEAT_COLUMNS])
        .select_from(heat_table.join(race_table))
        .where(race_table.c.circuit == circuit, race_table.c.season == season)
        .order_by(heat_table.c.race_id, heat_table.c.row)
    )
    frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=list(HEAT_COLUMNS))
    return frame.astype(HEAT_COLUMNS)


def read_schedule(connection: Connection, circuit: str, season: str) -> pd.DataFrame:
    """Every race a season's event timetables announce, by World Cup and start: ``SCHEDULE_COLUMNS``."""
    query = (
        sa.select(*[schedule_table.c[name] for name in SCHEDULE_COLUMNS])
        .where(schedule_table.c.circuit == circuit, schedule_table.c.season == season)
        .order_by(schedule_table.c.world_cup, schedule_table.c.start, schedule_table.c.race_id)
    )
    frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=list(SCHEDULE_COLUMNS))
    return frame.astype(SCHEDULE_COLUMNS)


def read_laps(connection: Connection, circuit: str, season: str) -> pd.DataFrame:
    """A season's lap passages (long track), by race, competitor and lap: ``LAP_COLUMNS``."""
    query = (
        sa.select(*[lap_table.c[name] for name in LAP_COLUMNS])
        .select_from(lap_table.join(race_table))
        .where(race_table.c.circuit == circuit, race_table.c.season == season)
        .order_by(lap_table.c.race_id, lap_table.c.competitor, lap_table.c.lap)
    )
    frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=list(LAP_COLUMNS))
    return frame.astype(LAP_COLUMNS)
