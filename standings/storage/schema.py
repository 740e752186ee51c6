"""The store's schema: its revision, and bringing a database to the newest one (Alembic).

The history is in ``standings/storage/migrations/versions``, one revision per change, the
first of them (``0001``) the schema of Rinkside 0.1.0. A database is

- *empty*: it is created at the newest revision on first use;
- *at the newest revision*: used as it is;
- *behind*: upgraded by ``standings db upgrade`` (``upgrade(connection)``); opening it otherwise
  is refused with that advice, except the user's own cache file, which is upgraded on opening
  (see ``Store``). Nothing is ever dropped and made anew: a hosted database is upgraded under its
  data, and a server still running the old release keeps reading the tables it knows;
- *made by 0.1.0* (its ``meta`` row ``schema_version = 4``, no Alembic version table): it is
  behind, at ``0001``;
- *of a newer release* or *not Rinkside's*: refused, naming what was found.

Every step runs in the caller's transaction (which holds the store's write lock), so two
servers opening one new database create it once, and a failed upgrade changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from standings.errors import StandingsError

if TYPE_CHECKING:  # Alembic is imported only to create or upgrade a database (10 MB, 0.2 s)
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS: Final = Path(__file__).resolve().parent / "migrations"
#: The newest revision (the last file in ``migrations/versions``; a test checks it is Alembic's head).
#: Known here so that opening a database at this revision needs no Alembic.
HEAD: Final = "0005"
#: The revision a database made by Rinkside 0.1.0 is at (it predates the version table).
RELEASE_0_1_0: Final = "0001"
UPGRADE_ADVICE: Final = "run `standings db upgrade` (with the same --database or RINKSIDE_DATABASE_URL)"


class SchemaMismatch(StandingsError):
    """The database's schema is not the one this release reads (and was left as it is)."""


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands.

    Attributes:
        revision: Its revision (``None``: empty, or not Rinkside's).
        head: The newest revision this release knows.
        empty: Whether it holds no table at all.
        legacy: Whether it was made by Rinkside 0.1.0, before migrations (its revision is then ``0001``).
    """

    revision: str | None
    head: str
    empty: bool = False
    legacy: bool = False

    @property
    def current(self) -> bool:
        """Whether the database is at the newest revision."""
        return self.revision == self.head

    def describe(self) -> str:
        """One line for people: ``revision 0002 (the newest)``, ``revision 0001 of 0002: behind``…"""
        if self.empty:
            return f"empty (the newest revision is {self.head})"
        if self.revision is None:
            return "not a Rinkside store (no revision found)"
        made = " (made by Rinkside 0.1.0)" if self.legacy else ""
        if self.current:
            return f"revision {self.revision}{made}, the newest"
        return f"revision {self.revision}{made}; the newest is {self.head}"


def _config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def head() -> str:
    """The newest revision this release knows (Alembic's head of ``migrations/versions``)."""
    revision = _scripts().get_current_head()
    assert revision is not None, f"no migration in {MIGRATIONS}"
    return revision


def revisions() -> list[str]:
    """Every revision, oldest first."""
    return [script.revision for script in reversed(list(_scripts().walk_revisions()))]


def state(connection: Connection) -> SchemaState:
    """Where the database on ``connection`` stands (reads only)."""
    tables = set(sa.inspect(connection).get_table_names())
    if "alembic_version" in tables:  # the usual case, read without Alembic
        found = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
        if found == [HEAD]:
            return SchemaState(revision=HEAD, head=HEAD)
    from alembic.runtime.migration import MigrationContext

    newest = head()
    if not tables:
        return SchemaState(revision=None, head=newest, empty=True)
    revision = MigrationContext.configure(connection).get_current_revision()
    if revision is not None:
        return SchemaState(revision=revision, head=newest)
    if "meta" in tables:
        marker = connection.execute(sa.text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
        if marker == "4":
            return SchemaState(revision=RELEASE_0_1_0, head=newest, legacy=True)
    return SchemaState(revision=None, head=newest)


def upgrade(connection: Connection) -> SchemaState:
    """Bring the database to the newest revision (create it when empty).

    Raises:
        SchemaMismatch: The database is of a newer release, or not a Rinkside store.
    """
    found = state(connection)
    if found.current:
        return found
    _refuse_unknown(found)
    from alembic import command

    config = _config(connection)
    if found.legacy:
        command.stamp(config, RELEASE_0_1_0)
    command.upgrade(config, "head")
    return state(connection)


def prepare(connection: Connection, *, allow_upgrade: bool) -> SchemaState:
    """Make the database ready to use: create an empty one; upgrade one that is behind only when
    ``allow_upgrade``.

    Raises:
        SchemaMismatch: Behind and not allowed to upgrade (with the command that does it), of a
            newer release, or not a Rinkside store.
    """
    found = state(connection)
    if found.current:
        return found
    if found.empty or allow_upgrade:
        return upgrade(connection)
    _refuse_unknown(found)
    raise SchemaMismatch(f"the database is at {found.describe()}: {UPGRADE_ADVICE}")


def _refuse_unknown(found: SchemaState) -> None:
    if found.empty:
        return
    if found.revision is None:
        raise SchemaMismatch(
            "the database holds tables but no Rinkside revision (not a Rinkside store, or one made by a "
            "development build before 0.1.0): point RINKSIDE_DATABASE_URL at an empty database or a Rinkside store"
        )
    if found.revision not in revisions():
        raise SchemaMismatch(
            f"the database is at revision {found.revision}, which this release does not know (the newest it "
            f"knows is {found.head}): it was written by a newer Rinkside; upgrade Rinkside"
        )
