"""The Rinkside results CSV: the example loads end to end; bad files are refused whole."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from standings.cli import main
from standings.errors import ImportRefused
from standings.sources.results_csv import read_results_csv, schema
from standings.storage.importer import import_paths
from standings.storage.store import Store

from conftest import Database
from shared_data import ROOT

EXAMPLE = ROOT / "examples" / "results-example.csv"
HEADER = ",".join(schema())
GOOD = "st-jwc,2023-24,1,Leeuwarden,NED,2023-11-25,500,women,0,Final A,0,{place},{status},{name},{nation},{time}"


def _file(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "event.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _row(
    place: str = "1", status: str = "finished", name: str = "Ann ONE", nation: str = "CHN", time: str = "43.100"
) -> str:
    return GOOD.format(place=place, status=status, name=name, nation=nation, time=time)


def test_the_example_loads_end_to_end(database: Database) -> None:
    url = database.url("x")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--database", url, "import", str(EXAMPLE), "--format", "csv"], out=out, err=err) == 0
    assert "st-jwc/2023-24/wc1/women-500-a" in out.getvalue()
    out = io.StringIO()
    assert (
        main(
            ["--database", url, "medals", "--circuit", "st-jwc", "--season", "2023-24", "--format", "csv"],
            out=out,
            err=err,
        )
        == 0
    )
    assert out.getvalue().splitlines() == ["rank,nation,gold,silver,bronze,total", "1,CHN,1,1,0,2", "1,KOR,1,1,0,2"]


def test_the_example_is_not_shipped_as_results() -> None:
    assert not any("2023-24" in p.name for p in (ROOT / "data" / "st-jwc").iterdir())


def test_classification_and_relay_from_the_example() -> None:
    races = {item.race.race_id: item for item in read_results_csv(EXAMPLE)}
    women = races["st-jwc/2023-24/wc1/women-500-a"]
    assert [(r.name, r.rank, r.round) for r in women.results] == [
        ("Example SKATER-TWO", 1, "Final A"),
        ("Example SKATER-ONE", 2, "Final A"),
        ("Example SKATER-THREE", 3, "Final B"),
        ("Example SKATER-FOUR", 4, "Semifinals"),
    ]
    assert women.results[-1].status == "DQ" and women.results[-1].annotations == ("PEN",)
    relay = races["st-jwc/2023-24/wc1/mixed-relay-2000-a"]
    assert [r.competitor for r in relay.results] == ["team-chn", "team-kor", "team-ned"]


@pytest.mark.parametrize(
    ("rows", "header", "error"),
    [
        ([_row()], HEADER.replace("nation", "country_of_skater"), "unknown columns ['country_of_skater']"),
        ([_row().replace(",500,", ",700,")], HEADER, "row 2, field 'distance': '700' is not one of"),
        (
            [_row(), _row(place="2", time="43.200")],
            HEADER,
            "row 3, field 'name': Ann ONE is already in this heat (row 2)",
        ),
        ([_row(time="1:75.100")], HEADER, "row 2, field 'time': time '1:75.100' has 60 or more seconds"),
        ([_row(time="4x.100")], HEADER, "row 2, field 'time'"),
        ([_row(place="", status="finished")], HEADER, "row 2, field 'place': a place goes with status finished only"),
        ([_row(status="PEN")], HEADER, "row 2, field 'place'"),
        ([_row(nation="XYZ")], HEADER, "row 2, field 'nation': 'XYZ' is not a known IOC code"),
        ([_row().replace(",women,", ",mixed,")], HEADER, "row 2, field 'gender': mixed is only the 2000 m relay"),
        ([], HEADER, "the file has no rows"),
    ],
    ids=[
        "columns",
        "distance",
        "duplicate",
        "impossible-time",
        "not-a-time",
        "place-missing",
        "place-with-pen",
        "nation",
        "mixed",
        "empty",
    ],
)
def test_bad_files_are_refused_whole(
    tmp_path: Path, database: Database, rows: list[str], header: str, error: str
) -> None:
    path = _file(tmp_path, *rows, header=header)
    store = Store(database.url("y"))
    before = store.snapshot()
    report = import_paths(store, [path])
    assert len(report.refused) == 1 and not report.added
    assert error in report.refused[0][1]
    assert store.snapshot() == before
    store.close()


def test_every_error_is_counted(tmp_path: Path) -> None:
    path = _file(tmp_path, _row(nation="XYZ"), _row(name="Bea TWO", time="bad"))
    with pytest.raises(ImportRefused, match=r"row 2, field 'nation'.*\(and 1 more errors\)"):
        read_results_csv(path)
