"""The one-line bar at the top of every screen: where you are, and a detail on the right."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from simulator.tui.i18n import t


class TitleBar(Widget):
    """``Relance › <section> — <detail>`` on the left, ``right`` on the right."""

    DEFAULT_CSS = """
    TitleBar { height: 1; background: $panel; color: $foreground; }
    """

    section: reactive[str] = reactive("")
    detail: reactive[str] = reactive("")
    right: reactive[str] = reactive("")

    def __init__(
        self, section: str, detail: str = "", right: str = "", *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.section = section
        self.detail = detail
        self.right = right

    def render(self) -> Text:
        left = Text.assemble(
            (" Relance ", "bold reverse"),
            " ",
            (t(self.section), "bold"),
        )
        if self.detail:
            left.append(" — ")
            left.append(self.detail, "italic")
        right = Text(self.right + " ", style="bold")
        width = self.size.width
        room = max(0, width - right.cell_len - 1)
        left.truncate(room, overflow="ellipsis")
        pad = max(1, width - left.cell_len - right.cell_len)
        return Text.assemble(left, " " * pad, right)
