"""Reading a view's selection from a shared link, safely.

Links carry ``circuit, season, cup, gender, after, skater, nations, event, race``. Each value is
checked against what the loaded data offers; anything unknown or hostile falls
back to the default and yields a notice in the reader's words ("This link asks for World Cup
999, which this season doesn't have; showing World Cup #4 · Calgary.") that quotes the
offending value in a form that is safe to show (shortened, printable characters only, escaped).
The notices are Markdown; the value and the default are escaped in them (``safe.plain``), since
either may hold imported or hostile text (a city, a skater's name, a crafted link).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

from standings.present.safe import plain
from standings.rules import Cup

T = TypeVar("T")

#: The query parameters a view understands.
PARAMETERS: Final = ("circuit", "season", "gender", "cup", "after", "skater", "nations", "event", "race")
_MAX_SHOWN: Final = 40
#: What each parameter asks for, in the reader's words (one, several), and what holds the choices.
_ASKS_FOR: Final[dict[str, tuple[str, str, str]]] = {
    "circuit": ("circuit", "circuits", "the dashboard"),
    "season": ("season", "seasons", "this circuit"),
    "gender": ("gender", "genders", "this season"),
    "cup": ("cup", "cups", "this season"),
    "after": ("World Cup", "World Cups", "this season"),
    "event": ("World Cup", "World Cups", "this season"),
    "race": ("race", "races", "this World Cup"),
    "skater": ("skater or team", "skaters or teams", "this season"),
    "nations": ("nation", "nations", "this season"),
}


def shown(value: str) -> str:
    """A link value made safe to quote in a notice: printable, no backticks, at most 40 characters.

    The notice shows it escaped (``safe.plain``), where Markdown and HTML are not interpreted.
    """
    printable = "".join(ch if ch.isprintable() and ch != "`" else "?" for ch in value)
    return printable if len(printable) <= _MAX_SHOWN else printable[: _MAX_SHOWN - 1] + "…"


@dataclass(frozen=True)
class Choice(Generic[T]):
    """The value chosen for one parameter, and the notice when the link's value was refused."""

    value: T
    notice: str | None = None


def choose(
    raw: str | None,
    options: Sequence[T],
    *,
    name: str,
    default: T,
    parse: Callable[[str], T] | None = None,
    describe: Callable[[T], str] = str,
) -> Choice[T]:
    """One value from a link, if it is one of ``options``; else the default, with a notice.

    Args:
        raw: The link's text for the parameter, or ``None`` when absent.
        options: The allowed values.
        name: The parameter's name, for the notice.
        default: The fallback.
        parse: Turns the text into a value (e.g. ``int``); a failure is a refusal.
        describe: How to name the default in the notice, as plain text (it is escaped here).
    """
    if raw is None or raw == "":
        return Choice(default)
    try:
        value = parse(raw) if parse is not None else raw
    except (TypeError, ValueError):
        value = None
    if value is not None and value in options:
        return Choice(value)  # type: ignore[arg-type]
    one, _, holder = _ASKS_FOR.get(name, (name, name, "this season"))
    return Choice(
        default,
        f"This link asks for {one} {plain(shown(raw))}, which {holder} doesn't have; "
        f"showing {plain(describe(default))}.",
    )


def choose_many(
    raw: str | Sequence[str] | None, options: Sequence[str], *, name: str, limit: int = 12
) -> Choice[tuple[str, ...]]:
    """Several values from a link (comma-separated or repeated); unknown ones are dropped with a notice."""
    if raw is None:
        return Choice(())
    parts = [raw] if isinstance(raw, str) else list(raw)
    values = [p.strip() for part in parts for p in part.split(",") if p.strip()]
    known = [v for v in dict.fromkeys(values) if v in options][:limit]
    unknown = [v for v in values if v not in options]
    if not unknown:
        return Choice(tuple(known))
    one, several, holder = _ASKS_FOR.get(name, (name, name, "this season"))
    quoted = ", ".join(plain(shown(v)) for v in unknown[:3]) + (" …" if len(unknown) > 3 else "")
    what = one if len(unknown) == 1 else several
    return Choice(tuple(known), f"This link asks for {what} {quoted}, which {holder} doesn't have; left out.")


def unknown_parameters(params: Mapping[str, object]) -> str | None:
    """A notice for parameters no view understands, or ``None``."""
    extra = [k for k in params if k not in PARAMETERS]
    if not extra:
        return None
    return "The link has parameters this dashboard does not use: " + ", ".join(f"`{shown(k)}`" for k in extra[:5]) + "."


def matching_cup(cup_id: str, options: Sequence[Cup], cups: Sequence[Cup]) -> str | None:
    """The cup among ``options`` that stands for ``cup_id`` (after a switch of gender, say).

    The same distance first (``men-1500`` → ``women-1500``); else the cup at the same place in
    the programme (``men-5000-10000`` → ``women-3000-5000``, the long-distance cups).

    Args:
        cup_id: The cup shown so far.
        options: The cups now offered.
        cups: Every cup of the season, in programme order.

    Returns:
        The matching cup's id, or ``None`` when nothing matches.
    """
    old = next((cup for cup in cups if cup.cup_id == cup_id), None)
    if old is None:
        return None
    distance = cup_id.removeprefix(f"{old.gender}-")
    for cup in options:
        if cup.cup_id.removeprefix(f"{cup.gender}-") == distance:
            return cup.cup_id
    place = [cup.cup_id for cup in cups if cup.gender == old.gender and cup.overall == old.overall].index(cup_id)
    alike = [cup.cup_id for cup in options if cup.overall == old.overall]
    return alike[place] if place < len(alike) else None
