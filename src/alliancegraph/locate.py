"""Problems located as ``file:line:column``: a path into a parsed YAML document turned into the place it is written."""

from __future__ import annotations

from typing import Any

import yaml

from .errors import Problem
from .parsing import KeyPath, ParsedFile


def locate(parsed: ParsedFile) -> list[Problem]:
    """Turn a file's path-addressed problems into ``file:line:column`` problems."""
    if parsed.syntax is not None:
        return [parsed.syntax]
    problems = []
    for path, at_key, message in parsed.problems:
        line, column = position(parsed.nodes, path, at_key)
        problems.append(Problem(parsed.path, line, column, message))
    return problems


def position(node: Any, path: KeyPath, at_key: bool) -> tuple[int, int]:
    """The line and column (from 1) of ``path`` in a composed document: of its key when ``at_key``;
    of the deepest step found when the path goes further than the document."""
    best = node
    for depth, step in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(step):
                    node = key_node if (last and at_key) else value_node
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            break
        best = node
    if best is None:
        return 1, 1
    return best.start_mark.line + 1, best.start_mark.column + 1
