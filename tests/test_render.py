"""Tables that fit a terminal, --columns, and cells that are safe to print in every format."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
import tabulate as tabulate_module
from hypothesis import given, settings
from hypothesis import strategies as st
from wcwidth import wcswidth

from alliancegraph.cli import main
from alliancegraph.engine import LocalEngine
from alliancegraph.queries import load_queries
from alliancegraph.render import KEY_COLUMNS, MAX_LINES, _table_cell, render, safe_text, table

from conftest import cli_runner, run_in_terminal

#: One argument per entity-taking query, asked of the curated knowledge base.
CURATED_ARGUMENTS = {
    "who-aligns-with": {"actor": "serbia"},
    "who-opposes": {"actor": "nato"},
    "members-of": {"group": "nato"},
    "stance-of": {"actor": "bulgaria"},
    "who-stands-where": {"issue": "tribunal-for-putin"},
    "timeline": {"actor": "bulgaria"},
    "path": {"start": "republika-srpska", "end": "hungary"},
    "disputed": {},
    "blocs": {},
    "shifts": {"actor": "bulgaria"},
}
AS_OF = dt.date(2026, 6, 1)

HOSTILE = {
    "escape": "Serbia\x1b[2J\x1b]0;owned\x07",
    "bell": "Hun\x07gary",
    "right-to-left": "\u202eairbeS\u200f",
    "c1": "Cro\x9b31matia",
    "long": "L" * 10_000,
}


def screen_width(line: str) -> int:
    return wcswidth(line)


@pytest.fixture(scope="module")
def curated_engine(curated):
    return LocalEngine(curated)


def test_the_width_test_covers_every_saved_query():
    assert set(CURATED_ARGUMENTS) == set(load_queries())


@pytest.mark.parametrize("name", sorted(CURATED_ARGUMENTS))
def test_every_saved_query_fits_100_columns_with_its_key_columns_whole(curated_engine, name):
    query = load_queries()[name]
    rows = query.run(curated_engine, CURATED_ARGUMENTS[name], AS_OF)
    assert rows, f"{name} has no rows on the curated knowledge base"
    fitted = table(rows, list(query.columns), 100)
    lines = fitted.text.splitlines()
    assert max(screen_width(line) for line in lines) <= 100
    header = lines[0].split()
    for key in KEY_COLUMNS & set(query.columns):
        assert key in header, f"{name}: key column {key} was left out"
        for row in rows:
            value = str(row[key] or "")
            assert len(value) > 24 or value in fitted.text, f"{name}: {key} {value!r} is not whole"
    assert set(fitted.hidden) <= {"label", "source", "sources", "speaker", "left_office"}


def test_a_table_on_a_pipe_is_plain_and_complete(curated_engine):
    query = load_queries()["timeline"]
    rows = query.run(curated_engine, {"actor": "bulgaria"}, AS_OF)
    text = render(rows, "table", query.columns)
    header, rule, *lines = text.splitlines()
    assert header.split() == list(query.columns)
    assert len(lines) == len(rows)  # one line per row, nothing wrapped or cut
    for row, line in zip(rows, lines):
        assert row["assertion"] in line and row["event"] in line
    assert "…" not in text


def test_a_table_on_a_terminal_fits_its_width():
    screen, stderr, status = run_in_terminal(["query", "who-aligns-with", "Serbia", "--as-of", "2026-06-01"], 100)
    assert status == 0, stderr
    lines = screen.splitlines()
    assert max(screen_width(line) for line in lines) <= 100
    assert lines[0].split()[:2] == ["actor", "relation"]
    assert "hungary" in screen and "2025-04-03" in screen
    assert "left out to fit the terminal: label, source" in stderr


def test_columns_select_and_order_in_every_format():
    runner = cli_runner()
    base = ["query", "who-aligns-with", "Serbia", "--as-of", "2026-06-01", "--columns", "date,actor"]
    table_out = runner.invoke(main, [*base, "--format", "table"])
    assert table_out.exit_code == 0, table_out.output
    assert table_out.output.splitlines()[0].split() == ["date", "actor"]
    rows = json.loads(runner.invoke(main, [*base, "--format", "json"]).output)
    assert rows and all(list(row) == ["date", "actor"] for row in rows)
    csv_rows = list(csv.reader(io.StringIO(runner.invoke(main, [*base, "--format", "csv"]).output)))
    assert csv_rows[0] == ["date", "actor"] and len(csv_rows) == len(rows) + 1


def test_an_unknown_column_is_a_usage_error_naming_the_columns():
    result = cli_runner().invoke(main, ["query", "who-aligns-with", "Serbia", "--columns", "actor,quotee"])
    assert result.exit_code == 2
    assert "'quotee'" in result.stderr and "actor, label, relation" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_safe_text_leaves_nothing_a_terminal_acts_on(text):
    shown = safe_text(text)
    assert not any(c in shown for c in "\x1b\x07\x9b\u202e\u200f")
    assert shown.isprintable()


def test_no_character_a_terminal_acts_on_is_printable():
    # A table passes printable cells through unescaped: every character safe_text escapes must be unprintable.
    assert not [hex(c) for c in range(0x110000) if chr(c).isprintable() and safe_text(chr(c)) != chr(c)]


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_a_table_cell_is_its_text_escaped_on_one_line(text):
    assert _table_cell(text) == safe_text(text.replace("\t", " ").replace("\n", " "))


@pytest.fixture
def hostile_kb(tiny):
    for entity, label in zip(tiny.entities, HOSTILE.values()):
        entity["label"] = label
    tiny.add(id="serbia-signs", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03",
             quote="Serbia signed a military cooperation agreement with Hungary on April 3.")
    return tiny.write()


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_hostile_labels_print_safely_in_every_format(hostile_kb, fmt):
    result = cli_runner().invoke(main, ["--kg", str(hostile_kb), "entities", "--format", fmt])
    assert result.exit_code == 0, result.output
    raw = [c for c in result.output if c not in "\n" and not c.isprintable()]
    assert raw == [], f"raw control characters in {fmt} output: {raw[:5]!r}"
    if fmt == "json":
        labels = {row["label"] for row in json.loads(result.output)}
        assert set(HOSTILE.values()) <= labels  # JSON keeps the text exactly


def test_hostile_labels_in_a_fitted_table_stay_in_the_width(hostile_kb):
    import alliancegraph

    kb = alliancegraph.load(hostile_kb)
    rows = [{"id": e.id, "label": e.label, "type": e.type} for e in kb.entities.values()]
    fitted = table(rows, ["id", "label", "type"], 100)
    assert max(screen_width(line) for line in fitted.text.splitlines()) <= 100
    assert "L" * 200 not in fitted.text  # 10,000 characters are cut, not wrapped over the screen
    assert "\\x1b[2J" in fitted.text


def test_wide_characters_take_their_width_on_screen():
    rows = [{"actor": "japan", "label": "日本国" * 20, "date": "2025"}]
    fitted = table(rows, ["actor", "label", "date"], 40)
    assert max(screen_width(line) for line in fitted.text.splitlines()) <= 40


def test_empty_answers_keep_their_header():
    assert render([], "table", ["actor", "date"]).splitlines() == ["actor  date", "-----  ----", "(no rows)"]
    assert render([], "table", ["actor", "date"], width=80).splitlines()[-1] == "(no rows)"


def test_a_wrapped_cell_breaks_after_dashes_and_hyphens_not_inside_words(curated_engine):
    """The curated dispute's claim names "Croatia–Albania–Kosovo" (en dashes), which a 100-column table
    wraps: at a dash, as at a hyphen or a space, never inside a name."""
    query = load_queries()["disputed"]
    rows = query.run(curated_engine, {}, AS_OF)
    fitted = table(rows, list(query.columns), 100)
    words = {word for row in rows for word in re.split(r"[\s\u2013\u2014-]+", str(row["claim"])) if word}
    assert "Albania" in words
    lines = [line for line in fitted.text.splitlines()[2:]]
    pieces = {piece for line in lines for piece in re.split(r"[\s\u2013\u2014-]+", line.rstrip("…")) if piece}
    assert {"Croatia", "Albania", "Kosovo"} <= pieces, fitted.text
    narrow = table([{"claim": "Bulgaria signs Croatia–Albania–Kosovo Joint Declaration"}], ["claim"], 18)
    assert narrow.text.splitlines()[2:] == ["Bulgaria signs", "Croatia–Albania–", "Kosovo Joint", "Declaration"]


def test_a_list_cell_is_cut_to_four_lines_like_any_other():
    aliases = [f"alias number {i} of a much named thing" for i in range(12)]
    rows = [{"id": "thing", "label": "Thing", "aliases": aliases}]
    fitted = table(rows, ["id", "label", "aliases"], 40)
    lines = fitted.text.splitlines()[2:]
    assert len(lines) <= MAX_LINES and lines[-1].endswith("…")
    assert "alias number 0" in fitted.text and "alias number 11" not in fitted.text


#: Cells as a table holds them: any text (wide, combining, zero-width, spaces at either end), none, numbers, lists.
CELL_VALUES = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from("日本国 é\u0301\u200d👍\u3000\u00a0 -True"), max_size=12),
    st.none(),
    st.integers(),
    st.lists(st.text(max_size=8), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=10), min_size=1, max_size=4, unique=True), st.data())
def test_a_table_on_a_pipe_is_laid_out_as_tabulate_lays_it_out(columns, data):
    rows = data.draw(st.lists(st.fixed_dictionaries({c: CELL_VALUES for c in columns}), max_size=5))
    tabulate_module.MIN_PADDING = 0  # as table() lays out every other table: its widths are exact
    expected = tabulate_module.tabulate(
        [[_table_cell(row[c]).replace("\n", "; ") for c in columns] for row in rows],
        headers=[safe_text(c) for c in columns], tablefmt="simple", disable_numparse=True, stralign="left",
    )
    lines = table(rows, columns).text.splitlines()
    assert lines == [line.rstrip() for line in expected.splitlines()] + (["(no rows)"] if not rows else [])
