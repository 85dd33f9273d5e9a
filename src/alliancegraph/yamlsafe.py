"""PyYAML's safe loader made safe for hostile input: dates kept as text, no key written twice, bounded nesting and aliases.

:func:`safe_load` refuses, as a located :class:`YAMLLimitError`, a document
that would crash or hang the library (thousands of nesting levels, a "billion
laughs" of aliases) before building it.
"""

from __future__ import annotations

from typing import Any

import yaml

from .errors import QUOTED
from .text import clip

try:  # libyaml is several times faster; fall back to the pure-Python loader
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


#: Longest integer read: years have four digits, and no field needs more than a few.
MAX_INTEGER_LENGTH = 100
#: Deepest nesting read. The format needs fewer than ten levels, and libyaml
#: builds documents by recursion in C: tens of thousands of levels crash Python.
MAX_DEPTH = 1000
#: A document that fails to parse once nested this deep is refused for its
#: nesting, whoever stopped it: our walk, or a limit of the YAML library's own
#: (libyaml has one, whose value and wording are its own to change).
DEEP_NESTING = 100
#: How many times its own size a file's aliases may expand it to: a "billion
#: laughs" document is a few hundred bytes whose aliases stand for gigabytes.
MAX_EXPANSION = 10


class YAMLValueError(yaml.constructor.ConstructorError):
    """A value its tag cannot hold, located where it is written."""


class SafeLoader(_BaseLoader):
    """The safe loader, minus implicit timestamps: dates stay text and are
    parsed by :class:`PartialDate`, which reports 2025-02-30 as a curator error
    instead of crashing inside PyYAML. A key written twice in one mapping is an
    error, not a silent overwrite (a second ``assertions:`` would drop the first)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            _refuse_duplicate_keys(node)
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node, deep=False):
        """A value its tag cannot hold (``!!float abc``, ``!!binary`` that is not base64) is a
        YAML error at its place, not a Python error from deep inside the library."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError):
            shown = clip(node.value, QUOTED) if isinstance(node, yaml.ScalarNode) else "this value"
            raise YAMLValueError(
                None, None, f"{shown!r} is not a valid {node.tag.rsplit(':', 1)[-1]}", node.start_mark
            ) from None

    def construct_yaml_int(self, node):
        """An integer, refused when longer than any the format uses: Python cannot even
        print one of more than 4,300 digits."""
        if len(node.value) > MAX_INTEGER_LENGTH:
            raise YAMLValueError(None, None, f"an integer written with {len(node.value)} characters is too long "
                                 f"(the most is {MAX_INTEGER_LENGTH})", node.start_mark)
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node):
        """``!!timestamp 2025-01-01`` stays text, as an untagged date does: dates are read
        by :class:`PartialDate`, and every value stays one the cache can store."""
        return self.construct_scalar(node)


SafeLoader.add_constructor("tag:yaml.org,2002:int", SafeLoader.construct_yaml_int)
SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeLoader.construct_yaml_timestamp)


def _refuse_duplicate_keys(node: yaml.MappingNode) -> None:
    seen: dict[tuple[str, str], yaml.Node] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        first = seen.setdefault((key.tag, key.value), key)
        if first is not key:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {clip(key.value, QUOTED)!r} (first written on line {first.start_mark.line + 1})",
                key.start_mark,
            )


SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


class YAMLLimitError(yaml.MarkedYAMLError):
    """A document refused before it is built: nested too deep, or aliases expanding too far."""


def safe_load(text: str) -> Any:
    """Parse YAML text with :class:`SafeLoader`, refusing documents that would crash or hang it.

    Raises a :class:`yaml.YAMLError` (:class:`YAMLLimitError` for a refused document).
    """
    _check_limits(text)
    return yaml.load(text, Loader=SafeLoader)


def _check_limits(text: str) -> None:
    """Walk the parse events (libyaml produces them without recursion) when the text
    could nest deeper than :data:`MAX_DEPTH` or holds anchors; refuse what goes too far."""
    # Block nesting needs indentation, flow nesting brackets: together a cheap upper bound.
    longest_line = max(map(len, text.splitlines()), default=0)
    if longest_line + 2 * (text.count("[") + text.count("{")) <= MAX_DEPTH and "&" not in text:
        return
    limit = MAX_EXPANSION * len(text) + 65536
    size, anchored, open_nodes = 0, dict[str, int](), list[tuple[str | None, int]]()
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            if any(anchor == event.anchor for anchor, _ in open_nodes):
                raise _refused("an alias refers to the collection it is inside (a value cannot contain itself)",
                               event.start_mark)
            size += anchored.get(event.anchor or "", 0)
        elif isinstance(event, yaml.ScalarEvent):
            size += len(event.value) + 1
            if event.anchor:
                anchored[event.anchor] = len(event.value) + 1
        elif isinstance(event, yaml.CollectionStartEvent):
            open_nodes.append((event.anchor, size))
            size += 1
            if len(open_nodes) > MAX_DEPTH:
                raise _nesting_refused(len(open_nodes), event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, start = open_nodes.pop()
            if anchor:
                anchored[anchor] = size - start
        if size > limit:
            raise _refused(f"aliases expand the data to more than {MAX_EXPANSION} times the file's size", event.start_mark)


def _refused(why: str, mark: Any) -> YAMLLimitError:
    """A refusal at ``mark`` (libyaml's marks are a type of their own, with the same fields)."""
    return YAMLLimitError(None, None, why, mark)


def _nesting_refused(depth: int, mark: Any) -> YAMLLimitError:
    return _refused(f"nested at least {depth} levels deep (a knowledge base needs fewer than ten)", mark)


def _nesting_before(text: str, mark: Any) -> int:
    """How deep the document is nested where the parser stopped: the deepest block
    nesting its events reached (libyaml produces them without recursion), or the flow
    brackets still open at the mark (the scanner reads flow text ahead of any event)."""
    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    else:
        return 0  # the events parse: whatever failed, it was not the nesting
    lines = text.split("\n")[: mark.line + 1] if mark else []
    before = "\n".join(lines[:-1] + [lines[-1][: mark.column]]) if lines else ""
    flow_open = before.count("[") + before.count("{") - before.count("]") - before.count("}")
    return max(deepest, flow_open)


def refused_for_nesting(text: str, error: yaml.MarkedYAMLError) -> YAMLLimitError | None:
    """The syntax error a parser's own nesting limit raises, told apart from a real one
    by how deep the document is where it stopped, never by the library's wording."""
    mark = error.problem_mark or error.context_mark
    depth = _nesting_before(text, mark)
    return _nesting_refused(depth, mark) if depth >= DEEP_NESTING else None

