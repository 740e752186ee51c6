"""Where the shared source files are, and the one reason tests that need them give when they are not.

``../shared/data`` beside the project holds the official ISU sheets, the short-track scrapes and
the ISU API samples; the project does not redistribute them (it ships its normalized data in
``data/``). On a fresh clone without them, those tests skip with this reason and every other
test, the golden checks on ``data/`` included, runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

ROOT: Final = Path(__file__).resolve().parent.parent
SHARED: Final = ROOT.parent / "shared" / "data"
MISSING: Final = (
    f"needs the shared source files in {SHARED} (official sheets, short-track scrapes, API samples), "
    "which are not part of the repository"
)
#: Marks a test (or, as ``pytestmark``, a module) that reads the shared source files.
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=MISSING)
