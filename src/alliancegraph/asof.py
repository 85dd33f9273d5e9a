"""As of a date: the one rule for what holds on a day, and the day a command answers for.

**What holds on a day.** An assertion holds on a day when it has *begun* by
then and has *not ended* before it:

* it has begun when the earliest day it can have begun — its date or start,
  narrowed by its bounds (Wikidata's P1319, P1326), see
  :attr:`alliancegraph.model.Assertion.valid_from` — is on or before the day
  (``2025-04`` counts from 2025-04-01, ``2026 [05-08..]`` from 2026-05-08); an
  assertion with no first day (only an end) never has;
* it has ended when the last day an interval can last — the latest day its
  end can be, :attr:`~alliancegraph.model.Assertion.valid_until` — is before
  the day. A point in time and an open interval never end.

Two answers read the day as "on record by then", the first half alone: a
timeline keeps what has ended (it is history), and a dispute stands once
both its claim and its denial are made.

The rule is written here once and used by the model
(:meth:`~alliancegraph.model.Assertion.holds_on`), the blocs and the Python
queries (whose edges carry the two days as ISO text, which sorts as dates
do), the selection behind exports and pictures, and — as the FILTER lines
:func:`sparql_begun`, :func:`sparql_holds` and :func:`sparql_ended` write —
every saved SPARQL query (a test checks each ``.rq`` file's lines against
them, and the SPARQL against the Python).

**The day a command answers for.** Without ``--as-of``, a command that
answers — a query, ``show``, ``diff``, a picture — answers as of today
(:func:`answer_day`). An export (and ``build``) writes every assertion with
its own dates, for Gephi's timeline and for the triple store, unless
``--as-of`` cuts it to one day.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

__all__ = [
    "ANSWER_HELP",
    "AS_OF_VARIABLE",
    "EXPORT_HELP",
    "answer_day",
    "begun",
    "ended",
    "holds",
    "sparql_begun",
    "sparql_ended",
    "sparql_holds",
]

#: A day as a date, or as ISO text (YYYY-MM-DD), which compares the same way.
Day = TypeVar("Day", dt.date, str)

#: The SPARQL variable the as-of day is bound to (grlc's name for an ``xsd:date`` parameter).
AS_OF_VARIABLE = "_asof_xsd_date"

#: What ``--as-of`` means where a command answers as of a day.
ANSWER_HELP = ("Answer as of this day: point-in-time assertions from the first day their date can be, "
               "intervals while they last (default: today).")
#: What ``--as-of`` means for an export.
EXPORT_HELP = "Only assertions that hold on this day (default: every date, each assertion with its own)."


def begun(first: Day | None, day: Day) -> bool:
    """Whether something whose first day is ``first`` has begun by ``day`` (never, without a first day)."""
    return first is not None and first <= day


def ended(last: Day | None, day: Day) -> bool:
    """Whether something whose last day is ``last`` has ended before ``day`` (never, without a last day)."""
    return last is not None and last < day


def holds(first: Day | None, last: Day | None, day: Day) -> bool:
    """Whether something from ``first`` to ``last`` holds on ``day``: begun by then and not ended before."""
    return begun(first, day) and not ended(last, day)


def answer_day(as_of: dt.date | None) -> dt.date:
    """The day a command answers for: the one asked for, else today."""
    return as_of if as_of is not None else dt.date.today()


# -- the rule in SPARQL ------------------------------------------------------------------------
#
# The compiled graph carries each assertion's two days as ag:validFrom and ag:validUntil
# (xsd:date), and each office's as ag:tookOffice and ag:leftOffice. A saved query writes the
# rule with exactly these lines, its own variable names filled in.


def sparql_begun(first: str, day: str = AS_OF_VARIABLE) -> str:
    """The FILTER that keeps what has begun by the day: ``?first`` bound to its first day."""
    return f"FILTER (?{first} <= ?{day})"


def sparql_ended(last: str, day: str = AS_OF_VARIABLE) -> str:
    """The condition that something has ended before the day: ``?last`` bound to its last day."""
    return f"?{last} < ?{day}"


def sparql_holds(record: str, first: str, last: str, day: str = AS_OF_VARIABLE) -> str:
    """The FILTERs that keep ``?record`` (its first day bound to ``?first``) when it holds on the
    day; ``?last`` names its last day inside the test that it has not ended."""
    not_ended = f"FILTER NOT EXISTS {{ ?{record} ag:validUntil ?{last} FILTER ({sparql_ended(last, day)}) }}"
    return f"{sparql_begun(first, day)}\n{not_ended}"
