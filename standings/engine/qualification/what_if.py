"""What-ifs: a result that has not happened (or replaces a real one), held to the plausibility limits."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import pandas as pd

from standings.engine.points import award
from standings.engine.qualification.rules import QualificationRules
from standings.errors import ImpossibleResult, UnknownSelection
from standings.rules import Rules

WHAT_IF_NOTE: Final = (
    "provisional: what-if; the hypothetical results replace only their own competitors' results, "
    "every other result (rank and points) is unchanged"
)


@dataclass(frozen=True)
class Hypothetical:
    """A hypothetical result: this competitor finishes ``rank`` in an event's Division A race.

    Applied (``apply_what_if``), it replaces the competitor's real result in that race of that
    World Cup, or adds one. A simplification: every other competitor keeps their real rank and
    points, as if nobody moved down to make room.

    Construction checks the shape (whole numbers, a time as text); what a race can hold (a place
    and a time possible for the distance, by the plausibility limits of imported results) is
    checked with the rules, by ``standings.season.check_what_if`` (``Season`` calls it).

    Attributes:
        competitor: The competitor key (``jordan-stolz-usa``; ``team-ned`` in team pursuit).
        world_cup: The World Cup's number in the season.
        event_id: The Games' event, e.g. ``men-1500``.
        rank: The place in the Division A race (1 = winner).
        race_number: Which race when a World Cup holds two of the distance (1 or 2 for the
            500 m); 0 otherwise.
        time: The time, as printed (``1:44.21``); ``None`` keeps the real one, if any.
    """

    competitor: str
    world_cup: int
    event_id: str
    rank: int
    race_number: int = 0
    time: str | None = None

    def __post_init__(self) -> None:
        """Refuse what is not a whole number, or a time that is not text.

        Raises:
            ImpossibleResult: ``2.5 is not a whole number``, naming the field.
        """
        for name in ("world_cup", "rank", "race_number"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise ImpossibleResult(self.label, name, value, f"{value!r} is not a whole number")
            # A NumPy integer read from a table becomes a plain int, held to the limits alike.
            object.__setattr__(self, name, int(value))
        if self.time is not None and not isinstance(self.time, str):
            raise ImpossibleResult(self.label, "time", self.time, f"{self.time!r} is not a time (e.g. 1:07.01)")

    @property
    def label(self) -> str:
        """The hypothetical in words, for messages: ``what-if jordan-stolz-usa in the men-1000 at World Cup #2``."""
        return f"what-if {self.competitor} in the {self.event_id} at World Cup #{self.world_cup}"


def apply_what_if(
    results: pd.DataFrame,
    races: pd.DataFrame,
    scoring: Rules,
    rules: QualificationRules,
    what_if: Sequence[Hypothetical],
) -> pd.DataFrame:
    """Scored results with hypothetical results applied on top of the real ones.

    Each hypothetical replaces its competitor's results in that race of that World Cup (both
    divisions: a skater races one of them) by one Division A result at ``rank``, scored by the
    season's points table (``standings.engine.points.award``, rules exceptions included). The
    time is the hypothetical's, else the real Division A or B time of that race when the
    competitor finished it, else none (the best time then comes from the other races). Other
    competitors' results are unchanged: nobody is pushed down a place (a simplification).

    The hypotheticals are taken as checked against the plausibility limits (a place, a time
    possible for the distance): ``standings.season.check_what_if`` does that, and ``Season``
    calls it before this.

    Args:
        results: Scored results (``Season.results``).
        races: The season's races (``Season.races``).
        scoring: The season's scoring rules.
        rules: The qualification rules (for the events' race kinds).
        what_if: The hypothetical results, applied in order.

    Returns:
        ``results`` with the hypothetical rows (``points_note`` says ``what-if``); ``results``
        itself when ``what_if`` is empty.

    Raises:
        UnknownSelection: For an unknown event or competitor, a rank below 1, or a Division A
            race that is not loaded.
    """
    if not what_if:
        return results
    frame = results
    for hypothetical in what_if:
        event = rules.event(hypothetical.event_id)
        if hypothetical.rank < 1:
            raise UnknownSelection(f"rank {hypothetical.rank}: a place is 1 or more")
        kind_races = races[
            (races["gender"].astype(str) + "-" + races["distance"].astype(str) == event.kind)
            & (races["world_cup"] == hypothetical.world_cup)
            & (races["race_number"] == hypothetical.race_number)
        ]
        division_a = kind_races[kind_races["division"] == "A"]
        if division_a.empty:
            raise UnknownSelection(
                f"no Division A {event.event_id} race {hypothetical.race_number or ''} at World Cup "
                f"#{hypothetical.world_cup} is loaded".replace("  ", " ")
            )
        race = division_a.iloc[0]
        mine = frame["competitor"] == hypothetical.competitor
        if not mine.any():
            raise UnknownSelection(f"no competitor {hypothetical.competitor!r} in the season's results")
        in_race = mine & frame["race_id"].isin(kind_races["race_id"])
        real = frame[in_race]
        template = (real if not real.empty else frame[mine]).iloc[[0]].copy()
        time = hypothetical.time
        if time is None:
            finished = real[(real["status"] == "finished") & real["time"].notna()]
            time = str(finished.sort_values("division")["time"].iloc[0]) if not finished.empty else None
        points = award(
            scoring,
            race_id=str(race["race_id"]),
            season=str(race["season"]),
            kind=event.kind,
            division="A",
            rank=hypothetical.rank,
            status="finished",
            competitor=hypothetical.competitor,
            is_final=bool(race["is_final"]),
        )
        for column in ("race_id", "season", "world_cup", "distance", "gender", "race_number", "day", "is_final"):
            if column in template.columns and column in race.index:
                template[column] = race[column]
        template["division"] = "A"
        template["kind"] = event.kind
        template["rank"] = hypothetical.rank
        template["status"] = "finished"
        template["time"] = time
        template["points"] = points.points
        template["provisional"] = points.provisional
        template["points_note"] = "what-if"
        template = template.astype(frame.dtypes.to_dict())
        frame = pd.concat([frame[~in_race], template], ignore_index=True)
    return frame
