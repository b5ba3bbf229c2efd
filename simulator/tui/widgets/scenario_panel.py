"""Base of the panels that render one part of a scenario (account, brief, persona)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

if TYPE_CHECKING:
    from simulator.dialogue.model import Scenario


class ScenarioPanel(Widget):
    """Holds a scenario (attribute down) and renders it; empty until one is shown."""

    def __init__(self, scenario: Scenario | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scenario = scenario

    def show(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        if self.scenario is None:
            return Text("")
        return self.render_scenario(self.scenario)

    def render_scenario(self, scenario: Scenario) -> RenderableType:
        raise NotImplementedError
