"""Text cut short for a message, a table cell or a label: one rule, one mark ("…")."""

from __future__ import annotations

from typing import TypeVar, overload

__all__ = ["ELLIPSIS", "clip", "one_line"]

#: What ends a text that was cut.
ELLIPSIS = "…"

_Other = TypeVar("_Other")


@overload
def clip(text: str, limit: int, at_space: bool = False) -> str: ...
@overload
def clip(text: _Other, limit: int, at_space: bool = False) -> _Other: ...
def clip(text, limit, at_space=False):
    """``text`` whole when it has at most ``limit`` characters, else cut to ``limit`` with "…" at
    the end — at the last space when ``at_space`` and one falls in the second half. Anything
    but text (a number read from YAML where a name was expected) is returned as it is."""
    if not isinstance(text, str) or len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    if at_space and " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + ELLIPSIS


def one_line(text: str, limit: int = 200) -> str:
    """``text`` with every run of whitespace (newlines too) made one space, clipped to ``limit``:
    a library's message, which may list every token it expected, fits one line of an error."""
    return clip(" ".join(text.split()), limit)
