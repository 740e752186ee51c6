"""Every stored table is declared once (``standings.model.STORED_TABLES``): the SQLAlchemy tables
are made from the declarations, the frames' dtypes read off them, and the dataclasses held to them
here (every field a declared column of a compatible type; every column a field, or named as the
store's own).

That the migrations make exactly the declared tables, columns in order, is in test_migrations.
"""

from __future__ import annotations

import dataclasses
import types
from datetime import date
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pandas as pd
import pytest

from standings import columns, model
from standings.engine.tables import _empty_standings
from standings.model import (
    COMPETITOR_ID_TABLE,
    EVENT_TABLE,
    FINDING_TABLE,
    HEAT_COLUMNS,
    HEAT_TABLE,
    LAP_COLUMNS,
    LAP_TABLE,
    RACE_COLUMNS,
    RACE_IMPORT_COLUMNS,
    RACE_TABLE,
    RESULT_COLUMNS,
    RESULT_TABLE,
    SCHEDULE_COLUMNS,
    SCHEDULE_TABLE,
    STORED_TABLES,
    CompetitorId,
    Finding,
    Heat,
    Lap,
    Race,
    RaceImport,
    Result,
    ScheduledRace,
    Stored,
    StoredTable,
)
from standings.storage import writing
from standings.storage.tables import metadata, sql_type

SPRINTS = ("s1", "s2", "s3", "s4")


def _as_stored(annotation: Any) -> tuple[str, bool]:
    """The dtype a dataclass field of this annotation is stored as, and whether it may be empty."""
    if get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation):
        (inner,) = [a for a in get_args(annotation) if a is not type(None)]
        dtype, _ = _as_stored(inner)
        return ("Int64" if dtype == "int64" else dtype), True
    if annotation is bool:
        return "bool", False
    if annotation is int:
        return "int64", False
    if annotation is str or get_origin(annotation) is Literal:
        return "string", False
    if annotation is date:
        return "string", False  # an ISO date
    raise AssertionError(f"no stored type for {annotation!r}")


def _fields_held_to(
    cls: type, table: StoredTable, *, special: dict[str, tuple[str, ...]] | None = None
) -> dict[str, list[str]]:
    """Check each field of ``cls`` against its column of ``table``; the fields' columns, by field."""
    special = special or {}
    hints = get_type_hints(cls)
    wrong = []
    made: dict[str, list[str]] = {}
    for field in dataclasses.fields(cls):
        if field.name in special:
            made[field.name] = list(special[field.name])
            continue
        made[field.name] = [field.name]
        if field.name not in table:
            wrong.append(f"{cls.__name__}.{field.name}: no such column")
            continue
        column = table[field.name]
        if _as_stored(hints[field.name]) != (column.dtype, column.nullable):
            wrong.append(
                f"{cls.__name__}.{field.name}: {hints[field.name]} is stored as {_as_stored(hints[field.name])}, "
                f"declared {(column.dtype, column.nullable)}"
            )
    assert wrong == []
    return made


def _columns(made: dict[str, list[str]]) -> list[str]:
    return [name for names in made.values() for name in names]


def test_the_sqlalchemy_tables_are_the_declared_ones() -> None:
    assert list(STORED_TABLES) == [table.name for table in metadata.tables.values()]
    for name, declared in STORED_TABLES.items():
        table = metadata.tables[name]
        assert [c.name for c in table.c] == list(declared), name
        for column in table.c:
            stored = declared[column.name]
            assert (column.primary_key, column.nullable) == (stored.key, stored.nullable), f"{name}.{column.name}"
            assert repr(column.type) == repr(sql_type(stored)), f"{name}.{column.name}"


def test_a_declaration_is_consistent_in_itself() -> None:
    for name, table in STORED_TABLES.items():
        for column_name, column in table.items():
            where = f"{name}.{column_name}"
            assert column.dtype in ("string", "int64", "Int64", "bool"), where
            assert column.meaning and column.meaning == column.meaning.strip(), where
            assert (column.size is not None) <= (column.dtype == "string"), f"{where}: a size is of text"
            assert not column.required or column.dtype == "string", f"{where}: only text says required"
            # A whole number that may be empty is Int64 in frames; one that may not, int64.
            assert column.dtype != "Int64" or column.nullable, where
        assert any(column.key for column in table.values()), f"{name}: no primary key"


def test_a_race_is_its_columns_less_its_keys_and_what_the_store_keeps_of_its_import() -> None:
    made = _fields_held_to(Race, RACE_TABLE)
    assert ["race_id", "event_id", *_columns(made)] == list(RACE_COLUMNS)
    assert [*RACE_COLUMNS, *RACE_IMPORT_COLUMNS] == list(RACE_TABLE)
    assert isinstance(Race.race_id, property) and isinstance(Race.event_id, property)
    # What a race's event is stored with.
    assert [name for name in EVENT_TABLE if name in RACE_TABLE] == [
        "event_id", "circuit", "season", "world_cup", "venue", "city", "country",
    ]  # fmt: skip
    assert all(EVENT_TABLE[name].dtype == RACE_TABLE[name].dtype for name in EVENT_TABLE if name in RACE_TABLE)
    # What a race's import brings besides the race, and its event's is_final.
    imports = _fields_held_to(RaceImport, {**RACE_TABLE, "is_final": EVENT_TABLE["is_final"]}, special={
        "race": (), "results": (), "findings": (), "identities": (), "heats": (), "laps": (),
    })  # fmt: skip
    assert sorted(_columns(imports)) == sorted(["is_final", *RACE_IMPORT_COLUMNS[:-1]])  # not the fingerprint


def test_a_result_is_its_columns_in_their_frame_order() -> None:
    made = _fields_held_to(Result, RESULT_TABLE, special={"sprint_points": SPRINTS, "annotations": ("annotations",)})
    assert ["race_id", *_columns(made)] == list(RESULT_COLUMNS)
    assert sorted(["row", *RESULT_COLUMNS]) == sorted(RESULT_TABLE)
    assert all(RESULT_TABLE[name] == Stored("Int64", RESULT_TABLE[name].meaning) for name in SPRINTS)
    assert (RESULT_TABLE["annotations"].dtype, RESULT_TABLE["annotations"].nullable) == ("string", True)  # joined


def test_a_heat_a_lap_and_a_competitor_id_are_their_columns() -> None:
    heat = _fields_held_to(Heat, HEAT_TABLE)
    assert sorted(["race_id", "row", *_columns(heat)]) == sorted(HEAT_COLUMNS) and list(HEAT_COLUMNS) == list(
        HEAT_TABLE
    )
    lap = _fields_held_to(Lap, LAP_TABLE)
    assert ["race_id", *_columns(lap)] == list(LAP_COLUMNS) == list(LAP_TABLE)
    assert _columns(_fields_held_to(CompetitorId, COMPETITOR_ID_TABLE)) == list(COMPETITOR_ID_TABLE)
    assert _columns(_fields_held_to(Finding, FINDING_TABLE)) == ["kind", "message"]


def test_a_scheduled_race_is_a_race_and_its_start() -> None:
    made = _fields_held_to(ScheduledRace, SCHEDULE_TABLE, special={"race": ()})
    assert _columns(made) == ["start"]
    assert list(SCHEDULE_COLUMNS) == list(SCHEDULE_TABLE)
    race_fields = {field.name for field in dataclasses.fields(Race)}
    for name in SCHEDULE_TABLE:
        if name != "start":
            assert name == "race_id" or name in race_fields
            assert SCHEDULE_TABLE[name]._replace(meaning="") == RACE_TABLE[name]._replace(meaning=""), name


def test_the_rows_written_are_the_declared_columns() -> None:
    race = Race(
        "lt-wc", "2025-26", 1, "500", "men", "A", 0, date(2025, 11, 14), "Sørmarka", "Stavanger", "NOR", "x.pdf"
    )
    assert list(writing.race_row(race)) == list(RACE_COLUMNS)
    result = Result(1, 4, "a-nor", "A", "NOR", "finished", sprint_points=(1, None, 3))
    assert sorted(writing.result_row(race.race_id, 1, result)) == sorted(RESULT_TABLE)
    assert list(writing.schedule_row(ScheduledRace(race, None))) == [n for n in SCHEDULE_COLUMNS if n != "start"] + [
        "start"
    ]


def test_the_findings_and_the_empty_standings_come_from_the_declarations() -> None:
    # The output table of findings is the stored one but its number.
    assert columns.names(columns.FINDINGS) == ["race_id", "source", "kind", "message"]
    assert all(
        columns.FINDINGS[name] == (column.dtype, column.meaning)
        for name, column in FINDING_TABLE.items()
        if name != "id"
    )
    empty = _empty_standings()
    assert list(empty.columns) == columns.names(columns.STANDINGS) and empty.empty
    assert {name: str(dtype) for name, dtype in empty.dtypes.items()} == {
        name: column.dtype for name, column in columns.STANDINGS.items()
    }


@pytest.mark.parametrize("name", ["RACE_COLUMNS", "RESULT_COLUMNS", "HEAT_COLUMNS", "LAP_COLUMNS", "SCHEDULE_COLUMNS"])
def test_every_frame_dtype_is_one_pandas_knows(name: str) -> None:
    dtypes = getattr(model, name)
    frame = pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in dtypes.items()})
    assert {column: str(dtype) for column, dtype in frame.dtypes.items()} == dtypes
