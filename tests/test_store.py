"""The store: idempotent, atomic imports; bad files change nothing; data/ round trip."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from standings.model import RaceImport
from standings.sources.isu_sheet import Sheet
from standings.storage.importer import import_paths
from standings.storage.shipped import open_store, read_season, seed, write_season
from standings.storage.store import Store

from conftest import SHARED_SHEETS, Database
from pdfgen import pdf_bytes, sheet_pdf, write
from shared_data import needs_shared

SHEET = "wc1/8_result_men_1000_a-signed_20251115174506.pdf"
OTHER = "wc1/7_result_women_1000_a-signed_20251115174456.pdf"


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / Path(name).name
    shutil.copyfile(SHARED_SHEETS / name, target)
    return target


@needs_shared
def test_import_then_reimport_changes_nothing(store: Store, tmp_path: Path) -> None:
    first = import_paths(store, [_copy(tmp_path, SHEET)])
    assert [race for _, race in first.added] == ["lt-wc/2025-26/wc1/men-1000-a"]
    before = store.snapshot()
    again = import_paths(store, [SHARED_SHEETS / SHEET])  # same sheet, from another folder
    assert again.unchanged and not again.added and not again.replaced
    assert store.snapshot() == before


def test_corrected_sheet_replaces_the_race_whole(store: Store, sheets_by_source: dict[str, Sheet]) -> None:
    sheet = sheets_by_source[SHEET]
    other = sheets_by_source[OTHER]
    store.import_races([RaceImport(sheet.race, sheet.results), RaceImport(other.race, other.results)])
    before = store.snapshot()
    # The correction: the two DQ rows are withdrawn from the sheet and a time is corrected.
    corrected_rows = list(sheet.results[:18])
    corrected_rows[17] = dataclasses.replace(corrected_rows[17], time="1:09.65", time_behind="+3.99")
    outcome = store.import_races([RaceImport(sheet.race, tuple(corrected_rows))])
    assert outcome == [("lt-wc/2025-26/wc1/men-1000-a", "replaced")]
    after = store.snapshot()
    men = [r for r in after["results"] if r[0] == sheet.race.race_id]
    assert len(men) == 18
    assert any(r[8] == "1:09.65" for r in men)  # the time column
    untouched = [r for r in before["results"] if r[0] == other.race.race_id]
    assert [r for r in after["results"] if r[0] == other.race.race_id] == untouched


def test_failure_inside_a_batch_rolls_back_everything(store: Store, sheets_by_source: dict[str, Sheet]) -> None:
    sheet = sheets_by_source[SHEET]
    other = sheets_by_source[OTHER]
    store.import_races([RaceImport(sheet.race, sheet.results)])
    before = store.snapshot()
    broken = dataclasses.replace(other.results[0], status="fell")  # violates the status constraint
    with pytest.raises(IntegrityError, match="known_status"):
        store.import_races(
            [
                RaceImport(sheet.race, sheet.results[:5]),  # would replace the race...
                RaceImport(other.race, (broken, *other.results[1:])),  # ...but this one fails
            ]
        )
    assert store.snapshot() == before


@needs_shared
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: data[: len(data) // 2], "truncated"),
        (lambda data: data[:-2000], "truncated"),
        (lambda data: b"garbage" * 50, "not a PDF"),
        (lambda data: data[:3000] + b"\x00" * 4000 + data[7000:], "PDF"),
    ],
    ids=["half", "tail-cut", "not-pdf", "corrupt-middle"],
)
def test_damaged_file_is_refused_and_store_unchanged(store: Store, tmp_path: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    import_paths(store, [SHARED_SHEETS / OTHER])
    before = store.snapshot()
    bad = write(tmp_path / "8_result_men_1000_a.pdf", damage((SHARED_SHEETS / SHEET).read_bytes()))
    report = import_paths(store, [bad])
    assert not report.added and len(report.refused) == 1
    assert report.refused[0][0] == "8_result_men_1000_a.pdf"
    assert message in report.refused[0][1]
    assert store.snapshot() == before


def test_not_a_result_sheet_is_refused(store: Store, tmp_path: Path) -> None:
    letter = write(tmp_path / "letter.pdf", pdf_bytes([[(72, 72, 12, "Dear skaters, the season starts soon.")]]))
    report = import_paths(store, [letter])
    assert report.refused == [
        (
            "letter.pdf",
            "letter.pdf: no 'ISU SPEED SKATING WORLD CUP #n' title: not an ISU World Cup result sheet",
        )
    ]
    assert store.snapshot()["races"] == []


GOOD = ["1", "181", "Jordan STOLZ", "USA", "8", "In", "1:05.66", "", "60"]


@pytest.mark.parametrize(
    ("bad_row", "error"),
    [
        (["2", "157", "Damian ZUREK", "POL", "4", "In", "1:6x.02", "+0.36", "54"], "row 2, field 'time'"),
        (["2", "157", "Damian ZUREK", "POL", "4", "In", "1:66.02", "+0.36", "54"], "row 2, field 'time'"),
        (["2", "157", "Damian ZUREK", "XYZ", "4", "In", "1:06.02", "+0.36", "54"], "row 2, field 'nation'"),
        (["2", "157", "Damian ZUREK", "POL", "4", "Up", "1:06.02", "+0.36", "54"], "row 2, field 'lane'"),
        (["2", "157", "Damian ZUREK", "POL", "4", "In", "1:06.02", "+0.36", "5a"], "row 2, field 'points'"),
        (["2", "181", "Jordan STOLZ", "USA", "4", "In", "1:06.02", "+0.36", "54"], "row 2, field 'name'"),
        (["2", "157", "Damian ZUREK", "POL", "4", "In", "1:04.02", "", "54"], "row 2, field 'time'"),
        (["5", "157", "Damian ZUREK", "POL", "4", "In", "1:06.02", "+0.36", "54"], "row 2, field 'rank'"),
    ],
    ids=[
        "not-a-time",
        "61-plus-seconds",
        "unknown-nation",
        "lane",
        "points",
        "duplicate",
        "faster-than-winner",
        "rank",
    ],
)
def test_bad_row_is_refused_with_file_row_and_field(
    store: Store, tmp_path: Path, bad_row: list[str], error: str
) -> None:
    path = write(tmp_path / "wc9_men_1000.pdf", sheet_pdf([GOOD, bad_row]))
    report = import_paths(store, [path])
    assert len(report.refused) == 1
    assert report.refused[0][1].startswith(f"wc9_men_1000.pdf, {error}")
    assert store.snapshot()["results"] == []


def test_a_good_synthetic_sheet_imports(store: Store, tmp_path: Path) -> None:
    good = ["2", "157", "Damian ZUREK", "POL", "4", "In", "1:06.02", "+0.36", "54"]
    report = import_paths(store, [write(tmp_path / "wc9.pdf", sheet_pdf([GOOD, good]))])
    assert [race for _, race in report.added] == ["lt-wc/2025-26/wc9/men-1000-a"]


def test_data_folder_round_trip_is_lossless(
    store: Store, tmp_path: Path, sheets_by_source: dict[str, Sheet], database: Database
) -> None:
    items = [RaceImport(s.race, s.results, s.findings) for s in sheets_by_source.values()]
    store.import_races(items)
    folder = write_season(store, "lt-wc", "2025-26", tmp_path / "data")
    assert sorted(p.name for p in folder.iterdir()) == ["events.csv", "findings.csv", "races.csv", "results.csv"]
    rebuilt = Store(database.url("rebuilt"))
    assert seed(rebuilt, tmp_path / "data") is True
    assert rebuilt.snapshot()["results"] == store.snapshot()["results"]
    assert rebuilt.snapshot()["races"] == store.snapshot()["races"]
    assert seed(rebuilt, tmp_path / "data") is False  # unchanged files: nothing to do
    # Importing the official sheets on top of the shipped data changes nothing either.
    before = rebuilt.snapshot()
    outcomes = rebuilt.import_races(items)
    assert {o for _, o in outcomes} == {"unchanged"}
    assert rebuilt.snapshot() == before
    rebuilt.close()


@pytest.mark.sqlite_only("reads data/ and the sheets, no store")
def test_shipped_data_matches_the_official_sheets(tmp_path: Path, sheets_by_source: dict[str, Sheet]) -> None:
    """data/ is exactly what the importer reads from the 103 sheets today."""
    shipped = {item.race.race_id: item for item in read_season(Path("data/lt-wc/2025-26").resolve())}
    assert len(shipped) == 103
    for sheet in sheets_by_source.values():
        item = shipped[sheet.race.race_id]
        assert item.results == sheet.results, sheet.source
        assert set(sheet.findings) <= set(item.findings), sheet.source


def test_fresh_store_builds_itself_from_data(database: Database) -> None:
    store = open_store(database.url("fresh"))
    seasons = store.seasons()
    assert seasons.to_dict("records")[0] == {
        "circuit": "lt-wc",
        "season": "2025-26",
        "events": 4,
        "races": 103,
        "results": 2514,
    }
    assert set(zip(seasons["circuit"], seasons["season"], strict=True)) == {
        ("lt-wc", "2025-26"),
        ("st-jwc", "2025-26"),
        ("st-wc", "2018-19"),
        ("st-wc", "2019-20"),
        ("st-wc", "2023-24"),
        ("st-wc", "2024-25"),
        ("st-wc", "2025-26"),
    }
    store.close()


def test_a_venue_printed_two_ways_is_a_finding(database: Database) -> None:
    store = open_store(database.url("f"))
    messages = store.findings("lt-wc", "2025-26")["message"]
    calgary = messages[messages.str.contains("venue printed as 'Olympic Oval - Calgary")]
    # The 28 Calgary sheets name the rink two ways: 10 "Calgary Olympic Oval" (the first read), 18 "Olympic Oval".
    assert len(calgary) == 18
    store.close()


def test_the_store_is_on_the_backend_under_test(store: Store, database: Database) -> None:
    """The ``postgresql`` variants really run on PostgreSQL (a real server), not on a SQLite fallback."""
    assert store.engine.dialect.name == database.name
    with store.engine.connect() as connection:
        if database.name == "postgresql":
            assert str(connection.exec_driver_sql("SELECT version()").scalar_one()).startswith("PostgreSQL ")
        else:
            assert connection.exec_driver_sql("SELECT sqlite_version()").scalar_one()


@pytest.mark.sqlite_only("WAL is SQLite's journal")
def test_sqlite_runs_in_wal_mode(store: Store) -> None:
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_two_processes_building_one_store_at_once(database: Database) -> None:
    """Two dashboards starting together on an empty database both get a complete store."""
    url = database.url("shared")
    script = (
        "import sys; from standings.storage.shipped import open_store; "
        "s = open_store(sys.argv[1]); print(int(s.seasons()['results'].sum()))"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", script, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], [err for _, err in outputs]
    assert [out.strip() for out, _ in outputs] == ["7162"] * 3  # every shipped result row, 2514 of them long track
