"""The library's front door: a knowledge base opened for use, with everything the command line does.

>>> import alliancegraph
>>> with alliancegraph.open() as kg:                          # doctest: +SKIP
...     rows = kg.query("who-aligns-with", actor="Serbia")

:func:`alliancegraph.open` gives a :class:`Workspace`. It owns what a command
would otherwise decide for itself: which knowledge base (:mod:`alliancegraph.paths`),
whether to answer from the compiled store (built or refreshed on first use, see
:mod:`alliancegraph.store`) or, when its cache folder cannot be used, from the
YAML files; the query engine, local or a SPARQL server; entity names; the saved
queries; exports, pictures, curation and the cache. ``close()`` (or leaving a
``with`` block) releases the store and its lock.

Every command of ``alliancegraph`` is one call here and the printing of its
result (:mod:`alliancegraph.cli`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UsageError
from .paths import SHIPPED, ChosenKG, choose_kg

if TYPE_CHECKING:
    import networkx
    import rdflib

    from .articles import Added, ArticleDetails
    from .diff import Diff
    from .drafting import Drafted
    from .engine import Engine
    from .errors import Problem
    from .findings import Answer
    from .model import Entity, KnowledgeBase, Source
    from .queries import SavedQuery
    from .review import Marked
    from .schema import Annotated
    from .selection import Filters
    from .store import CompiledStore, Progress
    from .store_engine import StoreEngine

__all__ = ["ClearedCaches", "Pushed", "Workspace", "open_workspace"]


@dataclass(frozen=True)
class ClearedCaches:
    """What clearing caches did: the folders deleted, and those left because alliancegraph did not make them."""

    removed: list[Path]
    left: list[Path]


@dataclass(frozen=True)
class Pushed:
    """A graph replaced on a server: where, and what it held before."""

    target: str  # "graph IRI" or "the default graph"
    url: str  # the Graph Store address written to, as shown (no credentials)
    before: str  # what the graph held before ("which holds 12 triples", "which is empty")
    triples: int  # how many triples were sent


def open_workspace(kg: str | Path | None = None, *, queries: Iterable[str | Path] = (),
                   progress: Progress | None = None, named_by: str = "given") -> Workspace:
    """The knowledge base ``kg`` (a folder; by default the one the command line would use:
    ``$ALLIANCEGRAPH_KG``, else the ``kg/`` folder found from the working directory, else
    the curated one shipped with the tool) opened for use; ``queries`` are folders of saved
    queries to add to the built-in ones; ``named_by`` says how ``kg`` was named (what
    :meth:`ChosenKG.describe` prints after it).

    Nothing is read yet: the knowledge base is compiled or read on first use.
    """
    return Workspace(choose_kg(Path(kg) if kg is not None else None, named_by), queries=queries, progress=progress)


class Workspace:
    """A knowledge base opened for use (see the module docs); :func:`alliancegraph.open` makes one."""

    def __init__(self, chosen: ChosenKG, *, queries: Iterable[str | Path] = (), progress: Progress | None = None):
        self.chosen = chosen
        self.root = chosen.path
        self.query_folders = tuple(Path(folder) for folder in queries)
        self.progress = progress
        self._kb: KnowledgeBase | None = None
        self._engine: StoreEngine | None = None
        self._queries: dict[str, SavedQuery] | None = None
        self._builtin_queries: dict[str, SavedQuery] = {}  # read one by one, before all are needed

    def __repr__(self) -> str:
        return f"<Workspace {self.chosen.describe()}>"

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the compiled store (and its lock). Until then the answers are those of the
        knowledge base as it was at first use; used again, the workspace opens it as it is then."""
        self._kb = None
        if self._engine is not None:
            self._engine.close()
            self._engine = None

    # -- the knowledge base -----------------------------------------------------------------

    def knowledge_base(self) -> KnowledgeBase:
        """The validated knowledge base: assembled from what the compiled store saved of its
        files (only files changed since the last build are read), or read from the files
        when the store's cache folder cannot be used."""
        if self._kb is None:
            if self.compiled() is not None:
                # the engine's: queries that read the knowledge base (show, a person's voice) share it
                self._kb = self._store_engine().knowledge_base()
            else:
                from .loading import load

                self._kb = load(self.root)
        return self._kb

    @property
    def entities(self) -> Mapping[str, Entity]:
        """Every entity by id: the compiled store's table, without assembling the knowledge base."""
        compiled = self.compiled() if self._kb is None else None
        return compiled.entities if compiled is not None else self.knowledge_base().entities

    def resolve(self, name: str) -> Entity:
        """The entity ``name`` names: id, label or alias, case and accents ignored; an unknown or
        ambiguous name raises an error that offers the closest."""
        from .resolve import resolve_entity

        compiled = self.compiled() if self._kb is None else None
        if compiled is not None:
            return resolve_entity(compiled.entities, name, compiled.folded_names)
        return resolve_entity(self.knowledge_base().entities.values(), name)

    def find_entities(self, text: str | None = None, entity_type: str | None = None) -> list[Entity]:
        """The entities going by ``text`` (every word of it, in an id, label, alias or Wikidata id),
        those named by it first; without ``text`` all of them, by type and id. ``entity_type``
        keeps one type."""
        from .resolve import search_entities

        known = self.entities.values()
        found = search_entities(known, text) if text else sorted(known, key=lambda e: (e.type, e.id))
        return [e for e in found if entity_type is None or e.type == entity_type]

    def close_names(self, text: str, entity_type: str | None = None) -> list[str]:
        """The ids of the entities whose names come closest to ``text`` (of ``entity_type``):
        what to offer when nothing goes by it."""
        from .resolve import suggest_entities

        return [i for i in suggest_entities(self.entities.values(), text)
                if entity_type is None or self.entities[i].type == entity_type]

    def check(self) -> tuple[KnowledgeBase | None, list[Problem]]:
        """Read and validate every file (never the store's saved results): the knowledge base and
        no problems, or None and every problem located as file:line:column."""
        from .loading import check

        return check(self.root)

    # -- compiled ------------------------------------------------------------------------------

    def compiled(self) -> CompiledStore | None:
        """The compiled store, built or refreshed first; None when its cache folder cannot be used.

        A knowledge base with problems raises :class:`~alliancegraph.errors.KnowledgeBaseError`.
        """
        from .cache import CacheError
        from .store import StoreError

        try:
            return self._store_engine().compiled
        except (CacheError, StoreError):
            return None

    def engine(self, endpoint: str | None = None, graph: str | None = None, timeout: float | None = None,
               allow_service: bool = False) -> Engine:
        """The query engine: the compiled store, or the SPARQL server at ``endpoint`` (querying
        ``graph``, the whole exchange bounded by ``timeout`` seconds). Either refuses a query that
        calls other servers (SERVICE) unless ``allow_service``."""
        if endpoint is not None:
            from .endpoint import DEFAULT_TIMEOUT, RemoteEngine

            remote = RemoteEngine(endpoint, lambda: self.entities, graph, timeout or DEFAULT_TIMEOUT,
                                  knowledge_base=self.knowledge_base)
            remote.allow_service = allow_service
            return remote
        engine = self._store_engine()
        engine.allow_service = allow_service
        return engine

    def _store_engine(self) -> StoreEngine:
        if self._engine is None:
            from .store_engine import StoreEngine

            self._engine = StoreEngine(self.root, self.progress)
        return self._engine

    def rdf(self) -> rdflib.Graph:
        """The compiled graph as an rdflib Graph (statements, truthy triples, ontology)."""
        from .rdf import to_rdflib

        return to_rdflib(self.knowledge_base())

    def network(self) -> networkx.MultiDiGraph:
        """The knowledge base as a networkx MultiDiGraph: entities as nodes, one edge per assertion
        (:mod:`alliancegraph.network`), from the compiled store's cache when it has it."""
        return self.engine().network()

    def stats(self) -> dict:
        """Entities by type, assertions by relation, source, polarity and modality, triples, nodes and edges."""
        from .stats import stats

        compiled = self.compiled()
        return stats(self.knowledge_base(), triples=len(compiled.store) if compiled is not None else None)

    # -- answers -------------------------------------------------------------------------------

    def queries(self) -> dict[str, SavedQuery]:
        """The saved queries by name: the built-in ones and those of the workspace's folders."""
        if self._queries is None:
            from .queries import load_queries

            self._queries = load_queries(self.query_folders)
        return self._queries

    def saved_query(self, name: str) -> SavedQuery:
        """The saved query called ``name``; an unknown name raises an error listing the available ones."""
        from .queries import get_query, load_builtin_query

        if self._queries is None and not self.query_folders:  # a built-in query: its own file is enough
            if name not in self._builtin_queries:
                self._builtin_queries[name] = load_builtin_query(name)
            return self._builtin_queries[name]
        return get_query(self.queries(), name)

    def add_queries(self, folders: Iterable[str | Path]) -> None:
        """Also use the saved queries in ``folders`` (their ``.py`` files run as code: name only
        folders you trust)."""
        added = tuple(Path(folder) for folder in folders)
        if added:
            self.query_folders += added
            self._queries = None

    def query(self, name: str, /, *actors: str, as_of: dt.date | None = None, engine: Engine | None = None,
              evidence: bool = True, **arguments: str | None) -> Answer:
        """Answer the saved query ``name`` about the entities it takes (ids, labels or aliases),
        given in the order of its parameters or by name, as of ``as_of`` (default today): rows,
        each with the evidence behind it (none with ``evidence=False``: the rows alone, read
        sooner). ``engine`` answers instead of the compiled store (see :meth:`engine`)."""
        from .engine import QueryError

        saved = self.saved_query(name)
        if len(actors) > len(saved.parameters):
            raise QueryError(f"query {name!r} takes {len(saved.parameters)} entities, not {len(actors)}: "
                             f"{saved.signature or 'none'}")
        for parameter, actor in zip(saved.parameters, actors):
            if parameter.name in arguments:
                raise QueryError(f"query {name!r}: {parameter.metavar} given twice")
            arguments[parameter.name] = actor
        return saved.run(engine or self.engine(), arguments, as_of, evidence=evidence)

    def sparql(self, query: str | Path, *, engine: Engine | None = None, evidence: bool = True) -> Answer:
        """Answer an ad-hoc SPARQL SELECT query, given as its text (a ``str``) or as a ``.rq`` file
        (a :class:`~pathlib.Path`), with the project's prefixes declared for it; ``evidence`` as
        for :meth:`query`."""
        from .queries import adhoc_query, sparql_text

        text = sparql_text(str(query)) if isinstance(query, Path) else query
        return adhoc_query(text).run(engine or self.engine(), evidence=evidence)

    def show(self, name: str, as_of: dt.date | None = None) -> dict:
        """One assertion, source or entity in full, as plain values (``as_of``: the day an
        entity's queries are answered for, default today)."""
        from .show import show

        return show(self.engine(), self.knowledge_base(), name, as_of)

    def diff(self, old: str | Path, new: str | Path | None = None, as_of: dt.date | None = None) -> Diff:
        """What changed between two versions of the knowledge base (folders or git revisions of
        the repository holding it; ``new`` defaults to it as it is on disk), and the answers
        that changed as of ``as_of`` (default today)."""
        from .diff import diff

        return diff(old, new, self.root, as_of, self.query_folders)

    # -- files: exports, pictures, a server ------------------------------------------------------

    def export(self, fmt: str, path: str | Path, filters: Filters | None = None, **options: Any) -> list[Path]:
        """Write the graph as ``fmt`` (see :data:`alliancegraph.export.FORMATS`) to ``path`` (a folder
        for csv), with ``filters`` (default: everything, every date); return the paths written."""
        from .export import export

        return export(self.knowledge_base(), fmt, path, filters, **options)

    def generate(self, fmt: str, filters: Filters | None = None, **options: Any) -> Iterator[str]:
        """The graph as ``fmt`` text, in chunks (formats that write a folder raise :class:`UsageError`)."""
        from .export import generate

        return generate(self.knowledge_base(), fmt, filters, **options)

    def build(self, out: str | Path = "build") -> list[Path]:
        """Write every export format into the folder ``out``, all of them atomically."""
        from .build import build

        return build(self.knowledge_base(), Path(out))

    def draw(self, path: str | Path, kind: str = "network", filters: Filters | None = None,
             color_by: str = "type") -> Path:
        """Draw the alignment network or the stance matrix into ``path`` (.png, .svg or .pdf), as of
        ``filters.as_of`` (default today). Needs matplotlib (``alliancegraph[viz]``)."""
        from .draw import draw

        return draw(self.knowledge_base(), path, kind, filters, color_by)

    def push(self, endpoint: str, graph: str | None = None, timeout: float = 300, overwrite: bool = True,
             before_sending: Callable[[Pushed], None] | None = None) -> Pushed:
        """Replace ``graph`` (default: the default graph) on the Graph Store ``endpoint`` with the
        compiled graph, in one request; ``overwrite=False`` refuses a graph that holds triples.
        ``before_sending`` is told what is about to be replaced, before the upload starts."""
        from .endpoint import EndpointError, endpoint_url, graph_content, graph_store_url, push
        from .store_dump import streamed_ntriples

        graph_store_url(endpoint_url(endpoint), graph)  # a malformed address or graph is refused before any work
        compiled = self._store_engine().compiled  # a knowledge base with problems is refused before anything is sent
        target = f"graph {graph}" if graph else "the default graph"
        before = graph_content(endpoint, graph, timeout)
        if not overwrite and not before.empty:
            raise EndpointError(f"--no-overwrite: {target} at {before.url} {before.describe()}; nothing was sent")
        pushing = Pushed(target, before.url, before.describe(), len(compiled.store))
        if before_sending is not None:
            before_sending(pushing)
        with streamed_ntriples(compiled) as ntriples:  # written while it is sent: no temporary dump
            url = push(ntriples, endpoint, graph, timeout)
        return Pushed(target, url, pushing.before, pushing.triples)

    # -- curation --------------------------------------------------------------------------------

    def curated_root(self) -> Path:
        """The knowledge base folder, for what writes into it: never the copy shipped with the tool."""
        if self.chosen.reason == SHIPPED:
            raise UsageError(
                "this command writes into the knowledge base you curate: run it inside the folder tree that "
                "holds it (kg/sources.yaml), or name it with --kg"
            )
        return self.root

    def suggest(self, article: str | Path, source: str | None = None) -> tuple[Source, Drafted]:
        """Draft assertions (and the new entities they name) from ``article``, the text of
        ``source`` (default: the source whose file it is); drafts already in the files count."""
        from .loading import load
        from .suggest import suggest_for_source

        return suggest_for_source(load(self.root, with_drafts=True), Path(article), source)

    def append_drafts(self, path: str | Path, source: Source, drafted: Drafted) -> Path:
        """Append what :meth:`suggest` drafted to the YAML file ``path``, commented out, without
        changing what the file says."""
        from .suggest import append_drafts

        return append_drafts(Path(path), drafted.assertions, source.id, drafted.entities)

    def add(self, article: str | Path, details: ArticleDetails) -> Added:
        """Add an article: copy it beside the knowledge base, write its source record and its drafts."""
        from .articles import add_article

        return add_article(self.curated_root(), Path(article), details)

    def annotate_schemas(self, folder: str | Path | None = None) -> Annotated:
        """Add or update the ``# yaml-language-server: $schema=`` line of every file, pointing at
        the schemas in ``folder`` (default: ``schemas/`` beside the knowledge base, written when missing)."""
        from .schema import annotate

        return annotate(self.curated_root(), Path(folder) if folder is not None else None)

    def drafts(self) -> list[Marked]:
        """The records marked for review, by file and line."""
        from .review import marked_records

        return marked_records(self.root)

    def accept(self, ids: Iterable[str] = (), everything: bool = False) -> list[Marked]:
        """Accept drafts as they stand in their files (their review lines are deleted)."""
        from .review import accept

        if everything and ids:
            raise UsageError("give draft ids or --all, not both")
        return accept(self.curated_root(), ids, everything)

    def drop(self, ids: Iterable[str]) -> tuple[list[Marked], list[tuple[str, str]]]:
        """Drop drafts (their records are deleted); also the assertions that still name a dropped
        entity, as (assertion, entity) pairs."""
        from .review import drop, referring

        dropped = drop(self.curated_root(), ids)
        entities = {record.id for record in dropped if record.section == "entities"}
        return dropped, referring(self.root, entities) if entities else []

    # -- the cache -------------------------------------------------------------------------------

    def cache_info(self) -> dict:
        """Where the compiled store is cached, how big it is and whether it is up to date."""
        from .store import cache_summary

        return cache_summary(self.root)

    def clear_cache(self, everything: bool = False) -> ClearedCaches:
        """Delete the compiled store (with ``everything``, every knowledge base's); only folders
        alliancegraph made are deleted, the others are left and named."""
        from .cache import cache_dir_for, cache_root, clear, clear_all, unclaimed

        self.close()
        own = cache_dir_for(self.root)
        removed = clear_all() if everything else [folder for folder in [own] if clear(folder)]
        left = unclaimed(cache_root()) if everything else [f for f in [own] if f.exists() and f not in removed]
        return ClearedCaches(removed, left)
