"""The verdict at the top of the debrief: overall score, pass or fail, outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from simulator.tui.i18n import clock_time, number, t, tr

if TYPE_CHECKING:
    from scoring.card import ScoreCard


def score_bar(score: float, width: int = 10) -> Text:
    filled = round(max(0.0, min(100.0, score)) * width / 100)
    colour = "green" if score >= 75 else "yellow" if score >= 50 else "red"
    return Text.assemble(("█" * filled, colour), ("░" * (width - filled), "dim"))


class ScoreSummary(Widget):
    DEFAULT_CSS = "ScoreSummary { height: auto; }"

    def __init__(
        self, card: ScoreCard, *, turns: int, duration: float | None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.card = card
        self.turn_count = turns
        self.duration = duration

    def render(self) -> Text:
        c = self.card
        verdict = t("debrief.passed") if c.passed else t("debrief.failed")
        text = Text.assemble(
            (f" {number(c.overall)} / 100 ", "bold reverse " + ("green" if c.passed else "red")),
            " ",
            (f" {verdict} ", "bold black on green" if c.passed else "bold white on red"),
            " ",
            score_bar(c.overall, 20),
            (f"  {t('debrief.pass_mark', mark=number(c.pass_mark))}", "dim"),
        )
        details = []
        if c.outcome:
            details.append(t("debrief.outcome", outcome=tr("outcome", c.outcome)))
        details.append(t("debrief.turns", n=self.turn_count))
        if self.duration is not None:
            details.append(clock_time(self.duration))
        if c.blocking_breaches:
            details.append(t("debrief.blocking", n=len(c.blocking_breaches)))
        text.append("\n " + " · ".join(details), "dim")
        return text
