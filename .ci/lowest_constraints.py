"""Print a pip constraints file pinning every declared dependency to its declared floor.

CI installs the project a second time with these constraints, so the suite also runs on
the lowest versions ``pyproject.toml`` promises to work with. Only the project's own
dependencies and its test extra are pinned; what they pull in resolves as usual.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement


def floors(pyproject: Path, extras: list[str]) -> dict[str, str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    declared = list(project["dependencies"])
    for extra in extras:
        declared += project["optional-dependencies"][extra]
    pins: dict[str, str] = {}
    for text in declared:
        requirement = Requirement(text)
        lower = [spec.version for spec in requirement.specifier if spec.operator in (">=", "==", "~=")]
        if not lower:
            sys.exit(f"{text!r} declares no lower bound: CI cannot test the lowest version it allows")
        name = requirement.name.lower()
        # A package named twice (core and an extra) is held to the higher of its floors.
        pins[name] = max([pins.get(name, lower[0]), *lower], key=_version_key)
    return pins


def _version_key(version: str) -> tuple[int, ...]:
    from packaging.version import Version

    return Version(version).release


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    for name, version in sorted(floors(root / "pyproject.toml", sys.argv[1:] or ["test"]).items()):
        print(f"{name}=={version}")
