"""The watch worker: the ISU results API synced again and again, often while an event is on.

``watch`` repeats ``standings.storage.sync.sync_season`` for a hosted deployment, with the
intervals of a ``WatchPlan``, and says each change in one line (``changes``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from standings.errors import StandingsError
from standings.sources.isu_api import IsuApi
from standings.storage.store import Store
from standings.storage.sync import SyncMemo, SyncReport, log, sync_season


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
