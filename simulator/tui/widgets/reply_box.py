"""The trainee's reply line, with a history of what was sent (Up / Down)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class ReplyBox(Input):
    """Posts :class:`ReplySubmitted` with the text (never empty) and clears itself."""

    BINDINGS = [  # noqa: RUF012
        Binding("up", "history(-1)", "key.history_prev", key_display="↑↓"),
        Binding("down", "history(1)", "key.history_next", show=False),
    ]

    @dataclass
    class ReplySubmitted(Message):
        text: str

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self.history: list[str] = []
        self._cursor: int | None = None
        self._draft = ""

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._cursor is None:
            if step > 0:
                return
            self._draft = self.value
            self._cursor = len(self.history)
        self._cursor = max(0, self._cursor + step)
        if self._cursor >= len(self.history):
            self._cursor = None
            self.value = self._draft
        else:
            self.value = self.history[self._cursor]
        self.cursor_position = len(self.value)

    async def action_submit(self) -> None:
        text = " ".join(self.value.split())
        if not text:
            self.app.bell()
            return
        if not self.history or self.history[-1] != text:
            self.history.append(text)
        self._cursor = None
        self._draft = ""
        self.value = ""
        self.post_message(self.ReplySubmitted(text))
