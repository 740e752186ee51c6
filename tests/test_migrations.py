"""Schema migrations: a database made by the previous release is upgraded with its data, never rebuilt."""

from __future__ import annotations

import hashlib
import io
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from standings.cli import main
from standings.model import STORED_TABLES
from standings.storage import schema
from standings.storage.schema import SchemaMismatch
from standings.storage.store import Store, metadata
from standings.storage.tables import sql_type

from conftest import Database

#: A store written by Rinkside 0.1.0 (schema version 4, no migrations): six races of the
#: 2025/26 World Cup #1 with 180 results and a meta note, made by that release's own code.
RELEASE_0_1_0 = Path(__file__).parent / "fixtures" / "store-0.1.0.sqlite"


def _digest(path: Path) -> str:
    """The database's content (every table and row), not its bytes: opening it turns on WAL mode."""
    with closing(sqlite3.connect(path)) as db:
        return hashlib.sha256("\n".join(db.iterdump()).encode()).hexdigest()


def _content(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every table and its rows, sorted, on any backend."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return {
                table: sorted(tuple(row) for row in connection.execute(sa.text(f"SELECT * FROM {table}")))
                for table in sorted(sa.inspect(connection).get_table_names())
            }
    finally:
        engine.dispose()


OF_0_1_0 = pytest.mark.sqlite_only("the store made by Rinkside 0.1.0 is a SQLite file")


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def release_0_1_0(tmp_path: Path) -> Path:
    copy = tmp_path / "store-0.1.0.sqlite"
    shutil.copyfile(RELEASE_0_1_0, copy)
    return copy


@OF_0_1_0
def test_a_store_made_by_the_previous_release_is_refused_until_upgraded_and_keeps_its_data(
    release_0_1_0: Path,
) -> None:
    url = f"sqlite:///{release_0_1_0}"
    before = _digest(release_0_1_0)
    with pytest.raises(SchemaMismatch, match=r"revision 0001 \(made by Rinkside 0\.1\.0\).*standings db upgrade"):
        Store(url)
    assert _digest(release_0_1_0) == before  # refused, and nothing written

    assert _cli("--database", url, "db", "status") == (
        1,
        "revision 0001 (made by Rinkside 0.1.0); the newest is 0005\n",
        "",
    )
    code, out, err = _cli("--database", url, "db", "upgrade")
    assert (code, out, err) == (0, "upgraded from revision 0001 (made by Rinkside 0.1.0) to 0005, the newest\n", "")
    assert _cli("--database", url, "db", "status") == (0, "revision 0005, the newest\n", "")
    assert _cli("--database", url, "db", "upgrade")[1] == "already at revision 0005, the newest\n"

    store = Store(url)
    races = store.races("lt-wc", "2025-26")
    assert len(races) == 6 and len(store.results("lt-wc", "2025-26")) == 180
    assert store.get_meta("note") == "made by Rinkside 0.1.0 (schema version 4, before migrations)"
    assert store.get_meta("schema_version") is None  # 0.1.0's own marker, replaced by the version table
    with store.engine.connect() as connection:
        indexes = {ix["name"] for table in ("races", "findings") for ix in sa.inspect(connection).get_indexes(table)}
        assert {"ix_races_circuit_season", "ix_findings_race_id"} <= indexes
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    store.close()


def test_an_empty_database_is_made_at_the_newest_revision_exactly_as_the_code_declares(database: Database) -> None:
    store = Store(database.url("new"))
    assert store.engine.dialect.name == database.name
    assert store.schema.revision == schema.head() == schema.revisions()[-1]
    with store.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
        assert MigrationContext.configure(connection).get_current_revision() == schema.head()
    store.close()


@OF_0_1_0
def test_every_revision_downgrades_and_upgrades_again(release_0_1_0: Path) -> None:
    from alembic import command

    engine = sa.create_engine(f"sqlite:///{release_0_1_0}")
    with engine.begin() as connection:
        schema.upgrade(connection)
        config = schema._config(connection)
        command.downgrade(config, "0001")
        assert schema.state(connection).revision == "0001"
        assert connection.execute(sa.text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar() == "4"
        schema.upgrade(connection)
        assert schema.state(connection).current
        assert connection.execute(sa.text("SELECT count(*) FROM results")).scalar() == 180
    engine.dispose()


def test_the_newest_revision_makes_the_declared_tables_column_by_column(database: Database) -> None:
    """As ``model.STORED_TABLES`` declares them: every column, its type, size, whether it may be empty, the key.

    Not the columns' order: every read names its columns, and a column a revision adds comes last
    in the database (``races.start``, of 0004, after ``content_hash``).
    """
    store = Store(database.url("declared"))
    with store.engine.connect() as connection:
        inspector = sa.inspect(connection)
        assert set(inspector.get_table_names()) == {*STORED_TABLES, "alembic_version"}
        for name, declared in STORED_TABLES.items():
            found = inspector.get_columns(name)
            assert sorted(c["name"] for c in found) == sorted(declared), name
            keys = inspector.get_pk_constraint(name)["constrained_columns"]
            assert sorted(keys) == sorted(column for column, stored in declared.items() if stored.key), name
            for column in found:
                stored, made = declared[column["name"]], sql_type(declared[column["name"]])
                where = f"{name}.{column['name']}"
                assert column["nullable"] == stored.nullable, where
                assert column["type"]._type_affinity is made._type_affinity, where  # text, integer, boolean
                assert getattr(column["type"], "length", None) == stored.size, where
    store.close()


@OF_0_1_0
def test_a_database_of_a_newer_release_is_refused_and_left_alone(release_0_1_0: Path) -> None:
    url = f"sqlite:///{release_0_1_0}"
    assert _cli("--database", url, "db", "upgrade")[0] == 0
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    before = _digest(release_0_1_0)
    with pytest.raises(SchemaMismatch, match=r"revision 0099, which this release does not know.*newer Rinkside"):
        Store(url, upgrade=True)
    code, _, err = _cli("--database", url, "db", "upgrade")
    assert code == 1 and "written by a newer Rinkside" in err
    assert _digest(release_0_1_0) == before


def test_a_database_not_rinksides_is_refused_and_left_alone(database: Database) -> None:
    other = database.url("other")
    engine = sa.create_engine(other, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
        connection.execute(sa.text("INSERT INTO invoices (id) VALUES (1), (2)"))
    engine.dispose()
    before = _content(other)
    with pytest.raises(SchemaMismatch, match="not a Rinkside store"):
        Store(other, upgrade=True)
    assert _content(other) == before == {"invoices": [(1,), (2,)]}


@OF_0_1_0
def test_the_users_own_cache_store_is_upgraded_on_opening(
    release_0_1_0: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The laptop default: the cache file is this machine's alone, so opening it upgrades it."""
    monkeypatch.delenv("RINKSIDE_DATABASE_URL")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "cache" / "rinkside").mkdir(parents=True)
    shutil.copyfile(release_0_1_0, tmp_path / "cache" / "rinkside" / "rinkside.sqlite")
    store = Store()
    assert store.schema.current and store.schema.revision == schema.head()
    assert len(store.results("lt-wc", "2025-26")) == 180
    store.close()


def test_the_head_known_without_alembic_is_alembics_head() -> None:
    """``schema.HEAD`` (read to open a current database without importing Alembic) is the newest file's."""
    assert schema.HEAD == schema.head() == schema.revisions()[-1]
