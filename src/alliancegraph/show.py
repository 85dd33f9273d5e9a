"""One record in full, as ``alliancegraph show ID`` prints it.

* **An assertion**: what it states, its polarity, modality, date and date
  basis, who said it and the office they held then, its source (title,
  outlet, author, date, URL), its quote in its article — the sentences that
  hold it with the one before and the one after — and every claim or denial
  that contradicts it, by the rule of the ``disputed`` query.
* **A source**: its title, kind, outlet, author, date, URL and file, and
  the assertions drawn from it.
* **An entity**: its label, type, Wikidata id, aliases, the offices it holds
  or that are held in it, its memberships and signatures with their dates,
  how many assertions it takes part in, and what each saved query about it
  answers (how many rows, with the command that lists them).

:func:`show` gives the record as a dict of plain values (what ``--format
json`` prints); :func:`show_text` lays it out for a reader.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .asof import answer_day
from .errors import AmbiguousNameError, UnknownEntityError
from .resolve import hint, office_text, resolve_entity, suggest
from .vocabulary import DATE_BASES, RELATIONS

if TYPE_CHECKING:
    from .engine import Engine
    from .model import Assertion, Entity, KnowledgeBase, Source

__all__ = ["show", "show_text"]

#: The day contradictions are looked up as of: every claim and denial, whenever made.
EVER = dt.date(9999, 12, 31)
#: Relations that make an entity a member or a party (listed under "memberships").
MEMBERSHIP = ("member-of", "signs")


def show(engine: Engine, kb: KnowledgeBase, name: str, as_of: dt.date | None = None) -> dict:
    """The assertion with id ``name``, else the source with that id, else the entity ``name``
    names (id, label or alias).

    ``as_of`` is the day the entity's saved queries are answered for (today by
    default). An unknown name raises :class:`UnknownEntityError` with the
    closest assertion ids and entity names.
    """
    assertion = kb.assertions_by_id.get(name)
    if assertion is not None:
        return assertion_view(engine, kb, assertion)
    if name in kb.sources:
        return source_view(kb, kb.sources[name])
    try:
        entity = resolve_entity(kb.entities.values(), name)
    except AmbiguousNameError:
        raise
    except UnknownEntityError as error:
        close = [*suggest(name, [*kb.assertions_by_id, *kb.sources], limit=3), *error.candidates][:3]
        raise UnknownEntityError(f"no assertion, source or entity {name!r}{hint(close)}", tuple(close)) from None
    return entity_view(engine, kb, entity, answer_day(as_of))


# -- assertions ---------------------------------------------------------------------------


def statement(kb: KnowledgeBase, assertion: Assertion) -> str:
    """What an assertion says, in words: "Bratislav Gašić criticizes Croatia–Albania–Kosovo Joint Declaration…"."""
    words = [_label(kb, assertion.subject), RELATIONS[assertion.relation].label, _label(kb, assertion.object)]
    if assertion.role:
        words.append(f"as {assertion.role}")
    if assertion.regarding:
        words.append(f"regarding {_label(kb, assertion.regarding)}")
    return " ".join(words)


def assertion_view(engine: Engine, kb: KnowledgeBase, assertion: Assertion) -> dict:
    from .errors import display_path

    source = kb.sources[assertion.source]
    return {
        "kind": "assertion",
        "id": assertion.id,
        "statement": statement(kb, assertion),
        "subject": assertion.subject,
        "relation": assertion.relation,
        "object": assertion.object,
        "regarding": assertion.regarding,
        "actor": kb.actor_of(assertion),
        "counterpart": kb.counterpart_of(assertion),
        "counts_as": _counts_as(kb, assertion),
        "polarity": assertion.polarity,
        "modality": assertion.modality,
        "date": assertion.when or None,
        "dated_by": assertion.dated_by,
        "speaker": _speaker(kb, assertion),
        "quote": assertion.quote,
        "context": quote_context(kb, assertion),
        "source": {
            "id": source.id,
            "title": source.title,
            "kind": source.kind,
            "outlet": source.outlet,
            "author": source.author,
            "published": str(source.published) if source.published else None,
            "url": source.url,
        },
        "note": assertion.note,
        "contradicted_by": [_brief(kb, kb.assertions_by_id[i]) for i in contradictions(engine, assertion.id)
                            if i in kb.assertions_by_id],
        "file": display_path(assertion.origin.file) if assertion.origin else None,
    }


def _counts_as(kb: KnowledgeBase, assertion: Assertion) -> str | None:
    """The proposition between the parties it counts for, when an official or body stands in for one."""
    actor, counterpart = kb.actor_of(assertion), kb.counterpart_of(assertion)
    if (actor, counterpart) == (assertion.subject, assertion.object):
        return None
    return f"{_label(kb, actor)} {RELATIONS[assertion.relation].label} {_label(kb, counterpart)}"


def _speaker(kb: KnowledgeBase, assertion: Assertion) -> dict | None:
    if assertion.speaker is None:
        return None
    office = kb.speakers_office(assertion)
    return {
        "id": assertion.speaker,
        "label": _label(kb, assertion.speaker),
        "office": f"{office_text(office)} ({_label(kb, office.object)})" if office else None,
        "speaks_for": kb.speaker_for(assertion),
        "speaks_for_label": _label(kb, kb.speaker_for(assertion)),
    }


def _brief(kb: KnowledgeBase, assertion: Assertion) -> dict:
    """Another assertion in a line: who says what, when, where."""
    said_by = _label(kb, assertion.speaker) if assertion.speaker else kb.sources[assertion.source].title
    return {
        "assertion": assertion.id,
        "polarity": assertion.polarity,
        "modality": assertion.modality,
        "said_by": said_by,
        "statement": statement(kb, assertion),
        "date": assertion.when or None,
        "source": assertion.source,
    }


def contradictions(engine: Engine, assertion_id: str) -> list[str]:
    """The assertions that contradict ``assertion_id`` by the ``disputed`` query's rule: the denials
    of a claim, or the claim a denial answers (and the other denials of it)."""
    from .queries import load_queries

    found: list[str] = []
    for row in load_queries()["disputed"].run(engine, {}, EVER):
        sides = [row["claim_assertion"], *row["denial_assertions"]]
        if assertion_id in sides:
            found += [i for i in sides if i != assertion_id and i not in found]
    return found


def quote_context(kb: KnowledgeBase, assertion: Assertion) -> dict | None:
    """The quote in its article: ``before`` (the sentence before, and the start of the quote's
    own sentence), ``quote`` as the article writes it, and ``after``; None without an article."""
    from .cues import split_sentences

    source = kb.sources[assertion.source]
    evidence = assertion.evidence
    if evidence is None or source.file is None:
        return None
    try:
        text = source.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if text[evidence.start : evidence.end] != evidence.exact:  # the article changed since it was checked
        return None
    sentences = split_sentences(text)
    holding = [i for i, s in enumerate(sentences) if s.start < evidence.end and evidence.start < s.end]
    if holding:
        first = sentences[max(holding[0] - 1, 0)].start
        last = sentences[min(holding[-1] + 1, len(sentences) - 1)].end
    else:  # a headline or a caption: its own line
        first = text.rfind("\n", 0, evidence.start) + 1
        last = text.find("\n", evidence.end) % (len(text) + 1)
    first, last = min(first, evidence.start), max(last, evidence.end)
    return {
        "before": _one_line(text[first : evidence.start]),
        "quote": _one_line(evidence.exact),
        "after": _one_line(text[evidence.end : last]),
    }


def _one_line(text: str) -> str:
    # Keep a space at either end where the text has whitespace there: the pieces are joined again.
    squeezed = " ".join(text.split())
    if squeezed and text[:1].isspace():
        squeezed = " " + squeezed
    if squeezed and text[-1:].isspace():
        squeezed += " "
    return squeezed


# -- sources -----------------------------------------------------------------------------


def source_view(kb: KnowledgeBase, source: Source) -> dict:
    from .dates import bounds_text
    from .errors import display_path

    drawn = [a for a in kb.assertions if a.source == source.id]
    bounds = bounds_text(source.earliest, source.latest, source.published)
    published = " ".join(p for p in (str(source.published or ""), bounds) if p)
    return {
        "kind": "source",
        "id": source.id,
        "title": source.title,
        "type": source.kind,
        "outlet": source.outlet,
        "author": source.author,
        "published": published or None,
        "url": source.url,
        "file": source.file_label,
        "note": source.note,
        "assertions": [_brief(kb, a) for a in drawn],
        "recorded_in": display_path(source.origin.file) if source.origin else None,
    }


# -- entities ----------------------------------------------------------------------------


def entity_view(engine: Engine, kb: KnowledgeBase, entity: Entity, as_of: dt.date) -> dict:
    involved = [a for a in kb.assertions if entity.id in (a.subject, a.object, a.speaker, a.regarding)]
    return {
        "kind": "entity",
        "id": entity.id,
        "label": entity.label,
        "type": entity.type,
        "wikidata": entity.wikidata,
        "aliases": list(entity.aliases),
        "description": entity.description,
        "part_of": entity.part_of,
        "part_of_label": _label(kb, entity.part_of) if entity.part_of else None,
        "offices": [_office(kb, a, holder=True) for a in kb.offices.get(entity.id, [])],
        "office_holders": [_office(kb, a, holder=False) for a in _held_in(kb, entity.id)],
        "memberships": [_membership(kb, a) for a in involved
                        if a.subject == entity.id and a.relation in MEMBERSHIP and a.is_fact],
        "assertions": {
            "subject": sum(a.subject == entity.id for a in involved),
            "object": sum(a.object == entity.id for a in involved),
            "speaker": sum(a.speaker == entity.id for a in involved),
            "regarding": sum(a.regarding == entity.id for a in involved),
        },
        "as_of": as_of.isoformat(),
        "queries": list(_query_counts(engine, entity, as_of)),
    }


def _held_in(kb: KnowledgeBase, entity_id: str) -> list[Assertion]:
    held = [o for offices in kb.offices.values() for o in offices if o.object == entity_id]
    return sorted(held, key=lambda o: (o.valid_from or dt.date.min, o.id))


def _office(kb: KnowledgeBase, office: Assertion, holder: bool) -> dict:
    return {
        "role": office.role,
        "of" if holder else "holder": office.object if holder else office.subject,
        "label": _label(kb, office.object if holder else office.subject),
        "start": str(office.start) if office.start else None,
        "end": str(office.end) if office.end else None,
        "date": office.dated if office.date else None,
        "assertion": office.id,
    }


def _membership(kb: KnowledgeBase, assertion: Assertion) -> dict:
    return {
        "relation": assertion.relation,
        "of": assertion.object,
        "label": _label(kb, assertion.object),
        "date": assertion.when or None,
        "assertion": assertion.id,
    }


def _query_counts(engine: Engine, entity: Entity, as_of: dt.date) -> Iterable[dict]:
    """For every saved query asking for one entity: how many rows it answers about this one."""
    from .queries import load_queries

    for query in load_queries().values():
        required = [p for p in query.parameters if p.required]
        if len(required) != 1 or len(query.parameters) != 1:
            continue
        try:
            answer = query.run(engine, {required[0].name: entity.id}, as_of)
        except UnknownEntityError:
            continue
        if answer:
            voice = query.voices(engine, {required[0].name: entity.id}, as_of).get(required[0].name)
            yield {
                "query": query.name,
                "rows": len(answer),
                "command": f"alliancegraph query {query.name} {entity.id}",
                "answered_for": voice.speaks_for.id if voice and voice.speaks_for else None,
            }


def _label(kb: KnowledgeBase, entity_id: str | None) -> str:
    if entity_id is None:
        return ""
    entity = kb.entities.get(entity_id)
    return entity.label if entity else entity_id


# -- text -----------------------------------------------------------------------------------


def show_text(view: dict, width: int = 100) -> str:
    """A record as a reader wants it: labelled lines wrapped to ``width``, the quote in its passage."""
    from .render import safe_text

    lines = {"assertion": _assertion_lines, "source": _source_lines, "entity": _entity_lines}[view["kind"]](view)
    out: list[str] = []
    for key, value in lines:
        value = safe_text(str(value))
        if key is None:  # a passage: indented, wrapped
            out += _wrap(value, width, "    ", "    ")
        elif key == "":
            out.append("")
        else:
            out += _wrap(value, width, f"{key + ':':<14}", " " * 14)
    return "\n".join(out) + "\n"


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    # Ids and URLs stay whole: a line break inside one would make it unusable.
    return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False,
                         break_long_words=False) or [first.rstrip()]


Line = tuple[str | None, object]


def _assertion_lines(view: dict) -> list[Line]:
    source = view["source"]
    lines: list[Line] = [
        ("assertion", view["id"]),
        ("proposition", view["statement"]),
    ]
    if view["counts_as"]:
        lines.append(("counts as", f"{view['counts_as']} (an official's act counts for whom they speak for)"))
    lines += [
        ("polarity", view["polarity"]),
        ("modality", view["modality"]),
        ("date", f"{view['date'] or 'none'} (dated by {view['dated_by']}: {_lower(DATE_BASES[view['dated_by']])})"),
    ]
    speaker = view["speaker"]
    if speaker:
        office = f", {speaker['office']}" if speaker["office"] else ", in no recorded office"
        lines.append(("speaker", f"{speaker['label']}{office}; speaks for {speaker['speaks_for_label']}"))
    else:
        lines.append(("speaker", "none named"))
    published = f", {source['published']}" if source["published"] else ""
    by = ", ".join(p for p in (source["outlet"], source["author"]) if p)
    lines.append(("source", f"{source['title']} ({by}{published}) [{source['id']}, {source['kind']}]" if by
                  else f"{source['title']}{published} [{source['id']}, {source['kind']}]"))
    if source["url"]:
        lines.append(("url", source["url"]))
    if view["quote"]:
        lines.append(("quote", f"“{view['quote']}”"))
    context = view["context"]
    if context:
        lines += [("in its article", ""), (None, f"{context['before']}»{context['quote']}«{context['after']}")]
    elif view["quote"]:
        lines.append(("in its article", "(the source's text is not in the knowledge base)"))
    if view["note"]:
        lines.append(("note", view["note"]))
    against = view["contradicted_by"]
    lines.append(("contradicted", "by nothing recorded" if not against else f"by {len(against)}:"))
    lines += [(None, _brief_line(other, said_by=True)) for other in against]
    if view["file"]:
        lines.append(("recorded in", view["file"]))
    return lines


def _brief_line(other: dict, said_by: bool) -> str:
    """Another assertion on a line: its id, who says it (``said_by``), what, and how and when."""
    how = ", ".join(part for part in (other["polarity"], other["modality"], other["date"]) if part)
    if said_by:
        return f"{other['assertion']}: {other['said_by']} ({how}): {other['statement']}"
    return f"{other['assertion']}: {other['statement']} ({how})"


def _source_lines(view: dict) -> list[Line]:
    lines: list[Line] = [("source", view["id"]), ("title", view["title"]), ("kind", view["type"])]
    for key in ("outlet", "author", "published", "url", "file", "note"):
        if view[key]:
            lines.append((key, view[key]))
    drawn = view["assertions"]
    lines.append(("assertions", f"{len(drawn)}:" if drawn else "none"))
    lines += [(None, _brief_line(other, said_by=False)) for other in drawn]
    if view["recorded_in"]:
        lines.append(("recorded in", view["recorded_in"]))
    return lines


def _entity_lines(view: dict) -> list[Line]:
    lines: list[Line] = [("entity", view["id"]), ("label", view["label"]), ("type", view["type"])]
    if view["wikidata"]:
        lines.append(("wikidata", f"{view['wikidata']} (https://www.wikidata.org/wiki/{view['wikidata']})"))
    if view["aliases"]:
        lines.append(("aliases", "; ".join(view["aliases"])))
    if view["part_of"]:
        lines.append(("part of", f"{view['part_of_label']} [{view['part_of']}]"))
    if view["description"]:
        lines.append(("description", view["description"]))
    for office in view["offices"]:
        lines.append(("office", f"{office['role'] or 'office'} of {office['label']} ({_term(office)}) "
                                f"[{office['assertion']}]"))
    for office in view["office_holders"]:
        lines.append(("held by", f"{office['label']}, {office['role'] or 'office'} ({_term(office)}) "
                                 f"[{office['assertion']}]"))
    for membership in view["memberships"]:
        lines.append((RELATIONS[membership["relation"]].label,
                      f"{membership['label']}, {membership['date'] or 'undated'} [{membership['assertion']}]"))
    counts = view["assertions"]
    roles = ", ".join(f"{n} as {role}" for role, n in counts.items() if n)
    lines.append(("assertions", roles or "none"))
    if view["queries"]:
        lines += [("", ""), ("answers", f"as of {view['as_of']}:")]
        width = max(len(q["command"]) for q in view["queries"])
        for q in view["queries"]:
            rows = f"{q['rows']} row{'s' if q['rows'] != 1 else ''}"
            answered = f" (answered for {q['answered_for']})" if q["answered_for"] else ""
            lines.append((None, f"{q['command']:<{width}}  {rows}{answered}"))
    return lines


def _lower(sentence: str) -> str:
    """A registry's definition inside a line: "Taken from the record." -> "taken from the record"."""
    return sentence[:1].lower() + sentence[1:].rstrip(".")


def _term(office: dict) -> str:
    """When an office was held: "since 2024-05-02", "2014-10-01 – 2024-10-01", or the date of a mention."""
    if office["date"]:
        return office["date"]
    if office["end"]:
        return f"{office['start'] or '…'} – {office['end']}"
    return f"since {office['start']}" if office["start"] else "dates unknown"
