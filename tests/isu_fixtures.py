"""A recorded ISU results API on 127.0.0.1, built at test time from the shared samples.

``IsuFixtureServer`` serves the API's three endpoints from data it holds in plain dicts, so a
test can change that data between two syncs (``set_results``, ``set_official``,
``remove_event``, ``cancel_event``, ``add_event``, ``modern_phase``) and inject faults
(``fail_once``, ``delay_once``, ``respond_once``)::

    with IsuFixtureServer.from_samples(page_size=2) as api_server:
        with IsuApi(api_server.url) as api:
            calendar = api.events("2011-12")

What it holds, from ``../shared/data/isu-api-samples`` (never committed: read here):

- season 2012 (2011/12): ``events.json``'s 2011/12 races grouped into events by track city and
  start date (Chelyabinsk, Astana, Heerenveen, Salt Lake City, part of Hamar), ids
  ``2012_RUS_0001`` ..., tagged ``world-cup``/``senior``; races numbered by start day and the
  sample's id, every race official, results in the old flat row shape (``skater`` in the row,
  the division in the title).
- season 2026: the modern responses of event ``2026_USA_0002`` (the US Olympic Trials, served
  here tagged ``world-cup``/``senior`` so that the client takes it): its competitions list and
  the men's 1000 m (race 4) either in progress (``modern_phase("early")``, the default: not
  official, 18 skaters still to race) or finished (``"late"``: official, one status-2 row).
  The other races' results were not recorded and are served as empty lists.

Every 200 response carries an ``ETag`` (a hash of the body) and a matching ``If-None-Match``
gets a ``304`` with no body, unless the server is built with ``etags=False``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Final

import pandas as pd
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from standings.model import time_seconds

from shared_data import MISSING

ROOT: Final = Path(__file__).resolve().parent.parent
SAMPLES: Final = ROOT.parent / "shared" / "data" / "isu-api-samples"
MODERN: Final = SAMPLES / "modern-2026"
MODERN_EVENT: Final = "2026_USA_0002"
#: The men's 1000 m in the modern competitions list.
MODERN_RACE: Final = 4
SAMPLES_MISSING: Final = MISSING  # the one reason every test needing shared files gives

_TIME_ZONES: Final = {
    "Chelyabinsk": "Asia/Yekaterinburg",
    "Nur-Sultan": "Asia/Almaty",
    "Heerenveen": "Europe/Amsterdam",
    "Salt Lake City": "America/Denver",
    "Hamar": "Europe/Oslo",
    "Collalbo": "Europe/Rome",
}
_EVENTS_PATH: Final = re.compile(r"^/events/$")
_COMPETITIONS_PATH: Final = re.compile(r"^/events/(?P<event>[^/]+)/competitions/$")
_RESULTS_PATH: Final = re.compile(r"^/events/(?P<event>[^/]+)/competitions/(?P<number>\d+)/results/$")


@dataclass(frozen=True)
class Served:
    """One request the server answered: ``path`` with its query, and the status sent."""

    method: str
    path: str
    status: int


def samples_present() -> bool:
    """Whether the shared samples are beside the project."""
    return (SAMPLES / "events.json").is_file() and MODERN.is_dir()


def season_2012_races() -> list[dict[str, Any]]:
    """The 2011/12 races of ``events.json``, as recorded."""
    races = json.loads((SAMPLES / "events.json").read_text(encoding="utf-8"))
    return [r for r in races if r["season"] == 2012]


def group_events(races: list[dict[str, Any]], season: int) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Old-shape races grouped into events by track city and start date, as ``(event, races)``.

    A new event starts where the city changes or more than four days pass since the last race.
    """
    groups: list[list[dict[str, Any]]] = []
    for race in sorted(races, key=lambda r: (r["start"], r["id"])):
        last = groups[-1][-1] if groups else None
        if (
            last is None
            or last["track"]["city"] != race["track"]["city"]
            or date.fromisoformat(race["start"]) - date.fromisoformat(last["start"]) > timedelta(days=4)
        ):
            groups.append([])
        groups[-1].append(race)
    per_country: dict[str, int] = {}
    events = []
    for number, group in enumerate(groups, start=1):
        track = group[0]["track"]
        per_country[track["country"]] = per_country.get(track["country"], 0) + 1
        isu_id = f"{season}_{track['country']}_{per_country[track['country']]:04d}"
        event = {
            "id": number,
            "name": group[0]["title"].split(" - ")[0],
            "isuShortName": f"wcss{track['country'].lower()}{season}",
            "isuId": isu_id,
            "start": group[0]["start"],
            "end": group[-1]["start"],
            "season": season,
            "tags": ["world-cup", "senior"],
            "track": {**track, "timeZone": _TIME_ZONES.get(track["city"])},
            "isPublished": True,
            "isCancelled": False,
            "competitionsUrl": f"/events/{isu_id}/competitions/",
        }
        events.append((event, group))
    return events


def _competition(isu_id: str, number: int, race: dict[str, Any]) -> dict[str, Any]:
    return {
        "scheduleNumber": number,
        "type": "ID",
        "title": race["title"],
        "subTitle": "",
        "start": race["start"],
        "distance": {"identifier": f"ID_{race['distance']['distance']}", **race["distance"]},
        "category": race["category"],
        "division": "",
        "isOfficial": True,
        "resultsUrl": f"/events/{isu_id}/competitions/{number}/results/",
        "lastUpdate": f"{race['start']}T22:00:00Z",
    }


class IsuFixtureServer:
    """The ISU results API's endpoints on a real HTTP server on 127.0.0.1.

    Args:
        page_size: Events per page of ``/events/`` (small, to exercise ``next``).
        etags: Whether responses carry ETags and ``If-None-Match`` is answered ``304``.
        server: A running ``HTTPServer`` to serve on (e.g. one per test module: stopping a server
            takes half a second); by default the fixture starts and stops its own.
    """

    def __init__(self, *, page_size: int = 2, etags: bool = True, server: HTTPServer | None = None) -> None:
        self.page_size = page_size
        self.etags = etags
        #: Events per API season number, in listing order.
        self.events: dict[int, list[dict[str, Any]]] = {}
        #: Competitions (races) per event id.
        self.competitions: dict[str, list[dict[str, Any]]] = {}
        #: Result rows per (event id, schedule number).
        self.results: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self._owned = server is None
        self.server = HTTPServer(host="127.0.0.1", threaded=True) if server is None else server

    @classmethod
    def from_samples(
        cls, *, page_size: int = 2, etags: bool = True, server: HTTPServer | None = None
    ) -> IsuFixtureServer:
        """A server holding the 2011/12 and the modern samples (see the module's docstring)."""
        fixtures = cls(page_size=page_size, etags=etags, server=server)
        for event, races in group_events(season_2012_races(), 2012):
            fixtures.add_event(event)
            for number, race in enumerate(races, start=1):
                fixtures.competitions[event["isuId"]].append(_competition(event["isuId"], number, race))
                fixtures.results[(event["isuId"], number)] = copy.deepcopy(race["results"])
        fixtures.add_event(
            {
                "id": 900,
                "name": "US Olympic Trials Long Track (served as a World Cup by the fixture)",
                "isuId": MODERN_EVENT,
                "start": "2026-01-02",
                "end": "2026-01-04",
                "season": 2026,
                "tags": ["world-cup", "senior"],
                "track": {
                    "name": "Pettit National Ice Center",
                    "city": "Milwaukee",
                    "country": "USA",
                    "timeZone": "America/Chicago",
                },
                "isPublished": True,
                "isCancelled": False,
            }
        )
        recorded = json.loads((MODERN / f"events-{MODERN_EVENT}-competitions.json").read_text(encoding="utf-8"))
        fixtures.competitions[MODERN_EVENT] = recorded
        for competition in recorded:
            fixtures.results[(MODERN_EVENT, competition["scheduleNumber"])] = []
        fixtures.modern_phase("early")
        return fixtures

    # -- lifecycle --

    def start(self) -> IsuFixtureServer:
        """Start serving; ``url`` is valid from now on."""
        self.server.clear()
        if not self.server.is_running():
            self.server.start()
        self.server.expect_request(re.compile(r"^/.*")).respond_with_handler(self._handle)
        return self

    def stop(self) -> None:
        """Stop serving (a server passed in keeps running, with no handlers left)."""
        self.server.clear()
        if self._owned and self.server.is_running():
            self.server.stop()

    def __enter__(self) -> IsuFixtureServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:40123``."""
        return self.server.url_for("").rstrip("/")

    # -- the data, changeable between syncs --

    def add_event(self, event: dict[str, Any]) -> None:
        """List an event (its ``season`` says which listing), with no races yet."""
        self.events.setdefault(int(event["season"]), []).append(event)
        self.competitions.setdefault(event["isuId"], [])

    def event(self, isu_id: str) -> dict[str, Any]:
        """A listed event's record (change it in place to change what is served)."""
        return next(e for events in self.events.values() for e in events if e["isuId"] == isu_id)

    def remove_event(self, isu_id: str) -> None:
        """Take an event off the listing and its races and results off the server (404 from now on)."""
        for events in self.events.values():
            events[:] = [e for e in events if e["isuId"] != isu_id]
        self.competitions.pop(isu_id, None)
        for key in [k for k in self.results if k[0] == isu_id]:
            del self.results[key]

    def cancel_event(self, isu_id: str) -> None:
        """Mark an event cancelled in the listing."""
        self.event(isu_id)["isCancelled"] = True

    def competition(self, isu_id: str, number: int) -> dict[str, Any]:
        """A race's record in its event's competitions list."""
        return next(c for c in self.competitions[isu_id] if c["scheduleNumber"] == number)

    def set_official(self, isu_id: str, number: int, official: bool, last_update: str) -> None:
        """Change a race's ``isOfficial`` and ``lastUpdate`` (e.g. ``2026-01-03T23:03:56Z``)."""
        competition = self.competition(isu_id, number)
        competition["isOfficial"] = official
        competition["lastUpdate"] = last_update

    def set_results(
        self,
        isu_id: str,
        number: int,
        rows: list[dict[str, Any]],
        *,
        official: bool | None = None,
        last_update: str | None = None,
    ) -> None:
        """Replace a race's result rows, and optionally its official flag and ``lastUpdate``."""
        self.results[(isu_id, number)] = rows
        competition = self.competition(isu_id, number)
        if official is not None:
            competition["isOfficial"] = official
        if last_update is not None:
            competition["lastUpdate"] = last_update

    def modern_phase(self, phase: str) -> None:
        """The modern men's 1000 m as recorded ``early`` (in progress) or ``late`` (finished)."""
        rows = json.loads(
            (MODERN / f"events-{MODERN_EVENT}-competitions-N-results-men1000-{phase}.json").read_text(encoding="utf-8")
        )
        official, last_update = (False, "2026-01-03T22:17:23Z") if phase == "early" else (True, "2026-01-03T23:03:56Z")
        self.set_results(MODERN_EVENT, MODERN_RACE, rows, official=official, last_update=last_update)

    # -- faults, each for the next matching request only --

    def respond_once(
        self, path: str, body: bytes | str, *, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        """Answer the next request for ``path`` (no query) with this body and status."""
        self.server.expect_oneshot_request(path).respond_with_data(
            body, status=status, headers=headers, content_type="application/json"
        )

    def fail_once(self, path: str, status: int, *, headers: dict[str, str] | None = None) -> None:
        """Answer the next request for ``path`` with an error status (500, 429 ...)."""
        self.respond_once(path, json.dumps({"detail": f"fixture error {status}"}), status=status, headers=headers)

    def delay_once(self, path: str, seconds: float) -> None:
        """Make the next request for ``path`` wait ``seconds`` before it is answered as usual."""

        def slow(request: Request) -> Response:
            time.sleep(seconds)
            return self._handle(request)

        self.server.expect_oneshot_request(path).respond_with_handler(slow)

    # -- what was asked --

    def served(self) -> list[Served]:
        """Every request answered so far, in order."""
        return [
            Served(request.method, request.full_path.rstrip("?"), response.status_code)
            for request, response in self.server.log
        ]

    def clear_log(self) -> None:
        """Forget the requests answered so far."""
        self.server.clear_log()

    # -- the endpoints --

    def _handle(self, request: Request) -> Response:
        body = self._body(request)
        if body is None:
            return Response(json.dumps({"detail": "Not found."}), status=404, content_type="application/json")
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if not self.etags:
            return Response(data, status=200, content_type="application/json")
        etag = f'"{hashlib.sha256(data).hexdigest()[:20]}"'
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(data, status=200, content_type="application/json", headers={"ETag": etag})

    def _body(self, request: Request) -> Any:
        path = request.path
        if _EVENTS_PATH.match(path):
            return self._events_page(request)
        if match := _COMPETITIONS_PATH.match(path):
            return self.competitions.get(match["event"])
        if match := _RESULTS_PATH.match(path):
            return self.results.get((match["event"], int(match["number"])))
        return None

    def _events_page(self, request: Request) -> dict[str, Any]:
        season = int(request.args.get("season", "0") or 0)
        page = int(request.args.get("page", "1") or 1)
        events = self.events.get(season, [])
        chunk = events[(page - 1) * self.page_size : page * self.page_size]
        more = page * self.page_size < len(events)
        # Like the real API, `next` is absolute, on the API's own host.
        next_url = f"https://api.isuresults.eu/events/?page={page + 1}&season={season}" if more else None
        previous = f"https://api.isuresults.eu/events/?page={page - 1}&season={season}" if page > 1 else None
        return {"count": len(events), "next": next_url, "previous": previous, "results": chunk}


# --- Synthetic data in the API's shapes (no shared files needed) ----------------------------


def event_record(
    isu_id: str, start: str, *, end: str | None = None, season: int = 2027, city: str = "Heerenveen", **extra: Any
) -> dict[str, Any]:
    """An event of the listing, tagged a senior World Cup, at a rink of ``city``."""
    rinks = {
        "Heerenveen": ("Thialf", "NED", "Europe/Amsterdam"),
        "Hamar": ("Vikingskipet", "NOR", "Europe/Oslo"),
        "Salt Lake City": ("Utah Olympic Oval", "USA", "America/Denver"),
        "Calgary": ("Olympic Oval", "CAN", "America/Edmonton"),
        "Inzell": ("Max Aicher Arena", "GER", "Europe/Berlin"),
    }
    venue, country, zone = rinks[city]
    return {
        "isuId": isu_id,
        "name": "ISU World Cup Speed Skating",
        "start": start,
        "end": end or start,
        "season": season,
        "tags": ["world-cup", "senior"],
        "track": {"name": venue, "city": city, "country": country, "timeZone": zone},
        "isCancelled": False,
        **extra,
    }


def competition_record(
    number: int,
    title: str,
    *,
    start: str,
    distance: int | None = 500,
    identifier: str | None = None,
    category: str = "F",
    division: str = "A",
    official: bool = True,
    last_update: str = "2026-11-14T15:00:00Z",
    lap_count: int | None = None,
) -> dict[str, Any]:
    """A race of an event's competitions list, as the current API gives it."""
    names = {"MS_16_LAPS": "Mass Start (16 Laps)", "TP_6_LAPS": "Team Pursuit", "TS_3_LAPS": "Team Sprint"}
    identifier = identifier or f"ID_{distance}"
    return {
        "scheduleNumber": number,
        "type": identifier.split("_")[0],
        "title": title,
        "start": start,
        "distance": {
            "identifier": identifier,
            "name": names.get(identifier, f"{distance} Meter"),
            "distance": distance,
            "lapCount": lap_count,
        },
        "category": category,
        "division": division,
        "isOfficial": official,
        "isLive": False,
        "lastUpdate": last_update,
    }


def skater_row(
    rank: int | None,
    skater_id: int,
    last: str,
    time_text: str | None,
    *,
    country: str = "NED",
    status: int | None = 0,
    pair: int | None = None,
    laps: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A skater's result row, the skater under ``competitor`` (as in the recorded responses)."""
    return {
        "id": 90000 + skater_id,
        "type": "ind",
        "competitor": {
            "number": skater_id,
            "skater": {"id": skater_id, "firstName": "Ann", "lastName": last, "country": country, "gender": "F"},
        },
        "startNumber": pair,
        "startLane": "I",
        "rank": rank,
        "status": status,
        "time": time_text,
        "laps": laps or [],
    }


def team_row(rank: int | None, country: str, name: str, time_text: str | None, *, status: int = 0) -> dict[str, Any]:
    """A team's result row as the API's other public clients read it (API.md): ``type: "team"``,
    the team at the row's top level (``team``: name, country, gender), keyed by the row's ``id``."""
    return {
        "id": 70000 + sum(map(ord, country)),
        "type": "team",
        "team": {"name": name, "country": country, "gender": "F"},
        "rank": rank,
        "status": status,
        "time": time_text,
        "laps": [{"number": 1, "time": "20.10", "passageTime": "20.10", "rank": rank}],
    }


def mass_start_row(
    rank: int, skater_id: int, last: str, time_text: str, sprints: dict[int, int], *, country: str = "NED"
) -> dict[str, Any]:
    """A mass-start row (``type: "ms"``): 16 laps, sprint points on the laps that are sprints
    (``laps[].sprintPoints``, as one public client reads them)."""
    row = skater_row(rank, skater_id, last, time_text, country=country)
    row["type"] = "ms"
    row["startLane"] = None
    row["laps"] = [{"number": n, "time": None, "passageTime": None, "rank": None} for n in range(1, 17)]
    for lap, points in sprints.items():
        row["laps"][lap - 1]["sprintPoints"] = points
    return row


def team_and_mass_start_event(
    server: IsuFixtureServer, isu_id: str = "2027_NED_0001", start: str = "2026-11-14"
) -> None:
    """An event in Heerenveen with a women's team pursuit and a women's mass start, official, in
    the shapes the API's other public clients read (no recorded response of either exists)."""
    server.add_event(event_record(isu_id, start))
    day = f"{start}T14:00:00Z"
    server.competitions[isu_id].extend(
        [
            competition_record(1, "Team Pursuit Women", start=day, distance=2400, identifier="TP_6_LAPS", lap_count=6),
            competition_record(2, "Mass Start Women", start=day, distance=None, identifier="MS_16_LAPS", lap_count=16),
        ]
    )
    server.results[(isu_id, 1)] = [
        team_row(1, "NED", "Netherlands", "2:55.120"),
        team_row(2, "JPN", "Japan", "2:56.800"),
        team_row(3, "CAN", "Canada", "2:57.010"),
        team_row(None, "USA", "United States", "3:01.000", status=2),
    ]
    server.results[(isu_id, 2)] = [
        mass_start_row(1, 11, "Schouten", "8:20.110", {4: 3, 16: 60}),
        mass_start_row(2, 12, "Takagi", "8:20.300", {8: 5, 16: 40}, country="JPN"),
        mass_start_row(3, 13, "Blondin", "8:20.900", {12: 1, 16: 20}, country="CAN"),
        mass_start_row(4, 14, "Lollobrigida", "8:21.400", {4: 5, 8: 3}, country="ITA"),
    ]


def api_time(printed: str) -> str:
    """A sheet's time (``1:07.01(2)``) as the API writes it (``1:07.012``)."""
    seconds = time_seconds(printed)
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:06.3f}" if minutes else f"{rest:.3f}"


def shipped_wc1_event(server: IsuFixtureServer) -> dict[str, str]:
    """2025/26 World Cup #1's individual Division A races, served in the API's modern shape
    from the ranks the official sheets print (``data/lt-wc/2025-26``). Returns race id → number."""
    data = ROOT / "data" / "lt-wc" / "2025-26"
    races = pd.read_csv(data / "races.csv", dtype=str)
    results = pd.read_csv(data / "results.csv", dtype=str)
    chosen = races[(races["world_cup"] == "1") & (races["division"] == "A") & races["distance"].str.isdigit()]
    server.add_event(
        {
            "isuId": "2026_USA_0001",
            "name": "ISU World Cup Speed Skating",
            "start": "2025-11-14",
            "end": "2025-11-16",
            "season": 2026,
            "tags": ["world-cup", "senior"],
            "track": {"name": "Utah Olympic Oval", "city": "Salt Lake City", "country": "USA"},
            "isCancelled": False,
        }
    )
    numbers = {}
    for number, race in enumerate(chosen.itertuples(), start=1):
        ordinal = {"1": "1st ", "2": "2nd "}.get(str(race.race_number), "")
        server.competitions["2026_USA_0001"].append(
            {
                "scheduleNumber": number,
                "title": f"{ordinal}{race.distance}m {str(race.gender).title()}",
                "start": f"{race.day}T20:00:00Z",
                "distance": {"identifier": f"ID_{race.distance}", "name": "", "distance": int(str(race.distance))},
                "category": "F" if race.gender == "women" else "M",
                "division": "A",
                "isOfficial": True,
                "lastUpdate": f"{race.day}T22:00:00Z",
            }
        )
        rows = []
        for skater_id, row in enumerate(results[results["race_id"] == race.race_id].itertuples(), start=1):
            words = str(row.name).split()
            last = " ".join(w for w in words if w.isupper())
            first = " ".join(w for w in words if not w.isupper())
            finished = row.status == "finished"
            rows.append(
                {
                    "competitor": {
                        "skater": {
                            "id": 10_000 * number + skater_id,
                            "firstName": first,
                            "lastName": last.title(),
                            "country": row.nation,
                        }
                    },
                    "rank": int(str(row.rank)) if finished and str(row.rank) != "nan" else None,
                    "status": 0 if finished else 2,
                    "time": None if str(row.time) == "nan" else api_time(str(row.time)),
                }
            )
        server.results[("2026_USA_0001", number)] = rows
        numbers[str(race.race_id)] = number
    return numbers
