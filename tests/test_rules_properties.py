"""Property tests (Hypothesis) for points, standings ties and statuses, and medals."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from standings.engine.medals import medal_table
from standings.engine.points import award, score
from standings.engine.tables import cup_standings
from standings.rules import rules_for

RULES = rules_for("lt-wc", "2025-26")
OLD_RULES = rules_for("lt-wc", "2017-18")
KINDS = ["men-500", "women-3000", "men-10000", "women-mass-start", "men-team-pursuit"]
STATUSES = ["finished", "DNF", "DQ", "DNS", "WDR"]


def _award(rank: int | None, status: str, kind: str = "men-500", division: str = "A", **extra: object) -> int:
    return award(
        RULES,
        race_id="lt-wc/2025-26/wc9/x",
        season="2025-26",
        kind=kind,
        division=division,
        rank=rank,
        status=status,
        competitor="someone",
        **extra,  # type: ignore[arg-type]
    ).points


@given(st.sampled_from(KINDS), st.sampled_from(["A", "B"]), st.integers(1, 60), st.integers(1, 60))
def test_a_better_place_never_scores_less(kind: str, division: str, a: int, b: int) -> None:
    better, worse = min(a, b), max(a, b)
    assert _award(better, "finished", kind, division) >= _award(worse, "finished", kind, division) >= 0


@given(st.sampled_from(KINDS), st.sampled_from(["A", "B"]), st.integers(1, 40), st.sampled_from(STATUSES))
def test_statuses_that_do_not_score(kind: str, division: str, rank: int, status: str) -> None:
    ranked = _award(rank, status, kind, division)
    assert _award(None, status, kind, division) == 0  # unranked never scores
    if status in ("DQ", "DNS", "WDR"):
        assert ranked == 0
    else:
        assert ranked == _award(rank, "finished", kind, division)


@given(st.integers(1, 9))
def test_final_multiplies_and_rounds_down(rank: int) -> None:
    common = {"race_id": "x", "season": "2017-18", "kind": "men-500", "division": "A", "competitor": "c"}
    normal = award(OLD_RULES, rank=rank, status="finished", **common).points  # type: ignore[arg-type]
    final = award(OLD_RULES, rank=rank, status="finished", is_final=True, **common).points  # type: ignore[arg-type]
    assert final == int(normal * 1.5)
    assert (award(OLD_RULES, rank=1, status="finished", is_final=True, **common).points) == 150  # type: ignore[arg-type]


def test_unknown_places_are_provisional() -> None:
    common = {"race_id": "x", "season": "2017-18", "kind": "men-500", "division": "A", "competitor": "c"}
    assert not award(OLD_RULES, rank=4, status="finished", **common).provisional  # type: ignore[arg-type]
    assert award(OLD_RULES, rank=5, status="finished", **common).provisional  # type: ignore[arg-type]
    assert award(OLD_RULES, rank=12, status="finished", **common).provisional  # type: ignore[arg-type]


# A race: finishing "times" as integers (equal = dead heat), plus statuses.
race_strategy = st.lists(
    st.tuples(st.integers(0, 6), st.sampled_from(["finished"] * 4 + ["DNF", "DQ", "DNS"])), min_size=1, max_size=10
)


def _scored(races: list[list[tuple[int, str]]]) -> pd.DataFrame:
    """Races of up to ten skaters, ranked by competition ranking (ties share, next skipped), scored."""
    names = [f"skater-{i}" for i in range(10)]
    race_rows, result_rows = [], []
    for number, race in enumerate(races, start=1):
        race_id = f"lt-wc/2025-26/wc{number}/men-500-a"
        race_rows.append(
            {
                "race_id": race_id,
                "season": "2025-26",
                "world_cup": number,
                "distance": "500",
                "gender": "men",
                "division": "A",
                "race_number": 0,
                "day": f"2025-11-{number:02d}",
                "is_final": False,
            }
        )
        finishers = [(t, i) for i, (t, s) in enumerate(race) if s == "finished"]
        for i, (time, status) in enumerate(race):
            rank = None
            if status == "finished":
                rank = 1 + sum(1 for other, _ in finishers if other < time)
            result_rows.append(
                {
                    "race_id": race_id,
                    "rank": rank,
                    "competitor": names[i],
                    "name": names[i],
                    "nation": ["NED", "USA", "JPN"][i % 3],
                    "status": status,
                }
            )
    results = pd.DataFrame(result_rows).astype({"rank": "Int64"})
    return score(results, pd.DataFrame(race_rows), RULES)


@settings(max_examples=150, deadline=None)
@given(st.lists(race_strategy, min_size=1, max_size=4))
def test_standings_ties_and_order(races: list[list[tuple[int, str]]]) -> None:
    scored = _scored(races)
    # Dead heats: equal rank in a race, equal points.
    for _, group in scored.dropna(subset=["rank"]).groupby(["race_id", "rank"]):
        assert group["points"].nunique() == 1
    cup = RULES.cup("men-500")
    table = cup_standings(scored, RULES, cup)
    assert (table["points"] > 0).all()
    assert table["points"].sum() == scored["points"].sum()
    assert table["competitor"].is_unique
    rows = table.to_dict("records")
    for a in rows:
        for b in rows:
            key_a, key_b = (a["points"], a["wins"]), (b["points"], b["wins"])
            if key_a > key_b:
                assert a["rank"] < b["rank"]
            if key_a == key_b:
                assert a["rank"] == b["rank"]
    # Ranks are competition ranks: rank = 1 + number strictly ahead.
    for a in rows:
        assert a["rank"] == 1 + sum(1 for b in rows if (b["points"], b["wins"]) > (a["points"], a["wins"]))
    # The order of the input rows does not matter.
    shuffled = cup_standings(scored.sample(frac=1, random_state=1), RULES, cup)
    pd.testing.assert_frame_equal(
        table.sort_values("competitor").reset_index(drop=True),
        shuffled.sort_values("competitor").reset_index(drop=True),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(race_strategy, min_size=1, max_size=4))
def test_medal_table_counts_each_podium_place(races: list[list[tuple[int, str]]]) -> None:
    scored = _scored(races)
    table = medal_table(scored)
    finished = scored[scored["status"] == "finished"]
    assert table["gold"].sum() == (finished["rank"] == 1).sum()
    assert table["silver"].sum() == (finished["rank"] == 2).sum()
    assert table["bronze"].sum() == (finished["rank"] == 3).sum()
    keys = list(zip(table["gold"], table["silver"], table["bronze"], strict=True))
    assert keys == sorted(keys, reverse=True)
    # Nations equal on all three counts share a rank and are listed by IOC code.
    for _, group in table.groupby(["gold", "silver", "bronze"]):
        assert group["rank"].nunique() == 1
        assert list(group["nation"]) == sorted(group["nation"])
