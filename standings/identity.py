"""Competitor identity that survives spelling variants across sheets.

A skater's key is the folded name plus the nation: ``Damian ŻUREK`` (POL) and
``Damian ZUREK`` (POL) both become ``damian-zurek-pol``. Folding removes case,
accents and the letters that Unicode does not decompose (Ł, Ø, ß, ...). What
folding cannot resolve (a changed nation, a transliteration) goes into an
explicit alias table, ``data/aliases.csv``: ``alias,competitor,reason``.

A nation team's key is ``team-`` plus the IOC code: ``team-usa``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from standings.errors import ImportRefused

# Letters that NFKD leaves alone but that a reader would call the same letter.
_UNDECOMPOSED: Final[dict[str, str]] = {
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
    "ı": "i",  # noqa: RUF001 - the Turkish dotless i is meant
}
TEAM_PREFIX: Final = "team-"
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Fold a name to lower-case ASCII words joined by hyphens.

    >>> fold("Damian ŻUREK")
    'damian-zurek'
    >>> fold("Aurora Grinden LØVÅS")
    'aurora-grinden-lovas'
    """
    lowered = text.casefold()
    lowered = "".join(_UNDECOMPOSED.get(ch, ch) for ch in lowered)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("-", ascii_only).strip("-")


def skater_key(name: str, nation: str) -> str:
    """The folded key of a skater, before aliases: ``damian-zurek-pol``."""
    return f"{fold(name)}-{nation.lower()}"


def team_key(nation: str) -> str:
    """The key of a nation team: ``team-usa``."""
    return f"{TEAM_PREFIX}{nation.lower()}"


def load_aliases(path: Path) -> dict[str, str]:
    """Read the alias table.

    Args:
        path: A CSV file with columns ``alias,competitor,reason``.

    Returns:
        A mapping from a folded key as produced by ``skater_key`` to the
        competitor key it stands for.

    Raises:
        ImportRefused: If the file has other columns, an empty cell, or an
            alias that points to another alias.
    """
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["alias", "competitor", "reason"]:
            raise ImportRefused(str(path), f"columns are {reader.fieldnames}, expected alias,competitor,reason")
        aliases: dict[str, str] = {}
        for line, row in enumerate(reader, start=2):
            for name in ("alias", "competitor", "reason"):
                if not (row[name] or "").strip():
                    raise ImportRefused(str(path), "empty cell", row=line, field=name)
            aliases[row["alias"].strip()] = row["competitor"].strip()
    for alias, target in aliases.items():
        if target in aliases:
            raise ImportRefused(str(path), f"alias {alias!r} points to another alias {target!r}")
    return aliases


def resolve(name: str, nation: str, aliases: Mapping[str, str]) -> str:
    """The competitor key of a skater, after the alias table."""
    key = skater_key(name, nation)
    return aliases.get(key, key)
