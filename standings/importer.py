"""Importing files into the store: one file, one transaction, a report of what happened."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from standings.errors import ImportRefused
from standings.sources.isu_sheet import read_sheet
from standings.store import RaceImport, Store


@dataclass
class ImportReport:
    """What an import did, file by file.

    Attributes:
        added: ``(file, race_id)`` of races that were new.
        replaced: ``(file, race_id)`` of races whose stored results were replaced.
        unchanged: ``(file, race_id)`` of races stored already exactly so.
        refused: ``(file, error)`` of files refused; nothing of them was stored.
    """

    added: list[tuple[str, str]] = field(default_factory=list)
    replaced: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _files(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*.pdf")):
                yield file, str(file.relative_to(path))
        else:
            yield path, path.name


def import_paths(store: Store, paths: Iterable[Path], *, aliases: dict[str, str] | None = None) -> ImportReport:
    """Import official result sheets (files, or folders searched for ``*.pdf``).

    Each file is read completely and checked before anything is written, then
    written in its own transaction; a refused file changes nothing.

    Args:
        store: Where to write.
        paths: Files and folders.
        aliases: Skater alias table (see ``standings.identity``).

    Returns:
        What was added, replaced, unchanged and refused.
    """
    report = ImportReport()
    for file, name in _files(paths):
        try:
            if not file.is_file():
                raise ImportRefused(name, "no such file")
            sheet = read_sheet(file, source=name, aliases=aliases)
            item = RaceImport(race=sheet.race, results=sheet.results, findings=sheet.findings)
            try:
                ((race_id, outcome),) = store.import_races([item])
            except DBAPIError as error:
                raise ImportRefused(name, f"the store refused the race: {error.orig}") from error
        except ImportRefused as error:
            report.refused.append((name, str(error)))
            continue
        getattr(report, outcome).append((name, race_id))
    return report
