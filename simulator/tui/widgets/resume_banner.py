""" "Continue where I left off": the interrupted call, with resume and close buttons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Static

from simulator.tui.i18n import t
from simulator.tui.widgets.button import TButton

if TYPE_CHECKING:
    from simulator.store.model import SessionSummary


class ResumeBanner(Horizontal):
    """Shown when the learner has an interrupted call; hidden otherwise."""

    @dataclass
    class ResumeRequested(Message):
        session_id: str

    @dataclass
    class CloseRequested(Message):
        session_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sessions: list[SessionSummary] = []

    def compose(self) -> ComposeResult:
        # empty until there is a call to resume (most launches): nothing to mount
        return iter(())

    def show(self, sessions: list[SessionSummary]) -> None:
        self.sessions = list(sessions)
        self.display = bool(sessions)
        if sessions and not self.children:
            self.mount_all(
                [
                    Static(id="resume-text"),
                    TButton("home.resume", variant="primary", id="resume-go", compact=True),
                    TButton("home.close_score", id="resume-close", compact=True),
                ]
            )
        self.call_after_refresh(self.retranslate)

    def retranslate(self) -> None:
        if not self.sessions or not self.children:
            return
        s = self.sessions[0]
        text = Text.assemble(("⏸ ", "bold"), (t("home.interrupted"), "bold"), " ")
        text.append(s.scenario_title, "italic")
        text.append(" · " + t("home.turns", n=s.turn_count), "dim")
        if len(self.sessions) > 1:
            text.append(" · " + t("home.more_interrupted", n=len(self.sessions) - 1), "dim")
        self.query_one("#resume-text", Static).update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if not self.sessions:
            return
        session_id = self.sessions[0].id
        if event.button.id == "resume-go":
            self.post_message(self.ResumeRequested(session_id))
        else:
            self.post_message(self.CloseRequested(session_id))
