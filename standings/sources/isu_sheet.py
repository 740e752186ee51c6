"""Importer for the official ISU World Cup Speed Skating result sheets (PDF).

The sheets are produced by the ISU's results provider. Their text layer holds
every value, but table cells are only positioned, not delimited, and some cells
are blank (mass-start sprints, statuses without points). So rows are read by
position: the header row (``Rnk Nr Name Ctry ...``) gives each column's place
across the page, every bib number starts a row, and text that sits between two
rows (a name that wraps, ``Ou``/``t`` of a narrow lane cell) continues the row
above. Superscript codes behind a name (``T09``, ``F``) are printed smaller and
are kept apart as annotations, with their meaning from the sheet's legend.

Nothing here touches the store: ``read_sheet`` returns a complete ``Sheet`` or
raises ``ImportRefused`` naming the file, row and field.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from standings.errors import ImportRefused
from standings.identity import resolve, team_key
from standings.model import TEAM_DISTANCES, Finding, Race, Result, is_number, season_of, time_seconds
from standings.nations import is_nation, nation_code

#: What pdfminer raises on a damaged PDF (its parser meets bytes it cannot make sense of).
_PDF_DAMAGE: Final = (
    PdfminerException,
    MalformedPDFException,
    PDFSyntaxError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    AssertionError,
    RecursionError,
    EOFError,
    struct.error,
    zlib.error,
)
CIRCUIT: Final = "lt-wc"

_TITLE_RE = re.compile(r"^ISU SPEED SKATING WORLD CUP #(?P<number>\d+)$")
_VENUE_RE = re.compile(r"^(?P<venue>.+) - (?P<city>[^-]+?) \((?P<country>[A-Za-z]{3})\) / (?P<dates>.+)$")
_RACE_RE = re.compile(
    r"^(?P<sheet>\d+)\. RESULT (?:(?P<ordinal>1st|2nd) )?"
    r"(?P<what>\d+m|Mass Start|Team Pursuit|Team Sprint) (?P<gender>Men|Women)"
    r"(?P<division_b> Division B)?$"
)
_DAY_RE = re.compile(r"^[A-Za-z]+, (?P<day>\d{1,2} [A-Za-z]+ \d{4})$")
_POINTS_RE = re.compile(r"^(?:\((?P<marker>[A-Za-z]+)\))?(?P<points>\d+)$")
_BEHIND_RE = re.compile(r"^\+(?:\d{1,2}:)?\d{1,2}\.\d{2}(?:\(\d\))?$")
_LEGEND_RE = re.compile(r"^(?P<code>[A-Z]{1,2}\d{0,2}) : (?P<meaning>.+)$")
_PAGE_RE = re.compile(r"Page (?P<page>\d+) of (?P<of>\d+)")
_STATUSES: Final = frozenset({"DNF", "DQ", "DNS", "WDR"})
_DISTANCES: Final = {"Mass Start": "mass-start", "Team Pursuit": "team-pursuit", "Team Sprint": "team-sprint"}

# Header words to column names. "S1La" is how the mass-start header's S1 cell
# reads when the narrow "Lane" caption wraps into it on some sheets.
_HEADER_COLUMNS: Final = {
    "Rnk": "rank",
    "Nr": "bib",
    "Name": "name",
    "Ctry": "nation",
    "Country": "nation",
    "pair": "pair",
    "lane": "lane",
    "Time": "time",
    "Behind": "time_behind",
    "Points": "points",
    "Laps": "laps",
    "S1": "s1",
    "S1La": "s1",
    "S2": "s2",
    "S3": "s3",
    "S4": "s4",
    "Total": "sprint_total",
    "Race": "heat",
    "Straight": "finish_side",
}
_FOOTER_STARTS: Final = ("Referee:", "Conditions", "Created", "Page ")
# Superscript annotations are printed at 6.5 pt, the table at 10 pt (lane at 8 pt).
_ANNOTATION_MAX_SIZE: Final = 7.5
_SAME_LINE: Final = 2.5


@dataclass(frozen=True)
class Sheet:
    """One official result sheet, read completely.

    Attributes:
        source: The file's name as given to ``read_sheet``.
        race: The race the sheet reports.
        results: One result per row, in the sheet's order.
        legend: Meaning of each annotation code printed on the sheet (``T09`` ...).
        findings: Things about the sheet worth a reader's attention that do not
            make it wrong (e.g. a ranked row without points).
    """

    source: str
    race: Race
    results: tuple[Result, ...]
    legend: dict[str, str]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class _Column:
    name: str
    x0: float
    x1: float


def read_sheet(path: Path, *, source: str | None = None, aliases: dict[str, str] | None = None) -> Sheet:
    """Read one official ISU World Cup Speed Skating result sheet.

    Args:
        path: The PDF file.
        source: The name to record and to use in errors; defaults to the file name.
        aliases: Skater alias table (see ``standings.identity``).

    Returns:
        The sheet's race, results, legend and findings.

    Raises:
        ImportRefused: If the file is not a readable PDF, not a World Cup result
            sheet, or a row or field cannot be read.
    """
    name = source or path.name
    pages = _read_words(path, name)
    lines = _lines(pages[0])
    race = _race(lines, name)
    _check_complete(pages, name)
    legend: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    for words in pages:
        page_rows, page_legend = _rows(words, name, race)
        rows.extend(page_rows)
        legend.update(page_legend)
    if not rows:
        raise ImportRefused(name, "the sheet has no result rows")
    results = [_result(row, number, name, race, aliases or {}) for number, row in enumerate(rows, start=1)]
    findings = _check(results, name, race)
    return Sheet(source=name, race=race, results=tuple(results), legend=legend, findings=tuple(findings))


class _Damage(logging.Handler):
    """Collects pdfminer's warnings: it reads damaged streams leniently and only logs."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _read_words(path: Path, name: str) -> list[list[dict[str, Any]]]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportRefused(name, f"cannot be read ({error.strerror})") from error
    if not data.startswith(b"%PDF-"):
        raise ImportRefused(name, "not a PDF (it does not start with '%PDF-')")
    if b"%%EOF" not in data[-1024:]:
        raise ImportRefused(name, "the PDF is truncated (no '%%EOF' at its end)")
    damage = _Damage()
    pdfminer_log = logging.getLogger("pdfminer")
    pdfminer_log.addHandler(damage)
    try:
        # From the bytes already read: pdfplumber leaves a file it opened itself open when the
        # PDF cannot be parsed.
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_words(x_tolerance=1.5, y_tolerance=2, extra_attrs=["size"]) for page in pdf.pages]
    except _PDF_DAMAGE as error:
        raise ImportRefused(name, f"not a readable PDF ({type(error).__name__}: {error})") from error
    finally:
        pdfminer_log.removeHandler(damage)
    if damage.messages:
        raise ImportRefused(name, f"the PDF is corrupt ({damage.messages[0]})")
    if not pages or not pages[0]:
        raise ImportRefused(name, "the PDF has no text: not an ISU result sheet")
    return pages


def _check_complete(pages: Sequence[Sequence[dict[str, Any]]], name: str) -> None:
    """Every page of a complete sheet ends "Page k of n"; a cut-off file lacks it."""
    for number, words in enumerate(pages, start=1):
        footer = _PAGE_RE.search(" ".join(text for _, text in _lines(words)))
        if footer is None or int(footer["page"]) != number or int(footer["of"]) != len(pages):
            raise ImportRefused(
                name, f"page {number} lacks its 'Page {number} of {len(pages)}' footer: the file is incomplete"
            )


def _lines(words: Sequence[dict[str, Any]]) -> list[tuple[float, str]]:
    """Words grouped into printed lines, top to bottom."""
    grouped: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if grouped and abs(grouped[-1][0]["top"] - word["top"]) <= _SAME_LINE:
            grouped[-1].append(word)
        else:
            grouped.append([word])
    return [(line[0]["top"], " ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"]))) for line in grouped]


def _race(lines: Sequence[tuple[float, str]], name: str) -> Race:
    texts = [text for _, text in lines[:6]]
    title = next((m for t in texts if (m := _TITLE_RE.match(t))), None)
    venue = next((m for t in texts if (m := _VENUE_RE.match(t))), None)
    what = next((m for t in texts if (m := _RACE_RE.match(t))), None)
    day_match = next((m for t in texts if (m := _DAY_RE.match(t))), None)
    if title is None:
        raise ImportRefused(name, "no 'ISU SPEED SKATING WORLD CUP #n' title: not an ISU World Cup result sheet")
    if what is None:
        raise ImportRefused(name, "no 'n. RESULT <distance> <Men|Women>' line: not a result sheet")
    if venue is None:
        raise ImportRefused(name, "no venue line ('<rink> - <city> (<country>) / <dates>')", field="venue")
    if day_match is None:
        raise ImportRefused(name, "no race day line ('<weekday>, <d> <month> <yyyy>')", field="day")
    try:
        day = datetime.strptime(day_match["day"], "%d %B %Y").date()
    except ValueError as error:
        raise ImportRefused(name, f"race day {day_match['day']!r} is not a date", field="day") from error
    country = venue["country"].upper()
    if not is_nation(country):
        raise ImportRefused(name, f"host country {venue['country']!r} is not a known IOC code", field="venue")
    distance = _DISTANCES.get(what["what"], what["what"].removesuffix("m"))
    ordinal = what["ordinal"]
    return Race(
        circuit=CIRCUIT,
        season=season_of(day),
        world_cup=int(title["number"]),
        distance=distance,
        gender=what["gender"].lower(),
        division="B" if what["division_b"] else "A",
        race_number={"1st": 1, "2nd": 2}[ordinal] if ordinal else 0,
        day=day,
        venue=venue["venue"],
        city=venue["city"],
        country=country,
        source=name,
    )


def _columns(words: Sequence[dict[str, Any]], name: str) -> tuple[float, list[_Column]]:
    header = next((w for w in words if w["text"] == "Rnk"), None)
    if header is None:
        raise ImportRefused(name, "no column header row starting with 'Rnk'")
    columns = [
        _Column(_HEADER_COLUMNS[w["text"]], w["x0"], w["x1"])
        for w in words
        if abs(w["top"] - header["top"]) <= _SAME_LINE and w["text"] in _HEADER_COLUMNS
    ]
    found = {c.name for c in columns}
    missing = {"rank", "bib", "name", "time", "points"} - found
    if missing:
        raise ImportRefused(name, f"column header lacks {sorted(missing)}")
    return header["top"], sorted(columns, key=lambda c: c.x0)


def _rows(words: Sequence[dict[str, Any]], name: str, race: Race) -> tuple[list[dict[str, Any]], dict[str, str]]:
    header_top, columns = _columns(words, name)
    by_name = {c.name: c for c in columns}
    footer_top = min(
        (top for top, text in _lines(words) if top > header_top and text.startswith(_FOOTER_STARTS)),
        default=float("inf"),
    )
    legend = {
        m["code"]: m["meaning"] for top, text in _lines(words) if top > header_top and (m := _LEGEND_RE.match(text))
    }
    body = [w for w in words if header_top + _SAME_LINE < w["top"] < footer_top - 1]
    bib = by_name["bib"]
    anchors = sorted(
        (w for w in body if is_number(w["text"]) and _overlap(w, bib) > 0 and w["size"] > _ANNOTATION_MAX_SIZE),
        key=lambda w: w["top"],
    )
    # The name cell runs from the Name caption to the next column's caption.
    name_col = by_name["name"]
    next_col = min((c for c in columns if c.x0 > name_col.x0), key=lambda c: c.x0)
    if not anchors:
        return [], legend  # a page that only repeats the header (the table ended on the page before)
    rows: list[dict[str, Any]] = [{"_top": a["top"], "_cells": {}, "annotations": []} for a in anchors]
    for word in sorted(body, key=lambda w: (w["top"], w["x0"])):
        row = _row_for(word, rows)
        if row is None:
            if word["top"] < anchors[0]["top"] - 6:
                continue  # the wrapped part of a two-line column caption
            raise ImportRefused(name, f"text {word['text']!r} stands above the first result row")
        if word["size"] <= _ANNOTATION_MAX_SIZE:
            row["annotations"].extend(code for code in word["text"].split(",") if code)
            continue
        if word["x0"] >= name_col.x0 - 3 and word["x1"] <= next_col.x0 - 2:
            column = "name"
        else:
            column = _nearest(word, columns).name
        row["_cells"].setdefault(column, []).append(word["text"])
    for row in rows:
        for column, texts in row.pop("_cells").items():
            row[column] = _join(texts) if column == "name" else "".join(texts)
    return rows, legend


def _row_for(word: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    above = None
    for row in rows:
        if abs(row["_top"] - word["top"]) <= _SAME_LINE:
            return row
        if row["_top"] < word["top"]:
            above = row
    return above


def _overlap(word: dict[str, Any], column: _Column) -> float:
    return float(min(word["x1"], column.x1) - max(word["x0"], column.x0))


def _nearest(word: dict[str, Any], columns: Iterable[_Column]) -> _Column:
    centre = (word["x0"] + word["x1"]) / 2
    return max(columns, key=lambda c: (_overlap(word, c), -abs((c.x0 + c.x1) / 2 - centre)))


def _join(parts: Sequence[str]) -> str:
    text = ""
    for part in parts:
        text += part if not text or text.endswith("-") else " " + part
    return text


def _int(row: dict[str, Any], field: str, name: str, number: int) -> int | None:
    text = row.get(field)
    if text is None or text == "":
        return None
    if not is_number(text):
        raise ImportRefused(name, f"{text!r} is not a whole number", row=number, field=field)
    return int(text)


def _result(row: dict[str, Any], number: int, name: str, race: Race, aliases: dict[str, str]) -> Result:
    printed_name = row.get("name", "").strip()
    if not printed_name:
        raise ImportRefused(name, "no name", row=number, field="name")
    if race.distance in TEAM_DISTANCES:
        nation = nation_code(printed_name)
        if nation is None:
            raise ImportRefused(name, f"{printed_name!r} is not a known nation", row=number, field="name")
        competitor = team_key(nation)
    else:
        nation = row.get("nation", "")
        if not is_nation(nation):
            raise ImportRefused(name, f"{nation!r} is not a known IOC code", row=number, field="nation")
        competitor = resolve(printed_name, nation, aliases)
    status, time = _status_and_time(row.get("time", ""), name, number)
    behind = row.get("time_behind") or None
    if behind is not None and not _BEHIND_RE.match(behind):
        raise ImportRefused(name, f"{behind!r} is not a time behind", row=number, field="time_behind")
    points_text = row.get("points", "")
    points_match = _POINTS_RE.match(points_text) if points_text else None
    if points_text and points_match is None:
        raise ImportRefused(name, f"{points_text!r} is not World Cup points", row=number, field="points")
    lane = row.get("lane") or None
    if lane is not None and lane not in ("In", "Out"):
        raise ImportRefused(name, f"lane {lane!r} is neither In nor Out", row=number, field="lane")
    side = row.get("finish_side") or None
    if side is not None and side not in ("Finish", "Crossing"):
        raise ImportRefused(name, f"{side!r} is neither Finish nor Crossing", row=number, field="finish_side")
    sprints = tuple(_int(row, f"s{i}", name, number) for i in range(1, 5)) if race.distance == "mass-start" else ()
    return Result(
        rank=_int(row, "rank", name, number),
        bib=_int(row, "bib", name, number),
        competitor=competitor,
        name=printed_name,
        nation=nation,
        status=status,
        time=time,
        time_behind=behind,
        official_points=int(points_match["points"]) if points_match else None,
        points_marker=points_match["marker"] if points_match else None,
        annotations=tuple(row["annotations"]),
        pair=_int(row, "pair", name, number),
        lane=lane,
        laps=_int(row, "laps", name, number),
        sprint_points=sprints,
        sprint_total=_int(row, "sprint_total", name, number),
        heat=_int(row, "heat", name, number),
        finish_side=side,
    )


def _status_and_time(text: str, name: str, number: int) -> tuple[str, str | None]:
    if text in _STATUSES:
        return text, None
    if not text:
        raise ImportRefused(name, "neither a time nor a status (DNF, DQ, DNS, WDR)", row=number, field="time")
    try:
        time_seconds(text)
    except ValueError as error:
        raise ImportRefused(name, str(error), row=number, field="time") from error
    return "finished", text


def _check(results: Sequence[Result], name: str, race: Race) -> list[Finding]:
    """Refuse what cannot be true; return what is odd but possible."""
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for number, result in enumerate(results, start=1):
        if result.competitor in seen:
            raise ImportRefused(
                name,
                f"{result.name} ({result.nation}) already has a result in row {seen[result.competitor]}",
                row=number,
                field="name",
            )
        seen[result.competitor] = number
    ranked = [(n, r) for n, r in enumerate(results, start=1) if r.rank is not None]
    for position, (number, result) in enumerate(ranked):
        better = sum(1 for _, other in ranked if other.rank is not None and other.rank < (result.rank or 0))
        if result.rank != better + 1 or (position and (ranked[position - 1][1].rank or 0) > (result.rank or 0)):
            raise ImportRefused(
                name, f"rank {result.rank} does not follow the ranks above it", row=number, field="rank"
            )
    unpointed = [(n, r) for n, r in ranked if r.official_points is None and r.status == "finished"]
    if unpointed and len(unpointed) == len(ranked):
        message = f"{name}: no World Cup points are printed for any of the {len(ranked)} ranked rows"
        findings.append(Finding("points-missing", message))
    else:
        findings.extend(
            Finding("points-missing", f"{name}, row {n}: {r.name} is ranked {r.rank} but has no points printed")
            for n, r in unpointed
        )
    if race.distance != "mass-start":
        timed = [(n, r) for n, r in ranked if r.time is not None]
        for (_, before), (number, after) in itertools.pairwise(timed):
            if time_seconds(after.time or "") < time_seconds(before.time or ""):
                raise ImportRefused(
                    name, f"time {after.time} is faster than {before.time} ranked above it", row=number, field="time"
                )
            if (after.rank == before.rank) != (after.time == before.time):
                raise ImportRefused(
                    name, f"shared rank {after.rank} without an equal time, or the reverse", row=number, field="rank"
                )
    return findings
