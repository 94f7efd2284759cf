"""The house plan's layers (../shared/STYLE.md) hold: the import contract in pyproject.toml
passes, so no module imports a layer above its own, directly or through a chain."""

import ast
import tomllib
from pathlib import Path

from importlinter import cli

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contract_is_kept():
    assert cli.lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_the_layers_are_the_house_plan_top_to_bottom():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    assert layers == [
        "demo",
        "portal",
        "dashboards",
        "evaluation",
        "vouchers",
        "catalog",
        "accounts",
        "geodata",
        "notifications",
        "workdays",
        "mapsite",
    ]


def test_the_kernel_reaches_up_only_from_its_wiring():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (ignored,) = [c["ignore_imports"] for c in config["contracts"] if c["type"] == "layers"]
    importers = {line.split(" -> ")[0] for line in ignored}
    assert importers <= {"mapsite.urls", "mapsite.settings", "mapsite.wsgi"}


CHECKED_APPS = (
    "accounts",
    "catalog",
    "dashboards",
    "demo",
    "evaluation",
    "geodata",
    "mapsite",
    "notifications",
    "vouchers",
    "workdays",
)


def _late_imports_without_a_reason(path: Path) -> list[str]:
    source = path.read_text()
    lines = source.splitlines()
    found = []
    for func in ast.walk(ast.parse(source)):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            # A "# why:" comment above the import or above the block of imports it is in
            # (blank lines between import groups and a comment's continuation lines allowed).
            i = node.lineno - 2
            while i >= 0 and not lines[i].strip().startswith("# why:"):
                text = lines[i].strip()
                if text and not text.startswith(("from ", "import ", "#")):
                    break
                i -= 1
            if i < 0 or not lines[i].strip().startswith("# why:"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_function_level_imports_say_why():
    found = []
    for app in CHECKED_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                found += _late_imports_without_a_reason(path)
    assert found == []
