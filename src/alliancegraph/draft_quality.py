"""How good the drafts are: leave-one-out against the curated articles.

For each article source, the knowledge base loses that article's assertions;
the article is drafted again and the drafts are compared with what curators
wrote. Two ways of leaving out:

* ``kept``: every entity stays (the article's own people, issues and
  agreements, with the spellings curators recorded from it, are known);
* ``dropped``: entities that no other source's assertion (offices included)
  refers to go too, as they would for a genuinely new article; a drafted
  entity then counts as the curated one when one of its names (label, aliases,
  id) is one of the curated entity's names.

A draft **matches** a curated assertion when it comes from the sentence that
holds the quote and has the same relation, polarity and modality, and the same
subject and object once an official counts for the state they speak for (a
symmetric relation either way round).

Dates: a matching draft's date is *right* when it stands for the same days as
the curated one (bounds included). A curated assertion dated from relative
words in its sentence ("on Tuesday", "last month"; not one an absolute date
of the same sentence gives, "on Wednesday that Romania joined NATO in 2004")
has its relative date
*resolved* when the date the extractor reads from that sentence holds the
curated date's days (an April article's "on Tuesday", ``2025-04`` latest
``2025-04-29``, holds ``2025-04-15``), and *exactly* when it is the same days.

:func:`with_articles` reads test articles (a text and, beside it, a knowledge
base file of what a curator would record from it) on top of a knowledge base,
so that they are measured the same way.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

from .cues import overlaps, split_sentences
from .dates import PartialDate, Period, possible_days
from .drafting import Draft, draft_article, sentence_date
from .issue_phrases import content_words
from .model import Assertion, KnowledgeBase, Source
from .relative_dates import find_dates
from .resolve import fold

__all__ = ["MODES", "Score", "leave_out", "measure", "with_articles"]

#: Where :func:`with_articles` puts the test articles inside the copied knowledge base.
TEST_FOLDER = "test-articles"

MODES = ("kept", "dropped")


@dataclass
class Score:
    source: str
    curated: int = 0  # assertions curated from the article
    found: int = 0  # of those, how many a draft matches
    drafts: int = 0  # drafts proposed with the article's assertions left out
    correct: int = 0  # drafts that match a curated assertion
    sentences: int = 0  # sentences that carry a curated assertion
    drafted_sentences: int = 0  # of those, how many got at least one draft
    with_speaker: int = 0  # drafts with a speaker whose triple matches a curated assertion
    speaker_right: int = 0  # of those, with the curated speaker
    dated: int = 0  # matching drafts
    date_right: int = 0  # of those, with the curated date
    relative: int = 0  # curated assertions dated from relative words in their sentence ("on Tuesday")
    relative_resolved: int = 0  # of those, whose sentence's date as the extractor reads it holds the curated date
    relative_exact: int = 0  # of those, whose sentence's date is the curated date
    new_entities: int = 0  # entity records drafted
    low_confidence: int = 0  # drafts marked as guesses (sentences the firm rules drafted nothing from)
    low_confidence_correct: int = 0  # of those, how many match a curated assertion

    def __add__(self, other: Score) -> Score:
        added = Score("all")
        for f in fields(Score)[1:]:
            setattr(added, f.name, getattr(self, f.name) + getattr(other, f.name))
        return added


def leave_out(kb: KnowledgeBase, source: str, mode: str = "kept") -> KnowledgeBase:
    """The knowledge base without ``source``'s assertions (and, ``dropped``, the entities only it refers to).

    Who speaks for whom is read from what is left: the offices the article itself names ("Romanian
    President Nicusor Dan") are left out with its other assertions, as they are unknown for a new article."""
    blind = [a for a in kb.assertions if a.source != source]
    if mode == "kept":
        return KnowledgeBase(kb.root, kb.entities, kb.sources, blind, kb.files)
    used = {ref for a in blind for ref in _references(a)}
    used |= {e.part_of for e in kb.entities.values() if e.part_of}
    kept = {i: e for i, e in kb.entities.items() if i in used or not _referenced_by(kb, i, source)}
    return KnowledgeBase(kb.root, kept, kb.sources, blind, kb.files)


def _references(assertion: Assertion) -> set[str]:
    return {r for r in (assertion.subject, assertion.object, assertion.speaker, assertion.on_behalf_of,
                        assertion.regarding) if r}


def _referenced_by(kb: KnowledgeBase, entity: str, source: str) -> bool:
    return any(entity in _references(a) for a in kb.assertions if a.source == source)


def _aligner(kb: KnowledgeBase, drafted: list[dict]) -> dict[str, str]:
    """Drafted entity id -> the curated entity it names, where one does: by a shared name, or, for an issue,
    when the drafted name says all that one of the curated issue's names says (every content word of it, in
    any form: "NATO forces and weapons in Romania and Bulgaria" is *NATO forces in Romania and Bulgaria*),
    as a curator reviewing the draft would rename it."""
    names: dict[tuple[str, str], str] = {}
    for entity in kb.entities.values():
        for name in entity.names:
            names.setdefault((entity.type, fold(name)), entity.id)
    worded = [(entity.id, words) for entity in kb.entities.values() if entity.type == "issue"
              for name in entity.names if len(words := _words(name)) >= 2]
    worded.sort(key=lambda pair: -len(pair[1]))
    aligned = {}
    for record in drafted:
        candidates = [record["id"].replace("-", " "), record["label"], *record.get("aliases", ())]
        match = next((names[(record["type"], fold(c))] for c in candidates if (record["type"], fold(c)) in names), None)
        if match is None and record["type"] == "issue":
            says = set().union(*(_words(c) for c in candidates[1:]))
            match = next((issue for issue, words in worded if words <= says), None)
        if match is not None:
            aligned[record["id"]] = match
    return aligned


def _words(name: str) -> frozenset[str]:
    return frozenset(word for word, _, _ in content_words(fold(name)))


def _same_parties(kb: KnowledgeBase, draft: Draft, assertion: Assertion) -> bool:
    when = assertion.first_date

    def same(drafted: str, *curated: str) -> bool:
        return drafted in curated or kb.speaks_for(drafted, when) in curated

    subject = (assertion.subject, kb.actor_of(assertion))
    obj = (assertion.object, kb.counterpart_of(assertion))
    forward = same(draft.subject, *subject) and same(draft.object, *obj)
    backward = assertion.rel.symmetric and same(draft.subject, *obj) and same(draft.object, *subject)
    return forward or backward


def same_triple(kb: KnowledgeBase, draft: Draft, assertion: Assertion) -> bool:
    """Same sentence, relation and parties (officials counting for their state)."""
    return (assertion.relation == draft.relation and assertion.source == draft.source
            and overlaps(draft.sentence, assertion.evidence) and _same_parties(kb, draft, assertion))


def matches(kb: KnowledgeBase, draft: Draft, assertion: Assertion) -> bool:
    """The same triple with the same polarity and modality."""
    return (same_triple(kb, draft, assertion) and draft.polarity == assertion.polarity
            and draft.modality == assertion.modality)


def measure(kb: KnowledgeBase, sources: Iterable[str] | None = None, mode: str = "kept") -> list[Score]:
    """Leave-one-out scores of the drafts for each article source (all of them by default)."""
    wanted = list(sources) if sources is not None else [s.id for s in kb.sources.values() if s.file is not None]
    return [_score(kb, kb.sources[source_id], mode) for source_id in wanted]


def _score(kb: KnowledgeBase, source, mode: str) -> Score:
    text = source.file.read_text(encoding="utf-8")
    curated = [a for a in kb.assertions if a.source == source.id]
    drafted = draft_article(leave_out(kb, source.id, mode), source, text)
    aligned = _aligner(kb, drafted.entities)
    drafts = drafted.assertions
    for draft in drafts:
        draft.subject, draft.object = aligned.get(draft.subject, draft.subject), aligned.get(draft.object, draft.object)
        draft.speaker = aligned.get(draft.speaker, draft.speaker) if draft.speaker else None
    score = Score(source.id, curated=len(curated), drafts=len(drafts), new_entities=len(drafted.entities))
    score.found = sum(any(matches(kb, d, a) for d in drafts) for a in curated)
    score.correct = sum(any(matches(kb, d, a) for a in curated) for d in drafts)
    guesses = [d for d in drafts if d.low_confidence]
    score.low_confidence = len(guesses)
    score.low_confidence_correct = sum(any(matches(kb, d, a) for a in curated) for d in guesses)
    sentences = split_sentences(text)
    carrying = {i for a in curated for i, s in enumerate(sentences) if overlaps(s, a.evidence)}
    score.sentences = len(carrying)
    score.drafted_sentences = sum(any(overlaps(sentences[i], d.sentence) for d in drafts) for i in carrying)
    for draft in drafts:
        triple = next((a for a in curated if same_triple(kb, draft, a)), None)
        if triple is not None and (draft.speaker or triple.speaker):
            score.with_speaker += draft.speaker is not None
            score.speaker_right += draft.speaker is not None and draft.speaker == triple.speaker
        exact = next((a for a in curated if matches(kb, draft, a)), None)
        if exact is not None:
            score.dated += 1
            score.date_right += _draft_days(draft, source) == exact.beginning
    for assertion in curated:
        sentence = next((s for s in sentences if overlaps(s, assertion.evidence)), None)
        if sentence is None or assertion.dated_by != "article" or assertion.beginning is None:
            continue
        found = find_dates(sentence.text, source.published, source.publication_days)
        absolute = [days for d in found if not d.relative and (days := d.days) is not None]
        if any(d.relative for d in found) and not any(_holds(days, assertion.beginning) for days in absolute):
            read = sentence_date(sentence.text, source)
            days = read.days if read is not None else None
            score.relative += 1
            score.relative_resolved += days is not None and _holds(days, assertion.beginning)
            score.relative_exact += days == assertion.beginning
    return score


def _draft_days(draft: Draft, source: Source) -> Period | None:
    """The days a draft's date stands for; one dated by publication takes the source's bounds, as the loader does."""
    if not draft.date:
        return None
    if draft.dated_by == "publication":
        return possible_days(PartialDate.parse(draft.date), source.earliest, source.latest)
    return possible_days(*(PartialDate.parse(v) if v else None for v in (draft.date, draft.earliest, draft.latest)))


def _holds(outer: Period, inner: Period) -> bool:
    return outer.earliest <= inner.earliest and (outer.latest is None or (inner.latest is not None
                                                                         and inner.latest <= outer.latest))


# -- test articles ------------------------------------------------------------------------


def with_articles(kb: KnowledgeBase, articles: Path, into: Path) -> tuple[KnowledgeBase, list[str]]:
    """``kb`` with the test articles of folder ``articles`` (each ``NAME.txt`` with ``NAME.kg.yaml``, the
    knowledge base file of what a curator would record from it) read on top, copied into folder ``into``;
    and the ids of the test articles' sources, to measure."""
    from .loading import load

    files = [s.file for s in kb.sources.values() if s.file is not None]
    relative = [Path(os.path.relpath(f, kb.root)) for f in files]
    depth = max((sum(part == ".." for part in r.parts) for r in relative), default=0)
    root = into.joinpath(*[f"up{i}" for i in range(depth)], "kg")
    shutil.copytree(kb.root, root)
    for file, where in zip(files, relative):
        target = root / where
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
    folder = root / TEST_FOLDER
    folder.mkdir()
    for truth in sorted(Path(articles).glob("*.kg.yaml")):
        shutil.copyfile(truth, folder / truth.name)
        text = truth.with_name(truth.name.removesuffix(".kg.yaml") + ".txt")
        shutil.copyfile(text, folder / text.name)
    combined = load(root)
    tests = [s.id for s in combined.sources.values() if s.file is not None and s.file.parent == folder.resolve()]
    return combined, tests
