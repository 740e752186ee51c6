"""The title race on the real 2025/26 season: replays after WC1-WC3 must agree with what WC4 brought."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

import standings
from standings.engine.title_race import PlaceClause, TitleRace
from standings.errors import ImportRefused
from standings.rules import Cup
from standings.season import Season
from standings.storage.programme import PROGRAMME_COLUMNS, load_programme

DATA = Path(__file__).resolve().parent.parent / "data"


@cache
def season() -> Season:
    return standings.load_season("lt-wc", "2025-26")


def _cups() -> list[str]:
    return [c.cup_id for c in season().cups if not season().standings(c.cup_id).empty]


def _finishes(cup: Cup, first: int, last: int) -> dict[str, list[int]]:
    """Each competitor's finishes in the cup's races of World Cups ``first``..``last``, as Division A places.

    A Division B result counts as the best Division A place with no more points, so
    "finishes k-th or better" is never read as met when the points say otherwise.
    """
    results = season().results
    rows = results[
        results["kind"].isin(cup.races) & results["world_cup"].between(first, last) & results["rank"].notna()
    ]
    table_a = season().rules.table_for("A", cup.races[0])
    assert table_a is not None
    places: dict[str, list[int]] = {}
    for row in rows.itertuples():
        if row.division == "A":
            place = int(row.rank)
        else:
            better = [p for p, points in enumerate(table_a.table, start=1) if points <= row.points]
            place = better[0] if better else len(table_a.table) + 1
        places.setdefault(str(row.competitor), []).append(place)
    return places


def _could_still_meet(clause: PlaceClause, done: list[int], left: int) -> bool:
    return sum(p <= clause.place for p in done) + left >= clause.races


def _division_a_only(cup: Cup, first: int, last: int) -> dict[str, list[int]]:
    results = season().results
    rows = results[
        results["kind"].isin(cup.races)
        & results["world_cup"].between(first, last)
        & (results["division"] == "A")
        & results["rank"].notna()
    ]
    places: dict[str, list[int]] = {}
    for row in rows.itertuples():
        places.setdefault(str(row.competitor), []).append(int(row.rank))
    return places


@pytest.mark.parametrize("cup_id", _cups())
@pytest.mark.parametrize("after", [1, 2, 3])
def test_replay_is_consistent_with_the_standings_after_wc4(cup_id: str, after: int) -> None:
    cup = season().cup(cup_id)
    then: TitleRace = season().title_race(cup_id, after=after)
    now: TitleRace = season().title_race(cup_id, after=4)
    final = season().standings(cup_id, after=4).set_index("competitor")
    status_now = {c.entry.competitor: c.status for c in now.contenders}
    rank_now = {c.entry.competitor: c.rank for c in now.contenders}
    leaders_now = {c for c, r in rank_now.items() if r == 1}
    left_now = len(now.programme)
    gained = _finishes(cup, after + 1, 4)
    won_a = _division_a_only(cup, after + 1, 4)
    points_then = {c.entry.competitor: c.entry.points for c in then.contenders}
    for c in then.contenders:
        me = c.entry.competitor
        points = int(final.loc[me, "points"]) if me in final.index else 0
        assert points <= c.max_points, f"{c.entry.name} passed the maximum given after WC{after}"
        if c.status == "clinched":
            assert status_now[me] == "clinched" and leaders_now == {me}
        if c.status == "eliminated":
            assert me not in leaders_now and status_now.get(me, "eliminated") == "eliminated"
        if c.magic_number is not None and points - c.entry.points >= c.magic_number:
            assert status_now[me] == "clinched", f"{c.entry.name} reached the magic number but has not clinched"
        if any(sum(p <= k.place for p in won_a.get(me, [])) >= k.races for k in c.sure_if):
            assert status_now[me] == "clinched", f"{c.entry.name} met {c.sure_if} but has not clinched"
        if any(not _could_still_meet(k, gained.get(me, []), left_now) for k in c.needs):
            assert status_now.get(me, "eliminated") == "eliminated", f"{c.entry.name} can no longer meet {c.needs}"
        if c.needs_at_most is not None:
            rival, allowed = c.needs_at_most
            rival_points = int(final.loc[rival, "points"]) if rival in final.index else 0
            if rival_points - points_then[rival] > allowed:
                assert status_now.get(me, "eliminated") == "eliminated"
        if c.path is not None:  # "can only win by winning every race", "only if <leader> scores nothing more"
            held = len(then.programme) - left_now
            if c.path.wins_everything and sum(p == 1 for p in won_a.get(me, [])) < held:
                assert status_now.get(me, "eliminated") == "eliminated"
            leader = c.path.leader
            gained_leader = (int(final.loc[leader, "points"]) if leader in final.index else 0) - points_then[leader]
            if c.path.if_all_won is not None and not any(f.places for f in c.path.if_all_won) and gained_leader > 0:
                assert status_now.get(me, "eliminated") == "eliminated"
        if c.sure_unless and all(rival for rival, _ in c.sure_unless):
            hopeless = all(
                any(not _could_still_meet(k, gained.get(rival, []), left_now) for k in clauses)
                for rival, clauses in c.sure_unless
            )
            if hopeless:
                assert status_now[me] == "clinched"


def test_the_replays_are_not_trivial() -> None:
    """The checks above bite: statuses and statements of every kind occur in the replays."""
    seen: dict[str, int] = {}
    for cup_id in _cups():
        for after in (1, 2, 3, 4):
            for c in season().title_race(cup_id, after=after).contenders:
                seen[c.status] = seen.get(c.status, 0) + 1
                seen["magic"] = seen.get("magic", 0) + (c.magic_number is not None and c.magic_number > 0)
                seen["needs"] = seen.get("needs", 0) + bool(c.needs)
                seen["unless"] = seen.get("unless", 0) + bool(c.sure_unless)
                seen["path"] = seen.get("path", 0) + (c.path is not None)
    assert all(
        seen.get(k, 0) > 0 for k in ("clinched", "contender", "eliminated", "magic", "needs", "unless", "path")
    ), seen


def test_men_500_before_the_final_matches_the_isu_preview() -> None:
    """ISU preview of Inzell (21 Jan 2026): Żurek 70 behind Stolz, de Boo 98 behind, two 500 m left."""
    race = season().title_race("men-500")
    by_name = {c.entry.name: c for c in race.contenders}
    stolz, zurek, de_boo = by_name["Jordan STOLZ"], by_name["Damian ŻUREK"], by_name["Jenning DE BOO"]
    assert (stolz.entry.points - zurek.entry.points, stolz.entry.points - de_boo.entry.points) == (70, 98)
    assert len(race.programme) == 2 and all(r.world_cup == 5 and r.final for r in race.programme)
    assert (stolz.status, zurek.status, de_boo.status) == ("contender", "contender", "contender")
    # Stolz 391 with five wins; Żurek can reach 441: Stolz needs 50 (a 2nd place's 54 is enough).
    assert stolz.magic_number == 50
    assert stolz.sure_if[0] == PlaceClause(place=2, races=1)


def test_programme_matches_the_races_on_the_sheets() -> None:
    """For the World Cups already raced, the programme lists exactly the Division A races of the sheets."""
    planned = pd.DataFrame([p.__dict__ for p in load_programme(DATA / "programme.csv")])
    planned = planned[(planned["circuit"] == "lt-wc") & (planned["season"] == "2025-26")]
    races = season().races
    raced = races[races["division"] == "A"].assign(kind=lambda r: r["gender"] + "-" + r["distance"].astype(str))
    counts = raced.groupby(["world_cup", "kind"]).size().rename("races").reset_index()
    merged = planned[planned["world_cup"] <= 4].merge(counts, on=["world_cup", "kind"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    assert (merged["races_x"] == merged["races_y"]).all()
    assert set(planned.loc[planned["final"], "world_cup"]) == {5}


def test_a_bad_programme_is_refused_naming_row_and_field(tmp_path: Path) -> None:
    good = (DATA / "programme.csv").read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "programme.csv"
    broken.write_text("\n".join([good[0], good[1].replace(",women-500,", ",women-550,")]) + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"programme.csv, row 2, field 'kind': unknown race kind 'women-550'"):
        load_programme(broken)
    broken.write_text("\n".join([good[0], good[1].replace(",false,", ",maybe,")]) + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="field 'final'"):
        load_programme(broken)
    broken.write_text(",".join(PROGRAMME_COLUMNS[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="missing column"):
        load_programme(broken)
    broken.write_text("\n".join([good[0], good[1], good[1]]) + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="listed twice"):
        load_programme(broken)


def test_women_1500_after_wc2_each_chaser_hears_what_she_needs() -> None:
    """Issue 25: contenders 2-7 all heard "scores in at least one ... and Beune adds no more than N points".

    Now each hears her least demanding own results and what Beune may then do, in places.
    """
    race = season().title_race("women-1500", after=2)
    chasers = [c for c in race.contenders if 2 <= c.rank <= 7]
    assert len(chasers) == 6 and all(c.status == "contender" and c.path is not None for c in chasers)
    said = [c.conditions[-1] for c in chasers]
    assert len(set(said)) == 6
    assert not any("adds no more than" in s or "scores in at least one" in s for s in said)
    assert all(" place" in s and "Beune" in s for s in said)
    takagi = next(c for c in chasers if c.entry.name == "Miho TAKAGI")
    assert takagi.conditions[-1] == (
        "Takagi can win the cup with as little as a 14th place if Beune and the others score nothing more; "
        "winning all three remaining races, she can afford Beune two 2nd places and a 4th place."
    )
    # 94 + 27 (14th) passes Beune's 120; 94 + 180 = 274 against 120 + 54 + 54 + 43 = 271.
    assert takagi.path is not None and [f.places for f in takagi.path.own] == [(14,)]
