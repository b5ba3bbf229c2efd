"""The catalogue as a list: two lines per scenario (title; language, level, profile…)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from simulator.tui.i18n import number, t, tr

if TYPE_CHECKING:
    from simulator.library import CatalogueEntry


@dataclass(frozen=True, slots=True)
class LastScore:
    """The learner's latest score on a scenario, and how many calls they made."""

    score: float | None
    attempts: int


class ScenarioList(OptionList):
    """Shows the entries it is given; posts :class:`ScenarioChosen` on Enter or click."""

    BINDINGS = [Binding("enter", "select", "key.open")]  # noqa: RUF012

    @dataclass
    class ScenarioChosen(Message):
        entry: CatalogueEntry

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[CatalogueEntry] = []
        self._scores: dict[str, LastScore] = {}

    def show(self, entries: list[CatalogueEntry], scores: dict[str, LastScore]) -> None:
        highlighted = self.highlighted_entry
        self._entries, self._scores = list(entries), dict(scores)
        self.set_options([Option(self._prompt(e), id=e.id) for e in self._entries])
        if self._entries:
            ids = [e.id for e in self._entries]
            keep = highlighted.id if highlighted and highlighted.id in ids else ids[0]
            self.highlighted = ids.index(keep)

    @property
    def highlighted_entry(self) -> CatalogueEntry | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self._entries):
            return None
        return self._entries[self.highlighted]

    def retranslate(self) -> None:
        self.show(self._entries, self._scores)

    def _prompt(self, entry: CatalogueEntry) -> Text:
        text = Text(entry.title, style="bold")
        text.append("\n")
        meta = [
            entry.lang.upper(),
            tr("level", entry.level),
            tr("profile", entry.profile),
            entry.segment.upper(),
            t("home.minutes", n=entry.estimated_minutes),
        ]
        text.append("  " + " · ".join(meta), style="dim")
        last = self._scores.get(entry.id)
        if last is not None and last.attempts:
            text.append("  ")
            if last.score is not None:
                style = "bold green" if last.score >= 60 else "bold red"
                text.append(t("home.last_score", score=number(last.score, 0)), style=style)
                text.append(" ")
            text.append(t("home.attempts", n=last.attempts), style="dim italic")
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._entries):
            self.post_message(self.ScenarioChosen(self._entries[event.option_index]))
