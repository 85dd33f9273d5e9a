"""Dates in news prose, resolved against the article's publication date.

"On Tuesday", "last month", "on April 3", "in March", "yesterday", "in 2004":
curation rule 6 resolves each against the publication date and writes it at the
precision it has. :func:`find_dates` does that for a sentence and says which
dates were relative. A weekday needs the publication day: with only the
publication month known, "on Tuesday" resolves to that month (the precision the
article allows), and the resolution says so.

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

from .dates import PartialDate

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
               r"last year|this year|earlier this year)\b")),
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


def find_dates(sentence: str, published: PartialDate | None) -> list[FoundDate]:
    """Every date expression in ``sentence``, resolved against ``published``, in order."""
    found = []
    for match in _FINDER.finditer(sentence):
        index = next(i for i in range(len(_PATTERNS)) if match.group(f"p{i}") is not None)
        resolved, relative, note = _resolve(_PATTERNS[index][0], _own_groups(match, index), published)
        found.append(FoundDate(match.start(), match.end(), match.group(), resolved, relative, note))
    return found


def _own_groups(match: re.Match, index: int) -> dict[str, str]:
    """The named groups of the alternative that matched (each alternative names them alike)."""
    span = match.span(f"p{index}")
    pattern = re.compile(_PATTERNS[index][1], re.IGNORECASE)
    inner = pattern.fullmatch(match.string, *span)
    return {k: v for k, v in (inner.groupdict() if inner else {}).items() if v}


def _resolve(kind: str, groups: dict[str, str], published: PartialDate | None) -> tuple[PartialDate | None, bool, str]:
    if kind in ("day-month-year", "month-year", "year"):
        year = int(groups["year"])
        month = _MONTHS[groups["month"].lower()] if "month" in groups else None
        day = int(groups["day"]) if "day" in groups else None
        return _safe(year, month, day), False, ""
    if published is None:
        return None, True, "not resolved: the publication date is not known"
    if kind == "day-month":
        month, day = _MONTHS[groups["month"].lower()], int(groups["day"])
        year = published.year if (month, day) <= (published.month or 12, published.day or 31) else published.year - 1
        return _safe(year, month, day), True, ""
    if kind == "month":
        month = _MONTHS[groups["month"].lower()]
        year = published.year if month <= (published.month or 12) else published.year - 1
        return PartialDate(year, month), True, ""
    if kind == "weekday":
        if published.day is None:
            if published.month is None:
                return PartialDate(published.year), True, "the publication day is not known"
            return PartialDate(published.year, published.month), True, "the publication day is not known"
        published_day = published.earliest
        back = (published_day.weekday() - _WEEKDAYS[groups["weekday"].lower()]) % 7
        return _from_day(published_day - dt.timedelta(days=back)), True, ""
    return _named(groups["named"].lower(), published)


def _named(named: str, published: PartialDate) -> tuple[PartialDate | None, bool, str]:
    if named in ("last year",):
        return PartialDate(published.year - 1), True, ""
    if named in ("this year", "earlier this year"):
        return PartialDate(published.year), True, ""
    if published.month is None:
        return PartialDate(published.year), True, "the publication month is not known"
    if named in ("this month", "earlier this month"):
        return PartialDate(published.year, published.month), True, ""
    if named == "last month":
        year, month = (published.year, published.month - 1) if published.month > 1 else (published.year - 1, 12)
        return PartialDate(year, month), True, ""
    if published.day is None:
        return PartialDate(published.year, published.month), True, "the publication day is not known"
    day = published.earliest
    offset = {"today": 0, "yesterday": 1, "this week": 0, "last week": 7}[named]
    moment = day - dt.timedelta(days=offset)
    if named.endswith("week"):  # a week is not a day: the month it falls in
        return PartialDate(moment.year, moment.month), True, ""
    return _from_day(moment), True, ""


def _from_day(day: dt.date) -> PartialDate:
    return PartialDate(day.year, day.month, day.day)


def _safe(year: int, month: int | None, day: int | None) -> PartialDate | None:
    try:
        return PartialDate.parse(str(PartialDate(year, month, day)))
    except ValueError:  # "February 30": not a date
        return None
