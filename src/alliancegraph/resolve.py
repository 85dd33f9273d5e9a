"""Resolving what a user or curator types to an entity, with did-you-mean.

"serbia", "Serbia", "Republic Srpska" and "Gasic" all find their entity: names
are compared after case folding and stripping diacritics, across ids, labels
and aliases.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

from .errors import UnknownEntityError
from .model import Entity

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


def suggest(name: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The closest few of ``choices`` to ``name`` (for did-you-mean hints)."""
    by_fold: dict[str, str] = {}
    for choice in choices:
        by_fold.setdefault(fold(choice), choice)
    close = difflib.get_close_matches(fold(name), list(by_fold), n=limit, cutoff=0.6)
    return [by_fold[c] for c in close]


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' or '' — a ready-made hint for error messages."""
    return _hint(suggest(name, choices))


def _hint(close: list[str]) -> str:
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)" if close else ""


def resolve_entity(entities: Iterable[Entity], name: str) -> Entity:
    """The one entity named ``name`` by id, label or alias.

    Raises :class:`UnknownEntityError` with suggestions when nothing matches,
    and with the candidates when the name is ambiguous. An exact id always wins.
    """
    entities = list(entities)
    for entity in entities:
        if entity.id == name:
            return entity
    wanted = fold(name)
    matches = [e for e in entities if any(fold(n) == wanted for n in e.names)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        ids = tuple(sorted(e.id for e in matches))
        raise UnknownEntityError(f"{name!r} is ambiguous: it could be {', '.join(ids)}", ids)
    by_name: dict[str, str] = {}
    for entity in entities:
        for n in entity.names:
            by_name.setdefault(n, entity.id)
    close = list(dict.fromkeys(by_name[c] for c in suggest(name, by_name, limit=5)))[:3]
    raise UnknownEntityError(f"unknown entity {name!r}{_hint(close)}", tuple(close))
