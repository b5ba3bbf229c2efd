"""Snapshots of every screen at 80×24 and 120×40 (frozen clock, fixed seed, no blinking
cursor, the keyword analyzer so that the analyzer's progress does not move them).

Look at the SVGs under ``__snapshots__/`` after ``pytest --snapshot-update``.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_tui_support import (
    app_for,
    frozen_clock,
    keyword_analyzer,
    make_library,
    say,
    screen_name,
    stepping_clock,
    until,
)
from textual.widgets import Input

from simulator.store import open_store
from simulator.tui import i18n

#: Fixed paths: the settings screen shows where the data lives.
BASE = Path("/tmp/relance-tui-snapshots")
SIZES = [(80, 24), (120, 40)]
IDS = ["80x24", "120x40"]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Any]]:
    if BASE.exists():
        shutil.rmtree(BASE)
    home = BASE / "home"
    home.mkdir(parents=True)
    monkeypatch.setenv("RELANCE_HOME", str(home))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    i18n.set_language("fr")
    library = make_library(BASE / "library")
    store = open_store(home / "sessions.db", clock=frozen_clock)
    yield library, store
    store.close()
    i18n.set_language("fr")


async def still(pilot: Any) -> None:
    """No blinking cursor, no toast: the same picture every time."""
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    app.clear_notifications()
    await pilot.pause(0.1)


async def home(pilot: Any) -> None:
    await until(
        pilot, lambda: pilot.app.catalogue is not None and screen_name(pilot.app) == "HomeScreen"
    )
    await until(pilot, lambda: pilot.app.screen.store_loaded)


async def start_call(pilot: Any) -> None:
    await home(pilot)
    await pilot.press("enter")
    await until(
        pilot,
        lambda: screen_name(pilot.app) == "BriefingScreen" and pilot.app.screen.loaded is not None,
    )
    await pilot.press("enter")
    await until(
        pilot, lambda: screen_name(pilot.app) == "CallScreen" and pilot.app.screen.call is not None
    )


LINES = (
    "Bonjour Madame, Julien Roux de Nordis Emballages. Je suis bien avec Madame Perrin ?",
    "Je vous appelle au sujet de notre facture FA-2026-0412 de 1 380 €, échue le 15 octobre.",
    "Je comprends votre surprise. Qu'est-ce qui a pu se passer de votre côté ?",
)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_home(snap_compare: Any, env: tuple[Path, Any], size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await home(pilot)
        await still(pilot)

    assert snap_compare(app_for(*env), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_briefing(snap_compare: Any, env: tuple[Path, Any], size: tuple[int, int]) -> None:
    library, store = env
    store.save_action_plan(
        "Claire Martin",
        ["Vérifier l'interlocuteur avant de parler de la dette", "Reformuler avant de proposer"],
        created_at=frozen_clock(),
    )

    async def run_before(pilot: Any) -> None:
        await home(pilot)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: (
                screen_name(pilot.app) == "BriefingScreen" and pilot.app.screen.loaded is not None
            ),
        )
        await until(pilot, lambda: pilot.app.screen.query_one("#plan").loaded)
        await still(pilot)

    assert snap_compare(app_for(library, store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_call(snap_compare: Any, env: tuple[Path, Any], size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await start_call(pilot)
        for line in LINES:
            await say(pilot, line)
        await pilot.press("f1")
        await still(pilot)

    assert snap_compare(app_for(*env), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_debrief(snap_compare: Any, env: tuple[Path, Any], size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await start_call(pilot)
        for line in LINES[:2]:
            await say(pilot, line)
        await pilot.press("escape", "y")
        await until(pilot, lambda: screen_name(pilot.app) == "DebriefScreen")
        await still(pilot)

    assert snap_compare(app_for(*env), terminal_size=size, run_before=run_before)


def seed_history(library: Path, db: Path) -> None:
    """Three calls on three days, better each time."""
    from simulator import library as lib
    from simulator.sessions import CallSession

    loaded = lib.load(library / "fr-oubli-changement-comptable.yaml")
    clock = stepping_clock()
    store = open_store(db, clock=frozen_clock)
    for n in (1, 2, 3):
        call, _ = CallSession.start(
            loaded, analyzer=keyword_analyzer, trainee="Claire Martin", store=store, clock=clock
        )
        for line in LINES[:n]:
            call.reply(line)
        call.finish()
    store.close()


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_history(snap_compare: Any, env: tuple[Path, Any], size: tuple[int, int]) -> None:
    library, store = env
    seed_history(library, BASE / "home" / "sessions.db")

    async def run_before(pilot: Any) -> None:
        await home(pilot)
        await pilot.press("h")
        await until(
            pilot, lambda: screen_name(pilot.app) == "HistoryScreen" and bool(pilot.app.screen.rows)
        )
        await still(pilot)

    assert snap_compare(app_for(library, store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_settings(snap_compare: Any, env: tuple[Path, Any], size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await home(pilot)
        await pilot.press("s")
        await until(pilot, lambda: screen_name(pilot.app) == "SettingsScreen")
        await still(pilot)

    assert snap_compare(app_for(*env), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_home_in_english(snap_compare: Any, env: tuple[Path, Any], size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await home(pilot)
        await pilot.press("l")
        await still(pilot)

    assert snap_compare(app_for(*env), terminal_size=size, run_before=run_before)


async def assess_setup(pilot: Any) -> None:
    from simulator.tui.widgets.scenario_list import ScenarioList

    await home(pilot)
    await pilot.press("a")
    await until(pilot, lambda: screen_name(pilot.app) == "AssessSetupScreen")
    screen = pilot.app.screen
    await until(pilot, lambda: bool(screen.query_one(ScenarioList)._entries))
    screen.query_one("#assessor", Input).value = "Marc Lefèvre"
    screen.query_one("#trainee", Input).value = "Léa Dubois"
    screen.query_one(ScenarioList).focus()


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_assess_setup(snap_compare: Any, env: tuple[Path, Any], size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await assess_setup(pilot)
        await still(pilot)

    assert snap_compare(app_for(*env), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_assessor_review(snap_compare: Any, env: tuple[Path, Any], size: tuple[int, int]) -> None:
    from textual.widgets import Select

    async def run_before(pilot: Any) -> None:
        await assess_setup(pilot)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: screen_name(pilot.app) == "CallScreen" and pilot.app.screen.call is not None,
        )
        for line in LINES[:2]:
            await say(pilot, line)
        await pilot.press("escape", "y")
        await until(pilot, lambda: screen_name(pilot.app) == "AssessorReviewScreen")
        review = pilot.app.screen
        await pilot.press("o")
        await until(pilot, lambda: screen_name(pilot.app) == "OverrideDialog")
        dialog = pilot.app.screen
        dialog.query_one("#override-criterion", Select).value = "discover"
        dialog.query_one("#override-score", Input).value = "60"
        dialog.query_one(
            "#override-justification", Input
        ).value = "La question ouverte est posée, mais la réponse n'est pas reformulée."
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(review.review.overrides))
        await still(pilot)

    assert snap_compare(app_for(*env), terminal_size=size, run_before=run_before)
