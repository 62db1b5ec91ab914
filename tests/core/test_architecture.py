"""Claims of docs/architecture.md that a test can hold: the import rules between packages."""

import ast
from pathlib import Path

import pars

PARS = Path(pars.__file__).parent


def imports_of(path: Path) -> set[str]:
    """The pars modules a file imports at run time (not those under ``if TYPE_CHECKING``)."""
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pars"):
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("pars")}
    return found


def modules(package: str) -> dict[str, set[str]]:
    root = PARS / package if package else PARS
    return {
        str(path.relative_to(PARS.parent)): imports_of(path)
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
    }


def outside(imported: set[str], allowed: tuple[str, ...]) -> set[str]:
    known = {
        name
        for name in imported
        if (PARS.parent / (name.replace(".", "/") + ".py")).exists()
        or (PARS.parent / name.replace(".", "/")).is_dir()
    }
    return {name for name in known if not name.startswith(allowed)}


def test_formats_depend_on_nothing_of_ours_but_the_vocabulary_and_pure_validation():
    """A reader may hold a cell to the same text rules as a form (pars.core.validation is pure:
    test_rule_modules_are_pure), so a bad cell is named by its own column."""
    for module, imported in modules("formats").items():
        allowed = ("pars.formats", "pars.vocab", "pars.core.validation")
        assert outside(imported, allowed) == set(), module


def test_nothing_imports_the_views():
    for module, imported in modules("").items():
        if module.startswith(("pars/views/", "pars/__init__.py")):
            continue
        assert not {name for name in imported if name.startswith("pars.views")}, module


def test_rule_modules_are_pure():
    """Rules take ``today`` and plain values: no Flask, no request, no session of their own."""
    pure = ["activities/status.py", "activities/sections.py", "activities/steps.py"]
    pure += ["learners/rules.py", "annual/rules.py", "core/validation.py"]
    pure += ["integrity/rules.py", "claims/rules.py"]
    for name in pure:
        tree = ast.parse((PARS / name).read_text())
        imported = {
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        assert not {m for m in imported if m and m.split(".")[0] in {"flask", "flask_wtf"}}, name
        assert "pars.core.db" not in imported, name


def test_pars_has_about_twenty_entries():
    entries = [p for p in PARS.iterdir() if p.name != "__pycache__"]
    assert len(entries) <= 20, sorted(p.name for p in entries)
