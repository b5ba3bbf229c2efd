"""Textual's footer, with every key description read from the i18n catalogue."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from simulator.tui.i18n import t


class RelanceFooter(Footer):
    """Bindings carry an i18n key as description (``key.hint``); shown translated."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.description.startswith("key."):
                widget.description = t(widget.description)
                widget.tooltip = widget.description
            yield widget
