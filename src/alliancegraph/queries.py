"""Saved queries: files a user could have written, loaded, described and run.

Two kinds of file live in a queries folder, each named after its query:

``NAME.rq``
    A SPARQL 1.1 SELECT query in grlc's conventions, so that the folder can
    be served as a web API by grlc and run unchanged on any SPARQL engine:
    ``#+ `` decorator lines at the top hold YAML (``summary``, ``description``,
    ``tags``), and parameters are variables named ``?_name_iri`` (an entity,
    required) or ``?__name_iri`` (optional), plus ``?_asof_xsd_date``, the
    as-of date. alliancegraph adds one decorator grlc ignores, ``lists``: the
    columns that hold space-separated ids (from ``GROUP_CONCAT`` or
    ``CONCAT``) and come back as sorted lists.

``NAME.py``
    A Python module for what SPARQL does badly (paths, communities): its
    docstring's first paragraph is the summary and the rest the description;
    ``COLUMNS`` names the keys of its rows; ``run(graph, ...)`` takes the
    networkx graph (the network's ties instead when the argument is annotated
    ``TieTable``, see :mod:`alliancegraph.tie_table`), then one argument per
    entity annotated :data:`EntityId` (optional when it defaults to None), and
    ``as_of`` when it honours the as-of date, and returns or yields rows.

Describing a query (``--list``, ``--help``) reads the file without running
it; a Python file is imported only when its query runs, and only from the
built-in folder or a folder the user names.

Entity arguments are resolved to entities by id, label or alias and bound as
IRIs (SPARQL) or passed as ids (Python), never pasted into query text. When
no as-of date is given, the query runs as of today (:func:`alliancegraph.asof.answer_day`).
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import hashlib
import importlib.util
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, ClassVar, NewType

from .asof import AS_OF_VARIABLE, answer_day
from .cache import SAVED_QUERIES, cache_root, dump_marshal, read_marshal
from .engine import Engine, QueryError, Term, date_term, entity_term, projected_variables, variables
from .errors import UsageError
from .files import RefusedRead, read_limited, write_atomic
from .paths import builtin_queries
from .resolve import Voice, did_you_mean, voice_of
from .vocabulary import PREFIXES

if TYPE_CHECKING:
    from .findings import Answer

__all__ = [
    "EntityId",
    "Parameter",
    "PythonQuery",
    "QueryError",
    "SavedQuery",
    "SparqlQuery",
    "adhoc_query",
    "get_query",
    "load_queries",
    "read_query",
    "run_query",
    "sparql_text",
]

#: The type of an entity argument of a Python query: the entity's id.
EntityId = NewType("EntityId", str)

#: The name of the Python argument that takes the as-of date (SPARQL's is asof.AS_OF_VARIABLE).
AS_OF_ARGUMENT = "as_of"

#: The longest query text read, from a file or standard input: far beyond any real query,
#: small enough that a stray device or log file is refused before it fills memory.
MAX_QUERY_BYTES = 2**20

# grlc: ?_name or ?__name (optional), then an optional _type such as _iri or _xsd_date.
GRLC_PARAMETER = re.compile(r"^_(?P<optional>_?)(?P<name>[A-Za-z0-9]+)(?:_(?P<type>[A-Za-z0-9_]+))?$")
# A Python argument annotated EntityId (or EntityId | None, or queries.EntityId).
ENTITY_ANNOTATION = re.compile(r"(?:\w+\.)*EntityId(?: \| None)?")
# run's first argument annotated TieTable (or tie_table.TieTable): it reads the network's ties, not the graph.
TIES_ANNOTATION = re.compile(r"(?:\w+\.)*TieTable")


@dataclass(frozen=True)
class Parameter:
    """An entity a query asks for."""

    name: str
    required: bool = True
    variable: str | None = None  # the SPARQL variable it is bound to (without '?')
    #: An actor as ties count it: a person or government body given here is answered
    #: for the state or body it speaks for (see :func:`alliancegraph.resolve.voice_of`).
    speaks_for: bool = False

    @property
    def metavar(self) -> str:
        return self.name.upper()


@dataclass(frozen=True, kw_only=True)
class SavedQuery(ABC):
    """A query with its description; :meth:`run` answers it against an engine."""

    name: str
    path: Path | None
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    columns: tuple[str, ...] = ()
    takes_as_of: bool = False
    finding: tuple[str, ...] = ()  # the columns that, with the side taken, identify a finding
    lists: tuple[str, ...] = ()  # columns holding lists of ids

    kind: ClassVar[str]  # "SPARQL" or "Python", as listings show it

    def run(
        self, engine: Engine, arguments: Mapping[str, str | None] | None = None, as_of: dt.date | None = None,
        *, evidence: bool = True,
    ) -> Answer:
        """The rows answering this query.

        ``arguments`` maps parameter names to what the user typed (an id,
        label or alias); ``as_of`` defaults to today. Rows that state one
        finding are merged; the answer's ``evidence`` gives, for each row, the
        records of the assertions it rests on (see :mod:`alliancegraph.findings`),
        or is empty for every row when ``evidence`` is False (the rows alone, read sooner).
        """
        from .findings import with_evidence

        day = answer_day(as_of)
        entity_ids = self.resolve_arguments(engine, arguments or {})
        voices = self.voices(engine, entity_ids, day)
        entity_ids |= {name: voice.speaks_for.id for name, voice in voices.items() if voice.speaks_for is not None}
        answer = with_evidence(engine, self.execute(engine, entity_ids, day), self.finding, self.lists, evidence)
        # A person who held no office has ties only as themselves: say so when there are none.
        answer.notes = [voice.note for voice in voices.values() if voice.speaks_for is not None or not answer]
        answer.columns = list(self.columns)
        return answer

    def voices(self, engine: Engine, entity_ids: Mapping[str, str], day: dt.date) -> dict[str, Voice]:
        """For the arguments that name an actor as ties count it (``speaks_for``), the people
        and government bodies among them, with whom they speak for on ``day``."""
        asked = [p.name for p in self.parameters if p.speaks_for and p.name in entity_ids]
        kinds = ("person", "government-body")
        if not any(engine.entities[entity_ids[name]].type in kinds for name in asked):
            return {}
        kb = engine.knowledge_base()
        if kb is None:
            return {}
        found = {name: voice_of(kb, entity_ids[name], day) for name in asked}
        return {name: voice for name, voice in found.items() if voice is not None}

    def resolve_arguments(self, engine: Engine, arguments: Mapping[str, str | None]) -> dict[str, str]:
        """Entity ids for the arguments given, after checking they are the ones asked for."""
        known = {p.name: p for p in self.parameters}
        for name in arguments:
            if name not in known:
                raise QueryError(f"query {self.name!r} takes no argument {name!r}; it takes: {self.signature or 'none'}")
        for parameter in self.parameters:
            if parameter.required and arguments.get(parameter.name) is None:
                raise QueryError(f"query {self.name!r} needs {parameter.metavar}: {self.signature}")
        return {name: engine.resolve(value).id for name, value in arguments.items() if value is not None}

    @property
    def signature(self) -> str:
        """The parameters as a usage line shows them: ``ACTOR [--other OTHER]``."""
        return " ".join(p.metavar if p.required else f"[--{p.name} {p.metavar}]" for p in self.parameters)

    @abstractmethod
    def execute(self, engine: Engine, entity_ids: Mapping[str, str], as_of: dt.date) -> list[dict]:
        """Rows for resolved arguments."""


@dataclass(frozen=True, kw_only=True)
class SparqlQuery(SavedQuery):
    text: str
    prefixes: tuple[tuple[str, str], ...] = ()  # declared for the query (saved files declare their own)

    kind = "SPARQL"

    def execute(self, engine: Engine, entity_ids: Mapping[str, str], as_of: dt.date) -> list[dict]:
        bindings: dict[str, Term] = {
            p.variable: entity_term(entity_ids[p.name]) for p in self.parameters if p.variable and p.name in entity_ids
        }
        if self.takes_as_of:
            bindings[AS_OF_VARIABLE] = date_term(as_of)
        return [self.shape(row) for row in engine.select(self.text, bindings, dict(self.prefixes))]

    def shape(self, row: dict) -> dict:
        """The row with its list columns split into sorted lists of distinct ids."""
        for column in self.lists:
            row[column] = sorted(set((row.get(column) or "").split()))
        return row


@dataclass(frozen=True, kw_only=True)
class PythonQuery(SavedQuery):
    kind = "Python"
    reads_ties: bool = False  # run() takes the network's ties (alliancegraph.tie_table) instead of the graph

    def execute(self, engine: Engine, entity_ids: Mapping[str, str], as_of: dt.date) -> list[dict]:
        keywords: dict[str, object] = dict(entity_ids)
        if self.takes_as_of:
            keywords[AS_OF_ARGUMENT] = as_of
        network = engine.tie_table() if self.reads_ties else engine.network()
        return [dict(row) for row in self.function()(network, **keywords)]

    def function(self) -> Callable[..., Iterable[dict]]:
        assert self.path is not None
        return _load_run_function(self.path)


# -- reading query files ---------------------------------------------------------------


def read_query(path: Path) -> SavedQuery:
    """The saved query in ``path`` (``.rq`` or ``.py``), described but not run."""
    reader = READERS.get(path.suffix)
    if reader is None:
        raise QueryError(f"{path}: not a saved query (expected {' or '.join(READERS)})")
    return reader(path, read_query_file(path))


def read_query_file(path: Path) -> str:
    """The UTF-8 text of a query file: a regular file of at most :data:`MAX_QUERY_BYTES`."""
    try:
        return read_limited(path, MAX_QUERY_BYTES).decode("utf-8")
    except RefusedRead as refused:
        raise QueryError(f"{path}: cannot read: {refused.strerror}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise QueryError(f"{path}: cannot read: {error}") from None


def read_query_stream(stream: IO[str], name: str = "standard input") -> str:
    """The query text on ``stream``, refused when longer than :data:`MAX_QUERY_BYTES` characters."""
    text = stream.read(MAX_QUERY_BYTES + 1)
    if len(text) > MAX_QUERY_BYTES:
        raise UsageError(f"the query on {name} is longer than {MAX_QUERY_BYTES // 2**20} MiB")
    return text


def read_sparql_query(path: Path, text: str) -> SparqlQuery:
    decorators = read_decorators(path, text)
    summary = decorators.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        raise QueryError(f"{path}: missing '#+ summary: ...' (one line saying what the query answers)")
    parameters, takes_as_of = sparql_parameters(path, text)
    columns = tuple(projected_variables(text) or ())
    lists = tuple(_strings(path, decorators, "lists"))
    finding = tuple(_strings(path, decorators, "finding"))
    for key, named in (("lists", lists), ("finding", finding)):
        unknown = [c for c in named if c not in columns]
        if unknown:
            raise QueryError(f"{path}: '#+ {key}' names {', '.join(unknown)}, which the query does not select")
    parameters = _speaking_for(path, parameters, _strings(path, decorators, "speaks_for"), "'#+ speaks_for'")
    return SparqlQuery(
        name=path.stem,
        path=path,
        summary=" ".join(summary.split()),
        description=str(decorators.get("description") or "").strip(),
        tags=tuple(_strings(path, decorators, "tags")),
        parameters=parameters,
        columns=columns,
        takes_as_of=takes_as_of,
        text=text,
        lists=lists,
        finding=finding,
    )


def _speaking_for(path: Path, parameters: tuple[Parameter, ...], names: Iterable[str], where: str):
    """The parameters with those named in ``speaks_for`` (``SPEAKS_FOR``) marked as actors."""
    names = list(names)
    unknown = [n for n in names if n not in {p.name for p in parameters}]
    if unknown:
        raise QueryError(f"{path}: {where} names {', '.join(unknown)}, which the query does not take")
    return tuple(replace(p, speaks_for=p.name in names) for p in parameters)


def read_decorators(path: Path, text: str) -> dict:
    """The YAML of the ``#+`` lines at the top of a ``.rq`` file (grlc's decorators).

    Decorators parsed before are taken from the cache root's file of them (see
    :mod:`alliancegraph.cache`), by the digest of their text: importing PyYAML
    took a warm query more time than all else it does beside the engine.
    """
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    if not lines:
        return {}
    source = "\n".join(lines)
    key = hashlib.sha256(f"{DECORATORS_READ_BY}\n{source}".encode()).hexdigest()
    parsed = _parsed_decorators()
    decorators = parsed.get(key)
    if decorators is None:
        decorators = _parse_decorators(path, source)
        _keep_parsed_decorators(parsed, key, decorators)
    if not isinstance(decorators, dict):
        raise QueryError(f"{path}: the '#+' decorators must be 'key: value' lines")
    return decorators


#: How decorators are parsed, part of the key each parsed text is kept under: change it with
#: :func:`_parse_decorators`, and what the former parser made of a text is never taken for the new one's.
DECORATORS_READ_BY = "yaml.safe_load"
#: The most decorator texts kept parsed, the last read (an edited query file adds one).
KEPT_DECORATORS = 256


def _parse_decorators(path: Path, source: str) -> object:
    import yaml

    try:
        return yaml.safe_load(source)
    except yaml.YAMLError as error:
        raise QueryError(f"{path}: malformed '#+' decorators: {' '.join(str(error).split())}") from None


def _parsed_decorators() -> dict:
    """The decorator texts parsed before, by key (see :func:`read_decorators`); none when the file is
    missing or damaged."""
    parsed = read_marshal(cache_root() / SAVED_QUERIES)
    return parsed if isinstance(parsed, dict) else {}


def _keep_parsed_decorators(parsed: dict, key: str, decorators: object) -> None:
    """Add a text's decorators to the file of those parsed before, when the cache root exists (made
    with a knowledge base's cache, never for this file alone). Decorators marshal cannot hold (a
    YAML date), or a cache that cannot be written, leave them to be parsed again next time."""
    root = cache_root()
    kept = dict(list(parsed.items())[-(KEPT_DECORATORS - 1):])
    kept[key] = decorators
    with contextlib.suppress(OSError, ValueError):
        if root.is_dir():
            write_atomic(root / SAVED_QUERIES, dump_marshal(kept), durable=False)


def _strings(path: Path, decorators: dict, key: str) -> list[str]:
    value = decorators.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise QueryError(f"{path}: '#+ {key}' must be a list of names")
    return value


def sparql_parameters(path: Path, text: str) -> tuple[tuple[Parameter, ...], bool]:
    """The entity parameters of a query, in order of first appearance, and whether it takes the as-of date."""
    parameters: list[Parameter] = []
    takes_as_of = False
    for variable in variables(text):
        if not variable.startswith("_"):
            continue
        match = GRLC_PARAMETER.match(variable)
        if match is None:
            raise QueryError(
                f"{path}: ?{variable}: grlc parameters are ?_name or ?_name_type, the name letters and digits only"
            )
        name, kind = match["name"], match["type"]
        if f"_{name}_{kind}" == AS_OF_VARIABLE:
            takes_as_of = True
        elif kind == "iri":
            parameters.append(Parameter(name, required=not match["optional"], variable=variable))
        else:
            raise QueryError(
                f"{path}: ?{variable}: alliancegraph binds entities (?_name_iri) and the as-of date "
                f"(?{AS_OF_VARIABLE}) only"
            )
    return tuple(parameters), takes_as_of


def read_python_query(path: Path, text: str) -> PythonQuery:
    """A Python query described from its source (nothing is imported)."""
    try:
        module = ast.parse(text, filename=str(path))
    except SyntaxError as error:
        raise QueryError(f"{path}:{error.lineno}: invalid Python: {error.msg}") from None
    docstring = ast.get_docstring(module)
    if not docstring:
        raise QueryError(f"{path}: missing a module docstring (its first line is the query's summary)")
    summary, _, description = docstring.partition("\n\n")
    run = _run_function(path, module)
    parameters, takes_as_of = python_parameters(path, run)
    columns = _python_names(path, module, "COLUMNS", required=True)
    finding = _python_names(path, module, "FINDING", required=False)
    parameters = _speaking_for(path, parameters, _python_names(path, module, "SPEAKS_FOR", required=False), "SPEAKS_FOR")
    unknown = [c for c in finding if c not in columns]
    if unknown:
        raise QueryError(f"{path}: FINDING names {', '.join(unknown)}, which are not in COLUMNS")
    return PythonQuery(
        name=path.stem,
        path=path,
        summary=" ".join(summary.split()),
        description=description.strip(),
        parameters=parameters,
        columns=columns,
        takes_as_of=takes_as_of,
        finding=finding,
        reads_ties=_reads_ties(run),
    )


def _reads_ties(run: ast.FunctionDef) -> bool:
    """Whether ``run`` annotates its first argument (:func:`python_parameters` checked it has one) TieTable."""
    annotation = run.args.args[0].annotation
    return annotation is not None and TIES_ANNOTATION.fullmatch(ast.unparse(annotation)) is not None


def _run_function(path: Path, module: ast.Module) -> ast.FunctionDef:
    for node in module.body:
        if isinstance(node, ast.FunctionDef) and node.name == "run":
            return node
    raise QueryError(f"{path}: missing 'def run(graph, ...)', the function that answers the query")


def _python_names(path: Path, module: ast.Module, name: str, required: bool) -> tuple[str, ...]:
    """A module-level tuple of column names (COLUMNS, FINDING), read without running the module."""
    for node in module.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            try:
                names = ast.literal_eval(node.value)
            except ValueError:
                names = None
            if isinstance(names, (tuple, list)) and all(isinstance(c, str) for c in names):
                return tuple(names)
            raise QueryError(f"{path}: {name} must be a tuple of column names")
    if required:
        raise QueryError(f"{path}: missing {name} = (...), the names of the keys of its rows")
    return ()


def python_parameters(path: Path, function: ast.FunctionDef) -> tuple[tuple[Parameter, ...], bool]:
    """The entity parameters of ``run`` after the graph, and whether it takes ``as_of``."""
    arguments = function.args
    if arguments.vararg or arguments.kwarg or arguments.posonlyargs:
        raise QueryError(f"{path}: run() takes named arguments only (no *args, **kwargs or '/')")
    named = arguments.args + arguments.kwonlyargs
    if not arguments.args:
        raise QueryError(f"{path}: run() must take the graph as its first argument")
    with_default = {a.arg for a in arguments.args[len(arguments.args) - len(arguments.defaults) :]}
    with_default |= {a.arg for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None}
    parameters: list[Parameter] = []
    takes_as_of = False
    for argument in named[1:]:
        annotation = ast.unparse(argument.annotation) if argument.annotation else ""
        if argument.arg == AS_OF_ARGUMENT:
            takes_as_of = True
        elif ENTITY_ANNOTATION.fullmatch(annotation):
            parameters.append(Parameter(argument.arg, required=argument.arg not in with_default))
        else:
            raise QueryError(f"{path}: run() argument {argument.arg!r} must be annotated EntityId, or be 'as_of'")
    return tuple(parameters), takes_as_of


@cache
def _load_run_function(path: Path) -> Callable[..., Iterable[dict]]:
    """Import a Python query file (once) and return its ``run``."""
    module_name = "alliancegraph_saved_query_" + re.sub(r"\W", "_", path.stem)
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.run


READERS: dict[str, Callable[[Path, str], SavedQuery]] = {".rq": read_sparql_query, ".py": read_python_query}


# -- the registry --------------------------------------------------------------------------


def load_queries(folders: Iterable[Path] = ()) -> dict[str, SavedQuery]:
    """The built-in queries, then those in ``folders``, by name.

    A name may be defined once: a user's query cannot silently replace a
    built-in one. Files whose name starts with '_' or '.' are skipped.
    """
    queries: dict[str, SavedQuery] = {}
    seen: set[Path] = set()
    for folder in [builtin_queries(), *map(Path, folders)]:
        if not folder.is_dir():
            raise QueryError(f"{folder}: no such folder of queries")
        if folder.resolve() in seen:
            continue
        seen.add(folder.resolve())
        for path in query_files(folder):
            query = read_query(path)
            if query.name in queries:
                raise QueryError(f"{path}: query {query.name!r} is already defined in {queries[query.name].path}")
            queries[query.name] = query
    return queries


def query_files(folder: Path) -> list[Path]:
    """The files of saved queries in ``folder``, sorted (names starting with '_' or '.' are skipped)."""
    return [path for path in sorted(folder.iterdir()) if path.suffix in READERS and not path.name.startswith(("_", "."))]


def load_builtin_query(name: str) -> SavedQuery:
    """``get_query(load_queries(), name)``, reading only the file of the built-in query ``name``."""
    files = [path for path in query_files(builtin_queries()) if path.stem == name]
    if len(files) == 1:
        return read_query(files[0])
    return get_query(load_queries(), name)  # no such query, or one defined twice: the error that says so


def get_query(queries: Mapping[str, SavedQuery], name: str) -> SavedQuery:
    """The query called ``name``; an unknown name is an error listing the available ones."""
    if name in queries:
        return queries[name]
    raise QueryError(f"unknown query {name!r}{did_you_mean(name, queries)}; available: {', '.join(sorted(queries))}")


def run_query(
    engine: Engine,
    name: str,
    arguments: Mapping[str, str | None] | None = None,
    as_of: dt.date | None = None,
    folders: Iterable[Path] = (),
) -> list[dict]:
    """Answer a saved query by name: ``run_query(LocalEngine(kb), "who-aligns-with", {"actor": "Serbia"})``."""
    return get_query(load_queries(folders), name).run(engine, arguments, as_of)


# -- ad-hoc SPARQL ---------------------------------------------------------------------------

def adhoc_query(sparql: str) -> SparqlQuery:
    """An ad-hoc SELECT query as a saved query without parameters.

    The project's prefixes (``ag:``, ``id:``, ``rel:``, ``xsd:``, …) are
    declared for it; its variables are never bound, whatever their names.
    """
    if not sparql.strip():
        raise QueryError("the query is empty")
    unbound = [v for v in variables(sparql) if v.startswith("_")]
    if unbound:
        # grlc parameters: without a value the query answers nothing, silently.
        names = ", ".join(f"?{v}" for v in unbound)
        raise QueryError(f"the query has grlc parameters that nothing binds here: {names}; "
                         f"run a saved query with `alliancegraph query NAME ARGS`, which binds them{_saved_hint(sparql)}")
    return SparqlQuery(
        name="sparql",
        path=None,
        summary="An ad-hoc query",
        text=sparql,
        columns=tuple(projected_variables(sparql) or ()),
        prefixes=tuple(PREFIXES.items()),
    )


def _saved_hint(sparql: str) -> str:
    """' (this is `alliancegraph query who-aligns-with ACTOR`)' when the text is a saved query's."""
    for query in load_queries().values():
        if isinstance(query, SparqlQuery) and query.text == sparql:
            return f" (this is `alliancegraph query {query.name}{' ' + query.signature if query.signature else ''}`)"
    return ""


def sparql_text(argument: str) -> str:
    """The query a command-line argument gives: its text, or the contents of the file it names."""
    path = Path(argument)
    if _path_is(path.is_file):
        return read_query_file(path)
    if "{" not in argument:  # every SELECT query has a pattern in braces: this was meant as a file
        folder = argument != "" and _path_is(path.is_dir)
        what = "a folder, not a query file" if folder else "no such query file, and not a SPARQL query"
        raise QueryError(f"{argument!r}: {what}")
    return argument


def _path_is(test: Callable[[], bool]) -> bool:
    """``path.is_file()`` or ``path.is_dir()``, False for a name too long or impossible to look up (query text)."""
    try:
        return test()
    except (OSError, ValueError):
        return False
