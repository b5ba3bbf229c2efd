"""Pilot tests of the trainer: a full call to the debrief (score = ``relance score``),
filters, the live language switch, resume after an interruption, errors as notifications,
the i18n catalogues, and a start-up that imports nothing heavy."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from test_tui_support import (
    ROOT,
    frozen_clock,
    hint_replies,
    keyword_analyzer,
    make_library,
    say,
    screen_name,
    sync,
    until,
)
from test_tui_support import app_for as _app_for

from simulator.config import load_settings
from simulator.errors import StoreError
from simulator.store import open_store
from simulator.tui import i18n
from simulator.tui.app import RelanceApp

TUI = ROOT / "simulator" / "tui"


# -- helpers ------------------------------------------------------------------------------


def app_for(library: Path, store: Any, *, analyzer: Any = None, **kw: Any) -> RelanceApp:
    """As the shared one, but with the app's own analyzer unless a test gives one."""
    app: RelanceApp = _app_for(library, store, analyzer=analyzer, **kw)
    return app


async def settle(pilot: Any, rounds: int = 3) -> None:
    """Let workers finish and their messages be handled."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_scenario(pilot: Any, scenario_id: str) -> None:
    from simulator.tui.widgets.scenario_list import ScenarioList

    app = pilot.app
    await until(pilot, lambda: screen_name(app) == "HomeScreen" and app.screen.store_loaded)
    await settle(pilot)
    ids = [e.id for e in app.screen.query_one(ScenarioList)._entries]
    app.screen.query_one(ScenarioList).highlighted = ids.index(scenario_id)
    await pilot.press("enter")
    await until(
        pilot, lambda: screen_name(app) == "BriefingScreen" and app.screen.loaded is not None
    )
    await pilot.press("enter")
    await until(pilot, lambda: screen_name(app) == "CallScreen" and app.screen.call is not None)


def rendered(widget: Any) -> str:
    """What a widget shows, as plain text."""
    import io

    from rich.console import Console

    result = widget.render()
    if hasattr(result, "plain"):
        return str(result.plain)
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(result)
    return console.export_text()


# -- the catalogue ------------------------------------------------------------------------
@sync
async def test_filters_narrow_the_catalogue(library: Path, store: Any) -> None:
    from simulator.tui.widgets.scenario_list import ScenarioList

    app = app_for(library, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.catalogue is not None)
        await settle(pilot)
        shown = lambda: [e.id for e in app.screen.query_one(ScenarioList)._entries]  # noqa: E731
        assert len(shown()) == 3
        await pilot.press("slash", *"portail")
        await settle(pilot)
        assert shown() == ["fr-test-portail"]
        await pilot.press(*["backspace"] * 7)
        await settle(pilot)
        assert len(shown()) == 3
        app.screen.query_one("#filter-lang").value = "en"
        await settle(pilot)
        assert shown() == ["en-test-direct-debit"]
        app.screen.query_one("#filter-lang").clear()
        app.screen.query_one("#filter-segment").value = "b2b"
        app.screen.query_one("#filter-level").value = "débutant"
        await settle(pilot)
        assert shown() == ["fr-oubli-changement-comptable"]
        app.screen.query_one("#filter-level").value = "expert"
        await settle(pilot)
        assert shown() == []
        assert "Aucun scénario" in rendered(app.screen.query_one("#home-status"))


@sync
async def test_accent_free_search_and_profile_filter(library: Path, store: Any) -> None:
    from simulator.tui.widgets.scenario_list import ScenarioList

    app = app_for(library, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.catalogue is not None)
        await settle(pilot)
        await pilot.press("slash", *"bloquee")
        await settle(pilot)
        assert [e.id for e in app.screen.query_one(ScenarioList)._entries] == ["fr-test-portail"]
        await pilot.press("escape")
        app.screen.query_one("#filter-text").value = ""
        app.screen.query_one("#filter-profile").value = "vulnerable"
        await settle(pilot)
        assert [e.id for e in app.screen.query_one(ScenarioList)._entries] == [
            "en-test-direct-debit"
        ]


@sync
async def test_broken_scenario_is_skipped_with_a_notification(tmp_path: Path, store: Any) -> None:
    library = make_library(tmp_path / "lib", broken=True)
    app = app_for(library, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.catalogue is not None)
        await settle(pilot)
        assert len(app.catalogue or []) == 3
        messages = [n.title + " " + n.message for n in app._notifications]
        assert any("zz-en-cours.yaml" in m and "ignoré" in m for m in messages), messages
        assert screen_name(app) == "HomeScreen"


@sync
async def test_name_is_asked_once_and_kept(library: Path, store: Any) -> None:
    app = app_for(library, store, learner="")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: screen_name(app) == "NamePrompt")
        await pilot.press(*"Léa Dubois", "enter")
        await settle(pilot)
        assert screen_name(app) == "HomeScreen"
    assert load_settings()[0].learner == "Léa Dubois"


# -- a full call --------------------------------------------------------------------------
@sync
async def test_full_call_to_debrief_shows_the_score_of_relance_score(
    library: Path, store: Any
) -> None:
    """Real analyzer: the score on screen is the one ``relance score`` gives the transcript."""
    from scoring.analyzer import analyze
    from scoring.score import score_transcript
    from simulator import library as lib
    from simulator.sessions import session_transcript
    from simulator.tui.widgets.score_summary import ScoreSummary

    loaded = lib.load(library / "fr-oubli-changement-comptable.yaml")
    replies = list(hint_replies(loaded, analyze))
    app = app_for(library, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot, "fr-oubli-changement-comptable")
        for reply in replies:
            await say(pilot, reply)
        call_screen = app.screen
        assert call_screen.ended
        await until(pilot, lambda: call_screen.card is not None)
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(app) == "DebriefScreen")
        shown = rendered(app.screen.query_one(ScoreSummary))
        session_id = app.screen.debrief.session_id
    session = store.get(session_id)
    assert session.status == "finished"
    assert len(session.turns) == 2 * len(replies) + 1
    card = score_transcript(session_transcript(session, loaded))
    assert f"{i18n.number(card.overall)} / 100" in shown
    assert ("RÉUSSI" if card.passed else "ÉCHEC") in shown
    assert card.overall == session.score


@sync
async def test_call_screen_tracks_phases_desc_mood_and_hints(library: Path, store: Any) -> None:
    from simulator.tui.widgets.desc_tracker import DescTracker
    from simulator.tui.widgets.hint_box import HintBox
    from simulator.tui.widgets.phase_tracker import PhaseTracker
    from simulator.tui.widgets.reply_box import ReplyBox

    app = app_for(library, store, analyzer=keyword_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot, "fr-oubli-changement-comptable")
        screen = app.screen
        await say(
            pilot,
            "Bonjour Madame, Julien Roux de Nordis Emballages. Je suis bien avec Madame Perrin ?",
        )
        phases = screen.query_one(PhaseTracker)
        assert phases.counts["engage"] == 3 and phases.current == "engage"
        await say(pilot, "Je vous appelle au sujet de la facture FA-2026-0412 de 1 380 €.")
        # the debtor resists ("surprise" is tagged resistance): DESC opens
        desc = screen.query_one(DescTracker)
        assert desc.active and desc.lit == set() and desc.left == 3
        await say(
            pilot, "Je comprends. Je vous rappelle la facture de 1 380 €, qu'est-ce qui se passe ?"
        )
        assert "D" in desc.lit
        assert phases.current == "propose"
        hint = screen.query_one(HintBox)
        assert not hint.display
        await pilot.press("f1")
        assert hint.display and hint.hint
        # history of replies: Up brings back the last one
        box = screen.query_one(ReplyBox)
        box.focus()
        await pilot.press("up")
        assert box.value.startswith("Je comprends.")
        await pilot.press("up", "up", "down", "down", "down")
        assert box.value == ""
        # mood gauges follow the debtor's turns
        mood = screen.query_one("#mood")
        assert mood.mood == screen.turns[-1]["mood"]


@sync
async def test_hang_up_scores_the_call_as_it_stands(library: Path, store: Any) -> None:
    app = app_for(library, store, analyzer=keyword_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot, "fr-oubli-changement-comptable")
        await say(pilot, "Bonjour Madame, Julien Roux de Nordis Emballages.")
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(app) == "ConfirmScreen")
        await pilot.press("y")
        await until(pilot, lambda: screen_name(app) == "DebriefScreen")
        session = store.get(app.screen.debrief.session_id)
    assert session.status == "abandoned" and session.outcome == "abandoned"
    assert session.card is not None


@sync
async def test_evidence_selection_scrolls_the_transcript(library: Path, store: Any) -> None:
    from simulator.tui.widgets.score_card_view import ScoreCardView
    from simulator.tui.widgets.transcript import TranscriptView

    app = app_for(library, store, analyzer=keyword_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_scenario(pilot, "fr-oubli-changement-comptable")
        await say(
            pilot,
            "Bonjour Madame, Julien Roux de Nordis Emballages. Je suis bien avec Madame Perrin ?",
        )
        await pilot.press("escape", "y")
        await until(pilot, lambda: screen_name(app) == "DebriefScreen")
        await settle(pilot)
        view = app.screen.query_one(ScoreCardView)
        option = next(oid for oid, turn in view._turns.items() if turn == 1)
        view.highlighted = view.get_option_index(option)
        view.focus()
        await pilot.press("enter")
        await settle(pilot)
        # narrow terminal: the transcript replaces the card and shows turn 1, marked
        assert app.screen.has_class("-show-transcript")
        turn = app.screen.query_one(TranscriptView).turn(1)
        assert turn is not None and turn.has_class("-selected")
        await pilot.press("escape")
        assert not app.screen.has_class("-show-transcript")


@sync
async def test_action_plan_is_saved_and_shown_at_the_next_briefing(
    library: Path, store: Any
) -> None:
    from simulator.tui.widgets.plan_view import PlanView

    app = app_for(library, store, analyzer=keyword_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot, "fr-oubli-changement-comptable")
        await say(pilot, "Bonjour Madame, Julien Roux de Nordis Emballages.")
        await pilot.press("escape", "y")
        await until(pilot, lambda: screen_name(app) == "DebriefScreen")
        await pilot.press("p")
        await until(pilot, lambda: screen_name(app) == "ActionPlanScreen")
        await pilot.press(*"Vérifier l'interlocuteur", "enter", *"Reformuler", "ctrl+s")
        await until(pilot, lambda: screen_name(app) == "DebriefScreen")
        await settle(pilot)
        plan = store.current_action_plan("Claire Martin")
        assert plan is not None and plan.goals == ("Vérifier l'interlocuteur", "Reformuler")
        await pilot.press("r")  # retry: a new call of the same scenario
        await until(pilot, lambda: screen_name(app) == "CallScreen" and app.screen.call is not None)
        await pilot.press("escape", "y")
        await until(pilot, lambda: screen_name(app) == "DebriefScreen")
        await pilot.press("n")  # another scenario: back to the catalogue
        await until(pilot, lambda: screen_name(app) == "HomeScreen")
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(app) == "BriefingScreen")
        await until(pilot, lambda: app.screen.query_one(PlanView).loaded)
        assert "Reformuler" in rendered(app.screen.query_one(PlanView))
    assert len(store.list_sessions(trainee="Claire Martin")) == 2


# -- resume -------------------------------------------------------------------------------
def interrupted_session(db: Path, library: Path) -> str:
    """A call left mid-way by a process that died: two replies, then the store closes."""
    from simulator import library as lib
    from simulator.sessions import CallSession

    loaded = lib.load(library / "fr-oubli-changement-comptable.yaml")
    s = open_store(db, clock=frozen_clock)
    call, _ = CallSession.start(
        loaded, analyzer=keyword_analyzer, trainee="Claire Martin", store=s, clock=frozen_clock
    )
    call.reply(
        "Bonjour Madame, Julien Roux de Nordis Emballages. Je suis bien avec Madame Perrin ?"
    )
    call.reply("Je vous appelle au sujet de la facture de 1 380 €.")
    assert call.session_id is not None
    s.close()  # leaves the call "interrupted", as a crash would
    return call.session_id


@sync
async def test_resume_after_an_interruption(tmp_path: Path, library: Path) -> None:
    from simulator.tui.widgets.resume_banner import ResumeBanner
    from simulator.tui.widgets.transcript import TranscriptView

    db = tmp_path / "sessions.db"
    session_id = interrupted_session(db, library)
    store = open_store(db, clock=frozen_clock)
    app = app_for(library, store, analyzer=keyword_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: bool(app.screen.query_one(ResumeBanner).sessions))
        assert app.screen.query_one(ResumeBanner).display
        await pilot.press("c")
        await until(pilot, lambda: screen_name(app) == "CallScreen" and app.screen.call is not None)
        screen = app.screen
        assert len(screen.turns) == 5
        assert screen.query_one(TranscriptView).turn(4) is not None
        await say(pilot, "Je comprends votre surprise. Qu'est-ce qui a pu se passer ?")
    session = store.get(session_id)
    store.close()
    assert len(session.turns) == 7
    assert session.status in ("in_progress", "interrupted")


@sync
async def test_close_and_score_an_interrupted_call(tmp_path: Path, library: Path) -> None:
    db = tmp_path / "sessions.db"
    session_id = interrupted_session(db, library)
    store = open_store(db, clock=frozen_clock)
    app = app_for(library, store, analyzer=keyword_analyzer)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.screen.interrupted))
        await pilot.press("x")
        await until(pilot, lambda: screen_name(app) == "DebriefScreen")
        assert app.screen.debrief.session_id == session_id
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(app) == "HomeScreen" and not app.screen.interrupted)
    session = store.get(session_id)
    store.close()
    assert session.status == "abandoned" and session.card is not None


# -- language, history, errors -------------------------------------------------------------
@sync
async def test_language_switches_the_whole_interface_live(library: Path, store: Any) -> None:
    from simulator.tui.widgets.scenario_list import ScenarioList

    app = app_for(library, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.catalogue is not None)
        await settle(pilot)
        assert "scénario(s)" in rendered(app.screen.query_one("#home-status"))
        await pilot.press("l")
        await settle(pilot)
        assert i18n.language() == "en"
        assert "of 3 scenario(s)" in rendered(app.screen.query_one("#home-status"))
        prompts = [str(o.prompt) for o in app.screen.query_one(ScenarioList).options]
        assert any("Beginner" in p for p in prompts)
        assert app.screen.query_one("#filter-text").placeholder.startswith("Search")
        # the settings screen switches it back, and the choice is kept
        await pilot.press("s")
        await until(pilot, lambda: screen_name(app) == "SettingsScreen")
        app.screen.query_one("#set-language").value = "fr"
        await settle(pilot)
        assert i18n.language() == "fr"
        labels = [rendered(w) for w in app.screen.query("TLabel.setting-label")]
        assert "Langue de l'interface" in labels
        await pilot.press("escape")
        await settle(pilot)
        assert "scénario(s)" in rendered(app.screen.query_one("#home-status"))
    assert load_settings()[0].language == "fr"


@sync
async def test_history_lists_sessions_and_opens_a_past_debrief(library: Path, store: Any) -> None:
    from textual.widgets import DataTable

    from simulator.tui.widgets.progress_charts import ProgressCharts

    app = app_for(library, store, analyzer=keyword_analyzer)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(2):
            await open_scenario(pilot, "fr-oubli-changement-comptable")
            await say(
                pilot,
                "Bonjour Madame, Julien Roux de Nordis Emballages. Je suis bien avec Madame Perrin ?",
            )
            await pilot.press("escape", "y")
            await until(pilot, lambda: screen_name(app) == "DebriefScreen")
            await pilot.press("n")
            await until(pilot, lambda: screen_name(app) == "HomeScreen")
        await pilot.press("h")
        await until(pilot, lambda: screen_name(app) == "HistoryScreen" and bool(app.screen.rows))
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        charts = app.screen.query_one(ProgressCharts)
        assert charts.series[0].key == "overall" and len(charts.series[0].values) == 2
        app.screen.query_one("#history-result").value = "passed"
        await settle(pilot)
        assert table.row_count == 0
        app.screen.query_one("#history-result").clear()
        await settle(pilot)
        table.focus()
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(app) == "DebriefScreen")
        assert app.screen.debrief.past
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(app) == "HistoryScreen")


@sync
async def test_store_errors_are_notifications_not_tracebacks(library: Path, store: Any) -> None:
    class FullDisk:
        def __getattr__(self, name: str) -> Any:
            def fail(*args: Any, **kwargs: Any) -> Any:
                raise StoreError(
                    "could not write (disk full)", hint="check the free space on the disk"
                )

            return fail

    app = app_for(library, FullDisk(), analyzer=keyword_analyzer)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.catalogue is not None)
        await settle(pilot)
        await pilot.press("enter")
        await until(
            pilot, lambda: screen_name(app) == "BriefingScreen" and app.screen.loaded is not None
        )
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: screen_name(app) == "BriefingScreen")
        messages = [n.message for n in app._notifications]
        assert any("disk full" in m and "free space" in m for m in messages), messages
        assert app.return_code is None  # still running


@sync
async def test_command_palette_lists_the_actions_of_the_screen(library: Path, store: Any) -> None:
    from simulator.tui.app import RelanceCommands

    app = app_for(library, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.catalogue is not None)
        await settle(pilot)
        provider = RelanceCommands(app.screen)
        titles = [title for title, _help, _cb in provider._commands()]
        for expected in ("Historique", "Réglages", "Rechercher", "Interface en English"):
            assert expected in titles, titles
        assert any(t.startswith("Ouvrir : Boulangerie Perrin") for t in titles)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert screen_name(app) == "CommandPalette"
        await pilot.press(*"historique")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(app) == "HistoryScreen")


# -- i18n and start-up ---------------------------------------------------------------------
_CALL = re.compile(
    r"""\b(?:t|set_key|TLabel|TButton|TitleBar|ConfirmScreen)\(\s*["']([a-z_]+\.[a-z_.]+)["']"""
)
_MORE = re.compile(r"""["']((?:key|hangup)\.[a-z_]+)["']""")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in TUI.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        keys |= set(_CALL.findall(text)) | set(_MORE.findall(text))
    return keys


def test_every_key_used_exists_in_both_catalogues() -> None:
    from scoring.labels import BREACHES, LABELS, OUTCOMES, PHASES, PROFILES
    from scoring.render import CRITERIA

    fr, en = i18n.catalogue("fr"), i18n.catalogue("en")
    keys = used_keys()
    assert len(keys) > 150
    families = {
        "label": LABELS,
        "phase": PHASES,
        "outcome": (*OUTCOMES, "abandoned"),
        "breach": tuple(BREACHES),
        "profile": PROFILES,
        "criterion": tuple(CRITERIA["fr"]),
        "level": ("débutant", "confirmé", "expert"),
        "mood": ("anger", "trust", "patience"),
        "segment": ("b2b", "b2c"),
        "lang": ("fr", "en"),
        "history": tuple(f"result_{r}" for r in ("passed", "failed", "abandoned", "unscored")),
        "invoice_status": ("due", "overdue", "disputed", "partially_paid", "paid"),
        "channel": ("email", "letter", "phone", "sms", "registered_letter", "portal"),
    }
    for prefix, names in families.items():
        keys |= {f"{prefix}.{n}" for n in names}
    missing_fr = sorted(k for k in keys if k not in fr)
    missing_en = sorted(k for k in keys if k not in en)
    assert not missing_fr, missing_fr
    assert not missing_en, missing_en


def test_the_two_catalogues_have_the_same_keys_and_fields() -> None:
    fr, en = i18n.catalogue("fr"), i18n.catalogue("en")
    assert set(fr) == set(en), sorted(set(fr) ^ set(en))
    field = re.compile(r"{(\w+)}")
    for key in fr:
        assert set(field.findall(fr[key])) == set(field.findall(en[key])), key


def test_every_binding_description_is_a_catalogue_key() -> None:
    import importlib

    from textual.binding import Binding

    fr = i18n.catalogue("fr")
    for path in (
        sorted((TUI / "screens").glob("*.py"))
        + sorted((TUI / "widgets").glob("*.py"))
        + [TUI / "app.py"]
    ):
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for obj in vars(module).values():
            own = isinstance(obj, type) and obj.__module__ == module.__name__
            for b in vars(obj).get("BINDINGS", ()) if own else ():
                if isinstance(b, Binding) and b.description:
                    assert b.description in fr, (path.name, b.key, b.description)


def test_starting_the_app_imports_nothing_heavy() -> None:
    code = (
        "import sys; import simulator.tui.app, simulator.tui.screens.home; "
        "heavy = [m for m in ('pydantic', 'scoring.analyzer', 'scoring.score', 'simulator.dialogue.loader', "
        "'simulator.store.sqlite') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_the_catalogue_cache_skips_parsing_unchanged_files(tmp_path: Path) -> None:
    from simulator.library import cached_catalogue

    library = make_library(tmp_path / "lib", broken=True)
    cache = tmp_path / "cache" / "catalogue.json"
    first, skipped = cached_catalogue(library, cache)
    assert len(first) == 3 and [Path(s.path).name for s in skipped] == ["zz-en-cours.yaml"]
    code = (
        "import sys; from pathlib import Path; from simulator.library import cached_catalogue; "
        f"e, s = cached_catalogue(Path({str(library)!r}), Path({str(cache)!r})); "
        "print(len(e), len(s), 'pydantic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["3", "1", "False"]
    (library / "fr-test-portail.yaml").unlink()
    again, _ = cached_catalogue(library, cache)
    assert [e.id for e in again] == [e.id for e in first if e.id != "fr-test-portail"]
