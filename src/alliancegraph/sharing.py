"""Triples that several files produce, counted so that updating one file never deletes what another still says.

Only truthy triples (:func:`alliancegraph.rdf.truthy_lines`) can come from two
files: two assertions saying the same thing give the same direct triple. Each
such line is known by a 64-bit digest, and ``shared`` maps the digest of every
line more than one file gives to how many files give it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph


def line_digest(line: bytes) -> int:
    """A stable 64-bit digest of one N-Triples line."""
    return int.from_bytes(hashlib.blake2b(line, digest_size=8).digest(), "big")


def line_digests(ntriples: bytes) -> set[int]:
    """The digest of each distinct line."""
    return {line_digest(line) for line in set(ntriples.split(b"\n")) if line}


def count_shared(seen: set[int], shared: dict[int, int], digests: Iterable[int]) -> None:
    """Count the lines that more than one file produces (a file's digests are distinct)."""
    for digest in seen.intersection(digests):
        shared[digest] = shared.get(digest, 1) + 1
    seen.update(digests)


def apply_difference(store: pyoxigraph.Store, old: bytes, new: bytes, shared: dict[int, int]) -> None:
    """Change the store from a file's old triples to its new ones, keeping what other files also say."""
    old_lines = set(old.split(b"\n")) - {b""}
    new_lines = set(new.split(b"\n")) - {b""}
    removed, added = old_lines - new_lines, new_lines - old_lines
    to_delete = []
    for line in removed:
        digest = line_digest(line)
        count = shared.get(digest, 1)
        if count > 2:
            shared[digest] = count - 1
        elif count == 2:
            del shared[digest]
        else:
            to_delete.append(line)
    to_insert = []
    for line in added:
        digest = line_digest(line)
        if digest in shared:
            shared[digest] += 1
        elif _contains(store, line):
            shared[digest] = 2
        else:
            to_insert.append(line)
    if to_delete:
        store.update("DELETE DATA {\n" + b"\n".join(to_delete).decode("utf-8") + "\n}")
    if to_insert:
        store.load(b"\n".join(to_insert) + b"\n", pyoxigraph.RdfFormat.N_TRIPLES)


def _contains(store: pyoxigraph.Store, line: bytes) -> bool:
    triple = next(iter(pyoxigraph.parse(line, pyoxigraph.RdfFormat.N_TRIPLES)))
    return pyoxigraph.Quad(triple.subject, triple.predicate, triple.object) in store
