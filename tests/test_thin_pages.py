"""Pages lay out; they compute nothing (issue 26): what a page may import, checked on every run.

A page may import Streamlit, pandas and the standard library, the ``standings`` package's public
API (``import standings`` / ``from standings import ...``), ``standings.present`` (what the
dashboard shows, ready made) and ``ui`` (the Streamlit glue). Never ``standings.engine``,
``standings.storage``, ``standings.sources`` or any other inner module: what a page needs from
them comes ready from ``standings.present`` or through ``ui.cache``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([*(ROOT / "pages").glob("*.py"), ROOT / "app.py"])
THIRD_PARTY = {"streamlit", "pandas"}


def page_imports(source: str) -> set[str]:
    """Every module a page's source imports (``from standings import X`` as ``standings``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def wrong_imports(source: str) -> list[str]:
    """The imports of a page's source that a page may not have."""
    wrong = []
    for module in sorted(page_imports(source)):
        top = module.split(".")[0]
        if module == "standings" or module.startswith("standings.present") or top == "ui":
            continue
        if top in THIRD_PARTY or top in sys.stdlib_module_names or module == "__future__":
            continue
        wrong.append(module)
    return wrong


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_page_imports_only_the_public_api_present_and_ui(page: Path) -> None:
    assert wrong_imports(page.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "planted",
    [
        "from standings.engine.qualification import changes",
        "import standings.storage.store",
        "from standings.sources import isu_api",
        "from standings.model import CIRCUITS",
        "import altair",
    ],
)
def test_the_check_refuses_a_planted_import(planted: str) -> None:
    """A page's own source with one wrong import planted: the check names it."""
    source = (ROOT / "pages" / "event.py").read_text(encoding="utf-8") + f"\n{planted}\n"
    assert wrong_imports(source) == [planted.split()[1]]
