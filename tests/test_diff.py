"""alliancegraph diff: what a curation change does to the records and to who aligns with whom."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest

from alliancegraph.cli import main
from alliancegraph.diff import diff, diff_knowledge_bases, report
from alliancegraph.errors import KnowledgeBaseError, UsageError

from conftest import TinyKB, cli_runner

SIGNED = {"subject": "serbia", "relation": "signs", "object": "srb-hun", "date": "2025-04-03",
          "quote": "Serbia signed a military cooperation agreement with Hungary"}


@pytest.fixture
def versions(tmp_path):
    """Two versions of one knowledge base: the second adds Hungary's signature and corrects a date."""
    old, new = TinyKB(tmp_path / "old"), TinyKB(tmp_path / "new")
    for kb in (old, new):
        kb.add(id="serbia-signs", **SIGNED)
        kb.add(id="dodik-aligns", subject="milorad-dodik", relation="aligns-with", object="serbia", date="2025-04",
               modality="intention", quote="Milorad Dodik signaled willingness to align with Serbia")
    old.add(id="gasic-criticizes", subject="bratislav-gasic", relation="criticizes", object="declaration",
            date="2025-04-03", quote="“a provocative move”")
    new.add(id="hungary-signs", **{**SIGNED, "subject": "hungary"})
    new.assertions[1]["date"] = "2025-04-15"
    return old.load(), new.load()


def test_records_added_removed_and_changed_field_by_field(versions):
    changes = diff_knowledge_bases(*versions, as_of=None)
    assert [a.id for a in changes.assertions.added] == ["hungary-signs"]
    assert [a.id for a in changes.assertions.removed] == ["gasic-criticizes"]
    [(before, after, fields)] = changes.assertions.changed
    assert before.id == "dodik-aligns"
    assert [(f.field, f.old, f.new) for f in fields] == [("date", "2025-04", "2025-04-15")]
    assert not changes.entities and not changes.sources


def rows(changes, query, entity, side):
    [answer] = [a for a in changes.answers if (a.query, a.entity) == (query, entity)]
    return sorted((row["actor"], row.get("assertion") or row.get("assertions")) for row in getattr(answer, side))


def test_answers_that_change_are_reported_for_every_touched_actor_and_group(versions):
    changes = diff_knowledge_bases(*versions)
    assert rows(changes, "who-aligns-with", "serbia", "added") == [
        ("hungary", "hungary-signs"), ("milorad-dodik", "dodik-aligns")
    ]
    assert rows(changes, "who-aligns-with", "serbia", "removed") == [("milorad-dodik", "dodik-aligns")]
    assert rows(changes, "who-aligns-with", "hungary", "added") == [("serbia", "serbia-signs")]
    assert rows(changes, "members-of", "srb-hun", "added") == [("hungary", ["hungary-signs"])]
    # Gašić's criticism of a declaration nobody has signed moves no one's opponents.
    assert not [a for a in changes.answers if a.query == "who-opposes"]


def test_a_new_party_to_an_agreement_changes_the_answers_of_the_other_parties(tmp_path):
    old, new = TinyKB(tmp_path / "old"), TinyKB(tmp_path / "new")
    for kb in (old, new):
        kb.add(id="serbia-signs", **SIGNED)
    new.add(id="hungary-signs", **{**SIGNED, "subject": "hungary"})
    changes = diff_knowledge_bases(old.load(), new.load())
    assert rows(changes, "who-aligns-with", "serbia", "added") == [("hungary", "hungary-signs")]


def test_a_changed_office_moves_the_answers_its_holder_speaks_in(tmp_path):
    old, new = TinyKB(tmp_path / "old"), TinyKB(tmp_path / "new")
    for kb in (old, new):
        kb.add(id="gasic-aligns", subject="bratislav-gasic", relation="aligns-with", object="hungary", date="2025-04-03",
               quote="Serbian Defence Minister Bratislav Gašić")
    new.entities[9]["offices"][0]["start"] = "2025-06-01"  # in office only after the statement
    changes = diff_knowledge_bases(old.load(), new.load())
    assert rows(changes, "who-aligns-with", "hungary", "removed") == [("serbia", "gasic-aligns")]
    assert rows(changes, "who-aligns-with", "hungary", "added") == [("bratislav-gasic", "gasic-aligns")]


def test_a_new_stance_on_an_issue_changes_who_stands_where(tmp_path):
    old, new = TinyKB(tmp_path / "old"), TinyKB(tmp_path / "new")
    for kb in (old, new):
        kb.entities.append({"id": "nato-forces", "label": "NATO forces in the Balkans", "type": "issue"})
    new.add(id="serbia-opposes-nato-forces", subject="serbia", relation="opposes", object="nato-forces",
            date="2025-04-03", quote="Serbia signed a military cooperation agreement")
    changes = diff_knowledge_bases(old.load(), new.load())
    [answer] = [a for a in changes.answers if a.query == "who-stands-where"]
    assert answer.entity == "nato-forces"
    assert [(row["actor"], row["position"], row["assertion"]) for row in answer.added] == [
        ("serbia", "opposes", "serbia-opposes-nato-forces")
    ]
    assert answer.removed == ()
    assert "  who-stands-where nato-forces:\n    + actor serbia, label Serbia, position opposes," in report(changes)


def test_answers_follow_the_as_of_date(versions):
    early = diff_knowledge_bases(*versions, as_of=dt.date(2025, 4, 10))
    assert ("who-aligns-with", "serbia") in {(a.query, a.entity) for a in early.answers}
    assert rows(early, "who-aligns-with", "serbia", "removed") == [("milorad-dodik", "dodik-aligns")]
    assert rows(early, "who-aligns-with", "serbia", "added") == [("hungary", "hungary-signs")]


def test_identical_knowledge_bases_have_no_differences(tiny):
    kb = tiny.load()
    changes = diff_knowledge_bases(kb, kb)
    assert not changes
    assert report(changes) == "No differences.\n"


def test_the_report_reads_line_by_line(versions):
    text = report(diff_knowledge_bases(*versions))
    assert "Assertions: 1 added, 1 removed, 1 changed\n" in text
    assert "  + hungary-signs: hungary signs srb-hun, 2025-04-03\n" in text
    assert "  - gasic-criticizes: bratislav-gasic criticizes declaration, 2025-04-03\n" in text
    assert "  ~ dodik-aligns: date 2025-04 -> 2025-04-15\n" in text
    assert "  who-aligns-with serbia:\n    + actor hungary, label Hungary, relation signs" in text


# -- git revisions ------------------------------------------------------------------------------


def git(repository, *arguments) -> str:
    command = ["git", "-C", str(repository), "-c", "user.name=Curator", "-c", "user.email=curator@example.org", *arguments]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repository(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    kb = TinyKB(tmp_path / "repo" / "kg")
    kb.add(id="serbia-signs", **SIGNED)
    kb.write()
    git(tmp_path / "repo", "init", "-q")
    git(tmp_path / "repo", "add", ".")
    git(tmp_path / "repo", "commit", "-qm", "first")
    kb.add(id="hungary-signs", **{**SIGNED, "subject": "hungary"})
    kb.write()
    git(tmp_path / "repo", "commit", "-qam", "second")
    return kb


def test_two_revisions_are_compared_without_touching_the_working_tree(repository):
    repo = repository.root.parent
    kb_file = repository.root / "kb.yaml"
    kb_file.write_text(kb_file.read_text(encoding="utf-8") + "# an uncommitted edit\n", encoding="utf-8")
    status, text = git(repo, "status", "--porcelain"), kb_file.read_text(encoding="utf-8")
    changes = diff("HEAD~1", "HEAD", repository.root)
    assert [a.id for a in changes.assertions.added] == ["hungary-signs"]
    assert (git(repo, "status", "--porcelain"), kb_file.read_text(encoding="utf-8")) == (status, text)
    assert git(repo, "worktree", "list").count("\n") == 1


def test_new_defaults_to_the_knowledge_base_on_disk(repository):
    repository.assertions.pop()
    repository.write()  # uncommitted: Hungary's signature removed again
    changes = diff("HEAD", None, repository.root)
    assert [a.id for a in changes.assertions.removed] == ["hungary-signs"]


def test_a_name_that_is_neither_folder_nor_revision_is_a_usage_error(repository):
    with pytest.raises(UsageError, match="'no-such-rev' is neither a folder nor a git revision"):
        diff("no-such-rev", None, repository.root)
    with pytest.raises(UsageError, match="neither a folder nor a git revision"):
        diff("--output=/tmp/x", None, repository.root)


@pytest.mark.parametrize("name", ["", "x" * 5000], ids=["empty", "too long for a path"])
def test_an_empty_or_overlong_name_is_not_taken_for_a_folder(repository, name, monkeypatch):
    monkeypatch.chdir(repository.root)  # '' would have meant this folder
    with pytest.raises(UsageError, match="is neither a folder nor a git revision"):
        diff(name, None, repository.root)


def test_problems_in_a_revision_are_located_in_it(repository):
    repo = repository.root.parent
    repository.assertions[0]["object"] = "srb-hunn"
    repository.write()
    git(repo, "commit", "-qam", "broken")
    with pytest.raises(KnowledgeBaseError) as raised:
        diff("HEAD", "HEAD~1", repository.root)
    assert [str(p) for p in raised.value.problems][0].startswith("HEAD:kg/kb.yaml:")


# -- command line -------------------------------------------------------------------------------


def test_cli_prints_the_report(versions):
    old, new = versions
    result = cli_runner().invoke(main, ["--kg", str(new.root), "diff", str(old.root), str(new.root)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Assertions: 1 added, 1 removed, 1 changed\n")


def test_cli_json(versions):
    old, new = versions
    result = cli_runner().invoke(main, ["--kg", str(new.root), "diff", str(old.root), "--format", "json"])
    data = json.loads(result.output)
    assert data["assertions"]["changed"] == [{"id": "dodik-aligns", "fields": {"date": {"old": "2025-04", "new": "2025-04-15"}}}]
    assert {"query", "entity", "added", "removed"} == set(data["answers"][0])


def test_cli_outside_a_repository_says_so(versions, tmp_path):
    old, _ = versions
    result = cli_runner().invoke(main, ["--kg", str(old.root), "diff", "HEAD"])
    assert result.exit_code == 2
    assert "is not inside a git repository, so revisions cannot be read; compare two folders" in result.output
