"""DESC progress when the debtor resists: D, E, S, C lit by the acts of the next replies."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from scoring.labels import DESC_STEPS
from simulator.tui.i18n import t


class DescTracker(Widget):
    """Dim until the debtor resists; then each step lights when a reply performs it."""

    DEFAULT_CSS = "DescTracker { height: 1; width: 24; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.active = False
        self.lit: set[str] = set()
        self.left = 0

    def show(self, *, active: bool, lit: set[str], left: int) -> None:
        self.active, self.lit, self.left = active, set(lit), left
        self.refresh()

    def render(self) -> Text:
        text = Text(t("call.desc") + " ", "bold" if self.active else "dim")
        for step, _label in DESC_STEPS:
            if step in self.lit:
                text.append(f" {step} ", "bold black on green")
            elif self.active:
                text.append(f" {step} ", "bold red")
            else:
                text.append(f" {step} ", "dim")
        if self.active and self.left:
            text.append(" " + t("call.desc_left", n=self.left), "dim italic")
        text.append(" ")
        return text
