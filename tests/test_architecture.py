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
