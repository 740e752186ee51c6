"""Short track through the store and the command line: scrape, podium file, medals, findings."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from standings.cli import main
from standings.season import season_from_store
from standings.storage.importer import import_paths
from standings.storage.store import Store

from conftest import Database
from shared_data import ROOT, needs_shared

pytestmark = needs_shared

SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="module")
def loaded(database: Database) -> str:
    url = database.url("st")
    store = Store(url)
    report = import_paths(store, [SHARED / "st-world-cup-2018-2020", SHARED / "st-podiums-2023-2026"])
    assert report.refused == []
    assert len(report.added) == 121 + 94
    # The folder's results page is checked after the scrape that stores its race.
    assert report.checked == [
        ("raw_html_sample/ISUWorldCup2019_20-Dordrecht(NED)-1000m(1)-w-Finals.html", "st-wc/2019-20/wc6/women-1000-a-1")
    ]
    store.close()
    return url


def run(url: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database", url, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_reimporting_the_sources_changes_nothing(loaded: str) -> None:
    store = Store(loaded)
    before = store.snapshot()
    report = import_paths(store, [SHARED / "st-world-cup-2018-2020" / "rounds.csv"])
    assert len(report.unchanged) == 121 and not report.added and not report.replaced
    assert store.snapshot() == before
    store.close()


def test_junior_world_cup_medals(loaded: str) -> None:
    code, out, err = run(loaded, "medals", "--circuit", "st-jwc", "--season", "2025-26", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    top = {r["nation"]: (int(r["gold"]), int(r["total"])) for r in rows}
    assert top["KOR"] == (6, 19) and top["CHN"] == (5, 13)
    # JWC #1 and #2: 6 individual races each, four of them skated twice: 16 podiums, 48 medals.
    assert sum(int(r["total"]) for r in rows) == 16 * 3
    assert "relay medals are not counted" in err


def test_world_tour_medals_count_a_dead_heat_twice(loaded: str) -> None:
    store = Store(loaded)
    season = season_from_store(store, "st-wc", "2024-25")
    race = season.results[season.results["race_id"] == "st-wc/2024-25/wc3/women-1000-a"]
    assert sorted(race["rank"].tolist()) == [1, 2, 3, 3]
    medals = season.medals()
    assert medals["bronze"].sum() == medals["gold"].sum() + 1  # the dead heat for bronze
    store.close()


def test_relay_medals_are_one_per_nation(loaded: str) -> None:
    store = Store(loaded)
    season = season_from_store(store, "st-wc", "2018-19")
    relays = season.results[season.results["distance"].str.startswith("relay") & season.results["rank"].isin([1, 2, 3])]
    assert relays["competitor"].str.startswith("team-").all()
    assert not relays.duplicated(["race_id", "nation"]).any()
    mixed = season.results[season.results["race_id"] == "st-wc/2018-19/wc3/mixed-relay-2000-a"]
    assert mixed.sort_values("rank")["nation"].head(3).tolist() == ["CAN", "KOR", "CHN"]
    store.close()


def test_validate_lists_the_scrapes_losses(loaded: str) -> None:
    code, out, err = run(loaded, "validate", "--circuit", "st-wc", "--season", "2019-20", "--format", "json")
    assert code == 0
    findings = json.loads(out)
    lost = {f["race_id"] for f in findings if "podium place" in f["message"]}
    assert len(lost) == 23
    assert "st-wc/2019-20/wc6/men-1000-a-2" in lost
    assert err.strip() == f"{len(findings)} findings"


def test_rankings_are_refused_with_the_reason(loaded: str) -> None:
    code, out, err = run(loaded, "table", "--circuit", "st-wc", "--season", "2025-26", "--cup", "women-overall")
    assert code == 1 and out == ""
    assert "Only the podiums" in err


def test_merged_races_are_split_and_flagged(loaded: str) -> None:
    store = Store(loaded)
    findings = store.findings("st-wc", "2023-24")
    merged = findings[findings["message"].str.contains("does not tell them apart")]
    assert set(merged["race_id"]) >= {"st-wc/2023-24/wc1/men-500-a-1", "st-wc/2023-24/wc1/men-500-a-2"}
    season = season_from_store(store, "st-wc", "2023-24")
    gilles = season.results[season.results["competitor"] == "jordan-pierre-gilles-can"]
    assert (gilles[gilles["distance"] == "500"]["rank"] == 1).sum() == 2  # two 500 m wins at WC1
    store.close()


def test_an_unknown_file_in_a_folder_is_ignored_and_a_named_one_refused(tmp_path: Path, loaded: str) -> None:
    (tmp_path / "notes.txt").write_text("not results", encoding="utf-8")
    broken = tmp_path / "medals.json"
    broken.write_text("[{]", encoding="utf-8")
    shutil.copyfile(SHARED / "st-podiums-2023-2026" / "events.json", tmp_path / "events.json")
    store = Store(loaded)
    before = store.snapshot()
    report = import_paths(store, [tmp_path])
    assert [name for name, _ in report.refused] == ["medals.json"]
    assert "cannot be read as the podium file" in report.refused[0][1]
    assert store.snapshot() == before
    store.close()


def test_shipped_short_track_data_is_what_the_importers_read_today(database: Database) -> None:
    from standings.storage.shipped import open_store

    store = open_store(database.url("shipped"))
    report = import_paths(store, [SHARED / "st-world-cup-2018-2020", SHARED / "st-podiums-2023-2026"])
    assert (len(report.added), len(report.replaced), len(report.unchanged)) == (0, 0, 121 + 94)
    store.close()
