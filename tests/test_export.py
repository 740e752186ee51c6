"""The camera button's PNG at HD and at 4K: the same picture, scaled (issue 10, item 3).

Renders a real chart with the plotly.js shipped in the plotly package, in Debian's Chromium
(driven by Playwright, as the browser tests), through ``Plotly.toImage`` with exactly the
options ``export_config`` gives the toolbar's camera, then measures the title's ink in the PNG.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import plotly
import pytest
from PIL import Image
from playwright import sync_api as playwright

import standings
from standings.present import views
from standings.present.charts import export_config, progress_chart

from chromium_browser import CHROMIUM, LAUNCH_ARGS, require_chromium

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def page() -> Iterator[playwright.Page]:
    require_chromium()
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        opened = browser.new_page()
        opened.set_content("<html><body><div id='chart' style='width:700px;height:450px'></div></body></html>")
        opened.add_script_tag(path=str(PLOTLY_JS))
        yield opened
        browser.close()


def _export(page: playwright.Page, size: str) -> Image.Image:
    season = standings.load_season("lt-wc", "2025-26")
    figure = progress_chart(
        season.progress("men-500", after=4),
        title="500 m Men 2025/26: points race",
        as_of=views.as_of_label(season, 4),
        source=views.source_line(season),
        cities=season.cities,
    )
    options = export_config("500 m Men points race", size)["toImageButtonOptions"]
    url = page.evaluate(
        """async ([figure, options]) => {
            const chart = document.getElementById('chart');
            await Plotly.newPlot(chart, figure.data, figure.layout, {responsive: true});
            return await Plotly.toImage(chart, options);
        }""",
        [json.loads(figure.to_json()), options],
    )
    png = base64.b64decode(url.split(",", 1)[1])
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"export-{size.split(' (')[0].replace(' ', '')}.png").write_bytes(png)
    return Image.open(io.BytesIO(png)).convert("L")


def _title_line_height(image: Image.Image) -> int:
    """Height in pixels of the ink of the title's first line (the first run of rows with dark pixels)."""
    grey = np.asarray(image)
    top = grey[: grey.shape[0] // 6, : grey.shape[1] // 2]  # the title sits top left
    inked = np.flatnonzero((top < 128).any(axis=1))
    assert inked.size, "no title found"
    first = int(inked[0])
    end = first
    for row in inked[1:]:
        if row > end + 1:
            break
        end = int(row)
    return end - first + 1


def test_the_4k_export_is_the_hd_one_three_times_larger(page: playwright.Page) -> None:
    hd = _export(page, "1280 x 720 (HD)")
    uhd = _export(page, "3840 x 2160 (4K UHD)")
    assert hd.size == (1280, 720) and uhd.size == (3840, 2160)
    small, large = _title_line_height(hd), _title_line_height(uhd)
    # Readable on air: the title's first line is about 1/45 of the frame's height or more.
    assert small >= 720 / 45, small
    assert large / small == pytest.approx(3, rel=0.1), (small, large)


STATIC = Path(__file__).resolve().parent.parent / "static"
BASIC_JS = STATIC / f"plotly-basic-{plotly.offline.get_plotlyjs_version()}.min.js"


def test_the_dashboards_basic_build_exports_the_same_picture(page: playwright.Page) -> None:
    """The chart element's plotly.js (the basic build in static/) exports what the full build does."""
    full = np.asarray(_export(page, "1280 x 720 (HD)"))
    blank = "<html><body><div id='chart' style='width:700px;height:450px'></div></body></html>"
    page.set_content(blank)
    page.add_script_tag(path=str(BASIC_JS))
    try:
        assert page.evaluate("Object.keys(Plotly.PlotSchema.get().traces).sort()") == ["bar", "pie", "scatter"]
        basic = np.asarray(_export(page, "1280 x 720 (HD)"))
    finally:  # the other tests' page again: the full build
        page.set_content(blank)
        page.add_script_tag(path=str(PLOTLY_JS))
    assert basic.shape == full.shape == (720, 1280)
    assert (basic != full).mean() < 0.001  # the same picture (anti-aliasing aside)
