"""Shared fixtures: the official sheets (read once), hermetic stores on SQLite and PostgreSQL, no network.

The store-facing test modules (``BOTH_BACKENDS``) run each test twice, ids ``sqlite`` and
``postgresql``: the ``database`` fixture is parametrized for them and every store a test opens
(``store``, ``RINKSIDE_DATABASE_URL``, ``database.url()``) is on that backend. The PostgreSQL
server is a real one, started once for the session (``pg_server``); where none can be started the
``postgresql`` variants skip and say why. Every other module runs on SQLite only.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any, Final, Literal

import pytest
import sqlalchemy as sa

from standings.sources.isu_sheet import Sheet, read_sheet
from standings.storage.shipped import aliases
from standings.storage.store import Store

sys.path.insert(0, str(Path(__file__).parent))
from pg_server import PostgresServer, ServerUnavailable
from shared_data import MISSING, SHARED

# Test modules that load a season at import (collection) run before any fixture: give them a
# store of the test session's own too, never the user's cache.
os.environ["RINKSIDE_DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='rinkside-tests-')}/rinkside.sqlite"

SHARED_SHEETS = SHARED / "lt-world-cup-2025-26"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection to a host other than this machine fails the test."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1")) and "/" not in host:
            raise RuntimeError(f"tests must not use the network (tried {address!r})")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


Backend = Literal["sqlite", "postgresql"]
BACKENDS: Final[tuple[Backend, ...]] = ("sqlite", "postgresql")

#: The modules whose tests run on both backends (by module name); the rest run on SQLite only.
#: test_golden_outputs reads the shipped seasons from a store and computes every output from them
#: (45 s on SQLite, 92 s more on PostgreSQL): it stays on SQLite, and test_standings checks instead
#: that every season it reads comes out of PostgreSQL exactly as out of SQLite (the engine is pure).
BOTH_BACKENDS: Final = frozenset(
    {
        "test_store",
        "test_sync",
        "test_live_feed",
        "test_reliability",
        "test_consistency",
        "test_results_csv",
        "test_shorttrack_import",
        "test_cli",
        "test_standings",
        "test_migrations",
        "test_fuzz",
    }
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): a test about SQLite itself (WAL, its files): not run on PostgreSQL",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the tests of ``BOTH_BACKENDS`` modules once per backend (ids ``sqlite``, ``postgresql``)."""
    if "database" not in metafunc.fixturenames or metafunc.module.__name__ not in BOTH_BACKENDS:
        return
    backends = list(BACKENDS)
    if metafunc.definition.get_closest_marker("sqlite_only") is not None:
        backends = ["sqlite"]
    # Module scope: a module's fixtures that load a season once (scope="module") do it per backend.
    metafunc.parametrize("database", backends, indirect=True, ids=backends, scope="module")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer | str]:
    """The session's PostgreSQL server, or, where none could be started, why not."""
    try:
        server = PostgresServer.start()
    except ServerUnavailable as failed:
        yield str(failed)
        return
    yield server
    server.stop()


class Database:
    """The backend a test's stores are on, and new empty databases on it.

    Attributes:
        name: ``sqlite`` or ``postgresql``.
    """

    def __init__(self, name: Backend, folder: Path, server: PostgresServer | None) -> None:
        self.name: Backend = name
        self._folder = folder
        self._server = server
        self._numbers = count(1)
        self._made: list[str] = []

    def url(self, label: str = "store") -> str:
        """The URL of a new empty database (a new SQLite file, or a new PostgreSQL database).

        A PostgreSQL database is dropped at the end of the module (see ``drop``).
        """
        if self._server is None:
            return f"sqlite:///{self._folder / f'{label}-{next(self._numbers)}.sqlite'}"
        made = self._server.new_database()
        self._made.append(made)
        return made

    def copy(self, url: str, label: str = "copy") -> str:
        """A new database holding what the one at ``url`` holds (nothing may be connected to it)."""
        if self._server is None:
            target = self.url(label)
            shutil.copyfile(sa.make_url(url).database or "", sa.make_url(target).database or "")
            return target
        made = self._server.new_database(template=sa.make_url(url).database)
        self._made.append(made)
        return made

    def drop(self, url: str | None = None) -> None:
        """Drop a PostgreSQL database made by ``url`` (``None``: all of them); SQLite files stay."""
        if self._server is None:
            return
        for made in [url] if url is not None else list(self._made):
            self._server.drop_database(made)
            self._made.remove(made)


@pytest.fixture(scope="module")
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, pg_server: PostgresServer | str
) -> Iterator[Database]:
    """The backend under test: ``sqlite`` unless the module is in ``BOTH_BACKENDS`` (then both)."""
    name: Backend = getattr(request, "param", "sqlite")
    server = None
    if name == "postgresql":
        if isinstance(pg_server, str):
            pytest.skip(f"no PostgreSQL server: {pg_server}")
        server = pg_server
    opened = Database(name, tmp_path_factory.mktemp(f"db-{name}"), server)
    yield opened
    opened.drop()


@pytest.fixture(autouse=True)
def _private_store(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own database (on the backend under test): nothing touches the user's cache."""
    url = database.url("rinkside")
    monkeypatch.setenv("RINKSIDE_DATABASE_URL", url)
    yield
    _dashboard_threads_done()
    database.drop(url)


def _dashboard_threads_done() -> None:
    """Wait for the dashboard's background work a test started (the Standings page builds the other
    cups in a thread): left running, it would open the next test's store beside that test (a CLI
    test once found its new SQLite file locked)."""
    import threading

    for thread in threading.enumerate():
        if thread.name.startswith(("rinkside-prepare", "rinkside-warm")):
            thread.join(timeout=120)


@pytest.fixture
def store(database: Database) -> Iterator[Store]:
    """An empty store on the backend under test."""
    url = database.url("empty")
    opened = Store(url)
    yield opened
    opened.close()
    database.drop(url)


@pytest.fixture(scope="module")
def http_server() -> Iterator[Any]:
    """One real HTTP server on 127.0.0.1 for a module (stopping one takes half a second)."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture(scope="session")
def official_sheets() -> list[Sheet]:
    """All 103 official 2025/26 sheets, read once for the whole run."""
    if not SHARED_SHEETS.is_dir():
        pytest.skip(MISSING)
    table = aliases()
    return [
        read_sheet(p, source=str(p.relative_to(SHARED_SHEETS)), aliases=table)
        for p in sorted(SHARED_SHEETS.rglob("*.pdf"))
    ]


@pytest.fixture(scope="session")
def sheets_by_source(official_sheets: list[Sheet]) -> dict[str, Sheet]:
    """The official sheets by their path below the shared folder (``wc1/8_result_...pdf``)."""
    return {s.source: s for s in official_sheets}
