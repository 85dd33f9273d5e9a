"""Adding a new article to a knowledge base: ``alliancegraph add ARTICLE``.

One command does what a curator did by hand: the text is copied into the
articles folder under a name made of its date and its source id
(``2025-03-croatia-and-albania-sign-defence-declaration.txt``), the source
record is written from what the curator gives (``--url``, ``--outlet``,
``--published``, ``--author``, ``--kind``; the title is taken from the text
unless given), and assertions are drafted into a new YAML file for that source,
beside the other assertion files. Every record written is marked for review
where it needs it; nothing missing is invented: a missing publication date is
left out and named in the source's ``review`` mark, and the drafts then carry
only the dates the text itself gives.

An article whose text is already in the knowledge base (the same text after
folding quotes, dashes, case and whitespace) is refused, and so is a name that
is taken: no file a curator wrote is ever overwritten.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .article_text import MAX_ARTICLE_BYTES, read_article
from .dates import PartialDate
from .errors import AllianceGraphError, UsageError, display_path
from .evidence import normalise
from .files import write_new
from .model import KnowledgeBase, Source
from .paths import ARTICLES_BESIDE
from .resolve import fold

__all__ = ["Added", "ArticleDetails", "add_article", "guess_title", "read_article", "source_id_for"]

#: Longest source id made from a title; the date prefix and ".yaml" still fit a file name.
MAX_SLUG = 72
#: Where articles go when the knowledge base has none yet: this folder beside the knowledge base folder.
DEFAULT_ARTICLES = ARTICLES_BESIDE


@dataclass
class ArticleDetails:
    """What the curator says about an article; None is "not given"."""

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: PartialDate | None = None
    author: str | None = None
    kind: str | None = None
    id: str | None = None


@dataclass
class Added:
    """What ``add`` wrote."""

    source: dict
    article: Path
    drafts_file: Path
    assertions: int
    entities: int
    left_for_review: list[str] = field(default_factory=list)


# -- reading the text ----------------------------------------------------------------


#: A line of page furniture rather than a headline: a caption, a credit, a question, a sentence.
_NOT_A_HEADLINE = re.compile(r"[.?!:;,]$|\(|\)|©|\.\s")


def guess_title(text: str) -> str | None:
    """The headline: of the short lines before the first paragraph of prose, the one most
    in Title Case (captions repeated on the page and sentences are passed over)."""
    lines = [line.strip() for line in text.splitlines()]
    counts = Counter(lines)
    best: tuple[float, int] | None = None
    title = None
    for number, line in enumerate(lines):
        words = line.split()
        if len(words) >= 25:
            break  # the first paragraph of prose: the headline is above it
        if not 3 <= len(words) <= 20 or counts[line] > 1 or _NOT_A_HEADLINE.search(line):
            continue
        capitalised = sum(word[0].isupper() or word[0].isdigit() for word in words) / len(words)
        score = (capitalised, -number)
        if best is None or score > best:
            best, title = score, line
    return title if best is not None and best[0] >= 0.5 else None


def source_id_for(title: str) -> str:
    """A kebab-case id from a title, cut at a word boundary."""
    words = re.sub(r"[^a-z0-9]+", " ", fold(title.replace("’", "").replace("'", ""))).split()
    slug = ""
    for word in words:
        if slug and len(slug) + 1 + len(word) > MAX_SLUG:
            break
        slug = f"{slug}-{word}" if slug else word[:MAX_SLUG]
    return slug


def _fingerprint(text: str) -> str:
    return hashlib.sha256(fold(normalise(text)).encode("utf-8")).hexdigest()


# -- where things go ------------------------------------------------------------------


def articles_folder(kb: KnowledgeBase) -> Path:
    """The folder most of the knowledge base's article files are in; else ``seeds/`` beside it."""
    folders = Counter(s.file.parent for s in kb.sources.values() if s.file is not None)
    if folders:
        return folders.most_common(1)[0][0]
    return Path(kb.root).resolve().parent / DEFAULT_ARTICLES


def drafts_folder(kg: Path) -> Path:
    """Where the new assertion file goes: the knowledge base's ``assertions/`` folder when it has one."""
    assertions = kg / "assertions"
    return assertions if assertions.is_dir() else kg


def _already_present(kb: KnowledgeBase, text: str, folder: Path) -> Path | None:
    """The file holding the same text, among the sources' files and the articles folder."""
    wanted = _fingerprint(text)
    candidates = [s.file for s in kb.sources.values() if s.file is not None]
    try:
        candidates += sorted(p for p in folder.iterdir() if p.suffix == ".txt" and p.is_file())
    except OSError:
        pass  # no articles folder yet
    for candidate in dict.fromkeys(candidates):
        try:
            if candidate.stat().st_size <= 2 * MAX_ARTICLE_BYTES and _fingerprint(
                candidate.read_text(encoding="utf-8", errors="replace")
            ) == wanted:
                return candidate
        except OSError:
            continue
    return None


# -- the source record -----------------------------------------------------------------


def _source_record(details: ArticleDetails, title: str, file_label: str, guessed_title: bool) -> tuple[dict, list[str]]:
    """The source record in the order curators write it, and what is left for review."""
    record: dict = {"id": details.id, "title": title, "kind": details.kind or "news"}
    for key in ("outlet", "author"):
        if getattr(details, key):
            record[key] = getattr(details, key)
    if details.published is not None:
        record["published"] = str(details.published)
    if details.url:
        record["url"] = details.url
    record["file"] = file_label
    left = []
    if guessed_title:
        left.append("title taken from the text")
    if details.kind is None:
        left.append("kind 'news' assumed (opinion for an essay)")
    left += [f"no {what}" for what, value in (("publication date", details.published), ("url", details.url),
                                               ("outlet", details.outlet)) if not value]
    if left:
        record["review"] = "; ".join(left)
    return record, left


# -- adding ---------------------------------------------------------------------------------


def add_article(kg: Path, article: Path, details: ArticleDetails) -> Added:
    """Copy ``article`` into the knowledge base at ``kg``, write its source record and draft its assertions."""
    from .drafting import draft_article
    from .loading import load
    from .suggest import draft_document

    kg = Path(kg)
    if not kg.is_dir():
        raise UsageError(f"{kg} is not a knowledge base folder; add needs one to write into")
    text = read_article(article)
    kb = load(kg, with_drafts=True)
    folder = articles_folder(kb)
    present = _already_present(kb, text, folder)
    if present is not None:
        raise AllianceGraphError(f"{article} is already in the knowledge base as {display_path(present)}; nothing was written")
    guessed = details.title is None
    title = details.title or guess_title(text)
    if not title:
        raise UsageError(f"no headline found in {article}; give the title with --title")
    details.id = details.id or source_id_for(title)
    if not details.id:
        raise UsageError(f"the title {title!r} gives no id; give one with --id")
    _check_given(details)
    if details.id in kb.sources:
        raise AllianceGraphError(f"a source with the id {details.id!r} already exists; give the new one another with --id")
    name = f"{str(details.published)[:7] if details.published else 'undated'}-{details.id}"  # as the seeds are named
    article_file = folder / f"{name}.txt"
    drafts_file = drafts_folder(kg) / f"{name}.yaml"
    file_label = Path(os.path.relpath(article_file, drafts_file.parent)).as_posix()
    record, left = _source_record(details, title, file_label, guessed)
    source = Source(id=details.id, title=title, kind=record["kind"], published=details.published, file=article_file.resolve())
    drafted = draft_article(kb, source, text)
    document = draft_document(
        header=[_modeline(drafts_file), *_header(article, record["id"])],
        sources=[record],
        entities=drafted.entities,
        drafts=drafted.assertions,
    )
    for taken in (article_file, drafts_file):
        if taken.exists():
            raise AllianceGraphError(f"{display_path(taken)} already exists; give the article another id with --id")
    write_new(article_file, text)
    try:
        write_new(drafts_file, document)
    except BaseException:
        article_file.unlink(missing_ok=True)
        raise
    return Added(record, article_file, drafts_file, len(drafted.assertions), len(drafted.entities), left)


def _modeline(file: Path) -> str:
    """The schema line for a new file: pointing where its neighbours' point (their schemas
    folder), else at the schemas shipped with the tool."""
    from .schema import MODELINE, modeline

    for neighbour in sorted(file.parent.glob("*.yaml")):
        try:
            with open(neighbour, encoding="utf-8") as handle:
                first = handle.readline()
        except (OSError, UnicodeDecodeError):
            continue
        found = MODELINE.match(first)
        if found:
            folder = (neighbour.parent / found.group(1)).parent
            return modeline(file, "knowledge-base", folder)
    return modeline(file, "knowledge-base")


def _check_given(details: ArticleDetails) -> None:
    """Refuse an id that is no id (it names the files: "../x" must never reach a path) and a URL that is none."""
    from .record_fields import ID_PATTERN, MAX_ID_LENGTH, URL_PATTERN

    if not ID_PATTERN.match(details.id or "") or len(details.id or "") > MAX_ID_LENGTH - 8:
        raise UsageError(f"--id {details.id!r} must be lowercase kebab-case (e.g. 'balkan-defence-declaration')")
    if details.url is not None and not URL_PATTERN.match(details.url):
        raise UsageError(f"--url {details.url!r} must be an http(s) URL without spaces")


def _header(article: Path, source_id: str) -> list[str]:
    return [
        f"# Drafted by `alliancegraph add` from {Path(article).name} (source {source_id}).",
        "# Every record with a 'review:' line is a draft, and `alliancegraph check` refuses it.",
        "# Read each against the article and correct it here; then accept it (delete its review",
        "# line, or `alliancegraph review accept ID`) or drop it (`alliancegraph review drop ID`).",
    ]
