"""A chasing contender's least demanding way to the cup (``Path``), by subset sums over bit sets.

Only the competitor and the leader score in the statements (everyone else is held to the
most favourable: nothing more), so whether the competitor finishes first depends on its own
points and wins, the leader's, the others' current standing and the best place left to a
skater without points yet. Both searches below go over counts (races won, races with points)
and read points off bit sets of subset sums; nothing enumerates finishing orders.

* The least demanding own results: for ``m = 1, 2, ...`` races with points, every way to
  spread wins and other places with points over the points tables (``O(m^2)`` ways for one
  table), the fewest points of each from its bit set; the first ``m`` with any way wins.
* The leader's best results beside given own results: a bounded subset sum per table, by
  wins (the leader may take a place only in as many of the table's races as the competitor
  does not take it in).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING

from standings.engine.title_race.types import NEWCOMER, Entry, Finishes, Path

if TYPE_CHECKING:
    from standings.engine.title_race.search import Engine


@cache
def _pool(values: tuple[int, ...], caps: tuple[int, ...], size: int) -> tuple[tuple[int, ...], ...]:
    """Bit sets of sums of exactly ``c`` picks from ``values[i:]``, value ``k`` at most ``caps[k]`` times.

    Returns:
        ``suffix[i][c]`` for ``i = 0..len(values)`` and ``c = 0..size``.
    """
    suffix: list[tuple[int, ...]] = [(1,) + (0,) * size]
    for value, cap in zip(reversed(values), reversed(caps), strict=True):
        following = suffix[-1]
        current = [0] * (size + 1)
        for count, bits in enumerate(following):
            if bits:
                for more in range(min(cap, size - count) + 1):
                    current[count + more] |= bits << (more * value)
        suffix.append(tuple(current))
    return tuple(reversed(suffix))


def _pick(
    values: tuple[int, ...], caps: tuple[int, ...], size: int, count: int, total: int, *, start: int, most: bool
) -> list[int]:
    """How many of each of ``values[start:]`` make exactly ``count`` picks worth ``total``.

    Args:
        values: The values, best place first.
        caps: How often each value may be picked.
        size: The most picks the pool was built for.
        count: Picks to make.
        total: Their sum.
        start: The first value that may be picked.
        most: Take as many as possible of each value in turn (best places first), else as few
            as possible (the most even places).

    Raises:
        ValueError: If no picks make ``total`` (the caller checked the bit set first).
    """
    suffix = _pool(values, caps, size)
    picked: list[int] = []
    for index in range(start, len(values)):
        limit = min(caps[index], count)
        options = range(limit, -1, -1) if most else range(limit + 1)
        for times in options:
            rest = total - times * values[index]
            if rest >= 0 and suffix[index + 1][count - times] >> rest & 1:
                picked.append(times)
                count, total = count - times, rest
                break
        else:
            raise ValueError("no picks make that total")
    return picked


def _placed(table: tuple[int, ...], size: int) -> tuple[int, ...]:
    """Bit sets of the sums of exactly ``c`` places from 2nd on in races with this table, ``c = 0..size``."""
    values = table[1:]
    return _pool(values, (size,) * len(values), size)[0]


def _spreads(total: int, room: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Every way to spread ``total`` over slots holding at most ``room[i]`` each."""
    if not room:
        return [()] if total == 0 else []
    return [(first, *rest) for first in range(min(total, room[0]) + 1) for rest in _spreads(total - first, room[1:])]


def _lowest_at_least(bits: int, floor: int) -> int | None:
    """The smallest element of a bit set that is at least ``floor``."""
    floor = max(floor, 0)
    above = bits >> floor
    return floor + (above & -above).bit_length() - 1 if above else None


def _highest_at_most(bits: int, limit: int) -> int | None:
    if limit < 0:
        return None
    kept = bits & ((1 << (limit + 1)) - 1)
    return kept.bit_length() - 1 if kept else None


def _add(a: int, b: int) -> int:
    """Every sum of an element of ``a`` and one of ``b``."""
    out = 0
    while a:
        low = a & -a
        out |= b << (low.bit_length() - 1)
        a ^= low
    return out


def _splits_of(parts: Sequence[int], total: int) -> Iterator[list[int]]:
    """Every way to take one element of each bit set in ``parts`` so that they sum to ``total``."""
    if len(parts) == 1:
        if total >= 0 and parts[0] >> total & 1:
            yield [total]
        return
    rest = 1
    for bits in parts[1:]:
        rest = _add(rest, bits)
    first, value = parts[0], 0
    while first and value <= total:
        if first & 1 and rest >> (total - value) & 1:
            for tail in _splits_of(parts[1:], total - value):
                yield [value, *tail]
        first >>= 1
        value += 1


def _needed(engine: Engine, target: tuple[int, ...], wins: int) -> int:
    """The fewest points that, with ``wins`` wins, reach ``target`` (level is enough)."""
    if not engine.wins or wins >= target[1]:
        return target[0]
    return target[0] + 1


def _field(engine: Engine, entry: Entry) -> tuple[int, ...]:
    """The best key among everyone else now (at least a skater's without points yet)."""
    ahead = next((e for e in engine.ordered if e.competitor != entry.competitor), NEWCOMER)
    return max(engine.now(ahead), engine.now(NEWCOMER))


def _filler(engine: Engine, unwon: Sequence[bool]) -> tuple[int, ...]:
    """The best key of a skater without points yet: a win where the competitor does not win, else a 2nd place."""
    keys = [
        engine.key(g.table[0], 1) if free else engine.key(g.at(2), 0)
        for g, free in zip(engine.groups, unwon, strict=True)
    ]
    return max(keys)


def _even(finishes: Sequence[Finishes]) -> tuple[int, ...]:
    """Table by table, the places best first: the larger, the more even (the best place lowest)."""
    return tuple(p for f in finishes for p in f.places)


def _concise(finishes: Sequence[Finishes]) -> tuple[int, tuple[int, ...]]:
    """Fewest races with points, then table by table the best places first: the smaller, the more concise."""
    return sum(len(f.places) for f in finishes), tuple(p for f in finishes for p in f.places)


def least_own(engine: Engine, entry: Entry) -> tuple[tuple[Finishes, ...], tuple[int, ...]] | None:
    """The least demanding own results from which ``entry`` can still finish first (see ``Path.own``).

    Returns:
        The results per points table and the key they bring, or ``None`` when no results do.
    """
    groups = engine.groups
    field = _field(engine, entry)
    for races in range(1, engine.races + 1):
        found: list[tuple[int, int, tuple[int, ...], tuple[int, ...]]] = []
        for won in itertools.product(*(range(g.size + 1) for g in groups)):
            left = races - sum(won)
            if left < 0:
                continue
            room = tuple(g.size - w if len(g.table) > 1 else 0 for g, w in zip(groups, won, strict=True))
            base = entry.points + sum(g.table[0] * w for g, w in zip(groups, won, strict=True))
            target = max(field, _filler(engine, [w < g.size for g, w in zip(groups, won, strict=True)]))
            needed = _needed(engine, target, entry.wins + sum(won)) - base
            for placed in _spreads(left, room):
                bits = 1
                for group, count in zip(groups, placed, strict=True):
                    bits = _add(bits, _placed(group.table, group.size)[count])
                extra = _lowest_at_least(bits, needed)
                if extra is not None:
                    found.append((base + extra - entry.points, sum(won), won, placed))
        if not found:
            continue
        fewest = min(f[:2] for f in found)
        best: tuple[Finishes, ...] | None = None
        for gain, _, won, placed in (f for f in found if f[:2] == fewest):
            extra = gain - sum(g.table[0] * w for g, w in zip(groups, won, strict=True))
            parts = [_placed(g.table, g.size)[count] for g, count in zip(groups, placed, strict=True)]
            for split in _splits_of(parts, extra):
                own = []
                for group, w, count, total in zip(groups, won, placed, split, strict=True):
                    values = group.table[1:]
                    times = _pick(values, (group.size,) * len(values), group.size, count, total, start=0, most=False)
                    places = [1] * w + [place for place, n in enumerate(times, start=2) for _ in range(n)]
                    own.append(Finishes(group.table, group.size, tuple(places)))
                if best is None or _even(own) > _even(best):
                    best = tuple(own)
        assert best is not None
        return best, engine.key(entry.points + fewest[0], entry.wins + fewest[1])
    return None


def leader_best(engine: Engine, own: Sequence[Finishes], mine: tuple[int, ...], leader: Entry) -> tuple[Finishes, ...]:
    """The leader's results worth the most points that leave ``own`` (worth ``mine``) first (see ``Path``).

    The leader may take a place in a table's races only where the competitor did not take it.
    """
    limit = mine[0] - leader.points
    pools = []
    options: list[dict[int, int]] = []
    for group, finishes in zip(engine.groups, own, strict=True):
        # Wins first (their number is chosen below), then no points, then the other places.
        values = (group.table[0], 0, *group.table[1:])
        caps = (
            group.size - finishes.places.count(1),
            group.size,
            *(group.size - finishes.places.count(p) for p in range(2, len(group.table) + 1)),
        )
        suffix = _pool(values, caps, group.size)
        pools.append((values, caps))
        options.append(
            {
                won: suffix[1][group.size - won] << (won * group.table[0])
                for won in range(min(caps[0], group.size) + 1)
                if suffix[1][group.size - won]
            }
        )
    scored: list[tuple[int, tuple[int, ...]]] = []
    for won in itertools.product(*(sorted(o) for o in options)):
        bits = 1
        for option, w in zip(options, won, strict=True):
            bits = _add(bits, option[w])
        wins = leader.wins + sum(won)
        allowed = limit if not engine.wins or wins <= mine[1] else limit - 1
        points = _highest_at_most(bits, allowed)
        if points is not None:
            scored.append((points, won))
    if not scored:  # unreachable: scoring nothing more keeps the leader where the competitor passed it
        raise ValueError("the competitor does not finish first with these results")
    most = max(points for points, _ in scored)
    best: tuple[Finishes, ...] | None = None
    for won in (w for points, w in scored if points == most):
        for split in _splits_of([o[w] for o, w in zip(options, won, strict=True)], most):
            out = []
            for group, (values, caps), w, total in zip(engine.groups, pools, won, split, strict=True):
                rest = total - w * group.table[0]
                times = _pick(values, caps, group.size, group.size - w, rest, start=1, most=True)
                places = [1] * w + [place for place, n in enumerate(times[1:], start=2) for _ in range(n)]
                out.append(Finishes(group.table, group.size, tuple(places)))
            if best is None or _concise(out) < _concise(best):
                best = tuple(out)
    assert best is not None
    return best


def path(engine: Engine, entry: Entry, leader: Entry) -> Path | None:
    """``entry``'s least demanding way past ``leader`` to the cup, with every result counting.

    Returns:
        ``None`` when ``entry`` cannot finish first at all, or best-N counting applies.
    """
    if not engine.counting.every_result or not engine.races:
        return None
    least = least_own(engine, entry)
    if least is None:
        return None
    own, mine = least
    leader_then = leader_best(engine, own, mine, leader)
    all_won = tuple(Finishes(g.table, g.size, (1,) * g.size) for g in engine.groups)
    every = engine.key(entry.points + sum(f.points for f in all_won), entry.wins + engine.races)
    field = _field(engine, entry)
    if_all_won: tuple[Finishes, ...] | None = None
    if every >= max(field, _filler(engine, [False] * len(engine.groups))):
        seconds = leader.points + sum(g.at(2) * g.size for g in engine.groups)
        if engine.key(seconds, leader.wins) > every:
            if_all_won = leader_best(engine, all_won, every, leader)
    return Path(leader.competitor, own, leader_then, if_all_won)
