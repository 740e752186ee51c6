"""Every table and figure the dashboard and the notebook API make from the shipped data, as digests.

``python tests/golden_outputs.py`` writes ``tests/golden/outputs.json``; ``test_golden_outputs``
recomputes every digest and compares, so a change of the code's shape (a refactor) is checked to
change no number, rank, medal, sentence or chart. A digest is SHA-256 of the table as CSV, or of
a figure's data and texts as sorted JSON.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "outputs.json"
SEASONS = [("lt-wc", "2025-26"), ("st-wc", "2018-19"), ("st-wc", "2019-20"), ("st-wc", "2023-24"), ("st-wc", "2024-25")]
SEASONS += [("st-wc", "2025-26"), ("st-jwc", "2025-26")]


def _table(frame: pd.DataFrame) -> str:
    text = frame.to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _figure(figure: Any) -> str:
    spec = figure.to_plotly_json()
    layout = spec["layout"]
    essentials = {
        "data": spec["data"],
        "title": layout.get("title"),
        "annotations": layout.get("annotations"),
        "xaxis": layout.get("xaxis"),
        "yaxis": layout.get("yaxis"),
    }
    text = json.dumps(essentials, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def outputs() -> Iterator[tuple[str, str]]:
    """``(name, digest)`` of every output."""
    import standings
    from standings.present import charts, event, views

    for circuit, season_id in SEASONS:
        season = standings.load_season(circuit, season_id)
        key = f"{circuit}/{season_id}"
        label = season_id.replace("-", "/")
        yield f"{key} results", _table(season.results)
        yield f"{key} events", _table(season.events)
        for order in ("gold", "total"):
            for after in season.world_cups:
                yield f"{key} medals {order} after {after}", _table(season.medals(after=after, order=order))
        yield f"{key} medals per event", _table(views.medals_per_event(season))
        people = views.competitors(season)
        yield f"{key} competitors", _table(people)
        source = views.source_line(season)
        for competitor in people["competitor"].head(25):
            yield f"{key} skater {competitor} races", _table(views.skater_races(season, competitor))
        for number in event.event_numbers(season):  # the Event page (issue 17)
            races = event.programme(season, number)
            yield f"{key} event {number} programme", _table(races)
            for race_id in races["race_id"].dropna():
                yield f"{key} event {race_id}", _table(event.race_results(season, race_id))
                yield f"{key} event {race_id} rounds", _table(event.round_summary(season, race_id))
                yield f"{key} event {race_id} heats", _table(event.race_heats(season, race_id))
        if not season.rules.rankings_available:
            continue
        for cup in season.cups:
            title = f"{cup.name} {label}"
            for after in season.world_cups:
                as_of = views.as_of_label(season, after)
                board = views.leaderboard(season, cup.cup_id, after=after)
                progress = season.progress(cup.cup_id, after=after)
                yield f"{key} {cup.cup_id} leaderboard after {after}", _table(board)
                yield f"{key} {cup.cup_id} progress after {after}", _table(progress)
                if board.empty:
                    continue
                breakdown = views.event_breakdown(season, cup.cup_id, after=after)
                figure = charts.progress_chart(
                    progress,
                    title=f"{title}: points race",
                    as_of=as_of,
                    source=source,
                    cities=season.cities,
                    breakdown=breakdown,
                )
                yield f"{key} {cup.cup_id} progress chart after {after}", _figure(figure)
                figure = charts.bump_chart(
                    progress,
                    title=f"{title}: rank after each World Cup",
                    as_of=as_of,
                    source=source,
                    cities=season.cities,
                )
                yield f"{key} {cup.cup_id} bump chart after {after}", _figure(figure)
                frame = season.title_race(cup.cup_id, after=after).frame()
                yield (
                    f"{key} {cup.cup_id} title race after {after}",
                    _table(frame.assign(conditions=frame["conditions"].map(" | ".join))),
                )
                figure = charts.title_race_chart(frame, title=f"{title}: who can still win", as_of=as_of, source=source)
                yield f"{key} {cup.cup_id} title race chart after {after}", _figure(figure)

    # Olympic qualification (issue 13): every event's classification, the quota table and the
    # allocation, as of each qualifying World Cup.
    from standings.engine.qualification import load_qualification

    rules = load_qualification("owg-2026")
    season = standings.load_season(rules.circuit, rules.season)
    for after in rules.world_cups:
        for event_id in rules.events:
            yield f"owg-2026 {event_id} after {after}", _table(season.qualification(event_id, after=after))
        yield f"owg-2026 quota table after {after}", _table(season.quota_table(after=after))
        yield f"owg-2026 allocation after {after}", _table(season.allocation(after=after))


def main() -> None:
    digests = dict(outputs())
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    sys.stderr.write(f"{len(digests)} outputs written to {GOLDEN}\n")


if __name__ == "__main__":
    main()
