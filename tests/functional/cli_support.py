"""Shared by the tests that drive the real `relance` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: A skilled learner's replies to the sample scenario, one per line.
SKILLED = ROOT / "tests" / "data" / "replies" / "fr-oubli-skilled.txt"


def relance(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``relance ARGS`` as a user would (same interpreter, the test's environment)."""
    return subprocess.run(
        [sys.executable, "-m", "simulator.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
        timeout=120,
    )
