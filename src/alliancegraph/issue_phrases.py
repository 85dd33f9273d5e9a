"""Issues in news prose: the propositions actors take positions on, found by their wording.

Curation rule 7 makes issues entities ("Ukraine's NATO membership", "Sanctions on
Russia"), and news words them freely: "the withdrawal of NATO forces and weapons
from Romania and Bulgaria" is the issue *NATO forces in Romania and Bulgaria*,
opposed. Two readings serve the extractor (:mod:`alliancegraph.drafting`):

* :class:`IssueFinder` finds an issue the knowledge base (or the article so far)
  already has when every content word of one of its names occurs in a stretch
  of the sentence, in any order and form ("military support for Ukraine" in
  "supporting Ukraine militarily"); a name of an entity counts when the
  sentence names that entity or one speaking for it ("dialogue with Russia" in
  "dialogue between Europe and Putin").
* :func:`issue_phrase` reads a new issue from the words a stance governs: the
  noun phrase after the cue and its verb ("called on the EU to speed up
  *funding for a joint air defence shield*"), with "withdrawal of X from Y",
  "no new X", "prevent X" read as opposing *X in Y*, *X*.

Words are compared by their first five letters, which is enough to match the
forms news uses ("integrated", "integration") without a stemming library.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .relative_dates import find_dates
from .resolve import fold

__all__ = ["IssueFinder", "FoundIssue", "Phrase", "content_words", "issue_phrase", "issue_phrases", "against_words"]

#: Words that carry no content of an issue's name.
STOPWORDS = frozenset(
    "a an the of in on to for from with by and or as at its their his her our this that these those any all "
    "be is are was were been has have had will would can could should may might must do does did not no "
    "into onto within between among about over under after before than which who whom whose what while "
    "new more most further other such own".split()
)
#: Words before an issue that turn a stance on it around: seeking "the withdrawal of" NATO forces opposes them.
AGAINST = re.compile(
    r"(?<![\w])(?:withdraw\w*|remov\w*|pull\w* out|no new|no more|prevent\w*|an end to|end to|ending|halt\w*|stop\w*|"
    r"ban\w*|reduc\w*|limit\w*|block\w*|curb\w*)(?![\w])"
)
#: Nouns that head an issue's noun phrase ("the initiative for a tribunal", "sanctions on Russia").
ISSUE_HEADS = re.compile(
    r"(?:initiative|tribunal|sanctions?|aid|assistance|support|membership|accession|integration|enlargement|"
    r"withdrawal|presence|deployment|dialogue|guarantees?|plan|proposal|project|funding|bid|negotiations?|"
    r"ceasefire|peace|war|invasion|annexation|reforms?|weapons|troops|forces|bases|infrastructure|shield|"
    r"neutrality|autonomy|sovereignty|independence|recognition|talks|cooperation|integrity|expansion|"
    r"escalation|de escalation|involvement|intervention|strikes?|operations?)(?![\w])"
)
#: Where an issue's wording ends: clause punctuation, a relative clause, a reporting tail.
_PHRASE_END = re.compile(
    r"\s*(?:[,;:.!?\"“”]|(?<![\w])and (?=(?:withdraw|remove|prevent|stop|halt|end|ban|reduce|limit|block|curb|"
    r"pull out|to)\s)|(?<![\w])(?:as part of|as|which|that|who|while|because|but|so that|in order|"
    r"said|says|told|according|after|before|since|until|when|if|amid|despite|unless|is|are|was|were|has|have|had|"
    r"appears?|seems?|remains?|becomes?|would|will|can|could|must|should|may|might)(?![\w]))"
)
_LEADING = re.compile(r"(?:(?:the|a|an|its|their|his|her|our|any|all|some|further|more|deeper|new)\s+)+")
#: What may stand between a stance and its issue: an infinitive ("to speed up", "to withdraw") or a preposition.
_INFINITIVE = re.compile(r"\s*to\s+(?P<verb>[a-z]+(?:\s+(?:up|out|down|off|back))?)\s+")
_REMOVAL_VERB = r"(?:withdraw|remove|prevent|stop|halt|end|ban|reduce|limit|block|curb|pull out)"
_REMOVING = re.compile(rf"\s*(?P<verb>{_REMOVAL_VERB})\s+")
#: What joins a further issue to one just read: "and prevent ...", ", which includes ...", ", including ...".
_FOLLOWING = re.compile(rf"\s*(?:,?\s*(?:which|that)\s+includ\w*\s+|,?\s*including\s+|,?\s*and\s+(?={_REMOVAL_VERB}\s|to\s))")
_PREPOSITION = re.compile(r"\s*(?:for|on|about|over|of|in|into|against|to)\s+")
MAX_WORDS = 12
#: An issue's words found in a sentence must lie this close: at most this many content words per word of its name.
COMPACT = 2


def content_words(text: str) -> list[tuple[str, int, int]]:
    """The content words of folded ``text``: (stem, start, end), stems being the first five letters."""
    return [(_stem(m.group()), m.start(), m.end()) for m in re.finditer(r"[a-z0-9]+", text)
            if m.group() not in STOPWORDS and len(m.group()) > 2]


def _stem(word: str) -> str:
    return word[:5]


@dataclass(frozen=True)
class FoundIssue:
    """An issue found in a sentence (offsets in its folded text)."""

    entity: str
    start: int
    end: int
    against: bool  # worded as its removal or prevention ("the withdrawal of ...")


#: A mention as the finder needs it: (entity id, start, end) in folded text.
Named = tuple[str, int, int]


class IssueFinder:
    """Finds known issues in a stretch of a sentence by the content words of their names."""

    def __init__(self, issues: Iterable[tuple[str, Iterable[str]]], read: Callable[[str], tuple[str, list[Named]]],
                 voices: Callable[[str], set[str]]):
        """``issues``: (id, names) pairs; ``read``: a name folded, with the entities it names; ``voices``: an
        entity and whom it speaks for (Putin: Russia)."""
        self.voices = voices
        self.names: list[tuple[str, frozenset[frozenset[str]]]] = []
        for issue, names in issues:
            for name in names:
                key = _name_key(*read(name), voices)
                if len(key) >= 2:
                    self.names.append((issue, key))
        self.names.sort(key=lambda item: -len(item[1]))  # the most specific name first

    def find(self, folded: str, start: int, end: int, named: list[Named], also: Iterable[str] = (),
             skip: Iterable[str] = ()) -> list[FoundIssue]:
        """Issues whose every content word (or entity) occurs in ``folded[start:end]``, in order (a word may
        serve several: "prevent new members, including Ukraine" is NATO's enlargement and Ukraine's membership).
        ``also``: entities the stretch refers to without naming ("its": the subject); ``skip``: issues
        already found by name."""
        skip = set(skip)
        words = [(w, s, e) for w, s, e in content_words(folded[start:end])]
        place: dict[str, list[tuple[int, int]]] = {}
        for word, s, e in words:
            if not any(ns <= s + start < ne for _, ns, ne in named):
                place.setdefault(word, []).append((s + start, e + start))
        for entity, s, e in named:
            if start <= s < end:
                for voice in self.voices(entity):
                    place.setdefault("@" + voice, []).append((s, e))
        for entity in also:
            for voice in self.voices(entity):
                place.setdefault("@" + voice, []).append((start, start))
        found: list[FoundIssue] = []
        for issue, key in self.names:
            spans = [next((p for alt in token for p in place.get(alt, ())), None) for token in key]
            if any(span is None for span in spans) or any(f.entity == issue for f in found) or issue in skip:
                continue
            if all(next(iter(token)).startswith("@") for token in key):
                continue  # names of entities alone ("Ukraine and NATO") are no issue
            real = [s for s in spans if s is not None and s[1] > s[0]]
            first, last = min(s[0] for s in real), max(s[1] for s in real)
            if len(content_words(folded[first:last])) > COMPACT * len(key):
                continue  # words scattered over the stretch name nothing together
            against = bool(AGAINST.search(folded[max(start, first - 20) : last]))
            found.append(FoundIssue(issue, first, last, against))
        return sorted(found, key=lambda f: f.start)


def _name_key(name: str, named: list[Named], voices: Callable[[str], set[str]]):
    """An issue name as a set of tokens, each a set of alternatives: a word's stem, or an entity and its voices."""
    tokens = [frozenset({"@" + v for v in voices(entity)}) for entity, _, _ in named]
    tokens += [frozenset({word}) for word, s, _ in content_words(name) if not any(ns <= s < ne for _, ns, ne in named)]
    return frozenset(tokens)


@dataclass(frozen=True)
class Phrase:
    """A new issue's wording read from a sentence (offsets in its folded text)."""

    start: int
    end: int
    words: str  # the name, as the curator would start from ("NATO forces and weapons in Romania and Bulgaria")
    against: bool


def issue_phrases(original: Callable[[int, int], str], folded: str, start: int, end: int | None = None,
                  owner: str | None = None) -> list[Phrase]:
    """The issues a stance governs, read from ``folded[start:end]``: a first phrase (see :func:`issue_phrase`)
    and those coordinated with it ("guarantee no new military bases ... and prevent new members", "its
    proposed security guarantees, which include the withdrawal of ...")."""
    limit = len(folded) if end is None else end
    phrases: list[Phrase] = []
    at: int | None = start
    while at is not None and len(phrases) < 4:
        phrase = issue_phrase(original, folded, at, limit, owner)
        if phrase is None:
            break
        phrases.append(phrase)
        following = _FOLLOWING.match(folded, phrase.end, limit)
        at = following.end() if following else None
    return phrases


def issue_phrase(original: Callable[[int, int], str], folded: str, start: int, end: int | None = None,
                 owner: str | None = None) -> Phrase | None:
    """The issue a stance governs, read from ``folded[start:]`` (up to ``end``): after an infinitive, a verb
    of removal or a preposition, a noun phrase of up to twelve words. ``original`` gives the written text of
    folded offsets; ``owner`` the name "its" or "their" stands for ("its proposed security guarantees")."""
    limit = len(folded) if end is None else end
    infinitive = _INFINITIVE.match(folded, start, limit) or _REMOVING.match(folded, start, limit)
    lead_in = infinitive or _PREPOSITION.match(folded, start, limit)
    at = lead_in.end() if lead_in else start
    against = bool(infinitive and AGAINST.fullmatch(infinitive.group("verb")))
    stop = _PHRASE_END.search(folded, at, limit)
    limit = stop.start() if stop else limit
    limit = min([at + d.start for d in find_dates(folded[at:limit], None)] + [limit])  # "the plan on Friday"
    words = list(re.finditer(r"[^\s]+", folded[at:limit]))[:MAX_WORDS]
    while words and words[-1].group() in STOPWORDS:
        words.pop()  # "... in ex-Soviet countries and", cut at the word limit
    if not words:
        return None
    first, last = at + words[0].start(), at + words[-1].end()
    possessive = re.match(r"(?:its|their) ", folded[first:last]) if owner else None
    lead = _LEADING.match(folded, first, last)
    first = lead.end() if lead else first
    text = folded[first:last]
    removal = re.match(r"(?:(?:withdrawal|removal|withdrawing|removing|pulling out) of )?(?P<what>.+?) from (?P<where>.+)$",
                       text)
    negated = re.match(r"(?:no new|no more|an end to|end to) ", text)
    if removal and (against or removal.group().startswith(("withdraw", "remov", "pulling"))):
        against = True
        what, where = removal.span("what"), removal.span("where")
        written = f"{original(first + what[0], first + what[1])} in {original(first + where[0], first + where[1])}"
    elif negated:
        against, first = True, first + negated.end()
        written = original(first, last)
    else:
        written = original(first, last)
    if possessive and not negated:
        written = f"{owner}'s {written}"
    if len(content_words(fold(written))) < 2:
        return None  # "new members": too little to name an issue by
    return Phrase(first, last, written[:1].upper() + written[1:], against)


def against_words(folded: str) -> bool:
    """Whether words turn a stance around ("withdraw", "no new", "prevent")."""
    return bool(AGAINST.search(folded))
