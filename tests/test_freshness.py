"""Whether a knowledge base's files are those a build recorded: sizes and times, and content where
they cannot be trusted."""

from __future__ import annotations

import os

import pytest

from alliancegraph.freshness import RACY_SECONDS, scan, unchanged


@pytest.fixture
def recorded(tmp_path):
    """Three files, their states as a build long after their last change recorded them, and when it ran."""
    paths = []
    for name, text in (("a.yaml", "a: 1\n"), ("b.yaml", "b: 2\n"), ("article.txt", "It was said.\n")):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        os.utime(path, ns=(1_000_000_000_000, 1_000_000_000_000))
        paths.append(path)
    built_at = 1_000_000.0 + 10 * RACY_SECONDS
    return paths, {key: state.as_list() for key, state in scan(paths, {}, built_at).items()}, built_at


def same_size_and_time(path, text: str) -> None:
    """Change a file's content, keeping its size and modification time."""
    status = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def test_files_as_recorded_are_unchanged(recorded):
    paths, known, built_at = recorded
    assert unchanged(paths, known, built_at)
    assert unchanged([str(p) for p in reversed(paths)], known, built_at)


def test_a_change_of_size_or_time_is_a_change(recorded):
    paths, known, built_at = recorded
    paths[0].write_text("a: 10\n", encoding="utf-8")
    assert not unchanged(paths, known, built_at)
    os.utime(paths[1], ns=(1, 1))
    assert not unchanged(paths[1:], known, built_at)


def test_content_changed_within_a_tick_of_the_build_is_found_by_its_digest(recorded):
    paths, known, built_at = recorded
    same_size_and_time(paths[2], "It was SAID.\n")
    assert unchanged(paths, known, built_at)  # long before the build: size and time are trusted
    racy_build = paths[2].stat().st_mtime_ns / 1e9 + RACY_SECONDS / 2
    assert not unchanged(paths, known, racy_build)
    same_size_and_time(paths[2], "It was said.\n")
    assert unchanged(paths, known, racy_build)  # the same content again


def test_files_added_removed_or_missing_and_damaged_records_are_changes(recorded):
    paths, known, built_at = recorded
    assert not unchanged(paths[:2], known, built_at)  # one removed
    added = paths[0].with_name("new.yaml")
    added.write_text("c: 3\n", encoding="utf-8")
    assert not unchanged([*paths, added], known, built_at)
    paths[1].unlink()
    assert not unchanged(paths, known, built_at)
    for damaged in ({**known, str(paths[0]): [5, 1]}, {**known, str(paths[0]): "5 1 x"}, list(known), None):
        assert not unchanged(paths, damaged, built_at)  # type: ignore[arg-type]
