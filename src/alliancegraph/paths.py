"""Where the curated knowledge base and the saved queries live.

A wheel carries ``kg/``, ``seeds/`` and ``queries/`` inside the package; an
editable install (or a source checkout) reads the repository's own top-level
folders, so what a curator edits is what the tool shows.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
KG_ENV = "ALLIANCEGRAPH_KG"


def _bundled(name: str) -> Path:
    inside = PACKAGE / name
    if inside.is_dir():
        return inside
    return PACKAGE.parent.parent / name  # src/alliancegraph -> repository root


def default_kg() -> Path:
    """The knowledge base used when none is named: $ALLIANCEGRAPH_KG, else the curated one."""
    return Path(os.environ[KG_ENV]) if os.environ.get(KG_ENV) else _bundled("kg")


def builtin_queries() -> Path:
    """The folder of saved queries that ships with the tool."""
    return _bundled("queries")


def schemas_dir() -> Path:
    """The folder of JSON Schemas for the knowledge base's YAML files."""
    return _bundled("schemas")
