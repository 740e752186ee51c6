"""The normalized data shipped in ``data/``: plain CSV, one folder per circuit and season.

Layout::

    data/PROVENANCE.md                  where every file comes from
    data/aliases.csv                    skater aliases (see standings.identity)
    data/<circuit>/<season>/events.csv  event_id, world_cup, venue, city, country, is_final
    data/<circuit>/<season>/races.csv   the columns of model.RACE_COLUMNS (and start, where a race has one)
    data/<circuit>/<season>/results.csv race_id, row, then model.RESULT_COLUMNS
    data/<circuit>/<season>/findings.csv race_id, source, kind, message
    data/<circuit>/<season>/heats.csv   short track, where the source has heats: model.HEAT_COLUMNS
    data/<circuit>/<season>/laps.csv    long track, where the source has laps: model.LAP_COLUMNS

``open_store`` builds the store from these files on first use, and again
whenever they change (found by a fingerprint of their bytes).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, Final

import pandas as pd

from standings.errors import ImportRefused
from standings.identity import load_aliases
from standings.model import (
    FINDING_KINDS,
    HEAT_COLUMNS,
    LAP_COLUMNS,
    RACE_COLUMNS,
    RESULT_COLUMNS,
    Finding,
    Heat,
    Lap,
    Race,
    RaceImport,
    Result,
)
from standings.storage.store import Store

DATA_DIR_VARIABLE: Final = "RINKSIDE_DATA_DIR"
_FINGERPRINT_KEY: Final = "data_fingerprint"
_EVENT_COLUMNS: Final = ["event_id", "world_cup", "venue", "city", "country", "is_final"]


def default_data_dir() -> Path:
    """``RINKSIDE_DATA_DIR``, else the ``data/`` folder beside the package."""
    configured = os.environ.get(DATA_DIR_VARIABLE)
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "data"


def aliases(data_dir: Path | None = None) -> dict[str, str]:
    """The skater alias table shipped in ``data/aliases.csv``."""
    return load_aliases((data_dir or default_data_dir()) / "aliases.csv")


def fingerprint(data_dir: Path) -> str:
    """A digest of every CSV file under ``data_dir`` (names and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.rglob("*.csv")):
        digest.update(str(path.relative_to(data_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def write_season(store: Store, circuit: str, season: str, data_dir: Path) -> Path:
    """Write one season from the store as normalized CSV files.

    Returns:
        The season's folder.
    """
    folder = data_dir / circuit / season
    folder.mkdir(parents=True, exist_ok=True)
    # One snapshot: an import that commits meanwhile cannot split a race from its results.
    rows = store.season_rows(circuit, season)
    races = rows.races
    events = (
        races.groupby("event_id", sort=True)
        .agg(
            world_cup=("world_cup", "first"),
            venue=("venue", lambda s: s.mode().iloc[0]),
            city=("city", "first"),
            country=("country", "first"),
            is_final=("is_final", "first"),
        )
        .reset_index()
    )
    events[_EVENT_COLUMNS].to_csv(folder / "events.csv", index=False, lineterminator="\n")
    # The start time is a column only where a race has one (API races), so sheet seasons keep their files.
    timed = "start" in races and races["start"].notna().any()
    races[[*RACE_COLUMNS, "start"] if timed else list(RACE_COLUMNS)].to_csv(
        folder / "races.csv", index=False, lineterminator="\n"
    )
    results = rows.results
    results[["race_id", "row", *[c for c in RESULT_COLUMNS if c != "race_id"]]].to_csv(
        folder / "results.csv", index=False, lineterminator="\n"
    )
    findings = rows.findings if rows.findings is not None else store.findings(circuit, season)
    findings.to_csv(folder / "findings.csv", index=False, lineterminator="\n")
    heats = folder / "heats.csv"
    if rows.heats is not None and not rows.heats.empty:
        rows.heats[list(HEAT_COLUMNS)].to_csv(heats, index=False, lineterminator="\n")
    else:
        heats.unlink(missing_ok=True)
    laps = folder / "laps.csv"
    if rows.laps is not None and not rows.laps.empty:
        rows.laps[list(LAP_COLUMNS)].to_csv(laps, index=False, lineterminator="\n")
    else:
        laps.unlink(missing_ok=True)
    return folder


def _int(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def _str(value: Any) -> str | None:
    return None if pd.isna(value) else str(value)


def _read(path: Path, columns: dict[str, str]) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ImportRefused(str(path), f"missing columns {missing}")
    try:
        return frame.astype(columns)
    except (ValueError, TypeError) as error:
        raise ImportRefused(str(path), f"a value does not fit its column: {error}") from error


def read_season(folder: Path) -> Iterator[RaceImport]:
    """The races of one season folder, ready for ``Store.import_races``.

    Raises:
        ImportRefused: If a file lacks a column or a value does not fit its type.
    """
    events = _read(folder / "events.csv", {"event_id": "string", "is_final": "string"})
    finals = {row.event_id for row in events.itertuples() if str(row.is_final) == "True"}
    races = _read(folder / "races.csv", RACE_COLUMNS)
    results = _read(folder / "results.csv", {"row": "int64", **RESULT_COLUMNS})
    findings = _read(
        folder / "findings.csv", {"race_id": "string", "source": "string", "kind": "string", "message": "string"}
    )
    by_race = {key: group.sort_values("row") for key, group in results.groupby("race_id", sort=False)}
    heat_rows = _read(folder / "heats.csv", HEAT_COLUMNS) if (folder / "heats.csv").exists() else None
    heats_of = (
        {
            key: tuple(_heat(h) for h in group.sort_values("row").itertuples(index=False))
            for key, group in heat_rows.groupby("race_id", sort=False)
        }
        if heat_rows is not None
        else {}
    )
    lap_rows = _read(folder / "laps.csv", LAP_COLUMNS) if (folder / "laps.csv").exists() else None
    laps_of = (
        {
            key: tuple(_lap(lap) for lap in group.itertuples(index=False))
            for key, group in lap_rows.groupby("race_id", sort=False)
        }
        if lap_rows is not None
        else {}
    )
    notes: dict[str, list[Finding]] = {}
    for line, (race_id, kind, message) in enumerate(
        zip(findings["race_id"], findings["kind"], findings["message"], strict=True), start=2
    ):
        if kind not in FINDING_KINDS:
            where = str(folder / "findings.csv")
            raise ImportRefused(
                where, f"kind {kind!r} is not one of {', '.join(FINDING_KINDS)}", row=line, field="kind"
            )
        notes.setdefault(str(race_id), []).append(Finding(kind, str(message)))
    race_rows: list[dict[Any, Any]] = races.to_dict("records")
    for line, race_row in enumerate(race_rows, start=2):
        race = Race(
            circuit=str(race_row["circuit"]),
            season=str(race_row["season"]),
            world_cup=int(race_row["world_cup"]),
            distance=str(race_row["distance"]),
            gender=str(race_row["gender"]),
            division=str(race_row["division"]),
            race_number=int(race_row["race_number"]),
            day=None if pd.isna(race_row["day"]) else date.fromisoformat(str(race_row["day"])),
            venue=_str(race_row["venue"]) or "",
            city=_str(race_row["city"]) or "",
            country=_str(race_row["country"]) or "",
            source=str(race_row["source"]),
        )
        if race.race_id != race_row["race_id"]:
            raise ImportRefused(
                str(folder / "races.csv"), f"race_id should be {race.race_id}", row=line, field="race_id"
            )
        rows = by_race.get(race.race_id)
        if rows is None:
            raise ImportRefused(str(folder / "results.csv"), f"no results for {race.race_id}")
        yield RaceImport(
            race=race,
            results=tuple(_result(r, race.distance == "mass-start") for r in rows.itertuples(index=False)),
            findings=tuple(notes.get(race.race_id, [])),
            is_final=race.event_id in finals,
            heats=heats_of.get(race.race_id, ()),
            laps=laps_of.get(race.race_id, ()),
            start=_str(race_row.get("start")),
        )


def _lap(row: Any) -> Lap:
    return Lap(
        competitor=str(row.competitor),
        lap=int(row.lap),
        lap_time=_str(row.lap_time),
        passage_time=_str(row.passage_time),
        rank=_int(row.rank),
    )


def _heat(row: Any) -> Heat:
    return Heat(
        competitor=str(row.competitor),
        round=str(row.round),
        heat=int(row.heat),
        place=_int(row.place),
        status=str(row.status),
        time=_str(row.time),
        qualification=_str(row.qualification),
        start_position=_int(row.start_position),
        warning=_str(row.warning),
    )


def _result(row: Any, mass_start: bool) -> Result:
    sprints = tuple(_int(v) for v in (row.s1, row.s2, row.s3, row.s4))
    return Result(
        rank=_int(row.rank),
        bib=_int(row.bib),
        competitor=str(row.competitor),
        name=str(row.name),
        nation=str(row.nation),
        status=str(row.status),
        time=_str(row.time),
        time_behind=_str(row.time_behind),
        official_points=_int(row.official_points),
        points_marker=_str(row.points_marker),
        annotations=tuple(str(row.annotations).split(",")) if _str(row.annotations) else (),
        pair=_int(row.pair),
        lane=_str(row.lane),
        laps=_int(row.laps),
        sprint_points=sprints if mass_start else (),
        sprint_total=_int(row.sprint_total),
        heat=_int(row.heat),
        finish_side=_str(row.finish_side),
        round=_str(row.round),
    )


def seed(store: Store, data_dir: Path | None = None) -> bool:
    """Build the store from the shipped data if it was not built from these exact files.

    All seasons are written in one transaction.

    Returns:
        Whether anything was (re)imported.
    """
    folder = data_dir or default_data_dir()
    digest = fingerprint(folder)
    if store.get_meta(_FINGERPRINT_KEY) == digest:
        return False
    items = [
        item
        for season in sorted(folder.glob("*/*/"))
        if (season / "races.csv").exists()
        for item in read_season(season)
    ]
    store.import_races(items, meta={_FINGERPRINT_KEY: digest})
    return True


def open_store(url: str | None = None, data_dir: Path | None = None) -> Store:
    """Open the store and make sure it holds the shipped data.

    Args:
        url: Database URL; defaults to ``RINKSIDE_DATABASE_URL`` or a SQLite file.
        data_dir: The normalized data; defaults to ``default_data_dir()``.

    Raises:
        StoreUnavailable: The database cannot be opened (a bad URL or setting, no answer).
        SchemaMismatch: The database's schema is not this release's (see ``Store``).
        ImportRefused: A file of the shipped data does not fit its columns.
    """
    store = Store(url)
    seed(store, data_dir)
    return store
