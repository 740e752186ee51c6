"""The title race's search: who can still win, and what each contender needs, without enumerating outcomes.

See ``standings.engine.title_race`` for the assumptions and the complexity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from standings.engine.title_race import paths, wording
from standings.engine.title_race.types import (
    NEWCOMER,
    Contender,
    Counting,
    Entry,
    Path,
    PlaceClause,
    RemainingRace,
    Status,
)
from standings.engine.title_race.wording import capitalised


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


class Engine:
    """Statuses, maximum points, place conditions and magic numbers of one cup's competitors."""

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
        self.short = wording.short_names(entries)

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
        reason = capitalised(wording.reason(self, entry, status, rivals, threats))
        name = self.short[entry.competitor]
        magic: int | None = 0 if status == "clinched" else None
        sure_if: tuple[PlaceClause, ...] = ()
        sure_unless: tuple[tuple[str, tuple[PlaceClause, ...]], ...] = ()
        needs: tuple[PlaceClause, ...] = ()
        needs_at_most: tuple[str, int] | None = None
        path: Path | None = None
        if status == "contender":
            magic = self.magic_number(entry)
            sure_if = self.sure_clauses(entry)
            sure_unless = self.unless(entry, threats) or ()
            if top_now is not None and self.now(entry) < top_now:
                needs = self.needed(entry, top_now, level_counts=True)
                needs_at_most = self.leader_limit(entry, max(rivals, key=self.now))
                path = paths.path(self, entry, max(rivals, key=self.now))
        conditions = tuple(
            capitalised(c)
            for c in wording.sentences(
                self, name, pronoun, cup, magic, sure_if, sure_unless, needs, needs_at_most, path=path
            )
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
            path=path,
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


def _strongest(clauses: list[PlaceClause]) -> tuple[PlaceClause, ...]:
    """Drop clauses implied by another (a better place in at least as many races)."""
    kept = [c for c in clauses if not any(o != c and o.place <= c.place and o.races >= c.races for o in clauses)]
    return tuple(sorted(kept, key=lambda c: c.races))
