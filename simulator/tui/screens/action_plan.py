"""The learner's action plan: one to three goals, in their own words."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from simulator.tui.i18n import t
from simulator.tui.widgets.button import TButton
from simulator.tui.widgets.footer import RelanceFooter
from simulator.tui.widgets.label import TLabel

MAX_GOALS = 3


class ActionPlanScreen(ModalScreen[list[str] | None]):
    """Dismissed with the goals written (empty lines dropped), or ``None``."""

    BINDINGS = [  # noqa: RUF012
        Binding("ctrl+s", "save", "key.save", priority=True),
        Binding("escape", "cancel", "key.cancel"),
    ]

    def __init__(self, goals: list[str], suggestions: list[str]) -> None:
        super().__init__()
        self.goals = (list(goals) + [""] * MAX_GOALS)[:MAX_GOALS]
        self.suggestions = suggestions

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide-dialog"):
            yield TLabel("plan.title", classes="dialog-title")
            yield TLabel("plan.explain", classes="dialog-text")
            for i, goal in enumerate(self.goals):
                yield Input(goal, placeholder=t("plan.goal", n=i + 1), id=f"goal-{i}", compact=True)
            if self.suggestions:
                text = Text(t("plan.suggestions") + "\n", "bold")
                for s in self.suggestions:
                    text.append(f"• {s}\n", "dim italic")
                yield Static(text, id="plan-suggestions")
            with Horizontal(classes="dialog-buttons"):
                yield TButton("plan.save", variant="primary", id="plan-save")
                yield TButton("plan.cancel", id="plan-cancel")

        yield RelanceFooter()

    def on_mount(self) -> None:
        self.query_one("#goal-0", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        index = int((event.input.id or "goal-0").split("-")[1])
        if index + 1 < MAX_GOALS:
            self.query_one(f"#goal-{index + 1}", Input).focus()
        else:
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "plan-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        goals = [
            " ".join(self.query_one(f"#goal-{i}", Input).value.split()) for i in range(MAX_GOALS)
        ]
        goals = [g for g in goals if g]
        if not goals:
            self.notify(t("plan.empty"), severity="warning")
            return
        self.dismiss(goals)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def retranslate(self) -> None:
        for i in range(MAX_GOALS):
            self.query_one(f"#goal-{i}", Input).placeholder = t("plan.goal", n=i + 1)
