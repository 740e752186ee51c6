"""The domain package stands alone: no Streamlit, and every public function documented."""

from __future__ import annotations

import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import standings


def test_standings_never_imports_streamlit() -> None:
    code = (
        "import sys, pkgutil, importlib, standings\n"
        "for m in pkgutil.walk_packages(standings.__path__, 'standings.'):\n"
        "    if not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "print('streamlit' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == "False"


def test_public_functions_have_docstrings() -> None:
    missing = []
    for info in pkgutil.walk_packages(standings.__path__, "standings."):
        if info.name.endswith("__main__"):
            continue
        module = __import__(info.name, fromlist=["_"])
        for name, member in vars(module).items():
            if name.startswith("_") or getattr(member, "__module__", None) != info.name:
                continue
            if (inspect.isfunction(member) or inspect.isclass(member)) and not inspect.getdoc(member):
                missing.append(f"{info.name}.{name}")
    assert missing == []


def test_every_page_file_is_named_as_its_url_path() -> None:
    """A deep link is a fresh server's first request before app.py has run: Streamlit then finds
    the page by its file name, so ``/title-race`` must be ``pages/title-race.py``."""

    app = (Path(__file__).resolve().parent.parent / "app.py").read_text(encoding="utf-8")
    pages = re.findall(r'st\.Page\("pages/([^"]+)\.py".*?url_path="([^"]+)"', app)
    assert len(pages) >= 6
    assert all(stem == path for stem, path in pages), pages
