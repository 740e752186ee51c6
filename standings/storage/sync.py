"""Following the ISU results API: a season's World Cup races into the store, event by event.

``sync_season`` lists the season's senior World Cup events, each event's races and
each race's results, and writes every race of an event that is new or changed in one
transaction, through the same store and identity rules as the sheet importer. A
race whose results the API has not declared official yet is stored as
unofficial and replaced when it becomes official; rows of skaters who have not
raced yet are not results. A race imported from an official sheet is never
replaced by the API: the sheet's printed points win, and what the API gives
differently is recorded as findings. ``watch`` repeats the sync for a hosted
deployment, often while an event is on and seldom between events.

The API gives no World Cup points: the engine computes them from the ranks with
the season's rules, as for every source.
"""

from __future__ import annotations

import difflib
import logging
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Final, Literal

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from standings.errors import ImportRefused, StandingsError
from standings.identity import resolve, team_key
from standings.model import CompetitorId, Finding, Lap, Race, RaceImport, Result, ScheduledRace, Timetable
from standings.sources.isu_api import ApiEvent, ApiRace, ApiResult, IsuApi, RaceResults
from standings.sources.plausibility import check_import
from standings.storage.store import SYNCED_KEY, Outcome, Store

CIRCUIT: Final = "lt-wc"
#: The source name of the API's skater ids in the store's identity table.
API_SOURCE: Final = "isu-api"
#: The meta key (``synced:<circuit>/<season>``) holding when a sync last changed a season.
#: How alike two names of one nation must be (difflib ratio) to be reported as a near miss.
_NEAR_MISS: Final = 0.85

#: An event counts as on from the day before its first day to the day after its last.
_MARGIN: Final = timedelta(days=1)
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


#: The API's status codes whose meaning is known, and the status each is stored as. Code 2 was
#: checked by a public client of the API against the published result: a disqualification (two
#: other clients call it "DNF"; the recorded 1000 m row, rank null with a time and 2 of 3 laps,
#: contradicts them). Any other code is stored as not classified, with the code kept.
API_STATUSES: Final = {2: "DQ"}


def _status(result: ApiResult, official: bool) -> str | None:
    """The Rinkside status of an API row, or ``None`` for a skater who has not raced yet."""
    if result.status == 0 and result.rank is not None:
        return "finished"
    if result.status == 0:
        # Old responses give no status: an unranked row of an official race is not classified.
        return "NC" if official else None
    return API_STATUSES.get(result.status, "NC")


class _Identities:
    """Competitor keys for API skaters: their API id first, then the folded name and nation."""

    def __init__(self, store: Store, aliases: dict[str, str]) -> None:
        self.known = store.competitor_ids(API_SOURCE)
        self.aliases = aliases
        stored = store.competitors()
        self.names = dict(zip(stored["competitor"], zip(stored["name"], stored["nation"], strict=True), strict=True))

    def key(self, result: ApiResult, findings: list[Finding], new: list[CompetitorId]) -> str:
        if result.skater_id is None:
            return team_key(result.nation)
        source_id = str(result.skater_id)
        if source_id in self.known:
            return self.known[source_id]
        competitor = resolve(result.name, result.nation, self.aliases)
        if competitor in self.names:
            stored_name = self.names[competitor][0]
            if stored_name != result.name:
                message = (
                    f"API skater {source_id} '{result.name}' ({result.nation}) is the stored {competitor} "
                    f"'{stored_name}' (same name folded)"
                )
                findings.append(Finding("identity", message))
        else:
            for other, (name, nation) in self.names.items():
                if nation == result.nation and other != competitor and not other.startswith("team-"):
                    ratio = difflib.SequenceMatcher(None, name.casefold(), result.name.casefold()).ratio()
                    if ratio >= _NEAR_MISS:
                        message = (
                            f"near miss: API skater {source_id} '{result.name}' ({result.nation}) is kept apart "
                            f"from {other} '{name}' (names alike, not the same when folded; an alias in "
                            "data/aliases.csv would join them)"
                        )
                        findings.append(Finding("identity", message))
            self.names[competitor] = (result.name, result.nation)
        self.known[source_id] = competitor
        new.append(CompetitorId(API_SOURCE, source_id, competitor, result.name, result.nation))
        return competitor


def _race(api_race: ApiRace) -> Race:
    event = api_race.event
    return Race(
        circuit=CIRCUIT,
        season=event.season,
        world_cup=event.world_cup,
        distance=api_race.distance,
        gender=api_race.gender,
        division=api_race.division,
        race_number=api_race.race_number,
        day=api_race.day,
        venue=event.venue,
        city=event.city,
        country=event.country,
        source=_api_source(api_race),
    )


def race_import(results: RaceResults, identities: _Identities) -> RaceImport | None:
    """The race as the store takes it, or ``None`` when nobody has raced yet.

    Raises:
        ImportRefused: If a competitor appears twice (the API's row named).
    """
    api_race = results.race
    race = _race(api_race)
    findings: list[Finding] = []
    new_ids: list[CompetitorId] = []
    rows: list[Result] = []
    laps: list[Lap] = []
    seen: dict[str, int] = {}
    for result in results.results:
        status = _status(result, api_race.official)
        if status is None:
            continue
        competitor = identities.key(result, findings, new_ids)
        if competitor in seen:
            raise ImportRefused(
                race.source, f"{competitor} appears twice (rows {seen[competitor]} and {result.row})", row=result.row
            )
        seen[competitor] = result.row
        laps.extend(Lap(competitor, lap.number, lap.time, lap.passage_time, lap.rank) for lap in result.laps)
        annotations = () if result.status == 0 or result.status in API_STATUSES else (f"API status {result.status}",)
        mass_start = api_race.distance == "mass-start"
        sprints = [p for p in result.sprint_points if p is not None]
        rows.append(
            Result(
                rank=result.rank if status == "finished" else None,
                bib=result.bib,
                competitor=competitor,
                name=result.name,
                nation=result.nation,
                status=status,
                time=result.time,
                time_behind=result.time_behind,
                official_points=None,
                points_marker=None,
                annotations=annotations,
                # The API's startNumber is the pair (both skaters of a pair share it); a mass start
                # or a team race has no pairs.
                pair=result.pair if api_race.distance.isdigit() else None,
                lane=result.lane,
                laps=max((lap.number for lap in result.laps), default=None) if mass_start else None,
                sprint_points=result.sprint_points,
                sprint_total=sum(sprints) if sprints else None,
            )
        )
    if not rows:
        return None
    if results.pending and not api_race.official:
        findings.append(Finding("unofficial", f"{results.pending} skaters had not raced yet when synced"))
    updated = _updated(api_race)
    return RaceImport(
        race=race,
        results=tuple(rows),
        findings=tuple(findings),
        is_final=api_race.event.is_final,
        official=api_race.official,
        updated=updated,
        identities=tuple(new_ids),
        laps=tuple(laps),
        start=_start(api_race),
    )


def _start(api_race: ApiRace) -> str | None:
    """The race's start as stored: ISO 8601 to the minute at the rink's UTC offset, or in UTC
    written with a ``Z`` where the rink's time zone is unknown (``2025-11-14T20:00Z``)."""
    if api_race.start is None:
        return None
    if api_race.event.time_zone is None:
        return api_race.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
    return api_race.start.isoformat(timespec="minutes")


def _compare(season_results: pd.DataFrame, item: RaceImport) -> list[str]:
    """Where the API's results of a race differ from the stored official sheet's.

    Args:
        season_results: The stored results of the race's season (``Store.results``).
        item: The race as the API gives it.
    """
    stored = season_results[season_results["race_id"] == item.race.race_id]
    ranks = {
        str(c): (None if pd.isna(r) else int(r)) for c, r in zip(stored["competitor"], stored["rank"], strict=True)
    }
    names = dict(zip(stored["competitor"], stored["name"], strict=True))
    found = []
    for result in item.results:
        if result.competitor not in ranks:
            found.append(f"the API lists {result.name} ({result.nation}), the sheet does not")
            continue
        rank = ranks[result.competitor]
        if rank != result.rank:
            found.append(f"{result.name}: the API ranks {result.rank}, the sheet {rank}")
    missing = set(ranks) - {r.competitor for r in item.results}
    found.extend(f"the sheet lists {names[c]}, the API does not" for c in sorted(missing))
    return [f"API: {m}" for m in found]


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


def _updated(api_race: ApiRace) -> str | None:
    """The race's ``lastUpdate`` as the store keeps it (UTC ISO 8601), or ``None``."""
    return api_race.last_update.astimezone(UTC).isoformat() if api_race.last_update else None


def _api_source(api_race: ApiRace) -> str:
    return f"{API_SOURCE}:{api_race.event.isu_id}/{api_race.schedule_number}"


def _unchanged(api_race: ApiRace, memo: SyncMemo, event_on: bool, moment: datetime) -> RaceSync | None:
    """What the race still is, when it need not be asked for again; ``None`` to ask for it."""
    known = memo.races.get(_api_source(api_race))
    updated = _updated(api_race)
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
    report.event_on = any(e.start - _MARGIN <= today <= e.end + _MARGIN for e in calendar.events)
    report.notes.extend(calendar.notes)
    report.notes.extend(
        f"World Cup event {e.isu_id} ({e.city}) is cancelled: nothing to sync" for e in calendar.cancelled
    )
    if event is None:
        report.timetables_changed += _drop_cancelled_timetables(store, season, calendar.cancelled, report)
    identities = _Identities(store, aliases or {})
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
            conflict = _conflict(stored_races, listed)
            if conflict is not None:
                report.refused.append(f"{where}: {conflict}")
                continue
            programme = api.races(listed)
            report.notes.extend(programme.unsupported)
            races, repeated = _once(programme.races, report)
            timetable = _timetable(store, stored_races, season, programme.event, races, repeated, report)
            on = listed.start - _MARGIN <= today <= listed.end + _MARGIN
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


def _fold(text: str) -> str:
    """A rink's or city's name for comparing: accents, case and spacing left out."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _conflict(races: pd.DataFrame, listed: ApiEvent) -> str | None:
    """Why the API's event cannot be the World Cup its number names in the store, or ``None``.

    A World Cup the store holds from another source (the official sheets) is the API's event of
    that number only if it is the same event: its race days within the event's dates, at the same
    rink (city or venue). Otherwise the API's numbering differs from the store's (an event
    missing from the API's listing, or one the sheets do not have), and storing the API's races
    there would mix two events into one World Cup.

    Args:
        races: The season's stored races (``Store.races``).
        listed: The API's event.
    """
    here = races[(races["world_cup"] == listed.world_cup) & ~races["source"].astype(str).str.startswith(API_SOURCE)]
    if here.empty:
        return None
    days = sorted({date.fromisoformat(str(d)) for d in here["day"].dropna()})
    cities = {_fold(str(c)) for c in here["city"].dropna()}
    venues = {_fold(str(v)) for v in here["venue"].dropna()}
    same_rink = _fold(listed.city) in cities or _fold(listed.venue) in venues
    same_days = all(listed.start - _MARGIN <= d <= listed.end + _MARGIN for d in days)
    if same_rink and same_days:
        return None
    city = str(here["city"].iloc[0])
    held = f"{days[0]} to {days[-1]}" if days else "no dates"
    return (
        f"World Cup #{listed.world_cup} is stored from official sheets ({city}, {held}); the API's event of that "
        f"number ({listed.city}, {listed.start} to {listed.end}) is another event: refused, nothing stored changes "
        "(the API's listing and the sheets number the season's events differently)"
    )


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
        numbers.setdefault(_race(api_race).race_id, []).append(api_race.schedule_number)
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
    return _race(api_race).title


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
    scheduled = (ScheduledRace(race, _start(r)) for r in api_races if (race := _race(r)).race_id not in repeated)
    return Timetable(CIRCUIT, season, world_cup, tuple(scheduled))


@dataclass(frozen=True)
class _Context:
    """What every race of one event's sync needs."""

    store: Store
    api: IsuApi
    identities: _Identities
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
        race_id = _race(api_race).race_id
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
        memo.races[_api_source(api_race)] = (_updated(api_race), api_race.official, synced)


def _prepare_race(context: _Context, api_race: ApiRace) -> RaceSync | RaceImport:
    """The race ready to write, or what became of it: not started, checked against a sheet, refused."""
    store, api = context.store, context.api
    race = _race(api_race)
    title = race.title
    url = api.url(api_race.results_path)
    try:
        results = api.results(api_race)
        item = race_import(results, context.identities)
        if item is None:
            return RaceSync(race.race_id, title, "not started")
        rows = [result.row for result in results.results if _status(result, api_race.official) is not None]
        item = check_import(item, url, rows=rows)  # impossible values refuse the race, as in an import
        source = store.race_source(race.race_id)
        if source is not None and not source.startswith(f"{API_SOURCE}:"):
            found = _compare(context.season_results(), item)
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


@dataclass(frozen=True)
class WatchPlan:
    """How often ``watch`` syncs.

    Attributes:
        interval: Seconds between syncs while an event is on (a race is in progress or to start).
        idle_interval: Seconds between syncs between events.
        retry_interval: Seconds before retrying after a failed round (the API down, say).
        reread_interval: Seconds between rounds that ask for every race's results, changed or
            not (the first round is one): a bound on how long a correction the API made without
            a new ``lastUpdate`` could go unseen.
    """

    interval: float = 60.0
    idle_interval: float = 3600.0
    retry_interval: float = 120.0
    reread_interval: float = 6 * 3600.0


def watch(
    store: Store,
    api: IsuApi,
    season: str,
    *,
    plan: WatchPlan = WatchPlan(),
    aliases: dict[str, str] | None = None,
    rounds: int | None = None,
    until: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    emit: Callable[[str], None] = log.info,
) -> int:
    """Sync a season again and again: every ``interval`` during an event, every ``idle_interval`` between.

    Each change is reported in one line through ``emit``, and so is each note or refused event
    the first round it appears. No answer of the API ends the watch: a failed round (the API
    down, a timeout, a listing it cannot read, even a fault of Rinkside's own) is reported in one
    line, nothing stored is touched by it, and the round is retried after ``retry_interval``. The
    watch ends after ``rounds`` or at ``until``, or when interrupted (``KeyboardInterrupt``, which
    the command line raises on SIGTERM too): a round cut short writes nothing half (an event is
    one transaction).

    Args:
        store: Where to write.
        api: The API client.
        season: Season id.
        plan: The intervals.
        aliases: Skater alias table.
        rounds: Stop after this many rounds (default: never).
        until: Stop when ``clock()`` passes this (default: never).
        sleep: How to wait.
        clock: A monotonic clock in seconds.
        emit: Where the log lines go.

    Returns:
        How many rounds ran.
    """
    done = 0
    memo = SyncMemo()
    said: set[str] = set()
    reread_at: float | None = None  # when the last round that read every race began
    while (rounds is None or done < rounds) and (until is None or clock() < until):
        began = clock()
        reread = reread_at is None or began - reread_at >= plan.reread_interval
        try:
            report = sync_season(store, api, season, aliases=aliases, memo=memo, reread=reread)
        except StandingsError as error:
            emit(f"sync {season} failed, nothing changed; retrying in {plan.retry_interval:g} s: {error}")
            wait = plan.retry_interval
        except Exception as error:  # never end the worker on an answer: log it whole, retry
            log.exception("sync %s failed", season)
            emit(
                f"sync {season} failed ({type(error).__name__}: {error}), nothing changed; "
                f"retrying in {plan.retry_interval:g} s"
            )
            wait = plan.retry_interval
        else:
            for line in changes(report):
                emit(line)
            news = [*report.notes, *report.refused]
            for line in news:
                if line not in said:
                    emit(f"note: {line}" if line in report.notes else f"refused {line}")
            said = set(news)
            if not report.changed:
                emit(f"sync {season}: nothing new ({report.requests} requests, {report.downloads} downloaded)")
            if reread:
                reread_at = began
            wait = plan.interval if report.live else plan.idle_interval
        done += 1
        if (rounds is not None and done >= rounds) or (until is not None and clock() + wait >= until):
            break
        sleep(wait)
    return done


def changes(report: SyncReport) -> Iterable[str]:
    """One line per race that changed or was refused: ``added  WC1 Chelyabinsk - 500 m Women Division A``."""
    for race in report.races:
        if race.outcome in ("added", "replaced", "in progress", "refused"):
            reason = f" ({race.reason})" if race.reason else ""
            yield f"{race.outcome:<11} {race.title}{reason}"


def synced_at(store: Store, season: str) -> datetime | None:
    """When a sync last changed the season, or ``None`` if it never did."""
    return store.synced_at(CIRCUIT, season)
