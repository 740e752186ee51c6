"""The hosted shape under fans: PostgreSQL, 3 app servers, the sync worker and HAProxy (``deploy/cluster.py``).

One test, in phases, all on 127.0.0.1 (a few minutes at most; deselect with ``-k "not cluster"``):

1. ``deploy/cluster.py start`` brings the cluster up, its worker syncing 2011/12 from the
   recorded ISU results API (``IsuFixtureServer``, served from this process) with World Cups #4
   (Salt Lake City) and #5 (Hamar) held back;
2. 60 fans open pages through HAProxy, speaking Streamlit's websocket protocol
   (``deploy.stream_client``), and stay on them, answering the live refresh's timers;
3. Salt Lake City is published: the worker stores it, and every page shows it within one
   refresh cycle (``RINKSIDE_REFRESH_SECONDS``) plus the data version's one-second cache;
4. one app server is killed (SIGKILL): its fans reconnect through HAProxy (the cookie kept)
   to another server, get their page again, and go on;
5. Hamar is published and the worker is killed (SIGKILL) in the middle of writing its races (it
   writes an event's races in one transaction; the test holds a lock on the results table until
   that transaction waits on it, so the kill lands inside the write): nothing of Hamar stored,
   every stored race whole and equal to what a later full sync stores; after that sync every
   page shows Hamar.

Every session must end with no error. The phases' timings are printed (``-s``) and written to
``tests/artifacts/cluster-timings.json``.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from isu_fixtures import SAMPLES_MISSING, IsuFixtureServer, samples_present

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy.cluster import Cluster, console_script, postgres_binaries  # noqa: E402
from deploy.stream_client import StreamSession  # noqa: E402

pytestmark = pytest.mark.cluster

SERVERS = 3
SESSIONS = 60
REFRESH_S = 3.0
#: The data version is read at most once a second (``ui.cache.version``).
VERSION_TTL_S = 1.0
#: What a fragment's run may wait for its turn, on 2 cores serving 60 fans (see the module's docstring).
LOAD_ALLOWANCE_S = 12.0
#: And until the page's rerun is drawn (20 reruns at once per server, under the GIL of its one process).
SHOWN_WITHIN_S = 45.0
SEASON = "2011-12"
LINKS = [
    ("standings", f"circuit=lt-wc&season={SEASON}&gender=women&cup=women-500"),
    ("standings", f"circuit=lt-wc&season={SEASON}&gender=men&cup=men-1500"),
    ("nations", f"circuit=lt-wc&season={SEASON}"),
    ("overall", f"circuit=lt-wc&season={SEASON}&gender=men"),
]
#: The freshness line once Hamar's sixth (last) race is stored: only the full sync after the kill stores it.
NEWEST_AFTER_FULL_SYNC = "newest race: 1500 m Men Division B, World Cup #5"
TIMINGS = ROOT / "tests" / "artifacts" / "cluster-timings.json"


def _missing() -> str | None:
    if postgres_binaries() is None:
        return "PostgreSQL is not installed (/usr/lib/postgresql/*/bin)"
    if shutil.which("haproxy") is None and not Path("/usr/sbin/haproxy").exists():
        return "HAProxy is not installed (apt-get install -y haproxy)"
    if not samples_present():
        return SAMPLES_MISSING
    return None


@pytest.fixture
def api() -> Iterator[tuple[IsuFixtureServer, dict[str, Any]]]:
    """The recorded API on 127.0.0.1, World Cups #4 and #5 of 2011/12 held back (returned to publish)."""
    if reason := _missing():
        pytest.skip(reason)
    with IsuFixtureServer.from_samples(page_size=2) as server:
        held = {e["track"]["city"]: e for e in server.events[2012][3:]}
        server.events[2012] = server.events[2012][:3]
        yield server, held


@pytest.fixture
def state_dir() -> Iterator[Path]:
    """A state folder the postgres user can reach (pytest's own tmp folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="rinkside-cluster-"))
    folder.chmod(0o755)
    yield folder
    subprocess.run(
        [sys.executable, "deploy/cluster.py", "stop", "--state-dir", str(folder)],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        check=False,
    )
    shutil.rmtree(folder, ignore_errors=True)


def _count(engine: sa.Engine, sql: str, **params: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text(sql), params).scalar_one())


def _wait(what: str, seconds: float, ready: Callable[[], bool]) -> float:
    """Poll ``ready`` until true; returns when (monotonic); fails the test after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds:g} s")
        time.sleep(0.05)
    return time.monotonic()


def _races_in(engine: sa.Engine, city: str) -> int:
    return _count(
        engine,
        "SELECT count(*) FROM races r JOIN events e ON e.event_id = r.event_id WHERE r.season = :s AND e.city = :c",
        s=SEASON,
        c=city,
    )


def _season_snapshot(engine: sa.Engine) -> dict[str, tuple[str, list[tuple[Any, ...]]]]:
    """Every stored race of the season: its content hash and its result rows."""
    with engine.connect() as connection:
        races = connection.execute(
            sa.text("SELECT race_id, content_hash FROM races WHERE season = :s"), {"s": SEASON}
        ).all()
        rows = connection.execute(
            sa.text(
                "SELECT r.race_id, r.row, r.competitor, r.rank, r.status, r.time FROM results r "
                "JOIN races ra ON ra.race_id = r.race_id WHERE ra.season = :s ORDER BY r.race_id, r.row"
            ),
            {"s": SEASON},
        ).all()
    by_race: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_race.setdefault(row[0], []).append(tuple(row))
    return {race_id: (digest, by_race.get(race_id, [])) for race_id, digest in races}


def _shows(session: StreamSession, text: str, since: float) -> float | None:
    """When (monotonic, the run's end) the session first showed ``text`` in an app run begun after ``since``."""
    for run in session.runs:
        if not run.fragment and run.started >= since - 0.01 and any(text in t for t in run.text):
            return run.started + (run.finished or 0.0)
    return None


# A socket of the test's own plumbing (60 websockets, a server killed under them, HAProxy retries)
# left to the garbage collector warns at whatever moment the collector runs, here once inside a
# database query (2026-12-07). That is the harness's, not the dashboard's: only that warning is let through.
@pytest.mark.filterwarnings("ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning")
def test_cluster_serves_60_fans_through_new_races_a_dead_app_server_and_a_killed_worker(
    api: tuple[IsuFixtureServer, dict[str, Any]], state_dir: Path
) -> None:
    server, held = api
    began = time.monotonic()
    timings: dict[str, Any] = {"machine_cores": os.cpu_count()}
    command = [sys.executable, "deploy/cluster.py", "start", "--servers", str(SERVERS), "--state-dir", str(state_dir)]
    command += ["--api-url", server.url, "--season", SEASON, "--sync-interval", "1", "--idle-interval", "1"]
    command += ["--refresh-seconds", f"{REFRESH_S:g}"]
    started = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert started.returncode == 0, started.stderr
    timings["start_s"] = time.monotonic() - began
    cluster = Cluster.load(state_dir)
    assert cluster is not None and started.stdout.strip() == cluster.url
    database_url = (state_dir / "database-url").read_text(encoding="utf-8").strip()
    for process in cluster.processes:  # the secret is in the environment, never on a command line
        command_line = Path(f"/proc/{process.pid}/cmdline").read_text(errors="replace")
        assert database_url not in command_line
        if process.name != "haproxy":  # the environment running the tests, not a .venv of the checkout
            assert command_line.startswith(str(Path(sys.executable).parent)), command_line
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    try:
        _wait("the worker's first sync (World Cups #1-#3)", 120, lambda: _races_in(engine, "Heerenveen") == 20)
        timings["first_sync_s"] = time.monotonic() - began
        asyncio.run(_fans(server, held, cluster, engine, database_url, timings))
    finally:
        engine.dispose()
    timings["total_s"] = time.monotonic() - began
    TIMINGS.parent.mkdir(exist_ok=True)
    TIMINGS.write_text(json.dumps(timings, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(f"\ncluster timings: {json.dumps(timings)}\n")


async def _fans(
    server: IsuFixtureServer,
    held: dict[str, Any],
    cluster: Cluster,
    engine: sa.Engine,
    database_url: str,
    timings: dict[str, Any],
) -> None:
    sessions = [StreamSession(cluster.url, *LINKS[i % len(LINKS)], timeout=120) for i in range(SESSIONS)]
    opening = time.monotonic()
    gate = asyncio.Semaphore(20)  # fans arrive over a few seconds, not in one instant

    async def arrive(session: StreamSession) -> None:
        async with gate:
            await session.open()

    await asyncio.gather(*(arrive(s) for s in sessions))
    timings["open_60_s"] = time.monotonic() - opening
    first_charts = sorted(s.runs[0].first_chart or 0.0 for s in sessions if s.page != "nations")
    timings["first_chart_p95_s"] = first_charts[int(0.95 * (len(first_charts) - 1))]
    per_server = {name: sum(s.server == name for s in sessions) for name in {s.server for s in sessions}}
    timings["sessions_per_server"] = per_server
    assert sorted(per_server) == [f"app{n}" for n in range(1, SERVERS + 1)], per_server
    assert min(per_server.values()) >= SESSIONS // SERVERS - 5, per_server  # leastconn spreads them
    assert all(s.refresh_seconds == REFRESH_S for s in sessions)
    assert not any("Salt Lake City" in t for s in sessions for r in s.runs for t in r.text)

    done = False
    following = [asyncio.create_task(s.follow(lambda: done)) for s in sessions]
    try:
        # -- a new World Cup: the worker stores it, every page shows it within one refresh cycle --
        published = time.monotonic()
        server.add_event(held["Salt Lake City"])
        stored = await asyncio.to_thread(
            _wait, "the worker storing Salt Lake City", 60, lambda: _races_in(engine, "Salt Lake City") > 0
        )
        # The city is on no page before its first race is stored: any run showing it read it.
        shown = await _until_all_show(sessions, "Salt Lake City", published, 90)
        delays = sorted(t - stored for t in shown)
        timings["new_race_shown_s"] = {"median": delays[len(delays) // 2], "max": delays[-1]}
        timings["new_race_runs"] = _runs_after(sessions, published, stored)
        # Noticed within one cycle: each page's first app run after the race was stored began within
        # the fragment's interval and the version's cache, plus the wait of the fragment's own run on
        # a saturated server (2 cores for 3 servers and 60 fans: measured up to ~9 s).
        noticed = sorted(
            min(r.started for r in s.runs if not r.fragment and r.started >= published) - stored for s in sessions
        )
        timings["new_race_noticed_s"] = {"median": noticed[len(noticed) // 2], "max": noticed[-1]}
        assert noticed[-1] <= REFRESH_S + VERSION_TTL_S + LOAD_ALLOWANCE_S, noticed
        # Shown once that run ends (the worker stores the event's races at once).
        assert delays[-1] <= SHOWN_WITHIN_S, delays

        # -- an app server dies: its fans reconnect through HAProxy to another server and go on --
        victim = "app2"
        moved = [s for s in sessions if s.server == victim]
        killed = time.monotonic()
        os.kill(cluster.process(victim).pid, signal.SIGKILL)
        await _until(
            "every fan of the killed server on another one, page shown",
            60,
            lambda: all(
                any(r.started > killed and not r.fragment and r.server != victim for r in s.runs) for s in moved
            ),
            sessions,
        )
        timings["reconnect_s"] = time.monotonic() - killed
        assert all(len(s.reconnected) == 1 for s in moved)
        assert not any(s.reconnected for s in sessions if s not in moved)

        # -- the worker dies in the middle of writing a race: nothing half-stored --
        await asyncio.to_thread(_kill_worker_mid_write, server, held["Hamar"], cluster, engine, timings)
        before = _season_snapshot(engine)
        assert all(rows for _, rows in before.values()), "a race is stored without its results"
        assert _races_in(engine, "Hamar") == 0  # the event's one transaction died whole: no race of it at all
        env = {**os.environ, "RINKSIDE_DATABASE_URL": database_url}
        full = [*console_script("standings", "standings"), "sync", "--season", SEASON, "--api-url", server.url]
        full += ["--cache", str(Path(cluster.processes[0].log).parent.parent / "full-sync-cache"), "--format", "csv"]
        sync_started = time.monotonic()
        synced = await asyncio.to_thread(
            subprocess.run, full, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert synced.returncode == 0, synced.stderr
        timings["full_sync_s"] = time.monotonic() - sync_started
        outcomes = pd.read_csv(io.StringIO(synced.stdout))
        hamar = outcomes[outcomes["race"].str.contains("Hamar")]
        assert sorted(hamar["outcome"]) == ["added"] * 6, hamar
        assert set(outcomes["outcome"]) == {"added", "unchanged"}, outcomes  # nothing stored needed replacing
        after = _season_snapshot(engine)
        assert {race: after[race] for race in before} == before  # every stored race as the full sync has it
        assert len(after) == len(before) + 6

        # -- and the fans, moved or not, see that sync too: its last race is the newest on every page --
        shown = await _until_all_show(sessions, NEWEST_AFTER_FULL_SYNC, sync_started, 90)
        timings["after_full_sync_shown_max_s"] = max(t - sync_started for t in shown)
    finally:
        done = True
        await asyncio.gather(*following)
        await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    errors = [e for s in sessions for e in s.errors]
    assert errors == [], errors
    assert all(s.runs for s in sessions)


def _runs_after(sessions: list[StreamSession], since: float, origin: float) -> dict[str, list[float]]:
    """The app runs begun after ``since``: when they began (from ``origin``) and how long they took, sorted."""
    runs = [r for s in sessions for r in s.runs if not r.fragment and r.started >= since]
    return {
        "began_s": sorted(round(r.started - origin, 2) for r in runs),
        "took_s": sorted(round(r.finished or 0.0, 2) for r in runs),
    }


async def _until(what: str, seconds: float, ready: Callable[[], bool], sessions: list[StreamSession]) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        errors = [e for s in sessions for e in s.errors]
        assert not errors, f"{what}: {errors}"
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {seconds:g} s")
        await asyncio.sleep(0.1)


async def _until_all_show(sessions: list[StreamSession], text: str, since: float, seconds: float) -> list[float]:
    await _until(
        f"every page showing {text}",
        seconds,
        lambda: all(_shows(s, text, since) is not None for s in sessions),
        sessions,
    )
    return [t for s in sessions if (t := _shows(s, text, since)) is not None]


def _kill_worker_mid_write(
    server: IsuFixtureServer, hamar: dict[str, Any], cluster: Cluster, engine: sa.Engine, timings: dict[str, Any]
) -> None:
    """Publish Hamar; hold the worker inside the write of its races (one transaction) and kill it."""
    with engine.connect() as holder:
        transaction = holder.begin()
        # Readers (the app servers) still read; the worker's insert of the results waits on this,
        # inside its transaction, with the event's race rows already written.
        holder.exec_driver_sql("LOCK TABLE results IN EXCLUSIVE MODE")
        server.add_event(hamar)
        waiting = (
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query ILIKE 'INSERT INTO results%'"
        )
        _wait("the worker writing Hamar's races", 60, lambda: _count(engine, waiting) == 1)
        worker = cluster.process("worker")
        os.killpg(worker.pid, signal.SIGKILL)
        timings["worker_killed_while_waiting_on_its_insert"] = True
        transaction.rollback()
    _wait(
        "PostgreSQL ending the killed worker's transaction",
        30,
        lambda: _count(engine, "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'INSERT INTO results%'") == 0,
    )
