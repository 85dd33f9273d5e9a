"""How the package's modules depend on each other: no circle of imports, and no module reaching
into another's private names.

Imports are read from the source (every import: at the top, inside functions, and those only
type checkers see), so a circle hidden in a function is found too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import networkx

from conftest import REPO

PACKAGE = REPO / "src" / "alliancegraph"
#: The built-in saved queries are code the package runs: they keep to the same rules.
SAVED_QUERIES = REPO / "queries"


class Import(NamedTuple):
    importer: str  # the module that imports
    module: str  # the module imported from
    name: str | None  # the name imported from it (None for ``import module``)
    line: int


def module_names(package: Path, prefix: str) -> dict[str, Path]:
    """Every module of the package folder by dotted name (a package by its own name)."""
    names = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        names[".".join((prefix, *parts[:-1]) if parts[-1] == "__init__" else (prefix, *parts))] = path
    return names


def imports_of(name: str, path: Path, is_package: bool) -> Iterator[Import]:
    """The imports written in one module, relative ones made absolute."""
    here = name.split(".") if is_package else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, None, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                yield Import(name, module, alias.name, node.lineno)


def all_imports(package: Path, prefix: str) -> list[Import]:
    return [found for name, path in module_names(package, prefix).items()
            for found in imports_of(name, path, path.name == "__init__.py")]


def import_graph(package: Path, prefix: str) -> networkx.DiGraph:
    """Which module imports which, among the package's own (``from package import module`` is an
    import of that module)."""
    known = module_names(package, prefix)
    graph = networkx.DiGraph()
    graph.add_nodes_from(known)
    for found in all_imports(package, prefix):
        target = f"{found.module}.{found.name}" if f"{found.module}.{found.name}" in known else found.module
        if target in known and target != found.importer:
            graph.add_edge(found.importer, target, line=found.line)
    return graph


def circles(graph: networkx.DiGraph) -> list[list[str]]:
    """The groups of modules that import one another, each sorted."""
    return sorted(sorted(part) for part in networkx.strongly_connected_components(graph) if len(part) > 1)


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_reaches(package: Path, prefix: str, others: tuple[Path, ...] = ()) -> list[str]:
    """Every import of a private name (``_x``) from another module, and of a private module
    (``package._x``) from outside its package, as "importer:line: what"."""
    known = module_names(package, prefix)
    found = all_imports(package, prefix)
    for path in others:
        found += list(imports_of(f"{path.parent.name}.{path.stem}", path, False))
    reaches = []
    for imported in found:
        if not imported.module.startswith(prefix):
            continue
        full = f"{imported.module}.{imported.name}" if imported.name else imported.module
        if imported.name is not None and full not in known and is_private(imported.name):
            if imported.module != imported.importer:
                reaches.append(f"{imported.importer}:{imported.line}: {imported.name} from {imported.module}")
            continue
        parts = full.split(".")
        for depth, part in enumerate(parts):
            owner = ".".join(parts[:depth])
            if is_private(part) and not imported.importer.startswith(owner + "."):
                reaches.append(f"{imported.importer}:{imported.line}: the module {'.'.join(parts[: depth + 1])}")
                break
    return reaches


def test_the_modules_import_one_another_without_a_circle():
    graph = import_graph(PACKAGE, "alliancegraph")
    assert circles(graph) == [], "modules that import one another (move what they share into a module of its own)"


def test_no_module_imports_another_modules_private_names():
    saved = tuple(sorted(SAVED_QUERIES.glob("*.py")))
    assert private_reaches(PACKAGE, "alliancegraph", saved) == [], "make the name public where another module needs it"


def test_a_circle_through_an_import_inside_a_function_is_found(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "model.py").write_text("def compile():\n    from .sub.rdf import to_rdf\n    return to_rdf\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "rdf.py").write_text("from ..model import compile\n")
    (package / "plain.py").write_text("from . import model\n")
    assert circles(import_graph(package, "pkg")) == [["pkg.model", "pkg.sub.rdf"]]


def test_private_names_and_modules_reached_from_outside_are_found(tmp_path):
    package = tmp_path / "pkg"
    (package / "export").mkdir(parents=True)
    (package / "__init__.py").write_text("from .version import __version__\n")
    (package / "version.py").write_text("__version__ = '1'\n")
    (package / "export" / "__init__.py").write_text("")
    (package / "export" / "_shared.py").write_text("def _helper(): ...\ndef helper(): ...\n")
    (package / "export" / "gexf.py").write_text("from ._shared import helper\n")  # inside its package: fine
    (package / "draw.py").write_text("from .export._shared import helper\nfrom .suggest import _pairs\n")
    (package / "suggest.py").write_text("def _pairs(): ...\n")
    assert private_reaches(package, "pkg") == [
        "pkg.draw:1: the module pkg.export._shared",
        "pkg.draw:2: _pairs from pkg.suggest",
    ]


def test_every_module_the_compiler_imports_is_in_the_digest_that_decides_a_rebuild():
    from alliancegraph.store import COMPILER_MODULES

    graph = import_graph(PACKAGE, "alliancegraph")
    compiler = {f"alliancegraph.{name}" for name in COMPILER_MODULES}
    reached = set().union(*(networkx.descendants(graph, module) for module in compiler))
    assert sorted(module.removeprefix("alliancegraph.") for module in reached - compiler) == [], (
        "add these to store.COMPILER_MODULES: a change to them can change what a file compiles to"
    )
