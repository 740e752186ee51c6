"""The ISU results API client when the API misbehaves (issue 23), against real HTTP servers on 127.0.0.1.

Each case is an answer the client once turned into a traceback, a hang or a request to another
host: a redirect off the configured server, a redirect loop, a body that claims gzip and is not,
JSON nested 100,000 deep, a body that never ends, a body too large. Each must now be one error,
on one line, naming the URL. And the row shapes the API's other public clients read (API.md):
team rows with the team at the row's top level, status 2 as a disqualification, mass-start sprint
points per lap, nations as IOC codes. No shared files are needed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from standings.errors import ImportRefused, StandingsError
from standings.sources.isu_api import ApiRace, IsuApi, IsuApiError, IsuApiUnavailable

from isu_fixtures import (
    IsuFixtureServer,
    competition_record,
    event_record,
    skater_row,
    team_and_mass_start_event,
)

EVENT = "2027_NED_0001"
RESULTS = f"/events/{EVENT}/competitions/1/results/"


@pytest.fixture
def api_server(http_server: HTTPServer) -> Iterator[IsuFixtureServer]:
    """One 2026/27 event in Heerenveen with one official women's 500 m of three skaters."""
    with IsuFixtureServer(page_size=2, etags=False, server=http_server) as server:
        server.add_event(event_record(EVENT, "2026-11-14"))
        server.competitions[EVENT].append(competition_record(1, "1st 500m Women", start="2026-11-14T14:00:00Z"))
        server.results[(EVENT, 1)] = [
            skater_row(1, 1, "One", "37.810"),
            skater_row(2, 2, "Two", "38.223"),
            skater_row(3, 3, "Three", "38.500"),
        ]
        yield server


@pytest.fixture
def elsewhere() -> Iterator[HTTPServer]:
    """A second server on 127.0.0.1 (another port: another host to the client) that counts what it is asked."""
    server = HTTPServer(host="127.0.0.1")
    server.expect_request("/", method="GET").respond_with_data("[]", content_type="application/json")
    server.start()
    yield server
    server.clear()
    server.stop()


def client(server: IsuFixtureServer, **options: Any) -> IsuApi:
    settings: dict[str, Any] = {"timeout": 2.0, "attempts": 2, "backoff": 0.01, "max_backoff": 0.02}
    return IsuApi(server.url, sleep=lambda _s: None, **{**settings, **options})


def first_race(api: IsuApi) -> ApiRace:
    return api.races(api.events("2026-27").events[0]).races[0]


def one_line(error: BaseException, url: str) -> None:
    """The error is the client's own, one line, naming the URL."""
    assert isinstance(error, StandingsError), repr(error)
    text = str(error)
    assert "\n" not in text and text.startswith(url), text


# --- 1. Redirects stay on the configured server --------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_redirect_to_another_host_is_refused_and_that_host_never_asked(
    api_server: IsuFixtureServer, elsewhere: HTTPServer, host: str
) -> None:
    target = f"http://{host}:{elsewhere.port}/"
    api_server.respond_once("/events/", "", status=302, headers={"Location": target})
    with client(api_server) as api, pytest.raises(IsuApiError) as refused:
        api.events("2026-27")
    one_line(refused.value, f"{api_server.url}/events/?season=2027")
    assert "off the configured API" in str(refused.value) and str(elsewhere.port) in str(refused.value)
    assert elsewhere.log == []  # not one request went there
    assert api.stats.requests == 1  # and none was retried


def test_a_redirect_within_the_server_is_followed(api_server: IsuFixtureServer) -> None:
    api_server.respond_once("/events/", "", status=301, headers={"Location": "/events/?season=2027&page=1"})
    with client(api_server) as api:
        calendar = api.events("2026-27")
    assert [e.isu_id for e in calendar.events] == [EVENT]
    assert [s.status for s in api_server.served()] == [301, 200]


def test_a_redirect_loop_is_one_error_naming_the_url(api_server: IsuFixtureServer) -> None:
    # There and back again: the second hop leads to the URL first asked for.
    api_server.respond_once(RESULTS, "", status=302, headers={"Location": f"{RESULTS}?inSeconds=0&page=1"})
    api_server.respond_once(RESULTS, "", status=307, headers={"Location": f"{RESULTS}?inSeconds=0"})
    with client(api_server) as api:
        race = first_race(api)
        with pytest.raises(IsuApiError, match="redirected in a loop") as refused:
            api.results(race)
    one_line(refused.value, f"{api_server.url}{RESULTS}?inSeconds=0")


# --- 2. Bodies that are not what they claim ---------------------------------------------------


@pytest.mark.parametrize(
    ("body", "headers", "options", "error", "words"),
    [
        (b"[not gzip at all]", {"Content-Encoding": "gzip"}, {}, IsuApiError, "cannot be decoded"),
        ("[" * 100_000 + "]" * 100_000, None, {}, ImportRefused, "nests deeper"),
        (
            json.dumps([skater_row(1, n, "Long" * 50, "37.810") for n in range(1, 200)]),
            None,
            {"max_bytes": 10_000},
            IsuApiError,
            "over the limit of 10,000",
        ),
    ],
    ids=["false-gzip", "json-nested-100000-deep", "over-the-size-limit"],
)
def test_a_body_that_is_not_what_it_claims_is_one_error_naming_the_url(
    api_server: IsuFixtureServer,
    body: bytes | str,
    headers: dict[str, str] | None,
    options: dict[str, Any],
    error: type[StandingsError],
    words: str,
) -> None:
    api_server.respond_once(RESULTS, body, headers=headers)
    with client(api_server, **options) as api:
        race = first_race(api)
        with pytest.raises(error, match=words) as refused:
            api.results(race)
    one_line(refused.value, f"{api_server.url}{RESULTS}?inSeconds=0")


def test_a_body_that_never_ends_is_cut_off_at_the_deadline(api_server: IsuFixtureServer) -> None:
    def drip(_request: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield b"["
            for _ in range(40):  # 12 s in all, were it read to the end; each byte well inside the read timeout
                time.sleep(0.3)
                yield b" "
            yield b"]"

        return Response(body(), status=200, content_type="application/json")

    api_server.server.expect_oneshot_request(RESULTS).respond_with_handler(drip)
    with client(api_server, timeout=1.0, deadline=1.5, attempts=1) as api:
        race = first_race(api)
        started = time.monotonic()
        with pytest.raises(IsuApiUnavailable, match=r"within the deadline of 1\.5 s") as refused:
            api.results(race)
        elapsed = time.monotonic() - started
    one_line(refused.value, f"{api_server.url}{RESULTS}?inSeconds=0")
    assert elapsed < 2.5  # the deadline and at most one read, not the 12 s the body would take


# --- 3. Rows as the API's other clients read them ----------------------------------------------


def test_team_and_mass_start_rows_in_the_shapes_other_clients_read(http_server: HTTPServer) -> None:
    with IsuFixtureServer(server=http_server) as server:
        team_and_mass_start_event(server)
        with client(server) as api:
            pursuit, mass_start = api.races(api.events("2026-27").events[0]).races
            teams = api.results(pursuit).results
            skaters = api.results(mass_start).results
    assert (pursuit.distance, mass_start.distance, mass_start.lap_count) == ("team-pursuit", "mass-start", 16)
    assert [(t.name, t.nation, t.rank, t.status, t.is_team) for t in teams] == [
        ("Netherlands", "NED", 1, 0, True),
        ("Japan", "JPN", 2, 0, True),
        ("Canada", "CAN", 3, 0, True),
        ("United States", "USA", None, 2, True),
    ]
    # Sprint points of the sprints after laps 4, 8 and 12, then of the final sprint (lap 16).
    assert [s.sprint_points for s in skaters] == [
        (3, None, None, 60),
        (None, 5, None, 40),
        (None, None, 1, 20),
        (5, 3, None, None),
    ]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        # Today's old guess of the shape, the team under `competitor`: not what the clients read.
        ({"team": None, "competitor": {"team": {"name": "Netherlands", "country": "NED"}}}, "team", "top level"),
        ({"team": {"name": "Netherlands", "country": "Netherlands"}}, "team.country", "IOC code"),
        ({"team": {"name": "Netherlands"}}, "team.country", "required"),
    ],
)
def test_a_team_row_of_another_shape_refuses_the_race_naming_url_row_and_field(
    http_server: HTTPServer, change: dict[str, Any], field: str, words: str
) -> None:
    with IsuFixtureServer(server=http_server) as server:
        team_and_mass_start_event(server)
        server.results[(EVENT, 1)][1].update(change)
        with client(server) as api:
            pursuit, mass_start = api.races(api.events("2026-27").events[0]).races
            with pytest.raises(ImportRefused) as refused:
                api.results(pursuit)
            assert len(api.results(mass_start).results) == 4  # the other race is fine
    assert (refused.value.row, refused.value.field) == (2, field)
    assert words in refused.value.problem
    one_line(refused.value, f"{server.url}{RESULTS}?inSeconds=0")


def test_a_skaters_row_in_a_team_race_and_a_teams_row_in_a_skaters_race_are_refused(
    http_server: HTTPServer, api_server: IsuFixtureServer
) -> None:
    api_server.results[(EVENT, 1)][2] = {**api_server.results[(EVENT, 1)][2], "type": "team"}
    with client(api_server) as api, pytest.raises(ImportRefused, match="a team's row in a race of skaters") as one:
        api.results(first_race(api))
    assert (one.value.row, one.value.field) == (3, "team")


def test_sprint_points_on_a_lap_that_is_no_sprint_refuse_the_race(http_server: HTTPServer) -> None:
    with IsuFixtureServer(server=http_server) as server:
        team_and_mass_start_event(server)
        server.results[(EVENT, 2)][2]["laps"][4]["sprintPoints"] = 3  # lap 5
        with client(server) as api:
            mass_start = api.races(api.events("2026-27").events[0]).races[1]
            with pytest.raises(ImportRefused, match="lap 5 gives 3 sprint points") as refused:
                api.results(mass_start)
    assert (refused.value.row, refused.value.field) == (3, "laps.sprintPoints")


@pytest.mark.parametrize(
    "nation",
    ["[FREE TICKETS](https://evil.example/t)", "![t](https://evil.example/pixel.png)", "ned", "NEDX", ""],
)
def test_a_nation_that_is_not_an_ioc_code_is_refused_naming_url_row_and_field(
    api_server: IsuFixtureServer, nation: str
) -> None:
    api_server.results[(EVENT, 1)][1]["competitor"]["skater"]["country"] = nation
    with client(api_server) as api, pytest.raises(ImportRefused, match="not a nation's IOC code") as refused:
        api.results(first_race(api))
    assert (refused.value.row, refused.value.field) == (2, "competitor.skater.country")
    one_line(refused.value, f"{api_server.url}{RESULTS}?inSeconds=0")


# --- 4. One event once ------------------------------------------------------------------------


def test_an_event_listed_twice_is_one_world_cup(api_server: IsuFixtureServer) -> None:
    api_server.add_event(event_record(EVENT, "2026-11-14"))  # the same event again, on the next page
    api_server.add_event(event_record("2027_NOR_0001", "2026-11-21", city="Hamar"))
    with client(api_server) as api:
        calendar = api.events("2026-27")
    assert [(e.isu_id, e.world_cup) for e in calendar.events] == [(EVENT, 1), ("2027_NOR_0001", 2)]
    assert len(calendar.notes) == 1 and f"event {EVENT} is listed twice" in calendar.notes[0]


def test_one_event_id_listed_as_two_different_events_is_refused(api_server: IsuFixtureServer) -> None:
    api_server.add_event(event_record(EVENT, "2026-11-21", city="Hamar"))
    with client(api_server) as api, pytest.raises(ImportRefused, match="listed twice as two different events"):
        api.events("2026-27")


def test_a_base_url_that_is_no_http_url_is_one_error() -> None:
    with pytest.raises(IsuApiError, match="must be http:// or https://"):
        IsuApi("ftp://127.0.0.1/")
