"""The debtor's mood as gauges: anger, trust, patience (0–10), with the last change."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.widget import Widget

from simulator.tui.i18n import t

GAUGES = (("anger", "red"), ("trust", "green"), ("patience", "blue"))


class MoodGauges(Widget):
    """Three bars (``inline``: one line with short bars, for narrow terminals)."""

    DEFAULT_CSS = "MoodGauges { height: 3; } MoodGauges.-inline { height: 1; }"

    def __init__(
        self, *, inline: bool = False, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.inline = inline
        self.set_class(inline, "-inline")
        self.mood: dict[str, int] = {}
        self.previous: dict[str, int] = {}

    def show(self, mood: Mapping[str, int]) -> None:
        self.previous = self.mood or dict(mood)
        self.mood = dict(mood)
        self.refresh()

    def render(self) -> Text:
        text = Text()
        if not self.mood:
            return text
        width = 5 if self.inline else 10
        for i, (name, colour) in enumerate(GAUGES):
            value = int(self.mood.get(name, 0))
            delta = value - int(self.previous.get(name, value))
            if i:
                text.append("  " if self.inline else "\n")
            label = t(f"mood.{name}")
            text.append(label if self.inline else label.ljust(10), "bold")
            text.append(" ")
            filled = round(value * width / 10)
            text.append("█" * filled, colour)
            text.append("░" * (width - filled), "dim")
            text.append(f" {value}")
            if delta:
                text.append("↑" if delta > 0 else "↓", "bold")
        return text
