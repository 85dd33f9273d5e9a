"""Finding a curated quote in its source text.

Curators copy quotes out of articles, and articles mix straight and curly
quotes, hyphens and dashes, single and double spaces. A quote is matched after
normalising exactly those differences; its position is reported in the
original text, in Unicode code points (the W3C Web Annotation
TextPositionSelector convention, the same as Python string indices).
"""

from __future__ import annotations

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


def normalise(text: str) -> str:
    """Fold typographic quotes and dashes and collapse whitespace."""
    return _SPACE.sub(" ", text.translate(_FOLD)).strip()


class NormalisedText:
    """A source text in normalised form, with a map back to original offsets."""

    def __init__(self, original: str):
        self.original = original
        chars: list[str] = []
        offsets: list[int] = []
        in_space = True  # drops leading whitespace
        for index, char in enumerate(original):
            folded = char.translate(_FOLD)
            if folded.isspace():
                if in_space:
                    continue
                folded, in_space = " ", True
            else:
                in_space = False
            for piece in folded:
                chars.append(piece)
                offsets.append(index)
        self.text = "".join(chars)
        self.offsets = offsets

    def locate(self, quote: str) -> Evidence | None:
        """The quote's first occurrence in the original text, or None."""
        needle = normalise(quote)
        if not needle:
            return None
        found = self.text.find(needle)
        if found < 0:
            return None
        start = self.offsets[found]
        end = self.offsets[found + len(needle) - 1] + 1
        original = self.original
        return Evidence(
            exact=original[start:end],
            start=start,
            end=end,
            prefix=original[max(0, start - CONTEXT) : start],
            suffix=original[end : end + CONTEXT],
        )
