"""What readers read: sentences, names and source lines as a commentator would say them (issue 10)."""

from __future__ import annotations

import pytest

import standings
from standings.present import views
from standings.season import Season


@pytest.fixture(scope="module")
def season() -> Season:
    return standings.load_season("lt-wc", "2025-26")


def test_a_sure_if_sentence_never_reads_stricter_than_the_magic_number(season: Season) -> None:
    race = season.title_race("men-500", after=2)
    stolz = next(c for c in race.contenders if c.entry.competitor == "jordan-stolz-usa")
    assert stolz.magic_number == 271
    assert (
        "Stolz is sure of the cup if he wins all five remaining races, or with any other results worth 271 more points."
        in stolz.conditions
    )


def test_sentences_start_with_a_capital_and_names_keep_their_mc(season: Season) -> None:
    race = season.title_race("men-1000", after=4)
    texts = [c.reason for c in race.contenders] + [s for c in race.contenders for s in c.conditions]
    assert all(t[:1].isupper() for t in texts)
    assert any(t.startswith("De Boo ") for t in texts)
    assert any("McLeod" in t for t in texts) and not any("Mcleod" in t for t in texts)


def test_source_lines_name_the_seasons_own_sources() -> None:
    scraped = views.source_line(standings.load_season("st-wc", "2019-20"))
    podiums = views.source_line(standings.load_season("st-wc", "2025-26"))
    assert "scrape" in scraped and "podium" not in scraped
    assert "podium file" in podiums and "scrape" not in podiums
    assert views.sentence_case("official ISU result sheets") == "Official ISU result sheets"


def test_as_of_inside_a_sentence(season: Season) -> None:
    assert views.up_to_label(season, 4) == "up to World Cup #4 (Hamar)"
