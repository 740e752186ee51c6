"""The API's responses as pydantic models: tolerant of extra fields, strict about the ones used.

A row that does not fit is refused with ``ImportRefused`` naming the URL, the 1-based row and
the field (``validate``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Final, TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict

from standings.errors import ImportRefused
from standings.sources.plausibility import nation_problem

_DAY_RE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def _ioc(value: str) -> str:
    """A nation as an IOC code (the plausibility rules' ``nation_problem``); anything else is refused, never shown."""
    problem = nation_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _ioc_or_empty(value: str) -> str:
    return value if value == "" else _ioc(value)


_Nation = Annotated[str, pydantic.AfterValidator(_ioc)]


class _Track(_Model):
    name: str = ""
    city: str = ""
    country: Annotated[str, pydantic.AfterValidator(_ioc_or_empty)] = ""
    timeZone: str | None = None


class _Event(_Model):
    isuId: str
    name: str
    start: date
    end: date
    tags: list[str] = []
    track: _Track | None = None
    isCancelled: bool = False


class _EventsPage(_Model):
    next: str | None = None
    results: list[Any]


class _Distance(_Model):
    identifier: str | None = None
    name: str = ""
    distance: int | None = None
    lapCount: int | None = pydantic.Field(default=None, ge=1, le=100)


class _Competition(_Model):
    scheduleNumber: int = pydantic.Field(ge=0, le=9999)
    title: str
    start: datetime | date | None = None
    distance: _Distance
    category: str
    division: str | None = None
    isOfficial: bool = False
    isLive: bool | None = None
    lastUpdate: datetime | None = None
    modified: datetime | None = None

    @pydantic.field_validator("start", mode="before")
    @classmethod
    def _day_or_moment(cls, value: Any) -> Any:
        # Old races give a day ("2011-11-18"), which would otherwise read as midnight UTC.
        if isinstance(value, str) and "T" not in value and " " not in value.strip():
            return date.fromisoformat(value) if _DAY_RE.match(value) else value
        return value


class _Skater(_Model):
    id: int
    firstName: str
    lastName: str
    country: _Nation


class _Team(_Model):
    """A team row's team, at the row's top level (``row.team``), as public clients of the API
    read it: name, country, gender. No recorded response has one; no members list was seen."""

    name: str = ""
    country: _Nation
    gender: str | None = None


class _Competitor(_Model):
    number: int | None = None
    skater: _Skater | None = None


class _Lap(_Model):
    number: int = pydantic.Field(ge=1)
    time: str | None = None
    passageTime: str | None = None
    rank: int | None = pydantic.Field(default=None, ge=1)
    sprintPoints: int | None = pydantic.Field(default=None, ge=0)


class _Row(_Model):
    id: int | None = None
    type: str | None = None
    competitor: _Competitor | None = None
    skater: _Skater | None = None
    team: _Team | None = None
    rank: int | None = None
    status: int | None = None
    time: str | None = None
    timeBehind: str | None = None
    startNumber: int | None = None
    startLane: str | None = None
    laps: list[_Lap] = []


_M = TypeVar("_M", bound=_Model)


def _validate(model: type[_M], raw: Any, url: str, row: int | None) -> _M:
    try:
        return model.model_validate(raw)
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        given = f" (got {_shown(first['input'])})" if first["type"] != "missing" else ""
        raise ImportRefused(url, f"{first['msg']}{given}", row=row, field=field) from error


def _shown(value: Any) -> str:
    """A value from a response, short enough for one line of a log."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:77]}..."


def _list(raw: Any, url: str) -> list[Any]:
    if not isinstance(raw, list):
        raise ImportRefused(url, f"expected a list of rows, got {type(raw).__name__}")
    return raw
