"""What a person sees: the dashboard under `streamlit run` on 127.0.0.1, in headless Chromium.

Uses Debian's chromium (``/usr/bin/chromium``) driven by Playwright from PyPI; no browser is
downloaded. Screenshots of every page at desktop and phone widths are kept in
``tests/artifacts/`` for a person to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api as playwright

from chromium_browser import CHROMIUM, LAUNCH_ARGS, require_chromium

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
#: A chart that shows something: the session's first run also sends a blank chart for a moment
#: (``ui.render.warm_up_charts``), which holds no trace.
CHART = ".js-plotly-plot:has(.trace)"
WIDTHS = {"desktop": (1440, 1000), "phone": (390, 844)}
PAGES = {
    "standings": "standings?circuit=lt-wc&season=2025-26&cup=men-500&after=2",
    "overall": "overall?gender=men",
    "title-race": "title-race?gender=men&cup=men-500&after=4",
    "nations": "nations",
    "skater": "skater?skater=jordan-stolz-usa",
    "data": "data",
    "qualification": "qualification?gender=women&event=women-3000&after=2",
}


def _pinned(url: str) -> str:
    """A page's link with the season pinned: a test later in this file syncs 2026/27 into the
    server's store, which then opens on that season when a link names none."""
    page, _, query = url.partition("?")
    pinned = [p for p in ("circuit=lt-wc", "season=2025-26") if p.split("=")[0] + "=" not in query]
    return f"{page}?{'&'.join([*pinned, query] if query else pinned)}"


require_chromium()
#: The running server's database (set by ``server``), for a test that writes to it meanwhile.
SERVER_DATABASE: list[str] = []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh `streamlit run app.py` on 127.0.0.1 (its own database), stopped afterwards."""
    port = _free_port()
    SERVER_DATABASE[:] = [f"sqlite:///{tmp_path_factory.mktemp('server') / 'rinkside.sqlite'}"]
    env = {**os.environ, "RINKSIDE_DATABASE_URL": SERVER_DATABASE[0]}
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "streamlit-server.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        log.close()
        pytest.fail(f"streamlit did not start; see {ARTIFACTS / 'streamlit-server.log'}")
    yield url
    process.terminate()
    process.wait(timeout=30)
    log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


THEMES = ("light", "dark")
# What a person would see wrong in a chart, measured in the page: each figure's plot width,
# rotated tick labels, and boxes (legend, source line, tick labels, title, labels) that overlap
# one another or leave the figure; and the chart's background against the page's.
_CHART_GEOMETRY = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .filter(gd => gd.querySelector('.trace')).map(gd => {
  const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const boxes = sel => [...gd.querySelectorAll(sel)].map(box).filter(b => b[2] > b[0]);
  const annotations = [...gd.querySelectorAll('.annotation')];
  const source = annotations.filter(a => a.textContent.startsWith('Source'));
  const legend = gd.querySelector('.legend');
  return {
    title: (gd.querySelector('.gtitle') || {textContent: ''}).textContent,
    figure: box(gd), plotWidth: gd._fullLayout._size.w, width: gd._fullLayout.width,
    rotated: [...gd.querySelectorAll('.xtick text')]
      .filter(t => (t.getAttribute('transform') || '').includes('rotate')).length,
    legend: legend ? box(legend) : null,
    source: source.map(box),
    ticks: boxes('.xtick text'),
    titleBox: gd.querySelector('.gtitle') ? box(gd.querySelector('.gtitle')) : null,
    titleLines: gd.querySelectorAll('.gtitle tspan.line').length || 1,
    subtitle: gd.querySelector('.gtitle-subtitle') ? box(gd.querySelector('.gtitle-subtitle')) : null,
    plotTop: gd.getBoundingClientRect().top + gd._fullLayout._size.t,
    texts: boxes('.gtitle, .gtitle-subtitle, .legendtext, .annotation-text, .textpoint text, .xtick text, .ytick text'),
    labels: annotations.filter(a => !a.textContent.startsWith('Source')).map(box).concat(boxes('.textpoint text')),
    background: gd._fullLayout.paper_bgcolor,
    page: getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor,
  };
})"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1


def _inside(inner: list[float], outer: list[float]) -> bool:
    return inner[0] >= outer[0] - 1 and inner[2] <= outer[2] + 1


def _rgb(colour: str) -> tuple[int, ...]:
    if colour.startswith("#"):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(int(float(part)) for part in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3])


def _check_charts(page: object, width: str) -> list[dict[str, object]]:
    """Every chart on the page is legible at this width: the problems of issue 10, items 2, 6 and 10."""
    page.wait_for_timeout(800)  # type: ignore[attr-defined]  # let Plotly finish its responsive relayout
    charts: list[dict[str, object]] = page.evaluate(_CHART_GEOMETRY)  # type: ignore[attr-defined]
    for chart in charts:
        name = chart["title"]
        assert chart["rotated"] == 0, f"{name}: rotated tick labels"
        # The plot keeps most of the figure's width (the title race's was 118 of 358 px on a phone).
        assert chart["plotWidth"] >= 0.5 * chart["width"], f"{name}: plot {chart['plotWidth']} of {chart['width']} px"
        figure = chart["figure"]
        assert chart["titleBox"] is None or _inside(chart["titleBox"], figure), f"{name}: title cut"
        # Nor cut at the top (issue 25: the first line lost the tops of its letters at the frame's edge).
        assert chart["titleBox"] is None or chart["titleBox"][1] >= figure[1] + 4, f"{name}: title cut at the top"
        if chart["subtitle"] is not None:
            # No blank band under the "as of" line: the legend (or the plot) follows it (issue 25: ~110 px).
            below = chart["legend"][1] if chart["legend"] is not None else chart["plotTop"]
            assert below - chart["subtitle"][3] <= 40, f"{name}: {below - chart['subtitle'][3]:.0f} px blank band"
            if chart["legend"] is not None:
                assert not _overlap(chart["legend"], chart["subtitle"]), f"{name}: legend over the 'as of' line"
        if width == "desktop":
            assert chart["titleLines"] == 1, f"{name}: title wraps at 1440 px"
        for source in chart["source"]:
            assert _inside(source, figure), f"{name}: source line cut"
            assert not any(_overlap(source, tick) for tick in chart["ticks"]), f"{name}: source over the ticks"
        if chart["legend"] is not None:
            for other in [*chart["source"], *chart["ticks"]]:
                assert not _overlap(chart["legend"], other), f"{name}: legend covers {other}"
        labels = chart["labels"]
        for i, first in enumerate(labels):
            assert not any(_overlap(first, second) for second in labels[i + 1 :]), f"{name}: labels overlap"
        # No box of another shade around the chart: its background is the page's.
        assert _rgb(chart["background"]) == _rgb(chart["page"]), f"{name}: {chart['background']} on {chart['page']}"
    return charts


_TOOLBARS = """() => {
  const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const shown = e => {
    const s = getComputedStyle(e);
    return s.display !== 'none' && s.visibility !== 'hidden' && +s.opacity > 0;
  };
  return [...document.querySelectorAll('.modebar, [data-testid=stElementToolbar]')].filter(shown).map(box)
    .filter(b => b[2] > b[0] && b[3] > b[1]);
}"""
_CHART_TEXTS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(gd =>
  [...gd.querySelectorAll('.gtitle, .gtitle-subtitle, .legendtext, .annotation-text, .textpoint text, .xtick text')]
    .map(e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom, e.textContent]; })
    .filter(b => b[2] > b[0]))"""


def _check_toolbars(page: object) -> int:
    """Neither a chart's toolbar nor a table's covers a chart's text (issue 25, item 4: on a phone
    the chart toolbar covered titles, the table toolbar the source line of the chart above).
    Each chart and table is hovered (tapped), which shows its toolbar. Returns how many were seen."""
    seen = 0
    for selector in (CHART, "[data-testid='stMain'] [data-testid='stDataFrame']"):
        items = page.locator(selector)  # type: ignore[attr-defined]
        for i in range(items.count()):
            item = items.nth(i)
            item.evaluate("e => e.scrollIntoView({block: 'start'})")
            height = item.bounding_box()["height"]
            # Below Streamlit's header, which stays at the top of the window.
            item.hover(position={"x": 30, "y": min(120, height / 2)}, force=True)
            page.wait_for_timeout(250)  # type: ignore[attr-defined]
            toolbars = page.evaluate(_TOOLBARS)  # type: ignore[attr-defined]
            texts = page.evaluate(_CHART_TEXTS)  # type: ignore[attr-defined]
            for toolbar in toolbars:
                seen += 1
                for text in texts:
                    assert not _overlap(toolbar, text[:4]), f"a toolbar {toolbar} covers {text[4]!r} {text[:4]}"
    return seen


def _idle(page: object) -> None:
    """Wait until the app's script has run to its end (no rerun under way)."""
    page.wait_for_selector(  # type: ignore[attr-defined]
        "[data-testid=stApp][data-test-script-state=notRunning]", state="attached", timeout=60_000
    )


def _open(browser: object, url: str, size: tuple[int, int], theme: str = "light") -> object:
    # The theme as a reader's system asks for it: Streamlit follows it, and so do the charts.
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, color_scheme=theme)  # type: ignore[attr-defined]
    page.goto(url)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
    page.wait_for_load_state("networkidle")
    return page


def test_a_deep_link_is_the_first_request_of_a_fresh_server(server: str, browser: object) -> None:
    """The first visitor of a new process opens a page other than the default one."""
    page = _open(browser, f"{server}/overall", WIDTHS["desktop"])
    page.wait_for_selector(CHART, timeout=60_000)  # type: ignore[attr-defined]
    assert page.locator("[data-testid='stException']").count() == 0  # type: ignore[attr-defined]
    # The sidebar's choices (circuit, season, gender, as of): drawn with the page, if a moment after its chart.
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(3).wait_for(timeout=30_000)  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders(server: str, browser: object, name: str, width: str, theme: str) -> None:
    page = _open(browser, f"{server}/{PAGES[name]}", WIDTHS[width], theme)
    main = page.locator("[data-testid='stMain']")  # type: ignore[attr-defined]
    main.locator("[data-testid='stDataFrame']").first.wait_for(state="visible", timeout=60_000)
    if name != "data":
        main.locator(f"{CHART} .main-svg").first.wait_for(state="visible", timeout=60_000)
        assert main.locator(CHART).count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0  # type: ignore[attr-defined]
    assert page.locator("[data-testid='stAlertContentError']").count() == 0  # type: ignore[attr-defined]
    assert page.get_by_text("Page not found").count() == 0  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-{theme}.png"), full_page=False)  # type: ignore[attr-defined]
    if name != "data":
        plots = main.locator(CHART)
        for i in range(plots.count() if theme == "light" else 0):  # the dark page's own screenshot is enough
            plots.nth(i).scroll_into_view_if_needed()
            plots.nth(i).screenshot(path=str(ARTIFACTS / f"{name}-{width}-{theme}-chart{i + 1}.png"))
        assert len(_check_charts(page, width)) == plots.count()
    if name == "title-race" and theme == "light":
        _check_race_labels(page)
    if width == "phone" and theme == "light":
        if name in PHONE_COLUMNS:
            _check_phone_columns(page, PHONE_COLUMNS[name])
        assert _check_toolbars(page) >= 1
    page.close()  # type: ignore[attr-defined]


def test_the_root_opens_standings_and_keeps_the_link(server: str, browser: object) -> None:
    page = _open(browser, f"{server}/?cup=women-1000&after=3", WIDTHS["desktop"])
    page.wait_for_url("**/standings?**", timeout=60_000)  # type: ignore[attr-defined]
    assert "cup=women-1000" in page.url and "after=3" in page.url  # type: ignore[attr-defined]
    assert page.get_by_role("dialog").count() == 0  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]


def test_standings_link_shows_stolz_leading_with_211(server: str, browser: object) -> None:
    page = _open(browser, f"{server}/{PAGES['standings']}", WIDTHS["desktop"])
    grid = page.locator("[data-testid='stDataFrame']").first  # type: ignore[attr-defined]
    grid.wait_for(state="visible", timeout=60_000)
    page.locator(CHART).nth(1).wait_for(state="visible", timeout=60_000)  # type: ignore[attr-defined]
    leader = page.locator("[data-testid='stMain']").get_by_text("Leader:", exact=False).first  # type: ignore[attr-defined]
    assert leader.inner_text() == "Leader: Jordan STOLZ (USA), 211 points, 22 ahead of Damian ŻUREK (POL)"
    # The first chart's legend names the leader, the URL keeps the view.
    assert "STOLZ (USA)" in page.locator(CHART).first.inner_text()  # type: ignore[attr-defined]
    assert "cup=men-500" in page.url and "after=2" in page.url  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 1440, "height": 1500})  # type: ignore[attr-defined]
    page.locator(CHART).first.wait_for(state="visible")  # type: ignore[attr-defined]
    page.wait_for_timeout(1500)  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "readme-standings.png"))  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]


def test_title_race_link_shows_the_contenders_and_what_stolz_needs(server: str, browser: object) -> None:
    page = _open(browser, f"{server}/{PAGES['title-race']}", WIDTHS["phone"])
    main = page.locator("[data-testid='stMain']")  # type: ignore[attr-defined]
    main.get_by_text("Magic number for Jordan STOLZ: 50 more points", exact=False).first.wait_for(timeout=60_000)
    assert main.get_by_text("2 races left: WC5 Inzell (final).", exact=True).count() == 1
    sentence = "Stolz is sure of the cup if he finishes 2nd or better in one of the two remaining races"
    assert main.get_by_text(sentence, exact=False).count() == 1
    chart = page.locator(CHART).first  # type: ignore[attr-defined]
    chart.wait_for(state="visible", timeout=60_000)
    assert "who can still win" in chart.inner_text()
    assert "cup=men-500" in page.url and "after=4" in page.url  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "title-race-phone.png"), full_page=True)  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]


def test_the_page_asks_nothing_of_other_servers_and_shows_no_deploy_button(server: str, browser: object) -> None:
    """No web fonts or icons from elsewhere (offline-safe, no visitor leaked to a third party)."""
    from urllib.parse import urlparse

    page = browser.new_page(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{server}/{PAGES['standings']}")
    page.locator(f"{CHART} .main-svg").first.wait_for(state="visible", timeout=60_000)
    page.wait_for_load_state("networkidle")
    outside = [
        url
        for url in asked
        if urlparse(url).scheme in ("http", "https", "ws", "wss")
        and urlparse(url).hostname not in ("127.0.0.1", "localhost")
    ]
    assert outside == []
    assert page.get_by_role("button", name="Deploy").count() == 0
    icon = page.locator("link[rel='shortcut icon']").first.get_attribute("href") or ""
    assert not icon.startswith("http") or urlparse(icon).hostname in ("127.0.0.1", "localhost")
    page.close()


def test_a_chart_saves_its_png_of_the_size_picked_and_offers_no_upload(server: str, browser: object) -> None:
    """The camera button (the chart element's plotly.js) downloads the 16:9 PNG of the sidebar's size;
    the toolbar has no "Share chart" (plotly.js 4's upload to Plotly's cloud)."""
    from PIL import Image

    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server}/{PAGES['standings']}")
    chart = page.locator(CHART).first
    chart.locator(".main-svg").first.wait_for(state="visible", timeout=60_000)
    chart.scroll_into_view_if_needed()
    chart.hover()
    titles = chart.evaluate("c => [...c.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'))")
    assert "Download plot as a PNG" in titles and not any("Share" in str(t) for t in titles), titles
    with page.expect_download() as download:
        chart.locator(".modebar-btn[data-title='Download plot as a PNG']").click()
    assert download.value.suggested_filename.endswith(".png")
    with Image.open(download.value.path()) as png:
        assert png.size == (1920, 1080)  # the default size, "1920 x 1080 (Full HD)"
    context.close()


_RACE_ROWS = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.querySelector('.bars'));
  const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  return {
    labels: [...gd.querySelectorAll('.annotation')].filter(a => a.textContent.includes('(at most')).map(box),
    bars: [...gd.querySelectorAll('.bars .point path')].map(box).filter(b => b[3] > b[1]),
  };
}"""


def _check_race_labels(page: object) -> None:
    """Issue 25, item 2: each title-race name sat right under the bar above it, so the second
    contender's name read as the label of the leader's bar. Now a name is much nearer its own bar
    (below it) than the bar above."""
    rows = page.evaluate(_RACE_ROWS)  # type: ignore[attr-defined]
    bars = sorted(rows["bars"], key=lambda b: b[1])
    assert len(rows["labels"]) == len(bars) >= 10
    for label in rows["labels"]:
        own = min((b for b in bars if b[1] >= label[3] - 1), key=lambda b: b[1])  # the first bar below
        above = [b for b in bars if b[3] <= label[1] + 1]
        gap_own = own[1] - label[3]
        assert -1 <= gap_own <= 6, (label, own)
        if above:
            gap_above = label[1] - max(b[3] for b in above)
            assert gap_above >= max(10, 3 * gap_own), (label, own, above[-1])


def _ink_runs(png: object, rows: int) -> list[tuple[int, int]]:
    """Runs of rows (first, last) with dark ink in the top-left of a light PNG, down to ``rows``."""
    import numpy as np

    grey = np.asarray(png.convert("L"))[:rows, : png.size[0] // 2]  # type: ignore[attr-defined]
    inked = np.flatnonzero((grey < 128).any(axis=1))
    runs: list[tuple[int, int]] = []
    for row in inked.tolist():
        if runs and row <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


@pytest.mark.parametrize(
    ("name", "index"), [("standings", 1), ("title-race", 0), ("qualification", 0)], ids=["rank", "title-race", "quota"]
)
def test_an_exported_title_is_one_line_clear_of_the_frame(server: str, browser: object, name: str, index: int) -> None:
    """The camera's 16:9 PNG (1920 x 1080): the title is one line, its letters clear of the frame's
    top edge (issue 25, item 1: titles wrapped onto two or three lines and the first lost the tops
    of its letters in the rank, title-race and quota charts)."""
    from PIL import Image

    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server}/{_pinned(PAGES[name])}")  # on a phone, where the page's title wraps
    chart = page.locator(CHART).nth(index)
    chart.locator(".main-svg").first.wait_for(state="visible", timeout=60_000)
    chart.evaluate("e => e.scrollIntoView({block: 'start'})")
    chart.hover(position={"x": 30, "y": 120}, force=True)
    with page.expect_download() as download:
        chart.locator(".modebar-btn[data-title='Download plot as a PNG']").click()
    with Image.open(download.value.path()) as png:
        assert png.size == (1920, 1080)
        png.save(ARTIFACTS / f"export-{name}-1080p.png")
        title, subtitle = _ink_runs(png, 200)[:2]
    scale = 1.5  # 1920 / 1280
    assert title[0] >= 10 * scale, f"the title's ink starts {title[0]} px from the top"
    # One line of the 22 px title (ascenders to descenders, about 1.2 em), then the 'as of' line.
    assert title[1] - title[0] <= 1.3 * 22 * scale, title
    assert subtitle[0] - title[1] <= 30 * scale and subtitle[1] - subtitle[0] <= 1.3 * 15 * scale, subtitle
    context.close()


def test_the_warm_up_box_is_gone_when_the_page_has_settled(server: str, browser: object) -> None:
    """Issue 15: the blank chart and empty table a session's first run sends (``ui.warm_up``) are
    removed when the run ends: the Standings page then shows its two charts and nothing else.
    (That the box is sent first is checked in test_app; how much sooner the browser has the
    chart code is measured in benchmarks/.)"""
    page = browser.new_page(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
    page.goto(f"{server}/{PAGES['standings']}")
    main = page.locator("[data-testid='stMain']")
    main.locator(".js-plotly-plot .scatterlayer .trace").first.wait_for(state="visible", timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length === 2", timeout=30_000)
    assert main.locator(".js-plotly-plot .scatterlayer .trace").count() >= 2
    assert page.locator(".st-key-rs-warm-up").count() == 0
    page.close()


EVENT_RACES = {
    "long-track": (
        "event?circuit=lt-wc&season=2025-26&event=4&race=lt-wc/2025-26/wc4/men-mass-start-a",
        "Mass Start Men",
        "World Cup #4 Hamar · 2025-12-14 · official",
    ),
    "short-track": (
        "event?circuit=st-wc&season=2019-20&event=6&race=st-wc/2019-20/wc6/women-1000-a-1",
        "1st 1000 m Women",
        "Rounds",
    ),
}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("race", list(EVENT_RACES))
def test_an_event_race_reads_at_desktop_and_phone_widths(server: str, browser: object, race: str, width: str) -> None:
    url, title, shown = EVENT_RACES[race]
    page = _open(browser, f"{server}/{url}", WIDTHS[width])
    main = page.locator("[data-testid='stMain']")  # type: ignore[attr-defined]
    main.get_by_role("heading", name=title).wait_for(state="visible", timeout=60_000)
    grids = main.locator("[data-testid='stDataFrame']")
    grids.first.wait_for(state="visible", timeout=60_000)
    assert main.get_by_text(shown, exact=False).first.is_visible(), f"{shown!r} not shown"
    assert page.locator("[data-testid='stException']").count() == 0  # type: ignore[attr-defined]
    # Nothing wider than the screen: the page itself never scrolls sideways (the grid scrolls inside).
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")  # type: ignore[attr-defined]
    assert overflow <= 0, f"the page is {overflow} px wider than the screen"
    box = grids.first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width][0] + 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"event-{race}-{width}.png"), full_page=False)  # type: ignore[attr-defined]
    if width == "phone":
        _check_phone_columns(page, PHONE_COLUMNS[race])
    page.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_race_from_the_api_shows_its_lap_chart_at_desktop_and_phone_widths(
    server: str, browser: object, http_server: object, width: str
) -> None:
    """A race synced into the running dashboard's store: its lap chart and lap table, legible."""
    from standings.sources.isu_api import IsuApi
    from standings.storage.store import Store
    from standings.storage.sync import sync_season

    from isu_fixtures import SAMPLES_MISSING, IsuFixtureServer, samples_present

    if not samples_present():
        pytest.skip(SAMPLES_MISSING)
    with IsuFixtureServer.from_samples(page_size=2, server=http_server) as api_server:  # type: ignore[arg-type]
        modern = api_server.events.pop(2026)
        api_server.events[2027] = [{**e, "season": 2027} for e in modern]
        api_server.modern_phase("late")
        store = Store(SERVER_DATABASE[0])
        with IsuApi(api_server.url, sleep=lambda _s: None) as api:
            sync_season(store, api, "2026-27")
        store.close()
    time.sleep(1.1)  # the dashboard reads the data version at most once a second
    race = "lt-wc/2026-27/wc1/men-1000-a"
    page = _open(browser, f"{server}/event?circuit=lt-wc&season=2026-27&event=1&race={race}", WIDTHS[width])
    main = page.locator("[data-testid='stMain']")  # type: ignore[attr-defined]
    main.get_by_role("heading", name="Laps").wait_for(state="visible", timeout=60_000)
    page.wait_for_selector(CHART, timeout=60_000)  # type: ignore[attr-defined]
    charts = _check_charts(page, width)
    assert [c["title"] for c in charts] == ["1000 m Men: lap times"]
    assert main.get_by_text("15:53 local time", exact=False).first.is_visible()
    assert page.locator("[data-testid='stException']").count() == 0  # type: ignore[attr-defined]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")  # type: ignore[attr-defined]
    assert overflow <= 0, f"the page is {overflow} px wider than the screen"
    page.locator(CHART).first.scroll_into_view_if_needed()  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"event-laps-{width}.png"), full_page=False)  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]


def test_the_what_if_editor_stays_open_while_it_is_used(server: str, browser: object) -> None:
    """Issue 25, item 9: the what-if editor folded itself shut after its first choice."""
    page = _open(browser, f"{server}/{_pinned(PAGES['qualification'])}", WIDTHS["desktop"])
    editor = page.locator("[data-testid='stExpander']").filter(has_text="What if")  # type: ignore[attr-defined]
    editor.locator("summary").click()
    skater = page.locator("[data-testid='stSelectbox']").filter(has_text="Skater")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Add this result").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    _idle(page)  # the rerun that opening it made
    chosen = skater.locator("input").input_value()
    skater.get_by_role("button", name="Open").click()
    page.get_by_role("option").nth(3).click()  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "([before]) => { const s = document.querySelector('[data-testid=stSelectbox] input[aria-label=Skater]');"
        " return s && s.value !== before; }",
        arg=[chosen],
        timeout=30_000,
    )
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    _idle(page)  # the rerun the choice made
    assert editor.locator("details").get_attribute("open") is not None
    assert page.get_by_role("button", name="Add this result").is_visible()  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]


_VISIBLE_HEADERS = """() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stDataFrame]')]
  .map(t => [...t.querySelectorAll('[role=columnheader]')].map(h => h.textContent))"""

#: What a phone shows of a page's table without a swipe (one of the page's tables has them all).
PHONE_COLUMNS = {
    "standings": ["Rank", "Skater", "Nation", "Points"],
    "title-race": ["Rank", "Name", "Nation", "Points"],
    "skater": ["World Cup", "Race", "Rank", "Time", "Points"],
    "qualification": ["Quota", "Name", "Nation", "Points"],
    "long-track": ["Rank", "Name", "Nation", "Time"],
    "short-track": ["Rank", "Name", "Nation", "Time"],
}


def _check_phone_columns(page: object, needed: list[str]) -> None:
    """Issue 25, item 10: on a phone, rank, name, nation and the skater link filled the width and
    time, points and Q codes needed a sideways swipe. The grid draws only the columns in view (its
    accessible header row lists them), so the ones that matter must be among them."""
    _idle(page)
    page.locator("[data-testid='stMain'] [data-testid='stDataFrame'] [role=columnheader]").first.wait_for(  # type: ignore[attr-defined]
        state="attached", timeout=60_000
    )
    page.wait_for_timeout(500)  # type: ignore[attr-defined]  # the grid draws its columns
    tables = page.evaluate(_VISIBLE_HEADERS)  # type: ignore[attr-defined]
    assert any(all(header in shown for header in needed) for shown in tables), (needed, tables)
