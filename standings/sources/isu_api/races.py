"""The API's races as ``standings.model`` takes them: a race's results into a ``RaceImport``.

The client's objects (``ApiRace``, ``ApiResult``) become the model's ``Race`` and ``Result`` rows:
the API's status codes as Rinkside's statuses, each skater's competitor key (the API's id first,
then the folded name and nation, see ``ApiIdentities``), the start and ``lastUpdate`` as the
store keeps them. Nothing here asks the API or writes the store (``standings.storage.sync`` does
both); the API gives no World Cup points, and none are made here.
"""

from __future__ import annotations

import difflib
from datetime import UTC
from typing import Final

import pandas as pd

from standings.errors import ImportRefused
from standings.identity import resolve, team_key
from standings.model import CompetitorId, Finding, Lap, Race, RaceImport, Result
from standings.sources.isu_api.types import ApiRace, ApiResult, RaceResults

#: The circuit the API's World Cups are: long track.
CIRCUIT: Final = "lt-wc"
#: The source name of the API's skater ids in the store's identity table.
API_SOURCE: Final = "isu-api"
#: How alike two names of one nation must be (difflib ratio) to be reported as a near miss.
_NEAR_MISS: Final = 0.85


#: The API's status codes whose meaning is known, and the status each is stored as. Code 2 was
#: checked by a public client of the API against the published result: a disqualification (two
#: other clients call it "DNF"; the recorded 1000 m row, rank null with a time and 2 of 3 laps,
#: contradicts them). Any other code is stored as not classified, with the code kept.
API_STATUSES: Final = {2: "DQ"}


def result_status(result: ApiResult, official: bool) -> str | None:
    """The Rinkside status of an API row, or ``None`` for a skater who has not raced yet."""
    if result.status == 0 and result.rank is not None:
        return "finished"
    if result.status == 0:
        # Old responses give no status: an unranked row of an official race is not classified.
        return "NC" if official else None
    return API_STATUSES.get(result.status, "NC")


class ApiIdentities:
    """Competitor keys for API skaters: their API id first, then the folded name and nation.

    Args:
        known: The API's skater ids already stored and the competitor each stands for
            (``Store.competitor_ids(API_SOURCE)``); the ids met are added.
        stored: Every competitor stored, ``competitor, name, nation`` (``Store.competitors``).
        aliases: Skater alias table (see ``standings.identity``).
    """

    def __init__(self, known: dict[str, str], stored: pd.DataFrame, aliases: dict[str, str]) -> None:
        self.known = known
        self.aliases = aliases
        self.names = dict(zip(stored["competitor"], zip(stored["name"], stored["nation"], strict=True), strict=True))

    def key(self, result: ApiResult, findings: list[Finding], new: list[CompetitorId]) -> str:
        """The result's competitor key; a new API id goes to ``new``, a name matched or alike to ``findings``."""
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


def model_race(api_race: ApiRace) -> Race:
    """The race in the model's terms (circuit ``lt-wc``, its World Cup, distance, rink and source)."""
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
        source=race_source(api_race),
    )


def race_import(results: RaceResults, identities: ApiIdentities) -> RaceImport | None:
    """The race as the store takes it, or ``None`` when nobody has raced yet.

    Raises:
        ImportRefused: If a competitor appears twice (the API's row named).
    """
    api_race = results.race
    race = model_race(api_race)
    findings: list[Finding] = []
    new_ids: list[CompetitorId] = []
    rows: list[Result] = []
    laps: list[Lap] = []
    seen: dict[str, int] = {}
    for result in results.results:
        status = result_status(result, api_race.official)
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
    updated = race_updated(api_race)
    return RaceImport(
        race=race,
        results=tuple(rows),
        findings=tuple(findings),
        is_final=api_race.event.is_final,
        official=api_race.official,
        updated=updated,
        identities=tuple(new_ids),
        laps=tuple(laps),
        start=race_start(api_race),
    )


def race_start(api_race: ApiRace) -> str | None:
    """The race's start as stored: ISO 8601 to the minute at the rink's UTC offset, or in UTC
    written with a ``Z`` where the rink's time zone is unknown (``2025-11-14T20:00Z``)."""
    if api_race.start is None:
        return None
    if api_race.event.time_zone is None:
        return api_race.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
    return api_race.start.isoformat(timespec="minutes")


def race_updated(api_race: ApiRace) -> str | None:
    """The race's ``lastUpdate`` as the store keeps it (UTC ISO 8601), or ``None``."""
    return api_race.last_update.astimezone(UTC).isoformat() if api_race.last_update else None


def race_source(api_race: ApiRace) -> str:
    """The race's source as stored: ``isu-api:{isuId}/{scheduleNumber}``."""
    return f"{API_SOURCE}:{api_race.event.isu_id}/{api_race.schedule_number}"
