"""Which YAML files a knowledge base holds, each once, under the name the compiled store records."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliancegraph.paths import discover


def every_file_resolved_on_its_own(root: Path, resolved: bool) -> list[Path]:
    """The rule discover keeps, each path resolved by itself: the YAML files in sorted order, a file
    reached under two names kept under the first."""
    if root.is_file():
        return [root.resolve() if resolved else root]
    files: dict[Path, Path] = {}
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()):
        files.setdefault(path.resolve(), path)
    return list(files if resolved else files.values())


@pytest.fixture
def tree(tmp_path) -> Path:
    """A knowledge base folder with links among its files and folders, and to files outside it."""
    real = tmp_path / "real"
    for name in ["sources.yaml", "entities.yml", "notes.txt", ".hidden.yaml", ".yaml", "sub/a.yaml", "sub-dir/b.yaml",
                 "sub/deeper/c.yaml", "folder.yaml/d.yaml", "x.YAML"]:
        (real / name).parent.mkdir(parents=True, exist_ok=True)
        (real / name).write_text("sources:\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "outside.yaml").write_text("entities:\n", encoding="utf-8")
    (real / "sub" / "also-a.yaml").symlink_to("a.yaml")  # beside its target
    (real / "a-first.yaml").symlink_to(real / "sub" / "a.yaml")  # sorted before its target
    (real / "linked-sub").symlink_to("sub", target_is_directory=True)
    (real / "outside.yaml").symlink_to(tmp_path / "elsewhere" / "outside.yaml")
    (real / "broken.yaml").symlink_to("nowhere.yaml")
    (real / "linked-folder-of-elsewhere").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "link-to-real").symlink_to(real, target_is_directory=True)
    return tmp_path


@pytest.mark.parametrize("resolved", [True, False])
@pytest.mark.parametrize("named", ["real", "link-to-real", "relative", "a file", "a linked file"])
def test_discover_finds_the_files_each_resolved_as_on_its_own(tree, monkeypatch, named, resolved):
    monkeypatch.chdir(tree)
    root = {"real": tree / "real", "link-to-real": tree / "link-to-real", "relative": Path("link-to-real/sub/.."),
            "a file": tree / "real" / "sources.yaml", "a linked file": tree / "real" / "a-first.yaml"}[named]
    assert discover(root, resolved=resolved) == every_file_resolved_on_its_own(root, resolved)
