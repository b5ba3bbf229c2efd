"""A label whose text is an i18n key: it follows the language when it is switched."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from simulator.tui.i18n import t


class TLabel(Static):
    """``TLabel("home.empty")``: the text of that key, re-read on :meth:`retranslate`."""

    def __init__(
        self, key: str, *, id: str | None = None, classes: str | None = None, **fields: Any
    ) -> None:
        super().__init__(t(key, **fields), id=id, classes=classes, markup=False)
        self.key = key
        self.fields = fields

    def set_key(self, key: str, **fields: Any) -> None:
        self.key, self.fields = key, fields
        self.update(t(key, **fields))

    def retranslate(self) -> None:
        self.update(t(self.key, **self.fields))
