"""Client for the ISU results API (``https://api.isuresults.eu``): events, races and results.

The API is JSON without a key; its shapes are observed, not documented (as public clients of
the API show them), so every response is validated row by row with
models that ignore extra fields and name a missing or mistyped one: a bad row raises
``ImportRefused`` naming the URL, the 1-based row and the field.

What the client gives is normalised into frozen dataclasses in the project's own words
(``ApiEvent``, ``ApiRace``, ``ApiResult``; distances, genders and divisions as in
``standings.model``). It computes no points and touches no store: mapping to
``standings.model.RaceImport`` is the caller's (``standings.storage.sync``).

Plumbing, each from a well-kept library:

- httpx: one client per ``IsuApi``, with timeouts, keep-alive and at most a few connections. It
  talks to the configured server only: a redirect is followed only to the same scheme, host and
  port (a few hops, no loop), never elsewhere. Each request has a deadline as a whole (a server
  that drips a body byte by byte is cut off, not waited for) and a body size limit, and every
  transport, decoding or parsing failure is one ``IsuApiError`` or ``ImportRefused`` naming the URL.
- tenacity: a request that times out, fails to connect, or is answered 429 or 5xx is retried
  with exponential backoff; a 429's ``Retry-After`` is honoured, capped.
- pydantic: validation of every event, race and result row.
- Conditional requests: every response that carries an ``ETag`` or ``Last-Modified`` is kept
  in a ``ResponseCache`` and revalidated with ``If-None-Match`` / ``If-Modified-Since`` next
  time, so a repeat sync downloads nothing unchanged (a ``304`` is answered from the cache).
  This is deliberately not a full RFC 9111 cache (hishel): the API publishes no caching
  policy, and a cache that honours ``max-age`` could serve a stale result during a live event;
  every request here goes to the server and only the body is saved.

Example::

    with IsuApi(cache=Path("~/.cache/rinkside/isu-api").expanduser()) as api:
        calendar = api.events("2025-26")
        for event in calendar.events:
            for race in api.races(event).races:
                results = api.results(race)
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Annotated, Any, Final, Protocol, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
import pydantic
import tenacity
from pydantic import BaseModel, ConfigDict

from standings.errors import ImportRefused, StandingsError, UnknownSelection
from standings.model import is_number, time_seconds
from standings.sources.plausibility import nation_problem

#: The ISU's results API.
DEFAULT_BASE_URL: Final = "https://api.isuresults.eu"
#: Environment variable that overrides the base URL (a mirror, or a test server).
BASE_URL_VARIABLE: Final = "RINKSIDE_ISU_API_URL"
#: Sent with every request, so the ISU can tell who is asking.
USER_AGENT: Final = f"Rinkside/0.1 (ISU World Cup standings dashboard; python-httpx/{httpx.__version__})"
#: Connections open at once: the API is a public service without a documented rate limit.
MAX_CONNECTIONS: Final = 3
#: Pages of the events listing followed at most (the API's seasons hold one or two).
_MAX_PAGES: Final = 50
#: Redirects followed at most for one request, each within the configured server.
MAX_REDIRECTS: Final = 5
#: Seconds one request may take as a whole, from connecting to the body's last byte.
DEFAULT_DEADLINE: Final = 60.0
#: The largest response body read (decompressed): a race's results are tens of kilobytes.
MAX_BODY_BYTES: Final = 20_000_000
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
#: The statuses that redirect (``304 Not Modified`` is no redirect, whatever headers it has).
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})

_SEASON_RE: Final = re.compile(r"^(?P<start>\d{4})-(?P<end>\d{2})$")
_ORDINAL_RE: Final = re.compile(r"(?:^|\s)(?P<number>\d)(?:st|nd|rd|th)\s", re.IGNORECASE)
_DIVISION_RE: Final = re.compile(r"\bDivision (?P<division>[AB])\b")
_DAY_RE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INDIVIDUAL_DISTANCES: Final = frozenset({500, 1000, 1500, 3000, 5000, 10000})
_GENDERS: Final = {"F": "women", "M": "men"}
_LANES: Final = {"I": "In", "O": "Out"}
#: The time zones of the rinks that hold World Cups, by city as the API spells it, for a track
#: the API gives no ``timeZone`` for (the recorded responses carry none).
RINK_TIME_ZONES: Final = {
    "Astana": "Asia/Almaty",
    "Nur-Sultan": "Asia/Almaty",
    "Beijing": "Asia/Shanghai",
    "Berlin": "Europe/Berlin",
    "Calgary": "America/Edmonton",
    "Chelyabinsk": "Asia/Yekaterinburg",
    "Collalbo": "Europe/Rome",
    "Erfurt": "Europe/Berlin",
    "Hamar": "Europe/Oslo",
    "Harbin": "Asia/Shanghai",
    "Heerenveen": "Europe/Amsterdam",
    "Inzell": "Europe/Berlin",
    "Kolomna": "Europe/Moscow",
    "Milan": "Europe/Rome",
    "Milwaukee": "America/Chicago",
    "Minsk": "Europe/Minsk",
    "Nagano": "Asia/Tokyo",
    "Obihiro": "Asia/Tokyo",
    "Quebec": "America/Toronto",
    "Salt Lake City": "America/Denver",
    "Sochi": "Europe/Moscow",
    "Stavanger": "Europe/Oslo",
    "Tomakomai": "Asia/Tokyo",
    "Tomaszów Mazowiecki": "Europe/Warsaw",
}


class IsuApiError(StandingsError):
    """The API could not give what was asked.

    Args:
        url: The URL asked for.
        problem: What went wrong, in words a user can act on.
    """

    def __init__(self, url: str, problem: str) -> None:
        self.url = url
        self.problem = problem
        super().__init__(f"{url}: {problem}")


class IsuApiUnavailable(IsuApiError):
    """The API did not answer usefully, even after the retries (timeouts, 429, 5xx, no connection)."""


class IsuApiNotFound(IsuApiError):
    """The API answered 404: the event or race is not (or no longer) there."""


def api_season(season: str) -> int:
    """The API's season number for a season id: the year the season ends.

    Args:
        season: A season id, e.g. ``2011-12``.

    Returns:
        E.g. ``2012``.

    Raises:
        UnknownSelection: If ``season`` is not two consecutive years like ``2011-12``.
    """
    match = _SEASON_RE.match(season)
    if match is None or (int(match["start"]) + 1) % 100 != int(match["end"]):
        raise UnknownSelection(f"season {season!r} is not a season like 2011-12")
    return int(match["start"]) + 1


def season_id(api_season_number: int) -> str:
    """The season id for the API's season number, e.g. ``2011-12`` for ``2012``."""
    start = api_season_number - 1
    return f"{start}-{api_season_number % 100:02d}"


# --- The normalised objects ---------------------------------------------------------------


@dataclass(frozen=True)
class ApiEvent:
    """A World Cup event as the API lists it.

    Attributes:
        isu_id: The API's event id, e.g. ``2012_NED_0001``.
        name: E.g. ``ISU World Cup Speed Skating``.
        season: Season id, e.g. ``2011-12``.
        world_cup: The event's number within the season, by start date among the events
            held; ``0`` for a cancelled event (not numbered).
        start: First day.
        end: Last day.
        venue: Rink name, e.g. ``Thialf``.
        city: E.g. ``Heerenveen``.
        country: Host nation (IOC code), e.g. ``NED``.
        time_zone: The rink's IANA time zone, e.g. ``Europe/Amsterdam`` (the track's ``timeZone``,
            else ``RINK_TIME_ZONES`` by city), or ``None``.
        is_final: Whether the event is tagged ``final`` (the season's final).
        cancelled: Whether the API marks the event cancelled.
        tags: The API's tags, e.g. ``("world-cup", "senior", "final")``.
    """

    isu_id: str
    name: str
    season: str
    world_cup: int
    start: date
    end: date
    venue: str
    city: str
    country: str
    time_zone: str | None
    is_final: bool
    cancelled: bool
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Calendar:
    """A season's World Cup events.

    Attributes:
        season: Season id, e.g. ``2011-12``.
        events: Events held or to be held, in World Cup order (``world_cup`` 1, 2, ...).
        cancelled: Events the API marks cancelled (``world_cup`` 0); they have no races.
        others: How many events of the season were not senior World Cups (ignored).
        pages: How many pages of the listing were read.
        notes: What the listing held twice and was counted once (an event listed twice is one
            World Cup, never two).
    """

    season: str
    events: tuple[ApiEvent, ...]
    cancelled: tuple[ApiEvent, ...]
    others: int
    pages: int
    notes: tuple[str, ...] = ()

    def event(self, world_cup: int) -> ApiEvent:
        """The event with this World Cup number.

        Raises:
            UnknownSelection: If the season has no such World Cup.
        """
        for event in self.events:
            if event.world_cup == world_cup:
                return event
        raise UnknownSelection(f"{self.season} has no World Cup #{world_cup} (it has {len(self.events)})")


@dataclass(frozen=True)
class ApiRace:
    """One race (a "competition" in the API) of an event.

    Attributes:
        event: The event.
        schedule_number: The race's number in the event's programme (the API's ``scheduleNumber``).
        title: As the API gives it, e.g. ``1st 500m Women``.
        distance: In ``standings.model`` terms: ``500`` ... ``10000``, ``mass-start``,
            ``team-pursuit``, ``team-sprint``.
        gender: ``women`` or ``men`` (from the category F/M).
        division: ``A`` or ``B``, from the ``division`` field or else the title
            ("... Division B"); ``A`` where neither gives one.
        race_number: 1 or 2 for "1st 500m" / "2nd 500m", 0 for a distance raced once.
        official: Whether the API marks the race's results official.
        last_update: The API's ``lastUpdate`` (or else ``modified``), or ``None``: a sync skips a
            race whose ``last_update`` and ``official`` did not change since it last read it.
        start: When the race starts (timezone-aware; in the rink's time zone where it is known),
            or ``None``; old races give only a day.
        day: The race day at the rink (local time where the rink's time zone is known).
        lap_count: The laps of the distance (``distance.lapCount``: 16 for a mass start), or ``None``.
        live: Whether the API marks the race as being skated now (``isLive``).
    """

    event: ApiEvent
    schedule_number: int
    title: str
    distance: str
    gender: str
    division: str
    race_number: int
    official: bool
    last_update: datetime | None
    start: datetime | None
    day: date | None
    lap_count: int | None = None
    live: bool = False

    @property
    def kind(self) -> str:
        """The race kind the rules files use, e.g. ``women-500``."""
        return f"{self.gender}-{self.distance}"

    @property
    def results_path(self) -> str:
        """The results endpoint's path, below the base URL, as the client asks for it."""
        return f"/events/{self.event.isu_id}/competitions/{self.schedule_number}/results/?inSeconds=0"


@dataclass(frozen=True)
class Programme:
    """An event's races.

    Attributes:
        event: The event.
        races: The races the client understands, in schedule order.
        unsupported: One sentence per race left out (a distance or category the project
            does not know), naming the race.
    """

    event: ApiEvent
    races: tuple[ApiRace, ...]
    unsupported: tuple[str, ...]


@dataclass(frozen=True)
class ApiLap:
    """One lap passage of one competitor, as the API gives it (``laps[]`` of a result row).

    Attributes:
        number: The lap's number, from 1 (the first is the opening stretch: 200 m in a 1000 m).
        time: The lap's own time (``24.51``), or ``None``.
        passage_time: The time from the start at the end of the lap (``41.126``), or ``None``.
        rank: The competitor's rank at that passage, or ``None``.
        sprint_points: Mass start: the sprint points won at the end of this lap
            (``laps[].sprintPoints``), or ``None``.
    """

    number: int
    time: str | None
    passage_time: str | None
    rank: int | None
    sprint_points: int | None = None


@dataclass(frozen=True)
class ApiResult:
    """One competitor's result in a race.

    Attributes:
        row: The row's 1-based place in the API's response.
        skater_id: The API's skater id, or ``None`` for a team.
        first_name: The skater's first name ("" for a team).
        last_name: The skater's last name, or the team's name.
        nation: IOC code of the skater's or team's nation.
        rank: The rank as given (tied competitors share it), or ``None``.
        status: The API's status code: 0 normal; 2 a disqualification (checked by a public
            client of the API against the published result); any other code is a non-scoring
            result whose meaning is not documented. Old responses have no status: a ranked row
            there is 0.
        time: The time as given (``1:07.606``), or ``None`` (a rank without a time is kept).
        time_seconds: The time in seconds, or ``None``.
        time_behind: Time behind the winner as given (``0.239``), or ``None``.
        pair: The API's ``startNumber``, which is the pair the skater started in (both skaters of a
            pair share it, lane In and Out), or ``None``; meaningful for individual distances only.
        bib: The competitor's number (``competitor.number``), or ``None`` (old responses have none).
        lane: ``In`` or ``Out`` (individual distances), or ``None``.
        laps: The lap passages, in lap order, where the API gives them (empty otherwise).
        bib: The competitor's number (``competitor.number``), or ``None``.
        sprint_points: Mass start: the points of each sprint in order (for 16 laps, the
            intermediate sprints after laps 4, 8 and 12, then the final sprint), ``None`` for a
            sprint the skater did not reach or the API gives no points for; empty elsewhere.
    """

    row: int
    skater_id: int | None
    first_name: str
    last_name: str
    nation: str
    rank: int | None
    status: int
    time: str | None
    time_seconds: float | None
    time_behind: str | None
    pair: int | None
    lane: str | None
    laps: tuple[ApiLap, ...] = ()
    bib: int | None = None
    sprint_points: tuple[int | None, ...] = ()

    @property
    def is_team(self) -> bool:
        """Whether the result is a team's."""
        return self.skater_id is None

    @property
    def name(self) -> str:
        """The name as the sheets print it: ``Jordan STOLZ``, or the team's name."""
        if self.is_team:
            return self.last_name
        return f"{self.first_name} {self.last_name.upper()}".strip()

    @property
    def scoring(self) -> bool:
        """Whether the result can score World Cup points: ranked, with status 0."""
        return self.rank is not None and self.status == 0


@dataclass(frozen=True)
class RaceResults:
    """A race's results as the API gives them now.

    Attributes:
        race: The race.
        results: Rows that are results (ranked, or with a status), in the API's order.
        pending: Rows without rank and status: skaters who have not raced yet.
        not_modified: Whether the server answered 304 (nothing changed since the cached copy).
    """

    race: ApiRace
    results: tuple[ApiResult, ...]
    pending: int
    not_modified: bool

    @property
    def in_progress(self) -> bool:
        """Whether the race is not final yet: not official, or skaters still to race."""
        return not self.race.official or self.pending > 0


# --- The conditional-request cache --------------------------------------------------------


@dataclass(frozen=True)
class CachedResponse:
    """A response body kept for revalidation.

    Attributes:
        url: The full URL, query included.
        etag: The ``ETag`` header, or ``None``.
        last_modified: The ``Last-Modified`` header, or ``None``.
        body: The response body.
    """

    url: str
    etag: str | None
    last_modified: str | None
    body: bytes


class ResponseCache(Protocol):
    """Where the client keeps response bodies between syncs (e.g. a folder, or the store)."""

    def get(self, url: str) -> CachedResponse | None:
        """The kept response for a URL, if any."""
        ...

    def put(self, response: CachedResponse) -> None:
        """Keep a response, replacing any for the same URL."""
        ...


class MemoryCache:
    """A cache for one process's lifetime (the default)."""

    def __init__(self) -> None:
        self._entries: dict[str, CachedResponse] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> CachedResponse | None:
        """The kept response for a URL, if any."""
        with self._lock:
            return self._entries.get(url)

    def put(self, response: CachedResponse) -> None:
        """Keep a response, replacing any for the same URL."""
        with self._lock:
            self._entries[response.url] = response


class DirectoryCache:
    """A cache in a folder: one JSON file per URL, written atomically.

    Args:
        folder: The folder; created when missing. An unreadable entry counts as missing.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, url: str) -> Path:
        return self.folder / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.json"

    def get(self, url: str) -> CachedResponse | None:
        """The kept response for a URL, if any."""
        try:
            raw = json.loads(self._path(url).read_text(encoding="utf-8"))
            if raw["url"] != url:
                return None
            return CachedResponse(url, raw["etag"], raw["last_modified"], raw["body"].encode("utf-8"))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, response: CachedResponse) -> None:
        """Keep a response, replacing any for the same URL."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(response.url)
        entry = {
            "url": response.url,
            "etag": response.etag,
            "last_modified": response.last_modified,
            "body": response.body.decode("utf-8", errors="replace"),
        }
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)


@dataclass
class FetchStats:
    """What the client asked the server, counted (for reports and benchmarks).

    Attributes:
        requests: HTTP requests sent, retries included.
        downloads: Responses with a body (200).
        not_modified: Responses 304, answered from the cache.
        retries: Requests repeated after a timeout, a lost connection, 429 or 5xx.
    """

    requests: int = 0
    downloads: int = 0
    not_modified: int = 0
    retries: int = 0


# --- Response models: tolerant of extra fields, strict about the ones used -----------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def _ioc(value: str) -> str:
    """A nation as an IOC code (the plausibility rules' ``nation_problem``); anything else is refused, never shown."""
    problem = nation_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _ioc_or_empty(value: str) -> str:
    return value if value == "" else _ioc(value)


_Nation = Annotated[str, pydantic.AfterValidator(_ioc)]


class _Track(_Model):
    name: str = ""
    city: str = ""
    country: Annotated[str, pydantic.AfterValidator(_ioc_or_empty)] = ""
    timeZone: str | None = None


class _Event(_Model):
    isuId: str
    name: str
    start: date
    end: date
    tags: list[str] = []
    track: _Track | None = None
    isCancelled: bool = False


class _EventsPage(_Model):
    next: str | None = None
    results: list[Any]


class _Distance(_Model):
    identifier: str | None = None
    name: str = ""
    distance: int | None = None
    lapCount: int | None = pydantic.Field(default=None, ge=1, le=100)


class _Competition(_Model):
    scheduleNumber: int = pydantic.Field(ge=0, le=9999)
    title: str
    start: datetime | date | None = None
    distance: _Distance
    category: str
    division: str | None = None
    isOfficial: bool = False
    isLive: bool | None = None
    lastUpdate: datetime | None = None
    modified: datetime | None = None

    @pydantic.field_validator("start", mode="before")
    @classmethod
    def _day_or_moment(cls, value: Any) -> Any:
        # Old races give a day ("2011-11-18"), which would otherwise read as midnight UTC.
        if isinstance(value, str) and "T" not in value and " " not in value.strip():
            return date.fromisoformat(value) if _DAY_RE.match(value) else value
        return value


class _Skater(_Model):
    id: int
    firstName: str
    lastName: str
    country: _Nation


class _Team(_Model):
    """A team row's team, at the row's top level (``row.team``), as public clients of the API
    read it: name, country, gender. No recorded response has one; no members list was seen."""

    name: str = ""
    country: _Nation
    gender: str | None = None


class _Competitor(_Model):
    number: int | None = None
    skater: _Skater | None = None


class _Lap(_Model):
    number: int = pydantic.Field(ge=1)
    time: str | None = None
    passageTime: str | None = None
    rank: int | None = pydantic.Field(default=None, ge=1)
    sprintPoints: int | None = pydantic.Field(default=None, ge=0)


class _Row(_Model):
    id: int | None = None
    type: str | None = None
    competitor: _Competitor | None = None
    skater: _Skater | None = None
    team: _Team | None = None
    rank: int | None = None
    status: int | None = None
    time: str | None = None
    timeBehind: str | None = None
    startNumber: int | None = None
    startLane: str | None = None
    laps: list[_Lap] = []


_M = TypeVar("_M", bound=_Model)


def _validate(model: type[_M], raw: Any, url: str, row: int | None) -> _M:
    try:
        return model.model_validate(raw)
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        given = f" (got {_shown(first['input'])})" if first["type"] != "missing" else ""
        raise ImportRefused(url, f"{first['msg']}{given}", row=row, field=field) from error


def _shown(value: Any) -> str:
    """A value from a response, short enough for one line of a log."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."


def _list(raw: Any, url: str) -> list[Any]:
    if not isinstance(raw, list):
        raise ImportRefused(url, f"expected a list of rows, got {type(raw).__name__}")
    return raw


# --- The client ---------------------------------------------------------------------------


class _RetryableStatus(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        self.status = status
        self.retry_after = retry_after
        super().__init__(f"HTTP {status}")


@dataclass(frozen=True)
class _Answer:
    """A response read whole: its status, the validators and the body."""

    status: int
    etag: str | None
    last_modified: str | None
    body: bytes


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (seconds or an HTTP date), or ``None``."""
    if not value:
        return None
    if is_number(value.strip()):
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class _Wait(tenacity.wait.wait_base):
    """Exponential backoff, or the server's ``Retry-After`` (capped) where it gives one."""

    def __init__(self, backoff: float, max_backoff: float, max_retry_after: float) -> None:
        self.exponential = tenacity.wait_exponential(multiplier=backoff, max=max_backoff)
        self.max_retry_after = max_retry_after

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome is not None else None
        if isinstance(error, _RetryableStatus) and error.retry_after is not None:
            return min(error.retry_after, self.max_retry_after)
        return float(self.exponential(retry_state))


def _retryable(error: BaseException) -> bool:
    return isinstance(error, _RetryableStatus | httpx.TransportError)


def _base_url(base_url: str | None) -> str:
    return (base_url or os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL).rstrip("/")


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and port (the scheme's default where none is written)."""
    return url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme)


class IsuApi:
    """A client for the ISU results API.

    Use it as a context manager (or call ``close``) to release its connections. The client
    may be shared by a few threads; it never opens more than ``MAX_CONNECTIONS`` at once.

    It talks to the configured server only. A redirect is followed only within the same scheme,
    host and port, at most ``MAX_REDIRECTS`` hops and never in a loop; one elsewhere is refused
    naming both URLs. Each request (each attempt) must be answered whole within ``deadline``
    seconds and ``max_bytes`` bytes; a body dripping in byte by byte is cut off at the first byte
    past the deadline (each read waits at most ``timeout``).

    Args:
        base_url: The API's base URL; default ``RINKSIDE_ISU_API_URL``, else
            ``https://api.isuresults.eu``.
        cache: Where response bodies are kept for conditional requests: a folder, any
            ``ResponseCache``, or ``None`` for a cache in memory for this client's lifetime.
        timeout: Seconds to wait to connect and for each read.
        deadline: Seconds one request may take as a whole, connecting to the body's last byte.
        max_bytes: The largest body read (after decompression).
        attempts: Requests made at most for one URL (the first and the retries).
        backoff: First wait between retries, in seconds; it doubles each retry.
        max_backoff: Longest wait between retries, in seconds.
        max_retry_after: Longest wait a 429's ``Retry-After`` may impose, in seconds.
        user_agent: The ``User-Agent`` header.
        sleep: How to wait between retries (tests pass a recorder).
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        cache: ResponseCache | Path | None = None,
        timeout: float = 15.0,
        deadline: float = DEFAULT_DEADLINE,
        max_bytes: int = MAX_BODY_BYTES,
        attempts: int = 4,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        max_retry_after: float = 60.0,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = _base_url(base_url)
        try:
            origin = httpx.URL(self.base_url)
        except httpx.InvalidURL as error:
            raise IsuApiError(self.base_url, f"not a URL the client can use ({error})") from error
        if origin.scheme not in _DEFAULT_PORTS or not origin.host:
            raise IsuApiError(self.base_url, "the API's URL must be http:// or https:// with a host")
        self._origin = _origin(origin)
        self.cache: ResponseCache = (
            DirectoryCache(cache) if isinstance(cache, Path) else cache if cache is not None else MemoryCache()
        )
        self.timeout = timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.stats = FetchStats()
        self._stats_lock = threading.Lock()
        self._client = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS),
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            follow_redirects=False,  # followed by hand, within the configured server only
        )
        self._retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(_retryable),
            stop=tenacity.stop_after_attempt(max(1, attempts)),
            wait=_Wait(backoff, max_backoff, max_retry_after),
            sleep=sleep,
            before_sleep=lambda _state: self._count("retries"),
            reraise=True,
        )

    def __enter__(self) -> IsuApi:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the connections."""
        self._client.close()

    def url(self, path: str) -> str:
        """The full URL of a path below the base URL (as errors name it)."""
        return path if "://" in path else f"{self.base_url}{path}"

    # -- endpoints --

    def events(self, season: str) -> Calendar:
        """The season's senior World Cup events, numbered by start date.

        Follows the listing's ``next`` pages. Events not tagged both ``world-cup`` and
        ``senior`` are counted and left out; cancelled ones are reported apart, unnumbered. An
        event listed twice (one ``isuId``) is one event: counted once, and said in ``notes``.

        Args:
            season: Season id, e.g. ``2011-12`` (the API's ``season=2012``).

        Returns:
            The season's calendar.

        Raises:
            UnknownSelection: If ``season`` is not a season id.
            ImportRefused: If a response or an event is malformed (URL, row, field named), or
                one ``isuId`` is listed twice as two different events (which is which World
                Cup cannot be told then).
            IsuApiError: If the API does not answer usefully, even after retries.
        """
        url: str | None = f"/events/?season={api_season(season)}"
        kept: dict[str, tuple[_Event, str, int]] = {}
        notes: list[str] = []
        others = pages = 0
        seen: set[str] = set()
        while url is not None and url not in seen and pages < _MAX_PAGES:
            seen.add(url)
            raw, _ = self._get_json(url)
            pages += 1
            page = _validate(_EventsPage, raw, self.url(url), None)
            for row, item in enumerate(page.results, start=1):
                tags = item.get("tags") if isinstance(item, dict) else None
                if not (isinstance(tags, list) and "world-cup" in tags and "senior" in tags):
                    others += 1
                    continue
                listed = _validate(_Event, item, self.url(url), row)
                earlier = kept.get(listed.isuId)
                if earlier is None:
                    kept[listed.isuId] = (listed, self.url(url), row)
                elif earlier[0] == listed:
                    notes.append(
                        f"event {listed.isuId} is listed twice ({earlier[1]} row {earlier[2]}, {self.url(url)} "
                        f"row {row}): one World Cup, counted once"
                    )
                else:
                    raise ImportRefused(
                        self.url(url),
                        f"event {listed.isuId} is listed twice as two different events (first at {earlier[1]} "
                        f"row {earlier[2]}): the season's World Cup numbers cannot be told",
                        row=row,
                        field="isuId",
                    )
            url = self._rebase(page.next) if page.next else None
        events = [listed for listed, _, _ in kept.values()]
        held = sorted((e for e in events if not e.isCancelled), key=lambda e: (e.start, e.isuId))
        numbered = tuple(_event(e, season, number) for number, e in enumerate(held, start=1))
        cancelled = tuple(_event(e, season, 0) for e in sorted(events, key=lambda e: e.start) if e.isCancelled)
        return Calendar(season, numbered, cancelled, others, pages, tuple(notes))

    def races(self, event: ApiEvent) -> Programme:
        """An event's races (``/events/{isuId}/competitions/``).

        Raises:
            ImportRefused: If the list or a race in it is malformed (URL, row, field named).
            IsuApiNotFound: If the API has no such event (removed).
            IsuApiError: If the API does not answer usefully, even after retries.
        """
        path = f"/events/{event.isu_id}/competitions/"
        raw, _ = self._get_json(path)
        races: list[ApiRace] = []
        unsupported: list[str] = []
        for row, item in enumerate(_list(raw, self.url(path)), start=1):
            competition = _validate(_Competition, item, self.url(path), row)
            race = _race(event, competition)
            if isinstance(race, str):
                unsupported.append(race)
            else:
                races.append(race)
        races.sort(key=lambda r: r.schedule_number)
        return Programme(event, tuple(races), tuple(unsupported))

    def results(self, race: ApiRace) -> RaceResults:
        """A race's results (``.../results/?inSeconds=0``), validated row by row.

        Rows without rank and status (not raced yet) are counted as ``pending``, not results. A
        team race's rows carry the team at the row's top level (``row.team``: name, country,
        gender), as the API's other public clients read them; a mass start's laps may carry
        ``sprintPoints``.

        Raises:
            ImportRefused: If a row is malformed or not of the race's shape (a team race's row
                without ``team``, a skater's row in a team race, sprint points on a lap that is
                no sprint): the URL, the 1-based row and the field named.
            IsuApiNotFound: If the API has no such race (removed).
            IsuApiError: If the API does not answer usefully, even after retries.
        """
        path = race.results_path
        raw, not_modified = self._get_json(path)
        url = self.url(path)
        results: list[ApiResult] = []
        pending = 0
        for row, item in enumerate(_list(raw, url), start=1):
            parsed = _validate(_Row, item, url, row)
            if parsed.rank is None and parsed.status is None:
                pending += 1
                continue
            results.append(_result(parsed, row, url, race))
        return RaceResults(race, tuple(results), pending, not_modified)

    # -- plumbing --

    def _rebase(self, url: str) -> str:
        """A ``next`` link, kept on the configured server (the API writes its own host into it)."""
        parts = urlsplit(url)
        return f"{parts.path}?{parts.query}" if parts.query else parts.path

    def _count(self, what: str) -> None:
        with self._stats_lock:
            setattr(self.stats, what, getattr(self.stats, what) + 1)

    def _get_json(self, path: str) -> tuple[Any, bool]:
        """The parsed JSON at ``path`` and whether it came from the cache after a 304.

        Every failure is one error naming the URL: ``IsuApiError`` where the API did not answer
        usefully, ``ImportRefused`` where its answer is not JSON the client can read.
        """
        url = self.url(path)
        cached = self.cache.get(url)
        headers: dict[str, str] = {}
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached is not None and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        try:
            answer = self._retrying(self._send, path, headers)
        except _RetryableStatus as error:
            raise IsuApiUnavailable(url, f"HTTP {error.status} after the retries") from error
        except httpx.TimeoutException as error:
            raise IsuApiUnavailable(url, f"no answer within the timeout after the retries ({error!r})") from error
        except httpx.TransportError as error:
            raise IsuApiUnavailable(url, f"cannot reach the API after the retries ({error!r})") from error
        except httpx.DecodingError as error:
            raise IsuApiError(url, f"the response's body cannot be decoded as its headers say ({error})") from error
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise IsuApiError(url, f"the request failed ({type(error).__name__}: {error})") from error
        if answer.status == 304 and cached is not None:
            self._count("not_modified")
            body, not_modified = cached.body, True
        elif answer.status == 404:
            raise IsuApiNotFound(url, "not found (HTTP 404): the event or race is not, or no longer, on the API")
        elif answer.status != 200:
            raise IsuApiError(url, f"unexpected HTTP {answer.status}")
        else:
            self._count("downloads")
            body, not_modified = answer.body, False
            if answer.etag or answer.last_modified:
                self.cache.put(CachedResponse(url, answer.etag, answer.last_modified, body))
        try:
            return json.loads(body), not_modified
        except RecursionError as error:
            raise ImportRefused(url, "the response nests deeper than any results do: not read") from error
        except ValueError as error:
            raise ImportRefused(url, f"the response is not valid JSON (truncated?): {error}") from error

    def _send(self, path: str, headers: dict[str, str]) -> _Answer:
        """One request (one attempt), its redirects within the server followed, read whole."""
        url = self.url(path)
        deadline = time.monotonic() + self.deadline
        target = path
        visited = {url}
        for _hop in range(MAX_REDIRECTS + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise IsuApiUnavailable(url, f"not answered within the deadline of {self.deadline:g} s")
            self._count("requests")
            timeout = httpx.Timeout(min(self.timeout, remaining))
            with self._client.stream("GET", target, headers=headers, timeout=timeout) as response:
                if response.status_code in _REDIRECTS:
                    target = self._redirect(url, response, visited)
                    continue
                if response.status_code == 429 or response.status_code >= 500:
                    raise _RetryableStatus(response.status_code, _retry_after(response.headers.get("Retry-After")))
                body = self._read(url, response, deadline)
                return _Answer(
                    response.status_code, response.headers.get("ETag"), response.headers.get("Last-Modified"), body
                )
        raise IsuApiError(url, f"more than {MAX_REDIRECTS} redirects: not followed further")

    def _redirect(self, url: str, response: httpx.Response, visited: set[str]) -> str:
        """Where a redirect leads, if within the configured server and not back to a URL asked for."""
        location = response.headers.get("Location", "")
        try:
            target = response.url.join(location)
        except httpx.InvalidURL as error:
            raise IsuApiError(url, f"redirected to {_shown(location)}, which is not a URL") from error
        if _origin(target) != self._origin:
            raise IsuApiError(
                url,
                f"redirected (HTTP {response.status_code}) to {_shown(str(target))}, off the configured API "
                f"{self.base_url}: not followed (a sync talks to that server only)",
            )
        if str(target) in visited:
            raise IsuApiError(url, f"redirected in a loop (back to {_shown(str(target))}): not followed")
        visited.add(str(target))
        return str(target)

    def _read(self, url: str, response: httpx.Response, deadline: float) -> bytes:
        """The body, within the size limit and the deadline."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise IsuApiError(url, f"the response is {int(declared):,} bytes, over the limit of {self.max_bytes:,}")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise IsuApiError(url, f"the response is over the limit of {self.max_bytes:,} bytes: not read further")
            if time.monotonic() > deadline:
                raise IsuApiUnavailable(
                    url, f"the response did not arrive whole within the deadline of {self.deadline:g} s"
                )
            chunks.append(chunk)
        return b"".join(chunks)


# --- Normalisation ------------------------------------------------------------------------


def _event(raw: _Event, season: str, world_cup: int) -> ApiEvent:
    track = raw.track or _Track()
    return ApiEvent(
        isu_id=raw.isuId,
        name=raw.name,
        season=season,
        world_cup=world_cup,
        start=raw.start,
        end=raw.end,
        venue=track.name,
        city=track.city,
        country=track.country,
        time_zone=track.timeZone or RINK_TIME_ZONES.get(track.city),
        is_final="final" in raw.tags,
        cancelled=raw.isCancelled,
        tags=tuple(raw.tags),
    )


def _distance(competition: _Competition) -> str | None:
    words = f"{competition.title} {competition.distance.name}".lower()
    identifier = (competition.distance.identifier or "").upper()
    if "mass start" in words or identifier.startswith("MS"):
        return "mass-start"
    if "team pursuit" in words or identifier.startswith("TP"):
        return "team-pursuit"
    if "team sprint" in words or identifier.startswith("TS"):
        return "team-sprint"
    if competition.distance.distance in _INDIVIDUAL_DISTANCES:
        return str(competition.distance.distance)
    return None


def _local(moment: datetime, time_zone: str | None) -> datetime:
    if time_zone is None or moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone(ZoneInfo(time_zone))
    except (ZoneInfoNotFoundError, ValueError):
        return moment


def _race(event: ApiEvent, competition: _Competition) -> ApiRace | str:
    """The race, or a sentence saying why it is left out."""
    what = f"race {competition.scheduleNumber} {competition.title!r}"
    distance = _distance(competition)
    if distance is None:
        return f"{event.isu_id} {what}: distance {competition.distance.name!r} is not one Rinkside knows"
    gender = _GENDERS.get(competition.category)
    if gender is None:
        return f"{event.isu_id} {what}: category {competition.category!r} is neither F nor M"
    titled = _DIVISION_RE.search(competition.title)
    division = competition.division if competition.division in ("A", "B") else titled["division"] if titled else "A"
    ordinal = _ORDINAL_RE.search(f" {competition.title} ")
    start: datetime | None = None
    day: date | None = None
    if isinstance(competition.start, datetime):
        start = _local(competition.start, event.time_zone)
        day = start.date()
    elif isinstance(competition.start, date):
        day = competition.start
    return ApiRace(
        event=event,
        schedule_number=competition.scheduleNumber,
        title=competition.title,
        distance=distance,
        gender=gender,
        division=division,
        race_number=int(ordinal["number"]) if ordinal else 0,
        official=competition.isOfficial,
        last_update=competition.lastUpdate or competition.modified,
        start=start,
        day=day,
        lap_count=competition.distance.lapCount,
        live=bool(competition.isLive),
    )


#: The team races: their rows carry ``row.team``, never a skater.
_TEAM_DISTANCES: Final = frozenset({"team-pursuit", "team-sprint"})
#: A mass start's sprints: the intermediate sprints after every quarter of the laps, then the final.
_SPRINTS: Final = 4


def _sprint_points(row: _Row, number: int, url: str, race: ApiRace) -> tuple[int | None, ...]:
    """A mass-start row's points per sprint, from ``laps[].sprintPoints`` (``()`` where none is given)."""
    given = {lap.number: lap.sprintPoints for lap in row.laps if lap.sprintPoints is not None}
    if not given:
        return ()
    laps = race.lap_count or 16
    if laps % _SPRINTS:
        raise ImportRefused(
            url, f"a mass start of {laps} laps has no sprint every {laps / _SPRINTS:g} laps", row=number
        )
    sprint_laps = [laps // _SPRINTS * k for k in range(1, _SPRINTS + 1)]
    for lap_number, points in given.items():
        if lap_number not in sprint_laps and points:
            raise ImportRefused(
                url,
                f"lap {lap_number} gives {points} sprint points; the sprints of {laps} laps are laps "
                f"{', '.join(map(str, sprint_laps))}",
                row=number,
                field="laps.sprintPoints",
            )
    return tuple(given.get(lap) for lap in sprint_laps)


def _result(row: _Row, number: int, url: str, race: ApiRace) -> ApiResult:
    skater = row.skater or (row.competitor.skater if row.competitor else None)
    is_team_race = race.distance in _TEAM_DISTANCES
    if is_team_race and row.team is None:
        problem = "a team race's row carries its team at the row's top level (team: name, country, gender)"
        raise ImportRefused(url, problem, row=number, field="team")
    if not is_team_race and (row.team is not None or row.type == "team"):
        raise ImportRefused(url, f"a team's row in a race of skaters ({race.kind})", row=number, field="team")
    seconds: float | None = None
    if row.time:
        try:
            seconds = time_seconds(row.time)
        except ValueError as error:
            raise ImportRefused(url, str(error), row=number, field="time") from error
    laps: list[ApiLap] = []
    for index, lap in enumerate(sorted(row.laps, key=lambda lap: lap.number)):
        for name, value in (("time", lap.time), ("passageTime", lap.passageTime)):
            if value:
                try:
                    time_seconds(value)
                except ValueError as error:
                    raise ImportRefused(url, f"lap {lap.number}: {error}", row=number, field=f"laps.{name}") from error
        if index and lap.number == laps[-1].number:
            raise ImportRefused(url, f"lap {lap.number} is given twice", row=number, field="laps.number")
        laps.append(ApiLap(lap.number, lap.time or None, lap.passageTime or None, lap.rank, lap.sprintPoints))
    common: dict[str, Any] = {
        "row": number,
        "rank": row.rank,
        "status": row.status if row.status is not None else 0,
        "time": row.time or None,
        "time_seconds": seconds,
        "time_behind": row.timeBehind or None,
        "pair": row.startNumber,
        "bib": row.competitor.number if row.competitor else None,
        "lane": _LANES.get(row.startLane, row.startLane) if row.startLane else None,
        "laps": tuple(laps),
        "sprint_points": _sprint_points(row, number, url, race) if race.distance == "mass-start" else (),
    }
    if row.team is not None:
        return ApiResult(
            skater_id=None,
            first_name="",
            last_name=row.team.name.strip() or row.team.country,
            nation=row.team.country,
            **common,
        )
    if skater is not None:
        return ApiResult(
            skater_id=skater.id,
            first_name=skater.firstName.strip(),
            last_name=skater.lastName.strip(),
            nation=skater.country,
            **common,
        )
    raise ImportRefused(url, "the row names neither a skater nor a team", row=number, field="competitor")
