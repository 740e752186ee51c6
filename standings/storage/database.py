"""Opening the store's database: its URL, its connection pool, and what is said when it cannot be opened.

The database is chosen by a URL, ``RINKSIDE_DATABASE_URL`` in the environment
(e.g. ``postgresql+psycopg://user@host/rinkside``); without it the store is a
SQLite file in WAL mode in the user's cache.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from standings.errors import StoreUnavailable

DATABASE_URL_VARIABLE: Final = "RINKSIDE_DATABASE_URL"
#: How many connections a server process keeps open to a client-server database (PostgreSQL).
POOL_SIZE_VARIABLE: Final = "RINKSIDE_DB_POOL_SIZE"
DEFAULT_POOL_SIZE: Final = 5


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
