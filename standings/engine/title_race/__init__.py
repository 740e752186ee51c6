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
  then ``O(R * G)`` per competitor;
* a chaser's least demanding way to the cup (``Path``: "can win with as little as a
  14th place if Beune scores nothing more; winning all three, she can afford Beune two
  2nd places and a 4th place"): the fewest races with points, then the fewest points,
  read off subset-sum bit sets per count of wins and places (``O(R^2)`` counts per
  number of races for one table), and the leader's best beside them by a bounded subset
  sum per table (``O(P * R^2 * S / w)``), see ``paths``.

Nothing enumerates finishing orders; the tests compare every statement with an
enumeration of all finishing orders on small cases.

The package: ``types`` (the public types), ``search`` (statuses, clauses and the magic number,
by subset sums), ``paths`` (a chaser's least demanding way to the cup), ``wording`` (the
sentences users read). ``title_race`` puts them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from standings.engine.title_race.search import Engine
from standings.engine.title_race.types import (
    NEWCOMER,
    Contender,
    Counting,
    Entry,
    Finishes,
    Path,
    PlaceClause,
    RemainingRace,
    Status,
    TitleRace,
)
from standings.engine.title_race.wording import notes

__all__ = [
    "NEWCOMER",
    "Contender",
    "Counting",
    "Entry",
    "Finishes",
    "Path",
    "PlaceClause",
    "RemainingRace",
    "Status",
    "TitleRace",
    "title_race",
]


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
    engine = Engine(tuple(entries), tuple(programme), "wins" in tie_break, counting)
    contenders = tuple(engine.contender(e, cup=cup, pronoun=pronoun) for e in engine.ordered)
    return TitleRace(cup, tuple(programme), contenders, notes(engine))
