"""Reading an article for drafting: its sentences, the known entities they mention, and the
cues of relation, polarity and modality between them.

:mod:`alliancegraph.drafting` turns what is read here into draft assertions;
:mod:`alliancegraph.suggest` writes them out for a curator. Every relation of
the vocabulary has its cues in :data:`RELATION_CUES` and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .evidence import normalise
from .model import Entity
from .resolve import fold
from .vocabulary import RELATIONS

__all__ = [
    "MODALITY_CUES",
    "MODALITY_PATTERNS",
    "POLARITY_CUES",
    "POLARITY_PATTERNS",
    "RELATION_BY_OBJECT_TYPE",
    "RELATION_CUES",
    "Cue",
    "FoldedText",
    "Mention",
    "MentionFinder",
    "Sentence",
    "find_mentions",
    "first_cue",
    "implied_cues",
    "mention_groups",
    "cue_pairs",
    "existence_denials",
    "overlaps",
    "own_decisions",
    "relation_cues",
    "split_sentences",
]

#: Words that signal each relation, as folded word beginnings ("sign" finds
#: "signed" and "signing"). Every relation of the vocabulary has its cues here
#: and nowhere else; a test keeps the table and the vocabulary in step.
RELATION_CUES: dict[str, tuple[str, ...]] = {
    "signs": ("sign", "ink", "conclude"),
    "member-of": ("join", "member", "accession", "accede", "admitted"),
    "cooperates-with": ("cooperat", "co operat", "deploy", "exercise", "coordinat"),
    "aligns-with": ("align", "orbit", "strategic partnership", "side with", "sided with"),
    "supports": ("support", "back", "endors", "favours", "favors", "favoured", "favored", "champion"),
    "opposes": ("oppos", "against", "block", "resist", "object to"),
    "criticizes": ("critic", "condemn", "denounc", "provocative", "undermin", "slam"),
    "accuses": ("accus", "blame", "pressur", "aggressive"),
    "demands": ("demand", "seek", "calls for", "called for", "insists on", "insisted on", "wants", "ultimatum"),
    "rejects": ("reject", "dismiss", "refus", "unacceptable", "non starter", "turn down", "turned down"),
    "appeals-to": ("call on", "calls on", "called on", "urge", "appeal"),
    "meets": ("meet", "met with", "talks with", "press conference", "visit"),
    "invites": ("invit",),
    "holds-office": ("minister", "president", "prime minister", "secretary general", "chancellor", "leader",
                     "ambassador", "spokes", "envoy", "head of"),
}

#: A title sits right beside its holder's name ("Kosovo's Defense Minister Ejup
#: Maqedonci"): further apart than this many characters, a person and a body are
#: not drafted as an office.
OFFICE_REACH = 40

#: Joining an agreement is becoming party to it, which the vocabulary calls "signs".
RELATION_BY_OBJECT_TYPE = {("member-of", "agreement"): "signs"}

#: Cues that turn an assertion into a denial. "not" counts only right before a relation cue.
POLARITY_CUES: dict[str, tuple[str, ...]] = {
    "denied": ("deny", "denie", "denial", "inaccurate", "untrue", "false", "baseless"),
}
NEGATION = ("not", "never", "no longer")

#: Cues for the modality; the first listed that occurs wins, fact when none does.
MODALITY_CUES: dict[str, tuple[str, ...]] = {
    "claim": ("claim", "alleg", "reportedly", "according to"),
    "intention": ("willing", "intention", "intend", "interest", "desire", "plan to", "plans to", "ready to", "prepar",
                  "forthcoming", "upcoming", "push to", "bid to", "aims to", "aim to"),
}

#: A sentence ends at . ! or ? (with any closing quote) before a capital, a digit or an opening quote.
_BOUNDARY = re.compile(r"""[.!?]["'”’)]*\s+(?=["'“‘(]?[A-Z0-9])""")
_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Gen.", "Lt.", "Col.", "Sen.", "Prof.", "No.", "U.S.", "U.K.", "Jan.",
                  "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
#: Lines shorter than this many words are headlines, captions or page furniture, not reporting.
MIN_WORDS = 6


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offsets in the article (code points, end exclusive)
    end: int


@dataclass(frozen=True)
class Mention:
    entity: str
    start: int  # offsets in the sentence's folded text
    end: int
    written: str


# -- sentences and mentions --------------------------------------------------------


def split_sentences(text: str) -> list[Sentence]:
    """The article's sentences with their offsets; short lines (headlines, captions) are left out."""
    sentences = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for piece_start, piece_end in _pieces(line.group()):
            piece = line.group()[piece_start:piece_end]
            stripped = piece.strip()
            if len(stripped.split()) >= MIN_WORDS and not _headline(stripped):
                offset = start + piece_start + (len(piece) - len(piece.lstrip()))
                sentences.append(Sentence(stripped, offset, offset + len(stripped)))
    return sentences


def _headline(line: str) -> bool:
    """A headline, caption or link: most words capitalised and no closing punctuation."""
    words = line.split()
    capitalised = sum(word[:1].isupper() or word[:1].isdigit() for word in words)
    return not line.endswith((".", "!", "?", "\"", "”", "’", "'", ")", ":")) and capitalised >= 0.6 * len(words)


def _pieces(line: str) -> Iterator[tuple[int, int]]:
    begin = 0
    for boundary in _BOUNDARY.finditer(line):
        before = line[begin : boundary.start() + 1]
        if before.endswith(_ABBREVIATIONS):
            continue
        end = boundary.end() - (len(boundary.group()) - len(boundary.group().rstrip()))
        yield begin, end
        begin = boundary.end()
    yield begin, len(line)


#: Dashes that set off a clause ("its orbit—another country that ...") rather than join a name.
_CLAUSE_DASHES = "\u2014\u2015"


class FoldedText:
    """Text folded like :func:`resolve.fold` (case, diacritics, quotes, dashes, spaces),
    with a map from each folded character back to its place in the original; an
    em dash becomes ";", a clause break."""

    def __init__(self, original: str):
        self.original = original
        chars: list[str] = []
        offsets: list[int] = []
        for index, char in enumerate(original):
            if char in _CLAUSE_DASHES:
                piece = ";"
            else:
                piece = normalise(char) if char.strip() else " "
                piece = " " if piece in ("-", "_") else fold(piece) if piece.strip() else " "
            for folded in piece:
                if folded == " " and (not chars or chars[-1] == " "):
                    continue
                chars.append(folded)
                offsets.append(index)
        self.text = "".join(chars)
        self.offsets = offsets

    def written(self, start: int, end: int) -> str:
        """The original text behind folded characters ``start:end``."""
        return self.original[self.offsets[start] : self.offsets[end - 1] + 1]


def _fold_name(name: str) -> str:
    return fold(normalise(name))


class MentionFinder:
    """Finds entities in text by id, label and alias (longest name first)."""

    def __init__(self, entities: Iterable[Entity], extra: dict[str, str] | None = None):
        self.names: dict[str, str] = {}
        self.upper: set[str] = set()
        ambiguous = set()
        named = [(name, entity.id) for entity in entities for name in entity.names]
        for name, entity_id in named + list((extra or {}).items()):
            key = _fold_name(name)
            if len(key) < 2:
                continue
            if self.names.setdefault(key, entity_id) != entity_id:
                ambiguous.add(key)
            if name.isupper():  # "EU", "NATO": only in capitals, never the word "eu"
                self.upper.add(key)
        for key in ambiguous:
            del self.names[key]
        alternatives = sorted(self.names, key=len, reverse=True)
        body = "|".join(re.escape(name) for name in alternatives) or r"(?!)"
        self.pattern = re.compile(rf"(?<![\w])(?:{body})(?![\w])")

    def find(self, text: FoldedText) -> list[Mention]:
        mentions = []
        for match in self.pattern.finditer(text.text):
            written = text.written(match.start(), match.end())
            if match.group() in self.upper and not written.isupper():
                continue
            mentions.append(Mention(self.names[match.group()], match.start(), match.end(), written))
        return mentions


def find_mentions(text: str, entities: Iterable[Entity]) -> list[Mention]:
    """Every known entity named in ``text``, in order of appearance."""
    return MentionFinder(entities).find(FoldedText(text))


# -- cues ----------------------------------------------------------------------------


def _cue_pattern(words: Iterable[str]) -> re.Pattern:
    """Word beginnings, not after "non" ("non-aligned Finland" aligns with nobody)."""
    alternatives = sorted((_fold_name(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?<!non )(?:" + "|".join(re.escape(w) for w in alternatives) + r")\w*")


RELATION_PATTERNS = {relation: _cue_pattern(words) for relation, words in RELATION_CUES.items()}
POLARITY_PATTERNS = {polarity: _cue_pattern(words) for polarity, words in POLARITY_CUES.items()}
MODALITY_PATTERNS = {modality: _cue_pattern(words) for modality, words in MODALITY_CUES.items()}
_NEGATED = re.compile(r"(?<![\w])(?:" + "|".join(NEGATION) + r")(?:\s+\w+){0,2}\s+$")
_CLAUSE = re.compile(r"(?<![\w])that(?![\w])|[:;]")
_PASSIVE = re.compile(r"^\s*by\b")  # "signed by", after the cue word
_INVITED = re.compile(r"^\s*of\b")  # "at the invitation of X": X invites
#: Between a subject and its verb: a few words, no clause break, no preposition ("Russia also wants",
#: "Kosovo has signed"; not "bringing Slovakia into its orbit").
_NEAR = re.compile(r"(?:\s+(?!(?:into|in|to|with|from|of|for|on|at|by|its|their|the|a|an|that)\b)[a-z']+){0,4}\s*")
#: A name followed by one of these is a modifier ("NATO forces", "Warsaw Pact allies"), not who acts.
_MODIFIER = re.compile(
    r"\s*(?:'s\s+)?(?:allies|members?|member states|countries|forces|troops|weapons|infrastructure|presence|bases|"
    r"officials|soldiers|army|military|territor\w*|borders?|influence|narrative|regime|"
    r"economy|society|gas|assets|energy|sanctions|security|integration|membership|partners?)(?![\w])"
)
#: A cue after one of these is a noun ("the Russian demand", "Moscow's demands"), not what the subject does.
_NOUN_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|another|any|each|every|no|its|their|his|her|this|that|these|those)(?:\s+[a-z]+)?|'s|"
    r"\b(?:new|more|other|future|potential|former))\s+$"
)
#: Cues that count after an article: noun phrases and adjectives ("into its orbit", "a provocative move").
_ALWAYS_CUES = ("orbit", "strategic partnership", "press conference", "ultimatum", "non starter", "talks with",
                "provocative", "aggressive", "unacceptable", "hostil")
#: Cue words that are nouns whatever precedes them.
_NOUN_FORM = re.compile(r"(?:membership|accession|invitation|backing|endorsement|opposition|criticism|support(?![a-z])|"
                        r"meeting|agreement|accord|alignment|interest|intention|members)(?![\w])")
#: An infinitive after another verb ("pressuring X to join", "urged Y to sign").
_GOVERNED = re.compile(r"\bto\s+$")
#: ... unless what governs it says it is agreed ("have agreements in place to deploy", "agreed to hold").
_AGREED = re.compile(r"\b(?:agree\w*|agreements? in place|committed|decided|decision\b(?:\s+by(?:\s+[a-z']+){1,6})?)"
                     r"\s+(?:not\s+)?to\s+$")


#: Words that deny a state or a people its existence ("the claim that Ukraine is not a genuine nation",
#: "denies the existence of a Moldovan nation", "questions Georgia's statehood"): whoever says so is hostile
#: to it, which the vocabulary records as ``opposes`` (convention "No relation for war").
_NATIONHOOD = r"(?:nation|state|country|people)(?:hood)?"
_DENIED_AFTER = re.compile(
    rf"(?:'s)?\s+(?:(?:is|was|are|were)\s+(?:not|no)\s+(?:an?\s+)?(?:(?:genuine|real|true|legitimate|proper|separate)"
    rf"\s+)?{_NATIONHOOD}(?![\w])|(?:has|had|have)\s+no\s+right\s+to\s+exist)"
)
_DENYING = r"(?<![\w])(?:den(?:y|ies|ied|ying)|question(?:s|ed|ing)?|reject(?:s|ed|ing)?)\s+"
_EXISTENCE = r"(?:existence|statehood|nationhood|sovereignty|right to exist)"
_DENIED_OF = re.compile(rf"{_DENYING}(?:the\s+)?{_EXISTENCE}\s+of\s+(?:(?:an?|the)\s+)?(?:[a-z]+\s+)?$")
_DENYING_BEFORE = re.compile(rf"{_DENYING}$")
_POSSESSED_EXISTENCE = re.compile(rf"'s\s+{_EXISTENCE}(?![\w])")


def existence_denials(folded: str, mentions: list[Mention]) -> Iterator[tuple[Mention, int, int]]:
    """Each mention whose existence as a state or nation the words around it deny, with where those words
    are: "Ukraine is not a genuine nation", "Moldova has no right to exist", "denies Moldova's statehood",
    "questioned the existence of a separate Ukrainian nation"."""
    for mention in mentions:
        after = _DENIED_AFTER.match(folded, mention.end)
        of = _DENIED_OF.search(folded, 0, mention.start)
        before = _DENYING_BEFORE.search(folded, 0, mention.start)
        if after is not None:
            yield mention, mention.end, after.end()
        elif of is not None:
            yield mention, of.start(), mention.end
        elif before is not None and (owned := _POSSESSED_EXISTENCE.match(folded, mention.end)):
            yield mention, before.start(), owned.end()


#: Words by which a side says a decision is its own: it needs no one's permission ("Croatia needs no
#: permission from Belgrade", "does not need Moscow's approval") or decides alone ("we decide alone how to
#: organise the defence of our country"). Curators read them as rejecting whoever claims a say.
_PERMISSION = r"(?:permission|approval|consent|blessing|authori[sz]ation)"
_NO_PERMISSION = re.compile(
    rf"(?<![\w])(?:(?:needs?|requires?|seeks?|asks? for)\s+no\s+(?:(?:one|anyone)'s\s+)?{_PERMISSION}"
    rf"|(?:does|do|did)\s+not\s+(?:need|require|seek|ask for)\s+(?:(?:the|any)\s+)?{_PERMISSION})(?:\s+(?:from|of))?"
    r"(?![\w])"
)
_NOT_NEEDING = re.compile(r"(?<![\w])(?:(?:does|do|did)\s+not|never)\s+(?:need|require|seek|ask for)\s+$")
_POSSESSED_PERMISSION = re.compile(rf"'s\s+{_PERMISSION}(?![\w])")
_DECIDES_ALONE = re.compile(
    r"(?<![\w])decid(?:e|es|ed|ing)\s+(?:alone|by (?:itself|ourselves|themselves)|for (?:itself|ourselves|themselves)|"
    r"on (?:its|our|their) own)(?![\w])"
)


def own_decisions(folded: str, mentions: list[Mention]) -> Iterator[tuple[int, int, Mention | None]]:
    """Where the words say a decision is the subject's own, with whom they deny a say: "needs no permission
    from Belgrade" (Belgrade), "does not need Moscow's approval" (Moscow), "we decide alone" (no one named)."""
    for match in _NO_PERMISSION.finditer(folded):
        target = next((m for m in mentions if match.end() <= m.start <= match.end() + 1), None)
        if target is not None or not match.group().endswith(("from", "of")):
            yield match.start(), match.end(), target
    for mention in mentions:
        needing = _NOT_NEEDING.search(folded, 0, mention.start)
        owned = _POSSESSED_PERMISSION.match(folded, mention.end)
        if needing is not None and owned is not None:
            yield needing.start(), owned.end(), mention
    for match in _DECIDES_ALONE.finditer(folded):
        yield match.start(), match.end(), None


@dataclass(frozen=True)
class Cue:
    relation: str
    start: int
    end: int
    word: str
    negated: bool


def relation_cues(folded: str, mentions: list[Mention]) -> list[Cue]:
    """The first cue of each relation outside entity names (the "Declaration" in a
    declaration's name is no cue)."""
    taken = [(m.start, m.end) for m in mentions]
    cues = []
    for relation, pattern in RELATION_PATTERNS.items():
        match = next((m for m in pattern.finditer(folded) if not any(s <= m.start() < e for s, e in taken)
                      and not _noun(folded, m.start(), taken) and not _agentless(folded, m)), None)
        if match is not None:
            negated = bool(_NEGATED.search(folded[max(0, match.start() - 40) : match.start()]))
            cues.append(Cue(relation, match.start(), match.end(), match.group(), negated))
    return sorted(cues, key=lambda c: (c.start, c.relation))


_PASSIVE_BEFORE = re.compile(r"\b(?:be|been|being|was|were|is|are)\s+(?:[a-z]+ly\s+)?$")


def _agentless(folded: str, cue: re.Match) -> bool:
    """A passive with no one doing it ("cannot be dismissed as a gesture"): no act of anyone named."""
    return bool(re.search(r"(?:ed|en|met|sought|held)$", cue.group())) and bool(  # "is seeking" is no passive
        _PASSIVE_BEFORE.search(folded[max(0, cue.start() - 30) : cue.start()])) and not re.search(
        r"\bby\b", folded[cue.end() : cue.end() + 60])


def _noun(folded: str, start: int, taken: list[tuple[int, int]]) -> bool:
    """Whether the cue at ``start`` is a noun ("the Russian demand", "new members"; not "a member of"),
    or what someone else's verb governs ("pressuring Finland to join": the joining is not said to happen)."""
    before = folded[max(0, start - 40) : start]
    if _GOVERNED.search(before):  # an infinitive is a verb, though what governs it may not say it happens
        return not (MODALITY_PATTERNS["intention"].search(before[-25:]) or _AGREED.search(folded[max(0, start - 90):start]))
    possessed = re.search(r"(?:'s|\b(?:his|her|their))\s+(?:[a-z]+\s+)?$", before)  # "Bulgaria's support for"
    relational = re.match(r"(?:member|invitation) of ", folded[start:])  # "a member of", "at the invitation of"
    if _NOUN_FORM.match(folded, start):  # "NATO membership", "formal backing": only "X's support for Y" counts
        return not (possessed or relational)
    if folded.startswith(_ALWAYS_CUES, start) or re.match(r"[a-z]+ed\b", folded[start:]):
        return False  # "into its orbit": the noun phrase is the cue; "the Kremlin criticized": a verb
    pronoun = re.search(r"\b(?:his|her|their)\s+(?:[a-z]+\s+)?$", before)  # "ahead of his meetings with"
    return bool(_NOUN_BEFORE.search(before)) and not pronoun and not relational


def implied_cues(folded: str, mentions: list[Mention], types: dict[str, str]) -> list[Cue]:
    """Without a relation word, a denial or an intention about an agreement or an
    organisation is about joining it: "reports of Bulgaria's interest in the Declaration"."""
    implied = {"agreement": "signs", "international-organization": "member-of"}
    patterns = [*POLARITY_PATTERNS.values(), MODALITY_PATTERNS["intention"]]
    match = min((m for p in patterns if (m := p.search(folded))), key=lambda m: m.start(), default=None)
    relation = next((implied[types[m.entity]] for m in mentions if types.get(m.entity) in implied), None)
    if match is None or relation is None:
        return []
    return [Cue(relation, match.start(), match.end(), match.group(), False)]


def first_cue(patterns: dict[str, re.Pattern], folded: str) -> str | None:
    for value, pattern in patterns.items():
        if pattern.search(folded):
            return value
    return None


# -- subject and object ----------------------------------------------------------------


#: What joins the entities of a list: a comma, or "and" with up to three words
#: of title ("Zelensky and Bulgarian Prime Minister Nikolai Denkov").
_JOINT = re.compile(r"\s*(,?\s*and|,|&)(?:\s+\w+){0,3}?\s*")


def mention_groups(mentions: list[Mention], folded: str) -> list[list[Mention]]:
    """Entities listed together form one group: "Croatia, Albania, and Kosovo", "Romania and Bulgaria".

    A comma alone does not make a list ("the alliance, Russia's Foreign Ministry said"):
    the list must end with "and".
    """
    groups: list[list[Mention]] = []
    joints: list[list[str]] = []
    for mention in mentions:
        between = folded[groups[-1][-1].end : mention.start] if groups else ""
        joint = _JOINT.fullmatch(between) if groups else None
        if groups and mention.start == groups[-1][-1].start:  # one phrase for several ("the two countries")
            groups[-1].append(mention)
            joints[-1].append("and")
        elif joint:
            groups[-1].append(mention)
            joints[-1].append(joint.group(1))
        else:
            groups.append([mention])
            joints.append([])
    return [piece for group, joint in zip(groups, joints) for piece in _split_unfinished(group, joint)]


def _split_unfinished(group: list[Mention], joints: list[str]) -> list[list[Mention]]:
    if not joints or joints[-1] != ",":
        return [group]
    return [[mention] for mention in group]


def _fitting(group: list[Mention], allowed, types: dict[str, str]) -> list[Mention]:
    return [m for m in group if allowed is None or types.get(m.entity) in allowed]


def cue_pairs(cue: Cue, groups: list[list[Mention]], folded: str, types: dict[str, str]) -> Iterator[tuple[Mention, Mention]]:
    """Who does what to whom around one cue: subject before the cue and object
    after it, the other way round in the passive ("signed by") or when nothing
    before the cue can be the subject ("Kosovo's Defense Minister Ejup Maqedonci")."""
    relation = RELATIONS[cue.relation]
    before = [g for g in groups if g[-1].end <= cue.start]
    after = [g for g in groups if g[0].start >= cue.end]

    def first(side, allowed) -> list[Mention]:
        return next((f for g in side if (f := _fitting(g, allowed, types))), [])

    actors = [kept for g in before if (kept := [m for m in g if not _MODIFIER.match(folded[m.end :])])]
    passive = _PASSIVE.match(folded[cue.end :]) or (cue.relation == "invites" and _INVITED.match(folded[cue.end :]))
    subjects = [] if passive else first(_subject_side(actors, folded, cue), relation.subject_types)
    if subjects:
        subject_group = next(g for g in before if subjects[0] in g)
        nearer = [g for g in reversed(before) if g[0].start > subject_group[-1].end]
        objects = first(_same_clause(after, folded, cue) + nearer + after, relation.object_types)
    elif passive or not before:
        subjects, objects = first(after, relation.subject_types), first(list(reversed(before)), relation.object_types)
        if not objects and relation.symmetric:  # "In a press conference with X, Y said": Y meets X
            fitting = [f for g in after if (f := _fitting(g, relation.subject_types, types))]
            subjects, objects = (fitting[1], fitting[0]) if len(fitting) > 1 else ([], [])
    else:
        objects = []
    for subject in subjects:
        for obj in objects:
            if subject.entity != obj.entity and _within_reach(relation.id, subject, obj):
                yield subject, obj


def _subject_side(before: list[list[Mention]], folded: str, cue: Cue) -> list[list[Mention]]:
    """Groups before the cue: the one right before it first ("..., Russia wants"), then the ones
    after a reporting "that" ("X claimed that Bulgaria would join"), then the rest."""
    clause = max((m.end() for m in _CLAUSE.finditer(folded, 0, cue.start)), default=0)
    near = [g for g in before[-1:] if g[0].start >= clause and _NEAR.fullmatch(folded[g[-1].end : cue.start])]
    return near + [g for g in before if g[0].start >= clause] + [g for g in before if g[0].start < clause]


def _same_clause(after: list[list[Mention]], folded: str, cue: Cue) -> list[list[Mention]]:
    """Groups after the cue up to the next clause break."""
    following = _CLAUSE.search(folded, cue.end)
    limit = following.start() if following else len(folded)
    return [g for g in after if g[0].start < limit]


def _within_reach(relation: str, subject: Mention, obj: Mention) -> bool:
    if relation != "holds-office":
        return True
    return max(subject.start, obj.start) - min(subject.end, obj.end) <= OFFICE_REACH


# -- drafting ------------------------------------------------------------------------


def overlaps(sentence: Sentence, evidence) -> bool:
    """Whether a quote's place in the article (its evidence) falls in ``sentence``."""
    return evidence is not None and evidence.start < sentence.end and sentence.start < evidence.end
