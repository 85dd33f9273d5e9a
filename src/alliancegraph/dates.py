"""Dates with a precision: a year, a month or a day.

News gives dates at different precisions ("in 2004", "last month", "on April
3"). A :class:`PartialDate` keeps the precision the source gives and knows the
first and last day it may stand for, which is what "as of" filtering needs.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)  # "２０２５" is not a year a curator wrote


class DateError(ValueError):
    """A date that is malformed or impossible."""


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
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

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
            shown = text if len(text) <= 40 else text[:37] + "..."
            raise DateError(f"malformed date {shown!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
        year_text, month_text, day_text = match.groups()
        year = int(year_text)
        month = int(month_text) if month_text else None
        day = int(day_text) if day_text else None
        if year == 0:  # Python's dates start at year 1
            raise DateError(f"impossible date {text!r}: there is no year 0")
        if month is not None and not 1 <= month <= 12:
            raise DateError(f"impossible date {text!r}: there is no month {month}")
        if day is not None and month is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise DateError(f"impossible date {text!r}: {calendar.month_name[month]} {year} has no day {day}")
        return cls(year, month, day)


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
