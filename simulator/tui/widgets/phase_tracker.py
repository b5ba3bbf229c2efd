"""The live 4C tracker: engage → discover → propose → conclude, lit as acts are found."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widget import Widget

from scoring.labels import LABEL_PHASE, PHASES
from simulator.tui.i18n import tr
from simulator.tui.widgets.turn import PHASE_STYLE


class PhaseTracker(Widget):
    """A phase lights up once a reply carries one of its acts; the latest is marked."""

    DEFAULT_CSS = "PhaseTracker { height: 1; width: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: dict[str, int] = dict.fromkeys(PHASES, 0)
        self.current: str | None = None

    def add_labels(self, labels: Iterable[str]) -> None:
        phases = [LABEL_PHASE.get(label) for label in labels]
        found = [p for p in phases if p is not None]
        for phase in found:
            self.counts[phase] += 1
        if found:
            self.current = max(found, key=PHASES.index)
        self.refresh()

    def render(self) -> Text:
        text = Text()
        for i, phase in enumerate(PHASES):
            if i:
                text.append("›", "dim")
            name = f" {i + 1} {tr('phase', phase)} "
            colour = PHASE_STYLE[phase]
            if phase == self.current:
                text.append(name, f"bold black on {colour}")
            elif self.counts[phase]:
                text.append(name, f"bold {colour}")
            else:
                text.append(name, "dim")
        return text
