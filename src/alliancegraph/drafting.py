"""The rule-based extractor that drafts assertions from news prose, read the way
the curation rules in ``kg/README.md`` read it.

Per article, sentence by sentence:

* **Who is named.** Entities by id, label and alias, and states also by demonym,
  capital and seat of power from the gazetteer ("Serbian", "Belgrade", "the
  Kremlin"); people by name with their title ("Croatian Defence Minister Ivan
  Anušić", "Bulgaria's Minister of Foreign Affairs, Georg Georgiev", "Milorad
  Dodik, the leader of Republic Srpska"), ministries by their owner ("Romania's
  foreign ministry"), "the Bulgarian government" as the state. A person or body
  the knowledge base does not know becomes a draft entity record, and a title
  becomes a drafted ``holds-office`` assertion quoting it, through which what
  the official says counts for the state (curation convention "Offices twice").
  Agreements a sentence signs that nobody named yet ("signed a military
  cooperation agreement with Hungary") become draft agreements named after
  their parties, and "the pact", "the Croatia-Albania-Kosovo pact" or "it"
  refer back to them.
* **Who says it.** "X said", "X told", "according to X", a quotation followed
  by its speaker, "he said" (the last speaker or person named), a sentence that
  is a bare quotation (the speaker of the one before).
* **What relation, which roles.** The relation from its cue, the roles from
  their order and voice ("X accused Y", "Y was signed by X", "X signed Z with
  Y": both sign, and a military agreement makes them cooperate). An official
  who states a position is the state's position with the official as speaker
  (curation convention "Subject and speaker"); acts in person (signing,
  meeting, inviting) keep the person. Some stances are said by whole phrases
  ("Ukraine is not a genuine nation", "needs no permission from Belgrade",
  "we decide alone"), see :meth:`Extractor.phrase_stances`.
* **Polarity and modality** from denial, negation, claim, intention and
  reading cues, and from who speaks about whom: a speaker's statement about a
  third party is a claim; in an opinion source what nobody else says is the
  author's opinion.
* **When.** The sentence's date, resolved against the publication date
  (:mod:`alliancegraph.relative_dates`) with ``dated_by: article``; without
  one, the publication date with ``dated_by: publication``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .cues import (
    MODALITY_PATTERNS,
    POLARITY_PATTERNS,
    RELATION_BY_OBJECT_TYPE,
    FoldedText,
    Mention,
    MentionFinder,
    Sentence,
    cue_pairs,
    existence_denials,
    first_cue,
    implied_cues,
    mention_groups,
    overlaps,
    own_decisions,
    relation_cues,
    split_sentences,
)
from .dates import PartialDate, bounds_text
from .issue_phrases import ISSUE_HEADS, IssueFinder, Named, Phrase, against_words, issue_phrase, issue_phrases
from .model import Entity, KnowledgeBase, Source
from .relative_dates import FoundDate, find_dates
from .resolve import fold
from .vocabulary import RELATIONS

__all__ = ["Drafted", "draft_article", "gazetteer_names", "sentence_date"]

GAZETTEER = Path(__file__).resolve().parent / "gazetteer.tsv"

#: Relations an official performs in person: the person stays the subject.
IN_PERSON = frozenset({"signs", "meets", "invites", "holds-office", "member-of"})
ACTORS = frozenset({"state", "partially-recognized-state", "sub-national-entity", "international-organization",
                    "government-body", "person"})

_TITLE = (
    r"(?:deputy |vice |acting |former )?(?:(?:foreign|defen[cs]e|interior|finance|economy|energy|justice) )?"
    r"(?:prime minister|minister(?: of (?:foreign affairs|defen[cs]e|the interior|internal affairs|finance|justice|"
    r"energy|the economy|economy))?|president|chancellor|secretary general|secretary of state|premier|ambassador|"
    r"spokes(?:person|man|woman)|leader|envoy|foreign secretary|defen[cs]e secretary|king|queen)"
)
TITLE = re.compile(rf"(?<![\w])(?:{_TITLE})(?![\w])")
FORMER_BEFORE = re.compile(r"(?<![\w])former\s+$")
_MINISTRY = (
    r"(?:(?P<kind>foreign|defen[cs]e|interior|finance|justice) ministry"
    r"|ministry of (?P<kind2>foreign affairs|defen[cs]e|the interior|internal affairs|finance|justice))"
)
MINISTRY = re.compile(rf"(?<![\w])(?:the )?{_MINISTRY}(?![\w])")
GOVERNMENT = re.compile(r"^(?:'s)? (?:government|cabinet|presidency|leadership|authorities)(?![\w])")
#: A ministry's kind as the id and the label write it.
MINISTRY_KINDS = {"foreign": ("foreign", "Foreign Affairs"), "defence": ("defence", "Defence"),
                  "defense": ("defence", "Defence"), "interior": ("interior", "the Interior"),
                  "the interior": ("interior", "the Interior"), "internal affairs": ("interior", "the Interior"),
                  "finance": ("finance", "Finance"), "justice": ("justice", "Justice"),
                  "foreign affairs": ("foreign", "Foreign Affairs")}
#: Titles written the way the curated offices write the role.
ROLES = {"foreign minister": "Minister of Foreign Affairs", "defence minister": "Minister of Defence",
         "defense minister": "Minister of Defence", "minister of defense": "Minister of Defence",
         "minister of defence": "Minister of Defence", "minister of foreign affairs": "Minister of Foreign Affairs",
         "prime minister": "Prime Minister", "president": "President", "chancellor": "Chancellor",
         "secretary general": "Secretary General", "leader": "Leader"}
_AGREEMENT_HEAD = r"(?:agreement|pact|declaration|treaty|accord|alliance|deal|memorandum|partnership|bloc)"
AGREEMENT_NP = re.compile(
    rf"(?<![\w])(?:a|an|the|its|their) (?P<np>(?:(?!(?:with|by|and|that|on|in|to)\b)[a-z][a-z'-]* ){{0,4}}{_AGREEMENT_HEAD}"
    r"(?: (?:of|on) (?:(?!(?:was|were|is|with|by|and|that|on|in)\b)[a-z][a-z'-]*)"
    r"(?: (?!(?:was|were|is|with|by|and|that|on|in)\b)[a-z][a-z'-]*){0,2})?)(?![\w])"
)
ANAPHOR_AGREEMENT = re.compile(
    rf"(?<![\w])(?:the|this|that) (?:{_AGREEMENT_HEAD}|document|initiative|bloc)(?![\w])|(?<![\w])it(?![\w])"
)
#: "The three former Soviet republics", "the former Soviet-led Warsaw Pact allies", "both countries": a
#: definite plural of states refers to the states last named together (as many as it counts, when it does).
_GROUP_MODIFIER = r"(?!(?:of|in|on|to|and|or|that|which|with|for|by|from|as|at|is|are|were|was)\b)[a-z0-9'-]+"
GROUP_REFERENCE = re.compile(
    rf"(?<![\w])(?:the|these|those|both|all three|all four)\s+(?:(?P<count>two|three|four|five)\s+)?"
    rf"(?:{_GROUP_MODIFIER}\s+){{0,5}}?(?P<head>countries|states|nations|republics|allies|governments|neighbou?rs|"
    r"members|partners|signatories|capitals)(?![\w])"
)
COUNTS = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5}
STATES = frozenset({"state", "partially-recognized-state"})
ANAPHOR_PERSON = re.compile(r"(?<![\w])(?:he|she|his|her)(?![\w])")
#: In a speaker's words, "we" and "our country" are the speaker's side.
FIRST_PERSON = re.compile(r"(?<![\w])(?:we|us|our country|our)(?![\w])")
#: "Our partners", "our allies": in a speaker's words, the organisation the article said last that the speaker's
#: side is a member of ("we have long made our choice by becoming a member of NATO").
OUR_ALLIES = re.compile(r"(?<![\w])our (?:[a-z]+ )?(?:partners|allies)(?![\w])")
_SAY = (r"(?:said|says|say|told|tells|stated|states|added|adds|claimed|claims|noted|notes|announced|insisted|stressed|"
        r"warned|argued|wrote|declared|emphasi[sz]ed|underscored|denied|denies|labell?ed|called(?! on| for| upon))")
SAYS_AFTER = re.compile(rf"^(?: also| on \w+| in \w+| in a statement| in an interview(?: with [\w ]+?)?){{0,3}}\s+{_SAY}(?![\w])")
SAID_BEFORE = re.compile(rf"(?:[,\"”]\s*|^){_SAY}\s+$")
ACCORDING = re.compile(r"(?:according to|statement (?:released |issued )?by|in a statement by)\s+$")
PRONOUN_SAYS = re.compile(rf"(?<![\w])(?:he|she|it|they)\s+(?:also\s+)?{_SAY}(?![\w])")
OPINION_CUES = re.compile(r"(?<![\w])(?:widely viewed|viewed as|seen as|is seen|observers see|analysts|appears? to|"
                          r"appears|presented as|framed as|this is why|that is why|this explains|this also explains|"
                          r"which explains)(?![\w])")
INTENTION_WOULD = re.compile(r"(?<![\w])(?:will|would|plans? to|set to|intends? to|ready to|prepared to)(?![\w])")
NOT_NAMES = frozenset({"ministry", "government", "the", "and", "in", "on", "of", "said", "says"})
NAME_PARTICLES = frozenset({"von", "der", "van", "de", "den", "bin", "al", "da", "di", "le", "la", "del"})
#: Capitalised words that may follow a demonym or capital without making a new name ("Serbian Defence Minister").
GAZETTEER_FOLLOWERS = frozenset({"foreign", "defence", "defense", "prime", "president", "government", "ministry",
                                 "minister", "deputy", "army", "armed", "parliament", "state", "interior", "finance"})
#: Adjectives by which a speaker characterises someone ("a provocative move", "aggressive behavior").
ADJECTIVE_CUES = ("provocative", "aggressive", "unacceptable", "hostil")
#: The id an agreement drafted in a sentence has until its parties name it.
PLACEHOLDER = "new-agreement-at-"
#: Relations whose object may be an issue; what follows their cue names it when nothing known does.
STANCES = frozenset({"supports", "opposes", "criticizes", "demands", "rejects"})
#: Words that signal a stance too loosely for a firm draft, by relation in the order they are tried (the
#: most telling first): a sentence the firm rules drafted nothing from gets one low-confidence draft when an
#: actor and one of these occur together, marked for review as a guess.
LOOSE_CUES: dict[str, tuple[str, ...]] = {
    "aligns-with": ("sphere of influence", "mirror", "echo", "align", "orbit", "side with"),
    "member-of": ("membership", "accession", "join", "member", "anchored within"),
    "meets": ("conversation", "discussion", "trip", "talks", "visit", "met with", "summit"),
    "cooperates-with": ("coordinat", "partner", "interoperab", "cooperat", "together with", "deploy"),
    "demands": ("pressing for", "push for", "pushing for", "seek", "call for", "calls for", "withdrawal of"),
    "opposes": ("fear", "fought", "fight", "war against", "annex", "destabili", "weaken", "fractur", "dominat",
                "threat", "aggress", "push them outside", "drift away", "exclud", "block", "intimidat", "attack",
                "invad", "invasion", "against", "oppos", "resist"),
    "supports": ("commitment to", "committed to", "investment in", "solidarity", "facilitat", "favourable",
                 "favorable", "backing", "resolute", "anchored", "support", "back"),
    "criticizes": ("mistake", "propagand", "detached", "critic", "condemn", "denounc"),
}
#: Loose criticizes cues that judge rather than report an act of criticism: in an essay with no one else
#: speaking they are the author's judgement of whoever the sentence names ("Radev approaches the conflict
#: ... an interpretation increasingly detached from the realities"), not that person's criticism.
JUDGEMENT_CUES = ("mistake", "propagand", "detached")
#: Loose cues that are nouns: a name right before one is its object ("the Soviet sphere of influence").
NOUN_CUES = re.compile(r"(?:sphere of influence|orbit|interoperab|membership|accession|partner|commitment|backing|"
                       r"solidarity|investment|conversation|discussion|trip|summit|talks)")
_LOOSE = {relation: re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in words) + r")\w*")
          for relation, words in LOOSE_CUES.items()}


@dataclass
class Draft:
    """A proposed assertion: what a curator reviews before it may enter the knowledge base."""

    subject: str
    relation: str
    object: str
    source: str
    quote: str
    sentence: Sentence
    cue: str
    polarity: str = "affirmed"
    modality: str = "fact"
    speaker: str | None = None
    role: str | None = None
    regarding: str | None = None  # the issue a demand or an appeal is about
    date: str | None = None
    dated_by: str = "publication"
    date_written: str | None = None  # the words the date was resolved from
    date_note: str = ""  # why the date is coarser than the words
    earliest: str | None = None  # bounds on the date when the words allow a range of days ("on Tuesday" in
    latest: str | None = None  # an article known only to its month)
    interval: bool = False  # the date starts an interval (cooperation from a signing)
    id: str = ""
    #: Why a draft is only a guess (drafted for a sentence the firm rules could not read), or None.
    low_confidence: str | None = None

    def why(self) -> str:
        """What the draft was read from, for the comment above it."""
        parts = [f"cue {self.cue!r}"]
        if self.date_written:
            parts.append(f"date {self.date_written!r} -> {self.dated}" + (f" ({self.date_note})" if self.date_note else ""))
        elif not self.date:
            parts.append(self.date_note or "no date: the article gives none and its publication date is not known")
        return "; ".join(parts)

    @property
    def dated(self) -> str:
        """The date with its bounds, as rows show it (``2025-04 [..04-29]``)."""
        earliest, latest, date = (PartialDate.parse(v) if v else None for v in (self.earliest, self.latest, self.date))
        bounds = bounds_text(earliest, latest, date)
        return " ".join(part for part in (self.date or "", bounds) if part)

    def record(self) -> dict:
        """The draft as a YAML record, keys in the order curators write them."""
        record = {"id": self.id, "subject": self.subject, "relation": self.relation, "object": self.object,
                  "polarity": self.polarity, "modality": self.modality}
        if self.speaker:
            record["speaker"] = self.speaker
        if self.role:
            record["role"] = self.role
        if self.regarding:
            record["regarding"] = self.regarding
        if self.date:
            record["start" if self.interval else "date"] = self.date
            record.update({k: v for k, v in (("earliest", self.earliest), ("latest", self.latest)) if v})
            record["dated_by"] = self.dated_by
        review = f"low confidence: {self.low_confidence}" if self.low_confidence else "needed"
        record.update(source=self.source, quote=self.quote, review=review)
        return record


def unique_id(base: str, seen: set[str]) -> str:
    from .record_fields import MAX_ID_LENGTH

    base = base[: MAX_ID_LENGTH - 4].rstrip("-")  # room for a "-99" suffix
    candidate, n = base, 1
    while candidate in seen:
        n += 1
        candidate = f"{base}-{n}"
    seen.add(candidate)
    return candidate


@dataclass(frozen=True)
class _LooseCue:
    """A loose cue, shaped like the firm ones so that the same stance rules read it."""

    relation: str
    start: int
    end: int
    word: str
    negated: bool = False


#: Nouns of support an opinion's author may voice with no one else named ("support for Ukraine").
SUPPORT_NOUN = re.compile(r"(?:support|backing|solidarity)\s+(?:for|with)\s")
#: "Uncertainty around Washington's commitment": the stance is doubted.
DOUBT = re.compile(r"(?<![\w])(?:uncertaint\w*|doubts?|questions?)(?:\s+\w+){0,2}\s+(?:about|over|around|on)(?![\w])")
#: "Fears not merely a sovereign Ukraine, but a victorious ... Ukraine": the stance is about what follows "but".
NOT_MERELY = re.compile(r"\s*not (?:merely|only|just|simply)\b[^;:]*?,?\s+but(?: also)?\s+")
#: "The forthcoming trip", "the talks": a meeting or visit named before.
EVENT_REFERENCE = re.compile(r"(?<![\w])the (?:(?P<ahead>forthcoming|upcoming|planned|anticipated|expected|proposed) )?"
                             r"(?:trip|visit|talks|meeting|summit)(?![\w])")
#: A sentence that begins by pointing back ("It is ...", "This position ...") is about the last subject.
POINTING_BACK = re.compile(r"^\W*(?:and |but |yet )?(?:it|this|these|they)\b(?! is why| also explains| explains| means)")
_NEGATED_BEFORE = re.compile(r"(?<![\w])(?:not|never|no longer)(?:\s+\w+){0,2}\s+$")
#: Stances whose object may be an issue that news words freely (supports, opposes, ...).
ISSUE_STANCES = frozenset({"supports", "opposes", "criticizes", "rejects"})
#: Demands and appeals say what is wanted of someone: the issue becomes ``regarding``, and the one who
#: wants it takes a stance of their own on it (convention "Issues carry what is at stake").
WANTING = frozenset({"demands", "appeals-to"})
#: "The plan", "the project": an issue named before, whatever its wording.
ISSUE_REFERENCE = re.compile(r"(?<![\w])(?:the|this|that)\s+(?P<words>[a-z]+(?:\s+[a-z]+)?)")
_NEW_NOUN_PHRASE = re.compile(r"\s+(?:for|of|on|against|to|by)\b(?!\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|"
                              r"sunday)\b)")
#: "The call", "the demand": the demand or appeal drafted last, standing for whoever made it.
WANTING_REFERENCE = re.compile(r"(?<![\w])(?:the|this|that|these|those)\s+(?:[a-z]+\s+)?(?:calls?|demands?|appeals?|"
                               r"requests?|ultimatum)(?![\w])(?!\s+(?:for|to|on|of)\b)")
GENERIC_ISSUE_HEADS = frozenset({"plan", "project", "initiative", "proposal", "idea", "scheme"})
_NEAR_SUBJECT = re.compile(r"(?:\s+[a-z']+){0,4}\s*")
MILITARY = re.compile(r"(?<![\w])(?:military|defen[cs]e|security|cooperation)(?![\w])")


COLLECTIVES = Path(__file__).resolve().parent / "collectives.tsv"


@lru_cache(maxsize=1)
def _collective_rows() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    with open(COLLECTIVES, encoding="utf-8", newline="") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return tuple((tuple(row[0].split("|")), tuple(row[1].split("|"))) for row in rows if len(row) >= 2)


def collective_names(entities: Iterable[Entity]) -> dict[str, tuple[str, ...]]:
    """Names of fixed groups of states ("the Baltic states") -> the members the knowledge base has."""
    by_wikidata = {e.wikidata: e.id for e in entities if e.wikidata}
    groups = {}
    for names, members in _collective_rows():
        known = tuple(by_wikidata[m] for m in members if m in by_wikidata)
        if len(known) > 1:
            groups.update({fold(name): known for name in names})
    return groups


@lru_cache(maxsize=1)
def _gazetteer_rows() -> tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]:
    rows = []
    with open(GAZETTEER, encoding="utf-8", newline="") as handle:
        for row in csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t"):
            if len(row) >= 3:
                seats = row[3] if len(row) > 3 else ""
                rows.append((row[0], row[1], tuple(filter(None, row[2].split("|"))), tuple(filter(None, seats.split("|")))))
    return tuple(rows)


def gazetteer_names(entities: Iterable[Entity]) -> tuple[dict[str, str], dict[str, str]]:
    """Names news uses for the knowledge base's states (name -> entity id), and each state's demonym."""
    by_wikidata = {e.wikidata: e.id for e in entities if e.wikidata}
    by_label = {fold(e.label): e.id for e in entities}
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for wikidata, name, demonym_list, seats in _gazetteer_rows():
        entity = by_wikidata.get(wikidata) or by_label.get(fold(name))
        if entity is None:
            continue
        for written in (*demonym_list, *seats):
            names[written] = entity
        if demonym_list:
            demonyms[entity] = demonym_list[0]
    return names, demonyms


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text).replace("'", "")).strip("-")


@dataclass
class Drafted:
    """What drafting an article gives: new entities (records) and assertion drafts."""

    entities: list[dict]
    assertions: list[Draft]


@dataclass
class _Span:
    """A merged mention: a title with its person, a ministry, a government, an agreement phrase."""

    entity: str
    start: int
    end: int


@dataclass
class _Article:
    """What drafting has learnt about the article so far."""

    last_person: str | None = None
    last_speaker: str | None = None
    last_agreement: str | None = None
    groups: list[tuple[str, ...]] = field(default_factory=list)  # states named together, in order
    issues: list[str] = field(default_factory=list)  # issues named, in order
    last_wanting: tuple[str, str | None] | None = None  # who last demanded or appealed, and regarding what
    last_subject: str | None = None  # the subject of the last draft ("it", "this" in a sentence with no actor)
    previous: Sentence | None = None  # the sentence read before this one
    previous_drafts: list = field(default_factory=list)  # and what was drafted from it
    last_encounter: tuple[str, str] | None = None  # who met or visited whom last ("the forthcoming trip")
    offices: dict[str, str] = field(default_factory=dict)  # drafted: person -> owner
    memberships: dict[str, str] = field(default_factory=dict)  # drafted: member -> the organisation named last
    parties: dict[str, set[str]] = field(default_factory=dict)  # agreement -> states that sign it


class Extractor:
    """Drafts one article's assertions against a knowledge base."""

    def __init__(self, kb: KnowledgeBase, source: Source):
        self.kb = kb
        self.source = source
        self.published = source.published
        self.types = {e.id: e.type for e in kb.entities.values()}
        self.labels = {e.id: e.label for e in kb.entities.values()}
        self.extra, self.demonyms = gazetteer_names(kb.entities.values())
        self.collectives = collective_names(kb.entities.values())
        alternatives = sorted(self.collectives, key=len, reverse=True)
        self.collective = re.compile(rf"(?<![\w])(?:{'|'.join(map(re.escape, alternatives)) or '(?!)'})(?![\w])")
        self.new: dict[str, dict] = {}  # drafted entity records by id
        self.heads: dict[str, str] = {}  # a drafted agreement's phrase without its complement, for its id
        self.state = _Article()
        self.author = self._author()
        self.article = ""  # the text being drafted (see :meth:`run`)
        self._finder: MentionFinder | None = None
        self.implied: list[tuple[str, str, bool]] = []  # (member, organisation, former) from "the ... allies"
        self._issues: IssueFinder | None = None
        self._name_finder: MentionFinder | None = None

    # -- names -----------------------------------------------------------------------

    @property
    def finder(self) -> MentionFinder:
        if self._finder is None:
            self._finder = MentionFinder(self.kb.entities.values(), self.extra)
        return self._finder

    @property
    def issue_finder(self) -> IssueFinder:
        if self._issues is None:
            issues: list[tuple[str, Iterable[str]]] = [(e.id, e.names) for e in self.kb.entities.values()
                                                        if e.type == "issue"]
            issues += [(r["id"], [r["label"], *r.get("aliases", ())]) for r in self.new.values() if r["type"] == "issue"]
            self._issues = IssueFinder(issues, self._read, self._voices)
        return self._issues

    def _read(self, name: str) -> tuple[str, list[Named]]:
        """An issue's name folded, with the entities it names (read apart from issues, which would name it whole)."""
        if self._name_finder is None:
            self._name_finder = MentionFinder([e for e in self.kb.entities.values() if e.type != "issue"], self.extra)
        text = FoldedText(name)
        return text.text, [(m.entity, m.start, m.end) for m in self._name_finder.find(text)
                           if self.types.get(m.entity) != "issue"]

    def _voices(self, entity_id: str) -> set[str]:
        return {entity_id, self.speaks_for(entity_id, self.published)}

    def entity(self, entity_id: str, label: str, kind: str, names: Iterable[str], why: str, **more) -> str:
        """A drafted entity (made once), findable by its names from now on."""
        if entity_id in self.types:
            return entity_id
        record = {"id": entity_id, "label": label, "type": kind, **more}
        aliases = sorted({n for n in names if fold(n) not in (fold(label), entity_id.replace("-", " "))})
        if aliases:
            record["aliases"] = aliases
        record["review"] = why
        self.new[entity_id] = record
        self.types[entity_id] = kind
        self.labels[entity_id] = label
        for name in (label, *names):
            if len(fold(name)) > 2:
                self.extra[name] = entity_id
        self._finder = self._issues = None
        return entity_id

    def _author(self) -> str | None:
        if self.source.kind != "opinion" or not self.source.author:
            return None
        wanted = fold(self.source.author)
        for entity in self.kb.entities.values():
            if entity.type == "person" and wanted in (fold(n) for n in entity.names):
                return entity.id
        return self.entity(slug(self.source.author), self.source.author, "person", [], "the author of an opinion source")

    def speaks_for(self, entity_id: str, when: PartialDate | None) -> str:
        if entity_id in self.state.offices:
            return self.state.offices[entity_id]
        record = self.new.get(entity_id)
        if record and record.get("part_of"):
            return record["part_of"]
        return self.kb.speaks_for(entity_id, when)

    # -- the article ---------------------------------------------------------------------

    def run(self, text: str, skip: Iterable = ()) -> Drafted:
        self.article = text
        covered = list(skip)
        drafts: list[Draft] = []
        previous_line = None
        for sentence in split_sentences(text):
            line = text.count("\n", 0, sentence.start)
            if previous_line is not None and line - previous_line > 2:
                self.state.last_speaker = None  # a new section: a bare quotation no longer continues the last speaker
            previous_line = line
            if any(overlaps(sentence, evidence) for evidence in covered):
                self.state.previous, self.state.previous_drafts = None, []
                continue
            drafted = self.sentence(sentence)
            self.state.previous, self.state.previous_drafts = sentence, drafted
            drafts += drafted
        seen: set[str] = set(self.kb.assertions_by_id)
        for draft in drafts:
            draft.id = unique_id(f"{draft.subject}-{draft.relation}-{draft.object}", seen)
        named = {ref for d in drafts for ref in (d.subject, d.object, d.speaker, d.regarding) if ref}
        return Drafted([record for record in self.new.values() if record["id"] in named], drafts)  # none left over

    def sentence(self, sentence: Sentence) -> list[Draft]:
        text = FoldedText(sentence.text)
        folded = text.text
        dates = [d for d in find_dates(sentence.text, self.published, self.source.publication_days) if d.date is not None]
        when = dates[0] if dates else None
        date = when.date if when else self.published
        mentions, offices = self.mentions(text, date)
        drafts: list[Draft] = []
        for person, owner, role, quote in offices:
            drafts.append(self.draft(sentence, person, "holds-office", owner, "title", when, quote=quote, role=role))
        speaker, said_by = self.speaker(text, mentions)
        if speaker is not None:
            mentions = self.first_person(text, mentions, speaker, date)
        mentions = self.new_agreement(text, mentions, date)
        groups = mention_groups([m for m in mentions if said_by is None or m.start != said_by.start], folded)
        cues = relation_cues(folded, mentions) or implied_cues(folded, mentions, self.types)
        pairs: dict[tuple[str, str, str], Draft] = {}
        wanting = None
        denial = first_cue(POLARITY_PATTERNS, folded)
        governed: list[Mention] = []  # issues the cues so far are about: a cue inside one is part of its wording
        for cue in cues:
            if any(issue.start <= cue.start < issue.end for issue in governed):
                continue  # "the initiative for an international tribunal against Vladimir Putin": no stance "against"
            cue_when = _cue_date(text, cue, cues, dates)
            modality = first_cue(MODALITY_PATTERNS, folded[: cue.start])  # a claim or intention governs what follows it
            found = self.characterised(cue, mentions, speaker, said_by) or list(cue_pairs(cue, groups, folded, self.types)) \
                or self.issue_pair(text, cue, groups, mentions)
            for subject, obj in found:
                relation = RELATION_BY_OBJECT_TYPE.get((cue.relation, self.types.get(obj.entity, "")), cue.relation)
                if relation == "holds-office":
                    continue  # titles are read by the title rules, with their role
                if relation in ISSUE_STANCES and self.types.get(obj.entity) not in ("issue", "agreement"):
                    obj, relation = self.issue_object(text, cue, relation, subject, obj, mentions)
                if self.types.get(obj.entity) == "issue":
                    governed.append(obj)
                for draft in self.stance(sentence, text, subject, relation, obj, cue, speaker, denial, modality, cue_when):
                    key = (draft.subject, draft.relation, draft.object)
                    if key in pairs:
                        continue
                    pairs[key] = draft
                    if relation in WANTING:
                        for own in self.wanted(text, cue, draft, subject, obj, mentions):
                            pairs.setdefault((own.subject, own.relation, own.object), own)
                        wanting = (draft.subject, draft.regarding)
                    elif relation == "rejects" and self.state.last_wanting and WANTING_REFERENCE.search(folded) \
                            and draft.object == self.state.last_wanting[0]:
                        draft.regarding = self.state.last_wanting[1]  # "rejected the call": what was called for
        drafts += list(pairs.values())
        drafts += [d for d in self.phrase_stances(sentence, text, mentions, speaker, said_by, dates)
                   if (d.subject, d.relation, d.object) not in pairs]
        drafts += self.agreement_parties(sentence, text, list(pairs.values()), when)
        drafts += self.memberships(sentence, when)
        if not drafts:
            drafts += self.loose(sentence, text, mentions, speaker, said_by, dates)
        if speaker is not None:
            self.state.last_speaker = speaker
        self.state.last_wanting = wanting or self.state.last_wanting
        self.state.last_subject = next((d.subject for d in drafts if d.relation != "holds-office"), self.state.last_subject)
        self.state.memberships.update((self.speaks_for(d.subject, _date(d)), d.object) for d in drafts
                                      if d.relation == "member-of" and d.polarity == "affirmed")
        self.state.last_encounter = next(((d.object, d.subject) if d.relation == "invites" else (d.subject, d.object)
                                          for d in drafts if d.relation in ("meets", "invites")), self.state.last_encounter)
        self.state.groups += self._state_groups(groups)
        return self._dedup(drafts)

    def phrase_stances(self, sentence: Sentence, text: FoldedText, mentions: list[Mention], speaker: str | None,
                       said_by: Mention | None, dates: list[FoundDate]) -> list[Draft]:
        """Stances whole phrases say, whoever they are said by (the first actor named before the phrase, else
        the speaker):

        * denying a state or people its existence opposes it ("the claim that Ukraine is not a genuine
          nation"): the denial is the act itself, so "the claim that" makes it no one's claim and "not" no
          denial;
        * needing no one's permission rejects whoever would give it ("Croatia needs no permission from
          Belgrade"), and deciding alone rejects whoever last demanded a say, regarding what they demanded
          ("we decide alone how to organise the defence of our country", after Russia's demand)."""
        folded = text.text
        found: list[tuple[str, int, int, Mention, str | None]] = [
            ("opposes", start, end, target, None) for target, start, end in existence_denials(folded, mentions)
            if self.types.get(target.entity) in STATES | {"sub-national-entity"}]
        for start, end, target in own_decisions(folded, mentions):
            regarding = None
            if target is None and self.state.last_wanting is not None:
                target, regarding = Mention(self.state.last_wanting[0], end, end, ""), self.state.last_wanting[1]
            if target is not None:
                found.append(("rejects", start, end, target, regarding))
        drafts = []
        for relation, start, end, target, regarding in found:
            before = [m for m in mentions if m.end <= start and m is not said_by and m.entity != target.entity
                      and self.types.get(m.entity) in ACTORS]
            subject = before[0] if before else Mention(speaker, start, start, "") if speaker else None
            if subject is None or subject.entity == target.entity:
                continue
            cue = _LooseCue(relation, start, end, folded[start:end])
            for draft in self.stance(sentence, text, subject, relation, target, cue, speaker, None, None,
                                     _cue_date(text, cue, [cue], dates)):
                draft.regarding = regarding
                drafts.append(draft)
        return drafts

    def loose(self, sentence: Sentence, text: FoldedText, mentions: list[Mention], speaker: str | None,
              said_by: Mention | None, dates: list[FoundDate]) -> list[Draft]:
        """One low-confidence draft for a sentence the firm rules drafted nothing from, where an actor and a loose
        stance cue occur together ("Moscow fears ... a victorious Ukraine", "decades inside the Soviet sphere of
        influence"), or where "the forthcoming trip" refers to the last meeting or invitation. The draft is
        marked as a guess, for the curator to correct or drop."""
        taken = [(m.start, m.end) for m in mentions]
        present = [m for m in mentions if m is not said_by]
        cues = []
        for relation, pattern in _LOOSE.items():
            for match in pattern.finditer(text.text):
                if any(s <= match.start() < e for s, e in taken):
                    continue
                cue = _LooseCue(relation, match.start(), match.end(), match.group(),
                                bool(_NEGATED_BEFORE.search(text.text[max(0, match.start() - 30) : match.start()])))
                drafts = self.loose_draft(sentence, text, cue, present, mentions, speaker, dates)
                if drafts:
                    return drafts
                cues.append(cue)
        if not present and any(self.resumed(sentence, text, cue) for cue in cues):
            return []  # the statement before runs on into this sentence: its drafts quote both
        return self.event_reference(sentence, text, dates)

    def loose_draft(self, sentence: Sentence, text: FoldedText, cue: _LooseCue, present: list[Mention],
                    mentions: list[Mention], speaker: str | None, dates: list[FoundDate]) -> list[Draft]:
        folded = text.text
        # "the Soviet sphere of influence", "NATO interoperability": a name right before a noun cue is its object
        modifier = next((m for m in present if re.fullmatch(r"(?:'s)?\s*", folded[m.end : cue.start])), None) \
            if NOUN_CUES.match(cue.word) else None
        subject = self.loose_subject(folded, cue, present, modifier, speaker)
        if subject is None:
            return []
        obj, relation = self.loose_object(text, cue, subject, present, mentions, modifier)
        if obj is None or obj.entity == subject.entity:
            return []
        denial = first_cue(POLARITY_PATTERNS, folded)
        modality = first_cue(MODALITY_PATTERNS, folded[: cue.start])
        drafts = self.stance(sentence, text, subject, relation, obj, cue, speaker, denial, modality,
                             _cue_date(text, cue, [cue], dates))
        for draft in drafts:
            if DOUBT.search(folded[: cue.start]):
                draft.polarity = "doubted"
            draft.low_confidence = (f"'{cue.word}' with {self.labels.get(subject.entity, subject.entity)} named "
                                    "nearby; check subject, relation and object")
        return drafts

    def resumed(self, sentence: Sentence, text: FoldedText, cue: _LooseCue) -> list[Draft]:
        """A sentence that names no actor and points back ("It is an investment in Europe's own strategic
        survival" right after "support for Ukraine is no longer simply an act of solidarity") goes on with the
        statement before it when its cue says the same relation: the drafts of that sentence (same paragraph)
        quote both sentences, as a curator quotes a statement that runs on. Nothing new is drafted."""
        before = self.state.previous
        if before is None or not POINTING_BACK.match(text.text) or self.article[before.end : sentence.start].strip() \
                or "\n" in self.article[before.end : sentence.start]:
            return []
        resumed = [d for d in self.state.previous_drafts if d.relation == cue.relation and d.sentence == before]
        joined = Sentence(self.article[before.start : sentence.end], before.start, sentence.end)
        for draft in resumed:
            draft.quote = joined.text if draft.quote == before.text else draft.quote
            draft.sentence = joined
            draft.cue = f"{draft.cue}', then '{cue.word}"
        return resumed

    def loose_subject(self, folded: str, cue: _LooseCue, present: list[Mention], modifier: Mention | None,
                      speaker: str | None) -> Mention | None:
        """Who a loose cue's stance is: in an essay with no one else speaking, the author for a judgement ("a
        strategic mistake", "detached from the realities"); the actor before it; the author for "support for"
        and for any other criticism no actor comes before; the last subject after "it" or "this";
        else the actor after it ("Even membership in the Eurozone ... if Bulgaria becomes")."""
        if self.author is not None and speaker is None and cue.word.startswith(JUDGEMENT_CUES):
            return Mention(self.author, cue.start, cue.start, "")
        before = [m for m in present if m.end <= cue.start and self.types.get(m.entity) in ACTORS and m is not modifier]
        if before:
            return before[-1] if _NEAR_SUBJECT.fullmatch(folded[before[-1].end : cue.start]) else before[0]
        if self.author is not None and speaker is None and (SUPPORT_NOUN.match(folded, cue.start)
                                                             or cue.relation == "criticizes"):
            return Mention(self.author, cue.start, cue.start, "")
        if self.state.last_subject and present and POINTING_BACK.match(folded) \
                and cue.relation in ("supports", "opposes", "criticizes", "aligns-with"):
            return Mention(self.state.last_subject, cue.start, cue.start, "")
        later = [m for m in present if m.start >= cue.end and self.types.get(m.entity) in ACTORS and m is not modifier]
        if later and [m for m in present if m.entity != later[0].entity and m.start >= cue.start]:
            return later[0]
        return None

    def loose_object(self, text: FoldedText, cue: _LooseCue, subject: Mention, present: list[Mention],
                     mentions: list[Mention], modifier: Mention | None) -> tuple[Mention | None, str]:
        """What a loose cue's stance is about: the first fitting entity after it (after "but" in "not merely X,
        but Y"), the issue it is named in, or the issue the words after the cue name; an author's judgement is
        about the first actor the sentence names."""
        folded = text.text
        relation = cue.relation
        kinds = RELATIONS[relation]
        focus = NOT_MERELY.match(folded, _word_end(folded, cue.end))
        start = focus.end() if focus else cue.end
        fitting = [m for m in present if m.entity != subject.entity
                   and (kinds.object_types is None or self.types.get(m.entity) in kinds.object_types)]
        if subject.entity == self.author and relation == "criticizes":
            judged = [m for m in fitting if self.types.get(m.entity) in ACTORS]
            return (judged[0] if judged else None), relation
        after = [m for m in fitting if m.start >= start]
        obj = after[0] if after else (modifier if modifier in fitting else None)
        if relation in ISSUE_STANCES and obj is not None:
            limit = self.clause_end(folded, start, mentions)
            obj = next((i for i, _ in self.issues_after(text, start, limit, mentions, subject)
                        if i.start <= obj.start < i.end), obj)
        if obj is None and relation in STANCES | WANTING and subject.entity != self.author:
            issues = [(issue, against) for issue, against in self.issues_read(
                text, _word_end(folded, cue.end), self.clause_end(folded, cue.end, mentions), mentions, subject)
                if issue.entity not in self.new or ISSUE_HEADS.search(fold(self.labels[issue.entity]))]
            if issues:
                obj, against = issues[0]
                # pressing for something of no one named is the subject's own stance on it
                relation = ("opposes" if against else "supports") if relation in WANTING else _turned(relation, against)
        return obj, relation

    def event_reference(self, sentence: Sentence, text: FoldedText, dates: list[FoundDate]) -> list[Draft]:
        """"The forthcoming trip", "the talks": the meeting or invitation drafted last, a meeting of its parties
        (an intention when it is still to come)."""
        match = EVENT_REFERENCE.search(text.text)
        if match is None or self.state.last_encounter is None:
            return []
        first, second = self.state.last_encounter
        cue = _LooseCue("meets", match.start(), match.end(), match.group())
        draft = self.draft(sentence, first, "meets", second, cue.word, _cue_date(text, cue, [cue], dates))
        draft.modality = "intention" if match.group("ahead") else "fact"
        draft.low_confidence = f"'{match.group()}' read as the meeting or visit named before; check who meets whom"
        return [draft]

    @staticmethod
    def _dedup(drafts: list[Draft]) -> list[Draft]:
        seen, kept = set(), []
        for draft in drafts:
            key = (draft.subject, draft.relation, draft.object, draft.polarity, draft.modality)
            if key not in seen and draft.subject != draft.object:
                seen.add(key)
                kept.append(draft)
        return kept

    # -- mentions: names, titles, ministries, governments, references back -----------------

    def mentions(self, text: FoldedText, date: PartialDate | None) -> tuple[list[Mention], list[tuple]]:
        folded = text.text
        mentions = [m for m in self.finder.find(text) if not self._in_a_name(text, m)]
        for match in self.collective.finditer(folded):  # "the Baltic states": each member, where the words are
            mentions = [m for m in mentions if not match.start() <= m.start < match.end()] + [
                Mention(member, match.start(), match.end(), text.written(match.start(), match.end()))
                for member in self.collectives[match.group()]]
        mentions.sort(key=lambda m: m.start)
        spans: list[_Span] = []
        offices = []
        for match in MINISTRY.finditer(folded):
            span = self.ministry(text, match, mentions)
            if span is not None:
                spans.append(span)
        for mention in mentions:
            government = GOVERNMENT.match(folded[mention.end :])
            if government and self.types.get(mention.entity) in ("state", "partially-recognized-state", "sub-national-entity"):
                spans.append(_Span(mention.entity, mention.start, mention.end + government.end()))
        for match in TITLE.finditer(folded):
            if any(s.start <= match.start() < s.end for s in spans):
                continue
            titled = self.title(text, match, mentions, date)
            if titled is not None:
                span, owner, role = titled
                spans.append(span)
                if owner is not None and span.entity in self.types and self.types[span.entity] == "person" and self._named(text,
                    span):
                    offices.append((span.entity, owner, role, text.written(span.start, span.end)))
        mentions = _merge(mentions, spans, text)
        mentions = self.joined_parties(text, mentions)
        mentions = self.references(text, mentions)
        for mention in mentions:
            kind = self.types.get(mention.entity)
            if kind == "person":
                self.state.last_person = mention.entity
            elif kind == "agreement":
                self.state.last_agreement = mention.entity
            elif kind == "issue":
                self.state.issues.append(mention.entity)
        return mentions, offices

    def _in_a_name(self, text: FoldedText, mention: Mention) -> bool:
        """A gazetteer name followed by a capitalised word is part of another name ("The Moscow Times"); a
        state's name in "post-Soviet", "ex-Soviet", "pro-Russian" qualifies something else."""
        if re.search(r"(?<![\w])(?:post|ex|pro|anti|non)\s$", text.text[: mention.start]):
            return True
        if mention.written not in self.extra or self.extra[mention.written] != mention.entity:
            return False
        following = re.match(r" ([a-z]+)", text.text[mention.end :])
        if following is None:
            return False
        written = text.written(mention.end + 1, mention.end + 1 + len(following.group(1)))
        return written[:1].isupper() and not TITLE.fullmatch(following.group(1)) and following.group(1) not in GAZETTEER_FOLLOWERS

    def _named(self, text: FoldedText, span: _Span) -> bool:
        """Whether a title span names its holder (not "the Ukrainian leader")."""
        written = text.written(span.start, span.end)
        return any(word[:1].isupper() for word in written.split()[-1:]) and not TITLE.search(fold(written.split()[-1]))

    def ministry(self, text: FoldedText, match: re.Match, mentions: list[Mention]) -> _Span | None:
        folded = text.text
        if any(m.start <= match.start() < m.end for m in mentions):
            return None  # named already ("the Russian Foreign Ministry")
        kind_word = match.group("kind") or match.group("kind2")
        short, full = MINISTRY_KINDS[kind_word]
        owner = next((m for m in mentions if m.end <= match.start() and re.fullmatch(r"(?:'s)? ?(?:the )?",
            folded[m.end : match.start()])
                      and self.types.get(m.entity) in ("state", "partially-recognized-state")), None)
        after = re.match(r" of (?:the )?", folded[match.end() :])
        if owner is None and after:
            start = match.end() + after.end()
            owner = next((m for m in mentions if m.start == start), None)
        if owner is None:  # "the Foreign Ministry": the one named last, if any
            known = [m for m in mentions if m.start <= match.start() < m.end]
            return _Span(known[0].entity, match.start(), match.end()) if known else None
        body = next((e.id for e in self.kb.entities.values() if e.type == "government-body" and e.part_of == owner.entity
                     and any(short in fold(n) for n in e.names)), None)
        if body is None:
            demonym = self.demonyms.get(owner.entity, self.labels.get(owner.entity, owner.entity))
            body = self.entity(
                f"{slug(demonym)}-{short}-ministry", f"Ministry of {full} of {self.labels.get(owner.entity, owner.entity)}",
                "government-body", [text.written(min(owner.start, match.start()), max(owner.end, match.end()))],
                "new government body", part_of=owner.entity,
            )
        start, end = min(owner.start, match.start()), max(owner.end, match.end())
        return _Span(body, start, end)

    def title(self, text: FoldedText, match: re.Match, mentions: list[Mention], date) -> tuple[_Span, str | None, str] | None:
        """A title with its holder and the state or body it is held in."""
        folded = text.text
        role = ROLES.get(match.group(), match.group().title().replace("Of ", "of ").replace("The ", "the "))
        owner = next((m for m in mentions if m.end <= match.start() and re.fullmatch(r"(?:'s)? ?", folded[m.end : match.start()])
                      and self.types.get(m.entity) in ACTORS - {"person"}), None)
        owner_before = owner is not None
        start, end = (owner.start if owner else match.start()), match.end()
        after = re.match(r" of (?:the )?", folded[match.end() :])
        if owner is None and after:
            owner = next((m for m in mentions if m.start == match.end() + after.end()
                          and self.types.get(m.entity) in ACTORS - {"person"}), None)
            end = owner.end if owner else end
        person, name_end = self.holder_after(text, end, mentions)
        if person is not None:
            end = name_end
        elif not owner_before:  # "Dodik, the leader of Republika Srpska"; not "Pavel, the Ukrainian leader"
            person, start = self.holder_before(text, start, mentions)
        if match.group().startswith("former") or FORMER_BEFORE.search(folded, 0, start):
            # "Former Bulgarian Prime Minister Kiril Petkov": no office held now, no state behind the words
            return (_Span(person, start, end), None, role) if person is not None else None
        owner_id = owner.entity if owner else None
        if owner_id is None and person is not None and self.kb.speaks_for(person, date) != person:
            owner_id = self.kb.speaks_for(person, date)  # "President Volodymyr Zelensky": the office on record
        if owner_id is None and person is not None:  # "Poland backs the plan, Prime Minister Donald Tusk said"
            states = {m.entity for m in mentions if self.types.get(m.entity) in STATES and not start <= m.start < end}
            owner_id = states.pop() if len(states) == 1 else None
        if person is None:  # "the Ukrainian leader": the person named last who speaks for that owner
            last = self.state.last_person
            if last and owner_id and self.speaks_for(last, date) == owner_id:
                return _Span(last, start, end), None, role
            return (_Span(owner_id, start, end), None, role) if owner_id else None
        # the title the article gives ("Romanian President Nicusor Dan") holds for the whole article, even where
        # the knowledge base knows the office only on another day
        if owner_id and person not in self.state.offices and (owner is not None or self.kb.speaks_for(person, date) == person):
            self.state.offices[person] = owner_id
        return _Span(person, start, end), owner_id, role

    def holder_after(self, text: FoldedText, at: int, mentions: list[Mention]) -> tuple[str | None, int]:
        folded = text.text
        gap = re.match(r",? ", folded[at:])
        if not gap:
            return None, at
        start = at + gap.end()
        known = next((m for m in mentions if m.start == start and self.types.get(m.entity) == "person"), None)
        if known is not None:
            return known.entity, known.end
        name, end = _capitalised_name(text, start)
        if name is None or any(m.start == start for m in mentions):
            return None, at
        return self.person(name), end

    def holder_before(self, text: FoldedText, at: int, mentions: list[Mention]) -> tuple[str | None, int]:
        """"Milorad Dodik, the controversial leader of ...": the name before ", the (adjectives) title"."""
        folded = text.text
        gap = re.search(r", (?:the |a )?(?:[a-z]+ ){0,2}$", folded[:at])
        if not gap:
            return None, at
        known = next((m for m in mentions if m.end == gap.start() and self.types.get(m.entity) == "person"), None)
        if known is not None:
            return known.entity, known.start
        return None, at

    def person(self, name: str) -> str:
        wanted = fold(name)
        for entity in self.kb.entities.values():
            if entity.type == "person" and wanted in (fold(n) for n in entity.names):
                return entity.id
        surname = name.split()[-1]
        return self.entity(slug(name), name, "person", [surname] if len(surname) > 2 else [], "new person: check the name")

    def joined_parties(self, text: FoldedText, mentions: list[Mention]) -> list[Mention]:
        """"the Croatia-Albania-Kosovo pact": states joined by dashes before an agreement word name an agreement."""
        folded = text.text
        result: list[Mention] = []
        i = 0
        while i < len(mentions):
            run = [mentions[i]]
            while i + len(run) < len(mentions) and folded[run[-1].end : mentions[i + len(run)].start] == " " and \
                    text.written(run[-1].end, mentions[i + len(run)].start + 1)[:1] in "-–—" + text.written(run[-1].end,
                        run[-1].end + 1):
                run.append(mentions[i + len(run)])
            head = re.match(rf" {_AGREEMENT_HEAD}(?![\w])", folded[run[-1].end :])
            states = {m.entity for m in run}
            if len(run) > 1 and head and all(self.types.get(m.entity) in ACTORS for m in run):
                agreement = next((a for a, p in self.state.parties.items() if p == states), None)
                agreement = agreement or self._kb_agreement(states)
                if agreement is not None:
                    result.append(Mention(agreement, run[0].start, run[-1].end + head.end(), text.written(run[0].start,
                        run[-1].end + head.end())))
                    i += len(run)
                    continue
            result.append(mentions[i])
            i += 1
        return result

    def _kb_agreement(self, parties: set[str]) -> str | None:
        signed: dict[str, set[str]] = {}
        for a in self.kb.assertions:
            if a.relation == "signs" and a.polarity == "affirmed" and a.modality == "fact":
                signed.setdefault(a.object, set()).add(self.kb.speaks_for(a.subject, a.first_date))
        return next((agreement for agreement, signers in sorted(signed.items()) if signers == parties), None)

    def references(self, text: FoldedText, mentions: list[Mention]) -> list[Mention]:
        """"the pact", "it" (an agreement named before) and "he"/"she" (the person named last)."""
        folded = text.text
        added = []
        taken = [(m.start, m.end) for m in mentions]
        if self.state.last_agreement and not any(self.types.get(m.entity) == "agreement" for m in mentions):
            for match in ANAPHOR_AGREEMENT.finditer(folded):
                if not any(s <= match.start() < e for s, e in taken):
                    added.append(Mention(self.state.last_agreement, match.start(), match.end(), match.group()))
                    break
        if self.state.last_person:
            for match in ANAPHOR_PERSON.finditer(folded):
                if not any(s <= match.start() < e for s, e in taken):
                    added.append(Mention(self.state.last_person, match.start(), match.end(), match.group()))
        if self.state.last_wanting:
            for match in WANTING_REFERENCE.finditer(folded):
                if not any(m.start < match.end() and match.start() < m.end for m in mentions + added):
                    added.append(Mention(self.state.last_wanting[0], match.start(), match.end(), match.group()))
        mentions = sorted(mentions + added, key=lambda m: m.start)
        return self.issue_references(text, self.group_references(text, mentions))

    def issue_references(self, text: FoldedText, mentions: list[Mention]) -> list[Mention]:
        """"The plan", "the project", "the tribunal": the issue named last whose name has that word (any issue,
        for a plan or project), when what follows does not make it a new one ("the initiative for ...")."""
        if not self.state.issues:
            return mentions
        added = []
        folded = text.text
        for match in ISSUE_REFERENCE.finditer(folded):
            for head in re.finditer(r"[a-z]+", match.group("words")):
                end = match.start("words") + head.end()
                if any(m.start < end and match.start() < m.end for m in mentions) or _NEW_NOUN_PHRASE.match(folded, end):
                    break
                word = head.group()
                issue = next((i for i in reversed(self.state.issues) if word in GENERIC_ISSUE_HEADS
                              or word in fold(" ".join(self._names_of(i))).split()), None)
                if issue is not None and (word in GENERIC_ISSUE_HEADS or ISSUE_HEADS.fullmatch(word)):
                    added.append(Mention(issue, match.start(), end, text.written(match.start(), end)))
                    break
        return sorted(mentions + added, key=lambda m: m.start)

    def _names_of(self, entity_id: str) -> list[str]:
        if entity_id in self.kb.entities:
            return list(self.kb.entities[entity_id].names)
        record = self.new.get(entity_id, {})
        return [record.get("label", ""), *record.get("aliases", ())]

    def group_references(self, text: FoldedText, mentions: list[Mention]) -> list[Mention]:
        """"The three former Soviet republics": each state of the group named last (of that size) stands
        where the words do; names inside the words are modifiers ("Soviet", "Warsaw Pact"), except that
        "the former Warsaw Pact allies" also says whose members they were (see :meth:`memberships`)."""
        self.implied = []
        for match in GROUP_REFERENCE.finditer(text.text):
            if any(m.start < match.start() < m.end or m.start <= match.start("head") < m.end for m in mentions):
                continue  # inside a name, or ending one ("the United States")
            count = COUNTS.get(match.group("count") or match.group().split()[0])
            earlier = self.state.groups + self._state_groups(mention_groups([m for m in mentions if m.end <= match.start()],
                                                                     text.text))
            group = next((g for g in reversed(earlier) if count is None or len(g) == count), None)
            if group is None:
                continue
            inside = [m for m in mentions if match.start() <= m.start < match.end()]
            if match.group("head") in ("allies", "members"):
                self.implied += [(member, m.entity, "former" in match.group()) for m in inside for member in group
                                 if self.types.get(m.entity) in ("international-organization", "agreement")]
            mentions = [m for m in mentions if m not in inside]
            mentions += [Mention(member, match.start(), match.end(), text.written(match.start(), match.end()))
                         for member in group]
        return sorted(mentions, key=lambda m: m.start)

    def memberships(self, sentence: Sentence, when: FoundDate | None) -> list[Draft]:
        """"The former Warsaw Pact allies": the states referred to are (or were) members of the organisation."""
        drafts = []
        for member, organisation, former in self.implied:
            draft = self.draft(sentence, member, "member-of", organisation, "former allies" if former else "allies", when)
            if former:  # the sentence's date is not when they were members
                draft.date, draft.earliest, draft.latest, draft.date_written = None, None, None, None
                draft.date_note = "a former membership: date it from the public record"
            drafts.append(draft)
        return drafts

    def _state_groups(self, groups: list[list[Mention]]) -> list[tuple[str, ...]]:
        """The groups of two or more states named together ("Croatia, Albania and Kosovo")."""
        found = [tuple(dict.fromkeys(m.entity for m in group)) for group in groups]
        return [g for g in found if len(g) > 1 and all(self.types.get(e) in STATES for e in g)]

    # -- who says it ---------------------------------------------------------------------

    def speaker(self, text: FoldedText, mentions: list[Mention]) -> tuple[str | None, Mention | None]:
        """The sentence's speaker, and the mention that names them in an attribution ("..., X said")."""
        folded = text.text
        speakers = [m for m in mentions if self.types.get(m.entity) in ACTORS]
        for mention in speakers:
            if ACCORDING.search(folded[: mention.start]):
                return mention.entity, mention
        for mention in speakers:
            if SAYS_AFTER.match(folded[mention.end :]):
                attribution = mention.end > len(folded) * 0.6  # "..., Russia's Foreign Ministry said Friday."
                if sum(m.start == mention.start for m in mentions) > 1:
                    return None, mention if attribution else None  # "the three governments said": no one voice
                return mention.entity, mention if attribution else None
            if SAID_BEFORE.search(folded[: mention.start]):
                return mention.entity, mention
        if PRONOUN_SAYS.search(folded):
            who = self.state.last_speaker or self.state.last_person
            return who, None
        if text.original.lstrip()[:1] in "\"“" and self.state.last_speaker:
            return self.state.last_speaker, None  # a bare quotation continues the last speaker
        return None, None

    def first_person(self, text: FoldedText, mentions: list[Mention], speaker: str, date) -> list[Mention]:
        """"We" in a speaker's words is the side they speak for; "our partners" the organisation the article
        last made that side a member of, if any."""
        side = self.speaks_for(speaker, date)
        taken = [(m.start, m.end) for m in mentions]
        added = []
        if side in self.state.memberships:
            for match in OUR_ALLIES.finditer(text.text):
                if not any(s <= match.start() < e for s, e in taken):
                    added.append(Mention(self.state.memberships[side], match.start(), match.end(), match.group()))
                    taken.append((match.start(), match.end()))
        added += [Mention(side, m.start(), m.end(), m.group()) for m in FIRST_PERSON.finditer(text.text)
                  if not any(s <= m.start() < e for s, e in taken)]
        return sorted(mentions + added, key=lambda m: m.start)

    def characterised(self, cue, mentions: list[Mention], speaker: str | None, said_by: Mention | None) -> list:
        """"Russia's increasingly aggressive behavior", "labeled the Russian demand as unacceptable": the speaker
        characterises the actor named just before the adjective."""
        if speaker is None or not cue.word.startswith(ADJECTIVE_CUES):
            return []
        before = [m for m in mentions if m.end <= cue.start and m is not said_by and m.entity != speaker
                  and self.types.get(m.entity) in ACTORS | {"agreement"}]
        if not before:
            return []
        who = said_by or Mention(speaker, cue.start, cue.start, "")
        return [(who, before[-1])]

    def issue_pair(self, text: FoldedText, cue, groups: list[list[Mention]], mentions: list[Mention]):
        """A stance with no entity to aim at ("argued against the tribunal"): its object is the issue the words
        after the cue name, one the knowledge base has or a draft issue named by them, for the curator to name
        as the knowledge base does."""
        if cue.relation not in STANCES:
            return []
        folded = text.text
        before = [g for g in groups if g[-1].end <= cue.start and self.types.get(g[0].entity) in ACTORS]
        if not before:
            return []
        subject = before[-1][0] if _NEAR_SUBJECT.fullmatch(folded[before[-1][-1].end : cue.start]) else before[0][0]
        issues = [(issue, against) for issue, against in self.issues_after(
            text, cue.end, self.clause_end(folded, cue.end, mentions), mentions, subject) if issue.start - cue.end < 40]
        if issues:  # what the stance is about follows it closely
            return [(subject, issues[0][0])]
        if re.match(r"\w*\s+to\s", folded[cue.end :]):
            return []  # "seeks to maintain": what is sought is a verb phrase, not an issue to name
        phrase = issue_phrase(text.written, folded, _word_end(folded, cue.end), self.clause_end(folded, cue.end, mentions))
        if phrase is None or len(phrase.words) < 4:
            return []
        return [(subject, self.new_issue(text, phrase))]

    def issues_after(self, text: FoldedText, start: int, limit: int, mentions: list[Mention],
                     subject: Mention, party: Mention | None = None) -> list[tuple[Mention, bool]]:
        """Issues named between ``start`` and ``limit``: by a name or reference, or by the content words of a
        known issue's name; each with whether it is worded as its removal ("the withdrawal of ..."). The party
        a demand is made of is understood ("wants NATO to ... prevent new members": NATO's)."""
        folded = text.text
        named: list[Named] = [(m.entity, m.start, m.end) for m in mentions if self.types.get(m.entity) != "issue"]
        also = [subject.entity] if re.search(r"(?<![\w])(?:its|their)(?![\w])", folded[start:limit]) else []
        also += [party.entity] if party is not None else []
        by_name = [m for m in mentions if self.types.get(m.entity) == "issue" and start <= m.start < limit]
        found = [(m, against_words(folded[max(start, m.start - 20) : m.end])) for m in by_name]
        found += [(Mention(f.entity, f.start, f.end, text.written(f.start, f.end)), f.against)
                  for f in self.issue_finder.find(folded, start, limit, named, also, [m.entity for m in by_name])]
        return sorted(found, key=lambda pair: pair[0].start)

    def issues_read(self, text: FoldedText, start: int, limit: int, mentions: list[Mention], subject: Mention,
                    whole: tuple[int, int] | None = None, party: Mention | None = None) -> list[tuple[Mention, bool]]:
        """The issues the words from ``start`` name, phrase by phrase ("no new military bases in ex-Soviet
        countries and prevent new members"): one the knowledge base has where a phrase names it, else a draft
        issue named by the phrase; then any the ``whole`` stretch names across its phrases."""
        folded = text.text
        # "called on Russia to withdraw its troops": the party's; "demands ... from the US on its proposals": the subject's
        whose = party if party is not None and party.end <= start and re.match(r"\s*to\s", folded[start:]) else subject
        owner = self.labels.get(self.speaks_for(whose.entity, self.published), whose.written)
        found: list[tuple[Mention, bool]] = []
        for phrase in issue_phrases(text.written, folded, start, limit, owner):
            known = self.issues_after(text, phrase.start, phrase.end, mentions, subject, party)
            found += [(issue, against or phrase.against) for issue, against in known] or [
                (self.new_issue(text, phrase), phrase.against)]
        if whole is not None:
            found += self.issues_after(text, *whole, mentions, subject, party)
        unique: dict[str, tuple[Mention, bool]] = {}
        for issue, against in found:
            unique.setdefault(issue.entity, (issue, against))
        return list(unique.values())

    def clause_end(self, folded: str, at: int, mentions: list[Mention]) -> int:
        """Where what a cue at ``at`` governs ends (see :func:`_clause_end`), or at a comma before another actor
        ("While Merz insisted that ..., Radev emphasized ...")."""
        end = _clause_end(folded, at)
        later = next((m.start for m in mentions if at < m.start < end and self.types.get(m.entity) in ACTORS
                      and re.search(r",\s*$", folded[max(at, m.start - 3) : m.start])), None)
        return later if later is not None else end

    def issue_object(self, text: FoldedText, cue, relation: str, subject: Mention, obj: Mention,
                     mentions: list[Mention]) -> tuple[Mention, str]:
        """A stance's object named inside the issue it is about ("not to support the initiative for an
        international tribunal against Vladimir Putin") gives way to that issue; worded as a removal, the
        stance turns round."""
        folded = text.text
        limit = self.clause_end(folded, cue.end, mentions)
        for issue, against in self.issues_after(text, cue.start, limit, mentions, subject):  # "supporting Ukraine
            if issue.start <= obj.start < issue.end:  # militarily": military support for Ukraine
                return issue, _turned(relation, against)
        phrase = issue_phrase(text.written, folded, _word_end(folded, cue.end), limit)
        if phrase is None or not phrase.start <= obj.start < phrase.end:
            return obj, relation
        known = self.issues_after(text, phrase.start, phrase.end, mentions, subject)
        if known and (ISSUE_HEADS.search(folded, phrase.start, obj.start) or _MODIFYING.match(folded, obj.end)):
            return known[0][0], _turned(relation, known[0][1] or phrase.against)
        if ISSUE_HEADS.search(folded, phrase.start, obj.start):  # "the initiative for a tribunal against Putin"
            return self.new_issue(text, phrase), _turned(relation, phrase.against)
        return obj, relation

    def wanted(self, text: FoldedText, cue, draft: Draft, subject: Mention, party: Mention,
               mentions: list[Mention]) -> list[Draft]:
        """What a demand or an appeal wants ("is seeking the withdrawal of NATO forces ... from Romania and
        Bulgaria"): its issue becomes the draft's ``regarding``, and the subject's own stance on it is drafted
        beside it (opposing what it wants withdrawn or prevented)."""
        folded = text.text
        limit = self.clause_end(folded, cue.end, mentions)
        # "called on the EU to ...", "demands responses from the US on ...": what is wanted follows the party;
        # "seeking the withdrawal of NATO forces": the party is inside it
        complement = party.start >= cue.end and not re.match(r"(?:'s)?\s+(?!(?:on|about|over|to|for|regarding)\b)[a-z]",
                                                              folded[party.end :])
        start = party.end if complement else _word_end(folded, cue.end)
        issues = self.issues_read(text, start, limit, mentions, subject, whole=(cue.end, limit), party=party)
        if not issues:
            return []
        draft.regarding = issues[0][0].entity
        stances = []
        for issue, against in issues:
            own = Draft(draft.subject, "opposes" if against else "supports", issue.entity, draft.source, draft.quote,
                        draft.sentence, f"{draft.cue} ({'against' if against else 'for'} it)", polarity=draft.polarity,
                        modality=draft.modality, speaker=draft.speaker)
            _same_date(own, draft)
            stances.append(own)
        return stances

    def new_issue(self, text: FoldedText, phrase: Phrase) -> Mention:
        issue = self.entity(slug(phrase.words), phrase.words, "issue", [],
                            "new issue: name it as the knowledge base names issues")
        self.state.issues.append(issue)
        return Mention(issue, phrase.start, phrase.end, phrase.words)

    # -- agreements nobody named yet -------------------------------------------------------

    def new_agreement(self, text: FoldedText, mentions: list[Mention], date) -> list[Mention]:
        folded = text.text
        if any(self.types.get(m.entity) == "agreement" for m in mentions):
            return mentions
        cue = re.search(r"(?<![\w])(?:sign|ink|conclud|join)\w*", folded)
        if cue is None:
            return mentions
        taken = [(m.start, m.end) for m in mentions]
        for match in AGREEMENT_NP.finditer(folded):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            if re.fullmatch(rf"the {_AGREEMENT_HEAD}", match.group()):
                continue  # "the agreement": one named before, or none to draft
            phrase = text.written(match.start("np"), match.end("np"))
            head = re.sub(r" (?:of|on) .*$", "", phrase)  # the id leaves out the complement: "joint declaration"
            placeholder = f"{PLACEHOLDER}{match.start()}"
            self.types[placeholder] = "agreement"
            self.labels[placeholder] = phrase
            self.heads[placeholder] = head
            mention = Mention(placeholder, match.start(), match.end(), text.written(match.start(), match.end()))
            return sorted([*mentions, mention], key=lambda m: m.start)
        return mentions

    def agreement_parties(self, sentence: Sentence, text: FoldedText, drafts: list[Draft], when) -> list[Draft]:
        """Co-signers ("signed Z with Hungary") sign too; agreements drafted here are named after their
        parties; a military agreement signed as a fact makes its parties cooperate from its signing."""
        folded = text.text
        extra: list[Draft] = []
        signing = [d for d in drafts if d.relation == "signs"]
        with_at = folded.find(" with ")
        partners = [m for m in self.finder.find(text) if with_at >= 0 and m.start > with_at
                    and self.types.get(m.entity) in ("state", "partially-recognized-state", "international-organization")]
        for draft in (d for d in signing if d.polarity == "affirmed"):
            for partner in partners[:1] if partners and partners[0].entity != draft.subject else []:
                co = self.draft(sentence, partner.entity, "signs", draft.object, draft.cue, when)
                co.modality, co.speaker = draft.modality, draft.speaker
                _same_date(co, draft)
                extra.append(co)
        by_agreement: dict[str, list[Draft]] = {}
        for draft in signing + extra:
            by_agreement.setdefault(draft.object, []).append(draft)
        for agreement, signers in by_agreement.items():
            parties = list(dict.fromkeys(self.speaks_for(d.subject, _date(d)) for d in signers))
            final = agreement
            if agreement.startswith(PLACEHOLDER):
                phrase = self.labels[agreement]
                final = self.entity(
                    "-".join([*parties, slug(self.heads[agreement])]),
                    f"{'–'.join(self.labels.get(p, p) for p in parties)} {phrase}", "agreement", [phrase],
                    "new agreement: check its name, its parties and its date",
                )
                for d in drafts + extra:
                    if d.object == agreement:
                        d.object = final
            self.state.last_agreement = final
            if all(d.modality == "fact" and d.polarity == "affirmed" for d in signers):
                self.state.parties[final] = set(parties)
                if MILITARY.search(fold(self.labels.get(final, ""))):
                    extra += self._cooperation(sentence, parties, signers[0], when)
        return extra

    def _cooperation(self, sentence: Sentence, parties: list[str], signing: Draft, when) -> list[Draft]:
        pairs = []
        for i, first in enumerate(parties):
            for second in parties[i + 1 :]:
                pair = self.draft(sentence, first, "cooperates-with", second, signing.cue, when)
                _same_date(pair, signing)
                pair.interval = True
                pairs.append(pair)
        return pairs

    # -- one stance ------------------------------------------------------------------------

    def stance(self, sentence, text: FoldedText, subject: Mention, relation: str, obj: Mention, cue, speaker, denial,
               modality, when) -> list[Draft]:
        folded = text.text
        subject_id = subject.entity
        date = when.date if when and when.date else self.published
        said_by = speaker
        if relation not in IN_PERSON and self.types.get(subject_id) in ("person", "government-body"):
            side = self.speaks_for(subject_id, date)
            if side != subject_id:
                said_by, subject_id = said_by or subject_id, side
        if relation == "supports" and cue.negated and self.types.get(obj.entity) == "issue":
            relation, cue = "rejects", _LooseCue("rejects", cue.start, cue.end, cue.word)  # "decided not to support
            # the initiative": a rejection of it (convention "Issues carry what is at stake")
        draft = self.draft(sentence, subject_id, relation, obj.entity, cue.word, when)
        draft.polarity = "denied" if cue.negated or denial else "affirmed"
        if subject.start > cue.start and modality != "claim":
            modality = None  # "X was preparing a visit, at the invitation of Y": X's intention is not Y's
        own_side = said_by is not None and self.speaks_for(said_by, date) in (subject_id, self.speaks_for(subject_id, date))
        # A claimed or denied intention stays an intention, its claimant or denier speaking (convention "Claims
        # and denials share one triple"): "claimed that Bulgaria had confirmed its intention to join".
        authors_reading = self.author is not None and speaker is None  # "Putin would rather be remembered as"
        intended = subject.start < cue.start and (
            bool(MODALITY_PATTERNS["intention"].search(folded[: cue.end]))
            or (relation != "holds-office" and not authors_reading and bool(INTENTION_WOULD.search(folded[: cue.start]))))
        read = OPINION_CUES.search(folded[: cue.start]) and self.author and said_by is None
        # An act the essay dates is an act it reports ("held joint exercises with Hungary in February"): a fact,
        # not the author's reading (curation rule 3).
        dated_act = when is not None and when.date is not None
        if intended and not read:  # "this is why the Kremlin ... preparations for": the author's reading
            draft.modality = "intention"
        elif modality == "claim" or (said_by is not None and not own_side) or (draft.polarity == "denied" and said_by):
            draft.modality = "claim"
        elif OPINION_CUES.search(folded[: cue.start]) or (self.author and said_by is None and relation not in IN_PERSON
                                                          and not dated_act):
            draft.modality = "opinion"
        if draft.polarity == "denied" and said_by is None and draft.modality != "opinion":
            said_by = subject_id  # a denial is its denier's word (curation rule 4)
            draft.modality = draft.modality if intended else "claim"
        if draft.modality == "opinion" and (said_by is None or (speaker is None and self.author)):
            said_by = self.author  # the essay's reading, whoever it is about ("Putin would rather be remembered")
        draft.speaker = said_by if said_by != draft.subject or draft.modality in ("claim", "opinion") or (
            intended and draft.polarity == "denied") else None
        if draft.modality == "claim" and draft.speaker is None:
            draft.speaker = said_by or subject_id
        return [draft]

    def draft(self, sentence: Sentence, subject: str, relation: str, obj: str, cue: str, when: FoundDate | None,
              quote: str | None = None, role: str | None = None) -> Draft:
        draft = Draft(subject, relation, obj, self.source.id, quote or sentence.text, sentence, cue, role=role)
        if when is not None and when.date is not None:
            draft.date, draft.dated_by, draft.date_written, draft.date_note = str(when.date), "article", when.written, when.note
            draft.earliest, draft.latest = (str(b) if b else None for b in (when.earliest, when.latest))
        elif self.published is not None:
            draft.date, draft.dated_by = str(self.published), "publication"
        return draft


_CLAUSE_END = re.compile(r"[;:]|,?\s(?:as part of|said|says|told|according to|amid|despite|because)(?![\w])")


#: After a name, what makes it a modifier of a noun ("the EU budget", "Ukraine's membership") rather than the
#: one a stance is about.
_MODIFYING = re.compile(r"(?:'s)?\s+(?!(?:and|or|to|in|on|of|for|with|from|by|as|at|that|which|who|is|are|was|were|"
                        r"has|have|had|will|would|said|says|over|after|before|because|while)\b)[a-z]+(?<!ly)\b")


def _clause_end(folded: str, at: int) -> int:
    """Where what a cue governs ends: at a semicolon, a colon or a dash that sets off a clause, or at words that
    begin a reason or a reporting tail ("as part of its demands", ", Russia's Foreign Ministry said")."""
    end = _CLAUSE_END.search(folded, at)
    return end.start() if end else len(folded)


def _word_end(folded: str, at: int) -> int:
    """The end of the word ``at`` is in (a cue matched by its beginning: "seek" in "seeking")."""
    match = re.compile(r"[a-z']*").match(folded, at)
    return match.end() if match else at


def _turned(relation: str, against: bool) -> str:
    """Supporting a removal opposes what is removed, and opposing it supports it."""
    return {"supports": "opposes", "opposes": "supports"}.get(relation, relation) if against else relation


#: "Said on Wednesday that ...": what follows is reported, and the date before it is the report's.
_REPORTED = re.compile(r"(?<![\w])that(?![\w])")


def _cue_date(text: FoldedText, cue, cues: list, dates: list[FoundDate]) -> FoundDate | None:
    """The date a cue's drafts take. A date before every cue of the sentence ("On Tuesday, X signed ... and
    rejected ...") dates them all; a date after a cue dates that cue ("joined NATO in 2004"), not the cues
    after it ("... and currently have agreements to deploy"), which take the next date or none. A date
    before a reported "that" dates the reporting, so one after the cue dates the cue ("reminded parliament
    on Wednesday that Romania joined NATO in 2004": 2004)."""
    at = text.offsets[cue.start]
    others = [text.offsets[c.start] for c in cues if c is not cue]
    before = [d for d in dates if d.end <= at and not any(o < d.start for o in others)]
    after = [d for d in dates if d.start >= at and not any(at < o < d.start for o in others)]
    if before and after and _REPORTED.search(text.original, before[-1].end, at):
        before = []
    found = before[-1:] or after[:1]
    return found[0] if found else None


def _same_date(draft: Draft, like: Draft) -> None:
    draft.date, draft.dated_by, draft.date_written = like.date, like.dated_by, like.date_written
    draft.date_note, draft.earliest, draft.latest = like.date_note, like.earliest, like.latest


def sentence_date(sentence: str, source: Source) -> FoundDate | None:
    """The date a sentence's drafts take: the first it writes that resolves, against the days its
    source can have been published (see :mod:`alliancegraph.relative_dates`)."""
    found = find_dates(sentence, source.published, source.publication_days)
    return next((d for d in found if d.date is not None), None)


def _date(draft: Draft) -> PartialDate | None:
    return PartialDate.parse(draft.date) if draft.date else None


def _merge(mentions: list[Mention], spans: list[_Span], text: FoldedText) -> list[Mention]:
    """Mentions with every span's mentions replaced by one mention of the span's entity."""
    kept = [m for m in mentions if not any(s.start <= m.start < s.end for s in spans)]
    merged = [Mention(s.entity, s.start, s.end, text.written(s.start, s.end)) for s in _outermost(spans)]
    return sorted(kept + merged, key=lambda m: m.start)


def _outermost(spans: list[_Span]) -> list[_Span]:
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    kept: list[_Span] = []
    for span in ordered:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def _capitalised_name(text: FoldedText, start: int) -> tuple[str | None, int]:
    """A person's name written from ``start``: two to four capitalised words (particles allowed inside)."""
    words: list[tuple[str, int]] = []
    position = start
    for match in re.finditer(r"[a-z0-9']+", text.text[start:]):
        if match.start() + start != position:
            break
        written = text.written(start + match.start(), start + match.end())
        if not (written[:1].isupper() or (words and match.group() in NAME_PARTICLES)) or TITLE.fullmatch(match.group()):
            break
        if any(c.isupper() for c in written[1:]) or match.group() in NOT_NAMES:
            break  # "GeorgievBulgaria": words run together by a page; "Ministry": not a name
        words.append((written, start + match.end()))
        position = start + match.end() + 1
        if len(words) == 4:
            break
    while words and fold(words[-1][0]) in NAME_PARTICLES:
        words.pop()
    if len(words) < 2:
        return None, start
    return " ".join(w for w, _ in words), words[-1][1]


def draft_article(kb: KnowledgeBase, source: Source, text: str) -> Drafted:
    """Draft ``text`` (the article of ``source``), skipping sentences the knowledge base already quotes for it."""
    covered = [a.evidence for a in kb.assertions if a.source == source.id and a.evidence is not None]
    return Extractor(kb, source).run(text, covered)
