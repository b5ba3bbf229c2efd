"""A button whose label is an i18n key, re-read when the language is switched."""

from __future__ import annotations

from typing import Literal

from textual.widgets import Button

from simulator.tui.i18n import t

Variant = Literal["default", "primary", "success", "warning", "error"]


class TButton(Button):
    def __init__(
        self,
        key: str,
        *,
        variant: Variant = "default",
        id: str | None = None,
        classes: str | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(t(key), variant=variant, id=id, classes=classes, compact=compact)
        self.key = key

    def retranslate(self) -> None:
        self.label = t(self.key)
