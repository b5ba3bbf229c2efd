"""One line of the call in the transcript: who, when, what, and (trainee) the acts found."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from scoring.labels import LABEL_PHASE
from simulator.tui.i18n import clock_time, t, tr

#: Colour of each 4C phase (and of the labels that cost points).
PHASE_STYLE = {
    "engage": "cyan",
    "discover": "green",
    "propose": "yellow",
    "conclude": "magenta",
    None: "bold red",
}


def acts_text(labels: list[str]) -> Text:
    """Act labels as coloured chips, in the order of acts.md."""
    order = list(LABEL_PHASE)
    text = Text()
    for i, label in enumerate(
        sorted(set(labels), key=lambda x: order.index(x) if x in order else 99)
    ):
        if i:
            text.append(" · ", "dim")
        text.append(tr("label", label), PHASE_STYLE.get(LABEL_PHASE.get(label), "dim"))
    return text


class TurnView(Static):
    """Renders one transcript entry (``relance/transcript@1`` turn shape).

    A :class:`Static`: the text is built once per change of the entry (or of the
    language), so a long transcript does not re-render every turn at each layout.
    """

    DEFAULT_CSS = "TurnView { height: auto; }"

    def __init__(
        self,
        entry: dict[str, Any],
        *,
        at: float | None,
        debtor_name: str,
        pending: bool = False,
        annotate: bool = True,
    ) -> None:
        super().__init__(id=f"turn-{entry['index']}")
        self.entry = entry
        self.at = at
        self.debtor_name = debtor_name
        self.pending = pending
        self.annotate = annotate
        self.add_class("-debtor" if entry["speaker"] == "debtor" else "-trainee")
        self.update(self.build())

    def update_entry(self, entry: dict[str, Any], *, pending: bool = False) -> None:
        self.entry, self.pending = entry, pending
        self.update(self.build())

    def retranslate(self) -> None:
        self.update(self.build())

    def build(self) -> Text:
        e = self.entry
        debtor = e["speaker"] == "debtor"
        who = self.debtor_name if debtor else t("call.you")
        head = Text(who, style="bold yellow" if debtor else "bold cyan")
        if self.at is not None:
            head.append(f"  {clock_time(self.at)}", "dim")
        head.append(f"  #{e['index']}", "dim")
        text = Text.assemble(head, "\n", e["text"] or t("call.silence"))
        if debtor or not self.annotate:
            return text
        if self.pending:
            text.append("\n" + t("call.analysing"), "dim italic")
            return text
        labels = [a["label"] for a in e.get("acts") or ()]
        text.append("\n")
        text.append_text(acts_text(labels) if labels else Text(t("call.no_act"), "dim italic"))
        for flag in e.get("wording") or ():
            quote = flag.get("span", {}).get("text", flag.get("key", ""))
            if flag.get("polarity") == "avoid":
                text.append("\n" + t("call.avoid", quote=quote), "red")
            else:
                text.append("\n" + t("call.prefer", quote=quote), "green")
        return text
