"""The package's layers import one way, top to bottom, and its public surface is pinned.

Every module under ``src/toneguard`` is read with ``ast``: an import cycle
(function-level imports included; ``if TYPE_CHECKING:`` blocks are only type
hints and may close a loop), an import of a higher layer, or a ``_private``
name taken from another module fails the test.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import toneguard

PACKAGE = Path(toneguard.__file__).parent

# Lowest first: a module may import its own layer and those listed before it.
LAYERS: list[tuple[str, ...]] = [
    ("toneguard._version", "toneguard.models"),  # the vocabulary: imports nothing of toneguard
    ("toneguard._engines",),  # third-party adapters and the disk cache
    ("toneguard._rules",),  # the rules schema and loader
    ("toneguard._text",),  # normalise -> Reading, the customer's message
    ("toneguard._detectors",),  # one module per check kind
    ("toneguard._core",),  # the Analyzer, tone, scores, rewrite
    ("toneguard._apps", "toneguard.pandas", "toneguard.dask", "toneguard.spark", "toneguard.server", "toneguard.spacy"),
    ("toneguard._cli",),
    ("toneguard", "toneguard.__main__"),  # the facade re-exports from below, lazily
]

PUBLIC_MODULES = {
    "toneguard",
    "toneguard.__main__",
    "toneguard.models",
    "toneguard.pandas",
    "toneguard.dask",
    "toneguard.spark",
    "toneguard.server",
    "toneguard.spacy",
}

FACADE_NAMES = {
    "Analyzer",
    "Category",
    "CategoryScore",
    "Config",
    "ConfigError",
    "Contribution",
    "Finding",
    "Metrics",
    "Report",
    "RulesError",
    "Sentiment",
    "Severity",
    "ThreadContext",
    "__version__",
    "analyze",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement of the module, and whether it sits in an ``if TYPE_CHECKING:`` block."""
    found: list[tuple[ast.Import | ast.ImportFrom, bool]] = []

    def visit(node: ast.AST, typing_only: bool) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append((node, typing_only))
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, typing_only)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, typing_only)

    visit(ast.parse(MODULES[module].read_text("utf-8")), False)
    return found


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[tuple[str, str | None]]:
    """(toneguard module imported, name taken from it or None) for each name the statement imports."""
    if isinstance(node, ast.Import):
        return [(alias.name, None) for alias in node.names if alias.name.split(".")[0] == "toneguard"]
    if node.level:
        package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    if base.split(".")[0] != "toneguard":
        return []
    targets = []
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        targets.append((submodule, None) if submodule in MODULES else (base, alias.name))
    return targets


def _layer(module: str) -> int:
    matches = [
        (len(prefix), index)
        for index, prefixes in enumerate(LAYERS)
        for prefix in prefixes
        if module == prefix or (prefix != "toneguard" and module.startswith(prefix + "."))
    ]
    if not matches:
        raise AssertionError(f"{module} belongs to no layer; add it to LAYERS in {__file__}")
    return max(matches)[1]


def _graph(include_typing: bool) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for module in MODULES:
        for node, typing_only in _imports(module):
            if typing_only and not include_typing:
                continue
            graph[module] |= {target for target, _ in _targets(module, node) if target != module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph.get(module, ()):
            if target not in index:
                connect(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return found


def test_every_module_belongs_to_a_layer():
    for module in MODULES:
        _layer(module)


def test_no_import_cycles():
    assert _cycles(_graph(include_typing=False)) == []


def test_imports_run_down_the_layers():
    upward = [
        f"{module} (layer {_layer(module)}) imports {target} (layer {_layer(target)})"
        for module, targets in _graph(include_typing=True).items()
        for target in targets
        if _layer(target) > _layer(module)
    ]
    assert upward == []


def test_no_private_name_crosses_a_module_boundary():
    crossing = [
        f"{module}:{node.lineno} takes {name} from {target}"
        for module in MODULES
        for node, _ in _imports(module)
        for target, name in _targets(module, node)
        if name is not None and name.startswith("_") and not name.startswith("__")
    ]
    assert crossing == []


def test_the_checker_sees_cycles_and_upward_imports():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _layer("toneguard._core.analyzer") > _layer("toneguard._text.reading") > _layer("toneguard.models")
    with pytest.raises(AssertionError, match="no layer"):
        _layer("toneguard.elsewhere")


def test_public_modules_are_the_facade_and_the_documented_apps():
    public = {
        module for module in MODULES if not any(part.startswith("_") and not part.startswith("__") for part in module.split("."))
    }
    assert public == PUBLIC_MODULES


def test_facade_exports_exactly_its_names():
    assert set(toneguard.__all__) == FACADE_NAMES
    for name in FACADE_NAMES:
        assert getattr(toneguard, name) is not None, name
    assert sorted(dir(toneguard)) == sorted(FACADE_NAMES)


def test_models_exports_the_vocabulary_and_result_types():
    from toneguard import models

    results = {"CategoryScore", "Contribution", "Finding", "Metrics", "Report", "Sentiment"}
    assert set(models.__all__) == {"Category", "Severity", "Record", "ThreadContext", *results}


def test_the_command_line_and_the_vocabulary_start_without_spacy():
    """``toneguard --help`` and ``import toneguard.models`` must stay quick: spaCy loads only to analyse."""
    script = "import sys, toneguard.models, toneguard._cli; sys.exit('spacy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", script], timeout=60).returncode == 0
