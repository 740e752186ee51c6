"""A database URL or setting that cannot work is refused in one line that says what to do.

Each bad URL is tried on ``standings <command>`` (named by ``RINKSIDE_DATABASE_URL`` and by
``--database``) and on ``standings db status|upgrade``: exit status 1, nothing on stdout, one
line on stderr naming the problem, no traceback, and never the URL's password.
"""

from __future__ import annotations

import importlib.util
import io
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from standings.cli import main
from standings.present.safe import plain

from pg_server import PostgresServer

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PASSWORD = "Hush-d0nt-print-me"
SEASON = ("--circuit", "lt-wc", "--season", "2025-26")


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: bound by the system, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Bad:
    """A database URL (made in a test's own folder) or setting that cannot work, and what the error must say."""

    url: Callable[[Path], str]
    says: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()


def _folder(tmp: Path) -> str:
    return f"sqlite:///{tmp}"


def _not_sqlite(tmp: Path) -> str:
    text = tmp / "notes.txt"
    text.write_text("Not a database, just some notes about the season.\n" * 20)
    return f"sqlite:///{text}"


def _closed_port(_tmp: Path) -> str:
    return f"postgresql+psycopg://rinkside:{PASSWORD}@127.0.0.1:{closed_port()}/rinkside"


BAD = {
    "folder": Bad(_folder, ("is a folder, not a SQLite file", "rinkside.sqlite")),
    "not-sqlite": Bad(_not_sqlite, ("notes.txt is not a SQLite database",)),
    "closed-port": Bad(_closed_port, ("cannot connect", "Connection refused", "rinkside:***@127.0.0.1")),
    "password-in-query": Bad(
        lambda _: f"postgresql+psycopg://rinkside@127.0.0.1:{closed_port()}/rinkside?password={PASSWORD}",
        ("cannot connect", "?password=***"),
    ),
    "unknown-driver": Bad(lambda _: "foo://", ("no database driver 'foo'", "postgresql+psycopg://")),
    "unknown-driver-with-password": Bad(
        lambda _: f"foo://rinkside:{PASSWORD}@127.0.0.1/rinkside", ("no database driver 'foo'", "rinkside:***@")
    ),
    "unparsable": Bad(lambda _: "not a url", ("'not a url': not a database URL", "sqlite:///")),
    "unparsable-with-password": Bad(
        lambda _: f"postgresql+psycopg//rinkside:{PASSWORD}@127.0.0.1/rinkside",
        ("not a database URL", "rinkside:***@127.0.0.1"),
    ),
    "missing-folder": Bad(lambda tmp: f"sqlite:///{tmp}/no/such/folder/rinkside.sqlite", ("does not exist",)),
    "pool-size": Bad(
        _closed_port,
        ("RINKSIDE_DB_POOL_SIZE 'abc' is not a positive whole number", "unset it for the default"),
        (("RINKSIDE_DB_POOL_SIZE", "abc"),),
    ),
}

#: How each command is given the URL: ``None`` in place of it means ``RINKSIDE_DATABASE_URL``.
COMMANDS = {
    "cups-by-variable": ("cups", *SEASON),
    "cups-by-option": ("--database", None, "cups", *SEASON),
    "db-status": ("db", "status"),
    "db-upgrade-by-option": ("--database", None, "db", "upgrade"),
}


def assert_one_clean_line(code: int, out: str, err: str, says: tuple[str, ...]) -> None:
    assert code == 1, err
    assert out == ""
    assert err.startswith("standings: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err and "sqlalche.me" not in err
    assert PASSWORD not in err
    for words in says:
        assert words in err


@pytest.mark.parametrize("command", list(COMMANDS.values()), ids=list(COMMANDS))
@pytest.mark.parametrize("bad", list(BAD.values()), ids=list(BAD))
def test_a_bad_database_url_is_one_line_saying_what_to_do(
    bad: Bad, command: tuple[str | None, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = bad.url(tmp_path)
    for name, value in bad.env:
        monkeypatch.setenv(name, value)
    if None in command:
        args = [url if part is None else part for part in command]
        where = "database URL '"
    else:
        monkeypatch.setenv("RINKSIDE_DATABASE_URL", url)
        args = [str(part) for part in command]
        where = "RINKSIDE_DATABASE_URL '"
    code, out, err = run(*args)
    says = bad.says if bad.env else (where, *bad.says)
    assert_one_clean_line(code, out, err, says)


@pytest.mark.skipif(importlib.util.find_spec("MySQLdb") is not None, reason="MySQLdb is installed here")
def test_a_driver_not_installed_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RINKSIDE_DATABASE_URL", f"mysql://rinkside:{PASSWORD}@127.0.0.1/rinkside")
    code, out, err = run("cups", *SEASON)
    assert_one_clean_line(code, out, err, ("driver of 'mysql' is not installed", "MySQLdb", "postgresql+psycopg://"))


def test_a_database_the_server_does_not_have(pg_server: PostgresServer | str, monkeypatch: pytest.MonkeyPatch) -> None:
    if isinstance(pg_server, str):
        pytest.skip(f"no PostgreSQL server: {pg_server}")
    monkeypatch.setenv("RINKSIDE_DATABASE_URL", pg_server.url("no_such_database"))
    for command in (("cups", *SEASON), ("db", "status"), ("db", "upgrade")):
        code, out, err = run(*command)
        assert_one_clean_line(code, out, err, ("cannot connect", 'database "no_such_database" does not exist'))


def test_the_console_script_prints_one_line_without_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RINKSIDE_DATABASE_URL", _closed_port(Path()))
    done = subprocess.run(
        [sys.executable, "-m", "standings", "cups", *SEASON], capture_output=True, text=True, check=False, timeout=120
    )
    assert_one_clean_line(done.returncode, done.stdout, done.stderr, ("cannot connect",))


def test_the_dashboard_shows_the_error_instead_of_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setenv("RINKSIDE_DATABASE_URL", _closed_port(Path()))
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception
    [shown] = [error.value for error in at.error]
    assert shown.startswith("The results store cannot be opened: RINKSIDE\\_DATABASE\\_URL")
    assert "cannot connect" in shown and plain("rinkside:***@127.0.0.1") in shown  # shown as written
    assert PASSWORD not in shown and "\n" not in shown
    assert not at.sidebar.selectbox  # nothing else is drawn
