"""Dates in news prose, resolved against the article's publication date.

"On Tuesday", "last month", "on April 3", "in March", "yesterday", "in 2004":
curation rule 6 resolves each against the publication date and writes it at the
precision it has. :func:`find_dates` does that for a sentence and says which
dates were relative.

Where the publication date is only known to a month or a year (or between its
source's ``earliest`` and ``latest`` bounds), a relative date is resolved for
the first and for the last day the article can be from, and the date is the
range between: written at the precision that holds the range, with
``earliest``/``latest`` bounds (Wikidata's P1319/P1326, as the knowledge base
writes them) where the range is narrower ("on Tuesday" in an April article:
``2025-04``, latest ``2025-04-29``), and a note that says why. A named month
and day ("on April 3", "in March") are the latest ones not after the last day
the article can be from, as a reader dates them.

Written here rather than taken from a date-parsing library: the forms news uses
are few, they must be found inside sentences (not parsed from a whole string),
and the rule that a weekday or a month without a year means the latest one not
after publication is the curators' rule, which general parsers do not apply.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .dates import PartialDate, Period, possible_days

__all__ = ["FoundDate", "find_dates"]

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(_WEEKDAYS)

_PATTERNS = [
    ("day-month-year", rf"\b(?:on )?(?P<month>{_MONTH})\.? (?P<day>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<year>\d{{4}})\b"),
    ("day-month-year", rf"\b(?:on )?(?P<day>\d{{1,2}}) (?P<month>{_MONTH})\.?,? (?P<year>\d{{4}})\b"),
    ("month-year", rf"\b(?:in |since |by )?(?P<month>{_MONTH}) (?P<year>\d{{4}})\b"),
    ("day-month", rf"\b(?:on )?(?P<month>{_MONTH})\.? (?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"),
    ("day-month", rf"\b(?:on )?(?P<day>\d{{1,2}}) (?P<month>{_MONTH})\b"),
    ("weekday", rf"\b(?:on |last |this )?(?P<weekday>{_WEEKDAY})(?:['’]s)?\b"),
    ("month", rf"\b(?:in|since|by|early|late|earlier in|last) (?P<month>{_MONTH})\b"),
    ("named", (r"\b(?P<named>yesterday|today|last month|this month|earlier this month|last week|this week|"
               r"earlier this week|last year|this year|earlier this year)\b")),
    ("year", r"\b(?:in|since|by|until|from) (?P<year>1[89]\d\d|20\d\d)\b"),
]
#: All the forms in one pattern, earliest and then longest first; each form's own groups are read by re-matching it.
_FINDER = re.compile(
    "|".join(f"(?P<p{i}>{re.sub(r'[(][?]P<[a-z]+>', '(?:', pattern)})" for i, (_, pattern) in enumerate(_PATTERNS)),
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    """A date written in a sentence: where, as written, what it resolves to, and how."""

    start: int
    end: int
    written: str
    date: PartialDate | None  # None when it cannot be resolved (no publication date)
    relative: bool  # resolved against the publication date
    note: str = ""  # why the resolution is coarser than the words, when it is
    earliest: PartialDate | None = None  # the first day the date can be, when narrower than ``date``
    latest: PartialDate | None = None  # the last day it can be, when narrower than ``date``

    @property
    def days(self) -> Period | None:
        """The days the words can mean: the date narrowed by its bounds."""
        return possible_days(self.date, self.earliest, self.latest)


def find_dates(sentence: str, published: PartialDate | None, publication: Period | None = None) -> list[FoundDate]:
    """Every date expression in ``sentence``, in order, resolved against the publication date
    ``published`` (the days it can be: ``publication``, by default all the days ``published`` spans)."""
    days = publication or (possible_days(published) if published is not None else None)
    found = []
    for match in _FINDER.finditer(sentence):
        index = next(i for i in range(len(_PATTERNS)) if match.group(f"p{i}") is not None)
        kind, groups = _PATTERNS[index][0], _own_groups(match, index)
        where = (match.start(), match.end(), match.group())
        if kind in ("day-month-year", "month-year", "year"):
            found.append(FoundDate(*where, _written(groups), relative=False))
        elif days is None:
            found.append(FoundDate(*where, None, relative=True, note="not resolved: the publication date is not known"))
        else:
            found.append(FoundDate(*where, *_resolved(kind, groups, days)))
    return found


def _own_groups(match: re.Match, index: int) -> dict[str, str]:
    """The named groups of the alternative that matched (each alternative names them alike)."""
    span = match.span(f"p{index}")
    pattern = re.compile(_PATTERNS[index][1], re.IGNORECASE)
    inner = pattern.fullmatch(match.string, *span)
    return {k: v for k, v in (inner.groupdict() if inner else {}).items() if v}


def _written(groups: dict[str, str]) -> PartialDate | None:
    year = int(groups["year"])
    month = _MONTHS[groups["month"].lower()] if "month" in groups else None
    day = int(groups["day"]) if "day" in groups else None
    return _safe(year, month, day)


def _resolved(kind: str, groups: dict[str, str], days: Period) -> tuple:
    """``(date, relative, note, earliest, latest)`` for relative words, the article being from ``days``."""
    last_day = days.latest or dt.date(days.earliest.year, 12, 31)
    if kind == "day-month":  # the latest such day not after the last day the article can be from
        month, day = _MONTHS[groups["month"].lower()], int(groups["day"])
        year = last_day.year if (month, day) <= (last_day.month, last_day.day) else last_day.year - 1
        return _safe(year, month, day), True, "", None, None
    if kind == "month":
        month = _MONTHS[groups["month"].lower()]
        return PartialDate(last_day.year if month <= last_day.month else last_day.year - 1, month), True, "", None, None
    unit = _weekday_unit(groups["weekday"]) if kind == "weekday" else _NAMED[groups["named"].lower()]
    first, _ = unit(days.earliest)
    _, last = unit(last_day)
    words = f"a {groups['weekday'].capitalize()}" if kind == "weekday" else f"'{groups['named']}'"
    return _as_partial(first, last, words, one_day=days.earliest == last_day)


def _weekday_unit(name: str):
    wanted = _WEEKDAYS[name.lower()]

    def unit(day: dt.date) -> tuple[dt.date, dt.date]:
        found = day - dt.timedelta(days=(day.weekday() - wanted) % 7)  # the last such weekday on or before the day
        return found, found

    return unit


def _month_of(day: dt.date, back: int = 0) -> tuple[dt.date, dt.date]:
    year, month = divmod(day.year * 12 + day.month - 1 - back, 12)
    month += 1
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _week_of(day: dt.date, back: int = 0) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday() + 7 * back)
    return monday, monday + dt.timedelta(days=6)


def _day(back: int):
    return lambda day: (day - dt.timedelta(days=back),) * 2


_NAMED = {
    "today": _day(0),
    "yesterday": _day(1),
    "this week": _week_of,
    "earlier this week": _week_of,
    "last week": lambda day: _week_of(day, 1),
    "this month": _month_of,
    "earlier this month": _month_of,
    "last month": lambda day: _month_of(day, 1),
    "this year": lambda day: (dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)),
    "earlier this year": lambda day: (dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)),
    "last year": lambda day: (dt.date(day.year - 1, 1, 1), dt.date(day.year - 1, 12, 31)),
}


def _as_partial(first: dt.date, last: dt.date, words: str, one_day: bool) -> tuple:
    """The days from ``first`` to ``last`` as a date at the precision that holds them, with bounds
    where they are narrower: ``(date, relative, note, earliest, latest)``. ``words`` says what was
    written, for the note; ``one_day``: the publication day is known."""
    if first == last:
        return _from_day(first), True, "", None, None
    note = f"{words}: {first.isoformat()} to {last.isoformat()}" if one_day else \
        f"the publication day is not known: {words} between {first.isoformat()} and {last.isoformat()}"
    if first.year != last.year:  # no one date holds both years: the later one, and the note says how far back
        date = PartialDate(last.year)
        return date, True, f"{note}; the days in {first.year} are left out of the date", None, _bound(last, date.latest)
    date = PartialDate(first.year, first.month) if first.month == last.month else PartialDate(first.year)
    earliest, latest = _bound(first, date.earliest), _bound(last, date.latest)
    if earliest is None and latest is None:
        note = ""  # "last month", "this year": exactly the month or year they say
    return date, True, note, earliest, latest


def _bound(day: dt.date, edge: dt.date) -> PartialDate | None:
    return None if day == edge else _from_day(day)


def _from_day(day: dt.date) -> PartialDate:
    return PartialDate(day.year, day.month, day.day)


def _safe(year: int, month: int | None, day: int | None) -> PartialDate | None:
    try:
        return PartialDate.parse(str(PartialDate(year, month, day)))
    except ValueError:  # "February 30": not a date
        return None
