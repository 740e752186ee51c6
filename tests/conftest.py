"""Shared fixtures: the official sheets (read once), hermetic stores, no network."""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from standings.sources.isu_sheet import Sheet, read_sheet
from standings.storage.shipped import aliases
from standings.storage.store import Store

sys.path.insert(0, str(Path(__file__).parent))
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


@pytest.fixture(autouse=True)
def _private_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own database file: nothing touches the user's cache."""
    monkeypatch.setenv("RINKSIDE_DATABASE_URL", f"sqlite:///{tmp_path / 'rinkside.sqlite'}")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty store in a temporary SQLite file."""
    opened = Store(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    yield opened
    opened.close()


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
