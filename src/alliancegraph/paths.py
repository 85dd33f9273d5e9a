"""Where the knowledge base, its files and the saved queries live.

A wheel carries ``kg/``, ``seeds/`` and ``queries/`` inside the package; an
editable install (or a source checkout) reads the repository's own top-level
folders.

Which knowledge base a command uses is found the way git finds ``.git``:
``--kg`` or ``$ALLIANCEGRAPH_KG`` when given; else the ``kg/`` folder (one
holding ``sources.yaml``) in the working directory or the nearest folder above
it, so that a curator inside a checkout works on the knowledge base in front
of them; else the curated one shipped with the tool.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
KG_ENV = "ALLIANCEGRAPH_KG"
#: The folder name, and the file inside it, that mark a knowledge base found from the working directory.
KG_FOLDER = "kg"
KG_MARKER = "sources.yaml"
#: Why the shipped knowledge base was chosen (commands that write refuse it).
SHIPPED = "shipped with the tool"


#: The folder beside a knowledge base's folder that holds its articles (as the shipped kg/ and seeds/).
ARTICLES_BESIDE = "seeds"
#: The folder beside a knowledge base's folder that holds the JSON Schemas its files name.
SCHEMAS_BESIDE = "schemas"


#: The rule a file a knowledge base names breaks when it is not read (see :func:`kb_trees`).
INSIDE_RULE = f"every file it names must be, links followed, in its folder or in the {ARTICLES_BESIDE}/ folder beside it"


def kb_folder(root: Path | str) -> Path:
    """The folder of a knowledge base, resolved: ``root`` itself, or the folder of a one-file knowledge base."""
    resolved = Path(os.path.realpath(root))
    return resolved.parent if resolved.is_file() else resolved


def kb_trees(root: Path | str) -> tuple[Path, Path]:
    """The folders every file a knowledge base names must be in, links followed: its own
    folder, and the articles folder beside it. A knowledge base shared like code can then
    read nothing of its user's files outside them (``/etc/passwd``, ``../other/credentials``)."""
    folder = kb_folder(root)
    return folder, Path(os.path.realpath(folder.parent / ARTICLES_BESIDE))


def inside_kb(path: Path | str, root: Path | str, trees: tuple[Path, Path] | None = None) -> bool:
    """Whether ``path``, every link followed, lies in one of :func:`kb_trees` of ``root``
    (``trees``: those, when found already: finding them resolves two folders, link by link)."""
    from .files import is_inside

    target = Path(os.path.realpath(path))
    return any(is_inside(target, tree) for tree in trees or kb_trees(root))


def _bundled(name: str) -> Path:
    inside = PACKAGE / name
    if inside.is_dir():
        return inside
    return PACKAGE.parent.parent / name  # src/alliancegraph -> repository root


@dataclass(frozen=True)
class ChosenKG:
    """A knowledge base folder and why it was chosen (what ``check`` and ``stats`` print)."""

    path: Path
    reason: str

    def describe(self) -> str:
        from .errors import display_path

        return f"{display_path(self.path)} ({self.reason})"


def find_kg(start: Path) -> Path | None:
    """The ``kg/`` folder holding ``sources.yaml`` in ``start`` or the nearest folder above it."""
    for folder in (start, *start.parents):
        candidate = folder / KG_FOLDER
        try:
            if (candidate / KG_MARKER).is_file():
                return candidate
        except OSError:  # a folder we may not look into: keep climbing
            continue
    return None


def _working_directory() -> Path | None:
    try:
        return Path.cwd()
    except OSError:  # the working directory was deleted
        return None


def choose_kg(named: Path | None = None, reason: str = "--kg") -> ChosenKG:
    """The knowledge base to use: ``named`` (given as ``reason``), else $ALLIANCEGRAPH_KG,
    else one found from the working directory, else the shipped one."""
    if named is not None:
        return ChosenKG(Path(named), reason)
    if os.environ.get(KG_ENV):
        return ChosenKG(Path(os.environ[KG_ENV]), f"${KG_ENV}")
    here = _working_directory()
    found = find_kg(here) if here is not None else None
    if found is not None:
        return ChosenKG(found, "found from the working directory")
    return ChosenKG(_bundled("kg"), SHIPPED)


def default_kg() -> Path:
    """The knowledge base used when none is named (see :func:`choose_kg`)."""
    return choose_kg().path


def builtin_queries() -> Path:
    """The folder of saved queries that ships with the tool."""
    return _bundled("queries")


def schemas_dir() -> Path:
    """The folder of JSON Schemas for the knowledge base's YAML files."""
    return _bundled("schemas")


# -- the files of a knowledge base -----------------------------------------------------------


def discover(root: Path, resolved: bool = False) -> list[Path]:
    """The YAML files of a knowledge base, in a stable order, each once: a file reached under
    two names (a link beside its target) is read under the first, as the compiled store counts
    it, rather than giving every record twice. ``resolved`` gives each as its resolved path,
    as the compiled store records it."""
    if root.is_file():
        return [root.resolve() if resolved else root]
    files: dict[Path, Path] = {}
    folders: dict[Path, Path] = {}
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()):
        files.setdefault(_resolved(path, folders), path)
    return list(files if resolved else files.values())


def _resolved(path: Path, folders: dict[Path, Path]) -> Path:
    """``path.resolve()``, its folder resolved once for all its files (``folders`` keeps them): resolving
    looks at every part of a path, and every command checks the files against the compiled store."""
    if path.is_symlink():
        return path.resolve()
    folder = folders.get(path.parent)
    if folder is None:
        folder = folders[path.parent] = path.parent.resolve()
    return folder / path.name
