"""The learner's current action plan (goals written after a debrief)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widget import Widget

from simulator.tui.i18n import date, t

if TYPE_CHECKING:
    from simulator.store.model import ActionPlan


class PlanView(Widget):
    DEFAULT_CSS = "PlanView { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plan: ActionPlan | None = None
        self.loaded = False

    def show(self, plan: ActionPlan | None) -> None:
        self.plan, self.loaded = plan, True
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        title = Text(t("plan.current"), "bold underline")
        if not self.loaded:
            return Group(title, Text("…", "dim"))
        if self.plan is None or not self.plan.goals:
            return Group(title, Text(t("plan.none"), "dim italic"))
        lines: list[RenderableType] = [
            Text.assemble(title, (f"  {date(self.plan.created_at.date())}", "dim"))
        ]
        for i, goal in enumerate(self.plan.goals, 1):
            lines.append(Text.assemble((f"{i}. ", "bold yellow"), goal))
        return Group(*lines)
