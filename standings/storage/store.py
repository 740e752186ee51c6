"""The results store: SQLAlchemy Core over embedded SQLite by default.

The database is chosen by a URL, ``RINKSIDE_DATABASE_URL`` in the environment
(e.g. ``postgresql+psycopg://user@host/rinkside``); without it the store is a
SQLite file in WAL mode. Every import of one file is one transaction: a race's
results are compared with what is stored and then added, replaced whole, or
left alone, and a failure leaves the store exactly as it was.

The store is made of: ``standings.storage.tables`` (the tables, from their declarations in
``standings.model``), ``database`` (opening the database), ``reading`` and ``writing``; the
names callers import from here (``Store``, ``open_engine``, ``metadata`` ...) stay importable
from this module.
"""

from __future__ import annotations

import os
import uuid
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Final

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from standings.model import CompetitorId, RaceImport, Timetable
from standings.storage import schema
from standings.storage.database import (
    DATABASE_URL_VARIABLE,
    DEFAULT_POOL_SIZE,
    POOL_SIZE_VARIABLE,
    default_cache_dir,
    default_url,
    open_engine,
    pool_size,
    shown_url,
)
from standings.storage.reading import (
    SeasonRows,
    read_findings,
    read_heats,
    read_laps,
    read_races,
    read_results,
    read_schedule,
)
from standings.storage.tables import (
    competitor_id_table,
    event_table,
    finding_table,
    heat_table,
    lap_table,
    meta_table,
    metadata,
    race_table,
    result_table,
    schedule_table,
)
from standings.storage.writing import Outcome, add_identities, content_hash, replace_timetable, write_race

__all__ = [
    "DATABASE_URL_VARIABLE",
    "DATA_VERSION_KEY",
    "DEFAULT_POOL_SIZE",
    "POOL_SIZE_VARIABLE",
    "SYNCED_KEY",
    "WRITE_LOCK_KEY",
    "Outcome",
    "SeasonRows",
    "Store",
    "competitor_id_table",
    "content_hash",
    "default_cache_dir",
    "default_url",
    "event_table",
    "finding_table",
    "heat_table",
    "lap_table",
    "meta_table",
    "metadata",
    "open_engine",
    "pool_size",
    "race_table",
    "result_table",
    "schedule_table",
    "shown_url",
]

#: The key of the PostgreSQL advisory lock every writer takes (see ``Store._writing``): a fixed,
#: arbitrary 64-bit number, the same in every release, so that every writer of one database
#: waits for the others ("rinkside" in ASCII).
WRITE_LOCK_KEY: Final = 0x72696E6B73696465
#: The meta key whose value changes with every write that changes results.
DATA_VERSION_KEY: Final = "data_version"
#: When a sync from the ISU results API last changed a season (``standings.storage.sync``).
SYNCED_KEY: Final = "synced:{circuit}/{season}"


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

        - SQLite: the transaction begins ``IMMEDIATE`` (see ``database._sqlite_begin``), taking the
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
            timetable_changed = timetable is not None and replace_timetable(connection, timetable)
            outcomes = [(item.race.race_id, write_race(connection, item)) for item in items]
            settings = dict(meta or {})
            if timetable_changed or any(outcome != "unchanged" for _, outcome in outcomes):
                settings.update(meta_if_changed or {})
                # Readers (the dashboard's caches) compare this to tell that the data changed.
                settings[DATA_VERSION_KEY] = uuid.uuid4().hex
            for key, value in settings.items():
                connection.execute(meta_table.delete().where(meta_table.c.key == key))
                connection.execute(meta_table.insert().values(key=key, value=value))
            return outcomes, timetable_changed

    def schedule(self, circuit: str, season: str) -> pd.DataFrame:
        """Every race the season's stored event timetables announce (``model.SCHEDULE_COLUMNS``)."""
        with self.engine.connect() as connection:
            return read_schedule(connection, circuit, season)

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
            add_identities(connection, identities)
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

        On SQLite the ``begin`` hook (``database._sqlite_begin``) issues ``BEGIN DEFERRED`` and the sqlite3
        module is kept out of transaction control (``database._sqlite_pragmas``), so the read snapshot taken
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
            races = read_races(connection, circuit, season)
            results = read_results(connection, circuit, season)
            findings = read_findings(connection, circuit, season)
            heats = read_heats(connection, circuit, season)
            laps = read_laps(connection, circuit, season)
            schedule = read_schedule(connection, circuit, season)
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
            return read_races(connection, circuit, season)

    def results(self, circuit: str, season: str) -> pd.DataFrame:
        """The results of a season, with the columns of ``RESULT_COLUMNS`` plus ``row``.

        One statement, so one consistent state; to read them with their races, use ``season_rows``.
        """
        with self.engine.connect() as connection:
            return read_results(connection, circuit, season)

    def findings(self, circuit: str | None = None, season: str | None = None) -> pd.DataFrame:
        """Data-quality findings recorded at import: ``race_id, source, kind, message`` (see ``FindingKind``)."""
        with self.engine.connect() as connection:
            return read_findings(connection, circuit, season)

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
