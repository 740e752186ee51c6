"""A skater's page as the dashboard shows it: races, cups, rank history, the numbers at the top,
and finding a skater by any part of a name."""

from __future__ import annotations

from typing import Final

import pandas as pd

from standings.columns import RANK_HISTORY, SKATER_CUPS, names
from standings.identity import fold
from standings.present.event import penalty_words
from standings.present.views import race_label
from standings.rules import Rules
from standings.season import Season


def skater_metrics(races: pd.DataFrame, rules: Rules) -> dict[str, int]:
    """The three numbers at the top of a skater's page, label to value, from ``skater_races``.

    Races started (finished, DNF or disqualified: DQ, and short track's PEN and YC), wins in
    Division A (short track: Final A), and World Cup points where the circuit ranks, else podiums.
    """
    finished = races["status"] == "finished"
    metrics = {
        "Races": int(races["status"].isin(["finished", "DNF", "DQ", "PEN", "YC"]).sum()),
        "Wins (Final A)" if rules.short_track else "Wins (Division A)": int(
            ((races["rank"] == 1) & (races["division"] == "A") & finished).sum()
        ),
    }
    if rules.rankings_available:
        metrics["World Cup points"] = int(races["points"].sum())
    else:
        metrics["Podiums"] = int(((races["rank"] <= 3) & finished).sum())
    return metrics


def skater_races_unshown(races: pd.DataFrame, rules: Rules) -> list[str]:
    """The columns of ``skater_races`` a skater's page leaves out, and why: the race id (the link
    stands for it), "official" when every result is, points where the circuit gives none, the
    division in short track (one classification a race), the day where the source gives none."""
    unshown = ["race_id"]
    if races["official"].all():
        unshown.append("official")
    if not rules.rankings_available:
        unshown += ["points", "provisional"]
    if rules.short_track:
        unshown.append("division")
    if races["day"].isna().all():
        unshown.append("day")
    return unshown


#: The Skater page's race list as shown: which race and how it went first (a phone shows these
#: without a swipe), then where and when.
SKATER_RACES_ORDER: Final = (
    "world_cup",
    "race",
    "rank",
    "time",
    "points",
    "status",
    "city",
    "day",
    "division",
    "provisional",
    "official",
    "event_page",
)


def skater_races(season: Season, competitor: str) -> pd.DataFrame:
    """Every race of one competitor: World Cup, city, day, race, division, rank, status, time, points, race id.

    Returns:
        One row per result, in the order skated.
    """
    rows = season.results[season.results["competitor"] == competitor]
    races = season.races.set_index("race_id")
    rows = rows.sort_values(["world_cup", "day", "race_id"])
    statuses = rows["status"]
    if season.rules.short_track:  # the ISU's word for a disqualification in short track: PEN or YC
        statuses = penalty_words(rows["status"], rows["annotations"])[0]
    frame = pd.DataFrame(
        {
            "world_cup": rows["world_cup"].to_numpy(),
            "city": races.loc[rows["race_id"], "city"].to_numpy(),
            "day": rows["day"].to_numpy(),
            "race": [race_label(d, int(n), "A") for d, n in zip(rows["distance"], rows["race_number"], strict=True)],
            "division": rows["division"].to_numpy(),
            "rank": rows["rank"].to_numpy(),
            "status": statuses.to_numpy(),
            "time": rows["time"].to_numpy(),
            "points": rows["points"].to_numpy(),
            "provisional": rows["provisional"].to_numpy(),
            "official": races.loc[rows["race_id"], "official"].to_numpy(),
            "race_id": rows["race_id"].to_numpy(),
        }
    )
    frame["rank"] = frame["rank"].astype("Int64")  # a rank is whole: 18, never 18.0
    frame.loc[frame["status"] == "DNS", "rank"] = pd.NA  # did not start: no place
    return frame


def skater_cups(season: Season, competitor: str, *, after: int | None = None) -> pd.DataFrame:
    """The competitor's place and points in every cup they score in.

    Returns:
        Columns ``cup_id, cup, rank, points, races, wins, of`` (``of``: how many are ranked).
    """
    rows = []
    kinds = set(season.results.loc[season.results["competitor"] == competitor, "kind"])
    for cup in season.cups:
        if not kinds & set(cup.races):
            continue
        table = season.standings(cup.cup_id, after=after)
        mine = table[table["competitor"] == competitor]
        if mine.empty:
            continue
        row = mine.iloc[0]
        rows.append(
            {
                "cup_id": cup.cup_id,
                "cup": cup.name,
                "rank": int(row["rank"]),
                "points": int(row["points"]),
                "races": int(row["races"]),
                "wins": int(row["wins"]),
                "of": len(table),
            }
        )
    return pd.DataFrame(rows, columns=names(SKATER_CUPS))


def skater_rank_history(season: Season, competitor: str) -> pd.DataFrame:
    """The competitor's rank in each of their cups after every World Cup.

    Returns:
        Columns ``cup, world_cup, rank, points``.
    """
    frames = []
    for cup_id, name in skater_cups(season, competitor)[["cup_id", "cup"]].itertuples(index=False):
        progress = season.progress(cup_id)
        mine = progress[progress["competitor"] == competitor]
        frames.append(mine.assign(cup=name)[names(RANK_HISTORY)])
    if not frames:
        return pd.DataFrame(columns=names(RANK_HISTORY))
    return pd.concat(frames, ignore_index=True)


def competitors(season: Season) -> pd.DataFrame:
    """Every competitor of the season, for search: ``competitor, name, nation, label``, by name."""
    names = season.names.reset_index().rename(columns={"index": "competitor"})
    names["label"] = names["name"] + " (" + names["nation"] + ")"
    return names.sort_values("label").reset_index(drop=True)[["competitor", "name", "nation", "label"]]


def competitor_gender(season: Season, competitor: str) -> str | None:
    """The gender a competitor races in (``women``, ``men``; ``mixed`` for a mixed relay team), or
    ``None`` when the season has no race of theirs or they race in more than one."""
    genders = set(season.results.loc[season.results["competitor"] == competitor, "gender"].dropna())
    return str(genders.pop()) if len(genders) == 1 else None


def find_competitors(people: pd.DataFrame, query: str) -> pd.DataFrame:
    """The competitors a search finds, the way people type: any accents, any case, any word order.

    Every word of the query must appear in the name (``Zurek`` finds Damian ŻUREK, ``Min Jeong``
    and ``choi min`` find Min Jeong CHOI, ``dubois steven`` finds Steven DUBOIS) or be the nation
    (``KOR``). Names whose words start with the query's words come first.

    Args:
        people: Competitors as ``competitors`` gives them.
        query: What the user typed.

    Returns:
        The matching rows of ``people``, best first; all of them for an empty query.
    """
    words = [w for w in fold(query).split("-") if w]
    if not words:
        return people
    folded = people["name"].map(fold)
    joined = folded.str.replace("-", "", regex=False)
    nations = people["nation"].str.lower()
    found = pd.Series(True, index=people.index)
    starts = pd.Series(0, index=people.index)
    for word in words:
        found &= joined.str.contains(word, regex=False) | (nations == word)
        starts += ("-" + folded).str.contains("-" + word, regex=False).astype(int)
    order = (-starts[found]).sort_values(kind="stable").index
    return people.loc[order]
