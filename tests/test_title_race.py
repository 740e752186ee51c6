"""The title race against brute force: every statement checked on every finishing order of small cases."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from standings.engine.title_race import (
    NEWCOMER,
    Contender,
    Counting,
    Entry,
    Finishes,
    Path,
    PlaceClause,
    RemainingRace,
    TitleRace,
    title_race,
)

NEW = "(newcomer)"


@dataclass(frozen=True)
class Outcome:
    """One way the remaining races can end: each competitor's new points and wins and places."""

    keys: dict[str, tuple[int, ...]]
    gains: dict[str, int]
    places: dict[str, list[int]]
    fillers: list[tuple[tuple[int, ...], int]]  # (key, place) of one-race skaters without points yet
    race_places: dict[str, list[int]]  # each competitor's place in each race, 0 for none


def _race_assignments(participants: list[str], places: int) -> Iterator[dict[str, int]]:
    """Every way participants take distinct places (or none) in one race."""
    for chosen in range(min(len(participants), places) + 1):
        for who in itertools.combinations(participants, chosen):
            for where in itertools.permutations(range(1, places + 1), chosen):
                yield dict(zip(who, where, strict=True))


def outcomes(entries: list[Entry], programme: list[RemainingRace], wins: bool, counting: Counting) -> Iterator[Outcome]:
    """Every finishing order of the remaining races (named competitors, one newcomer, fillers)."""
    participants = [e.competitor for e in entries] + [NEW]
    by_key = {e.competitor: e for e in entries} | {NEW: NEWCOMER}
    starts = {
        c: len(programme) if counting.most_races is None else max(0, counting.most_races - by_key[c].races)
        for c in participants
    }
    per_race = [list(_race_assignments(participants, len(r.table))) for r in programme]
    for combo in itertools.product(*per_race):
        places: dict[str, list[int]] = {c: [] for c in participants}
        new_points: dict[str, list[int]] = {c: [] for c in participants}
        fillers: list[tuple[tuple[int, ...], int]] = []
        race_places = {c: [assignment.get(c, 0) for assignment in combo] for c in participants}
        for race, assignment in zip(programme, combo, strict=True):
            for who, place in assignment.items():
                places[who].append(place)
                new_points[who].append(race.table[place - 1])
            for place in set(range(1, len(race.table) + 1)) - set(assignment.values()):
                points = race.table[place - 1]
                fillers.append(((points, int(place == 1)) if wins else (points,), place))
        if any(len(places[c]) > starts[c] for c in participants):
            continue
        keys: dict[str, tuple[int, ...]] = {}
        gains: dict[str, int] = {}
        for c in participants:
            entry = by_key[c]
            if counting.every_result:
                total = entry.points + sum(new_points[c])
            else:
                pool = sorted([*entry.results, *new_points[c]], reverse=True)
                total = sum(pool[: counting.best] if counting.best is not None else pool)
            gains[c] = total - entry.points
            won = entry.wins + sum(p == 1 for p in places[c])
            keys[c] = (total, won) if wins else (total,)
        yield Outcome(keys, gains, places, fillers, race_places)


def _first(outcome: Outcome, who: str, *, alone: bool) -> bool:
    mine = outcome.keys[who]
    others = [k for c, k in outcome.keys.items() if c != who] + [k for k, _ in outcome.fillers]
    return all(mine > k if alone else mine >= k for k in others)


def _meets(places: list[int], clause: PlaceClause) -> bool:
    return sum(p <= clause.place for p in places) >= clause.races


def check(
    race: TitleRace, entries: list[Entry], programme: list[RemainingRace], wins: bool, counting: Counting
) -> None:
    """Assert every statement of ``race`` against all finishing orders."""
    everything = list(outcomes(entries, programme, wins, counting))
    for contender in race.contenders:
        me = contender.entry.competitor
        behind = contender.status == "contender" and contender.rank > 1
        assert (contender.path is not None) == (behind and counting.every_result), "a chaser without a path"
        _check_contender(contender, me, everything, programme)


def _check_contender(contender: Contender, me: str, everything: list[Outcome], programme: list[RemainingRace]) -> None:
    sole = [_first(o, me, alone=True) for o in everything]
    shared = [_first(o, me, alone=False) for o in everything]
    assert contender.max_points == max(o.keys[me][0] for o in everything)
    expected = "clinched" if all(sole) else ("eliminated" if not any(shared) else "contender")
    assert contender.status == expected, contender.reason
    most = sum(r.table[0] for r in programme)
    if contender.magic_number is not None:
        failing = [o.gains[me] for o, ok in zip(everything, sole, strict=True) if not ok]
        assert all(g < contender.magic_number for g in failing), "magic number not sufficient"
        if contender.magic_number > 0:
            assert max(failing) == contender.magic_number - 1, "magic number not the smallest"
    for clause in contender.sure_if:
        for o, ok in zip(everything, sole, strict=True):
            if _meets(o.places[me], clause):
                assert ok, f"{clause} is not sufficient"
        worse = PlaceClause(clause.place + 1, clause.races)
        if clause.place < max(len(r.table) for r in programme):
            assert any(_meets(o.places[me], worse) and not ok for o, ok in zip(everything, sole, strict=True)), (
                f"{clause}: a worse place would do too"
            )
    if contender.sure_unless:
        for o, ok in zip(everything, sole, strict=True):
            if ok:
                continue
            met = False
            for rival, clauses in contender.sure_unless:
                if rival == "":
                    met |= all(_meets(o.places[NEW], c) for c in clauses)
                    met |= any(all(_meets([place], c) for c in clauses) for _, place in o.fillers)
                else:
                    met |= all(_meets(o.places[rival], c) for c in clauses)
            assert met, f"lost without any rival meeting {contender.sure_unless}"
    for o, ok in zip(everything, shared, strict=True):
        if ok:
            for clause in contender.needs:
                assert _meets(o.places[me], clause), f"won without meeting {clause}"
    if contender.needs_at_most is not None:
        rival, allowed = contender.needs_at_most
        winning = [o.gains[rival] for o, ok in zip(everything, shared, strict=True) if ok]
        assert winning and max(winning) == allowed
    assert (contender.magic_number is None) or contender.magic_number <= most
    if contender.path is not None:
        _check_path(contender.path, me, everything, shared, programme)


def _finishes_of(outcome: Outcome, who: str, programme: list[RemainingRace]) -> dict[tuple[int, ...], tuple[int, ...]]:
    places: dict[tuple[int, ...], list[int]] = {r.table: [] for r in programme}
    for race, place in zip(programme, outcome.race_places[who], strict=True):
        if place:
            places[race.table].append(place)
    return {table: tuple(sorted(p)) for table, p in places.items()}


def _as_dict(finishes: tuple[Finishes, ...]) -> dict[tuple[int, ...], tuple[int, ...]]:
    return {f.table: f.places for f in finishes}


def _check_path(
    path: Path, me: str, everything: list[Outcome], shared: list[bool], programme: list[RemainingRace]
) -> None:
    """The least demanding own results and the leader's best beside them, against every finishing order."""
    winning = [o for o, ok in zip(everything, shared, strict=True) if ok]
    own = _as_dict(path.own)
    races = sum(len(p) for p in own.values())
    points = sum(f.points for f in path.own)
    assert min(len(o.places[me]) for o in winning) == races, "fewer races with points would do"
    fewest = [o for o in winning if len(o.places[me]) == races]
    assert min(o.gains[me] for o in fewest) == points, "fewer points in as many races would do"
    cheapest = [o for o in fewest if o.gains[me] == points]
    assert min(sum(p == 1 for p in o.places[me]) for o in cheapest) == sum(f.wins for f in path.own)
    with_own = [o for o in winning if _finishes_of(o, me, programme) == own]
    assert with_own, "the own results do not lead to the cup"
    leader = path.leader
    assert max(o.gains[leader] for o in with_own) == sum(f.points for f in path.leader_then)
    assert any(_finishes_of(o, leader, programme) == _as_dict(path.leader_then) for o in with_own)
    if path.wins_everything:
        assert all(o.places[me] == [1] * len(programme) for o in winning)
    all_won = [o for o in winning if o.places[me] == [1] * len(programme)]
    nothing = path.if_all_won is not None and not any(f.places for f in path.if_all_won)
    if nothing and all(len(r.table) > 1 for r in programme):  # "and only if the leader scores nothing more"
        assert all(o.gains[leader] == 0 for o in winning)
    if path.if_all_won is None:
        seconds = sum(r.table[1] if len(r.table) > 1 else 0 for r in programme)
        assert not all_won or max(o.gains[leader] for o in all_won) == seconds
    else:
        assert max(o.gains[leader] for o in all_won) == sum(f.points for f in path.if_all_won)
        assert any(_finishes_of(o, leader, programme) == _as_dict(path.if_all_won) for o in all_won)


@st.composite
def cases(draw: st.DrawFn, *, best_of: bool = False) -> tuple[list[Entry], list[RemainingRace], bool, Counting]:
    races = draw(st.integers(1, 3))
    base = sorted(draw(st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True)), reverse=True)
    programme = []
    for number in range(races):
        final = draw(st.booleans()) and number == races - 1
        table = tuple(p * 2 for p in base) if final else tuple(base)
        programme.append(RemainingRace(f"race {number + 1}", table, final=final))
    size = draw(st.integers(1, 3))
    entries = []
    for i in range(size):
        if best_of:
            results = tuple(draw(st.lists(st.integers(0, 12), max_size=3)))
            best = 2
            points = sum(sorted(results, reverse=True)[:best])
            entries.append(Entry(f"c{i}", f"Skater C{i}", "NED", points, 0, results, len(results)))
        else:
            entries.append(Entry(f"c{i}", f"Skater C{i}", "NED", draw(st.integers(0, 30)), draw(st.integers(0, 2))))
    wins = False if best_of else draw(st.booleans())
    counting = Counting(best=2, most_races=draw(st.integers(2, 5))) if best_of else Counting()
    participants = size + 1
    per_race = sum(
        len(list(itertools.combinations(range(participants), k))) * len(list(itertools.permutations(range(3), k)))
        for k in range(min(participants, len(base)) + 1)
    )
    assume(per_race**races <= 6000)
    return entries, programme, wins, counting


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases())
def test_every_statement_holds_on_every_finishing_order(
    case: tuple[list[Entry], list[RemainingRace], bool, Counting],
) -> None:
    entries, programme, wins, counting = case
    race = title_race(entries, programme, tie_break=("wins",) if wins else (), counting=counting)
    check(race, entries, programme, wins, counting)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases(best_of=True))
def test_best_n_counting_holds_on_every_finishing_order(
    case: tuple[list[Entry], list[RemainingRace], bool, Counting],
) -> None:
    entries, programme, wins, counting = case
    race = title_race(entries, programme, tie_break=(), counting=counting)
    check(race, entries, programme, wins, counting)


def test_a_chasers_way_in_words_with_a_final_at_double_points() -> None:
    """Least demanding own results and the leader's best, said per race kind; brute force agrees."""
    table = (60, 54, 48, 43, 40, 38, 36)
    programme = [RemainingRace("WC4", table), RemainingRace("WC5", tuple(2 * p for p in table), final=True)]
    entries = [
        Entry("beune", "Joy BEUNE", "NED", 200, 2),
        Entry("kok", "Femke KOK", "NED", 110, 1),
        Entry("x", "Ann X", "NED", 150, 0),
    ]
    race = title_race(entries, programme, tie_break=("wins",), pronoun="she")
    said = {c.entry.competitor: c.conditions[-1] for c in race.contenders}
    assert said["kok"] == (
        "Kok can win the cup with as little as a 3rd place in the final if Beune and the others score nothing more; "
        "winning both remaining races, she can afford Beune a 4th place in the final."
    )
    assert said["x"] == (
        "X can win the cup with as little as a 2nd place if Beune and the others score nothing more; "
        "winning both remaining races, she can afford Beune a 2nd place and a 6th place in the final."
    )
    far = [Entry("beune", "Joy BEUNE", "NED", 200, 2), Entry("kok", "Femke KOK", "NED", 40, 0)]
    race = title_race(far, programme, tie_break=("wins",), pronoun="she")
    assert race.contenders[1].conditions[-1] == (
        "Kok can win the cup with as little as a 2nd place and a 2nd place in the final, "
        "and only if Beune scores nothing more."
    )
    short = [RemainingRace("WC4", (60, 30, 10)), RemainingRace("WC5", (120, 60, 20), final=True)]
    last = [Entry("beune", "Joy BEUNE", "NED", 200, 2), Entry("kok", "Femke KOK", "NED", 50, 0)]
    race = title_race(last, short, tie_break=("wins",), pronoun="she")
    # 50 + 180 = 230 with two wins: Beune may add 30, a 2nd place (not a 3rd place in each race: fewer races).
    assert race.contenders[1].conditions[-1] == (
        "Kok can only win the cup by winning both remaining races, and only if Beune scores no more than a 2nd place."
    )
    check(race, last, short, True, Counting())


def test_best_n_counting_keeps_the_old_sentence() -> None:
    """With best-N counting no way to the cup is computed, so the place and points conditions stay."""
    programme = [RemainingRace(f"race {n}", (10, 8, 6)) for n in (1, 2)]
    entries = [Entry("a", "Ann A", "NED", 16, 0, (8, 8), 2), Entry("b", "Bea B", "NED", 10, 0, (10,), 1)]
    race = title_race(entries, programme, tie_break=(), counting=Counting(best=2, most_races=4), pronoun="she")
    b = race.contenders[1]
    assert b.path is None and b.conditions[-1].startswith("B can only win the cup if she ")
