"""Dates with a precision (a year, a month or a day) and bounds on uncertain ones.

News gives dates at different precisions ("in 2004", "last month", "on April
3"). A :class:`PartialDate` keeps the precision the source gives and knows the
first and last day it may stand for, which is what "as of" filtering needs.

Some dates are known only within bounds: an essay dated "2026" that was
written after an event of 2026-05-08 cannot be older than that day. As
Wikidata qualifies a date with "earliest date" (P1319) and "latest date"
(P1326), a date may carry bounds; :func:`possible_days` gives the first and
last day a bounded date can be, and "as of" counts from the first. A date not
known at all but bounded ("for years" before an article) is written
:data:`UNKNOWN`, Wikidata's "unknown value", with its bounds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .text import clip

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)  # "２０２５" is not a year a curator wrote


#: How a curator writes a date that is not known but bounded (Wikidata's "unknown value").
UNKNOWN = "unknown"


class DateError(ValueError):
    """A date that is malformed or impossible."""


def _days_in(year: int, month: int) -> int:
    """How many days the month has."""
    import calendar  # only checking or widening a date needs it: a query's start-up does without (with locale)

    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def earliest(self) -> dt.date:
        """The first day this date may stand for."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        """The last day this date may stand for."""
        month = self.month or 12
        if self.day is not None:
            return dt.date(self.year, month, self.day)
        return dt.date(self.year, month, _days_in(self.year, month))

    @property
    def xsd_datatype(self) -> str:
        """The XML Schema datatype that carries exactly this precision."""
        return {"day": "date", "month": "gYearMonth", "year": "gYear"}[self.precision]

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Read YYYY, YYYY-MM or YYYY-MM-DD (YAML may hand over an int or a date)."""
        if isinstance(value, dt.datetime):
            raise DateError(f"expected a date without a time, got {value.isoformat()!r}")
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise DateError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {_describe(value)}")
        text = str(value).strip()
        match = _PATTERN.match(text)
        if not match:
            raise DateError(f"malformed date {clip(text, 40)!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
        year_text, month_text, day_text = match.groups()
        year = int(year_text)
        month = int(month_text) if month_text else None
        day = int(day_text) if day_text else None
        if year == 0:  # Python's dates start at year 1
            raise DateError(f"impossible date {text!r}: there is no year 0")
        if month is not None and not 1 <= month <= 12:
            raise DateError(f"impossible date {text!r}: there is no month {month}")
        if day is not None and month is not None and not 1 <= day <= _days_in(year, month):
            raise DateError(f"impossible date {text!r}: {dt.date(year, month, 1):%B} {year} has no day {day}")
        return cls(year, month, day)


@dataclass(frozen=True)
class Period:
    """The days a date can be: from ``earliest`` to ``latest`` (None: not bounded after)."""

    earliest: dt.date
    latest: dt.date | None = None

    def overlaps(self, first: dt.date | None, last: dt.date | None) -> bool:
        """Whether this period may overlap the days from ``first`` to ``last`` (None: unbounded)."""
        return (first is None or self.latest is None or first <= self.latest) and (last is None or self.earliest <= last)

    def __str__(self) -> str:
        return f"{self.earliest.isoformat()}..{self.latest.isoformat() if self.latest else ''}"


def possible_days(value: PartialDate | None, earliest: PartialDate | None = None,
                  latest: PartialDate | None = None) -> Period | None:
    """The days a date can be: its own span, narrowed by its bounds (P1319, P1326).

    ``value`` None is an unknown date, known only by its bounds; without an
    earliest day there is no first day (None).
    """
    firsts = [d.earliest for d in (value, earliest) if d is not None]
    lasts = [d.latest for d in (value, latest) if d is not None]
    if not firsts:
        return None
    return Period(max(firsts), min(lasts) if lasts else None)


def bounds_problem(value: PartialDate | None, earliest: PartialDate | None, latest: PartialDate | None) -> str | None:
    """Why bounds do not fit their date (they narrow it and never widen it), or None when they do."""
    if earliest is not None and latest is not None and latest.latest < earliest.earliest:
        return f"latest {latest} is before earliest {earliest}"
    if value is None:
        return None
    if earliest is not None and not value.earliest <= earliest.earliest <= value.latest:
        return f"earliest {earliest} is not within {value} (bounds narrow a date, they cannot move it)"
    if latest is not None and not value.earliest <= latest.latest <= value.latest:
        return f"latest {latest} is not within {value} (bounds narrow a date, they cannot move it)"
    return None


def bounds_text(earliest: PartialDate | None, latest: PartialDate | None, value: PartialDate | None = None) -> str:
    """Bounds in EDTF's set notation: ``[2026-05-08..]`` is "on or after", ``[..2024]`` "on or before".

    A bound in the year of the date it narrows (or, for the latest, of the
    earliest) leaves its year out, as ISO 8601 abbreviates the end of an
    interval: ``2026 [05-08..]``, ``[2022-02-24..05-16]``. A bounded date then
    fits a table's date column.
    """
    if earliest is None and latest is None:
        return ""

    def shown(bound: PartialDate | None, year: int | None) -> str:
        text = str(bound or "")
        return text[5:] if bound is not None and bound.month is not None and bound.year == year else text

    first_year = value.year if value is not None else None
    last_year = value.year if value is not None else (earliest.year if earliest is not None else None)
    return f"[{shown(earliest, first_year)}..{shown(latest, last_year)}]"


def parse_iso_day(text: str) -> dt.date:
    """Parse a full YYYY-MM-DD date (for options such as ``--as-of``)."""
    date = PartialDate.parse(text)
    if date.precision != "day":
        raise DateError(f"expected a full date YYYY-MM-DD, got {text!r}")
    return date.earliest


def _describe(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"
