"""The layering of docs/architecture.md, and no private names of Django or other libraries."""

import ast
from pathlib import Path

import pytest

BACKTP = Path(__file__).resolve().parents[2] / "backtp"

# What each app may import (besides itself). Each depends only on those below it.
ALLOWED = {
    "core": set(),
    "catalog": {"core"},
    "accounts": {"core", "catalog"},
    "journal": {"core", "catalog", "accounts"},
    "guide": {"core", "catalog", "accounts", "journal"},
    "reminders": {"core", "catalog", "accounts", "journal"},
    "pages": {"core", "catalog", "accounts", "journal", "guide", "reminders"},
}
# Django documents the model _meta API as public (docs: "Model _meta API").
DOCUMENTED = {"_meta"}


def _sources(app: str) -> list[Path]:
    return sorted((BACKTP / app).rglob("*.py"))


def _imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def test_every_app_is_placed_in_the_layers() -> None:
    apps = {path.parent.name for path in BACKTP.glob("*/apps.py")}
    assert apps == set(ALLOWED)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_the_apps_below_it(app: str) -> None:
    crossings = []
    for path in _sources(app):
        for line, module in _imported_modules(ast.parse(path.read_text())):
            parts = module.split(".")
            if parts[0] == "backtp" and len(parts) > 1 and parts[1] in ALLOWED:
                other = parts[1]
                if other != app and other not in ALLOWED[app]:
                    crossings.append(f"{path.relative_to(BACKTP.parent)}:{line} imports {module}")
    assert not crossings, "imports across a forbidden edge:\n" + "\n".join(crossings)


def test_the_layers_have_no_cycle() -> None:
    def below(app: str) -> set[str]:
        return set().union(*(below(other) | {other} for other in ALLOWED[app]))

    assert all(app not in below(app) for app in ALLOWED)


def test_no_private_name_of_a_library_is_imported_or_touched() -> None:
    """Nothing under backtp/ imports `_name` from Django, redis or any other library, or
    reads `module._name` off one (our own modules' private helpers are fine)."""
    found = []
    for path in sorted(BACKTP.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        libraries: set[str] = set()
        for node in ast.walk(tree):
            where = f"{path.relative_to(BACKTP.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                if node.module.startswith("backtp"):
                    continue
                if any(part.startswith("_") for part in node.module.split(".")):
                    found.append(f"{where} imports {node.module}")
                for alias in node.names:
                    if alias.name.startswith("_"):
                        found.append(f"{where} imports {node.module}.{alias.name}")
                    else:
                        libraries.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if not alias.name.startswith("backtp"):
                        libraries.add((alias.asname or alias.name).split(".")[0])
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and node.attr not in DOCUMENTED
                and isinstance(node.value, ast.Name)
                and node.value.id in libraries
            ):
                where = f"{path.relative_to(BACKTP.parent)}:{node.lineno}"
                found.append(f"{where} touches {node.value.id}.{node.attr}")
    assert not found, "\n".join(found)
