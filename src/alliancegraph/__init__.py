"""alliancegraph: news reporting on geopolitical alignment as an evidence-backed knowledge graph.

>>> import alliancegraph
>>> with alliancegraph.open() as kg:                         # the curated knowledge base
...     answer = kg.query("who-aligns-with", actor="Serbia")  # rows, with the evidence of each
...     network = kg.network()                                # a networkx MultiDiGraph

:func:`open` is the front door (see :mod:`alliancegraph.workspace` and the
Python API page of the documentation); :func:`load` reads and validates a
folder into a :class:`~alliancegraph.model.KnowledgeBase` and nothing more.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AllianceGraphError, KnowledgeBaseError, Problem, UnknownEntityError
from .version import __version__

__all__ = ["open", "load", "AllianceGraphError", "KnowledgeBaseError", "Problem", "UnknownEntityError", "__version__"]

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .model import KnowledgeBase
    from .store import Progress
    from .workspace import Workspace


def open(kg: str | Path | None = None, *, queries: Iterable[str | Path] = (), progress: Progress | None = None) -> Workspace:
    """Open the knowledge base ``kg`` (default: the one the command line would use, see
    :func:`alliancegraph.paths.choose_kg`) for queries, exports, pictures and curation.

    ``queries`` are folders of saved queries added to the built-in ones (their ``.py`` files
    run as code: name only folders you trust); ``progress(stage, done, total)`` hears how a
    build of the compiled store goes. Use it in a ``with`` block, or call ``close()``.
    """
    from .workspace import open_workspace

    return open_workspace(kg, queries=queries, progress=progress)


def load(path: str | Path | None = None) -> KnowledgeBase:
    """Load and validate a knowledge base folder (default: the one the command line would
    use, see :func:`alliancegraph.paths.choose_kg`), reading every file.

    Raises :class:`KnowledgeBaseError` listing every problem when it does not validate.
    """
    from .loading import load as load_folder
    from .paths import default_kg

    return load_folder(Path(path) if path is not None else default_kg())
