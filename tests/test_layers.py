"""The house plan's layers (../shared/STYLE.md) hold: the import contract in pyproject.toml
passes, so no module imports a layer above its own, directly or through a chain."""

from pathlib import Path

import tomllib
from importlinter import cli

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contract_is_kept():
    assert cli.lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_the_layers_are_the_house_plan_top_to_bottom():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    assert layers == [
        "demo",
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
    assert importers <= {"mapsite.urls", "mapsite.settings", "mapsite.wsgi", "mapsite.context_processors"}
