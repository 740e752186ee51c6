"""Golden checks: the importer and the points engine against the 103 official ISU sheets."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from standings.engine.points import award, race_kind
from standings.rules import rules_for
from standings.sources.isu_sheet import Sheet

from conftest import SHARED_SHEETS
from shared_data import needs_shared

pytestmark = needs_shared

RULES = rules_for("lt-wc", "2025-26")


def _sheet(sheets: dict[str, Sheet], prefix: str) -> Sheet:
    (match,) = [s for k, s in sheets.items() if k.startswith(prefix)]
    return match


def test_all_103_sheets_import(official_sheets: list[Sheet]) -> None:
    assert len(official_sheets) == 103
    assert len({s.race.race_id for s in official_sheets}) == 103
    assert sum(len(s.results) for s in official_sheets) == 2514


def test_sheets_agree_with_the_manifest(sheets_by_source: dict[str, Sheet]) -> None:
    with (SHARED_SHEETS / "MANIFEST.csv").open(encoding="utf-8") as handle:
        manifest = list(csv.DictReader(handle))
    assert len(manifest) == 103
    for entry in manifest:
        race = sheets_by_source[entry["file"]].race
        assert race.world_cup == int(entry["world_cup"]), entry["file"]
        title = entry["race"]
        assert race.gender == ("women" if " Women" in title else "men"), entry["file"]
        assert race.division == ("B" if title.endswith("Division B") else "A"), entry["file"]
        assert race.race_number == (1 if title.startswith("1st") else 2 if title.startswith("2nd") else 0)
        assert f"({race.country.title()})" in entry["venue_and_dates"]


def test_every_printed_point_equals_the_engine(official_sheets: list[Sheet]) -> None:
    """One check over all 2514 rows. A blank points cell means no points, as does 0.

    Rows where the sheet and the tables differ are listed, with the reason, in the
    rules data's exceptions; the engine applies them, so the totals match the sheets.
    """
    mismatches = []
    explained = 0
    for sheet in official_sheets:
        race = sheet.race
        for row, result in enumerate(sheet.results, start=1):
            got = award(
                RULES,
                race_id=race.race_id,
                season=race.season,
                kind=race_kind(race.gender, race.distance),
                division=race.division,
                rank=result.rank,
                status=result.status,
                competitor=result.competitor,
            )
            explained += got.note is not None
            if got.points != (result.official_points or 0):
                mismatches.append((sheet.source, row, result.name, result.official_points, got.points))
    assert mismatches == []
    # The exceptions are few and each one is needed (see lt-wc-2022-23.toml).
    assert explained == 62


def test_every_exception_is_needed(official_sheets: list[Sheet]) -> None:
    """Without its exception, each listed race would disagree with its sheet."""
    by_race = {s.race.race_id: s for s in official_sheets}
    for exception in RULES.exceptions:
        sheet = by_race[exception.race_id]
        differs = False
        for result in sheet.results:
            table = RULES.table_for(sheet.race.division, race_kind(sheet.race.gender, sheet.race.distance))
            assert table is not None
            normal = 0
            if result.rank is not None and result.status in RULES.scoring_statuses:
                normal = table.points(result.rank, "2025-26")[0]
            if exception.competitor is not None and result.competitor != exception.competitor:
                continue
            differs |= normal != (result.official_points or 0)
        assert differs, exception.race_id


def test_header_metadata(sheets_by_source: dict[str, Sheet]) -> None:
    race = _sheet(sheets_by_source, "wc1/8_result_men_1000_a").race
    assert race.race_id == "lt-wc/2025-26/wc1/men-1000-a"
    assert (race.venue, race.city, race.country) == ("Utah Olympic Oval", "Salt Lake City", "USA")
    assert race.day == date(2025, 11, 14)
    second = _sheet(sheets_by_source, "wc2/20_result_menteampursuit_b").race
    assert (second.distance, second.division, second.gender, second.city) == ("team-pursuit", "B", "men", "Calgary")
    twice = _sheet(sheets_by_source, "wc1/26_result_men_500_a_2").race
    assert twice.race_number == 2 and twice.race_id.endswith("men-500-a-2")
    hamar = _sheet(sheets_by_source, "wc4/14_result_men_1000_a").race
    assert (hamar.venue, hamar.city, hamar.country) == ("Olympic Hall - Vikingskipet", "Hamar", "NOR")


def test_ties_share_rank_and_thousandths_are_kept(sheets_by_source: dict[str, Sheet]) -> None:
    rows = _sheet(sheets_by_source, "wc1/8_result_men_1000_a").results
    tied = [r for r in rows if r.rank == 9]
    assert [(r.name, r.time, r.official_points) for r in tied] == [
        ("Joep WENNEMARS", "1:07.01(2)", 32),
        ("Cooper MCLEOD", "1:07.01(2)", 32),
    ]
    assert rows[10].rank == 11  # the next rank is skipped
    assert (rows[14].time, rows[15].time) == ("1:07.76(3)", "1:07.76(5)")


def test_status_rows_and_annotations(sheets_by_source: dict[str, Sheet]) -> None:
    sheet = _sheet(sheets_by_source, "wc1/8_result_men_1000_a")
    yamada = sheet.results[18]
    assert (yamada.name, yamada.status, yamada.rank, yamada.time, yamada.annotations) == (
        "Kazuya YAMADA",
        "DQ",
        None,
        None,
        ("T09",),
    )
    assert sheet.legend["T09"] == "Obstruction during crossing (254.6)"
    jackson = _sheet(sheets_by_source, "wc3/17_result_women_500_a").results[19]
    assert (jackson.name, jackson.status, jackson.rank, jackson.official_points) == ("Erin JACKSON", "DNF", 20, 21)
    howe = _sheet(sheets_by_source, "wc2/12_result_men_1500_b").results[-1]
    assert (howe.status, howe.competitor) == ("WDR", "connor-howe-can")


def test_mass_start_rows(sheets_by_source: dict[str, Sheet]) -> None:
    rows = _sheet(sheets_by_source, "wc1/28_result_menmassstart_a").results
    bergsma = rows[0]
    assert (bergsma.laps, bergsma.sprint_points, bergsma.sprint_total, bergsma.time) == (
        16,
        (None, None, 3, 60),
        63,
        "7:39.20",
    )
    assert rows[2].name == "Antoine GÉLINAS-BEAULIEU"  # wrapped onto a second line
    assert (rows[3].official_points, rows[3].points_marker) == (44, "N")  # printed "(N)44"
    women = _sheet(sheets_by_source, "wc3/19_result_womenmassstart_a").results
    assert women[21].name == "Jéssica Carolina SANTOS RODRIGUES"
    assert (women[22].laps, women[22].official_points) == (7, 18)


def test_team_pursuit_rows_are_nations(sheets_by_source: dict[str, Sheet]) -> None:
    rows = _sheet(sheets_by_source, "wc1/24_result_menteampursuit_a").results
    assert [(r.competitor, r.nation, r.heat, r.finish_side) for r in rows[:2]] == [
        ("team-usa", "USA", 4, "Finish"),
        ("team-nor", "NOR", 3, "Finish"),
    ]


def test_lane_split_over_two_lines_is_read_whole(sheets_by_source: dict[str, Sheet]) -> None:
    rows = _sheet(sheets_by_source, "wc1/9_result_women_500_b_1").results
    assert {r.lane for r in rows} == {"In", "Out"}
    assert len(rows) == 33  # a two-page sheet whose second page repeats only the header


def test_spelling_variants_are_one_skater(official_sheets: list[Sheet]) -> None:
    names: dict[str, set[str]] = {}
    for sheet in official_sheets:
        for result in sheet.results:
            names.setdefault(result.competitor, set()).add(result.name)
    assert names["damian-zurek-pol"] == {"Damian ŻUREK", "Damian ZUREK"}
    assert {"Jéssica RODRIGUES", "Jéssica Carolina SANTOS RODRIGUES"} <= names["jessica-carolina-santos-rodrigues-por"]
    assert "afonso-silva-por" not in names
    # Two brothers, not one skater: folding must not merge them.
    assert "jae-won-chung-kor" in names and "jae-woong-chung-kor" in names


@pytest.mark.parametrize(
    ("prefix", "finding"),
    [
        ("wc4/20_result_men_500_b_2", "no World Cup points are printed for any of the 32 ranked rows"),
        ("wc3/20_result_menmassstart_a", "row 24: Sigurd Holbø DYRSET is ranked 24 but has no points printed"),
    ],
)
def test_findings_are_recorded(sheets_by_source: dict[str, Sheet], prefix: str, finding: str) -> None:
    assert any(finding in f.message and f.kind == "points-missing" for f in _sheet(sheets_by_source, prefix).findings)
