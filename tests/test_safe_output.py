"""Imported text shown as written: never Markdown on a page, never HTML in a chart, never a formula in a CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ui.cache
from standings.cli import _write, main
from standings.model import Finding, Race, RaceImport, Result
from standings.present.charts import bump_chart, medal_race_chart, progress_chart, title_race_chart
from standings.present.safe import csv_cell, plain
from standings.sources.results_csv import schema
from standings.storage.importer import import_paths
from standings.storage.programme import PlannedRaces
from standings.storage.shipped import open_store
from ui.chart_element import drawn_figures
from ui.render import csv_bytes

APP = str(Path(__file__).resolve().parent.parent / "app.py")
MARKDOWN = "**bold**[link](http://x)"
FORMULA = '=HYPERLINK("http://evil.example","x")'
HTML = '<a href="http://evil.example">x</a><b>'
#: What a spreadsheet reads as a formula (OWASP): each of these starts a cell below.
PREFIXED = [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def _results_csv(path: Path, *, city: str, names: list[str]) -> Path:
    """A short-track Junior World Cup women's 500 m Final A (2023/24, not shipped) in the results CSV."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(schema())
        for place, (name, nation) in enumerate(zip(names, ["CHN", "KOR", "NED"], strict=False), start=1):
            race = ["st-jwc", "2023-24", "1", city, "NED", "2023-11-25", "500", "women", "0", "Final A", "0"]
            writer.writerow([*race, str(place), "finished", name, nation, f"43.{place}00"])
    return path


# (a) The link's fallback notice names the default, which may be imported text.


def test_link_fallback_notice_shows_an_imported_name_and_city_as_written(tmp_path: Path) -> None:
    store = open_store()  # the test's own database (conftest), as the app opens it
    report = import_paths(store, [_results_csv(tmp_path / "event.csv", city=MARKDOWN, names=[MARKDOWN, "Ann ONE"])])
    assert not report.refused
    store.close()

    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in {"circuit": "st-jwc", "season": "2023-24", "after": "99", "skater": "nobody"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    # "As of" falls back to World Cup #1, named with its (imported) city.
    notices = [w.value for w in at.warning]
    city = next(n for n in notices if "asks for World Cup 99," in n)
    assert city.endswith(f"showing {plain('World Cup #1 · ' + MARKDOWN)}.")
    # The skater page falls back to the first skater, named as imported.
    at.switch_page("pages/skater.py").run()
    assert not at.exception
    notices += [w.value for w in at.warning]
    skater = next(n for n in notices if "asks for skater or team nobody," in n)
    assert skater.endswith(f"showing {plain(MARKDOWN + ' (CHN)')}.")
    assert not any(MARKDOWN in n for n in notices)


# (b) The command line's CSV.


def test_cli_csv_neutralises_formula_prefixes_in_imported_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # Source file names are imported text the import report prints, one per row.
    names = [FORMULA.replace("/", "_") + ".pdf", "\tnotes.pdf", "\r=1+1.pdf", "@SUM(A1).pdf", "+1.pdf", "-1.pdf"]
    for name in names:
        (folder / name).write_bytes(b"%PDF-1.4 nothing else")  # refused: the report names it
    out, err = io.StringIO(), io.StringIO()
    main(
        ["--database", f"sqlite:///{tmp_path / 'x.sqlite'}", "import", str(folder), "--format", "csv"], out=out, err=err
    )
    # Read as a spreadsheet would: a carriage return outside quotes would start a new row.
    files = {row["file"] for row in csv.DictReader(io.StringIO(out.getvalue(), newline=""))}
    assert files == {"'" + name for name in names}


def test_cli_csv_neutralises_an_imported_name_in_a_table() -> None:
    # The CLI's one output layer; no listing of names exists for a circuit the results CSV can
    # load (short track has no ranked cups), so the table is made here.
    table = pd.DataFrame({"rank": [1, 2, 3], "name": [FORMULA, "\tAnn ONE", "\rBo TWO"], "points": [-3, 0, 60]})
    out = io.StringIO()
    _write(table, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert [row["name"] for row in rows] == [f"'{FORMULA}", "'\tAnn ONE", "'\rBo TWO"]
    assert [row["points"] for row in rows] == ["-3", "0", "60"]


# (c) The dashboard's CSV downloads.


def test_csv_downloads_neutralise_every_formula_prefix_and_leave_numbers() -> None:
    frame = pd.DataFrame({"name": [*PREFIXED, "Damian ŻUREK"], "points": [-3, 0, 5, 7, 9, 11, 189]})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows[0] == ["name", "points"]
    assert [row[0] for row in rows[1:]] == ["'" + value for value in PREFIXED] + ["Damian ŻUREK"]
    assert [row[1] for row in rows[1:]] == ["-3", "0", "5", "7", "9", "11", "189"]  # numbers stay numbers


def test_one_neutraliser_for_every_csv() -> None:
    assert [csv_cell(v) for v in PREFIXED] == ["'" + v for v in PREFIXED]
    assert [csv_cell(v) for v in (-3, 2.5, "Ann ONE", "", None)] == [-3, 2.5, "Ann ONE", "", None]


# (d) Figures: Plotly reads a few HTML tags in every text it shows.


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, np.ndarray):
        yield from _strings(value.tolist())


def _texts(figure: Any) -> list[str]:
    spec = figure.to_plotly_json()
    spec["layout"].pop("template", None)  # the project's template: no imported text
    return list(_strings(json.loads(json.dumps(spec, default=lambda v: v.tolist()))))


def _charts() -> dict[str, Any]:
    rows = [
        (1, "x-usa", HTML, "USA", 60, 60, 1),
        (2, "x-usa", HTML, "USA", 54, 114, 1),
        (1, "y-ned", "Ann %{y} ONE", "NED", 54, 54, 2),
        (2, "y-ned", "Ann %{y} ONE", "NED", 60, 114, 2),
    ]
    columns = ["world_cup", "competitor", "name", "nation", "race_points", "points", "rank"]
    progress = pd.DataFrame(rows, columns=columns).astype({"rank": "Int64"})
    cities = {1: HTML, 2: "Calgary"}
    breakdown = pd.DataFrame(
        {"competitor": ["x-usa", "x-usa"], "world_cup": [1, 2], "breakdown": [f"500 m: 1st ({HTML})", "no race"]}
    )
    race = pd.DataFrame(
        {
            "rank": [1, 2],
            "name": [HTML, "Ann %{y} ONE"],
            "nation": ["USA", "NED"],
            "points": [114, 114],
            "max_points": [174, 174],
            "status": ["contender", "contender"],
        }
    )
    by_event = pd.DataFrame(
        {
            "world_cup": [1, 1],
            "city": [HTML, HTML],
            "nation": ["USA", "NED"],
            "medals_total": [1, 2],
            "gold_total": [1, 0],
        }
    )
    framing = {"title": f"{HTML}: points", "as_of": f"after World Cup #1 ({HTML})", "source": f"Source: {HTML}"}
    return {
        "progress": progress_chart(progress, cities=cities, breakdown=breakdown, **framing),
        "bump": bump_chart(progress, cities=cities, **framing),
        "title race": title_race_chart(race, **framing),
        "medal race": medal_race_chart(by_event, **framing),
    }


@pytest.mark.parametrize("chart", ["progress", "bump", "title race", "medal race"])
def test_figures_show_imported_html_as_written(chart: str) -> None:
    texts = _texts(_charts()[chart])
    assert any("&lt;a href=" in text for text in texts)  # the name is in the figure, escaped
    for text in texts:
        assert "<a" not in text.lower() and "</a>" not in text and "x</a><b>" not in text
        assert "%{y} ONE" not in text  # a name's "%{y}" is not filled in by a hover template


# (e) Stored text on every page: nations, a name and a city that are Markdown links and images.
# The results CSV refuses such a nation (three capitals); the store takes what it is given, so
# the pages escape every stored text they show, whatever wrote it.

LINK_NATION = "[FREE TICKETS](https://evil.example/t)"
IMAGE_NATION = "![t](https://evil.example/pixel.png)"
LINK_NAME = "[Ann ONE](https://evil.example/n)"
IMAGE_CITY = "![c](https://evil.example/city.png)"
HOSTILE = (LINK_NATION, IMAGE_NATION, LINK_NAME, IMAGE_CITY)
#: A link or an image that Markdown would draw: ``[`` (or ``![``) ... ``](``, neither bracket escaped.
_LIVE_MARKUP = re.compile(r"(?<!\\)\[[^\]\n]*(?<!\\)\]\(")
PAGES = [
    "pages/standings.py",
    "pages/overall.py",
    "pages/title-race.py",
    "pages/nations.py",
    "pages/qualification.py",
    "pages/event.py",
    "pages/skater.py",
    "pages/data.py",
]


def _race(world_cup: int, distance: str, division: str, day: int) -> Race:
    return Race(
        circuit="lt-wc",
        season="2024-25",  # not shipped; the 2022-23 rules apply
        world_cup=world_cup,
        distance=distance,
        gender="women",
        division=division,
        race_number=0,
        day=date(2024, 11, day),
        venue=IMAGE_CITY,
        city=IMAGE_CITY,
        country="NED",
        source=f"isu-api:{LINK_NATION}/{world_cup}/{distance}",
    )


def _store_hostile_season() -> None:
    """Long-track women's races of 2024/25 written to the test's store, as a sync would write them.

    World Cup #1 holds a Division B 500 m only: as of it, no Division A podium, no 1000 m race and
    no race of Ann ONE, so the pages say so, naming the city. World Cup #2 holds a 500 m and a
    1000 m of Division A, whose podiums give the two hostile nations the lead of the medal table.
    """
    entrants = [
        ("ann-one", LINK_NAME, LINK_NATION),
        ("bo-two", "Bo TWO", IMAGE_NATION),
        ("cy-three", "Cy THREE", LINK_NATION),
        ("di-four", "Di FOUR", "NED"),
    ]
    store = open_store()  # the test's own database (conftest), as the app opens it
    items = [
        RaceImport(
            race=_race(1, "500", "B", 8),
            results=(Result(rank=1, bib=1, competitor="di-four", name="Di FOUR", nation="NED", status="finished"),),
        )
    ]
    for distance, day in (("500", 22), ("1000", 23)):
        race = _race(2, distance, "A", day)
        results = tuple(
            Result(rank=place, bib=place, competitor=competitor, name=name, nation=nation, status="finished")
            for place, (competitor, name, nation) in enumerate(entrants, start=1)
        )
        lost = (Finding("podium-lost", f"{race.title} lacks podium place 4 of {LINK_NATION}"),)
        items.append(RaceImport(race=race, results=results, findings=lost))
    store.import_races(items)
    store.close()


def _with_world_cup_3(shipped: Callable[[], list[PlannedRaces]]) -> Callable[[], list[PlannedRaces]]:
    """The shipped programme and, for the title race, World Cup #3 of 2024/25: two women's 500 m to come."""
    planned = PlannedRaces(
        circuit="lt-wc",
        season="2024-25",
        world_cup=3,
        city=IMAGE_CITY,
        country="NED",
        first_day="2024-12-06",
        last_day="2024-12-08",
        final=False,
        kind="women-500",
        races=2,
        source="the test's own",
    )
    return lambda: [*shipped(), planned]


def _shown_as_markdown(at: AppTest) -> list[str]:
    """Every text the page hands to Streamlit's Markdown: body, captions, notices, labels."""
    texts = [str(e.value) for kind in ("markdown", "caption", "title", "header", "subheader") for e in at.get(kind)]
    texts += [str(e.value) for kind in ("info", "warning", "error", "success") for e in at.get(kind)]
    texts += [str(e.label) for kind in ("expander", "tab") for e in at.get(kind)]
    texts += [f"{e.label} {e.value}" for e in at.get("metric")]
    widgets = ("selectbox", "multiselect", "text_input", "button_group", "radio", "button")
    texts += [str(e.label) for kind in widgets for e in at.get(kind)]
    return texts


def _every_page(**params: str) -> Iterator[tuple[str, AppTest]]:
    """Each page in turn in one session opened with the link ``params``, checked to show no live link or image."""
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert not _live(at), page
        yield page, at


def _live(at: AppTest) -> list[str]:
    """The page's Markdown texts that hold a live link or image."""
    return [text for text in _shown_as_markdown(at) if _LIVE_MARKUP.search(text)]


def test_every_page_shows_stored_markdown_nations_names_and_cities_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    _store_hostile_season()
    monkeypatch.setattr(ui.cache, "programme", _with_world_cup_3(ui.cache.programme))
    shown: dict[str, list[str]] = {}
    for page, at in _every_page(circuit="lt-wc", season="2024-25", gender="women"):
        shown[page] = _shown_as_markdown(at)
        if page == "pages/nations.py":
            # The two nations lead the medal table, so they are the head-to-head's default
            # pair (named in a caption); then they are picked.
            assert any(plain(f"Showing {LINK_NATION}") in text for text in shown[page])
            at.multiselect(key="nations").set_value([LINK_NATION, IMAGE_NATION]).run()
            assert not at.exception
            assert not _live(at), "nations, picked"
            medals = drawn_figures(at)[0]
            assert medals["data"][0]["name"] == f"{LINK_NATION} medals"  # the pair picked is shown
    # As of World Cup #1 the pages say what is missing "up to World Cup #1 (city)".
    empty: dict[str, list[str]] = {}
    for page, at in _every_page(
        circuit="lt-wc", season="2024-25", gender="women", after="1", cup="women-1000", skater="ann-one"
    ):
        empty[page] = [str(i.value) for i in at.info]
    for page in ("pages/title-race.py", "pages/nations.py", "pages/skater.py"):
        assert any(f"up to World Cup #1 \\({plain(IMAGE_CITY)}\\)" in text for text in empty[page]), page
    # Every hostile text was on a page, escaped: the checks above looked at the right texts.
    everything = [text for texts in shown.values() for text in texts]
    for text in HOSTILE:
        assert any(plain(text) in line for line in everything), text


# (e) What a CSV download holds, read back as a spreadsheet would (issue 25 item 8).

#: Columns of whole numbers in the pages' tables: written as 18, never 18.0 (blank when missing).
_WHOLE_NUMBERS = {"rank", "points", "pair", "heat", "world_cup", "laps", "official_points", "sprint_total", "races"}
_WHOLE_NUMBERS |= {"wins", "gap", "of", "competitors", "number", "place", "start_position", "lap_rank"}


def test_a_signed_number_is_a_number_and_a_formula_stays_text() -> None:
    assert [csv_cell(v) for v in ("+0.03", "-1.2", "+12", "-0")] == ["+0.03", "-1.2", "+12", "-0"]
    guarded = ["+0.03+1", "-1.2e5", "+", "-", "+1:07.21", "+0.03 ", "-1,2", "+cmd|' /C calc'!A0"]
    assert [csv_cell(v) for v in guarded] == ["'" + v for v in guarded]


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("pages/event.py", {"event": "1", "race": "lt-wc/2025-26/wc1/men-1000-a"}),  # gaps, DQ, pairs
        ("pages/skater.py", {"skater": "cornelius-kersten-gbr", "gender": "men"}),  # a DNS
        ("pages/standings.py", {"cup": "men-500", "gender": "men"}),
    ],
)
def test_every_csv_download_reads_back_as_numbers_and_absolute_links(
    page: str, params: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.render import csv_bytes

    monkeypatch.setenv("RINKSIDE_PUBLIC_URL", "https://rinkside.example.org/live")
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception and at.dataframe
    links = 0
    for table in at.dataframe:  # each table as the page shows it, written as its download writes it
        data = csv_bytes(table.value)
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        read = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert len(read) == len(rows)
        for row in rows:
            for column, cell in row.items():
                assert not re.fullmatch(r"'[+-]?\d[\d.:]*", cell), (column, cell)  # a number never quoted
                if column in _WHOLE_NUMBERS and cell:
                    assert re.fullmatch(r"-?\d+", cell), (column, cell)
                if column in ("time_behind", "behind_in_pair", "gap") and cell and ":" not in cell:
                    float(cell)  # +0.03 reads as the number it is
                if cell.startswith(("./", "http")) and "?" in cell:
                    assert cell.startswith("https://rinkside.example.org/live/"), cell
                    links += 1
    assert links, "no link in the page's tables"
