"""The in-memory model: entities, sources, assertions and the knowledge base.

A :class:`KnowledgeBase` holds validated data only, and the rules that read it
(who speaks for whom, which office a statement came through, whether an
assertion counts towards alignment). Compiling it is done by the modules
named after their targets — :mod:`alliancegraph.rdf`,
:mod:`alliancegraph.network` — and :func:`alliancegraph.open` gives all of
them from one object; this module imports none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .asof import holds
from .dates import PartialDate, Period, bounds_text, possible_days
from .vocabulary import RELATIONS, Relation, is_fact, is_stance, position_of, tie_sign


@dataclass(frozen=True)
class Origin:
    """Where a record was written: its file (records are read without positions)."""

    file: Path

    def __str__(self) -> str:
        return str(self.file)


@dataclass(frozen=True)
class Entity:
    id: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    part_of: str | None = None
    description: str | None = None
    origin: Origin | None = field(default=None, compare=False)
    #: For an issue: the actors it concerns ("NATO forces in Romania and Bulgaria"
    #: concerns Romania, Bulgaria and NATO), whose timelines include it.
    concerns: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the entity goes by: id, label and aliases."""
        return (self.id, self.label, *self.aliases)


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    kind: str
    published: PartialDate | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    file: Path | None = None  # resolved, absolute
    file_label: str | None = None  # as written, relative to the YAML file
    note: str | None = None
    origin: Origin | None = field(default=None, compare=False)
    earliest: PartialDate | None = None  # the first day `published` can be (Wikidata P1319)
    latest: PartialDate | None = None  # the last day it can be (P1326)

    @property
    def publication_days(self) -> Period | None:
        """The days the source can have been published, its bounds applied."""
        return possible_days(self.published, self.earliest, self.latest)


@dataclass(frozen=True)
class Evidence:
    """Where an assertion's quote sits in its source (Web Annotation selectors)."""

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Assertion:
    id: str
    subject: str
    relation: str
    object: str
    source: str
    polarity: str = "affirmed"
    modality: str = "fact"
    date: PartialDate | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    dated_by: str = "article"
    quote: str | None = None
    speaker: str | None = None
    on_behalf_of: str | None = None
    regarding: str | None = None
    role: str | None = None
    note: str | None = None
    evidence: Evidence | None = None
    origin: Origin | None = field(default=None, compare=False)
    #: Bounds on the beginning (the point date, or the start), as Wikidata's
    #: "earliest date" (P1319) and "latest date" (P1326) qualify a date. An
    #: assertion dated by its source's publication takes the source's bounds.
    earliest: PartialDate | None = None
    latest: PartialDate | None = None
    #: The start is not known, only its bounds ("for years" before an article).
    start_unknown: bool = False

    @property
    def rel(self) -> Relation:
        return RELATIONS[self.relation]

    @property
    def is_fact(self) -> bool:
        return is_fact(self.polarity, self.modality)


    @property
    def position(self) -> str:
        """How the assertion reads as a stance (see :func:`vocabulary.position_of`)."""
        return position_of(self.polarity, self.modality, self.relation)

    @property
    def proposition(self) -> tuple[str, str, str]:
        """What the assertion states, whoever states it and whether affirmed or denied."""
        return (self.subject, self.relation, self.object)

    @property
    def first_date(self) -> PartialDate | None:
        """The point date, else the interval's start, as written: when the assertion begins."""
        return self.date or self.start

    @cached_property  # asked for again and again by the dates, offices and voices of one assertion
    def beginning(self) -> Period | None:
        """The days the assertion can have begun: its date or start, narrowed by its bounds."""
        if self.first_date is None and not self.start_unknown:
            return None
        return possible_days(self.first_date, self.earliest, self.latest)

    @property
    def days(self) -> Period | None:
        """Every day the assertion can stand for: a point's possible days, an interval from its beginning to its end."""
        beginning = self.beginning
        if beginning is None or self.date is not None:
            return beginning
        return Period(beginning.earliest, self.valid_until)

    @property
    def valid_from(self) -> dt.date | None:
        """The first day the assertion may hold (or happened): the earliest day it can have begun."""
        beginning = self.beginning
        return beginning.earliest if beginning else None

    @property
    def valid_until(self) -> dt.date | None:
        """The last day an interval assertion holds; None when open or a point."""
        return self.end.latest if self.end else None

    @cached_property  # in the statement, the edge and the row of each assertion
    def dated(self) -> str:
        """The beginning as written, with its bounds: ``2026 [05-08..]``, or only the bounds when unknown."""
        bounds = bounds_text(self.earliest, self.latest, self.first_date)
        written = str(self.first_date) if self.first_date else ""
        return " ".join(part for part in (written, bounds) if part)

    @property
    def when(self) -> str:
        """The date as written: a point, or start/end with '..' for an open side; bounds in brackets."""
        if self.date:
            return self.dated
        if self.start or self.end or self.start_unknown:
            return f"{self.dated or '..'}/{self.end or '..'}"
        return ""

    def holds_on(self, day: dt.date) -> bool:
        """Whether the assertion holds on ``day`` (see :mod:`alliancegraph.asof`): a point in time
        from the first day its date can be, an interval while it lasts."""
        return holds(self.valid_from, self.valid_until, day)

    def overlaps(self, moment: PartialDate | Period) -> bool:
        """Whether the assertion's time may overlap the days ``moment`` can be."""
        beginning = self.beginning
        last = self.valid_until if self.date is None else (beginning.latest if beginning else None)
        days = moment if isinstance(moment, Period) else Period(moment.earliest, moment.latest)
        return days.overlaps(self.valid_from, last)


@dataclass(frozen=True)
class Voices:
    """Who an assertion's words count for, read once (:meth:`KnowledgeBase.voices`): what its
    statement node and its network edge both carry, each rule asked once instead of for each."""

    actor: str
    counterpart: str
    speaker_for: str | None
    tie: int  # see KnowledgeBase.tie_sign
    stance: bool  # see KnowledgeBase.is_stance
    through: Assertion | None  # see KnowledgeBase.stated_through
    offices_held: list[Assertion]
    concerned: list[str]  # see KnowledgeBase.concerned_by


@dataclass
class KnowledgeBase:
    """A validated knowledge base: what a folder of YAML files says."""

    root: Path
    entities: dict[str, Entity]
    sources: dict[str, Source]
    assertions: list[Assertion]
    files: tuple[Path, ...] = ()
    #: For a part of a knowledge base (:meth:`part`): the whole it was taken from, whose
    #: entities and offices still say who speaks for whom.
    whole: KnowledgeBase | None = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        return (
            f"<KnowledgeBase {self.root}: {len(self.entities)} entities, "
            f"{len(self.sources)} sources, {len(self.assertions)} assertions>"
        )

    # -- lookups --------------------------------------------------------------

    @cached_property
    def assertions_by_id(self) -> dict[str, Assertion]:
        return {a.id: a for a in self.assertions}

    @cached_property
    def offices(self) -> dict[str, list[Assertion]]:
        """Office-holding assertions that hold as fact, by person.

        A person's terms of office (intervals) are the record; an article's
        passing mention ("Prime Minister Rumen Radev", dated only to the year)
        is evidence of it and counts only for a person with no recorded term,
        so that an imprecise mention never stretches an office over a gap.
        A part of a knowledge base has the offices of its whole.
        """
        if self.whole is not None:
            return self.whole.offices
        mentions: dict[str, list[Assertion]] = {}
        terms: dict[str, list[Assertion]] = {}
        for a in self.assertions:
            if a.relation == "holds-office" and a.is_fact:
                (mentions if a.date is not None else terms).setdefault(a.subject, []).append(a)
        offices = {**mentions, **terms}
        for held in offices.values():
            held.sort(key=lambda a: (a.valid_from or dt.date.min, a.id))
        return offices

    def speaks_for(self, entity_id: str, when: PartialDate | Period | None) -> str:
        """The state or body whose words ``entity_id``'s words count as at ``when``.

        A person speaks for the body of the office they hold at that time (the
        most recently taken office when several overlap); a government body
        speaks for what it is part of; everything else speaks for itself.
        """
        if self.whole is not None:  # a part: an official's state may be outside it
            return self.whole.speaks_for(entity_id, when)
        seen: set[str] = set()
        current = entity_id
        while current not in seen:
            seen.add(current)
            entity = self.entities.get(current)
            if entity is None:
                return current
            if entity.type == "person":
                office = self.office_at(current, when)
                if office is None:
                    return current
                current = office.object
            elif entity.type == "government-body" and entity.part_of:
                current = entity.part_of
            else:
                return current
        return current

    def office_at(self, person: str, when: PartialDate | Period | None) -> Assertion | None:
        """The office ``person`` speaks from at ``when``: of those held then, the most recently taken."""
        if when is None:
            return None
        held = [o for o in self.offices.get(person, ()) if o.overlaps(when)]
        return held[-1] if held else None

    def actor_of(self, assertion: Assertion) -> str:
        """Who the assertion's subject acts for: explicit on_behalf_of, else by office."""
        if assertion.on_behalf_of:
            return assertion.on_behalf_of
        if assertion.relation == "holds-office":
            return assertion.subject
        return self.speaks_for(assertion.subject, assertion.beginning)

    def counterpart_of(self, assertion: Assertion) -> str:
        """Who the assertion's object stands for (an official rolls up to the state)."""
        if assertion.relation == "holds-office":
            return assertion.object
        return self.speaks_for(assertion.object, assertion.beginning)

    def speaker_for(self, assertion: Assertion) -> str | None:
        """Whom the assertion's speaker speaks for at its date (None without a speaker)."""
        if assertion.speaker is None:
            return None
        return self.speaks_for(assertion.speaker, assertion.beginning)

    def speakers_office(self, assertion: Assertion) -> Assertion | None:
        """The office the assertion's speaker spoke from at its date, the one :meth:`speaker_for` follows."""
        return self.office_at(assertion.speaker, assertion.beginning) if assertion.speaker else None

    def own_voice(self, assertion: Assertion) -> bool:
        """Whether the assertion's actor speaks in it: no speaker is named (the source
        reports the actor's own act or signal), or the speaker speaks for the actor."""
        return _own_voice(assertion, self.speaker_for(assertion), self.actor_of(assertion))

    def tie_sign(self, assertion: Assertion) -> int:
        """+1 or -1 when the assertion counts towards alignment (see :func:`vocabulary.tie_sign`), else 0."""
        return tie_sign(assertion.polarity, assertion.modality, assertion.rel.sign, self.own_voice(assertion))

    def is_stance(self, assertion: Assertion) -> bool:
        """Whether the assertion is its actor's own position (see :func:`vocabulary.is_stance`)."""
        return is_stance(assertion.modality, self.own_voice(assertion))

    def voices(self, assertion: Assertion) -> Voices:
        """Everything this knowledge base says about whose words the assertion's are, each read once."""
        actor, speaker_for = self.actor_of(assertion), self.speaker_for(assertion)
        own = _own_voice(assertion, speaker_for, actor)
        return Voices(
            actor=actor,
            counterpart=self.counterpart_of(assertion),
            speaker_for=speaker_for,
            tie=tie_sign(assertion.polarity, assertion.modality, assertion.rel.sign, own),
            stance=is_stance(assertion.modality, own),
            through=self.stated_through(assertion),
            offices_held=self.offices_held(assertion),
            concerned=self.concerned_by(assertion),
        )

    def concerned_by(self, assertion: Assertion) -> list[str]:
        """The actors the issues it is on (its object, what it is regarding) concern, in order, once each."""
        issues = (self.entities.get(assertion.object), self.entities.get(assertion.regarding or ""))
        return list(dict.fromkeys(actor for issue in issues if issue is not None for actor in issue.concerns))

    def voice(self, assertion: Assertion) -> str | None:
        """Who spoke: the named speaker, else an official or a government body acting as the subject."""
        if assertion.speaker is not None:
            return assertion.speaker
        subject = self.entities.get(assertion.subject)
        speaking = subject is not None and subject.type in ("person", "government-body")
        return assertion.subject if speaking else None

    def stated_through(self, assertion: Assertion) -> Assertion | None:
        """The office the assertion came through: the office its voice held when it was stated
        — for a position held over an interval, when it was taken up — of several the one taken
        last (:meth:`office_at`, the rule that makes the words count for a state or body).

        Radev's opposition to sanctions, held "for years" from his presidency on,
        came through the presidency, whatever office he holds later.
        """
        voice = self.voice(assertion)
        if voice is None or assertion.relation == "holds-office":
            return None
        return self.office_at(voice, assertion.beginning)

    def offices_held(self, assertion: Assertion) -> list[Assertion]:
        """Every office its voice held while the assertion stood, in the order taken.

        A statement stands for the days its date can be; a position held over
        an interval for every day of it, so a President who becomes Prime
        Minister carries it into the new office (what ``shifts`` reports).
        """
        voice, days = self.voice(assertion), assertion.days
        if voice is None or days is None or assertion.relation == "holds-office":
            return []
        return [office for office in self.offices.get(voice, ()) if office.overlaps(days)]

    def about(self, entity_id: str) -> Iterator[Assertion]:
        """Assertions with ``entity_id`` as subject or object."""
        return (a for a in self.assertions if entity_id in (a.subject, a.object))

    def part(self, assertions: Iterable[Assertion], entities: dict[str, Entity] | None = None,
             sources: dict[str, Source] | None = None) -> KnowledgeBase:
        """Part of this knowledge base: these assertions (and, when given, only these entities
        and sources; else all of them).

        Who speaks for whom is still read from the whole: leaving out the
        office records must not cut a minister off from their state.
        """
        return KnowledgeBase(self.root, self.entities if entities is None else entities,
                             self.sources if sources is None else sources, list(assertions), self.files,
                             whole=self.whole or self)


def _own_voice(assertion: Assertion, speaker_for: str | None, actor: str) -> bool:
    """The rule of :meth:`KnowledgeBase.own_voice`, given whom the speaker and the subject speak for."""
    return assertion.speaker is None or speaker_for == actor
