"""Olympic qualification: the Special Olympic Qualification Classification of one event.

The rules are data (``standings/rules/qualification/<games>.toml``, every value with its source
and confidence). ``classification`` applies them to a season's scored results as of a qualifying
World Cup: the points ranking, then the times ranking for the remaining places, then the
reserve list, each giving places in order while the skater's country has room.

>>> rules = load_qualification("owg-2026")
>>> rules.event("men-1000").quota
28

The package: ``rules`` (the Games' rules as data), ``classification`` (one event's
classification), ``what_if`` (hypothetical results), ``allocation`` (quota places per country,
and what a what-if changes).
"""

from standings.engine.qualification.allocation import allocation, changes, is_place, quota_table
from standings.engine.qualification.classification import classification, entries
from standings.engine.qualification.rules import (
    QUALIFICATION_DIR,
    QualificationEvent,
    QualificationRules,
    load_qualification,
    read_qualification,
)
from standings.engine.qualification.what_if import WHAT_IF_NOTE, Hypothetical, apply_what_if

__all__ = [
    "QUALIFICATION_DIR",
    "WHAT_IF_NOTE",
    "Hypothetical",
    "QualificationEvent",
    "QualificationRules",
    "allocation",
    "apply_what_if",
    "changes",
    "classification",
    "entries",
    "is_place",
    "load_qualification",
    "quota_table",
    "read_qualification",
]
