"""What happened at one World Cup: its programme day by day, and each race's full result.

The tables here are what the Event page and ``standings event`` show; their columns are
declared in ``standings.columns`` (``PROGRAMME``, ``RACE_RESULT``, ``ROUND_SUMMARY``, ``HEATS``,
``LAPS``).
"""

from __future__ import annotations

import math
import re
from typing import Final

import pandas as pd

from standings.columns import HEATS, LAPS, PAIRS, PROGRAMME, RACE_RESULT, ROUND_SUMMARY, names
from standings.errors import UnknownSelection
from standings.model import (
    ANNOTATION_MEANINGS,
    DISCIPLINES,
    DIVISIONS,
    FINALS,
    QUALIFICATION_MEANINGS,
    ROUND_ORDER,
    clock,
    heat_number,
    ordinal,
    race_name,
    time_or_none,
)
from standings.season import Season

#: A race's status in the programme.
OFFICIAL: Final = "official"
UNOFFICIAL: Final = "unofficial"
TO_COME: Final = "to come"
PROGRAMME_HELP: Final = (
    "official; unofficial: stored, but the source has not declared it official yet; "
    "to come: in the season's programme, not stored yet"
)

#: Short-track statuses in place of a place, in the ISU's words: PEN and YC both disqualify.
PENALTY_MEANINGS: Final = {
    "PEN": "penalty: disqualified from the heat for an infringement (the ISU's word in short track)",
    "YC": "yellow card: disqualified for a serious infringement, with the card",
    "DNF": "did not finish",
    "DNS": "did not start",
}
#: What the short-track status words mean, in one line (for a column's help and a caption).
PENALTY_HELP: Final = "; ".join(f"{word}: {meaning}" for word, meaning in PENALTY_MEANINGS.items())
#: How the short-track heats are numbered.
HEAT_HELP: Final = "Heats are numbered from 1 within each round; a final is named by its round (Final A, Final B)."

#: What each qualification code means, in one line (for a column's help).
QUALIFICATION_HELP: Final = "; ".join(f"{code}: {meaning}" for code, meaning in QUALIFICATION_MEANINGS.items())

# Each short-track round's position in the order they are skated (the classification's, reversed).
_SKATED: Final = {name: i for i, name in enumerate(reversed(ROUND_ORDER))}
# The order of a pair's two sides: the In lane first; a team pursuit's Finish side first.
_SIDES: Final = {"In": 0, "Out": 1, "Finish": 0, "Crossing": 1}
_PROGRAMME_NUMBER: Final = re.compile(r"(?:^|/)(?P<sheet>\d{1,3})_result_|^isu-api:[^/]+/(?P<api>\d{1,3})$")
_START: Final = re.compile(r"^\d{4}-\d{2}-\d{2}T(?P<time>\d{2}:\d{2})")
#: A lap is 400 m; a long-track distance's first passage is what is left over (100 m in the 500 m).
_LAP_METRES: Final = 400


def race_title(race: pd.Series) -> str:
    """A race as the programme names it: ``500 m Women``, ``2nd 1000 m Men, Division B``."""
    title = race_name(str(race["distance"]), str(race["gender"]), int(race["race_number"]))
    return title if race["division"] == "A" else f"{title}, Division {race['division']}"


def event_numbers(season: Season) -> list[int]:
    """The World Cups of the season that have a race stored or planned, in order."""
    planned = {p.world_cup for p in season.programme} | {int(n) for n in season.schedule["world_cup"]}
    return sorted(set(season.world_cups) | planned)


def programme(season: Season, world_cup: int) -> pd.DataFrame:
    """The World Cup's races day by day, each with its status (see ``columns.PROGRAMME``).

    Races stored are ``official`` or ``unofficial`` (the source has not declared them official
    yet); races not stored yet are ``to come``: those of the event's timetable where the source
    gives one (the API, with days and start times), else one row per race of the season's
    programme. Ordered by day, start time and the programme's race number (the sheet's or the
    API's), then as the races were stored.

    Raises:
        UnknownSelection: The season has no such World Cup.
    """
    if world_cup not in event_numbers(season):
        known = ", ".join(f"#{n}" for n in event_numbers(season)) or "none"
        raise UnknownSelection(f"no World Cup #{world_cup} in {season.circuit} {season.season_id}; loaded: {known}")
    races = season.races[season.races["world_cup"] == world_cup]
    counts = season.results.groupby("race_id", sort=False).size()
    timetable = season.schedule[season.schedule["world_cup"] == world_cup]
    # A race stored from a sheet has no start time; the source's timetable may give it.
    announced = dict(zip(timetable["race_id"], timetable["start"], strict=True))
    rows: list[dict[str, object]] = [
        _programme_row(
            race,
            start=start_time(race.get("start")) or start_time(announced.get(race["race_id"])),
            stored=True,
            status=OFFICIAL if bool(race["official"]) else UNOFFICIAL,
            competitors=int(counts.get(race["race_id"], 0)),
        )
        for _, race in races.iterrows()
    ]
    stored_ids = set(races["race_id"])
    rows.extend(
        _programme_row(race, start=start_time(race["start"]), stored=False, status=TO_COME, competitors=0)
        for _, race in timetable.iterrows()
        if race["race_id"] not in stored_ids
    )
    stored_kinds = races.assign(kind=races["gender"] + "-" + races["distance"])["kind"].value_counts()
    for planned in season.programme:
        if planned.world_cup != world_cup or not timetable.empty:  # the source's timetable is the better word
            continue
        gender, _, distance = planned.kind.partition("-")
        for number in range(int(stored_kinds.get(planned.kind, 0)), planned.races):
            rows.append(
                {
                    "day": None,
                    "start": None,
                    "number": None,
                    "race_id": None,
                    "race": race_name(distance, gender, number + 1 if planned.races > 1 else 0),
                    "kind": distance,
                    "gender": gender,
                    "division": DIVISIONS[0],
                    "status": TO_COME,
                    "competitors": 0,
                }
            )
    frame = pd.DataFrame(rows, columns=names(PROGRAMME))
    frame = frame.sort_values(["day", "start", "number"], kind="stable", na_position="last").reset_index(drop=True)
    return frame.astype({name: column.dtype for name, column in PROGRAMME.items()})


def _programme_row(
    race: pd.Series, *, start: str | None, stored: bool, status: str, competitors: int
) -> dict[str, object]:
    """One programme row of a race stored or announced (a ``races`` or ``schedule`` row)."""
    return {
        "day": None if pd.isna(race["day"]) else str(race["day"]),
        "start": start,
        "number": programme_number(str(race["source"])),
        "race_id": race["race_id"] if stored else None,
        "race": race_title(race),
        "kind": race["distance"],
        "gender": race["gender"],
        "division": race["division"],
        "status": status,
        "competitors": competitors,
    }


def latest_race(programme: pd.DataFrame, gender: str) -> str:
    """The race to open first: the last stored race in skating order (the newest result while an
    event is on) of ``gender`` in Division A, else of ``gender``, else of any.

    Args:
        programme: A ``programme`` table with at least one stored race.
        gender: ``women`` or ``men``.
    """
    stored = programme.dropna(subset=["race_id"])
    for rows in (
        stored[(stored["gender"] == gender) & (stored["division"] == DIVISIONS[0])],
        stored[stored["gender"] == gender],
        stored,
    ):
        if not rows.empty:
            return str(rows["race_id"].iloc[-1])
    raise ValueError("the programme has no stored race")


def programme_number(source: str) -> int | None:
    """The race's number in its event's programme, from where it came: a sheet's file name
    (``wc1/8_result_men_1000_a-signed_....pdf`` → 8) or the API's schedule number
    (``isu-api:2026_USA_0002/4`` → 4); ``None`` for a source that does not number its races."""
    found = _PROGRAMME_NUMBER.search(source)
    if found is None:
        return None
    return int(found["sheet"] or found["api"])


def start_time(start: object) -> str | None:
    """The time of day of a stored start: ``2026-01-03T14:53-07:00`` → ``14:53`` (the rink's local
    time); ``2025-11-14T20:00Z`` (the rink's time zone unknown) → ``20:00 UTC``."""
    if not isinstance(start, str):
        return None
    found = _START.match(start)
    if found is None:
        return None
    return f"{found['time']} UTC" if start.endswith("Z") else found["time"]


def race_results(season: Season, race_id: str) -> pd.DataFrame:
    """A race's full result as stored (see ``columns.RACE_RESULT``), in the order of the sheet.

    Long track: rank, pair and lane, time, time behind, points, annotations, and for a mass
    start the laps and the sprint points. Short track: the place, the round the skater reached
    (``Final A`` ... ``Heats``) and the time there; the place is the race's classification.

    Raises:
        UnknownSelection: The season has no such race.
    """
    if race_id not in set(season.races["race_id"]):
        raise UnknownSelection(f"no race {race_id!r} in {season.circuit} {season.season_id}")
    rows = season.results[season.results["race_id"] == race_id].sort_values("row")
    frame = pd.DataFrame({name: rows[name].to_numpy() if name in rows else pd.NA for name in names(RACE_RESULT)})
    frame["sprint_points"] = [
        None if all(pd.isna(v) for v in sprints) else " / ".join("0" if pd.isna(v) else str(int(v)) for v in sprints)
        for sprints in zip(rows["s1"], rows["s2"], rows["s3"], rows["s4"], strict=True)
    ]
    if DISCIPLINES.get(season.circuit) == "short_track":
        frame["decided_by"] = _decided_by(season, race_id, frame)
        frame["heat"] = [
            None if pd.isna(h) or pd.isna(r) else heat_number(str(r), int(h))
            for h, r in zip(frame["heat"], frame["round"], strict=True)
        ]
        words, notes = penalty_words(frame["status"], frame["annotations"])
        frame["status"] = words
        frame["annotations"] = notes
    frame.loc[frame["status"] == "DNS", "rank"] = pd.NA  # did not start: no place, whatever the order listed
    return frame.astype({name: column.dtype for name, column in RACE_RESULT.items()})


def penalty_words(statuses: pd.Series, annotations: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Short track's word for a disqualification: the status ``DQ`` stored with the heat's code (``PEN``,
    ``YC``) as an annotation is shown as that code, as the ISU's results write it; the code leaves
    the annotations. The store keeps ``DQ`` (the status every circuit shares) and the code."""
    words: list[object] = []
    rest: list[object] = []
    for status, notes in zip(statuses, annotations, strict=True):
        codes = [] if pd.isna(notes) else [c for c in str(notes).split(",") if c]
        penalty = next((c for c in codes if c in PENALTY_MEANINGS), None) if status == "DQ" else None
        if penalty is None:
            words.append(status)
            rest.append(notes)
            continue
        codes.remove(penalty)
        words.append(penalty)
        rest.append(",".join(codes) or None)
    return pd.Series(words, index=statuses.index, dtype=object), pd.Series(rest, index=annotations.index, dtype=object)


def _decided_by(season: Season, race_id: str, results: pd.DataFrame) -> list[str | None]:
    """How each short-track place was decided (the rule of ``sources.short_track.classification``)."""
    heats = season.heats[season.heats["race_id"] == race_id]
    first: dict[tuple[str, str], tuple[int | None, str, int]] = {}
    for competitor, round_name, place, status, heat in zip(
        heats["competitor"], heats["round"], heats["place"], heats["status"], heats["heat"], strict=True
    ):
        first.setdefault(
            (str(competitor), str(round_name)), (None if pd.isna(place) else int(place), str(status), int(heat))
        )
    decided: list[str | None] = []
    for competitor, round_name, rank in zip(results["competitor"], results["round"], results["rank"], strict=True):
        if pd.isna(round_name):
            decided.append(None)
            continue
        found = first.get((str(competitor), str(round_name)))
        if found is None:  # the classification only (a podium file): the place is the final's
            in_final = round_name in FINALS and not pd.isna(rank)
            decided.append(f"{round_name}: {ordinal(int(rank))}" if in_final else f"reached the {round_name}")
            continue
        place, status, heat = found
        outcome = ordinal(place) if place is not None else status
        if round_name in FINALS:
            after = "" if place is not None else ", after the final's placed skaters (provisional)"
            decided.append(f"{round_name}: {outcome}{after}")
        else:
            decided.append(
                f"out in the {round_name}: {outcome} in heat {heat_number(str(round_name), heat)}; "
                "then by time (provisional)"
            )
    return decided


def round_losses(lost: pd.DataFrame, round_name: str) -> list[str]:
    """What the source lost in one round of a short-track race, as the findings say it.

    Args:
        lost: The race's findings (``kind``, ``message``; a message is ``"<race id>: <what>"``).
        round_name: The round, as the heats name it ("Quarterfinals").

    Returns:
        The messages about the round (lost rows, or a final's lost podium place), each without
        its race id ("Quarterfinals heat 1 lacks place(s) 1").
    """
    said = [str(m).split(": ", 1)[-1] for m in lost["message"]]
    return [m for m in said if m.startswith(f"{round_name} ")]


def annotation_legend(annotations: pd.Series) -> str | None:
    """What the codes of a race's annotations mean, in one line (``T09: obstruction during crossing
    (254.6) · F: fell during the race``), in the order they first appear; ``None`` without codes.

    A code no sheet legend explains is named as it is printed ("as printed on the sheet").
    """
    codes = dict.fromkeys(
        code.strip() for notes in annotations.dropna() for code in str(notes).split(",") if code.strip()
    )
    if not codes:
        return None
    return " · ".join(f"{code}: {ANNOTATION_MEANINGS.get(code, 'as printed on the sheet')}" for code in codes)


def race_heats(season: Season, race_id: str) -> pd.DataFrame:
    """Every heat of a short-track race, round by round from the first (``columns.HEATS``).

    Empty when the source holds only the classification (or for a long-track race).

    Raises:
        UnknownSelection: The season has no such race.
    """
    results = race_results(season, race_id)
    rows = season.heats[season.heats["race_id"] == race_id]
    people = results.drop_duplicates("competitor").set_index("competitor")
    rows = rows.assign(_order=rows["round"].map(lambda r: _SKATED.get(str(r), len(_SKATED)))).sort_values(
        ["_order", "heat", "row"], kind="stable"
    )
    frame = pd.DataFrame(
        {
            name: rows[name].to_numpy() if name in rows else people.reindex(rows["competitor"])[name].to_numpy()
            for name in names(HEATS)
        }
    )
    frame["heat"] = [heat_number(str(r), int(h)) for r, h in zip(frame["round"], frame["heat"], strict=True)]
    return frame.astype({name: column.dtype for name, column in HEATS.items()})


def round_summary(season: Season, race_id: str) -> pd.DataFrame:
    """Per short-track round of a race: heats, skaters, the best and the average time (``columns.ROUND_SUMMARY``).

    From every heat row where the source has them; otherwise from the classification, each
    skater counted in the last round she reached (``counted`` says which). Empty for long track.
    """
    empty = pd.DataFrame(columns=names(ROUND_SUMMARY)).astype({n: c.dtype for n, c in ROUND_SUMMARY.items()})
    if DISCIPLINES.get(season.circuit) != "short_track":
        return empty
    heats = race_heats(season, race_id)
    every_heat = not heats.empty
    rows_of = heats if every_heat else race_results(season, race_id)
    if rows_of["round"].isna().all():
        return empty
    rows = []
    for round_name, group in rows_of.groupby("round", sort=False):
        times = [t for t in (time_or_none(v) for v in group["time"]) if t is not None]
        rows.append(
            {
                "round": round_name,
                "heats": group["heat"].nunique(dropna=False) if every_heat else None,
                "skaters": len(group),
                "timed": len(times),
                "best_time": clock(min(times)) if times else None,
                "average_time": clock(sum(times) / len(times)) if times else None,
                "counted": "every heat row" if every_heat else "last round reached",
            }
        )
    frame = pd.DataFrame(rows, columns=names(ROUND_SUMMARY))
    skated = frame["round"].map(lambda r: _SKATED.get(r, len(_SKATED)))
    frame = frame.iloc[skated.argsort(kind="stable")].reset_index(drop=True)
    return frame.astype({name: column.dtype for name, column in ROUND_SUMMARY.items()})


def passage(distance: str, lap: int) -> str:
    """Where lap ``lap`` of a race over ``distance`` ends: ``200 m``, ``600 m``; ``lap 5`` otherwise.

    An individual distance's passages are fixed: the opening stretch (what is left of the
    distance after whole laps: 100 m in the 500 m, 200 m in the 1000 m, 300 m in the 1500 m,
    a full lap in the 10000 m), then every 400 m. A mass start or a team race is counted in laps.
    """
    if not distance.isdigit():
        return f"lap {lap}"
    metres = int(distance)
    opening = metres % _LAP_METRES or _LAP_METRES
    at = opening + _LAP_METRES * (lap - 1)
    return f"{at} m" if lap >= 1 and at <= metres else f"lap {lap}"


def race_laps(season: Season, race_id: str) -> pd.DataFrame:
    """Every lap passage of a long-track race, skater by skater in result order (``columns.LAPS``).

    Empty when the source gives no laps (the sheets; short track).

    Raises:
        UnknownSelection: The season has no such race.
    """
    results = race_results(season, race_id)
    laps = season.laps[season.laps["race_id"] == race_id]
    empty = pd.DataFrame(columns=names(LAPS)).astype({n: c.dtype for n, c in LAPS.items()})
    if laps.empty:
        return empty
    distance = str(season.races.set_index("race_id").loc[race_id, "distance"])
    people = results.drop_duplicates("competitor").reset_index(drop=True)
    order = {str(c): i for i, c in enumerate(people["competitor"])}
    laps = laps.assign(_order=laps["competitor"].map(lambda c: order.get(str(c), len(order)))).sort_values(
        ["_order", "lap"], kind="stable"
    )
    known = people.set_index("competitor").reindex(laps["competitor"])
    frame = pd.DataFrame(
        {
            "rank": known["rank"].to_numpy(),
            "competitor": laps["competitor"].to_numpy(),
            "name": known["name"].to_numpy(),
            "nation": known["nation"].to_numpy(),
            "lap": laps["lap"].to_numpy(),
            "passage": [passage(distance, int(n)) for n in laps["lap"]],
            "lap_time": laps["lap_time"].to_numpy(),
            "lap_seconds": [time_or_none(t) for t in laps["lap_time"]],
            "passage_time": laps["passage_time"].to_numpy(),
            "lap_rank": laps["rank"].to_numpy(),
        }
    )
    return frame.astype({name: column.dtype for name, column in LAPS.items()})


def lap_board(laps: pd.DataFrame, value: str = "passage_time") -> pd.DataFrame:
    """The laps of ``race_laps`` one row per skater: rank, name, nation, then a column per passage.

    Args:
        laps: A ``race_laps`` table.
        value: ``passage_time`` (the time at each passage) or ``lap_time`` (each lap's own time).
    """
    if value not in ("passage_time", "lap_time"):
        raise ValueError(f"value must be passage_time or lap_time, not {value!r}")
    people = laps.drop_duplicates("competitor")[["competitor", "rank", "name", "nation"]]
    columns = list(dict.fromkeys(laps.sort_values("lap", kind="stable")["passage"]))
    wide = laps.pivot(index="competitor", columns="passage", values=value).reindex(columns=columns)
    board = people.set_index("competitor").join(wide).reset_index(drop=True)
    board.columns = [str(c) for c in board.columns]
    return board


def race_pairs(season: Season, race_id: str) -> pd.DataFrame:
    """A long-track race pair by pair in skating order (team pursuit: heat by heat), ``columns.PAIRS``.

    Each pair's two skaters (In lane first, then Out; a team pursuit's two teams, the Finish
    side first) with each one's time and rank in the race, and how far the slower was behind
    the faster, to the hundredth as the sport times it. Empty where the source gives no pairs
    (a mass start, short track).

    Raises:
        UnknownSelection: The season has no such race.
    """
    results = race_results(season, race_id)
    empty = pd.DataFrame(columns=names(PAIRS)).astype({n: c.dtype for n, c in PAIRS.items()})
    if DISCIPLINES.get(season.circuit) == "short_track":
        return empty
    stored = season.results[season.results["race_id"] == race_id].sort_values("row")
    results = results.assign(finish_side=stored["finish_side"].to_numpy())  # a team pursuit's side
    team = results["pair"].isna().all()
    key, side = ("heat", "finish_side") if team else ("pair", "lane")
    rows = results.dropna(subset=[key])
    if rows.empty:
        return empty
    rows = rows.assign(
        _side=rows[side].map(lambda s: _SIDES.get(str(s), len(_SIDES))), _hundredths=rows["time"].map(_hundredths)
    ).sort_values([key, "_side"], kind="stable")
    fastest = rows.groupby(key)["_hundredths"].transform("min")
    gap = rows["_hundredths"] - fastest
    frame = pd.DataFrame(
        {
            "pair": rows[key].to_numpy(),
            "side": rows[side].to_numpy(),
            "rank": rows["rank"].to_numpy(),
            "competitor": rows["competitor"].to_numpy(),
            "name": rows["name"].to_numpy(),
            "nation": rows["nation"].to_numpy(),
            "time": [_time_or_why(t, s) for t, s in zip(rows["time"], rows["status"], strict=True)],
            "behind_in_pair": [None if pd.isna(g) or g == 0 else _behind(int(g)) for g in gap.to_numpy()],
        }
    )
    return frame.astype({name: column.dtype for name, column in PAIRS.items()})


def _time_or_why(time: object, status: object) -> str:
    """A pair's time cell: the time, else why there is none, as the sheet says it (DQ, DNF, DNS, WDR), else
    ``no result`` (the source gives neither a time nor a status)."""
    if isinstance(time, str) and time:
        return time
    if isinstance(status, str) and status and status != "finished":
        return status
    return "no result"


def _hundredths(time: object) -> float | None:
    """A time in whole hundredths, as the sport ranks (``1:42.93(4)`` → 10293); ``None`` for no time."""
    value = time_or_none(time)
    return None if value is None else math.floor(round(value * 1000) / 10)


def _behind(hundredths: int) -> str:
    """A gap as the sheets print it: ``+0.89``, ``+1:07.21``."""
    minutes, rest = divmod(hundredths, 6000)
    whole, part = divmod(rest, 100)
    return f"+{minutes}:{whole:02d}.{part:02d}" if minutes else f"+{whole}.{part:02d}"
