"""Client for the ISU results API (``https://api.isuresults.eu``): events, races and results.

The API is JSON without a key; its shapes are observed, not documented (as public clients of
the API show them), so every response is validated row by row with
models that ignore extra fields and name a missing or mistyped one: a bad row raises
``ImportRefused`` naming the URL, the 1-based row and the field.

What the client gives is normalised into frozen dataclasses in the project's own words
(``ApiEvent``, ``ApiRace``, ``ApiResult``; distances, genders and divisions as in
``standings.model``). It computes no points and touches no store; ``races`` makes of a race's
results the ``standings.model.RaceImport`` that ``standings.storage.sync`` writes.

The modules:

- ``types``: the normalised objects, the client's errors, the season numbering.
- ``wire``: the response models (pydantic), validated row by row.
- ``normalise``: the response models made into the normalised objects.
- ``cache``: where response bodies are kept for conditional requests.
- ``client``: ``IsuApi``, the HTTP client (httpx, tenacity).
- ``races``: the translation of a race's results to ``standings.model`` (``race_import``).

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

from standings.sources.isu_api.cache import CachedResponse, DirectoryCache, MemoryCache, ResponseCache
from standings.sources.isu_api.client import (
    BASE_URL_VARIABLE,
    DEFAULT_BASE_URL,
    DEFAULT_DEADLINE,
    MAX_BODY_BYTES,
    MAX_CONNECTIONS,
    MAX_REDIRECTS,
    USER_AGENT,
    FetchStats,
    IsuApi,
)
from standings.sources.isu_api.normalise import RINK_TIME_ZONES
from standings.sources.isu_api.types import (
    ApiEvent,
    ApiLap,
    ApiRace,
    ApiResult,
    Calendar,
    IsuApiError,
    IsuApiNotFound,
    IsuApiUnavailable,
    Programme,
    RaceResults,
    api_season,
    season_id,
)

__all__ = [
    "BASE_URL_VARIABLE",
    "DEFAULT_BASE_URL",
    "DEFAULT_DEADLINE",
    "MAX_BODY_BYTES",
    "MAX_CONNECTIONS",
    "MAX_REDIRECTS",
    "RINK_TIME_ZONES",
    "USER_AGENT",
    "ApiEvent",
    "ApiLap",
    "ApiRace",
    "ApiResult",
    "CachedResponse",
    "Calendar",
    "DirectoryCache",
    "FetchStats",
    "IsuApi",
    "IsuApiError",
    "IsuApiNotFound",
    "IsuApiUnavailable",
    "MemoryCache",
    "Programme",
    "RaceResults",
    "ResponseCache",
    "api_season",
    "season_id",
]
