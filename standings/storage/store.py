"""The results store: SQLAlchemy Core over embedded SQLite by default.

The database is chosen by a URL, ``RINKSIDE_DATABASE_URL`` in the environment
(e.g. ``postgresql+psycopg://user@host/rinkside``); without it the store is a
SQLite file in WAL mode. Every import of one file is one transaction: a race's
results are compared with what is stored and then added, replaced whole, or
left alone, and a failure leaves the store exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any, Final, Literal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from standings.errors import StoreUnavailable
from standings.model import (
    FINDING_KINDS,
    HEAT_COLUMNS,
    HEAT_STATUSES,
    LAP_COLUMNS,
    QUALIFICATION_CODES,
    RACE_COLUMNS,
    RESULT_COLUMNS,
    SCHEDULE_COLUMNS,
    STATUSES,
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
from standings.storage import schema

DATABASE_URL_VARIABLE: Final = "RINKSIDE_DATABASE_URL"
#: How many connections a server process keeps open to a client-server database (PostgreSQL).
POOL_SIZE_VARIABLE: Final = "RINKSIDE_DB_POOL_SIZE"
DEFAULT_POOL_SIZE: Final = 5
#: The key of the PostgreSQL advisory lock every writer takes (see ``Store._writing``): a fixed,
#: arbitrary 64-bit number, the same in every release, so that every writer of one database
#: waits for the others ("rinkside" in ASCII).
WRITE_LOCK_KEY: Final = 0x72696E6B73696465
#: The meta key whose value changes with every write that changes results.
DATA_VERSION_KEY: Final = "data_version"
#: When a sync from the ISU results API last changed a season (``standings.storage.sync``).
SYNCED_KEY: Final = "synced:{circuit}/{season}"
Outcome = Literal["added", "replaced", "unchanged"]

metadata = sa.MetaData()


def _race_key_columns() -> list[sa.Column[Any]]:
    """What names a race, and its day: the races table's and the schedule's (new columns for each)."""
    return [
        sa.Column("circuit", sa.String(16), nullable=False),
        sa.Column("season", sa.String(7), nullable=False),
        sa.Column("world_cup", sa.Integer, nullable=False),
        sa.Column("distance", sa.String(16), nullable=False),
        sa.Column("gender", sa.String(8), nullable=False),
        sa.Column("division", sa.String(1), nullable=False),
        sa.Column("race_number", sa.Integer, nullable=False),
        sa.Column("day", sa.String(10)),
    ]


event_table = sa.Table(
    "events",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("circuit", sa.String(16), nullable=False),
    sa.Column("season", sa.String(7), nullable=False),
    sa.Column("world_cup", sa.Integer, nullable=False),
    sa.Column("venue", sa.String(128), nullable=False),
    sa.Column("city", sa.String(64), nullable=False),
    sa.Column("country", sa.String(3), nullable=False),
    sa.Column("is_final", sa.Boolean, nullable=False, default=False),
    sa.UniqueConstraint("circuit", "season", "world_cup"),
)

race_table = sa.Table(
    "races",
    metadata,
    sa.Column("race_id", sa.String(96), primary_key=True),
    sa.Column("event_id", sa.String(64), sa.ForeignKey("events.event_id"), nullable=False),
    *_race_key_columns(),
    sa.Column("venue", sa.String(128), nullable=False),
    sa.Column("city", sa.String(64), nullable=False),
    sa.Column("country", sa.String(3), nullable=False),
    sa.Column("source", sa.String(256), nullable=False),
    # Official results; a race the source has not declared official yet is stored as unofficial.
    sa.Column("official", sa.Boolean, nullable=False, default=True),
    # When the source last changed the race (the API's lastUpdate), where it says so.
    sa.Column("updated", sa.String(32)),
    # When the race starts (ISO 8601 with the rink's UTC offset), where the source says (the API).
    sa.Column("start", sa.String(32)),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.UniqueConstraint("event_id", "distance", "gender", "division", "race_number"),
    sa.CheckConstraint("division IN ('A', 'B')", name="division_a_or_b"),
    sa.CheckConstraint("gender IN ('women', 'men', 'mixed')", name="known_gender"),
    sa.Index("ix_races_circuit_season", "circuit", "season"),
)

result_table = sa.Table(
    "results",
    metadata,
    sa.Column("race_id", sa.String(96), sa.ForeignKey("races.race_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("competitor", sa.String(128), primary_key=True),
    sa.Column("row", sa.Integer, nullable=False),
    sa.Column("rank", sa.Integer),
    sa.Column("bib", sa.Integer),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("nation", sa.String(3), nullable=False),
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("time", sa.String(16)),
    sa.Column("time_behind", sa.String(16)),
    sa.Column("official_points", sa.Integer),
    sa.Column("points_marker", sa.String(8)),
    sa.Column("annotations", sa.String(64)),
    sa.Column("pair", sa.Integer),
    sa.Column("lane", sa.String(3)),
    sa.Column("laps", sa.Integer),
    sa.Column("s1", sa.Integer),
    sa.Column("s2", sa.Integer),
    sa.Column("s3", sa.Integer),
    sa.Column("s4", sa.Integer),
    sa.Column("sprint_total", sa.Integer),
    sa.Column("heat", sa.Integer),
    sa.Column("finish_side", sa.String(8)),
    sa.Column("round", sa.String(24)),
    sa.CheckConstraint(f"status IN ({', '.join(repr(s) for s in STATUSES)})", name="known_status"),
    sa.CheckConstraint("rank IS NULL OR rank >= 1", name="rank_positive"),
)

# Short track: every row of every heat of a race (its results are the classification made from them).
heat_table = sa.Table(
    "heats",
    metadata,
    sa.Column("race_id", sa.String(96), sa.ForeignKey("races.race_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("row", sa.Integer, primary_key=True),
    sa.Column("round", sa.String(24), nullable=False),
    sa.Column("heat", sa.Integer, nullable=False),
    sa.Column("place", sa.Integer),
    sa.Column("competitor", sa.String(128), nullable=False),
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("time", sa.String(16)),
    sa.Column("qualification", sa.String(4)),
    sa.Column("start_position", sa.Integer),
    sa.Column("warning", sa.String(4)),
    sa.CheckConstraint(f"status IN ({', '.join(repr(s) for s in HEAT_STATUSES)})", name="known_heat_status"),
    sa.CheckConstraint(
        f"qualification IS NULL OR qualification IN ({', '.join(repr(q) for q in QUALIFICATION_CODES)})",
        name="known_qualification",
    ),
    sa.CheckConstraint("place IS NULL OR place >= 1", name="heat_place_positive"),
)

# Long track: every lap passage of every skater of a race, where the source gives them (the API).
lap_table = sa.Table(
    "laps",
    metadata,
    sa.Column("race_id", sa.String(96), sa.ForeignKey("races.race_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("competitor", sa.String(128), primary_key=True),
    sa.Column("lap", sa.Integer, primary_key=True),
    sa.Column("lap_time", sa.String(16)),
    sa.Column("passage_time", sa.String(16)),
    sa.Column("rank", sa.Integer),
    sa.CheckConstraint("lap >= 1", name="lap_positive"),
)

# Every race an event's timetable announces, raced yet or not (the API's programme), with its start.
schedule_table = sa.Table(
    "schedule",
    metadata,
    sa.Column("race_id", sa.String(96), primary_key=True),
    *_race_key_columns(),
    sa.Column("start", sa.String(32)),
    sa.Column("source", sa.String(256), nullable=False),
    sa.Index("ix_schedule_circuit_season", "circuit", "season"),
)

finding_table = sa.Table(
    "findings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("race_id", sa.String(96), sa.ForeignKey("races.race_id", ondelete="CASCADE")),
    sa.Column("source", sa.String(256), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.CheckConstraint(f"kind IN ({', '.join(repr(k) for k in FINDING_KINDS)})", name="known_kind"),
    sa.Index("ix_findings_race_id", "race_id"),
)

# A source's own id of a competitor (the results API's skater id), the strongest identity key.
competitor_id_table = sa.Table(
    "competitor_ids",
    metadata,
    sa.Column("source", sa.String(16), primary_key=True),
    sa.Column("source_id", sa.String(64), primary_key=True),
    sa.Column("competitor", sa.String(128), nullable=False),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("nation", sa.String(3), nullable=False),
)

meta_table = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


def default_cache_dir() -> Path:
    """Rinkside's folder in the user's cache (``$XDG_CACHE_HOME/rinkside``), made if missing."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "rinkside"
    cache.mkdir(parents=True, exist_ok=True)
    return cache


def default_url() -> str:
    """The database URL: ``RINKSIDE_DATABASE_URL``, else a SQLite file in the user's cache."""
    url = os.environ.get(DATABASE_URL_VARIABLE)
    if url:
        return url
    return f"sqlite:///{default_cache_dir() / 'rinkside.sqlite'}"


def pool_size() -> int:
    """The connection pool's size for a client-server database: ``RINKSIDE_DB_POOL_SIZE``, default 5.

    Each server process (a Streamlit server, a sync) keeps up to this many connections open,
    plus as many again for a moment under load (SQLAlchemy's ``max_overflow``); a database
    shared by many servers may need it lowered to stay under the server's ``max_connections``.

    Raises:
        StoreUnavailable: The variable is set to something other than a positive whole number.
    """
    text = os.environ.get(POOL_SIZE_VARIABLE, "").strip()
    if not text:
        return DEFAULT_POOL_SIZE
    if not text.isdigit() or int(text) < 1:
        raise StoreUnavailable(
            f"{POOL_SIZE_VARIABLE} {text!r} is not a positive whole number: set it to one "
            f"(connections per process), or unset it for the default, {DEFAULT_POOL_SIZE}"
        )
    return int(text)


def _engine_options(url: sa.URL) -> dict[str, Any]:
    """``create_engine`` options for the database at ``url``."""
    if url.get_backend_name() == "sqlite":
        return {}
    # A server's connections can be closed under the pool (a database restart, an idle timeout):
    # test each before use rather than fail the first query after.
    return {"pool_pre_ping": True, "pool_size": pool_size()}


#: What a database URL looks like, for the errors that say how to write one.
_URL_FORMS: Final = "sqlite:///PATH/TO/FILE.sqlite or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE"


def shown_url(url: str) -> str:
    """The URL as it may be shown to people: its password, if any, as ``***``.

    Also a ``password`` in the query (``?password=...``, which psycopg takes), and in a URL that
    SQLAlchemy cannot parse: whatever stands between the first ``:`` of what looks like
    ``user:password`` and the last ``@``.
    """
    try:
        shown = sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        shown = re.sub(r"^(.*?//)?([^:@/]*):.*@", r"\1\2:***@", url, flags=re.DOTALL)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", shown)


def _secrets(url: sa.URL) -> list[str]:
    """The passwords a URL holds (its own, and any in its query)."""
    given = url.query.get("password", ())
    return [p for p in [url.password, *([given] if isinstance(given, str) else given)] if p]


def _driver_says(error: sa.exc.DBAPIError, secrets: Sequence[str]) -> str:
    """The first line of the driver's own message, on one line, without a password."""
    lines = str(error.orig).strip().splitlines() or [type(error.orig).__name__]
    said = " ".join(lines[0].split()).removeprefix("connection failed: ")
    for secret in secrets:
        said = said.replace(secret, "***")
    return said


def _cannot_open(url: sa.URL, error: sa.exc.DBAPIError) -> str:
    """Why the database at ``url`` cannot be opened, and what to do, for ``StoreUnavailable``."""
    said = _driver_says(error, _secrets(url))
    if url.get_backend_name() != "sqlite":
        return f"cannot connect ({said}): start the database server or fix the URL"
    path = Path(url.database or "")
    if url.database and path.is_dir():
        return f"{path} is a folder, not a SQLite file: name a file in it, e.g. sqlite:///{path / 'rinkside.sqlite'}"
    if url.database and not path.parent.is_dir():
        return f"the folder {path.parent} does not exist: make it, or name a file in a folder that exists"
    if "file is not a database" in said:
        return f"{path} is not a SQLite database: name a Rinkside store, or a new file to make one"
    return f"cannot open {path} ({said}): check the path and its permissions"


def open_engine(url: str | None = None) -> Engine:
    """An engine on the store's database with the store's options, once it has made a connection.

    Args:
        url: SQLAlchemy database URL; defaults to ``default_url()``.

    Raises:
        StoreUnavailable: The URL does not parse, names a database or driver that is not
            installed, or cannot be opened (a folder, not a SQLite file, a server that does not
            answer), or ``RINKSIDE_DB_POOL_SIZE`` is not a positive whole number. The message
            names the URL (and ``RINKSIDE_DATABASE_URL`` if it came from there), never its password.
    """
    named = url or default_url()
    source = DATABASE_URL_VARIABLE if not url and os.environ.get(DATABASE_URL_VARIABLE) else "database URL"
    where = f"{source} {shown_url(named)!r}"
    try:
        parsed = sa.make_url(named)
    except sa.exc.ArgumentError as error:
        raise StoreUnavailable(f"{where}: not a database URL: write it as {_URL_FORMS}") from error
    try:
        engine = sa.create_engine(parsed, **_engine_options(parsed))
    except sa.exc.NoSuchModuleError as error:
        raise StoreUnavailable(f"{where}: no database driver {parsed.drivername!r}: use {_URL_FORMS}") from error
    except ImportError as error:
        raise StoreUnavailable(
            f"{where}: the driver of {parsed.drivername!r} is not installed ({error}): install it, "
            "or use postgresql+psycopg:// (installed with Rinkside) or sqlite://"
        ) from error
    except sa.exc.ArgumentError as error:
        raise StoreUnavailable(f"{where}: {' '.join(str(error).split())}: fix the URL") from error
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
    try:
        with engine.connect():
            pass  # the first connection, kept in the pool: whoever uses the engine next gets it
    except sa.exc.DBAPIError as error:
        engine.dispose()
        raise StoreUnavailable(f"{where}: {_cannot_open(parsed, error)}") from error
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, say when a transaction begins (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A writer takes the write lock when it begins ("IMMEDIATE"), so two imports at once wait
    # for each other instead of failing when one upgrades its read to a write.
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


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
    race_fields = {k: v for k, v in _race_row(race).items() if k != "source"}
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


def _race_row(race: Race) -> dict[str, Any]:
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


def _result_row(race_id: str, row_number: int, result: Result) -> dict[str, Any]:
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


def _read_findings(connection: Connection, circuit: str | None, season: str | None) -> pd.DataFrame:
    query = sa.select(
        finding_table.c.race_id, finding_table.c.source, finding_table.c.kind, finding_table.c.message
    ).select_from(finding_table.outerjoin(race_table))
    if circuit is not None:
        query = query.where(race_table.c.circuit == circuit)
    if season is not None:
        query = query.where(race_table.c.season == season)
    rows = connection.execute(query.order_by(finding_table.c.id)).mappings().all()
    return pd.DataFrame(rows, columns=["race_id", "source", "kind", "message"])


def _read_races(connection: Connection, circuit: str, season: str) -> pd.DataFrame:
    query = (
        sa.select(
            *[race_table.c[name] for name in RACE_COLUMNS],
            event_table.c.is_final,
            race_table.c.official,
            race_table.c.updated,
            race_table.c.start,
        )
        .select_from(race_table.join(event_table))
        .where(race_table.c.circuit == circuit, race_table.c.season == season)
        .order_by(race_table.c.world_cup, race_table.c.day, race_table.c.race_id)
    )
    frame = pd.DataFrame(
        connection.execute(query).mappings().all(),
        columns=[*RACE_COLUMNS, "is_final", "official", "updated", "start"],
    )
    return frame.astype(
        {**RACE_COLUMNS, "is_final": "bool", "official": "bool", "updated": "string", "start": "string"}
    )


def _read_results(connection: Connection, circuit: str, season: str) -> pd.DataFrame:
    query = (
        sa.select(result_table.c.row, *[result_table.c[name] for name in RESULT_COLUMNS])
        .select_from(result_table.join(race_table))
        .where(race_table.c.circuit == circuit, race_table.c.season == season)
        .order_by(result_table.c.race_id, result_table.c.row)
    )
    frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=["row", *RESULT_COLUMNS])
    return frame.astype({"row": "int64", **RESULT_COLUMNS})


def _read_heats(connection: Connection, circuit: str, season: str) -> pd.DataFrame:
    query = (
        sa.select(*[heat_table.c[name] for name in HEAT_COLUMNS])
        .select_from(heat_table.join(race_table))
        .where(race_table.c.circuit == circuit, race_table.c.season == season)
        .order_by(heat_table.c.race_id, heat_table.c.row)
    )
    frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=list(HEAT_COLUMNS))
    return frame.astype(HEAT_COLUMNS)


def _read_schedule(connection: Connection, circuit: str, season: str) -> pd.DataFrame:
    query = (
        sa.select(*[schedule_table.c[name] for name in SCHEDULE_COLUMNS])
        .where(schedule_table.c.circuit == circuit, schedule_table.c.season == season)
        .order_by(schedule_table.c.world_cup, schedule_table.c.start, schedule_table.c.race_id)
    )
    frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=list(SCHEDULE_COLUMNS))
    return frame.astype(SCHEDULE_COLUMNS)


def _schedule_row(item: ScheduledRace) -> dict[str, Any]:
    race = item.race
    return {
        **{name: _race_row(race)[name] for name in SCHEDULE_COLUMNS if name != "start"},
        "start": item.start,
    }


def _read_laps(connection: Connection, circuit: str, season: str) -> pd.DataFrame:
    query = (
        sa.select(*[lap_table.c[name] for name in LAP_COLUMNS])
        .select_from(lap_table.join(race_table))
        .where(race_table.c.circuit == circuit, race_table.c.season == season)
        .order_by(lap_table.c.race_id, lap_table.c.competitor, lap_table.c.lap)
    )
    frame = pd.DataFrame(connection.execute(query).mappings().all(), columns=list(LAP_COLUMNS))
    return frame.astype(LAP_COLUMNS)


class Store:
    """The results store.

    The schema is the newest revision of ``standings.storage.schema``: an empty database is
    created at it; one that is behind is refused (``SchemaMismatch``, advising ``standings db
    upgrade``) unless ``upgrade`` allows the upgrade.

    Args:
        url: SQLAlchemy database URL; defaults to ``default_url()``.
        upgrade: Whether to upgrade a database that is behind on opening. By default only the
            user's own cache file is (``url`` not given and ``RINKSIDE_DATABASE_URL`` unset): a
            database named by URL may be shared by servers of another release, so it is upgraded
            on purpose, by ``standings db upgrade``.

    Raises:
        StoreUnavailable: The database cannot be opened (see ``open_engine``).
        SchemaMismatch: The database is behind (and not to be upgraded here), of a newer
            release, or not a Rinkside store; it is left as it is.
    """

    def __init__(self, url: str | None = None, *, upgrade: bool | None = None) -> None:
        if upgrade is None:
            upgrade = url is None and not os.environ.get(DATABASE_URL_VARIABLE)
        self.url = url or default_url()
        self.engine: Engine = open_engine(url)
        # A store dropped without close() (e.g. by a cache being cleared) closes its connections
        # when it is collected, rather than leave them to the driver's garbage (psycopg warns).
        weakref.finalize(self, self.engine.dispose)
        # Create the schema under the write lock: several processes may open one new database at once.
        try:
            with self._writing() as connection:
                self.schema = schema.prepare(connection, allow_upgrade=upgrade)
        except BaseException:
            self.engine.dispose()  # a refused database: no connection is left open behind the error
            raise

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A connection inside a write transaction, serialized against every other writer.

        Whoever writes waits first for the writer before it to commit (or roll back), then reads
        and writes with the store to itself, so a read-then-write (is this race stored? add it)
        cannot race another process doing the same.

        - SQLite: the transaction begins ``IMMEDIATE`` (see ``_sqlite_begin``), taking the
          database's write lock at once (readers go on, in WAL mode).
        - PostgreSQL: its first statement takes a transaction-level advisory lock
          (``pg_advisory_xact_lock(WRITE_LOCK_KEY)``), released at commit or rollback. Its reads
          are READ COMMITTED, so after the wait they see what the writer before committed.
        - Other databases: a plain transaction (no lock between writers).

        Commits when the block ends, rolls back on an exception.
        """
        with self.engine.connect() as connection:
            connection.execution_options(sqlite_begin="IMMEDIATE")
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(sa.select(sa.func.pg_advisory_xact_lock(WRITE_LOCK_KEY)))
                yield connection

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def import_races(
        self,
        items: Iterable[RaceImport],
        *,
        meta: dict[str, str] | None = None,
        meta_if_changed: dict[str, str] | None = None,
    ) -> list[tuple[str, Outcome]]:
        """Write races in one transaction: all of them, or, on any error, none.

        Args:
            items: The races.
            meta: Settings to store in the same transaction (e.g. the data fingerprint).
            meta_if_changed: Settings to store only if a race was added or replaced (e.g. when
                a sync last changed a season): a write that changes nothing leaves the store as it was.

        Returns:
            ``(race_id, outcome)`` per race: ``added``, ``replaced`` or ``unchanged``.
        """
        return self.write_event(items, meta=meta, meta_if_changed=meta_if_changed)[0]

    def write_event(
        self,
        items: Iterable[RaceImport],
        *,
        timetable: Timetable | None = None,
        meta: dict[str, str] | None = None,
        meta_if_changed: dict[str, str] | None = None,
    ) -> tuple[list[tuple[str, Outcome]], bool]:
        """Write an event's races and its timetable in one transaction: all of it, or none.

        The data version (what a dashboard follows) changes once, if anything changed.

        Args:
            items: The races (as ``import_races`` takes them).
            timetable: The event's timetable, to store in place of the one stored.
            meta: Settings to store in the same transaction.
            meta_if_changed: Settings to store only if a race or the timetable changed.

        Returns:
            ``(race_id, outcome)`` per race, and whether the timetable changed.

        Raises:
            ValueError: If a timetable's race is of another event, or two have one race id.
        """
        with self._writing() as connection:
            timetable_changed = timetable is not None and self._replace_timetable(connection, timetable)
            outcomes = [(item.race.race_id, self._write(connection, item)) for item in items]
            settings = dict(meta or {})
            if timetable_changed or any(outcome != "unchanged" for _, outcome in outcomes):
                settings.update(meta_if_changed or {})
                # Readers (the dashboard's caches) compare this to tell that the data changed.
                settings[DATA_VERSION_KEY] = uuid.uuid4().hex
            for key, value in settings.items():
                connection.execute(meta_table.delete().where(meta_table.c.key == key))
                connection.execute(meta_table.insert().values(key=key, value=value))
            return outcomes, timetable_changed

    def _write(self, connection: Connection, item: RaceImport) -> Outcome:
        race = item.race
        digest = content_hash(
            race, item.results, official=item.official, heats=item.heats, laps=item.laps, start=item.start
        )
        self._add_identities(connection, item.identities)
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
                    **_race_row(race),
                    "official": item.official,
                    "updated": item.updated,
                    "start": item.start,
                    "content_hash": digest,
                }
            )
        )
        connection.execute(
            result_table.insert(), [_result_row(race.race_id, n, r) for n, r in enumerate(item.results, start=1)]
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

    @staticmethod
    def _add_identities(connection: Connection, identities: Iterable[CompetitorId]) -> None:
        """Store a source's ids of competitors that it does not have stored yet."""
        for identity in identities:
            key = (competitor_id_table.c.source == identity.source) & (
                competitor_id_table.c.source_id == identity.source_id
            )
            known_id = connection.execute(sa.select(competitor_id_table.c.competitor).where(key)).scalar_one_or_none()
            if known_id is None:
                connection.execute(competitor_id_table.insert().values(asdict(identity)))

    def schedule(self, circuit: str, season: str) -> pd.DataFrame:
        """Every race the season's stored event timetables announce (``model.SCHEDULE_COLUMNS``)."""
        with self.engine.connect() as connection:
            return _read_schedule(connection, circuit, season)

    def replace_schedule(self, timetable: Timetable) -> bool:
        """Store an event's timetable in place of the one stored (every race it announces).

        One transaction; a timetable equal to the stored one writes nothing. To store it with
        the event's races, in their transaction, use ``write_event``.

        Returns:
            Whether the stored timetable changed.

        Raises:
            ValueError: If a race is of another event, or two have one race id.
        """
        return self.write_event([], timetable=timetable)[1]

    def _replace_timetable(self, connection: Connection, timetable: Timetable) -> bool:
        circuit, season, world_cup = timetable.circuit, timetable.season, timetable.world_cup
        rows = [_schedule_row(item) for item in timetable.races]
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

    def check_race(self, race_id: str, messages: Sequence[str], *, identities: Sequence[CompetitorId] = ()) -> bool:
        """Record what a check of a stored race found (replacing that check's earlier findings).

        Args:
            race_id: The race checked.
            messages: What the check found.
            identities: The checking source's own ids of the race's competitors (the API's skater
                ids, say), learned while checking: stored in the same transaction, where new.

        Returns:
            Whether the race is stored (nothing is recorded otherwise).
        """
        with self._writing() as connection:
            source = connection.execute(
                sa.select(race_table.c.source).where(race_table.c.race_id == race_id)
            ).scalar_one_or_none()
            if source is None:
                return False
            self._add_identities(connection, identities)
            checks = (finding_table.c.race_id == race_id) & (finding_table.c.kind == "check")
            earlier = connection.execute(
                sa.select(finding_table.c.message).where(checks).order_by(finding_table.c.id)
            ).scalars()
            if [str(m) for m in earlier] == list(messages):
                return True  # the same findings again: nothing to write
            connection.execute(finding_table.delete().where(checks))
            if messages:
                connection.execute(
                    finding_table.insert(),
                    [{"race_id": race_id, "source": source, "kind": "check", "message": m} for m in messages],
                )
        return True

    def _one(self, query: sa.Select[Any]) -> str | None:
        """The one value a query selects, as text, or ``None`` when there is none."""
        with self.engine.connect() as connection:
            value = connection.execute(query).scalar_one_or_none()
        return None if value is None else str(value)

    def get_meta(self, key: str) -> str | None:
        """A stored setting, e.g. the fingerprint of the data the store was built from."""
        return self._one(sa.select(meta_table.c.value).where(meta_table.c.key == key))

    def data_version(self) -> str | None:
        """A token that changes whenever results change (cheap: one row read)."""
        return self.get_meta(DATA_VERSION_KEY)

    def synced_at(self, circuit: str, season: str) -> datetime | None:
        """When a sync from the ISU results API last changed the season, or ``None`` if none did."""
        value = self.get_meta(SYNCED_KEY.format(circuit=circuit, season=season))
        return datetime.fromisoformat(value) if value else None

    def competitor_ids(self, source: str) -> dict[str, str]:
        """A source's competitor ids and the competitor each stands for (``{"537": "erben-wennemars-ned"}``)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(competitor_id_table.c.source_id, competitor_id_table.c.competitor).where(
                    competitor_id_table.c.source == source
                )
            ).all()
        return {str(source_id): str(competitor) for source_id, competitor in rows}

    def competitors(self) -> pd.DataFrame:
        """Every competitor stored, with a name and nation as stored: ``competitor, name, nation``."""
        # In a stated order: DISTINCT alone leaves it to the database (PostgreSQL may hash), and a
        # competitor stored under two spellings would then come last in either one.
        query = (
            sa.select(result_table.c.competitor, result_table.c.name, result_table.c.nation)
            .distinct()
            .order_by(result_table.c.competitor, result_table.c.name, result_table.c.nation)
        )
        with self.engine.connect() as connection:
            return pd.DataFrame(connection.execute(query).all(), columns=["competitor", "name", "nation"])

    def race_source(self, race_id: str) -> str | None:
        """Where a stored race came from (its ``source``), or ``None`` when it is not stored."""
        return self._one(sa.select(race_table.c.source).where(race_table.c.race_id == race_id))

    def set_meta(self, key: str, value: str) -> None:
        """Store a setting."""
        self.import_races([], meta={key: value})

    def seasons(self) -> pd.DataFrame:
        """Circuits and seasons loaded, with their counts of events, races and results."""
        query = (
            sa.select(
                race_table.c.circuit,
                race_table.c.season,
                sa.func.count(sa.distinct(race_table.c.event_id)).label("events"),
                sa.func.count(sa.distinct(race_table.c.race_id)).label("races"),
                sa.func.count(result_table.c.competitor).label("results"),
            )
            .select_from(race_table.join(result_table))
            .group_by(race_table.c.circuit, race_table.c.season)
            .order_by(race_table.c.circuit, race_table.c.season)
        )
        with self.engine.connect() as connection:
            return pd.DataFrame(
                connection.execute(query).mappings().all(), columns=["circuit", "season", "events", "races", "results"]
            )

    @contextmanager
    def _read_transaction(self) -> Iterator[Connection]:
        """A connection inside one read transaction: every SELECT in it sees the same committed state.

        On SQLite the ``begin`` hook (``_sqlite_begin``) issues ``BEGIN DEFERRED`` and the sqlite3
        module is kept out of transaction control (``_sqlite_pragmas``), so the read snapshot taken
        by the first SELECT lasts until the transaction ends, whatever commits meanwhile (WAL mode
        lets writers go on). Other databases need an isolation level that keeps one snapshot for
        the whole transaction: PostgreSQL's default, READ COMMITTED, takes a new one per statement.
        """
        with self.engine.connect() as connection:
            if self.engine.dialect.name != "sqlite":
                connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                yield connection

    def season_rows(self, circuit: str, season: str) -> SeasonRows:
        """Everything a season load reads, from one snapshot of the store (one read transaction).

        Reading the races and the results in two transactions lets an import that commits in
        between show a race without its results (or results without their race); here the
        races, the results and the data version are all of the same committed state.

        Args:
            circuit: E.g. ``lt-wc``.
            season: E.g. ``2025-26``.

        Returns:
            The races (as ``races``), their results (as ``results``) and the data version they
            were read at.
        """
        with self._read_transaction() as connection:
            version = connection.execute(
                sa.select(meta_table.c.value).where(meta_table.c.key == DATA_VERSION_KEY)
            ).scalar_one_or_none()
            races = _read_races(connection, circuit, season)
            results = _read_results(connection, circuit, season)
            findings = _read_findings(connection, circuit, season)
            heats = _read_heats(connection, circuit, season)
            laps = _read_laps(connection, circuit, season)
            schedule = _read_schedule(connection, circuit, season)
        return SeasonRows(
            races=races,
            results=results,
            data_version=None if version is None else str(version),
            findings=findings,
            heats=heats,
            laps=laps,
            schedule=schedule,
        )

    def races(self, circuit: str, season: str) -> pd.DataFrame:
        """The races of a season: the columns of ``RACE_COLUMNS`` plus ``is_final``, ``official``, ``updated``.

        One statement, so one consistent state; to read them with their results, use ``season_rows``.
        """
        with self.engine.connect() as connection:
            return _read_races(connection, circuit, season)

    def results(self, circuit: str, season: str) -> pd.DataFrame:
        """The results of a season, with the columns of ``RESULT_COLUMNS`` plus ``row``.

        One statement, so one consistent state; to read them with their races, use ``season_rows``.
        """
        with self.engine.connect() as connection:
            return _read_results(connection, circuit, season)

    def findings(self, circuit: str | None = None, season: str | None = None) -> pd.DataFrame:
        """Data-quality findings recorded at import: ``race_id, source, kind, message`` (see ``FindingKind``)."""
        with self.engine.connect() as connection:
            return _read_findings(connection, circuit, season)

    def incomplete_podiums(self, circuit: str, season: str) -> list[str]:
        """Races of a season whose source lost a podium place (their medals are missing)."""
        found = self.findings(circuit, season)
        return sorted(set(found.loc[found["kind"] == "podium-lost", "race_id"].dropna()))

    def relays_missing(self, circuit: str, season: str) -> bool:
        """Whether a source of the season holds no relay results (so relay medals are missing)."""
        found = self.findings(circuit, season)
        return bool((found["kind"] == "relays-absent").any())

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, sorted: for comparing the store before and after."""
        with self.engine.connect() as connection:
            return {
                table.name: sorted(
                    (
                        tuple(row)
                        for row in connection.execute(
                            sa.select(*[c for c in table.c if not (c.primary_key and c.autoincrement is True)])
                        ).all()
                    ),
                    key=repr,
                )
                for table in metadata.sorted_tables
            }
