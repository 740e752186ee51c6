"""The live refresh (``ui.shell``): an open page reruns by itself when the store's data changed.

A real ``streamlit run app.py`` on 127.0.0.1 and a fan's tab spoken at the protocol level
(``deploy.stream_client``); the data changes by a real sync from the recorded ISU results API.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from standings.sources.isu_api import IsuApi
from standings.storage.shipped import open_store
from standings.storage.sync import sync_season
from ui.shell import refresh_seconds

from isu_fixtures import SAMPLES_MISSING, IsuFixtureServer, samples_present

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy.cluster import free_port  # noqa: E402
from deploy.stream_client import StreamSession  # noqa: E402

LINK = ("standings", "circuit=lt-wc&season=2011-12&gender=women&cup=women-500")


@contextmanager
def _app(database: str, refresh: str) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "RINKSIDE_DATABASE_URL": database, "RINKSIDE_REFRESH_SECONDS": refresh}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    log = open(os.environ.get("RINKSIDE_TEST_SERVER_LOG", os.devnull), "w")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "streamlit did not start"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture
def synced_store(tmp_path: Path) -> Iterator[tuple[str, IsuFixtureServer]]:
    """The shipped data and 2011/12's World Cup #1 (synced), with #2 listed by the API but not yet synced."""
    if not samples_present():
        pytest.skip(SAMPLES_MISSING)
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    with IsuFixtureServer.from_samples(page_size=2) as server:
        server.events[2012] = server.events[2012][:2]
        store = open_store(url)
        with IsuApi(server.url, cache=tmp_path / "http") as api:
            sync_season(store, api, "2011-12", event=1)
        store.close()
        yield url, server


@pytest.mark.parametrize(
    ("link", "title"),
    [(LINK, "Standings"), (("event", "circuit=lt-wc&season=2011-12&gender=women"), "Event")],
    ids=["standings", "event"],
)
def test_an_open_page_reruns_within_one_interval_after_new_data_and_not_before(
    synced_store: tuple[str, IsuFixtureServer], tmp_path: Path, link: tuple[str, str], title: str
) -> None:
    """The page reruns once, and stays the page it is (the Event page is not the default one)."""
    url, server = synced_store

    async def fan(base: str) -> None:
        session = StreamSession(base, *link, timeout=60)
        await session.open()
        assert session.refresh_seconds == 1.0
        assert not any("Nur-Sultan" in t for t in session.runs[-1].text)
        # Nothing new: the watcher's runs rerun nothing.
        fragment = next(iter(session._fragments))
        for _ in range(2):
            runs = await session.run(fragment)
            assert [r.fragment for r in runs] == [True]
            await asyncio.sleep(1.1)  # past the data version's one-second cache
        # New data (World Cup #2 synced): the watcher's next run reruns the app, which shows it.
        store = open_store(url)
        with IsuApi(server.url, cache=tmp_path / "http") as api:
            sync_season(store, api, "2011-12", event=2)
        store.close()
        await asyncio.sleep(1.1)
        runs = await session.run(fragment)
        # The fragment's run, then one run of the app, on the same page.
        assert [r.fragment for r in runs] == [True, False]
        assert any("Nur-Sultan" in t for t in runs[-1].text)
        assert any(title in t for t in runs[-1].text) and session.page == link[0]
        # Drawn at the new version: quiet again.
        await asyncio.sleep(1.1)
        assert [r.fragment for r in await session.run(fragment)] == [True]
        await session.close()

    with _app(url, "1") as base:
        asyncio.run(fan(base))


def test_no_watcher_when_the_refresh_is_off(synced_store: tuple[str, IsuFixtureServer]) -> None:
    async def fan(base: str) -> None:
        session = StreamSession(base, *LINK, timeout=60)
        await session.open()
        assert session.runs[-1].first_chart is not None  # the page is there, without a timer
        assert session.refresh_seconds is None
        await session.close()

    with _app(synced_store[0], "0") as base:
        asyncio.run(fan(base))


def test_the_interval_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RINKSIDE_REFRESH_SECONDS", raising=False)
    assert refresh_seconds() == 30.0
    monkeypatch.setenv("RINKSIDE_REFRESH_SECONDS", "2.5")
    assert refresh_seconds() == 2.5
    monkeypatch.setenv("RINKSIDE_REFRESH_SECONDS", "0")
    assert refresh_seconds() == 0.0
    for bad in ("-1", "soon", "nan"):
        monkeypatch.setenv("RINKSIDE_REFRESH_SECONDS", bad)
        with pytest.raises(ValueError, match="RINKSIDE_REFRESH_SECONDS"):
            refresh_seconds()


def test_a_fresh_servers_first_visitors_arriving_at_once_all_get_their_page(tmp_path: Path) -> None:
    """Eight first runs at once on a new process: none sees a module another is still importing.

    Without ``ui.boot`` (each page's first import) this failed now and then with ``cannot import name
    'Entry' from partially initialized module 'standings.engine.title_race'`` (found by the cluster test).
    """
    database = f"sqlite:///{tmp_path / 'cold.sqlite'}"
    open_store(database).close()  # the store is built; the server process is new
    links = [
        ("standings", "circuit=lt-wc&season=2025-26&gender=men&cup=men-500"),
        ("nations", "circuit=st-wc&season=2019-20"),
        ("event", "circuit=st-wc&season=2019-20&event=1"),
        ("skater", "circuit=lt-wc&season=2025-26&skater=jordan-stolz-usa"),
        ("overall", "circuit=lt-wc&season=2025-26&gender=women"),
        ("title-race", "circuit=lt-wc&season=2025-26&gender=men&cup=men-1000"),
        ("data", "circuit=lt-wc&season=2025-26"),
        ("qualification", "circuit=lt-wc&season=2025-26&gender=women"),
    ]

    async def fans(base: str) -> list[StreamSession]:
        sessions = [StreamSession(base, page, query, timeout=120) for page, query in links]
        await asyncio.gather(*(s.open() for s in sessions))
        for session in sessions:
            await session.close()
        return sessions

    with _app(database, "0") as base:
        sessions = asyncio.run(fans(base))
    for session, (page, _) in zip(sessions, links, strict=True):
        assert session.errors == [], (page, session.errors)
        assert session.runs and session.runs[-1].finished is not None, page


class _CountingStore:
    """Stands in for the store behind ``ui.cache.version``: counts the reads of the data version."""

    def __init__(self) -> None:
        self.reads = 0

    def data_version(self) -> str:
        self.reads += 1
        return f"v{self.reads}"


def test_the_data_version_is_read_at_most_once_a_second_and_never_raises_under_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``ui.cache.version`` is shared by every open page's refresh timer. Built on
    ``st.cache_resource(ttl=1)`` it raised ``KeyError`` in a fan's page when the entry expired
    between Streamlit's "is it there" and "read it" (the cluster test, 60 fans); now whether to
    read anew and the reading are one step."""
    import threading

    import ui.cache

    counting = _CountingStore()
    clock = [100.0]
    monkeypatch.setattr(ui.cache, "store", lambda: counting)
    monkeypatch.setattr(ui.cache.time, "monotonic", lambda: clock[0])
    latest = ui.cache._Version()
    assert [latest.get(), latest.get()] == ["v1", "v1"]  # within the second: one read
    clock[0] += 1.0
    assert latest.get() == "v2"
    latest.forget()
    assert latest.get() == "v3" and counting.reads == 3

    # Many sessions at once, the version expiring all the time: every call answers, none raises.
    monkeypatch.setattr(ui.cache.time, "monotonic", time.monotonic)
    monkeypatch.setattr(ui.cache, "_VERSION_TTL", 0.0)
    errors: list[BaseException] = []

    def hammer() -> None:
        try:
            for _ in range(2000):
                assert latest.get().startswith("v")
        except BaseException as error:  # any error at all fails the test
            errors.append(error)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and counting.reads == 3 + 8 * 2000
