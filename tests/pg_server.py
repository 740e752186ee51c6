"""A real PostgreSQL server for the tests, started from Debian's binaries in a temporary folder.

PostgreSQL refuses to run as root, and the tests run as root: ``initdb`` and ``pg_ctl`` run as
the ``postgres`` user (``runuser -u postgres --``) in a folder owned by it. The server listens on
127.0.0.1 only, on a free port, with its unix socket in the same folder, and skips durability
(``fsync``, ``synchronous_commit``, ``full_page_writes`` off): a crash loses nothing of value.

Each test gets a database of its own, copied from an empty template (``CREATE DATABASE ...
TEMPLATE``); ``RINKSIDE_TEST_POSTGRES_URL`` names a server of one's own to use instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Final

import sqlalchemy as sa

URL_VARIABLE: Final = "RINKSIDE_TEST_POSTGRES_URL"
#: The empty database every test database is a copy of.
TEMPLATE: Final = "rinkside_template"


class ServerUnavailable(RuntimeError):
    """No PostgreSQL server could be started (the reason is the message)."""


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise ServerUnavailable("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres(*command: str) -> list[str]:
    if os.geteuid() != 0:
        return list(command)
    if shutil.which("runuser") is None:
        raise ServerUnavailable("running as root and runuser is missing: PostgreSQL refuses to run as root")
    return ["runuser", "-u", "postgres", "--", *command]


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ServerUnavailable(f"{what} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-800:]}")


@dataclass
class PostgresServer:
    """A PostgreSQL server to make test databases on.

    Attributes:
        base_url: The server's URL with no database (``postgresql+psycopg://user@host:port``).
        folder: The data folder of a server started here, ``None`` for one named by
            ``RINKSIDE_TEST_POSTGRES_URL``.
    """

    base_url: str
    folder: Path | None = None
    _numbers: count[int] = field(default_factory=lambda: count(1))
    _admin: sa.Engine | None = None
    _made: list[str] = field(default_factory=list)

    @classmethod
    def start(cls) -> PostgresServer:
        """The server named by ``RINKSIDE_TEST_POSTGRES_URL``, else one started in a temporary folder.

        Raises:
            ServerUnavailable: PostgreSQL is not installed, or did not start (why is said).
        """
        given = os.environ.get(URL_VARIABLE)
        if given:
            url = sa.make_url(given)
            server = cls(base_url=url.set(database="postgres").render_as_string(hide_password=False))
        else:
            server = cls._start_own()
        server._prepare_template()
        return server

    @classmethod
    def _start_own(cls) -> PostgresServer:
        binaries = _binaries()
        folder = Path(tempfile.mkdtemp(prefix="rinkside-pg-"))
        if os.geteuid() == 0:
            shutil.chown(folder, user="postgres", group="postgres")
        data = folder / "data"
        _run(
            _as_postgres(
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ),
            "initdb",
        )
        port = _free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        server = cls(base_url=f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", folder=folder)
        try:
            _run(
                _as_postgres(
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(folder / "server.log"),
                    "-o",
                    options,
                    "-w",
                    "start",
                ),
                "pg_ctl start",
            )
        except ServerUnavailable as failed:
            log = folder / "server.log"
            tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
            shutil.rmtree(folder, ignore_errors=True)
            raise ServerUnavailable(f"{failed}; server log: {tail}") from None
        return server

    def _admin_engine(self) -> sa.Engine:
        if self._admin is None:
            self._admin = sa.create_engine(self.base_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        return self._admin

    def _prepare_template(self) -> None:
        deadline = time.monotonic() + 20
        while True:
            try:
                with self._admin_engine().connect() as admin:
                    admin.exec_driver_sql(f"DROP DATABASE IF EXISTS {TEMPLATE}")
                    admin.exec_driver_sql(f"CREATE DATABASE {TEMPLATE} TEMPLATE template0 ENCODING 'UTF8'")
                return
            except sa.exc.OperationalError as failed:
                if time.monotonic() > deadline:
                    raise ServerUnavailable(f"cannot connect to PostgreSQL at {self.base_url}: {failed}") from None
                time.sleep(0.2)

    def url(self, database: str) -> str:
        """The URL of a database on this server."""
        return sa.make_url(self.base_url).set(database=database).render_as_string(hide_password=False)

    def new_database(self, template: str | None = None) -> str:
        """A new database, a copy of ``template`` (default: the empty template); returns its URL.

        Nothing may be connected to ``template`` (PostgreSQL copies only a database at rest).
        """
        name = f"t_{os.getpid()}_{next(self._numbers)}"
        source = template or TEMPLATE
        assert source.replace("_", "").isalnum(), source
        with self._admin_engine().connect() as admin:
            admin.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            admin.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {source}")
        self._made.append(name)
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by ``new_database`` (closing whatever is still connected to it)."""
        name = sa.make_url(url).database
        assert name is not None and name.startswith("t_"), name
        with self._admin_engine().connect() as admin:
            admin.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if name in self._made:
            self._made.remove(name)

    def stop(self) -> None:
        """Drop what was made on a server of one's own; stop and remove a server started here."""
        if self.folder is None:
            for name in list(self._made):
                self.drop_database(self.url(name))
            with self._admin_engine().connect() as admin:
                admin.exec_driver_sql(f"DROP DATABASE IF EXISTS {TEMPLATE}")
        if self._admin is not None:
            self._admin.dispose()
        if self.folder is not None:
            subprocess.run(
                _as_postgres(str(_binaries() / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop"),
                capture_output=True,
                check=False,
            )
            shutil.rmtree(self.folder, ignore_errors=True)
