"""Tables as readers and spreadsheet programs see them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ui.render import column_header, csv_bytes

ROOT = Path(__file__).resolve().parent.parent


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


def test_the_vendored_chart_code_is_the_build_plotly_makes_figures_for() -> None:
    """The chart element loads plotly.js's basic build of the version the plotly package targets."""
    from plotly.offline import get_plotlyjs_version

    version = get_plotlyjs_version()
    bundle = ROOT / "static" / f"plotly-basic-{version}.min.js"
    assert bundle.is_file(), f"plotly {version} needs static/plotly-basic-{version}.min.js"
    assert f"plotly.js (basic - minified) v{version}" in bundle.read_text(encoding="utf-8")[:400]
    assert f'"app/static/plotly-basic-{version}.min.js"' in (ROOT / "ui" / "chart_element.js").read_text()


def test_every_figure_uses_only_traces_of_the_basic_build() -> None:
    """The basic build draws bar, pie and scatter traces only: the charts use nothing else."""
    import re

    built = set()
    for path in [*(ROOT / "standings").rglob("*.py"), *(ROOT / "ui").rglob("*.py"), *(ROOT / "pages").glob("*.py")]:
        built |= set(re.findall(r"\bgo\.([A-Z]\w*)\(", path.read_text(encoding="utf-8")))
    traces = built - {"Figure", "Layout"}
    assert traces and {t.lower() for t in traces} <= {"bar", "pie", "scatter"}, traces
