"""Assessment setup: the assessor's and the trainee's names, the scenario, start.

Nothing typed here goes to the learner's settings: the names travel with the call
(:class:`simulator.tui.assessment.Assessment`) and are recorded with the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input

from simulator.tui.assessment import Assessment
from simulator.tui.i18n import t
from simulator.tui.widgets.button import TButton
from simulator.tui.widgets.footer import RelanceFooter
from simulator.tui.widgets.label import TLabel
from simulator.tui.widgets.scenario_list import ScenarioList
from simulator.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from simulator.dialogue.loader import LoadedScenario
    from simulator.library import CatalogueEntry
    from simulator.tui.app import RelanceApp


def _name(text: str) -> str:
    return " ".join(text.split())


class AssessSetupScreen(Screen[None]):
    """Enter moves from the assessor to the trainee to the list, then starts the call."""

    BINDINGS = [  # noqa: RUF012
        Binding("enter", "start", "key.start_assessment", priority=True),
        Binding("escape", "back", "key.back"),
    ]

    @dataclass
    class CatalogueLoaded(Message):
        entries: list[CatalogueEntry]

    @dataclass
    class ScenarioLoaded(Message):
        loaded: LoadedScenario
        assessment: Assessment

    @dataclass
    class ScenarioFailed(Message):
        pass

    def __init__(self) -> None:
        super().__init__()
        self.starting = False

    @property
    def relance(self) -> RelanceApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield TitleBar("assess.title")
        with Vertical(id="assess-form"):
            yield TLabel("assess.explain", id="assess-explain")
            with Horizontal(classes="setting"):
                yield TLabel("assess.assessor", classes="setting-label")
                yield Input(
                    placeholder=t("assess.assessor_placeholder"), id="assessor", compact=True
                )
            with Horizontal(classes="setting"):
                yield TLabel("assess.trainee", classes="setting-label")
                yield Input(placeholder=t("assess.trainee_placeholder"), id="trainee", compact=True)
            yield TLabel("assess.scenario", classes="section-title")
        yield ScenarioList(id="assess-scenarios")
        with Horizontal(id="assess-actions"):
            yield TLabel("assess.loading", id="assess-status")
            yield TButton("assess.start", variant="primary", id="assess-start", compact=True)
        yield RelanceFooter()

    def on_mount(self) -> None:
        self.query_one("#assessor", Input).focus()
        if self.relance.catalogue is None:
            self.run_worker(self._load, thread=True, exit_on_error=False, group="assess-load")
        else:
            self._show(self.relance.catalogue)

    def _load(self) -> None:
        entries: list[CatalogueEntry] = []
        with self.relance.guard(t("error.catalogue")):
            entries = self.relance.load_catalogue()
        self.post_message(self.CatalogueLoaded(entries))

    def on_assess_setup_screen_catalogue_loaded(self, message: CatalogueLoaded) -> None:
        self._show(message.entries)

    def _show(self, entries: list[CatalogueEntry]) -> None:
        self.query_one(ScenarioList).show(entries, {})
        status = self.query_one("#assess-status", TLabel)
        status.set_key("assess.ready" if entries else "home.no_library")

    def retranslate(self) -> None:
        self.query_one("#assessor", Input).placeholder = t("assess.assessor_placeholder")
        self.query_one("#trainee", Input).placeholder = t("assess.trainee_placeholder")

    # -- starting ---------------------------------------------------------------------
    def action_start(self) -> None:
        focused = self.focused
        if isinstance(focused, Input) and focused.id in ("assessor", "trainee"):
            if not _name(focused.value):
                self.notify(t(f"assess.need_{focused.id}"), severity="warning")
            elif focused.id == "assessor":
                self.query_one("#trainee", Input).focus()
            else:
                self.query_one(ScenarioList).focus()
            return
        self._start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "assess-start":
            self._start()

    def on_scenario_list_scenario_chosen(self, message: ScenarioList.ScenarioChosen) -> None:
        message.stop()  # a click picks the scenario; Enter or the button starts

    def _start(self) -> None:
        if self.starting:
            return
        assessor = _name(self.query_one("#assessor", Input).value)
        trainee = _name(self.query_one("#trainee", Input).value)
        entry = self.query_one(ScenarioList).highlighted_entry
        for missing, key, target in (
            (not assessor, "assess.need_assessor", "#assessor"),
            (not trainee, "assess.need_trainee", "#trainee"),
            (entry is None, "assess.need_scenario", "#assess-scenarios"),
        ):
            if missing:
                self.notify(t(key), severity="warning")
                self.query_one(target).focus()
                return
        assert entry is not None
        self.starting = True
        self.query_one("#assess-start", Button).disabled = True
        self.query_one("#assess-status", TLabel).set_key("assess.loading_scenario")
        assessment = Assessment(assessor=assessor, trainee=trainee)
        self.run_worker(
            lambda: self._load_scenario(entry, assessment),
            thread=True,
            exit_on_error=False,
            group="assess-start",
        )

    def _load_scenario(self, entry: CatalogueEntry, assessment: Assessment) -> None:
        from simulator import library

        try:
            loaded = library.load(entry.path)
        except Exception as exc:
            self.relance.report(exc, t("error.scenario", name=entry.id))
            self.post_message(self.ScenarioFailed())
            return
        self.post_message(self.ScenarioLoaded(loaded, assessment))

    def on_assess_setup_screen_scenario_failed(self) -> None:
        self._ready()

    def on_assess_setup_screen_scenario_loaded(self, message: ScenarioLoaded) -> None:
        from simulator.tui.screens.call import CallScreen

        self._ready()
        self.app.push_screen(CallScreen(message.loaded, assessment=message.assessment))

    def _ready(self) -> None:
        self.starting = False
        self.query_one("#assess-start", Button).disabled = False
        self.query_one("#assess-status", TLabel).set_key("assess.ready")

    def action_back(self) -> None:
        self.app.pop_screen()
