"""The results site's own page agrees with the every-round scrape, row by row."""

from __future__ import annotations

from pathlib import Path

import pytest

from standings.errors import ImportRefused
from standings.sources.short_track.results_page import read_results_page
from standings.sources.short_track.rounds import read_rounds

from shared_data import ROOT, needs_shared

pytestmark = needs_shared

SCRAPE = ROOT.parent / "shared" / "data" / "st-world-cup-2018-2020"
PAGE = SCRAPE / "raw_html_sample" / "ISUWorldCup2019_20-Dordrecht(NED)-1000m(1)-w-Finals.html"


def test_page_reads_both_finals() -> None:
    page = read_results_page(PAGE)
    assert (page.season, page.city, page.country, page.distance, page.gender, page.race_number) == (
        "2019-20",
        "Dordrecht",
        "NED",
        "1000",
        "women",
        1,
    )
    finals = [(r.heat.round, r.heat.place, r.name, r.nation, r.heat.time) for r in page.rows]
    assert finals[0] == ("Final A", 1, "LEE Yu Bin", "KOR", "1:31.004")
    assert [f[0] for f in finals].count("Final A") == 5 and [f[0] for f in finals].count("Final B") == 4


def test_page_and_scrape_agree_for_this_race() -> None:
    page = read_results_page(PAGE)
    race = next(
        r
        for r in read_rounds(SCRAPE / "rounds.csv")
        if (r.season, r.city, r.distance, r.gender, r.race_number) == ("2019-20", "Dordrecht", "1000", "women", 1)
    )
    scraped = {(h.round, h.competitor, h.place, h.time) for h in race.heats if h.round in ("Final A", "Final B")}
    shown = {(r.heat.round, r.heat.competitor, r.heat.place, r.heat.time) for r in page.rows}
    assert shown == scraped
    # The page keeps the spaces the scrape lost (the reader gives them back): one skater, by ISU id.
    assert race.names["isu-9112"] == "Yu Bin LEE"
    assert next(r.name for r in page.rows if r.heat.competitor == "isu-9112") == "LEE Yu Bin"


def test_a_page_of_something_else_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "page.html"
    other.write_text("<html><body><p>Nothing here</p></body></html>", encoding="utf-8")
    with pytest.raises(ImportRefused, match="not a World Cup results page"):
        read_results_page(other)


def test_importing_the_page_checks_the_stored_race(tmp_path: Path) -> None:
    from standings.storage.importer import import_paths
    from standings.storage.store import Store

    store = Store(f"sqlite:///{tmp_path / 'p.sqlite'}")
    refused = import_paths(store, [PAGE])
    assert "is not stored: import the round-by-round results first" in refused.refused[0][1]
    import_paths(store, [SCRAPE / "rounds.csv"])
    before = store.snapshot()["results"]
    report = import_paths(store, [PAGE])
    assert report.checked == [(PAGE.name, "st-wc/2019-20/wc6/women-1000-a-1")]
    assert store.snapshot()["results"] == before  # a page never replaces a race
    checks = store.findings("st-wc", "2019-20")
    assert not (checks["kind"] == "check").any()  # the page agrees with the scrape
    store.close()


def test_a_row_the_scrape_lost_is_found_by_the_page(tmp_path: Path) -> None:
    from standings.storage.importer import import_paths
    from standings.storage.store import Store

    lines = (SCRAPE / "rounds.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not (line.startswith("2019-2020,Dordrecht(NED),1000m(1),w,Finals,0,1,"))]
    assert len(kept) == len(lines) - 1
    folder = tmp_path / "scrape"
    folder.mkdir()
    (folder / "rounds.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'q.sqlite'}")
    import_paths(store, [folder / "rounds.csv"])
    import_paths(store, [PAGE])
    checks = store.findings("st-wc", "2019-20")
    lost = checks[checks["kind"] == "check"]["message"].tolist()
    assert lost == [
        "st-wc/2019-20/wc6/women-1000-a-1: "
        f"{PAGE.name} shows LEE Yu Bin (KOR) in Final A, the stored race in Semifinals"
    ]  # without her Final A row, the scrape leaves the winner a semifinalist
    store.close()
