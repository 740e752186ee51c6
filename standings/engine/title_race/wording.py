"""The title race in words: reasons, conditions and notes as a commentator would say them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from standings.engine.title_race.types import NEWCOMER, Entry, Finishes, Path, PlaceClause, Status
from standings.model import ordinal

if TYPE_CHECKING:
    from standings.engine.title_race.search import Engine

_NUMBER_WORDS: Final = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}
_PARTICLES: Final = frozenset({"de", "den", "der", "van", "von", "ter", "te", "di", "da", "du", "le", "la"})


def reason(engine: Engine, entry: Entry, status: Status, rivals: list[Entry], threats: list[Entry]) -> str:
    """Why a competitor has its status, with the numbers (one sentence)."""
    races = _count(engine.races, "race")
    every = {1: "the one race", 2: "both races"}.get(engine.races, f"all {races}")
    name = engine.short[entry.competitor]
    if status == "clinched":
        if not rivals and not engine.races:
            return f"{name} is the only competitor with points and no races are left."
        chaser = max(engine.rivals(entry, newcomer=True), key=engine.best)
        reach = engine.best(chaser)
        if not engine.races:
            return f"No races left: {name} leads alone on {entry.points} points."
        return (
            f"With {races} left, nobody can catch {name}'s {entry.points} points: the most anyone else can reach "
            f"is {_describe(reach)} ({label(engine, chaser)})."
        )
    leader = max(rivals or [NEWCOMER], key=engine.now)
    best = engine.best(entry)
    if status == "eliminated":
        if not engine.races:
            return f"No races left: {label(engine, leader)} is ahead with {_describe(engine.now(leader))}."
        return (
            f"Even winning {every} left, {name} reaches at most {_describe(best)}: "
            f"{label(engine, leader)} already has {_describe(engine.now(leader))}."
        )
    if engine.now(entry) < engine.now(leader):
        share = " (at best a share of first place)" if best == engine.now(leader) else ""
        return (
            f"{name} can still reach {_describe(best)}{share}; {label(engine, leader)} has "
            f"{_describe(engine.now(leader))} with {races} left."
        )
    chaser = max(threats, key=engine.best)
    level = " (level at best)" if engine.now(leader) == engine.now(entry) else ""
    return (
        f"{name} leads{level} with {_describe(engine.now(entry))}; {label(engine, chaser)} can still reach "
        f"{_describe(engine.best(chaser))} with {races} left."
    )


def label(engine: Engine, entry: Entry) -> str:
    """How sentences name a competitor."""
    return engine.short.get(entry.competitor, entry.name)


def notes(engine: Engine) -> tuple[str, ...]:
    """The assumptions every statement of a title race shares, in words."""
    notes = [
        "Assumes any competitor may start any remaining race in Division A (the most a place earns), "
        "that places are not shared (no dead heats), and that skaters without points yet may also score."
    ]
    if any(r.provisional for r in engine.programme):
        notes.append("Provisional: some remaining races depend on a rule that is not confirmed (see the programme).")
    if not engine.counting.every_result:
        notes.append(
            f"Counting: best {engine.counting.best} results of at most {engine.counting.most_races} races; "
            "the magic number is not computed."
        )
    return tuple(notes)


def _describe(key: tuple[int, ...]) -> str:
    points = f"{key[0]} point{'s' if key[0] != 1 else ''}"
    return points if len(key) == 1 else f"{points} and {_count(key[1], 'win')}"


def _count(number: int, noun: str) -> str:
    return f"{_NUMBER_WORDS.get(number, str(number))} {noun}{'s' if number != 1 else ''}"


def _clause(clause: PlaceClause, total: int, scoring_places: int | None) -> str:
    if clause.place == 1:
        verb = "wins"
    elif clause.place == scoring_places:
        verb = "scores in"
    else:
        verb = f"finishes {ordinal(clause.place)} or better in"
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


def sentences(
    engine: Engine,
    name: str,
    pronoun: str,
    cup: str,
    magic: int | None,
    sure_if: tuple[PlaceClause, ...],
    sure_unless: tuple[tuple[str, tuple[PlaceClause, ...]], ...],
    needs: tuple[PlaceClause, ...],
    allowance: tuple[str, int] | None,
    *,
    path: Path | None = None,
) -> tuple[str, ...]:
    """A contender's conditions as sentences: sure if ..., magic number, unless ..., what it needs.

    What a contender behind the leader needs is said with ``path`` (``path_sentence``) when
    it can be; otherwise with ``needs`` and ``allowance`` ("can only win if ...").
    """
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
    worded = path_sentence(engine, name, pronoun, cup, path) if path is not None else None
    if worded is not None:
        out.append(worded)
    elif needs or allowance:
        demands = [_clause(c, total, scoring) for c in needs]
        text = f"{name} can only win {cup} if {pronoun} " + " and ".join(demands) if demands else ""
        if allowance:
            leader = engine.short.get(allowance[0], allowance[0])
            limit = "scores nothing more" if allowance[1] == 0 else f"adds no more than {allowance[1]} points"
            text = f"{text} and {leader} {limit}" if text else f"{name} can only win {cup} if {leader} {limit}"
        out.append(text + ".")
    return tuple(out)


def path_sentence(engine: Engine, name: str, pronoun: str, cup: str, path: Path) -> str | None:
    """A chasing contender's least demanding way to the cup in the sport's words (see ``Path``).

    E.g. "Takagi can win the cup with as little as a 14th place if Beune and the others score nothing more;
    winning all three remaining races, she can afford Beune two 2nd places and a 4th place." Every part
    is a case that still ends with the contender first (alone or shared), everyone else
    scoring nothing more: the own results are the least demanding that can, the leader's
    the most points that then can. "Can only win ... by winning all three remaining races" is
    said when nothing less can, "and only if Beune scores nothing more" when even winning
    every race leaves the leader nothing.

    Returns:
        ``None`` when the results cannot be told apart in words (several points tables that
        are not just the final's and the others').
    """
    own = _finishes(engine, path.own)
    then = _finishes(engine, path.leader_then)
    best = None if path.if_all_won is None else _finishes(engine, path.if_all_won)
    if own is None or then is None or (path.if_all_won is not None and best is None):
        return None
    leader = engine.short.get(path.leader, path.leader)
    total = engine.races
    every = {1: "the remaining race", 2: "both remaining races"}.get(total, f"all {_count(total, 'remaining race')}")
    # The case assumes everyone else scores nothing more: said, so that it is not repeated on air
    # as "18th is enough" while a third skater could still pass both.
    held = (
        f"{leader} and the others score nothing more"
        if not then
        else f"{leader} scores no more than {then} and the others nothing more"
    )
    if path.wins_everything:
        if path.if_all_won is None:
            return f"{name} can only win {cup} by winning {every}."
        # A condition that is needed (not one that is enough): the leader's alone.
        needed = f"{leader} scores nothing more" if not then else f"{leader} scores no more than {then}"
        return f"{name} can only win {cup} by winning {every}, and only if {needed}."
    if best == "" and all(len(g.table) > 1 for g in engine.groups):
        # The leader would score in any outcome it scores in with every race won by the contender.
        return f"{name} can win {cup} with as little as {own}, and only if {leader} scores nothing more."
    text = f"{name} can win {cup} with as little as {own} if {held}"
    if best:
        text += f"; winning {every}, {pronoun} can afford {leader} {best}"
    elif best == "":
        text += f"; even winning {every}, {pronoun} needs {leader} to score nothing more"
    return text + "."


def _finishes(engine: Engine, finishes: Sequence[Finishes]) -> str | None:
    """Places in words: "two wins and a 5th place", "a 2nd place in the final"; "" for none."""
    tables = {f.table for f in finishes if f.places}
    label: dict[tuple[int, ...], str] = {}
    if len(engine.groups) > 1:
        final = {r.table for r in engine.programme if r.final}
        others = {r.table for r in engine.programme if not r.final}
        if len(final) != 1 or final & others or len(others) != len(engine.groups) - 1:
            return None
        label = {table: " in the final" if table in final else "" for table in tables}
        if len(others) > 1 and any(t in others for t in tables):
            return None
    parts: list[str] = []
    for f in finishes:
        counts: dict[int, int] = {}
        for place in f.places:
            counts[place] = counts.get(place, 0) + 1
        for place, times in counts.items():
            if place == 1:
                words = "a win" if times == 1 else f"{_NUMBER_WORDS.get(times, str(times))} wins"
            else:
                noun = f"{ordinal(place)} place"
                article = "an" if place in (8, 11, 18) or str(place).startswith("8") else "a"
                words = f"{article} {noun}" if times == 1 else f"{_NUMBER_WORDS.get(times, str(times))} {noun}s"
            parts.append(words + label.get(f.table, ""))
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1] if parts else ""


def short_names(entries: Sequence[Entry]) -> dict[str, str]:
    """Surnames as commentators say them ("de Boo", "Stolz"); full names where two share one."""
    surnames = {e.competitor: _surname(e.name) for e in entries}
    counts: dict[str, int] = {}
    for surname in surnames.values():
        counts[surname] = counts.get(surname, 0) + 1
    return {
        e.competitor: surnames[e.competitor] if counts[surnames[e.competitor]] == 1 else _full_name(e.name)
        for e in entries
    }


def capitalised(sentence: str) -> str:
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
