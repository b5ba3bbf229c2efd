"""The score card as a navigable list: breaches first, then each criterion with its
evidence (selecting a quote shows that turn), what was missing and the advice; the DESC
timeline, the 4C timeline and the metrics.

Given ``overrides`` (the assessor's review), each criterion header can be highlighted,
shows the assessor's score in force beside the automatic one, and lists every override
with its justification; :attr:`ScoreCardView.highlighted_criterion` says which criterion
the highlighted line belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from scoring.render import describe_missing
from simulator.tui.i18n import language, number, t, tr
from simulator.tui.widgets.score_summary import score_bar

if TYPE_CHECKING:
    from scoring.card import ScoreCard
    from simulator.store.model import Override


def _turn(n: int | None) -> str:
    return t("debrief.turn", n=n) if n is not None else t("debrief.never")


def _hang(marker: str, style: str, text: Text, indent: int = 4) -> Table:
    """``marker text`` with the wrapped lines aligned under the text."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=indent, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(" " * (indent - 2) + marker, style), text)
    return grid


class ScoreCardView(OptionList):
    """Posts :class:`TurnSelected` when an item that cites a turn is chosen."""

    @dataclass
    class TurnSelected(Message):
        turn: int

    def __init__(
        self,
        card: ScoreCard,
        *,
        overrides: Mapping[str, Sequence[Override]] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.card = card
        #: Criterion → its overrides, oldest first; ``None`` outside a review.
        self.overrides = dict(overrides) if overrides is not None else None
        self._turns: dict[str, int] = {}
        self._criteria: dict[str, str] = {}

    @property
    def reviewing(self) -> bool:
        return self.overrides is not None

    def show_overrides(self, overrides: Mapping[str, Sequence[Override]]) -> None:
        self.overrides = dict(overrides)
        self._build()

    @property
    def highlighted_criterion(self) -> str | None:
        """The criterion of the highlighted line (a breach belongs to its criterion)."""
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self._criteria.get(option.id or "")

    def on_mount(self) -> None:
        self._build()

    def retranslate(self) -> None:
        self._build()

    def _add(
        self,
        options: list[Option],
        prompt: Text | Table,
        turn: int | None = None,
        *,
        header: bool = False,
        criterion: str | None = None,
    ) -> None:
        oid = f"o{len(options)}"
        if turn is not None:
            self._turns[oid] = turn
        if criterion is not None:
            self._criteria[oid] = criterion
        options.append(Option(prompt, id=oid, disabled=header))

    def _build(self) -> None:
        c = self.card
        self._turns, self._criteria = {}, {}
        opts: list[Option] = []
        # breaches first: a blocking one is why a call failed
        self._add(opts, Text(t("debrief.breaches"), "bold underline"), header=True)
        if not c.breaches:
            self._add(opts, Text("  " + t("debrief.no_breach"), "green"), header=True)
        for b in c.breaches:
            kind = t("debrief.blocking_one") if b.blocking else t("debrief.non_blocking")
            line = Text.assemble(
                (tr("breach", b.code), "bold red"),
                (f" ({kind})", "red"),
            )
            if b.penalty:
                line.append(f" −{number(b.penalty)} {t('debrief.points')}", "red")
            if b.turn is not None:
                line.append(f" — {_turn(b.turn)}", "dim")
            if b.quote:
                line.append(f" «{b.quote}»", "italic")
            if b.advice:
                line.append("\n→ " + b.advice, "yellow")
            self._add(opts, _hang("✗", "bold red", line, 2), b.turn, criterion=b.criterion)
        # criteria
        self._add(opts, Text("\n" + t("debrief.criteria"), "bold underline"), header=True)
        for cr in c.criteria:
            head = Text("  ")
            head.append(tr("criterion", cr.id) if cr.id else cr.title, "bold")
            head.append("  ")
            if cr.applicable:
                head.append_text(score_bar(cr.score))
                head.append(f" {number(cr.score)}", "bold")
                head.append(f"  {t('debrief.weight', w=round(cr.weight * 100))}", "dim")
            else:
                head.append(t("debrief.not_applicable"), "dim italic")
            given = (self.overrides or {}).get(cr.id, ())
            if given:
                final = number(given[-1].score)
                head.append("  ✎ " + t("review.assessor_score", score=final), "bold magenta")
            self._add(opts, head, header=not self.reviewing, criterion=cr.id)
            for o in given:
                line = Text(
                    t("review.override_line", score=number(o.score), text=o.justification),
                    "magenta",
                )
                line.append(f" — {o.assessor}", "dim")
                self._add(opts, _hang("✎", "bold magenta", line), criterion=cr.id)
            grouped: dict[tuple[int, str], list[str]] = {}
            for e in cr.evidence:
                grouped.setdefault((e.turn, e.quote), []).append(e.label)
            for (turn, quote), labels in list(grouped.items())[:6]:
                line = Text()
                names = [tr("label", x) for x in labels if x]
                if names:
                    line.append(" · ".join(dict.fromkeys(names)) + " ", "green")
                line.append(f"«{quote}»", "italic")
                line.append(f" {_turn(turn)}", "dim")
                self._add(opts, _hang("✓", "green", line), turn, criterion=cr.id)
            for m in cr.missing:
                line = Text(describe_missing(m, language()))
                if m.quote and m.turn is not None:
                    line.append(f" «{m.quote}»", "italic")
                if m.turn is not None:
                    line.append(f" {_turn(m.turn)}", "dim")
                line.append(f" −{number(m.lost * 100)} {t('debrief.points')}", "red")
                self._add(opts, _hang("–", "red", line), m.turn, criterion=cr.id)
            if cr.advice:
                advice = _hang("→", "yellow", Text(cr.advice, "yellow"))
                self._add(opts, advice, header=not self.reviewing, criterion=cr.id)
        # DESC timeline
        self._add(opts, Text("\n" + t("debrief.desc"), "bold underline"), header=True)
        if not c.desc_timeline:
            self._add(opts, Text("  " + t("debrief.no_resistance"), "dim"), header=True)
        for ep in c.desc_timeline:
            line = Text.assemble(
                ("  " + _turn(ep.turn).capitalize(), "bold"), (f" «{ep.quote}»\n    ", "italic")
            )
            for s in ep.steps:
                if s.turn is not None:
                    line.append(f" {s.step} ", "bold black on green")
                    line.append(f" {_turn(s.turn)}  ", "dim")
                else:
                    line.append(f" {s.step} ", "bold red")
                    line.append(" —  ", "dim")
            line.append(
                t("debrief.order_ok") if ep.order_respected else t("debrief.order_ko"),
                "green" if ep.order_respected else "yellow",
            )
            self._add(opts, line, ep.turn)
        # 4C timeline and metrics
        self._add(opts, Text("\n" + t("debrief.phases"), "bold underline"), header=True)
        for span in c.phase_timeline:
            turns = ", ".join(map(str, span.turns)) if span.turns else "—"
            first = span.turns[0] if span.turns else None
            self._add(
                opts,
                Text.assemble(
                    ("  " + tr("phase", span.phase), "bold"),
                    f"  {t('debrief.turns_list', turns=turns)}",
                ),
                first,
            )
        metrics = c.metrics
        self._add(opts, Text("\n" + t("debrief.metrics"), "bold underline"), header=True)
        lines = [
            t("debrief.talk_share", pct=round(metrics.talk_share * 100)),
            t(
                "debrief.questions",
                n=metrics.questions,
                open=metrics.open_questions,
                closed=metrics.closed_questions,
            ),
            t("debrief.monologue", n=metrics.longest_monologue_words),
        ]
        self._add(opts, Text("  " + "\n  ".join(lines)), metrics.longest_monologue_turn)
        highlighted = self.highlighted
        self.set_options(opts)
        if highlighted is not None and highlighted < len(opts):
            self.highlighted = highlighted
        else:
            self.action_first()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        turn = self._turns.get(event.option.id or "")
        if turn is not None:
            self.post_message(self.TurnSelected(turn))
