"""The package's shape: no import cycles anywhere, lazy (function-level) and TYPE_CHECKING imports included."""
import ast
from pathlib import Path

import refcheck

PACKAGE = Path(refcheck.__file__).parent


def module_names() -> dict[str, tuple[Path, bool]]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        names[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return names


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports, wherever the import statement stands."""
    modules = module_names()
    graph = {}
    for name, (path, is_package) in modules.items():
        package = name if is_package else name.rsplit(".", 1)[0]
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                # `from . import pdf` imports the module refcheck.pdf; `from . import check` the package itself.
                imported |= {f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target for alias in node.names}
            elif isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
        graph[name] = {module for module in imported if module in modules and module != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while not component or component[-1] != module:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                found.append(sorted(component))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_format_name_has_its_renderer_and_every_public_name_loads():
    # report.names lists the formats for --help without importing the renderers: the two must agree.
    import refcheck.report
    from refcheck.report.rendering import RENDERERS, renderer

    assert tuple(RENDERERS) == refcheck.report.FORMATS
    assert all(callable(renderer(fmt)) for fmt in refcheck.report.FORMATS)
    assert all(getattr(refcheck.report, name) is not None for name in refcheck.report.__all__)
    assert callable(refcheck.report.render) and refcheck.render is refcheck.report.render
