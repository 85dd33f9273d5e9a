"""Finding a curated quote in its source text.

Curators copy quotes out of articles, and articles mix straight and curly
quotes, hyphens and dashes, single and double spaces. A quote is matched after
normalising exactly those differences; its position is reported in the
original text, in Unicode code points (the W3C Web Annotation
TextPositionSelector convention, the same as Python string indices).
"""

from __future__ import annotations

import bisect
import re

from .model import Evidence

#: Typographic characters folded to their plain forms before matching.
_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
        "\u2026": "...",
    }
)
_SPACE = re.compile(r"\s+")

#: Characters of context kept before and after a quote (TextQuoteSelector prefix/suffix).
CONTEXT = 32


def _fold_by_target(table: dict[int, str]) -> list[tuple[re.Pattern[str], str]]:
    """A folding table as one pattern per replacement, matching every character it replaces.

    ``text.translate(table)`` looks each character of non-ASCII text up in
    the table (an article has a curly quote, so every article is such text);
    a pattern per replacement (four or five) finds the few characters that
    change, and replacing by a fixed string keeps even a text made of nothing
    else linear: together, twice as fast as translating on articles.
    """
    targets: dict[str, list[str]] = {}
    for code, target in table.items():
        if chr(code) != target:
            targets.setdefault(target, []).append(chr(code))
    return [(re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]"), target) for target, chars in targets.items()]


def _fold(text: str, passes: list[tuple[re.Pattern[str], str]]) -> str:
    """``text`` with every character folded as the table ``passes`` were made from says (see above)."""
    for pattern, target in passes:
        text = pattern.sub(target, text)
    return text


#: The folding of what is not whitespace: _SPACE then collapses every whitespace character.
_FOLD_PASSES = _fold_by_target({c: t for c, t in _FOLD.items() if not chr(c).isspace()})


def normalise(text: str) -> str:
    """Fold typographic quotes and dashes and collapse whitespace."""
    return _SPACE.sub(" ", _fold(text, _FOLD_PASSES)).strip()


#: The one-to-one part of the folding, with every character ``str.isspace``
#: accepts (none lies above U+3000) made a plain space; only the ellipsis grows.
_FOLD_ONE_TO_ONE = {c: t for c, t in _FOLD.items() if len(t) == 1} | {
    c: " " for c in range(0x3001) if chr(c).isspace()
}
_FOLD_ONE_TO_ONE_PASSES = _fold_by_target(_FOLD_ONE_TO_ONE)
#: Where normalising changes lengths: leading spaces, runs of spaces, the ellipsis.
_RESHAPED = re.compile(r"^ +| {2,}|\u2026")


class NormalisedText:
    """A source text in normalised form, with a map back to original offsets.

    The text is folded in one pass; only where lengths change (leading spaces,
    runs of spaces, an ellipsis) is a breakpoint recorded, so a long article
    costs a few string operations rather than a loop over its characters.
    """

    def __init__(self, original: str):
        self.original = original
        folded = _fold(original, _FOLD_ONE_TO_ONE_PASSES)
        pieces: list[str] = []
        # Breakpoints: from normalised index breaks[i] on, a character maps to
        # origins[i] + (index - breaks[i]), or to origins[i] itself where still[i].
        self._breaks: list[int] = [0]
        self._origins: list[int] = [0]
        self._still: list[bool] = [False]
        length = position = 0
        for match in _RESHAPED.finditer(folded):
            start, end = match.span()
            pieces.append(folded[position:start])
            length += start - position
            if match.group()[0] == " ":
                replacement = "" if start == 0 else " "
            else:
                replacement = "..."
            self._mark(length, start, still=True)
            pieces.append(replacement)
            length += len(replacement)
            self._mark(length, end, still=False)
            position = end
        pieces.append(folded[position:])
        self.text = "".join(pieces)

    def _mark(self, at: int, origin: int, still: bool) -> None:
        if self._breaks[-1] == at:  # a later breakpoint at the same place wins
            self._origins[-1], self._still[-1] = origin, still
        else:
            self._breaks.append(at)
            self._origins.append(origin)
            self._still.append(still)

    def original_index(self, index: int) -> int:
        """The index in the original text of the normalised text's character ``index``."""
        i = bisect.bisect_right(self._breaks, index) - 1
        return self._origins[i] if self._still[i] else self._origins[i] + index - self._breaks[i]

    def locate(self, quote: str) -> Evidence | None:
        """The quote's first occurrence in the original text, or None."""
        needle = normalise(quote)
        if not needle:
            return None
        found = self.text.find(needle)
        if found < 0:
            return None
        start = self.original_index(found)
        end = self.original_index(found + len(needle) - 1) + 1
        original = self.original
        return Evidence(
            exact=original[start:end],
            start=start,
            end=end,
            prefix=original[max(0, start - CONTEXT) : start],
            suffix=original[end : end + CONTEXT],
        )
