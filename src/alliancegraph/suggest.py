"""Drafting candidate assertions from an article, for a curator to review: the library side
of ``alliancegraph suggest`` and ``alliancegraph add``.

The article is read sentence by sentence (:mod:`alliancegraph.cues`) and
drafted by the rules of :mod:`alliancegraph.drafting`; this module finds the
article's source, and writes the drafts out as YAML.

A draft is never a fact until a curator says so: every draft carries
``review: needed``, a key the loader rejects, so ``alliancegraph check`` fails
on a draft nobody reviewed. Sentences the knowledge base already quotes for the
same source are skipped.

:func:`append_drafts` (``--write FILE``) only ever appends, and appends the
drafts *commented out*: the file means exactly what it meant before, and the
curator accepts a draft by uncommenting it, correcting it and deleting its
``review: needed`` line. :mod:`alliancegraph.draft_quality` reports how many
curated assertions the drafts find (recall) and how many drafts match one
(precision).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .article_text import read_article
from .dates import PartialDate
from .drafting import Draft, draft_article
from .errors import AllianceGraphError
from .model import KnowledgeBase, Source
from .resolve import did_you_mean
from .review import COMMENT_MARK

__all__ = [
    "suggest",
    "suggest_for_source",
    "drafts_yaml",
    "append_drafts",
    "draft_document",
    "source_for_article",
]


def suggest(kb: KnowledgeBase, article: str, source: str, published: PartialDate | None = None) -> list[Draft]:
    """Draft assertions for ``article`` (the text of source ``source``, published on ``published``,
    by default its source's date), skipping sentences already quoted (see :mod:`alliancegraph.drafting`)."""
    return draft_article(kb, _as_source(kb, source, published), article).assertions


def _as_source(kb: KnowledgeBase, source: str, published: PartialDate | None) -> Source:
    known = kb.sources.get(source)
    if known is None:
        return Source(id=source, title=source, kind="news", published=published)
    return known if published is None else Source(**{**known.__dict__, "published": published})


def source_for_article(kb: KnowledgeBase, article: Path, source: str | None) -> Source:
    """The source an article belongs to: the one named, else the one whose file it is."""
    if source is not None:
        if source not in kb.sources:
            raise AllianceGraphError(
                f"unknown source {source!r}{did_you_mean(source, kb.sources)}; add the article to the sources first"
            )
        return kb.sources[source]
    resolved = Path(article).resolve()
    for candidate in kb.sources.values():
        if candidate.file is not None and candidate.file == resolved:
            return candidate
    raise AllianceGraphError(f"{article} is not the file of any source; name its source with --source ID")


def suggest_for_source(kb: KnowledgeBase, article: Path, source: str | None = None):
    """Read ``article``, find its source, and draft assertions and the new entities they name
    (the library side of ``alliancegraph suggest``): ``(source, Drafted)``."""
    text = read_article(Path(article))
    found = source_for_article(kb, article, source)
    return found, draft_article(kb, found, text)


# -- output ------------------------------------------------------------------------

HEADER = (
    "Draft assertions suggested by `alliancegraph suggest` from source {source}.\n"
    "Review each: subject, relation, object, polarity, modality, speaker and date;\n"
    "then delete its 'review: needed' line. `alliancegraph check` rejects drafts still marked."
)


def _draft_lines(draft: Draft, indent: int = 2) -> list[str]:
    return [f"{' ' * indent}{COMMENT_MARK} {draft.why()}"] + _record_lines(draft.record(), indent)


class _Dumper(yaml.SafeDumper):
    """Writes dates as curators do (2025-03-18, not '2025-03-18'): the loader reads them as text anyway."""


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _record_lines(record: dict, indent: int = 2) -> list[str]:
    body = yaml.dump([record], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return [" " * indent + line for line in body.splitlines()]


def draft_document(header: list[str], sources: list[dict], entities: list[dict], drafts: list[Draft]) -> str:
    """A YAML file of drafts: the given sections, every record as its own block."""
    lines = list(header)
    for name, records in (("sources", sources), ("entities", entities)):
        if records:
            lines.append(f"{name}:")
            for record in records:
                lines += _record_lines(record)
    lines.append("assertions:")
    for draft in drafts:
        lines += _draft_lines(draft)
    if not drafts:
        lines.append("  # no drafts: no sentence names two entities with a relation cue")
    return "\n".join(lines) + "\n"


def _header(source: str) -> list[str]:
    return ["# " + line for line in HEADER.format(source=source).splitlines()]


def drafts_yaml(drafts: list[Draft], source: str, entities: Iterable[dict] = ()) -> str:
    """The drafts as an ``assertions:`` section (after the new entities they name) a curator can read and paste."""
    return draft_document(_header(source), [], list(entities), drafts)


@dataclass(frozen=True)
class _Layout:
    """What appending needs to know of a YAML file: its meaning, its sections, its list indent."""

    data: dict
    sections: list[str]
    indent: int


def _layout(path: Path, text: str) -> _Layout:
    from .yamlsafe import SafeLoader, safe_load

    try:
        data = safe_load(text)  # refuses what would crash the composer below
        root = yaml.compose(text, Loader=SafeLoader)
    except (yaml.YAMLError, RecursionError) as error:
        raise AllianceGraphError(f"{path} is not a valid knowledge base file; fix it first ({error})") from error
    if data is None:
        return _Layout({}, [], 2)
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise AllianceGraphError(f"{path} is not a mapping of sections; fix it first")
    sections = [key.value for key, _ in root.value]
    items = [value for key, value in root.value if key.value == "assertions" and isinstance(value, yaml.SequenceNode)]
    indent = items[0].start_mark.column if items and items[0].value else 2
    return _Layout(data, sections, indent)


def append_drafts(path: Path, drafts: list[Draft], source: str, entities: Iterable[dict] = ()) -> Path:
    """Append the drafts to ``path``, commented out, without changing what the file says.

    The drafts go at the end of the file under its ``assertions:`` section (at
    the indent its records use), so that uncommenting one puts it in that
    section; a file whose assertions section is not its last is refused, and so
    is a file that is not valid YAML. Nothing before the end of the file changes.
    """
    from .files import write_atomic
    from .yamlsafe import safe_load

    path = Path(path)
    old = _existing_text(path)
    layout = _layout(path, old)
    if "assertions" in layout.sections and layout.sections[-1] != "assertions":
        raise AllianceGraphError(
            f"{path}: its 'assertions' section is not the last one, so drafts appended at the end would not "
            "belong to it; write to a file that ends with its assertions, or to a new file"
        )
    lines = ([""] if old else []) + _header(source) + ["# Uncomment a draft to accept it."]
    lines += [] if "assertions" in layout.sections else ["assertions:"]
    for draft in drafts:
        lines += ["# " + line for line in _draft_lines(draft, layout.indent)]
    named = list(entities)
    if named:  # they belong in an entities section, so they are shown, not placed to be uncommented here
        lines.append("# New entities these drafts name; add them to an entities file:")
        lines += ["#   " + line for record in named for line in _record_lines(record, 0)]
    newline = "\r\n" if old.split("\n", 1)[0].endswith("\r") else "\n"  # the file's own line endings
    new = old + ("" if not old or old.endswith("\n") else newline) + newline.join(lines) + newline
    if not _same_meaning(safe_load(new), {**layout.data, "assertions": layout.data.get("assertions")}):
        # A guard: appending comments must never change what the file says.
        raise AllianceGraphError(f"{path}: appending would change what the file says; nothing was written")
    return write_atomic(path, new)


def _existing_text(path: Path) -> str:
    """The text of the file drafts are appended to ('' for a new one); a file that cannot be
    read, is not UTF-8 or is not YAML is refused with its line and column."""
    from .parsing import parse_file

    if not path.exists():
        return ""
    if not path.is_file():  # a pipe would block the read, a device never end it
        raise AllianceGraphError(f"{path} is not a regular file: drafts are appended to a YAML file, never to a pipe, "
                                 "a device or a socket")
    parsed = parse_file(path)
    if parsed.syntax is not None:
        raise AllianceGraphError(f"{parsed.syntax}; fix it first")
    return parsed.text


def _same_meaning(after, before) -> bool:
    try:
        return after == before
    except RecursionError:  # a self-referencing alias: too odd a file to append to
        return False


