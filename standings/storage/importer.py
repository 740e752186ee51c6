"""Importing files into the store: one file, one transaction, a report of what happened.

Every file given, or found in a folder, gets one line in the report (``ImportReport.files``):
what it added, replaced or left unchanged, or why it was refused or is not a results file. A
refused file changes nothing, and the import goes on with the next file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import pandas as pd
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from standings.engine.points import award
from standings.errors import ImportRefused, UnknownSelection
from standings.model import Finding, RaceImport, ordinal, race_key
from standings.rules import rules_for
from standings.sources.isu_sheet import read_sheet
from standings.sources.plausibility import check_import, check_size
from standings.sources.results_csv import read_results_csv, schema
from standings.sources.short_track.podiums import read_podiums
from standings.sources.short_track.results_page import compare, read_results_page
from standings.sources.short_track.rounds import event_in, load_calendar, read_rounds, to_import
from standings.storage.shipped import default_data_dir
from standings.storage.store import Store

#: What happened to one file, as the report's line says.
FileOutcome = Literal["added", "replaced", "unchanged", "checked", "refused", "skipped"]


@dataclass(frozen=True)
class FileReport:
    """One file's line of the report.

    Attributes:
        file: The file (relative to its folder when found in one).
        outcome: ``added`` / ``replaced`` (a race new or changed; ``replaced`` when any race
            was), ``unchanged``, ``checked`` (a results page checked against a stored race),
            ``refused`` (nothing of it stored) or ``skipped`` (not a results file).
        detail: The races and what changed, or why it was refused or skipped.
    """

    file: str
    outcome: FileOutcome
    detail: str


@dataclass
class ImportReport:
    """What an import did, race by race and file by file.

    Attributes:
        added: ``(file, race_id)`` of races that were new.
        replaced: ``(file, race_id)`` of races whose stored results were replaced.
        unchanged: ``(file, race_id)`` of races stored already exactly so.
        checked: ``(file, race_id)`` of stored races a results page was checked against
            (what differs is recorded as findings; nothing else is written).
        refused: ``(file, error)`` of files refused; nothing of them was stored.
        skipped: ``(file, why)`` of files in a folder that are not results files.
        changes: ``race_id`` to what a replacement changed (``18 rows removed, 2 changed``).
        files: One line per file, in the order read.
    """

    added: list[tuple[str, str]] = field(default_factory=list)
    replaced: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    checked: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    changes: dict[str, str] = field(default_factory=dict)
    files: list[FileReport] = field(default_factory=list)


def _files(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    for path in paths:
        if path.is_dir():
            found = sorted(f for f in path.rglob("*") if f.is_file() and not _hidden(f.relative_to(path)))
            # Results pages check stored races, so they come after the files that store them.
            for file in sorted(found, key=lambda f: (_kind(f) == "st-results-page", f)):
                yield file, str(file.relative_to(path))
        else:
            yield path, path.name


def _hidden(relative: Path) -> bool:
    """Dot files and folders (``.DS_Store``, ``.git``) are not listed."""
    return any(part.startswith(".") for part in relative.parts)


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


def _not_results_csv(path: Path) -> str | None:
    """Why a CSV found in a folder is not a results CSV, or ``None`` when it is meant to be one.

    A header that shares at least three columns with the results CSV's (in any case, a
    byte-order mark or spaces aside) is meant to be one: it is read, and refused if wrong.
    """
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            header = next(csv.reader([handle.readline()]), [])
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    known = set(schema())
    shared = {h.strip().lower() for h in header} & known
    if len(shared) >= 3:
        return None
    return f"not a results CSV (its header has {len(shared)} of the results CSV's {len(known)} columns)"


def skipped_because(path: Path) -> str | None:
    """Why a file found in a folder is not imported (not a results file), or ``None`` to import it."""
    kind = _kind(path)
    if kind is None:
        return "not a results file (Rinkside imports ISU result sheet PDFs, results CSVs, rounds.csv, medals.json)"
    if kind == "results-csv":
        return _not_results_csv(path)
    return None


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
    """Import result files: official sheets (PDF), results CSVs, the short-track scrape and podium file.

    Every file is reported (``ImportReport.files``). Each file is read completely and checked
    (its own reader, then ``standings.sources.plausibility.check_import``) before anything is
    written, then written in its own transaction; a refused file changes nothing, and the
    import goes on. In a folder, files that are not results files are reported as skipped; a
    file named on its own is refused when it is not one.

    Args:
        store: Where to write.
        paths: Files and folders.
        aliases: Skater alias table (see ``standings.identity``).

    Returns:
        What was added, replaced, unchanged, refused and skipped.
    """
    report = ImportReport()
    before = _StoredRows(store)
    given = {Path(p) for p in paths}
    for file, name in _files(given):
        if file not in given and (why := skipped_because(file)) is not None:
            report.skipped.append((name, why))
            report.files.append(FileReport(name, "skipped", why))
            continue
        try:
            if not file.is_file():
                raise ImportRefused(name, "no such file")
            check_size(file, name)
            if _kind(file) == "st-results-page":
                race_id = _check_page(store, file, name)
                report.checked.append((name, race_id))
                report.files.append(FileReport(name, "checked", race_id))
                continue
            items = [check_import(item, name) for item in read_file(file, name, aliases=aliases)]
            _one_of_each(items, name)
            items = [replace(item, findings=(*item.findings, *points_differ(item))) for item in items]
            changes = {item.race.race_id: before.changes(item) for item in items}
            try:
                outcomes = store.import_races(items)
            except (DBAPIError, OverflowError) as error:
                cause = error.orig if isinstance(error, DBAPIError) else error
                raise ImportRefused(name, f"the store refused it: {cause}") from error
        except ImportRefused as error:
            report.refused.append((name, str(error)))
            report.files.append(FileReport(name, "refused", str(error)))
            continue
        except SQLAlchemyError as error:
            message = f"{name}: the store could not write it ({type(error).__name__})"
            report.refused.append((name, message))
            report.files.append(FileReport(name, "refused", message))
            continue
        except Exception as error:  # the last resort: no input file ends the import
            # A reader (or a library under it) met content it does not expect: refuse the file, name
            # the error, and go on. The fuzz tests fail on any refusal that ends up here.
            message = f"{name}: cannot be read ({type(error).__name__}: {error})"
            report.refused.append((name, message))
            report.files.append(FileReport(name, "refused", message))
            continue
        for race_id, outcome in outcomes:
            getattr(report, outcome).append((name, race_id))
            if outcome == "replaced" and changes.get(race_id):
                report.changes[race_id] = changes[race_id]
        report.files.append(_file_line(name, outcomes, report.changes))
    return report


def _one_of_each(items: Sequence[RaceImport], name: str) -> None:
    """Refuse a file that holds one race twice: the second would silently replace the first."""
    seen: set[str] = set()
    for item in items:
        race_id = item.race.race_id
        if race_id in seen:
            raise ImportRefused(
                name,
                f"{race_id} is in the file twice, from rows that differ in how they name the race "
                "(season, event, distance, gender or relay): nothing imported",
            )
        seen.add(race_id)


def _file_line(name: str, outcomes: Sequence[tuple[str, str]], changes: dict[str, str]) -> FileReport:
    """One file's line: its strongest outcome, and its races with what a replacement changed."""
    kinds = [outcome for _, outcome in outcomes]
    outcome: FileOutcome = "replaced" if "replaced" in kinds else "added" if "added" in kinds else "unchanged"
    if len(outcomes) == 1:
        race_id, single = outcomes[0]
        detail = race_id + (f" ({changes[race_id]})" if single == "replaced" and race_id in changes else "")
    else:
        counts = ", ".join(f"{kinds.count(k)} {k}" for k in ("added", "replaced", "unchanged") if k in kinds)
        replaced = [f"{r}: {changes[r]}" for r, o in outcomes if o == "replaced" and r in changes]
        detail = f"{len(outcomes)} races: {counts}"
        if len(outcomes) <= 5:  # a few races: name them
            detail += " (" + ", ".join(f"{r} {o}" for r, o in outcomes) + ")"
        detail += f"; {'; '.join(replaced)}" if replaced else ""
    return FileReport(name, outcome, detail)


class _StoredRows:
    """The stored results of the seasons an import touches, read once each before it writes: what a
    replacement changes is told from them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seasons: dict[tuple[str, str], pd.DataFrame] = {}

    def changes(self, item: RaceImport) -> str:
        """What writing ``item`` would change in its stored race: ``3 rows added, 18 removed, 2 changed``
        (empty when the race is not stored or no row changes)."""
        race = item.race
        key = (race.circuit, race.season)
        if key not in self.seasons:
            self.seasons[key] = self.store.results(*key)
        stored = self.seasons[key]
        old = stored[stored["race_id"] == race.race_id]
        if old.empty:
            return ""
        fields = ("rank", "status", "time", "official_points", "name", "nation")
        before = {
            str(row["competitor"]): tuple(None if pd.isna(row[f]) else str(row[f]) for f in fields)
            for _, row in old.iterrows()
        }
        after = {
            r.competitor: tuple(None if getattr(r, f) is None else str(getattr(r, f)) for f in fields)
            for r in item.results
        }
        added = len(after.keys() - before.keys())
        removed = len(before.keys() - after.keys())
        changed = sum(1 for k in after.keys() & before.keys() if after[k] != before[k])
        parts = [f"{n} rows {what}" for n, what in ((added, "added"), (removed, "removed"), (changed, "changed")) if n]
        return ", ".join(parts)


def points_differ(item: RaceImport) -> Iterator[Finding]:
    """Findings for printed World Cup points that the season's rules table does not give and no
    rules exception explains (a sheet may know better: the file is imported, the points kept)."""
    race = item.race
    try:
        rules = rules_for(race.circuit, race.season)
    except UnknownSelection:
        return
    for result in item.results:
        if result.official_points is None:
            continue
        expected = award(
            rules,
            race_id=race.race_id,
            season=race.season,
            kind=f"{race.gender}-{race.distance}",
            division=race.division,
            rank=result.rank,
            status=result.status,
            competitor=result.competitor,
            is_final=item.is_final,
        )
        if result.official_points != expected.points and not expected.note:
            place = ordinal(result.rank) if result.rank else "unranked"
            yield Finding(
                "points-differ",
                f"{race.source}: {result.name} ({place}) is printed with {result.official_points} points where "
                f"{rules.source_file} gives {expected.points}, and no rules exception explains it (the sheet's "
                "points are kept as printed; the standings count the rules' points until one does)",
            )
