"""Which knowledge base a command uses: --kg, $ALLIANCEGRAPH_KG, the kg/ found from the
working directory (the way git finds .git), else the shipped one; check and stats say which."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner
from conftest import TinyKB

from alliancegraph.cli import main
from alliancegraph.paths import choose_kg, find_kg


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    """A folder tree holding a knowledge base in kg/, with no $ALLIANCEGRAPH_KG set."""
    monkeypatch.delenv("ALLIANCEGRAPH_KG", raising=False)
    root = tmp_path / "checkout"
    tiny = TinyKB(root / "kg")
    tiny.write()
    (root / "kg" / "sources.yaml").write_text("sources:\n", encoding="utf-8")
    (root / "seeds" / "deep").mkdir(parents=True)
    return root


def check(*arguments):
    return CliRunner().invoke(main, [*arguments, "check"])


def test_a_command_inside_the_tree_uses_its_knowledge_base(checkout, monkeypatch):
    monkeypatch.chdir(checkout / "seeds" / "deep")
    result = check()
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"Knowledge base: {checkout / 'kg'} (found from the working directory)"
    assert "13 entities" in result.stdout  # the tiny knowledge base, not the shipped one


def test_the_root_of_the_tree_and_the_kg_folder_itself_find_it_too(checkout, monkeypatch):
    for folder in (checkout, checkout / "kg"):
        monkeypatch.chdir(folder)
        assert choose_kg().path == checkout / "kg"
    assert check().stdout.startswith("Knowledge base: . (found from the working directory)\n")


def test_a_kg_folder_without_sources_yaml_is_passed_over(checkout, monkeypatch):
    inner = checkout / "seeds" / "deep"
    (inner / "kg").mkdir()
    (inner / "kg" / "notes.yaml").write_text("sources:\n", encoding="utf-8")
    assert find_kg(inner) == checkout / "kg"


def test_kg_option_and_environment_win_over_the_tree(checkout, monkeypatch, tmp_path):
    other = TinyKB(tmp_path / "other").write()
    monkeypatch.chdir(checkout)
    result = check("--kg", str(other))
    assert result.stdout.splitlines()[0] == f"Knowledge base: {other} (--kg)"
    monkeypatch.setenv("ALLIANCEGRAPH_KG", str(other))
    assert check().stdout.splitlines()[0] == f"Knowledge base: {other} ($ALLIANCEGRAPH_KG)"
    assert check("--kg", "kg").stdout.splitlines()[0] == "Knowledge base: kg (--kg)"


def test_outside_any_tree_the_shipped_knowledge_base_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv("ALLIANCEGRAPH_KG", raising=False)
    monkeypatch.chdir(tmp_path)
    chosen = choose_kg()
    assert chosen.reason == "shipped with the tool"
    assert (chosen.path / "sources.yaml").is_file()


def test_a_deleted_working_directory_falls_back_to_the_shipped_one(tmp_path, monkeypatch):
    monkeypatch.delenv("ALLIANCEGRAPH_KG", raising=False)
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    os.rmdir(gone)
    assert choose_kg().reason == "shipped with the tool"


def test_stats_says_which_knowledge_base_it_read(checkout, monkeypatch):
    monkeypatch.chdir(checkout)
    table = CliRunner().invoke(main, ["stats"])
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines()[0] == "Knowledge base: kg (found from the working directory)"
    data = json.loads(CliRunner().invoke(main, ["stats", "--format", "json"]).stdout)
    assert (data["knowledge_base"], data["chosen_by"]) == (str(checkout / "kg"), "found from the working directory")


def test_verbose_says_it_on_standard_error_for_any_command(checkout, monkeypatch):
    monkeypatch.chdir(checkout)
    result = CliRunner().invoke(main, ["-v", "entities", "--type", "agreement"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "Knowledge base: kg (found from the working directory)\n"
    assert "srb-hun" in result.stdout
