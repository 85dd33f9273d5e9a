"""The ``alliancegraph`` command line: a thin layer over the library.

Each command parses its options, makes one library call and renders the
result. Library errors become ``Error: ...`` on stderr in one place
(:class:`Group`); data goes to stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import AllianceGraphError, KnowledgeBaseError
from .render import FORMATS, render


class Group(click.Group):
    """Turns library errors into one-line messages and exit codes, for every command."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KnowledgeBaseError as error:
            click.echo(error.report(), err=True)
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)
        except AllianceGraphError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)


def format_option(default: str = "table"):
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default=default, show_default=True, help="Output format."
    )


class State:
    """What the group passes to its commands: where the knowledge base is."""

    def __init__(self, kg: Path):
        self.kg = kg
        self._kb = None

    def kb(self):
        if self._kb is None:
            from .loading import load

            self._kb = load(self.kg)
        return self._kb


pass_state = click.make_pass_decorator(State)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="alliancegraph")
@click.option(
    "--kg",
    type=click.Path(path_type=Path),
    envvar="ALLIANCEGRAPH_KG",
    help="Knowledge base folder (default: $ALLIANCEGRAPH_KG, else the curated one shipped with the tool).",
)
@click.pass_context
def main(ctx: click.Context, kg: Path | None) -> None:
    """Turn curated news assertions on geopolitical alignment into a knowledge graph you can query and draw."""
    from .paths import default_kg

    ctx.obj = State(kg if kg is not None else default_kg())


@main.command()
@click.option("--quiet", "-q", is_flag=True, help="Print nothing when the knowledge base is clean.")
@pass_state
def check(state: State, quiet: bool) -> None:
    """Validate the knowledge base and report every problem as file:line:column.

    Exit status: 0 when clean, 1 when the data has problems, 2 for usage errors.
    """
    from .loading import check as check_kb

    kb, problems = check_kb(state.kg)
    if problems:
        raise KnowledgeBaseError(problems)
    if not quiet:
        facts = sum(a.is_fact for a in kb.assertions)
        click.echo(
            f"{len(kb.files)} files: {len(kb.sources)} sources, {len(kb.entities)} entities, "
            f"{len(kb.assertions)} assertions ({facts} facts); no problems found."
        )


@main.command()
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("build"), show_default=True, help="Output folder.")
@pass_state
def build(state: State, out: Path) -> None:
    """Validate, compile and write the graph (graph.ttl and the other exports) into OUT."""
    from .build import build as build_outputs

    for path in build_outputs(state.kb(), out):
        click.echo(str(path))


@main.command()
@click.option("--type", "entity_type", help="Only entities of this type (e.g. state, person, issue).")
@format_option()
@pass_state
def entities(state: State, entity_type: str | None, fmt: str) -> None:
    """List the entities of the knowledge base."""
    from .vocabulary import ENTITY_TYPES

    if entity_type is not None and entity_type not in ENTITY_TYPES:
        raise click.BadParameter(f"{entity_type!r}; choose from {', '.join(ENTITY_TYPES)}", param_hint="--type")
    rows = [
        {
            "id": e.id,
            "label": e.label,
            "type": e.type,
            "wikidata": e.wikidata,
            "aliases": list(e.aliases),
            "part_of": e.part_of,
        }
        for e in sorted(state.kb().entities.values(), key=lambda e: (e.type, e.id))
        if entity_type is None or e.type == entity_type
    ]
    click.echo(render(rows, fmt, ["id", "label", "type", "wikidata", "aliases", "part_of"]), nl=False)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_state
def stats(state: State, fmt: str) -> None:
    """Entities by type, assertions by relation and by source, triples, nodes and edges."""
    from .stats import stats_rows

    summary = state.kb().stats()
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        click.echo(render(stats_rows(summary), "table"), nl=False)


@main.command()
@click.option("--write", is_flag=True, help="Rewrite the committed ontology.ttl instead of printing.")
def ontology(write: bool) -> None:
    """Print the ontology generated from the vocabulary registry (Turtle)."""
    from .files import write_atomic
    from .ontology import ONTOLOGY_FILE, ontology_turtle

    text = ontology_turtle()
    if write:
        click.echo(str(write_atomic(ONTOLOGY_FILE, text)))
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("kind", default="knowledge-base")
@click.option("--write", is_flag=True, help="Rewrite every kind's schema in the schemas folder instead of printing one.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="The schemas folder --write writes into and --annotate points at (default: the shipped one).")
@click.option("--annotate", is_flag=True, help="Add or update the '# yaml-language-server: $schema=' line of every file in --kg.")
@pass_state
def schema(state: State, kind: str, write: bool, out: Path | None, annotate: bool) -> None:
    """Print the JSON Schema for one KIND of YAML file (knowledge-base, sources, entities, assertions).

    The schemas are generated from the loader's field specs and the vocabulary,
    so editors complete keys, relations and entity types as you type.
    """
    from .schema import annotate as annotate_files
    from .schema import schema_json, write_schemas

    if write:
        for path in write_schemas(out):
            click.echo(str(path))
    if annotate:
        for path in annotate_files(state.kg, out):
            click.echo(str(path))
    if not (write or annotate):
        click.echo(schema_json(kind), nl=False)


@main.command()
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", "source_id", help="The article's source id (default: the source whose file ARTICLE is).")
@click.option(
    "--write",
    "write_to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append the drafts to this YAML file, commented out, instead of printing them.",
)
@pass_state
def suggest(state: State, article: Path, source_id: str | None, write_to: Path | None) -> None:
    """Draft candidate assertions from ARTICLE for a curator to review.

    Prints draft YAML, each draft marked 'review: needed'; sentences the
    knowledge base already quotes are skipped. Nothing is written unless
    --write names a file, and then the drafts are appended as comments.
    """
    from .suggest import append_drafts, drafts_yaml, suggest_for_source

    source, drafts = suggest_for_source(state.kb(), article, source_id)
    if write_to is None:
        click.echo(drafts_yaml(drafts, source.id), nl=False)
    else:
        append_drafts(write_to, drafts, source.id)
    click.echo(f"{len(drafts)} draft{'s' if len(drafts) != 1 else ''} from source {source.id}", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
