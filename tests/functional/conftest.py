"""Fixtures of the functional tests (the TUI modules share them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_tui_support import frozen_clock, make_library


@pytest.fixture(autouse=True)
def french() -> Any:
    """Every TUI test starts, and leaves the app, in French."""
    from simulator.tui import i18n

    i18n.set_language("fr")
    yield
    i18n.set_language("fr")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return make_library(tmp_path / "library")


@pytest.fixture
def store(tmp_path: Path) -> Any:
    from simulator.store import open_store

    s = open_store(tmp_path / "sessions.db", clock=frozen_clock)
    yield s
    s.close()
