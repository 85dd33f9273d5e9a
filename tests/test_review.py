"""Reviewing drafts: check refuses them and lists them; accept and drop edit only their own lines."""

from __future__ import annotations

import textwrap

import pytest

from alliancegraph.cli import main
from alliancegraph.errors import KnowledgeBaseError, Problem
from alliancegraph.loading import check, load
from alliancegraph.review import accept, drop, marked_records

from conftest import cli_runner

DRAFTS = """\
# Drafts, as `alliancegraph add` writes them.
entities:
  - id: ivan-anusic
    label: Ivan Anušić
    type: person
    review: new person
assertions:
  # draft: cue 'signed'
  - id: serbia-signs-srb-hun
    subject: serbia
    relation: signs
    object: srb-hun
    date: 2025-04-03
    source: art
    quote: Serbia signed a military cooperation agreement with Hungary on April 3.
    review: needed
  # a curator's own comment
  # draft: cue 'holds office'
  - id: anusic-holds-office
    subject: ivan-anusic
    relation: holds-office
    object: croatia
    role: Minister of Defence
    date: 2025-04
    note: >-
      A folded note
      over two lines.
    review: needed

  - id: curated-already
    subject: croatia
    relation: signs
    object: declaration
    date: 2025-03
    source: art
    quote: Croatia, Albania and Kosovo signed a defence declaration in March.
"""


@pytest.fixture
def kb(tiny):
    root = tiny.write()
    (root / "drafts.yaml").write_text(DRAFTS, encoding="utf-8")
    return root


def test_check_refuses_drafts_and_counts_them_apart_from_other_problems(kb):
    kb_, problems = check(kb)
    assert kb_ is None
    drafts = [p for p in problems if p.is_draft]
    assert [str(p).split(": ", 1)[1] for p in drafts] == [
        "entity ivan-anusic: draft left to review (new person)",
        "assertion serbia-signs-srb-hun: draft left to review",
        "assertion anusic-holds-office: draft left to review",
    ]
    others = [p for p in problems if not p.is_draft]
    assert [p.message for p in others] == ["assertion anusic-holds-office: missing required key 'source'"]
    assert str(KnowledgeBaseError(problems)) == "3 drafts left to review and 1 other problem in the knowledge base"
    assert str(KnowledgeBaseError(drafts[:1])) == "1 draft left to review in the knowledge base"


def test_tools_that_draft_read_the_drafts_as_they_stand(kb):
    kb_ = load(kb, with_drafts=True)
    assert "ivan-anusic" in kb_.entities
    assert "serbia-signs-srb-hun" in kb_.assertions_by_id
    assert "anusic-holds-office" not in kb_.assertions_by_id  # broken while in review: left out, not reported


def test_the_drafts_are_listed_with_what_they_say(kb):
    marked = marked_records(kb)
    assert [(m.kind, m.id, m.line, m.summary) for m in marked] == [
        ("entity", "ivan-anusic", 3, "person Ivan Anušić"),
        ("assertion", "serbia-signs-srb-hun", 9, "serbia signs srb-hun"),
        ("assertion", "anusic-holds-office", 19, "ivan-anusic holds-office croatia"),
    ]


def test_accepting_deletes_only_the_review_lines(kb):
    accept(kb, ["serbia-signs-srb-hun", "anusic-holds-office"])
    quote = "    quote: Serbia signed a military cooperation agreement with Hungary on April 3.\n"
    expected = DRAFTS.replace(quote + "    review: needed\n", quote)
    expected = expected.replace("      over two lines.\n    review: needed\n", "      over two lines.\n")
    assert (kb / "drafts.yaml").read_text(encoding="utf-8") == expected


def test_dropping_deletes_the_record_and_its_draft_comment_only(kb):
    drop(kb, ["anusic-holds-office"])
    text = (kb / "drafts.yaml").read_text(encoding="utf-8")
    assert "anusic-holds-office" not in text and "A folded note" not in text
    assert "  # a curator's own comment\n\n  - id: curated-already\n" in text
    assert "  # draft: cue 'signed'\n  - id: serbia-signs-srb-hun\n" in text


def test_accepting_all_and_fixing_the_rest_leaves_a_clean_knowledge_base(kb):
    accept(kb, everything=True)
    text = (kb / "drafts.yaml").read_text(encoding="utf-8").replace("    role:", "    source: record\n    role:")
    (kb / "drafts.yaml").write_text(text, encoding="utf-8")
    assert check(kb)[1] == []


def run(kb, *arguments):
    return cli_runner().invoke(main, ["--kg", str(kb), "review", *arguments])


def test_cli_lists_accepts_and_drops(kb):
    listed = run(kb)
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[:5] == [
        str(kb / "drafts.yaml"),
        "     3  entity ivan-anusic",
        "          person Ivan Anušić  (new person)",
        "     9  assertion serbia-signs-srb-hun",
        "          serbia signs srb-hun",
    ]
    assert listed.stderr == "3 drafts left to review\n"
    accepted = run(kb, "accept", "serbia-signs-srb-hun")
    assert accepted.stdout == f"Accepted assertion serbia-signs-srb-hun ({kb / 'drafts.yaml'}:9)\n"
    dropped = run(kb, "drop", "ivan-anusic")
    assert dropped.exit_code == 0
    assert dropped.stderr == "Warning: assertion anusic-holds-office still refers to the dropped entity ivan-anusic\n"
    assert run(kb).stderr == "1 draft left to review\n"


def test_an_unknown_or_repeated_id_is_an_error_and_nothing_changes(kb):
    result = run(kb, "accept", "serbia-signs-srb-hn")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no draft left to review has the id 'serbia-signs-srb-hn' (did you mean 'serbia-signs-srb-hun'?)\n"
    )
    (kb / "more.yaml").write_text("assertions:\n  - id: serbia-signs-srb-hun\n    review: needed\n", encoding="utf-8")
    result = run(kb, "drop", "serbia-signs-srb-hun")
    assert result.exit_code == 1 and "2 drafts have the id 'serbia-signs-srb-hun'" in result.stderr
    assert (kb / "drafts.yaml").read_text(encoding="utf-8") == DRAFTS
    assert run(kb, "accept").exit_code == 1  # neither ids nor --all
    assert run(kb, "accept", "--all", "x").exit_code == 2


def test_a_draft_in_flow_style_is_left_for_editing_by_hand(kb):
    flow = textwrap.dedent("""\
        assertions:
          - {id: flow-draft, subject: serbia, relation: signs, object: srb-hun, date: 2025, source: record,
             review: needed}
        """)
    (kb / "flow.yaml").write_text(flow, encoding="utf-8")
    result = run(kb, "accept", "flow-draft")
    assert result.exit_code == 1
    assert "cannot accept these drafts by deleting lines; edit the file by hand" in result.stderr
    assert (kb / "flow.yaml").read_text(encoding="utf-8") == flow


def test_problem_is_draft_only_for_the_review_mark():
    assert Problem("f.yaml", 1, 1, "assertion a: draft left to review").is_draft
    assert not Problem("f.yaml", 1, 1, "assertion a: unknown key 'reviewed'").is_draft
