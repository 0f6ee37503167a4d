"""The package's layers: the library does the work, the CLI and the HTTP server are thin layers over it.

Read from the source with ``ast`` (nothing is imported): every ``import`` / ``from ... import`` of a
``dyads`` module, at the top of a file, under ``if TYPE_CHECKING`` or inside a function (a deferred
import is still a dependency), becomes an edge of the package's import graph. Then:

* the graph has no cycle, apart from the one known inside the extractor (listed below; it may only
  go away), so ``store`` <-> ``aggregate`` and ``cli_store`` <-> ``ingest`` cannot come back;
* only the command-line modules import ``dyads.cli`` / ``dyads.cli_*``;
* only the command-line modules and the server itself import ``dyads.serve``.

``dyads.cli`` finds the other commands at run time (``__import__`` of a module name); that lookup is
the CLI's own and is not an import statement, so it is not an edge here.
"""
from __future__ import annotations

import ast
from pathlib import Path

import dyads

PACKAGE = Path(dyads.__file__).resolve().parent

# The command line: these may import dyads.cli*. dyads.serve.command is the `dyads serve` command.
CLI_MODULES = {"dyads.cli", "dyads.cli_more", "dyads.cli_store", "dyads.cli_watch", "dyads.cli_alerts",
               "dyads.serve.command"}

# Cycles that exist and are not this test's business (the extractor's); none may be added.
KNOWN_CYCLES = [{"dyads.events.detection", "dyads.events.roles"}]


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ["dyads", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module an imported name lives in (``dyads.store.Store`` -> ``dyads.store``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for mod, path in modules.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        targets: list[str] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package
                    for _ in range(node.level - 1):
                        base = base.rpartition(".")[0]
                    base = f"{base}.{node.module}" if node.module else base
                else:
                    base = node.module or ""
                # "from . import query" imports the module dyads.query; "from . import extract" the package
                targets += [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        graph[mod] = {t for t in (_resolve(t, modules) for t in targets if t.split(".")[0] == "dyads")
                      if t and t != mod}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_deferred_and_relative_imports():
    """The reader itself: a function-level relative import is an edge (else the tests below prove nothing)."""
    g = import_graph()
    assert "dyads.aggregate" in g["dyads.store"]  # top level
    assert "dyads.ingest" in g["dyads.cli_store"]  # inside cmd_ingest
    assert "dyads.cli" in g["dyads.serve.command"]  # "from ..cli import" inside main
    assert "dyads.query" in g["dyads.serve.api"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_no_import_cycles():
    found = cycles(import_graph())
    new = [c for c in found if not any(c <= known for known in KNOWN_CYCLES)]
    assert not new, f"import cycles: {[sorted(c) for c in new]}"
    corpus_modules = {"dyads.store", "dyads.aggregate", "dyads.ingest", "dyads.cli_store", "dyads.query",
                      "dyads.corpus"}
    assert not any(c & corpus_modules for c in found)
    assert not any(any(m.startswith("dyads.serve") for m in c) for c in found)


def test_only_the_cli_imports_the_cli():
    offenders = {mod: sorted(t for t in deps if t == "dyads.cli" or t.startswith("dyads.cli_"))
                 for mod, deps in import_graph().items() if mod not in CLI_MODULES}
    assert not {m: d for m, d in offenders.items() if d}, "library modules importing the CLI"


def test_the_library_does_not_import_the_server():
    g = import_graph()
    layers = CLI_MODULES | {m for m in g if m == "dyads.serve" or m.startswith("dyads.serve.")}
    offenders = {mod: sorted(t for t in deps if t == "dyads.serve" or t.startswith("dyads.serve."))
                 for mod, deps in g.items() if mod not in layers}
    assert not {m: d for m, d in offenders.items() if d}, "library modules importing dyads.serve"
