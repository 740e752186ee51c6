"""Tables the dashboard shows, built from a scored season: leaderboards, skaters, nations.

Everything here is plain pandas on a ``Season``; the pages only lay these tables out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Final

import pandas as pd

from standings.columns import BREAKDOWN, LEADERBOARD, names
from standings.engine.cut import up_to
from standings.engine.medals import podiums
from standings.model import DISTANCE_NAMES, ordinal, race_name, source_kind
from standings.season import Season


def race_label(distance: str, race_number: int, division: str) -> str:
    """A short race name: ``2nd 500 m``, ``1500 m B``."""
    name = DISTANCE_NAMES.get(distance, distance)
    if race_number:
        name = f"{ordinal(race_number)} {name}"
    return name if division == "A" else f"{name} B"


def leaderboard(season: Season, cup_id: str, *, after: int | None = None) -> pd.DataFrame:
    """A cup's standings with the gap to the leader.

    Returns:
        Columns ``standings.columns.LEADERBOARD``: the gap is the leader's points minus the
        competitor's (0 for the leader).
    """
    table = season.standings(cup_id, after=after)
    leader = int(table["points"].iloc[0]) if not table.empty else 0
    table = table.assign(gap=leader - table["points"])
    return table[names(LEADERBOARD)]


def unofficial_races(season: Season, cup_id: str | None = None, *, after: int | None = None) -> list[str]:
    """The races not declared official yet (synced while being raced), as titles: ``WC3 Heerenveen - 1500 m Men``.

    Args:
        season: The season.
        cup_id: Only the races that score into this cup (default: every race).
        after: Only up to this World Cup (default: all).
    """
    official = season.races["official"].astype(bool)
    if official.all():  # the usual case, answered without copying the table (a rerun's 20 ms)
        return []
    races = up_to(season.races[~official], after)
    if cup_id is not None:
        kinds = set(season.cup(cup_id).races)
        races = races[(races["gender"] + "-" + races["distance"]).isin(kinds)]
    titles = []
    for world_cup, city, distance, gender, number, division in zip(
        races["world_cup"],
        races["city"],
        races["distance"],
        races["gender"],
        races["race_number"],
        races["division"],
        strict=True,
    ):
        name = race_name(str(distance), str(gender), int(number))
        titles.append(f"WC{world_cup} {city} - {name}" + ("" if division == "A" else " Division B"))
    return titles


def leader_line(board: pd.DataFrame) -> str:
    """``Leader: Jordan STOLZ (USA), 211 points, 22 ahead of Damian ŻUREK (POL)`` (ties named as such).

    Args:
        board: A leaderboard (``leaderboard``), best first, not empty.
    """
    # Plain lists, not rows: a row of a table of mixed columns is slow to make (14 ms a rerun).
    name, nation, points = (board[column].tolist() for column in ("name", "nation", "points"))
    leaders = [i for i, rank in enumerate(board["rank"].tolist()) if rank == 1]
    if len(leaders) > 1:
        named = " and ".join(f"{name[i]} ({nation[i]})" for i in leaders)
        return f"Leaders: {named}, {points[0]} points each"
    text = f"Leader: {name[0]} ({nation[0]}), {points[0]} points"
    if len(board) > 1:
        text += f", {points[0] - points[1]} ahead of {name[1]} ({nation[1]})"
    return text


def event_breakdown(season: Season, cup_id: str, *, after: int | None = None) -> pd.DataFrame:
    """What each competitor scored at each World Cup, race by race, as text for chart hovers.

    Returns:
        Columns ``competitor, world_cup, breakdown`` where breakdown reads like
        ``1st 500 m: 2nd, 54 · 2nd 500 m: 1st, 60``.
    """
    cup = season.cup(cup_id)
    rows = up_to(season.results[season.results["kind"].isin(cup.races)], after)
    if rows.empty:
        return pd.DataFrame(columns=names(BREAKDOWN))
    rows = rows.sort_values(["world_cup", "day", "race_number"])

    def describe(row: pd.Series) -> str:
        place = ordinal(int(row["rank"])) if pd.notna(row["rank"]) else str(row["status"])
        if pd.notna(row["rank"]) and row["status"] != "finished":
            place += f" ({row['status']})"
        return f"{race_label(row['distance'], int(row['race_number']), row['division'])}: {place}, {row['points']}"

    text = rows.apply(describe, axis=1)
    frame = pd.DataFrame({"competitor": rows["competitor"], "world_cup": rows["world_cup"], "text": text})
    grouped = frame.groupby(["competitor", "world_cup"], sort=False)["text"].agg(" · ".join)
    return grouped.rename("breakdown").reset_index()


def blanks(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as the dashboard shows and downloads it: no None, nan or ``18.0`` in any cell.

    A text column's gaps become empty text. A number column keeps its numbers, so it still sorts
    as numbers (a rank of 10 after 2): whole numbers become whole-number columns (``Int64``:
    ``18``, never ``18.0``) with their gaps left missing; the dashboard's tables draw a missing
    value as an empty cell (``ui.render.table``) and the CSV writes it as an empty field.
    """
    shown = frame.copy()
    for column in shown.columns:
        values = shown[column]
        missing = values.isna().tolist()  # None, NA, NaN; a list (the title race's conditions) never
        if pd.api.types.is_bool_dtype(values.dtype):
            continue
        if pd.api.types.is_float_dtype(values.dtype):
            present = values.dropna()
            if len(present) and (present == present.round()).all():
                shown[column] = values.astype("Int64")
            continue
        if not any(missing) or pd.api.types.is_numeric_dtype(values.dtype):
            continue
        present = values[~values.isna()]
        if len(present) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
            numbers = pd.to_numeric(values)
            whole = (numbers.dropna() == numbers.dropna().round()).all()
            shown[column] = numbers.astype("Int64") if whole else numbers
            continue
        shown[column] = pd.Series(
            ["" if gap else v for v, gap in zip(values, missing, strict=True)], index=shown.index, dtype=object
        )
    return shown


def medals_per_event(season: Season, *, after: int | None = None, gender: str | None = None) -> pd.DataFrame:
    """Medals per nation at each World Cup: ``world_cup, city, nation, gold, silver, bronze, total``.

    Args:
        season: The season.
        after: The last World Cup counted (default: all).
        gender: Only that gender's races (default: all races).
    """
    medals = podiums(up_to(season.results_of(gender), after))
    counts = medals.groupby(["world_cup", "nation", "medal"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=["gold", "silver", "bronze"], fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts = counts.reset_index()
    cities = season.events.set_index("world_cup")["city"]
    counts.insert(1, "city", counts["world_cup"].map(cities))
    return counts.sort_values(
        ["world_cup", "gold", "silver", "bronze", "nation"], ascending=[True, False, False, False, True]
    )


#: Short track's head-to-head of the sport's two powers, shown first where both have medals.
SHORT_TRACK_RIVALS: Final = ("CHN", "KOR")


def head_to_head_default(ranked: Sequence[str], *, short_track: bool) -> tuple[list[str], str]:
    """The two nations a head-to-head shows before the reader picks, and why, as a clause.

    Short track opens on China v Korea when both have medals in the races shown; otherwise (and
    in long track) on the medal table's first two, with the reason when the rivals were passed over.

    Args:
        ranked: The nations with medals, best first (the medal table's order).
        short_track: Whether the circuit is short track.

    Returns:
        The pair (fewer than two when fewer nations have medals) and a clause for the caption
        (``""`` when there is nothing to explain).
    """
    top = list(ranked[:2])
    if not short_track:
        return top, ""
    if all(nation in ranked for nation in SHORT_TRACK_RIVALS):
        return list(SHORT_TRACK_RIVALS), ""
    without = [nation for nation in SHORT_TRACK_RIVALS if nation not in ranked]
    return top, f" (the medal table's first two: {' and '.join(without)} won no medal in these races)"


def head_to_head(
    season: Season, first: str, second: str, *, after: int | None = None, gender: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two nations' medals: cumulated over the World Cups, and per distance (``gender``: one gender's races).

    Returns:
        ``(by_event, by_distance)``: ``by_event`` has ``world_cup, city, nation,
        gold, medals, gold_total, medals_total`` (per event and cumulated);
        ``by_distance`` has ``distance, nation, gold, silver, bronze, total``, a row for
        each of the two nations at every distance where either won a medal.
    """
    medals = podiums(up_to(season.results_of(gender), after))
    medals = medals[medals["nation"].isin([first, second])]
    events = up_to(season.events, after)
    grid = pd.MultiIndex.from_product([events["world_cup"], [first, second]], names=["world_cup", "nation"])
    per_event = pd.DataFrame(
        {
            "gold": (medals["medal"] == "gold").groupby([medals["world_cup"], medals["nation"]]).sum(),
            "medals": medals.groupby(["world_cup", "nation"]).size(),
        }
    ).reindex(grid, fill_value=0)
    per_event = per_event.fillna(0).astype("int64").reset_index()
    per_event["gold_total"] = per_event.groupby("nation")["gold"].cumsum()
    per_event["medals_total"] = per_event.groupby("nation")["medals"].cumsum()
    per_event.insert(1, "city", per_event["world_cup"].map(events.set_index("world_cup")["city"]))
    distance = medals.assign(distance=medals["distance"].map(DISTANCE_NAMES))
    by_distance = distance.groupby(["distance", "nation", "medal"]).size().unstack(fill_value=0)
    # Both nations at every distance either medalled in: a nation's 0 is shown, not left out
    # (a chart of one nation's bars alone had no legend to say whose they were).
    both = pd.MultiIndex.from_product(
        [list(dict.fromkeys(distance["distance"])), [first, second]], names=["distance", "nation"]
    )
    by_distance = by_distance.reindex(both, fill_value=0) if len(both) else by_distance
    by_distance = by_distance.reindex(columns=["gold", "silver", "bronze"], fill_value=0)
    by_distance["total"] = by_distance.sum(axis=1)
    by_distance = by_distance.reset_index()
    by_distance["distance"] = pd.Categorical(
        by_distance["distance"], categories=list(DISTANCE_NAMES.values()), ordered=True
    )
    order = by_distance["nation"].map({first: 0, second: 1})  # the pair's order, as picked
    by_distance = by_distance.assign(_order=order).sort_values(["distance", "_order"]).drop(columns="_order")
    return per_event, by_distance.reset_index(drop=True)


#: The ⚑ column's header and help, wherever a table marks what depends on a provisional rule.
PROVISIONAL_MARK: Final = "⚑"
PROVISIONAL_HELP: Final = (
    "Provisional: ⚑ marks points or places that depend on a rule not confirmed yet (the Data page says which)"
)

#: The longest export name (the chart toolbar's PNG name is cut there: ``charts.export_config``).
EXPORT_NAME_LIMIT: Final = 80
_WORLD_CUP_NUMBER: Final = re.compile(r"world cup #?(\d+)", re.IGNORECASE)


def export_name(title: str, limit: int = EXPORT_NAME_LIMIT) -> str:
    """A download's file name (without extension) from what it shows: lower case ASCII words joined by
    single dashes, a World Cup as ``wc2``.

    ``500 m Men 2025/26 points race after World Cup #2 (Calgary)`` →
    ``500-m-men-2025-26-points-race-after-wc2-calgary``. A name over ``limit`` characters keeps its
    "as of" end whole (``after-wc4-hamar``) and loses words before it.
    """
    text = _WORLD_CUP_NUMBER.sub(lambda m: f"wc{m[1]}", title)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))
    if len(name) <= limit:
        return name
    cut = name.rfind("-after-wc")
    tail = name[cut:] if cut > 0 else ""
    head = name[: limit - len(tail)]
    if len(head) < len(name) - len(tail) and "-" in head:  # a word cut in two is dropped whole
        head = head[: head.rfind("-")]
    return head + tail


def up_to_label(season: Season, after: int | None) -> str:
    """``up to World Cup #4 (Hamar)``: how far a view reaches, inside a sentence (``AsOf.up_to_label``)."""
    return season.as_of(after).up_to_label


def sentence_case(text: str) -> str:
    """``official ISU result sheets`` → ``Official ISU result sheets`` (only the first letter changes)."""
    return text[:1].upper() + text[1:]


def as_of_label(season: Season, after: int | None) -> str:
    """``after World Cup #2 (Calgary)``, or the latest when ``after`` is ``None`` (``AsOf.label``)."""
    return season.as_of(after).label


def freshness(season: Season, synced: datetime | None = None) -> str:
    """How fresh the season's data is, in one line for every page.

    ``Data as of Sat 15 Nov 19:42 UTC (last synced change) · newest race: 1500 m Men, World Cup #2 · unofficial``,
    or, without a sync, the last race day loaded.

    Args:
        season: The season.
        synced: When a sync from the ISU results API last changed the season, if ever.
    """
    races = season.races
    if races.empty:
        return "No races loaded."
    # Within a day, races follow the programme: a sheet's file name and the API's race start
    # with the race's number in the event's schedule ("23_result_...", "isu-api:.../23").
    schedule = races["source"].astype(str).str.extract(r"(?:^|/)(\d+)(?:_|$)")[0].fillna("0").astype(int)
    order = races.assign(
        _when=races["updated"].fillna("").astype(str) + "|" + races["day"].fillna("").astype(str), _number=schedule
    )
    newest = order.sort_values(["_when", "world_cup", "_number", "race_id"]).iloc[-1]
    name = race_name(str(newest["distance"]), str(newest["gender"]), int(newest["race_number"]))
    name += "" if newest["division"] == "A" else " Division B"
    race = f"newest race: {name}, World Cup #{int(newest['world_cup'])}"
    if not bool(newest["official"]):
        race += " · unofficial"
    unofficial = int((~races["official"].astype(bool)).sum())
    if synced is not None:
        at = synced.astimezone(UTC)
        when = f"Data as of {at:%a %d %b %Y %H:%M} UTC (last change synced from the ISU results API)"
    elif races["day"].notna().any():
        last = date.fromisoformat(str(races["day"].dropna().max()))
        when = f"Data as of {last:%a %d %b %Y} (the last race day loaded)"
    else:
        when = f"Data as of World Cup #{season.world_cups[-1]} (the source gives no race days)"
    others = f" · {unofficial} races unofficial" if unofficial > 1 else ""
    return f"{when} · {race}{others}"


def season_sources(season: Season) -> str:
    """The kinds of source the season's races come from: ``official ISU result sheets``."""
    kinds = dict.fromkeys(source_kind(str(s)) for s in season.races["source"].dropna())
    return " and ".join(kinds) or "see the Data page"


def source_line(season: Season) -> str:
    """The line that credits the data inside every exported figure."""
    source = season_sources(season)
    return f"Source: {source}, {season.rules.name} {season.label} · Rinkside"


__all__ = [
    "as_of_label",
    "blanks",
    "event_breakdown",
    "export_name",
    "freshness",
    "head_to_head",
    "leaderboard",
    "medals_per_event",
    "race_label",
    "season_sources",
    "sentence_case",
    "source_line",
    "unofficial_races",
    "up_to_label",
]
