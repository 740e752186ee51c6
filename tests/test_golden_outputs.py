"""Every table and figure made from the shipped data equals its recorded version (see ``golden_outputs``).

A refactor changes the code's shape, not what it shows: this fails on any changed number, rank,
medal, sentence or chart. The check compares digests (``tests/golden/outputs.json``); only when one
differs is the archive of the outputs themselves (``tests/golden/outputs.jsonl.xz``) read, and the
failure names each changed output (the first five) with its first differing rows (tables, counted
from 0 as ``.iloc``) or key paths (figures), expected against actual.

When an output changes on purpose, re-record both files with ``python tests/golden_outputs.py``
and say why in the commit.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from golden_outputs import GOLDEN, RECORD_COMMAND, Output, contents, load_archive, mismatch_report


def test_every_output_equals_its_recorded_digest() -> None:
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    made = dict(contents())
    if any(name not in made or made[name].digest != digest for name, digest in recorded.items()) or (
        made.keys() - recorded.keys()
    ):
        pytest.fail(mismatch_report(recorded, made, load_archive()), pytrace=False)


def test_the_archive_holds_exactly_the_recorded_outputs() -> None:
    """The two files are recorded together: the archive explains every digest, and nothing else."""
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    archived = load_archive()
    assert {name: output.digest for name, output in archived.items()} == recorded, (
        f"tests/golden/ is out of step: re-record with `{RECORD_COMMAND}`"
    )


def _edit_cell(text: str, row: int, column: str, value: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    rows[row + 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def test_a_mismatch_names_the_output_and_shows_its_differing_rows_expected_and_actual() -> None:
    archived = load_archive()
    recorded = {name: output.digest for name, output in archived.items()}
    table = "lt-wc/2025-26 women-500 leaderboard after 4"
    figure = "lt-wc/2025-26 women-500 bump chart after 4"
    made = dict(archived)
    board = list(csv.DictReader(io.StringIO(archived[table].text)))
    made[table] = Output("table", _edit_cell(archived[table].text, 2, "points", "999"))
    spec = json.loads(archived[figure].text)
    assert spec["data"][1]["y"] == {"bdata": "CwoMCQ==", "dtype": "i1"}  # Plotly's typed array of [11, 10, 12, 9]
    spec["data"][1]["y"] = [11, 10, 13, 9]
    made[figure] = Output("figure", json.dumps(spec, sort_keys=True))

    message = mismatch_report(recorded, made, archived)

    assert "2 of 1663 recorded outputs changed" in message
    assert RECORD_COMMAND in message
    first, second = board[2][next(iter(board[2]))], board[2][list(board[2])[1]]
    assert f"'{table}' (table):" in message
    assert f"row 2 (rank={first!r}, {list(board[2])[1]}={second!r}):" in message
    assert f"points: expected {board[2]['points']!r}, actual '999'" in message
    assert f"'{figure}' (figure):" in message
    assert "data[1].y[2] (trace 'Martyna BARAN (POL)'): expected 12, actual 13" in message
    assert mismatch_report(recorded, archived, archived) == ""


def test_a_row_added_or_dropped_shows_as_only_expected_or_only_actual() -> None:
    archived = load_archive()
    recorded = {name: output.digest for name, output in archived.items()}
    table = "lt-wc/2025-26 women-500 leaderboard after 4"
    lines = archived[table].text.splitlines(keepends=True)
    made = {**archived, table: Output("table", "".join(lines[:3] + lines[4:]))}  # data row 2 dropped
    message = mismatch_report(recorded, made, archived)
    assert f"{len(lines) - 1} rows expected, {len(lines) - 2} actual" in message
    assert "row 2 only expected: rank=" in message
    del made[table]
    assert "No longer made: ['lt-wc/2025-26 women-500 leaderboard after 4']" in mismatch_report(
        recorded, made, archived
    )
