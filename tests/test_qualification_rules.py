"""Olympic qualification rules beyond the ranking (issue 13): the mass start's one race per World
Cup, a race the classification scores by its own table, the host rule, the cut to the Games'
total, and the incomplete PyeongChang 2018 rules.

Everything here runs on the shipped 2025/26 data (no ``../shared`` files).
"""

from __future__ import annotations

import io
import tomllib

import pandas as pd
import pytest

import standings
from standings.cli import main
from standings.columns import ALLOCATION, names
from standings.engine.qualification import QUALIFICATION_DIR, entries, is_place, load_qualification
from standings.errors import UnknownSelection

SEASON = standings.load_season("lt-wc", "2025-26")
RULES = load_qualification("owg-2026")
ALLOCATION_WC4 = SEASON.allocation(after=4)
QUOTA_WC4 = SEASON.quota_table(after=4)


def points(event_id: str, after: int) -> dict[str, int]:
    frame = entries(SEASON.results, RULES.event(event_id), RULES, after=after)
    return dict(zip(frame["competitor"].astype(str), frame["points"].astype(int), strict=True))


def cup_points(cup: str, after: int) -> dict[str, int]:
    table = SEASON.standings(cup, after=after)
    return dict(zip(table["competitor"].astype(str), table["points"].astype(int), strict=True))


def test_mass_start_counts_one_race_per_world_cup() -> None:
    """Jake WEIDEMANN raced both mass starts at World Cup #1: Division A 4th (44, as the sheet
    prints) and Division B 2nd (19). The classification counts the better one; the cup counts both."""
    assert points("men-mass-start", 1)["jake-weidemann-can"] == 44
    assert cup_points("men-mass-start", 1)["jake-weidemann-can"] == 63
    # Every skater who raced one division per World Cup keeps the cup's points.
    results = SEASON.results
    ms = results[(results["kind"] == "women-mass-start") & (results["world_cup"] <= 2)]
    both = set(ms[ms.duplicated(["competitor", "world_cup"], keep=False)]["competitor"].astype(str))
    assert len(both) == 6  # Rosner, Lim, Horikawa (WC1); Semenova, Løvås, Tas (WC2)
    classification, cup = points("women-mass-start", 2), cup_points("women-mass-start", 2)
    for competitor, value in classification.items():
        if competitor in both:
            assert value < cup[competitor]
        else:
            assert value == cup[competitor], competitor


def test_mass_start_counts_the_better_race_when_division_a_scored_nothing() -> None:
    """Sigurd Holbø DYRSET at World Cup #3: Division A 24th with no points printed, Division B 3rd, 18."""
    before, after = points("men-mass-start", 2), points("men-mass-start", 3)
    assert after["sigurd-holbo-dyrset-nor"] - before.get("sigurd-holbo-dyrset-nor", 0) == 18


def test_a_race_scored_by_the_classifications_own_table() -> None:
    """World Cup #2, men's mass start Division B: the sheet prints 16 for 4th (Marcin BACHANEK); the
    classification counts the regular table's 17. The cup keeps the sheet's points."""
    race = "lt-wc/2025-26/wc2/men-mass-start-b"
    assert RULES.race_points[race][:4] == (20, 19, 18, 17)
    gained = points("men-mass-start", 2)["marcin-bachanek-pol"] - points("men-mass-start", 1).get(
        "marcin-bachanek-pol", 0
    )
    assert gained == 17
    cup_gained = cup_points("men-mass-start", 2)["marcin-bachanek-pol"] - cup_points("men-mass-start", 1).get(
        "marcin-bachanek-pol", 0
    )
    assert cup_gained == 16


def test_allocation_columns() -> None:
    assert list(ALLOCATION_WC4.columns) == names(ALLOCATION)
    assert set(ALLOCATION_WC4["status"]) <= {"in", "host", "replaced", "cut"}
    assert list(dict.fromkeys(ALLOCATION_WC4["event"])) == list(RULES.events)


def test_host_gets_one_place_in_every_event() -> None:
    """Italy has a held place in every event; where it had none, its best reserve takes the last
    qualified place, or, with no Italian reserve, it gets one place more than the quota."""
    held = ALLOCATION_WC4[ALLOCATION_WC4["status"] != "replaced"]
    for event_id, event in RULES.events.items():
        mine = ALLOCATION_WC4[ALLOCATION_WC4["event"] == event_id]
        real = SEASON.qualification(event_id, after=4)
        placed = real[[is_place(q) for q in real["quota_rank"]]]
        italians = placed[placed["nation"] == "ITA"]
        host = mine[mine["status"] == "host"]
        assert (held[held["event"] == event_id]["nation"] == "ITA").any(), event_id
        if not italians.empty:
            assert host.empty and not (mine["status"] == "replaced").any()
            continue
        assert len(host) == 1
        reserves = real[(real["nation"] == "ITA") & (real["ranking"] == "reserve")]
        replaced = mine[mine["status"] == "replaced"]
        if reserves.empty:
            assert replaced.empty and host.iloc[0]["name"] == "" and len(mine) == event.quota + 1
        else:
            assert host.iloc[0]["competitor"] == reserves.iloc[0]["competitor"]
            last = placed.iloc[-1]
            assert replaced["competitor"].tolist() == [last["competitor"]]
    assert set(ALLOCATION_WC4[ALLOCATION_WC4["status"] == "host"]["event"]) == {
        "men-500",
        "women-1000",
        "women-team-pursuit",
    }


def test_cut_brings_each_gender_to_the_games_total() -> None:
    """As of World Cup #4 each gender's athletes (places up to each nation's limit) are 82 after the
    cut; the cut takes the lowest-ranked places of the events in the rules' order, never a host's."""
    for gender in ("women", "men"):
        rows = QUOTA_WC4[QUOTA_WC4["gender"] == gender]
        assert rows["athletes"].sum() == RULES.total[gender] == 82
        assert (rows["athletes"] == (rows["total"] - rows["cut"]).clip(upper=rows["limit"])).all()
        before = rows[["total", "limit"]].min(axis=1).sum()
        assert before > 82  # 111 women, 104 men: the cut is needed
    cut = ALLOCATION_WC4[ALLOCATION_WC4["status"] == "cut"]
    assert set(cut["event"]) <= set(RULES.cut_order)
    assert cut["provisional"].all()
    for event_id, rows in ALLOCATION_WC4.groupby("event", sort=False):
        status = rows[rows["status"].isin(["in", "cut"])]["status"].tolist()
        # Every cut place ranks below every place kept.
        assert status == sorted(status, key=["in", "cut"].index), event_id
    assert QUOTA_WC4.groupby("gender")["cut"].sum().to_dict() == {"men": 48, "women": 44}


def test_no_cut_while_under_the_total() -> None:
    """After World Cup #1 too few places are given for a cut? Whatever the count, a gender within
    the total keeps every place."""
    table = SEASON.quota_table(after=1)
    for gender, rows in table.groupby("gender"):
        capped = int(rows[["total", "limit"]].min(axis=1).sum())
        if capped <= RULES.total[str(gender)]:
            assert rows["cut"].sum() == 0
        else:
            assert rows["athletes"].sum() == RULES.total[str(gender)]


def test_findings_are_rules_data() -> None:
    events = {event for event, _ in RULES.findings}
    assert events == {"men-500", "women-3000"}
    raw = tomllib.loads((QUALIFICATION_DIR / "owg-2026.toml").read_text(encoding="utf-8"))
    for section in ("findings", "race_points"):
        for entry in raw[section]:
            assert entry["source"] and entry["confidence"] in ("high", "medium", "low", "provisional")
    assert raw["cup_standings"]["mass_start_one_race"] is False
    assert raw["cup_standings"]["confidence"] == "provisional"


def test_pyeongchang_rules_are_kept_but_refused() -> None:
    raw = tomllib.loads((QUALIFICATION_DIR / "owg-2018.toml").read_text(encoding="utf-8"))
    assert raw["complete"] is False and raw["season"] == "2017-18"
    assert raw["total"]["men"] == 100 and raw["total"]["women"] == 80
    assert {e["event"]: e["max_per_noc"] for e in raw["events"]}["men-10000"] == 2
    assert not any("quota" in e for e in raw["events"])
    with pytest.raises(UnknownSelection, match="incomplete"):
        load_qualification("owg-2018")
    out, err = io.StringIO(), io.StringIO()
    assert main(["qualification", "--games", "2018", "--event", "men-1000"], out=out, err=err) == 1
    assert "not known: quota places per event" in err.getvalue()
    assert out.getvalue() == ""


def test_cli_summary_has_the_cut() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["qualification", "--games", "2026", "--after", "4", "--summary", "--format", "csv"], out=out, err=err)
    assert code == 0 and "cut to 82 + 82" in err.getvalue()
    frame = pd.read_csv(io.StringIO(out.getvalue()))
    assert {"host", "cut", "athletes"} <= set(frame.columns)
    assert frame.groupby("gender")["athletes"].sum().to_dict() == {"men": 82, "women": 82}
