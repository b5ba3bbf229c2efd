"""Pilot tests of the assessor mode: setup, a call under locked conditions, the review
(overrides with a mandatory justification, automatic and override side by side), sign-off
and seal, then read-only — from the review and from the history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_tui_support import (
    app_for,
    frozen_clock,
    keyword_analyzer,
    say,
    screen_name,
    sync,
    until,
)

from simulator.errors import StoreError
from simulator.tui import i18n
from simulator.tui.app import RelanceApp
from simulator.tui.screens.assessor_review import OverrideRequest

SCENARIO = "fr-oubli-changement-comptable"
ASSESSOR = "Marc Lefevre"
TRAINEE = "Léa Dubois"
JUSTIFICATION = "Présentation complète : l'outil n'a pas reconnu la formule utilisée."


def messages(app: RelanceApp) -> list[str]:
    return [n.message for n in app._notifications]


def footer_keys(app: RelanceApp) -> list[str]:
    from textual.widgets._footer import FooterKey

    return [k.description for k in app.screen.query(FooterKey)]


def card_text(screen: Any) -> str:
    from simulator.tui.widgets.score_card_view import ScoreCardView

    view = screen.query_one(ScoreCardView)
    out = []
    for i in range(view.option_count):
        prompt = view.get_option_at_index(i).prompt
        out.append(prompt.plain if hasattr(prompt, "plain") else plain(prompt))
    return "\n".join(out)


def plain(renderable: Any) -> str:
    import io

    from rich.console import Console

    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text()


async def setup_assessment(pilot: Any) -> None:
    """Home → ``a`` → names and scenario typed in the setup screen (not started)."""
    from textual.widgets import Input

    from simulator.tui.widgets.scenario_list import ScenarioList

    app = pilot.app
    await until(pilot, lambda: screen_name(app) == "HomeScreen" and app.screen.store_loaded)
    await pilot.press("a")
    await until(pilot, lambda: screen_name(app) == "AssessSetupScreen")
    screen = app.screen
    await until(pilot, lambda: bool(screen.query_one(ScenarioList)._entries))
    screen.query_one("#assessor", Input).value = ASSESSOR
    await pilot.press("enter")  # → trainee
    assert app.focused is screen.query_one("#trainee", Input)
    screen.query_one("#trainee", Input).value = TRAINEE
    await pilot.press("enter")  # → the scenario list
    listing = screen.query_one(ScenarioList)
    assert app.focused is listing
    listing.highlighted = [e.id for e in listing._entries].index(SCENARIO)
    await pilot.pause()


async def start_assessed_call(pilot: Any) -> None:
    app = pilot.app
    await setup_assessment(pilot)
    await pilot.press("enter")
    await until(pilot, lambda: screen_name(app) == "CallScreen" and app.screen.call is not None)


# -- the whole assessment ----------------------------------------------------------------
@sync
async def test_a_full_assessed_call_reviewed_overridden_and_sealed(
    library: Path, store: Any
) -> None:
    from textual.widgets import Input, Select

    from simulator.tui.widgets.hint_box import HintBox
    from simulator.tui.widgets.mood import MoodGauges
    from simulator.tui.widgets.phase_tracker import PhaseTracker

    app = app_for(library, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_assessed_call(pilot)
        call_screen = app.screen
        session_id = call_screen.call.session_id
        # locked conditions: banner; no hint, no mood, no live tracker
        banner = plain(call_screen.query_one("#locked-banner").render())
        assert "conditions verrouillées" in banner and TRAINEE in banner and ASSESSOR in banner
        assert not call_screen.query(HintBox)
        assert not call_screen.query(MoodGauges)
        assert not call_screen.query(PhaseTracker)
        assert "Indice" not in footer_keys(app)
        assert call_screen.check_action("hint", ()) is False
        await say(pilot, "Bonjour Madame, Julien Roux de Nordis Emballages.")
        await pilot.press("f1")
        assert not call_screen.query(HintBox)
        assert not call_screen.query(MoodGauges)
        await say(pilot, "Je vous appelle au sujet de la facture de 1 380 €.")
        session = store.get(session_id)
        assert session.mode == "assessment"
        assert session.assessor == ASSESSOR and session.trainee == TRAINEE
        assert app.settings.learner == "Claire Martin"  # nothing goes to the settings

        # hang up: straight to the assessor's review, never the debrief
        await pilot.press("escape", "y")
        await until(pilot, lambda: screen_name(app) == "AssessorReviewScreen")
        review = app.screen
        assert review.review.session_id == session_id
        assert "Rejouer" not in footer_keys(app)
        assert "retry" not in {b.action for _k, b, *_ in review.active_bindings.values()}

        # an override with an empty justification is refused, with a clear message
        await pilot.press("o")
        await until(pilot, lambda: screen_name(app) == "OverrideDialog")
        dialog = app.screen
        dialog.query_one("#override-criterion", Select).value = "engage"
        dialog.query_one("#override-score", Input).value = "70"
        dialog.query_one("#override-justification", Input).value = "   "
        await pilot.click("#override-save")
        await pilot.pause()
        assert screen_name(app) == "OverrideDialog"
        error = dialog.query_one("#override-error")
        assert error.display and "justification est obligatoire" in plain(error.render())
        assert store.get(session_id).overrides == ()
        # a score out of range is refused too
        dialog.query_one("#override-score", Input).value = "150"
        dialog.query_one("#override-justification", Input).value = JUSTIFICATION
        await pilot.press("ctrl+s")
        assert screen_name(app) == "OverrideDialog"
        assert "entre 0 et 100" in plain(error.render())
        # a justified override is stored, and shown beside the automatic score
        dialog.query_one("#override-score", Input).value = "70"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen_name(app) == "AssessorReviewScreen")
        await until(pilot, lambda: bool(review.review.overrides))
        overrides = store.get(session_id).overrides
        assert [(o.criterion, o.score, o.justification, o.assessor) for o in overrides] == [
            ("engage", 70.0, JUSTIFICATION, ASSESSOR)
        ]
        card = review.review.card
        auto = card.criterion("engage")
        assert auto is not None
        shown = card_text(review)
        header = next(line for line in shown.splitlines() if "Engager" in line)
        assert i18n.number(auto.score) in header and "évaluateur 70" in header
        assert JUSTIFICATION in shown
        status = plain(review.query_one("#review-status").render())
        assert "Note après corrections" in status and "non scellée" in status.lower()

        # sign and seal, after a confirmation
        await pilot.press("s")
        await until(pilot, lambda: screen_name(app) == "ConfirmScreen")
        await pilot.press("y")
        await until(pilot, lambda: review.review.sealed)
        report = store.verify(session_id)
        assert report.ok
        sealed = store.get(session_id)
        assert sealed.seal is not None and sealed.seal.by == ASSESSOR
        status = plain(review.query_one("#review-status").render())
        assert sealed.seal.hash in status and "Scellée par" in status

        # read-only: no override, no sign-off any more
        await pilot.pause()
        keys = footer_keys(app)
        assert "Corriger" not in keys and "Signer et sceller" not in keys
        await pilot.press("o")
        await pilot.pause()
        assert screen_name(app) == "AssessorReviewScreen"
        review.action_override()
        await pilot.pause()
        assert screen_name(app) == "AssessorReviewScreen"
        assert any("ne peut plus être modifiée" in m for m in messages(app))
        review._save_override(OverrideRequest("desc", 10.0, "trop tard"))
        await app.workers.wait_for_complete()
        assert len(store.get(session_id).overrides) == 1
        with pytest.raises(StoreError):
            store.add_override(session_id, "desc", 10.0, "trop tard", ASSESSOR)
        assert store.verify(session_id).ok

        await pilot.press("escape")
        await until(pilot, lambda: screen_name(app) == "HomeScreen")


@sync
async def test_setup_refuses_missing_names(library: Path, store: Any) -> None:
    from textual.widgets import Input

    app = app_for(library, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen_name(app) == "HomeScreen" and app.screen.store_loaded)
        await pilot.press("a")
        await until(pilot, lambda: screen_name(app) == "AssessSetupScreen")
        screen = app.screen
        await pilot.click("#assess-start")
        await pilot.pause()
        assert screen_name(app) == "AssessSetupScreen"
        assert any("nom de l'évaluateur" in m for m in messages(app))
        assert app.focused is screen.query_one("#assessor", Input)
        screen.query_one("#assessor", Input).value = ASSESSOR
        await pilot.click("#assess-start")
        await pilot.pause()
        assert screen_name(app) == "AssessSetupScreen"
        assert any("nom du stagiaire" in m for m in messages(app))
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(app) == "HomeScreen")
        # the command palette offers the assessor mode
        from simulator.tui.app import RelanceCommands

        titles = [title for title, _h, _cb in RelanceCommands(app.screen)._commands()]
        assert "Évaluation (mode évaluateur)" in titles


# -- the history ---------------------------------------------------------------------------
def sealed_assessment(store: Any, library: Path) -> str:
    from simulator import library as lib
    from simulator.sessions import CallSession

    loaded = lib.load(library / f"{SCENARIO}.yaml")
    call, _ = CallSession.start(
        loaded,
        analyzer=keyword_analyzer,
        trainee=TRAINEE,
        mode="assessment",
        assessor=ASSESSOR,
        store=store,
        clock=frozen_clock,
    )
    call.reply(
        "Bonjour Madame, Julien Roux de Nordis Emballages. Je suis bien avec Madame Perrin ?"
    )
    call.finish()
    assert call.session_id is not None
    store.add_override(call.session_id, "engage", 80, JUSTIFICATION, ASSESSOR)
    store.seal(call.session_id, ASSESSOR)
    return call.session_id


@sync
async def test_history_marks_sealed_assessments_and_opens_them_read_only(
    library: Path, store: Any
) -> None:
    from textual.widgets import DataTable

    session_id = sealed_assessment(store, library)
    app = app_for(library, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: screen_name(app) == "HomeScreen" and app.screen.store_loaded)
        await pilot.press("h")
        await until(pilot, lambda: screen_name(app) == "HistoryScreen" and bool(app.screen.rows))
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        title = str(table.get_row_at(0)[1])
        assert title.startswith("🔒") and TRAINEE in title
        table.focus()
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(app) == "AssessorReviewScreen")
        review = app.screen
        assert review.review.sealed and review.review.past
        assert [o.score for o in review.review.overrides] == [80.0]
        assert "évaluateur 80" in card_text(review)
        assert review.check_action("override", ()) is False
        assert review.check_action("sign", ()) is False
        await pilot.press("o")
        await pilot.pause()
        assert screen_name(app) == "AssessorReviewScreen"
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(app) == "HistoryScreen")
    assert store.verify(session_id).ok


@sync
async def test_a_debrief_of_an_assessment_offers_no_retry(library: Path, store: Any) -> None:
    from simulator.tui.screens.debrief import Debrief, DebriefScreen

    session_id = sealed_assessment(store, library)
    app = app_for(library, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: screen_name(app) == "HomeScreen" and app.screen.store_loaded)
        await app.push_screen(DebriefScreen(Debrief.from_session(store.get(session_id))))
        await pilot.pause()
        assert app.screen.check_action("retry", ()) is False
        assert "Rejouer" not in footer_keys(app)
        await pilot.press("r")
        await pilot.pause()
        assert screen_name(app) == "DebriefScreen"
