"""Every output table's columns, declared once: name, dtype and meaning, in order.

The engine and the presentation build their tables with these columns, and their docstrings
point here (as FastF1 declares its columns in one place). ``names(TABLE)`` gives the column
names in order; ``meaning`` a column's description, for headers and help texts.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from standings.model import FINDING_TABLE


class Column(NamedTuple):
    """One column of an output table."""

    dtype: str
    meaning: str


Table = dict[str, Column]

_RANK: Final = Column("int64", "place in the table; competitors equal on every criterion share it")
_COMPETITOR: Final = Column("string", "stable key of the skater (folded name and nation, or ISU id) or team (team-ned)")
_NAME: Final = Column("string", "name as printed, Given FAMILY (a nation's name for a team)")
_NATION: Final = Column("string", "IOC code of the skater's or team's nation")
_POINTS: Final = Column("int64", "World Cup points so far")

#: A cup's standings (``Season.standings``).
STANDINGS: Final[Table] = {
    "rank": _RANK,
    "competitor": _COMPETITOR,
    "name": _NAME,
    "nation": _NATION,
    "points": _POINTS,
    "races": Column("int64", "races started (finished, DNF, DQ, not classified)"),
    "wins": Column("int64", "Division A race wins (the first tie-break)"),
    "provisional": Column("bool", "the points depend on a rule that is not confirmed"),
}

#: The standings after each World Cup (``Season.progress``).
PROGRESS: Final[Table] = {
    "world_cup": Column("int64", "the World Cup after which the row stands"),
    "competitor": _COMPETITOR,
    "name": _NAME,
    "nation": _NATION,
    "race_points": Column("int64", "points scored at that World Cup"),
    "points": Column("int64", "points up to and including that World Cup"),
    "rank": Column("int64", "place after that World Cup"),
}

#: Every cup's standing of every competitor after every World Cup (``engine.tables.cup_grid``).
GRID: Final[Table] = {
    "cup": Column("category", "the cup's id, e.g. men-500"),
    "competitor": _COMPETITOR,
    "world_cup": PROGRESS["world_cup"],
    "race_points": PROGRESS["race_points"],
    "points": PROGRESS["points"],
    "races": STANDINGS["races"],
    "wins": STANDINGS["wins"],
    "provisional": STANDINGS["provisional"],
    "rank": PROGRESS["rank"],
}

#: A cup's leaderboard as the dashboard shows it (``present.views.leaderboard``).
LEADERBOARD: Final[Table] = {
    "rank": _RANK,
    "name": _NAME,
    "nation": _NATION,
    "points": _POINTS,
    "gap": Column("int64", "points behind the leader (0 for the leader)"),
    "races": STANDINGS["races"],
    "wins": STANDINGS["wins"],
    "provisional": STANDINGS["provisional"],
    "competitor": _COMPETITOR,
}

#: The standings the command line prints (``standings table``).
CLI_TABLE: Final[Table] = {name: STANDINGS[name] for name in ("rank", "name", "nation", "points", "races", "wins")}

#: The nation medal table (``Season.medals``).
MEDALS: Final[Table] = {
    "rank": Column("int64", "place: golds, then silvers, then bronzes (or total first); ties share it"),
    "nation": _NATION,
    "gold": Column("int64", "gold medals (1st in a Division A race or a Final A)"),
    "silver": Column("int64", "silver medals"),
    "bronze": Column("int64", "bronze medals"),
    "total": Column("int64", "all medals"),
}

#: Who can still win a cup (``TitleRace.frame``).
TITLE_RACE: Final[Table] = {
    "rank": _RANK,
    "competitor": _COMPETITOR,
    "name": _NAME,
    "nation": _NATION,
    "points": _POINTS,
    "wins": STANDINGS["wins"],
    "max_points": Column("int64", "the most points still reachable"),
    "status": Column("string", "clinched, contender or eliminated"),
    "reason": Column("string", "why, in one sentence with the numbers"),
    "magic_number": Column("Int64", "points that make the cup certain whatever the others do (empty: none can)"),
    "conditions": Column("object", "what the competitor needs, as sentences"),
}

#: A competitor's place in each cup (``present.skaters.skater_cups``).
SKATER_CUPS: Final[Table] = {
    "cup_id": Column("string", "the cup's id"),
    "cup": Column("string", "the cup's name"),
    "rank": _RANK,
    "points": _POINTS,
    "races": STANDINGS["races"],
    "wins": STANDINGS["wins"],
    "of": Column("int64", "how many competitors the cup ranks"),
}

#: A competitor's rank in each cup after every World Cup (``present.skaters.skater_rank_history``).
RANK_HISTORY: Final[Table] = {
    "cup": SKATER_CUPS["cup"],
    "world_cup": PROGRESS["world_cup"],
    "rank": PROGRESS["rank"],
    "points": PROGRESS["points"],
}

#: Race-by-race points per competitor and World Cup (``present.views.event_breakdown``).
BREAKDOWN: Final[Table] = {
    "competitor": _COMPETITOR,
    "world_cup": PROGRESS["world_cup"],
    "breakdown": Column("string", "each race's place and points, e.g. '1st 500 m: 2nd, 54'"),
}

#: An Olympic event's Special Olympic Qualification Classification (``Season.qualification``).
QUALIFICATION: Final[Table] = {
    "quota_rank": Column(
        "string", "quota place 1..N, R1.. on the reserve list, empty for an entry whose country is full"
    ),
    "nation": _NATION,
    "nation_rank": Column(
        "int64", "the entry's number within its country in this classification (neutral athletes: 1)"
    ),
    "name": _NAME,
    "points": Column("int64", "World Cup points in the event's distance over the qualifying World Cups so far"),
    "best_time": Column("string", "best time in the qualifying World Cups, to the hundredth (empty: none)"),
    "ranking": Column("string", "the ranking that lists the entry: points, times or reserve"),
    "competitor": _COMPETITOR,
    "provisional": Column("bool", "the entry depends on a rule that is not confirmed"),
}

#: The qualification classification the command line prints (``standings qualification``).
CLI_QUALIFICATION: Final[Table] = {
    name: QUALIFICATION[name]
    for name in ("quota_rank", "nation", "nation_rank", "name", "points", "best_time", "ranking")
}

#: Quota places per nation and gender (``Season.quota_table``). Between ``gender`` and ``total``
#: the table has one ``Int64`` column per event of the qualification rules, named by the event
#: id (``women-500`` .. ``men-team-pursuit``, in the rules' order; see ``QUOTA_EVENT``): the
#: nation's quota places in that event, empty (``<NA>``) in the other gender's rows.
QUOTA_TABLE: Final[Table] = {
    "nation": _NATION,
    "gender": Column("string", "women or men"),
    "total": Column(
        "int64", "quota places in the individual events, the host's place included (team pursuit not counted)"
    ),
    "limit": Column(
        "int64",
        "the most athletes the nation may enter in that gender: 9 with a team pursuit place and the maximum "
        "by points in every individual event, 8 with team pursuit and a place in every individual event, "
        "7 otherwise (medium confidence: provisional)",
    ),
    "over": Column("int64", "places above the limit (total - limit, at least 0)"),
    "host": Column("int64", "places from the host rule (Italy: one in an event where it has none)"),
    "cut": Column("int64", "places cut so that the gender's athletes fit the Games' total (82), lowest-ranked first"),
    "athletes": Column("int64", "the athletes the nation may enter after the cut: total - cut, at most the limit"),
    "provisional": Column(
        "bool", "a place depends on an unconfirmed rule, or an unconfirmed rule (limit, host, cut) changes the count"
    ),
}

#: Every quota place of the Games after the host rule and the overall cut
#: (``standings.engine.qualification.allocation``).
ALLOCATION: Final[Table] = {
    "event": Column("string", "the Games' event, e.g. men-1000"),
    "quota_rank": QUALIFICATION["quota_rank"],
    "nation": _NATION,
    "name": _NAME,
    "ranking": Column("string", "the ranking that gave the place: points, times, reserve (host) or host"),
    "status": Column(
        "string",
        "in; host (the host's place); replaced (given up to the host's place); cut (over the Games' total)",
    ),
    "competitor": _COMPETITOR,
    "provisional": Column("bool", "the place or its status depends on a rule that is not confirmed"),
}

#: What each event column of ``QUOTA_TABLE`` holds.
QUOTA_EVENT: Final = Column("Int64", "the nation's quota places in that event (empty in the other gender's rows)")

#: One World Cup's races day by day (``present.event.programme``).
PROGRAMME: Final[Table] = {
    "day": Column("string", "the day the race was skated (empty for a race to come or a source without days)"),
    "start": Column(
        "string",
        "the start time at the rink's local time (HH:MM; HH:MM UTC where the rink's time zone is "
        "unknown), where the source gives it (the API)",
    ),
    "number": Column("Int64", "the race's number in the event's programme, as the sheet or the API numbers it"),
    "race_id": Column("string", "the stored race's id (empty for a race to come)"),
    "race": Column("string", "the race as the programme names it: 2nd 500 m Women, Division B"),
    "kind": Column("string", "the distance: 500, 1500, mass-start, relay-3000, ..."),
    "gender": Column("string", "women, men or mixed"),
    "division": Column("string", "A or B (long track); A in short track"),
    "status": Column("string", "official; unofficial (the source has not declared the result official yet); to come"),
    "competitors": Column("int64", "rows in the stored result (skaters or teams)"),
}

#: A race's full result (``present.event.race_results``).
RACE_RESULT: Final[Table] = {
    "rank": Column("Int64", "place in the race (short track: the race's classification); empty if not classified"),
    "pair": Column("Int64", "long track: the pair skated in"),
    "lane": Column("string", "long track: the starting lane, In or Out"),
    "heat": Column(
        "Int64", "team pursuit: the heat; short track: the heat of the round reached, from 1 (empty: a final)"
    ),
    "round": Column("string", "short track: the last round the skater reached (Final A, Semifinals, Heats, ...)"),
    "competitor": _COMPETITOR,
    "name": _NAME,
    "nation": _NATION,
    "status": Column(
        "string",
        "finished, DNF, DQ, DNS, WDR or NC; short track: PEN (penalty) or YC (yellow card) for a disqualification",
    ),
    "time": Column("string", "the time as printed"),
    "time_behind": Column("string", "long track: behind the winner, as printed"),
    "official_points": Column("Int64", "World Cup points as printed on the sheet"),
    "points_marker": Column("string", "the sheet's mark beside the points (e.g. a reduced-points note)"),
    "annotations": Column("string", "the sheet's annotations (e.g. a world record, a false start), comma-separated"),
    "laps": Column("Int64", "mass start: laps skated"),
    "sprint_points": Column("string", "mass start: points at each sprint, the final sprint last (0 / 1 / 0 / 40)"),
    "sprint_total": Column("Int64", "mass start: sprint points in all, the final sprint included"),
    "decided_by": Column(
        "string",
        "short track: how the place was decided: Final A, then Final B, then the round the skater went out "
        "in, by heat place and then time",
    ),
}

#: A short-track race's rounds (``present.event.round_summary``).
ROUND_SUMMARY: Final[Table] = {
    "round": Column("string", "the round: Preliminaries ... Final A"),
    "heats": Column("Int64", "heats skated in the round (empty when only the classification is known)"),
    "skaters": Column("int64", "skaters (or teams) counted in the round"),
    "timed": Column("int64", "of them with a time"),
    "best_time": Column("string", "the round's best time, m:ss.fff as the results print it"),
    "average_time": Column("string", "the round's average time, m:ss.fff (to the thousandth)"),
    "counted": Column("string", "every heat row, or (classification only) each skater in the last round she reached"),
}

#: A long-track race pair by pair (team pursuit: heat by heat), ``present.event.race_pairs``.
PAIRS: Final[Table] = {
    "pair": Column(
        "Int64", "the pair, in skating order (a quartet start: four skaters, two per lane; team pursuit: the heat)"
    ),
    "side": Column(
        "string", "the starting lane, In or Out (team pursuit: the side the team starts, Finish or Crossing)"
    ),
    "rank": Column("Int64", "place in the race; empty if not classified"),
    "competitor": _COMPETITOR,
    "name": _NAME,
    "nation": _NATION,
    "time": Column(
        "string", "the time as printed, else why there is none: DQ, DNF, DNS, WDR (no result: the source gives neither)"
    ),
    "behind_in_pair": Column(
        "string", "behind the pair's fastest, to the hundredth as the sport times it (+0.89); empty for the fastest"
    ),
}

#: Every lap passage of a long-track race, where the source has them (``present.event.race_laps``).
LAPS: Final[Table] = {
    "rank": Column("Int64", "place in the race; empty if not classified"),
    "competitor": _COMPETITOR,
    "name": _NAME,
    "nation": _NATION,
    "lap": Column("int64", "the lap's number, from 1 (the first is the opening stretch: 200 m in a 1000 m)"),
    "passage": Column(
        "string", "where the lap ends: 200 m, 600 m, ...; lap 5 where the distance has no fixed passages"
    ),
    "lap_time": Column("string", "the lap's own time, as the source gives it"),
    "lap_seconds": Column("Float64", "the lap's own time in seconds"),
    "passage_time": Column("string", "the time from the start at the end of the lap, as the source gives it"),
    "lap_rank": Column("Int64", "the skater's rank at that passage, where the source gives it"),
}

#: Every heat of a short-track race (``present.event.race_heats``).
HEATS: Final[Table] = {
    "round": Column("string", "the round: Preliminaries ... Final A"),
    "heat": Column("Int64", "the heat within the round, from 1 (empty for a final: its round names it)"),
    "place": Column("Int64", "place in the heat; empty for PEN, YC, DNF, DNS or a place lost by the source"),
    "competitor": _COMPETITOR,
    "name": _NAME,
    "nation": _NATION,
    "status": Column("string", "finished, or PEN (penalty), YC (yellow card), DNF, DNS in place of a place"),
    "time": Column("string", "the time as printed"),
    "qualification": Column("string", "Q, q (by time), QA, QB, qA, qB (to Final A or B), ADV, ADA, ADB (advanced)"),
    "start_position": Column("Int64", "position at the start line"),
    "warning": Column("string", "YC: a yellow card given while the place stood"),
}

#: What the importers noticed (``Store.findings``): the stored findings' columns (declared
#: with the stored tables, ``standings.model.FINDING_TABLE``) but their number.
FINDINGS: Final[Table] = {
    name: Column(column.dtype, column.meaning) for name, column in FINDING_TABLE.items() if name != "id"
}


def names(table: Table) -> list[str]:
    """The table's column names, in order."""
    return list(table)


def meaning(column: str) -> str | None:
    """What a column means, from the first table that declares it (``None`` when none does)."""
    for table in (
        STANDINGS,
        PROGRESS,
        LEADERBOARD,
        MEDALS,
        TITLE_RACE,
        SKATER_CUPS,
        BREAKDOWN,
        FINDINGS,
        GRID,
        QUALIFICATION,
        QUOTA_TABLE,
        ALLOCATION,
        PROGRAMME,
        RACE_RESULT,
        ROUND_SUMMARY,
        HEATS,
        LAPS,
        PAIRS,
    ):
        if column in table:
            return table[column].meaning
    return None
