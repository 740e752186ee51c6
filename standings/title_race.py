"""Who can still win a cup, who has clinched it, and what each contender needs.

The question is asked of a cup's standings as of some World Cup, with the races of
that cup still to come (``RemainingRace``: each with its points table, the final's
multiplier and field size already applied). The answers are exact, under these
assumptions, which every statement shares and the tests' brute force makes too:

* any competitor may start any remaining race (Division A's table is the most a
  place can earn), and so may skaters without points yet; a competitor may also
  not start, or finish outside the points;
* in each race every place is taken by at most one competitor (no dead heats);
* the standings order competitors by points, then by the rules' tie-break
  (``wins``: more Division A race wins); competitors still equal share the rank.

"Sure of the cup" means first alone in every possible outcome; "can win" means
first, alone or shared, in at least one outcome.

How it is computed (``R`` remaining races, ``n`` competitors, ``P`` places with
points, ``G`` different points tables among the remaining races, ``S`` the most
points the remaining races hold):

* statuses and maximum points: a competitor's best case is winning every race
  while nobody else scores, its worst case scoring nothing while one rival wins
  everything, so each status is a comparison with the strongest rival:
  ``O(n log n)``;
* place conditions ("sure if she finishes 2nd or better in one of the two remaining
  races"): the worst case of each statement is one outcome per way of spreading
  ``m`` races over the ``G`` tables: ``O(n * R * P * (R+1)^G)``;
* the magic number and "needs the leader to add no more than ..." use the set of
  reachable (own points, own wins, rival's best points) triples, built once per
  programme by subset sums over bit sets: ``O(R^2 * P * S / w)`` word operations,
  then ``O(R * G)`` per competitor.

Nothing enumerates finishing orders; the tests compare every statement with an
enumeration of all finishing orders on small cases.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

import pandas as pd

Status = Literal["clinched", "contender", "eliminated"]
#: Columns of ``TitleRace.frame()``, in order.
TITLE_RACE_COLUMNS: Final = [
    "rank",
    "competitor",
    "name",
    "nation",
    "points",
    "wins",
    "max_points",
    "status",
    "reason",
    "magic_number",
    "conditions",
]
_NUMBER_WORDS: Final = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}
_PARTICLES: Final = frozenset({"de", "den", "der", "van", "von", "ter", "te", "di", "da", "du", "le", "la"})


@dataclass(frozen=True)
class RemainingRace:
    """One race still to come in a cup.

    Attributes:
        label: E.g. ``WC5 Inzell: 1st 500 m Men``.
        table: Points for 1st, 2nd, ... place, multiplier applied, cut at the field size.
        world_cup: The World Cup it belongs to, if known.
        final: Whether it is at the season's final event.
        provisional: Whether the table depends on a provisional rule (e.g. an unknown field size).
    """

    label: str
    table: tuple[int, ...]
    world_cup: int | None = None
    final: bool = False
    provisional: bool = False

    def __post_init__(self) -> None:
        if not self.table or any(p <= 0 for p in self.table):
            raise ValueError(f"{self.label}: a points table needs positive points, got {self.table}")
        if any(a <= b for a, b in itertools.pairwise(self.table)):
            raise ValueError(f"{self.label}: points must fall with every place, got {self.table}")


@dataclass(frozen=True)
class Counting:
    """Which results count: all (the default), or only the best ``best`` of at most ``most_races``.

    Attributes:
        best: Only a competitor's best ``best`` results count, or ``None`` for all.
        most_races: A competitor may start at most this many races in the season, or ``None``.
    """

    best: int | None = None
    most_races: int | None = None

    @property
    def every_result(self) -> bool:
        """Whether every result counts and starts are unlimited."""
        return self.best is None and self.most_races is None


@dataclass(frozen=True)
class Entry:
    """A competitor in a cup's standings, before the remaining races.

    Attributes:
        competitor: Competitor key (``jordan-stolz-usa``).
        name: Display name.
        nation: IOC code.
        points: Points so far (with ``Counting.best``: the best results' sum).
        wins: Race wins so far (the tie-break).
        results: Points of each race so far; needed only with best-N counting.
        races: Races started so far; needed only with a start limit.
    """

    competitor: str
    name: str
    nation: str
    points: int
    wins: int = 0
    results: tuple[int, ...] = ()
    races: int = 0


#: Anyone not yet in the standings: starts at nothing and may win every remaining race.
NEWCOMER: Final = Entry("", "a skater without points yet", "", 0, 0)


@dataclass(frozen=True)
class PlaceClause:
    """ "Finishes ``place``-th or better in at least ``races`` of the remaining races"."""

    place: int
    races: int


@dataclass(frozen=True)
class Contender:
    """One competitor's title chances.

    Attributes:
        entry: The competitor and its standing before the remaining races.
        rank: Current rank.
        max_points: The most points reachable.
        status: ``clinched`` (first alone whatever happens), ``contender`` (can still
            finish first, alone or shared) or ``eliminated``.
        reason: Why, in words, with the numbers that decide it.
        magic_number: Points that make the competitor sure of the cup whatever the
            others do (0 once clinched), or ``None`` when even winning every race is
            not enough, or when it is not computed (best-N counting).
        sure_if: The competitor is sure of the cup if it meets any one of these.
        sure_unless: ``(rival, clauses)``: whatever its own results, the competitor is
            sure of the cup unless some rival meets all of that rival's clauses. Empty
            when no such statement holds (or more than three rivals could overtake).
        needs: The competitor can only finish first if it meets all of these.
        needs_at_most: ``(rival, points)``: it can only finish first if that rival adds
            no more than these points.
        conditions: The statements above, as sentences.
    """

    entry: Entry
    rank: int
    max_points: int
    status: Status
    reason: str
    magic_number: int | None
    sure_if: tuple[PlaceClause, ...]
    sure_unless: tuple[tuple[str, tuple[PlaceClause, ...]], ...]
    needs: tuple[PlaceClause, ...]
    needs_at_most: tuple[str, int] | None
    conditions: tuple[str, ...]


@dataclass(frozen=True)
class TitleRace:
    """Every competitor's title chances in one cup, as of some World Cup.

    Attributes:
        cup: The cup's name.
        programme: The races still to come.
        contenders: One per competitor in the standings, by current rank.
        notes: What the answers assume or leave provisional.
    """

    cup: str
    programme: tuple[RemainingRace, ...]
    contenders: tuple[Contender, ...]
    notes: tuple[str, ...]

    @property
    def leader_magic_number(self) -> int | None:
        """The current leader's magic number (``None`` when there is no sole leader able to clinch)."""
        leaders = [c for c in self.contenders if c.rank == 1]
        return leaders[0].magic_number if len(leaders) == 1 else None

    def frame(self) -> pd.DataFrame:
        """One row per competitor: ``TITLE_RACE_COLUMNS`` (conditions as a list of sentences)."""
        rows = [
            {
                "rank": c.rank,
                "competitor": c.entry.competitor,
                "name": c.entry.name,
                "nation": c.entry.nation,
                "points": c.entry.points,
                "wins": c.entry.wins,
                "max_points": c.max_points,
                "status": c.status,
                "reason": c.reason,
                "magic_number": c.magic_number,
                "conditions": list(c.conditions),
            }
            for c in self.contenders
        ]
        frame = pd.DataFrame(rows, columns=TITLE_RACE_COLUMNS)
        return frame.astype({"magic_number": "Int64"})


def title_race(
    entries: Sequence[Entry],
    programme: Sequence[RemainingRace],
    *,
    tie_break: Sequence[str] = ("wins",),
    counting: Counting | None = None,
    cup: str = "the cup",
    pronoun: Literal["he", "she", "it"] = "it",
) -> TitleRace:
    """Status, maximum points and conditions for every competitor of a cup.

    Args:
        entries: The standings before the remaining races (any order).
        programme: The races still to come.
        tie_break: Criteria after points: ``("wins",)`` or ``()``.
        counting: Best-N / start-limit counting (default: every result counts).
        cup: The cup's name, for sentences.
        pronoun: How sentences refer to a competitor.

    Raises:
        ValueError: On an unknown tie-break, duplicate competitors, or a win tie-break
            combined with best-N counting (no such rule exists to follow).
    """
    counting = counting or Counting()
    unknown = set(tie_break) - {"wins"}
    if unknown:
        raise ValueError(f"unsupported tie-break {sorted(unknown)}: only race wins are modelled")
    if "wins" in tie_break and not counting.every_result:
        raise ValueError("best-N counting is modelled with points only; give tie_break=()")
    keys = [e.competitor for e in entries]
    if len(set(keys)) != len(keys) or "" in keys:
        raise ValueError("every entry needs its own non-empty competitor key")
    engine = _Engine(tuple(entries), tuple(programme), "wins" in tie_break, counting)
    contenders = tuple(engine.contender(e, cup=cup, pronoun=pronoun) for e in engine.ordered)
    return TitleRace(cup, tuple(programme), contenders, engine.notes())


# --- the engine -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    """Remaining races that share one points table."""

    table: tuple[int, ...]
    size: int

    def at(self, place: int) -> int:
        """Points for a place (1-based); 0 past the table."""
        return self.table[place - 1] if place <= len(self.table) else 0


def _groups(programme: Sequence[RemainingRace]) -> tuple[_Group, ...]:
    sizes: dict[tuple[int, ...], int] = {}
    for race in programme:
        sizes[race.table] = sizes.get(race.table, 0) + 1
    return tuple(_Group(table, size) for table, size in sizes.items())


@cache
def _splits(total: int, sizes: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    """Every way to spread ``total`` races over groups of these sizes."""
    if not sizes:
        return ((),) if total == 0 else ()
    return tuple(
        (first, *rest) for first in range(min(total, sizes[0]) + 1) for rest in _splits(total - first, sizes[1:])
    )


@cache
def _sum_sets(values: tuple[int, ...], picks: int) -> tuple[int, ...]:
    """Bit sets of the sums of ``j`` values drawn (with repeats) from ``values``, for j = 0..picks."""
    sets = [1]
    for _ in range(picks):
        previous, current = sets[-1], 0
        for value in values:
            current |= previous << value
        sets.append(current)
    return tuple(sets)


def _add_sets(a: int, b: int) -> int:
    """The bit set of every sum of an element of ``a`` and an element of ``b``."""
    if a.bit_count() > b.bit_count():
        a, b = b, a
    out, position = 0, 0
    while a:
        if a & 1:
            out |= b << position
        a >>= 1
        position += 1
    return out


@cache
def _outcomes(groups: tuple[_Group, ...]) -> dict[tuple[int, int], int]:
    """Reachable outcomes of one competitor ("own") against the best a rival can then do.

    Returns:
        ``(own wins, rival's best points) -> bit set of own points``, over every way the
        competitor can finish the remaining races (winning some, placing or not starting
        in the rest); the rival takes 1st wherever the competitor did not win, 2nd where it did.
    """
    states: dict[tuple[int, int], int] = {(0, 0): 1}
    for group in groups:
        lower = (0, *group.table[1:])
        sums = _sum_sets(lower, group.size)
        options: dict[tuple[int, int], int] = {}
        for won in range(group.size + 1):
            rival = (group.size - won) * group.table[0] + won * group.at(2)
            options[(won, rival)] = sums[group.size - won] << (won * group.table[0])
        merged: dict[tuple[int, int], int] = {}
        for (won_a, rival_a), set_a in states.items():
            for (won_b, rival_b), set_b in options.items():
                key = (won_a + won_b, rival_a + rival_b)
                merged[key] = merged.get(key, 0) | _add_sets(set_a, set_b)
        states = merged
    return states


def _highest_at_most(bits: int, limit: int) -> int | None:
    """The largest element of a bit set that is at most ``limit``."""
    if limit < 0:
        return None
    kept = bits & ((1 << (limit + 1)) - 1)
    return kept.bit_length() - 1 if kept else None


class _Engine:
    def __init__(
        self, entries: tuple[Entry, ...], programme: tuple[RemainingRace, ...], wins: bool, counting: Counting
    ) -> None:
        self.wins = wins
        self.counting = counting
        self.programme = programme
        self.groups = _groups(programme)
        self.sizes = tuple(g.size for g in self.groups)
        self.races = len(programme)
        self.places = max((len(r.table) for r in programme), default=0)
        self.ordered = sorted(entries, key=lambda e: e.name)
        self.ordered.sort(key=lambda e: self.key(e.points, e.wins), reverse=True)
        self._best: dict[str, tuple[int, ...]] = {}
        self.ranks: dict[str, int] = {}
        for position, entry in enumerate(self.ordered, start=1):
            previous = self.ordered[position - 2] if position > 1 else None
            same = previous is not None and self.now(previous) == self.now(entry)
            self.ranks[entry.competitor] = self.ranks[previous.competitor] if same and previous else position
        self.short = _short_names(entries)

    # keys and totals

    def key(self, points: int, wins: int) -> tuple[int, ...]:
        return (points, wins) if self.wins else (points,)

    def now(self, entry: Entry) -> tuple[int, ...]:
        return self.key(entry.points, entry.wins)

    def starts(self, entry: Entry) -> int:
        if self.counting.most_races is None:
            return self.races
        return max(0, min(self.races, self.counting.most_races - entry.races))

    def total(self, entry: Entry, new: Sequence[int]) -> int:
        """Points after adding ``new`` results (the best the start limit allows)."""
        if self.counting.every_result:
            return entry.points + sum(new)
        chosen = sorted(new, reverse=True)[: self.starts(entry)]
        pool = sorted([*entry.results, *chosen], reverse=True)
        return sum(pool[: self.counting.best] if self.counting.best is not None else pool)

    def best(self, entry: Entry, taken: Sequence[int] | None = None) -> tuple[int, ...]:
        """The best key ``entry`` can reach when another competitor wins ``taken[g]`` races of group g."""
        if taken is None:
            if entry.competitor not in self._best:
                self._best[entry.competitor] = self.best(entry, (0,) * len(self.groups))
            return self._best[entry.competitor]
        new: list[int] = []
        wins = 0
        for group, won_by_other in zip(self.groups, taken, strict=True):
            new += [group.table[0]] * (group.size - won_by_other) + [group.at(2)] * won_by_other
            wins += group.size - won_by_other
        return self.key(self.total(entry, new), entry.wins + min(wins, self.starts(entry)))

    def rivals(self, entry: Entry, *, newcomer: bool) -> list[Entry]:
        others = [e for e in self.ordered if e.competitor != entry.competitor]
        return [*others, NEWCOMER] if newcomer else others

    def strongest_rivals(self, entry: Entry) -> list[Entry]:
        """The rivals whose best case can decide whether ``entry`` is sure of the cup.

        When every result counts, every rival gains alike, so the one ahead now stays
        ahead of the others in every rival's best case: only it needs checking.
        """
        if not self.counting.every_result:
            return self.rivals(entry, newcomer=True)
        ahead = next((e for e in self.ordered if e.competitor != entry.competitor), NEWCOMER)
        return [ahead]

    # statements

    def sure_with(self, entry: Entry, place: int, races: int) -> bool:
        """Whether finishing ``place``-th or better in ``races`` of the races makes ``entry`` sure of the cup."""
        if races > self.starts(entry):
            return False
        for split in _splits(races, self.sizes):
            new = [g.at(place) for g, n in zip(self.groups, split, strict=True) for _ in range(n)]
            mine = self.key(self.total(entry, new), entry.wins + (races if place == 1 else 0))
            taken = split if place == 1 else None
            if any(self.best(r, taken) >= mine for r in self.strongest_rivals(entry)):
                return False
        return True

    def most_without(self, entry: Entry, place: int, races: int) -> tuple[int, ...]:
        """The best key of ``entry`` with fewer than ``races`` finishes at ``place`` or better."""
        best: tuple[int, ...] | None = None
        wins = min(races - 1, self.starts(entry))
        for split in _splits(wins, self.sizes):
            new = [g.table[0] for g, n in zip(self.groups, split, strict=True) for _ in range(n)]
            new += [g.at(place + 1) for g, n in zip(self.groups, split, strict=True) for _ in range(g.size - n)]
            candidate = self.key(self.total(entry, new), entry.wins + wins)
            best = candidate if best is None or candidate > best else best
        return best if best is not None else self.now(entry)

    def needed(self, entry: Entry, target: tuple[int, ...], *, level_counts: bool) -> tuple[PlaceClause, ...]:
        """Clauses ``entry`` must all meet to reach ``target`` (``level_counts``: drawing level is enough)."""

        def holds(place: int, races: int) -> bool:
            reach = self.most_without(entry, place, races)
            return reach < target or (reach == target and not level_counts)

        clauses: list[PlaceClause] = []
        for races in range(1, self.starts(entry) + 1):
            # A worse place in the clause is easier to meet, so it holds from some place on: bisect.
            if not holds(self.places, races):
                continue
            low, high = 1, self.places
            while low < high:
                middle = (low + high) // 2
                if holds(middle, races):
                    high = middle
                else:
                    low = middle + 1
            clauses.append(PlaceClause(low, races))
        return _strongest(clauses)

    def magic_number(self, entry: Entry) -> int | None:
        if not self.counting.every_result:
            return None
        top = max(self.rivals(entry, newcomer=True), key=self.now)
        most = sum(g.table[0] * g.size for g in self.groups)
        failing = -1
        for (won, rival_gain), own in _outcomes(self.groups).items():
            gap = top.points + rival_gain - entry.points
            saved = self.wins and entry.wins + won > top.wins + self.races - won
            limit = gap - 1 if saved else gap
            highest = _highest_at_most(own, limit)
            if highest is not None:
                failing = max(failing, highest)
        return failing + 1 if failing + 1 <= most else None

    def leader_allowance(self, entry: Entry, leader: Entry) -> int | None:
        """The most ``leader`` may add for ``entry`` still to finish first (``None``: no outcome)."""
        field = [self.now(e) for e in self.ordered if e.competitor not in (entry.competitor, leader.competitor)]
        allowed: int | None = None
        for (won, mine), theirs in _outcomes(self.groups).items():
            my_key = self.key(entry.points + mine, entry.wins + self.races - won)
            if field and my_key < max(field):
                continue
            gap = entry.points + mine - leader.points
            level_ok = not self.wins or entry.wins + self.races - won >= leader.wins + won
            highest = _highest_at_most(theirs, gap if level_ok else gap - 1)
            if highest is not None:
                allowed = highest if allowed is None else max(allowed, highest)
        return allowed

    def leader_limit(self, entry: Entry, leader: Entry) -> tuple[str, int] | None:
        """``(leader, points)`` when ``entry`` can only finish first if the leader adds no more than that."""
        if not self.counting.every_result:
            return None
        allowed = self.leader_allowance(entry, leader)
        if allowed is None or allowed >= self.best(leader)[0] - leader.points:
            return None
        return leader.competitor, allowed

    def contender(self, entry: Entry, *, cup: str, pronoun: str) -> Contender:
        rivals = self.rivals(entry, newcomer=False)
        best = self.best(entry)
        max_points = best[0]
        top_now = max((self.now(r) for r in rivals), default=None)
        threats = [r for r in self.rivals(entry, newcomer=True) if self.best(r) >= self.now(entry)]
        # Every race has a winner: races a competitor can no longer start (a start limit) go to others.
        unstarted = sorted((g.table[0] for g in self.groups for _ in range(g.size)), reverse=True)
        unstarted = unstarted[self.starts(entry) :]
        outsider = max(unstarted, default=None)
        if not threats:
            status: Status = "clinched"
        elif (top_now is None or best >= top_now) and (outsider is None or best >= self.key(outsider, 1)):
            status = "contender"
        else:
            status = "eliminated"
        reason = _capitalised(self.reason(entry, status, rivals, threats))
        name = self.short[entry.competitor]
        magic: int | None = 0 if status == "clinched" else None
        sure_if: tuple[PlaceClause, ...] = ()
        sure_unless: tuple[tuple[str, tuple[PlaceClause, ...]], ...] = ()
        needs: tuple[PlaceClause, ...] = ()
        needs_at_most: tuple[str, int] | None = None
        if status == "contender":
            magic = self.magic_number(entry)
            sure_if = self.sure_clauses(entry)
            sure_unless = self.unless(entry, threats) or ()
            if top_now is not None and self.now(entry) < top_now:
                needs = self.needed(entry, top_now, level_counts=True)
                needs_at_most = self.leader_limit(entry, max(rivals, key=self.now))
        conditions = tuple(
            _capitalised(c)
            for c in _sentences(self, name, pronoun, cup, magic, sure_if, sure_unless, needs, needs_at_most)
        )
        return Contender(
            entry=entry,
            rank=self.ranks[entry.competitor],
            max_points=max_points,
            status=status,
            reason=reason,
            magic_number=magic,
            sure_if=sure_if,
            sure_unless=sure_unless,
            needs=needs,
            needs_at_most=needs_at_most,
            conditions=conditions,
        )

    def sure_clauses(self, entry: Entry) -> tuple[PlaceClause, ...]:
        clauses: list[PlaceClause] = []
        for races in range(1, self.starts(entry) + 1):
            place = 0
            while place < self.places and self.sure_with(entry, place + 1, races):
                place += 1
            if place and (not clauses or place > clauses[-1].place):
                clauses.append(PlaceClause(place, races))
        return tuple(clauses)

    def unless(self, entry: Entry, threats: list[Entry]) -> tuple[tuple[str, tuple[PlaceClause, ...]], ...] | None:
        if len(threats) > 3:
            return None
        out: list[tuple[str, tuple[PlaceClause, ...]]] = []
        for threat in threats:
            clauses = self.needed(threat, self.now(entry), level_counts=True)
            if not clauses:
                return None
            out.append((threat.competitor, clauses))
        return tuple(out)

    def reason(self, entry: Entry, status: Status, rivals: list[Entry], threats: list[Entry]) -> str:
        races = _count(self.races, "race")
        every = {1: "the one race", 2: "both races"}.get(self.races, f"all {races}")
        name = self.short[entry.competitor]
        if status == "clinched":
            if not rivals and not self.races:
                return f"{name} is the only competitor with points and no races are left."
            chaser = max(self.rivals(entry, newcomer=True), key=self.best)
            reach = self.best(chaser)
            if not self.races:
                return f"No races left: {name} leads alone on {entry.points} points."
            return (
                f"With {races} left, nobody can catch {name}'s {entry.points} points: the most anyone else can reach "
                f"is {_describe(reach)} ({self.label(chaser)})."
            )
        leader = max(rivals or [NEWCOMER], key=self.now)
        best = self.best(entry)
        if status == "eliminated":
            if not self.races:
                return f"No races left: {self.label(leader)} is ahead with {_describe(self.now(leader))}."
            return (
                f"Even winning {every} left, {name} reaches at most {_describe(best)}: "
                f"{self.label(leader)} already has {_describe(self.now(leader))}."
            )
        if self.now(entry) < self.now(leader):
            share = " (at best a share of first place)" if best == self.now(leader) else ""
            return (
                f"{name} can still reach {_describe(best)}{share}; {self.label(leader)} has "
                f"{_describe(self.now(leader))} with {races} left."
            )
        chaser = max(threats, key=self.best)
        level = " (level at best)" if self.now(leader) == self.now(entry) else ""
        return (
            f"{name} leads{level} with {_describe(self.now(entry))}; {self.label(chaser)} can still reach "
            f"{_describe(self.best(chaser))} with {races} left."
        )

    def label(self, entry: Entry) -> str:
        return self.short.get(entry.competitor, entry.name)

    def notes(self) -> tuple[str, ...]:
        notes = [
            "Assumes any competitor may start any remaining race in Division A (the most a place earns), "
            "that places are not shared (no dead heats), and that skaters without points yet may also score."
        ]
        if any(r.provisional for r in self.programme):
            notes.append(
                "Provisional: some remaining races depend on a rule that is not confirmed (see the programme)."
            )
        if not self.counting.every_result:
            notes.append(
                f"Counting: best {self.counting.best} results of at most {self.counting.most_races} races; "
                "the magic number is not computed."
            )
        return tuple(notes)


def _strongest(clauses: list[PlaceClause]) -> tuple[PlaceClause, ...]:
    """Drop clauses implied by another (a better place in at least as many races)."""
    kept = [c for c in clauses if not any(o != c and o.place <= c.place and o.races >= c.races for o in clauses)]
    return tuple(sorted(kept, key=lambda c: c.races))


def _describe(key: tuple[int, ...]) -> str:
    points = f"{key[0]} point{'s' if key[0] != 1 else ''}"
    return points if len(key) == 1 else f"{points} and {_count(key[1], 'win')}"


def _count(number: int, noun: str) -> str:
    return f"{_NUMBER_WORDS.get(number, str(number))} {noun}{'s' if number != 1 else ''}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _clause(clause: PlaceClause, total: int, scoring_places: int | None) -> str:
    if clause.place == 1:
        verb = "wins"
    elif clause.place == scoring_places:
        verb = "scores in"
    else:
        verb = f"finishes {_ordinal(clause.place)} or better in"
    if total == 1:
        where = "the remaining race"
    elif clause.races == total:
        where = "both remaining races" if total == 2 else f"all {_NUMBER_WORDS.get(total, str(total))} remaining races"
    elif clause.races == 1:
        least = "at least " if verb == "scores in" else ""
        where = f"{least}one of the {_NUMBER_WORDS.get(total, str(total))} remaining races"
    else:
        where = f"{_NUMBER_WORDS.get(clause.races, str(clause.races))} of the {_count(total, 'remaining race')}"
    return f"{verb} {where}"


def _sentences(
    engine: _Engine,
    name: str,
    pronoun: str,
    cup: str,
    magic: int | None,
    sure_if: tuple[PlaceClause, ...],
    sure_unless: tuple[tuple[str, tuple[PlaceClause, ...]], ...],
    needs: tuple[PlaceClause, ...],
    allowance: tuple[str, int] | None,
) -> tuple[str, ...]:
    total = engine.races
    lengths = {len(g.table) for g in engine.groups}
    scoring = lengths.pop() if len(lengths) == 1 else None
    possessive = {"he": "his", "she": "her"}.get(pronoun, "its")
    out: list[str] = []
    if sure_if:
        options = ", or ".join(_clause(c, total, scoring) for c in sure_if[:3])
        # The places are examples that are enough; any results worth the magic number are too.
        other = f", or with any other results worth {magic} more points" if magic else ""
        out.append(f"{name} is sure of {cup} if {pronoun} {options}{other}.")
    elif magic:
        out.append(f"Magic number {magic}: any {magic} more points make {name} sure of {cup}, whatever the others do.")
    if sure_unless:
        parts = []
        for rival, clauses in sure_unless:
            label = engine.short.get(rival, NEWCOMER.name)
            parts.append(f"{label} " + " and ".join(_clause(c, total, scoring) for c in clauses))
        out.append(f"Whatever {possessive} own results, {name} wins {cup} unless " + ", or ".join(parts) + ".")
    if needs or allowance:
        demands = [_clause(c, total, scoring) for c in needs]
        text = f"{name} can only win {cup} if {pronoun} " + " and ".join(demands) if demands else ""
        if allowance:
            leader = engine.short.get(allowance[0], allowance[0])
            limit = "scores nothing more" if allowance[1] == 0 else f"adds no more than {allowance[1]} points"
            text = f"{text} and {leader} {limit}" if text else f"{name} can only win {cup} if {leader} {limit}"
        out.append(text + ".")
    return tuple(out)


def _short_names(entries: Sequence[Entry]) -> dict[str, str]:
    """Surnames as commentators say them ("de Boo", "Stolz"); full names where two share one."""
    surnames = {e.competitor: _surname(e.name) for e in entries}
    counts: dict[str, int] = {}
    for surname in surnames.values():
        counts[surname] = counts.get(surname, 0) + 1
    return {
        e.competitor: surnames[e.competitor] if counts[surnames[e.competitor]] == 1 else _full_name(e.name)
        for e in entries
    }


def _capitalised(sentence: str) -> str:
    """A sentence that starts with a capital, even when it starts with a name ("De Boo can ...")."""
    return sentence[:1].upper() + sentence[1:]


def _name_case(word: str) -> str:
    """A family name as written in a sentence: ``STOLZ`` → ``Stolz``, ``MCLEOD`` → ``McLeod``."""
    cased = word.title()
    if cased.startswith("Mc") and len(cased) > 3:
        cased = "Mc" + cased[2:].title()
    return cased


def _full_name(name: str) -> str:
    """``Jordan STOLZ`` as ``Jordan Stolz``."""
    return " ".join(_name_case(w) if w.isupper() and len(w) > 1 else w for w in name.split())


def _surname(name: str) -> str:
    words = name.split()
    upper = [w for w in words if w.isupper() and any(ch.isalpha() for ch in w)]
    if not upper or len(upper) == len(words):
        return name
    parts = [_name_case(w) for w in upper]
    return " ".join(p.lower() if p.lower() in _PARTICLES and i < len(parts) - 1 else p for i, p in enumerate(parts))
