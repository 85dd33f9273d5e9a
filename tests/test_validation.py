"""Every validation error a curator can make is reported at its file, line and column."""

from __future__ import annotations

import re

import pytest

import alliancegraph
from alliancegraph.errors import KnowledgeBaseError
from alliancegraph.loading import check

HEADER = """
sources:
  - id: art
    title: A test article
    kind: news
    published: 2025-04
    file: article.txt
entities:
  - id: serbia
    label: Serbia
    type: state
  - id: hungary
    label: Hungary
    type: state
  - id: pact
    label: A pact
    type: agreement
"""


def problems_of(tiny, body: str, *, header: str = HEADER) -> list[str]:
    tiny.write_raw("kb.yaml", header + body)
    _, problems = check(tiny.root)
    return [f"{p.file.name}:{p.line}:{p.column}: {p.message}" for p in problems]


def test_clean_knowledge_base_has_no_problems(tiny):
    body = """
assertions:
  - id: serbia-signs-pact
    subject: serbia
    relation: signs
    object: pact
    date: 2025-04-03
    source: art
    quote: Serbia signed a military cooperation agreement with Hungary on April 3.
"""
    assert problems_of(tiny, body) == []


def test_yaml_syntax_error_is_located(tiny):
    body = """
assertions:
  - id: broken
    subject: [serbia
    relation: signs
"""
    (problem,) = problems_of(tiny, body)
    # Located inside the broken record; the exact column is the YAML library's to choose.
    line = int(re.match(r"kb\.yaml:(\d+):\d+: YAML syntax error: ", problem).group(1))
    assert 19 <= line <= 22, problem


@pytest.mark.parametrize("character", ["\x00", "\x07", "\ufffe"])
def test_a_character_yaml_refuses_is_located_on_one_line(tiny, character):
    body = f"""
assertions:
  - id: a1
    quote: "Serbia é{character} signed"
"""
    (problem,) = problems_of(tiny, body)
    assert problem == f"kb.yaml:20:21: YAML does not allow the character U+{ord(character):04X}: remove it or escape it"


def test_unknown_key_with_did_you_mean(tiny):
    body = """
assertions:
  - id: a1
    subject: serbia
    relation: signs
    object: pact
    date: 2025-04-03
    source: art
    quote: Serbia signed a military cooperation agreement
    speeker: serbia
"""
    assert problems_of(tiny, body) == [
        "kb.yaml:26:5: assertion a1: unknown key 'speeker' (did you mean 'speaker'?)"
    ]


def test_missing_required_key_points_at_the_record(tiny):
    body = """
assertions:
  - id: a1
    subject: serbia
    object: pact
    date: 2025-04-03
    source: art
    quote: Serbia signed a military cooperation agreement
"""
    assert problems_of(tiny, body) == ["kb.yaml:19:5: assertion a1: missing required key 'relation'"]


def test_unknown_entity_suggests_the_closest_id(tiny):
    body = """
assertions:
  - id: a1
    subject: serbiaa
    relation: signs
    object: pact
    date: 2025-04-03
    source: art
    quote: Serbia signed a military cooperation agreement
"""
    assert problems_of(tiny, body) == [
        "kb.yaml:20:14: assertion a1: unknown entity 'serbiaa' (did you mean 'serbia'?)"
    ]


def test_unknown_relation_and_source(tiny):
    body = """
assertions:
  - id: a1
    subject: serbia
    relation: sings
    object: pact
    date: 2025-04-03
    source: artt
    quote: Serbia signed a military cooperation agreement
"""
    assert problems_of(tiny, body) == [
        "kb.yaml:21:15: assertion a1: unknown relation 'sings' (did you mean 'signs'?)",
        "kb.yaml:24:13: assertion a1: unknown source 'artt' (did you mean 'art'?)",
    ]


@pytest.mark.parametrize(
    "date, message",
    [
        ("2025-02-30", "impossible date '2025-02-30': February 2025 has no day 30"),
        ("2025-13", "impossible date '2025-13': there is no month 13"),
        ("April 2025", "malformed date 'April 2025': expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2025-4-3", "malformed date '2025-4-3': expected YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_malformed_and_impossible_dates(tiny, date, message):
    body = f"""
assertions:
  - id: a1
    subject: serbia
    relation: signs
    object: pact
    date: {date}
    source: art
    quote: Serbia signed a military cooperation agreement
"""
    assert problems_of(tiny, body) == [f"kb.yaml:23:11: assertion a1: date: {message}"]


def test_end_before_start(tiny):
    body = """
assertions:
  - id: a1
    subject: serbia
    relation: member-of
    object: pact
    start: 2025-04
    end: 2024
    source: art
    quote: Serbia signed a military cooperation agreement
"""
    assert problems_of(tiny, body) == ["kb.yaml:24:10: assertion a1: end 2024 is before start 2025-04"]


def test_point_date_and_interval_exclude_each_other(tiny):
    body = """
assertions:
  - id: a1
    subject: serbia
    relation: member-of
    object: pact
    date: 2025
    start: 2025
    source: art
    quote: Serbia signed a military cooperation agreement
"""
    (problem,) = problems_of(tiny, body)
    assert "give either a point 'date' or a 'start'/'end' interval, not both" in problem


def test_duplicate_ids_name_the_first_definition(tiny):
    body = """
assertions:
  - id: a1
    subject: serbia
    relation: signs
    object: pact
    date: 2025-04-03
    source: art
    quote: Serbia signed a military cooperation agreement
  - id: a1
    subject: hungary
    relation: signs
    object: pact
    date: 2025-04-03
    source: art
    quote: with Hungary on April 3
"""
    (problem,) = problems_of(tiny, body)
    assert problem.startswith("kb.yaml:26:9: assertion a1: duplicate id, first defined at ")
    assert problem.endswith("kb.yaml:19")


def test_quote_missing_from_source(tiny):
    body = """
assertions:
  - id: a1
    subject: serbia
    relation: signs
    object: pact
    date: 2025-04-03
    source: art
    quote: Serbia signed a treaty of eternal friendship
"""
    assert problems_of(tiny, body) == [
        "kb.yaml:25:12: assertion a1: quote 'Serbia signed a treaty of eternal friendship' "
        "does not occur in source 'art'"
    ]


def test_quote_matches_across_typographic_differences(tiny):
    body = """
assertions:
  - id: a1
    subject: serbia
    relation: criticizes
    object: pact
    date: 2025-04
    source: art
    quote: 'called the declaration "a provocative move"'
"""
    assert problems_of(tiny, body) == []


def test_relation_type_constraints(tiny):
    body = """
assertions:
  - id: a1
    subject: serbia
    relation: signs
    object: hungary
    date: 2025-04-03
    source: art
    quote: Serbia signed a military cooperation agreement
"""
    assert problems_of(tiny, body) == [
        "kb.yaml:22:13: assertion a1: the object of relation 'signs' must be of type agreement; 'hungary' is of type state"
    ]


def test_a_claim_needs_a_speaker(tiny):
    body = """
assertions:
  - id: a1
    subject: serbia
    relation: signs
    object: pact
    modality: claim
    date: 2025-04-03
    source: art
    quote: Serbia signed a military cooperation agreement
"""
    assert problems_of(tiny, body) == ["kb.yaml:19:5: assertion a1: a claim needs a 'speaker' (who makes the claim)"]


def test_wrong_value_types(tiny):
    body = """
assertions:
  - id: a1
    subject: serbia
    relation: signs
    object: pact
    date: 2025-04-03
    source: art
    quote: [Serbia, signed]
"""
    assert problems_of(tiny, body) == ["kb.yaml:25:12: assertion a1: quote must be text, not a list"]


def test_unknown_section_and_non_mapping_records(tiny):
    body = """
assertion:
  - id: a1
"""
    (problem,) = problems_of(tiny, body)
    assert problem == (
        "kb.yaml:18:1: unknown section 'assertion' (did you mean 'assertions'?); "
        "expected sources, entities, assertions"
    )


def test_office_problems_name_the_person(tiny):
    header = HEADER + """
  - id: bratislav-gasic
    label: Bratislav Gašić
    type: person
    offices:
      - role: Minister of Defence
        of: serbiaa
        start: 2024-05-02
        source: art
        quote: Serbian Defence Minister Bratislav Gašić
"""
    problems = problems_of(tiny, "", header=header)
    assert problems == [
        "kb.yaml:23:13: entity bratislav-gasic: office Minister of Defence: unknown entity 'serbiaa' (did you mean 'serbia'?)"
    ]


def test_every_problem_is_reported_in_one_run(tiny):
    body = """
assertions:
  - id: a1
    subject: nowhere
    relation: signs
    object: pact
    date: 2025-02-30
    source: art
    quote: Serbia signed a military cooperation agreement
  - id: Bad_Id
    subject: serbia
    relation: sings
    object: pact
    date: 2025
    source: art
    quote: not in the article
"""
    problems = problems_of(tiny, body)
    assert len(problems) == 5
    assert any("unknown entity 'nowhere'" in p for p in problems)
    assert any("must be lowercase kebab-case" in p for p in problems)


def test_load_raises_with_every_problem(tiny):
    tiny.write_raw("kb.yaml", HEADER + "assertions:\n  - id: a1\n")
    with pytest.raises(KnowledgeBaseError) as raised:
        alliancegraph.load(tiny.root)
    assert len(raised.value.problems) >= 5  # subject, relation, object, source, date
    assert all(p.file.name == "kb.yaml" for p in raised.value.problems)


def test_not_utf8_and_empty_folder(tmp_path):
    (tmp_path / "kb.yaml").write_bytes(b"entities:\n  - id: caf\xe9\n")
    _, problems = check(tmp_path)
    assert [str(p).split(": ", 1)[1] for p in problems] == ["file is not valid UTF-8 text"]
    assert problems[0].line == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    _, problems = check(empty)
    assert "no YAML files" in problems[0].message


def test_source_file_must_exist(tiny):
    header = HEADER.replace("file: article.txt", "file: missing.txt")
    problems = problems_of(tiny, "", header=header)
    assert problems == ["kb.yaml:6:11: source art: source file 'missing.txt' does not exist"]


def test_a_source_file_that_is_a_folder_is_called_one(tiny):
    (tiny.root / "articles").mkdir()
    header = HEADER.replace("file: article.txt", "file: articles")
    problems = problems_of(tiny, "", header=header)
    assert problems == ["kb.yaml:6:11: source art: source file 'articles' is a folder, not a file"]


def test_duplicate_wikidata_items(tiny):
    header = HEADER.replace("    label: Serbia\n", "    label: Serbia\n    wikidata: Q403\n").replace(
        "    label: Hungary\n", "    label: Hungary\n    wikidata: Q403\n"
    )
    problems = problems_of(tiny, "", header=header)
    assert problems == ["kb.yaml:14:15: entity hungary: wikidata Q403 is already used by entity 'serbia'"]


# -- date bounds (Wikidata's earliest and latest date, P1319 and P1326) -------------------------------


BOUNDED_HEADER = HEADER.replace("    published: 2025-04\n", "    published: 2025-04\n    earliest: 2025-04-10\n")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("date: 2025\n    earliest: 2024-12-01", "kb.yaml:24:15: assertion a1: earliest 2024-12-01 is not within 2025"),
        ("date: 2025-04\n    latest: 2025-05-02", "kb.yaml:24:13: assertion a1: latest 2025-05-02 is not within 2025-04"),
        ("date: 2025\n    earliest: 2025-06\n    latest: 2025-05",
         "kb.yaml:24:15: assertion a1: latest 2025-05 is before earliest 2025-06"),
        ("start: unknown\n    latest: 2024", "kb.yaml:23:12: assertion a1: 'start: unknown' needs 'earliest'"),
        ("end: 2025\n    earliest: 2024", "kb.yaml:24:15: assertion a1: earliest and latest bound the 'date' or the 'start'"),
        ("start: someday", "kb.yaml:23:12: assertion a1: start: malformed date 'someday'"),
    ],
)
def test_bounds_narrow_a_date_and_an_unknown_start_needs_its_earliest_day(tiny, fields, message):
    body = f"""
assertions:
  - id: a1
    subject: serbia
    relation: member-of
    object: pact
    {fields}
    source: art
    quote: Serbia signed a military cooperation agreement
"""
    (problem,) = problems_of(tiny, body)
    assert problem.startswith(message)


def test_a_source_bound_outside_its_publication_date_is_located(tiny):
    header = HEADER.replace("    published: 2025-04\n", "    published: 2025-04\n    earliest: 2025-03-30\n")
    (problem,) = problems_of(tiny, "", header=header)
    assert problem == ("kb.yaml:6:15: source art: earliest 2025-03-30 is not within 2025-04 "
                       "(bounds narrow a date, they cannot move it)")


def test_an_assertion_dated_by_publication_must_fit_the_sources_bounds(tiny):
    body = """
assertions:
  - id: a1
    subject: serbia
    relation: signs
    object: pact
    date: 2025-04-02
    dated_by: publication
    source: art
    quote: Serbia signed a military cooperation agreement
"""
    (problem,) = problems_of(tiny, body, header=BOUNDED_HEADER)
    assert problem.startswith("kb.yaml:24:11: assertion a1: dated by the publication of source 'art', published "
                              "2025-04 [2025-04-10..], but earliest 2025-04-10 is not within 2025-04-02")
