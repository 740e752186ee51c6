"""The store's tables in SQLAlchemy, made from their declarations in ``standings.model``.

Each table's columns (name, type, size, whether empty is allowed, the primary key) come from
its declaration (``model.STORED_TABLES``); what only the database knows is added here: foreign
keys, checks, unique constraints, indexes and the values a column takes when an insert leaves
it out. The migrations (``migrations/versions``) make exactly these tables (a test compares).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import sqlalchemy as sa

from standings.model import (
    COMPETITOR_ID_TABLE,
    EVENT_TABLE,
    FINDING_KINDS,
    FINDING_TABLE,
    HEAT_STATUSES,
    HEAT_TABLE,
    LAP_TABLE,
    META_TABLE,
    QUALIFICATION_CODES,
    RACE_TABLE,
    RESULT_TABLE,
    SCHEDULE_TABLE,
    STATUSES,
    Stored,
    StoredTable,
)

#: The database's type of each pandas dtype (text by its declared size).
_TYPES: Final[dict[str, type[sa.types.TypeEngine[Any]]]] = {
    "int64": sa.Integer,
    "Int64": sa.Integer,
    "bool": sa.Boolean,
}


def sql_type(column: Stored) -> sa.types.TypeEngine[Any]:
    """The database's type of a declared column: ``String(size)``, ``Text``, ``Integer`` or ``Boolean``."""
    if column.dtype == "string":
        return sa.String(column.size) if column.size is not None else sa.Text()
    return _TYPES[column.dtype]()


def sql_columns(
    table: StoredTable,
    *,
    references: Mapping[str, sa.ForeignKey] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[sa.Column[Any]]:
    """A declared table's columns, in order, for ``sa.Table``.

    Args:
        table: The declaration.
        references: The foreign key of a column, by its name.
        options: More of ``sa.Column``'s options for a column, by its name (``default``,
            ``autoincrement``).
    """
    references = references or {}
    options = options or {}
    made = []
    for name, column in table.items():
        keyword: dict[str, Any] = {"primary_key": True} if column.key else {}
        if not column.key and not column.nullable:
            keyword["nullable"] = False
        foreign = [references[name]] if name in references else []
        made.append(sa.Column(name, sql_type(column), *foreign, **keyword, **options.get(name, {})))
    return made


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _race() -> sa.ForeignKey:
    """A reference to a stored race (its rows are deleted with it)."""
    return sa.ForeignKey("races.race_id", ondelete="CASCADE")


metadata = sa.MetaData()

event_table = sa.Table(
    "events",
    metadata,
    *sql_columns(EVENT_TABLE, options={"is_final": {"default": False}}),
    sa.UniqueConstraint("circuit", "season", "world_cup"),
)

race_table = sa.Table(
    "races",
    metadata,
    *sql_columns(
        RACE_TABLE,
        references={"event_id": sa.ForeignKey("events.event_id")},
        options={"official": {"default": True}},
    ),
    sa.UniqueConstraint("event_id", "distance", "gender", "division", "race_number"),
    sa.CheckConstraint("division IN ('A', 'B')", name="division_a_or_b"),
    sa.CheckConstraint("gender IN ('women', 'men', 'mixed')", name="known_gender"),
    sa.Index("ix_races_circuit_season", "circuit", "season"),
)

result_table = sa.Table(
    "results",
    metadata,
    *sql_columns(RESULT_TABLE, references={"race_id": _race()}),
    sa.CheckConstraint(_one_of("status", STATUSES), name="known_status"),
    sa.CheckConstraint("rank IS NULL OR rank >= 1", name="rank_positive"),
)

heat_table = sa.Table(
    "heats",
    metadata,
    *sql_columns(HEAT_TABLE, references={"race_id": _race()}),
    sa.CheckConstraint(_one_of("status", HEAT_STATUSES), name="known_heat_status"),
    sa.CheckConstraint(
        f"qualification IS NULL OR {_one_of('qualification', QUALIFICATION_CODES)}", name="known_qualification"
    ),
    sa.CheckConstraint("place IS NULL OR place >= 1", name="heat_place_positive"),
)

lap_table = sa.Table(
    "laps",
    metadata,
    *sql_columns(LAP_TABLE, references={"race_id": _race()}),
    sa.CheckConstraint("lap >= 1", name="lap_positive"),
)

schedule_table = sa.Table(
    "schedule",
    metadata,
    *sql_columns(SCHEDULE_TABLE),
    sa.Index("ix_schedule_circuit_season", "circuit", "season"),
)

finding_table = sa.Table(
    "findings",
    metadata,
    *sql_columns(FINDING_TABLE, references={"race_id": _race()}, options={"id": {"autoincrement": True}}),
    sa.CheckConstraint(_one_of("kind", FINDING_KINDS), name="known_kind"),
    sa.Index("ix_findings_race_id", "race_id"),
)

competitor_id_table = sa.Table("competitor_ids", metadata, *sql_columns(COMPETITOR_ID_TABLE))

meta_table = sa.Table("meta", metadata, *sql_columns(META_TABLE))
