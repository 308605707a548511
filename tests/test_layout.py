"""The package's layout rules, checked over the source with ``ast`` (no import is executed).

- Data flows one way: a package imports only the packages listed for it in ``MAY_IMPORT``.
- Across packages, only a package's face (its ``__init__``) is imported, plus the lexicon.
- No module imports the public face ``quotecheck`` itself.
- Inside a package, module imports form no cycle.
- Every module opens with a docstring and stays near 350 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "quotecheck"

_BASE = {"schema", "errors"}
#: who may import whom, bottom to top (a package may always import itself)
MAY_IMPORT: dict[str, set[str]] = {
    "schema": set(),
    "errors": {"schema"},
    "text": _BASE,
    "ingest": _BASE | {"text"},  # fetch, feeds, web archives: reads input like text, no model
    "llm": _BASE,
    "output": _BASE,
    "quotes": _BASE | {"text", "llm"},
    "factcheck": _BASE | {"text", "llm", "quotes"},
    "evaluation": _BASE | {"text", "llm", "quotes", "factcheck"},
    "batch": _BASE | {"text", "ingest", "llm", "quotes", "factcheck", "output"},
    "service": _BASE | {"text", "ingest", "llm", "quotes", "factcheck", "output", "batch"},
    "cli": _BASE
    | {"text", "ingest", "llm", "quotes", "factcheck", "output", "batch", "service", "evaluation"},
    "__main__": {"cli"},
}
#: public modules below a package face that other packages may import directly
SHARED_MODULES = {"quotecheck.text.lexicon"}
MAX_LINES = 360


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(
    tree: ast.AST, module: str, is_package: bool
) -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, imported module, names taken from it) for every import, relative ones resolved."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, ()) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            out.append((node.lineno, base, tuple(a.name for a in node.names)))
    return [o for o in out if o[1] == "quotecheck" or o[1].startswith("quotecheck.")]


def _sources() -> list[tuple[str, Path, ast.Module]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        found.append((_module_name(path), path, ast.parse(path.read_text("utf-8"))))
    return found


def layout_violations(sources: list[tuple[str, Path, ast.Module]] | None = None) -> list[str]:
    """Every broken rule as one line ``file:line: what``; empty when the layout holds."""
    sources = _sources() if sources is None else sources
    problems = []
    for module, path, tree in sources:
        if module == "quotecheck":
            continue  # the face may import every stage's face
        pkg = _package(module)
        is_package = path.name == "__init__.py"
        where = path.relative_to(SRC.parent)
        for line, target, names in _imports(tree, module, is_package):
            if target == "quotecheck" and names:
                target = f"quotecheck.{names[0]}"  # "from quotecheck import batch": a package
            tpkg = _package(target)
            if target == "quotecheck" or (target.count(".") == 1 and tpkg not in MAY_IMPORT):
                problems.append(f"{where}:{line}: imports the package face {target!r}")
                continue
            if tpkg == pkg:
                continue
            if tpkg not in MAY_IMPORT.get(pkg, set()):
                problems.append(f"{where}:{line}: {pkg!r} may not import {tpkg!r} ({target})")
            elif target.count(".") > 1 and target not in SHARED_MODULES:
                face = f"quotecheck.{tpkg}"
                problems.append(f"{where}:{line}: import {target!r} through its face {face!r}")
    return problems


def cycles(sources: list[tuple[str, Path, ast.Module]] | None = None) -> list[list[str]]:
    """Import cycles between modules (any import, inside functions too)."""
    sources = _sources() if sources is None else sources
    names = {m for m, _, _ in sources}
    graph: dict[str, set[str]] = {}
    for module, path, tree in sources:
        targets = set()
        for _, base, taken in _imports(tree, module, path.name == "__init__.py"):
            # "from quotecheck.quotes import decide" imports the module decide too
            for target in [base, *(f"{base}.{n}" for n in taken)]:
                while target and target not in names:
                    target = target.rpartition(".")[0]
                if target and target != module:
                    targets.add(target)
        graph[module] = targets
    found, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_no_upward_or_private_imports() -> None:
    assert layout_violations() == []


def test_no_import_cycles() -> None:
    assert cycles() == []


def test_every_module_has_a_docstring_and_stays_small() -> None:
    for module, path, tree in _sources():
        if path.name == "__main__.py":
            continue
        assert ast.get_docstring(tree), f"{module} has no docstring saying what it may touch"
        lines = len(path.read_text("utf-8").splitlines())
        assert lines <= MAX_LINES, f"{module} has {lines} lines; split it"


@pytest.mark.parametrize(
    ("module", "code", "expected"),
    [
        ("quotecheck.text.spans", "from quotecheck.quotes import find_items", "may not import"),
        ("quotecheck.llm.client", "from quotecheck.factcheck import verify", "may not import"),
        ("quotecheck.quotes.decide", "import quotecheck", "package face"),
        (
            "quotecheck.quotes.decide",
            "from quotecheck.text.spans import locate",
            "through its face",
        ),
        ("quotecheck.batch.runner", "from quotecheck.cli import app", "may not import"),
    ],
)
def test_the_rules_catch_a_deliberate_violation(module: str, code: str, expected: str) -> None:
    parts = module.split(".")
    path = SRC.joinpath(*parts[1:]).with_suffix(".py")
    bad = [(module, path, ast.parse(code))]
    (problem,) = layout_violations(bad)
    assert expected in problem


def test_a_deliberate_cycle_is_found() -> None:
    a = (
        "quotecheck.quotes.a",
        SRC / "quotes" / "a.py",
        ast.parse("from quotecheck.quotes import b"),
    )
    b = ("quotecheck.quotes.b", SRC / "quotes" / "b.py", ast.parse("import quotecheck.quotes.a"))
    face = ("quotecheck.quotes", SRC / "quotes" / "__init__.py", ast.parse("x = 1"))
    assert cycles([a, b, face]) == [
        ["quotecheck.quotes.a", "quotecheck.quotes.b", "quotecheck.quotes.a"]
    ]
