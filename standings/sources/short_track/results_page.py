"""Reader for one page of the ISU's former short-track results site (the scrape's own source).

A page shows one round of one race (``Finals``: Final A and Final B tables) with
place, start position, warning, bib, name, nation, time and qualification, and
links each skater to a biography whose ``ath=`` number is the ISU id used as the
key by the every-round scrape. The page keeps the spaces in names (``LEE Yu Bin``)
that the scrape lost, so it serves to check the scrape row by row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Final

import pandas as pd

from standings.errors import ImportRefused
from standings.model import is_number
from standings.sources.short_track.classification import HeatResult

_TITLE: Final = re.compile(
    r"ISU World Cup (?P<start>\d{4})/(?P<end>\d{2}) - (?P<city>[^()]+?)(?:, [A-Z]{2})? \((?P<country>[A-Z]{3})\)"
)
_RACE: Final = re.compile(r"(?P<gender>Ladies|Men|Mixed) (?P<metres>\d+) m(?: \((?P<number>\d)\))?(?P<relay> Relay)?")


@dataclass(frozen=True)
class PageRow:
    """One row of a results table: the heat result, bib, name and nation as printed."""

    heat: HeatResult
    bib: int | None
    name: str
    nation: str


@dataclass(frozen=True)
class ResultsPage:
    """One round of one race as the results site showed it."""

    season: str
    city: str
    country: str
    distance: str
    gender: str
    race_number: int
    rows: tuple[PageRow, ...]


class _Tables(HTMLParser):
    """Collects every table row's cell texts, each table's title (``Final A``) and bio links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.rows: list[tuple[str, list[str], str | None]] = []
        self._title = ""
        self._in_title = False
        self._cells: list[str] | None = None
        self._cell: list[str] | None = None
        self._athlete: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "div" and values.get("class") == "tabletitle":
            self._in_title, self._title = True, ""
        elif tag == "tr":
            self._cells, self._athlete = [], None
        elif tag in ("td", "th") and self._cells is not None:
            self._cell = []
        elif tag == "a" and "Bio.aspx" in (values.get("href") or ""):
            match = re.search(r"ath=(\d+)", values.get("href") or "")
            self._athlete = match.group(1) if match else None

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._in_title:
            self._in_title = False
        elif tag in ("td", "th") and self._cell is not None and self._cells is not None:
            self._cells.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._cells is not None:
            self.rows.append((" ".join(self._title.split()), self._cells, self._athlete))
            self._cells = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_title:
            self._title += data
        if self._cell is not None:
            self._cell.append(data)


def read_results_page(path: Path) -> ResultsPage:
    """Read a ``Finals`` results page.

    Raises:
        ImportRefused: If the page does not name a World Cup race or has no result rows.
    """
    name = path.name
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    text = " ".join(" ".join(parser.text).split())
    # The competition menu lists other events first; the page's own follows "Results".
    title = _TITLE.search("ISU World Cup" + text.split("Results ISU World Cup", 1)[-1])
    race = _RACE.search(text.split("Rounds", 1)[0][-200:])
    if title is None or race is None:
        raise ImportRefused(name, "not a World Cup results page (no 'ISU World Cup yyyy/yy - City (NOC)' and race)")
    rows: list[PageRow] = []
    for table_title, cells, athlete in parser.rows:
        which = re.match(r"Final\s+([AB])\b", table_title)
        if len(cells) < 7 or which is None or cells[0] == "Place":
            continue
        final = f"Final {which.group(1)}"
        place_text, _, _, bib, skater, nation, time = cells[:7]
        status = place_text if place_text in ("PEN", "YC", "DNF", "DNS") else "finished"
        if athlete is None:
            raise ImportRefused(name, f"{skater!r} has no ISU id (biography link)", field="Name")
        rows.append(
            PageRow(
                heat=HeatResult(
                    competitor=f"isu-{athlete}",
                    round=final,
                    heat=0,
                    place=int(place_text) if is_number(place_text) else None,
                    status=status,
                    time=time if is_number(time[:1]) else None,
                ),
                bib=int(bib) if is_number(bib) else None,
                name=skater,
                nation=nation,
            )
        )
    if not rows:
        raise ImportRefused(name, "the page has no Final A or Final B rows")
    metres = race["metres"]
    return ResultsPage(
        season=f"{title['start']}-{title['end']}",
        city=title["city"].strip(),
        country=title["country"],
        distance=f"relay-{metres}" if race["relay"] else metres,
        gender={"Ladies": "women", "Men": "men", "Mixed": "mixed"}[race["gender"]],
        race_number=int(race["number"] or 0),
        rows=tuple(rows),
    )


def compare(page: ResultsPage, race_id: str, stored: pd.DataFrame, source: str) -> list[str]:
    """What the page shows differently from the stored race (its Final A and Final B rows).

    Args:
        page: The page.
        race_id: The stored race it shows.
        stored: The stored race's results (``Store.results`` rows of that race).
        source: The page's file name, for the messages.
    """
    found: list[str] = []
    records: list[dict[Any, Any]] = stored.to_dict("records")
    by_competitor = {str(r["competitor"]): r for r in records}
    for row in page.rows:
        mine = by_competitor.get(row.heat.competitor)
        who = f"{row.name} ({row.nation})"
        if mine is None:
            found.append(f"{race_id}: {source} shows {who} in {row.heat.round}; the stored race lacks the row")
            continue
        rank = None if pd.isna(mine["rank"]) else int(mine["rank"])
        if mine["round"] != row.heat.round:
            found.append(f"{race_id}: {source} shows {who} in {row.heat.round}, the stored race in {mine['round']}")
        elif row.heat.round == "Final A" and rank != row.heat.place:
            found.append(f"{race_id}: {source} places {who} {row.heat.place} in Final A, the stored race {rank}")
    return found
