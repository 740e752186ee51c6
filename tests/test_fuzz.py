"""Fuzzing the importers (issue 14): real files mutated field by field and byte by byte.

For every mutated file, exactly one of two things holds:
- a clean refusal: ``ImportRefused`` naming the file (and, for a value, its row and field), no
  reader's stray exception (the importer's last-resort "cannot be read (TypeError ...)" counts as a
  failure here), and the store exactly as before (a logical dump compared);
- a successful import whose stored values equal what the file holds (the reader's races, row by
  row, read back from the store).

The sources: the project's example results CSV, a sheet made like the official ones, and (when
``../shared`` is there) slices of the short-track scrape ``rounds.csv`` and of the podium file.
CI runs a bounded number of examples per source; for a release check run more:

    RINKSIDE_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from standings.model import RaceImport
from standings.storage.importer import import_paths, read_file
from standings.storage.store import Store

from conftest import Database
from pdfgen import sheet_pdf
from shared_data import SHARED, needs_shared

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "results-example.csv"
EXAMPLES = int(os.environ.get("RINKSIDE_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 100,  # CI: the same examples every run; a release run explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
LAST_RESORT = "cannot be read ("

#: Values a field may be replaced by: the kinds of damage the probes tried, and any text.
NASTY_TEXT = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1" * 23,
            "1e30",
            "NaN",
            "first",
            "0.000",
            "99:59.999",
            "9999-00",
            "2023-99",
            '=HYPERLINK("http://evil.example","x")',
            "**bold**",
            "<b>x</b>",
            "a\nb",
            "a\x00b",
            "\ufeff",
            "Final A",
            "PEN",
            "1:75.100",
        ]
    ),
    st.text(max_size=12),
)
JSON_VALUE: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | NASTY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)


def stored_equals_read(store: Store, items: list[RaceImport]) -> None:
    """Every race read from the file is stored exactly so: the same rows, in order."""
    for item in items:
        race = item.race
        rows = store.results(race.circuit, race.season)
        rows = rows[rows["race_id"] == race.race_id]
        fields = ("competitor", "name", "nation", "status", "time", "rank", "official_points")
        got = [tuple(None if _missing(v) else v for v in row) for row in rows[list(fields)].itertuples(index=False)]
        want = [tuple(getattr(r, f) for f in fields) for r in item.results]
        assert got == want, race.race_id


def _missing(value: object) -> bool:
    try:
        return value is None or bool(value != value)  # NA / NaN
    except TypeError:
        return True


def check(store: Store, path: Path) -> None:
    """The property: a clean refusal with the store unchanged, or an import stored exactly."""
    before = store.snapshot()
    report = import_paths(store, [path])
    if report.refused:
        ((name, message),) = report.refused
        # The file, or the podium file's events.json beside it, is named first.
        assert message.startswith((name, "events.json")), message
        assert LAST_RESORT not in message, message
        assert store.snapshot() == before
        return
    assert report.files and report.files[0].outcome in ("added", "replaced", "unchanged"), report.files
    stored_equals_read(store, read_file(path, path.name))


def csv_mutations(original: str) -> st.SearchStrategy[str]:
    """A CSV with one field replaced, a row duplicated or dropped, or its bytes damaged."""
    rows = list(csv.reader(io.StringIO(original, newline="")))

    @st.composite
    def field(draw: st.DrawFn) -> str:
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, len(rows[row]) - 1))
        changed = [list(r) for r in rows]
        changed[row][column] = draw(NASTY_TEXT)
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\n").writerows(changed)
        return out.getvalue()

    @st.composite
    def shape(draw: st.DrawFn) -> str:
        lines = original.splitlines(keepends=True)
        index = draw(st.integers(1, len(lines) - 1))
        action = draw(st.sampled_from(["duplicate", "drop", "extra-field", "short"]))
        line = lines[index]
        if action == "duplicate":
            lines.insert(index, line)
        elif action == "drop":
            del lines[index]
        elif action == "extra-field":
            lines[index] = line.rstrip("\n") + ",x\n"
        else:
            lines[index] = line.rsplit(",", 1)[0] + "\n"
        return "".join(lines)

    return st.one_of(field(), shape(), byte_mutations(original.encode("utf-8")).map(_decode))


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


def byte_mutations(original: bytes) -> st.SearchStrategy[bytes]:
    """The bytes with one stretch replaced, inserted or deleted."""

    @st.composite
    def damage(draw: st.DrawFn) -> bytes:
        start = draw(st.integers(0, max(len(original) - 1, 0)))
        length = draw(st.integers(0, 8))
        new = draw(st.binary(max_size=8))
        return original[:start] + new + original[start + length :]

    return damage()


def write_text(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    return path


@pytest.fixture
def store(database: Database) -> Iterator[Store]:
    opened = Store(database.url("fuzz"))
    yield opened
    opened.close()


def _seeded(store: Store, path: Path) -> Store:
    """The store with the unmutated file imported: a mutation then replaces or adds races."""
    report = import_paths(store, [path])
    assert not report.refused, report.refused
    return store


# --- the example results CSV (in the repository) ------------------------------------------------


@FUZZ
@given(data=st.data())
def test_example_csv_mutated(tmp_path: Path, store: Store, data: st.DataObject) -> None:
    _seeded(store, EXAMPLE)
    text = data.draw(csv_mutations(EXAMPLE.read_text(encoding="utf-8")))
    check(store, write_text(tmp_path / "event.csv", text))


# --- a sheet laid out like the official ones ----------------------------------------------------

ROWS = [
    ["1", "181", "Jordan STOLZ", "USA", "8", "In", "1:05.66", "", "60"],
    ["2", "157", "Damian ZUREK", "POL", "4", "In", "1:06.02", "+0.36", "54"],
    ["3", "93", "Jenning DE BOO", "NED", "7", "Out", "1:06.11", "+0.45", "48"],
]


@FUZZ
@given(row=st.integers(0, 2), column=st.integers(0, 8), value=NASTY_TEXT)
def test_sheet_field_mutated(tmp_path: Path, store: Store, row: int, column: int, value: str) -> None:
    rows = [list(r) for r in ROWS]
    rows[row][column] = value.encode("latin-1", errors="replace").decode("latin-1")
    path = tmp_path / "wc9_sheet.pdf"
    path.write_bytes(sheet_pdf(rows))
    check(store, path)


@settings(FUZZ, max_examples=max(EXAMPLES // 3, 5))
@given(data=st.data())
def test_sheet_bytes_mutated(tmp_path: Path, store: Store, data: st.DataObject) -> None:
    path = tmp_path / "wc9_sheet.pdf"
    path.write_bytes(data.draw(byte_mutations(sheet_pdf(ROWS))))
    check(store, path)


# --- the shared sources: a slice of the short-track scrape and of the podium file ----------------


def _rounds_slice() -> str:
    lines = (SHARED / "st-world-cup-2018-2020" / "rounds.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(lines[:60])


@needs_shared
@FUZZ
@given(data=st.data())
def test_rounds_csv_mutated(tmp_path: Path, store: Store, data: st.DataObject) -> None:
    original = _rounds_slice()
    _seeded(store, write_text(tmp_path / "rounds.csv", original))
    check(store, write_text(tmp_path / "rounds.csv", data.draw(csv_mutations(original))))


def _podium_slice() -> tuple[list[Any], list[Any]]:
    folder = SHARED / "st-podiums-2023-2026"
    medals = json.loads((folder / "medals.json").read_text(encoding="utf-8"))
    events = json.loads((folder / "events.json").read_text(encoding="utf-8"))
    wanted = {r["event_id"] for r in medals[:30]}
    return medals[:30], [e for e in events if e["id"] in wanted]


def _write_podium(folder: Path, medals: object, events: object) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "events.json").write_text(json.dumps(events, allow_nan=True), encoding="utf-8")
    path = folder / "medals.json"
    path.write_text(json.dumps(medals, allow_nan=True), encoding="utf-8")
    return path


def _json_mutation(draw: Callable[[st.SearchStrategy[Any]], Any], rows: list[Any]) -> list[Any]:
    changed = json.loads(json.dumps(rows))
    index = draw(st.integers(0, len(changed) - 1))
    action = draw(st.sampled_from(["field", "drop-field", "row", "extra-field"]))
    if action == "row":
        changed[index] = draw(JSON_VALUE)
    elif isinstance(changed[index], dict):
        key = draw(st.sampled_from(sorted(changed[index])))
        if action == "field":
            changed[index][key] = draw(JSON_VALUE)
        elif action == "drop-field":
            del changed[index][key]
        else:
            changed[index][draw(st.text(max_size=6))] = draw(JSON_VALUE)
    return changed


@needs_shared
@FUZZ
@given(data=st.data())
def test_podium_file_mutated(tmp_path: Path, store: Store, data: st.DataObject) -> None:
    medals, events = _podium_slice()
    _seeded(store, _write_podium(tmp_path / "p", medals, events))
    if data.draw(st.booleans()):
        medals = _json_mutation(data.draw, medals)
    else:
        events = _json_mutation(data.draw, events)
    check(store, _write_podium(tmp_path / "p", medals, events))


@needs_shared
@settings(FUZZ, max_examples=max(EXAMPLES // 3, 5))
@given(data=st.data())
def test_podium_bytes_mutated(tmp_path: Path, store: Store, data: st.DataObject) -> None:
    medals, events = _podium_slice()
    path = _write_podium(tmp_path / "p", medals, events)
    _seeded(store, path)
    path.write_bytes(data.draw(byte_mutations(path.read_bytes())))
    check(store, path)


def test_the_strategies_reach_both_outcomes(tmp_path: Path, store: Store) -> None:
    """A guard against a fuzz test that cannot fail: the same check accepts the original and
    refuses a known-bad mutation (with the store unchanged)."""
    _seeded(store, EXAMPLE)
    check(store, EXAMPLE)
    bad = EXAMPLE.read_text(encoding="utf-8").replace("43.120", "0.000", 1)
    before = store.snapshot()
    report = import_paths(store, [write_text(tmp_path / "bad.csv", bad)])
    assert report.refused and store.snapshot() == before
    assert math.isfinite(EXAMPLES)
