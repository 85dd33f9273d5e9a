"""One date rule: what holds on a day, written once (alliancegraph.asof) and used by the model,
the blocs, the saved SPARQL queries and every command's --as-of."""

from __future__ import annotations

import datetime as dt
import re
from itertools import product

import click
import pyoxigraph
import pytest

from alliancegraph.asof import (
    ANSWER_HELP,
    AS_OF_VARIABLE,
    EXPORT_HELP,
    answer_day,
    begun,
    ended,
    holds,
    sparql_begun,
    sparql_ended,
    sparql_holds,
)
from alliancegraph.blocs import holds_on
from alliancegraph.cli import AsOf, main
from alliancegraph.queries import load_queries
from alliancegraph.vocabulary import PREFIXES

from conftest import REPO

DAYS = [dt.date(2025, 3, 31), dt.date(2025, 4, 1), dt.date(2025, 4, 15), dt.date(2025, 4, 30), dt.date(2025, 5, 1)]
#: First and last days of records: none, or one of the days above.
SPANS = [(first, last) for first, last in product([None, *DAYS], [None, *DAYS]) if not (first and last and last < first)]


def test_a_point_in_time_holds_from_its_first_day_and_an_interval_while_it_lasts():
    april = (dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    assert [holds(*april, day) for day in DAYS] == [False, True, True, True, False]
    assert [holds(april[0], None, day) for day in DAYS] == [False, True, True, True, True]
    assert not any(holds(None, april[1], day) for day in DAYS)  # only an end: no first day, never holds


def test_the_rule_reads_iso_text_as_it_reads_dates():
    for (first, last), day in product(SPANS, DAYS):
        text = (first and first.isoformat(), last and last.isoformat())
        assert holds(*text, day.isoformat()) == holds(first, last, day)
        assert holds_on(text[0], text[1], day.isoformat()) == holds(first, last, day)


def test_holding_is_having_begun_and_not_having_ended():
    for (first, last), day in product(SPANS, DAYS):
        assert holds(first, last, day) == (begun(first, day) and not ended(last, day))


def test_a_command_answers_as_of_today_unless_told():
    assert answer_day(None) == dt.date.today()
    assert answer_day(dt.date(2004, 3, 29)) == dt.date(2004, 3, 29)


@pytest.fixture(scope="module")
def spans_store():
    """One record per span, its days as the compiled graph carries them (ag:validFrom, ag:validUntil)."""
    store = pyoxigraph.Store()
    ag, xsd_date = PREFIXES["ag"], pyoxigraph.NamedNode(PREFIXES["xsd"] + "date")
    for number, (first, last) in enumerate(SPANS):
        record = pyoxigraph.NamedNode(f"https://example.org/record/{number}")
        store.add(pyoxigraph.Quad(record, pyoxigraph.NamedNode(ag + "span"), pyoxigraph.Literal(str(number))))
        for name, day in (("validFrom", first), ("validUntil", last)):
            if day is not None:
                store.add(pyoxigraph.Quad(record, pyoxigraph.NamedNode(ag + name), pyoxigraph.Literal(day.isoformat(),
                                                                                                     datatype=xsd_date)))
    return store


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_sparql_rule_keeps_what_the_python_rule_keeps(spans_store, day):
    query = f"""PREFIX ag: <{PREFIXES["ag"]}>
SELECT ?number WHERE {{
  ?record ag:span ?number ; ag:validFrom ?from .
  {sparql_holds("record", "from", "until")}
}}""".replace(f"?{AS_OF_VARIABLE}", f'"{day.isoformat()}"^^<{PREFIXES["xsd"]}date>')
    kept = {int(row["number"].value) for row in spans_store.query(query)}
    assert kept == {number for number, (first, last) in enumerate(SPANS) if holds(first, last, day)}


# -- the saved queries write the rule as it is generated ----------------------------------------------

BEGUN = re.compile(rf"FILTER \(\?(\w+) <= \?{AS_OF_VARIABLE}\)")
NOT_ENDED = re.compile(r"FILTER NOT EXISTS { \?(\w+) ag:validUntil \?(\w+) FILTER \(.*\) }")
ENDED_OFFICE = re.compile(r"OPTIONAL { \?(\w+) ag:leftOffice \?(\w+) FILTER \((.*)\) }")
#: Where a query's first and last days come from: an assertion's, or an office's.
FIRST_DAYS = ("ag:validFrom", "ag:tookOffice")


def uses_of_the_date(text: str) -> list[tuple[int, str]]:
    """Each line of a query that reads the as-of date, after the decorators (which describe it)."""
    lines = [line.strip() for line in text.splitlines()]
    return [(number, line) for number, line in enumerate(lines) if AS_OF_VARIABLE in line and not line.startswith("#")]


def first_day_of(text: str, variable: str) -> bool:
    return any(re.search(rf"{day} \?{variable}\b", text) for day in FIRST_DAYS)


@pytest.mark.parametrize("path", sorted((REPO / "queries").glob("*.rq")), ids=lambda p: p.name)
def test_every_saved_query_writes_the_date_rule_as_generated(path):
    text = path.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines()]
    checked: set[int] = set()
    for number, line in uses_of_the_date(text):
        if number in checked:
            continue
        if begun_match := BEGUN.fullmatch(line):
            first = begun_match[1]
            assert first_day_of(text, first), f"{path.name}:{number + 1}: ?{first} is no first day"
            if (ended_match := NOT_ENDED.fullmatch(lines[number + 1])) is not None:
                record, last = ended_match.groups()
                assert "\n".join(lines[number : number + 2]) == sparql_holds(record, first, last), f"{path.name}:{number + 1}"
                assert re.search(rf"\?{record}\b[^.]*ag:validFrom \?{first}\b", text, re.S), f"{path.name}: ?{first} of ?{record}"
                checked.add(number + 1)
            else:
                assert line == sparql_begun(first)
        elif office_match := ENDED_OFFICE.fullmatch(line):
            assert office_match[3] == sparql_ended(office_match[2]), f"{path.name}:{number + 1}"
        else:
            pytest.fail(f"{path.name}:{number + 1}: the as-of date read otherwise than by the rule: {line}")


def test_the_queries_that_hold_on_the_day_say_so_and_the_others_read_it_as_on_record():
    holding = {name for name, query in load_queries().items()
               if query.kind == "SPARQL" and NOT_ENDED.search(query.text.replace("\n", " "))}
    assert holding == {"members-of", "stance-of", "who-aligns-with", "who-opposes", "who-stands-where"}
    # a timeline is history, a dispute stands once both sides are on record
    for name in ("timeline", "disputed"):
        assert "ag:validUntil" not in load_queries()[name].text


# -- --as-of on the command line -----------------------------------------------------------------


def as_of_options(command: click.Command, path: tuple[str, ...] = ()):
    context = click.Context(command)
    if isinstance(command, click.Group):
        for name in command.list_commands(context):
            yield from as_of_options(command.get_command(context, name), (*path, name))
    for parameter in command.params:
        if parameter.name == "as_of":
            yield " ".join(path), parameter


def test_every_as_of_is_one_type_and_says_its_default():
    found = dict(as_of_options(main))
    assert {"export", "draw", "show", "diff", "query who-aligns-with", "query blocs"} <= set(found)
    for command, option in found.items():
        assert isinstance(option.type, AsOf), command
        expected = EXPORT_HELP if command == "export" else ANSWER_HELP
        assert option.help == expected or option.help.endswith("(default: today)."), command
