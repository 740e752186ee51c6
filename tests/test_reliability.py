"""Reliability (issue 14): every bad input refused cleanly, naming file, row and field.

One test per class of defect the probes found (the classes are numbered as in the issue; 3, 7
and 8 are in ``test_consistency.py`` and ``test_safe_output.py``), and a folder holding one file
of every kind of defect, imported at once. Every file here is made by the test; nothing needs
``../shared``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from standings.cli import main
from standings.errors import ImportRefused
from standings.sources.results_csv import schema
from standings.sources.short_track.classification import HeatResult, classified_results
from standings.storage.importer import import_paths
from standings.storage.store import Store

from conftest import Database
from pdfgen import sheet_pdf, write

HEADER = ",".join(schema())
WINNER = ["1", "181", "Jordan STOLZ", "USA", "8", "In", "1:05.66", "", "60"]
SECOND = ["2", "157", "Damian ZUREK", "POL", "4", "In", "1:06.02", "+0.36", "54"]


def csv_row(**changes: str) -> str:
    row = {
        "circuit": "st-wc",
        "season": "2023-24",
        "world_cup": "1",
        "city": "Montreal",
        "country": "CAN",
        "day": "2023-10-22",
        "distance": "500",
        "gender": "women",
        "race_number": "0",
        "round": "Final A",
        "heat": "0",
        "place": "1",
        "status": "finished",
        "name": "Ann ONE",
        "nation": "CAN",
        "time": "43.100",
    } | changes
    return ",".join(row[c] for c in schema())


def results_csv(path: Path, *rows: str, header: str = HEADER, prefix: bytes = b"") -> Path:
    path.write_bytes(prefix + ("\n".join([header, *rows]) + "\n").encode("utf-8"))
    return path


PODIUM_ROW = {
    "event_id": "isu-short-track-world-tour-#1-(montreal)-evt",
    "category": "senior",
    "distance": 500,
    "gender": "Women",
    "round": "Finals",
    "heat": "Final A",
    "skater_id": "kim-boutin-can",
    "medal": "gold",
    "rank": 1,
    "time": "42.100",
}
PODIUM_EVENT = {"id": PODIUM_ROW["event_id"], "name": "ISU Short Track World Tour #1 (Montreal)"}


def podium_folder(folder: Path, rows: object, events: object = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "medals.json").write_text(json.dumps(rows), encoding="utf-8")
    (folder / "events.json").write_text(json.dumps([PODIUM_EVENT] if events is None else events), encoding="utf-8")
    return folder / "medals.json"


@pytest.fixture
def store(database: Database) -> Iterator[Store]:
    opened = Store(database.url("store"))
    yield opened
    opened.close()


def refused(store: Store, path: Path) -> str:
    """The one refusal of importing ``path``; the store must be as before."""
    before = store.snapshot()
    report = import_paths(store, [path])
    assert len(report.refused) == 1, vars(report)
    assert store.snapshot() == before
    return report.refused[0][1]


# --- 1. values too large for the database ------------------------------------------------------


def test_1_a_23_digit_number_is_refused_and_the_folder_goes_on(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "sheets"
    folder.mkdir()
    write(folder / "a_big.pdf", sheet_pdf([WINNER, [*SECOND[:8], "1" * 23]]))
    write(folder / "b_good.pdf", sheet_pdf([WINNER, SECOND]))
    report = import_paths(store, [folder])
    assert [(f.file, f.outcome) for f in report.files] == [("a_big.pdf", "refused"), ("b_good.pdf", "added")]
    assert "a_big.pdf, row 2, field 'points': 11111111111111111111111 is not a possible points" in report.refused[0][1]


def test_1_a_podium_rank_of_1e30_is_refused(store: Store, tmp_path: Path) -> None:
    error = refused(store, podium_folder(tmp_path / "p", [PODIUM_ROW | {"rank": 1e30}]))
    assert error == "medals.json, row 1, field 'rank': 1e+30 is not a whole number"


# --- 2. wrong types in a podium file -----------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"distance": "1000m"}, "row 1, field 'distance': '1000m' is not a whole number"),
        ({"distance": None}, "row 1, field 'distance': None is not a whole number"),
        ({"distance": [500]}, "row 1, field 'distance': [500] is not a whole number"),
        ({"rank": "first"}, "row 1, field 'rank': 'first' is not a whole number"),
        ({"rank": None}, "row 1, field 'rank': None is not a whole number"),
        ({"rank": 1.7}, "row 1, field 'rank': 1.7 is not a whole number"),
        ({"rank": True}, "row 1, field 'rank': True is not a whole number"),
        ({"time": {"s": 42.1}}, "row 1, field 'time': {'s': 42.1} is not text"),
    ],
    ids=["distance-text", "distance-null", "distance-list", "rank-text", "rank-null", "rank-1.7", "rank-bool", "time"],
)
def test_2_a_wrong_type_in_a_podium_row_is_refused(
    store: Store, tmp_path: Path, change: dict[str, object], error: str
) -> None:
    assert refused(store, podium_folder(tmp_path / "p", [PODIUM_ROW | change])) == f"medals.json, {error}"


def test_2_nan_infinity_a_null_row_and_events_as_strings(store: Store, tmp_path: Path) -> None:
    path = podium_folder(tmp_path / "nan", [PODIUM_ROW])
    path.write_text(json.dumps([PODIUM_ROW]).replace('"rank": 1', '"rank": NaN'), encoding="utf-8")
    assert refused(store, path) == "medals.json, row 1, field 'rank': nan is not a whole number"
    path.write_text(json.dumps([PODIUM_ROW]).replace('"rank": 1', '"rank": Infinity'), encoding="utf-8")
    assert refused(store, path) == "medals.json, row 1, field 'rank': inf is not a whole number"
    assert refused(store, podium_folder(tmp_path / "null", [PODIUM_ROW, None])) == (
        "medals.json, row 2: expected an object, found NoneType 'None'"
    )
    assert refused(store, podium_folder(tmp_path / "ev", [PODIUM_ROW], ["an event"])) == (
        "events.json, row 1: expected an object, found str 'an event'"
    )


def test_2_a_good_podium_file_still_imports(store: Store, tmp_path: Path) -> None:
    report = import_paths(store, [podium_folder(tmp_path / "p", [PODIUM_ROW])])
    assert report.refused == [] and len(report.added) == 1


# --- 4. a folder reports every file ----------------------------------------------------------


def test_4_a_folder_reports_every_csv_and_reads_a_bom_file(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    results_csv(folder / "bom.csv", csv_row(), prefix="\ufeff".encode())
    results_csv(folder / "upper.csv", csv_row(), header=HEADER.upper())
    results_csv(folder / "extra.csv", csv_row() + ",x", header=HEADER + ",comment")
    (folder / "notes.csv").write_text("when,what\n2025-11-14,travel\n", encoding="utf-8")
    (folder / "README.txt").write_text("hello", encoding="utf-8")
    report = import_paths(store, [folder])
    lines = {f.file: (f.outcome, f.detail) for f in report.files}
    assert lines["bom.csv"][0] == "added"
    assert lines["upper.csv"] == (
        "refused",
        f"upper.csv, row 1: columns are {HEADER.upper().split(',')}: column names are lower case, without "
        f"spaces ({HEADER})",
    )
    assert lines["extra.csv"][0] == "refused" and "unknown columns ['comment']" in lines["extra.csv"][1]
    assert lines["notes.csv"] == ("skipped", "not a results CSV (its header has 0 of the results CSV's 16 columns)")
    assert lines["README.txt"][0] == "skipped"
    assert len(report.files) == 5


def test_4_a_bom_file_on_its_own_imports(store: Store, tmp_path: Path) -> None:
    report = import_paths(store, [results_csv(tmp_path / "bom.csv", csv_row(), prefix="\ufeff".encode())])
    assert report.refused == [] and len(report.added) == 1


# --- 5. the results CSV lets nothing through silently -------------------------------------------


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        ([csv_row() + ",extra"], "row 2: 17 fields where the header has 16"),
        ([csv_row(name='"Ann\nONE"')], "row 3, field 'name': 'Ann\\nONE' holds a control character (U+000A)"),
        ([csv_row(name="Ann\x00ONE")], "row 2, field 'name': 'Ann\\x00ONE' holds a control character (U+0000)"),
        ([csv_row(season="2023-99")], "row 2, field 'season': season '2023-99' is not a season (e.g. 2025-26)"),
        ([csv_row(season="9999-00")], "row 2, field 'season': season 9999-00 is in the future"),
        ([csv_row(time="0.000")], "row 2, field 'time': time 0.000 is impossible for 500 m (35.00 to 180.00 s"),
        ([csv_row(time="99:59.999")], "row 2, field 'time': time 99:59.999 is impossible for 500 m"),
    ],
    ids=["extra-field", "line-break", "nul", "season-99", "season-9999", "time-zero", "time-huge"],
)
def test_5_a_bad_row_is_refused(store: Store, tmp_path: Path, rows: list[str], error: str) -> None:
    assert error in refused(store, results_csv(tmp_path / "event.csv", *rows))


def test_5_two_winners_of_one_final_are_a_finding(store: Store, tmp_path: Path) -> None:
    path = results_csv(tmp_path / "event.csv", csv_row(), csv_row(name="Bea TWO", nation="USA", time="43.200"))
    report = import_paths(store, [path])
    assert report.refused == [] and len(report.added) == 1
    found = store.findings()
    assert found["kind"].tolist() == ["duplicate"]
    assert found["message"].iloc[0] == (
        "event.csv, rows 2 and 3: place 1 is given twice in Final A heat 0 (a dead heat, or a typing error)"
    )


# --- 6. sheets: impossible headers and values, points, replacements -----------------------------


@pytest.mark.parametrize(
    ("sheet", "error"),
    [
        (sheet_pdf([WINNER], title="ISU SPEED SKATING WORLD CUP #0"), "field 'world_cup': World Cup #0 is not"),
        (
            sheet_pdf(
                [WINNER], venue="Thialf - Heerenveen (Ned) / 05 - 07 Dec 1900", day="Wednesday, 05 December 1900"
            ),
            "field 'season': season 1900-01 is before the first World Cup season 1985-86",
        ),
        (
            sheet_pdf([WINNER], venue="Thialf - Heerenveen (Ned) / 05 - 07 Dec 9999", day="Sunday, 05 December 9999"),
            "field 'season': season 9999-00 is in the future",
        ),
        (sheet_pdf([[*WINNER[:6], "0.00", "", "60"]]), "row 1, field 'time': time 0.00 is impossible for 1000 m"),
        (sheet_pdf([[*WINNER[:8], "999999"]]), "row 1, field 'points': 999999 is not a possible points (0 to 1000)"),
    ],
    ids=["world-cup-0", "year-1900", "year-9999", "time-zero", "points-999999"],
)
def test_6_an_impossible_sheet_is_refused(store: Store, tmp_path: Path, sheet: bytes, error: str) -> None:
    assert error in refused(store, write(tmp_path / "wc.pdf", sheet))


def test_6_points_the_table_does_not_give_are_a_finding(store: Store, tmp_path: Path) -> None:
    report = import_paths(store, [write(tmp_path / "wc.pdf", sheet_pdf([[*WINNER[:8], "59"], SECOND]))])
    assert len(report.added) == 1
    found = store.findings()
    assert found[found["kind"] == "points-differ"]["message"].tolist() == [
        "wc.pdf: Jordan STOLZ (1st) is printed with 59 points where lt-wc-2022-23.toml gives 60, and no rules "
        "exception explains it (the sheet's points are kept as printed; the standings count the rules' points "
        "until one does)"
    ]
    code, out = cli(store, "validate", "--circuit", "lt-wc", "--season", "2025-26", "--format", "csv")
    assert code == 0 and "points-differ" in out


def test_6_a_replacement_says_what_it_changed(store: Store, tmp_path: Path) -> None:
    rows = [
        WINNER,
        SECOND,
        *[
            [str(n), str(100 + n), f"Skater NUMBER{n}", "NED", "5", "Out", f"1:07.{n:02d}", "", str(50 - n)]
            for n in range(3, 21)
        ],
    ]
    full = write(tmp_path / "full.pdf", sheet_pdf(rows))
    assert len(import_paths(store, [full]).added) == 1
    shorter = write(tmp_path / "short.pdf", sheet_pdf([WINNER, [*SECOND[:6], "1:06.12", "+0.46", "54"]]))
    report = import_paths(store, [shorter])
    assert report.changes == {"lt-wc/2025-26/wc9/men-1000-a": "18 rows removed, 1 rows changed"}
    assert report.files[0].detail == "lt-wc/2025-26/wc9/men-1000-a (18 rows removed, 1 rows changed)"


def cli(store: Store, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database", store.url, *args], out=out, err=err)
    return code, out.getvalue()


# --- 9. limits, and imports that stay linear -----------------------------------------------------


def test_9_a_file_over_the_size_limit_is_refused_before_reading(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from standings.sources import plausibility

    monkeypatch.setenv("RINKSIDE_MAX_IMPORT_BYTES", "1000")
    plausibility.limits.cache_clear()
    try:
        big = write(tmp_path / "big.pdf", b"%PDF-1.4\n" + b"0" * 5000)
        assert refused(store, big) == (
            "big.pdf: the file is 0.0 MB, over the import limit of 0.0 MB (set RINKSIDE_MAX_IMPORT_BYTES to raise it)"
        )
    finally:
        monkeypatch.delenv("RINKSIDE_MAX_IMPORT_BYTES")
        plausibility.limits.cache_clear()


def test_9_a_file_over_the_row_limit_is_refused(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from standings.sources import plausibility

    monkeypatch.setenv("RINKSIDE_MAX_IMPORT_ROWS", "3")
    plausibility.limits.cache_clear()
    try:
        rows = [
            csv_row(round="Heats", heat="1", place=str(n), name=f"Skater {n}", time=f"44.{n}00") for n in range(1, 6)
        ]
        error = refused(store, results_csv(tmp_path / "many.csv", *rows))
        assert error == "many.csv: 4 rows, over the import limit of 3 (set RINKSIDE_MAX_IMPORT_ROWS to raise it)"
    finally:
        monkeypatch.delenv("RINKSIDE_MAX_IMPORT_ROWS")
        plausibility.limits.cache_clear()


class _Counted(str):
    """A competitor key that counts how often it is compared."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        _Counted.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_9_classifying_a_race_is_linear_in_its_rows() -> None:
    """The quadratic step behind 10k -> 20k rows: each classified skater's row was found by scanning
    every heat row. Counted, not timed: comparisons of competitor keys stay a small multiple of n."""
    for n in (2_000, 4_000):
        heats = [HeatResult(_Counted(f"c{i}"), "Heats", i % 99 + 1, i % 8 + 1, "finished", "42.000") for i in range(n)]
        names = {h.competitor: "X" for h in heats}
        _Counted.comparisons = 0
        classified_results(heats, names=names, nations=dict.fromkeys(names, "NED"))
        assert _Counted.comparisons <= 10 * n, (n, _Counted.comparisons)


# --- every defect in one folder ------------------------------------------------------------------


def test_a_folder_with_every_defect_prints_a_line_per_file(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    write(folder / "good.pdf", sheet_pdf([WINNER, SECOND]))
    write(folder / "overflow.pdf", sheet_pdf([WINNER, [*SECOND[:8], "1" * 23]]))
    write(folder / "wc0.pdf", sheet_pdf([WINNER], title="ISU SPEED SKATING WORLD CUP #0"))
    write(folder / "points.pdf", sheet_pdf([[*WINNER[:8], "999999"]], title="ISU SPEED SKATING WORLD CUP #8"))
    podium_folder(folder / "podium", [PODIUM_ROW | {"rank": "first"}])
    results_csv(folder / "upper.csv", csv_row(), header=HEADER.upper())
    results_csv(folder / "extra-field.csv", csv_row() + ",x")
    results_csv(folder / "nul.csv", csv_row(name="Ann\x00ONE"))
    results_csv(folder / "season.csv", csv_row(season="9999-00"))
    results_csv(folder / "time.csv", csv_row(time="0.000"))
    results_csv(folder / "good.csv", csv_row(circuit="st-jwc", season="2024-25"), prefix="\ufeff".encode())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    cli(store, "cups", "--circuit", "lt-wc", "--season", "2025-26")  # the CLI seeds the shipped data first
    before = store.snapshot()
    code, out = cli(store, "import", str(folder))
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 13  # 12 files, and events.json beside medals.json
    outcomes = {line.split()[1].rstrip(":"): line.split()[0] for line in lines}
    assert outcomes.pop("good.pdf") == outcomes.pop("good.csv") == "added"
    assert outcomes.pop("podium/events.json") == "skipped"
    assert set(outcomes.values()) == {"refused"}
    after = store.snapshot()
    new = sorted(set(after["races"]) - set(before["races"]))
    assert [r[0] for r in new] == ["lt-wc/2025-26/wc9/men-1000-a", "st-jwc/2024-25/wc1/women-500-a"]
    assert set(before["races"]) <= set(after["races"])  # nothing else changed
    assert set(before["results"]) <= set(after["results"])


def test_refusals_are_import_refused() -> None:
    """The plausibility checks raise the one error every importer raises."""
    from standings.sources import plausibility

    with pytest.raises(ImportRefused, match="row 4, field 'time'"):
        plausibility.check_time("0.00", "long_track", "500", "x.pdf", row=4)
    with pytest.raises(ImportRefused, match="World Cup #16"):
        plausibility.check_world_cup(16, "x.pdf")
