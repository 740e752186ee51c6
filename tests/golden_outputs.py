"""Every table and figure the dashboard and the notebook API make from the shipped data, recorded.

``python tests/golden_outputs.py`` records them in two files beside each other, and
``test_golden_outputs`` recomputes every output and compares, so a change of the code's shape (a
refactor) is checked to change no number, rank, medal, sentence or chart:

- ``tests/golden/outputs.json``: each output's SHA-256 digest (of a table as CSV, of a figure's
  data and texts as sorted JSON), the quick check;
- ``tests/golden/outputs.jsonl.xz``: the outputs themselves (one JSON line ``{"name", "kind",
  "text"}`` per output, in name order, xz-compressed: about 0.45 MB for 7 MB of text), read only
  when a digest differs, to say which rows (tables, by CSV row) or key paths (figures) changed,
  expected against actual (``mismatch_report``).
"""

from __future__ import annotations

import base64
import csv
import difflib
import hashlib
import io
import json
import lzma
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "outputs.json"
#: The outputs themselves, read only to explain a digest that differs.
ARCHIVE = ROOT / "tests" / "golden" / "outputs.jsonl.xz"
RECORD_COMMAND = "python tests/golden_outputs.py"
#: How much a mismatch report shows: outputs, then rows or key paths of each.
SHOWN_OUTPUTS = 5
SHOWN_DIFFERENCES = 5
#: A value longer than this is shown clipped around its first difference.
SHOWN_CHARS = 120
SEASONS = [("lt-wc", "2025-26"), ("st-wc", "2018-19"), ("st-wc", "2019-20"), ("st-wc", "2023-24"), ("st-wc", "2024-25")]
SEASONS += [("st-wc", "2025-26"), ("st-jwc", "2025-26")]


class Output(NamedTuple):
    """One output as recorded: a table as CSV text, a figure as its essentials in sorted JSON."""

    kind: Literal["table", "figure"]
    text: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _table(frame: pd.DataFrame) -> Output:
    return Output("table", frame.to_csv(index=False, lineterminator="\n"))


def _figure(figure: Any) -> Output:
    spec = figure.to_plotly_json()
    layout = spec["layout"]
    essentials = {
        "data": spec["data"],
        "title": layout.get("title"),
        "annotations": layout.get("annotations"),
        "xaxis": layout.get("xaxis"),
        "yaxis": layout.get("yaxis"),
    }
    return Output("figure", json.dumps(essentials, sort_keys=True, default=str))


def contents() -> Iterator[tuple[str, Output]]:
    """``(name, output)`` of every output: a table as CSV, a figure as sorted JSON."""
    import standings
    from standings.present import charts, event, skaters, views

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
        people = skaters.competitors(season)
        yield f"{key} competitors", _table(people)
        source = views.source_line(season)
        for competitor in people["competitor"].head(25):
            yield f"{key} skater {competitor} races", _table(skaters.skater_races(season, competitor))
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


def outputs() -> Iterator[tuple[str, str]]:
    """``(name, digest)`` of every output."""
    for name, output in contents():
        yield name, output.digest


def record(made: Mapping[str, Output]) -> None:
    """Write the digests and the archive of ``made``."""
    GOLDEN.parent.mkdir(exist_ok=True)
    digests = {name: output.digest for name, output in made.items()}
    GOLDEN.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    lines = (
        json.dumps({"name": n, "kind": made[n].kind, "text": made[n].text}, ensure_ascii=False) for n in sorted(made)
    )
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    # xz, not gzip: half the size (gzip's 32 KB window misses the repeats between one cup's "after 1",
    # "after 2"...); lzma is deterministic, so an unchanged output re-records byte for byte.
    ARCHIVE.write_bytes(lzma.compress(data, preset=9 | lzma.PRESET_EXTREME))


def load_archive() -> dict[str, Output]:
    """The recorded outputs, by name."""
    archived: dict[str, Output] = {}
    for line in lzma.decompress(ARCHIVE.read_bytes()).decode("utf-8").splitlines():
        item = json.loads(line)
        archived[item["name"]] = Output(item["kind"], item["text"])
    return archived


# -- the mismatch report --


def _clip(expected: str, actual: str) -> tuple[str, str]:
    """Both values, each clipped to ``SHOWN_CHARS`` around where they first differ."""
    if max(len(expected), len(actual)) <= SHOWN_CHARS:
        return expected, actual
    first = next((i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b), None)
    first = min(len(expected), len(actual)) if first is None else first
    start = max(0, first - SHOWN_CHARS // 3)

    def clipped(text: str) -> str:
        part = text[start : start + SHOWN_CHARS]
        return ("…" if start else "") + part + ("…" if start + SHOWN_CHARS < len(text) else "")

    return clipped(expected), clipped(actual)


def _row_label(header: Sequence[str], row: Sequence[str]) -> str:
    """A row named by its first two columns: ``rank='3', competitor='Jutta Leerdam'``."""
    return ", ".join(f"{column}={value!r}" for column, value in list(zip(header, row, strict=False))[:2])


def _whole_row(header: Sequence[str], row: Sequence[str]) -> str:
    text = ", ".join(f"{column}={value!r}" for column, value in zip(header, row, strict=False))
    return text if len(text) <= 2 * SHOWN_CHARS else text[: 2 * SHOWN_CHARS] + "…"


def table_differences(expected: str, actual: str) -> list[str]:
    """The differing rows of two CSV texts, expected against actual (rows counted from 0, as ``.iloc``)."""
    old, new = list(csv.reader(io.StringIO(expected))), list(csv.reader(io.StringIO(actual)))
    old_header, new_header = (old[0] if old else []), (new[0] if new else [])
    old_rows, new_rows = old[1:], new[1:]
    lines = [f"{len(old_rows)} rows expected, {len(new_rows)} actual"]
    if old_header != new_header:
        lines.append(f"columns: expected {old_header}, actual {new_header}")
        # Rows compared on the columns both have, so a column added or dropped shows as itself.
        common = [c for c in old_header if c in new_header]
        old_rows = [[r[old_header.index(c)] for c in common] for r in old_rows]
        new_rows = [[r[new_header.index(c)] for c in common] for r in new_rows]
        old_header = new_header = common
    header = old_header
    matcher = difflib.SequenceMatcher(None, [tuple(r) for r in old_rows], [tuple(r) for r in new_rows], autojunk=False)
    shown = total = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        entries: list[list[str]] = []
        for k in range(paired):
            before, after = old_rows[i1 + k], new_rows[j1 + k]
            entry = [f"row {j1 + k} ({_row_label(header, before)}):"]
            for column, a, b in zip(header, before, after, strict=False):
                if a != b:
                    a, b = _clip(a, b)
                    entry.append(f"    {column}: expected {a!r}, actual {b!r}")
            entries.append(entry)
        entries += [[f"row {i} only expected: {_whole_row(header, old_rows[i])}"] for i in range(i1 + paired, i2)]
        entries += [[f"row {j} only actual: {_whole_row(header, new_rows[j])}"] for j in range(j1 + paired, j2)]
        total += len(entries)
        for entry in entries:
            if shown < SHOWN_DIFFERENCES:
                lines += entry
                shown += 1
    if total > shown:
        lines.append(f"... and {total - shown} more differing rows")
    return lines


def _paths(expected: Any, actual: Any, path: str) -> Iterator[tuple[str, str]]:
    """``(key path, what differs)`` of two JSON values, depth first."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(expected.keys() | actual.keys()):
            where = f"{path}.{key}" if path else key
            if key not in actual:
                yield where, f"expected {_json(expected[key])}, actual absent"
            elif key not in expected:
                yield where, f"expected absent, actual {_json(actual[key])}"
            else:
                yield from _paths(expected[key], actual[key], where)
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            yield path, f"expected {len(expected)} items, actual {len(actual)}"
        for index, (a, b) in enumerate(zip(expected, actual, strict=False)):
            yield from _paths(a, b, f"{path}[{index}]")
    elif expected != actual or type(expected) is not type(actual):
        a, b = _clip(_json(expected), _json(actual))
        yield path, f"expected {a}, actual {b}"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _plain(value: Any) -> Any:
    """A figure's JSON with Plotly's typed arrays (``{"bdata": base64, "dtype": "i2"}``) as lists of numbers."""
    if isinstance(value, dict):
        if set(value) in ({"bdata", "dtype"}, {"bdata", "dtype", "shape"}):
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            if "shape" in value:
                array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
            return array.tolist()
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def figure_differences(expected: str, actual: str) -> list[str]:
    """The differing key paths of two figures' JSON (``data[0].y[3]: expected 12, actual 13``)."""
    before = _plain(json.loads(expected))
    found = list(_paths(before, _plain(json.loads(actual)), ""))
    traces = before.get("data") or []

    def trace(path: str) -> str:  # a trace named as the legend names it
        match = re.match(r"data\[(\d+)\]", path)
        if match is None or int(match[1]) >= len(traces) or not traces[int(match[1])].get("name"):
            return ""
        return f" (trace {traces[int(match[1])]['name']!r})"

    lines = [f"{path}{trace(path)}: {what}" for path, what in found[:SHOWN_DIFFERENCES]]
    if len(found) > SHOWN_DIFFERENCES:
        lines.append(f"... and {len(found) - SHOWN_DIFFERENCES} more differing key paths")
    return lines


def mismatch_report(recorded: Mapping[str, str], made: Mapping[str, Output], archived: Mapping[str, Output]) -> str:
    """What differs between the recorded digests and the outputs made now, readable.

    ``recorded``: the digests of ``outputs.json``; ``made``: the outputs made now; ``archived``: the
    recorded outputs (``load_archive``). Empty when nothing differs.
    """
    missing = sorted(recorded.keys() - made.keys())
    new = sorted(made.keys() - recorded.keys())
    changed = sorted(n for n in made.keys() & recorded.keys() if made[n].digest != recorded[n])
    if not (missing or new or changed):
        return ""
    lines = [
        f"{len(changed)} of {len(recorded)} recorded outputs changed, {len(missing)} no longer made, {len(new)} new."
    ]
    lines.append(f"If that is meant, re-record with `{RECORD_COMMAND}` and say why in the commit.")
    if missing:
        lines.append(f"No longer made: {missing[:SHOWN_OUTPUTS]}" + (" ..." if len(missing) > SHOWN_OUTPUTS else ""))
    if new:
        lines.append(f"New, not recorded: {new[:SHOWN_OUTPUTS]}" + (" ..." if len(new) > SHOWN_OUTPUTS else ""))
    for name in changed[:SHOWN_OUTPUTS]:
        output, before = made[name], archived.get(name)
        lines.append("")
        if before is None or before.digest != recorded[name]:
            lines.append(f"{name!r} ({output.kind}): changed; the archive does not hold its recorded version")
            continue
        lines.append(f"{name!r} ({output.kind}):")
        if before.kind == "table" and output.kind == "table":
            found = table_differences(before.text, output.text)
        else:
            found = figure_differences(before.text, output.text)
        lines += [f"  {line}" for line in found]
    if len(changed) > SHOWN_OUTPUTS:
        lines += ["", f"... and {len(changed) - SHOWN_OUTPUTS} more changed outputs: {changed[SHOWN_OUTPUTS:][:20]}"]
    return "\n".join(lines)


def main() -> None:
    made = dict(contents())
    record(made)
    size = ARCHIVE.stat().st_size / 1e6
    sys.stderr.write(f"{len(made)} outputs written to {GOLDEN} and {ARCHIVE} ({size:.2f} MB)\n")


if __name__ == "__main__":
    main()
