"""Whom the trainee calls: the persona's public description (never the hidden reason)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from simulator.tui.i18n import t, tr
from simulator.tui.widgets.scenario_panel import ScenarioPanel

if TYPE_CHECKING:
    from simulator.dialogue.model import Scenario


class PersonaView(ScenarioPanel):
    DEFAULT_CSS = "PersonaView { height: auto; }"

    def render_scenario(self, scenario: Scenario) -> RenderableType:
        p = scenario.persona
        return Group(
            Text(t("brief.persona"), "bold underline"),
            Text.assemble((p.name, "bold"), f", {p.role} · ", (tr("profile", p.profile), "italic")),
            Text(p.description),
        )
