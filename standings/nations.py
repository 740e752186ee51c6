"""Nations: IOC codes and the English names ISU sheets print for nation teams."""

from __future__ import annotations

from typing import Final

#: IOC code to the English name used on ISU sheets and in the dashboard.
NATION_NAMES: Final[dict[str, str]] = {
    "AIN": "Individual Neutral Athletes",
    "ARG": "Argentina",
    "AUS": "Australia",
    "AUT": "Austria",
    "BEL": "Belgium",
    "BIH": "Bosnia and Herzegovina",
    "BLR": "Belarus",
    "BRA": "Brazil",
    "BUL": "Bulgaria",
    "CAN": "Canada",
    "CHN": "China",
    "COL": "Colombia",
    "CRO": "Croatia",
    "CZE": "Czechia",
    "DEN": "Denmark",
    "ESP": "Spain",
    "EST": "Estonia",
    "FIN": "Finland",
    "FRA": "France",
    "GBR": "Great Britain",
    "GER": "Germany",
    "GRE": "Greece",
    "HKG": "Hong Kong, China",
    "HUN": "Hungary",
    "IND": "India",
    "INA": "Indonesia",
    "IRL": "Ireland",
    "ISR": "Israel",
    "ITA": "Italy",
    "JPN": "Japan",
    "KAZ": "Kazakhstan",
    "KOR": "Republic of Korea",
    "LAT": "Latvia",
    "LTU": "Lithuania",
    "LUX": "Luxembourg",
    "MAS": "Malaysia",
    "MGL": "Mongolia",
    "NED": "Netherlands",
    "NOR": "Norway",
    "NZL": "New Zealand",
    "PHI": "Philippines",
    "POL": "Poland",
    "POR": "Portugal",
    "PRK": "DPR Korea",
    "ROU": "Romania",
    "RUS": "Russia",
    "SGP": "Singapore",
    "SLO": "Slovenia",
    "SRB": "Serbia",
    "SUI": "Switzerland",
    "SVK": "Slovakia",
    "SWE": "Sweden",
    "THA": "Thailand",
    "TPE": "Chinese Taipei",
    "TUR": "Türkiye",
    "UKR": "Ukraine",
    "USA": "United States of America",
    "UZB": "Uzbekistan",
}

#: Names printed for nation teams that differ from ``NATION_NAMES``, upper case.
_TEAM_NAME_VARIANTS: Final[dict[str, str]] = {
    "UNITED STATES": "USA",
    "KOREA": "KOR",
    "CZECH REPUBLIC": "CZE",
    "NEUTRAL ATHLETES": "AIN",
}

_BY_NAME: Final[dict[str, str]] = {
    **{name.upper(): code for code, name in NATION_NAMES.items()},
    **_TEAM_NAME_VARIANTS,
}


def nation_code(name: str) -> str | None:
    """The IOC code for a nation's name as printed on a team sheet.

    Args:
        name: E.g. ``UNITED STATES OF AMERICA`` or ``REPUBLIC OF KOREA``; case is ignored.

    Returns:
        The IOC code, or ``None`` when the name is unknown.
    """
    return _BY_NAME.get(" ".join(name.upper().split()))


def is_nation(code: str) -> bool:
    """Whether ``code`` is an IOC code this package knows."""
    return code in NATION_NAMES
