"""The HTTP client: httpx with timeouts, a deadline and a size limit per request, redirects kept
on the configured server, tenacity's retries with backoff (a 429's ``Retry-After`` honoured,
capped), and conditional requests answered from a ``ResponseCache``."""

from __future__ import annotations

import email.utils
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Final
from urllib.parse import urlsplit

import httpx
import tenacity

from standings.errors import ImportRefused
from standings.model import is_number
from standings.sources.isu_api.cache import CachedResponse, DirectoryCache, MemoryCache, ResponseCache
from standings.sources.isu_api.normalise import _event, _race, _result
from standings.sources.isu_api.types import (
    ApiEvent,
    ApiRace,
    ApiResult,
    Calendar,
    IsuApiError,
    IsuApiNotFound,
    IsuApiUnavailable,
    Programme,
    RaceResults,
    api_season,
)
from standings.sources.isu_api.wire import _Competition, _Event, _EventsPage, _list, _Row, _shown, _validate

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
