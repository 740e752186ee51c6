"""Debian's Chromium as the tests drive it with Playwright (no browser download): where it is,
and the flags that keep it quiet on a machine without a network."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Final

import pytest

CHROMIUM: Final = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS: Final = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require_chromium() -> None:
    """Fail with what to install when Chromium is missing (.ci/run installs it)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: .ci/run installs the Debian package 'chromium'")
