"""Tables as readers and spreadsheet programs see them."""

from __future__ import annotations

import pandas as pd

from ui.render import column_header, csv_bytes


def test_csv_downloads_open_in_spreadsheets_with_accents_and_no_formulas() -> None:
    frame = pd.DataFrame({"name": ["Damian ŻUREK", '=HYPERLINK("http://x")'], "points": [189, 0]})
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    text = data.decode("utf-8-sig")
    assert "Damian ŻUREK" in text
    assert "'=HYPERLINK" in text  # a cell from an input file never runs as a formula


def test_column_headers_read_as_words() -> None:
    assert [column_header(c) for c in ("world_cup", "race_id", "of", "gold", "time_behind")] == [
        "World Cup",
        "Race",
        "Ranked",
        "Gold",
        "Time behind",
    ]
