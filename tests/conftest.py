"""Shared fixtures. Every test runs with its own RELANCE_HOME: the developer's own
settings, sessions and recordings are never read or written by the test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(autouse=True)
def relance_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("relance-home")
    monkeypatch.setenv("RELANCE_HOME", str(home))
    monkeypatch.setenv("RELANCE_SCENARIOS", str(SCENARIOS))
    return home
