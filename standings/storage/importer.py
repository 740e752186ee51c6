"""Importing files into the store: one file, one transaction, a report of what happened."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from standings.errors import ImportRefused
from standings.model import RaceImport, race_key
from standings.sources.isu_sheet import read_sheet
from standings.sources.results_csv import read_results_csv, schema
from standings.sources.short_track.podiums import read_podiums
from standings.sources.short_track.results_page import compare, read_results_page
from standings.sources.short_track.rounds import event_in, load_calendar, read_rounds, to_import
from standings.storage.shipped import default_data_dir
from standings.storage.store import Store


@dataclass
class ImportReport:
    """What an import did, file by file.

    Attributes:
        added: ``(file, race_id)`` of races that were new.
        replaced: ``(file, race_id)`` of races whose stored results were replaced.
        unchanged: ``(file, race_id)`` of races stored already exactly so.
        checked: ``(file, race_id)`` of stored races a results page was checked against
            (what differs is recorded as findings; nothing else is written).
        refused: ``(file, error)`` of files refused; nothing of them was stored.
    """

    added: list[tuple[str, str]] = field(default_factory=list)
    replaced: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    checked: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _files(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    for path in paths:
        if path.is_dir():
            # In a folder, a CSV is read only if it is a results CSV (its header says so).
            found = [
                f
                for f in path.rglob("*")
                if f.is_file() and _kind(f) is not None and (_kind(f) != "results-csv" or _is_results_csv(f))
            ]
            # Results pages check stored races, so they come after the files that store them.
            for file in sorted(found, key=lambda f: (_kind(f) == "st-results-page", f)):
                yield file, str(file.relative_to(path))
        else:
            yield path, path.name


def _kind(path: Path) -> str | None:
    """Which importer reads a file: by its name, as the sources name their files."""
    if path.suffix.lower() == ".pdf":
        return "isu-sheet"
    if path.name == "rounds.csv":
        return "st-rounds"
    if path.name == "medals.json":
        return "st-podiums"
    if path.suffix.lower() in (".html", ".htm"):
        return "st-results-page"
    if path.suffix.lower() == ".csv":
        return "results-csv"
    return None


def _is_results_csv(path: Path) -> bool:
    with path.open(encoding="utf-8", errors="replace") as handle:
        return handle.readline().strip() == ",".join(schema())


def read_file(file: Path, name: str, *, aliases: dict[str, str] | None = None) -> list[RaceImport]:
    """Everything one file holds, read and checked completely, nothing written.

    Raises:
        ImportRefused: If the file is of no known kind or cannot be read.
    """
    kind = _kind(file)
    if kind == "isu-sheet":
        sheet = read_sheet(file, source=name, aliases=aliases)
        return [RaceImport(race=sheet.race, results=sheet.results, findings=sheet.findings)]
    calendar = load_calendar(default_data_dir() / "calendar.csv")
    if kind == "st-rounds":
        return [to_import(race, calendar, name) for race in read_rounds(file)]
    if kind == "st-podiums":
        items, _ = read_podiums(file, calendar)
        return items
    if kind == "results-csv":
        return read_results_csv(file, source=name)
    raise ImportRefused(
        name, "not a file Rinkside imports (ISU result sheet PDF, results CSV, rounds.csv or medals.json)"
    )


def _check_page(store: Store, file: Path, name: str) -> str:
    """Check a results page (one round of one race) against the stored race; record the differences.

    A page holds only one round, so it never replaces a race; the race must be stored already.

    Raises:
        ImportRefused: If the page cannot be read or its race is not stored.
    """
    page = read_results_page(file)
    calendar = load_calendar(default_data_dir() / "calendar.csv")
    world_cup, _ = event_in(calendar, "st-wc", page.season, page.city, name)
    race_id = race_key("st-wc", page.season, world_cup, page.gender, page.distance, "A", page.race_number)
    stored = store.results("st-wc", page.season)
    found = compare(page, race_id, stored[stored["race_id"] == race_id], name)
    if not store.check_race(race_id, found):
        raise ImportRefused(name, f"{race_id} is not stored: import the round-by-round results first")
    return race_id


def import_paths(store: Store, paths: Iterable[Path], *, aliases: dict[str, str] | None = None) -> ImportReport:
    """Import result files: official sheets (PDF), the short-track scrape and podium file.

    Folders are searched for ``*.pdf``, ``rounds.csv`` and ``medals.json``. Each
    file is read completely and checked before anything is written, then written
    in its own transaction; a refused file changes nothing.

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
            if _kind(file) == "st-results-page":
                report.checked.append((name, _check_page(store, file, name)))
                continue
            items = read_file(file, name, aliases=aliases)
            try:
                outcomes = store.import_races(items)
            except DBAPIError as error:
                raise ImportRefused(name, f"the store refused it: {error.orig}") from error
        except ImportRefused as error:
            report.refused.append((name, str(error)))
            continue
        for race_id, outcome in outcomes:
            getattr(report, outcome).append((name, race_id))
    return report
