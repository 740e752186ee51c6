"""The layers of ``standings`` import only downwards (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "standings"
CORE = {"model", "errors", "identity", "nations", "rules", "columns"}
#: What ``standings.storage`` may import, word for word as its package docstring and the table of
#: docs/ARCHITECTURE.md state it (a test checks both); the modules of ``engine/`` it names are the
#: only ones of the engine that storage may import.
STORAGE_MAY_IMPORT = (
    "the core, `sources/`, and from `engine/` only `engine.points` (re-scoring an import) and "
    "`engine.title_race.types` (the programme's races to come)"
)
STORAGE_ENGINE_MODULES = {f"standings.{name}" for name in re.findall(r"`(engine\.[a-z_.]+)`", STORAGE_MAY_IMPORT)}
# What each layer may import, besides itself and the core: whole layers, or single modules
# (a module named here may be imported, its submodules too; its package may not).
ALLOWED = {
    "core": set(),
    "sources": set(),
    "engine": set(),
    "storage": {"sources", *STORAGE_ENGINE_MODULES},
    "season": {"sources", "engine", "storage"},  # sources: the plausibility limits, for what-ifs
    "present": {"engine", "season"},
    "entry": {"sources", "engine", "storage", "season", "present"},  # cli, __init__, __main__
}
FORBIDDEN_TOP = ("streamlit", "ui", "pages", "app")


def layer(module: str) -> str:
    """The layer of a ``standings`` module: ``standings.storage.sync`` is ``storage``."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    if top in CORE:
        return "core"
    if top in ("sources", "engine", "storage", "present", "season"):
        return top
    return "entry"


def imports(source: str, module: str = "", *, is_package: bool = False) -> set[str]:
    """The modules a module's source imports, a relative import resolved against ``module``.

    ``from standings import engine`` and ``from . import x`` count as importing ``standings.engine``
    and ``x``: the name may be a module (elsewhere a name imported from a module is not one).
    """
    tree = ast.parse(source)
    found: set[str] = set()
    here = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.add(base)
            if base == "standings" or (node.level and not node.module):
                found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def may_import(module: str, target: str) -> bool:
    """Whether the ``standings`` module ``module`` may import ``target`` (any module)."""
    if target == "standings" or not target.startswith("standings."):
        return target.split(".")[0] not in FORBIDDEN_TOP
    mine, theirs = layer(module), layer(target)
    if theirs in {mine, "core"}:
        return True
    allowed = ALLOWED[mine]
    return theirs in allowed or any(target == name or target.startswith(f"{name}.") for name in allowed)


def wrong_imports(module: str, source: str, *, is_package: bool = False) -> list[str]:
    """What the module's source imports that its layer may not, one line each."""
    return [
        f"{module} ({layer(module)}) imports {target}"
        for target in sorted(imports(source, module, is_package=is_package))
        if not may_import(module, target)
    ]


def test_every_module_imports_only_downwards() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        source = path.read_text(encoding="utf-8")
        wrong += wrong_imports(module, source, is_package=path.name == "__init__.py")
    assert wrong == []


def test_the_storage_rule_is_stated_alike_in_its_docstring_and_the_architecture_page() -> None:
    """One statement of what storage may import: the package's docstring, the table, this file."""
    import standings.storage

    docstring = " ".join((standings.storage.__doc__ or "").replace("``", "`").split())
    assert f"may import {STORAGE_MAY_IMPORT}" in docstring
    table = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8").splitlines()
    assert [row for row in table if row.startswith("| `storage/` |")] == [f"| `storage/` | {STORAGE_MAY_IMPORT} |"]
    assert sorted(STORAGE_ENGINE_MODULES) == ["standings.engine.points", "standings.engine.title_race.types"]


STORAGE_MODULE = PACKAGE / "storage" / "importer.py"


@pytest.mark.parametrize(
    ("planted", "target"),
    [
        ("import standings.engine.medals", "standings.engine.medals"),
        ("from standings.engine.tables import standings_table", "standings.engine.tables"),
        ("from standings.engine.title_race import RemainingRace", "standings.engine.title_race"),
        ("from standings.engine.title_race.search import statuses", "standings.engine.title_race.search"),
        ("from standings.engine import points", "standings.engine"),
        ("from standings import present", "standings.present"),
        ("from standings.present.views import standings_view", "standings.present.views"),
        ("import standings.season", "standings.season"),
        ("from ..engine import medals", "standings.engine"),
        ("from ..engine.medals import medal_table", "standings.engine.medals"),
        ("from .. import cli", "standings.cli"),
        ("import streamlit as st", "streamlit"),
    ],
)
def test_the_check_refuses_a_planted_storage_import(planted: str, target: str) -> None:
    """A storage module's own source with one wrong import planted: the check names it, and only it."""
    source = STORAGE_MODULE.read_text(encoding="utf-8") + f"\n{planted}\n"
    wrong = wrong_imports("standings.storage.importer", source)
    assert [line.split(" imports ")[1] for line in wrong] == [target]


@pytest.mark.parametrize(
    "planted",
    [
        "from standings.engine.points import award",
        "import standings.engine.points",
        "from standings.engine.title_race.types import RemainingRace",
        "from standings.sources.isu_api.races import race_import",
        "from standings.storage.store import Store",
        "from standings.model import Race",
        "from .store import Store",
    ],
)
def test_the_check_lets_storage_import_what_the_rule_allows(planted: str) -> None:
    source = STORAGE_MODULE.read_text(encoding="utf-8") + f"\n{planted}\n"
    assert wrong_imports("standings.storage.importer", source) == []


def test_the_layers_are_as_documented() -> None:
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for name in ("`engine/`", "`storage/`", "`present/`", "`sources/`", "`season.py`"):
        assert name in text
    assert {layer(f"standings.{m}") for m in CORE} == {"core"}


def test_every_page_imports_ui_boot_first() -> None:
    """A fresh server runs deep-linked pages straight from ``pages/``: their imports must not race (ui/boot.py)."""
    for page in sorted((ROOT / "pages").glob("*.py")):
        tree = ast.parse(page.read_text(encoding="utf-8"))
        first = next(node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom))
        assert isinstance(first, ast.Import) and [a.name for a in first.names] == ["ui.boot"], page.name


def test_the_dashboard_imports_no_cli_api_client_pdf_reader_or_alembic(tmp_path: Path) -> None:
    """A session of the dashboard on a current store loads none of what only the CLI needs."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, RINKSIDE_DATABASE_URL=f"sqlite:///{tmp_path / 'store.sqlite'}")
    made = "from standings.storage.shipped import open_store; open_store().close()"
    subprocess.run([sys.executable, "-c", made], check=True, env=env, cwd=ROOT, timeout=300)
    session = f"""
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({str(ROOT / "app.py")!r}, default_timeout=300)
at.run()
assert not at.exception, at.exception
print(" ".join(sorted(name for name in sys.modules if name.split(".")[0] in
    ("httpx", "pydantic", "alembic", "pdfplumber", "pdfminer") or name in ("standings.cli", "standings.storage.sync",
    "standings.storage.sync_checks", "standings.storage.watch", "standings.storage.importer")
    or name.startswith("standings.sources.isu_api"))))
"""
    shown = subprocess.run(
        [sys.executable, "-c", session], check=True, env=env, cwd=ROOT, timeout=300, capture_output=True, text=True
    )
    assert shown.stdout.split() == [], shown.stdout
