"""The learner's progress: one bar per session for the overall score and each criterion.

Bars are on the absolute 0–100 scale (a flat 0 stays low, unlike a min–max sparkline),
coloured like the scores of the debrief; the newest session is on the right, with its
value printed after the bars.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

from simulator.tui.i18n import number, t, tr

BLOCKS = " ▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class Series:
    """One line of the chart: a criterion id (``overall`` for the overall score)."""

    key: str
    values: tuple[float, ...]


def bars(values: tuple[float, ...], width: int) -> Text:
    """One block per session (two when there is room), newest on the right."""
    per = 2 if len(values) * 2 <= width else 1
    text = Text()
    for v in values[-(width // per) :]:
        level = max(1, round(max(0.0, min(100.0, v)) / 100 * 8))
        colour = "green" if v >= 75 else "yellow" if v >= 50 else "red"
        text.append(BLOCKS[level] * per, colour)
    return text


class ProgressCharts(Widget):
    DEFAULT_CSS = "ProgressCharts { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.series: list[Series] = []

    def show(self, series: list[Series]) -> None:
        self.series = list(series)
        self.refresh(layout=True)

    def render(self) -> Text:
        if not self.series:
            return Text(t("history.no_chart"), "dim italic")
        name_width = 24
        width = max(4, self.size.width - name_width - 6)
        out = Text()
        for i, s in enumerate(self.series):
            overall = s.key == "overall"
            name = t("history.overall") if overall else tr("criterion", s.key)
            if len(name) > name_width - 1:
                name = name[: name_width - 2] + "…"
            chart = bars(s.values, width)
            last = number(s.values[-1], 0) if s.values else "—"
            if i:
                out.append("\n")
            out.append(name.ljust(name_width), "bold" if overall else "")
            out.append_text(chart)
            out.append(" " * (width - chart.cell_len + 1))
            out.append(last.rjust(4), "bold" if overall else "")
        return out
