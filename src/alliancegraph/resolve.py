"""Resolving what a user or curator types to an entity, with did-you-mean.

"serbia", "Serbia", "Republic Srpska" and "Gasic" all find their entity: names
are compared after case folding and stripping diacritics, across ids, labels
and aliases.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import Period
from .errors import AmbiguousNameError, UnknownEntityError
from .model import Assertion, Entity

if TYPE_CHECKING:
    from .model import KnowledgeBase

# "đ" and "ł" do not decompose; fold the few that Balkan names use.
_UNDECOMPOSED = str.maketrans({"đ": "d", "ł": "l", "ø": "o", "ß": "ss", "ı": "i"})


def fold(name: str) -> str:
    """Lower-case, strip diacritics and unify separators: "Gašić" -> "gasic"."""
    if name.isascii():  # most names: skip the Unicode work (resolving scans every name)
        stripped = name.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", name.casefold())
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_UNDECOMPOSED)
    return " ".join(stripped.replace("-", " ").replace("_", " ").split())


def folded_names(entity: Entity) -> tuple[str, ...]:
    """Every name of an entity (:attr:`Entity.names`) as :func:`named` compares it."""
    return tuple(fold(n) for n in entity.names)


#: Every entity's :func:`folded_names` by id, when computed once beforehand: the compiled store keeps them
#: in its entity table, since folding every name of a large knowledge base costs a command a noticeable
#: part of its start-up.
FoldedNames = Mapping[str, tuple[str, ...]]


#: Words that say nothing about which entity is meant ("the", "of", the "s" of "Bulgaria's").
_FILLER = frozenset({"the", "a", "an", "of", "for", "and", "in", "on", "to", "with", "by", "at", "s"})


#: How far below the best coverage of the typed words a name may be and still be offered.
WORD_BAND = 0.15


def words(name: str) -> list[str]:
    """The words of a name that can tell it apart, folded: "Bulgaria's war" -> ["bulgaria", "war"]."""
    return [w for w in fold(name).replace("'", " ").replace(".", " ").split() if w not in _FILLER]


def _word_likeness(typed: str, written: str) -> float:
    """How well one typed word matches one word of a name: 1 when equal, less for a near spelling or a stem."""
    if typed == written:
        return 1.0
    if min(len(typed), len(written)) < 4:  # short words (EU, of, war) match only exactly
        return 0.0
    if written.startswith(typed) or typed.startswith(written):  # "bulgarian" and "bulgaria", "srpsk"
        return 0.9
    import difflib

    matcher = difflib.SequenceMatcher(None, typed, written)
    if matcher.real_quick_ratio() < 0.8 or matcher.quick_ratio() < 0.8:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= 0.8 else 0.0


def _overlap(typed: list[str], name: list[str], likeness: dict[str, dict[str, float]]) -> tuple[float, float]:
    """How much of what was typed the name covers, and how much of the name was typed (both 0..1).

    ``likeness`` holds, for each typed word, the words of any name it is like (see :func:`_word_likeness`).
    """
    if not typed or not name:
        return 0.0, 0.0
    covered = sum(max((likeness[t].get(w, 0.0) for w in name), default=0.0) for t in typed) / len(typed)
    matched = sum(any(w in likeness[t] for t in typed) for w in name) / len(name)
    return covered, matched


def suggest(name: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The closest few of ``choices`` to ``name`` (for did-you-mean hints).

    A misspelt word is found by its spelling ("serbiaa" -> "serbia"). A phrase,
    or a word whose spelling matches nothing, is also compared word by word, in
    any order and against words inside longer names: "Putin tribunal" finds
    "tribunal for Putin", "Srpska" finds "Republika Srpska", "Bulgarian
    government" finds "Bulgaria" (a word is compared with the words that
    begin with the same two letters). Of those, only the ones that cover the
    most of the typed words are offered.
    """
    import difflib

    by_fold: dict[str, str] = {}
    for choice in choices:
        by_fold.setdefault(fold(choice), choice)
    wanted = fold(name)
    spelt = difflib.get_close_matches(wanted, list(by_fold), n=limit, cutoff=0.6)
    typed = words(name)
    name_words = {folded: words(folded) for folded in by_fold}
    if len(typed) < 2:  # one word: the names it is a word of, then the names spelt like it
        within = [(len(w), len(folded), folded) for folded, w in name_words.items() if typed and typed[0] in w]
        if within or spelt:
            return [by_fold[c] for c in dict.fromkeys([*(f for *_, f in sorted(within)), *spelt])][:limit]
    # Each typed word against each distinct word of the names once (names share most of their words),
    # and only against those beginning with the same two letters: a slip rarely falls there.
    by_start: dict[str, set[str]] = {}
    for ws in name_words.values():
        for w in ws:
            by_start.setdefault(w[:2], set()).add(w)
    likeness = {t: {w: s for w in by_start.get(t[:2], ()) if (s := _word_likeness(t, w))} for t in set(typed)}
    scored = [(*_overlap(typed, ws, likeness), folded) for folded, ws in name_words.items()]
    best = max((covered for covered, _, _ in scored), default=0.0)
    # The names covering (nearly) the most of the typed words, the ones most of whose words were typed first.
    close = [(-matched, -covered, len(folded), folded) for covered, matched, folded in scored
             if covered > 0 and covered >= best - WORD_BAND]
    by_words = [folded for *_, folded in sorted(close)]
    return [by_fold[c] for c in dict.fromkeys([*by_words, *spelt])][:limit]


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' or '' — a ready-made hint for error messages."""
    return hint(suggest(name, choices))


def hint(close: list[str]) -> str:
    """' (did you mean 'x' or 'y'?)' for the names in ``close``, or '' when there are none."""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)" if close else ""


def resolve_entity(entities: Iterable[Entity] | Mapping[str, Entity], name: str,
                   folded: FoldedNames | None = None) -> Entity:
    """The one entity named ``name`` by id, label or alias.

    Raises :class:`UnknownEntityError` with suggestions when nothing matches,
    and with the candidates when the name is ambiguous: when several entities
    go by it, or when it is the bare end of other entities' names of the same
    type ("the Foreign Ministry" when both "Russian Foreign Ministry" and
    "Romanian Foreign Ministry" are known). An exact id always wins. ``entities``
    are the entities, or a mapping of them by id; ``folded`` gives every entity's
    :func:`folded_names`, when they were computed beforehand: with both, only the
    entities a name matches are looked up (see :class:`alliancegraph.rowcodec.EntityTable`).
    """
    by_id = _by_id(entities)
    if name in by_id:
        return by_id[name]
    matches = named(by_id, name, folded)
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        listed = ", ".join(f"{e.id} ({e.label})" if fold(e.label) != fold(name) else e.id for e in matches)
        raise AmbiguousNameError(f"{name!r} is ambiguous: it could be {listed}; name one by its id",
                                 tuple(e.id for e in matches))
    close = suggest_entities(by_id.values(), name)
    raise UnknownEntityError(f"unknown entity {name!r}{hint(close)}", tuple(close))


def named(entities: Iterable[Entity] | Mapping[str, Entity], name: str,
          folded: FoldedNames | None = None) -> list[Entity]:
    """The entities ``name`` may mean, sorted by id: those that go by it, and, when it is a bare
    phrase, the entities of the same type whose names end with it (see :func:`resolve_entity`)."""
    by_id = _by_id(entities)
    names = folded if folded is not None else {entity_id: folded_names(e) for entity_id, e in by_id.items()}
    wanted = fold(name)
    found = [entity_id for entity_id, its_names in names.items() if wanted in its_names]
    if len(found) == 1:
        [only] = found
        # A longer form of the bare phrase ends with its words. Every name is compared in one pass, and
        # only the entities a name fits are looked up for their type (built, in a lazy table).
        longer = " " + _without_article(wanted)
        fitting = dict.fromkeys(entity_id for entity_id, its_names in names.items() for n in its_names
                                if n.endswith(longer))
        kind = by_id[only].type
        found += [entity_id for entity_id in fitting if entity_id != only and by_id[entity_id].type == kind]
    return [by_id[entity_id] for entity_id in sorted(found)]


def _by_id(entities: Iterable[Entity] | Mapping[str, Entity]) -> Mapping[str, Entity]:
    return entities if isinstance(entities, Mapping) else {entity.id: entity for entity in entities}


def _without_article(folded: str) -> str:
    return folded[4:] if folded.startswith("the ") else folded


def suggest_entities(entities: Iterable[Entity], name: str, limit: int = 3) -> list[str]:
    """The ids of the entities closest to ``name`` by any of their names (see :func:`suggest`)."""
    by_name: dict[str, str] = {}
    for entity in entities:
        for n in entity.names:
            by_name.setdefault(n, entity.id)
    return list(dict.fromkeys(by_name[c] for c in suggest(name, by_name, limit=limit + 5)))[:limit]


def search_entities(entities: Iterable[Entity], text: str) -> list[Entity]:
    """The entities whose id, label, an alias or Wikidata id contains every word of ``text`` (case
    and accents ignored), those that go by ``text`` first, then those with a name beginning with it."""
    wanted = fold(text)
    typed = wanted.split()
    found = []
    for entity in entities:
        names = [fold(n) for n in (*entity.names, entity.wikidata or "")]
        if all(any(word in n for n in names) for word in typed):
            rank = 0 if wanted in names else 1 if any(n.startswith(wanted) for n in names) else 2
            found.append((rank, entity.type, entity.id, entity))
    return [entity for *_, entity in sorted(found, key=lambda f: f[:3])]


# -- people and bodies: whom a query about them answers for ------------------------------


@dataclass(frozen=True)
class Voice:
    """Whom an entity named as an actor speaks for on a day, by the model's rule
    (:meth:`KnowledgeBase.speaks_for`): a person for the body of their office, a
    government body for what it is part of."""

    entity: Entity
    #: The state or body answered for; None when a person held no office by the day.
    speaks_for: Entity | None
    #: The office that makes a person speak for it: held on the day, else the last before it.
    office: Assertion | None = None
    #: " by 2010-03-01" when the person held an office only after the day asked about.
    by: str = ""

    @property
    def note(self) -> str:
        """What a user is told: for whom the answer is given, or that the person has no ties of their own."""
        name, entity_id = self.entity.label, self.entity.id
        if self.speaks_for is None:
            return (f"no ties are recorded for {name}: they held no office{self.by} in the knowledge base, "
                    f"so what they say counts for no state or body; see `alliancegraph query stance-of {entity_id}` "
                    f"or `alliancegraph query timeline {entity_id}`")
        body = self.speaks_for.label
        if self.office is None:
            return f"{name} is part of {body} and speaks for it; answering for {body}"
        return f"{name} speaks for {body} ({office_text(self.office)}); answering for {body}"


def office_text(office: Assertion) -> str:
    """An office as a reader wants it: "President, 2022-11-15 – 2025-08-18", "Prime Minister, since 2026-05-08"."""
    role = office.role or "office"
    if office.date is not None:
        return f"{role}, {office.dated}"
    if office.end is None:
        return f"{role}, since {office.dated}" if office.first_date or office.start_unknown else role
    return f"{role}, {office.dated or '…'} – {office.end}"


def voice_of(kb: KnowledgeBase, entity_id: str, day: dt.date) -> Voice | None:
    """For a person or a government body named where the graph counts actors, whom to answer
    for on ``day``; None for every other entity (and a body part of nothing), which stands for itself.

    A person speaks for the body of the office held on the day, else of the
    last office held before it (what they said in office is that body's).
    """
    entity = kb.entities[entity_id]
    if entity.type == "person":
        office = kb.office_at(entity_id, Period(day, day)) or kb.office_at(entity_id, Period(dt.date.min, day))
        if office is None:
            return Voice(entity, None, by=f" by {day.isoformat()}" if kb.offices.get(entity_id) else "")
        return Voice(entity, kb.entities[kb.speaks_for(office.object, office.days)], office)
    body = kb.speaks_for(entity_id, Period(day, day))
    return Voice(entity, kb.entities[body]) if body != entity_id else None
