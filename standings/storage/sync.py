"""Following the ISU results API: a season's World Cup races into the store, event by event.

``sync_season`` lists the season's senior World Cup events, each event's races and
each race's results, and writes every race of an event that is new or changed in one
transaction, through the same store and identity rules as the sheet importer. A
race whose results the API has not declared official yet is stored as
unofficial and replaced when it becomes official; rows of skaters who have not
raced yet are not results. A race imported from an official sheet is never
replaced by the API: the sheet's printed points win, and what the API gives
differently is recorded as findings. ``standings.storage.watch`` repeats the sync
for a hosted deployment, often while an event is on and seldom between events.

What a race's results become in the model (``RaceImport``) is the source's
(``standings.sources.isu_api.races``); what a sync checks against the store before
it writes is in ``sync_checks``. The API gives no World Cup points: the engine
computes them from the ranks with the season's rules, as for every source.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Final, Literal

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from standings.errors import ImportRefused, StandingsError
from standings.model import RaceImport, ScheduledRace, Timetable
from standings.sources.isu_api import ApiEvent, ApiRace, IsuApi
from standings.sources.isu_api.races import (
    API_SOURCE,
    CIRCUIT,
    ApiIdentities,
    model_race,
    race_import,
    race_source,
    race_start,
    race_updated,
    result_status,
)
from standings.sources.plausibility import check_import
from standings.storage.store import SYNCED_KEY, Outcome, Store
from standings.storage.sync_checks import EVENT_MARGIN, event_conflict, sheet_differences

SyncOutcome = Literal["added", "replaced", "unchanged", "in progress", "not started", "checked", "refused"]
log = logging.getLogger("standings.storage.sync")


@dataclass(frozen=True)
class RaceSync:
    """What a sync did with one race.

    Attributes:
        race_id: The race's key (``lt-wc/2011-12/wc1/women-500-a-1``).
        title: E.g. ``WC1 Chelyabinsk - 1st 500 m Women Division A``.
        outcome: ``added``, ``replaced``, ``unchanged``, ``in progress`` (stored, not official
            yet), ``not started`` (no results yet), ``checked`` (an official sheet is stored;
            the API's results were compared with it) or ``refused``.
        reason: Why it was refused, or what the check found.
        asked: Whether its results were asked for this time (``False``: its ``lastUpdate`` and
            ``isOfficial`` had not changed since it was last read, so the outcome is the last one).
    """

    race_id: str
    title: str
    outcome: SyncOutcome
    reason: str = ""
    asked: bool = True


@dataclass
class SyncReport:
    """What a sync did, race by race.

    Attributes:
        season: Season id.
        races: One entry per race the API lists, in programme order.
        notes: Events cancelled or left out, races the API lists but Rinkside cannot read.
        refused: One line per event refused whole (its race list unreadable, or in conflict with
            the World Cup the store holds under its number); nothing of it was written.
        requests: HTTP requests made.
        downloads: Responses downloaded in full (the rest were unchanged, 304).
        event_on: Whether a World Cup event of the season is on (from the day before its first
            day to the day after its last).
    """

    season: str
    races: list[RaceSync] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    requests: int = 0
    downloads: int = 0
    event_on: bool = False
    timetables_changed: int = 0

    @property
    def changed(self) -> bool:
        """Whether anything was written (a race, or an event's timetable)."""
        return self.timetables_changed > 0 or any(r.outcome in ("added", "replaced", "in progress") for r in self.races)

    @property
    def live(self) -> bool:
        """Whether to sync again soon: an event is on, or a race is stored unofficial."""
        return self.event_on or any(r.outcome == "in progress" for r in self.races)


@dataclass
class SyncMemo:
    """What a sync last read of each API race, so that the next round asks only for what changed.

    The API sends no ``ETag`` or ``Last-Modified`` (no public client has seen one), so a watch
    round would otherwise download every race of the season each minute. Instead it skips a race
    whose ``lastUpdate`` and ``isOfficial`` are what they were when it was last read, unless the
    race is being skated (``isLive``, stored unofficial) or due (its start has passed while its
    event is on, and it has no results yet). Races stored from the API seed the memo, so a one-shot
    sync of a stored season asks only for what changed. ``watch`` keeps one memo for all its
    rounds, and re-reads every race in its first round and every ``WatchPlan.reread_interval``
    (in case a correction ever came without a new ``lastUpdate``).

    Attributes:
        races: Per race source (``isu-api:{isuId}/{scheduleNumber}``): the ``lastUpdate`` read
            (UTC ISO 8601), whether it was official, and what became of it.
    """

    races: dict[str, tuple[str | None, bool, RaceSync]] = field(default_factory=dict)


def _unchanged(api_race: ApiRace, memo: SyncMemo, event_on: bool, moment: datetime) -> RaceSync | None:
    """What the race still is, when it need not be asked for again; ``None`` to ask for it."""
    known = memo.races.get(race_source(api_race))
    updated = race_updated(api_race)
    if known is None or updated is None or api_race.live or known[:2] != (updated, api_race.official):
        return None
    before = known[2]
    if before.outcome in ("in progress", "refused"):
        return None
    if before.outcome == "not started" and event_on and api_race.start is not None and api_race.start <= moment:
        return None  # due: asked for every round until its first results come
    outcome: SyncOutcome = "unchanged" if before.outcome in ("added", "replaced") else before.outcome
    return RaceSync(before.race_id, before.title, outcome, before.reason, asked=False)


def _seed(memo: SyncMemo, races: pd.DataFrame) -> None:
    """Add the season's races stored from the API (``Store.races``) to the memo (as unchanged, or in progress)."""
    for race_id, source, updated, official in zip(
        races["race_id"], races["source"], races["updated"], races["official"], strict=True
    ):
        source = str(source)
        if not source.startswith(f"{API_SOURCE}:") or source in memo.races or pd.isna(updated):
            continue
        outcome: SyncOutcome = "unchanged" if official else "in progress"
        memo.races[source] = (str(updated), bool(official), RaceSync(str(race_id), str(race_id), outcome))


def sync_season(
    store: Store,
    api: IsuApi,
    season: str,
    *,
    event: int | None = None,
    aliases: dict[str, str] | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    memo: SyncMemo | None = None,
    reread: bool = False,
) -> SyncReport:
    """Bring a season's World Cup races from the API into the store.

    One bad event or race never stops the rest: an event whose race list cannot be read, or
    that conflicts with what the store holds (a World Cup number the store holds from official
    sheets of another event), is refused and reported (``SyncReport.refused``), and the sync goes
    on with the next; a race that cannot be read is refused (``RaceSync.outcome``) and the
    event's other races are written.

    Args:
        store: Where to write.
        api: The API client.
        season: Season id, e.g. ``2011-12``.
        event: Only this World Cup (its number in the season).
        aliases: Skater alias table (see ``standings.identity``).
        now: The clock, for the "last synced" time stored with a change.
        memo: What earlier rounds read (see ``SyncMemo``); races unchanged since are not asked
            for again. Default: a memo of the races stored from the API.
        reread: Ask for every race's results, changed or not (the memo is still kept up to date).

    Returns:
        What happened to each race.

    Raises:
        IsuApiError: If the season's event list cannot be had (nothing is written then).
        ImportRefused: If the event list is malformed (nothing is written then).
    """
    report = SyncReport(season)
    before = (api.stats.requests, api.stats.downloads)
    memo = memo if memo is not None else SyncMemo()
    # The season's stored races, read once: a sync writes each World Cup number once, so what one
    # event writes never changes what another event's checks (memo, conflict, timetable) read.
    stored_races = store.races(CIRCUIT, season)
    _seed(memo, stored_races)
    calendar = api.events(season)
    moment = now()
    today = moment.date()
    report.event_on = any(e.start - EVENT_MARGIN <= today <= e.end + EVENT_MARGIN for e in calendar.events)
    report.notes.extend(calendar.notes)
    report.notes.extend(
        f"World Cup event {e.isu_id} ({e.city}) is cancelled: nothing to sync" for e in calendar.cancelled
    )
    if event is None:
        report.timetables_changed += _drop_cancelled_timetables(store, season, calendar.cancelled, report)
    identities = ApiIdentities(store.competitor_ids(API_SOURCE), store.competitors(), aliases or {})
    # The stored results of the season, read once when a race from an official sheet is checked
    # (a sync never changes those races, so one read serves every check).
    stored: list[pd.DataFrame] = []

    def season_results() -> pd.DataFrame:
        if not stored:
            stored.append(store.results(CIRCUIT, season))
        return stored[0]

    for listed in calendar.events:
        if event is not None and listed.world_cup != event:
            continue
        where = f"WC{listed.world_cup} {listed.city} ({listed.isu_id})"
        try:
            conflict = event_conflict(stored_races, listed)
            if conflict is not None:
                report.refused.append(f"{where}: {conflict}")
                continue
            programme = api.races(listed)
            report.notes.extend(programme.unsupported)
            races, repeated = _once(programme.races, report)
            timetable = _timetable(store, stored_races, season, programme.event, races, repeated, report)
            on = listed.start - EVENT_MARGIN <= today <= listed.end + EVENT_MARGIN
            context = _Context(store, api, identities, season, now, season_results, memo, on, moment, reread)
            synced, timetable_changed = _sync_races(context, races, repeated, timetable, report)
        except StandingsError as error:
            report.refused.append(f"{where}: races not available: {error}")
            continue
        except Exception as error:  # a fault of ours must not stop the season either: said, with its trace
            log.exception("sync %s: %s failed", season, where)
            report.refused.append(f"{where}: failed ({type(error).__name__}: {error})")
            continue
        report.races.extend(synced)
        report.timetables_changed += timetable_changed
    report.requests = api.stats.requests - before[0]
    report.downloads = api.stats.downloads - before[1]
    return report


def _once(api_races: Iterable[ApiRace], report: SyncReport) -> tuple[list[ApiRace], dict[str, str]]:
    """The event's races, each once: a race listed twice under one number is read once (and
    said); two numbers that are one race (distance, gender, division, 1st/2nd) are both refused
    (which is the race cannot be told). Returns the races and, per refused race id, why."""
    by_number: dict[int, ApiRace] = {}
    for api_race in api_races:
        if api_race.schedule_number in by_number:
            report.notes.append(f"{_title(api_race)}: listed twice as race {api_race.schedule_number}, read once")
            continue
        by_number[api_race.schedule_number] = api_race
    numbers: dict[str, list[int]] = {}
    for api_race in by_number.values():
        numbers.setdefault(model_race(api_race).race_id, []).append(api_race.schedule_number)
    repeated = {
        race_id: (
            f"the API lists this race {len(found)} times (races {', '.join(map(str, found))}): none of them is "
            "stored, as which is the race cannot be told"
        )
        for race_id, found in numbers.items()
        if len(found) > 1
    }
    return list(by_number.values()), repeated


def _title(api_race: ApiRace) -> str:
    return model_race(api_race).title


def _drop_cancelled_timetables(store: Store, season: str, cancelled: Iterable[ApiEvent], report: SyncReport) -> int:
    """Remove the stored timetables of events the API now marks cancelled (their races are not to
    come any more); races already stored stay. Returns how many timetables were removed."""
    stored = store.schedule(CIRCUIT, season)
    removed = 0
    for listed in cancelled:
        rows = stored[stored["source"].str.startswith(f"{API_SOURCE}:{listed.isu_id}/")]
        for world_cup in sorted({int(n) for n in rows["world_cup"]}):
            if store.replace_schedule(Timetable(CIRCUIT, season, world_cup, ())):
                removed += 1
                report.notes.append(
                    f"World Cup #{world_cup} ({listed.city}) is cancelled: its timetable is removed, its races "
                    "already stored stay"
                )
    return removed


def _timetable(
    store: Store,
    races: pd.DataFrame,
    season: str,
    event: ApiEvent,
    api_races: Sequence[ApiRace],
    repeated: dict[str, str],
    report: SyncReport,
) -> Timetable | None:
    """The event's timetable to store (every race it announces, with its start), or ``None``.

    As with its races, a World Cup number whose timetable or races are stored from another event
    of the API is kept as it is: the API numbers events by date, so a cancelled or removed event
    renumbers the rest. A race the API lists under two numbers (``repeated``) is left out.
    """
    world_cup = event.world_cup
    own = f"{API_SOURCE}:{event.isu_id}/"
    timetable = store.schedule(CIRCUIT, season)
    sources = [
        *timetable.loc[timetable["world_cup"] == world_cup, "source"],
        *(s for s in races.loc[races["world_cup"] == world_cup, "source"] if str(s).startswith(f"{API_SOURCE}:")),
    ]
    others = [str(source) for source in sources if not str(source).startswith(own)]
    where = f"World Cup #{world_cup} ({event.city})"
    if others:
        stored_from = others[0].split("/")[0]
        report.notes.append(
            f"{where}: its timetable or races are stored from another event ({stored_from}); the API now "
            "numbers this event so (an event cancelled or removed?): nothing replaced"
        )
        return None
    scheduled = (
        ScheduledRace(race, race_start(r)) for r in api_races if (race := model_race(r)).race_id not in repeated
    )
    return Timetable(CIRCUIT, season, world_cup, tuple(scheduled))


@dataclass(frozen=True)
class _Context:
    """What every race of one event's sync needs."""

    store: Store
    api: IsuApi
    identities: ApiIdentities
    season: str
    now: Callable[[], datetime]
    season_results: Callable[[], pd.DataFrame]
    memo: SyncMemo
    event_on: bool
    moment: datetime
    reread: bool


#: What a store may raise when it refuses a write (a constraint, a value it cannot hold).
_STORE_REFUSALS: Final = (ValueError, OverflowError, SQLAlchemyError)


def _sync_races(
    context: _Context,
    api_races: Sequence[ApiRace],
    repeated: dict[str, str],
    timetable: Timetable | None,
    report: SyncReport,
) -> tuple[list[RaceSync], bool]:
    """Fetch and check an event's races, then write every one that changed and the event's
    timetable in one transaction; what became of each race, and whether the timetable changed.

    One transaction per event, not per race: a dashboard following the store sees the event's
    news at once (one data version, one rerun) instead of race by race. Should the store refuse
    the event's write, the timetable and the races are written one by one, so that what it
    refuses is named and the rest is stored.
    """
    store, season, now = context.store, context.season, context.now
    synced: list[RaceSync] = []
    ready: list[tuple[int, ApiRace, RaceImport]] = []
    for api_race in api_races:
        race_id = model_race(api_race).race_id
        if race_id in repeated:
            synced.append(RaceSync(race_id, _title(api_race), "refused", repeated[race_id]))
            continue
        skipped = None if context.reread else _unchanged(api_race, context.memo, context.event_on, context.moment)
        if skipped is not None:
            synced.append(skipped)
            continue
        prepared = _prepare_race(context, api_race)
        if isinstance(prepared, RaceSync):
            synced.append(prepared)
            _remember(context.memo, api_race, prepared)
        else:
            ready.append((len(synced), api_race, prepared))
            synced.append(RaceSync(race_id, prepared.race.title, "refused", "not written"))
    stamp = {SYNCED_KEY.format(circuit=CIRCUIT, season=season): now().isoformat(timespec="seconds")}
    items = [item for _, _, item in ready]
    outcomes: dict[str, Outcome] = {}
    refusals: dict[str, str] = {}
    timetable_changed = False
    try:
        written, timetable_changed = store.write_event(items, timetable=timetable, meta_if_changed=stamp)
        outcomes.update(written)
    except _STORE_REFUSALS:
        if timetable is not None:
            try:
                timetable_changed = store.write_event([], timetable=timetable, meta_if_changed=stamp)[1]
            except _STORE_REFUSALS as error:
                where = f"World Cup #{timetable.world_cup}"
                report.notes.append(f"{where}: timetable not stored: {getattr(error, 'orig', error)}")
        for item in items:
            try:
                outcomes.update(store.import_races([item], meta_if_changed=stamp))
            except _STORE_REFUSALS as error:
                refusals[item.race.race_id] = f"the store refused it: {getattr(error, 'orig', error)}"
    for index, api_race, item in ready:
        race_id = item.race.race_id
        if race_id in refusals:
            synced[index] = RaceSync(race_id, item.race.title, "refused", refusals[race_id])
            continue
        outcome = outcomes[race_id]
        happened: SyncOutcome = "in progress" if outcome != "unchanged" and not item.official else outcome
        synced[index] = RaceSync(race_id, item.race.title, happened)
        remembered: SyncOutcome = outcome if item.official else "in progress"  # unofficial: read every round
        _remember(context.memo, api_race, RaceSync(race_id, item.race.title, remembered))
    return synced, timetable_changed


def _remember(memo: SyncMemo, api_race: ApiRace, synced: RaceSync) -> None:
    """Keep what became of a race that was read, for the next round (a refused one is asked again)."""
    if synced.outcome != "refused":
        memo.races[race_source(api_race)] = (race_updated(api_race), api_race.official, synced)


def _prepare_race(context: _Context, api_race: ApiRace) -> RaceSync | RaceImport:
    """The race ready to write, or what became of it: not started, checked against a sheet, refused."""
    store, api = context.store, context.api
    race = model_race(api_race)
    title = race.title
    url = api.url(api_race.results_path)
    try:
        results = api.results(api_race)
        item = race_import(results, context.identities)
        if item is None:
            return RaceSync(race.race_id, title, "not started")
        rows = [result.row for result in results.results if result_status(result, api_race.official) is not None]
        item = check_import(item, url, rows=rows)  # impossible values refuse the race, as in an import
        source = store.race_source(race.race_id)
        if source is not None and not source.startswith(f"{API_SOURCE}:"):
            found = sheet_differences(context.season_results(), item)
            store.check_race(race.race_id, found, identities=item.identities)
            return RaceSync(race.race_id, title, "checked", "; ".join(found) or "the sheet and the API agree")
        event_source = race.source.split("/")[0] + "/"
        if source is not None and not source.startswith(event_source):
            # The API numbers its events by date: a cancelled or removed event renumbers the rest.
            raise ImportRefused(
                race.source,
                f"World Cup #{race.world_cup} is stored from another event ({source.split('/')[0]}); the API now "
                "numbers this event so (an event cancelled or removed?): nothing replaced",
            )
    except StandingsError as error:
        return RaceSync(race.race_id, title, "refused", str(error))
    except _STORE_REFUSALS as error:
        return RaceSync(race.race_id, title, "refused", f"the store refused it: {getattr(error, 'orig', error)}")
    except Exception as error:  # a fault of ours refuses this race, not the event: said, with its trace
        log.exception("sync: %s (%s) failed", title, url)
        return RaceSync(race.race_id, title, "refused", f"failed ({type(error).__name__}: {error})")
    return item


def current_season(today: date) -> str:
    """The season a day belongs to (July to June): ``2026-27`` for 1 December 2026."""
    start = today.year if today.month >= 7 else today.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def synced_at(store: Store, season: str) -> datetime | None:
    """When a sync last changed the season, or ``None`` if it never did."""
    return store.synced_at(CIRCUIT, season)
