"""Whom the trainee calls: the persona's public description (never the hidden reason)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widget import Widget

from simulator.tui.i18n import t, tr

if TYPE_CHECKING:
    from simulator.dialogue.model import Scenario


class PersonaView(Widget):
    DEFAULT_CSS = "PersonaView { height: auto; }"

    def __init__(self, scenario: Scenario | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scenario = scenario

    def show(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        if self.scenario is None:
            return Text("")
        p = self.scenario.persona
        return Group(
            Text(t("brief.persona"), "bold underline"),
            Text.assemble((p.name, "bold"), f", {p.role} · ", (tr("profile", p.profile), "italic")),
            Text(p.description),
        )
