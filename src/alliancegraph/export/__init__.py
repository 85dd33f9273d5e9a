"""Exports: the knowledge base as Turtle, JSON-LD, N-Triples, GraphML, GEXF and Gephi CSV.

One registry, :data:`FORMATS`, names every format with the module that writes
it, its file name in ``alliancegraph build``'s folder and whether it is RDF or
a network; the CLI's choices, ``build`` and the tests all read it. Writers are
imported only when used.

>>> import alliancegraph, datetime
>>> from alliancegraph.export import Filters, export
>>> kb = alliancegraph.load()
>>> paths = export(kb, "gexf", "alignment.gexf", Filters(as_of=datetime.date(2025, 5, 1)))  # doctest: +SKIP

RDF formats always keep denied and contested assertions (their statement
nodes carry polarity and modality; only facts get the direct triple); network
formats leave them out unless ``Filters(include_contested=True)``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..resolve import did_you_mean

if TYPE_CHECKING:
    from ..model import KnowledgeBase
    from ..selection import Filters, Selection, select

__all__ = ["ExportFormat", "FORMATS", "Filters", "Selection", "build_all", "export", "generate", "get_format", "select"]

#: What this package passes on from :mod:`alliancegraph.selection`, imported when first asked for:
#: the command line reads :data:`FORMATS` at every start-up, and only an export selects.
_FROM_SELECTION = ("Filters", "Selection", "select")


def __getattr__(name: str) -> object:
    if name in _FROM_SELECTION:
        from .. import selection

        return getattr(selection, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class ExportFormat:
    """One export format: where its writer lives and what it writes."""

    name: str
    module: str  # under alliancegraph.export; defines write_<name> and, for files, generate_<name>
    filename: str  # in build's output folder (a folder name when ``folder``)
    kind: str  # "rdf" or "network"
    description: str
    folder: bool = False
    options: tuple[str, ...] = ()  # keyword options the writer accepts

    @property
    def is_rdf(self) -> bool:
        return self.kind == "rdf"

    def filters_for(self, filters: Filters | None) -> Filters:
        """The filters this format applies: RDF always keeps contested assertions."""
        from ..selection import Filters

        filters = filters or Filters()
        return replace(filters, include_contested=True) if self.is_rdf else filters

    def writer(self) -> Callable[..., list[Path]]:
        return self._function("write")

    def generator(self) -> Callable[..., Iterator[str]]:
        if self.folder:
            raise UsageError(f"{self.name} writes a folder of files ({self.filename}/); name it with -o")
        return self._function("generate")

    def _function(self, verb: str) -> Callable:
        module = importlib.import_module(f"{__name__}.{self.module}")
        return getattr(module, f"{verb}_{self.name}")


#: What the network writers take: node colours (not in CSV), entities no edge
#: touches, and every edge directed for readers that refuse mixed graphs.
NETWORK_OPTIONS = ("color_by", "keep_isolated", "all_directed")

FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in [
        ExportFormat("turtle", "turtle", "graph.ttl", "rdf", "RDF as Turtle, with the project's prefixes"),
        ExportFormat("jsonld", "jsonld", "graph.jsonld", "rdf", "RDF as JSON-LD, with an @context"),
        ExportFormat("ntriples", "ntriples", "graph.nt", "rdf", "RDF as sorted N-Triples"),
        ExportFormat("graphml", "graphml", "graph.graphml", "network", "GraphML with typed keys", options=NETWORK_OPTIONS),
        ExportFormat("gexf", "gexf", "graph.gexf", "network", "GEXF 1.3 for Gephi, dynamic", options=NETWORK_OPTIONS),
        ExportFormat(
            "csv", "gephi_csv", "csv", "network", "nodes.csv and edges.csv for Gephi", folder=True,
            options=("keep_isolated", "all_directed"),
        ),
    ]
}


def get_format(name: str) -> ExportFormat:
    """The format called ``name``; an unknown name lists the valid ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(
            f"unknown export format {name!r}{did_you_mean(name, FORMATS)}; choose from {', '.join(FORMATS)}"
        ) from None


def _options(spec: ExportFormat, options: dict) -> dict:
    return {k: v for k, v in options.items() if k in spec.options}


def export(kb: KnowledgeBase, fmt: str, path: Path | str, filters: Filters | None = None, **options) -> list[Path]:
    """Write ``kb`` as ``fmt`` to ``path`` (a folder for folder formats); return the paths written.

    ``options`` a format does not take (``color_by``, ``keep_isolated`` and
    ``all_directed`` for RDF, ``color_by`` for CSV) are ignored.
    """
    from ..selection import select

    spec = get_format(fmt)
    return spec.writer()(select(kb, spec.filters_for(filters)), path, **_options(spec, options))


def generate(kb: KnowledgeBase, fmt: str, filters: Filters | None = None, **options) -> Iterator[str]:
    """``kb`` as ``fmt`` text, in chunks (for standard output); folder formats raise :class:`UsageError`."""
    from ..selection import select

    spec = get_format(fmt)
    generator = spec.generator()
    return generator(select(kb, spec.filters_for(filters)), **_options(spec, options))


def build_all(kb: KnowledgeBase, folder: Path | str, filters: Filters | None = None, **options) -> list[Path]:
    """Write every format into ``folder`` under its registered file name; return the paths written."""
    folder = Path(folder)
    return [path for spec in FORMATS.values() for path in export(kb, spec.name, folder / spec.filename, filters, **options)]
