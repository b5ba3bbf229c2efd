"""Help on demand: what the debtor's current line calls for, and a model phrase."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from simulator.tui.i18n import t
from simulator.tui.widgets.turn import acts_text


class HintBox(Widget):
    DEFAULT_CSS = "HintBox { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.expects: list[str] = []
        self.hint: str | None = None

    def show(self, expects: list[str], hint: str | None) -> None:
        self.expects, self.hint = list(expects), hint
        self.refresh(layout=True)

    def render(self) -> Text:
        text = Text(t("hint.expects") + " ", "bold")
        text.append_text(
            acts_text(self.expects) if self.expects else Text(t("hint.nothing"), "dim")
        )
        if self.hint:
            text.append("\n" + t("hint.example") + " ", "bold")
            text.append(f"« {self.hint} »", "italic")
        return text
