"""The query engine over a knowledge base folder's compiled, cached store (opened, and built when needed, on first use)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

from .cache import CLEAR_HINT
from .engine import OxigraphEngine
from .errors import AllianceGraphError
from .model import Entity, KnowledgeBase
from .store import CompiledStore, Progress, StoreError
from .text import one_line

if TYPE_CHECKING:
    import networkx

    from .resolve import FoldedNames
    from .tie_table import TieTable


class StoreEngine(OxigraphEngine):
    """The query engine over a knowledge base folder's compiled, cached store.

    The store is opened (and built or refreshed when the files changed) on
    first use. Python queries get the networkx graph built from the network
    edges cached beside the store, or the ties cached beside it
    (:mod:`alliancegraph.tie_table`), on first use too.
    """

    def __init__(self, kb_root: Path | str, progress: Progress | None = None):
        self.kb_root = Path(kb_root)
        self.progress = progress
        self._compiled: CompiledStore | None = None
        self._network: networkx.MultiDiGraph | None = None
        self._ties: TieTable | None = None
        self._kb: KnowledgeBase | None = None

    @property
    def compiled(self) -> CompiledStore:
        if self._compiled is None:
            self._compiled = CompiledStore.open(self.kb_root, self.progress)
        return self._compiled

    @property
    def store(self) -> pyoxigraph.Store:
        return self.compiled.store

    @property
    def entities(self) -> Mapping[str, Entity]:  # type: ignore[override]
        return self.compiled.entities

    @property
    def folded_names(self) -> FoldedNames | None:  # type: ignore[override]
        return self.compiled.folded_names

    def network(self) -> networkx.MultiDiGraph:
        if self._network is None:
            self._network = self.compiled.network()
        return self._network

    def tie_table(self) -> TieTable:
        if self._ties is None:
            self._ties = self.compiled.tie_table()
        return self._ties

    def knowledge_base(self) -> KnowledgeBase:
        if self._kb is None:
            self._kb = self.compiled.knowledge_base()
        return self._kb

    def evaluation_failed(self, error: Exception) -> AllianceGraphError:
        """A store that fails while read is damaged (what else the engine could fail on, a
        SERVICE call, is refused before the query runs): the next command builds it again."""
        cache = self.compiled.cache
        cache.mark_damaged()
        return StoreError(f"the compiled store in {cache.folder} is damaged ({one_line(str(error))}); it is built again "
                          f"the next time a command needs it, or {CLEAR_HINT}")

    def close(self) -> None:
        if self._compiled is not None:
            self._compiled.close()
            self._compiled = None

