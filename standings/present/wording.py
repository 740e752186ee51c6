"""Sentences the pages show around the tables: what is left, who stands where, in the sport's words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from standings.engine.title_race import RemainingRace, TitleRace

_STATUS_WORDS = {
    "clinched": ("has clinched", "have clinched"),
    "contender": ("contender", "contenders"),
    "eliminated": ("eliminated", "eliminated"),
}


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 race``, ``2 races`` (``nouns``: an irregular plural)."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def races_left(race: TitleRace) -> str:
    """``2 races left: WC5 Inzell (final).``, or ``0 races left.``"""
    events = list(dict.fromkeys(r.label.split(":")[0] for r in race.programme))
    where = f": {', '.join(events)}." if events else "."
    return f"{plural(len(race.programme), 'race')} left{where}"


def programme_line(race: RemainingRace) -> str:
    """``WC5 Inzell (final): 500 m Men: 60 points to the winner`` (and why it is provisional)."""
    note = " (provisional: the field size at the final is not confirmed)" if race.provisional else ""
    return f"{race.label}: {race.table[0]} points to the winner{note}"


def status_summary(statuses: Iterable[str]) -> str:
    """``1 has clinched, 3 contenders, 20 eliminated.`` from every competitor's status."""
    counts = Counter(statuses)
    parts = [
        f"{counts[s]} {_STATUS_WORDS[s][0] if counts[s] == 1 else _STATUS_WORDS[s][1]}"
        for s in _STATUS_WORDS
        if counts.get(s)
    ]
    return ", ".join(parts) + "."


def magic_line(name: str, magic: int) -> str:
    """``Magic number for Jordan STOLZ: 50 more points and the cup is won.``"""
    return f"Magic number for {name}: {magic} more points and the cup is won."
