"""The mission: objective, margins, the offers the trainee may make."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from simulator.tui.i18n import date, money, t
from simulator.tui.widgets.scenario_panel import ScenarioPanel

if TYPE_CHECKING:
    from simulator.dialogue.model import Scenario


class BriefView(ScenarioPanel):
    DEFAULT_CSS = "BriefView { height: auto; }"

    def render_scenario(self, scenario: Scenario) -> RenderableType:
        s = scenario
        b, m, cur = s.brief, s.brief.margins, s.account.currency
        parts: list[RenderableType] = [
            Text(t("brief.objective"), "bold underline"),
            Text(b.objective),
            Text(""),
            Text(t("brief.margins"), "bold underline"),
        ]
        if m.min_first_payment is not None:
            parts.append(Text("• " + t("brief.min_first", amount=money(m.min_first_payment, cur))))
        parts.append(Text("• " + t("brief.max_instalments", n=m.max_instalments)))
        if m.latest_date is not None:
            parts.append(Text("• " + t("brief.latest", date=date(m.latest_date))))
        parts.append(
            Text("• " + t("brief.penalties_yes" if m.waive_penalties else "brief.penalties_no"))
        )
        if s.account.segment == "b2b":
            parts.append(
                Text("• " + t("brief.indemnity_yes" if m.waive_indemnity else "brief.indemnity_no"))
            )
        if b.allowed_offers:
            parts += [Text(""), Text(t("brief.offers"), "bold underline")]
            parts += [Text(f"• {offer}") for offer in b.allowed_offers]
        return Group(*parts)
