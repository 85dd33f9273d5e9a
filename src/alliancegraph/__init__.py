"""alliancegraph: news reporting on geopolitical alignment as an evidence-backed knowledge graph.

>>> import alliancegraph
>>> from alliancegraph.network import to_networkx
>>> from alliancegraph.rdf import to_rdflib
>>> kb = alliancegraph.load()          # the curated knowledge base
>>> graph = to_rdflib(kb)              # an rdflib Graph
>>> network = to_networkx(kb)          # a networkx MultiDiGraph
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AllianceGraphError, KnowledgeBaseError, Problem, UnknownEntityError
from .version import __version__

__all__ = ["load", "AllianceGraphError", "KnowledgeBaseError", "Problem", "UnknownEntityError", "__version__"]

if TYPE_CHECKING:
    from .model import KnowledgeBase


def load(path: str | Path | None = None) -> KnowledgeBase:
    """Load and validate a knowledge base folder (default: the one the command line would
    use, see :func:`alliancegraph.paths.choose_kg`).

    Raises :class:`KnowledgeBaseError` listing every problem when it does not validate.
    """
    from .loading import load as load_folder
    from .paths import default_kg

    return load_folder(Path(path) if path is not None else default_kg())
