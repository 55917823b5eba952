"""The apps import one way, so each feature can be found, changed and tested in one place.

Bottom to top: zdusers (the kernel) <- profiles <- organizations <- intake <- imports <- devtools.
An app imports only the apps below it, with one exception: any app may import another app's `models`
module. The schema is one (Contact.organization and Membership.user are foreign keys in both directions),
so profiles' queries name organizations' Membership and Organization models.

The kernel (zdusers, its root URLs included: they include apps by name) imports no app, and nothing
imports devtools.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("zdusers", "profiles", "organizations", "intake", "imports", "devtools")


def imported_modules(source: str) -> list[tuple[int, str]]:
    """Every absolute module name `source` imports (top level or inside a function), with its line."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # `from profiles import models` names the models module; `from profiles.models import X` too.
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def wrong_arrows(path: str, source: str) -> list[str]:
    """The imports of the file at `path` (relative to the repository) that break the layering."""
    app = path.split("/")[0]
    if app not in LAYERS:
        return []
    problems = []
    for line, module in imported_modules(source):
        target = module.split(".")[0]
        if target not in LAYERS or target == app:
            continue
        if target != "devtools" and app != "zdusers" and module.split(".")[1:2] == ["models"]:
            continue  # the shared schema
        if LAYERS.index(target) > LAYERS.index(app):
            problems.append(f"{path}:{line} imports {module}: {app} is below {target}")
        elif app == "zdusers":
            problems.append(f"{path}:{line} imports {module}: the kernel imports no app")
    return problems


def product_files() -> list[Path]:
    return sorted(path for app in LAYERS for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts)


def test_every_import_runs_down_the_layers():
    problems = []
    for path in product_files():
        problems += wrong_arrows(path.relative_to(ROOT).as_posix(), path.read_text())
    assert problems == []


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("organizations/views/tabs.py", "from imports.export import csv_lines"),
        ("profiles/services/bulk.py", "from organizations.services.memberships import add_members"),
        ("profiles/duplicates/matching.py", "def f():\n    from intake.inbound import derive_name"),
        ("zdusers/pagination.py", "from profiles.models import EndUser"),
        ("zdusers/urls.py", "from profiles.views.home import home"),
        ("imports/views.py", "import devtools.demo_data"),
        ("profiles/views/home.py", "from devtools.models import Anything"),
    ],
)
def test_an_import_against_the_layers_is_reported(path, source):
    assert len(wrong_arrows(path, source)) == 1


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("organizations/selectors.py", "from profiles.selectors import enduser_search_q"),
        ("profiles/selectors.py", "from organizations.models import Membership"),
        ("profiles/selectors.py", "from organizations import models"),
        ("intake/services/contacts.py", "from organizations.services.auto_assign import auto_assign_by_email"),
        ("devtools/management/commands/bench.py", "from imports.export import csv_lines"),
    ],
)
def test_an_import_down_the_layers_or_of_models_is_allowed(path, source):
    assert wrong_arrows(path, source) == []


def test_every_app_is_in_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == set(LAYERS)
