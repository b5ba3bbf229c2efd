"""Briefing: the mission, the persona, the learner's action plan and the account card.

The scenario is parsed in a thread worker (the first one imports the scenario model); a
broken scenario file becomes a notification and the learner is taken back to the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button

from simulator.tui.i18n import t
from simulator.tui.widgets.account_card import AccountCard
from simulator.tui.widgets.brief_view import BriefView
from simulator.tui.widgets.button import TButton
from simulator.tui.widgets.footer import RelanceFooter
from simulator.tui.widgets.label import TLabel
from simulator.tui.widgets.persona_view import PersonaView
from simulator.tui.widgets.plan_view import PlanView
from simulator.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from simulator.dialogue.loader import LoadedScenario
    from simulator.library import CatalogueEntry
    from simulator.store.model import ActionPlan
    from simulator.tui.app import RelanceApp


class BriefingScreen(Screen[None]):
    BINDINGS = [  # noqa: RUF012
        Binding("enter", "start", "key.start_call", priority=True),
        Binding("escape", "back", "key.back"),
    ]

    @dataclass
    class ScenarioLoaded(Message):
        loaded: LoadedScenario

    @dataclass
    class PlanLoaded(Message):
        plan: ActionPlan | None

    def __init__(self, entry: CatalogueEntry) -> None:
        super().__init__()
        self.entry = entry
        self.loaded: LoadedScenario | None = None

    @property
    def relance(self) -> RelanceApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield TitleBar(
            "briefing.title", detail=self.entry.title, right=self.relance.settings.learner
        )
        with Container(id="briefing-body"):
            with VerticalScroll(classes="briefing-col", id="briefing-mission"):
                yield BriefView(id="brief")
                yield PersonaView(id="persona")
                yield PlanView(id="plan")
            with VerticalScroll(classes="briefing-col", id="briefing-account"):
                yield TLabel("briefing.account", classes="section-title")
                yield AccountCard(id="account")
        with Horizontal(id="briefing-actions"):
            yield TLabel("briefing.loading", id="briefing-status")
            yield TButton("briefing.start", variant="primary", id="start", compact=True)
        yield RelanceFooter()

    def on_mount(self) -> None:
        self.query_one("#start", Button).disabled = True
        self.run_worker(self._load, thread=True, exit_on_error=False, group="briefing")

    def _load(self) -> None:
        from simulator import library

        app = self.relance
        try:
            loaded = library.load(self.entry.path)
        except Exception as exc:
            app.report(exc, t("error.scenario", name=self.entry.id))
            app.call_from_thread(self.dismiss_broken)
            return
        self.post_message(self.ScenarioLoaded(loaded))
        plan = None
        with app.guard():
            store = app.get_store()
            if store is not None:
                plan = store.current_action_plan(app.learner)
        self.post_message(self.PlanLoaded(plan))

    def dismiss_broken(self) -> None:
        if self.is_current:
            self.app.pop_screen()

    def on_briefing_screen_scenario_loaded(self, message: ScenarioLoaded) -> None:
        self.loaded = message.loaded
        scenario = message.loaded.scenario
        self.query_one(BriefView).show(scenario)
        self.query_one(PersonaView).show(scenario)
        self.query_one(AccountCard).show(scenario)
        self.query_one("#briefing-status", TLabel).set_key(
            "briefing.ready", minutes=scenario.estimated_minutes
        )
        start = self.query_one("#start", Button)
        start.disabled = False
        start.focus()

    def on_briefing_screen_plan_loaded(self, message: PlanLoaded) -> None:
        self.query_one(PlanView).show(message.plan)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()

    def action_start(self) -> None:
        from simulator.tui.screens.call import CallScreen

        if self.loaded is None:
            return
        self.app.push_screen(CallScreen(self.loaded))

    def action_back(self) -> None:
        self.app.pop_screen()
