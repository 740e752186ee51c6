"""Every table and figure made from the shipped data equals its recorded digest (see ``golden_outputs``).

A refactor changes the code's shape, not what it shows: this fails on any changed number, rank,
medal, sentence or chart. When an output changes on purpose, re-record with
``python tests/golden_outputs.py`` and say why in the commit.
"""

from __future__ import annotations

import json

from golden_outputs import GOLDEN, outputs


def test_every_output_equals_its_recorded_digest() -> None:
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = dict(outputs())
    assert set(now) == set(recorded)
    changed = sorted(name for name in now if now[name] != recorded[name])
    assert not changed, f"{len(changed)} outputs changed, e.g. {changed[:5]}"
