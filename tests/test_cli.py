"""The command line, run in-process and as an installed console script."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from standings.cli import main

from conftest import SHARED_SHEETS
from shared_data import needs_shared


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_table_csv_after_wc2() -> None:
    code, out, _ = run(
        "table", "--circuit", "lt-wc", "--season", "2025-26", "--cup", "men-500", "--after", "2", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["rank", "name", "nation", "points", "races", "wins"]
    assert rows[0] == {"rank": "1", "name": "Jordan STOLZ", "nation": "USA", "points": "211", "races": "4", "wins": "2"}


def test_medals_csv_and_json() -> None:
    code, out, _ = run("medals", "--circuit", "lt-wc", "--season", "2025-26", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "rank,nation,gold,silver,bronze,total"
    code, out, _ = run("medals", "--circuit", "lt-wc", "--season", "2025-26", "--after", "1", "--format", "json")
    assert code == 0 and json.loads(out)[0]["nation"]


def test_cups_lists_overall_with_its_label() -> None:
    code, out, err = run("cups", "--circuit", "lt-wc", "--season", "2025-26", "--format", "csv")
    assert code == 0
    cups = [row["cup"] for row in csv.DictReader(io.StringIO(out))]
    assert {
        "men-500",
        "women-1000",
        "men-1500",
        "men-5000-10000",
        "women-3000-5000",
        "women-mass-start",
        "men-team-pursuit",
        "women-overall",
    } <= set(cups)
    assert "not the ISU Grand World Cup" in err


@needs_shared
def test_import_reports_added_unchanged_refused(tmp_path: Path) -> None:
    folder = tmp_path / "sheets"
    folder.mkdir()
    shutil.copyfile(SHARED_SHEETS / "wc1/8_result_men_1000_a-signed_20251115174506.pdf", folder / "a.pdf")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    code, out, err = run("import", str(folder), "--format", "csv")
    assert code == 1  # something was refused
    rows = {r["file"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["a.pdf"]["outcome"] == "unchanged"  # already in the shipped data
    assert rows["broken.pdf"]["outcome"] == "refused"
    assert "broken.pdf: the PDF is truncated" in rows["broken.pdf"]["detail"]
    assert err.strip() == "2 files (1 unchanged, 1 refused); races: 0 added, 0 replaced, 1 unchanged"


def test_unknown_cup_is_a_clear_error() -> None:
    code, out, err = run("table", "--circuit", "lt-wc", "--season", "2025-26", "--cup", "men-5000")
    assert code == 1 and out == ""
    assert err.startswith("standings: no cup 'men-5000' in lt-wc; cups are:")


def test_installed_console_script_and_module() -> None:
    # The console script of the environment running the tests (not whichever `standings` PATH finds first).
    script = Path(sys.executable).parent / "standings"
    commands = [[sys.executable, "-m", "standings"]] + ([[str(script)]] if script.is_file() else [])
    for command in commands:
        done = subprocess.run(
            [*command, "table", "--circuit", "lt-wc", "--season", "2025-26", "--cup", "men-500", "--after", "2"],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        assert "Jordan STOLZ" in done.stdout.splitlines()[1]


def test_scenarios_json_after_wc2_from_the_programme() -> None:
    code, out, err = run(
        "scenarios", "--circuit", "lt-wc", "--season", "2025-26", "--cup", "men-500", "--after", "2", "--format", "json"
    )
    assert code == 0, err
    rows = json.loads(out)
    assert {"name", "nation", "points", "max_points", "status", "conditions"} <= set(rows[0])
    stolz = rows[0]
    assert (stolz["name"], stolz["points"], stolz["status"]) == ("Jordan STOLZ", 211, "contender")
    # Five races left after WC2: WC3 (one 500 m), WC4 and the final at Inzell (two each).
    assert stolz["max_points"] == 211 + 5 * 60
    assert "remaining races (5): WC3 Heerenveen: 500 m Men; WC4 Hamar: 1st 500 m Men" in err
    assert all(isinstance(r["conditions"], list) for r in rows)
    assert {r["status"] for r in rows} <= {"clinched", "contender", "eliminated"}


def test_scenarios_remaining_overrides_the_programme() -> None:
    code, out, err = run(
        "scenarios", "--circuit", "lt-wc", "--season", "2025-26", "--cup", "men-500", "--remaining", "1",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    rows = {r["name"]: r for r in json.loads(out)}
    # Stolz 391, Żurek 321: with one race left (60 points at most) Stolz has won the cup.
    assert rows["Jordan STOLZ"]["status"] == "clinched"
    assert rows["Jordan STOLZ"]["max_points"] == 451
    assert rows["Damian ŻUREK"]["status"] == "eliminated"
    assert "remaining races (1): race 1 of 1 (x1)" in err
    code, out, err = run(
        "scenarios", "--circuit", "lt-wc", "--season", "2025-26", "--cup", "men-500", "--remaining", "2",
        "--multiplier", "2",
    )  # fmt: skip
    assert code == 0 and "Stolz" in out and "(x2)" in err


def test_scenarios_refuses_what_it_cannot_answer() -> None:
    code, _, err = run("scenarios", "--circuit", "st-wc", "--season", "2025-26", "--cup", "men-500")
    assert code == 1 and "no rankings for st-wc 2025-26" in err
    code, _, err = run(
        "scenarios", "--circuit", "lt-wc", "--season", "2025-26", "--cup", "men-500", "--remaining", "-1"
    )
    assert code == 1 and "cannot be negative" in err


@pytest.mark.sqlite_only(reason="the pipe is under test, not the store: once is enough")
def test_a_reader_that_stops_early_ends_the_command_quietly() -> None:
    """Issue 25 item 14: ``standings event ... --format csv | head`` ended in a BrokenPipeError traceback."""
    command = [sys.executable, "-m", "standings", "event", "--circuit", "st-wc", "--season", "2019-20"]
    command += ["--event", "1", "--race", "men-1500-a", "--table", "heats", "--format", "csv"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as reader:
        assert reader.stdout is not None and reader.stderr is not None
        reader.stdout.close()  # the reader goes before the first row is written (as head does after its lines)
        errors = reader.stderr.read().decode()
        assert reader.wait(timeout=120) == 141
    assert "Traceback" not in errors and "BrokenPipeError" not in errors and errors == ""
    shell = subprocess.run(  # and in a real pipeline: the first line only, nothing on stderr
        " ".join(command) + " | head -1", shell=True, capture_output=True, text=True, timeout=120, check=True
    )
    assert shell.stdout.startswith("round,heat,place") and shell.stderr == ""
