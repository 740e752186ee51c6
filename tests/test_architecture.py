"""The layers of ``standings`` import only downwards (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "standings"
CORE = {"model", "errors", "identity", "nations", "rules", "columns"}
# What each layer may import, besides itself and the core.
ALLOWED = {
    "core": set(),
    "sources": set(),
    "engine": set(),
    "storage": {"sources", "engine"},
    "season": {"sources", "engine", "storage"},  # sources: the plausibility limits, for what-ifs
    "present": {"engine", "season"},
    "entry": {"sources", "engine", "storage", "season", "present"},  # cli, __init__, __main__
}


def layer(module: str) -> str:
    """The layer of a ``standings`` module: ``standings.storage.sync`` is ``storage``."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    if top in CORE:
        return "core"
    if top in ("sources", "engine", "storage", "present", "season"):
        return top
    return "entry"


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names if node.module == "standings"}
    return found


def test_every_module_imports_only_downwards() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        mine = layer(module)
        for target in imports(path):
            if target == "standings" or not target.startswith("standings."):
                if target.split(".")[0] in ("streamlit", "ui", "pages", "app"):
                    wrong.append(f"{module} imports {target}")
                continue
            theirs = layer(target)
            if theirs not in {mine, "core"} | ALLOWED[mine]:
                wrong.append(f"{module} ({mine}) imports {target} ({theirs})")
    assert wrong == []


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
    "standings.sources.isu_api", "standings.storage.importer"))))
"""
    shown = subprocess.run(
        [sys.executable, "-c", session], check=True, env=env, cwd=ROOT, timeout=300, capture_output=True, text=True
    )
    assert shown.stdout.split() == [], shown.stdout
