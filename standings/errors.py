"""Errors raised by the standings package.

Every error about input data names the file, and where it applies the row and
field, so that a user can find and fix the problem.
"""

from __future__ import annotations

from collections.abc import Sequence


class StandingsError(Exception):
    """Base class for every error this package raises on purpose."""


class ImportRefused(StandingsError):
    """A file was refused by an importer; nothing from it was stored.

    Args:
        source: The file (or other source) that was refused.
        problem: What is wrong, in words a user can act on.
        row: The 1-based result row on the sheet (or line in a text file), if any.
        field: The field that is wrong, if any.
    """

    def __init__(self, source: str, problem: str, *, row: int | None = None, field: str | None = None) -> None:
        self.source = source
        self.problem = problem
        self.row = row
        self.field = field
        where = source
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {problem}")


class UnknownSelection(StandingsError):
    """A circuit, season, cup or event that the loaded data does not have."""


class ImpossibleResult(StandingsError):
    """A result given by hand (a what-if's hypothetical result) that no race can have: outside
    the limits every imported result is held to (``standings/rules/plausibility/limits.toml``).
    Nothing of it was applied.

    Args:
        source: The result, in words (``what-if jordan-stolz-usa in the men-1000 at World Cup #2``).
        field: The impossible field (``rank``, ``time``, ``world_cup``).
        value: The value as given.
        problem: What is wrong, naming the value and what is possible.
    """

    def __init__(self, source: str, field: str, value: object, problem: str) -> None:
        self.source = source
        self.field = field
        self.value = value
        self.problem = problem
        super().__init__(f"{source}, field {field!r}: {problem}")


class StoreUnavailable(StandingsError):
    """The results store cannot be opened: a wrong database URL or setting, or no answer from the database.

    The message is one line: the URL (never its password), what is wrong and what to do.
    """


def require_columns(source: str, found: Sequence[str] | None, needed: Sequence[str]) -> None:
    """Refuse a table whose header lacks any of ``needed`` columns, naming them.

    Raises:
        ImportRefused: ``missing columns [...]``.
    """
    missing = [c for c in needed if c not in (found or [])]
    if missing:
        raise ImportRefused(source, f"missing columns {missing}")
