"""Consistent reads while imports run: one snapshot per season load, imports whole after a kill.

A season load reads the races, the results and the data version in one read transaction
(``Store.season_rows``); an import that commits meanwhile is seen whole or not at all. An
import killed at any point leaves every race as it was or as the file says, never half of it.
The dashboard keeps a season only under the data version its snapshot read (``ui.cache``).
"""

from __future__ import annotations

import dataclasses
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from standings.engine.points import score
from standings.model import RaceImport
from standings.rules import rules_for
from standings.season import Season, season_from_store
from standings.sources.results_csv import schema
from standings.storage.importer import import_paths
from standings.storage.shipped import default_data_dir, open_store, read_season
from standings.storage.store import Store

from conftest import Database
from shared_data import ROOT

LT = ("lt-wc", "2025-26")
ST = ("st-wc", "2024-25")


def _season_items(circuit: str, season: str) -> list[RaceImport]:
    return list(read_season(default_data_dir() / circuit / season))


def _variant(item: RaceImport, marker: str) -> RaceImport:
    """The race as variant ``A`` (as shipped) or ``B`` (its last result withdrawn), marked in ``updated``."""
    results = item.results if marker == "A" else item.results[:-1]
    return dataclasses.replace(item, results=results, updated=marker)


@pytest.fixture
def lt_store(database: Database) -> Iterator[tuple[Store, list[RaceImport]]]:
    """A store holding 2025/26 long track as variant A, and the races of it."""
    items = [item for item in _season_items(*LT) if len(item.results) >= 2]
    store = Store(database.url("reader"))
    store.import_races([_variant(item, "A") for item in items])
    yield store, items
    store.close()


# --- A write between the statements of one load -------------------------------------------------


def _write_after_the_races_are_read(store: Store, write: Callable[[], object]) -> Callable[[], None]:
    """Run ``write`` (on its own connection, committed) right after a reader's races SELECT runs.

    Returns:
        A function that removes the hook.
    """
    fired: list[bool] = []

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not fired and "JOIN events" in statement:  # the races query; no write joins events
            fired.append(True)
            write()

    sa.event.listen(store.engine, "after_cursor_execute", after)
    return lambda: sa.event.remove(store.engine, "after_cursor_execute", after)


def test_a_race_committed_during_a_load_is_not_half_seen(database: Database) -> None:
    items = _season_items(*LT)
    held_back, rest = items[-1], items[:-1]
    store = Store(database.url("x"))
    try:
        store.import_races(rest)
        before = store.data_version()
        remove = _write_after_the_races_are_read(store, lambda: store.import_races([held_back]))
        try:
            season = season_from_store(store, *LT)
        finally:
            remove()
        assert store.race_source(held_back.race.race_id) is not None  # the write did land mid-load
        assert set(season.results["race_id"]) == set(season.races["race_id"])
        assert held_back.race.race_id not in set(season.races["race_id"])
        assert len(season.results) == sum(len(item.results) for item in rest)
        assert season.data_version == before
        again = season_from_store(store, *LT)
        assert len(again.races) == len(items)
        assert again.data_version == store.data_version() != before
    finally:
        store.close()


def test_the_two_transaction_read_does_half_see_it(database: Database) -> None:
    """The control: the same write, between ``Store.races`` and ``Store.results`` (as season loads
    used to read), gives results without their race, and a table of them fails as the probes saw."""
    items = _season_items(*LT)
    held_back, rest = items[-1], items[:-1]
    store = Store(database.url("x"))
    try:
        store.import_races(rest)
        remove = _write_after_the_races_are_read(store, lambda: store.import_races([held_back]))
        try:
            races = store.races(*LT)
        finally:
            remove()
        results = store.results(*LT)
        assert set(results["race_id"]) - set(races["race_id"]) == {held_back.race.race_id}
        rules = rules_for(*LT)
        season = Season(*LT, rules, races, score(results, races, rules))
        with pytest.raises(ValueError, match="cannot convert float NaN to integer"):
            season.standings("women-500")
    finally:
        store.close()


# --- Readers in a loop while an import runs ------------------------------------------------------


def test_every_load_during_imports_is_one_committed_state(lt_store: tuple[Store, list[RaceImport]]) -> None:
    store, items = lt_store
    counts = {marker: {i.race.race_id: len(_variant(i, marker).results) for i in items} for marker in "AB"}
    # The writer replaces one race per transaction, as a folder import does one file per transaction,
    # and notes which variant of every race each data version stands for.
    states: dict[str | None, dict[str, str]] = {store.data_version(): dict.fromkeys(counts["A"], "A")}
    stop = threading.Event()
    failures: list[BaseException] = []

    def writer() -> None:
        current = dict.fromkeys(counts["A"], "A")
        try:
            for marker in "BAB":
                for item in items:
                    if stop.is_set():
                        return
                    store.import_races([_variant(item, marker)])
                    current[item.race.race_id] = marker
                    states[store.data_version()] = dict(current)  # the only writer: this is its version
        except BaseException as error:
            failures.append(error)

    thread = threading.Thread(target=writer, name="importer")
    seen: list[tuple[str | None, dict[str, str]]] = []
    deadline = time.monotonic() + 15
    thread.start()
    try:
        while thread.is_alive() and len(seen) < 200 and time.monotonic() < deadline:
            season = season_from_store(store, *LT)
            markers = dict(zip(season.races["race_id"], season.races["updated"], strict=True))
            sizes = season.results.groupby("race_id", sort=False).size().to_dict()
            assert set(sizes) == set(markers), "a race without its results, or results without their race"
            mixed = {r: (m, sizes[r]) for r, m in markers.items() if sizes[r] != counts[m][r]}
            assert not mixed, f"results of another state than their race: {mixed}"
            seen.append((season.data_version, markers))
    finally:
        stop.set()
        thread.join()
    assert not failures
    versions = {version for version, _ in seen}
    assert len(seen) >= 10 and len(versions) >= 3, "the loads did not overlap the imports"
    for version, markers in seen:
        assert markers == states[version], "a load is not the state its data version names"
    assert season_from_store(store, *LT).data_version == store.data_version()


# --- Two imports at once ----------------------------------------------------------------------------


def _plain_transaction(store: Store) -> Iterator[Any]:
    """A write transaction without the store's write lock (the control): deferred on SQLite, no
    advisory lock on PostgreSQL."""
    with store.engine.connect() as connection:
        connection.execution_options(sqlite_begin="DEFERRED")
        with connection.begin():
            yield connection


def _two_imports_at_once(database: Database, *, locked: bool) -> tuple[list[Any], Store]:
    """Two servers (two ``Store`` objects, two threads) import the same new race at once.

    The first is held inside its transaction, right before its first insert, and the second
    starts its import then. The first goes on once the second has ended (without the lock), or,
    on PostgreSQL, is seen waiting for a lock on the server (with it), else after 0.5 s (SQLite)
    or 5 s: so the two transactions really overlap.

    Returns:
        What each import returned or raised (first, second), and a store to look at the result.
    """
    url = database.url("two")
    item = _season_items(*LT)[0]
    first, second = Store(url), Store(url)
    if not locked:
        from contextlib import contextmanager

        for opened in (first, second):
            opened._writing = contextmanager(lambda opened=opened: _plain_transaction(opened))  # type: ignore[method-assign]
    inside, second_done = threading.Event(), threading.Event()
    waited: list[bool] = []

    def hold(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if inside.is_set() or not statement.startswith("INSERT INTO events"):
            return
        inside.set()
        deadline = time.monotonic() + (5 if database.name == "postgresql" else 0.5)
        while time.monotonic() < deadline and not second_done.is_set():
            if database.name == "postgresql":
                with sa.create_engine(url, poolclass=sa.pool.NullPool).connect() as probe:
                    if probe.execute(sa.text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar_one():
                        waited.append(True)
                        break
            time.sleep(0.05)

    sa.event.listen(first.engine, "before_cursor_execute", hold)
    outcomes: list[Any] = [None, None]

    def run(index: int, opened: Store) -> None:
        try:
            outcomes[index] = opened.import_races([item])
        except Exception as error:
            outcomes[index] = error
        finally:
            if index == 1:
                second_done.set()

    threads = [threading.Thread(target=run, args=(0, first), name="first")]
    threads[0].start()
    assert inside.wait(30), "the first import did not reach its insert"
    threads.append(threading.Thread(target=run, args=(1, second), name="second"))
    threads[1].start()
    for thread in threads:
        thread.join(60)
    second.close()
    first.close()
    if locked and database.name == "postgresql":
        assert waited, "the second import never waited for a lock: the two did not overlap"
    return outcomes, Store(url)


def test_two_imports_of_one_race_at_once_both_succeed_one_after_the_other(database: Database) -> None:
    outcomes, store = _two_imports_at_once(database, locked=True)
    try:
        race_id = _season_items(*LT)[0].race.race_id
        # The second waited for the first to commit, then found the race stored and unchanged.
        assert outcomes == [[(race_id, "added")], [(race_id, "unchanged")]]
        snapshot = store.snapshot()
        assert [row[0] for row in snapshot["races"]] == [race_id]
        assert len(snapshot["results"]) == len(_season_items(*LT)[0].results)
        assert len(snapshot["events"]) == 1
    finally:
        store.close()


def test_without_the_write_lock_two_imports_at_once_collide(database: Database) -> None:
    """The control: with plain transactions both imports read "not stored", and one fails."""
    outcomes, store = _two_imports_at_once(database, locked=False)
    store.close()
    failed = [o for o in outcomes if isinstance(o, Exception)]
    assert len(failed) == 1, outcomes
    # PostgreSQL: the first's insert of the event collides with the second's, committed meanwhile;
    # SQLite: the first's read snapshot is stale once the second has written (SQLITE_BUSY_SNAPSHOT).
    expected = "UniqueViolation" if database.name == "postgresql" else "database is locked"
    assert expected in str(failed[0]), failed[0]


# --- An import killed at random points -------------------------------------------------------------

KILLED = ("st-jwc", "2023-24")  # not shipped: only the files below write it
_NATIONS = ("CHN", "KOR", "NED", "CAN", "ITA", "JPN", "USA", "POL", "HUN", "BEL", "FRA", "GER")
_CITIES = {1: "Montreal", 2: "Salt Lake City", 3: "Seoul", 4: "Beijing", 5: "Dresden", 6: "Dordrecht", 7: "Milano"}


def _race_file(folder: Path, world_cup: int, distance: str, gender: str, variant: str) -> None:
    """One race as a results CSV: four heats of eight and a Final A; variant B corrects the final."""
    skaters = [(f"Skater{n} {gender.upper()}{world_cup}{distance}", _NATIONS[n % len(_NATIONS)]) for n in range(32)]
    day = f"2023-{10 + world_cup // 4:02d}-{1 + world_cup * 3:02d}"
    head = [KILLED[0], KILLED[1], str(world_cup), _CITIES[world_cup], "CAN", day, distance, gender, "0"]
    base = {"500": 41.0, "1000": 85.0, "1500": 135.0}[distance]  # plausible times for the distance

    def clock(seconds: float) -> str:
        minutes, rest = divmod(seconds, 60)
        return f"{int(minutes)}:{rest:06.3f}" if minutes else f"{rest:.3f}"

    rows = []
    for n, (name, nation) in enumerate(skaters):
        heat, place = 1 + n // 8, 1 + n % 8
        rows.append([*head, "Heats", str(heat), str(place), "finished", name, nation, clock(base + place + n / 1000)])
    final = skaters[::8][:4] + skaters[1::8][:1]
    if variant == "B":
        final = final[::-1]
    for place, (name, nation) in enumerate(final, start=1):
        rows.append([*head, "Final A", "0", str(place), "finished", name, nation, clock(base + place / 10)])
    lines = [",".join(schema()), *(",".join(row) for row in rows)]
    (folder / f"wc{world_cup}-{gender}-{distance}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _folder(path: Path, variant: str, world_cups: range) -> Path:
    path.mkdir()
    for world_cup in world_cups:
        for distance in ("500", "1000", "1500"):
            for gender in ("women", "men"):
                _race_file(path, world_cup, distance, gender, variant)
    return path


def _data_version(engine: sa.Engine) -> str | None:
    """The committed data version, read on a connection of its own (without opening a ``Store``)."""
    with engine.connect() as connection:
        row = connection.execute(sa.text("SELECT value FROM meta WHERE key = 'data_version'")).first()
    return None if row is None else str(row[0])


def _import(url: str, folder: Path, kill_after: float | None) -> tuple[int, float]:
    """Run ``standings import`` in a subprocess; once its first file is committed, wait
    ``kill_after`` seconds (``None``: until it ends) and SIGKILL it.

    Returns:
        The exit code, and how long the import ran after its first commit.
    """
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args=_timeout(url))
    before = _data_version(engine)
    command = [sys.executable, "-m", "standings.cli", "--database", url, "import", str(folder)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        started = time.monotonic()
        while process.poll() is None and _data_version(engine) == before and time.monotonic() - started < 60:
            time.sleep(0.005)
        first_commit = time.monotonic()
        if kill_after is not None:
            try:
                process.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
        code = process.wait(timeout=60)
        return code, time.monotonic() - first_commit
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        engine.dispose()


def _timeout(url: str) -> dict[str, Any]:
    return {"timeout": 10} if url.startswith("sqlite") else {}


def _units(snapshot: dict[str, list[tuple[Any, ...]]]) -> dict[str, tuple[Any, ...]]:
    """Each stored race with everything stored with it: its row, its results and its findings."""
    results: dict[str, list[tuple[Any, ...]]] = {}
    for row in snapshot["results"]:
        results.setdefault(str(row[0]), []).append(row)
    findings: dict[str, list[tuple[Any, ...]]] = {}
    for row in snapshot["findings"]:
        findings.setdefault(str(row[0]), []).append(row)
    return {
        str(row[0]): (row, tuple(results.get(str(row[0]), [])), tuple(findings.get(str(row[0]), [])))
        for row in snapshot["races"]
    }


def test_an_import_killed_at_random_points_leaves_every_race_whole(tmp_path: Path, database: Database) -> None:
    base = database.url("base")
    store = open_store(base)  # the shipped data, as the command line opens the store
    try:
        report = import_paths(store, [_folder(tmp_path / "A", "A", range(1, 7))])
        assert len(report.added) == 36 and not report.refused
        before = store.snapshot()
    finally:
        store.close()
    if database.name == "sqlite":
        assert not Path(f"{sa.make_url(base).database}-wal").exists()  # checkpointed: the file alone is the store
    corrected = _folder(tmp_path / "B", "B", range(1, 8))  # 36 races corrected, 6 new (World Cup #7)

    full_db = database.copy(base, "full")
    code, duration = _import(full_db, corrected, None)
    assert code == 0
    store = Store(full_db)
    try:
        full = store.snapshot()
    finally:
        store.close()
    old, new = _units(before), _units(full)
    assert len(new) == len(old) + 6
    assert sum(new[r] != old[r] for r in old) == 36

    prefix = "/".join(KILLED) + "/"
    outcomes = []  # (exit code, how many of the 42 races are as the corrected files say)
    for seed in range(5):
        killed = database.copy(base, f"killed-{seed}")
        code, _ = _import(killed, corrected, random.Random(seed).uniform(0, duration))
        # Opens after the kill (SQLite recovers the WAL; PostgreSQL rolled the open transaction back).
        store = Store(killed)
        try:
            after = store.snapshot()
            season = season_from_store(store, *KILLED)
        finally:
            store.close()
        units = _units(after)
        assert set(old) <= set(units) <= set(new), f"seed {seed}: a race vanished or came from nowhere"
        half = [r for r, unit in units.items() if unit not in (old.get(r), new[r])]
        assert not half, f"seed {seed}: races stored half: {half}"
        for table in ("events", "competitor_ids"):
            assert set(before[table]) <= set(after[table]) <= set(full[table]), f"seed {seed}: {table}"
        assert set(season.results["race_id"]) == set(season.races["race_id"])
        outcomes.append((code, sum(units.get(r) == new[r] for r in new if r.startswith(prefix))))
    # Kills land while files are still being written (not all after the import ended).
    assert any(code == -signal.SIGKILL for code, _ in outcomes), outcomes


# --- The dashboard's season cache --------------------------------------------------------------------


@pytest.fixture
def dashboard(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Store, list[int]]]:
    """``ui.cache`` over a store of short track 2024/25, counting the season loads."""
    import streamlit as st

    from ui import cache

    st.cache_data.clear()
    st.cache_resource.clear()
    store = Store(database.url("dashboard"))
    store.import_races(_season_items(*ST))
    loads: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        loads.append(1)
        return season_from_store(*args, **kwargs)

    monkeypatch.setattr(cache, "store", lambda: store)
    monkeypatch.setattr(cache, "season_from_store", counted)
    yield cache, store, loads
    st.cache_data.clear()
    st.cache_resource.clear()
    store.close()


def _change(store: Store, marker: str) -> str:
    """Replace one race of short track 2024/25 (variant A or B); returns the new data version."""
    store.import_races([_variant(_season_items(*ST)[0], marker)])
    version = store.data_version()
    assert version is not None
    return version


def test_a_season_read_at_a_newer_version_is_kept_under_that_version(
    dashboard: tuple[Any, Store, list[int]],
) -> None:
    cache, store, loads = dashboard
    asked = store.data_version()
    newer = _change(store, "B")  # an import commits after the version was read, before the load
    loaded = cache._season_at(*ST, asked)
    assert loaded.data_version == newer
    assert len(loaded.races) == 30 and set(loaded.results["race_id"]) == set(loaded.races["race_id"])
    assert len(loads) == 2  # read at the newer version: dropped, loaded again under it
    assert cache.version() == newer  # the version is read anew, not a second later
    assert cache.season(*ST) is loaded and len(loads) == 2  # kept under the version it was read at
    leaderboard = cache.leaderboard(*ST, loaded.cups[0].cup_id, max(loaded.world_cups))
    assert isinstance(leaderboard, pd.DataFrame) and len(loads) == 2  # keyed by the season's version
    cache._season(*ST, asked)  # nothing is cached under the old key any more
    assert len(loads) == 3


def test_a_season_of_its_own_key_is_kept_as_loaded(dashboard: tuple[Any, Store, list[int]]) -> None:
    cache, store, loads = dashboard
    loaded = cache.season(*ST)
    assert loaded.data_version == store.data_version() == cache.version()
    assert cache.season(*ST) is loaded and len(loads) == 1


def test_a_store_changing_under_every_load_is_not_cached(
    dashboard: tuple[Any, Store, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, store, loads = dashboard
    markers = iter("BABABA")
    asked = store.data_version()

    def changed_first(*args: Any, **kwargs: Any) -> Any:
        loads.append(1)
        _change(store, next(markers))  # every load finds a newer version than it was asked for
        return season_from_store(*args, **kwargs)

    monkeypatch.setattr(cache, "season_from_store", changed_first)
    loaded = cache._season_at(*ST, asked)
    assert len(loads) == 3 and loaded.data_version == store.data_version()
    assert set(loaded.results["race_id"]) == set(loaded.races["race_id"])

    def unchanged(*args: Any, **kwargs: Any) -> Any:
        loads.append(1)
        return season_from_store(*args, **kwargs)

    monkeypatch.setattr(cache, "season_from_store", unchanged)
    again = cache._season_at(*ST, str(loaded.data_version))
    assert len(loads) == 4 and again is not loaded  # the last one was not kept
    assert cache._season_at(*ST, str(loaded.data_version)) is again and len(loads) == 4


def test_season_rows_reads_one_state(lt_store: tuple[Store, list[RaceImport]]) -> None:
    store, items = lt_store
    rows = store.season_rows(*LT)
    assert rows.data_version == store.data_version()
    pd.testing.assert_frame_equal(rows.races, store.races(*LT))
    pd.testing.assert_frame_equal(rows.results, store.results(*LT))
    assert len(rows.races) == len(items)
    empty = store.season_rows("st-wc", "1999-00")
    assert empty.races.empty and empty.results.empty and list(empty.races.columns) == list(rows.races.columns)


def test_a_season_built_by_hand_has_no_data_version(lt_store: tuple[Store, list[RaceImport]]) -> None:
    store, _ = lt_store
    rules = rules_for(*LT)
    races = store.races(*LT)
    season = Season(*LT, rules, races, score(store.results(*LT), races, rules))
    assert season.data_version is None
