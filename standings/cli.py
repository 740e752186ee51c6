"""The ``standings`` command line.

Examples::

    standings import ../shared/data/lt-world-cup-2025-26
    standings cups --circuit lt-wc --season 2025-26
    standings table --circuit lt-wc --season 2025-26 --cup men-500 --after 2 --format csv
    standings medals --circuit lt-wc --season 2025-26 --format csv
    standings validate --circuit st-wc --season 2019-20
    standings export --circuit lt-wc --season 2025-26 --out data
    standings scenarios --circuit lt-wc --season 2025-26 --cup men-500 --after 2 --format json
    standings qualification --games 2026 --after 2 --event men-1000 --format csv
    standings qualification --games 2026 --after 4 --summary    # quota places per country
    standings sync --circuit lt-wc --season 2026-27            # from the ISU results API
    standings sync --circuit lt-wc --watch --interval 60       # follow the current season
    standings event --circuit st-wc --season 2019-20 --event 1                        # the programme
    standings event --circuit lt-wc --season 2025-26 --event 4 --race men-mass-start-a --format csv
    standings event --circuit st-wc --season 2019-20 --event 1 --race men-1500-a-1 --table heats
    standings db status                                        # the database's schema revision
    standings db upgrade                                       # bring it to the newest revision
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, TextIO

import pandas as pd

from standings.columns import CLI_QUALIFICATION, CLI_TABLE, names
from standings.engine.qualification import load_qualification
from standings.errors import StandingsError, UnknownSelection
from standings.present import event
from standings.present.safe import csv_cell
from standings.season import Season, season_from_store
from standings.sources.isu_api import BASE_URL_VARIABLE, IsuApi
from standings.storage import schema
from standings.storage.importer import import_paths
from standings.storage.programme import load_programme
from standings.storage.shipped import aliases, default_data_dir, open_store, write_season
from standings.storage.store import Store, default_cache_dir, open_engine
from standings.storage.sync import current_season, sync_season
from standings.storage.watch import WatchPlan, watch


def _write(frame: pd.DataFrame, fmt: str, out: TextIO) -> None:
    """The CLI's one output layer: a table as aligned text, CSV or JSON.

    CSV is for spreadsheets, so a formula-like text cell is kept as text (``safe.csv_cell``);
    rows end with CRLF (RFC 4180), which makes the writer quote a cell holding a carriage
    return: unquoted, a spreadsheet would start a new row there, with a cell not neutralised.
    """
    if fmt == "csv":
        frame.map(csv_cell).to_csv(out, index=False, lineterminator="\r\n")
    elif fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif frame.empty:
        out.write("(nothing)\n")
    else:
        out.write(frame.to_string(index=False) + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="standings", description="ISU World Cup standings from official results.")
    parser.add_argument("--database", help="database URL (default: RINKSIDE_DATABASE_URL or a SQLite file)")
    commands = parser.add_subparsers(dest="command", required=True)

    def season_args(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--circuit", required=True, help="circuit id, e.g. lt-wc")
        sub.add_argument("--season", required=True, help="season, e.g. 2025-26")
        sub.add_argument("--format", choices=["text", "csv", "json"], default="text")

    imp = commands.add_parser("import", help="import official result sheets (files or folders)")
    imp.add_argument("paths", nargs="+", type=Path)
    imp.add_argument("--format", choices=["text", "csv", "json"], default="text")
    season_args(commands.add_parser("cups", help="list a season's cups"))
    table = commands.add_parser("table", help="a cup's standings")
    season_args(table)
    table.add_argument("--cup", required=True, help="cup id, e.g. men-500 (see 'standings cups')")
    table.add_argument("--after", type=int, help="standings after this World Cup (default: latest)")
    medals = commands.add_parser("medals", help="the nation medal table")
    season_args(medals)
    medals.add_argument("--after", type=int, help="count World Cups up to this one (default: all)")
    medals.add_argument("--order", choices=["gold", "total"], default="gold")
    scenarios = commands.add_parser("scenarios", help="who can still win a cup, and what each contender needs")
    season_args(scenarios)
    scenarios.add_argument("--cup", required=True, help="cup id, e.g. men-500 (see 'standings cups')")
    scenarios.add_argument("--after", type=int, help="as of this World Cup (default: latest)")
    scenarios.add_argument(
        "--remaining", type=int, help="instead of the season's programme: this many races of the cup remain"
    )
    scenarios.add_argument("--multiplier", type=float, default=1.0, help="points multiplier of --remaining races")
    qualification = commands.add_parser("qualification", help="an Olympic event's qualification classification")
    qualification.add_argument(
        "--games", type=int, choices=[2018, 2026], required=True, help="the Winter Games' year (2018: rules incomplete)"
    )
    qualification.add_argument("--after", type=int, help="as of this qualifying World Cup (default: latest)")
    which = qualification.add_mutually_exclusive_group(required=True)
    which.add_argument("--event", help="event id, e.g. men-1000 or women-team-pursuit")
    which.add_argument("--summary", action="store_true", help="quota places per country and gender, every event")
    qualification.add_argument("--format", choices=["text", "csv", "json"], default="text")
    event = commands.add_parser("event", help="one World Cup: its programme, or one race's full result")
    season_args(event)
    event.add_argument("--event", type=int, required=True, help="the World Cup's number in the season")
    event.add_argument(
        "--race", help="a race of that World Cup: its id (lt-wc/2025-26/wc4/men-500-a-1) or the id's last part"
    )
    event.add_argument(
        "--table",
        choices=["result", "pairs", "heats", "rounds", "laps"],
        default="result",
        help="with --race: the full result (default), the pairs (long track), every heat and the rounds "
        "(short track), or every lap passage (long track, where the source has laps)",
    )
    validate = commands.add_parser("validate", help="what the importers found wrong or missing in a season's sources")
    season_args(validate)
    sync = commands.add_parser("sync", help="fetch a season's World Cup results from the ISU results API")
    sync.add_argument("--circuit", default="lt-wc", choices=["lt-wc"], help="only long track is in the API")
    sync.add_argument("--season", help="season, e.g. 2011-12 (default: the current one)")
    sync.add_argument("--event", type=int, help="only this World Cup (its number in the season)")
    sync.add_argument("--api-url", help=f"the API's base URL (default: {BASE_URL_VARIABLE} or the ISU's)")
    sync.add_argument(
        "--cache",
        type=Path,
        help="folder for the API responses, so nothing unchanged is downloaded again (default: the user cache)",
    )
    sync.add_argument("--format", choices=["text", "csv", "json"], default="text")
    sync.add_argument("--watch", action="store_true", help="keep syncing the season: a long-running worker")
    sync.add_argument("--interval", type=float, default=60.0, help="seconds between syncs during an event (--watch)")
    sync.add_argument("--idle-interval", type=float, default=3600.0, help="seconds between syncs between events")
    sync.add_argument(
        "--retry-interval", type=float, default=120.0, help="seconds before retrying a failed sync (--watch)"
    )
    sync.add_argument(
        "--reread-interval",
        type=float,
        default=6 * 3600.0,
        help="seconds between watch rounds that ask for every race, changed or not (the first round is one)",
    )
    sync.add_argument(
        "--reread", action="store_true", help="ask for every race's results, even those whose lastUpdate is unchanged"
    )
    sync.add_argument("--rounds", type=int, help="stop watching after this many syncs (default: never)")
    sync.add_argument("--duration", type=float, help="stop watching after this many seconds (default: never)")
    db = commands.add_parser("db", help="the database's schema: its revision, and upgrading it")
    db.add_argument(
        "action",
        choices=["status", "upgrade"],
        help="status: the revision it is at; upgrade: apply the migrations it lacks (creates an empty database)",
    )
    export = commands.add_parser("export", help="write a season from the store as normalized CSV")
    export.add_argument("--circuit", required=True)
    export.add_argument("--season", required=True)
    export.add_argument("--out", type=Path, default=None, help="data folder (default: the shipped data/)")
    return parser


#: The exit status of a command whose reader went away (``standings ... | head``), as a shell
#: reports a Unix tool stopped by SIGPIPE: 128 + 13.
READER_GONE: Final = 128 + signal.SIGPIPE if hasattr(signal, "SIGPIPE") else 1


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 refused input, 2 usage, 141 reader gone).

    When the output's reader stops reading (``standings event ... --format csv | head -1``), the
    command stops quietly, as Unix tools do: no traceback, exit status 141.
    """
    stdout = out or sys.stdout
    try:
        return _main(argv, stdout, err or sys.stderr)
    except BrokenPipeError:
        _reader_gone(stdout)
        return READER_GONE


def _reader_gone(stdout: TextIO) -> None:
    """Point the closed output at the null device, so that Python's flush at exit does not fail again
    (and print "Exception ignored ... BrokenPipeError")."""
    try:
        fileno = stdout.fileno()
    except (OSError, ValueError):  # not a file (a test's StringIO): nothing is flushed at exit
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fileno)
    finally:
        os.close(null)


def _main(argv: Sequence[str] | None, stdout: TextIO, stderr: TextIO) -> int:
    args = _parser().parse_args(argv)
    if args.command == "db":
        return _db(args, stdout, stderr)
    try:
        store = open_store(args.database)
    except StandingsError as error:
        stderr.write(f"standings: {error}\n")
        return 1
    try:
        return _run(args, store, stdout, stderr)
    except StandingsError as error:
        stderr.write(f"standings: {error}\n")
        return 1
    finally:
        store.close()


def _db(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``standings db status|upgrade``: without seeding, so that an upgrade is all that is written."""
    try:
        engine = open_engine(args.database)  # the store's own options, and its errors for a bad URL
        try:
            with engine.connect() as connection:
                before = schema.state(connection)
        finally:
            engine.dispose()
        if args.action == "status":
            out.write(f"{before.describe()}\n")
            return 0 if before.current else 1
        store = Store(args.database, upgrade=True)  # under the store's write lock, in one transaction
        store.close()
        after = store.schema
        if before.current:
            out.write(f"already at revision {after.revision}, the newest\n")
        elif before.empty:
            out.write(f"created at revision {after.revision}, the newest\n")
        else:
            made = " (made by Rinkside 0.1.0)" if before.legacy else ""
            out.write(f"upgraded from revision {before.revision}{made} to {after.revision}, the newest\n")
        return 0
    except StandingsError as error:
        err.write(f"standings: {error}\n")
        return 1


def _sync(args: argparse.Namespace, store: Store, out: TextIO, err: TextIO) -> int:
    season = args.season or current_season(datetime.now(UTC).date())
    cache = args.cache or default_cache_dir() / "isu-api"
    with IsuApi(args.api_url, cache=cache) as api:
        if args.watch:
            return _watch(args, store, api, season, err)
        report = sync_season(store, api, season, event=args.event, aliases=aliases(), reread=args.reread)
    rows = [{"outcome": r.outcome, "race": r.title, "detail": r.reason} for r in report.races]
    _write(pd.DataFrame(rows, columns=["outcome", "race", "detail"]), args.format, out)
    for note in report.notes:
        err.write(f"note: {note}\n")
    for refused in report.refused:
        err.write(f"refused event: {refused}\n")
    counts = {o: sum(r.outcome == o for r in report.races) for o in dict.fromkeys(r.outcome for r in report.races)}
    summary = ", ".join(f"{n} {o}" for o, n in counts.items()) or "no races"
    if report.refused:
        summary += f", {len(report.refused)} events refused"
    err.write(f"{summary}; {report.requests} requests, {report.downloads} downloaded\n")
    if not report.changed:
        err.write("nothing changed\n")
    return 1 if counts.get("refused") or report.refused else 0


def _watch(args: argparse.Namespace, store: Store, api: IsuApi, season: str, err: TextIO) -> int:
    """``sync --watch``: until ``--rounds`` or ``--duration``, or Ctrl-C / SIGTERM (exit 0 either way)."""
    limit = time.monotonic() + args.duration if args.duration is not None else None

    def emit(line: str) -> None:
        err.write(f"{datetime.now(UTC).isoformat(timespec='seconds')} {line}\n")
        err.flush()

    # SIGTERM (a service manager stopping the worker) ends it as Ctrl-C does: the round in hand is
    # cut short, and its event's transaction rolls back whole.
    main_thread = threading.current_thread() is threading.main_thread()  # only it may set handlers
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler) if main_thread else None
    plan = WatchPlan(
        interval=args.interval,
        idle_interval=args.idle_interval,
        retry_interval=args.retry_interval,
        reread_interval=args.reread_interval,
    )
    try:
        watch(store, api, season, plan=plan, aliases=aliases(), rounds=args.rounds, until=limit, emit=emit)
    except KeyboardInterrupt:
        emit(f"watch {season} stopped (interrupted); nothing was left half-written")
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _run(args: argparse.Namespace, store: Store, out: TextIO, err: TextIO) -> int:
    if args.command == "sync":
        return _sync(args, store, out, err)
    if args.command == "import":
        report = import_paths(store, args.paths, aliases=aliases())
        # One line per file: what it added, replaced or left unchanged, or why it was refused or skipped.
        rows = [{"outcome": line.outcome, "file": line.file, "detail": line.detail} for line in report.files]
        frame = pd.DataFrame(rows, columns=["outcome", "file", "detail"])
        if args.format == "text":
            out.writelines(f"{r['outcome']:<9} {r['file']}: {r['detail']}\n" for r in rows)
            if not rows:
                out.write("(nothing)\n")
        else:
            _write(frame, args.format, out)
        outcomes = [line.outcome for line in report.files]
        files = ", ".join(f"{outcomes.count(o)} {o}" for o in dict.fromkeys(outcomes))
        races = ", ".join(f"{len(getattr(report, o))} {o}" for o in ("added", "replaced", "unchanged"))
        err.write(f"{len(rows)} files ({files or 'none'}); races: {races}\n")
        return 1 if report.refused else 0
    if args.command == "export":
        folder = write_season(store, args.circuit, args.season, args.out or default_data_dir())
        err.write(f"wrote {folder}\n")
        return 0
    if args.command == "validate":
        found = store.findings(args.circuit, args.season)
        if found.empty and store.races(args.circuit, args.season).empty:
            err.write(f"standings: no races loaded for {args.circuit} {args.season}\n")
            return 1
        _write(found[["race_id", "kind", "message"]], args.format, out)
        err.write(f"{len(found)} findings\n")
        return 0
    if args.command == "qualification":
        return _qualification(args, store, out, err)
    planned = load_programme(default_data_dir() / "programme.csv")
    season = season_from_store(store, args.circuit, args.season, programme=planned)
    if args.command == "scenarios":
        return _scenarios(season, args, out, err)
    if args.command == "event":
        return _event(season, args, out, err)
    if args.command == "cups":
        frame = pd.DataFrame(
            [
                {
                    "cup": c.cup_id,
                    "name": c.name,
                    "gender": c.gender,
                    "races": " + ".join(c.races),
                    "overall": c.overall,
                }
                for c in season.cups
            ]
        )
        _write(frame, args.format, out)
        if not season.rules.overall_official:
            err.write(f"note: the overall cups are the {season.rules.overall_label}\n")
    elif args.command == "table":
        if not season.rules.rankings_available:
            err.write(f"standings: no rankings for {args.circuit} {args.season}: {season.rules.rankings_reason}\n")
            return 1
        table = season.standings(args.cup, after=args.after)
        _write(table[names(CLI_TABLE)], args.format, out)
        if table["provisional"].any():
            err.write("note: some points depend on a provisional rule; see 'standings' rules data\n")
    elif args.command == "medals":
        _write(season.medals(after=args.after, order=args.order), args.format, out)
        lost = store.incomplete_podiums(args.circuit, args.season)
        if lost:
            err.write(
                f"note: incomplete: the source lost podium places in {len(lost)} of {len(season.races)} races "
                f"(see 'standings validate --circuit {args.circuit} --season {args.season}')\n"
            )
        if store.relays_missing(args.circuit, args.season):
            err.write("note: incomplete: the source holds no relay results; relay medals are not counted\n")
    return 0


def _event(season: Season, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``standings event``: the World Cup's programme, or with ``--race`` that race's full result."""
    races = event.programme(season, args.event)
    if args.race is None:
        _write(races, args.format, out)
        statuses = ", ".join(f"{n} {s}" for s, n in races["status"].value_counts().items())
        err.write(f"{len(races)} races: {statuses}\n")
        return 0
    stored = [r for r in races["race_id"].dropna() if r == args.race or str(r).rsplit("/", 1)[-1] == args.race]
    if not stored:
        known = ", ".join(str(r).rsplit("/", 1)[-1] for r in races["race_id"].dropna())
        raise UnknownSelection(f"no race {args.race!r} at World Cup #{args.event}; its races: {known}")
    race_id = stored[0]
    tables = {
        "result": event.race_results,
        "pairs": event.race_pairs,
        "heats": event.race_heats,
        "rounds": event.round_summary,
        "laps": event.race_laps,
    }
    table = tables[args.table](season, race_id)
    title = races.loc[races["race_id"] == race_id].iloc[0]
    if table.empty:
        err.write(f"{title['race']}, World Cup #{args.event}: the source gives no {args.table}\n")
        return 1
    _write(table.dropna(axis=1, how="all"), args.format, out)
    err.write(f"{title['race']}, World Cup #{args.event}: {len(table)} rows, {title['status']}\n")
    return 0


def _qualification(args: argparse.Namespace, store: Store, out: TextIO, err: TextIO) -> int:
    rules = load_qualification(f"owg-{args.games}")
    season = season_from_store(store, rules.circuit, rules.season)
    if args.summary:
        quota = season.quota_table(after=args.after, games=f"owg-{args.games}")
        if args.format == "text":
            for gender, rows in quota.groupby("gender", sort=False):
                out.write(f"{str(gender).title()}\n")
                _write(rows.dropna(axis=1, how="all"), "text", out)
        else:
            _write(quota, args.format, out)
        err.write(
            "note: provisional: the per-country limit (9/8/7 athletes per gender), the host's places and "
            "the cut to 82 + 82 athletes come from press reports, not the ISU's text\n"
        )
        return 0
    table = season.qualification(args.event, after=args.after, games=f"owg-{args.games}")
    _write(table[names(CLI_QUALIFICATION)], args.format, out)
    if table["provisional"].any():
        err.write("note: rows marked provisional in the rules data depend on an unconfirmed rule (tie, mass start)\n")
    return 0


def _scenarios(season: Season, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    race = season.title_race(args.cup, after=args.after, remaining=args.remaining, multiplier=args.multiplier)
    frame = race.frame()
    if args.format == "json":
        _write(frame, "json", out)
    elif args.format == "csv":
        _write(frame.assign(conditions=frame["conditions"].map(" | ".join)), "csv", out)
    else:
        columns = ["rank", "name", "nation", "points", "max_points", "status", "magic_number"]
        _write(frame[columns].astype({"magic_number": "object"}).fillna(""), "text", out)
        for contender in race.contenders:
            if contender.status != "eliminated":
                out.write(f"\n{contender.entry.name} ({contender.status}): {contender.reason}\n")
                out.writelines(f"  - {sentence}\n" for sentence in contender.conditions)
    left = "; ".join(r.label for r in race.programme) or "none"
    err.write(f"remaining races ({len(race.programme)}): {left}\n")
    for note in race.notes:
        err.write(f"note: {note}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
