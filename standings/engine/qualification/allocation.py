"""Quota places per country: the per-country limits, the host's places, the cut to the Games'
total; and the changes a what-if makes."""

from __future__ import annotations

from typing import Any, Final

import pandas as pd

from standings.columns import ALLOCATION, QUOTA_TABLE, names
from standings.engine.qualification.rules import QualificationRules
from standings.model import DISTANCE_NAMES, ordinal


def is_place(quota_rank: object) -> bool:
    """Whether a classification's ``quota_rank`` is a quota place (not empty, not a reserve)."""
    text = "" if quota_rank is None or quota_rank is pd.NA else str(quota_rank)
    return text != "" and not text.startswith("R")


def _limits(classifications: dict[str, pd.DataFrame], rules: QualificationRules, gender: str) -> dict[str, int]:
    """Each nation's most athletes in one gender, from the places the classifications give."""
    mine = [e for e in rules.events.values() if e.event_id.startswith(f"{gender}-")]
    places: dict[str, dict[str, int]] = {}
    by_points: dict[str, dict[str, int]] = {}
    for event in mine:
        frame = classifications[event.event_id]
        for entry in frame[[is_place(q) for q in frame["quota_rank"]]].itertuples(index=False):
            nation = str(entry.nation)
            counts = places.setdefault(nation, {})
            counts[event.event_id] = counts.get(event.event_id, 0) + 1
            if entry.ranking == "points":
                points = by_points.setdefault(nation, {})
                points[event.event_id] = points.get(event.event_id, 0) + 1
    individual = [e for e in mine if not e.team]
    team = [e for e in mine if e.team]
    most, fewer, otherwise = rules.per_noc_total
    limits: dict[str, int] = {}
    for nation, counts in places.items():
        has_team = all(counts.get(e.event_id, 0) > 0 for e in team)
        everywhere = all(counts.get(e.event_id, 0) > 0 for e in individual)
        maximum = all(by_points.get(nation, {}).get(e.event_id, 0) >= e.max_per_noc for e in individual)
        limits[nation] = most if has_team and maximum else fewer if has_team and everywhere else otherwise
    return limits


def _athletes(frame: pd.DataFrame, individual: set[str], limits: dict[str, int]) -> int:
    """The athletes the held places give: each nation's places, at most its limit."""
    held = frame[frame["event"].isin(individual) & frame["status"].isin(["in", "host"])]
    return sum(min(int(c), limits.get(str(n), int(c))) for n, c in held["nation"].value_counts().items())


def _cut(frame: pd.DataFrame, individual: set[str], limits: dict[str, int], order: list[str], total: int) -> None:
    """Mark places ``cut`` in ``frame`` (one gender) until its athletes are within ``total``.

    The lowest-ranked remaining place of each event in ``order``, one event after another, as the
    rule reads; a cut place of a nation over its limit does not lower the athletes, so the cut
    may remove more places than the athletes over the total.
    """
    while order:
        cut_any = False
        for event_id in order:
            if _athletes(frame, individual, limits) <= total:
                return
            left = frame.index[(frame["event"] == event_id) & (frame["status"] == "in")]
            if len(left):
                frame.loc[left[-1], "status"] = "cut"
                frame.loc[left[-1], "provisional"] = True
                cut_any = True
        if not cut_any:
            return


def allocation(classifications: dict[str, pd.DataFrame], rules: QualificationRules) -> pd.DataFrame:
    """Every quota place of the Games, after the host rule and the cut to the Games' total.

    1. Each event's places are its classification's (``status`` ``in``).
    2. The host rule (``rules.host``): in an event where the host has no place, its best entry
       on the reserve list takes one, and the last place of the event is ``replaced``; with
       nobody on the reserve list the host gets one place more than the quota (no skater named).
    3. The cut: while a gender's athletes (each nation's places in the individual events, at
       most its limit) exceed ``rules.total``, the lowest-ranked remaining place of each event in
       ``rules.cut_order`` is ``cut``, one event after another; host places are never cut.

    Args:
        classifications: Each event's classification (``classification``), by event id; every
            event of the rules.
        rules: The qualification rules.

    Returns:
        The columns of ``standings.columns.ALLOCATION``, event by event in the rules' order,
        each event in its classification's order (a host place without a skater last).
    """
    rows: list[dict[str, Any]] = []
    for event in rules.events.values():
        frame = classifications[event.event_id]
        placed = frame[[is_place(q) for q in frame["quota_rank"]]]
        mine: list[dict[str, Any]] = [
            {
                "event": event.event_id,
                "quota_rank": str(e.quota_rank),
                "nation": str(e.nation),
                "name": str(e.name),
                "ranking": str(e.ranking),
                "status": "in",
                "competitor": e.competitor,
                "provisional": bool(e.provisional),
            }
            for e in placed.itertuples(index=False)
        ]
        if rules.host is not None and not any(r["nation"] == rules.host for r in mine):
            reserve = frame[(frame["nation"] == rules.host) & (frame["ranking"] == "reserve")]
            if not reserve.empty and mine:
                mine[-1] |= {"status": "replaced", "provisional": True}
                first = reserve.iloc[0]
                host: dict[str, Any] = {"quota_rank": str(first["quota_rank"]), "name": str(first["name"])}
                host |= {"ranking": "reserve", "competitor": first["competitor"]}
            else:
                host = {"quota_rank": "", "name": "", "ranking": "host", "competitor": pd.NA}
            mine.append({"event": event.event_id, "nation": rules.host, "status": "host", "provisional": True} | host)
        rows.extend(mine)
    columns = names(ALLOCATION)
    frame = pd.DataFrame(rows, columns=columns).astype({n: c.dtype for n, c in ALLOCATION.items()})
    for gender, total in rules.total.items():
        individual = {e.event_id for e in rules.events.values() if e.event_id.startswith(f"{gender}-") and not e.team}
        order = [e for e in rules.cut_order if e in individual]
        _cut(frame, individual, _limits(classifications, rules, gender), order, total)
    return frame


def quota_table(
    classifications: dict[str, pd.DataFrame], rules: QualificationRules, *, places: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Quota places per nation and gender, from every event's classification.

    The event columns count each nation's places (``allocation``: the classification's and the
    host's, a place given up to the host not counted); ``cut`` the places the cut to the Games'
    total removes; ``athletes`` what is left, at most the nation's limit. The limit per nation
    and gender follows ``rules.per_noc_total``: the first value with a team pursuit place and the
    maximum in every individual event by the points ranking; the second with a team pursuit
    place and a place in every individual event; the third otherwise. Neutral athletes (``AIN``)
    count as one nation here.

    Args:
        classifications: Each event's classification (``classification``), by event id; every
            event of the rules.
        rules: The qualification rules.
        places: Their ``allocation``, when the caller has it already (computed here otherwise).

    Returns:
        The columns of ``standings.columns.QUOTA_TABLE``: one row per nation and gender with at
        least one place, the events of the other gender empty (``<NA>``); sorted by gender,
        then total (descending), then nation.
    """
    events = list(rules.events.values())
    places = allocation(classifications, rules) if places is None else places
    rows: list[dict[str, Any]] = []
    for gender in ("women", "men"):
        mine = [e for e in events if e.event_id.startswith(f"{gender}-")]
        individual = {e.event_id for e in mine if not e.team}
        limits = _limits(classifications, rules, gender)
        held = places[places["event"].isin([e.event_id for e in mine]) & (places["status"] != "replaced")]
        for nation, own in held.groupby("nation", sort=False):
            counts = own["event"].value_counts()
            in_individual = own[own["event"].isin(individual)]
            total = len(in_individual)
            cut = int((in_individual["status"] == "cut").sum())
            host = int((own["status"] == "host").sum())
            limit = limits.get(str(nation), rules.per_noc_total[2])
            over = max(0, total - limit)
            row: dict[str, Any] = {"nation": nation, "gender": gender}
            row |= {e.event_id: pd.NA for e in events}
            row |= {e.event_id: int(counts.get(e.event_id, 0)) for e in mine}
            row |= {
                "total": total,
                "limit": limit,
                "over": over,
                "host": host,
                "cut": cut,
                "athletes": min(total - cut, limit),
                "provisional": bool(own["provisional"].any())
                or (rules.per_noc_total_provisional and over > 0)
                or (rules.cut_provisional and cut > 0),
            }
            rows.append(row)
    columns = ["nation", "gender", *(e.event_id for e in events), *names(QUOTA_TABLE)[2:]]
    frame = pd.DataFrame(rows, columns=columns)
    dtypes: dict[str, Any] = {e.event_id: "Int64" for e in events}
    dtypes |= {name: column.dtype for name, column in QUOTA_TABLE.items()}
    frame = frame.astype(dtypes)
    frame["_order"] = frame["gender"].map({"women": 0, "men": 1})
    frame = frame.sort_values(["_order", "total", "nation"], ascending=[True, False, True], kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)


_SECTIONS: Final = {"points": "the points ranking", "times": "the times ranking", "reserve": "the reserve list"}


def _event_words(event_id: str) -> str:
    gender, _, distance = event_id.partition("-")
    return f"the {gender}'s {DISTANCE_NAMES.get(distance, distance)}"


def _where(row: Any) -> str:
    section = _SECTIONS.get(str(row.ranking), str(row.ranking))
    return section if is_place(row.quota_rank) or row.ranking == "reserve" else f"{section} without a place"


def changes(before: pd.DataFrame, after: pd.DataFrame, *, event_id: str) -> list[str]:
    """What changed between two classifications of one event, in sentences.

    First the nations whose number of quota places changed ("NOR gains a 3rd place in the
    men's 1500 m", "ITA drops to the reserve list in the women's 500 m"), then each competitor
    who moved between the rankings ("Damian ŻUREK moves from the times ranking to the points
    ranking"), in the order of ``after``.

    Args:
        before: A classification (``classification``), e.g. the real one.
        after: Another classification of the same event, e.g. with hypothetical results.
        event_id: The event, e.g. ``men-1500``.

    Returns:
        The sentences; empty when the two give the same places and rankings.
    """
    where = _event_words(event_id)

    def counts(frame: pd.DataFrame) -> dict[str, int]:
        found: dict[str, int] = {}
        for nation, quota_rank in zip(frame["nation"], frame["quota_rank"], strict=True):
            found[str(nation)] = found.get(str(nation), 0) + int(is_place(quota_rank))
        return found

    old, new = counts(before), counts(after)
    reserve_after = {str(n) for n, r in zip(after["nation"], after["ranking"], strict=True) if r == "reserve"}
    order = list(dict.fromkeys([*map(str, after["nation"]), *map(str, before["nation"])]))
    gains: list[str] = []
    losses: list[str] = []
    for nation in order:
        was, now = old.get(nation, 0), new.get(nation, 0)
        if now > was:
            if now - was > 1:
                gained = f"{now - was} places ({now} in all)"
            else:
                gained = "a place" if now == 1 else f"a {ordinal(now)} place"
            gains.append(f"{nation} gains {gained} in {where}")
        elif now < was:
            if now == 0 and nation in reserve_after:
                losses.append(f"{nation} drops to the reserve list in {where}")
            elif was == 1 and now == 0:
                losses.append(f"{nation} loses its only place in {where}")
            elif was - now == 1:
                losses.append(f"{nation} loses its {ordinal(was)} place in {where}")
            else:
                losses.append(f"{nation} loses {was - now} places ({now} left) in {where}")
    moves: list[str] = []
    earlier = {str(row.competitor): row for row in before.itertuples(index=False)}
    later = {str(row.competitor): row for row in after.itertuples(index=False)}
    for competitor, row in later.items():
        if competitor not in earlier:
            moves.append(f"{row.name} enters the classification on {_where(row)}")
        elif _where(earlier[competitor]) != _where(row):
            moves.append(f"{row.name} moves from {_where(earlier[competitor])} to {_where(row)}")
    for competitor, row in earlier.items():
        if competitor not in later:
            moves.append(f"{row.name} drops out of the classification (was on {_where(row)})")
    return gains + losses + moves
