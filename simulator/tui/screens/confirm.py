"""A yes/no question (hang up? leave?) as a small modal dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from simulator.tui.widgets.button import TButton
from simulator.tui.widgets.footer import RelanceFooter
from simulator.tui.widgets.label import TLabel


class ConfirmScreen(ModalScreen[bool]):
    """Dismissed with ``True`` (confirm, Enter or y) or ``False`` (Escape or n)."""

    BINDINGS = [  # noqa: RUF012
        Binding("y,o", "answer(True)", "key.yes"),
        Binding("n,escape", "answer(False)", "key.no"),
    ]

    def __init__(self, title: str, text: str, confirm: str, cancel: str) -> None:
        super().__init__()
        self._keys = (title, text, confirm, cancel)

    def compose(self) -> ComposeResult:
        title, text, confirm, cancel = self._keys
        with Vertical(classes="dialog"):
            yield TLabel(title, classes="dialog-title")
            yield TLabel(text, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield TButton(confirm, variant="error", id="confirm-yes")
                yield TButton(cancel, id="confirm-no")

        yield RelanceFooter()

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
