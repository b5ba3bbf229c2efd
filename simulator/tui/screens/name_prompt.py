"""Asked once, at first launch: the learner's name (kept in the settings)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from simulator.tui.i18n import t
from simulator.tui.widgets.button import TButton
from simulator.tui.widgets.footer import RelanceFooter
from simulator.tui.widgets.label import TLabel


class NamePrompt(ModalScreen[str | None]):
    """Dismissed with the name typed (or ``None`` with Escape)."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel")]  # noqa: RUF012

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield TLabel("name.title", classes="dialog-title")
            yield TLabel("name.explain", classes="dialog-text")
            yield Input(placeholder=t("name.placeholder"), id="name-input")
            yield TButton("name.ok", variant="primary", id="name-ok")

        yield RelanceFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._done()

    def on_button_pressed(self) -> None:
        self._done()

    def _done(self) -> None:
        name = " ".join(self.query_one(Input).value.split())
        if name:
            self.dismiss(name)
        else:
            self.notify(t("name.empty"), severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)

    def retranslate(self) -> None:
        self.query_one(Input).placeholder = t("name.placeholder")
