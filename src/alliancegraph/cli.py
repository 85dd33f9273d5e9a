"""The ``alliancegraph`` command line: a thin layer over the library.

Each command parses its options, makes one call on the
:class:`~alliancegraph.workspace.Workspace` the group opens (the library's
front door: which knowledge base, store or files, the engine, every
computation) and renders the result. From the rest of the package this
module imports only what parses options (their choices and value types)
and what formats results (tables, text, JSON); a test holds it to that.
Library errors become ``Error: ...`` on stderr in one place (:class:`Group`);
data goes to stdout.
"""

from __future__ import annotations

import errno
import functools
import json
import sys
from pathlib import Path
from typing import cast

import click

from .asof import ANSWER_HELP, EXPORT_HELP
from .errors import EXIT_INTERNAL, AllianceGraphError, KnowledgeBaseError
from .export import FORMATS as EXPORT_FORMATS
from .paths import KG_ENV
from .render import FORMATS, render
from .text import clip, one_line
from .version import __version__
from .workspace import Workspace, open_workspace

#: Set (to anything but "" or 0) to see the traceback of an internal error, as --debug does.
DEBUG_ENV = "ALLIANCEGRAPH_DEBUG"


class Group(click.Group):
    """Turns library errors into one-line messages and exit codes, for every command.

    An error nobody expected is not passed off as a data error: it exits with
    :data:`EXIT_INTERNAL` and one line saying how to see its traceback.
    Standard output that cannot take the answer (a full disk) is one line too,
    and a reader that went away (a broken pipe) ends the command quietly.
    """

    def invoke(self, ctx: click.Context):
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk shows here, not after the command has reported success
            return result
        except KnowledgeBaseError as error:
            click.echo(error.report(), err=True)
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)
        except AllianceGraphError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except OSError as error:
            if error.errno == errno.EPIPE:
                raise  # click ends the command quietly, with exit status 1
            if not _from_output(error):
                self._internal_error(ctx, error)
            _discard_output()
            click.echo(f"Error: cannot write the output: {(error.strerror or str(error)).lower()}", err=True)
            ctx.exit(1)
        except Exception as error:
            self._internal_error(ctx, error)

    @staticmethod
    def _internal_error(ctx: click.Context, error: Exception) -> None:
        import os

        if ctx.params.get("debug") or os.environ.get(DEBUG_ENV, "") not in ("", "0"):
            raise error
        what = one_line(f"{type(error).__name__}: {error}", 160)
        click.echo(
            f"Error: internal error ({what}). This is a bug in alliancegraph, not in your data: "
            f"run again with --debug (or {DEBUG_ENV}=1) to see the traceback, and report it.",
            err=True,
        )
        ctx.exit(EXIT_INTERNAL)


def _from_output(error: OSError) -> bool:
    """Whether ``error`` came from writing the command's output (``click.echo`` or the final flush)."""
    import traceback

    if error.filename is not None:
        return False
    frames = [frame.f_code for frame, _ in traceback.walk_tb(error.__traceback__)]
    return frames[-1:] == [Group.invoke.__code__] or click.utils.echo.__code__ in frames


def _discard_output() -> None:
    """Point standard output at the null device, so that what is still buffered is not
    written (and failed) again when Python exits."""
    import os

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # not a real file (a test runner's buffer)
        pass


class PathParameter(click.Path):
    """A path option or argument. An empty value is refused (pathlib would read it as the
    working directory, so `-o "$UNSET"` would write there), and so is a name the system
    cannot look up (too long, a symlink loop), before any command touches it."""

    def convert(self, value, param, ctx):
        import os

        if isinstance(value, str) and value == "":
            self.fail("an empty path names no file or folder", param, ctx)
        try:
            os.stat(value)
        except (FileNotFoundError, NotADirectoryError):
            pass  # not there yet: the command creates it, or click says it is missing
        except OSError as error:
            self.fail(f"{clip(str(value), 60)!r}: {(error.strerror or str(error)).lower()}", param, ctx)
        return super().convert(value, param, ctx)


def format_option(choices=FORMATS, help: str | None = "Output format.", columns: bool = True):
    """--format and, for listings of rows, --columns to pick and order their columns."""

    def decorate(command):
        if columns:
            command = click.option(
                "--columns",
                metavar="A,B",
                callback=_column_names,
                help="Only these columns, in this order (comma-separated).",
            )(command)
        return click.option("--format", "fmt", type=click.Choice(choices), default="table", show_default=True, help=help)(command)

    return decorate


def _column_names(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise click.BadParameter("name at least one column")
    return names


def evidence_option(command):
    return click.option(
        "--evidence",
        is_flag=True,
        help="Show the evidence of every row: quote, speaker and office, modality, source title and date.",
    )(command)


def echo_answer(answer, fmt: str, chosen, evidence: bool) -> None:
    """A query's rows with their evidence (JSON always has the compact list) on standard output."""
    from .findings import assertion_columns, evidence_view

    rows, columns = answer, answer.columns
    if assertion_columns(columns):
        rows, columns = evidence_view(answer, columns, fmt, evidence)
    elif evidence:
        raise click.UsageError("--evidence: this answer's rows name no assertion")
    echo_rows(rows, fmt, columns, chosen, below="evidence" if evidence else None)


def terminal_width() -> int | None:
    """The width of the terminal standard output is, or None for a pipe or a file (tables print whole)."""
    if not sys.stdout.isatty():
        return None
    import shutil  # only for a terminal: shutil's import is a noticeable part of a query's start-up

    return shutil.get_terminal_size().columns


def echo_rows(rows, fmt: str = "table", columns=None, chosen=None, below: str | None = None) -> None:
    """Rows on standard output, rendered as ``fmt`` (every listing goes through here).

    ``chosen`` are the columns --columns asked for, among ``columns``; a table
    on a terminal is fitted to its width.
    """
    from .render import select_columns, table

    rows = list(rows)
    shown = select_columns(list(columns or (rows[0].keys() if rows else ())), chosen)
    if fmt != "table":
        click.echo(render(rows, fmt, shown), nl=False)
        return
    fitted = table(rows, shown, terminal_width(), below if below in shown else None)
    click.echo(fitted.text, nl=False)
    if fitted.hidden:
        click.echo(f"(left out to fit the terminal: {', '.join(fitted.hidden)}; choose with --columns)", err=True)


class BuildProgress:
    """Progress bars on stderr for builds that take more than a moment, only on a terminal."""

    DELAY = 0.5  # seconds a stage runs before its bar appears

    def __init__(self):
        self.stage: str | None = None
        self.started = 0.0
        self.bar = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        import time

        if stage != self.stage:
            self.close()
            self.stage, self.started = stage, time.monotonic()
        if self.bar is None and time.monotonic() - self.started > self.DELAY and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label=f"{stage} the knowledge base", file=sys.stderr)
            self.bar.__enter__()
        if self.bar is not None:
            self.bar.update(done - self.bar.pos)
            if done >= total:
                self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def endpoint_options(command):
    """--endpoint, --graph and --timeout: answer from a SPARQL server instead of the local store;
    --allow-service: let the query call other servers."""
    options = [
        click.option(
            "--endpoint",
            metavar="URL",
            envvar="ALLIANCEGRAPH_ENDPOINT",
            help="Run the query on this SPARQL 1.1 endpoint (e.g. http://localhost:7878/query) instead of locally.",
        ),
        click.option("--graph", metavar="IRI", help="With --endpoint: query this named graph (sent as default-graph-uri)."),
        click.option("--timeout", type=Seconds(min=1, max=86400), default=60, show_default=True,
                     help="With --endpoint: seconds the whole exchange with the server may take (at most a day)."),
        click.option("--allow-service", is_flag=True,
                     help="Let the query call other SPARQL servers (SERVICE): off, since a query someone else wrote "
                     "could send requests from your machine."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


pass_workspace = click.make_pass_decorator(Workspace)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="alliancegraph")
@click.option(
    "--kg",
    type=PathParameter(path_type=Path),
    envvar=KG_ENV,
    help="Knowledge base folder (default: $ALLIANCEGRAPH_KG, else the kg/ folder holding sources.yaml in the "
    "working directory or the nearest folder above it, else the curated one shipped with the tool).",
)
@click.option("--verbose", "-v", is_flag=True, help="Say on standard error which knowledge base is used, and why.")
@click.option("--debug", is_flag=True, help=f"Show the traceback of an internal error (also: {DEBUG_ENV}=1).")
@click.pass_context
def main(ctx: click.Context, kg: Path | None, verbose: bool, debug: bool) -> None:
    """Turn curated news assertions on geopolitical alignment into a knowledge graph you can query and draw."""
    given = ctx.get_parameter_source("kg") == click.core.ParameterSource.ENVIRONMENT
    ctx.obj = open_workspace(kg, progress=BuildProgress(), named_by=f"${KG_ENV}" if given else "--kg")
    ctx.call_on_close(ctx.obj.close)
    if verbose:
        click.echo(f"Knowledge base: {ctx.obj.chosen.describe()}", err=True)


@main.command()
@click.option("--quiet", "-q", is_flag=True, help="Print nothing when the knowledge base is clean.")
@pass_workspace
def check(kg: Workspace, quiet: bool) -> None:
    """Validate the knowledge base and report every problem as file:line:column.

    Exit status: 0 when clean, 1 when the data has problems, 2 for usage errors.
    """
    if not quiet:
        click.echo(f"Knowledge base: {kg.chosen.describe()}")
    kb, problems = kg.check()
    if problems or kb is None:
        raise KnowledgeBaseError(problems)
    if not quiet:
        facts = sum(a.is_fact for a in kb.assertions)
        click.echo(
            f"{len(kb.files)} files: {len(kb.sources)} sources, {len(kb.entities)} entities, "
            f"{len(kb.assertions)} assertions ({facts} facts); no problems found."
        )


@main.command()
@click.option("--out", "-o", type=PathParameter(path_type=Path), default=Path("build"), show_default=True, help="Output folder.")
@pass_workspace
def build(kg: Workspace, out: Path) -> None:
    """Validate, compile and write the graph (graph.ttl and the other exports) into OUT."""
    for path in kg.build(out):
        click.echo(str(path))


class Seconds(click.FloatRange):
    """A number of seconds in a range; 'nan', which no comparison excludes, is refused too."""

    def convert(self, value, param, ctx):
        import math

        seconds = super().convert(value, param, ctx)
        if math.isnan(seconds):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        return seconds


@main.command()
@click.option("--endpoint", required=True, metavar="URL", help="A SPARQL 1.1 Graph Store endpoint, e.g. http://localhost:7878/store.")
@click.option("--graph", metavar="IRI", help="The named graph to replace (default: the server's default graph).")
@click.option("--no-overwrite", is_flag=True, help="Refuse to replace a graph that holds triples: upload only into an empty "
              "or new graph.")
@click.option(
    "--timeout", type=Seconds(min=1, max=86400), default=300, show_default=True,
        help="Seconds each exchange with the server (a look at the graph, then the upload) may take in all (at most a day)."
)
@pass_workspace
def push(kg: Workspace, endpoint: str, graph: str | None, no_overwrite: bool, timeout: float) -> None:
    """Upload the compiled graph to a SPARQL server, replacing one graph in a single request.

    It first says what the graph holds now (everything in it is replaced; a
    named graph with --graph leaves the others alone). Readers of the server
    see the old graph or the new one, never half of either; when the upload
    fails, the server keeps what it had.
    """

    def say(pushing) -> None:
        click.echo(f"Replacing {pushing.target} at {pushing.url}, {pushing.before}, with {pushing.triples:,} triples",
                   err=True)

    pushed = kg.push(endpoint, graph, timeout, overwrite=not no_overwrite, before_sending=say)
    click.echo(f"Replaced {pushed.target} at {pushed.url}", err=True)


@main.group()
def cache() -> None:
    """The compiled stores that make queries instant: where they are, and clearing them."""


@cache.command(name="info")
@format_option(["table", "json"], help=None, columns=False)
@pass_workspace
def cache_info(kg: Workspace, fmt: str) -> None:
    """Where the knowledge base's compiled store is cached, how big it is and whether it is up to date."""
    summary = kg.cache_info()
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2))
    else:
        echo_rows([{"key": k, "value": v} for k, v in summary.items()])


@cache.command(name="clear")
@click.option("--all", "everything", is_flag=True,
              help="Clear the caches of every knowledge base, and the saved queries' decorators kept parsed.")
@pass_workspace
def cache_clear(kg: Workspace, everything: bool) -> None:
    """Delete the compiled store of the knowledge base (or of all, with --all); it is rebuilt when next needed.

    Only what alliancegraph made (folders tagged with a CACHEDIR.TAG naming it, and its file of parsed
    saved queries) is deleted; anything else under the cache folder is left as it is, and named.
    """
    cleared = kg.clear_cache(everything)
    for folder in cleared.removed:
        click.echo(f"Removed {folder}", err=True)
    for folder in cleared.left:
        click.echo(f"Left {folder}: not a cache folder alliancegraph made", err=True)
    if not cleared.removed:
        click.echo("Nothing to clear.", err=True)


class AsOf(click.ParamType):
    """The day ``--as-of`` names, a full date: YYYY-MM-DD."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        from .dates import DateError, parse_iso_day

        try:
            return parse_iso_day(value)
        except DateError as error:
            self.fail(str(error), param, ctx)


def as_of_option(help: str = ANSWER_HELP):
    """--as-of, the same everywhere: the day a command answers for (see :mod:`alliancegraph.asof`)."""
    return click.option("--as-of", "as_of", type=AsOf(), help=help)


def _relation_names(ctx: click.Context, param: click.Parameter, value: str | None):
    from .selection import parse_relations

    try:
        return parse_relations(value or "")
    except AllianceGraphError as error:
        raise click.BadParameter(str(error)) from None


def filter_options(as_of_help: str):
    """The filters every export and drawing takes: --as-of, --around/--depth, --relations, --include-contested."""
    return functools.partial(_with_filter_options, as_of_help)


def _with_filter_options(as_of_help: str, command):
    options = [
        as_of_option(as_of_help),
        click.option("--around", metavar="ACTOR", help="Only the neighbourhood of ACTOR (id, name or alias)."),
        click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Steps from the --around actor."),
        click.option("--relations", metavar="A,B", callback=_relation_names, help="Only these relations, comma-separated."),
        click.option(
            "--include-contested",
            is_flag=True,
            help="Keep denied assertions, claims and opinions in networks and pictures (RDF always has them).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def filters_from(as_of, around, depth, relations, include_contested):
    from .selection import Filters

    return Filters(as_of=as_of, around=around, depth=depth, relations=relations, include_contested=include_contested)


def color_by_option(command):
    from .palette import COLOR_BY

    return click.option(
        "--color-by", type=click.Choice(COLOR_BY), default="type", show_default=True,
            help="Colour nodes by entity type or alignment bloc."
    )(command)


@main.command(name="export")
@click.option("--format", "-f", "fmt", type=click.Choice(list(EXPORT_FORMATS)), required=True, help="Export format.")
@click.option(
    "--out", "-o", type=PathParameter(path_type=Path), help="File to write (a folder for csv); default: standard output."
)
@color_by_option
@click.option("--keep-isolated", is_flag=True, help="Networks: keep the entities no exported edge touches.")
@click.option(
    "--all-directed",
    is_flag=True,
    help="Networks: write symmetric ties as directed edges too, for readers that refuse mixed graphs (networkx).",
)
@filter_options(EXPORT_HELP)
@pass_workspace
def export_command(kg: Workspace, fmt: str, out: Path | None, color_by: str, **options) -> None:
    """Export the graph as Turtle, JSON-LD, N-Triples, GraphML, GEXF or Gephi CSV.

    RDF formats keep every assertion with its polarity and modality; network
    formats leave out denials, claims and opinions unless --include-contested,
    and the entities no edge touches unless --keep-isolated.
    """
    writer_options = {name: options.pop(name) for name in ("keep_isolated", "all_directed")}
    chosen = filters_from(**options)
    if out is None:
        for chunk in kg.generate(fmt, chosen, color_by=color_by, **writer_options):
            click.echo(chunk, nl=False)
        return
    for path in kg.export(fmt, out, chosen, color_by=color_by, **writer_options):
        click.echo(str(path))


@main.command(name="draw")
@click.option(
    "--out",
    "-o",
    type=PathParameter(dir_okay=False, path_type=Path),
    help="Image to write: .png, .svg or .pdf  [default: KIND.png]",
)
@click.option("--kind", type=click.Choice(["network", "stance-matrix"]), default="network", show_default=True)
@color_by_option
@filter_options(ANSWER_HELP)
@pass_workspace
def draw_command(kg: Workspace, out: Path | None, kind: str, color_by: str, **filters) -> None:
    """Draw the alignment network, or the stance matrix (actors by issues), without Gephi.

    Needs matplotlib: pip install "alliancegraph[viz]".
    """
    click.echo(str(kg.draw(out or Path(f"{kind}.png"), kind, filters_from(**filters), color_by)))


def _search_words(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is not None and not value.split():
        raise click.BadParameter("give a word to search for")
    return value


def _entity_types():
    from .vocabulary import ENTITY_TYPES

    return list(ENTITY_TYPES)


@main.command()
@click.option("--search", metavar="TEXT", callback=_search_words,
    help="Only entities whose id, label, alias or Wikidata id holds every word of TEXT (case and accents ignored).")
@click.option("--type", "entity_type", type=click.Choice(_entity_types()), metavar="TYPE",
    help=f"Only entities of this type: {', '.join(_entity_types())}.")
@format_option()
@pass_workspace
def entities(kg: Workspace, search: str | None, entity_type: str | None, fmt: str, columns: list[str] | None) -> None:
    """List the entities of the knowledge base, or find them by name.

    With --search, those going by TEXT come first, then those with a name
    beginning with it. `alliancegraph show ID` shows one in full.
    """
    rows = [
        {"id": e.id, "label": e.label, "type": e.type, "wikidata": e.wikidata, "aliases": list(e.aliases),
         "part_of": e.part_of}
        for e in kg.find_entities(search, entity_type)
    ]
    echo_rows(rows, fmt, ["id", "label", "type", "wikidata", "aliases", "part_of"], columns)
    if search and not rows:
        close = kg.close_names(search, entity_type)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        click.echo(f"No entity{' of type ' + entity_type if entity_type else ''} matches {search!r}{hint}", err=True)


@main.command()
@click.argument("name", metavar="ID")
@as_of_option("For an entity: answer its queries as of this day (default: today).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: labelled lines for a reader; json: every field.")
@pass_workspace
def show(kg: Workspace, name: str, as_of, fmt: str) -> None:
    """Show one assertion, source or entity in full.

    ID is an assertion or source id, or an entity's id, label or alias. An assertion
    shows what it states, its polarity, modality, date and date basis, its
    speaker and the office they held then, its source, its quote in its
    article (the sentence with the one before and after) and the claims or
    denials that contradict it. A source shows its record and the assertions
    drawn from it. An entity shows its type, Wikidata id,
    aliases, offices, memberships, the assertions it takes part in, and the
    saved queries that answer about it, with their commands.
    """
    from .render import safe_json
    from .show import show_text

    view = kg.show(name, as_of)
    if fmt == "json":
        click.echo(safe_json(view))
    else:
        click.echo(show_text(view, min(terminal_width() or 100, 100)), nl=False)


@main.command()
@format_option(["table", "json"], help=None, columns=False)
@pass_workspace
def stats(kg: Workspace, fmt: str) -> None:
    """Entities by type, assertions by relation and by source, triples, nodes and edges."""
    from .render import safe_json
    from .stats import stats_rows

    summary = kg.stats()
    if fmt == "json":
        click.echo(safe_json({"knowledge_base": str(kg.root), "chosen_by": kg.chosen.reason, **summary}))
    else:
        click.echo(f"Knowledge base: {kg.chosen.describe()}")
        echo_rows(stats_rows(summary))


@main.command()
@click.option("--write", is_flag=True, help="Rewrite the committed ontology.ttl instead of printing.")
def ontology(write: bool) -> None:
    """Print the ontology generated from the vocabulary registry (Turtle)."""
    from .ontology import ontology_turtle, write_ontology

    if write:
        click.echo(str(write_ontology()))
    else:
        click.echo(ontology_turtle(), nl=False)


@main.command()
@click.argument("kind", default="knowledge-base")
@click.option("--write", is_flag=True, help="Rewrite every kind's schema in the schemas folder instead of printing one.")
@click.option("--out", type=PathParameter(file_okay=False, path_type=Path),
    help="The schemas folder --write writes into (default: the shipped one) and --annotate points at (default: "
    "schemas/ beside the knowledge base folder, where the schemas are written when missing).")
@click.option("--annotate", is_flag=True, help="Add or update the '# yaml-language-server: $schema=' line of every file in --kg "
    "(files that are not UTF-8, or links leading out of --kg, are left as they are and reported).")
@pass_workspace
def schema(kg: Workspace, kind: str, write: bool, out: Path | None, annotate: bool) -> None:
    """Print the JSON Schema for one KIND of YAML file (knowledge-base, sources, entities, assertions).

    The schemas are generated from the loader's field specs and the vocabulary,
    so editors complete keys, relations and entity types as you type.
    """
    from .schema import schema_json, write_schemas

    if write:
        for path in write_schemas(out):
            click.echo(str(path))
    if annotate:
        annotated = kg.annotate_schemas(out)
        for path in annotated.changed:
            click.echo(str(path))
        if annotated.skipped:
            raise KnowledgeBaseError(annotated.skipped)
    if not (write or annotate):
        click.echo(schema_json(kind), nl=False)


@main.command()
@click.argument("article", type=PathParameter(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", "source_id", help="The article's source id (default: the source whose file ARTICLE is).")
@click.option(
    "--write",
    "write_to",
    type=PathParameter(dir_okay=False, path_type=Path),
    help="Append the drafts to this YAML file, commented out, instead of printing them.",
)
@pass_workspace
def suggest(kg: Workspace, article: Path, source_id: str | None, write_to: Path | None) -> None:
    """Draft candidate assertions from ARTICLE for a curator to review.

    Prints draft YAML, each draft marked 'review: needed'; sentences the
    knowledge base already quotes are skipped. Nothing is written unless
    --write names a file, and then the drafts are appended as comments.
    """
    from .suggest import drafts_yaml

    source, drafted = kg.suggest(article, source_id)
    drafts = drafted.assertions
    if write_to is None:
        click.echo(drafts_yaml(drafts, source.id, drafted.entities), nl=False)
    else:
        kg.append_drafts(write_to, source, drafted)
    click.echo(f"{len(drafts)} draft{'s' if len(drafts) != 1 else ''} from source {source.id}", err=True)


class PartialDateType(click.ParamType):
    """A date at the precision known: YYYY, YYYY-MM or YYYY-MM-DD."""

    name = "DATE"

    def convert(self, value, param, ctx):
        from .dates import DateError, PartialDate

        try:
            return value if isinstance(value, PartialDate) else PartialDate.parse(value)
        except DateError as error:
            self.fail(str(error), param, ctx)


#: What `add` asks for when it is missing and a person is at the terminal: option -> prompt.
ADD_PROMPTS = {
    "published": "Published (YYYY, YYYY-MM or YYYY-MM-DD)",
    "url": "URL",
    "outlet": "Outlet",
    "author": "Author (empty when the article names none)",
}


@main.command()
@click.argument("article", type=PathParameter(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", help="The headline (default: taken from the text, and marked for review).")
@click.option("--id", "source_id", help="The source id (default: made from the title).")
@click.option("--url", help="Where the article can be read.")
@click.option("--outlet", help="The publication that ran it.")
@click.option("--published", type=PartialDateType(), help="Publication date, as precise as known: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--author", help="The author, when the article names one.")
@click.option("--kind", type=click.Choice(["news", "opinion"]), help="news (default, marked for review) or opinion.")
@click.option("--ask/--no-ask", default=None, help="Ask for what is missing (default: only when run at a terminal).")
@pass_workspace
def add(kg: Workspace, article: Path, ask: bool | None, **given) -> None:
    """Add ARTICLE: copy it into the articles folder, write its source record, draft its assertions.

    The text is copied under a name made of its date and id; the source record and the
    drafted assertions (and any new people, bodies or agreements) go into a new YAML file
    of the knowledge base, every draft marked 'review:' so that `check` lists it until a
    curator accepts or drops it (`alliancegraph review`). What is not given is asked for
    at a terminal, else left out and named in the source's review mark; nothing is
    invented. An article already in the knowledge base is refused, and no existing file
    is overwritten.
    """
    from .articles import ArticleDetails
    from .errors import display_path

    if ask if ask is not None else sys.stdin.isatty():
        for option, prompt in ADD_PROMPTS.items():
            if given[option] is None:
                kind = PartialDateType() if option == "published" else click.STRING
                given[option] = click.prompt(prompt, default="", show_default=False, type=kind) or None
    details = ArticleDetails(**{("id" if k == "source_id" else k): v for k, v in given.items()})
    added = kg.add(article, details)
    click.echo(f"Copied the article to {display_path(added.article)}")
    click.echo(
        f"Wrote source {added.source['id']}, {added.assertions} draft assertion{'s' if added.assertions != 1 else ''} "
        f"and {added.entities} draft entit{'ies' if added.entities != 1 else 'y'} to {display_path(added.drafts_file)}"
    )
    if added.left_for_review:
        click.echo(f"Left for review in the source record: {'; '.join(added.left_for_review)}")
    click.echo("Next: read the drafts against the article, then `alliancegraph check` lists what is left to review.")


@main.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="text: two lines a draft; json or csv: one row a draft.")
@pass_workspace
@click.pass_context
def review(ctx: click.Context, kg: Workspace, fmt: str) -> None:
    """The drafts left to review; accept or drop them by id without retyping them.

    Drafts are records marked 'review:' (`alliancegraph add` writes them), which
    `check` refuses. Correct a draft in its file, then accept it (its review line is
    deleted) or drop it (the record is deleted); nothing else in the file changes.
    """
    if ctx.invoked_subcommand is not None:
        return
    from .errors import display_path
    from .render import safe_text

    rows = [
        {"file": f"{display_path(m.file)}:{m.line}", "kind": m.kind, "id": m.id, "says": m.summary, "review": m.review}
        for m in kg.drafts()
    ]
    if fmt != "text":
        echo_rows(rows, fmt, ["file", "kind", "id", "says", "review"])
    shown = None
    for row in rows if fmt == "text" else ():  # by file; each draft's line, kind and id, then what it says
        file, line = row["file"].rsplit(":", 1)
        if file != shown:
            click.echo(safe_text(file))
            shown = file
        why = "" if row["review"] == "needed" else f"  ({row['review']})"
        click.echo(safe_text(f"{line:>6}  {row['kind']} {row['id']}\n          {row['says']}{why}", keep="\n"))
    click.echo(f"{len(rows)} draft{'s' if len(rows) != 1 else ''} left to review", err=True)


def _report_reviewed(done, verb: str) -> None:
    from .errors import display_path

    for record in done:
        click.echo(f"{verb} {record.kind} {record.id} ({display_path(record.file)}:{record.line})")


@review.command(name="accept")
@click.argument("ids", nargs=-1, metavar="ID...")
@click.option("--all", "everything", is_flag=True, help="Accept every draft left to review.")
@pass_workspace
def review_accept(kg: Workspace, ids: tuple[str, ...], everything: bool) -> None:
    """Accept drafts as they now stand in their file: delete their review lines."""
    _report_reviewed(kg.accept(ids, everything), "Accepted")


@review.command(name="drop")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@pass_workspace
def review_drop(kg: Workspace, ids: tuple[str, ...]) -> None:
    """Drop drafts: delete the records from their file."""
    dropped, referring = kg.drop(ids)
    _report_reviewed(dropped, "Dropped")
    for assertion, entity in referring:
        click.echo(f"Warning: assertion {assertion} still refers to the dropped entity {entity}", err=True)


# -- queries ------------------------------------------------------------------------


class QueryGroup(click.Group):
    """``query NAME ARGS``: each saved query is a subcommand built from its own description."""

    @staticmethod
    def workspace(ctx: click.Context) -> Workspace:
        """The workspace, with the saved queries of the --queries folders added once."""
        if "queries" not in ctx.meta:
            kg = ctx.find_object(Workspace) or open_workspace()  # shell completion parses without running main
            kg.add_queries(ctx.params.get("folders") or ())
            ctx.meta["queries"] = kg
        return ctx.meta["queries"]

    def queries(self, ctx: click.Context) -> dict:
        return self.workspace(ctx).queries()

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.queries(ctx))

    def get_command(self, ctx: click.Context, name: str):
        asked = ctx.meta.get("asked")  # the query resolve_command found, without reading every other
        query = asked if asked is not None and asked.name == name else self.queries(ctx).get(name)
        return None if query is None else query_command(query)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Queries"):
            formatter.write_dl([(name, query.summary) for name, query in sorted(self.queries(ctx).items())])

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and not args[0].startswith("-"):
            # an unknown name: an error listing the available ones
            ctx.meta["asked"] = self.workspace(ctx).saved_query(args[0])
        return super().resolve_command(ctx, args)


def query_command(query) -> click.Command:
    """The subcommand that answers one saved query."""

    @format_option()
    @evidence_option
    @endpoint_options
    @pass_workspace
    def answer(
        kg: Workspace, fmt: str, columns: list[str] | None, evidence: bool, endpoint: str | None, graph: str | None,
        timeout: float, allow_service: bool, as_of=None, **arguments
    ) -> None:
        from .findings import shows_evidence

        answer = kg.query(query.name, as_of=as_of, engine=kg.engine(endpoint, graph, timeout, allow_service),
                          evidence=shows_evidence(fmt, evidence), **arguments)
        for note in answer.notes:
            click.echo(note, err=True)
        echo_answer(answer, fmt, columns, evidence)

    if query.takes_as_of:
        answer = as_of_option()(answer)
    for parameter in reversed(query.parameters):
        if parameter.required:
            answer = click.argument(parameter.name, metavar=parameter.metavar)(answer)
        else:
            option = click.option(f"--{parameter.name}", metavar=parameter.metavar, help="An entity (optional).")
            answer = option(answer)
    return click.command(query.name, help=query_help(query), short_help=query.summary)(answer)


def query_help(query) -> str:
    """A query's --help text: summary, description, arguments, columns and where it is defined."""
    from .errors import display_path

    parts = [query.summary, query.description]
    if query.parameters:
        width = max(len(p.metavar) for p in query.parameters)
        meaning = "an entity: id, label or alias (case and accents do not matter)"
        speaker = f";\n  {'':{width}}  a person or government body is answered for the state or body it speaks for"
        lines = [f"  {p.metavar:{width}}  {meaning}{speaker if p.speaks_for else ''}" for p in query.parameters]
        parts.append("\b\nArguments:\n" + "\n".join(lines))
    parts.append(f"\b\nColumns: {', '.join(query.columns) or 'as selected'}\n{query.kind} query: {display_path(query.path)}")
    return "\n\n".join(part for part in parts if part)


@main.group(cls=QueryGroup, invoke_without_command=True, subcommand_metavar="NAME [ARGS]...")
@click.option("--list", "list_queries", is_flag=True, help="List the saved queries with their arguments and summaries.")
@click.option(
    "--queries",
    "folders",
    multiple=True,
    is_eager=True,
    type=PathParameter(file_okay=False, path_type=Path),
    help="Also load the saved queries in this folder (repeatable). Its .py queries run as code: name only folders you trust.",
)
@click.pass_context
def query(ctx: click.Context, list_queries: bool, folders: tuple[Path, ...]) -> None:
    """Answer a saved query about alignment, membership, stances, disputes, paths or blocs.

    For example `alliancegraph query who-aligns-with Serbia`. Every query
    takes --as-of YYYY-MM-DD and --format table|json|csv; `alliancegraph
    query NAME --help` explains one. The built-in queries live in the
    package's queries/ folder; --queries adds your own.
    """
    if list_queries:
        rows = [
            {"query": q.name, "arguments": q.signature, "kind": q.kind, "summary": q.summary}
            for q in cast(QueryGroup, ctx.command).queries(ctx).values()
        ]
        echo_rows(sorted(rows, key=lambda row: row["query"]))
    elif ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@main.command()
@click.argument("text_or_file", metavar="QUERY")
@format_option()
@evidence_option
@endpoint_options
@pass_workspace
def sparql(
    kg: Workspace, text_or_file: str, fmt: str, columns: list[str] | None, evidence: bool, endpoint: str | None,
    graph: str | None, timeout: float, allow_service: bool,
) -> None:
    """Run an ad-hoc SPARQL SELECT QUERY: its text, a .rq file, or - for standard input.

    The project's prefixes (ag:, id:, rel:, asr:, src:, rdfs:, xsd:, ...) are
    declared for it. Entity, assertion, source and relation IRIs come back as
    their ids.
    """
    from .findings import shows_evidence
    from .queries import read_query_stream, sparql_text

    if text_or_file == "-":
        with click.open_file("-") as stdin:
            text = read_query_stream(stdin)
    else:
        text = sparql_text(text_or_file)
    answer = kg.sparql(text, engine=kg.engine(endpoint, graph, timeout, allow_service), evidence=shows_evidence(fmt, evidence))
    echo_answer(answer, fmt, columns, evidence)


@main.command()
@click.argument("old")
@click.argument("new", required=False)
@as_of_option("Compare the answers as of this day (default: today).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_workspace
def diff(kg: Workspace, old: str, new: str | None, as_of, fmt: str) -> None:
    """Compare two knowledge bases: records added, removed and changed, and the answers that changed.

    OLD and NEW are knowledge-base folders or git revisions of the repository
    holding --kg (read with git archive; the working tree is not touched).
    NEW defaults to --kg as it is on disk, so `alliancegraph diff HEAD` shows
    what uncommitted curation does to who-aligns-with, who-opposes and members-of.
    """
    from .diff import report
    from .render import safe_json, safe_text

    changes = kg.diff(old, new, as_of)

    if fmt == "json":
        click.echo(safe_json(changes.to_dict()))
    else:
        click.echo(safe_text(report(changes), keep="\n"), nl=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
