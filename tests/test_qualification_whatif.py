"""Olympic qualification what-if (issue 13): hypothetical results, the quota table, the changes.

Everything here runs on the shipped 2025/26 data (no ``../shared`` files): Hypothesis properties
of the classification with hypothetical results as of World Cup #2, the per-country table as of
World Cup #4 against the ISU's statement on the Netherlands, and the wording of ``changes``.
"""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import standings
from standings.cli import main
from standings.columns import QUALIFICATION, QUOTA_TABLE, names
from standings.engine.qualification import (
    WHAT_IF_NOTE,
    Hypothetical,
    apply_what_if,
    changes,
    classification,
    entries,
    is_place,
    load_qualification,
)
from standings.errors import ImpossibleResult, UnknownSelection
from standings.sources.plausibility import limits

SEASON = standings.load_season("lt-wc", "2025-26")
RULES = load_qualification("owg-2026")
AFTER = 2
#: Every event's real classification as of World Cup #2, computed once before any what-if.
REAL = {event_id: SEASON.qualification(event_id, after=AFTER) for event_id in RULES.events}
#: Who raced each event in World Cups #1-#2 (the competitors a what-if may move).
POOL = {
    event_id: sorted(entries(SEASON.results, RULES.event(event_id), RULES, after=AFTER)["competitor"].astype(str))
    for event_id in RULES.events
}
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def race_number(event_id: str, choice: int) -> int:
    """The 500 m is raced twice at World Cups #1 and #2; every other distance once."""
    return choice if event_id.endswith("-500") else 0


@st.composite
def hypotheticals(draw: st.DrawFn) -> Hypothetical:
    event_id = draw(st.sampled_from(sorted(e for e in RULES.events if POOL[e])))
    return Hypothetical(
        competitor=draw(st.sampled_from(POOL[event_id])),
        world_cup=draw(st.sampled_from([1, 2])),
        event_id=event_id,
        rank=draw(st.integers(1, 24)),
        race_number=race_number(event_id, draw(st.sampled_from([1, 2]))),
    )


def slot_points(results: pd.DataFrame, h: Hypothetical) -> int:
    """The competitor's points in the hypothetical's race slot (both divisions) in ``results``."""
    kind = RULES.event(h.event_id).kind
    rows = results[
        (results["competitor"] == h.competitor)
        & (results["kind"] == kind)
        & (results["world_cup"] == h.world_cup)
        & (results["race_number"] == h.race_number)
    ]
    return int(rows["points"].sum())


def position(frame: pd.DataFrame, competitor: str) -> int | None:
    found = frame.index[frame["competitor"] == competitor]
    return int(found[0]) if len(found) else None


@FAST
@given(h=hypotheticals())
def test_a_better_result_never_lowers_the_skaters_place(h: Hypothetical) -> None:
    changed = apply_what_if(SEASON.results, SEASON.races, SEASON.rules, RULES, [h])
    assume(slot_points(changed, h) >= slot_points(SEASON.results, h))
    before = REAL[h.event_id]
    after = SEASON.qualification(h.event_id, after=AFTER, what_if=[h])
    was, now = position(before, h.competitor), position(after, h.competitor)
    if was is None:
        return
    assert now is not None and now <= was, (was, now)
    old_rank = str(before.loc[was, "quota_rank"])
    if is_place(old_rank):
        assert is_place(after.loc[now, "quota_rank"])
    if old_rank.startswith("R"):
        new_rank = str(after.loc[now, "quota_rank"])
        assert is_place(new_rank) or (new_rank.startswith("R") and int(new_rank[1:]) <= int(old_rank[1:]))


@FAST
@given(what_if=st.lists(hypotheticals(), min_size=1, max_size=3))
def test_no_nation_over_its_maximum_and_no_event_over_its_quota(what_if: list[Hypothetical]) -> None:
    for event_id in {h.event_id for h in what_if}:
        event = RULES.event(event_id)
        frame = SEASON.qualification(event_id, after=AFTER, what_if=what_if)
        placed = frame[[is_place(q) for q in frame["quota_rank"]]]
        assert len(placed) <= event.quota
        # Places and reserves both count against a country's maximum (neutral athletes excepted).
        listed = frame[frame["quota_rank"] != ""]
        per_nation = listed[listed["nation"] != RULES.neutral]["nation"].value_counts()
        assert (per_nation <= event.max_per_noc).all(), per_nation
        assert frame.attrs["notes"] == [WHAT_IF_NOTE]
        assert list(frame.columns) == names(QUALIFICATION)


@FAST
@given(what_if=st.lists(hypotheticals(), min_size=1, max_size=3))
def test_undoing_a_what_if_gives_back_the_real_classification(what_if: list[Hypothetical]) -> None:
    for event_id in {h.event_id for h in what_if}:
        SEASON.qualification(event_id, after=AFTER, what_if=what_if)
        undone = SEASON.qualification(event_id, after=AFTER, what_if=())
        pd.testing.assert_frame_equal(undone, REAL[event_id])
        assert "notes" not in undone.attrs


def test_a_hypothetical_is_scored_by_the_points_table_and_keeps_the_real_time() -> None:
    """A Division B skater made the Division A winner at World Cup #2: 60 points for that race,
    the other World Cup's points unchanged; no time given keeps the real best time."""
    results = SEASON.results
    men_1000 = results[(results["kind"] == "men-1000") & results["world_cup"].isin([1, 2])]
    skater = men_1000[(men_1000["world_cup"] == 2) & (men_1000["division"] == "B") & (men_1000["rank"] == 1)]
    competitor = str(skater["competitor"].iloc[0])
    first = int(men_1000[(men_1000["competitor"] == competitor) & (men_1000["world_cup"] == 1)]["points"].sum())
    real = REAL["men-1000"].set_index("competitor").loc[competitor]
    win = Hypothetical(competitor, 2, "men-1000", 1)
    what_if = SEASON.qualification("men-1000", after=AFTER, what_if=[win]).set_index("competitor")
    assert what_if.loc[competitor, "points"] == first + 60
    assert what_if.loc[competitor, "best_time"] == real["best_time"]
    timed = Hypothetical(competitor, 2, "men-1000", 1, time="1:05.01")
    faster = SEASON.qualification("men-1000", after=AFTER, what_if=[timed]).set_index("competitor")
    assert faster.loc[competitor, "best_time"] == "1:05.01"
    # The second 500 m of World Cup #1: a different race from the first.
    stolz_like = POOL["men-500"][0]
    one = apply_what_if(results, SEASON.races, SEASON.rules, RULES, [Hypothetical(stolz_like, 1, "men-500", 1, 2)])
    mine = one[(one["competitor"] == stolz_like) & (one["points_note"] == "what-if")]
    assert mine["race_id"].tolist() == ["lt-wc/2025-26/wc1/men-500-a-2"]
    assert mine["points"].tolist() == [60]
    assert len(results) == len(SEASON.results)  # the season's own results are untouched


def test_a_hypothetical_must_name_a_loaded_race_and_a_known_skater() -> None:
    with pytest.raises(UnknownSelection, match="competitor"):
        SEASON.qualification("men-1000", what_if=[Hypothetical("nobody-xyz", 2, "men-1000", 1)])
    stolz = POOL["men-1000"][0]
    with pytest.raises(UnknownSelection, match="Division A"):
        SEASON.qualification("men-500", what_if=[Hypothetical(stolz, 2, "men-500", 1, race_number=3)])
    with pytest.raises(ImpossibleResult, match="rank"):
        SEASON.qualification("men-1000", what_if=[Hypothetical(stolz, 2, "men-1000", 0)])


# Impossible hypothetical results (issue 23): held to the limits of an imported result.

RANKS = limits().numbers["rank"]
STOLZ = "jordan-stolz-usa"


def clock(seconds: float) -> str:
    """A time as the sheets print it: ``1:05.01``, ``0.01``."""
    minutes, rest = divmod(round(seconds * 100), 6000)
    return f"{minutes}:{rest / 100:05.2f}" if minutes else f"{rest / 100:.2f}"


def time_bounds(event_id: str) -> tuple[float, float]:
    return limits().times[("long_track", RULES.event(event_id).kind.split("-", 1)[1])]


def refused(h: Hypothetical, field: str, *, event_id: str | None = None) -> ImpossibleResult:
    """The error of a what-if with ``h``, from every ``Season`` method that takes one; nothing applied."""
    event_id = event_id or h.event_id
    errors = []
    for compute in (
        lambda: SEASON.qualification(event_id, after=AFTER, what_if=[h]),
        lambda: SEASON.quota_places(after=AFTER, what_if=[h]),
        lambda: SEASON.quota_table(after=AFTER, what_if=[h]),
        lambda: SEASON.allocation(after=AFTER, what_if=[h]),
    ):
        with pytest.raises(ImpossibleResult) as caught:
            compute()
        assert caught.value.field == field
        assert f"field {field!r}" in str(caught.value)
        errors.append(str(caught.value))
    assert len(set(errors)) == 1
    # Nothing was applied: the next classification is the real one.
    pd.testing.assert_frame_equal(SEASON.qualification(event_id, after=AFTER), REAL[event_id])
    return caught.value


@FAST
@given(
    rank=st.one_of(
        st.sampled_from([10**30, 0, -1, -(10**30), RANKS[0], RANKS[1], RANKS[1] + 1]),
        st.integers(-(10**40), 10**40),
        st.integers(1, 30),
    ),
    event_id=st.sampled_from(["men-1000", "women-500", "men-team-pursuit", "women-mass-start"]),
)
def test_a_rank_outside_the_limits_is_refused_and_one_inside_is_applied(rank: int, event_id: str) -> None:
    low, high = RANKS
    h = Hypothetical(POOL[event_id][0], 2, event_id, rank, race_number=race_number(event_id, 1))
    if low <= rank <= high:
        # Unchanged: what the engine gives for the hypothetical, unchecked.
        expected = classification(
            apply_what_if(SEASON.results, SEASON.races, SEASON.rules, RULES, [h]), event_id, RULES, after=AFTER
        )
        pd.testing.assert_frame_equal(
            SEASON.qualification(event_id, after=AFTER, what_if=[h]), expected, check_flags=False
        )
        return
    error = refused(h, "rank")
    assert error.value == rank
    assert f"{rank} is not a possible rank ({low} to {high})" in str(error)


@FAST
@given(
    event_id=st.sampled_from(sorted(e for e in RULES.events if POOL[e])),
    share=st.one_of(
        st.floats(0.0, 0.999), st.floats(1.001, 3.0), st.floats(1.0, 1.0), st.sampled_from([0.0, 1.0, 2.0])
    ),
    slow=st.booleans(),
)
def test_a_time_impossible_for_the_distance_is_refused_and_a_possible_one_is_applied(
    event_id: str, share: float, slow: bool
) -> None:
    """A time below the fastest or above the slowest bound (``share`` of it) is refused."""
    low, high = time_bounds(event_id)
    seconds = max(0.01, min(share * (high if slow else low), 5999.99))
    text = clock(seconds)
    h = Hypothetical(POOL[event_id][0], 2, event_id, 1, race_number=race_number(event_id, 1), time=text)
    value = float(text.split(":")[0]) * 60 + float(text.split(":")[1]) if ":" in text else float(text)
    if low <= value <= high:
        expected = classification(
            apply_what_if(SEASON.results, SEASON.races, SEASON.rules, RULES, [h]), event_id, RULES, after=AFTER
        )
        pd.testing.assert_frame_equal(
            SEASON.qualification(event_id, after=AFTER, what_if=[h]), expected, check_flags=False
        )
        return
    error = refused(h, "time")
    assert error.value == text
    distance = RULES.event(event_id).kind.split("-", 1)[1]
    assert f"{low:.2f} to {high:.2f} s" in str(error) and distance in str(error)


def test_the_issues_what_ifs_are_refused_with_the_field_the_value_and_the_range() -> None:
    too_high = refused(Hypothetical(STOLZ, 2, "men-1000", 10**30), "rank")
    assert str(too_high) == (
        "what-if jordan-stolz-usa in the men-1000 at World Cup #2, field 'rank': "
        "1000000000000000000000000000000 is not a possible rank (1 to 999)"
    )
    assert "0 is not a possible rank (1 to 999)" in str(refused(Hypothetical(STOLZ, 2, "men-1000", 0), "rank"))
    assert "-3 is not a possible rank (1 to 999)" in str(refused(Hypothetical(STOLZ, 2, "men-1000", -3), "rank"))
    fast = refused(Hypothetical(STOLZ, 2, "men-1000", 1, time="0.01"), "time")
    assert str(fast) == (
        "what-if jordan-stolz-usa in the men-1000 at World Cup #2, field 'time': "
        "time 0.01 is impossible for 1000 m (58.00 to 240.00 s, see the plausibility rules)"
    )
    slow = refused(Hypothetical(STOLZ, 2, "men-1000", 1, time="59:00.00"), "time")
    assert "time 59:00.00 is impossible for 1000 m (58.00 to 240.00 s" in str(slow)
    assert "'1:0x.12' is not a time" in str(refused(Hypothetical(STOLZ, 2, "men-1000", 1, time="1:0x.12"), "time"))
    world_cup = refused(Hypothetical(STOLZ, 16, "men-1000", 1), "world_cup", event_id="men-1000")
    assert "World Cup #16 is not a World Cup number (1 to 15)" in str(world_cup)
    # The bounds themselves are possible (the limits are inclusive).
    edge = Hypothetical(STOLZ, 2, "men-1000", RANKS[1], time=clock(time_bounds("men-1000")[0]))
    assert not SEASON.qualification("men-1000", after=AFTER, what_if=[edge]).empty


def test_a_hypothetical_holds_whole_numbers() -> None:
    """Construction refuses what is not a whole number (a place of 2.5, ``True``); a NumPy
    integer read from a table is one, kept as a plain ``int``."""
    for name, value in (("rank", 2.5), ("rank", True), ("world_cup", "2"), ("race_number", None)):
        fields: dict[str, Any] = {"world_cup": 2, "rank": 1, "race_number": 0} | {name: value}
        said = re.escape(f"field '{name}': {value!r} is not a whole number")
        with pytest.raises(ImpossibleResult, match=said) as caught:
            Hypothetical(STOLZ, event_id="men-1000", **fields)
        assert caught.value.field == name and caught.value.value == value
    with pytest.raises(ImpossibleResult, match=re.escape("field 'time': 65.01 is not a time")):
        Hypothetical(STOLZ, 2, "men-1000", 1, time=65.01)
    from_table = Hypothetical(STOLZ, np.int64(2), "men-1000", np.int64(3))
    assert type(from_table.rank) is int and type(from_table.world_cup) is int
    assert from_table == Hypothetical(STOLZ, 2, "men-1000", 3)


# The per-country table.

QUOTA_WC4 = SEASON.quota_table(after=4)


def test_quota_table_columns_and_order() -> None:
    events = list(RULES.events)
    assert list(QUOTA_WC4.columns) == ["nation", "gender", *events, *names(QUOTA_TABLE)[2:]]
    assert QUOTA_WC4["gender"].tolist() == sorted(QUOTA_WC4["gender"], key=["women", "men"].index)
    for _, rows in QUOTA_WC4.groupby("gender", sort=False):
        keys = list(zip(-rows["total"], rows["nation"], strict=True))
        assert keys == sorted(keys)
    women = QUOTA_WC4[QUOTA_WC4["gender"] == "women"]
    assert women[[e for e in events if e.startswith("men-")]].isna().all().all()
    assert not QUOTA_WC4.duplicated(["nation", "gender"]).any()
    assert (QUOTA_WC4["over"] == (QUOTA_WC4["total"] - QUOTA_WC4["limit"]).clip(lower=0)).all()


def test_quota_table_counts_each_events_places() -> None:
    """Every event column equals that classification's places for the nation, counted independently."""
    for event_id in ("women-1500", "men-10000", "men-team-pursuit"):
        frame = SEASON.qualification(event_id, after=4)
        placed = frame[frame["quota_rank"].str.fullmatch(r"\d+")]["nation"].value_counts()
        gender = event_id.split("-")[0]
        table = QUOTA_WC4[QUOTA_WC4["gender"] == gender].set_index("nation")[event_id]
        assert table[table > 0].astype(int).sort_index().to_dict() == placed.sort_index().to_dict()
        assert placed.sum() == RULES.event(event_id).quota


def test_netherlands_reach_nine_for_both_genders_after_wc4() -> None:
    """ISU, 11 Dec 2025: "The Netherlands are the only country which seems to be on track for a
    maximum of nine quota places for both genders". As of World Cup #4 Rinkside gives NED the
    maximum in every event for both genders (3 + 3 + 3 + 3 + 2 + 2 individual places and a team
    pursuit place, the individual ones all by points), hence the limit 9; no other nation has 9."""
    ned = QUOTA_WC4[QUOTA_WC4["nation"] == "NED"].set_index("gender")
    for gender in ("women", "men"):
        assert ned.loc[gender, "limit"] == 9
        assert ned.loc[gender, "total"] == 16
        events = [e for e in RULES.events.values() if e.event_id.startswith(f"{gender}-")]
        assert all(ned.loc[gender, e.event_id] == e.max_per_noc for e in events)
    nines = QUOTA_WC4[QUOTA_WC4["limit"] == 9]
    assert nines["nation"].tolist() == ["NED", "NED"]


def test_cli_summary_prints_both_genders() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["qualification", "--games", "2026", "--after", "4", "--summary", "--format", "csv"], out=out) == 0
    frame = pd.read_csv(io.StringIO(out.getvalue()))
    assert set(frame["gender"]) == {"women", "men"}
    assert frame[frame["nation"] == "NED"]["limit"].tolist() == [9, 9]
    out = io.StringIO()
    assert main(["qualification", "--games", "2026", "--after", "4", "--summary"], out=out, err=err) == 0
    text = out.getvalue()
    assert text.startswith("Women\n") and "\nMen\n" in text and "<NA>" not in text
    assert "provisional" in err.getvalue()


# The wording of changes.


def table(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """A classification from (quota_rank, nation, name, ranking) rows."""
    frame: dict[str, Any] = {
        "quota_rank": [r[0] for r in rows],
        "nation": [r[1] for r in rows],
        "nation_rank": 1,
        "name": [r[2] for r in rows],
        "points": 0,
        "best_time": "",
        "ranking": [r[3] for r in rows],
        "competitor": [r[2].lower().replace(" ", "-") for r in rows],
        "provisional": False,
    }
    return pd.DataFrame(frame).astype({n: c.dtype for n, c in QUALIFICATION.items()})


BEFORE = table(
    [
        ("1", "NOR", "Sander EITREM", "points"),
        ("2", "NOR", "Peder KONGSHAUG", "points"),
        ("3", "ITA", "Davide GHIOTTO", "points"),
        ("4", "POL", "Damian ŻUREK", "times"),
        ("R1", "NOR", "Allan DAHL JOHANSSON", "reserve"),
    ]
)
AFTER_ = table(
    [
        ("1", "NOR", "Sander EITREM", "points"),
        ("2", "NOR", "Peder KONGSHAUG", "points"),
        ("3", "NOR", "Allan DAHL JOHANSSON", "points"),
        ("4", "POL", "Damian ŻUREK", "points"),
        ("R1", "ITA", "Davide GHIOTTO", "reserve"),
    ]
)


def test_changes_in_the_sports_words() -> None:
    assert changes(BEFORE, AFTER_, event_id="men-1500") == [
        "NOR gains a 3rd place in the men's 1500 m",
        "ITA drops to the reserve list in the men's 1500 m",
        "Allan DAHL JOHANSSON moves from the reserve list to the points ranking",
        "Damian ŻUREK moves from the times ranking to the points ranking",
        "Davide GHIOTTO moves from the points ranking to the reserve list",
    ]
    assert changes(BEFORE, BEFORE, event_id="men-1500") == []
    assert changes(AFTER_, BEFORE, event_id="women-mass-start")[:2] == [
        "ITA gains a place in the women's Mass Start",
        "NOR loses its 3rd place in the women's Mass Start",
    ]


def test_changes_entering_leaving_and_losing_a_place_without_a_reserve() -> None:
    after = table([("1", "NOR", "Sander EITREM", "points"), ("", "NOR", "Peder KONGSHAUG", "points")])
    before = table([("1", "NOR", "Sander EITREM", "points"), ("2", "ITA", "Davide GHIOTTO", "times")])
    assert changes(before, after, event_id="men-1000") == [
        "ITA loses its only place in the men's 1000 m",
        "Peder KONGSHAUG enters the classification on the points ranking without a place",
        "Davide GHIOTTO drops out of the classification (was on the times ranking)",
    ]


def test_changes_of_a_real_what_if() -> None:
    """The real classification's last points place taken by a skater who won a Division A race."""
    real = REAL["men-1500"]
    outside = real[real["ranking"] == "reserve"].iloc[0]
    win = Hypothetical(str(outside["competitor"]), 2, "men-1500", 1)
    what_if = SEASON.qualification("men-1500", after=AFTER, what_if=[win])
    said = changes(real, what_if, event_id="men-1500")
    assert f"{outside['name']} moves from the reserve list to the points ranking" in said
    assert changes(real, SEASON.qualification("men-1500", after=AFTER), event_id="men-1500") == []
