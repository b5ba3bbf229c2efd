"""The conversation as a scrolling column of turns (debtor and trainee apart)."""

from __future__ import annotations

from typing import Any

from textual.containers import VerticalScroll

from simulator.tui.widgets.turn import TurnView


class TranscriptView(VerticalScroll):
    """Append turns, update the pending one, scroll to any turn (debrief evidence)."""

    def __init__(
        self, *, debtor_name: str = "", annotate: bool = True, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.debtor_name = debtor_name
        self.annotate = annotate
        self.can_focus = True

    def add_turn(
        self, entry: dict[str, Any], offset: float | None, *, pending: bool = False
    ) -> TurnView:
        view = TurnView(
            entry,
            at=offset,
            debtor_name=self.debtor_name,
            pending=pending,
            annotate=self.annotate,
        )
        self.mount(view)
        self.call_after_refresh(self.scroll_end, animate=False)
        return view

    def set_turns(self, entries: list[tuple[dict[str, Any], float | None]]) -> None:
        self.remove_children()
        self.mount_all(
            TurnView(e, at=o, debtor_name=self.debtor_name, annotate=self.annotate)
            for e, o in entries
        )

    def turn(self, index: int) -> TurnView | None:
        found = self.query(f"#turn-{index}")
        return found.first(TurnView) if found else None

    def update_turn(self, entry: dict[str, Any]) -> None:
        view = self.turn(entry["index"])
        if view is not None:
            view.update_entry(entry)

    def remove_turn(self, index: int) -> None:
        view = self.turn(index)
        if view is not None:
            view.remove()

    def scroll_to_turn(self, index: int) -> None:
        """Bring a turn into view and mark it (the debrief's "show me")."""
        for view in self.query(TurnView):
            view.set_class(view.entry["index"] == index, "-selected")
        target = self.turn(index)
        if target is not None:
            self.scroll_to_widget(target, animate=False, top=True)
